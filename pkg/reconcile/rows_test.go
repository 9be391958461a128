package reconcile

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/all"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/testenv"
)

// The planted-difference fixtures: a generator plants known differences
// (and known non-differences: values within tolerance, the same numbers
// in other types, timestamps in other zones and precisions, trailing
// spaces under --trim, -0) between two tables; every engine and pair of
// engines must report exactly the planted differences.

type fxRow struct {
	id     *string
	amount decimal.Decimal
	negZ   bool // amount is a -0 on the right
	qty    int64
	price  decimal.Decimal
	name   string
	posted time.Time
}

type fixture struct {
	left, right []fxRow
	onlyLeft    []string
	onlyRight   []string
	changed     map[string][]string  // key -> columns
	within      [][2]decimal.Decimal // amounts that differ by exactly the tolerance (left, right)
	dupLeft     int64
	matched     int64
}

func fxStr(s string) *string { return &s }

func genFixture(seed int64, n int) *fixture { return genFixtureDup(seed, n, true) }

// genFixtureDup: dup says whether a key is held twice on the left (a
// same-engine comparison then takes its grouped form instead of the join).
func genFixtureDup(seed int64, n int, dup bool) *fixture {
	rng := rand.New(rand.NewSource(seed))
	f := &fixture{changed: map[string][]string{}}
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	var dupRow *fxRow
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("K%04d", i)
		if i%7 == 3 {
			key = fmt.Sprintf("k%04d-b", i) // lower case sorts after upper in C, before in en_US
		}
		l := fxRow{
			id:     fxStr(key),
			amount: decimal.New(rng.Int63n(2_000_000)-1_000_000, -2),
			qty:    rng.Int63n(1000),
			price:  decimal.New(rng.Int63n(100_000), -2),
			name:   fmt.Sprintf("Vendor %d GmbH", rng.Intn(500)),
			posted: base.Add(time.Duration(rng.Int63n(1e6)) * time.Second).Add(time.Duration(rng.Intn(1000)) * time.Millisecond),
		}
		r := l
		switch p := rng.Intn(100); {
		case p < 2:
			f.left = append(f.left, l)
			f.onlyLeft = append(f.onlyLeft, key)
			continue
		case p < 4:
			f.right = append(f.right, r)
			f.onlyRight = append(f.onlyRight, key)
			continue
		case p < 7:
			r.amount = r.amount.Add(decimal.NewFromInt(1))
			f.changed[key] = []string{"amount"}
		case p < 10:
			r.amount = r.amount.Add(decimal.New(1, -2)) // within abs:0.01
			f.within = append(f.within, [2]decimal.Decimal{l.amount, r.amount})
		case p < 12:
			r.name = r.name + " Ltd"
			f.changed[key] = []string{"name"}
		case p < 13:
			r.name = r.name + "  " // trailing spaces, --trim name
		case p < 15:
			r.qty++
			f.changed[key] = []string{"qty"}
		case p < 16:
			r.posted = r.posted.Add(time.Second)
			f.changed[key] = []string{"posted"}
		case p < 17:
			r.amount = decimal.Zero
			l.amount = decimal.Zero
			r.negZ = true
		case p < 18:
			r.amount = r.amount.Add(decimal.NewFromInt(-3))
			r.qty += 2
			f.changed[key] = []string{"amount", "qty"}
		default:
			if dupRow == nil && p > 50 {
				dupRow = &l
			}
		}
		f.left = append(f.left, l)
		f.right = append(f.right, r)
		f.matched++
	}
	// A key held twice on the left: a duplicate, not matched.
	if dup {
		f.left = append(f.left, *dupRow)
		f.dupLeft = 1
		f.matched--
	}
	// NULL keys on both sides.
	nk := f.left[0]
	nk.id = nil
	f.left = append(f.left, nk)
	f.right = append(f.right, nk)
	// Keys equal under a case-insensitive or pad-space collation are
	// different keys: MX and mx on both sides, "mx " on the left only.
	for _, k := range []string{"MX", "mx"} {
		x := f.left[1]
		x.id = fxStr(k)
		f.left = append(f.left, x)
		f.right = append(f.right, x)
		f.matched++
	}
	x := f.left[1]
	x.id = fxStr("mx ")
	f.left = append(f.left, x)
	f.onlyLeft = append(f.onlyLeft, "mx ")
	// Shuffle the right side: order must not matter.
	rng.Shuffle(len(f.right), func(i, j int) { f.right[i], f.right[j] = f.right[j], f.right[i] })
	return f
}

// tableSpec is how a fixture side is stored on an engine: the DDL column
// types and how each value is written.
type tableSpec struct {
	engine string // duckdb, postgres, mysql, csv
	types  [6]string
	// amount: "dec", "double", "text"; qty: "int", "dec", "text",
	// "double"; posted: "ts6", "tz", "ms".
	amount, qty, posted string
}

var (
	leftDuck  = tableSpec{engine: "duckdb", types: [6]string{"VARCHAR", "DECIMAL(18,2)", "INTEGER", "DOUBLE", "VARCHAR", "TIMESTAMP"}, amount: "dec", qty: "int", posted: "ts6"}
	rightDuck = tableSpec{engine: "duckdb", types: [6]string{"VARCHAR", "DOUBLE", "DECIMAL(18,2)", "DECIMAL(18,4)", "VARCHAR", "TIMESTAMPTZ"}, amount: "double", qty: "dec", posted: "tz"}
	leftPG    = tableSpec{engine: "postgres", types: [6]string{"TEXT", "NUMERIC(18,2)", "INTEGER", "DOUBLE PRECISION", "TEXT", "TIMESTAMP(6)"}, amount: "dec", qty: "int", posted: "ts6"}
	rightPG   = tableSpec{engine: "postgres", types: [6]string{"VARCHAR(40)", "NUMERIC(18,2)", "TEXT", "NUMERIC(18,4)", "TEXT", "TIMESTAMPTZ(3)"}, amount: "dec", qty: "text", posted: "tz"}
	leftMy    = tableSpec{engine: "mysql", types: [6]string{"VARCHAR(40)", "DECIMAL(18,2)", "INT", "DOUBLE", "VARCHAR(80)", "DATETIME(6)"}, amount: "dec", qty: "int", posted: "ts6"}
	rightMy   = tableSpec{engine: "mysql", types: [6]string{"VARCHAR(40)", "TEXT", "DOUBLE", "DECIMAL(18,4)", "VARCHAR(80)", "DATETIME(3)"}, amount: "text", qty: "double", posted: "ms"}
	leftCSV   = tableSpec{engine: "csv", amount: "dec", qty: "int", posted: "ts6"}
)

func fxLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (ts tableSpec) values(r fxRow) []string {
	id := "NULL"
	if r.id != nil {
		id = fxLit(*r.id)
	}
	amount := r.amount.StringFixed(2)
	switch ts.amount {
	case "double":
		if r.negZ {
			amount = "-0.0"
		}
		amount = "CAST(" + amount + " AS DOUBLE)"
	case "text":
		if r.negZ {
			amount = "-0.00"
		}
		amount = fxLit(amount)
	}
	qty := fmt.Sprint(r.qty)
	switch ts.qty {
	case "dec":
		qty += ".00"
	case "text":
		qty = fxLit(qty)
	case "double":
		qty += "e0"
	}
	var posted string
	switch ts.posted {
	case "ts6":
		posted = fxLit(r.posted.Format("2006-01-02 15:04:05.000000"))
	case "ms":
		posted = fxLit(r.posted.Format("2006-01-02 15:04:05.000"))
	case "tz":
		posted = fxLit(r.posted.In(time.FixedZone("", 2*3600)).Format("2006-01-02 15:04:05.000000-07:00"))
	}
	if ts.engine == "databricks" {
		// Spark's store assignment takes no text into a TIMESTAMP.
		posted = "CAST(" + posted + " AS TIMESTAMP)"
	}
	return []string{id, amount, qty, r.price.String(), fxLit(r.name), posted}
}

var fxCols = [6]string{"id", "amount", "qty", "price", "name", "posted"}

// rowsEnv is a project with the engines' connections: duck (a DuckDB file),
// pg, maria (when their URLs are set) and csv (a files folder).
type rowsEnv struct {
	t    *testing.T
	root string
	svc  *Service
	duck string
	pg   bool
	my   bool
	// spark is the Spark connection's config, once addSpark ran.
	spark connector.Config
	drop  []func()
}

func newRowsEnv(t *testing.T, needPG, needMy bool) *rowsEnv {
	t.Helper()
	e := &rowsEnv{t: t, root: t.TempDir()}
	if _, err := project.Init(e.root, "rec"); err != nil {
		t.Fatal(err)
	}
	e.duck = filepath.Join(e.root, "fx.duckdb")
	os.MkdirAll(filepath.Join(e.root, "csv"), 0o755)
	p, err := project.Open(e.root)
	if err != nil {
		t.Fatal(err)
	}
	conns := connections.New(p)
	ctx := context.Background()
	add := func(name string, c connector.Config) {
		if _, err := conns.Add(ctx, connections.AddInput{Name: name, Config: c}); err != nil {
			t.Fatal(err)
		}
	}
	add("duck", connector.Config{Type: "duckdb", Path: e.duck})
	add("csv", connector.Config{Type: "files", Path: "csv"})
	if needPG && testenv.Need(t, testenv.PostgresURL, "PostgreSQL") != "" {
		add("pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
		e.pg = true
	}
	if needMy && testenv.Need(t, testenv.MySQLURL, "MariaDB/MySQL") != "" {
		add("maria", connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}"})
		e.my = true
	}
	p, err = project.Open(e.root)
	if err != nil {
		t.Fatal(err)
	}
	e.svc = New(p, connections.New(p))
	t.Cleanup(func() {
		for _, f := range e.drop {
			f()
		}
	})
	return e
}

func (e *rowsEnv) cfg(engine string) (string, connector.Config) {
	switch engine {
	case "duckdb":
		return "duck", connector.Config{Type: "duckdb", Path: e.duck}
	case "postgres":
		return "pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"}
	case "mysql":
		return "maria", connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}"}
	case "databricks":
		return "spark", e.spark
	}
	return "csv", connector.Config{}
}

// load writes rows as table name on the spec's engine; returns CONN.TABLE.
func (e *rowsEnv) load(ts tableSpec, name string, rows []fxRow) string {
	e.t.Helper()
	if ts.engine == "csv" {
		fh, err := os.Create(filepath.Join(e.root, "csv", name+".csv"))
		if err != nil {
			e.t.Fatal(err)
		}
		w := csv.NewWriter(fh)
		w.Write(fxCols[:])
		for _, r := range rows {
			id := ""
			if r.id != nil {
				id = *r.id
			}
			w.Write([]string{id, r.amount.StringFixed(2), fmt.Sprint(r.qty), r.price.StringFixed(2), r.name, r.posted.Format("2006-01-02 15:04:05.000000")})
		}
		w.Flush()
		fh.Close()
		return "csv." + name
	}
	conn, cfg := e.cfg(ts.engine)
	ctx := context.Background()
	c, err := connector.Open(ctx, "load", cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	defer c.Close()
	var defs []string
	for i, col := range fxCols {
		defs = append(defs, col+" "+ts.types[i])
	}
	c.Exec(ctx, "DROP TABLE IF EXISTS "+name)
	if _, err := c.Exec(ctx, "CREATE TABLE "+name+" ("+strings.Join(defs, ", ")+")"); err != nil {
		e.t.Fatal(err)
	}
	if ts.engine != "duckdb" {
		e.drop = append(e.drop, func() {
			c, err := connector.Open(context.Background(), "drop", cfg)
			if err == nil {
				c.Exec(context.Background(), "DROP TABLE IF EXISTS "+name)
				c.Close()
			}
		})
	}
	for start := 0; start < len(rows); start += 500 {
		end := min(start+500, len(rows))
		var vals []string
		for _, r := range rows[start:end] {
			vals = append(vals, "("+strings.Join(ts.values(r), ", ")+")")
		}
		sql := "INSERT INTO " + name + " (" + strings.Join(fxCols[:], ", ") + ") VALUES " + strings.Join(vals, ",\n")
		if ts.engine == "mysql" {
			sql = strings.ReplaceAll(sql, "AS DOUBLE)", "AS DOUBLE)")
		}
		if _, err := c.Exec(ctx, sql); err != nil {
			e.t.Fatalf("%v\n%.500s", err, sql)
		}
	}
	return conn + "." + name
}

func fxName(prefix string) string {
	return fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano()%1_000_000_000)
}

// check runs the reconciliation and compares it with the planted truth.
func (e *rowsEnv) check(f *fixture, left, right string) *RowsResult {
	e.t.Helper()
	in := RowsInput{Left: left, Right: right, Key: []string{"id"}, Tolerance: []string{"amount=abs:0.01"}, Trim: []string{"name"}, Sample: 5}
	res, err := e.svc.Rows(context.Background(), in)
	if err != nil {
		e.t.Fatalf("%s vs %s: %v", left, right, err)
	}
	want := RowsSummary{
		LeftRows: int64(len(f.left)), RightRows: int64(len(f.right)), Matched: f.matched,
		OnlyLeft: int64(len(f.onlyLeft)), OnlyRight: int64(len(f.onlyRight)), Changed: int64(len(f.changed)),
		DuplicateKeysLeft: f.dupLeft, NullKeysLeft: 1, NullKeysRight: 1,
	}
	if testing.Verbose() {
		b, _ := json.MarshalIndent(res, "", " ")
		e.t.Logf("%s", b)
	}
	if res.Summary != want {
		e.t.Errorf("%s vs %s (%s): summary\n got %+v\nwant %+v", left, right, res.Method, res.Summary, want)
	}
	if res.Agree {
		e.t.Errorf("%s vs %s: agree with planted differences", left, right)
	}
	run, err := e.svc.Show(res.RunID)
	if err != nil {
		e.t.Fatal(err)
	}
	var rec rowsRecord
	if err := json.Unmarshal(run.Result, &rec); err != nil {
		e.t.Fatal(err)
	}
	keys := func(rows []KeyedRow) []string {
		var out []string
		for _, r := range rows {
			out = append(out, fmt.Sprint(r.Key["id"]))
		}
		sort.Strings(out)
		return out
	}
	sorted := func(xs []string) []string { xs = append([]string{}, xs...); sort.Strings(xs); return xs }
	if got, want := keys(rec.Details.OnlyLeft), sorted(f.onlyLeft); strings.Join(got, "|") != strings.Join(want, "|") {
		e.t.Errorf("%s vs %s: only left\n got %q\nwant %q", left, right, got, want)
	}
	if got, want := keys(rec.Details.OnlyRight), sorted(f.onlyRight); strings.Join(got, "|") != strings.Join(want, "|") {
		e.t.Errorf("%s vs %s: only right\n got %q\nwant %q", left, right, got, want)
	}
	got := map[string][]string{}
	for _, c := range rec.Details.Changed {
		var cols []string
		for _, v := range c.Columns {
			cols = append(cols, strings.ToLower(v.Name))
		}
		got[fmt.Sprint(c.Key["id"])] = cols
	}
	for k, cols := range f.changed {
		if strings.Join(got[k], ",") != strings.Join(cols, ",") {
			e.t.Errorf("%s vs %s: key %s changed %v, want %v", left, right, k, got[k], cols)
		}
	}
	for k, cols := range got {
		if _, ok := f.changed[k]; !ok {
			e.t.Errorf("%s vs %s: false difference at key %s: %v", left, right, k, cols)
		}
	}
	// Column counts add up to the planted ones.
	perCol := map[string]int64{}
	for _, cols := range f.changed {
		for _, c := range cols {
			perCol[c]++
		}
	}
	for _, c := range res.Columns {
		if c.Unequal != perCol[strings.ToLower(c.Name)] {
			e.t.Errorf("%s vs %s: column %s unequal %d, want %d", left, right, c.Name, c.Unequal, perCol[strings.ToLower(c.Name)])
		}
	}
	return res
}

var fxSeeds = []int64{1, 7, 42}

func TestRowsSameEngineDuckDB(t *testing.T) {
	e := newRowsEnv(t, false, false)
	for _, seed := range fxSeeds {
		f := genFixture(seed, 400)
		l := e.load(leftDuck, fmt.Sprintf("l%d", seed), f.left)
		r := e.load(rightDuck, fmt.Sprintf("r%d", seed), f.right)
		res := e.check(f, l, r)
		if res.Method != "join" {
			t.Errorf("method %s", res.Method)
		}
		// Without duplicate keys: the join form.
		u := genFixtureDup(seed, 400, false)
		e.check(u, e.load(leftDuck, fmt.Sprintf("ul%d", seed), u.left), e.load(rightDuck, fmt.Sprintf("ur%d", seed), u.right))
		// A table agrees with itself.
		same, err := e.svc.Rows(context.Background(), RowsInput{Left: l, Right: l, Key: []string{"id"}})
		if err != nil {
			t.Fatal(err)
		}
		if same.Summary.Changed != 0 || same.Summary.OnlyLeft != 0 || same.Summary.DuplicateKeysLeft != 1 {
			t.Errorf("self comparison: %+v", same.Summary)
		}
	}
}

func TestRowsSameEnginePostgres(t *testing.T) {
	e := newRowsEnv(t, true, false)
	for _, seed := range fxSeeds {
		f := genFixture(seed, 300)
		e.check(f, e.load(leftPG, fxName("rl"), f.left), e.load(rightPG, fxName("rr"), f.right))
		u := genFixtureDup(seed, 300, false)
		e.check(u, e.load(leftPG, fxName("ul"), u.left), e.load(rightPG, fxName("ur"), u.right))
	}
}

func TestRowsSameEngineMariaDB(t *testing.T) {
	e := newRowsEnv(t, false, true)
	for _, seed := range fxSeeds {
		f := genFixture(seed, 300)
		e.check(f, e.load(leftMy, fxName("rl"), f.left), e.load(rightMy, fxName("rr"), f.right))
		u := genFixtureDup(seed, 300, false)
		e.check(u, e.load(leftMy, fxName("ul"), u.left), e.load(rightMy, fxName("ur"), u.right))
	}
}

func TestRowsAcrossEngines(t *testing.T) {
	e := newRowsEnv(t, true, true)
	type pair struct {
		name string
		l, r tableSpec
	}
	pairs := []pair{{"duckdb-postgres", leftDuck, rightPG}, {"postgres-mariadb", leftPG, rightMy}, {"csv-postgres", leftCSV, rightPG}, {"mariadb-duckdb", leftMy, rightDuck}}
	for _, p := range pairs {
		if (p.l.engine == "postgres" || p.r.engine == "postgres") && !e.pg || (p.l.engine == "mysql" || p.r.engine == "mysql") && !e.my {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			for _, seed := range fxSeeds {
				f := genFixture(seed, 300)
				res := e.check(f, e.load(p.l, fxName("xl"), f.left), e.load(p.r, fxName("xr"), f.right))
				if res.Method != "segments" || res.Segments == nil || res.Segments.RowsFetched >= int64(len(f.left)+len(f.right)) {
					t.Errorf("%s: method %s, segments %+v: not a segment comparison, or everything fetched", p.name, res.Method, res.Segments)
				}
			}
		})
	}
}

func TestDetailsPaging(t *testing.T) {
	e := newRowsEnv(t, false, false)
	f := genFixture(3, 400)
	res := e.check(f, e.load(leftDuck, "dl", f.left), e.load(rightDuck, "dr", f.right))
	var keys []string
	for off := 0; ; {
		page, err := e.svc.Details(DetailsInput{ID: res.RunID, Kind: "changed", Offset: off, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != int64(len(f.changed)) || len(page.Changed) > 4 {
			t.Fatalf("page %+v", page)
		}
		for _, c := range page.Changed {
			keys = append(keys, fmt.Sprint(c.Key["id"]))
		}
		if page.NextOffset == nil {
			break
		}
		off = *page.NextOffset
	}
	if len(keys) != len(f.changed) {
		t.Errorf("paged %d changed keys, want %d", len(keys), len(f.changed))
	}
	if _, err := e.svc.Details(DetailsInput{ID: res.RunID, Kind: "bogus"}); err == nil {
		t.Error("bogus kind accepted")
	}
	if _, err := e.svc.Details(DetailsInput{ID: "../../etc", Kind: "changed"}); err == nil {
		t.Error("bad id accepted")
	}
}

// An integer key duplicated on one side, across engines: found by the
// grouped read of stored keys, its segment fetched, reported once.
func TestRowsAcrossEnginesIntegerKeyDuplicate(t *testing.T) {
	e := newRowsEnv(t, true, false)
	if !e.pg {
		return
	}
	ctx := context.Background()
	dc, err := connector.Open(ctx, "gen", connector.Config{Type: "duckdb", Path: e.duck})
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, dc, "CREATE TABLE k AS SELECT CAST(i AS BIGINT) AS id, CAST(i * 1.5 AS DECIMAL(18,2)) AS v FROM range(1, 2001) t(i)",
		"INSERT INTO k VALUES (77, 115.50), (78, 117.00)")
	dc.Close()
	name := fxName("kdup")
	_, cfg := e.cfg("postgres")
	pc, err := connector.Open(ctx, "gen", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	execAll(t, pc, "CREATE TABLE "+name+" AS SELECT CAST(i AS INTEGER) AS id, CAST(i * 1.5 AS NUMERIC(18,2)) AS v FROM generate_series(1, 2000) t(i)",
		"INSERT INTO "+name+" VALUES (78, 117.00)")
	e.drop = append(e.drop, func() { pc.Exec(context.Background(), "DROP TABLE IF EXISTS "+name) })
	res, err := e.svc.Rows(ctx, RowsInput{Left: "duck.k", Right: "pg." + name, Key: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	want := RowsSummary{LeftRows: 2002, RightRows: 2001, Matched: 1998, DuplicateKeysLeft: 2, DuplicateKeysRight: 1}
	if res.Summary != want || res.Agree {
		t.Errorf("summary %+v, want %+v", res.Summary, want)
	}
}

// A key the engine guarantees unique (a declared UNIQUE or PRIMARY KEY on
// DuckDB, which enforces them) skips the duplicate-key pass and reports
// the same planted differences; a key column set that only contains other
// columns, or an engine that does not enforce keys, does not count.
func TestRowsDeclaredUniqueKey(t *testing.T) {
	e := newRowsEnv(t, false, false)
	uL, uR := leftDuck, rightDuck
	uL.types[0] += " UNIQUE"
	uR.types[0] += " UNIQUE"
	for _, seed := range fxSeeds[:2] {
		f := genFixtureDup(seed, 300, false)
		l, r := e.load(uL, fmt.Sprintf("ul%d", seed), f.left), e.load(uR, fmt.Sprintf("ur%d", seed), f.right)
		e.check(f, l, r)
		sd, err := e.svc.openSide(context.Background(), l)
		if err != nil {
			t.Fatal(err)
		}
		if !sd.keyUnique([]string{"ID"}) || !sd.keyUnique([]string{"name", "id"}) || sd.keyUnique([]string{"name"}) {
			t.Errorf("%s: declared keys %v", l, sd.unique)
		}
		sd.c.Close()
	}
	// A planted duplicate cannot exist under the constraint: DuckDB
	// refuses it, which is what makes skipping the pass safe.
	c, err := connector.Open(context.Background(), "dup", connector.Config{Type: "duckdb", Path: e.duck})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Exec(context.Background(), "INSERT INTO ul1 (id) SELECT id FROM ul1 WHERE id IS NOT NULL LIMIT 1"); err == nil {
		t.Fatal("DuckDB accepted a duplicate under a UNIQUE constraint")
	}
	// Engines that accept keys as information only are never trusted.
	for _, dl := range []string{"snowflake", "bigquery", "databricks"} {
		if dialect.Capabilities(dl).EnforcedKeys {
			t.Errorf("%s: keys taken as enforced", dl)
		}
	}
}
