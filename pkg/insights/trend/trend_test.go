package trend

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/insights/seriesgen"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// TestGrowthByHand: 26 months, the fiscal year starting in April, the
// first observation in February (fiscal position 10), values 100, 101, …
// Observation t is 100+t. Fiscal years: t=2..13 (FY1), t=14..25 (FY2).
// The last month t=25 ends a fiscal year, so the last complete quarter is
// t=23..25 and the one before t=20..22.
func TestGrowthByHand(t *testing.T) {
	y := make([]float64, 26)
	for i := range y {
		y[i] = 100 + float64(i)
	}
	res, err := Analyze(y, Options{Season: 12, FirstPos: 10})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Growth
	check := func(name string, r *Rate, cur, prev float64, from, to int) {
		t.Helper()
		if r == nil || r.Rate == nil {
			t.Fatalf("%s: %+v, want a rate", name, r)
		}
		if !near(r.Current, cur) || !near(r.Previous, prev) || r.From != from || r.To != to || !near(*r.Rate, (cur-prev)/prev) {
			t.Errorf("%s: %+v (rate %v), want %v vs %v over %d..%d", name, *r, *r.Rate, cur, prev, from, to)
		}
	}
	check("MoM", g.MoM, 125, 124, 25, 26)
	check("QoQ", g.QoQ, 123+124+125, 120+121+122, 23, 26)
	// FY2 = Σ(114..125) = 1434, FY1 = Σ(102..113) = 1290.
	check("YoY", g.YoY, 1434, 1290, 14, 26)
	if g.CAGR == nil || g.CAGR.Rate == nil || g.CAGR.Years != 1 || !near(*g.CAGR.Rate, 1434.0/1290-1) {
		t.Errorf("CAGR: %+v, want 1434/1290 − 1 over 1 year", g.CAGR)
	}
	// One month more: the last quarter is still t=23..25, the last month t=26.
	res, _ = Analyze(append(y, 50), Options{Season: 12, FirstPos: 10})
	check("QoQ+1", res.Growth.QoQ, 123+124+125, 120+121+122, 23, 26)
	check("MoM+1", res.Growth.MoM, 50, 125, 26, 27)
	// Stocks take the period's last value.
	res, _ = Analyze(y, Options{Season: 12, FirstPos: 10, Stock: true})
	check("QoQ stock", res.Growth.QoQ, 125, 122, 23, 26)
	check("YoY stock", res.Growth.YoY, 125, 113, 14, 26)
}

func TestGrowthBases(t *testing.T) {
	// Three complete calendar years: −10 a month, then 5, then 20.
	var y []float64
	for _, v := range []float64{-10, 5, 20} {
		for range 12 {
			y = append(y, v)
		}
	}
	res, err := Analyze(y, Options{Season: 12})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Growth.CAGR; c == nil || c.Rate != nil || c.Years != 2 || !strings.Contains(c.Note, "negative base") {
		t.Errorf("CAGR from a negative year: %+v, want nil with a note", c)
	}
	if r := res.Growth.YoY; r == nil || r.Rate == nil || !near(*r.Rate, 3) {
		t.Errorf("YoY 60 → 240: %+v, want 3 (300%%)", r)
	}
	res, _ = Analyze(y[:24], Options{Season: 12})
	if r := res.Growth.YoY; r == nil || r.Rate != nil || r.Note == "" {
		t.Errorf("YoY from −120: %+v, want nil with a note", r)
	}
	if c := res.Growth.CAGR; c == nil || c.Rate != nil || c.Years != 1 {
		t.Errorf("CAGR over two years from a negative one: %+v, want nil with a note", c)
	}
	res, _ = Analyze(y[:23], Options{Season: 12})
	if res.Growth.CAGR != nil || res.Growth.YoY != nil {
		t.Errorf("23 months have one complete year: CAGR %+v, YoY %+v, want nil", res.Growth.CAGR, res.Growth.YoY)
	}
	res, _ = Analyze([]float64{0, 0, 0, 0}, Options{Season: 4})
	if r := res.Growth.QoQ; r == nil || r.Rate != nil {
		t.Errorf("QoQ from 0: %+v, want nil", r)
	}
	if res.Growth.MoM != nil {
		t.Errorf("no MoM on quarters: %+v", res.Growth.MoM)
	}
}

// TestSlopeCoverage: on noisy straight lines (seriesgen Linear, no
// anomalies) Sen's 95% interval covers the true slope about 95% of the
// time, with and without a fiscal seasonality to take out first.
func TestSlopeCoverage(t *testing.T) {
	for _, seasonal := range []bool{false, true} {
		cfg := seriesgen.Defaults()
		cfg.Seed, cfg.Count, cfg.Shapes = 7, 400, []seriesgen.Shape{seriesgen.Linear}
		cfg.SpikesPerYear, cfg.ShiftProb = 0, 0
		cfg.Growth = [2]float64{0, 0.5}
		season := 12
		if !seasonal {
			cfg.SeasonAmp, season = [2]float64{0, 0}, 1
		}
		if testing.Short() {
			cfg.Count = 150
		}
		series, err := seriesgen.Generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		covered, dirOK := 0, 0
		for _, s := range series {
			res, err := Analyze(s.Values, Options{Season: season, FirstPos: s.FirstPos})
			if err != nil {
				t.Fatal(err)
			}
			if res.Slope.Lower <= s.Slope && s.Slope <= res.Slope.Upper {
				covered++
			}
			want := Flat
			if res.Slope.Lower > 0 {
				want = Up
			} else if res.Slope.Upper < 0 {
				want = Down
			}
			if res.Direction == want {
				dirOK++
			}
		}
		cov := float64(covered) / float64(len(series))
		t.Logf("seasonal %v: the 95%% interval covers the true slope in %d of %d series (%.3f)", seasonal, covered, len(series), cov)
		if cov < 0.92 || cov > 0.99 {
			t.Errorf("seasonal %v: coverage %.3f, want about 0.95 (0.92–0.99)", seasonal, cov)
		}
		if dirOK != len(series) {
			t.Errorf("direction disagrees with the interval in %d series", len(series)-dirOK)
		}
	}
}

// TestChangePointsPlanted: a break planted in noisy seasonal series — a
// level shift of 6–10 noise SDs, found within 2 observations, or a change
// of slope of 0.8 noise SD a month, found within 4 — and series without
// one get none.
func TestChangePointsPlanted(t *testing.T) {
	count := 200
	if testing.Short() {
		count = 60
	}
	type tally struct{ found, spurious, clean, total int }
	results := map[string]*tally{"level": {}, "slope": {}, "none": {}}
	// A change of slope is placed less precisely than a jump: within 4.
	tol := map[string]int{"level": 2, "slope": 4}
	for i := range count {
		r := rand.New(rand.NewPCG(11, uint64(i)))
		n := 48 + r.IntN(73)
		sd := 10.0
		kind := []string{"level", "slope", "none"}[i%3]
		k := n/4 + r.IntN(n/2)
		season := make([]float64, 12)
		for p := range season {
			season[p] = 80 * math.Sin(2*math.Pi*float64(p)/12+float64(i))
		}
		y := make([]float64, n)
		slope := (r.Float64() - 0.5) * 4
		jump := sd * (6 + 4*r.Float64()) * float64(1-2*(i/3%2))
		for t := range y {
			v := 1000 + slope*float64(t) + season[t%12] + sd*r.NormFloat64()
			if t >= k {
				switch kind {
				case "level":
					v += jump
				case "slope":
					v += sd * 0.8 * float64(t-k+1) * float64(1-2*(i/3%2))
				}
			}
			y[t] = v
		}
		res, err := Analyze(y, Options{Season: 12})
		if err != nil {
			t.Fatal(err)
		}
		tl := results[kind]
		tl.total++
		hit := false
		for _, cp := range res.ChangePoints {
			if kind != "none" && cp.Index >= k-tol[kind] && cp.Index <= k+tol[kind] {
				hit = true
			} else {
				tl.spurious++
			}
		}
		if hit {
			tl.found++
		}
		if testing.Verbose() && (len(res.ChangePoints) != 1 || !hit) && kind != "none" {
			var at []string
			for _, cp := range res.ChangePoints {
				at = append(at, fmt.Sprintf("%d %s jump %.0f slopes %.1f→%.1f", cp.Index, cp.Kind, cp.Jump, cp.SlopeBefore, cp.SlopeAfter))
			}
			t.Logf("%s at %d (n=%d): %v", kind, k, n, at)
		}
		if len(res.ChangePoints) == 0 {
			tl.clean++
		}
	}
	for kind, tl := range results {
		t.Logf("%s: %d series, planted break found in %d, spurious change points %d, series with none %d", kind, tl.total, tl.found, tl.spurious, tl.clean)
	}
	for _, kind := range []string{"level", "slope"} {
		if tl := results[kind]; float64(tl.found) < 0.9*float64(tl.total) {
			t.Errorf("%s breaks found in %d of %d series, want at least 90%%", kind, tl.found, tl.total)
		}
	}
	for kind, tl := range results {
		if float64(tl.spurious) > 0.15*float64(tl.total) {
			t.Errorf("%s: %d spurious change points in %d series, want at most 15%%", kind, tl.spurious, tl.total)
		}
	}
	if tl := results["none"]; float64(tl.clean) < 0.9*float64(tl.total) {
		t.Errorf("series without a break: only %d of %d have no change point, want at least 90%%", tl.clean, tl.total)
	}
}

func TestShortAndDeterministic(t *testing.T) {
	res, err := Analyze([]float64{3, 5}, Options{Season: 12})
	if err != nil {
		t.Fatal(err)
	}
	if res.Direction != Flat || len(res.Notes) == 0 || res.Growth.MoM == nil || res.Growth.YoY != nil {
		t.Errorf("two observations: %+v", res)
	}
	y := make([]float64, 40)
	for i := range y {
		y[i] = float64(i%12) + 0.5*float64(i)
	}
	a, _ := Analyze(y, Options{Season: 12})
	b, _ := Analyze(y, Options{Season: 12})
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs differ")
	}
	if a.Direction != Up || !near(a.Slope.Estimate, 0.5) {
		t.Errorf("an exact line of slope 0.5 under a seasonality: direction %s, slope %+v", a.Direction, a.Slope)
	}
	if _, err := Analyze(nil, Options{}); err == nil {
		t.Error("an empty series must be an error")
	}
}

// TestOddShapes: any length, season and content gives an answer without a
// panic: an interval around its estimate, change points inside the series,
// growth ranges inside the series.
func TestOddShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for i := range 300 {
		n := 1 + r.IntN(70)
		season := []int{0, 1, 4, 7, 12}[r.IntN(5)]
		y := make([]float64, n)
		for j := range y {
			if r.IntN(3) == 0 && j > 0 {
				y[j] = y[j-1]
			} else {
				y[j] = 100 * r.NormFloat64()
			}
		}
		res, err := Analyze(y, Options{Season: season, FirstPos: r.IntN(13) - 6, Stock: r.IntN(2) == 0})
		if err != nil {
			t.Fatalf("case %d (n=%d, season %d): %v", i, n, season, err)
		}
		if n >= 3 && !(res.Slope.Lower <= res.Slope.Estimate && res.Slope.Estimate <= res.Slope.Upper) {
			t.Fatalf("case %d: slope %+v", i, res.Slope)
		}
		for _, cp := range res.ChangePoints {
			if cp.Index <= 0 || cp.Index >= n {
				t.Fatalf("case %d: change point %+v", i, cp)
			}
		}
		for _, rt := range []*Rate{res.Growth.MoM, res.Growth.QoQ, res.Growth.YoY} {
			if rt != nil && (rt.PrevFrom < 0 || rt.To > n || rt.From >= rt.To || rt.PrevTo != rt.From) {
				t.Fatalf("case %d (n=%d, season %d): rate %+v", i, n, season, *rt)
			}
		}
	}
}
