package nlq

import (
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// factDate is another date of a fact than the one it is dated by, named
// by its verb: "claims reported in Q4" (reported_date, where claims are
// dated by their loss), "orders shipped last month" (ship_date),
// "bookings checking in in March" (check_in_date). The question's period
// and time grains then read that date (query.Spec.Dated).
type factDate struct {
	// dims are the dates the words name, qualified (model.dimension),
	// one per fact that has such a date.
	dims     []string
	pos, end int
	// filler: the words are a filler elsewhere ("reported", "booked"):
	// where no fact asked has the date, they say nothing.
	filler bool
}

// factDateName is a date of a fact by the words of its name, qualified
// (model.dimension).
type factDateName struct {
	dim   string
	words []string
	// own: the date the fact is dated by ("shipments shipped in May"):
	// its verb says nothing more.
	own bool
}

// factDateNames are the dates of the layer's facts (the vocabulary's,
// read once per layer).
func factDateNames(l *semlayer.Layer) []factDateName {
	var out []factDateName
	for _, md := range l.Models {
		if md.Role != "fact" || md.TimeColumn == "" {
			continue
		}
		for _, dm := range md.Dimensions {
			if dm.Type != "time" || dm.Hidden {
				continue
			}
			if ws := dateNameWords(dm.Name); len(ws) > 0 {
				out = append(out, factDateName{dim: md.Name + "." + dm.Name, words: ws, own: md.TimeVia == "" && strings.EqualFold(dm.Column, md.TimeColumn)})
			}
		}
	}
	return out
}

// factDates finds the words of a fact's other dates among the words no
// other reading took.
func (p *parser) factDates() {
	cands := p.v.factDates
	if len(cands) == 0 {
		return
	}
	for i := 0; i < len(p.toks); i++ {
		if p.toks[i].used {
			continue
		}
		best, own := 0, false
		var dims []string
		for _, c := range cands {
			n := 0
			for n < len(c.words) && i+n < len(p.toks) && sameVerb(p.toks[i+n], c.words[n]) {
				// A later word of the date may be one a period took
				// ("checking in in March": the period took an "in").
				if t := p.toks[i+n]; t.used && !(n > 0 && stopWords[t.raw]) {
					break
				}
				n++
			}
			if n < len(c.words) {
				continue
			}
			if n > best {
				best, dims, own = n, nil, false
			}
			if n == best {
				if c.own {
					own = true
				} else {
					dims = append(dims, c.dim)
				}
			}
		}
		if best == 0 {
			continue
		}
		if own && len(dims) == 0 {
			// The verb of the date the fact is dated by: a filler, but
			// only where it is no filler already and names nothing else.
			if !fillers[p.toks[i].raw] && len(p.v.phrases[p.toks[i].canon]) == 0 {
				p.use(i, best, "date")
			}
			i += best - 1
			continue
		}
		filler := true
		for _, t := range p.toks[i : i+best] {
			filler = filler && (fillers[t.raw] || fillers[t.canon] || stopWords[t.raw])
		}
		p.factDate = &factDate{dims: dims, pos: i, end: i + best, filler: filler}
		for k := i; k < i+best; k++ {
			if !p.toks[k].used {
				p.use(k, 1, "date")
			}
		}
		return
	}
}

// dated reads the spec's period and grains by the date the question
// named (factDate), on the first of its facts the spec asks about. The
// reason is set when the words cannot be read.
func (p *parser) dated(spec *query.Spec) string {
	p.datedGroup(spec)
	fd := p.factDate
	if fd == nil || spec.Dated != "" {
		return ""
	}
	words := p.text(mention{pos: fd.pos, end: fd.end})
	timed := spec.Time != nil
	for _, g := range spec.GroupBy {
		timed = timed || g.Grain != "" && g.Dimension == ""
	}
	if !timed {
		if fd.filler {
			return ""
		}
		return fmt.Sprintf("%q names a date: say for which period (e.g. %q)", words, words+" last month")
	}
	for _, d := range fd.dims {
		try := *spec
		try.Dated = d
		if compiles(p.in.Layer, try) == nil {
			*spec = try
			return ""
		}
	}
	if fd.filler {
		return ""
	}
	return fmt.Sprintf("%q is a date of %s, not of the numbers asked", words, strings.Join(datedModels(fd.dims), " or "))
}

func datedModels(dims []string) []string {
	var out []string
	for _, d := range dims {
		out = append(out, d[:strings.Index(d, ".")])
	}
	return out
}

// datedLabel is the words of the date a spec is dated by ("reported",
// "check in"), for the interpretation.
func datedLabel(dated string) string {
	return strings.Join(dateNameWords(dated[strings.LastIndex(dated, ".")+1:]), " ")
}

// datedGroup reads a grouping by another date of a fact ("claims by
// reported date in 2025", "by reported date month") as that date dating
// the facts: the period and the grain are the reported date's (they
// were the loss date's, beside a grouping by the reported day).
func (p *parser) datedGroup(spec *query.Spec) {
	for i, g := range spec.GroupBy {
		if g.Dimension == "" || g.Grain != "" || spec.Dated != "" {
			continue
		}
		md, dim, err := p.in.Layer.FindDimension(g.Dimension)
		if err != nil || md.Role != "fact" || dim.Type != "time" || md.TimeVia == "" && strings.EqualFold(dim.Column, md.TimeColumn) {
			continue
		}
		try := *spec
		try.GroupBy = append([]query.GroupBy{}, spec.GroupBy...)
		try.Dated = md.Name + "." + dim.Name
		grained := false
		for _, o := range try.GroupBy {
			grained = grained || o.Grain != "" && o.Dimension == ""
		}
		if grained {
			try.GroupBy = append(try.GroupBy[:i], try.GroupBy[i+1:]...)
		} else {
			try.GroupBy[i] = query.GroupBy{Grain: semlayer.GrainDay}
		}
		if compiles(p.in.Layer, try) == nil {
			*spec = try
		}
		return
	}
}
