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
	for _, n := range b.Nodes {
		o, ok := ai[n.Code]
		if !ok {
			d.Added = append(d.Added, NodeChange{Code: n.Code, Name: n.Name, ToParent: n.Parent})
			if len(n.Rules) > 0 {
				d.Mappings = append(d.Mappings, MappingChange{Node: n.Code, Added: ruleTexts(n.Rules)})
			}
			continue
		}
		if o.Parent != n.Parent || apos[n.Code] != bpos[n.Code] {
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
		if mc := diffRules(n.Code, o.Rules, n.Rules); mc != nil {
			d.Mappings = append(d.Mappings, *mc)
		}
	}
	for _, o := range a.Nodes {
		if _, ok := bi[o.Code]; !ok {
			d.Removed = append(d.Removed, NodeChange{Code: o.Code, Name: o.Name, FromParent: o.Parent})
			if len(o.Rules) > 0 {
				d.Mappings = append(d.Mappings, MappingChange{Node: o.Code, Removed: ruleTexts(o.Rules)})
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

func ruleTexts(rs []Rule) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}

func diffRules(code string, a, b []Rule) *MappingChange {
	ac, bc := map[string]int{}, map[string]int{}
	for _, r := range a {
		ac[r.String()]++
	}
	for _, r := range b {
		bc[r.String()]++
	}
	mc := MappingChange{Node: code}
	for _, r := range b {
		t := r.String()
		if ac[t] > 0 {
			ac[t]--
			continue
		}
		mc.Added = append(mc.Added, t)
	}
	for _, r := range a {
		t := r.String()
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
