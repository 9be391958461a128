// Package hierarchy models financial reporting hierarchies — P&L, balance
// sheet, cost centres and other trees — whose leaves map source codes
// through rules, with formula lines, versions, validation and rollups. A
// hierarchy is stored as YAML in .databridge/hierarchies/<id>.yaml so a
// person can review and commit it.
package hierarchy

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Kind is what a hierarchy represents.
type Kind string

// Hierarchy kinds.
const (
	KindIncomeStatement Kind = "income_statement"
	KindBalanceSheet    Kind = "balance_sheet"
	KindCashFlow        Kind = "cash_flow"
	KindCostCenter      Kind = "cost_center"
	KindProfitCenter    Kind = "profit_center"
	KindLegalEntity     Kind = "legal_entity"
	KindGeography       Kind = "geography"
	KindProduct         Kind = "product"
	KindCustom          Kind = "custom"
)

// Kinds lists every kind.
var Kinds = []Kind{KindIncomeStatement, KindBalanceSheet, KindCashFlow, KindCostCenter, KindProfitCenter, KindLegalEntity, KindGeography, KindProduct, KindCustom}

// Status of a hierarchy version.
type Status string

// Statuses: a published version is immutable; editing starts a new draft.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
)

// NodeType is the role of a node.
type NodeType string

// Node types.
const (
	// Rollup sums its children (with their consolidation signs).
	TypeRollup NodeType = "rollup"
	// Leaf carries mapping rules that attach source codes to it.
	TypeLeaf NodeType = "leaf"
	// Formula is computed from other nodes by an expression.
	TypeFormula NodeType = "formula"
	// Label is a heading with no value.
	TypeLabel NodeType = "label"
)

// Consolidation says how a node contributes to its parent.
type Consolidation string

// Consolidation operators.
const (
	ConsolidateAdd      Consolidation = "+"
	ConsolidateSubtract Consolidation = "-"
	ConsolidateIgnore   Consolidation = "~"
)

// Sign returns +1, -1 or 0 for the operator ("" counts as +).
func (c Consolidation) Sign() int {
	switch c {
	case ConsolidateSubtract:
		return -1
	case ConsolidateIgnore:
		return 0
	}
	return 1
}

// Hierarchy is one reporting tree at one version.
type Hierarchy struct {
	ID          string `json:"id" yaml:"id"`
	Name        string `json:"name" yaml:"name"`
	Kind        Kind   `json:"kind" yaml:"kind"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	Version     int    `json:"version" yaml:"version"`
	Status      Status `json:"status" yaml:"status"`
	// SourceColumns are the source columns the leaves map (e.g. account);
	// a rule without a column uses the first.
	SourceColumns []string `json:"source_columns,omitempty" yaml:"source_columns,omitempty"`
	// Matching says how the rules compare source codes (default: exactly
	// as written; see Matching).
	Matching *Matching `json:"matching,omitempty" yaml:"matching,omitempty"`
	// Template names the template the hierarchy was created from, if any.
	Template    string     `json:"template,omitempty" yaml:"template,omitempty"`
	CreatedAt   time.Time  `json:"created_at" yaml:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at" yaml:"updated_at"`
	PublishedAt *time.Time `json:"published_at,omitempty" yaml:"published_at,omitempty"`
	// Nodes in storage order: parents before children, siblings by Sort.
	Nodes []*Node `json:"nodes" yaml:"nodes"`
}

// Node is one line of the hierarchy.
type Node struct {
	Code   string   `json:"code" yaml:"code"`
	Name   string   `json:"name" yaml:"name"`
	Parent string   `json:"parent,omitempty" yaml:"parent,omitempty"`
	Sort   int      `json:"sort" yaml:"sort"`
	Type   NodeType `json:"type" yaml:"type"`
	// Consolidation: + adds to the parent (default), - subtracts, ~ does
	// not roll up.
	Consolidation Consolidation `json:"consolidation,omitempty" yaml:"consolidation,omitempty"`
	// FlipSign flips the sign for presentation only (amounts are stored
	// with their natural sign: revenue as a credit is negative).
	FlipSign   bool              `json:"flip_sign,omitempty" yaml:"flip_sign,omitempty"`
	Formula    *Formula          `json:"formula,omitempty" yaml:"formula,omitempty"`
	Rules      []Rule            `json:"rules,omitempty" yaml:"rules,omitempty"`
	Properties map[string]string `json:"properties,omitempty" yaml:"properties,omitempty"`
}

// NullHandling says what a formula does with a referenced node that has no
// value (no data for that group).
type NullHandling string

// Null handling modes.
const (
	NullAsZero NullHandling = "zero"  // treat as 0 (default)
	NullSkip   NullHandling = "skip"  // the formula yields no value
	NullError  NullHandling = "error" // evaluation fails
)

// Formula is the expression of a formula node, over node codes.
type Formula struct {
	Expression string `json:"expression" yaml:"expression"`
	// Nulls: zero (default), skip or error.
	Nulls NullHandling `json:"nulls,omitempty" yaml:"nulls,omitempty"`
}

// MatchType is how a rule matches source codes.
type MatchType string

// Match types.
const (
	MatchExact   MatchType = "exact"
	MatchList    MatchType = "list"
	MatchRange   MatchType = "range"
	MatchPrefix  MatchType = "prefix"
	MatchPattern MatchType = "pattern"
)

// MatchTypes lists every match type.
var MatchTypes = []MatchType{MatchExact, MatchList, MatchRange, MatchPrefix, MatchPattern}

// Rule maps source codes to a leaf.
//
//   - exact: Value equals the code.
//   - list: the code is one of Values.
//   - range: From <= code <= To. Codes are compared as text of the same
//     width: From and To must have the same number of characters and a code
//     matches only if it has that many too, so '41000' is not in
//     '4000'–'4999'.
//   - prefix: the code starts with Value.
//   - pattern: Value is a pattern where * matches any run of characters
//     and ? exactly one (e.g. '4*-US').
//
// Exclude rules remove codes from the same leaf's includes. Precedence
// groups resolve overlaps between leaves: a code goes to the leaf whose
// matching rule has the lowest precedence number; two leaves matching in
// the same group is a validation error.
type Rule struct {
	Column     string    `json:"column,omitempty" yaml:"column,omitempty"`
	Match      MatchType `json:"match" yaml:"match"`
	Value      string    `json:"value,omitempty" yaml:"value,omitempty"`
	Values     []string  `json:"values,omitempty" yaml:"values,omitempty"`
	From       string    `json:"from,omitempty" yaml:"from,omitempty"`
	To         string    `json:"to,omitempty" yaml:"to,omitempty"`
	Exclude    bool      `json:"exclude,omitempty" yaml:"exclude,omitempty"`
	Precedence int       `json:"precedence,omitempty" yaml:"precedence,omitempty"`
}

// DefaultPrecedence is the precedence of a rule that names none.
const DefaultPrecedence = 1

// EffectivePrecedence returns the rule's precedence group.
func (r Rule) EffectivePrecedence() int {
	if r.Precedence == 0 {
		return DefaultPrecedence
	}
	return r.Precedence
}

// String renders a rule compactly: "account 4000..4999", "account in
// (4100, 4200)", "not account 4500".
func (r Rule) String() string {
	col := r.Column
	if col == "" {
		col = "*"
	}
	var s string
	switch r.Match {
	case MatchExact:
		s = fmt.Sprintf("%s = %s", col, r.Value)
	case MatchList:
		s = fmt.Sprintf("%s in (%s)", col, strings.Join(r.Values, ", "))
	case MatchRange:
		s = fmt.Sprintf("%s %s..%s", col, r.From, r.To)
	case MatchPrefix:
		s = fmt.Sprintf("%s starts with %s", col, r.Value)
	case MatchPattern:
		s = fmt.Sprintf("%s like %s", col, r.Value)
	default:
		s = fmt.Sprintf("%s %s %s", col, r.Match, r.Value)
	}
	if r.Exclude {
		s = "not " + s
	}
	if p := r.EffectivePrecedence(); p != DefaultPrecedence {
		s += fmt.Sprintf(" [precedence %d]", p)
	}
	return s
}

// CheckRule validates one rule on its own (not against other rules).
func CheckRule(r Rule) error {
	switch r.Match {
	case MatchExact, MatchPrefix, MatchPattern:
		if r.Value == "" {
			return fmt.Errorf("%s rule needs a value", r.Match)
		}
	case MatchList:
		if len(r.Values) == 0 {
			return fmt.Errorf("list rule needs values")
		}
	case MatchRange:
		if r.From == "" || r.To == "" {
			return fmt.Errorf("range rule needs from and to")
		}
		if len(r.From) != len(r.To) {
			return fmt.Errorf("range %s..%s: from and to must have the same width (%d and %d characters); codes are compared as text of equal width, so split it into one range per width", r.From, r.To, len(r.From), len(r.To))
		}
		if r.From > r.To {
			return fmt.Errorf("range %s..%s: from is greater than to", r.From, r.To)
		}
	case "":
		return fmt.Errorf("rule needs a match type (%s)", joinMatch())
	default:
		return fmt.Errorf("unknown match type %q (%s)", r.Match, joinMatch())
	}
	if r.Precedence < 0 {
		return fmt.Errorf("precedence must be positive")
	}
	return nil
}

func joinMatch() string {
	var s []string
	for _, m := range MatchTypes {
		s = append(s, string(m))
	}
	return strings.Join(s, ", ")
}

var (
	idRe   = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	codeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$`)
)

// ValidID checks a hierarchy id: lower-case letters, digits and _, starting
// with a letter (it names a file and, later, warehouse objects).
func ValidID(id string) error {
	if !idRe.MatchString(id) {
		return fmt.Errorf("hierarchy id %q is not valid: use lower-case letters, digits and _, starting with a letter (at most 63)", id)
	}
	return nil
}

// ValidCode checks a node code: letters, digits, _ . -, starting with a
// letter or digit. Codes appear in formulas, so no spaces or operators.
func ValidCode(code string) error {
	if !codeRe.MatchString(code) {
		return fmt.Errorf("node code %q is not valid: use letters, digits, _ . and -, starting with a letter or digit (at most 100)", code)
	}
	return nil
}

// IDFromName derives a hierarchy id from a display name.
func IDFromName(name string) string {
	var b strings.Builder
	lastUnderscore := true
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			lastUnderscore = false
		default:
			if !lastUnderscore {
				b.WriteByte('_')
				lastUnderscore = true
			}
		}
	}
	id := strings.Trim(b.String(), "_")
	if id == "" || (id[0] >= '0' && id[0] <= '9') {
		id = "h_" + id
	}
	if len(id) > 63 {
		id = strings.TrimRight(id[:63], "_")
	}
	return id
}

// Node returns the node with the code, or nil.
func (h *Hierarchy) Node(code string) *Node {
	for _, n := range h.Nodes {
		if n.Code == code {
			return n
		}
	}
	return nil
}

// Index maps codes to nodes.
func (h *Hierarchy) Index() map[string]*Node {
	m := make(map[string]*Node, len(h.Nodes))
	for _, n := range h.Nodes {
		m[n.Code] = n
	}
	return m
}

// Children returns parent code → children sorted by Sort then storage
// order. Roots are under "".
func (h *Hierarchy) Children() map[string][]*Node {
	out := map[string][]*Node{}
	for _, n := range h.Nodes {
		out[n.Parent] = append(out[n.Parent], n)
	}
	for _, kids := range out {
		sort.SliceStable(kids, func(i, j int) bool { return kids[i].Sort < kids[j].Sort })
	}
	return out
}

// Roots returns the nodes without a parent, in order.
func (h *Hierarchy) Roots() []*Node { return h.Children()[""] }

// Walk visits nodes depth-first in tree order with their depth (roots are
// depth 0). Nodes unreachable from a root (orphans, cycles) are not
// visited. fn returning false skips the node's children.
func (h *Hierarchy) Walk(fn func(n *Node, depth int) bool) {
	kids := h.Children()
	seen := map[string]bool{}
	var visit func(n *Node, d int)
	visit = func(n *Node, d int) {
		if seen[n.Code] {
			return
		}
		seen[n.Code] = true
		if !fn(n, d) {
			return
		}
		for _, c := range kids[n.Code] {
			visit(c, d+1)
		}
	}
	for _, r := range kids[""] {
		visit(r, 0)
	}
}

// Ancestors returns the codes from the node's parent up to its root. It
// stops at a cycle.
func (h *Hierarchy) Ancestors(code string) []string {
	idx := h.Index()
	var out []string
	seen := map[string]bool{code: true}
	n := idx[code]
	for n != nil && n.Parent != "" && !seen[n.Parent] {
		out = append(out, n.Parent)
		seen[n.Parent] = true
		n = idx[n.Parent]
	}
	return out
}

// Descendants returns all codes below the node, depth-first in order.
func (h *Hierarchy) Descendants(code string) []string {
	kids := h.Children()
	var out []string
	seen := map[string]bool{code: true}
	var visit func(c string)
	visit = func(c string) {
		for _, k := range kids[c] {
			if seen[k.Code] {
				continue
			}
			seen[k.Code] = true
			out = append(out, k.Code)
			visit(k.Code)
		}
	}
	visit(code)
	return out
}

// Depth returns the node's depth (0 for a root).
func (h *Hierarchy) Depth(code string) int { return len(h.Ancestors(code)) }

// Leaves returns the leaf nodes in tree order.
func (h *Hierarchy) Leaves() []*Node {
	var out []*Node
	h.Walk(func(n *Node, _ int) bool {
		if n.Type == TypeLeaf {
			out = append(out, n)
		}
		return true
	})
	return out
}

// Clone returns a deep copy.
func (h *Hierarchy) Clone() *Hierarchy {
	c := *h
	if h.PublishedAt != nil {
		t := *h.PublishedAt
		c.PublishedAt = &t
	}
	c.SourceColumns = append([]string(nil), h.SourceColumns...)
	if h.Matching != nil {
		m := *h.Matching
		c.Matching = &m
	}
	c.Nodes = make([]*Node, len(h.Nodes))
	for i, n := range h.Nodes {
		c.Nodes[i] = n.Clone()
	}
	return &c
}

// Clone returns a deep copy of the node.
func (n *Node) Clone() *Node {
	c := *n
	if n.Formula != nil {
		f := *n.Formula
		c.Formula = &f
	}
	c.Rules = make([]Rule, len(n.Rules))
	for i, r := range n.Rules {
		r.Values = append([]string(nil), r.Values...)
		c.Rules[i] = r
	}
	if len(c.Rules) == 0 {
		c.Rules = nil
	}
	if n.Properties != nil {
		c.Properties = make(map[string]string, len(n.Properties))
		for k, v := range n.Properties {
			c.Properties[k] = v
		}
	}
	return &c
}

// DefaultColumn is the column a rule without one maps.
func (h *Hierarchy) DefaultColumn() string {
	if len(h.SourceColumns) > 0 {
		return h.SourceColumns[0]
	}
	return ""
}

// RuleColumn returns the rule's column or the hierarchy default.
func (h *Hierarchy) RuleColumn(r Rule) string {
	if r.Column != "" {
		return r.Column
	}
	return h.DefaultColumn()
}

// Normalize puts nodes in storage order (tree order, orphans last) and
// renumbers sibling Sort values 10, 20, 30... keeping their relative order.
// An empty Matching option is dropped.
func (h *Hierarchy) Normalize() {
	if h.Matching != nil && *h.Matching == (Matching{}) {
		h.Matching = nil // nothing set: the default, not written out
	}
	var ordered []*Node
	seen := map[string]bool{}
	kids := h.Children()
	h.Walk(func(n *Node, _ int) bool {
		ordered = append(ordered, n)
		seen[n.Code] = true
		return true
	})
	for _, n := range h.Nodes {
		if !seen[n.Code] {
			ordered = append(ordered, n)
		}
	}
	for _, sibs := range kids {
		for i, s := range sibs {
			s.Sort = (i + 1) * 10
		}
	}
	h.Nodes = ordered
}
