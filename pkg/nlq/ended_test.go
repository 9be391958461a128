package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// subscriptionsLayer: subscriptions dated by their start, with an end
// date and a status, referenced by invoices; MRR counts the current ones.
func subscriptionsLayer() *semlayer.Layer {
	l := testLayer()
	l.Models = append(l.Models,
		&semlayer.Model{Name: "subscriptions", Table: "DIM_SUBSCRIPTIONS", Role: "dimension", Label: "subscriptions", TimeColumn: "start_date",
			Entities: []*semlayer.Entity{{Name: "subscription", Type: "primary", Column: "SUBSCRIPTIONS_SK"},
				{Name: "customer", Type: "foreign", Column: "CUSTOMERS_SK", Ref: "customers"}},
			Dimensions: []*semlayer.Dimension{
				{Name: "start_date", Column: "start_date", Type: "time"},
				{Name: "end_date", Column: "end_date", Type: "time"},
				{Name: "status", Column: "status", Type: "categorical", Members: true},
			},
			Measures: []*semlayer.Measure{{Name: "row_count", Column: "*", Agg: semlayer.AggCount}, {Name: "mrr", Column: "mrr", Agg: semlayer.AggSum, Money: true}}},
		&semlayer.Model{Name: "invoices", Table: "FACT_INVOICES", Role: "fact", Label: "invoices", TimeColumn: "invoice_date",
			Entities:   []*semlayer.Entity{{Name: "subscription", Type: "foreign", Column: "SUBSCRIPTIONS_SK", Ref: "subscriptions"}},
			Dimensions: []*semlayer.Dimension{{Name: "invoice_date", Column: "invoice_date", Type: "time"}},
			Measures:   []*semlayer.Measure{{Name: "subscription_count", Column: "subscription_id", Agg: semlayer.AggCountDistinct}}})
	l.Metrics = append(l.Metrics,
		&semlayer.Metric{Name: "subscriptions_count", Type: semlayer.MetricSimple, Label: "number of subscriptions", Format: "count", Model: "subscriptions", Measure: "row_count"},
		&semlayer.Metric{Name: "subscription_count", Type: semlayer.MetricSimple, Label: "number of subscriptions", Format: "count", Model: "invoices", Measure: "subscription_count"},
		&semlayer.Metric{Name: "mrr", Type: semlayer.MetricSimple, Label: "mrr", Format: "money", Model: "subscriptions", Measure: "mrr", Filter: "end_date IS NULL"},
		&semlayer.Metric{Name: "arr", Type: semlayer.MetricDerived, Label: "ARR", Format: "money", Expr: "12 * mrr"})
	return l
}

// withTwin adds the generator's hidden metric of every subscription's
// MRR.
func withTwin(l *semlayer.Layer) *semlayer.Layer {
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "subscriptions_mrr", Type: semlayer.MetricSimple, Label: "mrr of all subscriptions", Format: "money",
		Model: "subscriptions", Measure: "mrr", Hidden: true})
	return l
}

// With every member's amount in the layer, the amount of those that
// ended ("MRR lost to cancellations in FY2025") or began ("MRR of
// subscriptions that started in FY2025", "new MRR") is answered; the
// current amount over a period is not.
func TestEndedAndStartedAmounts(t *testing.T) {
	members := map[string][]string{"status": {"active", "cancelled", "upgraded"}}
	for k, v := range testMembers {
		members[k] = v
	}
	parse := func(q string) *Interpretation {
		return Parse(Input{Layer: withTwin(subscriptionsLayer()), Members: members, Question: q, AsOf: asOf})
	}
	for _, q := range []string{"MRR lost to cancellations in FY2025", "churned MRR in FY2025"} {
		it := parse(q)
		if !it.Answerable {
			t.Fatalf("%q: %s", q, it.Reason)
		}
		want(t, it.Spec.Metrics, "subscriptions_mrr")
		wantFilter(t, it.Spec, "status", "cancelled")
		if w := "end_date >= DATE '2024-07-01' AND end_date < DATE '2025-07-01'"; it.Spec.Where != w || it.Spec.Time != nil {
			t.Errorf("%q: where %q time %+v, want the end date in FY2025", q, it.Spec.Where, it.Spec.Time)
		}
	}
	for _, q := range []string{"MRR of subscriptions that started in FY2025", "new MRR in FY2025"} {
		it := parse(q)
		if !it.Answerable {
			t.Fatalf("%q: %s", q, it.Reason)
		}
		want(t, it.Spec.Metrics, "subscriptions_mrr")
		wantRange(t, it.Spec, day(2024, 7, 1), day(2025, 7, 1))
		if len(it.Spec.GroupBy) != 0 || it.Spec.Where != "" {
			t.Errorf("%q: group by %+v where %q, want neither", q, it.Spec.GroupBy, it.Spec.Where)
		}
	}
	for _, q := range []string{"MRR in FY2025", "ARR last quarter", "MRR by month", "ARR growth rate by month"} {
		if it := parse(q); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		} else if !strings.Contains(it.Reason, "over a period it is not known") {
			t.Errorf("%q: reason %q", q, it.Reason)
		}
	}
	if it := parse("current MRR"); !it.Answerable || it.Spec.Metrics[0] != "mrr" {
		t.Errorf("current MRR: %+v %s", it.Spec, it.Reason)
	}
}

func askSubs(t *testing.T, q string) *Interpretation {
	t.Helper()
	members := map[string][]string{"status": {"active", "cancelled", "upgraded"}}
	for k, v := range testMembers {
		members[k] = v
	}
	return Parse(Input{Layer: subscriptionsLayer(), Members: members, Question: q, AsOf: asOf})
}

// Members that ended in a period are counted by their end date;
// "churned" is the status cancelled; a number of current members only
// is not asked of ended ones.
func TestEndedByEndDate(t *testing.T) {
	for _, q := range []string{
		"churned subscriptions by segment in FY2025",
		"how many subscriptions were cancelled in FY2025",
		"how many subscriptions churned in FY2025?",
	} {
		t.Run(q, func(t *testing.T) {
			it := askSubs(t, q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			want(t, it.Spec.Metrics, "subscriptions_count")
			wantFilter(t, it.Spec, "status", "cancelled")
			if it.Spec.Time != nil {
				t.Errorf("time %+v: the start date would read the period", it.Spec.Time)
			}
			if w := "end_date >= DATE '2024-07-01' AND end_date < DATE '2025-07-01'"; it.Spec.Where != w {
				t.Errorf("where %q, want %q", it.Spec.Where, w)
			}
			if !strings.Contains(it.Text, "ended") {
				t.Errorf("interpretation %q does not say ended", it.Text)
			}
		})
	}
	for _, c := range []struct{ q, reason string }{
		{"MRR of cancelled subscriptions", "has no value for those that ended"},
		{"churned MRR by segment in FY2026", "has no value for those that ended"},
		{"subscriptions cancelled in FY2030", "has not begun"},
	} {
		it := askSubs(t, c.q)
		if it.Answerable {
			t.Errorf("%q answered: %s", c.q, it.Text)
		} else if !strings.Contains(it.Reason, c.reason) {
			t.Errorf("%q: reason %q, want %q", c.q, it.Reason, c.reason)
		}
	}
	// Without a period: the cancelled subscriptions, all of them.
	it := askSubs(t, "number of cancelled subscriptions by segment")
	if !it.Answerable {
		t.Fatalf("cancelled by segment: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "subscriptions_count")
	if it.Spec.Where != "" || it.Spec.Time != nil {
		t.Errorf("where %q time %+v, want none", it.Spec.Where, it.Spec.Time)
	}
}

// "Ended subscriptions by plan", "MRR of expired subscriptions": without
// a period and without a status read from the word, the members that
// have an end (they counted all of them; the MRR was grouped by each
// subscription).
func TestEndedWithoutPeriod(t *testing.T) {
	it := askSubs(t, "how many subscriptions have ended")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "subscriptions_count")
	if it.Spec.Where != "end_date IS NOT NULL" {
		t.Errorf("where %q", it.Spec.Where)
	}
	it = Parse(Input{Layer: withTwin(subscriptionsLayer()), Members: map[string][]string{"status": {"active", "cancelled"}}, Question: "MRR of expired subscriptions", AsOf: asOf})
	if !it.Answerable {
		t.Fatalf("MRR of expired: %s", it.Reason)
	}
	if it.Spec.Where != "end_date IS NOT NULL" || len(it.Spec.GroupBy) > 0 {
		t.Errorf("MRR of expired: %+v", it.Spec)
	}
}

// "Cancelled subscriptions by month in FY2026": by the month they ended
// (a grain of their end date), within the period.
func TestEndedByMonth(t *testing.T) {
	it := askSubs(t, "cancelled subscriptions by month in FY2026")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	if len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "end_date" || it.Spec.GroupBy[0].Grain != semlayer.GrainMonth || it.Spec.Time != nil || !strings.Contains(it.Spec.Where, "end_date >= DATE '2025-07-01'") {
		t.Errorf("spec %+v", it.Spec)
	}
	it = askSubs(t, "subscriptions that ended in FY2026 by segment")
	if !it.Answerable {
		t.Fatalf("ended by segment: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "subscriptions_count")
}

// "Cancellations by month in FY2026": the members with the ended status,
// counted by the month they ended; "how many customers churned" is not
// answered where the customers have no end of their own (it counted the
// customers of the fact by another model's status).
func TestEndedStatusAlone(t *testing.T) {
	it := askSubs(t, "cancellations by month in FY2026")
	if !it.Answerable {
		t.Fatalf("cancellations: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "subscriptions_count")
	if len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "end_date" {
		t.Errorf("groups %+v", it.Spec.GroupBy)
	}
	if it := askSubs(t, "how many customers churned in FY2026"); it.Answerable {
		t.Errorf("customers churned answered: %s", it.Text)
	}
}

// "Live subscriptions", "active subs": the status member active.
func TestLiveIsActive(t *testing.T) {
	for _, q := range []string{"live subscriptions by status", "count of active subs"} {
		it := Parse(Input{Layer: subscriptionsLayer(), Members: map[string][]string{"status": {"active", "cancelled"}}, Question: q, AsOf: asOf})
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		wantFilter(t, it.Spec, "status", "active")
	}
}

// "Active subscriptions in FY2025", "by month": a status is today's, so
// a period (which reads the start date) is not answered; now, started in
// the period, or ended in it, they are.
func TestStatusInPeriod(t *testing.T) {
	for _, q := range []string{"active subscriptions in FY2025", "number of active subscriptions by month"} {
		if it := askSubs(t, q); it.Answerable {
			t.Errorf("%q answered: %s %+v", q, it.Text, it.Spec)
		} else if !strings.Contains(it.Reason, "today's") {
			t.Errorf("%q: reason %q", q, it.Reason)
		}
	}
	for _, q := range []string{"active subscriptions", "new active subscriptions in FY2025", "active subscriptions started in FY2025", "cancelled subscriptions in FY2025", "upgraded subscriptions last year"} {
		if it := askSubs(t, q); !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
		}
	}
}

// "How many subscriptions did we lose in FY2025": ended in it; "how many
// customers did we lose": customers have no end of their own.
func TestLose(t *testing.T) {
	it := askSubs(t, "how many subscriptions did we lose in FY2025")
	if !it.Answerable || it.Spec.Time != nil && len(it.Spec.Restricted)+len(it.Spec.Filters) == 0 {
		t.Errorf("lose subscriptions: %s %+v", it.Reason, it.Spec)
	}
	if it := askSubs(t, "how many customers did we lose in FY2025"); it.Answerable {
		t.Errorf("lose customers answered: %s %+v", it.Text, it.Spec)
	}
}

// A subscription upgraded in a period ended then (replaced by another):
// read by its end date; where it moved to is not recorded.
func TestUpgradedByEndDate(t *testing.T) {
	it := askSubs(t, "how many subscriptions were upgraded in FY2025")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	wantFilter(t, it.Spec, "status", "upgraded")
	if w := "end_date >= DATE '2024-07-01' AND end_date < DATE '2025-07-01'"; it.Spec.Where != w || it.Spec.Time != nil {
		t.Errorf("where %q time %+v, want the end date in FY2025", it.Spec.Where, it.Spec.Time)
	}
	for _, q := range []string{"which plan do customers upgrade to most", "customers that switched to the Pro plan", "subscriptions that ended within 90 days"} {
		if it := askSubs(t, q); it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		}
	}
}

// "Cancelled subscriptions by month", "churned MRR by quarter" with no
// period: by the month they ended, as with one (it grouped by the month
// they began).
func TestEndedGrainWithoutPeriod(t *testing.T) {
	for _, q := range []string{"cancelled subscriptions by month", "cancellations by quarter", "ended subscriptions by month"} {
		it := askSubs(t, q)
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		want(t, it.Spec.Metrics, "subscriptions_count")
		if len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "end_date" || it.Spec.GroupBy[0].Grain == "" {
			t.Errorf("%q: groups %+v, want a grain of end_date", q, it.Spec.GroupBy)
		}
	}
	members := map[string][]string{"status": {"active", "cancelled"}}
	it := Parse(Input{Layer: withTwin(subscriptionsLayer()), Members: members, Question: "churned MRR by month", AsOf: asOf})
	if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "end_date" {
		t.Errorf("churned MRR by month: %+v %s", it.Spec, it.Reason)
	}
	// A fact's own rows keep their date: the revenue of the cancelled
	// subscriptions by the month it was invoiced.
	it = askSubs(t, "number of subscriptions invoiced by month")
	if it.Answerable && len(it.Spec.GroupBy) == 1 && it.Spec.GroupBy[0].Dimension == "end_date" {
		t.Errorf("invoiced subscriptions grouped by their end: %+v", it.Spec)
	}
}

// "Lost" subscriptions are the churned ones, not every one that ended
// (an upgraded subscription was replaced); what a fact's amount "lost"
// to them is not recorded.
func TestLostIsChurned(t *testing.T) {
	members := map[string][]string{"status": {"active", "cancelled", "upgraded"}}
	for k, v := range testMembers {
		members[k] = v
	}
	ask := func(q string) *Interpretation {
		return Parse(Input{Layer: withTwin(subscriptionsLayer()), Members: members, Question: q, AsOf: asOf})
	}
	for _, q := range []string{"subscriptions lost in FY2025", "MRR lost", "How much MRR did we lose from cancellations last quarter?"} {
		it := ask(q)
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		wantFilter(t, it.Spec, "status", "cancelled")
		if len(it.Spec.GroupBy) > 0 {
			t.Errorf("%q: grouped by %+v (one member named twice is one value)", q, it.Spec.GroupBy)
		}
	}
	for _, q := range []string{"revenue lost in FY2025", "how much revenue did we lose to churn", "churned revenue"} {
		if it := ask(q); it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		} else if !strings.Contains(it.Reason, "not recorded") {
			t.Errorf("%q: reason %q", q, it.Reason)
		}
	}
	// Where nothing ends, "lost" is not a word the parser reads.
	if it := Parse(Input{Layer: testLayer(), Members: testMembers, Question: "revenue lost in FY2025", AsOf: asOf}); it.Answerable {
		t.Errorf("revenue lost (no status): answered %s", it.Text)
	}
}

// The period of members that ended reads their end unless it follows a
// word of beginning: "subscriptions started in FY2025 that were
// cancelled" began in FY2025 (it counted those cancelled in FY2025);
// "started and ended in FY2025" did both.
func TestEndedPeriodAttachment(t *testing.T) {
	fy := "end_date >= DATE '2024-07-01' AND end_date < DATE '2025-07-01'"
	for _, c := range []struct{ q, where string }{
		{"subscriptions started in FY2025 that were cancelled", ""},
		{"new subscriptions in FY2025 that churned", ""},
		{"subscriptions cancelled in FY2025", fy},
		{"subscriptions that started and ended in FY2025", "start_date >= DATE '2024-07-01' AND start_date < DATE '2025-07-01' AND " + fy},
	} {
		it := askSubs(t, c.q)
		if !it.Answerable {
			t.Errorf("%q: %s", c.q, it.Reason)
			continue
		}
		if it.Spec.Where != c.where {
			t.Errorf("%q: where %q, want %q", c.q, it.Spec.Where, c.where)
		}
		if (c.where == "") != (it.Spec.Time != nil) {
			t.Errorf("%q: time %+v", c.q, it.Spec.Time)
		}
	}
	// Started in the period and ended at any date, no status named.
	it := askSubs(t, "subscriptions started in FY2025 that have ended")
	if !it.Answerable || it.Spec.Where != "end_date IS NOT NULL" || it.Spec.Time == nil {
		t.Errorf("started … ended: %+v %s", it.Spec, it.Reason)
	}
}

// "Cancelled invoices": the rows of a fact do not end; the message
// names the members that do.
func TestFactRowsDoNotEnd(t *testing.T) {
	l := subscriptionsLayer()
	inv := l.Model("invoices")
	inv.Measures = append(inv.Measures, &semlayer.Measure{Name: "row_count", Column: "*", Agg: semlayer.AggCount}, &semlayer.Measure{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true})
	l.Metrics = append(l.Metrics,
		&semlayer.Metric{Name: "invoices_count", Type: semlayer.MetricSimple, Label: "number of invoices", Format: "count", Model: "invoices", Measure: "row_count"},
		&semlayer.Metric{Name: "invoices_amount", Type: semlayer.MetricSimple, Label: "invoices amount", Format: "money", Model: "invoices", Measure: "amount"})
	askSubs := func(t *testing.T, q string) *Interpretation {
		return Parse(Input{Layer: l, Members: map[string][]string{"status": {"active", "cancelled"}}, Question: q, AsOf: asOf})
	}
	for _, q := range []string{"cancelled invoices", "number of invoices cancelled in FY2025"} {
		it := askSubs(t, q)
		if it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		} else if !strings.Contains(it.Reason, "do not end") || !strings.Contains(it.Reason, "subscriptions") {
			t.Errorf("%q: reason %q", q, it.Reason)
		}
	}
	// Of the members that ended, a fact's rows are answered.
	if it := askSubs(t, "number of invoices of cancelled subscriptions"); !it.Answerable {
		t.Errorf("invoices of cancelled subscriptions: %s", it.Reason)
	}
}

// "Subscriptions billed annually": a billing frequency, not a grouping
// by year (it counted the subscriptions by the year they began); "the
// amount invoiced monthly" is by month.
func TestBillingFrequency(t *testing.T) {
	for _, q := range []string{"how many subscriptions are billed annually", "subscriptions that renew monthly"} {
		if it := askSubs(t, q); it.Answerable {
			t.Errorf("%q: answered %s", q, it.Text)
		} else if !strings.Contains(it.Reason, "billing frequency") {
			t.Errorf("%q: reason %q", q, it.Reason)
		}
	}
	it := ask(t, "amount invoiced monthly in FY2025")
	if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Grain != semlayer.GrainMonth {
		t.Errorf("amount invoiced monthly: %+v %s", it.Spec, it.Reason)
	}
}

// "Upgrades in FY2025", "upgrades by segment": the noun of a status
// participle names the status, counted as "upgraded subscriptions" is
// (they were not understood).
func TestStatusNoun(t *testing.T) {
	it := askSubs(t, "upgrades in FY2025")
	if !it.Answerable {
		t.Fatalf("upgrades in FY2025: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "subscriptions_count")
	wantFilter(t, it.Spec, "status", "upgraded")
	if w := "end_date >= DATE '2024-07-01' AND end_date < DATE '2025-07-01'"; it.Spec.Where != w {
		t.Errorf("where %q, want %q", it.Spec.Where, w)
	}
	it = askSubs(t, "upgrades by segment")
	if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "segment" {
		t.Errorf("upgrades by segment: %+v %s", it.Spec, it.Reason)
	}
}

// "Which segment had the most churn in FY2025": the cancelled
// subscriptions counted by segment (it ranked the segments by the
// revenue of cancelled subscriptions).
func TestMostChurn(t *testing.T) {
	for _, q := range []string{"which segment had the most churn in FY2025", "which segment churned the most in FY2025"} {
		it := askSubs(t, q)
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		want(t, it.Spec.Metrics, "subscriptions_count")
		wantFilter(t, it.Spec, "status", "cancelled")
		if it.Spec.Limit != 1 || !strings.Contains(it.Spec.Where, "end_date >=") {
			t.Errorf("%q: %+v", q, it.Spec)
		}
	}
}

// "Which segment had the most new subscriptions in FY2025": the
// subscriptions that began, counted by segment (it listed segments and
// subscriptions).
func TestMostNewMembers(t *testing.T) {
	it := askSubs(t, "which segment had the most new subscriptions in FY2025")
	if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "subscriptions_count" || it.Spec.Limit != 1 || it.Spec.Time == nil || len(it.Spec.GroupBy) != 1 {
		t.Errorf("most new subscriptions: %+v %s", it.Spec, it.Reason)
	}
}

// "Which segment has the most active subscriptions": the qualified
// members counted by the group asked with "which" (it asked "the most of
// what?").
func TestMostQualifiedMembers(t *testing.T) {
	for _, q := range []string{"which segment has the most active subscriptions", "which segment has the fewest active subscriptions"} {
		it := askSubs(t, q)
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "subscriptions_count" || it.Spec.Limit != 1 {
			t.Errorf("%q: %+v %s", q, it.Spec, it.Reason)
			continue
		}
		wantFilter(t, it.Spec, "status", "active")
	}
}
