package hierarchy

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func csvFuzzSeeds(f *testing.F, mapping bool) {
	files, err := filepath.Glob("testdata/csv/*.csv")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files in testdata/csv: %v", err)
	}
	for _, file := range files {
		if strings.HasPrefix(filepath.Base(file), "mapping") != mapping {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func csvFuzzLines(data []byte) int {
	return bytes.Count(data, []byte("\n")) + 1
}

func csvFuzzCheckRejected(t *testing.T, data []byte, rows []RejectedRow) {
	t.Helper()
	lines := csvFuzzLines(data)
	for _, r := range rows {
		if r.Line < 1 || r.Line > lines {
			t.Fatalf("rejected line %d outside 1..%d (%s)", r.Line, lines, r.Reason)
		}
		if r.Reason == "" {
			t.Fatalf("rejected line %d without a reason", r.Line)
		}
	}
}

// csvFuzzCheckTree checks the invariants of an accepted set of nodes: valid
// unique codes, parents that exist, no parent cycles.
func csvFuzzCheckTree(t *testing.T, nodes []*Node) {
	t.Helper()
	idx := map[string]*Node{}
	for _, n := range nodes {
		if err := ValidCode(n.Code); err != nil {
			t.Fatalf("accepted node with invalid code: %v", err)
		}
		if idx[n.Code] != nil {
			t.Fatalf("accepted duplicate code %q", n.Code)
		}
		idx[n.Code] = n
	}
	for _, n := range nodes {
		if n.Parent != "" && idx[n.Parent] == nil {
			t.Fatalf("node %q has parent %q that is not in the result", n.Code, n.Parent)
		}
		if strings.TrimSpace(n.Name) == "" {
			t.Fatalf("node %q has no name", n.Code)
		}
		seen := map[string]bool{}
		for cur := n; cur != nil && cur.Parent != ""; cur = idx[cur.Parent] {
			if seen[cur.Code] {
				t.Fatalf("cycle through %q", n.Code)
			}
			seen[cur.Code] = true
		}
		if p := idx[n.Parent]; p != nil && (p.Type == TypeLeaf || p.Type == TypeFormula) {
			t.Fatalf("node %q is under %s %q", n.Code, p.Type, p.Code)
		}
		if (n.Type == TypeFormula) != (n.Formula != nil) {
			t.Fatalf("node %q: type %s, formula %v", n.Code, n.Type, n.Formula)
		}
	}
}

func FuzzImportNodesCSV(f *testing.F) {
	csvFuzzSeeds(f, false)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ImportNodesCSV(bytes.NewReader(data), ImportOptions{SkipBadRows: true})
		if err != nil {
			if res != nil {
				t.Fatalf("SkipBadRows returned a result with an error: %v", err)
			}
			return
		}
		csvFuzzCheckRejected(t, data, res.Rejected)
		csvFuzzCheckTree(t, res.Nodes)
		if res.Summary.Added != len(res.Nodes) || res.Summary.Rejected != len(res.Rejected) {
			t.Fatalf("summary %+v for %d nodes, %d rejected", res.Summary, len(res.Nodes), len(res.Rejected))
		}
		h := res.Hierarchy()
		if is := CheckFormulas(h); len(is) > 0 {
			t.Fatalf("accepted a formula the formula check refuses: %v", is[0].Error())
		}

		// Merged into an existing P&L: the whole result stays a sound tree
		// with rules only on leaves; a dry run leaves it untouched.
		into := csvTestPL()
		dry, err := ImportNodesCSV(bytes.NewReader(data), ImportOptions{Into: into, SkipBadRows: true, DryRun: true})
		if err != nil || dry.Applied || !reflect.DeepEqual(into, csvTestPL()) {
			t.Fatalf("dry run into P&L: err %v, applied %v, or changed the hierarchy", err, dry != nil && dry.Applied)
		}
		merged, err := ImportNodesCSV(bytes.NewReader(data), ImportOptions{Into: into, SkipBadRows: true})
		if err != nil || !merged.Applied {
			t.Fatalf("merge into P&L: %v", err)
		}
		csvFuzzCheckRejected(t, data, merged.Rejected)
		csvFuzzCheckTree(t, into.Nodes)
		if dry.Summary != merged.Summary || !reflect.DeepEqual(dry.Rejected, merged.Rejected) {
			t.Fatalf("dry run %+v %+v differs from the import %+v %+v", dry.Summary, dry.Rejected, merged.Summary, merged.Rejected)
		}
		if is := CheckFormulas(&Hierarchy{Nodes: into.Nodes}); len(is) > 0 {
			t.Fatalf("merge left a formula the formula check refuses: %v", is[0].Error())
		}
		for _, n := range into.Nodes {
			if len(n.Rules) > 0 && n.Type != TypeLeaf {
				t.Fatalf("merge left rules on %s %q", n.Type, n.Code)
			}
		}
		if s := merged.Summary; s.Added+s.Updated+s.Unchanged != len(merged.Nodes) || len(into.Nodes) != len(csvTestPL().Nodes)+s.Added {
			t.Fatalf("merge summary %+v, %d accepted, %d nodes", s, len(merged.Nodes), len(into.Nodes))
		}

		// Parent-child export reads back to the same nodes in the same order.
		var buf bytes.Buffer
		if err := ExportNodesCSV(&buf, h, CSVParentChild); err != nil {
			t.Fatalf("export parent-child: %v", err)
		}
		back, err := ImportNodesCSV(bytes.NewReader(buf.Bytes()), ImportOptions{})
		if err != nil {
			t.Fatalf("re-import parent-child: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(back.Hierarchy(), h) {
			t.Fatalf("parent-child round trip differs:\n%s", buf.String())
		}

		// Importing the file into its own result changes nothing.
		again, err := ImportNodesCSV(bytes.NewReader(buf.Bytes()), ImportOptions{Into: back.Hierarchy()})
		if err != nil || again.Summary.Unchanged != len(h.Nodes) {
			t.Fatalf("re-import into itself: %v %+v", err, again)
		}

		// Wide export, when it applies, reads back to the same tree.
		buf.Reset()
		if err := ExportNodesCSV(&buf, h, CSVWideLevels); err != nil {
			return // e.g. names with surrounding spaces cannot be written wide
		}
		wide, err := ImportNodesCSV(bytes.NewReader(buf.Bytes()), ImportOptions{})
		if err != nil {
			t.Fatalf("re-import wide: %v\n%s", err, buf.String())
		}
		want := map[string]*Node{}
		for _, n := range h.Nodes {
			want[n.Code] = n
		}
		if len(wide.Nodes) != len(want) {
			t.Fatalf("wide round trip: %d nodes, want %d\n%s", len(wide.Nodes), len(want), buf.String())
		}
		for _, n := range wide.Nodes {
			if w := want[n.Code]; w == nil || !reflect.DeepEqual(w, n) {
				t.Fatalf("wide round trip: got %+v, want %+v\n%s", n, w, buf.String())
			}
		}
	})
}

func FuzzImportMappingsCSV(f *testing.F) {
	csvFuzzSeeds(f, true)
	f.Fuzz(func(t *testing.T, data []byte) {
		h := csvStripRules(csvTestPL())
		h.Node("REV_PROD").Rules = []Rule{{Column: "account", Match: MatchRange, From: "4000", To: "4499"}}
		res, err := ImportMappingsCSV(bytes.NewReader(data), h, MappingImportOptions{SkipBadRows: true})
		if err != nil {
			if res != nil {
				t.Fatalf("SkipBadRows returned a result with an error: %v", err)
			}
			return
		}
		csvFuzzCheckRejected(t, data, res.Rejected)
		if res.Summary.Added+res.Summary.Unchanged != len(res.Rules) {
			t.Fatalf("summary %+v for %d rules", res.Summary, len(res.Rules))
		}
		for _, n := range h.Nodes {
			if len(n.Rules) > 0 && n.Type != TypeLeaf {
				t.Fatalf("rules on %s %q", n.Type, n.Code)
			}
			keys := map[string]bool{}
			for _, r := range n.Rules {
				if err := CheckRule(r); err != nil {
					t.Fatalf("node %q: invalid rule accepted: %v", n.Code, err)
				}
				k := csvRuleKey(r, h.DefaultColumn())
				if keys[k] {
					t.Fatalf("node %q: rule %v twice", n.Code, r)
				}
				keys[k] = true
			}
		}
		// Export and re-import into a rule-less copy gives the same rules,
		// unless a list value holds the '|' separator (export refuses it).
		var buf bytes.Buffer
		if err := ExportMappingsCSV(&buf, h); err != nil {
			if !strings.Contains(err.Error(), "contains |") {
				t.Fatalf("export: %v", err)
			}
			return
		}
		got := csvStripRules(h)
		if _, err := ImportMappingsCSV(bytes.NewReader(buf.Bytes()), got, MappingImportOptions{}); err != nil {
			t.Fatalf("re-import: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(got, h) {
			t.Fatalf("mapping round trip differs:\n%s", buf.String())
		}
	})
}
