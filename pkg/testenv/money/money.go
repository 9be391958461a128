// Package money proves that amounts stay exact end to end ("money is never
// a float"): its test puts a million cent amounts in a DECIMAL(18,2)
// column of each engine here (DuckDB always, PostgreSQL and MariaDB when
// their test URLs are set) and reads the one exact total back through every
// path that sums amounts: `databridge sql` (connections.Service.Query), the
// hierarchy rollup and the hierarchy validation's unmapped amounts
// (hierarchy.Service), and the ties_out reconciliation check of the
// post-deploy suite (validate.Run, what deploy and validate run).
//
// The amounts are a deterministic pseudo-random formula of the row number,
// generated inside each engine, so the expected total is computed here
// independently, in integer cents.
package money

import (
	"fmt"
)

// Rows is how many amounts the test sums.
const Rows = 1_000_000

// Cents is the amount of row i (1-based), in cents: spread over
// -500.00..500.02, so a float sum of them drifts.
func Cents(i int64) int64 { return (i*7919)%100003 - 50000 }

// CentsSQL is Cents as SQL over a BIGINT column i (the same expression in
// every engine here).
const CentsSQL = "((i * 7919) % 100003 - 50000)"

// Account is the account code of row i: 100 codes, 4000..4099.
func Account(i int64) string { return fmt.Sprint(4000 + i%100) }

// AccountSQL is Account as SQL over i, before the cast to text.
const AccountSQL = "(4000 + i % 100)"

// Total is the exact sum of the first n amounts as decimal text with two
// decimals ("-1234.05").
func Total(n int64) string {
	var c int64
	for i := int64(1); i <= n; i++ {
		c += Cents(i)
	}
	return FormatCents(c)
}

// FormatCents writes cents as decimal text with two decimals.
func FormatCents(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// FloatTotal is the sum of the first n amounts added as float64, as a
// program that reads amounts as floats would add them.
func FloatTotal(n int64) float64 {
	var f float64
	for i := int64(1); i <= n; i++ {
		f += float64(Cents(i)) / 100
	}
	return f
}
