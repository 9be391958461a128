package warehouse

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/testenv"
)

// execAll runs a design's statements in order on a connection.
func execAll(t testing.TB, c connector.Connector, ds *Design) {
	t.Helper()
	for _, s := range ds.Statements() {
		if _, err := c.Exec(context.Background(), s); err != nil {
			t.Fatalf("%v\n--- statement:\n%s", err, s)
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
	q := `SELECT ` + quote(c, "NODE_CODE")
	for _, g := range groups {
		q += `, CAST(` + quote(c, g) + ` AS VARCHAR(100))`
	}
	q += `, CAST(` + quote(c, "amount") + ` AS DOUBLE PRECISION) FROM ` + quoteQ(c, o.QualifiedName())
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
	rows := hierarchytest.RandFacts(seed, g.Pool)
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
			case w != nil && !hierarchytest.CloseEnough(*w, gc.v):
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
