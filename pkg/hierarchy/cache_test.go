package hierarchy

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"time"
)

func TestParseCacheMatchesYAML(t *testing.T) {
	s := newStore(t)
	h := benchHierarchy(3000)
	h.ID = "big"
	if _, err := s.Create(context.Background(), h); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(s.path("big"))
	if len(data) < cacheMinBytes {
		t.Fatalf("test hierarchy too small for the cache: %d bytes", len(data))
	}
	fresh, err := Parse("big.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.Get("big") // parses YAML, writes the cache
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(s.CacheDir)
	if len(entries) != 1 {
		t.Fatalf("cache entries = %d", len(entries))
	}
	second, err := s.Get("big") // from the cache
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []*Hierarchy{first, second} {
		if !reflect.DeepEqual(normalizeForCompare(got), normalizeForCompare(fresh)) {
			t.Fatal("cached hierarchy differs from the YAML")
		}
	}
	// A hand edit of the YAML invalidates the cache entry.
	edited := append([]byte{}, data...)
	edited = append(edited, []byte("")...)
	h2 := fresh.Clone()
	h2.Name = "Edited by hand"
	out, _ := Marshal(h2)
	if err := os.WriteFile(s.path("big"), out, 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := s.Get("big")
	if err != nil || third.Name != "Edited by hand" {
		t.Fatalf("stale cache served: %v %q", err, third.Name)
	}
	// A corrupt cache entry is ignored.
	os.WriteFile(filepath.Join(s.CacheDir, entries[0].Name()), []byte("garbage"), 0o644)
	if h, err := s.Get("big"); err != nil || h.Name != "Edited by hand" {
		t.Fatalf("corrupt cache: %v", err)
	}
}

// normalizeForCompare makes empty slices and maps nil and drops monotonic
// clock readings so a JSON round trip compares equal.
func normalizeForCompare(h *Hierarchy) *Hierarchy {
	c := h.Clone()
	c.CreatedAt = c.CreatedAt.Round(0)
	c.UpdatedAt = c.UpdatedAt.Round(0)
	for _, n := range c.Nodes {
		if len(n.Rules) == 0 {
			n.Rules = nil
		}
		for i := range n.Rules {
			if len(n.Rules[i].Values) == 0 {
				n.Rules[i].Values = nil
			}
		}
		if len(n.Properties) == 0 {
			n.Properties = nil
		}
	}
	if len(c.SourceColumns) == 0 {
		c.SourceColumns = nil
	}
	return c
}

func TestResolveAllMatchesResolve(t *testing.T) {
	h := benchHierarchy(2000)
	r, err := NewResolver(h)
	if err != nil {
		t.Fatal(err)
	}
	codes := benchCodes(50_000, len(r.Leaves()))
	all := r.ResolveAll("account", codes)
	for i, c := range codes {
		if !reflect.DeepEqual(all[i], r.Resolve("account", c)) {
			t.Fatalf("code %s: ResolveAll %+v, Resolve %+v", c, all[i], r.Resolve("account", c))
		}
	}
}

// BenchmarkStoreLoadValidateResolve is the number: a 100,000-node
// hierarchy (~50,000 leaves, ~75,000 rules) loaded from the project store
// (warm: the parse cache is current; cold: YAML decoded), checked with
// CheckIntegrity, compiled with NewResolver, and 1,000,000 distinct codes
// resolved with ResolveAll on every core.
func BenchmarkStoreLoadValidateResolve(b *testing.B) {
	for _, mode := range []string{"warm", "cold"} {
		b.Run(mode, func(b *testing.B) {
			s := newStore(b)
			h := benchHierarchy(100_000)
			h.ID = "big"
			if _, err := s.Create(context.Background(), h); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Get("big"); err != nil { // prime the cache
				b.Fatal(err)
			}
			codes := benchCodes(1_000_000, 50_000)
			var ms0, ms1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms0)
			var load, check, compile, resolve time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if mode == "cold" {
					os.RemoveAll(s.CacheDir)
				}
				t0 := time.Now()
				hh, err := s.Get("big")
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if fs := CheckIntegrity(hh); len(fs) > 0 {
					b.Fatal(fs[0])
				}
				t2 := time.Now()
				r, err := NewResolver(hh)
				if err != nil {
					b.Fatal(err)
				}
				t3 := time.Now()
				res := r.ResolveAll("account", codes)
				t4 := time.Now()
				if len(res) != len(codes) {
					b.Fatal("short result")
				}
				load += t1.Sub(t0)
				check += t2.Sub(t1)
				compile += t3.Sub(t2)
				resolve += t4.Sub(t3)
			}
			b.StopTimer()
			runtime.ReadMemStats(&ms1)
			n := float64(b.N)
			b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/n/(1<<20), "allocMiB/op")
			b.ReportMetric(float64(load.Milliseconds())/n, "load-ms/op")
			b.ReportMetric(float64(check.Milliseconds())/n, "integrity-ms/op")
			b.ReportMetric(float64(compile.Milliseconds())/n, "compile-ms/op")
			b.ReportMetric(float64(resolve.Milliseconds())/n, "resolve-ms/op")
		})
	}
}
