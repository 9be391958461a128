package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// A share asked of one total narrowed by members or by a membership is
// the narrowed number over the whole, in percent: a restricted metric
// with the filter over the same metric without it.
func TestSubsetShare(t *testing.T) {
	for _, c := range []struct{ q, where string }{
		{"what share of FY2025 sales came from loyalty members", "(loyalty_tier IS NOT NULL)"},
		{"share of sales from loyalty-program customers in FY2025", "(loyalty_tier IS NOT NULL)"},
		{"what percentage of FY2025 revenue came from the Enterprise segment", "segment IN ('Enterprise')"},
		{"what % of sales in FY2025 were Toys & Games", "category IN ('Toys & Games')"},
		{"Gold customers' share of sales in FY2025", "loyalty_tier IN ('Gold')"},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := askLoyalty(t, c.q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			s := it.Spec
			if s.Share || len(s.Filters) > 0 || s.Where != "" || len(s.GroupBy) > 0 {
				t.Errorf("the whole is filtered or grouped: %+v", s)
			}
			if len(s.Metrics) != 1 || len(s.Ratios) != 1 || len(s.Restricted) != 1 {
				t.Fatalf("want one ratio of a restricted metric: %+v", s)
			}
			r, x := s.Ratios[0], s.Restricted[0]
			if r.Name != s.Metrics[0] || !r.Percent || r.Numerator != x.Name || r.Denominator != "net_amount" || x.Metric != "net_amount" {
				t.Errorf("ratio %+v of %+v", r, x)
			}
			if x.Where != c.where {
				t.Errorf("where %q, want %q", x.Where, c.where)
			}
			if s.Time == nil {
				t.Error("the period is lost")
			}
			if !strings.HasPrefix(it.Text, "Share of the whole") {
				t.Errorf("interpretation %q", it.Text)
			}
		})
	}
	// A share of members by a grouping stays each member's share of the
	// total; a share of a ratio or compared is not answered.
	it := askLoyalty(t, "share of sales by segment in FY2025")
	if !it.Answerable || !it.Spec.Share || len(it.Spec.Restricted) > 0 {
		t.Errorf("share by segment: %+v %s", it.Spec, it.Reason)
	}
	for _, q := range []string{
		"what share of FY2025 sales came from loyalty members vs prior year",
		"what share of the average order value came from Gold customers in FY2025",
	} {
		if it := askLoyalty(t, q); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		}
	}
}

// "What share of customers are from Germany": the members counted, the
// part over the whole (it listed every customer with a share each).
func TestSubsetShareOfMembers(t *testing.T) {
	for _, q := range []string{"what share of customers are from Germany", "what percentage of customers are Gold members"} {
		it := askLoyalty(t, q)
		if !it.Answerable {
			t.Fatalf("%q: %s", q, it.Reason)
		}
		if len(it.Spec.GroupBy) > 0 || len(it.Spec.Restricted) != 1 || it.Spec.Restricted[0].Metric != "customers_count" {
			t.Errorf("%q: %+v", q, it.Spec)
		}
	}
}

// "What percentage of ARR is from the Enterprise segment": ARR is 12 ×
// MRR, so its share is MRR's (it was refused: ARR does not add up).
func TestShareOfScaledMetric(t *testing.T) {
	l := withTwin(subscriptionsLayer())
	it := Parse(Input{Layer: l, Members: testMembers, Question: "what percentage of ARR is from the Enterprise segment", AsOf: asOf})
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Denominator != "mrr" || it.Spec.Ratios[0].Name != "arr_part_share_pct" {
		t.Errorf("share of ARR: %+v %s", it.Spec, it.Reason)
	}
	if scaledBase(l, &semlayer.Metric{Type: semlayer.MetricDerived, Expr: "mrr - 12"}) != "" || scaledBase(l, &semlayer.Metric{Type: semlayer.MetricDerived, Expr: "-1 * mrr"}) != "" {
		t.Error("a difference or a negative factor read as a scale")
	}
}
