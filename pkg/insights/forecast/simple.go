package forecast

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// naiveFit is the random walk with drift: the last value plus h times the
// average change over the history (no drift with a single observation).
type naiveFit struct {
	last, drift float64
	sigma2      float64 // variance of the one-step residuals
	n           int
	fitted      []float64
}

func fitNaive(y []float64) *naiveFit {
	n := len(y)
	f := &naiveFit{last: y[n-1], n: n, fitted: make([]float64, n)}
	f.fitted[0] = math.NaN()
	if n >= 2 {
		f.drift = (y[n-1] - y[0]) / float64(n-1)
		var ss float64
		for t := 1; t < n; t++ {
			f.fitted[t] = y[t-1] + f.drift
			e := y[t] - f.fitted[t]
			ss += e * e
		}
		if n > 2 {
			f.sigma2 = ss / float64(n-2)
		}
	}
	return f
}

func (f *naiveFit) point(h int) []float64 {
	out := make([]float64, h)
	for j := range out {
		out[j] = f.last + float64(j+1)*f.drift
	}
	return out
}

// intervals: analytic, sd σ·sqrt(h·(1 + h/T)) for the drift model
// (Hyndman & Athanasopoulos, FPP3 §5.5).
func (f *naiveFit) intervals(h int, levels []float64) []Interval {
	sd := make([]float64, h)
	for j := 1; j <= h; j++ {
		hh := float64(j)
		sd[j-1] = math.Sqrt(f.sigma2 * hh * (1 + hh/float64(f.n)))
	}
	return normalIntervals(f.point(h), sd, levels)
}

// seasonalNaiveFit repeats the last season.
type seasonalNaiveFit struct {
	last   []float64 // the last m values
	m      int
	sigma2 float64
	fitted []float64
}

func fitSeasonalNaive(y []float64, m int) (*seasonalNaiveFit, bool) {
	n := len(y)
	if m < 1 || n < m {
		return nil, false
	}
	f := &seasonalNaiveFit{last: append([]float64(nil), y[n-m:]...), m: m, fitted: make([]float64, n)}
	var ss float64
	for t := 0; t < n; t++ {
		if t < m {
			f.fitted[t] = math.NaN()
			continue
		}
		f.fitted[t] = y[t-m]
		e := y[t] - y[t-m]
		ss += e * e
	}
	if n > m {
		f.sigma2 = ss / float64(n-m)
	}
	return f, true
}

func (f *seasonalNaiveFit) point(h int) []float64 {
	out := make([]float64, h)
	for j := range out {
		out[j] = f.last[j%f.m]
	}
	return out
}

// intervals: analytic, sd σ·sqrt(k+1) with k the number of whole seasons
// before step h (FPP3 §5.5).
func (f *seasonalNaiveFit) intervals(h int, levels []float64) []Interval {
	sd := make([]float64, h)
	for j := 1; j <= h; j++ {
		k := (j - 1) / f.m
		sd[j-1] = math.Sqrt(f.sigma2 * float64(k+1))
	}
	return normalIntervals(f.point(h), sd, levels)
}

// normalIntervals are point ± z·sd for each level.
func normalIntervals(pt, sd []float64, levels []float64) []Interval {
	out := make([]Interval, len(levels))
	for i, lv := range levels {
		z := distuv.UnitNormal.Quantile(0.5 + lv/200)
		iv := Interval{Level: lv, Lower: make([]float64, len(pt)), Upper: make([]float64, len(pt))}
		for j := range pt {
			iv.Lower[j] = pt[j] - z*sd[j]
			iv.Upper[j] = pt[j] + z*sd[j]
		}
		out[i] = iv
	}
	return out
}
