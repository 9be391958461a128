package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// Words that qualify a noun are not read as the grain or grouping they
// are spelt like, and a period that has not begun is not answered.
func TestQualifiersAndFuture(t *testing.T) {
	for _, c := range []struct{ q, reason string }{
		{"annual customers revenue", "as a kind of customers"},
		{"monthly products sales in FY2025", "as a kind of products"},
		{"revenue by sales Enterprise", "group by what?"},
		{"revenue next year", "has not begun"},
		{"revenue in FY2030 by segment", "has not begun"},
		{"revenue of Germany products in FY2025", "is a country code of customers, and products have none"},
		{"Enterprise category revenue", "no category is called"},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := ask(t, c.q)
			if it.Answerable {
				t.Fatalf("answered: %s", it.Text)
			}
			if !strings.Contains(it.Reason, c.reason) {
				t.Errorf("reason %q, want it to say %q", it.Reason, c.reason)
			}
		})
	}
	// Before a number a grain adjective is the grain; a period under way
	// is answered up to its end.
	it := ask(t, "monthly revenue by segment in FY2025")
	if !it.Answerable {
		t.Fatalf("monthly revenue: %s", it.Reason)
	}
	wantGroup(t, it.Spec, "segment")
	if len(it.Spec.GroupBy) < 2 || it.Spec.GroupBy[0].Grain != semlayer.GrainMonth && it.Spec.GroupBy[1].Grain != semlayer.GrainMonth {
		t.Errorf("group by %+v, want a month grain", it.Spec.GroupBy)
	}
	if it := ask(t, "revenue of Germany customers in FY2025"); !it.Answerable {
		t.Errorf("Germany customers: %s", it.Reason)
	} else {
		wantFilter(t, it.Spec, "country_code", "DE")
	}
	// The plural groups: the categories of the Enterprise customers.
	if it := ask(t, "Enterprise categories revenue in FY2025"); !it.Answerable {
		t.Errorf("Enterprise categories: %s", it.Reason)
	} else {
		wantGroup(t, it.Spec, "category")
		wantFilter(t, it.Spec, "segment", "Enterprise")
	}
	if it := ask(t, "Enterprise segment revenue in FY2025"); !it.Answerable {
		t.Errorf("Enterprise segment: %s", it.Reason)
	}
	if it := ask(t, "revenue this year"); !it.Answerable {
		t.Errorf("this year: %s", it.Reason)
	}
}

// A statistic the builder does not compute is not answered — and its
// word is never read as a misspelt member ("median" is not "Media").
func TestUnsupportedStatistics(t *testing.T) {
	in := Input{Layer: testLayer(), Members: map[string][]string{"segment": {"Media", "SMB"}}, AsOf: asOf}
	for _, q := range []string{"median revenue by segment", "90th percentile of revenue", "standard deviation of revenue"} {
		in.Question = q
		if it := Parse(in); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		}
	}
	in.Question = "media revenue"
	if it := Parse(in); !it.Answerable {
		t.Errorf("media revenue: %s", it.Reason)
	}
}

// Without exchange rates currencies are not ranked by an amount; with
// them they are.
// inCurrencies gives the test layer's sales lines a currency column and
// no exchange rates, and returns the members with the currencies'.
func inCurrencies(l *semlayer.Layer) map[string][]string {
	l.Currency = nil
	f := l.Model("sales_lines")
	f.CurrencyColumn = "currency_code"
	f.Dimensions = append(f.Dimensions, &semlayer.Dimension{Name: "currency_code", Column: "currency_code", Type: "categorical", Members: true})
	members := map[string][]string{"currency_code": {"EUR", "USD"}}
	for k, v := range testMembers {
		members[k] = v
	}
	return members
}

func TestCurrencyRanking(t *testing.T) {
	l := testLayer()
	members := inCurrencies(l)
	ask := func(q string) *Interpretation {
		return Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
	}
	for _, q := range []string{"top currency by revenue in FY2025", "which currency had the highest revenue in FY2025", "which currency has the highest average sale", "currency with the largest average revenue per customer"} {
		if it := ask(q); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		} else if !strings.Contains(it.Reason, "exchange rates") {
			t.Errorf("%q: reason %q", q, it.Reason)
		}
	}
	if it := ask("revenue by currency code in FY2025"); !it.Answerable {
		t.Errorf("revenue by currency: %s", it.Reason)
	}
	// With rates the amounts compare (the check alone: the test layer's
	// rates table is not a real one).
	spec := ask("revenue by currency code in FY2025").Spec
	spec.Limit = 1
	l.Currency = &semlayer.Currency{Rates: &semlayer.Rates{}}
	p := &parser{in: Input{Layer: l, Members: members, AsOf: asOf}, v: newVocab(l, members, nil)}
	if why := p.currencyRanking(spec); why != "" {
		t.Errorf("with rates: %s", why)
	}
	l.Currency = nil
	if why := p.currencyRanking(spec); why == "" {
		t.Error("without rates: ranked")
	}
}

// "Total company revenue", "revenue for the whole company": the business
// itself (it grouped by customer, "company" being a customer's word);
// "revenue by company", "which company" are still the customers.
func TestCompanyIsTheBusiness(t *testing.T) {
	for _, q := range []string{"total company revenue in FY2025", "company revenue in FY2025", "revenue for the whole company", "our company's revenue"} {
		it := ask(t, q)
		if !it.Answerable || len(it.Spec.GroupBy) > 0 {
			t.Errorf("%q: %+v %s", q, it.Spec.GroupBy, it.Reason)
		}
	}
	for _, q := range []string{"revenue by company", "which company had the most revenue", "revenue per company in FY2025"} {
		it := ask(t, q)
		if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "customer_name" {
			t.Errorf("%q: %+v %s", q, it.Spec.GroupBy, it.Reason)
		}
	}
}

// "What did Acme Industries buy": the items bought, not the total spent
// (it gave the total); "what did Acme Industries spend" is the amount.
func TestWhatDidTheyBuy(t *testing.T) {
	for _, q := range []string{"what did Acme Industries buy in FY2025", "what has Acme Industries purchased"} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		}
	}
	if it := ask(t, "what did Acme Industries spend in FY2025"); !it.Answerable {
		t.Errorf("spend: %s", it.Reason)
	}
}

// "Revenue from Enterprise customers only": a last "only" says the
// filter; "customers who only bought Hardware" (each bought nothing
// else) is still not read.
func TestTrailingOnly(t *testing.T) {
	a, b := ask(t, "revenue from Enterprise customers only"), ask(t, "revenue from Enterprise customers")
	if !a.Answerable || a.Text != b.Text {
		t.Errorf("only: %q %s, want %q", a.Text, a.Reason, b.Text)
	}
	if it := ask(t, "customers who only bought Hardware"); it.Answerable {
		t.Errorf("only bought: answered %s", it.Text)
	}
}
