package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Synthetic is a generated finance series and how it was made.
type Synthetic struct {
	ID string `json:"id"`
	// Y are the monthly amounts, oldest first.
	Y []float64 `json:"y"`
	// SeasonStart is the first observation's position in the fiscal year
	// (0: the fiscal year's first month).
	SeasonStart int `json:"season_start"`
	// FiscalStartMonth is the calendar month (1-12) the fiscal year starts.
	FiscalStartMonth int `json:"fiscal_start_month"`
	// Seasonal says whether a fiscal season was put in; Multiplicative
	// whether it scales with the level (else it is a fixed amount).
	Seasonal       bool `json:"seasonal"`
	Multiplicative bool `json:"multiplicative"`
	// Shifts are the indexes where a permanent level shift starts.
	Shifts []int `json:"shifts,omitempty"`
	// Spikes are the indexes of planted one-month spikes.
	Spikes []int `json:"spikes,omitempty"`
}

// GenOptions shape the generated series.
type GenOptions struct {
	MinLen, MaxLen int     // length range in months (default 60..120)
	SeasonalShare  float64 // share of series with a season (default 0.8)
	ShiftProb      float64 // probability of one level shift (default 0.3)
	SpikeProb      float64 // per-month probability of a planted spike (default 0: none)
}

// Generate makes count monthly finance series, deterministically from
// seed. Each series is a level between 100k and 10M (log-uniform) on a
// trend of -6% to +18% a year that may bend once, times (or plus) a
// fiscal-year season: a yearly wave, quarter-end peaks and a fiscal
// year-end push of random sizes, placed by a fiscal year starting in
// January, April, July or October; with Gaussian noise of 2-8%, a
// permanent level shift of ±5-20% in some series, and optional spikes of
// ±25-60% (for anomaly detection).
func Generate(seed uint64, count int, o GenOptions) []Synthetic {
	if o.MinLen == 0 {
		o.MinLen = 60
	}
	if o.MaxLen < o.MinLen {
		o.MaxLen = max(o.MinLen, 120)
	}
	if o.SeasonalShare == 0 {
		o.SeasonalShare = 0.8
	}
	if o.ShiftProb == 0 {
		o.ShiftProb = 0.3
	}
	out := make([]Synthetic, count)
	for i := range out {
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		out[i] = generateOne(r, o, fmt.Sprintf("s%04d", i))
	}
	return out
}

func generateOne(r *rand.Rand, o GenOptions, id string) Synthetic {
	n := o.MinLen + r.IntN(o.MaxLen-o.MinLen+1)
	s := Synthetic{ID: id, Y: make([]float64, n)}
	fiscalStart := []int{0, 3, 6, 9}[r.IntN(4)] // calendar month index of the fiscal year's first month
	startMonth := r.IntN(12)                    // calendar month index of the first observation
	s.FiscalStartMonth = fiscalStart + 1
	s.SeasonStart = ((startMonth-fiscalStart)%12 + 12) % 12
	s.Seasonal = r.Float64() < o.SeasonalShare
	s.Multiplicative = r.Float64() < 0.7

	level := math.Exp(math.Log(1e5) + r.Float64()*(math.Log(1e7)-math.Log(1e5)))
	growth := (-0.06 + r.Float64()*0.24) / 12 // per month
	bend, bendAt := 0.0, -1
	if r.Float64() < 0.3 {
		bendAt = n/3 + r.IntN(n/3+1)
		bend = (-0.08 + r.Float64()*0.16) / 12
	}
	// The fiscal season: index p is the month's position in the fiscal year.
	season := make([]float64, 12)
	if s.Seasonal {
		amp := 0.05 + r.Float64()*0.2
		phase := r.Float64() * 2 * math.Pi
		qEnd := r.Float64() * 0.15
		yEnd := r.Float64() * 0.2
		for p := range season {
			season[p] = amp * math.Sin(2*math.Pi*float64(p)/12+phase)
			if p%3 == 2 {
				season[p] += qEnd
			}
			if p == 11 {
				season[p] += yEnd
			}
		}
		mean := 0.0
		for _, v := range season {
			mean += v / 12
		}
		for p := range season {
			season[p] -= mean
		}
	}
	noise := 0.02 + r.Float64()*0.06
	shiftAt, shift := -1, 0.0
	if r.Float64() < o.ShiftProb {
		shiftAt = n/4 + r.IntN(n/2)
		shift = 0.05 + r.Float64()*0.15
		if r.IntN(2) == 0 {
			shift = -shift
		}
		s.Shifts = []int{shiftAt}
	}
	trend := level
	for t := 0; t < n; t++ {
		g := growth
		if bendAt >= 0 && t >= bendAt {
			g += bend
		}
		if t > 0 {
			trend *= 1 + g
		}
		base := trend
		if shiftAt >= 0 && t >= shiftAt {
			base *= 1 + shift
		}
		p := (s.SeasonStart + t) % 12
		var v float64
		if s.Multiplicative {
			v = base * (1 + season[p]) * (1 + noise*r.NormFloat64())
		} else {
			v = base + level*season[p] + level*noise*r.NormFloat64()
		}
		if o.SpikeProb > 0 && t > 0 && r.Float64() < o.SpikeProb {
			size := 0.25 + r.Float64()*0.35
			if r.IntN(2) == 0 {
				size = -size
			}
			v *= 1 + size
			s.Spikes = append(s.Spikes, t)
		}
		s.Y[t] = math.Max(v, level*0.01)
	}
	return s
}
