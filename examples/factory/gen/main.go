//go:build ignore

// Command gen writes the factory example: three production lines, three
// products, every day's production runs of 2025 per line and shift
// (units produced and scrapped, production cost) and the downtime
// events (reason, minutes), as CSV files, one per table. The data is
// deterministic: the same program writes the same bytes.
//
//	go run ./examples/factory/gen/main.go [-out examples/factory]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/factory", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(41, 2))
	lines := [][]string{{"L1", "Line 1", "Assembly"}, {"L2", "Line 2", "Assembly"}, {"L3", "Line 3", "Packaging"}}
	gencsv.Write(out, "production_lines.csv", []string{"line_id", "line_name", "area"}, lines)
	prods := [][]string{{"P100", "Widget A", "Widgets"}, {"P200", "Widget B", "Widgets"}, {"P300", "Gadget X", "Gadgets"}}
	gencsv.Write(out, "products.csv", []string{"product_code", "product_name", "product_family"}, prods)
	var runs, down [][]string
	n, k := 1, 1
	for d := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2025; d = d.AddDate(0, 0, 1) {
		for _, l := range lines {
			for _, shift := range []string{"Day", "Night"} {
				p := prods[r.IntN(3)]
				produced := 400 + r.IntN(600)
				scrap := r.IntN(produced / 20)
				runs = append(runs, []string{fmt.Sprintf("R%06d", n), d.Format(time.DateOnly), l[0], p[0], shift, fmt.Sprint(produced), fmt.Sprint(scrap), gencsv.Money(produced * (150 + r.IntN(50)))})
				n++
				if r.IntN(6) == 0 {
					down = append(down, []string{fmt.Sprintf("D%05d", k), d.Format(time.DateOnly), l[0], []string{"Breakdown", "Changeover", "Maintenance", "Material shortage"}[r.IntN(4)], fmt.Sprint(10 + r.IntN(170))})
					k++
				}
			}
		}
	}
	gencsv.Write(out, "production_runs.csv", []string{"run_id", "run_date", "line_id", "product_code", "shift", "units_produced", "units_scrapped", "production_cost"}, runs)
	gencsv.Write(out, "downtime_events.csv", []string{"event_id", "event_date", "line_id", "reason", "downtime_minutes"}, down)
}
