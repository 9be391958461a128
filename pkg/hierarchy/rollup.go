package hierarchy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
)

// RollupInput says which fact table to roll up through a hierarchy.
type RollupInput struct {
	// Table is the fact table (schema.table allowed).
	Table string `json:"table"`
	// Value is the amount column summed.
	Value string `json:"value"`
	// Column is the source column the rules map (default: the
	// hierarchy's first source column). Only rules of this column apply.
	Column string `json:"column,omitempty"`
	// SourceColumn is the physical column of Table holding the codes, when
	// it is named differently from the rules' column (default: Column).
	SourceColumn string `json:"source_column,omitempty"`
	// By are extra grouping columns (period, entity...).
	By []string `json:"by,omitempty"`
	// Where keeps only the source rows it holds (a filter read by
	// pkg/dialect/filter, never SQL text); Filter is its text, echoed in
	// the result.
	Where  dialect.Expr `json:"-"`
	Filter string       `json:"filter,omitempty"`
}

// RollupLine is one node of the hierarchy with its value per group.
type RollupLine struct {
	Code  string   `json:"code"`
	Name  string   `json:"name"`
	Type  NodeType `json:"type"`
	Depth int      `json:"depth"`
	// Path is the codes from the root down to the node.
	Path     []string `json:"path"`
	FlipSign bool     `json:"flip_sign,omitempty"`
	// Values has one entry per group key (nil: no value in that group).
	Values []*Amount `json:"values"`
	// PresentationValues are Values with the node's FlipSign applied.
	PresentationValues []*Amount `json:"presentation_values"`
}

// GroupTotal is a row count and amount for one group.
type GroupTotal struct {
	Rows   int64  `json:"rows"`
	Amount Amount `json:"amount"`
}

// Amount is an exact decimal with the number of decimals it is written
// with. In JSON it is a string ("3545970.24", "-0.30"), as pkg/connector
// writes decimals; a JSON number is also read.
type Amount struct{ d decimal.Decimal }

// RatioScale is the most decimals a formula value is written with (when
// its exact value needs more, e.g. a ratio, it is rounded half away from
// zero there): DT_3's scale, DECIMAL(38, 10).
const RatioScale = 10

// ParseAmount reads a decimal ("1234.50", "-1e3"), keeping its scale.
func ParseAmount(s string) (Amount, error) {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return Amount{}, fmt.Errorf("not a decimal: %q", s)
	}
	return Amount{d}, nil
}

// Decimal is the amount as a shopspring decimal.
func (a Amount) Decimal() decimal.Decimal { return a.d }

// Rat is the exact value (a new big.Rat).
func (a Amount) Rat() *big.Rat { return a.d.Rat() }

// Scale is the number of decimals the amount is written with.
func (a Amount) Scale() int {
	if e := a.d.Exponent(); e < 0 {
		return int(-e)
	}
	return 0
}

// Neg is -a, at the same scale.
func (a Amount) Neg() Amount { return Amount{a.d.Neg()} }

// Equal reports whether a and b are the same number (whatever their scales).
func (a Amount) Equal(b Amount) bool { return a.d.Equal(b.d) }

// String writes the amount with its scale: "107.05", "93.00", "-0.3333333333".
func (a Amount) String() string { return a.d.StringFixed(int32(a.Scale())) }

// MarshalJSON writes the amount as a JSON string.
func (a Amount) MarshalJSON() ([]byte, error) { return json.Marshal(a.String()) }

// UnmarshalJSON reads a JSON string or number.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	x, err := ParseAmount(s)
	if err != nil {
		return err
	}
	*a = x
	return nil
}

// amountOf writes an exact value with the fewest decimals from scale up
// to RatioScale that hold it exactly, or rounded half away from zero at
// RatioScale when none does.
func amountOf(r *big.Rat, scale int) Amount {
	if scale > RatioScale {
		scale = RatioScale
	}
	for p := scale; p < RatioScale; p++ {
		if x := RoundRat(r, p); x.Cmp(r) == 0 {
			return Amount{decimal.NewFromBigRat(x, int32(p))}
		}
	}
	return Amount{decimal.NewFromBigRat(RoundRat(r, RatioScale), RatioScale)}
}

// toDecimal converts a query result value to an exact decimal; ok is
// false for NULL. Engines return DECIMAL as text (pkg/connector); an
// integer is exact; a float (an engine that ignored the cast) is read by
// its shortest representation.
func toDecimal(v any) (decimal.Decimal, bool, error) {
	switch x := v.(type) {
	case nil:
		return decimal.Decimal{}, false, nil
	case string:
		d, err := decimal.NewFromString(strings.TrimSpace(x))
		if err != nil {
			return decimal.Decimal{}, false, fmt.Errorf("not a number: %q", x)
		}
		return d, true, nil
	case []byte:
		return toDecimal(string(x))
	case float64:
		return decimal.NewFromFloat(x), true, nil
	case float32:
		return decimal.NewFromFloat32(x), true, nil
	case *big.Rat:
		return decimal.NewFromBigRat(x, RatioScale), true, nil
	case decimal.Decimal:
		return x, true, nil
	case fmt.Stringer:
		return toDecimal(x.String())
	}
	return toDecimal(fmt.Sprint(v))
}

// sumScale is the amount scale of a rollup: the most decimals any of its
// sums needs (trailing zeros aside), at most RatioScale.
func sumScale(ds []decimal.Decimal) int {
	s := 0
	for _, d := range ds {
		for p := s; p < RatioScale && !d.Round(int32(p)).Equal(d); p++ {
			s = p + 1
		}
	}
	return s
}

// RollupResult is a hierarchy rolled up over a fact table.
type RollupResult struct {
	Hierarchy string `json:"hierarchy"`
	Version   int    `json:"version"`
	Column    string `json:"column"`
	// Groups names the By columns; GroupKeys are their distinct values
	// (as text, NULL as ""), sorted, one entry per group.
	Groups    []string   `json:"groups"`
	GroupKeys [][]string `json:"group_keys"`
	// Lines in tree order.
	Lines []RollupLine `json:"lines"`
	// Unmapped are the rows (and their amount) whose code no leaf takes,
	// and SourceTotal all rows, per group: the sum of the leaf values plus
	// Unmapped equals SourceTotal.
	Unmapped    []GroupTotal `json:"unmapped"`
	SourceTotal []GroupTotal `json:"source_total"`
	// Warnings are formula evaluation problems (null handling "error").
	Warnings []string `json:"warnings,omitempty"`
	// Filter is the --where filter the source rows were read with ("" =
	// every row); unmapped and source totals are of the filtered rows.
	Filter string `json:"filter,omitempty"`
}

// Rollup computes every leaf and rollup value of the hierarchy over a fact
// table in the engine, in one SQL statement, then evaluates formula nodes
// in Go (in FormulaOrder, per group, with each formula's null handling).
//
// The statement carries the mapping rules and the node closure as bound
// VALUES lists and works on the distinct codes of the source:
//
// matched as MatchCondition builds it (exact, case- and trailing-space-
// sensitive on every engine: codes are grouped and joined by CodeKey):
//
//   - exact and list: code = value (one rules row per list value);
//   - range: same width and code BETWEEN from AND to, by code point, so
//     '41000' is not in '4000'..'4999';
//   - prefix: LEFT(code, LENGTH(prefix)) = prefix;
//   - pattern: code LIKE LikePattern(rule pattern).
//
// Exclude rules remove a code from their own leaf (an anti-join on code
// and leaf); each code goes to the leaf with the lowest precedence number
// among its matching include rules, ties to the leaf earlier in tree order
// (a tie is a conflict Validate reports). Leaf sums are then joined to the
// closure (leaf, ancestor rollup, product of the consolidation signs on the
// way up: a ~ node contributes 0 to its ancestors but keeps its own value)
// and summed per node and group.
//
// Only rollup nodes accumulate; labels have no value but pass their
// children's values up with their own sign; formula nodes take no part in
// rollups (their value is their expression). A leaf or rollup has a value
// in a group when some leaf at or below it has mapped rows there.
// The hierarchy must pass CheckIntegrity.
func Rollup(ctx context.Context, conn connector.Connector, h *Hierarchy, in RollupInput) (*RollupResult, error) {
	if fs := CheckIntegrity(h); len(fs) > 0 {
		return nil, fmt.Errorf("hierarchy %s has %d structural errors (first: %s); fix them (see `databridge hierarchy validate %s`) before a rollup", h.ID, len(fs), fs[0].Message, h.ID)
	}
	if in.Column == "" {
		in.Column = h.DefaultColumn()
	}
	if in.Table == "" || in.Value == "" || in.Column == "" {
		return nil, fmt.Errorf("rollup of %s needs a table, a value column and a source column (the hierarchy names no source_columns)", h.ID)
	}
	for _, b := range in.By {
		if strings.TrimSpace(b) == "" {
			return nil, fmt.Errorf("rollup of %s: empty grouping column", h.ID)
		}
	}
	plan := planRollup(h)
	q, args, err := rollupSQL(conn.Dialect(), plan, h, in)
	if err != nil {
		return nil, fmt.Errorf("rollup of %s: %w", h.ID, err)
	}
	if m := dialect.MaxParams(conn.Dialect()); m > 0 && len(args) > m {
		return nil, fmt.Errorf("rollup of %s needs %d bound parameters but %s allows %d in one statement; split the hierarchy or roll it up on DuckDB", h.ID, len(args), conn.Dialect(), m)
	}
	res, err := conn.Query(ctx, q, connector.QueryOptions{MaxRows: -1}, args...)
	if err != nil {
		return nil, fmt.Errorf("rollup of %s over %s: %w", h.ID, in.Table, err)
	}
	out, err := buildRollupResult(h, in, plan, res)
	if out != nil {
		out.Filter = in.Filter
	}
	return out, err
}

// rollupPlan numbers the nodes in tree order.
type rollupPlan struct {
	nodes []*Node
	depth []int
	ord   map[string]int
}

func planRollup(h *Hierarchy) *rollupPlan {
	p := &rollupPlan{ord: map[string]int{}}
	h.Walk(func(n *Node, d int) bool {
		p.ord[n.Code] = len(p.nodes)
		p.nodes = append(p.nodes, n)
		p.depth = append(p.depth, d)
		return true
	})
	return p
}

// sqlBuilder collects bound parameters.
type sqlBuilder struct {
	d    string
	args []any
}

// bind is the next bind parameter, cast to typ. Parameters are numbered
// in the order the tree renders them: rules, then the closure.
func (b *sqlBuilder) bind(v any, typ dialect.Type) dialect.Expr {
	b.args = append(b.args, v)
	return &dialect.Cast{X: dialect.Param{N: len(b.args)}, Type: typ}
}

// relation is rows as a query with the named columns: VALUES in FROM, or
// SELECT ... UNION ALL where the engine lacks it (the dialect decides).
func relation(alias string, cols []string, rows [][]dialect.Expr) dialect.Query {
	return &dialect.Select{
		Columns: []dialect.SelectItem{{Expr: dialect.Star{}}},
		From:    &dialect.Values{Alias: alias, Columns: cols, Rows: rows},
	}
}

// tableName splits a possibly qualified table name (schema.table).
func tableName(table string) (dialect.Name, error) {
	var parts []string
	for _, p := range strings.Split(table, ".") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 || len(parts) > 3 {
		return dialect.Name{}, fmt.Errorf("table %q: want table, schema.table or database.schema.table", table)
	}
	return dialect.N(parts...), nil
}

// amountType is what the rollup sums source amounts as: exact, at DT_3's
// scale (the engine returns sums as DECIMAL, read as exact text, never as
// a float, whatever the source column's type).
var amountType = dialect.Decimal(38, RatioScale)

func rollupSQL(d string, p *rollupPlan, h *Hierarchy, in RollupInput) (string, []any, error) {
	b := &sqlBuilder{d: d}
	txt, num := dialect.Text, dialect.Int
	// Mapping rules: leaf ordinal, kind, value/from, to, width, precedence,
	// exclude.
	var rules [][]dialect.Expr
	addRule := func(ord int, kind, v1, v2 string, prec int, excl bool) {
		x := 0
		if excl {
			x = 1
		}
		rules = append(rules, []dialect.Expr{b.bind(ord, num), b.bind(kind, txt), b.bind(v1, txt), b.bind(v2, txt), b.bind(prec, num), b.bind(x, num)})
	}
	for ord, n := range p.nodes {
		if n.Type != TypeLeaf {
			continue
		}
		for _, r := range n.Rules {
			if h.RuleColumn(r) != in.Column {
				continue
			}
			prec := r.EffectivePrecedence()
			switch r.Match {
			case MatchExact:
				addRule(ord, "E", r.Value, "", prec, r.Exclude)
			case MatchList:
				seen := map[string]bool{}
				for _, v := range r.Values {
					if !seen[v] {
						seen[v] = true
						addRule(ord, "E", v, "", prec, r.Exclude)
					}
				}
			case MatchRange:
				addRule(ord, "R", r.From, r.To, prec, r.Exclude)
			case MatchPrefix:
				addRule(ord, "P", r.Value, "", prec, r.Exclude)
			case MatchPattern:
				addRule(ord, "G", LikePattern(d, r.Value), "", prec, r.Exclude)
			}
		}
	}
	if len(rules) == 0 {
		addRule(-1, "X", "", "", 0, false) // matches nothing
	}
	// Closure: leaf ordinal, node ordinal, sign product.
	var closure [][]dialect.Expr
	idx := h.Index()
	for ord, n := range p.nodes {
		if n.Type != TypeLeaf {
			continue
		}
		closure = append(closure, []dialect.Expr{b.bind(ord, num), b.bind(ord, num), b.bind(1, num)})
		sign := n.Consolidation.Sign()
		for _, a := range h.Ancestors(n.Code) {
			an := idx[a]
			if an.Type == TypeRollup {
				closure = append(closure, []dialect.Expr{b.bind(ord, num), b.bind(p.ord[a], num), b.bind(sign, num)})
			}
			sign *= an.Consolidation.Sign()
		}
	}
	if len(closure) == 0 {
		closure = append(closure, []dialect.Expr{b.bind(-1, num), b.bind(-1, num), b.bind(0, num)})
	}

	srcCol := in.SourceColumn
	if srcCol == "" {
		srcCol = in.Column
	}
	table, err := tableName(in.Table)
	if err != nil {
		return "", nil, err
	}
	C, F, I, S := dialect.C, dialect.F, dialect.I, dialect.S
	countAll := F("COUNT")
	codeExpr := CodeKey(&dialect.Cast{X: C("s", srcCol), Type: dialect.Text}, h.CodeMatching())
	// The matching conditions, one per rule kind, from the one matcher.
	key := C("c", "code")
	ops := RuleOperands{Value: C("r", "v1"), From: C("r", "v1"), To: C("r", "v2")}
	var gSrc, gOut []dialect.SelectItem
	var gGroup, gJoin, gLa []dialect.Expr
	for i, by := range in.By {
		g := "g" + strconv.Itoa(i+1)
		gSrc = append(gSrc, dialect.As(C("s", by), g))
		gGroup = append(gGroup, C("s", by))
		gOut = append(gOut, dialect.As(&dialect.Cast{X: C(g), Type: txt}, g))
		gJoin = append(gJoin, C("s", g))
		gLa = append(gLa, C("la", g))
	}
	items := func(es []dialect.Expr) []dialect.SelectItem {
		out := make([]dialect.SelectItem, len(es))
		for i, e := range es {
			out[i] = dialect.SelectItem{Expr: e}
		}
		return out
	}
	cat := func(a []dialect.SelectItem, b ...dialect.SelectItem) []dialect.SelectItem {
		return append(append([]dialect.SelectItem{}, a...), b...)
	}
	cte := func(name string, q dialect.Query) dialect.CTE { return dialect.CTE{Name: name, Query: q} }
	tbl := func(name, alias string) dialect.Table { return dialect.Table{Name: dialect.N(name), Alias: alias} }

	src := &dialect.Select{
		Columns: cat(append([]dialect.SelectItem{dialect.As(codeExpr, "code")}, gSrc...),
			dialect.As(countAll, "n"), dialect.As(F("SUM", &dialect.Cast{X: C("s", in.Value), Type: amountType}), "amt")),
		From:    dialect.Table{Name: table, Alias: "s"},
		Where:   in.Where,
		GroupBy: append([]dialect.Expr{codeExpr}, gGroup...),
	}
	codes := &dialect.Select{
		Distinct: true,
		Columns:  []dialect.SelectItem{{Expr: C("code")}},
		From:     tbl("src", ""),
		Where:    &dialect.IsNull{X: C("code"), Not: true},
	}
	m := &dialect.UnionAll{}
	for _, k := range []struct {
		kind string
		m    MatchType
	}{{"E", MatchExact}, {"R", MatchRange}, {"P", MatchPrefix}, {"G", MatchPattern}} {
		m.Queries = append(m.Queries, &dialect.Select{
			Columns: items([]dialect.Expr{C("c", "code"), C("r", "leaf_ord"), C("r", "prec"), C("r", "excl")}),
			From:    tbl("codes", "c"),
			Joins: []dialect.Join{{Kind: dialect.InnerJoin, From: tbl("r", ""),
				On: dialect.And(dialect.Eq(C("r", "kind"), S(k.kind)), MatchCondition(d, h.CodeMatching(), k.m, key, ops))}},
		})
	}
	inc := &dialect.Select{
		Columns: []dialect.SelectItem{{Expr: C("code")}, {Expr: C("leaf_ord")}, dialect.As(F("MIN", C("prec")), "prec")},
		From:    tbl("m", ""),
		Where:   dialect.Eq(C("excl"), I(0)),
		GroupBy: []dialect.Expr{C("code"), C("leaf_ord")},
	}
	ok := &dialect.Select{
		Columns: items([]dialect.Expr{C("i", "code"), C("i", "leaf_ord"), C("i", "prec")}),
		From:    tbl("inc", "i"),
		Where: &dialect.Exists{Not: true, Query: &dialect.Select{
			Columns: []dialect.SelectItem{{Expr: I(1)}},
			From:    tbl("m", "x"),
			Where:   dialect.And(dialect.Eq(C("x", "excl"), I(1)), dialect.Eq(C("x", "code"), C("i", "code")), dialect.Eq(C("x", "leaf_ord"), C("i", "leaf_ord"))),
		}},
	}
	ranked := &dialect.Select{
		Columns: []dialect.SelectItem{{Expr: C("code")}, {Expr: C("leaf_ord")},
			dialect.As(&dialect.Over{Func: F("ROW_NUMBER"), PartitionBy: []dialect.Expr{C("code")}, OrderBy: []dialect.Order{{Expr: C("prec")}, {Expr: C("leaf_ord")}}}, "rn")},
		From: tbl("ok", ""),
	}
	win := &dialect.Select{
		Columns: items([]dialect.Expr{C("code"), C("leaf_ord")}),
		From:    dialect.Subquery{Query: ranked, Alias: "ranked"},
		Where:   dialect.Eq(C("rn"), I(1)),
	}
	la := &dialect.Select{
		Columns: cat(items(append([]dialect.Expr{C("w", "leaf_ord")}, gJoin...)), dialect.As(F("SUM", C("s", "amt")), "amt")),
		From:    tbl("src", "s"),
		Joins:   []dialect.Join{{Kind: dialect.InnerJoin, From: tbl("win", "w"), On: dialect.Eq(C("w", "code"), C("s", "code"))}},
		GroupBy: append([]dialect.Expr{C("w", "leaf_ord")}, gJoin...),
	}
	nv := &dialect.Select{
		Columns: cat(items(append([]dialect.Expr{C("cl", "node_ord")}, gLa...)),
			dialect.As(F("SUM", &dialect.Binary{Op: "*", L: C("la", "amt"), R: C("cl", "sgn")}), "amt")),
		From:    tbl("la", ""),
		Joins:   []dialect.Join{{Kind: dialect.InnerJoin, From: tbl("cl", ""), On: dialect.Eq(C("cl", "leaf_ord"), C("la", "leaf_ord"))}},
		GroupBy: append([]dialect.Expr{C("cl", "node_ord")}, gLa...),
	}
	sums := cat(items(gJoin), dialect.As(F("SUM", C("s", "amt")), "amt"), dialect.As(F("SUM", C("s", "n")), "n"))
	um := &dialect.Select{
		Columns: sums,
		From:    tbl("src", "s"),
		Where: &dialect.Exists{Not: true, Query: &dialect.Select{
			Columns: []dialect.SelectItem{{Expr: I(1)}},
			From:    tbl("win", "w"),
			Where:   dialect.Eq(C("w", "code"), C("s", "code")),
		}},
		GroupBy: gJoin,
	}
	tot := &dialect.Select{Columns: sums, From: tbl("src", "s"), GroupBy: gJoin}
	out := func(kind string, ord dialect.Expr, from string, n dialect.Expr) dialect.Query {
		return &dialect.Select{
			Columns: cat(append([]dialect.SelectItem{dialect.As(S(kind), "k"), dialect.As(ord, "ord")}, gOut...),
				dialect.SelectItem{Expr: C("amt")}, dialect.As(n, "n")),
			From: tbl(from, ""),
		}
	}
	q := &dialect.UnionAll{
		With: []dialect.CTE{
			cte("r", relation("t", []string{"leaf_ord", "kind", "v1", "v2", "prec", "excl"}, rules)),
			cte("cl", relation("t", []string{"leaf_ord", "node_ord", "sgn"}, closure)),
			cte("src", src), cte("codes", codes), cte("m", m), cte("inc", inc), cte("ok", ok),
			cte("win", win), cte("la", la), cte("nv", nv), cte("um", um), cte("tot", tot),
		},
		Queries: []dialect.Query{
			out("N", C("node_ord"), "nv", I(0)),
			out("U", I(-1), "um", C("n")),
			out("T", I(-1), "tot", C("n")),
		},
	}
	sql, err := dialect.RenderQuery(d, q)
	if err != nil {
		return "", nil, err
	}
	return sql, b.args, nil
}

func buildRollupResult(h *Hierarchy, in RollupInput, p *rollupPlan, res *connector.Result) (*RollupResult, error) {
	ng := len(in.By)
	out := &RollupResult{Hierarchy: h.ID, Version: h.Version, Column: in.Column, Groups: append([]string{}, in.By...), GroupKeys: [][]string{}}
	type row struct {
		kind string
		ord  int
		key  string
		amt  decimal.Decimal
		has  bool
		n    int64
	}
	keyOf := func(r []any) ([]string, string) {
		k := make([]string, ng)
		for i := 0; i < ng; i++ {
			if r[2+i] != nil {
				k[i] = fmt.Sprint(r[2+i])
			}
		}
		return k, strings.Join(k, "\x00")
	}
	var rows []row
	keys := map[string][]string{}
	for _, r := range res.Rows {
		if len(r) != 4+ng {
			return nil, fmt.Errorf("rollup of %s: unexpected result shape (%d columns)", h.ID, len(r))
		}
		x := row{kind: fmt.Sprint(r[0])}
		o, _, err := toFloat(r[1])
		if err != nil {
			return nil, fmt.Errorf("rollup of %s: %w", h.ID, err)
		}
		x.ord = int(o)
		var k []string
		k, x.key = keyOf(r)
		if x.amt, x.has, err = toDecimal(r[2+ng]); err != nil {
			return nil, fmt.Errorf("rollup of %s: amount: %w", h.ID, err)
		}
		n, nok, err := toFloat(r[3+ng])
		if err != nil {
			return nil, fmt.Errorf("rollup of %s: row count: %w", h.ID, err)
		}
		x.n = int64(n)
		if x.kind != "N" && !nok {
			continue // no rows at all (empty table, nothing unmapped)
		}
		if x.kind == "T" {
			keys[x.key] = k
		}
		rows = append(rows, x)
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	gi := map[string]int{}
	for i, k := range sorted {
		gi[k] = i
		out.GroupKeys = append(out.GroupKeys, keys[k])
	}
	out.Unmapped = make([]GroupTotal, len(sorted))
	out.SourceTotal = make([]GroupTotal, len(sorted))
	// Sums are exact decimals; formulas are evaluated exactly over them
	// (big.Rat) and written at the end (amountOf).
	vals := make([][]*big.Rat, len(p.nodes))
	for i := range vals {
		vals[i] = make([]*big.Rat, len(sorted))
	}
	var sums []decimal.Decimal
	var unmapped, totals = make([]decimal.Decimal, len(sorted)), make([]decimal.Decimal, len(sorted))
	for _, x := range rows {
		g, ok := gi[x.key]
		if !ok {
			continue
		}
		switch x.kind {
		case "N":
			if x.ord >= 0 && x.ord < len(p.nodes) && x.has {
				vals[x.ord][g] = x.amt.Rat()
				sums = append(sums, x.amt)
			}
		case "U":
			out.Unmapped[g].Rows, unmapped[g] = x.n, x.amt
		case "T":
			out.SourceTotal[g].Rows, totals[g] = x.n, x.amt
		}
	}
	scale := sumScale(append(append(sums, unmapped...), totals...))
	for g := range sorted {
		out.Unmapped[g].Amount = amountOf(unmapped[g].Rat(), scale)
		out.SourceTotal[g].Amount = amountOf(totals[g].Rat(), scale)
	}
	// Formulas, in dependency order, per group.
	order, err := FormulaOrder(h)
	if err != nil {
		return nil, err
	}
	for _, code := range order {
		o, ok := p.ord[code]
		if !ok {
			continue
		}
		n := p.nodes[o]
		e, err := ParseFormula(n.Formula.Expression)
		if err != nil {
			return nil, fmt.Errorf("node %s: %w", code, err)
		}
		nulls := n.Formula.Nulls
		for g := range sorted {
			v, ok, err := e.Eval(func(ref string) (*big.Rat, bool) {
				ro, known := p.ord[ref]
				if !known || vals[ro][g] == nil {
					return nil, false
				}
				return vals[ro][g], true
			}, nulls)
			if err != nil {
				out.Warnings = append(out.Warnings, fmt.Sprintf("node %s, group %s: %v", code, strings.Join(out.GroupKeys[g], "/"), err))
				continue
			}
			if ok {
				vals[o][g] = v
			}
		}
	}
	path := map[string][]string{}
	for i, n := range p.nodes {
		pp := append(append([]string{}, path[n.Parent]...), n.Code)
		path[n.Code] = pp
		line := RollupLine{Code: n.Code, Name: n.Name, Type: n.Type, Depth: p.depth[i], Path: pp, FlipSign: n.FlipSign,
			Values: make([]*Amount, len(sorted)), PresentationValues: make([]*Amount, len(sorted))}
		for g, v := range vals[i] {
			if v == nil {
				continue
			}
			a := amountOf(v, scale)
			pv := a
			if n.FlipSign {
				pv = a.Neg()
			}
			line.Values[g], line.PresentationValues[g] = &a, &pv
		}
		out.Lines = append(out.Lines, line)
	}
	return out, nil
}
