package query

import (
	"slices"
	"strings"
	"testing"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/semlayer"
)

// scenarioLayer: budget and actual amounts in one fact, told apart by
// its scenario column, and a fact without scenarios.
func scenarioLayer(schema string) *semlayer.Layer {
	return &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{
			{Name: "plan", Table: "fact_plan", Schema: schema, Role: "fact", ScenarioColumn: "scenario",
				Dimensions: []*semlayer.Dimension{{Name: "cost_center", Column: "cost_center", Type: "categorical"}, {Name: "scenario", Column: "scenario", Type: "categorical"}},
				Measures:   []*semlayer.Measure{{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true}, {Name: "row_count", Column: "*", Agg: semlayer.AggCount}}},
			{Name: "sales", Table: "fact_sales", Schema: schema, Role: "fact",
				Measures: []*semlayer.Measure{{Name: "revenue", Column: "revenue", Agg: semlayer.AggSum, Money: true}}},
		},
		Metrics: []*semlayer.Metric{
			{Name: "amount", Type: semlayer.MetricSimple, Format: "money", Model: "plan", Measure: "amount"},
			{Name: "lines", Type: semlayer.MetricSimple, Format: "count", Model: "plan", Measure: "row_count"},
			{Name: "budget", Type: semlayer.MetricSimple, Format: "money", Model: "plan", Measure: "amount", Filter: "scenario = 'Budget'"},
			{Name: "actual", Type: semlayer.MetricSimple, Format: "money", Model: "plan", Measure: "amount", Filter: "plan.scenario = 'Actual'"},
			{Name: "variance", Type: semlayer.MetricDerived, Format: "money", Expr: "actual - budget"},
			{Name: "over_budget", Type: semlayer.MetricDerived, Format: "money", Expr: "amount - budget"},
			{Name: "revenue", Type: semlayer.MetricSimple, Format: "money", Model: "sales", Measure: "revenue"},
		},
	}
}

// Rows of different scenarios are never added together: a query that
// neither filters nor groups by the scenario is grouped by it (on the
// engine, the same rows as the hand-written SQL); a filter, a group, or
// metrics that each filter it keep it as asked; a fact without
// scenarios beside it is refused with the reason.
func TestScenariosApart(t *testing.T) {
	for _, name := range []string{d.DuckDB, d.Postgres, d.MySQL} {
		t.Run(name, func(t *testing.T) {
			e := openQueryEngine(t, name)
			sub := func(q string) string { return strings.ReplaceAll(q, "{s}", e.prefix) }
			hierarchytest.Exec(t, e.conn, sub(`CREATE TABLE {s}fact_plan (cost_center VARCHAR(20), scenario VARCHAR(20), amount DECIMAL(18,2))`))
			hierarchytest.Exec(t, e.conn, sub(`INSERT INTO {s}fact_plan VALUES ('CC1','Budget',100.10),('CC1','Actual',90.05),('CC1','Actual',15.00),('CC2','Budget',50.00),('CC2','Actual',61.25)`))
			hierarchytest.Exec(t, e.conn, sub(`CREATE TABLE {s}fact_sales (revenue DECIMAL(18,2))`))
			l := scenarioLayer(e.schema)
			if errs := l.Check(); len(errs) > 0 {
				t.Fatal(errs)
			}
			for _, c := range []struct {
				name    string
				spec    Spec
				grouped bool
				hand    string
			}{
				{"total", Spec{Metrics: []string{"amount"}}, true,
					"SELECT scenario, SUM(amount) FROM {s}fact_plan GROUP BY 1"},
				{"by cost center", Spec{Metrics: []string{"amount", "lines"}, GroupBy: []GroupBy{{Dimension: "cost_center"}}}, true,
					"SELECT cost_center, scenario, SUM(amount), COUNT(*) FROM {s}fact_plan GROUP BY 1, 2"},
				{"grouped by it", Spec{Metrics: []string{"amount"}, GroupBy: []GroupBy{{Dimension: "scenario"}}}, false,
					"SELECT scenario, SUM(amount) FROM {s}fact_plan GROUP BY 1"},
				{"filtered", Spec{Metrics: []string{"amount"}, Filters: []Filter{{Dimension: "scenario", Values: []string{"Actual"}}}}, false,
					"SELECT SUM(amount) FROM {s}fact_plan WHERE scenario = 'Actual'"},
				{"where", Spec{Metrics: []string{"amount"}, GroupBy: []GroupBy{{Dimension: "cost_center"}}, Where: "scenario = 'Budget'"}, false,
					"SELECT cost_center, SUM(amount) FROM {s}fact_plan WHERE scenario = 'Budget' GROUP BY 1"},
				{"metrics that filter it", Spec{Metrics: []string{"budget", "actual", "variance"}, GroupBy: []GroupBy{{Dimension: "cost_center"}}}, false,
					"SELECT cost_center, SUM(CASE WHEN scenario = 'Budget' THEN amount END), SUM(CASE WHEN scenario = 'Actual' THEN amount END), SUM(CASE WHEN scenario = 'Actual' THEN amount ELSE 0 END) - SUM(CASE WHEN scenario = 'Budget' THEN amount ELSE 0 END) FROM {s}fact_plan GROUP BY 1"},
				{"a restricted metric", Spec{Metrics: []string{"bud"}, Restricted: []Restricted{{Name: "bud", Metric: "amount", Where: "scenario = 'Budget'"}}}, false,
					"SELECT SUM(amount) FROM {s}fact_plan WHERE scenario = 'Budget'"},
				{"one of two unfiltered", Spec{Metrics: []string{"over_budget"}}, true,
					"SELECT scenario, SUM(amount) - SUM(CASE WHEN scenario = 'Budget' THEN amount ELSE 0 END) FROM {s}fact_plan GROUP BY 1"},
			} {
				t.Run(c.name, func(t *testing.T) {
					out, err := Compile(l, c.spec, e.dialect)
					if err != nil {
						t.Fatal(err)
					}
					grouped := false
					for _, col := range out.Columns {
						grouped = grouped || col.Kind == KindGroup && col.Name == "scenario" && !slices.ContainsFunc(c.spec.GroupBy, func(g GroupBy) bool { return g.Dimension == "scenario" })
					}
					if grouped != c.grouped {
						t.Errorf("grouped by the scenario: %v, want %v\n%s", grouped, c.grouped, out.SQL)
					}
					if c.grouped && !slices.ContainsFunc(out.Notes, func(n string) bool { return strings.Contains(n, "never added together") }) {
						t.Errorf("no note says why: %v", out.Notes)
					}
					ngroups := 0
					for _, col := range out.Columns {
						if col.Kind == KindGroup {
							ngroups += len(col.SQL)
						}
					}
					if msg := sameRows(run(t, e, out.SQL), run(t, e, sub(c.hand)), ngroups, false); msg != "" {
						t.Errorf("%s\n%s", msg, out.SQL)
					}
				})
			}
			if _, err := Compile(l, Spec{Metrics: []string{"amount", "revenue"}}, e.dialect); err == nil || !strings.Contains(err.Error(), "must not be added together") {
				t.Errorf("a fact without scenarios beside: %v", err)
			}
			if _, err := Compile(l, Spec{Metrics: []string{"budget", "revenue"}}, e.dialect); err != nil {
				t.Errorf("a filtered metric beside a fact without scenarios: %v", err)
			}
		})
	}
}
