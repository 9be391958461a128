package workflow

import (
	"context"
	"errors"
	"fmt"

	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/scripts"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/validate"
	"github.com/databridge/databridge/pkg/warehouse"
)

// KindWarehouse is the warehouse-creation workflow.
const KindWarehouse = "warehouse_creation"

// Steps of the warehouse-creation workflow.
const (
	StepAnalyze  = "analyze"
	StepApprove  = "approve"
	StepGenerate = "generate"
	StepDeploy   = "deploy"
	StepValidate = "validate"
)

// Service runs warehouse-creation workflows for a project.
type Service struct {
	Project  *project.Project
	Store    *Store
	Progress func(step Step)
	// DeployProgress is told about each statement of the deploy.
	DeployProgress func(done, total int, object, statement string)
	// Version names the generator in scripts.
	Version string
	// Deploys deploys and validates (nil: deploy.NewService(Project)).
	Deploys *deploy.Service
}

// NewService returns the service of a project.
func NewService(p *project.Project) *Service {
	return &Service{Project: p, Store: NewStore(p), Version: "databridge"}
}

// StartInput starts a warehouse build from a source connection.
type StartInput struct {
	Connection string `json:"connection" jsonschema:"The source connection to analyse."`
	Schema     string `json:"schema,omitempty" jsonschema:"Schema of the source (default: the connection's default)."`
	Model      string `json:"model,omitempty" jsonschema:"Model name (default: derived from the connection)."`
	Target     string `json:"target,omitempty" jsonschema:"Connection to deploy to (default: the project's default target)."`
}

func (s *Service) runner() *Runner {
	return &Runner{Store: s.Store, Progress: s.Progress, Funcs: map[string]Func{
		StepAnalyze:  s.stepAnalyze,
		StepApprove:  s.stepApprove,
		StepGenerate: s.stepGenerate,
		StepDeploy:   s.stepDeploy,
		StepValidate: s.stepValidate,
	}}
}

// Start creates the workflow and runs it up to the approval gate: the
// proposed model is then ready for review.
func (s *Service) Start(ctx context.Context, in StartInput) (*Workflow, error) {
	if in.Connection == "" {
		return nil, errors.New("a source connection is required")
	}
	name := in.Model
	if name == "" {
		name = model.NameFor(in.Connection, in.Schema)
	}
	target := in.Target
	if target == "" {
		target = s.Project.Config.DefaultTarget
	}
	w := New(KindWarehouse, map[string]string{"connection": in.Connection, "schema": in.Schema, "model": name, "target": target}, []Step{
		{Name: StepAnalyze, Phase: PhaseProposed},
		{Name: StepApprove, Phase: PhaseApproved, Gate: true},
		{Name: StepGenerate, Phase: PhaseGenerated},
		{Name: StepDeploy, Phase: PhaseDeployed},
		{Name: StepValidate, Phase: PhaseValidated},
	})
	if err := s.Store.Save(w); err != nil {
		return nil, err
	}
	err := s.runner().Run(ctx, w)
	if err != nil && !errors.Is(err, ErrWaiting) {
		return w, err
	}
	return w, nil
}

// Get loads a workflow; "" is the latest.
func (s *Service) Get(id string) (*Workflow, error) {
	if id != "" {
		return s.Store.Get(id)
	}
	list, err := s.Store.List()
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("%w: none started yet (databridge workflow start CONNECTION)", ErrNotFound)
	}
	return list[0], nil
}

// Approve passes the approval gate (approving the model) and runs the rest:
// generate, deploy, validate. "" is the latest workflow.
func (s *Service) Approve(ctx context.Context, id string) (*Workflow, error) {
	w, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	if err := w.Pass(StepApprove); err != nil {
		return nil, err
	}
	return w, s.runner().Run(ctx, w)
}

// Resume continues a workflow from its first unfinished step (after a
// crash or a failure that was fixed).
func (s *Service) Resume(ctx context.Context, id string) (*Workflow, error) {
	w, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	err = s.runner().Run(ctx, w)
	if errors.Is(err, ErrWaiting) {
		return w, nil
	}
	return w, err
}

// ProposedModel returns the model a workflow proposed.
func (s *Service) ProposedModel(id string) (*model.Model, error) {
	w, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	return model.NewStore(s.Project).Get(w.Params["model"])
}

func (s *Service) stepAnalyze(ctx context.Context, w *Workflow) (string, map[string]string, error) {
	res, err := semantic.NewService(s.Project).Analyze(ctx, semantic.AnalyzeInput{Connection: w.Params["connection"], Schema: w.Params["schema"], Name: w.Params["model"]}, nil)
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("proposed a model of %d tables and %d relationships", len(res.Model.Tables), len(res.Model.Relationships)),
		map[string]string{"model": s.Project.Path(project.ModelsDir, res.Model.Name+".yaml")}, nil
}

func (s *Service) stepApprove(ctx context.Context, w *Workflow) (string, map[string]string, error) {
	m, err := ApproveModel(ctx, s.Project, w.Params["model"])
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("approved model %s", m.Name), nil, nil
}

// ApproveModel approves a canonical model ("" = the only one; one already
// approved stays as it is) and makes it the model of the warehouse design
// (warehouse.yaml model:), so generate, deploy and validate include its
// staging, dimension and fact objects. `databridge model approve`, the MCP
// approval and the workflow's approval gate all go through here.
func ApproveModel(ctx context.Context, p *project.Project, name string) (*model.Model, error) {
	sem := semantic.NewService(p)
	m, err := sem.Get(name)
	if err != nil {
		return nil, err
	}
	if m.Status != model.StatusApproved {
		if m, err = sem.Approve(ctx, m.Name); err != nil {
			return nil, err
		}
	}
	if err := warehouse.NewService(p).UseModel(ctx, m.Name); err != nil {
		return nil, err
	}
	events.Emit(ctx, p, events.ModelApproved, map[string]any{"model": m.Name})
	return m, nil
}

// deploys is the deploy service the workflow deploys and validates with,
// told about deploy progress when DeployProgress is set.
func (s *Service) deploys() *deploy.Service {
	d := s.Deploys
	if d == nil {
		d = deploy.NewService(s.Project)
	}
	if s.DeployProgress != nil {
		c := *d
		c.Progress = s.DeployProgress
		d = &c
	}
	return d
}

func (s *Service) stepGenerate(ctx context.Context, w *Workflow) (string, map[string]string, error) {
	ds, err := s.deploys().Design(ctx, w.Params["target"])
	if err != nil {
		return "", nil, err
	}
	res, _, err := scripts.Generate(ctx, warehouse.NewService(s.Project), scripts.GenerateInput{DesignInput: warehouse.DesignInput{Dialect: ds.Dialect}}, s.Version)
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("generated %d objects for %s", len(res.Manifest.Objects), ds.Dialect), map[string]string{"scripts": res.Dir}, nil
}

// Checks returns the validation suite of the project's design
// (deploy.Service.Checks).
func (s *Service) Checks(ctx context.Context, ds *warehouse.Design) ([]validate.Check, error) {
	return s.deploys().Checks(ctx, ds)
}

// Deploy plans and applies the design to the target, validating (basic
// level) inside the deploy where the engine allows: deploy.Service.Deploy.
func (s *Service) Deploy(ctx context.Context, target string, dryRun bool) (*deploy.Plan, *deploy.Record, *validate.Report, error) {
	res, err := s.deploys().Deploy(ctx, deploy.DeployInput{Target: target, DryRun: dryRun})
	if res == nil {
		return nil, nil, nil, err
	}
	return res.Plan, res.Deployment, res.Validation, err
}

func (s *Service) stepDeploy(ctx context.Context, w *Workflow) (string, map[string]string, error) {
	res, err := s.deploys().Deploy(ctx, deploy.DeployInput{Target: w.Params["target"]})
	if err != nil || res == nil {
		return "", nil, err // a failed validation's error lists the failed checks
	}
	plan := res.Plan
	msg := fmt.Sprintf("deployed %d objects (%d created, %d replaced, %d unchanged) to %s", len(plan.Items), plan.Creates, plan.Replaces, plan.Unchanged, w.Params["target"])
	if res.SemanticError != "" {
		// The deployment stands; the layer `databridge query` reads
		// was not refreshed, and says so.
		msg += "; the semantic layer was not refreshed: " + res.SemanticError
	}
	return msg, map[string]string{"deployment": res.Deployment.ID}, nil
}

// Validate runs the suite against the deployed target:
// deploy.Service.Validate.
func (s *Service) Validate(ctx context.Context, target string, level validate.Level) (*validate.Report, error) {
	return s.deploys().Validate(ctx, deploy.ValidateInput{Target: target, Level: level})
}

func (s *Service) stepValidate(ctx context.Context, w *Workflow) (string, map[string]string, error) {
	r, err := s.Validate(ctx, w.Params["target"], validate.Comprehensive)
	if err != nil {
		return "", nil, err
	}
	if !r.OK() {
		return "", nil, fmt.Errorf("validation: %s: %s", r.Summary(), failures(r))
	}
	return fmt.Sprintf("validated: %s", r.Summary()), nil, nil
}

// failures lists the checks that did not pass, with why.
func failures(r *validate.Report) string { return deploy.Failures(r) }
