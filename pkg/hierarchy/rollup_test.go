package hierarchy_test

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	. "github.com/databridge/databridge/pkg/hierarchy"
	. "github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/testenv"
)

func runPropertySeed(t *testing.T, c connector.Connector, table string, seed int64) {
	t.Helper()
	g := RandHierarchy(seed)
	if fs := CheckIntegrity(g.H); len(fs) > 0 {
		t.Fatalf("seed %d: generated hierarchy is broken: %v", seed, fs)
	}
	rows := RandFacts(seed, g.Pool)
	LoadFacts(t, c, table, rows)
	defer Exec(t, c, "DROP TABLE "+table)
	got, err := Rollup(context.Background(), c, g.H, RollupInput{Table: table, Value: "amount", By: []string{"period", "entity"}})
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	CheckRollup(t, seed, g.H, rows, got)
}

func TestRollupPropertyDuckDB(t *testing.T) {
	c := OpenDuckDB(t)
	for seed := int64(1); seed <= 50; seed++ {
		runPropertySeed(t, c, "facts", seed)
	}
}

func TestRollupPropertyPostgres(t *testing.T) {
	testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	ctx := context.Background()
	c, err := connector.Open(ctx, "pgtest", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	schema := fmt.Sprintf("hier_rollup_%d", rand.Int63())
	Exec(t, c, "CREATE SCHEMA "+schema)
	defer Exec(t, c, "DROP SCHEMA "+schema+" CASCADE")
	for seed := int64(1); seed <= 15; seed++ {
		runPropertySeed(t, c, schema+".facts", seed)
	}
}

func TestResolverMatchesNaiveLoop(t *testing.T) {
	for seed := int64(1); seed <= 50; seed++ {
		g := RandHierarchy(seed)
		r, err := NewResolver(g.H)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(seed))
		codes := append([]string{}, g.Pool...)
		for _, f := range RandFacts(seed+1000, g.Pool) {
			if f.Code != nil {
				codes = append(codes, *f.Code)
			}
		}
		for i := 0; i < 300; i++ {
			codes = append(codes, RandCode(rng, 1+rng.Intn(6)))
		}
		for _, col := range []string{"account", "cost_center"} {
			for _, code := range codes {
				want, n := NaiveResolve(g.H, col, code)
				got := r.Resolve(col, code)
				if got.Leaf != want || got.Conflict != (n > 1) || (want != "" && len(got.Candidates) != n) {
					t.Fatalf("seed %d: Resolve(%s, %q) = %+v, want %s (%d candidates)", seed, col, code, got, want, n)
				}
				if got.Mapped() && (got.Rule.Exclude || !NaiveRuleMatch(got.Rule, code) || got.Rule.EffectivePrecedence() != got.Precedence) {
					t.Fatalf("seed %d: Resolve(%s, %q) explains with rule %s", seed, col, code, got.Rule)
				}
			}
		}
	}
}

func TestRollupSmall(t *testing.T) {
	c := OpenDuckDB(t)
	h := &Hierarchy{ID: "pl", Name: "P&L", Kind: KindIncomeStatement, Status: StatusDraft, Version: 3, SourceColumns: []string{"account"}, Nodes: []*Node{
		{Code: "NI", Name: "Net income", Type: TypeRollup, Sort: 10, FlipSign: true},
		{Code: "REV", Name: "Revenue", Parent: "NI", Type: TypeLeaf, Sort: 10, Rules: []Rule{{Match: MatchRange, From: "4000", To: "4999"}, {Match: MatchExact, Value: "4500", Exclude: true}}},
		{Code: "COGS", Name: "Cost of sales", Parent: "NI", Type: TypeLeaf, Sort: 20, Rules: []Rule{{Match: MatchPrefix, Value: "5"}, {Match: MatchExact, Value: "4500", Precedence: 2}}},
		{Code: "STAT", Name: "Headcount", Parent: "NI", Type: TypeLeaf, Sort: 30, Consolidation: ConsolidateIgnore, Rules: []Rule{{Match: MatchPattern, Value: "9?_*"}}},
		{Code: "GM", Name: "Gross margin %", Type: TypeFormula, Sort: 20, Formula: &Formula{Expression: "NI / REV * 100", Nulls: NullSkip}},
	}}
	Exec(t, c, `CREATE SCHEMA fin`)
	Exec(t, c, `CREATE TABLE fin."gl lines" (account VARCHAR, "Period" VARCHAR, amount DECIMAL(18,2))`)
	Exec(t, c, `INSERT INTO fin."gl lines" VALUES
		('4000','P1',-100.10), ('4999','P1',-50), ('41000','P1',-7), ('4500','P1',3), ('5100','P1',40.05),
		('9x_1','P1',12), ('9xy1','P1',99), (NULL,'P1',1), ('4100','P2',-10)`)
	got, err := Rollup(context.Background(), c, h, RollupInput{Table: "fin.gl lines", Value: "amount", By: []string{"Period"}})
	if err != nil {
		t.Fatal(err)
	}
	// Exact, written at the sums' scale (2); GM, a ratio, to ten decimals.
	want := map[string][]string{
		"NI":   {"-107.05", "-10.00"},
		"REV":  {"-150.10", "-10.00"},
		"COGS": {"43.05", "nil"},
		"STAT": {"12.00", "nil"},
		"GM":   {"71.3191205863", "100.00"},
	}
	if len(got.GroupKeys) != 2 || got.GroupKeys[0][0] != "P1" || got.GroupKeys[1][0] != "P2" {
		t.Fatalf("group keys %v", got.GroupKeys)
	}
	for _, l := range got.Lines {
		for g, w := range want[l.Code] {
			s := "nil"
			if l.Values[g] != nil {
				s = l.Values[g].String()
			}
			if s != w {
				t.Errorf("%s[%d] = %s, want %s", l.Code, g, s, w)
			}
		}
	}
	if p := got.Lines[0].PresentationValues[0]; p == nil || p.String() != "107.05" {
		t.Errorf("NI presentation %v", Fmtp(p))
	}
	// 41000 (width 5), 9xy1 and the NULL code are unmapped in P1.
	if u := got.Unmapped[0]; u.Rows != 3 || u.Amount.String() != "93.00" {
		t.Errorf("unmapped P1 = %+v", u)
	}
	if tot := got.SourceTotal[0]; tot.Rows != 8 || tot.Amount.String() != "-2.05" {
		t.Errorf("total P1 = %+v", tot)
	}
	if got.Lines[1].Depth != 1 || strings.Join(got.Lines[1].Path, "/") != "NI/REV" {
		t.Errorf("line 1 = %+v", got.Lines[1])
	}
	// No grouping: one group.
	got, err = Rollup(context.Background(), c, h, RollupInput{Table: "fin.gl lines", Value: "amount"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.GroupKeys) != 1 || Fmtp(got.Lines[0].Values[0]) != "-117.05" {
		t.Errorf("ungrouped: keys %v NI %s", got.GroupKeys, Fmtp(got.Lines[0].Values[0]))
	}
}

func TestRollupRefusesBrokenHierarchy(t *testing.T) {
	c := OpenDuckDB(t)
	h := &Hierarchy{ID: "x", Name: "X", Kind: KindCustom, Status: StatusDraft, SourceColumns: []string{"a"}, Nodes: []*Node{{Code: "A", Name: "A", Type: TypeLeaf, Parent: "nope"}}}
	if _, err := Rollup(context.Background(), c, h, RollupInput{Table: "t", Value: "v"}); err == nil || !strings.Contains(err.Error(), "structural") {
		t.Fatalf("err = %v", err)
	}
}
