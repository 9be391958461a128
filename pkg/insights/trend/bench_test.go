package trend

import (
	"testing"

	"github.com/databridge/databridge/pkg/insights/seriesgen"
)

// BenchmarkAnalyze: one Analyze on a generated monthly series of 48–120
// months.
func BenchmarkAnalyze(b *testing.B) {
	cfg := seriesgen.Defaults()
	cfg.Count = 100
	series, err := seriesgen.Generate(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		s := series[i%len(series)]
		if _, err := Analyze(s.Values, Options{Season: 12, FirstPos: s.FirstPos}); err != nil {
			b.Fatal(err)
		}
	}
}
