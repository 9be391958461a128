package databricks

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"sync/atomic"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// fakeDriver answers every query with rows rows of one column (1) and
// counts the queries; it stands in for a server the Databricks driver
// reads as empty (a Spark Thrift server) or reads fine.
type fakeDriver struct {
	rows    int
	queries atomic.Int64
}

type fakeConn struct{ d *fakeDriver }
type fakeRows struct{ left int }

func (d *fakeDriver) Open(string) (driver.Conn, error) { return fakeConn{d}, nil }
func (c fakeConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("no prepare") }
func (c fakeConn) Close() error                        { return nil }
func (c fakeConn) Begin() (driver.Tx, error)           { return nil, errors.New("no transactions") }
func (c fakeConn) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	c.d.queries.Add(1)
	return &fakeRows{left: c.d.rows}, nil
}
func (r *fakeRows) Columns() []string { return []string{"1"} }
func (r *fakeRows) Close() error      { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if r.left == 0 {
		return io.EOF
	}
	r.left--
	dest[0] = int64(1)
	return nil
}

func fakeConnector(t *testing.T, rows int) (*probed, *fakeDriver) {
	d := &fakeDriver{rows: rows}
	db := sql.OpenDB(connectorFor(d))
	t.Cleanup(func() { db.Close() })
	return &probed{Conn: &sqldb.Conn{ConnName: "dbx", DialectName: Dialect, DB: db, Meta: Meta{}}}, d
}

type driverConnector struct{ d *fakeDriver }

func connectorFor(d *fakeDriver) driver.Connector { return driverConnector{d} }
func (c driverConnector) Connect(context.Context) (driver.Conn, error) {
	return fakeConn{c.d}, nil
}
func (c driverConnector) Driver() driver.Driver { return c.d }

// A server whose result sets read as empty fails every call with
// ErrUnreadableResults, naming the connection, instead of answering with
// zero rows; a readable one is probed once and then left alone.
func TestProbeUnreadableResults(t *testing.T) {
	ctx := context.Background()
	bad, _ := fakeConnector(t, 0)
	_, err := bad.Query(ctx, "SELECT * FROM gl", connector.QueryOptions{})
	if !errors.Is(err, ErrUnreadableResults) {
		t.Fatalf("query on an unreadable server: %v", err)
	}
	if _, err := bad.Tables(ctx, ""); !errors.Is(err, ErrUnreadableResults) {
		t.Fatalf("tables on an unreadable server: %v", err)
	}
	if err := bad.Ping(ctx); !errors.Is(err, ErrUnreadableResults) {
		t.Fatalf("ping on an unreadable server: %v", err)
	}
	if _, err := bad.Exec(ctx, "CREATE TABLE x (a INT)"); !errors.Is(err, ErrUnreadableResults) || err.Error()[:17] != `connection "dbx":` {
		t.Fatalf("exec on an unreadable server: %v", err)
	}

	good, d := fakeConnector(t, 1)
	for i := 0; i < 3; i++ {
		res, err := good.Query(ctx, "SELECT 1", connector.QueryOptions{})
		if err != nil || len(res.Rows) != 1 {
			t.Fatalf("query %d on a readable server: %v, %v", i, res, err)
		}
	}
	if n := d.queries.Load(); n != 4 {
		t.Fatalf("%d queries reached the server for 3 statements, want 4 (one probe)", n)
	}
}
