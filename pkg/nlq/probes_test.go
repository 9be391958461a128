package nlq

import "testing"

// Wrong answers found by held-out probes, now read right or not
// answered.
func TestHeldOutProbes(t *testing.T) {
	// "US customers": the country (it was "us", a stop word, and the
	// revenue was grouped by customer).
	members := map[string][]string{"country_code": {"DE", "US"}}
	for k, v := range testMembers {
		if k != "country_code" {
			members[k] = v
		}
	}
	it := Parse(Input{Layer: testLayer(), Members: members, Question: "revenue from US customers in FY2025", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("US customers: %s", it.Reason)
	}
	wantFilter(t, it.Spec, "country_code", "US")
	if len(it.Spec.GroupBy) > 0 {
		t.Errorf("grouped: %+v", it.Spec.GroupBy)
	}
	if it := Parse(Input{Layer: testLayer(), Members: members, Question: "show us customers by segment", AsOf: asOf}); it.Answerable {
		for _, f := range it.Spec.Filters {
			if f.Dimension == "country_code" {
				t.Errorf("show us: filtered by country: %+v", it.Spec)
			}
		}
	}
	for _, q := range []string{
		// The receipts that had a discount, not the receipts and the
		// discounts side by side.
		"how many customers had a sales lines quantity in FY2025",
		// Average per customer, which the words do not say: not grouped
		// by each customer.
		"average customer net amount by segment",
	} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q answered: %s %+v", q, it.Text, it.Spec)
		}
	}
}
