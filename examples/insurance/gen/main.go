//go:build ignore

// Command gen writes the insurance example: an insurer's agents,
// policyholders, policies (product, effective and expiry dates, annual
// premium) and claims (loss and reported dates, claimed and paid
// amounts, status, cause), as CSV files, one per table. The data is
// deterministic: the same program writes the same bytes.
//
//	go run ./examples/insurance/gen/main.go [-out examples/insurance]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/insurance", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(11, 3))
	agents := [][]string{{"A1", "Grace Lee", "West"}, {"A2", "Omar Diaz", "East"}, {"A3", "Ivy Brooks", "South"}, {"A4", "Paul Meyer", "Midwest"}}
	gencsv.Write(out, "agents.csv", []string{"agent_id", "agent_name", "region"}, agents)
	states := []string{"CA", "NY", "TX", "IL", "FL", "WA"}
	first := []string{"Acme", "Blue", "Cedar", "Delta", "Echo", "Fox", "Gold", "Harbor", "Iron", "Jade"}
	second := []string{"Bakery", "Motors", "Family", "Clinic", "Farms", "Studio"}
	var ph [][]string
	for i := 1; i <= 60; i++ {
		seg := []string{"Personal", "Commercial"}[r.IntN(2)]
		ph = append(ph, []string{fmt.Sprintf("H%03d", i), first[i%10] + " " + second[(i/10)%6], states[r.IntN(6)], seg})
	}
	gencsv.Write(out, "policyholders.csv", []string{"policyholder_id", "policyholder_name", "state", "segment"}, ph)
	var pol [][]string
	prods := []string{"Auto", "Home", "Life", "Commercial Property"}
	for i := 1; i <= 300; i++ {
		eff := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(1000))
		pol = append(pol, []string{fmt.Sprintf("POL-%05d", i), ph[r.IntN(60)][0], agents[r.IntN(4)][0], prods[r.IntN(4)], eff.Format(time.DateOnly), eff.AddDate(1, 0, 0).Format(time.DateOnly), gencsv.Money(40000 + r.IntN(400000))})
	}
	gencsv.Write(out, "policies.csv", []string{"policy_id", "policyholder_id", "agent_id", "product", "effective_date", "expiry_date", "annual_premium"}, pol)
	var cl [][]string
	causes := []string{"Collision", "Theft", "Fire", "Water Damage", "Storm"}
	for i := 1; i <= 400; i++ {
		p := pol[r.IntN(300)]
		eff, _ := time.Parse(time.DateOnly, p[4])
		loss := eff.AddDate(0, 0, r.IntN(365))
		rep := loss.AddDate(0, 0, r.IntN(30))
		amt := 50000 + r.IntN(2000000)
		st := []string{"Closed", "Closed", "Open", "Denied"}[r.IntN(4)]
		paid := 0
		if st == "Closed" {
			paid = amt * (60 + r.IntN(41)) / 100
		}
		cl = append(cl, []string{fmt.Sprintf("CLM-%05d", i), p[0], loss.Format(time.DateOnly), rep.Format(time.DateOnly), gencsv.Money(amt), gencsv.Money(paid), st, causes[r.IntN(5)]})
	}
	gencsv.Write(out, "claims.csv", []string{"claim_id", "policy_id", "loss_date", "reported_date", "claim_amount", "paid_amount", "status", "cause"}, cl)
}
