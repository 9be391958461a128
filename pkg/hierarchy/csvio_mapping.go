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
