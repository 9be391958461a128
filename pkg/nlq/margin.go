package nlq

import (
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// marginPhrases name a cost of the goods sold, a gross margin and its
// rate, where the layer has no number of that name (a retail warehouse
// with a product's unit cost and no cost line).
var marginPhrases = []struct{ words, kind string }{
	{"gross margin percent", "pct"}, {"gross margin percentage", "pct"}, {"gross margin pct", "pct"}, {"gross margin %", "pct"},
	{"gross margin rate", "pct"}, {"gross margin ratio", "pct"}, {"margin percent", "pct"}, {"margin percentage", "pct"},
	{"margin pct", "pct"}, {"margin %", "pct"}, {"margin rate", "pct"},
	{"gross margin", "amount"}, {"gross profit", "amount"}, {"margin", "amount"}, {"margins", "amount"},
	{"cost of goods sold", "cost"}, {"cost of goods", "cost"}, {"cost of sales", "cost"}, {"cogs", "cost"},
	{"product cost", "cost"}, {"product costs", "cost"},
	{"profit margin", "pct"}, {"profit margins", "pct"},
	{"profitable", "amount"}, {"profit", "amount"}, {"profits", "amount"},
}

// notGross are the words before "profit" that make it another profit
// than a gross one ("net profit", "operating profit").
var notGross = set(`net operating pretax pre tax after before ebit ebitda bottom`)

type marginAsk struct {
	kind string
	pos  int
}

// margins reads a gross margin from its parts where the layer has no
// such number: revenue less the units sold at each member's unit cost
// (a numeric attribute with "cost" in its name of a model the revenue's
// rows reach, with the units in the same fact). Without those parts, or
// in a layer whose amounts are in several currencies (a cost has none),
// the words stay unread and the question is not answered.
func (p *parser) margins() {
	for i := 0; i < len(p.toks); i++ {
		for _, mp := range marginPhrases {
			ws := strings.Fields(mp.words)
			ok := i+len(ws) <= len(p.toks)
			for k := 0; ok && k < len(ws); k++ {
				t := p.toks[i+k]
				ok = !t.used && (t.raw == ws[k] || t.canon == ws[k] || ws[k] == "pct" && t.raw == "%")
			}
			if !ok || len(p.v.phrases[canonPhrase(mp.words)]) > 0 || len(p.v.phrases[canonPhrase(strings.Join(ws[:min(2, len(ws))], " "))]) > 0 {
				continue
			}
			if strings.HasPrefix(mp.words, "profit") && i > 0 && notGross[p.toks[i-1].raw] {
				continue
			}
			if _, _, _, why := p.marginParts(); why != "" {
				return
			}
			p.marginAsks = append(p.marginAsks, marginAsk{kind: mp.kind, pos: i})
			p.use(i, len(ws), "margin")
			i += len(ws) - 1
			break
		}
	}
}

// marginParts are the revenue, the units and the unit cost a margin is
// made of.
func (p *parser) marginParts() (rev, qty, cost string, why string) {
	l := p.in.Layer
	if l.Currency != nil {
		return "", "", "", "amounts in several currencies: a unit cost has none"
	}
	rev, qty = p.v.concepts["revenue"], p.v.concepts["quantity"]
	rm, qm := l.Metric(rev), l.Metric(qty)
	if rm == nil || qm == nil || rm.Type != semlayer.MetricSimple || qm.Type != semlayer.MetricSimple || !strings.EqualFold(rm.Model, qm.Model) || qm.Filter != "" {
		return "", "", "", "no revenue and units of one fact"
	}
	fact := l.Model(rm.Model)
	var costs []string
	for name, r := range p.v.dims {
		if strings.Contains(name, ".") || r.Dim.Type == "time" {
			continue
		}
		md := l.Model(r.Model)
		reached := false
		for _, e := range fact.Entities {
			reached = reached || e.Type == "foreign" && l.RefModel(e) == md
		}
		if !reached || md.Role != "dimension" || !isAttribute(md, r.Dim) {
			continue
		}
		for _, w := range strings.Split(strings.ToLower(r.Dim.Name), "_") {
			if w == "cost" {
				costs = append(costs, name)
				break
			}
		}
	}
	if len(costs) != 1 {
		return "", "", "", fmt.Sprintf("%d unit costs", len(costs))
	}
	return rev, qty, costs[0], ""
}

// marginMetrics are the query's own metrics of a margin ask.
func (p *parser) marginMetric(spec *query.Spec, kind string) (string, string) {
	rev, qty, cost, why := p.marginParts()
	if why != "" {
		return "", why
	}
	cogs := "cost_of_goods_sold"
	have := false
	for _, x := range spec.Priced {
		have = have || x.Name == cogs
	}
	if !have {
		spec.Priced = append(spec.Priced, query.Priced{Name: cogs, Label: "cost of goods sold (" + p.label(qty) + " × " + strings.ReplaceAll(cost, "_", " ") + ")", Metric: qty, Attribute: cost, Format: "money"})
	}
	for _, x := range spec.Derived {
		if kind == "pct" && x.Name == "gross_margin_pct" || kind == "amount" && x.Name == "gross_margin" {
			return x.Name, ""
		}
	}
	switch kind {
	case "cost":
		return cogs, ""
	case "pct":
		x := query.Derived{Name: "gross_margin_pct", Label: "gross margin %", Expr: fmt.Sprintf("(%s - %s) / %s * 100", rev, cogs, rev), Format: "percent"}
		spec.Derived = append(spec.Derived, x)
		return x.Name, ""
	}
	x := query.Derived{Name: "gross_margin", Label: "gross margin (" + p.label(rev) + " less cost of goods sold)", Expr: rev + " - " + cogs, Format: "money"}
	spec.Derived = append(spec.Derived, x)
	return x.Name, ""
}
