package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// payablesLayer: a warehouse of what the business buys — vendors'
// bills by department, and the payments made against them — with no
// sales at all (or, with sales, beside a fact of sales lines).
func payablesLayer(sales bool) *semlayer.Layer {
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb"}
	if sales {
		l = testLayer()
	}
	l.Models = append(l.Models,
		&semlayer.Model{Name: "bills", Table: "FACT_BILLS", Role: "fact", Label: "bills", TimeColumn: "bill_date",
			Entities: []*semlayer.Entity{
				{Name: "vendor", Type: "foreign", Column: "VENDORS_SK", Ref: "vendors"},
				{Name: "department", Type: "foreign", Column: "DEPARTMENTS_SK", Ref: "departments"},
			},
			Dimensions: []*semlayer.Dimension{
				{Name: "bill_id", Column: "bill_id", Type: "categorical", Hidden: true},
				{Name: "bill_date", Column: "bill_date", Type: "time"},
			},
			Measures: []*semlayer.Measure{
				{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true},
				{Name: "row_count", Column: "*", Agg: semlayer.AggCount},
			}},
		&semlayer.Model{Name: "bill_payments", Table: "FACT_BILL_PAYMENTS", Role: "fact", Label: "bill payments", TimeColumn: "paid_date",
			Entities:   []*semlayer.Entity{{Name: "bill", Type: "foreign", Column: "bill_id", Ref: "bills", RefColumn: "bill_id"}},
			Dimensions: []*semlayer.Dimension{{Name: "paid_date", Column: "paid_date", Type: "time"}},
			Measures:   []*semlayer.Measure{{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true}}},
		&semlayer.Model{Name: "vendors", Table: "DIM_VENDORS", Role: "dimension", Label: "vendors",
			Entities: []*semlayer.Entity{{Name: "vendor", Type: "primary", Column: "VENDORS_SK"}},
			Dimensions: []*semlayer.Dimension{
				{Name: "vendor_name", Column: "vendor_name", Type: "categorical", Members: true},
				{Name: "vendor_category", Column: "vendor_category", Type: "categorical", Members: true},
			}},
		&semlayer.Model{Name: "departments", Table: "DIM_DEPARTMENTS", Role: "dimension", Label: "departments",
			Entities: []*semlayer.Entity{{Name: "department", Type: "primary", Column: "DEPARTMENTS_SK"}},
			Dimensions: []*semlayer.Dimension{
				{Name: "department_name", Column: "department_name", Type: "categorical", Members: true},
				{Name: "division", Column: "division", Type: "categorical", Members: true},
			}},
	)
	l.Metrics = append(l.Metrics,
		&semlayer.Metric{Name: "bills_amount", Type: semlayer.MetricSimple, Label: "bills amount", Format: "money", Model: "bills", Measure: "amount"},
		&semlayer.Metric{Name: "bills_count", Type: semlayer.MetricSimple, Label: "number of bills", Format: "count", Model: "bills", Measure: "row_count"},
		&semlayer.Metric{Name: "bill_payments_amount", Type: semlayer.MetricSimple, Label: "bill payments amount", Format: "money", Model: "bill_payments", Measure: "amount"},
	)
	return l
}

var payablesMembers = map[string][]string{
	"vendor_name":     {"Acme Supplies", "Keystone IT"},
	"vendor_category": {"Software", "Travel"},
	"department_name": {"Engineering", "Marketing"},
	"division":        {"G&A", "R&D"},
}

// Where a fact records what the business buys (bills, purchase orders,
// expenses), "spend", "expenses", "costs", "purchases" are its amount,
// "invoices" (with no sales) its count, and what is owed is the bills
// less the payments made against them; "we paid" is those payments.
func TestSpend(t *testing.T) {
	askP := func(q string, sales bool) *Interpretation {
		members := map[string][]string{}
		for k, v := range payablesMembers {
			members[k] = v
		}
		if sales {
			for k, v := range testMembers {
				members[k] = v
			}
		}
		return Parse(Input{Layer: payablesLayer(sales), Members: members, Question: q, AsOf: asOf})
	}
	for _, c := range []struct {
		q, metric, group, filter string
	}{
		{"total spend in FY2025", "bills_amount", "", ""},
		{"how much did we spend last year", "bills_amount", "", ""},
		{"top 5 vendors by spend", "bills_amount", "vendor_name", ""},
		{"expenses by department", "bills_amount", "department_name", ""},
		{"costs by vendor category", "bills_amount", "vendor_category", ""},
		{"total purchases in FY2025", "bills_amount", "", ""},
		{"spend with Keystone IT", "bills_amount", "", "Keystone IT"},
		{"G&A spend by department", "bills_amount", "department_name", "G&A"},
		{"which department spent the most last year", "bills_amount", "department_name", ""},
		{"how much were we billed by Acme Supplies", "bills_amount", "", "Acme Supplies"},
		{"how much did we pay Acme Supplies", "bill_payments_amount", "", "Acme Supplies"},
		{"invoices from Acme Supplies in FY2025", "bills_count", "", "Acme Supplies"},
		{"what do we owe", "unpaid", "", ""},
		{"outstanding payables by vendor", "unpaid", "vendor_name", ""},
		{"accounts payable balance", "unpaid", "", ""},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := askP(c.q, false)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			want(t, it.Spec.Metrics, c.metric)
			if c.group != "" {
				wantGroup(t, it.Spec, c.group)
			}
			if c.filter != "" && !strings.Contains(it.Text, c.filter) {
				t.Errorf("interpretation %q, want the filter %s", it.Text, c.filter)
			}
		})
	}
	// No receivables where the business only buys; beside sales, what
	// customers spend is revenue and payables are still refused.
	if it := askP("accounts receivable", false); it.Answerable {
		t.Errorf("receivables answered: %s", it.Text)
	}
	if it := askP("revenue by month", false); it.Answerable {
		t.Errorf("revenue answered: %s", it.Text)
	}
	if it := askP("how much did Acme Industries spend in FY2025", true); !it.Answerable {
		t.Errorf("customer spend: %s", it.Reason)
	} else {
		want(t, it.Spec.Metrics, "net_amount")
	}
	if it := askP("total spend by vendor in FY2025", true); !it.Answerable {
		t.Errorf("spend beside sales: %s", it.Reason)
	} else {
		want(t, it.Spec.Metrics, "bills_amount")
	}
	if it := askP("revenue by segment", true); !it.Answerable {
		t.Errorf("revenue beside purchases: %s", it.Reason)
	} else {
		want(t, it.Spec.Metrics, "net_amount")
	}
}
