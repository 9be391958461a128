package report

import (
	"math"
	"strconv"
	"strings"
)

// Text widths are estimated, not measured (the page has no script): an
// 11 px label's characters are at most about 6.8 px wide in the common sans
// fonts (DejaVu Sans digits 7.0, Liberation Sans 6.1), a 10 px value's 6.2.
const (
	labelCharW = 6.8
	valueCharW = 6.2
)

// px formats a coordinate: one decimal, no "-0.0".
func px(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if s == "-0.0" {
		return "0.0"
	}
	return s
}

// niceNum is the "nice number" of Heckbert's axis labelling (Graphics
// Gems, 1990): 1, 2 or 5 times a power of ten, rounded (round) or taken at
// or above x.
func niceNum(x float64, round bool) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 1
	}
	exp := math.Floor(math.Log10(x))
	f := x / math.Pow(10, exp)
	var nf float64
	if round {
		switch {
		case f < 1.5:
			nf = 1
		case f < 3:
			nf = 2
		case f < 7:
			nf = 5
		default:
			nf = 10
		}
	} else {
		switch {
		case f <= 1:
			nf = 1
		case f <= 2:
			nf = 2
		case f <= 5:
			nf = 5
		default:
			nf = 10
		}
	}
	return nf * math.Pow(10, exp)
}

// niceTicks returns about n ticks of nice numbers covering [lo, hi], and
// their step. The first tick is at or below lo, the last at or above hi.
func niceTicks(lo, hi float64, n int) ([]float64, float64) {
	if n < 2 {
		n = 2
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi == lo {
		d := math.Abs(lo) * 0.1
		if d == 0 {
			d = 1
		}
		lo, hi = lo-d, hi+d
	}
	step := niceNum((hi-lo)/float64(n-1), true)
	start := math.Floor(lo/step) * step
	end := math.Ceil(hi/step) * step
	dec := decimalsOf(step)
	var ticks []float64
	for i := 0; ; i++ {
		v := start + float64(i)*step
		if v > end+step/2 || i > 100 {
			break
		}
		// Snap to the step's decimals so 0.1+0.2 reads 0.3.
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'f', dec, 64), 64)
		ticks = append(ticks, v)
	}
	return ticks, step
}

// decimalsOf is the number of decimals a multiple of step needs.
func decimalsOf(step float64) int {
	for d := 0; d < 12; d++ {
		s := step * math.Pow(10, float64(d))
		if math.Abs(s-math.Round(s)) < 1e-9*math.Max(1, s) {
			return d
		}
	}
	return 12
}

// tickFormatter formats tick values compactly (12k, 1.5M, 2B) with the
// decimals their step needs.
func tickFormatter(ticks []float64, step float64) func(float64) string {
	maxAbs := 0.0
	for _, t := range ticks {
		maxAbs = math.Max(maxAbs, math.Abs(t))
	}
	div, suffix := 1.0, ""
	switch {
	case maxAbs >= 1e9:
		div, suffix = 1e9, "B"
	case maxAbs >= 1e6:
		div, suffix = 1e6, "M"
	case maxAbs >= 1e4:
		div, suffix = 1e3, "k"
	}
	dec := decimalsOf(step / div)
	return func(v float64) string {
		s := strconv.FormatFloat(v/div, 'f', dec, 64)
		if strings.Trim(s, "-0.") == "" {
			return "0"
		}
		return s + suffix
	}
}

// linear maps [d0, d1] onto [r0, r1].
type linear struct{ d0, d1, r0, r1 float64 }

func (l linear) at(v float64) float64 {
	if l.d1 == l.d0 {
		return (l.r0 + l.r1) / 2
	}
	return l.r0 + (v-l.d0)/(l.d1-l.d0)*(l.r1-l.r0)
}

// frame is a chart's size and plot area.
type frame struct {
	W, H, L, R, T, B float64
}

func newFrame(w, h int, defW, defH float64) frame {
	f := frame{W: defW, H: defH, L: 64, R: 16, T: 24, B: 36}
	if w > 0 {
		f.W = float64(w)
	}
	if h > 0 {
		f.H = float64(h)
	}
	return f
}

func (f frame) x0() float64 { return f.L }
func (f frame) x1() float64 { return f.W - f.R }
func (f frame) y0() float64 { return f.T }
func (f frame) y1() float64 { return f.H - f.B }

type tickView struct{ Pos, Label string }

// axisView is a chart's y axis: gridlines with labels, and the zero line.
type axisView struct {
	X0, X1 string // gridline extent
	LabelX string
	Ticks  []tickView
	Zero   string // y of the zero line ("" when zero is outside the axis)
	Unit   string
}

// yAxis computes a value axis over [lo, hi] for the frame and returns the
// scale.
func yAxis(f frame, lo, hi float64, unit string) (axisView, linear) {
	ticks, step := niceTicks(lo, hi, 6)
	s := linear{ticks[0], ticks[len(ticks)-1], f.y1(), f.y0()}
	format := tickFormatter(ticks, step)
	a := axisView{X0: px(f.x0()), X1: px(f.x1()), LabelX: px(f.x0() - 6), Unit: unit}
	for _, t := range ticks {
		a.Ticks = append(a.Ticks, tickView{Pos: px(s.at(t)), Label: format(t)})
	}
	if ticks[0] < 0 && ticks[len(ticks)-1] > 0 {
		a.Zero = px(s.at(0))
	}
	return a, s
}

// xLabel is a category label on the x axis.
type xLabel struct {
	X, Y, Text, Full, Anchor, Transform string
	Rotate                              bool
}

// shorten cuts a label longer than limit runes in its middle, so both its
// start and its distinguishing end stay ("Customer seg…number 12"); the
// full text goes in its tooltip.
func shorten(t string, limit int) string {
	r := []rune(t)
	if len(r) <= limit {
		return t
	}
	head := (limit - 1) / 2
	tail := limit - 1 - head
	return string(r[:head]) + "\u2026" + string(r[len(r)-tail:])
}

// xLabels lays out category labels under the plot at the centres xs: every
// k-th label when they would overlap (thin), else rotated when a slot is
// narrow; long labels are shortened on the chart with the full text as
// their tooltip. It returns the labels, the bottom margin they need, and
// the left margin rotated labels need so the first stays on the chart.
func xLabels(f frame, xs []float64, texts []string, slot float64, thin bool) ([]xLabel, float64, float64) {
	const charW = labelCharW
	limit := 24
	longest := func() int {
		m := 0
		for _, t := range texts {
			m = max(m, min(len([]rune(t)), limit))
		}
		return m
	}
	maxLen := longest()
	need := float64(maxLen)*charW + 8
	step := 1
	rotate := false
	if need > slot {
		if thin {
			step = int(math.Ceil(need / math.Max(slot, 1)))
		} else {
			rotate = true
			limit = 32
			maxLen = longest()
		}
	}
	bottom, left := 36.0, f.L
	if rotate {
		w := float64(maxLen) * charW
		bottom = 28 + w*math.Sin(35*math.Pi/180)
		left = math.Max(f.L, w*math.Cos(35*math.Pi/180)-slot/2+4)
	}
	var out []xLabel
	for i, t := range texts {
		if i%step != 0 {
			continue
		}
		l := xLabel{X: px(xs[i]), Text: shorten(t, limit), Full: t, Anchor: "middle"}
		if rotate {
			l.Anchor, l.Rotate = "end", true
		}
		out = append(out, l)
	}
	return out, bottom, left
}

// placeXLabels sets the labels' y (and rotation) once the frame is final.
func placeXLabels(f frame, ls []xLabel) {
	y := f.y1() + 16
	for i := range ls {
		ls[i].Y = px(y)
		if ls[i].Rotate {
			ls[i].Transform = "rotate(-35 " + ls[i].X + " " + px(y) + ")"
		}
	}
}
