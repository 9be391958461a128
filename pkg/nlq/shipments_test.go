package nlq

import (
	"maps"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// shipmentsLayer: shipments between cities that are origins and
// destinations, an on-time flag, a weight in kg and a freight cost, an
// accumulating snapshot dated by the ship date.
func shipmentsLayer() (*semlayer.Layer, map[string][]string) {
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{{Name: "shipments", Table: "FACT_SHIPMENTS", Role: "fact", Label: "shipments",
			Description: "shipments (accumulating snapshot fact)", TimeColumn: "ship_date",
			Dimensions: []*semlayer.Dimension{{Name: "ship_date", Column: "ship_date", Type: "time"},
				{Name: "delivery_date", Column: "delivery_date", Type: "time"},
				{Name: "origin_city", Column: "origin_city", Type: "categorical", Members: true},
				{Name: "destination_city", Column: "destination_city", Type: "categorical", Members: true},
				{Name: "on_time", Column: "on_time", Type: "categorical", Flag: true}},
			Measures: []*semlayer.Measure{{Name: "freight_cost", Column: "freight_cost", Agg: semlayer.AggSum, Money: true},
				{Name: "weight_kg", Column: "weight_kg", Agg: semlayer.AggSum},
				{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}}},
		Metrics: []*semlayer.Metric{
			{Name: "freight_cost", Type: semlayer.MetricSimple, Label: "freight cost", Format: "money", Model: "shipments", Measure: "freight_cost"},
			{Name: "weight_kg", Type: semlayer.MetricSimple, Label: "weight kg", Format: "number", Model: "shipments", Measure: "weight_kg"},
			{Name: "shipments_count", Type: semlayer.MetricSimple, Label: "number of shipments", Format: "count", Model: "shipments", Measure: "row_count"}}}
	members := maps.Clone(testMembers)
	members["origin_city"] = []string{"Rotterdam", "Milan", "Warsaw"}
	members["destination_city"] = []string{"Rotterdam", "Milan", "Warsaw"}
	return l, members
}

func askShipments(q string) *Interpretation {
	l, members := shipmentsLayer()
	return Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
}

// Origin and destination by their prepositions; a unit names its
// measure; a cost per kg divides; an accumulating snapshot's amounts add
// up; a flag's rate.
func TestShipments(t *testing.T) {
	it := askShipments("shipments from Rotterdam to Milan in FY2025")
	if !it.Answerable {
		t.Fatalf("from/to: %s", it.Reason)
	}
	got := map[string]string{}
	for _, f := range it.Spec.Filters {
		got[f.Dimension] = strings.Join(f.Values, ",")
	}
	if got["origin_city"] != "Rotterdam" || got["destination_city"] != "Milan" || len(it.Spec.GroupBy) > 0 {
		t.Errorf("from/to: %+v", it.Spec)
	}
	for q, why := range map[string]string{
		"Warsaw shipments":       "an origin and a destination",
		"expense per kg in 2025": "per what",
	} {
		if it := askShipments(q); it.Answerable || !strings.Contains(it.Reason, why) {
			t.Errorf("%q: answerable %v (%s), want refused: %s", q, it.Answerable, it.Reason, why)
		}
	}
	for q, want := range map[string][2]string{
		"cost per kg by origin city":                {"freight_cost", "weight_kg"},
		"average freight cost per shipment in 2025": {"freight_cost", "shipments_count"},
	} {
		it := askShipments(q)
		if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != want[0] || it.Spec.Ratios[0].Denominator != want[1] {
			t.Errorf("%q: %+v %s, want %s over %s", q, it.Spec.Ratios, it.Reason, want[0], want[1])
		}
	}
	for q, metric := range map[string]string{"freight cost in FY2025": "freight_cost", "total weight shipped in FY2025": "weight_kg"} {
		if it := askShipments(q); !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != metric || it.Spec.Time == nil {
			t.Errorf("%q: %+v %s", q, it.Spec.Metrics, it.Reason)
		}
	}
	it = askShipments("late shipments in FY2025")
	if !it.Answerable || len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Dimension != "on_time" || it.Spec.Filters[0].Values[0] != "false" {
		t.Errorf("late shipments: %+v %s", it.Spec, it.Reason)
	}
	it = askShipments("on-time rate by origin city")
	if !it.Answerable || len(it.Spec.Restricted) != 1 || it.Spec.Restricted[0].Where != "on_time = TRUE" || it.Spec.Restricted[0].Metric != "shipments_count" {
		t.Errorf("on-time rate: %+v %s", it.Spec, it.Reason)
	}
}
