package mcpserver

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/files"
	"github.com/databridge/databridge/pkg/project"
)

var allTools = []string{"describe_table", "list_connections", "list_schemas", "list_tables", "run_query", "test_connection"}

const glCSV = `entry_id,account,amount,posted_on
1,4000,1200.50,2024-01-05
2,5000,-300.25,2024-01-06
3,4000,99.75,2024-01-09
4,6100,-45.00,2024-02-01
5,5000,-12.10,2024-02-03
`

const accountsCSV = `account,name
4000,Revenue
5000,Cost of sales
6100,Travel
`

// newProject makes a project in a temp folder: the default "local" DuckDB
// warehouse holding a chart of accounts with a declared primary key, and a
// "files" connection over two CSV files.
func newProject(t *testing.T) *project.Project {
	t.Helper()
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "acme"); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(root, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"gl.csv": glCSV, "accounts.csv": accountsCSV} {
		if err := os.WriteFile(filepath.Join(data, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	svc := connections.New(p)
	for _, sql := range []string{
		`CREATE TABLE dim_account (account_code INTEGER PRIMARY KEY, account_name VARCHAR NOT NULL, account_type VARCHAR)`,
		`INSERT INTO dim_account VALUES (4000, 'Revenue', 'income'), (5000, 'Cost of sales', 'expense'), (6100, 'Travel', 'expense')`,
	} {
		if _, err := svc.Query(ctx, connections.QueryInput{SQL: sql, Write: true}); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if _, err := svc.Add(ctx, connections.AddInput{Name: "files", Config: connector.Config{Type: "files", Path: "data"}}); err != nil {
		t.Fatal(err)
	}
	return p
}

// connect starts a server over in-memory transports and returns a client
// session to it.
func connect(t *testing.T, srv *mcp.Server) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	ct, st := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "databridge-test", Version: "v0"}, nil)
	cs, err := client.Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cs.Close()
		ss.Wait()
	})
	return cs
}

func newSession(t *testing.T, p *project.Project, opts Options) *mcp.ClientSession {
	t.Helper()
	srv, err := New(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	return connect(t, srv)
}

func toolNames(t *testing.T, cs *mcp.ClientSession) []string {
	t.Helper()
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
	}
	slices.Sort(names)
	return names
}

func callRaw(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	return res
}

// call calls a tool that must succeed and decodes its structured output.
func call[T any](t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) T {
	t.Helper()
	res := callRaw(t, cs, name, args)
	if res.IsError {
		t.Fatalf("%s(%v): tool error: %s", name, args, text(res))
	}
	if res.StructuredContent == nil {
		t.Fatalf("%s: no structured content", name)
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: decoding %s: %v", name, b, err)
	}
	// The text content carries the same JSON for clients that ignore
	// structured content.
	var fromText T
	if err := json.Unmarshal([]byte(text(res)), &fromText); err != nil || !reflect.DeepEqual(out, fromText) {
		t.Errorf("%s: text content does not match structured content: %s", name, text(res))
	}
	return out
}

// callErr calls a tool that must fail with a tool error and returns the
// message.
func callErr(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) string {
	t.Helper()
	res := callRaw(t, cs, name, args)
	if !res.IsError {
		t.Fatalf("%s(%v): expected a tool error, got %s", name, args, text(res))
	}
	return text(res)
}

func text(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func wantContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: %q does not contain %q", what, got, w)
		}
	}
}

func rowsJSON(t *testing.T, rows [][]any) string {
	t.Helper()
	b, err := json.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestListTools(t *testing.T) {
	cs := newSession(t, newProject(t), Options{Toolsets: []string{"connections"}})
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := toolNames(t, cs); !slices.Equal(got, allTools) {
		t.Fatalf("tools = %v, want %v", got, allTools)
	}
	for _, tl := range res.Tools {
		if tl.Annotations == nil || !tl.Annotations.ReadOnlyHint {
			t.Errorf("%s: not annotated read-only", tl.Name)
		}
		if tl.Description == "" || tl.OutputSchema == nil {
			t.Errorf("%s: missing description or output schema", tl.Name)
		}
	}
	init := cs.InitializeResult()
	if init.ServerInfo.Name != "databridge" || init.Instructions == "" {
		t.Errorf("server info = %+v, instructions %q", init.ServerInfo, init.Instructions)
	}
}

func TestListConnections(t *testing.T) {
	p := newProject(t)
	cs := newSession(t, p, Options{Version: "1.2.3"})
	if v := cs.InitializeResult().ServerInfo.Version; v != "1.2.3" {
		t.Errorf("server version = %q", v)
	}
	got := call[connections.ListResult](t, cs, "list_connections", nil)
	if got.DefaultTarget != "local" {
		t.Errorf("default_target = %q", got.DefaultTarget)
	}
	if len(got.Connections) != 2 {
		t.Fatalf("connections = %+v", got.Connections)
	}
	files, local := got.Connections[0], got.Connections[1]
	if files.Name != "files" || files.Type != "files" || files.Default || files.Target != "data" {
		t.Errorf("files = %+v", files)
	}
	if local.Name != "local" || local.Type != "duckdb" || local.Dialect != "duckdb" || !local.Default ||
		local.Target != ".databridge/warehouse.duckdb" {
		t.Errorf("local = %+v", local)
	}

	// A connection added by the CLI while the server runs is seen by the
	// next call, without restarting the server.
	other, err := project.Open(p.Root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := connections.New(other).Add(context.Background(), connections.AddInput{
		Name: "scratch", Config: connector.Config{Type: "duckdb", Path: ":memory:"},
	}); err != nil {
		t.Fatal(err)
	}
	got = call[connections.ListResult](t, cs, "list_connections", map[string]any{})
	var names []string
	for _, c := range got.Connections {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"files", "local", "scratch"}) {
		t.Errorf("after add: connections = %v", names)
	}
	// And it can be used at once.
	q := call[connections.QueryResult](t, cs, "run_query", map[string]any{"connection": "scratch", "sql": "SELECT 40 + 2 AS answer"})
	if rowsJSON(t, q.Rows) != `[[42]]` {
		t.Errorf("scratch query rows = %s", rowsJSON(t, q.Rows))
	}
}

func TestTestConnection(t *testing.T) {
	cs := newSession(t, newProject(t), Options{})
	for _, name := range []string{"local", "files", ""} {
		args := map[string]any{}
		if name != "" {
			args["connection"] = name
		}
		got := call[connections.TestResult](t, cs, "test_connection", args)
		want := name
		if want == "" {
			want = "local" // the default target
		}
		if !got.OK || got.Name != want || got.Error != "" {
			t.Errorf("test_connection(%q) = %+v", name, got)
		}
	}
	msg := callErr(t, cs, "test_connection", map[string]any{"connection": "nope"})
	wantContains(t, "unknown connection", msg, `unknown connection "nope"`, "known: files, local")
}

func TestCatalogTools(t *testing.T) {
	cs := newSession(t, newProject(t), Options{})

	sc := call[connections.SchemasResult](t, cs, "list_schemas", map[string]any{"connection": "local"})
	if sc.Connection != "local" || !slices.ContainsFunc(sc.Schemas, func(s catalog.Schema) bool { return s.Name == "main" }) {
		t.Errorf("list_schemas(local) = %+v", sc)
	}
	fsc := call[connections.SchemasResult](t, cs, "list_schemas", map[string]any{"connection": "files"})
	if fsc.Connection != "files" || len(fsc.Schemas) == 0 {
		t.Errorf("list_schemas(files) = %+v", fsc)
	}

	tb := call[connections.TablesResult](t, cs, "list_tables", map[string]any{"schema": "main"})
	if tb.Connection != "local" || len(tb.Tables) != 1 || tb.Tables[0].Name != "dim_account" || tb.Tables[0].Kind != "table" {
		t.Errorf("list_tables(local, main) = %+v", tb)
	}
	ft := call[connections.TablesResult](t, cs, "list_tables", map[string]any{"connection": "files"})
	var fnames []string
	for _, tt := range ft.Tables {
		fnames = append(fnames, tt.Name)
		if tt.Location == "" {
			t.Errorf("files table %s has no location", tt.Name)
		}
	}
	if !slices.Equal(fnames, []string{"accounts", "gl"}) {
		t.Errorf("list_tables(files) = %v", fnames)
	}

	for _, name := range []string{"main.dim_account", "dim_account"} {
		d := call[connections.DescribeResult](t, cs, "describe_table", map[string]any{"connection": "local", "table": name})
		if d.TableDetail == nil {
			t.Fatalf("describe_table(%s): no detail", name)
		}
		if !slices.Equal(d.PrimaryKey, []string{"account_code"}) {
			t.Errorf("describe_table(%s) primary key = %v", name, d.PrimaryKey)
		}
		var cols []string
		for _, c := range d.Columns {
			cols = append(cols, c.Name)
		}
		if !slices.Equal(cols, []string{"account_code", "account_name", "account_type"}) {
			t.Errorf("describe_table(%s) columns = %v", name, cols)
		}
		if c := d.Column("account_name"); c == nil || c.Nullable || !strings.EqualFold(c.Type, "VARCHAR") {
			t.Errorf("describe_table(%s) account_name = %+v", name, c)
		}
		if d.Connection != "local" || d.Schema != "main" || d.Name != "dim_account" {
			t.Errorf("describe_table(%s) = %s %s.%s", name, d.Connection, d.Schema, d.Name)
		}
	}
	fd := call[connections.DescribeResult](t, cs, "describe_table", map[string]any{"connection": "files", "table": "gl"})
	if len(fd.Columns) != 4 || fd.Columns[1].Name != "account" || len(fd.PrimaryKey) != 0 {
		t.Errorf("describe_table(files, gl) = %+v", fd.TableDetail)
	}

	msg := callErr(t, cs, "describe_table", map[string]any{"connection": "local", "table": "main.no_such_table"})
	wantContains(t, "missing table", msg, "no_such_table")
	msg = callErr(t, cs, "list_tables", map[string]any{"connection": "warehouse"})
	wantContains(t, "unknown connection", msg, `unknown connection "warehouse"`)
}

func TestRunQuery(t *testing.T) {
	cs := newSession(t, newProject(t), Options{})

	q := call[connections.QueryResult](t, cs, "run_query", map[string]any{
		"connection": "files",
		"sql":        "SELECT g.entry_id, a.name, CAST(g.amount AS DOUBLE) AS amount FROM gl g JOIN accounts a USING (account) WHERE g.posted_on < DATE '2024-02-01' ORDER BY g.entry_id",
	})
	if q.Connection != "files" || q.Statement != "read" {
		t.Errorf("connection/statement = %q/%q", q.Connection, q.Statement)
	}
	if got, want := rowsJSON(t, q.Rows), `[[1,"Revenue",1200.5],[2,"Cost of sales",-300.25],[3,"Revenue",99.75]]`; got != want {
		t.Errorf("rows = %s, want %s", got, want)
	}
	var cols []string
	for _, c := range q.Columns {
		cols = append(cols, c.Name)
	}
	if !slices.Equal(cols, []string{"entry_id", "name", "amount"}) || q.RowCount != 3 || q.Truncated || q.MaxRows != DefaultQueryRows {
		t.Errorf("columns %v, row_count %d, truncated %v, max_rows %d", cols, q.RowCount, q.Truncated, q.MaxRows)
	}

	// max_rows caps the rows and says so.
	q = call[connections.QueryResult](t, cs, "run_query", map[string]any{
		"connection": "files", "sql": "SELECT entry_id FROM gl ORDER BY entry_id", "max_rows": 2,
	})
	if rowsJSON(t, q.Rows) != `[[1],[2]]` || !q.Truncated || q.RowCount != 2 || q.MaxRows != 2 {
		t.Errorf("max_rows 2: rows %s, truncated %v, row_count %d, max_rows %d", rowsJSON(t, q.Rows), q.Truncated, q.RowCount, q.MaxRows)
	}
	q = call[connections.QueryResult](t, cs, "run_query", map[string]any{
		"connection": "files", "sql": "SELECT entry_id FROM gl", "max_rows": 5,
	})
	if q.Truncated || q.RowCount != 5 {
		t.Errorf("max_rows 5 over 5 rows: truncated %v, row_count %d", q.Truncated, q.RowCount)
	}
	// Above the cap, the cap applies.
	q = call[connections.QueryResult](t, cs, "run_query", map[string]any{
		"sql": "SELECT * FROM range(20000)", "max_rows": 50000,
	})
	if q.MaxRows != MaxQueryRows || q.RowCount != MaxQueryRows || !q.Truncated || q.Connection != "local" {
		t.Errorf("max_rows 50000: max_rows %d, row_count %d, truncated %v", q.MaxRows, q.RowCount, q.Truncated)
	}

	// Writes are refused, whatever the connection, and nothing changes.
	for _, sql := range []string{
		"DELETE FROM dim_account",
		"DROP TABLE dim_account",
		"SELECT 1; DELETE FROM dim_account",
		"WITH x AS (SELECT 1) INSERT INTO dim_account SELECT 1, 'x', 'y'",
		"COPY dim_account TO 'out.csv'",
	} {
		msg := callErr(t, cs, "run_query", map[string]any{"connection": "local", "sql": sql})
		wantContains(t, sql, msg, "read-only", "refused")
	}
	q = call[connections.QueryResult](t, cs, "run_query", map[string]any{"sql": "SELECT count(*) AS n FROM dim_account"})
	if rowsJSON(t, q.Rows) != `[[3]]` {
		t.Errorf("after refused writes: count = %s", rowsJSON(t, q.Rows))
	}

	// Errors are tool errors with the reason.
	msg := callErr(t, cs, "run_query", map[string]any{"connection": "ledger", "sql": "SELECT 1"})
	wantContains(t, "unknown connection", msg, `unknown connection "ledger"`, "known: files, local")
	msg = callErr(t, cs, "run_query", map[string]any{"connection": "local", "sql": "SELECT no_such_column FROM dim_account"})
	wantContains(t, "bad column", msg, "no_such_column")
	// timeout_seconds cancels a long query.
	start := time.Now()
	msg = callErr(t, cs, "run_query", map[string]any{"sql": "SELECT count(*) FROM range(100000000000)", "timeout_seconds": 1})
	wantContains(t, "timeout", msg, "timed out")
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("timeout_seconds 1 took %v", d)
	}
	callErr(t, cs, "run_query", map[string]any{"connection": "local"})                                   // sql is required
	callErr(t, cs, "run_query", map[string]any{"connection": "local", "sql": "SELECT 1", "max_rows": 0}) // below the minimum
}

// testRegistry holds the connections toolset and a "writer" toolset with one
// tool that is not read-only, to check --read-only filtering.
func testRegistry(t *testing.T) registry {
	t.Helper()
	reg := registry{}
	reg.add(toolsets["connections"])
	type in struct{}
	type out struct {
		Done bool `json:"done"`
	}
	reg.add(toolset{Name: "writer", Description: "test toolset", Tools: []tool{
		newTool(&mcp.Tool{Name: "write_something", Description: "writes", Annotations: &mcp.ToolAnnotations{}},
			func(context.Context, *env, in) (out, error) { return out{Done: true}, nil }),
		newTool(&mcp.Tool{Name: "peek", Description: "reads", Annotations: readOnlyAnnotations("Peek")},
			func(context.Context, *env, in) (out, error) { return out{Done: true}, nil }),
	}})
	return reg
}

func TestToolsetSelection(t *testing.T) {
	p := newProject(t)
	reg := testRegistry(t)
	all := append([]string{"peek", "write_something"}, allTools...)
	slices.Sort(all)
	readOnly := slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == "write_something" })
	for _, tc := range []struct {
		name string
		opts Options
		want []string
	}{
		{"default", Options{}, all},
		{"all", Options{Toolsets: []string{"all"}}, all},
		{"all and one", Options{Toolsets: []string{"writer", "all"}}, all},
		{"one", Options{Toolsets: []string{"connections"}}, allTools},
		{"comma list", Options{Toolsets: []string{" Writer , connections"}}, all},
		{"writer only", Options{Toolsets: []string{"writer"}}, []string{"peek", "write_something"}},
		{"read-only", Options{ReadOnly: true}, readOnly},
		{"read-only writer", Options{ReadOnly: true, Toolsets: []string{"writer"}}, []string{"peek"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := build(p, tc.opts, reg)
			if err != nil {
				t.Fatal(err)
			}
			if got := toolNames(t, connect(t, srv)); !slices.Equal(got, tc.want) {
				t.Errorf("tools = %v, want %v", got, tc.want)
			}
		})
	}

	_, err := build(p, Options{Toolsets: []string{"connections", "hierarchy", "all"}}, reg)
	if err == nil {
		t.Fatal("unknown toolset: no error")
	}
	wantContains(t, "unknown toolset", err.Error(), `unknown toolset "hierarchy"`, "known: connections, writer")
	if _, err := New(p, Options{Toolsets: []string{"connections", "hierarchy"}}); err != nil {
		t.Errorf("the real registry has a hierarchy toolset: %v", err)
	}

	// The real registry: the connections toolset, all read-only.
	_, err = New(p, Options{Toolsets: []string{"nosuchset"}})
	if err == nil || !strings.Contains(err.Error(), "(known: analytics, ") || !strings.Contains(err.Error(), " connections, ") {
		t.Errorf("New with unknown toolset: %v", err)
	}
	cs := newSession(t, p, Options{ReadOnly: true, Toolsets: []string{"connections"}})
	if got := toolNames(t, cs); !slices.Equal(got, allTools) {
		t.Errorf("read-only connections tools = %v", got)
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Error("New(nil): no error")
	}
}

func TestToolsetsInfo(t *testing.T) {
	infos := Toolsets()
	names := map[string]bool{}
	conns := -1
	for i, ti := range infos {
		names[ti.Name] = true
		if ti.Name == "connections" {
			conns = i
		}
	}
	if len(infos) < 2 || conns < 0 || len(infos[conns].Tools) != len(allTools) || !names["hierarchy"] || !names["deploy"] || !names["workflow"] || !names["git"] || !names["analytics"] {
		t.Fatalf("Toolsets() = %+v", infos)
	}
	for _, ti := range infos[conns].Tools {
		if !ti.ReadOnly || ti.Description == "" {
			t.Errorf("%+v", ti)
		}
	}
	for _, ti := range infos {
		if ti.Name != "git" {
			continue
		}
		var got []string
		for _, tl := range ti.Tools {
			got = append(got, tl.Name)
			if tl.ReadOnly || !strings.Contains(tl.Description, "NAMED by token_env") {
				t.Errorf("git tool %+v: read-only, or does not say tokens come from the variable named by token_env", tl)
			}
		}
		if want := []string{"create_github_repository", "push_dbt_project_to_github", "trigger_dbt_run"}; !slices.Equal(got, want) {
			t.Errorf("git tools = %v, want %v", got, want)
		}
	}
}

func TestPanicBecomesToolError(t *testing.T) {
	reg := registry{}
	type in struct{}
	type out struct{}
	reg.add(toolset{Name: "boom", Tools: []tool{newTool(&mcp.Tool{Name: "boom", Annotations: readOnlyAnnotations("Boom")},
		func(context.Context, *env, in) (out, error) { panic("kaboom") })}})
	srv, err := build(newProject(t), Options{}, reg)
	if err != nil {
		t.Fatal(err)
	}
	cs := connect(t, srv)
	msg := callErr(t, cs, "boom", nil)
	wantContains(t, "panic", msg, "internal error in boom", "kaboom", "(please report)")
	// The server is still up.
	if got := toolNames(t, cs); !slices.Equal(got, []string{"boom"}) {
		t.Errorf("tools after panic = %v", got)
	}
}
