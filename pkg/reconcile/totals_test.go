package reconcile

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connector"
)

type glLine struct {
	period, account string
	amount          decimal.Decimal
}

// genGL makes GL lines and a subledger with planted group differences:
// one group off by 5.00, one within 0.01, one group only on the left
// (ledger), one only on the right; the rest tie out, in another order
// and split into different lines.
func genGL(seed int64) (left, right []glLine, want map[string]string) {
	rng := rand.New(rand.NewSource(seed))
	want = map[string]string{}
	periods := []string{"2025-01", "2025-02", "2025-03"}
	accounts := []string{"4000", "5000", "6000", "6100", "7000"}
	for _, p := range periods {
		for _, a := range accounts {
			key := p + "|" + a
			var total decimal.Decimal
			for i := 0; i < 3+rng.Intn(4); i++ {
				amt := decimal.New(rng.Int63n(2_000_000)-1_000_000, -2)
				total = total.Add(amt)
				left = append(left, glLine{p, a, amt})
			}
			// The right side holds the same total in two lines.
			half := decimal.New(rng.Int63n(100_000), -2)
			right = append(right, glLine{p, a, half}, glLine{p, a, total.Sub(half)})
			want[key] = "equal"
		}
	}
	// Plant.
	right[0].amount = right[0].amount.Add(decimal.NewFromInt(5))
	want[right[0].period+"|"+right[0].account] = "different"
	right[3].amount = right[3].amount.Add(decimal.New(1, -2))
	left = append(left, glLine{"2025-04", "4000", decimal.NewFromInt(10)})
	want["2025-04|4000"] = "only_left"
	right = append(right, glLine{"2025-04", "9999", decimal.NewFromInt(-7)})
	want["2025-04|9999"] = "only_right"
	rng.Shuffle(len(right), func(i, j int) { right[i], right[j] = right[j], right[i] })
	return left, right, want
}

func (e *rowsEnv) loadGL(engine, amountType, name string, lines []glLine) string {
	e.t.Helper()
	conn, cfg := e.cfg(engine)
	ctx := context.Background()
	c, err := connector.Open(ctx, "load", cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	defer c.Close()
	textType := "VARCHAR(20)"
	if engine == "databricks" {
		textType = "STRING"
	}
	c.Exec(ctx, "DROP TABLE IF EXISTS "+name)
	if _, err := c.Exec(ctx, "CREATE TABLE "+name+" (period "+textType+", account "+textType+", amount "+amountType+")"); err != nil {
		e.t.Fatal(err)
	}
	if engine != "duckdb" {
		e.drop = append(e.drop, func() {
			if c, err := connector.Open(context.Background(), "drop", cfg); err == nil {
				c.Exec(context.Background(), "DROP TABLE IF EXISTS "+name)
				c.Close()
			}
		})
	}
	var vals []string
	for _, l := range lines {
		amt := l.amount.StringFixed(2)
		if strings.Contains(amountType, "TEXT") {
			amt = fxLit(amt)
		}
		vals = append(vals, fmt.Sprintf("(%s, %s, %s)", fxLit(l.period), fxLit(l.account), amt))
	}
	if _, err := c.Exec(ctx, "INSERT INTO "+name+" (period, account, amount) VALUES "+strings.Join(vals, ", ")); err != nil {
		e.t.Fatal(err)
	}
	return conn + "." + name
}

// glSide is one side of a totals pair: an engine and the amount's type.
type glSide struct{ engine, typ string }

func TestTotals(t *testing.T) {
	e := newRowsEnv(t, true, true)
	pairs := [][2]glSide{
		{{"duckdb", "DECIMAL(18,2)"}, {"duckdb", "DOUBLE"}},
		{{"duckdb", "DECIMAL(18,2)"}, {"postgres", "NUMERIC(18,4)"}},
		{{"postgres", "NUMERIC(18,2)"}, {"mysql", "TEXT"}},
	}
	for _, pr := range pairs {
		if (pr[1].engine == "postgres" || pr[0].engine == "postgres") && !e.pg || pr[1].engine == "mysql" && !e.my {
			continue
		}
		e.checkTotals(pr, fxSeeds)
	}
}

// checkTotals ties out planted GL and subledger lines of each seed on the
// pair's engines against the planted groups.
func (e *rowsEnv) checkTotals(pr [2]glSide, seeds []int64) {
	t := e.t
	t.Helper()
	for _, seed := range seeds {
		left, right, want := genGL(seed)
		l := e.loadGL(pr[0].engine, pr[0].typ, fxName("gl"), left)
		r := e.loadGL(pr[1].engine, pr[1].typ, fxName("sub"), right)
		res, err := e.svc.Totals(context.Background(), TotalsInput{Left: l, Right: r, By: []string{"period", "account"},
			Measures: []string{"amount"}, Tolerance: []string{"amount=abs:0.01"}})
		if err != nil {
			t.Fatalf("%s vs %s: %v", l, r, err)
		}
		got := map[string]string{}
		for _, g := range res.Groups {
			got[fmt.Sprint(g.Key["period"])+"|"+fmt.Sprint(g.Key["account"])] = g.Status
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s vs %s: groups\n got %v\nwant %v", l, r, got, want)
		}
		// Exact sums: the left grand total is the sum of the lines.
		var lt decimal.Decimal
		for _, x := range left {
			lt = lt.Add(x.amount)
		}
		if *res.Totals[0].Left != lt.StringFixed(2) {
			t.Errorf("%s: left total %s, want %s", l, *res.Totals[0].Left, lt)
		}
		if res.Agree || res.Summary.Different != 1 || res.Summary.OnlyLeft != 1 || res.Summary.OnlyRight != 1 {
			t.Errorf("%s vs %s: %+v", l, r, res.Summary)
		}
		for _, g := range res.Groups {
			if g.Status == "different" && strings.TrimPrefix(*g.Measures[0].Difference, "-") != "5.00" {
				t.Errorf("difference %s, want ±5", *g.Measures[0].Difference)
			}
		}
		// A table ties out with itself, grand total only.
		self, err := e.svc.Totals(context.Background(), TotalsInput{Left: l, Right: l, Measures: []string{"amount"}})
		if err != nil || !self.Agree || len(self.Groups) != 1 {
			t.Errorf("self: %+v, %v", self, err)
		}
	}
}
