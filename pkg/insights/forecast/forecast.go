// Package forecast is the numerical core of databridge's forecasts: point
// forecasts with prediction intervals for one regular series (monthly or
// quarterly amounts), by seasonal naive, naive with drift, Holt-Winters,
// ETS with automatic model selection by AICc, or the Theta method, and an
// `auto` method that chooses per series by a rolling-origin backtest
// (MASE against seasonal naive, sMAPE). It does no I/O; fitting uses
// gonum's Nelder-Mead and statistics. Results are deterministic.
package forecast

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Method names a forecasting method.
type Method string

// The methods.
const (
	Auto          Method = "auto"
	Naive         Method = "naive" // random walk with drift
	SeasonalNaive Method = "seasonal_naive"
	HoltWinters   Method = "holt_winters"
	ETS           Method = "ets"
	Theta         Method = "theta"
)

// Methods lists every method a caller may ask for.
var Methods = []Method{Auto, Naive, SeasonalNaive, HoltWinters, ETS, Theta}

// ParseMethod reads a method name; "" is auto.
func ParseMethod(s string) (Method, error) {
	if s == "" {
		return Auto, nil
	}
	for _, m := range Methods {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown forecast method %q: want one of auto, naive, seasonal_naive, holt_winters, ets, theta", s)
}

// simplicity orders the candidates for ties: the simpler wins.
var simplicity = map[Method]int{Naive: 0, SeasonalNaive: 1, Theta: 2, HoltWinters: 3, ETS: 4}

// How prediction intervals were made.
const (
	IntervalAnalytic   = "analytic"   // Gaussian, from the model's h-step variance
	IntervalSimulation = "simulation" // quantiles of simulated sample paths (fixed seed)
)

// Options says what to forecast and how.
type Options struct {
	// SeasonLength is the number of periods in a season: 12 for months
	// (the default when 0), 4 for quarters, 1 for no season.
	SeasonLength int
	// SeasonStart is the position, within the (fiscal) season, of the
	// first observation's period: 0 when the series starts on the first
	// month of a fiscal year, 3 when it starts on its fourth. It places
	// the reported seasonal indices; it does not change the forecasts.
	SeasonStart int
	// Horizon is the number of periods to forecast (required, ≥ 1).
	Horizon int
	// Method is auto (the default), naive, seasonal_naive, holt_winters,
	// ets or theta.
	Method Method
	// Levels are the prediction-interval coverages in percent (default
	// 80 and 95).
	Levels []float64
	// Windows is the number of rolling-origin backtest windows (default 3).
	Windows int
	// SkipBacktest leaves out the backtest of an explicit method (auto
	// always backtests: it chooses by it).
	SkipBacktest bool
}

// Interval is a prediction interval at one coverage level, per step.
type Interval struct {
	Level float64   `json:"level"`
	Lower []float64 `json:"lower"`
	Upper []float64 `json:"upper"`
}

// Result is a forecast.
type Result struct {
	// Method is the method that made the forecast (for auto, the one the
	// backtest chose; after a fallback, the fallback).
	Method Method `json:"method"`
	// Requested is the method asked for.
	Requested Method `json:"requested"`
	// Model names the fitted model, e.g. "ETS(M,Ad,M)".
	Model        string `json:"model"`
	SeasonLength int    `json:"season_length"`
	Horizon      int    `json:"horizon"`
	// Point are the point forecasts for the next Horizon periods.
	Point []float64 `json:"point"`
	// Intervals are the prediction intervals, one per level.
	Intervals []Interval `json:"intervals"`
	// IntervalMethod is analytic or simulation.
	IntervalMethod string `json:"interval_method"`
	// Params are the fitted parameters (alpha, beta, gamma, phi, theta,
	// drift, sigma, aicc, level, trend as the model has them).
	Params map[string]float64 `json:"params"`
	// Season is the fitted seasonal state at the end of the history by
	// position in the fiscal season (index 0: the season's first period);
	// additive models give amounts, multiplicative ones factors.
	Season []float64 `json:"season,omitempty"`
	// SeasonKind is additive or multiplicative when Season is set.
	SeasonKind string `json:"season_kind,omitempty"`
	// Backtest is the rolling-origin evaluation.
	Backtest Backtest `json:"backtest"`
	// Notes explain fallbacks and choices in words.
	Notes []string `json:"notes"`
}

// Backtest is a rolling-origin evaluation: each candidate is fitted on the
// first Origins[i] observations and scores the next Horizon ones.
type Backtest struct {
	Horizon int   `json:"horizon"`
	Origins []int `json:"origins"`
	// Rows are the candidates' scores, best first.
	Rows []BacktestRow `json:"rows"`
}

// BacktestRow is one candidate's score over the windows.
type BacktestRow struct {
	Method Method `json:"method"`
	// Model is the model the candidate fitted on the last window.
	Model string `json:"model"`
	// MASE is the mean absolute error over the mean absolute seasonal
	// difference of each window's training data (seasonal naive's
	// in-sample error), averaged over the windows.
	MASE float64 `json:"mase"`
	// SMAPE is the symmetric mean absolute percentage error in percent
	// (200·|y-f|/(|y|+|f|)), averaged over the windows.
	SMAPE  float64 `json:"smape"`
	Chosen bool    `json:"chosen"`
	// Forecasts are the chosen row's point forecasts per window (same
	// order as Origins), for drawing the backtest against the actuals.
	Forecasts [][]float64 `json:"forecasts,omitempty"`
}

// defaultSeed seeds the simulation of prediction intervals.
const defaultSeed = 20261203

// Forecast forecasts y (oldest first, no gaps, no missing values).
func Forecast(y []float64, opt Options) (*Result, error) {
	if opt.Horizon < 1 {
		return nil, errors.New("forecast: horizon must be at least 1")
	}
	if len(y) == 0 {
		return nil, errors.New("forecast: the series is empty")
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("forecast: observation %d is not a number (%v); fill or drop it first", i+1, v)
		}
	}
	m := opt.SeasonLength
	if m == 0 {
		m = 12
	}
	if m < 1 {
		return nil, fmt.Errorf("forecast: season length %d: want 1 (none), 4, 12, ...", m)
	}
	method := opt.Method
	if method == "" {
		method = Auto
	}
	if _, err := ParseMethod(string(method)); err != nil {
		return nil, err
	}
	levels := opt.Levels
	if len(levels) == 0 {
		levels = []float64{80, 95}
	}
	for _, lv := range levels {
		if !(lv > 0 && lv < 100) {
			return nil, fmt.Errorf("forecast: interval level %v: want a percentage between 0 and 100", lv)
		}
	}
	windows := opt.Windows
	if windows == 0 {
		windows = 3
	}
	n := len(y)
	res := &Result{Requested: method, SeasonLength: m, Horizon: opt.Horizon, Notes: []string{}}
	cache := fitCache{}
	plan := planBacktest(n, m, opt.Horizon, windows)
	res.Backtest = Backtest{Horizon: plan.h, Origins: plan.origins, Rows: []BacktestRow{}}
	res.Notes = append(res.Notes, plan.notes...)

	var chosen Method
	if method == Auto {
		if len(plan.origins) == 0 {
			chosen = Naive
			res.Notes = append(res.Notes, fmt.Sprintf("%d observations: too little history for a backtest, fell back to naive with drift", n))
		} else {
			for _, c := range plan.candidates {
				row, ok := backtestOne(y, m, c, plan, cache)
				if ok {
					res.Backtest.Rows = append(res.Backtest.Rows, row)
				}
			}
			sortRows(res.Backtest.Rows)
			if len(res.Backtest.Rows) == 0 {
				chosen = Naive
				res.Notes = append(res.Notes, "no candidate could be backtested; fell back to naive with drift")
			} else {
				chosen = res.Backtest.Rows[0].Method
				res.Backtest.Rows[0].Chosen = true
				res.Notes = append(res.Notes, fmt.Sprintf("auto chose %s: lowest MASE (%.3f) over %d backtest window(s) of %d periods", chosen, res.Backtest.Rows[0].MASE, len(plan.origins), plan.h))
			}
		}
	} else {
		chosen = method
		if opt.SkipBacktest {
			res.Backtest = Backtest{Origins: []int{}, Rows: []BacktestRow{}}
			res.Notes = append(res.Notes, "backtest skipped")
		} else if len(plan.origins) > 0 {
			for _, c := range []Method{method, SeasonalNaive} {
				if c == SeasonalNaive && method == SeasonalNaive {
					continue
				}
				if row, ok := backtestOne(y, m, c, plan, cache); ok {
					row.Chosen = c == method
					res.Backtest.Rows = append(res.Backtest.Rows, row)
				}
			}
			sortRows(res.Backtest.Rows)
		}
	}

	for i := range res.Backtest.Rows {
		if !res.Backtest.Rows[i].Chosen {
			res.Backtest.Rows[i].Forecasts = nil
		}
	}

	mod, ok := fitMethod(chosen, y, m, cache)
	if !ok {
		why := fmt.Sprintf("%d observations: too little history for %s", n, chosen)
		if m > 1 && (chosen == HoltWinters || chosen == SeasonalNaive) {
			why = fmt.Sprintf("%d observations: too little history for a seasonal model (needs %d)", n, 2*m)
			if chosen == SeasonalNaive {
				why = fmt.Sprintf("%d observations: too little history for seasonal naive (needs %d)", n, m)
			}
		}
		res.Notes = append(res.Notes, why+", fell back to naive with drift")
		chosen = Naive
		mod, _ = fitMethod(Naive, y, m, cache)
	}
	res.Method = chosen
	res.Model = mod.name
	res.Point = mod.point(opt.Horizon)
	res.Intervals, res.IntervalMethod = mod.intervals(opt.Horizon, levels)
	res.Params = mod.params
	if mod.season != nil {
		res.Season = make([]float64, m)
		start := ((opt.SeasonStart % m) + m) % m
		for p := 0; p < m; p++ {
			// series position t has fiscal position (start + t) mod m.
			res.Season[p] = mod.season[((p-start)%m+m)%m]
		}
		res.SeasonKind = mod.seasonKind
	}
	return res, nil
}

func sortRows(rows []BacktestRow) {
	slices.SortStableFunc(rows, func(a, b BacktestRow) int {
		if !nearlyEqual(a.MASE, b.MASE) {
			if a.MASE < b.MASE {
				return -1
			}
			return 1
		}
		return simplicity[a.Method] - simplicity[b.Method]
	})
}

// nearlyEqual is the tie rule: MASEs within a relative 1e-9 tie.
func nearlyEqual(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// backtestPlan is the rolling-origin design for one series.
type backtestPlan struct {
	h          int
	origins    []int
	candidates []Method
	notes      []string
}

// planBacktest sets the windows: each scores the next min(horizon, one
// season) periods (min(horizon, 6) without a season); origins step back by
// that much from the end, up to `windows` of them, each keeping at least
// two seasons of training data (2m) so seasonal candidates can be fitted.
// With less history the window is shortened to what is left after two
// seasons; with less than 2m+3 observations only non-seasonal candidates
// are tried (training ≥ 12 observations, windows of at least 3 periods);
// below that there is no backtest.
func planBacktest(n, m, horizon, windows int) backtestPlan {
	var p backtestPlan
	h := min(horizon, 6)
	if m > 1 {
		h = min(horizon, m)
	}
	if m > 1 && n >= 2*m+3 {
		if n-h < 2*m {
			p.notes = append(p.notes, fmt.Sprintf("backtest windows shortened to %d periods to keep two seasons (%d observations) of training data", n-2*m, 2*m))
			h = n - 2*m
		}
		p.h = h
		p.origins = origins(n, h, windows, 2*m)
		p.candidates = []Method{Naive, SeasonalNaive, Theta, HoltWinters, ETS}
		return p
	}
	switch {
	case m > 1 && n < 2*m:
		p.notes = append(p.notes, fmt.Sprintf("%d observations: too little history for a seasonal model (needs %d, two seasons)", n, 2*m))
	case m > 1:
		p.notes = append(p.notes, fmt.Sprintf("%d observations: too little history to backtest a seasonal model (needs %d, two seasons plus 3 to test); holt_winters and seasonal_naive are not candidates", n, 2*m+3))
	}
	const minTrain = 12
	if n-h < minTrain {
		h = n - minTrain
	}
	if h < 3 {
		return p
	}
	p.h = h
	p.origins = origins(n, h, windows, minTrain)
	p.candidates = []Method{Naive, Theta, ETS}
	return p
}

// origins are the training lengths of a rolling-origin evaluation: the last
// window's training ends h before the end, earlier ones step back by h, up
// to `windows` of them, none shorter than minTrain; oldest first.
func origins(n, h, windows, minTrain int) []int {
	var out []int
	for k := windows; k >= 1; k-- {
		o := n - k*h
		if o >= minTrain {
			out = append(out, o)
		}
	}
	return out
}

// Origins exposes the rolling-origin design for a series of n observations
// with season length m, as Forecast uses it for the given horizon and
// number of windows: the scored horizon and the training lengths.
func Origins(n, m, horizon, windows int) (h int, trainLengths []int) {
	p := planBacktest(n, m, horizon, windows)
	return p.h, p.origins
}

// backtestOne scores one candidate over the plan's windows.
func backtestOne(y []float64, m int, c Method, p backtestPlan, cache fitCache) (BacktestRow, bool) {
	row := BacktestRow{Method: c}
	var sumMASE, sumSMAPE float64
	for _, o := range p.origins {
		mod, ok := fitMethod(c, y[:o], m, cache)
		if !ok {
			return row, false
		}
		fc := mod.point(p.h)
		row.Forecasts = append(row.Forecasts, fc)
		actual := y[o : o+p.h]
		sumMASE += MASE(actual, fc, y[:o], m)
		sumSMAPE += SMAPE(actual, fc)
		row.Model = mod.name
	}
	k := float64(len(p.origins))
	row.MASE, row.SMAPE = sumMASE/k, sumSMAPE/k
	return row, true
}

// MASE is the mean absolute error of forecast against actual, scaled by
// the in-sample mean absolute seasonal difference (lag m) of train; lag 1
// when train is shorter than m+1 or m is 1. A flat training series (zero
// scale) is scaled by its mean absolute value instead.
func MASE(actual, forecast, train []float64, m int) float64 {
	lag := m
	if lag < 1 || len(train) <= lag {
		lag = 1
	}
	var scale float64
	for t := lag; t < len(train); t++ {
		scale += math.Abs(train[t] - train[t-lag])
	}
	if len(train) > lag {
		scale /= float64(len(train) - lag)
	}
	if scale == 0 {
		for _, v := range train {
			scale += math.Abs(v)
		}
		scale /= float64(len(train))
	}
	if scale == 0 {
		scale = 1
	}
	var mae float64
	for i := range actual {
		mae += math.Abs(actual[i] - forecast[i])
	}
	return mae / float64(len(actual)) / scale
}

// SMAPE is the symmetric mean absolute percentage error in percent, a
// step where both values are zero counting as no error.
func SMAPE(actual, forecast []float64) float64 {
	var s float64
	for i := range actual {
		d := math.Abs(actual[i]) + math.Abs(forecast[i])
		if d > 0 {
			s += 200 * math.Abs(actual[i]-forecast[i]) / d
		}
	}
	return s / float64(len(actual))
}

// model is one fitted method behind a uniform face.
type model struct {
	name       string
	point      func(h int) []float64
	intervals  func(h int, levels []float64) ([]Interval, string)
	params     map[string]float64
	season     []float64 // by series position t mod m
	seasonKind string
}

// fitMethod fits one method to y; ok is false when y is too short for it.
func fitMethod(method Method, y []float64, m int, cache fitCache) (*model, bool) {
	n := len(y)
	switch method {
	case Naive:
		f := fitNaive(y)
		name := "naive with drift"
		if n < 2 {
			name = "naive"
		}
		return &model{name: name, point: f.point,
			intervals: func(h int, lv []float64) ([]Interval, string) { return f.intervals(h, lv), IntervalAnalytic },
			params:    map[string]float64{"drift": f.drift, "sigma": math.Sqrt(f.sigma2)}}, true
	case SeasonalNaive:
		if m < 2 {
			return nil, false
		}
		f, ok := fitSeasonalNaive(y, m)
		if !ok {
			return nil, false
		}
		return &model{name: fmt.Sprintf("seasonal naive (m=%d)", m), point: f.point,
			intervals: func(h int, lv []float64) ([]Interval, string) { return f.intervals(h, lv), IntervalAnalytic },
			params:    map[string]float64{"sigma": math.Sqrt(f.sigma2)}}, true
	case Theta:
		f, ok := bestTheta(y, m)
		if !ok {
			return nil, false
		}
		md := &model{name: f.model(), point: f.point,
			intervals: func(h int, lv []float64) ([]Interval, string) { return f.intervals(h, lv), IntervalAnalytic },
			params: map[string]float64{"alpha": f.alpha, "theta": f.theta, "drift": f.b,
				"level": f.lEnd, "sigma": math.Sqrt(f.sigma2)}}
		if f.seas != nil {
			md.season = f.seas
			md.seasonKind = kind(f.mult)
		}
		return md, true
	case HoltWinters, ETS:
		var f *etsFit
		if method == HoltWinters {
			if m < 2 || n < 2*m {
				return nil, false
			}
			f = bestByAICc(y, m, holtWintersCandidates(), cache)
		} else {
			f = bestByAICc(y, m, etsCandidates(m > 1 && n >= 2*m), cache)
		}
		if f == nil {
			return nil, false
		}
		name := f.spec.String()
		if method == HoltWinters {
			name = "Holt-Winters " + map[byte]string{'A': "additive", 'M': "multiplicative"}[f.spec.Season]
			if f.spec.Damped {
				name += ", damped"
			}
			name += " (" + f.spec.String() + ")"
		}
		params := map[string]float64{"alpha": f.alpha, "level": f.l, "aicc": f.aicc, "sigma": math.Sqrt(f.sigma2)}
		if f.spec.Trend != 'N' {
			params["beta"], params["trend"] = f.beta, f.b
		}
		if f.spec.Damped {
			params["phi"] = f.phi
		}
		if f.spec.Season != 'N' {
			params["gamma"] = f.gamma
		}
		md := &model{name: name, point: f.point, params: params,
			intervals: func(h int, lv []float64) ([]Interval, string) { return f.intervals(h, lv, defaultSeed) }}
		if f.spec.Season != 'N' {
			md.season = f.s
			md.seasonKind = kind(f.spec.Season == 'M')
		}
		return md, true
	}
	return nil, false
}

func kind(mult bool) string {
	if mult {
		return "multiplicative"
	}
	return "additive"
}
