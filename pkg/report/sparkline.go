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
