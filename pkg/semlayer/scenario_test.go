package semlayer

import (
	"testing"

	"github.com/databridge/databridge/pkg/model"
)

// A fact's category of few members, two of which name scenarios, is its
// scenario column; a status with one such word, a category of many
// members, a measure and a dimension's column are not.
func TestScenarioColumn(t *testing.T) {
	col := func(name, typ string, kind model.ColumnKind, distinct int64, top ...string) model.Column {
		return model.Column{Name: name, Type: typ, Kind: kind, Profile: model.ColumnProfile{Distinct: distinct, Top: top, Class: "categorical"}}
	}
	m := &model.Model{Tables: []*model.Table{
		{Name: "budget_actuals", Columns: []model.Column{
			col("cost_center", "VARCHAR", model.KindKey, 4, "CC100", "CC200"),
			col("Version", "VARCHAR", model.KindKey, 3, "ACTUALS", "Budget 2025", "Forecast_Q3"),
			col("amount", "DECIMAL(18,2)", model.KindMeasure, 500)}},
		{Name: "orders", Columns: []model.Column{
			col("status", "VARCHAR", model.KindAttribute, 3, "planned", "actual", "cancelled"),
			col("amount", "DECIMAL(18,2)", model.KindMeasure, 500)}},
		{Name: "plans", Columns: []model.Column{
			col("plan_kind", "VARCHAR", model.KindAttribute, 2, "Budget", "Actual")}},
		{Name: "big", Columns: []model.Column{
			col("kind", "VARCHAR", model.KindAttribute, 40, "Budget", "Actual")}},
	}}
	cat := func(c string) *Dimension { return &Dimension{Name: snake(c), Column: c, Type: "categorical"} }
	l := &Layer{Models: []*Model{
		{Name: "budget_actuals", Origin: "model:budget_actuals", Role: "fact", Dimensions: []*Dimension{cat("cost_center"), cat("Version")}},
		{Name: "orders", Origin: "model:orders", Role: "fact", Dimensions: []*Dimension{cat("status")}},
		{Name: "plans", Origin: "model:plans", Role: "dimension", Dimensions: []*Dimension{cat("plan_kind")}},
		{Name: "big", Origin: "model:big", Role: "fact", Dimensions: []*Dimension{cat("kind")}},
	}}
	generateScenarios(l, m)
	want := map[string]string{"budget_actuals": "Version", "orders": "", "plans": "", "big": ""}
	for _, sm := range l.Models {
		if sm.ScenarioColumn != want[sm.Name] {
			t.Errorf("%s: scenario column %q, want %q", sm.Name, sm.ScenarioColumn, want[sm.Name])
		}
	}
	for v, want := range map[string]bool{"Budget": true, "ACTUALS": true, "forecast-2026": true, "Plan B": true, "planned": false, "": false, "Budgeted": false} {
		if IsScenarioValue(v) != want {
			t.Errorf("IsScenarioValue(%q) = %v", v, !want)
		}
	}
}
