package mcpserver

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/auth"
	"github.com/databridge/databridge/pkg/telemetry"
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

// --metrics-addr: open on loopback, refused beyond it without keys.
func TestServeMetrics(t *testing.T) {
	m := telemetry.New()
	m.ObserveCall("tools/call", "list_connections", telemetry.OutcomeOK, time.Millisecond)
	done := telemetry.DeploymentStarted("apply")
	done("succeeded") // no default metrics: a no-op
	telemetry.SetDefault(m)
	t.Cleanup(func() { telemetry.SetDefault(nil) })
	telemetry.DeploymentStarted("apply")("failed")

	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- ServeMetrics(ctx, m, addr, nil, nil) }()
	var body string
	for i := 0; ; i++ {
		resp, err := http.Get("http://" + addr + MetricsPath)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			break
		}
		if i > 100 {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	wantContains(t, "metrics", body,
		`databridge_mcp_tool_calls_total{outcome="ok",tool="list_connections"} 1`,
		`databridge_deployments_total{mode="apply",status="failed"} 1`,
		`databridge_active_deployments 0`, "process_cpu_seconds_total")
	if strings.Contains(body, `status="succeeded"`) {
		t.Error("a deployment recorded before metrics were set")
	}
	err := ServeMetrics(context.Background(), m, "0.0.0.0:0", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "not loopback") {
		t.Errorf("metrics beyond loopback without keys: %v", err)
	}
}
