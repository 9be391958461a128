//go:build ignore

// Command gen writes the real-estate example: 12 buildings, 60 tenants,
// their leases (start and end dates, monthly rent, status Active or
// Expired) and the monthly rent payments made against them, as CSV
// files, one per table. The data is deterministic: the same program
// writes the same bytes.
//
//	go run ./examples/realestate/gen/main.go [-out examples/realestate]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/realestate", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(37, 2))
	cities := []string{"Austin", "Boston", "Chicago"}
	kinds := []string{"Office", "Retail", "Industrial"}
	var blds [][]string
	for i := 0; i < 12; i++ {
		blds = append(blds, []string{fmt.Sprintf("B%02d", i+1), fmt.Sprintf("%s %s Center %d", cities[i%3], kinds[i%3], i+1), cities[i%3], kinds[(i/3)%3], fmt.Sprint(20000 + r.IntN(80000))})
	}
	gencsv.Write(out, "buildings.csv", []string{"building_id", "building_name", "city", "property_type", "square_feet"}, blds)
	inds := []string{"Legal", "Technology", "Healthcare", "Retail", "Logistics"}
	var tens [][]string
	for i := 0; i < 60; i++ {
		tens = append(tens, []string{fmt.Sprintf("T%03d", i+1), fmt.Sprintf("Tenant %s %d", []string{"Alpha", "Beacon", "Cedar", "Delta", "Echo", "Falcon"}[i%6], i+1), inds[r.IntN(5)]})
	}
	gencsv.Write(out, "tenants.csv", []string{"tenant_id", "tenant_name", "industry"}, tens)
	var leases, pays [][]string
	np := 0
	for i := 0; i < 90; i++ {
		b := blds[r.IntN(12)]
		t := tens[r.IntN(60)]
		start := time.Date(2022+r.IntN(4), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(1+r.IntN(4), 0, -1)
		rent := (2000 + r.IntN(18000)) * 100
		status := "Active"
		if end.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
			status = "Expired"
		}
		id := fmt.Sprintf("L%04d", i+1)
		leases = append(leases, []string{id, b[0], t[0], start.Format(time.DateOnly), end.Format(time.DateOnly), gencsv.Money(rent), status})
		for m := start; !m.After(end) && m.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
			if m.Year() < 2024 {
				continue
			}
			np++
			paid := m.AddDate(0, 0, r.IntN(20))
			amt := rent
			if r.IntN(30) == 0 {
				amt = rent / 2 // a partial payment
			}
			pays = append(pays, []string{fmt.Sprintf("RP%06d", np), id, m.Format(time.DateOnly), paid.Format(time.DateOnly), gencsv.Money(amt), []string{"ACH", "Check", "Wire"}[r.IntN(3)]})
		}
	}
	gencsv.Write(out, "leases.csv", []string{"lease_id", "building_id", "tenant_id", "start_date", "end_date", "monthly_rent", "status"}, leases)
	gencsv.Write(out, "rent_payments.csv", []string{"payment_id", "lease_id", "due_date", "payment_date", "amount_paid", "method"}, pays)
}
