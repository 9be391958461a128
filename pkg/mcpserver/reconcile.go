package mcpserver

import "slices"

// The reconcile toolset: the MCP face of pkg/reconcile. Its tools are
// defined in reconcile_*.go files, one per family (rows and totals;
// matching, profiles and drift), and gathered here.
func init() {
	tools := slices.Concat(reconcileRowTools, reconcileMatchTools)
	if len(tools) == 0 {
		return
	}
	registerToolset(toolset{
		Name:        "reconcile",
		Description: "Reconciliation: compare tables row by row and total by total, match names across systems, profile and detect drift",
		Tools:       tools,
	})
}
