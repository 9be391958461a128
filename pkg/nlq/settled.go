package nlq

import (
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// settled reads "what percentage of FY2025 invoiced amount has been
// paid" — a share asked of one number (the whole: the invoices) by
// another whose fact references the first one's rows (the payments of
// those invoices) — as the second over the first, both over the first's
// rows in the period: the period reads the first fact's date (the
// invoices of FY2025, paid whenever), not each fact's own. It applies
// when the question asks a share, names two numbers and the second's
// fact references the first's; it reports whether it did, or why not.
func (p *parser) settled(spec *query.Spec) (bool, string) {
	howMuchOf := false
	for i := 1; i+1 < len(p.toks); i++ {
		howMuchOf = howMuchOf || p.toks[i-1].raw == "how" && p.toks[i].raw == "much" && p.toks[i+1].raw == "of"
	}
	against := p.paidAgainst(spec)
	if !p.share && !howMuchOf && !against || len(spec.Ratios)+len(spec.Derived)+len(spec.Restricted) > 0 {
		return false, ""
	}
	if len(spec.Metrics) == 1 {
		// "what share of FY2026 revenue has been collected": the verb
		// names the second number.
		for _, t := range p.toks {
			if c, ok := agreeingVerbs[t.raw]; ok && p.v.concepts[c] != "" && p.v.concepts[c] != spec.Metrics[0] {
				spec.Metrics = append(spec.Metrics, p.v.concepts[c])
				break
			}
		}
	}
	if len(spec.Metrics) != 2 || !against && !p.namedByVerb(spec.Metrics[1]) {
		// "what share of sales were refunds in 2025": two numbers of
		// the period, not the sales settled by refunds.
		return false, ""
	}
	l := p.in.Layer
	a, b := l.Metric(spec.Metrics[0]), l.Metric(spec.Metrics[1])
	if a == nil || b == nil || a.Type != semlayer.MetricSimple || b.Type != semlayer.MetricSimple || a.Rows != "" || b.Rows != "" {
		return false, ""
	}
	fa, fb := l.Model(a.Model), l.Model(b.Model)
	if fa == nil || fb == nil || fa == fb || fa.Role != "fact" {
		return false, ""
	}
	if !references(l, fb, fa) {
		return false, ""
	}
	if spec.Compare != "" || spec.Cumulative != "" || len(spec.Having) > 0 || spec.Limit > 0 {
		return true, "a part of a number settled by another, compared, ranked or held to a threshold, is not computed"
	}
	for _, g := range spec.GroupBy {
		if g.Grain != "" && g.Dimension == "" {
			// By month: whose month, the invoice's or the payment's?
			return true, fmt.Sprintf("%s of %s by a period: of the %s' dates or of the %s'? ask for one period", p.label(b.Name), p.label(a.Name), strings.ReplaceAll(fa.Name, "_", " "), strings.ReplaceAll(fb.Name, "_", " "))
		}
	}
	where := ""
	if spec.Time != nil {
		dim := ""
		for name, r := range p.v.dims {
			if strings.EqualFold(r.Model, fa.Name) && r.Dim.Type == "time" && strings.EqualFold(r.Dim.Column, fa.TimeColumn) && !strings.Contains(name, ".") {
				dim = name
			}
		}
		if dim == "" {
			return true, fmt.Sprintf("%s has no date to read the period from", strings.ReplaceAll(fa.Name, "_", " "))
		}
		where = fmt.Sprintf("%s >= DATE '%s' AND %s < DATE '%s'", dim, spec.Time.From.Format("2006-01-02"), dim, spec.Time.To.Format("2006-01-02"))
	}
	whole, part := a.Name, b.Name
	if where != "" {
		whole, part = a.Name+"_in_period", b.Name+"_of_"+fa.Name+"_in_period"
		spec.Restricted = append(spec.Restricted,
			query.Restricted{Name: whole, Label: p.label(a.Name), Metric: a.Name, Where: where},
			query.Restricted{Name: part, Label: p.label(b.Name) + " of these " + strings.ReplaceAll(fa.Name, "_", " "), Metric: b.Name, Where: where})
	}
	if p.settledText = ""; spec.Time != nil {
		p.settledText = fmt.Sprintf(" (of the %s dated in %s; %s at any date)", strings.ReplaceAll(fa.Name, "_", " "), spec.Time.Label, p.label(b.Name))
	}
	if !p.share {
		// "how much of FY2025 revenue was collected": the amount.
		if where != "" {
			spec.Restricted = spec.Restricted[len(spec.Restricted)-1:]
		}
		spec.Metrics = []string{part}
		spec.Time = nil
		return true, ""
	}
	r := query.Ratio{Name: b.Name + "_pct_of_" + a.Name, Label: p.label(b.Name) + " as % of " + p.label(a.Name), Numerator: part, Denominator: whole, Format: "percent", Percent: true}
	spec.Ratios = append(spec.Ratios, r)
	spec.Metrics = []string{r.Name}
	spec.Share = false
	p.share, p.only = false, ""
	spec.Time = nil
	return true, ""
}

// references says model from has a foreign entity that is model to's.
func references(l *semlayer.Layer, from, to *semlayer.Model) bool {
	for _, e := range from.Entities {
		if e.Type == "foreign" && l.RefModel(e) == to {
			return true
		}
	}
	return false
}

// againstWords link a settling number to the rows it settles:
// payments "against", "for", "on", "towards" the invoices.
var againstWords = map[string]bool{"against": true, "for": true, "on": true, "toward": true, "towards": true}

// paidAgainst reads "payments against FY2025 invoices", "amount paid for
// invoices issued in FY2025": the second number named is the rows the
// first settles, not a number asked — the payments of those invoices,
// the period reading the invoices' date. It puts the whole (the
// invoices) first, as a share of it is read, and says whether it did.
func (p *parser) paidAgainst(spec *query.Spec) bool {
	if len(spec.Metrics) != 2 || p.share {
		return false
	}
	l := p.in.Layer
	first, second := l.Metric(spec.Metrics[0]), l.Metric(spec.Metrics[1])
	if first == nil || second == nil {
		return false
	}
	ff, fs := l.Model(first.Model), l.Model(second.Model)
	if ff == nil || fs == nil || ff == fs || fs.Role != "fact" {
		return false
	}
	if !references(l, ff, fs) {
		return false
	}
	for _, m := range p.mentions {
		named := false
		for _, t := range m.t {
			named = named || t.kind == kMetric && t.name == second.Name
		}
		if !named {
			continue
		}
		// The word before the rows, over a period and a determiner
		// ("against FY2025 invoices", "for the invoices").
		k := m.pos - 1
		for k >= 0 && (p.toks[k].role == "time" || p.toks[k].raw == "the" || p.toks[k].raw == "our" || p.toks[k].raw == "their") {
			k--
		}
		if k >= 0 && againstWords[p.toks[k].raw] {
			spec.Metrics[0], spec.Metrics[1] = spec.Metrics[1], spec.Metrics[0]
			return true
		}
	}
	return false
}

// namedByVerb says a metric is named by a verb's participle ("paid",
// "collected", "refunded"), not by a noun ("refunds").
func (p *parser) namedByVerb(name string) bool {
	for _, t := range p.toks {
		if c, ok := agreeingVerbs[t.raw]; ok && p.v.concepts[c] == name {
			return true
		}
	}
	for _, m := range p.mentions {
		for _, t := range m.t {
			if t.kind != kMetric || t.name != name {
				continue
			}
			for k := m.pos; k < m.end; k++ {
				if r := p.toks[k].raw; r == "paid" || strings.HasSuffix(r, "ed") && r != p.toks[k].canon {
					return true
				}
			}
		}
	}
	return false
}
