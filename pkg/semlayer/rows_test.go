package semlayer

import (
	"strings"
	"testing"
)

// A metric over another metric's rows: only of the same model, only a
// simple metric's or a hierarchy line's rows, one level deep.
func TestCheckRows(t *testing.T) {
	base := func() *Layer {
		return &Layer{Version: 1, Calendar: Calendar{StartMonth: 1},
			Models: []*Model{
				{Name: "lines", Table: "FACT_LINES", Role: "fact", Measures: []*Measure{{Name: "amount", Column: "amount", Agg: AggSum}, {Name: "docs", Column: "doc_id", Agg: AggCountDistinct}}},
				{Name: "other", Table: "FACT_OTHER", Role: "fact", Measures: []*Measure{{Name: "amount", Column: "amount", Agg: AggSum}}},
			},
			Metrics: []*Metric{
				{Name: "revenue", Type: MetricHierarchy, Model: "lines", Hierarchy: "pl", Node: "REV", Leaves: map[string]int{"4000": 1}},
				{Name: "margin", Type: MetricHierarchy, Model: "lines", Hierarchy: "pl", Node: "GM", Formula: "REV / REV"},
				{Name: "web", Type: MetricSimple, Model: "lines", Measure: "amount", Filter: "channel = 'Web'"},
				{Name: "other_amount", Type: MetricSimple, Model: "other", Measure: "amount"},
				{Name: "docs", Type: MetricSimple, Model: "lines", Measure: "docs"},
			}}
	}
	for rows, wantErr := range map[string]string{
		"revenue": "", "web": "", "nothing": "unknown metric", "other_amount": "another model", "margin": "only a simple metric's",
	} {
		l := base()
		l.Metrics = append(l.Metrics, &Metric{Name: "x", Type: MetricSimple, Model: "lines", Measure: "docs", Rows: rows})
		errs := strings.Join(l.Check(), "; ")
		if wantErr == "" && errs != "" || wantErr != "" && !strings.Contains(errs, wantErr) {
			t.Errorf("rows %q: errors %q, want %q", rows, errs, wantErr)
		}
	}
	l := base()
	l.Metrics = append(l.Metrics, &Metric{Name: "x", Type: MetricSimple, Model: "lines", Measure: "docs", Rows: "web"},
		&Metric{Name: "y", Type: MetricSimple, Model: "lines", Measure: "docs", Rows: "x"})
	if errs := strings.Join(l.Check(), "; "); !strings.Contains(errs, "has rows of its own") {
		t.Errorf("rows of a restricted metric: %q", errs)
	}
}
