package nlq

import (
	"testing"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// adsLayer: daily advertising activity per campaign (impressions,
// clicks, conversions, spend, attributed revenue).
func adsLayer() *semlayer.Layer {
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{
			{Name: "ad_performance", Table: "FACT_AD_PERFORMANCE", Role: "fact", Label: "ad performance", TimeColumn: "activity_date",
				Entities:   []*semlayer.Entity{{Name: "campaign", Type: "foreign", Column: "CAMPAIGNS_SK", Ref: "campaigns"}},
				Dimensions: []*semlayer.Dimension{{Name: "activity_date", Column: "activity_date", Type: "time"}}},
			{Name: "campaigns", Table: "DIM_CAMPAIGNS", Role: "dimension", Label: "campaigns",
				Entities:   []*semlayer.Entity{{Name: "campaign", Type: "primary", Column: "CAMPAIGNS_SK"}},
				Dimensions: []*semlayer.Dimension{{Name: "campaign_name", Column: "campaign_name", Type: "categorical", Members: true}}},
		}}
	f := l.Models[0]
	for _, m := range []struct {
		name  string
		money bool
	}{{"impressions", false}, {"clicks", false}, {"conversions", false}, {"spend", true}, {"attributed_revenue", true}} {
		f.Measures = append(f.Measures, &semlayer.Measure{Name: m.name, Column: m.name, Agg: semlayer.AggSum, Money: m.money})
		format := "number"
		if m.money {
			format = "money"
		}
		l.Metrics = append(l.Metrics, &semlayer.Metric{Name: m.name, Type: semlayer.MetricSimple, Label: spaced(m.name), Format: format, Model: f.Name, Measure: m.name})
	}
	return l
}

// The usual rates are the ratios of the warehouse's own sums: CTR
// (clicks over impressions, in %), conversion rate (conversions over
// clicks, in %), CPC and cost per conversion (spend per click, per
// conversion), ROAS (revenue per spend); "X per Y" of two sums is their
// ratio.
func TestRates(t *testing.T) {
	members := map[string][]string{"campaign_name": {"Spring Launch", "Retargeting"}}
	for _, c := range []struct {
		q        string
		num, den string
		pct      bool
	}{
		{"click through rate by campaign", "clicks", "impressions", true},
		{"CTR in FY2025", "clicks", "impressions", true},
		{"conversion rate by campaign", "conversions", "clicks", true},
		{"CPC by campaign", "spend", "clicks", false},
		{"cost per click last month", "spend", "clicks", false},
		{"cost per conversion", "spend", "conversions", false},
		{"ROAS by campaign", "attributed_revenue", "spend", false},
		{"spend per click for Retargeting", "spend", "clicks", false},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := Parse(Input{Layer: adsLayer(), Members: members, Question: c.q, AsOf: asOf})
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			var r *query.Ratio
			if len(it.Spec.Ratios) == 1 {
				r = &it.Spec.Ratios[0]
			}
			if r == nil || r.Numerator != c.num || r.Denominator != c.den || r.Percent != c.pct {
				t.Fatalf("ratios %+v, want %s over %s (percent %v)", it.Spec.Ratios, c.num, c.den, c.pct)
			}
			if c.q == "ROAS by campaign" && r.Format == "money" {
				t.Errorf("revenue per spend is a plain ratio, not money")
			}
		})
	}
	// Without the numbers a rate is made of, its name is not a ratio.
	l := adsLayer()
	l.Metrics = l.Metrics[1:] // no impressions
	if it := Parse(Input{Layer: l, Members: members, Question: "CTR by campaign", AsOf: asOf}); it.Answerable {
		t.Errorf("CTR without impressions answered: %s", it.Text)
	}
}
