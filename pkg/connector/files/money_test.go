package files

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connector"
)

// Formatted amounts are read as exact decimals — by a trusted session
// from its cache entry, by a sandboxed one from the file, and without a
// cache — and every column that is not one amount in one convention and
// one currency stays as the sniffer read it.
func TestFormattedAmounts(t *testing.T) {
	p := newCacheProject(t)
	p.write(t, "us.csv", "id,amount,balance,coded,zero_dash,trail_minus,iso\n"+
		"1,\"$1,234.56\",\"1,234.56\",USD 1.50,-,\"1,234.56-\",\"USD 1,200.00\"\n"+
		"2,\"($500.00)\",(500.00),USD 2.00, - ,10.00,\"1,200.00 USD\"\n"+
		"3,\"$12,000.00\",\"12,000.00\",USD -3.25,7.5,0.01-,USD 3\n"+
		"4,-$3.10,-3.10,,1.25,5,\n")
	p.write(t, "eu.csv", "id;betrag;saldo;rund\n"+
		"1;1.234,56;1 234,5;12\n"+
		"2;-500,00;-0,75;\n"+
		"3;12.000,00 €;7,125;-4\n")
	// Not amounts, or not one convention / one currency: text stays text.
	p.write(t, "not.csv", "id,name,mixed_ccy,ambiguous,code,pct,sku,na,twice,dashes,zip\n"+
		"1,Acme,$5.00,\"1,234\",007,12.5%,ABC 123,10.00,$$5,-,02134\n"+
		"2,Beta,€5.00,\"5,678\",012,3%,ABC 124,n/a,$6,,12345-6789\n")
	// A row far past the first pass's sample that is not an amount.
	var late strings.Builder
	late.WriteString("id,amount\n")
	for i := 1; i <= 3000; i++ {
		fmt.Fprintf(&late, "%d,\"$%d,%03d.%02d\"\n", i, i%97+1, i%1000, i%100)
	}
	late.WriteString("3001,see note\n")
	p.write(t, "late.csv", late.String())

	want := map[string]map[string]string{
		"us": {"amount": "DECIMAL(18,2)", "balance": "DECIMAL(18,2)", "coded": "DECIMAL(18,2)", "zero_dash": "DECIMAL(18,2)",
			"trail_minus": "DECIMAL(18,2)", "iso": "DECIMAL(18,2)"},
		"eu":   {"betrag": "DECIMAL(18,2)", "saldo": "DECIMAL(18,3)", "rund": "BIGINT"},
		"not":  {"name": "VARCHAR", "mixed_ccy": "VARCHAR", "ambiguous": "VARCHAR", "pct": "VARCHAR", "sku": "VARCHAR", "na": "VARCHAR", "twice": "VARCHAR", "dashes": "VARCHAR", "zip": "VARCHAR"},
		"late": {"amount": "VARCHAR"},
	}
	sums := map[string]string{
		"SELECT sum(amount) FROM us":                                          "12731.46",
		"SELECT sum(balance) FROM us":                                         "12731.46",
		"SELECT sum(coded) FROM us":                                           "0.25",
		"SELECT sum(zero_dash) FROM us":                                       "8.75",
		"SELECT sum(trail_minus) FROM us":                                     "-1219.57",
		"SELECT sum(iso) FROM us":                                             "2403.00",
		"SELECT sum(betrag) FROM eu":                                          "12734.56",
		"SELECT sum(saldo) FROM eu":                                           "1240.875",
		"SELECT string_agg(CAST(amount AS VARCHAR), '|' ORDER BY id) FROM us": "1234.56|-500.00|12000.00|-3.10",
		"SELECT count(*) FROM us WHERE coded IS NULL":                         "1",
		"SELECT min(zero_dash) FROM us":                                       "0.00",
	}
	check := func(name string, c connector.Connector) {
		t.Helper()
		for table, cols := range want {
			d, err := c.Describe(context.Background(), "", table)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got := columnTypes(d)
			for col, typ := range cols {
				if got[col] != typ {
					t.Errorf("%s: %s.%s is %s, want %s", name, table, col, got[col], typ)
				}
			}
			// Describe says how the file writes each amount (a deploy's
			// staging converts it the same way).
			for _, c := range d.Columns {
				want := ""
				if strings.HasPrefix(cols[c.Name], "DECIMAL") {
					want = map[string]string{"us": "us", "eu": "eu"}[table]
				}
				if c.Format != want {
					t.Errorf("%s: %s.%s format %q, want %q", name, table, c.Name, c.Format, want)
				}
			}
		}
		for q, w := range sums {
			rows := query(t, c, q)
			got := fmt.Sprint(rows[0][0])
			if d, ok := rows[0][0].(decimal.Decimal); ok {
				got = d.String()
				if wd := decimal.RequireFromString(w); !d.Equal(wd) {
					t.Errorf("%s: %s = %s, want %s", name, q, got, w)
				}
				continue
			}
			if got != w {
				t.Errorf("%s: %s = %v (%T), want %s", name, q, rows[0][0], rows[0][0], w)
			}
		}
	}
	check("trusted, cache cold", p.open(t, false))
	check("trusted, cache warm", p.open(t, false))
	check("sandboxed", p.open(t, true))
	check("no cache", openFiles(t, connector.Config{Path: p.data}))
}

// The first pass rejects a text column of names on its first rows.
func TestMoneyPatterns(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		v      string
		us, eu bool
	}{
		{"$1,234.56", true, false}, {"1.234,56", false, true}, {"(1,234.56)", true, false}, {"$(1,234.56)", true, false}, {"($1,234.56)", true, false},
		{"1,234", true, true}, {"1234", true, true}, {"-", true, true}, {"€ 1.234,56", false, true},
		{"1 234,56", false, true}, {"1234.5-", true, false}, {"007", false, false}, {"Acme", false, false},
		{"12.5%", false, false}, {"ABC 123", false, false}, {"1,23,456", false, false},
		{"USD 5", true, true}, {"5 GBP", true, true}, {"XYZ 5", false, false}, {"", false, false},
	} {
		var us, eu bool
		if err := db.QueryRow("SELECT regexp_full_match(?, ?), regexp_full_match(?, ?)", tc.v, usAmount, tc.v, euAmount).Scan(&us, &eu); err != nil {
			t.Fatal(err)
		}
		if us != tc.us || eu != tc.eu {
			t.Errorf("%q: us %v eu %v, want %v %v", tc.v, us, eu, tc.us, tc.eu)
		}
	}
}
