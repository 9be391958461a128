package semantic

import (
	"fmt"
	"sort"
	"strings"

	"github.com/databridge/databridge/pkg/model"
)

// Entity inference: every signal adds to an entity's score, and the best
// score (capped below 1) is the confidence. Signals and their weights:
//
//	table name word (first one)         0.60   ("vendors" → vendor)
//	table name word (a later one)       0.50
//	key or name column word             +0.20  (vendor_id key, vendor_name)
//	referenced through a column word    +0.15  (gl.vendor_id → this table)
//	chart-of-accounts columns           +0.20  (account_type, normal_balance, ...)
//	key values: ISO currency codes      +0.30
//	key values: ISO country codes       +0.30
//	key values: account-code pattern    +0.10
//	role: time dimension → time         +0.30
//	role: fact → order / transaction    +0.20  (a fact holds a business event)

var clsEntityLexicon = func() []clsPhrase {
	words := map[model.Entity][]string{
		model.EntityCustomer:        {"customer", "client", "cust", "buyer", "debtor", "account_receivable"},
		model.EntityVendor:          {"vendor", "supplier", "payee", "creditor", "account_payable"},
		model.EntityEmployee:        {"employee", "staff", "worker", "emp", "personnel", "person", "associate"},
		model.EntityCostCenter:      {"cost_center", "cost_centre", "costcenter", "costcentre", "cc", "profit_center", "profit_centre"},
		model.EntityDepartment:      {"department", "dept", "division", "team"},
		model.EntityLegalEntity:     {"legal_entity", "company", "entity", "subsidiary", "business_unit", "bu", "org", "organization", "organisation"},
		model.EntityProduct:         {"product", "item", "sku", "material", "part", "article", "good"},
		model.EntityGeography:       {"country", "region", "nation", "city", "state", "location", "address", "geography", "geo", "territory", "postcode", "province"},
		model.EntityTime:            {"date", "calendar", "period", "fiscal", "time", "day", "month", "fiscal_period", "fiscal_year"},
		model.EntityChartOfAccounts: {"account", "gl_account", "coa", "ledger_account", "chart_of_account", "chart_of_accounts", "nominal", "nominal_account"},
		model.EntityCurrency:        {"currency", "fx", "ccy", "exchange_rate", "fx_rate", "currency_rate"},
		model.EntityProject:         {"project", "wbs", "job"},
		model.EntityOrder:           {"order", "purchase_order", "sales_order", "po", "so"},
		model.EntityTransaction:     {"journal", "gl", "ledger", "transaction", "txn", "posting", "entry", "journal_entry", "journal_line", "gl_line", "ledger_line", "voucher", "balance", "trial_balance", "sale", "invoice", "payment", "movement"},
	}
	var lex []clsPhrase
	for e, ws := range words {
		for _, w := range ws {
			lex = append(lex, clsPhrase{toks: clsTokens(w), entity: string(e), text: w})
		}
	}
	// Deterministic order (longest match wins; ties by text).
	sort.Slice(lex, func(i, j int) bool { return lex[i].text < lex[j].text })
	return lex
}()

var (
	clsCOAColumns = clsSet("account_type", "account_category", "account_class", "account_group", "normal_balance",
		"balance_type", "debit_credit", "dr_cr", "account_subtype", "financial_statement", "statement_type", "pl_bs", "bs_pl")
	clsIdentWords = clsSet("id", "key", "code", "no", "nbr", "number", "num", "name", "description", "desc", "title", "sk")
	clsProcess    = map[model.Entity]bool{model.EntityOrder: true, model.EntityTransaction: true}
	// ISO 4217 codes in common use.
	clsCurrencies = clsSet("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
		"HUF", "CNY", "HKD", "SGD", "INR", "KRW", "TWD", "THB", "MYR", "IDR", "PHP", "BRL", "MXN", "ARS", "CLP",
		"COP", "PEN", "ZAR", "TRY", "RUB", "ILS", "AED", "SAR", "QAR", "KWD", "EGP", "NGN", "KES", "MAD", "RON",
		"BGN", "ISK", "UAH", "VND", "PKR", "BDT", "LKR")
	// ISO 3166 alpha-2 codes in common use.
	clsCountries = clsSet("US", "GB", "UK", "DE", "FR", "NL", "BE", "LU", "IT", "ES", "PT", "IE", "AT", "CH", "SE",
		"NO", "DK", "FI", "IS", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "TR", "RU", "UA", "CA", "MX", "BR", "AR",
		"CL", "CO", "PE", "CN", "JP", "KR", "TW", "HK", "SG", "MY", "TH", "ID", "PH", "VN", "IN", "PK", "AU", "NZ",
		"ZA", "EG", "NG", "KE", "MA", "AE", "SA", "IL", "QA", "EE", "LV", "LT", "SI", "HR", "RS")
)

type clsScore struct {
	score float64
	ev    []model.Evidence
}

func clsEntity(f *clsFacts, role model.Role) (model.Entity, model.Inference) {
	scores := map[model.Entity]*clsScore{}
	add := func(e model.Entity, w float64, rule, format string, args ...any) {
		s := scores[e]
		if s == nil {
			s = &clsScore{}
			scores[e] = s
		}
		s.score += w
		s.ev = append(s.ev, clsEv(rule, format+fmt.Sprintf(" (+%.2f)", w), args...))
	}

	// Table name.
	seenName := map[model.Entity]bool{}
	for i, p := range clsMatchPhrases(clsTokens(f.tp.Name), clsEntityLexicon) {
		e := model.Entity(p.entity)
		if seenName[e] {
			continue
		}
		seenName[e] = true
		w := 0.6
		if i > 0 {
			w = 0.5
		}
		add(e, w, "entity.table_name", "name %q matches %s word %q", f.tp.Name, e, p.text)
	}

	// Key and naming columns (not foreign keys: those name other tables).
	seenCol := map[model.Entity]bool{}
	for _, c := range f.tp.Columns {
		lc := strings.ToLower(c.Name)
		if f.fkCols[lc] {
			continue
		}
		toks := clsTokens(c.Name)
		if !f.pkSet[lc] && !clsHasAny(toks, clsSet("name", "description", "desc", "title")) {
			continue
		}
		if !clsHasAny(toks, clsIdentWords) && !f.pkSet[lc] {
			continue
		}
		for _, p := range clsMatchPhrases(toks, clsEntityLexicon) {
			e := model.Entity(p.entity)
			if seenCol[e] {
				continue
			}
			seenCol[e] = true
			what := "column"
			if f.pkSet[lc] {
				what = "key column"
			}
			add(e, 0.2, "entity.column_name", "%s %s present, word %q", what, c.Name, p.text)
		}
	}

	// Referenced through columns named for an entity.
	seenRef := map[model.Entity]bool{}
	for _, r := range f.in {
		for _, c := range r.FromColumns {
			for _, p := range clsMatchPhrases(clsTokens(c), clsEntityLexicon) {
				e := model.Entity(p.entity)
				if seenRef[e] {
					continue
				}
				seenRef[e] = true
				add(e, 0.15, "entity.referenced_as", "referenced as %s.%s", r.FromTable, c)
			}
		}
	}

	// Chart-of-accounts columns.
	var coa []string
	for _, c := range f.tp.Columns {
		if clsCOAColumns[strings.ToLower(c.Name)] {
			coa = append(coa, c.Name)
		}
	}
	if len(coa) > 0 {
		add(model.EntityChartOfAccounts, 0.2, "entity.account_columns", "account columns %s present", strings.Join(coa, ", "))
	}

	// Key values.
	if len(f.pk) == 1 {
		if c := f.tp.Column(f.pk[0]); c != nil && len(c.Top) > 0 {
			if n, share := clsValueShare(c, 3, clsCurrencies); share >= 0.8 {
				add(model.EntityCurrency, 0.3, "entity.values.currency", "%d of %d top %s values are ISO 4217 currency codes", n, len(c.Top), c.Name)
			}
			if n, share := clsValueShare(c, 2, clsCountries); share >= 0.8 {
				add(model.EntityGeography, 0.3, "entity.values.country", "%d of %d top %s values are ISO 3166 country codes", n, len(c.Top), c.Name)
			}
			if n := clsAccountCodes(c); n > 0 && (clsHasAny(clsTokens(c.Name), clsSet("account", "acct", "gl", "code", "nominal")) || len(coa) > 0) {
				add(model.EntityChartOfAccounts, 0.1, "entity.values.account_code", "%d of %d top %s values look like account codes (4-10 digits, optional separators)", n, len(c.Top), c.Name)
			}
		}
	}

	// The role.
	if role == model.RoleTimeDimension {
		add(model.EntityTime, 0.3, "entity.role", "a time dimension")
	}
	if role.IsFact() {
		for e := range clsProcess {
			if scores[e] != nil {
				add(e, 0.2, "entity.role", "a %s holds business events", role)
			}
		}
	}

	best := model.EntityOther
	var bestScore *clsScore
	ents := make([]model.Entity, 0, len(scores))
	for e := range scores {
		ents = append(ents, e)
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i] < ents[j] })
	for _, e := range ents {
		if bestScore == nil || scores[e].score > bestScore.score+1e-9 {
			best, bestScore = e, scores[e]
		}
	}
	if bestScore == nil {
		return model.EntityOther, model.Inference{Confidence: 0.2, Evidence: []model.Evidence{
			clsEv("entity.none", "no entity word in the table or column names, no recognised key values"),
		}}
	}
	ev := bestScore.ev
	for _, e := range ents {
		if e != best && scores[e].score > 0 {
			ev = append(ev, clsEv("entity.runner_up", "%s scored %.2f", e, scores[e].score))
		}
	}
	return best, model.Inference{Confidence: clsCap(bestScore.score), Evidence: ev}
}

// clsValueShare counts top values that are upper-case codes of length n in
// the set, and their share of the top values.
func clsValueShare(c *ColumnProfile, n int, set map[string]bool) (int, float64) {
	if c.MaxLength != 0 && (c.MinLength != n || c.MaxLength != n) {
		return 0, 0
	}
	hit := 0
	for _, v := range c.Top {
		if len(v.Value) == n && set[v.Value] {
			hit++
		}
	}
	return hit, float64(hit) / float64(len(c.Top))
}

// clsAccountCodes counts top values shaped like account codes: 4 to 10
// digits, optionally in segments joined by - or . ("4000", "6100-200").
// It returns 0 unless every top value has the shape.
func clsAccountCodes(c *ColumnProfile) int {
	n := 0
	for _, v := range c.Top {
		digits, ok := 0, v.Value != ""
		for i, r := range v.Value {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case (r == '-' || r == '.') && i > 0 && i < len(v.Value)-1:
			default:
				ok = false
			}
		}
		if !ok || digits < 4 || digits > 10 {
			return 0
		}
		n++
	}
	return n
}
