package nlq

import (
	"slices"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

func TestExcluding(t *testing.T) {
	for _, c := range []struct {
		q      string
		dim    string
		values []string
	}{
		{"revenue excluding Enterprise in FY2026", "segment", []string{"Enterprise"}},
		{"sales except SMB and Public Sector by month", "segment", []string{"SMB", "Public Sector"}},
		{"revenue from customers other than Acme Industries", "customer_name", []string{"Acme Industries"}},
	} {
		it := ask(t, c.q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		// The other members of the dimension (the rows with a member).
		ok := false
		for _, f := range it.Spec.Filters {
			if f.Dimension == c.dim && !f.Not && len(f.Values) == len(testMembers[c.dim])-len(c.values) {
				ok = true
				for _, v := range c.values {
					ok = ok && !slices.Contains(f.Values, v)
				}
			}
		}
		if !ok {
			t.Errorf("%q: filters %+v, want the %s other than %v", c.q, it.Spec.Filters, c.dim, c.values)
		}
		for _, g := range it.Spec.GroupBy {
			if g.Dimension == c.dim {
				t.Errorf("%q: grouped by the excluded members' %s", c.q, c.dim)
			}
		}
	}
	// A member named after the excluded ones is included again.
	it := ask(t, "revenue excluding SMB for Hardware")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	for _, f := range it.Spec.Filters {
		if f.Dimension == "category" && (len(f.Values) != 1 || f.Values[0] != "Hardware") || f.Dimension == "segment" && slices.Contains(f.Values, "SMB") {
			t.Errorf("filters %+v: want segment other than SMB, category Hardware", it.Spec.Filters)
		}
	}
	if it := ask(t, "revenue excluding"); it.Answerable {
		t.Errorf("revenue excluding: answered %+v", it.Spec)
	}
}

// Verbs and possessives.
func TestVerbsAndPossessives(t *testing.T) {
	it := ask(t, "last year's revenue by segment")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	wantRange(t, it.Spec, day(2025, 7, 1), day(2026, 7, 1))
	if len(it.Spec.GroupBy) != 1 {
		t.Errorf("group by %+v, want segment only", it.Spec.GroupBy)
	}
	// What customers spend is revenue; what else spends is not.
	if it := ask(t, "how much did Acme spend in FY2026"); !it.Answerable || it.Spec.Metrics[0] != "net_amount" {
		t.Errorf("Acme spend: %+v %s", it.Spec, it.Reason)
	}
	if it := ask(t, "which product category spent the most in FY2026"); it.Answerable {
		t.Errorf("a category's spend: answered %+v", it.Spec)
	}
	if it := ask(t, "how much did Enterprise customers spend in FY2026"); !it.Answerable || it.Spec.Metrics[0] != "net_amount" {
		t.Errorf("Enterprise customers spend: %+v %s", it.Spec, it.Reason)
	}
	// The object of a verb is not a grouping.
	if it := ask(t, "how many customers bought products in FY2025"); !it.Answerable || len(it.Spec.GroupBy) != 0 || it.Spec.Metrics[0] != "customer_count" {
		t.Errorf("customers who bought products: %+v %s", it.Spec, it.Reason)
	}
}

// Members counted by the day they ended: not the period's reading.
func TestEndedMembers(t *testing.T) {
	l := testLayer()
	pr := l.Model("products")
	pr.TimeColumn = "launch_date"
	pr.Dimensions = append(pr.Dimensions, &semlayer.Dimension{Name: "launch_date", Column: "launch_date", Type: "time"})
	if it := Parse(Input{Layer: l, Members: testMembers, Question: "how many products were cancelled in FY2025", AsOf: asOf}); it.Answerable {
		t.Errorf("cancelled in FY2025: answered %+v", it.Spec)
	}
	if it := Parse(Input{Layer: l, Members: testMembers, Question: "number of new products in FY2025", AsOf: asOf}); !it.Answerable {
		t.Errorf("new products in FY2025: %s", it.Reason)
	}
}

// Without exchange rates, a total across currencies is not answered.
func TestAcrossCurrencies(t *testing.T) {
	l := testLayer()
	l.Currency = &semlayer.Currency{Reporting: "USD"}
	sales := l.Model("sales_lines")
	sales.CurrencyColumn = "currency_code"
	sales.Dimensions = append(sales.Dimensions, &semlayer.Dimension{Name: "currency_code", Column: "currency_code", Type: "categorical", Members: true})
	members := map[string][]string{"currency_code": {"EUR", "USD"}}
	for k, v := range testMembers {
		members[k] = v
	}
	// "Total revenue in USD": every currency's amounts in USD, not the
	// USD amounts alone (it gave those).
	for _, q := range []string{"total revenue across all currencies", "revenue with all currencies combined in FY2025", "total revenue in USD", "overall revenue in EUR in FY2025", "sum of EUR and USD revenue"} {
		if it := Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf}); it.Answerable {
			t.Errorf("%q: answered %+v", q, it.Spec)
		}
	}
	for _, q := range []string{"revenue by currency in FY2025", "revenue in USD", "EUR revenue in FY2025", "total sold in EUR in FY2025"} {
		if it := Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf}); !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
		}
	}
}

// Two members side by side before their model's word are one name.
func TestTwoMembersOneName(t *testing.T) {
	if it := ask(t, "revenue of the Widget Voltix Wireless Earbuds product"); it.Answerable {
		t.Errorf("answered %+v", it.Spec)
	}
	if it := ask(t, "revenue of the Hardware category for Acme Industries"); !it.Answerable {
		t.Errorf("members of two models: %s", it.Reason)
	}
}

func TestRankingExcluding(t *testing.T) {
	it := ask(t, "top 2 customers excluding Acme Industries by revenue in FY2025")
	if !it.Answerable || it.Spec.Limit != 2 || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "customer_name" {
		t.Fatalf("%+v %s", it.Spec, it.Reason)
	}
	if !strings.Contains(it.Text, "other than Acme Industries") {
		t.Errorf("interpretation %q does not say what is left out", it.Text)
	}
}

// "SMB revenue minus Public Sector revenue", "… as a percentage of …":
// one number from (or over) itself, meant for two members; it gave 0
// (100%) for each member.
func TestSelfArithmeticRefused(t *testing.T) {
	for _, q := range []string{"SMB revenue minus Enterprise revenue", "SMB revenue as a percentage of Enterprise revenue in FY2025"} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q: answered %s %+v", q, it.Text, it.Spec)
		}
	}
	if it := ask(t, "SMB vs Enterprise revenue"); !it.Answerable {
		t.Errorf("side by side: %s", it.Reason)
	}
}
