//go:build ignore

// Command gen writes the inventory example: a distributor's warehouses,
// items with a category and a standard cost, stock movements (receipts,
// shipments, adjustments: a signed quantity on a date) and a month-end
// stock snapshot (quantity on hand and its value per item and
// warehouse). The data is deterministic: the same program writes the
// same bytes.
//
//	go run ./examples/inventory/gen/main.go [-out examples/inventory]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/inventory", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(8, 88))
	whs := [][]string{{"WH1", "Rotterdam Hub", "Netherlands"}, {"WH2", "Leipzig DC", "Germany"}, {"WH3", "Lyon Depot", "France"}}
	cats := []string{"Fasteners", "Adhesives", "Tools", "Safety", "Packaging"}
	var items [][]string
	cost := map[string]int{}
	for i := 1; i <= 60; i++ {
		id := fmt.Sprintf("ITM-%03d", i)
		c := 50 + r.IntN(5000)
		cost[id] = c
		items = append(items, []string{id, fmt.Sprintf("%s item %d", cats[i%len(cats)], i), cats[i%len(cats)], gencsv.Money(c)})
	}
	var moves, snaps [][]string
	onHand := map[string]int{}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	for ; day.Year() < 2026; day = day.AddDate(0, 0, 1) {
		for k := 0; k < 6; k++ {
			it := items[r.IntN(len(items))][0]
			wh := whs[r.IntN(len(whs))][0]
			key := it + "|" + wh
			kind, qty := "Receipt", 20+r.IntN(200)
			switch x := r.IntN(10); {
			case x < 5 && onHand[key] > 0:
				kind, qty = "Shipment", -min(onHand[key], 5+r.IntN(80))
			case x == 9:
				kind, qty = "Adjustment", -r.IntN(5)
			}
			if qty == 0 {
				continue
			}
			if onHand[key]+qty < 0 {
				qty = -onHand[key]
			}
			onHand[key] += qty
			n++
			moves = append(moves, []string{fmt.Sprintf("MV%06d", n), day.Format("2006-01-02"), it, wh, kind, fmt.Sprint(qty)})
		}
		if day.AddDate(0, 0, 1).Day() == 1 {
			for _, it := range items {
				for _, w := range whs {
					q := onHand[it[0]+"|"+w[0]]
					if q == 0 {
						continue
					}
					snaps = append(snaps, []string{day.Format("2006-01-02"), it[0], w[0], fmt.Sprint(q), gencsv.Money(q * cost[it[0]])})
				}
			}
		}
	}
	gencsv.Write(out, "warehouses.csv", []string{"warehouse_code", "warehouse_name", "country"}, whs)
	gencsv.Write(out, "items.csv", []string{"item_id", "item_name", "category", "standard_cost"}, items)
	gencsv.Write(out, "stock_movements.csv", []string{"movement_id", "movement_date", "item_id", "warehouse_code", "movement_type", "quantity"}, moves)
	gencsv.Write(out, "stock_snapshots.csv", []string{"snapshot_date", "item_id", "warehouse_code", "quantity_on_hand", "inventory_value"}, snaps)
}
