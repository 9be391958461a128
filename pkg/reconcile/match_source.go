package reconcile

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
	"github.com/databridge/databridge/pkg/dialect"
)

// Reading the columns that name matching, pairing and profiling work on:
// a matchDataset is CONN.TABLE or CONN.SCHEMA.TABLE, opened read-only through
// the connections service, its columns resolved against the catalogue
// (case-insensitive) and read with SQL built on the dialect tree.

// MaxMatchValues caps the values (rows for pair) read from one side.
const MaxMatchValues = 2_000_000

// matchDataset is a parsed CONN.TABLE / CONN.SCHEMA.TABLE.
type matchDataset struct {
	Conn, Schema, Table string
}

func (d matchDataset) String() string {
	if d.Schema == "" {
		return d.Conn + "." + d.Table
	}
	return d.Conn + "." + d.Schema + "." + d.Table
}

// parseMatchDataset reads CONN.TABLE or CONN.SCHEMA.TABLE.
func parseMatchDataset(s string) (matchDataset, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	for _, p := range parts {
		if p == "" {
			parts = nil
			break
		}
	}
	switch len(parts) {
	case 2:
		return matchDataset{Conn: parts[0], Table: parts[1]}, nil
	case 3:
		return matchDataset{Conn: parts[0], Schema: parts[1], Table: parts[2]}, nil
	}
	return matchDataset{}, fmt.Errorf("matchDataset %q: expected CONN.TABLE or CONN.SCHEMA.TABLE (see `databridge connection list`)", s)
}

// matchTable is a matchDataset opened read-only with its catalogue entry.
type matchTable struct {
	ds     matchDataset
	conn   connector.Connector
	detail *catalog.TableDetail
}

func (s *Service) openMatchTable(ctx context.Context, name string) (*matchTable, error) {
	ds, err := parseMatchDataset(name)
	if err != nil {
		return nil, err
	}
	conn, err := s.Connections.Connect(ctx, ds.Conn, true)
	if err != nil {
		return nil, err
	}
	det, err := conn.Describe(ctx, ds.Schema, ds.Table)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("%s: %w", ds, err)
	}
	if det == nil || len(det.Columns) == 0 {
		conn.Close()
		return nil, fmt.Errorf("%s: no such table or it has no columns (see `databridge connection tables %s`)", ds, ds.Conn)
	}
	return &matchTable{ds: ds, conn: conn, detail: det}, nil
}

func (t *matchTable) Close() { _ = t.conn.Close() }

// column resolves a column name (case-insensitive).
func (t *matchTable) column(name string) (string, error) {
	if c := t.detail.Column(strings.TrimSpace(name)); c != nil {
		return c.Name, nil
	}
	names := make([]string, len(t.detail.Columns))
	for i, c := range t.detail.Columns {
		names[i] = c.Name
	}
	return "", fmt.Errorf("%s has no column %q (columns: %s)", t.ds, name, strings.Join(names, ", "))
}

func (t *matchTable) from() dialect.Table {
	if t.ds.Schema == "" {
		return dialect.Table{Name: dialect.N(t.detail.Name)}
	}
	return dialect.Table{Name: dialect.N(t.ds.Schema, t.detail.Name)}
}

// query runs q (read-only session) with the value cap.
func (t *matchTable) query(ctx context.Context, q dialect.Query) (*connector.Result, error) {
	sql, err := dialect.RenderQuery(t.conn.Dialect(), q)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.ds, err)
	}
	res, err := t.conn.Query(ctx, sql, connector.QueryOptions{MaxRows: MaxMatchValues, Timeout: 10 * time.Minute})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.ds, err)
	}
	if res.Truncated {
		return nil, fmt.Errorf("%s: more than %d values; filter the table into a view first", t.ds, MaxMatchValues)
	}
	return res, nil
}

// valueCounts reads the distinct non-null values of a column as text and
// how many rows hold each: SELECT col, COUNT(*) FROM t WHERE col IS NOT
// NULL GROUP BY col.
func (t *matchTable) valueCounts(ctx context.Context, col string) ([]string, []int64, error) {
	c := dialect.C(col)
	q := &dialect.Select{
		Columns: []dialect.SelectItem{dialect.As(c, "v"), dialect.As(dialect.F("COUNT"), "n")},
		From:    t.from(),
		Where:   &dialect.IsNull{X: c, Not: true},
		GroupBy: []dialect.Expr{c},
	}
	res, err := t.query(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	vals := make([]string, 0, len(res.Rows))
	counts := make([]int64, 0, len(res.Rows))
	for _, r := range res.Rows {
		vals = append(vals, matchCellString(r[0]))
		counts = append(counts, matchCellInt(r[1]))
	}
	return vals, counts, nil
}

// matchCellString is a cell as text (dates as YYYY-MM-DD, timestamps RFC 3339).
func matchCellString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339Nano)
	case bool:
		return fmt.Sprint(x)
	}
	// Numbers of any driver type (DuckDB's Decimal included) as exact
	// decimals at their scale.
	if d, ok := sqldb.ExactDecimal(v); ok {
		return pairDec(d)
	}
	return fmt.Sprint(v)
}

func matchCellInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint64:
		return int64(x)
	case float64:
		return int64(x)
	}
	var n int64
	fmt.Sscan(matchCellString(v), &n)
	return n
}
