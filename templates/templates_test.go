package templates_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/templates"
)

// ---------------------------------------------------------------------------
// Loading

type loaded struct {
	file string
	raw  []byte
	h    *hierarchy.Hierarchy
}

func loadAll(t *testing.T) []loaded {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("hierarchies", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var out []loaded
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		dec.KnownFields(true)
		var h hierarchy.Hierarchy
		if err := dec.Decode(&h); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, loaded{file: f, raw: raw, h: &h})
	}
	return out
}

func loadOne(t *testing.T, id string) *hierarchy.Hierarchy {
	t.Helper()
	raw, err := templates.HierarchyTemplateYAML(id)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var h hierarchy.Hierarchy
	if err := dec.Decode(&h); err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return &h
}

// ---------------------------------------------------------------------------
// The API

func TestHierarchyTemplatesAPI(t *testing.T) {
	list, err := templates.HierarchyTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 20 {
		t.Fatalf("want at least 20 templates, got %d", len(list))
	}
	files, _ := filepath.Glob(filepath.Join("hierarchies", "*.yaml"))
	if len(files) != len(list) {
		t.Fatalf("%d files but %d templates listed", len(files), len(list))
	}
	for i, tpl := range list {
		if i > 0 && list[i-1].ID >= tpl.ID {
			t.Errorf("not sorted by id: %s before %s", list[i-1].ID, tpl.ID)
		}
		if tpl.Name == "" || tpl.Kind == "" || tpl.Description == "" {
			t.Errorf("%s: empty name, kind or description: %+v", tpl.ID, tpl)
		}
		if tpl.Nodes == 0 || tpl.Leaves == 0 || tpl.Formulas == 0 || tpl.Leaves+tpl.Formulas > tpl.Nodes {
			t.Errorf("%s: implausible counts %+v", tpl.ID, tpl)
		}
		raw, err := templates.HierarchyTemplateYAML(tpl.ID)
		if err != nil {
			t.Fatal(err)
		}
		onDisk, err := os.ReadFile(filepath.Join("hierarchies", tpl.ID+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(raw, onDisk) {
			t.Errorf("%s: embedded YAML differs from the file", tpl.ID)
		}
		// Counts agree with the full model.
		h := loadOne(t, tpl.ID)
		var leaves, formulas int
		for _, n := range h.Nodes {
			switch n.Type {
			case hierarchy.TypeLeaf:
				leaves++
			case hierarchy.TypeFormula:
				formulas++
			}
		}
		if tpl.Nodes != len(h.Nodes) || tpl.Leaves != leaves || tpl.Formulas != formulas ||
			tpl.Name != h.Name || tpl.Kind != string(h.Kind) || tpl.Description != h.Description {
			t.Errorf("%s: listing %+v disagrees with the document", tpl.ID, tpl)
		}
	}
	// The returned slice is a copy.
	list[0].ID = "changed"
	again, _ := templates.HierarchyTemplates()
	if again[0].ID == "changed" {
		t.Error("HierarchyTemplates returned shared state")
	}

	_, err = templates.HierarchyTemplateYAML("no_such_template")
	if err == nil {
		t.Fatal("unknown id: want an error")
	}
	for _, want := range []string{"no_such_template", "standard_pl", "cash_flow_indirect", "profit_center"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if _, err := templates.HierarchyTemplateYAML("../templates"); err == nil {
		t.Error("a path is not a template id")
	}
}

func TestRequiredTemplatesExist(t *testing.T) {
	list, err := templates.HierarchyTemplates()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, tpl := range list {
		have[tpl.ID] = true
	}
	for _, id := range []string{
		"standard_pl", "standard_balance_sheet", "cash_flow_indirect", "oil_gas_los", "upstream_pl",
		"midstream_pl", "oilfield_services_pl", "manufacturing_pl", "industrial_services_pl", "saas_pl",
		"transportation_pl", "geography", "department", "asset", "legal_entity", "upstream_field",
		"midstream_asset", "manufacturing_plant", "fleet", "cost_center", "profit_center",
	} {
		if !have[id] {
			t.Errorf("template %s is missing", id)
		}
	}
}

// ---------------------------------------------------------------------------
// Structure

var funcNames = map[string]bool{"ABS": true, "ROUND": true, "MIN": true, "MAX": true}

func TestTemplatesStructure(t *testing.T) {
	for _, l := range loadAll(t) {
		h := l.h
		t.Run(h.ID, func(t *testing.T) {
			if want := strings.TrimSuffix(filepath.Base(l.file), ".yaml"); h.ID != want {
				t.Errorf("id %q does not match file name %s", h.ID, want)
			}
			if err := hierarchy.ValidID(h.ID); err != nil {
				t.Error(err)
			}
			if h.Name == "" || h.Description == "" {
				t.Error("name and description are required")
			}
			if h.Version != 1 || h.Status != hierarchy.StatusDraft {
				t.Errorf("want version 1, status draft; got %d %s", h.Version, h.Status)
			}
			if !validKind(h.Kind) {
				t.Errorf("unknown kind %q", h.Kind)
			}
			if len(h.SourceColumns) == 0 {
				t.Error("no source_columns")
			}
			if !strings.Contains(string(l.raw[:min(len(l.raw), 600)]), "# Sign convention") {
				t.Error("the sign convention must be stated in a comment at the top of the file")
			}

			idx := map[string]*hierarchy.Node{}
			for _, n := range h.Nodes {
				if err := hierarchy.ValidCode(n.Code); err != nil {
					t.Error(err)
				}
				if !identLike(n.Code) {
					t.Errorf("node %s: use identifier-like codes so formulas can name them bare", n.Code)
				}
				if _, dup := idx[n.Code]; dup {
					t.Errorf("duplicate code %s", n.Code)
				}
				idx[n.Code] = n
			}
			kids := map[string][]*hierarchy.Node{}
			for _, n := range h.Nodes {
				if n.Parent != "" {
					if idx[n.Parent] == nil {
						t.Errorf("node %s: parent %s does not exist", n.Code, n.Parent)
					}
					kids[n.Parent] = append(kids[n.Parent], n)
				}
				if strings.TrimSpace(n.Name) == "" {
					t.Errorf("node %s has no name", n.Code)
				}
			}
			// No cycles: every node reaches a root.
			for _, n := range h.Nodes {
				seen := map[string]bool{}
				for cur := n; cur != nil && cur.Parent != ""; cur = idx[cur.Parent] {
					if seen[cur.Code] {
						t.Fatalf("cycle through %s", cur.Code)
					}
					seen[cur.Code] = true
				}
			}
			maxDepth := 0
			for _, n := range h.Nodes {
				maxDepth = max(maxDepth, h.Depth(n.Code))
			}
			if maxDepth < 2 || maxDepth > 4 {
				t.Errorf("tree has %d levels; want 3 to 5", maxDepth+1)
			}

			// Storage order: parents before children.
			pos := map[string]int{}
			for i, n := range h.Nodes {
				pos[n.Code] = i
			}
			for _, n := range h.Nodes {
				if n.Parent != "" && pos[n.Parent] > pos[n.Code] {
					t.Errorf("node %s comes before its parent %s", n.Code, n.Parent)
				}
			}

			for _, n := range h.Nodes {
				switch n.Consolidation {
				case hierarchy.ConsolidateAdd, hierarchy.ConsolidateIgnore:
				case hierarchy.ConsolidateSubtract:
					t.Errorf("node %s: the sign convention keeps signs in the data; use + (or ~), not -", n.Code)
				default:
					t.Errorf("node %s: consolidation %q must be written out (+ or ~)", n.Code, n.Consolidation)
				}
				switch n.Type {
				case hierarchy.TypeLeaf:
					includes := 0
					for i, r := range n.Rules {
						if err := hierarchy.CheckRule(r); err != nil {
							t.Errorf("leaf %s rule %d: %v", n.Code, i+1, err)
						}
						if !r.Exclude {
							includes++
						}
					}
					if includes == 0 {
						t.Errorf("leaf %s has no include rule", n.Code)
					}
					if len(kids[n.Code]) > 0 {
						t.Errorf("leaf %s has children", n.Code)
					}
					if n.Formula != nil {
						t.Errorf("leaf %s has a formula", n.Code)
					}
				case hierarchy.TypeFormula:
					if len(n.Rules) > 0 || len(kids[n.Code]) > 0 {
						t.Errorf("formula %s must have no rules or children", n.Code)
					}
					if n.Formula == nil || strings.TrimSpace(n.Formula.Expression) == "" {
						t.Errorf("formula %s has no expression", n.Code)
						continue
					}
					refs, err := formulaRefs(n.Formula.Expression)
					if err != nil {
						t.Errorf("formula %s: %v", n.Code, err)
					}
					if len(refs) == 0 {
						t.Errorf("formula %s references no node", n.Code)
					}
					for _, r := range refs {
						if idx[r] == nil {
							t.Errorf("formula %s references unknown node %s", n.Code, r)
						} else if idx[r].Type == hierarchy.TypeLabel {
							t.Errorf("formula %s references label %s, which has no value", n.Code, r)
						}
						if r == n.Code {
							t.Errorf("formula %s references itself", n.Code)
						}
					}
					if n.Consolidation != hierarchy.ConsolidateIgnore {
						t.Errorf("formula %s must not roll up (consolidation ~)", n.Code)
					}
				case hierarchy.TypeRollup:
					if len(n.Rules) > 0 || n.Formula != nil {
						t.Errorf("rollup %s has rules or a formula", n.Code)
					}
					if len(kids[n.Code]) == 0 {
						t.Errorf("rollup %s has no children", n.Code)
					}
				case hierarchy.TypeLabel:
					if len(n.Rules) > 0 || n.Formula != nil {
						t.Errorf("label %s has rules or a formula", n.Code)
					}
					if n.Consolidation != hierarchy.ConsolidateIgnore {
						t.Errorf("label %s must not roll up (consolidation ~)", n.Code)
					}
				default:
					t.Errorf("node %s: unknown type %q", n.Code, n.Type)
				}
				// Children of a label are headings' content: they never roll up.
				if p := idx[n.Parent]; p != nil && p.Type == hierarchy.TypeLabel && n.Consolidation != hierarchy.ConsolidateIgnore {
					t.Errorf("node %s sits under label %s and must have consolidation ~", n.Code, p.Code)
				}
			}
			if err := formulaCycle(h, idx); err != nil {
				t.Error(err)
			}
			// The package's own validation agrees: no errors, and no
			// warnings beyond the forest of top-level statement lines.
			for _, f := range hierarchy.Validate(h, nil).Findings {
				if f.Severity == hierarchy.SeverityError || (f.Severity == hierarchy.SeverityWarning && f.Code != "multiple_roots") {
					t.Errorf("validate: %s %s", f.Severity, f)
				}
			}
		})
	}
}

// Sign convention: a statement's amount lines under a flipped section flip
// too; dimension trees never flip.
func TestTemplatesSignConvention(t *testing.T) {
	for _, l := range loadAll(t) {
		h := l.h
		t.Run(h.ID, func(t *testing.T) {
			idx := h.Index()
			statement := isStatement(h)
			for _, n := range h.Nodes {
				if !statement {
					if n.FlipSign {
						t.Errorf("node %s: dimension templates do not flip signs", n.Code)
					}
					continue
				}
				p := idx[n.Parent]
				if p != nil && p.Type == hierarchy.TypeRollup && (n.Type == hierarchy.TypeLeaf || n.Type == hierarchy.TypeRollup) && n.FlipSign != p.FlipSign {
					t.Errorf("node %s: flip_sign %v differs from its section %s (%v)", n.Code, n.FlipSign, p.Code, p.FlipSign)
				}
				if isStatistical(n) && (n.FlipSign || n.Consolidation != hierarchy.ConsolidateIgnore || n.Properties["unit"] == "") {
					t.Errorf("statistical leaf %s must not flip or roll up (~) and must name its unit", n.Code)
				}
			}
			for _, code := range []string{"REVENUE", "OPERATING_REVENUE", "GROSS_PROFIT", "EBITDA", "OPERATING_INCOME", "PROFIT_BEFORE_TAX", "NET_INCOME", "LIABILITIES", "EQUITY", "NET_CHANGE_IN_CASH"} {
				if n := idx[code]; n != nil && !n.FlipSign {
					t.Errorf("%s is credit-natured and must carry flip_sign: true", code)
				}
			}
			for _, code := range []string{"COST_OF_SALES", "COST_OF_GOODS_SOLD", "OPERATING_EXPENSES", "INCOME_TAX", "ASSETS", "BALANCE_CHECK"} {
				if n := idx[code]; n != nil && n.FlipSign {
					t.Errorf("%s is debit-natured and must not flip", code)
				}
			}
		})
	}
}

// Range rules of different leaves in the same precedence group must not
// overlap, and every example code a rule names must map to exactly one
// leaf (its own).
func TestTemplatesRulesDoNotOverlap(t *testing.T) {
	for _, l := range loadAll(t) {
		h := l.h
		t.Run(h.ID, func(t *testing.T) {
			type rng struct {
				leaf, col, from, to string
				prec                int
			}
			var ranges []rng
			for _, n := range h.Nodes {
				if n.Type != hierarchy.TypeLeaf {
					continue
				}
				for _, r := range n.Rules {
					if r.Match == hierarchy.MatchRange && !r.Exclude {
						ranges = append(ranges, rng{n.Code, h.RuleColumn(r), r.From, r.To, r.EffectivePrecedence()})
					}
				}
			}
			for i := range ranges {
				for j := i + 1; j < len(ranges); j++ {
					a, b := ranges[i], ranges[j]
					if a.leaf == b.leaf || a.col != b.col || a.prec != b.prec || len(a.from) != len(b.from) {
						continue
					}
					if a.from <= b.to && b.from <= a.to {
						t.Errorf("column %s: %s %s..%s overlaps %s %s..%s (precedence %d)", a.col, a.leaf, a.from, a.to, b.leaf, b.from, b.to, a.prec)
					}
				}
			}
			m := newMapper(h)
			for _, n := range h.Nodes {
				for _, r := range n.Rules {
					if r.Exclude {
						continue
					}
					for _, code := range sampleCodes(r) {
						got, err := m.leafFor(h.RuleColumn(r), code)
						if err != nil {
							t.Error(err)
						} else if got != n.Code {
							t.Errorf("code %q from a rule of %s maps to %q", code, n.Code, got)
						}
					}
				}
			}
		})
	}
}

// A conventional 4-digit chart maps completely: every account in the
// statement's range lands on exactly one leaf, and every leaf gets some.
func TestStatementTemplatesCoverTheChart(t *testing.T) {
	for _, l := range loadAll(t) {
		h := l.h
		if !isStatement(h) {
			continue
		}
		t.Run(h.ID, func(t *testing.T) {
			lo, hi := 4000, 9099
			switch h.ID {
			case "standard_pl":
				hi = 9199
			case "standard_balance_sheet", "cash_flow_indirect":
				lo, hi = 1000, 9899
			case "oil_gas_los":
				hi = 5999
			}
			m := newMapper(h)
			used := map[string]bool{}
			for a := 1000; a <= 9999; a++ {
				acct := strconv.Itoa(a)
				leaf, err := m.leafFor("account", acct)
				if err != nil {
					t.Error(err)
					continue
				}
				if a >= lo && a <= hi && leaf == "" {
					t.Errorf("account %s is not mapped", acct)
				}
				if leaf != "" {
					used[leaf] = true
					n := h.Node(leaf)
					if a >= 9900 && !isStatistical(n) {
						t.Errorf("statistical account %s maps to amount leaf %s", acct, leaf)
					}
					if a < 9900 && isStatistical(n) {
						t.Errorf("amount account %s maps to statistical leaf %s", acct, leaf)
					}
				}
			}
			for _, n := range h.Leaves() {
				if !used[n.Code] {
					t.Errorf("leaf %s maps no 4-digit account", n.Code)
				}
			}
		})
	}
}

// The bottom line of each statement is the sum of every amount leaf: the
// formula chain neither drops nor double-counts a section.
func TestStatementBottomLineCoversEveryLeaf(t *testing.T) {
	for _, l := range loadAll(t) {
		h := l.h
		if !isStatement(h) {
			continue
		}
		t.Run(h.ID, func(t *testing.T) {
			bottom := "NET_INCOME"
			switch h.ID {
			case "standard_balance_sheet":
				bottom = "BALANCE_CHECK"
			case "cash_flow_indirect":
				bottom = "NET_CHANGE_IN_CASH"
			case "oil_gas_los":
				bottom = "LEASE_OPERATING_INCOME"
			}
			if h.Node(bottom) == nil {
				t.Fatalf("no %s line", bottom)
			}
			rnd := rand.New(rand.NewSource(7))
			leafVals := map[string]float64{}
			want := 0.0
			for _, n := range h.Leaves() {
				v := float64(rnd.Intn(2000000)-1000000) / 100
				leafVals[n.Code] = v
				if !isStatistical(n) && !underLabel(h, n) {
					want += v
				}
			}
			ev := newEvaluator(h, leafVals)
			got, err := ev.value(bottom)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-want) > 1e-6 {
				t.Errorf("%s = %.2f, want the sum of all amount leaves %.2f", bottom, got, want)
			}
			// Every formula evaluates to a number on this data.
			for _, n := range h.Nodes {
				if n.Type == hierarchy.TypeFormula {
					if _, err := ev.value(n.Code); err != nil {
						t.Errorf("%s: %v", n.Code, err)
					}
				}
			}
		})
	}
}

// A balanced ledger (every journal sums to zero) balances the balance
// sheet and proves the cash flow statement.
func TestBalancedLedgerChecksAreZero(t *testing.T) {
	rnd := rand.New(rand.NewSource(42))
	gl := map[string]float64{}
	for i := 0; i < 400; i++ {
		a := strconv.Itoa(1000 + rnd.Intn(8900)) // 1000..9899: no statistical accounts
		b := strconv.Itoa(1000 + rnd.Intn(8900))
		amt := float64(rnd.Intn(1000000)) / 100
		gl[a] += amt
		gl[b] -= amt
	}
	for id, check := range map[string]string{"standard_balance_sheet": "BALANCE_CHECK", "cash_flow_indirect": "CASH_PROOF"} {
		h := loadOne(t, id)
		ev, err := evaluateGL(h, gl)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ev.value(check)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got) > 1e-6 {
			t.Errorf("%s %s = %.4f on a balanced ledger, want 0", id, check, got)
		}
	}
}

// End-to-end numbers for standard_pl, worked out by hand. A wrong sign
// convention (a "-" consolidation, REV - COGS on natural signs, a missing
// flip) changes these.
func TestStandardPLNumbers(t *testing.T) {
	h := loadOne(t, "standard_pl")
	// Natural signs: credits (revenue, finance income) negative.
	gl := map[string]float64{
		"4000":  -1000, // product revenue
		"4100":  -200,  // services revenue
		"4900":  50,    // discounts (a debit)
		"5000":  400,   // cost of goods sold
		"5100":  100,   // freight in
		"6000":  150,   // salaries
		"6400":  50,    // marketing
		"7000":  40,    // depreciation
		"8000":  30,    // interest expense
		"8100":  -10,   // interest income
		"9000":  25,    // income tax
		"1000":  999,   // cash: a balance sheet account, not on the P&L
		"41000": -77,   // 5 digits: outside the 4-digit ranges, unmapped
	}
	ev, err := evaluateGL(h, gl)
	if err != nil {
		t.Fatal(err)
	}
	if got := ev.unmapped; !equalStrings(got, []string{"1000", "41000"}) {
		t.Errorf("unmapped accounts %v, want [1000 41000]", got)
	}
	// Revenue 1150, cost of sales 500, gross profit 650, opex 200, EBITDA
	// 450, D&A 40, operating profit 410, finance +10 -30, PBT 390, tax 25,
	// net income 365 (all as presented).
	for code, want := range map[string]float64{
		"REVENUE":                1150,
		"REV_DEDUCTIONS":         -50,
		"COST_OF_SALES":          500,
		"GROSS_PROFIT":           650,
		"OPERATING_EXPENSES":     200,
		"EBITDA":                 450,
		"OPERATING_INCOME":       410,
		"NON_OPERATING":          -20,
		"FINANCE_INCOME":         10,
		"PROFIT_BEFORE_TAX":      390,
		"INCOME_TAX":             25,
		"NET_INCOME":             365,
		"GROSS_MARGIN_PCT":       56.5, // 650 / 1150
		"NET_MARGIN_PCT":         31.7, // 365 / 1150
		"OPEX_TO_REVENUE_PCT":    17.4, // 200 / 1150
		"EFFECTIVE_TAX_RATE_PCT": 6.4,  // 25 / 390
	} {
		got, err := ev.presented(code)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s presents %v, want %v", code, got, want)
		}
	}
	// In the data, profit is a credit.
	if v, _ := ev.value("NET_INCOME"); v != -365 {
		t.Errorf("NET_INCOME natural value %v, want -365", v)
	}
}

// The sample ledger in examples/finance maps completely onto standard_pl,
// and profit for the period is the negated sum of its (all P&L) lines.
func TestStandardPLMapsTheExampleLedger(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "examples", "finance", "data", "gl_transactions.csv"))
	if err != nil {
		t.Skipf("example ledger not available: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	gl := map[string]float64{}
	total := 0.0
	for _, r := range rows[1:] {
		amt, err := strconv.ParseFloat(r[col["amount"]], 64)
		if err != nil {
			t.Fatal(err)
		}
		gl[r[col["account_code"]]] += amt
		total += amt
	}
	h := loadOne(t, "standard_pl")
	ev, err := evaluateGL(h, gl)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.unmapped) > 0 {
		t.Errorf("example accounts not mapped: %v", ev.unmapped)
	}
	ni, err := ev.presented("NET_INCOME")
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ni+total) > 1e-6 {
		t.Errorf("NET_INCOME presents %.2f, want %.2f", ni, -total)
	}
	// Depreciation (7000) sits below EBITDA, interest (8000, 8100) below
	// operating profit.
	for code, acct := range map[string]string{"DEPRECIATION": "7000", "FINANCE_COSTS": "8000", "FINANCE_INCOME": "8100", "COS_FREIGHT": "5100", "REV_DEDUCTIONS": "4900"} {
		if v, _ := ev.value(code); v != gl[acct] {
			t.Errorf("%s = %v, want account %s (%v)", code, v, acct, gl[acct])
		}
	}
}

// The sample cost centres in examples/finance all map onto cost_center.
func TestCostCenterMapsTheExampleCostCentres(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "examples", "finance", "data", "cost_centers.csv"))
	if err != nil {
		t.Skipf("example cost centres not available: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	m := newMapper(loadOne(t, "cost_center"))
	for _, r := range rows[1:] {
		leaf, err := m.leafFor("cost_center", r[0])
		if err != nil || leaf == "" {
			t.Errorf("cost centre %s (%s) maps to %q (%v)", r[0], r[1], leaf, err)
		}
	}
}

// ---------------------------------------------------------------------------
// Helpers: classification

func validKind(k hierarchy.Kind) bool {
	for _, x := range hierarchy.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func isStatement(h *hierarchy.Hierarchy) bool {
	switch h.Kind {
	case hierarchy.KindIncomeStatement, hierarchy.KindBalanceSheet, hierarchy.KindCashFlow:
		return true
	}
	return false
}

// isStatistical reports a leaf that carries quantities (volumes, counts),
// not amounts.
func isStatistical(n *hierarchy.Node) bool {
	return n.Type == hierarchy.TypeLeaf && n.Properties["statistical"] == "true"
}

func underLabel(h *hierarchy.Hierarchy, n *hierarchy.Node) bool {
	for _, a := range h.Ancestors(n.Code) {
		if h.Node(a).Type == hierarchy.TypeLabel {
			return true
		}
	}
	return false
}

func identLike(code string) bool {
	for i, r := range code {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			return false
		}
	}
	return code != ""
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}

func formulaCycle(h *hierarchy.Hierarchy, idx map[string]*hierarchy.Node) error {
	state := map[string]int{}
	var visit func(c string, path []string) error
	visit = func(c string, path []string) error {
		switch state[c] {
		case 1:
			return fmt.Errorf("formula cycle: %s", strings.Join(append(path, c), " -> "))
		case 2:
			return nil
		}
		state[c] = 1
		n := idx[c]
		if n != nil && n.Type == hierarchy.TypeFormula && n.Formula != nil {
			refs, _ := formulaRefs(n.Formula.Expression)
			for _, r := range refs {
				if err := visit(r, append(path, c)); err != nil {
					return err
				}
			}
		}
		state[c] = 2
		return nil
	}
	for _, n := range h.Nodes {
		if err := visit(n.Code, nil); err != nil {
			return err
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Helpers: an independent rule matcher

type mapper struct {
	h *hierarchy.Hierarchy
}

func newMapper(h *hierarchy.Hierarchy) *mapper { return &mapper{h: h} }

func ruleMatches(r hierarchy.Rule, code string) bool {
	switch r.Match {
	case hierarchy.MatchExact:
		return code == r.Value
	case hierarchy.MatchList:
		for _, v := range r.Values {
			if code == v {
				return true
			}
		}
		return false
	case hierarchy.MatchRange:
		return len(code) == len(r.From) && r.From <= code && code <= r.To
	case hierarchy.MatchPrefix:
		return strings.HasPrefix(code, r.Value)
	case hierarchy.MatchPattern:
		return globMatch(r.Value, code)
	}
	return false
}

func globMatch(p, s string) bool {
	if p == "" {
		return s == ""
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && globMatch(p[1:], s[1:])
	}
	return s != "" && s[0] == p[0] && globMatch(p[1:], s[1:])
}

// leafFor returns the leaf a code maps to ("" when none): the leaf whose
// matching include rule has the lowest precedence, unless one of its own
// exclude rules matches. Two leaves at the same best precedence is an error.
func (m *mapper) leafFor(col, code string) (string, error) {
	best := math.MaxInt
	var winners []string
	for _, n := range m.h.Nodes {
		if n.Type != hierarchy.TypeLeaf {
			continue
		}
		excluded := false
		p := math.MaxInt
		for _, r := range n.Rules {
			if m.h.RuleColumn(r) != col || !ruleMatches(r, code) {
				continue
			}
			if r.Exclude {
				excluded = true
			} else if r.EffectivePrecedence() < p {
				p = r.EffectivePrecedence()
			}
		}
		if excluded || p == math.MaxInt {
			continue
		}
		switch {
		case p < best:
			best, winners = p, []string{n.Code}
		case p == best:
			winners = append(winners, n.Code)
		}
	}
	if len(winners) > 1 {
		return "", fmt.Errorf("%s %q matches %v at precedence %d", col, code, winners, best)
	}
	if len(winners) == 0 {
		return "", nil
	}
	return winners[0], nil
}

// sampleCodes returns codes a rule is meant to match.
func sampleCodes(r hierarchy.Rule) []string {
	switch r.Match {
	case hierarchy.MatchExact:
		return []string{r.Value}
	case hierarchy.MatchList:
		return r.Values
	case hierarchy.MatchRange:
		return []string{r.From, r.To}
	case hierarchy.MatchPrefix:
		return []string{r.Value, r.Value + "0001"}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Helpers: an independent evaluator (rollups with consolidation signs,
// formulas by a small recursive-descent parser)

type evaluator struct {
	h        *hierarchy.Hierarchy
	idx      map[string]*hierarchy.Node
	kids     map[string][]*hierarchy.Node
	leaf     map[string]float64
	memo     map[string]float64
	unmapped []string
}

func newEvaluator(h *hierarchy.Hierarchy, leafVals map[string]float64) *evaluator {
	ev := &evaluator{h: h, idx: h.Index(), kids: map[string][]*hierarchy.Node{}, leaf: leafVals, memo: map[string]float64{}}
	for _, n := range h.Nodes {
		ev.kids[n.Parent] = append(ev.kids[n.Parent], n)
	}
	return ev
}

// evaluateGL maps each GL account to its leaf and sums the amounts.
func evaluateGL(h *hierarchy.Hierarchy, gl map[string]float64) (*evaluator, error) {
	m := newMapper(h)
	vals := map[string]float64{}
	var unmapped []string
	for acct, amt := range gl {
		leaf, err := m.leafFor(h.DefaultColumn(), acct)
		if err != nil {
			return nil, err
		}
		if leaf == "" {
			unmapped = append(unmapped, acct)
			continue
		}
		vals[leaf] += amt
	}
	sort.Strings(unmapped)
	ev := newEvaluator(h, vals)
	ev.unmapped = unmapped
	return ev, nil
}

// value is the node's natural-signed value.
func (ev *evaluator) value(code string) (float64, error) {
	if v, ok := ev.memo[code]; ok {
		return v, nil
	}
	n := ev.idx[code]
	if n == nil {
		return 0, fmt.Errorf("unknown node %s", code)
	}
	var v float64
	switch n.Type {
	case hierarchy.TypeLeaf:
		v = ev.leaf[code]
	case hierarchy.TypeRollup:
		for _, c := range ev.kids[code] {
			if c.Type == hierarchy.TypeLabel {
				continue
			}
			cv, err := ev.value(c.Code)
			if err != nil {
				return 0, err
			}
			v += float64(c.Consolidation.Sign()) * cv
		}
	case hierarchy.TypeFormula:
		ev.memo[code] = math.NaN() // cycle guard
		p := &exprParser{src: n.Formula.Expression, ev: ev}
		var err error
		v, err = p.parse()
		if err != nil {
			delete(ev.memo, code)
			return 0, fmt.Errorf("formula %s: %w", code, err)
		}
	case hierarchy.TypeLabel:
		return 0, fmt.Errorf("label %s has no value", code)
	}
	ev.memo[code] = v
	return v, nil
}

// presented applies flip_sign.
func (ev *evaluator) presented(code string) (float64, error) {
	v, err := ev.value(code)
	if err != nil {
		return 0, err
	}
	if ev.idx[code].FlipSign {
		v = -v
	}
	return v, nil
}

type exprToken struct {
	kind byte // 'n' number, 'i' identifier, or the operator character; 0 = end
	text string
}

func tokenize(src string) ([]exprToken, error) {
	var out []exprToken
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case strings.IndexByte("+-*/(),", c) >= 0:
			out = append(out, exprToken{kind: c, text: string(c)})
			i++
		case c >= '0' && c <= '9' || c == '.':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			out = append(out, exprToken{kind: 'n', text: src[i:j]})
			i = j
		case c == '_' || unicode.IsLetter(rune(c)):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '.' || unicode.IsLetter(rune(src[j])) || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			out = append(out, exprToken{kind: 'i', text: src[i:j]})
			i = j
		default:
			return nil, fmt.Errorf("unexpected %q at %d in %q", c, i+1, src)
		}
	}
	return append(out, exprToken{}), nil
}

// formulaRefs returns the node codes an expression names: identifiers that
// are not function names.
func formulaRefs(src string) ([]string, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range toks {
		if t.kind == 'i' && !funcNames[strings.ToUpper(t.text)] {
			out = append(out, t.text)
		}
	}
	// Parse it too, so a syntax error is caught.
	p := &exprParser{src: src}
	if _, err := p.parse(); err != nil {
		return out, err
	}
	return out, nil
}

type exprParser struct {
	src  string
	toks []exprToken
	i    int
	ev   *evaluator // nil: syntax check only, references are 1
}

func (p *exprParser) parse() (float64, error) {
	toks, err := tokenize(p.src)
	if err != nil {
		return 0, err
	}
	p.toks = toks
	v, err := p.sum()
	if err != nil {
		return 0, err
	}
	if p.toks[p.i].kind != 0 {
		return 0, fmt.Errorf("unexpected %q in %q", p.toks[p.i].text, p.src)
	}
	return v, nil
}

func (p *exprParser) sum() (float64, error) {
	v, err := p.product()
	for err == nil && (p.toks[p.i].kind == '+' || p.toks[p.i].kind == '-') {
		op := p.toks[p.i].kind
		p.i++
		var r float64
		if r, err = p.product(); err == nil {
			if op == '+' {
				v += r
			} else {
				v -= r
			}
		}
	}
	return v, err
}

func (p *exprParser) product() (float64, error) {
	v, err := p.unary()
	for err == nil && (p.toks[p.i].kind == '*' || p.toks[p.i].kind == '/') {
		op := p.toks[p.i].kind
		p.i++
		var r float64
		if r, err = p.unary(); err == nil {
			if op == '*' {
				v *= r
			} else {
				v /= r
			}
		}
	}
	return v, err
}

func (p *exprParser) unary() (float64, error) {
	if p.toks[p.i].kind == '-' {
		p.i++
		v, err := p.unary()
		return -v, err
	}
	return p.primary()
}

func (p *exprParser) primary() (float64, error) {
	t := p.toks[p.i]
	p.i++
	switch t.kind {
	case 'n':
		return strconv.ParseFloat(t.text, 64)
	case '(':
		v, err := p.sum()
		if err != nil {
			return 0, err
		}
		if p.toks[p.i].kind != ')' {
			return 0, fmt.Errorf("missing ) in %q", p.src)
		}
		p.i++
		return v, nil
	case 'i':
		name := strings.ToUpper(t.text)
		if funcNames[name] && p.toks[p.i].kind == '(' {
			p.i++
			var args []float64
			for {
				a, err := p.sum()
				if err != nil {
					return 0, err
				}
				args = append(args, a)
				if p.toks[p.i].kind == ',' {
					p.i++
					continue
				}
				if p.toks[p.i].kind != ')' {
					return 0, fmt.Errorf("missing ) after %s arguments in %q", name, p.src)
				}
				p.i++
				break
			}
			return callFunc(name, args)
		}
		if p.ev == nil {
			return 1, nil
		}
		return p.ev.value(t.text)
	}
	return 0, fmt.Errorf("unexpected %q in %q", t.text, p.src)
}

func callFunc(name string, args []float64) (float64, error) {
	switch name {
	case "ABS":
		if len(args) == 1 {
			return math.Abs(args[0]), nil
		}
	case "ROUND":
		places := 0.0
		if len(args) == 2 {
			places = args[1]
		}
		if len(args) == 1 || len(args) == 2 {
			f := math.Pow(10, places)
			return math.Round(args[0]*f) / f, nil
		}
	case "MIN", "MAX":
		if len(args) >= 2 {
			v := args[0]
			for _, a := range args[1:] {
				if name == "MIN" {
					v = math.Min(v, a)
				} else {
					v = math.Max(v, a)
				}
			}
			return v, nil
		}
	}
	return 0, fmt.Errorf("%s: wrong number of arguments (%d)", name, len(args))
}
