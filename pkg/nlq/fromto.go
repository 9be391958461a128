package nlq

import (
	"fmt"
	"strings"
)

// Two dimensions of one model with the same members — a shipment's
// origin and destination city, a transfer's from and to account: "from
// Rotterdam to Milan" reads each member by its preposition; without one
// the member names neither and the question is refused (it was filtered
// by one of them, picked silently).
var (
	fromWords  = set(`from origin source sender departure pickup`)
	toWords    = set(`to into destination dest target receiver recipient arrival delivery`)
	fromPrepos = set(`from`)
	toPrepos   = set(`to into`)
)

// dimSide says whether a dimension's name is an origin (-1), a
// destination (1) or neither (0).
func dimSide(name string) int {
	for _, w := range strings.Split(strings.ToLower(name), "_") {
		switch {
		case fromWords[w]:
			return -1
		case toWords[w]:
			return 1
		}
	}
	return 0
}

// fromTo keeps, of a member that is one of two such dimensions', the
// one its preposition names.
func (p *parser) fromTo() {
	for mi := range p.mentions {
		m := &p.mentions[mi]
		sides := map[int]bool{}
		models := map[string]bool{}
		for _, t := range m.t {
			if t.kind != kMember {
				continue
			}
			r, ok := p.v.dims[t.name]
			if !ok {
				continue
			}
			if side := dimSide(r.Dim.Name); side != 0 {
				// (the referenced model's own code, airport_code beside
				// origin_airport and destination_airport, names neither)
				sides[side] = true
				models[strings.ToLower(r.Model)] = true
			}
		}
		if !sides[-1] || !sides[1] || len(models) != 1 {
			continue
		}
		want := 0
		if m.pos > 0 {
			switch w := p.toks[m.pos-1].raw; {
			case fromPrepos[w]:
				want = -1
			case toPrepos[w]:
				want = 1
			}
		}
		if want == 0 {
			p.problems = append(p.problems, fmt.Sprintf("%q is an origin and a destination: say from or to (e.g. \"from %s\")", p.text(*m), p.text(*m)))
			continue
		}
		var keep []target
		for _, t := range m.t {
			if r, ok := p.v.dims[t.name]; t.kind != kMember && t.kind != kDim || ok && dimSide(r.Dim.Name) == want {
				keep = append(keep, t)
			}
		}
		m.t = keep
	}
}
