package deploy

import (
	"context"
	"time"

	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/validate"
)

// emit publishes what a deploy, a rollback or a validation did on the
// project's event bus (pkg/events): deployment.completed or .failed,
// deployment.rolled_back, validation.passed or .failed. rec and rep may be
// nil; err is the operation's outcome.
func (s *Service) emit(ctx context.Context, rec *Record, rep *validate.Report, target string, err error) {
	data := map[string]any{"target": target}
	var t events.Type
	switch {
	case rec != nil:
		data["deployment"], data["status"], data["dialect"] = rec.ID, rec.Status, rec.Dialect
		if !rec.FinishedAt.IsZero() {
			// When the deployment committed (or failed): the latency of
			// other processes' refreshes is measured from it.
			data["finished_at"] = rec.FinishedAt.UTC().Format(time.RFC3339Nano)
		}
		if rec.Plan != nil {
			data["objects"] = len(rec.Plan.Items)
		}
		t = events.DeploymentCompleted
		if rec.RollbackOf != "" {
			t = events.DeploymentRolledBack
			data["rollback_of"] = rec.RollbackOf
		}
		if err != nil {
			t = events.DeploymentFailed
			data["error"] = rec.Error
		}
		data["default_target"] = target == s.Project.Config.DefaultTarget
	case rep != nil:
		data["summary"] = rep.Summary()
		t = events.ValidationPassed
		if !rep.OK() {
			t = events.ValidationFailed
		}
	default:
		return
	}
	events.Emit(ctx, s.Project, t, data)
}
