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
					{Name: "annual_salary", Column: "annual_salary", Type: "categorical", Hidden: true},
				},
				Measures: []*semlayer.Measure{{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}},
			{Name: "payroll", Table: "FACT_PAYROLL", Role: "fact", Label: "payroll", TimeColumn: "pay_date",
				Entities: []*semlayer.Entity{{Name: "employee", Type: "foreign", Column: "EMPLOYEES_SK", Ref: "employees"}},
				Dimensions: []*semlayer.Dimension{
					{Name: "payroll_id", Column: "payroll_id", Type: "categorical", Hidden: true},
					{Name: "pay_date", Column: "pay_date", Type: "time"},
				},
				Measures: []*semlayer.Measure{
					{Name: "gross_pay", Column: "gross_pay", Agg: semlayer.AggSum, Money: true},
					{Name: "net_pay", Column: "net_pay", Agg: semlayer.AggSum, Money: true},
					{Name: "row_count", Column: "*", Agg: semlayer.AggCount},
				}},
		},
		Metrics: []*semlayer.Metric{
			{Name: "employees_count", Type: semlayer.MetricSimple, Label: "number of employees", Format: "count", Model: "employees", Measure: "row_count"},
			{Name: "gross_pay", Type: semlayer.MetricSimple, Label: "gross pay", Format: "money", Model: "payroll", Measure: "gross_pay"},
			{Name: "net_pay", Type: semlayer.MetricSimple, Label: "net pay", Format: "money", Model: "payroll", Measure: "net_pay"},
			{Name: "payroll_count", Type: semlayer.MetricSimple, Label: "number of payroll", Format: "count", Model: "payroll", Measure: "row_count"},
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

// The cost of a payroll by its usual words is its gross pay ("total
// payroll", "salary expense", "labor cost by location", "which location
// has the highest payroll": in all, not one payroll row); "salary" is the
// one attribute so called; "hires by year" counts the people hired;
// "before 2021" is everything until 2021 began, read by no grain.
func TestPayrollWords(t *testing.T) {
	members := map[string][]string{"location": {"Berlin", "London"}, "employment_status": {"active", "terminated"}}
	askH := func(q string) *Interpretation {
		return Parse(Input{Layer: peopleLayer(), Members: members, Question: q, AsOf: asOf})
	}
	for _, c := range []struct{ q, metric string }{
		{"total payroll in FY2025", "gross_pay"},
		{"salary expense by location", "gross_pay"},
		{"labor cost by location", "gross_pay"},
		{"which location has the highest payroll", "gross_pay"},
		{"net pay by location", "net_pay"},
		{"highest paid employee", "gross_pay"},
		{"employees who earned more than 100k in FY2025", "gross_pay"},
		{"hires by year", "employees_count"},
		{"employees hired before 2021", "employees_count"},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := askH(c.q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			want(t, it.Spec.Metrics, c.metric)
			for _, g := range it.Spec.GroupBy {
				if g.Dimension == "payroll_id" {
					t.Errorf("grouped by each payroll row: %s", it.Text)
				}
			}
		})
	}
	it := askH("average salary by location")
	if !it.Answerable || !strings.Contains(it.Text, "annual salary") {
		t.Errorf("average salary: %s %s", it.Text, it.Reason)
	}
	it = askH("employees hired before 2021")
	if it.Spec.Time == nil || !it.Spec.Time.To.Equal(day(2021, 1, 1)) || !it.Spec.Time.From.Before(day(1950, 1, 1)) {
		t.Errorf("before 2021: time %+v", it.Spec.Time)
	}
	if it := askH("employees hired before 2021 by year"); it.Answerable {
		t.Errorf("before 2021 by year answered: %s", it.Text)
	}
}
