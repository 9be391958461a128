package hierarchy

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchPL builds a ~500-node P&L over 6-character account codes: 4 roots
// (revenue, cost of sales, operating expenses, other), 80 rollups, 400
// leaves (mostly ranges of 1000 accounts, some prefixes, lists, patterns,
// exclusions and precedence overrides) and formula lines.
func benchPL() *Hierarchy {
	h := &Hierarchy{ID: "pl", Name: "P&L", Kind: KindIncomeStatement, Version: 1, Status: StatusDraft, SourceColumns: []string{"account"}}
	add := func(n *Node) {
		n.Name = "Node " + n.Code
		n.Sort = len(h.Nodes)
		h.Nodes = append(h.Nodes, n)
	}
	roots := []string{"REV", "COGS", "OPEX", "OTHER"}
	for i, r := range roots {
		add(&Node{Code: r, Type: TypeRollup, Consolidation: []Consolidation{"+", "-", "-", "+"}[i], FlipSign: i == 0})
	}
	for g := 0; g < 80; g++ {
		add(&Node{Code: fmt.Sprintf("G%d", g), Parent: roots[g%4], Type: TypeRollup, Consolidation: []Consolidation{"+", "+", "-", "~"}[g%4]})
	}
	for l := 0; l < 400; l++ {
		block := fmt.Sprintf("%03d", 100+l) // accounts block000..block999
		n := &Node{Code: fmt.Sprintf("A%d", l), Parent: fmt.Sprintf("G%d", l%80), Type: TypeLeaf}
		switch l % 10 {
		case 0, 1, 2, 3, 4:
			n.Rules = []Rule{{Match: MatchRange, From: block + "000", To: block + "999"}}
		case 5:
			n.Rules = []Rule{{Match: MatchRange, From: block + "000", To: block + "999"}, {Match: MatchPrefix, Value: block + "5", Exclude: true}}
		case 6:
			n.Rules = []Rule{{Match: MatchPrefix, Value: block}}
		case 7:
			n.Rules = []Rule{{Match: MatchList, Values: []string{block + "000", block + "010", block + "020"}}, {Match: MatchRange, From: block + "030", To: block + "999"}}
		case 8:
			n.Rules = []Rule{{Match: MatchPattern, Value: block + "?*"}}
		case 9:
			n.Rules = []Rule{{Match: MatchRange, From: block + "000", To: block + "999"}, {Match: MatchExact, Value: fmt.Sprintf("%03d777", 100+l-1), Precedence: 0}, {Match: MatchRange, From: block + "900", To: block + "999", Exclude: true}}
		}
		add(n)
	}
	add(&Node{Code: "GP", Type: TypeFormula, Formula: &Formula{Expression: "REV - COGS"}})
	add(&Node{Code: "EBIT", Type: TypeFormula, Formula: &Formula{Expression: "GP - OPEX"}})
	add(&Node{Code: "NI", Type: TypeFormula, Formula: &Formula{Expression: "EBIT + OTHER"}})
	add(&Node{Code: "GM", Type: TypeFormula, Formula: &Formula{Expression: "GP / REV * 100", Nulls: NullSkip}})
	for len(h.Nodes) < 500 {
		add(&Node{Code: fmt.Sprintf("K%d", len(h.Nodes)), Type: TypeFormula, Formula: &Formula{Expression: fmt.Sprintf("G%d / G%d", len(h.Nodes)%80, (len(h.Nodes)+1)%80)}})
	}
	return h
}

// BenchmarkRollup10M: 10,000,000 fact rows generated inside DuckDB (50,000
// distinct 6-character accounts, 12 periods, 5 entities, DECIMAL(18,2)
// amounts) rolled up by period and entity through a 500-node P&L (400
// leaves, ~500 rules); one Rollup call per op.
func BenchmarkRollup10M(b *testing.B) {
	c := openRollupDuck(b)
	t0 := time.Now()
	rollupExec(b, c, `CREATE TABLE facts AS
		SELECT CAST(100000 + ((i * 7919) % 50000) * 10 AS VARCHAR) AS account,
		       'P' || CAST(i % 12 AS VARCHAR) AS period,
		       'E' || CAST(i % 5 AS VARCHAR) AS entity,
		       CAST(((i * 31) % 200000 - 100000) / 100.0 AS DECIMAL(18,2)) AS amount
		FROM range(10000000) t(i)`)
	b.Logf("generated 10M rows in %s", time.Since(t0))
	h := benchPL()
	if fs := CheckIntegrity(h); len(fs) > 0 {
		b.Fatal(fs)
	}
	in := RollupInput{Table: "facts", Value: "amount", By: []string{"period", "entity"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Rollup(context.Background(), c, h, in)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.GroupKeys) != 60 || len(res.Lines) != 500 {
			b.Fatalf("%d groups, %d lines", len(res.GroupKeys), len(res.Lines))
		}
		var rows int64
		for _, t := range res.SourceTotal {
			rows += t.Rows
		}
		if rows != 10_000_000 {
			b.Fatalf("%d rows", rows)
		}
	}
}
