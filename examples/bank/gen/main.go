//go:build ignore

// Command gen writes the bank example: three branches, 48 customers, 80
// accounts (checking, savings, business checking; opened 2022–2024),
// their transactions of 2024 and 2025 (deposits, withdrawals, card
// payments, fees) and each account's balance at every month end, as CSV
// files, one per table. The data is deterministic: the same program
// writes the same bytes.
//
//	go run ./examples/bank/gen/main.go [-out examples/bank]
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/databridge/databridge/examples/internal/gencsv"
)

func main() {
	flagOut := flag.String("out", "examples/bank", "folder to write the CSV files to")
	flag.Parse()
	out := *flagOut
	r := rand.New(rand.NewPCG(21, 4))
	branches := [][]string{{"B1", "Downtown", "North"}, {"B2", "Harborside", "South"}, {"B3", "Airport", "North"}}
	gencsv.Write(out, "branches.csv", []string{"branch_id", "branch_name", "district"}, branches)
	var cust [][]string
	fn := []string{"Alice", "Bruno", "Chloe", "Dev", "Elena", "Farid", "Greta", "Hugo"}
	ln := []string{"Novak", "Ito", "Moreau", "Patel", "Silva", "Weber"}
	for i := 0; i < 48; i++ {
		cust = append(cust, []string{fmt.Sprintf("CU%03d", i+1), fn[i%8] + " " + ln[(i/8)%6], []string{"Retail", "Private", "Business"}[r.IntN(3)], branches[r.IntN(3)][0]})
	}
	gencsv.Write(out, "customers.csv", []string{"customer_id", "customer_name", "customer_segment", "home_branch_id"}, cust)
	var acc [][]string
	for i := 0; i < 80; i++ {
		acc = append(acc, []string{fmt.Sprintf("AC%04d", i+1), cust[r.IntN(48)][0], []string{"Checking", "Savings", "Business Checking"}[r.IntN(3)], time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(900)).Format(time.DateOnly)})
	}
	gencsv.Write(out, "accounts.csv", []string{"account_id", "customer_id", "account_type", "opened_date"}, acc)
	var tx, bal [][]string
	n := 1
	for _, a := range acc {
		b := 1000000 + r.IntN(4000000)
		for m := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); m.Year() < 2026; m = m.AddDate(0, 1, 0) {
			for k := 0; k < 2+r.IntN(4); k++ {
				d := m.AddDate(0, 0, r.IntN(28))
				typ := []string{"Deposit", "Deposit", "Withdrawal", "Card Payment", "Fee"}[r.IntN(5)]
				amt := 1000 + r.IntN(200000)
				if typ == "Fee" {
					amt = 500 + r.IntN(2000)
				}
				if typ != "Deposit" {
					b -= amt
				} else {
					b += amt
				}
				tx = append(tx, []string{fmt.Sprintf("T%06d", n), a[0], d.Format(time.DateOnly), typ, gencsv.Money(amt)})
				n++
			}
			bal = append(bal, []string{m.AddDate(0, 1, -1).Format(time.DateOnly), a[0], gencsv.Money(b)})
		}
	}
	gencsv.Write(out, "transactions.csv", []string{"transaction_id", "account_id", "transaction_date", "transaction_type", "amount"}, tx)
	gencsv.Write(out, "monthly_balances.csv", []string{"month_end", "account_id", "closing_balance"}, bal)
}
