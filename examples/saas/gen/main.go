//go:build ignore

// Command gen writes the saas example: a subscription software company's
// billing extract (plans, customer accounts, subscriptions, monthly
// invoices, payments and the fiscal calendar, whose year starts in April)
// as CSV files, one per table. Invoices and payments cover fiscal 2024 to
// fiscal 2026 (April 2023 to March 2026). The data is deterministic: the
// same program writes the same bytes.
//
//	go run ./examples/saas/gen/main.go [-out examples/saas]
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
	out := flag.String("out", "examples/saas", "folder to write the CSV files to")
	flag.Parse()
	g := &gen{r: rand.New(rand.NewPCG(2026, 4))}
	g.build()
	for _, t := range g.tables {
		if err := writeCSV(filepath.Join(*out, t.name+".csv"), t.header, t.rows); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "wrote %d tables to %s (%d accounts, %d subscriptions, %d invoices, %d payments)\n",
		len(g.tables), *out, len(g.accounts), len(g.subs), len(g.invoices), len(g.payments))
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

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

const fiscalStart = time.April // fiscal year named by the calendar year it ends in

var (
	firstSignup = date("2021-01-04")
	billFrom    = date("2023-04-01") // the extract's window
	billTo      = date("2026-03-31")
)

type plan struct {
	code, name, tier string
	price            int64 // cents a month per unit
	rank             int
}

var plans = []plan{
	{"STARTER", "Starter", "Self-serve", 4900, 0},
	{"TEAM", "Team", "Self-serve", 14900, 1},
	{"GROWTH", "Growth", "Professional", 39900, 2},
	{"PRO", "Professional", "Professional", 89900, 3},
	{"ENTERPRISE", "Enterprise", "Enterprise", 249900, 4},
	{"ENT_PLUS", "Enterprise Plus", "Enterprise", 590000, 5},
}

type account struct {
	id, name, industry, country, segment string
	signup                               time.Time
}

type subscription struct {
	id, account      string
	plan             plan
	start, end       time.Time // end zero: open
	mrr              int64
	status, currency string
}

type invoice struct {
	no       int
	account  string
	sub      string
	day      time.Time
	amount   int64
	currency string
}

type payment struct {
	no      int
	invoice int
	day     time.Time
	amount  int64
}

type gen struct {
	r        *rand.Rand
	tables   []table
	accounts []account
	subs     []subscription
	invoices []invoice
	payments []payment
}

func (g *gen) build() {
	g.buildAccounts()
	g.buildSubscriptions()
	g.buildInvoices()
	g.buildPayments()
	g.emit()
}

var (
	stems = []string{"Acme", "Northwind", "Bluebird", "Brightpath", "Cobalt", "Evergreen", "Falcon", "Granite", "Harborview", "Ironclad",
		"Juniper", "Keystone", "Lighthouse", "Maple", "Nimbus", "Orion", "Pinnacle", "Quantum", "Redwood", "Sterling",
		"Tidewater", "Summit", "Vertex", "Willow", "Zenith", "Atlas", "Beacon", "Cascade", "Driftwood", "Ember",
		"Foxglove", "Golden Gate", "Highland", "Indigo", "Kestrel", "Lakeshore", "Meridian", "Northstar", "Oakmont", "Polaris",
		"Riverbend", "Sapphire", "Trailhead", "Upland", "Vanguard", "Westbrook", "Yellowstone", "Alder", "Blackstone", "Copperleaf",
		"Crescent", "Everest", "Fairview", "Glacier", "Horizon", "Ivory", "Jasper", "Lumen", "Monarch", "Newport"}
	kinds = map[string][]string{
		"Software":           {"Software", "Labs", "Technologies", "Systems", "Digital"},
		"Healthcare":         {"Health", "Medical", "Clinics", "Care"},
		"Financial Services": {"Capital", "Financial", "Partners", "Insurance"},
		"Retail":             {"Retail", "Outfitters", "Market", "Stores"},
		"Manufacturing":      {"Industries", "Manufacturing", "Components", "Works"},
		"Education":          {"Learning", "Academy", "Education"},
		"Media":              {"Media", "Studios", "Publishing"},
		"Logistics":          {"Logistics", "Freight", "Shipping"},
	}
	industries = []string{"Software", "Software", "Healthcare", "Financial Services", "Retail", "Manufacturing", "Education", "Media", "Logistics"}
	countries  = []struct {
		code, legal, currency string
		weight                int
	}{{"US", "Inc.", "USD", 48}, {"GB", "Ltd", "GBP", 14}, {"DE", "GmbH", "EUR", 10}, {"CA", "Inc.", "USD", 8}, {"FR", "SAS", "EUR", 7}, {"AU", "Pty Ltd", "USD", 7}, {"NL", "B.V.", "EUR", 6}}
)

func (g *gen) country() int {
	u := g.r.IntN(100)
	for i, c := range countries {
		if u < c.weight {
			return i
		}
		u -= c.weight
	}
	return 0
}

func (g *gen) buildAccounts() {
	used := map[string]bool{}
	// Signups grow over time: about 4 a month in 2021, 12 a month by 2026.
	id := 0
	for d := firstSignup; !d.After(billTo); d = d.AddDate(0, 0, 7) {
		yrs := d.Sub(firstSignup).Hours() / 24 / 365.25
		mean := 1.6 * math.Pow(1.25, yrs)
		if d.Month() == time.December || d.Month() == time.August {
			mean *= 0.7
		}
		n := 0
		for l, p := math.Exp(-mean), 1.0; ; n++ {
			p *= g.r.Float64()
			if p <= l {
				break
			}
		}
		for ; n > 0; n-- {
			ind := industries[g.r.IntN(len(industries))]
			ci := g.country()
			var name string
			for {
				ks := kinds[ind]
				name = stems[g.r.IntN(len(stems))] + " " + ks[g.r.IntN(len(ks))]
				if !used[name] {
					break
				}
			}
			used[name] = true
			seg := "SMB"
			switch v := g.r.IntN(100); {
			case v < 12:
				seg = "Enterprise"
			case v < 40:
				seg = "Mid-Market"
			}
			id++
			g.accounts = append(g.accounts, account{
				id: fmt.Sprintf("A%05d", 10000+id), name: name + " " + countries[ci].legal, industry: ind,
				country: countries[ci].code, segment: seg, signup: d.AddDate(0, 0, g.r.IntN(7)),
			})
		}
	}
}

func currencyOf(country string) string {
	for _, c := range countries {
		if c.code == country {
			return c.currency
		}
	}
	return "USD"
}

// startPlan is the plan an account of a segment starts on.
func (g *gen) startPlan(seg string) int {
	switch seg {
	case "Enterprise":
		return 3 + g.r.IntN(3)
	case "Mid-Market":
		return 1 + g.r.IntN(3)
	}
	return g.r.IntN(3) * g.r.IntN(2)
}

func (g *gen) units(seg string) int64 {
	switch seg {
	case "Enterprise":
		return int64(1 + g.r.IntN(4))
	case "Mid-Market":
		return int64(1 + g.r.IntN(3))
	}
	return int64(1 + g.r.IntN(2)*g.r.IntN(3))
}

func (g *gen) buildSubscriptions() {
	churn := map[string]float64{"SMB": 0.02, "Mid-Market": 0.01, "Enterprise": 0.004}
	n := 0
	for _, a := range g.accounts {
		pi := g.startPlan(a.segment)
		units := g.units(a.segment)
		start := a.signup
		for {
			p := plans[pi]
			disc := int64(0)
			if a.segment == "Enterprise" {
				disc = int64(5 * g.r.IntN(4))
			}
			// Prices rose 8% for subscriptions starting in 2025.
			price := p.price
			if start.Year() >= 2025 {
				price = price * 108 / 100
			}
			mrr := price * units * (100 - disc) / 100
			n++
			s := subscription{id: fmt.Sprintf("SUB-%05d", n), account: a.id, plan: p, start: start, mrr: mrr, status: "active", currency: currencyOf(a.country)}
			// Month by month: churn, upgrade, or stay.
			next := -1
			for m := start.AddDate(0, 1, 0); !m.After(billTo); m = m.AddDate(0, 1, 0) {
				u := g.r.Float64()
				if u < churn[a.segment] {
					s.end, s.status = m.AddDate(0, 0, -1), "cancelled"
					break
				}
				if u < churn[a.segment]+0.012 && pi < len(plans)-1 {
					s.end, s.status = m.AddDate(0, 0, -1), "upgraded"
					next = pi + 1
					break
				}
				if u > 0.995 && pi > 0 {
					s.end, s.status = m.AddDate(0, 0, -1), "downgraded"
					next = pi - 1
					break
				}
			}
			g.subs = append(g.subs, s)
			if next < 0 {
				break
			}
			pi = next
			if g.r.IntN(3) == 0 {
				units++
			}
			start = s.end.AddDate(0, 0, 1)
		}
	}
}

func (g *gen) buildInvoices() {
	no := 0
	for _, s := range g.subs {
		// An invoice on each monthly anniversary of the start while the
		// subscription is open, inside the extract's window.
		day := min(s.start.Day(), 28)
		for i := 0; ; i++ {
			m := time.Date(s.start.Year(), s.start.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, i, 0)
			d := time.Date(m.Year(), m.Month(), day, 0, 0, 0, 0, time.UTC)
			if d.Before(s.start) {
				continue
			}
			if d.After(billTo) || (!s.end.IsZero() && d.After(s.end)) {
				break
			}
			if d.Before(billFrom) {
				continue
			}
			amount := s.mrr
			// Usage above the plan's allowance on some invoices.
			if g.r.IntN(100) < 9 {
				amount += s.mrr * int64(5+g.r.IntN(30)) / 100
			}
			no++
			g.invoices = append(g.invoices, invoice{no: no, account: s.account, sub: s.id, day: d, amount: amount, currency: s.currency})
		}
	}
	sort.SliceStable(g.invoices, func(i, j int) bool { return g.invoices[i].day.Before(g.invoices[j].day) })
	for i := range g.invoices {
		g.invoices[i].no = i + 1
	}
}

func (g *gen) buildPayments() {
	no := 0
	for _, inv := range g.invoices {
		u := g.r.IntN(100)
		if u < 4 {
			continue // never paid (written off or still open)
		}
		lag := 3 + g.r.IntN(25)
		if g.r.IntN(10) == 0 {
			lag += 30 + g.r.IntN(40) // late
		}
		d := inv.day.AddDate(0, 0, lag)
		if d.After(billTo) {
			continue
		}
		if u < 8 {
			// Paid in two instalments.
			half := inv.amount / 2
			no++
			g.payments = append(g.payments, payment{no: no, invoice: inv.no, day: d, amount: half})
			d2 := d.AddDate(0, 0, 14+g.r.IntN(20))
			if d2.After(billTo) {
				continue
			}
			no++
			g.payments = append(g.payments, payment{no: no, invoice: inv.no, day: d2, amount: inv.amount - half})
			continue
		}
		no++
		g.payments = append(g.payments, payment{no: no, invoice: inv.no, day: d, amount: inv.amount})
	}
}

func (g *gen) emit() {
	add := func(name string, header []string, rows [][]string) {
		g.tables = append(g.tables, table{name, header, rows})
	}
	var rows [][]string
	for _, p := range plans {
		rows = append(rows, []string{p.code, p.name, p.tier, money(p.price)})
	}
	add("plans", []string{"plan_code", "plan_name", "tier", "monthly_price"}, rows)

	rows = nil
	for _, a := range g.accounts {
		rows = append(rows, []string{a.id, a.name, a.industry, a.country, a.segment, a.signup.Format("2006-01-02")})
	}
	add("accounts", []string{"account_id", "account_name", "industry", "country", "segment", "signup_date"}, rows)

	rows = nil
	for _, s := range g.subs {
		end := ""
		if !s.end.IsZero() {
			end = s.end.Format("2006-01-02")
		}
		rows = append(rows, []string{s.id, s.account, s.plan.code, s.start.Format("2006-01-02"), end, money(s.mrr), s.status})
	}
	add("subscriptions", []string{"subscription_id", "account_id", "plan_code", "start_date", "end_date", "mrr", "status"}, rows)

	rows = nil
	for _, in := range g.invoices {
		rows = append(rows, []string{fmt.Sprintf("INV-%06d", in.no), in.account, in.sub, in.day.Format("2006-01-02"), money(in.amount), in.currency})
	}
	add("invoices", []string{"invoice_id", "account_id", "subscription_id", "invoice_date", "amount", "currency_code"}, rows)

	rows = nil
	for _, p := range g.payments {
		rows = append(rows, []string{fmt.Sprintf("PAY-%06d", p.no), fmt.Sprintf("INV-%06d", p.invoice), p.day.Format("2006-01-02"), money(p.amount)})
	}
	add("payments", []string{"payment_id", "invoice_id", "paid_date", "amount"}, rows)

	rows = nil
	for m := billFrom; m.Before(billTo); m = m.AddDate(0, 1, 0) {
		fp := (int(m.Month())-int(fiscalStart)+12)%12 + 1
		fy := m.Year()
		if m.Month() >= fiscalStart {
			fy++
		}
		rows = append(rows, []string{m.Format("2006-01"), strconv.Itoa(fy), strconv.Itoa((fp-1)/3 + 1), strconv.Itoa(fp),
			m.Format("2006-01-02"), m.AddDate(0, 1, -1).Format("2006-01-02")})
	}
	add("fiscal_periods", []string{"period_id", "fiscal_year", "fiscal_quarter", "fiscal_period", "period_start", "period_end"}, rows)
}
