package fuzzy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/testenv"
)

func normaliseAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Normalise(s)
	}
	return out
}

// agreement compares the blocked top matches with the exhaustive ones (or
// an oracle's best scores): a query agrees when both found nothing, or the
// best scores are equal (the same item, or a tie).
func agreement(got [][]Match, want []float64, tol float64) (agree int, misses []int) {
	for i := range got {
		g := -1.0
		if len(got[i]) > 0 {
			g = got[i][0].Score
		}
		if math.Abs(g-want[i]) < tol {
			agree++
		} else {
			misses = append(misses, i)
		}
	}
	return agree, misses
}

// TestBlockingRecall: on 600 × 600 generated names the blocked search
// finds the exhaustive search's best score for ≥ 99% of queries, for every
// scorer, scoring a small share of the pairs.
func TestBlockingRecall(t *testing.T) {
	left, right := companyNames(7, 600)
	l, r := normaliseAll(left), normaliseAll(right)
	ix := NewIndex(r)
	for _, s := range Scorers {
		o := SearchOptions{Scorer: s}
		blocked := ix.SearchAll(l, o)
		o.Exhaustive = true
		full := ix.SearchAll(l, o)
		want := make([]float64, len(full))
		for i, m := range full {
			want[i] = m[0].Score
		}
		agree, misses := agreement(blocked, want, 1e-9)
		share := float64(agree) / float64(len(l))
		t.Logf("%s: blocked top = exhaustive top on %d of %d (%.2f%%)", s, agree, len(l), 100*share)
		if share < 0.99 {
			for _, i := range misses[:min(5, len(misses))] {
				t.Logf("  %q: blocked %v, exhaustive %q %.2f", l[i], blocked[i], r[full[i][0].Index], full[i][0].Score)
			}
			t.Errorf("%s: recall %.4f < 0.99", s, share)
		}
	}
}

// rapidfuzzBest runs RapidFuzz over the choices for every query (mode
// "extract": process.extractOne; "cdist": process.cdist on all cores) and
// returns the best token_set_ratio per query and the seconds it took.
func rapidfuzzBest(t *testing.T, queries, choices []string, mode string) (best []float64, secs float64) {
	python := testenv.VenvTool(t, "python")
	dir := t.TempDir()
	in := filepath.Join(dir, "in.json")
	data, _ := json.Marshal(map[string]any{"queries": queries, "choices": choices, "mode": mode})
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "testdata/rapidfuzz_extract.py", in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rapidfuzz oracle: %v\n%s", err, stderr.String())
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, mode+"_seconds "); ok {
			secs, _ = strconv.ParseFloat(v, 64)
			continue
		}
		f, err := strconv.ParseFloat(line, 64)
		if err != nil {
			t.Fatalf("oracle line %q", line)
		}
		best = append(best, f)
	}
	if len(best) != len(queries) {
		t.Fatalf("oracle answered %d of %d queries", len(best), len(queries))
	}
	return best, secs
}

// TestTopMatchEqualsRapidFuzzSample is the CI sample of the peer
// benchmark: 500 × 500 names, our blocked top match (token_set) against
// RapidFuzz's extractOne on the same normalised strings.
func TestTopMatchEqualsRapidFuzzSample(t *testing.T) {
	left, right := companyNames(11, 500)
	l, r := normaliseAll(left), normaliseAll(right)
	want, _ := rapidfuzzBest(t, l, r, "extract")
	got := NewIndex(r).SearchAll(l, SearchOptions{Scorer: ScorerTokenSet})
	agree, misses := agreement(got, want, 1e-9)
	t.Logf("top match = RapidFuzz extractOne on %d of %d", agree, len(l))
	if float64(agree) < 0.99*float64(len(l)) {
		for _, i := range misses[:min(5, len(misses))] {
			t.Logf("  %q: ours %v, RapidFuzz best %.2f", l[i], got[i], want[i])
		}
		t.Fatalf("agreement %d/%d < 99%%", agree, len(l))
	}
}

// TestPeerNamesRapidFuzz is the peer benchmark (DATABRIDGE_BENCH_PEERS=1):
// 20k × 20k names; our top match (token_set, blocked) must equal RapidFuzz
// extractOne's on ≥ 99% of rows (the same best score: the same name or a
// tie) in less time than RapidFuzz's brute-force process.cdist.
func TestPeerNamesRapidFuzz(t *testing.T) {
	if os.Getenv("DATABRIDGE_BENCH_PEERS") != "1" {
		t.Skip("peer benchmark: set DATABRIDGE_BENCH_PEERS=1 (make bench-peers)")
	}
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("DATABRIDGE_BENCH_NAMES")); err == nil && v > 0 {
		n = v
	}
	left, right := companyNames(20261203, n)
	start := time.Now()
	l, r := normaliseAll(left), normaliseAll(right)
	ix := NewIndex(r)
	got := ix.SearchAll(l, SearchOptions{Scorer: ScorerTokenSet})
	ours := time.Since(start).Seconds()
	// The best of each cdist row is extractOne's best score; cdist gives
	// float32 scores, so they are compared to 1e-4.
	want, cdistSecs := rapidfuzzBest(t, l, r, "cdist")
	agree, _ := agreement(got, want, 1e-4)
	share := float64(agree) / float64(n)
	report := fmt.Sprintf("names %d × %d, token_set: databridge (normalise + index + blocked search, %d CPUs) %.2f s; RapidFuzz cdist (workers=-1) %.2f s; top match equal on %d (%.2f%%); cdist/ours %.1f×",
		n, n, runtimeCPUs(), ours, cdistSecs, agree, 100*share, cdistSecs/ours)
	t.Log(report)
	if share < 0.99 {
		t.Errorf("agreement %.4f < 0.99", share)
	}
	if ours >= cdistSecs {
		t.Errorf("slower than RapidFuzz's cdist: %.2f s ≥ %.2f s", ours, cdistSecs)
	}
}

func runtimeCPUs() int { return runtime.NumCPU() }

// BenchmarkMatchNames100k: 100,000 × 100,000 generated names, token_set,
// normalise + index + blocked search (make bench; one iteration is the
// figure: go test -bench MatchNames100k -benchtime 1x).
func BenchmarkMatchNames100k(b *testing.B) {
	left, right := companyNames(100000, 100000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix := NewIndex(normaliseAll(right))
		got := ix.SearchAll(normaliseAll(left), SearchOptions{Scorer: ScorerTokenSet, Threshold: 80})
		matched := 0
		for _, m := range got {
			if len(m) > 0 {
				matched++
			}
		}
		b.ReportMetric(float64(matched), "matched")
	}
}
