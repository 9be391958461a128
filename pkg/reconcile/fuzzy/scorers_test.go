package fuzzy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"math/rand"
	"os/exec"
	"strings"
	"testing"

	edlib "github.com/hbollon/go-edlib"

	"github.com/databridge/databridge/pkg/testenv"
)

// randomString draws a string over a small alphabet (so that pairs share
// runes and tokens), with spaces, repeated words and a few non-ASCII runes.
func randomString(rng *rand.Rand, maxLen int) string {
	const alphabet = "abcde  xyzéß"
	words := []string{"acme", "corp", "holdings", "north", "bank", "ltd", "müller"}
	var b strings.Builder
	n := rng.Intn(maxLen + 1)
	for b.Len() < n {
		if rng.Intn(4) == 0 {
			b.WriteString(words[rng.Intn(len(words))])
			b.WriteByte(' ')
			continue
		}
		r := []rune(alphabet)
		b.WriteRune(r[rng.Intn(len(r))])
	}
	return b.String()
}

func randomPairs(seed int64, n int) [][2]string {
	rng := rand.New(rand.NewSource(seed))
	pairs := make([][2]string, 0, n)
	for len(pairs) < n {
		maxA, maxB := 1+rng.Intn(40), 1+rng.Intn(90)
		if rng.Intn(5) == 0 {
			maxA = 150 // longer than one 64-bit word
		}
		a, b := randomString(rng, maxA), randomString(rng, maxB)
		if rng.Intn(2) == 0 {
			a, b = b, a
		}
		if rng.Intn(10) == 0 { // a variant of the other: one edit
			rb := []rune(a)
			if len(rb) > 0 {
				rb[rng.Intn(len(rb))] = 'q'
			}
			b = string(rb)
		}
		pairs = append(pairs, [2]string{a, b})
	}
	pairs = append(pairs, [2]string{"", ""}, [2]string{"a", ""}, [2]string{" ", "  "}, [2]string{"  ", "  "})
	return pairs
}

func TestLCSAgainstGoEdlib(t *testing.T) {
	var sc Scratch
	for _, p := range randomPairs(1, 3000) {
		a, b := []rune(p[0]), []rune(p[1])
		if got, want := sc.lcs(a, b), edlib.LCS(p[0], p[1]); got != want {
			t.Fatalf("LCS(%q, %q) = %d, go-edlib says %d", p[0], p[1], got, want)
		}
		// go-edlib's LCSEditDistance counts bytes, not runes, when a side
		// is empty: compared on non-empty pairs only.
		if len(a) == 0 || len(b) == 0 {
			continue
		}
		if got, want := sc.indel(a, b), edlib.LCSEditDistance(p[0], p[1]); got != want {
			t.Fatalf("indel(%q, %q) = %d, go-edlib says %d", p[0], p[1], got, want)
		}
	}
}

func TestScorersKnownValues(t *testing.T) {
	// Values from RapidFuzz's documentation examples.
	cases := []struct {
		s    Scorer
		a, b string
		want float64
	}{
		{ScorerRatio, "this is a test", "this is a test!", 96.55172413793103},
		{ScorerPartial, "this is a test", "this is a test!", 100},
		{ScorerTokenSort, "fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear", 100},
		{ScorerTokenSet, "fuzzy was a bear", "fuzzy fuzzy was a bear", 100},
		{ScorerWeighted, "this is a test", "this is a new test!!!", 85.5},
		{ScorerTokenSet, "", "", 0},
		{ScorerRatio, "", "", 100},
	}
	for _, c := range cases {
		if got := c.s.Score(c.a, c.b); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s(%q, %q) = %v, want %v", c.s, c.a, c.b, got, c.want)
		}
	}
}

// TestScorersEqualRapidFuzz scores thousands of random pairs with every
// scorer and with RapidFuzz (the oracle venv) and requires the same score.
func TestScorersEqualRapidFuzz(t *testing.T) {
	python := testenv.VenvTool(t, "python")
	pairs := randomPairs(2, 5000)
	var in bytes.Buffer
	for _, p := range pairs {
		line, _ := json.Marshal(p)
		in.Write(append(line, '\n'))
	}
	cmd := exec.Command(python, "testdata/rapidfuzz_scores.py")
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rapidfuzz oracle: %v\n%s", err, stderr.String())
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	scorers := []Scorer{ScorerRatio, ScorerPartial, ScorerTokenSort, ScorerTokenSet, ScorerWeighted}
	var scratch Scratch
	i, bad := 0, 0
	for sc.Scan() {
		var want []float64
		if err := json.Unmarshal(sc.Bytes(), &want); err != nil {
			t.Fatal(err)
		}
		a, b := Prepare(pairs[i][0]), Prepare(pairs[i][1])
		for k, s := range scorers {
			if got := scratch.Score(s, a, b); math.Abs(got-want[k]) > 1e-9 {
				bad++
				if bad <= 10 {
					t.Errorf("%s(%q, %q) = %v, RapidFuzz says %v", s, pairs[i][0], pairs[i][1], got, want[k])
				}
			}
		}
		i++
	}
	if i != len(pairs) {
		t.Fatalf("oracle scored %d pairs of %d", i, len(pairs))
	}
	if bad > 0 {
		t.Fatalf("%d scores differ from RapidFuzz's over %d pairs", bad, len(pairs))
	}
	t.Logf("%d pairs × %d scorers equal to RapidFuzz", len(pairs), len(scorers))
}
