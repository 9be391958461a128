package anomaly

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"slices"
	"sort"
)

const (
	fitHalf   = 9  // neighbours each side in the local trend fit
	stepSide  = 8  // observations each side averaged for a level shift
	slopeSide = 15 // observations each side for the slope at a level shift
	locR      = 3  // a level shift is placed within this many of its peak statistic
	outerRuns = 2  // backfitting passes: seasonality ⇄ trend, breaks, spikes
)

// fit holds the state of one decomposition.
type fit struct {
	y        []float64
	n        int
	opt      Options
	seasonal []float64 // by observation
	byPos    []float64 // by season position
	d        []float64 // y − seasonal
	breaks   []int     // sorted level-shift indexes
	excl     []bool    // observations left out of fits (spikes and dips)
	expected []float64 // robust local trend of d at t, fitted without t
	lev      []float64 // variance factor of expected[t]
	looS     []float64 // seasonal effect at t estimated without t
	looV     []float64 // its variance factor
	resid    []float64
	z        []float64
	center   float64
	scale    float64
	sscale   float64   // the step test's σ (see stepScale)
	bx, by   []float64 // scratch for localFit
	bw       []float64
}

func newFit(y []float64, opt Options) *fit {
	n := len(y)
	return &fit{
		y: y, n: n, opt: opt,
		seasonal: make([]float64, n), byPos: make([]float64, opt.Season),
		d: slices.Clone(y), excl: make([]bool, n),
		bx: make([]float64, 0, 2*fitHalf+2), by: make([]float64, 0, 2*fitHalf+2), bw: make([]float64, 0, 2*fitHalf+2),
		expected: make([]float64, n), lev: make([]float64, n), looS: make([]float64, n), looV: make([]float64, n), resid: make([]float64, n), z: make([]float64, n),
	}
}

// out turns a fitted value into the series' units (from logarithms in a
// multiplicative reading).
func (f *fit) out(v float64) float64 {
	if f.opt.Multiplicative {
		return math.Exp(v)
	}
	return v
}

func (f *fit) pos(t int) int { return (f.opt.FirstPos + t) % f.opt.Season }

func (f *fit) seasonalOn() bool { return f.opt.Season > 1 && f.n >= 2*f.opt.Season }

// run backfits: a first seasonality from a running median, then, twice,
// spikes → level shifts → spikes within segments → seasonality from the
// segment-aware trend; and a last scoring.
func (f *fit) run(detect bool) {
	if f.n < 3 {
		copy(f.expected, f.y)
		return
	}
	if f.seasonalOn() {
		f.initialSeasonal()
	}
	for range outerRuns {
		f.deseasonalise()
		f.breaks = nil
		f.spikes()
		if detect {
			f.detectBreaks()
		}
		f.spikes()
		if f.seasonalOn() {
			f.reestimateSeasonal()
		}
	}
	f.deseasonalise()
	f.spikes()
	if detect {
		f.verifyBreaks()
	}
}

// verifyBreaks drops level shifts whose step statistic, with the final
// fit, is no longer above the threshold, and scores again without them.
func (f *fit) verifyBreaks() {
	for range 3 {
		f.setStepScale()
		kept := f.breaks[:0:0]
		for _, b := range f.breaks {
			if st := f.step(b, true); st.ok && math.Abs(st.score) > f.opt.ShiftThreshold {
				kept = append(kept, b)
			}
		}
		if len(kept) == len(f.breaks) {
			return
		}
		f.breaks = kept
		f.spikes()
	}
}

// initialSeasonal: the trend is the centred moving average over one season
// (2×12 for months), which takes out a constant seasonality exactly and
// follows a linear trend; the seasonal effect of a position is the median
// of the detrended values there (so a spike or a level shift in one year
// does not move it), centred to sum to 0.
func (f *fit) initialSeasonal() {
	m := f.opt.Season
	half := m / 2
	groups := make([][]float64, m)
	for t := half; t+half < f.n; t++ {
		var tr float64
		if m%2 == 0 {
			tr = (f.y[t-half] + f.y[t+half]) / 2
			for j := t - half + 1; j < t+half; j++ {
				tr += f.y[j]
			}
		} else {
			for j := t - half; j <= t+half; j++ {
				tr += f.y[j]
			}
		}
		tr /= float64(m)
		groups[f.pos(t)] = append(groups[f.pos(t)], f.y[t]-tr)
	}
	f.setSeasonal(groups)
}

func (f *fit) reestimateSeasonal() {
	groups := make([][]float64, f.opt.Season)
	for t := range f.n {
		if !f.excl[t] {
			groups[f.pos(t)] = append(groups[f.pos(t)], f.y[t]-f.expected[t])
		}
	}
	f.setSeasonal(groups)
}

func (f *fit) setSeasonal(groups [][]float64) {
	var mean float64
	for p, g := range groups {
		f.byPos[p] = 0
		if len(g) > 0 {
			f.byPos[p] = median(g)
		}
		mean += f.byPos[p] / float64(f.opt.Season)
	}
	for p := range f.byPos {
		f.byPos[p] -= mean
	}
	for t := range f.n {
		f.seasonal[t] = f.byPos[f.pos(t)]
	}
}

func (f *fit) deseasonalise() {
	for t := range f.n {
		f.d[t] = f.y[t] - f.seasonal[t]
	}
}

// segment returns the bounds [lo, hi) of the trend segment holding t.
func (f *fit) segment(t int) (lo, hi int) {
	i := sort.SearchInts(f.breaks, t+1) // first break > t
	lo, hi = 0, f.n
	if i > 0 {
		lo = f.breaks[i-1]
	}
	if i < len(f.breaks) {
		hi = f.breaks[i]
	}
	return lo, hi
}

// localFit is the local trend of d at t fitted without t (LOESS-like):
// a quadratic with tricube weights over the kept neighbours within fitHalf
// in t's segment when there are at least two each side, otherwise a
// straight line through the nearest kept neighbours on the side there is
// (at the ends of the series and of segments). It returns the value and its
// variance factor.
func (f *fit) localFit(t int) (float64, float64) {
	lo, hi := f.segment(t)
	xs, ys, ws := f.bx[:0], f.by[:0], f.bw[:0] // scratch, not kept
	left, right := 0, 0
	for j := max(lo, t-fitHalf); j < min(hi, t+fitHalf+1); j++ {
		if j == t || f.excl[j] {
			continue
		}
		xs, ys = append(xs, float64(j)), append(ys, f.d[j])
		ws = append(ws, tricube(float64(j-t), fitHalf+1))
		if j < t {
			left++
		} else {
			right++
		}
	}
	if left >= 2 && right >= 2 {
		if p, v, ok := localPoly(xs, ys, ws, 2, float64(t)); ok {
			return p, v
		}
	}
	// One-sided: the nearest kept neighbours, up to fitHalf of them.
	xs, ys, ws = xs[:0], ys[:0], ws[:0]
	for dist := 1; dist <= 2*fitHalf && len(xs) < fitHalf; dist++ {
		for _, j := range []int{t - dist, t + dist} {
			if j >= lo && j < hi && !f.excl[j] && len(xs) < fitHalf {
				xs, ys, ws = append(xs, float64(j)), append(ys, f.d[j]), append(ws, 1)
			}
		}
	}
	if len(xs) >= 4 {
		if p, v, ok := localPoly(xs, ys, ws, 1, float64(t)); ok {
			return p, v
		}
	}
	if len(ys) == 0 {
		return f.d[t], 0
	}
	return median(ys), 1.5707963 / float64(len(ys))
}

// score fits the trend at every observation and scores the residuals.
// The seasonal effect a residual is measured against is left-one-out too:
// the median over the other seasons' detrended values at its position (a
// median over all of them would include the observation itself and, with
// few seasons, shrink its own residual towards 0). Each residual is divided
// by √(1+v), v the variance factor of its trend and seasonal estimates (a
// fit at the end of a segment is less certain than one in the middle),
// then by the robust scale of all of them (1.4826·MAD) after taking their
// median off: the modified z-score.
func (f *fit) score() {
	u := make([]float64, f.n)
	for t := range f.n {
		f.expected[t], f.lev[t] = f.localFit(t)
	}
	if f.seasonalOn() {
		f.looSeasonal()
	}
	for t := range f.n {
		f.resid[t] = f.y[t] - f.expected[t] - f.looS[t]
		u[t] = f.resid[t] / math.Sqrt(1+f.lev[t]+f.looV[t])
	}
	f.center, f.scale = robustScale(u)
	var size float64
	for _, v := range f.y {
		size = math.Max(size, math.Abs(v))
	}
	if f.scale <= 1e-9*size { // rounding error: no variation at all
		f.scale = 0
	}
	for t := range f.n {
		f.z[t] = 0
		if f.scale > 0 {
			f.z[t] = (u[t] - f.center) / f.scale
		}
	}
}

// looSeasonal sets, for every observation, the seasonal effect estimated
// without it (and without the observations left out as spikes), on the
// same centring as the full estimate, and its variance factor.
func (f *fit) looSeasonal() {
	m := f.opt.Season
	groups := make([][]int, m)
	for t := range f.n {
		if !f.excl[t] {
			groups[f.pos(t)] = append(groups[f.pos(t)], t)
		}
	}
	// The centring of the full estimate: its raw medians' mean.
	var shift float64
	for p := range m {
		var vals []float64
		for _, j := range groups[p] {
			vals = append(vals, f.y[j]-f.expected[j])
		}
		if len(vals) > 0 {
			shift += median(vals) / float64(m)
		}
	}
	var vals []float64
	for t := range f.n {
		vals = vals[:0]
		for _, j := range groups[f.pos(t)] {
			if j != t {
				vals = append(vals, f.y[j]-f.expected[j])
			}
		}
		switch k := len(vals); {
		case k == 0:
			f.looS[t], f.looV[t] = f.seasonal[t], 1
		case k <= 2:
			f.looS[t], f.looV[t] = median(vals)-shift, 1/float64(k)
		default:
			f.looS[t], f.looV[t] = median(vals)-shift, math.Pi/2/float64(k)
		}
	}
}

// spikes marks the observations whose |z| exceeds the threshold and fits
// again without them, until the marks settle.
func (f *fit) spikes() {
	clear(f.excl)
	for range 4 {
		f.score()
		changed := false
		for t := range f.n {
			out := f.scale > 0 && math.Abs(f.z[t]) > f.opt.Threshold
			if out != f.excl[t] {
				f.excl[t], changed = out, true
			}
		}
		if !changed {
			return
		}
	}
	f.score()
}

type stepStat struct {
	before, after float64 // fitted levels at the step's first observation
	score         float64
	ok            bool
}

// step compares the level before and after a step at k (k is the first
// observation after it) within the segment holding k (or, when k is
// already a break, the two segments it separates): the mean of each side's
// nearest stepSide kept observations, each carried to the boundary k−½
// along one slope fitted within both sides over slopeSide observations
// each side (least squares on deviations from each side's mean, so the
// step itself does not tilt it). On symmetric windows a smooth bend or a
// change of slope at the boundary shifts both sides alike and shows no
// step. The statistic is the difference over its standard error.
func (f *fit) step(k int, isBreak bool) stepStat { return f.stepAt(k, isBreak, false) }

func (f *fit) stepAt(k int, isBreak, levels bool) stepStat {
	lo, _ := f.segment(k - 1)
	_, hi := f.segment(k)
	if !isBreak {
		lo, hi = f.segment(k)
		if k == lo {
			return stepStat{}
		}
	}
	if f.scale == 0 || f.sscale == 0 {
		return stepStat{}
	}
	// The slope, pooled within the two sides.
	var sxx, sxy float64
	for _, side := range [2][2]int{{max(lo, k-slopeSide), k}, {k, min(hi, k+slopeSide)}} {
		var xs, ys []float64
		for j := side[0]; j < side[1]; j++ {
			if !f.excl[j] {
				xs, ys = append(xs, float64(j)), append(ys, f.d[j])
			}
		}
		if len(xs) < 2 {
			continue
		}
		mx, my := stat.Mean(xs, nil), stat.Mean(ys, nil)
		for i := range xs {
			sxx += (xs[i] - mx) * (xs[i] - mx)
			sxy += (xs[i] - mx) * (ys[i] - my)
		}
	}
	if sxx == 0 {
		return stepStat{}
	}
	b := sxy / sxx
	edge := float64(k) - 0.5
	var left, right, lx, rx []float64
	for j := max(lo, k-stepSide); j < k; j++ {
		if !f.excl[j] {
			left, lx = append(left, f.d[j]+b*(edge-float64(j))), append(lx, float64(j))
		}
	}
	for j := k; j < min(hi, k+stepSide); j++ {
		if !f.excl[j] {
			right, rx = append(right, f.d[j]+b*(edge-float64(j))), append(rx, float64(j))
		}
	}
	if len(left) < minSide || len(right) < minSide {
		return stepStat{}
	}
	l, r := stat.Mean(left, nil), stat.Mean(right, nil)
	gap := stat.Mean(rx, nil) - stat.Mean(lx, nil)
	v := 1/float64(len(left)) + 1/float64(len(right)) + gap*gap/sxx
	st := stepStat{ok: true, score: (r - l) / (f.sscale * math.Sqrt(v))}
	if levels {
		st.before, st.after = l+b/2, r+b/2
	}
	return st
}

// stepScale is the noise σ the step test divides by: the residuals' robust
// scale, or, when smaller, that of the first differences of the
// deseasonalised series (1.4826·MAD/√2), which a missed level shift or a
// spike touches only once or twice — while a shift is still unknown, it
// inflates the residuals' scale and would hide itself.
func (f *fit) setStepScale() { f.sscale = f.stepScale() }

func (f *fit) stepScale() float64 {
	dd := make([]float64, 0, f.n)
	for t := 1; t < f.n; t++ {
		if !f.excl[t] && !f.excl[t-1] {
			dd = append(dd, f.d[t]-f.d[t-1])
		}
	}
	if len(dd) < 3 {
		return f.scale
	}
	_, s := robustScale(dd)
	return math.Min(f.scale, s/math.Sqrt2)
}

// detectBreaks adds level shifts one at a time, the largest step statistic
// first, while it exceeds the shift threshold.
func (f *fit) detectBreaks() {
	f.breaks = nil
	f.setStepScale()
	for len(f.breaks) < f.n/(2*minSide) {
		best, bestK := 0.0, -1
		for k := minSide; k <= f.n-minSide; k++ {
			lo, hi := f.segment(k)
			if k-lo < minSide || hi-k < minSide {
				continue
			}
			if st := f.step(k, false); st.ok && math.Abs(st.score) > math.Abs(best) {
				best, bestK = st.score, k
			}
		}
		if bestK < 0 || math.Abs(best) <= f.opt.ShiftThreshold {
			return
		}
		bestK = f.localise(bestK)
		i := sort.SearchInts(f.breaks, bestK)
		f.breaks = slices.Insert(f.breaks, i, bestK)
	}
}

// localise places a level shift found at k: for each candidate c within
// locR of k, a straight line is fitted to the kept observations on each
// side of c (over the same span for every candidate), and every
// observation within locR+1 of k — kept or not, since points at a step's
// edge are often left out as spikes while it is unknown — is scored
// against its side's line, with the squared error capped at (3σ)² so a real spike weighs no
// more than a bad fit. The step statistic peaks broadly, so its maximum
// alone can be a few observations off.
func (f *fit) localise(k int) int {
	lo, hi := f.segment(k)
	from, to := max(lo, k-locR-stepSide), min(hi, k+locR+stepSide)
	capSq := 9 * f.scale * f.scale
	best, bestLoss := k, math.Inf(1)
	for c := max(lo+minSide, k-locR); c <= min(hi-minSide, k+locR); c++ {
		var loss float64
		for _, side := range [2][2]int{{from, c}, {c, to}} {
			var xs, ys, ws []float64
			for j := side[0]; j < side[1]; j++ {
				if !f.excl[j] {
					xs, ys, ws = append(xs, float64(j)), append(ys, f.d[j]), append(ws, 1)
				}
			}
			if len(xs) < 3 {
				loss = math.Inf(1)
				break
			}
			for j := max(side[0], k-locR-1); j < min(side[1], k+locR+2); j++ {
				p, _, ok := localPoly(xs, ys, ws, 1, float64(j))
				if !ok {
					loss = math.Inf(1)
					break
				}
				loss += math.Min((f.d[j]-p)*(f.d[j]-p), capSq)
			}
		}
		if loss < bestLoss {
			best, bestLoss = c, loss
		}
	}
	return best
}
