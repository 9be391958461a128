package hierarchy

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func vh(nodes ...*Node) *Hierarchy {
	return &Hierarchy{ID: "v", Name: "V", Kind: KindIncomeStatement, Status: StatusDraft, Version: 2, SourceColumns: []string{"account"}, Nodes: nodes}
}

func vLeaf(code, parent string, rules ...Rule) *Node {
	return &Node{Code: code, Name: code, Parent: parent, Type: TypeLeaf, Rules: rules}
}

func vRollup(code, parent string) *Node {
	return &Node{Code: code, Name: code, Parent: parent, Type: TypeRollup}
}

func vRange(from, to string) Rule { return Rule{Match: MatchRange, From: from, To: to} }

// findings returns the findings with the code.
func vFindings(r *Report, code string) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

func vExpectOne(t *testing.T, r *Report, code string, sev Severity, node string) Finding {
	t.Helper()
	fs := vFindings(r, code)
	if len(fs) != 1 {
		t.Fatalf("want one %s finding, got %d: %+v", code, len(fs), r.Findings)
	}
	f := fs[0]
	if f.Severity != sev || f.Node != node || f.Message == "" || f.Hint == "" {
		t.Fatalf("%s finding = %+v, want severity %s node %q with message and hint", code, f, sev, node)
	}
	return f
}

func vExpectNone(t *testing.T, r *Report, code string) {
	t.Helper()
	if fs := vFindings(r, code); len(fs) > 0 {
		t.Fatalf("unexpected %s findings: %+v", code, fs)
	}
}

func TestValidateCleanHierarchy(t *testing.T) {
	h := vh(vRollup("PL", ""), vLeaf("REV", "PL", vRange("4000", "4999")), vLeaf("COGS", "PL", Rule{Match: MatchPrefix, Value: "5"}))
	r := Validate(h, &SourceValues{Column: "account", HasAmount: true, Values: map[string]SourceStat{"4000": {Rows: 2, Amount: a("5")}, "5100": {Rows: 1, Amount: a("1")}}})
	if len(r.Findings) != 0 || r.Errors != 0 || r.Warnings != 0 || !r.OK() {
		t.Fatalf("findings: %+v", r.Findings)
	}
	if r.ID != "v" || r.Version != 2 || r.Checked != (Checked{Nodes: 3, Leaves: 2, Rules: 2, SourceValues: 2}) || r.Mapped != 2 {
		t.Fatalf("report %+v", r)
	}
}

func TestValidateStructure(t *testing.T) {
	t.Run("multiple_roots", func(t *testing.T) {
		r := Validate(vh(vLeaf("A", "", vRange("1000", "1999")), vLeaf("B", "", vRange("2000", "2999"))), nil)
		vExpectOne(t, r, "multiple_roots", SeverityWarning, "")
		if r.Errors != 0 || r.Warnings != 1 {
			t.Fatalf("counts %d/%d", r.Errors, r.Warnings)
		}
	})
	t.Run("leaf_without_rules", func(t *testing.T) {
		vExpectOne(t, Validate(vh(vRollup("R", ""), vLeaf("A", "R")), nil), "leaf_without_rules", SeverityWarning, "A")
	})
	t.Run("leaf_with_children", func(t *testing.T) {
		r := Validate(vh(vLeaf("A", "", vRange("1000", "1999")), vLeaf("B", "A", vRange("2000", "2999"))), nil)
		vExpectOne(t, r, "leaf_with_children", SeverityError, "A")
		if r.OK() {
			t.Fatal("should fail")
		}
	})
	t.Run("formula_with_children", func(t *testing.T) {
		h := vh(vRollup("R", ""), vLeaf("A", "R", vRange("1000", "1999")),
			&Node{Code: "F", Name: "F", Parent: "R", Type: TypeFormula, Formula: &Formula{Expression: "A * 2"}},
			vLeaf("B", "F", vRange("2000", "2999")))
		vExpectOne(t, Validate(h, nil), "formula_with_children", SeverityError, "F")
	})
	t.Run("formula_references_ancestor", func(t *testing.T) {
		h := vh(vRollup("R", ""), vLeaf("A", "R", vRange("1000", "1999")),
			&Node{Code: "F", Name: "F", Parent: "R", Type: TypeFormula, Formula: &Formula{Expression: "R - A"}})
		f := vExpectOne(t, Validate(h, nil), "formula_references_ancestor", SeverityError, "F")
		if !strings.Contains(f.Message, "ancestor R") {
			t.Fatal(f.Message)
		}
	})
	t.Run("node_without_children", func(t *testing.T) {
		h := vh(vRollup("R", ""), vLeaf("A", "R", vRange("1000", "1999")), vRollup("E", "R"), &Node{Code: "L", Name: "L", Parent: "R", Type: TypeLabel})
		r := Validate(h, nil)
		if fs := vFindings(r, "node_without_children"); len(fs) != 2 || fs[0].Node != "E" || fs[1].Node != "L" || fs[0].Severity != SeverityWarning {
			t.Fatalf("%+v", fs)
		}
	})
	t.Run("duplicate_rule", func(t *testing.T) {
		h := vh(vLeaf("A", "", vRange("1000", "1999"), Rule{Match: MatchList, Values: []string{"7", "8"}}, Rule{Match: MatchList, Values: []string{"8", "7"}, Column: "account"}))
		f := vExpectOne(t, Validate(h, nil), "duplicate_rule", SeverityWarning, "A")
		if !strings.Contains(f.Message, "rule 3") || !strings.Contains(f.Message, "rule 2") {
			t.Fatal(f.Message)
		}
	})
	t.Run("range_from_greater_than_to", func(t *testing.T) {
		f := vExpectOne(t, Validate(vh(vLeaf("A", "", vRange("1999", "1000"))), nil), "invalid_rule", SeverityError, "A")
		if !strings.Contains(f.Message, "greater") {
			t.Fatal(f.Message)
		}
	})
}

func TestValidateOverlappingRanges(t *testing.T) {
	t.Run("same group", func(t *testing.T) {
		h := vh(vRollup("R", ""), vLeaf("A", "R", vRange("4000", "4599")), vLeaf("B", "R", vRange("4500", "4999")))
		f := vExpectOne(t, Validate(h, nil), "overlapping_ranges", SeverityError, "B")
		if !strings.Contains(f.Message, "4500..4599") {
			t.Fatal(f.Message)
		}
	})
	t.Run("nested and unsorted", func(t *testing.T) {
		h := vh(vRollup("R", ""), vLeaf("A", "R", vRange("1000", "9999")), vLeaf("B", "R", vRange("5000", "5001")), vLeaf("C", "R", vRange("2000", "2000")))
		if fs := vFindings(Validate(h, nil), "overlapping_ranges"); len(fs) != 2 {
			t.Fatalf("%+v", fs)
		}
	})
	t.Run("allowed", func(t *testing.T) {
		h := vh(vRollup("R", ""),
			// different precedence groups
			vLeaf("A", "R", vRange("4000", "4999")), vLeaf("B", "R", Rule{Match: MatchRange, From: "4500", To: "4599", Precedence: 2}),
			// different widths
			vLeaf("C", "R", vRange("40000", "49999")),
			// carved out by an exclusion of the other leaf
			vLeaf("D", "R", vRange("6000", "6999"), Rule{Match: MatchPrefix, Value: "65", Exclude: true}), vLeaf("E", "R", vRange("6500", "6599")),
			// same leaf twice
			vLeaf("F", "R", vRange("7000", "7999"), vRange("7500", "8999")),
			// other column
			vLeaf("G", "R", Rule{Match: MatchRange, From: "4000", To: "4999", Column: "cost_center"}),
			// touching, not overlapping
			vLeaf("H", "R", vRange("9000", "9499")), vLeaf("I", "R", vRange("9500", "9999")),
		)
		vExpectNone(t, Validate(h, nil), "overlapping_ranges")
	})
}

func TestValidateAgainstSource(t *testing.T) {
	h := vh(vRollup("R", ""),
		vLeaf("REV", "R", vRange("4000", "4999"), Rule{Match: MatchExact, Value: "4500", Exclude: true}, Rule{Match: MatchExact, Value: "4777", Exclude: true}),
		vLeaf("OTH", "R", Rule{Match: MatchPattern, Value: "4?00"}, Rule{Match: MatchExact, Value: "8888"}),
		vLeaf("CC", "R", Rule{Match: MatchExact, Value: "X1", Column: "cost_center"}),
	)
	src := &SourceValues{Column: "account", HasAmount: true, Values: map[string]SourceStat{
		"4100":  {Rows: 3, Amount: a("10")},  // REV and OTH: double mapped
		"4200":  {Rows: 1, Amount: a("1")},   // double mapped too
		"4150":  {Rows: 1, Amount: a("1")},   // REV
		"4500":  {Rows: 1, Amount: a("5")},   // excluded from REV, OTH takes it
		"41000": {Rows: 2, Amount: a("-50")}, // unmapped with activity (width 5)
		"9000":  {Rows: 4, Amount: a("7")},   // unmapped with activity
		"9001":  {Rows: 4, Amount: a("0")},   // unmapped, nets to zero
		"9002":  {Rows: 0},                   // unmapped, no rows
	}, Nulls: SourceStat{Rows: 2, Amount: a("3")}}
	r := Validate(h, src)
	f := vExpectOne(t, r, "unmapped_with_activity", SeverityError, "")
	if strings.Join(f.Values, ",") != "41000,9000" || !strings.Contains(f.Message, "2 account codes") {
		t.Fatalf("%+v", f)
	}
	f = vExpectOne(t, r, "unmapped_no_activity", SeverityWarning, "")
	if strings.Join(f.Values, ",") != "9001,9002" {
		t.Fatalf("%+v", f)
	}
	vExpectOne(t, r, "null_source_codes", SeverityError, "")
	f = vExpectOne(t, r, "double_mapped", SeverityError, "REV")
	if strings.Join(f.Values, ",") != "4100,4200" || !strings.Contains(f.Message, "REV, OTH") {
		t.Fatalf("%+v", f)
	}
	f = vExpectOne(t, r, "rule_matches_nothing", SeverityWarning, "OTH")
	if !strings.Contains(f.Message, "8888") {
		t.Fatal(f.Message)
	}
	f = vExpectOne(t, r, "exclusion_excludes_nothing", SeverityWarning, "REV")
	if !strings.Contains(f.Message, "4777") {
		t.Fatal(f.Message)
	}
	if r.UnmappedCount != 4 || len(r.Unmapped) != 4 || r.Unmapped[0].Code != "41000" || *r.Unmapped[0].Amount != "-50" || r.Mapped != 4 {
		t.Fatalf("unmapped %+v mapped %d", r.Unmapped, r.Mapped)
	}
	if r.Errors != 3 || r.Warnings != 3 {
		t.Fatalf("errors %d warnings %d: %+v", r.Errors, r.Warnings, r.Findings)
	}
}

func TestValidateCapsValues(t *testing.T) {
	h := vh(vLeaf("A", "", vRange("1000", "1999")))
	src := &SourceValues{Column: "account", Values: map[string]SourceStat{}}
	for i := 0; i < 50; i++ {
		src.Values[strings.Repeat("9", 5)+string(rune('A'+i%26))+string(rune('a'+i/26))] = SourceStat{Rows: 1}
	}
	f := vExpectOne(t, Validate(h, src), "unmapped_with_activity", SeverityError, "")
	if len(f.Values) != MaxFindingValues || !strings.Contains(f.Message, "50 ") {
		t.Fatalf("%d values: %s", len(f.Values), f.Message)
	}
}

func TestLoadSourceValuesDuckDB(t *testing.T) {
	c := openRollupDuck(t)
	rollupExec(t, c, `CREATE SCHEMA "src data"`)
	rollupExec(t, c, `CREATE TABLE "src data"."G L" ("Account No" INTEGER, "Amt" DECIMAL(18,2))`)
	rollupExec(t, c, `INSERT INTO "src data"."G L" VALUES (4000, 10.50), (4000, -0.50), (4100, 1), (NULL, 2), (9999, 0)`)
	sv, err := LoadSourceValues(context.Background(), c, "src data.G L", "Account No", "Amt")
	if err != nil {
		t.Fatal(err)
	}
	if !sv.HasAmount || len(sv.Values) != 3 || sv.Values["4000"].Rows != 2 || !sv.Values["4000"].Amount.Equal(a("10")) ||
		sv.Nulls.Rows != 1 || !sv.Nulls.Amount.Equal(a("2")) {
		t.Fatalf("%+v", sv)
	}
	sv, err = LoadSourceValues(context.Background(), c, "src data.G L", "Account No", "")
	if err != nil {
		t.Fatal(err)
	}
	if sv.HasAmount || sv.Values["4100"].Rows != 1 {
		t.Fatalf("%+v", sv)
	}
	h := vh(vLeaf("A", "", vRange("4000", "4099")))
	h.SourceColumns = []string{"Account No"}
	r := Validate(h, sv)
	if f := vFindings(r, "unmapped_with_activity"); len(f) != 1 || strings.Join(f[0].Values, ",") != "4100,9999" {
		t.Fatalf("%+v", r.Findings)
	}
}

// a is an exact amount for the tests.
func a(s string) Amount {
	x, err := ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return x
}

// TestValidateAmountsExact: the amounts of unmapped codes are exact sums,
// from a DECIMAL column and from a DOUBLE one (whose float sum of 0.10s
// and 0.20s is not), written with the report's scale; the finding's
// message has at least two decimals.
func TestValidateAmountsExact(t *testing.T) {
	c := openRollupDuck(t)
	rollupExec(t, c, `CREATE TABLE gl (account VARCHAR, amt DECIMAL(18,2), dbl DOUBLE)`)
	rollupExec(t, c, `INSERT INTO gl SELECT CASE WHEN i % 3 = 0 THEN '4000' ELSE '9000' END, CASE WHEN i % 2 = 0 THEN 0.10 ELSE 0.20 END, CASE WHEN i % 2 = 0 THEN 0.10 ELSE 0.20 END FROM range(100000) t(i)`)
	rollupExec(t, c, `INSERT INTO gl VALUES ('9100', 0.05, 0.05), ('9200', 0.00, 0.00)`)
	var floatSum float64
	var cents int64
	for i := 0; i < 100000; i++ {
		if i%3 != 0 {
			if i%2 == 0 {
				floatSum += 0.10
				cents += 10
			} else {
				floatSum += 0.20
				cents += 20
			}
		}
	}
	want := fmt.Sprintf("%d.%02d", cents/100, cents%100)
	if strconv.FormatFloat(floatSum, 'f', -1, 64) == want || want != "9999.90" {
		t.Fatalf("the float sum %v should be inexact, the exact one %s", floatSum, want)
	}
	h := vh(vLeaf("REV", "", vRange("4000", "4999")))
	for _, col := range []string{"amt", "dbl"} {
		sv, err := LoadSourceValues(context.Background(), c, "gl", "account", col)
		if err != nil {
			t.Fatal(err)
		}
		if got := sv.Values["9000"].Amount.String(); !sv.Values["9000"].Amount.Equal(a(want)) {
			t.Fatalf("%s: sum of 9000 = %s", col, got)
		}
		r := Validate(h, sv)
		if r.UnmappedCount != 3 {
			t.Fatalf("%s: %+v", col, r.Unmapped)
		}
		var got []string
		for _, u := range r.Unmapped {
			got = append(got, u.Code+"="+*u.Amount)
		}
		if strings.Join(got, " ") != "9000="+want+" 9100=0.05 9200=0.00" {
			t.Errorf("%s: unmapped %v", col, got)
		}
		f := vExpectOne(t, r, "unmapped_with_activity", SeverityError, "")
		if !strings.Contains(f.Message, "amount 9999.95)") {
			t.Errorf("%s: %s", col, f.Message)
		}
		b, err := json.Marshal(r.Unmapped[0])
		if err != nil || string(b) != `{"code":"9000","rows":66666,"amount":"`+want+`"}` {
			t.Errorf("%s: JSON %s %v", col, b, err)
		}
	}
}
