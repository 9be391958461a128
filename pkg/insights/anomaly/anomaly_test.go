package anomaly

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestLocalPolyExact(t *testing.T) {
	xs := []float64{1, 2, 4, 5, 7}
	ws := []float64{1, 0.5, 1, 2, 1}
	quad := func(x float64) float64 { return 3 - 2*x + 0.5*x*x }
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = quad(x)
	}
	p, v, ok := localPoly(xs, ys, ws, 2, 3)
	if !ok || math.Abs(p-quad(3)) > 1e-9 {
		t.Fatalf("quadratic at 3: got %v (ok %v), want %v", p, ok, quad(3))
	}
	if v <= 0 {
		t.Fatalf("variance factor %v, want > 0", v)
	}
	// Unweighted straight line through 4 points, predicting at the mean:
	// the variance factor of a mean of 4 is 1/4.
	lx, ly, one := []float64{0, 1, 2, 3}, []float64{1, 3, 5, 7}, []float64{1, 1, 1, 1}
	p, v, ok = localPoly(lx, ly, one, 1, 1.5)
	if !ok || math.Abs(p-4) > 1e-12 || math.Abs(v-0.25) > 1e-12 {
		t.Fatalf("line at 1.5: got %v, %v (ok %v), want 4, 0.25", p, v, ok)
	}
	if _, _, ok := localPoly([]float64{1, 1, 1}, []float64{1, 2, 3}, one[:3], 1, 0); ok {
		t.Fatal("a line through points with one x must be singular")
	}
}

// planted builds 6 years of a seasonal series with a trend and Gaussian
// noise (sd 10), a spike of +80 at 30 and a level shift of −90 from 50.
func planted(seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	season := []float64{-120, -80, -20, 30, 60, 100, 90, 40, 0, -30, -50, -20}
	y := make([]float64, 72)
	for t := range y {
		y[t] = 1000 + 2*float64(t) + season[(t+3)%12] + 10*r.NormFloat64()
		if t >= 50 {
			y[t] -= 90
		}
	}
	y[30] += 80
	return y
}

func TestDetectPlanted(t *testing.T) {
	found := 0
	for seed := range uint64(20) {
		y := planted(seed)
		res, err := Detect(y, Options{Season: 12, FirstPos: 3})
		if err != nil {
			t.Fatal(err)
		}
		for i := range y {
			if d := res.Trend[i] + res.Seasonal[i] + res.Residual[i] - y[i]; math.Abs(d) > 1e-9 {
				t.Fatalf("seed %d: trend+seasonal+residual differs from the series at %d by %g", seed, i, d)
			}
		}
		var spike, shift *Finding
		for i, f := range res.Findings {
			switch {
			case f.Index == 30 && f.Kind == Spike:
				spike = &res.Findings[i]
			case f.Index == 50 && f.Kind == LevelShift:
				shift = &res.Findings[i]
			}
		}
		if spike == nil || shift == nil {
			t.Logf("seed %d: spike %v, shift %v in %+v", seed, spike != nil, shift != nil, res.Findings)
			continue
		}
		found++
		if spike.Direction != "up" || math.Abs(spike.Deviation-80) > 40 || spike.Score <= res.Threshold {
			t.Errorf("seed %d: spike %+v: want up, deviation near 80", seed, *spike)
		}
		if shift.Direction != "down" || math.Abs(shift.Deviation+90) > 40 || shift.Score >= -res.ShiftThreshold {
			t.Errorf("seed %d: level shift %+v: want down, deviation near −90", seed, *shift)
		}
		// The seasonal effects are recovered within a few noise SDs.
		want := []float64{-120, -80, -20, 30, 60, 100, 90, 40, 0, -30, -50, -20}
		for p := range 12 {
			if got := res.SeasonalByPos[p]; math.Abs(got-want[p]) > 25 {
				t.Errorf("seed %d: seasonal at position %d = %.1f, want %v", seed, p, got, want[p])
			}
		}
	}
	if found < 18 {
		t.Fatalf("the planted spike and level shift were both found in %d of 20 seeds, want at least 18", found)
	}
}

func TestDetectDeterministic(t *testing.T) {
	y := planted(3)
	a, _ := Detect(y, Options{Season: 12, FirstPos: 3})
	b, _ := Detect(y, Options{Season: 12, FirstPos: 3})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs on the same series differ")
	}
}

func TestDetectShortAndFlat(t *testing.T) {
	y := planted(1)
	res, err := Detect(y[:20], Options{Season: 12})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "two full seasons") {
		t.Fatalf("20 monthly observations: findings %v, notes %q; want none and a note", res.Findings, res.Notes)
	}
	res, _ = Detect([]float64{1, 2, 30, 4, 5}, Options{})
	if len(res.Findings) != 0 || len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "at least 8") {
		t.Fatalf("5 observations: findings %v, notes %q; want none and a note", res.Findings, res.Notes)
	}
	res, _ = Detect([]float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, Options{})
	if len(res.Findings) != 0 || len(res.Notes) == 0 {
		t.Fatalf("a constant series: findings %v, notes %q; want none and a note", res.Findings, res.Notes)
	}
	// Without seasonality a short spiky series still gets its spike.
	flat := []float64{100, 101, 99, 100, 102, 98, 100, 160, 101, 99, 100, 100, 101, 99}
	res, _ = Detect(flat, Options{})
	if len(res.Findings) != 1 || res.Findings[0].Index != 7 || res.Findings[0].Kind != Spike {
		t.Fatalf("findings %+v, want one spike at 7", res.Findings)
	}
	if _, err := Detect([]float64{1, math.NaN(), 3}, Options{}); err == nil || !strings.Contains(err.Error(), "observation 1") {
		t.Fatalf("NaN: err %v, want one naming observation 1", err)
	}
}

func TestContributions(t *testing.T) {
	// Three regions; the total's spike at 30 comes from north (+80), its
	// level shift at 50 from south (−90).
	r := rand.New(rand.NewPCG(9, 9))
	base := planted(5)
	north, south, west := make([]float64, 72), make([]float64, 72), make([]float64, 72)
	for t := range base {
		clean := base[t]
		if t == 30 {
			clean -= 80
		}
		if t >= 50 {
			clean += 90
		}
		north[t] = clean*0.5 + 4*r.NormFloat64()
		south[t] = clean*0.3 + 4*r.NormFloat64()
		west[t] = clean*0.2 + 4*r.NormFloat64()
	}
	north[30] += 80
	for t := 50; t < 72; t++ {
		south[t] -= 90
	}
	total := make([]float64, 72)
	for t := range total {
		total[t] = north[t] + south[t] + west[t]
	}
	opt := Options{Season: 12, FirstPos: 3}
	res, err := Detect(total, opt)
	if err != nil {
		t.Fatal(err)
	}
	members := []Member{{"west", west}, {"south", south}, {"north", north}}
	for _, f := range res.Findings {
		cs, err := Contributions(members, f, opt)
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		for _, c := range cs {
			sum += c.Share
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("shares add up to %v, want 1", sum)
		}
		switch {
		case f.Index == 30 && f.Kind == Spike:
			if cs[0].Name != "north" || cs[0].Share < 0.7 || math.Abs(cs[0].Deviation-80) > 30 {
				t.Errorf("spike at 30: %+v; want north first with most of it", cs)
			}
		case f.Index == 50 && f.Kind == LevelShift:
			if cs[0].Name != "south" || cs[0].Share < 0.7 || math.Abs(cs[0].Deviation+90) > 30 {
				t.Errorf("level shift at 50: %+v; want south first with most of it", cs)
			}
		}
	}
	if _, err := Contributions([]Member{{"short", []float64{1, 2}}}, Finding{Index: 5}, opt); err == nil {
		t.Error("a member without the finding's index must be an error")
	}
	ranked := Rank([]Contribution{{Name: "b", Deviation: -10}, {Name: "a", Deviation: 30}, {Name: "c", Deviation: 30}})
	if ranked[0].Name != "a" || ranked[1].Name != "c" || ranked[2].Name != "b" || math.Abs(ranked[0].Share-0.6) > 1e-12 || math.Abs(ranked[2].Share+0.2) > 1e-12 {
		t.Errorf("Rank: %+v", ranked)
	}
}

// TestMultiplicative: a series tripling over six years whose seasonal
// swings grow with it (±30% of the level) and whose noise is 2% of it,
// with a spike of +20% at 50. Read multiplicatively, the spike is found
// and little else (as on clean series); read additively, the growing swings leave residual
// seasonality that shows as false findings.
func TestMultiplicative(t *testing.T) {
	season := []float64{-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.2, 0.1, 0, -0.1, -0.2}
	var multFalse, addFalse, found int
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 21))
		y := make([]float64, 72)
		for i := range y {
			level := 1000 * math.Pow(3, float64(i)/71)
			y[i] = level * (1 + season[i%12]) * (1 + 0.02*r.NormFloat64())
		}
		y[50] *= 1.2
		for _, mult := range []bool{true, false} {
			res, err := Detect(y, Options{Season: 12, Multiplicative: mult})
			if err != nil {
				t.Fatal(err)
			}
			for i := range y {
				if d := res.Trend[i] + res.Seasonal[i] + res.Residual[i] - y[i]; math.Abs(d) > 1e-6 {
					t.Fatalf("components differ from the series at %d by %g", i, d)
				}
			}
			for _, f := range res.Findings {
				switch {
				case f.Index == 50 && f.Kind == Spike:
					if mult {
						found++
						want := y[50] / 1.2 * 0.2 // the spike in units
						if math.Abs(f.Deviation-want) > 0.35*want {
							t.Errorf("seed %d: spike deviation %.0f, want about %.0f", seed, f.Deviation, want)
						}
					}
				case mult:
					multFalse++
				default:
					addFalse++
				}
			}
			// Factors are relative to a trend that is the geometric mean
			// over the year: position 6 is 1.3 / Π(1+sₚ)^(1/12) − 1.
			var logMean float64
			for _, v := range season {
				logMean += math.Log1p(v) / 12
			}
			if want := 1.3/math.Exp(logMean) - 1; mult && math.Abs(res.SeasonalByPos[6]-want) > 0.04 {
				t.Errorf("seed %d: seasonal factor of position 6 is %.3f, want about %.3f", seed, res.SeasonalByPos[6], want)
			}
		}
	}
	t.Logf("multiplicative: spike found in %d of 20, %d other findings; additive: %d other findings", found, multFalse, addFalse)
	// On clean series about 0.45 findings a series are false at |z| > 3.
	if found < 19 || multFalse > 20 || addFalse < 3*multFalse {
		t.Errorf("multiplicative: spike found in %d of 20 with %d other findings; additive %d other findings", found, multFalse, addFalse)
	}
	if _, err := Detect([]float64{1, 0, 2}, Options{Multiplicative: true}); err == nil || !strings.Contains(err.Error(), "positive") {
		t.Errorf("a zero in a multiplicative reading: err %v", err)
	}
}

// TestOddShapes: any length, season and content — runs of equal values,
// huge and tiny magnitudes, negative values — gives a decomposition that
// adds up, finite scores, and findings at valid indexes; never a panic.
func TestOddShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for i := range 400 {
		n := 1 + r.IntN(80)
		season := []int{0, 1, 2, 4, 7, 12}[r.IntN(6)]
		scale := math.Pow(10, float64(r.IntN(12)-3))
		y := make([]float64, n)
		for j := range y {
			switch r.IntN(4) {
			case 0:
				if j > 0 {
					y[j] = y[j-1] // runs of equal values
				}
			case 1:
				y[j] = -scale * r.Float64()
			default:
				y[j] = scale * (1 + r.NormFloat64())
			}
		}
		res, err := Detect(y, Options{Season: season, FirstPos: r.IntN(13) - 6})
		if err != nil {
			t.Fatalf("case %d (n=%d, season %d): %v", i, n, season, err)
		}
		for j := range y {
			if d := res.Trend[j] + res.Seasonal[j] + res.Residual[j] - y[j]; math.Abs(d) > 1e-9*math.Max(1, math.Abs(y[j])) || math.IsNaN(res.Scores[j]) || math.IsInf(res.Scores[j], 0) {
				t.Fatalf("case %d (n=%d, season %d) at %d: components off by %g, score %v", i, n, season, j, d, res.Scores[j])
			}
		}
		for _, f := range res.Findings {
			if f.Index < 0 || f.Index >= n || math.IsNaN(f.Score) || math.IsNaN(f.Expected) {
				t.Fatalf("case %d: finding %+v", i, f)
			}
		}
	}
}
