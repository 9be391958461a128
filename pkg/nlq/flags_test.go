package nlq

import (
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// flagLayer is testLayer with timesheets that say whether each entry is
// billable (a true/false column).
func flagLayer() *semlayer.Layer {
	l := testLayer()
	l.Models = append(l.Models, &semlayer.Model{Name: "timesheets", Table: "FACT_TIMESHEETS", Role: "fact", Label: "timesheets",
		Description: "timesheets (transaction fact)", TimeColumn: "work_date",
		Dimensions: []*semlayer.Dimension{{Name: "work_date", Column: "work_date", Type: "time"},
			{Name: "is_billable", Column: "is_billable", Type: "categorical", Flag: true}},
		Measures: []*semlayer.Measure{{Name: "hours", Column: "hours", Agg: semlayer.AggSum}}})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "hours", Type: semlayer.MetricSimple, Label: "hours", Format: "number", Model: "timesheets", Measure: "hours"})
	return l
}

// A true/false column's words are its members ("billable hours",
// "non-billable hours"), and a grouping after "by".
func TestFlags(t *testing.T) {
	for _, c := range []struct {
		q, value string
		not      bool
		grouped  bool
	}{
		{q: "billable hours in FY2025", value: "true"},
		{q: "non-billable hours in FY2025", value: "false"},
		{q: "hours not billable in FY2025", value: "false"},
		{q: "unbillable hours", value: "false"},
		{q: "hours by billable", grouped: true},
		{q: "hours by month and billable in FY2025", grouped: true},
	} {
		it := Parse(Input{Layer: flagLayer(), Members: testMembers, Question: c.q, AsOf: asOf})
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		want(t, it.Spec.Metrics, "hours")
		grouped := false
		for _, g := range it.Spec.GroupBy {
			grouped = grouped || g.Dimension == "is_billable"
		}
		if grouped != c.grouped {
			t.Errorf("%q: grouped by the flag %v, want %v (%s)", c.q, grouped, c.grouped, it.Text)
		}
		if c.grouped {
			if len(it.Spec.Filters) > 0 {
				t.Errorf("%q: filters %+v", c.q, it.Spec.Filters)
			}
			continue
		}
		if len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Dimension != "is_billable" || it.Spec.Filters[0].Values[0] != c.value || it.Spec.Filters[0].Not != c.not {
			t.Errorf("%q: filters %+v, want is_billable = %s (%s)", c.q, it.Spec.Filters, c.value, it.Text)
		}
	}
}

// "Who worked the most hours": the one model of staff, ranked.
func TestWhoStaff(t *testing.T) {
	l := flagLayer()
	l.Models = append(l.Models, &semlayer.Model{Name: "consultants", Table: "DIM_CONSULTANTS", Role: "dimension", Label: "consultants",
		Entities:   []*semlayer.Entity{{Name: "consultant", Type: "primary", Column: "consultant_id"}},
		Dimensions: []*semlayer.Dimension{{Name: "consultant_name", Column: "consultant_name", Type: "categorical", Members: true}}})
	l.Models[len(l.Models)-2].Entities = append(l.Models[len(l.Models)-2].Entities, &semlayer.Entity{Name: "consultant", Type: "foreign", Column: "consultant_id"})
	it := Parse(Input{Layer: l, Members: testMembers, Question: "who worked the most hours in FY2025", AsOf: asOf})
	if !it.Answerable || it.Spec.Limit != 1 || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "consultant_name" {
		t.Errorf("who worked the most: %+v %s", it.Spec, it.Reason)
	}
}
