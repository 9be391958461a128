package workflow

import (
	"context"
	"errors"
	"testing"
)

func TestRunnerGateFailureResume(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	calls := map[string]int{}
	failOnce := true
	step := func(name string) Func {
		return func(ctx context.Context, w *Workflow) (string, map[string]string, error) {
			calls[name]++
			if name == "deploy" && failOnce {
				failOnce = false
				return "", nil, errors.New("connection lost")
			}
			return name + " done", map[string]string{name: "artifact-" + name}, nil
		}
	}
	r := &Runner{Store: s, Funcs: map[string]Func{}}
	for _, n := range []string{"analyze", "approve", "generate", "deploy", "validate"} {
		r.Funcs[n] = step(n)
	}
	w := New("warehouse_creation", map[string]string{"connection": "erp"}, []Step{
		{Name: "analyze", Phase: PhaseProposed}, {Name: "approve", Phase: PhaseApproved, Gate: true},
		{Name: "generate", Phase: PhaseGenerated}, {Name: "deploy", Phase: PhaseDeployed}, {Name: "validate", Phase: PhaseValidated},
	})
	ctx := context.Background()
	if err := r.Run(ctx, w); !errors.Is(err, ErrWaiting) {
		t.Fatalf("run to the gate: %v", err)
	}
	got, _ := s.Get(w.ID)
	if got.Status != StatusWaiting || got.Phase != PhaseProposed || got.Percent != 20 || got.Current != "approve" {
		t.Fatalf("at the gate: %+v", got)
	}
	if err := got.Pass("approve"); err != nil {
		t.Fatal(err)
	}
	if err := r.Run(ctx, got); err == nil {
		t.Fatal("the failing deploy did not fail the run")
	}
	got, _ = s.Get(w.ID)
	if got.Status != StatusFailed || got.Phase != PhaseGenerated || len(got.Errors) != 1 || got.Steps[3].Error != "connection lost" {
		t.Fatalf("after the failure: %+v", got)
	}
	// Simulate a crash mid-step: a step left running is run again.
	got.Steps[3].Status = StatusRunning
	if err := s.Save(got); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Get(w.ID)
	if err := r.Run(ctx, got); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Get(w.ID)
	if got.Status != StatusDone || got.Phase != PhaseValidated || got.Percent != 100 || got.Artifacts["validate"] != "artifact-validate" {
		t.Fatalf("done: %+v", got)
	}
	if calls["analyze"] != 1 || calls["deploy"] != 2 || calls["generate"] != 1 {
		t.Fatalf("calls = %v (done steps must not run again)", calls)
	}
	list, _ := s.List()
	if len(list) != 1 {
		t.Fatalf("list = %d", len(list))
	}
	if _, err := s.Get("../etc"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("bad id: %v", err)
	}
}
