package nlq

import (
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// stockLayer is testLayer with a monthly balances snapshot: a closing
// balance (a stock, read at a bucket's last month), an opening balance
// (its first) and a movement (a flow).
func stockLayer() *semlayer.Layer {
	l := testLayer()
	l.Models = append(l.Models, &semlayer.Model{Name: "balances", Table: "FACT_BALANCES", Role: "fact", Label: "balances",
		Description: "balances (periodic snapshot fact)", TimeColumn: "period_date",
		Dimensions: []*semlayer.Dimension{{Name: "period_date", Column: "period_date", Type: "time"}},
		Measures: []*semlayer.Measure{
			{Name: "closing_balance", Column: "closing_balance", Agg: semlayer.AggSum, Money: true, NonAdditive: &semlayer.NonAdditive{Time: semlayer.TimeLast}},
			{Name: "opening_balance", Column: "opening_balance", Agg: semlayer.AggSum, Money: true, NonAdditive: &semlayer.NonAdditive{Time: semlayer.TimeFirst}},
			{Name: "movement", Column: "movement", Agg: semlayer.AggSum, Money: true},
		}})
	// A snapshot whose numbers the layer did not tell apart: each is
	// read as a balance.
	l.Models = append(l.Models, &semlayer.Model{Name: "levels", Table: "FACT_LEVELS", Role: "fact", Label: "levels",
		Description: "levels (periodic snapshot fact)", TimeColumn: "level_date",
		Dimensions: []*semlayer.Dimension{{Name: "level_date", Column: "level_date", Type: "time"}},
		Measures:   []*semlayer.Measure{{Name: "units_held", Column: "units_held", Agg: semlayer.AggSum}}})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "units_held", Type: semlayer.MetricSimple, Label: "units held", Format: "number", Model: "levels", Measure: "units_held"})
	l.Metrics = append(l.Metrics,
		&semlayer.Metric{Name: "closing_balance", Type: semlayer.MetricSimple, Label: "closing balance", Format: "money", Model: "balances", Measure: "closing_balance"},
		&semlayer.Metric{Name: "opening_balance", Type: semlayer.MetricSimple, Label: "opening balance", Format: "money", Model: "balances", Measure: "opening_balance"},
		&semlayer.Metric{Name: "movement", Type: semlayer.MetricSimple, Label: "movement", Format: "money", Model: "balances", Measure: "movement"})
	return l
}

func TestStockEdges(t *testing.T) {
	askStock := func(q string) *Interpretation {
		return Parse(Input{Layer: stockLayer(), Members: testMembers, Question: q, AsOf: asOf})
	}
	for _, c := range []struct {
		q      string
		metric string
	}{
		{"closing balance at the end of FY2025", "closing_balance"},
		{"closing balance in FY2025", "closing_balance"}, // a stock over a year: its last month
		{"opening balance at the beginning of FY2025", "opening_balance"},
		{"closing balance by quarter in FY2025", "closing_balance"},
		// Beside the stocks the layer marks, the snapshot's other
		// numbers are flows: the year's movement adds up.
		{"movement in FY2025", "movement"},
	} {
		it := askStock(c.q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		want(t, it.Spec.Metrics, c.metric)
		wantRange(t, it.Spec, day(2024, 7, 1), day(2025, 7, 1))
	}
	for _, c := range []struct{ q, why string }{
		{"movement at the end of FY2025", "no value at the end"},
		{"opening balance at the end of FY2025", "no value at the end"},
		{"closing balance at the beginning of FY2025", "no value at the beginning"},
		{"revenue at the end of FY2025", "no value at the end"},
		{"units held in FY2025", "a balance (a snapshot per period)"},
		{"average closing balance in FY2025", "a balance, is not supported"},
		{"average monthly closing balance in FY2025", "a balance, is not supported"},
	} {
		it := askStock(c.q)
		if it.Answerable {
			t.Errorf("%q: answered %+v", c.q, it.Spec)
		} else if !strings.Contains(it.Reason, c.why) {
			t.Errorf("%q: reason %q, want %q", c.q, it.Reason, c.why)
		}
	}
}

func TestRunningTotals(t *testing.T) {
	for _, c := range []struct {
		q, cumulative string
		from          time.Time
	}{
		{"cumulative revenue by month in FY2026", query.CumulativeAll, day(2025, 7, 1)},
		{"running total of sales by quarter in FY2025", query.CumulativeAll, day(2024, 7, 1)},
		{"YTD revenue by month", query.CumulativeFiscalYear, day(2026, 7, 1)},
	} {
		it := ask(t, c.q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		if it.Spec.Cumulative != c.cumulative || it.Spec.Time == nil || !it.Spec.Time.From.Equal(c.from) {
			t.Errorf("%q: cumulative %q from %v, want %q from %v", c.q, it.Spec.Cumulative, it.Spec.Time, c.cumulative, c.from)
		}
	}
	// Without a grain, a running total's end is the total.
	if it := ask(t, "cumulative revenue in FY2026"); !it.Answerable || it.Spec.Cumulative != "" {
		t.Errorf("cumulative revenue in FY2026: %+v %s", it.Spec, it.Reason)
	}
	for _, q := range []string{"cumulative revenue by fiscal year", "cumulative number of customers by month in FY2026"} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q: answered %+v", q, it.Spec)
		}
	}
	if it := ask(t, "revenue YTD"); !it.Answerable || it.Spec.Cumulative != "" {
		t.Errorf("revenue YTD: %+v %s", it.Spec, it.Reason)
	}
}

// A member at a period's end is its balance: "Germany at year end
// FY2025", "… at the end of each quarter" (by quarter).
func TestStockEdgeWithoutMetric(t *testing.T) {
	l := stockLayer()
	l.Model("balances").Entities = []*semlayer.Entity{{Name: "customer", Type: "foreign", Column: "CUSTOMERS_SK", Ref: "customers"}}
	askStock := func(q string) *Interpretation {
		return Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
	}
	for _, q := range []string{"Acme Industries at year end FY2025", "Acme Industries at the end of FY2025"} {
		it := askStock(q)
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		want(t, it.Spec.Metrics, "closing_balance")
		wantRange(t, it.Spec, day(2024, 7, 1), day(2025, 7, 1))
	}
	it := askStock("closing balance at the end of each quarter in FY2025")
	if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Grain != semlayer.GrainFiscalQuarter {
		t.Errorf("end of each quarter: %+v %s", it.Spec, it.Reason)
	}
	if it := askStock("revenue at the end of each month"); it.Answerable {
		t.Errorf("revenue at the end of each month answered: %s", it.Text)
	}
}
