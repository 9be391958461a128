package hierarchy_test

import (
	"context"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/dialect"
	. "github.com/databridge/databridge/pkg/hierarchy"
	. "github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/testenv"
)

// matchingOptions are the options the matching tests run under.
var matchingOptions = []Matching{
	{},
	{Case: CaseInsensitive},
	{Trim: true},
	{Case: CaseInsensitive, Trim: true},
}

// TestMatchingOptionOnEngines is issue 11's example with the option: the
// exact rule 'abc' over 'abc', 'ABC', 'Abc ' (1, 10, 100) gives 1
// without it and 111 case-insensitive and trimmed, on every engine, in
// the rollup and in validation.
func TestMatchingOptionOnEngines(t *testing.T) {
	facts := [][2]string{{"abc", "1"}, {"ABC", "10"}, {"Abc ", "100"}, {" aBc", "1000"}, {"ab", "10000"}}
	// want: A's value and the codes validation maps, per option.
	want := []struct{ a, mapped int }{{1, 1}, {11, 2}, {1, 1}, {1111, 4}}
	h := func(m Matching) *Hierarchy {
		x := &Hierarchy{ID: "ex", Name: "Exact", Kind: KindCustom, Status: StatusDraft, Version: 1, SourceColumns: []string{"account"}, Nodes: []*Node{
			{Code: "T", Name: "Total", Type: TypeRollup, Sort: 10},
			{Code: "A", Name: "abc", Parent: "T", Type: TypeLeaf, Sort: 10, Rules: []Rule{{Match: MatchExact, Value: "abc"}}},
		}}
		if m != (Matching{}) {
			x.Matching = &m
		}
		return x
	}
	for _, name := range Engines() {
		t.Run(name, func(t *testing.T) {
			e := OpenEngine(t, name)
			table := e.Table("match_facts")
			txt := dialect.TextType(e.Name)
			Exec(t, e.Conn, "CREATE TABLE "+table+" (account VARCHAR(20), amount DECIMAL(18,2))")
			for _, f := range facts {
				Exec(t, e.Conn, "INSERT INTO "+table+" (account, amount) VALUES (CAST("+dialect.Placeholder(e.Name, 1)+" AS "+txt+"), CAST("+dialect.Placeholder(e.Name, 2)+" AS DECIMAL(18,2)))", f[0], f[1])
			}
			sv, err := LoadSourceValues(context.Background(), e.Conn, table, "account", "amount")
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range matchingOptions {
				got, err := Rollup(context.Background(), e.Conn, h(m), RollupInput{Table: table, Value: "amount"})
				if err != nil {
					t.Fatal(err)
				}
				if s := Fmtp(got.Lines[1].Values[0]); s != strconv.Itoa(want[i].a) {
					t.Errorf("%s, %s: A = %s, want %d", name, m, s, want[i].a)
				}
				if rep := Validate(h(m), sv); rep.Mapped != want[i].mapped || rep.UnmappedCount != len(facts)-want[i].mapped {
					t.Errorf("%s, %s: validate mapped %d, unmapped %d; want %d mapped", name, m, rep.Mapped, rep.UnmappedCount, want[i].mapped)
				}
			}
		})
	}
}

// withMatching gives a random hierarchy one of the options, by seed.
func withMatching(g *Generated, seed int64) Matching {
	m := matchingOptions[seed%int64(len(matchingOptions))]
	g.H.Matching = &m
	return m
}

// TestResolverMatchingAgainstNaive: the Resolver (validate's matcher)
// agrees with the independent loop under every option, with codes in
// mixed case and with spaces.
func TestResolverMatchingAgainstNaive(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		g := RandHierarchyMixed(seed)
		m := withMatching(g, seed)
		r, err := NewResolver(g.H)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(seed))
		codes := append([]string{}, g.Pool...)
		for _, f := range RandFactsMixed(seed, g) {
			if f.Code != nil {
				codes = append(codes, *f.Code)
			}
		}
		for _, c := range g.Pool {
			codes = append(codes, strings.ToLower(c), " "+c+" ", strings.ToUpper(c)+" ")
		}
		for i := 0; i < 200; i++ {
			codes = append(codes, strings.Repeat(" ", rng.Intn(2))+strings.ToLower(RandCode(rng, 1+rng.Intn(6))))
		}
		for _, col := range []string{"account", "cost_center"} {
			for _, code := range codes {
				want, n := NaiveResolve(g.H, col, code)
				got := r.Resolve(col, code)
				if got.Leaf != want || got.Conflict != (n > 1) {
					t.Fatalf("seed %d (%s): Resolve(%s, %q) = %+v, want %s (%d candidates)", seed, m, col, code, got, want, n)
				}
			}
		}
	}
}

// TestRollupMatchingPropertyOnEngines checks the rollup against the
// reference under every option, with mixed-case, space-padded codes.
func TestRollupMatchingPropertyOnEngines(t *testing.T) {
	for _, name := range Engines() {
		t.Run(name, func(t *testing.T) {
			e := OpenEngine(t, name)
			seeds := int64(8)
			if name == dialect.DuckDB {
				seeds = 24
			}
			checkMixedSeeds(t, e, seeds, "match_mixed", func(g *Generated, seed int64) { withMatching(g, seed) })
		})
	}
}

// TestRollupMatchingSQLParses parses the rollup with the option on for
// the engines not run here.
func TestRollupMatchingSQLParses(t *testing.T) {
	python := testenv.VenvTool(t, "python")
	script := filepath.Join("..", "dialect", "testdata", "sqlglot_parse.py")
	dir := t.TempDir()
	g := RandHierarchyMixed(5)
	g.H.Matching = &Matching{Case: CaseInsensitive, Trim: true}
	for _, d := range []string{dialect.SQLServer, dialect.BigQuery, dialect.Databricks, dialect.Snowflake, dialect.MySQL, dialect.Postgres, dialect.DuckDB} {
		q, err := RollupSQL(d, g.H, RollupInput{Table: "fin.gl", Value: "amount", By: []string{"period"}})
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if !strings.Contains(q, "UPPER(TRIM(") {
			t.Errorf("%s: the option is not in the statement", d)
		}
		f := filepath.Join(dir, d+".sql")
		if err := os.WriteFile(f, []byte(q), 0o644); err != nil {
			t.Fatal(err)
		}
		glot := map[string]string{dialect.SQLServer: "tsql", dialect.Postgres: "postgres"}[d]
		if glot == "" {
			glot = d
		}
		out, err := exec.Command(python, script, glot, f).Output()
		if err != nil {
			t.Fatalf("sqlglot %s: %v\n%s", d, err, out)
		}
		if !strings.Contains(string(out), `"errors": {}`) {
			t.Errorf("sqlglot %s: %s", d, out)
		}
	}
}

// TestMatchingCheckedAndDropped: an unknown case is a structural error;
// an empty option is not stored.
func TestMatchingCheckedAndDropped(t *testing.T) {
	h := exactExample()
	h.Matching = &Matching{Case: "lower"}
	fs := CheckIntegrity(h)
	if len(fs) != 1 || fs[0].Code != "invalid_matching" {
		t.Fatalf("findings %+v", fs)
	}
	h.Matching = &Matching{}
	h.Normalize()
	if h.Matching != nil {
		t.Fatal("an empty option is kept")
	}
	if got := (Matching{Case: CaseInsensitive, Trim: true}).Key(" aBc "); got != "ABC" {
		t.Fatalf("Key = %q", got)
	}
}

// newProject makes an empty project in a temp folder.
func newProject(t *testing.T) *project.Project {
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

// TestServiceMatching: the option is set on create, changed field by
// field on update, checked, and stored in the YAML.
func TestServiceMatching(t *testing.T) {
	p := newProject(t)
	root := p.Root
	s := NewService(p)
	ctx := context.Background()
	if _, err := s.Create(ctx, CreateInput{Name: "Bad", Matching: &Matching{Case: "lower"}}); err == nil {
		t.Fatal("an unknown case is accepted")
	}
	h, err := s.Create(ctx, CreateInput{Name: "Acme", SourceColumns: []string{"account"}, Matching: &Matching{Case: CaseInsensitive}})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := s.Update(ctx, h.ID, UpdateInput{Matching: &MatchingUpdate{Trim: &yes}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(h.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.CodeMatching() != (Matching{Case: CaseInsensitive, Trim: true}) {
		t.Fatalf("matching %+v", got.Matching)
	}
	raw, err := os.ReadFile(filepath.Join(root, ".databridge", "hierarchies", h.ID+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "matching:\n  case: insensitive\n  trim: true\n") {
		t.Fatalf("yaml:\n%s", raw)
	}
	bad := CaseMatching("upper")
	if _, err := s.Update(ctx, h.ID, UpdateInput{Matching: &MatchingUpdate{Case: &bad}}); err == nil {
		t.Fatal("an unknown case is accepted on update")
	}
}

// TestServiceNormalisesConsolidation: the service takes the words for
// the consolidation operators from every caller.
func TestServiceNormalisesConsolidation(t *testing.T) {
	s := NewService(newProject(t))
	ctx := context.Background()
	h, err := s.Create(ctx, CreateInput{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.AddNode(ctx, h.ID, NodeInput{Code: "A", Type: TypeLeaf, Consolidation: " Minus "})
	if err != nil || r.Node.Consolidation != ConsolidateSubtract {
		t.Fatalf("add: %v %+v", err, r)
	}
	c := Consolidation("NONE")
	if r, err = s.UpdateNode(ctx, h.ID, "A", NodePatch{Consolidation: &c}); err != nil || r.Node.Consolidation != ConsolidateIgnore {
		t.Fatalf("update: %v %+v", err, r)
	}
	if _, err := s.AddNode(ctx, h.ID, NodeInput{Code: "B", Consolidation: "times"}); err == nil {
		t.Fatal("a bad word is accepted")
	}
}
