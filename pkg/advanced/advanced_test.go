package advanced_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/advanced"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/all"
	"github.com/databridge/databridge/pkg/dbt"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/semantic/semantictest"
	"github.com/databridge/databridge/pkg/testenv"
	"github.com/databridge/databridge/pkg/warehouse"
	"github.com/databridge/databridge/pkg/workflow"
)

// TestDeployAdvancedOnPostgres builds the finance ERP warehouse on
// PostgreSQL twice — Basic Mode (the workflow's validated deploy) and
// Advanced Mode (the generated dbt project, committed to git, built with
// dbt-postgres through a profile made from the connection) — and checks
// that the two P&Ls agree, that the password never reaches a file, and
// that a duplicate source row fails the dbt tests with the node named.
func TestDeployAdvancedOnPostgres(t *testing.T) {
	testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	dbtBin := testenv.VenvTool(t, "dbt")
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "advpg"); err != nil {
		t.Fatal(err)
	}
	p, _ := project.Open(root)
	id := rand.Int63()
	src, dw, dbtSchema := fmt.Sprintf("adv_src_%d", id), fmt.Sprintf("adv_dw_%d", id), fmt.Sprintf("adv_dbt_%d", id)
	if _, err := connections.New(p).Add(ctx, connections.AddInput{Name: "pg", Default: true,
		Config: connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"}}); err != nil {
		t.Fatal(err)
	}
	p, _ = project.Open(root)
	pg, err := connections.New(p).Connect(ctx, "pg", false)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for _, s := range []string{src, dw} {
		if _, err := pg.Exec(ctx, "CREATE SCHEMA "+s); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		for _, s := range []string{src, dw, dbtSchema} {
			_, _ = pg.Exec(ctx, "DROP SCHEMA IF EXISTS "+s+" CASCADE")
		}
	}()
	semantictest.LoadFinanceERP(t, pg, src, "../../examples/finance_erp")

	wf := workflow.NewService(p)
	w, err := wf.Start(ctx, workflow.StartInput{Connection: "pg", Schema: src, Model: "erp"})
	if err != nil {
		t.Fatal(err)
	}
	hs := hierarchy.NewService(p)
	if _, err := hs.NewFromTemplate(ctx, hierarchy.NewInput{Template: "standard_pl", ID: "pl"}); err != nil {
		t.Fatal(err)
	}
	if _, err := hs.AddNode(ctx, "pl", hierarchy.NodeInput{Code: "NOT_IN_PL", Name: "Balance sheet", Consolidation: hierarchy.ConsolidateIgnore}); err != nil {
		t.Fatal(err)
	}
	if _, err := hs.AddRule(ctx, "pl", "NOT_IN_PL", hierarchy.Rule{Match: hierarchy.MatchRange, From: "1000", To: "3999"}); err != nil {
		t.Fatal(err)
	}
	if err := warehouse.SaveConfig(p, &warehouse.Config{Schema: dw, Bindings: []warehouse.Binding{{Hierarchy: "pl", Source: dw + ".FACT_GL_JOURNAL_LINES",
		CodeColumn: "account_code", Values: []string{"AMOUNT"}, GroupBy: []string{"fiscal_year", "fiscal_quarter"}}}}); err != nil {
		t.Fatal(err)
	}
	if w, err = wf.Approve(ctx, w.ID); err != nil || w.Status != workflow.StatusDone {
		t.Fatalf("approve: %v (%+v)", err, w)
	}

	svc := advanced.NewService(p, "test")
	gen, _, err := svc.Generate(ctx, advanced.GenerateInput{Git: true})
	if err != nil {
		t.Fatal(err)
	}
	if gen.Adapter != "postgres" || gen.Commit == nil || !gen.Commit.Changed {
		t.Fatalf("generate: adapter %s, commit %+v", gen.Adapter, gen.Commit)
	}
	rec, err := svc.RunLocal(ctx, advanced.RunInput{DBT: dbtBin, Schema: dbtSchema}, nil)
	if err != nil {
		t.Fatalf("dbt build: %v", err)
	}
	if rec.Result.Status != dbt.StatusSuccess || rec.Passed < 50 || rec.Adapter != "postgres" {
		t.Fatalf("run: %s, %d passed, adapter %s", rec.Result.Status, rec.Passed, rec.Adapter)
	}
	led := deploy.NewLedger(p)
	lr, err := led.Get(rec.ID)
	if err != nil {
		t.Fatalf("run not in the ledger: %v", err)
	}
	if lr.Kind != deploy.KindDBT || lr.Status != deploy.StatusSucceeded || rec.Validation.Passed < 50 || rec.Validation.Failed != 0 {
		t.Fatalf("ledger: %s %s; validation %+v", lr.Kind, lr.Status, rec.Validation)
	}
	// Basic Mode still sees its own last deployment: nothing to change.
	conn, err := connections.New(p).Connect(ctx, "pg", false)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ds, err := warehouse.NewService(p).Design(ctx, warehouse.DesignInput{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := deploy.NewPlan(ctx, conn, "pg", ds, led)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Changes() != 0 {
		t.Fatalf("after a dbt run Basic Mode plans %d changes", plan.Changes())
	}
	prof, err := os.ReadFile(p.Path(project.StateDir, "dbt", "profiles.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if pw := passwordOf(os.Getenv(testenv.PostgresURL)); pw != "" && strings.Contains(string(prof), pw) {
		t.Fatal("profiles.yml contains the password")
	}

	// dbt's P&L equals Basic Mode's, line by line.
	q := fmt.Sprintf(`SELECT count(*) FILTER (WHERE b.node_code IS NULL OR d.node_code IS NULL OR abs(b.amount - d.amount) > 0.005), count(*)
FROM %s.dt_3_pl b FULL JOIN %s.dt_3_pl d ON b.node_code = d.node_code AND b.fiscal_year = d.fiscal_year AND b.fiscal_quarter = d.fiscal_quarter`, dw, dbtSchema)
	res, err := pg.Query(ctx, q, connector.QueryOptions{MaxRows: -1})
	if err != nil {
		t.Fatal(err)
	}
	if diff, n := fmt.Sprint(res.Rows[0][0]), fmt.Sprint(res.Rows[0][1]); diff != "0" || n == "0" {
		t.Fatalf("dt_3_pl: %s of %s rows differ between Basic and Advanced Mode", diff, n)
	}

	// A duplicated source row: dbt's tests fail and say which.
	if _, err := pg.Exec(ctx, fmt.Sprintf("INSERT INTO %s.gl_journal_lines SELECT * FROM %s.gl_journal_lines LIMIT 1", src, src)); err != nil {
		t.Fatal(err)
	}
	rec, err = svc.RunLocal(ctx, advanced.RunInput{DBT: dbtBin, Schema: dbtSchema}, nil)
	if err == nil || rec == nil || rec.Result.Status != dbt.StatusFail || len(rec.Failures) == 0 {
		t.Fatalf("a duplicate GL line passed: %v %+v", err, rec)
	}
	if lr, err := led.Get(rec.ID); err != nil || lr.Status != deploy.StatusFailed || rec.Validation.Failed == 0 {
		t.Fatalf("failed run in the ledger: %v %+v; validation %+v", err, lr, rec.Validation)
	}
	if !strings.Contains(err.Error(), "gl_journal_lines") {
		t.Fatalf("the error does not name the failing node: %v", err)
	}
}

func passwordOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if c := strings.Index(rest[:at], ":"); c >= 0 {
				return rest[c+1 : at]
			}
		}
	}
	return ""
}
