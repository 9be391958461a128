package query

import (
	"strings"
	"testing"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/semlayer"
)

// monthTextLayer: a fact dated by a month written as text ("2025-03").
func monthTextLayer(schema string) *semlayer.Layer {
	return &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 4}, Dialect: "duckdb",
		Models: []*semlayer.Model{
			{Name: "spend", Table: "fact_spend", Schema: schema, Role: "fact", TimeColumn: "period",
				Dimensions: []*semlayer.Dimension{{Name: "period", Column: "period", Type: "time", DateText: semlayer.DateTextYearMonth},
					{Name: "department", Column: "department", Type: "categorical"}},
				Measures: []*semlayer.Measure{{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true}}},
		},
		Metrics: []*semlayer.Metric{{Name: "amount", Type: semlayer.MetricSimple, Format: "money", Model: "spend", Measure: "amount"}},
	}
}

// A month written as text is its first day: time filters, grains (a
// fiscal year starting in April) and period comparisons read it on the
// engine as the hand-written SQL does; every dialect compiles it.
func TestMonthAsText(t *testing.T) {
	for _, name := range []string{d.DuckDB, d.Postgres, d.MySQL} {
		t.Run(name, func(t *testing.T) {
			e := openQueryEngine(t, name)
			sub := func(q string) string { return strings.ReplaceAll(q, "{s}", e.prefix) }
			hierarchytest.Exec(t, e.conn, sub(`CREATE TABLE {s}fact_spend (period VARCHAR(20), department VARCHAR(20), amount DECIMAL(18,2))`))
			hierarchytest.Exec(t, e.conn, sub(`INSERT INTO {s}fact_spend VALUES ('2024-03','Ops',10.50),('2024-04','Ops',20.25),('2025-03','Ops',5.00),('2025-03','IT',7.75),('2025-04','IT',1.10),('2025-12','Ops',3.00)`))
			l := monthTextLayer(e.schema)
			if errs := l.Check(); len(errs) > 0 {
				t.Fatal(errs)
			}
			for _, c := range []struct {
				name string
				spec Spec
				hand string
			}{
				{"calendar 2025", Spec{Metrics: []string{"amount"}, GroupBy: []GroupBy{{Dimension: "department"}}, Time: span("2025-01-01", "2026-01-01", semlayer.GrainYear, "2025")},
					"SELECT department, SUM(amount) FROM {s}fact_spend WHERE period LIKE '2025-%' GROUP BY 1"},
				{"by fiscal year", Spec{Metrics: []string{"amount"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalYear)}},
					"SELECT CASE WHEN period >= '2025-04' THEN 2026 WHEN period >= '2024-04' THEN 2025 ELSE 2024 END, SUM(amount) FROM {s}fact_spend GROUP BY 1"},
				{"by month in March 2025", Spec{Metrics: []string{"amount"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Time: span("2025-03-01", "2025-04-01", semlayer.GrainMonth, "March 2025")},
					"SELECT 2025, 3, SUM(amount) FROM {s}fact_spend WHERE period = '2025-03'"},
				{"vs prior year", Spec{Metrics: []string{"amount"}, Time: span("2025-03-01", "2025-04-01", semlayer.GrainMonth, "March 2025"), Compare: ComparePriorYear},
					"SELECT 12.75, 10.50, 2.25, 2.25 * 100 / 10.50"},
			} {
				t.Run(c.name, func(t *testing.T) {
					out, err := Compile(l, c.spec, e.dialect)
					if err != nil {
						t.Fatal(err)
					}
					ngroups := 0
					for _, col := range out.Columns {
						if col.Kind == KindGroup {
							ngroups += len(col.SQL)
						}
					}
					if msg := sameRowsWithin(run(t, e, out.SQL), run(t, e, sub(c.hand)), ngroups, false, 1e-6); msg != "" {
						t.Errorf("%s\n%s", msg, out.SQL)
					}
				})
			}
		})
	}
	for _, dia := range allDialects {
		out, err := Compile(monthTextLayer(""), Spec{Metrics: []string{"amount"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}}, dia)
		if err != nil {
			t.Errorf("%s: %v", dia, err)
			continue
		}
		if !strings.Contains(strings.ToUpper(out.SQL), "CONCAT(") {
			t.Errorf("%s: the text month is not read as its first day:\n%s", dia, out.SQL)
		}
	}
	bad := monthTextLayer("")
	bad.Models[0].Dimensions[1].DateText = "DD/MM/YYYY"
	if errs := bad.Check(); len(errs) == 0 {
		t.Error("an unknown date_text: no error")
	}
}
