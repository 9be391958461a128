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

// A budget by hierarchy line: leaf lines as the statement shows them;
// every line above computes from them (revenue, gross profit), and a line
// that is not a leaf is refused naming its leaves.
func TestBudgetByLine(t *testing.T) {
	p := quickstartProject(t)
	s := analytics.New(p)
	ctx := context.Background()
	csv := "period_id,line,amount\n2025-07,REV_PRODUCT,1000000.00\n2025-07,rev_service,500000.00\n2025-07,COS_GOODS,600000.00\n2025-08,REV_PRODUCT,1100000.00\n"
	r, err := s.ImportScenario(ctx, analytics.ScenarioImport{CSV: csv, Name: "lines"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Loaded || r.Scenario.LineMapping == "" {
		t.Fatalf("import: %+v", r)
	}
	q, err := s.QueryMetrics(ctx, analytics.QueryArgs{Metrics: []string{"revenue", "cost_of_sales", "gross_profit"}, By: []string{"month"}, Period: "2025-07-01..2025-09-01", Scenario: "budget"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{"2025-07": {"1500000", "600000", "900000"}, "2025-08": {"1100000", "0", "1100000"}}
	for _, row := range q.Rows {
		w := want[row[0].(string)]
		for i := 0; i < 3; i++ {
			if got := dec(t, orZero(row[i+1])); !got.Equal(dec(t, w[i])) {
				t.Errorf("%s %s: %s, want %s", row[0], q.Columns[i+1].Name, got, w[i])
			}
		}
	}
	if _, err := s.ImportScenario(ctx, analytics.ScenarioImport{CSV: "period_id,line,amount\n2025-07,REVENUE,1\n", Name: "bad"}); err == nil || !strings.Contains(err.Error(), "not a leaf line: budget its leaves (REV_DEDUCTIONS, REV_OTHER_OPERATING, REV_PRODUCT, REV_SERVICE)") {
		t.Fatalf("a parent line: %v", err)
	}
	if _, err := s.ImportScenario(ctx, analytics.ScenarioImport{CSV: "period_id,line,amount\n2025-07,NO_SUCH,1\n", Name: "bad"}); err == nil || !strings.Contains(err.Error(), `"NO_SUCH" is not a line`) {
		t.Fatalf("an unknown line: %v", err)
	}
}

func orZero(v any) any {
	if v == nil {
		return "0"
	}
	return v
}
