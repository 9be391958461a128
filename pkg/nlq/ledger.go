package nlq

import (
	"fmt"
	"slices"
	"strings"

	"github.com/databridge/databridge/pkg/semlayer"
)

// fillerMembers reads a word that qualifies a number elsewhere ("rent
// expense", "personnel costs") as the member it also is ("Expense", an
// account type) when no number of the layer's own stands next to it:
// "expenses by account category", "expense amount by category" (the
// generic amount is not a line the word qualifies). Dropped, the word
// would leave the answer over every account.
func (p *parser) fillerMembers() {
	for i, t := range p.toks {
		if t.used || !(fillers[t.raw] || fillers[t.canon]) {
			continue
		}
		var ms []target
		for _, x := range p.v.phrases[t.canon] {
			if x.kind == kMember {
				ms = append(ms, x)
			}
		}
		if len(ms) == 0 {
			continue
		}
		qualifies := false
		for _, j := range []int{i - 1, i + 1} {
			if j < 0 || j >= len(p.toks) {
				continue
			}
			for _, m := range p.mentions {
				if j >= m.pos && j < m.end && p.has(m, kMetric) && !genericAmount[p.text(m)] {
					qualifies = true
				}
			}
		}
		if qualifies {
			continue
		}
		p.mentions = append(p.mentions, mention{pos: i, end: i + 1, t: ms})
		p.use(i, 1, "member")
		p.costMember = true
	}
}

// genericAmount are the words of a number that no word qualifies.
var genericAmount = map[string]bool{"amount": true, "amounts": true, "total": true, "balance": true, "value": true}

// ledgerAmount is, for a question that names members of the accounts'
// classification by a word of costs and no number ("expenses by account category": the
// Expense accounts), the ledger's signed amount (debit − credit) — the
// visible metric of a fact's measure "amount" whose model is bound to a
// hierarchy; "" when the members are not accounts' or no ledger has it.
func (p *parser) ledgerAmount(members []slot) string {
	if !p.costMember {
		// Only a word of costs ("expenses"): a balance sheet's members
		// ("liabilities") ask for a balance, not the period's movement.
		return ""
	}
	accounts := false
	for _, s := range members {
		for _, t := range s.cands {
			if r, ok := p.v.dims[t.name]; ok && strings.Contains(strings.ToLower(r.Dim.Name), "account") && !strings.Contains(strings.ToLower(r.Dim.Name), "name") {
				accounts = true
			}
		}
	}
	if !accounts {
		return ""
	}
	found := ""
	for _, m := range p.in.Layer.Metrics {
		if m.Hidden || m.Type != semlayer.MetricSimple || m.Filter != "" || m.Measure != "amount" || m.Format != "money" {
			continue
		}
		md := p.in.Layer.Model(m.Model)
		if md == nil || md.Role != "fact" || len(md.Hierarchies) == 0 {
			continue
		}
		if found != "" {
			return ""
		}
		found = m.Name
	}
	return found
}

// shortMisspelt reads a word of four letters one typo away from exactly
// one member of the dimension named right after it, first letter kept
// ("the Sout region": South): too short for the typo budget alone, the
// dimension's word makes it safe.
func (p *parser) shortMisspelt() {
	for i := 0; i+1 < len(p.toks); i++ {
		t := p.toks[i]
		if t.used || len(t.raw) != 4 || stopWords[t.raw] || fillers[t.raw] || keywordPhrases[t.canon] != "" || isNumber(t.raw) {
			continue
		}
		next := p.mentionAt(i + 1)
		var dims []string
		for _, x := range next.t {
			if x.kind == kDim {
				dims = append(dims, x.name)
			}
		}
		if next.pos != i+1 || len(dims) == 0 || p.has(next, kMetric) {
			continue
		}
		var found []target
		for _, m := range p.v.members {
			if !slices.Contains(dims, m.dim) || len(m.toks) != 1 || len(m.plain) < 4 {
				continue
			}
			if m.plain[0] == t.raw[0] && osa(t.raw, m.plain) == 1 {
				found = append(found, target{kind: kMember, name: m.dim, value: m.value, prio: 2})
			}
		}
		if found = dedupeMembers(found); len(found) != 1 {
			continue
		}
		p.mentions = append(p.mentions, mention{pos: i, end: i + 1, t: found, fuzzy: true})
		p.use(i, 1, "member~")
		p.corrected = append(p.corrected, fmt.Sprintf("%q as %q", t.raw, found[0].value))
		p.conf *= 0.9
	}
}
