package warehouse_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/files"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/warehouse"
)

// TestModelObjectsOnDuckDB: the finance ERP files analysed and approved
// become staging tables, dimensions with surrogate keys and facts joined
// to them on the embedded warehouse; a P&L bound to the GL fact gives the
// statement hierarchy rollup computes over the same fact.
func TestModelObjectsOnDuckDB(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "wh"); err != nil {
		t.Fatal(err)
	}
	p, _ := project.Open(root)
	examples, _ := filepath.Abs("../../examples/finance_erp")
	conns := connections.New(p)
	if _, err := conns.Add(ctx, connections.AddInput{Name: "erp", Config: connector.Config{Type: "files", Path: examples}}); err != nil {
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
	cfg := &warehouse.Config{Model: "erp", Bindings: []warehouse.Binding{{Hierarchy: "pl", Source: "FACT_GL_JOURNAL_LINES", CodeColumn: "account_code",
		Values: []string{"AMOUNT"}, GroupBy: []string{"fiscal_year", "fiscal_quarter"}}}}
	if err := warehouse.SaveConfig(p, cfg); err != nil {
		t.Fatal(err)
	}
	ds, err := warehouse.NewService(p).Design(ctx, warehouse.DesignInput{})
	if err != nil {
		t.Fatal(err)
	}
	target, err := conns.Connect(ctx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	for _, s := range ds.Statements() {
		if _, err := target.Exec(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	one := func(q string) string {
		res, err := target.Query(ctx, q, connector.QueryOptions{})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return fmt.Sprint(res.Rows[0]...)
	}
	// Every GL line kept, each dimension reference resolved.
	if got := one(`SELECT COUNT(*) FROM "FACT_GL_JOURNAL_LINES"`); got != "7004" {
		t.Fatalf("fact rows = %s", got)
	}
	if got := one(`SELECT COUNT(*) FROM "FACT_GL_JOURNAL_LINES" WHERE "CHART_OF_ACCOUNTS_SK" IS NULL OR "PERIODS_SK" IS NULL OR "COST_CENTERS_SK" IS NULL
		OR "CURRENCIES_SK" IS NULL OR "EXCHANGE_RATES_SK" IS NULL`); got != "0" {
		t.Fatalf("unresolved dimension keys: %s", got)
	}
	// Surrogate keys are unique; the SCD-2 dimension marks one current
	// version per cost centre.
	if got := one(`SELECT COUNT(DISTINCT "COST_CENTERS_SK") = COUNT(*) FROM "DIM_COST_CENTERS"`); got != "true" {
		t.Fatalf("surrogate keys not unique")
	}
	if got := one(`SELECT COUNT(*) FROM "DIM_COST_CENTERS" WHERE "IS_CURRENT_VERSION" = 1`); got != one(`SELECT COUNT(DISTINCT cost_center_code) FROM "DIM_COST_CENTERS"`) {
		t.Fatalf("current versions = %s", got)
	}
	// The statement equals the rollup over the same fact.
	h, _ := hierarchy.NewStore(p).Get("pl")
	want, err := hierarchy.Rollup(ctx, target, h, hierarchy.RollupInput{Table: "FACT_GL_JOURNAL_LINES", Value: "AMOUNT", Column: "account", SourceColumn: "account_code", By: []string{"fiscal_year", "fiscal_quarter"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := target.Query(ctx, `SELECT "NODE_CODE", CAST(fiscal_year AS VARCHAR), CAST(fiscal_quarter AS VARCHAR), CAST("AMOUNT" AS DOUBLE) FROM "DT_3_PL"`, connector.QueryOptions{MaxRows: -1})
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
			v := got[l.Code+"|"+k[0]+"|"+k[1]]
			w := l.Values[gi]
			if w == nil {
				if v != nil {
					t.Errorf("%s %v: DT_3 %v, rollup none", l.Code, k, v)
				}
				continue
			}
			n++
			if f, ok := v.(float64); !ok || !hierarchytest.SameAsDouble(*w, f, l.Type == hierarchy.TypeFormula) {
				t.Errorf("%s %v: DT_3 %v, rollup %v", l.Code, k, v, *w)
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d values compared", n)
	}
}
