package mysql

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	driver "github.com/go-sql-driver/mysql"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/testenv"
)

// The finance fixture, one statement per entry ({db} is the test
// database): two dimensions and a fact with a composite primary key, a
// single-column and a composite foreign key, a unique constraint, a unique
// index and a view.
var fixtureSQL = []string{
	`CREATE TABLE {db}.dim_account (
	    account_id   int NOT NULL PRIMARY KEY,
	    account_code varchar(20) NOT NULL COMMENT 'Natural key',
	    account_name text NOT NULL,
	    normal_side  char(1) NOT NULL DEFAULT 'D',
	    CONSTRAINT uq_account_code UNIQUE (account_code)
	) ENGINE=InnoDB COMMENT='Chart of accounts'`,
	`CREATE TABLE {db}.dim_cost_center (
	    company_code     varchar(4)  NOT NULL,
	    cost_center_code varchar(10) NOT NULL,
	    cost_center_name varchar(100),
	    PRIMARY KEY (company_code, cost_center_code)
	) ENGINE=InnoDB`,
	`CREATE UNIQUE INDEX ux_cost_center_name ON {db}.dim_cost_center (company_code, cost_center_name)`,
	`CREATE TABLE {db}.fact_gl (
	    journal_id       bigint NOT NULL,
	    line_no          int NOT NULL,
	    account_id       int NOT NULL,
	    company_code     varchar(4) NOT NULL,
	    cost_center_code varchar(10) NOT NULL,
	    amount           decimal(18,2) NOT NULL DEFAULT 0,
	    posted_on        date NOT NULL,
	    memo             varchar(200) NULL,
	    PRIMARY KEY (journal_id, line_no),
	    CONSTRAINT fk_gl_account FOREIGN KEY (account_id) REFERENCES {db}.dim_account (account_id),
	    CONSTRAINT fk_gl_cost_center FOREIGN KEY (company_code, cost_center_code)
	        REFERENCES {db}.dim_cost_center (company_code, cost_center_code)
	) ENGINE=InnoDB`,
	`CREATE VIEW {db}.v_gl_by_account AS
	    SELECT a.account_code, sum(g.amount) AS total
	    FROM {db}.fact_gl g JOIN {db}.dim_account a ON a.account_id = g.account_id
	    GROUP BY a.account_code`,
	`INSERT INTO {db}.dim_account VALUES (1000, '1000', 'Cash', 'D'), (4000, '4000', 'Revenue', 'C')`,
	`INSERT INTO {db}.dim_cost_center VALUES ('US01', 'CC100', 'Finance'), ('US01', 'CC200', 'Sales')`,
	`INSERT INTO {db}.fact_gl VALUES
	    (1, 1, 1000, 'US01', 'CC100', 100.50, '2024-01-31', 'a'),
	    (1, 2, 4000, 'US01', 'CC100', -100.50, '2024-01-31', 'b'),
	    (2, 1, 1000, 'US01', 'CC200', 20.00, '2024-02-29', NULL),
	    (2, 2, 4000, 'US01', 'CC200', -20.00, '2024-02-29', NULL),
	    (3, 1, 1000, 'US01', 'CC100', 5.25, '2024-03-31', 'c')`,
}

func randomSuffix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// fixture opens the test server through connector.Open with a fresh
// database holding the finance tables as the connection's default schema.
// The database is dropped when the test ends.
func fixture(t *testing.T) (connector.Connector, string) {
	t.Helper()
	testenv.Need(t, testenv.MySQLURL, "MySQL/MariaDB")
	ctx := context.Background()
	db := "dbt_" + randomSuffix(t)
	c, err := connector.Open(ctx, "mytest", connector.Config{Type: Type, DSN: "${" + testenv.MySQLURL + "}", Schema: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS `"+db+"`"); err != nil {
			t.Errorf("dropping database %s: %v", db, err)
		}
		c.Close()
	})
	if _, err := c.Exec(ctx, "CREATE DATABASE `"+db+"`"); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range fixtureSQL {
		if _, err := c.Exec(ctx, strings.ReplaceAll(stmt, "{db}", "`"+db+"`")); err != nil {
			t.Fatalf("%v\n%s", err, stmt)
		}
	}
	return c, db
}

func isMariaDB(t *testing.T, c connector.Connector) bool {
	t.Helper()
	res, err := c.Query(context.Background(), "SELECT VERSION()", connector.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(strings.ToLower(res.Rows[0][0].(string)), "mariadb")
}

func TestIntegrationOpen(t *testing.T) {
	c, _ := fixture(t)
	if c.Name() != "mytest" || c.Dialect() != "mysql" {
		t.Fatalf("name=%q dialect=%q", c.Name(), c.Dialect())
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestIntegrationSchemas(t *testing.T) {
	c, db := fixture(t)
	got, err := c.Schemas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, s := range got {
		names[s.Name] = true
	}
	if !names[db] {
		t.Fatalf("schemas %v lack %s", got, db)
	}
	for _, sys := range []string{"mysql", "information_schema", "performance_schema", "sys"} {
		if names[sys] {
			t.Errorf("system schema %s listed", sys)
		}
	}
}

func TestIntegrationTables(t *testing.T) {
	c, db := fixture(t)
	want := []catalog.Table{
		{Schema: db, Name: "dim_account", Kind: catalog.KindTable, Comment: "Chart of accounts"},
		{Schema: db, Name: "dim_cost_center", Kind: catalog.KindTable},
		{Schema: db, Name: "fact_gl", Kind: catalog.KindTable},
		{Schema: db, Name: "v_gl_by_account", Kind: catalog.KindView},
	}
	for _, s := range []string{db, ""} { // "" is the config's schema
		got, err := c.Tables(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Tables(%q) =\n%+v\nwant\n%+v", s, got, want)
		}
	}
}

// Without a schema field, Tables and Describe fall back to the DSN's
// database.
func TestIntegrationDefaultSchemaIsDatabase(t *testing.T) {
	raw := testenv.Need(t, testenv.MySQLURL, "MySQL/MariaDB")
	dc, err := driver.ParseDSN(raw)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := connector.Open(ctx, "mydefault", connector.Config{Type: Type, DSN: "${" + testenv.MySQLURL + "}"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// An unqualified table lands in the DSN's database.
	name := "dbt_" + randomSuffix(t)
	if _, err := c.Exec(ctx, "CREATE TABLE `"+name+"` (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if _, err := c.Exec(ctx, "DROP TABLE `"+dc.DBName+"`.`"+name+"`"); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
	}()
	tables, err := c.Tables(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tb := range tables {
		found = found || tb == catalog.Table{Schema: dc.DBName, Name: name, Kind: catalog.KindTable}
	}
	if !found {
		t.Fatalf("Tables(\"\") = %+v, want %s.%s among them", tables, dc.DBName, name)
	}
	d, err := c.Describe(ctx, "", name)
	if err != nil {
		t.Fatal(err)
	}
	if d.Schema != dc.DBName || !reflect.DeepEqual(d.PrimaryKey, []string{"id"}) {
		t.Fatalf("Describe = %s", dump(d))
	}
}

func strp(s string) *string { return &s }

// intWidth drops the display width MariaDB (and MySQL before 8.0.19)
// reports for integer types, so the expectations hold on both.
var intWidth = regexp.MustCompile(`^((?:tiny|small|medium|big)?int)\(\d+\)`)

func normalize(d *catalog.TableDetail) *catalog.TableDetail {
	out := *d
	out.Columns = append([]catalog.Column(nil), d.Columns...)
	for i := range out.Columns {
		out.Columns[i].Type = intWidth.ReplaceAllString(out.Columns[i].Type, "$1")
	}
	return &out
}

func TestIntegrationDescribe(t *testing.T) {
	c, db := fixture(t)
	ctx := context.Background()
	maria := isMariaDB(t, c)
	// MariaDB reports defaults as SQL expressions (quoted strings);
	// MySQL reports the bare value.
	charDefault, decDefault := "D", "0.00"
	if maria {
		charDefault = "'D'"
	}

	gl, err := c.Describe(ctx, db, "fact_gl")
	if err != nil {
		t.Fatal(err)
	}
	if maria && gl.Columns[0].Type != "bigint(20)" {
		t.Errorf("MariaDB bigint reported as %q", gl.Columns[0].Type)
	}
	want := &catalog.TableDetail{
		Table: catalog.Table{Schema: db, Name: "fact_gl", Kind: catalog.KindTable},
		Columns: []catalog.Column{
			{Name: "journal_id", Type: "bigint", Nullable: false, Position: 1},
			{Name: "line_no", Type: "int", Nullable: false, Position: 2},
			{Name: "account_id", Type: "int", Nullable: false, Position: 3},
			{Name: "company_code", Type: "varchar(4)", Nullable: false, Position: 4},
			{Name: "cost_center_code", Type: "varchar(10)", Nullable: false, Position: 5},
			{Name: "amount", Type: "decimal(18,2)", Nullable: false, Position: 6, Default: strp(decDefault)},
			{Name: "posted_on", Type: "date", Nullable: false, Position: 7},
			{Name: "memo", Type: "varchar(200)", Nullable: true, Position: 8},
		},
		PrimaryKey: []string{"journal_id", "line_no"},
		ForeignKeys: []catalog.ForeignKey{
			{Name: "fk_gl_account", Columns: []string{"account_id"}, RefSchema: db, RefTable: "dim_account", RefColumns: []string{"account_id"}},
			{Name: "fk_gl_cost_center", Columns: []string{"company_code", "cost_center_code"}, RefSchema: db, RefTable: "dim_cost_center", RefColumns: []string{"company_code", "cost_center_code"}},
		},
	}
	if got := normalize(gl); !reflect.DeepEqual(got, want) {
		t.Errorf("Describe(fact_gl) =\n%s\nwant\n%s", dump(got), dump(want))
	}

	acct, err := c.Describe(ctx, "", "dim_account") // default schema
	if err != nil {
		t.Fatal(err)
	}
	wantAcct := &catalog.TableDetail{
		Table: catalog.Table{Schema: db, Name: "dim_account", Kind: catalog.KindTable, Comment: "Chart of accounts"},
		Columns: []catalog.Column{
			{Name: "account_id", Type: "int", Nullable: false, Position: 1},
			{Name: "account_code", Type: "varchar(20)", Nullable: false, Position: 2, Comment: "Natural key"},
			{Name: "account_name", Type: "text", Nullable: false, Position: 3},
			{Name: "normal_side", Type: "char(1)", Nullable: false, Position: 4, Default: strp(charDefault)},
		},
		PrimaryKey: []string{"account_id"},
		UniqueKeys: []catalog.UniqueKey{{Name: "uq_account_code", Columns: []string{"account_code"}}},
	}
	if got := normalize(acct); !reflect.DeepEqual(got, wantAcct) {
		t.Errorf("Describe(dim_account) =\n%s\nwant\n%s", dump(got), dump(wantAcct))
	}

	cc, err := c.Describe(ctx, db, "dim_cost_center")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cc.PrimaryKey, []string{"company_code", "cost_center_code"}) {
		t.Errorf("dim_cost_center primary key = %v", cc.PrimaryKey)
	}
	if want := []catalog.UniqueKey{{Name: "ux_cost_center_name", Columns: []string{"company_code", "cost_center_name"}}}; !reflect.DeepEqual(cc.UniqueKeys, want) {
		t.Errorf("dim_cost_center unique keys = %+v, want %+v", cc.UniqueKeys, want)
	}
	if len(cc.ForeignKeys) != 0 {
		t.Errorf("dim_cost_center foreign keys = %+v", cc.ForeignKeys)
	}

	v, err := c.Describe(ctx, db, "v_gl_by_account")
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != catalog.KindView || v.Comment != "" || len(v.Columns) != 2 ||
		v.Columns[0].Name != "account_code" || v.Columns[0].Type != "varchar(20)" ||
		v.Columns[1].Name != "total" || !strings.HasPrefix(v.Columns[1].Type, "decimal(") || !v.Columns[1].Nullable ||
		len(v.PrimaryKey)+len(v.UniqueKeys)+len(v.ForeignKeys) != 0 {
		t.Errorf("Describe(view) =\n%s", dump(v))
	}

	for _, tc := range [][2]string{{db, "no_such_table"}, {"no_such_db_x", "fact_gl"}} {
		_, err = c.Describe(ctx, tc[0], tc[1])
		if !errors.Is(err, connector.ErrTableNotFound) {
			t.Errorf("Describe(%s.%s) error = %v, want ErrTableNotFound", tc[0], tc[1], err)
		} else if !strings.Contains(err.Error(), tc[0]+"."+tc[1]) {
			t.Errorf("error %q does not name the table", err)
		}
	}
}

func dump(d *catalog.TableDetail) string {
	var b strings.Builder
	b.WriteString(d.Schema + "." + d.Name + " kind=" + d.Kind + " comment=" + strconv.Quote(d.Comment) + "\n")
	for _, c := range d.Columns {
		def := "<nil>"
		if c.Default != nil {
			def = strconv.Quote(*c.Default)
		}
		b.WriteString("  " + strconv.Itoa(c.Position) + " " + c.Name + " " + c.Type + " null=" + strconv.FormatBool(c.Nullable) + " default=" + def + " comment=" + strconv.Quote(c.Comment) + "\n")
	}
	b.WriteString("  pk=" + strings.Join(d.PrimaryKey, ",") + "\n")
	for _, u := range d.UniqueKeys {
		b.WriteString("  unique " + u.Name + "(" + strings.Join(u.Columns, ",") + ")\n")
	}
	for _, f := range d.ForeignKeys {
		b.WriteString("  fk " + f.Name + "(" + strings.Join(f.Columns, ",") + ") -> " + f.RefSchema + "." + f.RefTable + "(" + strings.Join(f.RefColumns, ",") + ")\n")
	}
	return b.String()
}

func TestIntegrationQuery(t *testing.T) {
	c, db := fixture(t)
	ctx := context.Background()
	q := "SELECT journal_id, line_no, amount, posted_on, memo FROM `" + db + "`.fact_gl ORDER BY journal_id, line_no"

	res, err := c.Query(ctx, q, connector.QueryOptions{MaxRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowCount != 3 || len(res.Rows) != 3 || !res.Truncated || res.MaxRows != 3 {
		t.Fatalf("capped query: rows=%d truncated=%v max=%d", res.RowCount, res.Truncated, res.MaxRows)
	}
	if got := res.Rows[0]; !reflect.DeepEqual(got, []any{int64(1), int64(1), "100.50", "2024-01-31", "a"}) {
		t.Errorf("first row = %#v", got)
	}
	if res.Rows[2][4] != nil {
		t.Errorf("NULL memo = %#v, want nil", res.Rows[2][4])
	}

	res, err = c.Query(ctx, q, connector.QueryOptions{MaxRows: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowCount != 5 || res.Truncated {
		t.Fatalf("exact-cap query: rows=%d truncated=%v", res.RowCount, res.Truncated)
	}

	// Bound parameters.
	res, err = c.Query(ctx, "SELECT count(*) FROM `"+db+"`.fact_gl WHERE account_id = ? AND amount > ?", connector.QueryOptions{}, 1000, "10")
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != int64(2) {
		t.Errorf("count = %#v, want 2", res.Rows[0][0])
	}
}

func TestIntegrationTimeout(t *testing.T) {
	c, _ := fixture(t)
	start := time.Now()
	_, err := c.Query(context.Background(), "SELECT SLEEP(10)", connector.QueryOptions{Timeout: 300 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("timeout took %s", el)
	}
	if _, err := c.Query(context.Background(), "SELECT 1", connector.QueryOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestIntegrationTransactions(t *testing.T) {
	c, db := fixture(t)
	ctx := context.Background()
	table := "`" + db + "`.dim_account"
	count := func(q connector.Querier) int64 {
		t.Helper()
		res, err := q.Query(ctx, "SELECT count(*) FROM "+table, connector.QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Rows[0][0].(int64)
	}

	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO "+table+" VALUES (?, ?, ?, 'D')", 5000, "5000", "Expenses"); err != nil {
		t.Fatal(err)
	}
	if n := count(tx); n != 3 {
		t.Errorf("inside tx count = %d, want 3", n)
	}
	if n := count(c); n != 2 {
		t.Errorf("outside uncommitted tx count = %d, want 2", n)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := count(c); n != 2 {
		t.Errorf("after rollback count = %d, want 2", n)
	}

	tx, err = c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, err := tx.Exec(ctx, "INSERT INTO "+table+" VALUES (?, ?, ?, 'D'), (?, ?, ?, 'C')", 5000, "5000", "Expenses", 2000, "2000", "Payables")
	if err != nil {
		t.Fatal(err)
	}
	if r.RowsAffected != 2 {
		t.Errorf("rows affected = %d", r.RowsAffected)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := count(c); n != 4 {
		t.Errorf("after commit count = %d, want 4", n)
	}
}

// A wrong password supplied through ${ENV} fails Open with an error that
// names the connection and never contains the password.
func TestIntegrationWrongPasswordRedacted(t *testing.T) {
	raw := testenv.Need(t, testenv.MySQLURL, "MySQL/MariaDB")
	dc, err := driver.ParseDSN(raw)
	if err != nil {
		t.Fatal(err)
	}
	host, portStr, err := net.SplitHostPort(dc.Addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(portStr)
	fieldSecret := "Wr0ng-" + randomSuffix(t) + "-p@ss:w/rd?#%&'"
	dsnSecret := "Wr0ng-" + randomSuffix(t) + "-dsn"
	t.Setenv("DATABRIDGE_TEST_BAD_MY_PASSWORD", fieldSecret)
	t.Setenv("DATABRIDGE_TEST_BAD_MY_DSN_PASSWORD", dsnSecret)
	badDSN := *dc
	badDSN.Passwd = "${DATABRIDGE_TEST_BAD_MY_DSN_PASSWORD}"

	for name, cfg := range map[string]connector.Config{
		"bad_fields": {Type: Type, Host: host, Port: port, Database: dc.DBName, User: dc.User,
			Password: "${DATABRIDGE_TEST_BAD_MY_PASSWORD}"},
		"bad_dsn_password": {Type: Type, DSN: badDSN.FormatDSN()},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		c, err := connector.Open(ctx, name, cfg)
		cancel()
		if err == nil {
			c.Close()
			t.Fatalf("%s: Open succeeded with a wrong password", name)
		}
		msg := err.Error()
		t.Logf("%s: %s", name, msg)
		if !strings.Contains(msg, `connection "`+name+`"`) {
			t.Errorf("%s: error does not name the connection: %s", name, msg)
		}
		for _, leak := range []string{fieldSecret, dsnSecret, "Wr0ng-"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: error leaks the password (%q): %s", name, leak, msg)
			}
		}
		if !strings.Contains(msg, "Access denied") {
			t.Errorf("%s: error does not say what failed: %s", name, msg)
		}
	}
}
