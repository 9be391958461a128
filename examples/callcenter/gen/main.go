//go:build ignore

// Command gen writes the callcenter example: a support centre's agents
// (a team, a hire date), queues and calls (a start time's date, the queue,
// the agent, wait and handle seconds, whether the issue was resolved on
// the call, a customer satisfaction score from 1 to 5 when given). The
// data is deterministic: the same program writes the same bytes.
//
//	go run ./examples/callcenter/gen/main.go [-out examples/callcenter]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/callcenter", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(61, 16))
	var agents [][]string
	names := []string{"Ava", "Ben", "Cara", "Dan", "Eve", "Finn", "Gia", "Hal", "Ivy", "Jay", "Kai", "Lea"}
	for i, n := range names {
		agents = append(agents, []string{fmt.Sprintf("AG%02d", i+1), n + " " + []string{"Stone", "Wells", "Frost"}[i%3], []string{"Tier 1", "Tier 2"}[i%2], time.Date(2022, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02")})
	}
	queues := [][]string{{"Q-BILL", "Billing", "English"}, {"Q-TECH", "Technical", "English"}, {"Q-SALE", "Sales", "English"}, {"Q-ES", "Soporte", "Spanish"}}
	var calls [][]string
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for ; day.Year() == 2025; day = day.AddDate(0, 0, 1) {
		for k := 0; k < 12+r.IntN(12); k++ {
			csat := ""
			if r.IntN(3) > 0 {
				csat = fmt.Sprint(1 + r.IntN(5))
			}
			resolved := "true"
			if r.IntN(4) == 0 {
				resolved = "false"
			}
			calls = append(calls, []string{fmt.Sprintf("CALL%06d", len(calls)+1), day.Format("2006-01-02"), queues[r.IntN(len(queues))][0], agents[r.IntN(len(agents))][0],
				fmt.Sprint(r.IntN(600)), fmt.Sprint(60 + r.IntN(1200)), resolved, csat})
		}
	}
	gencsv.Write(out, "agents.csv", []string{"agent_id", "agent_name", "team", "hire_date"}, agents)
	gencsv.Write(out, "queues.csv", []string{"queue_id", "queue_name", "language"}, queues)
	gencsv.Write(out, "calls.csv", []string{"call_id", "call_date", "queue_id", "agent_id", "wait_seconds", "handle_seconds", "resolved", "csat_score"}, calls)
}
