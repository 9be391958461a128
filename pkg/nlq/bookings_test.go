package nlq

import (
	"maps"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// bookingsLayer is a hotel's bookings: room revenue and nights, a
// status (Stayed, Cancelled, No-show) and a channel.
func bookingsLayer() (*semlayer.Layer, map[string][]string) {
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{{Name: "bookings", Table: "FACT_BOOKINGS", Role: "fact", Label: "bookings",
			Description: "bookings (transaction fact)", TimeColumn: "booking_date",
			Dimensions: []*semlayer.Dimension{{Name: "booking_date", Column: "booking_date", Type: "time"},
				{Name: "status", Column: "status", Type: "categorical", Members: true},
				{Name: "channel", Column: "channel", Type: "categorical", Members: true}},
			Measures: []*semlayer.Measure{{Name: "room_revenue", Column: "room_revenue", Agg: semlayer.AggSum, Money: true},
				{Name: "nights", Column: "nights", Agg: semlayer.AggSum},
				{Name: "guest_count", Column: "guest_id", Agg: semlayer.AggCountDistinct},
				{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}}},
		Metrics: []*semlayer.Metric{
			{Name: "room_revenue", Type: semlayer.MetricSimple, Label: "room revenue", Format: "money", Model: "bookings", Measure: "room_revenue"},
			{Name: "nights", Type: semlayer.MetricSimple, Label: "nights", Format: "number", Model: "bookings", Measure: "nights"},
			{Name: "guest_count", Type: semlayer.MetricSimple, Label: "number of guests", Format: "count", Model: "bookings", Measure: "guest_count"},
			{Name: "bookings_count", Type: semlayer.MetricSimple, Label: "number of bookings", Format: "count", Model: "bookings", Measure: "row_count"}}}
	members := maps.Clone(testMembers)
	members["status"] = []string{"Stayed", "Cancelled", "No-show"}
	members["channel"] = []string{"Direct", "Corporate"}
	return l, members
}

func askBookings(q string) *Interpretation {
	l, members := bookingsLayer()
	return Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
}

// "Revenue" where no fact is named for sales is the money number named
// revenue; a status's rate is the share of the rows with it in each
// group; a status's plural counts the rows; ADR and the length of stay.
func TestBookings(t *testing.T) {
	if it := askBookings("revenue by channel in FY2025"); !it.Answerable || it.Spec.Metrics[0] != "room_revenue" {
		t.Errorf("revenue: %+v %s", it.Spec.Metrics, it.Reason)
	}
	for _, q := range []string{"cancellation rate by channel", "cancellation rate in FY2025"} {
		it := askBookings(q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", q, it.Reason)
			continue
		}
		if len(it.Spec.Restricted) != 1 || it.Spec.Restricted[0].Metric != "bookings_count" || !strings.Contains(it.Spec.Restricted[0].Where, "'Cancelled'") ||
			len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Denominator != "bookings_count" || !it.Spec.Ratios[0].Percent || len(it.Spec.Filters) > 0 {
			t.Errorf("%q: want the cancelled bookings over all bookings, in %%: %+v", q, it.Spec)
		}
		if strings.Contains(q, "channel") && (len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "channel") {
			t.Errorf("%q: groups %+v", q, it.Spec.GroupBy)
		}
	}
	// Ranked by the rate.
	it := askBookings("which channel had the highest cancellation rate")
	if !it.Answerable || it.Spec.Limit != 1 || len(it.Spec.OrderBy) != 1 || len(it.Spec.Ratios) != 1 || it.Spec.OrderBy[0].Key != it.Spec.Ratios[0].Name || !it.Spec.OrderBy[0].Desc {
		t.Errorf("highest cancellation rate: %+v %s", it.Spec, it.Reason)
	}
	// A status of two words in the plural: its rows counted ("no-shows"
	// holds "show" but asks for no list).
	it = askBookings("no-shows by channel")
	if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "bookings_count" || len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Values[0] != "No-show" {
		t.Errorf("no-shows: %+v %s", it.Spec, it.Reason)
	}
	it = askBookings("cancellations in FY2025")
	if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "bookings_count" || len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Values[0] != "Cancelled" {
		t.Errorf("cancellations: %+v %s", it.Spec, it.Reason)
	}
	for q, want := range map[string][2]string{
		"ADR by channel":         {"room_revenue", "nights"},
		"average daily rate":     {"room_revenue", "nights"},
		"average length of stay": {"nights", "bookings_count"},
	} {
		it := askBookings(q)
		if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != want[0] || it.Spec.Ratios[0].Denominator != want[1] {
			t.Errorf("%q: %+v %s, want %s over %s", q, it.Spec.Ratios, it.Reason, want[0], want[1])
		}
	}
}
