//go:build ignore

// Command gen writes the ecommerce example: an online shop's order
// extract (products, customers, order headers, their lines and the
// returns of lines) as CSV files, one per table. The order lines have no
// date of their own: it is on their order. Orders run from January 2024
// to December 2025 on a calendar fiscal year. The data is deterministic:
// the same program writes the same bytes.
//
//	go run ./examples/ecommerce/gen/main.go [-out examples/ecommerce]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

type product struct {
	sku, name, category string
	price               int // whole units
}

func main() {
	out := flag.String("out", "examples/ecommerce", "folder to write the CSV files to")
	flag.Parse()
	r := rand.New(rand.NewPCG(2026, 11))
	var products []product
	for _, c := range []struct {
		category string
		names    []string
	}{{"Shoes", []string{"Trail Runner", "City Sneaker", "Hiking Boot"}}, {"Apparel", []string{"Rain Jacket", "Wool Sweater", "Base Layer"}},
		{"Gear", []string{"Daypack", "Headlamp", "Water Bottle"}}} {
		for _, n := range c.names {
			products = append(products, product{fmt.Sprintf("SKU%03d", len(products)+1), n, c.category, []int{19, 29, 49, 79, 129, 189}[r.IntN(6)]})
		}
	}
	var prows [][]string
	for _, p := range products {
		prows = append(prows, []string{p.sku, p.name, p.category, gencsv.Money(p.price * 100)})
	}
	gencsv.Write(*out, "products.csv", []string{"sku", "product_name", "category", "unit_price"}, prows)
	first := []string{"Alex", "Sam", "Jo", "Max", "Kim", "Lee", "Pat", "Ray"}
	last := []string{"Stone", "Brook", "Hill", "Field", "Wood", "Lake"}
	var crows [][]string
	for i := 1; i <= 300; i++ {
		crows = append(crows, []string{fmt.Sprintf("CU%04d", i), first[r.IntN(len(first))] + " " + last[r.IntN(len(last))],
			[]string{"US", "CA", "UK", "DE"}[r.IntN(4)], []string{"web", "app", "marketplace"}[r.IntN(3)]})
	}
	gencsv.Write(*out, "customers.csv", []string{"customer_id", "customer_name", "country", "acquisition_channel"}, crows)
	var orders, items, returns [][]string
	for d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2026; d = d.AddDate(0, 0, 1) {
		for k := 3 + r.IntN(10); k > 0; k-- {
			oid := fmt.Sprintf("O%06d", len(orders)+1)
			total := 0
			for n := 1 + r.IntN(4); n > 0; n-- {
				p := products[r.IntN(len(products))]
				q := 1 + r.IntN(3)
				lid := fmt.Sprintf("OI%06d", len(items)+1)
				items = append(items, []string{lid, oid, p.sku, fmt.Sprint(q), gencsv.Money(q * p.price * 100)})
				total += q * p.price
				if r.IntN(100) < 6 {
					returns = append(returns, []string{fmt.Sprintf("R%05d", len(returns)+1), lid, d.AddDate(0, 0, 3+r.IntN(28)).Format(time.DateOnly), "1",
						gencsv.Money(p.price * 100), []string{"damaged", "wrong size", "changed mind"}[r.IntN(3)]})
				}
			}
			shipping := 795
			if total > 100 {
				shipping = 0
			}
			status := "completed"
			if r.IntN(4) == 0 {
				status = "cancelled"
			}
			orders = append(orders, []string{oid, crows[r.IntN(len(crows))][0], d.Format(time.DateOnly), status, gencsv.Money(total * 100), gencsv.Money(shipping)})
		}
	}
	gencsv.Write(*out, "orders.csv", []string{"order_id", "customer_id", "order_date", "order_status", "order_total", "shipping_fee"}, orders)
	gencsv.Write(*out, "order_items.csv", []string{"order_item_id", "order_id", "sku", "quantity", "line_amount"}, items)
	gencsv.Write(*out, "returns.csv", []string{"return_id", "order_item_id", "return_date", "quantity", "refund_amount", "reason"}, returns)
}
