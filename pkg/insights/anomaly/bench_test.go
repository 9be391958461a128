package anomaly

import (
	"testing"

	"github.com/databridge/databridge/pkg/insights/seriesgen"
)

// BenchmarkDetect: one Detect on a generated monthly series of 48–120
// months (the proof's series, cycled).
func BenchmarkDetect(b *testing.B) {
	cfg := seriesgen.Defaults()
	cfg.Count = 100
	series, err := seriesgen.Generate(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		s := series[i%len(series)]
		if _, err := Detect(s.Values, Options{Season: 12, FirstPos: s.FirstPos}); err != nil {
			b.Fatal(err)
		}
	}
}
