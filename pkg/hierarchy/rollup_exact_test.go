package hierarchy_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/databridge/databridge/pkg/connector/mysql"
	"github.com/databridge/databridge/pkg/dialect"
	. "github.com/databridge/databridge/pkg/hierarchy"
	. "github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/testenv"
)

// exactExample is the hierarchy of issue 11: one leaf with the exact rule
// 'abc'; 'ABC' and 'Abc ' must not match it on any engine.
func exactExample() *Hierarchy {
	return &Hierarchy{ID: "ex", Name: "Exact", Kind: KindCustom, Status: StatusDraft, Version: 1, SourceColumns: []string{"account"}, Nodes: []*Node{
		{Code: "T", Name: "Total", Type: TypeRollup, Sort: 10},
		{Code: "A", Name: "abc", Parent: "T", Type: TypeLeaf, Sort: 10, Rules: []Rule{{Match: MatchExact, Value: "abc"}}},
		{Code: "P", Name: "pattern", Parent: "T", Type: TypeLeaf, Sort: 20, Rules: []Rule{{Match: MatchPattern, Value: "x%_?"}}},
		{Code: "R", Name: "range", Parent: "T", Type: TypeLeaf, Sort: 30, Rules: []Rule{{Match: MatchRange, From: "0100", To: "0199"}}},
		{Code: "F", Name: "prefix", Parent: "T", Type: TypeLeaf, Sort: 40, Rules: []Rule{{Match: MatchPrefix, Value: "Zz"}}},
	}}
}

// exactFacts: account, amount. Each leaf takes exactly one of its rows.
var exactFacts = [][2]string{
	{"abc", "1"}, {"ABC", "10"}, {"Abc ", "100"}, {"abc ", "1000"},
	{"x%_1", "2"}, {"x%a1", "20"}, {"X%_1", "200"}, {"x%_1 ", "2000"},
	{"0150", "3"}, {"150", "30"}, {"0150 ", "300"}, {"01500", "3000"},
	{"Zz9", "4"}, {"ZZ9", "40"}, {"zz9", "400"}, {" Zz9", "4000"},
}

func loadExact(t *testing.T, e Engine, table string) {
	t.Helper()
	txt := dialect.TextType(e.Name)
	Exec(t, e.Conn, "CREATE TABLE "+table+" (account VARCHAR(20), amount DECIMAL(18,2))")
	for _, f := range exactFacts {
		Exec(t, e.Conn, "INSERT INTO "+table+" (account, amount) VALUES (CAST("+dialect.Placeholder(e.Name, 1)+" AS "+txt+"), CAST("+dialect.Placeholder(e.Name, 2)+" AS DECIMAL(18,2)))", f[0], f[1])
	}
}

// TestRollupExactOnEngines: the rule 'abc' over 'abc', 'ABC', 'Abc ' (1,
// 10, 100) gives 1 on every engine, whatever its default collation, and
// so do patterns with % and _, ranges with leading zeros and prefixes.
func TestRollupExactOnEngines(t *testing.T) {
	for _, name := range Engines() {
		t.Run(name, func(t *testing.T) {
			e := OpenEngine(t, name)
			table := e.Table("exact_facts")
			loadExact(t, e, table)
			got, err := Rollup(context.Background(), e.Conn, exactExample(), RollupInput{Table: table, Value: "amount"})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"A": "1", "P": "2", "R": "3", "F": "4", "T": "10"}
			for _, l := range got.Lines {
				if s := Fmtp(l.Values[0]); s != want[l.Code] {
					t.Errorf("%s: node %s = %s, want %s", name, l.Code, s, want[l.Code])
				}
			}
			if u := got.Unmapped[0]; u.Rows != int64(len(exactFacts)-4) {
				t.Errorf("%s: unmapped %+v", name, u)
			}
			// Validation sees the same codes: every variant stays apart.
			sv, err := LoadSourceValues(context.Background(), e.Conn, table, "account", "amount")
			if err != nil {
				t.Fatal(err)
			}
			rep := Validate(exactExample(), sv)
			if len(sv.Values) != len(exactFacts) || rep.Mapped != 4 || rep.UnmappedCount != len(exactFacts)-4 {
				t.Errorf("%s: validate saw %d codes, %d mapped, %d unmapped", name, len(sv.Values), rep.Mapped, rep.UnmappedCount)
			}
		})
	}
}

// TestRollupPropertyMixedOnEngines checks the rollup against the
// independent reference with codes in mixed case, with leading and
// trailing spaces, leading zeros and LIKE wildcards, on every engine.
func TestRollupPropertyMixedOnEngines(t *testing.T) {
	for _, name := range Engines() {
		t.Run(name, func(t *testing.T) {
			e := OpenEngine(t, name)
			seeds := int64(12)
			if name == dialect.DuckDB {
				seeds = 40
			}
			checkMixedSeeds(t, e, seeds, "mixed_facts", nil)
		})
	}
}

// checkMixedSeeds rolls up random mixed-code hierarchies of seeds 1..n on
// the engine (prepare, when set, adjusts each hierarchy first) and checks
// each against the independent reference.
func checkMixedSeeds(t *testing.T, e Engine, n int64, name string, prepare func(*Generated, int64)) {
	t.Helper()
	for seed := int64(1); seed <= n; seed++ {
		g := RandHierarchyMixed(seed)
		if prepare != nil {
			prepare(g, seed)
		}
		rows := RandFactsMixed(seed, g)
		table := e.Table(name)
		LoadFacts(t, e.Conn, table, rows)
		got, err := Rollup(context.Background(), e.Conn, g.H, RollupInput{Table: table, Value: "amount", By: []string{"period", "entity"}})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		CheckRollup(t, seed, g.H, rows, got)
		Exec(t, e.Conn, "DROP TABLE "+table)
	}
}

// TestRollupSQLParses parses the rollup statement of a random mixed
// hierarchy, and of the exact example, with sqlglot for the engines not
// run here.
func TestRollupSQLParses(t *testing.T) {
	python := testenv.VenvTool(t, "python")
	script := filepath.Join("..", "dialect", "testdata", "sqlglot_parse.py")
	dir := t.TempDir()
	for _, d := range []string{dialect.SQLServer, dialect.BigQuery, dialect.Databricks, dialect.Snowflake, dialect.MySQL, dialect.Postgres, dialect.DuckDB} {
		var files []string
		for i, h := range []*Hierarchy{exactExample(), RandHierarchyMixed(3).H} {
			q, err := RollupSQL(d, h, RollupInput{Table: "fin.gl", Value: "amount", By: []string{"period"}})
			if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			f := filepath.Join(dir, d+"_"+string(rune('a'+i))+".sql")
			if err := os.WriteFile(f, []byte(q), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		glot := map[string]string{dialect.SQLServer: "tsql", dialect.Postgres: "postgres"}[d]
		if glot == "" {
			glot = d
		}
		out, err := exec.Command(python, append([]string{script, glot}, files...)...).Output()
		if err != nil {
			t.Fatalf("sqlglot %s: %v\n%s", d, err, out)
		}
		if !strings.Contains(string(out), `"errors": {}`) {
			t.Errorf("sqlglot %s: %s", d, out)
		}
	}
}
