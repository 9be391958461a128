//go:build ignore

// Command gen writes the hotel example: four properties, their guests
// and 4,000 bookings (booked, check-in and check-out dates, nights, room
// type, channel, room revenue, status Stayed, Cancelled or No-show), as
// CSV files, one per table. The data is deterministic: the same program
// writes the same bytes.
//
//	go run ./examples/hotel/gen/main.go [-out examples/hotel]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/hotel", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(5, 5))
	props := [][]string{{"H1", "Harbor View Lisbon", "Lisbon", "Harbor", "120"}, {"H2", "Harbor View Porto", "Porto", "Harbor", "80"}, {"H3", "Alpine Lodge Zermatt", "Zermatt", "Alpine", "45"}, {"H4", "City Stay Madrid", "Madrid", "CityStay", "200"}}
	gencsv.Write(out, "properties.csv", []string{"property_id", "property_name", "city", "brand", "rooms"}, props)
	ctry := []string{"Portugal", "Spain", "Germany", "France", "USA", "UK"}
	var guests [][]string
	fn := []string{"Maria", "John", "Luca", "Sophie", "Ahmed", "Yuki", "Carlos", "Emma"}
	ln := []string{"Costa", "Smith", "Rossi", "Martin", "Khan", "Tanaka", "Garcia", "Brown", "Muller"}
	for i := 0; i < 72; i++ {
		// 72 guests, each name once.
		guests = append(guests, []string{fmt.Sprintf("G%04d", i+1), fn[i%8] + " " + ln[(i/8)%9], ctry[r.IntN(6)], []string{"None", "Silver", "Gold", "Platinum"}[r.IntN(4)]})
	}
	gencsv.Write(out, "guests.csv", []string{"guest_id", "guest_name", "country", "loyalty_tier"}, guests)
	var b [][]string
	for i := 1; i <= 4000; i++ {
		p := props[r.IntN(4)]
		bd := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(700))
		ci := bd.AddDate(0, 0, 1+r.IntN(60))
		nights := 1 + r.IntN(7)
		rt := []string{"Standard", "Deluxe", "Suite"}[r.IntN(3)]
		rate := map[string]int{"Standard": 9000, "Deluxe": 14000, "Suite": 26000}[rt] + r.IntN(4000)
		st := []string{"Stayed", "Stayed", "Stayed", "Stayed", "Cancelled", "No-show"}[r.IntN(6)]
		rev := rate * nights
		if st != "Stayed" {
			rev = 0
		}
		b = append(b, []string{fmt.Sprintf("BK%05d", i), p[0], guests[r.IntN(len(guests))][0], bd.Format(time.DateOnly), ci.Format(time.DateOnly), ci.AddDate(0, 0, nights).Format(time.DateOnly), fmt.Sprint(nights), rt, []string{"Direct", "Online travel agency", "Corporate"}[r.IntN(3)], gencsv.Money(rev), st})
	}
	gencsv.Write(out, "bookings.csv", []string{"booking_id", "property_id", "guest_id", "booking_date", "check_in_date", "check_out_date", "nights", "room_type", "channel", "room_revenue", "status"}, b)
}
