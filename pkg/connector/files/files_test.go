package files

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/duckdb"
)

func abs(t testing.TB, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func openFiles(t testing.TB, cfg connector.Config) connector.Connector {
	t.Helper()
	cfg.Type = Type
	c, err := connector.Open(context.Background(), "src", cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func query(t testing.TB, c connector.Querier, q string, args ...any) [][]any {
	t.Helper()
	res, err := c.Query(context.Background(), q, connector.QueryOptions{MaxRows: -1}, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res.Rows
}

func columnTypes(d *catalog.TableDetail) map[string]string {
	out := map[string]string{}
	for _, c := range d.Columns {
		out[c.Name] = c.Type
	}
	return out
}

func TestViewName(t *testing.T) {
	for in, want := range map[string]string{
		"gl_transactions.csv":               "gl_transactions",
		"/data/GL Transactions 2024.csv.gz": "gl_transactions_2024",
		"2024-budget.parquet":               "t_2024_budget",
		"Trial-Balance.Q1.json":             "trial_balance_q1",
		"events.jsonl":                      "events",
		"o'brien's ledger.tsv":              "o_brien_s_ledger",
		"Grootboek 2024.csv":                "grootboek_2024",
		"café.csv":                          "caf_",
	} {
		if got := ViewName(in); got != want {
			t.Errorf("ViewName(%q) = %q, want %q", in, got, want)
		}
	}
}

func sourcesOf(ss []Source) (views []string) {
	for _, s := range ss {
		views = append(views, s.View)
	}
	return views
}

func TestResolve(t *testing.T) {
	fin := abs(t, "testdata/finance")

	got, err := Resolve([]string{"testdata/finance"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if v := sourcesOf(got); !reflect.DeepEqual(v, []string{"accounts", "cost_centers", "fx_rates", "gl_transactions"}) {
		t.Errorf("folder: views %v", v)
	}
	want := Source{Path: filepath.Join(fin, "fx_rates.ndjson"), Format: FormatNDJSON, View: "fx_rates"}
	if got[2] != want {
		t.Errorf("source = %+v, want %+v", got[2], want)
	}

	got, err = Resolve([]string{"testdata/finance"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if v := sourcesOf(got); !reflect.DeepEqual(v, []string{"accounts", "gl_2023", "cost_centers", "fx_rates", "gl_transactions"}) {
		t.Errorf("recursive: views %v", v)
	}

	// A glob; and the same file listed again is read once.
	got, err = Resolve([]string{"testdata/finance/*.csv", "testdata/finance/accounts.csv", ""}, false)
	if err != nil {
		t.Fatal(err)
	}
	if v := sourcesOf(got); !reflect.DeepEqual(v, []string{"accounts", "gl_transactions"}) {
		t.Errorf("glob: views %v", v)
	}

	empty := t.TempDir()
	for _, tc := range []struct {
		entries []string
		want    string
	}{
		{[]string{"testdata/nope.csv"}, `path "testdata/nope.csv" matches nothing`},
		{[]string{"testdata/finance/*.xlsx"}, `path "testdata/finance/*.xlsx" matches no data files`},
		{[]string{empty}, "matches no data files: folder " + empty},
		{[]string{"testdata/finance/README.txt"}, "README.txt is not a supported data file"},
		{[]string{"", " "}, "no files configured"},
		{[]string{"testdata/finance/[a"}, "not a valid glob"},
	} {
		_, err := Resolve(tc.entries, false)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Resolve(%q) = %v, want error containing %q", tc.entries, err, tc.want)
		}
	}
}

// Two files whose names sanitise to the same view are an error that names
// both, whichever way they are listed.
func TestNameCollision(t *testing.T) {
	a, b := abs(t, "testdata/collide/GL-2024.csv"), abs(t, "testdata/collide/gl_2024.csv")
	for _, cfg := range []connector.Config{
		{Type: Type, Path: "testdata/collide"},
		{Type: Type, Paths: []string{"testdata/collide/gl_2024.csv", "testdata/collide/GL-2024.csv"}},
	} {
		_, err := connector.Open(context.Background(), "src", cfg)
		if err == nil {
			t.Fatal("collision not reported")
		}
		msg := err.Error()
		if !strings.Contains(msg, a) || !strings.Contains(msg, b) || !strings.Contains(msg, `view "gl_2024"`) {
			t.Errorf("collision error does not name both files and the view: %v", err)
		}
	}
	// Listing just one of them is fine.
	c := openFiles(t, connector.Config{Path: "testdata/collide/GL-2024.csv"})
	if rows := query(t, c, "SELECT id FROM gl_2024"); !reflect.DeepEqual(rows, [][]any{{int64(1)}}) {
		t.Errorf("rows = %v", rows)
	}
}

func TestRegisteredAndCheck(t *testing.T) {
	e, ok := connector.Lookup(Type)
	if !ok || e.Dialect != "duckdb" {
		t.Fatalf("files engine: %+v %v", e, ok)
	}
	for _, tc := range []struct {
		cfg  connector.Config
		want string
	}{
		{connector.Config{Type: Type}, "no files configured"},
		{connector.Config{Type: Type, Path: "x.csv", Options: map[string]string{"delim": ";"}}, `unknown option "delim"`},
	} {
		if err := connector.CheckConfig(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckConfig(%+v) = %v, want %q", tc.cfg, err, tc.want)
		}
	}
	_, err := connector.Open(context.Background(), "src", connector.Config{Type: Type, Path: "testdata/finance", Options: map[string]string{"header": "maybe"}})
	if err == nil || !strings.Contains(err.Error(), "header must be true or false") {
		t.Errorf("bad header option: %v", err)
	}
}

func TestFinanceFolder(t *testing.T) {
	c := openFiles(t, connector.Config{Path: "testdata/finance"})
	ctx := context.Background()
	fin := abs(t, "testdata/finance")
	if c.Dialect() != "duckdb" {
		t.Errorf("dialect %s", c.Dialect())
	}

	schemas, err := c.Schemas(ctx)
	if err != nil || !reflect.DeepEqual(schemas, []catalog.Schema{{Name: "main"}}) {
		t.Fatalf("schemas = %v %v", schemas, err)
	}
	tables, err := c.Tables(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var want []catalog.Table
	for _, f := range []string{"accounts.csv", "cost_centers.json", "fx_rates.ndjson", "gl_transactions.csv"} {
		want = append(want, catalog.Table{Schema: "main", Name: ViewName(f), Kind: catalog.KindFile, Location: filepath.Join(fin, f)})
	}
	if !reflect.DeepEqual(tables, want) {
		t.Fatalf("tables = %+v\nwant %+v", tables, want)
	}

	gl, err := c.Describe(ctx, "", "gl_transactions")
	if err != nil {
		t.Fatal(err)
	}
	if gl.Kind != catalog.KindFile || gl.Location != filepath.Join(fin, "gl_transactions.csv") {
		t.Errorf("gl table = %+v", gl.Table)
	}
	types := columnTypes(gl)
	for col, typ := range map[string]string{
		"journal_id":   "VARCHAR",
		"line_no":      "BIGINT",
		"posting_date": "DATE",
		"account_code": "VARCHAR", // 0100-000: DuckDB keeps it as text, leading zero intact
		"cost_center":  "VARCHAR", // 007: all digits, but DuckDB's sniffer keeps leading-zero numbers as text
		"description":  "VARCHAR",
		"debit":        "DECIMAL(18,2)", // money is read as DECIMAL, never DOUBLE
		"credit":       "DECIMAL(18,2)",
		"currency":     "VARCHAR",
	} {
		if types[col] != typ {
			t.Errorf("gl_transactions.%s type %q, want %q (all: %v)", col, types[col], typ, types)
		}
	}
	if len(gl.Columns) != 10 || gl.Columns[0].Name != "journal_id" || gl.Columns[9].Position != 10 {
		t.Errorf("columns = %+v", gl.Columns)
	}

	if rows := query(t, c, "SELECT DISTINCT cost_center FROM gl_transactions ORDER BY 1"); !reflect.DeepEqual(rows, [][]any{{"000"}, {"007"}, {"012"}, {"021"}}) {
		t.Errorf("cost centres %v", rows)
	}
	rows := query(t, c, `SELECT account_code, posting_date, description, debit
		FROM gl_transactions WHERE journal_id = ? ORDER BY line_no`, "JE-2024-0002")
	wantRows := [][]any{
		{"6100-200", "2024-01-31", "Rent, January", "12500.50"},
		{"0100-000", "2024-01-31", "Rent, January", "0.00"},
	}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("rows = %#v", rows)
	}
	// The ledger balances: sum in exact decimals.
	rows = query(t, c, `SELECT sum(debit::DECIMAL(18,2)) = sum(credit::DECIMAL(18,2)), count(*),
		count(DISTINCT account_code) FILTER (WHERE starts_with(account_code, '0')) FROM gl_transactions`)
	if !reflect.DeepEqual(rows, [][]any{{true, int64(10), int64(1)}}) {
		t.Errorf("balance check = %v", rows)
	}

	// JSON: strings stay strings ("007"), nulls are nulls.
	cc, err := c.Describe(ctx, "main", "cost_centers")
	if err != nil {
		t.Fatal(err)
	}
	if ct := columnTypes(cc); ct["cost_center"] != "VARCHAR" || ct["active"] != "BOOLEAN" {
		t.Errorf("cost_centers types %v", ct)
	}
	rows = query(t, c, "SELECT cost_center, manager FROM cost_centers WHERE name = ?", "Facilities")
	if !reflect.DeepEqual(rows, [][]any{{"012", nil}}) {
		t.Errorf("cost_centers rows %v", rows)
	}
	rows = query(t, c, "SELECT count(*), max(rate_date)::VARCHAR FROM fx_rates")
	if !reflect.DeepEqual(rows, [][]any{{int64(3), "2024-02-29"}}) {
		t.Errorf("fx_rates rows %v", rows)
	}

	// Joins across files work as in any DuckDB database.
	rows = query(t, c, `SELECT a.account_type, sum(g.debit - g.credit)::DECIMAL(18,2)
		FROM gl_transactions g JOIN accounts a USING (account_code)
		GROUP BY 1 ORDER BY 1`)
	if len(rows) != 4 || rows[0][0] != "Asset" {
		t.Errorf("join rows %v", rows)
	}

	if _, err := c.Describe(ctx, "", "missing"); !errors.Is(err, connector.ErrTableNotFound) || !strings.Contains(err.Error(), "main.missing") {
		t.Errorf("missing table: %v", err)
	}
}

func TestQueryRowCapAndTimeout(t *testing.T) {
	c := openFiles(t, connector.Config{Path: "testdata/finance/gl_transactions.csv"})
	ctx := context.Background()
	for _, tc := range []struct {
		max, rows int
		truncated bool
	}{{10, 10, false}, {9, 9, true}, {11, 10, false}} {
		res, err := c.Query(ctx, "SELECT * FROM gl_transactions", connector.QueryOptions{MaxRows: tc.max})
		if err != nil {
			t.Fatal(err)
		}
		if res.RowCount != tc.rows || res.Truncated != tc.truncated || res.MaxRows != tc.max {
			t.Errorf("max %d: %d rows truncated=%v, want %d %v", tc.max, res.RowCount, res.Truncated, tc.rows, tc.truncated)
		}
	}
	_, err := c.Query(ctx, `SELECT count(*) FROM gl_transactions, range(100000000) a, range(100000000) b WHERE a.range = b.range + 1`,
		connector.QueryOptions{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("timeout: %v", err)
	}
}

func TestParquetWrittenByDuckDB(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "trial_balance.parquet")
	db, err := duckdb.OpenDB("", false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`COPY (
		SELECT * FROM (VALUES
			('0100-000', DATE '2024-03-31', 245789.15::DECIMAL(18,2)),
			('1200-000', DATE '2024-03-31', 0.00::DECIMAL(18,2)),
			('3000-000', DATE '2024-03-31', -250000.00::DECIMAL(18,2))
		) t(account_code, period_end, balance)
	) TO ` + duckdb.QuoteLiteral(out) + ` (FORMAT parquet)`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	c := openFiles(t, connector.Config{Paths: []string{out, "testdata/finance/accounts.csv"}})
	d, err := c.Describe(context.Background(), "", "trial_balance")
	if err != nil {
		t.Fatal(err)
	}
	if ct := columnTypes(d); ct["balance"] != "DECIMAL(18,2)" || ct["period_end"] != "DATE" || ct["account_code"] != "VARCHAR" {
		t.Errorf("parquet types %v", ct)
	}
	if d.Kind != catalog.KindFile || d.Location != out {
		t.Errorf("parquet table %+v", d.Table)
	}
	rows := query(t, c, `SELECT t.account_code, a.account_name, t.balance FROM trial_balance t
		JOIN accounts a USING (account_code) ORDER BY 1 LIMIT 1`)
	if !reflect.DeepEqual(rows, [][]any{{"0100-000", "Cash at bank", "245789.15"}}) {
		t.Errorf("rows %#v", rows)
	}
}

func TestCompressedAndOddNames(t *testing.T) {
	dir := t.TempDir()
	gzPath := filepath.Join(dir, "GL Lines.csv.gz")
	f, err := os.Create(gzPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	fmt.Fprint(zw, "account_code,amount\n0100-000,1.25\n0200-000,2.50\n")
	zw.Close()
	f.Close()
	quoted := filepath.Join(dir, "o'brien's ledger.csv")
	os.WriteFile(quoted, []byte("a,b\n1,2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "events.jsonl"), []byte(`{"id":1,"kind":"post"}`+"\n"+`{"id":2,"kind":"void"}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden.csv"), []byte("x\n1\n"), 0o644)

	c := openFiles(t, connector.Config{Path: dir})
	tables, err := c.Tables(context.Background(), "main")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Name)
	}
	if !reflect.DeepEqual(names, []string{"events", "gl_lines", "o_brien_s_ledger"}) {
		t.Errorf("views %v", names)
	}
	if rows := query(t, c, "SELECT sum(amount), min(account_code) FROM gl_lines"); !reflect.DeepEqual(rows, [][]any{{"3.75", "0100-000"}}) {
		t.Errorf("gz rows %v", rows)
	}
	if rows := query(t, c, "SELECT a + b FROM o_brien_s_ledger"); !reflect.DeepEqual(rows, [][]any{{int64(3)}}) {
		t.Errorf("quoted-path rows %v", rows)
	}
	if rows := query(t, c, "SELECT kind FROM events ORDER BY id"); !reflect.DeepEqual(rows, [][]any{{"post"}, {"void"}}) {
		t.Errorf("jsonl rows %v", rows)
	}
}

func TestCSVOptions(t *testing.T) {
	c := openFiles(t, connector.Config{
		Path:    "testdata/eu",
		Options: map[string]string{"delimiter": ";", "header": "true", "dateformat": "%d/%m/%Y"},
	})
	d, err := c.Describe(context.Background(), "", "grootboek_2024")
	if err != nil {
		t.Fatal(err)
	}
	if ct := columnTypes(d); ct["datum"] != "DATE" || ct["bedrag"] != "DECIMAL(18,2)" {
		t.Errorf("types %v", ct)
	}
	rows := query(t, c, "SELECT datum, bedrag FROM grootboek_2024 ORDER BY boeking")
	if !reflect.DeepEqual(rows, [][]any{{"2024-01-31", "1250.50"}, {"2024-02-29", "-99.99"}}) {
		t.Errorf("rows %v", rows)
	}

	// header=false: the header line is data and columns get DuckDB's names.
	c2 := openFiles(t, connector.Config{Path: "testdata/eu", Options: map[string]string{"delimiter": ";", "header": "false"}})
	rows = query(t, c2, "SELECT column0 FROM grootboek_2024 LIMIT 1")
	if !reflect.DeepEqual(rows, [][]any{{"boeking"}}) {
		t.Errorf("header=false rows %v", rows)
	}
}

func TestRelativePathsUseWorkingDirectory(t *testing.T) {
	t.Chdir("testdata")
	c := openFiles(t, connector.Config{Paths: []string{"finance/accounts.csv"}})
	d, err := c.Describe(context.Background(), "", "accounts")
	if err != nil {
		t.Fatal(err)
	}
	if d.Location != abs(t, "finance/accounts.csv") {
		t.Errorf("location %s", d.Location)
	}
}

func TestNothingMatches(t *testing.T) {
	for _, p := range []string{"testdata/does-not-exist", "testdata/finance/*.parquet"} {
		_, err := connector.Open(context.Background(), "src", connector.Config{Type: Type, Path: p})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("path %q", p)) {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// A CSV whose rows disagree on the number of fields is refused when the
// connection opens, naming the file and the line.
func TestMalformedCSVAtOpen(t *testing.T) {
	bad := abs(t, "testdata/bad/extra_columns.csv")
	_, err := connector.Open(context.Background(), "src", connector.Config{Type: Type, Path: "testdata/bad"})
	var ce *CSVError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *CSVError", err)
	}
	if ce.File != bad || ce.Line != 3 || !strings.Contains(ce.Original, "beta") {
		t.Errorf("CSVError = %+v", ce)
	}
	if msg := err.Error(); !strings.Contains(msg, bad+", line 3") {
		t.Errorf("message does not name file and line: %s", msg)
	}
	t.Logf("error: %v", err)
}

// A bad line past the part DuckDB samples is found by the query that reads
// it; the error still names the file and line.
func TestMalformedCSVAtQuery(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "big_ledger.csv")
	var b strings.Builder
	b.WriteString("id,account_code,amount\n")
	for i := 1; i <= 30000; i++ {
		fmt.Fprintf(&b, "%d,%04d-000,%d.25\n", i, i%50, i)
	}
	b.WriteString("30001,0001-000,12.50,surprise\n")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	c := openFiles(t, connector.Config{Path: p})
	_, err := c.Query(context.Background(), "SELECT sum(amount) FROM big_ledger", connector.QueryOptions{})
	var ce *CSVError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *CSVError", err)
	}
	if ce.File != p || ce.Line != 30002 {
		t.Errorf("CSVError = %+v", ce)
	}
	if !strings.Contains(err.Error(), p+", line 30002") {
		t.Errorf("message: %s", err)
	}
	t.Logf("error: %v", err)
}

func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "leak.csv")
	ro := openFiles(t, connector.Config{Path: "testdata/finance", ReadOnly: true})
	if _, err := ro.Query(ctx, "SELECT count(*) FROM accounts", connector.QueryOptions{}); err != nil {
		t.Fatal(err)
	}
	var refused *connector.ErrWriteRefused
	if _, err := ro.Exec(ctx, "COPY accounts TO "+duckdb.QuoteLiteral(out)); !errors.As(err, &refused) {
		t.Errorf("COPY TO: %v", err)
	}
	if _, err := ro.Exec(ctx, "CREATE TABLE x AS SELECT * FROM accounts"); !errors.As(err, &refused) {
		t.Errorf("CREATE TABLE: %v", err)
	}
	tx, err := ro.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "DROP VIEW accounts"); !errors.As(err, &refused) {
		t.Errorf("DROP in tx: %v", err)
	}
	tx.Rollback()
	if _, err := os.Stat(out); err == nil {
		t.Error("read-only connection wrote a file")
	}

	// Without read_only, scratch tables live in the in-memory database,
	// next to the file views, and transactions work.
	rw := openFiles(t, connector.Config{Path: "testdata/finance"})
	tx, err = rw.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "CREATE TABLE asset_accounts AS SELECT * FROM accounts WHERE account_type = ?", "Asset"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	d, err := rw.Describe(ctx, "", "asset_accounts")
	if err != nil || d.Kind != catalog.KindTable || d.Location != "" {
		t.Fatalf("scratch table %+v %v", d, err)
	}
	if rows := query(t, rw, "SELECT count(*) FROM asset_accounts"); rows[0][0] != int64(2) {
		t.Errorf("asset accounts %v", rows)
	}
}

// BenchmarkFilesQuery aggregates a generated 100,000-row general-ledger CSV
// (about 4.6 MB: journal id, date, account code, cost centre, amount) through
// the files connector, as an analyst's GROUP BY would.
func BenchmarkFilesQuery(b *testing.B) {
	path := writeLedger(b, 100_000)
	c := openFiles(b, connector.Config{Path: path})
	ctx := context.Background()
	defer reportSize(b, path)
	for b.Loop() {
		res, err := c.Query(ctx, `SELECT account_code, date_trunc('month', posting_date) AS month, sum(amount) AS total, count(*) AS n
			FROM ledger_100000 GROUP BY ALL ORDER BY ALL`, connector.QueryOptions{MaxRows: -1})
		if err != nil {
			b.Fatal(err)
		}
		if res.RowCount == 0 {
			b.Fatal("no rows")
		}
	}
}

// BenchmarkFilesOpen opens the files connector over the same 100,000-row
// CSV: resolving the path, creating the view and sniffing the file.
func BenchmarkFilesOpen(b *testing.B) {
	path := writeLedger(b, 100_000)
	ctx := context.Background()
	defer reportSize(b, path)
	for b.Loop() {
		c, err := connector.Open(ctx, "bench", connector.Config{Type: Type, Path: path})
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

func writeLedger(b *testing.B, rows int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("ledger_%d.csv", rows))
	var sb strings.Builder
	sb.WriteString("journal_id,line_no,posting_date,account_code,cost_center,amount\n")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&sb, "JE-%07d,%d,%s,%04d-%03d,%03d,%d.%02d\n",
			i/2, i%2+1, start.AddDate(0, 0, i%366).Format("2006-01-02"),
			(i*7)%90*100, i%5*100, i%40, (i*31)%100000, i%100)
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func reportSize(b *testing.B, path string) {
	if st, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(st.Size())/1e6, "file_MB")
	}
}
