package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// seriesColours is the number of series colours (classes s0…s7 in the
// stylesheet: the Okabe–Ito palette, readable by colour-blind readers);
// series beyond it reuse them in order.
const seriesColours = 8

// seriesClass is the colour class of the i-th series.
func seriesClass(i int) string { return "s" + strconv.Itoa(i%seriesColours) }

// chartView is what every chart template shares.
type chartView struct {
	Title, Caption, Aria string
	W, H                 string
	Axis                 axisView
	XLabels              []xLabel
	Legend               []legendItem
}

type legendItem struct {
	Kind, Class, Label string
}

// aria is a chart's accessible name: its title, caption and a summary.
func aria(title, caption, auto string) string {
	parts := []string{}
	for _, s := range []string{title, caption, auto} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, strings.TrimSuffix(s, "."))
		}
	}
	return strings.Join(parts, ". ")
}

// categoryAxis lays out n categories in equal slots across the frame, with
// their labels: it widens the frame's left and bottom margins for rotated
// labels, and returns the labels, the slot width and the slots' centres.
func categoryAxis(f *frame, labels []string) ([]xLabel, float64, []float64) {
	n := len(labels)
	centres := func() (float64, []float64) {
		slot := (f.x1() - f.x0()) / float64(n)
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = f.x0() + slot*(float64(i)+0.5)
		}
		return slot, xs
	}
	slot, xs := centres()
	xl, bottom, left := xLabels(*f, xs, labels, slot, false)
	if left > f.L {
		f.L = left
		slot, xs = centres()
		xl, bottom, _ = xLabels(*f, xs, labels, slot, false)
	}
	f.B = bottom
	return xl, slot, xs
}

// ---------------------------------------------------------------- waterfall

// Step is a bar of a waterfall: a total (its Start and End) or a change.
// Tone overrides the colour the change's direction gives.
type Step struct {
	Label string
	Value Num
	Tone  Tone
	Note  string
}

// Waterfall is a variance bridge: a start total, the changes up and down,
// the end total. When every value is a decimal string the changes must add
// up to End − Start exactly (a bridge that does not close is an error).
type Waterfall struct {
	Title, Caption string
	Start          Step
	Steps          []Step
	End            Step
	// UpIsUnfavourable colours increases red and decreases green (costs).
	UpIsUnfavourable bool
	// ZeroBased keeps zero on the axis even when the changes are small
	// beside the totals (by default the axis then starts near the lowest
	// level, and the caption says so).
	ZeroBased     bool
	Unit          string
	Width, Height int
}

type wfBar struct {
	X, Y, W, H   string
	Class        string
	Kind         string
	Label, Value string
	Note         string
	LabelX       string
	LabelY       string
	Shown        string // the value as shown on the chart
}

type wfLine struct{ X1, X2, Y string }

type waterfallView struct {
	chartView
	Bars       []wfBar
	Connectors []wfLine
}

func (w Waterfall) view(o opts) (string, any, error) {
	if err := w.Start.Value.check("waterfall start"); err != nil {
		return "waterfall", nil, err
	}
	if err := w.End.Value.check("waterfall end"); err != nil {
		return "waterfall", nil, err
	}
	if !w.Start.Value.Ok() || !w.End.Value.Ok() {
		return "waterfall", nil, fmt.Errorf("waterfall %q needs a start and an end total", w.Title)
	}
	for _, s := range w.Steps {
		if err := s.Value.check("waterfall step " + s.Label); err != nil {
			return "waterfall", nil, err
		}
		if !s.Value.Ok() {
			return "waterfall", nil, fmt.Errorf("waterfall %q: step %q has no value", w.Title, s.Label)
		}
	}
	if err := w.closes(); err != nil {
		return "waterfall", nil, err
	}
	n := len(w.Steps) + 2
	f := newFrame(w.Width, w.Height, 880, 340)
	// levels: the running total before and after each bar.
	type span struct{ a, b float64 }
	spans := make([]span, 0, n)
	spans = append(spans, span{0, w.Start.Value.V})
	level := w.Start.Value.V
	for _, s := range w.Steps {
		spans = append(spans, span{level, level + s.Value.V})
		level += s.Value.V
	}
	spans = append(spans, span{0, w.End.Value.V})
	lo, hi := 0.0, 0.0
	for _, s := range spans {
		lo, hi = math.Min(lo, math.Min(s.a, s.b)), math.Max(hi, math.Max(s.a, s.b))
	}
	// A bridge is about its changes: when every level is well above zero
	// and the changes are small beside the totals, the axis starts near the
	// lowest level (the totals are cut, and the caption says so).
	zoomed := false
	if !w.ZeroBased {
		lv, hv := math.Inf(1), math.Inf(-1)
		for i, s := range spans {
			if i > 0 && i < len(spans)-1 { // a total's foot is zero, not a level
				lv = math.Min(lv, s.a)
			}
			lv, hv = math.Min(lv, s.b), math.Max(hv, math.Max(s.a, s.b))
		}
		if lv > 0 && hv-lv < 0.4*hv {
			lo, hi = math.Max(0, lv-(hv-lv)*0.6), hv
			zoomed = lo > 0
		}
	}
	labels := make([]string, 0, n)
	labels = append(labels, w.Start.Label)
	for _, s := range w.Steps {
		labels = append(labels, s.Label)
	}
	labels = append(labels, w.End.Label)
	xl, slot, xs := categoryAxis(&f, labels)
	f.T = 28 // room for the value labels above the bars
	placeXLabels(f, xl)
	axis, y := yAxis(f, lo, hi, w.Unit)
	caption := w.Caption
	if zoomed {
		caption = strings.TrimSpace(caption + " The axis does not start at zero.")
	}
	v := waterfallView{chartView: chartView{Title: w.Title, Caption: caption,
		Aria: aria(w.Title, w.Caption, fmt.Sprintf("Waterfall from %s %s to %s %s in %d steps",
			w.Start.Label, w.Start.Value.Text, w.End.Label, w.End.Value.Text, len(w.Steps))),
		W: px(f.W), H: px(f.H), Axis: axis, XLabels: xl}}
	barW := math.Min(slot*0.64, 72)
	for i, s := range spans {
		var st Step
		kind := "start"
		switch {
		case i == 0:
			st = w.Start
		case i == n-1:
			st, kind = w.End, "end"
		default:
			st = w.Steps[i-1]
			kind = "up"
			if s.b < s.a {
				kind = "down"
			} else if s.b == s.a {
				kind = "zero"
			}
		}
		tone := st.Tone
		if tone == Neutral && (kind == "up" || kind == "down") {
			good := (kind == "up") != w.UpIsUnfavourable
			tone = Unfavourable
			if good {
				tone = Favourable
			}
		}
		top, bot := y.at(math.Max(s.a, s.b)), y.at(math.Min(s.a, s.b))
		bot = math.Min(bot, f.y1()) // a total on a zoomed axis starts at its foot
		h := math.Max(bot-top, 1)
		cls := "mark step " + kind
		if kind == "start" || kind == "end" {
			cls += " total"
		}
		if tone != Neutral {
			cls += " " + string(tone)
		}
		b := wfBar{X: px(xs[i] - barW/2), Y: px(top), W: px(barW), H: px(h), Class: cls, Kind: kind,
			Label: st.Label, Value: st.Value.Text, Note: st.Note, LabelX: px(xs[i]), Shown: o.show(st.Value.Text)}
		// Value label: above a bar that ends up (or a positive total),
		// below one that ends down.
		if kind == "down" || ((kind == "start" || kind == "end") && s.b < 0) {
			b.LabelY = px(top + h + 13)
		} else {
			b.LabelY = px(top - 5)
		}
		v.Bars = append(v.Bars, b)
		if i < n-1 {
			lvl := s.b
			if i == n-2 {
				lvl = spans[n-1].b
			}
			v.Connectors = append(v.Connectors, wfLine{X1: px(xs[i] + barW/2), X2: px(xs[i+1] - barW/2), Y: px(y.at(lvl))})
		}
	}
	up, down := "increase", "decrease"
	v.Legend = []legendItem{{"box", "total", "total"}}
	if w.UpIsUnfavourable {
		v.Legend = append(v.Legend, legendItem{"box", "unfavourable", up + " (unfavourable)"}, legendItem{"box", "favourable", down + " (favourable)"})
	} else {
		v.Legend = append(v.Legend, legendItem{"box", "favourable", up + " (favourable)"}, legendItem{"box", "unfavourable", down + " (unfavourable)"})
	}
	return "waterfall", v, nil
}

// closes checks, when every value is an exact decimal, that the changes
// carry the start total to the end total.
func (w Waterfall) closes() error {
	parse := func(n Num) (decimal.Decimal, bool) {
		d, err := decimal.NewFromString(strings.TrimSpace(n.Text))
		return d, err == nil
	}
	start, ok1 := parse(w.Start.Value)
	end, ok2 := parse(w.End.Value)
	if !ok1 || !ok2 {
		return nil
	}
	sum := start
	for _, s := range w.Steps {
		d, ok := parse(s.Value)
		if !ok {
			return nil
		}
		sum = sum.Add(d)
	}
	if !sum.Equal(end) {
		return fmt.Errorf("waterfall %q does not close: %s plus the steps is %s, not the end total %s (add the residual as a step)",
			w.Title, start, sum, end)
	}
	return nil
}

// ---------------------------------------------------------------- line chart

// Series is a line: Values[i] is at X[Start+i]. Missing values are gaps.
type Series struct {
	Name   string
	Values []Num
	Start  int
	Dashed bool // a forecast, a plan
}

// Band is a shaded interval (a prediction interval): Lower[i] and Upper[i]
// at X[Start+i], drawn in the colour of the series named Series.
type Band struct {
	Name         string
	Series       string
	Start        int
	Lower, Upper []Num
}

// Marker is a vertical line at an x position (an index into X; fractions
// fall between two periods): the forecast's start.
type Marker struct {
	Label string
	At    float64
}

// Window is a shaded span of x positions: a backtest window.
type Window struct {
	Label    string
	From, To float64
}

// Point marks one value: an anomaly, a change point. Kind names its class
// (default "anomaly"); Note is its tooltip.
type Point struct {
	Series string
	At     int
	Value  Num
	Label  string
	Note   string
	Kind   string
	Tone   Tone
}

// LineChart is one or more series over categories X (periods), with
// interval bands, markers, windows and point marks.
type LineChart struct {
	Title, Caption string
	X              []string
	Series         []Series
	Bands          []Band
	Markers        []Marker
	Windows        []Window
	Points         []Point
	Unit           string
	ZeroBased      bool
	Width, Height  int
}

type dotView struct {
	CX, CY, R, Class, Series, X, Value, Tip string
}

type pathView struct {
	D, Class, Name string
}

type markerView struct {
	X, Y1, Y2, Label, LabelX, LabelY string
}

type windowView struct {
	X, Y, W, H, Label, LabelX, LabelY, From, To string
}

type lineView struct {
	chartView
	Windows []windowView
	Bands   []pathView
	Lines   []pathView
	Dots    []dotView
	Markers []markerView
	Points  []dotView
}

func (c LineChart) view(o opts) (string, any, error) {
	n := len(c.X)
	if n == 0 {
		return "line", nil, fmt.Errorf("line chart %q has no x values", c.Title)
	}
	colour := map[string]string{}
	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(v Num) {
		if v.Ok() {
			lo, hi = math.Min(lo, v.V), math.Max(hi, v.V)
		}
	}
	for i, s := range c.Series {
		if s.Start < 0 || s.Start+len(s.Values) > n {
			return "line", nil, fmt.Errorf("line chart %q: series %q (%d values from %d) runs past the %d x values", c.Title, s.Name, len(s.Values), s.Start, n)
		}
		if _, dup := colour[s.Name]; dup {
			return "line", nil, fmt.Errorf("line chart %q: two series named %q", c.Title, s.Name)
		}
		colour[s.Name] = seriesClass(i)
		for _, v := range s.Values {
			if err := v.check("series " + s.Name); err != nil {
				return "line", nil, err
			}
			see(v)
		}
	}
	for _, b := range c.Bands {
		if len(b.Lower) != len(b.Upper) || b.Start < 0 || b.Start+len(b.Lower) > n {
			return "line", nil, fmt.Errorf("line chart %q: band %q needs as many lower as upper values within the %d x values", c.Title, b.Name, n)
		}
		for i := range b.Lower {
			if err := b.Lower[i].check("band " + b.Name); err != nil {
				return "line", nil, err
			}
			if err := b.Upper[i].check("band " + b.Name); err != nil {
				return "line", nil, err
			}
			see(b.Lower[i])
			see(b.Upper[i])
		}
	}
	for _, p := range c.Points {
		if p.At < 0 || p.At >= n {
			return "line", nil, fmt.Errorf("line chart %q: point %q at %d is outside the %d x values", c.Title, p.Label, p.At, n)
		}
		if err := p.Value.check("point " + p.Label); err != nil {
			return "line", nil, err
		}
		if !p.Value.Ok() {
			return "line", nil, fmt.Errorf("line chart %q: point %q has no value", c.Title, p.Label)
		}
		see(p.Value)
	}
	for _, m := range c.Markers {
		if m.At < 0 || m.At > float64(n-1) {
			return "line", nil, fmt.Errorf("line chart %q: marker %q at %g is outside the x values", c.Title, m.Label, m.At)
		}
	}
	for _, w := range c.Windows {
		if w.From < 0 || w.To > float64(n-1) || w.To < w.From {
			return "line", nil, fmt.Errorf("line chart %q: window %q from %g to %g is outside the x values", c.Title, w.Label, w.From, w.To)
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if c.ZeroBased {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}
	f := newFrame(c.Width, c.Height, 880, 320)
	f.R = 24
	// The first and last periods sit on the plot's edges: the margins hold
	// half of their labels.
	half := func(t string) float64 { return math.Min(float64(len([]rune(shorten(t, 24))))*labelCharW/2, 90) }
	f.L = math.Max(f.L, half(c.X[0])+4)
	f.R = math.Max(f.R, half(c.X[n-1])+2)
	xAt := func(i float64) float64 {
		if n == 1 {
			return (f.x0() + f.x1()) / 2
		}
		return f.x0() + (f.x1()-f.x0())*i/float64(n-1)
	}
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = xAt(float64(i))
	}
	slot := (f.x1() - f.x0()) / math.Max(float64(n-1), 1)
	xl, _, _ := xLabels(f, xs, c.X, slot, true)
	if len(c.Windows) > 0 || len(c.Markers) > 0 {
		f.T = 36 // room for their labels
	}
	placeXLabels(f, xl)
	axis, y := yAxis(f, lo, hi, c.Unit)
	v := lineView{chartView: chartView{Title: c.Title, Caption: c.Caption,
		Aria: aria(c.Title, c.Caption, fmt.Sprintf("Line chart of %d series over %d periods from %s to %s", len(c.Series), n, c.X[0], c.X[n-1])),
		W:    px(f.W), H: px(f.H), Axis: axis, XLabels: xl}}
	for _, w := range c.Windows {
		x0, x1 := xAt(w.From), xAt(w.To)
		v.Windows = append(v.Windows, windowView{X: px(x0), Y: px(f.y0()), W: px(math.Max(x1-x0, 1)), H: px(f.y1() - f.y0()),
			Label: w.Label, LabelX: px((x0 + x1) / 2), LabelY: px(f.y0() - 6), From: c.X[int(math.Floor(w.From))], To: c.X[int(math.Ceil(w.To))]})
	}
	for bi, b := range c.Bands {
		var d strings.Builder
		// one closed shape per run of points where both bounds are present
		run := []int{}
		flush := func() {
			if len(run) == 0 {
				return
			}
			for k, i := range run {
				cmd := "L"
				if k == 0 {
					cmd = "M"
				}
				fmt.Fprintf(&d, "%s%s %s ", cmd, px(xAt(float64(b.Start+i))), px(y.at(b.Upper[i].V)))
			}
			for k := len(run) - 1; k >= 0; k-- {
				i := run[k]
				fmt.Fprintf(&d, "L%s %s ", px(xAt(float64(b.Start+i))), px(y.at(b.Lower[i].V)))
			}
			d.WriteString("Z ")
			run = run[:0]
		}
		for i := range b.Lower {
			if b.Lower[i].Ok() && b.Upper[i].Ok() {
				run = append(run, i)
			} else {
				flush()
			}
		}
		flush()
		cls, ok := colour[b.Series]
		if !ok {
			cls = seriesClass(len(c.Series) + bi)
		}
		v.Bands = append(v.Bands, pathView{D: strings.TrimSpace(d.String()), Class: "mark band " + cls, Name: b.Name})
		v.Legend = append(v.Legend, legendItem{"band", cls, b.Name})
	}
	for _, s := range c.Series {
		cls := colour[s.Name]
		var d strings.Builder
		pen := false
		for i, val := range s.Values {
			if !val.Ok() {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			pen = true
			x, yy := xAt(float64(s.Start+i)), y.at(val.V)
			fmt.Fprintf(&d, "%s%s %s ", cmd, px(x), px(yy))
			v.Dots = append(v.Dots, dotView{CX: px(x), CY: px(yy), R: "2.5", Class: "mark dot " + cls,
				Series: s.Name, X: c.X[s.Start+i], Value: val.Text, Tip: s.Name + " · " + c.X[s.Start+i] + ": " + o.show(val.Text)})
		}
		lc := "mark line " + cls
		kind := "line"
		if s.Dashed {
			lc += " dashed"
			kind = "dashed"
		}
		// A line needs two points; one point is its dot alone.
		if strings.Count(d.String(), "L") > 0 {
			v.Lines = append(v.Lines, pathView{D: strings.TrimSpace(d.String()), Class: lc, Name: s.Name})
		}
		v.Legend = append(v.Legend, legendItem{kind, cls, s.Name})
	}
	for _, m := range c.Markers {
		x := xAt(m.At)
		// the label inside the plot, right of the line, clear of the
		// windows' labels above the plot
		v.Markers = append(v.Markers, markerView{X: px(x), Y1: px(f.y0()), Y2: px(f.y1()), Label: m.Label,
			LabelX: px(x + 4), LabelY: px(f.y0() + 11)})
	}
	kinds := map[string]bool{}
	for _, p := range c.Points {
		kind := p.Kind
		if kind == "" {
			kind = "anomaly"
		}
		cls := "mark point " + kind
		if p.Tone != Neutral {
			cls += " " + string(p.Tone)
		}
		tip := c.X[p.At] + ": " + o.show(p.Value.Text)
		if p.Label != "" {
			tip = p.Label + " · " + tip
		}
		if p.Note != "" {
			tip += " — " + p.Note
		}
		v.Points = append(v.Points, dotView{CX: px(xAt(float64(p.At))), CY: px(y.at(p.Value.V)), R: "5", Class: cls,
			Series: p.Series, X: c.X[p.At], Value: p.Value.Text, Tip: tip})
		if !kinds[kind] {
			kinds[kind] = true
			v.Legend = append(v.Legend, legendItem{"point", kind, kind})
		}
	}
	return "line", v, nil
}

// ---------------------------------------------------------------- bar chart

// BarSeries is one series of a bar chart: Values[i] for Categories[i];
// Tones (optional) colour single bars.
type BarSeries struct {
	Name   string
	Values []Num
	Tones  []Tone
}

// BarChart is a grouped bar chart: for each category one bar per series
// (actual beside budget). Horizontal lays the categories out as rows, with
// their labels on the left (members ranked by their contribution).
type BarChart struct {
	Title, Caption string
	Categories     []string
	Series         []BarSeries
	Unit           string
	Horizontal     bool
	// Width is the chart's width; Height that of a vertical chart (a
	// horizontal one is as tall as its rows).
	Width, Height int
}

type barView struct {
	X, Y, W, H, Class, Series, Category, Value, Tip string
	LabelX, LabelY, Shown, Anchor                   string
}

type barChartView struct {
	chartView
	Bars []barView
}

func (c BarChart) view(o opts) (string, any, error) {
	n := len(c.Categories)
	if n == 0 || len(c.Series) == 0 {
		return "bars", nil, fmt.Errorf("bar chart %q needs categories and series", c.Title)
	}
	lo, hi := 0.0, 0.0
	for _, s := range c.Series {
		if len(s.Values) != n {
			return "bars", nil, fmt.Errorf("bar chart %q: series %q has %d values for %d categories", c.Title, s.Name, len(s.Values), n)
		}
		if len(s.Tones) != 0 && len(s.Tones) != n {
			return "bars", nil, fmt.Errorf("bar chart %q: series %q has %d tones for %d categories", c.Title, s.Name, len(s.Tones), n)
		}
		for _, v := range s.Values {
			if err := v.check("series " + s.Name); err != nil {
				return "bars", nil, err
			}
			if v.Ok() {
				lo, hi = math.Min(lo, v.V), math.Max(hi, v.V)
			}
		}
	}
	if c.Horizontal {
		return c.horizontal(o, lo, hi)
	}
	f := newFrame(c.Width, c.Height, 880, 320)
	xl, slot, xs := categoryAxis(&f, c.Categories)
	placeXLabels(f, xl)
	axis, y := yAxis(f, lo, hi, c.Unit)
	v := barChartView{chartView: chartView{Title: c.Title, Caption: c.Caption,
		Aria: aria(c.Title, c.Caption, fmt.Sprintf("Bar chart of %d series over %d categories", len(c.Series), n)),
		W:    px(f.W), H: px(f.H), Axis: axis, XLabels: xl}}
	group := math.Min(slot*0.8, 56*float64(len(c.Series)))
	bw := group / float64(len(c.Series))
	zero := y.at(0)
	for si, s := range c.Series {
		cls := seriesClass(si)
		v.Legend = append(v.Legend, seriesLegend(s, cls)...)
		for i, val := range s.Values {
			if !val.Ok() {
				continue
			}
			x := xs[i] - group/2 + bw*float64(si)
			top, bot := y.at(math.Max(val.V, 0)), y.at(math.Min(val.V, 0))
			h := bot - top
			if h < 1 {
				h = 1
				if val.V < 0 {
					top = zero
				} else {
					top = zero - 1
				}
			}
			bc := "mark bar " + cls
			if len(s.Tones) > 0 && s.Tones[i] != Neutral {
				bc += " " + string(s.Tones[i])
			}
			if val.V < 0 {
				bc += " neg"
			}
			b := barView{X: px(x + bw*0.06), Y: px(top), W: px(bw * 0.88), H: px(h), Class: bc,
				Series: s.Name, Category: c.Categories[i], Value: val.Text,
				Tip: s.Name + " · " + c.Categories[i] + ": " + o.show(val.Text), LabelX: px(x + bw/2)}
			// a value label where it fits (the exact text, never shortened)
			if shown := o.show(val.Text); float64(len(shown))*valueCharW <= bw+2 {
				b.Shown = shown
				if val.V < 0 {
					b.LabelY = px(top + h + 11)
				} else {
					b.LabelY = px(top - 4)
				}
			}
			v.Bars = append(v.Bars, b)
		}
	}
	return "bars", v, nil
}

type catLabel struct {
	X, Y, Text, Full string
}

type hbarView struct {
	chartView
	Bars   []barView
	XTicks []tickView
	Y0, Y1 string // the plot's top and bottom
	TickY  string
	ZeroX  string
	Cats   []catLabel
}

// horizontal lays out a bar chart with categories as rows.
func (c BarChart) horizontal(o opts, lo, hi float64) (string, any, error) {
	const charW = labelCharW
	n, ns := len(c.Categories), len(c.Series)
	maxLen := 0
	for _, cat := range c.Categories {
		maxLen = max(maxLen, min(len([]rune(cat)), 32))
	}
	barH := 16.0
	if ns > 1 {
		barH = 12
	}
	rowH := barH*float64(ns) + 10
	f := newFrame(c.Width, 0, 880, 0)
	f.L = math.Min(float64(maxLen)*charW+16, 240)
	f.R = 72 // room for the value labels of the longest bars
	f.T, f.B = 8, 28
	f.H = f.T + rowH*float64(n) + f.B
	ticks, step := niceTicks(lo, hi, 6)
	x := linear{ticks[0], ticks[len(ticks)-1], f.x0(), f.x1()}
	format := tickFormatter(ticks, step)
	v := hbarView{chartView: chartView{Title: c.Title, Caption: c.Caption,
		Aria: aria(c.Title, c.Caption, fmt.Sprintf("Bar chart of %d series over %d categories", ns, n)),
		W:    px(f.W), H: px(f.H), Axis: axisView{Unit: c.Unit}},
		Y0: px(f.y0()), Y1: px(f.y1()), TickY: px(f.y1() + 16), ZeroX: px(x.at(0))}
	for _, t := range ticks {
		v.XTicks = append(v.XTicks, tickView{Pos: px(x.at(t)), Label: format(t)})
	}
	for i, cat := range c.Categories {
		short := shorten(cat, 32)
		v.Cats = append(v.Cats, catLabel{X: px(f.x0() - 8), Y: px(f.y0() + rowH*(float64(i)+0.5)), Text: short, Full: cat})
	}
	for si, s := range c.Series {
		cls := seriesClass(si)
		v.Legend = append(v.Legend, seriesLegend(s, cls)...)
		for i, val := range s.Values {
			if !val.Ok() {
				continue
			}
			y := f.y0() + rowH*float64(i) + 5 + barH*float64(si)
			left, right := x.at(math.Min(val.V, 0)), x.at(math.Max(val.V, 0))
			w := math.Max(right-left, 1)
			bc := "mark bar " + cls
			if len(s.Tones) > 0 && s.Tones[i] != Neutral {
				bc += " " + string(s.Tones[i])
			}
			b := barView{X: px(left), Y: px(y + 1), W: px(w), H: px(barH - 2), Class: bc,
				Series: s.Name, Category: c.Categories[i], Value: val.Text,
				Tip: s.Name + " · " + c.Categories[i] + ": " + o.show(val.Text), Shown: o.show(val.Text),
				LabelY: px(y + barH/2 + 3.5), Anchor: "start", LabelX: px(right + 4)}
			if val.V < 0 {
				b.Class += " neg"
				b.Anchor, b.LabelX = "end", px(left-4)
			}
			v.Bars = append(v.Bars, b)
		}
	}
	return "hbars", v, nil
}

// seriesLegend is a bar series' legend: its colour, or what its tones mean
// when its bars are coloured by tone.
func seriesLegend(s BarSeries, cls string) []legendItem {
	var out []legendItem
	for _, tone := range []Tone{Favourable, Unfavourable} {
		if slices.Contains(s.Tones, tone) {
			out = append(out, legendItem{"box", string(tone), s.Name + " (" + string(tone) + ")"})
		}
	}
	if len(out) == 0 || slices.Contains(s.Tones, Neutral) {
		out = append([]legendItem{{"box", cls, s.Name}}, out...)
	}
	return out
}
