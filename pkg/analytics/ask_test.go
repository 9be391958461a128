package analytics_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/all"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
)

// TestAskOnQuickstart asks questions of the quickstart's finance
// warehouse and checks the numbers against hand-written SQL on the same
// warehouse: amounts converted to USD at each period's rate, P&L lines by
// the pl hierarchy's account ranges (revenue 4000–4999, gross profit
// 4000–5999, shown positive).
func TestAskOnQuickstart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the quickstart warehouse")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "qs")
	if _, err := quickstart.Run(ctx, quickstart.Options{Dir: dir, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := analytics.New(p)
	if _, err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	conn, err := connections.New(p).Connect(ctx, "", true)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sqlRows := func(q string) [][]string {
		t.Helper()
		res, err := conn.Query(ctx, q, connector.QueryOptions{MaxRows: -1, Timeout: time.Minute})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return texts(res.Rows)
	}
	asOf := time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC)
	const converted = `FROM FACT_GL_JOURNAL_LINES f JOIN DIM_EXCHANGE_RATES r ON r.period_id = f.period_id AND r.currency_code = f.currency_code`

	t.Run("gross profit by quarter vs prior year", func(t *testing.T) {
		ans, err := s.Ask(ctx, analytics.AskInput{Question: "gross profit by quarter for FY2025 vs prior year", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if !ans.Answered {
			t.Fatalf("not answered: %s", ans.Reason)
		}
		if !strings.Contains(ans.Interpretation, "FY2025") || !strings.Contains(ans.Interpretation, "prior year") {
			t.Errorf("interpretation %q", ans.Interpretation)
		}
		if ans.Chart != "line" {
			t.Errorf("chart %q, want line", ans.Chart)
		}
		want := sqlRows(`
WITH q AS (SELECT f.fiscal_year AS y, f.fiscal_quarter AS q, -SUM(f.AMOUNT * r.rate_to_usd) AS gp ` + converted + `
  WHERE f.account_code BETWEEN 4000 AND 5999 AND f.fiscal_year IN (2024, 2025) GROUP BY 1, 2)
SELECT c.y, c.q, ROUND(c.gp, 2), ROUND(p.gp, 2), ROUND(c.gp - p.gp, 2), ROUND(100 * (c.gp - p.gp) / ABS(p.gp), 2)
FROM q c JOIN q p ON p.q = c.q AND p.y = c.y - 1 WHERE c.y = 2025 ORDER BY c.q`)
		got := texts(ans.Rows)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got %v\nwant %v", got, want)
		}
		if len(ans.Columns) != 6 || ans.Columns[2].Metric != "gross_profit" {
			t.Errorf("columns %+v", ans.Columns)
		}
	})

	t.Run("top customers by revenue", func(t *testing.T) {
		ans, err := s.Ask(ctx, analytics.AskInput{Question: "top 3 customers by revenue in FY2026", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if !ans.Answered {
			t.Fatalf("not answered: %s", ans.Reason)
		}
		want := sqlRows(`SELECT c.customer_name, ROUND(-SUM(f.AMOUNT * r.rate_to_usd), 2) AS revenue ` + converted + `
  JOIN DIM_CUSTOMERS c ON f.CUSTOMERS_SK = c.CUSTOMERS_SK
  WHERE f.account_code BETWEEN 4000 AND 4999 AND f.fiscal_year = 2026 GROUP BY 1 ORDER BY revenue DESC LIMIT 3`)
		if got := texts(ans.Rows); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got %v\nwant %v", got, want)
		}
	})

	t.Run("what a grouped answer leaves out is said", func(t *testing.T) {
		// Some revenue lines carry no customer: revenue by customer is
		// answered, and a note gives the revenue on the rows without a
		// customer, equal to hand SQL.
		ans, err := s.Ask(ctx, analytics.AskInput{Question: "revenue by customer in FY2026", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if !ans.Answered {
			t.Fatalf("not answered: %s", ans.Reason)
		}
		want := sqlRows(`SELECT ROUND(-SUM(f.AMOUNT * r.rate_to_usd), 2) ` + converted + `
  WHERE f.account_code BETWEEN 4000 AND 4999 AND f.fiscal_year = 2026 AND f.CUSTOMERS_SK IS NULL`)
		note := ""
		for _, n := range ans.Notes {
			if strings.HasPrefix(n, "Not in these rows:") {
				note = n
			}
		}
		wantAmt, err := decimal.NewFromString(want[0][0])
		if err != nil || wantAmt.IsZero() {
			t.Fatalf("hand SQL gave %v (%v): the fixture has no revenue without a customer", want, err)
		}
		if !strings.Contains(note, "Revenue of "+wantAmt.StringFixed(2)+" on rows without a customer") {
			t.Errorf("notes %q, want the revenue without a customer, %s", ans.Notes, wantAmt.StringFixed(2))
		}
		// No cost of sales line carries a customer (hand SQL): gross
		// profit by customer would be each customer's revenue, so it is
		// not answered, and says why.
		if n := sqlRows(`SELECT COUNT(*) FROM FACT_GL_JOURNAL_LINES f WHERE f.account_code BETWEEN 5000 AND 5999 AND f.CUSTOMERS_SK IS NOT NULL`); n[0][0] != "0" && n[0][0] != "0.00" {
			t.Fatalf("fixture: %s cost lines with a customer", n[0][0])
		}
		ans, err = s.Ask(ctx, analytics.AskInput{Question: "gross profit by customer in FY2026", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Answered || !strings.Contains(ans.Reason, "Cost of sales has no customer") {
			t.Errorf("gross profit by customer: answered %v, reason %q", ans.Answered, ans.Reason)
		}
		// A part only partly without a member is answered with its note.
		ans, err = s.Ask(ctx, analytics.AskInput{Question: "gross profit by product in FY2026", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if !ans.Answered {
			t.Errorf("gross profit by product: %s", ans.Reason)
		}
		// Nothing is left out of a question grouped by time alone.
		ans, err = s.Ask(ctx, analytics.AskInput{Question: "gross profit by quarter in FY2026", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ans.Notes {
			if strings.HasPrefix(n, "Not in these rows:") {
				t.Errorf("a note on a question grouped by time: %q", n)
			}
		}
	})

	t.Run("misspelt member and a relative quarter", func(t *testing.T) {
		ans, err := s.Ask(ctx, analytics.AskInput{Question: "revenue from globex holdngs last quarter", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if !ans.Answered {
			t.Fatalf("not answered: %s", ans.Reason)
		}
		want := sqlRows(`SELECT ROUND(-SUM(f.AMOUNT * r.rate_to_usd), 2) ` + converted + `
  JOIN DIM_CUSTOMERS c ON f.CUSTOMERS_SK = c.CUSTOMERS_SK
  WHERE f.account_code BETWEEN 4000 AND 4999 AND c.customer_name = 'Globex Holdings'
    AND f.posting_date >= DATE '2026-04-01' AND f.posting_date < DATE '2026-07-01'`)
		if got := texts(ans.Rows); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got %v\nwant %v", got, want)
		}
	})

	t.Run("not answered", func(t *testing.T) {
		for _, q := range []string{"headcount by region", "why did revenue drop in Q1 FY2026?", "revenue from Initech Widgets Ltd", "'; DROP TABLE FACT_GL_JOURNAL_LINES; --"} {
			ans, err := s.Ask(ctx, analytics.AskInput{Question: q, AsOf: asOf})
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if ans.Answered || ans.SQL != "" || ans.Reason == "" {
				t.Errorf("%q: answered %v sql %q reason %q", q, ans.Answered, ans.SQL, ans.Reason)
			}
			data, _ := json.Marshal(ans)
			for _, k := range []string{`"question"`, `"answered":false`, `"interpretation"`, `"sql"`, `"columns"`, `"rows"`, `"chart"`} {
				if !strings.Contains(string(data), k) {
					t.Errorf("%q: JSON has no %s: %s", q, k, data)
				}
			}
		}
	})

	t.Run("no rows", func(t *testing.T) {
		// Understood, but nothing in the warehouse is it: interest
		// expense lines carry no vendor. An empty table would read as an
		// answer.
		ans, err := s.Ask(ctx, analytics.AskInput{Question: "interest expense by vendor", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Answered || !strings.Contains(ans.Reason, "no rows") || len(ans.Rows) != 0 {
			t.Errorf("answered %v reason %q rows %v", ans.Answered, ans.Reason, ans.Rows)
		}
	})

	t.Run("glossary", func(t *testing.T) {
		path := filepath.Join(dir, ".databridge", filepath.FromSlash(analytics.GlossaryFile))
		if err := os.WriteFile(path, []byte("terms:\n  revenue: [takings]\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(path)
		ans, err := s.Ask(ctx, analytics.AskInput{Question: "takings in FY2025", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if !ans.Answered || ans.Spec == nil || ans.Spec.Metrics[0] != "revenue" {
			t.Fatalf("glossary word not understood: %+v", ans)
		}
	})
}

// texts are rows as text, numbers at two decimals.
func texts(rows [][]any) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		for _, v := range r {
			if dv, err := decimal.NewFromString(strings.TrimSpace(fmt.Sprint(v))); err == nil {
				out[i] = append(out[i], dv.Round(2).StringFixed(2))
				continue
			}
			out[i] = append(out[i], fmt.Sprint(v))
		}
	}
	return out
}
