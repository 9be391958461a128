package mcpserver

import (
	"slices"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/auth"
)

// TestEveryToolHasAMapping: every toolset has a resource in pkg/auth's
// table, and every tool's permission is one the default roles can grant
// (so no tool is reachable by nobody but admin by accident).
func TestEveryToolHasAMapping(t *testing.T) {
	roles := auth.DefaultRoles()
	for _, ts := range Toolsets() {
		if !auth.KnownToolset(ts.Name) {
			t.Errorf("toolset %q has no resource in pkg/auth toolsetResource: add it", ts.Name)
		}
		for _, tl := range ts.Tools {
			need := auth.ToolPermission(ts.Name, tl.Name, tl.ReadOnly)
			if !slices.Contains(auth.Resources, need.Resource) || !slices.Contains(auth.Actions, need.Action) {
				t.Errorf("%s: bad permission %v", tl.Name, need)
			}
			if tl.ReadOnly && need.Action == auth.Read && !roles[auth.RoleViewer].Allows(need) && need.Resource != auth.Query {
				t.Errorf("%s reads %s but a viewer may not", tl.Name, need.Resource)
			}
			if !roles[auth.RoleDeployer].Allows(need) && !roles[auth.RoleAdmin].Allows(need) {
				t.Errorf("%s needs %v which no role grants", tl.Name, need)
			}
		}
	}
}

// Over stdio (here in-memory) the caller is the local user with the
// policy's stdio role.
func TestLocalRoleFromPolicy(t *testing.T) {
	p := newProject(t)
	pol, err := auth.LoadPolicy(p.Root)
	if err != nil {
		t.Fatal(err)
	}
	pol.StdioRole = auth.RoleViewer
	srv, err := New(p, Options{Policy: pol, Audit: auth.OpenAudit(p.Root)})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATABRIDGE_USER", "maria")
	cs := connect(t, srv)
	names := toolNames(t, cs)
	if slices.Contains(names, "run_query") || !slices.Contains(names, "list_connections") {
		t.Errorf("viewer over stdio sees %v", names)
	}
	msg := callErr(t, cs, "run_query", map[string]any{"sql": "SELECT 1"})
	wantContains(t, "refusal", msg, `permission denied: role "viewer" may not call run_query (it needs query:read)`)
	lines := auditLines(t, p.Root)
	if len(lines) != 1 || lines[0].Outcome != "denied" || !strings.HasPrefix(lines[0].Who, "local:") || lines[0].Role != "viewer" {
		t.Errorf("audit = %+v", lines)
	}
}
