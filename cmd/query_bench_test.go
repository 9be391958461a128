package cmd_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/databridge/databridge/pkg/quickstart"
)

// benchQuestions are asked in turn: a P&L line by quarter against the
// prior year, a ranking of members, a fuzzy member filter.
var benchQuestions = []string{
	"gross profit by quarter for FY2026 vs prior year",
	"top 5 customers by revenue in FY2026",
	"revenue for acme industrees by fiscal year",
}

// BenchmarkQueryCLICold answers a question from a cold process: the real
// binary (go build) started once per question on the quickstart
// warehouse — parse, compile and run included. Goal: < 300 ms per question
// (docs/query.md).
func BenchmarkQueryCLICold(b *testing.B) {
	ctx := context.Background()
	dir := filepath.Join(b.TempDir(), "qs")
	if _, err := quickstart.Run(ctx, quickstart.Options{Dir: dir, Version: "bench"}); err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), "databridge")
	build := exec.Command("go", "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := benchQuestions[i%len(benchQuestions)]
		c := exec.Command(bin, "query", q, "--json", "--project-dir", dir)
		if out, err := c.CombinedOutput(); err != nil {
			b.Fatalf("databridge query %q: %v\n%s", q, err, out)
		}
	}
}
