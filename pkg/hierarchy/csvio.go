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
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// CSVShape is the layout of a hierarchy CSV file.
type CSVShape string

// CSV shapes.
const (
	// CSVParentChild has one row per node naming its parent.
	CSVParentChild CSVShape = "parent-child"
	// CSVWideLevels has one row per path: LEVEL_1, LEVEL_2, ... columns.
	CSVWideLevels CSVShape = "wide-levels"
	// CSVMapping has one row per mapping rule of a leaf.
	CSVMapping CSVShape = "mapping"
)

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
type RejectedRow struct {
	// Line is the 1-based line of the file where the row starts.
	Line   int      `json:"line"`
	Reason string   `json:"reason"`
	Record []string `json:"record,omitempty"`
}

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

// ---------------------------------------------------------------- header

// Canonical column names.
const (
	csvFCode    = "code"
	csvFName    = "name"
	csvFParent  = "parent"
	csvFSort    = "sort"
	csvFType    = "type"
	csvFCons    = "consolidation"
	csvFFlip    = "flip_sign"
	csvFFormula = "formula"
	csvFNulls   = "formula_nulls"

	csvFNode       = "node"
	csvFColumn     = "column"
	csvFMatch      = "match"
	csvFValue      = "value"
	csvFFrom       = "from"
	csvFTo         = "to"
	csvFAction     = "action"
	csvFExclude    = "exclude"
	csvFPrecedence = "precedence"
	csvFNodeName   = "node_name"
)

var csvNodeAliases = map[string]string{
	"code": csvFCode, "node_code": csvFCode, "node": csvFCode,
	"name": csvFName, "node_name": csvFName, "display_name": csvFName,
	"parent": csvFParent, "parent_code": csvFParent, "parent_node": csvFParent,
	"sort": csvFSort, "sort_order": csvFSort, "order": csvFSort, "sequence": csvFSort,
	"type": csvFType, "node_type": csvFType,
	"consolidation": csvFCons, "consolidation_operator": csvFCons, "operator": csvFCons,
	"flip_sign": csvFFlip, "flip": csvFFlip, "reverse_sign": csvFFlip, "sign_flip": csvFFlip,
	"formula": csvFFormula, "expression": csvFFormula, "formula_expression": csvFFormula,
	"formula_nulls": csvFNulls, "nulls": csvFNulls, "null_handling": csvFNulls,
}

var csvMappingAliases = map[string]string{
	"node": csvFNode, "node_code": csvFNode, "code": csvFNode, "leaf": csvFNode, "leaf_code": csvFNode,
	"name": csvFNodeName, "node_name": csvFNodeName,
	"column": csvFColumn, "source_column": csvFColumn, "col": csvFColumn, "field": csvFColumn,
	"match": csvFMatch, "match_type": csvFMatch,
	"value": csvFValue, "values": csvFValue,
	"from": csvFFrom, "range_from": csvFFrom, "from_value": csvFFrom, "low": csvFFrom,
	"to": csvFTo, "range_to": csvFTo, "to_value": csvFTo, "high": csvFTo,
	"action": csvFAction, "include_exclude": csvFAction, "mode": csvFAction,
	"exclude": csvFExclude, "is_exclude": csvFExclude,
	"precedence": csvFPrecedence, "priority": csvFPrecedence,
}

var csvLevelRe = regexp.MustCompile(`^level_?([0-9]{1,3})(?:_(code|name|sort))?$`)

// csvNormHeader lower-cases a header cell, trims it and turns runs of
// spaces, '-' and '_' into one '_'.
func csvNormHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '\t' })
	return strings.Join(f, "_")
}

// csvPropKey returns the property key of a header cell with the optional
// prop_ prefix, and whether it had the prefix.
func csvPropKey(orig string) (string, bool) {
	o := strings.TrimSpace(strings.TrimPrefix(orig, "\ufeff"))
	if len(o) >= 5 && strings.EqualFold(o[:4], "prop") && (o[4] == '_' || o[4] == ' ' || o[4] == '-') {
		return strings.TrimSpace(o[5:]), true
	}
	return o, false
}

const csvExpected = "expected one of: a parent-child file (columns code, name, parent and optionally sort, type, consolidation, flip_sign, formula), " +
	"a wide-levels file (columns level_1, level_2, ... or level_1_code + level_1_name, ...), " +
	"or a mapping file (columns node, match and value or from + to, optionally column, action or exclude, precedence)"

// DetectCSV tells the shape of a hierarchy CSV file from its header row.
// Header names are case-insensitive; spaces and '-' count as '_'.
func DetectCSV(header []string) (CSVShape, error) {
	var hasCode, hasParent, hasMatch, hasNode bool
	for _, h := range header {
		n := csvNormHeader(h)
		if csvLevelRe.MatchString(n) {
			return CSVWideLevels, nil
		}
		if csvMappingAliases[n] == csvFMatch {
			hasMatch = true
		}
		if csvMappingAliases[n] == csvFNode {
			hasNode = true
		}
		switch csvNodeAliases[n] {
		case csvFCode:
			hasCode = true
		case csvFParent:
			hasParent = true
		}
	}
	switch {
	case hasCode && hasParent:
		return CSVParentChild, nil
	case hasMatch && hasNode:
		return CSVMapping, nil
	case hasMatch:
		return "", fmt.Errorf("header %s has a match column but no node column: a mapping file needs node (or node_code, leaf) to say which leaf each rule belongs to", csvShowHeader(header))
	case hasCode:
		return CSVParentChild, nil
	}
	return "", fmt.Errorf("cannot tell the CSV shape from header %s: %s", csvShowHeader(header), csvExpected)
}

func csvShowHeader(header []string) string {
	q := make([]string, len(header))
	for i, h := range header {
		q[i] = strconv.Quote(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	return "[" + strings.Join(q, ", ") + "]"
}

type csvProp struct {
	idx int
	key string
}

type csvLevel struct {
	plain, code, name, sort int // column index or -1
}

type csvCols struct {
	field   map[string]int
	props   []csvProp
	levels  []csvLevel
	unnamed []int
	width   int
}

func (c *csvCols) has(f string) bool { _, ok := c.field[f]; return ok }

func (c *csvCols) get(rec []string, f string) string {
	if i, ok := c.field[f]; ok {
		return rec[i]
	}
	return ""
}

func csvColName(header []string, i int) string {
	return fmt.Sprintf("%q (column %d)", strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")), i+1)
}

// csvParseHeader maps the header cells of a file of the given shape.
func csvParseHeader(shape CSVShape, header []string) (*csvCols, error) {
	c := &csvCols{field: map[string]int{}, width: len(header)}
	claim := func(f string, i int) error {
		if j, dup := c.field[f]; dup {
			return fmt.Errorf("columns %s and %s both give the %s", csvColName(header, j), csvColName(header, i), f)
		}
		c.field[f] = i
		return nil
	}
	propSeen := map[string]int{}
	addProp := func(key string, i int) error {
		if key == "" {
			return fmt.Errorf("column %s names an empty property", csvColName(header, i))
		}
		if j, dup := propSeen[key]; dup {
			return fmt.Errorf("columns %s and %s both give property %q", csvColName(header, j), csvColName(header, i), key)
		}
		propSeen[key] = i
		c.props = append(c.props, csvProp{idx: i, key: key})
		return nil
	}
	levels := map[int]*csvLevel{}
	for i, h := range header {
		n := csvNormHeader(h)
		if n == "" {
			c.unnamed = append(c.unnamed, i)
			continue
		}
		switch shape {
		case CSVMapping:
			f, ok := csvMappingAliases[n]
			if !ok {
				return nil, fmt.Errorf("unknown column %s in a mapping file: use node, column, match, value, from, to, action or exclude, precedence (and optionally name)", csvColName(header, i))
			}
			if err := claim(f, i); err != nil {
				return nil, err
			}
		case CSVParentChild, CSVWideLevels:
			if key, ok := csvPropKey(h); ok {
				if err := addProp(key, i); err != nil {
					return nil, err
				}
				continue
			}
			if shape == CSVWideLevels {
				if m := csvLevelRe.FindStringSubmatch(n); m != nil {
					k, _ := strconv.Atoi(m[1])
					if k < 1 {
						return nil, fmt.Errorf("column %s: levels are numbered from 1", csvColName(header, i))
					}
					l := levels[k]
					if l == nil {
						l = &csvLevel{-1, -1, -1, -1}
						levels[k] = l
					}
					p := map[string]*int{"": &l.plain, "code": &l.code, "name": &l.name, "sort": &l.sort}[m[2]]
					if *p >= 0 {
						return nil, fmt.Errorf("columns %s and %s are the same level column", csvColName(header, *p), csvColName(header, i))
					}
					*p = i
					continue
				}
			}
			f, ok := csvNodeAliases[n]
			if !ok {
				if err := addProp(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), i); err != nil {
					return nil, err
				}
				continue
			}
			if shape == CSVWideLevels && (f == csvFCode || f == csvFName || f == csvFParent || f == csvFSort) {
				return nil, fmt.Errorf("column %s is not used in a wide-levels file, which gives codes, names and sort orders in level_N / level_N_code / level_N_name / level_N_sort columns (rename it prop_%s to keep it as a property)", csvColName(header, i), strings.TrimSpace(h))
			}
			if err := claim(f, i); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unknown CSV shape %q (use %s, %s or %s)", shape, CSVParentChild, CSVWideLevels, CSVMapping)
		}
	}
	switch shape {
	case CSVMapping:
		if !c.has(csvFNode) {
			return nil, fmt.Errorf("a mapping file needs a node column (header %s)", csvShowHeader(header))
		}
		if !c.has(csvFMatch) {
			return nil, fmt.Errorf("a mapping file needs a match column: exact, list, range, prefix or pattern (header %s)", csvShowHeader(header))
		}
		if !c.has(csvFValue) && !(c.has(csvFFrom) && c.has(csvFTo)) {
			return nil, fmt.Errorf("a mapping file needs a value column or from and to columns (header %s)", csvShowHeader(header))
		}
	case CSVParentChild:
		if !c.has(csvFCode) {
			return nil, fmt.Errorf("a parent-child file needs a code column (or node_code) (header %s)", csvShowHeader(header))
		}
	case CSVWideLevels:
		max := 0
		for k := range levels {
			max = maxInt(max, k)
		}
		if max == 0 {
			return nil, fmt.Errorf("a wide-levels file needs level_1, level_2, ... columns (header %s)", csvShowHeader(header))
		}
		for k := 1; k <= max; k++ {
			l := levels[k]
			switch {
			case l == nil || (l.plain < 0 && l.code < 0 && l.name < 0):
				return nil, fmt.Errorf("levels must be numbered 1..%d without gaps: there is no level_%d, level_%d_code or level_%d_name column", max, k, k, k)
			case l.plain >= 0 && (l.code >= 0 || l.name >= 0):
				return nil, fmt.Errorf("level %d has both a level_%d column and level_%d_code/level_%d_name columns: use one style per level", k, k, k, k)
			}
			c.levels = append(c.levels, *l)
		}
	}
	return c, nil
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// ---------------------------------------------------------------- reading

type csvRow struct {
	line int
	rec  []string
	bad  string // the row is not valid CSV
}

type csvInput struct {
	header     []string
	headerLine int
	rows       []csvRow
}

// csvSniffComma picks ',', ';' or tab: the most frequent outside quotes on
// the first line (',' on a tie).
func csvSniffComma(data []byte) rune {
	counts := map[byte]int{}
	inQ := false
	for _, b := range data {
		if b == '"' {
			inQ = !inQ
			continue
		}
		if inQ {
			continue
		}
		if b == '\n' {
			break
		}
		counts[b]++
	}
	best, n := ',', counts[',']
	if counts[';'] > n {
		best, n = ';', counts[';']
	}
	if counts['\t'] > n {
		best = '\t'
	}
	return best
}

func csvRead(r io.Reader, comma rune, file string) (*csvInput, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if comma == 0 {
		comma = csvSniffComma(data)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	in := &csvInput{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			if in.header == nil {
				return nil, fmt.Errorf("%s: line %d: the header is not valid CSV: %v (line %d, column %d)", file, pe.StartLine, pe.Err, pe.Line, pe.Column)
			}
			in.rows = append(in.rows, csvRow{line: pe.StartLine, bad: fmt.Sprintf("not valid CSV: %v (line %d, column %d); quote a field that contains a quote, the separator or a line break, and double the quotes inside it", pe.Err, pe.Line, pe.Column)})
			continue
		}
		line, _ := cr.FieldPos(0)
		blank := true
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
			if rec[i] != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		if in.header == nil {
			in.header, in.headerLine = rec, line
			continue
		}
		in.rows = append(in.rows, csvRow{line: line, rec: rec})
	}
	if in.header == nil {
		return nil, fmt.Errorf("%s: the file is empty: expected a header row (%s)", file, csvExpected)
	}
	return in, nil
}

type csvRejects struct {
	rows   []RejectedRow
	byLine map[int]int // line -> index in rows
}

func (c *csvRejects) add(line int, rec []string, format string, args ...any) {
	if c.byLine == nil {
		c.byLine = map[int]int{}
	}
	if _, dup := c.byLine[line]; dup {
		return
	}
	c.byLine[line] = len(c.rows)
	c.rows = append(c.rows, RejectedRow{Line: line, Reason: fmt.Sprintf(format, args...), Record: rec})
}

func (c *csvRejects) has(line int) bool { _, ok := c.byLine[line]; return ok }

func (c *csvRejects) sorted() []RejectedRow {
	out := append([]RejectedRow(nil), c.rows...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// csvRowShape rejects rows whose field count does not match the header or
// that put values in unnamed columns.
func csvRowShape(row csvRow, c *csvCols, rej *csvRejects) bool {
	if row.bad != "" {
		rej.add(row.line, nil, "%s", row.bad)
		return false
	}
	if len(row.rec) != c.width {
		rej.add(row.line, row.rec, "the row has %d fields but the header has %d (a stray separator? quote values that contain one)", len(row.rec), c.width)
		return false
	}
	for _, i := range c.unnamed {
		if row.rec[i] != "" {
			rej.add(row.line, row.rec, "value %q in column %d, which has no header", row.rec[i], i+1)
			return false
		}
	}
	return true
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

func csvParseBool(what, s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "false", "no", "n", "0", "f":
		return false, nil
	case "true", "yes", "y", "1", "t":
		return true, nil
	}
	return false, fmt.Errorf("bad %s %q (use true/false, yes/no or 1/0)", what, s)
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

func csvParseSort(s string) (int, bool, error) {
	if s == "" {
		return 0, false, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < -1_000_000_000 || v > 1_000_000_000 {
		return 0, false, fmt.Errorf("bad sort %q (use a whole number)", s)
	}
	return v, true, nil
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
func csvAttrs(s *csvSpec, c *csvCols, rec []string) error {
	var err error
	if c.has(csvFSort) {
		if s.sort, s.hasSort, err = csvParseSort(c.get(rec, csvFSort)); err != nil {
			return err
		}
	}
	if s.typ, err = csvParseType(c.get(rec, csvFType)); err != nil {
		return err
	}
	if c.has(csvFCons) {
		s.hasCons = true
		if s.cons, err = csvParseCons(c.get(rec, csvFCons)); err != nil {
			return err
		}
	}
	if c.has(csvFFlip) {
		s.hasFlip = true
		if s.flip, err = csvParseBool("flip_sign", c.get(rec, csvFFlip)); err != nil {
			return err
		}
	}
	if c.has(csvFNulls) {
		s.hasNull = true
		if s.nulls, err = csvParseNulls(c.get(rec, csvFNulls)); err != nil {
			return err
		}
	}
	if c.has(csvFFormula) {
		s.hasForm = true
		s.formula = c.get(rec, csvFFormula)
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
	if len(c.props) > 0 {
		s.hasProp = true
		s.props = map[string]string{}
		for _, p := range c.props {
			s.props[p.key] = rec[p.idx]
		}
	}
	return nil
}

func csvParentChildSpecs(in *csvInput, c *csvCols, rej *csvRejects) ([]*csvSpec, map[string]int) {
	var specs []*csvSpec
	first := map[string]int{}
	for _, row := range in.rows {
		if !csvRowShape(row, c, rej) {
			continue
		}
		rec := row.rec
		bad := func(format string, args ...any) { rej.add(row.line, rec, format, args...) }
		s := &csvSpec{line: row.line, record: rec, code: c.get(rec, csvFCode)}
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
		first[s.code] = row.line
		if c.has(csvFName) {
			s.name, s.hasName = c.get(rec, csvFName), true
			if s.name == "" {
				bad("missing name for %q", s.code)
				continue
			}
		}
		if c.has(csvFParent) {
			s.parent, s.hasPar = c.get(rec, csvFParent), true
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

// csvCodeFromName derives a node code from a display name for wide files
// with plain level_N columns: ASCII letters (upper-cased) and digits are
// kept, every other run of characters becomes one '_', leading and
// trailing '_' are dropped, and the result is cut to 100 characters.
// "Cost of Goods Sold" gives COST_OF_GOODS_SOLD. "" means no usable code.
func csvCodeFromName(name string) string {
	var b strings.Builder
	pending := false
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
			fallthrough
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(r)
		default:
			pending = true
		}
		if b.Len() >= 100 {
			break
		}
	}
	s := b.String()
	if len(s) > 100 {
		s = s[:100]
	}
	return strings.TrimRight(s, "_")
}

func csvShowParent(p string) string {
	if p == "" {
		return "the top level"
	}
	return strconv.Quote(p)
}

func csvWideSpecs(in *csvInput, c *csvCols, rej *csvRejects) []*csvSpec {
	var specs []*csvSpec
	byCode := map[string]*csvSpec{}
	defined := map[string]int{} // code -> line where it is the deepest level
	type lvl struct {
		code, name string
		sort       int
		hasSort    bool
	}
rows:
	for _, row := range in.rows {
		if !csvRowShape(row, c, rej) {
			continue
		}
		rec := row.rec
		bad := func(format string, args ...any) { rej.add(row.line, rec, format, args...) }
		var path []lvl
		depth := 0
		for k, l := range c.levels {
			for _, i := range []int{l.plain, l.code, l.name} {
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
			l := c.levels[k]
			var v lvl
			switch {
			case l.plain >= 0:
				v.name = rec[l.plain]
				if v.name != "" {
					v.code = csvCodeFromName(v.name)
					if v.code == "" {
						bad("level %d value %q gives no usable code (it has no letters or digits): use level_%d_code and level_%d_name columns", k+1, v.name, k+1, k+1)
						continue rows
					}
				}
			default:
				if l.code >= 0 {
					v.code = rec[l.code]
				}
				if l.name >= 0 {
					v.name = rec[l.name]
				}
				if v.code == "" && v.name != "" {
					if v.code = csvCodeFromName(v.name); v.code == "" {
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
			if l.sort >= 0 {
				var err error
				if v.sort, v.hasSort, err = csvParseSort(rec[l.sort]); err != nil {
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
				s = &csvSpec{line: row.line, record: rec, code: v.code, name: v.name, hasName: true, hasPar: true}
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
		defined[leaf.code] = row.line
		s.line, s.record = row.line, rec
		sortV, hasSort := s.sort, s.hasSort
		*s = csvSpec{
			line: row.line, record: rec, code: s.code, name: s.name, hasName: true, parent: s.parent, hasPar: true,
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
func csvResolve(specs []*csvSpec, base *Hierarchy, firstLine map[string]int, rej *csvRejects) *csvResolved {
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
		rej.add(s.line, s.record, format, args...)
	}
	var built map[string]*Node
	for {
		// A rejected row takes every node it defines with it.
		for _, s := range specs {
			if !s.rejected && rej.has(s.line) {
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
	in, err := csvRead(r, opts.Comma, file)
	if err != nil {
		return nil, err
	}
	shape := opts.Shape
	if shape == "" {
		if shape, err = DetectCSV(in.header); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", file, in.headerLine, err)
		}
	}
	if shape == CSVMapping {
		return nil, fmt.Errorf("%s: this is a mapping file (node, match, value ...): import it as mappings into an existing hierarchy, not as nodes", file)
	}
	cols, err := csvParseHeader(shape, in.header)
	if err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", file, in.headerLine, err)
	}
	rej := &csvRejects{}
	var specs []*csvSpec
	var firstLine map[string]int
	if shape == CSVWideLevels {
		specs = csvWideSpecs(in, cols, rej)
	} else {
		specs, firstLine = csvParentChildSpecs(in, cols, rej)
	}
	res := csvResolve(specs, opts.Into, firstLine, rej)
	out := &ImportResult{Shape: shape, Nodes: res.nodes, Changes: res.changes, Rejected: rej.sorted(), DryRun: opts.DryRun}
	if out.Nodes == nil {
		out.Nodes = []*Node{}
	}
	if out.Changes == nil {
		out.Changes = []ImportedNode{}
	}
	if out.Rejected == nil {
		out.Rejected = []RejectedRow{}
	}
	out.Summary.Rows = len(in.rows)
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

// csvSplitValues splits a list cell on '|' or, when it has none, on ';'.
func csvSplitValues(s string) []string {
	sep := "|"
	if !strings.Contains(s, "|") {
		sep = ";"
	}
	var out []string
	for _, v := range strings.Split(s, sep) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
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
	in, err := csvRead(r, opts.Comma, file)
	if err != nil {
		return nil, err
	}
	shape, err := DetectCSV(in.header)
	if err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", file, in.headerLine, err)
	}
	if shape != CSVMapping {
		return nil, fmt.Errorf("%s: line %d: this is a %s file, not a mapping file: a mapping file has node, match and value (or from, to) columns", file, in.headerLine, shape)
	}
	c, err := csvParseHeader(CSVMapping, in.header)
	if err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", file, in.headerLine, err)
	}
	idx := h.Index()
	defCol := h.DefaultColumn()
	rej := &csvRejects{}
	res := &MappingImportResult{DryRun: opts.DryRun, Rules: []ImportedRule{}}
	newRules := map[string][]Rule{}
	keys := map[string]map[string]bool{}
	var touched []string
	oldKeys := map[string]map[string]bool{}
	for _, row := range in.rows {
		if !csvRowShape(row, c, rej) {
			continue
		}
		rec := row.rec
		bad := func(format string, args ...any) { rej.add(row.line, rec, format, args...) }
		code := c.get(rec, csvFNode)
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
		rule := Rule{Column: c.get(rec, csvFColumn), Match: MatchType(strings.ToLower(c.get(rec, csvFMatch)))}
		if rule.Match == "" {
			bad("missing match type (%s)", joinMatch())
			continue
		}
		if !slices.Contains(MatchTypes, rule.Match) {
			bad("unknown match type %q (%s)", c.get(rec, csvFMatch), joinMatch())
			continue
		}
		value, from, to := c.get(rec, csvFValue), c.get(rec, csvFFrom), c.get(rec, csvFTo)
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
			rule.Values = csvSplitValues(value)
		default:
			rule.Value = value
		}
		if rule.Match != MatchRange && (from != "" || to != "") {
			bad("from and to are only for range rules, this is a %s rule", rule.Match)
			continue
		}
		exclude := false
		if c.has(csvFAction) {
			switch a := strings.ToLower(c.get(rec, csvFAction)); a {
			case "", "include", "incl", "in":
			case "exclude", "excl", "out":
				exclude = true
			default:
				bad("bad action %q (use include or exclude)", c.get(rec, csvFAction))
				continue
			}
		}
		if c.has(csvFExclude) {
			cell := c.get(rec, csvFExclude)
			x, err := csvParseBool("exclude", cell)
			if err != nil {
				bad("%v", err)
				continue
			}
			if c.has(csvFAction) && c.get(rec, csvFAction) != "" && cell != "" && x != exclude {
				bad("action %q and exclude %q disagree", c.get(rec, csvFAction), cell)
				continue
			}
			exclude = exclude || x
		}
		rule.Exclude = exclude
		if p := c.get(rec, csvFPrecedence); p != "" {
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
		res.Rules = append(res.Rules, ImportedRule{Line: row.line, Node: code, Rule: rule, Action: action})
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
	res.Rejected = rej.sorted()
	if res.Rejected == nil {
		res.Rejected = []RejectedRow{}
	}
	res.Summary.Rows = len(in.rows)
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

func csvFormatSort(n int) string { return strconv.Itoa(n) }

func csvFlip(b bool) string {
	if b {
		return "true"
	}
	return ""
}

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
	header := []string{csvFCode, csvFName, csvFParent, csvFSort, csvFType, csvFCons, csvFFlip, csvFFormula}
	if nulls {
		header = append(header, csvFNulls)
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
		rec := []string{n.Code, n.Name, n.Parent, csvFormatSort(n.Sort), string(n.Type), string(n.Consolidation), csvFlip(n.FlipSign), expr}
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
		maxDepth = maxInt(maxDepth, d+1)
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
	maxDepth = maxInt(maxDepth, 1) // an empty hierarchy still gets a header
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
		if csvCodeFromName(n.Name) != n.Code {
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
		{needType, csvFType, func(n *Node) string { return string(n.Type) }},
		{needCons, csvFCons, func(n *Node) string { return string(n.Consolidation) }},
		{needFlip, csvFFlip, func(n *Node) string { return csvFlip(n.FlipSign) }},
		{needFormula, csvFFormula, func(n *Node) string { e, _ := csvFormulaCols(n); return e }},
		{needNulls, csvFNulls, func(n *Node) string { _, x := csvFormulaCols(n); return x }},
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
				rec = append(rec, cell(func(p *Node) string { return csvFormatSort(p.Sort) }))
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
	if err := cw.Write([]string{csvFNode, csvFName, csvFColumn, csvFMatch, csvFValue, csvFFrom, csvFTo, csvFAction, csvFPrecedence}); err != nil {
		return err
	}
	for _, n := range h.Nodes {
		for i, r := range n.Rules {
			value := r.Value
			if r.Match == MatchList {
				var err error
				if value, err = csvJoinValues(r.Values); err != nil {
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

// csvJoinValues joins list values with '|' so that csvSplitValues splits
// them back. A value that contains '|', is blank or has surrounding spaces
// cannot be written.
func csvJoinValues(vals []string) (string, error) {
	for _, v := range vals {
		if v == "" || v != strings.TrimSpace(v) {
			return "", fmt.Errorf("list value %q is blank or has leading or trailing spaces, which a CSV import would trim", v)
		}
		if strings.Contains(v, "|") {
			return "", fmt.Errorf("list value %q contains |, which separates list values in a CSV cell: split the rule", v)
		}
	}
	s := strings.Join(vals, "|")
	if len(vals) == 1 && strings.Contains(s, ";") {
		s += "|" // one value that contains ';': a trailing '|' keeps it whole
	}
	return s, nil
}
