package scripts

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/testenv"
	"github.com/databridge/databridge/pkg/warehouse"
)

// runFiles executes the written script files in order, statement by
// statement (each ends with ";" and a blank line).
func runFiles(t *testing.T, c connector.Connector, dir string) {
	t.Helper()
	for _, f := range warehouse.Files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, chunk := range strings.Split(string(data), ";\n\n") {
			if strings.TrimSpace(stripComments(chunk)) == "" {
				continue
			}
			if _, err := c.Exec(context.Background(), chunk); err != nil {
				t.Fatalf("%s: %v\n%s", f, err, chunk)
			}
		}
	}
}

func stripComments(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// checkScripts writes the scripts for the golden P&L, runs them twice (they
// must be re-runnable) over generated GL rows, and compares DT_3 with
// hierarchy.Rollup on the same rows.
func checkScripts(t *testing.T, c connector.Connector, schema string) {
	dialect := c.Dialect()
	h := goldenHierarchy()
	rng := rand.New(rand.NewSource(7))
	accounts := []string{"4000", "4100", "4450", "4460", "4999", "5000", "5999", "6000", "7999", "8500", "9999", "41000"}
	q := func(n string) string { return d.QuoteIdent(dialect, n) }
	src := schema + ".gl_transactions"
	hierarchytest.Exec(t, c, "CREATE TABLE "+q(schema)+".gl_transactions (account_code VARCHAR(10), period VARCHAR(7), entity VARCHAR(5), amount DECIMAL(18,2))")
	var vals []string
	for i := 0; i < 300; i++ {
		vals = append(vals, fmt.Sprintf("('%s', '2025-0%d', 'E%d', %d.%02d)", accounts[rng.Intn(len(accounts))], 1+rng.Intn(3), 1+rng.Intn(2), rng.Intn(20000)-10000, rng.Intn(100)))
	}
	hierarchytest.Exec(t, c, "INSERT INTO "+q(schema)+".gl_transactions VALUES "+strings.Join(vals, ", "))
	cfg := goldenConfig()
	cfg.Schema = schema
	cfg.Grants = nil
	cfg.Bindings[0].Source = src
	ds, err := warehouse.Build(warehouse.Input{Dialect: dialect, Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{h.ID: h}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Render(ds, "databridge test")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := out.Write(dir); err != nil {
		t.Fatal(err)
	}
	runFiles(t, c, dir)
	runFiles(t, c, dir) // re-runnable
	want, err := hierarchy.Rollup(context.Background(), c, h, hierarchy.RollupInput{Table: src, Value: "amount", Column: "account", SourceColumn: "account_code", By: []string{"period", "entity"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Query(context.Background(), "SELECT "+q("NODE_CODE")+", period, entity, CAST(amount AS DECIMAL(18,4)) FROM "+q(schema)+"."+q("DT_3_ACME_PL"), connector.QueryOptions{MaxRows: -1})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range res.Rows {
		got[fmt.Sprint(r[0], "|", r[1], "|", r[2])] = fmt.Sprint(r[3])
	}
	n := 0
	for _, l := range want.Lines {
		for gi, k := range want.GroupKeys {
			key := l.Code + "|" + k[0] + "|" + k[1]
			w := "<nil>"
			if v := l.Values[gi]; v != nil {
				w = v.Decimal().StringFixed(4)
				n++
			}
			if got[key] != w {
				t.Errorf("%s %s: DT_3 = %s, rollup = %s", dialect, key, got[key], w)
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d values compared", n)
	}
}

func TestScriptsRunOnDuckDB(t *testing.T) {
	c := hierarchytest.OpenDuckDB(t)
	hierarchytest.Exec(t, c, "CREATE SCHEMA analytics")
	checkScripts(t, c, "analytics")
}

func TestScriptsRunOnPostgres(t *testing.T) {
	testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	c, err := connector.Open(context.Background(), "pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	schema := fmt.Sprintf("scripts_%d", rand.Int63())
	hierarchytest.Exec(t, c, "CREATE SCHEMA "+schema)
	defer hierarchytest.Exec(t, c, "DROP SCHEMA "+schema+" CASCADE")
	checkScripts(t, c, schema)
}
