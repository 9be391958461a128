package warehouse

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/mysql"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/testenv"
)

// execAll runs a design's statements in order on a connection.
func execAll(t testing.TB, c connector.Connector, ds *Design) {
	t.Helper()
	for _, st := range ds.Statements() {
		// An emulation (DROP then CREATE) is one text of several
		// statements; MySQL runs one statement per call.
		for _, s := range strings.Split(st, ";\n") {
			if _, err := c.Exec(context.Background(), s); err != nil {
				t.Fatalf("%v\n--- statement:\n%s", err, s)
			}
		}
	}
}

type cell struct {
	v   float64
	has bool
}

// readDT3 reads DT_3 into node → group key → value.
func readDT3(t testing.TB, c connector.Connector, ds *Design, table string, groups []string) map[string]map[string]cell {
	t.Helper()
	o := ds.Object(table)
	if o == nil {
		t.Fatalf("no object %s", table)
	}
	dbl := "DOUBLE PRECISION"
	if c.Dialect() == d.MySQL {
		dbl = "DOUBLE"
	}
	q := `SELECT ` + quote(c, "NODE_CODE")
	for _, g := range groups {
		q += `, CAST(` + quote(c, g) + ` AS ` + d.TextType(c.Dialect()) + `)`
	}
	q += `, CAST(` + quote(c, "amount") + ` AS ` + dbl + `) FROM ` + quoteQ(c, o.QualifiedName())
	res, err := c.Query(context.Background(), q, connector.QueryOptions{MaxRows: -1})
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	out := map[string]map[string]cell{}
	for _, r := range res.Rows {
		code := fmt.Sprint(r[0])
		var key []string
		for i := range groups {
			if r[1+i] == nil {
				key = append(key, "")
			} else {
				key = append(key, fmt.Sprint(r[1+i]))
			}
		}
		if out[code] == nil {
			out[code] = map[string]cell{}
		}
		v := r[1+len(groups)]
		if v == nil {
			out[code][strings.Join(key, "\x00")] = cell{}
			continue
		}
		f, ok := v.(float64)
		if !ok {
			t.Fatalf("value %T %v", v, v)
		}
		out[code][strings.Join(key, "\x00")] = cell{v: f, has: true}
	}
	return out
}

func quote(c connector.Connector, name string) string { return dialectQuote(c.Dialect(), name) }
func quoteQ(c connector.Connector, name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = dialectQuote(c.Dialect(), p)
	}
	return strings.Join(parts, ".")
}

// checkPipeline compares DT_3 with hierarchy.Rollup over the same source
// (itself proven against an independent computation) and with the
// reference computation of hierarchytest.
func checkPipeline(t *testing.T, c connector.Connector, seed int64, schema, table string) {
	t.Helper()
	g := hierarchytest.RandHierarchy(seed)
	checkPipelineOn(t, c, seed, schema, table, g, hierarchytest.RandFacts(seed, g.Pool))
}

func checkPipelineOn(t *testing.T, c connector.Connector, seed int64, schema, table string, g *hierarchytest.Generated, rows []hierarchytest.FactRow) {
	t.Helper()
	hierarchytest.LoadFacts(t, c, table, rows)
	defer hierarchytest.Exec(t, c, "DROP TABLE "+table)
	groups := []string{"period", "entity"}
	cfg := &Config{Schema: schema, Bindings: []Binding{{Hierarchy: g.H.ID, Source: table, Values: []string{"amount"}, GroupBy: groups, Name: fmt.Sprintf("P%d", seed)}}}
	ds, err := Build(Input{Dialect: c.Dialect(), Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{g.H.ID: g.H}})
	if err != nil {
		t.Fatalf("seed %d: design: %v", seed, err)
	}
	execAll(t, c, ds)
	got := readDT3(t, c, ds, fmt.Sprintf("DT_3_P%d", seed), groups)
	want, err := hierarchy.Rollup(context.Background(), c, g.H, hierarchy.RollupInput{Table: table, Value: "amount", By: groups})
	if err != nil {
		t.Fatalf("seed %d: rollup: %v", seed, err)
	}
	// Check the rollup against the independent reference first.
	hierarchytest.CheckRollup(t, seed, g.H, rows, want)
	for _, l := range want.Lines {
		for gi, key := range want.GroupKeys {
			k := strings.Join(key, "\x00")
			gc, ok := got[l.Code][k]
			if !ok {
				t.Fatalf("seed %d: DT_3 has no row for node %s group %q", seed, l.Code, key)
			}
			w := l.Values[gi]
			switch {
			case w == nil && gc.has:
				t.Fatalf("seed %d: node %s (%s) group %q: DT_3 = %v, rollup has no value", seed, l.Code, l.Type, key, gc.v)
			case w != nil && !gc.has:
				t.Fatalf("seed %d: node %s (%s) group %q: DT_3 has no value, rollup = %v", seed, l.Code, l.Type, key, *w)
			case w != nil && !hierarchytest.SameAsDouble(*w, gc.v, l.Type == hierarchy.TypeFormula):
				t.Fatalf("seed %d: node %s (%s) group %q: DT_3 = %v, rollup = %v", seed, l.Code, l.Type, key, gc.v, *w)
			}
		}
	}
	// Every node × group is present and nothing else.
	if len(got) != len(want.Lines) {
		t.Fatalf("seed %d: DT_3 has %d nodes, the hierarchy %d", seed, len(got), len(want.Lines))
	}
	// Clean up for the next seed (dependents first).
	for i := len(ds.Objects) - 1; i >= 0; i-- {
		o := ds.Objects[i]
		kind := map[Kind]string{KindTable: "TABLE", KindView: "VIEW", KindMaterializedView: "MATERIALIZED VIEW"}[o.Kind]
		hierarchytest.Exec(t, c, "DROP "+kind+" "+quoteQ(c, o.QualifiedName()))
	}
}

func TestPipelinePropertyDuckDB(t *testing.T) {
	c, err := connector.Open(context.Background(), "wh", connector.Config{Type: "duckdb"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for seed := int64(1); seed <= 40; seed++ {
		checkPipeline(t, c, seed, "", "facts")
	}
}

func TestPipelinePropertyPostgres(t *testing.T) {
	testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	ctx := context.Background()
	c, err := connector.Open(ctx, "pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	schema := fmt.Sprintf("wh_prop_%d", rand.Int63())
	hierarchytest.Exec(t, c, "CREATE SCHEMA "+schema)
	defer hierarchytest.Exec(t, c, "DROP SCHEMA "+schema+" CASCADE")
	for seed := int64(1); seed <= 12; seed++ {
		checkPipeline(t, c, seed, schema, schema+".facts")
	}
}

// TestPipelineMixedCodesOnEngines: the deployed statement (DT_3) equals
// the rollup, and both the reference, with codes in mixed case, with
// leading and trailing spaces, leading zeros and LIKE wildcards, on
// DuckDB, PostgreSQL and MariaDB (whose default collation ignores case
// and trailing spaces); and issue 11's example gives 1 on each.
func TestPipelineMixedCodesOnEngines(t *testing.T) {
	for _, name := range hierarchytest.Engines() {
		t.Run(name, func(t *testing.T) {
			e := hierarchytest.OpenEngine(t, name)
			for seed := int64(1); seed <= 8; seed++ {
				g := hierarchytest.RandHierarchyMixed(seed)
				checkPipelineOn(t, e.Conn, seed, e.Schema, e.Table("mixed_facts"), g, hierarchytest.RandFactsMixed(seed, g))
			}
			checkExactExample(t, e.Conn, e.Schema, e.Table("exact_facts"))
		})
	}
}

// checkExactExample deploys issue 11's example: the exact rule abc over
// abc, ABC and 'Abc ' (1, 10, 100) gives the leaf 1.
func checkExactExample(t *testing.T, c connector.Connector, schema, table string) {
	t.Helper()
	h := &hierarchy.Hierarchy{ID: "ex", Name: "Exact", Kind: hierarchy.KindCustom, Status: hierarchy.StatusDraft, Version: 1, SourceColumns: []string{"account"}, Nodes: []*hierarchy.Node{
		{Code: "T", Name: "Total", Type: hierarchy.TypeRollup, Sort: 10},
		{Code: "A", Name: "abc", Parent: "T", Type: hierarchy.TypeLeaf, Sort: 10, Rules: []hierarchy.Rule{{Match: hierarchy.MatchExact, Value: "abc"}}},
	}}
	var rows []hierarchytest.FactRow
	for i, code := range []string{"abc", "ABC", "Abc "} {
		code := code
		rows = append(rows, hierarchytest.FactRow{Code: &code, Period: "P1", Entity: "E1", Cents: []int64{100, 1000, 10000}[i]})
	}
	hierarchytest.LoadFacts(t, c, table, rows)
	defer hierarchytest.Exec(t, c, "DROP TABLE "+table)
	cfg := &Config{Schema: schema, Bindings: []Binding{{Hierarchy: h.ID, Source: table, Values: []string{"amount"}, Name: "EX"}}}
	ds, err := Build(Input{Dialect: c.Dialect(), Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{h.ID: h}})
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, c, ds)
	got := readDT3(t, c, ds, "DT_3_EX", nil)
	if a := got["A"][""]; !a.has || a.v != 1 {
		t.Errorf("%s: DT_3 leaf A = %+v, want 1", c.Dialect(), a)
	}
	want, err := hierarchy.Rollup(context.Background(), c, h, hierarchy.RollupInput{Table: table, Value: "amount"})
	if err != nil {
		t.Fatal(err)
	}
	if v := want.Lines[1].Values[0]; v == nil || hierarchytest.Fmtp(v) != "1" {
		t.Errorf("%s: rollup leaf A = %s, want 1", c.Dialect(), hierarchytest.Fmtp(v))
	}
	for i := len(ds.Objects) - 1; i >= 0; i-- {
		o := ds.Objects[i]
		kind := map[Kind]string{KindTable: "TABLE", KindView: "VIEW", KindMaterializedView: "MATERIALIZED VIEW"}[o.Kind]
		hierarchytest.Exec(t, c, "DROP "+kind+" "+quoteQ(c, o.QualifiedName()))
	}
}
