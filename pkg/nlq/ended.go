package nlq

import (
	"fmt"
	"slices"
	"strings"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// endedStates are the member values that say a member has ended, one
// state under several words: a status "cancelled" is what "churned"
// subscriptions are.
var endedStates = []string{"cancelled", "canceled", "churned", "terminated", "lapsed", "cancellations", "cancelations", "churn"}

// endedWords are the words that say members ended (in a period).
// A subscription upgraded or downgraded ended too, replaced by another:
// "upgraded in FY2026" is read by the day it ended.
var endedWords = []string{"cancelled", "canceled", "churned", "ended", "terminated", "expired", "closed", "lost", "lose", "losing", "cancel", "churn", "lapsed", "cancellation", "cancellations", "cancelation", "cancelations", "upgraded", "downgraded", "upgrades", "downgrades", "termination", "terminations", "expirations", "resigned", "resignations"}

// lossWords say members were lost: churned, the ended state, not
// replaced as an upgraded subscription is ("subscriptions we lost").
var lossWords = []string{"lost", "lose", "losing", "loses"}

// endedSynonyms adds the other words of endedStates (and lossWords) for
// a member that is one of them.
func (v *vocab) endedSynonyms() {
	for _, m := range v.members {
		if !isEndedState(m.canon) {
			continue
		}
		for _, w := range append(append([]string{}, endedStates...), lossWords...) {
			c := canonPhrase(w)
			if c == m.canon {
				continue
			}
			v.add(c, target{kind: kMember, name: m.dim, value: m.value, prio: 2})
		}
	}
}

// currentWords say members have not ended (yet).
var currentWords = map[string]bool{"active": true, "current": true, "live": true, "existing": true, "remaining": true, "ongoing": true}

// activeMembers reads "active members" where members have an end date and
// no status says active: those with no end, or one after the as-of
// date. It marks the word and remembers the model.
func (p *parser) activeMembers() {
	for i, t := range p.toks {
		if t.used || !currentWords[t.raw] {
			continue
		}
		for _, m := range p.mentions {
			if m.pos != i+1 {
				continue
			}
			for _, x := range m.t {
				md := p.readingModel(x)
				if md == nil || md.Role != "dimension" || p.endDimension(md) == "" || p.activeModel != "" {
					continue
				}
				p.activeModel = md.Name
				p.use(i, 1, "active")
			}
		}
	}
}

// metricsWords names the numbers of a spec for a reason.
func (p *parser) metricsWords(names []string) string {
	var out []string
	for _, n := range names {
		out = append(out, metricLabel(p.in.Layer, n))
	}
	if len(out) == 0 {
		return "the numbers asked"
	}
	return strings.Join(out, " and ")
}

// membersEnd says some dimension's members end (an end or cancel date).
func (p *parser) membersEnd() bool {
	return slices.ContainsFunc(p.in.Layer.Models, func(md *semlayer.Model) bool { return md.Role == "dimension" && p.endDimension(md) != "" })
}

// readingModel is the model whose members a reading names: an entity's,
// or the one a count of members counts; nil for other readings.
func (p *parser) readingModel(x target) *semlayer.Model {
	switch x.kind {
	case kEntity:
		return p.in.Layer.Model(x.name)
	case kMetric:
		return p.countedModel(x.name)
	}
	return nil
}

// keepActive keeps the members of the active model that have not ended
// at the as-of date.
func (p *parser) keepActive(spec *query.Spec) {
	md := p.in.Layer.Model(p.activeModel)
	if md == nil {
		return
	}
	end := p.endDimension(md)
	asOf := p.in.AsOf.Format("2006-01-02")
	cond := fmt.Sprintf("(%s IS NULL OR %s > DATE '%s')", end, end, asOf)
	if spec.Where != "" {
		cond = spec.Where + " AND " + cond
	}
	spec.Where = cond
	p.endedText = fmt.Sprintf("active (no %s, or one after %s)", strings.ReplaceAll(end, "_", " "), p.in.AsOf.Format("2 Jan 2006"))
}

// liveWords are other words for a status member "active".
var liveWords = []string{"live", "ongoing", "running"}

// liveSynonyms adds liveWords for a member that is "active".
func (v *vocab) liveSynonyms() {
	for _, m := range v.members {
		if m.canon != "active" {
			continue
		}
		for _, w := range liveWords {
			if len(v.phrases[w]) == 0 {
				v.add(w, target{kind: kMember, name: m.dim, value: m.value, prio: 2})
			}
		}
	}
}

// outcomeAt says the word at k was read as a stage's outcome ("lost"
// for Closed Lost) or as a kind of a fact's own rows ("churned" for an
// MRR movement of type Churn): no member ended there.
func (p *parser) outcomeAt(k int) bool {
	for _, m := range p.mentions {
		if m.pos <= k && k < m.end && len(m.t) > 0 && !slices.ContainsFunc(m.t, func(t target) bool {
			if t.kind != kMember {
				return true
			}
			if isStageValue(t.value) {
				return false
			}
			r, ok := p.v.dims[t.name]
			md := p.in.Layer.Model(r.Model)
			return !ok || md == nil || md.Role != "fact" || isStatusDim(r.Dim)
		}) {
			return true
		}
	}
	return false
}

// isStageValue: a stage's outcome ("Closed Won", "Lost").
func isStageValue(v string) bool {
	ws := strings.Fields(strings.ToLower(v))
	return len(ws) > 0 && (ws[len(ws)-1] == "won" || ws[len(ws)-1] == "lost")
}

// outcomeWords add the verbs of a stage's outcome: "won", "win", "wins"
// for a member "Closed Won" of a stage or status column, "lost", "lose"
// for "Closed Lost" ("deals won in 2025", "how many deals did Nina
// win"), where nothing else is called so.
func (v *vocab) outcomeWords() {
	words := map[string][]string{"won": {"won", "win", "wins"}, "lost": {"lost", "lose", "losses"}}
	for _, m := range v.members {
		r, ok := v.dims[m.dim]
		if !ok || r.Dim == nil || !strings.Contains(strings.ToLower(r.Dim.Name), "stage") && !isStatusDim(r.Dim) || len(m.toks) == 0 {
			continue
		}
		for _, w := range words[m.toks[len(m.toks)-1]] {
			cw := canonPhrase(w)
			if slices.ContainsFunc(v.phrases[cw], func(t target) bool { return t.kind == kMember || t.kind == kDim || t.kind == kEntity }) {
				continue
			}
			// (the word alone is the outcome, not the first word of a
			// number's name: "won" of "won amount", "win" of "win rate")
			v.phrases[cw] = slices.DeleteFunc(v.phrases[cw], func(t target) bool { return t.kind == kMetric })
			v.add(w, target{kind: kMember, name: m.dim, value: m.value, prio: 3})
		}
	}
}

// statusNouns adds the noun of a status member that is a participle:
// "upgrades" and "downgrades" are the subscriptions upgraded and
// downgraded ("downgrades last quarter", "upgrades by plan").
func (v *vocab) statusNouns() {
	for _, m := range v.members {
		r, ok := v.dims[m.dim]
		if !ok || r.Dim == nil || !isStatusDim(r.Dim) {
			continue
		}
		if n := len(m.toks); n > 1 && !strings.HasSuffix(m.toks[n-1], "s") {
			// "no-shows": the rows with status No-show.
			w := strings.Join(m.toks[:n-1], " ") + " " + m.toks[n-1] + "s"
			if len(v.phrases[canonPhrase(w)]) == 0 {
				v.add(w, target{kind: kMember, name: m.dim, value: m.value, prio: 2})
			}
		}
		if len(m.toks) != 1 {
			continue
		}
		var nouns []string
		if strings.HasSuffix(m.canon, "ed") && len(m.canon) >= 5 {
			// "cancellations" aside: "hires" for Hired.
			nouns = append(nouns, m.canon[:len(m.canon)-1]+"s", m.canon[:len(m.canon)-2]+"s")
		}
		if base, ok := strings.CutSuffix(m.plain, "ated"); ok && len(base) >= 3 {
			// "terminations", "activations": the members terminated,
			// activated.
			nouns = append(nouns, base+"ation", base+"ations")
		}
		for _, w := range nouns {
			if len(v.phrases[canonPhrase(w)]) == 0 {
				v.add(w, target{kind: kMember, name: m.dim, value: m.value, prio: 2})
			}
		}
	}
}

// isStatusDim says a dimension is a status (or state) of its members.
func isStatusDim(d *semlayer.Dimension) bool {
	n := strings.ToLower(d.Name)
	return strings.Contains(n, "status") || strings.Contains(n, "state") || strings.Contains(n, "stage")
}

func isEndedState(canon string) bool {
	for _, w := range endedStates {
		if canonPhrase(w) == canon {
			return true
		}
	}
	return false
}

// endDimension is the public name of a model's time dimension that
// dates the end of its members (end_date, cancelled_at, churn_date), if
// it has exactly one besides the model's own time column.
func (p *parser) endDimension(md *semlayer.Model) string {
	var found []string
	for name, r := range p.v.dims {
		if !strings.EqualFold(r.Model, md.Name) || r.Dim.Type != "time" || strings.EqualFold(r.Dim.Column, md.TimeColumn) {
			continue
		}
		n := strings.ToLower(r.Dim.Name)
		for _, w := range []string{"end", "cancel", "churn", "termin", "close", "expir"} {
			if strings.Contains(n, w) {
				found = append(found, name)
				break
			}
		}
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

// ended reads members that ended: a metric whose own filter keeps only
// the members that have not ended ("MRR": the current subscriptions)
// cannot be asked of ended ones; members counted in a period by the day
// they ended ("subscriptions cancelled in FY2026", "churned subscriptions
// by segment in FY2025") are read by the model's end date, not by the day
// they began. It returns why not when the question cannot be answered.
func (p *parser) ended(spec *query.Spec, grains []semlayer.Grain) string {
	if !p.hasWord(endedWords...) {
		return ""
	}
	// A word of ending that nothing read ("how many memberships were
	// cancelled" over membership charges): the numbers asked must be of
	// members that end, else the word is not understood.
	for _, t := range p.toks {
		if t.used || !isEndedWord(t.raw) || fillers[t.raw] {
			continue
		}
		ends := false
		for _, name := range spec.Metrics {
			ends = ends || p.metricEnds(name)
		}
		if !ends {
			return fmt.Sprintf("%q: %s do not end, %s do", t.raw, p.metricsWords(spec.Metrics), p.endingModels())
		}
	}
	// "how many accounts churned": members of a model that has no end of
	// its own (the subscriptions end, not the accounts) are not counted by
	// another model's status.
	for k, t := range p.toks {
		if !isEndedWord(t.raw) && !isEndedState(t.canon) {
			continue
		}
		for _, m := range p.mentions {
			if m.end != k && m.pos != k+1 {
				continue
			}
			for _, x := range m.t {
				md := p.readingModel(x)
				if md == nil || md.Role != "dimension" || p.endDimension(md) != "" || p.ownStatus(md, t.canon) {
					continue
				}
				if p.membersEnd() {
					return fmt.Sprintf("%s have no end of their own: ask for the members that ended (e.g. cancelled subscriptions)", strings.ReplaceAll(md.Name, "_", " "))
				}
			}
		}
	}
	// "how many customers did we lose in FY2026": the number counts
	// members that have no end of their own, wherever the word stands.
	for _, name := range spec.Metrics {
		md := p.countedModel(name)
		if md == nil || md.Role != "dimension" || p.endDimension(md) != "" {
			continue
		}
		for _, f := range spec.Filters {
			for _, v := range f.Values {
				if isEndedState(canonPhrase(v)) {
					md = nil // "accounts with cancelled subscriptions": the status says which
				}
			}
		}
		for _, t := range p.toks {
			if md != nil && (isEndedWord(t.raw) || isEndedState(t.canon)) && p.ownStatus(md, t.canon) {
				md = nil // "cancelled orders": the orders' own status says which
			}
		}
		if md != nil {
			return fmt.Sprintf("%s have no end of their own: ask for the members that ended (e.g. cancelled subscriptions)", strings.ReplaceAll(md.Name, "_", " "))
		}
	}
	// "revenue lost to churn", "churned revenue": what members that
	// ended would have brought is not recorded; a fact's amount is what
	// they did bring. A word of loss anywhere, or an ended word next to
	// the number, asks for the former.
	for k, t := range p.toks {
		loss := slices.Contains(lossWords, t.raw)
		if !loss && !isEndedWord(t.raw) && !isEndedState(t.canon) || p.outcomeAt(k) {
			continue
		}
		for _, m := range p.mentions {
			if !loss && m.end != k && m.pos != k+1 {
				continue
			}
			metric, ends := "", false
			for _, x := range m.t {
				if x.kind == kMetric {
					metric = x.name
					ends = ends || p.metricEnds(x.name)
				}
			}
			if mm := p.in.Layer.Metric(metric); metric != "" && !loss && mm != nil && p.in.Layer.Model(mm.Model) != nil && p.ownStatus(p.in.Layer.Model(mm.Model), t.canon) {
				// "cancelled orders" where orders have that status of
				// their own: the member filter says which.
				continue
			}
			if metric != "" && !ends {
				if !loss && (p.in.Layer.Metric(metric) == nil || p.in.Layer.Metric(metric).Format == "count" || m.end-m.pos == 1 && p.documentWord(p.toks[m.pos])) {
					// "cancelled invoices": the rows of a fact do not end.
					return fmt.Sprintf("%q: %s do not end, %s do (ask for the %s of %s %s)", p.text(mention{pos: min(k, m.pos), end: max(k+1, m.end)}), p.text(m), p.endingModels(), p.text(m), t.raw, p.endingModels())
				}
				return fmt.Sprintf("%s lost to members that ended is not recorded, only what they brought: ask for the %s from them, or for an amount the ended members carry themselves", p.label(metric), p.label(metric))
			}
		}
	}
	for _, name := range spec.Metrics {
		m := p.in.Layer.Metric(name)
		if r, ok := p.restricted[name]; ok {
			m = p.in.Layer.Metric(r.Metric)
		}
		if m == nil || m.Filter == "" {
			continue
		}
		if md := p.in.Layer.Model(m.Model); md != nil {
			if end := p.endDimension(md); end != "" && strings.Contains(strings.ToLower(m.Filter), strings.ToLower(p.v.dims[end].Dim.Column)) {
				if all := p.allMembersTwin(m); all != nil && len(spec.Metrics) == 1 && len(spec.Ratios)+len(spec.Derived)+len(spec.Restricted) == 0 {
					// "MRR lost to cancellations", "churned MRR": the
					// ended members' amount.
					spec.Metrics[0] = all.Name
					if spec.OrderBy != nil && spec.OrderBy[0].Key == name {
						spec.OrderBy[0].Key = all.Name
					}
					for h := range spec.Having {
						if spec.Having[h].Metric == name {
							spec.Having[h].Metric = all.Name
						}
					}
					continue
				}
				return fmt.Sprintf("%s counts only the %s that have not ended (%s): it has no value for those that ended", metricLabel(p.in.Layer, name), strings.ReplaceAll(md.Name, "_", " "), m.Filter)
			}
		}
	}
	if spec.Time == nil {
		p.groupByEnd(spec)
		// "ended subscriptions by plan", "expired subscriptions": with
		// no status member read from the word and no period, the members
		// that have an end (it counted all of them).
		filler := false
		for _, t := range p.toks {
			filler = filler || !t.used && isEndedWord(t.raw)
		}
		if !filler || len(spec.Metrics) != 1 {
			return ""
		}
		m := p.in.Layer.Metric(spec.Metrics[0])
		if m == nil {
			return ""
		}
		if x := p.endedCount(m); x != nil {
			m = x
			spec.Metrics[0] = x.Name
		}
		md := p.in.Layer.Model(m.Model)
		end := ""
		if md != nil && md.Role == "dimension" {
			end = p.endDimension(md)
		}
		if end == "" {
			return fmt.Sprintf("%s: which have ended is not known here", p.label(m.Name))
		}
		p.keepEnded(spec, end)
		return ""
	}
	for i, name := range spec.Metrics {
		m := p.in.Layer.Metric(name)
		if m == nil {
			continue
		}
		if x := p.endedCount(m); x != nil {
			// "how many subscriptions were cancelled in FY2026": the
			// subscriptions themselves, not those a fact's rows of the
			// period reference.
			m, name = x, x.Name
			spec.Metrics[i] = name
		}
		md := p.in.Layer.Model(m.Model)
		if md == nil || md.Role != "dimension" || md.TimeColumn == "" {
			continue
		}
		end := p.endDimension(md)
		if end == "" || len(spec.Metrics) != 1 || m.Format != "count" && (m.Type != semlayer.MetricSimple || m.Filter != "") || spec.Compare != "" || len(spec.Ratios)+len(spec.Derived)+len(spec.Restricted) > 0 {
			return fmt.Sprintf("%s are dated by %s; the day they ended is not a period the question can read", md.Name, md.TimeColumn)
		}
		reads := p.periodReads()
		if reads == "start" {
			// "subscriptions started in FY2025 that were cancelled": the
			// period is their beginning; the word says only that they
			// ended (at any date).
			if !p.endedNamed() {
				p.keepEnded(spec, end)
			}
			return ""
		}
		if why := p.future(*spec); why != "" {
			return why
		}
		rng := *spec.Time
		cond := fmt.Sprintf("%s >= DATE '%s' AND %s < DATE '%s'", end, rng.From.Format("2006-01-02"), end, rng.To.Format("2006-01-02"))
		if reads == "both" {
			// "subscriptions that started and ended in FY2025".
			start := ""
			for name, r := range p.v.dims {
				if strings.EqualFold(r.Model, md.Name) && r.Dim.Type == "time" && strings.EqualFold(r.Dim.Column, md.TimeColumn) && !strings.Contains(name, ".") {
					start = name
				}
			}
			if start == "" {
				return fmt.Sprintf("%s has no date of its beginning to read the period from", strings.ReplaceAll(md.Name, "_", " "))
			}
			cond = fmt.Sprintf("%s >= DATE '%s' AND %s < DATE '%s' AND %s", start, rng.From.Format("2006-01-02"), start, rng.To.Format("2006-01-02"), cond)
		}
		if spec.Where != "" {
			cond = spec.Where + " AND " + cond
		}
		spec.Where = cond
		spec.Time = nil
		for g := range spec.GroupBy {
			// "churned subscriptions by month": by the month they ended.
			if spec.GroupBy[g].Grain != "" && spec.GroupBy[g].Dimension == "" {
				spec.GroupBy[g].Dimension = end
			}
		}
		which := "ended (" + strings.ReplaceAll(end, "_", " ") + ")"
		if reads == "both" {
			which = "started and ended (" + strings.ReplaceAll(md.TimeColumn, "_", " ") + " and " + strings.ReplaceAll(end, "_", " ") + ")"
		}
		p.endedText = fmt.Sprintf("%s in %s (%s – %s)", which, rng.Label, rng.From.Format("2 Jan 2006"), rng.To.AddDate(0, 0, -1).Format("2 Jan 2006"))
		return ""
	}
	return ""
}

// keepEnded keeps the members that have an end date (end), said in the
// interpretation.
func (p *parser) keepEnded(spec *query.Spec, end string) {
	cond := end + " IS NOT NULL"
	if spec.Where != "" {
		cond = spec.Where + " AND " + cond
	}
	spec.Where = cond
	p.endedText = fmt.Sprintf("ended (with a %s)", strings.ReplaceAll(end, "_", " "))
}

// startWords say members began (in a period).
var startWords = []string{"new", "started", "start", "starting", "opened", "signed", "joined", "created", "registered", "onboarded", "acquired", "began", "begun", "hired", "enrolled", "activated", "launched"}

// periodReads says which date of members that ended the one period of
// the question reads: "" their end ("cancelled in FY2026", "churned
// subscriptions in FY2025"); "start" their beginning, when a word of
// beginning is there and the period does not follow the word of ending
// ("subscriptions started in FY2025 that were cancelled", "new
// subscriptions in FY2025 that churned"); "both" for "started and ended
// in FY2025".
func (p *parser) periodReads() string {
	if len(p.times) != 1 || !p.hasWord(startWords...) {
		return ""
	}
	k := p.times[0].pos - 1
	for k >= 0 && (p.toks[k].raw == "in" || p.toks[k].raw == "during" || p.toks[k].raw == "the" || p.toks[k].raw == "within" || p.toks[k].raw == "of" || p.toks[k].raw == "since") {
		k--
	}
	if k < 0 {
		return "start"
	}
	if w := p.toks[k]; isEndedWord(w.raw) || isEndedState(w.canon) || slices.Contains(lossWords, w.raw) {
		if k >= 2 && p.toks[k-1].raw == "and" && slices.Contains(startWords, p.toks[k-2].raw) {
			return "both"
		}
		return ""
	}
	return "start"
}

// endedNamed says the question names a member of an ended status
// ("cancelled", "churned"), which keeps only members that ended.
func (p *parser) endedNamed() bool {
	for _, m := range p.mentions {
		for _, t := range m.t {
			if t.kind == kMember && isEndedState(canonPhrase(t.value)) {
				return true
			}
		}
	}
	return false
}

// endingModels names the models whose members end (the subscriptions).
func (p *parser) endingModels() string {
	var out []string
	for _, md := range p.in.Layer.Models {
		if md.Role != "dimension" || p.endDimension(md) == "" {
			continue
		}
		// With a status of ending ("cancelled"), not a calendar's end.
		for _, m := range p.v.members {
			if isEndedState(m.canon) && strings.EqualFold(p.v.dims[m.dim].Model, md.Name) && !slices.Contains(out, strings.ReplaceAll(md.Name, "_", " ")) {
				out = append(out, strings.ReplaceAll(md.Name, "_", " "))
			}
		}
	}
	if len(out) == 0 {
		return "members with an end date"
	}
	return strings.Join(out, " or ")
}

// metricEnds says a metric is an amount or a count of members that end
// (the subscriptions' MRR, the number of subscriptions), directly or
// through a derived metric's base (ARR = 12 × MRR).
func (p *parser) metricEnds(name string) bool {
	m := p.in.Layer.Metric(name)
	if m == nil {
		return false
	}
	if m.Type == semlayer.MetricDerived {
		for _, w := range reIdent.FindAllString(m.Expr, -1) {
			if w != name && p.in.Layer.Metric(w) != nil && p.metricEnds(w) {
				return true
			}
		}
		return false
	}
	md := p.countedModel(name)
	if md == nil {
		md = p.in.Layer.Model(m.Model)
	}
	return md != nil && md.Role == "dimension" && p.endDimension(md) != ""
}

// groupByEnd reads a time grain of the members that ended, asked with no
// period ("cancelled subscriptions by month", "churned MRR by quarter"),
// by the day they ended, as a period of theirs is: the month they were
// cancelled, not the month they began.
func (p *parser) groupByEnd(spec *query.Spec) {
	if len(spec.Metrics) != 1 || spec.Compare != "" || len(spec.Ratios)+len(spec.Derived)+len(spec.Restricted) > 0 {
		return
	}
	m := p.in.Layer.Metric(spec.Metrics[0])
	if m == nil {
		return
	}
	x := p.endedCount(m)
	if x != nil {
		m = x
	}
	md := p.in.Layer.Model(m.Model)
	if md == nil || md.Role != "dimension" || md.TimeColumn == "" {
		return
	}
	end := p.endDimension(md)
	if end == "" {
		return
	}
	grouped := false
	for g := range spec.GroupBy {
		if spec.GroupBy[g].Grain != "" && spec.GroupBy[g].Dimension == "" {
			spec.GroupBy[g].Dimension = end
			grouped = true
		}
	}
	if grouped && x != nil {
		spec.Metrics[0] = x.Name
	}
}

// endedCount is, for a count of the members a fact references ("number
// of subscriptions" of the invoices), the count of the dimension model
// of those members when it dates their end: the same label, a count of
// a dimension model with an end date.
func (p *parser) endedCount(m *semlayer.Metric) *semlayer.Metric {
	if m.Format != "count" {
		return nil
	}
	if md := p.in.Layer.Model(m.Model); md == nil || md.Role == "dimension" {
		return nil
	}
	var found *semlayer.Metric
	for _, x := range p.in.Layer.Metrics {
		if x.Hidden || x.Format != "count" || x.Type != semlayer.MetricSimple || x.Filter != "" || !strings.EqualFold(x.Label, m.Label) {
			continue
		}
		md := p.in.Layer.Model(x.Model)
		if md == nil || md.Role != "dimension" || md.TimeColumn == "" || p.endDimension(md) == "" {
			continue
		}
		if found != nil {
			return nil
		}
		found = x
	}
	return found
}

// allMembersTwin is the metric of every member of a metric that counts
// only the members that have not ended (the layer's hidden twin: the
// same measure of the same model, without a filter).
func (p *parser) allMembersTwin(m *semlayer.Metric) *semlayer.Metric {
	if m.Type != semlayer.MetricSimple || m.Filter == "" {
		return nil
	}
	for _, x := range p.in.Layer.Metrics {
		if x.Type == semlayer.MetricSimple && x.Filter == "" && x.Rows == "" && strings.EqualFold(x.Model, m.Model) && x.Measure == m.Measure {
			return x
		}
	}
	return nil
}

func isEndedWord(w string) bool {
	for _, x := range endedWords {
		if x == w {
			return true
		}
	}
	return false
}

// currentInPeriod says why a number of the current members only
// ("MRR": the subscriptions not ended) is not read over a period, by a
// time grain or compared with an earlier period: the period reads the
// day the members began, and "MRR in FY2026" ("MRR by month") would be
// the MRR of the subscriptions started in FY2026 (in each month) that
// are still current, which is not what it asks.
func (p *parser) currentInPeriod(spec query.Spec) string {
	if !overPeriods(spec) {
		return ""
	}
	for _, name := range spec.Metrics {
		m := p.in.Layer.Metric(name)
		if m != nil && m.Type == semlayer.MetricDerived {
			// "ARR" = 12 × MRR.
			for _, w := range reIdent.FindAllString(m.Expr, -1) {
				if x := p.in.Layer.Metric(w); x != nil && x.Type == semlayer.MetricSimple && x.Filter != "" {
					m = x
					break
				}
			}
		}
		if m == nil || m.Type != semlayer.MetricSimple || m.Filter == "" {
			continue
		}
		md := p.in.Layer.Model(m.Model)
		if md == nil || md.Role != "dimension" || md.TimeColumn == "" {
			continue
		}
		if end := p.endDimension(md); end != "" && strings.Contains(strings.ToLower(m.Filter), strings.ToLower(p.v.dims[end].Dim.Column)) {
			return fmt.Sprintf("%s is the current %s' (not ended): over a period it is not known; ask for the current %s, or for the %s of the %s started in the period (\"new %s\")",
				metricLabel(p.in.Layer, name), strings.ReplaceAll(md.Name, "_", " "), metricLabel(p.in.Layer, name), metricLabel(p.in.Layer, m.Name), strings.ReplaceAll(md.Name, "_", " "), metricLabel(p.in.Layer, m.Name))
		}
	}
	return ""
}

// countedModel is the dimension model a count metric counts: its own
// model's rows, or the members a fact's distinct count references.
func (p *parser) countedModel(name string) *semlayer.Model {
	m := p.in.Layer.Metric(name)
	if m == nil || m.Format != "count" || m.Type != semlayer.MetricSimple {
		return nil
	}
	md := p.in.Layer.Model(m.Model)
	if md == nil {
		return nil
	}
	if md.Role == "dimension" {
		return md
	}
	ms := md.Measure(m.Measure)
	if ms == nil || ms.Agg != semlayer.AggCountDistinct {
		return nil
	}
	for _, e := range md.Entities {
		if ref := p.in.Layer.RefModel(e); ref != nil && e.Type == "foreign" && strings.EqualFold(ms.Name, e.Name+"_count") {
			return ref
		}
	}
	return nil
}

// statusInPeriod says why a count of members by a status over a period,
// or by a time grain, is not answered: "active subscriptions in FY2026",
// "active subscriptions by month" — a status is today's, and the period
// would read the day the members began ("started in FY2026 and active
// today"), not those active in it. An ended status reads the end date
// (ended); with "new" or "started" the period is their start.
func (p *parser) statusInPeriod(spec query.Spec) string {
	if !overPeriods(spec) || p.hasWord(startWords...) {
		return ""
	}
	for _, f := range spec.Filters {
		r, ok := p.v.dims[f.Dimension]
		md := p.in.Layer.Model(r.Model)
		if !ok || f.Not || md == nil || md.Role != "dimension" || md.TimeColumn == "" || p.endDimension(md) == "" {
			continue
		}
		if !isStatusDim(r.Dim) {
			continue
		}
		ended := false
		for _, v := range f.Values {
			ended = ended || isEndedState(canonPhrase(v))
		}
		if ended {
			continue
		}
		for _, name := range spec.Metrics {
			if r, ok := p.restricted[name]; ok {
				name = r.Metric
			}
			if m := p.in.Layer.Metric(name); m != nil && strings.EqualFold(m.Model, md.Name) {
				what := strings.ReplaceAll(md.Name, "_", " ")
				return fmt.Sprintf("the %s %s is today's: which %s were %s in a period is not known; ask for them now, or for the %s started in the period (\"new %s\")", what, r.Dim.Name, what, strings.Join(f.Values, " or "), what, what)
			}
		}
	}
	return ""
}

// overPeriods says the spec reads the facts over a period, a comparison
// or a time grain of their own dates. A grain of the members' own date
// ("MRR by the year the subscription started") groups the current
// members; it is no period.
func overPeriods(spec query.Spec) bool {
	timed := spec.Time != nil || spec.Compare != ""
	for _, g := range spec.GroupBy {
		timed = timed || g.Grain != "" && g.Dimension == ""
	}
	return timed
}

// ownStatus says a model's own status has a member the word names
// ("cancelled" orders: order_status cancelled), which says which of its
// members ended without an end date.
func (p *parser) ownStatus(md *semlayer.Model, canon string) bool {
	for _, m := range p.v.members {
		r := p.v.dims[m.dim]
		if m.canon == canon && r.Dim != nil && isStatusDim(r.Dim) && strings.EqualFold(r.Model, md.Name) {
			return true
		}
	}
	return false
}

// statusRate is a status named by a noun before "rate": its member, the
// words for the rows of its fact, and how many tokens named it.
type statusRate struct {
	value, rows string
	n           int
}

// statusRateAt reads the words at the end of toks as a status of a
// fact's rows: its member's words ("no show") or a noun of it
// ("cancellation" for Cancelled, "denial" for Denied, "churn" for
// Churned), unless the layer names the phrase with "rate" itself.
func (p *parser) statusRateAt(toks []*token) *statusRate {
	stem := func(w string) string {
		for _, suf := range []string{"ation", "ion", "al", "ed", "s"} {
			if b, ok := strings.CutSuffix(w, suf); ok && len(b) >= 4 {
				if n := len(b); b[n-1] == b[n-2] && !strings.ContainsRune("aeious", rune(b[n-1])) {
					// "dropped", "cancelled": drop, cancel.
					b = b[:n-1]
				}
				return b
			}
		}
		return w
	}
	var found []statusRate
	for _, m := range p.v.members {
		r, ok := p.v.dims[m.dim]
		if !ok || r.Dim == nil || !isStatusDim(r.Dim) {
			continue
		}
		md := p.in.Layer.Model(r.Model)
		if md == nil || md.Role != "fact" || len(m.toks) > len(toks) {
			continue
		}
		n := len(m.toks)
		match := true
		for k, w := range m.toks {
			if toks[len(toks)-n+k].raw != w {
				match = false
			}
		}
		if !match && n == 1 {
			a, b := stem(toks[len(toks)-1].raw), stem(m.toks[0])
			match = len(a) >= 4 && a == b || toks[len(toks)-1].raw+"d" == m.toks[0] && len(m.toks[0]) >= 5 // "hire rate": Hired
		}
		if !match {
			continue
		}
		var ws []string
		for _, t := range toks[len(toks)-n:] {
			ws = append(ws, t.canon)
		}
		if len(p.v.phrases[strings.Join(append(ws, "rate"), " ")]) > 0 {
			return nil
		}
		found = append(found, statusRate{value: m.value, rows: modelWords(md)[0], n: n})
	}
	// A true/false column's rate ("on-time rate"): the share of the rows
	// where it is true.
	for name, r := range p.v.dims {
		md := p.in.Layer.Model(r.Model)
		if !r.Dim.Flag || strings.Contains(name, ".") || md == nil || md.Role != "fact" {
			continue
		}
		ws := flagWords(r.Dim)
		if len(ws) > len(toks) {
			continue
		}
		match := true
		for k, w := range ws {
			match = match && toks[len(toks)-len(ws)+k].raw == w
		}
		if !match && len(ws) == 1 {
			// The flag's noun: "resolution rate" for resolved,
			// "conversion rate" for converted.
			a, b := toks[len(toks)-1].raw, ws[0]
			match = len(a) >= 6 && len(b) >= 6 && a[:5] == b[:5] && a != b
		}
		if match {
			found = append(found, statusRate{value: strings.Join(ws, " "), rows: modelWords(md)[0], n: len(ws)})
		}
	}
	if len(found) != 1 {
		return nil
	}
	return &found[0]
}
