//go:build ignore

// Command gen writes the lending example: a small lender's loan book —
// borrowers, loan products, the loans (principal, interest rate, term,
// status, originated by a branch officer) and the monthly repayments
// (principal and interest paid, days late). The data is deterministic:
// the same program writes the same bytes.
//
//	go run ./examples/lending/gen/main.go [-out examples/lending]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/lending", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(5, 55))
	first := []string{"Ana", "Ben", "Chloe", "Dev", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Liam"}
	last := []string{"Moreau", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Silva", "Tanaka", "Usman", "Vidal"}
	segments := []string{"Retail", "Small Business", "Agriculture"}
	regions := []string{"North", "South", "Coastal", "Highlands"}
	var borrowers [][]string
	for i := 1; i <= 180; i++ {
		borrowers = append(borrowers, []string{fmt.Sprintf("B%04d", i), first[r.IntN(len(first))] + " " + last[r.IntN(len(last))],
			segments[r.IntN(len(segments))], regions[r.IntN(len(regions))], fmt.Sprint(520 + r.IntN(300))})
	}
	products := [][]string{{"PL", "Personal Loan", "unsecured"}, {"AUTO", "Auto Loan", "secured"}, {"SBL", "Small Business Loan", "secured"}, {"AGR", "Crop Loan", "secured"}}
	officers := []string{"M. Carter", "S. Iyer", "T. Brandt", "L. Osei"}
	var loans, pays [][]string
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 420; i++ {
		b := borrowers[r.IntN(len(borrowers))]
		p := products[r.IntN(len(products))]
		orig := start.AddDate(0, 0, r.IntN(900))
		principal := (2000 + r.IntN(48000)) * 100
		rate := fmt.Sprintf("%.4f", 0.04+float64(r.IntN(900))/10000)
		term := []int{12, 24, 36, 60}[r.IntN(4)]
		status := "Active"
		switch x := r.IntN(10); {
		case x == 0:
			status = "Defaulted"
		case x < 3:
			status = "Paid Off"
		}
		id := fmt.Sprintf("L%05d", i)
		loans = append(loans, []string{id, b[0], p[0], officers[r.IntN(len(officers))], orig.Format("2006-01-02"), gencsv.Money(principal), rate, fmt.Sprint(term), status})
		monthly := principal / term
		for k := 1; k <= term; k++ {
			due := orig.AddDate(0, k, 0)
			if due.After(end) || status == "Defaulted" && k > 6 || status == "Paid Off" && k > 10 {
				break
			}
			late := 0
			if r.IntN(8) == 0 {
				late = 1 + r.IntN(40)
			}
			interest := principal * (400 + r.IntN(900)) / 10000 / 12
			pays = append(pays, []string{id, due.AddDate(0, 0, late).Format("2006-01-02"), gencsv.Money(monthly), gencsv.Money(interest), fmt.Sprint(late)})
		}
	}
	gencsv.Write(out, "borrowers.csv", []string{"borrower_id", "borrower_name", "segment", "region", "credit_score"}, borrowers)
	gencsv.Write(out, "loan_products.csv", []string{"product_code", "product_name", "collateral"}, products)
	gencsv.Write(out, "loans.csv", []string{"loan_id", "borrower_id", "product_code", "loan_officer", "origination_date", "principal", "interest_rate", "term_months", "status"}, loans)
	gencsv.Write(out, "repayments.csv", []string{"loan_id", "payment_date", "principal_paid", "interest_paid", "days_late"}, pays)
}
