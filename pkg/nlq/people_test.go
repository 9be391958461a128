package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// peopleLayer: employees with a hire date, a termination date and an
// employment status, and their payroll.
func peopleLayer() *semlayer.Layer {
	return &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{
			{Name: "employees", Table: "DIM_EMPLOYEES", Role: "dimension", Label: "employees", TimeColumn: "hire_date",
				Entities: []*semlayer.Entity{{Name: "employee", Type: "primary", Column: "EMPLOYEES_SK"}},
				Dimensions: []*semlayer.Dimension{
					{Name: "employee_name", Column: "employee_name", Type: "categorical", Members: true},
					{Name: "location", Column: "location", Type: "categorical", Members: true},
					{Name: "employment_status", Column: "employment_status", Type: "categorical", Members: true},
					{Name: "hire_date", Column: "hire_date", Type: "time"},
					{Name: "termination_date", Column: "termination_date", Type: "time"},
				},
				Measures: []*semlayer.Measure{{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}},
			{Name: "payroll", Table: "FACT_PAYROLL", Role: "fact", Label: "payroll", TimeColumn: "pay_date",
				Entities:   []*semlayer.Entity{{Name: "employee", Type: "foreign", Column: "EMPLOYEES_SK", Ref: "employees"}},
				Dimensions: []*semlayer.Dimension{{Name: "pay_date", Column: "pay_date", Type: "time"}},
				Measures:   []*semlayer.Measure{{Name: "gross_pay", Column: "gross_pay", Agg: semlayer.AggSum, Money: true}}},
		},
		Metrics: []*semlayer.Metric{
			{Name: "employees_count", Type: semlayer.MetricSimple, Label: "number of employees", Format: "count", Model: "employees", Measure: "row_count"},
			{Name: "gross_pay", Type: semlayer.MetricSimple, Label: "gross pay", Format: "money", Model: "payroll", Measure: "gross_pay"},
		},
	}
}

// "Headcount" is the number of employees employed now (the live status,
// unless the question names another); "hired" and "new hires" read the
// hire date, "terminations" the termination date.
func TestPeople(t *testing.T) {
	members := map[string][]string{
		"employee_name":     {"Cara Reed", "Omar Hale"},
		"location":          {"Berlin", "London"},
		"employment_status": {"active", "terminated"},
	}
	askH := func(q string) *Interpretation {
		return Parse(Input{Layer: peopleLayer(), Members: members, Question: q, AsOf: asOf})
	}
	for _, c := range []struct {
		q, text, where string
	}{
		{"headcount", "employment status active", ""},
		{"current headcount by location", "employment status active", ""},
		{"headcount of terminated employees", "employment status terminated", ""},
		{"number of staff by location", "number of employees", ""},
		{"how many people were hired in FY2024", "FY2024", ""},
		{"terminations in FY2025", "ended (termination date)", "termination_date >= DATE '2025-01-01'"},
		{"terminations by location", "employment status terminated", ""},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := askH(c.q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			want(t, it.Spec.Metrics, "employees_count")
			if !strings.Contains(it.Text, c.text) {
				t.Errorf("interpretation %q, want %q", it.Text, c.text)
			}
			if c.where != "" && !strings.Contains(it.Spec.Where, c.where) {
				t.Errorf("where %q, want %q", it.Spec.Where, c.where)
			}
			if c.q == "headcount of terminated employees" && strings.Contains(it.Text, "active") {
				t.Errorf("interpretation %q keeps the active ones too", it.Text)
			}
		})
	}
	if it := askH("how many people were hired in FY2024"); it.Spec.Time == nil || it.Spec.Where != "" {
		t.Errorf("hired: time %+v, where %q, want FY2024 on the model's own date (the hire date)", it.Spec.Time, it.Spec.Where)
	}
}
