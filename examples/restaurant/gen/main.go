//go:build ignore

// Command gen writes the restaurant example: three locations, a menu of
// 16 items in four categories, 5,000 checks (opened at a date and time,
// covers, server, payment type, subtotal, tax, tip) and their lines
// (item, quantity, unit price; no line total and no date), as CSV files,
// one per table. The data is deterministic: the same program writes the
// same bytes.
//
//	go run ./examples/restaurant/gen/main.go [-out examples/restaurant]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/restaurant", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(29, 7))
	locs := [][]string{{"L1", "Bistro Central", "Chicago"}, {"L2", "Bistro Lakeside", "Chicago"}, {"L3", "Bistro Uptown", "Denver"}}
	gencsv.Write(out, "locations.csv", []string{"location_id", "location_name", "city"}, locs)
	items := [][]string{
		{"M01", "Caesar Salad", "Starters", "9.50"}, {"M02", "Tomato Soup", "Starters", "7.00"}, {"M03", "Calamari", "Starters", "12.00"}, {"M04", "Bruschetta", "Starters", "8.50"},
		{"M05", "Ribeye Steak", "Mains", "34.00"}, {"M06", "Salmon Fillet", "Mains", "27.00"}, {"M07", "Mushroom Risotto", "Mains", "21.00"}, {"M08", "Chicken Parmesan", "Mains", "23.50"},
		{"M09", "Tiramisu", "Desserts", "9.00"}, {"M10", "Cheesecake", "Desserts", "8.50"}, {"M11", "Gelato", "Desserts", "6.00"}, {"M12", "Creme Brulee", "Desserts", "9.50"},
		{"M13", "House Red", "Drinks", "11.00"}, {"M14", "Craft Beer", "Drinks", "7.50"}, {"M15", "Lemonade", "Drinks", "4.50"}, {"M16", "Espresso", "Drinks", "3.50"},
	}
	gencsv.Write(out, "menu_items.csv", []string{"item_id", "item_name", "category", "menu_price"}, items)
	servers := []string{"Sam", "Rita", "Omar", "Jess", "Theo", "Nina"}
	var checks, lines [][]string
	for i := 1; i <= 5000; i++ {
		l := locs[r.IntN(3)]
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(731))
		at := day.Add(time.Duration(11*60+r.IntN(11*60)) * time.Minute)
		covers := 1 + r.IntN(6)
		nl := 1 + r.IntN(covers*2)
		sub := 0
		for j := 1; j <= nl; j++ {
			it := items[r.IntN(16)]
			q := 1 + r.IntN(3)
			var cents int
			fmt.Sscanf(it[3], "%d.", &cents)
			price := cents*100 + map[bool]int{true: 50, false: 0}[it[3][len(it[3])-2:] == "50"]
			sub += q * price
			lines = append(lines, []string{fmt.Sprintf("K%06d", i), fmt.Sprint(j), it[0], fmt.Sprint(q), gencsv.Money(price)})
		}
		tax := sub * 9 / 100
		tip := sub * (10 + r.IntN(15)) / 100
		checks = append(checks, []string{fmt.Sprintf("K%06d", i), l[0], at.Format("2006-01-02 15:04:05"), fmt.Sprint(covers), servers[r.IntN(6)], []string{"Card", "Card", "Cash", "Mobile"}[r.IntN(4)], gencsv.Money(sub), gencsv.Money(tax), gencsv.Money(tip)})
	}
	gencsv.Write(out, "checks.csv", []string{"check_id", "location_id", "opened_at", "covers", "server_name", "payment_type", "subtotal", "tax", "tip"}, checks)
	gencsv.Write(out, "check_lines.csv", []string{"check_id", "line_no", "item_id", "quantity", "unit_price"}, lines)
}
