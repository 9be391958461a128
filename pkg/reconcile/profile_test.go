package reconcile

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/databridge/databridge/pkg/semantic"
)

// TestProfileEngines: the pushed-down profile of load_v1 on every engine:
// counts, the numeric sketch, mean and quantiles of 1..200, and the saved
// file.
func TestProfileEngines(t *testing.T) {
	ctx := context.Background()
	for _, e := range matchEngines(t) {
		t.Run(e.Engine, func(t *testing.T) {
			p, err := e.Svc.Profile(ctx, ProfileInput{Table: e.Ref("load_v1"), Save: "v1_" + e.Engine})
			if err != nil {
				t.Fatal(err)
			}
			if p.Rows != 200 || len(p.Columns) != 4 {
				t.Fatalf("rows %d columns %d", p.Rows, len(p.Columns))
			}
			amt := p.Column("amount")
			if amt == nil || amt.Mean == nil || math.Abs(*amt.Mean-100.5) > 1e-9 || len(amt.Sketch) != 100 {
				t.Fatalf("amount %+v", amt)
			}
			for _, q := range amt.Quantiles {
				// Tiles of two values each: the p-quantile is the largest
				// value of the tile reaching p·200 values.
				if want := math.Ceil(q.P*200/2) * 2; q.Value != want {
					t.Errorf("q%.2f = %v, want %v", q.P, q.Value, want)
				}
			}
			reg := p.Column("region")
			if reg.Distinct != 4 || reg.Nulls != 0 || len(reg.Top) != 4 || reg.Top[0].Count != 50 {
				t.Errorf("region %+v", reg.ColumnProfile)
			}
			if _, err := os.Stat(filepath.Join(e.Svc.Project.Dir, "reconcile", "profiles", "v1_"+e.Engine+".json")); err != nil {
				t.Error(err)
			}
			back, err := e.Svc.LoadProfile("v1_" + e.Engine)
			if err != nil || back.Rows != 200 || len(back.Column("amount").Sketch) != 100 {
				t.Fatalf("load: %v %+v", err, back)
			}
		})
	}
}

// TestDriftEngines: load_v2 against load_v1's saved profile: a column
// added and one removed, 30% more rows, amounts shifted (KS), 10% NULL
// amounts, regions dominated by one (PSI); a table against itself does not
// drift.
func TestDriftEngines(t *testing.T) {
	ctx := context.Background()
	for _, e := range matchEngines(t) {
		t.Run(e.Engine, func(t *testing.T) {
			if _, err := e.Svc.Profile(ctx, ProfileInput{Table: e.Ref("load_v1"), Save: "v1"}); err != nil {
				t.Fatal(err)
			}
			r, err := e.Svc.Drift(ctx, DriftInput{Table: e.Ref("load_v2"), Against: "v1"})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Drifted {
				t.Fatal("no drift")
			}
			changes := map[string]string{}
			for _, c := range r.Schema {
				changes[c.Column] = c.Change
			}
			if len(changes) != 2 || changes["note"] != "removed" || changes["channel"] != "added" {
				t.Errorf("schema %+v", r.Schema)
			}
			got := map[string]DriftMeasure{}
			for _, m := range r.Measures {
				got[m.Column+"/"+m.Measure] = m
			}
			if m := got["/volume"]; !m.Drifted || math.Abs(m.Value-0.3) > 1e-9 {
				t.Errorf("volume %+v", m)
			}
			if m := got["amount/null_rate"]; !m.Drifted || math.Abs(m.Value-0.1) > 1e-9 {
				t.Errorf("null rate %+v", m)
			}
			// The sketches' D is within a tile (≤ 3 values of 234) of the
			// exact D of the two columns' values.
			if m := got["amount/ks"]; !m.Drifted || math.Abs(m.Value-exactKSLoads()) > 3.0/234 {
				t.Errorf("ks %+v, exact D %v", m, exactKSLoads())
			}
			if m := got["region/psi"]; !m.Drifted {
				t.Errorf("psi %+v", m)
			}
			if m := got["id/ks"]; !m.Drifted {
				t.Errorf("id ks %+v", m)
			}
			// Against itself (a dataset, profiled now): no drift.
			same, err := e.Svc.Drift(ctx, DriftInput{Table: e.Ref("load_v1"), Against: e.Ref("load_v1")})
			if err != nil {
				t.Fatal(err)
			}
			if same.Drifted {
				t.Errorf("self drift: %v", same.Reasons)
			}
		})
	}
}

// TestDriftAcrossEngines: DuckDB's load_v1 against PostgreSQL's: the same
// data on two engines has no drift (types compared by family).
func TestDriftAcrossEngines(t *testing.T) {
	envs := matchEngines(t)
	if len(envs) < 2 {
		t.Skip("needs a second engine")
	}
	r, err := envs[0].Svc.Drift(context.Background(), DriftInput{Table: envs[0].Ref("load_v1"), Against: envs[1].Ref("load_v1")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Drifted {
		t.Errorf("%s vs %s drifted: %v", envs[0].Engine, envs[1].Engine, r.Reasons)
	}
}

func TestPSIAndKS(t *testing.T) {
	same := []ProfileBucket{{1, 10}, {2, 10}, {3, 10}}
	if d := sketchKS(same, same); d != 0 {
		t.Errorf("KS same %v", d)
	}
	if d := sketchKS([]ProfileBucket{{1, 10}}, []ProfileBucket{{5, 10}}); d != 1 {
		t.Errorf("KS apart %v", d)
	}
	a := ProfileColumn{}
	a.Rows, a.Top = 100, nil
	b := a
	if p := topPSI(a, b); p != 0 {
		t.Errorf("PSI empty %v", p)
	}
	// 50/50 → 90/10: PSI = 0.4·ln(0.9/0.5) + (−0.4)·ln(0.1/0.5).
	a.ColumnProfile.Top = append(a.ColumnProfile.Top, topValue("x", 50), topValue("y", 50))
	b.ColumnProfile.Top = append(b.ColumnProfile.Top[:0:0], topValue("x", 90), topValue("y", 10))
	want := 0.4*math.Log(0.9/0.5) - 0.4*math.Log(0.1/0.5)
	if p := topPSI(a, b); math.Abs(p-want) > 1e-12 {
		t.Errorf("PSI %v, want %v", p, want)
	}
}

func topValue(v string, n int64) semantic.TopValue { return semantic.TopValue{Value: v, Count: n} }

// exactKSLoads is the exact two-sample KS D of load_v1.amount and
// load_v2.amount (see matchLoads), from every value.
func exactKSLoads() float64 {
	var a, b []float64
	for i := 1; i <= 200; i++ {
		a = append(a, float64(i))
	}
	for i := 1; i <= 260; i++ {
		if i%10 != 0 {
			b = append(b, float64(100+i)+0.5)
		}
	}
	cdf := func(xs []float64, x float64) float64 {
		n := 0
		for _, v := range xs {
			if v <= x {
				n++
			}
		}
		return float64(n) / float64(len(xs))
	}
	d := 0.0
	for _, x := range append(append([]float64{}, a...), b...) {
		d = math.Max(d, math.Abs(cdf(a, x)-cdf(b, x)))
	}
	return d
}
