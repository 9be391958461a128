package databricks

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// ErrUnreadableResults is returned when the server answers SELECT 1 with
// no row: what databricks-sql-go does against an open-source Spark Thrift
// server (HiveThriftServer2). Spark negotiates a HIVE_CLI_SERVICE protocol
// version below Databricks' own and sends row-based result sets, which
// the driver reads as empty; every query would then look like it found
// nothing.
var ErrUnreadableResults = errors.New("the server answered SELECT 1 with no rows: its result sets are not readable by the Databricks driver " +
	"(an open-source Spark Thrift server sends row-based results of an older protocol); connect to a Databricks SQL warehouse or cluster")

// probed checks once, before the first statement, that the server's result
// sets can be read, so that a server the driver half-understands fails
// loudly instead of answering every query with zero rows.
type probed struct {
	*sqldb.Conn
	mu   sync.Mutex
	done bool
	err  error
}

// probe runs SELECT 1 until it once gives a definite answer: the row (the
// server is readable) or no row (ErrUnreadableResults, kept). Errors of
// reaching the server are returned and not kept.
func (p *probed) probe(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return p.err
	}
	res, err := p.Conn.Query(ctx, "SELECT 1", connector.QueryOptions{MaxRows: 1})
	if err != nil {
		return err
	}
	p.done = true
	if len(res.Rows) != 1 {
		p.err = fmt.Errorf("connection %q: %w", p.Conn.ConnName, ErrUnreadableResults)
	}
	return p.err
}

func (p *probed) Ping(ctx context.Context) error {
	if err := p.Conn.Ping(ctx); err != nil {
		return err
	}
	return p.probe(ctx)
}

func (p *probed) Query(ctx context.Context, q string, opts connector.QueryOptions, args ...any) (*connector.Result, error) {
	if err := p.probe(ctx); err != nil {
		return nil, err
	}
	return p.Conn.Query(ctx, q, opts, args...)
}

func (p *probed) Exec(ctx context.Context, q string, args ...any) (connector.ExecResult, error) {
	if err := p.probe(ctx); err != nil {
		return connector.ExecResult{}, err
	}
	return p.Conn.Exec(ctx, q, args...)
}

func (p *probed) Begin(ctx context.Context) (connector.Tx, error) {
	if err := p.probe(ctx); err != nil {
		return nil, err
	}
	return p.Conn.Begin(ctx)
}

func (p *probed) Schemas(ctx context.Context) ([]catalog.Schema, error) {
	if err := p.probe(ctx); err != nil {
		return nil, err
	}
	return p.Conn.Schemas(ctx)
}

func (p *probed) Tables(ctx context.Context, schema string) ([]catalog.Table, error) {
	if err := p.probe(ctx); err != nil {
		return nil, err
	}
	return p.Conn.Tables(ctx, schema)
}

func (p *probed) Describe(ctx context.Context, schema, table string) (*catalog.TableDetail, error) {
	if err := p.probe(ctx); err != nil {
		return nil, err
	}
	return p.Conn.Describe(ctx, schema, table)
}
