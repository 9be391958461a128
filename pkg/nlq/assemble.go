package nlq

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// weakConcepts are verbs that name the measure only when nothing else
// does ("how much did Voltix sell", "what did we bill each industry").
// weakMetric is the metric a weak word of a measure names ("spent",
// "sold", "collected"), "" when none. What customers spend is our
// revenue; what we (or a cost centre) spend with vendors is the spend
// of a fact of purchases, where there is one, and nothing otherwise.
// customers says the question names customers (nil: do not ask). Where
// there is no revenue, the words of buying and billing ("bought from",
// "billed by") are the spend too.
func (p *parser) weakMetric(raw string, customers func() bool) string {
	c, ok := weakConcepts[raw]
	if !ok {
		return ""
	}
	spend, rev := p.v.concepts["spend"], p.v.concepts["revenue"]
	switch raw {
	case "spend", "spent", "spending", "buy", "bought", "purchased":
		if customers != nil && customers() && rev != "" {
			return rev
		}
		if spend != "" {
			return spend
		}
		if spendingWords[raw] && customers != nil && !customers() {
			return ""
		}
		return rev
	case "bill", "billed", "invoice", "invoiced":
		if rev == "" {
			return spend
		}
	case "earn", "earned", "earns", "earning":
		if rev == "" {
			// "who earns the most", "employees who earned over 100k":
			// where nothing is sold, what people are paid.
			return p.v.concepts["payroll"]
		}
	}
	return p.v.concepts[c]
}

// spendingWords are the words of spending: the customers' (revenue)
// only where the question names them, else the business's own spend.
var spendingWords = map[string]bool{"spend": true, "spent": true, "spending": true}

var weakConcepts = map[string]string{
	"spend": "revenue", "spent": "revenue", "spending": "revenue", "sell": "revenue", "sold": "revenue", "bill": "revenue", "billed": "revenue",
	"invoice": "revenue", "invoiced": "revenue", "earn": "revenue", "earned": "revenue", "earns": "revenue", "earning": "revenue", "generated": "revenue", "generate": "revenue", "generates": "revenue",
	"buy": "revenue", "bought": "revenue", "purchased": "revenue", "shopped": "revenue",
	"collected": "payments", "collect": "payments", "pay": "payments", "pays": "payments",
	"raise": "donations", "raised": "donations", "raises": "donations", "gave": "donations",
	"donate": "donations", "donated": "donations", "donates": "donations", "contributed": "donations", "contribute": "donations", "contributes": "donations",
}

// slot is one thing of the spec whose meaning has candidates.
type slot struct {
	kind  int // kDim (group) or kMember (filter)
	cands []target
	pos   int
	// not: a member excluded ("excluding Enterprise").
	not bool
}

func (p *parser) kw(m mention) string {
	for _, t := range m.t {
		if t.kind == kKeyword {
			return t.name
		}
	}
	return ""
}

func (p *parser) has(m mention, kind int) bool {
	for _, t := range m.t {
		if t.kind == kind {
			return true
		}
	}
	return false
}

func (p *parser) assemble() *Interpretation {
	sort.Slice(p.mentions, func(i, j int) bool { return p.mentions[i].pos < p.mentions[j].pos })
	spec := query.Spec{SkipEmpty: true}
	var metricPos []int
	addMetric := func(name string, pos int) {
		for i, m := range spec.Metrics {
			if m == name {
				_ = i
				return
			}
		}
		spec.Metrics = append(spec.Metrics, name)
		metricPos = append(metricPos, pos)
	}
	var kws []struct {
		name string
		pos  int
	}
	var grains []semlayer.Grain
	var groupSlots, memberSlots, attrSlots []slot
	price := "" // "most expensive" (desc), "cheapest" (asc), "expensive"
	var superlative string
	orderOnly := false
	isGroupWord := map[int]bool{}
	skipPos := map[int]bool{}
	pendingAvg, pendingPct, created, pendingMinus := false, false, false, false
	createdWord := "" // the word that said "created" ("new" of "new loans")
	minusEnd := -1    // the end of the number taken away ("after refunds")
	unpaid := ""      // "unpaid invoices", "amount outstanding" (unpaid.go)
	// excluding: after "excluding" / "except", the members named are left
	// out, until something else is named.
	excluding, excludes, excluded := false, 0, 0
	var avgGrain semlayer.Grain
	// Metrics, keywords, grains first.
	for mi, m := range p.mentions {
		if skipPos[m.pos] {
			continue
		}
		if excluding && !(p.has(m, kMember) && !p.has(m, kDim) && !p.has(m, kEntity) && !p.has(m, kMetric)) && p.kw(m) != "and" && p.kw(m) != "or" && p.kw(m) != "not" {
			excluding = false
		}
		if k := p.kw(m); k != "" && (strings.HasPrefix(k, "g:") || !p.has(m, kMetric) && !p.has(m, kDim) && !p.has(m, kEntity) && !p.has(m, kMember)) {
			kws = append(kws, struct {
				name string
				pos  int
			}{k, m.pos})
			switch {
			case strings.HasPrefix(k, "g:"):
				g := semlayer.Grain(strings.TrimPrefix(k, "g:"))
				if pendingAvg && avgGrain == "" {
					// "average monthly revenue": per month of the range.
					avgGrain = g
					continue
				}
				if !slices.Contains(grains, g) {
					grains = append(grains, g)
					p.grainPos[g] = m.pos
				}
				isGroupWord[m.pos] = true
			case k == "share":
				p.share = true
			case k == "shareonly":
				p.share = true
			case k == "pctchange":
				p.growth = true
				p.only = query.KindChangePct
			case k == "growth":
				p.growth = true
			case k == "top":
				superlative = "desc"
			case k == "bottom":
				superlative = "asc"
			case k == "desc" || k == "asc":
				if superlative == "" {
					superlative = k
				}
				p.superlative = true
			case k == "created":
				created = true
				createdWord = p.toks[m.pos].raw
			case k == "avg":
				pendingAvg = true
			case k == "gross", k == "discrate":
				// Gross sales = net sales + discounts; the discount rate
				// is the discounts' share of gross sales.
				x, reason := p.grossSales(k == "discrate")
				if reason != "" {
					p.problems = append(p.problems, reason)
					continue
				}
				spec.Derived = append(spec.Derived, x)
				addMetric(x.Name, m.pos)
			case k == "price", k == "priceup", k == "pricedown":
				price = map[string]string{"price": "price", "priceup": "desc", "pricedown": "asc"}[k]
			case k == "not":
				// "revenue excluding Enterprise", "all regions except
				// West"; "sales excluding refunds": less them.
				if mi+1 < len(p.mentions) && p.has(p.mentions[mi+1], kMetric) {
					// "revenue excluding discounts": is it in the number
					// or not? Say "less" to take it away.
					p.problems = append(p.problems, fmt.Sprintf("%q a number: is it part of the other? say \"less\" or \"minus\" to take it away", p.text(m)))
					continue
				}
				excluding, excludes = true, excludes+1
			case k == "minus":
				// "net sales after refunds", "revenue less returns".
				if len(spec.Metrics) == 0 {
					p.problems = append(p.problems, fmt.Sprintf("%q what? name the number to take it from", p.text(m)))
				}
				pendingMinus = true
			case k == "asp":
				// The average selling price: revenue per unit sold.
				r, reason := p.sellingPrice()
				if reason != "" {
					p.problems = append(p.problems, reason)
					continue
				}
				spec.Ratios = append(spec.Ratios, r)
				addMetric(r.Name, m.pos)
			case k == "count" && pendingAvg:
				p.problems = append(p.problems, "an average number of things per thing is not supported")
			case k == "pctof":
				if len(spec.Metrics) == 0 && mi+1 < len(p.mentions) && p.has(p.mentions[mi+1], kMetric) {
					// "percentage of revenue by industry": the share.
					p.share = true
					continue
				}
				if len(spec.Metrics) == 0 {
					p.problems = append(p.problems, "a percentage of what?")
				}
				pendingPct = true
			case k == "unpaid", k == "unpaidamt":
				unpaid = k
			case k == "first":
				p.problems = append(p.problems, "\"first\" is not understood here (a first purchase, a first order?)")
			case k == "descfirst":
				superlative, orderOnly = "desc", true
			case k == "ascfirst":
				superlative, orderOnly = "asc", true
			}
			continue
		}
		var metrics []target
		top, otherTop := -1, -1
		for _, t := range m.t {
			if t.kind == kMetric && t.prio >= top {
				if t.prio > top {
					metrics, top = nil, t.prio
				}
				metrics = append(metrics, t)
			}
			if t.kind != kMetric && t.kind != kKeyword && t.prio > otherTop {
				otherTop = t.prio
			}
		}
		// ("by rep": a grouping where the word's best reading is one,
		// not a weaker count of the same things)
		afterBy := mi > 0 && p.kw(p.mentions[mi-1]) == "by" && p.toks[p.mentions[mi-1].pos].raw == "by" && (p.has(m, kDim) || p.has(m, kEntity))
		if len(metrics) > 0 && (top >= otherTop || !p.qualifiedMember(m) && !(afterBy && otherTop > top)) {
			names := p.preferCounts(uniqueNames(metrics))
			if len(names) > 1 && !pendingMinus && (top == 1 && p.toks[m.end-1].raw != p.toks[m.end-1].canon || m.pos > 0 && p.toks[m.pos-1].raw == "per" && m.end == m.pos+1) {
				// ("revenue per order": per one of the fact's rows, counted.)
				// "returns by store": a fact's plural noun alone counts
				// its rows, when one of its readings is that count.
				var counts []string
				for _, n := range names {
					if x := p.in.Layer.Metric(n); x != nil && x.Format == "count" {
						counts = append(counts, n)
					}
				}
				if len(counts) == 1 {
					names = counts
				}
			}
			valued := m.pos >= 2 && p.toks[m.pos-1].raw == "of" && (p.toks[m.pos-2].raw == "value" || p.toks[m.pos-2].raw == "amount" || p.toks[m.pos-2].raw == "sum" || p.toks[m.pos-2].raw == "worth")
			if len(names) == 1 && !pendingMinus && !pendingPct && !valued && unpaid == "" && m.end == m.pos+1 && p.toks[m.pos].raw != p.toks[m.pos].canon && p.documentWord(p.toks[m.pos]) && p.documentsAlone(mi) {
				// "invoices by month", "invoices last month": a fact
				// whose rows are documents, named alone in the plural,
				// counts them (as "returns by store" does); its amount is
				// "invoiced", "invoice amount", "billings".
				if x := p.in.Layer.Metric(names[0]); x != nil && x.Format == "money" && x.Type == semlayer.MetricSimple && p.factNamed(p.toks[m.pos]) != "" && strings.EqualFold(p.factNamed(p.toks[m.pos]), x.Model) {
					if c := p.countOf(x); c != "" {
						names = []string{c}
					}
				}
			}
			if len(names) > 1 && pendingMinus && len(spec.Metrics) > 0 {
				// "units sold less returns": the returns' number of the
				// other's kind (units, not the refunds).
				if last := p.in.Layer.Metric(spec.Metrics[len(spec.Metrics)-1]); last != nil {
					var same []string
					for _, n := range names {
						if x := p.in.Layer.Metric(n); x != nil && x.Format == last.Format {
							same = append(same, n)
						}
					}
					if len(same) == 1 {
						names = same
					}
				}
			}
			if len(names) > 1 {
				p.problems = append(p.problems, fmt.Sprintf("%q can mean %s", p.text(m), strings.Join(names, " or ")))
				continue
			}
			// A word that counts over another metric's rows ("sales
			// invoices": the journals with revenue lines).
			rows := ""
			for _, t := range metrics {
				if t.name == names[0] {
					rows = t.rows
				}
			}
			if pendingAvg && avgGrain == "" {
				// "average revenue per month".
				if mi+2 < len(p.mentions) && p.kw(p.mentions[mi+1]) == "by" && p.toks[p.mentions[mi+1].pos].raw == "per" && strings.HasPrefix(p.kw(p.mentions[mi+2]), "g:") {
					avgGrain = semlayer.Grain(strings.TrimPrefix(p.kw(p.mentions[mi+2]), "g:"))
					skipPos[p.mentions[mi+1].pos], skipPos[p.mentions[mi+2].pos] = true, true
				}
			}
			if pendingAvg && p.stockMeasure(names[0]) != nil {
				// A balance averaged over a period is an average of its
				// values at each period, which the layer does not compute.
				p.problems = append(p.problems, fmt.Sprintf("an average of %s, a balance, is not supported: ask for it by month", metricLabel(p.in.Layer, names[0])))
				pendingAvg = false
				continue
			}
			if pendingAvg && p.averaged(names[0]) {
				// "average grade": a number averaged already, itself.
				pendingAvg = false
			}
			if pendingAvg && avgGrain != "" {
				pendingAvg = false
				a := names[0]
				format := "number"
				if x := p.in.Layer.Metric(a); x != nil && x.Format == "money" {
					format = "money"
				}
				r := query.Ratio{Name: "average_" + string(avgGrain) + "_" + a, Label: "average " + metricLabel(p.in.Layer, a) + " per " + strings.ReplaceAll(string(avgGrain), "_", " "),
					Numerator: a, Periods: avgGrain, Format: format}
				spec.Ratios = append(spec.Ratios, r)
				addMetric(r.Name, m.pos)
				continue
			}
			if pendingAvg {
				pendingAvg = false
				r, reason := p.average(names[0], rows, mi, skipPos, &spec)
				if reason != "" {
					p.problems = append(p.problems, reason)
					continue
				}
				spec.Ratios = append(spec.Ratios, r)
				addMetric(r.Name, m.pos)
				continue
			}
			if rows != "" {
				names[0] = p.restrict(&spec, names[0], rows)
			}
			if mi > 0 && p.kw(p.mentions[mi-1]) == "by" && p.toks[p.mentions[mi-1].pos].raw == "per" && len(spec.Metrics) > 0 && !pendingAvg && !pendingPct && !pendingMinus {
				// "units per transaction", "sales per receipt": one number
				// per another (a count).
				a := spec.Metrics[len(spec.Metrics)-1]
				am, bm := p.in.Layer.Metric(a), p.in.Layer.Metric(names[0])
				if r, ok := p.restricted[names[0]]; ok {
					bm = p.in.Layer.Metric(r.Metric)
				}
				if bm != nil && bm.Format == "money" && p.factNamed(p.toks[m.end-1]) == bm.Model && bm.Model != "" {
					// "revenue per invoice": per the invoices counted.
					if c := p.countOf(bm); c != "" {
						names[0], bm = c, p.in.Layer.Metric(c)
					}
				}
				// "spend per click", "revenue per unit": per a number that
				// adds up (a sum of counts), the ratio of the two sums.
				perSum := bm != nil && (bm.Format == "number" || bm.Format == "money" && am != nil && am.Format == "money" && p.addsUp(a)) &&
					p.addsUp(names[0]) && p.stockMeasure(names[0]) == nil
				if am == nil || bm == nil || bm.Format != "count" && !perSum {
					p.problems = append(p.problems, fmt.Sprintf("%s per %s: only a number per a count of things is known", p.label(a), p.label(names[0])))
					continue
				}
				format := "number"
				if am.Format == "money" && bm.Format != "money" {
					// An amount per thing is an amount; per an amount
					// (revenue per spend), a plain ratio.
					format = "money"
				}
				r := query.Ratio{Name: a + "_per_" + names[0], Label: p.label(a) + " per " + strings.TrimPrefix(p.label(names[0]), "number of "),
					Numerator: a, Denominator: names[0], Format: format}
				spec.Ratios = append(spec.Ratios, r)
				spec.Metrics[len(spec.Metrics)-1] = r.Name
				continue
			}
			if mi > 0 && p.kw(p.mentions[mi-1]) == "with" && len(spec.Metrics) > 0 && len(p.having) == 0 {
				// "number of accounts with invoices": the accounts of the
				// invoices' rows.
				last := spec.Metrics[len(spec.Metrics)-1]
				if lm, rm := p.in.Layer.Metric(last), p.in.Layer.Metric(names[0]); lm != nil && rm != nil && lm.Type == semlayer.MetricSimple && lm.Format == "count" &&
					strings.EqualFold(lm.Model, rm.Model) && (rm.Type == semlayer.MetricSimple || rm.Type == semlayer.MetricHierarchy && rm.Formula == "") {
					if rm.Type == semlayer.MetricSimple && rm.Filter == "" {
						continue // all of the fact's rows: the count itself
					}
					spec.Metrics[len(spec.Metrics)-1] = p.restrict(&spec, last, names[0])
					continue
				}
			}
			if minusEnd >= 0 && mi > 0 && p.kw(p.mentions[mi-1]) == "and" && p.mentions[mi-1].pos == minusEnd {
				// "net sales after refunds and discounts": less both, or
				// the two side by side? Not answered.
				p.problems = append(p.problems, "less two numbers: ask for one difference at a time (\"sales less refunds\")")
				continue
			}
			if pendingMinus && len(spec.Metrics) > 0 {
				pendingMinus = false
				minusEnd = m.end
				a := spec.Metrics[len(spec.Metrics)-1]
				x, reason := p.difference(a, names[0])
				if reason != "" {
					p.problems = append(p.problems, reason)
					continue
				}
				spec.Derived = append(spec.Derived, x)
				spec.Metrics[len(spec.Metrics)-1] = x.Name
				continue
			}
			if pendingPct && len(spec.Metrics) > 0 {
				// "refunds as a percentage of sales".
				pendingPct = false
				a := spec.Metrics[len(spec.Metrics)-1]
				if x, y := p.in.Layer.Metric(a), p.in.Layer.Metric(names[0]); x != nil && y != nil && x.Format == "count" && y.Format == "money" {
					// "returns as a share of sales": the returns' amount
					// (their one amount), not their count over an amount.
					a = p.sameKindOf(x, y.Format)
					if a == "" || a == y.Name {
						p.problems = append(p.problems, fmt.Sprintf("%s as a percentage of %s: a count of an amount", metricLabel(p.in.Layer, x.Name), metricLabel(p.in.Layer, y.Name)))
						continue
					}
				}
				r := query.Ratio{Name: a + "_pct_of_" + names[0], Label: metricLabel(p.in.Layer, a) + " as % of " + metricLabel(p.in.Layer, names[0]),
					Numerator: a, Denominator: names[0], Format: "percent", Percent: true}
				spec.Ratios = append(spec.Ratios, r)
				spec.Metrics[len(spec.Metrics)-1] = r.Name
				continue
			}
			addMetric(names[0], m.pos)
			continue
		}
		switch {
		case p.has(m, kMember) && !p.has(m, kDim) && !p.has(m, kEntity):
			var ms []target
			for _, t := range m.t {
				if t.kind == kMember {
					ms = append(ms, t)
				}
			}
			memberSlots = append(memberSlots, slot{kind: kMember, cands: ms, pos: m.pos, not: excluding})
			if excluding {
				excluded++
			}
		case (p.has(m, kDim) || p.has(m, kEntity)) && m.pos > 0 && weakConcepts[p.toks[m.pos-1].raw] != "" && !p.groupedExplicitly(m.pos):
			// The object of a verb ("customers who bought products"),
			// not a grouping.
			continue
		case p.has(m, kEntity) && mi > 1 && p.ofBefore(m.pos) > 0 && p.toks[m.pos].raw != p.toks[m.pos].canon &&
			p.mentions[mi-2].end == p.ofBefore(m.pos) && (p.has(p.mentions[mi-2], kMetric) || p.has(p.mentions[mi-2], kAttr) && pendingAvg || p.kw(p.mentions[mi-2]) == "asp"):
			// "the average price of products by category": the things the
			// number is of, not a grouping by each of them.
			continue
		case p.has(m, kDim) || p.has(m, kEntity):
			var ds []target
			top := -1
			for _, t := range m.t {
				if r, ok := p.v.dims[t.name]; t.kind == kDim && ok && !r.Dim.Members && !r.Dim.Flag && r.Dim.Type != "time" && !p.groupedExplicitly(m.pos) && (m.pos == 0 || !dateGroupBefore[p.toks[m.pos-1].raw]) {
					// A number of each member (a property's rooms) is a
					// grouping only when asked for by it ("by rooms"):
					// "room nights" are nights, not nights by rooms.
					continue
				}
				if t.kind == kDim || t.kind == kEntity {
					if t.prio > top {
						ds, top = nil, t.prio
					}
					if t.prio == top {
						ds = append(ds, t)
					}
				}
			}
			if len(ds) == 0 {
				return p.abstain(fmt.Sprintf("%q is a number each member has, not a grouping: to group by it, say \"by %s\"", p.text(m), p.text(m)))
			}
			groupSlots = append(groupSlots, slot{kind: kDim, cands: ds, pos: m.pos})
			isGroupWord[m.pos] = true
		case p.has(m, kAttr):
			var as []target
			for _, t := range m.t {
				if t.kind == kAttr {
					as = append(as, t)
				}
			}
			attrSlots = append(attrSlots, slot{kind: kDim, cands: as, pos: m.pos})
		}
	}
	for k := 0; k+1 < len(metricPos); k++ {
		// "how many receipts had a discount": the receipts with one, not
		// the receipts and the discounts side by side.
		for j := metricPos[k] + 1; j < metricPos[k+1] && j < len(p.toks); j++ {
			if ownWords[p.toks[j].raw] && !(j+1 < len(p.toks) && (p.toks[j+1].raw == "been" || p.toks[j+1].raw == "not")) {
				return p.abstain(fmt.Sprintf("%s that %s %s: which ones (more than 0?) is not computed; ask for the two numbers side by side", p.label(spec.Metrics[k]), p.toks[j].raw, p.label(spec.Metrics[k+1])))
			}
		}
	}
	for k := 0; k+2 < len(p.mentions); k++ {
		// "average subscription MRR": per subscription, which the words
		// do not say; not a grouping by each subscription.
		a, e, x := p.mentions[k], p.mentions[k+1], p.mentions[k+2]
		if p.kw(a) != "avg" || e.pos != a.end || x.pos != e.end || !p.has(x, kMetric) || p.toks[e.pos].raw != p.toks[e.pos].canon {
			continue
		}
		for _, t := range e.t {
			if md := p.in.Layer.Model(t.name); t.kind == kEntity && md != nil && md.Role == "dimension" {
				return p.abstain(fmt.Sprintf("average %s %s: say \"average %s per %s\"", p.text(e), p.text(x), p.text(x), p.text(e)))
			}
		}
	}
	if len(spec.Metrics) == 0 && len(attrSlots) == 1 && price == "" && (pendingAvg || p.hasWord("total", "sum", "combined", "aggregate")) {
		// "average list price by category": the members' attribute
		// added up over them, over their count; "total credit limit by
		// segment": added up over them.
		name, why := p.attrAverage(&spec, attrSlots[0], !pendingAvg)
		if why != "" {
			return p.abstain(why)
		}
		addMetric(name, attrSlots[0].pos)
		attrSlots, pendingAvg = nil, false
	}
	for _, ma := range p.marginAsks {
		// "gross margin by category": revenue less the units at their
		// unit cost (margin.go).
		name, why := p.marginMetric(&spec, ma.kind)
		if why != "" {
			p.problems = append(p.problems, why)
			continue
		}
		if pendingAvg || pendingPct || pendingMinus {
			p.problems = append(p.problems, "a margin in a calculation: ask for it alone")
			continue
		}
		addMetric(name, ma.pos)
	}
	if pendingAvg {
		p.problems = append(p.problems, "an average of what? name the measure")
	}
	if pendingPct {
		p.problems = append(p.problems, "a percentage of what? name the measure")
	}
	if pendingMinus {
		p.problems = append(p.problems, "less what? name the number to take away")
	}
	if excludes > 0 && excluded == 0 {
		p.problems = append(p.problems, "excluding what? name the members to leave out")
	}
	if len(p.problems) > 0 {
		return p.abstain(p.problems[0])
	}
	// "the Professional Max plan": a member, a word read as a keyword
	// ("max", "top") and the member's model word make one name — which
	// no member has (it ranked the Professional plan).
	for k := 1; k+1 < len(p.mentions); k++ {
		a, w, b := p.mentions[k-1], p.mentions[k], p.mentions[k+1]
		if a.end != w.pos || w.end != b.pos || w.end-w.pos != 1 || p.kw(w) == "" || p.has(w, kMetric) || p.has(w, kMember) || !p.has(a, kMember) {
			continue
		}
		switch p.kw(w) {
		case "desc", "asc", "top", "bottom", "descfirst", "ascfirst":
		default:
			continue
		}
		for _, t := range a.t {
			r, ok := p.v.dims[t.name]
			if t.kind != kMember || !ok {
				continue
			}
			for _, u := range b.t {
				model := u.name
				if u.kind == kDim {
					model = p.v.dims[u.name].Model
				} else if u.kind != kEntity {
					continue
				}
				if strings.EqualFold(model, r.Model) {
					return p.abstain(fmt.Sprintf("no %s is called %q", strings.ReplaceAll(model, "_", " "), p.text(a)+" "+p.text(w)))
				}
			}
		}
	}
	// "the Team Pro plan": two members side by side before their
	// model's word are one name — which no member has.
	for i := 0; i+1 < len(memberSlots); i++ {
		a, b := p.mentionAt(memberSlots[i].pos), p.mentionAt(memberSlots[i+1].pos)
		if a.end != b.pos || b.end >= len(p.toks) {
			continue
		}
		next := p.mentionAt(b.end)
		same := func(ms slot, model string) bool {
			for _, t := range ms.cands {
				if r, ok := p.v.dims[t.name]; ok && strings.EqualFold(r.Model, model) {
					return true
				}
			}
			return false
		}
		for _, t := range next.t {
			model := t.name
			if t.kind == kDim {
				model = p.v.dims[t.name].Model
			} else if t.kind != kEntity {
				continue
			}
			if same(memberSlots[i], model) && same(memberSlots[i+1], model) {
				return p.abstain(fmt.Sprintf("no %s is called %q", strings.ReplaceAll(model, "_", " "), p.text(a)+" "+p.text(b)))
			}
		}
	}
	// Members qualify the dimension words next to them: "the West region",
	// "Enterprise plan", "customers in Germany".
	var groups []slot
	var qualified []string // models named with members ("active subscriptions")
	// A member next to a word that qualifies it ("Enterprise segment")
	// is that word's, whatever a word apart from it says ("by plan").
	for i := range memberSlots {
		for _, g := range groupSlots {
			if p.adjacent(g, memberSlots[i]) {
				if narrowed := p.qualify(g, memberSlots[i]); narrowed != nil {
					memberSlots[i].cands = narrowed
				}
			}
		}
	}
	var ownDimNext []slot
	for _, g := range groupSlots {
		// "sales by customer tier": the model's word before one of its
		// own dimensions names the dimension's owner, not a grouping by
		// each member.
		gm := p.mentionAt(g.pos)
		skip := false
		for _, h := range groupSlots {
			if h.pos != gm.end {
				continue
			}
			for _, t := range g.cands {
				for _, u := range h.cands {
					if r, ok := p.v.dims[p.dimOf(u)]; ok && t.kind == kEntity && u.kind == kDim && strings.EqualFold(r.Model, t.name) {
						skip = true
					}
				}
			}
		}
		if !skip {
			ownDimNext = append(ownDimNext, g)
		}
	}
	groupSlots = ownDimNext
	for _, g := range groupSlots {
		if _, ok := p.memberOf[g.pos]; ok {
			k := g.pos - 1
			for k >= 0 && p.toks[k].role == "membership" {
				k--
			}
			if k >= 0 && p.toks[k].raw == "per" {
				// "spend per loyalty member": an average, not a filter.
				return p.abstain("\"per\" those members: say \"average … per …\"")
			}
		}
		if _, ok := p.memberOf[g.pos]; ok && !p.groupedExplicitly(g.pos) {
			// "loyalty members": the members with a loyalty tier, not
			// a grouping by member.
			for _, t := range g.cands {
				if t.kind == kEntity {
					qualified = append(qualified, t.name)
				}
			}
			continue
		}
		qualifier := false
		for i, ms := range memberSlots {
			if narrowed := p.qualify(g, ms); narrowed != nil {
				memberSlots[i].cands = narrowed
				// "top 5 customers excluding Stark Group": the customers
				// are ranked, the member left out.
				qualifier = qualifier || !(ms.not && (superlative != "" || p.limit > 0))
			}
		}
		if qualifier && g.pos > 1 && p.toks[g.pos-2].raw == "per" && !p.groupedExplicitly(g.pos) {
			// "MRR per active subscription": per the members named just
			// before their word — an average, not a filter.
			return p.abstain("\"per\" those members: say \"average … per …\"")
		}
		if qualifier && !p.groupedExplicitly(g.pos) {
			for _, t := range g.cands {
				if t.kind == kEntity {
					qualified = append(qualified, t.name)
				}
			}
			continue
		}
		groups = append(groups, g)
	}
	if len(attrSlots) > 0 || price != "" {
		if len(spec.Metrics) == 0 {
			// "the monthly price of the Growth plan", "most expensive
			// product": a member's attribute, looked up.
			if err := p.assembleTime(&spec, kws); err != "" {
				return p.abstain(err)
			}
			return p.attribute(spec, attrSlots, groups, memberSlots, price, superlative)
		}
		if price != "" || superlative != "" || len(p.having) > 0 {
			return p.abstain("a ranking or a threshold with a measure and an attribute: ask for one of them")
		}
		// With a measure, an attribute groups ("sales by list price").
		for _, a := range attrSlots {
			groups = append(groups, a)
		}
	}
	hasKw := func(name string) bool {
		for _, k := range kws {
			if k.name == name {
				return true
			}
		}
		return false
	}
	// Time.
	if len(spec.Metrics) >= 2 && p.compareKind == "" && !p.growth && len(p.times) <= 1 {
		// "refunds vs sales by category": the two numbers side by side.
		for _, k := range kws {
			if k.name == "cmp" && k.pos > metricPos[0] && k.pos < metricPos[len(metricPos)-1] {
				p.compareKW = -1
				kws = append(kws[:0:0], kws...)
				for i := range kws {
					if kws[i].name == "cmp" {
						kws[i].name = "and"
					}
				}
				break
			}
		}
	}
	if p.compareKind == "" && len(p.times) <= 1 {
		// "Platinum vs Gold customer sales": two members side by side,
		// not two periods.
		for i := 0; i+1 < len(memberSlots); i++ {
			a, b := p.mentionAt(memberSlots[i].pos), p.mentionAt(memberSlots[i+1].pos)
			if b.pos != a.end+1 || !compareKeywords[p.toks[a.end].raw] || !sameMemberDim(a, b) || memberSlots[i].not || memberSlots[i+1].not {
				continue
			}
			p.compareKW = -1
			kws = append(kws[:0:0], kws...)
			for k := range kws {
				if kws[k].name == "cmp" && kws[k].pos == a.end {
					kws[k].name = "and"
				}
			}
		}
	}
	if err := p.assembleTime(&spec, kws); err != "" {
		return p.abstain(err)
	}
	if p.spanGrain != "" && len(grains) == 0 && spec.Time != nil {
		// "revenue in Q1 and Q2 of FY2026": by quarter.
		grains = append(grains, p.spanGrain)
		p.grainPos[p.spanGrain] = len(p.toks)
	}
	if p.compareGrain != "" && spec.Time != nil && (spec.Time.Grain != p.compareGrain || spec.Time.Count > 1 || len(grains) > 0) &&
		(len(grains) == 0 || len(grains) == 1 && grains[0] == p.compareGrain) && (spec.Compare == "" || spec.Compare == query.ComparePriorPeriod) {
		// "month-over-month sales growth in 2026", "QoQ revenue by
		// quarter in FY2026": each month (quarter) of the range against
		// the one before it.
		if len(grains) == 0 {
			grains = append(grains, p.compareGrain)
			p.grainPos[p.compareGrain] = len(p.toks)
		}
		spec.Compare = query.ComparePrevious
		p.previous = true
	}
	if p.compareGrain != "" && !p.previous && (spec.Time == nil || spec.Time.Grain != p.compareGrain || spec.Time.Count > 1 || len(grains) > 0) {
		// "month-over-month growth by quarter": each month against the
		// one before is not grouped by another grain.
		return p.abstain(fmt.Sprintf("%s over %s across a longer span is not computed: ask for one %s against the one before (\"this %s vs last %s\"), or by %s",
			grainWord(p.compareGrain), grainWord(p.compareGrain), grainWord(p.compareGrain), grainWord(p.compareGrain), grainWord(p.compareGrain), grainWord(p.compareGrain)))
	}
	quantities := len(spec.Metrics) > 0
	for _, name := range spec.Metrics {
		if m := p.in.Layer.Metric(name); m == nil || m.Type != semlayer.MetricSimple || !slices.Contains([]string{"quantity", "qty", "units"}, strings.ToLower(m.Measure)) {
			quantities = false
		}
	}
	if hasKw("count") && quantities {
		// "how many units were returned": a sum of units.
		kws = append(kws[:0:0], kws...)
		for i := range kws {
			if kws[i].name == "count" {
				kws[i].name = "count-units"
			}
		}
	}
	if hasKw("count") && p.v.concepts["quantity"] != "" && (p.hasWord("sell") || p.hasWord("sold")) {
		// "how many Voltix Earbuds did we sell": units.
		if len(spec.Metrics) == 0 {
			addMetric(p.v.concepts["quantity"], 0)
		}

		kws = append(kws[:0:0], kws...)
		for i := range kws {
			if kws[i].name == "count" {
				kws[i].name = "count-units"
			}
		}
	}
	if q := p.v.concepts["quantity"]; q != "" && len(spec.Metrics) == 1 && (p.hasWord("sell") || p.hasWord("sold")) {
		// "how many items were sold": the units sold, not the products
		// that sold.
		if m := p.mentionAt(metricPos[0]); m.end > 0 && p.toks[m.end-1].canon == "item" {
			if x := p.in.Layer.Metric(spec.Metrics[0]); x != nil && x.Format == "count" {
				spec.Metrics[0] = q
			}
		}
	}
	if created && len(spec.Metrics) == 1 && spec.Time != nil {
		// "MRR of accounts that signed up in FY2026": the number of the
		// members of another model that began in the period (the
		// period reads their date, not the number's own).
		if w, rest, ok := p.cohortOf(spec, groups, kws); ok {
			if spec.Where != "" {
				w = "(" + spec.Where + ") AND " + w
			}
			spec.Where, spec.Time, groups, created = w, nil, rest, false
		}
	}
	if created && len(spec.Metrics) == 1 {
		// "how many accounts signed up in FY2026": the number of the
		// members of a model dated by the day each began (not of those
		// with facts in the period), as "new accounts" counts them.
		if r := p.datedCountOf(spec.Metrics[0]); r != "" {
			spec.Metrics[0] = r
			created = false
		}
	}
	if created && len(spec.Metrics) == 1 {
		// "MRR of subscriptions that started in FY2026", "new MRR": the
		// amount of the members that began in the period (the period
		// reads their start), ended since or not.
		if m := p.in.Layer.Metric(spec.Metrics[0]); m != nil {
			if md := p.in.Layer.Model(m.Model); md != nil && md.Role == "dimension" && md.TimeColumn != "" && m.Type == semlayer.MetricSimple && m.Format != "count" {
				if all := p.allMembersTwin(m); all != nil || m.Filter == "" {
					if all != nil {
						spec.Metrics[0] = all.Name
					}
					created = false
					var rest []slot
					for _, g := range groups {
						own := false
						for _, t := range g.cands {
							own = own || t.kind == kEntity && strings.EqualFold(t.name, md.Name)
						}
						if !own || p.groupedExplicitly(g.pos) {
							rest = append(rest, g)
						}
					}
					groups = rest
				}
			}
		}
	}
	if p.first && len(spec.Metrics) == 0 {
		// "first-time customers by month": how many, at their first row.
		if x, rest, ok := p.newByFirstRow(nil, groups); ok {
			addMetric(x, 0)
			groups = rest
		}
	}
	if created && len(spec.Metrics) <= 1 && p.hasWord("new") {
		// "new customers by month in 2025" where customers have no date
		// of their own: those whose first row of a fact falls in the
		// period (rowrules.go). "Signed up", "joined" stay a date the
		// model does not have: a member may join and never buy.
		if x, rest, ok := p.newByFirstRow(spec.Metrics, groups); ok {
			spec.Metrics, metricPos = []string{x}, []int{0}
			groups = rest
			created = false
			p.first = true
		}
	}
	if created {
		// "new accounts by quarter", "stores opened in 2025": members
		// counted (or listed) by the day they began.
		if len(spec.Metrics) > 0 && !(createdWord == "new" && p.eventCounts(spec.Metrics)) {
			return p.abstain("new, started or opened qualifies members, not a measure")
		}
	}
	if created && len(spec.Metrics) == 0 {
		var models []string
		var rest []slot
		for _, g := range groups {
			ent := ""
			for _, t := range g.cands {
				if t.kind == kEntity {
					if md := p.in.Layer.Model(t.name); md != nil && md.TimeColumn != "" {
						ent = t.name
					}
				}
			}
			if ent != "" && len(models) == 0 && !p.groupedExplicitly(g.pos) {
				models = append(models, ent)
				if p.hasWord("list", "which", "show", "who", "name", "names") && !hasKw("count") {
					rest = append(rest, g) // listed by name
				}
				continue
			}
			rest = append(rest, g)
		}
		for _, q := range qualified {
			if md := p.in.Layer.Model(q); md != nil && md.TimeColumn != "" && len(models) == 0 {
				models = append(models, q)
			}
		}
		if len(models) != 1 {
			return p.abstain("new, started or opened what? no member with a start date is named")
		}
		for _, x := range p.in.Layer.Metrics {
			if !x.Hidden && x.Format == "count" && strings.EqualFold(x.Model, models[0]) {
				addMetric(x.Name, 0)
				break
			}
		}
		groups = rest
		if len(rest) > 0 && len(rest) == len(groups) && p.hasWord("list", "which", "show", "who", "name", "names") && !hasKw("count") {
			p.only = OnlyGroups // not "show the number of new accounts"
		}
	}
	listing := p.listWord("list", "which", "show", "what", "who", "name", "names") && unpaid == "" && !(len(p.having) > 0 && p.weakVerb()) && !(p.share && !p.hasWord("list", "which", "show", "who", "name", "names")) &&
		!(hasKw("count") && p.hasWord("show", "what", "give", "tell")) // "show the number of new accounts": how many
	if listing && !p.hasWord("list", "which", "show", "who", "name", "names") && (p.hasWord("did", "do", "does") && p.weakVerb() || p.hasWord("total", "amount", "sum") || p.agreeingVerb()) {
		// "what did Platinum members spend": the verb's number, not a
		// list of the members.
		listing = false
	}
	if len(spec.Metrics) == 0 && listing && (superlative != "" || p.limit > 0) && unpaid == "" {
		// "which industry had the most churn": the members that ended,
		// counted (it ranked the revenue of cancelled subscriptions).
		statusNoun := false
		for _, ms := range memberSlots {
			statusNoun = statusNoun || p.statusNoun(ms)
		}
		if p.hasWord(endedWords...) || statusNoun {
			if name, pos := p.endedMemberCount(memberSlots); name != "" {
				addMetric(name, pos)
				listing = false
			}
		}
	}
	if len(spec.Metrics) == 0 && listing && (superlative != "" || p.limit > 0) {
		// "which store sold the most": ranked by the verb's measure, not
		// listed — unless it could as well be the units sold.
		for i, t := range p.toks {
			if (t.raw == "sold" || t.raw == "sell") && p.v.concepts["quantity"] != "" {
				return p.abstain("the most what: revenue or units? say \"by revenue\" or \"by units\"")
			}
			if m := p.weakMetric(t.raw, func() bool { return p.namesCustomers(groups, memberSlots) }); m != "" && t.role != "without" && !p.inPhrase(i) {
				addMetric(m, 0)
				p.conf *= 0.8
				break
			}
		}
		if len(spec.Metrics) == 0 && (p.performing || p.growth) && p.v.concepts["revenue"] != "" {
			// "which plan grew fastest", "which store performed best".
			addMetric(p.v.concepts["revenue"], 0)
			p.conf *= 0.8
		} else if len(spec.Metrics) == 0 && p.growth && p.purchaseDocs() {
			// "which vendor category grew the most": where the business
			// only buys, its spend.
			addMetric(p.v.concepts["spend"], 0)
			p.conf *= 0.8
		}
	}
	if len(spec.Metrics) == 0 && listing && !(hasKw("count") && superlative != "" && len(qualified) > 0 && len(groups) > 0) {
		// "list the products in the Software category": the members, by
		// name — grouped by the model's name through its member count,
		// shown without it.
		models := append([]string{}, qualified...)
		for _, g := range groups {
			for _, t := range g.cands {
				if t.kind == kEntity {
					models = append(models, t.name)
				}
			}
		}
		if len(models) == 0 && len(groups) == 1 && superlative == "" && p.limit == 0 {
			// "list all brands", "what categories are there": the
			// members of a dimension, by the count of its model.
			for _, t := range groups[0].cands {
				if r, ok := p.v.dims[p.dimOf(t)]; ok && t.kind == kDim {
					if md := p.in.Layer.Model(r.Model); md != nil && md.Role == "dimension" && !slices.Contains(models, md.Name) {
						models = append(models, md.Name)
					}
				}
			}
			if len(models) != 1 {
				models = nil
			}
		}
		if len(models) == 1 && len(groups) <= 1 && superlative != "" {
			// "which vendor did we spend the most with": ranked by no
			// number, the list would put an arbitrary member first.
			return p.abstain("the most or least of what? name a number, e.g. \"vendors by amount\"")
		}
		if len(models) == 1 && len(groups) <= 1 {
			// "what does the Team plan cost": the list would be the member
			// named, which answers nothing.
			disp := p.v.display[models[0]]
			// "what segment is Sapphire Clinics in": another dimension of
			// the member's model, listed for it.
			attribute := false
			for _, g := range groups {
				for _, c := range g.cands {
					if r, ok := p.v.dims[c.name]; c.kind == kDim && ok && c.name != disp && strings.EqualFold(r.Model, models[0]) {
						attribute = true
					}
				}
			}
			for _, ms := range memberSlots {
				if len(ms.cands) > 0 && !ms.not && !attribute {
					named := false
					for _, c := range ms.cands {
						named = named || c.name == disp
					}
					if named {
						return p.abstain("what about " + p.text(p.mentionAt(ms.pos)) + "? name a number or an attribute")
					}
				}
			}
			for _, x := range p.in.Layer.Metrics {
				if x.Hidden || x.Format != "count" || !strings.EqualFold(x.Model, models[0]) {
					continue
				}
				if md := p.in.Layer.Model(x.Model); md != nil && md.Role == "dimension" {
					addMetric(x.Name, 0)
					p.only = OnlyGroups
					if len(groups) == 0 {
						groups = append(groups, slot{kind: kDim, cands: []target{{kind: kEntity, name: models[0], prio: 3}}, pos: len(p.toks)})
					}
					break
				}
			}
		}
	}
	if len(spec.Metrics) == 0 && len(qualified) == 0 && !listing && !p.weakVerb() && unpaid == "" && len(p.times) == 0 && len(groups) >= 1 && !p.groupedExplicitly(groups[0].pos) &&
		(len(groups) >= 2 && p.groupedExplicitly(groups[1].pos) || len(groups) == 1 && (len(memberSlots) > 0 || len(p.dates) > 0 || p.without != "")) &&
		!(superlative != "" && p.namesCustomers(groups, memberSlots) && p.v.concepts["revenue"] != "") { // "top customer in each tier": by the revenue
		// "customers by segment", "subscriptions by status and plan",
		// "subscriptions for Sapphire Clinics": how many of them, by the
		// rest.
		for _, t := range groups[0].cands {
			if t.kind != kEntity {
				continue
			}
			for _, x := range p.in.Layer.Metrics {
				if x.Hidden || x.Format != "count" || x.Type != semlayer.MetricSimple || x.Filter != "" || !strings.EqualFold(x.Model, t.name) {
					continue
				}
				if md := p.in.Layer.Model(x.Model); md != nil && md.Role == "dimension" && len(spec.Metrics) == 0 {
					addMetric(x.Name, groups[0].pos)
				}
			}
		}
		if len(spec.Metrics) == 1 {
			groups = groups[1:]
		}
	}
	if len(spec.Metrics) == 0 && len(p.having) > 0 && len(groups) >= 2 {
		// "plans with more than 100 subscriptions": the number counts
		// the members named right after it, for each of the others.
		for gi, g := range groups {
			if g.pos != p.having[0].pos+1 {
				continue
			}
			for _, t := range g.cands {
				md := p.in.Layer.Model(t.name)
				if t.kind != kEntity || md == nil || md.Role != "dimension" || len(spec.Metrics) > 0 {
					continue
				}
				if name := p.memberCount(md.Name); name != "" && len(spec.Metrics) == 0 {
					addMetric(name, g.pos)
				}
			}
			if len(spec.Metrics) == 1 {
				groups = append(append([]slot{}, groups[:gi]...), groups[gi+1:]...)
			}
			break
		}
	}
	if len(spec.Metrics) == 0 && p.share && len(groups) >= 1 && !p.groupedExplicitly(groups[0].pos) && (len(memberSlots) > 0 || len(p.memberOf) > 0) {
		// "what percentage of customers are Gold members": how many of
		// them, the part over the whole (subset.go).
		for _, t := range groups[0].cands {
			md := p.in.Layer.Model(t.name)
			if t.kind != kEntity || md == nil || md.Role != "dimension" {
				continue
			}
			if name := p.memberCount(md.Name); name != "" && len(spec.Metrics) == 0 {
				addMetric(name, groups[0].pos)
			}
		}
		if len(spec.Metrics) == 1 {
			groups = groups[1:]
		}
	}
	statusNoun := false
	for _, ms := range memberSlots {
		statusNoun = statusNoun || p.statusNoun(ms)
	}
	if len(spec.Metrics) == 0 && !listing && unpaid == "" && (p.hasWord(endedWords...) || statusNoun) && (len(groups) == 0 || p.groupedExplicitly(groups[0].pos) || superlative != "") {
		// "cancellations by month in FY2026", "downgrades last quarter",
		// "which industry had the most churn": the members of the model
		// whose status names the end, counted (it ranked the revenue).
		if name, pos := p.endedMemberCount(memberSlots); name != "" {
			addMetric(name, pos)
		}
		// "no-shows by property", "cancellations in 2025" where the
		// status is a fact's (bookings): its rows with that status.
		for _, ms := range memberSlots {
			for _, c := range ms.cands {
				r, ok := p.v.dims[c.name]
				if md := p.in.Layer.Model(r.Model); ok && md != nil && md.Role == "fact" && p.statusNoun(ms) && len(spec.Metrics) == 0 {
					if name := p.rowCount(md); name != "" {
						addMetric(name, ms.pos)
					}
				}
			}
		}
	}
	if len(spec.Metrics) == 0 && !listing && unpaid == "" && len(groups) >= 1 && !p.groupedExplicitly(groups[0].pos) && p.hasWord(endedWords...) {
		// "subscriptions that ended in FY2025 by plan": how many of them
		// (ended.go reads the period by their end).
		for _, t := range groups[0].cands {
			md := p.in.Layer.Model(t.name)
			if t.kind != kEntity || md == nil || md.Role != "dimension" || p.endDimension(md) == "" {
				continue
			}
			if name := p.memberCount(md.Name); name != "" && len(spec.Metrics) == 0 {
				addMetric(name, groups[0].pos)
			}
		}
		if len(spec.Metrics) == 1 {
			groups = groups[1:]
		}
	}
	if len(spec.Metrics) == 0 && !listing && unpaid == "" && (len(groups) == 0 || p.groupedExplicitly(groups[0].pos)) {
		// "deposits in 2025", "card payments by district": a kind of a
		// fact's rows named in the plural (transaction_type Deposit),
		// the fact's one amount over them.
		for _, ms := range memberSlots {
			for _, c := range ms.cands {
				r, ok := p.v.dims[c.name]
				md := p.in.Layer.Model(r.Model)
				if !ok || md == nil || md.Role != "fact" || isStatusDim(r.Dim) && isEndedState(canonPhrase(c.value)) || !p.pluralMember(ms, c) || len(spec.Metrics) > 0 {
					continue
				}
				var money []string
				for _, x := range p.in.Layer.Metrics {
					if !x.Hidden && x.Type == semlayer.MetricSimple && x.Filter == "" && x.Format == "money" && strings.EqualFold(x.Model, md.Name) {
						money = append(money, x.Name)
					}
				}
				if len(money) == 1 {
					addMetric(money[0], ms.pos)
				} else if name := p.rowCount(md); name != "" && (len(money) == 0 || !slices.ContainsFunc(strings.Fields(canonPhrase(c.value)), func(w string) bool { return moneyNouns[w] })) {
					// No one amount ("breakdowns by line" of downtime
					// events, "procedures by month" of visits with a
					// charge and two payments), and not a kind of money:
					// how many of them.
					addMetric(name, ms.pos)
				}
			}
		}
	}
	scenario, line := false, false
	for _, ms := range memberSlots {
		for _, c := range ms.cands {
			scenario = scenario || c.kind == kMember && scenarioWords[canonPhrase(c.value)]
			if r, ok := p.v.dims[c.name]; ok && c.kind == kMember && accountColumn(r.Dim.Column) {
				if md := p.in.Layer.Model(r.Model); md != nil && md.Role == "fact" {
					line = true // "engineering salaries": an account of the fact's own
				}
			}
		}
	}
	if len(spec.Metrics) == 0 && (p.hasWord("amount", "much", "value", "sum") || scenario || line) && !listing {
		// ("budget in 2025", "budget vs actual by cost center": a
		// scenario's rows, their amount)
		// "amount overdue", "how much is open": the one money number of
		// the fact whose member (a status) is named.
		var money []string
		for _, ms := range memberSlots {
			for _, c := range ms.cands {
				r, ok := p.v.dims[c.name]
				if md := p.in.Layer.Model(r.Model); ok && md != nil && md.Role == "fact" {
					for _, x := range p.in.Layer.Metrics {
						if !x.Hidden && x.Type == semlayer.MetricSimple && x.Filter == "" && x.Format == "money" && strings.EqualFold(x.Model, md.Name) && !slices.Contains(money, x.Name) {
							money = append(money, x.Name)
						}
					}
				}
			}
		}
		if len(money) == 1 {
			addMetric(money[0], 0)
		}
	}
	// "the best store in the Northeast": the members ranked are those
	// qualified ("top plan by active subscriptions" ranks the plans by
	// the subscriptions qualified, counted).
	rankedQualified := len(groups) == 0
	countedList := listing && hasKw("count") && superlative != "" && !rankedQualified
	if len(spec.Metrics) == 0 && len(qualified) >= 1 && (!listing || countedList) && !p.weakVerb() && unpaid == "" && !(superlative != "" && rankedQualified && p.hasWord("best", "worst", "top", "bottom")) {
		// "active subscriptions by plan", "which plan has the most active
		// subscriptions": how many of them ("the best store in the
		// Northeast" is not ranked by its count, 1).
		for _, x := range p.in.Layer.Metrics {
			if x.Hidden || x.Format != "count" || !strings.EqualFold(x.Model, qualified[0]) {
				continue
			}
			if md := p.in.Layer.Model(x.Model); md != nil && md.Role == "dimension" {
				addMetric(x.Name, 0)
				listing = false
				break
			}
		}
	}
	if len(spec.Metrics) == 0 {
		for i, t := range p.toks {
			if m := p.weakMetric(t.raw, func() bool { return p.namesCustomers(groups, memberSlots) }); m != "" && t.role != "without" && !p.inPhrase(i) {
				addMetric(m, 0)
				p.conf *= 0.8
				break
			}
		}
	}
	if len(spec.Metrics) == 0 && p.edge != "" && len(memberSlots) > 0 {
		// "accounts receivable at year end FY2025": the one balance read
		// at a period's end (its beginning).
		var stocks []string
		for _, m := range p.in.Layer.Metrics {
			if ms := p.stockMeasure(m.Name); !m.Hidden && ms != nil && ms.NonAdditive.Time == p.edge {
				stocks = append(stocks, m.Name)
			}
		}
		if len(stocks) == 1 {
			addMetric(stocks[0], 0)
		}
	}
	if len(spec.Metrics) == 0 && !listing {
		// "expenses by account category": the Expense accounts' amount.
		if x := p.ledgerAmount(memberSlots); x != "" {
			addMetric(x, 0)
		}
	}
	if len(spec.Metrics) == 0 && (p.performing || p.growth && superlative != "" || superlative != "" && (p.namesCustomers(groups, memberSlots) || p.hasWord("best", "worst"))) && p.v.concepts["revenue"] != "" {
		// "best performing stores", "our best month": by the revenue, when
		// nothing else names a number.
		addMetric(p.v.concepts["revenue"], 0)
		p.conf *= 0.8
	}
	if len(spec.Metrics) == 0 && superlative != "" && p.v.concepts["donations"] != "" && p.namesModel(groups, memberSlots, giverWords...) {
		// "top 5 donors": by what they gave.
		addMetric(p.v.concepts["donations"], 0)
		p.conf *= 0.8
	}
	if hasKw("count") {
		counted := false
		for _, m := range spec.Metrics {
			if r, ok := p.restricted[m]; ok {
				m = r.Metric
			}
			if x := p.in.Layer.Metric(m); x != nil && x.Format == "count" {
				counted = true
			}
		}
		if !counted && len(spec.Metrics) == 1 && len(qualified) == 1 && p.weakVerb() {
			// "how many platinum customers bought in 2025": the members
			// counted in the fact (not its documents).
			if md := p.in.Layer.Model(qualified[0]); md != nil {
				if c := p.entityCount(md); c != "" {
					spec.Metrics[0], counted = c, true
				}
			}
		}
		if !counted && len(spec.Metrics) == 1 && len(spec.Ratios)+len(spec.Derived)+len(spec.Restricted) == 0 && !p.weakVerb() {
			// "how many FY2025 invoices have no payment": the rows of the
			// amount's fact (the invoices), counted.
			if x := p.in.Layer.Metric(spec.Metrics[0]); x != nil && x.Format == "money" {
				if c := p.countOf(x); c != "" {
					spec.Metrics[0], counted = c, true
				}
			}
		}
		if !counted {
			return p.abstain("\"number of\" what? no count of that is known")
		}
	}
	if p.edge != "" {
		// "at the end of FY2025": a stock's value at the period's end.
		for _, name := range spec.Metrics {
			if ms := p.stockMeasure(name); ms == nil || ms.NonAdditive.Time != p.edge {
				where := map[string]string{semlayer.TimeLast: "end", semlayer.TimeFirst: "beginning"}[p.edge]
				return p.abstain(fmt.Sprintf("%s has no value at the %s of a period: only a balance (a stock) has", metricLabel(p.in.Layer, name), where))
			}
		}
	}
	// "average invoice amount across all segments", "revenue over all
	// regions": one total, not one per member (a currency is below).
	var kept []slot
	for _, g := range groups {
		currency := false
		for _, t := range g.cands {
			if p.currencyDim(t) {
				currency = true
			}
		}
		if !currency && g.pos >= 2 && p.toks[g.pos-1].raw == "all" && (p.toks[g.pos-2].raw == "across" || p.toks[g.pos-2].raw == "over") && len(groups) > 0 {
			continue
		}
		kept = append(kept, g)
	}
	groups = kept
	if c := p.in.Layer.Currency; c != nil && c.Rates == nil {
		// "total billings across all currencies", "converted to USD":
		// a total of several currencies, which the warehouse cannot
		// convert.
		across := p.hasWord("combined", "converted", "convert", "together", "consolidated")
		for _, g := range groups {
			for _, t := range g.cands {
				if p.currencyDim(t) && g.pos > 0 {
					if w := p.toks[g.pos-1].raw; w == "all" || w == "across" || w == "every" {
						across = true
					}
				}
			}
		}
		if across {
			return p.abstain("a total across currencies: the warehouse has no exchange rates to convert them")
		}
		currencies := 0
		for _, ms := range memberSlots {
			for _, t := range ms.cands {
				if p.currencyDim(t) && !ms.not {
					currencies++
					break
				}
			}
		}
		if currencies >= 2 && p.sumAsked() {
			// "sum of GBP and EUR invoices": two currencies added up.
			return p.abstain("a total across currencies: the warehouse has no exchange rates to convert them")
		}
		if p.hasWord("total", "overall", "entire", "whole", "grand", "all") {
			// "total revenue in USD": every currency's amounts in USD
			// (not the USD invoices alone), which needs rates.
			for _, ms := range memberSlots {
				for _, t := range ms.cands {
					// "invoiced in GBP", "paid in EUR": the amounts in that
					// currency.
					denominated := ms.pos > 1 && (strings.HasSuffix(p.toks[ms.pos-2].raw, "ed") || p.toks[ms.pos-2].raw == "paid" || p.toks[ms.pos-2].raw == "sold" || billingVerbs[p.toks[ms.pos-2].raw])
					if p.currencyDim(t) && ms.pos > 0 && !denominated && (p.toks[ms.pos-1].raw == "in" || p.toks[ms.pos-1].raw == "into") {
						return p.abstain(fmt.Sprintf("a total in %s of amounts in several currencies: the warehouse has no exchange rates to convert them (for the amounts in %s alone, ask for them without \"total\", e.g. \"%s in %s\")", t.value, t.value, metricLabel(p.in.Layer, firstMetric(spec)), t.value))
					}
				}
			}
		}
	}
	if unpaid != "" {
		if why := p.unpaid(&spec, unpaid == "unpaidamt"); why != "" {
			return p.abstain(why)
		}
		metricPos = []int{0}
		if (p.hasWord("which", "list", "who", "show") || p.hasWord("with", "have", "has", "having")) && superlative == "" && p.limit == 0 && len(p.having) == 0 {
			// "which accounts have outstanding invoices": those that owe.
			p.having = append(p.having, pendingThreshold{op: ">", value: "0", pos: len(p.toks)})
		}
	}
	if why := p.countedByVerb(&spec); why != "" {
		return p.abstain(why)
	}
	if reason := p.unsafeMetrics(spec, grains); reason != "" {
		return p.abstain(reason)
	}
	if len(spec.Metrics) == 0 {
		return p.abstain("no measure named: say which number (e.g. " + strings.Join(p.suggestMetrics(), ", ") + ")")
	}
	if why := p.applyRowRules(&spec, len(grains) > 0 || len(p.dates) > 0); why != "" {
		return p.abstain(why)
	}
	trend := p.hasWord("trend", "trends", "trending", "trended")
	if len(grains) == 0 && spec.Time != nil && trend && len(spec.Metrics) > 0 {
		// "sales trend for the last 6 months": a series, by the range's
		// periods (by month within one period).
		g := spec.Time.Grain
		if spec.Time.Count <= 1 || g == semlayer.GrainDay && spec.Time.Count > 62 {
			g = semlayer.GrainMonth
		}
		if spec.Time.Grain == semlayer.GrainMonth && spec.Time.Count <= 1 {
			g = semlayer.GrainDay
		}
		grains = append(grains, g)
	} else if len(grains) == 0 && spec.Time == nil && len(p.dates) == 0 && trend && len(spec.Metrics) > 0 && p.overTime(spec) {
		// "revenue trend" over all the data: by month.
		grains = append(grains, semlayer.GrainMonth)
	}
	if len(grains) == 0 && len(p.dates) == 0 && trend {
		// "MRR trend", "headcount trend": a series the warehouse has no
		// dates for is not its current value.
		return p.abstain(fmt.Sprintf("a trend is a series over time, and %s has no dates to read one by: ask for its current value", metricLabel(p.in.Layer, firstMetric(spec))))
	}
	if p.openSpan && (len(grains) > 0 || spec.Compare != "") {
		return p.abstain(fmt.Sprintf("%s by period or compared: from when? say \"from … to …\"", spec.Time.Label))
	}
	for _, g := range grains {
		spec.GroupBy = append(spec.GroupBy, query.GroupBy{Grain: g})
	}
	spec.GroupBy = append(spec.GroupBy, p.dateGroupBys()...)
	p.ownDateCount(&spec)
	// Running totals: "cumulative revenue by month", and "YTD revenue by
	// month" (the year to date at each month, restarting each fiscal
	// year). Without a time grain there is no series to run over.
	ytdSeries := len(p.times) == 1 && isYTDPhrase(p.times[0].phrase) && len(grains) > 0
	if hasKw("running") || ytdSeries {
		fine := len(grains) == 0 // the running total's end: the total
		for _, g := range grains {
			fine = fine || g == semlayer.GrainMonth || g == semlayer.GrainFiscalQuarter || g == semlayer.GrainDay || g == semlayer.GrainWeek
		}
		if !fine {
			return p.abstain("a running total over what? ask by month or by quarter")
		}
		if len(grains) > 0 {
			spec.Cumulative = query.CumulativeAll
		}
		if ytdSeries {
			spec.Cumulative = query.CumulativeFiscalYear
		}
		for _, name := range spec.Metrics {
			if !p.addsUp(name) {
				return p.abstain(fmt.Sprintf("a running total of %s: it does not add up over periods", metricLabel(p.in.Layer, name)))
			}
		}
	}
	// Thresholds: on the metric nearest to the number.
	for _, h := range p.having {
		best, bestD := "", 1<<30
		for i, m := range spec.Metrics {
			d := metricPos[i] - h.pos
			if d < 0 {
				d = -d
			}
			if d < bestD {
				best, bestD = m, d
			}
		}
		for i, m := range spec.Metrics {
			// "accounts with more than 50 invoices": the number counts the
			// things named right after it, not their amount.
			if h.pos >= len(p.toks) || metricPos[i] != h.pos+1 || strings.HasPrefix(p.toks[h.pos].raw, "$") || strings.ContainsAny(p.toks[h.pos].raw, "kmb.") {
				// ("500k revenue": an amount)
				continue
			}
			if last := p.toks[p.mentionAt(metricPos[i]).end-1]; last.raw == last.canon && p.factNamed(last) == "" {
				// "less than 1000 revenue": an amount (a count names
				// things in the plural: "more than 50 invoices").
				continue
			}
			if x := p.in.Layer.Metric(m); x != nil && x.Format == "money" {
				c := p.countOf(x)
				if c == "" {
					return p.abstain(fmt.Sprintf("%s %s %s: a count of them is not known", h.op, h.value, p.text(p.mentionAt(metricPos[i]))))
				}
				spec.Metrics[i], best = c, c
			}
		}
		spec.Having = append(spec.Having, query.Threshold{Metric: best, Op: h.op, Value: h.value})
	}
	// Ranking.
	if (len(p.having) > 0 || superlative != "" || p.limit > 0) && len(groups) == 0 && len(qualified) == 1 && len(grains) == 0 {
		// "accounts in the Enterprise segment with revenue over 100k",
		// "top 5 customers in Canada by sales": the members, each held
		// to the threshold or ranked.
		pos := 0
		for _, m := range p.mentions {
			for _, t := range m.t {
				if t.kind == kEntity && t.name == qualified[0] {
					pos = m.pos
				}
			}
		}
		groups = append(groups, slot{kind: kDim, cands: []target{{kind: kEntity, name: qualified[0], prio: 3}}, pos: pos})
	}
	if (superlative != "" || p.limit > 0) && len(groups)+len(grains) >= 1 && len(p.dates) == 0 && len(spec.Metrics) == 1 && len(spec.Ratios)+len(spec.Derived) == 0 && p.limit == 0 {
		// "which account had the largest invoice", "the date of the
		// largest invoice": the one document ranked by its amount, with
		// its account or its day (not the accounts or the days ranked by
		// their total).
		if tk := p.docNoun(metricPos[0]); tk.raw == tk.canon && p.hasWord("largest", "biggest", "smallest", "highest", "lowest") {
			if metric, key := p.documentRanking(spec.Metrics[0], metricPos[0]); key != "" {
				spec.Metrics = []string{metric}
				spec.Restricted = nil
				groups = append(groups, slot{kind: kDim, cands: []target{{kind: kDim, name: key, prio: 3}}, pos: metricPos[0]})
				p.attrRank = true // one thing ranked: the documents, shown with their member
			}
		}
	}
	if (superlative != "" || p.limit > 0) && len(groups) == 0 && len(grains) == 0 && len(p.dates) == 0 && len(spec.Metrics) == 1 && len(spec.Ratios)+len(spec.Derived) == 0 {
		// "the largest invoice", "top 5 transactions": the documents
		// ranked by their amount.
		if metric, key := p.documentRanking(spec.Metrics[0], metricPos[0]); key != "" {
			if tk := p.docNoun(metricPos[0]); tk.raw != tk.canon && p.limit == 0 {
				return p.abstain("the largest or smallest how many? say \"top 5\"")
			}
			spec.Metrics = []string{metric}
			spec.Restricted = nil
			groups = append(groups, slot{kind: kDim, cands: []target{{kind: kDim, name: key, prio: 3}}, pos: metricPos[0]})
		}
	}
	if len(p.having) > 0 && superlative == "" && p.limit == 0 && len(groups) == 0 && len(qualified) == 0 && len(grains) == 0 && len(spec.Ratios)+len(spec.Derived)+len(spec.Restricted) == 0 && len(spec.Metrics) >= 1 && len(spec.Metrics) <= 2 {
		// "invoices over 10,000", "orders over 500", "receipts with
		// sales over 500": each document held to the threshold by its
		// amount (a count of them: countingMembers).
		amount, key := p.countAmount, p.countKey
		for i, name := range spec.Metrics {
			if p.countKey != "" {
				break // "how many invoices were over 5,000" (countingMembers)
			}
			a, k := p.documentRanking(name, metricPos[i])
			if k == "" || key != "" && k != key {
				continue
			}
			amount, key = a, k
		}
		ok := key != "" && !p.countThreshold(p.having[0])
		if am := p.in.Layer.Metric(amount); ok && (am == nil || am.Type != semlayer.MetricSimple || am.Filter != "" || am.Rows != "") {
			// A ledger's documents (journals) have no one amount of
			// their own.
			ok = false
		}
		for _, name := range spec.Metrics {
			if x := p.in.Layer.Metric(name); ok && name != amount && (x == nil || x.Format != "count" || !strings.EqualFold(x.Model, p.in.Layer.Metric(amount).Model)) {
				ok = false
			}
		}
		if ok {
			spec.Metrics = []string{amount}
			metricPos = metricPos[:1]
			for i := range spec.Having {
				spec.Having[i].Metric = amount
			}
			groups = append(groups, slot{kind: kDim, cands: []target{{kind: kDim, name: key, prio: 3}}, pos: len(p.toks)})
			p.countKey = key
		}
	}
	if superlative != "" || p.limit > 0 {
		if superlative == "" {
			superlative = "desc"
		}
		spec.OrderBy = []query.Order{{Key: spec.Metrics[0], Desc: superlative == "desc"}}
		if p.growth && spec.Compare != "" {
			// "which plan had the biggest revenue growth", "which segment
			// grew the most": ranked by the change (in percent when the
			// rate is asked: "fastest growing", "growth rate"), not by the
			// number itself.
			key := spec.Metrics[0] + "_change"
			if p.only == query.KindChangePct || p.hasWord("fastest", "slowest", "rate", "pct", "percent", "percentage") {
				key += "_pct"
			}
			spec.OrderBy[0].Key = key
		}
		spec.Limit = p.limit
		if spec.Limit == 0 && !orderOnly && !p.superlative {
			// "top customers": how many? one for a singular noun.
			plural := false
			for _, g := range groups {
				if t := p.toks[g.pos]; t.raw != t.canon {
					plural = true
				}
			}
			if plural {
				return p.abstain("top or bottom how many? say \"top 5\"")
			}
			spec.Limit = 1
		}
		if spec.Limit == 0 && !orderOnly && p.superlative {
			// "the month with the highest revenue": one; "products with
			// the most revenue": all, in order.
			spec.Limit = 1
			for _, g := range groups {
				if t := p.toks[g.pos]; t.raw != t.canon {
					spec.Limit = 0
				}
			}
		}
	}
	if p.share {
		spec.Share = true
		p.only = query.KindShare
	}
	if w, _ := p.membershipWhere(); w != "" {
		spec.Where = w
	}
	for _, m := range spec.Metrics {
		if rev := p.v.concepts["revenue"]; m == rev && rev != "" || m == "revenue" {
			p.salesAsked = true
		}
	}
	p.countWithin(&spec)
	if why := p.ended(&spec, grains); why != "" {
		return p.abstain(why)
	}
	if p.activeModel != "" {
		if p.endedText != "" {
			return p.abstain("members that ended and members still active at once: ask for one of them")
		}
		p.keepActive(&spec)
	}
	if ok, why := p.settled(&spec); why != "" {
		return p.abstain(why)
	} else if ok {
		p.settledDone = true
	} else if p.share && len(spec.Metrics) == 2 && len(spec.Ratios)+len(spec.Derived)+len(spec.Restricted)+len(spec.Priced) == 0 && spec.Compare == "" && spec.Limit == 0 && len(spec.Having) == 0 {
		if k := metricPos[1] - 1; k >= 0 && k < len(p.toks) && ownWords[p.toks[k].raw] || k >= 0 && (p.toks[k].raw == "with" || p.toks[k].raw == "a" && k > 0 && p.toks[k-1].raw == "with") {
			// "percentage of invoices with a payment": those that have
			// one, which is not the payments' amount over the invoices'.
			return p.abstain(fmt.Sprintf("the share of %s with %s is not computed: ask for the rows without (\"%s with no …\")", p.label(spec.Metrics[0]), p.label(spec.Metrics[1]), strings.TrimPrefix(p.label(spec.Metrics[0]), "number of ")))
		}
		// "what percentage of opex was rent": the second number as a
		// percentage of the first (the whole, named after "of"), when
		// both are amounts or both counts.
		a, b := p.in.Layer.Metric(spec.Metrics[0]), p.in.Layer.Metric(spec.Metrics[1])
		if a == nil || b == nil || a.Format != b.Format || a.Format == "percent" {
			return p.abstain("a share of two numbers that are not of one kind")
		}
		r := query.Ratio{Name: b.Name + "_pct_of_" + a.Name, Label: metricLabel(p.in.Layer, b.Name) + " as % of " + metricLabel(p.in.Layer, a.Name),
			Numerator: b.Name, Denominator: a.Name, Format: "percent", Percent: true}
		spec.Ratios = append(spec.Ratios, r)
		spec.Metrics = []string{r.Name}
		spec.Share, p.share, p.only = false, false, ""
	}
	if why := p.currentInPeriod(spec); why != "" {
		if len(p.times) == 1 && p.times[0].phrase == "today" && len(grains) == 0 && spec.Compare == "" {
			// "ARR by segment today": the current ARR.
			spec.Time = nil
		} else {
			return p.abstain(why)
		}
	}
	return p.search(spec, groups, memberSlots)
}

// unsafeMetrics says why metrics would answer another question than the
// one asked: money of a fact that carries no currency in a layer whose
// amounts are in several currencies and cannot be converted (the sum
// would add currencies up); a distinct count of what a fact references,
// asked without a period ("how many vendors are there": the vendors
// with rows in the fact are not all the vendors).
func (p *parser) unsafeMetrics(spec query.Spec, grains []semlayer.Grain) string {
	l := p.in.Layer
	for _, name := range spec.Metrics {
		m := l.Metric(name)
		if m == nil || m.Type != semlayer.MetricSimple {
			continue
		}
		model := l.Model(m.Model)
		if model == nil {
			continue
		}
		ms := model.Measure(m.Measure)
		if ms == nil {
			continue
		}
		// A periodic snapshot's balances (an accumulating snapshot's
		// amounts — a shipment's freight, dated by its milestones — add
		// up like a transaction's).
		if strings.Contains(strings.ToLower(model.Description), "snapshot") && !strings.Contains(strings.ToLower(model.Description), "accumulating") && ms.Agg == semlayer.AggSum && ms.NonAdditive == nil && !p.onePeriodEach(spec, grains) && !hasStocks(model) {
			// (where the layer tells the snapshot's stocks apart — a
			// book value from the month's depreciation — its other
			// numbers are flows and add up)
			// A balance is read at a period, not added up over periods.
			return fmt.Sprintf("%s is a balance (a snapshot per period): ask for it by month or for one month", metricLabel(l, name))
		}
		if ms.Money && l.Currency != nil && l.Currency.Rates == nil && query.CurrencyModel(l, model) == nil {
			return fmt.Sprintf("%s: the amounts of %s carry no currency, and the warehouse's amounts are in several currencies without exchange rates", metricLabel(l, name), model.Name)
		}
		if ms.Agg == semlayer.AggCountDistinct {
			// "how many customers did we invoice": those with revenue,
			// which a count of the fact's rows says only when revenue is
			// all of the fact's rows.
			for _, t := range p.toks {
				c, ok := weakConcepts[t.raw]
				if !ok {
					continue
				}
				rm := l.Metric(p.v.concepts[c])
				if rm == nil || rm.Type != semlayer.MetricSimple || rm.Filter != "" || !strings.EqualFold(rm.Model, m.Model) {
					return fmt.Sprintf("%s counts those with any row in %s, not only those with %s (%q)", metricLabel(l, name), model.Name, c, t.raw)
				}
			}
		}
		if ms.Agg == semlayer.AggCountDistinct && spec.Time == nil && !isDocumentCount(model, ms) && !p.allTime && p.hasMemberModel(model, ms) {
			return fmt.Sprintf("%s counts those with rows in %s: say for which period (all of them are not counted)", metricLabel(l, name), model.Name)
		}
	}
	return ""
}

// average reads "average A [per B]" at mention mi: A a count of
// documents ("average order value": revenue per order), or an amount per
// B (a count or a quantity, or a model whose rows the fact counts), or
// per row of A's fact.
func (p *parser) average(a, rows string, mi int, skipPos map[int]bool, spec *query.Spec) (query.Ratio, string) {
	l := p.in.Layer
	am := l.Metric(a)
	line := am != nil && am.Type == semlayer.MetricHierarchy && am.Formula == "" && am.Format == "money"
	if am == nil || am.Type != semlayer.MetricSimple && !line {
		return query.Ratio{}, "an average of " + a + " is not supported"
	}
	// A numerator of some of the fact's rows (a ledger's revenue lines, a
	// filtered metric) is per the customers (documents) of those rows.
	partial := line || am.Type == semlayer.MetricSimple && am.Filter != ""
	perRows := func(den string) string {
		if x := l.Metric(den); partial && x != nil && x.Type == semlayer.MetricSimple && x.Rows == "" && strings.EqualFold(x.Model, am.Model) {
			if md := l.Model(x.Model); md != nil {
				if ms := md.Measure(x.Measure); ms != nil && (ms.Agg == semlayer.AggCountDistinct || ms.Agg == semlayer.AggCount) && x.Filter == "" {
					return p.restrict(spec, den, a)
				}
			}
		}
		return den
	}
	num, den := a, ""
	if am.Format == "count" {
		// "average order value": the amount per document.
		if a != p.v.concepts["documents"] {
			return query.Ratio{}, "an average of " + metricLabel(l, a) + " is not supported"
		}
		num, den = p.v.concepts["revenue"], a
		if num == "" || !strings.EqualFold(l.Metric(num).Model, am.Model) {
			return query.Ratio{}, "an average value of " + metricLabel(l, a) + " is not known"
		}
		if rows != "" {
			// The revenue per document that carries revenue.
			den = p.restrict(spec, a, rows)
		}
		if mi+1 < len(p.mentions) && p.mentions[mi+1].pos == p.mentions[mi].end {
			// "average invoice amount": the amount is the document's.
			if w := p.toks[p.mentions[mi+1].pos].raw; w == "amount" || w == "total" || w == "size" {
				skipPos[p.mentions[mi+1].pos] = true
			}
		}
	} else if mi+2 < len(p.mentions) && p.kw(p.mentions[mi+1]) == "by" && p.toks[p.mentions[mi+1].pos].raw == "per" {
		// Per the next count or model, past members that qualify it
		// ("per active subscription").
		ni := mi + 2
		for ni+1 < len(p.mentions) && onlyMembers(p.mentions[ni].t) && len(p.mentions[ni].t) > 0 {
			ni++
		}
		next := p.mentions[ni]
		counted := false
		for _, t := range next.t {
			switch t.kind {
			case kMetric:
				// A count of the word's rows before any other number the
				// word names ("per shipment": the shipments, not their
				// weight).
				if x := l.Metric(t.name); x != nil && strings.EqualFold(x.Model, am.Model) && (x.Format == "count" || x.Format == "number" && !counted) {
					den = x.Name
					counted = counted || x.Format == "count"
					if t.rows != "" {
						den = p.restrict(spec, x.Name, t.rows)
					}
				}
			case kEntity:
				md := l.Model(t.name)
				for _, x := range l.Metrics {
					if x.Hidden || x.Format != "count" || !strings.EqualFold(x.Model, am.Model) {
						continue
					}
					if noun, ok := strings.CutPrefix(canonPhrase(x.Label), "number of "); ok && md != nil && modelNamed(md, noun) {
						den = x.Name
					}
				}
			}
		}
		if den == "" {
			return query.Ratio{}, "an average per " + p.text(next) + " is not known"
		}
		den = perRows(den)
		skipPos[p.mentions[mi+1].pos], skipPos[next.pos] = true, true
	} else if line {
		return query.Ratio{}, "an average of " + metricLabel(l, a) + " per what? (per customer, per invoice, per month)"
	} else {
		if md := l.Model(am.Model); md != nil {
			// (the rows' own count: not a count the layer keeps of some of
			// them, the deals won or closed)
			den = rowCountOf(l, md)
		}
		for _, x := range l.Metrics {
			if den != "" {
				break
			}
			if x.Type != semlayer.MetricSimple || !strings.EqualFold(x.Model, am.Model) {
				continue
			}
			if md := l.Model(x.Model); md != nil {
				if ms := md.Measure(x.Measure); ms != nil && ms.Agg == semlayer.AggCount {
					den = x.Name
				}
			}
		}
		if den == "" {
			return query.Ratio{}, "an average of " + metricLabel(l, a) + " per what?"
		}
		// "average MRR": per the rows MRR reads (the current
		// subscriptions), not per all of them.
		den = perRows(den)
	}
	format := "number"
	if f := l.Metric(num).Format; f == "money" {
		format = f
	}
	label := "average " + metricLabel(l, num) + " per " + strings.TrimPrefix(strings.TrimPrefix(p.label(den), "number of "), "number of ")
	return query.Ratio{Name: "average_" + num + "_per_" + den, Label: label, Numerator: num, Denominator: den, Format: format}, ""
}

// preferCounts settles a count named like two metrics: the members of a
// dimension ("how many customers are there") without a period, those
// with rows in a fact ("how many customers did we invoice in FY2026")
// with one.
func (p *parser) preferCounts(names []string) []string {
	if len(names) < 2 {
		return names
	}
	var dims, facts []string
	for _, n := range names {
		m := p.in.Layer.Metric(n)
		if m == nil || m.Format != "count" {
			return names
		}
		if md := p.in.Layer.Model(m.Model); md != nil && md.Role == "dimension" {
			dims = append(dims, n)
		} else {
			facts = append(facts, n)
		}
	}
	if len(p.times) == 0 && len(dims) == 1 {
		return dims
	}
	if len(p.times) > 0 && len(facts) == 1 {
		return facts
	}
	return names
}

// isYTDPhrase says a time phrase names the year to date itself.
func isYTDPhrase(phrase string) bool {
	switch strings.ToLower(phrase) {
	case "ytd", "year to date", "year-to-date", "this year to date", "fiscal year to date", "fytd":
		return true
	}
	return false
}

// addsUp says a metric is a sum or a count (a running total of it means
// something): a simple metric of such a measure, or a hierarchy line
// without a formula.
func (p *parser) addsUp(name string) bool {
	m := p.in.Layer.Metric(name)
	if m == nil {
		return false
	}
	switch m.Type {
	case semlayer.MetricHierarchy:
		return m.Formula == ""
	case semlayer.MetricSimple:
		model := p.in.Layer.Model(m.Model)
		if model == nil {
			return false
		}
		ms := model.Measure(m.Measure)
		return ms != nil && ms.NonAdditive == nil && (ms.Agg == semlayer.AggSum || ms.Agg == semlayer.AggCount)
	}
	return false
}

// stockMeasure is the semi-additive measure a metric reads (nil when it
// reads none, or is not a simple metric).
func (p *parser) stockMeasure(name string) *semlayer.Measure {
	if ms := p.simpleMeasure(name); ms != nil && ms.NonAdditive != nil {
		return ms
	}
	return nil
}

// onePeriodEach says each row of the answer covers one month or day: a
// snapshot's values may be read.
func (p *parser) onePeriodEach(spec query.Spec, grains []semlayer.Grain) bool {
	for _, g := range grains {
		if g == semlayer.GrainMonth || g == semlayer.GrainDay {
			return true
		}
	}
	return spec.Time != nil && spec.Time.Count <= 1 && (spec.Time.Grain == semlayer.GrainMonth || spec.Time.Grain == semlayer.GrainDay)
}

// qualifiedMember says a mention's member reading is qualified by a word
// next to it naming the member's dimension or model ("the Software
// category").
func (p *parser) qualifiedMember(m mention) bool {
	for _, o := range p.mentions {
		if o.end != m.pos && o.pos != m.end {
			continue
		}
		for _, t := range o.t {
			for _, c := range m.t {
				if c.kind != kMember {
					continue
				}
				if t.kind == kDim && t.name == c.name {
					return true
				}
				if r, ok := p.v.dims[c.name]; ok && t.kind == kEntity && strings.EqualFold(t.name, r.Model) {
					return true
				}
			}
		}
	}
	return false
}

func uniqueNames(ts []target) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range ts {
		if !seen[t.name] {
			seen[t.name] = true
			out = append(out, t.name)
		}
	}
	return out
}

func (p *parser) text(m mention) string {
	var ws []string
	for k := m.pos; k < m.end; k++ {
		ws = append(ws, p.toks[k].raw)
	}
	return strings.Join(ws, " ")
}

// eachBefore says "each", "every", "per" or "within" comes just before
// position i.
func (p *parser) eachBefore(i int) bool {
	for _, m := range p.mentions {
		if m.end == i && p.kw(m) == "by" {
			for k := m.pos; k < m.end; k++ {
				switch p.toks[k].raw {
				case "each", "every", "per", "within":
					return true
				}
			}
		}
	}
	return false
}

// groupedExplicitly says "by"/"per"/"each" comes just before position i.
func (p *parser) groupedExplicitly(i int) bool {
	for _, m := range p.mentions {
		if m.end == i && p.kw(m) == "by" {
			return true
		}
	}
	return false
}

// dimsOf is the dimensions a group target stands for.
func (p *parser) dimOf(t target) string {
	if t.kind == kEntity {
		return p.v.display[t.name]
	}
	return t.name
}

// qualify returns the member candidates a dimension word next to them
// narrows to (nil when the word does not qualify these members).
func (p *parser) qualify(g slot, ms slot) []target {
	return p.qualifyCands(g, ms, p.adjacent(g, ms))
}

// adjacent says a group word is right before or after the members, or
// with "in (the)" between ("customers in Germany").
func (p *parser) adjacent(g slot, ms slot) bool {
	gm := p.mentionAt(g.pos)
	mm := p.mentionAt(ms.pos)
	adjacent := gm.end == mm.pos || mm.end == gm.pos
	if !adjacent && gm.end < mm.pos {
		between := true
		for k := gm.end; k < mm.pos; k++ {
			if w := p.toks[k].raw; w != "in" && w != "the" && w != "from" && w != "of" && w != "at" && w != "on" {
				between = false
			}
		}
		adjacent = between && mm.pos-gm.end <= 2
	}
	if !adjacent && mm.end < gm.pos {
		between := true
		for k := mm.end; k < gm.pos; k++ {
			if w := p.toks[k].raw; w != "the" && w != "'s" {
				between = false
			}
		}
		adjacent = between && gm.pos-mm.end <= 1
		if !adjacent {
			// "Starter plan customers": the members' own dimension word
			// between them.
			dm := p.mentionAt(mm.end)
			own := false
			for _, t := range dm.t {
				for _, c := range ms.cands {
					own = own || t.kind == kDim && t.name == c.name
				}
			}
			adjacent = own && dm.end == gm.pos
		}
	}
	return adjacent
}

// qualifyCands is qualify's matching of members to a group word.
func (p *parser) qualifyCands(g slot, ms slot, adjacent bool) []target {
	var out []target
	for _, c := range ms.cands {
		for _, t := range g.cands {
			r, ok := p.v.dims[c.name]
			if !ok {
				continue
			}
			switch t.kind {
			case kDim:
				if t.name == c.name && adjacent {
					out = append(out, c)
				}
			case kEntity:
				if strings.EqualFold(r.Model, t.name) {
					out = append(out, c)
				}
			}
		}
	}
	if len(out) == 0 && adjacent {
		// "customers on the Starter plan", "Starter plan customers": no
		// member of the customers' own model, but one of another
		// dimension beside their word qualifies them — the revenue's
		// rows of that member, not each customer.
		for _, c := range ms.cands {
			for _, t := range g.cands {
				r, ok := p.v.dims[c.name]
				md := p.in.Layer.Model(t.name)
				if ok && t.kind == kEntity && md != nil && p.isCustomers(md) && p.in.Layer.Model(r.Model) != nil && p.in.Layer.Model(r.Model).Role == "dimension" {
					out = append(out, c)
				}
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	if !adjacent {
		// Apart from them, only a word naming the members' model
		// qualifies them ("revenue from customers in Germany").
		var ent []target
		for _, c := range out {
			for _, t := range g.cands {
				if r, ok := p.v.dims[c.name]; ok && t.kind == kEntity && strings.EqualFold(r.Model, t.name) {
					ent = append(ent, c)
				}
			}
		}
		out = ent
		if len(out) == 0 {
			return nil
		}
	}
	return dedupeMembers(out)
}

// inPhrase says the token at i is a word of a phrase of several words
// read as one ("collect" in "left to collect"), so it says nothing alone.
func (p *parser) inPhrase(i int) bool {
	for _, m := range p.mentions {
		if m.pos <= i && i < m.end && m.end-m.pos > 1 {
			return true
		}
	}
	return false
}

func (p *parser) mentionAt(pos int) mention {
	for _, m := range p.mentions {
		if m.pos == pos {
			return m
		}
	}
	return mention{pos: pos, end: pos + 1}
}

// assembleTime sets the range and the comparison from the time phrases.
func (p *parser) assembleTime(spec *query.Spec, kws []struct {
	name string
	pos  int
}) string {
	kwBetween := func(a, b int, names ...string) bool {
		for _, k := range kws {
			if k.pos >= a && k.pos < b {
				for _, n := range names {
					if k.name == n {
						return true
					}
				}
			}
		}
		return false
	}
	hasKw := func(names ...string) bool { return kwBetween(0, len(p.toks)+1, names...) }
	kind := p.compareKind
	if p.allTime && len(p.times) > 0 {
		return "all time, and a period: which?"
	}
	if p.soFar && len(p.times) == 0 {
		return "so far since when? say \"this year so far\" or \"YTD\""
	}
	if len(p.times) == 2 && kind == "" && !p.comparing() && !p.growth {
		a, b := &p.times[0], &p.times[1]
		c := p.in.Layer.Calendar
		if bare(a.phrase) && !bare(b.phrase) && b.pos >= a.end && b.pos <= a.end+1 && !a.from && !a.to && !b.from && !b.to &&
			(b.rng.Grain == semlayer.GrainFiscalYear || b.rng.Grain == semlayer.GrainYear) && a.rng.Grain != b.rng.Grain && a.rng.Grain != semlayer.GrainYear && a.rng.Grain != semlayer.GrainFiscalYear {
			// "Q4 last year", "March of FY2025": the period in that
			// year.
			x := a.rng
			for i := 0; i < 100 && !x.From.Before(b.rng.To); i++ {
				x = c.Earlier(x, 12)
			}
			for i := 0; i < 100 && x.From.Before(b.rng.From); i++ {
				x = c.Earlier(x, -12)
			}
			if !x.From.Before(b.rng.From) && !x.To.After(b.rng.To) {
				a.rng = x
				p.times = p.times[:1]
				p.times[0].end = b.end
			}
		}
	}
	if len(p.times) == 2 && kind == "" && !p.comparing() && !p.growth {
		// "by quarter for FY2025 and FY2026", "in Q1 and Q2 of FY2026":
		// two periods one after the other are one span, broken down by
		// their grain; "2025-04 to 2025-06" is a span without "from".
		a, b := &p.times[0], &p.times[1]
		c := p.in.Layer.Calendar
		x := a.rng
		if bare(a.phrase) && !bare(b.phrase) {
			// A period named without its year falls in the other's.
			for i := 0; i < 100 && !x.From.Before(b.rng.From); i++ {
				x = c.Earlier(x, 12)
			}
			for i := 0; i < 100; i++ {
				y := c.Earlier(x, -12)
				if !y.From.Before(b.rng.From) {
					break
				}
				x = y
			}
		}
		joined := b.pos == a.end+1 && p.toks[a.end].raw == "and"
		adjacent := a.rng.Grain == b.rng.Grain && x.To.Equal(b.rng.From) && !a.rng.ToDate
		if !a.from && !a.to && !b.from && !b.to && joined && adjacent {
			a.from, b.to = true, true
			grouped := false
			for _, k := range kws {
				grouped = grouped || strings.HasPrefix(k.name, "g:")
			}
			if !grouped {
				p.spanGrain = a.rng.Grain
			}
		}
		if !a.from && !a.to && !b.from && !b.to && b.pos == a.end+1 && (p.toks[a.end].raw == "to" || p.toks[a.end].raw == "through" || p.toks[a.end].raw == "thru") &&
			a.rng.Grain == b.rng.Grain && x.From.Before(b.rng.From) {
			a.from, b.to = true, true
		}
	}
	if r, ok, reason := p.span(); ok {
		// A span of periods ("FY2025 through Q2", "since March").
		if reason != "" {
			return reason
		}
		if kind != "" || p.compareKW >= 0 || hasKw("cmp") || p.growth {
			return "comparing a span of periods is not supported"
		}
		spec.Time = &r
		return ""
	}
	switch len(p.times) {
	case 0:
	case 1:
		t := p.times[0]
		r := t.rng
		spec.Time = &r
	case 2:
		a, b := p.times[0], p.times[1]
		switch {
		case kwBetween(0, a.pos, "from") && kwBetween(a.pos, b.pos, "to"):
			a, b = b, a
		case kwBetween(a.pos, b.pos, "cmp", "over", "and", "to") || kwBetween(0, a.pos, "cmp") && kwBetween(a.pos, b.pos, "with"):
			// "compare sales in Q2 2026 with Q2 2025" too.
			if c := p.in.Layer.Calendar; a.rng.From.Before(b.rng.From) && (kwBetween(a.pos, b.pos, "cmp") || kwBetween(0, a.pos, "cmp") || p.growth) &&
				(sameRange(c.PriorYear(b.rng), a.rng) || sameRange(c.PriorPeriod(b.rng), a.rng)) {
				// "net margin, FY24 vs FY25": the later period compared
				// with the earlier, whichever is named first.
				a, b = b, a
			}
		default:
			return "two periods and no comparison between them"
		}
		r := a.rng
		spec.Time = &r
		c := p.in.Layer.Calendar
		switch {
		case sameRange(c.PriorYear(a.rng), b.rng):
			kind = pick(kind, query.ComparePriorYear)
		case sameRange(c.PriorPeriod(a.rng), b.rng):
			kind = pick(kind, query.ComparePriorPeriod)
		default:
			return fmt.Sprintf("%s can be compared with its prior period or the same period a year earlier, not with %s", a.rng.Label, b.rng.Label)
		}
		if kind == "" {
			return "two different comparisons"
		}
	default:
		return "more than two periods"
	}
	if kind == "" && (p.compareKW >= 0 || hasKw("cmp")) {
		if hasKw("last") && spec.Time != nil {
			// "this fiscal year compared to last".
			kind = query.ComparePriorPeriod
		} else {
			return "compared with what? say \"vs prior year\" or \"vs prior period\""
		}
	}
	if kind == "" && p.growth {
		kind = query.ComparePriorYear
	}
	if kind != "" && spec.Time != nil && spec.Time.Grain == semlayer.GrainDay && spec.Time.Count > 1 {
		return "comparing a span of days is not supported"
	}
	spec.Compare = kind
	return ""
}

func pick(cur, k string) string {
	if cur == "" || cur == k {
		return k
	}
	return ""
}

func sameRange(a, b semlayer.Range) bool { return a.From.Equal(b.From) && a.To.Equal(b.To) }

func (p *parser) suggestMetrics() []string {
	var out []string
	for _, money := range []bool{true, false} {
		for _, m := range p.in.Layer.Metrics {
			if !m.Hidden && len(out) < 5 && (m.Format == "money") == money {
				out = append(out, m.Name)
			}
		}
	}
	return out
}

// search picks the first reading of the ambiguous words that compiles:
// groups and member filters in the order of their candidates.
func (p *parser) search(base query.Spec, groups, members []slot) *Interpretation {
	slots := append(append([]slot{}, groups...), members...)
	for i := range slots {
		slots[i].cands = p.orderCands(slots[i])
	}
	choice := make([]int, len(slots))
	build := func() (spec query.Spec) {
		spec = base
		spec.GroupBy = nil
		for i, s := range slots {
			t := s.cands[choice[i]]
			if s.kind == kDim {
				spec.GroupBy = append(spec.GroupBy, query.GroupBy{Dimension: p.dimOf(t)})
			}
		}
		spec.GroupBy = append(spec.GroupBy, base.GroupBy...)
		defer func() {
			p.countThroughFact(&spec)
			// Two members or more of one dimension: one row each.
			for _, f := range spec.Filters {
				if len(f.Values) < 2 || f.Not {
					continue
				}
				grouped := false
				for _, g := range spec.GroupBy {
					if g.Dimension == f.Dimension {
						grouped = true
					}
				}
				if !grouped {
					spec.GroupBy = append([]query.GroupBy{{Dimension: f.Dimension}}, spec.GroupBy...)
				}
			}
			// "excluding Enterprise": the other members — the rows that
			// have a member, as a grouping by the dimension keeps them.
			for i, f := range spec.Filters {
				if !f.Not {
					continue
				}
				if others := p.otherMembers(f.Dimension, f.Values); len(others) > 0 {
					spec.Filters[i] = query.Filter{Dimension: f.Dimension, Values: others}
					if p.excluded == nil {
						p.excluded = map[string][]string{}
					}
					p.excluded[f.Dimension] = f.Values
				}
			}
		}()
		// Members: one filter per dimension, values together.
		byDim := map[string]int{}
		for i, s := range slots {
			if s.kind != kMember {
				continue
			}
			t := s.cands[choice[i]]
			key := t.name
			if s.not {
				key += "\x00not"
			}
			if k, ok := byDim[key]; ok {
				// "lose … to cancellation": one member named twice
				// is one value.
				if !slices.Contains(spec.Filters[k].Values, t.value) {
					spec.Filters[k].Values = append(spec.Filters[k].Values, t.value)
				}
				continue
			}
			byDim[key] = len(spec.Filters)
			spec.Filters = append(spec.Filters, query.Filter{Dimension: t.name, Values: []string{t.value}, Not: s.not})
		}
		return spec
	}
	var firstErr error
	// Greedy: each slot in turn tries its candidates with the others at
	// their current choice.
	for i := range slots {
		ok := false
		for c := range slots[i].cands {
			choice[i] = c
			if err := compiles(p.in.Layer, build()); err == nil {
				ok = true
				break
			} else if firstErr == nil {
				firstErr = err
			}
		}
		if !ok {
			choice[i] = 0
		}
	}
	// Members in one list ("SMB vs Enterprise", "enterprise and
	// mid-market") are of one dimension when they can be: the segment
	// Enterprise beside the segment SMB, not the plan.
	for i := range slots {
		for j := i + 1; j < len(slots); j++ {
			if slots[i].kind != kMember || slots[j].kind != kMember || slots[i].not != slots[j].not || !p.coordinated(slots[i], slots[j]) {
				continue
			}
			if slots[i].cands[choice[i]].name == slots[j].cands[choice[j]].name {
				continue
			}
			ci, cj, found := -1, -1, false
			for a, x := range slots[i].cands {
				for b, y := range slots[j].cands {
					if x.name == y.name && !found {
						ci, cj, found = a, b, true
					}
				}
			}
			if !found {
				continue
			}
			ki, kj := choice[i], choice[j]
			choice[i], choice[j] = ci, cj
			if compiles(p.in.Layer, build()) != nil {
				choice[i], choice[j] = ki, kj
			}
		}
	}
	spec := build()
	if err := compiles(p.in.Layer, spec); err != nil {
		return p.abstain("cannot answer that from the warehouse: " + err.Error())
	}
	// A member of two dimensions as likely as each other, of two
	// models, that both answer ("opex in Germany": the vendors' or the
	// customers' country?): not answered.
	for i, sl := range slots {
		if sl.kind != kMember || len(sl.cands) < 2 {
			continue
		}
		chosen := sl.cands[choice[i]]
		listed := false
		for j := range slots {
			listed = listed || j != i && slots[j].kind == kMember && p.coordinated(sl, slots[j])
		}
		for c, t := range sl.cands {
			ga, gb := p.partyOf(p.v.dims[p.dimOf(chosen)].Model), p.partyOf(p.v.dims[p.dimOf(t)].Model)
			// The same word, a member of two named dimensions of two
			// models ("Enterprise": a plan and a segment), neither said:
			// which?
			twoNames := strings.EqualFold(t.value, chosen.value) && !listed && !codeLike(p.dimOf(chosen)) && !codeLike(p.dimOf(t)) &&
				!p.namesDimAround(sl.pos, chosen) && !p.namesDimAround(sl.pos, t) && !strings.EqualFold(p.v.dims[p.dimOf(chosen)].Model, p.v.dims[p.dimOf(t)].Model)
			if c == choice[i] || !twoNames && (p.candScore(t) != p.candScore(chosen) || ga < 0 || gb < 0 || ga == gb) || twoNames && p.dimModelNamed(t) != p.dimModelNamed(chosen) {
				continue
			}
			keep := choice[i]
			choice[i] = c
			err := compiles(p.in.Layer, build())
			choice[i] = keep
			if err == nil && twoNames && (ga < 0 || gb < 0 || ga == gb) {
				return p.abstain(fmt.Sprintf("%q is both a %s and a %s: say which (e.g. \"the %s %s\")", p.text(p.mentionAt(sl.pos)), strings.ReplaceAll(p.dimOf(chosen), "_", " "), strings.ReplaceAll(p.dimOf(t), "_", " "), chosen.value, strings.ReplaceAll(p.dimOf(t), "_", " ")))
			}
			if err == nil {
				return p.abstain(fmt.Sprintf("%q is a %s and a %s: say whose (e.g. \"%s in …\")", p.text(p.mentionAt(sl.pos)), strings.ReplaceAll(p.dimOf(chosen), "_", " "), strings.ReplaceAll(p.dimOf(t), "_", " "), strings.ReplaceAll(p.v.dims[p.dimOf(chosen)].Model, "_", " ")))
			}
		}
	}
	spec = build()
	if spec.Share && (len(spec.GroupBy) == 0 || p.statusRate) && (len(spec.Filters) > 0 || spec.Where != "") {
		// "what share of 2025 sales came from loyalty members": the
		// filtered number over the whole, in percent.
		return p.subsetShare(spec)
	}
	if (spec.Limit > 0 || len(spec.OrderBy) > 0 || spec.Share) && len(spec.GroupBy) == 0 {
		return p.abstain("a ranking or a share needs something to rank: say by what")
	}
	if len(spec.Having) > 0 && len(spec.GroupBy) == 0 {
		// A threshold on the one total holds nothing to it: which
		// members are held to it?
		return p.abstain("over or under a threshold: which members? say e.g. \"customers with revenue over 100k\"")
	}
	if spec.Limit > 0 && len(spec.GroupBy) > 1 && !p.attrRank {
		// "the top 3 customers in each segment": ranked within the groups
		// named with "each" (or "per"); exactly one group is ranked.
		var within []string
		for i, sl := range slots {
			if sl.kind == kDim && p.eachBefore(sl.pos) {
				within = append(within, p.dimOf(sl.cands[choice[i]]))
			}
		}
		for _, g := range base.GroupBy {
			if pos, ok := p.grainPos[g.Grain]; ok && p.eachBefore(pos) {
				within = append(within, string(g.Grain))
			}
		}
		if len(spec.GroupBy)-len(within) != 1 {
			return p.abstain("a ranking of more than one grouping: say which is ranked and within what (\"top 3 customers in each segment\")")
		}
		spec.RankWithin = within
		if err := compiles(p.in.Layer, spec); err != nil {
			return p.abstain("cannot answer that from the warehouse: " + err.Error())
		}
	}
	// Two groups by the same dimension.
	seen := map[string]bool{}
	for _, g := range spec.GroupBy {
		k := g.Dimension + "/" + string(g.Grain)
		if seen[k] {
			return p.abstain("the same grouping twice")
		}
		seen[k] = true
	}
	for _, s := range slots {
		if len(s.cands) > 1 {
			p.conf *= 0.95
		}
	}
	if why := p.dated(&spec); why != "" {
		return p.abstain(why)
	}
	if why := p.rolePlayed(spec); why != "" {
		return p.abstain(why)
	}
	if why := p.scenarioMix(spec); why != "" {
		return p.abstain(why)
	}
	it := &Interpretation{Answerable: true, Spec: spec, Confidence: p.conf, Only: p.only}
	it.Text = p.describe(spec)
	it.Chart = chart(spec)
	return it
}

// orderCands puts a slot's likeliest readings first: dimensions of
// dimension models (their names) before facts' own columns, display
// dimensions first.
func (p *parser) orderCands(s slot) []target {
	cs := append([]target{}, s.cands...)
	sort.SliceStable(cs, func(i, j int) bool {
		if a, b := p.candScore(cs[i]), p.candScore(cs[j]); a != b {
			return a > b
		}
		// The same score: one order, whatever the vocabulary's.
		return p.dimOf(cs[i])+"\x00"+cs[i].value < p.dimOf(cs[j])+"\x00"+cs[j].value
	})
	return cs
}

// candScore is how likely a group or member target is meant.
// dimModelNamed says the question names the model of a member's dimension
// ("Enterprise customers": the customers' segment).
func (p *parser) dimModelNamed(t target) bool {
	r, ok := p.v.dims[p.dimOf(t)]
	if !ok {
		return false
	}
	if m := p.in.Layer.Model(r.Model); m != nil {
		for _, w := range modelWords(m) {
			cw := strings.Fields(canonPhrase(w))
			for _, tk := range p.toks {
				if len(cw) == 1 && tk.canon == cw[0] {
					return true
				}
			}
		}
	}
	return false
}

func (p *parser) candScore(t target) int {
	name := p.dimOf(t)
	r, ok := p.v.dims[name]
	if !ok {
		return 0
	}
	sc := 0
	if m := p.in.Layer.Model(r.Model); m != nil && m.Role == "dimension" {
		sc += 2
		// The model is named in the question ("vendors … in each
		// country").
		for _, w := range modelWords(m) {
			cw := strings.Fields(canonPhrase(w))
			for _, tk := range p.toks {
				if len(cw) == 1 && tk.canon == cw[0] {
					sc += 4
				}
			}
		}
		// Revenue is the customers': "revenue in Germany" is the
		// customers' country, not the vendors'.
		if p.salesAsked && p.isCustomers(m) {
			sc++
		}
	}
	for _, d := range p.v.display {
		if d == name {
			sc++
		}
	}
	return sc
}

// sameMemberDim says two mentions can be members of one dimension.
func sameMemberDim(a, b mention) bool {
	for _, x := range a.t {
		for _, y := range b.t {
			if x.kind == kMember && y.kind == kMember && x.name == y.name {
				return true
			}
		}
	}
	return false
}

// partyOf is the group of entityWords that names a model's rows
// (customers, vendors, stores …), or -1.
func (p *parser) partyOf(model string) int {
	m := p.in.Layer.Model(model)
	if m == nil {
		return -1
	}
	for i, group := range entityWords {
		for _, w := range modelWords(m) {
			for _, g := range group {
				if canonPhrase(w) == canonPhrase(g) {
					return i
				}
			}
		}
	}
	return -1
}

// isCustomers says a model's rows are customers (by its name's word).
func (p *parser) isCustomers(m *semlayer.Model) bool {
	for _, w := range modelWords(m) {
		for _, g := range entityWords[0] {
			if canonPhrase(w) == g {
				return true
			}
		}
	}
	return false
}

func chart(s query.Spec) string {
	switch {
	case len(s.GroupBy) == 0:
		return "number"
	case len(s.GroupBy) == 1 && s.GroupBy[0].Grain != "" && s.GroupBy[0].Dimension == "":
		return "line"
	case len(s.GroupBy) == 1:
		return "bar"
	}
	return "table"
}

// describe says the interpretation in words.
func (p *parser) describe(s query.Spec) string {
	var b strings.Builder
	var names []string
	for _, m := range s.Metrics {
		lab := p.label(m)
		for _, r := range s.Ratios {
			if r.Name == m {
				lab = r.Label
			}
		}
		for _, x := range s.Derived {
			if x.Name == m {
				lab = x.Label
			}
		}
		for _, x := range s.Restricted {
			if x.Name == m && x.Label != "" {
				lab = x.Label
			}
		}
		names = append(names, lab)
	}
	switch {
	case p.only == OnlyGroups:
		b.WriteString("List")
		for _, x := range s.Restricted {
			if x.Without != "" && len(s.Metrics) == 1 && x.Name == s.Metrics[0] {
				// "customers who never bought": those without sales lines.
				fmt.Fprintf(&b, " of the %s without %s", strings.TrimPrefix(p.label(x.Metric), "number of "), strings.ReplaceAll(x.Without, "_", " "))
			}
		}
	case s.Share:
		b.WriteString("Share of ")
		b.WriteString(strings.Join(names, ", "))
	default:
		b.WriteString(strings.Join(names, ", "))
	}
	var gs []string
	for _, g := range s.GroupBy {
		if g.Dimension != "" && g.Grain != "" {
			gs = append(gs, strings.ReplaceAll(string(g.Grain), "_", " ")+" of "+strings.ReplaceAll(g.Dimension, "_", " "))
		} else if g.Dimension != "" {
			gs = append(gs, strings.ReplaceAll(g.Dimension, "_", " "))
		} else {
			gs = append(gs, strings.ReplaceAll(string(g.Grain), "_", " "))
		}
	}
	if len(gs) > 0 {
		b.WriteString(" by " + strings.Join(gs, " and "))
	}
	for _, f := range s.Filters {
		if ex, ok := p.excluded[f.Dimension]; ok && !f.Not {
			fmt.Fprintf(&b, ", %s other than %s", strings.ReplaceAll(f.Dimension, "_", " "), strings.Join(ex, " and "))
			continue
		}
		if r, ok := p.v.dims[f.Dimension]; ok && r.Dim.Flag && len(f.Values) == 1 {
			// "billable", "not billable".
			b.WriteString(", ")
			if (f.Values[0] == "true") == f.Not {
				b.WriteString("not ")
			}
			b.WriteString(strings.ReplaceAll(f.Dimension, "_", " "))
			continue
		}
		if f.Not {
			fmt.Fprintf(&b, ", %s other than %s", strings.ReplaceAll(f.Dimension, "_", " "), strings.Join(f.Values, " and "))
			continue
		}
		fmt.Fprintf(&b, ", %s %s", strings.ReplaceAll(f.Dimension, "_", " "), strings.Join(f.Values, " or "))
	}
	if _, t := p.membershipWhere(); t != "" && s.Where != "" {
		b.WriteString(", " + t)
	}
	if p.endedText != "" && s.Time == nil {
		b.WriteString(", " + p.endedText)
	}
	// "claims reported in Q4": the period is of that date.
	dated := ""
	if s.Dated != "" {
		dated = datedLabel(s.Dated) + " date in "
		if s.Time == nil {
			b.WriteString(", by " + datedLabel(s.Dated) + " date")
		}
	}
	switch {
	case s.Time != nil && s.Time.From.Equal(openStart):
		fmt.Fprintf(&b, ", %s%s (to %s)", dated, s.Time.Label, s.Time.To.AddDate(0, 0, -1).Format("2 Jan 2006"))
	case s.Time != nil:
		fmt.Fprintf(&b, ", %s%s (%s – %s)", dated, s.Time.Label, s.Time.From.Format("2 Jan 2006"), s.Time.To.AddDate(0, 0, -1).Format("2 Jan 2006"))
	}
	b.WriteString(p.settledText)
	b.WriteString(p.cohortText)
	switch s.Cumulative {
	case query.CumulativeAll:
		b.WriteString(", running total from the start of the period")
	case query.CumulativeFiscalYear:
		b.WriteString(", year to date at each period (restarting each fiscal year)")
	}
	switch s.Compare {
	case query.ComparePriorYear:
		b.WriteString(", compared with the prior year")
	case query.ComparePriorPeriod:
		b.WriteString(", compared with the prior period")
	case query.ComparePrevious:
		w := "period"
		for _, g := range s.GroupBy {
			if g.Grain != "" && g.Dimension == "" {
				w = grainWord(g.Grain)
			}
		}
		fmt.Fprintf(&b, ", each %s compared with the %s before", w, w)
	case query.CompareBudget:
		b.WriteString(", compared with the budget")
	case query.CompareForecast:
		b.WriteString(", compared with the forecast")
	}
	for _, h := range s.Having {
		if p.only == OnlyGroups && strings.Contains(h.Metric, "_without_") {
			continue // said above
		}
		fmt.Fprintf(&b, ", where %s %s %s", metricLabel(p.in.Layer, h.Metric), h.Op, h.Value)
	}
	if len(s.OrderBy) > 0 {
		dir := "highest"
		if !s.OrderBy[0].Desc {
			dir = "lowest"
		}
		if s.Limit > 0 {
			fmt.Fprintf(&b, ", the %d %s", s.Limit, dir)
			if len(s.RankWithin) > 0 {
				fmt.Fprintf(&b, " in each %s", strings.ReplaceAll(strings.Join(s.RankWithin, " and "), "_", " "))
			}
		} else {
			fmt.Fprintf(&b, ", %s first", dir)
		}
	}
	return b.String()
}

func metricLabel(l *semlayer.Layer, name string) string {
	if m := l.Metric(name); m != nil && m.Label != "" {
		return m.Label
	}
	return strings.ReplaceAll(name, "_", " ")
}

// compiles checks that a spec compiles over the layer; a comparison with
// a scenario (budget, forecast) is checked on the actuals' side, as the
// analytics service runs it twice.
func compiles(l *semlayer.Layer, spec query.Spec) error {
	if spec.Compare == query.CompareBudget || spec.Compare == query.CompareForecast {
		spec.Compare = ""
	}
	_, err := query.Compile(l, spec, l.Dialect)
	return err
}

// restrict is metric counted over only the rows of the metric rows (a
// query's own metric, added to the spec once): "sales invoices" are the
// journals with revenue lines, "customers we invoiced" the customers of
// the revenue rows.
func (p *parser) restrict(spec *query.Spec, metric, rows string) string {
	name := metric + "_with_" + rows
	for _, r := range spec.Restricted {
		if r.Name == name {
			return name
		}
	}
	label := metricLabel(p.in.Layer, metric) + " with " + strings.ToLower(metricLabel(p.in.Layer, rows))
	spec.Restricted = append(spec.Restricted, query.Restricted{Name: name, Label: label, Metric: metric, Rows: rows})
	if p.restricted == nil {
		p.restricted = map[string]query.Restricted{}
	}
	p.restricted[name] = spec.Restricted[len(spec.Restricted)-1]
	return name
}

// label is a metric's label, the query's own restricted ones included.
func (p *parser) label(name string) string {
	if r, ok := p.restricted[name]; ok {
		return r.Label
	}
	return metricLabel(p.in.Layer, name)
}

// countedByVerb reads "how many customers did we invoice" (sell to, bill,
// buy from): the distinct count of the fact's rows that carry the verb's
// measure — over only its rows when the measure is some of the fact's
// rows (a ledger's revenue lines). A verb of another fact's measure is
// left to unsafeMetrics, which does not answer.
func (p *parser) countedByVerb(spec *query.Spec) string {
	l := p.in.Layer
	for i, name := range spec.Metrics {
		m := l.Metric(name)
		if m == nil || m.Type != semlayer.MetricSimple || m.Rows != "" {
			continue
		}
		model := l.Model(m.Model)
		if model == nil {
			continue
		}
		if ms := model.Measure(m.Measure); ms == nil || ms.Agg != semlayer.AggCountDistinct {
			continue
		}
		for _, t := range p.toks {
			c, ok := weakConcepts[t.raw]
			if !ok {
				continue
			}
			if (t.raw == "spend" || t.raw == "spent" || t.raw == "spending") && !p.countsCustomers(model, ms0(model, m)) {
				// "how many vendors did we pay": what we spend is no
				// revenue (it counted the vendors of the revenue lines: 0).
				return fmt.Sprintf("%s that we spent with: over which costs? ask e.g. \"%s with operating expenses\"", p.label(name), strings.TrimPrefix(p.label(name), "number of "))
			}
			rm := l.Metric(p.v.concepts[c])
			if rm == nil || !strings.EqualFold(rm.Model, m.Model) || rm.Type == semlayer.MetricSimple && rm.Filter == "" {
				break
			}
			if rm.Type == semlayer.MetricHierarchy && rm.Formula == "" || rm.Type == semlayer.MetricSimple && rm.Rows == "" {
				spec.Metrics[i] = p.restrict(spec, name, rm.Name)
			}
			break
		}
	}
	return ""
}

func ms0(md *semlayer.Model, m *semlayer.Metric) *semlayer.Measure { return md.Measure(m.Measure) }

// countsCustomers says a distinct count of a fact counts the customers
// (the model its entity of that name references).
func (p *parser) countsCustomers(fact *semlayer.Model, ms *semlayer.Measure) bool {
	for _, e := range fact.Entities {
		if ref := p.in.Layer.RefModel(e); ref != nil && e.Type == "foreign" && strings.EqualFold(ms.Name, e.Name+"_count") {
			return p.isCustomers(ref)
		}
	}
	return false
}

// difference is a less b ("net sales after refunds"): two amounts, or two
// counts, that add up (sums, counts, hierarchy lines) — not a ratio, a
// balance or a percentage.
func (p *parser) difference(a, b string) (query.Derived, string) {
	l := p.in.Layer
	fa, fb := "", ""
	for _, x := range []struct {
		name string
		f    *string
	}{{a, &fa}, {b, &fb}} {
		m := l.Metric(x.name)
		if m == nil || !p.addsUp(x.name) {
			return query.Derived{}, fmt.Sprintf("%s cannot be taken from or away: only amounts and counts that add up can", p.label(x.name))
		}
		*x.f = m.Format
	}
	if fa != fb {
		return query.Derived{}, fmt.Sprintf("%s less %s: not the same kind of number", p.label(a), p.label(b))
	}
	if ma, mb := l.Metric(a), l.Metric(b); ma.Type == semlayer.MetricHierarchy && mb.Type == semlayer.MetricHierarchy && strings.EqualFold(ma.Hierarchy, mb.Hierarchy) {
		// Two lines of one statement that share accounts ("revenue after
		// discounts", discounts a part of revenue): already netted, or
		// to be taken out? Not answered.
		for leaf := range mb.Leaves {
			if _, ok := ma.Leaves[leaf]; ok {
				return query.Derived{}, fmt.Sprintf("%s is part of %s: it is already netted in it", p.label(b), p.label(a))
			}
		}
	}
	return query.Derived{Name: a + "_less_" + b, Label: p.label(a) + " less " + strings.ToLower(p.label(b)), Expr: a + " - " + b, Format: fa}, ""
}

// sellingPrice is the average selling price: the revenue per unit sold,
// when one fact carries both.
func (p *parser) sellingPrice() (query.Ratio, string) {
	l := p.in.Layer
	rev, qty := l.Metric(p.v.concepts["revenue"]), l.Metric(p.v.concepts["quantity"])
	if rev == nil || qty == nil || !strings.EqualFold(rev.Model, qty.Model) {
		return query.Ratio{}, "an average selling price needs sales and the units sold of one fact"
	}
	return query.Ratio{Name: "average_selling_price", Label: "average selling price (" + metricLabel(l, rev.Name) + " per unit)",
		Numerator: rev.Name, Denominator: qty.Name, Format: "money"}, ""
}

// documentRanking reads a ranking of documents ("the largest invoice",
// "top 5 transactions"): the word naming the metric at pos names a
// fact's documents — its rows (the invoices of an invoices fact) or the
// document numbers its lines share (receipts, journals) — and the
// ranking is of the documents by the fact's amount. It returns the
// amount metric and the document's dimension ("" when the word names no
// documents).
// docNoun is the last noun of the mention at pos: its last word, or the
// one before a document verb ("payment" in "payment received"), whose
// number says one document or several.
func (p *parser) docNoun(pos int) *token {
	m := p.mentionAt(pos)
	if m.end-m.pos > 1 && documentVerbs[p.toks[m.end-1].raw] {
		return p.toks[m.end-2]
	}
	return p.toks[m.end-1]
}

// documentVerbs follow a document's name without changing which rows it
// names ("payment received", "invoice issued").
var documentVerbs = map[string]bool{"received": true, "made": true, "issued": true, "raised": true, "sent": true, "booked": true, "placed": true, "posted": true}

func (p *parser) documentRanking(name string, pos int) (string, string) {
	l := p.in.Layer
	if r, ok := p.restricted[name]; ok {
		name = r.Metric
	}
	m := l.Metric(name)
	if m == nil || m.Type != semlayer.MetricSimple {
		return "", ""
	}
	fact := l.Model(m.Model)
	if fact == nil || fact.Role != "fact" {
		return "", ""
	}
	mention := p.mentionAt(pos)
	var words []string
	for k := mention.pos; k < mention.end; k++ {
		words = append(words, p.toks[k].canon)
	}
	if n := len(words); n > 1 && documentVerbs[p.toks[mention.end-1].raw] {
		words = words[:n-1] // "the largest payment received": a payment
	}
	said := strings.Join(words, " ")
	ms := fact.Measure(m.Measure)
	amount := p.v.concepts["revenue"]
	if rm := l.Metric(amount); rm == nil || !strings.EqualFold(rm.Model, fact.Name) {
		amount = ""
	}
	switch {
	case ms != nil && isDocumentCount(fact, ms):
		// Receipts, journals: the number the lines share.
		for _, r := range p.v.dims {
			if strings.EqualFold(r.Model, fact.Name) && strings.EqualFold(r.Dim.Column, ms.Column) && amount != "" {
				return amount, r.Name
			}
		}
	case canonPhrase(singularWord(spaced(fact.Name))) == said && !massNouns[said]:
		// The fact's own rows (invoices): by their id — not a mass
		// noun's (the highest payroll is the most paid in all).
		if m.Format == "money" {
			amount = m.Name
		}
		if key := p.ownKey(fact); key != "" && amount != "" {
			return amount, key
		}
	}
	return "", ""
}

// ownKey is the dimension naming each row of a fact of documents, its
// singular with "_id" (invoices: invoice_id), or "".
func (p *parser) ownKey(fact *semlayer.Model) string {
	key := singularWord(fact.Name) + "_id"
	for _, r := range p.v.dims {
		if strings.EqualFold(r.Model, fact.Name) && strings.EqualFold(r.Dim.Name, key) {
			return r.Name
		}
	}
	return ""
}

// singularWord drops a plural's s ("invoices" → "invoice").
func singularWord(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss"):
		return strings.TrimSuffix(s, "s")
	}
	return s
}

// namesCustomers says the question is about customers: a word for them,
// or a group or member of the customers' model.
// giverWords name those who give to a nonprofit.
var giverWords = []string{"donor", "supporter", "contributor", "giver", "funder", "sponsor", "benefactor"}

// namesModel says a group or member of the question is of a model named
// by one of the words.
func (p *parser) namesModel(groups, members []slot, words ...string) bool {
	for _, s := range append(append([]slot{}, groups...), members...) {
		for _, t := range s.cands {
			model := t.name
			if t.kind != kEntity {
				model = p.v.dims[t.name].Model
			}
			if md := p.in.Layer.Model(model); md != nil && slices.ContainsFunc(modelWords(md), func(w string) bool { return slices.Contains(words, canonPhrase(w)) }) {
				return true
			}
		}
	}
	return false
}

func (p *parser) namesCustomers(groups, members []slot) bool {
	isCustomers := func(model string) bool {
		md := p.in.Layer.Model(model)
		if md == nil {
			return false
		}
		for _, w := range modelWords(md) {
			for _, g := range entityWords[0] {
				if canonPhrase(w) == g {
					return true
				}
			}
		}
		return false
	}
	for _, s := range append(append([]slot{}, groups...), members...) {
		for _, t := range s.cands {
			model := t.name
			if t.kind != kEntity {
				model = p.v.dims[t.name].Model
			}
			if isCustomers(model) {
				return true
			}
		}
	}
	return p.hasWord(entityWords[0]...)
}

// weakVerb says a verb of a measure is in the question ("spend", "sold",
// "invoiced").
func (p *parser) weakVerb() bool {
	for _, t := range p.toks {
		if p.weakMetric(t.raw, nil) != "" && t.role != "without" {
			return true
		}
	}
	return false
}

// otherMembers are the members of dim other than values (nil when the
// dimension's members are not known).
func (p *parser) otherMembers(dim string, values []string) []string {
	out := []string{}
	known := false
	for _, m := range p.v.members {
		if m.dim != dim {
			continue
		}
		known = true
		if !slices.Contains(values, m.value) && !slices.Contains(out, m.value) {
			out = append(out, m.value)
		}
	}
	if !known || len(out)+len(values) >= 5000 {
		return nil // not known, or maybe not all of them (5,000 are read)
	}
	return out
}

// grossSales is gross sales (net sales plus the discounts given, when
// one fact carries both: net sales = gross sales − discounts), or the
// discount rate (the discounts as a percentage of gross sales).
func (p *parser) grossSales(rate bool) (query.Derived, string) {
	l := p.in.Layer
	rev := l.Metric(p.v.concepts["revenue"])
	if rev == nil || rev.Type != semlayer.MetricSimple || rev.Filter != "" {
		return query.Derived{}, "gross sales need net sales and the discounts of one fact"
	}
	disc := ""
	for _, m := range l.Metrics {
		if !m.Hidden && m.Type == semlayer.MetricSimple && m.Filter == "" && m.Format == "money" && strings.EqualFold(m.Model, rev.Model) && strings.Contains(m.Name, "discount") {
			if disc != "" {
				return query.Derived{}, "gross sales: which discounts? (" + disc + " or " + m.Name + ")"
			}
			disc = m.Name
		}
	}
	if disc == "" {
		return query.Derived{}, "gross sales need the discounts given, which " + rev.Model + " does not carry"
	}
	if rate {
		return query.Derived{Name: "discount_rate", Label: "discount rate (% of gross sales)", Expr: "100 * " + disc + " / (" + rev.Name + " + " + disc + ")", Format: "percent"}, ""
	}
	return query.Derived{Name: "gross_sales", Label: "gross sales (" + metricLabel(l, rev.Name) + " + " + metricLabel(l, disc) + ")", Expr: rev.Name + " + " + disc, Format: "money"}, ""
}

// datedCountOf is the row count of a model dated by the day each member
// began (the accounts by signup date, the stores by opening date) that
// the count metric name names: that metric itself, or another labelled
// alike ("number of accounts" invoiced). "" when there is none.
func (p *parser) datedCountOf(name string) string {
	m := p.in.Layer.Metric(name)
	if m == nil || m.Format != "count" {
		return ""
	}
	for _, x := range p.in.Layer.Metrics {
		if x.Hidden || x.Format != "count" || x.Measure != "row_count" || x.Filter != "" || x.Rows != "" {
			continue
		}
		md := p.in.Layer.Model(x.Model)
		if md == nil || md.TimeColumn == "" || md.Role == "fact" {
			continue
		}
		if x.Name == name || m.Label != "" && strings.EqualFold(m.Label, x.Label) {
			return x.Name
		}
	}
	return ""
}

// grainWord is a grain as a word ("quarter" for fiscal_quarter).
func grainWord(g semlayer.Grain) string {
	if g == semlayer.GrainFiscalQuarter {
		return "quarter"
	}
	return strings.ReplaceAll(string(g), "_", " ")
}

// ownWords between two numbers make the second a quality of the first's
// things ("receipts had a discount").
var ownWords = set(`had has have having got gets received contained contain contains included include includes`)

// memberCount is the layer's plain count of model's rows ("number of
// subscriptions"), or "".
func (p *parser) memberCount(model string) string {
	for _, x := range p.in.Layer.Metrics {
		if !x.Hidden && x.Format == "count" && x.Type == semlayer.MetricSimple && x.Filter == "" && strings.EqualFold(x.Model, model) {
			return x.Name
		}
	}
	return ""
}

// countOf is the count of the rows (documents) of a money metric's fact:
// "50 invoices" where "invoices" named the invoices' amount.
func (p *parser) countOf(m *semlayer.Metric) string {
	if m.Type != semlayer.MetricSimple || m.Filter != "" {
		return ""
	}
	md := p.in.Layer.Model(m.Model)
	if md == nil {
		return ""
	}
	for _, x := range p.in.Layer.Metrics {
		if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || x.Rows != "" || !strings.EqualFold(x.Model, md.Name) || x.Format != "count" {
			continue
		}
		if ms := md.Measure(x.Measure); ms != nil && (ms.Agg == semlayer.AggCount && (ms.Column == "*" || ms.Column == "") || isDocumentCount(md, ms)) {
			return x.Name
		}
	}
	return ""
}

// cohortOf reads "<model> that signed up (joined, started) in <period>"
// after a number of another model: the filter of that model's own date
// in the period, and the groups without the model's word.
func (p *parser) cohortOf(spec query.Spec, groups []slot, kws []struct {
	name string
	pos  int
}) (string, []slot, bool) {
	m := p.in.Layer.Metric(spec.Metrics[0])
	if m == nil || spec.Time == nil || spec.Compare != "" {
		return "", nil, false
	}
	for _, k := range kws {
		if k.name != "created" {
			continue
		}
		j := k.pos - 1
		for j >= 0 && (p.toks[j].raw == "that" || p.toks[j].raw == "who" || p.toks[j].raw == "which" || p.toks[j].raw == "were" || p.toks[j].raw == "have" || p.toks[j].raw == "had") {
			j--
		}
		if j < 0 {
			continue
		}
		for _, gm := range p.mentions {
			if gm.end != j+1 || p.groupedExplicitly(gm.pos) {
				continue
			}
			for _, t := range gm.t {
				md := p.in.Layer.Model(t.name)
				if t.kind != kEntity || md == nil || md.TimeColumn == "" || strings.EqualFold(md.Name, m.Model) {
					continue
				}
				dim := ""
				for name, r := range p.v.dims {
					if strings.EqualFold(r.Model, md.Name) && r.Dim.Type == "time" && strings.EqualFold(r.Dim.Column, md.TimeColumn) && !strings.Contains(name, ".") {
						dim = name
					}
				}
				if dim == "" {
					continue
				}
				w := fmt.Sprintf("%s >= DATE '%s' AND %s < DATE '%s'", dim, spec.Time.From.Format("2006-01-02"), dim, spec.Time.To.Format("2006-01-02"))
				in := "in "
				if spec.Time.From.Equal(openStart) {
					in = "" // "before 2020"
				}
				p.cohortText = fmt.Sprintf(", %s whose %s is %s%s", strings.ReplaceAll(md.Name, "_", " "), strings.ReplaceAll(dim, "_", " "), in, spec.Time.Label)
				var rest []slot
				for _, g := range groups {
					if g.pos != gm.pos {
						rest = append(rest, g)
					}
				}
				return w, rest, true
			}
		}
	}
	return "", nil, false
}

// ofBefore is the position of the "of" before a model's word, over the
// words that only qualify it ("MRR of expired subscriptions"), or -1.
func (p *parser) ofBefore(pos int) int {
	k := pos - 1
	for k >= 0 && !p.toks[k].used && (fillers[p.toks[k].raw] || isEndedWord(p.toks[k].raw)) && p.toks[k].raw != "of" {
		k--
	}
	if k >= 1 && p.toks[k].raw == "of" {
		return k
	}
	return -1
}

// attrAverage is the average of a numeric attribute over the members of
// its model: the attribute summed over them (query.Priced of the model's
// count) divided by their count.
func (p *parser) attrAverage(spec *query.Spec, a slot, totalOnly bool) (string, string) {
	if len(a.cands) != 1 {
		return "", "an average of which attribute?"
	}
	attr := a.cands[0].name
	r, ok := p.v.dims[attr]
	if !ok {
		return "", "an average of what?"
	}
	count := ""
	for _, x := range p.in.Layer.Metrics {
		if !x.Hidden && x.Format == "count" && x.Type == semlayer.MetricSimple && x.Filter == "" && x.Rows == "" && strings.EqualFold(x.Model, r.Model) {
			if md := p.in.Layer.Model(x.Model); md != nil {
				if ms := md.Measure(x.Measure); ms != nil && ms.Agg == semlayer.AggCount && (ms.Column == "*" || ms.Column == "") {
					count = x.Name
					break
				}
			}
		}
	}
	if count == "" {
		return "", fmt.Sprintf("the %s are not counted: no average of their %s", strings.ReplaceAll(r.Model, "_", " "), strings.ReplaceAll(attr, "_", " "))
	}
	format := "number"
	if strings.Contains(attr, "price") || strings.Contains(attr, "cost") {
		format = "money"
	}
	total := "total_" + attr
	spec.Priced = append(spec.Priced, query.Priced{Name: total, Label: "total " + strings.ReplaceAll(attr, "_", " "), Metric: count, Attribute: attr, Format: format})
	if totalOnly {
		return total, ""
	}
	x := query.Derived{Name: "average_" + attr, Label: "average " + strings.ReplaceAll(attr, "_", " "), Expr: total + " / " + count, Format: format}
	spec.Derived = append(spec.Derived, x)
	return x.Name, ""
}

// sameKindOf is the one visible simple metric of x's model with the
// format, or "".
func (p *parser) sameKindOf(x *semlayer.Metric, format string) string {
	found := ""
	for _, m := range p.in.Layer.Metrics {
		if m.Hidden || m.Type != semlayer.MetricSimple || m.Filter != "" || m.Rows != "" || m.Format != format || !strings.EqualFold(m.Model, x.Model) {
			continue
		}
		if found != "" {
			return ""
		}
		found = m.Name
	}
	return found
}

// documentWord says the word names documents (invoices, orders,
// receipts, transactions): conceptWords' documents, single words.
func (p *parser) documentWord(t *token) bool {
	for _, w := range conceptWords["documents"] {
		if !strings.Contains(w, " ") && canonPhrase(w) == t.canon {
			return true
		}
	}
	return false
}

// firstMetric is the spec's first metric's name ("" without one).
func firstMetric(spec query.Spec) string {
	if len(spec.Metrics) == 0 {
		return ""
	}
	return spec.Metrics[0]
}

// endedMemberCount is the count of the members of a model whose status
// a member slot names as ended ("churned", "cancellations", "downgrades"),
// and the slot's position.
func (p *parser) endedMemberCount(memberSlots []slot) (string, int) {
	for _, ms := range memberSlots {
		for _, c := range ms.cands {
			r, ok := p.v.dims[c.name]
			md := p.in.Layer.Model(r.Model)
			if !ok || md == nil || md.Role != "dimension" || !isEndedState(canonPhrase(c.value)) && !p.statusNoun(ms) || p.endDimension(md) == "" {
				continue
			}
			if name := p.memberCount(md.Name); name != "" {
				return name, ms.pos
			}
		}
	}
	return "", 0
}

// statusNoun says a member slot is named by the noun of a status
// participle ("downgrades" for the status downgraded).
func (p *parser) statusNoun(ms slot) bool {
	m := p.mentionAt(ms.pos)
	if n := m.end - m.pos; n > 1 {
		// "no-shows": the plural of a status of several words.
		raw := p.toks[m.end-1].raw
		for _, c := range ms.cands {
			ws := words(strings.ToLower(c.value))
			if r, ok := p.v.dims[c.name]; ok && r.Dim != nil && isStatusDim(r.Dim) && len(ws) == n && pluralOf(raw, ws[n-1]) {
				return true
			}
		}
		return false
	}
	raw := p.toks[m.pos].raw
	for _, c := range ms.cands {
		v := strings.ToLower(c.value)
		if r, ok := p.v.dims[c.name]; ok && r.Dim != nil && strings.HasSuffix(v, "ed") && strings.HasSuffix(raw, "s") && raw != v && isStatusDim(r.Dim) {
			return true
		}
	}
	return false
}

// currencyDim says a target's dimension is a currency (its name says so).
func (p *parser) currencyDim(t target) bool {
	r, ok := p.v.dims[p.dimOf(t)]
	return ok && strings.Contains(strings.ToLower(r.Dim.Name), "currenc")
}

// codeLike says a dimension is a code or an identifier (a member's
// other name, the same rows), or a model's copy of another's key.
func codeLike(dim string) bool {
	return strings.Contains(dim, ".") || strings.HasSuffix(dim, "_code") || strings.HasSuffix(dim, "_id") || strings.HasSuffix(dim, "_key")
}

// coordinated says two member slots are one list: only list words
// between them ("SMB vs Enterprise", "US, Canada and Mexico").
func (p *parser) coordinated(a, b slot) bool {
	ma, mb := p.mentionAt(a.pos), p.mentionAt(b.pos)
	if mb.pos < ma.pos {
		ma, mb = mb, ma
	}
	if mb.pos <= ma.end {
		return false
	}
	for k := ma.end; k < mb.pos; k++ {
		if !coordWords[p.toks[k].raw] {
			return false
		}
	}
	return true
}

// documentsAlone says nothing else in the question makes the documents
// word at mention mi an amount: no other amount named ("payments vs
// invoices", "percent of invoices paid"), no unpaid words ("unpaid
// invoices"), no threshold after it ("invoices over 10000").
func (p *parser) documentsAlone(mi int) bool {
	for j, m := range p.mentions {
		if j == mi {
			continue
		}
		for _, t := range m.t {
			if x := p.in.Layer.Metric(t.name); t.kind == kMetric && x != nil && x.Format == "money" {
				return false
			}
		}
	}
	for _, h := range p.having {
		if h.pos > p.mentions[mi].pos {
			return false
		}
	}
	if p.agreeingVerb() {
		return false
	}
	for _, t := range p.toks {
		if unpaidPhrases[t.raw] != "" || t.raw == "open" {
			return false
		}
	}
	// "how much were invoices", "value of invoices": an amount.
	return !p.hasWord("much", "value", "worth", "amount", "amounts", "sum")
}

// overTime says every metric of the spec is of a fact with a date to
// read a series by (not the members of a dimension by their own date:
// the trend of a number of customers is not their signups by month).
func (p *parser) overTime(spec query.Spec) bool {
	var names []string
	for _, name := range spec.Metrics {
		if r := ratioNamed(spec, name); r != nil {
			// "average basket trend": the ratio's own numbers.
			if r.Periods != "" {
				return false
			}
			names = append(names, r.Numerator)
			if r.Denominator != "" {
				names = append(names, r.Denominator)
			}
			continue
		}
		names = append(names, name)
	}
	for _, name := range names {
		m := p.in.Layer.Metric(name)
		if m == nil {
			return false
		}
		if md := p.in.Layer.Model(m.Model); md == nil || md.TimeColumn == "" || md.Role != "fact" {
			return false
		}
	}
	return true
}

// ratioNamed is the spec's ratio called name, or nil.
func ratioNamed(spec query.Spec, name string) *query.Ratio {
	for i := range spec.Ratios {
		if spec.Ratios[i].Name == name {
			return &spec.Ratios[i]
		}
	}
	return nil
}

// massNouns name an amount in all, never one of a fact's rows.
var massNouns = set(`payroll inventory stock spend revenue`)

// pluralMember says a member slot's words are its member in the plural
// ("deposits" for Deposit, "card payments" for Card Payment).
func (p *parser) pluralMember(ms slot, c target) bool {
	m := p.mentionAt(ms.pos)
	if m.end <= m.pos {
		return false
	}
	raw := p.toks[m.end-1].raw
	ws := words(strings.ToLower(c.value))
	if len(ws) == 0 || len(ws) != m.end-m.pos {
		return false
	}
	return pluralOf(raw, ws[len(ws)-1])
}

// pluralOf says raw is word in the plural (deposits, taxes, categories).
func pluralOf(raw, word string) bool {
	return raw != word && (raw == word+"s" || raw == word+"es" || strings.HasSuffix(word, "y") && raw == word[:len(word)-1]+"ies")
}

// listWord is hasWord outside members: "no-shows" holds "show" but asks
// for no list.
func (p *parser) listWord(ws ...string) bool {
	inMember := map[int]bool{}
	for _, m := range p.mentions {
		if onlyMembers(m.t) && len(m.t) > 0 {
			for k := m.pos; k < m.end; k++ {
				inMember[k] = true
			}
		}
	}
	for i, t := range p.toks {
		if inMember[i] {
			continue
		}
		for _, w := range ws {
			if t.raw == w || t.canon == w {
				return true
			}
		}
	}
	return false
}

// averaged says a metric is an average already (a grade, a score).
func (p *parser) averaged(name string) bool {
	ms := p.simpleMeasure(name)
	return ms != nil && ms.Agg == semlayer.AggAverage
}

// simpleMeasure is the measure a simple metric reads, or nil.
func (p *parser) simpleMeasure(name string) *semlayer.Measure {
	m := p.in.Layer.Metric(name)
	if m == nil || m.Type != semlayer.MetricSimple {
		return nil
	}
	if md := p.in.Layer.Model(m.Model); md != nil {
		return md.Measure(m.Measure)
	}
	return nil
}

// hasStocks says some measure of a model is a stock (non-additive over
// time).
func hasStocks(m *semlayer.Model) bool {
	return slices.ContainsFunc(m.Measures, func(x *semlayer.Measure) bool { return x.NonAdditive != nil })
}

// countWithin reads "how many deals are in the pipeline": a count of a
// fact's rows beside a number of the same rows that the layer keeps by a
// filter (the pipeline: the open ones) is the count of those rows.
func (p *parser) countWithin(spec *query.Spec) {
	l := p.in.Layer
	if len(spec.Metrics) != 2 || len(spec.Ratios)+len(spec.Derived)+len(spec.Restricted)+len(spec.Priced) > 0 || !p.hasWord("many", "number") {
		return
	}
	c, f := l.Metric(spec.Metrics[0]), l.Metric(spec.Metrics[1])
	if c != nil && f != nil && c.Format != "count" && f.Format == "count" {
		c, f = f, c // ("open opportunities": the filter's word first)
	}
	if c == nil || f == nil || c.Type != semlayer.MetricSimple || c.Filter != "" || c.Format != "count" || f.Type != semlayer.MetricSimple || f.Filter == "" || !strings.EqualFold(c.Model, f.Model) {
		return
	}
	md := l.Model(c.Model)
	if md == nil || md.Role != "fact" || rowCountOf(l, md) != c.Name {
		return
	}
	r := query.Restricted{Name: c.Name + "_in_" + f.Name, Label: metricLabel(l, c.Name) + " in " + metricLabel(l, f.Name), Metric: c.Name, Where: f.Filter}
	spec.Restricted = append(spec.Restricted, r)
	spec.Metrics = []string{r.Name}
	for i := range spec.OrderBy {
		if spec.OrderBy[i].Key == c.Name || spec.OrderBy[i].Key == f.Name {
			spec.OrderBy[i].Key = r.Name
		}
	}
}

// hasMemberModel says the members a fact's distinct count counts have a
// model of their own (customers for the sales' customer_id): then the
// rows count only those with rows. Without one (a ticket order's
// customer_id and no customers table), the rows are all there is.
func (p *parser) hasMemberModel(fact *semlayer.Model, ms *semlayer.Measure) bool {
	for _, e := range fact.Entities {
		if e.Type != "foreign" {
			continue
		}
		ref := p.in.Layer.RefModel(e)
		if ref == nil {
			continue
		}
		if strings.EqualFold(e.Column, ms.Column) || strings.EqualFold(e.Name+"_count", ms.Name) || strings.EqualFold(singularWord(ref.Name)+"_count", ms.Name) {
			return true
		}
		for _, c := range append(e.CompositeKeys, semlayer.KeyPair{Fact: e.Column}) {
			if strings.EqualFold(c.Fact, ms.Column) {
				return true
			}
		}
	}
	// A natural key of a referenced dimension (customer_id of the
	// customers): its model's column of that name.
	for _, md := range p.in.Layer.Models {
		if md.Role == "dimension" && (md.Dimension(strings.ToLower(ms.Column)) != nil || strings.EqualFold(singularWord(md.Name)+"_count", ms.Name)) {
			return true
		}
	}
	return false
}

// eventCounts: every metric counts the rows of a fact dated by its own
// date ("new loans last quarter": the loans made in it — a row is new
// on the day it happens).
func (p *parser) eventCounts(names []string) bool {
	for _, name := range names {
		x := p.in.Layer.Metric(name)
		if x == nil || x.Format != "count" || x.Type != semlayer.MetricSimple || x.Filter != "" {
			return false
		}
		md := p.in.Layer.Model(x.Model)
		if md == nil || md.Role != "fact" || md.TimeColumn == "" || md.TimeVia != "" {
			return false
		}
		if ms := md.Measure(x.Measure); ms == nil || ms.Agg != semlayer.AggCount {
			return false
		}
	}
	return len(names) > 0
}

// accountColumn: a column that holds the lines of a ledger or a budget
// (account, gl_account, expense_type, cost_element): its members are
// kinds of money ("salaries", "rent").
func accountColumn(col string) bool {
	n := strings.ToLower(col)
	for _, w := range []string{"account", "gl_account", "account_name", "gl_account_name", "expense_type", "expense_category", "cost_type", "cost_element", "line_item", "pnl_line"} {
		if n == w {
			return true
		}
	}
	return false
}

// scenarioWords are members that name a version of the numbers (a
// scenario column's Budget, Actual, Forecast).
var scenarioWords = set(`budget budgets actual actuals forecast forecasts plan target`)
