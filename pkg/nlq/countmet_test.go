package nlq

import (
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// countLayer is the test layer with a count of the customers and a key
// of each sales line.
func countLayer() *semlayer.Layer {
	l := testLayer()
	l.Model("customers").Measures = append(l.Model("customers").Measures, &semlayer.Measure{Name: "row_count", Column: "*", Agg: semlayer.AggCount})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "customers_count", Type: semlayer.MetricSimple, Label: "number of customers", Format: "count", Model: "customers", Measure: "row_count"})
	sl := l.Model("sales_lines")
	sl.Dimensions = append(sl.Dimensions, &semlayer.Dimension{Name: "sales_line_id", Column: "line_id", Type: "categorical"})
	return l
}

// "How many customers spent more than 1,000": the members held to the
// threshold, counted; "how many sales lines were over 500": each line by
// its own amount, counted; "sales lines over 500": listed.
func TestCountMeetingThreshold(t *testing.T) {
	parse := func(q string) *Interpretation {
		return Parse(Input{Layer: countLayer(), Members: testMembers, Question: q, AsOf: asOf})
	}
	for q, group := range map[string]string{
		"how many customers spent more than 1000 in FY2025":       "customer_name",
		"number of customers with net amount above 50k in FY2025": "customer_name",
		"how many sales lines were over 500 in FY2025":            "sales_lines.sales_line_id",
	} {
		it := parse(q)
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		c := it.Spec.Count
		if c == nil || len(it.Spec.Having) != 1 || it.Spec.Having[0].Metric != "net_amount" || it.Spec.Having[0].Op != ">" || it.Only != "" {
			t.Errorf("%q: %+v", q, it.Spec)
			continue
		}
		if c.Group != group && !(group == "sales_lines.sales_line_id" && c.Group == "sales_line_id") {
			t.Errorf("%q: counted %q, want %q", q, c.Group, group)
		}
		if err := compiles(countLayer(), it.Spec); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
	it := parse("sales lines over 500 in FY2025")
	if !it.Answerable || it.Spec.Count != nil || len(it.Spec.GroupBy) != 1 || len(it.Spec.Having) != 1 {
		t.Errorf("listed: %s %+v", it.Reason, it.Spec)
	}
	// "More than 5 purchases" counts purchases: not an amount.
	it = parse("how many customers have more than 5 sales lines in FY2025")
	if it.Answerable && (len(it.Spec.Having) != 1 || it.Spec.Having[0].Metric != "sales_lines_count") {
		t.Errorf("count threshold: %+v", it.Spec)
	}
}

// "How many customers have a sales line", "customers with multiple
// sales lines": those with more than none (more than one), counted or
// listed.
func TestHaveAnyAndMultiple(t *testing.T) {
	parse := func(q string) *Interpretation {
		return Parse(Input{Layer: countLayer(), Members: testMembers, Question: q, AsOf: asOf})
	}
	it := parse("how many customers have a sales line in FY2025")
	if !it.Answerable || it.Spec.Count == nil || len(it.Spec.Having) != 1 || it.Spec.Having[0].Op != ">" || it.Spec.Having[0].Value != "0" {
		t.Errorf("have a: %s %+v", it.Reason, it.Spec)
	}
	it = parse("customers with multiple sales lines in FY2025")
	if !it.Answerable || it.Spec.Count != nil || len(it.Spec.Having) != 1 || it.Spec.Having[0].Value != "1" {
		t.Errorf("multiple: %s %+v", it.Reason, it.Spec)
	}
}

// "Sum of sales over 1000", "how much did customers who spent over 1000
// spend": one total of the members meeting a threshold, not computed (it
// listed them).
func TestSumOfThresholdRefused(t *testing.T) {
	for _, q := range []string{"how much revenue came from customers with revenue over 1000 in FY2025", "sum of revenue of customers over 1000 in FY2025"} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		}
	}
	if it := ask(t, "customers with revenue over 1000 in FY2025"); !it.Answerable {
		t.Errorf("listed: %s", it.Reason)
	}
}
