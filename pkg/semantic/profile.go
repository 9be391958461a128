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
// many rows it held. Every statement is built on the dialect SQL tree
// (dialect.Select, dialect.Sample, dialect.Regex) and rendered by
// dialect.RenderQuery; the regex patterns are constants of this file.

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
	// Like is the pattern as SQL Server LIKE conditions on x (text),
	// for engines without regular expressions (Caps.Regex false).
	Like func(x dialect.Expr) dialect.Expr
}

// pfLike is x LIKE p with [...] character classes (SQL Server).
func pfLike(x dialect.Expr, p string) dialect.Expr {
	return &dialect.Like{X: x, Pattern: dialect.S(p), Classes: true}
}

// pfNotLike is NOT (x LIKE p), p with classes; binary: compared by code.
func pfNotLike(x dialect.Expr, p string, binary bool) dialect.Expr {
	return &dialect.Unary{Op: "NOT", X: &dialect.Like{X: x, Pattern: dialect.S(p), Classes: true, Binary: binary}}
}

var pfUUIDLike = func() string {
	h := "[0-9a-fA-F]"
	return strings.Repeat(h, 8) + "-" + strings.Repeat(h, 4) + "-" + strings.Repeat(h, 4) + "-" + strings.Repeat(h, 4) + "-" + strings.Repeat(h, 12)
}()

// pfPatterns are checked in this order of precedence: the first with a
// share ≥ pfPatternShare is the column's pattern.
var pfPatterns = []pfPattern{
	{"boolean", "^(true|false|TRUE|FALSE|True|False|t|f|T|F|y|n|Y|N|yes|no|YES|NO|Yes|No)$",
		func(x dialect.Expr) dialect.Expr {
			var words []dialect.Expr
			for _, w := range []string{"true", "false", "t", "f", "y", "n", "yes", "no"} {
				words = append(words, dialect.S(w))
			}
			return &dialect.In{X: dialect.F("LOWER", x), List: words}
		}},
	{"date", "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}/[0-9]{2}/[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{1,2}[.][0-9]{1,2}[.][0-9]{4})$",
		func(x dialect.Expr) dialect.Expr {
			return &dialect.Paren{X: dialect.Or(pfLike(x, "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"),
				pfLike(x, "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]"),
				pfLike(x, "[0-9]%/[0-9]%/[0-9][0-9][0-9][0-9]"))}
		}},
	{"timestamp", "^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?( ?([-+][0-9:]+|Z|UTC))?$",
		func(x dialect.Expr) dialect.Expr {
			return pfLike(x, "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][ T][0-9][0-9]:[0-9][0-9]%")
		}},
	{"email", "^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}$",
		func(x dialect.Expr) dialect.Expr {
			return dialect.And(pfLike(x, "%_@_%._%"), pfNotLike(x, "%[ ,;]%", false))
		}},
	{"integer", "^[-+]?[0-9]+$",
		func(x dialect.Expr) dialect.Expr {
			return dialect.And(pfNotLike(x, "%[^0-9+-]%", false), pfLike(x, "%[0-9]%"))
		}},
	{"amount", "^[-+]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)([.][0-9]+)?$",
		func(x dialect.Expr) dialect.Expr {
			return dialect.And(pfNotLike(x, "%[^0-9.,+-]%", false), pfLike(x, "%[0-9]%"))
		}},
	{"identifier", "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
		func(x dialect.Expr) dialect.Expr { return pfLike(x, pfUUIDLike) }},
	{"code", "^[A-Z0-9]+([-_./#][A-Z0-9]+)*$",
		func(x dialect.Expr) dialect.Expr {
			return dialect.And(pfNotLike(x, "%[^A-Z0-9_./#-]%", true), &dialect.Binary{Op: "<>", L: x, R: dialect.S("")})
		}},
	// words is not a pattern of its own: it tells free text (two words
	// separated by spaces) from codes and names.
	{"words", "[A-Za-z]+ +[A-Za-z]+",
		func(x dialect.Expr) dialect.Expr { return pfLike(x, "%[A-Za-z] [A-Za-z]%") }},
}

// pfRegexMatch is "x matches the pattern" in the dialect; x is text.
// Without regular expressions (SQL Server) the pattern's LIKE form is used.
func pfRegexMatch(d string, x dialect.Expr, p pfPattern) dialect.Expr {
	if !dialect.Capabilities(d).Regex {
		return p.Like(x)
	}
	return &dialect.Regex{X: x, Pattern: p.Regex}
}

// ---------------------------------------------------------------- SQL helpers

// pfSQL builds and renders the statements for one dialect.
type pfSQL struct {
	d string
}

// table is the quoted table name, for messages.
func (s *pfSQL) table(schema, table string) string {
	if schema == "" {
		return dialect.QuoteIdent(s.d, table)
	}
	return dialect.QuoteIdent(s.d, schema) + "." + dialect.QuoteIdent(s.d, table)
}

// name is the table as a tree name.
func (s *pfSQL) name(schema, table string) dialect.Name {
	if schema == "" {
		return dialect.N(table)
	}
	return dialect.N(schema, table)
}

// query renders q.
func (s *pfSQL) query(q dialect.Query) (string, error) { return dialect.RenderQuery(s.d, q) }

// text is CAST(x AS <text>).
func (s *pfSQL) text(x dialect.Expr) dialect.Expr { return &dialect.Cast{X: x, Type: dialect.Text} }

// countAll is COUNT(*); count COUNT(x); countDistinct COUNT(DISTINCT x).
func countAll() dialect.Expr            { return dialect.F("COUNT") }
func count(x dialect.Expr) dialect.Expr { return dialect.F("COUNT", x) }
func countDistinct(x dialect.Expr) dialect.Expr {
	return &dialect.Func{Name: "COUNT", Args: []dialect.Expr{x}, Distinct: true}
}

// sumIf is SUM(CASE WHEN cond THEN then ELSE 0 END).
func sumIf(cond, then dialect.Expr) dialect.Expr {
	return dialect.F("SUM", &dialect.Case{Whens: []dialect.When{{Cond: cond, Then: then}}, Else: dialect.I(0)})
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
		tp.Columns = append(tp.Columns, ColumnProfile{Name: c.Name, Type: c.Type, Format: c.Format, Position: pos, Nullable: c.Nullable})
	}
	from := s.table(tp.Schema, tp.Name)

	// 1. Row count.
	tbl := dialect.Table{Name: s.name(tp.Schema, tp.Name)}
	q, err := s.query(&dialect.Select{Columns: []dialect.SelectItem{dialect.As(countAll(), "n")}, From: tbl})
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", from, err)
	}
	res, err := conn.Query(ctx, q, connector.QueryOptions{MaxRows: -1})
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
	var with []dialect.CTE
	var src dialect.From = tbl
	sampled := opts.SampleRows > 0 && tp.Rows > opts.SampleRows
	if sampled {
		with = []dialect.CTE{{Name: "profile_sample", Query: &dialect.Sample{Table: tbl.Name, N: opts.SampleRows, Rows: tp.Rows, Seed: pfSampleSeed}}}
		src = dialect.Table{Name: dialect.N("profile_sample")}
	}

	// 2. One aggregate query for every column.
	items := []dialect.Expr{countAll()}
	type slot struct{ nn, nd, mn, mx, l1, l2, la, pat int }
	slots := make([]slot, len(tp.Columns))
	add := func(e dialect.Expr) int {
		items = append(items, e)
		return len(items) - 1
	}
	for i, c := range tp.Columns {
		col := dialect.C(c.Name)
		txt := s.text(col)
		var distinctOf, minOf dialect.Expr = col, col
		switch kinds[i] {
		case pfBool:
			minOf = &dialect.Cast{X: col, Type: dialect.Int}
			distinctOf = minOf
		case pfOther:
			minOf, distinctOf = txt, txt
		}
		// Characters (CHAR_LENGTH on MySQL) of the value as text.
		length := dialect.F("LENGTH", txt)
		sl := slot{pat: -1}
		sl.nn = add(count(col))
		sl.nd = add(countDistinct(distinctOf))
		sl.mn = add(s.text(dialect.F("MIN", minOf)))
		sl.mx = add(s.text(dialect.F("MAX", minOf)))
		sl.l1 = add(dialect.F("MIN", length))
		sl.l2 = add(dialect.F("MAX", length))
		sl.la = add(dialect.F("AVG", &dialect.Binary{Op: "+", L: &dialect.Cast{X: dialect.I(0), Type: dialect.Double}, R: length}))
		if kinds[i] == pfText {
			for j, p := range pfPatterns {
				k := add(sumIf(pfRegexMatch(d, txt, p), dialect.I(1)))
				if j == 0 {
					sl.pat = k
				}
			}
		}
		slots[i] = sl
	}
	stats := &dialect.Select{With: with, From: src}
	for i, it := range items {
		stats.Columns = append(stats.Columns, dialect.As(it, "a"+strconv.Itoa(i)))
	}
	if q, err = s.query(stats); err != nil {
		return nil, fmt.Errorf("profile %s: %w", from, err)
	}
	res, err = conn.Query(ctx, q, connector.QueryOptions{MaxRows: -1})
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

// pfTopValues reads the most frequent values of the columns where they
// say something (not every value distinct), in one statement.
func pfTopValues(ctx context.Context, conn connector.Connector, s *pfSQL, with []dialect.CTE, src dialect.From, tp *TableProfile, kinds []pfKind, k int) error {
	union := &dialect.UnionAll{With: with}
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
		top := &dialect.Select{
			Columns: []dialect.SelectItem{dialect.As(dialect.I(int64(i)), "col"), dialect.As(txt, "val"), dialect.As(countAll(), "cnt")},
			From:    src,
			Where:   &dialect.IsNull{X: col, Not: true},
			GroupBy: []dialect.Expr{txt},
			OrderBy: []dialect.Order{{Expr: countAll(), Desc: true}, {Expr: txt}},
			Limit:   k,
		}
		union.Queries = append(union.Queries, &dialect.Select{
			Columns: []dialect.SelectItem{{Expr: dialect.Star{}}},
			From:    dialect.Subquery{Query: top, Alias: "t" + strconv.Itoa(i)},
		})
	}
	if len(union.Queries) == 0 {
		return nil
	}
	var q dialect.Query = union
	if len(union.Queries) == 1 {
		one := *union.Queries[0].(*dialect.Select)
		one.With = with
		q = &one
	}
	sql, err := s.query(q)
	if err != nil {
		return err
	}
	res, err := conn.Query(ctx, sql, connector.QueryOptions{MaxRows: -1})
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
		case c.Pattern == "code":
			// Many distinct codes, repeated: a document or member
			// number (a receipt's lines), never free text.
			c.Class = "identifier"
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
