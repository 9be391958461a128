package mcpserver

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
)

// The analytics toolset over the quickstart warehouse: an agent gets the
// same answer as the service (and so as `databridge query --json`), the
// toolset is read-only, and an unanswerable question is answered=false
// with the names to build a structured query from.
func TestAnalyticsTools(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "qs")
	if _, err := quickstart.Run(ctx, quickstart.Options{Dir: dir, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := &outputs{}
	cs := newSession(t, p, Options{ReadOnly: true, Toolsets: []string{"analytics"}})

	const q = "gross profit by quarter for FY2025 vs prior year"
	got := callOK[analytics.Answer](t, o, cs, "ask_question", map[string]any{"question": q, "as_of": "2026-07-15"})
	want, err := analytics.New(p).Ask(ctx, analytics.AskInput{Question: q, AsOf: time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Answered || got.Interpretation != want.Interpretation || got.SQL != want.SQL || len(got.Rows) != 4 {
		t.Fatalf("ask_question: %+v\nservice: %+v", got, want)
	}
	gj, _ := json.Marshal(got.Rows)
	wj, _ := json.Marshal(want.Rows)
	if string(gj) != string(wj) {
		t.Errorf("rows differ:\nmcp     %s\nservice %s", gj, wj)
	}

	ms := callOK[analytics.MetricList](t, o, cs, "list_metrics", map[string]any{"search": "margin"})
	if len(ms.Metrics) == 0 || !strings.Contains(ms.Metrics[0].Name, "margin") {
		t.Errorf("list_metrics: %+v", ms)
	}
	qr := callOK[analytics.QueryResult](t, o, cs, "query_metrics", map[string]any{"metrics": []string{"revenue"}, "by": []string{"fiscal_year"}, "against": "prior_year"})
	if len(qr.Rows) != 3 || len(qr.Columns) != 5 {
		t.Errorf("query_metrics: %+v", qr)
	}
	d := callOK[analytics.Description](t, o, cs, "describe_metric", map[string]any{"name": "gross_margin_pct"})
	if d.Kind != "metric" || d.SQL == "" || len(d.ByDimensions) == 0 {
		t.Errorf("describe_metric: %+v", d)
	}
	if d := callOK[analytics.DimensionList](t, o, cs, "list_dimensions", map[string]any{"search": "region"}); len(d.Dimensions) != 1 || d.Dimensions[0].Members == 0 {
		t.Errorf("list_dimensions: %+v", d)
	}
	if v := callOK[analytics.ValidateResult](t, o, cs, "validate_semantic_layer", nil); !v.OK {
		t.Errorf("validate_semantic_layer: %+v", v)
	}
	wf := callOK[workflowQueryResult](t, o, cs, "workflow_query_deployed_warehouse", map[string]any{"question": "headcount by region"})
	if wf.Answer == nil || wf.Answer.Answered || len(wf.Metrics) == 0 || len(wf.Dimensions) == 0 {
		t.Errorf("workflow on an unanswerable question: %+v", wf)
	}
	// Filters never take SQL text.
	msg := callFail(t, o, cs, "query_metrics", map[string]any{"metrics": []string{"revenue"}, "where": "1=1; DROP TABLE DIM_PERIODS"})
	if msg == "" {
		t.Error("hostile where accepted")
	}
}
