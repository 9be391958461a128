package forecast

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// fiscal season used by the known cases: quarter-end peaks and a year-end
// push, by position in the fiscal year.
var knownSeason = []float64{-8, -5, 6, -7, -4, 7, -6, -3, 8, -5, -2, 19}

func within(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6f, want %.6f (±%g)", what, got, want, tol)
	}
}

func TestSeasonalNaiveIsExact(t *testing.T) {
	y := make([]float64, 30)
	for i := range y {
		y[i] = 100 + float64(i) + knownSeason[i%12]
	}
	res, err := Forecast(y, Options{Method: SeasonalNaive, Horizon: 15})
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range res.Point {
		if want := y[30-12+j%12]; v != want {
			t.Fatalf("step %d: %v, want the value a season back %v", j+1, v, want)
		}
	}
	if res.Method != SeasonalNaive || res.IntervalMethod != IntervalAnalytic {
		t.Fatalf("method %s intervals %s", res.Method, res.IntervalMethod)
	}
	// sd grows with whole seasons: steps 1..12 share one width, 13..15 are
	// sqrt(2) times wider.
	iv := res.Intervals[1]
	w1, w13 := iv.Upper[0]-iv.Lower[0], iv.Upper[12]-iv.Lower[12]
	within(t, "width ratio step 13 / step 1", w13/w1, math.Sqrt2, 1e-9)
	// y_t - y_{t-12} = 12 always: sigma^2 = 144, the 95% half-width 1.96·12.
	within(t, "95% half-width", w1/2, 1.959963984540054*12, 1e-6)
}

func TestNaiveWithDriftContinuesALine(t *testing.T) {
	y := make([]float64, 20)
	for i := range y {
		y[i] = 50 + 3*float64(i)
	}
	res, err := Forecast(y, Options{Method: Naive, Horizon: 4, SeasonLength: 1})
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range res.Point {
		within(t, "drift forecast", v, 50+3*float64(20+j), 1e-9)
	}
	within(t, "drift", res.Params["drift"], 3, 1e-12)
}

func noiseless(n int, mult bool) []float64 {
	y := make([]float64, n)
	for t := range y {
		tr := 1000 + 5*float64(t)
		if mult {
			y[t] = tr * (1 + knownSeason[t%12]/100)
		} else {
			y[t] = tr + 3*knownSeason[t%12]
		}
	}
	return y
}

func TestHoltWintersRecoversANoiselessSeasonalSeries(t *testing.T) {
	for _, mult := range []bool{false, true} {
		y := noiseless(72, mult)
		truth := noiseless(84, mult)[72:]
		res, err := Forecast(y, Options{Method: HoltWinters, Horizon: 12})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(res.Model, "Holt-Winters") {
			t.Fatalf("model %q", res.Model)
		}
		for j, v := range res.Point {
			if math.Abs(v-truth[j])/truth[j] > 0.005 {
				t.Errorf("mult=%v step %d: %.3f, want %.3f (0.5%%); model %s", mult, j+1, v, truth[j], res.Model)
			}
		}
		// The backtest of a noiseless series: HW far better than seasonal
		// naive, whose error is the trend over a year.
		var hw, sn float64
		for _, r := range res.Backtest.Rows {
			switch r.Method {
			case HoltWinters:
				hw = r.MASE
			case SeasonalNaive:
				sn = r.MASE
			}
		}
		if !(hw < 0.05 && math.Abs(sn-1) < 1e-6) {
			t.Errorf("mult=%v backtest MASE: holt_winters %.4f, seasonal naive %.4f (want < 0.05 and 1: the trend is the seasonal difference)", mult, hw, sn)
		}
	}
}

func TestSeasonIsReportedInFiscalOrder(t *testing.T) {
	// The series starts on the 6th month of the fiscal year.
	const start = 5
	y := make([]float64, 72)
	for t := range y {
		y[t] = 1000 + 5*float64(t) + 3*knownSeason[(start+t)%12]
	}
	res, err := Forecast(y, Options{Method: HoltWinters, Horizon: 12, SeasonStart: start})
	if err != nil {
		t.Fatal(err)
	}
	if res.SeasonKind != "additive" {
		t.Skipf("chose %s; the additive season is the check", res.Model)
	}
	for p, v := range res.Season {
		within(t, "season at fiscal position "+string(rune('0'+p%10)), v, 3*knownSeason[p], 1.0)
	}
}

func TestOptimisedThetaFollowsALine(t *testing.T) {
	y := make([]float64, 40)
	for i := range y {
		y[i] = 200 + 4*float64(i)
	}
	f, ok := fitTheta(y, 1, true)
	if !ok {
		t.Fatal("no fit")
	}
	for j, v := range f.point(6) {
		within(t, "optimised theta on a line", v, 200+4*float64(40+j), 0.5)
	}
	// The standard method keeps half the slope (Hyndman & Billah 2003).
	s, _ := fitTheta(y, 1, false)
	p := s.point(10)
	within(t, "standard theta slope", (p[9]-p[0])/9, 2, 0.05)
}

func TestETSChoosesTheSeasonTheDataHas(t *testing.T) {
	g := Generate(7, 40, GenOptions{MinLen: 96, MaxLen: 96})
	var seasonalWithSeason, flatWithout, seasonal, flat int
	for _, s := range g {
		res, err := Forecast(s.Y, Options{Method: ETS, Horizon: 12, Windows: 1})
		if err != nil {
			t.Fatal(err)
		}
		hasSeason := !strings.HasSuffix(res.Model, ",N)")
		if s.Seasonal {
			seasonal++
			if hasSeason {
				seasonalWithSeason++
			}
		} else {
			flat++
			if !hasSeason {
				flatWithout++
			}
		}
	}
	t.Logf("seasonal series with a seasonal model %d/%d, flat ones without %d/%d", seasonalWithSeason, seasonal, flatWithout, flat)
	if float64(seasonalWithSeason) < 0.85*float64(seasonal) || float64(flatWithout) < 0.6*float64(flat) {
		t.Errorf("AICc chose a season for %d/%d seasonal and none for %d/%d flat series", seasonalWithSeason, seasonal, flatWithout, flat)
	}
}

func TestShortHistoryFallsBackWithANote(t *testing.T) {
	y := []float64{10, 12, 11, 13, 14, 13, 15, 16, 15, 17, 18, 17}
	res, err := Forecast(y, Options{Horizon: 12})
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != Naive || res.Model != "naive with drift" {
		t.Fatalf("method %s model %s", res.Method, res.Model)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "12 observations: too little history for a backtest, fell back to naive with drift") {
		t.Fatalf("notes %q", res.Notes)
	}
	// Asking for Holt-Winters with 12 months falls back the same way.
	res, err = Forecast(y, Options{Horizon: 6, Method: HoltWinters})
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != Naive || !strings.Contains(strings.Join(res.Notes, "\n"), "too little history for a seasonal model (needs 24), fell back to naive with drift") {
		t.Fatalf("method %s notes %q", res.Method, res.Notes)
	}
	// 20 months: no seasonal model, but a backtest among the others.
	g := Generate(3, 1, GenOptions{MinLen: 20, MaxLen: 20})[0]
	res, err = Forecast(g.Y, Options{Horizon: 12})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Backtest.Rows {
		if r.Method == HoltWinters || r.Method == SeasonalNaive {
			t.Errorf("seasonal candidate %s backtested on 20 months", r.Method)
		}
	}
	if len(res.Backtest.Rows) == 0 || !strings.Contains(res.Notes[0], "too little history for a seasonal model") {
		t.Errorf("rows %v notes %q", res.Backtest.Rows, res.Notes)
	}
}

func TestAutoChoosesByBacktestAndIsDeterministic(t *testing.T) {
	s := Generate(11, 1, GenOptions{MinLen: 84, MaxLen: 84, SeasonalShare: 1})[0]
	a, err := Forecast(s.Y, Options{Horizon: 12, SeasonStart: s.SeasonStart})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Forecast(s.Y, Options{Horizon: 12, SeasonStart: s.SeasonStart})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs on the same series differ")
	}
	if len(a.Backtest.Rows) != 5 || !a.Backtest.Rows[0].Chosen || a.Backtest.Rows[0].Method != a.Method {
		t.Fatalf("backtest %+v, method %s", a.Backtest.Rows, a.Method)
	}
	if !reflect.DeepEqual(a.Backtest.Origins, []int{48, 60, 72}) || a.Backtest.Horizon != 12 {
		t.Fatalf("windows %v h %d", a.Backtest.Origins, a.Backtest.Horizon)
	}
	for i := 1; i < len(a.Backtest.Rows); i++ {
		if a.Backtest.Rows[i].MASE < a.Backtest.Rows[i-1].MASE {
			t.Fatalf("rows not best first: %+v", a.Backtest.Rows)
		}
	}
	// The chosen row's MASE is what an independent replay of that method
	// on the same windows gives.
	var sum float64
	for _, o := range a.Backtest.Origins {
		r, err := Forecast(s.Y[:o], Options{Horizon: 12, Method: a.Method})
		if err != nil {
			t.Fatal(err)
		}
		sum += MASE(s.Y[o:o+12], r.Point, s.Y[:o], 12)
	}
	within(t, "chosen MASE replayed", a.Backtest.Rows[0].MASE, sum/3, 1e-9)
	// The chosen row carries its window forecasts, the others none.
	if f := a.Backtest.Rows[0].Forecasts; len(f) != 3 || len(f[0]) != 12 {
		t.Fatalf("chosen row forecasts %v", f)
	}
	for _, r := range a.Backtest.Rows[1:] {
		if r.Forecasts != nil {
			t.Fatalf("row %s carries forecasts", r.Method)
		}
	}
	if _, err := json.Marshal(a); err != nil {
		t.Fatal(err)
	}
	// An explicit method may skip its backtest; auto may not.
	e, _ := Forecast(s.Y, Options{Horizon: 12, Method: ETS, SkipBacktest: true})
	if len(e.Backtest.Rows) != 0 || !slices.Contains(e.Notes, "backtest skipped") {
		t.Fatalf("skipped backtest: %+v %q", e.Backtest, e.Notes)
	}
	if c, _ := Forecast(s.Y, Options{Horizon: 12, SkipBacktest: true}); len(c.Backtest.Rows) != 5 {
		t.Fatalf("auto without its backtest: %+v", c.Backtest)
	}
}

func TestIntervalsAreNestedAroundThePoint(t *testing.T) {
	s := Generate(5, 1, GenOptions{MinLen: 72, MaxLen: 72, SeasonalShare: 1})[0]
	for _, m := range []Method{Naive, SeasonalNaive, HoltWinters, ETS, Theta} {
		res, err := Forecast(s.Y, Options{Horizon: 18, Method: m, Levels: []float64{80, 95}})
		if err != nil {
			t.Fatal(err)
		}
		i80, i95 := res.Intervals[0], res.Intervals[1]
		for j, p := range res.Point {
			if !(i95.Lower[j] <= i80.Lower[j] && i80.Lower[j] <= p && p <= i80.Upper[j] && i80.Upper[j] <= i95.Upper[j]) {
				t.Errorf("%s (%s, %s) step %d: 95 [%v, %v] 80 [%v, %v] point %v", m, res.Model, res.IntervalMethod, j+1, i95.Lower[j], i95.Upper[j], i80.Lower[j], i80.Upper[j], p)
			}
		}
		// Uncertainty grows with the horizon.
		if w0, wl := i95.Upper[0]-i95.Lower[0], i95.Upper[17]-i95.Lower[17]; !(wl > w0) {
			t.Errorf("%s: 95%% width at step 18 %v not above step 1 %v", m, wl, w0)
		}
	}
}

func TestIntervalsCoverTheTruth(t *testing.T) {
	// Empirical coverage of the 80% and 95% intervals of auto over
	// generated series, one step per window across the horizon.
	g := Generate(21, 40, GenOptions{})
	var in80, in95, total int
	for _, s := range g {
		o := len(s.Y) - 12
		res, err := Forecast(s.Y[:o], Options{Horizon: 12, Method: ETS, Windows: 1})
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 12; j++ {
			v := s.Y[o+j]
			total++
			if v >= res.Intervals[0].Lower[j] && v <= res.Intervals[0].Upper[j] {
				in80++
			}
			if v >= res.Intervals[1].Lower[j] && v <= res.Intervals[1].Upper[j] {
				in95++
			}
		}
	}
	c80, c95 := float64(in80)/float64(total), float64(in95)/float64(total)
	t.Logf("coverage over %d forecasts: 80%% interval %.3f, 95%% interval %.3f", total, c80, c95)
	if c80 < 0.65 || c95 < 0.85 {
		t.Errorf("coverage 80%%: %.3f, 95%%: %.3f", c80, c95)
	}
}

func TestErrorsSayWhatIsWrong(t *testing.T) {
	for _, c := range []struct {
		y    []float64
		o    Options
		want string
	}{
		{[]float64{1, 2}, Options{}, "horizon must be at least 1"},
		{nil, Options{Horizon: 1}, "empty"},
		{[]float64{1, math.NaN()}, Options{Horizon: 1}, "observation 2 is not a number"},
		{[]float64{1, 2}, Options{Horizon: 1, Method: "arima"}, "unknown forecast method"},
		{[]float64{1, 2}, Options{Horizon: 1, Levels: []float64{120}}, "interval level 120"},
	} {
		_, err := Forecast(c.y, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %+v: error %v, want %q", c.y, c.o, err, c.want)
		}
	}
}

func TestMASEAndSMAPE(t *testing.T) {
	train := []float64{1, 2, 3, 4, 5, 6}
	// lag-2 differences are all 2: scale 2; errors 1 and 3: MAE 2.
	within(t, "MASE", MASE([]float64{7, 8}, []float64{8, 5}, train, 2), 1, 1e-12)
	within(t, "sMAPE", SMAPE([]float64{100, 0}, []float64{50, 0}), 200*50.0/150/2, 1e-12)
}

func TestGenerateIsDeterministicAndShaped(t *testing.T) {
	a := Generate(1, 50, GenOptions{SpikeProb: 0.02})
	b := Generate(1, 50, GenOptions{SpikeProb: 0.02})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different series")
	}
	var seasonal, shifts, spikes int
	for _, s := range a {
		if len(s.Y) < 60 || len(s.Y) > 120 {
			t.Fatalf("%s: length %d", s.ID, len(s.Y))
		}
		for _, v := range s.Y {
			if v <= 0 {
				t.Fatalf("%s: non-positive amount %v", s.ID, v)
			}
		}
		if s.Seasonal {
			seasonal++
			// A seasonal series passes the Theta seasonality test or at
			// least has a seasonal autocorrelation above zero.
			if r := acf(s.Y, 12); r[12] <= 0 {
				t.Errorf("%s: seasonal series with lag-12 autocorrelation %.3f", s.ID, r[12])
			}
		}
		shifts += len(s.Shifts)
		spikes += len(s.Spikes)
	}
	if seasonal < 30 || shifts == 0 || spikes == 0 {
		t.Fatalf("seasonal %d shifts %d spikes %d", seasonal, shifts, spikes)
	}
}

func TestAwkwardSeriesForecastWithoutFailing(t *testing.T) {
	loss := make([]float64, 40) // a P&L line that swings around zero
	for i := range loss {
		loss[i] = 1000*math.Sin(float64(i)) - 200
	}
	quarterly := make([]float64, 20)
	for i := range quarterly {
		quarterly[i] = 500 + 10*float64(i) + []float64{-40, 10, 0, 30}[i%4]
	}
	for _, c := range []struct {
		name string
		y    []float64
		m    int
	}{
		{"zeros", make([]float64, 36), 12},
		{"constant", []float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, 12},
		{"negative and positive", loss, 12},
		{"quarterly", quarterly, 4},
		{"no season", quarterly, 1},
		{"one value", []float64{42}, 12},
	} {
		for _, meth := range Methods {
			res, err := Forecast(c.y, Options{Horizon: 5, SeasonLength: c.m, Method: meth})
			if err != nil {
				t.Errorf("%s %s: %v", c.name, meth, err)
				continue
			}
			if _, err := json.Marshal(res); err != nil {
				t.Errorf("%s %s: result does not encode: %v", c.name, meth, err)
			}
			for j, v := range res.Point {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("%s %s (%s): step %d is %v", c.name, meth, res.Model, j+1, v)
				}
			}
		}
	}
	// A quarterly series with a clear season: Holt-Winters finds it.
	res, err := Forecast(quarterly, Options{Horizon: 4, SeasonLength: 4, Method: HoltWinters})
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range res.Point {
		within(t, "quarterly HW", v, 500+10*float64(20+j)+[]float64{-40, 10, 0, 30}[j], 2)
	}
}
