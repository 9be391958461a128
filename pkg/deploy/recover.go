package deploy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/telemetry"
	"github.com/databridge/databridge/pkg/warehouse"
)

// Recover finishes the deployments of target whose process died (records
// left running). On transactional engines the transaction died with the
// process, so the record is marked recovered after checking the
// catalogue (objects it created must be absent). Elsewhere the target is
// compensated from the record's Previous states first. It holds the
// ledger's lock.
func Recover(ctx context.Context, conn connector.Connector, ledger *Ledger, target string) ([]*Record, error) {
	unlock, err := ledger.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return recoverLocked(ctx, conn, ledger, target)
}

func recoverLocked(ctx context.Context, conn connector.Connector, ledger *Ledger, target string) ([]*Record, error) {
	unf, err := ledger.Unfinished(target)
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, rec := range unf {
		if rec.Dialect != conn.Dialect() {
			return out, fmt.Errorf("deployment %s of target %s ran on %s but the connection is %s: recover it with the right connection", rec.ID, target, rec.Dialect, conn.Dialect())
		}
		note := fmt.Sprintf("the process (pid %d on %s) stopped after %d statements", rec.PID, rec.Host, len(rec.Statements))
		rec.Notes = append(rec.Notes, note)
		if rec.Error == "" {
			rec.Error = "interrupted: " + note
		}
		var rerr error
		if rec.Transactional {
			rerr = verifyRolledBack(ctx, conn, rec)
		} else {
			rerr = compensate(ctx, conn, ledger, rec, nil)
			if rerr == nil {
				rec.Notes = append(rec.Notes, "recovered: compensated from the captured previous state")
			}
		}
		rec.FinishedAt = time.Now().UTC()
		rec.Interrupted = ""
		if rerr != nil {
			rec.Status = StatusFailed
			rec.Notes = append(rec.Notes, "recovery incomplete: "+rerr.Error())
		} else {
			rec.Status = StatusRecovered
		}
		if err := ledger.Save(rec); err != nil {
			return out, err
		}
		out = append(out, rec)
		if rerr != nil {
			return out, fmt.Errorf("recover deployment %s: %w (fix the target by hand; the record lists the statements run)", rec.ID, rerr)
		}
	}
	return out, nil
}

// verifyRolledBack checks a dead transaction left nothing: none of the
// objects it created may exist. If all of them exist the transaction
// committed before the process died (the ledger was not updated); the
// target then holds the new definitions, which the next deployment
// re-applies because the ledger's checksums are the old ones.
func verifyRolledBack(ctx context.Context, conn connector.Connector, rec *Record) error {
	var schemas []string
	var created []*warehouse.Object
	for _, it := range rec.Plan.Items {
		schemas = append(schemas, it.Object.Schema)
		if it.Action == ActionCreate {
			created = append(created, it.Object)
		}
	}
	cat, err := readCatalogue(ctx, conn, schemas)
	if err != nil {
		return err
	}
	found := 0
	for _, o := range created {
		if _, ok := cat[objKey(o)]; ok {
			found++
		}
	}
	switch {
	case found == 0:
		rec.Notes = append(rec.Notes, fmt.Sprintf("recovered: the transaction did not commit (none of the %d objects it would create exist)", len(created)))
	case found == len(created):
		rec.Notes = append(rec.Notes, "recovered: the transaction appears to have committed (every object it created exists); the next deployment re-applies its objects")
	default:
		return errors.New("some but not all objects the dead transaction created exist; the target was changed outside this deployment")
	}
	return nil
}

// Rollback restores the state before deployment id: the objects of the
// committed deployment before it (re-created or replaced from their
// ledger definitions, loads re-run), and drops objects that did not exist
// then. Later deployments are undone too. The rollback is itself a
// deployment (kind rollback), atomic like any other; on success id and
// the committed deployments after it are marked rolled_back.
func Rollback(ctx context.Context, conn connector.Connector, ledger *Ledger, id string, opts ApplyOptions) (*Record, error) {
	unlock, err := ledger.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rec, err := ledger.Get(id)
	if err != nil {
		return nil, err
	}
	if _, err := recoverLocked(ctx, conn, ledger, rec.Target); err != nil {
		return nil, err
	}
	if rec.Status == StatusRolledBack {
		return nil, fmt.Errorf("deployment %s was already rolled back by %s", id, rec.RolledBackBy)
	}
	if rec.Status != StatusCommitted {
		return nil, fmt.Errorf("%w: %s is %s; only committed deployments change the target", ErrNotCommitted, id, rec.Status)
	}
	all, err := ledger.All(rec.Target)
	if err != nil {
		return nil, err
	}
	var before *Record
	var undone []*Record
	seen := false
	for _, r := range all {
		if r.ID == id {
			seen = true
		}
		if r.Status != StatusCommitted {
			continue
		}
		if !seen {
			before = r
		} else {
			undone = append(undone, r)
		}
	}
	design := &warehouse.Design{Dialect: rec.Dialect}
	if before != nil {
		design = planDesign(before.Plan)
	} else if !opts.Force {
		var foreign []string
		for _, st := range rec.Previous {
			if st.Exists && st.Deployment == "" {
				foreign = append(foreign, st.Name)
			}
		}
		if len(foreign) > 0 {
			return nil, fmt.Errorf("deployment %s was the first on %s and replaced objects databridge did not create (%v); rolling it back drops them without restoring them: pass force to do it anyway", id, rec.Target, foreign)
		}
	}
	current, err := ledger.LastCommitted(rec.Target)
	if err != nil {
		return nil, err
	}
	plan, err := buildPlan(ctx, conn, rec.Target, design, current)
	if err != nil {
		return nil, err
	}
	rb := newRecord(KindRollback, plan)
	rb.RequestID = telemetry.RequestID(ctx)
	rb.RollbackOf = id
	if before != nil {
		rb.Notes = append(rb.Notes, "restores the state of deployment "+before.ID)
	} else {
		rb.Notes = append(rb.Notes, "restores the state before the first deployment")
	}
	if err := run(ctx, conn, ledger, rb, ApplyOptions{Validate: opts.Validate, Progress: opts.Progress}); err != nil {
		return rb, err
	}
	for _, r := range undone {
		r.Status, r.RolledBackBy = StatusRolledBack, rb.ID
		if err := ledger.Save(r); err != nil {
			return rb, err
		}
	}
	return rb, nil
}
