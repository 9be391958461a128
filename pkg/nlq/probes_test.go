package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

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

// "What share of sales were refunds in FY2025": the second number as a
// percentage of the first, both of the period (a noun: not the sales
// settled by refunds whenever).
func TestShareOfTwoNumbers(t *testing.T) {
	it := askReturns("what share of sales were refunds in FY2025")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	if len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "refund_amount" || it.Spec.Ratios[0].Denominator != "net_amount" || len(it.Spec.Restricted) > 0 || it.Spec.Time == nil {
		t.Errorf("spec %+v", it.Spec)
	}
	// Two numbers of different kinds have no share.
	if it := askReturns("what share of sales was the number of sales lines in FY2025"); it.Answerable {
		t.Errorf("answered: %s", it.Text)
	}
}

// "R&D": research and development.
func TestAmpersandAbbreviations(t *testing.T) {
	l := testLayer()
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "research_development", Type: semlayer.MetricSimple, Label: "Research and development", Format: "money", Model: "sales_lines", Measure: "amount"})
	it := Parse(Input{Layer: l, Members: testMembers, Question: "R&D spend in FY2025", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "research_development")
}

// "Customers with more than 5 sales": the number counts the things named
// right after it (the sales lines), not their amount; "over $5" is money.
func TestThresholdCountsTheNounAfter(t *testing.T) {
	it := ask(t, "customers with more than 5 sales in FY2025")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	if len(it.Spec.Having) != 1 || it.Spec.Having[0].Metric != "sales_lines_count" || it.Spec.Having[0].Value != "5" {
		t.Errorf("having %+v, want the number of sales lines > 5", it.Spec.Having)
	}
	it = ask(t, "customers with sales over 5000 in FY2025")
	if !it.Answerable || len(it.Spec.Having) != 1 || it.Spec.Having[0].Metric != "net_amount" {
		t.Errorf("sales over 5000: %+v %s", it.Spec.Having, it.Reason)
	}
}

// "How many items were sold": the units, not the products that sold.
func TestItemsSoldAreUnits(t *testing.T) {
	for _, q := range []string{"how many items were sold in FY2025", "how many items did we sell by category in FY2025"} {
		it := ask(t, q)
		if !it.Answerable {
			t.Fatalf("%q: %s", q, it.Reason)
		}
		want(t, it.Spec.Metrics, "sales_lines_quantity")
	}
}

// "Revenue by product for Enterprise segment customers": the member is
// the segment's (the word next to it), not a product's of that name
// named apart from it; and it qualifies the customers, who are not a
// grouping.
func TestAdjacentQualifierWins(t *testing.T) {
	members := map[string][]string{"product_name": {"Enterprise"}}
	for k, v := range testMembers {
		members[k] = v
	}
	it := Parse(Input{Layer: testLayer(), Members: members, Question: "revenue by product for Enterprise segment customers in FY2025", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	wantFilter(t, it.Spec, "segment", "Enterprise")
	if len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "product_name" {
		t.Errorf("groups %+v, want by product only", it.Spec.GroupBy)
	}
}

// "Revenue from customers that signed up in FY2024": the revenue (of all
// time) of the customers whose own date is in the period — not the
// revenue of the period, nor a count of new customers.
func TestCohortOfAnotherModel(t *testing.T) {
	for _, q := range []string{"revenue from customers that signed up in FY2024", "number of sales lines of customers who joined in FY2024"} {
		it := askSignup(q)
		if !it.Answerable {
			t.Fatalf("%q: %s", q, it.Reason)
		}
		if it.Spec.Time != nil || it.Spec.Where != "signup_date >= DATE '2023-07-01' AND signup_date < DATE '2024-07-01'" || len(it.Spec.GroupBy) > 0 {
			t.Errorf("%q: %+v", q, it.Spec)
		}
	}
	// The model's own count stays the members that began in the period.
	it := askSignup("how many customers signed up in FY2024")
	if !it.Answerable || it.Spec.Time == nil || it.Spec.Where != "" {
		t.Errorf("own count: %+v %s", it.Spec, it.Reason)
	}
}

// "When did …", "how long …": a date or a duration, not answered (it
// answered the customer's revenue).
func TestWhenIsNotANumber(t *testing.T) {
	for _, q := range []string{"when did Acme Industries last buy something", "how long has Acme Industries been a customer", "how often does Stark Group buy"} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		}
	}
	if it := ask(t, "how many customers bought in FY2025"); !it.Answerable {
		t.Errorf("how many: %s", it.Reason)
	}
}

// "Outside the US", "non-US customers": the other members; "how many
// vendors did we pay" is not the vendors of the revenue lines.
func TestOutsideAndSpentWith(t *testing.T) {
	members := map[string][]string{"country_code": {"DE", "FR", "US"}}
	for k, v := range testMembers {
		if k != "country_code" {
			members[k] = v
		}
	}
	for _, q := range []string{"revenue from customers outside the US in FY2025", "revenue from non-US customers in FY2025"} {
		it := Parse(Input{Layer: testLayer(), Members: members, Question: q, AsOf: asOf})
		if !it.Answerable {
			t.Fatalf("%q: %s", q, it.Reason)
		}
		if len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Dimension != "country_code" || strings.Join(it.Spec.Filters[0].Values, ",") != "DE,FR" {
			t.Errorf("%q: filters %+v", q, it.Spec.Filters)
		}
	}
}

// "Average items per order" are units per order; "accounts with unpaid
// invoices" are those that owe (not every account, 0 or not).
func TestItemsPerOrderAreUnits(t *testing.T) {
	it := ask(t, "average items per customer in FY2025")
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "sales_lines_quantity" {
		t.Errorf("items per: %+v %s", it.Spec, it.Reason)
	}
}

// "How many times did X shop": the documents of the revenue; "number of
// journal lines" where the count is "number of gl journal lines".
func TestTimesAndPrefixedCounts(t *testing.T) {
	l := testLayer()
	l.Model("sales_lines").Measures = append(l.Model("sales_lines").Measures, &semlayer.Measure{Name: "receipt_count", Column: "receipt_no", Agg: semlayer.AggCountDistinct})
	l.Model("sales_lines").Dimensions = append(l.Model("sales_lines").Dimensions, &semlayer.Dimension{Name: "receipt_no", Column: "receipt_no", Type: "categorical", Hidden: true})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "receipt_count", Type: semlayer.MetricSimple, Label: "number of receipts", Format: "count", Model: "sales_lines", Measure: "receipt_count"})
	l.Metrics[2].Label = "number of pos sales lines"
	for _, c := range []struct{ q, metric string }{
		{"how many times did Stark Group shop in FY2025", "receipt_count"},
		{"number of sales lines in FY2025", "sales_lines_count"},
	} {
		it := Parse(Input{Layer: l, Members: testMembers, Question: c.q, AsOf: asOf})
		if !it.Answerable {
			t.Fatalf("%q: %s", c.q, it.Reason)
		}
		want(t, it.Spec.Metrics, c.metric)
	}
}

// A fact's name alone names its amounts ("sales net of returns": the
// refunds); "after refunds and discounts" is not answered (less both, or
// side by side?).
func TestFactNameAsAmount(t *testing.T) {
	it := askReturns("sales net of returns in FY2025")
	if !it.Answerable || len(it.Spec.Derived) != 1 || it.Spec.Derived[0].Expr != "net_amount - refund_amount" {
		t.Errorf("net of returns: %+v %s", it.Spec, it.Reason)
	}
	if it := askReturns("net sales after refunds and units in FY2025"); it.Answerable {
		t.Errorf("after two: %s", it.Text)
	}
}

// "Between 500k and 1m" holds the number to both bounds; "the last full
// quarter" is the last quarter; a misspelt member of two words that
// begins with a number's word is the member ("Stark Gruop": not sales).
func TestBetweenFullAndLongerMembers(t *testing.T) {
	it := ask(t, "customers with revenue between 100k and 500k in FY2025")
	if !it.Answerable || len(it.Spec.Having) != 2 || it.Spec.Having[0].Op != ">=" || it.Spec.Having[0].Value != "100000" || it.Spec.Having[1].Op != "<=" || it.Spec.Having[1].Value != "500000" {
		t.Errorf("between: %+v %s", it.Spec.Having, it.Reason)
	}
	it = ask(t, "revenue in the last full quarter")
	if !it.Answerable || it.Spec.Time == nil || len(it.Spec.GroupBy) > 0 {
		t.Errorf("last full quarter: %+v %s", it.Spec, it.Reason)
	}
	if it.Spec.Time != nil && it.Spec.Time.Grain != semlayer.GrainFiscalQuarter {
		t.Errorf("last full quarter: %+v", it.Spec.Time)
	}
}

// "Which quarter had the most sales lines": the quarters ranked (not the
// documents ranked by their amount).
func TestRankedGrainOfACount(t *testing.T) {
	it := ask(t, "which quarter had the most sales lines in FY2025")
	if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Grain != semlayer.GrainFiscalQuarter || it.Spec.Limit != 1 {
		t.Errorf("spec %+v %s", it.Spec, it.Reason)
	}
}

// "Top 3 products by revenue growth": ranked by the change, not by the
// revenue; "fastest growing": by the change in percent.
func TestRankedByGrowth(t *testing.T) {
	it := ask(t, "top 3 products by revenue growth in FY2025")
	if !it.Answerable || len(it.Spec.OrderBy) != 1 || it.Spec.OrderBy[0].Key != "net_amount_change" || it.Spec.Compare == "" {
		t.Errorf("growth ranking: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "fastest growing category by revenue in FY2025")
	if !it.Answerable || len(it.Spec.OrderBy) != 1 || it.Spec.OrderBy[0].Key != "net_amount_change_pct" {
		t.Errorf("fastest growing: %+v %s", it.Spec, it.Reason)
	}
}

// A fact's plural noun alone counts its rows ("returns by category"),
// and after "less" names its number of the other's kind.
func TestFactNounCountsAndAmounts(t *testing.T) {
	l := linkedReturnsLayer()
	l.Model("returns").Measures = append(l.Model("returns").Measures, &semlayer.Measure{Name: "row_count", Column: "*", Agg: semlayer.AggCount})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "returns_count", Type: semlayer.MetricSimple, Label: "number of returns", Format: "count", Model: "returns", Measure: "row_count"})
	askL := func(q string) *Interpretation {
		return Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
	}
	it := askL("returns by category in FY2025")
	if !it.Answerable {
		t.Fatalf("returns by category: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "returns_count")
	it = askL("sales net of returns in FY2025")
	if !it.Answerable || len(it.Spec.Derived) != 1 || it.Spec.Derived[0].Expr != "net_amount - refund_amount" {
		t.Errorf("net of returns: %+v %s", it.Spec, it.Reason)
	}
}

// "YTD vs last year YTD" compares with the same period a year earlier;
// "less than 500k revenue" is an amount, not a count.
func TestYTDAgainstLastYearYTD(t *testing.T) {
	it := ask(t, "revenue YTD vs last year YTD")
	if !it.Answerable || it.Spec.Compare != query.ComparePriorYear {
		t.Errorf("ytd vs last year ytd: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "products with less than 500k sales in FY2025")
	if !it.Answerable || len(it.Spec.Having) != 1 || it.Spec.Having[0].Metric != "net_amount" {
		t.Errorf("500k sales: %+v %s", it.Spec, it.Reason)
	}
}

// "Peak month for revenue": the month with the most.
func TestPeak(t *testing.T) {
	it := ask(t, "peak month for revenue in FY2025")
	if !it.Answerable || it.Spec.Limit != 1 || len(it.Spec.OrderBy) != 1 || !it.Spec.OrderBy[0].Desc {
		t.Errorf("peak: %+v %s", it.Spec, it.Reason)
	}
}

// "Sales by customer segment": the model's word before its own
// dimension names its owner (no grouping by each customer); "how many
// Gold customers bought": the customers counted in the fact; "spend per
// loyalty member" is not answered (an average, not a filter).
func TestOwnerWordsAndCountedMembers(t *testing.T) {
	it := ask(t, "sales by customer segment and category in FY2025")
	if !it.Answerable || len(it.Spec.GroupBy) != 2 || it.Spec.GroupBy[0].Dimension != "segment" {
		t.Errorf("customer segment: %+v %s", it.Spec.GroupBy, it.Reason)
	}
	it = askLoyalty(t, "how many Gold customers bought in FY2025")
	if !it.Answerable {
		t.Fatalf("gold customers bought: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "customer_count")
	if it := askLoyalty(t, "spend per loyalty member in FY2025"); it.Answerable {
		t.Errorf("per loyalty member answered: %s", it.Text)
	}
}

// "The Widget Max product": a member, a keyword and the member's model
// word make a name no member has (it ranked the Widget product); "top
// product by sales" still ranks.
func TestMemberKeywordModelIsAName(t *testing.T) {
	if it := ask(t, "revenue of the Widget Max product"); it.Answerable {
		t.Errorf("Widget Max answered: %s", it.Text)
	}
	if it := ask(t, "top product by revenue in FY2025"); !it.Answerable || it.Spec.Limit != 1 {
		t.Errorf("top product: %+v %s", it.Spec, it.Reason)
	}
}

// "Segments with more than 2 customers": the members named after the
// number counted, for each segment, held to it.
func TestThresholdOnMembersCount(t *testing.T) {
	l := testLayer()
	l.Model("customers").Measures = append(l.Model("customers").Measures, &semlayer.Measure{Name: "row_count", Column: "*", Agg: semlayer.AggCount})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "customers_count", Type: semlayer.MetricSimple, Label: "number of customers", Format: "count", Model: "customers", Measure: "row_count"})
	it := Parse(Input{Layer: l, Members: testMembers, Question: "segments with more than 2 customers", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "customers_count")
	wantGroup(t, it.Spec, "segment")
	if len(it.Spec.Having) != 1 || it.Spec.Having[0].Metric != "customers_count" {
		t.Errorf("having %+v", it.Spec.Having)
	}
}

// Short forms ("rev by cat last yr", "by qtr"), "I would like to see",
// "the month of May 2026" (one month, not by month).
func TestShortFormsAndPoliteAsks(t *testing.T) {
	it := ask(t, "rev by cat last yr")
	if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "category" || it.Spec.Time == nil {
		t.Errorf("rev by cat last yr: %+v %s", it.Spec, it.Reason)
	}
	it = ask(t, "I would like to see revenue by segment for FY2025")
	if !it.Answerable {
		t.Errorf("would like: %s", it.Reason)
	}
	it = ask(t, "what was our revenue in the month of May 2026")
	if !it.Answerable || len(it.Spec.GroupBy) > 0 || it.Spec.Time == nil {
		t.Errorf("the month of May: %+v %s", it.Spec, it.Reason)
	}
	if it := ask(t, "what would revenue be next year"); it.Answerable {
		t.Errorf("would be answered: %s", it.Text)
	}
}

// "Top 5 customers by spending": what customers spend is the revenue.
func TestSpending(t *testing.T) {
	it := ask(t, "top 5 customers by spending in FY2025")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "net_amount")
}
