package hierarchy

// CSV export of nodes and mapping rules.

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/hierarchy/csvio"
)

// ---------------------------------------------------------------- export

func csvPropKeys(nodes []*Node) []string {
	set := map[string]bool{}
	for _, n := range nodes {
		for k := range n.Properties {
			set[k] = true
		}
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ExportNodesCSV writes the hierarchy's nodes as a parent-child or
// wide-levels CSV file that ImportNodesCSV reads back to the same nodes.
// Mapping rules are not written (see ExportMappingsCSV).
//
// Parent-child files list the nodes in storage order with every attribute.
// Wide-levels files list one row per path in tree order: a row for every
// node without children, and for a node with children when it has
// attributes of its own; they need a proper tree (no orphans or cycles).
func ExportNodesCSV(w io.Writer, h *Hierarchy, shape CSVShape) error {
	switch shape {
	case CSVParentChild:
		return csvExportParentChild(w, h)
	case CSVWideLevels:
		return csvExportWide(w, h)
	case CSVMapping:
		return fmt.Errorf("mapping rules are exported with ExportMappingsCSV, not as nodes")
	}
	return fmt.Errorf("unknown CSV shape %q (use %s or %s)", shape, CSVParentChild, CSVWideLevels)
}

func csvFormulaCols(n *Node) (string, string) {
	if n.Formula == nil {
		return "", ""
	}
	return n.Formula.Expression, string(n.Formula.Nulls)
}

func csvExportParentChild(w io.Writer, h *Hierarchy) error {
	props := csvPropKeys(h.Nodes)
	nulls := false
	for _, n := range h.Nodes {
		if n.Formula != nil && n.Formula.Nulls != "" {
			nulls = true
		}
	}
	header := []string{csvio.ColCode, csvio.ColName, csvio.ColParent, csvio.ColSort, csvio.ColType, csvio.ColCons, csvio.ColFlip, csvio.ColFormula}
	if nulls {
		header = append(header, csvio.ColNulls)
	}
	for _, k := range props {
		header = append(header, "prop_"+k)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, n := range h.Nodes {
		expr, nl := csvFormulaCols(n)
		rec := []string{n.Code, n.Name, n.Parent, csvio.FormatSort(n.Sort), string(n.Type), string(n.Consolidation), csvio.FormatBool(n.FlipSign), expr}
		if nulls {
			rec = append(rec, nl)
		}
		for _, k := range props {
			rec = append(rec, n.Properties[k])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvExportWide(w io.Writer, h *Hierarchy) error {
	kids := h.Children()
	type item struct {
		n     *Node
		depth int
	}
	var order []item
	reached := map[string]bool{}
	maxDepth := 0
	h.Walk(func(n *Node, d int) bool {
		order = append(order, item{n, d})
		reached[n.Code] = true
		maxDepth = max(maxDepth, d+1)
		return true
	})
	for _, n := range h.Nodes {
		if !reached[n.Code] {
			return fmt.Errorf("node %q is not under a root (unknown parent, cycle or duplicate code): a wide-levels file can only hold a tree; fix the hierarchy or export parent-child", n.Code)
		}
	}
	if len(order) != len(h.Nodes) {
		return fmt.Errorf("the hierarchy has duplicate node codes: a wide-levels file can only hold a tree")
	}
	maxDepth = max(maxDepth, 1) // an empty hierarchy still gets a header
	plain, needSort, needType, needCons, needFlip, needFormula, needNulls := true, false, false, false, false, false, false
	for _, sibs := range kids {
		for i, s := range sibs {
			if s.Sort != (i+1)*10 {
				needSort = true
			}
		}
	}
	inferred := func(n *Node) NodeType {
		if len(kids[n.Code]) > 0 {
			return TypeRollup
		}
		return TypeLeaf
	}
	for _, it := range order {
		n := it.n
		if strings.TrimSpace(n.Name) == "" || n.Name != strings.TrimSpace(n.Name) {
			return fmt.Errorf("node %q has a blank name or one with leading or trailing spaces, which a CSV import would trim: fix the name or export parent-child", n.Code)
		}
		if csvio.CodeFromName(n.Name) != n.Code {
			plain = false
		}
		if n.Type != inferred(n) {
			needType = true
		}
		needCons = needCons || n.Consolidation != ""
		needFlip = needFlip || n.FlipSign
		if n.Formula != nil {
			needFormula = true
			needNulls = needNulls || n.Formula.Nulls != ""
		}
	}
	props := csvPropKeys(h.Nodes)
	var header []string
	for k := 1; k <= maxDepth; k++ {
		if plain {
			header = append(header, fmt.Sprintf("level_%d", k))
		} else {
			header = append(header, fmt.Sprintf("level_%d_code", k), fmt.Sprintf("level_%d_name", k))
		}
		if needSort {
			header = append(header, fmt.Sprintf("level_%d_sort", k))
		}
	}
	opt := []struct {
		on  bool
		col string
		get func(n *Node) string
	}{
		{needType, csvio.ColType, func(n *Node) string { return string(n.Type) }},
		{needCons, csvio.ColCons, func(n *Node) string { return string(n.Consolidation) }},
		{needFlip, csvio.ColFlip, func(n *Node) string { return csvio.FormatBool(n.FlipSign) }},
		{needFormula, csvio.ColFormula, func(n *Node) string { e, _ := csvFormulaCols(n); return e }},
		{needNulls, csvio.ColNulls, func(n *Node) string { _, x := csvFormulaCols(n); return x }},
	}
	for _, o := range opt {
		if o.on {
			header = append(header, o.col)
		}
	}
	for _, k := range props {
		header = append(header, "prop_"+k)
	}
	idx := h.Index()
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, it := range order {
		n := it.n
		own := n.Type != inferred(n) || n.Consolidation != "" || n.FlipSign || n.Formula != nil || len(n.Properties) > 0
		if len(kids[n.Code]) > 0 && !own {
			continue
		}
		path := make([]*Node, it.depth+1)
		for cur, d := n, it.depth; d >= 0; d-- {
			path[d] = cur
			cur = idx[cur.Parent]
		}
		var rec []string
		for k := 0; k < maxDepth; k++ {
			var p *Node
			if k < len(path) {
				p = path[k]
			}
			cell := func(f func(*Node) string) string {
				if p == nil {
					return ""
				}
				return f(p)
			}
			if plain {
				rec = append(rec, cell(func(p *Node) string { return p.Name }))
			} else {
				rec = append(rec, cell(func(p *Node) string { return p.Code }), cell(func(p *Node) string { return p.Name }))
			}
			if needSort {
				rec = append(rec, cell(func(p *Node) string { return csvio.FormatSort(p.Sort) }))
			}
		}
		for _, o := range opt {
			if o.on {
				rec = append(rec, o.get(n))
			}
		}
		for _, k := range props {
			rec = append(rec, n.Properties[k])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportMappingsCSV writes the mapping rules of every leaf, one row per
// rule in node and rule order, as a mapping CSV file that
// ImportMappingsCSV reads back to the same rules. List values are joined
// with '|' (or ';' when a value contains '|').
func ExportMappingsCSV(w io.Writer, h *Hierarchy) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{csvio.ColNode, csvio.ColName, csvio.ColColumn, csvio.ColMatch, csvio.ColValue, csvio.ColFrom, csvio.ColTo, csvio.ColAction, csvio.ColPrecedence}); err != nil {
		return err
	}
	for _, n := range h.Nodes {
		for i, r := range n.Rules {
			value := r.Value
			if r.Match == MatchList {
				var err error
				if value, err = csvio.JoinValues(r.Values); err != nil {
					return fmt.Errorf("node %q rule %d: %w", n.Code, i+1, err)
				}
			}
			action := "include"
			if r.Exclude {
				action = "exclude"
			}
			prec := ""
			if r.Precedence != 0 {
				prec = strconv.Itoa(r.Precedence)
			}
			if err := cw.Write([]string{n.Code, n.Name, r.Column, string(r.Match), value, r.From, r.To, action, prec}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
