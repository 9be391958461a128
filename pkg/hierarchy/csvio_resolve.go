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
//
// The passes run in a loop until one round rejects nothing (a rejected row
// can break a row that passed: its children, its formula's references):
// build the nodes, then types and formulas, then parents, then cycles,
// then the formula check. A round that rejects a row starts over. Then
// sort values are filled in and the result is assembled.
func csvResolve(specs []*csvSpec, base *Hierarchy, firstLine map[string]int, rej *csvio.Rejects) *csvResolved {
	rs := newCSVResolver(specs, base, firstLine, rej)
	for rs.round() {
		// a row was rejected: start over without it
	}
	rs.assignSorts()
	return rs.result(base)
}

// csvResolver holds the state of csvResolve.
type csvResolver struct {
	specs     []*csvSpec
	firstLine map[string]int
	rej       *csvio.Rejects

	baseIdx    map[string]*Node // existing nodes by code (first of a duplicate)
	baseOrder  []*Node          // existing nodes, storage order, no duplicates
	specOf     map[string]*csvSpec
	baseIssues map[string]bool // formula problems the existing hierarchy has

	// Rebuilt every round.
	built   map[string]*Node    // the file's accepted nodes
	final   map[string]*Node    // the whole hierarchy as the round has it
	kids    map[string][]string // child codes by parent, sorted
	changed bool                // the round rejected a row
}

func newCSVResolver(specs []*csvSpec, base *Hierarchy, firstLine map[string]int, rej *csvio.Rejects) *csvResolver {
	rs := &csvResolver{specs: specs, firstLine: firstLine, rej: rej,
		baseIdx: map[string]*Node{}, specOf: map[string]*csvSpec{}, baseIssues: map[string]bool{}}
	if base != nil {
		for _, n := range base.Nodes {
			if _, dup := rs.baseIdx[n.Code]; !dup {
				rs.baseIdx[n.Code] = n
				rs.baseOrder = append(rs.baseOrder, n)
			}
		}
	}
	for _, s := range specs {
		rs.specOf[s.code] = s
	}
	if base != nil {
		for _, is := range CheckFormulas(base) {
			rs.baseIssues[is.key()] = true
		}
	}
	return rs
}

// reject rejects the row of s and marks the round as changed.
func (rs *csvResolver) reject(s *csvSpec, format string, args ...any) {
	s.rejected, rs.changed = true, true
	rs.rej.Add(s.line, s.record, format, args...)
}

// round runs the passes once and says whether a row was rejected, so
// that another round is needed.
func (rs *csvResolver) round() bool {
	rs.build()
	rs.changed = false
	for _, pass := range []func(){
		rs.resolveTypes,
		func() { rs.checkParents(); rs.checkKeptChildren() },
		rs.rejectCycles,
		func() {
			// Formulas: the one check every path uses (CheckFormulas), on
			// the hierarchy as the import would leave it. A problem the
			// existing hierarchy already had is left alone (as Store.Update
			// does); a new one rejects the file's row of the formula, or,
			// when that formula is not in the file, the file's rows on the
			// cycle it closes.
			csvRejectFormulas(csvFinalHierarchy(rs.baseOrder, rs.built, rs.specs), rs.baseIssues, rs.specOf, rs.built, rs.firstLine, rs.reject)
		},
	} {
		if pass(); rs.changed {
			return true
		}
	}
	return false
}

// build applies every accepted spec to its node, and indexes the
// hierarchy the round works on.
func (rs *csvResolver) build() {
	// A rejected row takes every node it defines with it.
	for _, s := range rs.specs {
		if !s.rejected && rs.rej.Has(s.line) {
			s.rejected = true
		}
	}
	rs.built = map[string]*Node{}
	rs.final = map[string]*Node{}
	for code, n := range rs.baseIdx {
		rs.final[code] = n
	}
	for _, s := range rs.specs {
		if !s.rejected {
			n := csvBuild(s, rs.baseIdx[s.code])
			rs.built[s.code] = n
			rs.final[s.code] = n
		}
	}
	rs.kids = map[string][]string{}
	for _, n := range rs.final {
		if n.Parent != "" {
			rs.kids[n.Parent] = append(rs.kids[n.Parent], n.Code)
		}
	}
	for p := range rs.kids {
		sort.Strings(rs.kids[p])
	}
}

// resolveTypes sets the type and formula of every accepted node and
// rejects the rows whose type, formula and rules disagree.
func (rs *csvResolver) resolveTypes() {
	for _, s := range rs.specs {
		if s.rejected {
			continue
		}
		n, old := rs.built[s.code], rs.baseIdx[s.code]
		if old == nil && !s.hasName {
			rs.reject(s, "missing name for %q: the file has no name column, and a new node needs one", s.code)
			continue
		}
		typ := rs.nodeType(s, old)
		n.Type = typ
		if !rs.setFormula(s, n, old, typ) {
			continue
		}
		if len(n.Rules) > 0 && typ != TypeLeaf {
			if typ == TypeFormula {
				rs.reject(s, "formula node %q has %d mapping rules: a formula node cannot have rules (remove them first)", s.code, len(n.Rules))
			} else {
				rs.reject(s, "%q has %d mapping rules, so it must stay a leaf (a %s cannot have rules; remove them first)", s.code, len(n.Rules), typ)
			}
		}
	}
}

// nodeType is the type the file gives s, or the one it keeps or gets:
// formula when the file gives a formula, the existing node's type, else
// rollup with children and leaf without.
func (rs *csvResolver) nodeType(s *csvSpec, old *Node) NodeType {
	switch {
	case s.typ != "":
		return s.typ
	case s.formula != "":
		return TypeFormula
	case old != nil:
		if old.Type == TypeLeaf && len(rs.kids[s.code]) > 0 && len(old.Rules) == 0 {
			return TypeRollup // as AddNode does: a leaf without rules becomes a rollup when it gets a child
		}
		return old.Type
	case len(rs.kids[s.code]) > 0:
		return TypeRollup
	}
	return TypeLeaf
}

// setFormula sets the formula of n, of type typ, from s and the existing
// node old; false when it rejected the row.
func (rs *csvResolver) setFormula(s *csvSpec, n, old *Node, typ NodeType) bool {
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
			rs.reject(s, "formula node %q needs a formula", s.code)
			return false
		}
		return true
	}
	if s.formula != "" {
		rs.reject(s, "a formula is given for %q but it is a %s", s.code, typ)
		return false
	}
	if s.nulls != "" {
		rs.reject(s, "formula_nulls is given for %q but it is a %s", s.code, typ)
		return false
	}
	n.Formula = nil
	return true
}

// checkParents rejects rows whose parent is unknown, rejected, or cannot
// have children.
func (rs *csvResolver) checkParents() {
	for _, s := range rs.specs {
		if s.rejected {
			continue
		}
		n := rs.built[s.code]
		if n.Parent == "" {
			continue
		}
		p := rs.final[n.Parent]
		if p == nil {
			rs.rejectMissingParent(s, n.Parent)
			continue
		}
		switch p.Type {
		case TypeLeaf:
			if _, mine := rs.built[p.Code]; !mine && len(p.Rules) > 0 {
				rs.reject(s, "parent %q is a leaf with mapping rules; a leaf cannot have children (make it a rollup and move its rules to a leaf below it)", p.Code)
			} else {
				rs.reject(s, "parent %q is a leaf; only rollup and label nodes can have children", p.Code)
			}
		case TypeFormula:
			rs.reject(s, "parent %q is a formula; formula nodes cannot have children", p.Code)
		}
	}
}

// rejectMissingParent rejects s, whose parent is neither in the hierarchy
// nor among the accepted rows.
func (rs *csvResolver) rejectMissingParent(s *csvSpec, parent string) {
	if ps := rs.specOf[parent]; ps != nil {
		rs.reject(s, "parent %q was rejected (line %d)", parent, ps.line)
	} else if l, ok := rs.firstLine[parent]; ok {
		rs.reject(s, "parent %q was rejected (line %d)", parent, l)
	} else {
		rs.reject(s, "unknown parent %q", parent)
	}
}

// checkKeptChildren rejects a node the file made a leaf or formula but
// that keeps children the file does not move.
func (rs *csvResolver) checkKeptChildren() {
	for _, s := range rs.specs {
		if s.rejected {
			continue
		}
		n := rs.built[s.code]
		if n.Type != TypeLeaf && n.Type != TypeFormula {
			continue
		}
		var stay []string
		for _, k := range rs.kids[s.code] {
			if _, moved := rs.built[k]; !moved {
				stay = append(stay, k)
			}
		}
		if len(stay) > 0 {
			rs.reject(s, "%q is a %s but has children %s; move them first", s.code, n.Type, strings.Join(stay, ", "))
		}
	}
}

// rejectCycles rejects the file's rows on every parent cycle through at
// least one node of the file.
func (rs *csvResolver) rejectCycles() {
	done := map[string]bool{}
	for _, s := range rs.specs {
		if s.rejected || done[s.code] {
			continue
		}
		for _, c := range rs.walkUp(s.code, done) {
			done[c] = true
		}
	}
}

// walkUp follows parents from code until the top, a node walked before
// (done) or a cycle, whose rows it rejects. It returns the codes it
// walked.
func (rs *csvResolver) walkUp(code string, done map[string]bool) []string {
	pos := map[string]int{}
	var path []string
	for cur := code; cur != "" && !done[cur]; {
		if i, seen := pos[cur]; seen {
			cyc := append(append([]string{}, path[i:]...), cur)
			msg := "cycle through " + strings.Join(cyc, "→")
			for _, c := range cyc[:len(cyc)-1] {
				if cs := rs.specOf[c]; cs != nil && !cs.rejected && rs.built[c] != nil {
					rs.reject(cs, "%s", msg)
				}
			}
			break
		}
		pos[cur] = len(path)
		path = append(path, cur)
		n := rs.final[cur]
		if n == nil {
			break
		}
		cur = n.Parent
	}
	return path
}

// assignSorts gives new nodes without a sort value one after the siblings
// above them (earlier in the file, or already in the hierarchy).
func (rs *csvResolver) assignSorts() {
	maxSort := map[string]int{}
	seenSort := map[string]bool{}
	note := func(parent string, v int) {
		if !seenSort[parent] || v > maxSort[parent] {
			maxSort[parent], seenSort[parent] = v, true
		}
	}
	for code, n := range rs.baseIdx {
		if _, mine := rs.built[code]; !mine {
			note(n.Parent, n.Sort)
		}
	}
	for _, s := range rs.specs {
		n := rs.built[s.code]
		if s.rejected || n == nil {
			continue
		}
		if !s.hasSort && rs.baseIdx[s.code] == nil {
			n.Sort = 10
			if seenSort[n.Parent] {
				n.Sort = maxSort[n.Parent] + 10
			}
		}
		note(n.Parent, n.Sort)
	}
}

// result lists the accepted nodes with what happens to each and, with a
// base hierarchy, the whole hierarchy after the import.
func (rs *csvResolver) result(base *Hierarchy) *csvResolved {
	out := &csvResolved{}
	for _, s := range rs.specs {
		if s.rejected {
			continue
		}
		n := rs.built[s.code]
		action := ImportAdded
		if old := rs.baseIdx[s.code]; old != nil {
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
		out.merged = rs.merge(base, out.nodes)
	}
	return out
}

// merge is base with the file's version of its nodes, then the file's new
// nodes, in tree order.
func (rs *csvResolver) merge(base *Hierarchy, nodes []*Node) []*Node {
	var all []*Node
	for _, n := range base.Nodes {
		if b := rs.built[n.Code]; b != nil && rs.baseIdx[n.Code] == n {
			all = append(all, b)
		} else {
			all = append(all, n)
		}
	}
	for _, n := range nodes {
		if rs.baseIdx[n.Code] == nil {
			all = append(all, n)
		}
	}
	return csvTreeOrder(all)
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
