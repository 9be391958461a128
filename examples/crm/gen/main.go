//go:build ignore

// Command gen writes the crm example: a sales team's pipeline — sales
// reps with a team, accounts with an industry and a country, and
// opportunities (an amount, a stage, a probability, a created date, an
// expected or actual close date, a lead source). The data is
// deterministic: the same program writes the same bytes.
//
//	go run ./examples/crm/gen/main.go [-out examples/crm]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/crm", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(44, 4))
	reps := [][]string{{"R01", "Nina Hart", "Enterprise"}, {"R02", "Omar Diaz", "Enterprise"}, {"R03", "Paula Chen", "Mid-Market"}, {"R04", "Quentin Roy", "Mid-Market"}, {"R05", "Rosa Lima", "SMB"}}
	inds := []string{"Healthcare", "Retail", "Manufacturing", "Finance", "Education"}
	countries := []string{"United States", "Canada", "United Kingdom", "Germany"}
	var accts [][]string
	for i := 1; i <= 150; i++ {
		accts = append(accts, []string{fmt.Sprintf("A%04d", i), fmt.Sprintf("%s Corp %d", []string{"Apex", "Birch", "Cobalt", "Delta", "Ember"}[i%5], i), inds[r.IntN(len(inds))], countries[r.IntN(len(countries))]})
	}
	stages := []string{"Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"}
	prob := map[string]string{"Prospecting": "0.10", "Qualification": "0.25", "Proposal": "0.50", "Negotiation": "0.75", "Closed Won": "1.00", "Closed Lost": "0.00"}
	sources := []string{"Inbound", "Outbound", "Partner", "Event"}
	var opps [][]string
	for i := 1; i <= 700; i++ {
		created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(700))
		st := stages[r.IntN(len(stages))]
		if created.Before(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)) && r.IntN(3) > 0 {
			st = []string{"Closed Won", "Closed Lost"}[r.IntN(2)]
		}
		closeDate := created.AddDate(0, 0, 20+r.IntN(150))
		opps = append(opps, []string{fmt.Sprintf("OPP-%05d", i), accts[r.IntN(len(accts))][0], reps[r.IntN(len(reps))][0], created.Format("2006-01-02"), closeDate.Format("2006-01-02"),
			st, prob[st], sources[r.IntN(len(sources))], gencsv.Money((5000 + r.IntN(195000)) * 100)})
	}
	gencsv.Write(out, "sales_reps.csv", []string{"rep_id", "rep_name", "team"}, reps)
	gencsv.Write(out, "accounts.csv", []string{"account_id", "account_name", "industry", "country"}, accts)
	gencsv.Write(out, "opportunities.csv", []string{"opportunity_id", "account_id", "rep_id", "created_date", "close_date", "stage", "probability", "lead_source", "amount"}, opps)
}
