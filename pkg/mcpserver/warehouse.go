package mcpserver

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

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
	p, err := e.project()
	if err != nil {
		return nil, err
	}
	return warehouse.NewService(p), nil
}

type designInput struct {
	warehouse.DesignInput
	OutputMode string `json:"output_mode,omitempty" jsonschema:"sql (Basic Mode scripts; the default). dbt arrives with Advanced Mode."`
	Write      bool   `json:"write,omitempty" jsonschema:"Also write the scripts and manifest.json to generated/sql/<dialect> in the project."`
}

var designWarehouseTool = newTool(&mcp.Tool{
	Name: "design_warehouse_model",
	Description: "Design the warehouse for the project's bound hierarchies (.databridge/warehouse.yaml) on one engine: every object (TBL_0, TBL_0_MAPPING, VW_1, DT_2, DT_3A, DT_3) with its kind there (dynamic table, materialized view, table, view), dependencies, script file and checksum, in dependency order. " +
		"With write, the dependency-ordered scripts and manifest.json are written too.",
	Annotations: writeAnnotations("Design the warehouse", false),
}, func(ctx context.Context, e *env, in designInput) (*scripts.GenerateResult, error) {
	s, err := e.warehouse()
	if err != nil {
		return nil, err
	}
	if in.OutputMode != "" && in.OutputMode != "sql" {
		return nil, errUnsupportedMode(in.OutputMode)
	}
	res, _, err := scripts.Generate(ctx, s, scripts.GenerateInput{DesignInput: in.DesignInput, DryRun: !in.Write}, "databridge mcp")
	return res, err
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

type modeError string

func (m modeError) Error() string {
	return "output_mode " + string(m) + " is not available yet: use sql (dbt projects arrive with Advanced Mode)"
}

func errUnsupportedMode(m string) error { return modeError(m) }
