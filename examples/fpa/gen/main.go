//go:build ignore

// Command gen writes the fpa example: two spreadsheets as an FP&A team
// keeps them — a monthly P&L by department (revenue, COGS, opex,
// headcount; one row per month and department) and budget and actual
// amounts by month, cost center, account and scenario (a grain of four
// columns) — as CSV files. The data is deterministic: the same program
// writes the same bytes.
//
//	go run ./examples/fpa/gen/main.go [-out examples/fpa]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/fpa", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(73, 37))
	depts := []string{"Sales", "Marketing", "R&D", "G&A"}
	var pnl, ba [][]string
	for y := 2024; y <= 2025; y++ {
		for m := 1; m <= 12; m++ {
			month := fmt.Sprintf("%d-%02d-01", y, m)
			for _, d := range depts {
				rev := 0
				if d == "Sales" {
					rev = (200000 + r.IntN(300000)) * 100
				}
				pnl = append(pnl, []string{month, d, gencsv.Money(rev), gencsv.Money(rev * 4 / 10), gencsv.Money((50000 + r.IntN(100000)) * 100), fmt.Sprint(5 + r.IntN(36))})
			}
			for _, cc := range []string{"CC100 Sales", "CC200 Marketing", "CC300 Engineering"} {
				for _, acct := range []string{"Salaries", "Travel", "Software", "Rent"} {
					b := (10000 + r.IntN(70000)) * 100
					ba = append(ba, []string{month, cc, acct, "Budget", gencsv.Money(b)})
					ba = append(ba, []string{month, cc, acct, "Actual", gencsv.Money(b * (80 + r.IntN(41)) / 100)})
				}
			}
		}
	}
	gencsv.Write(out, "monthly_pnl.csv", []string{"month", "department", "revenue", "cogs", "opex", "headcount"}, pnl)
	gencsv.Write(out, "budget_actuals.csv", []string{"period", "cost_center", "account", "scenario", "amount"}, ba)
}
