//go:build ignore

// Command gen writes the logistics example: three carriers (road, sea,
// air) and 2,500 shipments between six cities (ship, promised and
// delivery dates, weight, freight cost, on time or not), as CSV files,
// one per table. The data is deterministic: the same program writes the
// same bytes.
//
//	go run ./examples/logistics/gen/main.go [-out examples/logistics]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/logistics", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(31, 8))
	carriers := [][]string{{"CR1", "FastFreight", "Road"}, {"CR2", "OceanLink", "Sea"}, {"CR3", "SkyCargo", "Air"}}
	gencsv.Write(out, "carriers.csv", []string{"carrier_id", "carrier_name", "mode"}, carriers)
	cities := []string{"Rotterdam", "Hamburg", "Antwerp", "Lyon", "Milan", "Warsaw"}
	var sh [][]string
	for i := 1; i <= 2500; i++ {
		c := carriers[r.IntN(3)]
		o, d := cities[r.IntN(6)], cities[r.IntN(6)]
		for d == o {
			d = cities[r.IntN(6)]
		}
		sd := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(720))
		promised := sd.AddDate(0, 0, 2+r.IntN(6))
		dd := promised.AddDate(0, 0, r.IntN(5)-2)
		onTime := "true"
		if dd.After(promised) {
			onTime = "false"
		}
		w := 100 + r.IntN(20000)
		sh = append(sh, []string{fmt.Sprintf("SH%05d", i), c[0], o, d, sd.Format(time.DateOnly), promised.Format(time.DateOnly), dd.Format(time.DateOnly), fmt.Sprintf("%d.%d", w/10, w%10), gencsv.Money(5000 + w*3 + r.IntN(10000)), onTime})
	}
	gencsv.Write(out, "shipments.csv", []string{"shipment_id", "carrier_id", "origin_city", "destination_city", "ship_date", "promised_date", "delivery_date", "weight_kg", "freight_cost", "on_time"}, sh)
}
