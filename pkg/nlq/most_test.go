package nlq

import (
	"fmt"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

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

// "Weekly sales", "by week": ISO weeks, a grouping of the facts' dates.
func TestWeekGrain(t *testing.T) {
	for _, q := range []string{"weekly net amount in FY2025", "net amount by week in March 2025", "net amount per week for the last 8 weeks"} {
		it := ask(t, q)
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		if len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Grain != semlayer.GrainWeek || it.Spec.Time == nil {
			t.Errorf("%q: %+v", q, it.Spec)
		}
	}
	// "Last week" stays a range, not a grouping.
	it := ask(t, "net amount last week")
	if !it.Answerable || len(it.Spec.GroupBy) != 0 || it.Spec.Time == nil || it.Spec.Time.To.Sub(it.Spec.Time.From).Hours() != 7*24 {
		t.Errorf("last week: %s %+v", it.Reason, it.Spec)
	}
}

// A typo of a time word is read before the time phrases: "last quater"
// is the last quarter (it was a grouping by quarter over all time).
func TestTimeWordTypos(t *testing.T) {
	want := ask(t, "net amount last quarter")
	for _, q := range []string{"net amount last quater", "net amount last quartr"} {
		it := ask(t, q)
		if !it.Answerable || len(it.Spec.GroupBy) != 0 || it.Spec.Time == nil || !it.Spec.Time.From.Equal(want.Spec.Time.From) || !it.Spec.Time.To.Equal(want.Spec.Time.To) {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
		}
	}
	it := ask(t, "net amount in febuary 2025")
	if !it.Answerable || it.Spec.Time == nil || it.Spec.Time.From.Month() != 2 {
		t.Errorf("febuary: %s %+v", it.Reason, it.Spec)
	}
}

// "Best performing segment", "top 5 performing customers": ranked by the
// revenue when no number is named.
func TestPerforming(t *testing.T) {
	for q, desc := range map[string]bool{"best performing segment in FY2025": true, "worst performing category in FY2025": false, "top 5 performing customers in FY2025": true} {
		it := ask(t, q)
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "net_amount" || len(it.Spec.OrderBy) != 1 || it.Spec.OrderBy[0].Desc != desc || it.Spec.Limit == 0 {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
		}
	}
	it := ask(t, "top 5 performing customers by sales lines quantity in FY2025")
	if !it.Answerable || it.Spec.Metrics[0] != "sales_lines_quantity" {
		t.Errorf("named number: %s %+v", it.Reason, it.Spec)
	}
}

// "Our best month", "the worst store": by the revenue when no number is
// named; "returns as a share of sales": the returns' amount, not their
// count over an amount.
func TestBestAndReturnsShare(t *testing.T) {
	for q, desc := range map[string]bool{"what was our best month in FY2025": true, "worst customer in FY2025": false} {
		it := ask(t, q)
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "net_amount" || len(it.Spec.OrderBy) != 1 || it.Spec.OrderBy[0].Desc != desc || it.Spec.Limit != 1 {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
		}
	}
	it := askReturns("returns as a share of sales by category")
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "refund_amount" || it.Spec.Ratios[0].Denominator != "net_amount" {
		t.Errorf("returns share: %s %+v", it.Reason, it.Spec)
	}
}

// "For each of the last 3 fiscal years": by fiscal year over them;
// "which segment grew the most": the revenue's growth when no number is
// named; "fiscal YTD": year to date.
func TestEachOfLastAndGrowthDefault(t *testing.T) {
	it := ask(t, "net amount for each of the last 3 fiscal years")
	if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Grain != semlayer.GrainFiscalYear || it.Spec.Time == nil || it.Spec.Time.Count != 3 {
		t.Errorf("each of: %s %+v", it.Reason, it.Spec)
	}
	for _, q := range []string{"which segment grew the most in FY2025", "which category grew fastest last year"} {
		it := ask(t, q)
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "net_amount" || it.Spec.Compare == "" || it.Spec.Limit != 1 {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
		}
	}
	it = ask(t, "fiscal YTD net amount")
	if !it.Answerable || it.Spec.Time == nil || !it.Spec.Time.ToDate {
		t.Errorf("fiscal YTD: %s %+v", it.Reason, it.Spec)
	}
}

// "Less than 1000 revenue" is an amount (a count names things in the
// plural); "rank customers by net amount" orders; "top 5 customers" are
// ranked by the revenue; currencies by their names.
func TestAmountThresholdRankAndCurrencyNames(t *testing.T) {
	it := ask(t, "customers with less than 1000 net amount in FY2025")
	if !it.Answerable || len(it.Spec.Having) != 1 || it.Spec.Having[0].Metric != "net_amount" {
		t.Errorf("amount threshold: %s %+v", it.Reason, it.Spec)
	}
	it = ask(t, "rank segments by net amount")
	if !it.Answerable || len(it.Spec.OrderBy) != 1 || !it.Spec.OrderBy[0].Desc || it.Spec.Limit != 0 {
		t.Errorf("rank: %s %+v", it.Reason, it.Spec)
	}
	it = ask(t, "top 5 customers in FY2025")
	if !it.Answerable || it.Spec.Metrics[0] != "net_amount" || it.Spec.Limit != 5 {
		t.Errorf("top 5 customers: %s %+v", it.Reason, it.Spec)
	}
	l := testLayer()
	l.Model("sales_lines").Dimensions = append(l.Model("sales_lines").Dimensions, &semlayer.Dimension{Name: "currency_code", Column: "currency_code", Type: "categorical", Members: true})
	members := map[string][]string{"currency_code": {"EUR", "GBP", "USD"}}
	for k, v := range testMembers {
		members[k] = v
	}
	for q, code := range map[string]string{"net amount in euros in FY2025": "EUR", "sterling net amount by month in FY2025": "GBP"} {
		it := Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		wantFilter(t, it.Spec, "currency_code", code)
	}
}

// "Revenue from customers on the Starter plan", "Starter plan
// customers": the revenue of that member, not each customer's.
func TestCustomersOnAPlan(t *testing.T) {
	for _, q := range []string{"net amount from customers in the Hardware category in FY2025", "net amount from Hardware category customers in FY2025"} {
		it := ask(t, q)
		if !it.Answerable || len(it.Spec.GroupBy) != 0 {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
			continue
		}
		wantFilter(t, it.Spec, "category", "Hardware")
	}
}

// "Who spent the most in FY2025": the customer.
func TestWhoSpent(t *testing.T) {
	it := ask(t, "who spent the most in FY2025")
	if !it.Answerable || it.Spec.Metrics[0] != "net_amount" || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "customer_name" || it.Spec.Limit != 1 {
		t.Errorf("who spent: %s %+v", it.Reason, it.Spec)
	}
}

// "Invoices by month": a fact whose rows are documents, named alone in
// the plural, counts them; "invoice amount", "payments" stay amounts.
func TestDocumentsCounted(t *testing.T) {
	l := testLayer()
	l.Models = append(l.Models, &semlayer.Model{Name: "invoices", Table: "FACT_INVOICES", Role: "fact", Label: "invoices", TimeColumn: "invoice_date",
		Entities:   []*semlayer.Entity{{Name: "customer", Type: "foreign", Column: "CUSTOMERS_SK", Ref: "customers"}},
		Dimensions: []*semlayer.Dimension{{Name: "invoice_date", Column: "invoice_date", Type: "time"}},
		Measures:   []*semlayer.Measure{{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true}, {Name: "row_count", Column: "*", Agg: semlayer.AggCount}}})
	l.Metrics = append(l.Metrics,
		&semlayer.Metric{Name: "invoices_amount", Type: semlayer.MetricSimple, Label: "invoices amount", Format: "money", Model: "invoices", Measure: "amount"},
		&semlayer.Metric{Name: "invoices_count", Type: semlayer.MetricSimple, Label: "number of invoices", Format: "count", Model: "invoices", Measure: "row_count"})
	for q, want := range map[string]string{"invoices by month in FY2025": "invoices_count", "invoices amount by month in FY2025": "invoices_amount",
		"how much were invoices in FY2025": "invoices_amount", "total value of invoices in FY2025": "invoices_amount", "invoices over 10000 by customer in FY2025": "invoices_amount"} {
		it := Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != want {
			t.Errorf("%q: %s %+v, want %s", q, it.Reason, it.Spec, want)
		}
	}
	// "Invoices amount per invoice": per the invoices counted.
	it := Parse(Input{Layer: l, Members: testMembers, Question: "invoices amount per invoice in FY2025", AsOf: asOf})
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Denominator != "invoices_count" {
		t.Errorf("per invoice: %s %+v", it.Reason, it.Spec)
	}
}

// Members in one list are of one dimension when they can be: "Public
// Sector vs Enterprise" where Enterprise is also a category; "US and
// Germany" where "us" is a stop word elsewhere.
func TestCoordinatedMembers(t *testing.T) {
	members := map[string][]string{"category": {"Enterprise", "Hardware"}}
	for k, v := range testMembers {
		if k != "category" {
			members[k] = v
		}
	}
	for _, q := range []string{"Public Sector vs Enterprise net amount in FY2025", "SMB and Enterprise net amount in FY2025"} {
		it := Parse(Input{Layer: testLayer(), Members: members, Question: q, AsOf: asOf})
		if !it.Answerable || len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Dimension != "segment" || len(it.Spec.Filters[0].Values) != 2 {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
		}
	}
	it := ask(t, "net amount for US and Germany in FY2025")
	if !it.Answerable || len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Dimension != "country_code" || len(it.Spec.Filters[0].Values) != 2 {
		t.Errorf("US and Germany: %s %+v", it.Reason, it.Spec)
	}
}

// Abbreviations people type, and "over the course of".
func TestShortWords(t *testing.T) {
	want := ask(t, "total net amount by segment in FY2025")
	for _, q := range []string{"tot net amt by segment in FY2025", "net amount by segment over the course of FY2025"} {
		it := ask(t, q)
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != want.Spec.Metrics[0] || len(it.Spec.GroupBy) != 1 || it.Spec.Time == nil || !it.Spec.Time.From.Equal(want.Spec.Time.From) {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
		}
	}
}

// "Enterprise customers": the customers' own segment before another
// dimension's member of the same name; "SMB" by its words in full;
// "firms", "businesses" are the customers.
func TestCustomersOwnMemberFirst(t *testing.T) {
	members := map[string][]string{"category": {"Enterprise", "Hardware"}}
	for k, v := range testMembers {
		if k != "category" {
			members[k] = v
		}
	}
	for q, want := range map[string][2]string{
		"Enterprise customers net amount in FY2025":     {"segment", "Enterprise"},
		"net amount from small businesses in FY2025":    {"segment", "SMB"},
		"net amount from Public Sector firms in FY2025": {"segment", "Public Sector"},
	} {
		it := Parse(Input{Layer: testLayer(), Members: members, Question: q, AsOf: asOf})
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		wantFilter(t, it.Spec, want[0], want[1])
	}
}

// "Which customers generated more than 1000": the revenue held to it (it
// held the number of customers); "change between FY2024 and FY2025":
// the later against the earlier.
func TestGeneratedAndChangeBetween(t *testing.T) {
	it := ask(t, "which customers generated more than 1000 in FY2025")
	if !it.Answerable || len(it.Spec.Having) != 1 || it.Spec.Having[0].Metric != "net_amount" {
		t.Errorf("generated: %s %+v", it.Reason, it.Spec)
	}
	it = ask(t, "how did net amount change between FY2024 and FY2025")
	if !it.Answerable || it.Spec.Compare == "" {
		t.Fatalf("change between: %s %+v", it.Reason, it.Spec)
	}
	wantRange(t, it.Spec, day(2024, 7, 1), day(2025, 7, 1))
}

// "Top customer in each segment": by the revenue (it ranked the number
// of customers); "average basket size in units": units per receipt.
func TestTopCustomerInEachAndBasketUnits(t *testing.T) {
	it := ask(t, "top customer in each segment in FY2025")
	if !it.Answerable || it.Spec.Metrics[0] != "net_amount" || len(it.Spec.RankWithin) != 1 || it.Spec.Limit != 1 {
		t.Errorf("top customer in each: %s %+v", it.Reason, it.Spec)
	}
}

// "Across all segments": one total; "what is the total amount collected
// from …": the payments, not a list; "based in", "among".
func TestAcrossAllAndWhatIsTheTotal(t *testing.T) {
	it := ask(t, "net amount across all segments in FY2025")
	if !it.Answerable || len(it.Spec.GroupBy) != 0 {
		t.Errorf("across all: %s %+v", it.Reason, it.Spec)
	}
	it = ask(t, "net amount across segments in FY2025")
	if !it.Answerable || len(it.Spec.GroupBy) != 1 {
		t.Errorf("across: %s %+v", it.Reason, it.Spec)
	}
	it = Parse(Input{Layer: paidLayer(true), Members: testMembers, Question: "what is the total amount collected from Enterprise customers in FY2025", AsOf: asOf})
	if !it.Answerable || it.Spec.Metrics[0] != "payments_amount" || it.Only != "" {
		t.Errorf("what is the total collected: %s %+v", it.Reason, it.Spec)
	}
	it = ask(t, "net amount for customers based in Germany in FY2025")
	if !it.Answerable {
		t.Errorf("based in: %s", it.Reason)
	}
}

// "Items per order by month": the units per order (it was the number of
// receipts by product).
func TestItemsPerOrder(t *testing.T) {
	l := testLayer()
	l.Model("sales_lines").Measures = append(l.Model("sales_lines").Measures, &semlayer.Measure{Name: "receipt_count", Column: "receipt_no", Agg: semlayer.AggCountDistinct})
	l.Model("sales_lines").Dimensions = append(l.Model("sales_lines").Dimensions, &semlayer.Dimension{Name: "receipt_no", Column: "receipt_no", Type: "categorical", Hidden: true})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "receipt_count", Type: semlayer.MetricSimple, Label: "number of receipts", Format: "count", Model: "sales_lines", Measure: "receipt_count"})
	it := Parse(Input{Layer: l, Members: testMembers, Question: "items per receipt by month in FY2025", AsOf: asOf})
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "sales_lines_quantity" {
		t.Errorf("items per order: %s %+v", it.Reason, it.Spec)
	}
}

// A member's first words with a typo or in the singular: "saphire
// clinics", "sapphire clinic" are Sapphire Clinics Inc.; a prefix two
// members share is not read.
func TestFuzzyMemberPrefix(t *testing.T) {
	members := map[string][]string{"customer_name": {"Sapphire Clinics Inc.", "Northwind Software Ltd", "Acme Clinics Inc.", "Acme Health Inc."}}
	for k, v := range testMembers {
		if k != "customer_name" {
			members[k] = v
		}
	}
	for q, want := range map[string]string{
		"net amount from Saphire Clinics in FY2025": "Sapphire Clinics Inc.",
		"net amount from sapphire clinic in FY2025": "Sapphire Clinics Inc.",
		"northwind sofware net amount in FY2025":    "Northwind Software Ltd",
	} {
		it := Parse(Input{Layer: testLayer(), Members: members, Question: q, AsOf: asOf})
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		wantFilter(t, it.Spec, "customer_name", want)
	}
	if it := Parse(Input{Layer: testLayer(), Members: members, Question: "net amount from acme in FY2025", AsOf: asOf}); it.Answerable {
		t.Errorf("acme (two members) answered: %s %+v", it.Text, it.Spec)
	}
}

// An id is one exactly or none: "SUB-99999" is not SUB-00999 (it was,
// two edits away).
func TestIdsNotFuzzy(t *testing.T) {
	members := map[string][]string{"customer_id": {"SUB-00999", "SUB-01000"}}
	for k, v := range testMembers {
		members[k] = v
	}
	l := testLayer()
	l.Model("customers").Dimensions = append(l.Model("customers").Dimensions, &semlayer.Dimension{Name: "customer_id", Column: "customer_id", Type: "categorical", Members: true})
	if it := Parse(Input{Layer: l, Members: members, Question: "net amount of customer SUB-99999", AsOf: asOf}); it.Answerable {
		t.Errorf("SUB-99999 answered: %s %+v", it.Text, it.Spec)
	}
}

// "By month of the year", "by day of the week", "which weekday": the
// recurring grains (every year's month, every week's day together); the
// recurring periods not supported are refused, not read as two groupings.
func TestRecurringGrains(t *testing.T) {
	for _, c := range []struct {
		q     string
		grain semlayer.Grain
		limit int
	}{
		{"net amount by month of the year", semlayer.GrainMonthOfYear, 0},
		{"net amount by day of the week in FY2025", semlayer.GrainDayOfWeek, 0},
		{"net amount by weekday", semlayer.GrainDayOfWeek, 0},
		{"which day of the week has the highest net amount", semlayer.GrainDayOfWeek, 1},
		{"which month of the year has the most net amount", semlayer.GrainMonthOfYear, 1},
	} {
		it := ask(t, c.q)
		if !it.Answerable {
			t.Errorf("%q: %s", c.q, it.Reason)
			continue
		}
		if len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Grain != c.grain || it.Spec.Limit != c.limit {
			t.Errorf("%q: %+v", c.q, it.Spec)
		}
	}
	for _, q := range []string{"net amount by day of month", "which week of the year has the most net amount", "net amount by quarter of the year", "net amount by hour of the day"} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		}
	}
}

// "In the coming months", "upcoming", "future": periods that have not
// begun are refused, while "coming from" stays a stop word.
func TestComingPeriodsRefused(t *testing.T) {
	for _, q := range []string{"net amount in the coming months", "upcoming net amount by segment", "future net amount", "net amount coming quarters"} {
		if it := ask(t, q); it.Answerable || !strings.Contains(it.Reason, "not begun") {
			t.Errorf("%q: answerable %v, reason %q", q, it.Answerable, it.Reason)
		}
	}
	if it := ask(t, "net amount coming from Enterprise customers in FY2025"); !it.Answerable {
		t.Errorf("coming from: %s", it.Reason)
	}
}

// "Basket size by store" with no average said is the average basket's
// value (it was the number of receipts), as "average basket size" is.
func TestBasketSizeIsAnAverage(t *testing.T) {
	l := testLayer()
	l.Model("sales_lines").Measures = append(l.Model("sales_lines").Measures, &semlayer.Measure{Name: "receipt_count", Column: "receipt_no", Agg: semlayer.AggCountDistinct})
	l.Model("sales_lines").Dimensions = append(l.Model("sales_lines").Dimensions, &semlayer.Dimension{Name: "receipt_no", Column: "receipt_no", Type: "categorical", Hidden: true})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "receipt_count", Type: semlayer.MetricSimple, Label: "number of receipts", Format: "count", Model: "sales_lines", Measure: "receipt_count"})
	var specs []string
	for _, q := range []string{"basket size by segment in FY2025", "average basket size by segment in FY2025"} {
		it := Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
		if !it.Answerable || len(it.Spec.Ratios)+len(it.Spec.Derived) == 0 {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
		}
		specs = append(specs, fmt.Sprintf("%+v", it.Spec))
	}
	if specs[0] != specs[1] {
		t.Errorf("basket size and average basket size differ:\n%s\n%s", specs[0], specs[1])
	}
}

// "Which segment had the highest revenue per customer": the segments
// ranked by their average per customer (it ranked each customer's
// segment within the customer); "the top customer per segment" is still
// ranked within each segment.
func TestRankedPerMember(t *testing.T) {
	for _, q := range []string{"which segment had the highest revenue per customer in FY2025", "highest revenue per customer by segment"} {
		it := ask(t, q)
		if !it.Answerable || len(it.Spec.Ratios) != 1 || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "segment" || it.Spec.Limit != 1 || len(it.Spec.RankWithin) > 0 {
			t.Errorf("%q: %+v %s", q, it.Spec, it.Reason)
		}
	}
	it := ask(t, "top customer per segment by revenue")
	if !it.Answerable || len(it.Spec.RankWithin) != 1 || it.Spec.RankWithin[0] != "segment" {
		t.Errorf("top customer per segment: %+v %s", it.Spec, it.Reason)
	}
}

// "The best product in the Hardware category": ranked by the revenue, as
// "the best product" is (it ranked the products by their count, 1 each).
func TestBestOfMembers(t *testing.T) {
	for _, q := range []string{"best product in the Hardware category", "best Hardware product in FY2025"} {
		it := ask(t, q)
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "net_amount" || it.Spec.Limit != 1 {
			t.Errorf("%q: %+v %s", q, it.Spec, it.Reason)
		}
	}
}

// "Top segment by active subscriptions": the segments ranked by the
// rows qualified, counted — the exception above is for the members
// ranked being the ones qualified.
func TestTopByQualifiedCount(t *testing.T) {
	l := subscriptionsLayer()
	it := Parse(Input{Layer: l, Members: map[string][]string{"status": {"active", "cancelled"}}, Question: "top segment by active subscriptions", AsOf: asOf})
	if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "subscriptions_count" || it.Spec.Limit != 1 {
		t.Errorf("top segment by active subscriptions: %+v %s", it.Spec, it.Reason)
	}
}
