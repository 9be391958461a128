//go:build ignore

// Command gen writes the finance_erp example: an ERP extract of three
// fiscal years (general ledger journal lines, chart of accounts, cost
// centres kept as a type-2 slowly changing dimension, vendors, customers,
// products, fiscal periods, currencies, monthly exchange rates and monthly
// account balances) as CSV files, one per table, and the budget of the
// latest fiscal year (examples/finance_budget). The data is deterministic:
// the same program writes the same bytes.
//
//	go run ./examples/finance_erp/gen/main.go [-out examples/finance_erp] [-budget-out examples/finance_budget]
//
// The business behind it: a US company (reporting currency USD) selling
// hardware, software, services and accessories in the Americas, Europe
// and Asia-Pacific, fiscal year from July (named by the year it ends).
// Revenue grows about 13% a year with a seasonal shape (a summer dip, a
// calendar year-end bump, the fiscal year-end June peak); cost of sales
// follows revenue by product mix; operating expenses have their own
// patterns (payroll with a July merit increase and a June bonus, rent
// fixed by lease with January escalations, seasonal utilities, travel
// following sales, marketing campaigns in October and April, audit fees
// in August and September). Two one-offs: acquisition due-diligence fees
// in February 2024 and a product-launch campaign in March 2025.
//
// Amounts are in the transaction currency of each journal (currency_code):
// sales invoices in the customer's currency, vendor bills in the vendor's,
// payroll in the currency of the cost centre's region; the business is
// planned in USD and converted at the period's rate (exchange_rates.csv,
// USD per unit). The budget is in USD.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

func main() {
	out := flag.String("out", "examples/finance_erp", "folder to write the ERP CSV files to")
	budgetOut := flag.String("budget-out", "examples/finance_budget", "folder to write the budget CSV to")
	flag.Parse()
	g := newGen()
	g.build()
	for _, t := range g.tables {
		if err := writeCSV(filepath.Join(*out, t.name+".csv"), t.header, t.rows); err != nil {
			log.Fatal(err)
		}
	}
	if err := os.MkdirAll(*budgetOut, 0o755); err != nil {
		log.Fatal(err)
	}
	b := g.budget()
	if err := writeCSV(filepath.Join(*budgetOut, b.name+".csv"), b.header, b.rows); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %d tables to %s (%d GL lines, %d journals) and %s (%d rows)\n",
		len(g.tables), *out, len(g.gl), g.journal-firstJournal, filepath.Join(*budgetOut, b.name+".csv"), len(b.rows))
	g.report()
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

// cents rounds a float amount in units to whole cents, half away from zero.
func cents(units float64) int64 { return int64(math.Round(units * 100)) }

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
	{"CC220", "Sales APAC", "Sales", "APAC", "2023-06-01", "2025-03-31"},
	{"CC220", "Sales Asia Pacific", "Commercial", "APAC", "2025-04-01", openEnd},
	{"CC300", "Operations", "Operations", "Americas", "2023-01-01", "2024-12-31"},
	{"CC300", "Operations and Supply", "Operations", "Americas", "2025-01-01", openEnd},
	{"CC310", "Warehouse and Logistics", "Operations", "EMEA", "2023-01-01", openEnd},
	{"CC400", "IT Infrastructure", "Technology", "EMEA", "2023-01-01", "2024-03-31"},
	{"CC400", "IT Infrastructure", "Technology", "Americas", "2024-04-01", "2025-06-30"},
	{"CC400", "IT and Security", "Technology", "Americas", "2025-07-01", openEnd},
	{"CC500", "Human Resources", "People", "EMEA", "2023-01-01", openEnd},
	{"CC600", "Marketing", "Marketing", "Americas", "2023-01-01", openEnd},
}

// region is the region of a cost centre's version valid on date.
func region(cc string, date time.Time) string {
	d := date.Format("2006-01-02")
	for _, v := range costCenters {
		if v.code == cc && v.from <= d && d <= v.to {
			return v.region
		}
	}
	log.Fatalf("no version of %s on %s", cc, d)
	return ""
}

var currencies = []struct {
	code, name string
	decimals   int
	// anchors are USD per unit at the fxMonths (linear in between): near
	// the monthly averages of the time, not quotes.
	anchors []float64
}{
	{"USD", "US Dollar", 2, nil},
	{"EUR", "Euro", 2, []float64{1.106, 1.056, 1.091, 1.073, 1.084, 1.111, 1.035, 1.081, 1.128, 1.168, 1.163, 1.170, 1.178}},
	{"GBP", "Pound Sterling", 2, []float64{1.286, 1.217, 1.271, 1.252, 1.286, 1.323, 1.237, 1.291, 1.336, 1.350, 1.335, 1.345, 1.352}},
	{"SEK", "Swedish Krona", 2, []float64{0.0952, 0.0905, 0.0962, 0.0925, 0.0942, 0.0975, 0.0905, 0.0985, 0.1035, 0.1045, 0.1060, 0.1075, 0.1082}},
	{"CAD", "Canadian Dollar", 2, []float64{0.756, 0.730, 0.742, 0.733, 0.730, 0.738, 0.696, 0.699, 0.720, 0.731, 0.715, 0.722, 0.727}},
	{"JPY", "Japanese Yen", 0, []float64{0.00707, 0.00668, 0.00683, 0.00650, 0.00636, 0.00700, 0.00641, 0.00670, 0.00690, 0.00677, 0.00660, 0.00645, 0.00652}},
}

// fxMonths are the period indexes (0 = 2023-07) of the rate anchors.
var fxMonths = []int{0, 3, 6, 9, 12, 14, 18, 20, 22, 24, 27, 30, 35}

// Country → currency of business partners there.
var countryCurrency = map[string]string{"US": "USD", "GB": "GBP", "DE": "EUR", "FR": "EUR", "NL": "EUR", "IE": "EUR", "SE": "SEK", "CA": "CAD"}

type weighted struct {
	country string
	w       float64
}

var (
	customerCountries = []weighted{{"US", 46}, {"CA", 9}, {"GB", 12}, {"DE", 10}, {"FR", 7}, {"NL", 6}, {"IE", 4}, {"SE", 6}}
	vendorCountries   = []weighted{{"US", 50}, {"CA", 7}, {"GB", 10}, {"DE", 8}, {"FR", 6}, {"NL", 8}, {"IE", 6}, {"SE", 5}}
)

type party struct{ id, name, country string }

type customer struct {
	party
	segment string
	cc      string  // home sales cost centre
	pick    float64 // how often it buys
	size    float64 // how much it buys
	from    int     // first active period index
	to      int     // last active period index + 1
	payDays int
}

type vendor struct {
	party
	kind     string
	terms    string
	termDays int
}

type product struct {
	id, sku, name, category string
	price                   int64 // USD cents
}

type period struct {
	id         string
	start, end time.Time
	fy, fq, fm int // fiscal year, quarter, month (July = 1)
}

type glLine struct {
	journal, line          int
	date                   time.Time
	period                 int
	account                int
	cc                     string
	vendor, customer, prod string
	debit, credit          int64 // cents of the transaction currency
	currency, description  string
}

// scheduled is a journal to post on a later date (receipts, payments).
type scheduled struct {
	date     time.Time
	seq      int
	currency string
	desc     string
	lines    []glLine
}

const firstJournal = 100000

type gen struct {
	r         *rand.Rand
	tables    []table
	periods   []period
	rates     map[string][]float64 // currency → USD per unit, per period (as written)
	rateText  map[string][]string
	vendors   []vendor
	customers []customer
	products  []product
	gl        []glLine
	journal   int
	queue     []scheduled
	seq       int
	// revenue target per period (USD), for the patterns that follow sales
	revenue []float64
	// sales due and sold by product category so far (USD)
	catDue, catSold map[string]float64
	assets          int64 // gross fixed assets, USD cents
	debt            int64 // long-term debt, USD cents
}

func newGen() *gen {
	return &gen{r: rand.New(rand.NewPCG(2026, 6)), journal: firstJournal, catDue: map[string]float64{}, catSold: map[string]float64{}}
}

func (g *gen) pick(n int) int { return g.r.IntN(n) }

// noise is 1 + sd·N(0,1), kept within ±3 sd.
func (g *gen) noise(sd float64) float64 {
	z := math.Max(-3, math.Min(3, g.r.NormFloat64()))
	return 1 + sd*z
}

func (g *gen) uniform(lo, hi float64) float64 { return lo + (hi-lo)*g.r.Float64() }

func (g *gen) pickCountry(ws []weighted) string {
	var sum float64
	for _, w := range ws {
		sum += w.w
	}
	x := g.r.Float64() * sum
	for _, w := range ws {
		if x < w.w {
			return w.country
		}
		x -= w.w
	}
	return ws[len(ws)-1].country
}

func (g *gen) build() {
	g.buildPeriods()
	g.buildRates()
	g.buildParties()
	g.buildProducts()
	g.buildGL()
	g.emit()
}

const nPeriods = 36

func (g *gen) buildPeriods() {
	// Fiscal years FY2024, FY2025, FY2026: July 2023 to June 2026.
	for i := 0; i < nPeriods; i++ {
		s := time.Date(2023, time.July+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		fm := (int(s.Month())+5)%12 + 1 // July = fiscal month 1
		fy := s.Year()
		if s.Month() >= time.July {
			fy++
		}
		g.periods = append(g.periods, period{id: s.Format("2006-01"), start: s, end: s.AddDate(0, 1, -1), fy: fy, fq: (fm-1)/3 + 1, fm: fm})
	}
}

// buildRates: monthly average rates, USD per unit, drifting between the
// anchors with a little noise, six decimals.
func (g *gen) buildRates() {
	g.rates, g.rateText = map[string][]float64{}, map[string][]string{}
	for _, c := range currencies {
		for m := 0; m < nPeriods; m++ {
			v := 1.0
			if c.anchors != nil {
				k := 0
				for k+1 < len(fxMonths)-1 && fxMonths[k+1] <= m {
					k++
				}
				f := float64(m-fxMonths[k]) / float64(fxMonths[k+1]-fxMonths[k])
				v = (c.anchors[k] + f*(c.anchors[k+1]-c.anchors[k])) * g.noise(0.004)
			}
			s := strconv.FormatFloat(v, 'f', 6, 64)
			x, _ := strconv.ParseFloat(s, 64)
			g.rates[c.code] = append(g.rates[c.code], x)
			g.rateText[c.code] = append(g.rateText[c.code], s)
		}
	}
}

// local converts USD cents to the currency's minor units at period m's
// rate (whole units for a currency without decimals).
func (g *gen) local(usd int64, cur string, m int) int64 {
	if cur == "USD" {
		return usd
	}
	v := float64(usd) / g.rates[cur][m]
	for _, c := range currencies {
		if c.code == cur && c.decimals == 0 {
			return int64(math.Round(v/100)) * 100
		}
	}
	return int64(math.Round(v))
}

var (
	vendorStems   = []string{"Apex", "Northwind", "Bluewater", "Granite", "Summit", "Harbor", "Ironbridge", "Lakeside", "Meridian", "Oakridge"}
	vendorKinds   = []string{"Facilities", "Logistics", "Software", "Consulting", "Media", "Travel"}
	customerStems = []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent", "Hooli", "Vandelay"}
	customerKinds = []string{"Industries", "Holdings", "Retail", "Group", "Labs"}
	segments      = []string{"Enterprise", "Mid-Market", "SMB", "Public Sector"}
	terms         = []string{"NET15", "NET30", "NET30", "NET45", "NET60"}
	termDays      = map[string]int{"NET15": 15, "NET30": 30, "NET45": 45, "NET60": 60}
)

func (g *gen) buildParties() {
	for i := 0; i < 40; i++ {
		t := terms[i%len(terms)]
		g.vendors = append(g.vendors, vendor{
			party: party{
				id:      fmt.Sprintf("V%d", 1001+i),
				name:    vendorStems[i%len(vendorStems)] + " " + vendorKinds[(i/len(vendorStems)+i)%len(vendorKinds)],
				country: g.pickCountry(vendorCountries),
			},
			kind: vendorKinds[(i/len(vendorStems)+i)%len(vendorKinds)], terms: t, termDays: termDays[t],
		})
	}
	// Customers: 42 from the start, 18 won over the three years (most of
	// them served from Asia-Pacific), 5 lost.
	segPick := map[string]float64{"Enterprise": 1, "Mid-Market": 1.3, "SMB": 1.2, "Public Sector": 0.7}
	segSize := map[string]float64{"Enterprise": 1.9, "Mid-Market": 1, "SMB": 0.45, "Public Sector": 1.2}
	segPay := map[string]int{"Enterprise": 45, "Mid-Market": 35, "SMB": 25, "Public Sector": 55}
	for i := 0; i < 60; i++ {
		c := customer{party: party{
			id:      fmt.Sprintf("C%d", 2001+i),
			name:    customerStems[i%len(customerStems)] + " " + customerKinds[(i/len(customerStems))%len(customerKinds)],
			country: g.pickCountry(customerCountries),
		}, segment: segments[i%len(segments)], to: nPeriods}
		c.pick, c.size, c.payDays = segPick[c.segment], segSize[c.segment], segPay[c.segment]
		switch countryCurrency[c.country] {
		case "USD", "CAD":
			c.cc = "CC200"
		default:
			c.cc = "CC210"
		}
		if c.country == "SE" {
			c.size *= 0.5
		}
		if i >= 42 {
			c.from = 2 + (i-42)*2 // won in periods 2 … 36
			if c.country == "US" || i%3 == 0 {
				c.cc = "CC220"
			}
		}
		if c.country == "US" && c.cc == "CC200" && g.pick(4) == 0 {
			c.cc = "CC220" // US multinationals served from Asia-Pacific, invoiced in USD
		}
		if c.cc == "CC220" && countryCurrency[c.country] != "USD" && countryCurrency[c.country] != "CAD" {
			c.cc = "CC210"
		}
		switch i {
		case 7, 19, 28, 33, 40:
			c.to = 14 + i%17 // lost
		}
		g.customers = append(g.customers, c)
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
func (g *gen) post(m int, date time.Time, currency, desc string, lines []glLine) int {
	g.journal++
	var dr, cr int64
	for i := range lines {
		l := &lines[i]
		l.journal, l.line, l.date, l.period, l.currency, l.description = g.journal, i+1, date, m, currency, desc
		dr += l.debit
		cr += l.credit
		if l.debit < 0 || l.credit < 0 || (l.debit == 0 && l.credit == 0) {
			log.Fatalf("journal %d line %d: debit %d credit %d", g.journal, i+1, l.debit, l.credit)
		}
	}
	if dr != cr {
		log.Fatalf("journal %d does not balance: %d vs %d", g.journal, dr, cr)
	}
	g.gl = append(g.gl, lines...)
	return g.journal
}

// later schedules a journal for its date (posted in that date's period).
func (g *gen) later(date time.Time, currency, desc string, lines []glLine) {
	g.seq++
	g.queue = append(g.queue, scheduled{date: date, seq: g.seq, currency: currency, desc: desc, lines: lines})
}

// flush posts the scheduled journals dated up to the end of period m, in
// date order.
func (g *gen) flush(m int) {
	p := g.periods[m]
	sort.SliceStable(g.queue, func(i, j int) bool {
		if !g.queue[i].date.Equal(g.queue[j].date) {
			return g.queue[i].date.Before(g.queue[j].date)
		}
		return g.queue[i].seq < g.queue[j].seq
	})
	var rest []scheduled
	for _, s := range g.queue {
		if s.date.After(p.end) {
			rest = append(rest, s)
			continue
		}
		g.post(m, s.date, s.currency, s.desc, s.lines)
	}
	g.queue = rest
}

// billLine is one expense line of a vendor bill, in USD cents or, with
// isLocal, in the vendor's currency.
type billLine struct {
	account int
	cc      string
	amount  int64
	isLocal bool
}

// bill posts a vendor bill (expense lines, accounts payable) in the
// vendor's currency and schedules its payment by the vendor's terms.
func (g *gen) bill(m int, date time.Time, v vendor, desc string, bls []billLine) {
	cur := countryCurrency[v.country]
	var lines []glLine
	var total int64
	for _, b := range bls {
		amt := b.amount
		if !b.isLocal {
			amt = g.local(amt, cur, m)
		}
		if amt <= 0 {
			continue
		}
		total += amt
		lines = append(lines, glLine{account: b.account, cc: b.cc, vendor: v.id, debit: amt})
	}
	if total == 0 {
		return
	}
	lines = append(lines, glLine{account: 2000, cc: "CC110", vendor: v.id, credit: total})
	if desc == "" {
		desc = "Vendor bill " + v.name
	}
	g.post(m, date, cur, desc, lines)
	g.later(date.AddDate(0, 0, v.termDays+g.pick(6)-2), cur, "Vendor payment "+v.name, []glLine{
		{account: 2000, cc: "CC110", vendor: v.id, debit: total},
		{account: 1100, cc: "CC110", vendor: v.id, credit: total},
	})
}

// vendorOf is the first vendor of a kind whose currency is in curs (any
// currency when curs is empty), skipping the first skip matches.
func (g *gen) vendorOf(kind string, skip int, curs ...string) vendor {
	for _, v := range g.vendors {
		if v.kind != kind {
			continue
		}
		ok := len(curs) == 0
		for _, c := range curs {
			ok = ok || countryCurrency[v.country] == c
		}
		if ok {
			if skip == 0 {
				return v
			}
			skip--
		}
	}
	log.Fatalf("no %s vendor in %v", kind, curs)
	return vendor{}
}

var (
	// revenueSeason is the monthly shape of sales by fiscal month (July =
	// 1): a summer dip, a calendar year-end bump, a quiet January, the
	// fiscal year-end push in June. Mean 1.
	revenueSeason = []float64{0.84, 0.78, 0.98, 1.00, 1.04, 1.10, 0.86, 0.92, 1.08, 0.98, 1.04, 1.38}
	// travelSeason by calendar month (January = 1).
	travelSeason = []float64{0.9, 1.0, 1.3, 1.0, 1.3, 1.0, 0.8, 0.55, 1.1, 1.3, 1.1, 0.6}
	cogsRatio    = map[string]float64{"Hardware": 0.64, "Software": 0.17, "Services": 0.50, "Accessories": 0.55}
	baseSalary   = map[string]float64{"CC100": 46000, "CC110": 36000, "CC200": 82000, "CC210": 56000, "CC220": 24000,
		"CC300": 48000, "CC310": 38000, "CC400": 50000, "CC500": 22000, "CC600": 28000}
	// headcount growth a year per cost centre
	headcount = map[string]float64{"CC200": 0.06, "CC210": 0.08, "CC220": 0.35, "CC400": 0.05, "CC600": 0.06}
)

// level is the monthly revenue trend in USD: about 2.0M a month in
// FY2024, growing 14% into FY2025 and 12% into FY2026.
func level(m int) float64 {
	v := 1_930_000.0
	for i := 0; i < m; i++ {
		if i < 23 {
			v *= math.Pow(1.14, 1.0/12)
		} else {
			v *= math.Pow(1.115, 1.0/12)
		}
	}
	return v
}

// mix is the share of sales by product category in period m: hardware
// gives way to software and services.
func mix(m int) map[string]float64 {
	t := float64(m) / float64(nPeriods-1)
	return map[string]float64{"Hardware": 0.42 - 0.13*t, "Software": 0.22 + 0.11*t, "Services": 0.24 + 0.04*t, "Accessories": 0.12 - 0.02*t}
}

func (g *gen) buildGL() {
	p0 := g.periods[0]
	g.assets, g.debt = 480000000, 500000000
	g.post(0, p0.start, "USD", "Opening balances", []glLine{
		{account: 1100, cc: "CC110", debit: 800000000},
		{account: 1300, cc: "CC310", debit: 300000000},
		{account: 1500, cc: "CC400", debit: g.assets},
		{account: 3000, cc: "CC110", credit: 1000000000},
		{account: 2500, cc: "CC110", credit: g.debt},
		{account: 3100, cc: "CC110", credit: 80000000},
	})
	for m, p := range g.periods {
		g.revenue = append(g.revenue, level(m)*revenueSeason[p.fm-1])
		cogs := g.sales(m)
		g.expenses(m, cogs)
		g.flush(m)
		g.monthEnd(m)
	}
}

// currencyShare is the share of sales invoiced in each currency in period
// m (USD basis): steady, with Canada giving way to Europe.
func currencyShare(m int) map[string]float64 {
	t := float64(m) / float64(nPeriods-1)
	return map[string]float64{"USD": 0.575, "EUR": 0.235 + 0.01*t, "GBP": 0.095 + 0.01*t, "CAD": 0.0935 - 0.02*t, "SEK": 0.0015}
}

// sales posts the period's sales invoices (customer currency) and their
// cost of sales (USD), schedules the receipts, and returns the cost of
// sales in USD cents. The period's sales target is shared out by invoice
// currency, then among that currency's active customers; Asia-Pacific
// customers gain weight over time.
func (g *gen) sales(m int) int64 {
	p := g.periods[m]
	target := g.revenue[m] * g.noise(0.03)
	weight := func(c customer) float64 {
		if c.cc == "CC220" {
			return c.pick * (1 + 0.015*float64(m))
		}
		return c.pick
	}
	type inv struct {
		c      customer
		amount float64
	}
	var invs []inv
	shares := currencyShare(m)
	for _, cur := range []string{"USD", "EUR", "GBP", "CAD", "SEK"} {
		var active []customer
		var sum float64
		for _, c := range g.customers {
			if c.from <= m && m < c.to && countryCurrency[c.country] == cur {
				active = append(active, c)
				sum += weight(c)
			}
		}
		if len(active) == 0 {
			log.Fatalf("no active %s customer in %s", cur, p.id)
		}
		t := target * shares[cur]
		n := max(1, int(math.Round(t/180000)))
		var group []inv
		var sizes float64
		for i := 0; i < n; i++ {
			x := g.r.Float64() * sum
			c := active[len(active)-1]
			for _, a := range active {
				if x < weight(a) {
					c = a
					break
				}
				x -= weight(a)
			}
			s := c.size * math.Exp(0.3*g.r.NormFloat64())
			group = append(group, inv{c, s})
			sizes += s
		}
		for i := range group {
			group[i].amount = t * group[i].amount / sizes
		}
		invs = append(invs, group...)
	}
	g.r.Shuffle(len(invs), func(i, j int) { invs[i], invs[j] = invs[j], invs[i] })
	cats := mix(m)
	var totalCost int64
	for _, iv := range invs {
		c := iv.c
		cur := countryCurrency[c.country]
		nProd := 1 + g.pick(3)
		parts := make([]float64, nProd)
		var ps float64
		for k := range parts {
			parts[k] = 0.4 + g.r.Float64()
			ps += parts[k]
		}
		var rev, cost []glLine
		var total, costTotal int64
		for k := 0; k < nProd; k++ {
			amount := iv.amount * parts[k] / ps
			cat := g.pickCat(amount, cats)
			var inCat []product
			for _, pr := range g.products {
				if pr.category == cat {
					inCat = append(inCat, pr)
				}
			}
			pr := inCat[g.pick(len(inCat))]
			qty := int64(math.Max(1, math.Round(amount*100/float64(pr.price))))
			usd := qty * pr.price
			g.catSold[cat] += float64(usd) / 100
			acct := 4000
			if cat == "Services" {
				acct = 4100
			}
			amt := g.local(usd, cur, m)
			total += amt
			rev = append(rev, glLine{account: acct, cc: c.cc, customer: c.id, prod: pr.id, credit: amt})
			cc := int64(math.Round(float64(usd) * cogsRatio[cat] * g.noise(0.04)))
			costTotal += cc
			cost = append(cost, glLine{account: 5000, cc: c.cc, prod: pr.id, debit: cc})
		}
		date := g.day(p)
		lines := append([]glLine{{account: 1200, cc: c.cc, customer: c.id, debit: total}}, rev...)
		j := g.post(m, date, cur, "Sales invoice "+c.name, lines)
		cost = append(cost, glLine{account: 1300, cc: "CC310", prod: cost[0].prod, credit: costTotal})
		g.post(m, date, "USD", fmt.Sprintf("Cost of sales, invoice %d", j), cost)
		totalCost += costTotal
		g.later(date.AddDate(0, 0, c.payDays+g.pick(21)-7), cur, "Customer receipt "+c.name, []glLine{
			{account: 1100, cc: "CC110", customer: c.id, debit: total},
			{account: 1200, cc: "CC110", customer: c.id, credit: total},
		})
	}
	return totalCost
}

// pickCat picks the category of a sales line of amount USD so that sales
// follow the mix closely: the category furthest behind its share of all
// sales so far, with some randomness.
func (g *gen) pickCat(amount float64, cats map[string]float64) string {
	best, bestGap := "", math.Inf(-1)
	for _, c := range []string{"Hardware", "Software", "Services", "Accessories"} {
		g.catDue[c] += cats[c] * amount
		gap := g.catDue[c] - g.catSold[c] + amount*0.6*g.r.Float64()
		if gap > bestGap {
			best, bestGap = c, gap
		}
	}
	return best
}

// years is the number of fiscal years since FY2024 in period m (0, 1, 2).
func years(m int) int { return m / 12 }

// januaries counts the Januaries from period 0 to m inclusive.
func (g *gen) januaries(m int) int {
	n := 0
	for i := 0; i <= m; i++ {
		if g.periods[i].start.Month() == time.January {
			n++
		}
	}
	return n
}

func usd(x float64) int64 { return cents(x) }

// expenses posts the period's vendor bills: inventory and freight, rent,
// utilities, software, travel, marketing, professional fees.
func (g *gen) expenses(m int, cogs int64) {
	p := g.periods[m]
	cm := int(p.start.Month())
	date := func(day int) time.Time { return p.start.AddDate(0, 0, day-1) }

	// Inventory replenished to follow cost of sales, with freight.
	for k, share := range []float64{0.55, 0.45} {
		v := g.vendorOf("Logistics", 0, "USD")
		cc := "CC300"
		if k == 1 {
			v, cc = g.vendorOf("Logistics", 0, "EUR"), "CC310"
		}
		inv := float64(cogs) / 100 * share * g.noise(0.06)
		g.bill(m, g.day(p), v, "", []billLine{{account: 1300, cc: "CC310", amount: usd(inv)}, {account: 5100, cc: cc, amount: usd(inv * 0.035 * g.noise(0.08))}})
	}

	// Rent: the HQ lease in USD (a bigger office from January 2025), the
	// European warehouse in EUR; both step up 3% each January.
	esc := math.Pow(1.03, float64(g.januaries(m)))
	hq := 36000 * esc
	if p.start.Year() >= 2025 {
		hq = 45000 * esc
	}
	g.bill(m, date(1), g.vendorOf("Facilities", 0, "USD"), "", []billLine{
		{account: 6200, cc: "CC100", amount: usd(hq * 0.65)}, {account: 6200, cc: "CC500", amount: usd(hq * 0.35)}})
	g.bill(m, date(1), g.vendorOf("Facilities", 0, "EUR"), "", []billLine{
		{account: 6200, cc: "CC310", amount: cents(21500 * esc), isLocal: true}})

	// Utilities: a winter peak and a summer cooling bump.
	seas := 1 + 0.22*math.Cos(2*math.Pi*float64(cm-1)/12)
	if cm == 7 || cm == 8 {
		seas += 0.15
	}
	grow := math.Pow(1.03, float64(m)/12)
	g.bill(m, g.day(p), g.vendorOf("Facilities", 1, "USD"), "", []billLine{{account: 6300, cc: "CC300", amount: usd(7000 * seas * grow * g.noise(0.06))}})
	g.bill(m, g.day(p), g.vendorOf("Facilities", 0, "EUR"), "", []billLine{{account: 6300, cc: "CC310", amount: usd(6000 * seas * grow * g.noise(0.06))}})

	// Software: renewals each January, a security platform from October 2024.
	sw := 28000 * math.Pow(1.08, float64(g.januaries(m)))
	if m >= 15 {
		sw += 7000
	}
	g.bill(m, date(3), g.vendorOf("Software", 0, "USD"), "", []billLine{{account: 6400, cc: "CC400", amount: usd(sw * g.noise(0.01))}})
	g.bill(m, date(5), g.vendorOf("Software", 0, "GBP", "EUR"), "", []billLine{{account: 6400, cc: "CC400", amount: usd(6000 * g.noise(0.02))}})

	// Travel follows sales, quiet in August and December.
	tr := 0.016 * g.revenue[m] * travelSeason[cm-1]
	g.bill(m, g.day(p), g.vendorOf("Travel", 0, "USD"), "", []billLine{
		{account: 6500, cc: "CC200", amount: usd(tr * 0.42 * g.noise(0.12))},
		{account: 6500, cc: "CC220", amount: usd(tr * (0.10 + 0.004*float64(m)) * g.noise(0.12))},
		{account: 6500, cc: "CC100", amount: usd(tr * 0.10 * g.noise(0.12))}})
	g.bill(m, g.day(p), g.vendorOf("Travel", 0, "EUR", "GBP"), "", []billLine{
		{account: 6500, cc: "CC210", amount: usd(tr * 0.30 * g.noise(0.12))}})

	// Marketing: trade shows in October and April, quiet in December; the
	// product-launch campaign of March 2025 is a one-off.
	mk := 48000 * math.Pow(1.10, float64(m)/12)
	switch cm {
	case 10:
		mk *= 1.8
	case 4:
		mk *= 1.5
	case 12:
		mk *= 0.7
	}
	g.bill(m, g.day(p), g.vendorOf("Media", 0, "USD"), "", []billLine{{account: 6600, cc: "CC600", amount: usd(mk * 0.7 * g.noise(0.08))}})
	g.bill(m, g.day(p), g.vendorOf("Media", 0, "GBP", "EUR"), "", []billLine{{account: 6600, cc: "CC600", amount: usd(mk * 0.3 * g.noise(0.08))}})
	if p.id == "2025-03" {
		v := g.vendorOf("Media", 1, "USD")
		g.bill(m, date(12), v, "Vendor bill "+v.name+" (product launch campaign)", []billLine{{account: 6600, cc: "CC600", amount: usd(465000)}})
	}

	// Professional fees: tax advice, legal and recruiting each month, the
	// audit after the fiscal year-end; acquisition due diligence in
	// February 2024 is a one-off.
	hire := 1.0 + 0.25*float64(years(m))
	g.bill(m, g.day(p), g.vendorOf("Consulting", 0, "USD"), "", []billLine{
		{account: 6700, cc: "CC110", amount: usd(6000 * g.noise(0.1))},
		{account: 6700, cc: "CC100", amount: usd(5000 * g.noise(0.15))},
		{account: 6700, cc: "CC500", amount: usd(4000 * hire * g.noise(0.2))}})
	if cm == 8 || cm == 9 {
		g.bill(m, date(20), g.vendorOf("Consulting", 1, "USD"), "", []billLine{{account: 6700, cc: "CC100", amount: usd(42000 * math.Pow(1.05, float64(years(m))))}})
	}
	if p.id == "2024-02" {
		v := g.vendorOf("Consulting", 2)
		g.bill(m, date(16), v, "Vendor bill "+v.name+" (acquisition due diligence)", []billLine{{account: 6700, cc: "CC100", amount: usd(335000)}})
	}
}

// monthEnd posts payroll, depreciation, interest, bank charges and, at a
// quarter's end, income tax.
func (g *gen) monthEnd(m int) {
	p := g.periods[m]
	// Payroll per currency of the cost centre's region: salaries, a merit
	// increase each July, a bonus in June; employer taxes highest early
	// in the calendar year (before the caps).
	taxRate := map[int]float64{1: 0.13, 2: 0.13, 3: 0.13, 4: 0.11, 5: 0.11, 6: 0.11, 7: 0.10, 8: 0.10, 9: 0.10, 10: 0.085, 11: 0.085, 12: 0.085}[int(p.start.Month())]
	byCur := map[string][]glLine{}
	for _, cc := range []string{"CC100", "CC110", "CC200", "CC210", "CC220", "CC300", "CC310", "CC400", "CC500", "CC600"} {
		s := baseSalary[cc] * math.Pow(1.04, float64(years(m))) * math.Pow(1+headcount[cc]+0.02, float64(m)/12) * g.noise(0.015)
		if p.fm == 12 {
			s *= 1.3
		}
		cur := "USD"
		if region(cc, p.end) == "EMEA" {
			cur = "EUR"
		}
		byCur[cur] = append(byCur[cur], glLine{account: 6000, cc: cc, debit: g.local(usd(s), cur, m)})
	}
	for _, cur := range []string{"USD", "EUR"} {
		lines := byCur[cur]
		var total int64
		for _, l := range lines {
			total += l.debit
		}
		tax := int64(math.Round(float64(total) * taxRate))
		lines = append(lines, glLine{account: 6100, cc: "CC500", debit: tax}, glLine{account: 1100, cc: "CC110", credit: total + tax})
		desc := "Payroll"
		if cur != "USD" {
			desc = "Payroll " + cur
		}
		g.post(m, p.end, cur, desc, lines)
	}

	// Fixed assets: servers and warehouse equipment in October 2024 and
	// August 2025, depreciated over five years.
	if p.id == "2024-10" || p.id == "2025-08" {
		amt := int64(120000000)
		if p.id == "2025-08" {
			amt = 90000000
		}
		g.assets += amt
		g.post(m, p.start.AddDate(0, 0, 9), "USD", "Fixed asset purchase", []glLine{
			{account: 1500, cc: "CC400", debit: amt},
			{account: 1100, cc: "CC110", credit: amt},
		})
	}
	dep := g.assets / 60
	g.post(m, p.end, "USD", "Depreciation", []glLine{
		{account: 6800, cc: "CC400", debit: dep},
		{account: 1510, cc: "CC400", credit: dep},
	})

	// Debt: interest monthly, principal each quarter's end.
	interest := int64(math.Round(float64(g.debt) * 0.065 / 12))
	g.post(m, p.end, "USD", "Loan interest", []glLine{
		{account: 7000, cc: "CC110", debit: interest},
		{account: 1100, cc: "CC110", credit: interest},
	})
	if p.fm%3 == 0 {
		g.debt -= 25000000
		g.post(m, p.end, "USD", "Loan repayment", []glLine{
			{account: 2500, cc: "CC110", debit: 25000000},
			{account: 1100, cc: "CC110", credit: 25000000},
		})
	}
	// Interest on deposits and bank charges.
	dep2 := usd(5200 * math.Pow(1.25, float64(m)/12) * g.noise(0.1))
	g.post(m, p.end, "USD", "Deposit interest", []glLine{
		{account: 1100, cc: "CC110", debit: dep2},
		{account: 4200, cc: "CC110", credit: dep2},
	})
	n := 0
	for i := len(g.gl) - 1; i >= 0 && g.gl[i].period == m; i-- {
		if g.gl[i].line == 1 {
			n++
		}
	}
	fees := usd(900 + 4.5*float64(n))
	g.post(m, p.end, "USD", "Bank charges", []glLine{
		{account: 6900, cc: "CC110", debit: fees},
		{account: 1100, cc: "CC110", credit: fees},
	})

	// Income tax: 24% of the quarter's profit before tax (in USD),
	// accrued at the quarter's end and paid the month after.
	if p.fm%3 == 0 {
		var pbt float64
		for _, l := range g.gl {
			if l.period > m-3 && l.period <= m && l.account >= 4000 && l.account < 8000 {
				pbt -= float64(l.debit-l.credit) / 100 * g.rates[l.currency][l.period]
			}
		}
		if pbt > 0 {
			tax := usd(pbt * 0.24)
			g.post(m, p.end, "USD", "Income tax provision", []glLine{
				{account: 8000, cc: "CC100", debit: tax},
				{account: 2100, cc: "CC100", credit: tax},
			})
			g.later(p.end.AddDate(0, 0, 15), "USD", "Income tax payment", []glLine{
				{account: 2100, cc: "CC100", debit: tax},
				{account: 1100, cc: "CC110", credit: tax},
			})
		}
	}
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
	for _, v := range g.vendors {
		rows = append(rows, []string{v.id, v.name, v.country, v.terms})
	}
	add("vendors", []string{"vendor_id", "vendor_name", "country_code", "payment_terms"}, rows)

	rows = nil
	for i, c := range g.customers {
		limit := int64(1000000 * (1 + i%5) * (1 + i%3))
		rows = append(rows, []string{c.id, c.name, c.segment, c.country, money(limit)})
	}
	add("customers", []string{"customer_id", "customer_name", "segment", "country_code", "credit_limit"}, rows)

	rows = nil
	for _, p := range g.products {
		rows = append(rows, []string{p.id, p.sku, p.name, p.category, money(p.price)})
	}
	add("products", []string{"product_id", "sku", "product_name", "category", "unit_price"}, rows)

	rows = nil
	for _, p := range g.periods {
		rows = append(rows, []string{p.id, strconv.Itoa(p.fy), strconv.Itoa(p.fq), strconv.Itoa(int(p.start.Month())),
			p.start.Format("Jan 2006"), p.start.Format("2006-01-02"), p.end.Format("2006-01-02")})
	}
	add("periods", []string{"period_id", "fiscal_year", "fiscal_quarter", "month_number", "period_name", "period_start", "period_end"}, rows)

	rows = nil
	for _, c := range currencies {
		rows = append(rows, []string{c.code, c.name, strconv.Itoa(c.decimals)})
	}
	add("currencies", []string{"currency_code", "currency_name", "decimals"}, rows)

	rows = nil
	for m, p := range g.periods {
		for _, c := range currencies {
			rows = append(rows, []string{p.id, c.code, g.rateText[c.code][m]})
		}
	}
	add("exchange_rates", []string{"period_id", "currency_code", "rate_to_usd"}, rows)

	rows = nil
	for _, l := range g.gl {
		rows = append(rows, []string{strconv.Itoa(l.journal), strconv.Itoa(l.line), l.date.Format("2006-01-02"), g.periods[l.period].id,
			strconv.Itoa(l.account), l.cc, l.vendor, l.customer, l.prod, money(l.debit), money(l.credit), l.currency, l.description})
	}
	add("gl_journal_lines", []string{"journal_id", "line_no", "posting_date", "period_id", "account_code", "cost_center_code",
		"vendor_id", "customer_id", "product_id", "debit", "credit", "currency_code", "description"}, rows)

	// Monthly balances of the balance-sheet accounts in the reporting
	// currency, debit positive, for every period: each period's movements
	// at that period's rate (exchange_rates), accumulated.
	move := map[int]map[int]float64{}
	for _, l := range g.gl {
		if move[l.account] == nil {
			move[l.account] = map[int]float64{}
		}
		move[l.account][l.period] += float64(l.debit-l.credit) * g.rates[l.currency][l.period]
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
		for m, p := range g.periods {
			open := bal
			bal += int64(math.Round(move[code][m]))
			rows = append(rows, []string{strconv.Itoa(code), p.id, money(open), money(bal)})
		}
	}
	add("monthly_balances", []string{"account_code", "period_id", "opening_balance", "closing_balance"}, rows)
}

// actualUSD is the GL in USD (lines converted at their period's rate as
// exchange_rates.csv writes it), debit positive, by period index, account
// and cost centre, for the P&L accounts 4000–8999.
func (g *gen) actualUSD() map[int]map[[2]string]float64 {
	out := map[int]map[[2]string]float64{}
	for _, l := range g.gl {
		if l.account < 4000 || l.account > 8999 {
			continue
		}
		if out[l.period] == nil {
			out[l.period] = map[[2]string]float64{}
		}
		out[l.period][[2]string{strconv.Itoa(l.account), l.cc}] += float64(l.debit-l.credit) / 100 * g.rates[l.currency][l.period]
	}
	return out
}

// budget is the FY2026 budget in USD by period, account and cost centre,
// debit positive (revenue negative), as planned before the year: each
// account and cost-centre line is a few percent off what happened — 4.5%
// to 10% over or under for the year (3.5% to 5.5% for contracted costs),
// consistently — and each month a little more or less.
func (g *gen) budget() table {
	act := g.actualUSD()
	r := rand.New(rand.NewPCG(2026, 1))
	lines := map[[2]string]float64{}
	var keys [][2]string
	for m, p := range g.periods {
		if p.fy != 2026 {
			continue
		}
		for k := range act[m] {
			if _, ok := lines[k]; !ok {
				lines[k] = 0
				keys = append(keys, k)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	// Contracted costs (rent, software, depreciation, interest) are
	// planned closer than the rest.
	contracted := map[string]bool{"6200": true, "6400": true, "6800": true, "7000": true}
	for _, k := range keys {
		d := 0.045 + 0.055*r.Float64()
		if contracted[k[0]] {
			d = 0.035 + 0.02*r.Float64()
		}
		if r.IntN(2) == 0 {
			d = -d
		}
		lines[k] = d // actual = budget × (1 + d)
	}
	// Each month a little more or less, then the line scaled so that its
	// year is off by exactly d.
	type cell struct {
		m int
		k [2]string
		b float64
	}
	var cells []cell
	actYear, budYear := map[[2]string]float64{}, map[[2]string]float64{}
	for m, p := range g.periods {
		if p.fy != 2026 {
			continue
		}
		for _, k := range keys {
			a, ok := act[m][k]
			e := 1 + (r.Float64()*2-1)*0.012
			if contracted[k[0]] {
				e = 1 + (r.Float64()*2-1)*0.004
			}
			if !ok || math.Abs(a) < 0.5 {
				continue
			}
			b := a / ((1 + lines[k]) * e)
			cells = append(cells, cell{m, k, b})
			actYear[k] += a
			budYear[k] += b
		}
	}
	var rows [][]string
	for _, c := range cells {
		b := c.b * actYear[c.k] / (1 + lines[c.k]) / budYear[c.k]
		rows = append(rows, []string{g.periods[c.m].id, c.k[0], c.k[1], money(cents(b))})
	}
	return table{"budget_fy2026", []string{"period_id", "account_code", "cost_center_code", "amount"}, rows}
}

// report prints the business's shape (USD) to stderr, for the README.
func (g *gen) report() {
	act := g.actualUSD()
	fy := map[int]map[string]float64{}
	for m, p := range g.periods {
		if fy[p.fy] == nil {
			fy[p.fy] = map[string]float64{}
		}
		for k, v := range act[m] {
			a, _ := strconv.Atoi(k[0])
			switch {
			case a < 4300:
				fy[p.fy]["revenue"] -= v
			case a < 5200:
				fy[p.fy]["cost of sales"] += v
			default:
				fy[p.fy]["expenses"] += v
			}
			fy[p.fy]["net income"] -= v
		}
	}
	for _, y := range []int{2024, 2025, 2026} {
		fmt.Fprintf(os.Stderr, "FY%d (USD): revenue %.0f, cost of sales %.0f, other expenses %.0f, net income %.0f\n", y,
			fy[y]["revenue"], fy[y]["cost of sales"], fy[y]["expenses"], fy[y]["net income"])
	}
	cur := map[string]int{}
	for _, l := range g.gl {
		cur[l.currency]++
	}
	fmt.Fprintf(os.Stderr, "lines by currency: %v\n", cur)
}
