package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/hierarchy"
)

func init() {
	registerToolset(toolset{
		Name:        "hierarchy",
		Description: "Financial reporting hierarchies (P&L, balance sheet, cost centres...): build trees, map source codes to leaves, define formulas, version, validate and roll up.",
		Tools: []tool{
			listHierarchiesTool, listTemplatesTool, getHierarchyTool, validateHierarchyTool, rollupHierarchyTool, exportHierarchyTool, listMappingRulesTool, explainFormulaTool, diffHierarchyTool,
			createHierarchyTool, updateHierarchyTool, newFromTemplateTool, addNodeTool, updateNodeTool, moveNodeTool, removeNodeTool,
			addMappingRuleTool, removeMappingRuleTool, setFormulaTool, publishHierarchyTool, importHierarchyTool,
		},
	})
}

func (e *env) hierarchies() (*hierarchy.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Hierarchies, nil
}

// writeAnnotations marks a tool that changes project files.
func writeAnnotations(title string, destructive bool) *mcp.ToolAnnotations {
	f := false
	return &mcp.ToolAnnotations{Title: title, ReadOnlyHint: false, DestructiveHint: &destructive, IdempotentHint: false, OpenWorldHint: &f}
}

type hierarchyID struct {
	ID string `json:"id" jsonschema:"Hierarchy id (see list_hierarchies)."`
}

var listHierarchiesTool = newTool(&mcp.Tool{
	Name:        "list_hierarchies",
	Description: "List the project's reporting hierarchies with kind, version, status (draft/published) and counts of nodes, leaves, rules and formulas.",
	Annotations: readOnlyAnnotations("List hierarchies"),
}, func(ctx context.Context, e *env, _ struct{}) (app.HierarchyList, error) {
	s, err := e.services()
	if err != nil {
		return app.HierarchyList{}, err
	}
	return s.ListHierarchies()
})

type getHierarchyInput struct {
	ID      string `json:"id" jsonschema:"Hierarchy id."`
	Version int    `json:"version,omitempty" jsonschema:"A published version number; leave out for the current version."`
}

type getHierarchyOutput struct {
	Hierarchy *hierarchy.Hierarchy `json:"hierarchy"`
	Tree      []hierarchy.TreeLine `json:"tree"`
}

var getHierarchyTool = newTool(&mcp.Tool{
	Name:        "get_hierarchy",
	Description: "Get a hierarchy: the full document (nodes with parent, type, consolidation +/-/~, sign flip, formulas, mapping rules) and a tree view in reporting order with depths.",
	Annotations: readOnlyAnnotations("Get a hierarchy"),
}, func(ctx context.Context, e *env, in getHierarchyInput) (getHierarchyOutput, error) {
	s, err := e.hierarchies()
	if err != nil {
		return getHierarchyOutput{}, err
	}
	h, err := s.Get(in.ID, in.Version)
	if err != nil {
		return getHierarchyOutput{}, err
	}
	return getHierarchyOutput{Hierarchy: h, Tree: hierarchy.Tree(h)}, nil
})

type listRulesInput struct {
	ID        string `json:"id" jsonschema:"Hierarchy id."`
	Node      string `json:"node,omitempty" jsonschema:"A node code; leave out for every leaf's rules."`
	Inherited bool   `json:"inherited,omitempty" jsonschema:"With node: also list the rules of its descendant leaves."`
}

var listMappingRulesTool = newTool(&mcp.Tool{
	Name:        "list_mapping_rules",
	Description: "List mapping rules (which source codes map to which leaf): every leaf's, one node's, or a rollup's inherited rules. Each rule has its 1-based index for remove_mapping_rule.",
	Annotations: readOnlyAnnotations("List mapping rules"),
}, func(ctx context.Context, e *env, in listRulesInput) (app.RuleList, error) {
	s, err := e.services()
	if err != nil {
		return app.RuleList{}, err
	}
	return s.ListMappingRules(in.ID, in.Node, in.Inherited)
})

type codeInput struct {
	ID   string `json:"id" jsonschema:"Hierarchy id."`
	Code string `json:"code" jsonschema:"Node code."`
}

var explainFormulaTool = newTool(&mcp.Tool{
	Name:        "explain_formula",
	Description: "Explain a formula node: its expression, the nodes it references, its evaluation order and the expression expanded down to non-formula nodes.",
	Annotations: readOnlyAnnotations("Explain a formula"),
}, func(ctx context.Context, e *env, in codeInput) (hierarchy.FormulaInfo, error) {
	s, err := e.hierarchies()
	if err != nil {
		return hierarchy.FormulaInfo{}, err
	}
	h, err := s.Get(in.ID, 0)
	if err != nil {
		return hierarchy.FormulaInfo{}, err
	}
	return hierarchy.ExplainFormula(h, in.Code)
})

type diffInput struct {
	ID   string `json:"id" jsonschema:"Hierarchy id."`
	From int    `json:"from" jsonschema:"The older version number."`
	To   int    `json:"to,omitempty" jsonschema:"The newer version; leave out for the current version."`
}

var diffHierarchyTool = newTool(&mcp.Tool{
	Name:        "diff_hierarchy_versions",
	Description: "Compare two versions of a hierarchy: nodes added, removed, moved (new parent or reordered), changed (name, type, consolidation, sign, formula) and mapping rules added or removed.",
	Annotations: readOnlyAnnotations("Diff hierarchy versions"),
}, func(ctx context.Context, e *env, in diffInput) (*hierarchy.Diff, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	return s.Diff(in.ID, in.From, in.To)
})

var createHierarchyTool = newTool(&mcp.Tool{
	Name:        "create_hierarchy",
	Description: "Create an empty hierarchy (version 1, draft). kind: income_statement, balance_sheet, cash_flow, cost_center, profit_center, legal_entity, geography, product or custom. source_columns names the source column(s) its leaves map, e.g. [\"account\"]. matching (optional) says how its rules compare codes: {\"case\": \"insensitive\", \"trim\": true} makes the rule abc take ABC and 'Abc ' too; default exact (case- and space-sensitive).",
	Annotations: writeAnnotations("Create a hierarchy", false),
}, func(ctx context.Context, e *env, in hierarchy.CreateInput) (hierarchy.Summary, error) {
	s, err := e.hierarchies()
	if err != nil {
		return hierarchy.Summary{}, err
	}
	h, err := s.Create(ctx, in)
	if err != nil {
		return hierarchy.Summary{}, err
	}
	return hierarchy.Summarize(h), nil
})

type updateHierarchyInput struct {
	ID string `json:"id" jsonschema:"Hierarchy id."`
	hierarchy.UpdateInput
}

var updateHierarchyTool = newTool(&mcp.Tool{
	Name:        "update_hierarchy",
	Description: "Change a hierarchy's name, kind, description, source_columns or matching option ({\"case\": \"insensitive\"|\"sensitive\", \"trim\": true|false}). Only the fields given change; at least one is required. A published hierarchy gets a new draft version.",
	Annotations: writeAnnotations("Update a hierarchy", false),
}, func(ctx context.Context, e *env, in updateHierarchyInput) (*hierarchy.Result, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	return s.Update(ctx, in.ID, in.UpdateInput)
})

type addNodeInput struct {
	ID string `json:"id" jsonschema:"Hierarchy id."`
	hierarchy.NodeInput
}

var addNodeTool = newTool(&mcp.Tool{
	Name: "add_hierarchy_node",
	Description: "Add a node. type: rollup (sums children), leaf (carries mapping rules), formula (expression over node codes, e.g. \"REV - COGS\"; codes that are not identifiers in brackets: [4000]) or label. " +
		"consolidation: + adds to the parent (default), - subtracts, ~ does not roll up (use ~ for formula lines such as Gross Profit). flip_sign flips the sign for presentation. position is 1-based among siblings (0 = last). Editing a published hierarchy starts a new draft version.",
	Annotations: writeAnnotations("Add a node", false),
}, func(ctx context.Context, e *env, in addNodeInput) (*hierarchy.Result, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Hierarchies.AddNode(ctx, in.ID, in.NodeInput)
})

type updateNodeInput struct {
	ID   string `json:"id" jsonschema:"Hierarchy id."`
	Code string `json:"code" jsonschema:"The node to change."`
	hierarchy.NodePatch
}

var updateNodeTool = newTool(&mcp.Tool{
	Name:        "update_hierarchy_node",
	Description: "Change a node's code (children and formulas referencing it are updated), name, type, consolidation, sign flip or properties. Only the fields given change.",
	Annotations: writeAnnotations("Update a node", false),
}, func(ctx context.Context, e *env, in updateNodeInput) (*hierarchy.Result, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Hierarchies.UpdateNode(ctx, in.ID, in.Code, in.NodePatch)
})

type moveNodeInput struct {
	ID       string `json:"id" jsonschema:"Hierarchy id."`
	Code     string `json:"code" jsonschema:"The node to move (its subtree moves with it)."`
	Parent   string `json:"parent" jsonschema:"The new parent; empty makes it a root."`
	Position int    `json:"position,omitempty" jsonschema:"1-based place among the new siblings; 0 = last."`
}

var moveNodeTool = newTool(&mcp.Tool{
	Name:        "move_hierarchy_node",
	Description: "Move a node with its subtree under a new parent at a position. Moving a node under its own descendant is refused.",
	Annotations: writeAnnotations("Move a node", false),
}, func(ctx context.Context, e *env, in moveNodeInput) (*hierarchy.Result, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	return s.MoveNode(ctx, in.ID, in.Code, in.Parent, in.Position)
})

type removeNodeInput struct {
	ID           string `json:"id" jsonschema:"Hierarchy id."`
	Code         string `json:"code" jsonschema:"The node to remove."`
	WithChildren bool   `json:"with_children,omitempty" jsonschema:"Remove the whole subtree; otherwise the children move up in the node's place."`
}

var removeNodeTool = newTool(&mcp.Tool{
	Name:        "remove_hierarchy_node",
	Description: "Remove a node. Refused while a formula references it.",
	Annotations: writeAnnotations("Remove a node", true),
}, func(ctx context.Context, e *env, in removeNodeInput) (*hierarchy.Result, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	return s.RemoveNode(ctx, in.ID, in.Code, in.WithChildren)
})

type addRuleInput struct {
	ID   string `json:"id" jsonschema:"Hierarchy id."`
	Node string `json:"node" jsonschema:"The leaf the codes map to."`
	hierarchy.Rule
}

var addMappingRuleTool = newTool(&mcp.Tool{
	Name: "add_mapping_rule",
	Description: "Map source codes to a leaf. match: exact (value), list (values), range (from..to of the SAME width: 41000 is not in 4000..4999), prefix (value), pattern (value with * and ?). " +
		"exclude removes matching codes from this leaf's other rules. precedence: when leaves overlap, the lower number wins (default 1). column defaults to the hierarchy's first source column.",
	Annotations: writeAnnotations("Add a mapping rule", false),
}, func(ctx context.Context, e *env, in addRuleInput) (*hierarchy.Result, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	return s.AddRule(ctx, in.ID, in.Node, in.Rule)
})

type removeRuleInput struct {
	ID    string `json:"id" jsonschema:"Hierarchy id."`
	Node  string `json:"node" jsonschema:"The leaf."`
	Index int    `json:"index" jsonschema:"1-based rule number on the leaf (see list_mapping_rules)."`
}

var removeMappingRuleTool = newTool(&mcp.Tool{
	Name:        "remove_mapping_rule",
	Description: "Remove one mapping rule from a leaf by its 1-based index.",
	Annotations: writeAnnotations("Remove a mapping rule", true),
}, func(ctx context.Context, e *env, in removeRuleInput) (*hierarchy.Result, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	return s.RemoveRule(ctx, in.ID, in.Node, in.Index)
})

type setFormulaInput struct {
	ID         string                 `json:"id" jsonschema:"Hierarchy id."`
	Code       string                 `json:"code" jsonschema:"The formula node (a childless node without rules becomes a formula node)."`
	Expression string                 `json:"expression" jsonschema:"Expression over node codes: + - * / ( ) numbers ABS ROUND MIN MAX; codes that are not identifiers in brackets, e.g. [4000]."`
	Nulls      hierarchy.NullHandling `json:"nulls,omitempty" jsonschema:"A referenced node without a value counts as zero (default), makes the line empty (skip), or is an error."`
}

var setFormulaTool = newTool(&mcp.Tool{
	Name:        "set_formula",
	Description: "Set a formula node's expression. Unknown references, self-references, references to the node's own ancestors and cycles between formulas are refused.",
	Annotations: writeAnnotations("Set a formula", false),
}, func(ctx context.Context, e *env, in setFormulaInput) (*hierarchy.Result, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	return s.SetFormula(ctx, in.ID, in.Code, in.Expression, in.Nulls)
})

var publishHierarchyTool = newTool(&mcp.Tool{
	Name:        "publish_hierarchy",
	Description: "Publish the current draft: it becomes an immutable version; the next change starts a new draft. Validate first (validate_hierarchy) to be sure every source code is mapped.",
	Annotations: writeAnnotations("Publish a hierarchy", false),
}, func(ctx context.Context, e *env, in hierarchyID) (*hierarchy.Result, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	return s.Publish(ctx, in.ID)
})

var listTemplatesTool = newTool(&mcp.Tool{
	Name:        "list_hierarchy_templates",
	Description: "List the built-in hierarchy templates (standard P&L, balance sheet, cash flow, industry P&Ls, cost centres, geography...) with kind and node/leaf/formula counts. Create one with create_hierarchy_from_template.",
	Annotations: readOnlyAnnotations("List hierarchy templates"),
}, func(ctx context.Context, e *env, _ struct{}) (app.TemplateList, error) {
	return app.ListTemplates()
})

var newFromTemplateTool = newTool(&mcp.Tool{
	Name:        "create_hierarchy_from_template",
	Description: "Create a hierarchy (version 1, draft) from a built-in template, with its structure, formulas and typical mapping rules (e.g. 4-digit account ranges). Adjust the rules to the source chart of accounts, then validate.",
	Annotations: writeAnnotations("Create a hierarchy from a template", false),
}, func(ctx context.Context, e *env, in hierarchy.NewInput) (hierarchy.Summary, error) {
	s, err := e.hierarchies()
	if err != nil {
		return hierarchy.Summary{}, err
	}
	h, err := s.NewFromTemplate(ctx, in)
	if err != nil {
		return hierarchy.Summary{}, err
	}
	return hierarchy.Summarize(h), nil
})

var validateHierarchyTool = newTool(&mcp.Tool{
	Name: "validate_hierarchy",
	Description: "Validate a hierarchy. Structural checks always (cycles, orphans, duplicate codes, leaves without rules, bad or cyclic formulas, overlapping ranges). " +
		"With against (CONNECTION.TABLE.COLUMN) the source column's distinct values are resolved through the rules in the engine: unmapped codes (errors when amount is given and they carry activity), codes double-mapped in one precedence group, rules that match nothing. " +
		"Each finding has a code, severity, node, message and a fix hint; errors > 0 means invalid, and the report is then marked isError.",
	Annotations: readOnlyAnnotations("Validate a hierarchy"),
}, func(ctx context.Context, e *env, in hierarchy.ValidateInput) (*hierarchy.Report, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	rep, err := s.Validate(ctx, in)
	if err == nil && !rep.OK() {
		// hierarchy validate exits 3: the report and isError.
		return rep, checksFailed("hierarchy %s v%d is invalid: %d errors, %d warnings (see findings)", rep.ID, rep.Version, rep.Errors, rep.Warnings)
	}
	return rep, err
})

// rollupOutputSchema is RollupResult's with amounts (hierarchy.Amount) as
// exact decimal strings, as run_query writes decimals.
func rollupOutputSchema() *jsonschema.Schema {
	s, err := jsonschema.For[hierarchy.RollupResult](&jsonschema.ForOptions{TypeSchemas: map[reflect.Type]*jsonschema.Schema{
		reflect.TypeFor[hierarchy.Amount](): {Type: "string", Description: "Exact decimal, e.g. \"3545970.24\"", Pattern: `^-?[0-9]+(\.[0-9]+)?$`},
	}})
	if err != nil {
		panic(err)
	}
	return s
}

var rollupHierarchyTool = newTool(&mcp.Tool{
	Name: "rollup_hierarchy",
	Description: "Compute a statement from source data in the engine: every leaf (rows mapped through the rules), every rollup (with consolidation signs) and every formula, by optional grouping columns (period, entity). " +
		"values carry natural signs (credits negative); presentation_values apply each line's flip_sign. unmapped and source_total per group prove the statement ties out.",
	Annotations:  readOnlyAnnotations("Roll up a hierarchy"),
	OutputSchema: rollupOutputSchema(),
}, func(ctx context.Context, e *env, in hierarchy.RollupRequest) (*hierarchy.RollupResult, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	return s.Rollup(ctx, in)
})

// importInput is import_hierarchy_csv's input: hierarchy.ImportInput
// without file (an MCP client sends the content, not a path on the
// server).
type importInput struct {
	ID            string         `json:"id" jsonschema:"Hierarchy id to import into (or to create, with create)."`
	CSV           string         `json:"csv" jsonschema:"The CSV content itself (header and rows)."`
	Create        bool           `json:"create,omitempty" jsonschema:"Create the hierarchy from this nodes file (it must not exist)."`
	Name          string         `json:"name,omitempty" jsonschema:"Name of a created hierarchy (default: the id)."`
	Kind          hierarchy.Kind `json:"kind,omitempty" jsonschema:"Kind of a created hierarchy (default: custom)."`
	SourceColumns []string       `json:"source_columns,omitempty" jsonschema:"Source columns of a created hierarchy, e.g. [\"account\"]."`
	DryRun        bool           `json:"dry_run,omitempty" jsonschema:"Report what would change; change nothing."`
	SkipBadRows   bool           `json:"skip_bad_rows,omitempty" jsonschema:"Import the good rows even if some are rejected (default: reject the whole file)."`
	ReplaceRules  bool           `json:"replace_rules,omitempty" jsonschema:"Mapping files: replace every rule of each leaf named in the file."`
}

var importHierarchyTool = newTool(&mcp.Tool{
	Name: "import_hierarchy_csv",
	Description: "Import CSV content into a hierarchy; the format is detected from the header: parent-child nodes (code, name, parent, sort, type, consolidation, flip_sign, formula), wide levels (level_1, level_2 ... or level_N_code/level_N_name) or mapping rules (node, column, match, value, from, to, action, precedence). " +
		"Every rejected row comes back with its line number and reason and nothing is imported unless skip_bad_rows (the result, with rejected, is then marked isError); dry_run changes nothing. create makes a new hierarchy from a nodes file.",
	Annotations: writeAnnotations("Import hierarchy CSV", false),
}, func(ctx context.Context, e *env, in importInput) (*hierarchy.ImportOutcome, error) {
	s, err := e.hierarchies()
	if err != nil {
		return nil, err
	}
	// A dry run takes the real import's path, so it refuses the same rows
	// with the same reasons; only the first words differ.
	out, err := s.Import(ctx, hierarchy.ImportInput{
		ID: in.ID, CSV: in.CSV, Create: in.Create, Name: in.Name, Kind: in.Kind, SourceColumns: in.SourceColumns,
		DryRun: in.DryRun, SkipBadRows: in.SkipBadRows, ReplaceRules: in.ReplaceRules,
	})
	if err != nil && out != nil && errors.Is(err, hierarchy.ErrRowsRejected) {
		var lines []string
		for _, r := range out.Rejected {
			lines = append(lines, fmt.Sprintf("line %d: %s", r.Line, r.Reason))
		}
		prefix := ""
		if in.DryRun {
			prefix = "dry run (nothing was changed): "
		}
		// The outcome (with every rejected row) and isError, as
		// hierarchy import --json prints it before failing.
		return out, checksFailed("%s%d rows rejected, nothing imported (fix them, or pass skip_bad_rows): %s", prefix, len(out.Rejected), strings.Join(lines, "; "))
	}
	if err != nil {
		return nil, err
	}
	return out, nil
})

type exportInput struct {
	ID      string `json:"id" jsonschema:"Hierarchy id."`
	Shape   string `json:"shape,omitempty" jsonschema:"parent-child (default), wide-levels or mapping."`
	Version int    `json:"version,omitempty" jsonschema:"A published version; leave out for the current one."`
}

type exportOutput struct {
	Shape string `json:"shape"`
	CSV   string `json:"csv"`
}

var exportHierarchyTool = newTool(&mcp.Tool{
	Name:        "export_hierarchy_csv",
	Description: "Export a hierarchy's nodes (parent-child or wide-levels) or its mapping rules as CSV text; import_hierarchy_csv reads the same formats.",
	Annotations: readOnlyAnnotations("Export hierarchy CSV"),
}, func(ctx context.Context, e *env, in exportInput) (exportOutput, error) {
	s, err := e.hierarchies()
	if err != nil {
		return exportOutput{}, err
	}
	if in.Shape == "" {
		in.Shape = string(hierarchy.CSVParentChild)
	}
	data, err := s.Export(in.ID, in.Version, hierarchy.CSVShape(in.Shape))
	return exportOutput{Shape: in.Shape, CSV: data}, err
})
