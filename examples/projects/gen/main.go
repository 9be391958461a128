//go:build ignore

// Command gen writes the projects example: a consultancy's project
// portfolio — projects (a client, a manager, a practice, a budget, a start
// and an end date, a status) and the monthly costs booked to them by cost
// type (labour, travel, subcontractors, materials). The data is
// deterministic: the same program writes the same bytes.
//
//	go run ./examples/projects/gen/main.go [-out examples/projects]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/projects", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(90, 9))
	practices := []string{"Strategy", "Technology", "Operations"}
	managers := []string{"Ines Duarte", "Marek Nowak", "Sofia Russo", "Tom Becker"}
	clients := []string{"Northwind Foods", "Contoso Bank", "Fabrikam Motors", "Litware Health", "Tailspin Air"}
	var projects, costs [][]string
	for i := 1; i <= 40; i++ {
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, r.IntN(20), 0)
		months := 3 + r.IntN(10)
		end := start.AddDate(0, months, -1)
		status := "Completed"
		if end.After(time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)) {
			status = "In Progress"
		} else if r.IntN(8) == 0 {
			status = "On Hold"
		}
		budget := (50 + r.IntN(450)) * 100000
		id := fmt.Sprintf("PRJ-%03d", i)
		projects = append(projects, []string{id, fmt.Sprintf("%s %s project %d", clients[i%len(clients)], practices[i%len(practices)], i), clients[i%len(clients)], managers[r.IntN(len(managers))],
			practices[i%len(practices)], gencsv.Money(budget), start.Format("2006-01-02"), end.Format("2006-01-02"), status})
		for m := 0; m < months; m++ {
			month := start.AddDate(0, m, 0)
			if month.After(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)) {
				break
			}
			for _, ct := range []string{"Labour", "Travel", "Subcontractors", "Materials"} {
				if ct != "Labour" && r.IntN(2) == 0 {
					continue
				}
				share := map[string]int{"Labour": 60, "Travel": 10, "Subcontractors": 25, "Materials": 5}[ct]
				amt := budget / months * share / 100 * (70 + r.IntN(60)) / 100
				costs = append(costs, []string{id, month.Format("2006-01-02"), ct, gencsv.Money(amt)})
			}
		}
	}
	gencsv.Write(out, "projects.csv", []string{"project_id", "project_name", "client", "project_manager", "practice", "budget", "start_date", "end_date", "status"}, projects)
	gencsv.Write(out, "project_costs.csv", []string{"project_id", "cost_month", "cost_type", "amount"}, costs)
}
