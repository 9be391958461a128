package hierarchy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// csvTestPL builds a realistic P&L: revenue and cost rollups, a gross
// profit formula, operating expenses with a nested rollup, EBITDA, a memo
// label, properties, sign flips, consolidation and mapping rules.
func csvTestPL() *Hierarchy {
	h := &Hierarchy{ID: "pl", Name: "P&L", Kind: KindIncomeStatement, Status: StatusDraft, SourceColumns: []string{"account", "cost_center"}}
	add := func(n *Node) { h.Nodes = append(h.Nodes, n) }
	add(&Node{Code: "REV", Name: "Revenue", Sort: 10, Type: TypeRollup, FlipSign: true, Properties: map[string]string{"statement_line": "1"}})
	add(&Node{Code: "REV_PROD", Name: "Product revenue", Parent: "REV", Sort: 10, Type: TypeLeaf, Rules: []Rule{
		{Column: "account", Match: MatchRange, From: "4000", To: "4499"},
		{Column: "account", Match: MatchExact, Value: "4450", Exclude: true},
	}})
	add(&Node{Code: "REV_SVC", Name: "Services, consulting & \"support\"", Parent: "REV", Sort: 20, Type: TypeLeaf, Rules: []Rule{
		{Column: "account", Match: MatchList, Values: []string{"4500", "4510", "4520"}},
	}})
	add(&Node{Code: "COGS", Name: "Cost of goods sold", Sort: 20, Type: TypeRollup, Consolidation: ConsolidateSubtract})
	add(&Node{Code: "COGS_MAT", Name: "Materials", Parent: "COGS", Sort: 10, Type: TypeLeaf, Rules: []Rule{
		{Match: MatchPrefix, Value: "50"},
	}})
	add(&Node{Code: "COGS_LAB", Name: "Direct labour", Parent: "COGS", Sort: 20, Type: TypeLeaf, Rules: []Rule{
		{Column: "account", Match: MatchRange, From: "5100", To: "5199", Precedence: 2},
	}})
	add(&Node{Code: "GP", Name: "Gross profit", Sort: 30, Type: TypeFormula, Formula: &Formula{Expression: "REV - COGS"}, Properties: map[string]string{"statement_line": "3", "bold": "yes"}})
	add(&Node{Code: "OPEX", Name: "Operating expenses", Sort: 40, Type: TypeRollup})
	add(&Node{Code: "OPEX_SAL", Name: "Salaries", Parent: "OPEX", Sort: 10, Type: TypeLeaf, Properties: map[string]string{"owner": "HR"}, Rules: []Rule{
		{Column: "account", Match: MatchRange, From: "6000", To: "6099"},
	}})
	add(&Node{Code: "OPEX_RENT", Name: "Rent\nand utilities", Parent: "OPEX", Sort: 20, Type: TypeLeaf, Rules: []Rule{
		{Column: "account", Match: MatchPattern, Value: "61*-US"},
	}})
	add(&Node{Code: "OPEX_MKT", Name: "Marketing", Parent: "OPEX", Sort: 30, Type: TypeRollup})
	add(&Node{Code: "MKT_DIG", Name: "Digital marketing", Parent: "OPEX_MKT", Sort: 10, Type: TypeLeaf, Rules: []Rule{
		{Column: "cost_center", Match: MatchList, Values: []string{"CC;10", "CC;20"}},
	}})
	add(&Node{Code: "MKT_EVT", Name: "Events", Parent: "OPEX_MKT", Sort: 20, Type: TypeLeaf, Consolidation: ConsolidateIgnore})
	add(&Node{Code: "EBITDA", Name: "EBITDA", Sort: 50, Type: TypeFormula, Formula: &Formula{Expression: "GP - OPEX", Nulls: NullSkip}})
	add(&Node{Code: "MEMO", Name: "Memo items", Sort: 60, Type: TypeLabel})
	return h
}

func csvStripRules(h *Hierarchy) *Hierarchy {
	c := h.Clone()
	for _, n := range c.Nodes {
		n.Rules = nil
	}
	return c
}

func csvNodesEqual(t *testing.T, want, got []*Node) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("got %d nodes %v, want %d %v", len(got), csvCodes(got), len(want), csvCodes(want))
	}
	for i := range want {
		w, g := want[i].Clone(), got[i].Clone()
		if !reflect.DeepEqual(w, g) {
			t.Errorf("node %d:\n got %+v\nwant %+v", i, *g, *w)
		}
	}
}

func csvCodes(ns []*Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Code)
	}
	return out
}

func TestDetectCSV(t *testing.T) {
	tests := []struct {
		header []string
		want   CSVShape
		err    string
	}{
		{[]string{"code", "name", "parent"}, CSVParentChild, ""},
		{[]string{"\ufeffNode_Code", " Node Name ", "PARENT_CODE", "sort_order", "node_type"}, CSVParentChild, ""},
		{[]string{"code", "name"}, CSVParentChild, ""},
		{[]string{"LEVEL_1", "LEVEL_2", "consolidation"}, CSVWideLevels, ""},
		{[]string{"Level 1 Code", "Level 1 Name"}, CSVWideLevels, ""},
		{[]string{"node", "column", "match", "value"}, CSVMapping, ""},
		{[]string{"Leaf Code", "Match Type", "from", "to"}, CSVMapping, ""},
		{[]string{"code", "parent", "match"}, CSVParentChild, ""},
		{[]string{"match", "value"}, "", "no node column"},
		{[]string{"account", "amount"}, "", `cannot tell the CSV shape from header ["account", "amount"]: expected one of: a parent-child file`},
	}
	for _, tt := range tests {
		got, err := DetectCSV(tt.header)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("DetectCSV(%q) error = %v, want %q", tt.header, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("DetectCSV(%q) = %q, %v; want %q", tt.header, got, err, tt.want)
		}
	}
}

func TestImportParentChildBasics(t *testing.T) {
	in := "\ufeffNode Code;Node_Name;Parent Code;Sort Order;Node Type;Consolidation;Flip;Expression;Owner;prop_Region\r\n" +
		"TOT;Total;;;;;;;;\r\n" +
		"A;\"Alpha; the first\";TOT;20;;subtract;yes;;Finance;EU\r\n" +
		"B;Beta;TOT;;leaf;~;0;;;\r\n" +
		"\r\n" +
		";;;;;;;;;\r\n" +
		"F;Formula;;;;;;A + B;;\r\n" +
		"C;Child first;D;;;;;;;\r\n" +
		"D;Defined later;;5;label;;;;;\r\n"
	res, err := ImportNodesCSV(strings.NewReader(in), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []*Node{
		{Code: "TOT", Name: "Total", Sort: 10, Type: TypeRollup},
		{Code: "A", Name: "Alpha; the first", Parent: "TOT", Sort: 20, Type: TypeLeaf, Consolidation: "-", FlipSign: true, Properties: map[string]string{"Owner": "Finance", "Region": "EU"}},
		{Code: "B", Name: "Beta", Parent: "TOT", Sort: 30, Type: TypeLeaf, Consolidation: "~"},
		{Code: "F", Name: "Formula", Sort: 20, Type: TypeFormula, Formula: &Formula{Expression: "A + B"}},
		{Code: "C", Name: "Child first", Parent: "D", Sort: 10, Type: TypeLeaf},
		{Code: "D", Name: "Defined later", Sort: 5, Type: TypeLabel},
	}
	csvNodesEqual(t, want, res.Nodes)
	if res.Shape != CSVParentChild || res.Summary.Rows != 6 || res.Summary.Added != 6 || res.Summary.Rejected != 0 || res.Applied {
		t.Errorf("result = %+v", res)
	}
}

func TestImportRejections(t *testing.T) {
	const header = "code,name,parent,sort,type,consolidation,flip_sign,formula\n"
	// A quoted name spanning lines 2-4 so later line numbers must count
	// physical lines, not records.
	const multi = "ROOT,\"Root\nspanning\nthree lines\",,,rollup,,,\n"
	tests := []struct {
		name string
		rows string
		line int
		want string
	}{
		{"unknown parent", "A,Alpha,NOPE,,,,,\n", 5, `unknown parent "NOPE"`},
		{"duplicate", "A,Alpha,ROOT,,,,,\nA,Again,ROOT,,,,,\n", 6, `duplicate code "A" (first on line 5)`},
		{"invalid code", "\"A B\",Alpha,ROOT,,,,,\n", 5, `invalid code: node code "A B" is not valid`},
		{"missing code", ",Alpha,ROOT,,,,,\n", 5, "missing code"},
		{"missing name", "A,,ROOT,,,,,\n", 5, `missing name for "A"`},
		{"bad consolidation", "A,Alpha,ROOT,,,*,,\n", 5, `A: consolidation must be + (add), - (subtract) or ~ (ignore), not "*"`},
		{"bad type", "A,Alpha,ROOT,,group,,,\n", 5, `A: bad type "group" (use rollup, leaf, formula or label)`},
		{"bad flip", "A,Alpha,ROOT,,,,maybe,\n", 5, `A: bad flip_sign "maybe"`},
		{"bad sort", "A,Alpha,ROOT,ten,,,,\n", 5, `A: bad sort "ten"`},
		{"self parent", "A,Alpha,A,,,,,\n", 5, `node "A" is its own parent`},
		{"cycle", "A,Alpha,B,,,,,\nB,Beta,A,,,,,\n", 5, "cycle through A→B→A"},
		{"formula without expression", "A,Alpha,ROOT,,formula,,,\n", 5, `formula node "A" needs a formula`},
		{"formula on leaf", "A,Alpha,ROOT,,leaf,,,X\n", 5, "A: a formula is given but the type is leaf"},
		{"bad formula", "A,Alpha,ROOT,,,,,\"ROOT +\"\n", 5, `A: bad formula "ROOT +"`},
		{"child of leaf", "A,Alpha,ROOT,,leaf,,,\nB,Beta,A,,,,,\n", 6, `parent "A" is a leaf; only rollup and label nodes can have children`},
		{"child of formula", "A,Alpha,,,,,,ROOT * 2\nB,Beta,A,,,,,\n", 6, `parent "A" is a formula`},
		{"field count", "A,Alpha,ROOT\n", 5, "the row has 3 fields but the header has 8"},
		{"bad quote", "A,\"Al\"pha,ROOT,,,,,\n", 5, "not valid CSV"},
		{"parent rejected", "A,Alpha,ROOT,,bad,,,\nB,Beta,A,,,,,\n", 6, `parent "A" was rejected (line 5)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := header + multi + tt.rows + "Z,Last,ROOT,,,,,\n"
			res, err := ImportNodesCSV(strings.NewReader(src), ImportOptions{File: "pl.csv"})
			var rre *RejectedRowsError
			if !errors.As(err, &rre) {
				t.Fatalf("err = %v, want RejectedRowsError", err)
			}
			if !strings.HasPrefix(err.Error(), "pl.csv: ") {
				t.Errorf("error %q does not name the file", err)
			}
			found := false
			for _, r := range res.Rejected {
				if r.Line == tt.line && strings.Contains(r.Reason, tt.want) {
					found = true
				}
			}
			if !found {
				t.Fatalf("rejected = %+v, want line %d: %q", res.Rejected, tt.line, tt.want)
			}
			// The other rows were fine.
			for _, n := range res.Nodes {
				if n.Code == "ROOT" && n.Name != "Root\nspanning\nthree lines" {
					t.Errorf("multi-line name = %q", n.Name)
				}
			}
			if res.Nodes[len(res.Nodes)-1].Code != "Z" {
				t.Errorf("last accepted node = %s, want Z", res.Nodes[len(res.Nodes)-1].Code)
			}
		})
	}
}

func TestImportCycleReportsEveryRow(t *testing.T) {
	src := "code,name,parent\nA,Alpha,C\nB,Beta,A\nC,Gamma,B\nD,Delta,A\n"
	res, err := ImportNodesCSV(strings.NewReader(src), ImportOptions{SkipBadRows: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []RejectedRow{
		{Line: 2, Reason: "cycle through A→C→B→A", Record: []string{"A", "Alpha", "C"}},
		{Line: 3, Reason: "cycle through A→C→B→A", Record: []string{"B", "Beta", "A"}},
		{Line: 4, Reason: "cycle through A→C→B→A", Record: []string{"C", "Gamma", "B"}},
		{Line: 5, Reason: `parent "A" was rejected (line 2)`, Record: []string{"D", "Delta", "A"}},
	}
	if !reflect.DeepEqual(res.Rejected, want) {
		t.Errorf("rejected = %+v\nwant %+v", res.Rejected, want)
	}
	if len(res.Nodes) != 0 {
		t.Errorf("nodes = %v", csvCodes(res.Nodes))
	}
}

func TestImportHeaderErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", "the file is empty"},
		{"\n\n", "the file is empty"},
		{"account,amount\n1,2\n", "line 1: cannot tell the CSV shape"},
		{"code,node_code,name\n", `columns "code" (column 1) and "node_code" (column 2) both give the code`},
		{"code,name,owner,prop_owner\n", `both give property "owner"`},
		{"level_1,level_3\n", "there is no level_2"},
		{"level_1,level_1_code\n", "use one style per level"},
		{"level_1,code\n", "is not used in a wide-levels file"},
		{"node,match,value\n", "this is a mapping file"},
		{"\"code,name\n", "the header is not valid CSV"},
	}
	for _, tt := range tests {
		_, err := ImportNodesCSV(strings.NewReader(tt.src), ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ImportNodesCSV(%q) error = %v, want %q", tt.src, err, tt.want)
		}
	}
}

func TestImportIntoMerge(t *testing.T) {
	base := csvTestPL()
	src := "code,name,parent,sort\n" +
		"REV,Revenue,,10\n" + // unchanged
		"COGS,Cost of sales,,20\n" + // renamed
		"OPEX_TRV,Travel,OPEX,\n" + // added after its siblings
		"MKT_EVT,Events,OPEX,25\n" // moved
	t.Run("dry run", func(t *testing.T) {
		h := base.Clone()
		res, err := ImportNodesCSV(strings.NewReader(src), ImportOptions{Into: h, DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if !res.DryRun || res.Applied || !reflect.DeepEqual(h, base) {
			t.Errorf("dry run changed the hierarchy or says applied: %+v", res)
		}
		want := ImportSummary{Rows: 4, Added: 1, Updated: 2, Unchanged: 1}
		if res.Summary != want {
			t.Errorf("summary = %+v, want %+v", res.Summary, want)
		}
	})
	t.Run("apply", func(t *testing.T) {
		h := base.Clone()
		res, err := ImportNodesCSV(strings.NewReader(src), ImportOptions{Into: h})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Applied {
			t.Fatal("not applied")
		}
		wantChanges := []ImportedNode{{"REV", 2, ImportUnchanged}, {"COGS", 3, ImportUpdated}, {"OPEX_TRV", 4, ImportAdded}, {"MKT_EVT", 5, ImportUpdated}}
		if !reflect.DeepEqual(res.Changes, wantChanges) {
			t.Errorf("changes = %+v", res.Changes)
		}
		if n := h.Node("OPEX_TRV"); n == nil || n.Sort != 40 || n.Type != TypeLeaf || n.Parent != "OPEX" {
			t.Errorf("OPEX_TRV = %+v", n)
		}
		cogs := h.Node("COGS")
		if cogs.Name != "Cost of sales" || cogs.Consolidation != ConsolidateSubtract || cogs.Type != TypeRollup {
			t.Errorf("COGS lost attributes the file did not mention: %+v", cogs)
		}
		if n := h.Node("MKT_EVT"); n.Parent != "OPEX" || n.Consolidation != ConsolidateIgnore {
			t.Errorf("MKT_EVT = %+v", n)
		}
		if len(h.Node("COGS_MAT").Rules) != 1 {
			t.Error("rules of untouched leaves lost")
		}
		// Storage order: parents before children, siblings by sort.
		var got []string
		for _, n := range h.Nodes {
			if n.Parent == "OPEX" {
				got = append(got, n.Code)
			}
		}
		if want := []string{"OPEX_SAL", "OPEX_RENT", "MKT_EVT", "OPEX_MKT", "OPEX_TRV"}; !reflect.DeepEqual(got, want) {
			t.Errorf("OPEX children order = %v, want %v", got, want)
		}
		if f := CheckIntegrity(h); len(f) > 0 {
			t.Errorf("integrity: %v", f)
		}
	})
	t.Run("rejected rows change nothing", func(t *testing.T) {
		h := base.Clone()
		bad := src + "X,Bad,NOWHERE,\n"
		res, err := ImportNodesCSV(strings.NewReader(bad), ImportOptions{Into: h})
		var rre *RejectedRowsError
		if !errors.As(err, &rre) || res == nil || res.Applied {
			t.Fatalf("err = %v, res = %+v", err, res)
		}
		if !reflect.DeepEqual(h, base) {
			t.Error("hierarchy changed although a row was rejected")
		}
		if res.Rejected[0].Line != 6 || res.Rejected[0].Reason != `unknown parent "NOWHERE"` {
			t.Errorf("rejected = %+v", res.Rejected)
		}
	})
	t.Run("skip bad rows", func(t *testing.T) {
		h := base.Clone()
		bad := src + "X,Bad,NOWHERE,\n"
		res, err := ImportNodesCSV(strings.NewReader(bad), ImportOptions{Into: h, SkipBadRows: true})
		if err != nil || !res.Applied || h.Node("OPEX_TRV") == nil || h.Node("X") != nil {
			t.Fatalf("err = %v, res = %+v", err, res)
		}
		if res.Summary.Rejected != 1 || res.Summary.Added != 1 {
			t.Errorf("summary = %+v", res.Summary)
		}
	})
	t.Run("structural conflicts with the existing hierarchy", func(t *testing.T) {
		tests := []struct{ src, want string }{
			{"code,name,parent\nX,Under a mapped leaf,REV_PROD\n", `parent "REV_PROD" is a leaf with mapping rules`},
			{"code,type\nREV_PROD,formula\n", `needs a formula`},
			{"code,type,formula\nREV_PROD,formula,REV * 2\n", `formula node "REV_PROD" has 2 mapping rules`},
			{"code,type\nREV_PROD,rollup\n", `"REV_PROD" has 2 mapping rules, so it must stay a leaf`},
			{"code,type\nOPEX,leaf\n", `"OPEX" is a leaf but has children OPEX_MKT, OPEX_RENT, OPEX_SAL; move them first`},
			{"code,parent\nREV,REV_SVC\n", `parent "REV_SVC" is a leaf`},
			{"code,parent\nOPEX,OPEX_MKT\n", "cycle through OPEX→OPEX_MKT→OPEX"},
			{"code,name,parent\nX,Under GP,GP\n", `parent "GP" is a formula`},
			{"code,formula\nOPEX,REV\n", `"OPEX" is a formula but has children`},
		}
		for _, tt := range tests {
			h := base.Clone()
			res, err := ImportNodesCSV(strings.NewReader(tt.src), ImportOptions{Into: h})
			if err == nil || len(res.Rejected) != 1 || res.Rejected[0].Line != 2 || !strings.Contains(res.Rejected[0].Reason, tt.want) {
				t.Errorf("%q: err = %v, rejected = %+v, want %q", tt.src, err, res, tt.want)
			}
			if !reflect.DeepEqual(h, base) {
				t.Errorf("%q changed the hierarchy", tt.src)
			}
		}
	})
	t.Run("leaf without rules becomes a rollup", func(t *testing.T) {
		h := base.Clone()
		src := "code,name,parent\nMKT_EVT,Events,OPEX_MKT\nMKT_EVT_EU,Events in Europe,MKT_EVT\n"
		res, err := ImportNodesCSV(strings.NewReader(src), ImportOptions{Into: h})
		if err != nil {
			t.Fatal(err)
		}
		if h.Node("MKT_EVT").Type != TypeRollup || res.Summary.Updated != 1 || res.Summary.Added != 1 {
			t.Errorf("MKT_EVT = %+v, summary %+v", h.Node("MKT_EVT"), res.Summary)
		}
	})
}

func TestRoundTripParentChild(t *testing.T) {
	h := csvTestPL()
	var buf bytes.Buffer
	if err := ExportNodesCSV(&buf, h, CSVParentChild); err != nil {
		t.Fatal(err)
	}
	res, err := ImportNodesCSV(bytes.NewReader(buf.Bytes()), ImportOptions{})
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	csvNodesEqual(t, csvStripRules(h).Nodes, res.Nodes)
	// Into the same hierarchy: all unchanged, rules kept.
	c := h.Clone()
	res, err = ImportNodesCSV(bytes.NewReader(buf.Bytes()), ImportOptions{Into: c})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Unchanged != len(h.Nodes) || res.Summary.Added+res.Summary.Updated != 0 || !reflect.DeepEqual(c, h) {
		t.Errorf("re-import into itself: %+v", res.Summary)
	}
}

func TestRoundTripWide(t *testing.T) {
	h := csvTestPL()
	var buf bytes.Buffer
	if err := ExportNodesCSV(&buf, h, CSVWideLevels); err != nil {
		t.Fatal(err)
	}
	header := strings.SplitN(buf.String(), "\n", 2)[0]
	if want := "level_1_code,level_1_name,level_2_code,level_2_name,level_3_code,level_3_name,type,consolidation,flip_sign,formula,formula_nulls,prop_bold,prop_owner,prop_statement_line"; header != want {
		t.Errorf("header = %s\nwant %s", header, want)
	}
	res, err := ImportNodesCSV(bytes.NewReader(buf.Bytes()), ImportOptions{})
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if res.Shape != CSVWideLevels {
		t.Errorf("shape = %s", res.Shape)
	}
	csvNodesEqual(t, csvStripRules(h).Nodes, res.Nodes)

	// Plain levels with derived codes and explicit sort columns.
	p := &Hierarchy{Nodes: []*Node{
		{Code: "ASSETS", Name: "Assets", Sort: 10, Type: TypeRollup},
		{Code: "CURRENT_ASSETS", Name: "Current assets", Parent: "ASSETS", Sort: 5, Type: TypeRollup},
		{Code: "CASH_EQUIVALENTS", Name: "Cash & equivalents", Parent: "CURRENT_ASSETS", Sort: 10, Type: TypeLeaf},
		{Code: "FIXED_ASSETS", Name: "Fixed assets", Parent: "ASSETS", Sort: 7, Type: TypeLeaf},
	}}
	buf.Reset()
	if err := ExportNodesCSV(&buf, p, CSVWideLevels); err != nil {
		t.Fatal(err)
	}
	want := "level_1,level_1_sort,level_2,level_2_sort,level_3,level_3_sort\n" +
		"Assets,10,Current assets,5,Cash & equivalents,10\n" +
		"Assets,10,Fixed assets,7,,\n"
	if buf.String() != want {
		t.Errorf("plain export:\n%s\nwant\n%s", buf.String(), want)
	}
	res, err = ImportNodesCSV(bytes.NewReader(buf.Bytes()), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	csvNodesEqual(t, p.Nodes, res.Nodes)
}

func TestExportWideErrors(t *testing.T) {
	h := &Hierarchy{Nodes: []*Node{{Code: "A", Name: "A", Parent: "MISSING", Type: TypeLeaf}}}
	if err := ExportNodesCSV(&bytes.Buffer{}, h, CSVWideLevels); err == nil || !strings.Contains(err.Error(), `node "A" is not under a root`) {
		t.Errorf("err = %v", err)
	}
	if err := ExportNodesCSV(&bytes.Buffer{}, h, CSVMapping); err == nil {
		t.Error("mapping shape accepted for nodes")
	}
}

func TestImportWide(t *testing.T) {
	src := "LEVEL_1,LEVEL_2,LEVEL_3,Consolidation,Flip_Sign,Owner\n" +
		"Revenue,Product revenue,,,true,\n" +
		"Revenue,Services,,,,Sales\n" +
		"Cost of sales,,,-,,\n" +
		"Cost of sales,Materials,Raw materials,,,\n" +
		"Cost of sales,Materials,Packaging,~,,\n"
	res, err := ImportNodesCSV(strings.NewReader(src), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []*Node{
		{Code: "REVENUE", Name: "Revenue", Sort: 10, Type: TypeRollup},
		{Code: "PRODUCT_REVENUE", Name: "Product revenue", Parent: "REVENUE", Sort: 10, Type: TypeLeaf, FlipSign: true},
		{Code: "SERVICES", Name: "Services", Parent: "REVENUE", Sort: 20, Type: TypeLeaf, Properties: map[string]string{"Owner": "Sales"}},
		{Code: "COST_OF_SALES", Name: "Cost of sales", Sort: 20, Type: TypeRollup, Consolidation: "-"},
		{Code: "MATERIALS", Name: "Materials", Parent: "COST_OF_SALES", Sort: 10, Type: TypeRollup},
		{Code: "RAW_MATERIALS", Name: "Raw materials", Parent: "MATERIALS", Sort: 10, Type: TypeLeaf},
		{Code: "PACKAGING", Name: "Packaging", Parent: "MATERIALS", Sort: 20, Type: TypeLeaf, Consolidation: "~"},
	}
	csvNodesEqual(t, want, res.Nodes)

	// Code + name pairs; a name may be left out (the code is the name).
	src = "level_1_code,level_1_name,level_2_code,level_2_name\n" +
		"4,Revenue,4000,Sales\n" +
		"4,Revenue,4100,\n"
	res, err = ImportNodesCSV(strings.NewReader(src), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want = []*Node{
		{Code: "4", Name: "Revenue", Sort: 10, Type: TypeRollup},
		{Code: "4000", Name: "Sales", Parent: "4", Sort: 10, Type: TypeLeaf},
		{Code: "4100", Name: "4100", Parent: "4", Sort: 20, Type: TypeLeaf},
	}
	csvNodesEqual(t, want, res.Nodes)
}

func TestImportWideRejections(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{"path conflict", "level_1,level_2\nA,X\n\"B\n\",X\n", 3, `code "X" is under "A" on line 2 but under "B" here: a node has one parent`},
		{"name conflict", "level_1_code,level_1_name\nA,Alpha\nA,Beta\n", 3, `code "A" is named "Alpha" on line 2 but "Beta" here`},
		{"sanitised collision", "level_1\nR&D\nR D\n", 3, `code "R_D" is named "R&D" on line 2 but "R D" here`},
		{"gap", "level_1,level_2,level_3\nA,,C\n", 2, "level 2 is blank but level 3 is not"},
		{"no usable code", "level_1\n€\n", 2, `level 1 value "€" gives no usable code`},
		{"invalid code", "level_1_code\n\"a b\"\n", 2, `invalid code at level 1`},
		{"duplicate path", "level_1,level_2\nA,B\nA,B\n", 3, `duplicate row for "B" (first on line 2)`},
		{"repeated in path", "level_1,level_2,level_3\nA,B,A\n", 2, `code "A" appears twice in the path (levels 1 and 3)`},
		{"sort conflict", "level_1,level_1_sort\nA,10\nA,20\n", 3, "level 1 sort 20"},
		{"bad attribute", "level_1,consolidation\nA,x\n", 2, `A: consolidation must be + (add), - (subtract) or ~ (ignore), not "x"`},
		{"child of leaf", "level_1,level_2,type\nA,,leaf\nA,B,\n", 3, `parent "A" is a leaf`},
		{"formula without expression", "level_1,type\nGP,formula\n", 2, `formula node "GP" needs a formula`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ImportNodesCSV(strings.NewReader(tt.src), ImportOptions{})
			if err == nil || res == nil || len(res.Rejected) != 1 || res.Rejected[0].Line != tt.line || !strings.Contains(res.Rejected[0].Reason, tt.want) {
				t.Fatalf("err = %v; rejected = %+v; want line %d %q", err, res, tt.line, tt.want)
			}
		})
	}
}

func TestImportMappings(t *testing.T) {
	base := csvStripRules(csvTestPL())
	base.Node("REV_PROD").Rules = []Rule{{Column: "account", Match: MatchRange, From: "4000", To: "4499"}}
	src := "\ufeffNode,Name,Source Column,Match Type,Values,From,To,Exclude,Priority\r\n" +
		"REV_PROD,Product,account,range,,4000,4499,,\r\n" + // unchanged (existing)
		"REV_PROD,Product,account,EXACT,4450,,,yes,\r\n" + // added, exclude
		"REV_SVC,,account,list,4500 | 4510;4511,,,,2\r\n" + // | wins over ;
		"REV_SVC,,account,list,4510;4511|4500,,,,2\r\n" + // same set: unchanged
		"COGS_LAB,,,range,5100..5199,,,,\r\n" // value a..b form
	h := base.Clone()
	res, err := ImportMappingsCSV(strings.NewReader(src), h, MappingImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportSummary{Rows: 5, Added: 3, Unchanged: 2}); res.Summary != want {
		t.Errorf("summary = %+v, want %+v", res.Summary, want)
	}
	wantRules := map[string][]Rule{
		"REV_PROD": {{Column: "account", Match: MatchRange, From: "4000", To: "4499"}, {Column: "account", Match: MatchExact, Value: "4450", Exclude: true}},
		"REV_SVC":  {{Column: "account", Match: MatchList, Values: []string{"4500", "4510;4511"}, Precedence: 2}},
		"COGS_LAB": {{Match: MatchRange, From: "5100", To: "5199"}},
	}
	for code, want := range wantRules {
		if got := h.Node(code).Rules; !reflect.DeepEqual(got, want) {
			t.Errorf("%s rules = %+v, want %+v", code, got, want)
		}
	}
	// Importing the same file again adds nothing.
	res, err = ImportMappingsCSV(strings.NewReader(src), h, MappingImportOptions{})
	if err != nil || res.Summary.Added != 0 || res.Summary.Unchanged != 5 {
		t.Errorf("second import: %v %+v", err, res.Summary)
	}
	// Dry run changes nothing.
	h2 := base.Clone()
	res, err = ImportMappingsCSV(strings.NewReader(src), h2, MappingImportOptions{DryRun: true})
	if err != nil || !res.DryRun || res.Applied || !reflect.DeepEqual(h2, base) || res.Summary.Added != 3 {
		t.Errorf("dry run: %v %+v", err, res)
	}
	// Replace: REV_PROD keeps only the file's rule.
	h3 := base.Clone()
	h3.Node("REV_PROD").Rules = append(h3.Node("REV_PROD").Rules, Rule{Column: "account", Match: MatchExact, Value: "4999"})
	res, err = ImportMappingsCSV(strings.NewReader("node,match,from,to,column\nREV_PROD,range,4000,4499,account\n"), h3, MappingImportOptions{ReplaceRules: true})
	if err != nil || res.Summary.Removed != 1 || res.Summary.Unchanged != 1 || len(h3.Node("REV_PROD").Rules) != 1 {
		t.Errorf("replace: %v %+v %+v", err, res.Summary, h3.Node("REV_PROD").Rules)
	}
}

func TestImportMappingRejections(t *testing.T) {
	const header = "node,column,match,value,from,to,action,exclude,precedence\n"
	const multi = "REV_PROD,account,list,\"4000\n4001\",,,,,\n" // lines 2-3
	tests := []struct {
		name, row string
		want      string
	}{
		{"unknown node", "NOPE,account,exact,1,,,,,", `unknown node "NOPE"`},
		{"not a leaf", "OPEX,account,exact,1,,,,,", `node "OPEX" is a rollup, not a leaf`},
		{"formula", "GP,account,exact,1,,,,,", `node "GP" is a formula, not a leaf`},
		{"missing node", ",account,exact,1,,,,,", "missing node"},
		{"missing match", "REV_PROD,account,,1,,,,,", "missing match type (exact, list, range, prefix, pattern)"},
		{"bad match", "REV_PROD,account,regex,1,,,,,", `unknown match type "regex"`},
		{"empty value", "REV_PROD,account,exact,,,,,,", `node "REV_PROD": exact rule needs a value`},
		{"range width", "REV_PROD,account,range,,400,4999,,,", "from and to must have the same width"},
		{"range order", "REV_PROD,account,range,,4999,4000,,,", "from is greater than to"},
		{"range and value", "REV_PROD,account,range,4000,4000,4999,,,", "a range rule takes from and to"},
		{"from on exact", "REV_PROD,account,exact,4000,4000,,,,", "from and to are only for range rules"},
		{"bad action", "REV_PROD,account,exact,1,,,drop,,", `bad action "drop"`},
		{"bad exclude", "REV_PROD,account,exact,1,,,,perhaps,", `bad exclude "perhaps"`},
		{"disagree", "REV_PROD,account,exact,1,,,include,yes,", `action "include" and exclude "yes" disagree`},
		{"bad precedence", "REV_PROD,account,exact,1,,,,,first", `bad precedence "first"`},
		{"negative precedence", "REV_PROD,account,exact,1,,,,,-1", "precedence must be positive"},
		{"unknown column", "REV_PROD,region,exact,1,,,,,", `unknown column "region": the hierarchy maps account, cost_center`},
		{"empty list", "REV_PROD,account,list,| |,,,,,", "list rule needs values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := csvTestPL()
			before := h.Clone()
			src := header + multi + tt.row + "\nREV_SVC,account,exact,4999,,,,,\n"
			res, err := ImportMappingsCSV(strings.NewReader(src), h, MappingImportOptions{File: "map.csv"})
			var rre *RejectedRowsError
			if !errors.As(err, &rre) || len(res.Rejected) != 1 || res.Rejected[0].Line != 4 || !strings.Contains(res.Rejected[0].Reason, tt.want) {
				t.Fatalf("err = %v; rejected = %+v; want line 4: %q", err, res, tt.want)
			}
			if !reflect.DeepEqual(h, before) || res.Applied {
				t.Error("hierarchy changed although a row was rejected")
			}
			// Skipping bad rows applies the others.
			res, err = ImportMappingsCSV(strings.NewReader(src), h, MappingImportOptions{SkipBadRows: true})
			if err != nil || !res.Applied || res.Summary.Added != 2 {
				t.Errorf("skip: %v %+v", err, res)
			}
		})
	}
	if _, err := ImportMappingsCSV(strings.NewReader("code,name,parent\n"), csvTestPL(), MappingImportOptions{}); err == nil || !strings.Contains(err.Error(), "not a mapping file") {
		t.Errorf("nodes file as mappings: %v", err)
	}
	if _, err := ImportMappingsCSV(strings.NewReader("node,match,value,colour\n"), csvTestPL(), MappingImportOptions{}); err == nil || !strings.Contains(err.Error(), `unknown column "colour" (column 4)`) {
		t.Errorf("unknown column: %v", err)
	}
}

func TestRoundTripMappings(t *testing.T) {
	h := csvTestPL()
	var buf bytes.Buffer
	if err := ExportMappingsCSV(&buf, h); err != nil {
		t.Fatal(err)
	}
	got := csvStripRules(h)
	res, err := ImportMappingsCSV(bytes.NewReader(buf.Bytes()), got, MappingImportOptions{})
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(got, h) {
		t.Errorf("mapping round trip differs:\n%s", buf.String())
		for i := range h.Nodes {
			if !reflect.DeepEqual(h.Nodes[i].Rules, got.Nodes[i].Rules) {
				t.Errorf("%s: got %+v want %+v", h.Nodes[i].Code, got.Nodes[i].Rules, h.Nodes[i].Rules)
			}
		}
	}
	if res.Summary.Added != 8 {
		t.Errorf("summary = %+v", res.Summary)
	}
	// Values with separators: csvio.TestJoinSplitValues.
}

// The files in testdata/csv are the documented examples and the fuzz seeds;
// they must import as described in their names.
func TestTestdataFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/csv/*.csv")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(f)
		if strings.HasPrefix(base, "mapping") {
			_, err = ImportMappingsCSV(bytes.NewReader(data), csvStripRules(csvTestPL()), MappingImportOptions{File: base})
		} else {
			_, err = ImportNodesCSV(bytes.NewReader(data), ImportOptions{File: base})
		}
		if bad := strings.Contains(base, "bad"); (err != nil) != bad {
			t.Errorf("%s: err = %v", base, err)
		}
	}
}

// TestCodeFromName is in package csvio.

func TestTestdataBadRowLines(t *testing.T) {
	tests := map[string][]int{
		"bad_rows_parent_child.csv": {5, 6, 7, 8, 9, 10, 11},
		"bad_rows_wide.csv":         {3, 6},
		"mapping_bad_rows.csv":      {3, 4, 5, 6},
	}
	for f, want := range tests {
		data, err := os.ReadFile(filepath.Join("testdata/csv", f))
		if err != nil {
			t.Fatal(err)
		}
		var rejected []RejectedRow
		if strings.HasPrefix(f, "mapping") {
			res, err := ImportMappingsCSV(bytes.NewReader(data), csvTestPL(), MappingImportOptions{SkipBadRows: true})
			if err != nil {
				t.Fatal(err)
			}
			rejected = res.Rejected
		} else {
			res, err := ImportNodesCSV(bytes.NewReader(data), ImportOptions{SkipBadRows: true})
			if err != nil {
				t.Fatal(err)
			}
			rejected = res.Rejected
		}
		var got []int
		for _, r := range rejected {
			got = append(got, r.Line)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: rejected lines %v, want %v (%+v)", f, got, want, rejected)
		}
	}
}

// The examples in docs/hierarchy-csv.md import cleanly.
func TestDocExamples(t *testing.T) {
	for _, src := range []string{
		"code,name,parent,sort,type,consolidation,flip_sign,formula,prop_owner\nREV,Revenue,,10,rollup,,true,,\nREV_PROD,Product revenue,REV,10,leaf,,,,Sales\nCOGS,Cost of goods sold,,20,rollup,-,,,\nCOGS_MAT,Materials,COGS,10,leaf,,,,\nGP,Gross profit,,30,formula,,,REV - COGS,\n",
		"level_1,level_2,level_3,consolidation\nRevenue,Product revenue,,\nRevenue,Services,,\nCost of sales,,,-\nCost of sales,Materials,Raw materials,\nCost of sales,Materials,Packaging,\n",
		"level_1_code,level_1_name,level_2_code,level_2_name\n4,Revenue,4000,Product sales\n4,Revenue,4100,Service sales\n",
		"level_1,level_2,type,formula\nRevenue,Sales,,\nCost of sales,Materials,,\nGross profit,,formula,REVENUE - COST_OF_SALES\n",
	} {
		res, err := ImportNodesCSV(strings.NewReader(src), ImportOptions{})
		if err != nil {
			t.Errorf("%v\n%s", err, src)
			continue
		}
		h := res.Hierarchy()
		h.ID, h.Name, h.Kind, h.Status = "doc", "Doc", KindIncomeStatement, StatusDraft
		if f := CheckIntegrity(h); len(f) > 0 {
			t.Errorf("integrity %v\n%s", f, src)
		}
	}
	h := csvTestPL()
	res, err := ImportMappingsCSV(strings.NewReader("node,column,match,value,from,to,action,precedence\nREV_PROD,account,range,,4000,4499,include,\nREV_PROD,account,exact,4450,,,exclude,\nREV_SVC,account,list,4500|4510|4520,,,include,\nCOGS_LAB,account,range,,5100,5199,include,2\n"), h, MappingImportOptions{})
	if err != nil || res.Summary.Unchanged != 4 {
		t.Errorf("mapping example: %v %+v", err, res)
	}
}
