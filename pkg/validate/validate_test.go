package validate

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/dialect"
)

func TestRunRefusesBadInput(t *testing.T) {
	c := openDuckDB(t)
	ctx := context.Background()
	if _, err := Run(ctx, c, "duckdb", nil, "thorough", Options{}); err == nil || !strings.Contains(err.Error(), "thorough") {
		t.Errorf("bad level: %v", err)
	}
	if _, err := Run(ctx, c, "oracle", nil, Basic, Options{}); err == nil {
		t.Error("unknown dialect accepted")
	}
	if _, err := Run(ctx, nil, "duckdb", nil, Basic, Options{}); err == nil {
		t.Error("nil querier accepted")
	}
	rep, err := Run(ctx, c, "duckdb", nil, "", Options{})
	if err != nil || rep.Level != Basic || !rep.OK() || rep.ExitCode() != 0 || rep.Summary() != "0 checks (basic): 0 passed, 0 failed, 0 errors" {
		t.Errorf("empty run: %+v %v %q", rep, err, rep.Summary())
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Run(cancelled, c, "duckdb", []Check{{Kind: KindNotNull, Table: "t", Columns: []string{"a"}}}, Basic, Options{}); err == nil {
		t.Error("cancelled context: no error")
	}
}

// A check the package cannot compile is an error result with the reason,
// never a panic, and the checks around it still run.
func TestDefinitionErrors(t *testing.T) {
	c := openDuckDB(t)
	ctx := context.Background()
	if _, err := c.Exec(ctx, "CREATE TABLE vt.t (a INTEGER, b DECIMAL(10,2))"); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		check Check
		msg   string
	}{
		"no kind":        {Check{Table: "vt.t"}, "has no kind"},
		"no table":       {Check{Kind: KindNotNull, Columns: []string{"a"}}, "needs a table"},
		"empty part":     {Check{Kind: KindNotNull, Table: "vt..t", Columns: []string{"a"}}, "empty part"},
		"four parts":     {Check{Kind: KindNotNull, Table: "a.b.c.d", Columns: []string{"a"}}, "three"},
		"no columns":     {Check{Kind: KindUnique, Table: "vt.t"}, "needs columns"},
		"empty column":   {Check{Kind: KindUnique, Table: "vt.t", Columns: []string{""}}, "empty column"},
		"ref mismatch":   {Check{Kind: KindRelationship, Table: "vt.t", Columns: []string{"a", "b"}, RefTable: "vt.t", RefColumns: []string{"a"}}, "pair up"},
		"no ref table":   {Check{Kind: KindRelationship, Table: "vt.t", Columns: []string{"a"}, RefColumns: []string{"a"}}, "ref_table"},
		"two accepted":   {Check{Kind: KindAcceptedValues, Table: "vt.t", Columns: []string{"a", "b"}, Values: []string{"1"}}, "one column"},
		"no values":      {Check{Kind: KindAcceptedValues, Table: "vt.t", Columns: []string{"a"}}, "needs values"},
		"no mapped":      {Check{Kind: KindAllMapped, Table: "vt.t", Columns: []string{"a"}}, "mapped_column"},
		"no amount":      {Check{Kind: KindSumsToZero, Table: "vt.t"}, "needs amount"},
		"empty term":     {Check{Kind: KindSumsToZero, Table: "vt.t", Amount: []Term{{}}}, "without a column"},
		"no source":      {Check{Kind: KindTiesOut, Table: "vt.t", Amount: Amount("b")}, "source_table"},
		"no src amount":  {Check{Kind: KindTiesOut, Table: "vt.t", Amount: Amount("b"), SourceTable: "vt.t"}, "source_table amount"},
		"group mismatch": {Check{Kind: KindTiesOut, Table: "vt.t", Amount: Amount("b"), SourceTable: "vt.t", SourceAmount: Amount("b"), SourceGroupBy: []string{"a"}}, "pair up"},
		"bad plus":       {Check{Kind: KindTiesOut, Table: "vt.t", Amount: Amount("b"), SourceTable: "vt.t", SourceAmount: Amount("b"), Plus: []Part{{Table: "vt.t"}}}, "plus[0]"},
		"negative tol":   {Check{Kind: KindRowCount, Table: "vt.t", SourceTable: "vt.t", Tolerance: -1}, "tolerance"},
		"stray source":   {Check{Kind: KindUnique, Table: "vt.t", Columns: []string{"a"}, SourceTable: "vt.t"}, "source_table"},
		"filter column":  {Check{Kind: KindUnique, Table: "vt.t", Columns: []string{"a"}, Where: []Filter{{Values: []string{"x"}}}}, "filter has no column"},
		"bad level":      {Check{Kind: KindUnique, Table: "vt.t", Columns: []string{"a"}, Level: "deep"}, "unknown level"},
	}
	var checks []Check
	for name, tc := range cases {
		tc.check.Name = name
		checks = append(checks, tc.check)
	}
	checks = append(checks,
		Check{Name: "fine", Kind: KindUnique, Table: "vt.t", Columns: []string{"a"}},
		Check{Name: "fine", Kind: KindNotNull, Table: "vt.t", Columns: []string{"a"}})
	rep, err := Run(ctx, c, "duckdb", checks, Basic, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Passed != 1 || rep.Errors != len(cases)+1 || len(rep.Results) != len(checks) {
		t.Errorf("summary: %s", rep.Summary())
	}
	for _, r := range rep.Results {
		if r.Name == "fine" {
			if r.Status == StatusError && !strings.Contains(r.Message, "duplicate check name") {
				t.Errorf("duplicate: %s", r.Message)
			}
			continue
		}
		if r.Status != StatusError || !strings.Contains(r.Message, cases[r.Name].msg) {
			t.Errorf("%s: %s %q, want an error containing %q", r.Name, r.Status, r.Message, cases[r.Name].msg)
		}
	}
}

// Awkward names are quoted; a key column named like a sample field keeps
// its name and the field moves aside; negative Samples skips the sample
// query.
func TestQuotingAndSampleNames(t *testing.T) {
	c := openDuckDB(t)
	ctx := context.Background()
	if _, err := c.Exec(ctx, `CREATE TABLE vt."Odd ""Table""" ("rows" VARCHAR, "Amount; DROP" DECIMAL(10,2), "Period" VARCHAR);
INSERT INTO vt."Odd ""Table""" VALUES ('a', 1.5, 'P1'), ('a', 2, 'P1'), ('b', NULL, 'P2'), ('it''s', 0, 'P2')`); err != nil {
		t.Fatal(err)
	}
	tbl := `vt.Odd "Table"`
	checks := []Check{
		{Name: "dup", Kind: KindUnique, Table: tbl, Columns: []string{"rows"}},
		{Name: "quote value", Kind: KindAcceptedValues, Table: tbl, Columns: []string{"rows"}, Values: []string{"a", "b", "it's"}},
		{Name: "sum", Kind: KindSumsToZero, Table: tbl, Amount: Amount("Amount; DROP"), GroupBy: []string{"Period"}},
		{Name: "no samples", Kind: KindUnique, Table: tbl, Columns: []string{"Period"}},
	}
	rep, err := Run(ctx, c, "duckdb", checks, Basic, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, map[string]want{
		"dup":         {status: StatusFail, failing: 1, samples: []row{{"rows": "a", "check_rows": int64(2)}}},
		"quote value": {status: StatusPass},
		"sum":         {status: StatusFail, failing: 1, samples: []row{{"Period": "P1", "total": "3.5"}}},
		"no samples":  {status: StatusFail, failing: 2, samples: []row{{"Period": "P1", "rows": int64(2)}, {"Period": "P2", "rows": int64(2)}}},
	})
	if got := rep.Results[0].SampleColumns; strings.Join(got, ",") != "rows,check_rows" {
		t.Errorf("sample columns %v", got)
	}
	rep, err = Run(ctx, c, "duckdb", checks[3:], Basic, Options{Samples: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Results[0]; r.Status != StatusFail || r.SampleSQL != "" || r.Samples != nil {
		t.Errorf("samples off: %+v", r)
	}
}

func TestDefaultNames(t *testing.T) {
	for _, tc := range []struct {
		c    Check
		want string
	}{
		{Check{Kind: KindUnique, Table: "s.TBL_0_PL", Columns: []string{"NODE_CODE"}}, "unique s.TBL_0_PL.NODE_CODE"},
		{Check{Kind: KindUnique, Table: "t", Columns: []string{"a", "b"}}, "unique t(a, b)"},
		{Check{Kind: KindRelationship, Table: "c", Columns: []string{"a"}, RefTable: "p", RefColumns: []string{"id"}}, "relationship c(a) -> p(id)"},
		{Check{Kind: KindRowCount, Table: "t", SourceTable: "s"}, "row_count t vs s"},
		{Check{Kind: KindAllMapped, Table: "DT_2", MappedColumn: "LEAF_CODE"}, "all_mapped DT_2.LEAF_CODE"},
		{Check{Kind: KindTiesOut, Table: "DT_3", SourceTable: "gl"}, "ties_out DT_3 vs gl"},
		{Check{Kind: KindSumsToZero, Table: "gl"}, "sums_to_zero gl"},
	} {
		if got := tc.c.DefaultName(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
}

// Every kind compiles on every dialect, with identifiers quoted by the
// dialect and the tolerance as a literal.
func TestBuildAllDialects(t *testing.T) {
	checks, _ := suite("fin")
	for _, dia := range []string{dialect.DuckDB, dialect.Postgres, dialect.MySQL, dialect.SQLServer, dialect.Snowflake, dialect.Databricks, dialect.BigQuery} {
		for _, c := range checks {
			if c.Kind == "row_cuont" {
				continue
			}
			p, err := build(dia, c, 5)
			if err != nil {
				t.Errorf("%s %s: %v", dia, c.Name, err)
				continue
			}
			if c.Kind != KindRowCount && p.sampleSQL == "" {
				t.Errorf("%s %s: no sample query", dia, c.Name)
			}
			if !strings.Contains(p.sql, dialect.QuoteQualified(dia, c.Table)) {
				t.Errorf("%s %s: table not quoted as %s:\n%s", dia, c.Name, dialect.QuoteQualified(dia, c.Table), p.sql)
			}
		}
	}
	p, err := build(dialect.SQLServer, Check{Kind: KindAcceptedValues, Table: "t", Columns: []string{"c"}, Values: []string{"x", "y"}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.sql, "COLLATE Latin1_General_BIN2") || !strings.Contains(p.sampleSQL, "TOP 3") {
		t.Errorf("sqlserver accepted values:\n%s\n%s", p.sql, p.sampleSQL)
	}
	p, err = build(dialect.Postgres, Check{Kind: KindTiesOut, Table: "t", Amount: Amount("a"), SourceTable: "s", SourceAmount: Amount("b"), Tolerance: 0.01}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.sql, "> 0.01 THEN 1") {
		t.Errorf("tolerance literal:\n%s", p.sql)
	}
}

func TestNumbers(t *testing.T) {
	for in, want := range map[any]string{
		"100.5000000000": "100.5", "-0.00": "0", "250": "250", 1e6: "1000000", 0.1: "0.1", int32(7): "7",
		"1.5E+3": "1500", nil: "NULL", "-8.0000000000": "-8",
	} {
		if got := numText(in); got != want {
			t.Errorf("numText(%#v) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[any]int64{"12": 12, int32(3): 3, 4.0: 4, nil: 0, "5.0": 5} {
		if got, err := toInt(in); err != nil || got != want {
			t.Errorf("toInt(%#v) = %d %v, want %d", in, got, err, want)
		}
	}
	if _, err := toInt("x"); err == nil {
		t.Error("toInt(x) succeeded")
	}
}

// The report's JSON carries the check's definition with its outcome.
func TestReportJSON(t *testing.T) {
	rep := &Report{Level: Basic, Results: []Result{{Check: Check{Name: "n", Kind: KindUnique, Table: "t", Columns: []string{"a"}},
		Status: StatusFail, Failing: 1, Samples: []map[string]any{{"a": "x", "rows": int64(2)}}}}, Failed: 1}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"name":"n"`, `"kind":"unique"`, `"status":"fail"`, `"samples":[{"a":"x","rows":2}]`, `"failed":1`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON lacks %s: %s", s, b)
		}
	}
	if rep.OK() || rep.ExitCode() != 3 || rep.Summary() != "1 check (basic): 0 passed, 1 failed, 0 errors" {
		t.Errorf("%v %d %q", rep.OK(), rep.ExitCode(), rep.Summary())
	}
}
