package mcpserver

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/validate"
)

// callChecksFailed calls a tool whose checks must fail (its CLI twin exits
// 3): a tool error (isError) that still carries the structured result. It
// returns the message (the first text content) and the decoded result; the
// second text content must be the result's JSON, for clients that ignore
// structured content.
func callChecksFailed[T any](t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) (string, T) {
	t.Helper()
	var out T
	res := callRaw(t, cs, name, args)
	if !res.IsError {
		t.Fatalf("%s(%v): want isError (checks failed), got %s", name, args, text(res))
	}
	if res.StructuredContent == nil {
		t.Fatalf("%s(%v): checks failed without a structured result: %s", name, args, text(res))
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: decoding %s: %v", name, b, err)
	}
	if len(res.Content) != 2 {
		t.Fatalf("%s: want a message and the result as text, got %d contents: %s", name, len(res.Content), text(res))
	}
	msg := res.Content[0].(*mcp.TextContent).Text
	var fromText T
	if err := json.Unmarshal([]byte(res.Content[1].(*mcp.TextContent).Text), &fromText); err != nil {
		t.Fatalf("%s: the second content is not the result: %v", name, err)
	}
	if a, _ := json.Marshal(fromText); string(a) != string(mustJSON(t, out)) {
		t.Errorf("%s: text content does not match structured content:\n%s\n%s", name, a, mustJSON(t, out))
	}
	return msg, out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTestConnectionFailedIsErrorWithResult(t *testing.T) {
	p := newProject(t)
	t.Setenv("DATABRIDGE_MCP_TEST_PG_PASSWORD", "s3cr3t-value")
	if _, err := connections.New(p).Add(context.Background(), connections.AddInput{Name: "erp", Config: connector.Config{
		Type: "postgres", Host: "127.0.0.1", Port: 1, Database: "erp", User: "fpa", Password: "${DATABRIDGE_MCP_TEST_PG_PASSWORD}"}}); err != nil {
		t.Fatal(err)
	}
	cs := newSession(t, p, Options{Toolsets: []string{"connections"}})
	msg, res := callChecksFailed[connections.TestResult](t, cs, "test_connection", map[string]any{"connection": "erp"})
	if res.OK || res.Name != "erp" || res.Type != "postgres" || res.Error == "" {
		t.Errorf("result = %+v", res)
	}
	wantContains(t, "message", msg, "connection erp failed", res.Error)
	if strings.Contains(msg+res.Error, "s3cr3t-value") {
		t.Errorf("the password appears in the result")
	}
}

func TestValidateHierarchyFailedIsErrorWithReport(t *testing.T) {
	cs := newSession(t, newProject(t), Options{Toolsets: []string{"hierarchy"}})
	id := call[hierarchy.Summary](t, cs, "create_hierarchy", map[string]any{"name": "PL", "source_columns": []string{"account"}}).ID
	call[hierarchy.Result](t, cs, "add_hierarchy_node", map[string]any{"id": id, "code": "PL", "name": "P&L", "type": "rollup"})
	call[hierarchy.Result](t, cs, "add_hierarchy_node", map[string]any{"id": id, "code": "REV", "name": "Revenue", "parent": "PL"})
	call[hierarchy.Result](t, cs, "add_mapping_rule", map[string]any{"id": id, "node": "REV", "match": "exact", "value": "4000"})

	// Structural checks pass: a plain result.
	if rep := call[hierarchy.Report](t, cs, "validate_hierarchy", map[string]any{"id": id}); !rep.OK() {
		t.Fatalf("structural report = %+v", rep)
	}
	// Against the GL, 5000 and 6100 carry activity and are unmapped: the
	// report, marked isError.
	msg, rep := callChecksFailed[hierarchy.Report](t, cs, "validate_hierarchy", map[string]any{"id": id, "against": "files.gl.account", "amount": "amount"})
	if rep.OK() || rep.Errors == 0 || rep.UnmappedCount != 2 || len(rep.Findings) == 0 {
		t.Errorf("report = %+v", rep)
	}
	wantContains(t, "message", msg, "hierarchy "+id+" v1 is invalid", "errors")
}

// finance is a project over examples/finance with the model approved; with
// badKey the accounts dimension's key is account_type, which repeats, so
// the deployment's key check fails.
func financeProject(t *testing.T, badKey bool) (*project.Project, *mcp.ClientSession) {
	t.Helper()
	p := newProject(t)
	data, err := filepath.Abs("../../examples/finance/data")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := connections.New(p).Add(context.Background(), connections.AddInput{Name: "src", Config: connector.Config{Type: "files", Path: data}}); err != nil {
		t.Fatal(err)
	}
	cs := newSession(t, p, Options{})
	call[any](t, cs, "analyze_source_schema", map[string]any{"connection": "src"})
	if badKey {
		call[any](t, cs, "set_model_key", map[string]any{"table": "accounts", "columns": []string{"account_type"}})
	}
	call[any](t, cs, "approve_canonical_model", map[string]any{})
	return p, cs
}

func TestDeployChecksFailedIsErrorWithResult(t *testing.T) {
	if testing.Short() {
		t.Skip("deploys the finance example")
	}
	_, cs := financeProject(t, true)
	msg, res := callChecksFailed[deploy.DeployResult](t, cs, "deploy_warehouse", map[string]any{})
	if res.Deployment == nil || res.Validation == nil || res.Plan == nil || res.DryRun {
		t.Fatalf("result = %+v", res)
	}
	if len(res.FailedChecks) != 1 || res.FailedChecks[0].Name != "unique DIM_ACCOUNTS.account_type" || len(res.FailedChecks[0].Samples) == 0 {
		t.Errorf("failed_checks = %+v", res.FailedChecks)
	}
	wantContains(t, "message", msg, "deployment "+res.Deployment.ID+" rolled back: 1 of ", "unique DIM_ACCOUNTS.account_type", "failed_checks")

	// Nothing stayed behind: validate_deployment reports the missing
	// objects, marked isError, with the whole report.
	msg, rep := callChecksFailed[validate.Report](t, cs, "validate_deployment", map[string]any{})
	if rep.OK() || len(rep.Results) == 0 || rep.Level != validate.Basic {
		t.Errorf("report = %+v", rep)
	}
	wantContains(t, "message", msg, "checks (basic)", "DIM_ACCOUNTS")
}

func TestValidateDeploymentPassesWithoutIsError(t *testing.T) {
	if testing.Short() {
		t.Skip("deploys the finance example")
	}
	_, cs := financeProject(t, false)
	call[deploy.DeployResult](t, cs, "deploy_warehouse", map[string]any{})
	if rep := call[validate.Report](t, cs, "validate_deployment", map[string]any{}); !rep.OK() {
		t.Errorf("report = %+v", rep)
	}
}
