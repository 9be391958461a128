package nlq

import (
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

func costLayer() *semlayer.Layer {
	l := testLayer()
	l.Model("products").Dimensions = append(l.Model("products").Dimensions, &semlayer.Dimension{Name: "unit_cost", Column: "unit_cost", Type: "categorical", Hidden: true})
	return l
}

// "Gross margin by category" where the layer has revenue, units and a
// product's unit cost: revenue less the units at their unit cost.
func TestMarginFromUnitCost(t *testing.T) {
	askC := func(l *semlayer.Layer, q string) *Interpretation {
		return Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
	}
	for _, c := range []struct{ q, metric, expr string }{
		{"gross margin by category in FY2025", "gross_margin", "net_amount - cost_of_goods_sold"},
		{"margin by product in FY2025", "gross_margin", "net_amount - cost_of_goods_sold"},
		{"gross margin % by category in FY2025", "gross_margin_pct", "(net_amount - cost_of_goods_sold) / net_amount * 100"},
		{"cost of goods sold in FY2025", "cost_of_goods_sold", ""},
		{"COGS by month in FY2025", "cost_of_goods_sold", ""},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := askC(costLayer(), c.q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			want(t, it.Spec.Metrics, c.metric)
			if len(it.Spec.Priced) != 1 || it.Spec.Priced[0].Metric != "sales_lines_quantity" || it.Spec.Priced[0].Attribute != "unit_cost" {
				t.Errorf("priced %+v", it.Spec.Priced)
			}
			if c.expr != "" && (len(it.Spec.Derived) != 1 || it.Spec.Derived[0].Expr != c.expr) {
				t.Errorf("derived %+v, want %s", it.Spec.Derived, c.expr)
			}
		})
	}
	// Without a unit cost, or with amounts in several currencies, the
	// margin is not answered.
	if it := askC(testLayer(), "gross margin by category in FY2025"); it.Answerable {
		t.Errorf("answered without a unit cost: %s", it.Text)
	}
	l := costLayer()
	l.Currency = &semlayer.Currency{Reporting: "USD"}
	if it := askC(l, "gross margin by category in FY2025"); it.Answerable {
		t.Errorf("answered in several currencies: %s", it.Text)
	}
}

// "Most profitable product", "profit by store", "profit margin": the
// gross margin where costs are only the goods'; "net profit" is not it.
func TestProfitFromUnitCost(t *testing.T) {
	askC := func(q string) *Interpretation {
		return Parse(Input{Layer: costLayer(), Members: testMembers, Question: q, AsOf: asOf})
	}
	for q, metric := range map[string]string{"most profitable product in FY2025": "gross_margin", "profit by category in FY2025": "gross_margin", "profit margin by category in FY2025": "gross_margin_pct"} {
		it := askC(q)
		if !it.Answerable {
			t.Fatalf("%q: %s", q, it.Reason)
		}
		want(t, it.Spec.Metrics, metric)
	}
	if it := askC("net profit in FY2025"); it.Answerable {
		t.Errorf("net profit answered: %s", it.Text)
	}
}
