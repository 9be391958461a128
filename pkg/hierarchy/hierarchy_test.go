package hierarchy

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/project"
)

// samplePL is a small natural-sign P&L: revenue (credits, negative) is
// flipped for presentation; formulas are over natural signs.
func samplePL() *Hierarchy {
	return &Hierarchy{
		ID: "pl", Name: "P&L", Kind: KindIncomeStatement, Version: 1, Status: StatusDraft,
		SourceColumns: []string{"account"},
		Nodes: []*Node{
			{Code: "PL", Name: "Profit and loss", Type: TypeRollup},
			{Code: "REV", Name: "Revenue", Parent: "PL", Sort: 10, Type: TypeRollup, FlipSign: true},
			{Code: "REV_PRODUCT", Name: "Product revenue", Parent: "REV", Sort: 10, Type: TypeLeaf, Rules: []Rule{{Match: MatchRange, From: "4000", To: "4099"}}},
			{Code: "REV_SERVICE", Name: "Service revenue", Parent: "REV", Sort: 20, Type: TypeLeaf, Rules: []Rule{{Match: MatchRange, From: "4100", To: "4999"}, {Match: MatchExact, Value: "4900", Exclude: true}}},
			{Code: "COGS", Name: "Cost of sales", Parent: "PL", Sort: 20, Type: TypeLeaf, Rules: []Rule{{Match: MatchPrefix, Value: "5"}}},
			{Code: "GP", Name: "Gross profit", Parent: "PL", Sort: 30, Type: TypeFormula, Consolidation: ConsolidateIgnore, Formula: &Formula{Expression: "REV - COGS"}},
			{Code: "OPEX", Name: "Operating expenses", Parent: "PL", Sort: 40, Type: TypeLeaf, Rules: []Rule{{Match: MatchList, Values: []string{"6000", "6100"}}}},
			{Code: "EBIT", Name: "Operating income", Parent: "PL", Sort: 50, Type: TypeFormula, Consolidation: ConsolidateIgnore, Formula: &Formula{Expression: "GP - OPEX"}},
			{Code: "TAX", Name: "Tax", Parent: "PL", Sort: 60, Type: TypeLeaf, Rules: []Rule{{Match: MatchPattern, Value: "9*"}}},
			{Code: "NET", Name: "Net income", Parent: "PL", Sort: 70, Type: TypeFormula, Consolidation: ConsolidateIgnore, Formula: &Formula{Expression: "EBIT - TAX"}},
			{Code: "GPM", Name: "Gross margin %", Parent: "PL", Sort: 80, Type: TypeFormula, Consolidation: ConsolidateIgnore, Formula: &Formula{Expression: "ROUND(GP / REV * 100, 1)", Nulls: NullSkip}},
		},
	}
}

// newProject makes an empty project in a temp folder.
func newProject(t testing.TB) *project.Project {
	t.Helper()
	root := t.TempDir()
	if _, err := project.Init(root, "h"); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newStore(t testing.TB) *Store {
	t.Helper()
	s := NewStore(newProject(t))
	tick := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { tick = tick.Add(time.Minute); return tick }
	return s
}

func TestIntegrityOfSample(t *testing.T) {
	if f := CheckIntegrity(samplePL()); len(f) != 0 {
		t.Fatalf("sample has integrity errors: %v", f)
	}
}

func TestIntegrityFindings(t *testing.T) {
	cases := map[string]func(h *Hierarchy){
		"duplicate_code": func(h *Hierarchy) {
			h.Nodes = append(h.Nodes, &Node{Code: "COGS", Name: "x", Type: TypeLeaf, Parent: "PL"})
		},
		"unknown_parent":        func(h *Hierarchy) { h.Node("OPEX").Parent = "NOPE" },
		"cycle":                 func(h *Hierarchy) { h.Node("PL").Parent = "REV" },
		"unknown_type":          func(h *Hierarchy) { h.Node("OPEX").Type = "bucket" },
		"unknown_consolidation": func(h *Hierarchy) { h.Node("OPEX").Consolidation = "*" },
		"rules_on_non_leaf":     func(h *Hierarchy) { h.Node("REV").Rules = []Rule{{Match: MatchExact, Value: "1"}} },
		"invalid_rule":          func(h *Hierarchy) { h.Node("OPEX").Rules[0] = Rule{Match: MatchRange, From: "4000", To: "49999"} },
		"bad_formula":           func(h *Hierarchy) { h.Node("GP").Formula.Expression = "REV -" },
		"unknown_reference":     func(h *Hierarchy) { h.Node("GP").Formula.Expression = "REV - NOPE" },
		"formula_cycle":         func(h *Hierarchy) { h.Node("GP").Formula.Expression = "NET + 1" },
		"missing_formula":       func(h *Hierarchy) { h.Node("GP").Formula = nil },
		"invalid_code":          func(h *Hierarchy) { h.Node("TAX").Code = "TAX RATE" },
	}
	for code, mutate := range cases {
		h := samplePL()
		mutate(h)
		found := false
		for _, f := range CheckIntegrity(h) {
			if f.Code == code {
				found = true
				if f.Hint == "" || f.Severity != SeverityError {
					t.Errorf("%s: finding lacks hint or severity: %+v", code, f)
				}
			}
		}
		if !found {
			t.Errorf("%s not reported: %v", code, CheckIntegrity(h))
		}
	}
}

func TestStoreLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	h, err := s.Create(ctx, samplePL())
	if err != nil {
		t.Fatal(err)
	}
	if h.Version != 1 || h.Status != StatusDraft {
		t.Fatalf("created %d %s", h.Version, h.Status)
	}
	if _, err := s.Create(ctx, samplePL()); err == nil {
		t.Fatal("duplicate create accepted")
	}
	// An edit that breaks integrity is refused and the file is untouched.
	before, _ := os.ReadFile(s.path("pl"))
	_, err = s.Update(ctx, "pl", func(h *Hierarchy) error { return MoveNode(h, "PL", "REV", 0) })
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("move into own subtree: %v", err)
	}
	_, err = s.Update(ctx, "pl", func(h *Hierarchy) error { h.Node("OPEX").Parent = "GHOST"; return nil })
	var ie *IntegrityError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "unknown parent GHOST") {
		t.Fatalf("unknown parent: %v", err)
	}
	after, _ := os.ReadFile(s.path("pl"))
	if string(before) != string(after) {
		t.Fatal("refused update changed the file")
	}

	// Publish freezes v1; the next edit starts v2 as a draft.
	if _, err := s.Publish(ctx, "pl"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(ctx, "pl"); err == nil {
		t.Fatal("published twice")
	}
	v2, err := s.Update(ctx, "pl", func(h *Hierarchy) error {
		return AddNode(h, NodeInput{Code: "OPEX_RENT", Name: "Rent", Parent: "PL", Position: 5})
	})
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.Status != StatusDraft {
		t.Fatalf("after edit: v%d %s", v2.Version, v2.Status)
	}
	v1, err := s.GetVersion("pl", 1)
	if err != nil || v1.Status != StatusPublished || v1.Node("OPEX_RENT") != nil {
		t.Fatalf("v1 = %+v, %v", v1, err)
	}
	hist, err := s.History("pl")
	if err != nil || len(hist) != 2 || hist[0].Version != 1 || !hist[1].Current || hist[1].Status != StatusDraft {
		t.Fatalf("history = %+v, %v", hist, err)
	}
	d := DiffHierarchies(v1, v2)
	if len(d.Added) != 1 || d.Added[0].Code != "OPEX_RENT" {
		t.Fatalf("diff added = %+v", d.Added)
	}
	// Listing, copy, delete.
	if _, err := s.Copy(ctx, "pl", "pl_budget", "Budget P&L"); err != nil {
		t.Fatal(err)
	}
	list, _ := s.List()
	if len(list) != 2 || list[0].ID != "pl" || list[1].Version != 1 {
		t.Fatalf("list = %+v", list)
	}
	if err := s.Delete(ctx, "pl"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("pl"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "pl_budget") {
		t.Fatalf("get deleted: %v", err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "versions", "pl")); !os.IsNotExist(err) {
		t.Fatal("versions not deleted")
	}
}

func TestParseErrorsHaveLines(t *testing.T) {
	_, err := Parse("pl.yaml", []byte("id: pl\nname: P\nkind: custom\nnodes:\n  - code: A\n    name: A\n    colour: red\n"))
	if err == nil || !strings.Contains(err.Error(), "pl.yaml:7") {
		t.Fatalf("unknown field: %v", err)
	}
	_, err = Parse("pl.yaml", []byte("id: pl\nnodes:\n  - code: A\n   name: B\n"))
	if err == nil || !strings.Contains(err.Error(), "pl.yaml:") {
		t.Fatalf("syntax: %v", err)
	}
}

func TestNodeOperations(t *testing.T) {
	h := samplePL()
	// add at a position
	if err := AddNode(h, NodeInput{Code: "OTHER", Name: "Other income", Parent: "PL", Position: 2}); err != nil {
		t.Fatal(err)
	}
	kids := h.Children()["PL"]
	if kids[1].Code != "OTHER" {
		t.Fatalf("position: %v", codes(kids))
	}
	if err := AddNode(h, NodeInput{Code: "OTHER", Name: "x"}); err == nil {
		t.Fatal("duplicate add")
	}
	if err := AddNode(h, NodeInput{Code: "X", Parent: "GP"}); err == nil || !strings.Contains(err.Error(), "formula nodes cannot have children") {
		t.Fatalf("child of formula: %v", err)
	}
	if err := AddNode(h, NodeInput{Code: "X", Parent: "COGS"}); err == nil || !strings.Contains(err.Error(), "leaf with mapping rules") {
		t.Fatalf("child of mapped leaf: %v", err)
	}
	// a leaf without rules becomes a rollup when it gets a child
	if err := AddNode(h, NodeInput{Code: "OTHER_FX", Name: "FX gains", Parent: "OTHER"}); err != nil || h.Node("OTHER").Type != TypeRollup {
		t.Fatalf("leaf→rollup: %v %s", err, h.Node("OTHER").Type)
	}
	// rename updates parents and formulas
	nc := "REVENUE"
	if err := UpdateNode(h, "REV", NodePatch{NewCode: &nc}); err != nil {
		t.Fatal(err)
	}
	if h.Node("GP").Formula.Expression != "REVENUE - COGS" || h.Node("REV_PRODUCT").Parent != "REVENUE" {
		t.Fatalf("rename: %q %q", h.Node("GP").Formula.Expression, h.Node("REV_PRODUCT").Parent)
	}
	// move
	if err := MoveNode(h, "REV_SERVICE", "PL", 1); err != nil || h.Children()["PL"][0].Code != "REV_SERVICE" {
		t.Fatalf("move: %v", err)
	}
	if err := MoveNode(h, "REVENUE", "REV_PRODUCT", 0); err == nil {
		t.Fatal("moved under own descendant")
	}
	// remove: referenced by a formula
	if _, err := RemoveNode(h, "COGS", false); err == nil || !strings.Contains(err.Error(), "formula of GP references COGS") {
		t.Fatalf("remove referenced: %v", err)
	}
	// remove without children lifts them into place
	gone, err := RemoveNode(h, "OTHER", false)
	if err != nil || len(gone) != 1 || h.Node("OTHER_FX").Parent != "PL" {
		t.Fatalf("remove lift: %v %v", gone, err)
	}
	// reorder
	if err := Reorder(h, "REVENUE", []string{"REV_PRODUCT"}); err != nil {
		t.Fatal(err)
	}
	if err := Reorder(h, "PL", []string{"COGS"}); err == nil {
		t.Fatal("partial reorder accepted")
	}
	if f := CheckIntegrity(h); len(f) > 0 {
		t.Fatalf("operations broke integrity: %v", f)
	}
}

func TestMappingOperations(t *testing.T) {
	h := samplePL()
	if err := AddRule(h, "OPEX", Rule{Match: MatchRange, From: "6200", To: "6999"}); err != nil {
		t.Fatal(err)
	}
	if err := AddRule(h, "OPEX", Rule{Match: MatchRange, From: "6200", To: "6999"}); err == nil {
		t.Fatal("duplicate rule")
	}
	if err := AddRule(h, "REV", Rule{Match: MatchExact, Value: "1"}); err == nil {
		t.Fatal("rule on rollup")
	}
	if err := AddRule(h, "OPEX", Rule{Match: MatchRange, From: "7000", To: "70000"}); err == nil || !strings.Contains(err.Error(), "same width") {
		t.Fatalf("width: %v", err)
	}
	own, _ := ListRules(h, "OPEX", false)
	if len(own) != 2 || own[1].Text != "account 6200..6999" {
		t.Fatalf("own = %+v", own)
	}
	inh, _ := ListRules(h, "REV", true)
	if len(inh) != 3 || !inh[0].Inherited || inh[0].Node != "REV_PRODUCT" {
		t.Fatalf("inherited = %+v", inh)
	}
	if r, err := RemoveRule(h, "OPEX", 2); err != nil || r.From != "6200" {
		t.Fatalf("remove rule: %v", err)
	}
	sum := SummarizeMappings(h)
	if sum.Leaves != 5 || sum.MappedLeaves != 5 || sum.Exclusions != 1 || sum.ByMatch["range"] != 2 {
		t.Fatalf("summary = %+v", sum)
	}
	// formulas
	if err := SetFormula(h, "GP", "REV - COGS - GP", ""); err == nil {
		t.Fatal("self reference")
	}
	if err := SetFormula(h, "GP", "PL - COGS", ""); err == nil || !strings.Contains(err.Error(), "ancestor") {
		t.Fatalf("ancestor: %v", err)
	}
	if err := SetFormula(h, "GP", "NET + 1", ""); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("cycle: %v", err)
	}
	fl, err := ListFormulas(h)
	if err != nil || len(fl) != 4 || fl[0].Code != "GP" || fl[3].Nulls != NullSkip {
		t.Fatalf("formulas = %+v %v", fl, err)
	}
}

func codes(ns []*Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Code)
	}
	return out
}
