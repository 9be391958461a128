//go:build ignore

// Command gen writes the cloudcost example: a company's cloud bill as a
// FinOps team exports it — daily cost lines by cloud account, service
// and region with the usage quantity and its unit, the list cost and the
// cost after discounts — and the accounts with their team and
// environment. The data is deterministic: the same program writes the
// same bytes.
//
//	go run ./examples/cloudcost/gen/main.go [-out examples/cloudcost]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/cloudcost", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(23, 32))
	accounts := [][]string{{"111122223333", "payments-prod", "Payments", "production"}, {"222233334444", "payments-dev", "Payments", "development"},
		{"333344445555", "data-platform", "Data", "production"}, {"444455556666", "ml-research", "Data", "development"}, {"555566667777", "web-frontend", "Web", "production"}}
	services := [][]string{{"Compute", "vCPU-hours"}, {"Storage", "GB-months"}, {"Database", "instance-hours"}, {"Networking", "GB"}, {"Kubernetes", "cluster-hours"}}
	regions := []string{"us-east-1", "eu-west-1", "ap-southeast-2"}
	var lines [][]string
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for ; day.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); day = day.AddDate(0, 0, 1) {
		for _, a := range accounts {
			for _, s := range services {
				if r.IntN(4) == 0 {
					continue
				}
				qty := 10 + r.IntN(500)
				list := qty * (5 + r.IntN(40))
				net := list * (80 + r.IntN(21)) / 100
				lines = append(lines, []string{day.Format("2006-01-02"), a[0], s[0], regions[r.IntN(len(regions))], fmt.Sprint(qty), s[1], gencsv.Money(list), gencsv.Money(net)})
			}
		}
	}
	gencsv.Write(out, "cloud_accounts.csv", []string{"account_id", "account_alias", "team", "environment"}, accounts)
	gencsv.Write(out, "cost_lines.csv", []string{"usage_date", "account_id", "service", "region", "usage_quantity", "usage_unit", "list_cost", "net_cost"}, lines)
}
