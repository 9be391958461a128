package semlayer

import "testing"

// A fact with no date of its own is dated by the one fact it references
// that has one (its header): order lines by their order's date; not a
// fact with a stock (read at its own dates), nor one with two dated
// parents.
func TestHeaderDates(t *testing.T) {
	header := func(name string) *Model {
		return &Model{Name: name, Role: "fact", Table: name, TimeColumn: name + "_date",
			Entities: []*Entity{{Name: name, Type: "primary", Column: name + "_id"}}}
	}
	lines := &Model{Name: "order_items", Role: "fact", Table: "order_items",
		Entities: []*Entity{{Name: "orders", Type: "foreign", Column: "orders_id", Ref: "orders"}},
		Measures: []*Measure{{Name: "line_amount", Column: "line_amount", Agg: AggSum}}}
	stock := &Model{Name: "stock", Role: "fact", Table: "stock",
		Entities: []*Entity{{Name: "orders", Type: "foreign", Column: "orders_id", Ref: "orders"}},
		Measures: []*Measure{{Name: "on_hand", Column: "on_hand", Agg: AggSum, NonAdditive: &NonAdditive{Time: TimeLast}}}}
	two := &Model{Name: "allocations", Role: "fact", Table: "allocations",
		Entities: []*Entity{{Name: "orders", Type: "foreign", Column: "orders_id", Ref: "orders"}, {Name: "shipments", Type: "foreign", Column: "shipments_id", Ref: "shipments"}}}
	l := &Layer{Models: []*Model{header("orders"), header("shipments"), lines, stock, two}}
	generateHeaderDates(l)
	if lines.TimeColumn != "orders_date" || lines.TimeVia != "orders" {
		t.Errorf("order_items: time %q via %q, want orders_date via orders", lines.TimeColumn, lines.TimeVia)
	}
	if stock.TimeColumn != "" || two.TimeColumn != "" {
		t.Errorf("stock %q, allocations %q: want no date", stock.TimeColumn, two.TimeColumn)
	}
}
