package deploy_test

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/deploy"
)

// A deployment killed with -9 leaves a running record; reading it back
// says its process is gone, with the pid, host and start time and what
// to do. A live process, or one on another host, is not called dead.
func TestRunningRecordOfDeadProcess(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("process liveness is checked on unix only")
	}
	// A pid that existed and is gone: a child that was started, killed
	// with SIGKILL and reaped.
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start a child process: %v", err)
	}
	dead := cmd.Process.Pid
	_ = cmd.Process.Kill()
	_ = cmd.Wait()

	host, _ := os.Hostname()
	l := &deploy.Ledger{Dir: t.TempDir()}
	save := func(id string, pid int, host string) *deploy.Record {
		t.Helper()
		rec := &deploy.Record{ID: id, Kind: deploy.KindDeploy, Target: "local", Dialect: "duckdb", Status: deploy.StatusRunning,
			Plan: &deploy.Plan{Target: "local", Dialect: "duckdb"}, Statements: []deploy.StatementRecord{{Object: "X", SQL: "CREATE TABLE X(a INT)", Phase: deploy.PhaseDDL}},
			FailedStatement: -1, PID: pid, Host: host, StartedAt: time.Now().UTC()}
		if err := l.Save(rec); err != nil {
			t.Fatal(err)
		}
		got, err := l.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	got := save("20260101-000000-000-dead", dead, host)
	for _, want := range []string{"process " + strconv.Itoa(dead) + " on host " + host + " started at ", "is no longer running", "interrupted after 1 statements", "databridge deploy"} {
		if !strings.Contains(got.Interrupted, want) {
			t.Errorf("interrupted = %q, want %q in it", got.Interrupted, want)
		}
	}
	if got.Status != deploy.StatusRunning {
		t.Errorf("status = %s: reading must not change the record", got.Status)
	}
	h, err := l.History("local")
	if err != nil || len(h) != 1 || h[0].Interrupted == "" {
		t.Fatalf("history = %+v, %v: want the interruption", h, err)
	}
	// Never stored: the file holds what the deployment wrote.
	data, err := os.ReadFile(l.Dir + "/20260101-000000-000-dead.json")
	if err != nil || strings.Contains(string(data), "interrupted") {
		t.Errorf("ledger file mentions the interruption (%v):\n%s", err, data)
	}

	if got := save("20260101-000000-000-a11e", os.Getpid(), host); got.Interrupted != "" {
		t.Errorf("a live process is reported dead: %s", got.Interrupted)
	}
	if got := save("20260101-000000-000-0e11", dead, host+"-elsewhere"); got.Interrupted != "" {
		t.Errorf("a process on another host is reported dead: %s", got.Interrupted)
	}
	// A pid now held by a process that started after the deployment (the
	// pid was reused) is not the deployment's process.
	if runtime.GOOS == "linux" {
		rec := &deploy.Record{ID: "20260101-000000-000-0ld0", Kind: deploy.KindDeploy, Target: "local", Status: deploy.StatusRunning,
			FailedStatement: -1, PID: os.Getpid(), Host: host, StartedAt: time.Now().UTC().Add(-time.Hour)}
		if err := l.Save(rec); err != nil {
			t.Fatal(err)
		}
		if got, err := l.Get(rec.ID); err != nil || got.Interrupted == "" {
			t.Errorf("a reused pid is taken for the deployment's process (%v)", err)
		}
	}
}
