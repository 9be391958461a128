package duckdb

import (
	"context"
	"errors"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
)

// CheckReadStatement is DuckDB's own parser deciding, without our lexer.
func TestCheckReadStatement(t *testing.T) {
	db, err := OpenDB("", false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (v INT)"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SELECT 1", "FROM t", "SHOW TABLES", "DESCRIBE t", "SUMMARIZE t", "EXPLAIN SELECT * FROM t", "EXPLAIN ANALYZE SELECT * FROM t", "WITH a AS (SELECT 1) SELECT * FROM a", "PRAGMA table_info('t')"} {
		if err := CheckReadStatement(ctx, db, q); err != nil {
			t.Errorf("%q refused: %v", q, err)
		}
	}
	for _, q := range []string{
		"INSERT INTO t VALUES (1)", "SELECT 1; DROP TABLE t", "COPY t TO 'x.csv'", "ATTACH ':memory:' AS m",
		"EXPLAIN ANALYZE COPY t TO 'x.csv'", "EXPLAIN ANALYZE DELETE FROM t", "explain analyse insert into t values (1)",
		"/* EXPLAIN */ EXPLAIN ANALYZE COPY t TO 'x.csv'", "-- EXPLAIN SELECT 1\nEXPLAIN ANALYZE COPY t TO 'x.csv'",
		"SET threads = 1", "CHECKPOINT", "USE memory", "CALL pragma_version()", "CREATE TABLE x AS SELECT 1",
	} {
		err := CheckReadStatement(ctx, db, q)
		var we *connector.ErrWriteRefused
		if !errors.As(err, &we) {
			t.Errorf("%q: err = %v, want a refusal", q, err)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Fatalf("the checks changed the table: %d rows, %v", n, err)
	}
}
