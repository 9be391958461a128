package mcpserver

import (
	"context"
	"errors"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/advanced"
	"github.com/databridge/databridge/pkg/scripts"
	"github.com/databridge/databridge/pkg/warehouse"
)

func init() {
	registerToolset(toolset{
		Name:        "warehouse",
		Description: "Warehouse design and generation: the TBL_0 → VW_1 → DT_2 → DT_3A → DT_3 pipeline per bound hierarchy, as SQL for seven engines.",
		Tools:       []tool{designWarehouseTool, previewDDLTool},
	})
}

func (e *env) warehouse() (*warehouse.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Warehouse, nil
}

type designInput struct {
	warehouse.DesignInput
	OutputMode string `json:"output_mode,omitempty" jsonschema:"sql (Basic Mode scripts; the default) or dbt (Advanced Mode: the warehouse as a complete dbt project for the dialect as adapter, written to out unless dry_run)."`
	Write      bool   `json:"write,omitempty" jsonschema:"sql mode: also write the scripts and manifest.json to generated/sql/<dialect> in the project."`
	// dbt mode (advanced.GenerateInput).
	Out     string `json:"out,omitempty" jsonschema:"dbt mode: output folder, relative to the project (default generated/dbt)."`
	DryRun  bool   `json:"dry_run,omitempty" jsonschema:"dbt mode: generate without writing; list the files and models."`
	Git     bool   `json:"git,omitempty" jsonschema:"dbt mode: commit the generated project to the git repository in the output folder (created when missing); an unchanged regeneration makes no commit."`
	Message string `json:"message,omitempty" jsonschema:"dbt mode with git: commit message."`
	Branch  string `json:"branch,omitempty" jsonschema:"dbt mode with git: branch to commit on (default main or the current branch)."`
}

// designOutput is the design (scripts.GenerateResult, as
// `databridge generate sql --json`) and, in dbt mode, the generated dbt
// project (as `databridge generate dbt --json`).
type designOutput struct {
	scripts.GenerateResult
	DBT *advanced.GenerateResult `json:"dbt,omitempty" jsonschema:"output_mode dbt: the generated dbt project (folder, models, seeds, tests, files, changed files, git commit)."`
}

var designWarehouseTool = newTool(&mcp.Tool{
	Name: "design_warehouse_model",
	Description: "Design the warehouse for the project's bound hierarchies (.databridge/warehouse.yaml) on one engine: every object (TBL_0, TBL_0_MAPPING, VW_1, DT_2, DT_3A, DT_3) with its kind there (dynamic table, materialized view, table, view), dependencies, script file and checksum, in dependency order. " +
		"With write, the dependency-ordered scripts and manifest.json are written too. " +
		"With output_mode dbt (Advanced Mode) the warehouse is also generated as a complete dbt project for the dialect (sources, staging, hierarchy seeds, pipeline models, marts, tests), " +
		"written to out (default generated/dbt) unless dry_run, and committed to git with git; the result's dbt field lists its models, files and the files that changed.",
	Annotations: writeAnnotations("Design the warehouse", false),
}, func(ctx context.Context, e *env, in designInput) (*designOutput, error) {
	s, err := e.warehouse()
	if err != nil {
		return nil, err
	}
	switch in.OutputMode {
	case "", "sql":
		if in.Out != "" || in.DryRun || in.Git || in.Message != "" || in.Branch != "" {
			return nil, errors.New("out, dry_run, git, message and branch apply to output_mode dbt; for sql use write")
		}
		// The scripts name their generator as `generate sql` does, so
		// both faces write the same files (and checksums).
		res, _, err := scripts.Generate(ctx, s, scripts.GenerateInput{DesignInput: in.DesignInput, DryRun: !in.Write}, "databridge "+e.version)
		if err != nil {
			return nil, err
		}
		return &designOutput{GenerateResult: *res}, nil
	case "dbt":
		if len(in.Hierarchies) > 0 {
			return nil, errors.New("hierarchies cannot be combined with output_mode dbt: the dbt project holds every bound hierarchy")
		}
		if in.Write {
			return nil, errors.New("write applies to output_mode sql; the dbt project is written unless dry_run")
		}
		// The design itself, not written: the objects the dbt models implement.
		res, _, err := scripts.Generate(ctx, s, scripts.GenerateInput{DesignInput: in.DesignInput, DryRun: true}, "databridge "+e.version)
		if err != nil {
			return nil, err
		}
		svc, err := e.services()
		if err != nil {
			return nil, err
		}
		d, _, err := svc.Advanced.Generate(ctx, advanced.GenerateInput{
			Adapter: in.Dialect, Out: in.Out, DryRun: in.DryRun, Git: in.Git, Message: in.Message, Branch: in.Branch,
		})
		if err != nil {
			return nil, err
		}
		return &designOutput{GenerateResult: *res, DBT: d}, nil
	}
	return nil, fmt.Errorf("unknown output_mode %q: use sql (Basic Mode scripts) or dbt (Advanced Mode dbt project)", in.OutputMode)
})

var previewDDLTool = newTool(&mcp.Tool{
	Name:        "preview_generated_ddl",
	Description: "Show one generated object's DDL and load statements for an engine, with its kind, dependencies and checksum.",
	Annotations: readOnlyAnnotations("Preview generated DDL"),
}, func(ctx context.Context, e *env, in warehouse.PreviewInput) (*warehouse.Object, error) {
	s, err := e.warehouse()
	if err != nil {
		return nil, err
	}
	return s.Preview(ctx, in)
})
