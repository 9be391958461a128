package mcpserver

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/semantic"
)

func init() {
	registerToolset(toolset{
		Name:        "semantic",
		Description: "Semantic analysis of a source and review of the proposed canonical model (keys, relationships, facts, dimensions, entities, SCD), with evidence for every inference.",
		Tools: []tool{analyzeSourceTool, reviewModelTool, approveEntityTool, mergeColumnsTool, setModelKeyTool,
			addModelRelationshipTool, removeModelRelationshipTool, approveModelTool},
	})
}

func (e *env) semantic() (*semantic.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Semantic, nil
}

var analyzeSourceTool = newTool(&mcp.Tool{
	Name: "analyze_source_schema",
	Description: "Analyse a connection's schema and store the proposed canonical model: per table rows, role (transaction/snapshot/accumulating/factless fact, dimension, bridge, time dimension), entity (customer, vendor, product, chart of accounts, ...), " +
		"primary key (grain), measures and SCD type; relationships (foreign keys, composite too) with coverage. Every inference has a confidence and evidence. Re-running keeps the reviewer's decisions and reports what changed.",
	Annotations: writeAnnotations("Analyse a source schema", false),
}, func(ctx context.Context, e *env, in semantic.AnalyzeInput) (*semantic.AnalyzeResult, error) {
	s, err := e.semantic()
	if err != nil {
		return nil, err
	}
	var report semantic.Progress
	if p := progressOf(ctx); p != nil {
		report = func(format string, args ...any) { p.step(ctx, format, args...) }
	}
	return s.Analyze(ctx, in, report)
})

type modelName struct {
	Model string `json:"model,omitempty" jsonschema:"Model name (default: the only model)."`
}

var reviewModelTool = newTool(&mcp.Tool{
	Name:        "review_canonical_model",
	Description: "Return the canonical model with every inference's confidence and evidence, the reviewer's decisions and the status (draft or approved).",
	Annotations: readOnlyAnnotations("Review the canonical model"),
}, func(ctx context.Context, e *env, in modelName) (*model.Model, error) {
	s, err := e.semantic()
	if err != nil {
		return nil, err
	}
	return s.Get(in.Model)
})

var approveEntityTool = newTool(&mcp.Tool{
	Name:        "approve_entity_mapping",
	Description: "Confirm or correct a table's entity and, optionally, its role. Recorded as a reviewer decision and re-applied on re-analysis.",
	Annotations: writeAnnotations("Approve an entity mapping", false),
}, func(ctx context.Context, e *env, in semantic.ApproveEntityInput) (*model.Model, error) {
	s, err := e.semantic()
	if err != nil {
		return nil, err
	}
	return s.ApproveEntity(ctx, in)
})

type mergeInput struct {
	Model    string   `json:"model,omitempty" jsonschema:"Model name (default: the only model)."`
	Table    string   `json:"table" jsonschema:"The table."`
	Columns  []string `json:"columns" jsonschema:"Two or more source columns to merge."`
	Into     string   `json:"into" jsonschema:"Name of the merged column."`
	Strategy string   `json:"strategy,omitempty" jsonschema:"coalesce (default), concatenate or first_non_null."`
}

var mergeColumnsTool = newTool(&mcp.Tool{
	Name:        "merge_source_columns",
	Description: "Merge source columns into one model column with a strategy (coalesce, concatenate, first_non_null). Recorded as a reviewer decision.",
	Annotations: writeAnnotations("Merge source columns", false),
}, func(ctx context.Context, e *env, in mergeInput) (*model.Model, error) {
	s, err := e.semantic()
	if err != nil {
		return nil, err
	}
	return s.Decide(ctx, in.Model, model.Decision{Action: model.ActionMergeColumns, Table: in.Table, Columns: in.Columns, Into: in.Into, Strategy: in.Strategy})
})

type setKeyInput struct {
	Model   string   `json:"model,omitempty" jsonschema:"Model name (default: the only model)."`
	Table   string   `json:"table" jsonschema:"The table."`
	Columns []string `json:"columns" jsonschema:"The key (grain) columns."`
}

var setModelKeyTool = newTool(&mcp.Tool{
	Name:        "set_model_key",
	Description: "Set a table's primary key (grain). Recorded as a reviewer decision.",
	Annotations: writeAnnotations("Set a table key", false),
}, func(ctx context.Context, e *env, in setKeyInput) (*model.Model, error) {
	s, err := e.semantic()
	if err != nil {
		return nil, err
	}
	return s.Decide(ctx, in.Model, model.Decision{Action: model.ActionSetKey, Table: in.Table, Columns: in.Columns})
})

type relInput struct {
	Model     string   `json:"model,omitempty" jsonschema:"Model name (default: the only model)."`
	Table     string   `json:"table" jsonschema:"The child table."`
	Columns   []string `json:"columns" jsonschema:"The child columns."`
	ToTable   string   `json:"to_table,omitempty" jsonschema:"The parent table (required to add)."`
	ToColumns []string `json:"to_columns,omitempty" jsonschema:"The parent key columns, in the same order (required to add)."`
}

var addModelRelationshipTool = newTool(&mcp.Tool{
	Name:        "add_model_relationship",
	Description: "Add a relationship (foreign key, possibly composite) from child columns to parent key columns. Recorded as a reviewer decision.",
	Annotations: writeAnnotations("Add a relationship", false),
}, func(ctx context.Context, e *env, in relInput) (*model.Model, error) {
	s, err := e.semantic()
	if err != nil {
		return nil, err
	}
	return s.Decide(ctx, in.Model, model.Decision{Action: model.ActionAddRelationship, Table: in.Table, Columns: in.Columns, ToTable: in.ToTable, ToColumns: in.ToColumns})
})

var removeModelRelationshipTool = newTool(&mcp.Tool{
	Name:        "remove_model_relationship",
	Description: "Remove the relationship of child columns. Recorded as a reviewer decision (re-analysis will not bring it back).",
	Annotations: writeAnnotations("Remove a relationship", true),
}, func(ctx context.Context, e *env, in relInput) (*model.Model, error) {
	s, err := e.semantic()
	if err != nil {
		return nil, err
	}
	return s.Decide(ctx, in.Model, model.Decision{Action: model.ActionRemoveRelationship, Table: in.Table, Columns: in.Columns, ToTable: in.ToTable, ToColumns: in.ToColumns})
})

var approveModelTool = newTool(&mcp.Tool{
	Name:        "approve_canonical_model",
	Description: "Approve the model for generation: every table needs a role and a key. Any later correction returns it to draft.",
	Annotations: writeAnnotations("Approve the canonical model", false),
}, func(ctx context.Context, e *env, in modelName) (*model.Model, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	// The same approval as `databridge model approve`: the model also
	// becomes the warehouse design's (warehouse.yaml model:).
	return s.ApproveModel(ctx, in.Model)
})
