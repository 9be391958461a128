package report

import (
	"fmt"
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

func (f Figures) view() (string, any, error) {
	items := make([]figureView, len(f.Items))
	for i, it := range f.Items {
		items[i] = figureView{Label: it.Label, Value: it.Value, Note: it.Note,
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

// Cell is a table cell: its exact text, an optional tone, and Strong for a
// total.
type Cell struct {
	Text   string
	Tone   Tone
	Strong bool
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

func (t Table) view() (string, any, error) {
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
			row[j] = cellView{Text: c.Text, Class: strings.Join(cls, " ")}
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

func (t Text) view() (string, any, error) { return "text", t, nil }

// Heading starts a section.
type Heading struct{ Text string }

func (h Heading) view() (string, any, error) { return "heading", h, nil }

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

func (c Checklist) view() (string, any, error) {
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
