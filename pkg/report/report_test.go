package report

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the renderer's current HTML")

func TestNum(t *testing.T) {
	if n := N(" 1200.50 "); n.Text != "1200.50" || n.V != 1200.5 || !n.Ok() {
		t.Errorf("N = %+v", n)
	}
	if n := N(""); n.Ok() || n.Text != "" {
		t.Errorf("N(\"\") = %+v, want missing", n)
	}
	if err := N("12,5").check("x"); err == nil {
		t.Error("12,5 accepted as a number")
	}
	d := decimal.RequireFromString("123456789012345678.07")
	if n := Dec(d); n.Text != "123456789012345678.07" {
		t.Errorf("Dec shows %q, not the exact decimal", n.Text)
	}
	if n := F(math.NaN()); n.Ok() {
		t.Error("F(NaN) is present")
	}
	if n := FP(2.0/3, 3); n.Text != "0.667" {
		t.Errorf("FP = %q", n.Text)
	}
	if got := Floats([]float64{1, math.NaN(), 0.1}, -1); got[0].Text != "1" || got[1].Ok() || got[2].Text != "0.1" {
		t.Errorf("Floats = %+v", got)
	}
}

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 1280.25, []float64{0, 200, 400, 600, 800, 1000, 1200, 1400}},
		{1150, 1280.25, []float64{1140, 1160, 1180, 1200, 1220, 1240, 1260, 1280, 1300}},
		{-20, 600, []float64{-100, 0, 100, 200, 300, 400, 500, 600}},
		{0.1, 0.7, []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}},
		{5, 5, []float64{4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6}},
		{0, 0, []float64{-1, -0.5, 0, 0.5, 1}},
	}
	for _, c := range cases {
		got, _ := niceTicks(c.lo, c.hi, 6)
		if !slices.Equal(got, c.want) {
			t.Errorf("niceTicks(%v, %v) = %v, want %v", c.lo, c.hi, got, c.want)
		}
		if got[0] > c.lo || got[len(got)-1] < c.hi {
			t.Errorf("niceTicks(%v, %v) = %v does not cover the range", c.lo, c.hi, got)
		}
	}
	ticks, step := niceTicks(0, 2.4e6, 6)
	f := tickFormatter(ticks, step)
	var labels []string
	for _, v := range ticks {
		labels = append(labels, f(v))
	}
	if want := []string{"0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"}; !slices.Equal(labels, want) {
		t.Errorf("labels = %q, want %q", labels, want)
	}
	ticks, step = niceTicks(-30000, 50000, 6)
	f = tickFormatter(ticks, step)
	if got := f(-20000); got != "-20k" {
		t.Errorf("tick -20000 = %q", got)
	}
}

func TestSparkline(t *testing.T) {
	cases := []struct {
		in   []float64
		want string
	}{
		{[]float64{1, 2, 3, math.NaN(), 8}, "▁▂▃ █"},
		{[]float64{5, 5, 5}, "▄▄▄"},
		{[]float64{math.NaN(), math.Inf(1)}, "  "},
		{nil, ""},
		{[]float64{-1, 0, 1}, "▁▅█"},
	}
	for _, c := range cases {
		if got := Sparkline(c.in); got != c.want {
			t.Errorf("Sparkline(%v) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := SparklineWidth([]float64{1, 1, 2, 2, 3, 3, math.NaN(), math.NaN(), 8, 8}, 5); got != "▁▂▃ █" {
		t.Errorf("SparklineWidth = %q", got)
	}
	if got := SparklineWidth([]float64{1, 2}, 5); got != "▁█" {
		t.Errorf("SparklineWidth of a short series = %q", got)
	}
	if got := SparklineNums(Nums("1", "", "3")); got != "▁ █" {
		t.Errorf("SparklineNums = %q", got)
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{"1250000.00": "1,250,000.00", "-1234": "-1,234", "123": "123", "1000": "1,000",
		"0.12345": "0.12345", "12a": "12a", "-": "-", "100000.000001": "100,000.000001", "1e6": "1e6"} {
		if got := Group(in); got != want {
			t.Errorf("Group(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShorten(t *testing.T) {
	if got := shorten("Customer segment number 12", 15); got != "Custome…mber 12" && len([]rune(got)) != 15 {
		t.Errorf("shorten = %q", got)
	}
	if got := shorten("Customer segment number 12", 15); got != "Custome…mber 12" {
		t.Errorf("shorten = %q, want the start and the end kept", got)
	}
	if got := shorten("short", 15); got != "short" {
		t.Errorf("shorten = %q", got)
	}
}

func TestNegative(t *testing.T) {
	for s, want := range map[string]bool{"-1.5": true, "(12.00)": true, "−3": true, "-0.00": false, "-0": false, "0": false, "12": false, "-": false} {
		if negative(s) != want {
			t.Errorf("negative(%q) = %v", s, !want)
		}
	}
}

func TestRefusesWhatItCannotDrawTruly(t *testing.T) {
	cases := map[string]Block{
		"bridge that does not close": Waterfall{Title: "b", Start: Step{Label: "a", Value: N("100.00")},
			Steps: []Step{{Label: "x", Value: N("10.01")}}, End: Step{Label: "b", Value: N("110.00")}},
		"step that is no number": Waterfall{Title: "b", Start: Step{Value: N("1")}, Steps: []Step{{Label: "x", Value: N("ten")}}, End: Step{Value: N("11")}},
		"bridge without end":     Waterfall{Title: "b", Start: Step{Value: N("1")}},
		"series past the x":      LineChart{Title: "l", X: []string{"a", "b"}, Series: []Series{{Name: "s", Values: Nums("1", "2"), Start: 1}}},
		"band bounds differ":     LineChart{Title: "l", X: []string{"a", "b"}, Bands: []Band{{Name: "b", Lower: Nums("1"), Upper: Nums("2", "3")}}},
		"point outside":          LineChart{Title: "l", X: []string{"a"}, Points: []Point{{At: 3, Value: N("1")}}},
		"marker outside":         LineChart{Title: "l", X: []string{"a", "b"}, Markers: []Marker{{At: 2}}},
		"two series one name":    LineChart{Title: "l", X: []string{"a"}, Series: []Series{{Name: "s", Values: Nums("1")}, {Name: "s", Values: Nums("1")}}},
		"bars short a value":     BarChart{Title: "b", Categories: []string{"a", "b"}, Series: []BarSeries{{Name: "s", Values: Nums("1")}}},
		"row short a cell":       Table{Columns: []Column{{Label: "a"}, {Label: "b"}}, Rows: [][]Cell{Row("1")}},
		"unknown state":          Checklist{Steps: []CheckStep{{Name: "x", State: "almost"}}},
	}
	for name, b := range cases {
		if _, err := New("t", "").Add(b).HTML(); err == nil {
			t.Errorf("%s: rendered without an error", name)
		}
	}
	if _, err := New("", "").HTML(); err == nil {
		t.Error("a page without a title rendered")
	}
}

// A bridge with rounded float-looking values but exact decimal texts that
// close is accepted; "-0" and trailing zeros are the same decimal.
func TestWaterfallClosesOnDecimals(t *testing.T) {
	w := Waterfall{Title: "b", Start: Step{Label: "a", Value: N("0.1")},
		Steps: []Step{{Label: "x", Value: N("0.2")}, {Label: "z", Value: N("-0")}}, End: Step{Label: "b", Value: N("0.30")}}
	if _, err := New("t", "").Add(w).HTML(); err != nil {
		t.Fatal(err)
	}
}

const hostile = `<script>alert("x")</script>" onmouseover="alert(1)' &amp; </title></svg>`

// hostilePage puts a hostile string in every text a caller controls.
func hostilePage() *Page {
	h := hostile
	return New(h, h).Add(
		Heading{Text: h},
		Text{Title: h, Paragraphs: []string{h}},
		Figures{Title: h, Items: []Figure{{Label: h, Value: h, Note: h}}},
		Table{Title: h, Note: h, Columns: []Column{{Label: h}, {Label: h, Numeric: true}}, Rows: [][]Cell{Row(h, h)}},
		Waterfall{Title: h, Caption: h, Unit: h, Start: Step{Label: h, Value: N("1"), Note: h}, Steps: []Step{{Label: h, Value: N("1"), Note: h}}, End: Step{Label: h, Value: N("2")}},
		LineChart{Title: h, Caption: h, Unit: h, X: []string{h, "b"}, Series: []Series{{Name: h, Values: Nums("1", "2")}},
			Bands:   []Band{{Name: h, Series: h, Lower: Nums("0", "1"), Upper: Nums("2", "3")}},
			Markers: []Marker{{Label: h, At: 0.5}}, Windows: []Window{{Label: h, From: 0, To: 1}},
			Points: []Point{{Series: h, At: 1, Value: N("2"), Label: h, Note: h, Kind: "anomaly"}}},
		BarChart{Title: h, Caption: h, Unit: h, Categories: []string{h}, Series: []BarSeries{{Name: h, Values: Nums("3")}}},
		Checklist{Title: h, Steps: []CheckStep{{Name: h, State: StateDone, Who: h, When: h, Note: h}}},
	).withFooter(h)
}

func (p *Page) withFooter(f string) *Page { p.Footer = f; return p }

// Hostile strings stay text: the parsed page has no script element, no
// event-handler attribute, and nothing outside the page's own tags.
func TestEscapesHostileStrings(t *testing.T) {
	b, err := hostilePage().HTML()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	texts := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "script" {
				t.Errorf("a <script> element in the page")
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("<%s %s=%q>: an event handler attribute", n.Data, a.Key, a.Val)
				}
			}
		}
		if n.Type == html.TextNode && strings.Contains(n.Data, `<script>alert("x")</script>`) {
			texts++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if texts < 10 {
		t.Errorf("the hostile string is shown as text %d times, want it in every block", texts)
	}
}

func TestDeterministicAndGolden(t *testing.T) {
	pages := map[string]*Page{"sample": samplePage(), "hostile": hostilePage()}
	for name, p := range pages {
		a, err := p.HTML()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := p.HTML()
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", name)
		}
		path := filepath.Join("testdata", "golden", name+".html")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, a, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./pkg/report -run TestDeterministicAndGolden -update)", err)
		}
		if !bytes.Equal(a, want) {
			t.Errorf("%s differs from %s (rerun with -update if the change is intended)", name, path)
		}
	}
}

func TestWriteFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := New("t", "").Add(Checklist{Steps: []CheckStep{{Name: "x", State: "?"}}})
	if err := bad.WriteFile(path); err == nil {
		t.Fatal("a bad page was written")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("a failed write changed the file: %q", b)
	}
	if err := samplePage().WriteFile(path); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// BenchmarkRender renders a page with a 120-month line chart of three
// series with bands and anomalies, a 40-step waterfall, 40 × 3 bars and a
// 500-row table.
func BenchmarkRender(b *testing.B) {
	var x []string
	var s1, s2, s3, lo, hi []float64
	for i := range 120 {
		x = append(x, strconv.Itoa(2016+i/12)+"-"+strconv.Itoa(i%12+1))
		v := 1000 + 10*float64(i) + 200*math.Sin(float64(i)/12*2*math.Pi)
		s1, s2, s3 = append(s1, v), append(s2, v*0.9), append(s3, v*1.1)
		lo, hi = append(lo, v*0.8), append(hi, v*1.2)
	}
	var steps []Step
	var cats []string
	var bars []Num
	end := decimal.RequireFromString("1000.00")
	for i := range 40 {
		d := decimal.New(int64(i*37%200-100), -2)
		end = end.Add(d)
		steps = append(steps, Step{Label: "member " + strconv.Itoa(i), Value: Dec(d)})
		cats = append(cats, "c"+strconv.Itoa(i))
		bars = append(bars, Dec(d))
	}
	var rows [][]Cell
	for i := range 500 {
		rows = append(rows, Row("account "+strconv.Itoa(i), strconv.Itoa(i*1000)+".25", "-"+strconv.Itoa(i)+".10"))
	}
	p := New("Bench", "").Add(
		LineChart{Title: "l", X: x, Series: []Series{{Name: "a", Values: Floats(s1, 2)}, {Name: "b", Values: Floats(s2, 2)}, {Name: "c", Values: Floats(s3, 2)}},
			Bands:  []Band{{Name: "95%", Series: "a", Lower: Floats(lo, 2), Upper: Floats(hi, 2)}},
			Points: []Point{{Series: "a", At: 7, Value: FP(s1[7], 2), Label: "spike"}, {Series: "a", At: 70, Value: FP(s1[70], 2), Label: "dip"}}},
		Waterfall{Title: "w", Start: Step{Label: "start", Value: N("1000.00")}, Steps: steps, End: Step{Label: "end", Value: Dec(end)}},
		BarChart{Title: "b", Categories: cats, Series: []BarSeries{{Name: "x", Values: bars}, {Name: "y", Values: bars}, {Name: "z", Values: bars}}},
		Table{Columns: []Column{{Label: "account"}, {Label: "amount", Numeric: true}, {Label: "change", Numeric: true}}, Rows: rows},
	)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		h, err := p.HTML()
		if err != nil {
			b.Fatal(err)
		}
		size = len(h)
	}
	b.ReportMetric(float64(size), "bytes/page")
}
