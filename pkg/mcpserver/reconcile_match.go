package mcpserver

// reconcileMatchTools: fuzzy_match_columns, fuzzy_deduplicate,
// profile_data, detect_schema_drift.
var reconcileMatchTools []tool
