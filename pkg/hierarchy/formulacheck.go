package hierarchy

import (
	"fmt"
	"strings"
)

// Formula finding codes (Finding.Code and FormulaIssue.Kind).
const (
	IssueMissingFormula     = "missing_formula"
	IssueBadFormula         = "bad_formula"
	IssueUnknownReference   = "unknown_reference"
	IssueFormulaCycle       = "formula_cycle"
	IssueReferencesAncestor = "formula_references_ancestor"
)

// FormulaIssue is one problem with a formula node's expression or with
// what it references. It is an error naming the node, the offending
// reference and how to fix it.
type FormulaIssue struct {
	// Node is the formula node.
	Node string `json:"node"`
	// Ref is the offending reference, if the problem is one.
	Ref string `json:"ref,omitempty"`
	// Kind is the finding code: missing_formula, bad_formula,
	// unknown_reference, formula_cycle or formula_references_ancestor.
	Kind string `json:"kind"`
	// Cycle is, for formula_cycle and formula_references_ancestor, the
	// dependency path from Node back to Node.
	Cycle   []string `json:"cycle,omitempty"`
	Message string   `json:"message"`
	Hint    string   `json:"hint"`
}

func (i *FormulaIssue) Error() string { return i.Message + " (" + i.Hint + ")" }

func (i *FormulaIssue) key() string { return i.Kind + "|" + i.Node + "|" + i.Ref }

// CheckFormulas is the one check of formula nodes, used by every path that
// creates or changes a node or a formula (node add, formula set, node move,
// CSV import, templates, the store's integrity check and validate). It
// returns, in node order, every formula node that:
//
//   - has no expression (missing_formula), does not parse or has an unknown
//     null handling (bad_formula);
//   - references a code that is not a node (unknown_reference);
//   - references itself (formula_cycle);
//   - references one of its own ancestors, whose total includes the
//     formula's line (formula_references_ancestor);
//   - depends on itself through other nodes (formula_cycle): a formula
//     depends on the nodes it references, and a rollup or label on its
//     children, so F = G with G = R, where R is a rollup above F, is a
//     cycle just as F = G with G = F is.
//
// A formula node has no children of its own (its value is its
// expression), so a reference from a formula "down" to a descendant is
// never a cycle by itself; it is one only when the path leads back up, which
// the dependency walk finds. Nodes with a duplicate code are checked once,
// at their first occurrence (CheckIntegrity reports the duplicate).
func CheckFormulas(h *Hierarchy) []FormulaIssue {
	idx := make(map[string]*Node, len(h.Nodes))
	var nodes []*Node // unique, in storage order
	for _, n := range h.Nodes {
		if _, dup := idx[n.Code]; !dup {
			idx[n.Code] = n
			nodes = append(nodes, n)
		}
	}
	var out []FormulaIssue
	refs := map[string][]string{} // formula code → its known references
	for _, n := range nodes {
		if n.Type != TypeFormula {
			continue
		}
		if n.Formula == nil || strings.TrimSpace(n.Formula.Expression) == "" {
			out = append(out, FormulaIssue{Node: n.Code, Kind: IssueMissingFormula,
				Message: fmt.Sprintf("formula node %s has no expression", n.Code),
				Hint:    "set one with `hierarchy formula set`"})
			continue
		}
		e, err := ParseFormula(n.Formula.Expression)
		if err != nil {
			out = append(out, FormulaIssue{Node: n.Code, Kind: IssueBadFormula,
				Message: fmt.Sprintf("node %s: %v", n.Code, err),
				Hint:    "fix the expression"})
			continue
		}
		switch n.Formula.Nulls {
		case "", NullAsZero, NullSkip, NullError:
		default:
			out = append(out, FormulaIssue{Node: n.Code, Kind: IssueBadFormula,
				Message: fmt.Sprintf("node %s: unknown null handling %q", n.Code, n.Formula.Nulls),
				Hint:    "use zero, skip or error"})
		}
		known := []string{}
		for _, r := range e.Refs() {
			if idx[r] == nil {
				out = append(out, FormulaIssue{Node: n.Code, Ref: r, Kind: IssueUnknownReference,
					Message: fmt.Sprintf("node %s: formula references unknown node %s", n.Code, r),
					Hint:    "use an existing node code (codes that are not identifiers go in brackets: [4000])"})
				continue
			}
			known = append(known, r)
		}
		refs[n.Code] = known
	}
	if len(refs) == 0 {
		return out
	}

	// The dependency graph: a formula depends on what it references, any
	// other node on its children (a total includes what is below it).
	kids := map[string][]string{}
	for _, n := range nodes {
		if n.Parent != "" && idx[n.Parent] != nil && n.Parent != n.Code {
			kids[n.Parent] = append(kids[n.Parent], n.Code)
		}
	}
	deps := func(c string) []string {
		if idx[c].Type == TypeFormula {
			return refs[c]
		}
		return kids[c]
	}
	comp := sccs(nodes, deps)

	for _, n := range nodes {
		rs, ok := refs[n.Code]
		if !ok {
			continue
		}
		var ancestors []string // parent first, stopping at a parent cycle
		seen := map[string]bool{n.Code: true}
		for p := idx[n.Parent]; p != nil && !seen[p.Code]; p = idx[p.Parent] {
			seen[p.Code] = true
			ancestors = append(ancestors, p.Code)
		}
		anc := map[string]bool{}
		for _, a := range ancestors {
			anc[a] = true
		}
		cycled := false
		for _, r := range rs {
			switch {
			case r == n.Code:
				out = append(out, FormulaIssue{Node: n.Code, Ref: r, Kind: IssueFormulaCycle, Cycle: []string{n.Code, n.Code},
					Message: fmt.Sprintf("node %s: formula references itself", n.Code),
					Hint:    fmt.Sprintf("a formula cannot use its own value: remove %s from the expression", RefText(r))})
			case anc[r]:
				path := []string{n.Code}
				for i := indexOf(ancestors, r); i >= 0; i-- {
					path = append(path, ancestors[i])
				}
				path = append(path, n.Code)
				out = append(out, FormulaIssue{Node: n.Code, Ref: r, Kind: IssueReferencesAncestor, Cycle: path,
					Message: fmt.Sprintf("node %s: formula references its own ancestor %s, whose total includes %s", n.Code, r, n.Code),
					Hint:    fmt.Sprintf("a node cannot be computed from a total it belongs to: reference other nodes, or move %s out of %s", n.Code, r)})
			case !cycled && comp[r] == comp[n.Code]:
				cycled = true
				path := append([]string{n.Code}, depPath(r, n.Code, comp, deps)...)
				msg := fmt.Sprintf("node %s: formula references form a cycle: %s", n.Code, strings.Join(path, " → "))
				var totals []string
				for i := 0; i+1 < len(path); i++ {
					if idx[path[i]].Type != TypeFormula {
						totals = append(totals, fmt.Sprintf("%s's total includes %s", path[i], path[i+1]))
					}
				}
				if len(totals) > 0 {
					msg += " (" + strings.Join(totals, ", ") + ")"
				}
				out = append(out, FormulaIssue{Node: n.Code, Ref: r, Kind: IssueFormulaCycle, Cycle: path,
					Message: msg,
					Hint:    "break the cycle: a formula cannot depend on itself through other formulas or the totals that include it"})
			}
		}
	}
	return out
}

// CheckFormula returns the first problem CheckFormulas finds with node
// code's formula, or nil.
func CheckFormula(h *Hierarchy, code string) error {
	for _, is := range CheckFormulas(h) {
		if is.Node == code {
			is := is
			return &is
		}
	}
	return nil
}

// newFormulaIssue returns the first issue in after that is not in before.
func newFormulaIssue(before, after []FormulaIssue) error {
	had := map[string]bool{}
	for i := range before {
		had[before[i].key()] = true
	}
	for i := range after {
		if !had[after[i].key()] {
			is := after[i]
			return &is
		}
	}
	return nil
}

// sccs numbers the strongly connected components of the dependency graph
// (Tarjan's algorithm): two nodes depend on each other exactly when they
// have the same number.
func sccs(nodes []*Node, deps func(string) []string) map[string]int {
	index := make(map[string]int, len(nodes))
	low := make(map[string]int, len(nodes))
	onStack := map[string]bool{}
	comp := make(map[string]int, len(nodes))
	var stack []string
	next, ncomp := 1, 0
	var visit func(c string)
	visit = func(c string) {
		index[c], low[c] = next, next
		next++
		stack = append(stack, c)
		onStack[c] = true
		for _, d := range deps(c) {
			if index[d] == 0 {
				visit(d)
				low[c] = min(low[c], low[d])
			} else if onStack[d] {
				low[c] = min(low[c], index[d])
			}
		}
		if low[c] == index[c] {
			ncomp++
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[top] = false
				comp[top] = ncomp
				if top == c {
					break
				}
			}
		}
	}
	for _, n := range nodes {
		if index[n.Code] == 0 {
			visit(n.Code)
		}
	}
	return comp
}

// depPath returns a shortest dependency path from one node to another in
// the same component, both included.
func depPath(from, to string, comp map[string]int, deps func(string) []string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == to {
			break
		}
		for _, d := range deps(c) {
			if _, seen := prev[d]; seen || comp[d] != comp[from] {
				continue
			}
			prev[d] = c
			queue = append(queue, d)
		}
	}
	var path []string
	for c := to; c != ""; c = prev[c] {
		path = append([]string{c}, path...)
		if c == from {
			break
		}
	}
	return path
}
