package workflow_test

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/semantic/semantictest"
	"github.com/databridge/databridge/pkg/testenv"
	"github.com/databridge/databridge/pkg/warehouse"
	"github.com/databridge/databridge/pkg/workflow"
)

// TestWarehouseFlowOnPostgres runs the quickstart's flow against
// PostgreSQL: the source tables live in one schema, the warehouse is built
// in another (staging views, dimensions, facts, the P&L pipeline as
// materialized views), deployed in one validated transaction, and the P&L
// equals the rollup computed over the same fact.
func TestWarehouseFlowOnPostgres(t *testing.T) {
	testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "pgflow"); err != nil {
		t.Fatal(err)
	}
	p, _ := project.Open(root)
	id := rand.Int63()
	src, dw := fmt.Sprintf("erp_src_%d", id), fmt.Sprintf("erp_dw_%d", id)
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
		defer pg.Exec(ctx, "DROP SCHEMA "+s+" CASCADE")
	}
	semantictest.LoadFinanceERP(t, pg, src, "../../examples/finance_erp")

	wf := workflow.NewService(p)
	w, err := wf.Start(ctx, workflow.StartInput{Connection: "pg", Schema: src, Model: "erp"})
	if err != nil {
		t.Fatal(err)
	}
	if w.Status != workflow.StatusWaiting || w.Phase != workflow.PhaseProposed {
		t.Fatalf("after start: %s %s", w.Status, w.Phase)
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
	w, err = wf.Approve(ctx, w.ID)
	if err != nil {
		t.Fatalf("approve: %v (%+v)", err, w)
	}
	if w.Status != workflow.StatusDone || w.Phase != workflow.PhaseValidated {
		t.Fatalf("after approve: %s %s %v", w.Status, w.Phase, w.Errors)
	}
	// The statement on PostgreSQL equals the rollup over the deployed fact.
	h, _ := hs.Get("pl", 0)
	want, err := hierarchy.Rollup(ctx, pg, h, hierarchy.RollupInput{Table: dw + ".FACT_GL_JOURNAL_LINES", Value: "AMOUNT", Column: "account", SourceColumn: "account_code", By: []string{"fiscal_year", "fiscal_quarter"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pg.Query(ctx, "SELECT node_code, fiscal_year::text, fiscal_quarter::text, amount::float8 FROM "+dw+".dt_3_pl", connector.QueryOptions{MaxRows: -1})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, r := range res.Rows {
		if v, ok := r[3].(float64); ok {
			got[fmt.Sprint(r[0], "|", r[1], "|", r[2])] = v
		}
	}
	n := 0
	for _, l := range want.Lines {
		for gi, k := range want.GroupKeys {
			if w := l.Values[gi]; w != nil {
				n++
				if g, ok := got[l.Code+"|"+k[0]+"|"+k[1]]; !ok || math.Abs(g-w.Decimal().InexactFloat64()) > 0.005 {
					t.Errorf("%s %v: DT_3 %v, rollup %v", l.Code, k, g, w)
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d values compared", n)
	}
}
