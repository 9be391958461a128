package fpa

import (
	"fmt"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/report"
)

// ReportState is the checklist state a step shows as on the report page
// (pkg/report knows done, failed, blocked, pending, skipped): running and
// needs_input show as pending, with the step's summary saying why.
func ReportState(state string) string {
	switch state {
	case StateDone:
		return report.StateDone
	case StateFailed:
		return report.StateFailed
	case StateBlocked:
		return report.StateBlocked
	}
	return report.StatePending
}

func when(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// Page is the close as one self-contained HTML page (`databridge close
// report --html FILE`): the checklist with states and who/when, each
// variance's bridge with its commentary, the evidence, the sign-off
// snapshot and the record. Every number is the exact text of the JSON.
func Page(c *Close) *report.Page {
	status := "open"
	if c.Status == StatusSignedOff {
		status = "signed off by " + c.SignOff.By + " on " + when(&c.SignOff.At)
	}
	p := report.New("Monthly close — "+c.Label, fmt.Sprintf("%s, fiscal year %d; %s", c.Period, c.FiscalYear, status))
	p.Footer = "databridge close report " + c.Period
	done := 0
	for _, st := range c.Steps {
		if st.State == StateDone {
			done++
		}
	}
	tone := report.Neutral
	if c.Status == StatusSignedOff {
		tone = report.Favourable
	} else if len(c.Failed()) > 0 {
		tone = report.Unfavourable
	}
	p.Add(report.Figures{Items: []report.Figure{
		{Label: "Status", Value: strings.ReplaceAll(c.Status, "_", " "), Tone: tone},
		{Label: "Steps done", Value: fmt.Sprintf("%d of %d", done, len(c.Steps))},
		{Label: "Started", Value: c.StartedBy, Note: when(&c.StartedAt)},
	}})
	cl := report.Checklist{Title: "Checklist"}
	for _, st := range c.Steps {
		note := st.Summary
		if st.State == StateNeedsInput || st.State == StateRunning {
			note = strings.ReplaceAll(st.State, "_", " ") + ": " + note
		}
		for _, n := range st.Notes {
			note += fmt.Sprintf(" — note by %s: %s", n.By, n.Text)
		}
		cl.Steps = append(cl.Steps, report.CheckStep{Name: st.Title, State: ReportState(st.State), Who: st.By, When: when(st.At), Note: note})
	}
	p.Add(cl)
	if len(c.Blockers) > 0 && c.Status == StatusOpen {
		p.Add(report.Text{Title: "Before sign-off", Paragraphs: c.Blockers})
	}
	if v := c.Step(StepVariance); v != nil && len(v.Commentary) > 0 {
		p.Add(report.Heading{Text: "Variances over the threshold"})
		for _, cm := range v.Commentary {
			pct := ""
			if cm.ChangePct != nil {
				pct = " (" + *cm.ChangePct + "%)"
			}
			w := report.Waterfall{Title: fmt.Sprintf("%s: %s to actual", cm.Label, cm.Compared), UpIsUnfavourable: cm.FavourableWhen == "decrease",
				Caption: fmt.Sprintf("Change %s%s, %s.", cm.Change, pct, cm.Assessment)}
			for i, b := range cm.Bridge {
				step := report.Step{Label: b.Label, Value: report.Dec(b.Value)}
				switch {
				case i == 0:
					w.Start = step
				case i == len(cm.Bridge)-1:
					w.End = step
				default:
					w.Steps = append(w.Steps, step)
				}
			}
			p.Add(w)
			text, who := cm.Text, ""
			switch cm.Status {
			case CommentDraft:
				text, who = cm.Draft, "Draft, not yet accepted."
			case CommentAccepted:
				who = fmt.Sprintf("Drafted from the analysis, accepted by %s on %s.", cm.By, when(cm.At))
			case CommentWritten:
				who = fmt.Sprintf("Written by %s on %s.", cm.By, when(cm.At))
			}
			p.Add(report.Text{Title: "Commentary — " + cm.Key, Paragraphs: []string{text, who}})
		}
		t := report.Table{Title: "Variance numbers", Columns: []report.Column{{Label: "Line"}, {Label: "Against"}, {Label: "Actual", Numeric: true},
			{Label: "Comparison", Numeric: true}, {Label: "Change", Numeric: true}, {Label: "%", Numeric: true}, {Label: "Commentary"}}}
		for _, cm := range v.Commentary {
			pct := ""
			if cm.ChangePct != nil {
				pct = *cm.ChangePct
			}
			ch := report.Cell{Text: cm.Change.String(), Tone: report.Tone(cm.Assessment)}
			if cm.Assessment != string(report.Favourable) && cm.Assessment != string(report.Unfavourable) {
				ch.Tone = report.Neutral
			}
			t.Rows = append(t.Rows, []report.Cell{{Text: cm.Label}, {Text: cm.Compared}, {Text: cm.Actual.String()}, {Text: cm.Comparison.String()}, ch, {Text: pct}, {Text: cm.Status}})
		}
		p.Add(t)
	}
	ev := report.Table{Title: "Evidence", Columns: []report.Column{{Label: "Step"}, {Label: "What"}, {Label: "Value"}}}
	for _, st := range c.Steps {
		for _, e := range st.Evidence {
			ev.Rows = append(ev.Rows, report.Row(st.ID, e.Name, e.Value))
		}
		for _, pr := range st.Problems {
			ev.Rows = append(ev.Rows, []report.Cell{{Text: st.ID}, {Text: "problem"}, {Text: pr, Tone: report.Unfavourable}})
		}
	}
	p.Add(ev)
	if so := c.SignOff; so != nil {
		t := report.Table{Title: "Locked at sign-off", Note: fmt.Sprintf("Signed off by %s on %s; prepared by %s.", so.By, when(&so.At), strings.Join(so.Preparers, ", ")),
			Columns: []report.Column{{Label: "Line"}, {Label: "Amount", Numeric: true}}}
		for _, lv := range so.Snapshot {
			t.Rows = append(t.Rows, report.Row(lv.Label, lv.Value.String()))
		}
		p.Add(t)
	}
	rec := report.Table{Title: "Record", Columns: []report.Column{{Label: "When"}, {Label: "Who"}, {Label: "What"}, {Label: "Step"}, {Label: "Detail"}}}
	for _, e := range c.Record {
		at := e.At
		rec.Rows = append(rec.Rows, report.Row(when(&at), e.By, e.Action, e.Step, e.Detail))
	}
	p.Add(rec)
	return p
}
