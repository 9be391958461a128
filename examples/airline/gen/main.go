//go:build ignore

// Command gen writes the airline example: six airports, five aircraft
// types and 6,000 flights between the airports (flight date, origin and
// destination, seats, passengers, ticket revenue, fuel cost, status On
// time, Delayed or Cancelled), as CSV files, one per table. The data is
// deterministic: the same program writes the same bytes.
//
//	go run ./examples/airline/gen/main.go [-out examples/airline]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/airline", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(41, 5))
	aps := [][]string{{"JFK", "John F. Kennedy International", "New York", "USA"}, {"LAX", "Los Angeles International", "Los Angeles", "USA"},
		{"ORD", "O'Hare International", "Chicago", "USA"}, {"MIA", "Miami International", "Miami", "USA"}, {"SEA", "Seattle-Tacoma International", "Seattle", "USA"},
		{"YYZ", "Toronto Pearson International", "Toronto", "Canada"}}
	gencsv.Write(out, "airports.csv", []string{"airport_code", "airport_name", "city", "country"}, aps)
	acs := [][]string{{"A320", "Airbus A320", "Airbus", "180"}, {"A321", "Airbus A321", "Airbus", "220"}, {"B737", "Boeing 737-800", "Boeing", "189"}, {"B787", "Boeing 787-9", "Boeing", "290"}, {"E175", "Embraer E175", "Embraer", "76"}}
	gencsv.Write(out, "aircraft.csv", []string{"aircraft_type", "aircraft_name", "manufacturer", "seat_capacity"}, acs)
	var fl [][]string
	for i := 1; i <= 6000; i++ {
		o := r.IntN(6)
		d := (o + 1 + r.IntN(5)) % 6
		ac := acs[r.IntN(5)]
		var seats int
		fmt.Sscan(ac[3], &seats)
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(731))
		st := []string{"On time", "On time", "On time", "On time", "Delayed", "Delayed", "Cancelled"}[r.IntN(7)]
		pax := seats * (60 + r.IntN(41)) / 100
		rev := pax * (9000 + r.IntN(30000))
		fuel := seats * (4000 + r.IntN(3000))
		if st == "Cancelled" {
			pax, rev, fuel = 0, 0, 0
		}
		fl = append(fl, []string{fmt.Sprintf("FL%05d", i), day.Format(time.DateOnly), aps[o][0], aps[d][0], ac[0], fmt.Sprint(seats), fmt.Sprint(pax), gencsv.Money(rev), gencsv.Money(fuel), st})
	}
	gencsv.Write(out, "flights.csv", []string{"flight_id", "flight_date", "origin_airport", "destination_airport", "aircraft_type", "seats", "passengers", "ticket_revenue", "fuel_cost", "status"}, fl)
}
