package forecast

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat"
)

// thetaFit is the Theta method (Assimakopoulos & Nikolopoulos 2000) on a
// seasonally adjusted series: the series is split into the theta lines
// Z(0), the regression line, and Z(θ) = θ·x + (1-θ)·line; Z(θ) is
// extrapolated by simple exponential smoothing and the two are combined
// with weights 1/θ and 1-1/θ. The standard method fixes θ = 2 (where it
// is SES with drift, Hyndman & Billah 2003); the optimised one (Fiorucci
// et al. 2016) fits θ ≥ 1 with α by least squares on one-step errors.
type thetaFit struct {
	optimised    bool
	theta, alpha float64
	l0, lEnd     float64
	a, b         float64   // regression line of the adjusted series on t = 0..n-1
	seas         []float64 // season by position t mod m (nil: not seasonal)
	mult         bool      // season multiplicative (else additive)
	n, m         int
	sigma2       float64
	sse          float64
	k            int // fitted parameters
	fitted       []float64
}

func (f *thetaFit) model() string {
	s := ""
	if f.seas != nil {
		s = ", seasonally adjusted"
	}
	if f.optimised {
		return fmt.Sprintf("Theta(optimised, θ=%.3g%s)", f.theta, s)
	}
	return "Theta(standard, θ=2" + s + ")"
}

// thetaAdjust removes the season when the series passes the 90%
// seasonality test: classical multiplicative decomposition for positive
// series, additive otherwise.
func thetaAdjust(y []float64, m int) (x, seas []float64, mult bool) {
	x = y
	if m < 2 || !seasonalTest(y, m) {
		return x, nil, false
	}
	mult = true
	for _, v := range y {
		if v <= 0 {
			mult = false
			break
		}
	}
	seas, ok := classicalSeasonal(y, m, mult)
	if !ok {
		return y, nil, false
	}
	x = make([]float64, len(y))
	for t, v := range y {
		if mult {
			x[t] = v / seas[t%m]
		} else {
			x[t] = v - seas[t%m]
		}
	}
	return x, seas, mult
}

// fitTheta fits the standard (θ = 2) or optimised Theta method.
func fitTheta(y []float64, m int, optimised bool) (*thetaFit, bool) {
	n := len(y)
	if n < 4 {
		return nil, false
	}
	x, seas, mult := thetaAdjust(y, m)
	ts := make([]float64, n)
	for i := range ts {
		ts[i] = float64(i)
	}
	a, b := stat.LinearRegression(ts, x, nil, false)
	scale := 0.0
	for _, v := range x {
		scale += math.Abs(v)
	}
	scale /= float64(n)
	if scale == 0 {
		scale = 1
	}
	run := func(theta, alpha, l0 float64, fitted []float64) (sse, lEnd float64) {
		w := 1 / theta
		l := l0
		for t, xt := range x {
			line := a + b*float64(t)
			fc := w*line + (1-w)*l
			if fitted != nil {
				fitted[t] = fc
			}
			e := (xt - fc) / scale
			sse += e * e
			z := theta*xt + (1-theta)*line
			l = alpha*z + (1-alpha)*l
		}
		return sse, l
	}
	decode := func(p []float64) (theta, alpha, l0 float64) {
		alpha = parLower + (parUpper-parLower)*sigmoid(p[0])
		l0 = p[1] * scale
		theta = 2
		if optimised {
			theta = 1 + 9*sigmoid(p[2])
		}
		return
	}
	obj := func(p []float64) float64 {
		th, al, l0 := decode(p)
		s, _ := run(th, al, l0, nil)
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return badLik
		}
		return s
	}
	z0 := 2*x[0] - a // Z(2) at t = 0
	p0 := []float64{logit(0.5), z0 / scale}
	if optimised {
		p0 = append(p0, logit(1.0/9))
	}
	best, bestF := p0, obj(p0)
	for pass := 0; pass < 2; pass++ {
		res, err := optimize.Minimize(optimize.Problem{Func: obj}, best, &optimize.Settings{
			MajorIterations: 1000,
			Converger:       &optimize.FunctionConverge{Absolute: 1e-10, Relative: 1e-10, Iterations: 60},
		}, &optimize.NelderMead{SimplexSize: 0.3})
		if err != nil && res == nil {
			break
		}
		if res != nil && res.F < bestF {
			best, bestF = append([]float64(nil), res.X...), res.F
		}
	}
	th, al, l0 := decode(best)
	f := &thetaFit{optimised: optimised, theta: th, alpha: al, l0: l0, a: a, b: b, seas: seas, mult: mult, n: n, m: m}
	f.fitted = make([]float64, n)
	sse, lEnd := run(th, al, l0, f.fitted)
	f.lEnd = lEnd
	f.sse = sse * scale * scale
	f.k = 2
	if optimised {
		f.k = 3
	}
	f.sigma2 = f.sse / math.Max(float64(n-f.k), 1)
	for t := range f.fitted {
		f.fitted[t] = f.reseason(f.fitted[t], t)
	}
	return f, true
}

func (f *thetaFit) reseason(v float64, t int) float64 {
	if f.seas == nil {
		return v
	}
	if f.mult {
		return v * f.seas[t%f.m]
	}
	return v + f.seas[t%f.m]
}

// aic is the Gaussian AIC from the one-step errors, used to choose
// between the standard and the optimised method.
func (f *thetaFit) aic() float64 {
	return float64(f.n)*math.Log(math.Max(f.sse, 1e-300)/float64(f.n)) + 2*float64(f.k)
}

func (f *thetaFit) point(h int) []float64 {
	out := make([]float64, h)
	w := 1 / f.theta
	for j := 1; j <= h; j++ {
		t := f.n - 1 + j
		v := w*(f.a+f.b*float64(t)) + (1-w)*f.lEnd
		out[j-1] = f.reseason(v, t)
	}
	return out
}

// intervals: analytic, from the SES state space as forecast::thetaf does
// (variance σ²(1 + (h-1)α²) on the adjusted scale), then reseasonalised.
func (f *thetaFit) intervals(h int, levels []float64) []Interval {
	adj := make([]float64, h)
	sd := make([]float64, h)
	w := 1 / f.theta
	for j := 1; j <= h; j++ {
		t := f.n - 1 + j
		adj[j-1] = w*(f.a+f.b*float64(t)) + (1-w)*f.lEnd
		sd[j-1] = math.Sqrt(f.sigma2 * (1 + float64(j-1)*f.alpha*f.alpha))
	}
	ivs := normalIntervals(adj, sd, levels)
	for i := range ivs {
		for j := 0; j < h; j++ {
			t := f.n + j
			lo, hi := f.reseason(ivs[i].Lower[j], t), f.reseason(ivs[i].Upper[j], t)
			ivs[i].Lower[j], ivs[i].Upper[j] = math.Min(lo, hi), math.Max(lo, hi)
		}
	}
	return ivs
}

// bestTheta fits both variants and keeps the lower AIC.
func bestTheta(y []float64, m int) (*thetaFit, bool) {
	s, ok1 := fitTheta(y, m, false)
	o, ok2 := fitTheta(y, m, true)
	switch {
	case ok1 && ok2:
		if o.aic() < s.aic() {
			return o, true
		}
		return s, true
	case ok1:
		return s, true
	case ok2:
		return o, true
	}
	return nil, false
}
