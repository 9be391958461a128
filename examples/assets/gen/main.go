//go:build ignore

// Command gen writes the assets example: a fixed-asset register of 150
// assets (class, location, acquisition date and cost, useful life,
// status Active or Disposed) and their monthly straight-line depreciation
// for 2024–2025 (period end, depreciation, accumulated depreciation, net
// book value), as CSV files, one per table. The data is deterministic:
// the same program writes the same bytes.
//
//	go run ./examples/assets/gen/main.go [-out examples/assets]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/assets", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(71, 31))
	classes := []struct {
		name string
		life int
		cost int
	}{{"Vehicles", 5, 3500000}, {"IT Equipment", 3, 250000}, {"Furniture", 7, 120000}, {"Machinery", 10, 9000000}}
	locs := []string{"Chicago", "Dallas", "Atlanta"}
	var assets, dep [][]string
	for i := 1; i <= 150; i++ {
		c := classes[r.IntN(4)]
		acq := time.Date(2019+r.IntN(7), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		cost := c.cost/2 + r.IntN(c.cost)
		status := "Active"
		end := acq.AddDate(c.life, 0, 0)
		var disposed time.Time
		if r.IntN(8) == 0 && acq.Year() < 2024 {
			disposed = time.Date(2024+r.IntN(2), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
			status = "Disposed"
		}
		id := fmt.Sprintf("FA%04d", i)
		assets = append(assets, []string{id, fmt.Sprintf("%s #%d", c.name, i), c.name, locs[r.IntN(3)], acq.Format(time.DateOnly), gencsv.Money(cost), fmt.Sprint(c.life), status})
		monthly := cost / (c.life * 12)
		for m := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); m.Year() < 2026; m = m.AddDate(0, 1, 0) {
			if m.Before(acq) || !disposed.IsZero() && !m.Before(disposed) {
				continue
			}
			months := (m.Year()-acq.Year())*12 + int(m.Month()-acq.Month()) + 1
			d := monthly
			if !m.Before(end) {
				d, months = 0, c.life*12
			}
			acc := monthly * months
			if acc > cost {
				acc = cost
			}
			pe := m.AddDate(0, 1, -1)
			dep = append(dep, []string{id, pe.Format(time.DateOnly), gencsv.Money(d), gencsv.Money(acc), gencsv.Money(cost - acc)})
		}
	}
	gencsv.Write(out, "fixed_assets.csv", []string{"asset_id", "asset_name", "asset_class", "location", "acquisition_date", "acquisition_cost", "useful_life_years", "status"}, assets)
	gencsv.Write(out, "depreciation.csv", []string{"asset_id", "period_end", "depreciation_amount", "accumulated_depreciation", "net_book_value"}, dep)
}
