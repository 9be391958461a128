package nlq

import (
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// "how many customers signed up in FY2025" counts the customers dated in
// the period by their own date (as "new customers" does), not the
// customers with sales in it.
func TestCountSignedUp(t *testing.T) {
	l := testLayer()
	cm := l.Model("customers")
	cm.TimeColumn = "signup_date"
	cm.Dimensions = append(cm.Dimensions, &semlayer.Dimension{Name: "signup_date", Column: "signup_date", Type: "time"})
	cm.Measures = append(cm.Measures, &semlayer.Measure{Name: "row_count", Column: "*", Agg: semlayer.AggCount})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "customers_count", Type: semlayer.MetricSimple, Label: "number of customers", Format: "count", Model: "customers", Measure: "row_count"})
	for _, q := range []string{
		"how many customers signed up in FY2025",
		"number of customers that joined in FY2025 by segment",
		"how many new customers in FY2025",
	} {
		t.Run(q, func(t *testing.T) {
			it := Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			want(t, it.Spec.Metrics, "customers_count")
		})
	}
	// Without a dated model the count of the facts' customers stays
	// unanswered with "signed up".
	if it := ask(t, "how many customers signed up in FY2025"); it.Answerable {
		t.Errorf("answered without a signup date: %s", it.Text)
	}
}

// Other words for "by" and for an order.
func TestByAndOrderWords(t *testing.T) {
	it := ask(t, "revenue in FY2025 broken out by segment")
	if !it.Answerable {
		t.Fatalf("broken out by: %s", it.Reason)
	}
	wantGroup(t, it.Spec, "segment")
	it = ask(t, "revenue by customer for FY2025, sorted descending")
	if !it.Answerable {
		t.Fatalf("sorted descending: %s", it.Reason)
	}
	if len(it.Spec.OrderBy) == 0 || !it.Spec.OrderBy[0].Desc {
		t.Errorf("order %+v, want descending", it.Spec.OrderBy)
	}
	// "in each segment by revenue": "segment by" is not a keyword.
	it = ask(t, "top 3 customers in each segment by FY2025 revenue")
	if it.Answerable {
		wantGroup(t, it.Spec, "segment")
	}
}
