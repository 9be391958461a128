package fuzzy

import (
	"testing"

	edlib "github.com/hbollon/go-edlib"
)

var benchA, benchB = "northwind trading company gmbh", "north wind tradng co"

func BenchmarkLCSBitParallel(b *testing.B) {
	var sc Scratch
	ra, rb := []rune(benchA), []rune(benchB)
	for i := 0; i < b.N; i++ {
		sc.lcs(ra, rb)
	}
}

func BenchmarkLCSGoEdlib(b *testing.B) {
	for i := 0; i < b.N; i++ {
		edlib.LCS(benchA, benchB)
	}
}

func BenchmarkTokenSetPrepared(b *testing.B) {
	var sc Scratch
	pa, pb := Prepare(benchA), Prepare(benchB)
	for i := 0; i < b.N; i++ {
		sc.Score(ScorerTokenSet, pa, pb)
	}
}
