package nlq

import (
	"fmt"
	"sort"
	"strings"

	"github.com/databridge/databridge/pkg/semlayer"
)

// programWords may follow a membership word before the model's word
// ("loyalty program members", "loyalty-scheme customers").
var programWords = set(`program programme scheme club card`)

// membership reads a word that names a categorical dimension of a model
// just before the model's word — "loyalty members" where customers have
// a loyalty_tier, "loyalty-program customers" — as the members that
// have a value of that dimension (dimension IS NOT NULL): the customers
// in the programme, whatever their tier. The word must be the first
// word of the dimension's name (of two words or more: loyalty_tier),
// not a word the layer reads otherwise, and name no member.
func (p *parser) membership() {
	for i := 0; i+1 < len(p.toks); i++ {
		t := p.toks[i]
		if t.used || len(t.raw) < 3 || stopWords[t.raw] || fillers[t.raw] || keywordPhrases[t.canon] != "" || isNumber(t.raw) {
			continue
		}
		j := i + 1
		if j < len(p.toks) && !p.toks[j].used && programWords[p.toks[j].canon] {
			j++
		}
		if j >= len(p.toks) {
			continue
		}
		m := p.mentionAt(j)
		if m.pos != j || m.t == nil {
			continue
		}
		var found []semlayer.DimensionRef
		for _, x := range m.t {
			if x.kind != kEntity {
				continue
			}
			md := p.in.Layer.Model(x.name)
			if md == nil {
				continue
			}
			for _, r := range p.v.dims {
				if !strings.EqualFold(r.Model, md.Name) || r.Dim.Type != "categorical" || r.Dim.Hidden || !isOwnColumn(p.in.Layer, md, r.Dim) {
					continue
				}
				ws := strings.Split(strings.ToLower(r.Dim.Name), "_")
				if len(ws) < 2 || canonWord(ws[0]) != t.canon || modelNamed(md, ws[0]) {
					continue
				}
				found = append(found, r)
			}
		}
		if len(found) != 1 {
			continue
		}
		if p.memberOf == nil {
			p.memberOf = map[int]string{}
		}
		p.memberOf[j] = found[0].Name
		p.use(i, j-i, "membership")
	}
}

// membershipWhere is the filter of the members named by membership:
// the rows whose dimension has a value.
func (p *parser) membershipWhere() (where, text string) {
	var ws, ts []string
	seen := map[string]bool{}
	for _, d := range p.memberOf {
		if seen[d] {
			continue
		}
		seen[d] = true
		ws = append(ws, d+" IS NOT NULL")
		ts = append(ts, fmt.Sprintf("with a %s", strings.ReplaceAll(d, "_", " ")))
	}
	sort.Strings(ws)
	sort.Strings(ts)
	return strings.Join(ws, " AND "), strings.Join(ts, ", ")
}
