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

// A fact with one amount and a stage with one won and one lost member
// gets the pipeline's metrics; with two won stages, or no amount, it
// does not.
func TestPipelineMetrics(t *testing.T) {
	stage := func(top ...string) model.Column {
		return model.Column{Name: "stage", Type: "VARCHAR", Kind: model.KindAttribute, Profile: model.ColumnProfile{Distinct: int64(len(top)), Top: top}}
	}
	build := func(col model.Column, withProb bool) *Layer {
		m := &model.Model{Tables: []*model.Table{{Name: "opportunities", Columns: []model.Column{col}}}}
		sm := &Model{Name: "opportunities", Origin: "model:opportunities", Table: "FACT_OPPORTUNITIES", Role: "fact",
			Dimensions: []*Dimension{{Name: "stage", Column: "stage", Type: "categorical"}},
			Measures:   []*Measure{{Name: "amount", Column: "amount", Agg: AggSum, Money: true}, {Name: "row_count", Column: "*", Agg: AggCount}}}
		if withProb {
			sm.Measures = append(sm.Measures, &Measure{Name: "probability", Column: "probability", Agg: AggAverage})
		}
		l := &Layer{Version: 1, Calendar: Calendar{StartMonth: 1}, Models: []*Model{sm}}
		generatePipeline(l, m)
		return l
	}
	l := build(stage("Prospecting", "Closed Won", "Closed Lost", "Proposal"), true)
	want := map[string]string{
		"pipeline":          "NOT (stage IN ('Closed Won', 'Closed Lost'))",
		"won_amount":        "stage = 'Closed Won'",
		"won_count":         "stage = 'Closed Won'",
		"closed_count":      "stage IN ('Closed Won', 'Closed Lost')",
		"weighted_pipeline": "NOT (stage IN ('Closed Won', 'Closed Lost'))",
	}
	for name, filter := range want {
		if m := l.Metric(name); m == nil || m.Filter != filter {
			t.Errorf("%s: %+v", name, m)
		}
	}
	if r := l.Metric("win_rate"); r == nil || r.Type != MetricRatio || r.Numerator != "won_count" || r.Denominator != "closed_count" || !r.Percent {
		t.Errorf("win rate: %+v", r)
	}
	if ms := l.Models[0].Measure("weighted_amount"); ms == nil || ms.Times != "probability" {
		t.Errorf("weighted amount: %+v", ms)
	}
	if errs := l.Check(); len(errs) > 0 {
		t.Errorf("check: %v", errs)
	}
	if l := build(stage("Won", "Won Back", "Lost"), false); l.Metric("pipeline") != nil {
		t.Error("two won stages: a pipeline")
	}
	if l := build(stage("Open", "Closed Won", "Closed Lost"), false); l.Metric("weighted_pipeline") != nil || l.Metric("pipeline") == nil {
		t.Error("no probability: a weighted pipeline, or no pipeline")
	}
}

// A list and a net amount of the same thing give their difference, the
// discount; gross and net pay do not (what was withheld is no discount).
func TestDiscounts(t *testing.T) {
	simple := func(name, model string) *Metric {
		return &Metric{Name: name, Type: MetricSimple, Format: "money", Model: model, Measure: name}
	}
	l := &Layer{Metrics: []*Metric{simple("list_cost", "cost_lines"), simple("net_cost", "cost_lines"), simple("gross_pay", "payroll"), simple("net_pay", "payroll")}}
	generateDiscounts(l)
	if d := l.Metric("discount"); d == nil || d.Type != MetricDerived || d.Expr != "list_cost - net_cost" {
		t.Errorf("discount: %+v", d)
	}
	if l.Metric("pay_discount") != nil || len(l.Metrics) != 5 {
		t.Errorf("metrics %d: gross less net pay made a discount", len(l.Metrics))
	}
}
