package hierarchy

import (
	"context"
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/dialect/filter"
)

// ValidateInput asks for a validation, optionally against real source
// values: Against is CONNECTION.TABLE.COLUMN (the table may be
// schema-qualified: CONNECTION.SCHEMA.TABLE.COLUMN).
type ValidateInput struct {
	ID      string `json:"id" jsonschema:"Hierarchy id."`
	Version int    `json:"version,omitempty" jsonschema:"A published version; leave out for the current one."`
	Against string `json:"against,omitempty" jsonschema:"Source values to check the mapping against, as CONNECTION.TABLE.COLUMN (e.g. src.gl_transactions.account_code). Leave out for structural checks only."`
	Amount  string `json:"amount,omitempty" jsonschema:"Optional amount column in the same table: unmapped codes are then split into those with activity (non-zero amount, an error) and without (a warning)."`
	Column  string `json:"column,omitempty" jsonschema:"Which rules' column the source values are checked against; default: the hierarchy's first source column."`
}

// SplitSourceRef splits CONNECTION.TABLE[.COLUMN] references.
func SplitSourceRef(ref string, withColumn bool) (conn, table, column string, err error) {
	parts := strings.Split(ref, ".")
	min := 2
	form := "CONNECTION.TABLE"
	if withColumn {
		min, form = 3, "CONNECTION.TABLE.COLUMN"
	}
	if len(parts) < min {
		return "", "", "", fmt.Errorf("%q: want %s (the table may be schema-qualified)", ref, form)
	}
	for _, p := range parts {
		if p == "" {
			return "", "", "", fmt.Errorf("%q: empty part; want %s", ref, form)
		}
	}
	conn = parts[0]
	if withColumn {
		column = parts[len(parts)-1]
		parts = parts[:len(parts)-1]
	}
	table = strings.Join(parts[1:], ".")
	return conn, table, column, nil
}

// Validate checks a hierarchy: structure always; with Against, the mapping
// against the distinct values of a source column (computed in the engine).
func (s *Service) Validate(ctx context.Context, in ValidateInput) (*Report, error) {
	h, err := s.Get(in.ID, in.Version)
	if err != nil {
		return nil, err
	}
	var src *SourceValues
	if in.Against != "" {
		conn, table, col, err := SplitSourceRef(in.Against, true)
		if err != nil {
			return nil, fmt.Errorf("--against %w", err)
		}
		c, err := connections.New(s.Project).Connect(ctx, conn, true)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		src, err = LoadSourceValues(ctx, c, table, col, in.Amount)
		if err != nil {
			return nil, fmt.Errorf("connection %q: reading %s.%s: %w", conn, table, col, err)
		}
		// The physical column holds the codes the rules' (logical) column
		// maps: account_code in the file, account in the hierarchy.
		src.Column = in.Column
		if src.Column == "" {
			src.Column = h.DefaultColumn()
		}
		if src.Column == "" {
			src.Column = col
		}
	} else if in.Amount != "" {
		return nil, fmt.Errorf("--amount needs --against")
	}
	return Validate(h, src), nil
}

// RollupRequest asks for a statement computed from source data.
type RollupRequest struct {
	ID         string   `json:"id" jsonschema:"Hierarchy id."`
	Version    int      `json:"version,omitempty" jsonschema:"A published version; leave out for the current one."`
	Source     string   `json:"source" jsonschema:"The fact table as CONNECTION.TABLE (the table may be schema-qualified), e.g. src.gl_transactions."`
	Value      string   `json:"value" jsonschema:"The amount column to sum, e.g. amount."`
	Column     string   `json:"column,omitempty" jsonschema:"Which rules' column to use; default: the hierarchy's first source column."`
	CodeColumn string   `json:"code_column,omitempty" jsonschema:"The source table's column holding the codes, when named differently from the rules' column (e.g. account_code for rules on account)."`
	By         []string `json:"by,omitempty" jsonschema:"Extra grouping columns such as period or entity."`
	Where      string   `json:"where,omitempty" jsonschema:"Only source rows matching this filter, e.g. entity = 'US01' AND period >= '2025-01': the table's columns, literals, comparisons, AND/OR/NOT, IN, BETWEEN, IS NULL, LIKE (no SQL functions or subqueries)."`
}

// Rollup computes every leaf, rollup and formula of a hierarchy from a
// source table, in the engine.
func (s *Service) Rollup(ctx context.Context, in RollupRequest) (*RollupResult, error) {
	h, err := s.Get(in.ID, in.Version)
	if err != nil {
		return nil, err
	}
	if in.Value == "" {
		return nil, fmt.Errorf("a value column is required (--value)")
	}
	conn, table, _, err := SplitSourceRef(in.Source, false)
	if err != nil {
		return nil, fmt.Errorf("--source %w", err)
	}
	c, err := connections.New(s.Project).Connect(ctx, conn, true)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ri := RollupInput{Table: table, Value: in.Value, Column: in.Column, SourceColumn: in.CodeColumn, By: in.By}
	if strings.TrimSpace(in.Where) != "" {
		// The filter may name the table's columns only.
		schema, name := "", table
		if i := strings.LastIndex(table, "."); i >= 0 {
			schema, name = table[:i], table[i+1:]
		}
		det, err := c.Describe(ctx, schema, name)
		if err != nil {
			return nil, fmt.Errorf("--where: %w", err)
		}
		var cols []string
		for _, col := range det.Columns {
			cols = append(cols, col.Name)
		}
		if ri.Where, err = filter.Parse(in.Where, cols); err != nil {
			return nil, fmt.Errorf("--where %w", err)
		}
		ri.Filter = strings.TrimSpace(in.Where)
	}
	res, err := Rollup(ctx, c, h, ri)
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", conn, err)
	}
	return res, nil
}
