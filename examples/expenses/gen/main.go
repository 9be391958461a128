//go:build ignore

// Command gen writes the expenses example: 80 employees in five
// departments and 4,000 expense claims (expense and submitted dates,
// category, amount, status Approved, Rejected or Pending, and the date
// reimbursed), as CSV files, one per table. The data is deterministic:
// the same program writes the same bytes.
//
//	go run ./examples/expenses/gen/main.go [-out examples/expenses]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/expenses", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(67, 29))
	depts := []string{"Sales", "Engineering", "Finance", "Marketing", "Operations"}
	var emps [][]string
	for i := 1; i <= 80; i++ {
		emps = append(emps, []string{fmt.Sprintf("E%03d", i), fmt.Sprintf("Employee %d", i), depts[r.IntN(5)], fmt.Sprintf("CC%d", 100+r.IntN(8)*10)})
	}
	gencsv.Write(out, "employees.csv", []string{"employee_id", "employee_name", "department", "cost_center"}, emps)
	cats := []string{"Travel", "Meals", "Lodging", "Software", "Training", "Office supplies"}
	base := map[string]int{"Travel": 40000, "Meals": 6000, "Lodging": 25000, "Software": 15000, "Training": 60000, "Office supplies": 4000}
	var claims [][]string
	for i := 1; i <= 4000; i++ {
		e := emps[r.IntN(80)]
		c := cats[r.IntN(6)]
		d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(731))
		sub := d.AddDate(0, 0, 1+r.IntN(20))
		st := []string{"Approved", "Approved", "Approved", "Approved", "Approved", "Rejected", "Pending"}[r.IntN(7)]
		reimb := ""
		if st == "Approved" {
			reimb = sub.AddDate(0, 0, 3+r.IntN(25)).Format(time.DateOnly)
		}
		if sub.After(time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC)) {
			st, reimb = "Pending", ""
		}
		claims = append(claims, []string{fmt.Sprintf("EX%05d", i), e[0], d.Format(time.DateOnly), sub.Format(time.DateOnly), c, gencsv.Money(base[c]/2 + r.IntN(base[c])), st, reimb})
	}
	gencsv.Write(out, "expense_claims.csv", []string{"claim_id", "employee_id", "expense_date", "submitted_date", "category", "amount", "status", "reimbursed_date"}, claims)
}
