//go:build ignore

// Command gen writes the procurement example: 25 suppliers, 30 catalog
// items in five categories, 1,200 purchase orders (order date, buyer,
// status) and their lines (item, quantity, unit cost; no line amount),
// as CSV files, one per table. The data is deterministic: the same
// program writes the same bytes.
//
//	go run ./examples/procurement/gen/main.go [-out examples/procurement]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/procurement", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(53, 17))
	var sups [][]string
	for i := 0; i < 25; i++ {
		sups = append(sups, []string{fmt.Sprintf("SUP%03d", i+1), fmt.Sprintf("%s Supply %d", []string{"Acme", "Globex", "Initech", "Umbrella", "Stark"}[i%5], i+1), []string{"USA", "Mexico", "China", "Germany"}[r.IntN(4)], []string{"Preferred", "Approved", "Probation"}[r.IntN(3)]})
	}
	gencsv.Write(out, "suppliers.csv", []string{"supplier_id", "supplier_name", "country", "supplier_tier"}, sups)
	cats := []string{"Raw materials", "Packaging", "MRO", "IT hardware", "Office supplies"}
	var items [][]string
	for i := 0; i < 30; i++ {
		items = append(items, []string{fmt.Sprintf("IT%03d", i+1), fmt.Sprintf("%s item %d", cats[i%5], i+1), cats[i%5], []string{"each", "kg", "box"}[i%3]})
	}
	gencsv.Write(out, "items.csv", []string{"item_id", "item_description", "category", "unit_of_measure"}, items)
	var pos, lines [][]string
	for i := 1; i <= 1200; i++ {
		s := sups[r.IntN(25)]
		d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(731))
		st := []string{"Received", "Received", "Received", "Open", "Cancelled"}[r.IntN(5)]
		id := fmt.Sprintf("PO%05d", i)
		pos = append(pos, []string{id, s[0], d.Format(time.DateOnly), []string{"Ana", "Ben", "Chen", "Dara"}[r.IntN(4)], st})
		for k := 1; k <= 1+r.IntN(5); k++ {
			it := items[r.IntN(30)]
			lines = append(lines, []string{id, fmt.Sprint(k), it[0], fmt.Sprint(1 + r.IntN(200)), gencsv.Money(100 + r.IntN(20000))})
		}
	}
	gencsv.Write(out, "purchase_orders.csv", []string{"po_number", "supplier_id", "order_date", "buyer", "status"}, pos)
	gencsv.Write(out, "po_lines.csv", []string{"po_number", "line_number", "item_id", "quantity", "unit_cost"}, lines)
}
