package nlq

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/databridge/databridge/pkg/semlayer"
)

// Kinds of vocabulary targets.
const (
	kMetric = iota
	kDim
	kEntity
	kMember
	kKeyword
	// kAttr is a numeric attribute of a dimension's members (a list
	// price, a monthly price): looked up, not added up.
	kAttr
)

// target is what a phrase can mean.
type target struct {
	kind  int
	name  string // metric name, dimension public name, model name, keyword
	value string // member value
	prio  int    // 3 the layer's own words, 2 derived, 1 generic synonyms
	// rows (a metric): counted over only the rows of this metric of the
	// same fact ("sales invoices": the journals with revenue lines).
	rows string
}

// vocab is the layer's words: phrases (canonical tokens joined by
// spaces) to what they can mean.
type vocab struct {
	l       *semlayer.Layer
	phrases map[string][]target
	maxLen  int
	// members are the member values by canonical phrase, for fuzzy
	// matching.
	members []memberEntry
	// display is the dimension that names a model's rows (customer_name
	// for customers).
	display map[string]string
	dims    map[string]semlayer.DimensionRef
	// concepts are the metrics generic business words fall back to
	// (revenue, payments, quantity), when the layer has no such word.
	concepts map[string]string
	// conceptRows are the rows a concept's metric is counted over (the
	// documents that carry revenue, when revenue is some of a fact's
	// rows: a ledger's revenue lines).
	conceptRows map[string]string
	// lineAmounts are, by a header's revenue or spend metric, the amount
	// of its lines (quantity × unit price) on the fact of lines that
	// references it: the same money, by what only the lines reach (an
	// item's category).
	lineAmounts map[string][]string
	// eventCount counts the rows of the one fact of events (visits,
	// checks; not their lines, not a snapshot): "busiest".
	eventCount string
	// lastWords are the last words of several dimensions' names ("type":
	// account_type, transaction_type), read by the model the question
	// names (lastWordDims).
	lastWords map[string][]string
	// factDates are the dates of the facts by their words (factDates).
	factDates []factDateName
	// ledgerDocs: the documents are a ledger's journals with revenue
	// lines (no sales-like fact has documents of its own).
	ledgerDocs bool
	// lexicon: the words of the phrases that name something other than a
	// member, for spelling correction (spelling.go); words: every word
	// of every phrase.
	lexicon []string
	words   map[string]bool
}

// memberAbbreviations are the usual short names of members by their
// canonical phrase.
var memberAbbreviations = map[string]string{"account receivable": "ar", "accounts receivable": "ar", "account payable": "ap", "accounts payable": "ap"}

// memberLongForms are the words in full of members that are
// abbreviations: "small businesses" are the SMB segment.
var memberLongForms = map[string][]string{
	"smb": {"small business", "small businesses", "small and medium businesses", "small and medium sized businesses", "small and mid sized businesses", "sme", "smes"},
	"sme": {"small business", "small businesses", "small and medium enterprises", "small and medium sized enterprises"},
}

// invoiceWords name sales invoices.
var invoiceWords = []string{"invoices", "sales invoices", "invoice count"}

type memberEntry struct {
	dim, value, canon, plain string
	toks                     []string
}

func (v *vocab) add(phrase string, t target) {
	p := canonPhrase(phrase)
	if p == "" {
		return
	}
	for _, x := range v.phrases[p] {
		if x.kind == t.kind && x.name == t.name && x.value == t.value && x.rows == t.rows {
			return
		}
	}
	v.phrases[p] = append(v.phrases[p], t)
	if n := len(strings.Fields(p)); n > v.maxLen {
		v.maxLen = n
	}
}

// freeText are names of columns of free text: their values are not
// members people name.
var freeText = map[string]bool{"description": true, "memo": true, "comment": true, "comments": true, "note": true, "notes": true, "narrative": true, "text": true}

// stems are name endings that do not change what a dimension is called
// in a question ("country_code" is the country).
var stems = []string{"_code", "_id", "_name", "_key", "_alias"}

func stem(name string) string {
	for _, s := range stems {
		if strings.HasSuffix(name, s) && len(name) > len(s) {
			return strings.TrimSuffix(name, s)
		}
	}
	return name
}

func spaced(name string) string { return strings.ReplaceAll(name, "_", " ") }

// genericSynonyms are the usual words of finance people for the usual
// lines: applied to a metric whose own name or label is the key.
var genericSynonyms = map[string][]string{
	"revenue":            {"sales", "turnover", "takings", "rev", "revenues", "top line", "income from sales", "billings", "invoiced revenue", "net sales", "net revenue"},
	"operating expenses": {"opex", "operating costs", "operating expense"},
	"net income":         {"net profit", "profit for the period", "bottom line", "net earnings", "profit"},
	"operating income":   {"operating profit", "ebit"},
	"cost of sales":      {"cogs", "cost of goods sold", "cost of revenue"},
	"gross profit":       {"gross income"},
	"salaries and wages": {"salaries", "wages", "salary"},
	"net margin":         {"net profit margin", "profit margin", "net income margin"},
	"gross margin":       {"gross profit margin", "gross margin percentage", "gm pct"},
	"ebitda margin":      {"ebitda pct"},
	"csat score":         {"csat", "satisfaction", "customer satisfaction", "satisfaction score", "csat rating"},
	"csat":               {"satisfaction", "customer satisfaction", "satisfaction score"},
	"nps":                {"net promoter score"},
	"nps score":          {"nps", "net promoter score"},
	"inventory value":    {"stock value", "value of stock", "value of inventory", "inventory valuation"},
	"operating margin":   {"operating profit margin", "ebit margin"},
}

func canonSynonyms() map[string][]string {
	out := map[string][]string{}
	for k, v := range genericSynonyms {
		out[canonPhrase(k)] = v
	}
	return out
}

// qualifierWords qualify a number without naming one.
var qualifierWords = set(`net gross other total overall adjusted reported actual`)

// entityWords are the usual other names of what a model's rows are: a
// model named by one word of a group is also called by the others
// (unless another model is).
var entityWords = [][]string{
	{"customer", "client", "account", "company", "buyer", "member", "shopper", "firm", "organization", "organisation"},
	{"vendor", "supplier"},
	{"store", "shop", "outlet", "branch", "location"},
	{"product", "item"},
	{"employee", "staff member", "worker", "staff", "personnel", "people", "person", "hire"},
}

// headcountWords count the people of a model of employees.
var headcountWords = []string{"headcount", "head count", "fte", "ftes"}

// dimWords are the usual other names of common dimensions.
var dimWords = map[string][]string{
	"industry": {"sector", "vertical"},
	"region":   {"territory"},
	"category": {"product category"},
	"segment":  {"customer segment"},
	"country":  {"nation"},
}

// conceptWords are generic words for the main amount of a kind of fact
// when the layer has no metric named so: sales-like facts (sales,
// invoices, orders) carry revenue; payments carry collections; a
// quantity measure carries units.
var conceptWords = map[string][]string{
	"revenue":  {"revenue", "sales", "turnover", "takings", "rev", "billings", "billing", "invoiced amount", "invoiced revenue", "amount invoiced", "amount billed", "net sales", "net revenue"},
	"payments": {"payments", "collections", "cash collected", "payments received", "amount paid", "paid", "payment amount"},
	"quantity": {"units", "units sold", "quantity", "quantity sold", "items sold", "qty"},
	"documents": {"orders", "transactions", "purchases", "baskets", "tickets", "sales transactions", "receipts",
		"invoices", "sales invoices", "sales orders", "sales documents", "invoice count", "order count", "transaction count", "receipt count"},
	// What the business buys: the amount of its vendors' bills, purchase
	// orders or expenses.
	"spend": {"spend", "spending", "total spend", "amount spent", "expenses", "expenditure", "expenditures", "outlay", "purchases", "purchasing", "costs"},
	// The units bought.
	"spend_quantity": {"units purchased", "quantity purchased", "units bought", "quantity bought", "purchased units", "purchased quantity",
		"purchase quantity", "purchase units", "units ordered from vendors", "units procured", "quantity procured"},
}

// purchaseFacts are the words of fact names that record what the
// business buys (vendors' bills, purchase orders, expenses): their
// amount is spend, never revenue, even when the fact is called
// "purchase orders" or "vendor invoices".
var purchaseFacts = []string{"bill", "purchase", "expense", "spend", "procurement", "vendor", "supplier", "payable", "expenditure", "ap", "po"}

// purchaseSide says a fact records what the business buys. A bill is
// either side: the business's customers are billed where the bills
// reference the customers (accounts, clients, patients) and no vendor.
func purchaseSide(m *semlayer.Model) bool {
	bill := false
	for _, w := range strings.Fields(canonPhrase(spaced(m.Name) + " " + m.Label)) {
		if w == "bill" {
			bill = true
		} else if slices.Contains(purchaseFacts, w) {
			return true
		}
	}
	return bill && !billsCustomers(m)
}

// billedWords name whom a business bills, beside entityWords' customers.
var billedWords = []string{"patient", "student", "tenant", "subscriber", "guest", "household", "premise"}

// billsCustomers says a fact references whom the business bills and no
// vendor.
func billsCustomers(m *semlayer.Model) bool {
	customer := false
	for _, e := range m.Entities {
		if e.Type != "foreign" {
			continue
		}
		for _, w := range strings.Fields(canonPhrase(spaced(e.Name) + " " + spaced(e.Ref))) {
			switch {
			case slices.Contains(purchaseFacts, w) || slices.Contains(entityWords[1], w):
				return false
			case slices.Contains(entityWords[0], w) || slices.Contains(billedWords, w):
				customer = true
			}
		}
	}
	return customer
}

// conceptFacts are the words of fact names that carry each concept.
var conceptFacts = map[string][]string{
	"revenue":        {"sale", "invoice", "order", "billing", "receipt", "transaction"},
	"payments":       {"payment", "collection"},
	"quantity":       {"sale", "order", "invoice"},
	"documents":      {"sale", "order", "receipt", "transaction"},
	"spend":          purchaseFacts,
	"spend_quantity": purchaseFacts,
}

func newVocab(l *semlayer.Layer, members map[string][]string, glossary map[string][]string) *vocab {
	v := &vocab{l: l, phrases: map[string][]target{}, display: map[string]string{}, dims: map[string]semlayer.DimensionRef{}, concepts: map[string]string{},
		conceptRows: map[string]string{}, lineAmounts: map[string][]string{}}
	refs := l.Dimensions()
	for _, r := range refs {
		v.dims[r.Name] = r
	}
	// Metrics: name, label, synonyms; variants without "%", conjuncts of
	// "X and Y" labels, counts as "number of X", "X count", "how many X".
	for _, m := range l.Metrics {
		if m.Hidden {
			continue
		}
		t := target{kind: kMetric, name: m.Name, prio: 3}
		own := []string{spaced(m.Name), m.Label}
		own = append(own, m.Synonyms...)
		for _, p := range own {
			v.add(p, t)
			cp := canonPhrase(p)
			if strings.HasSuffix(cp, " pct") {
				v.add(strings.TrimSuffix(cp, " pct"), target{kind: kMetric, name: m.Name, prio: 2})
			}
			if strings.HasSuffix(cp, " amount") && len(strings.Fields(cp)) > 1 && cp != "line amount" { // ("lines" are counted)
				v.add(strings.TrimSuffix(cp, " amount"), target{kind: kMetric, name: m.Name, prio: 2})
			}
			if strings.HasPrefix(cp, "number of ") {
				noun := strings.TrimPrefix(cp, "number of ")
				v.add(noun+" count", t)
				v.add("count of "+noun, t)
				if ws := strings.Fields(noun); len(ws) >= 3 && len(ws[0]) <= 3 {
					// "number of gl journal lines": also without the
					// prefix of the table's name ("journal lines").
					rest := strings.Join(ws[1:], " ")
					v.add("number of "+rest, target{kind: kMetric, name: m.Name, prio: 2})
					v.add(rest+" count", target{kind: kMetric, name: m.Name, prio: 2})
				}
			}
			if syn, ok := canonSynonyms()[cp]; ok {
				for _, s := range syn {
					v.add(s, target{kind: kMetric, name: m.Name, prio: 2})
				}
			}
			if strings.HasSuffix(cp, " margin pct") {
				if syn, ok := canonSynonyms()[strings.TrimSuffix(cp, " pct")]; ok {
					for _, s := range syn {
						v.add(s, target{kind: kMetric, name: m.Name, prio: 2})
					}
				}
			}
		}
		// "balance" is the closing balance (as "stock" the closing stock):
		// a stock at the end of its period.
		for _, pre := range []string{"closing ", "ending "} {
			if rest, ok := strings.CutPrefix(canonPhrase(spaced(m.Name)), pre); ok && rest != "" {
				v.add(rest, target{kind: kMetric, name: m.Name, prio: 1})
			}
		}
		if m.Label != "" {
			lab := strings.ToLower(m.Label)
			if parts := strings.FieldsFunc(strings.ReplaceAll(lab, " and ", ","), func(r rune) bool { return r == ',' }); len(parts) > 1 {
				for _, p := range parts {
					// A qualifier alone ("…, net", "other") names nothing.
					if p = strings.TrimSpace(p); p != "" && !qualifierWords[canonPhrase(p)] {
						v.add(p, target{kind: kMetric, name: m.Name, prio: 1})
					}
				}
			}
			for _, suffix := range []string{" costs", " expenses", " expense", " cost"} {
				if strings.HasSuffix(lab, suffix) {
					v.add(strings.TrimSuffix(lab, suffix), target{kind: kMetric, name: m.Name, prio: 2})
				}
			}
		}
	}
	// Models: a model's name and label name its rows; its display
	// dimension is what groups by it.
	for _, m := range l.Models {
		disp := ""
		var firstMembers string
		for _, r := range refs {
			if r.Model != m.Name || r.Dim.Hidden || r.Dim.Type != "categorical" {
				continue
			}
			if firstMembers == "" && r.Dim.Members {
				firstMembers = r.Name
			}
			if disp == "" && (r.Dim.Name == "name" || strings.HasSuffix(r.Dim.Name, "_name") || r.Dim.Name == "alias" || strings.HasSuffix(r.Dim.Name, "_alias")) && !strings.Contains(r.Dim.Name, "period") {
				disp = r.Name
			}
		}
		if disp == "" && m.Role == "dimension" {
			// The members' own title ("course_title", not a job title).
			for _, r := range refs {
				if r.Model == m.Name && !r.Dim.Hidden && r.Dim.Members && r.Dim.Type == "categorical" && (r.Dim.Name == "title" || strings.EqualFold(r.Dim.Name, singularWord(m.Name)+"_title")) {
					disp = r.Name
				}
			}
		}
		if disp == "" && m.Role == "dimension" {
			// The members' own id ("subscription_id"), else the first
			// dimension with members.
			for _, r := range refs {
				if r.Model == m.Name && !r.Dim.Hidden && r.Dim.Members && r.Dim.Type == "categorical" {
					for _, suf := range []string{"_id", "_code", "_no", "_number"} {
						if strings.EqualFold(r.Dim.Name, singularWord(m.Name)+suf) && disp == "" {
							disp = r.Name
						}
					}
				}
			}
		}
		if disp == "" && m.Role == "dimension" {
			disp = firstMembers
		}
		// Short codes are what people call some things by (USD, DE): a
		// code named like the model whose values are all three letters
		// or less names the rows.
		for _, r := range refs {
			if r.Model != m.Name || r.Dim.Hidden || !strings.HasSuffix(r.Dim.Name, "_code") || !r.Dim.Members {
				continue
			}
			if !modelNamed(m, stem(r.Dim.Name)) {
				continue
			}
			vals := members[r.Name]
			short := len(vals) > 0
			for _, x := range vals {
				// (letters only: USD, DE — not a code like WH1)
				if len(x) > 3 || strings.IndexFunc(x, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
					short = false
				}
			}
			if short {
				disp = r.Name
			}
		}
		if m.Role != "dimension" || disp == "" {
			continue
		}
		v.display[m.Name] = disp
		t := target{kind: kEntity, name: m.Name, prio: 3}
		v.add(spaced(m.Name), t)
		if m.Label != "" {
			v.add(m.Label, t)
		}
		for _, s := range m.Synonyms {
			v.add(s, t)
		}
		for _, e := range m.Entities {
			if e.Type == "primary" && !strings.Contains(e.Name, "_of_") {
				v.add(spaced(e.Name), t)
			}
		}
	}
	// Other names of the models' rows.
	extra := map[string][]string{}
	for _, group := range entityWords {
		var owner *semlayer.Model
		n := 0
		for _, m := range l.Models {
			if v.display[m.Name] == "" {
				continue
			}
			hit := false
			for _, w := range modelWords(m) {
				for _, g := range group {
					if canonPhrase(w) == g {
						hit = true
					}
				}
			}
			if hit {
				owner = m
				n++
			}
		}
		if n != 1 {
			continue
		}
		for _, g := range group {
			taken := false
			for _, m := range l.Models {
				if strings.Contains(canonPhrase(spaced(m.Name)+" "+m.Label), g) && m != owner {
					taken = true
				}
			}
			if len(v.phrases[g]) == 0 && !taken {
				v.add(g, target{kind: kEntity, name: owner.Name, prio: 2})
				extra[owner.Name] = append(extra[owner.Name], g)
			}
		}
	}
	// Counts of a model's rows by its other names ("number of clients").
	for _, m := range l.Metrics {
		if m.Hidden || m.Format != "count" {
			continue
		}
		noun, ok := strings.CutPrefix(canonPhrase(m.Label), "number of ")
		if !ok {
			continue
		}
		for _, md := range l.Models {
			if !modelNamed(md, noun) {
				continue
			}
			for _, g := range extra[md.Name] {
				v.add("number of "+g, target{kind: kMetric, name: m.Name, prio: 2})
				v.add(g+" count", target{kind: kMetric, name: m.Name, prio: 2})
			}
			if md.Role == "dimension" && slices.ContainsFunc(append(modelWords(md), extra[md.Name]...), func(w string) bool { return canonPhrase(w) == canonPhrase("employee") }) {
				// "headcount": the number of employees.
				for _, w := range headcountWords {
					if len(v.phrases[w]) == 0 {
						v.add(w, target{kind: kMetric, name: m.Name, prio: 2})
					}
				}
			}
		}
	}
	// Dimensions: name, label, synonyms, the name without _code/_id/_name,
	// qualified by the model ("customer country"), the last word alone.
	lastWord := map[string][]string{}
	var shortNames [][2]string // (words, dimension): cohort_year's "cohort", origin_airport's "origin"
	for _, r := range refs {
		if r.Dim.Hidden {
			continue
		}
		m := l.Model(r.Model)
		if m.Role == "fact" && r.Dim.Type == "categorical" && !isOwnColumn(l, m, r.Dim) {
			continue
		}
		t := target{kind: kDim, name: r.Name, prio: 3}
		names := []string{spaced(r.Dim.Name), r.Dim.Label, spaced(stem(r.Dim.Name))}
		if disp := v.display[m.Name]; disp != "" && disp != r.Name && stem(r.Dim.Name) != r.Dim.Name {
			if dr, ok := v.dims[disp]; ok && stem(dr.Dim.Name) == stem(r.Dim.Name) {
				// rep_id beside rep_name, the rows' display: "rep" is
				// the name.
				names = names[:2]
			}
		}
		names = append(names, r.Dim.Synonyms...)
		names = append(names, dimWords[stem(r.Dim.Name)]...)
		for _, n := range names {
			if strings.TrimSpace(n) == "" {
				continue
			}
			v.add(n, t)
			for _, mn := range append(modelWords(m), extra[m.Name]...) {
				v.add(mn+" "+n, target{kind: kDim, name: r.Name, prio: 4})
			}
		}
		if ws := strings.Split(r.Dim.Name, "_"); len(ws) > 1 && dimSide(r.Dim.Name) != 0 && (fromWords[ws[0]] || toWords[ws[0]]) && r.Dim.Type == "categorical" {
			// "by origin", "by destination" for origin_airport and
			// destination_airport.
			shortNames = append(shortNames, [2]string{ws[0], r.Name})
		}
		if head, ok := strings.CutSuffix(r.Dim.Name, "_year"); ok && head != "" && r.Dim.Type == "categorical" && !timeHeads[head] {
			// A year each member has, by its head ("by cohort" for
			// cohort_year), where nothing else is called so.
			shortNames = append(shortNames, [2]string{spaced(head), r.Name})
		}
		ws := strings.Fields(canonPhrase(spaced(stem(r.Dim.Name))))
		if len(ws) > 1 && r.Dim.Type == "categorical" {
			last := ws[len(ws)-1]
			lastWord[last] = append(lastWord[last], r.Name)
		}
	}
	for _, h := range shortNames {
		if len(v.phrases[canonPhrase(h[0])]) == 0 {
			v.add(h[0], target{kind: kDim, name: h[1], prio: 2})
		}
	}
	// Numeric attributes of dimensions' members (hidden from grouping:
	// a price, a cost, a limit), by name and label; "price" alone when
	// one attribute is a price.
	var prices []semlayer.DimensionRef
	for _, r := range refs {
		m := l.Model(r.Model)
		if !isAttribute(m, r.Dim) {
			continue
		}
		t := target{kind: kAttr, name: r.Name, prio: 2}
		for _, n := range []string{spaced(r.Dim.Name), r.Dim.Label} {
			if strings.TrimSpace(n) != "" && len(v.phrases[canonPhrase(n)]) == 0 {
				v.add(n, t)
			}
		}
		if strings.Contains(r.Dim.Name, "price") {
			prices = append(prices, r)
		}
	}
	if len(prices) == 1 && len(v.phrases["price"]) == 0 {
		v.add("price", target{kind: kAttr, name: prices[0].Name, prio: 1})
	}
	// An attribute by the last word of its name, when it is a word of
	// an amount and names nothing else ("salary" for annual_salary).
	lastAttr := map[string][]string{}
	for _, r := range refs {
		if m := l.Model(r.Model); isAttribute(m, r.Dim) {
			ws := strings.Fields(spaced(r.Dim.Name))
			if w := ws[len(ws)-1]; len(ws) > 1 && attrNouns[w] {
				lastAttr[w] = append(lastAttr[w], r.Name)
			}
		}
	}
	for w, names := range lastAttr {
		if len(names) == 1 && len(v.phrases[canonPhrase(w)]) == 0 {
			v.add(w, target{kind: kAttr, name: names[0], prio: 1})
		}
	}
	v.payrollWords()
	v.lastWords = map[string][]string{}
	for w, names := range lastWord {
		if len(names) == 1 && len(v.phrases[w]) == 0 {
			v.add(w, target{kind: kDim, name: names[0], prio: 1})
		} else if len(names) > 1 && len(v.phrases[w]) == 0 {
			v.lastWords[w] = names
		}
	}
	v.flags()
	v.unitNames()
	v.factDates = factDateNames(l)
	// Members.
	for dim, vals := range members {
		r, ok := v.dims[dim]
		if !ok || r.Dim.Hidden || freeText[r.Dim.Name] {
			continue
		}
		for _, val := range vals {
			if len(words(val)) > 6 {
				continue // a sentence, not a member
			}
			c := canonPhrase(val)
			if c == "" {
				continue
			}
			toks := words(val)
			v.members = append(v.members, memberEntry{dim: dim, value: val, canon: c, plain: strings.Join(toks, " "), toks: toks})
			v.add(c, target{kind: kMember, name: dim, value: val, prio: 3})
			for _, n := range memberLongForms[c] {
				if c != canonPhrase(n) {
					v.add(n, target{kind: kMember, name: dim, value: val, prio: 2})
				}
			}
			if ab, ok := memberAbbreviations[c]; ok {
				// "AR closing balance": Accounts Receivable.
				v.add(ab, target{kind: kMember, name: dim, value: val, prio: 2})
			}
			if cc, ok := countryNames[strings.ToUpper(val)]; ok && len(val) == 2 {
				for _, n := range append(cc, countryAdjectives[strings.ToUpper(val)]...) {
					v.add(n, target{kind: kMember, name: dim, value: val, prio: 2})
				}
			}
			if cn, ok := currencyNames[strings.ToUpper(val)]; ok && len(val) == 3 && strings.Contains(strings.ToLower(r.Dim.Name+" "+r.Dim.Column), "curr") {
				// "revenue in euros", "sterling billings": the currency.
				for _, n := range cn {
					v.add(n, target{kind: kMember, name: dim, value: val, prio: 2})
				}
			}
			for code, names := range countryNames {
				// A country named in full ("Mexico"): its adjective too.
				if len(val) > 2 && slices.Contains(names, strings.ToLower(val)) {
					for _, n := range countryAdjectives[code] {
						v.add(n, target{kind: kMember, name: dim, value: val, prio: 2})
					}
				}
			}
		}
	}
	sort.Slice(v.members, func(i, j int) bool {
		if v.members[i].dim != v.members[j].dim {
			return v.members[i].dim < v.members[j].dim
		}
		return v.members[i].value < v.members[j].value
	})
	v.endedSynonyms()
	v.liveSynonyms()
	v.statusNouns()
	v.outcomeWords()
	// Concepts: generic words for the main amount of sales-like,
	// payment-like facts, and their quantities.
	for _, concept := range []string{"revenue", "payments", "quantity", "spend", "spend_quantity", "documents"} {
		name := v.conceptMetric(concept, conceptFacts[concept])
		if concept == "documents" {
			name = v.documents(name)
		}
		if name != "" {
			v.concepts[concept] = name
			if m := l.Metric(name); concept == "payments" && m != nil && l.Model(m.Model) != nil && !payments(l.Model(m.Model)) {
				// The paid part of another fact's rows (a claim's
				// paid amount): "claims paid", "paid claims".
				for _, mw := range modelWords(l.Model(m.Model)) {
					v.add(mw+" paid", target{kind: kMetric, name: name, prio: 4})
					v.add("paid "+mw, target{kind: kMetric, name: name, prio: 4})
					v.add(singularWord(mw)+" payments", target{kind: kMetric, name: name, prio: 4})
				}
			}
			words := conceptWords[concept]
			if concept == "documents" && v.ledgerDocs {
				// A ledger's journals with revenue lines are its sales
				// invoices — not its orders, receipts or transactions.
				words = invoiceWords
			}
			for _, w := range words {
				if concept == "spend" && v.concepts["revenue"] != "" && slices.ContainsFunc(strings.Fields(w), func(x string) bool { return spendingWords[x] }) {
					// Beside sales, "spend" is the customers' (revenue)
					// or ours: the question's words decide (weakMetric).
					continue
				}
				if concept == "documents" && v.concepts["spend"] != "" && slices.Contains(conceptWords["spend"], w) {
					// Where the business buys too, its purchases are
					// what it buys, not its customers' orders.
					continue
				}
				v.add(w, target{kind: kMetric, name: name, prio: 1, rows: v.conceptRows[concept]})
			}
		}
	}
	if spend := l.Metric(v.concepts["spend"]); spend != nil && v.concepts["revenue"] == "" && v.concepts["documents"] == "" {
		// Where the business only buys, the invoices are its vendors':
		// "invoices from Acme" counts the bills.
		var counts []string
		for _, m := range l.Metrics {
			md := l.Model(m.Model)
			if m.Hidden || m.Type != semlayer.MetricSimple || m.Filter != "" || m.Format != "count" || md == nil || !strings.EqualFold(md.Name, spend.Model) {
				continue
			}
			if ms := md.Measure(m.Measure); ms != nil && (ms.Agg == semlayer.AggCount || isDocumentCount(md, ms)) {
				counts = append(counts, m.Name)
			}
		}
		if len(counts) == 1 {
			for _, w := range []string{"invoices", "vendor invoices", "supplier invoices", "purchase invoices", "invoice count"} {
				v.add(w, target{kind: kMetric, name: counts[0], prio: 1})
			}
		}
	}
	v.linesOfConcepts()
	v.eventCount = v.eventRows()
	v.inventoryWords()
	// Units returned: the quantity of a fact of returns.
	for _, m := range l.Metrics {
		md := l.Model(m.Model)
		if m.Hidden || m.Type != semlayer.MetricSimple || m.Filter != "" || md == nil || md.Role != "fact" || !strings.Contains(strings.ToLower(md.Name), "return") {
			continue
		}
		if ms := strings.ToLower(m.Measure); ms == "quantity" || ms == "qty" || ms == "units" {
			for _, w := range []string{"units returned", "returned units", "items returned", "returned items", "quantity returned", "returned quantity"} {
				v.add(w, target{kind: kMetric, name: m.Name, prio: 2})
			}
		}
	}
	// The glossary: term → synonyms, the term a metric, dimension or
	// model name.
	for term, syns := range glossary {
		var ts []target
		if m := l.Metric(term); m != nil {
			ts = append(ts, target{kind: kMetric, name: m.Name, prio: 3})
		} else if _, ok := v.dims[term]; ok {
			ts = append(ts, target{kind: kDim, name: term, prio: 3})
		} else if m := l.Model(term); m != nil && v.display[m.Name] != "" {
			ts = append(ts, target{kind: kEntity, name: m.Name, prio: 3})
		} else {
			// A phrase for another phrase of the vocabulary.
			ts = v.phrases[canonPhrase(term)]
		}
		for _, s := range syns {
			for _, t := range ts {
				t.prio = 3
				v.add(s, t)
			}
		}
	}
	// "journals" alone where the count is "number of journals" and
	// nothing else is called so: the count.
	for _, m := range l.Metrics {
		if m.Hidden || m.Format != "count" || m.Type != semlayer.MetricSimple {
			continue
		}
		noun, ok := strings.CutPrefix(canonPhrase(m.Label), "number of ")
		if !ok || noun == "" || len(v.phrases[noun]) > 0 {
			continue
		}
		v.add(noun, target{kind: kMetric, name: m.Name, prio: 1})
	}
	v.moneyFacts()
	v.operatingExpenses()
	v.participleNouns()
	v.onHand()
	v.durationTimes()
	v.netOfList()
	v.scoreTails()
	v.piecesCounted()
	v.headNouns()
	v.paidByWhom()
	// A fact's name alone ("returns") names its amounts where nothing
	// else does: which one, the kind of the other number decides ("units
	// sold less returns": the units returned), else it is not answered.
	for _, m := range l.Models {
		if m.Role != "fact" {
			continue
		}
		for _, name := range []string{spaced(m.Name), m.Label} {
			cp := canonPhrase(name)
			if cp == "" || len(strings.Fields(cp)) != 1 {
				continue
			}
			taken := false
			for _, t := range v.phrases[cp] {
				// (a count named by the fact's noun, added above with
				// prio 1, leaves room for its amounts)
				taken = taken || t.kind == kMetric && t.prio > 1 || t.kind == kEntity || t.kind == kDim
			}
			if taken {
				continue
			}
			for _, x := range l.Metrics {
				if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || x.Rows != "" || !strings.EqualFold(x.Model, m.Name) || x.Format == "count" {
					continue
				}
				if ms := m.Measure(x.Measure); ms != nil && ms.Agg == semlayer.AggSum && ms.NonAdditive == nil {
					v.add(cp, target{kind: kMetric, name: x.Name, prio: 1})
				}
			}
		}
	}
	return v
}

// isOwnColumn says a fact's dimension is the fact's own (not a copy of a
// dimension's key it also references): a currency, a status, a channel.
func isOwnColumn(l *semlayer.Layer, m *semlayer.Model, x *semlayer.Dimension) bool {
	if !x.Members && !x.Flag {
		return false
	}
	if strings.HasSuffix(x.Name, "_id") || strings.HasSuffix(x.Name, "_no") {
		return false
	}
	for _, o := range l.Models {
		if o != m && o.Role == "dimension" && o.Dimension(x.Name) != nil {
			// The same column on a dimension: group through it.
			return x.Name == m.CurrencyColumn
		}
	}
	return true
}

// modelNamed says the model's rows are called word ("currency" for
// currencies).
func modelNamed(m *semlayer.Model, word string) bool {
	w := canonPhrase(spaced(word))
	for _, x := range modelWords(m) {
		if canonPhrase(x) == w {
			return true
		}
	}
	return false
}

// modelWords are the words naming a model's rows (singular and as named).
func modelWords(m *semlayer.Model) []string {
	out := []string{spaced(m.Name)}
	if m.Label != "" && m.Label != spaced(m.Name) {
		out = append(out, m.Label)
	}
	for _, e := range m.Entities {
		if e.Type == "primary" && !strings.Contains(e.Name, "_of_") && spaced(e.Name) != spaced(m.Name) {
			out = append(out, spaced(e.Name))
		}
	}
	return out
}

// conceptMetric is the main money (or quantity) metric of the one fact
// whose name carries the concept, when the layer has no metric called
// so.
func (v *vocab) conceptMetric(concept string, facts []string) string {
	var own []string
	for _, t := range v.phrases[canonPhrase(conceptWords[concept][0])] {
		if t.kind == kMetric {
			own = append(own, t.name)
		}
	}
	if len(own) == 1 {
		return own[0]
	}
	if len(own) > 1 {
		return ""
	}
	var found []string
	for _, m := range v.l.Models {
		if m.Role != "fact" || concept != "payments" && strings.HasPrefix(concept, "spend") != purchaseSide(m) {
			// A purchase order is not a sale, nor a sale a purchase.
			continue
		}
		name := canonPhrase(spaced(m.Name) + " " + m.Label)
		if strings.HasPrefix(concept, "spend") && payments(m) {
			// The payments of the bills are not what was bought.
			continue
		}
		hit := false
		for _, f := range facts {
			for _, w := range strings.Fields(name) {
				// ("orderdetails", a file's name run together, is of
				// orders)
				if w == f || len(f) >= 4 && strings.HasPrefix(w, f) && lineLevel(w[len(f):]) {
					hit = true
				}
			}
		}
		if !hit {
			continue
		}
		best, bestScore := "", 0
		for _, x := range v.l.Metrics {
			if x.Hidden || x.Type != semlayer.MetricSimple || !strings.EqualFold(x.Model, m.Name) || x.Filter != "" {
				continue
			}
			ms := m.Measure(x.Measure)
			if ms == nil {
				continue
			}
			score := 0
			n := strings.ToLower(ms.Name)
			if concept == "documents" {
				// A count of document numbers the lines share.
				if ms.Agg == semlayer.AggCountDistinct {
					for _, dim := range m.Dimensions {
						if strings.EqualFold(dim.Column, ms.Column) && dim.Hidden {
							score = 3
						}
					}
				}
				if ms.Agg == semlayer.AggCount && !lineLevel(name) {
					// A fact of whole documents (sales orders, one row
					// each): its rows.
					score = 1
				}
			} else if ms.Agg != semlayer.AggSum {
				continue
			} else if concept == "quantity" || concept == "spend_quantity" {
				if strings.Contains(n, "quantity") || strings.Contains(n, "qty") || strings.Contains(n, "units") {
					score = 3
				}
			} else if ms.Money {
				switch {
				case n == "net_amount" || n == "amount" || n == "revenue" || n == "sales" || n == "net_sales":
					score = 3
				case strings.Contains(n, "amount") && !strings.Contains(n, "tax") && !strings.Contains(n, "discount"):
					score = 2
				}
			}
			if score > bestScore {
				best, bestScore = x.Name, score
			}
		}
		if best != "" {
			found = append(found, best)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	if len(found) == 0 {
		switch concept {
		case "payments":
			// No fact of payments: the one money number of a fact whose
			// name says paid (a claim's paid_amount, an invoice's
			// amount_paid).
			return v.oneMoneyNamed(false, "paid")
		case "revenue":
			// No fact is named for sales (bookings, rentals, tickets,
			// visits, bills): the one money number of a fact that is
			// not a purchase whose name says revenue or sales, or what
			// the business charges (room_revenue, ticket_sales,
			// charge_amount, amount_billed, subtotal, tuition).
			if name := v.oneMoneyNamed(true, chargedWords...); name != "" {
				return name
			}
			// Lines that carry only a quantity and a price (Northwind's
			// order details): their amount.
			if lines := v.lineAmountMetrics(false); len(lines) == 1 {
				return lines[0]
			}
		}
	}
	return ""
}

// chargedWords name, in a measure's name, what a business charges its
// customers: its revenue where no fact is named for sales.
var chargedWords = []string{"revenue", "sales", "billed", "billing", "charge", "charges", "charged", "subtotal", "tuition", "fee", "fees", "fare", "fares", "rent"}

// oneMoneyNamed is the one summed money number of a fact (not of a
// purchase, with sales) whose measure's name has one of the words, or "".
func (v *vocab) oneMoneyNamed(sales bool, words ...string) string {
	var found []string
	for _, x := range v.l.Metrics {
		m := v.l.Model(x.Model)
		if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || m == nil || m.Role != "fact" || sales && purchaseSide(m) {
			continue
		}
		ms := m.Measure(x.Measure)
		if ms == nil || ms.Agg != semlayer.AggSum || !ms.Money {
			continue
		}
		has := func(name string) bool {
			ws := strings.Fields(canonPhrase(spaced(name)))
			return slices.ContainsFunc(words, func(w string) bool { return slices.Contains(ws, canonWord(w)) })
		}
		// (the measure's name, or the fact's when it is the fact's one
		// amount: membership_charges.amount)
		if has(ms.Name) || sales && has(m.Name) && len(moneySums(m)) == 1 {
			found = append(found, x.Name)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// moneySums are a model's summed money measures (flows): its own
// amounts, else the products the layer made of them (a line amount of
// quantity × price; a weighted amount is no amount of its own).
func moneySums(m *semlayer.Model) []string {
	var out, products []string
	for _, ms := range m.Measures {
		if ms.Agg == semlayer.AggSum && ms.Money && ms.NonAdditive == nil {
			if ms.Times != "" {
				products = append(products, ms.Name)
			} else {
				out = append(out, ms.Name)
			}
		}
	}
	if len(out) == 0 {
		return products
	}
	return out
}

// documents is the count of sales documents: the count of document
// numbers of a sales-like fact (found), or else of the fact that carries
// revenue (a ledger's journals) — counted over the revenue rows when
// revenue is only some of the fact's rows (a hierarchy line, a filtered
// metric): a sales invoice is a journal with revenue lines.
func (v *vocab) documents(found string) string {
	rev := v.l.Metric(v.concepts["revenue"])
	if rev == nil {
		return found
	}
	partial := rev.Type == semlayer.MetricHierarchy && rev.Formula == "" || rev.Type == semlayer.MetricSimple && rev.Filter != ""
	if found != "" {
		if m := v.l.Metric(found); m != nil && partial && strings.EqualFold(m.Model, rev.Model) {
			v.conceptRows["documents"] = rev.Name
		}
		return found
	}
	if !partial {
		return ""
	}
	fact := v.l.Model(rev.Model)
	if fact == nil {
		return ""
	}
	var docs []string
	for _, x := range v.l.Metrics {
		if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || x.Rows != "" || !strings.EqualFold(x.Model, fact.Name) {
			continue
		}
		if ms := fact.Measure(x.Measure); ms != nil && isDocumentCount(fact, ms) {
			docs = append(docs, x.Name)
		}
	}
	if len(docs) != 1 {
		return ""
	}
	v.conceptRows["documents"] = rev.Name
	v.ledgerDocs = true
	return docs[0]
}

// lineLevel says a fact's name is of the lines of documents (order
// lines, invoice items, sales details), not of the documents.
func lineLevel(name string) bool {
	for _, w := range strings.Fields(name) {
		if w == "line" || w == "item" || w == "detail" || w == canonWord("lines") || w == canonWord("items") || w == canonWord("details") {
			return true
		}
	}
	return false
}

// isDocumentCount says a measure counts a fact's document numbers: the
// distinct values of a hidden key its lines share (a journal, a receipt).
func isDocumentCount(fact *semlayer.Model, ms *semlayer.Measure) bool {
	if ms.Agg != semlayer.AggCountDistinct {
		return false
	}
	for _, d := range fact.Dimensions {
		if strings.EqualFold(d.Column, ms.Column) && d.Hidden {
			return true
		}
	}
	return false
}

// isAttribute says a dimension is a numeric attribute of a dimension
// model's members: hidden from grouping, not matched as members, not a
// key.
func isAttribute(m *semlayer.Model, x *semlayer.Dimension) bool {
	if m == nil || m.Role != "dimension" || !x.Hidden || x.Members || x.Type != "categorical" {
		return false
	}
	for _, suf := range []string{"_id", "_sk", "_code", "_key", "_no"} {
		if strings.HasSuffix(strings.ToLower(x.Name), suf) {
			return false
		}
	}
	return true
}

// inventoryWords name the numbers of a fact of stock (inventory
// snapshots, stock levels) by the words people use: "inventory value",
// "stock value" its one money measure; "inventory", "stock on hand",
// "units in stock" its one quantity (or, with none, its money).
func (v *vocab) inventoryWords() {
	var money, qty []string
	for _, m := range v.l.Metrics {
		md := v.l.Model(m.Model)
		if m.Hidden || m.Type != semlayer.MetricSimple || m.Filter != "" || md == nil || md.Role != "fact" {
			continue
		}
		stock := false
		for _, w := range strings.Fields(canonPhrase(spaced(md.Name))) {
			stock = stock || w == "inventory" || w == "stock" || w == canonWord("inventories") || w == canonWord("stocks")
		}
		ms := md.Measure(m.Measure)
		if !stock || ms == nil || ms.Agg != semlayer.AggSum {
			continue
		}
		if ms.Money {
			money = append(money, m.Name)
		} else {
			qty = append(qty, m.Name)
		}
	}
	if len(money) > 1 || len(qty) > 1 {
		return
	}
	add := func(words []string, name string) {
		for _, w := range words {
			if len(v.phrases[canonPhrase(w)]) == 0 {
				v.add(w, target{kind: kMetric, name: name, prio: 2})
			}
		}
	}
	if len(money) == 1 {
		add([]string{"inventory value", "stock value", "value of inventory", "value of stock", "inventory valuation", "value of stock on hand", "value on hand"}, money[0])
	}
	level := []string{"inventory", "stock", "stock on hand", "inventory on hand", "on hand", "units on hand", "units in stock", "quantity on hand", "stock level", "stock levels", "inventory level", "inventory levels", "inventory quantity", "stock quantity", "on hand quantity", "on hand units", "quantity in stock"}
	switch {
	case len(qty) == 1:
		add(level, qty[0])
	case len(money) == 1:
		add(level, money[0])
	}
}

// attrNouns are the last words of attributes that name an amount of a
// member on their own ("salary", "quota").
var attrNouns = set(`salary wage fee limit quota rent`)

// payrollPhrases name what a payroll costs: the gross pay.
var payrollPhrases = []string{"payroll", "payroll cost", "payroll costs", "total payroll", "payroll expense", "salaries", "salary cost",
	"salary costs", "salary expense", "wages", "wage bill", "wage costs", "labor cost", "labour cost", "labor costs", "labour costs",
	"staff costs", "personnel costs", "employee costs", "people costs", "gross pay", "gross wages", "gross salaries"}

// payrollWords reads the words of a payroll's cost as its one gross
// amount, where a fact of payroll (pay, salaries, wages) has one.
func (v *vocab) payrollWords() {
	var gross []string
	for _, m := range v.l.Metrics {
		md := v.l.Model(m.Model)
		if m.Hidden || m.Type != semlayer.MetricSimple || m.Filter != "" || m.Format != "money" || md == nil || md.Role != "fact" {
			continue
		}
		pay := false
		for _, w := range strings.Fields(canonPhrase(spaced(md.Name))) {
			pay = pay || w == "payroll" || w == canonWord("salaries") || w == canonWord("wages") || w == "pay" || w == "compensation"
		}
		if pay && strings.Contains(strings.ToLower(m.Measure), "gross") {
			gross = append(gross, m.Name)
		}
	}
	if len(gross) != 1 {
		return
	}
	v.concepts["payroll"] = gross[0]
	for _, w := range payrollPhrases {
		if ts := v.phrases[canonPhrase(w)]; len(ts) == 0 || w == "payroll" {
			v.add(w, target{kind: kMetric, name: gross[0], prio: 4})
		}
	}
}

// flags are the members of true/false dimensions, named by the
// dimension's words: "billable hours" (billable = TRUE), "non-billable",
// "not billable", "unbillable" (FALSE); is_/has_ prefixes dropped
// ("is_refundable": "refundable orders").
func (v *vocab) flags() {
	for name, r := range v.dims {
		if !r.Dim.Flag || r.Dim.Hidden || strings.Contains(name, ".") {
			continue
		}
		w := strings.Join(flagWords(r.Dim), " ")
		v.add(w, target{kind: kMember, name: name, value: "true", prio: 4})
		for _, neg := range append([]string{"non " + w, "not " + w, "un" + w, "non" + w}, flagAntonyms[w]...) {
			v.add(neg, target{kind: kMember, name: name, value: "false", prio: 4})
		}
	}
}

// flagReading picks one reading of a true/false dimension's word: after
// "by" (or "per", "each"), or listed with a grouping ("by client and
// billable"), the grouping; else its members ("billable hours").
func (p *parser) flagReading(i int, ts []target) []target {
	flag := ""
	for _, t := range ts {
		if r, ok := p.v.dims[t.name]; ok && t.kind == kMember && r.Dim.Flag {
			flag = t.name
		}
	}
	if flag == "" {
		return ts
	}
	grouped := i > 0 && dateGroupBefore[p.toks[i-1].raw]
	if i > 1 && coordWords[p.toks[i-1].raw] {
		for _, m := range p.mentions {
			if m.end == i-1 && slices.ContainsFunc(m.t, func(t target) bool { return t.kind == kDim }) {
				grouped = true
			}
		}
		// "by month and billable": a time grain before.
		grouped = grouped || timeUnits[p.toks[i-2].raw] != "" && i > 2 && dateGroupBefore[p.toks[i-3].raw]
	}
	var out []target
	for _, t := range ts {
		if grouped == (t.kind == kDim && t.name == flag) || !grouped && !(t.kind == kDim && t.name == flag) && !(t.kind == kMember && t.name == flag) {
			out = append(out, t)
		}
	}
	if !grouped {
		for _, t := range ts {
			if t.kind == kMember && t.name == flag {
				out = append(out, t)
			}
		}
	}
	return out
}

// payments says a fact records payments (its name says payment or
// collection).
func payments(m *semlayer.Model) bool {
	return slices.ContainsFunc(strings.Fields(canonPhrase(spaced(m.Name)+" "+m.Label)), func(w string) bool { return slices.Contains(conceptFacts["payments"], w) })
}

// measureUnits are units a measure's name may end with: the words
// before name the measure ("downtime_minutes": downtime, "weight_kg":
// weight), the unit alone names it where no other number has it ("cost
// per kg").
var measureUnits = set(`kg kgs lb lbs ton tons tonnes km miles mi minutes mins min hours hrs seconds secs sec kwh mwh liters litres gallons m3 sqm sqft points pts gb mb tb`)

// headSynonyms are other words for a measure's name before its unit
// ("consumption" for usage_kwh).
var headSynonyms = map[string][]string{"usage": {"consumption", "energy used"}, "consumption": {"usage"}, "downtime": {"down time", "outage"}, "distance": {"mileage"},
	"sms": {"texts", "text messages"}, "data": {"data traffic"}}

func (v *vocab) unitNames() {
	units := map[string][]string{}
	for _, m := range v.l.Metrics {
		if m.Hidden || m.Type != semlayer.MetricSimple {
			continue
		}
		ws := strings.Split(strings.ToLower(m.Name), "_")
		if len(ws) < 2 || !measureUnits[ws[len(ws)-1]] {
			continue
		}
		units[ws[len(ws)-1]] = append(units[ws[len(ws)-1]], m.Name)
		head := strings.Join(ws[:len(ws)-1], " ")
		for _, h := range append([]string{head, head + " usage", head + " used"}, headSynonyms[head]...) {
			if len(v.phrases[canonPhrase(h)]) == 0 {
				v.add(h, target{kind: kMetric, name: m.Name, prio: 2})
			}
		}
	}
	// A sum named X_count (sms_count, visit_count): "X", "number of X".
	for _, m := range v.l.Metrics {
		head, ok := strings.CutSuffix(strings.ToLower(m.Name), "_count")
		md := v.l.Model(m.Model)
		if !ok || head == "" || m.Hidden || m.Type != semlayer.MetricSimple || md == nil {
			continue
		}
		if ms := md.Measure(m.Measure); ms == nil || ms.Agg != semlayer.AggSum {
			continue
		}
		for _, h := range append([]string{spaced(head), "number of " + spaced(head)}, headSynonyms[head]...) {
			if len(v.phrases[canonPhrase(h)]) == 0 {
				v.add(h, target{kind: kMetric, name: m.Name, prio: 2})
			}
		}
	}
	for u, names := range units {
		if len(names) == 1 && len(v.phrases[canonPhrase(u)]) == 0 {
			v.add(u, target{kind: kMetric, name: names[0], prio: 1})
		}
	}
	// "cost per kg" where one money number is a cost (freight_cost):
	// that cost ("cost" is otherwise a word that changes nothing).
	var costs []string
	for _, m := range v.l.Metrics {
		if ws := strings.Split(strings.ToLower(m.Name), "_"); !m.Hidden && m.Type == semlayer.MetricSimple && m.Format == "money" && len(ws) > 1 && (ws[len(ws)-1] == "cost" || ws[len(ws)-1] == "costs") {
			costs = append(costs, m.Name)
		}
	}
	if len(costs) == 1 && len(v.phrases["cost"]) == 0 {
		v.add("cost", target{kind: kMetric, name: costs[0], prio: 1})
	}
	// A grade point average: the one averaged grade.
	var grades []string
	for _, m := range v.l.Metrics {
		if md := v.l.Model(m.Model); !m.Hidden && m.Type == semlayer.MetricSimple && md != nil && slices.Contains(strings.Split(strings.ToLower(m.Name), "_"), "grade") {
			if ms := md.Measure(m.Measure); ms != nil && ms.Agg == semlayer.AggAverage {
				grades = append(grades, m.Name)
			}
		}
	}
	if len(grades) == 1 {
		for _, w := range []string{"gpa", "grade point average", "average grade"} {
			if len(v.phrases[canonPhrase(w)]) == 0 {
				v.add(w, target{kind: kMetric, name: grades[0], prio: 2})
			}
		}
	}
}

// lastWordDims reads a word that ends several dimensions' names ("by
// type") as the one of a model the question names ("transactions by
// type": transaction_type), when exactly one is.
func (p *parser) lastWordDims() {
	named := map[string]bool{}
	for _, m := range p.mentions {
		for _, t := range m.t {
			switch t.kind {
			case kMetric:
				if x := p.in.Layer.Metric(t.name); x != nil {
					named[strings.ToLower(x.Model)] = true
				}
			case kEntity:
				named[strings.ToLower(t.name)] = true
			}
		}
	}
	for i, t := range p.toks {
		names := p.v.lastWords[t.canon]
		if t.used || len(names) == 0 {
			continue
		}
		var hits []string
		for _, n := range names {
			if r, ok := p.v.dims[n]; ok && named[strings.ToLower(r.Model)] {
				hits = append(hits, n)
			}
		}
		if len(hits) == 1 {
			p.mentions = append(p.mentions, mention{pos: i, end: i + 1, t: []target{{kind: kDim, name: hits[0], prio: 1}}})
			p.use(i, 1, "vocab")
		}
	}
}

// flagAntonyms are the words for a flag's false value that are not its
// word negated ("late shipments": not on time).
var flagAntonyms = map[string][]string{
	"on time": {"late", "delayed"}, "ontime": {"late", "delayed"}, "active": {"inactive"}, "enabled": {"disabled"},
	"valid": {"invalid"}, "complete": {"incomplete"}, "completed": {"incomplete"}, "approved": {"rejected", "declined"},
	"recurring": {"one time", "one off", "single"},
}

// flagWords are the words of a true/false dimension's name that name
// its members: is_/has_ and a _flag suffix dropped (is_refundable:
// refundable).
func flagWords(d *semlayer.Dimension) []string {
	ws := strings.Fields(strings.ToLower(strings.ReplaceAll(d.Name, "_", " ")))
	for len(ws) > 1 && (ws[0] == "is" || ws[0] == "has" || ws[0] == "was") {
		ws = ws[1:]
	}
	for len(ws) > 1 && (ws[len(ws)-1] == "flag" || ws[len(ws)-1] == "ind" || ws[len(ws)-1] == "yn") {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// rowCount is the metric that counts a model's rows, or "".
func (p *parser) rowCount(md *semlayer.Model) string { return rowCountOf(p.in.Layer, md) }

// paidByUs says the payments are the paid part of another fact's rows
// (a claim's paid amount) and nothing is bought: "how much did we pay
// on claims" is that amount, not a spend the warehouse does not hold.
func (p *parser) paidByUs() bool {
	m := p.in.Layer.Metric(p.v.concepts["payments"])
	if m == nil || p.v.concepts["spend"] != "" {
		return false
	}
	md := p.in.Layer.Model(m.Model)
	return md != nil && !payments(md)
}

// factWords are the usual other names of what a fact's rows are: a fact
// named by one word of a group is also called by the others (unless a
// model is).
var factWords = [][]string{
	{"gift", "donation", "contribution"},
	{"visit", "appointment", "encounter"},
	{"enrollment", "enrolment", "registration"},
	{"booking", "reservation"},
	{"shipment", "consignment"},
	{"opportunity", "deal", "opp"},
	{"call", "contact"},
	{"trip", "ride", "journey"},
}

// moneyNouns are rows that are sums of money: a gift, a deposit, a fee.
var moneyNouns = set(`gift donation contribution pledge grant payment deposit withdrawal refund fee premium remittance payout disbursement due dues tip cost expense charge`)

// participleNouns names a money number "<noun> <participle>"
// (interest_paid, tax_collected, fees_charged) by its noun alone where
// nothing else is called so: "interest in 2025", "interest income by
// month" (what was paid or collected is the income of who received it).
func (v *vocab) participleNouns() {
	participles := []string{"paid", "received", "collected", "earned", "charged", "billed"}
	found := map[string][]string{}
	for _, x := range v.l.Metrics {
		m, ms := v.shownMeasure(x)
		if ms == nil || x.Rows != "" || m.Role != "fact" || ms.Agg != semlayer.AggSum || !ms.Money || ms.NonAdditive != nil {
			continue
		}
		ws := strings.Split(snakeWords(ms.Name), " ")
		if len(ws) == 2 && slices.Contains(participles, ws[1]) && !qualifierWords[ws[0]] && ws[0] != "amount" && ws[0] != "total" {
			found[ws[0]] = append(found[ws[0]], x.Name)
		}
	}
	v.addOnlyOnes(found, 1, " income")
}

// shownMeasure is the model and measure a metric reads when it is a
// simple metric over all its model's rows that is shown (not hidden, no
// filter); nil, nil otherwise.
func (v *vocab) shownMeasure(x *semlayer.Metric) (*semlayer.Model, *semlayer.Measure) {
	if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" {
		return nil, nil
	}
	m := v.l.Model(x.Model)
	if m == nil {
		return nil, nil
	}
	if ms := m.Measure(x.Measure); ms != nil {
		return m, ms
	}
	return nil, nil
}

// addOnlyOnes names by each word the one metric found for it (word →
// metrics), where nothing else is called so; and by the word with each
// suffix ("interest income"), where that is free too.
func (v *vocab) addOnlyOnes(found map[string][]string, prio int, suffixes ...string) {
	for w, names := range found {
		if len(names) != 1 || len(v.phrases[canonPhrase(w)]) > 0 {
			continue
		}
		v.add(w, target{kind: kMetric, name: names[0], prio: prio})
		for _, suf := range suffixes {
			if len(v.phrases[canonPhrase(w+suf)]) == 0 {
				v.add(w+suf, target{kind: kMetric, name: names[0], prio: prio})
			}
		}
	}
}

// piecesCounted: "how many tickets" ("number of tickets") where tickets
// is a summed quantity of one plural word, not a count of rows.
func (v *vocab) piecesCounted() {
	for _, x := range v.l.Metrics {
		_, ms := v.shownMeasure(x)
		if ms == nil || x.Format == "money" || x.Format == "count" || ms.Agg != semlayer.AggSum || ms.Money || strings.Contains(x.Name, "_") || !strings.HasSuffix(x.Name, "s") {
			continue
		}
		if w := "number of " + x.Name; len(v.phrases[canonPhrase(w)]) == 0 {
			v.add(w, target{kind: kMetric, name: x.Name, prio: 2})
		}
	}
}

// scoreTails names the one rating (score, grade) of a fact by its last
// word: "rating" for rider_rating, "score" for csat_score, where nothing
// else is called so.
func (v *vocab) scoreTails() {
	found := map[string][]string{}
	for _, x := range v.l.Metrics {
		m, ms := v.shownMeasure(x)
		ws := strings.Fields(snakeWords(x.Name))
		if ms == nil || m.Role != "fact" || ms.Agg != semlayer.AggAverage || len(ws) < 2 {
			continue
		}
		if last := ws[len(ws)-1]; last == "rating" || last == "score" || last == "grade" {
			found[last] = append(found[last], x.Name)
		}
	}
	v.addOnlyOnes(found, 2)
}

// netOfList: where a fact has a list amount and a net one (list_cost
// and net_cost), the bare word is the net one — what is paid after
// discounts ("cost by service", "spend by team"). (Gross and net pay
// are not: what was withheld is no discount.)
func (v *vocab) netOfList() {
	for _, x := range v.l.Metrics {
		if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || x.Format != "money" {
			continue
		}
		ws := strings.Fields(snakeWords(x.Name))
		if len(ws) != 2 || ws[0] != "net" {
			continue
		}
		other := false
		for _, y := range v.l.Metrics {
			if yw := strings.Fields(snakeWords(y.Name)); len(yw) == 2 && yw[0] == "list" && yw[1] == ws[1] && strings.EqualFold(y.Model, x.Model) {
				other = true
			}
		}
		if !other {
			continue
		}
		cw := canonPhrase(ws[1])
		v.phrases[cw] = slices.DeleteFunc(v.phrases[cw], func(t target) bool { return t.kind == kMetric })
		v.add(ws[1], target{kind: kMetric, name: x.Name, prio: 3})
		if ws[1] == "cost" && len(v.phrases["spend"]) == 0 {
			v.add("spend", target{kind: kMetric, name: x.Name, prio: 2})
		}
	}
}

// durationTimes names a duration by its time: handle_seconds is the
// "handle time", wait_minutes the "wait time", call_duration the "call
// time", where nothing else is called so.
func (v *vocab) durationTimes() {
	for _, x := range v.l.Metrics {
		if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || x.Format == "money" {
			continue
		}
		ws := strings.Fields(snakeWords(x.Name))
		if len(ws) < 2 {
			continue
		}
		switch ws[len(ws)-1] {
		case "seconds", "secs", "sec", "minutes", "mins", "min", "hours", "hrs", "duration", "quantity", "qty":
			// (and usage_quantity the "usage")
		default:
			continue
		}
		head := strings.Join(ws[:len(ws)-1], " ")
		names := []string{head + " time", head + " duration"}
		if last := ws[len(ws)-1]; last == "quantity" || last == "qty" {
			names = []string{head}
		}
		for _, w := range names {
			if len(v.phrases[canonPhrase(w)]) == 0 {
				v.add(w, target{kind: kMetric, name: x.Name, prio: 2})
			}
		}
	}
}

// onHand names the one quantity on hand (quantity_on_hand, qty_on_hand)
// by what people say: "on hand", "stock on hand", "units on hand".
func (v *vocab) onHand() {
	var found []string
	for _, x := range v.l.Metrics {
		if !x.Hidden && x.Type == semlayer.MetricSimple && x.Filter == "" && x.Format != "money" && strings.Contains(strings.ToLower(x.Name), "on_hand") {
			found = append(found, x.Name)
		}
	}
	if len(found) != 1 {
		return
	}
	for _, w := range []string{"on hand", "stock on hand", "units on hand", "inventory on hand", "quantity in stock", "units in stock"} {
		if len(v.phrases[canonPhrase(w)]) == 0 {
			v.add(w, target{kind: kMetric, name: found[0], prio: 2})
		}
	}
}

// snakeWords is a snake name's words, lower case.
func snakeWords(name string) string { return strings.ToLower(strings.ReplaceAll(name, "_", " ")) }

// operatingExpenses: where no line of a P&L is called opex, a fact of
// expenses (dept_expenses, operating_expenses, opex) with one summed
// amount is what "opex" and "operating expenses" ask for.
func (v *vocab) operatingExpenses() {
	if len(v.phrases["opex"]) > 0 || len(v.phrases[canonPhrase("operating expenses")]) > 0 {
		return
	}
	var found []string
	for _, m := range v.l.Models {
		ws := strings.Fields(canonPhrase(spaced(m.Name)))
		if m.Role != "fact" || len(ws) == 0 || !slices.Contains([]string{"expense", "expenses", "opex"}, ws[len(ws)-1]) || slices.Contains(ws, "claim") || slices.Contains(ws, "claims") {
			continue
		}
		for _, x := range v.l.Metrics {
			if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || x.Rows != "" || !strings.EqualFold(x.Model, m.Name) {
				continue
			}
			if ms := m.Measure(x.Measure); ms != nil && ms.Agg == semlayer.AggSum && ms.Money && ms.NonAdditive == nil {
				found = append(found, x.Name)
			}
		}
	}
	if len(found) != 1 {
		return
	}
	for _, w := range []string{"opex", "operating expenses", "operating expense", "operating costs"} {
		v.add(w, target{kind: kMetric, name: found[0], prio: 2})
	}
}

// moneyFacts names a fact by its other names (factWords), and where its
// rows are sums of money (moneyNouns) and it has one summed money
// number, names that number by the rows ("donations by campaign", "total
// gifts", "average gift"): a count is asked with "number of" or "how
// many".
func (v *vocab) moneyFacts() {
	for _, m := range v.l.Models {
		if m.Role != "fact" {
			continue
		}
		noun, head := "", ""
		switch ws := strings.Fields(canonPhrase(spaced(m.Name))); {
		case len(ws) == 1:
			noun = ws[0]
		case len(ws) == 2 && moneyNouns[ws[1]]:
			// "rent payments", "tax payments": the payments, and what
			// they pay ("rent collected", "rent by building").
			noun, head = ws[1], ws[0]
		}
		if noun == "" {
			continue
		}
		names := []string{noun}
		for _, g := range factWords {
			if slices.Contains(g, noun) {
				for _, w := range g {
					if w != noun && len(v.phrases[w]) == 0 {
						names = append(names, w)
					}
				}
			}
		}
		own := v.phrases[noun]
		if head != "" {
			names = []string{head + " " + noun}
			own = v.phrases[head+" "+noun]
		}
		if len(names) > 1 {
			for _, w := range names[1:] {
				for _, t := range own {
					v.add(w, t)
				}
				for _, t := range v.phrases["number of "+noun] {
					v.add("number of "+w, t)
				}
			}
		}
		if !moneyNouns[noun] && !slices.ContainsFunc(names, func(w string) bool { return moneyNouns[w] }) {
			continue
		}
		var money []string
		for _, x := range v.l.Metrics {
			if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || x.Rows != "" || !strings.EqualFold(x.Model, m.Name) {
				continue
			}
			if ms := m.Measure(x.Measure); ms != nil && ms.Agg == semlayer.AggSum && ms.Money && ms.NonAdditive == nil {
				money = append(money, x.Name)
			}
		}
		if len(money) != 1 {
			continue
		}
		if slices.ContainsFunc(names, func(w string) bool { return slices.Contains(factWords[0], w) || w == "pledge" }) {
			// What was given: "raised", "donated", "gave".
			v.concepts["donations"] = money[0]
			for _, w := range []string{"amount raised", "funds raised", "money raised", "amount donated", "fundraising"} {
				if len(v.phrases[canonPhrase(w)]) == 0 {
					v.add(w, target{kind: kMetric, name: money[0], prio: 2})
				}
			}
		}
		for _, w := range names {
			v.add(w, target{kind: kMetric, name: money[0], prio: 2})
		}
		if head != "" && !slices.ContainsFunc(v.phrases[noun], func(t target) bool {
			x := v.l.Metric(t.name)
			return t.kind != kMetric || x == nil || !strings.EqualFold(x.Model, m.Name)
		}) {
			// "costs by client" of project_costs: the noun alone is the
			// rows' amount too, where it names nothing else.
			v.add(noun, target{kind: kMetric, name: money[0], prio: 2})
		}
		if head != "" && !slices.ContainsFunc(v.phrases[head], func(t target) bool { return t.kind == kMetric || t.kind == kEntity || t.kind == kDim }) {
			// Over a numeric attribute so called (a lease's monthly
			// rent): what was paid is the fact's.
			v.add(head, target{kind: kMetric, name: money[0], prio: 3})
		}
	}
}

// linesOfConcepts finds, for the revenue and the spend of a fact of
// documents (checks, orders), the amount of the lines that reference
// it: a measure of quantity × unit price (lineAmounts). (Where no fact
// carries revenue, conceptMetric reads the one selling line amount.)
func (v *vocab) linesOfConcepts() {
	for _, concept := range []string{"revenue", "spend"} {
		lines := v.lineAmountMetrics(concept == "spend")
		c := v.l.Metric(v.concepts[concept])
		if c == nil {
			continue
		}
		for _, name := range lines {
			lm := v.l.Model(v.l.Metric(name).Model)
			for _, e := range lm.Entities {
				if r := v.l.RefModel(e); e.Type == "foreign" && r != nil && strings.EqualFold(r.Name, c.Model) {
					v.lineAmounts[c.Name] = append(v.lineAmounts[c.Name], name)
					break
				}
			}
		}
	}
}

// eventRows is the count of the rows of the layer's one fact of events:
// a fact with its own date that is not a snapshot nor the lines of
// documents, or "".
func (v *vocab) eventRows() string {
	var found []string
	for _, m := range v.l.Models {
		if m.Role != "fact" || m.TimeColumn == "" || m.TimeVia != "" || m.Scenario != "" || lineLevel(canonPhrase(spaced(m.Name))) || strings.Contains(strings.ToLower(m.Name), "return") ||
			strings.Contains(m.Description, "snapshot") && !strings.Contains(m.Description, "accumulating") {
			continue
		}
		if name := rowCountOf(v.l, m); name != "" {
			found = append(found, name)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// timeHeads are heads of a _year column that name the calendar, not a
// year each member has (fiscal_year).
var timeHeads = map[string]bool{"fiscal": true, "calendar": true, "financial": true, "tax": true, "period": true, "reporting": true}

// paidByWhom names a money number of what someone paid by its payer:
// "patient payments" for patient_paid, "insurance payments" for
// insurance_paid, where nothing else is called so.
func (v *vocab) paidByWhom() {
	for _, x := range v.l.Metrics {
		m := v.l.Model(x.Model)
		if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || m == nil || m.Role != "fact" {
			continue
		}
		ms := m.Measure(x.Measure)
		if ms == nil || !ms.Money || ms.Agg != semlayer.AggSum {
			continue
		}
		ws := strings.Split(strings.ToLower(ms.Name), "_")
		i := slices.Index(ws, "paid")
		if i < 0 || len(ws) != 2 {
			continue
		}
		payer := ws[1-i]
		if payer == "amount" || payer == "total" {
			continue
		}
		for _, w := range []string{payer + " payments", payer + " payment", "payments from " + payer, "payments by " + payer, "paid by " + payer} {
			if len(v.phrases[canonPhrase(w)]) == 0 {
				v.add(w, target{kind: kMetric, name: x.Name, prio: 3})
			}
		}
	}
}

// headNouns name a model whose name has several words by its last one,
// when that word is a plural no other model ends with and nothing else
// is called so: "claims" for expense claims (their count), "assets" for
// fixed assets.
func (v *vocab) headNouns() {
	ends := map[string][]*semlayer.Model{}
	for _, m := range v.l.Models {
		ws := strings.Fields(spaced(m.Name))
		if len(ws) < 2 {
			continue
		}
		last := ws[len(ws)-1]
		if canonWord(last) == last || genericHeads[canonWord(last)] {
			continue // not a plural ("monthly usage"), or a word of many things ("journal lines")
		}
		ends[canonWord(last)] = append(ends[canonWord(last)], m)
	}
	for w, ms := range ends {
		if len(ms) != 1 {
			continue
		}
		m := ms[0]
		if slices.ContainsFunc(v.phrases[w], func(t target) bool {
			// (the model's own name column, asset_name for "asset", is
			// the model itself)
			return t.kind != kDim || v.dims[t.name].Model != m.Name
		}) {
			continue
		}
		if m.Role == "dimension" && v.display[m.Name] != "" {
			v.add(w, target{kind: kEntity, name: m.Name, prio: 2})
			if name := rowCountOf(v.l, m); name != "" {
				v.add(w, target{kind: kMetric, name: name, prio: 1})
			}
			continue
		}
		if m.Role == "fact" {
			if name := rowCountOf(v.l, m); name != "" {
				v.add(w, target{kind: kMetric, name: name, prio: 1})
				v.add("number of "+w, target{kind: kMetric, name: name, prio: 2})
			}
		}
	}
	for _, m := range v.l.Models {
		// The dimension's count by the word too ("number of assets").
		if ws := strings.Fields(spaced(m.Name)); m.Role == "dimension" && len(ws) > 1 && len(ends[canonWord(ws[len(ws)-1])]) == 1 {
			if name := rowCountOf(v.l, m); name != "" && len(v.phrases["number of "+canonWord(ws[len(ws)-1])]) == 0 {
				v.add("number of "+ws[len(ws)-1], target{kind: kMetric, name: name, prio: 2})
			}
		}
	}
}

// genericHeads are last words of many models' names that name none of
// them alone.
var genericHeads = set(`line item detail entry rate balance event record transaction run log center centre code type period date account value amount movement snapshot history level stat metric fact dimension dim`)

// rowCountOf is the metric counting a model's rows, or "".
func rowCountOf(l *semlayer.Layer, m *semlayer.Model) string {
	for _, x := range l.Metrics {
		if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || !strings.EqualFold(x.Model, m.Name) {
			continue
		}
		if ms := m.Measure(x.Measure); ms != nil && ms.Agg == semlayer.AggCount {
			return x.Name
		}
	}
	return ""
}

// lineAmountMetrics are the metrics of the line amounts (quantity × unit
// price) of the facts that buy (purchase) or sell (!purchase).
func (v *vocab) lineAmountMetrics(purchase bool) []string {
	var lines []string
	for _, x := range v.l.Metrics {
		m := v.l.Model(x.Model)
		if x.Hidden || x.Type != semlayer.MetricSimple || x.Filter != "" || m == nil || m.Role != "fact" || purchaseSide(m) != purchase {
			continue
		}
		if ms := m.Measure(x.Measure); ms != nil && ms.Times != "" && ms.Money {
			lines = append(lines, x.Name)
		}
	}
	return lines
}
