package report

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/report/browsertest"
)

// open renders the page to a file and opens it in the browser; the page
// must load with no console error, no exception and no request.
func open(t *testing.T, b *browsertest.Browser, p *Page, name string) *browsertest.Page {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".html")
	if err := p.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	bp := b.Open(t, path)
	bp.AssertClean()
	bp.Screenshot(name)
	return bp
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestInBrowser(t *testing.T) {
	b := browsertest.Start(t)

	t.Run("sample", func(t *testing.T) {
		p := open(t, b, samplePage(), "sample")
		checkAccessibleCharts(t, p)
		checkMarksInsideCharts(t, p)

		// Key figures and the table show the exact texts.
		if got := p.Texts(".figure .value"); !slices.Equal(got, []string{"1250.40", "1200.00", "50.40", "-12.00"}) {
			t.Errorf("figures = %q", got)
		}
		if got := p.Texts("td.num.neg"); !slices.Equal(got, []string{"-19.60", "-20.00"}) {
			t.Errorf("negative cells = %q", got)
		}
		if got := p.Styles("td.num.neg", "color"); got[0] != "rgb(192, 57, 43)" {
			t.Errorf("a negative cell is %s, not red", got[0])
		}
		if got := p.Styles("td.num", "text-align"); slices.ContainsFunc(got, func(s string) bool { return s != "right" }) {
			t.Errorf("numeric cells aligned %q", got)
		}

		// Checklist.
		if got := p.Attrs(".mark.check", "data-state"); !slices.Equal(got, []string{"done", "done", "failed", "blocked", "pending"}) {
			t.Errorf("checklist states = %q", got)
		}
		if got := p.Text(".checklist .summary"); got != "2 done · 1 failed · 1 blocked · 1 pending" {
			t.Errorf("checklist summary = %q", got)
		}
		if got := p.Text(".state-failed .note"); got != "account 4999 is not mapped" {
			t.Errorf("failed step's note = %q", got)
		}
	})

	t.Run("waterfall", func(t *testing.T) {
		p := open(t, b, samplePage(), "waterfall")
		sel := ".waterfall .mark.step"
		want := []string{"1200.00", "80.25", "-41.10", "11.25", "0.00", "1250.40"}
		if got := p.Attrs(sel, "data-value"); !slices.Equal(got, want) {
			t.Fatalf("step values = %q, want %q", got, want)
		}
		if got := p.Texts(".waterfall text.value"); !slices.Equal(got, want) {
			t.Errorf("shown values = %q, want %q", got, want)
		}
		if got := p.Attrs(sel, "data-kind"); !slices.Equal(got, []string{"start", "up", "down", "up", "zero", "end"}) {
			t.Errorf("kinds = %q", got)
		}
		bx := p.Boxes(sel)
		// Each change starts where the one before ended, and its height is
		// its size on one scale.
		budget, price, volume, mix, zero, actual := bx[0], bx[1], bx[2], bx[3], bx[4], bx[5]
		k := price.H / 80.25
		for _, c := range []struct {
			name string
			got  float64
			want float64
		}{
			{"price starts at the budget", price.Y + price.H, budget.Y},
			{"volume starts at the price's end", volume.Y, price.Y},
			{"volume's height", volume.H, 41.10 * k},
			{"mix starts at the volume's end", mix.Y + mix.H, volume.Y + volume.H},
			{"mix's height", mix.H, 11.25 * k},
			{"the zero change sits on the level", zero.Y + zero.H, mix.Y},
			{"actual ends at the last level", actual.Y, mix.Y},
			{"budget's top", budget.Y, price.Y + 80.25*k},
		} {
			if !near(c.got, c.want, 1.2) {
				t.Errorf("%s: %.1f px, want %.1f", c.name, c.got, c.want)
			}
		}
		fills := p.Styles(sel, "fill")
		if fills[1] != "rgb(26, 127, 75)" || fills[2] != "rgb(192, 57, 43)" || fills[3] != fills[1] {
			t.Errorf("fills = %q: increases green, decreases red", fills)
		}
		if got := p.Texts(".waterfall .mark.step title")[2]; got != "Volume: -41.10 — fewer units in EMEA" {
			t.Errorf("tooltip = %q", got)
		}
		if got := p.Text(".waterfall figcaption"); !strings.Contains(got, "does not start at zero") {
			t.Errorf("caption %q does not say the axis is cut", got)
		}
	})

	t.Run("line", func(t *testing.T) {
		p := open(t, b, samplePage(), "line")
		actual := p.Attrs(`.line .mark.dot[data-series="Actual"]`, "data-value")
		want := []string{"100.10", "104.25", "131.00", "98.40", "110.00", "108.30", "112.45", "250.00", "115.60", "117.05", "119.90"}
		if !slices.Equal(actual, want) {
			t.Errorf("actual dots = %q, want %q (the missing month is a gap)", actual, want)
		}
		if got := p.Attrs(`.line .mark.dot[data-series="Forecast"]`, "data-value"); !slices.Equal(got, []string{"121.50", "123.25", "126.00"}) {
			t.Errorf("forecast dots = %q", got)
		}
		if got := p.Attrs(`.line .mark.dot[data-series="Forecast"]`, "data-x"); !slices.Equal(got, []string{"2025-10", "2025-11", "2025-12"}) {
			t.Errorf("forecast periods = %q", got)
		}
		if d := p.Attr(`.mark.line[data-series="Actual"]`, "d"); strings.Count(d, "M") != 2 {
			t.Errorf("the actual line has %d pieces, want 2 around the gap", strings.Count(d, "M"))
		}
		if p.Count(".mark.line.dashed") != 1 || p.Count(".mark.band") != 2 || p.Count(".mark.vmarker") != 1 || p.Count(".mark.window") != 2 {
			t.Errorf("lines dashed %d, bands %d, markers %d, windows %d; want 1, 2, 1, 2",
				p.Count(".mark.line.dashed"), p.Count(".mark.band"), p.Count(".mark.vmarker"), p.Count(".mark.window"))
		}
		// A higher value is drawn higher.
		dots := p.Boxes(`.line .mark.dot[data-series="Actual"]`)
		for i := range dots {
			for j := range dots {
				vi, vj := N(want[i]).V, N(want[j]).V
				if vi > vj && dots[i].Y >= dots[j].Y {
					t.Errorf("%s is drawn no higher than %s", want[i], want[j])
				}
			}
		}
		// The forecast lies inside both bands; the 80% band inside the 95%.
		bands := p.Boxes(".mark.band")
		for _, d := range p.Boxes(`.line .mark.dot[data-series="Forecast"]`) {
			cx, cy := d.X+d.W/2, d.Y+d.H/2
			for _, bd := range bands {
				if cx < bd.X-0.5 || cx > bd.X+bd.W+0.5 || cy < bd.Y || cy > bd.Y+bd.H {
					t.Errorf("forecast dot at (%.1f, %.1f) outside band %+v", cx, cy, bd)
				}
			}
		}
		if bands[1].H >= bands[0].H {
			t.Errorf("the 80%% band (%.1f px) is not narrower than the 95%% band (%.1f px)", bands[1].H, bands[0].H)
		}
		// The anomaly is marked on the actual value it flags, with its tooltip.
		pt := p.Boxes(".mark.point.anomaly")
		if len(pt) != 1 || p.Attr(".mark.point", "data-value") != "250.00" {
			t.Fatalf("anomaly marks: %d", len(pt))
		}
		spike := dots[7]
		if !near(pt[0].X+pt[0].W/2, spike.X+spike.W/2, 0.6) || !near(pt[0].Y+pt[0].H/2, spike.Y+spike.H/2, 0.6) {
			t.Errorf("the anomaly at %+v is not on the 250.00 dot at %+v", pt[0], spike)
		}
		if got := p.Text(".mark.point title"); got != "spike · 2025-06: 250.00 — expected 113.20, 12.3 MADs above" {
			t.Errorf("anomaly tooltip = %q", got)
		}
		// The forecast marker sits between the last actual and the first forecast.
		m := p.Boxes(".mark.vmarker")[0]
		last, first := dots[len(dots)-1], p.Boxes(`.line .mark.dot[data-series="Forecast"]`)[0]
		if !(m.X > last.X+last.W/2 && m.X < first.X+first.W/2) {
			t.Errorf("marker at x=%.1f, not between %.1f and %.1f", m.X, last.X, first.X)
		}
		checkNoOverlap(t, p, ".line .axis.x text")
	})

	t.Run("bars", func(t *testing.T) {
		p := open(t, b, samplePage(), "bars")
		want := []string{"500.40", "600.00", "150.00", "520.00", "560.00", "-20.00"}
		if got := p.Attrs(".bars:not(.horizontal) .mark.bar", "data-value"); !slices.Equal(got, want) {
			t.Fatalf("bar values = %q, want %q", got, want)
		}
		if got := p.Texts(".bars:not(.horizontal) text.value"); !slices.Equal(got, want) {
			t.Errorf("shown values = %q, want %q", got, want)
		}
		bx := p.Boxes(".bars:not(.horizontal) .mark.bar")
		k := bx[0].H / 500.40
		for i, w := range want {
			if v := math.Abs(N(w).V); !near(bx[i].H, v*k, 1.2) {
				t.Errorf("bar %s is %.1f px high, want %.1f", w, bx[i].H, v*k)
			}
		}
		// Positive bars stand on the zero line, the negative one hangs from it.
		zero := p.Boxes(".bars:not(.horizontal) .zero")[0]
		for i, w := range want {
			foot := bx[i].Y + bx[i].H
			if N(w).V < 0 {
				foot = bx[i].Y
			}
			if !near(foot, zero.Y, 1.2) {
				t.Errorf("bar %s does not meet the zero line (%.1f vs %.1f)", w, foot, zero.Y)
			}
		}
		// Actual and budget of a region stand side by side.
		if !(bx[0].X < bx[3].X && bx[3].X < bx[1].X) {
			t.Errorf("bars are not grouped by region: %+v", bx)
		}
		if got := p.Attrs(".bars:not(.horizontal) .axis.x text title", "x"); len(got) != 1 {
			t.Errorf("the shortened label has no full-text tooltip")
		}
		checkNoOverlap(t, p, ".bars:not(.horizontal) .axis.x text")
	})

	t.Run("horizontal bars and table sparks", func(t *testing.T) {
		p := open(t, b, samplePage(), "hbars")
		sel := ".bars.horizontal .mark.bar"
		want := []string{"40.00", "-19.60", "170.00"}
		if got := p.Attrs(sel, "data-value"); !slices.Equal(got, want) {
			t.Fatalf("bar values = %q, want %q", got, want)
		}
		if got := p.Texts(".bars.horizontal text.value"); !slices.Equal(got, want) {
			t.Errorf("shown values = %q", got)
		}
		if got := p.Texts(".bars.horizontal .ylabel"); got[0] != "Americas" || !strings.HasPrefix(got[2], "APAC") {
			t.Errorf("row labels = %q", got)
		}
		bx := p.Boxes(sel)
		zero := p.Boxes(".bars.horizontal .zero")[0].X
		k := bx[2].W / 170
		for i, w := range want {
			v := N(w).V
			if !near(bx[i].W, math.Abs(v)*k, 1.2) {
				t.Errorf("bar %s is %.1f px wide, want %.1f", w, bx[i].W, math.Abs(v)*k)
			}
			foot := bx[i].X
			if v < 0 {
				foot = bx[i].X + bx[i].W
			}
			if !near(foot, zero, 1.2) {
				t.Errorf("bar %s does not start at the zero line (%.1f vs %.1f)", w, foot, zero)
			}
			if i > 0 && bx[i].Y <= bx[i-1].Y {
				t.Errorf("rows are not in the categories' order")
			}
		}
		if fills := p.Styles(sel, "fill"); fills[1] != "rgb(192, 57, 43)" || fills[0] != "rgb(26, 127, 75)" {
			t.Errorf("fills = %q", fills)
		}
		// Sparklines in the table: one per row that has a series, drawn.
		if got := p.Attrs("td svg.mark.spark", "data-points"); !slices.Equal(got, []string{"6", "5"}) {
			t.Errorf("sparks = %q", got)
		}
		for _, s := range p.Boxes("td svg.mark.spark path") {
			if s.W < 60 || s.H < 5 {
				t.Errorf("a spark drawn %.1f×%.1f", s.W, s.H)
			}
		}
		checkNoOverlapY(t, p, ".bars.horizontal .ylabel")
	})

	t.Run("grouped digits", func(t *testing.T) {
		page := New("Big numbers", "")
		page.GroupDigits = true
		page.Add(
			Figures{Items: []Figure{{Label: "Actual", Value: "12500000.75"}, {Label: "Account", Value: "A-40000"}}},
			Waterfall{Title: "Bridge", Start: Step{Label: "Budget", Value: N("12000000.00")},
				Steps: []Step{{Label: "Price", Value: N("-1234567.25")}, {Label: "Volume", Value: N("1734568.00")}},
				End:   Step{Label: "Actual", Value: N("12500000.75")}},
			Table{Columns: []Column{{Label: "Account"}, {Label: "Amount", Numeric: true}}, Rows: [][]Cell{Row("40000", "-1234567.25")}},
		)
		p := open(t, b, page, "grouped")
		if got := p.Texts(".figure .value"); !slices.Equal(got, []string{"12,500,000.75", "A-40000"}) {
			t.Errorf("figures = %q", got)
		}
		if got := p.Texts(".waterfall text.value"); !slices.Equal(got, []string{"12,000,000.00", "-1,234,567.25", "1,734,568.00", "12,500,000.75"}) {
			t.Errorf("shown = %q", got)
		}
		if got := p.Attrs(".mark.step", "data-value"); !slices.Equal(got, []string{"12000000.00", "-1234567.25", "1734568.00", "12500000.75"}) {
			t.Errorf("data-value = %q, want the exact texts", got)
		}
		if got := p.Texts("td"); !slices.Equal(got, []string{"40000", "-1,234,567.25"}) {
			t.Errorf("cells = %q (a text column is not a number)", got)
		}
		if got := p.Count("td.neg"); got != 1 {
			t.Errorf("%d negative cells", got)
		}
	})

	t.Run("narrow screen", func(t *testing.T) {
		p := open(t, b, samplePage(), "narrow")
		p.Viewport(420, 900)
		if w := browsertest.Eval[float64](p, "document.documentElement.scrollWidth - innerWidth"); w > 0 {
			t.Errorf("the page is %.0f px wider than a 420 px screen", w)
		}
		for _, s := range p.Boxes("svg.plot") {
			if s.W > 420 {
				t.Errorf("a chart is %.0f px wide on a 420 px screen", s.W)
			}
		}
		p.Screenshot("narrow")
	})

	t.Run("print", func(t *testing.T) {
		p := open(t, b, samplePage(), "print")
		pdf, err := os.ReadFile(p.PDF("sample"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatal("not a PDF")
		}
		if p.Count(".block") == 0 {
			t.Fatal("no blocks")
		}
	})

	t.Run("edge cases", func(t *testing.T) {
		page := New("Edges", "").Add(
			Waterfall{Title: "all below zero", Start: Step{Label: "a", Value: N("-100")}, Steps: []Step{{Label: "up", Value: N("30")}}, End: Step{Label: "b", Value: N("-70")}},
			Waterfall{Title: "no steps", Start: Step{Label: "a", Value: N("5")}, End: Step{Label: "b", Value: N("5")}},
			LineChart{Title: "one period", X: []string{"2025-09"}, Series: []Series{{Name: "s", Values: Nums("7")}}},
			LineChart{Title: "nothing present", X: []string{"a", "b"}, Series: []Series{{Name: "s", Values: Nums("", "")}}},
			BarChart{Title: "all zero", Categories: []string{"a", "b"}, Series: []BarSeries{{Name: "s", Values: Nums("0", "0.00")}}},
			BarChart{Title: "one negative row", Horizontal: true, Categories: []string{"a"}, Series: []BarSeries{{Name: "s", Values: Nums("-3")}}},
			Table{Columns: []Column{{Label: "only"}}},
			Checklist{Title: "empty"},
		)
		p := open(t, b, page, "edges")
		checkMarksInsideCharts(t, p)
		if got := p.Attrs(".mark.step", "data-kind"); !slices.Equal(got, []string{"start", "up", "end", "start", "end"}) {
			t.Errorf("kinds = %q", got)
		}
		// Below zero: the start hangs from the zero line, its label under it.
		st := p.Boxes(".mark.step")[0]
		lbl := p.Boxes(".waterfall text.value")[0]
		if lbl.Y < st.Y+st.H-1 {
			t.Errorf("the label of a negative total is not under its bar")
		}
		if p.Count(".mark.dot") != 1 || p.Count(".mark.bar") != 3 {
			t.Errorf("%d dots, %d bars; want 1 and 3", p.Count(".mark.dot"), p.Count(".mark.bar"))
		}
	})

	t.Run("hostile", func(t *testing.T) {
		p := open(t, b, hostilePage(), "hostile")
		if n := p.Count("script"); n != 0 {
			t.Errorf("%d script elements", n)
		}
		if n := p.Count("[onmouseover]"); n != 0 {
			t.Errorf("%d elements with onmouseover", n)
		}
		if got := browsertest.Eval[string](p, "document.title"); got != hostile {
			t.Errorf("title = %q", got)
		}
		if got := p.Text("h1"); got != hostile {
			t.Errorf("h1 = %q", got)
		}
		if got := p.Attrs(".mark.step", "data-label"); len(got) != 3 || got[0] != hostile {
			t.Errorf("step labels = %q", got)
		}
		if got := p.Attr(".mark.line", "data-series"); got != hostile {
			t.Errorf("series name = %q", got)
		}
		if got := p.Text(".mark.check .who"); got != hostile {
			t.Errorf("who = %q", got)
		}
	})

	t.Run("long series", func(t *testing.T) {
		// Ten years of months, three series: labels thinned, never overlapping.
		var x []string
		var a, c, d []float64
		for i := range 120 {
			x = append(x, fmt.Sprintf("%d-%02d", 2016+i/12, i%12+1))
			a = append(a, 1000+10*float64(i)+200*math.Sin(float64(i)/12*2*math.Pi))
			c = append(c, 900+12*float64(i))
			d = append(d, 1100+8*float64(i))
		}
		page := New("Long", "").Add(LineChart{Title: "Ten years", X: x, Series: []Series{
			{Name: "a", Values: Floats(a, 2)}, {Name: "b", Values: Floats(c, 2)}, {Name: "c", Values: Floats(d, 2)}}})
		p := open(t, b, page, "long")
		if n := p.Count(".mark.dot"); n != 360 {
			t.Errorf("%d dots, want 360", n)
		}
		if got := p.Attrs(`.mark.dot[data-series="a"]`, "data-value")[3]; got != FP(a[3], 2).Text {
			t.Errorf("dot 3 = %q, want %q", got, FP(a[3], 2).Text)
		}
		labels := p.Count(".axis.x text")
		if labels < 6 || labels >= 120 {
			t.Errorf("%d x labels for 120 months", labels)
		}
		checkNoOverlap(t, p, ".axis.x text")
		checkMarksInsideCharts(t, p)
	})
}

// checkAccessibleCharts: every chart is an image with a name.
func checkAccessibleCharts(t *testing.T, p *browsertest.Page) {
	t.Helper()
	n := p.Count("svg.plot")
	if n == 0 {
		t.Fatal("no chart")
	}
	for _, r := range p.Attrs("svg.plot", "role") {
		if r != "img" {
			t.Errorf("chart role %q", r)
		}
	}
	for _, l := range p.Attrs("svg.plot", "aria-label") {
		if strings.TrimSpace(l) == "" {
			t.Error("a chart without aria-label")
		}
	}
	if got := p.Count("svg.plot > title"); got != n {
		t.Errorf("%d of %d charts have a <title>", got, n)
	}
}

// checkMarksInsideCharts: every mark is drawn (a box) inside its chart.
func checkMarksInsideCharts(t *testing.T, p *browsertest.Page) {
	t.Helper()
	type res struct {
		Bad   []string
		Count int
	}
	r := browsertest.Eval[res](p, `(() => {
		const bad = []; let count = 0;
		for (const svg of document.querySelectorAll("svg.plot")) {
			const s = svg.getBoundingClientRect();
			for (const m of svg.querySelectorAll(".mark")) {
				count++;
				const r = m.getBoundingClientRect();
				if (r.width <= 0 && r.height <= 0) bad.push("empty " + m.getAttribute("class"));
				if (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.bottom > s.bottom + 1)
					bad.push("outside " + m.getAttribute("class") + " " + (m.getAttribute("data-value") || ""));
			}
		}
		return {Bad: bad, Count: count};
	})()`)
	if r.Count == 0 {
		t.Error("no marks")
	}
	for _, b := range r.Bad {
		t.Error(b)
	}
}

// checkNoOverlap: the boxes of the elements do not overlap horizontally.
func checkNoOverlap(t *testing.T, p *browsertest.Page, selector string) {
	t.Helper()
	bx := p.Boxes(selector)
	for i := 1; i < len(bx); i++ {
		if bx[i].X < bx[i-1].X+bx[i-1].W-0.5 {
			t.Errorf("%s %d overlaps the one before (%.1f < %.1f)", selector, i, bx[i].X, bx[i-1].X+bx[i-1].W)
		}
	}
}

// checkNoOverlapY: the boxes of the elements do not overlap vertically.
func checkNoOverlapY(t *testing.T, p *browsertest.Page, selector string) {
	t.Helper()
	bx := p.Boxes(selector)
	for i := 1; i < len(bx); i++ {
		if bx[i].Y < bx[i-1].Y+bx[i-1].H-0.5 {
			t.Errorf("%s %d overlaps the one above", selector, i)
		}
	}
}
