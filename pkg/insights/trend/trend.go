// Package trend reads the direction of a periodic series: the slope of its
// deseasonalised values with a confidence interval (Theil–Sen with Sen's
// interval), its change points (optimal partitioning into straight-line
// segments with a BIC-like penalty), and its growth rates over the last
// complete periods (MoM, QoQ, YoY, CAGR).
//
// It is the numerical core of `databridge analytics trend`. The series is
// float64 (statistics, not money); seasonality and outliers are taken out
// with pkg/insights/anomaly first. The methods are described in
// docs/insights-methods.md.
package trend

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/databridge/databridge/pkg/insights/anomaly"
)

// Directions.
const (
	Up   = "up"
	Down = "down"
	Flat = "flat"
)

// Defaults of Options.
const (
	DefaultConfidence = 0.95
	DefaultPenalty    = 5.0 // change points: β = Penalty·σ²·ln n
	DefaultMinSegment = 6
)

// Options say how to read a series.
type Options struct {
	// Season is the season length (12 for months, 4 for quarters; 0 or 1:
	// none); FirstPos the season position of the first observation (0 = the
	// first period of the fiscal year).
	Season   int `json:"season"`
	FirstPos int `json:"first_pos"`
	// Confidence of the slope interval (default 0.95).
	Confidence float64 `json:"confidence"`
	// Stock is for balances: a quarter's or a year's value is its last
	// observation, not the sum of its observations.
	Stock bool `json:"stock"`
	// Multiplicative takes the seasonality out as proportions of the level
	// (see anomaly.Options); every value must be positive.
	Multiplicative bool `json:"multiplicative"`
	// Penalty scales the change-point penalty (default 5; larger finds
	// fewer); MinSegment is the shortest segment between change points
	// (default 6 observations).
	Penalty    float64 `json:"penalty"`
	MinSegment int     `json:"min_segment"`
}

func (o Options) withDefaults() Options {
	if o.Season < 1 {
		o.Season = 1
	}
	o.FirstPos = ((o.FirstPos % o.Season) + o.Season) % o.Season
	if o.Confidence <= 0 || o.Confidence >= 1 {
		o.Confidence = DefaultConfidence
	}
	if o.Penalty <= 0 {
		o.Penalty = DefaultPenalty
	}
	if o.MinSegment < 3 {
		o.MinSegment = DefaultMinSegment
	}
	return o
}

// Slope is the trend per period with its interval.
type Slope struct {
	Estimate   float64 `json:"estimate"`
	Lower      float64 `json:"lower"`
	Upper      float64 `json:"upper"`
	Confidence float64 `json:"confidence"`
	Method     string  `json:"method"` // theil_sen or seasonal_theil_sen
}

// ChangePoint is where the deseasonalised series changes its line.
type ChangePoint struct {
	// Index is the first observation of the new segment.
	Index int `json:"index"`
	// Kind is level (the line jumps: the jump is more than 3 noise SDs) or
	// slope (it bends).
	Kind string `json:"kind"`
	// LevelBefore and LevelAfter are the two segments' lines at Index;
	// Jump is their difference.
	LevelBefore float64 `json:"level_before"`
	LevelAfter  float64 `json:"level_after"`
	Jump        float64 `json:"jump"`
	SlopeBefore float64 `json:"slope_before"`
	SlopeAfter  float64 `json:"slope_after"`
}

// Rate is a growth rate between two periods.
type Rate struct {
	// Current is the value of the latest complete period (observations
	// From..To−1), Previous of the one before (PrevFrom..PrevTo−1).
	Current  float64 `json:"current"`
	Previous float64 `json:"previous"`
	From     int     `json:"from"`
	To       int     `json:"to"`
	PrevFrom int     `json:"prev_from"`
	PrevTo   int     `json:"prev_to"`
	// Rate is (Current − Previous) / Previous; nil when Previous is zero or
	// negative (a percentage of such a base means nothing), with a note.
	Rate *float64 `json:"rate"`
	Note string   `json:"note,omitempty"`
}

// CAGR is the compound annual growth rate between the first and the last
// complete fiscal years.
type CAGR struct {
	First     float64  `json:"first"`
	Last      float64  `json:"last"`
	FirstFrom int      `json:"first_from"`
	LastFrom  int      `json:"last_from"`
	Years     int      `json:"years"` // compounding periods: complete years − 1
	Rate      *float64 `json:"rate"`
	Note      string   `json:"note,omitempty"`
}

// Growth are the growth rates over the last complete periods; a rate the
// series is too short for (or of the wrong grain) is nil.
type Growth struct {
	MoM  *Rate `json:"mom"`
	QoQ  *Rate `json:"qoq"`
	YoY  *Rate `json:"yoy"`
	CAGR *CAGR `json:"cagr"`
}

// Result is the trend of a series.
type Result struct {
	N         int    `json:"n"`
	Direction string `json:"direction"`
	Slope     Slope  `json:"slope"`
	// ChangePoints in order, each with the lines of the segments it joins.
	ChangePoints []ChangePoint `json:"change_points"`
	// Deseasonalised is the series less its seasonality, with spikes and
	// dips replaced by their expected values: what slope and change points
	// are read from.
	Deseasonalised []float64 `json:"deseasonalised"`
	Growth         Growth    `json:"growth"`
	// Noise is the noise SD in the series' units (for a multiplicative
	// reading, at the median trend level).
	Noise float64  `json:"noise"`
	Notes []string `json:"notes,omitempty"`
}

// Analyze reads the trend of y. It is deterministic; values must be finite.
func Analyze(y []float64, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	if len(y) == 0 {
		return nil, errors.New("trend: empty series")
	}
	dec, err := anomaly.Detect(y, anomaly.Options{Season: opt.Season, FirstPos: opt.FirstPos, Multiplicative: opt.Multiplicative})
	if err != nil {
		return nil, fmt.Errorf("trend: %w", err)
	}
	noise := dec.Noise
	if opt.Multiplicative { // a proportion: in units, at the typical level
		noise *= median(dec.Trend)
	}
	res := &Result{N: len(y), ChangePoints: []ChangePoint{}, Noise: noise}
	d := dec.Deseasonalised(y)
	for _, f := range dec.Findings {
		if f.Kind != anomaly.LevelShift {
			d[f.Index] = f.Expected - dec.Seasonal[f.Index]
		}
	}
	res.Deseasonalised = d
	if opt.Season > 1 && len(y) < 2*opt.Season {
		res.Notes = append(res.Notes, fmt.Sprintf("%d observations, fewer than two seasons: seasonality not removed, so the slope and change points include it", len(y)))
	}
	if len(y) < 3 {
		res.Notes = append(res.Notes, "fewer than 3 observations: no slope")
		res.Direction = Flat
	} else {
		if opt.Season > 1 && len(y) >= 2*opt.Season {
			// The series with its outliers replaced, seasonality kept.
			clean := make([]float64, len(y))
			for i := range y {
				clean[i] = d[i] + dec.Seasonal[i]
			}
			res.Slope = seasonalSen(clean, opt)
		} else {
			res.Slope = theilSenInterval(d, opt.Confidence)
		}
		switch {
		case res.Slope.Lower > 0:
			res.Direction = Up
		case res.Slope.Upper < 0:
			res.Direction = Down
		default:
			res.Direction = Flat
		}
		res.ChangePoints = changePoints(d, noise, opt)
		if len(res.ChangePoints) > 0 {
			res.Notes = append(res.Notes, "the series changes course (see change_points): the slope is over the whole series")
		}
	}
	res.Growth = growth(y, opt)
	return res, nil
}

// seasonalSen is the seasonal Kendall slope (Hirsch, Slack and Smith 1982):
// the median of the slopes between observations at the same season
// position only (same month of different years), which needs no estimate
// of the seasonality, with Sen's interval from the seasonal Kendall
// variance Σₚ nₚ(nₚ−1)(2nₚ+5)/18. (Slopes over a deseasonalised series
// would share the error of the seasonal estimate, position by position,
// and their interval would be too narrow.)
func seasonalSen(y []float64, opt Options) Slope {
	m := opt.Season
	var slopes []float64
	var varS float64
	for p := range m {
		var idx []int
		for t := p; t < len(y); t += m {
			idx = append(idx, t)
		}
		np := float64(len(idx))
		varS += np * (np - 1) * (2*np + 5) / 18
		for a := range idx {
			for b := a + 1; b < len(idx); b++ {
				i, j := idx[a], idx[b]
				slopes = append(slopes, (y[j]-y[i])/float64(j-i))
			}
		}
	}
	s := senInterval(slopes, varS, opt.Confidence)
	s.Method = "seasonal_theil_sen"
	return s
}

// theilSenInterval is the median of all pairwise slopes with Sen's (1968)
// distribution-free interval: with N slopes sorted and C = z·√Var(S),
// Var(S) = n(n−1)(2n+5)/18 (Kendall's S, no ties in time), the bounds are
// the ⌊(N−C)/2⌋-th and the (⌈(N+C)/2⌉+1)-th slopes.
func theilSenInterval(y []float64, conf float64) Slope {
	n := len(y)
	slopes := make([]float64, 0, n*(n-1)/2)
	for i := range n {
		for j := i + 1; j < n; j++ {
			slopes = append(slopes, (y[j]-y[i])/float64(j-i))
		}
	}
	nf := float64(n)
	return senInterval(slopes, nf*(nf-1)*(2*nf+5)/18, conf)
}

// senInterval is the median of slopes and the interval between the
// ⌊(N−C)/2⌋-th and the (⌈(N+C)/2⌉+1)-th of the N sorted slopes, C = z·√varS.
func senInterval(slopes []float64, varS, conf float64) Slope {
	sort.Float64s(slopes)
	N := len(slopes)
	med := slopes[N/2]
	if N%2 == 0 {
		med = (slopes[N/2-1] + slopes[N/2]) / 2
	}
	z := distuv.UnitNormal.Quantile(1 - (1-conf)/2)
	c := z * math.Sqrt(varS)
	lo := int(math.Floor((float64(N) - c) / 2)) // 1-based rank
	hi := int(math.Ceil((float64(N)+c)/2)) + 1
	lo = min(max(lo, 1), N)
	hi = min(max(hi, 1), N)
	return Slope{Estimate: med, Lower: slopes[lo-1], Upper: slopes[hi-1], Confidence: conf, Method: "theil_sen"}
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
