package nlq

import (
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// eventWords name one row of a fact that carries revenue, whatever the
// fact is called: "their first purchase", "first order".
var eventWords = set(`purchase purchases order orders sale sales transaction transactions buy booking bookings visit visits`)

// madeWords before an event word make it a verb: "made a purchase" is
// "bought".
var madeWords = set(`made make makes placed place places did`)

// firstWords: "first purchase", "first-time customers" (rewrite).
//
// firsts reads "first" before an event — "made their first purchase in
// 2025", "placed their first order", "first-time customers", "had their
// first invoice" — as each counted thing at its first row of the fact
// (query.Restricted.First), the event folded into the verb "bought" (or
// the fact's word when the event names a fact). It runs in rewrite's
// place, on the tokens.
func (p *parser) firsts() {
	var out []*token
	for i := 0; i < len(p.toks); i++ {
		t := p.toks[i]
		if t.raw == "first" && i+1 < len(p.toks) && (p.toks[i+1].raw == "time" || p.toks[i+1].raw == "timer" || p.toks[i+1].raw == "timers") {
			// "first-time customers", "first time buyers".
			p.first = true
			i++
			continue
		}
		if t.raw != "first" && t.raw != "1st" || i+1 >= len(p.toks) {
			out = append(out, t)
			continue
		}
		// "[made] [their|a|the] first <event> [ever]".
		n := out
		for len(n) > 0 && (n[len(n)-1].raw == "their" || n[len(n)-1].raw == "his" || n[len(n)-1].raw == "her" || n[len(n)-1].raw == "its" || n[len(n)-1].raw == "the" || n[len(n)-1].raw == "a") {
			n = n[:len(n)-1]
		}
		if len(n) > 0 && (madeWords[n[len(n)-1].raw] || n[len(n)-1].raw == "had" || n[len(n)-1].raw == "have" || n[len(n)-1].raw == "got" || n[len(n)-1].raw == "received") {
			n = n[:len(n)-1]
		}
		next := p.toks[i+1]
		if _, verb := weakConcepts[next.raw]; verb || next.raw == "ordered" || next.raw == "shopped" {
			// "customers who first bought in 2024".
			p.first = true
			continue
		}
		fact := p.factNamed(next)
		if !eventWords[next.raw] && !eventWords[next.canon] && fact == "" {
			out = append(out, t)
			continue
		}
		p.first = true
		out = n
		if fact != "" && !eventWords[next.raw] {
			p.firstFact = fact
		}
		out = append(out, &token{raw: "bought", canon: "bought"})
		i++
		if i+1 < len(p.toks) && p.toks[i+1].raw == "ever" {
			i++
		}
	}
	p.toks = out
}

// factNamed is the fact model a word names ("invoice": invoices), or "".
func (p *parser) factNamed(t *token) string { return p.modelNamed(t, "fact") }

// modelNamed is the one model of the role ("" for any) a word names, or
// "".
func (p *parser) modelNamed(t *token, role string) string {
	found := ""
	for _, m := range p.in.Layer.Models {
		if role != "" && m.Role != role {
			continue
		}
		for _, w := range modelWords(m) {
			if canonPhrase(w) == t.canon {
				if found != "" && found != m.Name {
					return ""
				}
				found = m.Name
			}
		}
	}
	return found
}

// referrerNamed is the model a plural after "with no" names: a fact
// ("payments"), the fact of the revenue for an event word ("purchases",
// "orders", "sales"), else any model so called ("subscriptions").
func (p *parser) referrerNamed(t *token) string {
	if m := p.factNamed(t); m != "" {
		return m
	}
	if eventWords[t.raw] || eventWords[t.canon] {
		if rev := p.in.Layer.Metric(p.v.concepts["revenue"]); rev != nil {
			return rev.Model
		}
		return ""
	}
	return p.modelNamed(t, "")
}

// withouts reads "with no <model>", "without <model>", "that have no
// <model>", "with zero <model>" where the model's rows reference another
// model's ("invoices with no payment": the invoices no payment
// references), as query.Restricted.Without, applied in assemble.
func (p *parser) withouts() {
	for i := 0; i+1 < len(p.toks); i++ {
		j, n := -1, 0
		switch {
		case p.seq(i, "without", "any"):
			j, n = i+2, 2
		case p.seq(i, "without"):
			j, n = i+1, 1
		case (p.seq(i, "with", "no") || p.seq(i, "with", "zero") || p.seq(i, "have", "no") || p.seq(i, "has", "no") || p.seq(i, "having", "no")) && i+2 < len(p.toks):
			j, n = i+2, 2
		case (p.seq(i, "that", "have", "no") || p.seq(i, "that", "has", "no") || p.seq(i, "which", "have", "no") || p.seq(i, "that", "had", "no")) && i+3 < len(p.toks):
			j, n = i+3, 3
		}
		if p.seq(i, "never") {
			// "invoices that have never been paid": no row of the model
			// the verb names (the payments) references them.
			k := i + 1
			for k < len(p.toks) && (p.toks[k].raw == "been" || p.toks[k].raw == "was" || p.toks[k].raw == "were" || p.toks[k].raw == "got" || p.toks[k].raw == "get") {
				k++
			}
			if k < len(p.toks) {
				verb := ""
				if c, ok := agreeingVerbs[p.toks[k].raw]; ok {
					verb = p.v.concepts[c]
				} else if m := p.weakMetric(p.toks[k].raw, func() bool { return p.toks[k].raw == "spent" }); m != "" {
					// "accounts never invoiced", "products that were never
					// sold", "customers who never bought": the fact of the
					// number the verb names.
					verb = m
				} else if strings.HasSuffix(p.toks[k].raw, "ed") {
					// "never been refunded": the number the participle
					// names (refunds), of one model.
					for _, x := range p.v.phrases[p.toks[k].canon] {
						if x.kind == kMetric && (verb == "" || p.in.Layer.Metric(verb) != nil && p.in.Layer.Metric(x.name) != nil && strings.EqualFold(p.in.Layer.Metric(verb).Model, p.in.Layer.Metric(x.name).Model)) {
							verb = x.name
						}
					}
				}
				if verb == "" {
					// "invoices that have never received any payment":
					// the object names the rows that would reference them.
					det := func(w string) bool { return w == "a" || w == "an" || w == "any" || w == "single" }
					o := k + 1
					if det(p.toks[k].raw) {
						o = k // "never got a payment": the verb skipped above
					}
					dets := 0
					for o < len(p.toks) && det(p.toks[o].raw) {
						o, dets = o+1, dets+1
					}
					if o < len(p.toks) && dets > 0 {
						if m := p.referrerNamed(p.toks[o]); m != "" {
							if p.without != "" {
								p.problems = append(p.problems, "two things missing: ask for one")
							}
							p.without = m
							p.use(i, o-i+1, "without")
							i = o
							continue
						}
					}
				}
				if verb != "" {
					if m := p.in.Layer.Metric(verb); m != nil {
						if p.without != "" {
							p.problems = append(p.problems, "two things missing: ask for one")
						}
						p.without = m.Model
						if k+1 < len(p.toks) && (p.toks[k+1].raw == "anything" || p.toks[k+1].raw == "something") {
							k++ // "never bought anything"
						}
						p.use(i, k-i+1, "without")
						i = k
						continue
					}
				}
			}
		}
		if j < 0 || j >= len(p.toks) {
			continue
		}
		for j < len(p.toks) && (p.toks[j].raw == "a" || p.toks[j].raw == "an" || p.toks[j].raw == "any" || p.toks[j].raw == "single") {
			j, n = j+1, n+1
		}
		if j >= len(p.toks) {
			continue
		}
		m := p.referrerNamed(p.toks[j])
		if m == "" {
			continue
		}
		if p.without != "" {
			p.problems = append(p.problems, "two things missing: ask for one")
		}
		p.without = m
		if j+2 < len(p.toks) && p.toks[j+1].raw == "against" && (p.toks[j+2].raw == "them" || p.toks[j+2].raw == "it") {
			n += 2 // "no payments against them"
		}
		p.use(i, n+1, "without")
		i += n
	}
}

// applyRowRules makes the one number asked a restricted metric of its
// first rows or of the rows nothing references, or says why not.
func (p *parser) applyRowRules(spec *query.Spec, timeGrouped bool) string {
	if !p.first && p.without == "" {
		return ""
	}
	if len(spec.Metrics) != 1 || len(spec.Ratios)+len(spec.Derived) > 0 || spec.Compare != "" || spec.Cumulative != "" {
		return "\"first\" or \"without\" with more than one number, a comparison or a running total is not computed"
	}
	name := spec.Metrics[0]
	if r, ok := p.restricted[name]; ok {
		_ = r
		return "\"first\" or \"without\" of a number of some rows is not computed"
	}
	m := p.in.Layer.Metric(name)
	if m == nil || m.Type != semlayer.MetricSimple || m.Rows != "" {
		return fmt.Sprintf("\"first\" or \"without\" of %s is not computed", p.label(name))
	}
	md := p.in.Layer.Model(m.Model)
	ms := (*semlayer.Measure)(nil)
	if md != nil {
		ms = md.Measure(m.Measure)
	}
	if md == nil || ms == nil {
		return "no such number"
	}
	if p.first {
		// A number of things by their first row: a distinct count of a
		// fact (the customers of the sales), the fact the event names.
		if md.Role != "fact" || md.TimeColumn == "" || ms.Agg != semlayer.AggCountDistinct || isDocumentCount(md, ms) {
			return fmt.Sprintf("first what? %s is no number of things that recur in a fact (\"how many customers made their first purchase\")", p.label(name))
		}
		if p.firstFact != "" && !strings.EqualFold(p.firstFact, md.Name) {
			return fmt.Sprintf("first %s: %s are not counted in them", strings.ReplaceAll(p.firstFact, "_", " "), p.label(name))
		}
		r := query.Restricted{Name: "new_" + name, Label: "new " + strings.TrimPrefix(p.label(name), "number of "), Metric: name, First: true}
		spec.Restricted = append(spec.Restricted, r)
		spec.Metrics[0] = r.Name
		return ""
	}
	// Without: the rows of the number's model that no row of the other
	// references.
	other := p.in.Layer.Model(p.without)
	refs := false
	for _, e := range other.Entities {
		if e.Type == "foreign" && p.in.Layer.RefModel(e) == md {
			refs = true
		}
	}
	if !refs {
		return fmt.Sprintf("%s without %s: no %s references them", p.label(name), strings.ReplaceAll(other.Name, "_", " "), strings.ReplaceAll(other.Name, "_", " "))
	}
	if ms.Agg == semlayer.AggCountDistinct {
		// "receipts with no return" where returns reference lines: a
		// receipt with one line returned is not counted as one without.
		return fmt.Sprintf("%s without %s: %s references single rows, not the things counted", p.label(name), strings.ReplaceAll(other.Name, "_", " "), strings.ReplaceAll(other.Name, "_", " "))
	}
	if md.Role != "fact" && (spec.Time != nil || timeGrouped) {
		// "accounts with no invoices in FY2026": the period would read
		// the accounts' own date, not the invoices'.
		return fmt.Sprintf("%s without %s in a period: the period would be of the %s themselves, not of the %s", p.label(name), strings.ReplaceAll(other.Name, "_", " "), strings.ReplaceAll(md.Name, "_", " "), strings.ReplaceAll(other.Name, "_", " "))
	}
	r := query.Restricted{Name: name + "_without_" + other.Name, Label: p.label(name) + " without " + strings.ReplaceAll(other.Name, "_", " "), Metric: name, Without: other.Name}
	spec.Restricted = append(spec.Restricted, r)
	spec.Metrics[0] = r.Name
	if p.only == OnlyGroups {
		// "customers who never bought anything": the members listed are
		// those without any.
		spec.Having = append(spec.Having, query.Threshold{Metric: r.Name, Op: ">", Value: "0"})
	}
	return ""
}

// newByFirstRow reads "new" members of a model without a date of its own
// ("new customers" where customers have no signup date) as those counted
// at their first row of a fact: the distinct count of them in the fact
// that carries revenue (else the one fact that counts them). With a
// number already named it must be such a count; otherwise the model is
// named by a group word, which the count replaces.
func (p *parser) newByFirstRow(metrics []string, groups []slot) (string, []slot, bool) {
	if len(metrics) == 1 {
		m := p.in.Layer.Metric(metrics[0])
		if m == nil || m.Type != semlayer.MetricSimple || m.Filter != "" || m.Rows != "" {
			return "", nil, false
		}
		fact := p.in.Layer.Model(m.Model)
		if fact == nil || fact.Role != "fact" || fact.TimeColumn == "" {
			return "", nil, false
		}
		for _, e := range fact.Entities {
			if ref := p.in.Layer.RefModel(e); ref != nil && ref.TimeColumn == "" && p.entityCount(ref) == m.Name {
				return m.Name, groups, true
			}
		}
		return "", nil, false
	}
	for i, g := range groups {
		if p.groupedExplicitly(g.pos) {
			continue
		}
		for _, t := range g.cands {
			if t.kind != kEntity {
				continue
			}
			md := p.in.Layer.Model(t.name)
			if md == nil || md.TimeColumn != "" || md.Role != "dimension" {
				return "", nil, false
			}
			if x := p.entityCount(md); x != "" {
				rest := append(append([]slot{}, groups[:i]...), groups[i+1:]...)
				return x, rest, true
			}
		}
		return "", nil, false
	}
	return "", nil, false
}

// entityCount is the metric counting a dimension model's members in a
// dated fact (the customers of the sales lines): a distinct count named
// for the fact's entity that references the model; the revenue's fact
// first when several facts count them.
func (p *parser) entityCount(md *semlayer.Model) string {
	var found []string
	revFact := ""
	if rev := p.in.Layer.Metric(p.v.concepts["revenue"]); rev != nil {
		revFact = rev.Model
	}
	for _, fact := range p.in.Layer.Models {
		if fact.Role != "fact" || fact.TimeColumn == "" {
			continue
		}
		for _, e := range fact.Entities {
			if e.Type != "foreign" || p.in.Layer.RefModel(e) != md {
				continue
			}
			for _, x := range p.in.Layer.Metrics {
				if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || x.Rows != "" || !strings.EqualFold(x.Model, fact.Name) {
					continue
				}
				if ms := fact.Measure(x.Measure); ms != nil && ms.Agg == semlayer.AggCountDistinct && strings.EqualFold(ms.Name, e.Name+"_count") {
					if strings.EqualFold(fact.Name, revFact) {
						return x.Name
					}
					found = append(found, x.Name)
				}
			}
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}
