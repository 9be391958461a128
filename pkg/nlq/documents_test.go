package nlq

import (
	"testing"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// ledgerLayer is a general ledger: journal lines (a journal number the
// lines share, customers), revenue a hierarchy line of some of them.
func ledgerLayer() *semlayer.Layer {
	return &semlayer.Layer{
		Version:  1,
		Calendar: semlayer.Calendar{StartMonth: 7},
		Dialect:  "duckdb",
		Models: []*semlayer.Model{
			{Name: "gl_journal_lines", Table: "FACT_GL", Role: "fact", Label: "gl journal lines", TimeColumn: "posting_date",
				Entities: []*semlayer.Entity{{Name: "customer", Type: "foreign", Column: "CUSTOMERS_SK", Ref: "customers"}},
				Dimensions: []*semlayer.Dimension{{Name: "posting_date", Column: "posting_date", Type: "time"},
					{Name: "journal_id", Column: "journal_id", Type: "categorical", Hidden: true},
					{Name: "account_code", Column: "account_code", Type: "categorical"}},
				Measures: []*semlayer.Measure{
					{Name: "amount", Column: "AMOUNT", Agg: semlayer.AggSum, Money: true},
					{Name: "journal_id_count", Column: "journal_id", Agg: semlayer.AggCountDistinct},
					{Name: "customer_count", Column: "customer_id", Agg: semlayer.AggCountDistinct},
				},
				Hierarchies: []*semlayer.HierarchyBinding{{Hierarchy: "pl", CodeColumn: "account_code", ValueColumn: "AMOUNT", Mapping: "DT_2_PL"}}},
			{Name: "customers", Table: "DIM_CUSTOMERS", Role: "dimension", Label: "customers",
				Entities: []*semlayer.Entity{{Name: "customer", Type: "primary", Column: "CUSTOMERS_SK"}},
				Dimensions: []*semlayer.Dimension{
					{Name: "customer_name", Column: "customer_name", Type: "categorical", Members: true},
					{Name: "segment", Column: "segment", Type: "categorical", Members: true},
				},
				Measures: []*semlayer.Measure{{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}},
		},
		Metrics: []*semlayer.Metric{
			{Name: "customers_count", Type: semlayer.MetricSimple, Label: "number of customers", Format: "count", Model: "customers", Measure: "row_count"},
			{Name: "amount", Type: semlayer.MetricSimple, Label: "amount", Format: "money", Model: "gl_journal_lines", Measure: "amount"},
			{Name: "journal_id_count", Type: semlayer.MetricSimple, Label: "number of journals", Format: "count", Model: "gl_journal_lines", Measure: "journal_id_count"},
			{Name: "customer_count", Type: semlayer.MetricSimple, Label: "number of customers", Format: "count", Model: "gl_journal_lines", Measure: "customer_count"},
			{Name: "revenue", Type: semlayer.MetricHierarchy, Label: "Revenue", Format: "money", Model: "gl_journal_lines", Hierarchy: "pl", Node: "REV",
				Leaves: map[string]int{"REV_GOODS": 1}, FlipSign: true},
		},
	}
}

func TestDocumentsOfRevenue(t *testing.T) {
	askL := func(q string) *Interpretation {
		return Parse(Input{Layer: ledgerLayer(), Members: map[string][]string{"segment": {"Enterprise", "SMB"}}, Question: q, AsOf: asOf})
	}
	restricted := func(t *testing.T, s query.Spec, metric, rows string) string {
		t.Helper()
		for _, r := range s.Restricted {
			if r.Metric == metric && r.Rows == rows {
				return r.Name
			}
		}
		t.Errorf("restricted %+v, want %s over the rows of %s", s.Restricted, metric, rows)
		return ""
	}
	for _, c := range []struct {
		q     string
		check func(t *testing.T, s query.Spec)
	}{
		{"number of sales invoices by fiscal quarter", func(t *testing.T, s query.Spec) {
			want(t, s.Metrics, restricted(t, s, "journal_id_count", "revenue"))
		}},
		{"invoice count in FY2025", func(t *testing.T, s query.Spec) {
			want(t, s.Metrics, restricted(t, s, "journal_id_count", "revenue"))
		}},
		{"How many customers did we invoice in FY2026?", func(t *testing.T, s query.Spec) {
			want(t, s.Metrics, restricted(t, s, "customer_count", "revenue"))
			wantRange(t, s, day(2025, 7, 1), day(2026, 7, 1))
		}},
		{"average invoice value by customer segment in FY2025", func(t *testing.T, s query.Spec) {
			den := restricted(t, s, "journal_id_count", "revenue")
			if len(s.Ratios) != 1 || s.Ratios[0].Numerator != "revenue" || s.Ratios[0].Denominator != den {
				t.Errorf("ratios %+v, want revenue / %s", s.Ratios, den)
			}
			wantGroup(t, s, "segment")
		}},
		{"average revenue per customer in FY2025", func(t *testing.T, s query.Spec) {
			den := restricted(t, s, "customer_count", "revenue")
			if len(s.Ratios) != 1 || s.Ratios[0].Numerator != "revenue" || s.Ratios[0].Denominator != den {
				t.Errorf("ratios %+v, want revenue / %s", s.Ratios, den)
			}
		}},
		{"average revenue per invoice in FY2026", func(t *testing.T, s query.Spec) {
			den := restricted(t, s, "journal_id_count", "revenue")
			if len(s.Ratios) != 1 || s.Ratios[0].Numerator != "revenue" || s.Ratios[0].Denominator != den {
				t.Errorf("ratios %+v, want revenue / %s", s.Ratios, den)
			}
		}},
		{"number of customers with revenue in FY2026", func(t *testing.T, s query.Spec) {
			want(t, s.Metrics, restricted(t, s, "customer_count", "revenue"))
		}},
		{"average invoice amount by segment in FY2025", func(t *testing.T, s query.Spec) {
			if len(s.Metrics) != 1 || len(s.Ratios) != 1 {
				t.Errorf("metrics %v ratios %+v, want the average invoice alone", s.Metrics, s.Ratios)
			}
		}},
		// The journals by their own name: all of them.
		{"number of journals in FY2025", func(t *testing.T, s query.Spec) {
			want(t, s.Metrics, "journal_id_count")
			if len(s.Restricted) != 0 {
				t.Errorf("restricted %+v, want none", s.Restricted)
			}
		}},
	} {
		it := askL(c.q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		c.check(t, it.Spec)
	}
	// A ledger's journals with revenue are invoices, not orders.
	if it := askL("number of orders in FY2025"); it.Answerable {
		t.Errorf("orders of a ledger: answered %+v", it.Spec)
	}
	// An average of a ledger line per what?
	if it := askL("average revenue in FY2025"); it.Answerable {
		t.Errorf("average revenue: answered %+v", it.Spec)
	}
}

// In a sales fact the documents are its receipts, all of its rows sales.
func TestDocumentsOfSales(t *testing.T) {
	l := testLayer()
	sales := l.Model("sales_lines")
	sales.Dimensions = append(sales.Dimensions, &semlayer.Dimension{Name: "receipt_no", Column: "receipt_no", Type: "categorical", Hidden: true})
	sales.Measures = append(sales.Measures, &semlayer.Measure{Name: "receipt_no_count", Column: "receipt_no", Agg: semlayer.AggCountDistinct})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "receipt_no_count", Type: semlayer.MetricSimple, Label: "number of receipts", Format: "count", Model: "sales_lines", Measure: "receipt_no_count"})
	it := Parse(Input{Layer: l, Members: testMembers, Question: "number of transactions by month", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "receipt_no_count")
	if len(it.Spec.Restricted) != 0 {
		t.Errorf("restricted %+v, want none", it.Spec.Restricted)
	}
}

// Lines of one statement that share accounts are not subtracted.
func TestLinesOverlap(t *testing.T) {
	l := ledgerLayer()
	l.Metrics = append(l.Metrics,
		&semlayer.Metric{Name: "rev_deductions", Type: semlayer.MetricHierarchy, Label: "Discounts", Format: "money", Model: "gl_journal_lines", Hierarchy: "pl", Node: "DED",
			Leaves: map[string]int{"REV_DED": 1}, FlipSign: true},
		&semlayer.Metric{Name: "cost_of_sales", Type: semlayer.MetricHierarchy, Label: "Cost of sales", Format: "money", Model: "gl_journal_lines", Hierarchy: "pl", Node: "COS",
			Leaves: map[string]int{"COS_GOODS": 1}})
	l.Metric("revenue").Leaves["REV_DED"] = -1
	if it := Parse(Input{Layer: l, Question: "revenue after discounts in FY2025", AsOf: asOf}); it.Answerable {
		t.Errorf("revenue after discounts: answered %+v", it.Spec)
	}
	it := Parse(Input{Layer: l, Question: "revenue less cost of sales in FY2025", AsOf: asOf})
	if !it.Answerable || len(it.Spec.Derived) != 1 || it.Spec.Derived[0].Expr != "revenue - cost_of_sales" {
		t.Errorf("revenue less cost of sales: %+v %s", it.Spec, it.Reason)
	}
}

// The largest documents: ranked by their amount, grouped by the document.
func TestDocumentRanking(t *testing.T) {
	it := Parse(Input{Layer: ledgerLayer(), Question: "largest invoice in FY2026", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	s := it.Spec
	if len(s.Metrics) != 1 || s.Metrics[0] != "revenue" || len(s.GroupBy) != 1 || s.GroupBy[0].Dimension != "journal_id" || s.Limit != 1 || !s.OrderBy[0].Desc {
		t.Errorf("largest invoice: %+v", s)
	}
	// Several, without saying how many: not answered.
	if it := Parse(Input{Layer: ledgerLayer(), Question: "largest invoices in FY2026", AsOf: asOf}); it.Answerable {
		t.Errorf("largest invoices: answered %+v", it.Spec)
	}
}

// "Which customer had the largest invoice": the one document ranked by
// its amount, shown with its customer (not the customers ranked by their
// total).
func TestDocumentRankingWithItsMember(t *testing.T) {
	it := Parse(Input{Layer: ledgerLayer(), Members: testMembers, Question: "which customer had the largest invoice in FY2026", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	s := it.Spec
	if len(s.GroupBy) != 2 || s.GroupBy[1].Dimension != "journal_id" || s.Limit != 1 || len(s.RankWithin) > 0 {
		t.Errorf("spec %+v", s)
	}
}

// "The date of the largest invoice", "in which month was the largest
// invoice": the one document ranked by its amount, shown with its day or
// month (not the days or months ranked by their total).
func TestDocumentRankingWithItsPeriod(t *testing.T) {
	for _, c := range []struct {
		q     string
		grain semlayer.Grain
	}{
		{"the date of the largest invoice in FY2026", semlayer.GrainDay},
		{"in which month was the largest invoice in FY2026", semlayer.GrainMonth},
	} {
		it := Parse(Input{Layer: ledgerLayer(), Members: testMembers, Question: c.q, AsOf: asOf})
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		s := it.Spec
		var grain semlayer.Grain
		doc := false
		for _, g := range s.GroupBy {
			if g.Grain != "" {
				grain = g.Grain
			}
			doc = doc || g.Dimension == "journal_id"
		}
		if grain != c.grain || !doc || s.Limit != 1 || len(s.OrderBy) == 0 || !s.OrderBy[0].Desc {
			t.Errorf("%q: spec %+v", c.q, s)
		}
	}
}

// A verb after a document's name does not change which rows it names:
// "the largest payment received" is the largest payment.
func TestDocumentRankingWithAVerb(t *testing.T) {
	l := paidLayer(true)
	l.Model("payments").Dimensions = append(l.Model("payments").Dimensions, &semlayer.Dimension{Name: "payment_id", Column: "payment_id", Type: "categorical"})
	for _, q := range []string{"the largest payment received in FY2025", "on which date was the largest payment received"} {
		it := Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", q, it.Reason)
			continue
		}
		doc := false
		for _, g := range it.Spec.GroupBy {
			doc = doc || g.Dimension == "payment_id"
		}
		if !doc || it.Spec.Limit != 1 || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "payments_amount" {
			t.Errorf("%q: spec %+v", q, it.Spec)
		}
	}
}

// One row picked by its date ("the last invoice", "the most recent
// order"), a place left to guess ("where do we sell the most") and a
// list of documents ("list the invoices of Acme") are not answered with
// a total or a count; "last year", "the most customers" and "list the
// customers" are left alone.
func TestRowsPickedOrListed(t *testing.T) {
	for _, q := range []string{
		"the last invoice for Acme Industries", "latest invoice", "the most recent invoice in FY2026", "our newest customer",
		"where do we sell the most", "where are most of our customers",
		"list the invoices of Acme Industries", "show me all invoices in FY2026",
	} {
		if it := Parse(Input{Layer: ledgerLayer(), Members: testMembers, Question: q, AsOf: asOf}); it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		}
	}
	for _, q := range []string{"revenue last year", "which segment has the most customers", "number of invoices in FY2026", "list the number of invoices by month in FY2026"} {
		if it := Parse(Input{Layer: ledgerLayer(), Members: testMembers, Question: q, AsOf: asOf}); !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
		}
	}
}
