package hierarchy

// CSV import of mapping rules.

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/hierarchy/csvio"
)

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
//
// The passes: read the file and its header (csvReadMappings), turn each
// row into a leaf and a rule (csvMapper.parseRow), merge the rule into the
// leaf's new rules (csvMapper.add), then report and apply (csvMapper.finish).
func ImportMappingsCSV(r io.Reader, h *Hierarchy, opts MappingImportOptions) (*MappingImportResult, error) {
	file := opts.File
	if file == "" {
		file = "CSV"
	}
	if h == nil {
		return nil, fmt.Errorf("%s: no hierarchy to import mappings into", file)
	}
	in, c, err := csvReadMappings(r, opts.Comma, file)
	if err != nil {
		return nil, err
	}
	m := &csvMapper{h: h, idx: h.Index(), defCol: h.DefaultColumn(), replace: opts.ReplaceRules,
		newRules: map[string][]Rule{}, keys: map[string]map[string]bool{}, oldKeys: map[string]map[string]bool{}}
	rej := &csvio.Rejects{}
	res := &MappingImportResult{DryRun: opts.DryRun, Rules: []ImportedRule{}}
	for _, row := range in.Rows {
		if !csvio.CheckRow(row, c, rej) {
			continue
		}
		code, n, rule, err := m.parseRow(c, row.Rec)
		if err != nil {
			rej.Add(row.Line, row.Rec, "%s", err)
			continue
		}
		ir := m.add(code, n, rule, row.Line)
		res.Rules = append(res.Rules, ir)
		if ir.Action == ImportAdded {
			res.Summary.Added++
		} else {
			res.Summary.Unchanged++
		}
	}
	return m.finish(res, in, rej, opts, file)
}

// csvReadMappings reads a mapping file and maps its header.
func csvReadMappings(r io.Reader, comma rune, file string) (*csvio.Input, *csvio.Cols, error) {
	in, err := csvio.Read(r, comma, file)
	if err != nil {
		return nil, nil, err
	}
	shape, err := DetectCSV(in.Header)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: line %d: %w", file, in.HeaderLine, err)
	}
	if shape != CSVMapping {
		return nil, nil, fmt.Errorf("%s: line %d: this is a %s file, not a mapping file: a mapping file has node, match and value (or from, to) columns", file, in.HeaderLine, shape)
	}
	c, err := csvio.ParseHeader(CSVMapping, in.Header)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: line %d: %w", file, in.HeaderLine, err)
	}
	return in, c, nil
}

// csvMapper holds the state of ImportMappingsCSV: the new rules of every
// leaf the file names, and the keys (csvRuleKey) of its old and new rules.
type csvMapper struct {
	h       *Hierarchy
	idx     map[string]*Node
	defCol  string
	replace bool

	newRules map[string][]Rule
	keys     map[string]map[string]bool
	oldKeys  map[string]map[string]bool
	touched  []string // leaves named in the file, in file order
}

// parseRow reads the leaf and the rule of a mapping row; the error is the
// reason the row is rejected.
func (m *csvMapper) parseRow(c *csvio.Cols, rec []string) (string, *Node, Rule, error) {
	code := c.Get(rec, csvio.ColNode)
	if code == "" {
		return "", nil, Rule{}, fmt.Errorf("missing node")
	}
	n := m.idx[code]
	if n == nil {
		return "", nil, Rule{}, fmt.Errorf("unknown node %q", code)
	}
	if n.Type != TypeLeaf {
		return "", nil, Rule{}, fmt.Errorf("node %q is a %s, not a leaf: mapping rules attach only to leaves", code, n.Type)
	}
	rule, err := csvParseRule(c, rec)
	if err != nil {
		return "", nil, Rule{}, err
	}
	if rule.Column != "" && len(m.h.SourceColumns) > 0 && !slices.Contains(m.h.SourceColumns, rule.Column) {
		return "", nil, Rule{}, fmt.Errorf("unknown column %q: the hierarchy maps %s (add the column to its source columns first)", rule.Column, strings.Join(m.h.SourceColumns, ", "))
	}
	if err := CheckRule(rule); err != nil {
		return "", nil, Rule{}, fmt.Errorf("node %q: %v", code, err)
	}
	return code, n, rule, nil
}

// csvParseRule reads the rule cells of a mapping row: column, match, the
// values, include or exclude, precedence.
func csvParseRule(c *csvio.Cols, rec []string) (Rule, error) {
	rule := Rule{Column: c.Get(rec, csvio.ColColumn), Match: MatchType(strings.ToLower(c.Get(rec, csvio.ColMatch)))}
	if rule.Match == "" {
		return rule, fmt.Errorf("missing match type (%s)", joinMatch())
	}
	if !slices.Contains(MatchTypes, rule.Match) {
		return rule, fmt.Errorf("unknown match type %q (%s)", c.Get(rec, csvio.ColMatch), joinMatch())
	}
	if err := csvRuleValues(&rule, c, rec); err != nil {
		return rule, err
	}
	exclude, err := csvRuleExclude(c, rec)
	if err != nil {
		return rule, err
	}
	rule.Exclude = exclude
	if p := c.Get(rec, csvio.ColPrecedence); p != "" {
		v, err := strconv.Atoi(p)
		if err != nil || v > 1_000_000 {
			return rule, fmt.Errorf("bad precedence %q (use a whole number, 1 is the default)", p)
		}
		rule.Precedence = v
	}
	return rule, nil
}

// csvRuleValues sets the value, values or from and to of rule by its
// match type. A range can be given as a value like 4000..4999.
func csvRuleValues(rule *Rule, c *csvio.Cols, rec []string) error {
	value, from, to := c.Get(rec, csvio.ColValue), c.Get(rec, csvio.ColFrom), c.Get(rec, csvio.ColTo)
	switch rule.Match {
	case MatchRange:
		if from == "" && to == "" && strings.Contains(value, "..") {
			from, to, _ = strings.Cut(value, "..")
			from, to = strings.TrimSpace(from), strings.TrimSpace(to)
			value = ""
		}
		if value != "" {
			return fmt.Errorf("a range rule takes from and to (or a value like 4000..4999), not value %q", value)
		}
		rule.From, rule.To = from, to
	case MatchList:
		rule.Values = csvio.SplitValues(value)
	default:
		rule.Value = value
	}
	if rule.Match != MatchRange && (from != "" || to != "") {
		return fmt.Errorf("from and to are only for range rules, this is a %s rule", rule.Match)
	}
	return nil
}

// csvRuleExclude reads the action and exclude cells, which must agree
// when both are given.
func csvRuleExclude(c *csvio.Cols, rec []string) (bool, error) {
	exclude := false
	if c.Has(csvio.ColAction) {
		switch a := strings.ToLower(c.Get(rec, csvio.ColAction)); a {
		case "", "include", "incl", "in":
		case "exclude", "excl", "out":
			exclude = true
		default:
			return false, fmt.Errorf("bad action %q (use include or exclude)", c.Get(rec, csvio.ColAction))
		}
	}
	if c.Has(csvio.ColExclude) {
		cell := c.Get(rec, csvio.ColExclude)
		x, err := csvio.ParseBool("exclude", cell)
		if err != nil {
			return false, err
		}
		if c.Has(csvio.ColAction) && c.Get(rec, csvio.ColAction) != "" && cell != "" && x != exclude {
			return false, fmt.Errorf("action %q and exclude %q disagree", c.Get(rec, csvio.ColAction), cell)
		}
		exclude = exclude || x
	}
	return exclude, nil
}

// add merges rule into the new rules of leaf n (code) and says what
// happened: added, or unchanged when the leaf or an earlier row had it.
func (m *csvMapper) add(code string, n *Node, rule Rule, line int) ImportedRule {
	if _, ok := m.newRules[code]; !ok {
		m.touch(code, n)
	}
	k := csvRuleKey(rule, m.defCol)
	action := ImportAdded
	if m.oldKeys[code][k] || m.keys[code][k] {
		action = ImportUnchanged
	}
	if !m.keys[code][k] {
		m.keys[code][k] = true
		if m.replace && m.oldKeys[code][k] {
			for _, r := range n.Rules {
				if csvRuleKey(r, m.defCol) == k {
					rule = r // keep the stored form
					break
				}
			}
		}
		m.newRules[code] = append(m.newRules[code], rule)
	}
	return ImportedRule{Line: line, Node: code, Rule: rule, Action: action}
}

// touch starts the new rules of leaf n (code), the first time the file
// names it: empty when replacing, else its existing rules.
func (m *csvMapper) touch(code string, n *Node) {
	m.touched = append(m.touched, code)
	m.oldKeys[code] = map[string]bool{}
	for _, r := range n.Rules {
		m.oldKeys[code][csvRuleKey(r, m.defCol)] = true
	}
	m.keys[code] = map[string]bool{}
	if m.replace {
		m.newRules[code] = []Rule{}
		return
	}
	m.newRules[code] = append([]Rule{}, n.Rules...)
	for k := range m.oldKeys[code] {
		m.keys[code][k] = true
	}
}

// finish counts the removed rules and the rejected rows, and sets the new
// rules on the leaves unless rows were rejected (without SkipBadRows) or
// this is a dry run.
func (m *csvMapper) finish(res *MappingImportResult, in *csvio.Input, rej *csvio.Rejects, opts MappingImportOptions, file string) (*MappingImportResult, error) {
	if m.replace {
		for _, code := range m.touched {
			for _, r := range m.idx[code].Rules {
				if !m.keys[code][csvRuleKey(r, m.defCol)] {
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
		for _, code := range m.touched {
			rs := m.newRules[code]
			if len(rs) == 0 {
				rs = nil
			}
			m.idx[code].Rules = rs
		}
		res.Applied = true
	}
	return res, nil
}
