//go:build ignore

// Command gen writes the mrr example: a subscription business's
// customers (a segment, a country) and its MRR movements — one row per
// customer and month with a change: new, expansion, contraction, churn
// or reactivation, and the MRR change (signed). The data is
// deterministic: the same program writes the same bytes.
//
//	go run ./examples/mrr/gen/main.go [-out examples/mrr]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/mrr", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(17, 71))
	segs := []string{"Self-serve", "Mid-Market", "Enterprise"}
	var custs, moves [][]string
	for i := 1; i <= 300; i++ {
		id := fmt.Sprintf("CUS-%04d", i)
		seg := segs[r.IntN(len(segs))]
		custs = append(custs, []string{id, fmt.Sprintf("Customer %d", i), seg, []string{"US", "UK", "DE", "FR", "AU"}[r.IntN(5)]})
		start := r.IntN(24)
		mrr := (50 + r.IntN(2000)) * 100
		moves = append(moves, []string{id, month(start), "New", gencsv.Money(mrr)})
		live := true
		for m := start + 1; m < 24; m++ {
			x := r.IntN(20)
			switch {
			case live && x == 0:
				moves = append(moves, []string{id, month(m), "Churn", gencsv.Money(-mrr)})
				live = false
			case live && x <= 2:
				d := mrr / 5
				mrr += d
				moves = append(moves, []string{id, month(m), "Expansion", gencsv.Money(d)})
			case live && x == 3:
				d := mrr / 10
				mrr -= d
				moves = append(moves, []string{id, month(m), "Contraction", gencsv.Money(-d)})
			case !live && x == 1:
				live = true
				moves = append(moves, []string{id, month(m), "Reactivation", gencsv.Money(mrr)})
			}
		}
	}
	gencsv.Write(out, "customers.csv", []string{"customer_id", "customer_name", "segment", "country"}, custs)
	gencsv.Write(out, "mrr_movements.csv", []string{"customer_id", "month_start", "movement_type", "mrr_change"}, moves)
}

func month(i int) string { return fmt.Sprintf("%d-%02d-01", 2024+i/12, 1+i%12) }
