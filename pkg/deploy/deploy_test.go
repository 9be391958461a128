package deploy_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/deploy"
)

var engines = []struct {
	name string
	open func(t testing.TB) *target
}{
	{"duckdb", func(t testing.TB) *target { return duckTarget(t, "") }},
	{"postgres", pgTarget},
	{"mariadb", myTarget},
}

func actions(p *deploy.Plan) map[string]deploy.Action {
	out := map[string]deploy.Action{}
	for _, it := range p.Items {
		out[it.Object.Name] = it.Action
	}
	return out
}

func TestPlanApplyRedeploy(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			tg := e.open(t)
			tg.seed(t)
			_, l := newProject(t)
			ctx := context.Background()
			p, err := deploy.NewPlan(ctx, tg.conn, "wh", tg.design(1), l)
			if err != nil {
				t.Fatal(err)
			}
			if p.Creates != 4 || p.Changes() != 4 {
				t.Fatalf("first plan: %+v", actions(p))
			}
			var progress []string
			r, err := deploy.Apply(ctx, tg.conn, p, l, deploy.ApplyOptions{Progress: func(done, total int, obj, stmt string) {
				progress = append(progress, obj)
			}})
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != deploy.StatusCommitted || len(progress) == 0 {
				t.Fatalf("status %s, %d progress calls", r.Status, len(progress))
			}
			v1 := tg.snapshot(t)
			if !strings.Contains(v1["dt_summary"], "rows=1") || !strings.Contains(v1["vw_balance"], "rows=3") {
				t.Fatalf("v1 data: %v", v1)
			}
			// The same design again: nothing to do.
			p, err = deploy.NewPlan(ctx, tg.conn, "wh", tg.design(1), l)
			if err != nil {
				t.Fatal(err)
			}
			if p.Unchanged != 4 || p.Changes() != 0 {
				t.Fatalf("second plan: %+v", actions(p))
			}
			// Forced: every object re-created, including tables with
			// dependent views (PostgreSQL refuses to drop those unless the
			// views go first).
			if _, err := deploy.Apply(ctx, tg.conn, p, l, deploy.ApplyOptions{Force: true}); err != nil {
				t.Fatal(err)
			}
			sameSnapshot(t, "forced redeploy", v1, tg.snapshot(t))
			// v2: fct_gl changes, so vw_balance (unchanged text) is
			// re-created; dt_summary goes; vw_top comes.
			p, err = deploy.NewPlan(ctx, tg.conn, "wh", tg.design(2), l)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]deploy.Action{"dim_account": "unchanged", "fct_gl": "replace", "vw_balance": "replace", "vw_top": "create", "dt_summary": "drop"}
			for k, v := range want {
				if actions(p)[k] != v {
					t.Fatalf("v2 plan: %v, want %v", actions(p), want)
				}
			}
			if _, err := deploy.Apply(ctx, tg.conn, p, l, deploy.ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
			v2 := tg.snapshot(t)
			if _, ok := v2["dt_summary"]; ok || v2["vw_top"] == "" {
				t.Fatalf("v2: %v", v2)
			}
			// An object dropped behind databridge's back is created again.
			tg.exec(t, "DROP VIEW "+tg.q("vw_top"))
			p, err = deploy.NewPlan(ctx, tg.conn, "wh", tg.design(2), l)
			if err != nil {
				t.Fatal(err)
			}
			if actions(p)["vw_top"] != deploy.ActionCreate || p.Changes() != 1 {
				t.Fatalf("after manual drop: %v", actions(p))
			}
			hist, err := l.History("wh")
			if err != nil || len(hist) != 3 {
				t.Fatalf("history: %v %v", hist, err)
			}
		})
	}
}

// TestFaultInjection makes statement k of n fail, for every k: from an
// empty target (v1) and over a deployed one (v1 → v2). After each failure
// the target must equal its snapshot and the ledger must name the failing
// statement.
func TestFaultInjection(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			tg := e.open(t)
			tg.seed(t)
			_, l := newProject(t)
			runFaults := func(version int) int {
				t.Helper()
				before := tg.snapshot(t)
				for k := 1; ; k++ {
					f := &faulty{Connector: tg.conn, failAt: k}
					r, err := deployDesign(t, f, l, tg.design(version), deploy.ApplyOptions{})
					if err == nil {
						if k <= f.calls {
							// Only the clean-up after commit may fail without
							// failing the deployment: a backup table is left
							// behind and the record says so.
							if r.Status != deploy.StatusCommitted || len(r.Notes) == 0 || !strings.Contains(strings.Join(r.Notes, "\n"), "was not dropped") {
								t.Fatalf("k=%d: no failure although %d statements ran; record %+v", k, f.calls, r)
							}
						}
						return k - 1
					}
					if !errors.Is(err, errInjected) {
						t.Fatalf("k=%d: %v", k, err)
					}
					sameSnapshot(t, "after a failure at statement "+itoa(k), before, tg.snapshot(t))
					got, gerr := l.Get(r.ID)
					if gerr != nil {
						t.Fatal(gerr)
					}
					if got.Status != deploy.StatusFailed || got.FailedStatement < 0 ||
						!strings.Contains(got.Statements[got.FailedStatement].Error, "injected failure at statement "+itoa(k)) ||
						!strings.Contains(got.Error, "injected") {
						t.Fatalf("k=%d: ledger record %s: status %s, failed %d, error %q", k, got.ID, got.Status, got.FailedStatement, got.Error)
					}
					if !got.Transactional {
						for _, s := range got.Statements[got.FailedStatement+1:] {
							if s.Phase != deploy.PhaseCompensate {
								t.Fatalf("k=%d: %s statement after the failure: %s", k, s.Phase, s.SQL)
							}
						}
					}
				}
			}
			n1 := runFaults(1)
			n2 := runFaults(2)
			t.Logf("%s: %d failure points on the first deployment, %d on the second", e.name, n1, n2)
			if n1 < 6 || n2 < 6 {
				t.Fatalf("too few statements: %d, %d", n1, n2)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestValidationFailure(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			tg := e.open(t)
			tg.seed(t)
			_, l := newProject(t)
			mustDeploy(t, tg.conn, l, tg.design(1))
			before := tg.snapshot(t)
			var seen any
			r, err := deployDesign(t, tg.conn, l, tg.design(2), deploy.ApplyOptions{
				Validate: func(ctx context.Context, q connector.Querier) (bool, any, error) {
					res, err := q.Query(ctx, "SELECT COUNT(*) FROM "+tg.q("vw_top"), connector.QueryOptions{})
					if err != nil {
						return false, nil, err
					}
					seen = res.Rows[0][0]
					return false, map[string]any{"checks": 1, "failed": 1}, nil
				}})
			if !errors.Is(err, deploy.ErrValidationFailed) {
				t.Fatalf("want ErrValidationFailed, got %v", err)
			}
			if seen == nil {
				t.Fatal("the validator did not see the new objects")
			}
			sameSnapshot(t, "after a failed validation", before, tg.snapshot(t))
			got, _ := l.Get(r.ID)
			if got.Status != deploy.StatusFailed || got.Validation == nil {
				t.Fatalf("record: %+v", got)
			}
		})
	}
}

func TestRollback(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			tg := e.open(t)
			tg.seed(t)
			_, l := newProject(t)
			ctx := context.Background()
			empty := tg.snapshot(t)
			mustDeploy(t, tg.conn, l, tg.design(1))
			v1 := tg.snapshot(t)
			r2 := mustDeploy(t, tg.conn, l, tg.design(2))
			rb, err := deploy.Rollback(ctx, tg.conn, l, r2.ID, deploy.ApplyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sameSnapshot(t, "after rollback", v1, tg.snapshot(t))
			if rb.Kind != deploy.KindRollback || rb.RollbackOf != r2.ID || rb.Status != deploy.StatusCommitted {
				t.Fatalf("rollback record: %+v", rb)
			}
			got, _ := l.Get(r2.ID)
			if got.Status != deploy.StatusRolledBack || got.RolledBackBy != rb.ID {
				t.Fatalf("v2 record after rollback: %s by %s", got.Status, got.RolledBackBy)
			}
			if _, err := deploy.Rollback(ctx, tg.conn, l, r2.ID, deploy.ApplyOptions{}); err == nil {
				t.Fatal("a second rollback of the same deployment succeeded")
			}
			// The ledger now says v1: planning v1 changes nothing.
			p, err := deploy.NewPlan(ctx, tg.conn, "wh", tg.design(1), l)
			if err != nil {
				t.Fatal(err)
			}
			if p.Changes() != 0 {
				t.Fatalf("plan after rollback: %v", actions(p))
			}
			// Rolling back the first deployment (still committed) empties
			// the target but for the source table.
			all, _ := l.All("wh")
			if _, err := deploy.Rollback(ctx, tg.conn, l, all[0].ID, deploy.ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
			sameSnapshot(t, "after rolling back the first deployment", empty, tg.snapshot(t))
		})
	}
}

func TestRollbackFirst(t *testing.T) {
	tg := duckTarget(t, "")
	tg.seed(t)
	_, l := newProject(t)
	before := tg.snapshot(t)
	r1 := mustDeploy(t, tg.conn, l, tg.design(1))
	if _, err := deploy.Rollback(context.Background(), tg.conn, l, r1.ID, deploy.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, "after rolling back the first deployment", before, tg.snapshot(t))
}

func TestConcurrentApply(t *testing.T) {
	tg := duckTarget(t, filepath.Join(t.TempDir(), "wh.duckdb"))
	tg.seed(t)
	_, l := newProject(t)
	ctx := context.Background()
	var plans []*deploy.Plan
	for range 2 {
		p, err := deploy.NewPlan(ctx, tg.conn, "wh", tg.design(1), l)
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, p)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { _, errs[i] = deploy.Apply(ctx, tg.conn, plans[i], l, deploy.ApplyOptions{}) })
	}
	wg.Wait()
	ok, stale := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, deploy.ErrStalePlan):
			stale++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || stale != 1 {
		t.Fatalf("want one deployment and one stale plan, got %v", errs)
	}
}

func TestSplitStatements(t *testing.T) {
	cases := []struct {
		d, in string
		want  []string
	}{
		{"mysql", "DROP TABLE IF EXISTS `a;b`;\nCREATE TABLE `a;b` (x VARCHAR(3) DEFAULT ';')", []string{"DROP TABLE IF EXISTS `a;b`", "CREATE TABLE `a;b` (x VARCHAR(3) DEFAULT ';')"}},
		{"mysql", `SELECT 'it\'s; fine', "q;" -- c;omment` + "\n# x;y\n;;", []string{`SELECT 'it\'s; fine', "q;" -- c;omment` + "\n# x;y"}},
		{"postgres", "SELECT 'a'';b'; SELECT $f$ x; y $f$; /* ; */ SELECT \"x;\"", []string{"SELECT 'a'';b'", "SELECT $f$ x; y $f$", "/* ; */ SELECT \"x;\""}},
		{"postgres", "SELECT $1; SELECT 2", []string{"SELECT $1", "SELECT 2"}},
		{"sqlserver", "SELECT [a;b]; SELECT 1", []string{"SELECT [a;b]", "SELECT 1"}},
		{"duckdb", " -- only a comment;\n ", nil},
		// The lexer the read-only guard uses: nested comments on
		// PostgreSQL/DuckDB, E'' strings, MySQL's "--" only before space.
		{"postgres", "/* a /* b; */ c; */ SELECT 1; SELECT E'x\\';y'", []string{"/* a /* b; */ c; */ SELECT 1", "SELECT E'x\\';y'"}},
		{"duckdb", "SELECT 'C:\\'; SELECT 2", []string{"SELECT 'C:\\'", "SELECT 2"}},
		{"mysql", "SELECT 1 --x;\nSELECT 2", []string{"SELECT 1 --x", "SELECT 2"}},
		{"postgres", "SELECT 'unterminated; SELECT 2", []string{"SELECT 'unterminated; SELECT 2"}},
	}
	for _, c := range cases {
		got := deploy.SplitStatements(c.d, c.in)
		if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("%s %q:\n got %q\nwant %q", c.d, c.in, got, c.want)
		}
	}
}
