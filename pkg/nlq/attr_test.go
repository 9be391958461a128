package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// priceLayer is testLayer with the products' list price and unit cost
// (numeric attributes: hidden, no members).
func priceLayer() *semlayer.Layer {
	l := testLayer()
	pr := l.Model("products")
	pr.Dimensions = append(pr.Dimensions,
		&semlayer.Dimension{Name: "list_price", Column: "list_price", Type: "categorical", Label: "list price", Hidden: true},
		&semlayer.Dimension{Name: "unit_cost", Column: "unit_cost", Type: "categorical", Label: "unit cost", Hidden: true})
	return l
}

func TestAttributes(t *testing.T) {
	askP := func(q string) *Interpretation {
		return Parse(Input{Layer: priceLayer(), Members: testMembers, Question: q, AsOf: asOf})
	}
	it := askP("what is the list price of the Widget")
	if !it.Answerable || it.Only != OnlyGroups || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "list_price" {
		t.Errorf("list price of Widget: %+v %s", it.Spec, it.Reason)
	} else {
		wantFilter(t, it.Spec, "product_name", "Widget")
	}
	for _, c := range []struct {
		q     string
		desc  bool
		limit int
	}{
		{"most expensive product", true, 1},
		{"cheapest product in the Hardware category", false, 1},
		{"top 3 most expensive products", true, 3},
	} {
		it := askP(c.q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		s := it.Spec
		if len(s.GroupBy) != 2 || s.GroupBy[0].Dimension != "product_name" || s.GroupBy[1].Dimension != "list_price" ||
			len(s.OrderBy) != 1 || s.OrderBy[0].Key != "list_price" || s.OrderBy[0].Desc != c.desc || s.Limit != c.limit || it.Only != OnlyGroups {
			t.Errorf("%q: %+v", c.q, s)
		}
	}
	for _, q := range []string{
		"most expensive products",               // how many?
		"most expensive customer",               // customers have no price
		"revenue of the most expensive product", // expensive with a measure
		"list price and unit cost of Widget",    // two attributes
	} {
		if it := askP(q); it.Answerable {
			t.Errorf("%q: answered %+v", q, it.Spec)
		}
	}
	// With a measure, an attribute groups.
	if it := askP("revenue by list price"); !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "list_price" {
		t.Errorf("revenue by list price: %+v %s", it.Spec, it.Reason)
	}
}

// A threshold with a measure and an attribute: which does it apply to?
func TestAttributeThreshold(t *testing.T) {
	if it := Parse(Input{Layer: priceLayer(), Members: testMembers, Question: "revenue for products with a list price over 100", AsOf: asOf}); it.Answerable {
		t.Errorf("answered %+v", it.Spec)
	}
}

// Listing the one member named answers nothing.
func TestListingTheMemberNamed(t *testing.T) {
	if it := ask(t, "what is the Widget product"); it.Answerable {
		t.Errorf("answered %+v", it.Spec)
	}
	if it := ask(t, "list the products in the Software category"); !it.Answerable {
		t.Errorf("products in Software: %s", it.Reason)
	}
}

// A ranking of members with no number named is not answered: ordered by
// their count of one, the first would be arbitrary.
func TestRankingWithoutANumber(t *testing.T) {
	for _, q := range []string{"which product did we spend the most on", "which customer is the biggest"} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q answered %+v", q, it.Spec)
		}
	}
	if it := ask(t, "list the products"); !it.Answerable {
		t.Errorf("list the products: %s", it.Reason)
	}
}

// "Products with a list price over 200": the members whose attribute
// meets the threshold (it listed every product).
func TestAttributeThresholdAlone(t *testing.T) {
	it := Parse(Input{Layer: priceLayer(), Members: testMembers, Question: "products with a list price over 200", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	if it.Spec.Where != "list_price > 200" || len(it.Spec.Having) > 0 {
		t.Errorf("spec %+v", it.Spec)
	}
}

// "Average list price by category": the attribute summed over the
// members, over their count.
func TestAttributeAverage(t *testing.T) {
	l := priceLayer()
	it := Parse(Input{Layer: l, Members: testMembers, Question: "average list price by category", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	if len(it.Spec.Priced) != 1 || it.Spec.Priced[0].Attribute != "list_price" || it.Spec.Priced[0].Metric != "products_count" || len(it.Spec.Derived) != 1 {
		t.Errorf("spec %+v", it.Spec)
	}
	wantGroup(t, it.Spec, "category")
}

// A price or a rate per row of a fact is never added up ("unit price by
// category" is not the sum of the lines' unit prices): its average is
// asked for instead; "stock price" is a market's, not the warehouse's.
func TestSummedRateRefused(t *testing.T) {
	l := testLayer()
	sl := l.Model("sales_lines")
	sl.Measures = append(sl.Measures, &semlayer.Measure{Name: "unit_price", Column: "unit_price", Agg: semlayer.AggSum, Money: true})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "unit_price", Type: semlayer.MetricSimple, Label: "unit price", Format: "money", Model: "sales_lines", Measure: "unit_price"})
	for _, q := range []string{"unit price by category", "total unit price in FY2025", "stock price", "share price by month"} {
		if it := Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf}); it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		}
	}
	if it := Parse(Input{Layer: l, Members: testMembers, Question: "average unit price by category", AsOf: asOf}); !it.Answerable {
		t.Errorf("average unit price: %s", it.Reason)
	}
}

// "Total list price by category": the members' attribute added up over
// them (not a list of its values); "customers over their credit limit"
// holds each to its own value, which is refused.
func TestAttributeTotals(t *testing.T) {
	it := Parse(Input{Layer: priceLayer(), Members: testMembers, Question: "total list price by category", AsOf: asOf})
	if !it.Answerable || len(it.Spec.Priced) != 1 || it.Spec.Priced[0].Attribute != "list_price" || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != it.Spec.Priced[0].Name {
		t.Errorf("total list price: %s %+v", it.Reason, it.Spec)
	}
	if it := Parse(Input{Layer: priceLayer(), Members: testMembers, Question: "products sold over their list price", AsOf: asOf}); it.Answerable {
		t.Errorf("over their list price: answered %s", it.Text)
	}
}

// "The annual price of the Widget": a price stated per month (or per no
// period) is not a price per year; it listed the monthly price.
func TestAttributePeriod(t *testing.T) {
	l := priceLayer()
	l.Model("products").Dimensions = append(l.Model("products").Dimensions,
		&semlayer.Dimension{Name: "monthly_fee", Column: "monthly_fee", Type: "categorical", Label: "monthly fee", Hidden: true})
	ask := func(q string) *Interpretation {
		return Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
	}
	for _, q := range []string{"yearly monthly fee of Widget", "monthly fee per year of the Widget", "weekly list price of the Widget", "list price per month of the Widget"} {
		if it := ask(q); it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		} else if !strings.Contains(it.Reason, "not stated per") {
			t.Errorf("%q: reason %q", q, it.Reason)
		}
	}
	for _, q := range []string{"monthly fee of the Widget", "what is the list price of the Widget"} {
		if it := ask(q); !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
		}
	}
}

// "What segment is Acme Industries in": another dimension of the
// member's model, listed for it (it asked "what about Acme
// Industries?"); "what does the Widget cost" names no attribute.
func TestMemberDimensionLookup(t *testing.T) {
	l := testLayer()
	l.Model("customers").Measures = append(l.Model("customers").Measures, &semlayer.Measure{Name: "row_count", Column: "*", Agg: semlayer.AggCount})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "customers_count", Type: semlayer.MetricSimple, Label: "number of customers", Format: "count", Model: "customers", Measure: "row_count"})
	ask := func(t *testing.T, q string) *Interpretation {
		return Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
	}
	it := ask(t, "what segment is Acme Industries in")
	if !it.Answerable || it.Only != OnlyGroups || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "segment" {
		t.Errorf("segment of Acme: %+v %s", it.Spec, it.Reason)
	} else {
		wantFilter(t, it.Spec, "customer_name", "Acme Industries")
	}
	if it := ask(t, "which country is Stark Group from"); !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "country_code" {
		t.Errorf("country of Stark: %+v %s", it.Spec, it.Reason)
	}
}
