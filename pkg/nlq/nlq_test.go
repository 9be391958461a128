package nlq

import (
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// testLayer is a small sales warehouse: a fact with customers and
// products, a fiscal year from July.
func testLayer() *semlayer.Layer {
	return &semlayer.Layer{
		Version:  1,
		Calendar: semlayer.Calendar{StartMonth: 7},
		Dialect:  "duckdb",
		Models: []*semlayer.Model{
			{Name: "sales_lines", Table: "FACT_SALES_LINES", Role: "fact", Label: "sales lines", TimeColumn: "sale_date",
				Entities: []*semlayer.Entity{
					{Name: "customer", Type: "foreign", Column: "CUSTOMERS_SK", Ref: "customers"},
					{Name: "product", Type: "foreign", Column: "PRODUCTS_SK", Ref: "products"},
				},
				Dimensions: []*semlayer.Dimension{{Name: "sale_date", Column: "sale_date", Type: "time"}},
				Measures: []*semlayer.Measure{
					{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true},
					{Name: "quantity", Column: "quantity", Agg: semlayer.AggSum},
					{Name: "row_count", Column: "*", Agg: semlayer.AggCount},
					{Name: "customer_count", Column: "customer_id", Agg: semlayer.AggCountDistinct},
				}},
			{Name: "customers", Table: "DIM_CUSTOMERS", Role: "dimension", Label: "customers",
				Entities: []*semlayer.Entity{{Name: "customer", Type: "primary", Column: "CUSTOMERS_SK"}},
				Dimensions: []*semlayer.Dimension{
					{Name: "customer_name", Column: "customer_name", Type: "categorical", Members: true},
					{Name: "segment", Column: "segment", Type: "categorical", Members: true},
					{Name: "country_code", Column: "country_code", Type: "categorical", Members: true},
				}},
			{Name: "products", Table: "DIM_PRODUCTS", Role: "dimension", Label: "products",
				Entities: []*semlayer.Entity{{Name: "product", Type: "primary", Column: "PRODUCTS_SK"}},
				Dimensions: []*semlayer.Dimension{
					{Name: "product_name", Column: "product_name", Type: "categorical", Members: true},
					{Name: "category", Column: "category", Type: "categorical", Members: true},
				},
				Measures: []*semlayer.Measure{{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}},
		},
		Metrics: []*semlayer.Metric{
			{Name: "net_amount", Type: semlayer.MetricSimple, Label: "net amount", Format: "money", Model: "sales_lines", Measure: "amount"},
			{Name: "sales_lines_quantity", Type: semlayer.MetricSimple, Label: "sales lines quantity", Format: "number", Model: "sales_lines", Measure: "quantity"},
			{Name: "sales_lines_count", Type: semlayer.MetricSimple, Label: "number of sales lines", Format: "count", Model: "sales_lines", Measure: "row_count"},
			{Name: "customer_count", Type: semlayer.MetricSimple, Label: "number of customers", Format: "count", Model: "sales_lines", Measure: "customer_count"},
			{Name: "products_count", Type: semlayer.MetricSimple, Label: "number of products", Format: "count", Model: "products", Measure: "row_count"},
		},
	}
}

var testMembers = map[string][]string{
	"customer_name": {"Acme Industries", "Globex Holdings", "Stark Group"},
	"segment":       {"Enterprise", "Public Sector", "SMB"},
	"country_code":  {"DE", "FR", "US"},
	"product_name":  {"Voltix Wireless Earbuds", "Widget"},
	"category":      {"Hardware", "Software", "Toys & Games"},
}

var asOf = time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC)

func ask(t *testing.T, q string) *Interpretation {
	t.Helper()
	return Parse(Input{Layer: testLayer(), Members: testMembers, Question: q, AsOf: asOf,
		Glossary: map[string][]string{"net_amount": {"takings"}}})
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseAnswers(t *testing.T) {
	for _, c := range []struct {
		q     string
		check func(t *testing.T, s query.Spec, it *Interpretation)
	}{
		{"revenue by segment in FY2025", func(t *testing.T, s query.Spec, it *Interpretation) {
			want(t, s.Metrics, "net_amount")
			wantGroup(t, s, "segment")
			wantRange(t, s, day(2024, 7, 1), day(2025, 7, 1))
			if it.Chart != "bar" {
				t.Errorf("chart %q, want bar", it.Chart)
			}
			if !strings.Contains(it.Text, "FY2025") {
				t.Errorf("interpretation %q does not say the period", it.Text)
			}
		}},
		{"sales by month in the last 3 months", func(t *testing.T, s query.Spec, it *Interpretation) {
			if len(s.GroupBy) != 1 || s.GroupBy[0].Grain != semlayer.GrainMonth {
				t.Errorf("group by %+v, want month", s.GroupBy)
			}
			wantRange(t, s, day(2026, 4, 1), day(2026, 7, 1))
			if it.Chart != "line" {
				t.Errorf("chart %q, want line", it.Chart)
			}
		}},
		{"acme revenue last quarter", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantFilter(t, s, "customer_name", "Acme Industries")
			wantRange(t, s, day(2026, 4, 1), day(2026, 7, 1))
		}},
		{"turnover from acme industrees in Q3 2025", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantFilter(t, s, "customer_name", "Acme Industries")
			wantRange(t, s, day(2025, 1, 1), day(2025, 4, 1))
		}},
		{"voltix wirless earbuds sales ytd", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantFilter(t, s, "product_name", "Voltix Wireless Earbuds")
			wantRange(t, s, day(2026, 7, 1), day(2026, 7, 16))
		}},
		{"revenue from customers in Germany", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantFilter(t, s, "country_code", "DE")
			if len(s.GroupBy) != 0 {
				t.Errorf("group by %+v, want none (customers qualifies Germany)", s.GroupBy)
			}
		}},
		{"top 3 customers by revenue in FY2026", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantGroup(t, s, "customer_name")
			if s.Limit != 3 || len(s.OrderBy) != 1 || !s.OrderBy[0].Desc {
				t.Errorf("limit %d order %+v, want the 3 highest", s.Limit, s.OrderBy)
			}
		}},
		{"bottom 2 products by sales", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantGroup(t, s, "product_name")
			if s.Limit != 2 || len(s.OrderBy) != 1 || s.OrderBy[0].Desc {
				t.Errorf("limit %d order %+v, want the 2 lowest", s.Limit, s.OrderBy)
			}
		}},
		{"customers with revenue over 1.5m", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantGroup(t, s, "customer_name")
			if len(s.Having) != 1 || s.Having[0].Op != ">" || s.Having[0].Value != "1500000" {
				t.Errorf("having %+v, want > 1500000", s.Having)
			}
		}},
		{"share of sales by category", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantGroup(t, s, "category")
			if !s.Share || it.Only != query.KindShare {
				t.Errorf("share %v only %q", s.Share, it.Only)
			}
		}},
		{"revenue FY2026 vs FY2025", func(t *testing.T, s query.Spec, it *Interpretation) {
			if s.Compare != query.ComparePriorYear {
				t.Errorf("compare %q, want prior_year", s.Compare)
			}
			wantRange(t, s, day(2025, 7, 1), day(2026, 7, 1))
		}},
		{"sales last quarter vs the quarter before", func(t *testing.T, s query.Spec, it *Interpretation) {
			if s.Compare != query.ComparePriorPeriod {
				t.Errorf("compare %q, want prior_period", s.Compare)
			}
		}},
		{"number of customers by segment in 2025", func(t *testing.T, s query.Spec, it *Interpretation) {
			want(t, s.Metrics, "customer_count")
		}},
		{"How many Voltix Wireless Earbuds did we sell in 2025?", func(t *testing.T, s query.Spec, it *Interpretation) {
			want(t, s.Metrics, "sales_lines_quantity")
			wantRange(t, s, day(2025, 1, 1), day(2026, 1, 1))
		}},
		{"average revenue per customer by segment in 2025", func(t *testing.T, s query.Spec, it *Interpretation) {
			if len(s.Ratios) != 1 || s.Ratios[0].Numerator != "net_amount" || s.Ratios[0].Denominator != "customer_count" {
				t.Fatalf("ratios %+v, want net_amount per customer_count", s.Ratios)
			}
			want(t, s.Metrics, s.Ratios[0].Name)
			wantGroup(t, s, "segment")
			if len(s.GroupBy) != 1 {
				t.Errorf("group by %+v: \"per customer\" is the average's, not a grouping", s.GroupBy)
			}
		}},
		{"quantity as a percentage of revenue by category", func(t *testing.T, s query.Spec, it *Interpretation) {
			if len(s.Ratios) != 1 || !s.Ratios[0].Percent || s.Ratios[0].Numerator != "sales_lines_quantity" || s.Ratios[0].Denominator != "net_amount" {
				t.Fatalf("ratios %+v", s.Ratios)
			}
			want(t, s.Metrics, s.Ratios[0].Name)
		}},
		{"list the products in the Hardware category", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantGroup(t, s, "product_name")
			wantFilter(t, s, "category", "Hardware")
			if it.Only != OnlyGroups {
				t.Errorf("only %q, want the groups", it.Only)
			}
		}},
		{"top 2 customers in each segment by revenue in 2025", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantGroup(t, s, "customer_name")
			wantGroup(t, s, "segment")
			if s.Limit != 2 || len(s.RankWithin) != 1 || s.RankWithin[0] != "segment" {
				t.Errorf("limit %d within %v, want 2 within segment", s.Limit, s.RankWithin)
			}
		}},
		{"top customer by revenue in FY2025", func(t *testing.T, s query.Spec, it *Interpretation) {
			if s.Limit != 1 || len(s.OrderBy) != 1 || !s.OrderBy[0].Desc {
				t.Errorf("limit %d order %+v, want the highest", s.Limit, s.OrderBy)
			}
		}},
		{"revenue fiscal q2 2026", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantRange(t, s, day(2025, 10, 1), day(2026, 1, 1))
		}},
		{"sales for the third quarter of FY2025 by month", func(t *testing.T, s query.Spec, it *Interpretation) {
			wantRange(t, s, day(2025, 1, 1), day(2025, 4, 1))
		}},
		{"average monthly revenue by segment in FY2025", func(t *testing.T, s query.Spec, it *Interpretation) {
			if len(s.Ratios) != 1 || s.Ratios[0].Periods != semlayer.GrainMonth || s.Ratios[0].Numerator != "net_amount" {
				t.Fatalf("ratios %+v, want net_amount per month", s.Ratios)
			}
			if len(s.GroupBy) != 1 {
				t.Errorf("group by %+v: the month is the average's", s.GroupBy)
			}
		}},
		{"takings by toys category", func(t *testing.T, s query.Spec, it *Interpretation) {
			want(t, s.Metrics, "net_amount")
			wantFilter(t, s, "category", "Toys & Games")
		}},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := ask(t, c.q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			c.check(t, it.Spec, it)
		})
	}
}

func TestParseAbstains(t *testing.T) {
	for _, q := range []string{
		"headcount by region",
		"why did revenue drop",
		"forecast revenue for next year",
		"what will the weather be in London",
		"asdkjh qwepoi zxcmnb",
		"revenue from Initech",
		"revenue from customers in Japan",
		"'; DROP TABLE FACT_SALES_LINES; --",
		"SELECT * FROM DIM_CUSTOMERS",
		"show me the rows of the employees table",
		"list the customers",
		"number of invoices",
		"top 3 customers by segment by revenue",
		"top customers by revenue",
		"how many customers are there in each segment",
		"average monthly revenue",
	} {
		t.Run(q, func(t *testing.T) {
			it := ask(t, q)
			if it.Answerable {
				t.Fatalf("answered %q: %s", q, it.Text)
			}
			if it.Reason == "" {
				t.Error("no reason")
			}
		})
	}
	// A word two typos from anything the layer knows is not guessed
	// (one typo is read: spelling_test.go).
	it := ask(t, "revnuue by segmnt")
	if it.Answerable || len(it.Suggestions) == 0 {
		t.Errorf("misspelt metric: answerable %v, suggestions %v", it.Answerable, it.Suggestions)
	}
}

func TestOSA(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"hardwear", "hardware", 2}, {"enterprize", "enterprise", 1}, {"chicago lop", "chicago loop", 1}, {"ab", "ba", 1}, {"", "abc", 3}} {
		if got := osa(c.a, c.b); got != c.d {
			t.Errorf("osa(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func want(t *testing.T, got []string, w ...string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(w, ",") {
		t.Errorf("metrics %v, want %v", got, w)
	}
}

func wantGroup(t *testing.T, s query.Spec, dim string) {
	t.Helper()
	for _, g := range s.GroupBy {
		if g.Dimension == dim {
			return
		}
	}
	t.Errorf("group by %+v, want %s", s.GroupBy, dim)
}

func wantFilter(t *testing.T, s query.Spec, dim, value string) {
	t.Helper()
	for _, f := range s.Filters {
		if f.Dimension == dim && len(f.Values) == 1 && f.Values[0] == value && !f.Not {
			return
		}
	}
	t.Errorf("filters %+v, want %s = %q", s.Filters, dim, value)
}

func wantRange(t *testing.T, s query.Spec, from, to time.Time) {
	t.Helper()
	if s.Time == nil || !s.Time.From.Equal(from) || !s.Time.To.Equal(to) {
		t.Errorf("time %+v, want %s – %s", s.Time, from.Format("2006-01-02"), to.Format("2006-01-02"))
	}
}
