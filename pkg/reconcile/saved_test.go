package reconcile

import (
	"context"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
)

func execDuck(t *testing.T, e *rowsEnv, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	c, err := connector.Open(ctx, "load", connector.Config{Type: "duckdb", Path: e.duck})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, s := range stmts {
		if _, err := c.Exec(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
}

// A saved totals reconciliation run month by month: a difference becomes
// an open item (the run fails), an explanation closes it and survives a
// re-run, a fix clears it; an item carried forward reappears next month
// marked as carried; a changed difference reopens an accepted item.
func TestSavedReconciliationItems(t *testing.T) {
	e := newRowsEnv(t, false, false)
	execDuck(t, e,
		`CREATE TABLE gl (period_id VARCHAR, account VARCHAR, amount DECIMAL(18,2))`,
		`CREATE TABLE sub (period_id VARCHAR, account VARCHAR, amount DECIMAL(18,2))`,
		`INSERT INTO gl VALUES ('2025-09','4000',100.00),('2025-09','5000',50.00),('2025-10','4000',120.00),('2025-10','5000',70.00)`,
		`INSERT INTO sub VALUES ('2025-09','4000',100.00),('2025-09','5000',45.00),('2025-10','4000',120.00),('2025-10','5000',65.00)`)
	s := e.svc
	ctx := context.Background()
	if _, err := s.Save(SaveInput{Definition: Definition{Name: "gl-sub", Kind: "totals", PeriodColumn: "period_id",
		Totals: &TotalsInput{Left: "duck.gl", Right: "duck.sub", By: []string{"account"}, Measures: []string{"amount"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(SaveInput{Definition: Definition{Name: "gl-sub", Kind: "totals", Totals: &TotalsInput{Left: "a.b", Right: "c.d", Measures: []string{"x"}}}}); err == nil {
		t.Fatal("saved over an existing definition")
	}
	r, err := s.RunSaved(ctx, RunSavedInput{Name: "gl-sub", Period: "2025-09"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Agree || r.Open != 1 || r.New != 1 || len(r.Items) != 1 || r.Items[0].Key["account"] != "5000" || r.Items[0].Kind != "different" {
		t.Fatalf("first run: %+v", r)
	}
	id := r.Items[0].ID
	if _, err := s.Decide(DecideInput{Name: "gl-sub", ID: id, Action: "explain"}); err == nil || !strings.Contains(err.Error(), "note") {
		t.Fatalf("a decision without a note: %v", err)
	}
	if it, err := s.Decide(DecideInput{Name: "gl-sub", ID: id, Action: "explain", Note: "a credit note posted late", By: "ana"}); err != nil || it.Status != StatusExplained || it.By != "ana" {
		t.Fatalf("explain: %+v %v", it, err)
	}
	r, err = s.RunSaved(ctx, RunSavedInput{Name: "gl-sub", Period: "2025-09"})
	if err != nil || r.Open != 0 || r.New != 0 || r.Items[0].Status != StatusExplained {
		t.Fatalf("re-run after the explanation: %+v %v", r, err)
	}
	// The difference changes: the explanation no longer covers it.
	execDuck(t, e, `UPDATE sub SET amount = 40.00 WHERE period_id = '2025-09' AND account = '5000'`)
	r, err = s.RunSaved(ctx, RunSavedInput{Name: "gl-sub", Period: "2025-09"})
	if err != nil || r.Open != 1 || !strings.Contains(r.Items[0].Note, "changed since") {
		t.Fatalf("changed difference: %+v %v", r, err)
	}
	// Carried forward: not open in September, found again in October.
	if _, err := s.Decide(DecideInput{Name: "gl-sub", ID: id, Action: "carry", Note: "cut-off, reverses in October"}); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.Items(ItemsInput{Name: "gl-sub", Period: "2025-09"}); len(l.Items) != 0 {
		t.Fatalf("September still has open items: %+v", l.Items)
	}
	if l, _ := s.Items(ItemsInput{Name: "gl-sub", Period: "2025-10"}); len(l.Items) != 1 || l.Items[0].Status != StatusCarried {
		t.Fatalf("October does not show the carried item: %+v", l)
	}
	r, err = s.RunSaved(ctx, RunSavedInput{Name: "gl-sub", Period: "2025-10"})
	if err != nil || r.Open != 1 || r.Items[0].CarriedFrom != "2025-09" {
		t.Fatalf("October: %+v %v", r, err)
	}
	// Fixed at the source: the next run clears October's item.
	execDuck(t, e, `UPDATE sub SET amount = 70.00 WHERE period_id = '2025-10' AND account = '5000'`)
	r, err = s.RunSaved(ctx, RunSavedInput{Name: "gl-sub", Period: "2025-10"})
	if err != nil || !r.Agree || r.Open != 0 || r.Cleared != 1 {
		t.Fatalf("after the fix: %+v %v", r, err)
	}
	all, _ := s.Items(ItemsInput{Name: "gl-sub", All: true})
	if len(all.Items) != 2 {
		t.Fatalf("%d items kept, want 2", len(all.Items))
	}
	if _, err := s.RunSaved(ctx, RunSavedInput{Name: "gl-sub", Period: "Sept"}); err == nil {
		t.Fatal("a period that is not YYYY-MM was accepted")
	}
}

// A saved rows reconciliation by a date column: only the month's rows
// are compared, and each orphan is an item.
func TestSavedRowsByDate(t *testing.T) {
	e := newRowsEnv(t, false, false)
	execDuck(t, e,
		`CREATE TABLE bank (ref VARCHAR, value_date DATE, amount DECIMAL(18,2))`,
		`CREATE TABLE ledger (ref VARCHAR, value_date DATE, amount DECIMAL(18,2))`,
		`INSERT INTO bank VALUES ('a','2025-09-03',10.00),('b','2025-09-30',20.00),('c','2025-10-01',30.00)`,
		`INSERT INTO ledger VALUES ('a','2025-09-03',10.00),('c','2025-10-01',31.00)`)
	s := e.svc
	if _, err := s.Save(SaveInput{Definition: Definition{Name: "bank", Kind: "rows", PeriodColumn: "value_date", PeriodType: "date",
		Rows: &RowsInput{Left: "duck.bank", Right: "duck.ledger", Key: []string{"ref"}}}}); err != nil {
		t.Fatal(err)
	}
	r, err := s.RunSaved(context.Background(), RunSavedInput{Name: "bank", Period: "2025-09"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Open != 1 || r.Items[0].Kind != "only_left" || r.Items[0].Key["ref"] != "b" {
		t.Fatalf("September: %+v", r.Items)
	}
	r, err = s.RunSaved(context.Background(), RunSavedInput{Name: "bank", Period: "2025-10"})
	if err != nil || r.Open != 1 || r.Items[0].Kind != "changed" {
		t.Fatalf("October: %+v %v", r, err)
	}
}
