package mcpserver

import (
	"os"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/hierarchy"
)

func TestHierarchyTools(t *testing.T) {
	p := newProject(t)
	cs := newSession(t, p, Options{Toolsets: []string{"hierarchy"}})

	r := call[hierarchy.Summary](t, cs, "create_hierarchy", map[string]any{"name": "Agent P&L", "kind": "income_statement", "source_columns": []string{"account"}})
	if r.ID != "agent_p_l" || r.Version != 1 || r.Status != hierarchy.StatusDraft {
		t.Fatalf("create = %+v", r)
	}
	id := r.ID
	for _, n := range []map[string]any{
		{"id": id, "code": "PL", "name": "P&L", "type": "rollup"},
		{"id": id, "code": "REV", "name": "Revenue", "parent": "PL", "flip_sign": true},
		{"id": id, "code": "COGS", "name": "Cost of sales", "parent": "PL"},
		{"id": id, "code": "GP", "name": "Gross profit", "parent": "PL", "formula": "REV + COGS", "consolidation": "~"},
	} {
		call[hierarchy.Result](t, cs, "add_hierarchy_node", n)
	}
	add := call[hierarchy.Result](t, cs, "add_mapping_rule", map[string]any{"id": id, "node": "REV", "match": "range", "from": "4000", "to": "4999"})
	if !strings.Contains(add.Message, "account 4000..4999") || add.Node == nil || len(add.Node.Rules) != 1 {
		t.Fatalf("add rule = %+v", add)
	}
	call[hierarchy.Result](t, cs, "add_mapping_rule", map[string]any{"id": id, "node": "COGS", "match": "prefix", "value": "5"})

	got := call[getHierarchyOutput](t, cs, "get_hierarchy", map[string]any{"id": id})
	if len(got.Tree) != 4 || got.Tree[3].Code != "GP" || got.Tree[3].Depth != 1 || got.Hierarchy.Node("REV").Rules[0].From != "4000" {
		t.Fatalf("get = %+v", got.Tree)
	}
	rules := call[app.RuleList](t, cs, "list_mapping_rules", map[string]any{"id": id, "node": "PL", "inherited": true})
	if len(rules.Rules) != 2 || !rules.Rules[0].Inherited {
		t.Fatalf("rules = %+v", rules)
	}
	ex := call[hierarchy.FormulaInfo](t, cs, "explain_formula", map[string]any{"id": id, "code": "GP"})
	if ex.Expanded != "REV + COGS" || strings.Join(ex.References, ",") != "REV,COGS" {
		t.Fatalf("explain = %+v", ex)
	}

	// Bad input is a tool error and leaves the file as it was.
	path := p.Path("hierarchies", id+".yaml")
	before, _ := os.ReadFile(path)
	wantContains(t, "cycle", callErr(t, cs, "move_hierarchy_node", map[string]any{"id": id, "code": "PL", "parent": "REV"}), "cycle")
	wantContains(t, "bad formula", callErr(t, cs, "set_formula", map[string]any{"id": id, "code": "GP", "expression": "REV +"}), "ends too early")
	wantContains(t, "width", callErr(t, cs, "add_mapping_rule", map[string]any{"id": id, "node": "COGS", "match": "range", "from": "5000", "to": "59999"}), "same width")
	wantContains(t, "unknown", callErr(t, cs, "get_hierarchy", map[string]any{"id": "nope"}), "hierarchy not found", "agent_p_l")
	wantContains(t, "referenced", callErr(t, cs, "remove_hierarchy_node", map[string]any{"id": id, "code": "COGS"}), "formula of GP references COGS")
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("a refused change modified the hierarchy file")
	}

	// Publish, edit (v2 draft), diff.
	pub := call[hierarchy.Result](t, cs, "publish_hierarchy", map[string]any{"id": id})
	if pub.Status != hierarchy.StatusPublished {
		t.Fatalf("publish = %+v", pub)
	}
	upd := call[hierarchy.Result](t, cs, "update_hierarchy_node", map[string]any{"id": id, "code": "COGS", "name": "Cost of goods sold"})
	if upd.Version != 2 || upd.Status != hierarchy.StatusDraft {
		t.Fatalf("update after publish = %+v", upd)
	}
	d := call[hierarchy.Diff](t, cs, "diff_hierarchy_versions", map[string]any{"id": id, "from": 1})
	if len(d.Changed) != 1 || d.Changed[0].Fields["name"] != "Cost of sales → Cost of goods sold" {
		t.Fatalf("diff = %+v", d)
	}
	list := call[app.HierarchyList](t, cs, "list_hierarchies", nil)
	if len(list.Hierarchies) != 1 || list.Hierarchies[0].Version != 2 || list.Hierarchies[0].Rules != 2 {
		t.Fatalf("list = %+v", list)
	}

	// Templates.
	tl := call[app.TemplateList](t, cs, "list_hierarchy_templates", nil)
	if len(tl.Templates) < 20 {
		t.Fatalf("templates = %d", len(tl.Templates))
	}
	sum := call[hierarchy.Summary](t, cs, "create_hierarchy_from_template", map[string]any{"template": "saas_pl", "name": "Our SaaS P&L"})
	if sum.ID != "our_saas_p_l" || sum.Formulas == 0 || sum.Rules == 0 {
		t.Fatalf("from template = %+v", sum)
	}
	wantContains(t, "unknown template", callErr(t, cs, "create_hierarchy_from_template", map[string]any{"template": "nope"}), "standard_pl")

	// CSV round trip through MCP, and a rejected row with its line.
	exp := call[exportOutput](t, cs, "export_hierarchy_csv", map[string]any{"id": id, "shape": "mapping"})
	if !strings.Contains(exp.CSV, "REV,Revenue,,range,,4000,4999") {
		t.Fatalf("export = %q", exp.CSV)
	}
	imp := call[hierarchy.ImportOutcome](t, cs, "import_hierarchy_csv", map[string]any{"id": id, "csv": "node,match,value\nCOGS,exact,5999\n"})
	if imp.Summary.Added != 1 || !imp.Applied {
		t.Fatalf("import = %+v", imp)
	}
	wantContains(t, "bad row", callErr(t, cs, "import_hierarchy_csv", map[string]any{"id": id, "csv": "node,match,value\nCOGS,exact,1\nNOPE,exact,2\n"}), "line 3")

	// --read-only hides every tool that writes.
	ro := newSession(t, p, Options{Toolsets: []string{"hierarchy"}, ReadOnly: true})
	names := strings.Join(toolNames(t, ro), ",")
	if strings.Contains(names, "add_") || strings.Contains(names, "publish") || !strings.Contains(names, "get_hierarchy") {
		t.Fatalf("read-only hierarchy tools = %s", names)
	}
}

// TestHierarchyFormulaChecksAndDryRun: add_hierarchy_node refuses a formula
// set_formula refuses, with the same words; import_hierarchy_csv with
// dry_run refuses exactly the rows the real import refuses, for the same
// reasons, and neither changes the file.
func TestHierarchyFormulaChecksAndDryRun(t *testing.T) {
	p := newProject(t)
	cs := newSession(t, p, Options{Toolsets: []string{"hierarchy"}})
	id := call[hierarchy.Summary](t, cs, "create_hierarchy", map[string]any{"name": "F", "source_columns": []string{"account"}}).ID
	for _, n := range []map[string]any{
		{"id": id, "code": "PL", "name": "P&L", "type": "rollup"},
		{"id": id, "code": "REV", "name": "Revenue", "parent": "PL"},
		{"id": id, "code": "COGS", "name": "Cost of sales", "parent": "PL"},
		{"id": id, "code": "GP", "name": "Gross profit", "parent": "PL", "formula": "REV + COGS", "consolidation": "~"},
	} {
		call[hierarchy.Result](t, cs, "add_hierarchy_node", n)
	}
	path := p.Path("hierarchies", id+".yaml")
	before, _ := os.ReadFile(path)

	const ancestor = "node X: formula references its own ancestor PL, whose total includes X"
	addErr := callErr(t, cs, "add_hierarchy_node", map[string]any{"id": id, "code": "X", "name": "X", "parent": "PL", "formula": "PL * 2"})
	wantContains(t, "add ancestor", addErr, ancestor)
	wantContains(t, "add self", callErr(t, cs, "add_hierarchy_node", map[string]any{"id": id, "code": "X", "name": "X", "formula": "X + 1"}), "node X: formula references itself")
	wantContains(t, "set cycle", callErr(t, cs, "set_formula", map[string]any{"id": id, "code": "GP", "expression": "GP - 1"}), "node GP: formula references itself")

	for _, c := range []struct{ name, csv, want string }{
		{"self reference", "code,name,parent,formula\nX,X,,X + 1\n", "line 2: node X: formula references itself"},
		{"ancestor reference", "code,name,parent,formula\nX,X,PL,PL * 2\n", "line 2: " + ancestor},
		{"indirect cycle", "code,name,parent,formula\nX,X,,Y\nY,Y,,X - GP\n", "line 2: node X: formula references form a cycle: X → Y → X"},
		{"unknown code", "code,name,parent,formula\nX,X,,GP - NOPE\n", "line 2: node X: formula references unknown node NOPE"},
	} {
		// Refused rows: the outcome (every rejected row) marked isError.
		dry, dryOut := callChecksFailed[hierarchy.ImportOutcome](t, cs, "import_hierarchy_csv", map[string]any{"id": id, "csv": c.csv, "dry_run": true})
		real, realOut := callChecksFailed[hierarchy.ImportOutcome](t, cs, "import_hierarchy_csv", map[string]any{"id": id, "csv": c.csv})
		if !dryOut.DryRun || realOut.DryRun || dryOut.Applied || realOut.Applied || len(realOut.Rejected) == 0 || realOut.Rejected[0].Line != 2 {
			t.Errorf("%s: outcomes: dry %+v, real %+v", c.name, dryOut, realOut)
		}
		if !strings.HasPrefix(dry, "dry run (nothing was changed): ") || strings.TrimPrefix(dry, "dry run (nothing was changed): ") != real {
			t.Errorf("%s: dry run and import differ:\n dry:  %s\n real: %s", c.name, dry, real)
		}
		wantContains(t, c.name, real, c.want, "nothing imported")
	}
	if after, _ := os.ReadFile(path); string(before) != string(after) {
		t.Fatal("a refused change or a dry run modified the hierarchy file")
	}

	// A good file: the dry run reports what the import then does.
	good := "code,name,parent,formula\nGM,Gross margin,,GP / REV\n"
	dry := call[hierarchy.ImportOutcome](t, cs, "import_hierarchy_csv", map[string]any{"id": id, "csv": good, "dry_run": true})
	real := call[hierarchy.ImportOutcome](t, cs, "import_hierarchy_csv", map[string]any{"id": id, "csv": good})
	if dry.Applied || !real.Applied || dry.Summary != real.Summary || dry.Summary.Added != 1 || len(dry.Rejected) != 0 {
		t.Fatalf("good file: dry %+v, real %+v", dry, real)
	}
}
