// Package sqldb is the shared database/sql implementation of the
// connector.Connector query surface: bounded queries (row cap, timeout,
// cancel), exec, transactions and value normalisation. Engines supply their
// metadata queries through the Meta interface.
package sqldb

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
)

// Meta is what an engine supplies: its catalogue queries, run through q.
type Meta interface {
	Schemas(ctx context.Context, q connector.Querier) ([]catalog.Schema, error)
	Tables(ctx context.Context, q connector.Querier, schema string) ([]catalog.Table, error)
	Describe(ctx context.Context, q connector.Querier, schema, table string) (*catalog.TableDetail, error)
}

// Conn is a connector over a *sql.DB.
type Conn struct {
	ConnName    string
	DialectName string
	DB          *sql.DB
	Meta        Meta
	// TxOptions used by Begin (nil for the driver default).
	TxOptions *sql.TxOptions
	// OnClose runs after the DB is closed (e.g. removing temp files).
	OnClose func() error
	// ReadOnly makes this a read-only session (see ReadOnly).
	ReadOnly *ReadOnly
	// QueryContext, when set, wraps the context of every query (Snowflake
	// asks its driver for exact decimals this way).
	QueryContext func(context.Context) context.Context
}

func (c *Conn) queryContext(ctx context.Context) context.Context {
	if c.QueryContext == nil {
		return ctx
	}
	return c.QueryContext(ctx)
}

// ReadOnly is how an engine keeps a read-only session from writing, on top
// of the lexical guard that connector.Open puts in front of every
// read-only connection.
type ReadOnly struct {
	// Check runs before every statement (e.g. DuckDB's own parser saying
	// what kind of statement it is); an error refuses the statement.
	Check func(ctx context.Context, q string) error
	// Tx runs every statement in a READ ONLY transaction that is rolled
	// back afterwards (PostgreSQL, MySQL/MariaDB), so the engine refuses
	// any write and nothing a statement did survives it.
	Tx bool
	// Setup runs on the connection before each read-only transaction
	// (MySQL's SET SESSION TRANSACTION READ ONLY: a READ ONLY transaction
	// alone does not stop DDL there, whose implicit commit ends it).
	Setup string
}

func (c *Conn) check(ctx context.Context, q string) error {
	if c.ReadOnly == nil || c.ReadOnly.Check == nil {
		return nil
	}
	return c.ReadOnly.Check(ctx, q)
}

// readTx runs f in a read-only transaction that is always rolled back.
func (c *Conn) readTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	conn, err := c.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if c.ReadOnly.Setup != "" {
		if _, err := conn.ExecContext(ctx, c.ReadOnly.Setup); err != nil {
			return fmt.Errorf("start a read-only session: %w", err)
		}
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a read-only transaction is never committed
	return f(tx)
}

var _ connector.Connector = (*Conn)(nil)

// Name implements connector.Connector.
func (c *Conn) Name() string { return c.ConnName }

// Dialect implements connector.Connector.
func (c *Conn) Dialect() string { return c.DialectName }

// Ping implements connector.Connector.
func (c *Conn) Ping(ctx context.Context) error { return c.DB.PingContext(ctx) }

// Close implements connector.Connector.
func (c *Conn) Close() error {
	err := c.DB.Close()
	if c.OnClose != nil {
		if err2 := c.OnClose(); err == nil {
			err = err2
		}
	}
	return err
}

// Query implements connector.Connector.
func (c *Conn) Query(ctx context.Context, q string, opts connector.QueryOptions, args ...any) (*connector.Result, error) {
	if err := c.check(ctx, q); err != nil {
		return nil, err
	}
	ctx = c.queryContext(ctx)
	if c.ReadOnly != nil && c.ReadOnly.Tx {
		var res *connector.Result
		opts = opts.Normalized()
		ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
		err := c.readTx(ctx, func(tx *sql.Tx) error {
			var err error
			res, err = Query(ctx, tx, q, opts, args...)
			return err
		})
		return res, timeoutErr(ctx, err, opts.Timeout)
	}
	return Query(ctx, c.DB, q, opts, args...)
}

// Exec implements connector.Connector.
func (c *Conn) Exec(ctx context.Context, q string, args ...any) (connector.ExecResult, error) {
	if err := c.check(ctx, q); err != nil {
		return connector.ExecResult{}, err
	}
	if c.ReadOnly != nil && c.ReadOnly.Tx {
		var res connector.ExecResult
		err := c.readTx(ctx, func(tx *sql.Tx) error {
			var err error
			res, err = Exec(ctx, tx, q, args...)
			return err
		})
		return res, err
	}
	return Exec(ctx, c.DB, q, args...)
}

// Begin implements connector.Connector.
func (c *Conn) Begin(ctx context.Context) (connector.Tx, error) {
	opts := c.TxOptions
	if c.ReadOnly != nil && c.ReadOnly.Tx {
		opts = &sql.TxOptions{ReadOnly: true}
		if c.ReadOnly.Setup != "" {
			// The SET and the transaction must share a connection: keep the
			// pool to one.
			c.DB.SetMaxOpenConns(1)
			if _, err := c.DB.ExecContext(ctx, c.ReadOnly.Setup); err != nil {
				return nil, fmt.Errorf("start a read-only session: %w", err)
			}
		}
	}
	tx, err := c.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: tx, conn: c}, nil
}

// Schemas implements connector.Connector.
func (c *Conn) Schemas(ctx context.Context) ([]catalog.Schema, error) {
	return c.Meta.Schemas(ctx, c)
}

// Tables implements connector.Connector.
func (c *Conn) Tables(ctx context.Context, schema string) ([]catalog.Table, error) {
	return c.Meta.Tables(ctx, c, schema)
}

// Describe implements connector.Connector.
func (c *Conn) Describe(ctx context.Context, schema, table string) (*catalog.TableDetail, error) {
	return c.Meta.Describe(ctx, c, schema, table)
}

// Tx is a database/sql transaction as a connector.Tx.
type Tx struct {
	tx   *sql.Tx
	conn *Conn
}

// Query implements connector.Querier.
func (t *Tx) Query(ctx context.Context, q string, opts connector.QueryOptions, args ...any) (*connector.Result, error) {
	if err := t.conn.check(ctx, q); err != nil {
		return nil, err
	}
	return Query(t.conn.queryContext(ctx), t.tx, q, opts, args...)
}

// Exec implements connector.Querier.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (connector.ExecResult, error) {
	if err := t.conn.check(ctx, q); err != nil {
		return connector.ExecResult{}, err
	}
	return Exec(ctx, t.tx, q, args...)
}

// Commit implements connector.Tx.
func (t *Tx) Commit() error { return t.tx.Commit() }

// Rollback implements connector.Tx.
func (t *Tx) Rollback() error { return t.tx.Rollback() }

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Query runs q with a row cap and a timeout. It reads at most MaxRows+1
// rows to learn whether the result was truncated, then cancels the rest.
func Query(ctx context.Context, db queryer, q string, opts connector.QueryOptions, args ...any) (*connector.Result, error) {
	opts = opts.Normalized()
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	start := time.Now()
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, timeoutErr(ctx, err, opts.Timeout)
	}
	defer rows.Close()
	res, err := Collect(rows, opts.MaxRows)
	if err != nil {
		return nil, timeoutErr(ctx, err, opts.Timeout)
	}
	res.ElapsedMS = time.Since(start).Milliseconds()
	return res, nil
}

// Exec runs a statement that returns no rows.
func Exec(ctx context.Context, db execer, q string, args ...any) (connector.ExecResult, error) {
	start := time.Now()
	r, err := db.ExecContext(ctx, q, args...)
	if err != nil {
		return connector.ExecResult{}, err
	}
	n, err := r.RowsAffected()
	if err != nil {
		n = -1
	}
	return connector.ExecResult{RowsAffected: n, ElapsedMS: time.Since(start).Milliseconds()}, nil
}

func timeoutErr(ctx context.Context, err error, d time.Duration) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("query timed out after %s: %w", d, context.DeadlineExceeded)
	}
	return err
}

// Collect reads up to maxRows rows (all when maxRows < 0).
func Collect(rows *sql.Rows, maxRows int) (*connector.Result, error) {
	cols, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	res := &connector.Result{Rows: [][]any{}, MaxRows: maxRows}
	hints := make([]Column, len(cols))
	for i, c := range cols {
		res.Columns = append(res.Columns, connector.ResultColumn{Name: c.Name(), Type: c.DatabaseTypeName()})
		hints[i] = ColumnOf(c)
	}
	for rows.Next() {
		if maxRows >= 0 && len(res.Rows) == maxRows {
			res.Truncated = true
			break
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			vals[i] = NormalizeAs(v, hints[i])
		}
		res.Rows = append(res.Rows, vals)
	}
	if !res.Truncated {
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	res.RowCount = len(res.Rows)
	return res, nil
}

// Normalize turns a driver value into a JSON-friendly one. Collect uses
// NormalizeAs, which also knows the column's type: values of DECIMAL,
// NUMERIC and NUMBER columns become exact decimal text.
func Normalize(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return hex.EncodeToString(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 && x.Location() == time.UTC {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339Nano)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprint(x)
		}
		return x
	case float32:
		return Normalize(float64(x))
	case *big.Int:
		if x == nil {
			return nil
		}
		return x.String()
	case big.Int:
		return x.String()
	case *big.Rat, big.Rat, *big.Float, big.Float:
		// Exact decimals whatever the column: a rational with the fewest
		// decimals that hold it, a big float with the digits that
		// identify it.
		if d, ok := DecimalText(x, -1); ok {
			return d
		}
		return fmt.Sprint(x)
	case string, bool, int64, int32, int16, int8, int, uint8, uint16, uint32, uint64:
		return x
	case fmt.Stringer:
		if _, _, ok := unscaled(v); ok {
			d, _ := DecimalText(v, -1)
			return d
		}
		return x.String()
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = Normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Normalize(e)
		}
		return out
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = Normalize(rv.Index(i).Interface())
		}
		return out
	case reflect.Map:
		out := map[string]any{}
		for _, k := range rv.MapKeys() {
			out[fmt.Sprint(k.Interface())] = Normalize(rv.MapIndex(k).Interface())
		}
		return out
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		return Normalize(rv.Elem().Interface())
	}
	return fmt.Sprint(v)
}

// Strings runs a metadata query and returns every row as strings (NULL as
// ""), without a row cap.
func Strings(ctx context.Context, q connector.Querier, query string, args ...any) ([][]string, error) {
	res, err := q.Query(ctx, query, connector.QueryOptions{MaxRows: -1}, args...)
	if err != nil {
		return nil, err
	}
	out := make([][]string, 0, len(res.Rows))
	for _, r := range res.Rows {
		row := make([]string, len(r))
		for i, v := range r {
			if v != nil {
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// Str renders a catalogue value as text ("" for NULL).
func Str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// SortedKeys returns a map's keys in order, for deterministic catalogues.
func SortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
