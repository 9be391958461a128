package semlayer

import "testing"

func TestGenerateRecurring(t *testing.T) {
	l := &Layer{Metrics: []*Metric{{Name: "mrr", Type: MetricSimple, Format: "money", Model: "subscriptions", Measure: "mrr", Filter: "end_date IS NULL"}}}
	generateRecurring(l)
	arr := l.Metric("arr")
	if arr == nil || arr.Type != MetricDerived || arr.Expr != "12 * mrr" || arr.Format != "money" {
		t.Fatalf("arr = %+v, want a derived metric 12 * mrr", arr)
	}
	if got := l.Metric("mrr").Synonyms; len(got) != 1 || got[0] != "monthly recurring revenue" {
		t.Errorf("mrr synonyms %v", got)
	}
	// Run twice (a refresh over a merged layer): nothing doubles.
	generateRecurring(l)
	n := 0
	for _, m := range l.Metrics {
		if m.Name == "arr" {
			n++
		}
	}
	if n != 1 || len(l.Metric("mrr").Synonyms) != 1 {
		t.Errorf("second run: %d arr metrics, mrr synonyms %v", n, l.Metric("mrr").Synonyms)
	}
	// A layer's own arr is kept; no mrr, no arr.
	own := &Layer{Metrics: []*Metric{{Name: "mrr", Format: "money"}, {Name: "arr", Type: MetricSimple, Format: "money"}}}
	generateRecurring(own)
	if own.Metric("arr").Type != MetricSimple {
		t.Error("the layer's own arr was replaced")
	}
	none := &Layer{Metrics: []*Metric{{Name: "revenue", Format: "money"}}}
	if generateRecurring(none); none.Metric("arr") != nil {
		t.Error("arr without an mrr")
	}
}
