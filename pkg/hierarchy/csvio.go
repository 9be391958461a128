package hierarchy

// CSV import and export of hierarchies. Three shapes are understood, told
// apart by their header row (see docs/hierarchy-csv.md):
//
//   - parent-child: one row per node (code, name, parent, sort, type, ...);
//   - wide levels: one row per path from a root down (LEVEL_1, LEVEL_2, ...);
//   - mapping: one row per mapping rule on a leaf (node, match, value, ...).
//
// Importers never stop at the first bad row: they report every rejected row
// with its 1-based line number in the file and a reason, and apply nothing
// unless every row was accepted (or the caller asked to skip bad rows).

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/hierarchy/csvio"
)

// CSVShape is the layout of a hierarchy CSV file.
type CSVShape = csvio.Shape

// CSV shapes.
const (
	// CSVParentChild has one row per node naming its parent.
	CSVParentChild = csvio.ParentChild
	// CSVWideLevels has one row per path: LEVEL_1, LEVEL_2, ... columns.
	CSVWideLevels = csvio.WideLevels
	// CSVMapping has one row per mapping rule of a leaf.
	CSVMapping = csvio.Mapping
)

// DetectCSV tells the shape of a hierarchy CSV file from its header row.
// Header names are case-insensitive; spaces and '-' count as '_'.
func DetectCSV(header []string) (CSVShape, error) { return csvio.Detect(header) }

// ImportOptions controls ImportNodesCSV.
type ImportOptions struct {
	// Shape forces a shape; "" detects it from the header.
	Shape CSVShape
	// Into, when set, is the hierarchy the rows are merged into: rows for
	// existing codes update those nodes (only the columns the file has),
	// other rows add nodes, nodes absent from the file are kept. Into is
	// changed only when every row was accepted (or SkipBadRows is set) and
	// DryRun is false, and then in one assignment of Into.Nodes.
	Into *Hierarchy
	// SkipBadRows applies the accepted rows even when some were rejected.
	SkipBadRows bool
	// DryRun computes the result but changes nothing.
	DryRun bool
	// File names the input in error messages ("" = "CSV").
	File string
	// Comma is the field separator; 0 detects ',', ';' or tab from the
	// header line.
	Comma rune
}

// RejectedRow is a CSV row that was not imported.
type RejectedRow = csvio.RejectedRow

// ImportSummary counts what an import did (or would do, in a dry run).
type ImportSummary struct {
	// Rows is the number of data rows read (blank rows are not counted).
	Rows      int `json:"rows"`
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Removed counts mapping rules dropped by MappingImportOptions.ReplaceRules.
	Removed  int `json:"removed,omitempty"`
	Rejected int `json:"rejected"`
}

// Import actions of a node or rule.
const (
	ImportAdded     = "added"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
)

// ImportedNode says what happened to one node of an import.
type ImportedNode struct {
	Code string `json:"code"`
	// Line is where the node is defined (wide files: the row where it is
	// the deepest level, else the first row that mentions it).
	Line   int    `json:"line"`
	Action string `json:"action"`
}

// ImportResult is the outcome of ImportNodesCSV.
type ImportResult struct {
	Shape CSVShape `json:"shape"`
	// Nodes are the accepted nodes in file order, as they are (or, in a
	// dry run or when rows were rejected, would be) in the hierarchy.
	Nodes    []*Node        `json:"nodes"`
	Changes  []ImportedNode `json:"changes"`
	Rejected []RejectedRow  `json:"rejected"`
	Summary  ImportSummary  `json:"summary"`
	DryRun   bool           `json:"dry_run"`
	// Applied is true when opts.Into was changed.
	Applied bool `json:"applied"`
}

// Hierarchy returns the imported nodes as a hierarchy (no id or name): for
// a stand-alone import. The nodes are shared, not copied.
func (r *ImportResult) Hierarchy() *Hierarchy { return &Hierarchy{Nodes: r.Nodes} }

// RejectedRowsError is returned, together with the result, when rows were
// rejected and SkipBadRows was not set: nothing was applied.
type RejectedRowsError struct {
	File string
	Rows []RejectedRow
}

func (e *RejectedRowsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d row(s) rejected, nothing imported", e.File, len(e.Rows))
	for i, r := range e.Rows {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(e.Rows)-i)
			break
		}
		fmt.Fprintf(&b, "; line %d: %s", r.Line, r.Reason)
	}
	b.WriteString(" (fix the rows, or skip them to import the rest)")
	return b.String()
}

// MappingImportOptions controls ImportMappingsCSV.
type MappingImportOptions struct {
	// SkipBadRows applies the accepted rows even when some were rejected.
	SkipBadRows bool
	// DryRun computes the result but changes nothing.
	DryRun bool
	// ReplaceRules replaces all rules of every leaf named in the file by
	// the file's rules for it; otherwise the file's rules are added to the
	// existing ones.
	ReplaceRules bool
	// File names the input in error messages ("" = "CSV").
	File string
	// Comma is the field separator; 0 detects it from the header line.
	Comma rune
}

// ImportedRule is one accepted mapping row.
type ImportedRule struct {
	Line int    `json:"line"`
	Node string `json:"node"`
	Rule Rule   `json:"rule"`
	// Action is added, or unchanged when the leaf already had the rule.
	Action string `json:"action"`
}

// MappingImportResult is the outcome of ImportMappingsCSV.
type MappingImportResult struct {
	Rules    []ImportedRule `json:"rules"`
	Rejected []RejectedRow  `json:"rejected"`
	Summary  ImportSummary  `json:"summary"`
	DryRun   bool           `json:"dry_run"`
	Applied  bool           `json:"applied"`
}

// ---------------------------------------------------------------- cells

func csvParseCons(s string) (Consolidation, error) {
	switch strings.ToLower(s) {
	case "":
		return "", nil
	case "+", "add", "plus":
		return ConsolidateAdd, nil
	case "-", "subtract", "minus":
		return ConsolidateSubtract, nil
	case "~", "ignore", "none":
		return ConsolidateIgnore, nil
	}
	return "", fmt.Errorf("bad consolidation %q (use +, - or ~, or add, subtract, ignore)", s)
}

func csvParseType(s string) (NodeType, error) {
	switch t := NodeType(strings.ToLower(s)); t {
	case "", TypeRollup, TypeLeaf, TypeFormula, TypeLabel:
		return t, nil
	}
	return "", fmt.Errorf("bad type %q (use rollup, leaf, formula or label)", s)
}

func csvParseNulls(s string) (NullHandling, error) {
	switch n := NullHandling(strings.ToLower(s)); n {
	case "", NullAsZero, NullSkip, NullError:
		return n, nil
	}
	return "", fmt.Errorf("bad formula_nulls %q (use zero, skip or error)", s)
}

// ---------------------------------------------------------------- specs

// csvSpec is what the file says about one node. Fields without their has*
// flag were not given: an existing node keeps its value, a new node gets
// the default.
type csvSpec struct {
	line    int
	record  []string
	code    string
	name    string
	hasName bool
	parent  string
	hasPar  bool
	sort    int
	hasSort bool
	typ     NodeType // "" = not given
	cons    Consolidation
	hasCons bool
	flip    bool
	hasFlip bool
	formula string // "" = not given
	hasForm bool   // the formula column exists
	nulls   NullHandling
	hasNull bool
	props   map[string]string // "" deletes
	hasProp bool

	rejected bool
}

// csvAttrs parses the node attribute cells shared by parent-child rows and
// the deepest node of wide rows.
func csvAttrs(s *csvSpec, c *csvio.Cols, rec []string) error {
	var err error
	if c.Has(csvio.ColSort) {
		if s.sort, s.hasSort, err = csvio.ParseSort(c.Get(rec, csvio.ColSort)); err != nil {
			return err
		}
	}
	if s.typ, err = csvParseType(c.Get(rec, csvio.ColType)); err != nil {
		return err
	}
	if c.Has(csvio.ColCons) {
		s.hasCons = true
		if s.cons, err = csvParseCons(c.Get(rec, csvio.ColCons)); err != nil {
			return err
		}
	}
	if c.Has(csvio.ColFlip) {
		s.hasFlip = true
		if s.flip, err = csvio.ParseBool("flip_sign", c.Get(rec, csvio.ColFlip)); err != nil {
			return err
		}
	}
	if c.Has(csvio.ColNulls) {
		s.hasNull = true
		if s.nulls, err = csvParseNulls(c.Get(rec, csvio.ColNulls)); err != nil {
			return err
		}
	}
	if c.Has(csvio.ColFormula) {
		s.hasForm = true
		s.formula = c.Get(rec, csvio.ColFormula)
	}
	if s.formula != "" {
		if s.typ != "" && s.typ != TypeFormula {
			return fmt.Errorf("a formula is given but the type is %s: set type formula or clear the formula", s.typ)
		}
		if _, err := ParseFormula(s.formula); err != nil {
			return fmt.Errorf("bad formula %q: %v", s.formula, err)
		}
	}
	if s.nulls != "" && s.typ != "" && s.typ != TypeFormula {
		return fmt.Errorf("formula_nulls %q is given but the type is %s", s.nulls, s.typ)
	}
	if len(c.Props) > 0 {
		s.hasProp = true
		s.props = map[string]string{}
		for _, p := range c.Props {
			s.props[p.Key] = rec[p.Idx]
		}
	}
	return nil
}

func csvParentChildSpecs(in *csvio.Input, c *csvio.Cols, rej *csvio.Rejects) ([]*csvSpec, map[string]int) {
	var specs []*csvSpec
	first := map[string]int{}
	for _, row := range in.Rows {
		if !csvio.CheckRow(row, c, rej) {
			continue
		}
		rec := row.Rec
		bad := func(format string, args ...any) { rej.Add(row.Line, rec, format, args...) }
		s := &csvSpec{line: row.Line, record: rec, code: c.Get(rec, csvio.ColCode)}
		if s.code == "" {
			bad("missing code")
			continue
		}
		if err := ValidCode(s.code); err != nil {
			bad("invalid code: %v", err)
			continue
		}
		if l, dup := first[s.code]; dup {
			bad("duplicate code %q (first on line %d)", s.code, l)
			continue
		}
		first[s.code] = row.Line
		if c.Has(csvio.ColName) {
			s.name, s.hasName = c.Get(rec, csvio.ColName), true
			if s.name == "" {
				bad("missing name for %q", s.code)
				continue
			}
		}
		if c.Has(csvio.ColParent) {
			s.parent, s.hasPar = c.Get(rec, csvio.ColParent), true
			if s.parent == s.code {
				bad("node %q is its own parent", s.code)
				continue
			}
		}
		if err := csvAttrs(s, c, rec); err != nil {
			bad("%s: %v", s.code, err)
			continue
		}
		specs = append(specs, s)
	}
	return specs, first
}

func csvShowParent(p string) string {
	if p == "" {
		return "the top level"
	}
	return strconv.Quote(p)
}

func csvWideSpecs(in *csvio.Input, c *csvio.Cols, rej *csvio.Rejects) []*csvSpec {
	var specs []*csvSpec
	byCode := map[string]*csvSpec{}
	defined := map[string]int{} // code -> line where it is the deepest level
	type lvl struct {
		code, name string
		sort       int
		hasSort    bool
	}
rows:
	for _, row := range in.Rows {
		if !csvio.CheckRow(row, c, rej) {
			continue
		}
		rec := row.Rec
		bad := func(format string, args ...any) { rej.Add(row.Line, rec, format, args...) }
		var path []lvl
		depth := 0
		for k, l := range c.Levels {
			for _, i := range []int{l.Plain, l.Code, l.Name} {
				if i >= 0 && rec[i] != "" {
					depth = k + 1
				}
			}
		}
		if depth == 0 {
			bad("no level has a value")
			continue
		}
		for k := 0; k < depth; k++ {
			l := c.Levels[k]
			var v lvl
			switch {
			case l.Plain >= 0:
				v.name = rec[l.Plain]
				if v.name != "" {
					v.code = csvio.CodeFromName(v.name)
					if v.code == "" {
						bad("level %d value %q gives no usable code (it has no letters or digits): use level_%d_code and level_%d_name columns", k+1, v.name, k+1, k+1)
						continue rows
					}
				}
			default:
				if l.Code >= 0 {
					v.code = rec[l.Code]
				}
				if l.Name >= 0 {
					v.name = rec[l.Name]
				}
				if v.code == "" && v.name != "" {
					if v.code = csvio.CodeFromName(v.name); v.code == "" {
						bad("level %d name %q gives no usable code: fill level_%d_code", k+1, v.name, k+1)
						continue rows
					}
				}
				if v.name == "" {
					v.name = v.code
				}
			}
			if v.code == "" {
				bad("level %d is blank but level %d is not: a row is a path from the top level down", k+1, depth)
				continue rows
			}
			if err := ValidCode(v.code); err != nil {
				bad("invalid code at level %d: %v", k+1, err)
				continue rows
			}
			if l.Sort >= 0 {
				var err error
				if v.sort, v.hasSort, err = csvio.ParseSort(rec[l.Sort]); err != nil {
					bad("level %d: %v", k+1, err)
					continue rows
				}
			}
			for j, p := range path {
				if p.code == v.code {
					bad("code %q appears twice in the path (levels %d and %d): that would be a cycle", v.code, j+1, k+1)
					continue rows
				}
			}
			parent := ""
			if k > 0 {
				parent = path[k-1].code
			}
			if s := byCode[v.code]; s != nil {
				if s.parent != parent {
					bad("code %q is under %s on line %d but under %s here: a node has one parent", v.code, csvShowParent(s.parent), s.line, csvShowParent(parent))
					continue rows
				}
				if s.name != v.name {
					bad("code %q is named %q on line %d but %q here", v.code, s.name, s.line, v.name)
					continue rows
				}
				if v.hasSort && s.hasSort && s.sort != v.sort {
					bad("level %d sort %d for %q differs from %d on line %d", k+1, v.sort, v.code, s.sort, s.line)
					continue rows
				}
			}
			path = append(path, v)
		}
		leaf := path[depth-1]
		if l, dup := defined[leaf.code]; dup {
			bad("duplicate row for %q (first on line %d)", leaf.code, l)
			continue
		}
		attrs := &csvSpec{}
		if err := csvAttrs(attrs, c, rec); err != nil {
			bad("%s: %v", leaf.code, err)
			continue
		}
		// The row is good: commit it.
		for k, v := range path {
			s := byCode[v.code]
			if s == nil {
				s = &csvSpec{line: row.Line, record: rec, code: v.code, name: v.name, hasName: true, hasPar: true}
				if k > 0 {
					s.parent = path[k-1].code
				}
				byCode[v.code] = s
				specs = append(specs, s)
			}
			if v.hasSort && !s.hasSort {
				s.sort, s.hasSort = v.sort, true
			}
		}
		s := byCode[leaf.code]
		defined[leaf.code] = row.Line
		s.line, s.record = row.Line, rec
		sortV, hasSort := s.sort, s.hasSort
		*s = csvSpec{
			line: row.Line, record: rec, code: s.code, name: s.name, hasName: true, parent: s.parent, hasPar: true,
			sort: sortV, hasSort: hasSort,
			typ: attrs.typ, cons: attrs.cons, hasCons: attrs.hasCons, flip: attrs.flip, hasFlip: attrs.hasFlip,
			formula: attrs.formula, hasForm: attrs.hasForm, nulls: attrs.nulls, hasNull: attrs.hasNull,
			props: attrs.props, hasProp: attrs.hasProp,
		}
	}
	return specs
}

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

// ImportNodesCSV reads nodes from a parent-child or wide-levels CSV file.
//
// Without opts.Into the result holds the accepted nodes in file order (see
// ImportResult.Hierarchy). With opts.Into the rows are merged into that
// hierarchy, which is changed only if no row was rejected (or
// opts.SkipBadRows) and not opts.DryRun. When rows were rejected and
// SkipBadRows is false, the result comes back with a *RejectedRowsError,
// so a store Update callback that returns the error writes nothing. Other
// errors (unreadable input, unknown header, a mapping file) return a nil
// result.
func ImportNodesCSV(r io.Reader, opts ImportOptions) (*ImportResult, error) {
	file := opts.File
	if file == "" {
		file = "CSV"
	}
	in, err := csvio.Read(r, opts.Comma, file)
	if err != nil {
		return nil, err
	}
	shape := opts.Shape
	if shape == "" {
		if shape, err = DetectCSV(in.Header); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", file, in.HeaderLine, err)
		}
	}
	if shape == CSVMapping {
		return nil, fmt.Errorf("%s: this is a mapping file (node, match, value ...): import it as mappings into an existing hierarchy, not as nodes", file)
	}
	cols, err := csvio.ParseHeader(shape, in.Header)
	if err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", file, in.HeaderLine, err)
	}
	rej := &csvio.Rejects{}
	var specs []*csvSpec
	var firstLine map[string]int
	if shape == CSVWideLevels {
		specs = csvWideSpecs(in, cols, rej)
	} else {
		specs, firstLine = csvParentChildSpecs(in, cols, rej)
	}
	res := csvResolve(specs, opts.Into, firstLine, rej)
	out := &ImportResult{Shape: shape, Nodes: res.nodes, Changes: res.changes, Rejected: rej.Sorted(), DryRun: opts.DryRun}
	if out.Nodes == nil {
		out.Nodes = []*Node{}
	}
	if out.Changes == nil {
		out.Changes = []ImportedNode{}
	}
	if out.Rejected == nil {
		out.Rejected = []RejectedRow{}
	}
	out.Summary.Rows = len(in.Rows)
	out.Summary.Rejected = len(out.Rejected)
	for _, c := range res.changes {
		switch c.Action {
		case ImportAdded:
			out.Summary.Added++
		case ImportUpdated:
			out.Summary.Updated++
		default:
			out.Summary.Unchanged++
		}
	}
	if len(out.Rejected) > 0 && !opts.SkipBadRows {
		return out, &RejectedRowsError{File: file, Rows: out.Rejected}
	}
	if opts.Into != nil && !opts.DryRun {
		opts.Into.Nodes = res.merged
		out.Applied = true
	}
	return out, nil
}

// ---------------------------------------------------------------- mappings

// csvRuleKey identifies a rule for duplicate detection: list values are
// compared as a set, precedence 0 equals the default, and a blank column
// equals the hierarchy's default column.
func csvRuleKey(r Rule, defCol string) string {
	col := r.Column
	if col == "" {
		col = defCol
	}
	vals := append([]string(nil), r.Values...)
	sort.Strings(vals)
	vals = slices.Compact(vals)
	return strconv.Quote(col) + "|" + strconv.Quote(string(r.Match)) + "|" + strconv.Quote(r.Value) + "|" +
		fmt.Sprintf("%q", vals) + "|" + strconv.Quote(r.From) + "|" + strconv.Quote(r.To) + "|" +
		strconv.FormatBool(r.Exclude) + "|" + strconv.Itoa(r.EffectivePrecedence())
}

// ImportMappingsCSV reads mapping rules from a mapping CSV file and adds
// them to the leaves of h. Every rule is checked with CheckRule; rows for
// unknown nodes or non-leaves are rejected; a rule the leaf already has
// (or that an earlier row gave) counts as unchanged. h is changed only if
// no row was rejected (or opts.SkipBadRows) and not opts.DryRun; when rows
// were rejected and SkipBadRows is false the result comes back with a
// *RejectedRowsError.
func ImportMappingsCSV(r io.Reader, h *Hierarchy, opts MappingImportOptions) (*MappingImportResult, error) {
	file := opts.File
	if file == "" {
		file = "CSV"
	}
	if h == nil {
		return nil, fmt.Errorf("%s: no hierarchy to import mappings into", file)
	}
	in, err := csvio.Read(r, opts.Comma, file)
	if err != nil {
		return nil, err
	}
	shape, err := DetectCSV(in.Header)
	if err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", file, in.HeaderLine, err)
	}
	if shape != CSVMapping {
		return nil, fmt.Errorf("%s: line %d: this is a %s file, not a mapping file: a mapping file has node, match and value (or from, to) columns", file, in.HeaderLine, shape)
	}
	c, err := csvio.ParseHeader(CSVMapping, in.Header)
	if err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", file, in.HeaderLine, err)
	}
	idx := h.Index()
	defCol := h.DefaultColumn()
	rej := &csvio.Rejects{}
	res := &MappingImportResult{DryRun: opts.DryRun, Rules: []ImportedRule{}}
	newRules := map[string][]Rule{}
	keys := map[string]map[string]bool{}
	var touched []string
	oldKeys := map[string]map[string]bool{}
	for _, row := range in.Rows {
		if !csvio.CheckRow(row, c, rej) {
			continue
		}
		rec := row.Rec
		bad := func(format string, args ...any) { rej.Add(row.Line, rec, format, args...) }
		code := c.Get(rec, csvio.ColNode)
		if code == "" {
			bad("missing node")
			continue
		}
		n := idx[code]
		if n == nil {
			bad("unknown node %q", code)
			continue
		}
		if n.Type != TypeLeaf {
			bad("node %q is a %s, not a leaf: mapping rules attach only to leaves", code, n.Type)
			continue
		}
		rule := Rule{Column: c.Get(rec, csvio.ColColumn), Match: MatchType(strings.ToLower(c.Get(rec, csvio.ColMatch)))}
		if rule.Match == "" {
			bad("missing match type (%s)", joinMatch())
			continue
		}
		if !slices.Contains(MatchTypes, rule.Match) {
			bad("unknown match type %q (%s)", c.Get(rec, csvio.ColMatch), joinMatch())
			continue
		}
		value, from, to := c.Get(rec, csvio.ColValue), c.Get(rec, csvio.ColFrom), c.Get(rec, csvio.ColTo)
		switch rule.Match {
		case MatchRange:
			if from == "" && to == "" && strings.Contains(value, "..") {
				from, to, _ = strings.Cut(value, "..")
				from, to = strings.TrimSpace(from), strings.TrimSpace(to)
				value = ""
			}
			if value != "" {
				bad("a range rule takes from and to (or a value like 4000..4999), not value %q", value)
				continue
			}
			rule.From, rule.To = from, to
		case MatchList:
			rule.Values = csvio.SplitValues(value)
		default:
			rule.Value = value
		}
		if rule.Match != MatchRange && (from != "" || to != "") {
			bad("from and to are only for range rules, this is a %s rule", rule.Match)
			continue
		}
		exclude := false
		if c.Has(csvio.ColAction) {
			switch a := strings.ToLower(c.Get(rec, csvio.ColAction)); a {
			case "", "include", "incl", "in":
			case "exclude", "excl", "out":
				exclude = true
			default:
				bad("bad action %q (use include or exclude)", c.Get(rec, csvio.ColAction))
				continue
			}
		}
		if c.Has(csvio.ColExclude) {
			cell := c.Get(rec, csvio.ColExclude)
			x, err := csvio.ParseBool("exclude", cell)
			if err != nil {
				bad("%v", err)
				continue
			}
			if c.Has(csvio.ColAction) && c.Get(rec, csvio.ColAction) != "" && cell != "" && x != exclude {
				bad("action %q and exclude %q disagree", c.Get(rec, csvio.ColAction), cell)
				continue
			}
			exclude = exclude || x
		}
		rule.Exclude = exclude
		if p := c.Get(rec, csvio.ColPrecedence); p != "" {
			v, err := strconv.Atoi(p)
			if err != nil || v > 1_000_000 {
				bad("bad precedence %q (use a whole number, 1 is the default)", p)
				continue
			}
			rule.Precedence = v
		}
		if rule.Column != "" && len(h.SourceColumns) > 0 && !slices.Contains(h.SourceColumns, rule.Column) {
			bad("unknown column %q: the hierarchy maps %s (add the column to its source columns first)", rule.Column, strings.Join(h.SourceColumns, ", "))
			continue
		}
		if err := CheckRule(rule); err != nil {
			bad("node %q: %v", code, err)
			continue
		}
		if _, ok := newRules[code]; !ok {
			touched = append(touched, code)
			oldKeys[code] = map[string]bool{}
			for _, r := range n.Rules {
				oldKeys[code][csvRuleKey(r, defCol)] = true
			}
			keys[code] = map[string]bool{}
			if opts.ReplaceRules {
				newRules[code] = []Rule{}
			} else {
				newRules[code] = append([]Rule{}, n.Rules...)
				for k := range oldKeys[code] {
					keys[code][k] = true
				}
			}
		}
		k := csvRuleKey(rule, defCol)
		action := ImportAdded
		if oldKeys[code][k] || keys[code][k] {
			action = ImportUnchanged
		}
		if !keys[code][k] {
			keys[code][k] = true
			if opts.ReplaceRules && oldKeys[code][k] {
				for _, r := range n.Rules {
					if csvRuleKey(r, defCol) == k {
						rule = r // keep the stored form
						break
					}
				}
			}
			newRules[code] = append(newRules[code], rule)
		}
		res.Rules = append(res.Rules, ImportedRule{Line: row.Line, Node: code, Rule: rule, Action: action})
		if action == ImportAdded {
			res.Summary.Added++
		} else {
			res.Summary.Unchanged++
		}
	}
	if opts.ReplaceRules {
		for _, code := range touched {
			for _, r := range idx[code].Rules {
				if !keys[code][csvRuleKey(r, defCol)] {
					res.Summary.Removed++
				}
			}
		}
	}
	res.Rejected = rej.Sorted()
	if res.Rejected == nil {
		res.Rejected = []RejectedRow{}
	}
	res.Summary.Rows = len(in.Rows)
	res.Summary.Rejected = len(res.Rejected)
	if len(res.Rejected) > 0 && !opts.SkipBadRows {
		return res, &RejectedRowsError{File: file, Rows: res.Rejected}
	}
	if !opts.DryRun {
		for _, code := range touched {
			rs := newRules[code]
			if len(rs) == 0 {
				rs = nil
			}
			idx[code].Rules = rs
		}
		res.Applied = true
	}
	return res, nil
}

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
