package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// paidLayer: the test layer with payments made against the sales.
func paidLayer(linked bool) *semlayer.Layer {
	l := testLayer()
	l.Model("sales_lines").Dimensions = append(l.Model("sales_lines").Dimensions, &semlayer.Dimension{Name: "receipt_no", Column: "receipt_no", Type: "categorical", Hidden: true})
	ref := "sales_lines"
	if !linked {
		ref = "customers"
	}
	l.Models = append(l.Models, &semlayer.Model{Name: "payments", Table: "FACT_PAYMENTS", Role: "fact", Label: "payments", TimeColumn: "paid_date",
		Entities:   []*semlayer.Entity{{Name: "sale", Type: "foreign", Column: "receipt_no", Ref: ref, RefColumn: "receipt_no"}},
		Dimensions: []*semlayer.Dimension{{Name: "paid_date", Column: "paid_date", Type: "time"}},
		Measures:   []*semlayer.Measure{{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true}}})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "payments_amount", Type: semlayer.MetricSimple, Label: "payments amount", Format: "money", Model: "payments", Measure: "amount"})
	return l
}

// "Unpaid", "outstanding", "owed": the amount of the sales less the
// payments made against them, over all time, as an amount only.
func TestUnpaid(t *testing.T) {
	for _, q := range []string{
		"top 5 customers by unpaid amount",
		"outstanding balance by segment",
		"how much do Enterprise customers owe",
		"which customers have unpaid invoices",
		"total receivables by segment",
		"total accounts receivable",
		"open balance by segment",
	} {
		t.Run(q, func(t *testing.T) {
			it := Parse(Input{Layer: paidLayer(true), Members: testMembers, Question: q, AsOf: asOf})
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			if len(it.Spec.Derived) != 1 || it.Spec.Derived[0].Expr != "net_amount - payments_amount" {
				t.Fatalf("derived %+v, want the sales less the payments", it.Spec.Derived)
			}
			want(t, it.Spec.Metrics, it.Spec.Derived[0].Name)
			if it.Spec.Time != nil {
				t.Errorf("time %+v, want none", it.Spec.Time)
			}
			if !strings.Contains(it.Text, "unpaid amount") {
				t.Errorf("interpretation %q", it.Text)
			}
		})
	}
	it := Parse(Input{Layer: paidLayer(true), Members: testMembers, Question: "which customers have unpaid invoices", AsOf: asOf})
	if len(it.Spec.Having) != 1 || it.Spec.Having[0].Op != ">" || it.Spec.Having[0].Value != "0" {
		t.Errorf("having %+v, want those that owe (> 0)", it.Spec.Having)
	}
	for _, c := range []struct {
		q      string
		linked bool
		reason string
	}{
		{"how many sales lines are still unpaid", true, "is not computed"},
		{"unpaid amount in FY2025", true, "end of a period"},
		{"top 5 customers by unpaid amount", false, "do not say which invoice"},
		{"days sales outstanding in FY2025", true, "number of days"},
		{"days sales outstanding", true, "number of days"},
		{"DSO by segment", true, "number of days"},
	} {
		it := Parse(Input{Layer: paidLayer(c.linked), Members: testMembers, Question: c.q, AsOf: asOf})
		if it.Answerable {
			t.Errorf("%q answered: %s", c.q, it.Text)
		} else if !strings.Contains(it.Reason, c.reason) {
			t.Errorf("%q: reason %q, want %q", c.q, it.Reason, c.reason)
		}
	}
	if it := ask(t, "outstanding amount by customer"); it.Answerable {
		t.Errorf("without payments answered: %s", it.Text)
	}
}

// "Cash received", "the past 6 months": more words for the payments and
// for "last".
func TestCashReceivedAndPast(t *testing.T) {
	it := Parse(Input{Layer: paidLayer(true), Members: testMembers, Question: "cash received from Enterprise customers over the past 6 months", AsOf: asOf})
	if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "payments_amount" || it.Spec.Time == nil || it.Spec.Time.Count != 6 {
		t.Errorf("cash received: %s %+v", it.Reason, it.Spec)
	}
	last := Parse(Input{Layer: paidLayer(true), Members: testMembers, Question: "payments last quarter", AsOf: asOf})
	past := Parse(Input{Layer: paidLayer(true), Members: testMembers, Question: "payments in the past quarter", AsOf: asOf})
	if !past.Answerable || past.Spec.Time == nil || last.Spec.Time == nil || !past.Spec.Time.From.Equal(last.Spec.Time.From) || !past.Spec.Time.To.Equal(last.Spec.Time.To) {
		t.Errorf("past quarter: %s %+v, want %+v", past.Reason, past.Spec.Time, last.Spec.Time)
	}
}

// "Collection rate": the payments as a percentage of the revenue;
// "number of payments received": "received" qualifies the payments.
func TestCollectionRate(t *testing.T) {
	l := paidLayer(true)
	l.Model("payments").Measures = append(l.Model("payments").Measures, &semlayer.Measure{Name: "row_count", Column: "*", Agg: semlayer.AggCount})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "payments_count", Type: semlayer.MetricSimple, Label: "number of payments", Format: "count", Model: "payments", Measure: "row_count"})
	it := Parse(Input{Layer: l, Members: testMembers, Question: "collection rate by segment in FY2025", AsOf: asOf})
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Metrics[0] != "payments_amount_pct_of_net_amount" || !it.Spec.Ratios[0].Percent {
		t.Errorf("collection rate: %s %+v", it.Reason, it.Spec)
	}
	it = Parse(Input{Layer: l, Members: testMembers, Question: "number of payments received in FY2025", AsOf: asOf})
	if !it.Answerable || it.Spec.Metrics[0] != "payments_count" {
		t.Errorf("payments received: %s %+v", it.Reason, it.Spec)
	}
}

// What we owe is payables, not what customers owe us; what is left to
// collect is what is unpaid, not the payments collected.
func TestOwedByWhom(t *testing.T) {
	for _, q := range []string{"money we owe", "how much do we still owe", "amount owed by us"} {
		if it := Parse(Input{Layer: paidLayer(true), Members: testMembers, Question: q, AsOf: asOf}); it.Answerable || !strings.Contains(it.Reason, "payables") {
			t.Errorf("%q: answerable %v, reason %q", q, it.Answerable, it.Reason)
		}
	}
	for _, q := range []string{"money owed to us", "what do we need to collect", "how much is left to collect from Enterprise customers"} {
		it := Parse(Input{Layer: paidLayer(true), Members: testMembers, Question: q, AsOf: asOf})
		if !it.Answerable || len(it.Spec.Derived) != 1 || it.Spec.Derived[0].Expr != "net_amount - payments_amount" {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
		}
	}
}

// "Which currency has the highest unpaid amount": the unpaid amount is in
// each invoice's currency, so ranking the currencies by it compares
// amounts that cannot be compared without exchange rates; "unpaid amount
// by currency" is still answered, one row per currency.
func TestUnpaidCurrencyRanking(t *testing.T) {
	l := paidLayer(true)
	members := inCurrencies(l)
	for _, q := range []string{"which currency has the highest unpaid amount", "top currency by outstanding balance"} {
		if it := Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf}); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		} else if !strings.Contains(it.Reason, "exchange rates") {
			t.Errorf("%q: reason %q", q, it.Reason)
		}
	}
	if it := Parse(Input{Layer: l, Members: members, Question: "unpaid amount by currency code", AsOf: asOf}); !it.Answerable {
		t.Errorf("unpaid amount by currency: %s", it.Reason)
	}
}
