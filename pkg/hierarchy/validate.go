package hierarchy

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
)

// SourceStat is what the source holds for one distinct code: its rows and
// the exact sum of their amounts.
type SourceStat struct {
	Rows   int64  `json:"rows"`
	Amount Amount `json:"amount"`
}

// SourceValues are the distinct codes of one source column with their row
// counts and, when HasAmount, the sum of an amount column.
type SourceValues struct {
	Column    string                `json:"column"`
	Values    map[string]SourceStat `json:"values"`
	HasAmount bool                  `json:"has_amount"`
	// Nulls counts the rows whose code is NULL (they map to no leaf).
	Nulls SourceStat `json:"nulls"`
}

// UnmappedCode is a source code no leaf takes. Amount is the exact sum of
// its rows' amounts as decimal text ("-1250.5"), written with the
// report's scale: the fewest decimals that hold every code's sum (as
// rollups write amounts); absent when no amount column was given.
type UnmappedCode struct {
	Code   string  `json:"code"`
	Rows   int64   `json:"rows"`
	Amount *string `json:"amount,omitempty"`
}

// Checked counts what validation looked at.
type Checked struct {
	Nodes        int `json:"nodes"`
	Leaves       int `json:"leaves"`
	Rules        int `json:"rules"`
	SourceValues int `json:"source_values"`
}

// Report is the outcome of Validate.
type Report struct {
	ID       string    `json:"id"`
	Version  int       `json:"version"`
	Findings []Finding `json:"findings"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Checked  Checked   `json:"checked"`
	// Unmapped lists the unmapped source codes, most activity first (by
	// absolute amount, then rows), at most MaxUnmappedListed of them;
	// UnmappedCount is the full number.
	Unmapped      []UnmappedCode `json:"unmapped,omitempty"`
	UnmappedCount int            `json:"unmapped_count"`
	// Mapped is the number of distinct source codes some leaf takes.
	Mapped int `json:"mapped"`
}

// OK reports whether validation found no errors.
func (r *Report) OK() bool { return r.Errors == 0 }

// Limits on what a report lists.
const (
	// MaxFindingValues is how many source values a finding lists; its
	// message gives the full count.
	MaxFindingValues = 20
	// MaxUnmappedListed is how many unmapped codes a report lists.
	MaxUnmappedListed = 1000
)

// Validate checks a hierarchy's structure and, when src is not nil, its
// mapping rules against the distinct values of a source column.
//
// Structural findings: every CheckIntegrity error; multiple_roots
// (warning, for every kind: statements commonly put formula lines such as
// gross profit beside their rollups at the top level, so a forest is
// allowed); leaf_without_rules (warning); leaf_with_children (error);
// formula_with_children (error); (formula_references_ancestor and the
// other formula findings come from CheckIntegrity, i.e. CheckFormulas);
// node_without_children for rollups and labels (warning); duplicate_rule
// within a leaf (warning); overlapping_ranges between include range rules
// of two leaves in the same column, width and precedence group (error,
// unless a single exclude rule of either leaf carves the whole overlap
// out). Invalid ranges (from > to) come from CheckIntegrity as
// invalid_rule.
//
// Source findings: unmapped_with_activity (error: rows and, when amounts
// were loaded, a non-zero amount), unmapped_no_activity (warning),
// null_source_codes (rows whose code is NULL; error with activity, else
// warning), double_mapped (error: two leaves take a code in the same
// precedence group), rule_matches_nothing and exclusion_excludes_nothing
// (warnings, for rules of the source column only).
func Validate(h *Hierarchy, src *SourceValues) *Report {
	rep := &Report{ID: h.ID, Version: h.Version, Findings: []Finding{}}
	rep.Findings = append(rep.Findings, CheckIntegrity(h)...)
	rep.Findings = append(rep.Findings, structuralFindings(h)...)
	rep.Checked.Nodes = len(h.Nodes)
	for _, n := range h.Nodes {
		if n.Type == TypeLeaf {
			rep.Checked.Leaves++
		}
		rep.Checked.Rules += len(n.Rules)
	}
	if src != nil {
		sourceFindings(h, src, rep)
	}
	for _, f := range rep.Findings {
		switch f.Severity {
		case SeverityError:
			rep.Errors++
		case SeverityWarning:
			rep.Warnings++
		}
	}
	return rep
}

func structuralFindings(h *Hierarchy) []Finding {
	var out []Finding
	add := func(sev Severity, code, node, msg, hint string) {
		out = append(out, Finding{Code: code, Severity: sev, Node: node, Message: msg, Hint: hint})
	}
	kids := h.Children()
	if roots := kids[""]; len(roots) > 1 {
		var codes []string
		for _, r := range roots {
			codes = append(codes, r.Code)
		}
		add(SeverityWarning, "multiple_roots", "", fmt.Sprintf("the hierarchy has %d top-level nodes (%s); it is a forest, which is allowed", len(roots), listCodes(codes, 10)),
			"put them under one root node if a single grand total is wanted")
	}
	for _, n := range h.Nodes {
		children := kids[n.Code]
		switch n.Type {
		case TypeLeaf:
			if len(n.Rules) == 0 {
				add(SeverityWarning, "leaf_without_rules", n.Code, fmt.Sprintf("leaf %s has no mapping rules, so no source data reaches it", n.Code), "add a rule (e.g. a range or a list of codes) or remove the leaf")
			}
			if len(children) > 0 {
				add(SeverityError, "leaf_with_children", n.Code, fmt.Sprintf("leaf %s has %d children", n.Code, len(children)), "make it a rollup and move its rules to a new leaf below it, or move the children")
			}
		case TypeFormula:
			if len(children) > 0 {
				add(SeverityError, "formula_with_children", n.Code, fmt.Sprintf("formula node %s has %d children", n.Code, len(children)), "move the children under a rollup; a formula's value comes from its expression only")
			}
		case TypeRollup, TypeLabel:
			if len(children) == 0 {
				add(SeverityWarning, "node_without_children", n.Code, fmt.Sprintf("%s %s has no children", n.Type, n.Code), "add children or remove it")
			}
		}
		if n.Type == TypeLeaf {
			seen := map[string]int{}
			for i, r := range n.Rules {
				k := ruleKey(h, r)
				if j, dup := seen[k]; dup {
					add(SeverityWarning, "duplicate_rule", n.Code, fmt.Sprintf("leaf %s rule %d (%s) repeats rule %d", n.Code, i+1, ruleText(h, r), j+1), "remove the duplicate")
					continue
				}
				seen[k] = i
			}
		}
	}
	out = append(out, rangeOverlaps(h)...)
	return out
}

// ruleKey identifies a rule by what it matches.
func ruleKey(h *Hierarchy, r Rule) string {
	vals := r.Values
	if r.Match == MatchList {
		vals = append([]string(nil), vals...)
		sort.Strings(vals)
	}
	return strings.Join([]string{h.RuleColumn(r), string(r.Match), r.Value, strings.Join(vals, "\x00"), r.From, r.To, strconv.FormatBool(r.Exclude), strconv.Itoa(r.EffectivePrecedence())}, "\x01")
}

type rangeRule struct {
	leaf     *Node
	idx      int
	from, to string
}

// rangeOverlaps finds include ranges of different leaves that share codes
// in the same column, width and precedence group, by a sweep over the
// ranges sorted by their start.
func rangeOverlaps(h *Hierarchy) []Finding {
	type groupKey struct {
		col   string
		width int
		prec  int
	}
	groups := map[groupKey][]rangeRule{}
	var keys []groupKey
	for _, n := range h.Nodes {
		if n.Type != TypeLeaf {
			continue
		}
		for i, r := range n.Rules {
			if r.Match != MatchRange || r.Exclude || CheckRule(r) != nil {
				continue
			}
			k := groupKey{h.RuleColumn(r), len([]rune(r.From)), r.EffectivePrecedence()}
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], rangeRule{n, i, r.From, r.To})
		}
	}
	var out []Finding
	for _, k := range keys {
		items := groups[k]
		sort.SliceStable(items, func(i, j int) bool { return items[i].from < items[j].from })
		var active []rangeRule
		for _, x := range items {
			kept := active[:0]
			for _, a := range active {
				if a.to >= x.from {
					kept = append(kept, a)
				}
			}
			active = kept
			for _, a := range active {
				if a.leaf == x.leaf {
					continue
				}
				lo, hi := x.from, min(a.to, x.to)
				if carvedOut(h, a.leaf, k.col, lo, hi) || carvedOut(h, x.leaf, k.col, lo, hi) {
					continue
				}
				ar, xr := a.leaf.Rules[a.idx], x.leaf.Rules[x.idx]
				out = append(out, Finding{
					Code: "overlapping_ranges", Severity: SeverityError, Node: x.leaf.Code,
					Message: fmt.Sprintf("range %s..%s of %s and range %s..%s of %s overlap on %s..%s in precedence group %d of column %s", ar.From, ar.To, a.leaf.Code, xr.From, xr.To, x.leaf.Code, lo, hi, k.prec, k.col),
					Hint:    "narrow one of the ranges, exclude the overlap from one leaf, or give one rule a different precedence",
				})
			}
			active = append(active, x)
		}
	}
	return out
}

// carvedOut reports whether one exclude rule of the leaf removes every code
// of width len(lo) between lo and hi.
func carvedOut(h *Hierarchy, leaf *Node, col, lo, hi string) bool {
	for _, r := range leaf.Rules {
		if !r.Exclude || h.RuleColumn(r) != col {
			continue
		}
		switch r.Match {
		case MatchRange:
			if len(r.From) == len(lo) && r.From <= lo && hi <= r.To {
				return true
			}
		case MatchPrefix:
			// Strings between two strings that share a prefix share it.
			if strings.HasPrefix(lo, r.Value) && strings.HasPrefix(hi, r.Value) {
				return true
			}
		case MatchExact:
			if lo == hi && r.Value == lo {
				return true
			}
		case MatchList:
			if lo == hi && contains(r.Values, lo) {
				return true
			}
		}
	}
	return false
}

func sourceFindings(h *Hierarchy, src *SourceValues, rep *Report) {
	col := src.Column
	if col == "" {
		col = h.DefaultColumn()
	}
	rep.Checked.SourceValues = len(src.Values)
	res, _ := newResolver(h, false)
	leaves := res.leaves
	incUsed := make([][]bool, len(leaves))
	exclUsed := make([][]bool, len(leaves))
	for i, n := range leaves {
		incUsed[i] = make([]bool, len(n.Rules))
		exclUsed[i] = make([]bool, len(n.Rules))
	}
	codes := make([]string, 0, len(src.Values))
	for c := range src.Values {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	type conflict struct {
		leaves []string
		codes  []string
	}
	conflicts := map[string]*conflict{}
	var conflictKeys []string
	type unmappedCode struct {
		UnmappedCode
		amount decimal.Decimal
	}
	var unmapped []unmappedCode
	var buf [32]ruleRef
	for _, code := range codes {
		hits := res.match(col, code, buf[:0])
		for _, x := range hits {
			if !x.excl {
				incUsed[x.leaf][x.rule] = true
				continue
			}
			for _, y := range hits {
				if !y.excl && y.leaf == x.leaf {
					exclUsed[x.leaf][x.rule] = true
					break
				}
			}
		}
		d := res.decide(hits)
		if !d.Mapped() {
			st := src.Values[code]
			unmapped = append(unmapped, unmappedCode{UnmappedCode{Code: code, Rows: st.Rows}, st.Amount.Decimal()})
			continue
		}
		rep.Mapped++
		if d.Conflict {
			k := strings.Join(d.Candidates, "\x00")
			c := conflicts[k]
			if c == nil {
				c = &conflict{leaves: d.Candidates}
				conflicts[k] = c
				conflictKeys = append(conflictKeys, k)
			}
			c.codes = append(c.codes, code)
		}
	}
	add := func(f Finding) { rep.Findings = append(rep.Findings, f) }
	// Unmapped codes, with and without activity, most activity first.
	sort.SliceStable(unmapped, func(i, j int) bool {
		if c := unmapped[i].amount.Abs().Cmp(unmapped[j].amount.Abs()); c != 0 {
			return c > 0
		}
		if unmapped[i].Rows != unmapped[j].Rows {
			return unmapped[i].Rows > unmapped[j].Rows
		}
		return unmapped[i].Code < unmapped[j].Code
	})
	// Amounts are written with one scale, the fewest decimals that hold
	// every code's sum exactly.
	scale := 0
	if src.HasAmount {
		sums := make([]decimal.Decimal, 0, len(src.Values)+1)
		for _, st := range src.Values {
			sums = append(sums, st.Amount.Decimal())
		}
		scale = sumScale(append(sums, src.Nulls.Amount.Decimal()))
		for i := range unmapped {
			a := unmapped[i].amount.StringFixed(int32(scale))
			unmapped[i].Amount = &a
		}
	}
	var active, idle []UnmappedCode
	var activeRows int64
	activeAmount := decimal.Zero
	for _, u := range unmapped {
		if u.Rows > 0 && (!src.HasAmount || !u.amount.IsZero()) {
			active = append(active, u.UnmappedCode)
			activeRows += u.Rows
			activeAmount = activeAmount.Add(u.amount)
		} else {
			idle = append(idle, u.UnmappedCode)
		}
	}
	if len(active) > 0 {
		msg := fmt.Sprintf("%d %s codes with activity map to no leaf (%d rows", len(active), col, activeRows)
		if src.HasAmount {
			// Text for people: at least two decimals, as the CLI writes
			// amounts.
			msg += ", amount " + activeAmount.StringFixed(int32(max(2, scale)))
		}
		add(Finding{Code: "unmapped_with_activity", Severity: SeverityError, Message: msg + ")", Hint: "add rules so a leaf takes them (the codes with most activity are listed first), or exclude them from the source", Values: unmappedCodes(active)})
	}
	if len(idle) > 0 {
		add(Finding{Code: "unmapped_no_activity", Severity: SeverityWarning, Message: fmt.Sprintf("%d %s codes without activity map to no leaf", len(idle), col), Hint: "map them so future postings land somewhere, or ignore them", Values: unmappedCodes(idle)})
	}
	if src.Nulls.Rows > 0 {
		f := Finding{Code: "null_source_codes", Severity: SeverityWarning, Message: fmt.Sprintf("%d rows have no %s (NULL) and map to no leaf", src.Nulls.Rows, col), Hint: "fill in the code in the source or filter those rows out"}
		if !src.HasAmount || !src.Nulls.Amount.Decimal().IsZero() {
			f.Severity = SeverityError
		}
		add(f)
	}
	all := make([]UnmappedCode, len(unmapped))
	for i, u := range unmapped {
		all[i] = u.UnmappedCode
	}
	rep.UnmappedCount = len(all)
	if len(all) > MaxUnmappedListed {
		all = all[:MaxUnmappedListed]
	}
	rep.Unmapped = all
	// Codes taken by two leaves in the same group.
	for _, k := range conflictKeys {
		c := conflicts[k]
		add(Finding{Code: "double_mapped", Severity: SeverityError, Node: c.leaves[0],
			Message: fmt.Sprintf("%d %s codes are mapped to %d leaves in the same precedence group: %s", len(c.codes), col, len(c.leaves), strings.Join(c.leaves, ", ")) + " (" + listCodes(c.codes, 10) + ")",
			Hint:    "narrow the rules so one leaf takes these codes, exclude them from all but one leaf, or give one rule a lower precedence number",
			Values:  capValues(c.codes)})
	}
	// Rules and exclusions that did nothing.
	for li, n := range leaves {
		for ri, r := range n.Rules {
			if h.RuleColumn(r) != col || CheckRule(r) != nil {
				continue
			}
			switch {
			case !r.Exclude && !incUsed[li][ri]:
				add(Finding{Code: "rule_matches_nothing", Severity: SeverityWarning, Node: n.Code, Message: fmt.Sprintf("leaf %s rule %d (%s) matches no %s value in the source", n.Code, ri+1, ruleText(h, r), col), Hint: "check the rule's values against the source, or remove it"})
			case r.Exclude && !exclUsed[li][ri]:
				add(Finding{Code: "exclusion_excludes_nothing", Severity: SeverityWarning, Node: n.Code, Message: fmt.Sprintf("leaf %s rule %d (%s) excludes no %s value the leaf's includes take", n.Code, ri+1, ruleText(h, r), col), Hint: "remove the exclusion or fix its values"})
			}
		}
	}
}

func unmappedCodes(us []UnmappedCode) []string {
	out := make([]string, 0, min(len(us), MaxFindingValues))
	for _, u := range us {
		if len(out) == MaxFindingValues {
			break
		}
		out = append(out, u.Code)
	}
	return out
}

func capValues(v []string) []string {
	if len(v) > MaxFindingValues {
		return append([]string(nil), v[:MaxFindingValues]...)
	}
	return v
}

func listCodes(codes []string, max int) string {
	if len(codes) <= max {
		return strings.Join(codes, ", ")
	}
	return strings.Join(codes[:max], ", ") + fmt.Sprintf(" and %d more", len(codes)-max)
}

// LoadSourceValues reads the distinct values of a source column with their
// row counts (and the sum of amountColumn when it is not empty) in one
// aggregate query pushed down into the engine, without a row cap. table may
// be qualified (schema.table).
func LoadSourceValues(ctx context.Context, conn connector.Connector, table, column, amountColumn string) (*SourceValues, error) {
	if table == "" || column == "" {
		return nil, fmt.Errorf("source values need a table and a column")
	}
	d := conn.Dialect()
	// Grouped by the matcher's exact key, so codes that differ only in
	// case or trailing spaces stay apart on every engine; a hierarchy's
	// Matching option is applied to them by the Resolver.
	code := CodeKey(&dialect.Cast{X: dialect.C(column), Type: dialect.Text}, Matching{})
	var parts []string
	for _, p := range strings.Split(table, ".") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 || len(parts) > 3 {
		return nil, fmt.Errorf("load values of %s.%s: want table, schema.table or database.schema.table", table, column)
	}
	sel := &dialect.Select{
		Columns: []dialect.SelectItem{dialect.As(code, "code"), dialect.As(dialect.F("COUNT"), "n")},
		From:    dialect.Table{Name: dialect.N(parts...)},
		GroupBy: []dialect.Expr{code},
	}
	if amountColumn != "" {
		// Summed exactly, as the rollup sums: each amount as a DECIMAL
		// (a DOUBLE column's values too), so the engine never adds floats.
		sel.Columns = append(sel.Columns, dialect.As(dialect.F("SUM", &dialect.Cast{X: dialect.C(amountColumn), Type: amountType}), "amount"))
	}
	q, err := dialect.RenderQuery(d, sel)
	if err != nil {
		return nil, fmt.Errorf("load values of %s.%s: %w", table, column, err)
	}
	res, err := conn.Query(ctx, q, connector.QueryOptions{MaxRows: -1})
	if err != nil {
		return nil, fmt.Errorf("load values of %s.%s: %w", table, column, err)
	}
	sv := &SourceValues{Column: column, Values: make(map[string]SourceStat, len(res.Rows)), HasAmount: amountColumn != ""}
	for _, row := range res.Rows {
		var st SourceStat
		n, _, err := toFloat(row[1])
		if err != nil {
			return nil, fmt.Errorf("load values of %s.%s: row count: %w", table, column, err)
		}
		st.Rows = int64(n)
		if amountColumn != "" {
			a, _, err := toDecimal(row[2])
			if err != nil {
				return nil, fmt.Errorf("load values of %s.%s: amount: %w", table, column, err)
			}
			st.Amount = Amount{a}
		}
		if row[0] == nil {
			sv.Nulls = st
			continue
		}
		if b, ok := row[0].([]byte); ok { // a binary key (MySQL)
			sv.Values[string(b)] = st
			continue
		}
		sv.Values[fmt.Sprint(row[0])] = st
	}
	return sv, nil
}

// toFloat converts a query result value to a float64; ok is false for NULL.
func toFloat(v any) (float64, bool, error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case float64:
		return x, true, nil
	case float32:
		return float64(x), true, nil
	case int64:
		return float64(x), true, nil
	case int32:
		return float64(x), true, nil
	case int:
		return float64(x), true, nil
	case int16:
		return float64(x), true, nil
	case int8:
		return float64(x), true, nil
	case uint64:
		return float64(x), true, nil
	case uint32:
		return float64(x), true, nil
	case uint8:
		return float64(x), true, nil
	case uint16:
		return float64(x), true, nil
	case bool:
		if x {
			return 1, true, nil
		}
		return 0, true, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return 0, false, fmt.Errorf("not a number: %q", x)
		}
		return f, true, nil
	case []byte:
		return toFloat(string(x))
	}
	return toFloat(fmt.Sprint(v))
}

// ruleText renders a rule with its effective column.
func ruleText(h *Hierarchy, r Rule) string {
	r.Column = h.RuleColumn(r)
	return r.String()
}
