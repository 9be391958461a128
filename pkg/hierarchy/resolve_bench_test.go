package hierarchy

import (
	"fmt"
	"math/rand"
	"runtime"
	"testing"
	"time"
)

// benchHierarchy builds a chart of about nodes nodes: one root, rollups with
// up to 10 children each, and leaves (half of the nodes) whose rules mix
// ranges (8-character account codes, each leaf owning a block of 1000),
// prefixes, lists, exact values, patterns (a few without a literal head) and
// exclusions, plus formula lines.
func benchHierarchy(nodes int) *Hierarchy {
	rng := rand.New(rand.NewSource(42))
	h := &Hierarchy{ID: "bench", Name: "Bench", Kind: KindIncomeStatement, Version: 1, Status: StatusDraft, SourceColumns: []string{"account"}}
	add := func(n *Node) {
		n.Name = "Node " + n.Code
		n.Sort = len(h.Nodes)
		h.Nodes = append(h.Nodes, n)
	}
	add(&Node{Code: "R0", Type: TypeRollup})
	rollups := []string{"R0"}
	nRollups := nodes/2 - 100
	for i := 1; i < nRollups; i++ {
		code := fmt.Sprintf("R%d", i)
		add(&Node{Code: code, Parent: rollups[(i-1)/10], Type: TypeRollup, Consolidation: []Consolidation{"+", "+", "+", "-"}[rng.Intn(4)]})
		rollups = append(rollups, code)
	}
	nLeaves := nodes - len(h.Nodes) - 100
	for i := 0; i < nLeaves; i++ {
		block := fmt.Sprintf("%05d", i) // the leaf's codes: block000..block999
		n := &Node{Code: fmt.Sprintf("L%d", i), Parent: rollups[len(rollups)/2+i%(len(rollups)-len(rollups)/2)], Type: TypeLeaf}
		switch x := rng.Intn(100); {
		case x < 40:
			n.Rules = []Rule{{Match: MatchRange, From: block + "000", To: block + "999"}}
		case x < 50:
			n.Rules = []Rule{{Match: MatchRange, From: block + "000", To: block + "999"}, {Match: MatchExact, Value: block + "500", Exclude: true}}
		case x < 70:
			n.Rules = []Rule{{Match: MatchPrefix, Value: block}}
		case x < 80:
			n.Rules = []Rule{{Match: MatchList, Values: []string{block + "000", block + "050", block + "100", block + "150"}}, {Match: MatchRange, From: block + "200", To: block + "999"}}
		case x < 85:
			n.Rules = []Rule{{Match: MatchExact, Value: block + "000"}, {Match: MatchPrefix, Value: block + "1"}, {Match: MatchPrefix, Value: block + "2"}, {Match: MatchRange, From: block + "3000", To: block + "9999"}}
		case x < 95:
			n.Rules = []Rule{{Match: MatchPattern, Value: block + "?*"}}
		default:
			n.Rules = []Rule{{Match: MatchRange, From: block + "000", To: block + "999"}, {Match: MatchExact, Value: block + "777", Precedence: 2}}
		}
		add(n)
	}
	// Patterns without a literal head: every code is tried against them.
	for i := 0; len(h.Nodes) < nodes-80; i++ {
		add(&Node{Code: fmt.Sprintf("W%d", i), Parent: "R0", Type: TypeLeaf, Rules: []Rule{{Match: MatchPattern, Value: fmt.Sprintf("*-%02d", i)}}})
	}
	for i := 0; len(h.Nodes) < nodes; i++ {
		add(&Node{Code: fmt.Sprintf("F%d", i), Type: TypeFormula, Formula: &Formula{Expression: fmt.Sprintf("R%d - R%d / 2", 1+rng.Intn(nRollups-1), 1+rng.Intn(nRollups-1))}})
	}
	return h
}

// benchCodes returns n distinct 8-character codes spread over the leaves'
// blocks, one in ten of them outside every rule (9 characters).
func benchCodes(n, leaves int) []string {
	out := make([]string, 0, n)
	step := leaves * 1000 / (n * 9 / 10)
	for i := 0; len(out) < n*9/10; i++ {
		out = append(out, fmt.Sprintf("%08d", i*step))
	}
	for i := 0; len(out) < n; i++ {
		out = append(out, fmt.Sprintf("9%08d", i))
	}
	return out
}

// BenchmarkLoadValidateResolve: a 100,000-node hierarchy (~50,000 leaves,
// ~50,000 rollups, 100 formulas, ~75,000 rules) is parsed from YAML,
// checked with CheckIntegrity, compiled with NewResolver, and 1,000,000
// distinct codes are resolved on one goroutine.
func BenchmarkLoadValidateResolve(b *testing.B) {
	h := benchHierarchy(100_000)
	data, err := Marshal(h)
	if err != nil {
		b.Fatal(err)
	}
	leaves := 0
	for _, n := range h.Nodes {
		if n.Type == TypeLeaf {
			leaves++
		}
	}
	codes := benchCodes(1_000_000, leaves)
	b.ReportAllocs()
	b.ResetTimer()
	var parse, check, compile, resolve time.Duration
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		hh, err := Parse("bench.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if fs := CheckIntegrity(hh); len(fs) > 0 {
			b.Fatal(fs[0])
		}
		t2 := time.Now()
		r, err := NewResolver(hh)
		if err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		mapped := 0
		for _, c := range codes {
			if r.Resolve("account", c).Mapped() {
				mapped++
			}
		}
		t4 := time.Now()
		if mapped < len(codes)*8/10 || mapped > len(codes)*9/10 {
			b.Fatalf("mapped %d of %d", mapped, len(codes))
		}
		parse += t1.Sub(t0)
		check += t2.Sub(t1)
		compile += t3.Sub(t2)
		resolve += t4.Sub(t3)
	}
	runtime.ReadMemStats(&ms1)
	n := float64(b.N)
	b.ReportMetric(float64(len(codes))*n/resolve.Seconds(), "codes/s")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/n/(1<<20), "allocMiB/op")
	b.ReportMetric(float64(parse.Milliseconds())/n, "parse-ms/op")
	b.ReportMetric(float64(check.Milliseconds())/n, "integrity-ms/op")
	b.ReportMetric(float64(compile.Milliseconds())/n, "compile-ms/op")
	b.ReportMetric(float64(resolve.Milliseconds())/n, "resolve-ms/op")
}
