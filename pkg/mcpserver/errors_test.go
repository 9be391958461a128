package mcpserver

import "testing"

// Finding 13c: run_query's timeout_seconds must not be negative (the check
// is in connections.Service.Query, shared with `databridge sql`).
func TestRunQueryNegativeTimeout(t *testing.T) {
	srv, err := New(newProject(t), Options{Toolsets: []string{"connections"}})
	if err != nil {
		t.Fatal(err)
	}
	cs := connect(t, srv)
	msg := callErr(t, cs, "run_query", map[string]any{"connection": "files", "sql": "SELECT 1", "timeout_seconds": -5})
	wantContains(t, "negative timeout", msg, "timeout", "-5")
}
