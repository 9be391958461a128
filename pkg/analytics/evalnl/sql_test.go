package evalnl_test

import (
	"context"
	"os"
	"testing"
)

// TestEvalNLFiles checks the shape of the question files: ids, the frozen
// third, as-of dates, SQL on answerable questions only, and the size of
// the set (≥ 100 answerable questions per warehouse, ≥ 50 unanswerable in
// all).
func TestEvalNLFiles(t *testing.T) {
	unanswerable := 0
	for _, w := range warehouses {
		qs, err := loadQuestions(questionFile(t, w), w.prefix)
		if err != nil {
			t.Error(err)
			continue
		}
		answerable, frozen := 0, 0
		seen := map[string]string{}
		for _, q := range qs {
			if q.Answerable {
				answerable++
			} else {
				unanswerable++
			}
			if q.Frozen {
				frozen++
			}
			if other, ok := seen[q.Question]; ok {
				t.Errorf("%s: the same question as %s: %q", q.ID, other, q.Question)
			}
			seen[q.Question] = q.ID
		}
		t.Logf("%s: %d questions, %d answerable, %d unanswerable, %d frozen", w.name, len(qs), answerable, len(qs)-answerable, frozen)
		if answerable < 100 {
			t.Errorf("%s: %d answerable questions, want at least 100", w.name, answerable)
		}
	}
	if unanswerable < 50 {
		t.Errorf("%d unanswerable questions in all, want at least 50", unanswerable)
	}
}

// TestEvalSQL builds the three warehouses and runs every expected SQL:
// each must execute and return at least one row. DATABRIDGE_EVAL_NL_SHOW=1
// logs every answer's first rows for review.
func TestEvalSQL(t *testing.T) {
	evalEnabled(t)
	ctx := context.Background()
	show := os.Getenv("DATABRIDGE_EVAL_NL_SHOW") == "1"
	for _, w := range selected() {
		t.Run(w.name, func(t *testing.T) {
			b := buildWarehouse(ctx, t, w)
			for _, q := range b.qs {
				if !q.Answerable {
					continue
				}
				cols, rows, err := b.expected(ctx, q)
				switch {
				case err != nil:
					t.Errorf("%s %q: expected SQL fails: %v", q.ID, q.Question, err)
				case len(rows) == 0:
					t.Errorf("%s %q: expected SQL returns no rows", q.ID, q.Question)
				case show:
					t.Logf("%s %q (as of %s)\n%s", q.ID, q.Question, q.AsOf, firstRows(cols, rows, 8))
				}
			}
		})
	}
}
