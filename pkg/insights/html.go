package insights

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/report"
)

// The pages of `--html FILE`: one self-contained page per result, the
// chart a finance person expects and the numbers beside it (pkg/report).

func tone(assessment string) report.Tone {
	switch assessment {
	case "favourable":
		return report.Favourable
	case "unfavourable":
		return report.Unfavourable
	}
	return report.Neutral
}

func pctCell(p *string) string {
	if p == nil {
		return "—"
	}
	return *p + "%"
}

func fixed(d decimal.Decimal) string { return d.StringFixed(2) }

// Page is the variance as a page: the figures, the bridge as a
// waterfall, the lines and members with their variance, the drivers.
func (v *Variance) Page(footer string) *report.Page {
	p := report.New(fmt.Sprintf("%s against %s", v.Label, v.ComparisonLabel), v.Period)
	p.Footer, p.GroupDigits = footer, true
	p.Add(report.Figures{Items: []report.Figure{
		{Label: "Actual", Value: fixed(v.Actual)},
		{Label: strings.ToUpper(v.ComparisonLabel[:1]) + v.ComparisonLabel[1:], Value: fixed(v.Comparison)},
		{Label: "Variance", Value: fixed(v.Change), Note: pctCell(v.ChangePct) + ", " + v.Assessment, Tone: tone(v.Assessment)},
	}})
	w := report.Waterfall{Title: "From " + v.ComparisonLabel + " to actual", UpIsUnfavourable: v.FavourableWhen == "decrease"}
	for _, s := range v.Bridge {
		st := report.Step{Label: s.Label, Value: report.Dec(s.Value)}
		switch s.Kind {
		case "start":
			w.Start = st
		case "end":
			w.End = st
		default:
			w.Steps = append(w.Steps, st)
		}
	}
	p.Add(w)
	if x := v.PVM; x != nil {
		p.Add(report.Table{Title: "Price, volume and mix", Note: "Convention: docs/insights.md (volume at the comparison's average price, mix the remainder).",
			Columns: []report.Column{{Label: "Effect"}, {Label: "Amount", Numeric: true}},
			Rows: [][]report.Cell{report.Row("volume ("+x.VolumeMetric+" "+x.VolumeComp.String()+" → "+x.VolumeActual.String()+")", fixed(x.Volume)),
				report.Row("mix", fixed(x.Mix)), report.Row("price", fixed(x.Price)), report.Row("new", fixed(x.New)),
				report.Row("discontinued", fixed(x.Discontinued)), report.Row("without volume", fixed(x.NoVolume))}})
	}
	items := func(title, first string, its []Item, other *Item) {
		if len(its) == 0 {
			return
		}
		t := report.Table{Title: title, Columns: []report.Column{{Label: first}, {Label: "Actual", Numeric: true}, {Label: v.ComparisonLabel, Numeric: true},
			{Label: "Variance", Numeric: true}, {Label: "%", Numeric: true}, {Label: "Effect on total", Numeric: true}}}
		all := its
		if other != nil {
			all = append(append([]Item{}, its...), *other)
		}
		for _, it := range all {
			tn := tone(it.Assessment)
			t.Rows = append(t.Rows, []report.Cell{{Text: labelOr(it)}, {Text: fixed(it.Actual)}, {Text: fixed(it.Comparison)},
				{Text: fixed(it.Change), Tone: tn}, {Text: pctCell(it.ChangePct), Tone: tn}, {Text: fixed(it.Contribution)}})
		}
		t.Rows = append(t.Rows, []report.Cell{{Text: "Total", Strong: true}, {Text: fixed(v.Actual), Strong: true}, {Text: fixed(v.Comparison), Strong: true},
			{Text: fixed(v.Change), Strong: true, Tone: tone(v.Assessment)}, {Text: pctCell(v.ChangePct), Strong: true}, {Text: fixed(v.Change), Strong: true}})
		p.Add(t)
	}
	items("By line", "Line", v.Lines, nil)
	items("By "+strings.ReplaceAll(v.By, "_", " "), strings.ReplaceAll(v.By, "_", " "), v.Members, v.OtherMembers)
	if len(v.Drivers) > 0 {
		p.Add(report.Text{Title: "What drives it", Paragraphs: []string{Commentary(v)}})
	}
	if len(v.Notes) > 0 {
		p.Add(report.Text{Title: "Notes", Paragraphs: v.Notes})
	}
	return p
}

func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + fixed(d)
	}
	return fixed(d)
}

// Commentary is a variance's draft commentary: the change and its top
// drivers in words (the monthly close asks a person to accept or replace
// it).
func Commentary(v *Variance) string {
	var b strings.Builder
	dir := "up"
	if v.Change.IsNegative() {
		dir = "down"
	}
	if v.Change.IsZero() {
		return fmt.Sprintf("%s for %s equals %s (%s).", v.Label, v.Period, v.ComparisonLabel, fixed(v.Actual))
	}
	fmt.Fprintf(&b, "%s for %s is %s against %s: %s to %s, %s %s", v.Label, v.Period, v.Assessment, v.ComparisonLabel, fixed(v.Comparison), fixed(v.Actual), dir, fixed(v.Change.Abs()))
	if v.ChangePct != nil {
		fmt.Fprintf(&b, " (%s%%)", *v.ChangePct)
	}
	b.WriteString(".")
	if x := v.PVM; x != nil {
		fmt.Fprintf(&b, " Volume %s, mix %s, price %s.", signed(x.Volume), signed(x.Mix), signed(x.Price))
	}
	n := 0
	for _, d := range v.Drivers {
		if n == 3 {
			break
		}
		if n == 0 {
			b.WriteString(" Mostly ")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", d.Name, signed(d.Contribution))
		if d.SharePct != nil {
			fmt.Fprintf(&b, " (%s%%)", *d.SharePct)
		}
		n++
	}
	if n > 0 {
		b.WriteString(".")
	}
	return b.String()
}

// Page is the anomalies as a page: the series with its expected values
// and the findings marked on it, and the findings' table.
func (r *AnomalyReport) Page(footer string) *report.Page {
	p := report.New(r.Label+": anomalies", fmt.Sprintf("%s to %s, by %s", first(r.Periods), last(r.Periods), r.Grain))
	p.Footer, p.GroupDigits = footer, true
	vals := make([]report.Num, len(r.Values))
	for i, v := range r.Values {
		vals[i] = report.Dec(v.Round(2))
	}
	c := report.LineChart{Title: r.Label, X: r.Periods, Series: []report.Series{{Name: "actual", Values: vals}, {Name: "expected", Values: report.Floats(r.Expected, Precision), Dashed: true}}}
	idx := map[string]int{}
	for i, per := range r.Periods {
		idx[per] = i
	}
	t := report.Table{Title: "Findings", Columns: []report.Column{{Label: "Period"}, {Label: "Kind"}, {Label: "Actual", Numeric: true}, {Label: "Expected", Numeric: true},
		{Label: "Deviation", Numeric: true}, {Label: "Score", Numeric: true}, {Label: "Drivers"}}}
	for _, f := range r.Findings {
		i := idx[f.Period]
		c.Points = append(c.Points, report.Point{Series: "actual", At: i, Value: vals[i], Label: f.Kind, Note: f.Text, Kind: "anomaly", Tone: report.Unfavourable})
		var drv []string
		for _, d := range f.Drivers {
			drv = append(drv, fmt.Sprintf("%s %.1f%%", d.Member, d.SharePct))
		}
		t.Rows = append(t.Rows, report.Row(f.Period, strings.ReplaceAll(f.Kind, "_", " "), fmt.Sprintf("%.2f", f.Actual), fmt.Sprintf("%.2f", f.Expected),
			fmt.Sprintf("%.2f", f.Deviation), fmt.Sprintf("%.2f", f.Score), strings.Join(drv, ", ")))
	}
	p.Add(c)
	if len(t.Rows) > 0 {
		p.Add(t)
	} else {
		p.Add(report.Text{Paragraphs: []string{"No anomaly: every value is within the expected range."}})
	}
	if len(r.MemberFindings) > 0 {
		mt := report.Table{Title: "Members' own anomalies", Columns: []report.Column{{Label: "Member"}, {Label: "Period"}, {Label: "Kind"}, {Label: "Deviation", Numeric: true}, {Label: "Score", Numeric: true}}}
		for _, f := range r.MemberFindings {
			mt.Rows = append(mt.Rows, report.Row(f.Member, f.Period, strings.ReplaceAll(f.Kind, "_", " "), fmt.Sprintf("%.2f", f.Deviation), fmt.Sprintf("%.2f", f.Score)))
		}
		p.Add(mt)
	}
	p.Add(report.Text{Title: "Method", Paragraphs: append([]string{r.Method}, r.Notes...)})
	return p
}

// Page is the forecast as a page: history and forecast with its interval
// bands, the backtest windows, and the backtest table.
func (r *ForecastReport) Page(footer string) *report.Page {
	f := r.Forecast
	p := report.New(r.Label+": forecast", fmt.Sprintf("%d %ss after %s, %s", len(f.Periods), r.Grain, last(r.Periods), f.Model))
	p.Footer, p.GroupDigits = footer, true
	x := append(append([]string{}, r.Periods...), f.Periods...)
	hist := make([]report.Num, len(r.Values))
	for i, v := range r.Values {
		hist[i] = report.Dec(v.Round(2))
	}
	n := len(r.Periods)
	c := report.LineChart{Title: r.Label, X: x, Series: []report.Series{{Name: "actual", Values: hist}, {Name: "forecast", Values: report.Floats(f.Point, Precision), Start: n, Dashed: true}},
		Markers: []report.Marker{{Label: "forecast", At: float64(n) - 0.5}}}
	// Widest band first, so the narrower one is drawn inside it.
	for i := len(f.Intervals) - 1; i >= 0; i-- {
		iv := f.Intervals[i]
		c.Bands = append(c.Bands, report.Band{Name: fmt.Sprintf("%.0f%%", iv.Level), Series: "forecast", Start: n, Lower: report.Floats(iv.Lower, Precision), Upper: report.Floats(iv.Upper, Precision)})
	}
	idx := map[string]int{}
	for i, per := range r.Periods {
		idx[per] = i
	}
	for _, o := range f.BacktestOrigins {
		if i, ok := idx[o]; ok {
			c.Windows = append(c.Windows, report.Window{Label: "backtest after " + o, From: float64(i) + 0.5, To: float64(i) + 0.5 + float64(r.backtestHorizon())})
		}
	}
	p.Add(c)
	t := report.Table{Title: "Forecast", Columns: []report.Column{{Label: "Period"}, {Label: "Forecast", Numeric: true}}}
	for _, iv := range f.Intervals {
		t.Columns = append(t.Columns, report.Column{Label: fmt.Sprintf("%.0f%% low", iv.Level), Numeric: true}, report.Column{Label: fmt.Sprintf("%.0f%% high", iv.Level), Numeric: true})
	}
	for i, per := range f.Periods {
		row := report.Row(per, fmt.Sprintf("%.2f", f.Point[i]))
		for _, iv := range f.Intervals {
			row = append(row, report.Cell{Text: fmt.Sprintf("%.2f", iv.Lower[i])}, report.Cell{Text: fmt.Sprintf("%.2f", iv.Upper[i])})
		}
		t.Rows = append(t.Rows, row)
	}
	p.Add(t)
	bt := report.Table{Title: "Backtest (rolling origin)", Note: "MASE: mean absolute error over seasonal naive's in-sample error (below 1 beats it); sMAPE in percent.",
		Columns: []report.Column{{Label: "Method"}, {Label: "Model"}, {Label: "MASE", Numeric: true}, {Label: "sMAPE", Numeric: true}, {Label: "Chosen"}}}
	for _, row := range f.Backtest {
		chosen := ""
		if row.Chosen {
			chosen = "✓"
		}
		bt.Rows = append(bt.Rows, report.Row(string(row.Method), row.Model, fmt.Sprintf("%.3f", row.MASE), fmt.Sprintf("%.2f", row.SMAPE), chosen))
	}
	p.Add(bt)
	if notes := append(append([]string{}, r.Notes...), f.Notes...); len(notes) > 0 {
		p.Add(report.Text{Title: "Notes", Paragraphs: notes})
	}
	return p
}

func (r *ForecastReport) backtestHorizon() int {
	for _, row := range r.Forecast.Backtest {
		for _, w := range row.Forecasts {
			return len(w)
		}
	}
	return 0
}

// Page is the trend as a page: the series and its change points, the
// slope and growth rates.
func (r *TrendReport) Page(footer string) *report.Page {
	p := report.New(r.Label+": trend", fmt.Sprintf("%s to %s, by %s", first(r.Periods), last(r.Periods), r.Grain))
	p.Footer, p.GroupDigits = footer, true
	vals := make([]report.Num, len(r.Values))
	for i, v := range r.Values {
		vals[i] = report.Dec(v.Round(2))
	}
	c := report.LineChart{Title: r.Label, X: r.Periods, Series: []report.Series{{Name: r.Label, Values: vals}}}
	idx := map[string]int{}
	for i, per := range r.Periods {
		idx[per] = i
	}
	for _, cp := range r.Trend.ChangePoints {
		if i, ok := idx[cp.Period]; ok {
			c.Points = append(c.Points, report.Point{Series: r.Label, At: i, Value: vals[i], Label: "change point", Note: fmt.Sprintf("%s change: slope %.2f → %.2f", cp.Kind, cp.SlopeBefore, cp.SlopeAfter), Kind: "changepoint"})
		}
	}
	p.Add(c, report.Text{Title: "Trend", Paragraphs: []string{r.Trend.Text}})
	g := report.Table{Title: "Growth", Columns: []report.Column{{Label: "Rate"}, {Label: "Current", Numeric: true}, {Label: "Previous", Numeric: true}, {Label: "Growth", Numeric: true}}}
	add := func(name string, cur, prev float64, rate *float64, note string) {
		txt := "—"
		if rate != nil {
			txt = fmt.Sprintf("%.2f%%", *rate*100)
		} else if note != "" {
			txt = note
		}
		g.Rows = append(g.Rows, report.Row(name, fmt.Sprintf("%.2f", cur), fmt.Sprintf("%.2f", prev), txt))
	}
	gr := r.Trend.Growth
	if gr.MoM != nil {
		add("month on month", gr.MoM.Current, gr.MoM.Previous, gr.MoM.Rate, gr.MoM.Note)
	}
	if gr.QoQ != nil {
		add("quarter on quarter", gr.QoQ.Current, gr.QoQ.Previous, gr.QoQ.Rate, gr.QoQ.Note)
	}
	if gr.YoY != nil {
		add("year on year", gr.YoY.Current, gr.YoY.Previous, gr.YoY.Rate, gr.YoY.Note)
	}
	if gr.CAGR != nil {
		add(fmt.Sprintf("CAGR over %d years", gr.CAGR.Years), gr.CAGR.Last, gr.CAGR.First, gr.CAGR.Rate, gr.CAGR.Note)
	}
	if len(g.Rows) > 0 {
		p.Add(g)
	}
	if len(r.Members) > 0 {
		mt := report.Table{Title: "By " + r.By, Columns: []report.Column{{Label: "Member"}, {Label: "Direction"}, {Label: "Slope", Numeric: true}, {Label: "Interval"}}}
		for _, m := range r.Members {
			mt.Rows = append(mt.Rows, report.Row(m.Member, m.Direction, fmt.Sprintf("%.2f", m.Slope.Estimate), fmt.Sprintf("%.2f … %.2f", m.Slope.Lower, m.Slope.Upper)))
		}
		p.Add(mt)
	}
	if len(r.Notes) > 0 {
		p.Add(report.Text{Title: "Notes", Paragraphs: r.Notes})
	}
	return p
}

// Span is the first and last of a result's periods ("" when none).
func Span(periods []string) (string, string) { return first(periods), last(periods) }

func first(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

func last(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[len(xs)-1]
}
