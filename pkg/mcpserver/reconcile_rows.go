package mcpserver

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/reconcile"
)

// reconcileRowTools: compare_tables, get_reconciliation_details,
// reconcile_totals — the MCP face of `databridge reconcile rows`, the
// recorded differences of a run, and `databridge reconcile totals`.
var reconcileRowTools = []tool{compareTablesTool, reconciliationDetailsTool, reconcileTotalsTool}

func (e *env) reconcile() (*reconcile.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Reconcile, nil
}

// reconcileProgress adapts the call's progress reporter to
// reconcile.Service.Progress (nil without a progress token).
func reconcileProgress(ctx context.Context) func(done, total int, stage string) {
	p := progressOf(ctx)
	if p == nil {
		return nil
	}
	return func(done, total int, stage string) { p.report(ctx, float64(done), float64(total), "%s", stage) }
}

var compareTablesTool = newTool(&mcp.Tool{
	Name: "compare_tables",
	Description: "Compare two tables row by row on a key (left and right are CONNECTION.TABLE or CONNECTION.SCHEMA.TABLE, on one connection or two) and record the run. " +
		"Returns counts (left_rows, right_rows, matched, only_left, only_right, changed, duplicate and NULL keys), per column the unequal count, the largest absolute difference and NULL mismatches, and samples of each kind of difference. " +
		"Values are compared normalised: numbers of any type at the lower scale, timestamps in UTC at the lower precision, text exactly unless trim/ignore_case. " +
		"Same engine: one statement in the engine; two engines: checksums of key-hash segments, only differing rows fetched. An error result with the full result when the tables do not agree; page through all differences with get_reconciliation_details.",
	Annotations: readOnlyAnnotations("Compare tables"),
}, func(ctx context.Context, e *env, in reconcile.RowsInput) (*reconcile.RowsResult, error) {
	s, err := e.reconcile()
	if err != nil {
		return nil, err
	}
	s.Progress = reconcileProgress(ctx)
	r, err := s.Rows(ctx, in)
	if err != nil {
		return nil, err
	}
	if !r.Agree {
		return r, checksFailed("the tables do not agree (run %s): %d changed, %d only left, %d only right", r.RunID, r.Summary.Changed, r.Summary.OnlyLeft, r.Summary.OnlyRight)
	}
	return r, nil
})

var reconciliationDetailsTool = newTool(&mcp.Tool{
	Name: "get_reconciliation_details",
	Description: "Page through the differences of a recorded row reconciliation (compare_tables or `databridge reconcile rows`): kind only_left or only_right (orphans: keys on one side only, with their values) or changed (conflicts: keys whose values differ, each differing column with both values). " +
		"Up to 10,000 differences of each kind are kept per run; total says how many were found.",
	Annotations: readOnlyAnnotations("Reconciliation details"),
}, func(ctx context.Context, e *env, in reconcile.DetailsInput) (*reconcile.DetailsResult, error) {
	s, err := e.reconcile()
	if err != nil {
		return nil, err
	}
	return s.Details(in)
})

var reconcileTotalsTool = newTool(&mcp.Tool{
	Name: "reconcile_totals",
	Description: "Tie out two tables: per group (by: period, account, entity…) the sums of the measures on both sides, computed in each engine as exact decimals, their difference (left minus right), and groups on one side only; without by, the grand totals. " +
		"An error result with the full result when a group differs beyond the tolerance or is on one side only.",
	Annotations: readOnlyAnnotations("Reconcile totals"),
}, func(ctx context.Context, e *env, in reconcile.TotalsInput) (*reconcile.TotalsResult, error) {
	s, err := e.reconcile()
	if err != nil {
		return nil, err
	}
	s.Progress = reconcileProgress(ctx)
	r, err := s.Totals(ctx, in)
	if err != nil {
		return nil, err
	}
	if !r.Agree {
		return r, checksFailed("the totals do not tie out (run %s): %d groups differ, %d only left, %d only right", r.RunID, r.Summary.Different, r.Summary.OnlyLeft, r.Summary.OnlyRight)
	}
	return r, nil
})
