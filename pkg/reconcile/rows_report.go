package reconcile

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/report"
)

// Page is the row reconciliation as a self-contained HTML page (pkg/report:
// inline CSS, no script, no network) a controller can attach to the
// close: the verdict and counts, the per-column table, the samples.
func (r *RowsResult) Page() *report.Page {
	verdict := "The two tables agree"
	if !r.Agree {
		verdict = "The two tables do not agree"
	}
	p := report.New("Row reconciliation: "+r.Left+" vs "+r.Right, verdict+" (key: "+strings.Join(r.Key, ", ")+")")
	p.Footer = fmt.Sprintf("databridge reconcile rows · run %s · method %s", r.RunID, r.Method)
	s := r.Summary
	tone := func(n int64) report.Tone {
		if n > 0 {
			return report.Unfavourable
		}
		return report.Neutral
	}
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	p.Add(report.Figures{Title: "Summary", Items: []report.Figure{
		{Label: "Left rows", Value: n(s.LeftRows)},
		{Label: "Right rows", Value: n(s.RightRows)},
		{Label: "Matched keys", Value: n(s.Matched)},
		{Label: "Changed", Value: n(s.Changed), Tone: tone(s.Changed)},
		{Label: "Only left", Value: n(s.OnlyLeft), Tone: tone(s.OnlyLeft)},
		{Label: "Only right", Value: n(s.OnlyRight), Tone: tone(s.OnlyRight)},
		{Label: "Duplicate keys", Value: n(s.DuplicateKeysLeft) + " / " + n(s.DuplicateKeysRight), Note: "left / right", Tone: tone(s.DuplicateKeysLeft + s.DuplicateKeysRight)},
		{Label: "NULL keys", Value: n(s.NullKeysLeft) + " / " + n(s.NullKeysRight), Note: "left / right", Tone: tone(s.NullKeysLeft + s.NullKeysRight)},
	}})
	cols := report.Table{Title: "Columns", Columns: []report.Column{{Label: "Column"}, {Label: "Compared as"}, {Label: "Tolerance"},
		{Label: "Unequal", Numeric: true}, {Label: "Max abs diff", Numeric: true}, {Label: "NULL mismatches", Numeric: true}}}
	for _, c := range r.Columns {
		md := ""
		if c.MaxAbsDiff != nil {
			md = *c.MaxAbsDiff
		}
		row := report.Row(c.Name, c.Compared, c.Tolerance, n(c.Unequal), md, n(c.NullMismatches))
		row[3].Tone = tone(c.Unequal)
		row[5].Tone = tone(c.NullMismatches)
		cols.Rows = append(cols.Rows, row)
	}
	p.Add(cols)
	keyText := func(k map[string]any) string {
		var parts []string
		for _, name := range r.Key {
			parts = append(parts, fmt.Sprint(show(k[name])))
		}
		return strings.Join(parts, ", ")
	}
	if len(r.Samples.Changed) > 0 {
		t := report.Table{Title: "Changed (first " + strconv.Itoa(len(r.Samples.Changed)) + ")",
			Columns: []report.Column{{Label: "Key"}, {Label: "Column"}, {Label: "Left"}, {Label: "Right"}}}
		for _, c := range r.Samples.Changed {
			for _, v := range c.Columns {
				t.Rows = append(t.Rows, report.Row(keyText(c.Key), v.Name, show(v.Left), show(v.Right)))
			}
		}
		p.Add(t)
	}
	only := func(title string, rows []KeyedRow) {
		if len(rows) == 0 {
			return
		}
		var names []string
		for name := range rows[0].Values {
			names = append(names, name)
		}
		sort.Strings(names)
		t := report.Table{Title: title + " (first " + strconv.Itoa(len(rows)) + ")", Columns: []report.Column{{Label: "Key"}}}
		for _, name := range names {
			t.Columns = append(t.Columns, report.Column{Label: name})
		}
		for _, kr := range rows {
			row := []string{keyText(kr.Key)}
			for _, name := range names {
				row = append(row, show(kr.Values[name]))
			}
			t.Rows = append(t.Rows, report.Row(row...))
		}
		p.Add(t)
	}
	only("Only in "+r.Left, r.Samples.OnlyLeft)
	only("Only in "+r.Right, r.Samples.OnlyRight)
	p.Add(report.Text{Title: "Method", Paragraphs: []string{methodNote(r.Method)}})
	return p
}

func show(v any) string {
	if v == nil {
		return "NULL"
	}
	return fmt.Sprint(v)
}

func methodNote(m string) string {
	if m == "join" {
		return "Both tables were compared in one statement on their engine, grouped by the key; values in their normalised form (numbers at the lower scale, timestamps in UTC at the lower precision, text by code point)."
	}
	return "The tables live on two engines: each engine hashed the normalised text of every row, segments of the key hash were compared by count and checksum, and only the rows of differing segments were fetched and compared value by value."
}
