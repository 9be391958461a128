package mcpserver

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/reconcile"
)

// The reconcile row tools over a DuckDB file: compare_tables gives the
// service's result (an error result carrying it when the tables differ),
// get_reconciliation_details pages the recorded run, reconcile_totals ties
// out; all read-only.
func TestReconcileRowTools(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "rec"); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(root, "r.duckdb")
	c, err := connector.Open(ctx, "load", connector.Config{Type: "duckdb", Path: db})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"CREATE TABLE a (id INTEGER, period VARCHAR, amount DECIMAL(18,2))",
		"INSERT INTO a VALUES (1, '2025-01', 10.00), (2, '2025-01', 20.00), (3, '2025-02', 30.00), (4, '2025-02', 5.00)",
		"CREATE TABLE b (id BIGINT, period VARCHAR, amount DOUBLE)",
		"INSERT INTO b VALUES (1, '2025-01', 10.0), (2, '2025-01', 21.0), (3, '2025-02', 30.0), (5, '2025-02', 5.0)",
	} {
		if _, err := c.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := connections.New(p).Add(ctx, connections.AddInput{Name: "w", Config: connector.Config{Type: "duckdb", Path: db}}); err != nil {
		t.Fatal(err)
	}
	p, _ = project.Open(root)
	cs := newSession(t, p, Options{ReadOnly: true, Toolsets: []string{"reconcile"}})

	res := callRaw(t, cs, "compare_tables", map[string]any{"left": "w.a", "right": "w.b", "key": []string{"id"}})
	if !res.IsError || res.StructuredContent == nil {
		t.Fatalf("compare_tables: want an error result with the result, got %+v", res)
	}
	var got reconcile.RowsResult
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want, err := reconcile.New(p, connections.New(p)).Rows(ctx, reconcile.RowsInput{Left: "w.a", Right: "w.b", Key: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	got.RunID, want.RunID, got.ElapsedMS, want.ElapsedMS = "", "", 0, 0
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) {
		t.Errorf("compare_tables differs from the service:\nmcp     %s\nservice %s", gj, wj)
	}
	if got.Summary.Changed != 1 || got.Summary.OnlyLeft != 1 || got.Summary.OnlyRight != 1 || got.Summary.Matched != 3 {
		t.Errorf("summary %+v", got.Summary)
	}

	var runID string
	json.Unmarshal(b, &struct {
		RunID *string `json:"run_id"`
	}{&runID})
	d := call[reconcile.DetailsResult](t, cs, "get_reconciliation_details", map[string]any{"id": runID, "kind": "changed"})
	if d.Total != 1 || len(d.Changed) != 1 || d.Changed[0].Columns[0].Name != "amount" {
		t.Errorf("details %+v", d)
	}
	if msg := callErr(t, cs, "get_reconciliation_details", map[string]any{"id": runID, "kind": "nope"}); msg == "" {
		t.Error("bad kind accepted")
	}

	tr := callRaw(t, cs, "reconcile_totals", map[string]any{"left": "w.a", "right": "w.b", "by": []string{"period"}, "measures": []string{"amount"}})
	if !tr.IsError {
		t.Fatalf("reconcile_totals: want an error result (2025-01 differs by 1.00)")
	}
	ok := call[reconcile.TotalsResult](t, cs, "reconcile_totals", map[string]any{"left": "w.a", "right": "w.a", "measures": []string{"amount"}})
	if !ok.Agree || *ok.Totals[0].Left != "65.00" {
		t.Errorf("self totals %+v", ok)
	}
	if msg := callErr(t, cs, "compare_tables", map[string]any{"left": "w.a", "right": "w.b", "key": []string{"id"}, "where": "amount > 0; DROP TABLE a"}); msg == "" {
		t.Error("hostile where accepted")
	}
}
