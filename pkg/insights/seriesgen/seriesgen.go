// Package seriesgen makes monthly finance series with a known truth, for
// proving the anomaly and trend methods of pkg/insights: a trend of one of
// several shapes, a fiscal seasonality (the fiscal year starting in a chosen
// month), Gaussian noise, level shifts and planted spikes and dips whose
// indexes, kinds and sizes are recorded.
//
// Generation is deterministic: the same Config gives the same series, and
// series i depends only on (Seed, i), so a sample of the first 100 series is
// the first 100 of the full set.
package seriesgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Shape is the form of a series' trend.
type Shape string

// Trend shapes.
const (
	Flat       Shape = "flat"       // constant level
	Linear     Shape = "linear"     // straight line, up or down
	Compound   Shape = "compound"   // constant monthly growth rate (exponential)
	Saturating Shape = "saturating" // logistic S-curve towards a new level
	Damped     Shape = "damped"     // logarithmic: growth that slows down
	Cycle      Shape = "cycle"      // a business cycle (48–96 months) around a level
)

// AllShapes lists every trend shape.
var AllShapes = []Shape{Flat, Linear, Compound, Saturating, Damped, Cycle}

// Planted kinds, spelled as pkg/insights/anomaly spells its finding kinds.
const (
	KindSpike      = "spike"
	KindDip        = "dip"
	KindLevelShift = "level_shift"
)

// Planted is one anomaly put into a series.
type Planted struct {
	// Index is the observation (0-based); for a level shift the first
	// observation at the new level.
	Index int    `json:"index"`
	Kind  string `json:"kind"` // spike, dip or level_shift
	// Size is the signed amount added: at Index for a spike or dip, from
	// Index onwards for a level shift.
	Size float64 `json:"size"`
	// Sigmas is |Size| in units of the series' noise standard deviation.
	Sigmas float64 `json:"sigmas"`
}

// Series is one generated monthly series and its truth.
type Series struct {
	ID     int       `json:"id"`
	Values []float64 `json:"values"`
	// Season is the season length (12: months in a fiscal year).
	Season int `json:"season"`
	// FiscalStartMonth is the calendar month (1–12) a fiscal year starts in;
	// StartMonth the calendar month of the first observation; FirstPos the
	// fiscal position (0 = first month of a fiscal year) of the first
	// observation.
	FiscalStartMonth int `json:"fiscal_start_month"`
	StartMonth       int `json:"start_month"`
	FirstPos         int `json:"first_pos"`

	Shape Shape `json:"shape"`
	// Base is the level at the first observation; Slope the true slope per
	// month of a Linear series (0 for other shapes).
	Base  float64 `json:"base"`
	Slope float64 `json:"slope"`
	// NoiseSD is the standard deviation of the Gaussian noise; SeasonAmp the
	// seasonal amplitude (largest |seasonal effect|).
	NoiseSD   float64 `json:"noise_sd"`
	SeasonAmp float64 `json:"season_amp"`
	// SeasonalByPos is the seasonal effect by fiscal position (sums to 0).
	SeasonalByPos []float64 `json:"seasonal_by_pos"`
	// Trend is the true trend including level shifts (no season, no noise,
	// no spikes).
	Trend     []float64 `json:"trend"`
	Anomalies []Planted `json:"anomalies"`
}

// Config says what to generate. Start from Defaults and change fields.
type Config struct {
	Seed  uint64
	Count int
	// Lengths in months, drawn uniformly from [MinLength, MaxLength].
	MinLength, MaxLength int
	Shapes               []Shape
	// NoiseLevels are noise standard deviations as fractions of the base
	// level; each series draws one.
	NoiseLevels []float64
	// SeasonAmp is the range of the seasonal amplitude as a fraction of the
	// base level ([0, 0] for no seasonality).
	SeasonAmp [2]float64
	// SpikesPerYear is the expected number of spikes and dips per 12 months
	// (Poisson); SpikeSigmas their size range in noise standard deviations.
	SpikesPerYear float64
	SpikeSigmas   [2]float64
	// ShiftProb is the chance a series has a level shift, and again a second
	// one; ShiftSigmas their size range in noise standard deviations.
	ShiftProb   float64
	ShiftSigmas [2]float64
	// Growth is the range of the total trend change over the series as a
	// fraction of the base level (sign drawn at random).
	Growth [2]float64
	// FiscalStartMonth fixes the calendar month (1–12) every series' fiscal
	// year starts in; 0 draws one per series.
	FiscalStartMonth int
}

// Defaults is the configuration the anomaly proof uses: 1,000 series of
// 48–120 months (four to ten fiscal years), every shape, noise 1%, 2%, 4%
// or 8% of the base level, seasonal amplitude 5–30% of it, 0.6 spikes or
// dips a year of 5–9 noise SDs, and a level shift of 5–9 noise SDs in 40%
// of the series (a second in 40% of those), trends changing the level by
// 5–60% over the series.
func Defaults() Config {
	return Config{
		Seed:          1,
		Count:         1000,
		MinLength:     48,
		MaxLength:     120,
		Shapes:        AllShapes,
		NoiseLevels:   []float64{0.01, 0.02, 0.04, 0.08},
		SeasonAmp:     [2]float64{0.05, 0.30},
		SpikesPerYear: 0.6,
		SpikeSigmas:   [2]float64{5, 9},
		ShiftProb:     0.4,
		ShiftSigmas:   [2]float64{5, 9},
		Growth:        [2]float64{0.05, 0.6},
	}
}

// Generate makes cfg.Count series.
func Generate(cfg Config) ([]Series, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	out := make([]Series, cfg.Count)
	for i := range out {
		out[i] = cfg.one(i)
	}
	return out, nil
}

func (c Config) check() error {
	switch {
	case c.Count < 1:
		return fmt.Errorf("seriesgen: Count must be at least 1, got %d", c.Count)
	case c.MinLength < 12 || c.MaxLength < c.MinLength:
		return fmt.Errorf("seriesgen: lengths must satisfy 12 <= MinLength <= MaxLength, got %d..%d", c.MinLength, c.MaxLength)
	case len(c.Shapes) == 0:
		return fmt.Errorf("seriesgen: no Shapes")
	case len(c.NoiseLevels) == 0:
		return fmt.Errorf("seriesgen: no NoiseLevels")
	case c.FiscalStartMonth < 0 || c.FiscalStartMonth > 12:
		return fmt.Errorf("seriesgen: FiscalStartMonth must be 0 (drawn) or 1–12, got %d", c.FiscalStartMonth)
	case c.SpikeSigmas[1] < c.SpikeSigmas[0] || c.ShiftSigmas[1] < c.ShiftSigmas[0] || c.SeasonAmp[1] < c.SeasonAmp[0] || c.Growth[1] < c.Growth[0]:
		return fmt.Errorf("seriesgen: a range has its upper bound below its lower bound")
	}
	for _, n := range c.NoiseLevels {
		if n <= 0 {
			return fmt.Errorf("seriesgen: noise levels must be positive, got %g", n)
		}
	}
	return nil
}

func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

func sign(r *rand.Rand) float64 {
	if r.IntN(2) == 0 {
		return -1
	}
	return 1
}

func (c Config) one(id int) Series {
	r := rand.New(rand.NewPCG(c.Seed, uint64(id)+0x9e3779b97f4a7c15))
	n := c.MinLength + r.IntN(c.MaxLength-c.MinLength+1)
	s := Series{
		ID:               id,
		Season:           12,
		FiscalStartMonth: 1 + r.IntN(12),
		StartMonth:       1 + r.IntN(12),
		Shape:            c.Shapes[r.IntN(len(c.Shapes))],
		// Base levels from 1,000 to 1,000,000, log-uniform.
		Base: math.Round(math.Pow(10, uniform(r, 3, 6))),
	}
	if c.FiscalStartMonth != 0 {
		s.FiscalStartMonth = c.FiscalStartMonth
	}
	s.FirstPos = ((s.StartMonth-s.FiscalStartMonth)%12 + 12) % 12
	s.NoiseSD = s.Base * c.NoiseLevels[r.IntN(len(c.NoiseLevels))]
	s.SeasonAmp = s.Base * uniform(r, c.SeasonAmp[0], c.SeasonAmp[1])
	s.SeasonalByPos = seasonalProfile(r, s.SeasonAmp)
	s.Trend = c.trend(r, &s, n)

	s.Anomalies = c.plant(r, &s, n)
	for _, a := range s.Anomalies {
		if a.Kind == KindLevelShift {
			for t := a.Index; t < n; t++ {
				s.Trend[t] += a.Size
			}
		}
	}
	s.Values = make([]float64, n)
	for t := range n {
		s.Values[t] = s.Trend[t] + s.SeasonalByPos[(s.FirstPos+t)%12] + r.NormFloat64()*s.NoiseSD
	}
	for _, a := range s.Anomalies {
		if a.Kind != KindLevelShift {
			s.Values[a.Index] += a.Size
		}
	}
	return s
}

// seasonalProfile is a fiscal-year pattern: two random harmonics plus
// quarter-end and year-end peaks (finance closes book more at quarter and
// year ends), scaled so its largest |effect| is amp, centred to sum to 0.
func seasonalProfile(r *rand.Rand, amp float64) []float64 {
	p := make([]float64, 12)
	a1, ph1 := uniform(r, 0.3, 1), uniform(r, 0, 2*math.Pi)
	a2, ph2 := uniform(r, 0, 0.6), uniform(r, 0, 2*math.Pi)
	qe, ye := uniform(r, 0, 0.8), uniform(r, 0, 1.2)
	for i := range p {
		x := 2 * math.Pi * float64(i) / 12
		p[i] = a1*math.Sin(x+ph1) + a2*math.Sin(2*x+ph2)
		if i%3 == 2 {
			p[i] += qe
		}
		if i == 11 {
			p[i] += ye
		}
	}
	var mean float64
	for _, v := range p {
		mean += v / 12
	}
	var mx float64
	for i := range p {
		p[i] -= mean
		mx = math.Max(mx, math.Abs(p[i]))
	}
	for i := range p {
		if mx > 0 {
			p[i] *= amp / mx
		}
	}
	return p
}

func (c Config) trend(r *rand.Rand, s *Series, n int) []float64 {
	tr := make([]float64, n)
	g := sign(r) * uniform(r, c.Growth[0], c.Growth[1]) // total change as a fraction of base
	if g < -0.5 {
		g = -0.5
	}
	b := s.Base
	span := float64(n - 1)
	switch s.Shape {
	case Flat:
		for t := range tr {
			tr[t] = b
		}
	case Linear:
		s.Slope = b * g / span
		for t := range tr {
			tr[t] = b + s.Slope*float64(t)
		}
	case Compound:
		rate := math.Pow(1+g, 1/span) - 1
		for t := range tr {
			tr[t] = b * math.Pow(1+rate, float64(t))
		}
	case Saturating:
		mid, tau := uniform(r, 0.3, 0.7)*span, uniform(r, 6, 18)
		for t := range tr {
			tr[t] = b + b*g/(1+math.Exp(-(float64(t)-mid)/tau))
		}
	case Damped:
		tau := uniform(r, 3, 24)
		norm := math.Log1p(span / tau)
		for t := range tr {
			tr[t] = b + b*g*math.Log1p(float64(t)/tau)/norm
		}
	case Cycle:
		period, ph := uniform(r, 48, 96), uniform(r, 0, 2*math.Pi)
		amp := math.Abs(g) / 4
		for t := range tr {
			tr[t] = b * (1 + amp*math.Sin(2*math.Pi*float64(t)/period+ph))
		}
	}
	return tr
}

// plant chooses the anomalies: level shifts at least 9 months from either
// end and 12 apart; spikes and dips anywhere, at least 2 apart and 3 from a
// level shift.
func (c Config) plant(r *rand.Rand, s *Series, n int) []Planted {
	var out []Planted
	taken := func(i, gapShift, gapSpike int) bool {
		for _, a := range out {
			gap := gapSpike
			if a.Kind == KindLevelShift {
				gap = gapShift
			}
			if abs(a.Index-i) < gap {
				return true
			}
		}
		return false
	}
	for k := 0; k < 2 && n >= 30 && r.Float64() < c.ShiftProb; k++ {
		for try := 0; try < 20; try++ {
			i := 9 + r.IntN(n-17)
			if taken(i, 12, 12) {
				continue
			}
			sig := uniform(r, c.ShiftSigmas[0], c.ShiftSigmas[1])
			out = append(out, Planted{Index: i, Kind: KindLevelShift, Size: sign(r) * sig * s.NoiseSD, Sigmas: sig})
			break
		}
	}
	for range poisson(r, c.SpikesPerYear*float64(n)/12) {
		for try := 0; try < 20; try++ {
			i := r.IntN(n)
			if taken(i, 3, 2) {
				continue
			}
			sig := uniform(r, c.SpikeSigmas[0], c.SpikeSigmas[1])
			p := Planted{Index: i, Kind: KindSpike, Size: sig * s.NoiseSD, Sigmas: sig}
			if r.IntN(2) == 0 {
				p.Kind, p.Size = KindDip, -p.Size
			}
			out = append(out, p)
			break
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

func poisson(r *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}
