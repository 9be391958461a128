package quickstart

import (
	"context"
	"encoding/csv"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/databridge/databridge/examples"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/files"
)

// independentNetIncome computes the P&L's net income per fiscal year
// straight from the example CSVs in Go: income-statement accounts
// (4000–9199 in the standard template's ranges) with credits positive, as
// posted (the statement does not convert currencies).
func independentNetIncome(t *testing.T) map[string]float64 {
	t.Helper()
	read := func(name string) [][]string {
		f, err := examples.FinanceERP().Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f.(fs.File)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	year := map[string]string{}
	for _, r := range read("periods.csv")[1:] {
		year[r[0]] = "FY" + r[1]
	}
	out := map[string]float64{}
	for _, r := range read("gl_journal_lines.csv")[1:] {
		acct, _ := strconv.Atoi(r[4])
		if acct < 4000 || acct > 9199 {
			continue
		}
		debit, _ := strconv.ParseFloat(r[9], 64)
		credit, _ := strconv.ParseFloat(r[10], 64)
		out[year[r[3]]] += credit - debit
	}
	return out
}

func TestQuickstart(t *testing.T) {
	dir := t.TempDir()
	res, err := Run(context.Background(), Options{Dir: dir, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Validation == nil || !res.Validation.OK() {
		t.Fatalf("validation: %+v", res.Validation)
	}
	if res.Deployment == "" || !slices.Equal(res.Periods, []string{"FY2024", "FY2025", "FY2026"}) {
		t.Fatalf("deployment %q, periods %v", res.Deployment, res.Periods)
	}
	// The two questions are answered: four quarters of FY2026 against
	// FY2025, and five customers.
	if len(res.Answers) != 2 || !res.Answers[0].Answered || len(res.Answers[0].Rows) != 4 || !res.Answers[1].Answered || len(res.Answers[1].Rows) != 5 {
		t.Fatalf("answers: %+v", res.Answers)
	}
	if !strings.Contains(res.Answers[0].Interpretation, "FY2026") || !strings.Contains(res.Answers[0].Interpretation, "prior year") {
		t.Errorf("interpretation %q", res.Answers[0].Interpretation)
	}
	want := independentNetIncome(t)
	found := false
	for _, l := range res.Statement {
		if l.Code != "NET_INCOME" {
			continue
		}
		found = true
		for i, y := range res.Periods {
			if l.Values[i] == nil || math.Abs(l.Values[i].Decimal().InexactFloat64()-want[y]) > 0.005 {
				t.Errorf("net income %s = %v, independent %v", y, l.Values[i], want[y])
			}
		}
	}
	if !found {
		t.Fatal("no NET_INCOME line")
	}
	// Running again in the same folder is safe and changes nothing.
	res2, err := Run(context.Background(), Options{Dir: dir, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if !res2.Validation.OK() {
		t.Fatalf("second run: %s", res2.Validation.Summary())
	}
	t.Logf("quickstart wall time %d ms (second run %d ms)", res.WallMS, res2.WallMS)
}
