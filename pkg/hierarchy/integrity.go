package hierarchy

import (
	"fmt"
	"sort"
	"strings"
)

// Severity of a finding.
type Severity string

// Severities: errors fail validation (exit 3); warnings do not.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Finding is one problem found in a hierarchy.
type Finding struct {
	// Code identifies the kind of problem (e.g. "cycle", "unknown_parent").
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	// Node is the node code concerned, if any.
	Node    string `json:"node,omitempty"`
	Message string `json:"message"`
	// Hint says how to fix it.
	Hint string `json:"hint,omitempty"`
	// Values lists source values concerned (unmapped codes...), if any.
	Values []string `json:"values,omitempty"`
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s [%s]", f.Message, f.Code)
	if f.Hint != "" {
		s += ": " + f.Hint
	}
	return s
}

func (f Finding) key() string { return f.Code + "|" + f.Node + "|" + f.Message }

// IntegrityError is returned when a change would leave a hierarchy
// structurally broken; the stored file is not touched.
type IntegrityError struct {
	ID       string
	Findings []Finding
}

func (e *IntegrityError) Error() string {
	var parts []string
	for _, f := range e.Findings {
		parts = append(parts, f.Message)
	}
	if len(parts) == 1 {
		return fmt.Sprintf("hierarchy %s: %s (nothing was changed)", e.ID, parts[0])
	}
	return fmt.Sprintf("hierarchy %s: %d problems (nothing was changed): %s", e.ID, len(parts), strings.Join(parts, "; "))
}

// CheckIntegrity returns the structural errors that make a hierarchy
// unusable: bad ids or codes, duplicate codes, unknown parents, cycles,
// unknown node types or consolidation operators, invalid rules, rules on
// non-leaves, and every formula problem CheckFormulas finds (formulas that
// do not parse, reference unknown nodes, themselves or their own ancestors,
// or depend on themselves through other nodes). Every mutating operation
// refuses to introduce one of these.
func CheckIntegrity(h *Hierarchy) []Finding {
	var out []Finding
	add := func(code, node, msg, hint string) {
		out = append(out, Finding{Code: code, Severity: SeverityError, Node: node, Message: msg, Hint: hint})
	}
	if err := ValidID(h.ID); err != nil {
		add("invalid_id", "", err.Error(), "rename the hierarchy")
	}
	if strings.TrimSpace(h.Name) == "" {
		add("missing_name", "", "the hierarchy has no name", "set a name")
	}
	if !knownKind(h.Kind) {
		add("unknown_kind", "", fmt.Sprintf("unknown kind %q", h.Kind), "use one of "+kindList())
	}
	if h.Status != StatusDraft && h.Status != StatusPublished {
		add("unknown_status", "", fmt.Sprintf("unknown status %q", h.Status), "use draft or published")
	}
	if err := h.CodeMatching().Check(); err != nil {
		add("invalid_matching", "", err.Error(), "set matching.case to sensitive or insensitive")
	}
	idx := map[string]*Node{}
	for _, n := range h.Nodes {
		if err := ValidCode(n.Code); err != nil {
			add("invalid_code", n.Code, err.Error(), "rename the node")
		}
		if _, dup := idx[n.Code]; dup {
			add("duplicate_code", n.Code, fmt.Sprintf("node code %s is used twice", n.Code), "node codes must be unique in a hierarchy")
			continue
		}
		idx[n.Code] = n
	}
	for _, n := range h.Nodes {
		switch n.Type {
		case TypeRollup, TypeLeaf, TypeFormula, TypeLabel:
		default:
			add("unknown_type", n.Code, fmt.Sprintf("node %s has unknown type %q", n.Code, n.Type), "use rollup, leaf, formula or label")
		}
		switch n.Consolidation {
		case "", ConsolidateAdd, ConsolidateSubtract, ConsolidateIgnore:
		default:
			add("unknown_consolidation", n.Code, fmt.Sprintf("node %s has unknown consolidation %q", n.Code, n.Consolidation), "use + (add to parent), - (subtract) or ~ (do not roll up)")
		}
		if strings.TrimSpace(n.Name) == "" {
			add("missing_name", n.Code, fmt.Sprintf("node %s has no name", n.Code), "give it a name")
		}
		if n.Parent != "" {
			if _, ok := idx[n.Parent]; !ok {
				add("unknown_parent", n.Code, fmt.Sprintf("node %s has unknown parent %s", n.Code, n.Parent), "add the parent first or move the node")
			}
		}
		if len(n.Rules) > 0 && n.Type != TypeLeaf {
			add("rules_on_non_leaf", n.Code, fmt.Sprintf("node %s is a %s but has mapping rules", n.Code, n.Type), "only leaves carry rules: move the rules to a leaf below it")
		}
		for i, r := range n.Rules {
			if err := CheckRule(r); err != nil {
				add("invalid_rule", n.Code, fmt.Sprintf("node %s rule %d: %v", n.Code, i+1, err), "fix or remove the rule")
			}
		}
		if n.Type != TypeFormula && n.Formula != nil {
			add("formula_on_non_formula", n.Code, fmt.Sprintf("node %s is a %s but has a formula", n.Code, n.Type), "make it a formula node or remove the formula")
		}
	}
	// Parent cycles: follow each unvisited node's parent chain once,
	// marking nodes as on the current chain (1) or finished (2), so the
	// whole check is linear in the number of nodes.
	state := make(map[string]uint8, len(idx))
	for _, n := range h.Nodes {
		if state[n.Code] != 0 {
			continue
		}
		var chain []string
		cur := n
		for cur != nil && state[cur.Code] == 0 {
			state[cur.Code] = 1
			chain = append(chain, cur.Code)
			if cur.Parent == "" {
				break
			}
			next := idx[cur.Parent]
			if next != nil && state[next.Code] == 1 {
				cyc := cyclePath(chain, next.Code)
				add("cycle", next.Code, fmt.Sprintf("parent links form a cycle: %s", strings.Join(cyc, " → ")), "move one of these nodes under a node outside the cycle")
				break
			}
			cur = next
		}
		for _, c := range chain {
			state[c] = 2
		}
	}
	// Formulas: one check for every path (see CheckFormulas).
	for _, is := range CheckFormulas(h) {
		add(is.Kind, is.Node, is.Message, is.Hint)
	}
	return out
}

func cyclePath(path []string, start string) []string {
	for i, c := range path {
		if c == start {
			return append(append([]string{}, path[i:]...), start)
		}
	}
	return append(path, start)
}

func knownKind(k Kind) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func kindList() string {
	var s []string
	for _, k := range Kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// FormulaOrder returns the formula nodes' codes in an order where every
// formula comes after the formulas it references (ties in tree order). A
// reference cycle between formulas is an error naming the cycle.
func FormulaOrder(h *Hierarchy) ([]string, error) {
	deps := map[string][]string{}
	var order []string
	h.Walk(func(n *Node, _ int) bool {
		if n.Type == TypeFormula {
			order = append(order, n.Code)
		}
		return true
	})
	for _, n := range h.Nodes {
		if n.Type != TypeFormula || n.Formula == nil {
			continue
		}
		if !contains(order, n.Code) {
			order = append(order, n.Code)
		}
		e, err := ParseFormula(n.Formula.Expression)
		if err != nil {
			continue
		}
		for _, r := range e.Refs() {
			if t := h.Node(r); t != nil && t.Type == TypeFormula && r != n.Code {
				deps[n.Code] = append(deps[n.Code], r)
			}
		}
	}
	const (
		white = 0
		grey  = 1
		black = 2
	)
	color := map[string]int{}
	var out []string
	var stack []string
	var visit func(c string) error
	visit = func(c string) error {
		switch color[c] {
		case grey:
			i := indexOf(stack, c)
			cyc := append(append([]string{}, stack[i:]...), c)
			return fmt.Errorf("formula references form a cycle: %s", strings.Join(cyc, " → "))
		case black:
			return nil
		}
		color[c] = grey
		stack = append(stack, c)
		for _, d := range deps[c] {
			if err := visit(d); err != nil {
				return err
			}
		}
		stack = stack[:len(stack)-1]
		color[c] = black
		out = append(out, c)
		return nil
	}
	for _, c := range order {
		if err := visit(c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func contains(s []string, v string) bool { return indexOf(s, v) >= 0 }

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// newFindings returns the findings in after that were not in before.
func newFindings(before, after []Finding) []Finding {
	had := map[string]bool{}
	for _, f := range before {
		had[f.key()] = true
	}
	var out []Finding
	for _, f := range after {
		if !had[f.key()] {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Node < out[j].Node })
	return out
}
