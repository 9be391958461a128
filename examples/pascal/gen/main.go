//go:build ignore

// Command gen writes the pascal example: an order-entry source in the
// style of Northwind, with PascalCase names (CustomerID, UnitPrice,
// OrderDate) — categories, products, customers, employees, 1,500 orders
// with freight, and their details of a unit price, a quantity and a
// discount rate (0 to 0.10) but no line amount — as CSV files, one per
// table. The data is deterministic: the same program writes the same
// bytes.
//
//	go run ./examples/pascal/gen/main.go [-out examples/pascal]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/pascal", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(61, 23))
	cats := []string{"Beverages", "Condiments", "Confections", "Dairy Products", "Seafood"}
	var catRows [][]string
	for i, c := range cats {
		catRows = append(catRows, []string{fmt.Sprint(i + 1), c})
	}
	gencsv.Write(out, "Categories.csv", []string{"CategoryID", "CategoryName"}, catRows)
	kinds := []string{"Chai", "Syrup", "Chocolate", "Cheese", "Crab"}
	type product struct {
		id, cat, price int
		name           string
	}
	var prods []product
	var prodRows [][]string
	for i := 1; i <= 30; i++ {
		p := product{id: i, cat: 1 + i%5, price: 500 + r.IntN(5500), name: fmt.Sprintf("%s No. %d", kinds[i%5], i)}
		prods = append(prods, p)
		prodRows = append(prodRows, []string{fmt.Sprint(p.id), p.name, fmt.Sprint(p.cat), gencsv.Money(p.price)})
	}
	gencsv.Write(out, "Products.csv", []string{"ProductID", "ProductName", "CategoryID", "UnitPrice"}, prodRows)
	countries := []string{"Germany", "France", "USA", "UK", "Brazil"}
	cities := []string{"Berlin", "Paris", "Seattle", "London", "Rio de Janeiro"}
	var custRows [][]string
	for i := 1; i <= 60; i++ {
		custRows = append(custRows, []string{fmt.Sprintf("C%03d", i), fmt.Sprintf("Company %d", i), countries[i%5], cities[i%5]})
	}
	gencsv.Write(out, "Customers.csv", []string{"CustomerID", "CompanyName", "Country", "City"}, custRows)
	var empRows [][]string
	for i := 1; i <= 7; i++ {
		empRows = append(empRows, []string{fmt.Sprint(i), []string{"Davolio", "Fuller", "Leverling", "Peacock", "Buchanan", "Suyama", "King"}[i-1], []string{"Sales Representative", "Sales Manager"}[i%2]})
	}
	gencsv.Write(out, "Employees.csv", []string{"EmployeeID", "LastName", "Title"}, empRows)
	var orders, details [][]string
	d0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for o := 10248; o < 10248+1500; o++ {
		d := d0.AddDate(0, 0, r.IntN(731))
		orders = append(orders, []string{fmt.Sprint(o), custRows[r.IntN(60)][0], fmt.Sprint(1 + r.IntN(7)), d.Format(time.DateOnly), d.AddDate(0, 0, 1+r.IntN(10)).Format(time.DateOnly), gencsv.Money(100 + r.IntN(20000)), countries[r.IntN(5)]})
		for _, k := range r.Perm(30)[:1+r.IntN(4)] {
			p := prods[k]
			details = append(details, []string{fmt.Sprint(o), fmt.Sprint(p.id), gencsv.Money(p.price), fmt.Sprint(1 + r.IntN(40)), []string{"0", "0", "0.05", "0.1"}[r.IntN(4)]})
		}
	}
	gencsv.Write(out, "Orders.csv", []string{"OrderID", "CustomerID", "EmployeeID", "OrderDate", "ShippedDate", "Freight", "ShipCountry"}, orders)
	gencsv.Write(out, "OrderDetails.csv", []string{"OrderID", "ProductID", "UnitPrice", "Quantity", "Discount"}, details)
}
