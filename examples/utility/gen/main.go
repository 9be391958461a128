//go:build ignore

// Command gen writes the utility example: 400 accounts in four regions on
// three tariffs, and their monthly electricity bills for 2024–2025 (the
// billing month as text "2025-03", bill, due and paid dates, kWh used,
// amount billed, status Paid, Open or Overdue), as CSV files, one per
// table. The data is deterministic: the same program writes the same
// bytes.
//
//	go run ./examples/utility/gen/main.go [-out examples/utility]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/utility", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(23, 1))
	regions := []string{"North", "South", "East", "West"}
	tariffs := []string{"Residential", "Residential", "Residential", "Commercial", "Industrial"}
	var accts [][]string
	for i := 0; i < 400; i++ {
		t := tariffs[r.IntN(5)]
		name := fmt.Sprintf("Household %03d", i+1)
		if t != "Residential" {
			name = fmt.Sprintf("%s Customer %03d", t, i+1)
		}
		accts = append(accts, []string{fmt.Sprintf("AC%05d", i+1), name, regions[r.IntN(4)], t})
	}
	gencsv.Write(out, "accounts.csv", []string{"account_id", "account_name", "region", "tariff"}, accts)
	var bills [][]string
	n := 0
	for m := 0; m < 24; m++ {
		month := time.Date(2024, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC)
		for _, a := range accts {
			if r.IntN(10) == 0 {
				continue // a few accounts are not billed every month
			}
			n++
			base := map[string]int{"Residential": 300, "Commercial": 2500, "Industrial": 12000}[a[3]]
			kwh := base + r.IntN(base/2)
			if month.Month() <= 2 || month.Month() >= 12 {
				kwh += base / 3
			}
			price := map[string]int{"Residential": 28, "Commercial": 24, "Industrial": 19}[a[3]]
			billDate := month.AddDate(0, 1, 2)
			due := billDate.AddDate(0, 0, 21)
			status, paid := "Paid", billDate.AddDate(0, 0, 5+r.IntN(30)).Format(time.DateOnly)
			if billDate.After(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)) {
				status, paid = "Open", ""
			} else if r.IntN(25) == 0 {
				status, paid = "Overdue", ""
			}
			bills = append(bills, []string{fmt.Sprintf("B%07d", n), a[0], month.Format("2006-01"), billDate.Format(time.DateOnly), due.Format(time.DateOnly), paid, fmt.Sprint(kwh), gencsv.Money(kwh * price), status})
		}
	}
	gencsv.Write(out, "bills.csv", []string{"bill_id", "account_id", "billing_month", "bill_date", "due_date", "paid_date", "usage_kwh", "amount_billed", "status"}, bills)
}
