//go:build ignore

// Command gen writes the rides example: a ride-hailing company's
// drivers (a city, a vehicle type, a join date) and trips (a date, the
// driver, the distance in km, the duration in minutes, the fare, the tip,
// the platform fee, a status: completed or cancelled, a rating from 1 to
// 5 when the rider gave one). The data is deterministic: the same
// program writes the same bytes.
//
//	go run ./examples/rides/gen/main.go [-out examples/rides]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/rides", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(77, 7))
	cities := []string{"Lisbon", "Porto", "Madrid", "Valencia"}
	var drivers, trips [][]string
	for i := 1; i <= 60; i++ {
		drivers = append(drivers, []string{fmt.Sprintf("DRV-%03d", i), fmt.Sprintf("Driver %d", i), cities[r.IntN(len(cities))], []string{"Standard", "XL", "Electric"}[r.IntN(3)],
			time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(900)).Format("2006-01-02")})
	}
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for ; day.Year() == 2025; day = day.AddDate(0, 0, 1) {
		for k := 0; k < 20+r.IntN(20); k++ {
			d := drivers[r.IntN(len(drivers))]
			km := 1 + r.IntN(30)
			status, fare, tip, fee, rating := "completed", 300+km*110+r.IntN(200), 0, 0, ""
			if r.IntN(12) == 0 {
				status, fare = "cancelled", 0
			} else {
				fee = fare / 4
				if r.IntN(3) == 0 {
					tip = 100 + r.IntN(400)
				}
				if r.IntN(2) == 0 {
					rating = fmt.Sprint(3 + r.IntN(3))
				}
			}
			trips = append(trips, []string{fmt.Sprintf("TRP%07d", len(trips)+1), day.Format("2006-01-02"), d[0], fmt.Sprint(km), fmt.Sprint(5 + km*2 + r.IntN(10)), gencsv.Money(fare), gencsv.Money(tip), gencsv.Money(fee), status, rating})
		}
	}
	gencsv.Write(out, "drivers.csv", []string{"driver_id", "driver_name", "city", "vehicle_type", "join_date"}, drivers)
	gencsv.Write(out, "trips.csv", []string{"trip_id", "trip_date", "driver_id", "distance_km", "duration_minutes", "fare", "tip", "platform_fee", "status", "rider_rating"}, trips)
}
