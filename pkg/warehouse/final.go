package warehouse

import (
	"fmt"
	"strconv"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
)

// Values in DT_3 are DECIMAL(38, 10): rollups exactly, formula lines to
// ten places. A formula of sums and differences only (the P&L's gross
// profit, operating and net income) runs in DECIMAL too, so money stays
// exact; a formula with products, ratios or functions runs in DOUBLE
// PRECISION, which keeps nested products and ratios within every engine's
// decimal scale limits, and is rounded to ten places.
var (
	valueType = d.Decimal(38, 10)
	mathType  = d.Double
)

// nullSafeEq is a = b treating two NULLs as equal (group keys may be
// NULL): IS NOT DISTINCT FROM, which engines can still hash-join on (an
// "a = b OR both NULL" condition turns the final join into a nested loop).
func nullSafeEq(a, b d.Expr) d.Expr {
	return &d.Binary{Op: "IS NOT DISTINCT FROM", L: a, R: b}
}

// pivotCol names the pivot column of a node's value (by tree order, so
// codes that differ only in case or contain odd characters stay apart).
func (p *pipeline) pivotCol(code string, vi int) string {
	return "N" + strconv.Itoa(p.ord[code]) + "_V" + strconv.Itoa(vi+1)
}

// formulaSQL translates a parsed formula into SQL over pivot columns of
// alias, for value column vi (hierarchy.FormulaSQL, shared with the
// semantic layer's formula metrics).
func (p *pipeline) formulaSQL(e *hierarchy.Expr, nulls hierarchy.NullHandling, alias string, vi int) (d.Expr, error) {
	return hierarchy.FormulaSQL{Nulls: nulls, Exact: valueType, Math: mathType, Ref: func(code string) (d.Expr, error) {
		if _, ok := p.ord[code]; !ok {
			return nil, fmt.Errorf("formula references unknown node %s", code)
		}
		return d.C(alias, p.pivotCol(code, vi)), nil
	}}.Translate(e)
}

func (p *pipeline) dt3Query() (d.Query, error) {
	gs := p.b.GroupBy
	vs := p.b.Values
	var ctes []d.CTE

	// grp: every group present in the source (mapped or not).
	if len(gs) > 0 {
		var items []d.SelectItem
		for _, g := range gs {
			items = append(items, d.SelectItem{Expr: d.C("a", g)})
		}
		ctes = append(ctes, d.CTE{Name: "grp", Query: &d.Select{Distinct: true, Columns: items, From: d.Table{Name: p.dt3a(), Alias: "a"}}})
	}

	// lines: every leaf and rollup value, one aggregation per level: the
	// leaf's value times its sign towards its ancestor at that level.
	var levels []d.Query
	for k := 1; k <= p.maxD; k++ {
		items := []d.SelectItem{d.As(d.C("n", levelCol(k)), colNodeCode)}
		group := []d.Expr{d.C("n", levelCol(k))}
		for _, g := range gs {
			items = append(items, d.SelectItem{Expr: d.C("a", g)})
			group = append(group, d.C("a", g))
		}
		for _, v := range vs {
			// One value type for rollups and formula lines alike, so the
			// UNION ALL below cannot narrow either (DECIMAL(38,10) holds
			// any amount exactly and any ratio to ten places).
			items = append(items, d.As(&d.Cast{X: d.F("SUM", &d.Binary{Op: "*", L: d.C("a", v), R: d.C("n", signCol(k))}), Type: valueType}, v))
		}
		levels = append(levels, &d.Select{
			Columns: items,
			From:    d.Table{Name: p.dt3a(), Alias: "a"},
			Joins:   []d.Join{{Kind: d.InnerJoin, From: d.Table{Name: p.tbl0(), Alias: "n"}, On: d.Eq(d.C("n", colNodeCode), d.C("a", colLeafCode))}},
			Where:   &d.IsNull{X: d.C("n", signCol(k)), Not: true},
			GroupBy: group,
		})
	}
	var linesQ d.Query = levels[0]
	if len(levels) > 1 {
		linesQ = &d.UnionAll{Queries: levels}
	}
	ctes = append(ctes, d.CTE{Name: "lines", Query: linesQ})

	// Formulas: pivot the referenced values per group, then one CTE per
	// formula in dependency order, then back to rows.
	order, err := hierarchy.FormulaOrder(p.h)
	if err != nil {
		return nil, err
	}
	valsFrom := "lines"
	if len(order) > 0 {
		refs := map[string]bool{}
		parsed := map[string]*hierarchy.Expr{}
		for _, code := range order {
			n := p.h.Node(code)
			e, err := hierarchy.ParseFormula(n.Formula.Expression)
			if err != nil {
				return nil, fmt.Errorf("node %s: %w", code, err)
			}
			parsed[code] = e
			for _, r := range e.Refs() {
				if t := p.h.Node(r); t != nil && t.Type != hierarchy.TypeFormula {
					refs[r] = true
				}
			}
		}
		var items []d.SelectItem
		for _, g := range gs {
			items = append(items, d.SelectItem{Expr: d.C("g", g)})
		}
		for _, n := range p.nodes {
			if !refs[n.Code] {
				continue
			}
			for vi, v := range vs {
				items = append(items, d.As(d.F("MAX", &d.Case{Whens: []d.When{{Cond: d.Eq(d.C("l", colNodeCode), d.S(n.Code)), Then: d.C("l", v)}}}), p.pivotCol(n.Code, vi)))
			}
		}
		if len(items) == len(gs) { // formulas over constants or labels only
			items = append(items, d.As(d.I(0), "NO_REFERENCES"))
		}
		pivot := &d.Select{Columns: items}
		if len(gs) > 0 {
			var on []d.Expr
			var group []d.Expr
			for _, g := range gs {
				on = append(on, nullSafeEq(d.C("l", g), d.C("g", g)))
				group = append(group, d.C("g", g))
			}
			pivot.From = d.Table{Name: d.N("grp"), Alias: "g"}
			pivot.Joins = []d.Join{{Kind: d.LeftJoin, From: d.Table{Name: d.N("lines"), Alias: "l"}, On: d.And(on...)}}
			pivot.GroupBy = group
		} else {
			pivot.From = d.Table{Name: d.N("lines"), Alias: "l"}
		}
		ctes = append(ctes, d.CTE{Name: "f0", Query: pivot})
		prev := "f0"
		for i, code := range order {
			n := p.h.Node(code)
			items := []d.SelectItem{{Expr: d.Star{Table: "f"}}}
			for vi := range vs {
				x, err := p.formulaSQL(parsed[code], n.Formula.Nulls, "f", vi)
				if err != nil {
					return nil, fmt.Errorf("node %s: %w", code, err)
				}
				items = append(items, d.As(x, p.pivotCol(code, vi)))
			}
			name := "f" + strconv.Itoa(i+1)
			ctes = append(ctes, d.CTE{Name: name, Query: &d.Select{Columns: items, From: d.Table{Name: d.N(prev), Alias: "f"}}})
			prev = name
		}
		var fl []d.Query
		for _, code := range order {
			items := []d.SelectItem{d.As(d.S(code), colNodeCode)}
			for _, g := range gs {
				items = append(items, d.SelectItem{Expr: d.C("f", g)})
			}
			for vi, v := range vs {
				items = append(items, d.As(&d.Cast{X: d.C("f", p.pivotCol(code, vi)), Type: valueType}, v))
			}
			fl = append(fl, &d.Select{Columns: items, From: d.Table{Name: d.N(prev), Alias: "f"}})
		}
		all := append([]d.Query{&d.Select{Columns: []d.SelectItem{{Expr: d.Star{}}}, From: d.Table{Name: d.N("lines")}}}, fl...)
		ctes = append(ctes, d.CTE{Name: "vals", Query: &d.UnionAll{Queries: all}})
		valsFrom = "vals"
	}

	// The statement: every node for every group, in tree order.
	items := []d.SelectItem{{Expr: d.C("n", colNodeCode)}, {Expr: d.C("n", colNodeName)}, {Expr: d.C("n", colNodeType)},
		{Expr: d.C("n", colParentCode)}, {Expr: d.C("n", colNodeLevel)}, {Expr: d.C("n", colSortOrder)}, {Expr: d.C("n", colFlipSign)}}
	for _, g := range gs {
		items = append(items, d.SelectItem{Expr: d.C("g", g)})
	}
	for _, v := range vs {
		items = append(items, d.SelectItem{Expr: d.C("x", v)})
	}
	for _, v := range vs {
		items = append(items, d.As(&d.Case{Whens: []d.When{{Cond: d.Eq(d.C("n", colFlipSign), d.I(1)), Then: &d.Unary{Op: "-", X: d.C("x", v)}}}, Else: d.C("x", v)}, v+PresentationSuffix))
	}
	q := &d.Select{With: ctes, Columns: items, From: d.Table{Name: p.tbl0(), Alias: "n"}}
	on := []d.Expr{d.Eq(d.C("x", colNodeCode), d.C("n", colNodeCode))}
	if len(gs) > 0 {
		q.Joins = append(q.Joins, d.Join{Kind: d.CrossJoin, From: d.Table{Name: d.N("grp"), Alias: "g"}})
		for _, g := range gs {
			on = append(on, nullSafeEq(d.C("x", g), d.C("g", g)))
		}
	}
	q.Joins = append(q.Joins, d.Join{Kind: d.LeftJoin, From: d.Table{Name: d.N(valsFrom), Alias: "x"}, On: d.And(on...)})
	return q, nil
}

func (p *pipeline) dt3Object() (*Object, []d.Stmt, error) {
	q, err := p.dt3Query()
	if err != nil {
		return nil, nil, err
	}
	lag := p.sf.TargetLag
	if lag == "" {
		lag = "1 hour"
	}
	kind, ddl := p.derived(p.dt3(), q, lag, fmt.Sprintf("databridge: the %s statement (%s) from %s: every node and group, natural and presentation signs", p.h.ID, p.h.Name, p.b.Source))
	names := []string{colNodeCode, colNodeName, colNodeType, colParentCode, colNodeLevel, colSortOrder, colFlipSign}
	names = append(names, p.b.GroupBy...)
	names = append(names, p.b.Values...)
	for _, v := range p.b.Values {
		names = append(names, v+PresentationSuffix)
	}
	o := &Object{Name: p.plain(p.dt3), Schema: p.schema, Kind: kind, Role: RoleFinal, Hierarchy: p.h.ID,
		DependsOn: []string{p.plain(p.dt3a), p.plain(p.tbl0)}, File: FileDynamicTables, Columns: names}
	return o, ddl, nil
}
