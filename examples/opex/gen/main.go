//go:build ignore

// Command gen writes the opex example: two monthly extracts as a finance
// team exports them from a ledger, each month written as text
// ("2025-03", no date column) — operating expenses by month, department
// and account, and revenue by month, region and product line with the
// units sold. The data is deterministic: the same program writes the
// same bytes.
//
//	go run ./examples/opex/gen/main.go [-out examples/opex]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/opex", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(91, 19))
	var exp, rev [][]string
	for y := 2024; y <= 2025; y++ {
		for m := 1; m <= 12; m++ {
			period := fmt.Sprintf("%d-%02d", y, m)
			for _, d := range []string{"Sales", "Marketing", "Engineering", "Finance", "Operations"} {
				for _, a := range []string{"Salaries", "Travel", "Software", "Rent", "Consulting"} {
					if a == "Consulting" && r.IntN(3) == 0 {
						continue // not every department buys consulting every month
					}
					exp = append(exp, []string{period, d, a, gencsv.Money((2000+r.IntN(88000))*100 + r.IntN(100))})
				}
			}
			for _, reg := range []string{"North America", "EMEA", "APAC"} {
				for _, pl := range []string{"Hardware", "Services", "Subscriptions"} {
					units := 20 + r.IntN(400)
					rev = append(rev, []string{period, reg, pl, fmt.Sprint(units), gencsv.Money(units*(15000+r.IntN(10000)) + r.IntN(100))})
				}
			}
		}
	}
	gencsv.Write(out, "dept_expenses.csv", []string{"period", "department", "account", "amount"}, exp)
	gencsv.Write(out, "regional_revenue.csv", []string{"month", "region", "product_line", "units", "revenue"}, rev)
}
