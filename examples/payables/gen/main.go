//go:build ignore

// Command gen writes the payables example: a company's accounts-payable
// extract (vendors, departments, the vendors' bills and the payments made
// against them) as CSV files, one per table. Bills run from January 2023
// to December 2025 on a calendar fiscal year; the bills of the last weeks
// are partly unpaid. The data is deterministic: the same program writes
// the same bytes.
//
//	go run ./examples/payables/gen/main.go [-out examples/payables]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

var (
	categories = []string{"Software", "Facilities", "Travel", "Marketing", "Professional Services", "Hardware", "Logistics"}
	countries  = []string{"US", "DE", "GB", "FR"}
	vendors    = []string{"Acme Supplies", "Blue River Consulting", "Cobalt Hardware", "Delta Travel Group", "Evergreen Facilities",
		"Fulcrum Marketing", "Granite Logistics", "Harbor Legal LLP", "Ion Cloud Services", "Juniper Print Co", "Keystone IT",
		"Lumen Office", "Meridian Freight", "Northstar Analytics", "Orchid Catering", "Pioneer Security", "Quartz Software",
		"Redwood Staffing", "Summit Travel", "Tidewater Energy"}
	departments = [][]string{{"D01", "Engineering", "R&D"}, {"D02", "Sales", "Go-to-market"}, {"D03", "Marketing", "Go-to-market"},
		{"D04", "Finance", "G&A"}, {"D05", "People", "G&A"}, {"D06", "Operations", "G&A"}}
)

func main() {
	out := flag.String("out", "examples/payables", "folder to write the CSV files to")
	flag.Parse()
	r := rand.New(rand.NewPCG(2026, 12))
	var vrows [][]string
	for i, n := range vendors {
		terms := []string{"15", "30", "45", "60"}[r.IntN(4)]
		vrows = append(vrows, []string{fmt.Sprintf("V%d", 100+i), n, categories[i%len(categories)], countries[i%len(countries)], terms})
	}
	gencsv.Write(*out, "vendors.csv", []string{"vendor_id", "vendor_name", "category", "country", "payment_terms_days"}, vrows)
	gencsv.Write(*out, "departments.csv", []string{"department_id", "department_name", "division"}, departments)
	var bills, pays [][]string
	start, end := day(2023, 1, 1), day(2025, 12, 31)
	openFrom, paidTo := day(2025, 11, 15), day(2025, 11, 30)
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		for k := r.IntN(5); k > 0; k-- {
			id := fmt.Sprintf("B%06d", len(bills)+1)
			cents := 20000 + r.IntN(2480000)
			amount := gencsv.Money(cents)
			status := "posted"
			if !d.Before(openFrom) {
				status = "open"
			}
			bills = append(bills, []string{id, fmt.Sprintf("V%d", 100+r.IntN(len(vendors))), departments[r.IntN(len(departments))][0], d.Format(time.DateOnly), amount, status})
			if d.Before(paidTo) || r.IntN(10) < 3 {
				pd := d.AddDate(0, 0, 5+r.IntN(66))
				if !pd.After(end) {
					pays = append(pays, []string{fmt.Sprintf("P%06d", len(pays)+1), id, pd.Format(time.DateOnly), amount})
				}
			}
		}
	}
	gencsv.Write(*out, "bills.csv", []string{"bill_id", "vendor_id", "department_id", "bill_date", "amount", "status"}, bills)
	gencsv.Write(*out, "bill_payments.csv", []string{"payment_id", "bill_id", "paid_date", "amount"}, pays)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
