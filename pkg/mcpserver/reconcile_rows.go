package mcpserver

// reconcileRowTools: compare_tables, get_reconciliation_details,
// reconcile_totals.
var reconcileRowTools []tool
