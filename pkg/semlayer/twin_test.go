package semlayer

import (
	"testing"

	"github.com/databridge/databridge/pkg/model"
)

// A dimension dated by its start with an end date gets the current
// members' amount (filtered on the end date) and, hidden, every
// member's amount — what the question parser reads for members that
// ended or began in a period.
func TestGenerateAllMembersTwin(t *testing.T) {
	l := &Layer{Models: []*Model{{Name: "subscriptions", Role: "dimension", TimeColumn: "start_date",
		Dimensions: []*Dimension{{Name: "start_date", Column: "start_date", Type: "time"}, {Name: "end_date", Column: "end_date", Type: "time"}},
		Measures:   []*Measure{{Name: "row_count", Column: "*", Agg: AggCount}, {Name: "mrr", Column: "mrr", Agg: AggSum, Money: true}}}}}
	generateMetrics(l, nil)
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
	generateMetrics(l, nil)
	if l.Metric("plans_price") != nil || l.Metric("price") != nil {
		t.Errorf("metrics %+v, want none for a model without an end date", l.Metrics)
	}
}

// Where every member has an end (a project's planned end date), no
// member is current by having none: the amount is every member's,
// unfiltered (a project's budget), and there is no twin.
func TestGenerateEveryMemberEnds(t *testing.T) {
	l := &Layer{Models: []*Model{{Name: "projects", Origin: "model:projects", Role: "dimension", TimeColumn: "start_date",
		Dimensions: []*Dimension{{Name: "start_date", Column: "start_date", Type: "time"}, {Name: "end_date", Column: "end_date", Type: "time"}},
		Measures:   []*Measure{{Name: "budget", Column: "budget", Agg: AggSum, Money: true}}}}}
	m := &model.Model{Tables: []*model.Table{{Name: "projects", Columns: []model.Column{{Name: "end_date", Type: "DATE", Profile: model.ColumnProfile{Rows: 40, Nulls: 0}}}}}}
	generateMetrics(l, m)
	if b := l.Metric("budget"); b == nil || b.Filter != "" {
		t.Fatalf("budget = %+v, want every project's", b)
	}
	if l.Metric("projects_budget") != nil {
		t.Error("a twin of every member's amount, which the metric is already")
	}
	m.Tables[0].Columns[0].Profile.Nulls = 3
	l.Metrics = nil
	generateMetrics(l, m)
	if b := l.Metric("budget"); b == nil || b.Filter != "end_date IS NULL" {
		t.Fatalf("budget = %+v, want the open projects' (some have no end)", b)
	}
}
