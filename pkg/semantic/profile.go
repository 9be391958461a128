package semantic

// Profiling pushed into the engine. ProfileTable runs a fixed number of
// statements per table, whatever its width:
//
//  1. SELECT COUNT(*) (the full row count, to decide on sampling);
//  2. one aggregate query over every column: COUNT(col), COUNT(DISTINCT
//     col), MIN/MAX (as text), MIN/MAX/AVG length of the value as text and,
//     for text columns, one SUM(CASE WHEN <regex match> ...) per value
//     pattern (date, timestamp, email, integer, amount, uuid, code, words);
//  3. one UNION ALL of per-column GROUP BY ... ORDER BY count DESC LIMIT k
//     for the top values (skipped for columns whose values are all
//     distinct, where it would say nothing).
//
// Above Options.SampleRows rows, statements 2 and 3 read a sample (a WITH
// over the engine's sampling clause) and TableProfile.Sampled reports how
// many rows it held. Identifiers are written by dialect.QuoteIdent,
// expressions through the dialect SQL tree (RenderExpr); the regex
// patterns are constants of this file, rendered as literals.

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/model"
)

// Defaults used where Options leaves a knob at zero.
const (
	pfDefaultTopValues   = 5
	pfDefaultMaxKeyCols  = 3
	pfDefaultMinCoverage = 0.98
	// pfNumericShare is the share of non-null text values that must
	// match a number (date) pattern for the column to count as numeric
	// (temporal).
	pfNumericShare = 0.98
	// pfPatternShare is the share for a pattern to be the dominant one.
	pfPatternShare = 0.9
	// pfSampleSeed makes sampling repeatable where the engine allows.
	pfSampleSeed = 42
)

// pfOptions fills Options' zero values with the defaults.
func pfOptions(o Options) Options {
	if o.SampleRows == 0 {
		o.SampleRows = DefaultSampleRows
	}
	if o.TopValues <= 0 {
		o.TopValues = pfDefaultTopValues
	}
	if o.MaxKeyColumns <= 0 {
		o.MaxKeyColumns = pfDefaultMaxKeyCols
	}
	if o.MaxKeyColumns > 3 {
		o.MaxKeyColumns = 3
	}
	if o.MinCoverage <= 0 || o.MinCoverage > 1 {
		o.MinCoverage = pfDefaultMinCoverage
	}
	return o
}

// ---------------------------------------------------------------- types

// pfKind is a column's type family, read from the engine's type name.
type pfKind int

const (
	pfText pfKind = iota
	pfInt
	pfDecimal // exact numeric with a fractional part (scale > 0)
	pfFloat
	pfBool
	pfDate
	pfTimestamp
	pfOther // json, arrays, blobs, ...: compared as text
)

// pfKindOf maps an engine type name (DuckDB, PostgreSQL format_type,
// MySQL COLUMN_TYPE, SQL Server, Snowflake, BigQuery, Databricks) to a
// family.
func pfKindOf(typ string) pfKind {
	t := strings.ToLower(strings.TrimSpace(typ))
	base, args, _ := strings.Cut(t, "(")
	base = strings.TrimSpace(base)
	switch {
	case t == "tinyint(1)" || base == "bool" || base == "boolean" || base == "bit":
		return pfBool
	case strings.HasPrefix(base, "interval"):
		return pfOther
	case strings.HasSuffix(base, "[]") || strings.HasPrefix(base, "array") || strings.HasPrefix(base, "struct") ||
		strings.HasPrefix(base, "map") || strings.Contains(base, "json") || strings.Contains(base, "blob") ||
		base == "bytea" || strings.Contains(base, "binary") || base == "variant" || base == "object" || base == "geography":
		return pfOther
	case strings.Contains(base, "int") || base == "serial" || base == "bigserial" || base == "smallserial":
		return pfInt
	case base == "decimal" || base == "numeric" || base == "number" || base == "bignumeric" || base == "money" || base == "smallmoney":
		if base == "money" || base == "smallmoney" {
			return pfDecimal
		}
		// Scale 0 (or no arguments on Snowflake NUMBER = NUMBER(38,0)) is
		// an integer.
		if args == "" {
			if base == "number" {
				return pfInt
			}
			return pfDecimal
		}
		parts := strings.Split(strings.TrimSuffix(args, ")"), ",")
		if len(parts) < 2 || strings.TrimSpace(parts[1]) == "0" {
			return pfInt
		}
		return pfDecimal
	case strings.Contains(base, "double") || strings.Contains(base, "float") || base == "real":
		return pfFloat
	case base == "date":
		return pfDate
	case strings.HasPrefix(base, "timestamp") || strings.HasPrefix(base, "datetime") || base == "smalldatetime" ||
		strings.HasPrefix(base, "time"):
		return pfTimestamp
	}
	return pfText
}

func (k pfKind) numeric() bool  { return k == pfInt || k == pfDecimal || k == pfFloat }
func (k pfKind) temporal() bool { return k == pfDate || k == pfTimestamp }

// ---------------------------------------------------------------- patterns

// pfPattern is one value pattern: a regular expression (RE2/POSIX ERE
// subset every engine reads: classes, anchors, {m,n}, alternation; no \d,
// no backslashes at all) and SQL Server's LIKE approximation (%s is the
// value).
type pfPattern struct {
	Name  string
	Regex string
	Like  string
}

var pfUUIDLike = func() string {
	h := "[0-9a-fA-F]"
	return "'" + strings.Repeat(h, 8) + "-" + strings.Repeat(h, 4) + "-" + strings.Repeat(h, 4) + "-" + strings.Repeat(h, 4) + "-" + strings.Repeat(h, 12) + "'"
}()

// pfPatterns are checked in this order of precedence: the first with a
// share ≥ pfPatternShare is the column's pattern.
var pfPatterns = []pfPattern{
	{"boolean", "^(true|false|TRUE|FALSE|True|False|t|f|T|F|y|n|Y|N|yes|no|YES|NO|Yes|No)$",
		"LOWER(%s) IN ('true', 'false', 't', 'f', 'y', 'n', 'yes', 'no')"},
	{"date", "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}/[0-9]{2}/[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{1,2}[.][0-9]{1,2}[.][0-9]{4})$",
		"(%[1]s LIKE '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' OR %[1]s LIKE '[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]' OR %[1]s LIKE '[0-9]%/[0-9]%/[0-9][0-9][0-9][0-9]')"},
	{"timestamp", "^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?( ?([-+][0-9:]+|Z|UTC))?$",
		"%s LIKE '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][ T][0-9][0-9]:[0-9][0-9]%%'"},
	{"email", "^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}$",
		"(%[1]s LIKE '%%_@_%%._%%' AND %[1]s NOT LIKE '%%[ ,;]%%')"},
	{"integer", "^[-+]?[0-9]+$",
		"(%[1]s NOT LIKE '%%[^0-9+-]%%' AND %[1]s LIKE '%%[0-9]%%')"},
	{"amount", "^[-+]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)([.][0-9]+)?$",
		"(%[1]s NOT LIKE '%%[^0-9.,+-]%%' AND %[1]s LIKE '%%[0-9]%%')"},
	{"identifier", "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
		"%s LIKE " + pfUUIDLike},
	{"code", "^[A-Z0-9]+([-_./#][A-Z0-9]+)*$",
		"(%[1]s COLLATE Latin1_General_BIN NOT LIKE '%%[^A-Z0-9_./#-]%%' AND %[1]s <> '')"},
	// words is not a pattern of its own: it tells free text (two words
	// separated by spaces) from codes and names.
	{"words", "[A-Za-z]+ +[A-Za-z]+",
		"%s LIKE '%%[A-Za-z] [A-Za-z]%%'"},
}

// pfRegexMatch writes "x matches the pattern" in the dialect; x is text.
// Without regular expressions (SQL Server) the pattern's LIKE form is used.
func pfRegexMatch(d, x string, p pfPattern) (string, error) {
	if !dialect.Capabilities(d).Regex {
		return fmt.Sprintf(p.Like, x), nil
	}
	return dialect.RegexMatch(d, x, p.Regex)
}

// ---------------------------------------------------------------- SQL helpers

// pfSQL renders pieces of SQL for one dialect, remembering the first
// error so callers can build a statement and check once.
type pfSQL struct {
	d   string
	err error
}

func (s *pfSQL) id(name string) string { return dialect.QuoteIdent(s.d, name) }

func (s *pfSQL) table(schema, table string) string {
	if schema == "" {
		return s.id(table)
	}
	return s.id(schema) + "." + s.id(table)
}

func (s *pfSQL) expr(e dialect.Expr) string {
	out, err := dialect.RenderExpr(s.d, e)
	if err != nil && s.err == nil {
		s.err = err
	}
	return out
}

func (s *pfSQL) str(v string) string { return s.expr(dialect.S(v)) }

// text is CAST(x AS <text>); on MySQL with an explicit utf8mb4 character
// set so a COLLATE utf8mb4_bin applies whatever the column's charset.
func (s *pfSQL) text(x dialect.Expr) string {
	if s.d == dialect.MySQL {
		return "CAST(" + s.expr(x) + " AS CHAR CHARACTER SET utf8mb4)"
	}
	return s.expr(&dialect.Cast{X: x, Type: dialect.Text})
}

// limit writes a LIMIT k query around select body parts: SQL Server puts
// TOP after SELECT.
func (s *pfSQL) top(k int) (prefix, suffix string) {
	if dialect.Capabilities(s.d).LimitTop {
		return "TOP " + strconv.Itoa(k) + " ", ""
	}
	return "", "\nLIMIT " + strconv.Itoa(k)
}

// sample returns a query reading about n of rows rows of the table, in
// the engine's sampling syntax (dialect.SampleQuery).
func (s *pfSQL) sample(from string, n, rows int64) (string, error) {
	return dialect.SampleQuery(s.d, from, n, rows, pfSampleSeed)
}

// ---------------------------------------------------------------- values

func pfInt64(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 0
	case int64:
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case float64:
		return int64(math.Round(x))
	case float32:
		return int64(math.Round(float64(x)))
	case bool:
		if x {
			return 1
		}
		return 0
	}
	s := strings.TrimSpace(fmt.Sprint(v))
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return int64(math.Round(f))
	}
	return 0
}

func pfFloat64(v any) float64 {
	switch x := v.(type) {
	case nil:
		return 0
	case float64:
		return x
	case float32:
		return float64(x)
	case int64, int, int32, int16, int8, uint8, uint16, uint32, uint64, bool:
		return float64(pfInt64(v))
	}
	f, _ := strconv.ParseFloat(strings.TrimSpace(fmt.Sprint(v)), 64)
	return f
}

func pfString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return fmt.Sprint(v)
}

// ---------------------------------------------------------------- ProfileTable

// ProfileTable profiles one table in the engine: the declared columns,
// keys and foreign keys from the catalogue (conn.Describe), then row
// counts, nulls, distinct counts, min/max, lengths, value patterns and
// top values per column, in three statements whatever the width of the
// table. Tables with more than opts.SampleRows rows are profiled on a
// sample of about that many rows (Sampled says how many); keys and
// relationships are confirmed on full data later (FindKeys,
// FindRelationships).
func ProfileTable(ctx context.Context, conn connector.Connector, schema, table string, opts Options) (*TableProfile, error) {
	opts = pfOptions(opts)
	det, err := conn.Describe(ctx, schema, table)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", pfQualified(schema, table), err)
	}
	d := conn.Dialect()
	s := &pfSQL{d: d}
	tp := &TableProfile{Schema: schema, Name: det.Name}
	if tp.Name == "" {
		tp.Name = table
	}
	if det.Schema != "" && schema == "" {
		tp.Schema = det.Schema
	}
	tp.DeclaredPK = append([]string(nil), det.PrimaryKey...)
	for _, fk := range det.ForeignKeys {
		rel := model.Relationship{
			FromTable:   tp.Name,
			FromColumns: append([]string(nil), fk.Columns...),
			ToTable:     fk.RefTable,
			ToColumns:   append([]string(nil), fk.RefColumns...),
			Declared:    true,
			Coverage:    1,
			Inference: model.Inference{Confidence: 1, Evidence: []model.Evidence{{
				Rule:   "declared_foreign_key",
				Detail: fmt.Sprintf("the engine records foreign key %s (%s) → %s(%s)", pfOr(fk.Name, "(unnamed)"), strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", ")),
			}}},
		}
		rel.Name = RelationshipName(rel.FromTable, rel.ToTable, rel.FromColumns, false)
		tp.DeclaredFKs = append(tp.DeclaredFKs, rel)
	}
	kinds := make([]pfKind, len(det.Columns))
	for i, c := range det.Columns {
		kinds[i] = pfKindOf(c.Type)
		pos := c.Position
		if pos == 0 {
			pos = i + 1
		}
		tp.Columns = append(tp.Columns, ColumnProfile{Name: c.Name, Type: c.Type, Position: pos, Nullable: c.Nullable})
	}
	from := s.table(tp.Schema, tp.Name)

	// 1. Row count.
	res, err := conn.Query(ctx, "SELECT COUNT(*) AS "+s.id("n")+" FROM "+from, connector.QueryOptions{MaxRows: -1})
	if err != nil {
		return nil, fmt.Errorf("profile %s: count rows: %w", from, err)
	}
	if len(res.Rows) == 1 && len(res.Rows[0]) > 0 {
		tp.Rows = pfInt64(res.Rows[0][0])
	}
	if len(tp.Columns) == 0 || tp.Rows == 0 {
		return tp, nil
	}

	// The source of statistics: the table, or a sample of it.
	with, src := "", from
	sampled := opts.SampleRows > 0 && tp.Rows > opts.SampleRows
	if sampled {
		q, err := s.sample(from, opts.SampleRows, tp.Rows)
		if err != nil {
			return nil, err
		}
		with = "WITH " + s.id("profile_sample") + " AS (\n  " + q + "\n)\n"
		src = s.id("profile_sample")
	}

	// 2. One aggregate query for every column.
	items := []string{"COUNT(*)"}
	type slot struct{ nn, nd, mn, mx, l1, l2, la, pat int }
	slots := make([]slot, len(tp.Columns))
	add := func(e string) int {
		items = append(items, e)
		return len(items) - 1
	}
	for i, c := range tp.Columns {
		col := dialect.C(c.Name)
		txt := s.text(col)
		val := s.expr(col)
		distinctOf := val
		minOf := val
		switch kinds[i] {
		case pfBool:
			minOf = s.expr(&dialect.Cast{X: col, Type: dialect.Int})
			distinctOf = minOf
		case pfOther:
			minOf, distinctOf = txt, txt
		}
		length := s.expr(&dialect.Func{Name: "LENGTH", Args: []dialect.Expr{&dialect.Cast{X: col, Type: dialect.Text}}})
		if d == dialect.MySQL {
			length = "CHAR_LENGTH(" + txt + ")"
		}
		sl := slot{pat: -1}
		sl.nn = add("COUNT(" + val + ")")
		sl.nd = add("COUNT(DISTINCT " + distinctOf + ")")
		sl.mn = add(s.textAgg("MIN", minOf))
		sl.mx = add(s.textAgg("MAX", minOf))
		sl.l1 = add("MIN(" + length + ")")
		sl.l2 = add("MAX(" + length + ")")
		sl.la = add("AVG(" + s.expr(&dialect.Cast{X: dialect.I(0), Type: dialect.Double}) + " + " + length + ")")
		if kinds[i] == pfText {
			for j, p := range pfPatterns {
				m, err := pfRegexMatch(d, txt, p)
				if err != nil {
					return nil, err
				}
				k := add("SUM(CASE WHEN " + m + " THEN 1 ELSE 0 END)")
				if j == 0 {
					sl.pat = k
				}
			}
		}
		slots[i] = sl
	}
	var b strings.Builder
	b.WriteString(with)
	b.WriteString("SELECT\n")
	for i, it := range items {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString("  " + it + " AS " + s.id("a"+strconv.Itoa(i)))
	}
	b.WriteString("\nFROM " + src)
	if s.err != nil {
		return nil, fmt.Errorf("profile %s: %w", from, s.err)
	}
	res, err = conn.Query(ctx, b.String(), connector.QueryOptions{MaxRows: -1})
	if err != nil {
		return nil, fmt.Errorf("profile %s: column statistics: %w", from, err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != len(items) {
		return nil, fmt.Errorf("profile %s: column statistics: unexpected result shape", from)
	}
	row := res.Rows[0]
	profiled := pfInt64(row[0])
	if sampled {
		tp.Sampled = profiled
	}
	for i := range tp.Columns {
		c := &tp.Columns[i]
		sl := slots[i]
		c.Rows = profiled
		c.Nulls = profiled - pfInt64(row[sl.nn])
		c.Distinct = pfInt64(row[sl.nd])
		c.Min = pfString(row[sl.mn])
		c.Max = pfString(row[sl.mx])
		c.MinLength = int(pfInt64(row[sl.l1]))
		c.MaxLength = int(pfInt64(row[sl.l2]))
		c.AvgLength = math.Round(pfFloat64(row[sl.la])*100) / 100
		var counts map[string]int64
		if sl.pat >= 0 {
			counts = map[string]int64{}
			for j, p := range pfPatterns {
				counts[p.Name] = pfInt64(row[sl.pat+j])
			}
		}
		pfClassify(c, kinds[i], counts)
	}

	// 3. Top values, one UNION ALL.
	if err := pfTopValues(ctx, conn, s, with, src, tp, kinds, opts.TopValues); err != nil {
		return nil, fmt.Errorf("profile %s: top values: %w", from, err)
	}
	return tp, nil
}

// textAgg is CAST(MIN(x) AS text) (MIN/MAX in the column's own order,
// numbers as numbers and dates as dates, reported as text).
func (s *pfSQL) textAgg(fn, x string) string { return s.castText(fn + "(" + x + ")") }

// castText casts rendered SQL x to the dialect's text type.
func (s *pfSQL) castText(x string) string {
	// CAST(NULL AS <type>) rendered by the dialect gives the type name
	// (CHAR on MySQL, whose CAST takes no VARCHAR).
	tt := s.expr(&dialect.Cast{X: dialect.Null, Type: dialect.Text})
	typ := strings.TrimSuffix(strings.TrimPrefix(tt, "CAST(NULL AS "), ")")
	return "CAST(" + x + " AS " + typ + ")"
}

// pfTopValues reads the most frequent values of the columns where they
// say something (not every value distinct), in one statement.
func pfTopValues(ctx context.Context, conn connector.Connector, s *pfSQL, with, src string, tp *TableProfile, kinds []pfKind, k int) error {
	var parts []string
	for i, c := range tp.Columns {
		nonNull := c.Rows - c.Nulls
		if nonNull <= 0 || c.Distinct >= nonNull || kinds[i] == pfOther {
			continue
		}
		// Near-unique columns: their top values say little and cost a
		// large GROUP BY.
		if c.Distinct > nonNull/2 {
			continue
		}
		col := dialect.C(c.Name)
		txt := s.text(col)
		pre, suf := s.top(k)
		q := "SELECT " + pre + strconv.Itoa(i) + " AS " + s.id("col") + ", " + txt + " AS " + s.id("val") + ", COUNT(*) AS " + s.id("cnt") +
			"\nFROM " + src + "\nWHERE " + s.expr(col) + " IS NOT NULL\nGROUP BY " + txt +
			"\nORDER BY COUNT(*) DESC, " + txt + suf
		parts = append(parts, "SELECT * FROM (\n"+q+"\n) AS "+s.id("t"+strconv.Itoa(i)))
	}
	if len(parts) == 0 {
		return nil
	}
	if s.err != nil {
		return s.err
	}
	res, err := conn.Query(ctx, with+strings.Join(parts, "\nUNION ALL\n"), connector.QueryOptions{MaxRows: -1})
	if err != nil {
		return err
	}
	for _, r := range res.Rows {
		if len(r) < 3 {
			continue
		}
		i := int(pfInt64(r[0]))
		if i < 0 || i >= len(tp.Columns) {
			continue
		}
		tp.Columns[i].Top = append(tp.Columns[i].Top, TopValue{Value: pfString(r[1]), Count: pfInt64(r[2])})
	}
	for i := range tp.Columns {
		top := tp.Columns[i].Top
		sort.SliceStable(top, func(a, b int) bool {
			if top[a].Count != top[b].Count {
				return top[a].Count > top[b].Count
			}
			return top[a].Value < top[b].Value
		})
	}
	return nil
}

// pfClassify sets Pattern, PatternShare, Class, Numeric and Temporal from
// the type family and the pattern counts (text columns only).
func pfClassify(c *ColumnProfile, kind pfKind, counts map[string]int64) {
	nonNull := c.Rows - c.Nulls
	c.Numeric = kind.numeric()
	c.Temporal = kind.temporal()
	share := func(name string) float64 {
		if nonNull <= 0 || counts == nil {
			return 0
		}
		return float64(counts[name]) / float64(nonNull)
	}
	switch kind {
	case pfInt:
		c.Pattern, c.PatternShare = "integer", 1
	case pfDecimal, pfFloat:
		c.Pattern, c.PatternShare = "amount", 1
	case pfBool:
		c.Pattern, c.PatternShare = "boolean", 1
	case pfDate:
		c.Pattern, c.PatternShare = "date", 1
	case pfTimestamp:
		c.Pattern, c.PatternShare = "timestamp", 1
	case pfText:
		c.Pattern = "text"
		for _, p := range pfPatterns {
			if p.Name == "words" {
				continue
			}
			if sh := share(p.Name); sh >= pfPatternShare {
				c.Pattern, c.PatternShare = p.Name, math.Round(sh*10000)/10000
				break
			}
		}
		if c.Pattern == "code" && c.MaxLength > 24 {
			c.Pattern, c.PatternShare = "text", 0
		}
		if c.Pattern == "text" {
			c.PatternShare = 0
		}
		if share("amount") >= pfNumericShare {
			c.Numeric = true
		}
		if share("date")+share("timestamp") >= pfNumericShare {
			c.Temporal = true
		}
	default:
		c.Pattern = "text"
	}
	if nonNull <= 0 {
		c.Class = "categorical"
		return
	}
	unique := c.Distinct >= nonNull
	ratio := float64(c.Distinct) / float64(nonNull)
	switch {
	case kind == pfBool || c.Pattern == "boolean":
		c.Class = "boolean"
	case c.Temporal:
		c.Class = "temporal"
	case kind == pfInt || (kind == pfText && c.Pattern == "integer"):
		switch {
		case unique && nonNull > 1:
			c.Class = "identifier"
		case c.Distinct <= 2 && (c.Min == "0" || c.Min == "1") && (c.Max == "0" || c.Max == "1"):
			c.Class = "boolean"
		case c.Distinct <= 20 && c.Distinct*4 <= nonNull:
			c.Class = "categorical"
		default:
			c.Class = "numeric"
		}
	case c.Numeric:
		c.Class = "numeric"
	case c.Pattern == "identifier":
		c.Class = "identifier"
	case kind == pfOther:
		c.Class = "free_text"
	default:
		words := share("words")
		switch {
		case c.AvgLength >= 40 || (words >= 0.5 && ratio > 0.5 && c.AvgLength >= 20):
			c.Class = "free_text"
		case unique && (c.Pattern == "code" || c.Pattern == "email" || c.MaxLength <= 40) && nonNull > 1:
			c.Class = "identifier"
		case c.Distinct <= 1000 || ratio <= 0.2:
			c.Class = "categorical"
		default:
			c.Class = "free_text"
		}
	}
}

func pfQualified(schema, table string) string {
	if schema == "" {
		return table
	}
	return schema + "." + table
}

func pfOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
