package semlayer

import "testing"

// A dimension dated by its start with an end date gets the current
// members' amount (filtered on the end date) and, hidden, every
// member's amount — what the question parser reads for members that
// ended or began in a period.
func TestGenerateAllMembersTwin(t *testing.T) {
	l := &Layer{Models: []*Model{{Name: "subscriptions", Role: "dimension", TimeColumn: "start_date",
		Dimensions: []*Dimension{{Name: "start_date", Column: "start_date", Type: "time"}, {Name: "end_date", Column: "end_date", Type: "time"}},
		Measures:   []*Measure{{Name: "row_count", Column: "*", Agg: AggCount}, {Name: "mrr", Column: "mrr", Agg: AggSum, Money: true}}}}}
	generateMetrics(l)
	cur, all := l.Metric("mrr"), l.Metric("subscriptions_mrr")
	if cur == nil || cur.Filter != "end_date IS NULL" || cur.Hidden {
		t.Fatalf("mrr = %+v, want the current subscriptions' (end_date IS NULL), shown", cur)
	}
	if all == nil || all.Filter != "" || !all.Hidden || all.Measure != "mrr" || all.Model != "subscriptions" || all.Format != "money" {
		t.Fatalf("subscriptions_mrr = %+v, want every subscription's mrr, hidden", all)
	}
	if all.Origin == cur.Origin {
		t.Errorf("the two metrics share the origin %q (the merge matches by it)", all.Origin)
	}
	// Without an end date there is no current filter and no twin.
	l = &Layer{Models: []*Model{{Name: "plans", Role: "dimension", TimeColumn: "start_date",
		Dimensions: []*Dimension{{Name: "start_date", Column: "start_date", Type: "time"}},
		Measures:   []*Measure{{Name: "price", Column: "price", Agg: AggSum, Money: true}}}}}
	generateMetrics(l)
	if l.Metric("plans_price") != nil || l.Metric("price") != nil {
		t.Errorf("metrics %+v, want none for a model without an end date", l.Metrics)
	}
}
