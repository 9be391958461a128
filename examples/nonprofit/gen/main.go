//go:build ignore

// Command gen writes the nonprofit example: 120 donors, six fundraising
// campaigns (each with a goal) and 3,000 gifts (gift date, amount,
// payment method, a true/false recurring flag), as CSV files, one per
// table. The data is deterministic: the same program writes the same
// bytes.
//
//	go run ./examples/nonprofit/gen/main.go [-out examples/nonprofit]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/nonprofit", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(11, 3))
	camps := [][]string{
		{"C01", "Spring Appeal", "Mail", "2024-03-01", "50000.00"},
		{"C02", "Giving Tuesday", "Online", "2024-11-15", "80000.00"},
		{"C03", "Annual Gala", "Event", "2024-05-10", "150000.00"},
		{"C04", "Clean Water Drive", "Online", "2025-02-01", "60000.00"},
		{"C05", "Year-End Appeal", "Mail", "2025-11-01", "120000.00"},
		{"C06", "Scholarship Fund", "Event", "2025-04-20", "90000.00"},
	}
	gencsv.Write(out, "campaigns.csv", []string{"campaign_id", "campaign_name", "channel", "launch_date", "goal_amount"}, camps)
	fn := []string{"Alice", "Ben", "Chloe", "David", "Elena", "Frank", "Grace", "Hiro", "Isla", "Jamal", "Kate", "Liam"}
	ln := []string{"Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Gupta", "Hughes", "Ito", "Jones"}
	states := []string{"CA", "NY", "TX", "WA", "IL"}
	var donors [][]string
	for i := 0; i < 120; i++ {
		kind := []string{"Individual", "Individual", "Individual", "Foundation", "Corporate"}[r.IntN(5)]
		name := fn[i%12] + " " + ln[(i/12)%10]
		if kind == "Foundation" {
			name = ln[i%10] + " Family Foundation " + fmt.Sprint(i)
		} else if kind == "Corporate" {
			name = ln[i%10] + " & Co " + fmt.Sprint(i)
		}
		donors = append(donors, []string{fmt.Sprintf("D%04d", i+1), name, kind, states[r.IntN(5)], time.Date(2018+r.IntN(7), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)})
	}
	gencsv.Write(out, "donors.csv", []string{"donor_id", "donor_name", "donor_type", "state", "first_gift_date"}, donors)
	var gifts [][]string
	for i := 1; i <= 3000; i++ {
		d := donors[r.IntN(len(donors))]
		c := camps[r.IntN(6)]
		launch, _ := time.Parse(time.DateOnly, c[3])
		gd := launch.AddDate(0, 0, r.IntN(120))
		if gd.Year() > 2025 {
			gd = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -r.IntN(40))
		}
		amt := (10 + r.IntN(490)) * 100
		if d[2] != "Individual" {
			amt *= 10
		}
		rec := "false"
		if d[2] == "Individual" && r.IntN(4) == 0 {
			rec = "true"
		}
		gifts = append(gifts, []string{fmt.Sprintf("GF%05d", i), d[0], c[0], gd.Format(time.DateOnly), gencsv.Money(amt), []string{"Credit card", "Check", "Bank transfer", "PayPal"}[r.IntN(4)], rec})
	}
	gencsv.Write(out, "gifts.csv", []string{"gift_id", "donor_id", "campaign_id", "gift_date", "amount", "payment_method", "is_recurring"}, gifts)
}
