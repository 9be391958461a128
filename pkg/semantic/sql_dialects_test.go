package semantic

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/testenv"
)

// sqlRecorder is a connector that records the SQL it is sent and answers
// the profiling statements with fixed rows: a table of 1,000,000 rows
// (so it is sampled), columns id INTEGER and code VARCHAR with 100
// non-null values, 10 of them distinct.
type sqlRecorder struct {
	connector.Connector
	d   string
	sql []string
}

func (r *sqlRecorder) Dialect() string { return r.d }

func (r *sqlRecorder) Describe(ctx context.Context, schema, table string) (*catalog.TableDetail, error) {
	return &catalog.TableDetail{
		Table:   catalog.Table{Schema: schema, Name: table},
		Columns: []catalog.Column{{Name: "id", Type: "INTEGER"}, {Name: "code", Type: "VARCHAR"}},
	}, nil
}

func (r *sqlRecorder) Query(ctx context.Context, sql string, opts connector.QueryOptions, args ...any) (*connector.Result, error) {
	r.sql = append(r.sql, sql)
	switch len(r.sql) {
	case 1: // row count
		return &connector.Result{Rows: [][]any{{int64(1_000_000)}}}, nil
	case 2: // column statistics: COUNT(*), 7 per column, 9 patterns for code
		row := []any{int64(100)}
		for _, minMax := range [][2]string{{"1", "9"}, {"A", "Z"}} {
			row = append(row, int64(100), int64(10), minMax[0], minMax[1], int64(1), int64(3), 2.0)
		}
		for range pfPatterns {
			row = append(row, int64(0))
		}
		return &connector.Result{Rows: [][]any{row}}, nil
	}
	return &connector.Result{Rows: [][]any{{int64(0), int64(0)}}}, nil
}

// TestStatementsRenderOnEveryDialect runs profiling, the duplicate check
// and the coverage anti-join against a recorder for every dialect (most
// have no engine here), and parses what they send with sqlglot where the
// test-oracle venv is set.
func TestStatementsRenderOnEveryDialect(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	files := map[string][]string{}
	for _, d := range dialect.Dialects() {
		rec := &sqlRecorder{d: d}
		tp, err := ProfileTable(ctx, rec, "mart", "Orders", Options{SampleRows: 10_000})
		if err != nil {
			t.Fatalf("%s: profile: %v", d, err)
		}
		if len(rec.sql) != 3 {
			t.Fatalf("%s: %d statements, want count, statistics and top values:\n%s", d, len(rec.sql), strings.Join(rec.sql, "\n;\n"))
		}
		s := &pfSQL{d: d}
		if _, _, err := kyDuplicateCheck(ctx, rec, s, dialect.N("mart", "Orders"), []string{"id", "code"}); err != nil {
			t.Fatalf("%s: duplicate check: %v", d, err)
		}
		parent := &TableProfile{Schema: "mart", Name: "Customers", Columns: []ColumnProfile{{Name: "id"}, {Name: "code"}}}
		cands := []*rlCand{
			{child: tp, parent: parent, childCols: []*ColumnProfile{&tp.Columns[0]}, parentCols: []*ColumnProfile{&parent.Columns[0]}},
			{child: tp, parent: parent, childCols: []*ColumnProfile{&tp.Columns[0], &tp.Columns[1]}, parentCols: []*ColumnProfile{&parent.Columns[0], &parent.Columns[1]}},
		}
		if err := rlBatchCoverage(ctx, rec, s, tp, cands); err != nil {
			t.Fatalf("%s: coverage: %v", d, err)
		}
		if err := rlBatchCoverage(ctx, rec, s, tp, cands[:1]); err != nil {
			t.Fatalf("%s: coverage of one: %v", d, err)
		}
		for i, q := range rec.sql {
			f := filepath.Join(dir, fmt.Sprintf("%s_%d.sql", d, i))
			if err := os.WriteFile(f, []byte(q), 0o644); err != nil {
				t.Fatal(err)
			}
			files[d] = append(files[d], f)
		}
	}
	if os.Getenv(testenv.OracleVenv) == "" {
		t.Skip("sqlglot: set " + testenv.OracleVenv + " to parse the statements")
	}
	python := testenv.VenvTool(t, "python")
	glot := map[string]string{dialect.DuckDB: "duckdb", dialect.Postgres: "postgres", dialect.MySQL: "mysql", dialect.SQLServer: "tsql",
		dialect.Snowflake: "snowflake", dialect.BigQuery: "bigquery", dialect.Databricks: "databricks"}
	for _, d := range dialect.Dialects() {
		args := append([]string{filepath.Join("..", "dialect", "testdata", "sqlglot_parse.py"), glot[d]}, files[d]...)
		out, err := exec.Command(python, args...).Output()
		if err != nil {
			t.Fatalf("sqlglot for %s: %v\n%s", d, err, out)
		}
		var res struct {
			Errors map[string]string `json:"errors"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("sqlglot output for %s: %v\n%s", d, err, out)
		}
		for f, msg := range res.Errors {
			b, _ := os.ReadFile(f)
			t.Errorf("sqlglot (%s) cannot parse %s: %s\n%s", glot[d], filepath.Base(f), msg, b)
		}
	}
}
