package validate

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	d "github.com/databridge/databridge/pkg/dialect"
)

// plan is a check compiled for one dialect: the query that counts what is
// wrong (always exactly one row), how to read that row, and the query that
// fetches samples when something is.
type plan struct {
	sql        string
	sampleSQL  string
	sampleCols []sampleCol
	eval       func(row []any) (outcome, error)
}

type outcome struct {
	fail      bool
	noSamples bool
	failing   int64
	expected  string
	actual    string
	message   string
}

type colKind int

const (
	colKey colKind = iota
	colCount
	colAmount
)

type sampleCol struct {
	name string
	kind colKind
}

func (s sampleCol) value(v any) any {
	switch s.kind {
	case colCount:
		if n, err := toInt(v); err == nil {
			return n
		}
		return v
	case colAmount:
		if v == nil {
			return nil
		}
		return numText(v)
	}
	return keyValue(v)
}

// Column aliases of the check queries; the sample keys are separate
// (see sampleCols), so a data column may share these names' words.
const (
	aRows    = "dbv_rows"
	aFailing = "dbv_failing"
	aGroups  = "dbv_groups"
	aAmount  = "dbv_amount"
	aTarget  = "dbv_target"
	aSource  = "dbv_source"
	aDiff    = "dbv_difference"
	aValue   = "dbv_value"
	aMaxAbs  = "dbv_max_abs"
	aTotal   = "dbv_total"
)

// build compiles a check.
func build(dialect string, c Check, samples int) (*plan, error) {
	b := &builder{d: dialect, c: c, samples: samples}
	if c.Tolerance < 0 || math.IsNaN(c.Tolerance) || math.IsInf(c.Tolerance, 0) {
		return nil, fmt.Errorf("tolerance %v must be a finite number ≥ 0", c.Tolerance)
	}
	if c.Kind != KindRowCount && c.SourceTable != "" && c.Kind != KindTiesOut {
		return nil, fmt.Errorf("%s checks read no source_table (it is for row_count and ties_out)", c.Kind)
	}
	var p *plan
	var err error
	switch c.Kind {
	case KindRowCount:
		p, err = b.rowCount()
	case KindNotNull:
		p, err = b.notNull()
	case KindUnique:
		p, err = b.unique()
	case KindRelationship:
		p, err = b.relationship()
	case KindAcceptedValues:
		p, err = b.acceptedValues()
	case KindAllMapped:
		p, err = b.allMapped()
	case KindTiesOut:
		p, err = b.tiesOut()
	case KindSumsToZero:
		p, err = b.sumsToZero()
	case KindExpressionZero:
		p, err = b.expressionZero()
	case "":
		return nil, errors.New("the check has no kind (one of " + strings.Join(Kinds, ", ") + ")")
	default:
		return nil, fmt.Errorf("unknown check kind %q (one of %s)", c.Kind, strings.Join(Kinds, ", "))
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

type builder struct {
	d       string
	c       Check
	samples int
}

func (b *builder) render(q d.Query) (string, error) { return d.RenderQuery(b.d, q) }

// finish renders the count query and the sample query.
func (b *builder) finish(main, sample d.Query, cols []sampleCol, eval func([]any) (outcome, error)) (*plan, error) {
	s, err := b.render(main)
	if err != nil {
		return nil, err
	}
	p := &plan{sql: s, eval: eval, sampleCols: cols}
	if sample != nil && b.samples > 0 {
		if p.sampleSQL, err = b.render(sample); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// table parses [database.][schema.]table.
func table(what, s string) (d.Name, error) {
	if strings.TrimSpace(s) == "" {
		return d.Name{}, fmt.Errorf("the check needs %s", what)
	}
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return d.Name{}, fmt.Errorf("%s %q has more than three dotted parts", what, s)
	}
	for _, p := range parts {
		if p == "" {
			return d.Name{}, fmt.Errorf("%s %q has an empty part", what, s)
		}
	}
	return d.N(parts...), nil
}

func needCols(what string, cols []string) error {
	if len(cols) == 0 {
		return fmt.Errorf("the check needs %s", what)
	}
	for _, c := range cols {
		if c == "" {
			return fmt.Errorf("%s has an empty column name", what)
		}
	}
	return nil
}

// where turns filters on alias into one condition (nil for none).
func where(alias string, fs []Filter) (d.Expr, error) {
	var conds []d.Expr
	for _, f := range fs {
		if f.Column == "" {
			return nil, errors.New("a filter has no column")
		}
		col := d.C(alias, f.Column)
		if len(f.Values) == 0 {
			conds = append(conds, &d.IsNull{X: col, Not: f.Not})
			continue
		}
		list := make([]d.Expr, len(f.Values))
		for i, v := range f.Values {
			list[i] = d.S(v)
		}
		conds = append(conds, &d.In{X: col, List: list, Not: f.Not})
	}
	return d.And(conds...), nil
}

// amount is the row expression of terms on alias; several terms (or
// coalesce) read a NULL term as 0.
func amount(what, alias string, terms []Term, coalesce bool) (d.Expr, error) {
	if len(terms) == 0 {
		return nil, fmt.Errorf("the check needs %s (the columns to sum)", what)
	}
	coalesce = coalesce || len(terms) > 1
	var e d.Expr
	for _, t := range terms {
		if t.Column == "" {
			return nil, fmt.Errorf("%s has a term without a column", what)
		}
		var x d.Expr = d.C(alias, t.Column)
		if coalesce {
			x = d.F("COALESCE", x, d.I(0))
		}
		switch {
		case e == nil && t.Negate:
			e = &d.Unary{Op: "-", X: x}
		case e == nil:
			e = x
		case t.Negate:
			e = &d.Binary{Op: "-", L: e, R: x}
		default:
			e = &d.Binary{Op: "+", L: e, R: x}
		}
	}
	return e, nil
}

func cols(alias string, names []string) []d.Expr {
	out := make([]d.Expr, len(names))
	for i, n := range names {
		out[i] = d.C(alias, n)
	}
	return out
}

func items(alias string, names []string) []d.SelectItem {
	out := make([]d.SelectItem, len(names))
	for i, n := range names {
		out[i] = d.SelectItem{Expr: d.C(alias, n)}
	}
	return out
}

func orders(alias string, names []string) []d.Order {
	out := make([]d.Order, len(names))
	for i, n := range names {
		out[i] = d.Order{Expr: d.C(alias, n)}
	}
	return out
}

func count() *d.Func { return d.F("COUNT") }

func sum(e d.Expr) *d.Func { return d.F("SUM", e) }

func abs(e d.Expr) *d.Func { return d.F("ABS", e) }

func gt(l, r d.Expr) d.Expr { return &d.Binary{Op: ">", L: l, R: r} }

// keyCols names the sample columns of keys, then the extra ones; an
// extra name that a key already uses gets a "check_" prefix.
func keyCols(keys []string, extra ...sampleCol) []sampleCol {
	out := make([]sampleCol, 0, len(keys)+len(extra))
	for _, k := range keys {
		out = append(out, sampleCol{name: k})
	}
	for _, e := range extra {
		for slices.Contains(keys, e.name) {
			e.name = "check_" + e.name
		}
		out = append(out, e)
	}
	return out
}

func tolLit(t float64) d.Expr { return d.DecimalLit(fmtTol(t)) }

func (b *builder) amountTol() float64 {
	if b.c.Tolerance == 0 {
		return DefaultAmountTolerance
	}
	return b.c.Tolerance
}

// ---------------------------------------------------------------- row_count

// rowCount: SELECT t.n, s.n FROM (SELECT COUNT(*) ...) t CROSS JOIN
// (SELECT COUNT(*) ...) s; passes when |target - source| ≤ tolerance ×
// source.
func (b *builder) rowCount() (*plan, error) {
	tn, err := table("a table", b.c.Table)
	if err != nil {
		return nil, err
	}
	sn, err := table("a source_table", b.c.SourceTable)
	if err != nil {
		return nil, err
	}
	tw, err := where("x", b.c.Where)
	if err != nil {
		return nil, err
	}
	sw, err := where("x", b.c.SourceWhere)
	if err != nil {
		return nil, err
	}
	countOf := func(n d.Name, w d.Expr) d.Query {
		return &d.Select{Columns: []d.SelectItem{d.As(count(), aRows)}, From: d.Table{Name: n, Alias: "x"}, Where: w}
	}
	q := &d.Select{
		Columns: []d.SelectItem{d.As(d.C("t", aRows), aTarget), d.As(d.C("s", aRows), aSource)},
		From:    d.Subquery{Query: countOf(tn, tw), Alias: "t"},
		Joins:   []d.Join{{Kind: d.CrossJoin, From: d.Subquery{Query: countOf(sn, sw), Alias: "s"}}},
	}
	tol := b.c.Tolerance
	return b.finish(q, nil, nil, func(row []any) (outcome, error) {
		t, err := toInt(row[0])
		if err != nil {
			return outcome{}, err
		}
		s, err := toInt(row[1])
		if err != nil {
			return outcome{}, err
		}
		diff := t - s
		if diff < 0 {
			diff = -diff
		}
		o := outcome{failing: diff, expected: fmt.Sprint(s), actual: fmt.Sprint(t)}
		allowed := tol * float64(s)
		o.fail = float64(diff) > allowed
		rel := ""
		if s > 0 {
			rel = ", " + pct(float64(diff)/float64(s))
		}
		tolText := "exact"
		if tol > 0 {
			tolText = "tolerance " + pct(tol)
		}
		if diff == 0 {
			o.message = fmt.Sprintf("%d rows in %s and in %s", t, b.c.Table, b.c.SourceTable)
		} else {
			o.message = fmt.Sprintf("%d rows in %s, %d in %s: difference %d%s (%s)", t, b.c.Table, s, b.c.SourceTable, diff, rel, tolText)
		}
		return o, nil
	})
}

// ---------------------------------------------------------------- not_null

// notNull: SELECT COUNT(*) FROM t WHERE c1 IS NULL OR c2 IS NULL; samples
// are the rows' Keys and Columns.
func (b *builder) notNull() (*plan, error) {
	tn, err := table("a table", b.c.Table)
	if err != nil {
		return nil, err
	}
	if err := needCols("columns", b.c.Columns); err != nil {
		return nil, err
	}
	w, err := where("x", b.c.Where)
	if err != nil {
		return nil, err
	}
	var nulls []d.Expr
	for _, c := range b.c.Columns {
		nulls = append(nulls, &d.IsNull{X: d.C("x", c)})
	}
	cond := d.Or(nulls...)
	if len(nulls) > 1 && w != nil {
		cond = &d.Paren{X: cond}
	}
	w = d.And(w, cond)
	from := d.Table{Name: tn, Alias: "x"}
	main := &d.Select{Columns: []d.SelectItem{d.As(count(), aFailing)}, From: from, Where: w}
	show := append([]string{}, b.c.Keys...)
	for _, c := range b.c.Columns {
		if !slices.Contains(show, c) {
			show = append(show, c)
		}
	}
	sample := &d.Select{Columns: items("x", show), From: from, Where: w, OrderBy: orders("x", show), Limit: b.samples}
	what := strings.Join(b.c.Columns, ", ")
	return b.finish(main, sample, keyCols(show), func(row []any) (outcome, error) {
		n, err := toInt(row[0])
		if err != nil {
			return outcome{}, err
		}
		o := outcome{failing: n, fail: n > 0, expected: "0", actual: fmt.Sprint(n)}
		if n == 0 {
			o.message = fmt.Sprintf("no NULL in %s.%s", b.c.Table, what)
		} else {
			o.message = fmt.Sprintf("%d %s of %s with NULL in %s", n, plural(int(min(n, 2)), "row", "rows"), b.c.Table, what)
		}
		return o, nil
	})
}

// ---------------------------------------------------------------- grouped violations

// groupedPlan is the shape shared by unique, relationship,
// accepted_values and all_mapped: a grouped subquery F of the failing
// keys with their row counts (and amounts), counted by
//
//	SELECT COUNT(*), SUM(f.rows) [, SUM(f.amount)] FROM (F) f
//
// and sampled by SELECT * FROM (F) f ORDER BY ... LIMIT n.
func (b *builder) groupedPlan(f *d.Select, keys []string, hasAmount bool, order []d.Order, eval func(groups, rows int64, amount any) outcome) (*plan, error) {
	sub := d.Subquery{Query: f, Alias: "f"}
	mc := []d.SelectItem{d.As(count(), aGroups), d.As(sum(d.C("f", aRows)), aRows)}
	extra := []sampleCol{{name: "rows", kind: colCount}}
	if hasAmount {
		mc = append(mc, d.As(sum(d.C("f", aAmount)), aAmount))
		extra = append(extra, sampleCol{name: "amount", kind: colAmount})
	}
	main := &d.Select{Columns: mc, From: sub}
	sample := &d.Select{Columns: []d.SelectItem{{Expr: d.Star{}}}, From: sub, OrderBy: order, Limit: b.samples}
	return b.finish(main, sample, keyCols(keys, extra...), func(row []any) (outcome, error) {
		g, err := toInt(row[0])
		if err != nil {
			return outcome{}, err
		}
		n, err := toInt(row[1])
		if err != nil {
			return outcome{}, err
		}
		var a any
		if hasAmount {
			a = row[2]
		}
		return eval(g, n, a), nil
	})
}

// unique: F = SELECT cols, COUNT(*) FROM t WHERE cols NOT NULL GROUP BY
// cols HAVING COUNT(*) > 1; the most duplicated keys first.
func (b *builder) unique() (*plan, error) {
	tn, err := table("a table", b.c.Table)
	if err != nil {
		return nil, err
	}
	if err := needCols("columns", b.c.Columns); err != nil {
		return nil, err
	}
	w, err := where("x", b.c.Where)
	if err != nil {
		return nil, err
	}
	conds := []d.Expr{w}
	for _, c := range b.c.Columns {
		conds = append(conds, &d.IsNull{X: d.C("x", c), Not: true})
	}
	f := &d.Select{
		Columns: append(items("x", b.c.Columns), d.As(count(), aRows)),
		From:    d.Table{Name: tn, Alias: "x"},
		Where:   d.And(conds...),
		GroupBy: cols("x", b.c.Columns),
		Having:  gt(count(), d.I(1)),
	}
	order := append([]d.Order{{Expr: d.C("f", aRows), Desc: true}}, orders("f", b.c.Columns)...)
	what := strings.Join(b.c.Columns, ", ")
	return b.groupedPlan(f, b.c.Columns, false, order, func(g, n int64, _ any) outcome {
		o := outcome{failing: g, fail: g > 0, expected: "0", actual: fmt.Sprint(g)}
		if g == 0 {
			o.message = fmt.Sprintf("%s is unique in %s", what, b.c.Table)
		} else {
			o.message = fmt.Sprintf("%d duplicated %s of %s in %s (%d rows)", g, plural(int(g), "value", "values"), what, b.c.Table, n)
		}
		return o
	})
}

// relationship: F = SELECT x.cols, COUNT(*) FROM child x WHERE cols NOT
// NULL AND NOT EXISTS (SELECT 1 FROM parent r WHERE r.ref = x.col ...)
// GROUP BY x.cols.
func (b *builder) relationship() (*plan, error) {
	tn, err := table("a table", b.c.Table)
	if err != nil {
		return nil, err
	}
	rn, err := table("a ref_table", b.c.RefTable)
	if err != nil {
		return nil, err
	}
	if err := needCols("columns", b.c.Columns); err != nil {
		return nil, err
	}
	if err := needCols("ref_columns", b.c.RefColumns); err != nil {
		return nil, err
	}
	if len(b.c.Columns) != len(b.c.RefColumns) {
		return nil, fmt.Errorf("%d columns but %d ref_columns: they pair up one to one", len(b.c.Columns), len(b.c.RefColumns))
	}
	w, err := where("x", b.c.Where)
	if err != nil {
		return nil, err
	}
	conds := []d.Expr{w}
	var match []d.Expr
	for i, c := range b.c.Columns {
		conds = append(conds, &d.IsNull{X: d.C("x", c), Not: true})
		match = append(match, d.Eq(d.C("r", b.c.RefColumns[i]), d.C("x", c)))
	}
	conds = append(conds, &d.Exists{Not: true, Query: &d.Select{
		Columns: []d.SelectItem{{Expr: d.I(1)}},
		From:    d.Table{Name: rn, Alias: "r"},
		Where:   d.And(match...),
	}})
	f := &d.Select{
		Columns: append(items("x", b.c.Columns), d.As(count(), aRows)),
		From:    d.Table{Name: tn, Alias: "x"},
		Where:   d.And(conds...),
		GroupBy: cols("x", b.c.Columns),
	}
	what := strings.Join(b.c.Columns, ", ")
	ref := b.c.RefTable + "(" + strings.Join(b.c.RefColumns, ", ") + ")"
	return b.groupedPlan(f, b.c.Columns, false, orders("f", b.c.Columns), func(g, n int64, _ any) outcome {
		o := outcome{failing: g, fail: g > 0, expected: "0", actual: fmt.Sprint(g)}
		if g == 0 {
			o.message = fmt.Sprintf("every %s of %s is in %s", what, b.c.Table, ref)
		} else {
			o.message = fmt.Sprintf("%d %s of %s.%s missing from %s (%d %s)", g, plural(int(g), "value", "values"), b.c.Table, what, ref, n, plural(int(n), "row", "rows"))
		}
		return o
	})
}

// acceptedValues: F = SELECT x.col, COUNT(*) FROM t WHERE col NOT NULL
// AND col NOT IN (...) GROUP BY x.col; the commonest values first.
func (b *builder) acceptedValues() (*plan, error) {
	tn, err := table("a table", b.c.Table)
	if err != nil {
		return nil, err
	}
	if len(b.c.Columns) != 1 {
		return nil, fmt.Errorf("accepted_values checks one column, got %d", len(b.c.Columns))
	}
	if err := needCols("columns", b.c.Columns); err != nil {
		return nil, err
	}
	if len(b.c.Values) == 0 {
		return nil, errors.New("the check needs values (the accepted ones)")
	}
	w, err := where("x", b.c.Where)
	if err != nil {
		return nil, err
	}
	col := b.c.Columns[0]
	f := &d.Select{
		Columns: []d.SelectItem{{Expr: d.C("x", col)}, d.As(count(), aRows)},
		From:    d.Table{Name: tn, Alias: "x"},
		Where:   d.And(w, &d.IsNull{X: d.C("x", col), Not: true}, notAccepted(d.C("x", col), b.c.Values)),
		GroupBy: []d.Expr{d.C("x", col)},
	}
	order := []d.Order{{Expr: d.C("f", aRows), Desc: true}, {Expr: d.C("f", col)}}
	return b.groupedPlan(f, b.c.Columns, false, order, func(g, n int64, _ any) outcome {
		o := outcome{failing: n, fail: n > 0, expected: "0", actual: fmt.Sprint(n)}
		if n == 0 {
			o.message = fmt.Sprintf("every %s.%s is one of %s", b.c.Table, col, strings.Join(b.c.Values, ", "))
		} else {
			o.message = fmt.Sprintf("%d %s of %s with %d other %s of %s (accepted: %s)", n, plural(int(n), "row", "rows"), b.c.Table,
				g, plural(int(g), "value", "values"), col, strings.Join(b.c.Values, ", "))
		}
		return o
	})
}

// notAccepted is x NOT IN (values), compared exactly on every engine
// (d.ExactText on both sides): where the default collation ignores case
// (MySQL/MariaDB, SQL Server), 'Expense' is not 'expense' either.
func notAccepted(x d.Expr, values []string) d.Expr {
	list := make([]d.Expr, len(values))
	for i, v := range values {
		list[i] = &d.ExactText{X: d.S(v)}
	}
	return &d.In{X: &d.ExactText{X: x}, List: list, Not: true}
}

// allMapped: F = SELECT x.code, COUNT(*), SUM(amount) FROM t WHERE
// x.mapped IS NULL [AND amount <> 0] GROUP BY x.code; the largest
// unmapped amounts first.
func (b *builder) allMapped() (*plan, error) {
	tn, err := table("a table", b.c.Table)
	if err != nil {
		return nil, err
	}
	if err := needCols("columns (the source code whose mapping is checked)", b.c.Columns); err != nil {
		return nil, err
	}
	if b.c.MappedColumn == "" {
		return nil, errors.New("the check needs mapped_column (NULL where a row is unmapped)")
	}
	w, err := where("x", b.c.Where)
	if err != nil {
		return nil, err
	}
	conds := []d.Expr{w, &d.IsNull{X: d.C("x", b.c.MappedColumn)}}
	fc := append(items("x", b.c.Columns), d.As(count(), aRows))
	hasAmount := len(b.c.Amount) > 0
	order := orders("f", b.c.Columns)
	if hasAmount {
		a, err := amount("amount", "x", b.c.Amount, false)
		if err != nil {
			return nil, err
		}
		conds = append(conds, &d.Binary{Op: "<>", L: a, R: d.I(0)})
		fc = append(fc, d.As(sum(a), aAmount))
		order = append([]d.Order{{Expr: abs(d.C("f", aAmount)), Desc: true}}, order...)
	} else {
		order = append([]d.Order{{Expr: d.C("f", aRows), Desc: true}}, order...)
	}
	f := &d.Select{Columns: fc, From: d.Table{Name: tn, Alias: "x"}, Where: d.And(conds...), GroupBy: cols("x", b.c.Columns)}
	what := strings.Join(b.c.Columns, ", ")
	return b.groupedPlan(f, b.c.Columns, hasAmount, order, func(g, n int64, a any) outcome {
		o := outcome{failing: g, fail: g > 0, expected: "0", actual: fmt.Sprint(g)}
		if g == 0 {
			o.message = fmt.Sprintf("every %s of %s is mapped (%s set)", what, b.c.Table, b.c.MappedColumn)
			return o
		}
		amt := ""
		if hasAmount {
			amt = ", amount " + numText(a)
		}
		o.message = fmt.Sprintf("%d unmapped %s (%s) in %s, %d %s%s: %s is NULL", g, plural(int(g), "code", "codes"), what, b.c.Table,
			n, plural(int(n), "row", "rows"), amt, b.c.MappedColumn)
		return o
	})
}

// ---------------------------------------------------------------- amounts

// groupedAmounts is the shape of the amount checks: G, one row per group
// (one row in all when there is no GroupBy) with its value columns,
// counted by
//
//	SELECT COUNT(*), SUM(CASE WHEN bad THEN 1 ELSE 0 END), totals... FROM (G) g
//
// and sampled by SELECT g.*[, extra] FROM (G) g WHERE bad ORDER BY groups LIMIT n.
func (b *builder) groupedAmounts(g *d.Select, bad d.Expr, totals []d.SelectItem, extra []d.SelectItem, cols []sampleCol,
	eval func(groups, failing int64, totals []any) outcome) (*plan, error) {
	sub := d.Subquery{Query: g, Alias: "g"}
	mc := []d.SelectItem{
		d.As(count(), aGroups),
		d.As(sum(&d.Case{Whens: []d.When{{Cond: bad, Then: d.I(1)}}, Else: d.I(0)}), aFailing),
	}
	mc = append(mc, totals...)
	main := &d.Select{Columns: mc, From: sub}
	sample := &d.Select{
		Columns: append([]d.SelectItem{{Expr: d.Star{Table: "g"}}}, extra...),
		From:    sub,
		Where:   bad,
		OrderBy: orders("g", b.c.GroupBy),
		Limit:   b.samples,
	}
	return b.finish(main, sample, cols, func(row []any) (outcome, error) {
		n, err := toInt(row[0])
		if err != nil {
			return outcome{}, err
		}
		f, err := toInt(row[1])
		if err != nil {
			return outcome{}, err
		}
		return eval(n, f, row[2:]), nil
	})
}

func (b *builder) groupNote() string {
	if len(b.c.GroupBy) == 0 {
		return ""
	}
	return " by " + strings.Join(b.c.GroupBy, ", ")
}

// tiesOut: the target side (Table, then each Plus part) and the source
// side in one UNION ALL of (groups, target, source) rows, summed per
// group:
//
//	SELECT u.groups, COALESCE(SUM(u.t), 0), COALESCE(SUM(u.s), 0)
//	FROM (SELECT groups, amount, 0 FROM target WHERE ...
//	      UNION ALL SELECT groups, amount, 0 FROM part WHERE ...
//	      UNION ALL SELECT source groups, 0, amount FROM source WHERE ...) u
//	GROUP BY u.groups
//
// A group fails when |target - source| > tolerance; a group on one side
// only compares with 0.
func (b *builder) tiesOut() (*plan, error) {
	if _, err := table("a source_table", b.c.SourceTable); err != nil {
		return nil, err
	}
	if len(b.c.GroupBy) > 0 {
		if err := needCols("group_by", b.c.GroupBy); err != nil {
			return nil, err
		}
	}
	srcGroups := b.c.GroupBy
	if len(b.c.SourceGroupBy) > 0 {
		if len(b.c.SourceGroupBy) != len(b.c.GroupBy) {
			return nil, fmt.Errorf("%d group_by but %d source_group_by columns: they pair up one to one", len(b.c.GroupBy), len(b.c.SourceGroupBy))
		}
		if err := needCols("source_group_by", b.c.SourceGroupBy); err != nil {
			return nil, err
		}
		srcGroups = b.c.SourceGroupBy
	}
	branch := func(what, tbl string, fs []Filter, terms []Term, groups []string, source bool) (d.Query, error) {
		n, err := table(what, tbl)
		if err != nil {
			return nil, err
		}
		w, err := where("x", fs)
		if err != nil {
			return nil, err
		}
		a, err := amount(what+" amount", "x", terms, true)
		if err != nil {
			return nil, err
		}
		var sc []d.SelectItem
		for i, g := range groups {
			sc = append(sc, d.As(d.C("x", g), b.c.GroupBy[i]))
		}
		t, s := a, d.Expr(d.I(0))
		if source {
			t, s = d.I(0), a
		}
		sc = append(sc, d.As(t, aTarget), d.As(s, aSource))
		return &d.Select{Columns: sc, From: d.Table{Name: n, Alias: "x"}, Where: w}, nil
	}
	first, err := branch("a table", b.c.Table, b.c.Where, b.c.Amount, b.c.GroupBy, false)
	if err != nil {
		return nil, err
	}
	u := &d.UnionAll{Queries: []d.Query{first}}
	for i, p := range b.c.Plus {
		q, err := branch(fmt.Sprintf("plus[%d] table", i), p.Table, p.Where, p.Amount, b.c.GroupBy, false)
		if err != nil {
			return nil, err
		}
		u.Queries = append(u.Queries, q)
	}
	src, err := branch("a source_table", b.c.SourceTable, b.c.SourceWhere, b.c.SourceAmount, srcGroups, true)
	if err != nil {
		return nil, err
	}
	u.Queries = append(u.Queries, src)
	gc := items("u", b.c.GroupBy)
	gc = append(gc,
		d.As(d.F("COALESCE", sum(d.C("u", aTarget)), d.I(0)), aTarget),
		d.As(d.F("COALESCE", sum(d.C("u", aSource)), d.I(0)), aSource))
	g := &d.Select{Columns: gc, From: d.Subquery{Query: u, Alias: "u"}, GroupBy: cols("u", b.c.GroupBy)}
	diff := &d.Binary{Op: "-", L: d.C("g", aTarget), R: d.C("g", aSource)}
	tol := b.amountTol()
	bad := gt(abs(diff), tolLit(tol))
	totals := []d.SelectItem{d.As(sum(d.C("g", aTarget)), aTarget), d.As(sum(d.C("g", aSource)), aSource)}
	sc := keyCols(b.c.GroupBy, sampleCol{"target", colAmount}, sampleCol{"source", colAmount}, sampleCol{"difference", colAmount})
	return b.groupedAmounts(g, bad, totals, []d.SelectItem{d.As(diff, aDiff)}, sc, func(n, f int64, t []any) outcome {
		tt, st := numText(orZero(t[0])), numText(orZero(t[1]))
		o := outcome{failing: f, fail: f > 0, expected: st, actual: tt}
		switch {
		case f == 0 && len(b.c.GroupBy) == 0:
			o.message = fmt.Sprintf("%s ties to %s: %s vs %s (tolerance %s)", b.c.Table, b.c.SourceTable, tt, st, fmtTol(tol))
		case f == 0:
			o.message = fmt.Sprintf("%s ties to %s in all %d groups%s (totals %s vs %s; tolerance %s)", b.c.Table, b.c.SourceTable, n, b.groupNote(), tt, st, fmtTol(tol))
		case len(b.c.GroupBy) == 0:
			o.message = fmt.Sprintf("%s does not tie to %s: %s vs %s (tolerance %s)", b.c.Table, b.c.SourceTable, tt, st, fmtTol(tol))
		default:
			o.message = fmt.Sprintf("%s does not tie to %s in %d of %d groups%s (totals %s vs %s; tolerance %s)",
				b.c.Table, b.c.SourceTable, f, n, b.groupNote(), tt, st, fmtTol(tol))
		}
		return o
	})
}

func orZero(v any) any {
	if v == nil {
		return int64(0)
	}
	return v
}

// sumsToZero: G = SELECT groups, COALESCE(SUM(amount), 0) FROM t WHERE
// ... GROUP BY groups; a group fails when |total| > tolerance.
func (b *builder) sumsToZero() (*plan, error) {
	tn, err := table("a table", b.c.Table)
	if err != nil {
		return nil, err
	}
	if len(b.c.GroupBy) > 0 {
		if err := needCols("group_by", b.c.GroupBy); err != nil {
			return nil, err
		}
	}
	w, err := where("x", b.c.Where)
	if err != nil {
		return nil, err
	}
	a, err := amount("amount", "x", b.c.Amount, false)
	if err != nil {
		return nil, err
	}
	g := &d.Select{
		Columns: append(items("x", b.c.GroupBy), d.As(d.F("COALESCE", sum(a), d.I(0)), aTotal)),
		From:    d.Table{Name: tn, Alias: "x"},
		Where:   w,
		GroupBy: cols("x", b.c.GroupBy),
	}
	tol := b.amountTol()
	bad := gt(abs(d.C("g", aTotal)), tolLit(tol))
	totals := []d.SelectItem{d.As(sum(d.C("g", aTotal)), aTotal), d.As(d.F("MAX", abs(d.C("g", aTotal))), aMaxAbs)}
	sc := keyCols(b.c.GroupBy, sampleCol{"total", colAmount})
	return b.groupedAmounts(g, bad, totals, nil, sc, func(n, f int64, t []any) outcome {
		total, maxAbs := numText(orZero(t[0])), numText(orZero(t[1]))
		o := outcome{failing: f, fail: f > 0, expected: "0", actual: total}
		if len(b.c.GroupBy) > 0 {
			o.actual = maxAbs
		}
		switch {
		case f == 0 && len(b.c.GroupBy) == 0:
			o.message = fmt.Sprintf("%s sums to %s (tolerance %s)", b.c.Table, total, fmtTol(tol))
		case f == 0:
			o.message = fmt.Sprintf("%s sums to zero in all %d groups%s (tolerance %s)", b.c.Table, n, b.groupNote(), fmtTol(tol))
		case len(b.c.GroupBy) == 0:
			o.message = fmt.Sprintf("%s sums to %s, not 0 (tolerance %s)", b.c.Table, total, fmtTol(tol))
		default:
			o.message = fmt.Sprintf("%s does not sum to zero in %d of %d groups%s (largest |total| %s; tolerance %s)",
				b.c.Table, f, n, b.groupNote(), maxAbs, fmtTol(tol))
		}
		return o
	})
}

// expressionZero: G = SELECT groups, SUM(amount), COUNT(*) FROM t WHERE
// <the value's rows> GROUP BY groups; a group fails when its value is
// NULL or |value| > tolerance, and the check fails when no row holds the
// value at all.
func (b *builder) expressionZero() (*plan, error) {
	tn, err := table("a table", b.c.Table)
	if err != nil {
		return nil, err
	}
	if len(b.c.GroupBy) > 0 {
		if err := needCols("group_by", b.c.GroupBy); err != nil {
			return nil, err
		}
	}
	w, err := where("x", b.c.Where)
	if err != nil {
		return nil, err
	}
	a, err := amount("amount", "x", b.c.Amount, false)
	if err != nil {
		return nil, err
	}
	g := &d.Select{
		Columns: append(items("x", b.c.GroupBy), d.As(sum(a), aValue), d.As(count(), aRows)),
		From:    d.Table{Name: tn, Alias: "x"},
		Where:   w,
		GroupBy: cols("x", b.c.GroupBy),
	}
	tol := b.amountTol()
	v := d.C("g", aValue)
	bad := d.Or(&d.IsNull{X: v}, gt(abs(v), tolLit(tol)))
	totals := []d.SelectItem{d.As(sum(d.C("g", aRows)), aRows), d.As(d.F("MAX", abs(v)), aMaxAbs), d.As(d.F("MIN", v), aValue)}
	sc := keyCols(b.c.GroupBy, sampleCol{"value", colAmount}, sampleCol{"rows", colCount})
	filter := describeFilters(b.c.Where)
	return b.groupedAmounts(g, bad, totals, nil, sc, func(n, f int64, t []any) outcome {
		rows, _ := toInt(t[0])
		o := outcome{failing: f, fail: f > 0, expected: "0"}
		if rows == 0 {
			o.fail, o.noSamples, o.failing, o.actual = true, true, max(f, 1), "missing"
			o.message = fmt.Sprintf("no row of %s%s: the value to check is missing", b.c.Table, filter)
			return o
		}
		o.actual = numText(t[1])
		if len(b.c.GroupBy) == 0 {
			o.actual = numText(t[2])
		}
		switch {
		case f == 0 && len(b.c.GroupBy) == 0:
			o.message = fmt.Sprintf("%s%s is %s (tolerance %s)", b.c.Table, filter, o.actual, fmtTol(tol))
		case f == 0:
			o.message = fmt.Sprintf("%s%s is zero in all %d groups%s (tolerance %s)", b.c.Table, filter, n, b.groupNote(), fmtTol(tol))
		case len(b.c.GroupBy) == 0:
			o.message = fmt.Sprintf("%s%s is %s, not 0 (tolerance %s)", b.c.Table, filter, o.actual, fmtTol(tol))
		default:
			o.message = fmt.Sprintf("%s%s is not zero in %d of %d groups%s (largest |value| %s; tolerance %s)",
				b.c.Table, filter, f, n, b.groupNote(), o.actual, fmtTol(tol))
		}
		return o
	})
}

// describeFilters writes filters for messages: " where NODE_CODE = 'X'".
func describeFilters(fs []Filter) string {
	var parts []string
	for _, f := range fs {
		switch {
		case len(f.Values) == 0 && f.Not:
			parts = append(parts, f.Column+" IS NOT NULL")
		case len(f.Values) == 0:
			parts = append(parts, f.Column+" IS NULL")
		case len(f.Values) == 1 && !f.Not:
			parts = append(parts, f.Column+" = '"+f.Values[0]+"'")
		case len(f.Values) == 1:
			parts = append(parts, f.Column+" <> '"+f.Values[0]+"'")
		default:
			op := " IN ("
			if f.Not {
				op = " NOT IN ("
			}
			parts = append(parts, f.Column+op+"'"+strings.Join(f.Values, "', '")+"')")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " where " + strings.Join(parts, " AND ")
}
