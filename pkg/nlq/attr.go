package nlq

import (
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/query"
)

// attribute answers a question about members' numeric attributes (a
// price, a cost, a limit): "what is the monthly price of the Growth
// plan" (the attribute of the members named), "most expensive product",
// "the 3 cheapest plans" (members ranked by it). The answer lists the
// groups only, through the model's member count.
func (p *parser) attribute(spec query.Spec, attrs, groups, members []slot, price, superlative string) *Interpretation {
	l := p.in.Layer
	attr := ""
	for _, a := range attrs {
		for _, t := range a.cands {
			if attr != "" && attr != t.name {
				return p.abstain("two attributes: ask for one")
			}
			attr = t.name
		}
	}
	if price != "" && attr == "" {
		// The price of the members named.
		model := ""
		for _, g := range append(append([]slot{}, groups...), members...) {
			cands := g.cands
			for _, t := range g.cands {
				if t.kind == kEntity {
					cands = []target{t} // "plan": the plans, not their codes
				}
			}
			for _, t := range cands {
				name := t.name
				if t.kind != kEntity {
					name = p.v.dims[t.name].Model
				}
				if model != "" && !strings.EqualFold(model, name) {
					return p.abstain("the price of what? name one kind of thing")
				}
				model = name
			}
		}
		for _, r := range p.v.dims {
			if strings.EqualFold(r.Model, model) && isAttribute(l.Model(r.Model), r.Dim) && strings.Contains(r.Dim.Name, "price") {
				if attr != "" {
					return p.abstain("which price? name it (" + strings.ReplaceAll(attr, "_", " ") + " or " + strings.ReplaceAll(r.Name, "_", " ") + ")")
				}
				attr = r.Name
			}
		}
		if attr == "" {
			return p.abstain("\"expensive\" or \"cheap\": no price of that is known")
		}
	}
	r, ok := p.v.dims[attr]
	if !ok {
		return p.abstain("unknown attribute " + attr)
	}
	stated := periodsOf(strings.Fields(strings.ReplaceAll(strings.ToLower(r.Dim.Name), "_", " ")))
	for _, asked := range p.periodsAsked() {
		if len(stated) == 0 || asked != stated[0] {
			// "the annual price of the Enterprise plan": a monthly price
			// is not the price of a year (nor is a price stated per no
			// period).
			return p.abstain(fmt.Sprintf("the %s is not stated per %s", strings.ReplaceAll(attr, "_", " "), asked))
		}
	}
	count := ""
	for _, x := range l.Metrics {
		if !x.Hidden && x.Format == "count" && strings.EqualFold(x.Model, r.Model) && x.Type == "simple" {
			count = x.Name
			break
		}
	}
	if count == "" {
		return p.abstain("the members of " + r.Model + " are not counted: their " + strings.ReplaceAll(attr, "_", " ") + " cannot be listed")
	}
	spec.Metrics = []string{count}
	p.only = OnlyGroups
	if len(p.having) > 0 {
		// "products with a list price over 200": the members whose
		// attribute meets the threshold (it listed every product).
		var conds []string
		for _, h := range p.having {
			conds = append(conds, fmt.Sprintf("%s %s %s", attr, h.op, h.value))
		}
		if spec.Where != "" {
			conds = append([]string{"(" + spec.Where + ")"}, conds...)
		}
		spec.Where = strings.Join(conds, " AND ")
		p.having = nil
		p.cohortText += ", where " + strings.ReplaceAll(strings.Join(conds, " and "), "_", " ")
	}
	dir := superlative
	if price == "desc" || price == "asc" {
		dir = price
	}
	if dir == "" && p.limit == 0 {
		// The attribute of the members named (or of each member of the
		// groups named). By a grouping of the members ("salary by
		// department") it would list each value found in each group:
		// the average or the total is asked for by name.
		own, other := false, -1
		for gi, g := range groups {
			mine := false
			for _, t := range g.cands {
				mine = mine || t.kind == kEntity && strings.EqualFold(t.name, r.Model) || t.kind == kDim && t.name == p.v.display[r.Model]
			}
			if own = own || mine; !mine && other < 0 {
				other = gi
			}
		}
		if other >= 0 && !own {
			// (with the members themselves named — "each plan by tier" —
			// they are listed, the grouping a column beside)
			label, by := strings.ReplaceAll(attr, "_", " "), p.text(p.mentionAt(groups[other].pos))
			return p.abstain(fmt.Sprintf("%s by %s: the average or the total? say \"average %s by %s\"", label, by, label, by))
		}
		spec.GroupBy = []query.GroupBy{{Dimension: attr}}
		return p.search(spec, groups, members)
	}
	if dir == "" {
		dir = "desc"
	}
	// Ranked by the attribute: the members by name, then the attribute.
	var own []slot
	plural := false
	for _, g := range groups {
		for _, t := range g.cands {
			if t.kind == kEntity && strings.EqualFold(t.name, r.Model) {
				own = []slot{g}
				if tk := p.toks[g.pos]; tk.raw != tk.canon {
					plural = true
				}
			}
		}
	}
	if len(own) == 0 {
		own = []slot{{kind: kDim, cands: []target{{kind: kEntity, name: r.Model, prio: 3}}, pos: len(p.toks)}}
	}
	if len(groups) > len(own) || p.v.display[r.Model] == "" {
		return p.abstain("a ranking by " + strings.ReplaceAll(attr, "_", " ") + " of what? name the members")
	}
	spec.GroupBy = []query.GroupBy{{Dimension: attr}}
	spec.OrderBy = []query.Order{{Key: attr, Desc: dir == "desc"}}
	spec.Limit = p.limit
	if spec.Limit == 0 {
		if plural {
			return p.abstain("the highest or lowest how many? say \"top 5\"")
		}
		spec.Limit = 1
	}
	p.attrRank = true
	return p.search(spec, own, members)
}

// periodUnits are the words that state an amount per period, by unit.
var periodUnits = map[string]string{
	"annual": "year", "annually": "year", "yearly": "year", "year": "year", "years": "year", "annum": "year",
	"monthly": "month", "month": "month", "months": "month",
	"weekly": "week", "week": "week", "weeks": "week",
	"daily": "day", "day": "day", "days": "day",
	"quarterly": "quarter", "quarter": "quarter", "quarters": "quarter",
	"hourly": "hour", "hour": "hour",
}

// periodsOf are the periods words state an amount per: "monthly" price,
// price "per year" (a unit word alone, as in "this year", is a period
// of time, not a rate).
func periodsOf(words []string) []string {
	var out []string
	for i, w := range words {
		u := periodUnits[w]
		if u == "" {
			continue
		}
		if strings.HasSuffix(w, "ly") || w == "annual" || i > 0 && (words[i-1] == "per" || words[i-1] == "a" || words[i-1] == "an" || words[i-1] == "each" || words[i-1] == "every") {
			out = append(out, u)
		}
	}
	return out
}

// periodsAsked are the periods the question states an amount per
// ("annual price", "price per month").
func (p *parser) periodsAsked() []string {
	words := make([]string, len(p.toks))
	for i, t := range p.toks {
		words[i] = t.raw
	}
	return periodsOf(words)
}
