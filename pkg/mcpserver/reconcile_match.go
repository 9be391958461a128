package mcpserver

import (
	"context"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/reconcile"
)

// reconcileMatchTools: fuzzy_match_columns, fuzzy_deduplicate,
// pair_transactions, profile_data, detect_schema_drift — the MCP face of
// reconcile match, dedupe, pair, profile and drift (the same services and
// result structs as the CLI's --json).
var reconcileMatchTools = []tool{fuzzyMatchTool, fuzzyDedupeTool, pairTool, profileDataTool, detectDriftTool}

func reconcileService(e *env) (*reconcile.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Reconcile, nil
}

var fuzzyMatchTool = newTool(&mcp.Tool{
	Name: "fuzzy_match_columns",
	Description: "Match the names in a column of one table against a column of another (vendors of two ERPs, customers across systems): values normalised (case, accents, punctuation, legal forms like Inc/GmbH/Ltd), candidates blocked on rare tokens and 3-grams, scored as RapidFuzz does (ratio, partial, token_sort, token_set, weighted = WRatio). " +
		"Returns each left value's best matches at or above the threshold and the unmatched values. Tables are CONN.TABLE or CONN.SCHEMA.TABLE; read-only.",
	Annotations: readOnlyAnnotations("Fuzzy-match two columns"),
}, func(ctx context.Context, e *env, in reconcile.MatchInput) (*reconcile.MatchResult, error) {
	s, err := reconcileService(e)
	if err != nil {
		return nil, err
	}
	return s.Match(ctx, in)
})

var fuzzyDedupeTool = newTool(&mcp.Tool{
	Name:        "fuzzy_deduplicate",
	Description: "Find clusters of likely duplicate names in one column (\"Acme Inc\", \"ACME Incorporated\", \"Acme, Inc.\"): values normalised, pairs at or above the threshold linked, linked values clustered; each cluster with its canonical value (held by most rows), members with row counts and the scored links. Read-only.",
	Annotations: readOnlyAnnotations("Find duplicate names"),
}, func(ctx context.Context, e *env, in reconcile.DedupeInput) (*reconcile.DedupeResult, error) {
	s, err := reconcileService(e)
	if err != nil {
		return nil, err
	}
	return s.Dedupe(ctx, in)
})

var pairTool = newTool(&mcp.Tool{
	Name: "pair_transactions",
	Description: "Pair the items of two tables without a shared key — a bank statement against the ledger: amounts equal within a tolerance (exact decimals), dates within a window, optionally a fuzzy reference; one to one (optimal), or with many one payment settling several invoices. " +
		"Returns every pairing with its evidence (amount difference, days, reference score) and the unpaired items; an error result (with the full result) when items stay unpaired. Read-only.",
	Annotations: readOnlyAnnotations("Pair transactions"),
}, func(ctx context.Context, e *env, in reconcile.PairInput) (*reconcile.PairResult, error) {
	s, err := reconcileService(e)
	if err != nil {
		return nil, err
	}
	r, err := s.Pair(ctx, in)
	if err != nil {
		return nil, err
	}
	if !r.Agree {
		return r, checksFailed("%d left and %d right items unpaired (see unpaired_left, unpaired_right)", r.Summary.UnpairedLeft, r.Summary.UnpairedRight)
	}
	return r, nil
})

var profileDataTool = newTool(&mcp.Tool{
	Name: "profile_data",
	Description: "Profile a table in its engine (statistics pushed down as SQL): rows, and per column nulls, distinct values, min/max, lengths, value pattern and class, the most frequent values and, for numbers, mean, quantiles and a 100-tile sketch. " +
		"save keeps the profile by name for detect_schema_drift. The data is only read.",
	Annotations: readOnlyAnnotations("Profile a table"),
}, func(ctx context.Context, e *env, in reconcile.ProfileInput) (*reconcile.Profile, error) {
	s, err := reconcileService(e)
	if err != nil {
		return nil, err
	}
	return s.Profile(ctx, in)
})

var detectDriftTool = newTool(&mcp.Tool{
	Name: "detect_schema_drift",
	Description: "Compare a table now with a saved profile (profile_data with save) or another table: columns added, removed or retyped; row count change; per column null-rate change, distinct change and distribution drift (PSI for categories, Kolmogorov-Smirnov for numbers) against thresholds. " +
		"An error result (with the full result) when the table drifted. Read-only.",
	Annotations: readOnlyAnnotations("Detect drift"),
}, func(ctx context.Context, e *env, in reconcile.DriftInput) (*reconcile.DriftResult, error) {
	s, err := reconcileService(e)
	if err != nil {
		return nil, err
	}
	r, err := s.Drift(ctx, in)
	if err != nil {
		return nil, err
	}
	if r.Drifted {
		return r, checksFailed("%s drifted from %s: %s", r.Table, r.Against, fmt.Sprint(r.Reasons))
	}
	return r, nil
})
