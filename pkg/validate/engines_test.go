package validate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/mysql"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/testenv"
)

// The fixture: a small GL (three periods; 202403 does not balance and
// holds unmapped accounts 7777 and 8888), its chart of accounts, cost
// centres, and a P&L pipeline's DT_2 / DT_3A / DT_3 built from it by hand.
// {Cost Centre} is written with the dialect's quoting.
var fixtureSQL = []string{
	`CREATE TABLE {s}.accounts (account VARCHAR(20), account_type VARCHAR(20))`,
	`INSERT INTO {s}.accounts VALUES ('1000', 'asset'), ('2000', 'liability'), ('3000', 'equity'), ('4000', 'revenue'),
		('5000', 'expense'), ('6000', 'Expense'), ('6100', 'other'), ('6200', 'other'), ('6300', NULL)`,
	`CREATE TABLE {s}.cost_centres ({Cost Centre} VARCHAR(10))`,
	`INSERT INTO {s}.cost_centres VALUES ('CC1'), ('CC2')`,
	`CREATE TABLE {s}.account_cc (account VARCHAR(20), cc VARCHAR(10))`,
	`INSERT INTO {s}.account_cc VALUES ('1000', 'CC1'), ('4000', 'CC1'), ('5000', 'CC2'), ('2000', 'CC2'), ('1000', 'CC2')`,
	`CREATE TABLE {s}.gl (line_id INTEGER, period VARCHAR(6), account VARCHAR(20), cost_centre VARCHAR(10),
		debit DECIMAL(18,2), credit DECIMAL(18,2), amount DECIMAL(18,2))`,
	`INSERT INTO {s}.gl VALUES
		(1, '202401', '1000', 'CC1', 100.00, 0, 100.00),
		(2, '202401', '4000', 'CC1', 0, 100.00, -100.00),
		(3, '202401', '5000', 'CC2', 40.00, 0, 40.00),
		(4, '202401', '2000', 'CC2', 0, 40.00, -40.00),
		(5, '202402', '1000', NULL, 250.50, NULL, 250.50),
		(6, '202402', '3000', 'CC9', 0, 250.50, -250.50),
		(7, '202403', '1000', 'CC1', 10.00, 0, 10.00),
		(8, '202403', '7777', 'CC1', 0, 7.00, -7.00),
		(9, '202403', '8888', 'CC2', 0, 0, 0),
		(10, '202403', '7777', 'CC2', 0, 1.00, -1.00)`,
	`CREATE TABLE {s}.gl_copy (line_id INTEGER, period VARCHAR(6))`,
	`INSERT INTO {s}.gl_copy VALUES (1, '202401'), (2, '202401'), (3, '202401'), (4, '202401'), (5, '202402'),
		(6, '202402'), (7, '202403'), (8, '202403'), (9, '202403')`,
	`CREATE TABLE {s}.DT_2_PL (SOURCE_CODE VARCHAR(20), LEAF_CODE VARCHAR(20), PERIOD VARCHAR(6), AMOUNT DECIMAL(18,2))`,
	`INSERT INTO {s}.DT_2_PL VALUES ('1000', 'CASH', '202401', 100.00), ('4000', 'REV', '202401', -100.00),
		('5000', 'EXP', '202401', 40.00), ('2000', 'AP', '202401', -40.00), ('1000', 'CASH', '202402', 250.50),
		('3000', 'EQ', '202402', -250.50), ('1000', 'CASH', '202403', 10.00), ('7777', NULL, '202403', -7.00),
		('8888', NULL, '202403', 0), ('7777', NULL, '202403', -1.00)`,
	`CREATE TABLE {s}.DT_3A_PL (LEAF_CODE VARCHAR(20), PERIOD VARCHAR(6), AMOUNT DECIMAL(38,10), ROW_COUNT INTEGER)`,
	`INSERT INTO {s}.DT_3A_PL VALUES ('CASH', '202401', 100, 1), ('REV', '202401', -100, 1), ('EXP', '202401', 40, 1),
		('AP', '202401', -40, 1), ('CASH', '202402', 250.5, 1), ('EQ', '202402', -250.5, 1), ('CASH', '202403', 10, 1),
		(NULL, '202403', -8, 3)`,
	`CREATE TABLE {s}.DT_3_PL (NODE_CODE VARCHAR(20), NODE_TYPE VARCHAR(10), PERIOD VARCHAR(6), AMOUNT DECIMAL(38,10))`,
	`INSERT INTO {s}.DT_3_PL VALUES ('CASH', 'leaf', '202401', 100), ('REV', 'leaf', '202401', -100), ('EXP', 'leaf', '202401', 40),
		('AP', 'leaf', '202401', -40), ('CASH', 'leaf', '202402', 250.5), ('EQ', 'leaf', '202402', -250.5),
		('CASH', 'leaf', '202403', 10), ('TOTAL', 'group', '202401', 0), ('TOTAL', 'group', '202402', 0),
		('TOTAL', 'group', '202403', 10), ('BALANCE_CHECK', 'formula', '202401', 0), ('BALANCE_CHECK', 'formula', '202402', 0.001),
		('BALANCE_CHECK', 'formula', '202403', 2)`,
}

func loadFixture(t *testing.T, q connector.Querier, dia, schema string) {
	t.Helper()
	for _, stmt := range fixtureSQL {
		stmt = strings.ReplaceAll(stmt, "{s}", dialect.QuoteIdent(dia, schema))
		stmt = strings.ReplaceAll(stmt, "{Cost Centre}", dialect.QuoteIdent(dia, "Cost Centre"))
		if _, err := q.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%v\n%s", err, stmt)
		}
	}
}

// want is the expected outcome of one check of the suite.
type want struct {
	status   string
	failing  int64
	expected string
	actual   string
	samples  []map[string]any
	message  string // a substring of the message
}

type row = map[string]any

// suite is every kind with a passing and a failing fixture (plus the
// edge cases), keyed by check name, against tables in schema s.
func suite(s string) ([]Check, map[string]want) {
	tb := func(n string) string { return s + "." + n }
	p123 := In("period", "202401", "202402")
	checks := []Check{
		// row_count
		{Name: "row_count exact", Kind: KindRowCount, Table: tb("gl_copy"), SourceTable: tb("gl")},
		{Name: "row_count 15%", Kind: KindRowCount, Table: tb("gl_copy"), SourceTable: tb("gl"), Tolerance: 0.15},
		{Name: "row_count filtered", Kind: KindRowCount, Table: tb("gl_copy"), Where: []Filter{p123}, SourceTable: tb("gl"), SourceWhere: []Filter{p123}},
		// not_null
		{Name: "not_null account", Kind: KindNotNull, Table: tb("gl"), Columns: []string{"account", "period"}},
		{Name: "not_null cost_centre", Kind: KindNotNull, Table: tb("gl"), Columns: []string{"cost_centre"}, Keys: []string{"line_id", "period"}},
		// unique
		{Name: "unique line_id", Kind: KindUnique, Table: tb("gl"), Columns: []string{"line_id"}},
		{Name: "unique account", Kind: KindUnique, Table: tb("gl"), Columns: []string{"account"}},
		{Name: "unique period, account", Kind: KindUnique, Table: tb("gl"), Columns: []string{"period", "account"}},
		// relationship
		{Name: "rel account ok", Kind: KindRelationship, Table: tb("gl"), Columns: []string{"account"}, Where: []Filter{p123},
			RefTable: tb("accounts"), RefColumns: []string{"account"}},
		{Name: "rel account", Kind: KindRelationship, Table: tb("gl"), Columns: []string{"account"},
			RefTable: tb("accounts"), RefColumns: []string{"account"}},
		{Name: "rel cost centre", Kind: KindRelationship, Table: tb("gl"), Columns: []string{"cost_centre"},
			RefTable: tb("cost_centres"), RefColumns: []string{"Cost Centre"}},
		{Name: "rel composite ok", Kind: KindRelationship, Table: tb("gl"), Columns: []string{"account", "cost_centre"}, Where: []Filter{In("period", "202401")},
			RefTable: tb("account_cc"), RefColumns: []string{"account", "cc"}},
		{Name: "rel composite", Kind: KindRelationship, Table: tb("gl"), Columns: []string{"account", "cost_centre"},
			RefTable: tb("account_cc"), RefColumns: []string{"account", "cc"}},
		// accepted_values
		{Name: "accepted ok", Kind: KindAcceptedValues, Table: tb("accounts"), Columns: []string{"account_type"},
			Values: []string{"asset", "liability", "equity", "revenue", "expense", "Expense", "other"}},
		{Name: "accepted", Kind: KindAcceptedValues, Table: tb("accounts"), Columns: []string{"account_type"},
			Values: []string{"asset", "liability", "equity", "revenue", "expense"}},
		// all_mapped
		{Name: "mapped ok", Kind: KindAllMapped, Table: tb("DT_2_PL"), Columns: []string{"SOURCE_CODE"}, MappedColumn: "LEAF_CODE",
			Amount: Amount("AMOUNT"), Where: []Filter{In("PERIOD", "202401", "202402")}},
		{Name: "mapped", Kind: KindAllMapped, Table: tb("DT_2_PL"), Columns: []string{"SOURCE_CODE"}, MappedColumn: "LEAF_CODE", Amount: Amount("AMOUNT")},
		{Name: "mapped any amount", Kind: KindAllMapped, Table: tb("DT_2_PL"), Columns: []string{"SOURCE_CODE"}, MappedColumn: "LEAF_CODE"},
		// ties_out
		{Name: "ties", Kind: KindTiesOut, Table: tb("DT_3_PL"), Where: []Filter{In("NODE_TYPE", "leaf")}, Amount: Amount("AMOUNT"),
			Plus:        []Part{{Table: tb("DT_3A_PL"), Where: []Filter{IsNull("LEAF_CODE")}, Amount: Amount("AMOUNT")}},
			SourceTable: tb("gl"), SourceAmount: Amount("amount"), GroupBy: []string{"PERIOD"}, SourceGroupBy: []string{"period"}},
		{Name: "ties without unmapped", Kind: KindTiesOut, Table: tb("DT_3_PL"), Where: []Filter{In("NODE_TYPE", "leaf")}, Amount: Amount("AMOUNT"),
			SourceTable: tb("gl"), SourceAmount: Amount("amount"), GroupBy: []string{"PERIOD"}, SourceGroupBy: []string{"period"}},
		{Name: "ties total debit", Kind: KindTiesOut, Table: tb("DT_3_PL"), Where: []Filter{In("NODE_CODE", "TOTAL")}, Amount: Amount("AMOUNT"),
			SourceTable: tb("gl"), SourceAmount: Amount("debit")},
		{Name: "ties tolerance", Kind: KindTiesOut, Table: tb("DT_3_PL"), Where: []Filter{In("NODE_TYPE", "leaf")}, Amount: Amount("AMOUNT"),
			SourceTable: tb("gl"), SourceAmount: Amount("amount"), Tolerance: 8},
		// sums_to_zero
		{Name: "tb ok", Kind: KindSumsToZero, Table: tb("gl"), Where: []Filter{p123}, Amount: []Term{Plus("debit"), Minus("credit")}, GroupBy: []string{"period"}},
		{Name: "tb", Kind: KindSumsToZero, Table: tb("gl"), Amount: []Term{Plus("debit"), Minus("credit")}, GroupBy: []string{"period"}},
		{Name: "tb amount", Kind: KindSumsToZero, Table: tb("gl"), Amount: Amount("amount")},
		{Name: "tb empty", Kind: KindSumsToZero, Table: tb("gl"), Where: []Filter{In("period", "209912")}, Amount: Amount("amount")},
		// expression_zero
		{Name: "balance ok", Kind: KindExpressionZero, Table: tb("DT_3_PL"), Where: []Filter{In("NODE_CODE", "BALANCE_CHECK"), In("PERIOD", "202401", "202402")},
			Amount: Amount("AMOUNT"), GroupBy: []string{"PERIOD"}},
		{Name: "balance", Kind: KindExpressionZero, Table: tb("DT_3_PL"), Where: []Filter{In("NODE_CODE", "BALANCE_CHECK")},
			Amount: Amount("AMOUNT"), GroupBy: []string{"PERIOD"}},
		{Name: "balance one", Kind: KindExpressionZero, Table: tb("DT_3_PL"), Where: []Filter{In("NODE_CODE", "BALANCE_CHECK"), In("PERIOD", "202403")},
			Amount: Amount("AMOUNT")},
		{Name: "balance missing", Kind: KindExpressionZero, Table: tb("DT_3_PL"), Where: []Filter{In("NODE_CODE", "NO_SUCH_NODE")},
			Amount: Amount("AMOUNT"), GroupBy: []string{"PERIOD"}},
		// errors next to the rest
		{Name: "missing table", Kind: KindNotNull, Table: tb("no_such_table"), Columns: []string{"x"}},
		{Name: "bad column", Kind: KindUnique, Table: tb("gl"), Columns: []string{"no_such_column"}},
		{Name: "bad kind", Kind: "row_cuont", Table: tb("gl")},
		{Name: "comprehensive only", Kind: KindUnique, Level: Comprehensive, Table: tb("gl"), Columns: []string{"line_id"}},
		{Kind: KindNotNull, Table: tb("gl"), Columns: []string{"line_id"}}, // default name
	}
	wants := map[string]want{
		"row_count exact":    {status: StatusFail, failing: 1, expected: "10", actual: "9", message: "difference 1, 10% (exact)"},
		"row_count 15%":      {status: StatusPass, failing: 1, expected: "10", actual: "9"},
		"row_count filtered": {status: StatusPass, failing: 0, expected: "6", actual: "6"},

		"not_null account":     {status: StatusPass, expected: "0", actual: "0"},
		"not_null cost_centre": {status: StatusFail, failing: 1, expected: "0", actual: "1", samples: []row{{"line_id": int64(5), "period": "202402", "cost_centre": nil}}},

		"unique line_id": {status: StatusPass, expected: "0", actual: "0"},
		"unique account": {status: StatusFail, failing: 2, expected: "0", actual: "2", message: "(5 rows)",
			samples: []row{{"account": "1000", "rows": int64(3)}, {"account": "7777", "rows": int64(2)}}},
		"unique period, account": {status: StatusFail, failing: 1, samples: []row{{"period": "202403", "account": "7777", "rows": int64(2)}}},

		"rel account ok": {status: StatusPass, expected: "0", actual: "0"},
		"rel account": {status: StatusFail, failing: 2, message: "(3 rows)",
			samples: []row{{"account": "7777", "rows": int64(2)}, {"account": "8888", "rows": int64(1)}}},
		"rel cost centre":  {status: StatusFail, failing: 1, samples: []row{{"cost_centre": "CC9", "rows": int64(1)}}},
		"rel composite ok": {status: StatusPass},
		"rel composite": {status: StatusFail, failing: 4, samples: []row{
			{"account": "3000", "cost_centre": "CC9", "rows": int64(1)},
			{"account": "7777", "cost_centre": "CC1", "rows": int64(1)},
			{"account": "7777", "cost_centre": "CC2", "rows": int64(1)},
			{"account": "8888", "cost_centre": "CC2", "rows": int64(1)},
		}},

		"accepted ok": {status: StatusPass},
		"accepted": {status: StatusFail, failing: 3, actual: "3", message: "3 rows of",
			samples: []row{{"account_type": "other", "rows": int64(2)}, {"account_type": "Expense", "rows": int64(1)}}},

		"mapped ok": {status: StatusPass, expected: "0", actual: "0"},
		"mapped": {status: StatusFail, failing: 1, message: "1 unmapped code (SOURCE_CODE)",
			samples: []row{{"SOURCE_CODE": "7777", "rows": int64(2), "amount": "-8"}}},
		"mapped any amount": {status: StatusFail, failing: 2,
			samples: []row{{"SOURCE_CODE": "7777", "rows": int64(2)}, {"SOURCE_CODE": "8888", "rows": int64(1)}}},

		"ties": {status: StatusPass, expected: "2", actual: "2", message: "in all 3 groups by PERIOD"},
		"ties without unmapped": {status: StatusFail, failing: 1, expected: "2", actual: "10", message: "in 1 of 3 groups",
			samples: []row{{"PERIOD": "202403", "target": "10", "source": "2", "difference": "8"}}},
		"ties total debit": {status: StatusFail, failing: 1, expected: "400.5", actual: "10",
			samples: []row{{"target": "10", "source": "400.5", "difference": "-390.5"}}},
		"ties tolerance": {status: StatusPass, expected: "2", actual: "10"},

		"tb ok": {status: StatusPass, expected: "0", actual: "0"},
		"tb": {status: StatusFail, failing: 1, expected: "0", actual: "2", message: "1 of 3 groups",
			samples: []row{{"period": "202403", "total": "2"}}},
		"tb amount": {status: StatusFail, failing: 1, expected: "0", actual: "2", samples: []row{{"total": "2"}}},
		"tb empty":  {status: StatusPass, actual: "0"},

		"balance ok": {status: StatusPass, actual: "0.001"},
		"balance": {status: StatusFail, failing: 1, actual: "2",
			samples: []row{{"PERIOD": "202403", "value": "2", "rows": int64(1)}}},
		"balance one":     {status: StatusFail, failing: 1, actual: "2", samples: []row{{"value": "2", "rows": int64(1)}}},
		"balance missing": {status: StatusFail, failing: 1, actual: "missing", message: "NODE_CODE = 'NO_SUCH_NODE': the value to check is missing"},

		"missing table":                     {status: StatusError, message: "no_such_table"},
		"bad column":                        {status: StatusError, message: "no_such_column"},
		"bad kind":                          {status: StatusError, message: `unknown check kind "row_cuont"`},
		"not_null " + tb("gl") + ".line_id": {status: StatusPass},
	}
	return checks, wants
}

func checkReport(t *testing.T, rep *Report, wants map[string]want) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range rep.Results {
		seen[r.Name] = true
		w, ok := wants[r.Name]
		if !ok {
			t.Errorf("unexpected result %q", r.Name)
			continue
		}
		if r.Status != w.status {
			t.Errorf("%s: status %s, want %s (%s)\n%s", r.Name, r.Status, w.status, r.Message, r.SQL)
			continue
		}
		if r.Failing != w.failing {
			t.Errorf("%s: failing %d, want %d (%s)", r.Name, r.Failing, w.failing, r.Message)
		}
		if w.expected != "" && r.Expected != w.expected {
			t.Errorf("%s: expected %q, want %q", r.Name, r.Expected, w.expected)
		}
		if w.actual != "" && r.Actual != w.actual {
			t.Errorf("%s: actual %q, want %q", r.Name, r.Actual, w.actual)
		}
		if !strings.Contains(r.Message, w.message) {
			t.Errorf("%s: message %q does not contain %q", r.Name, r.Message, w.message)
		}
		if len(w.samples) > 0 || len(r.Samples) > 0 {
			if !reflect.DeepEqual(r.Samples, w.samples) {
				t.Errorf("%s: samples\n got %#v\nwant %#v\n%s", r.Name, r.Samples, w.samples, r.SampleSQL)
			}
			for _, s := range r.Samples {
				if len(s) != len(r.SampleColumns) {
					t.Errorf("%s: sample columns %v for sample %v", r.Name, r.SampleColumns, s)
				}
			}
		}
		if r.Status != StatusError && r.SQL == "" {
			t.Errorf("%s: no SQL recorded", r.Name)
		}
		if r.Status == StatusFail && len(w.samples) > 0 && r.SampleSQL == "" {
			t.Errorf("%s: no sample SQL recorded", r.Name)
		}
	}
	for name := range wants {
		if !seen[name] {
			t.Errorf("no result for %q", name)
		}
	}
}

// runSuite runs the suite on q at both levels and checks every result.
func runSuite(t *testing.T, q connector.Querier, dia, schema string) {
	t.Helper()
	ctx := context.Background()
	checks, wants := suite(schema)
	rep, err := Run(ctx, q, dia, checks, Basic, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, wants)
	if rep.Skipped != 1 || rep.OK() || rep.ExitCode() != 3 {
		t.Errorf("basic: skipped %d ok %v exit %d", rep.Skipped, rep.OK(), rep.ExitCode())
	}
	pass, fail, errs := 0, 0, 0
	for _, w := range wants {
		switch w.status {
		case StatusPass:
			pass++
		case StatusFail:
			fail++
		default:
			errs++
		}
	}
	if rep.Passed != pass || rep.Failed != fail || rep.Errors != errs {
		t.Errorf("summary %s, want %d passed %d failed %d errors", rep.Summary(), pass, fail, errs)
	}
	// Comprehensive runs the comprehensive-only check too; two samples at most.
	wants["comprehensive only"] = want{status: StatusPass}
	rep, err = Run(ctx, q, dia, checks, Comprehensive, Options{Samples: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rep.Results {
		if w := wants[r.Name]; len(w.samples) > 2 {
			w.samples = w.samples[:2]
			wants[r.Name] = w
		}
		if r.Name == "rel composite" && r.Failing != 4 {
			t.Errorf("rel composite with 2 samples: failing %d", rep.Results[i].Failing)
		}
	}
	checkReport(t, rep, wants)
	if rep.Skipped != 0 {
		t.Errorf("comprehensive skipped %d", rep.Skipped)
	}
}

func openDuckDB(t *testing.T) connector.Connector {
	t.Helper()
	c, err := connector.Open(context.Background(), "vt", connector.Config{Type: "duckdb"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Exec(context.Background(), "CREATE SCHEMA vt"); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDuckDB(t *testing.T) {
	c := openDuckDB(t)
	loadFixture(t, c, c.Dialect(), "vt")
	runSuite(t, c, c.Dialect(), "vt")
}

func TestDuckDBInTransaction(t *testing.T) {
	c := openDuckDB(t)
	ctx := context.Background()
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	// The deploy's own writes are visible to the checks inside its transaction.
	loadFixture(t, tx, c.Dialect(), "vt")
	runSuite(t, tx, c.Dialect(), "vt")
	if _, err := tx.Query(ctx, "SELECT COUNT(*) FROM vt.gl", connector.QueryOptions{}); err != nil {
		t.Fatalf("the transaction is unusable after the checks: %v", err)
	}
}

func randomName(prefix string) string { return fmt.Sprintf("%s_%d", prefix, rand.Int64N(1<<40)) }

func openPostgres(t *testing.T) (connector.Connector, string) {
	t.Helper()
	testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	ctx := context.Background()
	c, err := connector.Open(ctx, "pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
	if err != nil {
		t.Fatal(err)
	}
	schema := randomName("validate")
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+dialect.QuoteIdent(c.Dialect(), schema)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+dialect.QuoteIdent(c.Dialect(), schema)+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
		c.Close()
	})
	return c, schema
}

func TestPostgres(t *testing.T) {
	c, schema := openPostgres(t)
	loadFixture(t, c, c.Dialect(), schema)
	runSuite(t, c, c.Dialect(), schema)
}

// In a PostgreSQL transaction an error aborts everything after it unless
// it is rolled back to a savepoint: the erroring checks must not turn the
// later ones into errors, nor leave the transaction unusable.
func TestPostgresInTransaction(t *testing.T) {
	c, schema := openPostgres(t)
	ctx := context.Background()
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	loadFixture(t, tx, c.Dialect(), schema)
	runSuite(t, tx, c.Dialect(), schema)
	if _, err := tx.Query(ctx, "SELECT COUNT(*) FROM "+dialect.QuoteIdent(c.Dialect(), schema)+".gl", connector.QueryOptions{}); err != nil {
		t.Fatalf("the transaction is unusable after the checks: %v", err)
	}
}

func openMySQL(t *testing.T) (connector.Connector, string) {
	t.Helper()
	testenv.Need(t, testenv.MySQLURL, "MySQL/MariaDB")
	ctx := context.Background()
	c, err := connector.Open(ctx, "my", connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}"})
	if err != nil {
		t.Fatal(err)
	}
	db := randomName("validate")
	if _, err := c.Exec(ctx, "CREATE DATABASE "+dialect.QuoteIdent(c.Dialect(), db)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+dialect.QuoteIdent(c.Dialect(), db)); err != nil {
			t.Errorf("dropping database %s: %v", db, err)
		}
		c.Close()
	})
	return c, db
}

func TestMariaDB(t *testing.T) {
	c, db := openMySQL(t)
	loadFixture(t, c, c.Dialect(), db)
	runSuite(t, c, c.Dialect(), db)
}

func TestMariaDBInTransaction(t *testing.T) {
	c, db := openMySQL(t)
	ctx := context.Background()
	// MySQL DDL commits implicitly: create the tables first, then check
	// inside a transaction that has written rows of its own.
	loadFixture(t, c, c.Dialect(), db)
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	q := dialect.QuoteIdent(c.Dialect(), db)
	if _, err := tx.Exec(ctx, "INSERT INTO "+q+".gl_copy VALUES (10, '202403')"); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ctx, tx, c.Dialect(), []Check{
		{Name: "rows", Kind: KindRowCount, Table: db + ".gl_copy", SourceTable: db + ".gl"},
		{Name: "broken", Kind: KindNotNull, Table: db + ".nope", Columns: []string{"x"}},
		{Name: "tb", Kind: KindSumsToZero, Table: db + ".gl", Amount: []Term{Plus("debit"), Minus("credit")}, GroupBy: []string{"period"}},
	}, Basic, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, map[string]want{
		"rows":   {status: StatusPass, expected: "10", actual: "10"},
		"broken": {status: StatusError, message: "nope"},
		"tb":     {status: StatusFail, failing: 1, samples: []row{{"period": "202403", "total": "2"}}},
	})
}
