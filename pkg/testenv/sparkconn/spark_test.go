package sparkconn_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/testenv/sparkconn"
)

// TestSparkConnector: the connector's own contract on Spark with Delta —
// exact decimals, bound values, the catalogue, errors, row caps, and a
// transaction that says it is none.
func TestSparkConnector(t *testing.T) {
	c := sparkconn.Open(t, "spark")
	ctx := context.Background()
	if err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Dialect() != "databricks" {
		t.Fatalf("dialect %s", c.Dialect())
	}
	exec := func(q string, args ...any) connector.ExecResult {
		t.Helper()
		r, err := c.Exec(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return r
	}
	exec("CREATE TABLE gl (account STRING, amount DECIMAL(18,2), posted DATE, at TIMESTAMP, n BIGINT, f DOUBLE)")
	exec("INSERT INTO gl VALUES (?, CAST(? AS DECIMAL(18,2)), DATE'2026-01-31', TIMESTAMP'2026-01-31 12:30:00', ?, ?), ('5000', 0.10, NULL, NULL, NULL, NULL)",
		"4000", decimal.RequireFromString("12345678901234.05"), int64(7), 0.5)
	// Delta is the default table format.
	res, err := c.Query(ctx, "DESCRIBE DETAIL gl", connector.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0][0]; got != "delta" {
		t.Errorf("table format %v, want delta", got)
	}
	res, err = c.Query(ctx, "SELECT account, amount, posted, at, n, f, amount * 3 AS triple FROM gl ORDER BY account", connector.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{"4000", "12345678901234.05", "2026-01-31", "2026-01-31T12:30:00Z", int64(7), 0.5, "37037036703702.15"},
		{"5000", "0.10", nil, nil, nil, nil, "0.30"},
	}
	for i := range want {
		for j := range want[i] {
			if res.Rows[i][j] != want[i][j] {
				t.Errorf("row %d col %s: %#v, want %#v", i, res.Columns[j].Name, res.Rows[i][j], want[i][j])
			}
		}
	}
	if res.Columns[1].Type != "DECIMAL(18,2)" {
		t.Errorf("type %s", res.Columns[1].Type)
	}
	// Row cap.
	res, err = c.Query(ctx, "SELECT id FROM range(10)", connector.QueryOptions{MaxRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowCount != 3 || !res.Truncated {
		t.Errorf("capped: %d rows, truncated %v", res.RowCount, res.Truncated)
	}
	// Catalogue.
	exec("CREATE VIEW v_gl AS SELECT account FROM gl")
	ts, err := c.Tables(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, tb := range ts {
		kinds[tb.Name] = tb.Kind
	}
	if kinds["gl"] != "table" || kinds["v_gl"] != "view" || len(kinds) != 2 {
		t.Errorf("tables %v", kinds)
	}
	d, err := c.Describe(ctx, "", "gl")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Columns) != 6 || d.Columns[1].Name != "amount" || d.Columns[1].Type != "DECIMAL(18,2)" || d.Columns[5].Position != 6 {
		t.Errorf("describe %+v", d.Columns)
	}
	ss, err := c.Schemas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range ss {
		found = found || s.Name == c.Schema()
	}
	if !found {
		t.Errorf("schema %s not in %v", c.Schema(), ss)
	}
	// An error names the problem and the runner stays usable.
	if _, err := c.Query(ctx, "SELECT nope FROM gl", connector.QueryOptions{}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("error %v", err)
	}
	// No transactions: a rollback after a write says the write stays.
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Delta reports the rows a DELETE touched (an INSERT reports none on
	// open-source Delta: -1).
	if r, err := tx.Exec(ctx, "DELETE FROM gl WHERE account = '5000'"); err != nil || r.RowsAffected != 1 {
		t.Fatalf("delete: %+v %v", r, err)
	}
	if err := tx.Rollback(); err == nil || !strings.Contains(err.Error(), "no transactions") {
		t.Errorf("rollback: %v", err)
	}
	res, err = c.Query(ctx, "SELECT COUNT(*) FROM gl", connector.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != int64(1) {
		t.Errorf("count after the delete %v", res.Rows[0][0])
	}
}
