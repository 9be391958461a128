package auth

import "fmt"

// The permission an MCP tool needs is derived from its toolset (which
// resource it acts on) and its read-only annotation (read, else write),
// with an explicit table for the tools that do more or something else.

// toolsetResource is the resource of each toolset.
var toolsetResource = map[string]Resource{
	"connections": Project,
	"semantic":    Project,
	"warehouse":   Project,
	"workflow":    Project,
	"close":       Project,
	"hierarchy":   Hierarchy,
	"deploy":      Deployment,
	"git":         Deployment,
	"analytics":   Query,
	"insights":    Query,
	"reconcile":   Query,
}

// toolExceptions are the tools whose permission is not the derived one.
var toolExceptions = map[string]Permission{
	// run_query reads the warehouse: a query, not a look at the project.
	"run_query": {Query, Read},
	// deploying and rolling back change the warehouse.
	"deploy_warehouse":    {Deployment, Deploy},
	"rollback_deployment": {Deployment, Deploy},
	// git and dbt runs publish or run what was generated.
	"create_github_repository":   {Deployment, Deploy},
	"push_dbt_project_to_github": {Deployment, Deploy},
	"trigger_dbt_run":            {Deployment, Deploy},
	// removing a node drops a branch of a hierarchy.
	"remove_hierarchy_node": {Hierarchy, Delete},
	// publishing makes a hierarchy version the one deployments use.
	"publish_hierarchy": {Hierarchy, Deploy},
	// signing off a close locks its period.
	"sign_off_close": {Project, Deploy},
	"reopen_close":   {Project, Deploy},
}

// KnownToolset reports whether toolset has a resource in the table.
func KnownToolset(toolset string) bool {
	_, ok := toolsetResource[toolset]
	return ok
}

// ToolPermission is the permission a call of tool needs. A tool of a
// toolset missing from the table needs project:delete when it may write
// (only admin has it by default) and project:read otherwise, so a new
// toolset is never more open than intended; TestEveryToolHasAMapping
// fails until it is added.
func ToolPermission(toolset, tool string, readOnly bool) Permission {
	if p, ok := toolExceptions[tool]; ok {
		return p
	}
	res, ok := toolsetResource[toolset]
	switch {
	case !ok && readOnly:
		return Permission{Project, Read}
	case !ok:
		return Permission{Project, Delete}
	case readOnly:
		return Permission{res, Read}
	}
	return Permission{res, Write}
}

// ToolDeniedError is the tool error of a call beyond the caller's role.
type ToolDeniedError struct {
	Tool string
	Role string
	Need Permission
}

func (e *ToolDeniedError) Error() string {
	return fmt.Sprintf("permission denied: role %q may not call %s (it needs %s); ask an admin for a key with a role that grants it", e.Role, e.Tool, e.Need)
}
