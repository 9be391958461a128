package hierarchy

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// NodeInput describes a node to add.
type NodeInput struct {
	Code          string            `json:"code"`
	Name          string            `json:"name"`
	Parent        string            `json:"parent,omitempty"`
	Type          NodeType          `json:"type,omitempty"`
	Consolidation Consolidation     `json:"consolidation,omitempty"`
	FlipSign      bool              `json:"flip_sign,omitempty"`
	Formula       string            `json:"formula,omitempty"`
	Nulls         NullHandling      `json:"nulls,omitempty"`
	Properties    map[string]string `json:"properties,omitempty"`
	// Position is the 1-based place among the parent's children; 0 = last.
	Position int `json:"position,omitempty"`
}

// AddNode adds a node. The type defaults to leaf, or formula when a
// formula is given.
func AddNode(h *Hierarchy, in NodeInput) error {
	if err := ValidCode(in.Code); err != nil {
		return err
	}
	if h.Node(in.Code) != nil {
		return fmt.Errorf("node %s already exists in %s", in.Code, h.ID)
	}
	if strings.TrimSpace(in.Name) == "" {
		in.Name = in.Code
	}
	if in.Type == "" {
		in.Type = TypeLeaf
		if in.Formula != "" {
			in.Type = TypeFormula
		}
	}
	var parent *Node
	if in.Parent != "" {
		parent = h.Node(in.Parent)
		if parent == nil {
			return fmt.Errorf("unknown parent %s (add it first)", in.Parent)
		}
	}
	n := &Node{Code: in.Code, Name: in.Name, Parent: in.Parent, Type: in.Type, Consolidation: in.Consolidation, FlipSign: in.FlipSign, Properties: in.Properties}
	if in.Formula != "" {
		if in.Type != TypeFormula {
			return fmt.Errorf("node %s: only formula nodes have a formula (use --type formula)", in.Code)
		}
		n.Formula = &Formula{Expression: in.Formula, Nulls: in.Nulls}
	}
	if parent != nil {
		parentType := parent.Type
		if err := canHaveChildren(parent); err != nil {
			return err
		}
		defer func() {
			if parent.Type != parentType && h.Node(in.Code) == nil {
				parent.Type = parentType // the node was refused: undo the leaf → rollup change
			}
		}()
	}
	h.Nodes = append(h.Nodes, n)
	if n.Type == TypeFormula {
		// The same check as formula set, CSV import and validate.
		if err := CheckFormula(h, n.Code); err != nil {
			h.Nodes = h.Nodes[:len(h.Nodes)-1]
			return err
		}
	}
	placeAmongSiblings(h, n, in.Position)
	return nil
}

func canHaveChildren(p *Node) error {
	switch p.Type {
	case TypeLeaf:
		if len(p.Rules) > 0 {
			return fmt.Errorf("node %s is a leaf with mapping rules; a leaf cannot have children (make it a rollup and move its rules to a new leaf below it)", p.Code)
		}
		// A leaf without rules becomes a rollup when it gets a child.
		p.Type = TypeRollup
	case TypeFormula:
		return fmt.Errorf("node %s is a formula; formula nodes cannot have children", p.Code)
	}
	return nil
}

// placeAmongSiblings gives n the Sort that puts it at 1-based position pos
// among its siblings (0 or out of range = last) and renumbers them.
func placeAmongSiblings(h *Hierarchy, n *Node, pos int) {
	var sibs []*Node
	for _, s := range h.Children()[n.Parent] {
		if s != n {
			sibs = append(sibs, s)
		}
	}
	if pos <= 0 || pos > len(sibs) {
		pos = len(sibs) + 1
	}
	ordered := append([]*Node{}, sibs[:pos-1]...)
	ordered = append(ordered, n)
	ordered = append(ordered, sibs[pos-1:]...)
	for i, s := range ordered {
		s.Sort = (i + 1) * 10
	}
}

// NodePatch changes fields of a node; nil fields are left as they are.
type NodePatch struct {
	NewCode       *string           `json:"new_code,omitempty"`
	Name          *string           `json:"name,omitempty"`
	Type          *NodeType         `json:"type,omitempty"`
	Consolidation *Consolidation    `json:"consolidation,omitempty"`
	FlipSign      *bool             `json:"flip_sign,omitempty"`
	SetProperties map[string]string `json:"set_properties,omitempty"`
	DelProperties []string          `json:"delete_properties,omitempty"`
}

// UpdateNode applies a patch. Renaming a code updates its children's
// parent links and every formula that references it.
func UpdateNode(h *Hierarchy, code string, p NodePatch) error {
	n := h.Node(code)
	if n == nil {
		return unknownNode(h, code)
	}
	if p.Name != nil {
		if strings.TrimSpace(*p.Name) == "" {
			return fmt.Errorf("node %s: name cannot be empty", code)
		}
		n.Name = *p.Name
	}
	if p.Type != nil && *p.Type != n.Type {
		t := *p.Type
		kids := len(h.Children()[code])
		switch {
		case (t == TypeLeaf || t == TypeFormula) && kids > 0:
			return fmt.Errorf("node %s has %d children; a %s cannot have children (move or remove them first)", code, kids, t)
		case t != TypeLeaf && len(n.Rules) > 0:
			return fmt.Errorf("node %s has %d mapping rules; only leaves carry rules (remove them first)", code, len(n.Rules))
		case t == TypeFormula && n.Formula == nil:
			return fmt.Errorf("node %s: set its expression with `hierarchy formula set` to make it a formula", code)
		}
		if t != TypeFormula {
			n.Formula = nil
		}
		n.Type = t
	}
	if p.Consolidation != nil {
		n.Consolidation = *p.Consolidation
	}
	if p.FlipSign != nil {
		n.FlipSign = *p.FlipSign
	}
	for k, v := range p.SetProperties {
		if n.Properties == nil {
			n.Properties = map[string]string{}
		}
		n.Properties[k] = v
	}
	for _, k := range p.DelProperties {
		delete(n.Properties, k)
	}
	if len(n.Properties) == 0 {
		n.Properties = nil
	}
	if p.NewCode != nil && *p.NewCode != code {
		nc := *p.NewCode
		if err := ValidCode(nc); err != nil {
			return err
		}
		if h.Node(nc) != nil {
			return fmt.Errorf("node %s already exists", nc)
		}
		for _, m := range h.Nodes {
			if m.Parent == code {
				m.Parent = nc
			}
			if m.Formula != nil {
				if e, err := ParseFormula(m.Formula.Expression); err == nil && contains(e.Refs(), code) {
					m.Formula.Expression = e.render(func(r string) string {
						if r == code {
							r = nc
						}
						return RefText(r)
					})
				}
			}
		}
		n.Code = nc
	}
	return nil
}

// MoveNode moves a node (with its subtree) under a new parent ("" makes it
// a root) at a 1-based position (0 = last).
func MoveNode(h *Hierarchy, code, parent string, position int) error {
	n := h.Node(code)
	if n == nil {
		return unknownNode(h, code)
	}
	if parent == code {
		return fmt.Errorf("cannot move %s under itself", code)
	}
	if parent != "" {
		p := h.Node(parent)
		if p == nil {
			return fmt.Errorf("unknown parent %s", parent)
		}
		if contains(h.Descendants(code), parent) {
			return fmt.Errorf("cannot move %s under %s: %s is below %s, which would make a cycle", code, parent, parent, code)
		}
	}
	// Moving a subtree changes which totals include which formulas.
	before := CheckFormulas(h)
	oldParent := n.Parent
	n.Parent = parent
	if err := newFormulaIssue(before, CheckFormulas(h)); err != nil {
		n.Parent = oldParent
		return fmt.Errorf("cannot move %s under %s: %w", code, nameOr(parent, "the root"), err)
	}
	if parent != "" {
		if err := canHaveChildren(h.Node(parent)); err != nil {
			n.Parent = oldParent
			return err
		}
	}
	placeAmongSiblings(h, n, position)
	return nil
}

// RemoveNode removes a node. With withChildren its whole subtree goes;
// otherwise its children move up to its parent, in its place.
func RemoveNode(h *Hierarchy, code string, withChildren bool) ([]string, error) {
	n := h.Node(code)
	if n == nil {
		return nil, unknownNode(h, code)
	}
	removed := map[string]bool{code: true}
	kids := h.Children()[code]
	if withChildren {
		for _, d := range h.Descendants(code) {
			removed[d] = true
		}
	} else if len(kids) > 0 {
		// Children take the node's place among its siblings.
		sibs := h.Children()[n.Parent]
		var ordered []*Node
		for _, s := range sibs {
			if s == n {
				ordered = append(ordered, kids...)
			} else {
				ordered = append(ordered, s)
			}
		}
		for i, s := range ordered {
			s.Parent = n.Parent
			s.Sort = (i + 1) * 10
		}
	}
	// Formulas outside the removed set must not reference removed nodes.
	for _, m := range h.Nodes {
		if removed[m.Code] || m.Formula == nil {
			continue
		}
		if e, err := ParseFormula(m.Formula.Expression); err == nil {
			for _, r := range e.Refs() {
				if removed[r] {
					return nil, fmt.Errorf("cannot remove %s: the formula of %s references %s (change that formula first)", code, m.Code, r)
				}
			}
		}
	}
	var keep []*Node
	var gone []string
	for _, m := range h.Nodes {
		if removed[m.Code] {
			gone = append(gone, m.Code)
			continue
		}
		keep = append(keep, m)
	}
	h.Nodes = keep
	return gone, nil
}

// Reorder sets the order of a parent's children ("" = the roots). codes
// must list every child exactly once.
func Reorder(h *Hierarchy, parent string, codes []string) error {
	if parent != "" && h.Node(parent) == nil {
		return unknownNode(h, parent)
	}
	kids := h.Children()[parent]
	if len(codes) != len(kids) {
		var have []string
		for _, k := range kids {
			have = append(have, k.Code)
		}
		return fmt.Errorf("reorder needs every child of %s exactly once (%s)", nameOr(parent, "the root"), strings.Join(have, ", "))
	}
	pos := map[string]int{}
	for i, c := range codes {
		if _, dup := pos[c]; dup {
			return fmt.Errorf("%s is listed twice", c)
		}
		pos[c] = i
	}
	for _, k := range kids {
		i, ok := pos[k.Code]
		if !ok {
			return fmt.Errorf("%s is a child of %s but is not listed", k.Code, nameOr(parent, "the root"))
		}
		k.Sort = (i + 1) * 10
	}
	return nil
}

func nameOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func unknownNode(h *Hierarchy, code string) error {
	var near []string
	lc := strings.ToLower(code)
	for _, n := range h.Nodes {
		if strings.Contains(strings.ToLower(n.Code), lc) || strings.Contains(lc, strings.ToLower(n.Code)) {
			near = append(near, n.Code)
		}
	}
	msg := fmt.Sprintf("unknown node %s in hierarchy %s", code, h.ID)
	if len(near) > 0 && len(near) <= 5 {
		msg += " (did you mean " + strings.Join(near, ", ") + "?)"
	}
	return fmt.Errorf("%s", msg)
}

// AddRule adds a mapping rule to a leaf. An identical rule already on the
// leaf is an error.
func AddRule(h *Hierarchy, code string, r Rule) error {
	n := h.Node(code)
	if n == nil {
		return unknownNode(h, code)
	}
	if n.Type != TypeLeaf {
		return fmt.Errorf("node %s is a %s; mapping rules go on leaves", code, n.Type)
	}
	if err := CheckRule(r); err != nil {
		return fmt.Errorf("node %s: %w", code, err)
	}
	if r.Column == "" && h.DefaultColumn() == "" {
		return fmt.Errorf("rule needs a column: the hierarchy has no source_columns (set one, or give the rule a column)")
	}
	for _, x := range n.Rules {
		if reflect.DeepEqual(normRule(x), normRule(r)) {
			return fmt.Errorf("node %s already has the rule %s", code, r)
		}
	}
	n.Rules = append(n.Rules, r)
	return nil
}

func normRule(r Rule) Rule {
	if len(r.Values) == 0 {
		r.Values = nil
	}
	r.Precedence = r.EffectivePrecedence()
	return r
}

// RemoveRule removes the 1-based rule index from a leaf.
func RemoveRule(h *Hierarchy, code string, index int) (Rule, error) {
	n := h.Node(code)
	if n == nil {
		return Rule{}, unknownNode(h, code)
	}
	if index < 1 || index > len(n.Rules) {
		return Rule{}, fmt.Errorf("node %s has %d rules; there is no rule %d", code, len(n.Rules), index)
	}
	r := n.Rules[index-1]
	n.Rules = append(n.Rules[:index-1], n.Rules[index:]...)
	if len(n.Rules) == 0 {
		n.Rules = nil
	}
	return r, nil
}

// RuleRef is a rule with where it lives, for listings.
type RuleRef struct {
	Node  string `json:"node"`
	Index int    `json:"index"` // 1-based, on its node
	Rule
	Text string `json:"text"`
	// Inherited is true when the rule belongs to a descendant leaf.
	Inherited bool `json:"inherited"`
}

// ListRules returns the rules of a node ("" = every leaf). With inherited,
// a rollup shows its descendant leaves' rules.
func ListRules(h *Hierarchy, code string, inherited bool) ([]RuleRef, error) {
	var nodes []*Node
	if code == "" {
		nodes = h.Leaves()
	} else {
		n := h.Node(code)
		if n == nil {
			return nil, unknownNode(h, code)
		}
		nodes = []*Node{n}
		if inherited {
			idx := h.Index()
			for _, d := range h.Descendants(code) {
				nodes = append(nodes, idx[d])
			}
		}
	}
	out := []RuleRef{}
	for _, n := range nodes {
		for i, r := range n.Rules {
			if r.Column == "" {
				r.Column = h.DefaultColumn()
			}
			out = append(out, RuleRef{Node: n.Code, Index: i + 1, Rule: r, Text: r.String(), Inherited: code != "" && n.Code != code})
		}
	}
	return out, nil
}

// MappingSummary counts rules.
type MappingSummary struct {
	Leaves            int            `json:"leaves"`
	MappedLeaves      int            `json:"mapped_leaves"`
	LeavesWithoutRule []string       `json:"leaves_without_rules"`
	Rules             int            `json:"rules"`
	Exclusions        int            `json:"exclusions"`
	ByMatch           map[string]int `json:"by_match"`
	ByColumn          map[string]int `json:"by_column"`
	PrecedenceGroups  []int          `json:"precedence_groups"`
}

// SummarizeMappings counts the rules of every leaf.
func SummarizeMappings(h *Hierarchy) MappingSummary {
	s := MappingSummary{ByMatch: map[string]int{}, ByColumn: map[string]int{}, LeavesWithoutRule: []string{}, PrecedenceGroups: []int{}}
	groups := map[int]bool{}
	for _, n := range h.Leaves() {
		s.Leaves++
		if len(n.Rules) == 0 {
			s.LeavesWithoutRule = append(s.LeavesWithoutRule, n.Code)
		} else {
			s.MappedLeaves++
		}
		for _, r := range n.Rules {
			s.Rules++
			if r.Exclude {
				s.Exclusions++
			}
			s.ByMatch[string(r.Match)]++
			s.ByColumn[h.RuleColumn(r)]++
			groups[r.EffectivePrecedence()] = true
		}
	}
	for g := range groups {
		s.PrecedenceGroups = append(s.PrecedenceGroups, g)
	}
	sort.Ints(s.PrecedenceGroups)
	return s
}

// SetFormula sets a node's expression (making a childless, rule-less node
// a formula node).
func SetFormula(h *Hierarchy, code, expr string, nulls NullHandling) error {
	n := h.Node(code)
	if n == nil {
		return unknownNode(h, code)
	}
	e, err := ParseFormula(expr)
	if err != nil {
		return fmt.Errorf("node %s: %w", code, err)
	}
	if n.Type != TypeFormula && (len(h.Children()[code]) > 0 || len(n.Rules) > 0) {
		return fmt.Errorf("node %s is a %s with children or rules; add a new formula node instead", code, n.Type)
	}
	switch nulls {
	case "", NullAsZero, NullSkip, NullError:
	default:
		return fmt.Errorf("unknown null handling %q (zero, skip or error)", nulls)
	}
	oldType, oldFormula := n.Type, n.Formula
	n.Type = TypeFormula
	n.Formula = &Formula{Expression: e.String(), Nulls: nulls}
	// The same check as node add, CSV import and validate.
	if err := CheckFormula(h, code); err != nil {
		n.Type, n.Formula = oldType, oldFormula
		return err
	}
	return nil
}

// FormulaInfo describes a formula node.
type FormulaInfo struct {
	Code       string       `json:"code"`
	Name       string       `json:"name"`
	Expression string       `json:"expression"`
	Nulls      NullHandling `json:"nulls"`
	References []string     `json:"references"`
	// Order is the 1-based evaluation order.
	Order    int    `json:"order"`
	Expanded string `json:"expanded,omitempty"`
}

// ListFormulas returns every formula in evaluation order.
func ListFormulas(h *Hierarchy) ([]FormulaInfo, error) {
	order, err := FormulaOrder(h)
	if err != nil {
		return nil, err
	}
	out := []FormulaInfo{}
	for i, c := range order {
		n := h.Node(c)
		fi := FormulaInfo{Code: c, Name: n.Name, Order: i + 1, Nulls: n.Formula.Nulls, References: []string{}}
		if fi.Nulls == "" {
			fi.Nulls = NullAsZero
		}
		fi.Expression = n.Formula.Expression
		if e, err := ParseFormula(n.Formula.Expression); err == nil {
			fi.Expression = e.String()
			fi.References = e.Refs()
		}
		out = append(out, fi)
	}
	return out, nil
}

// ExplainFormula returns a formula with its expansion down to non-formula
// nodes.
func ExplainFormula(h *Hierarchy, code string) (FormulaInfo, error) {
	n := h.Node(code)
	if n == nil {
		return FormulaInfo{}, unknownNode(h, code)
	}
	if n.Type != TypeFormula || n.Formula == nil {
		return FormulaInfo{}, fmt.Errorf("node %s is a %s, not a formula", code, n.Type)
	}
	all, err := ListFormulas(h)
	if err != nil {
		return FormulaInfo{}, err
	}
	var fi FormulaInfo
	for _, f := range all {
		if f.Code == code {
			fi = f
		}
	}
	e, err := ParseFormula(n.Formula.Expression)
	if err != nil {
		return FormulaInfo{}, err
	}
	idx := h.Index()
	fi.Expanded, err = e.Expand(func(c string) *Expr {
		m := idx[c]
		if m == nil || m.Type != TypeFormula || m.Formula == nil {
			return nil
		}
		x, _ := ParseFormula(m.Formula.Expression)
		return x
	})
	return fi, err
}
