package nlq

import (
	"strings"

	"github.com/databridge/databridge/pkg/query"
)

// unpaidPhrases name what is still owed on the documents that carry
// revenue: "unpaid" alone ("unpaid invoices": how many, or how much?),
// or with a word of an amount ("unpaid amount", "amount outstanding").
var unpaidPhrases = map[string]string{
	"unpaid": "unpaid", "outstanding": "unpaid", "owed": "unpaid", "owing": "unpaid", "owe": "unpaid", "owes": "unpaid", "still owed": "unpaid", "still owe": "unpaid", "not yet paid": "unpaid", "still unpaid": "unpaid",
	"still outstanding": "unpaid", "not paid": "unpaid", "unsettled": "unpaid",
	"unpaid amount": "unpaidamt", "amount unpaid": "unpaidamt", "unpaid balance": "unpaidamt", "outstanding balance": "unpaidamt",
	"outstanding amount": "unpaidamt", "amount outstanding": "unpaidamt", "amount owed": "unpaidamt", "amount due": "unpaidamt", "balance due": "unpaidamt",
	"unpaid value": "unpaidamt", "outstanding value": "unpaidamt", "unpaid invoice amount": "unpaidamt", "outstanding invoice amount": "unpaidamt",
	"value of unpaid invoice": "unpaidamt", "value of outstanding invoice": "unpaidamt", "amount of unpaid invoice": "unpaidamt",
	"amount of outstanding invoice": "unpaidamt", "total unpaid": "unpaidamt", "total outstanding": "unpaidamt", "total owed": "unpaidamt",
	// A receivable is what customers owe; an open invoice one not yet
	// paid in full.
	"receivable": "unpaidamt", "receivables": "unpaidamt", "total receivable": "unpaidamt", "total receivables": "unpaidamt",
	"open invoice": "unpaid", "open balance": "unpaidamt", "open amount": "unpaidamt",
	// What is still to be collected is what is owed, not what was.
	"need to collect": "unpaid", "left to collect": "unpaid", "yet to collect": "unpaid", "still to collect": "unpaid",
	"to be collected": "unpaid", "not yet collected": "unpaid", "uncollected": "unpaid", "still to be collected": "unpaid",
	// What the business owes its vendors, where the documents are theirs.
	"payable": "unpaidamt", "payables": "unpaidamt", "total payable": "unpaidamt", "total payables": "unpaidamt",
	"payable balance": "unpaidamt", "payables balance": "unpaidamt", "receivable balance": "unpaidamt", "receivables balance": "unpaidamt",
	"still to pay": "unpaid", "left to pay": "unpaid", "yet to pay": "unpaid", "to be paid": "unpaid",
}

// purchaseDocs says the documents whose unpaid amount is asked are the
// vendors' (bills, purchase orders): the warehouse records what the
// business buys and not what it sells.
func (p *parser) purchaseDocs() bool {
	return p.v.concepts["revenue"] == "" && p.v.concepts["spend"] != ""
}

const weOweReason = "what we owe (payables to suppliers) is not in the warehouse: it holds what customers owe (\"unpaid\", \"outstanding\")"

// weOwe says the question asks what the business owes ("money we owe",
// "what do we still owe", "owed by us"): its payables, not what its
// customers owe it.
func (p *parser) weOwe() bool {
	for i, t := range p.toks {
		if t.raw != "owe" && t.raw != "owes" && t.raw != "owed" && t.raw != "owing" {
			continue
		}
		j := i - 1
		for j >= 0 && (p.toks[j].raw == "still" || p.toks[j].raw == "currently" || p.toks[j].raw == "do" || p.toks[j].raw == "are") {
			j--
		}
		if j >= 0 && (p.toks[j].raw == "we" || p.toks[j].raw == "i") {
			return true
		}
		if i+2 < len(p.toks) && p.toks[i+1].raw == "by" && (p.toks[i+2].raw == "us" || p.toks[i+2].raw == "we" || p.toks[i+2].raw == "me") {
			return true
		}
	}
	return false
}

func init() {
	for k, v := range unpaidPhrases {
		keywordPhrases[k] = v
	}
}

// unpaid answers what is still owed — the amount of the documents that
// carry revenue less the payments made against them — where a payments
// fact references those documents, over all time only (the invoices of
// a period and the payments of another do not make what is owed on
// them), and as an amount only (how many invoices are unpaid is not
// computed). It returns why not.
func (p *parser) unpaid(spec *query.Spec, amount bool) string {
	rev, pay := p.v.concepts["revenue"], p.v.concepts["payments"]
	purchase := p.purchaseDocs()
	if purchase {
		rev = p.v.concepts["spend"]
	}
	switch {
	case purchase && p.hasWord("receivable", "receivables"):
		return "what customers owe (receivables) is not in the warehouse: it holds what is owed to vendors (\"unpaid\", \"payables\")"
	case !purchase && p.hasWord("payable", "payables"):
		return weOweReason
	}
	if rev == "" || pay == "" {
		return "unpaid or outstanding: the warehouse has no payments made against its invoices"
	}
	rm, pm := p.in.Layer.Metric(rev), p.in.Layer.Metric(pay)
	if rm == nil || pm == nil {
		return "unpaid or outstanding: the warehouse has no payments made against its invoices"
	}
	linked := false
	if md := p.in.Layer.Model(pm.Model); md != nil {
		for _, e := range md.Entities {
			if e.Type == "foreign" && strings.EqualFold(e.Ref, rm.Model) {
				linked = true
			}
		}
	}
	if !linked {
		return "unpaid or outstanding: the payments do not say which invoice they pay"
	}
	if spec.Time != nil || spec.Compare != "" {
		return "unpaid at the end of a period is not computed (the invoices of the period less the payments made against them at its end): ask for what is unpaid now, without a period"
	}
	for _, name := range spec.Metrics {
		if name == rev {
			continue
		}
		m := p.in.Layer.Metric(name)
		if r, ok := p.restricted[name]; ok {
			m = p.in.Layer.Metric(r.Metric)
		}
		if m != nil && m.Format == "count" && !amount && !p.hasWord("much", "amount", "value", "total", "sum") {
			return "how many invoices are unpaid is not computed (an invoice may be paid in part): ask for the unpaid amount"
		}
		if m == nil || m.Format == "count" && !amount || m.Format != "count" {
			return "unpaid " + p.label(name) + ": only the unpaid amount of the invoices is known"
		}
	}
	if len(spec.Ratios)+len(spec.Derived) > 0 {
		return "unpaid with another calculation: ask for the unpaid amount alone"
	}
	x, reason := p.difference(rev, pay)
	if reason != "" {
		return reason
	}
	x.Name, x.Label = "unpaid", "unpaid amount ("+p.label(rev)+" less "+strings.ToLower(p.label(pay))+")"
	spec.Derived = []query.Derived{x}
	spec.Metrics = []string{x.Name}
	spec.Restricted = nil
	return ""
}
