package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// claimsLayer is testLayer with an insurer's claims: dated by the loss,
// also reported and closed on days of their own.
func claimsLayer() *semlayer.Layer {
	l := testLayer()
	l.Models = append(l.Models, &semlayer.Model{Name: "claims", Table: "FACT_CLAIMS", Role: "fact", Label: "claims",
		Description: "claims (transaction fact)", TimeColumn: "loss_date",
		Dimensions: []*semlayer.Dimension{{Name: "loss_date", Column: "loss_date", Type: "time"},
			{Name: "reported_date", Column: "reported_date", Type: "time"}, {Name: "check_in_date", Column: "check_in_date", Type: "time"}},
		Measures: []*semlayer.Measure{{Name: "claim_amount", Column: "claim_amount", Agg: semlayer.AggSum, Money: true},
			{Name: "paid_amount", Column: "paid_amount", Agg: semlayer.AggSum, Money: true},
			{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}})
	l.Metrics = append(l.Metrics,
		&semlayer.Metric{Name: "claim_amount", Type: semlayer.MetricSimple, Label: "claim amount", Format: "money", Model: "claims", Measure: "claim_amount"},
		&semlayer.Metric{Name: "paid_amount", Type: semlayer.MetricSimple, Label: "paid amount", Format: "money", Model: "claims", Measure: "paid_amount"},
		&semlayer.Metric{Name: "claims_count", Type: semlayer.MetricSimple, Label: "number of claims", Format: "count", Model: "claims", Measure: "row_count"})
	return l
}

// "Claims reported in Q4": the period reads the date the verb names, not
// the one the claims are dated by; without a period the verb says
// nothing more (a filler) or asks for one.
func TestFactDates(t *testing.T) {
	ask := func(q string) *Interpretation {
		return Parse(Input{Layer: claimsLayer(), Members: testMembers, Question: q, AsOf: asOf})
	}
	for _, c := range []struct{ q, dated, text string }{
		{"claim amount reported in FY2025", "claims.reported_date", "reported date in FY2025"},
		{"number of claims reported in FY2025 by month", "claims.reported_date", "reported date in FY2025"},
		{"claims checking in in FY2025", "claims.check_in_date", "check in date in FY2025"},
		{"claim amount in FY2025", "", "FY2025"},
		// Grouped by the other date: it dates the period too.
		{"number of claims by reported date month in FY2025", "claims.reported_date", "reported date in FY2025"},
		{"claims by month reported in FY2025", "claims.reported_date", "reported date in FY2025"},
		{"claim amount by reported date in FY2025", "claims.reported_date", "by day"},
		{"claim amount reported", "", "claim amount"},
		// Not a date of the revenue's fact: the filler says nothing.
		{"revenue reported in FY2025", "", "FY2025"},
	} {
		it := ask(c.q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		if it.Spec.Dated != c.dated || !strings.Contains(it.Text, c.text) {
			t.Errorf("%q: dated %q (%s), want %q (%s)", c.q, it.Spec.Dated, it.Text, c.dated, c.text)
		}
		if c.dated != "" {
			wantRange(t, it.Spec, day(2024, 7, 1), day(2025, 7, 1))
			for _, g := range it.Spec.GroupBy {
				if g.Dimension != "" {
					t.Errorf("%q: grouped by the dimension %s beside the date it is dated by", c.q, g.Dimension)
				}
			}
		}
	}
	for _, c := range []struct{ q, why string }{
		{"claims checking in", "names a date: say for which period"},
		{"revenue checking in in FY2025", "is a date of claims, not of the numbers asked"},
	} {
		if it := ask(c.q); it.Answerable || !strings.Contains(it.Reason, c.why) {
			t.Errorf("%q: answerable %v, reason %q; want %q", c.q, it.Answerable, it.Reason, c.why)
		}
	}
}

// Where no fact records payments, the paid part of another fact's rows
// is what was paid: "claims paid", "paid claims", "claim payments".
func TestPaidMeasure(t *testing.T) {
	for _, q := range []string{"claims paid in FY2025", "paid claims in FY2025", "claim payments in FY2025", "payments in FY2025", "how much did we pay on claims in FY2025"} {
		it := Parse(Input{Layer: claimsLayer(), Members: testMembers, Question: q, AsOf: asOf})
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", q, it.Reason)
			continue
		}
		if len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "paid_amount" {
			t.Errorf("%q: %v (%s), want paid_amount", q, it.Spec.Metrics, it.Text)
		}
	}
}
