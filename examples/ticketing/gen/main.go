//go:build ignore

// Command gen writes the ticketing example: a promoter's venues, events
// (a genre, a date, a venue) and ticket orders (a customer, the event,
// a channel, tickets bought, the amount paid and the booking fee). The
// data is deterministic: the same program writes the same bytes.
//
//	go run ./examples/ticketing/gen/main.go [-out examples/ticketing]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/ticketing", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(12, 21))
	venues := [][]string{{"V01", "Harbour Arena", "Sydney", "12000"}, {"V02", "Riverside Hall", "Melbourne", "2500"}, {"V03", "Old Mill Theatre", "Brisbane", "800"}, {"V04", "Parkside Stadium", "Perth", "30000"}}
	genres := []string{"Rock", "Pop", "Jazz", "Comedy", "Classical"}
	var events, orders [][]string
	for i := 1; i <= 90; i++ {
		d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(720))
		v := venues[r.IntN(len(venues))]
		g := genres[r.IntN(len(genres))]
		id := fmt.Sprintf("EV%03d", i)
		price := 4000 + r.IntN(12000)
		events = append(events, []string{id, fmt.Sprintf("%s Night %d", g, i), g, v[0], d.Format("2006-01-02")})
		for k := 0; k < 20+r.IntN(60); k++ {
			tickets := 1 + r.IntN(6)
			od := d.AddDate(0, 0, -r.IntN(90))
			ch := []string{"Online", "Box Office", "Partner"}[r.IntN(3)]
			fee := 0
			if ch != "Box Office" {
				fee = tickets * 350
			}
			orders = append(orders, []string{fmt.Sprintf("ORD%06d", len(orders)+1), id, fmt.Sprintf("C%04d", 1+r.IntN(900)), od.Format("2006-01-02"), ch, fmt.Sprint(tickets), gencsv.Money(tickets * price), gencsv.Money(fee)})
		}
	}
	gencsv.Write(out, "venues.csv", []string{"venue_id", "venue_name", "city", "capacity"}, venues)
	gencsv.Write(out, "events.csv", []string{"event_id", "event_name", "genre", "venue_id", "event_date"}, events)
	gencsv.Write(out, "ticket_orders.csv", []string{"order_id", "event_id", "customer_id", "order_date", "channel", "tickets", "amount_paid", "booking_fee"}, orders)
}
