package deploycmd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/cmd"
	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/project"
)

func run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cmd.Run(context.Background(), args, cmdutil.Test(nil, &out, &errOut))
	return out.String() + errOut.String(), code
}

// A deploy killed with -9 leaves its ledger entry running: deploy status
// and history say its process is gone (pid, host, start) and what to do.
func TestStatusOfKilledDeploy(t *testing.T) {
	t.Chdir(t.TempDir())
	if out, code := run(t, "init"); code != 0 {
		t.Fatalf("init: %d\n%s", code, out)
	}
	p, err := project.Open(".")
	if err != nil {
		t.Fatal(err)
	}
	// A process that existed and was killed with SIGKILL.
	child := exec.Command("sleep", "60")
	if err := child.Start(); err != nil {
		t.Skipf("cannot start a child process: %v", err)
	}
	pid := child.Process.Pid
	_ = child.Process.Kill()
	_ = child.Wait()
	host, _ := os.Hostname()
	rec := &deploy.Record{ID: "20260101-120000-000-beef", Kind: deploy.KindDeploy, Target: p.Config.DefaultTarget, Dialect: "duckdb",
		Status: deploy.StatusRunning, Transactional: true, Plan: &deploy.Plan{Target: p.Config.DefaultTarget, Dialect: "duckdb"},
		Statements: []deploy.StatementRecord{}, FailedStatement: -1, User: "someone", Host: host, PID: pid, StartedAt: time.Now().UTC()}
	if err := deploy.NewLedger(p).Save(rec); err != nil {
		t.Fatal(err)
	}

	out, code := run(t, "deploy", "status")
	if code != 0 {
		t.Fatalf("deploy status: %d\n%s", code, out)
	}
	for _, want := range []string{"running (interrupted: its process is gone)", "process " + strconv.Itoa(pid) + " on host " + host + " started at ",
		"is no longer running", "run `databridge deploy` again"} {
		if !strings.Contains(out, want) {
			t.Errorf("deploy status lacks %q:\n%s", want, out)
		}
	}
	out, _ = run(t, "deploy", "status", "--json")
	var got deploy.Record
	if err := json.Unmarshal([]byte(out), &got); err != nil || !strings.Contains(got.Interrupted, "no longer running") {
		t.Errorf("deploy status --json: interrupted = %q (%v)\n%s", got.Interrupted, err, out)
	}
	out, _ = run(t, "deploy", "history")
	if !strings.Contains(out, "running (interrupted)") || !strings.Contains(out, "its process is gone") {
		t.Errorf("deploy history:\n%s", out)
	}

	// A live process is not called dead.
	rec.ID, rec.PID, rec.StartedAt = "20260101-120001-000-beef", os.Getpid(), time.Now().UTC()
	if err := deploy.NewLedger(p).Save(rec); err != nil {
		t.Fatal(err)
	}
	out, _ = run(t, "deploy", "status", rec.ID)
	if strings.Contains(out, "interrupted") {
		t.Errorf("a live deployment is reported interrupted:\n%s", out)
	}
}
