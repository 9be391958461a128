//go:build ignore

// Command gen writes the people example: a company's HR and payroll
// extract (departments, employees with their hire and termination dates,
// and monthly payroll from January 2023 to December 2025) as CSV files,
// one per table. The data is deterministic: the same program writes the
// same bytes.
//
//	go run ./examples/people/gen/main.go [-out examples/people]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

var (
	departments = [][]string{{"D1", "Engineering"}, {"D2", "Sales"}, {"D3", "Finance"}, {"D4", "Support"}, {"D5", "Marketing"}}
	locations   = []string{"London", "New York", "Berlin", "Austin"}
	levels      = []string{"L1", "L2", "L3", "L4", "L5"}
	first       = []string{"Ava", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Milo", "Nora", "Omar", "Pia", "Quin", "Rosa", "Sam", "Tara"}
	last        = []string{"Reed", "Shaw", "Young", "Ng", "Park", "Diaz", "Kim", "Moss", "Hale", "Cole", "Baker", "Ortiz"}
	salaries    = []int{52000, 61000, 75000, 88000, 104000, 125000}
)

type employee struct {
	id, name, dept, loc, level string
	hired, left                time.Time // left zero: still employed
	salary                     int
}

func main() {
	out := flag.String("out", "examples/people", "folder to write the CSV files to")
	flag.Parse()
	r := rand.New(rand.NewPCG(2026, 5))
	var emps []employee
	names := map[string]bool{}
	for len(emps) < 120 {
		name := first[r.IntN(len(first))] + " " + last[r.IntN(len(last))]
		if names[name] {
			continue // one employee per name: names are asked for
		}
		names[name] = true
		e := employee{id: fmt.Sprintf("E%04d", len(emps)+1), name: name, dept: departments[r.IntN(len(departments))][0],
			loc: locations[r.IntN(len(locations))], level: levels[r.IntN(len(levels))],
			hired: day(2020, 1, 1).AddDate(0, 0, r.IntN(6*365)), salary: salaries[r.IntN(len(salaries))]}
		if r.IntN(4) == 0 {
			if left := e.hired.AddDate(0, 0, 90+r.IntN(1100)); left.Before(day(2025, 12, 31)) {
				e.left = left
			}
		}
		emps = append(emps, e)
	}
	var erows [][]string
	for _, e := range emps {
		left, status := "", "active"
		if !e.left.IsZero() {
			left, status = e.left.Format(time.DateOnly), "terminated"
		}
		erows = append(erows, []string{e.id, e.name, e.dept, e.loc, e.level, e.hired.Format(time.DateOnly), left, status, fmt.Sprint(e.salary)})
	}
	gencsv.Write(*out, "departments.csv", []string{"department_id", "department_name"}, departments)
	gencsv.Write(*out, "employees.csv", []string{"employee_id", "employee_name", "department_id", "location", "job_level", "hire_date", "termination_date", "employment_status", "annual_salary"}, erows)
	var pay [][]string
	for m := day(2023, 1, 28); m.Before(day(2026, 1, 1)); m = m.AddDate(0, 1, 0) {
		for _, e := range emps {
			if e.hired.After(m) || !e.left.IsZero() && e.left.Before(m) {
				continue
			}
			gross := e.salary * 100 / 12 * (980 + r.IntN(41)) / 1000 // cents, ±2%
			bonus := 0
			if m.Month() == time.December && r.IntN(2) == 0 {
				bonus = gross / 10
			}
			tax := (gross + bonus) * 28 / 100
			pay = append(pay, []string{fmt.Sprintf("PR%06d", len(pay)+1), e.id, m.Format(time.DateOnly), gencsv.Money(gross), gencsv.Money(bonus), gencsv.Money(tax), gencsv.Money(gross + bonus - tax)})
		}
	}
	gencsv.Write(*out, "payroll.csv", []string{"payroll_id", "employee_id", "pay_date", "gross_pay", "bonus", "tax_withheld", "net_pay"}, pay)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
