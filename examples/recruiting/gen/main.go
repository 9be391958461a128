//go:build ignore

// Command gen writes the recruiting example: 40 job openings in five
// departments, 1,500 candidates and 3,000 applications (applied date,
// source, stage Applied, Screen, Interview, Offer, Hired or Rejected), as
// CSV files, one per table. The data is deterministic: the same program
// writes the same bytes.
//
//	go run ./examples/recruiting/gen/main.go [-out examples/recruiting]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/recruiting", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(47, 3))
	depts := []string{"Engineering", "Sales", "Marketing", "Finance", "Operations"}
	titles := map[string][]string{"Engineering": {"Backend Engineer", "Data Engineer"}, "Sales": {"Account Executive", "Sales Manager"},
		"Marketing": {"Content Marketer", "Growth Analyst"}, "Finance": {"Financial Analyst", "Accountant"}, "Operations": {"Operations Analyst", "Office Manager"}}
	locs := []string{"London", "Berlin", "Remote"}
	var jobs [][]string
	for i := 0; i < 40; i++ {
		d := depts[i%5]
		jobs = append(jobs, []string{fmt.Sprintf("J%03d", i+1), titles[d][(i/5)%2] + fmt.Sprintf(" %d", i+1), d, locs[r.IntN(3)], time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(600)).Format(time.DateOnly)})
	}
	gencsv.Write(out, "jobs.csv", []string{"job_id", "job_title", "department", "location", "opened_date"}, jobs)
	var cands [][]string
	for i := 0; i < 1500; i++ {
		cands = append(cands, []string{fmt.Sprintf("C%05d", i+1), fmt.Sprintf("Candidate %d", i+1), []string{"Junior", "Mid", "Senior"}[r.IntN(3)], []string{"UK", "Germany", "France", "Spain", "Poland"}[r.IntN(5)]})
	}
	gencsv.Write(out, "candidates.csv", []string{"candidate_id", "candidate_name", "seniority", "country"}, cands)
	var apps [][]string
	for i := 1; i <= 3000; i++ {
		j := jobs[r.IntN(40)]
		opened, _ := time.Parse(time.DateOnly, j[4])
		ad := opened.AddDate(0, 0, r.IntN(90))
		stage := []string{"Applied", "Screen", "Screen", "Interview", "Interview", "Offer", "Hired", "Rejected", "Rejected", "Rejected"}[r.IntN(10)]
		apps = append(apps, []string{fmt.Sprintf("AP%05d", i), cands[r.IntN(1500)][0], j[0], ad.Format(time.DateOnly), []string{"Referral", "LinkedIn", "Job board", "Careers site", "Agency"}[r.IntN(5)], stage})
	}
	gencsv.Write(out, "applications.csv", []string{"application_id", "candidate_id", "job_id", "applied_date", "source", "stage"}, apps)
}
