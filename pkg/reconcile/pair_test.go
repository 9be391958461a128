package reconcile

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPairEngines: the bank statement against the ledger on every engine:
// exact pairs, a pair within the tolerance, two equal amounts told apart
// by their dates, a payment settling three invoices (--many), and the rest
// unpaired.
func TestPairEngines(t *testing.T) {
	ctx := context.Background()
	for _, e := range matchEngines(t) {
		t.Run(e.Engine, func(t *testing.T) {
			in := PairInput{Left: e.Ref("bank"), Right: e.Ref("ledger"), On: "amount:abs:0.01", Within: "booked=posted:3d",
				Also: "memo=reference~fuzzy", Many: true}
			r, err := e.Svc.Pair(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{} // bank id → ledger entries
			for _, p := range r.Pairings {
				for _, it := range p.Right {
					got[p.Left[0].Values["id"]] = append(got[p.Left[0].Values["id"]], it.Values["entry"])
				}
			}
			want := map[string][]string{"1": {"10"}, "2": {"11"}, "3": {"12"}, "4": {"14"}, "5": {"13"}, "6": {"15", "16", "17"}}
			for id, w := range want {
				if len(got[id]) != len(w) {
					t.Errorf("bank %s paired with %v, want %v", id, got[id], w)
					continue
				}
				for i := range w {
					if got[id][i] != w[i] {
						t.Errorf("bank %s paired with %v, want %v", id, got[id], w)
					}
				}
			}
			if len(r.UnpairedLeft) != 1 || r.UnpairedLeft[0].Values["id"] != "7" || len(r.UnpairedRight) != 1 || r.UnpairedRight[0].Values["entry"] != "18" {
				t.Errorf("unpaired %+v / %+v", r.UnpairedLeft, r.UnpairedRight)
			}
			sm := r.Summary
			if r.Agree || sm.Pairings != 6 || sm.OneToMany != 1 || sm.LeftTotal != "4427.44" || sm.RightTotal != "4391.75" ||
				sm.UnpairedLeftTotal != "77.70" || sm.UnpairedRightTotal != "42.00" {
				t.Errorf("summary %+v agree %v", sm, r.Agree)
			}
			for _, p := range r.Pairings {
				if p.Left[0].Values["id"] == "3" && (p.AmountDiff != "-0.01" || p.Left[0].Values["amount"] != "999.99" || p.Right[0].Values["amount"] != "1000.00") {
					t.Errorf("contoso diff %s", p.AmountDiff)
				}
				if p.Left[0].Values["id"] == "2" && p.Days != 2 {
					t.Errorf("northwind days %d", p.Days)
				}
				if p.ReferenceScore == nil {
					t.Errorf("no reference score: %+v", p)
				}
			}
			// Exact amounts, no --many: Contoso and Müller stay unpaired.
			r2, err := e.Svc.Pair(ctx, PairInput{Left: e.Ref("bank"), Right: e.Ref("ledger"), On: "amount", Within: "booked=posted:3d"})
			if err != nil {
				t.Fatal(err)
			}
			if r2.Summary.Pairings != 4 || r2.Summary.UnpairedLeft != 3 || r2.Summary.UnpairedRight != 5 {
				t.Errorf("exact: %+v", r2.Summary)
			}
		})
	}
}

func TestPairRulesRefused(t *testing.T) {
	for _, in := range []PairInput{
		{On: ""}, {On: "amount:abs:x"}, {On: "amount:abs:-1"}, {On: "amount", Within: "date"}, {On: "amount", Within: "date:xd"},
		{On: "amount", Also: "ref~exact"}, {On: "amount", Also: "ref~fuzzy:200"},
	} {
		if _, _, _, _, err := parsePairRules(in); err == nil {
			t.Errorf("%+v: no error", in)
		}
	}
}

// TestPairOptimalNotGreedy: where the cheapest pair would block a second
// pair, the optimal pairing keeps both.
func TestPairOptimalNotGreedy(t *testing.T) {
	edges := []pairEdge{{l: 0, r: 0, cost: 0}, {l: 0, r: 1, cost: 0.5}, {l: 1, r: 0, cost: 0.1}}
	if g := pairGreedy(edges); len(g) != 1 {
		t.Fatalf("greedy %v", g)
	}
	got := pairOneToOne(2, 2, edges)
	if len(got) != 2 || got[0].edge.r != 1 || got[1].edge.r != 0 {
		t.Fatalf("optimal %+v", got)
	}
}

// TestHungarianAgainstBruteForce: the assignment's cost equals the best
// over every permutation on random matrices.
func TestHungarianAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(5)
		m := n + rng.IntN(3)
		cost := make([][]float64, n)
		for i := range cost {
			cost[i] = make([]float64, m)
			for j := range cost[i] {
				cost[i][j] = float64(rng.IntN(20))
			}
		}
		assign := hungarian(cost)
		got, seen := 0.0, map[int]bool{}
		for i, j := range assign {
			if seen[j] {
				t.Fatalf("column %d twice", j)
			}
			seen[j] = true
			got += cost[i][j]
		}
		best := math.Inf(1)
		var rec func(i int, used []bool, sum float64)
		rec = func(i int, used []bool, sum float64) {
			if i == n {
				best = math.Min(best, sum)
				return
			}
			for j := 0; j < m; j++ {
				if !used[j] {
					used[j] = true
					rec(i+1, used, sum+cost[i][j])
					used[j] = false
				}
			}
		}
		rec(0, make([]bool, m), 0)
		if got != best {
			t.Fatalf("%v: hungarian %v, best %v", cost, got, best)
		}
	}
}

// TestPairLargeComponentGreedy: a component above pairMaxComponent items
// a side is paired greedily by cost, and says so.
func TestPairLargeComponentGreedy(t *testing.T) {
	n := pairMaxComponent + 1
	var edges []pairEdge
	for l := 0; l < n; l++ {
		for r := 0; r < n; r++ {
			edges = append(edges, pairEdge{l: l, r: r, cost: float64((l-r)*(l-r)) / float64(n*n)})
		}
	}
	got := pairOneToOne(n, n, edges)
	if len(got) != n {
		t.Fatalf("%d pairs of %d", len(got), n)
	}
	for _, p := range got {
		if p.method != "greedy" || p.edge.l != p.edge.r {
			t.Fatalf("pair %+v", p)
		}
	}
}
