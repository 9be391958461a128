//go:build ignore

// Command gen writes the services example: a consulting firm's clients,
// consultants, projects, daily timesheets (hours, billable or not) of
// 2024 and 2025, and its invoices, as CSV files, one per table. The data
// is deterministic: the same program writes the same bytes.
//
//	go run ./examples/services/gen/main.go [-out examples/services]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/services", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(7, 7))
	clients := [][]string{{"C1", "Northwind Traders", "Retail", "USA"}, {"C2", "Globex Corporation", "Manufacturing", "Germany"}, {"C3", "Initech", "Technology", "USA"}, {"C4", "Umbrella Health", "Healthcare", "UK"}, {"C5", "Stark Logistics", "Transport", "Canada"}}
	gencsv.Write(out, "clients.csv", []string{"client_id", "client_name", "industry", "country"}, clients)
	cons := [][]string{{"E1", "Ana Silva", "Partner", "Advisory", "450"}, {"E2", "Ben Okafor", "Manager", "Advisory", "250"}, {"E3", "Chen Wei", "Analyst", "Tax", "120"}, {"E4", "Dana Kim", "Manager", "Tax", "240"}, {"E5", "Eli Novak", "Analyst", "Audit", "110"}, {"E6", "Fay Haddad", "Senior", "Audit", "180"}}
	gencsv.Write(out, "consultants.csv", []string{"consultant_id", "consultant_name", "level", "practice", "hourly_rate"}, cons)
	var projects [][]string
	for i := 1; i <= 10; i++ {
		c := clients[(i-1)%5][0]
		st := time.Date(2024, time.Month(1+(i*2)%12), 1, 0, 0, 0, 0, time.UTC)
		ft := []string{"Time and materials", "Fixed fee"}[i%2]
		projects = append(projects, []string{fmt.Sprintf("P%02d", i), []string{"ERP Rollout", "Tax Review", "Audit FY24", "Cost Study", "Due Diligence", "Transfer Pricing", "Audit FY25", "Data Strategy", "Process Redesign", "M&A Support"}[i-1], c, st.Format(time.DateOnly), st.AddDate(1, 0, 0).Format(time.DateOnly), fmt.Sprint(200 + r.IntN(800)), ft})
	}
	gencsv.Write(out, "projects.csv", []string{"project_id", "project_name", "client_id", "start_date", "end_date", "budget_hours", "fee_type"}, projects)
	var ts [][]string
	for d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		for _, e := range cons {
			p := projects[r.IntN(len(projects))][0]
			h := 4 + r.IntN(9)
			bill := "true"
			if r.IntN(5) == 0 {
				bill = "false"
			}
			ts = append(ts, []string{d.Format(time.DateOnly), e[0], p, fmt.Sprintf("%d.%d", h/2, (h%2)*5), bill})
		}
	}
	gencsv.Write(out, "timesheets.csv", []string{"work_date", "consultant_id", "project_id", "hours", "billable"}, ts)
	var inv [][]string
	n := 1
	for m := time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC); m.Year() < 2026; m = time.Date(m.Year(), m.Month()+2, 0, 0, 0, 0, 0, time.UTC) {
		for _, p := range projects {
			if r.IntN(3) == 0 {
				continue
			}
			st := "Paid"
			if m.Year() == 2025 && m.Month() >= 11 && r.IntN(2) == 0 {
				st = "Open"
			}
			inv = append(inv, []string{fmt.Sprintf("INV-%04d", n), p[2], p[0], m.Format(time.DateOnly), gencsv.Money(500000 + r.IntN(3000000)), st})
			n++
		}
	}
	gencsv.Write(out, "invoices.csv", []string{"invoice_id", "client_id", "project_id", "invoice_date", "amount", "status"}, inv)
}
