package nlq

import (
	"fmt"
	"slices"
	"strings"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// countThroughFact reads a header's revenue (spend) grouped or filtered
// by what only its lines reach as its lines' amount (lineAmounts), and a
// count of a dimension's members ("number of
// donors", "how many patients") grouped or filtered by what only a fact
// relates them to ("donors by campaign", "patients Dr. Walsh saw",
// "students per course") as the members with rows in that fact: the
// fact's distinct count of them, over all its rows when no period is
// named (the count of the dimension's own members passed the
// period check before). It changes nothing when the dimension reaches every grouping
// and filter itself, or when no one fact's count does.
func (p *parser) countThroughFact(spec *query.Spec) {
	l := p.in.Layer
	used := usedDims(*spec)
	if len(used) == 0 {
		return
	}
	reachesAll := func(model string) bool {
		for _, u := range used {
			r, ok := p.v.dims[u]
			if !ok || !l.Reaches(model, r.Model) {
				return false
			}
		}
		return true
	}
	for i, name := range spec.Metrics {
		m := l.Metric(name)
		if m == nil || m.Type != semlayer.MetricSimple || m.Filter != "" {
			continue
		}
		if alts := p.v.lineAmounts[name]; len(alts) > 0 && !reachesAll(m.Model) {
			// A header's sales by an item's category: its lines'.
			var reach []string
			for _, a := range alts {
				if x := l.Metric(a); x != nil && reachesAll(x.Model) {
					reach = append(reach, a)
				}
			}
			if len(reach) == 1 {
				swapMetric(spec, i, reach[0])
			}
			continue
		}
		if m.Format != "count" {
			continue
		}
		dm := l.Model(m.Model)
		if dm == nil || dm.Role != "dimension" || reachesAll(dm.Name) {
			continue
		}
		if pe := dm.PrimaryEntity(); pe == nil {
			continue
		}
		bridged := false
		for _, o := range l.Models {
			// A dimension of both (an account's subscription to a plan):
			// the members' state, which a fact's rows over all time do
			// not say ("accounts by plan" is not those ever invoiced
			// for each plan).
			bridged = bridged || o != dm && o.Role == "dimension" && l.Reaches(o.Name, dm.Name) && reachesAll(o.Name)
		}
		if bridged || !p.countedHere(dm.Name) {
			continue
		}
		var found []string
		for _, x := range l.Metrics {
			fm := l.Model(x.Model)
			if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || fm == nil || fm.Role != "fact" || !reachesAll(fm.Name) {
				continue
			}
			ms := fm.Measure(x.Measure)
			if ms == nil || ms.Agg != semlayer.AggCountDistinct {
				continue
			}
			// The fact's count of the same members: named alike, and
			// the fact references the dimension.
			for _, e := range fm.Entities {
				if e.Type == "foreign" && l.RefModel(e) == dm && strings.EqualFold(metricLabel(l, x.Name), metricLabel(l, name)) {
					found = append(found, x.Name)
					break
				}
			}
		}
		if len(found) == 1 {
			swapMetric(spec, i, found[0])
		}
	}
}

// swapMetric puts metric to in the place of the spec's i-th metric, and
// in its order and thresholds (copies: the spec's slices are shared with
// the other readings tried).
func swapMetric(spec *query.Spec, i int, to string) {
	from := spec.Metrics[i]
	spec.Metrics = slices.Clone(spec.Metrics)
	spec.Metrics[i] = to
	spec.OrderBy = slices.Clone(spec.OrderBy)
	for j := range spec.OrderBy {
		if spec.OrderBy[j].Key == from {
			spec.OrderBy[j].Key = to
		}
	}
	spec.Having = slices.Clone(spec.Having)
	for j := range spec.Having {
		if spec.Having[j].Metric == from {
			spec.Having[j].Metric = to
		}
	}
}

// factNounQualifiers drops a fact's noun that only qualifies the number
// named right after it ("visit duration", "bill amount", "check
// total"): the noun's readings are all that fact's numbers, and the next
// mention is one of them.
func (p *parser) factNounQualifiers() {
	l := p.in.Layer
	var kept []mention
	for i, m := range p.mentions {
		if model := p.factNoun(m); model != "" && i+1 < len(p.mentions) && p.mentions[i+1].pos == m.end {
			next := p.mentions[i+1]
			if len(next.t) == 1 && next.t[0].kind == kMetric {
				if x := l.Metric(next.t[0].name); x != nil && strings.EqualFold(x.Model, model) && slices.ContainsFunc(m.t, func(t target) bool { return t.name == x.Name }) {
					continue
				}
			}
		}
		if p.quantityQualifier(m, i) || p.boughtObject(m, kept) || p.ownerQualifier(m, i) {
			continue
		}
		if i+1 < len(p.mentions) && p.mentions[i+1].pos == m.end && len(m.t) == 1 && len(p.mentions[i+1].t) == 1 && m.t[0].kind == kMetric && p.mentions[i+1].t[0].kind == kMetric {
			// "claims amount", "bookings revenue": the rows' noun, counted,
			// before a number of the same fact only says whose number it
			// is.
			x, y := l.Metric(m.t[0].name), l.Metric(p.mentions[i+1].t[0].name)
			if x != nil && y != nil && x.Format == "count" && y.Format != "count" && x.Model != "" && strings.EqualFold(x.Model, y.Model) && p.toks[m.end-1].raw != p.toks[m.end-1].canon {
				continue
			}
		}
		if model := p.factNounOrRows(m); model != "" && m.pos > 0 && averageWords[p.toks[m.pos-1].raw] && (i+1 == len(p.mentions) || p.mentions[i+1].pos != m.end || !slices.ContainsFunc(p.mentions[i+1].t, func(t target) bool { return t.kind == kMetric })) {
			// "average bill", "average check": the fact's revenue (its
			// spend) per row.
			found := false
			for _, c := range []string{"revenue", "spend"} {
				if x := l.Metric(p.v.concepts[c]); x != nil && strings.EqualFold(x.Model, model) && slices.ContainsFunc(m.t, func(t target) bool { return t.name == x.Name }) {
					m.t = []target{{kind: kMetric, name: x.Name, prio: 2}}
					found = true
					break
				}
			}
			// "average loan", "average deal": else the fact's one amount
			// (its principal).
			if md := l.Model(model); !found && md != nil && len(moneySums(md)) == 1 {
				for _, x := range l.Metrics {
					if !x.Hidden && strings.EqualFold(x.Model, md.Name) && x.Format == "money" && x.Type == semlayer.MetricSimple && x.Filter == "" && x.Rows == "" && x.Measure == moneySums(md)[0] {
						m.t = []target{{kind: kMetric, name: x.Name, prio: 2}}
						break
					}
				}
			}
		}
		kept = append(kept, m)
	}
	p.mentions = kept
}

// factNameQualifiers reads a word of a fact's name that the vocabulary
// does not know, right before a number of that fact, as saying whose
// number it is ("membership revenue" of membership_charges, "rental
// income" of rental_payments).
func (p *parser) factNameQualifiers() {
	for _, m := range p.mentions {
		i := m.pos - 1
		if i < 0 || p.toks[i].used || stopWords[p.toks[i].raw] || len(m.t) == 0 {
			continue
		}
		md := p.in.Layer.Model(p.metricsModel(m))
		if md == nil || md.Role != "fact" {
			continue
		}
		if ws := strings.Fields(canonPhrase(spaced(md.Name))); len(ws) > 1 && slices.Contains(ws[:len(ws)-1], p.toks[i].canon) {
			p.use(i, 1, "qualifier")
		}
	}
}

// boughtObject: what was bought, after a count of who bought it from the
// same fact ("how many customers bought tickets": the customers, not
// also the tickets).
func (p *parser) boughtObject(m mention, before []mention) bool {
	l := p.in.Layer
	k := m.pos - 1
	for k >= 0 && k >= m.pos-3 && p.toks[k].used && !slices.Contains(shopVerbs, p.toks[k].raw) {
		k-- // ("bought jazz tickets": over the members named)
	}
	if k < 0 || !slices.Contains(shopVerbs, p.toks[k].raw) {
		return false
	}
	model := p.metricsModel(m)
	if model == "" {
		return false
	}
	for _, b := range before {
		for _, t := range b.t {
			x := l.Metric(t.name)
			if t.kind == kMetric && x != nil && x.Format == "count" && strings.EqualFold(x.Model, model) {
				if ms := l.Model(model).Measure(x.Measure); ms != nil && ms.Agg == semlayer.AggCountDistinct {
					return true
				}
			}
		}
	}
	return false
}

// ownerQualifier: a model's word right before a number of that model's
// own members says whose number it is ("project budget" of the projects'
// budget, "total project budget by client"), not a grouping by them.
func (p *parser) ownerQualifier(m mention, i int) bool {
	if i+1 >= len(p.mentions) || p.mentions[i+1].pos != m.end || len(p.mentions[i+1].t) != 1 || p.mentions[i+1].t[0].kind != kMetric {
		return false
	}
	x := p.in.Layer.Metric(p.mentions[i+1].t[0].name)
	if x == nil || x.Model == "" || x.Format == "count" {
		return false
	}
	md := p.in.Layer.Model(x.Model)
	return md != nil && md.Role == "dimension" && slices.ContainsFunc(m.t, func(t target) bool { return t.kind == kEntity && strings.EqualFold(t.name, md.Name) })
}

// quantityQualifier: a quantity's noun in the singular right before an
// amount of the same fact says what the amount is for ("ticket revenue",
// "license revenue"), every reading of the word being that fact's.
func (p *parser) quantityQualifier(m mention, i int) bool {
	l := p.in.Layer
	if i+1 >= len(p.mentions) || p.mentions[i+1].pos != m.end || m.end != m.pos+1 || len(p.mentions[i+1].t) != 1 || p.mentions[i+1].t[0].kind != kMetric {
		return false
	}
	y := l.Metric(p.mentions[i+1].t[0].name)
	if y == nil || y.Format != "money" || y.Model == "" {
		return false
	}
	if !strings.EqualFold(p.metricsModel(m), y.Model) {
		return false
	}
	return slices.ContainsFunc(m.t, func(t target) bool {
		x := l.Metric(t.name)
		return x.Format != "count" && x.Format != "money" && pluralOf(strings.ToLower(x.Name), p.toks[m.pos].raw)
	})
}

// averageWords ask for an average.
var averageWords = map[string]bool{"average": true, "avg": true, "mean": true}

// factNounOrRows is factNoun, or the fact whose rows the mention's one
// reading counts ("deal" for the opportunities' count).
func (p *parser) factNounOrRows(m mention) string {
	if model := p.factNoun(m); model != "" {
		return model
	}
	if len(m.t) != 1 || m.t[0].kind != kMetric || m.end != m.pos+1 || p.toks[m.pos].raw == "number" {
		// (a noun of one word: "average deal", not "average number of
		// invoices")
		return ""
	}
	x := p.in.Layer.Metric(m.t[0].name)
	if x == nil || x.Type != semlayer.MetricSimple || x.Filter != "" || x.Format != "count" {
		return ""
	}
	md := p.in.Layer.Model(x.Model)
	if md == nil || md.Role != "fact" {
		return ""
	}
	if ms := md.Measure(x.Measure); ms == nil || ms.Agg != semlayer.AggCount {
		return ""
	}
	return md.Name
}

// factNoun is the fact whose numbers are all a mention's several
// readings (its noun: "bill", "visit"), or "".
func (p *parser) factNoun(m mention) string {
	if len(m.t) < 2 {
		return ""
	}
	return p.metricsModel(m)
}

// metricsModel is the model whose metrics all a mention's readings are,
// or "" (no reading, or one that is no metric of it).
func (p *parser) metricsModel(m mention) string {
	model := ""
	for _, t := range m.t {
		x := p.in.Layer.Metric(t.name)
		if t.kind != kMetric || x == nil || model != "" && !strings.EqualFold(model, x.Model) {
			return ""
		}
		model = x.Model
	}
	return model
}

// membersWithDates reads members whose names carry a year or a date
// ("Fall 2025", "FY25 Budget", the billing month "2025-03") before the
// time phrases do: "2025" is then the member's, not a period. A member
// of one token ("2025-03") is read so only right after its dimension's
// name ("billing month 2025-03").
func (p *parser) membersWithDates() {
	for i := 0; i < len(p.toks); i++ {
		for n := min(p.v.maxLen, len(p.toks)-i); n >= 1; n-- {
			var cs []string
			digit := false
			for k := i; k < i+n && !p.toks[k].used; k++ {
				cs = append(cs, p.toks[k].canon)
				digit = digit || strings.ContainsAny(p.toks[k].raw, "0123456789")
			}
			if len(cs) < n || !digit {
				continue
			}
			ts := p.v.phrases[strings.Join(cs, " ")]
			if !slices.ContainsFunc(ts, func(t target) bool { return t.kind == kMember }) {
				continue
			}
			var raw []string
			for _, t := range p.toks[i : i+n] {
				raw = append(raw, t.raw)
			}
			_, isTime := p.resolve(strings.Join(raw, " "))
			var ms []target
			for _, t := range ts {
				// (a member that is itself a period — a periods table's
				// "Nov 2025" — is read as the period, unless its
				// dimension is named: "billing month 2025-03")
				if t.kind == kMember && (n > 1 && !isTime || p.dimNamedBefore(i, t.name)) {
					ms = append(ms, t)
				}
			}
			if len(ms) == 0 {
				continue
			}
			p.mentions = append(p.mentions, mention{pos: i, end: i + n, t: ms})
			p.use(i, n, "vocab")
			i += n - 1
			break
		}
	}
}

// dimNamedBefore says the words right before token i name dimension dim.
func (p *parser) dimNamedBefore(i int, dim string) bool {
	for k := max(0, i-3); k < i; k++ {
		var cs []string
		for _, t := range p.toks[k:i] {
			cs = append(cs, t.canon)
		}
		for _, t := range p.v.phrases[strings.Join(cs, " ")] {
			if t.kind == kDim && t.name == dim {
				return true
			}
		}
	}
	return false
}

// countWords ask how many.
var countWords = map[string]bool{"many": true, "number": true, "most": true, "fewest": true, "least": true, "count": true, "distinct": true, "unique": true}

// countedHere says the question counts the members of model dm: a word
// naming them right after a count word ("how many different products",
// "the most Gold customers", "number of donors") or before "count", or
// opening the question ("students per course"). A count of them picked
// otherwise ("which store had the most new customers" read as stores)
// is not rescued by a fact's count.
func (p *parser) countedHere(dm string) bool {
	names := func(t *token) bool {
		for _, x := range p.v.phrases[t.canon] {
			if x.kind == kEntity && strings.EqualFold(x.name, dm) {
				return true
			}
			if m := p.in.Layer.Metric(x.name); x.kind == kMetric && m != nil && m.Format == "count" && strings.EqualFold(m.Model, dm) {
				return true
			}
		}
		return false
	}
	for i, t := range p.toks {
		if !names(t) {
			continue
		}
		for k := i - 1; k >= max(0, i-3); k-- {
			if countWords[p.toks[k].raw] {
				return true
			}
		}
		if i+1 < len(p.toks) && p.toks[i+1].raw == "count" || i == 0 && len(p.toks) > 1 && (p.toks[1].raw == "per" || p.toks[1].raw == "by") {
			return true
		}
	}
	return false
}

// rolePlayed is why a spec cannot be answered when it groups or filters
// by a model that a metric's fact references more than one way (a
// flight's origin and destination airport): which of them the question
// means is not said, and the compiler would take the first ("flights to
// Toronto" read as from it). "" when none is.
func (p *parser) rolePlayed(spec query.Spec) string {
	l := p.in.Layer
	used := usedDims(spec)
	for _, name := range spec.Metrics {
		m := l.Metric(name)
		if m == nil || m.Model == "" {
			continue
		}
		fm := l.Model(m.Model)
		if fm == nil {
			continue
		}
		for _, u := range used {
			r, ok := p.v.dims[u]
			if !ok || strings.EqualFold(r.Model, fm.Name) {
				continue
			}
			var ways []string
			for _, e := range fm.Entities {
				if ref := l.RefModel(e); e.Type == "foreign" && ref != nil && strings.EqualFold(ref.Name, r.Model) {
					ways = append(ways, strings.ReplaceAll(e.Name, "_", " "))
				}
			}
			if len(ways) > 1 {
				return fmt.Sprintf("%s reach %s %d ways (%s): say which, e.g. by %s", fm.Name, r.Model, len(ways), strings.Join(ways, ", "), ways[0])
			}
		}
	}
	return ""
}

// entryVerbs are statuses that are also what a member of a dimension
// does to become a row of the fact: "candidates applied", "students
// enrolled", "customers ordered".
var entryVerbs = set(`applied enrolled registered submitted booked ordered placed signed joined`)

// entryVerbReadings drops the status reading of an entry verb right
// after a dimension's members ("how many candidates applied in 2025":
// those with applications, not those still at the stage Applied). The
// fact's own rows keep it ("bookings cancelled").
func (p *parser) entryVerbReadings() {
	var kept []mention
	for i, m := range p.mentions {
		if i > 0 && m.end == m.pos+1 && entryVerbs[p.toks[m.pos].raw] && p.mentions[i-1].end == m.pos && slices.ContainsFunc(m.t, func(t target) bool { return t.kind == kMember }) {
			prev := p.mentions[i-1]
			dimension := false
			for _, t := range prev.t {
				md := p.in.Layer.Model(t.name)
				if x := p.in.Layer.Metric(t.name); t.kind == kMetric && x != nil && x.Format == "count" {
					md = p.in.Layer.Model(x.Model)
					if x.Type == semlayer.MetricSimple && md != nil && md.Role == "fact" {
						if ms := md.Measure(x.Measure); ms != nil && ms.Agg == semlayer.AggCountDistinct {
							dimension = true // the fact's count of a dimension's members
						}
					}
				}
				dimension = dimension || (t.kind == kEntity || t.kind == kMetric) && md != nil && md.Role == "dimension"
			}
			if dimension {
				var rest []target
				for _, t := range m.t {
					if t.kind != kMember {
						rest = append(rest, t)
					}
				}
				if len(rest) == 0 {
					p.toks[m.pos].role = "filler"
					continue
				}
				m.t = rest
			}
		}
		kept = append(kept, m)
	}
	p.mentions = kept
}

// usedDims are the dimensions a spec groups or filters by.
func usedDims(spec query.Spec) []string {
	var used []string
	for _, g := range spec.GroupBy {
		if g.Dimension != "" {
			used = append(used, g.Dimension)
		}
	}
	for _, f := range spec.Filters {
		used = append(used, f.Dimension)
	}
	return used
}

// scenarioMix is why a spec cannot be answered when it adds up a fact's
// amounts across scenarios (a budget and the actuals in one table, told
// apart by a scenario column): which one is asked is not said, and their
// sum means nothing. "" when the scenario is filtered or grouped by, or
// the fact has none.
func (p *parser) scenarioMix(spec query.Spec) string {
	l := p.in.Layer
	used := usedDims(spec)
	for _, name := range spec.Metrics {
		m := l.Metric(name)
		if m == nil || m.Type != semlayer.MetricSimple || m.Filter != "" {
			continue
		}
		md := l.Model(m.Model)
		if md == nil || md.Role != "fact" || md.ScenarioColumn == "" {
			continue
		}
		for ref, r := range p.v.dims {
			if !strings.EqualFold(r.Model, md.Name) || !strings.EqualFold(r.Dim.Column, md.ScenarioColumn) || slices.Contains(used, ref) {
				continue
			}
			var versions []string
			for _, v := range p.in.Members[ref] {
				if semlayer.IsScenarioValue(v) {
					versions = append(versions, v)
				}
			}
			if len(versions) < 2 {
				versions = []string{"Budget", "Actual"}
			}
			return fmt.Sprintf("%s holds %s: say which (e.g. \"%s …\"), or group by %s", md.Name, strings.Join(versions, " and "), strings.ToLower(versions[0]), strings.ReplaceAll(r.Dim.Name, "_", " "))
		}
	}
	return ""
}
