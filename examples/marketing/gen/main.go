//go:build ignore

// Command gen writes the marketing example: an advertiser's campaign
// report (campaigns, and each campaign's impressions, clicks,
// conversions, spend and attributed revenue per day of 2025) as CSV
// files, one per table. The data is deterministic: the same program
// writes the same bytes.
//
//	go run ./examples/marketing/gen/main.go [-out examples/marketing]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

var campaigns = [][]string{
	{"K1", "Spring Launch", "Search", "Google"}, {"K2", "Brand Awareness", "Social", "Meta"},
	{"K3", "Retargeting", "Display", "Google"}, {"K4", "Webinar Push", "Email", "Mailchimp"},
	{"K5", "Summer Promo", "Social", "LinkedIn"},
}

func main() {
	out := flag.String("out", "examples/marketing", "folder to write the CSV files to")
	flag.Parse()
	r := rand.New(rand.NewPCG(2026, 9))
	gencsv.Write(*out, "campaigns.csv", []string{"campaign_id", "campaign_name", "channel", "platform"}, campaigns)
	var rows [][]string
	for d := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2025; d = d.AddDate(0, 0, 1) {
		for _, c := range campaigns {
			imp := 1000 + r.IntN(19001)
			clk := imp * (10 + r.IntN(41)) / 1000   // 1–5% of impressions
			conv := clk * (20 + r.IntN(81)) / 1000  // 2–10% of clicks
			spend := clk * (50 + r.IntN(201))       // 0.50–2.50 a click, in cents
			revenue := conv * (4000 + r.IntN(8001)) // 40–120 a conversion, in cents
			rows = append(rows, []string{d.Format(time.DateOnly), c[0], fmt.Sprint(imp), fmt.Sprint(clk), fmt.Sprint(conv), gencsv.Money(spend), gencsv.Money(revenue)})
		}
	}
	gencsv.Write(*out, "ad_performance.csv", []string{"activity_date", "campaign_id", "impressions", "clicks", "conversions", "spend", "attributed_revenue"}, rows)
}
