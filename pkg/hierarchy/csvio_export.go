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

// csvExportWide writes a wide-levels file: the nodes in tree order
// (csvWideOrder), the columns the nodes need (csvWideColumns), then one
// row per path (csvWideExport.row).
func csvExportWide(w io.Writer, h *Hierarchy) error {
	order, maxDepth, err := csvWideOrder(h)
	if err != nil {
		return err
	}
	x := &csvWideExport{kids: h.Children(), idx: h.Index(), maxDepth: maxDepth, props: csvPropKeys(h.Nodes)}
	if err := x.columns(h, order); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(x.header()); err != nil {
		return err
	}
	for _, it := range order {
		rec := x.row(it.n, it.depth)
		if rec == nil {
			continue
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvWideItem is a node and its depth (0 at the top).
type csvWideItem struct {
	n     *Node
	depth int
}

// csvWideOrder lists the nodes in tree order with their depth, and the
// number of levels (at least 1: an empty hierarchy still gets a header).
// A wide file can only hold a tree: no orphans, cycles or duplicate codes.
func csvWideOrder(h *Hierarchy) ([]csvWideItem, int, error) {
	var order []csvWideItem
	reached := map[string]bool{}
	maxDepth := 0
	h.Walk(func(n *Node, d int) bool {
		order = append(order, csvWideItem{n, d})
		reached[n.Code] = true
		maxDepth = max(maxDepth, d+1)
		return true
	})
	for _, n := range h.Nodes {
		if !reached[n.Code] {
			return nil, 0, fmt.Errorf("node %q is not under a root (unknown parent, cycle or duplicate code): a wide-levels file can only hold a tree; fix the hierarchy or export parent-child", n.Code)
		}
	}
	if len(order) != len(h.Nodes) {
		return nil, 0, fmt.Errorf("the hierarchy has duplicate node codes: a wide-levels file can only hold a tree")
	}
	return order, max(maxDepth, 1), nil
}

// csvWideOpt is an optional attribute column of a wide file.
type csvWideOpt struct {
	on  bool
	col string
	get func(n *Node) string
}

// csvWideExport holds the layout of a wide file.
type csvWideExport struct {
	kids     map[string][]*Node
	idx      map[string]*Node
	maxDepth int
	props    []string
	plain    bool // level_N columns (codes follow from names), else level_N_code + level_N_name
	needSort bool // level_N_sort columns: some sort is not 10, 20, 30 ... in sibling order
	opt      []csvWideOpt
}

// inferred is the type an import gives n when the file does not say.
func (x *csvWideExport) inferred(n *Node) NodeType {
	if len(x.kids[n.Code]) > 0 {
		return TypeRollup
	}
	return TypeLeaf
}

// columns decides which columns the nodes need.
func (x *csvWideExport) columns(h *Hierarchy, order []csvWideItem) error {
	x.plain = true
	for _, sibs := range x.kids {
		for i, s := range sibs {
			if s.Sort != (i+1)*10 {
				x.needSort = true
			}
		}
	}
	var needType, needCons, needFlip, needFormula, needNulls bool
	for _, it := range order {
		n := it.n
		if strings.TrimSpace(n.Name) == "" || n.Name != strings.TrimSpace(n.Name) {
			return fmt.Errorf("node %q has a blank name or one with leading or trailing spaces, which a CSV import would trim: fix the name or export parent-child", n.Code)
		}
		if csvio.CodeFromName(n.Name) != n.Code {
			x.plain = false
		}
		if n.Type != x.inferred(n) {
			needType = true
		}
		needCons = needCons || n.Consolidation != ""
		needFlip = needFlip || n.FlipSign
		if n.Formula != nil {
			needFormula = true
			needNulls = needNulls || n.Formula.Nulls != ""
		}
	}
	x.opt = []csvWideOpt{
		{needType, csvio.ColType, func(n *Node) string { return string(n.Type) }},
		{needCons, csvio.ColCons, func(n *Node) string { return string(n.Consolidation) }},
		{needFlip, csvio.ColFlip, func(n *Node) string { return csvio.FormatBool(n.FlipSign) }},
		{needFormula, csvio.ColFormula, func(n *Node) string { e, _ := csvFormulaCols(n); return e }},
		{needNulls, csvio.ColNulls, func(n *Node) string { _, x := csvFormulaCols(n); return x }},
	}
	return nil
}

func (x *csvWideExport) header() []string {
	var header []string
	for k := 1; k <= x.maxDepth; k++ {
		if x.plain {
			header = append(header, fmt.Sprintf("level_%d", k))
		} else {
			header = append(header, fmt.Sprintf("level_%d_code", k), fmt.Sprintf("level_%d_name", k))
		}
		if x.needSort {
			header = append(header, fmt.Sprintf("level_%d_sort", k))
		}
	}
	for _, o := range x.opt {
		if o.on {
			header = append(header, o.col)
		}
	}
	for _, k := range x.props {
		header = append(header, "prop_"+k)
	}
	return header
}

// row is the row of n at depth: the path from the top down to n, then
// n's attributes. It is nil for a node with children and no attributes of
// its own (the rows of its children give it).
func (x *csvWideExport) row(n *Node, depth int) []string {
	own := n.Type != x.inferred(n) || n.Consolidation != "" || n.FlipSign || n.Formula != nil || len(n.Properties) > 0
	if len(x.kids[n.Code]) > 0 && !own {
		return nil
	}
	path := make([]*Node, depth+1)
	for cur, d := n, depth; d >= 0; d-- {
		path[d] = cur
		cur = x.idx[cur.Parent]
	}
	var rec []string
	for k := 0; k < x.maxDepth; k++ {
		if k >= len(path) {
			rec = append(rec, x.levelCells(nil)...)
		} else {
			rec = append(rec, x.levelCells(path[k])...)
		}
	}
	for _, o := range x.opt {
		if o.on {
			rec = append(rec, o.get(n))
		}
	}
	for _, k := range x.props {
		rec = append(rec, n.Properties[k])
	}
	return rec
}

// levelCells are the cells of one level for node p (nil: blank cells).
func (x *csvWideExport) levelCells(p *Node) []string {
	cell := func(f func(*Node) string) string {
		if p == nil {
			return ""
		}
		return f(p)
	}
	var rec []string
	if x.plain {
		rec = append(rec, cell(func(p *Node) string { return p.Name }))
	} else {
		rec = append(rec, cell(func(p *Node) string { return p.Code }), cell(func(p *Node) string { return p.Name }))
	}
	if x.needSort {
		rec = append(rec, cell(func(p *Node) string { return csvio.FormatSort(p.Sort) }))
	}
	return rec
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
