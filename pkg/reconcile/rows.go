package reconcile

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/dialect/filter"
)

// RowsInput is a row reconciliation: two tables compared on a key.
type RowsInput struct {
	// Left and Right are CONN.TABLE or CONN.SCHEMA.TABLE.
	Left  string `json:"left" jsonschema:"the first table, CONNECTION.TABLE or CONNECTION.SCHEMA.TABLE"`
	Right string `json:"right" jsonschema:"the second table, CONNECTION.TABLE or CONNECTION.SCHEMA.TABLE"`
	// Key are the columns that identify a row on both sides.
	Key []string `json:"key" jsonschema:"the key columns that identify a row on both sides"`
	// Columns are the columns compared (default: every column both
	// sides have, except the key).
	Columns []string `json:"columns,omitempty" jsonschema:"the columns to compare (default: all common non-key columns)"`
	// Tolerance: COL=abs:0.01 or COL=rel:1e-6.
	Tolerance []string `json:"tolerance,omitempty" jsonschema:"numeric tolerances, COLUMN=abs:0.01 or COLUMN=rel:1e-6"`
	// IgnoreCase and Trim name text columns compared case-insensitively
	// or without leading and trailing spaces.
	IgnoreCase []string `json:"ignore_case,omitempty" jsonschema:"text columns compared case-insensitively"`
	Trim       []string `json:"trim,omitempty" jsonschema:"text columns compared without leading and trailing spaces"`
	// Where is a filter expression applied to both sides (never SQL).
	Where string `json:"where,omitempty" jsonschema:"a filter applied to both sides: columns, literals, comparisons, AND/OR/NOT, IN, BETWEEN, IS NULL (never SQL)"`
	// Sample is how many rows of each kind of difference are shown
	// (default 10).
	Sample int `json:"sample,omitempty" jsonschema:"rows of each kind of difference shown (default 10)"`
	// FloatScale is the digits after the point floats are compared at
	// (default 6).
	FloatScale int `json:"float_scale,omitempty" jsonschema:"digits after the point floats are compared at (default 6)"`
}

// RowsResult is the outcome of a row reconciliation (the --json output
// and the compare_tables tool's result).
type RowsResult struct {
	RunID string   `json:"run_id"`
	Left  string   `json:"left"`
	Right string   `json:"right"`
	Key   []string `json:"key"`
	// Method: "join" (one engine: one pushed-down comparison grouped by
	// the key) or "segments" (two engines: checksums of key-hash segments,
	// only differing segments fetched).
	Method  string       `json:"method"`
	Agree   bool         `json:"agree"`
	Summary RowsSummary  `json:"summary"`
	Columns []ColumnDiff `json:"columns"`
	Samples RowSamples   `json:"samples"`
	// Segments: how the two-engine comparison went.
	Segments  *SegmentStats `json:"segments,omitempty"`
	ElapsedMS int64         `json:"elapsed_ms"`
}

// RowsSummary counts rows and keys. left_rows and right_rows are rows;
// the others count keys (a key with NULL in any key column counts under
// null_keys_* only; a key held by more than one row of a side under
// duplicate_keys_* and not as matched or changed).
type RowsSummary struct {
	LeftRows           int64 `json:"left_rows"`
	RightRows          int64 `json:"right_rows"`
	Matched            int64 `json:"matched"`
	OnlyLeft           int64 `json:"only_left"`
	OnlyRight          int64 `json:"only_right"`
	Changed            int64 `json:"changed"`
	DuplicateKeysLeft  int64 `json:"duplicate_keys_left"`
	DuplicateKeysRight int64 `json:"duplicate_keys_right"`
	NullKeysLeft       int64 `json:"null_keys_left"`
	NullKeysRight      int64 `json:"null_keys_right"`
}

// ColumnDiff is one compared column.
type ColumnDiff struct {
	Name string `json:"name"`
	// Compared says how: "number at scale 2", "timestamp (UTC) at 3
	// digits", "text", "text (trimmed, any case)", "boolean".
	Compared  string `json:"compared"`
	Tolerance string `json:"tolerance,omitempty"`
	// Unequal counts matched keys whose values differ beyond tolerance.
	Unequal int64 `json:"unequal"`
	// MaxAbsDiff is the largest absolute difference between the two
	// sides' values among matched keys (numbers only; within tolerance
	// included).
	MaxAbsDiff *string `json:"max_abs_diff,omitempty"`
	// NullMismatches counts matched keys NULL on one side only.
	NullMismatches int64 `json:"null_mismatches"`
}

// RowSamples are the first rows (by key) of each kind of difference.
type RowSamples struct {
	OnlyLeft  []KeyedRow   `json:"only_left"`
	OnlyRight []KeyedRow   `json:"only_right"`
	Changed   []ChangedRow `json:"changed"`
}

// KeyedRow is a row on one side only: its key and its compared values
// (in their normalised form).
type KeyedRow struct {
	Key    map[string]any `json:"key"`
	Values map[string]any `json:"values"`
}

// ChangedRow is a key whose values differ: each differing column with
// both values (normalised).
type ChangedRow struct {
	Key     map[string]any `json:"key"`
	Columns []ValuePair    `json:"columns"`
}

// ValuePair is one differing value.
type ValuePair struct {
	Name  string `json:"name"`
	Left  any    `json:"left"`
	Right any    `json:"right"`
}

// SegmentStats describes a two-engine comparison.
type SegmentStats struct {
	// Compared counts segment comparisons over all levels; Differing the
	// segments whose rows were fetched.
	Compared  int `json:"compared"`
	Differing int `json:"differing"`
	Levels    int `json:"levels"`
	// RowsFetched counts rows read into the process from both sides.
	RowsFetched int64 `json:"rows_fetched"`
}

// DetailCap is how many rows of each kind of difference a run records
// for get_reconciliation_details.
const DetailCap = 10000

// rowsRecord is what a rows run records: the result and the details.
type rowsRecord struct {
	RowsResult
	Details RowDetails `json:"details"`
}

// RowDetails are up to DetailCap rows of each kind of difference.
type RowDetails struct {
	OnlyLeft  []KeyedRow   `json:"only_left"`
	OnlyRight []KeyedRow   `json:"only_right"`
	Changed   []ChangedRow `json:"changed"`
	Truncated bool         `json:"truncated"`
}

// side is one of the two tables.
type side struct {
	ref     string // as given
	conn    string
	c       connector.Connector
	dialect string
	table   d.Name
	cols    map[string]catalog.Column // by lower-case name
	where   d.Expr
	// unique lists the column sets (lower-case) the engine guarantees
	// unique: declared keys, on engines that enforce them.
	unique [][]string
}

// keyUnique reports whether the engine guarantees the key columns unique
// on this side: a declared, enforced key is among them (a unique subset
// makes the whole combination unique; a UNIQUE constraint's NULLs are
// rows the comparison counts as NULL keys, not duplicates).
func (sd *side) keyUnique(keys []string) bool {
	in := map[string]bool{}
	for _, k := range keys {
		in[strings.ToLower(k)] = true
	}
	for _, u := range sd.unique {
		all := len(u) > 0
		for _, c := range u {
			all = all && in[c]
		}
		if all {
			return true
		}
	}
	return false
}

// plan is what is compared, column by column.
type plan struct {
	keys []colPlan
	vals []colPlan
}

// keyNames are the key columns as each side spells them.
func (p *plan) keyNames() (left, right []string) {
	for _, k := range p.keys {
		left, right = append(left, k.left), append(right, k.right)
	}
	return left, right
}

type colPlan struct {
	name        string // as reported (the left side's spelling)
	left, right string // each side's spelling
	lt, rt      d.ColumnType
	cmp         d.Comparison
	tol         *tolerance
}

type tolerance struct {
	rel bool
	v   decimal.Decimal
	src string
}

func (t *tolerance) String() string {
	if t == nil {
		return ""
	}
	return t.src
}

func parseTolerances(specs []string) (map[string]*tolerance, error) {
	out := map[string]*tolerance{}
	for _, s := range specs {
		col, spec, ok := strings.Cut(s, "=")
		kind, val, ok2 := strings.Cut(spec, ":")
		if !ok || !ok2 || strings.TrimSpace(col) == "" {
			return nil, fmt.Errorf("tolerance %q: want COLUMN=abs:0.01 or COLUMN=rel:1e-6", s)
		}
		v, err := decimal.NewFromString(strings.TrimSpace(val))
		if err != nil || v.IsNegative() {
			return nil, fmt.Errorf("tolerance %q: %q is not a non-negative number", s, val)
		}
		t := &tolerance{v: v, src: strings.ToLower(kind) + ":" + strings.TrimSpace(val)}
		switch strings.ToLower(kind) {
		case "abs":
		case "rel":
			t.rel = true
		default:
			return nil, fmt.Errorf("tolerance %q: %q is neither abs nor rel", s, kind)
		}
		out[strings.ToLower(strings.TrimSpace(col))] = t
	}
	return out, nil
}

// parseRef splits CONN.TABLE or CONN.SCHEMA.TABLE.
func parseRef(ref string) (conn, schema, table string, err error) {
	conn, rest, ok := strings.Cut(ref, ".")
	if !ok || conn == "" || rest == "" {
		return "", "", "", fmt.Errorf("%q: want CONNECTION.TABLE or CONNECTION.SCHEMA.TABLE", ref)
	}
	schema, table = connections.SplitTableName(rest)
	if table == "" {
		return "", "", "", fmt.Errorf("%q: no table name", ref)
	}
	return conn, schema, table, nil
}

// openPair opens both sides of a comparison and applies the filter to
// each; on an error nothing stays open.
func (s *Service) openPair(ctx context.Context, left, right, where string) (*side, *side, error) {
	l, err := s.openSide(ctx, left)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.openSide(ctx, right)
	if err != nil {
		l.c.Close()
		return nil, nil, err
	}
	for _, sd := range []*side{l, r} {
		if err := sd.applyWhere(where); err != nil {
			l.c.Close()
			r.c.Close()
			return nil, nil, err
		}
	}
	return l, r, nil
}

func (s *Service) openSide(ctx context.Context, ref string) (*side, error) {
	conn, schema, table, err := parseRef(ref)
	if err != nil {
		return nil, err
	}
	c, err := s.Connections.Connect(ctx, conn, true)
	if err != nil {
		return nil, err
	}
	det, err := c.Describe(ctx, schema, table)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	sd := &side{ref: ref, conn: conn, c: c, dialect: c.Dialect(), cols: map[string]catalog.Column{}}
	sd.table = d.Name{Schema: det.Schema, Name: det.Name}
	if schema == "" {
		sd.table.Schema = ""
	}
	for _, col := range det.Columns {
		sd.cols[strings.ToLower(col.Name)] = col
	}
	if d.Capabilities(sd.dialect).EnforcedKeys {
		lower := func(cs []string) []string {
			out := make([]string, len(cs))
			for i, c := range cs {
				out[i] = strings.ToLower(c)
			}
			return out
		}
		if len(det.PrimaryKey) > 0 {
			sd.unique = append(sd.unique, lower(det.PrimaryKey))
		}
		for _, u := range det.UniqueKeys {
			sd.unique = append(sd.unique, lower(u.Columns))
		}
	}
	return sd, nil
}

func (sd *side) column(name string) (catalog.Column, bool) {
	c, ok := sd.cols[strings.ToLower(name)]
	return c, ok
}

func (sd *side) names() []string {
	out := make([]string, 0, len(sd.cols))
	for _, c := range sd.cols {
		out = append(out, c.Name)
	}
	sort.Strings(out)
	return out
}

// applyWhere parses the filter against the side's own columns.
func (sd *side) applyWhere(src string) error {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	e, err := filter.Parse(src, sd.names())
	if err != nil {
		return fmt.Errorf("--where on %s: %w", sd.ref, err)
	}
	sd.where = e
	return nil
}

func lowerSet(names []string) map[string]bool {
	out := map[string]bool{}
	for _, n := range names {
		for _, p := range strings.Split(n, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out[strings.ToLower(p)] = true
			}
		}
	}
	return out
}

func splitList(names []string) []string {
	var out []string
	for _, n := range names {
		for _, p := range strings.Split(n, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// makePlan pairs the columns of the two sides; needKey: a row comparison
// (totals group by keys that may be none).
func makePlan(in RowsInput, l, r *side, needKey bool) (*plan, error) {
	keys := splitList(in.Key)
	if len(keys) == 0 && needKey {
		return nil, fmt.Errorf("no key: name the columns that identify a row (--key)")
	}
	tols, err := parseTolerances(in.Tolerance)
	if err != nil {
		return nil, err
	}
	trim, fold := lowerSet(in.Trim), lowerSet(in.IgnoreCase)
	mk := func(name string) (colPlan, error) {
		lc, ok := l.column(name)
		if !ok {
			return colPlan{}, fmt.Errorf("%s has no column %q", l.ref, name)
		}
		rc, ok := r.column(name)
		if !ok {
			return colPlan{}, fmt.Errorf("%s has no column %q", r.ref, name)
		}
		o := d.NormOptions{FloatScale: in.FloatScale, Trim: trim[strings.ToLower(name)], FoldCase: fold[strings.ToLower(name)]}
		lt, rt := d.ParseColumnType(lc.Type), d.ParseColumnType(rc.Type)
		p := colPlan{name: lc.Name, left: lc.Name, right: rc.Name, lt: lt, rt: rt, cmp: d.Compare(lt, rt, o)}
		if t := tols[strings.ToLower(name)]; t != nil {
			if !p.cmp.Numeric {
				return colPlan{}, fmt.Errorf("tolerance on %s: the column is not compared as a number", name)
			}
			p.tol = t
		}
		return p, nil
	}
	p := &plan{}
	isKey := map[string]bool{}
	for _, k := range keys {
		cp, err := mk(k)
		if err != nil {
			return nil, err
		}
		if cp.tol != nil {
			return nil, fmt.Errorf("tolerance on key column %s", k)
		}
		isKey[strings.ToLower(k)] = true
		p.keys = append(p.keys, cp)
	}
	cols := splitList(in.Columns)
	if len(cols) == 0 {
		for _, n := range l.names() {
			if _, ok := r.column(n); ok && !isKey[strings.ToLower(n)] {
				cols = append(cols, n)
			}
		}
		// In the left table's column order.
		sort.SliceStable(cols, func(i, j int) bool {
			a, _ := l.column(cols[i])
			b, _ := l.column(cols[j])
			return a.Position < b.Position
		})
	}
	for _, c := range cols {
		if isKey[strings.ToLower(c)] {
			continue
		}
		cp, err := mk(c)
		if err != nil {
			return nil, err
		}
		p.vals = append(p.vals, cp)
	}
	for name := range tols {
		found := false
		for _, v := range p.vals {
			if strings.EqualFold(v.name, name) {
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("tolerance on %s: not a compared column", name)
		}
	}
	return p, nil
}

// describe says how a column is compared.
func (cp colPlan) describe() string {
	c := cp.cmp
	switch {
	case c.Numeric:
		return fmt.Sprintf("number at scale %d", c.Scale)
	case c.Time:
		return fmt.Sprintf("timestamp (UTC) at %d digits", c.TimePrecision)
	case c.Bool:
		return "boolean"
	}
	if cp.lt.Kind == d.NormDate && cp.rt.Kind == d.NormDate {
		return "date"
	}
	var opts []string
	if c.Opts.Trim {
		opts = append(opts, "trimmed")
	}
	if c.Opts.FoldCase {
		opts = append(opts, "any case")
	}
	if len(opts) > 0 {
		return "text (" + strings.Join(opts, ", ") + ")"
	}
	return "text"
}

// Rows reconciles two tables row by row on a key and records the run.
func (s *Service) Rows(ctx context.Context, in RowsInput) (*RowsResult, error) {
	start := time.Now()
	if in.Sample <= 0 {
		in.Sample = 10
	}
	s.progress(0, 3, "opening "+in.Left+" and "+in.Right)
	l, r, err := s.openPair(ctx, in.Left, in.Right, in.Where)
	if err != nil {
		return nil, err
	}
	defer l.c.Close()
	defer r.c.Close()
	p, err := makePlan(in, l, r, true)
	if err != nil {
		return nil, err
	}
	res := &RowsResult{Left: in.Left, Right: in.Right, Samples: RowSamples{OnlyLeft: []KeyedRow{}, OnlyRight: []KeyedRow{}, Changed: []ChangedRow{}}}
	for _, k := range p.keys {
		res.Key = append(res.Key, k.name)
	}
	var det RowDetails
	s.progress(1, 3, "comparing rows")
	if l.conn == r.conn {
		res.Method = "join"
		det, err = joinRows(ctx, l, r, p, res)
	} else {
		res.Method = "segments"
		det, err = segmentRows(ctx, l, r, p, res)
	}
	if err != nil {
		return nil, err
	}
	sm := res.Summary
	res.Agree = sm.OnlyLeft == 0 && sm.OnlyRight == 0 && sm.Changed == 0 && sm.DuplicateKeysLeft == 0 &&
		sm.DuplicateKeysRight == 0 && sm.NullKeysLeft == 0 && sm.NullKeysRight == 0
	res.Samples = RowSamples{OnlyLeft: firstN(det.OnlyLeft, in.Sample), OnlyRight: firstN(det.OnlyRight, in.Sample), Changed: firstN(det.Changed, in.Sample)}
	res.ElapsedMS = time.Since(start).Milliseconds()
	agree := res.Agree
	s.progress(2, 3, "recording the run")
	rec := &rowsRecord{RowsResult: *res, Details: det}
	id, err := s.record(ctx, "rows", in.Left, in.Right, &agree, rec)
	if err != nil {
		return nil, err
	}
	res.RunID = id
	return res, nil
}

func firstN[T any](xs []T, n int) []T {
	if len(xs) > n {
		xs = xs[:n]
	}
	if xs == nil {
		xs = []T{}
	}
	return xs
}

// cell turns a query result value into what the JSON shows: nil, or text.
func rowCell(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05.999999")
	}
	if dec, ok := sqldb.ExactDecimal(v); ok {
		return dec.String()
	}
	return fmt.Sprint(v)
}

func rowCount(v any) int64 {
	if v == nil {
		return 0
	}
	dec, ok := sqldb.ExactDecimal(v)
	if !ok {
		return 0
	}
	return dec.IntPart()
}

var longQuery = connector.QueryOptions{MaxRows: -1, Timeout: 2 * time.Hour}

// fixed is an exact decimal as text at the comparison's scale.
func fixed(x decimal.Decimal, scale int) *string {
	var s string
	if x.Exponent() >= -int32(scale) {
		s = x.StringFixed(int32(scale))
	} else {
		s = x.String()
	}
	return &s
}

func decimalOf(v any) (decimal.Decimal, bool) {
	switch x := v.(type) {
	case []byte:
		return decimalOf(string(x))
	case string:
		dec, err := decimal.NewFromString(x)
		return dec, err == nil
	}
	return sqldb.ExactDecimal(v)
}
