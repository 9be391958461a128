package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/testenv"
)

// The finance fixture: two dimensions and a fact with a composite primary
// key, a single-column and a composite foreign key, a unique constraint, a
// unique index, a view and a materialized view.
const fixtureSQL = `
CREATE TABLE dim_account (
    account_id   integer PRIMARY KEY,
    account_code varchar(20) NOT NULL,
    account_name text NOT NULL,
    normal_side  char(1) NOT NULL DEFAULT 'D',
    CONSTRAINT uq_account_code UNIQUE (account_code)
);
COMMENT ON TABLE dim_account IS 'Chart of accounts';
COMMENT ON COLUMN dim_account.account_code IS 'Natural key';
CREATE TABLE dim_cost_center (
    company_code     varchar(4)  NOT NULL,
    cost_center_code varchar(10) NOT NULL,
    cost_center_name text,
    PRIMARY KEY (company_code, cost_center_code)
);
CREATE UNIQUE INDEX ux_cost_center_name ON dim_cost_center (company_code, cost_center_name);
CREATE TABLE fact_gl (
    journal_id       bigint NOT NULL,
    line_no          integer NOT NULL,
    account_id       integer NOT NULL REFERENCES dim_account (account_id),
    company_code     varchar(4) NOT NULL,
    cost_center_code varchar(10) NOT NULL,
    amount           numeric(18,2) NOT NULL DEFAULT 0,
    posted_on        date NOT NULL,
    memo             varchar(200),
    PRIMARY KEY (journal_id, line_no),
    CONSTRAINT fk_gl_cost_center FOREIGN KEY (company_code, cost_center_code)
        REFERENCES dim_cost_center (company_code, cost_center_code)
);
CREATE VIEW v_gl_by_account AS
    SELECT a.account_code, sum(g.amount) AS total
    FROM fact_gl g JOIN dim_account a USING (account_id)
    GROUP BY a.account_code;
CREATE MATERIALIZED VIEW mv_gl_by_month AS
    SELECT date_trunc('month', posted_on)::date AS month, sum(amount) AS total
    FROM fact_gl GROUP BY 1;
INSERT INTO dim_account VALUES (1000, '1000', 'Cash', 'D'), (4000, '4000', 'Revenue', 'C');
INSERT INTO dim_cost_center VALUES ('US01', 'CC100', 'Finance'), ('US01', 'CC200', 'Sales');
INSERT INTO fact_gl VALUES
    (1, 1, 1000, 'US01', 'CC100', 100.50, '2024-01-31', 'a'),
    (1, 2, 4000, 'US01', 'CC100', -100.50, '2024-01-31', 'b'),
    (2, 1, 1000, 'US01', 'CC200', 20.00, '2024-02-29', NULL),
    (2, 2, 4000, 'US01', 'CC200', -20.00, '2024-02-29', NULL),
    (3, 1, 1000, 'US01', 'CC100', 5.25, '2024-03-31', 'c');
`

func randomSuffix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// fixture opens the test server through connector.Open (so the ${ENV}
// expansion and redaction are exercised) with a fresh schema holding the
// finance tables as the connection's default schema. The schema is
// dropped when the test ends.
func fixture(t *testing.T) (connector.Connector, string) {
	t.Helper()
	testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	ctx := context.Background()
	schema := "dbt_" + randomSuffix(t)
	c, err := connector.Open(ctx, "pgtest", connector.Config{Type: Type, DSN: "${" + testenv.PostgresURL + "}", Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := c.Exec(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
		c.Close()
	})
	if _, err := c.Exec(ctx, `CREATE SCHEMA "`+schema+`"`); err != nil {
		t.Fatal(err)
	}
	// One transaction so the fixture sees its own search_path.
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SET LOCAL search_path TO "`+schema+`"`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, fixtureSQL); err != nil {
		_ = tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return c, schema
}

func TestIntegrationOpen(t *testing.T) {
	c, _ := fixture(t)
	if c.Name() != "pgtest" || c.Dialect() != "postgres" {
		t.Fatalf("name=%q dialect=%q", c.Name(), c.Dialect())
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestIntegrationSchemas(t *testing.T) {
	c, schema := fixture(t)
	got, err := c.Schemas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, s := range got {
		names[s.Name] = true
	}
	if !names[schema] || !names["public"] {
		t.Fatalf("schemas %v lack %s or public", got, schema)
	}
	for n := range names {
		if n == "pg_catalog" || n == "information_schema" || strings.HasPrefix(n, "pg_toast") || strings.HasPrefix(n, "pg_temp") {
			t.Errorf("system schema %s listed", n)
		}
	}
}

func TestIntegrationTables(t *testing.T) {
	c, schema := fixture(t)
	want := []catalog.Table{
		{Schema: schema, Name: "dim_account", Kind: catalog.KindTable, Comment: "Chart of accounts"},
		{Schema: schema, Name: "dim_cost_center", Kind: catalog.KindTable},
		{Schema: schema, Name: "fact_gl", Kind: catalog.KindTable},
		{Schema: schema, Name: "mv_gl_by_month", Kind: KindMaterializedView},
		{Schema: schema, Name: "v_gl_by_account", Kind: catalog.KindView},
	}
	for _, s := range []string{schema, ""} { // "" is the config's schema
		got, err := c.Tables(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Tables(%q) =\n%+v\nwant\n%+v", s, got, want)
		}
	}
}

func strp(s string) *string { return &s }

func TestIntegrationDescribe(t *testing.T) {
	c, schema := fixture(t)
	ctx := context.Background()

	gl, err := c.Describe(ctx, schema, "fact_gl")
	if err != nil {
		t.Fatal(err)
	}
	want := &catalog.TableDetail{
		Table: catalog.Table{Schema: schema, Name: "fact_gl", Kind: catalog.KindTable},
		Columns: []catalog.Column{
			{Name: "journal_id", Type: "bigint", Nullable: false, Position: 1},
			{Name: "line_no", Type: "integer", Nullable: false, Position: 2},
			{Name: "account_id", Type: "integer", Nullable: false, Position: 3},
			{Name: "company_code", Type: "character varying(4)", Nullable: false, Position: 4},
			{Name: "cost_center_code", Type: "character varying(10)", Nullable: false, Position: 5},
			{Name: "amount", Type: "numeric(18,2)", Nullable: false, Position: 6, Default: strp("0")},
			{Name: "posted_on", Type: "date", Nullable: false, Position: 7},
			{Name: "memo", Type: "character varying(200)", Nullable: true, Position: 8},
		},
		PrimaryKey: []string{"journal_id", "line_no"},
		ForeignKeys: []catalog.ForeignKey{
			{Name: "fact_gl_account_id_fkey", Columns: []string{"account_id"}, RefSchema: schema, RefTable: "dim_account", RefColumns: []string{"account_id"}},
			{Name: "fk_gl_cost_center", Columns: []string{"company_code", "cost_center_code"}, RefSchema: schema, RefTable: "dim_cost_center", RefColumns: []string{"company_code", "cost_center_code"}},
		},
	}
	if !reflect.DeepEqual(gl, want) {
		t.Errorf("Describe(fact_gl) =\n%s\nwant\n%s", dump(gl), dump(want))
	}

	acct, err := c.Describe(ctx, "", "dim_account") // default schema
	if err != nil {
		t.Fatal(err)
	}
	wantAcct := &catalog.TableDetail{
		Table: catalog.Table{Schema: schema, Name: "dim_account", Kind: catalog.KindTable, Comment: "Chart of accounts"},
		Columns: []catalog.Column{
			{Name: "account_id", Type: "integer", Nullable: false, Position: 1},
			{Name: "account_code", Type: "character varying(20)", Nullable: false, Position: 2, Comment: "Natural key"},
			{Name: "account_name", Type: "text", Nullable: false, Position: 3},
			{Name: "normal_side", Type: "character(1)", Nullable: false, Position: 4, Default: strp("'D'::bpchar")},
		},
		PrimaryKey: []string{"account_id"},
		UniqueKeys: []catalog.UniqueKey{{Name: "uq_account_code", Columns: []string{"account_code"}}},
	}
	if !reflect.DeepEqual(acct, wantAcct) {
		t.Errorf("Describe(dim_account) =\n%s\nwant\n%s", dump(acct), dump(wantAcct))
	}

	cc, err := c.Describe(ctx, schema, "dim_cost_center")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cc.PrimaryKey, []string{"company_code", "cost_center_code"}) {
		t.Errorf("dim_cost_center primary key = %v", cc.PrimaryKey)
	}
	if want := []catalog.UniqueKey{{Name: "ux_cost_center_name", Columns: []string{"company_code", "cost_center_name"}}}; !reflect.DeepEqual(cc.UniqueKeys, want) {
		t.Errorf("dim_cost_center unique keys = %+v, want %+v", cc.UniqueKeys, want)
	}

	v, err := c.Describe(ctx, schema, "v_gl_by_account")
	if err != nil {
		t.Fatal(err)
	}
	wantView := &catalog.TableDetail{
		Table: catalog.Table{Schema: schema, Name: "v_gl_by_account", Kind: catalog.KindView},
		Columns: []catalog.Column{
			{Name: "account_code", Type: "character varying(20)", Nullable: true, Position: 1},
			{Name: "total", Type: "numeric", Nullable: true, Position: 2},
		},
	}
	if !reflect.DeepEqual(v, wantView) {
		t.Errorf("Describe(view) =\n%s\nwant\n%s", dump(v), dump(wantView))
	}

	mv, err := c.Describe(ctx, schema, "mv_gl_by_month")
	if err != nil {
		t.Fatal(err)
	}
	if mv.Kind != KindMaterializedView || len(mv.Columns) != 2 || mv.Columns[0].Type != "date" {
		t.Errorf("Describe(materialized view) = %s", dump(mv))
	}

	for _, tc := range [][2]string{{schema, "no_such_table"}, {"no_such_schema_x", "fact_gl"}} {
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
	c, schema := fixture(t)
	ctx := context.Background()
	q := `SELECT journal_id, line_no, amount, posted_on, memo FROM "` + schema + `".fact_gl ORDER BY journal_id, line_no`

	res, err := c.Query(ctx, q, connector.QueryOptions{MaxRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowCount != 3 || len(res.Rows) != 3 || !res.Truncated || res.MaxRows != 3 {
		t.Fatalf("capped query: rows=%d truncated=%v max=%d", res.RowCount, res.Truncated, res.MaxRows)
	}
	if got := []any{res.Rows[0][0], res.Rows[0][1], res.Rows[0][2], res.Rows[0][3], res.Rows[0][4]}; !reflect.DeepEqual(got, []any{int64(1), int64(1), "100.50", "2024-01-31", "a"}) {
		t.Errorf("first row = %#v", got)
	}
	if res.Rows[2][4] != nil {
		t.Errorf("NULL memo = %#v, want nil", res.Rows[2][4])
	}
	if names := []string{res.Columns[0].Name, res.Columns[2].Name}; names[0] != "journal_id" || names[1] != "amount" {
		t.Errorf("columns = %+v", res.Columns)
	}

	res, err = c.Query(ctx, q, connector.QueryOptions{MaxRows: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowCount != 5 || res.Truncated {
		t.Fatalf("exact-cap query: rows=%d truncated=%v", res.RowCount, res.Truncated)
	}

	// Bound parameters.
	res, err = c.Query(ctx, `SELECT count(*) FROM "`+schema+`".fact_gl WHERE account_id = $1 AND amount > $2`, connector.QueryOptions{}, 1000, "10")
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
	_, err := c.Query(context.Background(), "SELECT pg_sleep(10)", connector.QueryOptions{Timeout: 300 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("timeout took %s", el)
	}
	// The connection pool is still usable afterwards.
	if _, err := c.Query(context.Background(), "SELECT 1", connector.QueryOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestIntegrationTransactions(t *testing.T) {
	c, schema := fixture(t)
	ctx := context.Background()
	table := `"` + schema + `".dim_account`
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
	if _, err := tx.Exec(ctx, "INSERT INTO "+table+" VALUES ($1, $2, $3, 'D')", 5000, "5000", "Expenses"); err != nil {
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
	r, err := tx.Exec(ctx, "INSERT INTO "+table+" VALUES ($1, $2, $3, 'D'), ($4, $5, $6, 'C')", 5000, "5000", "Expenses", 2000, "2000", "Payables")
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

	// Transactional DDL: a table created in a rolled-back tx is gone.
	tx, err = c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE "`+schema+`".scratch (x int)`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Describe(ctx, schema, "scratch"); !errors.Is(err, connector.ErrTableNotFound) {
		t.Errorf("scratch after rollback: %v", err)
	}
}

// A wrong password supplied through ${ENV} fails Open with an error that
// names the connection and never contains the password, whether it came in
// the password field or inside the DSN.
func TestIntegrationWrongPasswordRedacted(t *testing.T) {
	raw := testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	// The fields form takes any characters (BuildDSN escapes them); inside
	// a URL DSN the user must percent-encode, so that secret is URL-safe.
	fieldSecret := "Wr0ng-" + randomSuffix(t) + "-p@ss:w/rd?#%&'"
	dsnSecret := "Wr0ng-" + randomSuffix(t) + "-dsn"
	t.Setenv("DATABRIDGE_TEST_BAD_PG_PASSWORD", fieldSecret)
	t.Setenv("DATABRIDGE_TEST_BAD_PG_DSN_PASSWORD", dsnSecret)
	port, _ := strconv.Atoi(u.Port())

	for name, cfg := range map[string]connector.Config{
		"bad_fields": {Type: Type, Host: u.Hostname(), Port: port, Database: strings.TrimPrefix(u.Path, "/"),
			User: u.User.Username(), Password: "${DATABRIDGE_TEST_BAD_PG_PASSWORD}", Options: map[string]string{"sslmode": "disable"}},
		"bad_dsn_password": {Type: Type, DSN: strings.Replace(raw, u.User.String()+"@", u.User.Username()+":${DATABRIDGE_TEST_BAD_PG_DSN_PASSWORD}@", 1)},
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
		for _, leak := range []string{fieldSecret, url.QueryEscape(fieldSecret), url.PathEscape(fieldSecret), dsnSecret, "Wr0ng-"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: error leaks the password (%q): %s", name, leak, msg)
			}
		}
		if !strings.Contains(msg, "password authentication failed") {
			t.Errorf("%s: error does not say what failed: %s", name, msg)
		}
	}
}
