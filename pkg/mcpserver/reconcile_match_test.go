package mcpserver

import (
	"context"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/reconcile"
)

// TestReconcileMatchTools: the five tools over in-memory transports on
// the local warehouse, giving the services' results (the CLI's --json).
func TestReconcileMatchTools(t *testing.T) {
	p := newProject(t)
	ctx := context.Background()
	svc := connections.New(p)
	for _, sql := range []string{
		`CREATE TABLE vendors (name VARCHAR)`,
		`INSERT INTO vendors VALUES ('Acme Corp.'), ('ACME Corporation'), ('Northwind Traders, Inc.'), ('Zebra')`,
		`CREATE TABLE suppliers (supplier_name VARCHAR)`,
		`INSERT INTO suppliers VALUES ('Acme Corporation'), ('Traders Northwind')`,
		`CREATE TABLE bank (amount DECIMAL(18,2), booked DATE)`,
		`INSERT INTO bank VALUES (10.00, DATE '2026-11-01'), (20.00, DATE '2026-11-02'), (5.00, DATE '2026-11-03')`,
		`CREATE TABLE ledger (amount DECIMAL(18,2), booked DATE)`,
		`INSERT INTO ledger VALUES (10.00, DATE '2026-11-02'), (20.00, DATE '2026-11-02')`,
	} {
		if _, err := svc.Query(ctx, connections.QueryInput{SQL: sql, Write: true}); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	cs := newSession(t, p, Options{})

	m := call[reconcile.MatchResult](t, cs, "fuzzy_match_columns", map[string]any{
		"left": "local.vendors", "right": "local.suppliers", "left_column": "name", "right_column": "supplier_name"})
	if m.Summary.Matched != 3 || len(m.Unmatched) != 1 || m.Unmatched[0] != "Zebra" || m.ID == "" {
		t.Errorf("match %+v", m)
	}
	msg := callErr(t, cs, "fuzzy_match_columns", map[string]any{
		"left": "local.vendors", "right": "local.suppliers", "left_column": "name", "right_column": "supplier_name", "scorer": "jaro"})
	wantContains(t, "bad scorer", msg, `unknown scorer "jaro"`)

	d := call[reconcile.DedupeResult](t, cs, "fuzzy_deduplicate", map[string]any{"table": "local.vendors", "column": "name"})
	if len(d.Clusters) != 1 || len(d.Clusters[0].Members) != 2 {
		t.Errorf("dedupe %+v", d)
	}

	// One bank item stays unpaired: an error result carrying the pairing.
	_, pr := callChecksFailed[reconcile.PairResult](t, cs, "pair_transactions", map[string]any{
		"left": "local.bank", "right": "local.ledger", "on": "amount", "within": "booked:1d"})
	if pr.Summary.Pairings != 2 || pr.Summary.UnpairedLeft != 1 || pr.UnpairedLeft[0].Amount != "5.00" {
		t.Errorf("pair %+v", pr.Summary)
	}

	prof := call[reconcile.Profile](t, cs, "profile_data", map[string]any{"table": "local.ledger", "save": "ledger0"})
	if prof.Rows != 2 || prof.Saved != "ledger0" || prof.Column("amount").Mean == nil {
		t.Errorf("profile %+v", prof)
	}
	same := call[reconcile.DriftResult](t, cs, "detect_schema_drift", map[string]any{"table": "local.ledger", "against": "ledger0"})
	if same.Drifted {
		t.Errorf("drift against itself: %v", same.Reasons)
	}
	msg, dr := callChecksFailed[reconcile.DriftResult](t, cs, "detect_schema_drift", map[string]any{"table": "local.bank", "against": "ledger0"})
	if !dr.Drifted {
		t.Errorf("bank vs ledger0: %+v", dr)
	}
	wantContains(t, "drift message", msg, "drifted from ledger0")
}
