package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Figure is one key figure: a label and its value (exact text), with an
// optional note ("+4.2% vs budget") and tone.
type Figure struct {
	Label string
	Value string
	Note  string
	Tone  Tone
}

// Figures is a row of key figures.
type Figures struct {
	Title string
	Items []Figure
}

type figureView struct {
	Label, Value, Note, Class string
}

func (f Figures) view(o opts) (string, any, error) {
	items := make([]figureView, len(f.Items))
	for i, it := range f.Items {
		items[i] = figureView{Label: it.Label, Value: o.show(it.Value), Note: it.Note,
			Class: strings.TrimSpace("figure " + string(it.Tone))}
	}
	return "figures", struct {
		Title string
		Items []figureView
	}{f.Title, items}, nil
}

// Column is a table column; numeric columns are right-aligned with their
// negative values marked.
type Column struct {
	Label   string
	Numeric bool
}

// Cell is a table cell: its exact text, an optional tone, Strong for a
// total, and Spark, a series drawn as a small inline line before the text
// (a member's history beside its numbers; NaN is a gap).
type Cell struct {
	Text   string
	Tone   Tone
	Strong bool
	Spark  []float64
}

// Row makes a row of plain cells.
func Row(texts ...string) []Cell {
	r := make([]Cell, len(texts))
	for i, t := range texts {
		r[i] = Cell{Text: t}
	}
	return r
}

// Table is a table of exact values.
type Table struct {
	Title   string
	Columns []Column
	Rows    [][]Cell
	Note    string
}

type cellView struct {
	Text, Class string
	Spark       *sparkView
}

// sparkView is an inline SVG sparkline.
type sparkView struct {
	W, H, D, LastX, LastY, Aria string
	Points                      int
}

// inlineSpark draws values as a small line (80×18), NaN as gaps, with a dot
// on the last present value; nil when there is nothing to draw.
func inlineSpark(values []float64) *sparkView {
	const w, h, pad = 80.0, 18.0, 2.0
	lo, hi := math.Inf(1), math.Inf(-1)
	present := 0
	for _, v := range values {
		if ok(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			present++
		}
	}
	if present == 0 {
		return nil
	}
	x := linear{0, float64(max(len(values)-1, 1)), pad, w - pad}
	y := linear{lo, hi, h - pad, pad}
	var d strings.Builder
	pen := false
	sv := &sparkView{W: px(w), H: px(h), Points: present,
		Aria: fmt.Sprintf("trend of %d values from %s to %s", present, strconv.FormatFloat(lo, 'g', 6, 64), strconv.FormatFloat(hi, 'g', 6, 64))}
	for i, v := range values {
		if !ok(v) {
			pen = false
			continue
		}
		cmd := "L"
		if !pen {
			cmd = "M"
		}
		pen = true
		fmt.Fprintf(&d, "%s%s %s ", cmd, px(x.at(float64(i))), px(y.at(v)))
		sv.LastX, sv.LastY = px(x.at(float64(i))), px(y.at(v))
	}
	sv.D = strings.TrimSpace(d.String())
	return sv
}

type tableView struct {
	Title, Note string
	Columns     []cellView
	Rows        [][]cellView
}

// negative reports whether a numeric text is negative ("-1.5", "(1.5)").
func negative(s string) bool {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		return true
	}
	if !strings.HasPrefix(s, "-") && !strings.HasPrefix(s, "\u2212") {
		return false
	}
	return strings.Trim(s, "-\u22120.,% ") != "" // "-0", "-0.00" are not negative
}

func (t Table) view(o opts) (string, any, error) {
	v := tableView{Title: t.Title, Note: t.Note}
	for _, c := range t.Columns {
		cls := "text"
		if c.Numeric {
			cls = "num"
		}
		v.Columns = append(v.Columns, cellView{Text: c.Label, Class: cls})
	}
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return "table", nil, fmt.Errorf("table %q: row %d has %d cells for %d columns", t.Title, i+1, len(r), len(t.Columns))
		}
		row := make([]cellView, len(r))
		for j, c := range r {
			cls := []string{"text"}
			if t.Columns[j].Numeric {
				cls = []string{"num"}
				if negative(c.Text) {
					cls = append(cls, "neg")
				}
			}
			if c.Tone != Neutral {
				cls = append(cls, string(c.Tone))
			}
			if c.Strong {
				cls = append(cls, "strong")
			}
			text := c.Text
			if t.Columns[j].Numeric {
				text = o.show(text)
			}
			row[j] = cellView{Text: text, Class: strings.Join(cls, " "), Spark: inlineSpark(c.Spark)}
		}
		v.Rows = append(v.Rows, row)
	}
	return "table", v, nil
}

// Text is a block of prose: commentary, notes, method.
type Text struct {
	Title      string
	Paragraphs []string
}

func (t Text) view(o opts) (string, any, error) { return "text", t, nil }

// Heading starts a section.
type Heading struct{ Text string }

func (h Heading) view(o opts) (string, any, error) { return "heading", h, nil }

// Step states of a checklist.
const (
	StateDone    = "done"
	StateFailed  = "failed"
	StatePending = "pending"
	StateBlocked = "blocked"
	StateSkipped = "skipped"
)

var stateIcons = map[string]string{
	StateDone: "\u2713", StateFailed: "\u2717", StatePending: "\u25cb", StateBlocked: "\u2298", StateSkipped: "\u2013",
}

var stateOrder = []string{StateDone, StateFailed, StateBlocked, StatePending, StateSkipped}

// CheckStep is one step of a checklist: its state (done, failed, pending,
// blocked, skipped), who did it and when, and a note.
type CheckStep struct {
	Name  string
	State string
	Who   string
	When  string
	Note  string
}

// Checklist is a list of steps with their states (the monthly close).
type Checklist struct {
	Title string
	Steps []CheckStep
}

type checkView struct {
	CheckStep
	Icon, Class string
}

func (c Checklist) view(o opts) (string, any, error) {
	counts := map[string]int{}
	steps := make([]checkView, len(c.Steps))
	for i, s := range c.Steps {
		icon, ok := stateIcons[s.State]
		if !ok {
			return "checklist", nil, fmt.Errorf("checklist %q: step %q has state %q (want done, failed, pending, blocked or skipped)", c.Title, s.Name, s.State)
		}
		counts[s.State]++
		steps[i] = checkView{CheckStep: s, Icon: icon, Class: "mark check state-" + s.State}
	}
	var summary []string
	for _, st := range stateOrder {
		if counts[st] > 0 {
			summary = append(summary, fmt.Sprintf("%d %s", counts[st], st))
		}
	}
	return "checklist", struct {
		Title, Summary string
		Steps          []checkView
	}{c.Title, strings.Join(summary, " · "), steps}, nil
}
