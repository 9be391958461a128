package hierarchy

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fcBase is a small tree for the formula checks:
//
//	PL (rollup)
//	  REV, COGS (leaves)
//	  SUB (rollup)
//	    A (leaf)
func fcBase(extra ...*Node) *Hierarchy {
	h := &Hierarchy{ID: "fc", Name: "FC", Kind: KindCustom, Version: 1, Status: StatusDraft, SourceColumns: []string{"account"},
		Nodes: []*Node{
			{Code: "PL", Name: "PL", Type: TypeRollup},
			{Code: "REV", Name: "Revenue", Parent: "PL", Sort: 10, Type: TypeLeaf, Rules: []Rule{{Match: MatchPrefix, Value: "4"}}},
			{Code: "COGS", Name: "Cost", Parent: "PL", Sort: 20, Type: TypeLeaf, Rules: []Rule{{Match: MatchPrefix, Value: "5"}}},
			{Code: "SUB", Name: "Sub", Parent: "PL", Sort: 30, Type: TypeRollup},
			{Code: "A", Name: "A", Parent: "SUB", Sort: 10, Type: TypeLeaf, Rules: []Rule{{Match: MatchPrefix, Value: "6"}}},
		}}
	h.Nodes = append(h.Nodes, extra...)
	return h
}

func fcFormula(code, parent, expr string) *Node {
	return &Node{Code: code, Name: code, Parent: parent, Type: TypeFormula, Consolidation: ConsolidateIgnore, Formula: &Formula{Expression: expr}}
}

func TestCheckFormulas(t *testing.T) {
	cases := []struct {
		name  string
		nodes []*Node
		// want: "" for no issue, else kind|node|ref|message fragment.
		want []string
	}{
		{"siblings and leaves", []*Node{fcFormula("GP", "PL", "REV - COGS"), fcFormula("F", "SUB", "A * 2")}, nil},
		{"formula over formulas", []*Node{fcFormula("GP", "", "REV - COGS"), fcFormula("NET", "", "GP - SUB"), fcFormula("GM", "PL", "ROUND(GP / REV * 100, 1)")}, nil},
		{"a descendant's total is not a cycle", []*Node{fcFormula("F", "", "SUB + A + PL")}, nil},
		{"self", []*Node{fcFormula("F", "PL", "F + 1")},
			[]string{"formula_cycle|F|F|node F: formula references itself"}},
		{"parent", []*Node{fcFormula("F", "SUB", "SUB - A")},
			[]string{"formula_references_ancestor|F|SUB|node F: formula references its own ancestor SUB, whose total includes F"}},
		{"grandparent", []*Node{fcFormula("F", "SUB", "A / PL")},
			[]string{"formula_references_ancestor|F|PL|node F: formula references its own ancestor PL, whose total includes F"}},
		{"unknown code", []*Node{fcFormula("F", "", "REV - NOPE")},
			[]string{"unknown_reference|F|NOPE|node F: formula references unknown node NOPE"}},
		{"two formulas", []*Node{fcFormula("F", "", "G + 1"), fcFormula("G", "", "F * 2")},
			[]string{"formula_cycle|F|G|node F: formula references form a cycle: F → G → F", "formula_cycle|G|F|node G: formula references form a cycle: G → F → G"}},
		{"three formulas", []*Node{fcFormula("F", "", "G"), fcFormula("G", "", "H"), fcFormula("H", "", "REV + F")},
			[]string{"formula_cycle|F|G|F → G → H → F", "formula_cycle|G|H|G → H → F → G", "formula_cycle|H|F|H → F → G → H"}},
		{"through a total", []*Node{fcFormula("F", "SUB", "G - A"), fcFormula("G", "", "SUB * 2")},
			[]string{"formula_cycle|F|G|node F: formula references form a cycle: F → G → SUB → F (SUB's total includes F)", "formula_cycle|G|SUB|G → SUB → F → G"}},
		{"missing expression", []*Node{{Code: "F", Name: "F", Type: TypeFormula}},
			[]string{"missing_formula|F||formula node F has no expression"}},
		{"does not parse", []*Node{fcFormula("F", "", "REV -")},
			[]string{"bad_formula|F||node F: formula \"REV -\": expression ends too early"}},
		{"bad nulls", []*Node{{Code: "F", Name: "F", Type: TypeFormula, Formula: &Formula{Expression: "REV", Nulls: "maybe"}}},
			[]string{"bad_formula|F||unknown null handling \"maybe\""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CheckFormulas(fcBase(c.nodes...))
			if len(got) != len(c.want) {
				t.Fatalf("got %d issues, want %d: %+v", len(got), len(c.want), got)
			}
			for i, w := range c.want {
				p := strings.SplitN(w, "|", 4)
				g := got[i]
				if g.Kind != p[0] || g.Node != p[1] || g.Ref != p[2] || !strings.Contains(g.Message, p[3]) || g.Hint == "" {
					t.Errorf("issue %d = %+v, want %s", i, g, w)
				}
				if !strings.Contains(g.Error(), g.Message) || !strings.Contains(g.Error(), g.Hint) {
					t.Errorf("error %q lacks the message or the hint", g.Error())
				}
			}
		})
	}
}

// TestFormulaCheckEveryPath: node add, formula set, node move, the store
// (service calls, templates, copies), validate of a hand-edited file and
// CSV import all refuse the same formula with the same words.
func TestFormulaCheckEveryPath(t *testing.T) {
	const want = "node F: formula references its own ancestor SUB, whose total includes F"

	// Library: AddNode and SetFormula give the same error and leave the
	// hierarchy as it was.
	h := fcBase()
	err := AddNode(h, NodeInput{Code: "F", Parent: "SUB", Formula: "SUB - A"})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("AddNode: %v", err)
	}
	if !reflect.DeepEqual(h, fcBase()) {
		t.Fatal("refused AddNode changed the hierarchy")
	}
	h = fcBase(&Node{Code: "F", Name: "F", Parent: "SUB", Type: TypeLeaf})
	err2 := SetFormula(h, "F", "SUB - A", "")
	if err2 == nil || err2.Error() != err.Error() {
		t.Fatalf("SetFormula: %v, AddNode: %v", err2, err)
	}
	if h.Node("F").Type != TypeLeaf || h.Node("F").Formula != nil {
		t.Fatal("refused SetFormula changed the node")
	}
	for _, c := range []struct{ expr, want string }{
		{"F + 1", "node F: formula references itself"},
		{"PL", "node F: formula references its own ancestor PL"},
		{"NOPE", "node F: formula references unknown node NOPE"},
	} {
		if err := AddNode(fcBase(), NodeInput{Code: "F", Parent: "SUB", Formula: c.expr}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("AddNode %s: %v", c.expr, err)
		}
		if err := SetFormula(fcBase(&Node{Code: "F", Name: "F", Parent: "SUB", Type: TypeLeaf}), "F", c.expr, ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SetFormula %s: %v", c.expr, err)
		}
	}
	// An indirect cycle closed by AddNode: G = SUB exists, F under SUB = G.
	if err := AddNode(fcBase(fcFormula("G", "", "SUB * 2")), NodeInput{Code: "F", Parent: "SUB", Formula: "G"}); err == nil || !strings.Contains(err.Error(), "F → G → SUB → F") {
		t.Errorf("AddNode indirect: %v", err)
	}
	// Moving a formula under a total it references.
	h = fcBase(fcFormula("F", "PL", "SUB - A"))
	if err := MoveNode(h, "F", "SUB", 0); err == nil || !strings.Contains(err.Error(), "cannot move F under SUB: "+want) {
		t.Fatalf("MoveNode: %v", err)
	}
	if h.Node("F").Parent != "PL" {
		t.Fatal("refused move changed the parent")
	}
	// A move that makes no formula cycle is fine.
	if err := MoveNode(fcBase(fcFormula("F", "PL", "SUB - A")), "A", "PL", 0); err != nil {
		t.Fatalf("harmless move: %v", err)
	}

	// The service (CLI and MCP): refused, the file unchanged.
	ctx := context.Background()
	svc := fcService(t)
	if _, err := svc.Store.Create(ctx, fcBase()); err != nil {
		t.Fatal(err)
	}
	path := svc.Store.path("fc")
	before, _ := os.ReadFile(path)
	if _, err := svc.AddNode(ctx, "fc", NodeInput{Code: "F", Parent: "SUB", Formula: "SUB - A"}); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("service AddNode: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a refused node add changed the file")
	}
	if _, err := svc.AddNode(ctx, "fc", NodeInput{Code: "F", Parent: "SUB", Type: TypeLeaf}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetFormula(ctx, "fc", "F", "SUB - A", ""); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("service SetFormula: %v", err)
	}
	if _, err := svc.RemoveNode(ctx, "fc", "F", false); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Store.Get("fc"); len(got.Nodes) != len(fcBase().Nodes) || got.Node("SUB").Type != TypeRollup {
		t.Fatalf("nodes after refused changes: %d", len(got.Nodes))
	}

	// The store: Create (templates, copies, CSV --create) refuses it.
	bad := fcBase(fcFormula("F", "SUB", "SUB - A"))
	bad.ID = "bad"
	_, err = svc.Store.Create(ctx, bad)
	var ie *IntegrityError
	if !errors.As(err, &ie) || len(ie.Findings) != 1 || ie.Findings[0].Code != IssueReferencesAncestor || !strings.Contains(err.Error(), want) {
		t.Fatalf("Store.Create: %v", err)
	}
	if svc.Store.Exists("bad") {
		t.Fatal("refused hierarchy was written")
	}

	// A hand-edited YAML file loads (so it can be repaired) and validate
	// reports the problem once, with the same words.
	y, err := Marshal(bad)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := Parse("bad.yaml", y)
	if err != nil {
		t.Fatal(err)
	}
	rep := Validate(parsed, nil)
	var fs []Finding
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Code, "formula") {
			fs = append(fs, f)
		}
	}
	if len(fs) != 1 || fs[0].Code != IssueReferencesAncestor || fs[0].Node != "F" || fs[0].Message != want || rep.Errors == 0 {
		t.Fatalf("validate: %+v", rep.Findings)
	}

	// CSV: parent-child into the hierarchy, parent-child --create and wide
	// levels reject the row with the same reason.
	csvWant := want + " ("
	pc := "code,name,parent,type,formula\nF,F,SUB,formula,SUB - A\n"
	res, err := ImportNodesCSV(strings.NewReader(pc), ImportOptions{Into: fcBase()})
	if !errors.As(err, new(*RejectedRowsError)) || len(res.Rejected) != 1 || res.Rejected[0].Line != 2 || !strings.HasPrefix(res.Rejected[0].Reason, csvWant) {
		t.Fatalf("CSV into: %v %+v", err, res)
	}
	full := "code,name,parent,type,formula\nPL,PL,,,\nSUB,Sub,PL,,\nA,A,SUB,leaf,\nF,F,SUB,formula,SUB - A\n"
	res, err = ImportNodesCSV(strings.NewReader(full), ImportOptions{})
	if err == nil || len(res.Rejected) != 1 || res.Rejected[0].Line != 5 || !strings.HasPrefix(res.Rejected[0].Reason, csvWant) {
		t.Fatalf("CSV create: %v %+v", err, res)
	}
	wide := "level_1,level_2,type,formula\nRevenue,Product,,\nRevenue,Margin,formula,REVENUE * 2\n"
	res, err = ImportNodesCSV(strings.NewReader(wide), ImportOptions{})
	if err == nil || len(res.Rejected) != 1 || res.Rejected[0].Line != 3 || !strings.Contains(res.Rejected[0].Reason, "node MARGIN: formula references its own ancestor REVENUE") {
		t.Fatalf("CSV wide: %v %+v", err, res)
	}
	// With skip-bad-rows the rest is imported and the result is sound.
	res, err = ImportNodesCSV(strings.NewReader(full), ImportOptions{SkipBadRows: true})
	if err != nil || len(res.Nodes) != 3 || len(CheckFormulas(res.Hierarchy())) != 0 {
		t.Fatalf("CSV skip: %v %+v", err, res)
	}
}

// TestImportFormulaCycleThroughFile: a cycle through a formula the file
// does not touch rejects the file's rows on that cycle; a formula that
// references a rejected row says so.
func TestImportFormulaCycleThroughFile(t *testing.T) {
	// G (existing, at the top) = SUB * 2; the file adds F under SUB = G.
	res, err := ImportNodesCSV(strings.NewReader("code,name,parent,formula\nF,F,SUB,G\n"), ImportOptions{Into: fcBase(fcFormula("G", "", "SUB * 2"))})
	if err == nil || len(res.Rejected) != 1 || !strings.Contains(res.Rejected[0].Reason, "node F: formula references form a cycle: F → G → SUB → F") {
		t.Fatalf("%v %+v", err, res)
	}
	// The file moves G's own total... G at the top references SUB; the
	// file moves G under SUB: G's row is rejected.
	res, err = ImportNodesCSV(strings.NewReader("code,name,parent\nG,G,SUB\n"), ImportOptions{Into: fcBase(fcFormula("G", "", "SUB * 2"))})
	if err == nil || len(res.Rejected) != 1 || !strings.Contains(res.Rejected[0].Reason, "node G: formula references its own ancestor SUB") {
		t.Fatalf("%v %+v", err, res)
	}
	// F (existing, under SUB) = A; the file moves SUB under a new rollup
	// T and makes F reference T: F's row is rejected; T and SUB stay.
	res, err = ImportNodesCSV(strings.NewReader("code,name,parent,type,formula\nT,T,,rollup,\nSUB,Sub,T,,\nF,F,SUB,formula,T - A\n"), ImportOptions{Into: fcBase(fcFormula("F", "SUB", "A"))})
	if err == nil || len(res.Rejected) != 1 || res.Rejected[0].Line != 4 || !strings.Contains(res.Rejected[0].Reason, "ancestor T") {
		t.Fatalf("%v %+v", err, res)
	}
	// A formula over a rejected row names the row.
	res, err = ImportNodesCSV(strings.NewReader("code,name,parent,formula\nX,X,NOPE,\nF,F,,X * 2\n"), ImportOptions{Into: fcBase()})
	if err == nil || len(res.Rejected) != 2 || res.Rejected[1].Reason != "node F: formula references X, whose row was rejected (line 2)" {
		t.Fatalf("%v %+v", err, res)
	}
	// A problem the hierarchy already had does not reject unrelated rows
	// (as Store.Update allows edits of a file that is already broken).
	res, err = ImportNodesCSV(strings.NewReader("code,name,parent\nB,B,SUB\n"), ImportOptions{Into: fcBase(fcFormula("F", "SUB", "SUB"))})
	if err != nil || res.Summary.Added != 1 {
		t.Fatalf("%v %+v", err, res)
	}
}

func fcService(t *testing.T) *Service {
	t.Helper()
	s := NewService(newProject(t))
	tick := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.Store.Now = func() time.Time { tick = tick.Add(time.Minute); return tick }
	return s
}

// TestImportDryRunMatchesReal: on bad and good files, a dry run reports
// exactly what the real import does — the same counts, the same rejected
// rows with the same reasons, the same error — and writes nothing.
func TestImportDryRunMatchesReal(t *testing.T) {
	files := []struct {
		name, csv string
		create    bool
		rejected  int
		reason    string
	}{
		{name: "self reference", csv: "code,name,parent,formula\nF,F,PL,F + 1\n", rejected: 1, reason: "node F: formula references itself"},
		{name: "ancestor reference", csv: "code,name,parent,formula\nF,F,SUB,SUB - A\n", rejected: 1, reason: "node F: formula references its own ancestor SUB"},
		{name: "indirect cycle", csv: "code,name,parent,formula\nF,F,,G + 1\nG,G,,F * 2\n", rejected: 2, reason: "formula references form a cycle: F → G → F"},
		{name: "cycle with an existing formula", csv: "code,name,parent,formula\nF,F,,NET\nNET,Net,,F - COGS\n", rejected: 2, reason: "cycle"},
		{name: "cycle through a total", csv: "code,name,parent,formula\nF,F,SUB,G\nG,G,,SUB * 2\n", rejected: 2, reason: "SUB's total includes F"},
		{name: "unknown code", csv: "code,name,parent,formula\nF,F,,REV - NOPE\n", rejected: 1, reason: "node F: formula references unknown node NOPE"},
		{name: "mixed good and bad rows", csv: "code,name,parent,formula\nOK,Fine,PL,REV - COGS\nF,F,SUB,PL\n", rejected: 1, reason: "ancestor PL"},
		{name: "good file", csv: "code,name,parent,formula\nGP,Gross profit,PL,REV - COGS\n"},
		{name: "create: ancestor reference", create: true, csv: "code,name,parent,formula\nT,Total,,\nL,Leaf,T,\nF,F,T,T * 2\n", rejected: 1, reason: "node F: formula references its own ancestor T"},
		{name: "create: self reference", create: true, csv: "code,name,parent,formula\nT,Total,,\nF,F,,F\n", rejected: 1, reason: "node F: formula references itself"},
		{name: "create: good file", create: true, csv: "code,name,parent,formula\nT,Total,,\nL,Leaf,T,\nF,F,,L * 2\n"},
		{name: "mapping onto a formula", csv: "node,match,value\nGP,exact,4000\n", rejected: 1, reason: "GP"},
	}
	type run struct {
		out *ImportOutcome
		err string
	}
	do := func(t *testing.T, csv string, create, dry bool) (run, []byte, *Service) {
		ctx := context.Background()
		svc := fcService(t)
		if !create {
			if _, err := svc.Store.Create(ctx, fcBase(fcFormula("GP", "PL", "REV - COGS"), fcFormula("NET", "", "GP - A"))); err != nil {
				t.Fatal(err)
			}
		}
		file := filepath.Join(t.TempDir(), "in.csv")
		if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(svc.Store.path("fc"))
		out, err := svc.Import(ctx, ImportInput{ID: "fc", File: file, Create: create, DryRun: dry})
		r := run{out: out}
		if err != nil {
			r.err = strings.ReplaceAll(err.Error(), file, "FILE")
		}
		return r, before, svc
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			dry, before, dsvc := do(t, f.csv, f.create, true)
			real, _, rsvc := do(t, f.csv, f.create, false)
			if dry.out == nil || real.out == nil {
				t.Fatalf("no outcome: dry %v, real %v", dry.err, real.err)
			}
			if dry.err != real.err {
				t.Errorf("errors differ:\n dry:  %s\n real: %s", dry.err, real.err)
			}
			if !reflect.DeepEqual(dry.out.Summary, real.out.Summary) || !reflect.DeepEqual(dry.out.Rejected, real.out.Rejected) {
				t.Errorf("outcomes differ:\n dry:  %+v %+v\n real: %+v %+v", dry.out.Summary, dry.out.Rejected, real.out.Summary, real.out.Rejected)
			}
			if dry.out.Summary.Rejected != f.rejected || len(real.out.Rejected) != f.rejected {
				t.Fatalf("rejected: dry %d, real %d, want %d: %+v", dry.out.Summary.Rejected, len(real.out.Rejected), f.rejected, real.out.Rejected)
			}
			if f.rejected > 0 && !strings.Contains(real.out.Rejected[0].Reason, f.reason) {
				t.Errorf("reason %q lacks %q", real.out.Rejected[0].Reason, f.reason)
			}
			if f.rejected > 0 && (!strings.Contains(real.err, "rows rejected") || real.out.Applied) {
				t.Errorf("real import of a bad file: applied %v, err %q", real.out.Applied, real.err)
			}
			if dry.out.Applied || !dry.out.DryRun {
				t.Errorf("dry run applied %v, dry_run %v", dry.out.Applied, dry.out.DryRun)
			}
			// The dry run wrote nothing.
			after, _ := os.ReadFile(dsvc.Store.path("fc"))
			if !bytes.Equal(before, after) {
				t.Error("the dry run changed the hierarchy file")
			}
			if f.rejected == 0 {
				if real.err != "" || !real.out.Applied {
					t.Fatalf("good file: %s applied %v", real.err, real.out.Applied)
				}
				h, err := rsvc.Store.Get("fc")
				if err != nil || len(CheckIntegrity(h)) != 0 {
					t.Fatalf("imported hierarchy: %v %v", err, CheckIntegrity(h))
				}
			}
		})
	}
}

// TestTemplatesPassFormulaCheck: every built-in template instantiates.
func TestTemplatesPassFormulaCheck(t *testing.T) {
	ts, err := Templates()
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range ts {
		h, err := TemplateHierarchy(tm.ID)
		if err != nil {
			t.Fatal(err)
		}
		if is := CheckFormulas(h); len(is) != 0 {
			t.Errorf("template %s: %v", tm.ID, is[0].Error())
		}
	}
}
