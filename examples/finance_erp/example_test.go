// Package financeerp holds no code: its test checks what README.md says
// about the example's data and the FY2026 budget in ../finance_budget, so
// a regenerated example cannot drift from it.
package financeerp

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestExample(t *testing.T) {
	periods := readCSV(t, "periods.csv")
	if len(periods) != 36 || periods[0]["period_id"] != "2023-07" || periods[35]["period_id"] != "2026-06" {
		t.Fatalf("%d periods, want 36 from 2023-07 to 2026-06", len(periods))
	}
	fy := map[string]string{}
	for _, p := range periods {
		fy[p["period_id"]] = p["fiscal_year"]
	}
	if fy["2023-07"] != "2024" || fy["2024-06"] != "2024" || fy["2026-06"] != "2026" {
		t.Errorf("fiscal years: %v", fy)
	}

	// Exchange rates: every period × currency, USD = 1, six decimals.
	currencies := readCSV(t, "currencies.csv")
	rates := map[[2]string]float64{}
	sixDecimals := regexp.MustCompile(`^\d+\.\d{6}$`)
	for _, r := range readCSV(t, "exchange_rates.csv") {
		if !sixDecimals.MatchString(r["rate_to_usd"]) {
			t.Errorf("rate %v: not six decimals", r)
		}
		rates[[2]string{r["period_id"], r["currency_code"]}] = num(t, r["rate_to_usd"])
	}
	for _, p := range periods {
		for _, c := range currencies {
			k := [2]string{p["period_id"], c["currency_code"]}
			v, ok := rates[k]
			if !ok || v <= 0 || (c["currency_code"] == "USD" && v != 1) {
				t.Errorf("rate %v = %v (present %v)", k, v, ok)
			}
		}
	}
	if len(rates) != len(periods)*len(currencies) {
		t.Errorf("%d rates, want %d", len(rates), len(periods)*len(currencies))
	}

	// The ledger: a moderate size, every journal balanced in cents, every
	// line in a known period and with a rate, several currencies.
	gl := readCSV(t, "gl_journal_lines.csv")
	if len(gl) < 5000 || len(gl) > 8000 {
		t.Errorf("%d GL lines, want 5,000–8,000", len(gl))
	}
	bal := map[string]int64{}
	cur := map[string]bool{}
	usd := map[string]map[string]float64{} // fiscal year → revenue, net income (USD)
	actual := map[[3]string]float64{}      // FY2026 period, account, cost centre → USD, debit positive
	for _, l := range gl {
		amt := num(t, l["debit"]) - num(t, l["credit"])
		bal[l["journal_id"]] += int64(math.Round(amt * 100))
		cur[l["currency_code"]] = true
		rate, ok := rates[[2]string{l["period_id"], l["currency_code"]}]
		if !ok || fy[l["period_id"]] == "" {
			t.Fatalf("line %v: no period or rate", l)
		}
		acct, _ := strconv.Atoi(l["account_code"])
		if acct < 4000 || acct > 8999 {
			continue
		}
		y := fy[l["period_id"]]
		if usd[y] == nil {
			usd[y] = map[string]float64{}
		}
		if acct < 4300 {
			usd[y]["revenue"] -= amt * rate
		}
		usd[y]["net income"] -= amt * rate
		if y == "2026" {
			actual[[3]string{l["period_id"], l["account_code"], l["cost_center_code"]}] += amt * rate
		}
	}
	for j, b := range bal {
		if b != 0 {
			t.Errorf("journal %s does not balance: %d cents", j, b)
		}
	}
	if len(cur) < 5 {
		t.Errorf("currencies in the ledger: %v", cur)
	}
	// Revenue grows 10–15% a year; the business makes money.
	for _, y := range [][2]string{{"2024", "2025"}, {"2025", "2026"}} {
		g := usd[y[1]]["revenue"]/usd[y[0]]["revenue"] - 1
		if g < 0.10 || g > 0.15 {
			t.Errorf("revenue growth FY%s → FY%s %.1f%%", y[0], y[1], 100*g)
		}
		if usd[y[1]]["net income"] <= usd[y[0]]["net income"] {
			t.Errorf("net income FY%s %.0f, FY%s %.0f", y[0], usd[y[0]]["net income"], y[1], usd[y[1]]["net income"])
		}
	}

	// The budget: FY2026, P&L accounts, USD, debit positive; each month
	// of each line within ±3–12% of the actual in USD, each line's year
	// within ±3.5–10%, some over and some under.
	budget := readCSV(t, filepath.Join("..", "finance_budget", "budget_fy2026.csv"))
	type pair struct{ budget, actual float64 }
	lines := map[[2]string]*pair{}
	for _, b := range budget {
		acct, _ := strconv.Atoi(b["account_code"])
		if fy[b["period_id"]] != "2026" || acct < 4000 || acct > 8999 {
			t.Fatalf("budget row %v: not FY2026 or not a P&L account", b)
		}
		amt := num(t, b["amount"])
		if (acct < 5000) != (amt < 0) {
			t.Errorf("budget row %v: revenue is negative, costs positive", b)
		}
		a := actual[[3]string{b["period_id"], b["account_code"], b["cost_center_code"]}]
		if d := math.Abs(a/amt - 1); d < 0.03 || d > 0.12 {
			t.Errorf("budget row %v: actual %.2f, %.1f%% off", b, a, 100*(a/amt-1))
		}
		k := [2]string{b["account_code"], b["cost_center_code"]}
		if lines[k] == nil {
			lines[k] = &pair{}
		}
		lines[k].budget += amt
	}
	for k, a := range actual {
		if p := lines[[2]string{k[1], k[2]}]; p != nil {
			p.actual += a
		} else if math.Abs(a) >= 0.5 {
			t.Errorf("no budget for %v (actual %.2f)", k, a)
		}
	}
	over, under := 0, 0
	for k, p := range lines {
		d := p.actual/p.budget - 1
		if math.Abs(d) < 0.035 || math.Abs(d) > 0.10 {
			t.Errorf("budget line %v: actual %.0f, budget %.0f, %.1f%% off", k, p.actual, p.budget, 100*d)
		}
		if d > 0 {
			over++
		} else {
			under++
		}
	}
	if over < 5 || under < 5 {
		t.Errorf("%d lines over budget, %d under", over, under)
	}
}
