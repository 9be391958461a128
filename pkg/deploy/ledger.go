package deploy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/project"
)

// Ledger is the folder of deployment records, one JSON file per
// deployment (<id>.json), each written atomically.
type Ledger struct {
	Dir string
	// lock serialises deployments; NewLedger uses the project's lock.
	lock func(ctx context.Context) (func(), error)
}

// NewLedger is the ledger of a project: .databridge/state/deployments.
// Apply, Rollback and Recover hold the project lock while they run, so a
// caller must not hold it itself.
func NewLedger(p *project.Project) *Ledger {
	return &Ledger{
		Dir:  p.Path(project.StateDir, "deployments"),
		lock: func(ctx context.Context) (func(), error) { return p.Lock(ctx, 0) },
	}
}

// Lock takes the lock that serialises deployments (the project lock for a
// ledger from NewLedger, else a lock file in Dir).
func (l *Ledger) Lock(ctx context.Context) (func(), error) {
	if l.lock != nil {
		return l.lock(ctx)
	}
	if err := os.MkdirAll(l.Dir, 0o755); err != nil {
		return nil, err
	}
	p := &project.Project{Dir: l.Dir}
	return p.Lock(ctx, 0)
}

func (l *Ledger) path(id string) string { return filepath.Join(l.Dir, id+".json") }

// validID keeps IDs to the characters NewID produces, so an ID from the
// command line cannot name a file outside the ledger.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r == '-') {
			return false
		}
	}
	return true
}

// newID is a sortable, unique deployment ID: UTC time to the millisecond
// and four random hex digits (20260102-150405-123-a1b2).
func newID(now time.Time) string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return strings.Replace(now.UTC().Format("20060102-150405.000"), ".", "-", 1) + "-" + hex.EncodeToString(b[:])
}

// Save writes a record atomically.
func (l *Ledger) Save(r *Record) error {
	if !validID(r.ID) {
		return fmt.Errorf("deployment id %q is not valid", r.ID)
	}
	c := *r
	c.Interrupted = ""
	data, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode deployment %s: %w", r.ID, err)
	}
	if err := project.WriteFileAtomic(l.path(r.ID), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write deployment ledger: %w", err)
	}
	return nil
}

// Get reads one record.
func (l *Ledger) Get(id string) (*Record, error) {
	if !validID(id) {
		return nil, fmt.Errorf("%w: %q is not a deployment id (see deploy history)", ErrNotFound, id)
	}
	data, err := os.ReadFile(l.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s (see deploy history)", ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w (the ledger file is damaged; restore it from version control or remove it)", l.path(id), err)
	}
	r.Interrupted = interruption(&r)
	return &r, nil
}

// All reads every record of target ("" for every target), oldest first.
func (l *Ledger) All(target string) ([]*Record, error) {
	ents, err := os.ReadDir(l.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".json") {
			continue
		}
		r, err := l.Get(strings.TrimSuffix(n, ".json"))
		if err != nil {
			return nil, err
		}
		if target == "" || r.Target == target {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].StartedAt.Equal(out[j].StartedAt) {
			return out[i].StartedAt.Before(out[j].StartedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Latest is the newest record of target ("" for any), whatever its
// status; nil when there is none.
func (l *Ledger) Latest(target string) (*Record, error) {
	all, err := l.All(target)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	return all[len(all)-1], nil
}

// LastCommitted is the newest committed record of target: the state the
// target is in as far as the ledger knows. nil when there is none.
func (l *Ledger) LastCommitted(target string) (*Record, error) {
	all, err := l.All(target)
	if err != nil {
		return nil, err
	}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Status == StatusCommitted {
			return all[i], nil
		}
	}
	return nil, nil
}

// Unfinished lists target's records left running by a process that died
// (or that is still running: call it under the lock).
func (l *Ledger) Unfinished(target string) ([]*Record, error) {
	all, err := l.All(target)
	if err != nil {
		return nil, err
	}
	var out []*Record
	for _, r := range all {
		if r.Status == StatusRunning {
			out = append(out, r)
		}
	}
	return out, nil
}

// History summarises target's deployments ("" for every target), newest
// first.
func (l *Ledger) History(target string) ([]Summary, error) {
	all, err := l.All(target)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, 0, len(all))
	for i := len(all) - 1; i >= 0; i-- {
		out = append(out, all[i].Summary())
	}
	return out, nil
}

// Summary is the record's history line.
func (r *Record) Summary() Summary {
	s := Summary{
		ID: r.ID, Kind: r.Kind, Target: r.Target, Dialect: r.Dialect, Status: r.Status,
		Statements: len(r.Statements), Error: r.Error, User: r.User,
		StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		RollbackOf: r.RollbackOf, RolledBackBy: r.RolledBackBy, Interrupted: r.Interrupted,
	}
	if r.Plan != nil {
		s.Creates, s.Replaces, s.Drops, s.Unchanged = r.Plan.Creates, r.Plan.Replaces, r.Plan.Drops, r.Plan.Unchanged
	}
	return s
}

// newRecord starts a record for plan.
func newRecord(kind string, plan *Plan) *Record {
	now := time.Now().UTC()
	r := &Record{
		ID: newID(now), Kind: kind, Target: plan.Target, Dialect: plan.Dialect,
		Status: StatusRunning, Transactional: plan.Transactional, Plan: plan,
		Statements: []StatementRecord{}, Previous: map[string]*ObjectState{},
		FailedStatement: -1, PID: os.Getpid(), StartedAt: now,
	}
	if u, err := user.Current(); err == nil {
		r.User = u.Username
	} else {
		r.User = os.Getenv("USER")
	}
	r.Host, _ = os.Hostname()
	return r
}

// NewRunRecord starts a ledger record for a deployment databridge does
// not plan itself: a dbt build of the generated dbt project (KindDBT). It
// ends as StatusSucceeded or StatusFailed, never StatusCommitted, so the
// plans, rollbacks and recovery of Basic Mode never take it for a state
// of the objects they manage.
func NewRunRecord(kind, target, dialect string) *Record {
	r := newRecord(kind, &Plan{Target: target, Dialect: dialect, Items: []PlanItem{}})
	r.Previous = nil
	return r
}
