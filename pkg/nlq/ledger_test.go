package nlq

import (
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// accountsLedger is the ledger with a chart of accounts (type, category)
// and a rent line.
func accountsLedger() *semlayer.Layer {
	l := ledgerLayer()
	gl := l.Model("gl_journal_lines")
	gl.Entities = append(gl.Entities, &semlayer.Entity{Name: "account", Type: "foreign", Column: "ACCOUNTS_SK", Ref: "chart_of_accounts"})
	l.Models = append(l.Models, &semlayer.Model{Name: "chart_of_accounts", Table: "DIM_COA", Role: "dimension", Label: "chart of accounts",
		Entities: []*semlayer.Entity{{Name: "account", Type: "primary", Column: "ACCOUNTS_SK"}},
		Dimensions: []*semlayer.Dimension{
			{Name: "account_type", Column: "account_type", Type: "categorical", Members: true},
			{Name: "account_category", Column: "account_category", Type: "categorical", Members: true},
		}})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "rent", Type: semlayer.MetricHierarchy, Label: "Rent", Format: "money", Model: "gl_journal_lines",
		Hierarchy: "pl", Node: "RENT", Leaves: map[string]int{"RENT": 1}})
	return l
}

// "Expenses" (a word of costs) is the Expense accounts' amount when no
// line of the layer stands next to it; "rent expense" stays the rent
// line; a balance sheet's members ask for a balance, not answered.
func TestExpenseAccounts(t *testing.T) {
	members := map[string][]string{"account_type": {"Expense", "Liability", "Revenue"}, "account_category": {"Personnel", "Travel"}, "segment": {"Enterprise"}}
	parse := func(q string) *Interpretation {
		return Parse(Input{Layer: accountsLedger(), Members: members, Question: q, AsOf: asOf})
	}
	for _, q := range []string{"expenses by account category in FY2026", "expense amount by account category in FY2026"} {
		it := parse(q)
		if !it.Answerable {
			t.Fatalf("%q: %s", q, it.Reason)
		}
		want(t, it.Spec.Metrics, "amount")
		wantFilter(t, it.Spec, "account_type", "Expense")
		wantGroup(t, it.Spec, "account_category")
	}
	it := parse("rent expense in FY2026")
	if !it.Answerable || len(it.Spec.Filters) != 0 {
		t.Errorf("rent expense: %+v %s", it.Spec, it.Reason)
	}
	want(t, it.Spec.Metrics, "rent")
	if it := parse("liabilities in FY2026"); it.Answerable {
		t.Errorf("liabilities answered: %s", it.Text)
	}
}
