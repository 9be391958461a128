//go:build ignore

// Command gen writes the wholesale example: an electrical wholesaler's
// extract (products, customers, vendors, the customers' sales orders, the
// purchase orders raised with vendors to restock, and the stock on hand
// of each product at each month end) as CSV files, one per table. Orders
// run from January 2024 to December 2025 on a calendar fiscal year. The
// data is deterministic: the same program writes the same bytes.
//
//	go run ./examples/wholesale/gen/main.go [-out examples/wholesale]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

type product struct {
	id, name, category string
	cost, price        int // cents
}

var (
	products = []product{{"P01", "Steel Bolt", "Fasteners", 40, 110}, {"P02", "Copper Wire", "Electrical", 300, 650},
		{"P03", "LED Panel", "Lighting", 2200, 4900}, {"P04", "Circuit Breaker", "Electrical", 1400, 3100},
		{"P05", "Wall Anchor", "Fasteners", 20, 70}, {"P06", "Flood Light", "Lighting", 3500, 7900},
		{"P07", "PVC Conduit", "Electrical", 210, 490}, {"P08", "Hex Nut", "Fasteners", 10, 35}}
	customers = [][]string{{"C001", "Apex Builders", "North", "Contractor"}, {"C002", "Brightline Electric", "South", "Contractor"},
		{"C003", "Cedar Homes", "West", "Contractor"}, {"C004", "Dunmore Utilities", "North", "Utility"},
		{"C005", "Eastgate Hardware", "South", "Retailer"}, {"C006", "Foxridge Contractors", "West", "Contractor"},
		{"C007", "Glenwood Supply", "North", "Retailer"}, {"C008", "Hilltop Electric", "South", "Utility"},
		{"C009", "Ironwood Homes", "West", "Contractor"}, {"C010", "Jasper Retail", "North", "Retailer"}}
	vendors = [][]string{{"V1", "Nordic Metals", "SE"}, {"V2", "Shenzhen Lighting Co", "CN"}, {"V3", "Ohio Wire Works", "US"}, {"V4", "Bavaria Elektro", "DE"}}
)

func main() {
	out := flag.String("out", "examples/wholesale", "folder to write the CSV files to")
	flag.Parse()
	r := rand.New(rand.NewPCG(2026, 7))
	var prows [][]string
	for _, p := range products {
		prows = append(prows, []string{p.id, p.name, p.category, gencsv.Money(p.cost), gencsv.Money(p.price)})
	}
	gencsv.Write(*out, "products.csv", []string{"product_id", "product_name", "product_category", "unit_cost", "list_price"}, prows)
	gencsv.Write(*out, "customers.csv", []string{"customer_id", "customer_name", "region", "customer_type"}, customers)
	gencsv.Write(*out, "vendors.csv", []string{"vendor_id", "vendor_name", "vendor_country"}, vendors)
	onHand := map[string]int{}
	for _, p := range products {
		onHand[p.id] = 1000
	}
	var sales, pos, stock [][]string
	for d := day(2024, 1, 1); d.Before(day(2026, 1, 1)); d = d.AddDate(0, 0, 1) {
		for k := 1 + r.IntN(5); k > 0; k-- {
			p := products[r.IntN(len(products))]
			q := 10 + r.IntN(391)
			amount := q * p.price * (900 + r.IntN(101)) / 1000 // up to 10% off list
			sales = append(sales, []string{fmt.Sprintf("SO%05d", len(sales)+1), customers[r.IntN(len(customers))][0], p.id, d.Format(time.DateOnly), fmt.Sprint(q), gencsv.Money(amount)})
			onHand[p.id] -= q
		}
		if d.Weekday() == time.Monday {
			for _, p := range products {
				if onHand[p.id] >= 1500 {
					continue
				}
				v := map[string]string{"Fasteners": "V1", "Lighting": "V2"}[p.category]
				if v == "" {
					v = []string{"V3", "V4"}[r.IntN(2)]
				}
				pos = append(pos, []string{fmt.Sprintf("PO%05d", len(pos)+1), v, p.id, d.Format(time.DateOnly), "2500", gencsv.Money(2500 * p.cost)})
				onHand[p.id] += 2500
			}
		}
		if d.AddDate(0, 0, 1).Day() == 1 {
			for _, p := range products {
				stock = append(stock, []string{d.Format(time.DateOnly), p.id, fmt.Sprint(onHand[p.id]), gencsv.Money(onHand[p.id] * p.cost)})
			}
		}
	}
	gencsv.Write(*out, "sales_orders.csv", []string{"order_id", "customer_id", "product_id", "order_date", "quantity", "sales_amount"}, sales)
	gencsv.Write(*out, "purchase_orders.csv", []string{"po_id", "vendor_id", "product_id", "po_date", "quantity", "po_amount"}, pos)
	gencsv.Write(*out, "inventory_snapshots.csv", []string{"snapshot_date", "product_id", "on_hand_qty", "on_hand_value"}, stock)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
