package trend

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// lineCost gives, in O(1) from prefix sums, the residual sum of squares of
// the least-squares line through y[a:b].
type lineCost struct {
	sx, sy, sxx, sxy, syy []float64
}

func newLineCost(y []float64) *lineCost {
	n := len(y)
	mean := stat.Mean(y, nil) // centred, so the sums do not lose digits
	c := &lineCost{make([]float64, n+1), make([]float64, n+1), make([]float64, n+1), make([]float64, n+1), make([]float64, n+1)}
	for i, v := range y {
		x, v := float64(i), v-mean
		c.sx[i+1], c.sy[i+1] = c.sx[i]+x, c.sy[i]+v
		c.sxx[i+1], c.sxy[i+1], c.syy[i+1] = c.sxx[i]+x*x, c.sxy[i]+x*v, c.syy[i]+v*v
	}
	return c
}

func (c *lineCost) cost(a, b int) float64 {
	n := float64(b - a)
	sx, sy := c.sx[b]-c.sx[a], c.sy[b]-c.sy[a]
	sxx := c.sxx[b] - c.sxx[a] - sx*sx/n
	sxy := c.sxy[b] - c.sxy[a] - sx*sy/n
	syy := c.syy[b] - c.syy[a] - sy*sy/n
	r := syy
	if sxx > 0 {
		r -= sxy * sxy / sxx
	}
	return math.Max(r, 0)
}

// changePoints splits d into straight-line segments (each with its own
// level and slope, at least MinSegment long) minimising the total
// residual sum of squares plus β per change point, β = Penalty·σ²·ln n
// (σ the noise SD), by optimal partitioning (exact; O(n²) segment costs,
// each O(1)).
func changePoints(d []float64, sigma float64, opt Options) []ChangePoint {
	n, L := len(d), opt.MinSegment
	out := []ChangePoint{}
	if n < 2*L {
		return out
	}
	if sigma <= 0 {
		return out // no noise to judge a change against
	}
	beta := opt.Penalty * sigma * sigma * math.Log(float64(n))
	c := newLineCost(d)
	F := make([]float64, n+1)
	last := make([]int, n+1)
	for t := 1; t <= n; t++ {
		F[t], last[t] = math.Inf(1), -1
		if t >= L {
			F[t], last[t] = c.cost(0, t), 0
		}
		for s := L; s <= t-L; s++ {
			if v := F[s] + c.cost(s, t) + beta; v < F[t] {
				F[t], last[t] = v, s
			}
		}
	}
	var cuts []int
	for t := n; last[t] > 0; t = last[t] {
		cuts = append([]int{last[t]}, cuts...)
	}
	bounds := append(append([]int{0}, cuts...), n)
	type line struct{ a, b float64 }
	lines := make([]line, len(bounds)-1)
	for i := range lines {
		xs := make([]float64, bounds[i+1]-bounds[i])
		for j := range xs {
			xs[j] = float64(bounds[i] + j)
		}
		a, b := stat.LinearRegression(xs, d[bounds[i]:bounds[i+1]], nil, false)
		lines[i] = line{a, b}
	}
	for i, k := range cuts {
		before, after := lines[i], lines[i+1]
		cp := ChangePoint{
			Index:       k,
			LevelBefore: before.a + before.b*float64(k),
			LevelAfter:  after.a + after.b*float64(k),
			SlopeBefore: before.b,
			SlopeAfter:  after.b,
			Kind:        "slope",
		}
		cp.Jump = cp.LevelAfter - cp.LevelBefore
		if math.Abs(cp.Jump) > 3*sigma {
			cp.Kind = "level"
		}
		out = append(out, cp)
	}
	return out
}
