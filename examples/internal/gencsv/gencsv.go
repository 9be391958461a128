// Package gencsv holds what the example generators (examples/*/gen) share:
// writing a table as a CSV file and writing an amount of cents as a
// decimal.
package gencsv

import (
	"encoding/csv"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

// Money writes cents as a decimal with two places ("-7.50" for -750).
func Money(cents int) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// Write writes the header and rows to dir/name, and stops the program on
// an error (the generators are command-line tools).
func Write(dir, name string, header []string, rows [][]string) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		log.Fatal(err)
	}
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		log.Fatal(err)
	}
	if err := w.WriteAll(rows); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
