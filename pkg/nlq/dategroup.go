package nlq

import (
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// dateGroup is a grouping by a grain of a model's own date ("revenue by
// the calendar year the account signed up", "MRR by subscription start
// month"): the bucket of each member's date, not of the facts' time.
type dateGroup struct {
	dim   string
	grain semlayer.Grain
	pos   int
}

// dateWordsIgnored are the words of a date column's name that say it is
// a date, not which one (signup_date: "signup").
var dateWordsIgnored = set(`date on at day time dt ts timestamp`)

// dateNameWords are the words of a date column's name that say which
// date it is (signup_date: signup; check_in_date: check, in).
func dateNameWords(name string) []string {
	var ws []string
	for _, w := range strings.Split(strings.ToLower(name), "_") {
		if w != "" && !dateWordsIgnored[w] {
			ws = append(ws, w)
		}
	}
	return ws
}

// groupWords before a date grouping ("by", "per", "for each").
var dateGroupBefore = set(`by per each every across`)

// dateCand is a date of a model that is not the facts' time: a
// dimension's own date (an account's signup date, a store's opening).
type dateCand struct {
	dim    string
	column string
	model  *semlayer.Model
	words  []string
}

// beginWords name the day a member began, whatever its date is called.
var beginWords = set(`signed joined registered onboarded created started opened began acquired hired enrolled`)

func (p *parser) dateCands() []dateCand {
	var out []dateCand
	for name, r := range p.v.dims {
		if r.Dim.Type != "time" || r.Dim.Hidden || strings.Contains(name, ".") {
			continue
		}
		md := p.in.Layer.Model(r.Model)
		if md == nil || md.Role == "fact" {
			// A fact's own dates are read by factDates: its other dates
			// date the period and the grains together ("claims by month
			// reported in 2025" grouped by the reported month but
			// restricted by the loss date).
			continue
		}
		ws := dateNameWords(r.Dim.Name)
		if len(ws) == 0 {
			continue
		}
		out = append(out, dateCand{dim: name, column: r.Dim.Column, model: md, words: ws})
	}
	return out
}

// sameVerb says whether a word of the question is a form of a word of a
// date's name: the same canonical word, or one that shares its first
// four letters (the whole of a shorter one): "signed" for signup,
// "started" for start, "opening" for opened, "ended" for end.
func sameVerb(t *token, w string) bool {
	if t.raw == w || t.canon == w || canonWord(w) == t.canon {
		return true
	}
	a, b := t.raw, w
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n >= 4 || n >= 3 && (n == len(a) || n == len(b))
}

// dateAt matches a date's words at i, after an optional word of its model
// ("the account signed up", "subscription start", "signup date"): the
// number of tokens and how well it fits (2 for the date's own words, not
// a word of beginning; 1 more when its model is named).
func (p *parser) dateAt(i int, c dateCand) (int, int) {
	j := i
	for j < len(p.toks) && (p.toks[j].raw == "the" || p.toks[j].raw == "its" || p.toks[j].raw == "their" || p.toks[j].raw == "they" || p.toks[j].raw == "it") {
		j++
	}
	named := false
	if j < len(p.toks) {
		for _, mw := range modelWords(c.model) {
			ws := strings.Fields(canonPhrase(mw))
			if len(ws) > 0 && j+len(ws) <= len(p.toks) {
				ok := true
				for k, w := range ws {
					if p.toks[j+k].canon != w {
						ok = false
					}
				}
				if ok {
					j += len(ws)
					named = true
					break
				}
			}
		}
	}
	if j < len(p.toks) && (p.toks[j].raw == "was" || p.toks[j].raw == "were" || p.toks[j].raw == "first") {
		j++
	}
	words := 0
	for _, w := range c.words {
		if j >= len(p.toks) || p.toks[j].used || !sameVerb(p.toks[j], w) {
			break
		}
		j++
		words++
	}
	if words < len(c.words) {
		// The date a model is dated by (its start): any word of
		// beginning ("the year the account joined", "registered").
		j -= words
		if !strings.EqualFold(c.model.TimeColumn, c.column) || j >= len(p.toks) || p.toks[j].used || !beginWords[p.toks[j].raw] {
			return 0, 0
		}
		j++
	}
	score := 0
	if words == len(c.words) {
		score += 2 // the date's own words
	}
	if named {
		score++
	}
	if j < len(p.toks) && (p.toks[j].raw == "up" || p.toks[j].raw == "date") {
		j++
	}
	return j - i, score
}

// grainAt reads a grain word at i: the number of tokens.
func (p *parser) grainAt(i int) (semlayer.Grain, int) {
	switch {
	case p.seq(i, "calendar", "year"):
		return semlayer.GrainYear, 2
	case p.seq(i, "fiscal", "year"):
		return semlayer.GrainFiscalYear, 2
	case p.seq(i, "fiscal", "quarter"):
		return semlayer.GrainFiscalQuarter, 2
	case p.seq(i, "year"):
		return semlayer.GrainFiscalYear, 1
	case p.seq(i, "quarter"):
		return semlayer.GrainFiscalQuarter, 1
	case p.seq(i, "month"):
		return semlayer.GrainMonth, 1
	}
	return "", 0
}

// dateGroups reads groupings by a grain of a model's own date, after
// "by" (or "per", "each"): "by the calendar year the account signed
// up", "by year of signup", "by signup year", "by account signup
// month", "by the month the store opened". A date word that fits the
// dates of two models and names neither is not answered.
func (p *parser) dateGroups() {
	cands := p.dateCands()
	if len(cands) == 0 {
		return
	}
	for i := 0; i < len(p.toks); i++ {
		if !dateGroupBefore[p.toks[i].raw] || p.toks[i].used {
			continue
		}
		s := i + 1
		if s < len(p.toks) && p.toks[s].raw == "the" {
			s++
		}
		type hit struct {
			c     dateCand
			g     semlayer.Grain
			n     int
			score int
		}
		var hits []hit
		for _, c := range cands {
			// Grain first: "year of signup", "calendar year the account
			// signed up", "month they started".
			if g, gn := p.grainAt(s); gn > 0 {
				j := s + gn
				for j < len(p.toks) && (p.toks[j].raw == "of" || p.toks[j].raw == "that" || p.toks[j].raw == "when" || p.toks[j].raw == "in" || p.toks[j].raw == "which") {
					j++
				}
				if n, score := p.dateAt(j, c); n > 0 {
					hits = append(hits, hit{c, g, j + n - s, score})
					continue
				}
			}
			// The date first: "signup year", "account signup month",
			// "subscription start date year".
			if n, score := p.dateAt(s, c); n > 0 {
				if g, gn := p.grainAt(s + n); gn > 0 {
					hits = append(hits, hit{c, g, n + gn, score})
				}
			}
		}
		if len(hits) == 0 {
			continue
		}
		if len(hits) > 1 {
			best := 0
			for _, h := range hits {
				best = max(best, h.score)
			}
			var named []hit
			for _, h := range hits {
				if h.score == best {
					named = append(named, h)
				}
			}
			if len(named) != 1 {
				var ds []string
				for _, h := range hits {
					ds = append(ds, strings.ReplaceAll(h.c.dim, "_", " "))
				}
				p.problems = append(p.problems, fmt.Sprintf("by which date: %s? name whose", strings.Join(ds, " or ")))
				p.use(i, s-i+hits[0].n, "dategroup")
				continue
			}
			hits = named
		}
		h := hits[0]
		p.dates = append(p.dates, dateGroup{dim: h.c.dim, grain: h.g, pos: i})
		p.use(i, s-i+h.n, "dategroup")
		i = s + h.n - 1
	}
}

// dateGroupBys are the date groupings for the spec.
func (p *parser) dateGroupBys() []query.GroupBy {
	var out []query.GroupBy
	for _, g := range p.dates {
		out = append(out, query.GroupBy{Dimension: g.dim, Grain: g.grain})
	}
	return out
}

// ownDateCount reads "number of accounts by signup month in 2025" as the
// accounts' own count, grouped (and put in the period) by their own date:
// a fact's count of the members it references ("accounts invoiced") would
// read the period on the facts' date — the accounts invoiced in 2025, by
// the month they signed up.
func (p *parser) ownDateCount(spec *query.Spec) {
	if len(spec.Metrics) != 1 || len(p.dates) == 0 {
		return
	}
	m := p.in.Layer.Metric(spec.Metrics[0])
	if m == nil || m.Format != "count" {
		return
	}
	if md := p.in.Layer.Model(m.Model); md == nil || md.Role == "dimension" {
		return
	}
	counted := p.countedModel(m.Name)
	if counted == nil || counted.TimeColumn == "" {
		return
	}
	for _, g := range p.dates {
		r := p.v.dims[g.dim]
		if !strings.EqualFold(r.Model, counted.Name) || !strings.EqualFold(r.Dim.Column, counted.TimeColumn) {
			continue
		}
		for _, x := range p.in.Layer.Metrics {
			if x.Hidden || x.Format != "count" || x.Type != semlayer.MetricSimple || x.Filter != "" || !strings.EqualFold(x.Model, counted.Name) {
				continue
			}
			for k := range spec.OrderBy {
				if spec.OrderBy[k].Key == m.Name {
					spec.OrderBy[k].Key = x.Name
				}
			}
			for h := range spec.Having {
				if spec.Having[h].Metric == m.Name {
					spec.Having[h].Metric = x.Name
				}
			}
			spec.Metrics[0] = x.Name
			return
		}
	}
}
