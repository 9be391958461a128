package hierarchy

import (
	"fmt"
	"sort"
)

// Diff is what changed between two versions of a hierarchy.
type Diff struct {
	ID      string       `json:"id"`
	From    int          `json:"from_version"`
	To      int          `json:"to_version"`
	Added   []NodeChange `json:"added"`
	Removed []NodeChange `json:"removed"`
	Moved   []NodeChange `json:"moved"`
	Changed []NodeChange `json:"changed"`
	// Mappings lists rules added to and removed from each node.
	Mappings []MappingChange `json:"mappings"`
}

// NodeChange is one node-level difference.
type NodeChange struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
	// Moved: old and new parent (and position among siblings).
	FromParent string `json:"from_parent,omitempty"`
	ToParent   string `json:"to_parent,omitempty"`
	FromPos    int    `json:"from_position,omitempty"`
	ToPos      int    `json:"to_position,omitempty"`
	// Changed: field → "old → new".
	Fields map[string]string `json:"fields,omitempty"`
}

// MappingChange lists rule changes on one node.
type MappingChange struct {
	Node    string   `json:"node"`
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.Added)+len(d.Removed)+len(d.Moved)+len(d.Changed)+len(d.Mappings) == 0
}

// DiffHierarchies compares two versions of a hierarchy node by node (by
// code).
func DiffHierarchies(a, b *Hierarchy) *Diff {
	d := &Diff{ID: b.ID, From: a.Version, To: b.Version, Added: []NodeChange{}, Removed: []NodeChange{}, Moved: []NodeChange{}, Changed: []NodeChange{}, Mappings: []MappingChange{}}
	ai, bi := a.Index(), b.Index()
	apos, bpos := positions(a), positions(b)
	reordered := reorderedNodes(a, b)
	for _, n := range b.Nodes {
		o, ok := ai[n.Code]
		if !ok {
			d.Added = append(d.Added, NodeChange{Code: n.Code, Name: n.Name, ToParent: n.Parent})
			if len(n.Rules) > 0 {
				d.Mappings = append(d.Mappings, MappingChange{Node: n.Code, Added: ruleTexts(b, n.Rules)})
			}
			continue
		}
		if o.Parent != n.Parent || reordered[n.Code] {
			d.Moved = append(d.Moved, NodeChange{Code: n.Code, Name: n.Name, FromParent: o.Parent, ToParent: n.Parent, FromPos: apos[n.Code], ToPos: bpos[n.Code]})
		}
		f := map[string]string{}
		cmp := func(field, x, y string) {
			if x != y {
				f[field] = fmt.Sprintf("%s → %s", orDash(x), orDash(y))
			}
		}
		cmp("name", o.Name, n.Name)
		cmp("type", string(o.Type), string(n.Type))
		cmp("consolidation", string(orPlus(o.Consolidation)), string(orPlus(n.Consolidation)))
		cmp("flip_sign", fmt.Sprint(o.FlipSign), fmt.Sprint(n.FlipSign))
		cmp("formula", formulaText(o), formulaText(n))
		cmp("properties", fmt.Sprint(o.Properties), fmt.Sprint(n.Properties))
		if len(f) > 0 {
			d.Changed = append(d.Changed, NodeChange{Code: n.Code, Name: n.Name, Fields: f})
		}
		if mc := diffRules(n.Code, ruleTexts(a, o.Rules), ruleTexts(b, n.Rules)); mc != nil {
			d.Mappings = append(d.Mappings, *mc)
		}
	}
	for _, o := range a.Nodes {
		if _, ok := bi[o.Code]; !ok {
			d.Removed = append(d.Removed, NodeChange{Code: o.Code, Name: o.Name, FromParent: o.Parent})
			if len(o.Rules) > 0 {
				d.Mappings = append(d.Mappings, MappingChange{Node: o.Code, Removed: ruleTexts(a, o.Rules)})
			}
		}
	}
	sort.SliceStable(d.Mappings, func(i, j int) bool { return d.Mappings[i].Node < d.Mappings[j].Node })
	return d
}

func positions(h *Hierarchy) map[string]int {
	out := map[string]int{}
	for _, kids := range h.Children() {
		for i, k := range kids {
			out[k.Code] = i + 1
		}
	}
	return out
}

func ruleTexts(h *Hierarchy, rs []Rule) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		r.Column = h.RuleColumn(r)
		out[i] = r.String()
	}
	return out
}

// reorderedNodes finds nodes whose order relative to their siblings
// changed while keeping the same parent: per parent, the siblings present
// in both versions are compared, and those outside a longest common
// subsequence of the two orders count as moved (earlier nodes are kept in
// place when there is a choice). Insertions and removals alone move
// nothing.
func reorderedNodes(a, b *Hierarchy) map[string]bool {
	out := map[string]bool{}
	ak, bk := a.Children(), b.Children()
	bi := b.Index()
	for parent, akids := range ak {
		var x []string
		for _, k := range akids {
			if n := bi[k.Code]; n != nil && n.Parent == parent {
				x = append(x, k.Code)
			}
		}
		in := map[string]bool{}
		for _, c := range x {
			in[c] = true
		}
		var y []string
		for _, k := range bk[parent] {
			if in[k.Code] {
				y = append(y, k.Code)
			}
		}
		keep := lcs(x, y)
		for _, c := range x {
			if !keep[c] {
				out[c] = true
			}
		}
	}
	return out
}

// lcs returns the members of a longest common subsequence of x and y,
// preferring x's earlier elements.
func lcs(x, y []string) map[string]bool {
	n, m := len(x), len(y)
	dp := make([][]int, n+1)
	for i := range dp {
		dp[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else if dp[i+1][j] >= dp[i][j+1] {
				dp[i][j] = dp[i+1][j]
			} else {
				dp[i][j] = dp[i][j+1]
			}
		}
	}
	keep := map[string]bool{}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case x[i] == y[j]:
			keep[x[i]] = true
			i++
			j++
		case dp[i][j+1] >= dp[i+1][j]:
			j++
		default:
			i++
		}
	}
	return keep
}

func diffRules(code string, a, b []string) *MappingChange {
	ac, bc := map[string]int{}, map[string]int{}
	for _, t := range a {
		ac[t]++
	}
	for _, t := range b {
		bc[t]++
	}
	mc := MappingChange{Node: code}
	for _, t := range b {
		if ac[t] > 0 {
			ac[t]--
			continue
		}
		mc.Added = append(mc.Added, t)
	}
	for _, t := range a {
		if bc[t] > 0 {
			bc[t]--
			continue
		}
		mc.Removed = append(mc.Removed, t)
	}
	if len(mc.Added)+len(mc.Removed) == 0 {
		return nil
	}
	return &mc
}

func formulaText(n *Node) string {
	if n.Formula == nil {
		return ""
	}
	s := n.Formula.Expression
	if n.Formula.Nulls != "" && n.Formula.Nulls != NullAsZero {
		s += " (nulls: " + string(n.Formula.Nulls) + ")"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orPlus(c Consolidation) Consolidation {
	if c == "" {
		return ConsolidateAdd
	}
	return c
}
