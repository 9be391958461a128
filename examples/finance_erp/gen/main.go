//go:build ignore

// Command gen writes the finance_erp example: a small ERP extract (general
// ledger journal lines, chart of accounts, cost centres kept as a type-2
// slowly changing dimension, vendors, customers, products, fiscal periods,
// currencies and monthly account balances) as CSV files, one per table.
// The data is deterministic: the same program writes the same bytes.
//
//	go run ./examples/finance_erp/gen/main.go [-out examples/finance_erp]
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

func main() {
	out := flag.String("out", "examples/finance_erp", "folder to write the CSV files to")
	flag.Parse()
	g := newGen()
	g.build()
	for _, t := range g.tables {
		if err := writeCSV(filepath.Join(*out, t.name+".csv"), t.header, t.rows); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "wrote %d tables to %s (%d GL lines)\n", len(g.tables), *out, len(g.gl))
}

type table struct {
	name   string
	header []string
	rows   [][]string
}

func writeCSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		f.Close()
		return err
	}
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// money formats cents as 1234.56.
func money(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

type account struct {
	code                   int
	name, typ, cat, normal string
}

var accounts = []account{
	{1000, "Petty Cash", "Asset", "Cash", "Debit"},
	{1100, "Bank - Operating", "Asset", "Cash", "Debit"},
	{1200, "Accounts Receivable", "Asset", "Receivables", "Debit"},
	{1300, "Inventory", "Asset", "Inventory", "Debit"},
	{1400, "Prepaid Expenses", "Asset", "Prepayments", "Debit"},
	{1500, "Fixed Assets", "Asset", "Fixed Assets", "Debit"},
	{1510, "Accumulated Depreciation", "Asset", "Fixed Assets", "Credit"},
	{2000, "Accounts Payable", "Liability", "Payables", "Credit"},
	{2100, "Accrued Liabilities", "Liability", "Accruals", "Credit"},
	{2200, "VAT Payable", "Liability", "Tax", "Credit"},
	{2500, "Long-term Debt", "Liability", "Debt", "Credit"},
	{3000, "Share Capital", "Equity", "Capital", "Credit"},
	{3100, "Retained Earnings", "Equity", "Retained Earnings", "Credit"},
	{4000, "Product Revenue", "Revenue", "Sales", "Credit"},
	{4100, "Service Revenue", "Revenue", "Sales", "Credit"},
	{4200, "Other Income", "Revenue", "Other Income", "Credit"},
	{5000, "Cost of Goods Sold", "Expense", "Cost of Sales", "Debit"},
	{5100, "Freight In", "Expense", "Cost of Sales", "Debit"},
	{6000, "Salaries and Wages", "Expense", "Personnel", "Debit"},
	{6100, "Payroll Taxes", "Expense", "Personnel", "Debit"},
	{6200, "Rent", "Expense", "Facilities", "Debit"},
	{6300, "Utilities", "Expense", "Facilities", "Debit"},
	{6400, "Software Subscriptions", "Expense", "Technology", "Debit"},
	{6500, "Travel", "Expense", "Travel and Entertainment", "Debit"},
	{6600, "Marketing Programs", "Expense", "Marketing", "Debit"},
	{6700, "Professional Fees", "Expense", "Professional Services", "Debit"},
	{6800, "Depreciation", "Expense", "Depreciation", "Debit"},
	{6900, "Bank Charges", "Expense", "Finance Costs", "Debit"},
	{7000, "Interest Expense", "Expense", "Finance Costs", "Debit"},
	{8000, "Income Tax Expense", "Expense", "Tax", "Debit"},
}

// A cost-centre version: the ERP keeps history, one row per version,
// valid_to inclusive, 9999-12-31 for the current version.
type ccVersion struct {
	code, name, dept, region string
	from, to                 string
}

const openEnd = "9999-12-31"

var costCenters = []ccVersion{
	{"CC100", "Corporate Finance", "Finance", "EMEA", "2023-01-01", "2024-09-30"},
	{"CC100", "Corporate Finance", "Finance", "Americas", "2024-10-01", openEnd},
	{"CC110", "Accounting", "Finance", "EMEA", "2023-01-01", openEnd},
	{"CC200", "Sales North America", "Sales", "Americas", "2023-01-01", "2024-06-30"},
	{"CC200", "Sales Americas", "Sales", "Americas", "2024-07-01", "2025-03-31"},
	{"CC200", "Sales Americas", "Commercial", "Americas", "2025-04-01", openEnd},
	{"CC210", "Sales Europe", "Sales", "EMEA", "2023-01-01", "2025-03-31"},
	{"CC210", "Sales Europe", "Commercial", "EMEA", "2025-04-01", openEnd},
	{"CC220", "Sales APAC", "Sales", "APAC", "2023-06-01", openEnd},
	{"CC300", "Operations", "Operations", "Americas", "2023-01-01", "2024-12-31"},
	{"CC300", "Operations and Supply", "Operations", "Americas", "2025-01-01", openEnd},
	{"CC310", "Warehouse and Logistics", "Operations", "EMEA", "2023-01-01", openEnd},
	{"CC400", "IT Infrastructure", "Technology", "EMEA", "2023-01-01", "2024-03-31"},
	{"CC400", "IT Infrastructure", "Technology", "Americas", "2024-04-01", "2025-06-30"},
	{"CC400", "IT and Security", "Technology", "Americas", "2025-07-01", openEnd},
	{"CC500", "Human Resources", "People", "EMEA", "2023-01-01", openEnd},
	{"CC600", "Marketing", "Marketing", "Americas", "2023-01-01", openEnd},
}

var currencies = []struct {
	code, name string
	decimals   int
	usdRate    float64 // fixed rate to the reporting currency
}{
	{"USD", "US Dollar", 2, 1},
	{"EUR", "Euro", 2, 1.08},
	{"GBP", "Pound Sterling", 2, 1.27},
	{"SEK", "Swedish Krona", 2, 0.095},
	{"CAD", "Canadian Dollar", 2, 0.74},
	{"JPY", "Japanese Yen", 0, 0.0067},
}

// Country → currency of business partners there.
var countryCurrency = map[string]string{"US": "USD", "GB": "GBP", "DE": "EUR", "FR": "EUR", "NL": "EUR", "IE": "EUR", "SE": "SEK", "CA": "CAD"}
var countries = []string{"US", "US", "US", "GB", "DE", "FR", "NL", "IE", "SE", "CA"}

type party struct{ id, name, country string }

type product struct {
	id, sku, name, category string
	price                   int64 // cents
}

type period struct {
	id         string
	start, end time.Time
}

type glLine struct {
	journal, line          int
	date                   time.Time
	period                 string
	account                int
	cc                     string
	vendor, customer, prod string
	debit, credit          int64
	currency, description  string
}

type gen struct {
	r         *rand.Rand
	tables    []table
	periods   []period
	vendors   []party
	customers []party
	products  []product
	gl        []glLine
	journal   int
}

func newGen() *gen { return &gen{r: rand.New(rand.NewPCG(2025, 7)), journal: 100000} }

func (g *gen) pick(n int) int { return g.r.IntN(n) }

func (g *gen) build() {
	g.buildPeriods()
	g.buildParties()
	g.buildProducts()
	g.buildGL()
	g.emit()
}

func (g *gen) buildPeriods() {
	// Fiscal year FY2025 runs July 2024 to June 2025; eighteen periods.
	for i := 0; i < 18; i++ {
		s := time.Date(2024, time.July+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		g.periods = append(g.periods, period{id: s.Format("2006-01"), start: s, end: s.AddDate(0, 1, -1)})
	}
}

var (
	vendorStems   = []string{"Apex", "Northwind", "Bluewater", "Granite", "Summit", "Harbor", "Ironbridge", "Lakeside", "Meridian", "Oakridge"}
	vendorKinds   = []string{"Office Supplies", "Logistics", "Software", "Consulting", "Facilities"}
	customerStems = []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent", "Hooli", "Vandelay"}
	customerKinds = []string{"Industries", "Holdings", "Retail", "Group", "Labs"}
	segments      = []string{"Enterprise", "Mid-Market", "SMB", "Public Sector"}
	terms         = []string{"NET15", "NET30", "NET30", "NET45", "NET60"}
)

func (g *gen) buildParties() {
	for i := 0; i < 40; i++ {
		g.vendors = append(g.vendors, party{
			id:      fmt.Sprintf("V%d", 1001+i),
			name:    vendorStems[i%len(vendorStems)] + " " + vendorKinds[(i/len(vendorStems)+i)%len(vendorKinds)],
			country: countries[g.pick(len(countries))],
		})
	}
	for i := 0; i < 60; i++ {
		g.customers = append(g.customers, party{
			id:      fmt.Sprintf("C%d", 2001+i),
			name:    customerStems[i%len(customerStems)] + " " + customerKinds[(i/len(customerStems))%len(customerKinds)],
			country: countries[g.pick(len(countries))],
		})
	}
}

func (g *gen) buildProducts() {
	cats := []struct {
		name  string
		items []string
		lo    int64
	}{
		{"Hardware", []string{"Edge Gateway", "Sensor Kit", "Rack Server", "Network Switch", "Storage Array", "Thin Client", "Docking Station"}, 20000},
		{"Software", []string{"Analytics Suite", "Ledger Pro", "Forecast Studio", "Close Manager", "Data Bridge Agent", "Audit Vault"}, 50000},
		{"Services", []string{"Implementation Day", "Training Day", "Premium Support", "Health Check", "Migration Package", "Managed Service"}, 90000},
		{"Accessories", []string{"Power Supply", "Cable Pack", "Mounting Kit", "Spare Battery", "Carry Case", "Adapter Set"}, 1500},
	}
	n := 0
	for _, c := range cats {
		for _, it := range c.items {
			n++
			g.products = append(g.products, product{
				id:       fmt.Sprintf("P%d", 3000+n),
				sku:      fmt.Sprintf("SKU-%05d", 10000+n*7),
				name:     it,
				category: c.name,
				price:    c.lo + int64(g.pick(40))*c.lo/20,
			})
		}
	}
}

// day picks a posting date inside a period.
func (g *gen) day(p period) time.Time { return p.start.AddDate(0, 0, g.pick(p.end.Day())) }

// post appends one balanced journal.
func (g *gen) post(p period, date time.Time, currency, desc string, lines []glLine) {
	g.journal++
	var dr, cr int64
	for i := range lines {
		l := &lines[i]
		l.journal, l.line, l.date, l.period, l.currency, l.description = g.journal, i+1, date, p.id, currency, desc
		dr += l.debit
		cr += l.credit
	}
	if dr != cr {
		log.Fatalf("journal %d does not balance: %d vs %d", g.journal, dr, cr)
	}
	g.gl = append(g.gl, lines...)
}

func (g *gen) buildGL() {
	salesCC := []string{"CC200", "CC210", "CC220"}
	expense := []struct {
		account int
		ccs     []string
	}{
		{6200, []string{"CC100", "CC310", "CC500"}},
		{6300, []string{"CC310", "CC300"}},
		{6400, []string{"CC400"}},
		{6500, []string{"CC200", "CC210", "CC220", "CC100"}},
		{6600, []string{"CC600"}},
		{6700, []string{"CC100", "CC110", "CC500"}},
		{5100, []string{"CC300", "CC310"}},
		{6900, []string{"CC110"}},
	}
	// Opening capital.
	p0 := g.periods[0]
	g.post(p0, p0.start, "USD", "Opening capital", []glLine{
		{account: 1100, cc: "CC110", debit: 50000000},
		{account: 3000, cc: "CC110", credit: 50000000},
	})
	g.post(p0, p0.start, "USD", "Fixed asset purchase", []glLine{
		{account: 1500, cc: "CC400", debit: 9600000},
		{account: 1100, cc: "CC110", credit: 9600000},
	})
	for _, p := range g.periods {
		var receivables []glLine // open invoices this period, for receipts
		for i := 0; i < 12; i++ {
			c := g.customers[g.pick(len(g.customers))]
			cur := countryCurrency[c.country]
			cc := salesCC[g.pick(len(salesCC))]
			nProd := 1 + g.pick(2)
			var lines []glLine
			var total, cost int64
			first := ""
			for k := 0; k < nProd; k++ {
				pr := g.products[g.pick(len(g.products))]
				if first == "" {
					first = pr.id
				}
				amt := pr.price * int64(30+g.pick(100))
				total += amt
				cost += amt * int64(45+g.pick(20)) / 100
				lines = append(lines, glLine{account: 4000, cc: cc, customer: c.id, prod: pr.id, credit: amt})
			}
			lines = append([]glLine{{account: 1200, cc: cc, customer: c.id, debit: total}}, lines...)
			lines = append(lines,
				glLine{account: 5000, cc: cc, prod: first, debit: cost},
				glLine{account: 1300, cc: "CC310", prod: first, credit: cost})
			g.post(p, g.day(p), cur, "Sales invoice "+c.name, lines)
			receivables = append(receivables, glLine{customer: c.id, debit: total, currency: cur})
		}
		for i := 0; i < 12; i++ {
			v := g.vendors[g.pick(len(g.vendors))]
			cur := countryCurrency[v.country]
			e := expense[g.pick(len(expense))]
			var lines []glLine
			var total int64
			for k := 0; k < 1+g.pick(2); k++ {
				amt := int64(5000 + g.pick(400000))
				total += amt
				lines = append(lines, glLine{account: e.account, cc: e.ccs[g.pick(len(e.ccs))], vendor: v.id, debit: amt})
			}
			lines = append(lines, glLine{account: 2000, cc: "CC110", vendor: v.id, credit: total})
			date := g.day(p)
			g.post(p, date, cur, "Vendor bill "+v.name, lines)
			if i < 8 {
				paid := date.AddDate(0, 0, 10)
				if paid.After(p.end) {
					paid = p.end
				}
				g.post(p, paid, cur, "Vendor payment "+v.name, []glLine{
					{account: 2000, cc: "CC110", vendor: v.id, debit: total},
					{account: 1100, cc: "CC110", vendor: v.id, credit: total},
				})
			}
		}
		for i := 0; i < 8; i++ {
			r := receivables[i]
			g.post(p, g.day(p), r.currency, "Customer receipt", []glLine{
				{account: 1100, cc: "CC110", customer: r.customer, debit: r.debit},
				{account: 1200, cc: "CC110", customer: r.customer, credit: r.debit},
			})
		}
		// Payroll: salaries per cost centre, taxes, paid from the bank.
		var lines []glLine
		var total int64
		for _, cc := range []string{"CC100", "CC110", "CC200", "CC210", "CC300", "CC400", "CC500"} {
			amt := int64(2500000 + g.pick(1500000))
			total += amt
			lines = append(lines, glLine{account: 6000, cc: cc, debit: amt})
		}
		tax := total / 8
		lines = append(lines, glLine{account: 6100, cc: "CC500", debit: tax}, glLine{account: 1100, cc: "CC110", credit: total + tax})
		g.post(p, p.end, "USD", "Payroll", lines)
		g.post(p, p.end, "USD", "Depreciation", []glLine{
			{account: 6800, cc: "CC400", debit: 200000},
			{account: 1510, cc: "CC400", credit: 200000},
		})
	}
}

func rate(code string) float64 {
	for _, c := range currencies {
		if c.code == code {
			return c.usdRate
		}
	}
	panic(code)
}

func (g *gen) emit() {
	add := func(name string, header []string, rows [][]string) {
		g.tables = append(g.tables, table{name, header, rows})
	}
	var rows [][]string
	for _, a := range accounts {
		rows = append(rows, []string{strconv.Itoa(a.code), a.name, a.typ, a.cat, a.normal})
	}
	add("chart_of_accounts", []string{"account_code", "account_name", "account_type", "account_category", "normal_balance"}, rows)

	rows = nil
	for _, c := range costCenters {
		rows = append(rows, []string{c.code, c.name, c.dept, c.region, c.from, c.to, strconv.FormatBool(c.to == openEnd)})
	}
	add("cost_centers", []string{"cost_center_code", "name", "department", "region", "valid_from", "valid_to", "is_current"}, rows)

	rows = nil
	for i, v := range g.vendors {
		rows = append(rows, []string{v.id, v.name, v.country, terms[i%len(terms)]})
	}
	add("vendors", []string{"vendor_id", "vendor_name", "country_code", "payment_terms"}, rows)

	rows = nil
	for i, c := range g.customers {
		limit := int64(1000000 * (1 + i%5) * (1 + i%3))
		rows = append(rows, []string{c.id, c.name, segments[i%len(segments)], c.country, money(limit)})
	}
	add("customers", []string{"customer_id", "customer_name", "segment", "country_code", "credit_limit"}, rows)

	rows = nil
	for _, p := range g.products {
		rows = append(rows, []string{p.id, p.sku, p.name, p.category, money(p.price)})
	}
	add("products", []string{"product_id", "sku", "product_name", "category", "unit_price"}, rows)

	rows = nil
	for _, p := range g.periods {
		fm := (int(p.start.Month())+5)%12 + 1 // July = fiscal month 1
		fy := p.start.Year()
		if p.start.Month() >= time.July {
			fy++
		}
		rows = append(rows, []string{p.id, strconv.Itoa(fy), strconv.Itoa((fm-1)/3 + 1), strconv.Itoa(int(p.start.Month())),
			p.start.Format("Jan 2006"), p.start.Format("2006-01-02"), p.end.Format("2006-01-02")})
	}
	add("periods", []string{"period_id", "fiscal_year", "fiscal_quarter", "month_number", "period_name", "period_start", "period_end"}, rows)

	rows = nil
	for _, c := range currencies {
		rows = append(rows, []string{c.code, c.name, strconv.Itoa(c.decimals)})
	}
	add("currencies", []string{"currency_code", "currency_name", "decimals"}, rows)

	rows = nil
	for _, l := range g.gl {
		rows = append(rows, []string{strconv.Itoa(l.journal), strconv.Itoa(l.line), l.date.Format("2006-01-02"), l.period,
			strconv.Itoa(l.account), l.cc, l.vendor, l.customer, l.prod, money(l.debit), money(l.credit), l.currency, l.description})
	}
	add("gl_journal_lines", []string{"journal_id", "line_no", "posting_date", "period_id", "account_code", "cost_center_code",
		"vendor_id", "customer_id", "product_id", "debit", "credit", "currency_code", "description"}, rows)

	// Monthly balances of the balance-sheet accounts in the reporting
	// currency (USD at fixed rates), debit positive, for every period.
	move := map[int]map[string]float64{}
	for _, l := range g.gl {
		if move[l.account] == nil {
			move[l.account] = map[string]float64{}
		}
		move[l.account][l.period] += float64(l.debit-l.credit) * rate(l.currency)
	}
	codes := make([]int, 0, len(accounts))
	for _, a := range accounts {
		if a.typ == "Asset" || a.typ == "Liability" || a.typ == "Equity" {
			codes = append(codes, a.code)
		}
	}
	sort.Ints(codes)
	rows = nil
	for _, code := range codes {
		var bal int64
		for _, p := range g.periods {
			open := bal
			bal += int64(move[code][p.id] + 0.5*sign(move[code][p.id]))
			rows = append(rows, []string{strconv.Itoa(code), p.id, money(open), money(bal)})
		}
	}
	add("monthly_balances", []string{"account_code", "period_id", "opening_balance", "closing_balance"}, rows)
}

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}
