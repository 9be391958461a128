package snowflake_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/testenv"
)

func TestFakesnow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the fakesnow emulator")
	}
	port := testenv.StartFakesnow(t)
	t.Setenv("DATABRIDGE_TEST_SF_PASSWORD", "snow")
	cfg := connector.Config{
		Type:     "snowflake",
		Account:  "fakesnow",
		User:     "fake",
		Password: "${DATABRIDGE_TEST_SF_PASSWORD}",
		Database: "DATABRIDGE",
		Schema:   "FIN",
		Options: map[string]string{
			"protocol": "http", "host": "127.0.0.1", "port": strconv.Itoa(port),
			"max_retry_count": "1", "login_timeout": "20s", "disable_telemetry": "true",
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := connector.Open(ctx, "sf_emulator", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
	for _, stmt := range []string{
		`CREATE SCHEMA IF NOT EXISTS FIN`,
		`CREATE TABLE FIN.ACCOUNTS (ID INT NOT NULL PRIMARY KEY, CODE VARCHAR(20) NOT NULL UNIQUE, NAME VARCHAR(100))`,
		`CREATE TABLE FIN.ENTRIES (ID INT NOT NULL PRIMARY KEY, ACCOUNT_ID INT REFERENCES FIN.ACCOUNTS (ID), AMOUNT NUMBER(18,2) DEFAULT 0)`,
		`COMMENT ON TABLE FIN.ACCOUNTS IS 'chart of accounts'`,
		`INSERT INTO FIN.ACCOUNTS VALUES (1, '4000', 'Revenue'), (2, '5000', 'COGS'), (3, '6000', 'Opex')`,
		`INSERT INTO FIN.ENTRIES VALUES (1, 1, 100.50), (2, 2, -40.25)`,
		`CREATE VIEW FIN.V_BALANCES AS SELECT ACCOUNT_ID, SUM(AMOUNT) AS BALANCE FROM FIN.ENTRIES GROUP BY ACCOUNT_ID`,
	} {
		if _, err := c.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}

	t.Run("query", func(t *testing.T) {
		res, err := c.Query(ctx, `SELECT ID, CODE, NAME FROM FIN.ACCOUNTS WHERE ID >= ? ORDER BY ID`, connector.QueryOptions{MaxRows: 2}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if res.RowCount != 2 || !res.Truncated {
			t.Fatalf("want 2 rows truncated, got %d truncated=%v: %v", res.RowCount, res.Truncated, res.Rows)
		}
		if len(res.Columns) != 3 || res.Columns[1].Name != "CODE" {
			t.Fatalf("columns: %+v", res.Columns)
		}
		if got := res.Rows[0][1]; got != "4000" {
			t.Fatalf("first code = %#v", got)
		}
		res, err = c.Query(ctx, `SELECT NAME FROM FIN.ACCOUNTS WHERE CODE = ?`, connector.QueryOptions{}, "5000")
		if err != nil {
			t.Fatal(err)
		}
		if res.RowCount != 1 || res.Rows[0][0] != "COGS" || res.Truncated {
			t.Fatalf("bound string: %+v", res)
		}
	})

	t.Run("schemas", func(t *testing.T) {
		s, err := c.Schemas(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !hasSchema(s, "FIN") {
			t.Fatalf("FIN missing from %v", s)
		}
		if hasSchema(s, "INFORMATION_SCHEMA") {
			t.Fatalf("INFORMATION_SCHEMA listed: %v", s)
		}
	})

	t.Run("tables", func(t *testing.T) {
		for _, schema := range []string{"FIN", "fin", ""} {
			tabs, err := c.Tables(ctx, schema)
			if err != nil {
				t.Fatalf("schema %q: %v", schema, err)
			}
			kinds := map[string]string{}
			for _, tb := range tabs {
				kinds[tb.Name] = tb.Kind
				if tb.Schema != "FIN" {
					t.Fatalf("schema %q: table in %q", schema, tb.Schema)
				}
			}
			if kinds["ACCOUNTS"] != catalog.KindTable || kinds["ENTRIES"] != catalog.KindTable || kinds["V_BALANCES"] != catalog.KindView {
				t.Fatalf("schema %q: kinds %v", schema, kinds)
			}
		}
	})

	t.Run("describe", func(t *testing.T) {
		d, err := c.Describe(ctx, "fin", "entries")
		if err != nil {
			t.Fatal(err)
		}
		if d.Schema != "FIN" || d.Name != "ENTRIES" || d.Kind != catalog.KindTable {
			t.Fatalf("table: %+v", d.Table)
		}
		var names []string
		for _, col := range d.Columns {
			names = append(names, col.Name)
		}
		if strings.Join(names, ",") != "ID,ACCOUNT_ID,AMOUNT" {
			t.Fatalf("columns %v", names)
		}
		if id := d.Column("id"); id == nil || id.Nullable || id.Position != 1 || !strings.HasPrefix(id.Type, "NUMBER") {
			t.Fatalf("ID column: %+v", id)
		}
		if amt := d.Column("AMOUNT"); amt == nil || !amt.Nullable || amt.Type != "NUMBER(18,2)" {
			t.Fatalf("AMOUNT column: %+v", amt)
		}
		// fakesnow answers SHOW PRIMARY KEYS from DuckDB's constraints.
		if strings.Join(d.PrimaryKey, ",") != "ID" {
			t.Fatalf("primary key %v", d.PrimaryKey)
		}
		// fakesnow's SHOW IMPORTED KEYS does not report the referenced
		// table (it lists primary keys with empty pk_* columns), so no
		// foreign key can be read from it: describe degrades to none.
		for _, fk := range d.ForeignKeys {
			if fk.RefTable == "" || len(fk.RefColumns) != len(fk.Columns) {
				t.Fatalf("malformed foreign key %+v", fk)
			}
		}
		t.Logf("emulator describe: pk=%v unique=%v fks=%v", d.PrimaryKey, d.UniqueKeys, d.ForeignKeys)

		a, err := c.Describe(ctx, "FIN", "ACCOUNTS")
		if err != nil {
			t.Fatal(err)
		}
		if code := a.Column("CODE"); code == nil || code.Nullable || code.Type != "VARCHAR(20)" {
			t.Fatalf("CODE column: %+v", code)
		}
		t.Logf("ACCOUNTS: comment=%q pk=%v unique=%v", a.Comment, a.PrimaryKey, a.UniqueKeys)

		v, err := c.Describe(ctx, "FIN", "V_BALANCES")
		if err != nil {
			t.Fatal(err)
		}
		if v.Kind != catalog.KindView || len(v.Columns) != 2 {
			t.Fatalf("view: %+v", v)
		}

		if _, err := c.Describe(ctx, "FIN", "NO_SUCH_TABLE"); !errors.Is(err, connector.ErrTableNotFound) {
			t.Fatalf("missing table: %v", err)
		}
	})

	// NUMBER(p,s) values leave the connector as exact text with their
	// scale (gosnowflake's higher precision, then sqldb). fakesnow 0.12
	// rewrites SUM(x) as SUM(TRY_CAST(x AS DOUBLE)) (its
	// numeric_agg_implicit_cast, for VARCHAR arguments) and so sums
	// NUMBER columns in floating point, typed REAL; Snowflake sums them
	// exactly, as NUMBER(38,s). An argument that is already a cast is left
	// alone, so SUM(CAST(x AS NUMBER(18,2))) is the exact sum on both.
	t.Run("exact decimals", func(t *testing.T) {
		var f float64
		for i := 0; i < 10000; i++ {
			if i%2 == 0 {
				f += 0.10
			} else {
				f += 0.20
			}
		}
		if f == 1500 {
			t.Fatal("want data whose float sum is inexact")
		}
		for _, stmt := range []string{
			`CREATE TABLE FIN.MONEY (AMOUNT NUMBER(18,2))`,
			`INSERT INTO FIN.MONEY SELECT CASE WHEN SEQ4() % 2 = 0 THEN 0.10 ELSE 0.20 END FROM TABLE(GENERATOR(ROWCOUNT => 10000))`,
		} {
			if _, err := c.Exec(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		res, err := c.Query(ctx, `SELECT SUM(CAST(AMOUNT AS NUMBER(18,2))), MIN(AMOUNT), CAST(10 AS NUMBER(18,2)), COUNT(*), CAST(123456789012345678.91 AS NUMBER(38,2)) FROM FIN.MONEY`, connector.QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := []any{"1500.00", "0.10", "10.00", "10000", "123456789012345678.91"}
		if !reflect.DeepEqual(res.Rows[0], want) {
			t.Fatalf("row = %#v, want %#v", res.Rows[0], want)
		}
		res, err = c.Query(ctx, `SELECT SUM(AMOUNT) FROM FIN.MONEY`, connector.QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("fakesnow's own SUM(AMOUNT): %s %#v", res.Columns[0].Type, res.Rows[0][0])
	})

	t.Run("transaction", func(t *testing.T) {
		tx, err := c.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO FIN.ACCOUNTS VALUES (?, ?, ?)`, 9, "9999", "Suspense"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		res, err := c.Query(ctx, `SELECT COUNT(*) FROM FIN.ACCOUNTS`, connector.QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if fmtRow(res.Rows) != "[[3]]" {
			t.Fatalf("rows after rollback: %v", res.Rows)
		}
	})
}

func fmtRow(rows [][]any) string { return fmt.Sprint(rows) }

func hasSchema(s []catalog.Schema, name string) bool {
	for _, x := range s {
		if x.Name == name {
			return true
		}
	}
	return false
}
