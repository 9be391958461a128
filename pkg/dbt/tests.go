package dbt

import (
	"fmt"
	"strings"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/warehouse"
)

// Singular test names per hierarchy stem.
func unmappedTest(stem string) string     { return "assert_" + stem + "__every_code_mapped" }
func doubleMappedTest(stem string) string { return "assert_" + stem + "__no_code_double_mapped" }
func tiesOutTest(stem string) string      { return "assert_" + stem + "__ties_out" }

// singularTests writes, per binding, the tests that every source code
// maps to a leaf, that no code is taken by two leaves in the same
// precedence group, and that the statement's leaves plus the unmapped
// rows add up to the source.
func (g *gen) singularTests(specs []*warehouse.Spec) error {
	for _, s := range specs {
		if s.Object.Role != warehouse.RoleJoined {
			continue
		}
		b := s.Binding
		h := g.in.Hierarchies[b.Hierarchy]
		stem := b.Name
		if stem == "" {
			stem = warehouse.Stem(b.Hierarchy)
		}
		stem = ident(stem)
		dt2 := g.models[strings.ToUpper(s.Object.Name)]
		var dt3, dt3a string
		for _, x := range specs {
			if x.Binding != nil && x.Binding.Hierarchy == b.Hierarchy && x.Binding.Name == b.Name {
				switch x.Object.Role {
				case warehouse.RoleFinal:
					dt3 = g.models[strings.ToUpper(x.Object.Name)]
				case warehouse.RoleAggregate:
					dt3a = g.models[strings.ToUpper(x.Object.Name)]
				}
			}
		}
		code := b.CodeColumnOr(h)

		// Unmapped codes.
		un := &d.Select{
			Columns: []d.SelectItem{{Expr: d.C("j", "SOURCE_CODE")}, d.As(d.F("COUNT", d.Star{}), "ROW_COUNT")},
			From:    d.Table{Name: g.token(ref(dt2)), Alias: "j"},
			Where:   d.And(&d.IsNull{X: d.C("j", "LEAF_CODE")}, &d.IsNull{X: d.C("j", "SOURCE_CODE"), Not: true}),
			GroupBy: []d.Expr{d.C("j", "SOURCE_CODE")},
		}
		if err := g.test(unmappedTest(stem), fmt.Sprintf("Every %s of %s maps to a leaf of %s: returns the unmapped codes.", code, b.Source, h.ID), un); err != nil {
			return err
		}

		// Double-mapped codes: reuse DT_2's matching (its CTEs up to the
		// included matches) and look for ties at the winning precedence.
		q, ok := s.Query.(*d.Select)
		if !ok {
			return fmt.Errorf("%s: unexpected query shape", s.Object.Name)
		}
		var ctes []d.CTE
		for _, c := range q.With {
			ctes = append(ctes, c)
			if c.Name == "included" {
				break
			}
		}
		ctes = append(ctes, d.CTE{Name: "best", Query: &d.Select{
			Columns: []d.SelectItem{{Expr: d.C("i", "SOURCE_CODE")}, d.As(d.F("MIN", d.C("i", "PRECEDENCE")), "PRECEDENCE")},
			From:    d.Table{Name: d.N("included"), Alias: "i"},
			GroupBy: []d.Expr{d.C("i", "SOURCE_CODE")},
		}})
		dm := &d.Select{
			With:    ctes,
			Columns: []d.SelectItem{{Expr: d.C("i", "SOURCE_CODE")}, d.As(d.F("COUNT", d.Star{}), "LEAVES"), d.As(d.F("MIN", d.C("i", "NODE_CODE")), "FIRST_LEAF"), d.As(d.F("MAX", d.C("i", "NODE_CODE")), "LAST_LEAF")},
			From:    d.Table{Name: d.N("included"), Alias: "i"},
			Joins: []d.Join{{Kind: d.InnerJoin, From: d.Table{Name: d.N("best"), Alias: "b"},
				On: d.And(d.Eq(d.C("b", "SOURCE_CODE"), d.C("i", "SOURCE_CODE")), d.Eq(d.C("b", "PRECEDENCE"), d.C("i", "PRECEDENCE")))}},
			GroupBy: []d.Expr{d.C("i", "SOURCE_CODE")},
			Having:  &d.Binary{Op: ">", L: d.F("COUNT", d.Star{}), R: d.I(1)},
		}
		if err := g.test(doubleMappedTest(stem), fmt.Sprintf("No %s of %s is taken by two leaves of %s in the same precedence group: returns the tied codes.", code, b.Source, h.ID), dm); err != nil {
			return err
		}

		// Tie-out: source = statement leaves + unmapped rows, per group.
		var src d.Name
		if st := g.boundSrc[b.Source]; st != nil {
			src = g.token(ref(st.stg))
		} else {
			src = g.token(ref(g.objectModel(b.Source)))
		}
		part := func(from d.Name, alias string, neg bool, where d.Expr) *d.Select {
			sel := &d.Select{From: d.Table{Name: from, Alias: alias}, Where: where}
			for _, gc := range b.GroupBy {
				sel.Columns = append(sel.Columns, d.As(d.C(alias, gc), gc))
			}
			for _, v := range b.Values {
				var x d.Expr = d.C(alias, v)
				if neg {
					x = &d.Unary{Op: "-", X: x}
				}
				sel.Columns = append(sel.Columns, d.As(x, v))
			}
			return sel
		}
		union := &d.UnionAll{Queries: []d.Query{
			part(src, "s", false, nil),
			part(g.token(ref(dt3)), "f", true, d.Eq(d.C("f", "NODE_TYPE"), d.S("leaf"))),
			part(g.token(ref(dt3a)), "a", true, &d.IsNull{X: d.C("a", "LEAF_CODE")}),
		}}
		tie := &d.Select{From: d.Subquery{Query: union, Alias: "t"}}
		var off []d.Expr
		for _, gc := range b.GroupBy {
			tie.Columns = append(tie.Columns, d.SelectItem{Expr: d.C("t", gc)})
			tie.GroupBy = append(tie.GroupBy, d.C("t", gc))
		}
		for _, v := range b.Values {
			tie.Columns = append(tie.Columns, d.As(d.F("SUM", d.C("t", v)), v+"_DIFFERENCE"))
			off = append(off, &d.Binary{Op: ">", L: d.F("ABS", d.F("SUM", d.C("t", v))), R: d.DecimalLit("0.005")})
		}
		tie.Having = d.Or(off...)
		if err := g.test(tiesOutTest(stem), fmt.Sprintf("The %s statement ties out to %s: its leaves plus the unmapped rows equal the source, per group; returns the groups that differ.", h.ID, b.Source), tie); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) test(name, doc string, q d.Query) error {
	body, err := g.sql(name, q)
	if err != nil {
		return err
	}
	g.add("tests/"+name+".sql", "-- "+doc+"\n"+body+"\n")
	g.proj.Tests = append(g.proj.Tests, name)
	return nil
}
