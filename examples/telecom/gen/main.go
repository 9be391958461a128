//go:build ignore

// Command gen writes the telecom example: 500 subscribers on four plans
// in five regions, and their monthly usage for 2024–2025 (the month's
// first day, data in GB, voice minutes, texts, the amount charged), as
// CSV files, one per table. The data is deterministic: the same program
// writes the same bytes.
//
//	go run ./examples/telecom/gen/main.go [-out examples/telecom]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/telecom", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(43, 11))
	plans := [][]string{{"P1", "Basic", "Prepaid", "15.00"}, {"P2", "Plus", "Postpaid", "35.00"}, {"P3", "Unlimited", "Postpaid", "60.00"}, {"P4", "Family", "Postpaid", "90.00"}}
	gencsv.Write(out, "plans.csv", []string{"plan_id", "plan_name", "plan_type", "monthly_fee"}, plans)
	regions := []string{"North", "South", "East", "West", "Central"}
	var subs [][]string
	for i := 0; i < 500; i++ {
		subs = append(subs, []string{fmt.Sprintf("S%06d", i+1), fmt.Sprintf("Subscriber %d", i+1), plans[r.IntN(4)][0], regions[r.IntN(5)], time.Date(2020+r.IntN(4), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)})
	}
	gencsv.Write(out, "subscribers.csv", []string{"subscriber_id", "subscriber_name", "plan_id", "region", "activation_date"}, subs)
	fee := map[string]int{"P1": 1500, "P2": 3500, "P3": 6000, "P4": 9000}
	var use [][]string
	n := 0
	for m := 0; m < 24; m++ {
		month := time.Date(2024, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC)
		for _, s := range subs {
			n++
			gb := float64(r.IntN(400)) / 10
			mins := r.IntN(900)
			sms := r.IntN(300)
			charge := fee[s[2]]
			if s[2] == "P1" || s[2] == "P2" {
				if gb > 10 {
					charge += int((gb - 10) * 500)
				}
			}
			use = append(use, []string{fmt.Sprintf("U%07d", n), s[0], month.Format(time.DateOnly), fmt.Sprintf("%.1f", gb), fmt.Sprint(mins), fmt.Sprint(sms), gencsv.Money(charge)})
		}
	}
	gencsv.Write(out, "monthly_usage.csv", []string{"usage_id", "subscriber_id", "usage_month", "data_gb", "voice_minutes", "sms_count", "amount_charged"}, use)
}
