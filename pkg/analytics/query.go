package analytics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// QueryInput is a structured query over the semantic layer.
type QueryInput struct {
	Spec query.Spec `json:"spec"`
	// Dialect compiles for another engine than the warehouse's; with it,
	// or with SQLOnly, the query is not run.
	Dialect string `json:"dialect,omitempty"`
	SQLOnly bool   `json:"sql_only,omitempty"`
	// MaxRows caps the rows returned (default 10,000).
	MaxRows int `json:"max_rows,omitempty"`
	// Exact returns metric values at the engine's full precision instead
	// of rounded for reading (insights round once, at the end).
	Exact bool `json:"-"`
}

// ResultColumn is one column of an answer as people read it.
type ResultColumn struct {
	Name   string `json:"name"`
	Label  string `json:"label"`
	Kind   string `json:"kind"`
	Format string `json:"format,omitempty"`
	Metric string `json:"metric,omitempty"`
}

// QueryResult is a query's SQL and, when run, its rows: money and
// percentages as exact decimals rounded to 2 places, months as YYYY-MM,
// days as YYYY-MM-DD, a fiscal quarter as two columns (fiscal year,
// quarter).
type QueryResult struct {
	Dialect   string         `json:"dialect"`
	SQL       string         `json:"sql"`
	Columns   []ResultColumn `json:"columns"`
	Rows      [][]any        `json:"rows"`
	RowCount  int            `json:"row_count"`
	Truncated bool           `json:"truncated,omitempty"`
	Ran       bool           `json:"ran"`
	ElapsedMS int64          `json:"elapsed_ms"`
	// Notes say what the numbers are (currency, period, comparison).
	Notes []string `json:"notes,omitempty"`
}

// Query compiles a spec against the layer and runs it on the warehouse
// through a read-only session (or only compiles it, for another dialect
// or when asked).
func (s *Service) Query(ctx context.Context, in QueryInput) (*QueryResult, error) {
	l, err := s.Layer()
	if err != nil {
		return nil, err
	}
	return s.run(ctx, l, in)
}

func (s *Service) run(ctx context.Context, l *semlayer.Layer, in QueryInput) (*QueryResult, error) {
	dialect := l.Dialect
	if in.Dialect != "" {
		dialect = strings.ToLower(in.Dialect)
	}
	c, err := query.Compile(l, in.Spec, dialect)
	if err != nil {
		return nil, err
	}
	out := &QueryResult{Dialect: dialect, SQL: c.SQL, Notes: c.Notes, Rows: [][]any{}}
	for _, col := range c.Columns {
		if col.Kind == query.KindGroup && col.Grain == semlayer.GrainFiscalQuarter {
			out.Columns = append(out.Columns, ResultColumn{Name: "fiscal_year", Label: "fiscal year", Kind: col.Kind},
				ResultColumn{Name: col.Name, Label: col.Label, Kind: col.Kind})
			continue
		}
		out.Columns = append(out.Columns, ResultColumn{Name: col.Name, Label: col.Label, Kind: col.Kind, Format: col.Format, Metric: col.Metric})
	}
	if in.SQLOnly || in.Dialect != "" {
		return out, nil
	}
	conn, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	max := in.MaxRows
	if max <= 0 {
		max = 10000
	}
	t0 := time.Now()
	res, err := conn.Query(ctx, c.SQL, connector.QueryOptions{MaxRows: max, Timeout: 5 * time.Minute})
	if err != nil {
		return nil, fmt.Errorf("running the query: %w", err)
	}
	out.Ran, out.Truncated = true, res.Truncated
	out.ElapsedMS = time.Since(t0).Milliseconds()
	for _, r := range res.Rows {
		row := make([]any, 0, len(out.Columns))
		i := 0
		for _, col := range c.Columns {
			cells := r[i : i+len(col.SQL)]
			i += len(col.SQL)
			row = append(row, formatCells(col, cells, in.Exact)...)
		}
		out.Rows = append(out.Rows, row)
	}
	out.RowCount = len(out.Rows)
	return out, nil
}

// formatCells turns a column's SQL cells into what people read.
func formatCells(col query.Column, cells []any, exact bool) []any {
	if col.Kind == query.KindGroup {
		switch col.Grain {
		case semlayer.GrainMonth:
			y, ok1 := asInt(cells[0])
			m, ok2 := asInt(cells[1])
			if !ok1 || !ok2 {
				return []any{nil}
			}
			return []any{fmt.Sprintf("%04d-%02d", y, m)}
		case semlayer.GrainFiscalQuarter:
			y, _ := asInt(cells[0])
			q, _ := asInt(cells[1])
			return []any{y, q}
		case semlayer.GrainFiscalYear, semlayer.GrainYear:
			y, ok := asInt(cells[0])
			if !ok {
				return []any{nil}
			}
			return []any{y}
		case semlayer.GrainDay, semlayer.GrainWeek:
			if t, ok := asDate(cells[0]); ok {
				return []any{t.Format("2006-01-02")}
			}
		}
		out := make([]any, len(cells))
		for i, v := range cells {
			out[i] = plain(v)
		}
		return out
	}
	v := cells[0]
	dv, ok := asDecimal(v)
	if !ok {
		return []any{plain(v)}
	}
	if exact && col.Kind != query.KindGroup {
		return []any{dv}
	}
	switch col.Format {
	case "count":
		return []any{dv.Round(0)}
	case "money", "percent":
		return []any{dv.Round(2)}
	}
	if col.Kind != query.KindMetric && col.Kind != query.KindCompare {
		return []any{dv.Round(2)}
	}
	return []any{dv.Round(4)}
}

func plain(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case time.Time:
		return x.Format("2006-01-02")
	}
	return v
}

// asDecimal reads a number of any driver type as an exact decimal.
func asDecimal(v any) (decimal.Decimal, bool) { return sqldb.ExactDecimal(v) }
