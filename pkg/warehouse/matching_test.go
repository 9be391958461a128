package warehouse

import (
	"context"
	"fmt"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
)

// matchingOptions are the hierarchy matching options the deployed
// statement is proven under.
var matchingOptions = []hierarchy.Matching{
	{Case: hierarchy.CaseInsensitive, Trim: true},
	{Case: hierarchy.CaseInsensitive},
	{Trim: true},
}

// withMatching gives a random hierarchy one of the options, by seed.
func withMatching(g *hierarchytest.Generated, seed int64) {
	m := matchingOptions[seed%int64(len(matchingOptions))]
	g.H.Matching = &m
}

// TestPipelineMatchingOnEngines: with the hierarchy's matching option on,
// the deployed statement (DT_3) equals the rollup, and both the
// reference, with mixed-case, space-padded codes, on DuckDB, PostgreSQL
// and MariaDB; and issue 11's example gives 1 exact and 111
// case-insensitive and trimmed on each.
func TestPipelineMatchingOnEngines(t *testing.T) {
	for _, name := range hierarchytest.Engines() {
		t.Run(name, func(t *testing.T) {
			e := hierarchytest.OpenEngine(t, name)
			for seed := int64(1); seed <= 6; seed++ {
				g := hierarchytest.RandHierarchyMixed(seed)
				withMatching(g, seed)
				checkPipelineOn(t, e.Conn, seed, e.Schema, e.Table("match_facts"), g, hierarchytest.RandFactsMixed(seed, g))
			}
			checkMatchingExample(t, e.Conn, e.Conn, Config{Schema: e.Schema}, e.Table("match_ex"), e.Table("match_ex"))
		})
	}
}

// issue11 is the example hierarchy: one leaf with the exact rule abc.
func issue11(m *hierarchy.Matching) *hierarchy.Hierarchy {
	return &hierarchy.Hierarchy{ID: "ex", Name: "Exact", Kind: hierarchy.KindCustom, Status: hierarchy.StatusDraft, Version: 1, SourceColumns: []string{"account"}, Matching: m, Nodes: []*hierarchy.Node{
		{Code: "T", Name: "Total", Type: hierarchy.TypeRollup, Sort: 10},
		{Code: "A", Name: "abc", Parent: "T", Type: hierarchy.TypeLeaf, Sort: 10, Rules: []hierarchy.Rule{{Match: hierarchy.MatchExact, Value: "abc"}}},
	}}
}

// checkMatchingExample deploys issue 11's example on c (the codes abc,
// ABC and 'Abc ' with amounts 1, 10, 100, loaded into table on c and
// into rollupTable on rc) and rolls it up on rc: the leaf is 1 without
// the option and 111 case-insensitive and trimmed, in DT_3 and in the
// rollup.
func checkMatchingExample(t *testing.T, c, rc connector.Connector, base Config, table, rollupTable string) {
	t.Helper()
	var rows []hierarchytest.FactRow
	for i, code := range []string{"abc", "ABC", "Abc "} {
		code := code
		rows = append(rows, hierarchytest.FactRow{Code: &code, Period: "P1", Entity: "E1", Cents: []int64{100, 1000, 10000}[i]})
	}
	hierarchytest.LoadFacts(t, c, table, rows)
	defer hierarchytest.Exec(t, c, "DROP TABLE "+table)
	if rc != c {
		hierarchytest.LoadFacts(t, rc, rollupTable, rows)
		defer hierarchytest.Exec(t, rc, "DROP TABLE "+rollupTable)
	}
	for i, tc := range []struct {
		m    *hierarchy.Matching
		want float64
	}{{nil, 1}, {&hierarchy.Matching{Case: hierarchy.CaseInsensitive, Trim: true}, 111}} {
		h := issue11(tc.m)
		cfg := base
		name := fmt.Sprintf("EX%d", i)
		cfg.Bindings = []Binding{{Hierarchy: h.ID, Source: table, Values: []string{"amount"}, Name: name}}
		ds, err := Build(Input{Dialect: c.Dialect(), Config: &cfg, Hierarchies: map[string]*hierarchy.Hierarchy{h.ID: h}})
		if err != nil {
			t.Fatal(err)
		}
		execAll(t, c, ds)
		got := readDT3(t, c, ds, "DT_3_"+name, nil)
		if a := got["A"][""]; !a.has || a.v != tc.want {
			t.Errorf("%s, matching %s: DT_3 leaf A = %+v, want %v", c.Dialect(), h.CodeMatching(), a, tc.want)
		}
		r, err := hierarchy.Rollup(context.Background(), rc, h, hierarchy.RollupInput{Table: rollupTable, Value: "amount"})
		if err != nil {
			t.Fatal(err)
		}
		if v := r.Lines[1].Values[0]; v == nil || hierarchytest.AmountFloat(*v) != tc.want {
			t.Errorf("%s, matching %s: rollup leaf A = %s, want %v", rc.Dialect(), h.CodeMatching(), hierarchytest.Fmtp(v), tc.want)
		}
		for j := len(ds.Objects) - 1; j >= 0; j-- {
			o := ds.Objects[j]
			kind := map[Kind]string{KindTable: "TABLE", KindView: "VIEW", KindMaterializedView: "MATERIALIZED VIEW"}[o.Kind]
			hierarchytest.Exec(t, c, "DROP "+kind+" "+quoteQ(c, o.QualifiedName()))
		}
	}
}
