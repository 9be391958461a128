package dbt

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/files"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/testenv"
	"github.com/databridge/databridge/pkg/warehouse"
)

// dbtRun runs dbt and logs its output and timing.
func dbtRun(t *testing.T, bin, dir string, args ...string) *RunResult {
	t.Helper()
	var out bytes.Buffer
	start := time.Now()
	res, err := Run(context.Background(), bin, dir, dir, args, &out)
	if err != nil {
		t.Fatalf("dbt %v: %v\n%s", args, err, testenv.Tail(out.String(), 6000))
	}
	t.Logf("dbt %s: %s, %v, %.1fs", strings.Join(args, " "), res.Status, res.Counts(), time.Since(start).Seconds())
	if testing.Verbose() && res.Status != StatusSuccess {
		t.Log(testenv.Tail(out.String(), 6000))
	}
	return res
}

func requireGreen(t *testing.T, res *RunResult, out string) {
	t.Helper()
	if res.Status != StatusSuccess || len(res.Failed) > 0 {
		var names []string
		for _, f := range res.Failed {
			names = append(names, f.UniqueID+": "+f.Message)
		}
		t.Fatalf("dbt build is not green (%s):\n%s", res.Status, strings.Join(names, "\n"))
	}
	for _, r := range res.Results {
		if r.Status != "success" && r.Status != "pass" {
			t.Fatalf("%s: %s %s", r.UniqueID, r.Status, r.Message)
		}
	}
}

func writeProfile(t *testing.T, dir, name, body string) {
	t.Helper()
	prof := name + ":\n  target: test\n  outputs:\n    test:\n" + body + "      threads: 4\n"
	if err := os.WriteFile(filepath.Join(dir, "profiles.yml"), []byte(prof), 0o600); err != nil {
		t.Fatal(err)
	}
}

// exampleSetup analyses examples/finance_erp, approves the model and
// builds the P&L with the balance-sheet accounts mapped to a leaf of its
// own outside the statement (a P&L bound to a whole GL must place every
// account somewhere for "every code mapped" to hold).
func exampleSetup(t *testing.T) (*model.Model, map[string]warehouse.Source, *hierarchy.Hierarchy, *warehouse.Config) {
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "wh"); err != nil {
		t.Fatal(err)
	}
	p, _ := project.Open(root)
	examples, _ := filepath.Abs("../../examples/finance_erp")
	if _, err := connections.New(p).Add(ctx, connections.AddInput{Name: "erp", Config: connector.Config{Type: "files", Path: examples}}); err != nil {
		t.Fatal(err)
	}
	p, _ = project.Open(root)
	sem := semantic.NewService(p)
	if _, err := sem.Analyze(ctx, semantic.AnalyzeInput{Connection: "erp"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sem.Approve(ctx, "erp"); err != nil {
		t.Fatal(err)
	}
	if _, err := hierarchy.NewService(p).NewFromTemplate(ctx, hierarchy.NewInput{Template: "standard_pl", ID: "pl"}); err != nil {
		t.Fatal(err)
	}
	h, err := hierarchy.NewStore(p).Get("pl")
	if err != nil {
		t.Fatal(err)
	}
	h.Nodes = append(h.Nodes, &hierarchy.Node{Code: "BALANCE_SHEET", Name: "Balance sheet accounts (outside the P&L)", Type: hierarchy.TypeLeaf,
		Consolidation: hierarchy.ConsolidateIgnore, Sort: 9999, Rules: []hierarchy.Rule{{Match: hierarchy.MatchRange, From: "1000", To: "3999"}}})
	if errs := hierarchy.CheckIntegrity(h); len(errs) > 0 {
		t.Fatal(errs)
	}
	m, err := model.NewStore(p).Get("erp")
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]warehouse.Source{}
	for _, tb := range m.Tables {
		sources[tb.Name] = warehouse.Source{File: filepath.Join(examples, tb.Name+".csv"), Format: "csv"}
		if _, err := os.Stat(sources[tb.Name].File); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &warehouse.Config{Model: "erp", Bindings: []warehouse.Binding{{Hierarchy: "pl", Source: "FACT_GL_JOURNAL_LINES", CodeColumn: "account_code",
		Values: []string{"AMOUNT"}, GroupBy: []string{"fiscal_year", "fiscal_quarter"}}}}
	return m, sources, h, cfg
}

// createDuckDB creates the database file with the Go driver's DuckDB, so
// that its storage version is one the driver reads back after dbt-duckdb
// (possibly a newer DuckDB) wrote to it.
func createDuckDB(t *testing.T, path string) {
	t.Helper()
	c, err := connector.Open(context.Background(), "create", connector.Config{Type: "duckdb", Path: path})
	if err != nil {
		t.Fatal(err)
	}
	hierarchytest.Exec(t, c, "CREATE TABLE databridge_created (x INTEGER)")
	c.Close()
}

// readRows reads a query's rows as strings, sorted.
func readRows(t *testing.T, c connector.Connector, q string) []string {
	t.Helper()
	res, err := c.Query(context.Background(), q, connector.QueryOptions{MaxRows: -1})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var out []string
	for _, r := range res.Rows {
		out = append(out, fmt.Sprint(r...))
	}
	sort.Strings(out)
	return out
}

// TestExampleOnDuckDB: the finance ERP example as a dbt project passes
// dbt build on dbt-duckdb with every test green, and its statement holds
// exactly the numbers of Basic Mode on the same files; an unmapped account
// planted in the GL fails the every-code-mapped test by name.
func TestExampleOnDuckDB(t *testing.T) {
	bin := testenv.VenvTool(t, "dbt")
	m, sources, h, cfg := exampleSetup(t)
	hs := map[string]*hierarchy.Hierarchy{"pl": h}
	proj, err := Generate(Input{Adapter: "duckdb", Config: cfg, Model: m, Sources: sources, Hierarchies: hs})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := proj.Write(dir); err != nil {
		t.Fatal(err)
	}
	dbFile := filepath.Join(dir, "warehouse.duckdb")
	createDuckDB(t, dbFile)
	writeProfile(t, dir, proj.Name, "      type: duckdb\n      path: "+dbFile+"\n      schema: main\n")
	res := dbtRun(t, bin, dir, "build")
	requireGreen(t, res, "")
	if len(res.Results) < 40 {
		t.Fatalf("only %d nodes ran", len(res.Results))
	}

	// Basic Mode on the same files.
	ds, err := warehouse.Build(warehouse.Input{Dialect: "duckdb", Config: cfg, Hierarchies: hs, Model: m, Sources: sources})
	if err != nil {
		t.Fatal(err)
	}
	basic, err := connector.Open(context.Background(), "basic", connector.Config{Type: "duckdb"})
	if err != nil {
		t.Fatal(err)
	}
	defer basic.Close()
	for _, s := range ds.Statements() {
		if _, err := basic.Exec(context.Background(), s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	const q = `SELECT "NODE_CODE", '|', CAST("fiscal_year" AS VARCHAR), '|', CAST("fiscal_quarter" AS VARCHAR), '|', CAST(ROUND("AMOUNT", 6) AS VARCHAR), '|', CAST(ROUND("AMOUNT_PRESENTATION", 6) AS VARCHAR) FROM `
	want := readRows(t, basic, q+`"DT_3_PL"`)
	adv, err := connector.Open(context.Background(), "adv", connector.Config{Type: "duckdb", Path: dbFile})
	if err != nil {
		t.Fatal(err)
	}
	got := readRows(t, adv, q+`main.dt_3_pl`)
	// (AMOUNT is a double on files read by DuckDB: sums in another order
	// differ in the last bits, so values compare to 6 places.)
	gotFact := readRows(t, adv, `SELECT COUNT(*), '|', CAST(ROUND(SUM("debit"), 6) AS VARCHAR), '|', COUNT("CHART_OF_ACCOUNTS_SK") FROM main.fct_gl_journal_lines`)
	adv.Close()
	if len(want) < 100 || strings.Join(want, "\n") != strings.Join(got, "\n") {
		for i := range want {
			if i < len(got) && got[i] != want[i] {
				t.Errorf("first difference: dbt %q, Basic Mode %q", got[i], want[i])
				break
			}
		}
		t.Fatalf("dt_3_pl (%d rows) differs from Basic Mode's DT_3_PL (%d rows)", len(got), len(want))
	}
	if gotFact[0] != fmt.Sprint(readRows(t, basic, `SELECT COUNT(*), '|', CAST(ROUND(SUM("debit"), 6) AS VARCHAR), '|', COUNT("CHART_OF_ACCOUNTS_SK") FROM "FACT_GL_JOURNAL_LINES"`)[0]) {
		t.Fatalf("fct_gl_journal_lines differs: %v", gotFact)
	}
	t.Logf("dt_3_pl equals Basic Mode's DT_3_PL: %d rows", len(got))

	// The planted defect: a new account, opened in the chart of accounts
	// and posted to, that no leaf of the P&L takes.
	plant := func(table, line string) {
		data, err := os.ReadFile(sources[table].File)
		if err != nil {
			t.Fatal(err)
		}
		bad := filepath.Join(t.TempDir(), table+".csv")
		if err := os.WriteFile(bad, append(data, []byte(line+"\n")...), 0o644); err != nil {
			t.Fatal(err)
		}
		sources[table] = warehouse.Source{File: bad, Format: "csv"}
	}
	plant("chart_of_accounts", "12345,Planted account,Expense,Other,Debit")
	plant("gl_journal_lines", "999999,1,2025-06-30,2025-06,12345,CC110,,,,125.00,0.00,USD,Planted: an account no leaf takes")
	proj, err = Generate(Input{Adapter: "duckdb", Config: cfg, Model: m, Sources: sources, Hierarchies: hs})
	if err != nil {
		t.Fatal(err)
	}
	if ch, err := proj.Write(dir); err != nil || len(ch) != 1 || ch[0] != "models/staging/erp/_erp__sources.yml" {
		t.Fatalf("changed %v (%v)", ch, err)
	}
	res = dbtRun(t, bin, dir, "build")
	if res.Status != StatusFail {
		t.Fatalf("build with an unmapped account: %s", res.Status)
	}
	found := false
	for _, f := range res.Failed {
		t.Logf("failed: %s (%s, %d failures)", f.UniqueID, f.Status, f.Failures)
		if strings.Contains(f.UniqueID, unmappedTest("pl")) && f.Status == "fail" && f.Failures == 1 {
			found = true
		}
	}
	if !found {
		t.Fatalf("the unmapped-account test %s is not among the failures", unmappedTest("pl"))
	}
}

// randomInputs makes n random hierarchies, their facts restricted to codes
// each maps to exactly one leaf (or no code at all), loaded as tables of
// schema raw, and one binding each.
func randomInputs(t *testing.T, c connector.Connector, raw string, seeds []int64) (map[string]*hierarchy.Hierarchy, *warehouse.Config) {
	hs := map[string]*hierarchy.Hierarchy{}
	cfg := &warehouse.Config{}
	for _, seed := range seeds {
		g := hierarchytest.RandHierarchy(seed)
		g.H.ID = fmt.Sprintf("rand%d", seed)
		var rows []hierarchytest.FactRow
		for _, r := range hierarchytest.RandFacts(seed, g.Pool) {
			if r.Code != nil {
				if _, n := hierarchytest.NaiveResolve(g.H, g.H.DefaultColumn(), *r.Code); n != 1 {
					continue
				}
			}
			rows = append(rows, r)
		}
		table := fmt.Sprintf("%s.facts_%d", raw, seed)
		hierarchytest.LoadFacts(t, c, table, rows)
		hs[g.H.ID] = g.H
		cfg.Bindings = append(cfg.Bindings, warehouse.Binding{Hierarchy: g.H.ID, Source: table, Values: []string{"amount"}, GroupBy: []string{"period", "entity"}})
	}
	return hs, cfg
}

// checkRandom compares each dt_3_rand<seed> with hierarchy.Rollup over the
// same facts.
func checkRandom(t *testing.T, c connector.Connector, schema, raw string, hs map[string]*hierarchy.Hierarchy, seeds []int64) {
	dbl, err := dialect.RenderType(c.Dialect(), dialect.Double)
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range seeds {
		h := hs[fmt.Sprintf("rand%d", seed)]
		want, err := hierarchy.Rollup(context.Background(), c, h, hierarchy.RollupInput{Table: fmt.Sprintf("%s.facts_%d", raw, seed), Value: "amount", By: []string{"period", "entity"}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Query(context.Background(), fmt.Sprintf(`SELECT NODE_CODE, period, entity, CAST(amount AS %s) FROM %s.dt_3_rand%d`, dbl, schema, seed), connector.QueryOptions{MaxRows: -1})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]any{}
		for _, r := range res.Rows {
			got[fmt.Sprint(r[0], "|", r[1], "|", r[2])] = r[3]
		}
		n := 0
		for _, l := range want.Lines {
			for gi, k := range want.GroupKeys {
				v, ok := got[l.Code+"|"+strings.Join(k, "|")]
				if !ok {
					t.Fatalf("seed %d: dt_3 has no row for %s %v", seed, l.Code, k)
				}
				w := l.Values[gi]
				switch f, isF := v.(float64); {
				case w == nil && v != nil:
					t.Fatalf("seed %d: %s %v: dt_3 %v, rollup none", seed, l.Code, k, v)
				case w != nil && (!isF || !hierarchytest.SameAsDouble(*w, f, l.Type == hierarchy.TypeFormula)):
					t.Fatalf("seed %d: %s %v: dt_3 %v, rollup %v", seed, l.Code, k, v, *w)
				}
				n++
			}
		}
		if len(got) != n {
			t.Fatalf("seed %d: dt_3 has %d rows, the rollup %d", seed, len(got), n)
		}
	}
}

// TestRandomHierarchiesDuckDB: random hierarchies over random facts
// (tables of a DuckDB file, declared as dbt sources) build green and equal
// hierarchy.Rollup.
func TestRandomHierarchiesDuckDB(t *testing.T) {
	bin := testenv.VenvTool(t, "dbt")
	dir := t.TempDir()
	dbFile := filepath.Join(dir, "warehouse.duckdb")
	c, err := connector.Open(context.Background(), "rand", connector.Config{Type: "duckdb", Path: dbFile})
	if err != nil {
		t.Fatal(err)
	}
	hierarchytest.Exec(t, c, "CREATE SCHEMA raw")
	seeds := []int64{1, 2, 3, 4, 5, 6}
	hs, cfg := randomInputs(t, c, "raw", seeds)
	c.Close()
	proj, err := Generate(Input{Adapter: "duckdb", Config: cfg, Hierarchies: hs})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := proj.Write(dir); err != nil {
		t.Fatal(err)
	}
	writeProfile(t, dir, proj.Name, "      type: duckdb\n      path: "+dbFile+"\n      schema: main\n")
	requireGreen(t, dbtRun(t, bin, dir, "build"), "")
	c, err = connector.Open(context.Background(), "rand", connector.Config{Type: "duckdb", Path: dbFile})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	checkRandom(t, c, "main", "raw", hs, seeds)
}

// TestRandomHierarchiesPostgres: the same on dbt-postgres (the facts in a
// schema of their own, the project built in another).
func TestRandomHierarchiesPostgres(t *testing.T) {
	dsn := testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	bin := testenv.VenvTool(t, "dbt")
	ctx := context.Background()
	c, err := connector.Open(ctx, "pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	id := rand.Int63()
	raw, schema := fmt.Sprintf("dbt_raw_%d", id), fmt.Sprintf("dbt_wh_%d", id)
	hierarchytest.Exec(t, c, "CREATE SCHEMA "+raw)
	defer hierarchytest.Exec(t, c, "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
	defer hierarchytest.Exec(t, c, "DROP SCHEMA "+raw+" CASCADE")
	seeds := []int64{7, 8, 9, 10}
	hs, cfg := randomInputs(t, c, raw, seeds)
	proj, err := Generate(Input{Adapter: "postgres", Config: cfg, Hierarchies: hs})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := proj.Write(dir); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	t.Setenv("DBT_ENV_SECRET_TEST_PG_PASSWORD", pw)
	writeProfile(t, dir, proj.Name, fmt.Sprintf("      type: postgres\n      host: %s\n      port: %s\n      user: %s\n      password: \"{{ env_var('DBT_ENV_SECRET_TEST_PG_PASSWORD') }}\"\n      dbname: %s\n      schema: %s\n",
		u.Hostname(), u.Port(), u.User.Username(), strings.TrimPrefix(u.Path, "/"), schema))
	requireGreen(t, dbtRun(t, bin, dir, "build"), "")
	checkRandom(t, c, schema, raw, hs, seeds)
}
