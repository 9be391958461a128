package analytics_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/analytics"
)

// Plain-English questions against the budget: answered from the actuals
// and the budget merged, with the budget's column; not answered (with the
// reason) when the project has no such scenario.
func TestAskAgainstBudget(t *testing.T) {
	p := quickstartProject(t)
	s := analytics.New(p)
	ctx := context.Background()
	q := "revenue vs budget in FY2026"
	a, err := s.Ask(ctx, analytics.AskInput{Question: q})
	if err != nil {
		t.Fatal(err)
	}
	if a.Answered || !strings.Contains(a.Reason, "budget import") {
		t.Fatalf("answered without a budget: %+v", a)
	}
	f, _ := filepath.Abs(filepath.Join("..", "..", "examples", "finance_budget", "budget_fy2026.csv"))
	if _, err := s.ImportScenario(ctx, analytics.ScenarioImport{File: f, Name: "budget_fy2026"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ q, col, want string }{
		{"revenue vs budget in FY2026", "revenue_budget", "33100675.79"},
		{"budget vs actual net income for FY2026", "net_income_budget", "4394229.53"},
		{"revenue against the plan in FY2026", "revenue_budget", "33100675.79"},
	} {
		a, err := s.Ask(ctx, analytics.AskInput{Question: c.q})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Answered || !strings.Contains(a.Interpretation, "compared with the budget") {
			t.Fatalf("%q: %+v", c.q, a)
		}
		i := -1
		for j, col := range a.Columns {
			if col.Name == c.col {
				i = j
			}
		}
		if i < 0 || len(a.Rows) != 1 || dec(t, a.Rows[0][i]).String() != c.want {
			t.Fatalf("%q: columns %v rows %v, want %s = %s", c.q, a.Columns, a.Rows, c.col, c.want)
		}
	}
	// "budget" with nothing compared is not a comparison.
	if a, _ := s.Ask(ctx, analytics.AskInput{Question: "budget revenue"}); a != nil && a.Answered && strings.Contains(a.Interpretation, "compared") {
		t.Fatalf("a comparison without a comparison word: %+v", a)
	}
	// A forecast to compare with must have been saved.
	a, err = s.Ask(ctx, analytics.AskInput{Question: "net income vs forecast in FY2026"})
	if err != nil || a.Answered || !strings.Contains(a.Reason, "--save") {
		t.Fatalf("forecast: %+v %v", a, err)
	}
}
