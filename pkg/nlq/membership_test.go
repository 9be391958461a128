package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// loyaltyLayer is the test layer whose customers have a loyalty tier
// and whose customers pay (a payments fact).
func loyaltyLayer() *semlayer.Layer {
	l := testLayer()
	l.Model("customers").Dimensions = append(l.Model("customers").Dimensions,
		&semlayer.Dimension{Name: "loyalty_tier", Column: "loyalty_tier", Type: "categorical", Members: true})
	l.Models = append(l.Models, &semlayer.Model{Name: "payments", Table: "FACT_PAYMENTS", Role: "fact", Label: "payments", TimeColumn: "paid_date",
		Entities:   []*semlayer.Entity{{Name: "customer", Type: "foreign", Column: "CUSTOMERS_SK", Ref: "customers"}},
		Dimensions: []*semlayer.Dimension{{Name: "paid_date", Column: "paid_date", Type: "time"}},
		Measures:   []*semlayer.Measure{{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true}}})
	l.Metrics = append(l.Metrics,
		&semlayer.Metric{Name: "customers_count", Type: semlayer.MetricSimple, Label: "number of customers", Format: "count", Model: "customers", Measure: "row_count"},
		&semlayer.Metric{Name: "payments_amount", Type: semlayer.MetricSimple, Label: "payments amount", Format: "money", Model: "payments", Measure: "amount"})
	l.Model("customers").Measures = append(l.Model("customers").Measures, &semlayer.Measure{Name: "row_count", Column: "*", Agg: semlayer.AggCount})
	return l
}

func askLoyalty(t *testing.T, q string) *Interpretation {
	t.Helper()
	members := map[string][]string{"loyalty_tier": {"Bronze", "Gold", "Platinum"}}
	for k, v := range testMembers {
		members[k] = v
	}
	return Parse(Input{Layer: loyaltyLayer(), Members: members, Question: q, AsOf: asOf})
}

// A word naming a dimension of a model before the model's word is the
// members that have a value of it: "loyalty members" are the customers
// with a loyalty tier.
func TestMembership(t *testing.T) {
	for _, q := range []string{
		"loyalty members' sales by tier in FY2025",
		"sales to loyalty-program customers in FY2025",
		"how much did loyalty members spend in FY2025",
	} {
		t.Run(q, func(t *testing.T) {
			it := askLoyalty(t, q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			want(t, it.Spec.Metrics, "net_amount")
			if it.Spec.Where != "loyalty_tier IS NOT NULL" {
				t.Errorf("where %q, want the customers with a loyalty tier", it.Spec.Where)
			}
			for _, g := range it.Spec.GroupBy {
				if g.Dimension == "customer_name" {
					t.Errorf("grouped by customer: %+v", it.Spec.GroupBy)
				}
			}
			if !strings.Contains(it.Text, "with a loyalty tier") {
				t.Errorf("interpretation %q does not say who", it.Text)
			}
		})
	}
	it := askLoyalty(t, "how many loyalty members are in Germany")
	if !it.Answerable {
		t.Fatalf("how many loyalty members: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "customers_count")
	wantFilter(t, it.Spec, "country_code", "DE")
	if it.Spec.Where != "loyalty_tier IS NOT NULL" {
		t.Errorf("where %q", it.Spec.Where)
	}
	// A word that names no dimension of the model is not understood.
	for _, q := range []string{"sales to premium members in FY2025", "sales to non-members in FY2025", "average age of loyalty members"} {
		if it := askLoyalty(t, q); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		}
	}
}

// "What did X spend", "how much did X pay": the verb's number, not a
// list of X; pay names the payments and must agree with the answer.
func TestVerbsOfSpendAndPay(t *testing.T) {
	it := askLoyalty(t, "What did Gold members spend in FY2025?")
	if !it.Answerable {
		t.Fatalf("spend: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "net_amount")
	wantFilter(t, it.Spec, "loyalty_tier", "Gold")
	it = askLoyalty(t, "how much did Enterprise customers pay us in FY2025")
	if !it.Answerable {
		t.Fatalf("pay: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "payments_amount")
	wantFilter(t, it.Spec, "segment", "Enterprise")
	if it := askLoyalty(t, "how much revenue did Enterprise customers pay in FY2025"); it.Answerable {
		t.Errorf("pay with revenue answered: %s", it.Text)
	}
}

// A member spelt as a word of the grammar ("Growth") is the member before
// a number's noun or in a list of its dimension's members; "revenue
// growth" is still the comparison.
func TestKeywordMember(t *testing.T) {
	members := map[string][]string{"segment": {"Growth", "Starter", "Enterprise"}}
	for k, v := range testMembers {
		if k != "segment" {
			members[k] = v
		}
	}
	ask := func(q string) *Interpretation {
		return Parse(Input{Layer: testLayer(), Members: members, Question: q, AsOf: asOf})
	}
	for q, vals := range map[string][]string{
		"Growth revenue in FY2025":                     {"Growth"},
		"revenue from the Growth and Starter segments": {"Growth", "Starter"},
		"Starter and Growth revenue":                   {"Starter", "Growth"},
	} {
		it := ask(q)
		if !it.Answerable || it.Spec.Compare != "" {
			t.Errorf("%q: %+v %s", q, it.Spec, it.Reason)
			continue
		}
		if len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Dimension != "segment" || strings.Join(it.Spec.Filters[0].Values, ",") != strings.Join(vals, ",") {
			t.Errorf("%q: filters %+v, want segment %v", q, it.Spec.Filters, vals)
		}
	}
	it := ask("revenue growth in FY2025")
	if !it.Answerable || it.Spec.Compare == "" || len(it.Spec.Filters) > 0 {
		t.Errorf("revenue growth: %+v %s", it.Spec, it.Reason)
	}
}

// One word, a member of two named dimensions ("Enterprise": a customer
// segment and a product category), neither said: which? It picked one by
// the order of the names.
func TestSameMemberTwoDimensions(t *testing.T) {
	members := map[string][]string{"category": {"Enterprise", "Hardware"}}
	for k, v := range testMembers {
		if k != "category" {
			members[k] = v
		}
	}
	ask := func(q string) *Interpretation {
		return Parse(Input{Layer: testLayer(), Members: members, Question: q, AsOf: asOf})
	}
	for _, q := range []string{"Enterprise revenue in FY2025", "number of Enterprise sales lines"} {
		if it := ask(q); it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		}
	}
	for q, dim := range map[string]string{
		"Enterprise segment revenue in FY2025": "segment",
		"revenue of the Enterprise category":   "category",
		"SMB and Enterprise revenue in FY2025": "segment",
		"Hardware and Enterprise revenue":      "category",
	} {
		it := ask(q)
		if !it.Answerable || len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Dimension != dim {
			t.Errorf("%q: %+v %s, want the %s", q, it.Spec.Filters, it.Reason, dim)
		}
	}
}
