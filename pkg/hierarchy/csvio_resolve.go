package hierarchy

// CSV import, passes 3 and 4: resolve the specs against each other and the
// existing hierarchy (parents, types, levels, cycles), then the formulas.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/databridge/databridge/pkg/hierarchy/csvio"
)

// ---------------------------------------------------------------- resolve

type csvResolved struct {
	merged   []*Node // the whole hierarchy after the import, in storage order
	nodes    []*Node // accepted nodes, file order
	changes  []ImportedNode
	accepted []*csvSpec
}

// csvBuild applies a spec to a copy of the existing node (or a new node).
// The type is resolved later.
func csvBuild(s *csvSpec, old *Node) *Node {
	var n *Node
	if old != nil {
		n = old.Clone()
	} else {
		n = &Node{Code: s.code}
	}
	if s.hasName {
		n.Name = s.name
	}
	if s.hasPar {
		n.Parent = s.parent
	}
	if s.hasSort {
		n.Sort = s.sort
	}
	if s.hasCons {
		n.Consolidation = s.cons
	}
	if s.hasFlip {
		n.FlipSign = s.flip
	}
	if s.hasProp {
		for k, v := range s.props {
			if v == "" {
				delete(n.Properties, k)
				continue
			}
			if n.Properties == nil {
				n.Properties = map[string]string{}
			}
			n.Properties[k] = v
		}
	}
	if len(n.Properties) == 0 {
		n.Properties = nil
	}
	return n
}

// csvResolve checks the specs against each other and the existing
// hierarchy (nil for none), rejecting rows until the rest is consistent.
// firstLine gives the line of every code the file defines, rejected or not.
func csvResolve(specs []*csvSpec, base *Hierarchy, firstLine map[string]int, rej *csvio.Rejects) *csvResolved {
	baseIdx := map[string]*Node{}
	var baseOrder []*Node
	if base != nil {
		for _, n := range base.Nodes {
			if _, dup := baseIdx[n.Code]; !dup {
				baseIdx[n.Code] = n
				baseOrder = append(baseOrder, n)
			}
		}
	}
	specOf := map[string]*csvSpec{}
	for _, s := range specs {
		specOf[s.code] = s
	}
	baseIssues := map[string]bool{}
	if base != nil {
		for _, is := range CheckFormulas(base) {
			baseIssues[is.key()] = true
		}
	}
	changed := false
	reject := func(s *csvSpec, format string, args ...any) {
		s.rejected, changed = true, true
		rej.Add(s.line, s.record, format, args...)
	}
	var built map[string]*Node
	for {
		// A rejected row takes every node it defines with it.
		for _, s := range specs {
			if !s.rejected && rej.Has(s.line) {
				s.rejected = true
			}
		}
		built = map[string]*Node{}
		final := map[string]*Node{}
		for code, n := range baseIdx {
			final[code] = n
		}
		for _, s := range specs {
			if !s.rejected {
				n := csvBuild(s, baseIdx[s.code])
				built[s.code] = n
				final[s.code] = n
			}
		}
		kids := map[string][]string{}
		for _, n := range final {
			if n.Parent != "" {
				kids[n.Parent] = append(kids[n.Parent], n.Code)
			}
		}
		for p := range kids {
			sort.Strings(kids[p])
		}
		changed = false
		// Types, formulas and rules.
		for _, s := range specs {
			if s.rejected {
				continue
			}
			n, old := built[s.code], baseIdx[s.code]
			if old == nil && !s.hasName {
				reject(s, "missing name for %q: the file has no name column, and a new node needs one", s.code)
				continue
			}
			typ := s.typ
			switch {
			case typ != "":
			case s.formula != "":
				typ = TypeFormula
			case old != nil:
				typ = old.Type
				if typ == TypeLeaf && len(kids[s.code]) > 0 && len(old.Rules) == 0 {
					typ = TypeRollup // as AddNode does: a leaf without rules becomes a rollup when it gets a child
				}
			case len(kids[s.code]) > 0:
				typ = TypeRollup
			default:
				typ = TypeLeaf
			}
			n.Type = typ
			if typ == TypeFormula {
				switch {
				case s.formula != "":
					n.Formula = &Formula{Expression: s.formula, Nulls: s.nulls}
				case old != nil && old.Formula != nil && old.Formula.Expression != "" && !s.hasForm:
					n.Formula = &Formula{Expression: old.Formula.Expression, Nulls: old.Formula.Nulls}
					if s.hasNull {
						n.Formula.Nulls = s.nulls
					}
				default:
					reject(s, "formula node %q needs a formula", s.code)
					continue
				}
			} else {
				if s.formula != "" {
					reject(s, "a formula is given for %q but it is a %s", s.code, typ)
					continue
				}
				if s.nulls != "" {
					reject(s, "formula_nulls is given for %q but it is a %s", s.code, typ)
					continue
				}
				n.Formula = nil
			}
			if len(n.Rules) > 0 && typ != TypeLeaf {
				if typ == TypeFormula {
					reject(s, "formula node %q has %d mapping rules: a formula node cannot have rules (remove them first)", s.code, len(n.Rules))
				} else {
					reject(s, "%q has %d mapping rules, so it must stay a leaf (a %s cannot have rules; remove them first)", s.code, len(n.Rules), typ)
				}
				continue
			}
		}
		if changed {
			continue
		}
		// Parents.
		for _, s := range specs {
			if s.rejected {
				continue
			}
			n := built[s.code]
			if n.Parent == "" {
				continue
			}
			p := final[n.Parent]
			if p == nil {
				if ps := specOf[n.Parent]; ps != nil {
					reject(s, "parent %q was rejected (line %d)", n.Parent, ps.line)
				} else if l, ok := firstLine[n.Parent]; ok {
					reject(s, "parent %q was rejected (line %d)", n.Parent, l)
				} else {
					reject(s, "unknown parent %q", n.Parent)
				}
				continue
			}
			switch p.Type {
			case TypeLeaf:
				if _, mine := built[p.Code]; !mine && len(p.Rules) > 0 {
					reject(s, "parent %q is a leaf with mapping rules; a leaf cannot have children (make it a rollup and move its rules to a leaf below it)", p.Code)
				} else {
					reject(s, "parent %q is a leaf; only rollup and label nodes can have children", p.Code)
				}
			case TypeFormula:
				reject(s, "parent %q is a formula; formula nodes cannot have children", p.Code)
			}
		}
		// A node the file made a leaf or formula but that keeps children
		// the file does not move.
		for _, s := range specs {
			if s.rejected {
				continue
			}
			n := built[s.code]
			if n.Type != TypeLeaf && n.Type != TypeFormula {
				continue
			}
			var stay []string
			for _, k := range kids[s.code] {
				if _, moved := built[k]; !moved {
					stay = append(stay, k)
				}
			}
			if len(stay) > 0 {
				reject(s, "%q is a %s but has children %s; move them first", s.code, n.Type, strings.Join(stay, ", "))
			}
		}
		if changed {
			continue
		}
		// Cycles through at least one node of the file.
		done := map[string]bool{}
		for _, s := range specs {
			if s.rejected || done[s.code] {
				continue
			}
			pos := map[string]int{}
			var path []string
			cur := s.code
			for cur != "" && !done[cur] {
				if i, seen := pos[cur]; seen {
					cyc := append(append([]string{}, path[i:]...), cur)
					msg := "cycle through " + strings.Join(cyc, "→")
					for _, c := range cyc[:len(cyc)-1] {
						if cs := specOf[c]; cs != nil && !cs.rejected && built[c] != nil {
							reject(cs, "%s", msg)
						}
					}
					break
				}
				pos[cur] = len(path)
				path = append(path, cur)
				n := final[cur]
				if n == nil {
					break
				}
				cur = n.Parent
			}
			for _, c := range path {
				done[c] = true
			}
		}
		if changed {
			continue
		}
		// Formulas: the one check every path uses (CheckFormulas), on the
		// hierarchy as the import would leave it. A problem the existing
		// hierarchy already had is left alone (as Store.Update does); a new
		// one rejects the file's row of the formula, or, when that formula
		// is not in the file, the file's rows on the cycle it closes.
		csvRejectFormulas(csvFinalHierarchy(baseOrder, built, specs), baseIssues, specOf, built, firstLine, reject)
		if !changed {
			break
		}
	}

	// Sort values for nodes that have none: after the siblings above them
	// (earlier in the file, or already in the hierarchy).
	maxSort := map[string]int{}
	seenSort := map[string]bool{}
	note := func(parent string, v int) {
		if !seenSort[parent] || v > maxSort[parent] {
			maxSort[parent], seenSort[parent] = v, true
		}
	}
	for code, n := range baseIdx {
		if _, mine := built[code]; !mine {
			note(n.Parent, n.Sort)
		}
	}
	for _, s := range specs {
		n := built[s.code]
		if s.rejected || n == nil {
			continue
		}
		if !s.hasSort && baseIdx[s.code] == nil {
			n.Sort = 10
			if seenSort[n.Parent] {
				n.Sort = maxSort[n.Parent] + 10
			}
		}
		note(n.Parent, n.Sort)
	}

	out := &csvResolved{}
	for _, s := range specs {
		if s.rejected {
			continue
		}
		n := built[s.code]
		action := ImportAdded
		if old := baseIdx[s.code]; old != nil {
			action = ImportUpdated
			if csvNodeEqual(old, n) {
				action = ImportUnchanged
			}
		}
		out.accepted = append(out.accepted, s)
		out.nodes = append(out.nodes, n)
		out.changes = append(out.changes, ImportedNode{Code: s.code, Line: s.line, Action: action})
	}
	if base != nil {
		var all []*Node
		for _, n := range base.Nodes {
			if b := built[n.Code]; b != nil && baseIdx[n.Code] == n {
				all = append(all, b)
			} else {
				all = append(all, n)
			}
		}
		for _, n := range out.nodes {
			if baseIdx[n.Code] == nil {
				all = append(all, n)
			}
		}
		out.merged = csvTreeOrder(all)
	}
	return out
}

// csvFinalHierarchy is the hierarchy as the accepted rows would leave it:
// the existing nodes (replaced by the file's version where it has one),
// then the file's new nodes in file order.
func csvFinalHierarchy(baseOrder []*Node, built map[string]*Node, specs []*csvSpec) *Hierarchy {
	h := &Hierarchy{}
	inBase := map[string]bool{}
	for _, n := range baseOrder {
		inBase[n.Code] = true
		if b := built[n.Code]; b != nil {
			n = b
		}
		h.Nodes = append(h.Nodes, n)
	}
	for _, s := range specs {
		if b := built[s.code]; b != nil && !s.rejected && !inBase[s.code] {
			inBase[s.code] = true
			h.Nodes = append(h.Nodes, b)
		}
	}
	return h
}

// csvRejectFormulas rejects the rows behind every formula problem of h that
// baseIssues does not list.
func csvRejectFormulas(h *Hierarchy, baseIssues map[string]bool, specOf map[string]*csvSpec, built map[string]*Node, firstLine map[string]int, reject func(*csvSpec, string, ...any)) {
	mine := func(code string) *csvSpec {
		if s := specOf[code]; s != nil && !s.rejected && built[code] != nil {
			return s
		}
		return nil
	}
	issues := CheckFormulas(h)
	// The file's own formulas first, so their rows carry their own reason.
	sort.SliceStable(issues, func(i, j int) bool { return mine(issues[i].Node) != nil && mine(issues[j].Node) == nil })
	for i := range issues {
		is := &issues[i]
		if baseIssues[is.key()] {
			continue
		}
		reason := is.Error()
		if is.Kind == IssueUnknownReference {
			line, inFile := firstLine[is.Ref]
			if rs := specOf[is.Ref]; rs != nil {
				line, inFile = rs.line, true
			}
			if inFile {
				reason = fmt.Sprintf("node %s: formula references %s, whose row was rejected (line %d)", is.Node, is.Ref, line)
			}
		}
		if s := mine(is.Node); s != nil {
			reject(s, "%s", reason)
			continue
		}
		for _, c := range is.Cycle {
			if s := mine(c); s != nil {
				reject(s, "%s", reason)
			}
		}
	}
}

// csvTreeOrder puts nodes parents first, siblings by Sort then their
// current order, without renumbering; unreachable nodes go last.
func csvTreeOrder(nodes []*Node) []*Node {
	tmp := &Hierarchy{Nodes: nodes}
	out := make([]*Node, 0, len(nodes))
	seen := map[*Node]bool{}
	tmp.Walk(func(n *Node, _ int) bool {
		out = append(out, n)
		seen[n] = true
		return true
	})
	for _, n := range nodes {
		if !seen[n] {
			out = append(out, n)
		}
	}
	return out
}

func csvNodeEqual(a, b *Node) bool {
	if a.Code != b.Code || a.Name != b.Name || a.Parent != b.Parent || a.Sort != b.Sort || a.Type != b.Type ||
		a.Consolidation != b.Consolidation || a.FlipSign != b.FlipSign || len(a.Rules) != len(b.Rules) || len(a.Properties) != len(b.Properties) {
		return false
	}
	if (a.Formula == nil) != (b.Formula == nil) || (a.Formula != nil && *a.Formula != *b.Formula) {
		return false
	}
	for i := range a.Rules {
		if csvRuleKey(a.Rules[i], "") != csvRuleKey(b.Rules[i], "") {
			return false
		}
	}
	for k, v := range a.Properties {
		if w, ok := b.Properties[k]; !ok || w != v {
			return false
		}
	}
	return true
}
