package mcpserver

import (
	"context"
	"errors"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/validate"
	"github.com/databridge/databridge/pkg/workflow"
)

func init() {
	registerToolset(toolset{
		Name:        "deploy",
		Description: "Deploy the designed warehouse to a target (planned, validated, recorded in a ledger), check it, and roll deployments back.",
		Tools:       []tool{deployWarehouseTool, deploymentStatusTool, rollbackDeploymentTool, validateDeploymentTool},
	})
	registerToolset(toolset{
		Name:        "workflow",
		Description: "Build a warehouse step by step — analysis, proposed model, approval, generation, deployment, validation — with its status persisted and resumable.",
		Tools:       []tool{workflowStartTool, workflowProposedModelTool, workflowApproveTool, workflowStatusTool},
	})
}

func (e *env) workflows() (*workflow.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Workflow, nil
}

func (e *env) deploys() (*deploy.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Deploy, nil
}

var deployWarehouseTool = newTool(&mcp.Tool{
	Name: "deploy_warehouse",
	Description: "Plan and apply the warehouse design (approved model and bound hierarchies) to a target in dependency order. On DuckDB, PostgreSQL and SQL Server it runs in one transaction committed only if the basic checks pass; elsewhere replaced objects are restored on failure. " +
		"Returns the plan, the ledger record and the checks. dry_run returns the plan only. When checks fail the deployment is rolled back and the result (with failed_checks) is marked isError.",
	Annotations: writeAnnotations("Deploy the warehouse", true),
}, func(ctx context.Context, e *env, in deploy.DeployInput) (*deploy.DeployResult, error) {
	s, err := e.deploys()
	if err != nil {
		return nil, err
	}
	s.Progress = deployProgress(ctx)
	res, err := s.Deploy(ctx, in)
	if err != nil && res != nil && res.Deployment != nil {
		rec := res.Deployment
		if errors.Is(err, deploy.ErrValidationFailed) && res.Validation != nil {
			// deploy exits 3: the result (with failed_checks) and isError.
			return res, checksFailed("deployment %s rolled back: %d of %d checks failed: %s (failed_checks lists them with sample rows; get_deployment_status shows them again)",
				rec.ID, len(res.FailedChecks), len(res.Validation.Results), deploy.Failures(res.Validation))
		}
		return nil, errors.New("deployment " + rec.ID + " " + rec.Status + ": " + rec.Error)
	}
	return res, err
})

var deploymentStatusTool = newTool(&mcp.Tool{
	Name:        "get_deployment_status",
	Description: "Return a deployment's ledger record: plan, statements with timings, status (committed, failed, rolled_back, recovered), errors, who and when.",
	Annotations: readOnlyAnnotations("Get deployment status"),
}, func(ctx context.Context, e *env, in deploy.RecordInput) (*deploy.Record, error) {
	s, err := e.deploys()
	if err != nil {
		return nil, err
	}
	return s.Status(in)
})

var rollbackDeploymentTool = newTool(&mcp.Tool{
	Name:        "rollback_deployment",
	Description: "Restore the target to its state before a deployment (default: the latest committed one), recorded as a rollback in the ledger.",
	Annotations: writeAnnotations("Roll back a deployment", true),
}, func(ctx context.Context, e *env, in deploy.RecordInput) (*deploy.Record, error) {
	s, err := e.deploys()
	if err != nil {
		return nil, err
	}
	s.Progress = deployProgress(ctx)
	return s.Rollback(ctx, in)
})

var validateDeploymentTool = newTool(&mcp.Tool{
	Name:        "validate_deployment",
	Description: "Run the check suite against the deployed target: row counts, keys, relationships (comprehensive), accepted values, every source account mapped, statements tying out, trial balance zero, balance sheet balancing. Failures carry sample rows. When a check fails or cannot be evaluated the result is still the full report, marked isError.",
	Annotations: readOnlyAnnotations("Validate the deployment"),
}, func(ctx context.Context, e *env, in deploy.ValidateInput) (*validate.Report, error) {
	s, err := e.deploys()
	if err != nil {
		return nil, err
	}
	r, err := s.Validate(ctx, in)
	if err == nil && !r.OK() {
		// validate exits 3: the report and isError.
		return r, checksFailed("%s; failing: %s", r.Summary(), deploy.Failures(r))
	}
	return r, err
})

var workflowStartTool = newTool(&mcp.Tool{
	Name:        "workflow_start_warehouse_creation",
	Description: "Start a warehouse build from a source connection: the source is analysed and the workflow stops for approval of the proposed model (review it with workflow_get_proposed_model, correct it with the semantic tools, then workflow_approve_model).",
	Annotations: writeAnnotations("Start a warehouse build", false),
}, func(ctx context.Context, e *env, in workflow.StartInput) (*workflow.Workflow, error) {
	s, err := e.workflows()
	if err != nil {
		return nil, err
	}
	return s.Start(ctx, in)
})

type workflowIDInput struct {
	ID string `json:"id,omitempty" jsonschema:"Workflow id (default: the latest workflow)."`
}

var workflowProposedModelTool = newTool(&mcp.Tool{
	Name:        "workflow_get_proposed_model",
	Description: "Return the canonical model a workflow proposed, with every inference's confidence and evidence.",
	Annotations: readOnlyAnnotations("Get the proposed model"),
}, func(ctx context.Context, e *env, in workflowIDInput) (*model.Model, error) {
	s, err := e.workflows()
	if err != nil {
		return nil, err
	}
	return s.ProposedModel(in.ID)
})

var workflowApproveTool = newTool(&mcp.Tool{
	Name:        "workflow_approve_model",
	Description: "Approve the workflow's proposed model and run the rest: generate, deploy (validated) and validate. Returns the workflow with each step's outcome.",
	Annotations: writeAnnotations("Approve and build", true),
}, func(ctx context.Context, e *env, in workflowIDInput) (*workflow.Workflow, error) {
	s, err := e.workflows()
	if err != nil {
		return nil, err
	}
	s.DeployProgress = deployProgress(ctx)
	w, err := s.Approve(ctx, in.ID)
	if err != nil && w != nil {
		return nil, errors.New("workflow " + w.ID + " " + w.Status + ": " + err.Error())
	}
	return w, err
})

var workflowStatusTool = newTool(&mcp.Tool{
	Name:        "workflow_get_status",
	Description: "Return a workflow's phase, percent, current step, each step's status and message, artifacts and errors.",
	Annotations: readOnlyAnnotations("Get workflow status"),
}, func(ctx context.Context, e *env, in workflowIDInput) (*workflow.Workflow, error) {
	s, err := e.workflows()
	if err != nil {
		return nil, err
	}
	return s.Get(in.ID)
})
