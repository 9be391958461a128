package nlq

import (
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// wholesaleLayer: the test layer's sales beside the business's purchase
// orders (from vendors, of the same products), a fact of sales orders
// with one row per order, and monthly inventory snapshots.
func wholesaleLayer() *semlayer.Layer {
	l := testLayer()
	l.Models = append(l.Models,
		&semlayer.Model{Name: "purchase_orders", Table: "FACT_PURCHASE_ORDERS", Role: "fact", Label: "purchase orders", TimeColumn: "po_date",
			Entities: []*semlayer.Entity{
				{Name: "vendor", Type: "foreign", Column: "VENDORS_SK", Ref: "vendors"},
				{Name: "product", Type: "foreign", Column: "PRODUCTS_SK", Ref: "products"},
			},
			Dimensions: []*semlayer.Dimension{{Name: "po_date", Column: "po_date", Type: "time"}},
			Measures: []*semlayer.Measure{
				{Name: "po_amount", Column: "po_amount", Agg: semlayer.AggSum, Money: true},
				{Name: "quantity", Column: "quantity", Agg: semlayer.AggSum},
				{Name: "row_count", Column: "*", Agg: semlayer.AggCount},
			}},
		&semlayer.Model{Name: "sales_orders", Table: "FACT_SALES_ORDERS", Role: "fact", Label: "sales orders", TimeColumn: "order_date",
			Entities:   []*semlayer.Entity{{Name: "customer", Type: "foreign", Column: "CUSTOMERS_SK", Ref: "customers"}},
			Dimensions: []*semlayer.Dimension{{Name: "order_date", Column: "order_date", Type: "time"}},
			Measures:   []*semlayer.Measure{{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}},
		&semlayer.Model{Name: "inventory_snapshots", Table: "FACT_INVENTORY_SNAPSHOTS", Role: "fact", Label: "inventory snapshots", TimeColumn: "snapshot_date",
			Entities:   []*semlayer.Entity{{Name: "product", Type: "foreign", Column: "PRODUCTS_SK", Ref: "products"}},
			Dimensions: []*semlayer.Dimension{{Name: "snapshot_date", Column: "snapshot_date", Type: "time"}},
			Measures: []*semlayer.Measure{
				{Name: "on_hand_qty", Column: "on_hand_qty", Agg: semlayer.AggSum, NonAdditive: &semlayer.NonAdditive{Time: "last"}},
				{Name: "on_hand_value", Column: "on_hand_value", Agg: semlayer.AggSum, Money: true, NonAdditive: &semlayer.NonAdditive{Time: "last"}},
			}},
		&semlayer.Model{Name: "vendors", Table: "DIM_VENDORS", Role: "dimension", Label: "vendors",
			Entities:   []*semlayer.Entity{{Name: "vendor", Type: "primary", Column: "VENDORS_SK"}},
			Dimensions: []*semlayer.Dimension{{Name: "vendor_name", Column: "vendor_name", Type: "categorical", Members: true}}},
	)
	l.Metrics = append(l.Metrics,
		&semlayer.Metric{Name: "po_amount", Type: semlayer.MetricSimple, Label: "po amount", Format: "money", Model: "purchase_orders", Measure: "po_amount"},
		&semlayer.Metric{Name: "purchase_orders_quantity", Type: semlayer.MetricSimple, Label: "purchase orders quantity", Format: "number", Model: "purchase_orders", Measure: "quantity"},
		&semlayer.Metric{Name: "purchase_orders_count", Type: semlayer.MetricSimple, Label: "number of purchase orders", Format: "count", Model: "purchase_orders", Measure: "row_count"},
		&semlayer.Metric{Name: "sales_orders_count", Type: semlayer.MetricSimple, Label: "number of sales orders", Format: "count", Model: "sales_orders", Measure: "row_count"},
		&semlayer.Metric{Name: "on_hand_qty", Type: semlayer.MetricSimple, Label: "on hand qty", Format: "number", Model: "inventory_snapshots", Measure: "on_hand_qty"},
		&semlayer.Metric{Name: "on_hand_value", Type: semlayer.MetricSimple, Label: "on hand value", Format: "money", Model: "inventory_snapshots", Measure: "on_hand_value"},
	)
	return l
}

// Beside its sales, what the business buys: "purchases", "we bought",
// "units purchased", "POs" are the purchase orders; the customers'
// orders are the sales orders' rows; "inventory", "stock on hand",
// "inventory value" the snapshots' quantity and value.
func TestWholesale(t *testing.T) {
	members := map[string][]string{"vendor_name": {"Nordic Metals", "Ohio Wire Works"}}
	for k, v := range testMembers {
		members[k] = v
	}
	for _, c := range []struct{ q, metric string }{
		{"total purchases in FY2025", "po_amount"},
		{"purchases by category", "po_amount"},
		{"how much did we buy from Nordic Metals", "po_amount"},
		{"which vendor did we spend the most with", "po_amount"},
		{"how much did Acme Industries spend in FY2025", "net_amount"},
		{"units purchased by product", "purchase_orders_quantity"},
		{"units sold by product", "sales_lines_quantity"},
		{"how many POs did we raise last quarter", "purchase_orders_count"},
		{"inventory value by category", "on_hand_value"},
		{"stock on hand by product", "on_hand_qty"},
		{"total inventory", "on_hand_qty"},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := Parse(Input{Layer: wholesaleLayer(), Members: members, Question: c.q, AsOf: asOf})
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			want(t, it.Spec.Metrics, c.metric)
		})
	}
}

// A fact of whole documents (one row per sales order): "orders" are
// its rows; a fact of their lines is not counted so.
func TestDocumentRows(t *testing.T) {
	l := testLayer()
	l.Models[0].Measures = l.Models[0].Measures[:2] // sales lines: no count of their own
	l.Models = append(l.Models, &semlayer.Model{Name: "sales_orders", Table: "FACT_SALES_ORDERS", Role: "fact", Label: "sales orders", TimeColumn: "order_date",
		Entities:   []*semlayer.Entity{{Name: "customer", Type: "foreign", Column: "CUSTOMERS_SK", Ref: "customers"}},
		Dimensions: []*semlayer.Dimension{{Name: "order_date", Column: "order_date", Type: "time"}},
		Measures:   []*semlayer.Measure{{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}})
	l.Metrics = append(l.Metrics[:2], l.Metrics[3:]...)
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "sales_orders_count", Type: semlayer.MetricSimple, Label: "number of sales orders", Format: "count", Model: "sales_orders", Measure: "row_count"})
	it := Parse(Input{Layer: l, Members: testMembers, Question: "how many orders in FY2025", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "sales_orders_count")
	if !lineLevel(canonPhrase("sales lines")) || lineLevel(canonPhrase("sales orders")) {
		t.Error("lineLevel: sales lines are lines, sales orders are not")
	}
}

// "Inventory turnover" and "days of inventory" are ratios of a flow to
// an average balance, not computed: refused, not answered with the
// turnover (revenue) beside the stock; "how many customers ordered" is
// the customers' count alone.
func TestStockRatiosAndOrdered(t *testing.T) {
	members := map[string][]string{"vendor_name": {"Nordic Metals"}}
	for k, v := range testMembers {
		members[k] = v
	}
	for _, q := range []string{"inventory turnover", "stock turns by category", "days of inventory"} {
		if it := Parse(Input{Layer: wholesaleLayer(), Members: members, Question: q, AsOf: asOf}); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		}
	}
	it := Parse(Input{Layer: wholesaleLayer(), Members: members, Question: "how many customers ordered in FY2025", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("customers who ordered: %s", it.Reason)
	}
	if len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "customer_count" {
		t.Errorf("metrics %v, want the customers' count alone", it.Spec.Metrics)
	}
}
