package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/databridge/databridge/pkg/analytics"
	"strings"
	"sync"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/telemetry"
	"github.com/databridge/databridge/pkg/validate"
	"github.com/databridge/databridge/pkg/warehouse"
)

// Service is the deploy service of a project: plan and apply the warehouse
// design to a target, validate it, show a deployment, list them and roll
// them back. `databridge deploy …`, `databridge validate` and the MCP
// deploy tools are thin faces over it; its results are what they print
// with --json and return as structured output.
type Service struct {
	Project     *project.Project
	Connections *connections.Service
	Ledger      *Ledger
	// Progress is told about each statement of a deploy (nil = silent);
	// see ApplyOptions.Progress.
	Progress func(done, total int, object, statement string)
	// Guard, when set, is asked inside every deploy after its validation
	// passed and before it commits (on the deploy's session, so it sees
	// the warehouse as the deploy would leave it; on engines without
	// transactional DDL a refusal is compensated like a failed check). An
	// error refuses the deploy: the monthly close uses it to keep a
	// signed-off period's numbers (pkg/fpa). Nil: no guard.
	Guard func(ctx context.Context, target string, q connector.Querier) error
}

// NewService returns the deploy service of a project.
func NewService(p *project.Project) *Service {
	return &Service{Project: p, Connections: connections.New(p), Ledger: NewLedger(p)}
}

// Target is the target a command or tool means: t, else the project's
// default target (after DATABRIDGE_DEFAULT_TARGET, which pkg/app applies).
func (s *Service) Target(t string) string {
	if t = strings.TrimSpace(t); t != "" {
		return t
	}
	return s.Project.Config.DefaultTarget
}

// DeployInput is a deploy (or, with DryRun, its plan only).
type DeployInput struct {
	Target string `json:"target,omitempty" jsonschema:"Connection to deploy to (default: the project's default target)."`
	DryRun bool   `json:"dry_run,omitempty" jsonschema:"Return the plan (create, replace, drop, unchanged by checksum) without applying it."`
}

// DeployResult is the outcome of a deploy: the plan, the ledger record and
// the validation that ran inside it. It is the JSON of `databridge deploy
// --json` and the structured output of the deploy_warehouse tool.
type DeployResult struct {
	Plan       *Plan            `json:"plan"`
	Deployment *Record          `json:"deployment,omitempty"`
	Validation *validate.Report `json:"validation,omitempty"`
	// FailedChecks are the checks of Validation that did not pass, with
	// their sample rows (the deployment was rolled back because of them).
	FailedChecks []validate.Result `json:"failed_checks,omitempty"`
	DryRun       bool              `json:"dry_run"`
	// Semantic is the semantic layer's refresh after the commit (the
	// layer and the question parser's vocabulary follow every deploy).
	Semantic *analytics.RefreshResult `json:"semantic,omitempty"`
	// SemanticError says why the refresh failed (the deployment stands).
	SemanticError string `json:"semantic_error,omitempty"`
}

// Design returns the project's warehouse design in the dialect of target
// (the project's default dialect when target is not a known connection).
func (s *Service) Design(ctx context.Context, target string) (*warehouse.Design, error) {
	svc := warehouse.NewService(s.Project)
	dialect := svc.DefaultDialect()
	if c, ok := s.Project.Config.Connections[target]; ok {
		if e, ok := connector.Lookup(c.Type); ok {
			dialect = e.Dialect
		}
	}
	return svc.Design(ctx, warehouse.DesignInput{Dialect: dialect})
}

// Checks returns the validation suite of a design of the project.
func (s *Service) Checks(ctx context.Context, ds *warehouse.Design) ([]validate.Check, error) {
	cfg, err := warehouse.LoadConfig(s.Project)
	if err != nil {
		return nil, err
	}
	var m *model.Model
	if cfg.Model != "" {
		if m, err = model.NewStore(s.Project).Get(cfg.Model); err != nil {
			return nil, err
		}
	}
	hs := map[string]*hierarchy.Hierarchy{}
	for _, b := range cfg.Bindings {
		h, err := hierarchy.NewStore(s.Project).Get(b.Hierarchy)
		if err != nil {
			return nil, err
		}
		hs[b.Hierarchy] = h
	}
	return warehouse.Checks(warehouse.ChecksInput{Design: ds, Config: cfg, Model: m, Hierarchies: hs}), nil
}

// Plan is the plan of a deploy without applying it.
func (s *Service) Plan(ctx context.Context, target string) (*Plan, error) {
	res, err := s.Deploy(ctx, DeployInput{Target: target, DryRun: true})
	if res == nil {
		return nil, err
	}
	return res.Plan, err
}

// Deploy plans the design against the target and, unless DryRun, applies
// it, validating (basic level) inside the deploy where the engine allows.
// A result is returned whenever a plan was made, with the error of a failed
// deployment (a failed validation's error wraps ErrValidationFailed and the
// result lists the failed checks).
func (s *Service) Deploy(ctx context.Context, in DeployInput) (*DeployResult, error) {
	target := s.Target(in.Target)
	ds, checks, conn, err := s.open(ctx, target, false)
	if err != nil {
		return nil, err
	}
	var closeOnce sync.Once
	closeConn := func() { closeOnce.Do(func() { conn.Close() }) }
	defer closeConn()
	plan, err := NewPlan(ctx, conn, target, ds, s.Ledger)
	if err != nil {
		return nil, err
	}
	res := &DeployResult{Plan: plan, DryRun: in.DryRun}
	if in.DryRun {
		return res, nil
	}
	done := telemetry.DeploymentStarted("apply")
	rec, err := Apply(ctx, conn, plan, s.Ledger, ApplyOptions{
		Progress: s.Progress,
		Validate: func(ctx context.Context, q connector.Querier) (bool, any, error) {
			r, err := validate.Run(ctx, q, ds.Dialect, checks, validate.Basic, validate.Options{})
			if err != nil {
				return false, nil, err
			}
			res.Validation = r
			if !r.OK() {
				// The record's error says which checks failed; the
				// report (with sample rows) is stored with it.
				return false, r, fmt.Errorf("%w: %s", ErrValidationFailed, Failures(r))
			}
			if s.Guard != nil {
				if err := s.Guard(ctx, target, q); err != nil {
					// Reported as a failed check: the deploy is rolled
					// back and its record says why.
					return false, r, fmt.Errorf("%w: deploy refused: %w", ErrValidationFailed, err)
				}
			}
			return true, r, nil
		},
	})
	done(outcome(err))
	res.Deployment = rec
	res.FailedChecks = FailedChecks(res.Validation)
	if err == nil {
		// The refresh reads through a read-only session: an embedded
		// engine allows it only once the deploy's session is closed.
		closeConn()
		res.Semantic, res.SemanticError = s.refresh(ctx, target)
	}
	s.emit(ctx, rec, nil, target, err)
	return res, err
}

// refresh regenerates the semantic layer after a deployment or rollback
// of the project's default target changed the warehouse (one refresh
// mechanism: the same method as `databridge analytics refresh`). A failed
// refresh does not fail the deployment: it is reported.
func (s *Service) refresh(ctx context.Context, target string) (*analytics.RefreshResult, string) {
	if target != s.Project.Config.DefaultTarget {
		return nil, ""
	}
	a := analytics.New(s.Project)
	a.Target = target
	r, err := a.Refresh(ctx)
	if err != nil {
		return nil, err.Error()
	}
	return r, ""
}

// ValidateInput is a run of the check suite against a deployed target.
type ValidateInput struct {
	Target string         `json:"target,omitempty" jsonschema:"Connection to check (default: the project's default target)."`
	Level  validate.Level `json:"level,omitempty" jsonschema:"basic (default) or comprehensive."`
}

// Validate runs the check suite against the deployed target (read-only).
func (s *Service) Validate(ctx context.Context, in ValidateInput) (*validate.Report, error) {
	target := s.Target(in.Target)
	lv := validate.Level(strings.ToLower(strings.TrimSpace(string(in.Level))))
	switch lv {
	case "":
		lv = validate.Basic
	case validate.Basic, validate.Comprehensive:
	default:
		return nil, fmt.Errorf("unknown level %q (basic or comprehensive)", in.Level)
	}
	ds, checks, conn, err := s.open(ctx, target, true)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	r, err := validate.Run(ctx, conn, ds.Dialect, checks, lv, validate.Options{})
	s.emit(ctx, nil, r, target, err)
	return r, err
}

// open designs the warehouse for target, makes its checks and connects to
// the target (read-only for validation).
func (s *Service) open(ctx context.Context, target string, readOnly bool) (*warehouse.Design, []validate.Check, connector.Connector, error) {
	ds, err := s.Design(ctx, target)
	if err != nil {
		return nil, nil, nil, err
	}
	checks, err := s.Checks(ctx, ds)
	if err != nil {
		return nil, nil, nil, err
	}
	conn, err := s.Connections.Connect(ctx, target, readOnly)
	if err != nil {
		return nil, nil, nil, err
	}
	return ds, checks, conn, nil
}

// RecordInput names a deployment: ID, else the target's latest (for
// Status) or latest committed (for Rollback) one.
type RecordInput struct {
	ID     string `json:"id,omitempty" jsonschema:"Deployment id (default: the target's latest)."`
	Target string `json:"target,omitempty" jsonschema:"Target connection (default: the project's default target)."`
}

// ErrNoDeployment is returned by Status when the target has no deployment.
var ErrNoDeployment = errors.New("no deployment yet: run `databridge deploy` (MCP: deploy_warehouse)")

// Status is a deployment's ledger record: ID, else the target's latest.
func (s *Service) Status(in RecordInput) (*Record, error) {
	if id := strings.TrimSpace(in.ID); id != "" {
		return s.Ledger.Get(id)
	}
	r, err := s.Ledger.Latest(s.Target(in.Target))
	if err == nil && r == nil {
		err = ErrNoDeployment
	}
	return r, err
}

// HistoryInput selects a target's deployments.
type HistoryInput struct {
	Target string `json:"target,omitempty" jsonschema:"Target connection (default: the project's default target)."`
}

// History lists the target's deployments, newest first.
func (s *Service) History(in HistoryInput) ([]Summary, error) {
	return s.Ledger.History(s.Target(in.Target))
}

// ErrNothingToRollBack is returned by Rollback when the target has no
// committed deployment.
var ErrNothingToRollBack = errors.New("no committed deployment to roll back")

// Rollback restores the target to its state before a deployment (ID, else
// the target's latest committed one); the rollback is a ledger record of
// its own. A failed rollback returns its record with the error.
func (s *Service) Rollback(ctx context.Context, in RecordInput) (*Record, error) {
	id := strings.TrimSpace(in.ID)
	if id == "" {
		last, err := s.Ledger.LastCommitted(s.Target(in.Target))
		if err != nil {
			return nil, err
		}
		if last == nil {
			return nil, ErrNothingToRollBack
		}
		id = last.ID
	}
	rec, err := s.Ledger.Get(id)
	if err != nil {
		return nil, err
	}
	conn, err := s.Connections.Connect(ctx, rec.Target, false)
	if err != nil {
		return nil, err
	}
	done := telemetry.DeploymentStarted("rollback")
	out, err := Rollback(ctx, conn, s.Ledger, id, ApplyOptions{Progress: s.Progress})
	done(outcome(err))
	conn.Close()
	if err == nil {
		s.refresh(ctx, rec.Target) // the layer follows the restored warehouse (best effort)
	}
	s.emit(ctx, out, nil, rec.Target, err)
	return out, err
}

// outcome is a deployment's status label on the metrics.
func outcome(err error) string {
	if err != nil {
		return "failed"
	}
	return "succeeded"
}

// FailedChecks are the results of a report that did not pass.
func FailedChecks(r *validate.Report) []validate.Result {
	if r == nil {
		return nil
	}
	var out []validate.Result
	for _, res := range r.Results {
		if res.Status != validate.StatusPass {
			out = append(out, res)
		}
	}
	return out
}

// Failures lists the checks of a report that did not pass, with why, on
// one line.
func Failures(r *validate.Report) string {
	var out []string
	for _, res := range r.Results {
		if res.Status != validate.StatusPass {
			msg, _, _ := strings.Cut(res.Message, "\n")
			out = append(out, fmt.Sprintf("%s (%s)", res.Name, strings.TrimSpace(msg)))
		}
	}
	return strings.Join(out, "; ")
}

// RecordReport is the validation report stored in a ledger record (nil
// when there is none).
func RecordReport(rec *Record) *validate.Report {
	if rec == nil || rec.Validation == nil {
		return nil
	}
	data, err := json.Marshal(rec.Validation)
	if err != nil {
		return nil
	}
	var r validate.Report
	if json.Unmarshal(data, &r) != nil || len(r.Results) == 0 {
		return nil
	}
	return &r
}
