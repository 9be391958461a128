package query

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/mysql"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	_ "github.com/databridge/databridge/pkg/connector/snowflake"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/testenv"
)

// starData is the star schema's rows as SQL literals, per table.
type starData struct {
	tables []string
	ddl    map[string]string
	rows   map[string][]string
}

func lit(s string) string {
	if s == "" {
		return "NULL"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func cents(c int) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// genStar generates the star schema deterministically: four regions (West
// without customers), twelve customers of which four have an old SCD-2
// version (another name, segment and region) and one (C12) no facts, six
// products (P6 without facts, P5 without a category), about 240 orders from July 2023 to June 2025
// with none in February 2024 and some without a customer or channel, and
// one to four lines each (some without a product), amounts with cents in
// USD, EUR or GBP (a line in its order's currency).
func genStar() *starData {
	rng := rand.New(rand.NewSource(20261203))
	s := &starData{
		tables: []string{"region", "customer", "product", "orders", "order_lines", "fx", "line_returns"},
		ddl: map[string]string{
			"region":      "(region_sk INTEGER, region_code VARCHAR(10), region_name VARCHAR(50))",
			"fx":          "(currency VARCHAR(3), rate DECIMAL(18, 6))",
			"customer":    "(customer_sk INTEGER, customer_id VARCHAR(10), customer_name VARCHAR(50), segment VARCHAR(20), region_code VARCHAR(10), is_current INTEGER)",
			"product":     "(product_id INTEGER, product_name VARCHAR(50), category VARCHAR(20), unit_cost DECIMAL(12, 2))",
			"orders":      "(order_id INTEGER, order_date DATE, customer_id VARCHAR(10), channel VARCHAR(20), freight DECIMAL(12, 2), currency VARCHAR(3), ship_date DATE, expedited BOOLEAN)",
			"order_lines": "(line_id INTEGER, order_id INTEGER, line_date DATE, customer_id VARCHAR(10), product_id INTEGER, amount DECIMAL(12, 2), quantity DECIMAL(12, 3), currency VARCHAR(3), line_no INTEGER, unit_price DECIMAL(12, 2), discount_rate DECIMAL(5, 4))",
			// Returns name the line they return by its order and line
			// number (a composite key).
			"line_returns": "(return_id INTEGER, return_date DATE, order_id INTEGER, line_no INTEGER, refund DECIMAL(12, 2), currency VARCHAR(3))",
		},
		rows: map[string][]string{},
	}
	add := func(table string, vals ...string) {
		s.rows[table] = append(s.rows[table], "("+strings.Join(vals, ", ")+")")
	}
	regions := [][2]string{{"N", "North"}, {"S", "South"}, {"E", "East"}, {"W", "West"}}
	for i, r := range regions {
		add("region", strconv.Itoa(i+1), lit(r[0]), lit(r[1]))
	}
	segments := []string{"Enterprise", "SMB", "Public"}
	sk := 0
	for i := 1; i <= 12; i++ {
		id := fmt.Sprintf("C%02d", i)
		name := fmt.Sprintf("Customer %02d", i)
		if i == 3 {
			name = "O'Neil & Sons"
		}
		if i <= 4 { // an old version first
			sk++
			add("customer", strconv.Itoa(sk), lit(id), lit(name+" (old)"), lit(segments[(i+1)%3]), lit(regions[(i+1)%3][0]), "0")
		}
		sk++
		add("customer", strconv.Itoa(sk), lit(id), lit(name), lit(segments[i%3]), lit(regions[i%3][0]), "1")
	}
	for _, r := range [][2]string{{"USD", "1"}, {"EUR", "1.085"}, {"GBP", "1.2705"}} {
		add("fx", lit(r[0]), r[1])
	}
	cats := []string{"Hardware", "Software", "Services"}
	for p := 1; p <= 6; p++ {
		cat := lit(cats[p%3])
		if p == 5 {
			cat = "NULL" // a member without a category
		}
		add("product", strconv.Itoa(p), lit(fmt.Sprintf("Product %d", p)), cat, cents(p*137+49)) // a unit cost with cents
	}
	channels := []string{"Web", "Partner", "Direct"}
	start := time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	line, returns := 0, 0
	for o := 1; o <= 240; o++ {
		day := start.AddDate(0, 0, rng.Intn(days))
		if day.Year() == 2024 && day.Month() == time.February {
			day = day.AddDate(0, 1, 0) // no rows in February 2024
		}
		cust := fmt.Sprintf("C%02d", 1+rng.Intn(11))
		if rng.Intn(20) == 0 {
			cust = ""
		}
		ch := channels[rng.Intn(3)]
		if rng.Intn(25) == 0 {
			ch = ""
		}
		date := "DATE '" + day.Format("2006-01-02") + "'"
		ccy := []string{"USD", "USD", "EUR", "GBP"}[rng.Intn(4)]
		// Shipped up to 8 days later (across month ends), or not yet.
		ship := "DATE '" + day.AddDate(0, 0, o%9).Format("2006-01-02") + "'"
		if o%31 == 0 {
			ship = "NULL"
		}
		// Expedited or not; not known for some.
		exp := map[bool]string{true: "TRUE", false: "FALSE"}[o%4 == 0]
		if o%17 == 0 {
			exp = "NULL"
		}
		add("orders", strconv.Itoa(o), date, lit(cust), lit(ch), cents(500+rng.Intn(7600)), lit(ccy), ship, exp)
		for n, no := 1+rng.Intn(4), 1; n > 0; n, no = n-1, no+1 {
			line++
			prod := strconv.Itoa(1 + rng.Intn(5))
			if rng.Intn(20) == 0 {
				prod = "NULL"
			}
			amt := 1000 + rng.Intn(99000)
			if rng.Intn(30) == 0 {
				amt = -amt // a credit
			}
			qty := fmt.Sprintf("%d.%03d", 1+rng.Intn(20), rng.Intn(4)*250)
			add("order_lines", strconv.Itoa(line), strconv.Itoa(o), date, lit(cust), prod, cents(amt), qty, lit(ccy), strconv.Itoa(no), cents(100+line*53%9000), []string{"0", "0.05", "0.1", "NULL"}[line%4])
			if line%7 == 3 { // a return, some days later
				returns++
				add("line_returns", strconv.Itoa(returns), "DATE '"+day.AddDate(0, 0, 3+line%20).Format("2006-01-02")+"'", strconv.Itoa(o), strconv.Itoa(no), cents(100+line*37%5000), lit(ccy))
			}
		}
	}
	return s
}

// load creates and fills the tables (prefix: "schema." or "").
func (s *starData) load(t *testing.T, c connector.Connector, prefix string) {
	for _, tb := range s.tables {
		hierarchytest.Exec(t, c, "CREATE TABLE "+prefix+tb+" "+s.ddl[tb])
		rows := s.rows[tb]
		for lo := 0; lo < len(rows); lo += 200 {
			hi := min(lo+200, len(rows))
			hierarchytest.Exec(t, c, "INSERT INTO "+prefix+tb+" VALUES "+strings.Join(rows[lo:hi], ", "))
		}
	}
}

// queryEngine is an engine with the star schema loaded.
type queryEngine struct {
	dialect string
	conn    connector.Connector
	schema  string // the layer's schema for the tables
	prefix  string // how hand-written SQL qualifies them
}

func openQueryEngine(t *testing.T, name string) queryEngine {
	if name == d.Snowflake {
		if testing.Short() {
			t.Skip("starts the fakesnow emulator")
		}
		port := testenv.StartFakesnow(t)
		t.Setenv("DATABRIDGE_TEST_SF_PASSWORD", "snow")
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		sf, err := connector.Open(ctx, "sf", connector.Config{Type: "snowflake", Account: "fakesnow", User: "fake",
			Password: "${DATABRIDGE_TEST_SF_PASSWORD}", Database: "DATABRIDGE", Schema: "QTEST",
			Options: map[string]string{"protocol": "http", "host": "127.0.0.1", "port": strconv.Itoa(port),
				"max_retry_count": "1", "login_timeout": "20s", "disable_telemetry": "true"}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sf.Close() })
		hierarchytest.Exec(t, sf, "CREATE SCHEMA IF NOT EXISTS qtest")
		return queryEngine{dialect: name, conn: sf, schema: "qtest", prefix: "qtest."}
	}
	e := hierarchytest.OpenEngine(t, name)
	q := queryEngine{dialect: name, conn: e.Conn, schema: e.Schema}
	if e.Schema != "" {
		q.prefix = e.Schema + "."
	}
	return q
}

// TestQueriesOnEngines runs every case's compiled query on DuckDB,
// PostgreSQL, MariaDB and fakesnow over the generated star schema and
// compares its rows with the case's hand-written SQL on the same engine.
func TestQueriesOnEngines(t *testing.T) {
	star := genStar()
	for _, name := range []string{d.DuckDB, d.Postgres, d.MySQL, d.Snowflake} {
		t.Run(name, func(t *testing.T) {
			e := openQueryEngine(t, name)
			star.load(t, e.conn, e.prefix)
			for _, c := range cases() {
				t.Run(c.name, func(t *testing.T) {
					out, err := Compile(c.layer(e.schema), c.spec, e.dialect)
					if err != nil {
						t.Fatal(err)
					}
					got := run(t, e, out.SQL)
					want := run(t, e, strings.ReplaceAll(c.hand, "{s}", e.prefix))
					ngroups := 0
					for _, col := range out.Columns {
						if col.Kind == KindGroup {
							ngroups += len(col.SQL)
						}
					}
					if msg := sameRows(got, want, ngroups, c.ordered); msg != "" {
						t.Errorf("%s\ncompiled:\n%s\ngot  %v\nwant %v", msg, out.SQL, got, want)
					}
				})
			}
		})
	}
}

// TestTrapsInData makes sure the data sets the traps the cases guard
// against: joining lines to their header multiplies freight, so does
// joining both facts through their customer (a chasm), joining every
// SCD-2 version duplicates rows, and an empty month exists.
func TestTrapsInData(t *testing.T) {
	e := openQueryEngine(t, d.DuckDB)
	genStar().load(t, e.conn, e.prefix)
	naive := run(t, e, "SELECT o.channel, SUM(o.freight) FROM order_lines l JOIN orders o ON o.order_id = l.order_id GROUP BY o.channel")
	right := run(t, e, "SELECT channel, SUM(freight) FROM orders GROUP BY channel")
	if sameRows(naive, right, 1, false) == "" {
		t.Error("freight through the lines equals freight: no fan-out in the data")
	}
	// The chasm: lines and orders of a customer joined through it.
	naive = run(t, e, "SELECT c.segment, SUM(o.freight) FROM customer c JOIN order_lines l ON l.customer_id = c.customer_id JOIN orders o ON o.customer_id = c.customer_id WHERE c.is_current = 1 GROUP BY c.segment")
	right = run(t, e, "SELECT c.segment, SUM(o.freight) FROM customer c JOIN orders o ON o.customer_id = c.customer_id WHERE c.is_current = 1 GROUP BY c.segment")
	if sameRows(naive, right, 1, false) == "" {
		t.Error("freight through the customer's lines equals freight: no chasm in the data")
	}
	naive = run(t, e, "SELECT c.segment, SUM(l.amount) FROM order_lines l LEFT JOIN customer c ON c.customer_id = l.customer_id GROUP BY c.segment")
	right = run(t, e, "SELECT c.segment, SUM(l.amount) FROM order_lines l LEFT JOIN customer c ON c.customer_id = l.customer_id AND c.is_current = 1 GROUP BY c.segment")
	if sameRows(naive, right, 1, false) == "" {
		t.Error("every SCD-2 version gives the same sums as the current one")
	}
	if n := run(t, e, "SELECT COUNT(*) FROM orders WHERE order_date >= DATE '2024-02-01' AND order_date < DATE '2024-03-01'"); n[0][0] != "0" {
		t.Errorf("February 2024 has %s orders", n[0][0])
	}
	if n := run(t, e, "SELECT COUNT(*) FROM order_lines WHERE customer_id IS NULL"); n[0][0] == "0" {
		t.Error("no line without a customer")
	}
	if n := run(t, e, "SELECT COUNT(*) FROM order_lines WHERE product_id IS NULL"); n[0][0] == "0" {
		t.Error("no line without a product")
	}
}

// run returns a query's rows as normalized text: NULL, numbers in lowest
// terms (integers without a point, others with ten decimals), strings.
func run(t *testing.T, e queryEngine, sql string) [][]string {
	t.Helper()
	res, err := e.conn.Query(context.Background(), sql, connector.QueryOptions{MaxRows: -1})
	if err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	out := make([][]string, len(res.Rows))
	for i, r := range res.Rows {
		for _, v := range r {
			out[i] = append(out[i], norm(v))
		}
	}
	return out
}

func norm(v any) string {
	if v == nil {
		return "NULL"
	}
	var s string
	switch x := v.(type) {
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		s = strconv.FormatFloat(float64(x), 'g', -1, 32)
	case []byte:
		s = string(x)
	default:
		s = fmt.Sprint(v)
	}
	if r, ok := new(big.Rat).SetString(strings.TrimSpace(s)); ok {
		if r.IsInt() {
			return r.Num().String()
		}
		return r.FloatString(10)
	}
	return s
}

// sameRows compares two results as multisets (or in order) of rows: the
// first ngroups columns exactly, the others as numbers equal to within
// 1e-9 relative (exact sums are exactly equal; ratios are computed in
// floating point).
func sameRows(got, want [][]string, ngroups int, ordered bool) string {
	return sameRowsWithin(got, want, ngroups, ordered, 1e-9)
}

// sameRowsWithin is sameRows with numbers equal to within tol relative.
func sameRowsWithin(got, want [][]string, ngroups int, ordered bool, tol float64) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d rows, want %d", len(got), len(want))
	}
	key := func(r []string) string { return strings.Join(r[:min(ngroups, len(r))], "\x00") }
	g, w := append([][]string{}, got...), append([][]string{}, want...)
	if !ordered {
		sort.SliceStable(g, func(i, j int) bool { return key(g[i]) < key(g[j]) })
		sort.SliceStable(w, func(i, j int) bool { return key(w[i]) < key(w[j]) })
	}
	for i := range g {
		if len(g[i]) != len(w[i]) {
			return fmt.Sprintf("row %d has %d columns, want %d", i, len(g[i]), len(w[i]))
		}
		for j := range g[i] {
			a, b := g[i][j], w[i][j]
			if a == b {
				continue
			}
			if j >= ngroups && closeNum(a, b, tol) {
				continue
			}
			return fmt.Sprintf("row %v column %d: %s, want %s", g[i][:ngroups], j+1, a, b)
		}
	}
	return ""
}

func closeNum(a, b string, tol float64) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return math.Abs(x-y) <= tol*math.Max(1, math.Max(math.Abs(x), math.Abs(y)))
}
