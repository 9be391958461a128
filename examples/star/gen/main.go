//go:build ignore

// Command gen writes the star example: a Kimball star as a source — a
// date dimension keyed by an integer yyyymmdd date_key, product and store
// dimensions, and 8,000 sales rows referencing them by key — with the
// tables named dim_* and fact_*, as CSV files, one per table. The data is
// deterministic: the same program writes the same bytes.
//
//	go run ./examples/star/gen/main.go [-out examples/star]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/star", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(59, 19))
	d0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var dates [][]string
	for i := 0; i < 731; i++ {
		d := d0.AddDate(0, 0, i)
		dates = append(dates, []string{d.Format("20060102"), d.Format(time.DateOnly), fmt.Sprint(d.Year()), fmt.Sprint((int(d.Month())-1)/3 + 1), fmt.Sprint(int(d.Month())), d.Month().String(), d.Weekday().String()})
	}
	gencsv.Write(out, "dim_date.csv", []string{"date_key", "full_date", "year", "quarter", "month", "month_name", "day_of_week"}, dates)
	var prods [][]string
	for i := 1; i <= 40; i++ {
		prods = append(prods, []string{fmt.Sprint(i), fmt.Sprintf("Product %d", i), []string{"Toys", "Books", "Garden", "Kitchen"}[i%4], []string{"Acme", "Zenith", "Nova"}[i%3]})
	}
	gencsv.Write(out, "dim_product.csv", []string{"product_key", "product_name", "category", "brand"}, prods)
	var stores [][]string
	for i := 1; i <= 8; i++ {
		stores = append(stores, []string{fmt.Sprint(i), fmt.Sprintf("Store %d", i), []string{"Boston", "Denver", "Austin", "Seattle"}[i%4], []string{"East", "West", "South", "West"}[i%4]})
	}
	gencsv.Write(out, "dim_store.csv", []string{"store_key", "store_name", "city", "region"}, stores)
	var sales [][]string
	for i := 1; i <= 8000; i++ {
		d := d0.AddDate(0, 0, r.IntN(731))
		q := 1 + r.IntN(5)
		amt := q * (500 + r.IntN(4501))
		disc := 0
		if r.IntN(3) == 0 {
			disc = amt / 10
		}
		sales = append(sales, []string{fmt.Sprint(i), d.Format("20060102"), fmt.Sprint(1 + r.IntN(40)), fmt.Sprint(1 + r.IntN(8)), fmt.Sprint(q), gencsv.Money(amt), gencsv.Money(disc)})
	}
	gencsv.Write(out, "fact_sales.csv", []string{"sale_id", "date_key", "product_key", "store_key", "quantity", "sales_amount", "discount_amount"}, sales)
}
