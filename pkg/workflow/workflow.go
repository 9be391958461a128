// Package workflow records where a warehouse build stands — analysis →
// proposed model → approved → generated → deployed → validated — as JSON
// under .databridge/state/workflows/, so a build can be followed (by a
// person or an agent), waits for a reviewer's approval, and resumes after a
// crash from the first step that did not finish.
package workflow

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/project"
)

// Phases of a warehouse build, in order.
const (
	PhaseAnalysis  = "analysis"
	PhaseProposed  = "proposed_model"
	PhaseApproved  = "approved"
	PhaseGenerated = "generated"
	PhaseDeployed  = "deployed"
	PhaseValidated = "validated"
)

// Phases lists them in order.
var Phases = []string{PhaseAnalysis, PhaseProposed, PhaseApproved, PhaseGenerated, PhaseDeployed, PhaseValidated}

// Statuses of a workflow and of a step.
const (
	StatusPending = "pending"
	StatusRunning = "running"
	StatusWaiting = "waiting_approval"
	StatusDone    = "done"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// Step is one step of a workflow.
type Step struct {
	Name       string            `json:"name"`
	Phase      string            `json:"phase"` // the phase reached when it is done
	Status     string            `json:"status"`
	StartedAt  *time.Time        `json:"started_at,omitempty"`
	FinishedAt *time.Time        `json:"finished_at,omitempty"`
	Message    string            `json:"message,omitempty"`
	Error      string            `json:"error,omitempty"`
	Artifacts  map[string]string `json:"artifacts,omitempty"`
	// Gate marks a step that waits for a person (approval) instead of
	// running on its own.
	Gate bool `json:"gate,omitempty"`
}

// Workflow is one warehouse build.
type Workflow struct {
	ID        string            `json:"id"`
	Kind      string            `json:"kind"`
	Status    string            `json:"status"`
	Phase     string            `json:"phase"` // the last phase reached
	Percent   int               `json:"percent"`
	Current   string            `json:"current_step"`
	Params    map[string]string `json:"params"`
	Steps     []Step            `json:"steps"`
	Artifacts map[string]string `json:"artifacts"`
	Errors    []string          `json:"errors"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Store keeps workflows under .databridge/state/workflows/.
type Store struct{ Dir string }

// NewStore returns the store of a project.
func NewStore(p *project.Project) *Store {
	return &Store{Dir: p.Path(project.StateDir, "workflows")}
}

// ErrNotFound is returned for an unknown workflow id.
var ErrNotFound = errors.New("workflow not found")

// Save writes a workflow atomically.
func (s *Store) Save(w *Workflow) error {
	w.UpdatedAt = time.Now().UTC()
	w.refresh()
	data, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return err
	}
	return project.WriteFileAtomic(filepath.Join(s.Dir, w.ID+".json"), append(data, '\n'), 0o644)
}

// Get loads a workflow.
func (s *Store) Get(id string) (*Workflow, error) {
	if id == "" || strings.ContainsAny(id, `/\.`) {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	data, err := os.ReadFile(filepath.Join(s.Dir, id+".json"))
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%w: %q", ErrNotFound, id)
		}
		return nil, err
	}
	var w Workflow
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("workflow %s: %s is damaged: %w", id, filepath.Join(s.Dir, id+".json"), err)
	}
	return &w, nil
}

// List returns workflows, newest first.
func (s *Store) List() ([]*Workflow, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		if os.IsNotExist(err) {
			return []*Workflow{}, nil
		}
		return nil, err
	}
	out := []*Workflow{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			if w, err := s.Get(strings.TrimSuffix(e.Name(), ".json")); err == nil {
				out = append(out, w)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

// New creates a workflow with the given steps (all pending).
func New(kind string, params map[string]string, steps []Step) *Workflow {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	now := time.Now().UTC()
	w := &Workflow{ID: now.Format("20060102T150405") + "-" + hex.EncodeToString(b), Kind: kind, Status: StatusRunning,
		Params: params, Artifacts: map[string]string{}, Errors: []string{}, CreatedAt: now}
	for _, st := range steps {
		st.Status = StatusPending
		w.Steps = append(w.Steps, st)
	}
	w.refresh()
	return w
}

func (w *Workflow) refresh() {
	done := 0
	w.Current = ""
	for _, s := range w.Steps {
		switch s.Status {
		case StatusDone, StatusSkipped:
			done++
			if s.Phase != "" {
				w.Phase = s.Phase
			}
		default:
			if w.Current == "" {
				w.Current = s.Name
			}
		}
	}
	if len(w.Steps) > 0 {
		w.Percent = done * 100 / len(w.Steps)
	}
}

// Func runs one step: it returns a message and artifacts (paths, ids).
type Func func(ctx context.Context, w *Workflow) (msg string, artifacts map[string]string, err error)

// Runner runs a workflow's steps with their functions, saving after each.
type Runner struct {
	Store *Store
	Funcs map[string]Func
	// Progress is told when a step starts and ends (nil = silent).
	Progress func(step Step)
}

// ErrWaiting is returned when the workflow stops at a gate.
var ErrWaiting = errors.New("waiting for approval")

// Run runs every pending (or interrupted) step in order until the workflow
// is done, a step fails, or a gate that is not yet passed is reached. A
// step left "running" by a crash is run again: steps are idempotent.
func (r *Runner) Run(ctx context.Context, w *Workflow) error {
	for i := range w.Steps {
		st := &w.Steps[i]
		if st.Status == StatusDone || st.Status == StatusSkipped {
			continue
		}
		if st.Gate && st.Status != StatusRunning {
			w.Status = StatusWaiting
			st.Status = StatusPending
			st.Message = "waiting for approval"
			if err := r.Store.Save(w); err != nil {
				return err
			}
			return ErrWaiting
		}
		fn, ok := r.Funcs[st.Name]
		if !ok {
			return fmt.Errorf("workflow %s: no function for step %s", w.ID, st.Name)
		}
		now := time.Now().UTC()
		st.Status, st.StartedAt, st.Error = StatusRunning, &now, ""
		w.Status = StatusRunning
		if err := r.Store.Save(w); err != nil {
			return err
		}
		if r.Progress != nil {
			r.Progress(*st)
		}
		msg, arts, err := fn(ctx, w)
		end := time.Now().UTC()
		st.FinishedAt = &end
		st.Message = msg
		if len(arts) > 0 {
			st.Artifacts = arts
			for k, v := range arts {
				w.Artifacts[k] = v
			}
		}
		if err != nil {
			st.Status = StatusFailed
			st.Error = err.Error()
			w.Status = StatusFailed
			w.Errors = append(w.Errors, fmt.Sprintf("%s: %v", st.Name, err))
			if serr := r.Store.Save(w); serr != nil {
				return serr
			}
			if r.Progress != nil {
				r.Progress(*st)
			}
			return fmt.Errorf("%s: %w", st.Name, err)
		}
		st.Status = StatusDone
		if err := r.Store.Save(w); err != nil {
			return err
		}
		if r.Progress != nil {
			r.Progress(*st)
		}
	}
	w.Status = StatusDone
	return r.Store.Save(w)
}

// Pass marks the first pending gate as passed (running), so the next Run
// continues past it.
func (w *Workflow) Pass(gate string) error {
	for i := range w.Steps {
		st := &w.Steps[i]
		if st.Name == gate && st.Gate {
			if st.Status == StatusDone {
				return fmt.Errorf("%s is already done", gate)
			}
			st.Status = StatusRunning
			return nil
		}
	}
	return fmt.Errorf("workflow %s has no gate %s", w.ID, gate)
}
