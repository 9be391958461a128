package nlq

import (
	"strings"
	"testing"
)

// "What share of FY2025 sales was refunded": the refunds of the lines
// dated in FY2025 (refunded whenever) over those lines' sales, both read
// by the lines' date.
func TestSettledShare(t *testing.T) {
	for _, q := range []string{
		"what share of FY2025 sales was refunded",
		"what percentage of FY2025 revenue has been refunded",
	} {
		t.Run(q, func(t *testing.T) {
			it := askReturns(q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			s := it.Spec
			if s.Time != nil || s.Share || len(s.Ratios) != 1 || len(s.Restricted) != 2 {
				t.Fatalf("want a ratio of two restricted metrics, no range: %+v", s)
			}
			r := s.Ratios[0]
			want(t, s.Metrics, r.Name)
			byName := map[string]string{}
			for _, x := range s.Restricted {
				byName[x.Name] = x.Metric
				if x.Where != "sale_date >= DATE '2024-07-01' AND sale_date < DATE '2025-07-01'" {
					t.Errorf("%s where %q, want the lines' date in FY2025", x.Name, x.Where)
				}
			}
			if byName[r.Numerator] != "refund_amount" || byName[r.Denominator] != "net_amount" || !r.Percent {
				t.Errorf("ratio %+v of %v", r, byName)
			}
			if !strings.Contains(it.Text, "at any date") {
				t.Errorf("interpretation %q", it.Text)
			}
		})
	}
	// By month: whose month?
	if it := askReturns("what share of FY2025 sales was refunded by month"); it.Answerable {
		t.Errorf("by month answered: %s", it.Text)
	}
	// "How much of FY2025 revenue was refunded": the amount.
	it := askReturns("how much of FY2025 revenue was refunded")
	if !it.Answerable {
		t.Fatalf("how much of: %s", it.Reason)
	}
	if len(it.Spec.Restricted) != 1 || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != it.Spec.Restricted[0].Name || it.Spec.Restricted[0].Metric != "refund_amount" {
		t.Errorf("how much of: %+v", it.Spec)
	}
}

// "Refunds against FY2025 sales", "payments for invoices issued in
// FY2025": the settling number of the rows named after "against" or
// "for", the period reading those rows' date — not both numbers, each
// over its own dates.
func TestSettledAgainst(t *testing.T) {
	for _, q := range []string{"refunds against FY2025 sales", "refund amount for sales made in FY2025", "refunds on the FY2025 sales by segment"} {
		t.Run(q, func(t *testing.T) {
			it := askReturns(q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			s := it.Spec
			if s.Time != nil || len(s.Metrics) != 1 || len(s.Restricted) != 1 || s.Metrics[0] != s.Restricted[0].Name {
				t.Fatalf("want one restricted metric, no range: %+v", s)
			}
			if x := s.Restricted[0]; x.Metric != "refund_amount" || x.Where != "sale_date >= DATE '2024-07-01' AND sale_date < DATE '2025-07-01'" {
				t.Errorf("restricted %+v, want the refunds of the lines dated in FY2025", x)
			}
		})
	}
	// Two numbers side by side, each of its period.
	it := askReturns("refunds and sales in FY2025")
	if !it.Answerable || len(it.Spec.Metrics) != 2 || it.Spec.Time == nil {
		t.Errorf("refunds and sales: %+v %s", it.Spec, it.Reason)
	}
}
