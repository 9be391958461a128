package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// Phrasings found by held-out probes: the later period compared with
// the earlier whichever comes first, "we pay" as spending, "as a
// percentage of total", "ordered from highest to lowest", country
// adjectives, two members compared side by side.
func TestHeldOutPhrasings(t *testing.T) {
	it := ask(t, "revenue, FY2025 vs FY2026")
	if !it.Answerable {
		t.Fatalf("FY2025 vs FY2026: %s", it.Reason)
	}
	wantRange(t, it.Spec, day(2025, 7, 1), day(2026, 7, 1))
	if it.Spec.Compare != query.ComparePriorYear {
		t.Errorf("compare %q, want the prior year", it.Spec.Compare)
	}
	if it := ask(t, "revenue FY2024 vs FY2026"); it.Answerable {
		t.Errorf("two years apart answered: %s", it.Text)
	}
	it = ask(t, "revenue by segment in FY2026 as a percentage of total")
	if !it.Answerable || !it.Spec.Share {
		t.Errorf("as a percentage of total: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "revenue for each product in FY2025 ordered from highest to lowest")
	if !it.Answerable || len(it.Spec.OrderBy) != 1 || !it.Spec.OrderBy[0].Desc {
		t.Errorf("ordered from highest to lowest: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "revenue from German customers in FY2025")
	if !it.Answerable {
		t.Fatalf("German customers: %s", it.Reason)
	}
	wantFilter(t, it.Spec, "country_code", "DE")
	it = ask(t, "Enterprise vs SMB revenue in FY2025")
	if !it.Answerable {
		t.Fatalf("Enterprise vs SMB: %s", it.Reason)
	}
	wantGroup(t, it.Spec, "segment")
	if it.Spec.Compare != "" {
		t.Errorf("compare %q, want two members side by side", it.Spec.Compare)
	}
	// "We pay" is what we spend: not the customers' payments.
	it = askLoyalty(t, "how much did we pay last quarter")
	if it.Answerable {
		t.Errorf("we pay answered: %s", it.Text)
	}
}

// A member of two parties' dimensions ("Germany": the customers' or
// the vendors' country) is the customers' for revenue; for another
// number it is not answered; named, it is theirs.
func TestMemberOfTwoParties(t *testing.T) {
	l := testLayer()
	l.Models = append(l.Models, &semlayer.Model{Name: "vendors", Table: "DIM_VENDORS", Role: "dimension", Label: "vendors",
		Entities:   []*semlayer.Entity{{Name: "vendor", Type: "primary", Column: "VENDORS_SK"}},
		Dimensions: []*semlayer.Dimension{{Name: "vendor_name", Column: "vendor_name", Type: "categorical", Members: true}, {Name: "country_code", Column: "country_code", Type: "categorical", Members: true}}})
	sales := l.Model("sales_lines")
	sales.Entities = append(sales.Entities, &semlayer.Entity{Name: "vendor", Type: "foreign", Column: "VENDORS_SK", Ref: "vendors"})
	members := map[string][]string{"customers.country_code": {"DE", "FR"}, "vendors.country_code": {"DE", "US"}, "vendor_name": {"Apex"}}
	for k, v := range testMembers {
		if k != "country_code" {
			members[k] = v
		}
	}
	parse := func(q string) *Interpretation {
		return Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
	}
	for i := 0; i < 5; i++ { // one answer, whatever the order of the maps
		it := parse("revenue in Germany in FY2025")
		if !it.Answerable {
			t.Fatalf("revenue in Germany: %s", it.Reason)
		}
		wantFilter(t, it.Spec, "customers.country_code", "DE")
	}
	it := parse("units sold in Germany in FY2025")
	if it.Answerable {
		t.Errorf("units in Germany answered: %s", it.Text)
	} else if !strings.Contains(it.Reason, "say whose") {
		t.Errorf("reason %q", it.Reason)
	}
	it = parse("units sold by vendors in Germany in FY2025")
	if !it.Answerable {
		t.Fatalf("vendors in Germany: %s", it.Reason)
	}
	wantFilter(t, it.Spec, "vendors.country_code", "DE")
}

// "Average number of items per …": items in a basket are units.
func TestItemsPer(t *testing.T) {
	for _, q := range []string{"average number of items per customer in FY2025", "how many items per customer on average in FY2025"} {
		it := ask(t, q)
		if !it.Answerable {
			t.Fatalf("%q: %s", q, it.Reason)
		}
		if len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "sales_lines_quantity" || it.Spec.Ratios[0].Denominator != "customer_count" {
			t.Errorf("%q: ratios %+v, want units per customer", q, it.Spec.Ratios)
		}
	}
}

// Thresholds and counts found by held-out probes.
func TestThresholdsAndCounts(t *testing.T) {
	// "the last two fiscal years" is a span, not the two highest years.
	it := ask(t, "revenue for the last two fiscal years")
	if !it.Answerable {
		t.Fatalf("last two fiscal years: %s", it.Reason)
	}
	wantRange(t, it.Spec, day(2024, 7, 1), day(2026, 7, 1))
	if it.Spec.Limit != 0 {
		t.Errorf("limit %d, want none", it.Spec.Limit)
	}
	// A threshold's number is not a year.
	it = ask(t, "customers who spent more than 1000 in FY2025")
	if !it.Answerable {
		t.Fatalf("spent more than 1000: %s", it.Reason)
	}
	wantGroup(t, it.Spec, "customer_name")
	wantRange(t, it.Spec, day(2024, 7, 1), day(2025, 7, 1))
	if len(it.Spec.Having) != 1 || it.Spec.Having[0].Value != "1000" {
		t.Errorf("having %+v", it.Spec.Having)
	}
	// A threshold on the one total is not answered; "over" a year is
	// during it.
	if it := ask(t, "sales over 10k"); it.Answerable {
		t.Errorf("sales over 10k answered: %s", it.Text)
	}
	if it := ask(t, "units sold over 2025"); !it.Answerable || len(it.Spec.Having) != 0 {
		t.Errorf("units sold over 2025: %+v %s", it.Spec, it.Reason)
	} else {
		wantRange(t, it.Spec, day(2025, 1, 1), day(2026, 1, 1))
	}
	// The members qualified by a member are held to the threshold.
	it = ask(t, "customers in the Enterprise segment with revenue over 100k in FY2025")
	if !it.Answerable {
		t.Fatalf("customers in the Enterprise segment over 100k: %s", it.Reason)
	}
	wantGroup(t, it.Spec, "customer_name")
	wantFilter(t, it.Spec, "segment", "Enterprise")
	// "X by Y": how many X.
	it = askLoyalty(t, "customers by segment")
	if !it.Answerable {
		t.Fatalf("customers by segment: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "customers_count")
	wantGroup(t, it.Spec, "segment")
	if it := askLoyalty(t, "customers by segment in FY2025"); it.Answerable {
		t.Errorf("customers by segment in FY2025 (new ones, or those with sales?) answered: %s", it.Text)
	}
}

// More held-out phrasings: "the last fiscal quarter", "X as a share of
// Y", "as percentages", "month over month" across a year (not
// computed), "list all categories".
func TestMoreHeldOutPhrasings(t *testing.T) {
	it := ask(t, "revenue in the last fiscal quarter")
	if !it.Answerable || len(it.Spec.GroupBy) != 0 {
		t.Fatalf("last fiscal quarter: %+v %s", it.Spec, it.Reason)
	}
	wantRange(t, it.Spec, day(2026, 4, 1), day(2026, 7, 1))
	it = ask(t, "units as a share of revenue by quarter in FY2026")
	if !it.Answerable || len(it.Spec.Ratios) != 1 || !it.Spec.Ratios[0].Percent || it.Spec.Share {
		t.Errorf("as a share of: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "revenue by category for FY2025, as percentages")
	if !it.Answerable || !it.Spec.Share {
		t.Errorf("as percentages: %+v %s", it.Spec, it.Reason)
	}
	// Each month of a longer span against the month before it.
	for _, q := range []string{"month-over-month sales growth in FY2026", "sales by month in FY2026 month over month"} {
		it := ask(t, q)
		if !it.Answerable || it.Spec.Compare != query.ComparePrevious || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Grain != semlayer.GrainMonth {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
		}
	}
	// Without a period, or by another grain: not answered.
	for _, q := range []string{"sales growth quarter over quarter", "month over month sales by quarter in FY2026"} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		}
	}
	it = ask(t, "sales MoM in June 2026")
	if !it.Answerable || it.Spec.Compare != query.ComparePriorPeriod {
		t.Errorf("MoM in June: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "list all categories")
	if !it.Answerable || it.Only != OnlyGroups {
		t.Fatalf("list all categories: %+v %s", it.Spec, it.Reason)
	}
	wantGroup(t, it.Spec, "category")
}

// Unanswerable questions answered by dropping or misreading a word.
func TestDroppedWords(t *testing.T) {
	for _, c := range []struct{ q, reason string }{
		{"cost of revenue in FY2025", "\"cost of\" what?"},
		{"return on equity in FY2025", "return"},
		{"revenue by sales region in FY2025", "no region of sales"},
	} {
		l := testLayer()
		l.Model("customers").Dimensions = append(l.Model("customers").Dimensions, &semlayer.Dimension{Name: "region", Column: "region", Type: "categorical"})
		it := Parse(Input{Layer: l, Members: testMembers, Question: c.q, AsOf: asOf})
		if it.Answerable {
			t.Errorf("%q answered: %s", c.q, it.Text)
		} else if !strings.Contains(it.Reason, c.reason) {
			t.Errorf("%q: reason %q, want %q", c.q, it.Reason, c.reason)
		}
	}
	if it := ask(t, "revenue by customer segment in FY2025"); !it.Answerable {
		t.Errorf("by customer segment: %s", it.Reason)
	}
}

// A four-letter member misspelt before its dimension's word.
func TestShortMisspelt(t *testing.T) {
	l := testLayer()
	l.Model("customers").Dimensions = append(l.Model("customers").Dimensions, &semlayer.Dimension{Name: "region", Column: "region", Type: "categorical", Members: true})
	members := map[string][]string{"region": {"South", "West", "Midwest"}}
	for k, v := range testMembers {
		members[k] = v
	}
	it := Parse(Input{Layer: l, Members: members, Question: "revenue in the Sout region in FY2025", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("Sout region: %s", it.Reason)
	}
	wantFilter(t, it.Spec, "region", "South")
	if !strings.Contains(it.Text, `reading "sout" as "South"`) {
		t.Errorf("interpretation %q does not say what it read", it.Text)
	}
	for _, q := range []string{"revenue in the Eest region", "revenue in Sout"} {
		if it := Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf}); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		}
	}
}

// Retail phrasings: rankings of members qualified by a member, "average
// spend per customer", "active customers in FY2025", "the US", "the
// last 2 weeks", units returned.
func TestRetailPhrasings(t *testing.T) {
	it := ask(t, "top 2 customers in Germany by revenue in FY2025")
	if !it.Answerable || it.Spec.Limit != 2 {
		t.Fatalf("top 2 customers in Germany: %+v %s", it.Spec, it.Reason)
	}
	wantGroup(t, it.Spec, "customer_name")
	wantFilter(t, it.Spec, "country_code", "DE")
	it = ask(t, "average spend per customer in FY2025")
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "net_amount" {
		t.Errorf("average spend per customer: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "number of active customers in FY2025")
	if !it.Answerable {
		t.Fatalf("active customers in FY2025: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "customer_count")
	if it := ask(t, "active customers"); it.Answerable {
		t.Errorf("active customers without a period answered: %s", it.Text)
	}
	it = ask(t, "revenue from customers in the US in FY2025")
	if !it.Answerable {
		t.Fatalf("the US: %s", it.Reason)
	}
	wantFilter(t, it.Spec, "country_code", "US")
	it = ask(t, "daily revenue for the last 2 weeks")
	if !it.Answerable {
		t.Fatalf("last 2 weeks: %s", it.Reason)
	}
	wantRange(t, it.Spec, day(2026, 7, 1), day(2026, 7, 15))
	l := returnsLayer()
	ret := l.Model("returns")
	ret.Measures = append(ret.Measures, &semlayer.Measure{Name: "quantity", Column: "quantity", Agg: semlayer.AggSum})
	ret.Entities = append(ret.Entities, &semlayer.Entity{Name: "product", Type: "foreign", Column: "PRODUCTS_SK", Ref: "products"})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "returns_quantity", Type: semlayer.MetricSimple, Label: "returns quantity", Format: "number", Model: "returns", Measure: "quantity"})
	for _, q := range []string{"how many units were returned in FY2025", "units returned by category in FY2025", "number of items returned in FY2025"} {
		it := Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
		} else if m := l.Metric(it.Spec.Metrics[0]); m == nil || m.Model != "returns" || len(it.Spec.Metrics) != 1 {
			t.Errorf("%q: metrics %v, want the returns' quantity", q, it.Spec.Metrics)
		}
	}
}

// "Paid" must agree with the number answered; "percentage of X by Y"
// is a share; "subscriptions for <member>" counts them.
func TestPaidAndCounts(t *testing.T) {
	if it := askLoyalty(t, "how many sales lines were paid in FY2025"); it.Answerable {
		t.Errorf("how many were paid answered: %s", it.Text)
	}
	it := ask(t, "percentage of revenue by segment in FY2025")
	if !it.Answerable || !it.Spec.Share {
		t.Errorf("percentage of revenue by segment: %+v %s", it.Spec, it.Reason)
	}
	it = askLoyalty(t, "customers in Germany")
	if !it.Answerable {
		t.Fatalf("customers in Germany: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "customers_count")
	wantFilter(t, it.Spec, "country_code", "DE")
}

// A trend is a series; "compare X in A with B" compares; "right now",
// "today" for a current number; "5 best selling products by revenue".
func TestTrendsAndNow(t *testing.T) {
	it := ask(t, "revenue trend for the last 6 months")
	if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Grain != semlayer.GrainMonth {
		t.Errorf("trend: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "compare revenue in Q2 FY2026 with Q2 FY2025 by segment")
	if !it.Answerable || it.Spec.Compare != query.ComparePriorYear {
		t.Errorf("compare … with: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "what are our 2 best selling products by revenue in FY2025")
	if !it.Answerable || it.Spec.Limit != 2 {
		t.Errorf("2 best selling products: %+v %s", it.Spec, it.Reason)
	}
	l := withTwin(subscriptionsLayer())
	for _, q := range []string{"what is the MRR right now", "MRR by segment today"} {
		it := Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
		if !it.Answerable || it.Spec.Time != nil {
			t.Errorf("%q: %+v %s", q, it.Spec, it.Reason)
		}
	}
}

// "Revenue of customers by segment": the customers are what the number
// is of, not a grouping; "of each customer" groups.
func TestNumberOfModel(t *testing.T) {
	it := ask(t, "revenue of customers by segment in FY2025")
	if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "segment" {
		t.Errorf("revenue of customers by segment: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "revenue of each customer in FY2025")
	if !it.Answerable {
		t.Fatalf("of each customer: %s", it.Reason)
	}
	wantGroup(t, it.Spec, "customer_name")
}

// Paraphrases of tuned questions: "distinct customers by …" counts,
// "AOV", "journal entry count".
func TestParaphrases(t *testing.T) {
	it := ask(t, "distinct customers by segment in FY2025")
	if !it.Answerable {
		t.Fatalf("distinct customers: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "customer_count")
	wantGroup(t, it.Spec, "segment")
	if it := Parse(Input{Layer: ledgerLayer(), Members: map[string][]string{"segment": {"Enterprise", "SMB"}}, Question: "journal entry count in FY2025", AsOf: asOf}); !it.Answerable {
		t.Errorf("journal entry count: %s", it.Reason)
	}
	a, b := ask(t, "AOV by segment in FY2025"), ask(t, "average order value by segment in FY2025")
	if a.Answerable != b.Answerable || a.Text != b.Text || a.Reason != b.Reason {
		t.Errorf("AOV %q/%q, average order value %q/%q", a.Text, a.Reason, b.Text, b.Reason)
	}
}
