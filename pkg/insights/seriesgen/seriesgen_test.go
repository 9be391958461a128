package seriesgen

import (
	"math"
	"reflect"
	"testing"
)

func TestDeterministicAndPrefixStable(t *testing.T) {
	cfg := Defaults()
	cfg.Count = 50
	a, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same config gave different series")
	}
	cfg.Count = 20
	c, _ := Generate(cfg)
	if !reflect.DeepEqual(a[:20], c) {
		t.Fatal("series i must depend only on (seed, i)")
	}
	cfg.Seed = 2
	d, _ := Generate(cfg)
	if reflect.DeepEqual(c[0].Values, d[0].Values) {
		t.Fatal("another seed gave the same series")
	}
}

// TestTruth: the recorded truth is what the values are made of, and the
// planted anomalies keep the documented distances.
func TestTruth(t *testing.T) {
	series, err := Generate(Defaults())
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[Shape]int{}
	var planted, shifts int
	for _, s := range series {
		shapes[s.Shape]++
		n := len(s.Values)
		if n < 48 || n > 120 || len(s.Trend) != n || len(s.SeasonalByPos) != 12 {
			t.Fatalf("series %d: length %d, trend %d, seasonal %d", s.ID, n, len(s.Trend), len(s.SeasonalByPos))
		}
		if want := ((s.StartMonth-s.FiscalStartMonth)%12 + 12) % 12; s.FirstPos != want {
			t.Fatalf("series %d: first position %d, want %d", s.ID, s.FirstPos, want)
		}
		var sum, mx float64
		for _, v := range s.SeasonalByPos {
			sum += v
			mx = math.Max(mx, math.Abs(v))
		}
		if math.Abs(sum) > 1e-6*s.Base || math.Abs(mx-s.SeasonAmp) > 1e-6*s.Base {
			t.Fatalf("series %d: seasonal sums to %g (want 0), peaks at %g (want %g)", s.ID, sum, mx, s.SeasonAmp)
		}
		// What is left after trend and seasonality is noise, except at spikes.
		spikeAt := map[int]float64{}
		for i, a := range s.Anomalies {
			planted++
			if a.Kind == KindLevelShift {
				shifts++
				if a.Index < 9 || a.Index > n-9 {
					t.Fatalf("series %d: level shift at %d of %d", s.ID, a.Index, n)
				}
			} else {
				spikeAt[a.Index] = a.Size
			}
			if (a.Kind == KindSpike) != (a.Size > 0) && a.Kind != KindLevelShift {
				t.Fatalf("series %d: %s of size %g", s.ID, a.Kind, a.Size)
			}
			if got := math.Abs(a.Size) / s.NoiseSD; math.Abs(got-a.Sigmas) > 1e-9 || got < 5 || got > 9 {
				t.Fatalf("series %d: anomaly %d is %g noise SDs (recorded %g), want 5–9", s.ID, i, got, a.Sigmas)
			}
			for _, b := range s.Anomalies[i+1:] {
				gap, need := b.Index-a.Index, 2
				if a.Kind == KindLevelShift || b.Kind == KindLevelShift {
					need = 3
				}
				if a.Kind == KindLevelShift && b.Kind == KindLevelShift {
					need = 12
				}
				if gap < need {
					t.Fatalf("series %d: %s at %d and %s at %d are closer than %d", s.ID, a.Kind, a.Index, b.Kind, b.Index, need)
				}
			}
		}
		for i, v := range s.Values {
			r := v - s.Trend[i] - s.SeasonalByPos[(s.FirstPos+i)%12] - spikeAt[i]
			if math.Abs(r) > 6*s.NoiseSD {
				t.Fatalf("series %d: observation %d is %g noise SDs from its truth", s.ID, i, r/s.NoiseSD)
			}
		}
	}
	if len(shapes) != len(AllShapes) || shifts < 400 || planted-shifts < 3000 {
		t.Fatalf("shapes %v, %d level shifts, %d spikes and dips: want every shape, ≥ 400 and ≥ 3,000", shapes, shifts, planted-shifts)
	}
}

func TestConfigErrors(t *testing.T) {
	for name, mut := range map[string]func(*Config){
		"count":  func(c *Config) { c.Count = 0 },
		"length": func(c *Config) { c.MinLength, c.MaxLength = 60, 50 },
		"shapes": func(c *Config) { c.Shapes = nil },
		"noise":  func(c *Config) { c.NoiseLevels = []float64{0} },
		"range":  func(c *Config) { c.SpikeSigmas = [2]float64{9, 5} },
		"fiscal": func(c *Config) { c.FiscalStartMonth = 13 },
	} {
		cfg := Defaults()
		mut(&cfg)
		if _, err := Generate(cfg); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestFiscalStartMonth(t *testing.T) {
	cfg := Defaults()
	cfg.Count, cfg.FiscalStartMonth = 30, 4
	series, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	drawn, _ := Generate(Config{Seed: 1, Count: 30, MinLength: 48, MaxLength: 120, Shapes: AllShapes, NoiseLevels: []float64{0.02}})
	for i, s := range series {
		if s.FiscalStartMonth != 4 || s.FirstPos != ((s.StartMonth-4)%12+12)%12 {
			t.Fatalf("series %d: fiscal start %d, first position %d for start month %d", i, s.FiscalStartMonth, s.FirstPos, s.StartMonth)
		}
	}
	months := map[int]bool{}
	for _, s := range drawn {
		months[s.FiscalStartMonth] = true
	}
	if len(months) < 6 {
		t.Fatalf("drawn fiscal start months: %v", months)
	}
}
