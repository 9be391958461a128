package deploy_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/all"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/quickstart"
)

// The deploy service publishes what it did (read back from the project's
// journal): a committed deploy, a validation, a deploy refused inside its
// transaction, a rollback — each with the deployment and target.
func TestServiceEvents(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "qs")
	if _, err := quickstart.Run(ctx, quickstart.Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	s, err := app.Open(dir, app.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	bus := events.For(s.Project)
	before, err := bus.Recent(1000)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan events.Event, 100)
	defer bus.Subscribe(func(e events.Event) { got <- e })()
	next := func(want events.Type) events.Event {
		t.Helper()
		for {
			e := <-got
			if e.Type == want {
				return e
			}
			if e.Type == events.DeploymentCompleted || e.Type == events.DeploymentFailed || e.Type == events.DeploymentRolledBack {
				t.Fatalf("got %s %v, want %s", e.Type, e.Data, want)
			}
		}
	}

	res, err := s.Deploy.Deploy(ctx, deploy.DeployInput{})
	if err != nil {
		t.Fatal(err)
	}
	e := next(events.DeploymentCompleted)
	if e.Str("deployment") != res.Deployment.ID || e.Str("target") != "local" || e.Str("status") != res.Deployment.Status || e.Str("finished_at") == "" || e.Data["default_target"] != true {
		t.Fatalf("deployment.completed %v, deployment %s", e.Data, res.Deployment.ID)
	}

	if _, err := s.Deploy.Validate(ctx, deploy.ValidateInput{}); err != nil {
		t.Fatal(err)
	}
	if e := next(events.ValidationPassed); e.Str("target") != "local" || e.Str("summary") == "" {
		t.Fatalf("validation.passed %v", e.Data)
	}

	s.Deploy.Guard = func(context.Context, string, connector.Querier) error { return errors.New("refused by the test") }
	failed, err := s.Deploy.Deploy(ctx, deploy.DeployInput{})
	if err == nil {
		t.Fatal("the guard did not refuse the deploy")
	}
	if e := next(events.DeploymentFailed); e.Str("deployment") != failed.Deployment.ID || e.Str("error") == "" {
		t.Fatalf("deployment.failed %v", e.Data)
	}
	s.Deploy.Guard = nil

	rb, err := s.Deploy.Rollback(ctx, deploy.RecordInput{})
	if err != nil {
		t.Fatal(err)
	}
	if e := next(events.DeploymentRolledBack); e.Str("deployment") != rb.ID || e.Str("rollback_of") != res.Deployment.ID {
		t.Fatalf("deployment.rolled_back %v (rollback %s of %s)", e.Data, rb.ID, res.Deployment.ID)
	}
	// The journal has them all, in order, for other processes.
	j, err := bus.Recent(1000)
	if err != nil {
		t.Fatal(err)
	}
	var seq []events.Type
	for _, e := range j[len(before):] {
		switch e.Type {
		case events.DeploymentCompleted, events.DeploymentFailed, events.DeploymentRolledBack, events.ValidationPassed:
			seq = append(seq, e.Type)
		}
	}
	want := []events.Type{events.DeploymentCompleted, events.ValidationPassed, events.DeploymentFailed, events.DeploymentRolledBack}
	if len(seq) != len(want) {
		t.Fatalf("journal: %v, want %v", seq, want)
	}
	for i := range want {
		if seq[i] != want[i] {
			t.Fatalf("journal: %v, want %v", seq, want)
		}
	}
}
