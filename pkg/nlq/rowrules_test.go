package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// linkedReturnsLayer is returnsLayer with returns that reference the
// sales lines by receipt and line number.
func linkedReturnsLayer() *semlayer.Layer {
	l := returnsLayer()
	l.Model("returns").Entities = []*semlayer.Entity{{Name: "sales_line", Type: "foreign", Column: "receipt_no", Ref: "sales_lines", RefColumn: "receipt_no",
		CompositeKeys: []semlayer.KeyPair{{Fact: "line_no", Other: "line_no"}}}}
	return l
}

func askReturns(q string) *Interpretation {
	return Parse(Input{Layer: linkedReturnsLayer(), Members: testMembers, Question: q, AsOf: asOf})
}

// "How many customers made their first purchase in FY2025", "new
// customers by month" where customers have no date of their own: each
// customer counted at its first row of the sales.
func TestFirstRows(t *testing.T) {
	for _, c := range []struct {
		q       string
		grouped bool
	}{
		{"how many customers made their first purchase in FY2025", false},
		{"number of first-time customers in FY2025", false},
		{"how many customers placed their first order in Q1 2026", false},
		{"new customers by month in FY2025", true},
		{"how many new customers did we get in FY2025", false},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := askReturns(c.q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			if len(it.Spec.Restricted) != 1 || !it.Spec.Restricted[0].First || it.Spec.Restricted[0].Metric != "customer_count" {
				t.Fatalf("want the customers at their first row: %+v", it.Spec)
			}
			want(t, it.Spec.Metrics, it.Spec.Restricted[0].Name)
			if it.Spec.Time == nil {
				t.Error("no period")
			}
			if (len(it.Spec.GroupBy) > 0) != c.grouped {
				t.Errorf("groups %+v", it.Spec.GroupBy)
			}
		})
	}
	// "Made a purchase" is a verb: the customers, not the receipts too.
	it := askReturns("how many customers made a purchase in FY2025")
	if !it.Answerable {
		t.Fatalf("made a purchase: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "customer_count")
	for _, q := range []string{
		"revenue from first purchases in FY2025",  // an amount of first rows
		"first purchase revenue vs prior year",    // compared
		"how many products made their first sale", // no distinct count of products named so
	} {
		if it := askReturns(q); it.Answerable {
			t.Errorf("%q answered: %s %+v", q, it.Text, it.Spec)
		}
	}
}

// "Sales lines without a return": the rows no row of another fact
// references.
func TestWithout(t *testing.T) {
	for _, q := range []string{"number of sales lines without a return", "how many sales lines have no returns", "number of sales lines with no return in FY2025"} {
		t.Run(q, func(t *testing.T) {
			it := askReturns(q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			if len(it.Spec.Restricted) != 1 || it.Spec.Restricted[0].Without != "returns" {
				t.Fatalf("want the lines without returns: %+v", it.Spec)
			}
			want(t, it.Spec.Metrics, it.Spec.Restricted[0].Name)
		})
	}
	for _, q := range []string{
		"number of customers without a return", // returns reference lines, not customers
		"revenue without returns vs prior year",
	} {
		if it := askReturns(q); it.Answerable {
			t.Errorf("%q answered: %s %+v", q, it.Text, it.Spec)
		}
	}
}

// "Never been refunded", "no returns against them", "customers acquired",
// "what portion": more words for the same classes.
func TestRowRuleWords(t *testing.T) {
	it := askReturns("how many sales lines have never been refunded")
	if !it.Answerable || len(it.Spec.Restricted) != 1 || it.Spec.Restricted[0].Without != "returns" {
		t.Errorf("never been refunded: %+v %s", it.Spec, it.Reason)
	}
	it = askReturns("number of sales lines with no returns against them")
	if !it.Answerable || len(it.Spec.Restricted) != 1 || it.Spec.Restricted[0].Without != "returns" || it.Spec.Compare != "" {
		t.Errorf("against them: %+v %s", it.Spec, it.Reason)
	}
	it = askReturns("new customers acquired in FY2025")
	if !it.Answerable || len(it.Spec.Restricted) != 1 || !it.Spec.Restricted[0].First {
		t.Errorf("acquired: %+v %s", it.Spec, it.Reason)
	}
	it = askLoyalty(t, "what portion of FY2025 sales came from loyalty members")
	if !it.Answerable || len(it.Spec.Ratios) != 1 {
		t.Errorf("portion: %+v %s", it.Spec, it.Reason)
	}
}

// "First time customers by month", "customers who first bought in
// FY2025": each customer at its first row; "how many FY2025 sales lines
// have no return": the rows counted.
func TestFirstWordsAndCountedRows(t *testing.T) {
	for _, q := range []string{"first time customers by month in FY2025", "how many customers first bought in FY2025"} {
		it := askReturns(q)
		if !it.Answerable || len(it.Spec.Restricted) != 1 || !it.Spec.Restricted[0].First {
			t.Errorf("%q: %+v %s", q, it.Spec, it.Reason)
		}
	}
}

// "Customers who never bought anything", "customers with no purchases",
// "products that were never sold": the members no row of the revenue's
// fact references — counted, or listed by name.
func TestNeverBought(t *testing.T) {
	l := linkedReturnsLayer()
	l.Model("customers").Measures = append(l.Model("customers").Measures, &semlayer.Measure{Name: "row_count", Column: "*", Agg: semlayer.AggCount})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "customers_count", Type: semlayer.MetricSimple, Label: "number of customers", Format: "count", Model: "customers", Measure: "row_count"})
	parse := func(q string) *Interpretation {
		return Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
	}
	for q, metric := range map[string]string{
		"how many customers never bought anything":   "customers_count",
		"customers with no purchases":                "customers_count",
		"number of products that were never sold":    "products_count",
		"how many customers have never been sold to": "customers_count",
	} {
		it := parse(q)
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		if len(it.Spec.Restricted) != 1 || it.Spec.Restricted[0].Without != "sales_lines" || it.Spec.Restricted[0].Metric != metric || len(it.Spec.GroupBy) > 0 {
			t.Errorf("%q: %+v", q, it.Spec)
		}
	}
	it := parse("which customers never bought anything")
	if !it.Answerable || it.Only != OnlyGroups || len(it.Spec.GroupBy) != 1 || len(it.Spec.Having) != 1 || it.Spec.Having[0].Metric != it.Spec.Restricted[0].Name {
		t.Fatalf("listed: %s %+v", it.Reason, it.Spec)
	}
	if !strings.Contains(it.Text, "without sales lines") {
		t.Errorf("text %q", it.Text)
	}
}

// "Sales lines that have never received any return": the object names
// the rows that would reference them, as "with no returns" does.
func TestNeverReceivedAny(t *testing.T) {
	b := askReturns("number of sales lines with no returns")
	if !b.Answerable {
		t.Fatalf("with no: %s", b.Reason)
	}
	for _, q := range []string{"how many sales lines have never received any return"} {
		if a := askReturns(q); !a.Answerable || a.Text != b.Text {
			t.Errorf("%q: %q %s, want %q", q, a.Text, a.Reason, b.Text)
		}
	}
}
