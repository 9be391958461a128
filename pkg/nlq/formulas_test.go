package nlq

import (
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// returnsLayer is testLayer with returns: refunds of the sales lines.
func returnsLayer() *semlayer.Layer {
	l := testLayer()
	l.Models = append(l.Models, &semlayer.Model{Name: "returns", Table: "FACT_RETURNS", Role: "fact", Label: "returns", TimeColumn: "return_date",
		Dimensions: []*semlayer.Dimension{{Name: "return_date", Column: "return_date", Type: "time"}},
		Measures:   []*semlayer.Measure{{Name: "refund_amount", Column: "refund_amount", Agg: semlayer.AggSum, Money: true}}})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "refund_amount", Type: semlayer.MetricSimple, Label: "refund amount", Format: "money", Model: "returns", Measure: "refund_amount"})
	return l
}

func TestDifferences(t *testing.T) {
	askR := func(q string) *Interpretation {
		return Parse(Input{Layer: returnsLayer(), Members: testMembers, Question: q, AsOf: asOf})
	}
	for _, q := range []string{"net sales after refunds in 2025", "revenue less refunds in 2025", "sales minus refunds in FY2025", "revenue net of refunds in 2025"} {
		it := askR(q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", q, it.Reason)
			continue
		}
		if len(it.Spec.Derived) != 1 || it.Spec.Derived[0].Expr != "net_amount - refund_amount" || it.Spec.Metrics[0] != it.Spec.Derived[0].Name {
			t.Errorf("%q: derived %+v metrics %v, want net_amount - refund_amount", q, it.Spec.Derived, it.Spec.Metrics)
		}
	}
	for _, q := range []string{
		"revenue less",                       // less what?
		"after refunds",                      // from what?
		"revenue less number of customers",   // an amount less a count
		"sales excluding refunds",            // a part of sales, or not?
		"revenue less than 100k by customer", // a threshold, not a difference (answered, checked below)
	} {
		it := askR(q)
		if q == "revenue less than 100k by customer" {
			if !it.Answerable || len(it.Spec.Derived) != 0 || len(it.Spec.Having) != 1 {
				t.Errorf("%q: %+v %s", q, it.Spec, it.Reason)
			}
			continue
		}
		if it.Answerable {
			t.Errorf("%q: answered %+v", q, it.Spec)
		}
	}
}

func TestSellingPrice(t *testing.T) {
	for _, q := range []string{"average selling price per unit by category in 2025", "ASP by month", "average price per unit for Widget"} {
		it := ask(t, q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", q, it.Reason)
			continue
		}
		if len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "net_amount" || it.Spec.Ratios[0].Denominator != "sales_lines_quantity" {
			t.Errorf("%q: ratios %+v, want net_amount / sales_lines_quantity", q, it.Spec.Ratios)
		}
	}
	// A ledger has no units: no selling price.
	if it := Parse(Input{Layer: ledgerLayer(), Question: "average selling price in FY2025", AsOf: asOf}); it.Answerable {
		t.Errorf("ledger: answered %+v", it.Spec)
	}
}

// "X per Y", Y a count: one number per the other.
func TestPerCount(t *testing.T) {
	l := testLayer()
	sales := l.Model("sales_lines")
	sales.Dimensions = append(sales.Dimensions, &semlayer.Dimension{Name: "receipt_no", Column: "receipt_no", Type: "categorical", Hidden: true})
	sales.Measures = append(sales.Measures, &semlayer.Measure{Name: "receipt_no_count", Column: "receipt_no", Agg: semlayer.AggCountDistinct})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "receipt_no_count", Type: semlayer.MetricSimple, Label: "number of receipts", Format: "count", Model: "sales_lines", Measure: "receipt_no_count"})
	it := Parse(Input{Layer: l, Members: testMembers, Question: "units per transaction in FY2025", AsOf: asOf})
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "sales_lines_quantity" || it.Spec.Ratios[0].Denominator != "receipt_no_count" {
		t.Errorf("units per transaction: %+v %s", it.Spec, it.Reason)
	}
	// Per an amount: not a known ratio.
	if it := Parse(Input{Layer: l, Members: testMembers, Question: "units per revenue in FY2025", AsOf: asOf}); it.Answerable {
		t.Errorf("units per revenue: answered %+v", it.Spec)
	}
}

// An average of a filtered number is per the rows it reads.
func TestAverageOfFilteredRows(t *testing.T) {
	l := testLayer()
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "dated_sales", Type: semlayer.MetricSimple, Label: "dated sales", Format: "money",
		Model: "sales_lines", Measure: "amount", Filter: "sale_date IS NOT NULL"})
	it := Parse(Input{Layer: l, Members: testMembers, Question: "average dated sales in FY2025", AsOf: asOf})
	if !it.Answerable || len(it.Spec.Restricted) != 1 || it.Spec.Restricted[0].Rows != "dated_sales" || it.Spec.Ratios[0].Denominator != it.Spec.Restricted[0].Name {
		t.Errorf("%+v %s", it.Spec, it.Reason)
	}
	// "per" members named before their word: an average, not a filter.
	if it := ask(t, "revenue per Enterprise customer in FY2025"); it.Answerable {
		t.Errorf("revenue per Enterprise customer: answered %+v", it.Spec)
	}
}

// Gross sales and the discount rate, from net sales and discounts.
func TestGrossSales(t *testing.T) {
	l := testLayer()
	l.Model("sales_lines").Measures = append(l.Model("sales_lines").Measures, &semlayer.Measure{Name: "discount", Column: "discount", Agg: semlayer.AggSum, Money: true})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "discount", Type: semlayer.MetricSimple, Label: "discount", Format: "money", Model: "sales_lines", Measure: "discount"})
	for q, expr := range map[string]string{
		"gross sales in FY2025":            "net_amount + discount",
		"discount rate by month in FY2025": "100 * discount / (net_amount + discount)",
	} {
		it := Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
		if !it.Answerable || len(it.Spec.Derived) != 1 || it.Spec.Derived[0].Expr != expr {
			t.Errorf("%q: %+v %s, want %s", q, it.Spec, it.Reason, expr)
		}
	}
	// Without discounts: not answered.
	if it := ask(t, "gross sales in FY2025"); it.Answerable {
		t.Errorf("gross sales without discounts: answered %+v", it.Spec)
	}
}
