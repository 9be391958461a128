package deploy_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/duckdb"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/testenv"
	"github.com/databridge/databridge/pkg/testenv/sparkconn"
	"github.com/databridge/databridge/pkg/warehouse"
)

// The child process of TestKillMidDeploy: it deploys v2 plus a slow
// object and says SLEEPING when it reaches the slow statement; the parent
// kills it there with SIGKILL.
const (
	envChild   = "DATABRIDGE_DEPLOY_KILL_CHILD"
	envProject = "DATABRIDGE_DEPLOY_KILL_PROJECT"
	envWhere   = "DATABRIDGE_DEPLOY_KILL_WHERE"
	slowMarker = "slow_marker"
)

// openExisting connects to a target the parent made.
func openExisting(t testing.TB, engine, where string) *target {
	t.Helper()
	ctx := context.Background()
	switch engine {
	case "duckdb":
		db, err := duckdb.OpenDB(where, false)
		if err != nil {
			t.Fatal(err)
		}
		return &target{name: engine, conn: duckdb.NewConn("duck", db)}
	case "postgres":
		c, err := connector.Open(ctx, "pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}", Schema: where})
		if err != nil {
			t.Fatal(err)
		}
		return &target{name: engine, conn: c, schema: where}
	case "mariadb":
		c, err := connector.Open(ctx, "my", connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}", Schema: where})
		if err != nil {
			t.Fatal(err)
		}
		return &target{name: engine, conn: c, schema: where}
	case "spark":
		// The runner every test process shares (its catalog is the
		// parent's); the child's connection is a session of its own.
		r, err := sparkconn.Dial(ctx, os.Getenv(sparkconn.URLEnv))
		if err != nil {
			t.Fatal(err)
		}
		return &target{name: engine, conn: sparkconn.New(r, "spark", where), schema: where}
	}
	t.Fatalf("unknown engine %s", engine)
	return nil
}

// slowDesign is v2 with an object whose load takes long.
func (tg *target) slowDesign() *warehouse.Design {
	d := tg.design(2)
	var load string
	switch tg.conn.Dialect() {
	case "duckdb":
		load = "INSERT INTO " + tg.q("slow") + " SELECT sum(i % 7) AS " + slowMarker + " FROM range(100000000000) t(i)"
	case "postgres":
		load = "SELECT pg_sleep(4) AS " + slowMarker
	case "mysql":
		load = "DO SLEEP(30) /* " + slowMarker + " */"
	case "databricks":
		// A minute or more of work on two cores (bounded, should the
		// cancellation miss); the runner cancels it when the killed
		// child's connection closes.
		load = "INSERT INTO " + tg.q("slow") + " SELECT sum(id % 7) AS " + slowMarker + " FROM range(2000000000)"
	}
	d.Objects = append(d.Objects, tg.obj("slow", warehouse.KindTable, []string{"fct_gl"}, tg.createTable("slow", "(n BIGINT)"), load))
	return d
}

func TestKillChild(t *testing.T) {
	engine := os.Getenv(envChild)
	if engine == "" {
		t.Skip("the child of TestKillMidDeploy")
	}
	p, err := project.Open(os.Getenv(envProject))
	if err != nil {
		t.Fatal(err)
	}
	l := deploy.NewLedger(p)
	tg := openExisting(t, engine, os.Getenv(envWhere))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	plan, err := deploy.NewPlan(ctx, tg.conn, "wh", tg.slowDesign(), l)
	if err != nil {
		t.Fatal(err)
	}
	_, err = deploy.Apply(ctx, tg.conn, plan, l, deploy.ApplyOptions{Progress: func(done, total int, obj, stmt string) {
		if strings.Contains(stmt, slowMarker) {
			fmt.Fprintln(os.Stdout, "SLEEPING")
		}
	}})
	fmt.Fprintln(os.Stdout, "FINISHED", err)
}

// runAndKill starts the child and SIGKILLs it at the slow statement.
func runAndKill(t *testing.T, engine, root, where string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChild+"="+engine, envProject+"="+root, envWhere+"="+where)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(90 * time.Second)
	for reached := false; !reached; {
		select {
		case line, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				t.Fatal("the child ended before the slow statement")
			}
			if strings.HasPrefix(line, "FINISHED") {
				t.Fatalf("the child finished: %s", line)
			}
			reached = line == "SLEEPING"
		case <-timeout:
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatal("the child did not reach the slow statement in 90s")
		}
	}
	time.Sleep(200 * time.Millisecond) // let the statement start
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	go func() {
		for range lines {
		}
	}()
}

func TestKillMidDeploy(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	for _, engine := range []string{"duckdb", "postgres", "mariadb", "spark"} {
		t.Run(engine, func(t *testing.T) {
			var tg *target
			var where string
			switch engine {
			case "duckdb":
				where = filepath.Join(t.TempDir(), "wh.duckdb")
				tg = openExisting(t, engine, where)
			case "postgres":
				tg = pgTarget(t)
				where = tg.schema
			case "mariadb":
				tg = myTarget(t)
				where = tg.schema
			case "spark":
				// The child joins the runner the parent uses: one
				// listening for connections (.ci/run starts it).
				testenv.Need(t, sparkconn.URLEnv, "a listening Spark runner shared by processes (.ci/run starts one)")
				tg = sparkTarget(t)
				where = tg.schema
			}
			p, l := newProject(t)
			ctx := context.Background()
			tg.seed(t)
			mustDeploy(t, tg.conn, l, tg.design(1))
			before := tg.snapshot(t)
			reopen := func() {
				if engine == "duckdb" { // one process at a time on the file
					tg.conn.Close()
				}
				runAndKill(t, engine, p.Root, where)
				if engine == "duckdb" {
					tg = openExisting(t, engine, where)
				}
			}

			// 1. Killed; the plan reports the unfinished deployment and
			// Recover puts the target back.
			reopen()
			last, err := l.Latest("wh")
			if err != nil || last.Status != deploy.StatusRunning {
				t.Fatalf("after the kill the latest record is %+v (%v)", last, err)
			}
			// status says the process is gone, with its pid, host and start
			if want := fmt.Sprintf("process %d on host %s started at ", last.PID, last.Host); last.PID == os.Getpid() || !strings.Contains(last.Interrupted, want) || !strings.Contains(last.Interrupted, "is no longer running") {
				t.Fatalf("after the kill: interrupted = %q (pid %d, host %s)", last.Interrupted, last.PID, last.Host)
			}
			plan, err := deploy.NewPlan(ctx, tg.conn, "wh", tg.design(2), l)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Unfinished) != 1 || plan.Unfinished[0] != last.ID {
				t.Fatalf("plan.Unfinished = %v, want [%s]", plan.Unfinished, last.ID)
			}
			recs, err := deploy.Recover(ctx, tg.conn, l, "wh")
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 || recs[0].Status != deploy.StatusRecovered {
				t.Fatalf("recovered: %+v", recs)
			}
			if got, _ := l.Get(last.ID); got.Interrupted != "" || recs[0].Interrupted != "" {
				t.Fatalf("a recovered deployment is still reported interrupted: %q", got.Interrupted)
			}
			sameSnapshot(t, "after recovery", before, tg.snapshot(t))

			// 2. Killed again; this time Apply recovers by itself and
			// deploys.
			reopen()
			last, _ = l.Latest("wh")
			plan, err = deploy.NewPlan(ctx, tg.conn, "wh", tg.design(2), l)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := deploy.Apply(ctx, tg.conn, plan, l, deploy.ApplyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rec.Status != deploy.StatusCommitted || !strings.Contains(strings.Join(rec.Notes, "\n"), last.ID) {
				t.Fatalf("deploy after the kill: %s %v", rec.Status, rec.Notes)
			}
			killed, _ := l.Get(last.ID)
			if killed.Status != deploy.StatusRecovered {
				t.Fatalf("killed deployment is %s: %v", killed.Status, killed.Notes)
			}
			after := tg.snapshot(t)
			if _, ok := after["vw_top"]; !ok {
				t.Fatalf("v2 not deployed: %v", after)
			}
			if _, ok := after["slow"]; ok {
				t.Fatalf("the killed deployment's object is visible: %v", after)
			}
			t.Logf("%s: recovered %s; notes: %v", engine, killed.ID, killed.Notes)
		})
	}
}
