// Package semantictest holds test support for semantic analysis: a
// TPC-H-shaped schema generator (eight tables with TPC-H column prefixes,
// deterministic data, no declared constraints unless asked) that runs on
// any engine through plain CREATE TABLE and bound INSERTs, the expected
// keys and foreign keys, and helpers that open the test engines with a
// schema of their own.
package semantictest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
)

// TPCHOptions shape the generated data.
type TPCHOptions struct {
	// Scale multiplies the row counts of supplier, customer, part,
	// partsupp, orders and lineitem (1 = about 1/1000 of TPC-H SF1:
	// 10 suppliers, 150 customers, 200 parts, 800 partsupp rows, 1500
	// orders, about 6000 line items). 0 means 1.
	Scale int
	// Declared declares the primary and foreign keys in the DDL.
	Declared bool
	// OrphanShare removes this share of orders (every n-th) while keeping
	// their line items, so that share of lineitem.l_orderkey values has
	// no parent: dirty data.
	OrphanShare float64
	// Seed for the pseudo-random data (0 = 1).
	Seed uint64
}

// FK is an expected foreign key.
type FK struct {
	From        string
	FromColumns []string
	To          string
	ToColumns   []string
}

// TPCHKeys are the primary keys (grain) of the eight tables.
var TPCHKeys = map[string][]string{
	"region":   {"r_regionkey"},
	"nation":   {"n_nationkey"},
	"supplier": {"s_suppkey"},
	"customer": {"c_custkey"},
	"part":     {"p_partkey"},
	"partsupp": {"ps_partkey", "ps_suppkey"},
	"orders":   {"o_orderkey"},
	"lineitem": {"l_orderkey", "l_linenumber"},
}

// TPCHForeignKeys are TPC-H's eight foreign keys, the composite
// lineitem → partsupp included.
var TPCHForeignKeys = []FK{
	{"nation", []string{"n_regionkey"}, "region", []string{"r_regionkey"}},
	{"supplier", []string{"s_nationkey"}, "nation", []string{"n_nationkey"}},
	{"customer", []string{"c_nationkey"}, "nation", []string{"n_nationkey"}},
	{"partsupp", []string{"ps_partkey"}, "part", []string{"p_partkey"}},
	{"partsupp", []string{"ps_suppkey"}, "supplier", []string{"s_suppkey"}},
	{"orders", []string{"o_custkey"}, "customer", []string{"c_custkey"}},
	{"lineitem", []string{"l_orderkey"}, "orders", []string{"o_orderkey"}},
	{"lineitem", []string{"l_partkey", "l_suppkey"}, "partsupp", []string{"ps_partkey", "ps_suppkey"}},
}

// TPCHTables lists the tables in creation (parent-first) order.
var TPCHTables = []string{"region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"}

type colDef struct{ name, typ string }

var tpchColumns = map[string][]colDef{
	"region":   {{"r_regionkey", "INTEGER"}, {"r_name", "VARCHAR(25)"}, {"r_comment", "VARCHAR(152)"}},
	"nation":   {{"n_nationkey", "INTEGER"}, {"n_name", "VARCHAR(25)"}, {"n_regionkey", "INTEGER"}, {"n_comment", "VARCHAR(152)"}},
	"supplier": {{"s_suppkey", "INTEGER"}, {"s_name", "VARCHAR(25)"}, {"s_address", "VARCHAR(40)"}, {"s_nationkey", "INTEGER"}, {"s_phone", "VARCHAR(15)"}, {"s_acctbal", "DECIMAL(15,2)"}, {"s_comment", "VARCHAR(101)"}},
	"customer": {{"c_custkey", "INTEGER"}, {"c_name", "VARCHAR(25)"}, {"c_address", "VARCHAR(40)"}, {"c_nationkey", "INTEGER"}, {"c_phone", "VARCHAR(15)"}, {"c_acctbal", "DECIMAL(15,2)"}, {"c_mktsegment", "VARCHAR(10)"}, {"c_comment", "VARCHAR(117)"}},
	"part":     {{"p_partkey", "INTEGER"}, {"p_name", "VARCHAR(55)"}, {"p_mfgr", "VARCHAR(25)"}, {"p_brand", "VARCHAR(10)"}, {"p_type", "VARCHAR(25)"}, {"p_size", "INTEGER"}, {"p_container", "VARCHAR(10)"}, {"p_retailprice", "DECIMAL(15,2)"}, {"p_comment", "VARCHAR(23)"}},
	"partsupp": {{"ps_partkey", "INTEGER"}, {"ps_suppkey", "INTEGER"}, {"ps_availqty", "INTEGER"}, {"ps_supplycost", "DECIMAL(15,2)"}, {"ps_comment", "VARCHAR(199)"}},
	"orders":   {{"o_orderkey", "INTEGER"}, {"o_custkey", "INTEGER"}, {"o_orderstatus", "VARCHAR(1)"}, {"o_totalprice", "DECIMAL(15,2)"}, {"o_orderdate", "DATE"}, {"o_orderpriority", "VARCHAR(15)"}, {"o_clerk", "VARCHAR(15)"}, {"o_shippriority", "INTEGER"}, {"o_comment", "VARCHAR(79)"}},
	"lineitem": {{"l_orderkey", "INTEGER"}, {"l_partkey", "INTEGER"}, {"l_suppkey", "INTEGER"}, {"l_linenumber", "INTEGER"}, {"l_quantity", "DECIMAL(15,2)"}, {"l_extendedprice", "DECIMAL(15,2)"}, {"l_discount", "DECIMAL(15,2)"}, {"l_tax", "DECIMAL(15,2)"}, {"l_returnflag", "VARCHAR(1)"}, {"l_linestatus", "VARCHAR(1)"}, {"l_shipdate", "DATE"}, {"l_commitdate", "DATE"}, {"l_receiptdate", "DATE"}, {"l_shipinstruct", "VARCHAR(25)"}, {"l_shipmode", "VARCHAR(10)"}, {"l_comment", "VARCHAR(44)"}},
}

var (
	regions  = []string{"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"}
	nations  = []string{"ALGERIA", "ARGENTINA", "BRAZIL", "CANADA", "EGYPT", "ETHIOPIA", "FRANCE", "GERMANY", "INDIA", "INDONESIA", "IRAN", "IRAQ", "JAPAN", "JORDAN", "KENYA", "MOROCCO", "MOZAMBIQUE", "PERU", "CHINA", "ROMANIA", "SAUDI ARABIA", "VIETNAM", "RUSSIA", "UNITED KINGDOM", "UNITED STATES"}
	nationRg = []int{0, 1, 1, 1, 4, 0, 3, 3, 2, 2, 4, 4, 2, 4, 0, 0, 0, 1, 2, 3, 4, 2, 3, 3, 1}
	segments = []string{"AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"}
	colors   = []string{"almond", "antique", "aquamarine", "azure", "beige", "bisque", "black", "blanched", "blue", "blush", "brown", "burlywood", "burnished", "chartreuse", "chiffon", "chocolate", "coral", "cornflower", "cornsilk", "cream", "cyan", "dark", "deep", "dim", "dodger", "drab", "firebrick", "floral", "forest", "frosted", "gainsboro", "ghost", "goldenrod", "green", "grey", "honeydew", "hot", "indian", "ivory", "khaki", "lace", "lavender", "lawn", "lemon", "light", "lime", "linen", "magenta", "maroon", "medium", "metallic", "midnight", "mint", "misty", "moccasin", "navajo", "navy", "olive", "orange", "orchid", "pale", "papaya", "peach", "peru", "pink", "plum", "powder", "puff", "purple", "red", "rose", "rosy", "royal", "saddle", "salmon", "sandy", "seashell", "sienna", "sky", "slate", "smoke", "snow", "spring", "steel", "tan", "thistle", "tomato", "turquoise", "violet", "wheat", "white", "yellow"}
	words    = []string{"furiously", "quickly", "carefully", "blithely", "slyly", "fluffily", "final", "ironic", "regular", "express", "pending", "special", "bold", "even", "silent", "packages", "deposits", "requests", "accounts", "theodolites", "pinto", "beans", "foxes", "ideas", "instructions", "dependencies", "platelets", "asymptotes", "courts", "dolphins", "sleep", "wake", "haggle", "nag", "use", "boost", "cajole", "detect", "integrate", "among", "across", "above", "after", "along"}
	types1   = []string{"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"}
	types2   = []string{"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"}
	types3   = []string{"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"}
	contA    = []string{"SM", "LG", "MED", "JUMBO", "WRAP"}
	contB    = []string{"CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"}
	prios    = []string{"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"}
	instrs   = []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	modes    = []string{"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"}
	alnum    = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,"
)

type gen struct{ r *rand.Rand }

func (g gen) n(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func (g gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g gen) text(lo, hi int) string {
	n := g.n(lo, hi)
	w := make([]string, n)
	for i := range w {
		w[i] = g.pick(words)
	}
	return strings.Join(w, " ")
}

func (g gen) textMax(lo, hi, max int) string {
	s := g.text(lo, hi)
	if len(s) > max {
		s = strings.TrimSpace(s[:max])
	}
	return s
}

func (g gen) vstring(lo, hi int) string {
	b := make([]byte, g.n(lo, hi))
	for i := range b {
		b[i] = alnum[g.r.IntN(len(alnum))]
	}
	return string(b)
}

func (g gen) money(lo, hi int) string {
	cents := g.n(lo*100, hi*100)
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

func (g gen) phone(nation int) string {
	return fmt.Sprintf("%02d-%03d-%03d-%04d", nation+10, g.n(100, 999), g.n(100, 999), g.n(1000, 9999))
}

var epoch = time.Date(1992, 1, 1, 0, 0, 0, 0, time.UTC)

func day(d int) string { return epoch.AddDate(0, 0, d).Format("2006-01-02") }

// TPCHData generates the rows of the eight tables (values as Go strings
// and ints, dates as YYYY-MM-DD strings, decimals as exact text).
func TPCHData(opts TPCHOptions) map[string][][]any {
	scale := opts.Scale
	if scale <= 0 {
		scale = 1
	}
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	g := gen{rand.New(rand.NewPCG(seed, 0x7c9))}
	S, C, P, O := 10*scale, 150*scale, 200*scale, 1500*scale
	out := map[string][][]any{}
	for i, r := range regions {
		out["region"] = append(out["region"], []any{i, r, g.text(4, 12)})
	}
	for i, n := range nations {
		out["nation"] = append(out["nation"], []any{i, n, nationRg[i], g.text(4, 12)})
	}
	for s := 1; s <= S; s++ {
		nk := g.n(0, 24)
		out["supplier"] = append(out["supplier"], []any{s, fmt.Sprintf("Supplier#%09d", s), g.vstring(10, 40), nk, g.phone(nk), g.money(-999, 9999), g.textMax(4, 12, 101)})
	}
	for c := 1; c <= C; c++ {
		nk := g.n(0, 24)
		out["customer"] = append(out["customer"], []any{c, fmt.Sprintf("Customer#%09d", c), g.vstring(10, 40), nk, g.phone(nk), g.money(-999, 9999), g.pick(segments), g.textMax(4, 12, 117)})
	}
	price := make([]int, P+1)
	for p := 1; p <= P; p++ {
		name := make([]string, 5)
		for i := range name {
			name[i] = g.pick(colors)
		}
		m := g.n(1, 5)
		price[p] = 90000 + (p/10)%20001 + 100*(p%1000)
		out["part"] = append(out["part"], []any{p, strings.Join(name, " "), fmt.Sprintf("Manufacturer#%d", m), fmt.Sprintf("Brand#%d%d", m, g.n(1, 5)),
			g.pick(types1) + " " + g.pick(types2) + " " + g.pick(types3), g.n(1, 50), g.pick(contA) + " " + g.pick(contB),
			fmt.Sprintf("%d.%02d", price[p]/100, price[p]%100), g.textMax(2, 4, 23)})
	}
	// Each part has four suppliers: (p - 1 + i·S/4) mod S + 1.
	supp := func(p, i int) int { return (p-1+i*(S/4))%S + 1 }
	for p := 1; p <= P; p++ {
		for i := 0; i < 4; i++ {
			out["partsupp"] = append(out["partsupp"], []any{p, supp(p, i), g.n(1, 9999), g.money(1, 1000), g.textMax(6, 20, 199)})
		}
	}
	drop := 0
	if opts.OrphanShare > 0 {
		drop = int(1 / opts.OrphanShare)
	}
	for i := 0; i < O; i++ {
		key := (i/8)*32 + i%8 + 1 // sparse keys, as in TPC-H
		cust := g.n(1, C)
		for cust%3 == 0 { // a third of the customers never order
			cust = g.n(1, C)
		}
		od := g.n(0, 2405)
		lines := g.n(1, 7)
		total := 0
		status := "O"
		for l := 1; l <= lines; l++ {
			p := g.n(1, P)
			qty := g.n(1, 50)
			ext := qty * price[p]
			total += ext
			ship := od + g.n(1, 121)
			ls := "O"
			if ship < 1290 {
				ls = "F"
			}
			rf := "N"
			if ls == "F" {
				rf = []string{"R", "A"}[g.r.IntN(2)]
			}
			if l == 1 {
				status = ls
			} else if status != ls {
				status = "P"
			}
			out["lineitem"] = append(out["lineitem"], []any{key, p, supp(p, g.n(0, 3)), l, fmt.Sprintf("%d.00", qty),
				fmt.Sprintf("%d.%02d", ext/100, ext%100), fmt.Sprintf("0.%02d", g.n(0, 10)), fmt.Sprintf("0.%02d", g.n(0, 8)),
				rf, ls, day(ship), day(od + g.n(30, 90)), day(ship + g.n(1, 30)), g.pick(instrs), g.pick(modes), g.textMax(2, 6, 44)})
		}
		if drop > 0 && i%drop == drop/2 {
			continue // the order is gone; its line items stay (orphans)
		}
		out["orders"] = append(out["orders"], []any{key, cust, status, fmt.Sprintf("%d.%02d", total/100, total%100), day(od), g.pick(prios),
			fmt.Sprintf("Clerk#%09d", g.n(1, 15*scale)), 0, g.textMax(4, 10, 79)})
	}
	return out
}

// CreateTPCH creates and fills the eight TPC-H tables in schema (""
// = the connection's default) with plain CREATE TABLE and bound
// multi-row INSERTs.
func CreateTPCH(ctx context.Context, conn connector.Connector, schema string, opts TPCHOptions) error {
	d := conn.Dialect()
	data := TPCHData(opts)
	qual := func(t string) string {
		if schema == "" {
			return dialect.QuoteIdent(d, t)
		}
		return dialect.QuoteIdent(d, schema) + "." + dialect.QuoteIdent(d, t)
	}
	for _, t := range TPCHTables {
		cols := tpchColumns[t]
		var defs, names []string
		for _, c := range cols {
			defs = append(defs, dialect.QuoteIdent(d, c.name)+" "+c.typ)
			names = append(names, dialect.QuoteIdent(d, c.name))
		}
		if opts.Declared {
			defs = append(defs, "PRIMARY KEY ("+quoteList(d, TPCHKeys[t])+")")
			for _, fk := range TPCHForeignKeys {
				if fk.From == t {
					defs = append(defs, "FOREIGN KEY ("+quoteList(d, fk.FromColumns)+") REFERENCES "+qual(fk.To)+" ("+quoteList(d, fk.ToColumns)+")")
				}
			}
		}
		if _, err := conn.Exec(ctx, "CREATE TABLE "+qual(t)+" (\n  "+strings.Join(defs, ",\n  ")+"\n)"); err != nil {
			return fmt.Errorf("create %s: %w", t, err)
		}
		if err := Insert(ctx, conn, qual(t), names, data[t]); err != nil {
			return fmt.Errorf("fill %s: %w", t, err)
		}
	}
	return nil
}

func quoteList(d string, cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = dialect.QuoteIdent(d, c)
	}
	return strings.Join(q, ", ")
}

// Insert writes rows into a table (qualified, quoted name; quoted column
// names) with bound multi-row INSERTs.
func Insert(ctx context.Context, conn connector.Connector, table string, cols []string, rows [][]any) error {
	d := conn.Dialect()
	batch := 2000 / max(1, len(cols))
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, (end-start)*len(cols))
		for i, r := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(")
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				b.WriteString(dialect.Placeholder(d, len(args)))
			}
			b.WriteString(")")
		}
		if _, err := conn.Exec(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
