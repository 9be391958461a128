package forecast

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// classicalSeasonal is the seasonal component of a classical decomposition
// (a centred moving average of length m, 2×m when m is even, for the
// trend; the season the mean detrended value per position, normalised to
// sum 0 or average 1). It returns one value per position t mod m.
func classicalSeasonal(y []float64, m int, mult bool) ([]float64, bool) {
	n := len(y)
	if m < 2 || n < 2*m {
		return nil, false
	}
	if mult {
		for _, v := range y {
			if v <= 0 {
				return nil, false
			}
		}
	}
	trend := centredMA(y, m)
	sum := make([]float64, m)
	cnt := make([]float64, m)
	for t, tr := range trend {
		if math.IsNaN(tr) {
			continue
		}
		if mult {
			if tr == 0 {
				return nil, false
			}
			sum[t%m] += y[t] / tr
		} else {
			sum[t%m] += y[t] - tr
		}
		cnt[t%m]++
	}
	seas := make([]float64, m)
	for i := range seas {
		if cnt[i] == 0 {
			return nil, false
		}
		seas[i] = sum[i] / cnt[i]
	}
	normalise(seas, mult)
	return seas, true
}

// centredMA is the centred moving average of length m (2×m for even m);
// NaN where the window does not fit.
func centredMA(y []float64, m int) []float64 {
	n := len(y)
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	w := make([]float64, 0, m+1)
	if m%2 == 1 {
		for i := 0; i < m; i++ {
			w = append(w, 1/float64(m))
		}
	} else {
		w = append(w, 0.5/float64(m))
		for i := 1; i < m; i++ {
			w = append(w, 1/float64(m))
		}
		w = append(w, 0.5/float64(m))
	}
	half := len(w) / 2
	for t := half; t+half < n; t++ {
		out[t] = floats.Dot(w, y[t-half:t+half+1])
	}
	return out
}

// fourierSeasonal estimates a season from fewer than three seasons with a
// regression on a line and one harmonic (as R's ets initialisation does):
// the seasonal component is the series net of (or over) the line, the
// first m values of it by position.
func fourierSeasonal(y []float64, m int, mult bool) ([]float64, bool) {
	n := len(y)
	if n < 4 {
		return nil, false
	}
	x := mat.NewDense(n, 4, nil)
	for t := 0; t < n; t++ {
		a := 2 * math.Pi * float64(t+1) / float64(m)
		x.Set(t, 0, 1)
		x.Set(t, 1, float64(t+1))
		x.Set(t, 2, math.Sin(a))
		x.Set(t, 3, math.Cos(a))
	}
	var beta mat.VecDense
	if err := beta.SolveVec(x, mat.NewVecDense(n, append([]float64(nil), y...))); err != nil {
		return nil, false
	}
	seas := make([]float64, m)
	for t := 0; t < m; t++ {
		line := beta.AtVec(0) + beta.AtVec(1)*float64(t+1)
		if mult {
			if line <= 0 {
				return nil, false
			}
			seas[t] = y[t] / line
		} else {
			seas[t] = y[t] - line
		}
	}
	return seas, true
}

// acf is the sample autocorrelation at lags 0..maxLag.
func acf(y []float64, maxLag int) []float64 {
	n := len(y)
	mean := stat.Mean(y, nil)
	var c0 float64
	for _, v := range y {
		c0 += (v - mean) * (v - mean)
	}
	out := make([]float64, maxLag+1)
	if c0 == 0 {
		return out
	}
	for k := 0; k <= maxLag && k < n; k++ {
		var c float64
		for t := k; t < n; t++ {
			c += (y[t] - mean) * (y[t-k] - mean)
		}
		out[k] = c / c0
	}
	return out
}

// seasonalTest is the 90% test of the Theta method's original authors and
// forecast::thetaf: the autocorrelation at lag m against its standard
// error under the hypothesis of no seasonality.
func seasonalTest(y []float64, m int) bool {
	n := len(y)
	if m < 2 || n < 2*m {
		return false
	}
	r := acf(y, m)
	s := 1.0
	for k := 1; k < m; k++ {
		s += 2 * r[k] * r[k]
	}
	se := math.Sqrt(s / float64(n))
	z := distuv.UnitNormal.Quantile(0.95)
	return math.Abs(r[m])/se > z
}
