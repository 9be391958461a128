package hierarchy

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

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
	Values []*float64 `json:"values"`
	// PresentationValues are Values with the node's FlipSign applied.
	PresentationValues []*float64 `json:"presentation_values"`
}

// GroupTotal is a row count and amount for one group.
type GroupTotal struct {
	Rows   int64   `json:"rows"`
	Amount float64 `json:"amount"`
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
	return buildRollupResult(h, in, plan, res)
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

func (b *sqlBuilder) bind(v any, typ string) string {
	b.args = append(b.args, v)
	return "CAST(" + dialect.Placeholder(b.d, len(b.args)) + " AS " + typ + ")"
}

// relation renders rows (already rendered expressions) as a derived table
// with the named columns.
func (b *sqlBuilder) relation(cols []string, rows [][]string) string {
	var s strings.Builder
	if !dialect.Capabilities(b.d).ValuesInFrom {
		// SELECT ... UNION ALL SELECT ...: portable to MySQL and MariaDB.
		for i, r := range rows {
			if i > 0 {
				s.WriteString(" UNION ALL ")
			}
			s.WriteString("SELECT ")
			for j, v := range r {
				if j > 0 {
					s.WriteString(", ")
				}
				s.WriteString(v + " AS " + cols[j])
			}
		}
		return s.String()
	}
	s.WriteString("SELECT * FROM (VALUES ")
	for i, r := range rows {
		if i > 0 {
			s.WriteString(", ")
		}
		s.WriteString("(" + strings.Join(r, ", ") + ")")
	}
	s.WriteString(") AS t(" + strings.Join(cols, ", ") + ")")
	return s.String()
}

func rollupSQL(d string, p *rollupPlan, h *Hierarchy, in RollupInput) (string, []any, error) {
	b := &sqlBuilder{d: d}
	txt, num := dialect.TextType(d), dialect.IntType(d)
	// Mapping rules: leaf ordinal, kind, value/from, to, width, precedence,
	// exclude.
	var rules [][]string
	addRule := func(ord int, kind, v1, v2 string, prec int, excl bool) {
		x := 0
		if excl {
			x = 1
		}
		rules = append(rules, []string{b.bind(ord, num), b.bind(kind, txt), b.bind(v1, txt), b.bind(v2, txt), b.bind(prec, num), b.bind(x, num)})
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
	var closure [][]string
	idx := h.Index()
	for ord, n := range p.nodes {
		if n.Type != TypeLeaf {
			continue
		}
		closure = append(closure, []string{b.bind(ord, num), b.bind(ord, num), b.bind(1, num)})
		sign := n.Consolidation.Sign()
		for _, a := range h.Ancestors(n.Code) {
			an := idx[a]
			if an.Type == TypeRollup {
				closure = append(closure, []string{b.bind(ord, num), b.bind(p.ord[a], num), b.bind(sign, num)})
			}
			sign *= an.Consolidation.Sign()
		}
	}
	if len(closure) == 0 {
		closure = append(closure, []string{b.bind(-1, num), b.bind(-1, num), b.bind(0, num)})
	}

	q := func(s string) string { return dialect.QuoteIdent(d, s) }
	srcCol := in.SourceColumn
	if srcCol == "" {
		srcCol = in.Column
	}
	codeExpr, err := dialect.RenderExpr(d, CodeKey(&dialect.Cast{X: dialect.C("s", srcCol), Type: dialect.Text}, h.CodeMatching()))
	if err != nil {
		return "", nil, err
	}
	// The matching conditions, one per rule kind, from the one matcher.
	key := dialect.C("c", "code")
	ops := RuleOperands{Value: dialect.C("r", "v1"), From: dialect.C("r", "v1"), To: dialect.C("r", "v2")}
	conds := map[string]string{}
	for kind, m := range map[string]MatchType{"E": MatchExact, "R": MatchRange, "P": MatchPrefix, "G": MatchPattern} {
		if conds[kind], err = dialect.RenderCond(d, MatchCondition(d, h.CodeMatching(), m, key, ops)); err != nil {
			return "", nil, fmt.Errorf("%s rules: %w", m, err)
		}
	}
	var gSel, gGroup, gCols, gOut, gJoin []string
	for i, by := range in.By {
		g := "g" + strconv.Itoa(i+1)
		gSel = append(gSel, "s."+q(by)+" AS "+g)
		gGroup = append(gGroup, "s."+q(by))
		gCols = append(gCols, g)
		gOut = append(gOut, fmt.Sprintf("CAST(%s AS %s) AS %s", g, txt, g))
		gJoin = append(gJoin, "s."+g)
	}
	withG := func(prefix string, list []string) string {
		if len(list) == 0 {
			return ""
		}
		return prefix + strings.Join(list, ", ")
	}
	var sb strings.Builder
	sb.WriteString("WITH r AS (" + b.relation([]string{"leaf_ord", "kind", "v1", "v2", "prec", "excl"}, rules) + "),\n")
	sb.WriteString("cl AS (" + b.relation([]string{"leaf_ord", "node_ord", "sgn"}, closure) + "),\n")
	sb.WriteString("src AS (SELECT " + codeExpr + " AS code" + withG(", ", gSel) + ", COUNT(*) AS n, SUM(s." + q(in.Value) + ") AS amt FROM " + dialect.QuoteQualified(d, in.Table) + " s GROUP BY " + codeExpr + withG(", ", gGroup) + "),\n")
	sb.WriteString("codes AS (SELECT DISTINCT code FROM src WHERE code IS NOT NULL),\n")
	sb.WriteString("m AS (")
	for i, kind := range []string{"E", "R", "P", "G"} {
		if i > 0 {
			sb.WriteString("\n  UNION ALL ")
		}
		sb.WriteString("SELECT c.code, r.leaf_ord, r.prec, r.excl FROM codes c JOIN r ON r.kind = '" + kind + "' AND " + conds[kind])
	}
	sb.WriteString("),\n")
	sb.WriteString("inc AS (SELECT code, leaf_ord, MIN(prec) AS prec FROM m WHERE excl = 0 GROUP BY code, leaf_ord),\n")
	sb.WriteString("ok AS (SELECT i.code, i.leaf_ord, i.prec FROM inc i WHERE NOT EXISTS (SELECT 1 FROM m x WHERE x.excl = 1 AND x.code = i.code AND x.leaf_ord = i.leaf_ord)),\n")
	sb.WriteString("win AS (SELECT code, leaf_ord FROM (SELECT code, leaf_ord, ROW_NUMBER() OVER (PARTITION BY code ORDER BY prec, leaf_ord) AS rn FROM ok) ranked WHERE rn = 1),\n")
	sb.WriteString("la AS (SELECT w.leaf_ord" + withG(", ", gJoin) + ", SUM(s.amt) AS amt FROM src s JOIN win w ON w.code = s.code GROUP BY w.leaf_ord" + withG(", ", gJoin) + "),\n")
	la := make([]string, len(gCols))
	for i, g := range gCols {
		la[i] = "la." + g
	}
	sb.WriteString("nv AS (SELECT cl.node_ord" + withG(", ", la) + ", SUM(la.amt * cl.sgn) AS amt FROM la JOIN cl ON cl.leaf_ord = la.leaf_ord GROUP BY cl.node_ord" + withG(", ", la) + "),\n")
	sb.WriteString("um AS (SELECT " + strings.Join(append(append([]string{}, gJoin...), "SUM(s.amt) AS amt, SUM(s.n) AS n"), ", ") + " FROM src s WHERE NOT EXISTS (SELECT 1 FROM win w WHERE w.code = s.code)" + withG(" GROUP BY ", gJoin) + "),\n")
	sb.WriteString("tot AS (SELECT " + strings.Join(append(append([]string{}, gJoin...), "SUM(s.amt) AS amt, SUM(s.n) AS n"), ", ") + " FROM src s" + withG(" GROUP BY ", gJoin) + ")\n")
	sel := func(kind, ord, from string, n string) string {
		return "SELECT '" + kind + "' AS k, " + ord + " AS ord" + withG(", ", gOut) + ", amt, " + n + " AS n FROM " + from
	}
	sb.WriteString(sel("N", "node_ord", "nv", "0") + "\nUNION ALL " + sel("U", "-1", "um", "n") + "\nUNION ALL " + sel("T", "-1", "tot", "n"))
	return sb.String(), b.args, nil
}

func buildRollupResult(h *Hierarchy, in RollupInput, p *rollupPlan, res *connector.Result) (*RollupResult, error) {
	ng := len(in.By)
	out := &RollupResult{Hierarchy: h.ID, Version: h.Version, Column: in.Column, Groups: append([]string{}, in.By...), GroupKeys: [][]string{}}
	type row struct {
		kind string
		ord  int
		key  string
		amt  float64
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
		if x.amt, x.has, err = toFloat(r[2+ng]); err != nil {
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
	vals := make([][]*float64, len(p.nodes))
	for i := range vals {
		vals[i] = make([]*float64, len(sorted))
	}
	for _, x := range rows {
		g, ok := gi[x.key]
		if !ok {
			continue
		}
		switch x.kind {
		case "N":
			if x.ord >= 0 && x.ord < len(p.nodes) && x.has {
				v := x.amt
				vals[x.ord][g] = &v
			}
		case "U":
			out.Unmapped[g] = GroupTotal{Rows: x.n, Amount: x.amt}
		case "T":
			out.SourceTotal[g] = GroupTotal{Rows: x.n, Amount: x.amt}
		}
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
			v, ok, err := e.Eval(func(ref string) (float64, bool) {
				ro, known := p.ord[ref]
				if !known || vals[ro][g] == nil {
					return 0, false
				}
				return *vals[ro][g], true
			}, nulls)
			if err != nil {
				out.Warnings = append(out.Warnings, fmt.Sprintf("node %s, group %s: %v", code, strings.Join(out.GroupKeys[g], "/"), err))
				continue
			}
			if ok {
				vals[o][g] = &v
			}
		}
	}
	path := map[string][]string{}
	for i, n := range p.nodes {
		pp := append(append([]string{}, path[n.Parent]...), n.Code)
		path[n.Code] = pp
		line := RollupLine{Code: n.Code, Name: n.Name, Type: n.Type, Depth: p.depth[i], Path: pp, FlipSign: n.FlipSign, Values: vals[i], PresentationValues: make([]*float64, len(sorted))}
		for g, v := range vals[i] {
			if v == nil {
				continue
			}
			pv := *v
			if n.FlipSign {
				pv = -pv
			}
			line.PresentationValues[g] = &pv
		}
		out.Lines = append(out.Lines, line)
	}
	return out, nil
}
