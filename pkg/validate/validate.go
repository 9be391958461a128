// Package validate is the post-deploy check suite: row counts against the
// source, not-null and unique keys, referential integrity, accepted values
// and the finance checks (every source account mapped, the statement ties
// out to the source, the trial balance sums to zero, the balance sheet
// balances).
//
// Every check is pushed down into the engine: it builds one query through
// pkg/dialect that counts what is wrong, and, only when something is,
// a second query that fetches up to Options.Samples of the failing rows or
// groups with their keys. Run takes a connector.Querier — a connection or
// an open transaction, so a deploy can validate before it commits — and
// never opens connections itself.
package validate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	d "github.com/databridge/databridge/pkg/dialect"
)

// Level selects which checks run.
type Level string

// Levels: basic checks run at both levels, comprehensive-only checks only
// at comprehensive.
const (
	Basic         Level = "basic"
	Comprehensive Level = "comprehensive"
)

// Check kinds.
const (
	KindRowCount       = "row_count"
	KindNotNull        = "not_null"
	KindUnique         = "unique"
	KindRelationship   = "relationship"
	KindAcceptedValues = "accepted_values"
	KindAllMapped      = "all_mapped"
	KindTiesOut        = "ties_out"
	KindSumsToZero     = "sums_to_zero"
	KindExpressionZero = "expression_zero"
)

// Kinds lists the check kinds.
var Kinds = []string{KindRowCount, KindNotNull, KindUnique, KindRelationship, KindAcceptedValues,
	KindAllMapped, KindTiesOut, KindSumsToZero, KindExpressionZero}

// Result statuses.
const (
	StatusPass  = "pass"
	StatusFail  = "fail"
	StatusError = "error"
)

// DefaultSamples is how many failing rows a failed check shows.
const DefaultSamples = 5

// DefaultAmountTolerance is the absolute tolerance of the amount checks
// (ties_out, sums_to_zero, expression_zero) when a check sets none: half a
// cent.
const DefaultAmountTolerance = 0.005

// Filter restricts the rows a check reads: Column IN (Values), or Column
// NOT IN (Values) with Not. Without Values it is Column IS NULL (IS NOT
// NULL with Not). Values are string literals; the engine compares them with
// the column's type (PERIOD IN ('202401') works on an integer PERIOD). A
// NULL column never passes an IN or NOT IN filter.
type Filter struct {
	Column string   `json:"column"`
	Values []string `json:"values,omitempty"`
	Not    bool     `json:"not,omitempty"`
}

// In is the filter Column IN (values).
func In(column string, values ...string) Filter { return Filter{Column: column, Values: values} }

// NotIn is the filter Column NOT IN (values).
func NotIn(column string, values ...string) Filter {
	return Filter{Column: column, Values: values, Not: true}
}

// IsNull is the filter Column IS NULL.
func IsNull(column string) Filter { return Filter{Column: column} }

// NotNull is the filter Column IS NOT NULL.
func NotNull(column string) Filter { return Filter{Column: column, Not: true} }

// Term is one column of an amount: added, or subtracted when Negate. An
// amount of several terms treats a NULL term as 0 (debit - credit with no
// credit is the debit).
type Term struct {
	Column string `json:"column"`
	Negate bool   `json:"negate,omitempty"`
}

// Plus is a term that adds column.
func Plus(column string) Term { return Term{Column: column} }

// Minus is a term that subtracts column.
func Minus(column string) Term { return Term{Column: column, Negate: true} }

// Amount is the amount of the given columns, all added.
func Amount(columns ...string) []Term {
	out := make([]Term, len(columns))
	for i, c := range columns {
		out[i] = Plus(c)
	}
	return out
}

// Part is one more table whose amount ties_out adds to the target side
// (e.g. the unmapped rows of DT_3A next to the statement's leaf lines).
// Its GroupBy columns have the check's GroupBy names.
type Part struct {
	Table  string   `json:"table"`
	Where  []Filter `json:"where,omitempty"`
	Amount []Term   `json:"amount"`
}

// Check is one check. Which fields a kind reads:
//
//	row_count        Table, Where, SourceTable, SourceWhere, Tolerance (relative: 0.01 = 1%, 0 = exact)
//	not_null         Table, Where, Columns (all must be non-NULL), Keys (shown in samples)
//	unique           Table, Where, Columns (rows with a NULL key column are ignored)
//	relationship     Table, Where, Columns → RefTable, RefColumns (composite keys; NULL children ignored)
//	accepted_values  Table, Where, Columns (exactly one), Values (NULL is accepted)
//	all_mapped       Table, Where, Columns (the source code), MappedColumn, Amount (optional: only non-zero rows)
//	ties_out         Table, Where, Amount, Plus; SourceTable, SourceWhere, SourceAmount; GroupBy, SourceGroupBy; Tolerance
//	sums_to_zero     Table, Where, Amount, GroupBy, Tolerance
//	expression_zero  Table, Where (selects the value's rows), Amount, GroupBy, Tolerance
//
// Amount tolerances are absolute (DefaultAmountTolerance when 0; set a
// tiny one such as 1e-9 to demand exact amounts).
type Check struct {
	// Name is unique and human readable; Run fills in a default
	// ("unique TBL_0_PL.NODE_CODE") when empty.
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Level: "" or basic runs at both levels, comprehensive only at
	// comprehensive.
	Level Level    `json:"level,omitempty"`
	Table string   `json:"table"` // [database.][schema.]table
	Where []Filter `json:"where,omitempty"`

	Columns []string `json:"columns,omitempty"`
	Keys    []string `json:"keys,omitempty"`

	RefTable   string   `json:"ref_table,omitempty"`
	RefColumns []string `json:"ref_columns,omitempty"`

	Values []string `json:"values,omitempty"`

	MappedColumn string `json:"mapped_column,omitempty"`

	Amount        []Term   `json:"amount,omitempty"`
	Plus          []Part   `json:"plus,omitempty"`
	SourceTable   string   `json:"source_table,omitempty"`
	SourceWhere   []Filter `json:"source_where,omitempty"`
	SourceAmount  []Term   `json:"source_amount,omitempty"`
	GroupBy       []string `json:"group_by,omitempty"`
	SourceGroupBy []string `json:"source_group_by,omitempty"` // source names of GroupBy, when they differ

	Tolerance float64 `json:"tolerance,omitempty"`
}

// DefaultName is the name Run gives a check without one.
func (c Check) DefaultName() string {
	cols := strings.Join(c.Columns, ", ")
	on := c.Table
	if cols != "" {
		on += "." + cols
		if len(c.Columns) > 1 {
			on = c.Table + "(" + cols + ")"
		}
	}
	switch c.Kind {
	case KindRowCount:
		return "row_count " + c.Table + " vs " + c.SourceTable
	case KindRelationship:
		return "relationship " + c.Table + "(" + cols + ") -> " + c.RefTable + "(" + strings.Join(c.RefColumns, ", ") + ")"
	case KindAllMapped:
		return "all_mapped " + c.Table + "." + c.MappedColumn
	case KindTiesOut:
		return "ties_out " + c.Table + " vs " + c.SourceTable
	case KindSumsToZero, KindExpressionZero:
		return c.Kind + " " + c.Table
	}
	return c.Kind + " " + on
}

// Options tune Run.
type Options struct {
	// Samples is how many failing rows or groups a failed check shows:
	// 0 means DefaultSamples, negative means none (no sample query).
	Samples int
	// Timeout bounds each query (0: connector.DefaultTimeout).
	Timeout time.Duration
}

// Result is the outcome of one check.
type Result struct {
	Check
	Status   string `json:"status"` // pass, fail or error
	Message  string `json:"message"`
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	// Failing counts what is wrong, in the kind's unit: rows (not_null,
	// accepted_values), key values (unique, relationship), codes
	// (all_mapped), groups (ties_out, sums_to_zero, expression_zero), the
	// row difference (row_count).
	Failing int64 `json:"failing"`
	// Samples holds at most Options.Samples failing rows or groups:
	// their key columns under the column names, plus what is wrong
	// (rows, amount, target, source, difference, total, value).
	// SampleColumns lists the keys in display order.
	Samples       []map[string]any `json:"samples,omitempty"`
	SampleColumns []string         `json:"sample_columns,omitempty"`
	SQL           string           `json:"sql,omitempty"`
	SampleSQL     string           `json:"sample_sql,omitempty"`
	DurationMS    int64            `json:"duration_ms"`
}

// Report is the outcome of a run.
type Report struct {
	Level   Level    `json:"level"`
	Results []Result `json:"results"`
	Passed  int      `json:"passed"`
	Failed  int      `json:"failed"`
	Errors  int      `json:"errors"`
	// Skipped counts the checks above the run's level.
	Skipped int `json:"skipped"`
}

// OK reports whether every check that ran passed.
func (r *Report) OK() bool { return r.Failed == 0 && r.Errors == 0 }

// ExitCode is the CLI's exit code for the report: 0 when every check
// passed, 3 when one failed or could not be evaluated.
func (r *Report) ExitCode() int {
	if r.OK() {
		return 0
	}
	return 3
}

// Summary is one line: "9 checks (basic): 7 passed, 1 failed, 1 error".
func (r *Report) Summary() string {
	n := len(r.Results)
	s := fmt.Sprintf("%d %s (%s): %d passed, %d failed, %d %s", n, plural(n, "check", "checks"), r.Level,
		r.Passed, r.Failed, r.Errors, plural(r.Errors, "error", "errors"))
	if r.Skipped > 0 {
		s += fmt.Sprintf("; %d comprehensive-only skipped", r.Skipped)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Run evaluates the checks of the level against q, a connection or an
// open transaction of the given dialect. A check that cannot be evaluated
// (bad definition, missing table or column) is a result with status
// error carrying the engine's message; the other checks still run. Run
// itself fails only for an unknown level or dialect, or when ctx ends
// (returning the results so far).
//
// Inside a PostgreSQL transaction each check runs under a savepoint, so
// one erroring check does not abort the transaction for the rest.
func Run(ctx context.Context, q connector.Querier, dialect string, checks []Check, level Level, opts Options) (*Report, error) {
	if level == "" {
		level = Basic
	}
	if level != Basic && level != Comprehensive {
		return nil, fmt.Errorf("unknown validation level %q (want basic or comprehensive)", level)
	}
	if _, err := d.RenderExpr(dialect, d.I(1)); err != nil {
		return nil, err
	}
	if q == nil {
		return nil, errors.New("validate: no connection to run the checks on")
	}
	if opts.Samples == 0 {
		opts.Samples = DefaultSamples
	}
	_, inTx := q.(connector.Tx)
	r := &runner{q: q, dialect: dialect, opts: opts}
	if inTx {
		// Where a failed check would abort the caller's transaction,
		// each check runs under a savepoint.
		var err error
		if r.sp, r.savepoints, err = d.SavepointFor(dialect, savepoint); err != nil {
			return nil, err
		}
	}
	rep := &Report{Level: level, Results: []Result{}}
	seen := map[string]bool{}
	for _, c := range checks {
		if c.Level == "" {
			c.Level = Basic
		}
		if c.Level != Basic && c.Level != Comprehensive {
			rep.add(Result{Check: c, Status: StatusError, Message: fmt.Sprintf("unknown level %q (want basic or comprehensive)", c.Level)})
			continue
		}
		if level == Basic && c.Level == Comprehensive {
			rep.Skipped++
			continue
		}
		if c.Name == "" {
			c.Name = c.DefaultName()
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if seen[c.Name] {
			rep.add(Result{Check: c, Status: StatusError, Message: fmt.Sprintf("duplicate check name %q: names must be unique", c.Name)})
			continue
		}
		seen[c.Name] = true
		res := r.run(ctx, c)
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.add(res)
	}
	return rep, nil
}

func (rep *Report) add(res Result) {
	switch res.Status {
	case StatusPass:
		rep.Passed++
	case StatusFail:
		rep.Failed++
	default:
		rep.Errors++
	}
	rep.Results = append(rep.Results, res)
}

type runner struct {
	q          connector.Querier
	dialect    string
	opts       Options
	savepoints bool
	sp         d.Savepoint
}

const savepoint = "databridge_validate"

// run evaluates one check; it never panics on a bad check.
func (r *runner) run(ctx context.Context, c Check) (res Result) {
	start := time.Now()
	res = Result{Check: c}
	defer func() {
		if p := recover(); p != nil {
			res.Status, res.Message = StatusError, fmt.Sprintf("internal error evaluating the check: %v", p)
		}
		res.DurationMS = time.Since(start).Milliseconds()
	}()
	p, err := build(r.dialect, c, r.opts.Samples)
	if err != nil {
		res.Status, res.Message = StatusError, err.Error()
		return res
	}
	res.SQL = p.sql
	if r.savepoints {
		if _, err := r.q.Exec(ctx, r.sp.Set); err != nil {
			res.Status, res.Message = StatusError, err.Error()
			return res
		}
	}
	err = r.evaluate(ctx, p, &res)
	if r.savepoints {
		stmt := r.sp.Release
		if err != nil {
			stmt = r.sp.Rollback
		}
		if _, err2 := r.q.Exec(ctx, stmt); err2 != nil && err == nil {
			err = err2
		}
	}
	if err != nil {
		res.Status, res.Message = StatusError, err.Error()
		res.Samples, res.SampleColumns = nil, nil
	}
	return res
}

func (r *runner) evaluate(ctx context.Context, p *plan, res *Result) error {
	out, err := r.q.Query(ctx, p.sql, connector.QueryOptions{MaxRows: 2, Timeout: r.opts.Timeout})
	if err != nil {
		return err
	}
	if len(out.Rows) != 1 {
		return fmt.Errorf("the check query returned %d rows, want 1", len(out.Rows))
	}
	o, err := p.eval(out.Rows[0])
	if err != nil {
		return err
	}
	res.Failing, res.Expected, res.Actual, res.Message = o.failing, o.expected, o.actual, o.message
	res.Status = StatusPass
	if !o.fail {
		return nil
	}
	res.Status = StatusFail
	if p.sampleSQL == "" || o.noSamples || r.opts.Samples < 0 {
		return nil
	}
	res.SampleSQL = p.sampleSQL
	rows, err := r.q.Query(ctx, p.sampleSQL, connector.QueryOptions{MaxRows: r.opts.Samples, Timeout: r.opts.Timeout})
	if err != nil {
		return fmt.Errorf("fetching sample rows: %w", err)
	}
	res.SampleColumns = make([]string, len(p.sampleCols))
	for i, sc := range p.sampleCols {
		res.SampleColumns[i] = sc.name
	}
	res.Samples = make([]map[string]any, 0, len(rows.Rows))
	for _, row := range rows.Rows {
		if len(row) != len(p.sampleCols) {
			return fmt.Errorf("the sample query returned %d columns, want %d", len(row), len(p.sampleCols))
		}
		m := make(map[string]any, len(row))
		for i, sc := range p.sampleCols {
			m[sc.name] = sc.value(row[i])
		}
		res.Samples = append(res.Samples, m)
	}
	return nil
}
