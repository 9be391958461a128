// Package report renders the HTML reports people look at — one
// self-contained page per report (inline CSS and SVG, no script, no font, no
// network) made of blocks: key figures, tables, charts (a variance
// waterfall, line charts with interval bands, markers and points, grouped
// bars) and checklists — and the terminal's sparklines.
//
// Numbers arrive as Num: the exact text to show (a decimal string, never
// rounded here) and a float64 used only to place the mark. Every chart mark
// carries class "mark <kind>" and data-* attributes (data-value is the exact
// text), so tests in a real browser can count marks and read the values.
// Output is deterministic: the same page renders to the same bytes.
//
//	p := report.New("Revenue variance", "September 2025 vs budget")
//	p.Add(report.Figures{Items: []report.Figure{{Label: "Actual", Value: "1250.40"}}},
//		report.Waterfall{Title: "Bridge", Start: report.Bar("Budget", report.N("1200.00")), ...})
//	err := p.WriteFile("variance.html")
package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Num is a number to show: Text is displayed exactly as given (an exact
// decimal string); V places the mark. A Num without text, or whose V is
// NaN, is missing (a gap in a line, no bar): the zero Num is missing, not 0.
type Num struct {
	Text string
	V    float64
}

// N makes a Num from an exact decimal string; the empty string is missing.
// A text that is not a number is kept as text and rejected when rendered.
func N(text string) Num {
	t := strings.TrimSpace(text)
	if t == "" {
		return Missing()
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(v, 0) {
		return Num{Text: text, V: math.NaN()}
	}
	return Num{Text: t, V: v}
}

// Dec makes a Num from an exact decimal (its String is shown).
func Dec(d decimal.Decimal) Num { return Num{Text: d.String(), V: d.InexactFloat64()} }

// F makes a Num from a float (statistics, forecasts); it is shown with the
// shortest text that reads back to the same float. NaN is missing.
func F(v float64) Num {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Missing()
	}
	return Num{Text: strconv.FormatFloat(v, 'f', -1, 64), V: v}
}

// FP makes a Num from a float shown with prec decimals (a stated precision).
func FP(v float64, prec int) Num {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Missing()
	}
	return Num{Text: strconv.FormatFloat(v, 'f', prec, 64), V: v}
}

// Missing is an absent value.
func Missing() Num { return Num{V: math.NaN()} }

// Ok reports whether the value is present.
func (n Num) Ok() bool { return n.Text != "" && !math.IsNaN(n.V) && !math.IsInf(n.V, 0) }

func (n Num) check(where string) error {
	if math.IsNaN(n.V) && strings.TrimSpace(n.Text) != "" || math.IsInf(n.V, 0) {
		return fmt.Errorf("report: %s: %q is not a number", where, n.Text)
	}
	return nil
}

// Nums makes Nums from exact decimal strings ("" is missing).
func Nums(texts ...string) []Num {
	out := make([]Num, len(texts))
	for i, t := range texts {
		out[i] = N(t)
	}
	return out
}

// Floats makes Nums from floats (NaN is missing), shown with prec decimals,
// or the shortest exact text when prec < 0.
func Floats(vs []float64, prec int) []Num {
	out := make([]Num, len(vs))
	for i, v := range vs {
		if prec < 0 {
			out[i] = F(v)
		} else {
			out[i] = FP(v, prec)
		}
	}
	return out
}

// Tone colours a value: favourable (green), unfavourable (red) or neutral.
type Tone string

// Tones.
const (
	Neutral      Tone = ""
	Favourable   Tone = "favourable"
	Unfavourable Tone = "unfavourable"
)

// Block is one part of a page: Figures, Table, Text, Heading, Waterfall,
// LineChart, BarChart, Checklist.
type Block interface {
	// view returns the name of the block's template and its data.
	view(o opts) (string, any, error)
}

// Page is one report.
type Page struct {
	Title    string
	Subtitle string
	// Footer is a line at the page's end (what produced it, from which
	// data). Pass fixed text: the page holds no clock of its own.
	Footer string
	// GroupDigits shows plain decimal numbers with thousands separators
	// (1,250,000.00) in chart labels, tooltips, key figures and numeric
	// table cells; every digit stays, and data-value keeps the exact text.
	GroupDigits bool
	Blocks      []Block
}

// opts are the page-wide choices blocks render with.
type opts struct{ group bool }

var plainDecimal = regexp.MustCompile(`^([-+\x{2212}]?)(\d+)(\.\d+)?$`)

// show is the text shown for an exact number.
func (o opts) show(s string) string {
	if !o.group {
		return s
	}
	return Group(s)
}

// Group inserts thousands separators into a plain decimal string
// ("-1250000.5" → "-1,250,000.5"), keeping every digit; other text is
// returned as it is.
func Group(s string) string {
	m := plainDecimal.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || len(m[2]) <= 3 {
		return s
	}
	var b strings.Builder
	b.WriteString(m[1])
	for i, r := range m[2] {
		if i > 0 && (len(m[2])-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	b.WriteString(m[3])
	return b.String()
}

// New starts a page.
func New(title, subtitle string) *Page { return &Page{Title: title, Subtitle: subtitle} }

// Add appends blocks and returns the page.
func (p *Page) Add(b ...Block) *Page {
	p.Blocks = append(p.Blocks, b...)
	return p
}

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("report").ParseFS(templateFS, "templates/*.tmpl"))

//go:embed templates/report.css
var css string

type pageView struct {
	Title, Subtitle, Footer string
	CSS                     template.CSS
	Blocks                  []template.HTML
}

// Render writes the page's HTML.
func (p *Page) Render(w io.Writer) error {
	b, err := p.HTML()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// HTML returns the page's HTML.
func (p *Page) HTML() ([]byte, error) {
	if strings.TrimSpace(p.Title) == "" {
		return nil, fmt.Errorf("report: a page needs a title")
	}
	v := pageView{Title: p.Title, Subtitle: p.Subtitle, Footer: p.Footer, CSS: template.CSS(css)}
	for i, b := range p.Blocks {
		if b == nil {
			return nil, fmt.Errorf("report: block %d is nil", i+1)
		}
		name, data, err := b.view(opts{group: p.GroupDigits})
		if err != nil {
			return nil, fmt.Errorf("report: block %d (%s): %w", i+1, name, err)
		}
		var buf bytes.Buffer
		if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
			return nil, fmt.Errorf("report: block %d (%s): %w", i+1, name, err)
		}
		// Safe: produced by html/template, which escaped every value.
		v.Blocks = append(v.Blocks, template.HTML(buf.String()))
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "page", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFile renders the page to path atomically (a temporary file in the
// same folder, synced, then renamed): a failed render leaves path as it was.
func (p *Page) WriteFile(path string) error {
	b, err := p.HTML()
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
