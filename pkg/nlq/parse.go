// Package nlq reads plain-English questions about the warehouse into
// query specs, offline and deterministically: a grammar over the semantic
// layer's vocabulary (metric, dimension and model names, labels and
// synonyms, a business glossary, the member values found in the
// warehouse), with fuzzy matching of members, relative time resolved by
// the layer's calendar against an explicit as-of date, top-N and ranking,
// thresholds, shares and comparisons. Every word of a question must be
// explained; when one is not, or a word can mean two things, the parser
// does not answer and says what it understood instead.
package nlq

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// Input is a question and what the parser knows.
type Input struct {
	Layer *semlayer.Layer
	// Members are the member values of the layer's dimensions by public
	// dimension name.
	Members map[string][]string
	// Glossary maps a metric, dimension or model name (or a phrase the
	// parser knows) to more words for it.
	Glossary map[string][]string
	Question string
	AsOf     time.Time
}

// Interpretation is what the parser made of a question.
type Interpretation struct {
	Answerable bool       `json:"answerable"`
	Spec       query.Spec `json:"spec"`
	// Text is the interpretation in words.
	Text  string `json:"text"`
	Chart string `json:"chart"` // number, bar, line or table
	// Confidence is 1 for exact words, less for fuzzy and generic ones.
	Confidence  float64  `json:"confidence"`
	Suggestions []string `json:"suggestions,omitempty"`
	// Reason says why the question is not answered.
	Reason    string   `json:"reason,omitempty"`
	Unmatched []string `json:"unmatched,omitempty"`
	// Only, when set, is the kind of column the answer shows besides the
	// groups (query.KindShare for "what share", query.KindChangePct for
	// "percentage change"; OnlyGroups for a list of members).
	Only string `json:"only,omitempty"`
}

// OnlyGroups is Only for a list of members: the groups alone.
const OnlyGroups = "groups"

type timeMention struct {
	rng     semlayer.Range
	pos     int
	compare bool // named as the comparison ("vs FY2025")
	phrase  string
	// from and to mark the ends of a span of periods: "since Q3 2025",
	// "from March to June", "through the end of Q2".
	from, to bool
	// before marks the end of an open span: "before 2021", "prior to
	// FY2025" (everything until the period begins).
	before bool
	end    int // the position after the phrase
}

type mention struct {
	pos, end int
	t        []target
	fuzzy    bool
}

type parser struct {
	in    Input
	v     *vocab
	toks  []*token
	times []timeMention
	// factDate is another date of a fact the question names ("claims
	// reported in Q4").
	factDate *factDate
	// compareKind set by a phrase ("same quarter last year", "yoy").
	compareKind string
	compareKW   int // position of the first compare keyword, -1
	growth      bool
	only        string
	mentions    []mention
	limit       int
	desc        *bool
	superlative bool
	// performing: "best performing": ranked by the revenue when no
	// number is named.
	performing bool
	// countMembers: the dimension model whose members meeting the
	// threshold are counted ("how many customers spent more than 1,000").
	countMembers string
	// countKey: the documents' key the threshold holds ("invoices over
	// 10,000": each invoice), set by assemble.
	countKey, countAmount string
	countName, countLabel string
	firstWord             bool // "highest first": order only
	having                []pendingThreshold
	grainPos              map[semlayer.Grain]int
	conf                  float64
	share                 bool
	problems              []string
	// edge: "at the end (beginning) of <period>": a stock read at the
	// period's last (first) time (semlayer.TimeLast, TimeFirst).
	edge string
	// excluded are the members left out by dimension ("excluding SMB"),
	// for the interpretation (the filter lists the others).
	excluded map[string][]string
	// attrRank: a ranking of members by an attribute (grouped by the
	// member and its attribute, one thing ranked).
	attrRank bool
	// statusRate: the question asks a status's rate ("cancellation rate
	// by channel"): the share of the rows with it in each group.
	statusRate bool
	// allTime: "of all time", "ever", "to date" — no time range;
	// soFar: "so far" makes this period a period to date.
	allTime, soFar bool
	// restricted are the query's own metrics over another metric's rows,
	// by name.
	restricted map[string]query.Restricted
	// corrected are the words read as another (spelling.go), for the
	// interpretation.
	corrected []string
	// memberOf: the position of a model's word qualified by a
	// membership word ("loyalty members"), to the dimension its members
	// have a value of (membership.go).
	memberOf map[int]string
	// endedText: the period members ended in, for the interpretation
	// (ended.go).
	endedText string
	// activeModel: "active members" of this model, which has an end date
	// and no status of its own.
	activeModel string
	// salesAsked: the question asks for revenue (whose members are the
	// customers').
	salesAsked bool
	// compareGrain: "month over month", "quarter over quarter" — each
	// period against the one before, of this grain.
	compareGrain semlayer.Grain
	// previous: each bucket of compareGrain against the one before it
	// (query.ComparePrevious).
	previous bool
	// spanGrain: two periods joined by "and" read as one span, broken
	// down by their grain ("in Q1 and Q2 of FY2026").
	spanGrain semlayer.Grain
	// openSpan: the period is everything before one ("before 2021"),
	// which no time grain breaks down.
	openSpan bool
	// costMember: a word of costs read as a member ("expenses": the
	// Expense accounts; ledger.go).
	costMember bool
	// dates: groupings by a grain of a model's own date (dategroup.go).
	dates []dateGroup
	// first: each thing counted at its first row ("first purchase",
	// "first-time customers"); firstFact the fact the event names;
	// without: the model whose rows must not reference the number's
	// (rowrules.go).
	first              bool
	firstFact, without string
	// settledText: a part of one fact settled by another's rows, for the
	// interpretation (settled.go); the verbs that named it then agree.
	settledText string
	settledDone bool
	// cohortText: the members of another model that began in a period
	// (assemble.go, cohortOf), or a threshold on an attribute (attr.go),
	// for the interpretation.
	cohortText string
	// marginAsks: a margin or a cost of goods made of its parts
	// (margin.go).
	marginAsks []marginAsk
	// betweenOpen: "between 500k and …" awaits its upper bound.
	betweenOpen bool
}

// countingMembers reads "how many customers spent more than 1,000",
// "number of accounts with revenue above 100k": the members held to the
// threshold, counted (query.Spec.Count) — the count word is set aside
// and the question read as "customers with revenue over 100k". Not "how
// many accounts have more than 5 invoices" (a count held to a number).
func (p *parser) countingMembers() {
	if len(p.having) != 1 || p.betweenOpen {
		return
	}
	h := p.having[0]
	for mi, m := range p.mentions {
		if m.pos > h.pos {
			return
		}
		counting := p.toks[m.pos].raw == "number" || mi > 0 && p.kw(p.mentions[mi-1]) == "count" && p.mentions[mi-1].end == m.pos
		if !counting {
			continue
		}
		// "number of accounts": the dimension's count ("how many
		// accounts" reads so), or the count word before the model.
		model, from := "", mi
		for _, t := range m.t {
			if x := p.in.Layer.Metric(t.name); t.kind == kMetric && x != nil && x.Format == "count" {
				if md := p.in.Layer.Model(x.Model); md != nil && md.Role == "dimension" && p.memberCount(md.Name) == x.Name {
					model = md.Name
				}
			}
		}
		if model == "" && p.kw(m) == "count" && mi+1 < len(p.mentions) && p.mentions[mi+1].pos < h.pos {
			for _, t := range p.mentions[mi+1].t {
				if md := p.in.Layer.Model(t.name); t.kind == kEntity && md != nil && md.Role == "dimension" {
					model, from = t.name, mi+1
				}
			}
		}
		if model != "" {
			p.countMembers = model
			e := p.mentions[from]
			e.t = []target{{kind: kEntity, name: model, prio: 3}}
			p.mentions = append(append(p.mentions[:mi:mi], e), p.mentions[from+1:]...)
			return
		}
		// "how many invoices were over 5,000", "number of orders above
		// 500": the documents held to it by their amount (assemble
		// groups them by their key), counted.
		if p.countThreshold(h) {
			return
		}
		if !p.countDocuments(m, true) && p.kw(m) == "count" && mi+1 < len(p.mentions) && p.countDocuments(p.mentions[mi+1], false) {
			p.mentions = append(p.mentions[:mi:mi], p.mentions[mi+1:]...) // the count word
		}
		return
	}
}

// countDocuments reads a mention as documents held to a threshold by
// their amount and counted ("number of invoices", "orders"; own: also a
// count of a fact's own rows), and says whether it did.
func (p *parser) countDocuments(m mention, own bool) bool {
	found := false
	for _, t := range m.t {
		x := p.in.Layer.Metric(t.name)
		if t.kind != kMetric || x == nil {
			continue
		}
		amount, key := p.documentRanking(x.Name, m.pos)
		if key == "" && own {
			amount, key = p.ownDocuments(x)
		}
		if key != "" {
			p.countMembers, p.countAmount, p.countKey = x.Model, amount, key
			p.countName, p.countLabel = p.documentsCount(x)
			found = true
		}
	}
	return found
}

// countThreshold says the threshold's number counts the things named
// right after it ("more than 5 invoices"), not an amount.
func (p *parser) countThreshold(h pendingThreshold) bool {
	k := h.pos + 1
	if k < len(p.toks) && p.toks[k].role == "threshold" {
		k++ // "over 10 thousand"
	}
	for _, m := range p.mentions {
		if m.pos != k {
			continue
		}
		for _, t := range m.t {
			if t.kind == kMetric || t.kind == kEntity {
				return true
			}
		}
	}
	return false
}

// documentsCount is the metric that counts the documents a metric of
// their fact counts or sums, and its label ("number of invoices").
func (p *parser) documentsCount(x *semlayer.Metric) (string, string) {
	if x.Format != "count" {
		if c := p.countOf(x); c != "" {
			x = p.in.Layer.Metric(c)
		}
	}
	if x.Format == "count" {
		return x.Name, p.label(x.Name)
	}
	return x.Model + "_count", "number of " + strings.ReplaceAll(x.Model, "_", " ")
}

// ownDocuments is the amount and the key of the rows a count of a fact's
// rows counts ("number of invoices": each invoice, by its id, with its
// amount), when the fact has one amount.
func (p *parser) ownDocuments(x *semlayer.Metric) (string, string) {
	fact := p.in.Layer.Model(x.Model)
	if fact == nil || fact.Role != "fact" || x.Format != "count" || x.Type != semlayer.MetricSimple || x.Filter != "" {
		return "", ""
	}
	if ms := fact.Measure(x.Measure); ms == nil || ms.Agg != semlayer.AggCount {
		return "", ""
	}
	amount := ""
	for _, y := range p.in.Layer.Metrics {
		if !y.Hidden && y.Type == semlayer.MetricSimple && y.Filter == "" && y.Rows == "" && y.Format == "money" && strings.EqualFold(y.Model, fact.Name) {
			if amount != "" {
				return "", ""
			}
			amount = y.Name
		}
	}
	if key := p.ownKey(fact); key != "" && amount != "" {
		return amount, key
	}
	return "", ""
}

// countMet makes the members listed by the threshold a count of them.
func (p *parser) countMet(it *Interpretation) *Interpretation {
	spec := it.Spec
	group := ""
	for _, g := range spec.GroupBy {
		if r, ok := p.v.dims[g.Dimension]; ok && g.Grain == "" && (strings.EqualFold(r.Model, p.countMembers) && p.countKey == "" || g.Dimension == p.countKey) {
			group = g.Dimension
		}
	}
	md := p.in.Layer.Model(p.countMembers)
	if group == "" || len(spec.Having) == 0 || md == nil || spec.Limit > 0 || spec.Compare != "" || spec.Share {
		return p.abstain("how many of them meet what? say e.g. \"how many customers spent more than 1,000 in 2025\"")
	}
	words := strings.ReplaceAll(md.Name, "_", " ")
	if md.Label != "" {
		words = md.Label
	}
	spec.OrderBy = nil
	spec.Count = &query.GroupCount{Group: group, Name: md.Name + "_count", Label: "number of " + words}
	if err := compiles(p.in.Layer, spec); err != nil {
		return p.abstain("cannot answer that from the warehouse: " + err.Error())
	}
	out := *it
	out.Spec = spec
	out.Only = ""
	out.Chart = "number"
	if len(spec.GroupBy) > 1 {
		out.Chart = "bar"
	}
	label := "number of " + words
	if p.countLabel != "" {
		label = p.countLabel
	}
	spec.Count.Label = label
	if p.countName != "" {
		spec.Count.Name = p.countName
	}
	out.Spec = spec
	out.Text = label + " meeting the threshold — " + it.Text
	return &out
}

type pendingThreshold struct {
	op, value string
	pos       int
}

// Parse reads a question.
func Parse(in Input) *Interpretation {
	if in.Layer == nil {
		return &Interpretation{Reason: "no semantic layer"}
	}
	p := &parser{in: in, v: cachedVocab(in), compareKW: -1, conf: 1, grainPos: map[semlayer.Grain]int{}}
	return p.parse()
}

// The vocabulary of the last layer asked about: building it reads every
// member, and a session asks many questions of one layer.
// The cache holds what it was built from, so that their addresses stay
// theirs while they are compared.
var (
	vocabMu  sync.Mutex
	vocabKey string
	vocabIn  Input
	vocabVal *vocab
)

func cachedVocab(in Input) *vocab {
	key := fmt.Sprintf("%p/%p/%p/%d/%d", in.Layer, in.Members, in.Glossary, len(in.Members), len(in.Glossary))
	vocabMu.Lock()
	defer vocabMu.Unlock()
	if vocabVal != nil && key == vocabKey && vocabIn.Layer == in.Layer {
		return vocabVal
	}
	vocabIn = in
	v := newVocab(in.Layer, in.Members, in.Glossary)
	for ph, kw := range keywordPhrases {
		v.add(ph, target{kind: kKeyword, name: kw, prio: 0})
	}
	v.lexicon = lexiconOf(v)
	v.knownWord("")
	vocabKey, vocabVal = key, v
	return v
}

// subjects are the words a verb follows ("we sold", "did we invoice").
var subjects = map[string]bool{"we": true, "i": true, "they": true, "you": true, "did": true, "do": true, "does": true, "have": true, "has": true, "had": true}

var refusals = set(`why forecast forecasts predict prediction predicted will would project projection projected estimate should explain reason cause
drop delete insert update select union truncate alter create grant exec execute password`)

// unsupportedStats are statistics the query builder does not compute.
var unsupportedStats = set(`median medians percentile percentiles quartile quartiles quantile quantiles decile variance stddev stdev deviation`)

func (p *parser) abstain(reason string) *Interpretation {
	it := &Interpretation{Reason: reason, Unmatched: p.unmatched()}
	it.Suggestions = p.suggest()
	return it
}

func (p *parser) unmatched() []string {
	var out []string
	for _, t := range p.toks {
		if !t.used && isEndedWord(t.raw) && p.membersEnd() {
			// "members cancelled in 2025" where members have a cancel
			// date (and no status says so): the word of the ending that
			// ended() reads.
			continue
		}
		if !t.used && !stopWords[t.raw] && !stopWords[t.canon] && !fillers[t.raw] && (!fillers[t.canon] || moneyPlurals[t.raw]) {
			out = append(out, t.raw)
		}
	}
	return out
}

func (p *parser) parse() *Interpretation {
	q := strings.TrimSpace(p.in.Question)
	if q == "" {
		return &Interpretation{Reason: "no question"}
	}
	p.toks = tokenize(p.joinHyphens(q))
	if len(p.toks) == 0 {
		return &Interpretation{Reason: "no words in the question"}
	}
	for i, t := range p.toks {
		// "vs forecast", "against the forecast": a saved forecast to
		// compare with, not a request to predict.
		if (t.raw == "forecast" || t.raw == "forecasts") && i > 0 && (compareKeywords[p.toks[i-1].raw] || (p.toks[i-1].raw == "the" && i > 1 && compareKeywords[p.toks[i-2].raw])) {
			continue
		}
		if unsupportedStats[t.canon] {
			// Never read as a misspelt member ("median" is not Media).
			return p.abstain(fmt.Sprintf("%q is not computed here: totals, counts, averages, shares, the largest and the smallest are", t.raw))
		}
		if refusals[t.raw] && !(t.raw == "would" && i+1 < len(p.toks) && (p.toks[i+1].raw == "like" || p.toks[i+1].raw == "love")) && !p.namesKind(t.canon, kDim) &&
			!(i+1 < len(p.toks) && p.toks[i+1].raw == "rate") { // "drop rate": a status's rate

			// ("refunds by reason": a column so called is a dimension.)
			return p.abstain(fmt.Sprintf("%q asks for something other than the warehouse's numbers (an explanation, a forecast or a statement)", t.raw))
		}
	}
	if w := p.toks[0].raw; (w == "when" || w == "how") && len(p.toks) > 1 && (w == "when" || p.toks[1].raw == "long" || p.toks[1].raw == "often" || p.toks[1].raw == "old") {
		// "when did Aiden White last buy", "how long has Acme been a
		// customer": a date or a duration, not a number of the
		// warehouse's measures.
		return p.abstain(fmt.Sprintf("%q asks for a date or a duration: totals, counts, averages and shares by period are answered", strings.Join([]string{p.toks[0].raw, p.toks[1].raw}, " ")))
	}
	if r := p.unsupportedRecurring(); r != "" {
		return p.abstain(r)
	}
	if why := p.refusedPair(); why != "" {
		return p.abstain(why)
	}
	if p.toks[0].raw == "where" {
		// "where are most of our accounts", "where do we sell the most":
		// a place, which the question leaves to guess (by country? by
		// region? by store?).
		return p.abstain("\"where\" names no grouping: say by which place (e.g. by country, by region, by store)")
	}
	for i, t := range p.toks {
		// "the last invoice for Acme", "the latest payment", "our newest
		// account": one row picked by its date, which is not answered
		// (not the total of them all).
		if !latestWords[t.raw] || i+1 >= len(p.toks) {
			continue
		}
		j := i + 1
		if t.raw == "most" {
			if p.toks[j].raw != "recent" || j+1 >= len(p.toks) {
				continue
			}
			j++
		}
		if n := p.toks[j]; recordNouns[n.canon] || p.namesKind(n.canon, kEntity) || p.namesKind(n.canon, kMetric) && p.namesKind(n.canon, kEntity) {
			return p.abstain(fmt.Sprintf("%q asks for one row picked by its date: totals, counts and rankings by amount are answered (e.g. \"invoices by day\", \"the largest invoice\")", p.text(mention{pos: i, end: j + 1})))
		}
	}
	if p.weOwe() && !p.purchaseDocs() {
		return p.abstain(weOweReason)
	}
	for i, t := range p.toks {
		// "in the coming months", "upcoming", "in future": periods that
		// have not begun ("coming" alone is a stop word: "revenue coming
		// from Acme").
		if t.raw == "upcoming" || t.raw == "future" || t.raw == "coming" && (i > 0 && p.toks[i-1].raw == "the" || i+1 < len(p.toks) && timeUnits[p.toks[i+1].raw] != "") {
			return p.abstain(fmt.Sprintf("%q asks about periods that have not begun: the warehouse holds what happened, not a forecast (compare with a budget or forecast: \"vs budget\")", t.raw))
		}
	}
	if len(p.toks) > 2 && p.toks[0].raw == "what" && (p.toks[1].raw == "did" || p.toks[1].raw == "has" || p.toks[1].raw == "have" || p.toks[1].raw == "does" || p.toks[1].raw == "do") && p.hasWord("buy", "bought", "purchase", "purchased", "order", "ordered") {
		named := false
		for _, t := range p.toks[2:] {
			named = named || !fillers[t.raw] && !fillers[t.canon] && p.namesKind(t.canon, kMetric)
		}
		if !named {
			// "what did Aiden White buy": the items bought, not the
			// amount (it gave the total spent).
			return p.abstain("\"what did … buy\" asks for the items bought, which is a list, not a number: ask for a number by the kind of item (e.g. \"sales by product for …\")")
		}
	}
	for i := 0; i+1 < len(p.toks); i++ {
		// "subscriptions billed annually", "monthly billed plans": how
		// often members are billed, not amounts by period (it grouped
		// the subscriptions by year).
		a, b := p.toks[i].raw, p.toks[i+1].raw
		if (billingVerbs[a] && frequencyWords[b] || frequencyWords[a] && billingVerbs[b]) && !p.namesMoney() {
			return p.abstain(fmt.Sprintf("%q: how often members are billed (a billing frequency) is not in the warehouse; amounts by period are (e.g. \"revenue by month\")", a+" "+b))
		}
	}
	for i := range p.toks {
		// "days sales outstanding", "DSO": a number of days from a
		// balance and a flow, which is not computed (not the unpaid
		// amount by day).
		if p.seq(i, "days", "sales", "outstanding") || p.seq(i, "days", "payable", "outstanding") || p.seq(i, "days", "inventory", "outstanding") ||
			p.seq(i, "dso") || p.seq(i, "dpo") || p.seq(i, "dio") || p.seq(i, "days", "to", "pay") || p.seq(i, "days", "to", "collect") ||
			p.seq(i, "days", "of", "inventory") || p.seq(i, "days", "of", "stock") || p.seq(i, "days", "in", "inventory") {
			return p.abstain("a number of days (DSO, DPO, days to pay) is not computed here: ask for the unpaid amount, or the payments by month")
		}
		// "inventory turnover", "stock turns": a ratio of a flow to an
		// average balance, not the turnover (revenue) beside the stock.
		if (p.seq(i, "inventory") || p.seq(i, "stock")) && i+1 < len(p.toks) && (p.toks[i+1].raw == "turnover" || p.toks[i+1].raw == "turns" || p.toks[i+1].raw == "turn") ||
			p.seq(i, "asset", "turnover") || p.seq(i, "receivables", "turnover") || p.seq(i, "payables", "turnover") {
			return p.abstain("a turnover ratio (a flow over an average balance) is not computed here: ask for the two numbers, e.g. \"cost of goods sold and inventory by month\"")
		}
	}
	if strings.ContainsAny(q, ";=*") || strings.Contains(q, "--") {
		return p.abstain("the question looks like code, not a question")
	}
	p.membersWithDates()
	p.correctTimeWords()
	p.firsts()
	p.rewrite()
	p.dateGroups()
	p.withouts()
	p.margins()
	p.comparePhrases()
	p.timeSpans()
	p.periodHeads()
	p.spanWords()
	p.stockEdges()
	p.keywords()
	p.correctSpelling()
	p.matchVocab()
	p.factNounQualifiers()
	p.factNameQualifiers()
	p.activeMembers()
	p.entryVerbReadings()
	p.lastWordDims()
	p.fromTo()
	p.membership()
	p.fillerMembers()
	p.numbers()
	p.factDates()
	p.fuzzyMembers()
	p.shortMisspelt()
	p.countingMembers()
	if un := p.unmatched(); len(un) > 0 {
		return p.abstain(fmt.Sprintf("not understood: %s", strings.Join(quoteAll(un), ", ")))
	}
	if why := p.perMember(); why != "" {
		return p.abstain(why)
	}
	for i, t := range p.toks {
		// "expense per kg" where no number is the expense: the ratio's
		// numerator is missing (it answered the weight alone).
		if !t.used && (t.canon == "cost" || t.canon == "expense" || t.raw == "spend" || t.raw == "spending" || t.raw == "money") && i+1 < len(p.toks) && p.toks[i+1].raw == "per" {
			return p.abstain(fmt.Sprintf("%q per what: the warehouse has no number called %s to divide", t.raw, t.raw))
		}
		if t.canon == "return" && i+1 < len(p.toks) && p.toks[i+1].raw == "on" {
			// "return on equity": a ratio the warehouse does not hold.
			return p.abstain(fmt.Sprintf("%q is not computed here", "return on"))
		}
		// "cost of revenue" where the layer has no such line: the
		// cost is not the revenue it is of.
		if !t.used && (t.canon == "cost" || t.canon == "expense") && i+1 < len(p.toks) && p.toks[i+1].raw == "of" {
			return p.abstain(fmt.Sprintf("%q what? the warehouse has no such number", t.raw+" of"))
		}
	}
	if len(p.problems) > 0 {
		return p.abstain(p.problems[0])
	}
	if why := p.misreadQualifiers(); why != "" {
		return p.abstain(why)
	}
	it := p.assemble()
	if it.Answerable && p.countMembers != "" {
		it = p.countMet(it)
	}
	if it.Answerable {
		if want := p.verbWant(); want != "" && p.onlyFactNamed(it.Spec, want) {
			// "how much did we pay on claims": the claims named their
			// fact, whose paid amount the verb reads.
			it.Spec.Metrics = []string{want}
			it.Text = p.describe(it.Spec)
		}
		if why := p.verbDisagrees(it.Spec); why != "" && !p.settledDone {
			return p.abstain(why)
		}
		if why := p.future(it.Spec); why != "" {
			return p.abstain(why)
		}
		if selfArithmetic(it.Spec) {
			// "SMB revenue minus Mid-Market revenue": one number taken
			// from (or over) itself, each side meant for other members;
			// it gave 0 (100%) for each member.
			return p.abstain("a difference or ratio of one number between members is not computed: ask for them side by side (e.g. \"… vs …\")")
		}
		if len(it.Spec.Having) > 0 && it.Spec.Count == nil && len(it.Spec.GroupBy) > 0 && p.sumAsked() {
			// "sum of payments over 20000": one total of the members that
			// meet the threshold, which is not computed (it listed them).
			return p.abstain("a total of the members that meet a threshold is not computed: they are listed (\"… over N\") or counted (\"how many … over N\")")
		}
		if why := p.currencyRanking(it.Spec); why != "" {
			return p.abstain(why)
		}
		if why := p.statusInPeriod(it.Spec); why != "" {
			return p.abstain(why)
		}
		if why := p.summedRate(it.Spec); why != "" {
			return p.abstain(why)
		}
		if why := p.listedAsCount(it.Spec); why != "" {
			return p.abstain(why)
		}
	}
	if it.Answerable && len(p.corrected) > 0 {
		it.Text += " (reading " + strings.Join(p.corrected, ", ") + ")"
	}
	return it
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strconv.Quote(x)
	}
	return out
}

// seq says whether the canonical tokens at i spell the words.
func (p *parser) seq(i int, ws ...string) bool {
	if i+len(ws) > len(p.toks) {
		return false
	}
	for k, w := range ws {
		t := p.toks[i+k]
		if t.used || (t.canon != w && t.raw != w) {
			return false
		}
	}
	return true
}

func (p *parser) use(i, n int, role string) {
	for k := i; k < i+n && k < len(p.toks); k++ {
		p.toks[k].used = true
		p.toks[k].role = role
	}
}

// changeStems are the heads of metrics of changes ("mrr" of mrr_change,
// "arr" of arr_delta) that nothing else is called.
func (p *parser) changeStems() map[string]bool {
	out := map[string]bool{}
	for _, x := range p.in.Layer.Metrics {
		ws := strings.Fields(snakeWords(x.Name))
		if x.Hidden || len(ws) != 2 || ws[1] != "change" && ws[1] != "delta" && ws[1] != "movement" {
			continue
		}
		if len(p.v.phrases[canonPhrase(ws[0])]) == 0 {
			out[canonPhrase(ws[0])] = true
		}
	}
	return out
}

// rewrite folds set phrasings onto one form.
func (p *parser) rewrite() {
	var out []*token
	stems := p.changeStems()
	for i := 0; i < len(p.toks); i++ {
		t := p.toks[i]
		var rate *statusRate
		if (t.raw == "rate" || t.raw == "rates" || t.raw == "ratio") && len(out) > 0 {
			rate = p.statusRateAt(out)
		}
		if stems[t.canon] && len(out) > 0 && !(i+1 < len(p.toks) && (p.toks[i+1].raw == "change" || p.toks[i+1].raw == "changes")) {
			// "new MRR", "churned MRR", "net new MRR" over MRR movements:
			// the change of that kind (all of them, net).
			prev := out[len(out)-1]
			switch {
			case prev.raw == "new" && len(out) >= 2 && out[len(out)-2].raw == "net":
				out = out[:len(out)-2]
			case prev.raw == "net":
				out = out[:len(out)-1]
			case !p.memberOfDim(prev.canon, ""):
				out = append(out, t)
				continue
			}
			out = append(out, t, &token{raw: "change", canon: "change"})
			continue
		}
		switch {
		case p.v.concepts["quantity"] != "" && (p.seq(i, "number", "of", "item", "per") || p.seq(i, "number", "of", "unit", "per") ||
			p.seq(i, "how", "many", "item", "per") || p.seq(i, "how", "many", "unit", "per")):
			// "average number of items per receipt": the units per
			// receipt (items in a basket are units, not products).
			out = append(out, &token{raw: "units", canon: "unit"})
			i += 2
			continue
		case p.v.concepts["quantity"] != "" && t.canon == "item" && i+1 < len(p.toks) && p.toks[i+1].raw == "per" &&
			(i > 0 && (p.toks[i-1].raw == "average" || p.toks[i-1].raw == "avg" || p.toks[i-1].raw == "mean") || i+2 < len(p.toks) && (sizedWords[p.toks[i+2].canon] || p.documentWord(p.toks[i+2]))):
			// "average items per order", "items per order by month": the
			// units per order (items in a basket are units, not products).
			out = append(out, &token{raw: "units", canon: "unit"})
			continue
		case p.seq(i, "on", "average") && p.hasWord("per"):
			// "how many items per basket on average": the average
			// asked first ("average units per basket").
			i++
			out = append([]*token{{raw: "average", canon: "average"}}, out...)
			continue
		case p.seq(i, "how", "many", "times") && p.v.concepts["documents"] != "" && p.hasWord(shopVerbs...):
			// "how many times did Aiden White shop": the documents (the
			// orders, receipts) of the revenue; the verb says nothing more.
			out = append(out, &token{raw: "number", canon: "number"}, &token{raw: "of", canon: "of"}, &token{raw: "orders", canon: "order"})
			i += 2
			for k := i + 1; k < len(p.toks); k++ {
				for _, w := range shopVerbs {
					if p.toks[k].raw == w {
						p.toks[k].raw, p.toks[k].canon = "did", "did"
					}
				}
			}
			continue
		case (t.raw == "busiest" || t.raw == "quietest") && p.v.eventCount != "" && p.v.concepts["documents"] == "":
			// (with documents — orders, receipts — by their number, below)
			// "busiest provider": the most visits — the rows of the one
			// fact of events.
			w := map[string]string{"busiest": "most", "quietest": "fewest"}[t.raw]
			out = append(out, &token{raw: w, canon: w})
			out = append(out, tokenize(p.in.Layer.Metric(p.v.eventCount).Label)...)
			continue
		case (p.seq(i, "length", "of", "stay") || p.seq(i, "stay", "length") || p.seq(i, "los")) && p.namesKind(canonWord("nights"), kMetric):
			// "average length of stay": the nights (per booking).
			out = append(out, &token{raw: "nights", canon: canonWord("nights")})
			switch t.raw {
			case "length": // length of stay
				i += 2
			case "stay": // stay length
				i++
			}
			continue
		case rate != nil:
			// "cancellation rate by channel", "no-show rate": the share
			// of the fact's rows with that status, in each group.
			out = append(out[:len(out)-rate.n], tokenize("share of number of "+rate.rows)...)
			for _, vt := range tokenize(rate.value) {
				// (the status's words are its member, even a word that
				// is also a keyword: "hired", "new")
				vt.role = "ratemember"
				out = append(out, vt)
			}
			p.statusRate = true
			continue
		case p.seq(i, "last", "calendar", "year") || p.seq(i, "previous", "calendar", "year") || p.seq(i, "prior", "calendar", "year") ||
			p.seq(i, "this", "calendar", "year") || p.seq(i, "current", "calendar", "year"):
			// "last calendar year": the calendar year before the as-of
			// date's (it grouped by year, every year).
			y := p.in.AsOf.Year()
			if t.raw != "this" && t.raw != "current" {
				y--
			}
			out = append(out, &token{raw: "calendar", canon: "calendar"}, &token{raw: strconv.Itoa(y), canon: strconv.Itoa(y)})
			i += 2
			continue
		case reCalendarYear.MatchString(t.raw):
			// "CY2025", "CY25": the calendar year.
			y := reCalendarYear.FindStringSubmatch(t.raw)[1]
			if len(y) == 2 {
				y = "20" + y
			}
			out = append(out, &token{raw: "calendar", canon: "calendar"}, &token{raw: y, canon: y})
			continue
		case t.raw == "only" && i == len(p.toks)-1 && i > 0:
			// "revenue from active subscriptions only": the filter says
			// it ("customers who only bought apparel" is not read).
			continue
		case (t.raw == "a" || t.raw == "an" || t.raw == "one") && i+2 < len(p.toks) && (p.toks[i+1].raw == "day" || p.toks[i+1].raw == "month" || p.toks[i+1].raw == "quarter") && p.toks[i+2].raw == "ago":
			// "a month ago": one month ago.
			out = append(out, &token{raw: "1", canon: "1"})
			continue
		case p.seq(i, "the", "day", "before", "yesterday") || p.seq(i, "day", "before", "yesterday"):
			// "the day before yesterday": two days ago.
			out = append(out, &token{raw: "2", canon: "2"}, &token{raw: "days", canon: "day"}, &token{raw: "ago", canon: "ago"})
			if t.raw == "the" {
				i++
			}
			i += 2
			continue
		case reYearQ.MatchString(t.raw) && i+1 < len(p.toks) && len(p.toks[i+1].raw) == 1 && p.toks[i+1].raw >= "1" && p.toks[i+1].raw <= "4":
			// "2025Q1": Q1 2025.
			q, y := p.toks[i+1].raw, strings.TrimSuffix(t.raw, "q")
			out = append(out, &token{raw: "q" + q, canon: "q" + q}, &token{raw: y, canon: y})
			i++
			continue
		case reFiscalYearWord.MatchString(t.raw) && i+2 < len(p.toks) && ordinals[p.toks[i+1].raw] != "" && p.toks[i+2].raw == "quarter":
			// "FY2025 first quarter": the first quarter of FY2025.
			q := ordinals[p.toks[i+1].raw]
			out = append(out, &token{raw: "q" + q, canon: "q" + q}, t)
			i += 2
			continue
		case reFYQuarter.MatchString(t.raw):
			// "FY25Q1", "fy2025q3": the quarter of the fiscal year.
			m := reFYQuarter.FindStringSubmatch(t.raw)
			out = append(out, &token{raw: "q" + m[2], canon: "q" + m[2]}, &token{raw: "fy" + m[1], canon: "fy" + m[1]})
			continue
		case reQuarterYear.MatchString(t.raw) && i+1 < len(p.toks) && (len(p.toks[i+1].raw) == 2 || len(p.toks[i+1].raw) == 4) && isNumber(p.toks[i+1].raw):
			// "1Q25", "3Q 2025": Q1 FY2025, as "Q1'25" reads.
			out = append(out, &token{raw: "q" + t.raw[:1], canon: "q" + t.raw[:1]}, &token{raw: "fy" + p.toks[i+1].raw, canon: "fy" + p.toks[i+1].raw})
			i++
			continue
		case t.raw == "w" && i+1 < len(p.toks) && !isNumber(p.toks[i+1].raw):
			// "accounts w/ revenue over 100k".
			out = append(out, &token{raw: "with", canon: "with"})
			continue
		case t.raw == "this" && (p.seq(i+1, "fiscal", "year", "to", "date") || p.seq(i+1, "year", "to", "date") || p.seq(i+1, "quarter", "to", "date") ||
			p.seq(i+1, "fiscal", "quarter", "to", "date") || p.seq(i+1, "month", "to", "date") || p.seq(i+1, "week", "to", "date")):
			// "this fiscal year to date" is the fiscal year to date (it
			// read this fiscal year, by day).
			continue
		case perRankWords[t.raw] && p.rankedPerMember(i):
			// "which industry had the highest revenue per account": the
			// industries ranked by their average per account, not the
			// top industry within each account.
			out = append(out, t, &token{raw: "average", canon: "average"})
			continue
		case (t.raw == "company" || t.raw == "company's" || t.raw == "companys") && p.theBusiness(i):
			// "total company revenue", "revenue for the whole company":
			// the business itself, not each customer company.
			continue
		case (t.raw == "latest" || p.seq(i, "most", "recent")) && p.unitAfter(i+1+boolInt(t.raw == "most")):
			// "the latest quarter", "the most recent month": the last
			// one ("last quarter"), not a row picked by its date.
			out = append(out, &token{raw: "last", canon: "last"})
			if t.raw == "most" {
				i++
			}
			continue
		case p.seq(i, "how", "many"), p.seq(i, "count", "of"), p.seq(i, "#", "of"), p.seq(i, "no", "of"):
			if i+2 < len(p.toks) && currentWords[p.toks[i+2].raw] && !p.memberOfDim(p.toks[i+2].canon, "") {
				// "how many active members" where no status is active:
				// "active" before the count (activeMembers reads it).
				out = append(out, p.toks[i+2], &token{raw: "number", canon: "number"}, &token{raw: "of", canon: "of"})
				i += 2
				continue
			}
			out = append(out, &token{raw: "number", canon: "number"}, &token{raw: "of", canon: "of"})
			i++
			continue
		case (t.raw == "distinct" || t.raw == "unique") && !(len(out) >= 2 && out[len(out)-2].raw == "number" && out[len(out)-1].raw == "of") && (i == 0 || p.toks[i-1].raw != "of"):
			// "distinct customers by region": how many.
			out = append(out, &token{raw: "number", canon: "number"}, &token{raw: "of", canon: "of"})
			continue
		case t.raw == "distinct" || t.raw == "unique" || t.raw == "different" || t.raw == "a" || t.raw == "an":
			continue
		case madeWords[t.raw] && i+1 < len(p.toks) && (eventWords[p.toks[i+1].raw] || (p.toks[i+1].raw == "a" || p.toks[i+1].raw == "an" || p.toks[i+1].raw == "any") && i+2 < len(p.toks) && eventWords[p.toks[i+2].raw]):
			// "customers who made a purchase", "placed orders": bought
			// (a verb, not a number of orders beside the customers).
			if !eventWords[p.toks[i+1].raw] {
				i++
			}
			i++
			out = append(out, &token{raw: "bought", canon: "bought"})
			continue
		case (t.raw == "size" || t.raw == "sizes") && i > 0 && len(out) > 0 && (sizedWords[p.toks[i-1].canon] || p.factNamed(p.toks[i-1]) != "") &&
			(p.seq(i+1, "in", "units") || p.seq(i+1, "in", "items")) && p.v.concepts["quantity"] != "":
			// "average basket size in units": the units per basket.
			doc := out[len(out)-1]
			out = append(out[:len(out)-1], &token{raw: "units", canon: "unit"}, &token{raw: "per", canon: "per"}, doc)
			i += 2
			continue
		case (t.raw == "size" || t.raw == "sizes") && i > 0 && (sizedWords[p.toks[i-1].canon] || p.factNamed(p.toks[i-1]) != ""):
			// "average basket size", "order size", "payment size" (a fact's own
			// rows): the value of one (not
			// "company size", which the warehouse does not hold); with
			// neither an average nor a ranking said ("basket size by
			// store"), the average one, not how many there are.
			if len(out) > 0 && !p.hasWord("average", "avg", "mean", "typical") && !p.hasWord(rankingWords...) {
				doc := out[len(out)-1]
				out = append(out[:len(out)-1], &token{raw: "average", canon: "average"}, doc)
			}
			continue
		case i+2 < len(p.toks) && p.toks[i+1].raw == "&" && ampersandAbbrevs[t.raw+"&"+p.toks[i+2].raw] != "" && !p.memberOfDim(canonPhrase(t.raw+"&"+p.toks[i+2].raw), ""):
			// "R&D", "G&A": their words (where no member is so called).
			for _, w := range strings.Fields(ampersandAbbrevs[t.raw+"&"+p.toks[i+2].raw]) {
				out = append(out, &token{raw: w, canon: canonWord(w)})
			}
			i += 2
			continue
		case i+2 < len(p.toks) && p.toks[i+1].raw == "&" && len(t.raw) <= 2 && len(p.toks[i+2].raw) <= 2 && p.memberOfDim(canonPhrase(t.raw+"&"+p.toks[i+2].raw), ""):
			// A member so called ("G&A", "P&C"): one word, so that its
			// letters are not read as words of their own ("a").
			w := t.raw + "&" + p.toks[i+2].raw
			out = append(out, &token{raw: w, canon: canonPhrase(w)})
			i += 2
			continue
		case t.raw == "sg" && i+2 < len(p.toks) && p.toks[i+1].raw == "&" && p.toks[i+2].raw == "a":
			for _, w := range strings.Fields("selling general and administrative") {
				out = append(out, &token{raw: w, canon: canonWord(w)})
			}
			i += 2
			continue
		case t.raw == "net" && i+1 < len(p.toks) && (p.toks[i+1].canon == "unit" || p.toks[i+1].canon == "item" || p.toks[i+1].canon == "quantity") && p.hasWord("after", "less", "minus"):
			// "net units sold after returns": the units less the returns
			// (not the net amount beside them).
			continue
		case t.raw == "cash" && len(p.v.phrases["cash"]) == 0 && p.v.concepts["payments"] != "" && i+1 < len(p.toks) && (p.toks[i+1].raw == "received" || p.toks[i+1].raw == "receipts" || p.toks[i+1].raw == "in"):
			// "cash received", "cash receipts", "cash in": the payments.
			out = append(out, &token{raw: "payments", canon: canonWord("payments")})
			i++
			continue
		case t.raw == "cash" && len(p.v.phrases["cash"]) == 0 && p.hasWord("collect", "collected", "received", "receive"):
			// "how much cash did we collect" where no member is called
			// cash: the payments.
			continue
		case p.rateLen(i) > 0:
			// "CTR", "conversion rate", "CPC", "ROAS": the ratio of the
			// warehouse's own numbers they are made of.
			n, words := p.rateAt(i)
			for _, w := range strings.Fields(words) {
				out = append(out, &token{raw: w, canon: canonWord(w)})
			}
			i += n - 1
			continue
		case (t.raw == "po" || t.raw == "pos") && len(p.v.phrases[canonPhrase("purchase orders")]) > 0 && !p.memberOfDim(t.canon, ""):
			// "POs": the purchase orders, where the warehouse has them.
			out = append(out, &token{raw: "purchase", canon: canonWord("purchase")}, &token{raw: "orders", canon: canonWord("orders")})
			continue
		case t.raw == "ordered" && i > 0 && (p.namesKind(p.toks[i-1].canon, kEntity) || p.toks[i-1].raw == "who" || p.toks[i-1].raw == "that"):
			// "how many customers ordered in December", "customers who
			// ordered": those with orders — the customers' count, not
			// the orders' too.
			continue
		case t.raw == "paid" && p.v.concepts["payroll"] != "" && p.v.concepts["payments"] == "" && p.v.concepts["revenue"] == "":
			// "the highest paid employee", "salaries paid": what people
			// earn, where nothing else is paid.
			w := "earned"
			if i > 0 && perRankWords[p.toks[i-1].raw] {
				w = "payroll"
			}
			out = append(out, &token{raw: w, canon: canonWord(w)})
			continue
		case (t.raw == "hires" || t.raw == "hirings") && (i == 0 || p.toks[i-1].raw != "new") && p.namesKind(canonWord("hire"), kEntity):
			// "hires by year": the people hired, by their hire date.
			out = append(out, &token{raw: "new", canon: "new"}, t)
			continue
		case slices.Contains(headcountWords, t.raw) && p.liveMember(t.canon) != "":
			// "headcount": the people employed now — the members of the
			// live status ("active") unless the question names a status.
			live := p.liveMember(t.canon)
			out = append(out, &token{raw: live, canon: canonWord(live)}, t)
			continue
		case p.seq(i, "accounts", "payable") && !p.memberOfDim("account payable", ""):
			// "accounts payable" where no account is so called: what is
			// owed to vendors.
			out = append(out, &token{raw: "payables", canon: canonWord("payables")})
			i++
			continue
		case p.seq(i, "accounts", "receivable") && !p.memberOfDim("account receivable", ""):
			// "total accounts receivable" where no account is so called:
			// what customers owe (a ledger's AR account stays a member).
			out = append(out, &token{raw: "receivables", canon: canonWord("receivables")})
			i++
			continue
		case (t.raw == "full" || t.raw == "complete" || t.raw == "completed" || t.raw == "whole") && i > 0 && i+1 < len(p.toks) &&
			(p.toks[i-1].raw == "last" || p.toks[i-1].raw == "previous" || p.toks[i-1].raw == "prior" || isNumber(p.toks[i-1].raw) || numberWords[p.toks[i-1].raw] > 0) &&
			(p.toks[i+1].canon == "quarter" || p.toks[i+1].canon == "month" || p.toks[i+1].canon == "year" || p.toks[i+1].canon == "week" || p.toks[i+1].raw == "fiscal"):
			// "the last full quarter", "the last 3 complete months": the
			// periods that have ended, as "last" reads them.
			continue
		case (p.seq(i, "last", "year", "ytd") || p.seq(i, "prior", "year", "ytd") || p.seq(i, "previous", "year", "ytd") || p.seq(i, "ytd", "last", "year")) && i > 0:
			// "revenue YTD vs last year YTD": the same period a year
			// earlier.
			out = append(out, &token{raw: "same", canon: "same"}, &token{raw: "period", canon: "period"}, &token{raw: "last", canon: "last"}, &token{raw: "year", canon: "year"})
			i += 2
			continue
		case (t.raw == "would" || t.raw == "d" || t.raw == "i'd") && i+1 < len(p.toks) && (p.toks[i+1].raw == "like" || p.toks[i+1].raw == "love"):
			// "I would like to see": a polite ask.
			i++
			for i+1 < len(p.toks) && (p.toks[i+1].raw == "to" || p.toks[i+1].raw == "see" || p.toks[i+1].raw == "know" || p.toks[i+1].raw == "get" || p.toks[i+1].raw == "have") {
				i++
			}
			continue
		case (t.canon == "month" || t.canon == "year") && i > 0 && p.toks[i-1].raw == "the" && i+2 < len(p.toks) && p.toks[i+1].raw == "of" && (monthNames[p.toks[i+2].raw] || plausibleYear(p.toks[i+2].raw)):
			// "in the month of May 2026": May 2026 (not by month).
			i++
			continue
		case (p.seq(i, "each", "of", "the") || p.seq(i, "every", "one", "of", "the")) && p.eachOfLast(i) != nil:
			// "revenue for each of the last 3 fiscal years": by fiscal
			// year, over the last 3.
			if len(out) > 0 && (out[len(out)-1].raw == "for" || out[len(out)-1].raw == "in") {
				out = out[:len(out)-1]
			}
			out = append(out, &token{raw: "by", canon: "by"})
			for _, w := range p.eachOfLast(i) {
				out = append(out, &token{raw: w, canon: canonWord(w)})
			}
			if p.toks[i].raw == "every" {
				i++
			}
			i++ // "each of"; "the last N …" is read as the range
			continue
		case t.raw == "who" && i == 0 && i+1 < len(p.toks) && p.customersWord() != "" && weakConcepts[p.toks[i+1].raw] != "" && p.toks[i+1].raw != "collected" && p.toks[i+1].raw != "collect":
			// "who spent the most", "who bought Voltix": the customer.
			w := singularWord(p.customersWord())
			out = append(out, &token{raw: "which", canon: "which"}, &token{raw: w, canon: canonWord(w)})
			continue
		case t.raw == "who" && i == 0 && i+1 < len(p.toks) && p.staffWord() != "" && !whoCopulas[p.toks[i+1].raw]:
			// "who worked the most hours", "who earns the most", "who
			// handled the most claims": the one model of staff (people
			// who work here), not the customers.
			w := singularWord(p.staffWord())
			out = append(out, &token{raw: "which", canon: "which"}, &token{raw: w, canon: canonWord(w)})
			continue
		case t.raw == "fiscal" && i+1 < len(p.toks) && (p.toks[i+1].raw == "ytd" || p.toks[i+1].raw == "qtd" || p.seq(i+1, "year", "to", "date")):
			// "fiscal YTD": year to date is the fiscal year's already.
			continue
		case t.raw == "past" && i+1 < len(p.toks) && (isNumber(p.toks[i+1].raw) || numberWords[p.toks[i+1].raw] > 0 || p.toks[i+1].raw == "few" || timeUnitWords[p.toks[i+1].canon] || shortTimeWords[p.toks[i+1].raw] != ""):
			// "the past year", "past 6 months", "over the past quarter":
			// the last.
			out = append(out, &token{raw: "last", canon: "last"})
			continue
		case (t.raw == "busiest" || t.raw == "quietest") && p.v.concepts["documents"] != "" && p.in.Layer.Metric(p.v.concepts["documents"]) != nil:
			// "the busiest store", "the quietest month": by the number of
			// documents (orders, receipts, invoices).
			w := "highest"
			if t.raw == "quietest" {
				w = "lowest"
			}
			out = append(out, &token{raw: w, canon: w})
			for _, x := range strings.Fields(p.in.Layer.Metric(p.v.concepts["documents"]).Label) {
				out = append(out, &token{raw: x, canon: canonWord(x)})
			}
			continue
		case (t.raw == "best" || t.raw == "worst") && !(i+1 < len(p.toks) && (strings.HasPrefix(p.toks[i+1].raw, "sell") || p.toks[i+1].raw == "performing")):
			// "our best month", "the worst store": ranked by the revenue
			// when no number is named (assemble).
			p.performing = true
			out = append(out, t)
			continue
		case (t.raw == "performing" || t.raw == "performers" || t.raw == "performer") && i > 0 && rankWords[p.toks[i-1].raw]:
			// "best performing stores", "top 5 performing accounts",
			// "worst performers": ranked by the revenue (assemble),
			// unless a number is named.
			p.performing = true
			continue
		case shortTimeWords[t.raw] != "":
			// "last yr", "by qtr": the words time phrases are read in.
			w := shortTimeWords[t.raw]
			out = append(out, &token{raw: w, canon: canonWord(w)})
			continue
		case shortWords[t.raw] != "" && len(p.v.phrases[t.canon]) == 0:
			// "tot sls by rgn", "sales wtd": the words in full, where the
			// layer has no word so spelt.
			for _, w := range strings.Fields(shortWords[t.raw]) {
				out = append(out, &token{raw: w, canon: canonWord(w)})
			}
			continue
		case (t.raw == "multiple" || t.raw == "several") && i+1 < len(p.toks) && p.countedNounAfter(i+1) && p.hasWord("with", "have", "has", "having", "had"):
			// "accounts with multiple subscriptions": more than one.
			out = append(out, &token{raw: "more", canon: "more"}, &token{raw: "than", canon: "than"}, &token{raw: "1", canon: "1"})
			continue
		case (t.raw == "with" || t.raw == "have" || t.raw == "has" || t.raw == "having") && i+2 < len(p.toks) && (p.toks[i+1].raw == "an" || p.toks[i+1].raw == "any" || p.toks[i+1].raw == "a") &&
			p.countedNounAt(i+2, true) >= 0 && p.hasWord("many", "number", "count"):
			// "how many accounts have an active subscription": those
			// with more than none of them (a count held to a threshold;
			// the noun in the plural, as counts are named).
			k := p.countedNounAt(i+2, true)
			if nt := p.toks[k]; nt.raw == nt.canon {
				nt.raw += "s"
			}
			out = append(out, t, &token{raw: "more", canon: "more"}, &token{raw: "than", canon: "than"}, &token{raw: "0", canon: "0"})
			i++
			continue
		case (p.seq(i, "collection", "rate") || p.seq(i, "collections", "rate")) && p.v.concepts["payments"] != "" && p.v.concepts["revenue"] != "":
			// "collection rate": the payments as a percentage of the
			// revenue invoiced.
			for _, w := range strings.Fields("pct of revenue collected") {
				out = append(out, &token{raw: w, canon: canonWord(w)})
			}
			i++
			continue
		case p.seq(i, "over", "the", "course", "of") || p.seq(i, "during", "the", "course", "of"):
			// "over the course of 2025": in 2025.
			out = append(out, &token{raw: "in", canon: "in"})
			i += 3
			continue
		case t.raw == "aov":
			// "AOV": the average order value.
			out = append(out, &token{raw: "average", canon: "average"}, &token{raw: "order", canon: "order"}, &token{raw: "value", canon: "value"})
			continue
		case p.seq(i, "journal", "entry") || p.seq(i, "journal", "entries"):
			// "journal entry count": the journals.
			out = append(out, &token{raw: "journals", canon: "journal"})
			i++
			continue
		case (t.raw == "most" || t.raw == "fewest" || t.raw == "least") && !(i > 0 && p.toks[i-1].raw == "at") && p.countedNounAfter(i+1):
			// "which country has the most accounts", "the fewest active
			// subscriptions": the highest number of them (not a number
			// still to be named).
			w := "highest"
			if t.raw != "most" {
				w = "lowest"
			}
			out = append(out, &token{raw: w, canon: w}, &token{raw: "number", canon: "number"}, &token{raw: "of", canon: "of"})
			continue
		case p.seq(i, "year", "over", "year"), p.seq(i, "year", "on", "year"):
			out = append(out, &token{raw: "yoy", canon: "yoy"})
			i += 2
			continue
		case p.seq(i, "of", "all", "time"):
			// No time range: every period the warehouse holds.
			i += 2
			p.allTime = true
			continue
		case p.seq(i, "since", "inception"):
			i++
			p.allTime = true
			continue
		case p.seq(i, "all", "time"), p.seq(i, "all", "times"):
			i++
			p.allTime = true
			continue
		case (t.raw == "pay" || t.raw == "paid") && i > 0 && (p.toks[i-1].raw == "we" || p.toks[i-1].raw == "i") && !(p.purchaseDocs() && p.v.concepts["payments"] != "") && !p.paidByUs():
			// "how much did we pay in rent": what we spend, not the
			// payments our customers make (where the payments are ours,
			// to vendors, they are what we paid).
			w := map[string]string{"pay": "spend", "paid": "spent"}[t.raw]
			out = append(out, &token{raw: w, canon: w})
			continue
		case t.raw == "ordered" && i+1 < len(p.toks) && orderedBefore[p.toks[i+1].raw]:
			// "ordered from highest to lowest", "ordered by revenue":
			// sorted, not orders.
			out = append(out, &token{raw: "sorted", canon: "sorted"})
			continue
		case p.seq(i, "lost", "to") && i+2 < len(p.toks) && isEndedWord(p.toks[i+2].raw):
			// "MRR lost to cancellations": the cancelled members' MRR.
			i++
			continue
		case (t.raw == "spend" || t.raw == "spending") && i > 0 && (p.toks[i-1].raw == "average" || p.toks[i-1].raw == "avg" || p.toks[i-1].raw == "mean") && p.hasWord(entityWords[0]...):
			// "average spend per customer": what customers spend is
			// the revenue.
			out = append(out, &token{raw: "sales", canon: "sale"})
			continue
		case t.raw == "active" && len(p.v.phrases["active"]) == 0 && i+1 < len(p.toks) && p.hasPeriodWord():
			// "active customers in 2025" where no status says active:
			// those with rows in the period.
			continue
		case (t.canon == "unit" || t.canon == "item") && (i+2 < len(p.toks) && (p.toks[i+1].raw == "were" || p.toks[i+1].raw == "was") && p.toks[i+2].raw == "returned" ||
			i+1 < len(p.toks) && p.toks[i+1].raw == "returned"):
			// "how many units were returned", "number of items returned":
			// the units returned (not the number of items, a count of
			// products, beside the number of returns).
			if n := len(out); n >= 2 && out[n-2].raw == "number" && out[n-1].raw == "of" {
				out = out[:n-2]
			}
			if p.toks[i+1].raw == "returned" {
				out = append(out, t, p.toks[i+1])
				i++
			} else {
				out = append(out, t, p.toks[i+2])
				i += 2
			}
			continue
		case (p.seq(i, "year", "end") || p.seq(i, "fiscal", "year", "end") || p.seq(i, "quarter", "end") || p.seq(i, "month", "end")) && i > 0 && p.toks[i-1].raw == "at":
			// "accounts receivable at year end FY2025": at the end of
			// FY2025 (the period named next).
			for p.toks[i].raw != "end" {
				i++
			}
			out = append(out, &token{raw: "end", canon: "end"}, &token{raw: "of", canon: "of"})
			continue
		case (p.seq(i, "end", "of", "each") || p.seq(i, "end", "of", "every")) && i+3 < len(p.toks) && (p.toks[i+3].canon == "month" || p.toks[i+3].canon == "quarter" || p.toks[i+3].canon == "year"):
			// "cash at the end of each month": a balance read at each
			// month's end, by month.
			p.edge = semlayer.TimeLast
			out = append(out, &token{raw: "by", canon: "by"}, p.toks[i+3])
			i += 3
			continue
		case p.seq(i, "right", "now") || p.seq(i, "at", "present") || t.raw == "now" || t.raw == "currently":
			// "the total MRR right now": the current number (no period).
			if p.seq(i, "right", "now") || p.seq(i, "at", "present") {
				i++
			}
			continue
		case t.raw == "lifetime" && i+1 < len(p.toks) && (p.toks[i+1].raw == "value" || p.toks[i+1].raw == "values"):
			// "customer lifetime value": a number the warehouse does not
			// hold (not all-time "value", a stop word).
			p.problems = append(p.problems, "a lifetime value is not computed here")
			i++
			continue
		case t.raw == "ever" || t.raw == "lifetime":
			p.allTime = true
			continue
		case p.seq(i, "to", "date") && (i == 0 || !toDateWords[p.toks[i-1].raw]):
			// "revenue to date": since when? (all time, or the year?)
			i++
			p.problems = append(p.problems, "to date since when? say \"YTD\", \"this year so far\" or \"of all time\"")
			continue
		case p.seq(i, "so", "far"):
			// "so far this year": this year to date.
			i++
			p.soFar = true
			continue
		}
		out = append(out, t)
	}
	p.toks = out
}

// thresholdBefore are the words a threshold's number follows ("more
// than 1000", "over 2000"): the number is not a year.
var thresholdBefore = set(`than over above under below least most exceeding exceeds`)

// overWords also say "during" before a year ("sales over 2025").
var overWords = set(`over above under below`)

// plausibleYear says a number could be a year of the warehouse's data.
func plausibleYear(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && len(s) == 4 && n >= 1900 && n <= 2100
}

// orderedBefore are the words after "ordered" that make it "sorted".
var orderedBefore = set(`by from highest lowest largest smallest descending ascending biggest`)

// toDateWords are the words "to date" follows in a period to date
// ("year to date").
var toDateWords = map[string]bool{"year": true, "quarter": true, "month": true, "week": true, "fiscal": true}

var compareKeywords = set(`vs vs. versus compared compare comparing comparison against relative`)

// comparePhrases are the phrases naming the comparison period.
var comparePhrases = []struct {
	words string
	kind  string
}{
	{"same quarter last year", query.ComparePriorYear}, {"same month last year", query.ComparePriorYear},
	{"same period last year", query.ComparePriorYear}, {"same period of last year", query.ComparePriorYear},
	{"same quarter of last year", query.ComparePriorYear}, {"same month of last year", query.ComparePriorYear},
	{"same quarter year earlier", query.ComparePriorYear}, {"same quarter year ago", query.ComparePriorYear},
	{"same period year earlier", query.ComparePriorYear}, {"same period year ago", query.ComparePriorYear},
	{"same month year earlier", query.ComparePriorYear}, {"same month year ago", query.ComparePriorYear},
	{"same time last year", query.ComparePriorYear}, {"same quarter the year before", query.ComparePriorYear},
	{"same period the year before", query.ComparePriorYear}, {"same month the year before", query.ComparePriorYear},
	{"year earlier", query.ComparePriorYear}, {"year ago", query.ComparePriorYear}, {"the year before", query.ComparePriorYear},
	{"prior year", query.ComparePriorYear}, {"previous year", query.ComparePriorYear}, {"last year", query.ComparePriorYear}, {"yoy", query.ComparePriorYear},
	{"prior quarter", query.ComparePriorPeriod}, {"previous quarter", query.ComparePriorPeriod}, {"prior month", query.ComparePriorPeriod}, {"previous month", query.ComparePriorPeriod},
	{"the quarter before", query.ComparePriorPeriod}, {"the month before", query.ComparePriorPeriod},
	{"the period before", query.ComparePriorPeriod}, {"the previous period", query.ComparePriorPeriod},
	{"previous period", query.ComparePriorPeriod}, {"prior period", query.ComparePriorPeriod},
	{"qoq", query.ComparePriorPeriod}, {"mom", query.ComparePriorPeriod},
	// A scenario: only when something compares ("revenue vs budget",
	// "actual against plan", "budget vs actual revenue").
	{"the budget", query.CompareBudget}, {"budget", query.CompareBudget}, {"budgeted", query.CompareBudget}, {"the plan", query.CompareBudget}, {"plan", query.CompareBudget},
	{"the forecast", query.CompareForecast}, {"forecast", query.CompareForecast},
	{"quarter over quarter", query.ComparePriorPeriod}, {"month over month", query.ComparePriorPeriod},
}

func (p *parser) comparePhrases() {
	for i := range p.toks {
		if p.toks[i].used {
			continue
		}
		if compareKeywords[p.toks[i].raw] || p.toks[i].raw == "growth" || p.toks[i].canon == "change" || p.toks[i].raw == "yoy" {
			if p.compareKW < 0 && compareKeywords[p.toks[i].raw] {
				p.compareKW = i
			}
		}
	}
	for i := 0; i < len(p.toks); i++ {
		for _, cp := range comparePhrases {
			ws := strings.Fields(cp.words)
			if !p.seq(i, ws...) {
				continue
			}
			// "prior year" and "previous year" name a time range unless
			// something compares.
			// "prior year", "previous quarter" name a time range unless
			// something before them compares.
			if w := ws[0]; (w == "prior" || w == "previous" || w == "last") && len(ws) == 2 && (p.compareKW < 0 || p.compareKW > i) {
				continue
			}
			scenario := cp.kind == query.CompareBudget || cp.kind == query.CompareForecast
			if scenario && (!p.nextToCompare(i, len(ws)) || p.scenarioMember(i, len(ws))) {
				continue
			}
			n := len(ws)
			if i > 0 && p.toks[i-1].raw == "the" {
				p.use(i-1, 1, "compare")
			}
			p.use(i, n, "compare")
			if p.compareKind != "" && p.compareKind != cp.kind {
				p.problems = append(p.problems, "two different comparisons")
			}
			p.compareKind = cp.kind
			switch cp.words {
			case "month over month", "mom":
				p.compareGrain = semlayer.GrainMonth
			case "quarter over quarter", "qoq":
				p.compareGrain = semlayer.GrainFiscalQuarter
			}
			if p.compareKW < 0 {
				p.compareKW = i
			}
			if scenario {
				// "actual(s)" is the other side of the comparison.
				for j := range p.toks {
					if p.toks[j].raw == "actual" || p.toks[j].raw == "actuals" {
						p.use(j, 1, "compare")
					}
				}
			}
			i += n - 1
			break
		}
		// "the same quarter of FY2025": the period follows.
		if p.seq(i, "same") && i+2 < len(p.toks) && (p.toks[i+1].canon == "quarter" || p.toks[i+1].canon == "month" || p.toks[i+1].canon == "period" || p.toks[i+1].canon == "year") && p.toks[i+2].raw == "of" {
			if i > 0 && p.toks[i-1].raw == "the" {
				p.use(i-1, 1, "compare")
			}
			p.use(i, 3, "compare")
			if p.compareKW < 0 {
				p.compareKW = i
			}
		}
	}
}

// scenarioMember says the words at i..i+n-1 are a member of a column of
// scenarios ("budget vs actual" where a fact's scenario column holds
// Budget and Actual) and no budget or forecast was imported as a
// scenario of its own: the members, compared side by side.
func (p *parser) scenarioMember(i, n int) bool {
	for _, m := range p.in.Layer.Models {
		if m.Scenario != "" {
			return false
		}
	}
	var cs []string
	for _, t := range p.toks[i : i+n] {
		cs = append(cs, t.canon)
	}
	return slices.ContainsFunc(p.v.phrases[strings.Join(cs, " ")], func(t target) bool {
		if t.kind == kMember && scenarioWords[canonPhrase(t.value)] {
			return true
		}
		// A number the layer calls so (a project's budget, an
		// attribute of its members): the two numbers side by side.
		m := p.in.Layer.Metric(t.name)
		return t.kind == kMetric && m != nil && !m.Hidden && m.Format == "money"
	})
}

// nextToCompare: the words at i..i+n-1 are what something is compared
// with, or compared: right after a comparing word ("vs budget", "compared
// with the plan") or right before one ("budget vs actual"). Elsewhere
// "plan" and "budget" are ordinary words (a dimension "plan").
func (p *parser) nextToCompare(i, n int) bool {
	j := i - 1
	for j >= 0 && (p.toks[j].raw == "with" || p.toks[j].raw == "to") {
		j--
	}
	if j >= 0 && compareKeywords[p.toks[j].raw] {
		return true
	}
	return i+n < len(p.toks) && compareKeywords[p.toks[i+n].raw]
}

func (p *parser) hasWord(ws ...string) bool {
	for _, t := range p.toks {
		for _, w := range ws {
			if t.raw == w || t.canon == w {
				return true
			}
		}
	}
	return false
}

var (
	reOrdinalQuarter = regexp.MustCompile(`^(?:the\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?quarter(?:\s+(?:of\s+)?((?:fy|fiscal(?:\s+year)?)?\s*'?\d{2,4}))?$`)
	ordinals         = map[string]string{"first": "1", "second": "2", "third": "3", "fourth": "4", "1st": "1", "2nd": "2", "3rd": "3", "4th": "4"}
	reISODay         = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	reFiscalQ        = regexp.MustCompile(`^fiscal\s+q([1-4])\s+(\d{2}|\d{4})$`)
)

// resolve reads a time phrase: the calendar's phrases, ordinal quarters.
func (p *parser) resolve(phrase string) (semlayer.Range, bool) {
	if m := reOrdinalQuarter.FindStringSubmatch(phrase); m != nil {
		if y := m[2]; y == "" {
			// "the second quarter": as "Q2" alone.
			phrase = "q" + ordinals[m[1]]
		} else {
			if !strings.Contains(y, "fy") && !strings.Contains(y, "fiscal") {
				y = "fy" + strings.TrimSpace(y)
			}
			phrase = "q" + ordinals[m[1]] + " " + y
		}
	}
	if m := reFiscalQ.FindStringSubmatch(phrase); m != nil {
		phrase = "q" + m[1] + " fy" + m[2] // "fiscal q2 2026"
	}
	if r, ok := p.oneDay(phrase); ok {
		return r, true
	}
	if phrase == "last week" || phrase == "this week" || phrase == "previous week" || phrase == "the last week" || phrase == "the previous week" || phrase == "this week so far" {
		// A week starts on Monday; "last week" is the one before this
		// one, "this week" runs to the as-of date.
		d := time.Date(p.in.AsOf.Year(), p.in.AsOf.Month(), p.in.AsOf.Day(), 0, 0, 0, 0, time.UTC)
		monday := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
		from, to := monday.AddDate(0, 0, -7), monday
		if strings.HasPrefix(phrase, "this") {
			from, to = monday, d.AddDate(0, 0, 1)
		}
		return semlayer.Range{From: from, To: to, Grain: semlayer.GrainDay, Count: int(to.Sub(from).Hours() / 24),
			Label: "the week of " + from.Format("2 January 2006")}, true
	}
	if r, ok := p.half(phrase); ok {
		return r, true
	}
	if r, ok := p.ending(phrase); ok {
		return r, true
	}
	ws := strings.Fields(phrase)
	if len(ws) == 1 && (ws[0] == "may" || ws[0] == "mar" || ws[0] == "jun" || ws[0] == "jan") {
		return semlayer.Range{}, false // modal "may" and short forms alone are too often something else
	}
	return p.in.Layer.Calendar.Resolve(phrase, p.in.AsOf)
}

// timeSpans finds the time phrases, longest first, and the explicit
// day ranges ("between 2025-12-01 and 2025-12-24").
// stockEdges reads "end of <period>" and "beginning (start) of
// <period>": a balance at the period's end or start — which a stock
// (a semi-additive measure) reads within its period anyway, and which
// other numbers do not have (checked when the metrics are known).
func (p *parser) stockEdges() {
	for i := 0; i+1 < len(p.toks); i++ {
		edge := map[string]string{"end": semlayer.TimeLast, "beginning": semlayer.TimeFirst, "start": semlayer.TimeFirst}[p.toks[i].raw]
		if edge == "" || p.toks[i].used || p.toks[i+1].raw != "of" {
			continue
		}
		next := i + 2
		if next < len(p.toks) && p.toks[next].raw == "the" && !p.toks[next].used {
			next++
		}
		for _, t := range p.times {
			if t.pos == next || t.pos == i+2 {
				p.use(i, 2, "stock edge")
				p.edge = edge
				break
			}
		}
	}
}

func (p *parser) timeSpans() {
	for i := 0; i < len(p.toks); i++ {
		// between DAY and DAY (both included).
		if p.seq(i, "between") && i+3 < len(p.toks) && reISODay.MatchString(p.toks[i+1].raw) && p.toks[i+2].raw == "and" && reISODay.MatchString(p.toks[i+3].raw) {
			a, e1 := time.Parse("2006-01-02", p.toks[i+1].raw)
			b, e2 := time.Parse("2006-01-02", p.toks[i+3].raw)
			if e1 == nil && e2 == nil && !b.Before(a) {
				days := int(b.Sub(a).Hours()/24) + 1
				r := semlayer.Range{From: a, To: b.AddDate(0, 0, 1), Grain: semlayer.GrainDay, Count: days,
					Label: a.Format("2 January 2006") + " – " + b.Format("2 January 2006")}
				p.times = append(p.times, timeMention{rng: r, pos: i, phrase: "between"})
				p.use(i, 4, "time")
				i += 3
				continue
			}
		}
		if p.toks[i].used {
			continue
		}
		if r, n, ok := p.calendarQuarter(i); ok {
			// "Q1 of calendar 2026", "calendar Q1 2026": January to
			// March, whatever the fiscal year.
			p.times = append(p.times, timeMention{rng: r, pos: i, end: i + n, phrase: "calendar quarter"})
			p.use(i, n, "time")
			i += n - 1
			continue
		}
		at := i
		if p.toks[i].raw == "the" {
			at++
		}
		if r, ok := p.monthQuarter(at); ok {
			// "the December quarter": the quarter that ends in December.
			p.times = append(p.times, timeMention{rng: r, pos: i, end: at + 2, phrase: p.toks[at].raw + " quarter"})
			p.use(i, at+2-i, "time")
			i = at + 1
			continue
		}
		for n := min(7, len(p.toks)-i); n >= 1; n-- {
			ok := true
			var raw []string
			for k := i; k < i+n; k++ {
				if p.toks[k].used {
					ok = false
					break
				}
				raw = append(raw, p.toks[k].raw)
			}
			if !ok {
				continue
			}
			if stopWords[raw[0]] && raw[0] != "this" && raw[0] != "the" {
				break
			}
			phrase := strings.Join(raw, " ")
			if n == 1 && (stopWords[phrase] || phrase == "last" || phrase == "year") {
				continue
			}
			if n == 1 && isNumber(phrase) && (!plausibleYear(phrase) || i >= 2 && p.toks[i-1].raw == "and" && isNumber(p.toks[i-2].raw) && !plausibleYear(p.toks[i-2].raw)) {
				continue // "invoices between 1000 and 2000": amounts, not the years 1000 to 2000
			}
			if i > 0 && thresholdBefore[p.toks[i-1].raw] && isNumber(raw[0]) && !(overWords[p.toks[i-1].raw] && plausibleYear(raw[0])) {
				// "spent more than 1000": an amount, not the year 1000
				// ("sales over 2025" is during 2025).
				break
			}
			r, ok := p.resolve(phrase)
			if !ok && n == 1 && i > 0 && monthPrepositions[p.toks[i-1].raw] {
				// "revenue in May": after a preposition of time the
				// month, not the modal verb.
				r, ok = p.in.Layer.Calendar.Resolve(phrase, p.in.AsOf)
			}
			if !ok {
				continue
			}
			if p.soFar && !r.ToDate && (raw[0] == "this" || raw[0] == "current" || raw[0] == "calendar") {
				// "this year so far": to the as-of date.
				today := time.Date(p.in.AsOf.Year(), p.in.AsOf.Month(), p.in.AsOf.Day(), 0, 0, 0, 0, time.UTC)
				if end := today.AddDate(0, 0, 1); end.Before(r.To) && end.After(r.From) {
					r.To, r.ToDate = end, true
					r.Label += " to date"
				}
			}
			p.times = append(p.times, timeMention{rng: r, pos: i, end: i + n, phrase: phrase})
			p.use(i, n, "time")
			i += n - 1
			break
		}
	}
}

// periodHeads reads "period" before a period ("revenue for period
// 2025-06", "the period March 2025") as a word of the period, not a
// dimension of that name to group by. ("by period 2025" groups.)
func (p *parser) periodHeads() {
	for _, t := range p.times {
		i := t.pos
		if i < 1 || p.toks[i-1].used || p.toks[i-1].raw != "period" || i >= 2 && dateGroupBefore[p.toks[i-2].raw] {
			continue
		}
		p.use(i-1, 1, "time")
	}
}

// perMember is why "per" before a member alone cannot be answered
// ("cost per vCPU-hour", "revenue per Platinum"): a number per unit of
// a kind of thing needs that thing counted or measured, which a
// member's name does not say. "per Platinum customer" (the member before
// its model's word) and "per month" are read as before.
func (p *parser) perMember() string {
	for i, t := range p.toks {
		if t.raw != "per" || i+1 >= len(p.toks) {
			continue
		}
		for mi, m := range p.mentions {
			if m.pos != i+1 || len(m.t) == 0 || !onlyMembers(m.t) {
				continue
			}
			if mi+1 < len(p.mentions) && p.mentions[mi+1].pos == m.end && slices.ContainsFunc(p.mentions[mi+1].t, func(x target) bool { return x.kind == kEntity || x.kind == kDim || x.kind == kMetric }) {
				continue
			}
			return fmt.Sprintf("%q per %s: a number per unit of a member is not computed here (ask for the two numbers, e.g. the cost and the usage, for it)", p.text(mention{pos: 0, end: i}), p.text(m))
		}
	}
	return ""
}

// moneyPlurals are nouns of money whose singular reads as a verb that
// says nothing ("earnings" is no form of "earning"): never fillers.
var moneyPlurals = map[string]bool{"earnings": true, "savings": true, "winnings": true, "takings": true}

var reHyphenated = regexp.MustCompile(`\b([A-Za-z]+)-([A-Za-z]+)\b`)

// joinHyphens writes a hyphenated word as one where the vocabulary
// knows it so ("check-ins" for class_checkins, "sign-ups" for signups);
// others stay two words ("year-over-year", "e-commerce").
func (p *parser) joinHyphens(q string) string {
	return reHyphenated.ReplaceAllStringFunc(q, func(w string) string {
		joined := strings.ReplaceAll(w, "-", "")
		if len(p.v.phrases[canonPhrase(joined)]) > 0 && len(p.v.phrases[canonPhrase(strings.ReplaceAll(w, "-", " "))]) == 0 {
			return joined
		}
		return w
	})
}

var reCalendarQuarter = regexp.MustCompile(`^(?:the )?(?:calendar (?:year )?q([1-4])|q([1-4]) (?:of )?(?:the )?calendar(?: year)?|(first|second|third|fourth|1st|2nd|3rd|4th) calendar quarter(?: of)?|(first|second|third|fourth|1st|2nd|3rd|4th) quarter of (?:the )?calendar(?: year)?) (?:of )?(\d{4})$`)

// calendarQuarter reads a calendar quarter at token i ("Q1 of calendar
// 2026", "calendar Q3 2025", "the first calendar quarter of 2026"): its
// range and its number of tokens. A fiscal calendar's "Q1 2026" is its
// own quarter; "calendar" says January to March.
func (p *parser) calendarQuarter(i int) (semlayer.Range, int, bool) {
	for n := min(8, len(p.toks)-i); n >= 3; n-- {
		var raw []string
		for k := i; k < i+n; k++ {
			if p.toks[k].used {
				return semlayer.Range{}, 0, false
			}
			raw = append(raw, p.toks[k].raw)
		}
		m := reCalendarQuarter.FindStringSubmatch(strings.Join(raw, " "))
		if m == nil {
			continue
		}
		q := m[1] + m[2]
		if w := m[3] + m[4]; w != "" {
			q = ordinals[w]
		}
		y, err := strconv.Atoi(m[5])
		if err != nil || !plausibleYear(m[5]) {
			return semlayer.Range{}, 0, false
		}
		qn, _ := strconv.Atoi(q)
		from := time.Date(y, time.Month(3*(qn-1)+1), 1, 0, 0, 0, 0, time.UTC)
		return semlayer.Range{From: from, To: from.AddDate(0, 3, 0), Grain: semlayer.GrainMonth, Count: 3, Label: fmt.Sprintf("calendar Q%d %d", qn, y)}, n, true
	}
	return semlayer.Range{}, 0, false
}

// monthQuarter reads "the December quarter" at token i: the fiscal
// quarter that ends with the most recent December. A month that ends no
// quarter ("the February quarter") is not read.
func (p *parser) monthQuarter(i int) (semlayer.Range, bool) {
	if i+1 >= len(p.toks) || p.toks[i+1].raw != "quarter" || p.toks[i+1].used || isNumber(p.toks[i].raw) {
		return semlayer.Range{}, false
	}
	if _, err := time.Parse("January", strings.ToUpper(p.toks[i].raw[:1])+p.toks[i].raw[1:]); err != nil {
		return semlayer.Range{}, false
	}
	cal := p.in.Layer.Calendar
	m, ok := cal.Resolve(p.toks[i].raw, p.in.AsOf)
	if !ok {
		return semlayer.Range{}, false
	}
	fy, q := cal.Year(m.From), cal.Quarter(m.From)
	from := cal.QuarterStart(fy, q)
	to := from.AddDate(0, 3, 0)
	if !m.To.Equal(to) {
		p.problems = append(p.problems, fmt.Sprintf("\"the %s quarter\": no quarter ends in %s; name the quarter (e.g. \"Q%d FY%d\")", p.toks[i].raw, m.From.Format("January"), q, fy))
		return semlayer.Range{}, false
	}
	return semlayer.Range{From: from, To: to, Grain: semlayer.GrainFiscalQuarter, Count: 1, Label: fmt.Sprintf("FY%d Q%d", fy, q)}, true
}

// perRankWords rank members by a number ("the highest revenue per …").
var perRankWords = map[string]bool{"highest": true, "lowest": true, "largest": true, "smallest": true, "biggest": true, "most": true, "least": true, "best": true, "worst": true, "top": true}

// selfArithmetic says a derived number or a ratio of the spec takes one
// metric from, or over, itself.
func selfArithmetic(spec query.Spec) bool {
	for _, r := range spec.Ratios {
		if r.Denominator != "" && r.Numerator == r.Denominator {
			return true
		}
	}
	for _, d := range spec.Derived {
		// "a - a", "100 * a / a" (a formula may use a number twice
		// among others: discount / (net_amount + discount)).
		if ws := reIdent.FindAllString(d.Expr, -1); len(ws) == 2 && ws[0] == ws[1] {
			return true
		}
	}
	return false
}

var reIdent = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// sumAsked says the question asks for one total: "sum of", "total of",
// "how much", "combined".
func (p *parser) sumAsked() bool {
	for i, t := range p.toks {
		next := ""
		if i+1 < len(p.toks) {
			next = p.toks[i+1].raw
		}
		if (t.raw == "sum" || t.raw == "total") && next == "of" || t.raw == "how" && next == "much" || t.raw == "combined" || t.raw == "altogether" {
			return true
		}
	}
	return false
}

// rankedPerMember says the ranking word at token i ranks members asked
// with "which" (or "what"), or grouped with "by", by a number "per"
// members of another kind ("which industry had the highest revenue per
// account", "highest revenue per account by industry"): an average.
func (p *parser) rankedPerMember(i int) bool {
	which := false
	for k := 0; k < i; k++ {
		which = which || p.toks[k].raw == "which" || p.toks[k].raw == "what"
	}
	if i+1 < len(p.toks) && (p.toks[i+1].raw == "average" || p.toks[i+1].raw == "avg" || p.toks[i+1].raw == "mean") {
		return false
	}
	for k := i + 1; k < len(p.toks) && k <= i+4; k++ {
		if p.toks[k].raw == "per" && k > i+1 && k+1 < len(p.toks) && p.namesKind(p.toks[k+1].canon, kEntity) {
			by := false
			for j := k + 2; j < len(p.toks); j++ {
				by = by || p.toks[j].raw == "by"
			}
			if !which && !by {
				return false
			}
			named := false
			for j := i + 1; j < k; j++ {
				if isNumber(p.toks[j].raw) || p.namesKind(p.toks[j].canon, kEntity) {
					return false // "top 3 products per category": ranked within each
				}
				named = named || p.namesKind(p.toks[j].canon, kMetric)
			}
			return named
		}
	}
	return false
}

// theBusiness says "company" at token i is the business asking, not a
// customer: after "the", "our", "whole", "total" ("the whole company",
// "total company revenue"), or before a number's noun with no word that
// picks or groups companies before it ("company revenue in FY2026";
// "revenue by company", "which company", "top company" are customers).
func (p *parser) theBusiness(i int) bool {
	if i > 0 {
		switch p.toks[i-1].raw {
		case "the", "our", "my", "whole", "entire", "total", "overall", "this":
			return true
		}
	}
	if i+1 >= len(p.toks) || !p.namesKind(p.toks[i+1].canon, kMetric) {
		return false
	}
	return i == 0 || !dateGroupBefore[p.toks[i-1].raw] && keywordPhrases[p.toks[i-1].raw] == "" && p.toks[i-1].raw != "which" && p.toks[i-1].raw != "what" && p.toks[i-1].raw != "a" && p.toks[i-1].raw != "one"
}

// unitAfter says a time unit starts at token k ("quarter", "fiscal
// year").
func (p *parser) unitAfter(k int) bool {
	if k < len(p.toks) && p.toks[k].raw == "fiscal" {
		k++
	}
	return k < len(p.toks) && timeUnits[p.toks[k].raw] != "" && !strings.HasSuffix(p.toks[k].raw, "s")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// namesMoney says a word of the question names an amount of money ("the
// amount invoiced monthly" is by month; "subscriptions billed monthly"
// are a kind of subscription).
func (p *parser) namesMoney() bool {
	for _, t := range p.toks {
		if t.raw == "amount" || t.raw == "amounts" {
			return true
		}
		for _, x := range p.v.phrases[t.canon] {
			if m := p.in.Layer.Metric(x.name); x.kind == kMetric && m != nil && m.Format == "money" {
				return true
			}
		}
	}
	return false
}

// billingVerbs and frequencyWords: "billed annually", "renews monthly".
var (
	billingVerbs   = map[string]bool{"billed": true, "charged": true, "invoiced": true, "renewed": true, "renew": true, "renews": true, "renewing": true, "paying": true}
	frequencyWords = map[string]bool{"annually": true, "monthly": true, "quarterly": true, "weekly": true, "yearly": true, "biannually": true, "semiannually": true}
)

var (
	reFYQuarter      = regexp.MustCompile(`^fy(\d{2}|\d{4})q([1-4])$`)
	reQuarterYear    = regexp.MustCompile(`^[1-4]q$`)
	reCalendarYear   = regexp.MustCompile(`^cy(\d{2}|\d{4})$`)
	reYearQ          = regexp.MustCompile(`^\d{4}q$`)
	reFiscalYearWord = regexp.MustCompile(`^fy(\d{2}|\d{4})$`)
)

// monthPrepositions come before a month's name ("in May", "since Jan").
var monthPrepositions = map[string]bool{"in": true, "during": true, "since": true, "for": true, "of": true, "until": true, "till": true, "through": true}

// keyword phrases of the grammar.
var keywordPhrases = map[string]string{
	"by": "by", "per": "by", "each": "by", "every": "by", "for each": "by", "for every": "by", "broken down by": "by", "split by": "by", "grouped by": "by", "broken out by": "by", "broken up by": "by", "split out by": "by", "in each": "by", "within each": "by", "across": "by",
	"top": "top", "bottom": "bottom", "best selling": "desc", "top selling": "desc", "worst selling": "asc",
	"highest": "desc", "most": "desc", "largest": "desc", "biggest": "desc", "best": "desc", "greatest": "desc", "max": "desc", "maximum": "desc", "top performing": "desc",
	"expensive": "price", "priciest": "priceup", "most expensive": "priceup", "cheapest": "pricedown", "least expensive": "pricedown", "cheap": "pricedown",
	"lowest": "asc", "least": "asc", "smallest": "asc", "worst": "asc", "fewest": "asc", "min": "asc", "minimum": "asc", "weakest": "asc",
	"first": "first", "highest first": "descfirst", "largest first": "descfirst", "lowest first": "ascfirst", "descending": "descfirst", "ascending": "ascfirst",
	"as pct": "share", "in pct": "share", "as share of": "pctof", "as proportion of": "pctof", "as ratio of": "pctof",
	"as pct of total": "share", "as pct of the total": "share", "pct of the total": "share", "as share of total": "share", "as share of the total": "share",
	"from highest to lowest": "descfirst", "highest to lowest": "descfirst", "from largest to smallest": "descfirst", "largest to smallest": "descfirst",
	"from lowest to highest": "ascfirst", "lowest to highest": "ascfirst", "from smallest to largest": "ascfirst", "smallest to largest": "ascfirst", "rank": "descfirst", "ranking": "descfirst", "ranking of": "descfirst", "ranked": "descfirst",
	"share": "share", "share of": "share", "pct of total": "share", "pct share": "share", "mix": "share", "proportion": "share", "contribution": "share",
	"what share": "shareonly", "what pct": "shareonly", "what portion": "shareonly", "what proportion": "shareonly", "what fraction": "shareonly", "portion": "share",
	"vs": "cmp", "versus": "cmp", "compared": "cmp", "compared to": "cmp", "compared with": "cmp", "compare": "cmp", "compare with": "cmp", "compare to": "cmp", "comparing": "cmp", "against": "cmp", "relative to": "cmp",
	"growth": "growth", "change": "growth", "grew": "growth", "grown": "growth", "growing": "growth", "grow": "growth", "fastest": "desc", "slowest": "asc", "peak": "desc", "difference": "growth", "increase": "growth", "decrease": "growth",
	"pct change": "pctchange", "pct growth": "pctchange", "growth rate": "pctchange", "growth pct": "pctchange", "change in pct": "pctchange",
	"monthly": "g:month", "quarterly": "g:fiscal_quarter", "yearly": "g:fiscal_year", "annual": "g:fiscal_year", "annually": "g:fiscal_year", "daily": "g:day",
	"month": "g:month", "quarter": "g:fiscal_quarter", "fiscal quarter": "g:fiscal_quarter", "year": "g:fiscal_year", "fiscal year": "g:fiscal_year", "fy": "g:fiscal_year",
	"calendar year": "g:year", "day": "g:day", "date": "g:day", "month by month": "g:month", "quarter by quarter": "g:fiscal_quarter", "year by year": "g:fiscal_year",
	"week": "g:week", "weekly": "g:week", "week by week": "g:week",
	"month of year": "g:month_of_year", "month of the year": "g:month_of_year", "calendar month of year": "g:month_of_year",
	"day of week": "g:day_of_week", "day of the week": "g:day_of_week", "weekday": "g:day_of_week", "week day": "g:day_of_week", "dow": "g:day_of_week",
	"over": "over", "above": "gt", "more than": "gt", "greater than": "gt", "exceeding": "gt", "exceeds": "gt", "in excess of": "gt", "over than": "gt", "bigger than": "gt", "higher than": "gt",
	"at least": "ge", "no less than": "ge", "under": "lt", "below": "lt", "less than": "lt", "fewer than": "lt", "lower than": "lt", "at most": "le", "no more than": "le",
	">": "gt", ">=": "ge", "<": "lt", "<=": "le",
	"new": "created", "started": "created", "opened": "created", "signed up": "created", "joined": "created", "created": "created", "registered": "created", "onboarded": "created", "acquired": "created", "hired": "created", "enrolled": "created", "activated": "created",
	"as pct of": "pctof", "pct of": "pctof", "in pct of": "pctof",
	"cumulative": "running", "cumulatively": "running", "running total": "running", "running total of": "running", "running sum": "running", "running sum of": "running",
	"average": "avg", "avg": "avg", "mean": "avg", "average of": "avg",
	"excluding": "not", "except": "not", "except for": "not", "other than": "not", "apart from": "not", "not including": "not", "exclude": "not", "excl": "not", "but not": "not", "leaving out": "not", "outside": "not", "outside of": "not", "non": "not",
	"discount rate": "discrate", "discount pct": "discrate", "average discount rate": "discrate", "discount pct of sales": "discrate",
	"gross sales": "gross", "gross revenue": "gross", "sales before discount": "gross", "revenue before discount": "gross",
	"minus": "minus", "less": "minus", "after": "minus", "net of": "minus", "after deducting": "minus", "after subtracting": "minus", "deducting": "minus",
	"average selling price": "asp", "average sale price": "asp", "average sales price": "asp", "asp": "asp", "average price": "asp",
	"price per unit": "asp", "selling price per unit": "asp", "average selling price per unit": "asp", "average price per unit": "asp", "average price per unit sold": "asp",
	"with": "with", "that": "with", "who": "with", "whose": "with", "where": "with", "having": "with",
	"which": "which", "what": "which", "number of": "count",
	"in": "in", "from": "from", "between": "between", "to": "to", "and": "and", "of": "of", "for": "for", "at": "at", "last": "last",
}

// keywords are recognised in the main pass (matchVocab), as targets of
// kind kKeyword added to the vocabulary.
func (p *parser) keywords() {}

// matchVocab reads the longest known phrase at each position.
func (p *parser) matchVocab() {
	for i := 0; i < len(p.toks); i++ {
		if p.toks[i].used {
			continue
		}
		for n := min(p.v.maxLen, len(p.toks)-i); n >= 1; n-- {
			var cs []string
			ok := true
			for k := i; k < i+n; k++ {
				if p.toks[k].used {
					ok = false
					break
				}
				cs = append(cs, p.toks[k].canon)
			}
			if !ok {
				continue
			}
			ts := p.v.phrases[strings.Join(cs, " ")]
			if len(ts) == 0 {
				continue
			}
			// A verb after its subject ("customers did we invoice") is
			// not the noun it is spelt like (an invoice): it names the
			// measure only when nothing else does (weakConcepts).
			if n == 1 && i > 0 && subjects[p.toks[i-1].raw] && weakConcepts[p.toks[i].raw] != "" {
				continue
			}
			// Members of one token must not be grammar or stop words.
			if n == 1 {
				var keep, named []target
				for _, t := range ts {
					// "customers from the US", "US customers" (an adjective
					// before a model's word).
					theUS := p.toks[i].raw == "us" && (i > 0 && p.toks[i-1].raw == "the" || i+1 < len(p.toks) && p.namesEntity(p.toks[i+1]) && (i == 0 || !usVerbs[p.toks[i-1].raw]))
					// "US and Canada", "Mexico or US": beside another
					// member of its dimension.
					theUS = theUS || p.toks[i].raw == "us" && t.kind == kMember && (i+2 < len(p.toks) && coordWords[p.toks[i+1].raw] && p.memberOfDim(p.toks[i+2].canon, t.name) ||
						i >= 2 && coordWords[p.toks[i-1].raw] && p.memberOfDim(p.toks[i-2].canon, t.name))
					if t.kind == kMember && !theUS && p.toks[i].role != "ratemember" && (stopWords[cs[0]] || stopWords[p.toks[i].raw] || fillers[p.toks[i].raw] || keywordPhrases[cs[0]] != "" || len(p.toks[i].raw) < 2 || isNumber(p.toks[i].raw)) {
						// Unless the word next to it names its dimension
						// ("the Growth plan", "tier Gold").
						if !stopWords[cs[0]] && (p.namesDimAround(i, t) || keywordPhrases[cs[0]] != "" && p.keywordMember(i, t)) {
							named = append(named, t)
						}
						continue
					}
					keep = append(keep, t)
				}
				ts = keep
				if len(named) > 0 {
					ts = named
				}
				if len(ts) == 0 {
					continue
				}
			}
			// A member: a longer misspelt member starting here wins
			// ("chicago lop" is Chicago Loop, not the city Chicago).
			// A number's word that begins a misspelt member of two words
			// or more, the next word unknown ("the Sales Amercas cost
			// center": Sales Americas, not sales and Americas).
			unknownNext := n == 1 && i+1 < len(p.toks) && len(p.v.phrases[p.toks[i+1].canon]) == 0 && !p.toks[i+1].used && !stopWords[p.toks[i+1].raw] && !isNumber(p.toks[i+1].raw)
			if onlyMembers(ts) || unknownNext {
				if fm, ok := p.longerFuzzy(i, n); ok {
					p.mentions = append(p.mentions, fm)
					p.use(fm.pos, fm.end-fm.pos, "member~")
					p.conf *= 0.9
					i = fm.end - 1
					break
				}
			}
			ts = p.flagReading(i, ts)
			p.mentions = append(p.mentions, mention{pos: i, end: i + n, t: ts})
			p.use(i, n, "vocab")
			i += n - 1
			break
		}
	}
}

func onlyMembers(ts []target) bool {
	for _, t := range ts {
		if t.kind != kMember {
			return false
		}
	}
	return true
}

// longerFuzzy looks for a misspelt or shortened member longer than n
// tokens at i.
func (p *parser) longerFuzzy(i, n int) (mention, bool) {
	for k := min(5, len(p.toks)-i); k > n; k-- {
		var raw []string
		ok := true
		for j := i; j < i+k; j++ {
			if p.toks[j].used || keywordPhrases[p.toks[j].canon] != "" && !stopWords[p.toks[j].raw] || j > i && !onlyMembers(p.v.phrases[p.toks[j].canon]) {
				ok = false
				break
			}
			raw = append(raw, p.toks[j].raw)
		}
		if !ok || stopWords[raw[k-1]] {
			continue
		}
		if ts := p.fuzzyTargets(strings.Join(raw, " "), raw); len(ts) > 0 {
			return mention{pos: i, end: i + k, t: ts, fuzzy: true}, true
		}
	}
	return mention{}, false
}

func isNumber(s string) bool {
	_, ok := parseNumber(s)
	return ok
}

var reNumber = regexp.MustCompile(`^\$?(\d[\d,]*(?:\.\d+)?)(bn|mm|k|m|b)?$`)

// parseNumber reads 100k, 1.5m, $1,000,000, 300.
func parseNumber(s string) (string, bool) {
	m := reNumber.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	n := strings.ReplaceAll(m[1], ",", "")
	f, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return "", false
	}
	mult := 1.0
	switch m[2] {
	case "k":
		mult = 1e3
	case "m", "mm":
		mult = 1e6
	case "b", "bn":
		mult = 1e9
	}
	return strconv.FormatFloat(f*mult, 'f', -1, 64), true
}

var scaleWords = map[string]float64{"thousand": 1e3, "million": 1e6, "billion": 1e9, "mn": 1e6, "k": 1e3}

// numbers reads the numbers the vocabulary left: top/bottom N, N
// things, thresholds.
func (p *parser) numbers() {
	for i, t := range p.toks {
		if t.used {
			continue
		}
		val, ok := parseNumber(t.raw)
		if n, word := numberWords[t.raw]; word {
			// A number spelt out ("top five", "over ten thousand").
			val, ok = strconv.Itoa(n), true
		}
		if !ok {
			continue
		}
		width := 1
		if i+1 < len(p.toks) && !p.toks[i+1].used {
			if s, ok := scaleWords[p.toks[i+1].raw]; ok {
				f, _ := strconv.ParseFloat(val, 64)
				val = strconv.FormatFloat(f*s, 'f', -1, 64)
				width = 2
			}
		}
		prev := p.keywordBefore(i)
		if prev == "between" && (width > 1 || !plausibleYear(val) || strings.ContainsAny(t.raw, "km$")) {
			// "revenue between 500k and 1m": at least the first, at most
			// the second (a year between years is a span).
			p.having = append(p.having, pendingThreshold{op: ">=", value: val, pos: i})
			p.use(i, width, "threshold")
			p.betweenOpen = true
			continue
		}
		if prev == "and" && p.betweenOpen {
			p.having = append(p.having, pendingThreshold{op: "<=", value: val, pos: i})
			p.use(i, width, "threshold")
			p.betweenOpen = false
			continue
		}
		switch prev {
		case "gt", "ge", "lt", "le", "over":
			op := map[string]string{"gt": ">", "over": ">", "ge": ">=", "lt": "<", "le": "<="}[prev]
			p.having = append(p.having, pendingThreshold{op: op, value: val, pos: i})
			p.use(i, width, "threshold")
			continue
		}
		n, err := strconv.Atoi(val)
		if err != nil || n <= 0 || n > 1000 || width > 1 {
			continue
		}
		if prev != "top" && prev != "bottom" && i+1 < len(p.toks) && timeUnits[p.toks[i+1].raw] != "" && !p.hasWord(rankingWords...) {
			continue // "ended within 90 days": a span, not the 90 best days
		}
		if prev == "top" || prev == "bottom" || p.nextIsGroupWord(i) || p.nextIsRankedGroup(i) {
			p.limit = n
			p.use(i, 1, "limit")
		}
	}
}

// keywordBefore is the keyword mention just before position i.
func (p *parser) keywordBefore(i int) string {
	for _, m := range p.mentions {
		if m.end == i {
			for _, t := range m.t {
				if t.kind == kKeyword {
					return t.name
				}
			}
		}
	}
	return ""
}

// nextIsRankedGroup: "five largest accounts", "3 lowest regions" — a
// ranking word and then a group word after the number at i.
func (p *parser) nextIsRankedGroup(i int) bool {
	for _, m := range p.mentions {
		if m.pos == i+1 && m.end <= i+3 {
			for _, t := range m.t {
				if t.kind == kKeyword && (t.name == "desc" || t.name == "asc") {
					// "5 largest products", "5 best selling products".
					return p.nextIsGroupWord(m.end - 1)
				}
			}
		}
	}
	return false
}

func (p *parser) nextIsGroupWord(i int) bool {
	for _, m := range p.mentions {
		if m.pos == i+1 {
			for _, t := range m.t {
				if t.kind == kEntity || t.kind == kDim || (t.kind == kKeyword && strings.HasPrefix(t.name, "g:")) {
					return true
				}
			}
		}
	}
	return false
}

// fuzzyMembers matches the words left to member values: a misspelt value
// within the typo budget, or the first words of exactly one value
// ("acme" for Acme Industries).
func (p *parser) fuzzyMembers() {
	for i := 0; i < len(p.toks); i++ {
		if p.toks[i].used || stopWords[p.toks[i].raw] || fillers[p.toks[i].raw] {
			continue
		}
		for n := min(5, len(p.toks)-i); n >= 1; n-- {
			var raw []string
			ok := true
			for k := i; k < i+n; k++ {
				// A member read exactly may be part of a longer one
				// ("northwind software" is an account, not the industry).
				if p.toks[k].used && !(k > i && p.memberOnlyAt(k, i, i+n)) {
					ok = false
					break
				}
				raw = append(raw, p.toks[k].raw)
			}
			if !ok || stopWords[raw[n-1]] {
				continue
			}
			phrase := strings.Join(raw, " ")
			if len(phrase) < 4 {
				continue
			}
			ts := p.fuzzyTargets(phrase, raw)
			if len(ts) == 0 {
				continue
			}
			var keep []mention
			for _, m := range p.mentions {
				if m.pos < i || m.pos >= i+n {
					keep = append(keep, m)
				}
			}
			p.mentions = keep
			p.mentions = append(p.mentions, mention{pos: i, end: i + n, t: ts, fuzzy: true})
			p.use(i, n, "member~")
			p.conf *= 0.9
			i += n - 1
			break
		}
	}
}

// memberOnlyAt says token k belongs to a mention of members only that
// lies within [from, to).
func (p *parser) memberOnlyAt(k, from, to int) bool {
	for _, m := range p.mentions {
		if m.pos <= k && k < m.end {
			return m.pos >= from && m.end <= to && onlyMembers(m.t) && len(m.t) > 0
		}
	}
	return false
}

func (p *parser) fuzzyTargets(phrase string, raw []string) []target {
	budget := typoBudget(len(strings.ReplaceAll(phrase, " ", "")))
	if strings.ContainsAny(phrase, "0123456789") {
		// An id or a code ("SUB-99999") is one exactly or none: a digit
		// off is another member.
		budget = 0
	}
	best, bestD := []target(nil), budget+1
	seen := map[string]bool{}
	for _, m := range p.v.members {
		if len(m.plain) < 4 {
			continue
		}
		if budget > 0 {
			if dd := osa(phrase, m.plain); dd <= budget && dd < bestD {
				best, bestD = nil, dd
				seen = map[string]bool{}
			}
			if dd := osa(phrase, m.plain); dd == bestD && dd <= budget && !seen[m.dim+"\x00"+m.value] {
				best = append(best, target{kind: kMember, name: m.dim, value: m.value, prio: 2})
				seen[m.dim+"\x00"+m.value] = true
			}
		}
	}
	if best != nil {
		return dedupeMembers(best)
	}
	// The first words of a value, exactly or with the typos the phrase's
	// length allows ("saphire clinics", "sapphire clinic", "northwind
	// sofware": Sapphire Clinics Inc., Northwind Software Ltd), the
	// nearest only.
	var pre []target
	preD := budget + 1
	for _, m := range p.v.members {
		if len(m.toks) <= len(raw) {
			continue
		}
		head := strings.Join(m.toks[:len(raw)], " ")
		d := 0
		if head != phrase {
			if budget == 0 || head[0] != phrase[0] {
				continue
			}
			d = osa(phrase, head)
		}
		switch {
		case d > budget || d > preD:
		case d < preD:
			pre, preD = []target{{kind: kMember, name: m.dim, value: m.value, prio: 1}}, d
		default:
			pre = append(pre, target{kind: kMember, name: m.dim, value: m.value, prio: 1})
		}
	}
	pre = dedupeMembers(pre)
	values := map[string]bool{}
	for _, t := range pre {
		values[strings.ToLower(t.value)] = true
	}
	if len(values) == 1 {
		return pre
	}
	return nil
}

// dedupeMembers keeps one target per dimension and value.
func dedupeMembers(ts []target) []target {
	seen := map[string]bool{}
	var out []target
	for _, t := range ts {
		k := t.name + "\x00" + t.value
		if !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// suggest lists the closest metric and dimension names to the words not
// understood, or the layer's main metrics.
func (p *parser) suggest() []string {
	type cand struct {
		s string
		d int
	}
	var cs []cand
	seen := map[string]bool{}
	un := p.unmatched()
	for ph, ts := range p.v.phrases {
		for _, t := range ts {
			if t.kind != kMetric && t.kind != kDim {
				continue
			}
			best := 100
			for _, w := range un {
				for _, pw := range strings.Fields(ph) {
					if d := osa(canonWord(w), pw); d < best {
						best = d
					}
				}
			}
			name := t.name
			if t.kind == kMetric {
				name = "metric " + name
			} else {
				name = "dimension " + name
			}
			if best <= 2 && !seen[name] {
				seen[name] = true
				cs = append(cs, cand{name, best})
			}
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].s < cs[j].s
	})
	var out []string
	for _, c := range cs {
		if len(out) == 5 {
			break
		}
		out = append(out, c.s)
	}
	if len(out) == 0 {
		// The layer's main numbers: amounts first, then the rest.
		for _, money := range []bool{true, false} {
			for _, m := range p.in.Layer.Metrics {
				if !m.Hidden && len(out) < 5 && (m.Format == "money") == money {
					out = append(out, "metric "+m.Name)
				}
			}
		}
	}
	return out
}

// namesDimAround says the word before or after position i names the
// dimension of member t, or its model ("the Growth plan").
// keywordMember says a member spelt as a word of the grammar (the plan
// "Growth") stands as the member: in a list beside another member of its
// dimension ("Growth and Starter"), or as an adjective before a number's
// noun at the start or after a preposition ("Growth revenue in FY2026",
// "revenue from Growth customers" is the plan; "revenue growth" is not).
func (p *parser) keywordMember(i int, t target) bool {
	if t.kind != kMember {
		return false
	}
	if i+2 < len(p.toks) && coordWords[p.toks[i+1].raw] && p.memberOfDim(p.toks[i+2].canon, t.name) ||
		i >= 2 && coordWords[p.toks[i-1].raw] && p.memberOfDim(p.toks[i-2].canon, t.name) {
		return true
	}
	if i+2 < len(p.toks) && (i == 0 || memberLeads[p.toks[i-1].raw]) {
		// "new MRR change" of MRR movements: a kind of the fact's rows
		// before a number of the same fact named in two words.
		if r, ok := p.v.dims[t.name]; ok && slices.ContainsFunc(p.v.phrases[p.toks[i+1].canon+" "+p.toks[i+2].canon], func(x target) bool {
			m := p.in.Layer.Metric(x.name)
			return x.kind == kMetric && m != nil && strings.EqualFold(m.Model, r.Model)
		}) {
			return true
		}
	}
	if i+1 >= len(p.toks) || !p.namesKind(p.toks[i+1].canon, kMetric) {
		return false
	}
	return i == 0 || memberLeads[p.toks[i-1].raw]
}

// memberLeads may stand before a member used as an adjective.
var memberLeads = map[string]bool{"from": true, "for": true, "on": true, "of": true, "the": true, "our": true, "in": true, "with": true, "show": true, "total": true}

func (p *parser) namesDimAround(i int, t target) bool {
	r, ok := p.v.dims[t.name]
	if !ok {
		return false
	}
	for _, j := range []int{i - 1, i + 1} {
		if j < 0 || j >= len(p.toks) || p.toks[j].used {
			continue
		}
		for _, x := range p.v.phrases[p.toks[j].canon] {
			if x.kind == kDim && x.name == t.name || x.kind == kEntity && strings.EqualFold(x.name, r.Model) {
				return true
			}
		}
	}
	return false
}

// agreeingVerbs are verbs that name a concept's measure and must agree
// with the measure the question is answered with: "how much of the
// FY2025 revenue was collected" asks about payments, and answering it
// with the revenue would drop the verb's meaning.
var agreeingVerbs = map[string]string{"collected": "payments", "collect": "payments", "pay": "payments", "pays": "payments", "paid": "payments"}

// agreeingVerb says the question has a verb of agreeingVerbs.
func (p *parser) agreeingVerb() bool {
	for _, t := range p.toks {
		if _, ok := agreeingVerbs[t.raw]; ok {
			return true
		}
	}
	return false
}

// verbDisagrees says why the spec does not answer the question when a
// verb of agreeingVerbs names another measure than the spec's.
func (p *parser) verbDisagrees(spec query.Spec) string {
	for i, t := range p.toks {
		c, ok := agreeingVerbs[t.raw]
		if !ok || t.role == "without" || p.inPhrase(i) {
			continue
		}
		want := p.v.concepts[c]
		if want == "" {
			return fmt.Sprintf("%q: the warehouse has no %s to read it from", t.raw, c)
		}
		if len(spec.Metrics) != 1 || spec.Metrics[0] != want || len(spec.Ratios)+len(spec.Derived)+len(spec.Restricted) > 0 {
			return fmt.Sprintf("%q reads as %s, but the question also names another number: ask for %s alone, or for the other number without %q", t.raw, p.label(want), p.label(want), t.raw)
		}
	}
	return ""
}

// future says why a spec over a period that begins after the as-of date
// is not answered: the warehouse holds what happened, and "revenue next
// year" asks for a forecast. Against a budget or a forecast of the
// project the period may lie ahead.
func (p *parser) future(spec query.Spec) string {
	if spec.Time == nil || spec.Compare == query.CompareBudget || spec.Compare == query.CompareForecast {
		return ""
	}
	today := time.Date(p.in.AsOf.Year(), p.in.AsOf.Month(), p.in.AsOf.Day(), 0, 0, 0, 0, time.UTC)
	if !spec.Time.From.After(today) {
		return ""
	}
	label := spec.Time.Label
	if label == "" {
		label = spec.Time.From.Format("2 January 2006")
	}
	return fmt.Sprintf("%s has not begun at %s: the warehouse holds what happened, not a forecast (compare with a budget or forecast: \"vs budget\")", label, today.Format("2 January 2006"))
}

// grainAdjectives are the grain words that also qualify a noun ("annual
// plans", "monthly subscriptions": a kind of plan, not a grouping).
var grainAdjectives = map[string]bool{"monthly": true, "quarterly": true, "yearly": true, "annual": true, "daily": true, "weekly": true}

// misreadQualifiers says why words that qualify a noun cannot be read as
// the grain or the grouping they are spelt like:
//   - a grain adjective just before a model or dimension ("annual plans
//     revenue": plans billed yearly, which the warehouse does not
//     describe) — before a number it is the grain ("monthly revenue");
//   - "by" followed by a number and then a member ("revenue by sales
//     team"): the member is the head of a noun the warehouse does not
//     know, not a filter, and "by" groups by nothing;
//   - a member just before a model's name whose rows cannot have it
//     ("Canada stores" where the country is the customers'): not a
//     filter of the customers;
//   - a member just before the singular name of another dimension
//     ("Enterprise industry revenue", Enterprise a plan): it names a
//     member of that dimension that does not exist (the plural groups:
//     "Electronics brands" are the brands of Electronics).
func (p *parser) misreadQualifiers() string {
	ms := append([]mention(nil), p.mentions...)
	sort.Slice(ms, func(i, j int) bool { return ms[i].pos < ms[j].pos })
	next := func(k int) (mention, bool) {
		if k+1 < len(ms) && ms[k+1].pos == ms[k].end {
			return ms[k+1], true
		}
		return mention{}, false
	}
	for k, m := range ms {
		kw := p.kw(m)
		if strings.HasPrefix(kw, "g:") && m.end == m.pos+1 && grainAdjectives[p.toks[m.pos].raw] {
			if n, ok := next(k); ok && (p.has(n, kEntity) || p.has(n, kDim)) && !p.has(n, kMetric) && !p.has(n, kAttr) {
				return fmt.Sprintf("%q %s: %s as a kind of %s is not in the warehouse (for a grouping by period, say \"by %s\")",
					p.toks[m.pos].raw, p.text(n), p.toks[m.pos].raw, p.text(n), strings.TrimPrefix(strings.TrimPrefix(kw, "g:"), "fiscal_"))
			}
		}
		if onlyMembers(m.t) && len(m.t) > 0 {
			if n, ok := next(k); ok && p.has(n, kEntity) && !p.has(n, kMetric) && !p.membersReach(m, n) {
				r := p.v.dims[m.t[0].name]
				return fmt.Sprintf("%q is a %s of %s, and %s have none: %q %s names nothing the warehouse holds",
					p.text(m), spaced(m.t[0].name), r.Model, p.text(n), p.text(m), p.text(n))
			}
		}
		if onlyMembers(m.t) && len(m.t) > 0 {
			if n, ok := next(k); ok && n.end == n.pos+1 && p.has(n, kDim) && !p.has(n, kMetric) && !p.has(n, kEntity) &&
				p.toks[n.pos].raw == p.toks[n.pos].canon && !p.sameDim(m, n) {
				return fmt.Sprintf("%q %s: no %s is called %q (it is a %s)", p.text(m), p.text(n), p.text(n), p.text(m), spaced(m.t[0].name))
			}
		}
		if kw == "by" && p.toks[m.pos].raw == "by" {
			n, ok := next(k)
			if !ok || !p.has(n, kMetric) {
				continue
			}
			if n2, ok := next(k + 1); ok && onlyMembers(n2.t) && !n2.fuzzy {
				return fmt.Sprintf("\"by %s %s\": group by what? %q is not a dimension here", p.text(n), p.text(n2), p.text(n2))
			}
			if n2, ok := next(k + 1); ok && n2.pos == n.end && (p.has(n2, kDim) || p.has(n2, kEntity)) && !p.has(n, kDim) && !p.has(n, kEntity) && !p.has(n2, kMetric) {
				// "revenue by sales region": a region of sales is not a
				// dimension of the warehouse (the region is the cost
				// centres').
				return fmt.Sprintf("\"by %s %s\": no %s of %s is known; say \"by %s\"", p.text(n), p.text(n2), p.text(n2), p.text(n), p.text(n2))
			}
		}
	}
	return ""
}

// membersReach says the rows of an entity mention n (a model) have the
// dimension of one of member mention m's values: the model's own, or a
// model it references.
func (p *parser) membersReach(m, n mention) bool {
	for _, e := range n.t {
		if e.kind != kEntity {
			continue
		}
		em := p.in.Layer.Model(e.name)
		if em == nil {
			return true
		}
		for _, t := range m.t {
			r, ok := p.v.dims[t.name]
			if !ok || strings.EqualFold(r.Model, em.Name) {
				return true
			}
			for _, x := range em.Entities {
				if x.Type == "foreign" && strings.EqualFold(x.Ref, r.Model) {
					return true
				}
			}
		}
	}
	return false
}

// sameDim says a dimension target of n is the dimension of one of m's
// members.
func (p *parser) sameDim(m, n mention) bool {
	for _, d := range n.t {
		if d.kind != kDim {
			continue
		}
		for _, t := range m.t {
			if t.name == d.name {
				return true
			}
		}
	}
	return false
}

// currencyRanking says why currencies ranked by a money metric are not
// answered without exchange rates ("which currency brings the most
// revenue"): the amounts of different currencies do not compare, as
// their shares do not add up (the query builder refuses those).
func (p *parser) currencyRanking(spec query.Spec) string {
	l := p.in.Layer
	if l.Currency != nil && l.Currency.Rates != nil || spec.Limit == 0 && len(spec.OrderBy) == 0 {
		return ""
	}
	money, label := "", ""
	for _, name := range spec.Metrics {
		if m := l.Metric(name); m != nil && m.Format == "money" {
			money, label = name, p.label(name)
		}
		for _, r := range spec.Ratios {
			// "which currency has the highest average invoice": an
			// amount per row is in its currency too (a percentage is not).
			if num := l.Metric(r.Numerator); r.Name == name && !r.Percent && (r.Format == "money" || r.Format == "" && num != nil && num.Format == "money") {
				money, label = name, r.Label
				if label == "" {
					label = strings.ReplaceAll(name, "_", " ")
				}
			}
		}
	}
	for _, d := range spec.Derived {
		// "which currency has the highest unpaid amount": a difference
		// of amounts is an amount in each row's currency.
		if d.Format == "money" && slices.Contains(spec.Metrics, d.Name) {
			money, label = d.Name, d.Label
		}
	}
	if money == "" {
		return ""
	}
	for _, g := range spec.GroupBy {
		r, ok := p.v.dims[g.Dimension]
		if !ok || r.Dim == nil {
			continue
		}
		for _, md := range l.Models {
			if md.CurrencyColumn != "" && strings.EqualFold(md.CurrencyColumn, r.Dim.Column) {
				return fmt.Sprintf("ranking currencies by %s compares amounts in different currencies, and the layer has no exchange rates to convert them", label)
			}
		}
	}
	return ""
}

// hasPeriodWord says a word of a period is in the question (a year, a
// month, "last", "this", "quarter" …), before the periods are read.
func (p *parser) hasPeriodWord() bool {
	for _, t := range p.toks {
		if plausibleYear(t.raw) || reFiscalWord.MatchString(t.raw) || periodWords[t.raw] {
			return true
		}
	}
	return false
}

var (
	reFiscalWord = regexp.MustCompile(`^(fy\d{2,4}|q[1-4]|h[12]|\d{4}-\d{2})$`)
	periodWords  = set(`last this current previous prior past ytd qtd mtd january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec yesterday today quarter month year week`)
)

// namesEntity says a word names a model's members ("customers").
func (p *parser) namesEntity(t *token) bool {
	for _, x := range p.v.phrases[t.canon] {
		if x.kind == kEntity {
			return true
		}
	}
	return false
}

// usVerbs take "us" as their object ("show us customers by region").
var usVerbs = set(`show give tell let get send help email list find bring`)

// sizedWords are the things whose "size" is their value ("basket size").
var sizedWords = set(`basket order deal invoice transaction receipt ticket purchase sale cart`)

// ampersandAbbrevs are the usual initialisms with "&" ("R&D").
var ampersandAbbrevs = map[string]string{"r&d": "research and development", "g&a": "general and administrative", "s&m": "sales and marketing"}

// shopVerbs are the verbs of a customer's visit ("how many times did X
// shop").
var shopVerbs = []string{"shop", "shopped", "buy", "bought", "purchase", "purchased", "order", "ordered", "visit", "visited"}

// monthNames are the months' names and short names.
var monthNames = set(`january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec`)

// shortTimeWords are short forms of the words of time phrases.
var shortTimeWords = map[string]string{"yr": "year", "yrs": "years", "qtr": "quarter", "qtrs": "quarters", "mth": "month", "mths": "months", "wk": "week", "wks": "weeks"}

// rankWords come before "performing" in a ranking ("top performing",
// "best performers", "top 5 performing").
var rankWords = set(`best top worst bottom highest lowest strongest weakest poorest 1 2 3 4 5 6 7 8 9 10 15 20 25 50 100 three five ten twenty`)

// eachOfLast is the unit of "each of the last N <unit>" at i ("fiscal
// year", "month"), singular, or nil.
func (p *parser) eachOfLast(i int) []string {
	k := i + 3
	if p.toks[i].raw == "every" {
		k++
	}
	if k >= len(p.toks) || (p.toks[k].raw != "last" && p.toks[k].raw != "past" && p.toks[k].raw != "previous" && p.toks[k].raw != "prior") {
		return nil
	}
	k++
	if k < len(p.toks) && (isNumber(p.toks[k].raw) || numberWords[p.toks[k].raw] > 0) {
		k++
	}
	var unit []string
	if k < len(p.toks) && p.toks[k].raw == "fiscal" {
		unit = append(unit, "fiscal")
		k++
	}
	if k >= len(p.toks) {
		return nil
	}
	switch c := canonWord(p.toks[k].raw); c {
	case "month", "quarter", "year", "week", "day":
		return append(unit, c)
	}
	return nil
}

// customersWord is the plural word of the model of the revenue's
// customers ("customers", "accounts"), or "".
// staffNouns are the names of a model of people who work for the
// business (singular).
var staffNouns = set(`employee consultant staff agent rep representative salesperson seller worker driver technician operator associate advisor adviser engineer nurse doctor physician teacher instructor courier cashier clerk personnel`)

// whoCopulas after "who" ask who someone is, not who did the most.
var whoCopulas = set(`is are was were has have`)

// staffWord is the name of the one dimension model of staff, or "".
func (p *parser) staffWord() string {
	found := ""
	for _, m := range p.in.Layer.Models {
		if m.Role != "dimension" {
			continue
		}
		ws := strings.Fields(canonPhrase(spaced(m.Name)))
		if len(ws) == 0 || !staffNouns[singularWord(ws[len(ws)-1])] {
			continue
		}
		if found != "" {
			return ""
		}
		found = strings.ReplaceAll(m.Name, "_", " ")
	}
	return found
}

func (p *parser) customersWord() string {
	for _, m := range p.in.Layer.Models {
		if m.Role == "dimension" && p.isCustomers(m) {
			return strings.ReplaceAll(m.Name, "_", " ")
		}
	}
	return ""
}

// coordWords join members of one list ("US and Canada", "SMB vs
// Enterprise").
var coordWords = set(`and or vs versus , & plus`)

// memberOfDim says the canonical words are a member of dimension dim
// (of any dimension when dim is "").
func (p *parser) memberOfDim(canon, dim string) bool {
	for _, t := range p.v.phrases[canon] {
		if t.kind == kMember && (dim == "" || t.name == dim) {
			return true
		}
	}
	return false
}

// shortWords are abbreviations people type ("tot sls by rgn").
var shortWords = map[string]string{
	"tot": "total", "ttl": "total", "amt": "amount", "amts": "amounts", "qty": "quantity", "qtys": "quantities", "sls": "sales",
	"rgn": "region", "rgns": "regions", "prod": "product", "prods": "products", "txn": "transaction", "txns": "transactions",
	"dept": "department", "depts": "departments", "wtd": "this week", "cnt": "count", "nbr": "number", "num": "number",
	"ttm": "trailing twelve months", "ltm": "last twelve months", "l12m": "last 12 months", "l6m": "last 6 months", "l3m": "last 3 months",
	"cntry": "country", "ctry": "country", "ccy": "currency", "seg": "segment", "segs": "segments", "acct": "account", "accts": "accounts",
	"rcvd": "received", "recd": "received", "fytd": "fiscal year to date", "qtd": "quarter to date", "cust": "customer", "custs": "customers", "pmt": "payment", "pmts": "payments", "mnth": "month", "mnths": "months",
}

// timeUnitWords are the periods "last" counts back ("the past year").
var timeUnitWords = set(`day week month quarter year fiscal`)

// countedNounAfter says whether the words at i name things one counts,
// in the plural ("accounts", "cost centers", "active subscriptions": a
// member word first): a model, a fact's rows or a count ("the most sales"
// is an amount, not counted).
func (p *parser) countedNounAfter(i int) bool { return p.countedNounAt(i, false) >= 0 }

// countedNounAt is countedNounAfter's noun's last word, or -1; singular
// also takes a noun in the singular ("an active subscription").
func (p *parser) countedNounAt(i int, singular bool) int {
	if i < len(p.toks) && p.toks[i].raw == "the" {
		i++
	}
	for start := i; start <= i+1 && start < len(p.toks); start++ {
		if start > i {
			// One member word before the noun ("active"), or a word of
			// beginning ("the most new accounts": those that began).
			if !p.memberOfDim(p.toks[i].canon, "") && !slices.Contains(startWords, p.toks[i].raw) && !currentWords[p.toks[i].raw] {
				return -1
			}
		}
		for n := 1; n <= 3 && start+n <= len(p.toks); n++ {
			last := p.toks[start+n-1]
			if last.raw == last.canon && !singular {
				continue
			}
			var words []string
			for _, t := range p.toks[start : start+n] {
				words = append(words, t.canon)
			}
			// A fact's plural ("invoices") counts its rows, whatever its
			// amount is called.
			counted := n == 1 && p.factNamed(last) != ""
			for _, t := range p.v.phrases[strings.Join(words, " ")] {
				if t.kind == kEntity {
					counted = true
				}
				if m := p.in.Layer.Metric(t.name); t.kind == kMetric && m != nil && m.Format == "count" {
					counted = true
				}
			}
			if counted {
				return start + n - 1
			}
		}
	}
	return -1
}

// timeUnits are the words of the units of time, by their singular.
var timeUnits = map[string]string{"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
	"quarter": "quarter", "quarters": "quarter", "year": "year", "years": "year", "hour": "hour", "hours": "hour"}

// recurringPairs are the recurring groupings read ("month of the year",
// "day of the week"); the others people say ("day of the month", "week
// of the year") are not.
var recurringPairs = map[string]bool{"month year": true, "day week": true}

// unsupportedRecurring is why a grouping by a recurring period other than
// the month of the year or the day of the week ("by day of the month",
// "which week of the year") is not answered, rather than read as two
// groupings (by day and by month); "" when the question asks for none.
func (p *parser) unsupportedRecurring() string {
	asks := map[string]bool{"by": true, "per": true, "each": true, "every": true, "which": true, "what": true, "across": true}
	for i := 1; i+2 < len(p.toks); i++ {
		x, ok := timeUnits[p.toks[i].raw]
		if !ok || !asks[p.toks[i-1].raw] || p.toks[i+1].raw != "of" {
			continue
		}
		j := i + 2
		if p.toks[j].raw == "the" && j+1 < len(p.toks) {
			j++
		}
		y, ok := timeUnits[p.toks[j].raw]
		if !ok || recurringPairs[x+" "+y] {
			continue
		}
		return fmt.Sprintf("a grouping by %s of the %s is not supported: by month of the year, by day of the week, or by day, week or month", x, y)
	}
	return ""
}

// rateWords name a number per unit or a proportion: a price, a rate, a
// percentage. Added up over rows it means nothing.
var rateWords = set(`price prices rate rates pct percent percentage ratio`)

// rated says a column's name is of a price or a rate.
func rated(col string) bool {
	return slices.ContainsFunc(strings.Split(strings.ToLower(col), "_"), func(w string) bool { return rateWords[w] })
}

// summedRate says why the spec does not answer when it adds up a measure
// that is a price or a rate per row ("unit price by category" is not
// the sum of the lines' unit prices): ask for its average.
func (p *parser) summedRate(spec query.Spec) string {
	for _, name := range spec.Metrics {
		m := p.in.Layer.Metric(name)
		if m == nil || m.Type != semlayer.MetricSimple {
			continue
		}
		md := p.in.Layer.Model(m.Model)
		if md == nil {
			continue
		}
		ms := md.Measure(m.Measure)
		if ms == nil || ms.Agg != semlayer.AggSum && ms.Agg != semlayer.AggAverage {
			continue
		}
		if ms.Agg == semlayer.AggAverage && (p.hasWord("average", "avg", "mean") || !p.hasWord("total", "sum") && !rated(ms.Column)) {
			// An average the layer keeps ("average unit price", "grade
			// points by course"): asked as such, or named for what it is.
			continue
		}
		for _, w := range strings.Split(strings.ToLower(ms.Column), "_") {
			if rateWords[w] || ms.Agg == semlayer.AggAverage {
				what := strings.TrimPrefix(p.label(name), "average ")
				return fmt.Sprintf("%s is a price or a rate per row: added up it means nothing; ask for the average %s", what, what)
			}
		}
	}
	return ""
}

// latestWords pick one row by its date ("the last invoice", "the most
// recent order", "our newest customer").
var latestWords = set(`last latest newest oldest earliest most`)

// recordNouns are the things a fact or a dimension holds one row of.
var recordNouns = set(`invoice order receipt payment sale transaction journal entry subscription purchase account customer member store shipment booking deal contract`)

// listedAsCount says why a count does not answer a request for a list
// ("list the invoices of Acme", "show me all orders in June"): the rows
// themselves were asked for, not how many there are.
func (p *parser) listedAsCount(spec query.Spec) string {
	if len(spec.GroupBy) > 0 || len(spec.Metrics) != 1 || p.hasWord("number", "count", "many", "total", "much") {
		return ""
	}
	name := spec.Metrics[0]
	for _, r := range spec.Restricted {
		if r.Name == name {
			name = r.Metric // "invoices": the journals with revenue
		}
	}
	m := p.in.Layer.Metric(name)
	if m == nil || m.Format != "count" {
		return ""
	}
	listed := p.hasWord("list")
	for i := 0; i+1 < len(p.toks) && !listed; i++ {
		listed = p.toks[i].raw == "all" && (i == 0 || p.toks[i-1].raw == "show" || p.toks[i-1].raw == "me" || p.toks[i-1].raw == "see")
	}
	if !listed {
		return ""
	}
	return fmt.Sprintf("a list of the rows themselves is not answered: ask for the %s, their amount, or the largest ones (\"top 10 … by amount\")", p.label(spec.Metrics[0]))
}

// rankingWords make "N days", "N months" the N best or worst of them ("the
// 5 best months"), not a span.
var rankingWords = strings.Fields(`top bottom best worst highest lowest largest smallest biggest most least greatest strongest weakest busiest`)

// moveVerbs say a member moved from one thing to another.
var moveVerbs = set(`upgrade upgrades upgraded upgrading downgrade downgrades downgraded downgrading switch switches switched switching migrate migrates migrated migrating move moves moved moving`)

// refusedPairs are two words in a row that ask for what the warehouse
// does not hold: "stock price" (a market's), "over their credit limit"
// (each member against its own value), "upgrade to" (where members
// moved is not recorded, only that a subscription ended as upgraded).
var refusedPairs = []struct {
	first, second map[string]bool
	why           string
}{
	{set(`stock share`), set(`price prices`), "the warehouse holds no market prices"},
	{union(thresholdBefore, set(`beyond within exceeded exceed`)), set(`their its his her`),
		"each one held to its own value is not computed; give a number (e.g. \"over 10,000\")"},
	{moveVerbs, set(`to into`), "what members moved to is not recorded in the warehouse"},
}

// refusedPair is why a pair of refusedPairs in the question is not
// answered ("" when none is).
func (p *parser) refusedPair() string {
	for i := 0; i+1 < len(p.toks); i++ {
		for _, r := range refusedPairs {
			if r.first[p.toks[i].raw] && r.second[p.toks[i+1].raw] {
				return fmt.Sprintf("%q: %s", p.toks[i].raw+" "+p.toks[i+1].raw, r.why)
			}
		}
	}
	return ""
}

// union is the words of a and b.
func union(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, m := range []map[string]bool{a, b} {
		for w := range m {
			out[w] = true
		}
	}
	return out
}

// liveMember is the live status member ("active") of the model whose
// count the word names ("headcount": the employees), "" when there is
// none or the question names another member of that status.
func (p *parser) liveMember(word string) string {
	var model string
	for _, t := range p.v.phrases[word] {
		if m := p.in.Layer.Metric(t.name); t.kind == kMetric && m != nil {
			model = m.Model
		}
	}
	for _, m := range p.v.members {
		r := p.v.dims[m.dim]
		if m.canon != "active" || r.Dim == nil || !isStatusDim(r.Dim) || !strings.EqualFold(r.Model, model) {
			continue
		}
		for _, t := range p.toks {
			if p.memberOfDim(t.canon, m.dim) {
				return ""
			}
		}
		return m.value
	}
	return ""
}

// rates are the usual ratios of marketing and sales numbers by the words
// that name them: each the numerator, the relation and the denominator,
// read only where the warehouse has numbers so called.
var rates = []struct {
	words    []string
	num, den string
	pct      bool
}{
	{[]string{"ctr", "click through rate", "click-through rate", "clickthrough rate"}, "clicks", "impressions", true},
	{[]string{"conversion rate", "conversion rates"}, "conversions", "clicks", true},
	{[]string{"cpc", "cost per click"}, "spend", "clicks", false},
	{[]string{"cpa", "cost per acquisition", "cost per conversion", "cost per lead"}, "spend", "conversions", false},
	{[]string{"roas", "return on ad spend", "return on advertising spend"}, "revenue", "spend", false},
	// Lodging: the room revenue of a night sold.
	{[]string{"adr", "average daily rate", "average daily room rate", "average room rate", "average nightly rate", "average rate per night"}, "revenue", "nights", false},
	// Production: the units scrapped of those produced.
	{[]string{"scrap rate", "scrap percentage", "scrap ratio", "reject rate", "defect rate"}, "scrapped", "produced", true},
	// Time worked: the amount billed for an hour.
	{[]string{"average hourly rate", "effective hourly rate", "effective rate per hour", "realized rate", "realised rate"}, "revenue", "hours", false},
}

// rateAt is the rate whose words start at i: the number of tokens they
// take (0: none) and the words it is read as, of the vocabulary's
// phrases ("clicks as pct of impressions", "spend per clicks").
func (p *parser) rateAt(i int) (int, string) {
	for _, r := range rates {
		for _, w := range r.words {
			ws := strings.Fields(strings.ReplaceAll(w, "-", " "))
			if !p.seq(i, ws...) {
				continue
			}
			num, den := p.ratePhrase(r.num), p.ratePhrase(r.den)
			if num == "" || den == "" || num == den {
				return 0, ""
			}
			if r.pct {
				return len(ws), num + " as pct of " + den
			}
			return len(ws), num + " per " + den
		}
	}
	return 0, ""
}

// rateLen is how many tokens a rate's words take at i (0: none).
func (p *parser) rateLen(i int) int {
	n, _ := p.rateAt(i)
	return n
}

// ratePhrase is the vocabulary's phrase for a rate's part: the word
// itself when it names one metric, else the one metric whose label ends
// with it ("attributed revenue" for revenue).
func (p *parser) ratePhrase(word string) string {
	if ts := p.v.phrases[canonPhrase(word)]; len(ts) == 1 && ts[0].kind == kMetric {
		return word
	}
	found := ""
	for _, m := range p.in.Layer.Metrics {
		if m.Hidden {
			continue
		}
		if l := strings.ToLower(m.Label); strings.HasSuffix(l, " "+word) || l == word {
			if found != "" {
				return ""
			}
			found = l
		}
	}
	return found
}

// onlyFactNamed says the spec's one number is of want's fact and the
// question names it by no word of its own beyond the fact's name
// ("claims" for claim_amount): a verb's number (want) is what is asked.
// The spec then becomes want.
func (p *parser) onlyFactNamed(spec query.Spec, want string) bool {
	w := p.in.Layer.Metric(want)
	if w == nil || !p.paidByUs() || len(spec.Metrics) != 1 || spec.Metrics[0] == want || len(spec.Ratios)+len(spec.Derived)+len(spec.Restricted) > 0 {
		return false
	}
	m := p.in.Layer.Metric(spec.Metrics[0])
	md := p.in.Layer.Model(w.Model)
	if m == nil || md == nil || !strings.EqualFold(m.Model, w.Model) {
		return false
	}
	named := map[string]bool{}
	for _, mw := range modelWords(md) {
		for _, x := range strings.Fields(canonPhrase(mw)) {
			named[x] = true
		}
	}
	for _, x := range strings.Fields(canonPhrase(metricLabel(p.in.Layer, m.Name))) {
		if !named[x] && p.hasWord(x) {
			return false
		}
	}
	return true
}

// verbWant is the number a verb of agreeingVerbs names, or "".
func (p *parser) verbWant() string {
	for i, t := range p.toks {
		if c, ok := agreeingVerbs[t.raw]; ok && t.role != "without" && !p.inPhrase(i) {
			return p.v.concepts[c]
		}
	}
	return ""
}
