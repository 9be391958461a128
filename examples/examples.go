// Package examples embeds the example sources so the binary can lay them
// out for `databridge quickstart` without the repository at hand.
package examples

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed finance_erp/*.csv finance_erp/README.md
var files embed.FS

// FinanceERP is the finance ERP example (three fiscal years of GL journal
// lines, chart of accounts, SCD-2 cost centres, vendors, customers,
// products, periods, currencies, exchange rates, monthly balances). The
// FY2026 budget (examples/finance_budget) is not embedded.
func FinanceERP() fs.FS {
	sub, err := fs.Sub(files, "finance_erp")
	if err != nil {
		panic(err)
	}
	return sub
}

// WriteFinanceERP copies the example's files into dir (created if needed)
// and returns the paths written. Existing files are left as they are.
func WriteFinanceERP(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []string
	src := FinanceERP()
	entries, err := fs.ReadDir(src, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		dst := filepath.Join(dir, e.Name())
		if _, err := os.Stat(dst); err == nil {
			out = append(out, dst)
			continue
		}
		data, err := fs.ReadFile(src, e.Name())
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return nil, err
		}
		out = append(out, dst)
	}
	return out, nil
}
