package deploy_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/testenv/sparkconn"
)

// sparkTarget is a fresh schema on the Spark test engine (Delta tables,
// dialect databricks), dropped with the test.
func sparkTarget(t testing.TB) *target {
	t.Helper()
	c := sparkconn.Open(t, "spark")
	return &target{name: "spark", conn: c, schema: c.Schema()}
}

// TestDeployOnSpark: plan, apply, re-plan, v1 → v2 and rollback on Spark
// with Delta through the unchanged deploy package (no transactions: the
// compensating path, backups by ALTER TABLE ... RENAME TO, definitions
// read back with SHOW CREATE TABLE), and after each step the target holds
// what DuckDB holds after the same step.
func TestDeployOnSpark(t *testing.T) {
	sp, duck := sparkTarget(t), duckTarget(t, "")
	ctx := context.Background()
	var ledgers []*deploy.Ledger
	for _, tg := range []*target{sp, duck} {
		tg.seed(t)
		_, l := newProject(t)
		ledgers = append(ledgers, l)
	}
	same := func(what string) {
		t.Helper()
		sameSnapshot(t, what+": Spark against DuckDB", duck.snapshot(t), sp.snapshot(t))
	}
	same("seeded")
	var v2 *deploy.Record
	for v := 1; v <= 2; v++ {
		for i, tg := range []*target{sp, duck} {
			p, err := deploy.NewPlan(ctx, tg.conn, "wh", tg.design(v), ledgers[i])
			if err != nil {
				t.Fatal(err)
			}
			if v == 2 {
				want := map[string]deploy.Action{"dim_account": "unchanged", "fct_gl": "replace", "vw_balance": "replace", "vw_top": "create", "dt_summary": "drop"}
				for k, a := range want {
					if actions(p)[k] != a {
						t.Fatalf("%s v2 plan: %v, want %v", tg.name, actions(p), want)
					}
				}
			}
			r, err := deploy.Apply(ctx, tg.conn, p, ledgers[i], deploy.ApplyOptions{})
			if err != nil {
				t.Fatalf("%s v%d: %v", tg.name, v, err)
			}
			if tg == sp {
				if r.Transactional {
					t.Fatal("a deployment on Spark says it was transactional")
				}
				if v == 2 {
					v2 = r
				}
			}
		}
		same("after v" + string(rune('0'+v)))
		if v == 1 {
			// Nothing changed: nothing to do.
			p, err := deploy.NewPlan(ctx, sp.conn, "wh", sp.design(1), ledgers[0])
			if err != nil {
				t.Fatal(err)
			}
			if p.Unchanged != 4 || p.Changes() != 0 {
				t.Fatalf("second plan: %+v", actions(p))
			}
		}
	}
	if _, err := deploy.Rollback(ctx, sp.conn, ledgers[0], v2.ID, deploy.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	all, _ := ledgers[1].All("wh")
	if _, err := deploy.Rollback(ctx, duck.conn, ledgers[1], all[len(all)-1].ID, deploy.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	same("after rolling back v2")
	if got := sp.snapshot(t); !strings.Contains(got["dt_summary"], "rows=1") || got["vw_top"] != "" {
		t.Fatalf("after rollback: %v", got)
	}
}

// TestFaultInjectionOnSpark makes statement k of a deployment fail (from
// an empty target, v1, and over a deployed one, v1 → v2): the Delta
// tables and views must be exactly as before and the ledger must name the
// failing statement, with only compensation after it. CI runs the first,
// a middle and the last failure point of each; DATABRIDGE_SPARK_FULL=1
// (make test-spark) runs every one.
func TestFaultInjectionOnSpark(t *testing.T) {
	tg := sparkTarget(t)
	tg.seed(t)
	_, l := newProject(t)
	full := os.Getenv("DATABRIDGE_SPARK_FULL") == "1"
	runFaults := func(version int, points []int) {
		t.Helper()
		before := tg.snapshot(t)
		for _, k := range points {
			f := &faulty{Connector: tg.conn, failAt: k}
			r, err := deployDesign(t, f, l, tg.design(version), deploy.ApplyOptions{})
			if err == nil {
				t.Fatalf("v%d k=%d: no failure (%d statements ran); record %s", version, k, f.calls, r.Status)
			}
			if !errors.Is(err, errInjected) {
				t.Fatalf("v%d k=%d: %v", version, k, err)
			}
			sameSnapshot(t, "v"+itoa(version)+" after a failure at statement "+itoa(k), before, tg.snapshot(t))
			got, gerr := l.Get(r.ID)
			if gerr != nil {
				t.Fatal(gerr)
			}
			if got.Status != deploy.StatusFailed || got.FailedStatement < 0 || got.Transactional ||
				!strings.Contains(got.Statements[got.FailedStatement].Error, "injected failure at statement "+itoa(k)) {
				t.Fatalf("v%d k=%d: ledger record %s: status %s, failed %d, error %q", version, k, got.ID, got.Status, got.FailedStatement, got.Error)
			}
			for _, s := range got.Statements[got.FailedStatement+1:] {
				if s.Phase != deploy.PhaseCompensate {
					t.Fatalf("v%d k=%d: %s statement after the failure: %s", version, k, s.Phase, s.SQL)
				}
			}
		}
	}
	// The statements of a clean deployment of each version, counted on
	// a scratch schema deployed the same way; the clean-up of backups
	// after the commit is not a failure point (a failure there leaves a
	// backup table and a note, TestFaultInjection covers it).
	n := map[int]int{}
	{
		scratch := sparkTarget(t)
		scratch.seed(t)
		_, sl := newProject(t)
		for v := 1; v <= 2; v++ {
			f := &faulty{Connector: scratch.conn}
			r, err := deployDesign(t, f, sl, scratch.design(v), deploy.ApplyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if f.calls != len(r.Statements) {
				t.Fatalf("v%d: %d statements executed, %d recorded", v, f.calls, len(r.Statements))
			}
			for _, s := range r.Statements {
				if s.Phase != deploy.PhaseCleanup {
					n[v]++
				}
			}
		}
	}
	points := func(v int) []int {
		if full {
			var all []int
			for k := 1; k <= n[v]; k++ {
				all = append(all, k)
			}
			return all
		}
		return []int{1, (n[v] + 1) / 2, n[v]}
	}
	if n[1] < 6 || n[2] < 6 {
		t.Fatalf("too few statements: %d, %d", n[1], n[2])
	}
	runFaults(1, points(1))
	mustDeploy(t, tg.conn, l, tg.design(1))
	runFaults(2, points(2))
	t.Logf("spark: %d statements on the first deployment, %d on the second; failure points tried: %v, %v", n[1], n[2], points(1), points(2))
}

// TestDeltaTimeTravelOnSpark records why deploy on Databricks compensates
// with renamed backups and not with Delta time travel (docs/connectors.md,
// "Deploy guarantees on Databricks"): RESTORE TABLE ... TO VERSION AS OF
// brings back the rows and schema of a table replaced in place (CREATE OR
// REPLACE TABLE keeps its history), but a table dropped and created again
// starts a new history, so the version it had before cannot be restored,
// and views have no history at all. Deploy replaces and drops tables and
// views, so time travel alone cannot undo a deployment.
func TestDeltaTimeTravelOnSpark(t *testing.T) {
	c := sparkconn.Open(t, "spark")
	ctx := context.Background()
	exec := func(q string) {
		t.Helper()
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rows := func(q string) string {
		t.Helper()
		res, err := c.Query(ctx, q, connector.QueryOptions{MaxRows: -1})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var out []string
		for _, r := range res.Rows {
			out = append(out, fmt.Sprint(r...))
		}
		return strings.Join(out, ";")
	}
	// versions lists the table's history, newest first (DESCRIBE
	// HISTORY is not a relation Spark lets a query select from).
	versions := func() []string {
		t.Helper()
		res, err := c.Query(ctx, "DESCRIBE HISTORY t", connector.QueryOptions{MaxRows: -1})
		if err != nil {
			t.Fatal(err)
		}
		var v []string
		for _, r := range res.Rows {
			v = append(v, fmt.Sprint(r[0]))
		}
		return v
	}
	exec("CREATE TABLE t (k INT, v DECIMAL(10,2))")
	exec("INSERT INTO t VALUES (1, 1.50), (2, 2.25)")
	before := rows("SELECT k, v FROM t ORDER BY k")
	version := versions()[0]

	// Replaced in place: RESTORE gives back rows and schema.
	exec("CREATE OR REPLACE TABLE t (k INT, w STRING)")
	exec("INSERT INTO t VALUES (9, 'new')")
	exec("RESTORE TABLE t TO VERSION AS OF " + version)
	if got := rows("SELECT k, v FROM t ORDER BY k"); got != before {
		t.Fatalf("after RESTORE of a replaced table: %q, want %q", got, before)
	}

	// Dropped and created again: the history starts over, the old
	// version is gone.
	exec("DROP TABLE t")
	exec("CREATE TABLE t (k INT, w STRING)")
	if got := versions(); len(got) != 1 || got[0] != "0" {
		t.Fatalf("history of a re-created table: versions %v, want only 0", got)
	}
	if _, err := c.Exec(ctx, "RESTORE TABLE t TO VERSION AS OF "+version); err == nil && version != "0" {
		if got := rows("SELECT k, v FROM t ORDER BY k"); got == before {
			t.Fatal("RESTORE brought back a dropped table's rows: time travel could compensate drops; revisit deploy's backups")
		}
	}
}
