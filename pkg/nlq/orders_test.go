package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// ordersLayer: orders with a status of their own (no end date), and
// refunds with a reason.
func ordersLayer() *semlayer.Layer {
	return &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{
			{Name: "orders", Table: "DIM_ORDERS", Role: "dimension", Label: "orders",
				Entities: []*semlayer.Entity{{Name: "order", Type: "primary", Column: "ORDERS_SK"}},
				Dimensions: []*semlayer.Dimension{
					{Name: "order_status", Column: "order_status", Type: "categorical", Members: true},
					{Name: "order_date", Column: "order_date", Type: "time"},
				},
				Measures: []*semlayer.Measure{{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}},
			{Name: "refunds", Table: "FACT_REFUNDS", Role: "fact", Label: "refunds", TimeColumn: "refund_date",
				Entities: []*semlayer.Entity{{Name: "order", Type: "foreign", Column: "ORDERS_SK", Ref: "orders"}},
				Dimensions: []*semlayer.Dimension{
					{Name: "refund_date", Column: "refund_date", Type: "time"},
					{Name: "reason", Column: "reason", Type: "categorical", Members: true},
				},
				Measures: []*semlayer.Measure{{Name: "refund_amount", Column: "refund_amount", Agg: semlayer.AggSum, Money: true}}},
		},
		Metrics: []*semlayer.Metric{
			{Name: "orders_count", Type: semlayer.MetricSimple, Label: "number of orders", Format: "count", Model: "orders", Measure: "row_count"},
			{Name: "refund_amount", Type: semlayer.MetricSimple, Label: "refund amount", Format: "money", Model: "refunds", Measure: "refund_amount"},
		},
	}
}

// "Cancelled orders" are the orders of that status where orders have no
// end date but a status of their own; "refunds by reason" groups by the
// column so called ("why" is still refused).
func TestOwnStatusAndReason(t *testing.T) {
	members := map[string][]string{"order_status": {"cancelled", "completed"}, "reason": {"damaged", "wrong size"}}
	askO := func(q string) *Interpretation {
		return Parse(Input{Layer: ordersLayer(), Members: members, Question: q, AsOf: asOf})
	}
	for _, q := range []string{"how many orders were cancelled", "cancelled orders"} {
		it := askO(q)
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		if !strings.Contains(it.Text, "order status cancelled") {
			t.Errorf("%q: %s, want the orders of status cancelled", q, it.Text)
		}
	}
	if it := askO("refund amount by reason"); !it.Answerable {
		t.Errorf("by reason: %s", it.Reason)
	} else {
		wantGroup(t, it.Spec, "reason")
	}
	if it := askO("why did refunds rise"); it.Answerable {
		t.Errorf("why answered: %s", it.Text)
	}
}

// The same where orders are a fact of headers (their lines beside them):
// "cancelled orders" is still the orders of that status.
func TestOwnStatusOfAFact(t *testing.T) {
	l := ordersLayer()
	l.Models[0].Role, l.Models[0].Table, l.Models[0].TimeColumn = "fact", "FACT_ORDERS", "order_date"
	members := map[string][]string{"order_status": {"cancelled", "completed"}}
	for _, q := range []string{"cancelled orders", "number of cancelled orders in FY2025"} {
		it := Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
		} else if !strings.Contains(it.Text, "order status cancelled") {
			t.Errorf("%q: %s", q, it.Text)
		}
	}
}

// "Refunds per order": per one of a fact's rows named in the singular,
// the fact's count — not any of its amounts.
func TestPerSingularDocument(t *testing.T) {
	l := ordersLayer()
	o := l.Models[0]
	o.Role, o.Table, o.TimeColumn = "fact", "FACT_ORDERS", "order_date"
	o.Measures = append(o.Measures,
		&semlayer.Measure{Name: "order_total", Column: "order_total", Agg: semlayer.AggSum, Money: true},
		&semlayer.Measure{Name: "shipping_fee", Column: "shipping_fee", Agg: semlayer.AggSum, Money: true})
	l.Metrics = append(l.Metrics,
		&semlayer.Metric{Name: "order_total", Type: semlayer.MetricSimple, Label: "order total", Format: "money", Model: "orders", Measure: "order_total"},
		&semlayer.Metric{Name: "shipping_fee", Type: semlayer.MetricSimple, Label: "shipping fee", Format: "money", Model: "orders", Measure: "shipping_fee"})
	it := Parse(Input{Layer: l, Members: map[string][]string{}, Question: "refund amount per order in FY2025", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	if len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "refund_amount" || it.Spec.Ratios[0].Denominator != "orders_count" {
		t.Errorf("ratios %+v, want the refunds per order counted", it.Spec.Ratios)
	}
}
