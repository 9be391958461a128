package mcpserver

import (
	"testing"

	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/model"
)

// TestToolsNormaliseLikeTheCLI: the MCP tools accept the inputs the CLI
// and the CSV import accept (pkg/app reads them for both faces):
// consolidation words in any case, entity names in any case.
func TestToolsNormaliseLikeTheCLI(t *testing.T) {
	p := newProject(t)
	cs := newSession(t, p, Options{})

	call[hierarchy.Summary](t, cs, "create_hierarchy", map[string]any{"id": "pl", "name": "P&L", "source_columns": []string{"account"}})
	call[hierarchy.Result](t, cs, "add_hierarchy_node", map[string]any{"id": "pl", "code": "PL", "name": "P&L"})
	for code, word := range map[string]string{"REV": "Plus", "COGS": "MINUS", "MEMO": "none"} {
		call[hierarchy.Result](t, cs, "add_hierarchy_node", map[string]any{"id": "pl", "code": code, "name": code, "parent": "PL", "consolidation": word})
	}
	call[hierarchy.Result](t, cs, "update_hierarchy_node", map[string]any{"id": "pl", "code": "REV", "consolidation": "subtract"})
	h, err := hierarchy.NewStore(p).Get("pl")
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]hierarchy.Consolidation{"REV": "-", "COGS": "-", "MEMO": "~"} {
		if got := h.Node(code).Consolidation; got != want {
			t.Errorf("%s: consolidation %q, want %q", code, got, want)
		}
	}
	if msg := callErr(t, cs, "add_hierarchy_node", map[string]any{"id": "pl", "code": "X", "name": "X", "parent": "PL", "consolidation": "times"}); msg == "" {
		t.Error("a bad consolidation word is refused")
	}

	call[map[string]any](t, cs, "analyze_source_schema", map[string]any{"connection": "files"})
	m := call[model.Model](t, cs, "approve_entity_mapping", map[string]any{"table": "accounts", "entity": " Chart_Of_Accounts", "as": "Dimension"})
	found := false
	for _, tb := range m.Tables {
		if tb.Name == "accounts" {
			found = true
			if tb.Entity != model.Entity("chart_of_accounts") {
				t.Errorf("entity %q, want chart_of_accounts", tb.Entity)
			}
		}
	}
	if !found {
		t.Errorf("no table accounts in the model: %+v", m.Tables)
	}
}
