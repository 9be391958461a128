package report

import (
	"math"
	"strings"
)

var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values as a line of Unicode block characters (▁ to █),
// scaled from the smallest to the largest value; NaN (and ±Inf) are gaps
// (a space). A flat series is drawn at mid height. For a terminal table
// next to the exact numbers; use cmdutil.Table for the table itself.
func Sparkline(values []float64) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if ok(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	var b strings.Builder
	top := len(sparkBlocks) - 1
	for _, v := range values {
		switch {
		case !ok(v):
			b.WriteRune(' ')
		case hi == lo:
			b.WriteRune(sparkBlocks[top/2])
		default:
			i := int(math.Round((v - lo) / (hi - lo) * float64(top)))
			b.WriteRune(sparkBlocks[i])
		}
	}
	return b.String()
}

// SparklineNums is Sparkline over Nums (missing values are gaps).
func SparklineNums(values []Num) string {
	vs := make([]float64, len(values))
	for i, n := range values {
		vs[i] = n.V
		if !n.Ok() {
			vs[i] = math.NaN()
		}
	}
	return Sparkline(vs)
}

func ok(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// SparklineWidth is Sparkline over at most width characters: a longer
// series is cut into width runs of (nearly) equal length, each drawn as its
// mean (a run with no value is a gap).
func SparklineWidth(values []float64, width int) string {
	if width <= 0 || len(values) <= width {
		return Sparkline(values)
	}
	out := make([]float64, width)
	for k := range width {
		lo, hi := k*len(values)/width, (k+1)*len(values)/width
		sum, n := 0.0, 0
		for _, v := range values[lo:hi] {
			if ok(v) {
				sum += v
				n++
			}
		}
		out[k] = math.NaN()
		if n > 0 {
			out[k] = sum / float64(n)
		}
	}
	return Sparkline(out)
}
