package query

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// headerLayer: order lines with no date of their own, dated by their
// order header (TimeVia), and the orders with their date.
func headerLayer() *semlayer.Layer {
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{
			{Name: "orders", Table: "FACT_ORDERS", Role: "fact", TimeColumn: "order_date",
				Entities:   []*semlayer.Entity{{Name: "order", Type: "primary", Column: "order_id"}},
				Dimensions: []*semlayer.Dimension{{Name: "order_date", Column: "order_date", Type: "time"}},
				Measures:   []*semlayer.Measure{{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}},
			{Name: "order_items", Table: "FACT_ORDER_ITEMS", Role: "fact", TimeColumn: "order_date", TimeVia: "orders",
				Entities: []*semlayer.Entity{{Name: "order", Type: "foreign", Column: "order_id", Ref: "orders", RefColumn: "order_id"}},
				Measures: []*semlayer.Measure{{Name: "line_amount", Column: "line_amount", Agg: semlayer.AggSum, Money: true}}},
		},
		Metrics: []*semlayer.Metric{
			{Name: "line_amount", Type: semlayer.MetricSimple, Format: "money", Model: "order_items", Measure: "line_amount"},
			{Name: "orders_count", Type: semlayer.MetricSimple, Format: "count", Model: "orders", Measure: "row_count"},
		},
	}
	return l
}

// A fact dated by its header joins the header and reads its date, for a
// period and for a time grain; what needs the rows' own date (their
// first rows) is refused; the layer checks time_via.
func TestTimeVia(t *testing.T) {
	l := headerLayer()
	if errs := l.Check(); len(errs) > 0 {
		t.Fatalf("check: %v", errs)
	}
	y2025 := span("2025-01-01", "2026-01-01", semlayer.GrainYear, "2025")
	for _, spec := range []Spec{
		{Metrics: []string{"line_amount"}, Time: y2025},
		{Metrics: []string{"line_amount"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Time: y2025},
		{Metrics: []string{"line_amount", "orders_count"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalQuarter)}},
	} {
		out, err := Compile(l, spec, "duckdb")
		if err != nil {
			t.Fatalf("%+v: %v", spec, err)
		}
		if !strings.Contains(out.SQL, `LEFT JOIN "FACT_ORDERS" AS "j1"`) || !strings.Contains(out.SQL, `"j1"."order_date"`) {
			t.Errorf("%+v: the lines are not dated by their order:\n%s", spec, out.SQL)
		}
		if len(spec.Metrics) == 1 && strings.Contains(out.SQL, `"t"."order_date"`) {
			t.Errorf("%+v: reads a date the lines do not have:\n%s", spec, out.SQL)
		}
	}
	bad := headerLayer()
	bad.Models[1].TimeColumn = "ship_date"
	if errs := bad.Check(); len(errs) == 0 {
		t.Error("time_via with another column than the header's: no error")
	}
}

// Dated names a date the fact has; another is an error, not the fact's
// own date read silently.
func TestDatedUnknown(t *testing.T) {
	y2025 := span("2025-01-01", "2026-01-01", semlayer.GrainYear, "2025")
	if _, err := Compile(headerLayer(), Spec{Metrics: []string{"orders_count"}, Time: y2025, Dated: "ship_date"}, "duckdb"); err == nil || !strings.Contains(err.Error(), "no date ship_date") {
		t.Errorf("an unknown date: %v", err)
	}
	out, err := Compile(headerLayer(), Spec{Metrics: []string{"orders_count"}, Time: y2025, Dated: "orders.order_date"}, "duckdb")
	if err != nil || !strings.Contains(out.SQL, `"t"."order_date"`) {
		t.Errorf("the fact's own date, qualified: %v", err)
	}
}
