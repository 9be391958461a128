package nlq

import "testing"

// "the most <things>": the highest number of them, not an amount still to
// be named; "the most revenue" and "at most" are left alone.
func TestMostOfCountedThings(t *testing.T) {
	for q, want := range map[string]string{
		"which category has the most products":           "products_count",
		"category with the fewest products":              "products_count",
		"which segment had the most customers in FY2025": "customer_count",
	} {
		it := ask(t, q)
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		if len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != want || it.Spec.Limit != 1 {
			t.Errorf("%q: %+v", q, it.Spec)
		}
	}
	it := ask(t, "which category has the fewest products")
	if !it.Answerable || len(it.Spec.OrderBy) != 1 || it.Spec.OrderBy[0].Desc {
		t.Errorf("fewest: %s %+v", it.Reason, it.Spec)
	}
	it = ask(t, "which segment had the most net amount in FY2025")
	if !it.Answerable || it.Spec.Metrics[0] != "net_amount" {
		t.Errorf("most net amount: %s %+v", it.Reason, it.Spec)
	}
}
