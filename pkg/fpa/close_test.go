package fpa_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/connections"
	_ "github.com/databridge/databridge/pkg/connector/all"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/fpa"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
	"github.com/databridge/databridge/pkg/reconcile"
)

var (
	qsOnce sync.Once
	qsDir  string
	qsErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if qsDir != "" {
		os.RemoveAll(filepath.Dir(qsDir))
	}
	os.Exit(code)
}

// quickstartCopy is a copy of the quickstart project (deployed finance
// warehouse, P&L hierarchy pl, fiscal year from July, data to June 2026).
func quickstartCopy(t *testing.T) string {
	t.Helper()
	qsOnce.Do(func() {
		base, err := os.MkdirTemp("", "fpa-qs-")
		if err != nil {
			qsErr = err
			return
		}
		qsDir = filepath.Join(base, "qs")
		_, qsErr = quickstart.Run(context.Background(), quickstart.Options{Dir: qsDir, Version: "test"})
	})
	if qsErr != nil {
		t.Fatalf("quickstart: %v", qsErr)
	}
	dst := filepath.Join(t.TempDir(), "p")
	if err := os.CopyFS(dst, os.DirFS(qsDir)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// person is who the services act as (the test plays two people).
type person struct{ name string }

func open(t *testing.T, dir string, who *person) *app.Services {
	t.Helper()
	svc, err := app.Open(dir, app.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Close.User = func() string { return who.name }
	return svc
}

// ledgerOracle sums the source CSV's debits and credits of a month in
// USD (amount × the month's rate), and lists its accounts — read
// independently of the warehouse.
func ledgerOracle(t *testing.T, dir, period string) (debit, credit decimal.Decimal, accounts map[string]bool) {
	t.Helper()
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(dir, "data", "finance_erp", name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	rates := map[string]decimal.Decimal{}
	for _, r := range read("exchange_rates.csv")[1:] {
		rates[r[0]+"/"+r[1]] = decimal.RequireFromString(r[2])
	}
	accounts = map[string]bool{}
	gl := read("gl_journal_lines.csv")
	h := map[string]int{}
	for i, c := range gl[0] {
		h[c] = i
	}
	for _, r := range gl[1:] {
		if !strings.HasPrefix(r[h["posting_date"]], period) {
			continue
		}
		rate, ok := rates[r[h["period_id"]]+"/"+r[h["currency_code"]]]
		if !ok {
			t.Fatalf("no rate for %s %s", r[h["period_id"]], r[h["currency_code"]])
		}
		debit = debit.Add(decimal.RequireFromString(r[h["debit"]]).Mul(rate))
		credit = credit.Add(decimal.RequireFromString(r[h["credit"]]).Mul(rate))
		accounts[r[h["account_code"]]] = true
	}
	return debit, credit, accounts
}

func evidence(st *fpa.Step, name string) string {
	for _, e := range st.Evidence {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func TestCloseEndToEnd(t *testing.T) {
	ctx := context.Background()
	dir := quickstartCopy(t)
	alice, bob := &person{"alice"}, &person{"bob"}
	svc := open(t, dir, alice)
	c, err := svc.Close.Start(ctx, fpa.StartInput{Period: "2025-09"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Settings.Hierarchy != "pl" || c.FiscalYear != 2026 || len(c.Steps) != 6 || c.Ready {
		t.Fatalf("start: %+v", c)
	}

	// A late posting to an account the P&L does not map, in the source
	// and loaded into the warehouse (balanced: the trial balance still
	// balances).
	planted := "999001,1,2025-09-30,2025-09,9500,CC110,,,,250.00,0.00,USD,Late posting\n999001,2,2025-09-30,2025-09,1100,CC110,,,,0.00,250.00,USD,Late posting\n"
	f, err := os.OpenFile(filepath.Join(dir, "data", "finance_erp", "gl_journal_lines.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(planted); err != nil {
		t.Fatal(err)
	}
	f.Close()
	conn, err := connections.New(svc.Project).Connect(ctx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO FACT_GL_JOURNAL_LINES (journal_id, line_no, posting_date, period_id, account_code, debit, credit, currency_code, AMOUNT) VALUES (999001, 1, DATE '2025-09-30', '2025-09', 9500, 250.00, 0, 'USD', 250.00)`,
		`INSERT INTO FACT_GL_JOURNAL_LINES (journal_id, line_no, posting_date, period_id, account_code, debit, credit, currency_code, AMOUNT) VALUES (999001, 2, DATE '2025-09-30', '2025-09', 1100, 0, 250.00, 'USD', -250.00)`,
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()

	c, err = svc.Close.Run(ctx, fpa.RunInput{Step: "all"})
	if err != nil {
		t.Fatal(err)
	}
	wantDr, wantCr, accounts := ledgerOracle(t, dir, "2025-09")
	tb := c.Step(fpa.StepTrialBalance)
	if tb.State != fpa.StateDone || !decimal.RequireFromString(evidence(tb, "debits")).Equal(wantDr) || !decimal.RequireFromString(evidence(tb, "credits")).Equal(wantCr) {
		t.Fatalf("trial balance: %+v, want debits %s credits %s", tb, wantDr, wantCr)
	}
	if evidence(tb, "journals out of balance") != "0" {
		t.Fatalf("journals: %+v", tb.Evidence)
	}
	mp := c.Step(fpa.StepMapping)
	if mp.State != fpa.StateFailed || !strings.Contains(mp.Summary, "9500") || len(mp.Problems) != 1 || evidence(mp, "accounts posted") != decimal.NewFromInt(int64(len(accounts))).String() {
		t.Fatalf("mapping should fail on 9500 alone: %+v (accounts %d)", mp, len(accounts))
	}
	if d := c.Step(fpa.StepData); d.State != fpa.StateDone || d.By != "alice" || d.At == nil {
		t.Fatalf("data: %+v", d)
	}
	if r := c.Step(fpa.StepReconciliations); r.State != fpa.StateBlocked || !strings.Contains(r.Summary, "needs saved reconciliations") {
		t.Fatalf("reconciliations: %+v", r)
	}
	if f := c.Step(fpa.StepForecast); f.State != fpa.StateDone || evidence(f, "forecast 2025-10") == "" {
		t.Fatalf("forecast: %+v", f)
	}
	v := c.Step(fpa.StepVariance)
	if v.State != fpa.StateNeedsInput || len(v.Commentary) == 0 {
		t.Fatalf("variance: %+v", v)
	}
	for _, cm := range v.Commentary {
		// Each drafted item is over the threshold and its bridge closes.
		if cm.Change.Abs().LessThan(fpa.DefaultThresholdAmount) || !strings.Contains(cm.Draft, cm.Label) {
			t.Fatalf("commentary %s: %+v", cm.Key, cm)
		}
		sum := decimal.Zero
		for _, s := range cm.Bridge[1 : len(cm.Bridge)-1] {
			sum = sum.Add(s.Value)
		}
		if !cm.Bridge[0].Value.Add(sum).Equal(cm.Bridge[len(cm.Bridge)-1].Value) || !cm.Actual.Sub(cm.Comparison).Equal(cm.Change) {
			t.Fatalf("commentary %s: bridge does not close: %+v", cm.Key, cm.Bridge)
		}
	}
	if len(c.Failed()) != 1 || c.Failed()[0] != fpa.StepMapping {
		t.Fatalf("failed steps: %v", c.Failed())
	}
	if _, err := open(t, dir, bob).Close.SignOff(ctx, fpa.SignOffInput{}); !errors.Is(err, fpa.ErrNotReady) {
		t.Fatalf("sign-off with a failed step: %v", err)
	}

	// Fix: map the account, deploy, run again (re-running is safe).
	if _, err := svc.Hierarchies.AddRule(ctx, "pl", "OTHER_NON_OPERATING", hierarchy.Rule{Match: hierarchy.MatchExact, Value: "9500"}); err != nil {
		t.Fatal(err)
	}
	if _, err := open(t, dir, alice).Deploy.Deploy(ctx, deploy.DeployInput{}); err != nil {
		t.Fatal(err)
	}
	svc = open(t, dir, alice)
	for range 2 {
		if c, err = svc.Close.Run(ctx, fpa.RunInput{Step: "mapping"}); err != nil {
			t.Fatal(err)
		}
	}
	if mp := c.Step(fpa.StepMapping); mp.State != fpa.StateDone || mp.Runs != 3 {
		t.Fatalf("mapping after the fix: %+v", mp)
	}
	// A saved reconciliation (staging against the fact, by account, for
	// the month) runs in the step and agrees.
	saveGLLoad(t, svc)
	if c, err = svc.Close.Run(ctx, fpa.RunInput{Step: "reconciliations"}); err != nil {
		t.Fatal(err)
	}
	if r := c.Step(fpa.StepReconciliations); r.State != fpa.StateDone || evidence(r, "reconciliation gl_load") != "agrees" {
		t.Fatalf("reconciliations: %+v", r)
	}
	// The fix moved the numbers: commentary is drafted from them again.
	if c, err = svc.Close.Run(ctx, fpa.RunInput{Step: "variance"}); err != nil {
		t.Fatal(err)
	}
	v = c.Step(fpa.StepVariance)
	// Commentary: one written, the rest accepted as drafted.
	key := v.Commentary[0].Key
	if c, err = svc.Close.Note(ctx, fpa.NoteInput{Step: "variance", Item: key, Text: "Timing of the September invoicing run."}); err != nil {
		t.Fatal(err)
	}
	if c.Step(fpa.StepVariance).State != fpa.StateNeedsInput && len(v.Commentary) > 1 {
		t.Fatalf("one comment should not complete %d", len(v.Commentary))
	}
	if c, err = svc.Close.Note(ctx, fpa.NoteInput{Step: "variance", Accept: true}); err != nil {
		t.Fatal(err)
	}
	// Re-running keeps people's commentary while the numbers stand.
	if c, err = svc.Close.Run(ctx, fpa.RunInput{Step: "variance"}); err != nil {
		t.Fatal(err)
	}
	vs := c.Step(fpa.StepVariance)
	if vs.State != fpa.StateDone || vs.Commentary[0].Status != fpa.CommentWritten || vs.Commentary[0].Text != "Timing of the September invoicing run." {
		t.Fatalf("variance after commentary: %+v", vs)
	}
	if !c.Ready {
		t.Fatalf("not ready: %v", c.Blockers)
	}
	if _, err := svc.Close.SignOff(ctx, fpa.SignOffInput{}); !errors.Is(err, fpa.ErrSamePerson) {
		t.Fatalf("self sign-off: %v", err)
	}
	bobSvc := open(t, dir, bob)
	c, err = bobSvc.Close.SignOff(ctx, fpa.SignOffInput{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != fpa.StatusSignedOff || c.SignOff.By != "bob" || len(c.SignOff.Snapshot) == 0 {
		t.Fatalf("sign-off: %+v", c.SignOff)
	}
	// The snapshot equals what the analytics service says for the month.
	for _, lv := range c.SignOff.Snapshot {
		if lv.Metric != "net_income" && lv.Metric != "other_non_operating" {
			continue
		}
		r, err := bobSvc.Analytics.QueryMetrics(ctx, analyticsArgs(lv.Metric))
		if err != nil {
			t.Fatal(err)
		}
		if got := decimal.RequireFromString(fmt.Sprint(r.Rows[0][0])); !got.Equal(lv.Value) {
			t.Fatalf("snapshot %s = %s, analytics says %s", lv.Metric, lv.Value, got)
		}
	}
	if _, err := bobSvc.Close.Run(ctx, fpa.RunInput{Step: "data"}); !errors.Is(err, fpa.ErrLocked) {
		t.Fatalf("run on a signed-off close: %v", err)
	}

	// A deploy that changes the locked month: a source row of September
	// edited (the source moved to a new folder, so the staging reloads).
	editSource(t, dir)
	res, err := open(t, dir, alice).Deploy.Deploy(ctx, deploy.DeployInput{})
	if !errors.Is(err, fpa.ErrPeriodLocked) || res == nil || res.Deployment.Status == deploy.StatusCommitted {
		t.Fatalf("deploy over a locked period: %v", err)
	}
	if !strings.Contains(err.Error(), "2025-09") || !strings.Contains(err.Error(), "close reopen 2025-09") {
		t.Fatalf("refusal says too little: %v", err)
	}
	// Nothing changed: the snapshot still holds in the warehouse.
	assertSnapshotHolds(t, dir, c)

	if _, err := bobSvc.Close.Reopen(ctx, fpa.ReopenInput{Period: "2025-09"}); err == nil {
		t.Fatal("reopen without a reason")
	}
	c, err = bobSvc.Close.Reopen(ctx, fpa.ReopenInput{Period: "2025-09", Reason: "September rent re-booked"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != fpa.StatusOpen || len(c.PriorSignOffs) != 1 || c.PriorSignOffs[0].Reason != "September rent re-booked" || c.Record[len(c.Record)-1].Action != "reopen" {
		t.Fatalf("reopen: %+v", c)
	}
	if c.Ready || c.Step(fpa.StepData).State != fpa.StatePending {
		t.Fatalf("a reopened close is run again before sign-off: %+v", c.Steps)
	}
	if _, err := open(t, dir, alice).Deploy.Deploy(ctx, deploy.DeployInput{}); err != nil {
		t.Fatalf("deploy after reopen: %v", err)
	}
}

func analyticsArgs(metric string) analytics.QueryArgs {
	return analytics.QueryArgs{Metrics: []string{metric}, Period: "2025-09-01..2025-10-01", Exact: true}
}

// editSource copies the source files to a new folder with September's
// rent doubled and points the source connection there.
func editSource(t *testing.T, dir string) {
	t.Helper()
	src := filepath.Join(dir, "data", "finance_erp")
	dst := filepath.Join(dir, "data", "finance_erp_v2")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	gl := filepath.Join(dst, "gl_journal_lines.csv")
	data, err := os.ReadFile(gl)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	// September rent up 500, and the journal's credit line with it (the
	// ledger stays balanced, so the deploy's own checks pass).
	journal := ""
	for i, l := range lines {
		f := strings.Split(l, ",")
		if len(f) > 10 && f[3] == "2025-09" && f[4] == "6200" && journal == "" {
			f[9] = decimal.RequireFromString(f[9]).Add(decimal.NewFromInt(500)).StringFixed(2)
			lines[i], journal = strings.Join(f, ","), f[0]
		}
	}
	changed := false
	for i, l := range lines {
		f := strings.Split(l, ",")
		if journal != "" && len(f) > 10 && f[0] == journal && !changed && !decimal.RequireFromString(f[10]).IsZero() {
			f[10] = decimal.RequireFromString(f[10]).Add(decimal.NewFromInt(500)).StringFixed(2)
			lines[i], changed = strings.Join(f, ","), true
		}
	}
	if !changed {
		t.Fatal("no September rent journal to change")
	}
	if err := os.WriteFile(gl, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, ".databridge", "config.yaml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	nb := strings.Replace(string(b), "path: data/finance_erp\n", "path: data/finance_erp_v2\n", 1)
	if nb == string(b) {
		t.Fatal("config has no erp path to change")
	}
	if err := os.WriteFile(cfg, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
}

func assertSnapshotHolds(t *testing.T, dir string, c *fpa.Close) {
	t.Helper()
	p, err := project.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := app.New(p, app.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	for _, lv := range c.SignOff.Snapshot {
		if lv.Metric != "rent" {
			continue
		}
		r, err := svc.Analytics.QueryMetrics(context.Background(), analyticsArgs("rent"))
		if err != nil {
			t.Fatal(err)
		}
		if got := decimal.RequireFromString(fmt.Sprint(r.Rows[0][0])); !got.Equal(lv.Value) {
			t.Fatalf("after the refused deploy rent is %s, locked %s", got, lv.Value)
		}
		return
	}
	t.Fatal("rent is not in the snapshot")
}

// A journal that does not balance fails the trial balance, with the
// exact difference and the journal named; the close cannot be signed off.
func TestTrialBalanceOutOfBalance(t *testing.T) {
	ctx := context.Background()
	dir := quickstartCopy(t)
	svc := open(t, dir, &person{"alice"})
	if _, err := svc.Close.Start(ctx, fpa.StartInput{Period: "2025-09", AllowSelfSign: true}); err != nil {
		t.Fatal(err)
	}
	conn, err := connections.New(svc.Project).Connect(ctx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO FACT_GL_JOURNAL_LINES (journal_id, line_no, posting_date, period_id, account_code, debit, credit, currency_code, AMOUNT) VALUES (999002, 1, DATE '2025-09-15', '2025-09', 6200, 100.25, 0, 'USD', 100.25)`); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	c, err := svc.Close.Run(ctx, fpa.RunInput{Step: "trial_balance"})
	if err != nil {
		t.Fatal(err)
	}
	tb := c.Step(fpa.StepTrialBalance)
	wantDr, wantCr, _ := ledgerOracle(t, dir, "2025-09")
	wantDr = wantDr.Add(decimal.RequireFromString("100.25"))
	if tb.State != fpa.StateFailed || evidence(tb, "difference") != wantDr.Sub(wantCr).String() || evidence(tb, "difference") != "100.25" ||
		evidence(tb, "journals out of balance") != "1" || len(tb.Problems) != 1 || !strings.Contains(tb.Problems[0], "journal 999002") {
		t.Fatalf("trial balance: %+v", tb)
	}
	// The fact no longer agrees with staging: the saved reconciliation
	// has an open item for the month and the step fails.
	saveGLLoad(t, svc)
	if c, err = svc.Close.Run(ctx, fpa.RunInput{Step: "reconciliations"}); err != nil {
		t.Fatal(err)
	}
	if r := c.Step(fpa.StepReconciliations); r.State != fpa.StateFailed || evidence(r, "reconciliation gl_load") != "1 differences, 1 open" || !strings.Contains(r.Problems[0], "1 open items for 2025-09") {
		t.Fatalf("reconciliations: %+v", r)
	}
	if _, err := open(t, dir, &person{"bob"}).Close.SignOff(ctx, fpa.SignOffInput{}); !errors.Is(err, fpa.ErrNotReady) || !strings.Contains(err.Error(), "trial_balance failed") {
		t.Fatalf("sign-off: %v", err)
	}
}

// saveGLLoad saves a totals reconciliation of the ledger's staging table
// against its fact, by account, for a month.
func saveGLLoad(t *testing.T, svc *app.Services) {
	t.Helper()
	_, err := svc.Reconcile.Save(reconcile.SaveInput{Definition: reconcile.Definition{Name: "gl_load", Kind: "totals", PeriodColumn: "period_id",
		Totals: &reconcile.TotalsInput{Left: "local.STG_GL_JOURNAL_LINES", Right: "local.FACT_GL_JOURNAL_LINES", By: []string{"account_code"}, Measures: []string{"debit", "credit"}}}})
	if err != nil {
		t.Fatal(err)
	}
}
