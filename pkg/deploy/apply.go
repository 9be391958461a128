package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/telemetry"
	"github.com/databridge/databridge/pkg/warehouse"
)

// ApplyOptions tune Apply and Rollback.
type ApplyOptions struct {
	// Validate runs after the objects are loaded — inside the transaction
	// on transactional engines, so a failed check leaves nothing behind.
	// report is stored in the ledger record as JSON. When ok is false it
	// may return an error wrapping ErrValidationFailed that says which
	// checks failed: that becomes the record's Error.
	Validate func(ctx context.Context, q connector.Querier) (ok bool, report any, err error)
	// Progress is called before every statement: done of total objects
	// finished, the object being worked on and the statement. object is
	// "" for grants, for the validation (statement "validate") and for the
	// last call when everything is done (statement ""); compensation after
	// a failure reports total 0.
	Progress func(done, total int, object, statement string)
	// Force re-creates unchanged objects too; for Rollback it also allows
	// rolling back a first deployment that replaced objects databridge did
	// not create (they are dropped, not restored).
	Force bool
}

// Apply runs plan against the target under the ledger's lock: it first
// recovers deployments of the target whose process died, re-plans from
// the plan's design (a plan whose actions no longer match is stale unless
// recovery explains it), then applies.
//
// The returned record is also in the ledger. A failed deployment returns
// both the record (status failed, the failing statement and error) and an
// error; a failed validation's error wraps ErrValidationFailed.
func Apply(ctx context.Context, conn connector.Connector, plan *Plan, ledger *Ledger, opts ApplyOptions) (*Record, error) {
	unlock, err := ledger.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	recovered, err := recoverLocked(ctx, conn, ledger, plan.Target)
	if err != nil {
		return nil, err
	}
	base, err := ledger.LastCommitted(plan.Target)
	if err != nil {
		return nil, err
	}
	fresh, err := buildPlan(ctx, conn, plan.Target, planDesign(plan), base)
	if err != nil {
		return nil, err
	}
	if len(recovered) == 0 && !samePlan(plan, fresh) {
		return nil, ErrStalePlan
	}
	if opts.Force {
		forceAll(fresh)
	}
	rec := newRecord(KindDeploy, fresh)
	rec.RequestID = telemetry.RequestID(ctx)
	for _, r := range recovered {
		rec.Notes = append(rec.Notes, "planned again after recovering deployment "+r.ID)
	}
	return rec, run(ctx, conn, ledger, rec, opts)
}

// planDesign rebuilds the design a plan was made from.
func planDesign(p *Plan) *warehouse.Design {
	d := &warehouse.Design{Dialect: p.Dialect, Grants: p.Grants}
	for _, it := range p.Items {
		if it.Action != ActionDrop {
			d.Objects = append(d.Objects, it.Object)
			d.Order = append(d.Order, it.Object.Name)
		}
	}
	return d
}

func samePlan(a, b *Plan) bool {
	if a.Base != b.Base || len(a.Items) != len(b.Items) {
		return false
	}
	for i := range a.Items {
		if a.Items[i].Action != b.Items[i].Action || objKey(a.Items[i].Object) != objKey(b.Items[i].Object) {
			return false
		}
	}
	return true
}

func forceAll(p *Plan) {
	for i := range p.Items {
		if p.Items[i].Action == ActionUnchanged {
			p.Items[i].Action, p.Items[i].Reason = ActionReplace, "forced"
		}
	}
	p.count()
}

// runner executes statements and keeps the record up to date.
type runner struct {
	ctx    context.Context
	q      connector.Querier
	ledger *Ledger
	rec    *Record
	opts   ApplyOptions
	done   int
	total  int
}

// exec runs the statements of script one by one, recording each; the
// record is saved after every statement so a killed process leaves a
// running record that says how far it got.
func (r *runner) exec(object, phase, script string) error {
	for _, stmt := range SplitStatements(r.rec.Dialect, script) {
		if r.opts.Progress != nil {
			r.opts.Progress(r.done, r.total, object, stmt)
		}
		sr := StatementRecord{Object: object, SQL: stmt, Phase: phase, StartedAt: time.Now().UTC()}
		res, err := r.q.Exec(r.ctx, stmt)
		sr.DurationMS = time.Since(sr.StartedAt).Milliseconds()
		sr.RowsAffected = res.RowsAffected
		if err != nil {
			sr.Error = err.Error()
		}
		r.rec.Statements = append(r.rec.Statements, sr)
		if err != nil {
			if r.rec.FailedStatement < 0 && phase != PhaseCompensate && phase != PhaseCleanup {
				r.rec.FailedStatement = len(r.rec.Statements) - 1
				r.rec.Error = fmt.Sprintf("%s of %s failed: %v", phase, object, err)
			}
			err = fmt.Errorf("deployment %s: %s of %s failed: %w", r.rec.ID, phase, object, err)
			if serr := r.ledger.Save(r.rec); serr != nil {
				err = errors.Join(err, fmt.Errorf("the deployment ledger could not record it: %w", serr))
			}
			return err
		}
		if err := r.ledger.Save(r.rec); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) validate() error {
	if r.opts.Validate == nil {
		return nil
	}
	if r.opts.Progress != nil {
		r.opts.Progress(r.done, r.total, "", "validate")
	}
	sr := StatementRecord{SQL: "(validation suite)", Phase: PhaseValidate, StartedAt: time.Now().UTC()}
	ok, report, err := r.opts.Validate(r.ctx, r.q)
	sr.DurationMS = time.Since(sr.StartedAt).Milliseconds()
	r.rec.Validation = report
	switch {
	case err != nil && !ok && errors.Is(err, ErrValidationFailed):
		// The validator said which checks failed.
		sr.Error = err.Error()
		err = fmt.Errorf("deployment %s: %w", r.rec.ID, err)
	case err != nil:
		sr.Error = err.Error()
		err = fmt.Errorf("deployment %s: validation could not run: %w", r.rec.ID, err)
	case !ok:
		sr.Error = ErrValidationFailed.Error()
		err = fmt.Errorf("deployment %s: %w", r.rec.ID, ErrValidationFailed)
	}
	r.rec.Statements = append(r.rec.Statements, sr)
	if err != nil {
		r.rec.FailedStatement = len(r.rec.Statements) - 1
		r.rec.Error = strings.TrimPrefix(err.Error(), "deployment "+r.rec.ID+": ")
	}
	if serr := r.ledger.Save(r.rec); err == nil {
		err = serr
	}
	return err
}

// order returns the drops (removed objects, then replaced objects that
// exist, dependents first) and the objects to create in order.
func order(p *Plan) (drops, creates []PlanItem) {
	for _, it := range p.Items {
		if it.Action == ActionDrop {
			drops = append(drops, it)
		}
	}
	for i := len(p.Items) - 1; i >= 0; i-- {
		if it := p.Items[i]; it.Action == ActionReplace && it.Exists {
			drops = append(drops, it)
		}
	}
	for _, it := range p.Items {
		if it.Action == ActionCreate || it.Action == ActionReplace {
			creates = append(creates, it)
		}
	}
	return drops, creates
}

// run applies rec.Plan and finalises rec.
func run(ctx context.Context, conn connector.Connector, ledger *Ledger, rec *Record, opts ApplyOptions) error {
	p := rec.Plan
	prevBy := map[string]*warehouse.Object{}
	if p.Base != "" {
		if b, err := ledger.Get(p.Base); err == nil {
			for _, o := range designObjects(b) {
				prevBy[objKey(o)] = o
			}
		}
	}
	for _, it := range p.Items {
		if it.Action == ActionUnchanged {
			continue
		}
		st := &ObjectState{Name: it.Object.Name, Schema: it.Object.Schema, Exists: it.Exists, Kind: it.ExistingKind}
		if o := prevBy[objKey(it.Object)]; o != nil && it.Exists {
			st.Deployment, st.Checksum = p.Base, checksum(o)
		}
		rec.Previous[objKey(it.Object)] = st
	}
	r := &runner{ctx: ctx, ledger: ledger, rec: rec, opts: opts, total: p.Changes()}
	var err error
	if rec.Transactional {
		err = runTx(conn, r)
	} else {
		err = runCompensating(conn, r)
	}
	rec.FinishedAt = time.Now().UTC()
	if err != nil {
		rec.Status = StatusFailed
		if rec.Error == "" {
			rec.Error = err.Error()
		}
	} else {
		rec.Status = StatusCommitted
	}
	if serr := ledger.Save(rec); err == nil {
		err = serr
	}
	if err == nil && !rec.Transactional {
		if serr := cleanup(ctx, conn, ledger, rec); serr != nil {
			err = fmt.Errorf("deployment %s is committed, but the ledger could not record its cleanup notes: %w", rec.ID, serr)
		}
	}
	if err == nil && opts.Progress != nil {
		opts.Progress(r.total, r.total, "", "")
	}
	return err
}

// steps runs drops, creates, loads, grants and validation through r.
func steps(r *runner, drop func(it PlanItem) error) error {
	drops, creates := order(r.rec.Plan)
	dropped := map[string]bool{}
	for _, it := range drops {
		if err := drop(it); err != nil {
			return err
		}
		if it.Action == ActionDrop {
			r.done++
		}
		dropped[objKey(it.Object)] = true
	}
	for _, it := range creates {
		o := it.Object
		for _, s := range o.DDL {
			if err := r.exec(o.QualifiedName(), PhaseDDL, s); err != nil {
				return err
			}
		}
		for _, s := range o.Load {
			if err := r.exec(o.QualifiedName(), PhaseLoad, s); err != nil {
				return err
			}
		}
		r.done++
	}
	if r.rec.Plan.Changes() > 0 || r.opts.Force {
		for _, g := range r.rec.Plan.Grants {
			if err := r.exec("", PhaseGrant, g); err != nil {
				return err
			}
		}
	}
	return r.validate()
}

// runTx is the transactional path: one transaction for everything,
// committed only when validation passes.
func runTx(conn connector.Connector, r *runner) error {
	if err := r.ledger.Save(r.rec); err != nil {
		return err
	}
	tx, err := conn.Begin(r.ctx)
	if err != nil {
		return fmt.Errorf("deployment %s: begin a transaction on %s: %w", r.rec.ID, conn.Name(), err)
	}
	r.q = tx
	d := r.rec.Dialect
	err = steps(r, func(it PlanItem) error {
		kind := it.ExistingKind
		if kind == "" {
			kind = string(it.Object.Kind)
		}
		s, err := dropSQL(d, it.Object.Schema, it.Object.Name, kind)
		if err != nil {
			return err
		}
		return r.exec(it.Object.QualifiedName(), PhaseDrop, s)
	})
	if err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			r.rec.Notes = append(r.rec.Notes, "rollback: "+rerr.Error())
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("deployment %s: commit: %w", r.rec.ID, err)
	}
	return nil
}

// runCompensating is the path for engines without transactional DDL:
// capture, move aside, apply, and compensate on failure.
func runCompensating(conn connector.Connector, r *runner) error {
	r.q = conn
	d := r.rec.Dialect
	// Capture every previous definition before anything changes.
	for _, it := range r.rec.Plan.Items {
		st := r.rec.Previous[objKey(it.Object)]
		if st == nil || !st.Exists {
			continue
		}
		def, err := captureDefinition(r.ctx, conn, d, st.Schema, st.Name, st.Kind)
		if err != nil {
			r.rec.Error = err.Error()
			return fmt.Errorf("deployment %s: %w (nothing was changed)", r.rec.ID, err)
		}
		st.Definition = def
		if !isView(st.Kind) && st.Kind == string(warehouse.KindTable) {
			st.Backup = backupName(st.Name, r.rec.ID)
		}
	}
	if err := r.ledger.Save(r.rec); err != nil {
		return err
	}
	err := steps(r, func(it PlanItem) error {
		st := r.rec.Previous[objKey(it.Object)]
		if st == nil || !st.Exists {
			return nil
		}
		if st.Backup != "" {
			s, err := renameSQL(d, st.Schema, st.Name, st.Backup, st.Kind)
			if err != nil {
				return err
			}
			return r.exec(it.Object.QualifiedName(), PhaseBackup, s)
		}
		if st.Definition == "" {
			return fmt.Errorf("%s: no definition captured; refusing to drop it", it.Object.QualifiedName())
		}
		s, err := dropSQL(d, st.Schema, st.Name, st.Kind)
		if err != nil {
			return err
		}
		return r.exec(it.Object.QualifiedName(), PhaseBackup, s)
	})
	if err != nil {
		if cerr := compensate(r.ctx, conn, r.ledger, r.rec, r.opts.Progress); cerr != nil {
			r.rec.Notes = append(r.rec.Notes, "compensation incomplete: "+cerr.Error())
			err = fmt.Errorf("%w; compensation incomplete: %v", err, cerr)
		}
	}
	return err
}

// compensate undoes a non-transactional deployment from its Previous
// states: objects it created are dropped; tables it moved aside are
// renamed back (with their rows); views and other definitions are
// re-created from the captured DDL. It works from what the target holds
// now, so it is safe to run after a crash at any point and to run twice.
func compensate(ctx context.Context, conn connector.Connector, ledger *Ledger, rec *Record, progress func(int, int, string, string)) error {
	d := rec.Dialect
	r := &runner{ctx: ctx, q: conn, ledger: ledger, rec: rec, opts: ApplyOptions{Progress: progress}}
	var schemas []string
	for _, it := range rec.Plan.Items {
		schemas = append(schemas, it.Object.Schema)
	}
	cat, err := readCatalogue(ctx, conn, schemas)
	if err != nil {
		return err
	}
	var errs []error
	// 1. Clear the names the deployment may have filled, dependents first.
	for i := len(rec.Plan.Items) - 1; i >= 0; i-- {
		it := rec.Plan.Items[i]
		if it.Action == ActionUnchanged {
			continue
		}
		o := it.Object
		st := rec.Previous[objKey(o)]
		kind, exists := cat[objKey(o)]
		if !exists {
			continue
		}
		if st != nil && st.Exists && !isView(st.Kind) && st.Kind == string(warehouse.KindTable) {
			if _, moved := cat[key(st.Schema, backupName(st.Name, rec.ID))]; !moved {
				continue // the original table is still in place
			}
		}
		if st != nil && st.Exists && st.Definition == "" && st.Backup == "" {
			continue // nothing to restore it from: leave it
		}
		s, err := dropSQL(d, o.Schema, o.Name, kind)
		if err == nil {
			err = r.exec(o.QualifiedName(), PhaseCompensate, s)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	// 2. Rename tables back.
	var pending []*ObjectState
	for _, it := range rec.Plan.Items {
		st := rec.Previous[objKey(it.Object)]
		if st == nil || !st.Exists {
			continue
		}
		if st.Kind == string(warehouse.KindTable) {
			bak := backupName(st.Name, rec.ID)
			if _, ok := cat[key(st.Schema, bak)]; !ok {
				continue
			}
			s, err := renameSQL(d, st.Schema, bak, st.Name, st.Kind)
			if err == nil {
				err = r.exec(qname(d, st.Schema, st.Name), PhaseCompensate, s)
			}
			if err != nil {
				errs = append(errs, err)
			}
		} else if st.Definition != "" {
			pending = append(pending, st)
		}
	}
	// 3. Re-create views and the like; one may depend on another, so
	// retry until no progress.
	for len(pending) > 0 {
		var next []*ObjectState
		var last error
		for _, st := range pending {
			if err := r.exec(qname(d, st.Schema, st.Name), PhaseCompensate, st.Definition); err != nil {
				last = err
				next = append(next, st)
			}
		}
		if len(next) == len(pending) {
			errs = append(errs, last)
			break
		}
		pending = next
	}
	return errors.Join(errs...)
}

// cleanup drops the backups of a committed non-transactional deployment.
// A failure leaves a backup table behind and a note; the data is safe.
func cleanup(ctx context.Context, conn connector.Connector, ledger *Ledger, rec *Record) error {
	r := &runner{ctx: ctx, q: conn, ledger: ledger, rec: rec}
	for _, st := range rec.Previous {
		if st.Backup == "" {
			continue
		}
		s, err := dropSQL(rec.Dialect, st.Schema, st.Backup, string(warehouse.KindTable))
		if err == nil {
			err = r.exec(qname(rec.Dialect, st.Schema, st.Name), PhaseCleanup, s)
		}
		if err != nil {
			rec.Notes = append(rec.Notes, "backup table "+st.Backup+" was not dropped: "+err.Error())
		}
	}
	return ledger.Save(rec)
}
