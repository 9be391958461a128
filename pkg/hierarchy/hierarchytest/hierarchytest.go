// Package hierarchytest holds test support shared by the hierarchy and
// warehouse tests: random hierarchies and fact rows, loading facts into an
// engine, and an independent reference computation of a rollup (a naive
// loop over every rule, written apart from the Resolver and the SQL) to
// check engine results against.
package hierarchytest

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
	. "github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/testenv" //nolint:revive // the generator reads as the model's own code
)

// OpenDuckDB opens an in-memory DuckDB connection closed with the test.
func OpenDuckDB(t testing.TB) connector.Connector {
	t.Helper()
	c, err := connector.Open(context.Background(), "test", connector.Config{Type: "duckdb"})
	if err != nil {
		t.Fatalf("open duckdb: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Exec runs a statement or fails the test.
func Exec(t testing.TB, c connector.Querier, q string, args ...any) {
	t.Helper()
	if _, err := c.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("exec %.200s: %v", q, err)
	}
}

// ---- random hierarchies and facts ----

// codeAlphabet is mostly digits, with characters that are special in LIKE
// patterns and the escape character, so escaping is exercised.
const codeAlphabet = "0123456789012345678901234567890123456789AB-_%!"

// MixedAlphabet adds lower-case letters and spaces, for codes that differ
// only in case or trailing spaces (which rules must tell apart on every
// engine).
const MixedAlphabet = codeAlphabet + "abAB  "

func RandCode(rng *rand.Rand, width int) string { return randCodeFrom(rng, width, codeAlphabet) }

func randCodeFrom(rng *rand.Rand, width int, alphabet string) string {
	b := make([]byte, width)
	for i := range b {
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	if b[0] > '9' || b[0] < '0' {
		b[0] = byte('1' + rng.Intn(9))
	}
	return string(b)
}

func randWidth(rng *rand.Rand) int { return 3 + rng.Intn(3) } // 3..5

type Generated struct {
	H    *Hierarchy
	Pool []string // codes the rules are built around
	// Alphabet the codes are drawn from (codeAlphabet or MixedAlphabet).
	Alphabet string
}

func randRule(rng *rand.Rand, pool *[]string, alphabet string) Rule {
	pick := func() string {
		if len(*pool) > 0 && rng.Intn(3) > 0 {
			return (*pool)[rng.Intn(len(*pool))]
		}
		c := randCodeFrom(rng, randWidth(rng), alphabet)
		*pool = append(*pool, c)
		return c
	}
	var r Rule
	switch rng.Intn(5) {
	case 0:
		r = Rule{Match: MatchExact, Value: pick()}
	case 1:
		r = Rule{Match: MatchList}
		for i := 0; i < 2+rng.Intn(3); i++ {
			r.Values = append(r.Values, pick())
		}
	case 2:
		w := randWidth(rng)
		a, b := randCodeFrom(rng, w, alphabet), randCodeFrom(rng, w, alphabet)
		if rng.Intn(2) == 0 {
			// a narrow range around an existing code of that width
			c := pick()
			if len(c) == w {
				a = c[:w-1] + "0"
				b = c[:w-1] + "9"
			}
		}
		if a > b {
			a, b = b, a
		}
		r = Rule{Match: MatchRange, From: a, To: b}
		*pool = append(*pool, a, b)
	case 3:
		c := pick()
		r = Rule{Match: MatchPrefix, Value: c[:1+rng.Intn(min(3, len(c)))]}
	default:
		c := []byte(pick())
		switch rng.Intn(3) {
		case 0:
			c[rng.Intn(len(c))] = '?'
		case 1:
			c = append(c[:1+rng.Intn(len(c)-1)], '*')
		default:
			i := rng.Intn(len(c))
			c = append(append(append([]byte{}, c[:i]...), '*'), c[min(len(c), i+2):]...)
		}
		r = Rule{Match: MatchPattern, Value: string(c)}
	}
	switch x := rng.Intn(10); {
	case x < 2:
		r.Precedence = 2 + rng.Intn(2)
	case x < 3:
		r.Precedence = 1
	}
	return r
}

func RandHierarchy(seed int64) *Generated { return randHierarchy(seed, codeAlphabet) }

// RandHierarchyMixed is RandHierarchy with codes of MixedAlphabet: rules
// on lower- and upper-case letters, spaces, LIKE wildcards and leading
// zeros. Pair it with RandFactsMixed.
func RandHierarchyMixed(seed int64) *Generated { return randHierarchy(seed, MixedAlphabet) }

func randHierarchy(seed int64, alphabet string) *Generated {
	rng := rand.New(rand.NewSource(seed))
	h := &Hierarchy{ID: "prop", Name: "Property", Kind: KindIncomeStatement, Version: 1, Status: StatusDraft, SourceColumns: []string{"account", "cost_center"}}
	g := &Generated{H: h, Alphabet: alphabet}
	cons := func() Consolidation {
		switch x := rng.Intn(10); {
		case x < 2:
			return ConsolidateSubtract
		case x < 3:
			return ConsolidateIgnore
		case x < 4:
			return ""
		}
		return ConsolidateAdd
	}
	var containers []string
	add := func(n *Node) {
		n.Name = "Node " + n.Code
		n.Sort = 10 * (len(h.Nodes) + 1)
		n.Consolidation = cons()
		n.FlipSign = rng.Intn(5) == 0
		h.Nodes = append(h.Nodes, n)
		if n.Type == TypeRollup || n.Type == TypeLabel {
			containers = append(containers, n.Code)
		}
	}
	roots := 1 + rng.Intn(2)
	for i := 0; i < roots; i++ {
		add(&Node{Code: fmt.Sprintf("N%d", len(h.Nodes)+1), Type: TypeRollup})
	}
	total := 10 + rng.Intn(30)
	for len(h.Nodes) < total {
		n := &Node{Code: fmt.Sprintf("N%d", len(h.Nodes)+1), Parent: containers[rng.Intn(len(containers))]}
		switch x := rng.Intn(10); {
		case x < 6:
			n.Type = TypeLeaf
			for k := 0; k < 1+rng.Intn(3); k++ {
				r := randRule(rng, &g.Pool, alphabet)
				if k > 0 && rng.Intn(4) == 0 {
					r.Exclude = true
				}
				if rng.Intn(12) == 0 {
					r.Column = "cost_center" // ignored by rollups over account
				} else if rng.Intn(3) == 0 {
					r.Column = "account"
				}
				n.Rules = append(n.Rules, r)
			}
		case x < 9:
			n.Type = TypeRollup
		default:
			n.Type = TypeLabel
		}
		add(n)
	}
	// Formulas over earlier nodes (and earlier formulas).
	var refs []string
	for _, n := range h.Nodes {
		refs = append(refs, n.Code)
	}
	for i := 0; i < 1+rng.Intn(4); i++ {
		ops := []string{"+", "-", "*", "/"}
		expr := refs[rng.Intn(len(refs))]
		for k := 0; k < 1+rng.Intn(3); k++ {
			operand := refs[rng.Intn(len(refs))]
			if rng.Intn(5) == 0 {
				operand = strconv.Itoa(1 + rng.Intn(9))
			}
			expr += " " + ops[rng.Intn(len(ops))] + " " + operand
		}
		if rng.Intn(4) == 0 {
			expr = "ROUND(" + expr + ", 2)"
		}
		nulls := []NullHandling{"", NullAsZero, NullSkip, NullError}[rng.Intn(4)]
		parent := ""
		if rng.Intn(2) == 0 {
			parent = containers[rng.Intn(len(containers))]
		}
		n := &Node{Code: fmt.Sprintf("N%d", len(h.Nodes)+1), Parent: parent, Type: TypeFormula, Formula: &Formula{Expression: expr, Nulls: nulls}}
		add(n)
		if CheckFormula(h, n.Code) != nil {
			// It references a total it would belong to: put it at the top
			// level (after the draws, so the rest of the data stays the same).
			n.Parent = ""
		}
		refs = append(refs, n.Code)
	}
	return g
}

type FactRow struct {
	Code           *string
	Period, Entity string
	Cents          int64
}

func RandFacts(seed int64, pool []string) []FactRow { return randFacts(seed, pool, codeAlphabet) }

// RandFactsMixed draws facts for a RandHierarchyMixed hierarchy: besides
// RandFacts' codes, the pool's codes in other case, with a trailing or
// leading space, and with a leading zero.
func RandFactsMixed(seed int64, g *Generated) []FactRow {
	rows := randFacts(seed, g.Pool, g.Alphabet)
	rng := rand.New(rand.NewSource(seed * 104729))
	for i := range rows {
		if rows[i].Code == nil || rng.Intn(3) > 0 {
			continue
		}
		c := *rows[i].Code
		switch rng.Intn(5) {
		case 0:
			c = strings.ToUpper(c)
		case 1:
			c = strings.ToLower(c)
		case 2:
			c += " "
		case 3:
			c = " " + c
		default:
			c = "0" + c
		}
		rows[i].Code = &c
	}
	return rows
}

func randFacts(seed int64, pool []string, alphabet string) []FactRow {
	rng := rand.New(rand.NewSource(seed * 7919))
	n := 200 + rng.Intn(600)
	periods := []string{"2024-01", "2024-02", "2024-03"}
	entities := []string{"E1", "E2"}
	var out []FactRow
	for i := 0; i < n; i++ {
		var code string
		switch x := rng.Intn(10); {
		case x < 6 && len(pool) > 0:
			code = pool[rng.Intn(len(pool))]
			if rng.Intn(3) == 0 { // a neighbour: change the last character or add one
				b := []byte(code)
				if rng.Intn(2) == 0 {
					b[len(b)-1] = alphabet[rng.Intn(len(alphabet))]
				} else {
					b = append(b, '0')
				}
				code = string(b)
			}
		default:
			code = randCodeFrom(rng, 2+rng.Intn(5), alphabet)
		}
		r := FactRow{Period: periods[rng.Intn(len(periods))], Entity: entities[rng.Intn(len(entities))], Cents: int64(rng.Intn(2000001) - 1000000)}
		if rng.Intn(50) != 0 {
			r.Code = &code
		}
		out = append(out, r)
	}
	return out
}

func LoadFacts(t testing.TB, c connector.Connector, table string, rows []FactRow) {
	t.Helper()
	d := c.Dialect()
	Exec(t, c, "CREATE TABLE "+table+" (account VARCHAR(20), cost_center VARCHAR(20), period VARCHAR(10), entity VARCHAR(10), amount DECIMAL(18,2))")
	for start := 0; start < len(rows); start += 500 {
		var vals []string
		var args []any
		for _, r := range rows[start:min(len(rows), start+500)] {
			var code any
			if r.Code != nil {
				code = *r.Code
			}
			n := len(args)
			vals = append(vals, fmt.Sprintf("(CAST(%s AS %s), 'CC1', %s, %s, CAST(%s AS DECIMAL(18,2)))", dialect.Placeholder(d, n+1), dialect.TextType(d), dialect.Placeholder(d, n+2), dialect.Placeholder(d, n+3), dialect.Placeholder(d, n+4)))
			args = append(args, code, r.Period, r.Entity, fmt.Sprintf("%.2f", float64(r.Cents)/100))
		}
		Exec(t, c, "INSERT INTO "+table+" VALUES "+strings.Join(vals, ", "), args...)
	}
}

// ---- the independent reference ----

// globMatch matches * and ? against runes, recursively.
func globMatch(p, s []rune) bool {
	if len(p) == 0 {
		return len(s) == 0
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return len(s) > 0 && globMatch(p[1:], s[1:])
	}
	return len(s) > 0 && s[0] == p[0] && globMatch(p[1:], s[1:])
}

func NaiveRuleMatch(r Rule, code string) bool {
	switch r.Match {
	case MatchExact:
		return code == r.Value
	case MatchList:
		for _, v := range r.Values {
			if v == code {
				return true
			}
		}
	case MatchRange:
		return utf8.RuneCountInString(code) == utf8.RuneCountInString(r.From) && r.From <= code && code <= r.To
	case MatchPrefix:
		return strings.HasPrefix(code, r.Value)
	case MatchPattern:
		return globMatch([]rune(r.Value), []rune(code))
	}
	return false
}

// NaiveResolve loops over every leaf and rule: the winner and how many
// leaves tie in the winning group.
// With the hierarchy's matching option, codes and rule operands are
// first trimmed of spaces and upper-cased (written here apart from
// Matching.Key).
func NaiveResolve(h *Hierarchy, column, code string) (string, int) {
	norm := func(s string) string { return s }
	if m := h.Matching; m != nil {
		norm = func(s string) string {
			if m.Trim {
				s = strings.TrimLeft(strings.TrimRight(s, " "), " ")
			}
			if m.Case == CaseInsensitive {
				s = strings.ToUpper(s)
			}
			return s
		}
	}
	code = norm(code)
	best, winner, n := math.MaxInt, "", 0
	for _, leaf := range h.Leaves() {
		lp, excl := math.MaxInt, false
		for _, r := range leaf.Rules {
			r.Value, r.From, r.To = norm(r.Value), norm(r.From), norm(r.To)
			vals := make([]string, len(r.Values))
			for i, v := range r.Values {
				vals[i] = norm(v)
			}
			r.Values = vals
			if h.RuleColumn(r) != column || !NaiveRuleMatch(r, code) {
				continue
			}
			if r.Exclude {
				excl = true
			} else if p := r.EffectivePrecedence(); p < lp {
				lp = p
			}
		}
		if excl || lp == math.MaxInt {
			continue
		}
		switch {
		case lp < best:
			best, winner, n = lp, leaf.Code, 1
		case lp == best:
			n++
		}
	}
	return winner, n
}

type refResult struct {
	keys     []string                    // sorted group keys period\x00entity
	vals     map[string]map[string]int64 // node -> key -> cents
	unmapped map[string][2]int64         // key -> rows, cents
	total    map[string][2]int64
}

func referenceRollup(h *Hierarchy, rows []FactRow) *refResult {
	res := &refResult{vals: map[string]map[string]int64{}, unmapped: map[string][2]int64{}, total: map[string][2]int64{}}
	idx := h.Index()
	cache := map[string]string{}
	for _, r := range rows {
		key := r.Period + "\x00" + r.Entity
		t := res.total[key]
		res.total[key] = [2]int64{t[0] + 1, t[1] + r.Cents}
		leaf := ""
		if r.Code != nil {
			l, ok := cache[*r.Code]
			if !ok {
				l, _ = NaiveResolve(h, "account", *r.Code)
				cache[*r.Code] = l
			}
			leaf = l
		}
		if leaf == "" {
			u := res.unmapped[key]
			res.unmapped[key] = [2]int64{u[0] + 1, u[1] + r.Cents}
			continue
		}
		addTo := func(node string, v int64) {
			if res.vals[node] == nil {
				res.vals[node] = map[string]int64{}
			}
			res.vals[node][key] += v
		}
		addTo(leaf, r.Cents)
		sign := int64(idx[leaf].Consolidation.Sign())
		for p := idx[leaf].Parent; p != ""; p = idx[p].Parent {
			if idx[p].Type == TypeRollup {
				addTo(p, sign*r.Cents)
			}
			sign *= int64(idx[p].Consolidation.Sign())
		}
	}
	for k := range res.total {
		res.keys = append(res.keys, k)
	}
	sort.Strings(res.keys)
	return res
}

func CloseEnough(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// Near reports whether an exact amount is within half a unit of the
// RatioScale-th decimal of want (a formula value written rounded there);
// exact amounts (sums) are compared with Cmp instead.
func Near(a Amount, want *big.Rat) bool {
	d := new(big.Rat).Sub(a.Rat(), want)
	return d.Abs(d).Cmp(new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(RatioScale), nil))) <= 0
}

// AmountFloat is an amount as a float64, to compare with a value a
// warehouse returned as DOUBLE.
func AmountFloat(a Amount) float64 {
	f, _ := a.Rat().Float64()
	return f
}

// SameAsDouble compares a rollup value with a deployed statement's value
// read as DOUBLE PRECISION: a sum to the double's last bits (relative
// 1e-12, far below a cent for any amount under 10^9), a formula (which
// DT_3 computes in DOUBLE) with CloseEnough.
func SameAsDouble(a Amount, f float64, formula bool) bool {
	af := AmountFloat(a)
	if formula {
		return CloseEnough(af, f)
	}
	return math.Abs(af-f) <= 1e-12*math.Max(1, math.Abs(f))
}

// CheckRollup compares an engine rollup with the reference: sums exactly
// (as decimals), formulas to RatioScale decimals (they are written
// rounded there).
func CheckRollup(t *testing.T, seed int64, h *Hierarchy, rows []FactRow, got *RollupResult) {
	t.Helper()
	ref := referenceRollup(h, rows)
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d: "+format, append([]any{seed}, args...)...)
	}
	if len(got.GroupKeys) != len(ref.keys) {
		fail("%d group keys, want %d", len(got.GroupKeys), len(ref.keys))
	}
	for g, k := range got.GroupKeys {
		if strings.Join(k, "\x00") != ref.keys[g] {
			fail("group %d = %v, want %q", g, k, ref.keys[g])
		}
	}
	cents := func(c int64) *big.Rat { return big.NewRat(c, 100) }
	// Formulas: evaluate over the reference values with the same Eval.
	refVals := map[string][]*big.Rat{}
	for _, n := range h.Nodes {
		vs := make([]*big.Rat, len(ref.keys))
		if m, ok := ref.vals[n.Code]; ok {
			for g, k := range ref.keys {
				if c, ok := m[k]; ok {
					vs[g] = cents(c)
				}
			}
		}
		refVals[n.Code] = vs
	}
	order, err := FormulaOrder(h)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range order {
		n := h.Node(code)
		e, err := ParseFormula(n.Formula.Expression)
		if err != nil {
			t.Fatal(err)
		}
		for g := range ref.keys {
			v, ok, err := e.Eval(func(r string) (*big.Rat, bool) {
				if p := refVals[r][g]; p != nil {
					return p, true
				}
				return nil, false
			}, n.Formula.Nulls)
			if err == nil && ok {
				refVals[code][g] = v
			}
		}
	}
	seen := 0
	leafSum := make([]*big.Rat, len(ref.keys))
	for g := range leafSum {
		leafSum[g] = new(big.Rat)
	}
	for _, line := range got.Lines {
		seen++
		want := refVals[line.Code]
		for g := range ref.keys {
			a, b := line.Values[g], want[g]
			if (a == nil) != (b == nil) {
				fail("node %s (%s) group %q: got %v, want %v", line.Code, line.Type, ref.keys[g], Fmtp(a), b)
			}
			if a != nil && line.Type != TypeFormula && a.Rat().Cmp(b) != 0 {
				fail("node %s (%s) group %q: got %v, want %v (exactly)", line.Code, line.Type, ref.keys[g], a, b.FloatString(12))
			}
			if a != nil && line.Type == TypeFormula && !Near(*a, b) {
				fail("node %s (%s) group %q: got %v, want %v", line.Code, line.Type, ref.keys[g], a, b.FloatString(12))
			}
			if a != nil {
				pv := *a
				if line.FlipSign {
					pv = pv.Neg()
				}
				if p := line.PresentationValues[g]; p == nil || p.String() != pv.String() {
					fail("node %s: presentation value %v for value %v (flip %v)", line.Code, Fmtp(p), a, line.FlipSign)
				}
			}
			if line.Type == TypeLeaf && a != nil {
				leafSum[g].Add(leafSum[g], a.Rat())
			}
		}
	}
	if seen != len(h.Nodes) {
		fail("%d lines, want %d", seen, len(h.Nodes))
	}
	for g, k := range ref.keys {
		u, tot := ref.unmapped[k], ref.total[k]
		if got.Unmapped[g].Rows != u[0] || got.Unmapped[g].Amount.Rat().Cmp(cents(u[1])) != 0 {
			fail("unmapped %q = %+v, want %v", k, got.Unmapped[g], u)
		}
		if got.SourceTotal[g].Rows != tot[0] || got.SourceTotal[g].Amount.Rat().Cmp(cents(tot[1])) != 0 {
			fail("total %q = %+v, want %v", k, got.SourceTotal[g], tot)
		}
		if s := new(big.Rat).Add(leafSum[g], got.Unmapped[g].Amount.Rat()); s.Cmp(got.SourceTotal[g].Amount.Rat()) != 0 {
			fail("group %q does not tie out: leaves %v + unmapped %v != total %v", k, leafSum[g].FloatString(2), got.Unmapped[g].Amount, got.SourceTotal[g].Amount)
		}
	}
}

// Fmtp writes an amount exactly, without trailing zeros ("1", "-117.05"),
// or "nil".
func Fmtp(p *Amount) string {
	if p == nil {
		return "nil"
	}
	return p.Decimal().String()
}

// BenchPL builds a ~500-node P&L over 6-character account codes: 4 roots
// (revenue, cost of sales, operating expenses, other), 80 rollups, 400
// leaves (mostly ranges of 1000 accounts, some prefixes, lists, patterns,
// exclusions and precedence overrides) and formula lines.
func BenchPL() *Hierarchy {
	h := &Hierarchy{ID: "pl", Name: "P&L", Kind: KindIncomeStatement, Version: 1, Status: StatusDraft, SourceColumns: []string{"account"}}
	add := func(n *Node) {
		n.Name = "Node " + n.Code
		n.Sort = len(h.Nodes)
		h.Nodes = append(h.Nodes, n)
	}
	roots := []string{"REV", "COGS", "OPEX", "OTHER"}
	for i, r := range roots {
		add(&Node{Code: r, Type: TypeRollup, Consolidation: []Consolidation{"+", "-", "-", "+"}[i], FlipSign: i == 0})
	}
	for g := 0; g < 80; g++ {
		add(&Node{Code: fmt.Sprintf("G%d", g), Parent: roots[g%4], Type: TypeRollup, Consolidation: []Consolidation{"+", "+", "-", "~"}[g%4]})
	}
	for l := 0; l < 400; l++ {
		block := fmt.Sprintf("%03d", 100+l) // accounts block000..block999
		n := &Node{Code: fmt.Sprintf("A%d", l), Parent: fmt.Sprintf("G%d", l%80), Type: TypeLeaf}
		switch l % 10 {
		case 0, 1, 2, 3, 4:
			n.Rules = []Rule{{Match: MatchRange, From: block + "000", To: block + "999"}}
		case 5:
			n.Rules = []Rule{{Match: MatchRange, From: block + "000", To: block + "999"}, {Match: MatchPrefix, Value: block + "5", Exclude: true}}
		case 6:
			n.Rules = []Rule{{Match: MatchPrefix, Value: block}}
		case 7:
			n.Rules = []Rule{{Match: MatchList, Values: []string{block + "000", block + "010", block + "020"}}, {Match: MatchRange, From: block + "030", To: block + "999"}}
		case 8:
			n.Rules = []Rule{{Match: MatchPattern, Value: block + "?*"}}
		case 9:
			n.Rules = []Rule{{Match: MatchRange, From: block + "000", To: block + "999"}, {Match: MatchExact, Value: fmt.Sprintf("%03d777", 100+l-1), Precedence: 0}, {Match: MatchRange, From: block + "900", To: block + "999", Exclude: true}}
		}
		add(n)
	}
	add(&Node{Code: "GP", Type: TypeFormula, Formula: &Formula{Expression: "REV - COGS"}})
	add(&Node{Code: "EBIT", Type: TypeFormula, Formula: &Formula{Expression: "GP - OPEX"}})
	add(&Node{Code: "NI", Type: TypeFormula, Formula: &Formula{Expression: "EBIT + OTHER"}})
	add(&Node{Code: "GM", Type: TypeFormula, Formula: &Formula{Expression: "GP / REV * 100", Nulls: NullSkip}})
	for len(h.Nodes) < 500 {
		add(&Node{Code: fmt.Sprintf("K%d", len(h.Nodes)), Type: TypeFormula, Formula: &Formula{Expression: fmt.Sprintf("G%d / G%d", len(h.Nodes)%80, (len(h.Nodes)+1)%80)}})
	}
	return h
}

// Engine is a real engine to run a test on, with a fresh schema
// (PostgreSQL) or database (MySQL/MariaDB) dropped with the test; Schema
// is "" on DuckDB.
type Engine struct {
	Name   string
	Conn   connector.Connector
	Schema string
}

// Table qualifies a table name with the engine's schema.
func (e Engine) Table(name string) string {
	if e.Schema == "" {
		return name
	}
	return e.Schema + "." + name
}

// Engines opens DuckDB (in memory) and, when their test URLs are set,
// PostgreSQL and MySQL/MariaDB (testenv.Need skips or fails a sub-test
// otherwise: callers run each engine in t.Run). The connector packages
// must be registered by the caller's imports.
func Engines() []string { return []string{dialect.DuckDB, dialect.Postgres, dialect.MySQL} }

// OpenEngine opens one engine of Engines for t (skipping, or failing
// under DATABRIDGE_REQUIRE_ENGINES, when its URL is not set).
func OpenEngine(t *testing.T, name string) Engine {
	t.Helper()
	ctx := context.Background()
	suffix := strconv.FormatInt(rand.Int63(), 36)
	switch name {
	case dialect.DuckDB:
		return Engine{Name: name, Conn: OpenDuckDB(t)}
	case dialect.Postgres:
		testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
		c, err := connector.Open(ctx, "pgtest", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
		if err != nil {
			t.Fatal(err)
		}
		schema := "hiertest_" + suffix
		Exec(t, c, "CREATE SCHEMA "+schema)
		t.Cleanup(func() {
			Exec(t, c, "DROP SCHEMA "+schema+" CASCADE")
			c.Close()
		})
		return Engine{Name: name, Conn: c, Schema: schema}
	case dialect.MySQL:
		testenv.Need(t, testenv.MySQLURL, "MySQL/MariaDB")
		db := "hiertest_" + suffix
		c, err := connector.Open(ctx, "mytest", connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}", Schema: db})
		if err != nil {
			t.Fatal(err)
		}
		Exec(t, c, "CREATE DATABASE `"+db+"`")
		t.Cleanup(func() {
			Exec(t, c, "DROP DATABASE IF EXISTS `"+db+"`")
			c.Close()
		})
		return Engine{Name: name, Conn: c, Schema: db}
	}
	t.Fatalf("unknown engine %s", name)
	return Engine{}
}
