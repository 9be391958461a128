package reconcile

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connector"
	d "github.com/databridge/databridge/pkg/dialect"
)

// Same engine: both tables are read once, in one statement, as a union of
// their keyed rows grouped by the key — the full outer join on the key,
// NULL-safe (GROUP BY puts NULL keys together), which also counts the
// rows each side holds per key (duplicates) and runs on engines without
// FULL JOIN (MySQL, MariaDB). Every comparison, count and the maximum
// difference are computed in the engine; only the summary and up to
// DetailCap differing keys per kind come back.

// compareExpr is a column of one side in the form it is compared in on
// one engine: the stored value when both sides have the same type,
// else the normalised number or text (text compared by code point).
func compareExpr(dl string, cp colPlan, t d.ColumnType, x d.Expr) (d.Expr, error) {
	c := cp.cmp
	switch {
	case t.Kind == d.NormBool && (c.Bool || c.Numeric):
		return &d.Case{Whens: []d.When{{Cond: x, Then: d.I(1)}, {Cond: &d.Unary{Op: "NOT", X: x}, Then: d.I(0)}}}, nil
	case c.Identity() || cp.lt == cp.rt && t.Kind == d.NormTimestamp:
		if t.Kind == d.NormText {
			return &d.ExactText{X: x}, nil
		}
		return x, nil
	case c.Numeric && cp.lt.Kind == d.NormFloat && cp.rt.Kind == d.NormFloat:
		// Floats on both sides of one engine: rounded as floats to the
		// stated precision (a cast to a wide decimal costs ten times more).
		return d.F("ROUND", x, d.I(int64(c.Scale))), nil
	case c.Numeric:
		return c.Number(t, x)
	}
	n, err := c.Normalise(dl, t, x)
	if err != nil {
		return nil, err
	}
	return &d.ExactText{X: n}, nil
}

// debugSQL, when set (DATABRIDGE_RECONCILE_SQL=prefix), writes the
// statements of a same-engine comparison to prefix.summary.sql and
// prefix.details.sql, to read or time them.
var debugSQL = os.Getenv("DATABRIDGE_RECONCILE_SQL")

func kname(i int) string { return "k" + strconv.Itoa(i) }
func lname(i int) string { return "l" + strconv.Itoa(i) }
func rname(i int) string { return "r" + strconv.Itoa(i) }
func vname(i int) string { return "v" + strconv.Itoa(i) }

// unionSide is one side's keyed rows: s (0 left, 1 right), k0…, v0….
func unionSide(dl string, sd *side, p *plan, s int) (*d.Select, error) {
	sel := &d.Select{Columns: []d.SelectItem{d.As(d.I(int64(s)), "s")}, From: d.Table{Name: sd.table}, Where: sd.where}
	pick := func(cp colPlan) (d.ColumnType, string) {
		if s == 0 {
			return cp.lt, cp.left
		}
		return cp.rt, cp.right
	}
	for i, k := range p.keys {
		t, n := pick(k)
		e, err := compareExpr(dl, k, t, d.C(n))
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", k.name, err)
		}
		sel.Columns = append(sel.Columns, d.As(e, kname(i)))
	}
	for i, v := range p.vals {
		t, n := pick(v)
		e, err := compareExpr(dl, v, t, d.C(n))
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", v.name, err)
		}
		sel.Columns = append(sel.Columns, d.As(e, vname(i)))
	}
	return sel, nil
}

func sumIf(cond d.Expr) d.Expr {
	return d.F("SUM", &d.Case{Whens: []d.When{{Cond: cond, Then: d.I(1)}}, Else: d.I(0)})
}

func cmpOp(op string, l, r d.Expr) d.Expr { return &d.Binary{Op: op, L: l, R: r} }

// joinConds are the conditions over the grouped rows (CTE g).
type joinConds struct {
	keyed, onlyL, onlyR, matched, changed d.Expr
	diff, nullMismatch                    []d.Expr
}

func conditions(p *plan) joinConds {
	var c joinConds
	var notNull []d.Expr
	for i := range p.keys {
		notNull = append(notNull, &d.IsNull{X: d.C(kname(i)), Not: true})
	}
	nl, nr := d.C("nl"), d.C("nr")
	c.keyed = d.And(notNull...)
	c.onlyL = d.And(c.keyed, cmpOp(">=", nl, d.I(1)), d.Eq(nr, d.I(0)))
	c.onlyR = d.And(c.keyed, d.Eq(nl, d.I(0)), cmpOp(">=", nr, d.I(1)))
	c.matched = d.And(c.keyed, d.Eq(nl, d.I(1)), d.Eq(nr, d.I(1)))
	var anyDiff []d.Expr
	for i, v := range p.vals {
		l, r := d.C(lname(i)), d.C(rname(i))
		var diff d.Expr = &d.Unary{Op: "NOT", X: &d.Paren{X: &d.Binary{Op: "IS NOT DISTINCT FROM", L: l, R: r}}}
		if v.tol != nil {
			bound := d.Expr(d.DecimalLit(v.tol.v.String()))
			if v.tol.rel {
				bound = &d.Binary{Op: "*", L: bound, R: d.F("GREATEST", d.F("ABS", l), d.F("ABS", r))}
			}
			within := d.And(&d.IsNull{X: l, Not: true}, &d.IsNull{X: r, Not: true},
				cmpOp("<=", d.F("ABS", &d.Binary{Op: "-", L: l, R: r}), bound))
			diff = d.And(diff, &d.Unary{Op: "NOT", X: &d.Paren{X: within}})
		}
		c.diff = append(c.diff, d.And(c.matched, &d.Paren{X: diff}))
		anyDiff = append(anyDiff, diff)
		c.nullMismatch = append(c.nullMismatch, d.And(c.matched, &d.Paren{X: d.Or(
			d.And(&d.IsNull{X: l}, &d.IsNull{X: r, Not: true}),
			d.And(&d.IsNull{X: l, Not: true}, &d.IsNull{X: r}))}))
	}
	if len(anyDiff) == 0 {
		c.changed = d.Eq(d.I(1), d.I(0))
	} else {
		c.changed = d.And(c.matched, &d.Paren{X: d.Or(anyDiff...)})
	}
	return c
}

func joinRows(ctx context.Context, l, r *side, p *plan, res *RowsResult) (RowDetails, error) {
	dl := l.dialect
	ls, err := unionSide(dl, l, p, 0)
	if err != nil {
		return RowDetails{}, err
	}
	rs, err := unionSide(dl, r, p, 1)
	if err != nil {
		return RowDetails{}, err
	}
	c := conditions(p)
	var pre keyCounts
	if err := keyStats(ctx, l, r, ls, rs, p, &pre, true, false); err != nil {
		return RowDetails{}, err
	}
	if lkeys, rkeys := p.keyNames(); !l.keyUnique(lkeys) || !r.keyUnique(rkeys) {
		// Optimistic: no grouping pass for duplicate keys; the join itself
		// proves there are none (see joinFetchChecked), else the exact
		// path below runs, after the grouping pass.
		det, ok, err := joinFetchChecked(ctx, l, p, joinedWith(dl, ls, rs, p), c, pre, res)
		if err != nil || ok {
			return det, err
		}
		if err := keyStats(ctx, l, r, ls, rs, p, &pre, false, true); err != nil {
			return RowDetails{}, err
		}
	}
	var with []d.CTE
	if pre.dupL+pre.dupR > 0 {
		with = groupedWith(ls, rs, p)
	} else {
		with = joinedWith(dl, ls, rs, p)
		// One pass: the keys on one side only and the matched keys whose
		// values are not identical come back — when they are few, they
		// are compared here with the tolerances and nothing else is read.
		det, ok, err := joinFetch(ctx, l, p, with, c, pre, res)
		if err != nil || ok {
			return det, err
		}
	}
	nl, nr := d.C("nl"), d.C("nr")
	nullKey := &d.Unary{Op: "NOT", X: &d.Paren{X: c.keyed}}
	summary := &d.Select{With: with, From: d.Table{Name: d.N("g")}, Columns: []d.SelectItem{
		d.As(d.F("SUM", nl), "left_rows"),
		d.As(d.F("SUM", nr), "right_rows"),
		d.As(d.F("SUM", &d.Case{Whens: []d.When{{Cond: nullKey, Then: nl}}, Else: d.I(0)}), "null_l"),
		d.As(d.F("SUM", &d.Case{Whens: []d.When{{Cond: nullKey, Then: nr}}, Else: d.I(0)}), "null_r"),
		d.As(sumIf(c.matched), "matched"),
		d.As(sumIf(c.onlyL), "only_l"),
		d.As(sumIf(c.onlyR), "only_r"),
		d.As(sumIf(d.And(c.keyed, cmpOp(">", nl, d.I(1)))), "dup_l"),
		d.As(sumIf(d.And(c.keyed, cmpOp(">", nr, d.I(1)))), "dup_r"),
		d.As(sumIf(c.changed), "changed"),
	}}
	for i, v := range p.vals {
		summary.Columns = append(summary.Columns, d.As(sumIf(c.diff[i]), "u"+strconv.Itoa(i)), d.As(sumIf(c.nullMismatch[i]), "n"+strconv.Itoa(i)))
		if v.cmp.Numeric {
			summary.Columns = append(summary.Columns, d.As(d.F("MAX", &d.Case{Whens: []d.When{{Cond: c.matched,
				Then: d.F("ABS", &d.Binary{Op: "-", L: d.C(lname(i)), R: d.C(rname(i))})}}}), "m"+strconv.Itoa(i)))
		}
	}
	sql, err := d.Render(dl, &d.QueryStmt{Query: summary})
	if err != nil {
		return RowDetails{}, err
	}
	if debugSQL != "" {
		os.WriteFile(debugSQL+".summary.sql", []byte(sql), 0o644)
	}
	out, err := l.c.Query(ctx, sql, longQuery)
	if err != nil {
		return RowDetails{}, fmt.Errorf("comparing %s with %s: %w", l.ref, r.ref, err)
	}
	row := out.Rows[0]
	col := func(name string) any {
		for i, c := range out.Columns {
			if c.Name == name {
				return row[i]
			}
		}
		return nil
	}
	res.Summary = RowsSummary{
		LeftRows: rowCount(col("left_rows")), RightRows: rowCount(col("right_rows")),
		Matched: rowCount(col("matched")), OnlyLeft: rowCount(col("only_l")), OnlyRight: rowCount(col("only_r")),
		Changed: rowCount(col("changed")), DuplicateKeysLeft: rowCount(col("dup_l")), DuplicateKeysRight: rowCount(col("dup_r")),
		NullKeysLeft: rowCount(col("null_l")), NullKeysRight: rowCount(col("null_r")),
	}
	// The row counts, NULL and duplicate keys come from the first pass
	// (the joined form only holds keyed rows, once each).
	res.Summary.LeftRows, res.Summary.RightRows = pre.rowsL, pre.rowsR
	res.Summary.NullKeysLeft, res.Summary.NullKeysRight = pre.nullL, pre.nullR
	res.Summary.DuplicateKeysLeft, res.Summary.DuplicateKeysRight = pre.dupL, pre.dupR
	res.Columns = []ColumnDiff{}
	for i, v := range p.vals {
		cd := ColumnDiff{Name: v.name, Compared: v.describe(), Tolerance: v.tol.String(),
			Unequal: rowCount(col("u" + strconv.Itoa(i))), NullMismatches: rowCount(col("n" + strconv.Itoa(i)))}
		if v.cmp.Numeric {
			if m := col("m" + strconv.Itoa(i)); m != nil {
				if dec, ok := decimalOf(m); ok {
					cd.MaxAbsDiff = fixed(dec, v.cmp.Scale)
				}
			} else if res.Summary.Matched > 0 {
				cd.MaxAbsDiff = fixed(decimal.Zero, v.cmp.Scale)
			}
		}
		res.Columns = append(res.Columns, cd)
	}
	sm := res.Summary
	if sm.OnlyLeft+sm.OnlyRight+sm.Changed == 0 {
		return emptyDetails(), nil
	}
	return joinDetails(ctx, l, p, with, c, res)
}

func joinDetails(ctx context.Context, l *side, p *plan, with []d.CTE, c joinConds, res *RowsResult) (RowDetails, error) {
	cat := &d.Case{Whens: []d.When{{Cond: c.onlyL, Then: d.S("L")}, {Cond: c.onlyR, Then: d.S("R")}}, Else: d.S("C")}
	inner := &d.Select{From: d.Table{Name: d.N("g")}, Where: d.Or(c.onlyL, c.onlyR, c.changed)}
	inner.Columns = append(inner.Columns, d.As(cat, "cat"))
	var order []d.Order
	for i := range p.keys {
		inner.Columns = append(inner.Columns, d.As(d.C(kname(i)), kname(i)))
		order = append(order, d.Order{Expr: d.C(kname(i))})
	}
	for i := range p.vals {
		inner.Columns = append(inner.Columns, d.As(d.C(lname(i)), lname(i)), d.As(d.C(rname(i)), rname(i)),
			d.As(&d.Case{Whens: []d.When{{Cond: c.diff[i], Then: d.I(1)}}, Else: d.I(0)}, "d"+strconv.Itoa(i)))
	}
	inner.Columns = append(inner.Columns, d.As(&d.Over{Func: d.F("ROW_NUMBER"), PartitionBy: []d.Expr{cat}, OrderBy: order}, "rn"))
	outer := &d.Select{With: with, Columns: []d.SelectItem{{Expr: d.Star{}}}, From: d.Subquery{Query: inner, Alias: "x"},
		Where: cmpOp("<=", d.C("rn"), d.I(DetailCap)), OrderBy: []d.Order{{Expr: d.C("cat")}, {Expr: d.C("rn")}}}
	sql, err := d.Render(l.dialect, &d.QueryStmt{Query: outer})
	if err != nil {
		return RowDetails{}, err
	}
	if debugSQL != "" {
		os.WriteFile(debugSQL+".details.sql", []byte(sql), 0o644)
	}
	out, err := l.c.Query(ctx, sql, longQuery)
	if err != nil {
		return RowDetails{}, fmt.Errorf("reading the differences of %s and %s: %w", l.ref, res.Right, err)
	}
	det := emptyDetails()
	idx := map[string]int{}
	for i, c := range out.Columns {
		idx[c.Name] = i
	}
	for _, row := range out.Rows {
		key := map[string]any{}
		for i, k := range p.keys {
			key[k.name] = rowCell(row[idx[kname(i)]])
		}
		switch rowCell(row[idx["cat"]]) {
		case "L", "R":
			which := lname
			if rowCell(row[idx["cat"]]) == "R" {
				which = rname
			}
			vals := map[string]any{}
			for i, v := range p.vals {
				vals[v.name] = rowCell(row[idx[which(i)]])
			}
			if which(0) == lname(0) {
				det.OnlyLeft = append(det.OnlyLeft, KeyedRow{Key: key, Values: vals})
			} else {
				det.OnlyRight = append(det.OnlyRight, KeyedRow{Key: key, Values: vals})
			}
		default:
			ch := ChangedRow{Key: key, Columns: []ValuePair{}}
			for i, v := range p.vals {
				if rowCount(row[idx["d"+strconv.Itoa(i)]]) == 1 {
					ch.Columns = append(ch.Columns, ValuePair{Name: v.name, Left: rowCell(row[idx[lname(i)]]), Right: rowCell(row[idx[rname(i)]])})
				}
			}
			det.Changed = append(det.Changed, ch)
		}
	}
	sm := res.Summary
	det.Truncated = int64(len(det.OnlyLeft)) < sm.OnlyLeft || int64(len(det.OnlyRight)) < sm.OnlyRight || int64(len(det.Changed)) < sm.Changed
	return det, nil
}

func emptyDetails() RowDetails {
	return RowDetails{OnlyLeft: []KeyedRow{}, OnlyRight: []KeyedRow{}, Changed: []ChangedRow{}}
}

// keyCounts are what the first pass over both sides counts.
type keyCounts struct {
	rowsL, rowsR, nullL, nullR, dupL, dupR int64
}

// keyStats counts, in one statement, each side's rows and rows with a
// NULL key (counts), and each side's duplicated keys (dups: a grouped
// read of the keys alone, cheap beside the comparison; a side whose
// engine guarantees the key unique, a declared and enforced key, is not
// grouped), into kc.
func keyStats(ctx context.Context, l, r *side, ls, rs *d.Select, p *plan, kc *keyCounts, counts, dups bool) error {
	var keys []d.Expr
	var notNull []d.Expr
	for i := range p.keys {
		keys = append(keys, d.C(kname(i)))
		notNull = append(notNull, &d.IsNull{X: d.C(kname(i)), Not: true})
	}
	keyed := d.And(notNull...)
	countOf := func(sd *d.Select, s int64) *d.Select {
		return &d.Select{From: d.Subquery{Query: sd, Alias: "x"}, Columns: []d.SelectItem{
			d.As(d.I(s), "s"), d.As(d.F("COUNT"), "n"), d.As(sumIf(&d.Unary{Op: "NOT", X: &d.Paren{X: keyed}}), "nk")}}
	}
	dupsOf := func(sd *d.Select, s int64) *d.Select {
		inner := &d.Select{From: d.Subquery{Query: sd, Alias: "x"}, Where: keyed, GroupBy: keys,
			Columns: []d.SelectItem{d.As(d.I(1), "one")}, Having: cmpOp(">", d.F("COUNT"), d.I(1))}
		return &d.Select{From: d.Subquery{Query: inner, Alias: "y"}, Columns: []d.SelectItem{d.As(d.I(s), "s"), d.As(d.F("COUNT"), "n"), d.As(d.I(0), "nk")}}
	}
	lkeys, rkeys := p.keyNames()
	q := &d.UnionAll{}
	if counts {
		q.Queries = append(q.Queries, countOf(ls, 0), countOf(rs, 1))
	}
	if dups && !l.keyUnique(lkeys) {
		q.Queries = append(q.Queries, dupsOf(ls, 2))
	}
	if dups && !r.keyUnique(rkeys) {
		q.Queries = append(q.Queries, dupsOf(rs, 3))
	}
	if len(q.Queries) == 0 {
		return nil
	}
	sql, err := d.Render(l.dialect, &d.QueryStmt{Query: q})
	if err != nil {
		return err
	}
	out, err := l.c.Query(ctx, sql, longQuery)
	if err != nil {
		return fmt.Errorf("counting the keys of %s: %w", l.ref, err)
	}
	for _, row := range out.Rows {
		n, nk := rowCount(row[1]), rowCount(row[2])
		switch rowCount(row[0]) {
		case 0:
			kc.rowsL, kc.nullL = n, nk
		case 1:
			kc.rowsR, kc.nullR = n, nk
		case 2:
			kc.dupL = n
		case 3:
			kc.dupR = n
		}
	}
	return nil
}

// groupedWith is the comparison as one grouped union of both sides (g:
// one row per key with its row count on each side): correct with
// duplicate keys, which a join would multiply.
func groupedWith(ls, rs *d.Select, p *plan) []d.CTE {
	s := d.C("s")
	g := &d.Select{From: d.Table{Name: d.N("u")}}
	for i := range p.keys {
		g.Columns = append(g.Columns, d.As(d.C(kname(i)), kname(i)))
		g.GroupBy = append(g.GroupBy, d.C(kname(i)))
	}
	g.Columns = append(g.Columns, d.As(sumIf(d.Eq(s, d.I(0))), "nl"), d.As(sumIf(d.Eq(s, d.I(1))), "nr"))
	for i := range p.vals {
		v := d.C(vname(i))
		g.Columns = append(g.Columns,
			d.As(d.F("MAX", &d.Case{Whens: []d.When{{Cond: d.Eq(s, d.I(0)), Then: v}}}), lname(i)),
			d.As(d.F("MAX", &d.Case{Whens: []d.When{{Cond: d.Eq(s, d.I(1)), Then: v}}}), rname(i)))
	}
	return []d.CTE{{Name: "u", Query: &d.UnionAll{Queries: []d.Query{ls, rs}}}, {Name: "g", Query: g}}
}

// joinedWith is the comparison as the full outer join of the two sides on
// the key when no key is duplicated (g: one row per key, nl and nr 0 or
// 1): FULL JOIN where the engine has it; elsewhere (MySQL, MariaDB) the
// left join of left to right and the right rows without a left partner
// (NOT EXISTS), which reads the sides twice. NULL keys are left out
// (counted first).
func joinedWith(dl string, ls, rs *d.Select, p *plan) []d.CTE {
	var on, notNullL, notNullR []d.Expr
	for i := range p.keys {
		on = append(on, d.Eq(d.C("a", kname(i)), d.C("b", kname(i))))
		notNullL = append(notNullL, &d.IsNull{X: d.C(kname(i)), Not: true})
		notNullR = append(notNullR, &d.IsNull{X: d.C(kname(i)), Not: true})
	}
	lk := &d.Select{From: d.Subquery{Query: ls, Alias: "x"}, Columns: []d.SelectItem{{Expr: d.Star{}}}, Where: d.And(notNullL...)}
	rk := &d.Select{From: d.Subquery{Query: rs, Alias: "x"}, Columns: []d.SelectItem{{Expr: d.Star{}}}, Where: d.And(notNullR...)}
	if d.Capabilities(dl).FullJoin {
		full := &d.Select{From: d.Table{Name: d.N("lk"), Alias: "a"},
			Joins: []d.Join{{Kind: d.FullJoin, From: d.Table{Name: d.N("rk"), Alias: "b"}, On: d.And(on...)}}}
		for i := range p.keys {
			full.Columns = append(full.Columns, d.As(d.F("COALESCE", d.C("a", kname(i)), d.C("b", kname(i))), kname(i)))
		}
		full.Columns = append(full.Columns,
			d.As(&d.Case{Whens: []d.When{{Cond: &d.IsNull{X: d.C("a", kname(0))}, Then: d.I(0)}}, Else: d.I(1)}, "nl"),
			d.As(&d.Case{Whens: []d.When{{Cond: &d.IsNull{X: d.C("b", kname(0))}, Then: d.I(0)}}, Else: d.I(1)}, "nr"))
		for i := range p.vals {
			full.Columns = append(full.Columns, d.As(d.C("a", vname(i)), lname(i)), d.As(d.C("b", vname(i)), rname(i)))
		}
		return []d.CTE{{Name: "lk", Query: lk}, {Name: "rk", Query: rk}, {Name: "g", Query: full}}
	}
	left := &d.Select{From: d.Table{Name: d.N("lk"), Alias: "a"},
		Joins: []d.Join{{Kind: d.LeftJoin, From: d.Table{Name: d.N("rk"), Alias: "b"}, On: d.And(on...)}}}
	right := &d.Select{From: d.Table{Name: d.N("rk"), Alias: "b"},
		Where: &d.Exists{Not: true, Query: &d.Select{From: d.Table{Name: d.N("lk"), Alias: "a"}, Columns: []d.SelectItem{d.As(d.I(1), "one")}, Where: d.And(on...)}}}
	for i := range p.keys {
		left.Columns = append(left.Columns, d.As(d.C("a", kname(i)), kname(i)))
		right.Columns = append(right.Columns, d.As(d.C("b", kname(i)), kname(i)))
	}
	left.Columns = append(left.Columns, d.As(d.I(1), "nl"),
		d.As(&d.Case{Whens: []d.When{{Cond: &d.IsNull{X: d.C("b", kname(0))}, Then: d.I(0)}}, Else: d.I(1)}, "nr"))
	right.Columns = append(right.Columns, d.As(d.I(0), "nl"), d.As(d.I(1), "nr"))
	for i := range p.vals {
		left.Columns = append(left.Columns, d.As(d.C("a", vname(i)), lname(i)), d.As(d.C("b", vname(i)), rname(i)))
		right.Columns = append(right.Columns, d.As(d.Null, lname(i)), d.As(d.C("b", vname(i)), rname(i)))
	}
	return []d.CTE{{Name: "lk", Query: lk}, {Name: "rk", Query: rk}, {Name: "g", Query: &d.UnionAll{Queries: []d.Query{left, right}}}}
}

// differing is the condition of a joined row that leaves the engine: a
// key on one side only, or a matched key whose values are not identical
// (the tolerances are applied in Go).
func differing(p *plan, c joinConds) d.Expr {
	var distinct []d.Expr
	for i := range p.vals {
		distinct = append(distinct, &d.Unary{Op: "NOT", X: &d.Paren{X: &d.Binary{Op: "IS NOT DISTINCT FROM", L: d.C(lname(i)), R: d.C(rname(i))}}})
	}
	cond := d.Or(c.onlyL, c.onlyR)
	if len(distinct) > 0 {
		cond = d.Or(cond, d.And(c.matched, &d.Paren{X: d.Or(distinct...)}))
	}
	return cond
}

// joinFetch reads the differing rows of the joined form (at most
// FetchRows) and compares them in Go; ok is false when there are more.
func joinFetch(ctx context.Context, l *side, p *plan, with []d.CTE, c joinConds, pre keyCounts, res *RowsResult) (RowDetails, bool, error) {
	cond := differing(p, c)
	q := &d.Select{With: with, From: d.Table{Name: d.N("g")}, Columns: []d.SelectItem{{Expr: d.Star{}}}, Where: cond, Limit: FetchRows + 1}
	sql, err := d.Render(l.dialect, &d.QueryStmt{Query: q})
	if err != nil {
		return RowDetails{}, false, err
	}
	if debugSQL != "" {
		os.WriteFile(debugSQL+".fetch.sql", []byte(sql), 0o644)
	}
	out, err := l.c.Query(ctx, sql, longQuery)
	if err != nil {
		return RowDetails{}, false, fmt.Errorf("comparing %s with %s: %w", l.ref, res.Right, err)
	}
	if len(out.Rows) > FetchRows {
		return RowDetails{}, false, nil
	}
	det := fetchedDetails(p, out, pre, res)
	return det, true, nil
}

// joinFetchChecked is joinFetch when the sides' keys may be duplicated
// and no pass has counted them: one grouped read of the join returns the
// differing rows (grouped by key) and, for all the others, one row with
// how many left and right rows they hold. No key is duplicated exactly
// when (a) every differing key holds one joined row and (b) the joined
// rows hold each keyed left and right row once: a key with l rows on the
// left and r on the right joins into l·max(r,1) rows with a left side and
// r·max(l,1) with a right side, which sum to the keyed row counts only
// when no key present on both sides repeats, and a key on one side only
// that repeats is a differing key with more than one row. ok is false
// (nothing decided) when a key repeats or more than FetchRows rows
// differ: the exact path (a grouping pass first) runs then.
func joinFetchChecked(ctx context.Context, l *side, p *plan, with []d.CTE, c joinConds, pre keyCounts, res *RowsResult) (RowDetails, bool, error) {
	cond := differing(p, c)
	// The condition is evaluated once per row (flag), then read by the
	// projections that keep only the differing rows' keys and values.
	flag := &d.Select{From: d.Table{Name: d.N("g")}, Columns: []d.SelectItem{{Expr: d.Star{}},
		d.As(&d.Case{Whens: []d.When{{Cond: cond, Then: d.I(1)}}, Else: d.I(0)}, "dif")}}
	when := func(x d.Expr) d.Expr { return &d.Case{Whens: []d.When{{Cond: d.Eq(d.C("dif"), d.I(1)), Then: x}}} }
	inner := &d.Select{From: d.Subquery{Query: flag, Alias: "f"}, Columns: []d.SelectItem{
		d.As(d.C("dif"), "dif"), d.As(d.C("nl"), "nl"), d.As(d.C("nr"), "nr")}}
	outer := &d.Select{With: with, From: d.Subquery{Query: inner, Alias: "x"}, Columns: []d.SelectItem{d.As(d.C("dif"), "dif")},
		GroupBy: []d.Expr{d.C("dif")}, Limit: FetchRows + 2}
	for i := range p.keys {
		inner.Columns = append(inner.Columns, d.As(when(d.C(kname(i))), kname(i)))
		outer.Columns = append(outer.Columns, d.As(d.C(kname(i)), kname(i)))
		outer.GroupBy = append(outer.GroupBy, d.C(kname(i)))
	}
	outer.Columns = append(outer.Columns, d.As(d.F("SUM", d.C("nl")), "nl"), d.As(d.F("SUM", d.C("nr")), "nr"), d.As(d.F("COUNT"), "n"))
	for i := range p.vals {
		inner.Columns = append(inner.Columns, d.As(when(d.C(lname(i))), lname(i)), d.As(when(d.C(rname(i))), rname(i)))
		outer.Columns = append(outer.Columns, d.As(d.F("MAX", d.C(lname(i))), lname(i)), d.As(d.F("MAX", d.C(rname(i))), rname(i)))
	}
	sql, err := d.Render(l.dialect, &d.QueryStmt{Query: outer})
	if err != nil {
		return RowDetails{}, false, err
	}
	if debugSQL != "" {
		os.WriteFile(debugSQL+".fetch-checked.sql", []byte(sql), 0o644)
	}
	out, err := l.c.Query(ctx, sql, longQuery)
	if err != nil {
		return RowDetails{}, false, fmt.Errorf("comparing %s with %s: %w", l.ref, res.Right, err)
	}
	if len(out.Rows) > FetchRows+1 {
		return RowDetails{}, false, nil
	}
	idx := map[string]int{}
	for i, col := range out.Columns {
		idx[col.Name] = i
	}
	var sumL, sumR int64
	diffs := &connector.Result{Columns: out.Columns}
	for _, row := range out.Rows {
		sumL += rowCount(row[idx["nl"]])
		sumR += rowCount(row[idx["nr"]])
		if rowCount(row[idx["dif"]]) == 1 {
			if rowCount(row[idx["n"]]) != 1 {
				return RowDetails{}, false, nil // a repeated key on one side
			}
			diffs.Rows = append(diffs.Rows, row)
		}
	}
	if sumL != pre.rowsL-pre.nullL || sumR != pre.rowsR-pre.nullR {
		return RowDetails{}, false, nil // a repeated key on both sides
	}
	return fetchedDetails(p, diffs, pre, res), true, nil
}

// fetchedDetails compares the fetched differing rows of the joined form
// (no duplicate keys) and fills res.
func fetchedDetails(p *plan, out *connector.Result, pre keyCounts, res *RowsResult) RowDetails {
	idx := map[string]int{}
	for i, col := range out.Columns {
		idx[col.Name] = i
	}
	lrows, rrows := map[string][]fetched{}, map[string][]fetched{}
	for _, row := range out.Rows {
		key := make([]any, len(p.keys))
		for i := range p.keys {
			key[i] = rowCell(row[idx[kname(i)]])
		}
		id := keyString(key)
		lv, rv := make([]any, len(p.vals)), make([]any, len(p.vals))
		for i := range p.vals {
			lv[i], rv[i] = rowCell(row[idx[lname(i)]]), rowCell(row[idx[rname(i)]])
		}
		if rowCount(row[idx["nl"]]) == 1 {
			lrows[id] = []fetched{{key: key, vals: lv}}
		}
		if rowCount(row[idx["nr"]]) == 1 {
			rrows[id] = []fetched{{key: key, vals: rv}}
		}
	}
	res.Summary = RowsSummary{LeftRows: pre.rowsL, RightRows: pre.rowsR, NullKeysLeft: pre.nullL, NullKeysRight: pre.nullR}
	det := emptyDetails()
	unequal := make([]int64, len(p.vals))
	nullMM := make([]int64, len(p.vals))
	maxDiff := make([]*decimal.Decimal, len(p.vals))
	diffRows(p, lrows, rrows, res, &det, unequal, nullMM, maxDiff)
	// Every keyed left row without a right partner was fetched.
	res.Summary.Matched = pre.rowsL - pre.nullL - res.Summary.OnlyLeft
	res.Columns = []ColumnDiff{}
	for i, v := range p.vals {
		cd := ColumnDiff{Name: v.name, Compared: v.describe(), Tolerance: v.tol.String(), Unequal: unequal[i], NullMismatches: nullMM[i]}
		if v.cmp.Numeric && res.Summary.Matched > 0 {
			m := decimal.Zero
			if maxDiff[i] != nil {
				m = *maxDiff[i]
			}
			cd.MaxAbsDiff = fixed(m, v.cmp.Scale)
		}
		res.Columns = append(res.Columns, cd)
	}
	sortDetails(&det)
	return det
}
