// Package anomaly finds anomalies in a periodic series: it decomposes the
// series into a robust trend (which follows level shifts) and a fiscal
// seasonality, scores the residuals robustly (median/MAD, the modified
// z-score) and tells one-off spikes and dips from level shifts (persistent
// changes of level).
//
// It is the numerical core of `databridge analytics anomalies`; callers give
// a float64 series (statistics, not money) with its season length and the
// fiscal position of the first observation. The method is described in
// docs/insights-methods.md.
package anomaly

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Kind is the kind of a finding.
type Kind string

// Finding kinds.
const (
	Spike      Kind = "spike"       // one observation far above what was expected
	Dip        Kind = "dip"         // one observation far below what was expected
	LevelShift Kind = "level_shift" // the level changes from this observation on and stays
)

// Defaults of Options.
const (
	DefaultThreshold      = 3.0 // modified z-score of out-of-sample residuals (see docs/insights-methods.md)
	DefaultShiftThreshold = 6.0 // step statistic, in standard errors
	// MinObservations is the shortest series anything is reported on.
	MinObservations = 8
	minSide         = 4 // a level shift needs this many observations each side
)

// Options say how to read a series.
type Options struct {
	// Season is the season length: 12 for months, 4 for quarters; 0 or 1
	// for a series without seasonality.
	Season int `json:"season"`
	// FirstPos is the season position (0-based: 0 is the first month of the
	// fiscal year) of the first observation.
	FirstPos int `json:"first_pos"`
	// Threshold is the |modified z-score| above which a residual is a spike
	// or a dip (default 3).
	Threshold float64 `json:"threshold"`
	// ShiftThreshold is the |step statistic| above which a change of level
	// is reported (default 6).
	ShiftThreshold float64 `json:"shift_threshold"`
	// Multiplicative reads the series on a log scale: seasonal effects and
	// anomalies are proportions of the level (December 20% above the
	// trend) rather than amounts, which suits series whose seasonal swings
	// grow with them. Every value must be positive.
	Multiplicative bool `json:"multiplicative"`
}

func (o Options) withDefaults() Options {
	if o.Season < 1 {
		o.Season = 1
	}
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	if o.ShiftThreshold <= 0 {
		o.ShiftThreshold = DefaultShiftThreshold
	}
	o.FirstPos = ((o.FirstPos % o.Season) + o.Season) % o.Season
	return o
}

// Finding is one anomaly.
type Finding struct {
	// Index is the observation (0-based); for a level shift the first
	// observation at the new level.
	Index int  `json:"index"`
	Kind  Kind `json:"kind"`
	// Actual is the observation and Expected the trend plus seasonality
	// there, fitted without it. For a level shift both are fitted levels at
	// Index (plus seasonality): Actual the new level, Expected the old one
	// carried forward along its trend.
	Actual   float64 `json:"actual"`
	Expected float64 `json:"expected"`
	// Deviation is Actual − Expected: for a level shift the size of the step.
	Deviation float64 `json:"deviation"`
	// Score is the modified z-score of a spike or dip, or the step statistic
	// (the step in standard errors) of a level shift.
	Score     float64 `json:"score"`
	Direction string  `json:"direction"` // up or down
}

// Result is a decomposed series and its findings.
type Result struct {
	N        int `json:"n"`
	Season   int `json:"season"`
	FirstPos int `json:"first_pos"`
	// Trend (following level shifts), Seasonal and Residual add up to the
	// series; the trend at each observation is fitted without it.
	Trend    []float64 `json:"trend"`
	Seasonal []float64 `json:"seasonal"`
	Residual []float64 `json:"residual"`
	// SeasonalByPos is the seasonal effect by season position (it sums to
	// 0; all zeros when no seasonality was removed). In a multiplicative
	// reading it is a proportion of the trend (0.2: 20% above it), and
	// the effects' logarithms sum to 0.
	SeasonalByPos []float64 `json:"seasonal_by_pos"`
	// Scores are the modified z-scores of the residuals.
	Scores []float64 `json:"scores"`
	// Noise is the robust scale of the residuals (1.4826·MAD); in a
	// multiplicative reading, of their logarithms (about a proportion).
	Noise          float64 `json:"noise"`
	Multiplicative bool    `json:"multiplicative,omitempty"`
	// Breaks are the level shifts' indexes (the trend's segment starts).
	Breaks         []int     `json:"breaks"`
	Findings       []Finding `json:"findings"`
	Notes          []string  `json:"notes,omitempty"`
	Threshold      float64   `json:"threshold"`
	ShiftThreshold float64   `json:"shift_threshold"`
}

// Deseasonalised returns the series less its seasonal component.
func (r *Result) Deseasonalised(y []float64) []float64 {
	d := make([]float64, len(y))
	for i := range y {
		d[i] = y[i] - r.Seasonal[i]
	}
	return d
}

// Detect decomposes y and finds its anomalies. It is deterministic. Values
// must be finite (fill gaps before calling). A series shorter than
// MinObservations, or a seasonal one shorter than two seasons, is
// decomposed as far as it can be but gets no findings, with a note saying
// why.
func Detect(y []float64, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("anomaly: observation %d is %v: fill gaps (e.g. with 0 for a flow) before detecting", i, v)
		}
	}
	if len(y) == 0 {
		return nil, errors.New("anomaly: empty series")
	}
	work, err := workScale(y, opt)
	if err != nil {
		return nil, err
	}
	f := newFit(work, opt)
	res := &Result{Multiplicative: opt.Multiplicative, N: f.n, Season: opt.Season, FirstPos: opt.FirstPos, Threshold: opt.Threshold, ShiftThreshold: opt.ShiftThreshold, Breaks: []int{}, Findings: []Finding{}}
	report := true
	switch {
	case f.n < MinObservations:
		res.Notes = append(res.Notes, fmt.Sprintf("%d observations: at least %d are needed to judge anomalies; none reported", f.n, MinObservations))
		report = false
	case opt.Season > 1 && f.n < 2*opt.Season:
		res.Notes = append(res.Notes, fmt.Sprintf("%d observations: at least two full seasons (%d) are needed to tell anomalies from seasonality; none reported", f.n, 2*opt.Season))
		report = false
	case opt.Season > 1 && f.n < 3*opt.Season:
		res.Notes = append(res.Notes, fmt.Sprintf("%d observations: the seasonality is estimated from two seasons only, so findings are less certain", f.n))
	}
	f.run(report)

	res.Trend, res.Seasonal, res.Residual = make([]float64, f.n), make([]float64, f.n), make([]float64, f.n)
	for t := range f.n {
		tr, fitted := f.out(f.expected[t]), f.out(f.expected[t]+f.seasonal[t])
		res.Trend[t], res.Seasonal[t], res.Residual[t] = tr, fitted-tr, y[t]-fitted
	}
	res.SeasonalByPos = f.byPos
	if opt.Multiplicative {
		for p, v := range f.byPos {
			res.SeasonalByPos[p] = math.Expm1(v)
		}
	}
	res.Scores, res.Noise, res.Breaks = f.z, f.scale, append(res.Breaks, f.breaks...)
	if !report {
		return res, nil
	}
	if f.scale == 0 {
		res.Notes = append(res.Notes, "the series has no variation around its trend and seasonality: no anomalies")
		return res, nil
	}
	for _, b := range f.breaks {
		st := f.stepAt(b, true, true)
		res.Findings = append(res.Findings, Finding{
			Index: b, Kind: LevelShift,
			Actual: f.out(st.after + f.seasonal[b]), Expected: f.out(st.before + f.seasonal[b]),
			Score: st.score, Direction: direction(st.after - st.before),
		})
	}
	for i := range res.Findings {
		res.Findings[i].Deviation = res.Findings[i].Actual - res.Findings[i].Expected
	}
	for t := range f.n {
		if math.Abs(f.z[t]) <= opt.Threshold {
			continue
		}
		k := Spike
		if f.z[t] < 0 {
			k = Dip
		}
		exp := f.out(f.expected[t] + f.looS[t])
		res.Findings = append(res.Findings, Finding{
			Index: t, Kind: k, Actual: y[t], Expected: exp, Deviation: y[t] - exp,
			Score: f.z[t], Direction: direction(y[t] - exp),
		})
	}
	sort.SliceStable(res.Findings, func(i, j int) bool { return res.Findings[i].Index < res.Findings[j].Index })
	return res, nil
}

// workScale is the series the fit works on: y, or its logarithms for a
// multiplicative reading.
func workScale(y []float64, opt Options) ([]float64, error) {
	if !opt.Multiplicative {
		return y, nil
	}
	w := make([]float64, len(y))
	for i, v := range y {
		if v <= 0 {
			return nil, fmt.Errorf("anomaly: a multiplicative reading needs positive values; observation %d is %v", i, v)
		}
		w[i] = math.Log(v)
	}
	return w, nil
}

func direction(d float64) string {
	if d < 0 {
		return "down"
	}
	return "up"
}
