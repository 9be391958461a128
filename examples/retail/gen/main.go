//go:build ignore

// Command gen writes the retail example: a store chain's point-of-sale
// extract (stores, products, loyalty customers, receipt lines and
// returns) as CSV files, one per table, January 2023 to June 2026. The
// data is deterministic: the same program writes the same bytes.
//
//	go run ./examples/retail/gen/main.go [-out examples/retail]
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
	"time"
)

func main() {
	out := flag.String("out", "examples/retail", "folder to write the CSV files to")
	flag.Parse()
	g := &gen{r: rand.New(rand.NewPCG(2026, 1))}
	g.build()
	for _, t := range g.tables {
		if err := writeCSV(filepath.Join(*out, t.name+".csv"), t.header, t.rows); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "wrote %d tables to %s (%d sales lines, %d receipts, %d returns)\n",
		len(g.tables), *out, len(g.lines), g.receipts, len(g.returns))
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

var (
	first = date("2023-01-01")
	last  = date("2026-06-30")
)

type store struct {
	id, name, city, region string
	opened                 time.Time
	size                   float64 // relative traffic
}

// Four regions with their own trends: the West grows fast, the South
// steadily, the Northeast slowly, the Midwest shrinks.
var regionGrowth = map[string]float64{"West": 0.22, "South": 0.10, "Northeast": 0.04, "Midwest": -0.16}

var stores = []store{
	{"ST01", "Boston Back Bay", "Boston", "Northeast", date("2014-03-01"), 1.2},
	{"ST02", "New York SoHo", "New York", "Northeast", date("2012-09-15"), 1.6},
	{"ST03", "Philadelphia Center City", "Philadelphia", "Northeast", date("2017-05-20"), 0.9},
	{"ST04", "Chicago Loop", "Chicago", "Midwest", date("2011-04-02"), 1.3},
	{"ST05", "Minneapolis Uptown", "Minneapolis", "Midwest", date("2016-10-01"), 0.8},
	{"ST06", "Columbus Short North", "Columbus", "Midwest", date("2018-08-11"), 0.7},
	{"ST07", "Atlanta Midtown", "Atlanta", "South", date("2015-02-14"), 1.1},
	{"ST08", "Austin Domain", "Austin", "South", date("2019-06-01"), 1.0},
	{"ST09", "Miami Brickell", "Miami", "South", date("2020-11-20"), 0.9},
	{"ST10", "Nashville Gulch", "Nashville", "South", date("2024-09-07"), 0.8},
	{"ST11", "Seattle Pike Place", "Seattle", "West", date("2013-07-01"), 1.2},
	{"ST12", "Portland Pearl District", "Portland", "West", date("2016-03-12"), 0.8},
	{"ST13", "Denver LoDo", "Denver", "West", date("2021-04-24"), 0.9},
	{"ST14", "San Diego Gaslamp", "San Diego", "West", date("2025-03-15"), 0.9},
}

type category struct {
	name   string
	brands []string
	items  []string
	lo, hi int64   // list price range, cents
	growth float64 // yearly
	season [12]float64
}

var flat = [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}

var categories = []category{
	{"Apparel", []string{"Northwind Outfitters", "Cedar & Pine", "Urban Thread"},
		[]string{"Crew Neck Tee", "Oxford Shirt", "Slim Chinos", "Denim Jacket", "Wool Sweater", "Rain Shell", "Linen Shorts", "Hooded Sweatshirt", "Puffer Vest", "Flannel Shirt", "Jogger Pants", "Cashmere Scarf"},
		1500, 14000, -0.04, [12]float64{0.8, 0.8, 1.1, 1.1, 1, 0.9, 0.9, 1.1, 1.1, 1.1, 1.1, 1.3}},
	{"Footwear", []string{"StrideLine", "Cedar & Pine"},
		[]string{"Running Shoe", "Leather Boot", "Canvas Sneaker", "Trail Runner", "Slip-On Loafer", "Sandal", "Chelsea Boot", "Court Sneaker"},
		4000, 18000, 0.03, flat},
	{"Electronics", []string{"Voltix", "Lumen Audio", "Pixelcraft"},
		[]string{"Wireless Earbuds", "Bluetooth Speaker", "Smart Watch", "4K Action Camera", "Noise-Cancelling Headphones", "Tablet 10-inch", "Portable Charger", "Smart Home Hub", "E-Reader", "Mechanical Keyboard", "Webcam HD", "Fitness Tracker"},
		2500, 90000, 0.24, [12]float64{0.8, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9, 1, 1, 1, 1.4, 1.5}},
	{"Home & Kitchen", []string{"Hearthstone", "Casa Verde"},
		[]string{"Cast Iron Skillet", "Chef Knife", "French Press", "Linen Duvet Cover", "Ceramic Dinner Set", "Stand Mixer", "Bath Towel Set", "Scented Candle", "Table Lamp", "Storage Baskets"},
		1200, 35000, 0.06, flat},
	{"Beauty", []string{"Glow Theory", "Pure Botanica"},
		[]string{"Vitamin C Serum", "Hydrating Moisturizer", "Clay Face Mask", "Lip Balm Trio", "Hair Repair Oil", "Eau de Parfum", "Body Lotion", "Sunscreen SPF 50"},
		800, 9000, 0.12, [12]float64{0.9, 1.1, 1, 1, 1.1, 1, 1, 0.9, 0.9, 1, 1.1, 1.4}},
	{"Toys & Games", []string{"Brightblock", "Kidora"},
		[]string{"Building Brick Set", "Plush Bear", "Strategy Board Game", "Remote Control Car", "Puzzle 1000 Pieces", "Art Studio Kit", "Wooden Train Set", "Card Game"},
		1000, 12000, 0.02, [12]float64{0.5, 0.5, 0.6, 0.6, 0.7, 0.7, 0.7, 0.7, 0.8, 1, 1.8, 3.2}},
	{"Outdoor", []string{"Summit Gear", "TrailMark"},
		[]string{"Two-Person Tent", "Sleeping Bag", "Hiking Backpack", "Trekking Poles", "Camping Stove", "Insulated Bottle", "Headlamp", "Camp Chair"},
		1500, 40000, 0.08, [12]float64{0.4, 0.5, 0.8, 1.2, 1.6, 1.9, 1.9, 1.5, 1, 0.7, 0.6, 0.8}},
}

// Chain-wide seasonality: a December peak, a November run-up and quiet
// winter months.
var season = [12]float64{0.72, 0.7, 0.86, 0.9, 0.97, 0.98, 0.95, 1.0, 0.9, 0.98, 1.3, 1.85}

type product struct {
	sku, name, category, brand string
	cost, price                int64
	cat                        int
}

type customer struct {
	id, name, tier, country string
	weight                  float64
}

type line struct {
	receipt, line int
	day           time.Time
	store         string
	sku           string
	customer      string
	qty           int
	price, disc   int64
	net           int64
	cat           int
}

type ret struct {
	id       int
	receipt  int
	line     int
	day      time.Time
	qty      int
	refund   int64
	category string
}

type gen struct {
	r         *rand.Rand
	tables    []table
	products  []product
	customers []customer
	custCum   []float64
	lines     []line
	returns   []ret
	receipts  int
}

func (g *gen) build() {
	g.buildProducts()
	g.buildCustomers()
	g.buildSales()
	g.buildReturns()
	g.emit()
}

func (g *gen) buildProducts() {
	n := 0
	for ci, c := range categories {
		for i, it := range c.items {
			n++
			brand := c.brands[i%len(c.brands)]
			// Log-uniform prices inside the category's range, rounded to .99.
			f := math.Exp(math.Log(float64(c.lo)) + g.r.Float64()*(math.Log(float64(c.hi))-math.Log(float64(c.lo))))
			price := int64(f/100)*100 + 99
			cost := price * int64(38+g.r.IntN(27)) / 100
			g.products = append(g.products, product{
				sku:      fmt.Sprintf("SKU-%05d", n*3+11),
				name:     brand + " " + it,
				category: c.name, brand: brand, cost: cost, price: price, cat: ci,
			})
		}
	}
}

var (
	firstNames = []string{"Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas", "Mia", "Mateo", "Amelia", "Benjamin", "Harper", "Henry", "Evelyn", "Alexander", "Abigail", "Daniel", "Emily", "Michael", "Ella", "Samuel", "Grace", "Jack", "Chloe", "Owen", "Zoe", "Wyatt", "Nora", "Julian", "Lily", "Aiden", "Hannah", "Caleb", "Priya", "Wei", "Fatima", "Diego"}
	lastNames  = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Patel", "Kim", "Okafor", "Schmidt", "Dubois", "Rossi", "Tanaka", "Kowalski", "Murphy", "O'Brien", "Fischer", "Silva", "Cohen"}
)

func (g *gen) buildCustomers() {
	// 2,000 distinct names: every first × last pair shuffled, the first 2,000.
	type pair struct{ f, l int }
	var pairs []pair
	for f := range firstNames {
		for l := range lastNames {
			pairs = append(pairs, pair{f, l})
		}
	}
	g.r.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	tiers := []struct {
		name   string
		share  float64
		weight float64
	}{{"Bronze", 0.52, 1}, {"Silver", 0.28, 2.2}, {"Gold", 0.15, 4}, {"Platinum", 0.05, 8}}
	total := 0.0
	for i := 0; i < 2000; i++ {
		p := pairs[i]
		u := g.r.Float64()
		ti := 0
		for acc := tiers[0].share; u > acc && ti < len(tiers)-1; {
			ti++
			acc += tiers[ti].share
		}
		country := "US"
		switch v := g.r.IntN(100); {
		case v < 9:
			country = "CA"
		case v < 13:
			country = "MX"
		}
		w := tiers[ti].weight * (0.5 + g.r.Float64())
		total += w
		g.customers = append(g.customers, customer{
			id:   fmt.Sprintf("C%05d", 10001+i),
			name: firstNames[p.f] + " " + lastNames[p.l], tier: tiers[ti].name, country: country, weight: w,
		})
		g.custCum = append(g.custCum, total)
	}
}

func (g *gen) pickCustomer() customer {
	u := g.r.Float64() * g.custCum[len(g.custCum)-1]
	lo, hi := 0, len(g.custCum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if g.custCum[m] < u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return g.customers[lo]
}

// poisson draws a Poisson count with mean m (m small).
func (g *gen) poisson(m float64) int {
	l, k, p := math.Exp(-m), 0, 1.0
	for {
		p *= g.r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func years(d time.Time) float64 { return d.Sub(first).Hours() / 24 / 365.25 }

func (g *gen) buildSales() {
	const baseReceipts = 0.62 // per store-day at size 1, before trends
	receipt := 0
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		wd := 1.0
		switch d.Weekday() {
		case time.Saturday:
			wd = 1.45
		case time.Sunday:
			wd = 1.2
		case time.Tuesday, time.Wednesday:
			wd = 0.85
		}
		m := int(d.Month()) - 1
		// Black Friday to Christmas Eve is the busiest stretch.
		peak := 1.0
		if d.Month() == time.December && d.Day() >= 10 && d.Day() <= 24 {
			peak = 1.35
		}
		for _, s := range stores {
			if d.Before(s.opened) {
				continue
			}
			trend := math.Pow(1+regionGrowth[s.region], years(d))
			ramp := 1.0
			if age := d.Sub(s.opened).Hours() / 24; age < 120 {
				ramp = 0.5 + age/240
			}
			mean := baseReceipts * s.size * season[m] * wd * peak * trend * ramp
			for k := g.poisson(mean); k > 0; k-- {
				receipt++
				g.receipt(receipt, d, s)
			}
		}
	}
	g.receipts = receipt
}

// catWeights are the categories' shares of lines on a day.
func catWeights(d time.Time) []float64 {
	w := make([]float64, len(categories))
	base := []float64{1.3, 0.7, 1.0, 0.9, 0.8, 0.6, 0.6}
	for i, c := range categories {
		w[i] = base[i] * c.season[d.Month()-1] * math.Pow(1+c.growth, years(d))
	}
	return w
}

func (g *gen) pickWeighted(w []float64) int {
	t := 0.0
	for _, x := range w {
		t += x
	}
	u := g.r.Float64() * t
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

func (g *gen) receipt(no int, d time.Time, s store) {
	cust := ""
	tier := ""
	if g.r.Float64() < 0.66 {
		c := g.pickCustomer()
		cust, tier = c.id, c.tier
	}
	n := 1 + g.poisson(1.25)
	if n > 6 {
		n = 6
	}
	w := catWeights(d)
	promo := d.Month() == time.November && d.Day() >= 24 || d.Month() == time.December && d.Day() <= 2
	for i := 1; i <= n; i++ {
		ci := g.pickWeighted(w)
		c := categories[ci]
		// Products of the category, the first ones a little more popular.
		var idx []int
		for pi, p := range g.products {
			if p.cat == ci {
				idx = append(idx, pi)
			}
		}
		p := g.products[idx[min(g.r.IntN(len(idx)), g.r.IntN(len(idx)+3))%len(idx)]]
		qty := 1
		switch v := g.r.IntN(100); {
		case v < 12:
			qty = 2
		case v < 15:
			qty = 3
		}
		if c.name == "Beauty" && g.r.IntN(4) == 0 {
			qty++
		}
		gross := p.price * int64(qty)
		pct := int64(0)
		switch {
		case promo:
			pct = 25
		case tier == "Platinum":
			pct = 10
		case tier == "Gold":
			pct = 5
		case g.r.IntN(100) < 8:
			pct = 15 // a markdown
		}
		disc := gross * pct / 100
		g.lines = append(g.lines, line{receipt: no, line: i, day: d, store: s.id, sku: p.sku, customer: cust,
			qty: qty, price: p.price, disc: disc, net: gross - disc, cat: ci})
	}
}

func (g *gen) buildReturns() {
	rate := map[string]int{"Apparel": 70, "Footwear": 80, "Electronics": 45, "Home & Kitchen": 30, "Beauty": 15, "Toys & Games": 30, "Outdoor": 35}
	id := 0
	for _, l := range g.lines {
		c := categories[l.cat].name
		if g.r.IntN(1000) >= rate[c] {
			continue
		}
		day := l.day.AddDate(0, 0, 1+g.r.IntN(28))
		if day.After(last) {
			continue
		}
		// Gifts come back in January.
		if l.day.Month() == time.December && l.day.Day() > 15 && g.r.IntN(2) == 0 {
			day = time.Date(l.day.Year()+1, time.January, 2+g.r.IntN(20), 0, 0, 0, 0, time.UTC)
			if day.After(last) {
				continue
			}
		}
		qty := 1 + g.r.IntN(l.qty)
		refund := l.net * int64(qty) / int64(l.qty)
		id++
		g.returns = append(g.returns, ret{id: id, receipt: l.receipt, line: l.line, day: day, qty: qty, refund: refund, category: c})
	}
}

func (g *gen) emit() {
	add := func(name string, header []string, rows [][]string) {
		g.tables = append(g.tables, table{name, header, rows})
	}
	var rows [][]string
	for _, s := range stores {
		rows = append(rows, []string{s.id, s.name, s.city, s.region, s.opened.Format("2006-01-02")})
	}
	add("stores", []string{"store_id", "store_name", "city", "region", "opened_on"}, rows)

	rows = nil
	for _, p := range g.products {
		rows = append(rows, []string{p.sku, p.name, p.category, p.brand, money(p.cost), money(p.price)})
	}
	add("products", []string{"sku", "product_name", "category", "brand", "unit_cost", "list_price"}, rows)

	rows = nil
	for _, c := range g.customers {
		rows = append(rows, []string{c.id, c.name, c.tier, c.country})
	}
	add("customers", []string{"customer_id", "customer_name", "loyalty_tier", "country"}, rows)

	rows = nil
	for _, l := range g.lines {
		rows = append(rows, []string{fmt.Sprintf("R%07d", l.receipt), fmt.Sprint(l.line), l.day.Format("2006-01-02"), l.store, l.sku,
			l.customer, fmt.Sprint(l.qty), money(l.price), money(l.disc), money(l.net)})
	}
	add("sales_lines", []string{"receipt_no", "line_no", "sale_date", "store_id", "sku", "customer_id", "quantity", "unit_price", "discount", "net_amount"}, rows)

	rows = nil
	for _, r := range g.returns {
		rows = append(rows, []string{fmt.Sprintf("RT%06d", r.id), fmt.Sprintf("R%07d", r.receipt), fmt.Sprint(r.line),
			r.day.Format("2006-01-02"), fmt.Sprint(r.qty), money(r.refund)})
	}
	add("returns", []string{"return_id", "receipt_no", "line_no", "return_date", "quantity", "refund_amount"}, rows)
}
