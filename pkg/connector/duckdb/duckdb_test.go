package duckdb

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
)

// openConn opens a duckdb connection through the registry, as the CLI does.
func openConn(t *testing.T, cfg connector.Config) connector.Connector {
	t.Helper()
	cfg.Type = Type
	c, err := connector.Open(context.Background(), "test", cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func mustExec(t *testing.T, q connector.Querier, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := q.Exec(context.Background(), s); err != nil {
			t.Fatalf("exec %q: %v", s, err)
		}
	}
}

func count(t *testing.T, q connector.Querier, table string) int64 {
	t.Helper()
	res, err := q.Query(context.Background(), "SELECT count(*) FROM "+table, connector.QueryOptions{})
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return res.Rows[0][0].(int64)
}

func TestRegistered(t *testing.T) {
	e, ok := connector.Lookup("duckdb")
	if !ok {
		t.Fatal("duckdb engine not registered")
	}
	if e.Dialect != "duckdb" || e.Open == nil {
		t.Fatalf("unexpected engine: %+v", e)
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		cfg  connector.Config
		want string
	}{
		{connector.Config{Type: Type, ReadOnly: true}, "read_only needs a database file"},
		{connector.Config{Type: Type, Path: ":memory:", ReadOnly: true}, "read_only needs a database file"},
		{connector.Config{Type: Type, Paths: []string{"a.duckdb"}}, "not paths"},
		{connector.Config{Type: Type, DSN: "a.duckdb"}, "not dsn"},
		{connector.Config{Type: Type, Options: map[string]string{"threads; drop": "1"}}, "not a DuckDB setting"},
	} {
		err := connector.CheckConfig(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckConfig(%+v) = %v, want error containing %q", tc.cfg, err, tc.want)
		}
	}
	if err := connector.CheckConfig(connector.Config{Type: Type, Path: "w.duckdb", Options: map[string]string{"threads": "2"}}); err != nil {
		t.Errorf("valid config refused: %v", err)
	}
}

func TestInMemoryQueryAndValues(t *testing.T) {
	for _, path := range []string{"", ":memory:"} {
		c := openConn(t, connector.Config{Path: path})
		if c.Dialect() != "duckdb" || c.Name() != "test" {
			t.Fatalf("dialect/name = %s/%s", c.Dialect(), c.Name())
		}
		if err := c.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
		res, err := c.Query(context.Background(),
			`SELECT ?::VARCHAR AS account, 1234.50::DECIMAL(18,2) AS amount, DATE '2024-03-31' AS posted, 42::BIGINT AS n, NULL AS nothing`,
			connector.QueryOptions{}, "00123")
		if err != nil {
			t.Fatal(err)
		}
		want := []any{"00123", "1234.50", "2024-03-31", int64(42), nil}
		if !reflect.DeepEqual(res.Rows[0], want) {
			t.Fatalf("row = %#v, want %#v", res.Rows[0], want)
		}
		if res.Columns[1].Type != "DECIMAL(18,2)" || res.Columns[0].Name != "account" {
			t.Fatalf("columns = %+v", res.Columns)
		}
	}
}

func TestInMemoryDatabasesAreSeparate(t *testing.T) {
	a := openConn(t, connector.Config{})
	b := openConn(t, connector.Config{})
	mustExec(t, a, "CREATE TABLE only_in_a (x INT)")
	if _, err := b.Query(context.Background(), "SELECT * FROM only_in_a", connector.QueryOptions{}); err == nil {
		t.Fatal("second in-memory database sees the first one's table")
	}
}

// financeSchema runs testdata/finance.sql (statements end with ";" at the
// end of a line).
func financeSchema(t *testing.T, q connector.Querier) {
	t.Helper()
	b, err := os.ReadFile("testdata/finance.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range strings.Split(string(b), ";\n") {
		if strings.TrimSpace(stripComments(stmt)) != "" {
			mustExec(t, q, stmt)
		}
	}
}

func stripComments(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestCatalogAndKeys(t *testing.T) {
	c := openConn(t, connector.Config{})
	financeSchema(t, c)
	ctx := context.Background()

	schemas, err := c.Schemas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(schemas, []catalog.Schema{{Name: "fin"}, {Name: "main"}}) {
		t.Fatalf("schemas = %+v", schemas)
	}

	tables, err := c.Tables(ctx, "fin")
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Table{
		{Schema: "fin", Name: "accounts", Kind: catalog.KindTable, Comment: "chart of accounts"},
		{Schema: "fin", Name: "gl_by_account", Kind: catalog.KindView},
		{Schema: "fin", Name: "gl_lines", Kind: catalog.KindTable},
	}
	if !reflect.DeepEqual(tables, want) {
		t.Fatalf("tables = %+v\nwant %+v", tables, want)
	}
	main, err := c.Tables(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(main) != 1 || main[0].Name != `Odd "Name"` || main[0].Schema != "main" {
		t.Fatalf("main tables = %+v", main)
	}
	if _, err := c.Tables(ctx, "nope"); err == nil || !strings.Contains(err.Error(), `schema "nope" not found`) {
		t.Fatalf("missing schema: %v", err)
	}

	acc, err := c.Describe(ctx, "fin", "accounts")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(acc.PrimaryKey, []string{"account_code"}) {
		t.Errorf("accounts PK = %v", acc.PrimaryKey)
	}
	wantUK := []catalog.UniqueKey{
		{Name: "accounts_legacy_code_key", Columns: []string{"legacy_code"}},
		{Name: "accounts_entity_local_code_key", Columns: []string{"entity", "local_code"}},
	}
	if !reflect.DeepEqual(acc.UniqueKeys, wantUK) {
		t.Errorf("accounts unique keys = %+v", acc.UniqueKeys)
	}
	if c := acc.Column("ACCOUNT_NAME"); c == nil || c.Nullable || c.Position != 2 || c.Type != "VARCHAR" {
		t.Errorf("account_name column = %+v", c)
	}
	if acc.Comment != "chart of accounts" || acc.Kind != catalog.KindTable {
		t.Errorf("accounts table = %+v", acc.Table)
	}

	gl, err := c.Describe(ctx, "FIN", "GL_LINES") // DuckDB resolves names case-insensitively
	if err != nil {
		t.Fatal(err)
	}
	if gl.Schema != "fin" || gl.Name != "gl_lines" {
		t.Errorf("canonical names = %s.%s", gl.Schema, gl.Name)
	}
	if !reflect.DeepEqual(gl.PrimaryKey, []string{"journal_id", "line_no"}) {
		t.Errorf("gl PK = %v", gl.PrimaryKey)
	}
	wantFK := []catalog.ForeignKey{{
		Name: "gl_lines_account_code_account_code_fkey", Columns: []string{"account_code"},
		RefSchema: "fin", RefTable: "accounts", RefColumns: []string{"account_code"},
	}}
	if len(gl.ForeignKeys) != 1 {
		t.Fatalf("gl FKs = %+v", gl.ForeignKeys)
	}
	wantFK[0].Name = gl.ForeignKeys[0].Name // the generated name is DuckDB's business
	if !reflect.DeepEqual(gl.ForeignKeys, wantFK) || gl.ForeignKeys[0].Name == "" {
		t.Errorf("gl FKs = %+v", gl.ForeignKeys)
	}
	var names, types []string
	for i, col := range gl.Columns {
		if col.Position != i+1 {
			t.Errorf("column %s position %d, want %d", col.Name, col.Position, i+1)
		}
		names = append(names, col.Name)
		types = append(types, col.Type)
	}
	if !reflect.DeepEqual(names, []string{"journal_id", "line_no", "account_code", "amount", "posted_on"}) ||
		!reflect.DeepEqual(types, []string{"BIGINT", "INTEGER", "VARCHAR", "DECIMAL(18,2)", "DATE"}) {
		t.Errorf("gl columns = %v %v", names, types)
	}
	amt := gl.Column("amount")
	if amt.Nullable || amt.Default == nil || !strings.Contains(*amt.Default, "0") {
		t.Errorf("amount = %+v", amt)
	}
	if gl.Column("posted_on").Default != nil || !gl.Column("posted_on").Nullable {
		t.Errorf("posted_on = %+v", gl.Column("posted_on"))
	}
	if gl.Column("journal_id").Nullable {
		t.Errorf("PK column journal_id reported nullable")
	}

	v, err := c.Describe(ctx, "fin", "gl_by_account")
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != catalog.KindView || len(v.Columns) != 2 || v.PrimaryKey != nil {
		t.Errorf("view = %+v", v)
	}

	odd, err := c.Describe(ctx, "", `Odd "Name"`)
	if err != nil || odd.Schema != "main" || len(odd.Columns) != 1 {
		t.Errorf("odd name: %+v %v", odd, err)
	}
}

func TestDescribeNotFound(t *testing.T) {
	c := openConn(t, connector.Config{})
	for _, tc := range [][2]string{{"", "nope"}, {"main", "nope"}, {"nosuchschema", "t"}, {"main", "x' OR '1'='1"}} {
		_, err := c.Describe(context.Background(), tc[0], tc[1])
		if !errors.Is(err, connector.ErrTableNotFound) {
			t.Fatalf("Describe(%q, %q) = %v, want ErrTableNotFound", tc[0], tc[1], err)
		}
		schema := tc[0]
		if schema == "" {
			schema = "main"
		}
		if !strings.Contains(err.Error(), schema+"."+tc[1]) {
			t.Errorf("error %q does not name %s.%s", err, schema, tc[1])
		}
	}
}

func TestQueryRowCap(t *testing.T) {
	c := openConn(t, connector.Config{})
	ctx := context.Background()
	for _, tc := range []struct {
		rows, max, got int
		truncated      bool
	}{
		{10, 10, 10, false},
		{11, 10, 10, true},
		{3, 10, 3, false},
		{2000, -1, 2000, false},
		{1001, 0, connector.DefaultMaxRows, true},
	} {
		res, err := c.Query(ctx, "SELECT * FROM range(?)", connector.QueryOptions{MaxRows: tc.max}, tc.rows)
		if err != nil {
			t.Fatal(err)
		}
		if res.RowCount != tc.got || len(res.Rows) != tc.got || res.Truncated != tc.truncated {
			t.Errorf("%d rows, max %d: got %d truncated=%v, want %d truncated=%v",
				tc.rows, tc.max, res.RowCount, res.Truncated, tc.got, tc.truncated)
		}
	}
}

const slowSQL = "SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = -1"

func TestQueryTimeout(t *testing.T) {
	c := openConn(t, connector.Config{})
	start := time.Now()
	_, err := c.Query(context.Background(), slowSQL, connector.QueryOptions{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("query was not interrupted promptly (%s)", time.Since(start))
	}
	// The connection is still usable afterwards.
	if _, err := c.Query(context.Background(), "SELECT 1", connector.QueryOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestQueryCancel(t *testing.T) {
	c := openConn(t, connector.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := c.Query(ctx, slowSQL, connector.QueryOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestTransactions(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tx.duckdb")
	ctx := context.Background()
	c := openConn(t, connector.Config{Path: path})
	mustExec(t, c, "CREATE TABLE ledger (id INT, amount DECIMAL(18,2))")

	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, "INSERT INTO ledger VALUES (1, 10.00), (2, 20.00)", "CREATE TABLE scratch (x INT)")
	if n := count(t, tx, "ledger"); n != 2 {
		t.Fatalf("inside tx: %d rows", n)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, c, "ledger"); n != 0 {
		t.Fatalf("after rollback: %d rows", n)
	}
	if _, err := c.Describe(ctx, "", "scratch"); !errors.Is(err, connector.ErrTableNotFound) {
		t.Fatalf("DDL survived rollback: %v", err)
	}

	tx, err = c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO ledger VALUES (?, ?)", 3, "30.50"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, c, "ledger"); n != 1 {
		t.Fatalf("after commit: %d rows", n)
	}
	c.Close()

	// Committed data is in the file.
	c2 := openConn(t, connector.Config{Path: path})
	res, err := c2.Query(ctx, "SELECT id, amount FROM ledger", connector.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Rows, [][]any{{int32(3), "30.50"}}) {
		t.Fatalf("rows after reopen = %#v", res.Rows)
	}
}

// A new database file is created in an existing folder; a missing folder
// is an error, never silently created (issue 10, finding 12).
func TestFileDatabaseNeedsItsFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a", "b", ".databridge", "warehouse.duckdb")
	if _, err := OpenDB(path, false); err == nil || !strings.Contains(err.Error(), "does not exist; create it first") {
		t.Fatalf("OpenDB in a missing folder: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); !os.IsNotExist(err) {
		t.Fatalf("a folder was created: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := OpenDB(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t AS SELECT 1 AS x"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not created: %v", err)
	}

	// Relative paths resolve against the working directory.
	t.Chdir(dir)
	db, err = OpenDB(filepath.Join("a", "b", ".databridge", "warehouse.duckdb"), true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var x int
	if err := db.QueryRow("SELECT x FROM t").Scan(&x); err != nil || x != 1 {
		t.Fatalf("x = %d, %v", x, err)
	}
}

func TestOpenDBErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		path     string
		readOnly bool
		want     string
	}{
		{filepath.Join(dir, "missing.duckdb"), true, "does not exist"},
		{dir, false, "is a folder"},
		{filepath.Join(dir, "what?.duckdb"), false, "may not contain"},
		{"", true, "in-memory"},
	} {
		db, err := OpenDB(tc.path, tc.readOnly)
		if err == nil {
			db.Close()
			t.Errorf("OpenDB(%q, %v) succeeded", tc.path, tc.readOnly)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("OpenDB(%q, %v) = %v, want %q", tc.path, tc.readOnly, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.duckdb")); err == nil {
		t.Error("read-only open created the file")
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.duckdb")
	rw := openConn(t, connector.Config{Path: path})
	mustExec(t, rw, "CREATE TABLE gl (account VARCHAR, amount DECIMAL(18,2))", "INSERT INTO gl VALUES ('0100', 5)")
	rw.Close()

	ro := openConn(t, connector.Config{Path: path, ReadOnly: true})
	if n := count(t, ro, "gl"); n != 1 {
		t.Fatalf("rows = %d", n)
	}
	for _, stmt := range []string{
		"INSERT INTO gl VALUES ('0200', 1)",
		"CREATE TABLE x (a INT)",
		"DROP TABLE gl",
	} {
		_, err := ro.Exec(context.Background(), stmt)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "read-only") {
			t.Errorf("%s: err = %v, want read-only refusal", stmt, err)
		}
	}
	if n := count(t, ro, "gl"); n != 1 {
		t.Fatalf("rows after refused writes = %d", n)
	}
}

func TestOptionsAreSettings(t *testing.T) {
	c := openConn(t, connector.Config{Options: map[string]string{"threads": "3"}})
	res, err := c.Query(context.Background(), "SELECT current_setting('threads')", connector.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Rows[0][0]) != "3" {
		t.Fatalf("threads = %v", res.Rows[0][0])
	}
}

// TestLockedByAnotherProcess holds a database file open for writing in a
// child process and checks the error a second writer gets.
func TestLockedByAnotherProcess(t *testing.T) {
	// The second writer waits for the lock with a bound; keep it short.
	defer func(d time.Duration) { LockWait = d }(LockWait)
	LockWait = 300 * time.Millisecond
	path := filepath.Join(t.TempDir(), "locked.duckdb")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "DATABRIDGE_DUCKDB_HOLD="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("helper: %q %v", line, err)
	}

	_, err = connector.Open(context.Background(), "wh", connector.Config{Type: Type, Path: path})
	if err == nil {
		t.Fatal("opened a database file another process holds")
	}
	want := "database file " + path + " is in use by another process"
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), `connection "wh"`) {
		t.Fatalf("err = %v\nwant it to contain %q", err, want)
	}
	t.Logf("lock error: %v", err)
}

// TestMain doubles as the lock-holding helper of TestLockedByAnotherProcess.
func TestMain(m *testing.M) {
	if path := os.Getenv("DATABRIDGE_DUCKDB_HOLD"); path != "" {
		holdLock(path)
		return
	}
	os.Exit(m.Run())
}

func holdLock(path string) {
	db, err := OpenDB(path, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE held (x INT)"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin) // hold until the parent closes stdin
}

func TestQuoting(t *testing.T) {
	if got := QuoteIdent(`a"b`); got != `"a""b"` {
		t.Errorf("QuoteIdent = %s", got)
	}
	if got := QuoteLiteral(`it's`); got != `'it''s'` {
		t.Errorf("QuoteLiteral = %s", got)
	}
	c := openConn(t, connector.Config{})
	name := `weird "table"; DROP TABLE x; --`
	mustExec(t, c, "CREATE TABLE "+QuoteIdent(name)+" (v VARCHAR)")
	mustExec(t, c, "INSERT INTO "+QuoteIdent(name)+" VALUES ("+QuoteLiteral(`O'Brien`)+")")
	res, err := c.Query(context.Background(), "SELECT v FROM "+QuoteIdent(name), connector.QueryOptions{})
	if err != nil || res.Rows[0][0] != "O'Brien" {
		t.Fatalf("%v %v", res, err)
	}
}
