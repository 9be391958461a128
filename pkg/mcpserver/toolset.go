package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/project"
)

// A toolset is a named group of tools that --toolsets switches on or off.
// Each toolset lives in its own file and registers itself from init with
// registerToolset, so adding one ("hierarchy", "semantic", ...) means adding
// a file and nothing else.
type toolset struct {
	Name        string
	Description string
	Tools       []tool
}

// A tool is one MCP tool: its definition (name, description, annotations;
// schemas are inferred from the handler's types unless set) and a function
// that adds it to a server.
type tool struct {
	Def *mcp.Tool
	add func(s *mcp.Server, e *env)
}

// readOnly reports whether the tool is annotated as not modifying its
// environment. Tools without annotations count as writers.
func (t tool) readOnly() bool { return t.Def.Annotations != nil && t.Def.Annotations.ReadOnlyHint }

// env is what a tool handler gets: where the project is, the
// project-level settings (the server's version, DATABRIDGE_DEFAULT_TARGET)
// and where to log.
type env struct {
	root     string
	logger   *slog.Logger
	version  string
	settings app.Settings
}

// services re-reads the project from disk and assembles its services with
// pkg/app, as the CLI does, so a connection added by the CLI while the
// server runs is seen by the next call and both faces apply the same
// settings.
func (e *env) services() (*app.Services, error) { return app.Open(e.root, e.settings) }

// project is the project of services().
func (e *env) project() (*project.Project, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Project, nil
}

// registry maps toolset names to toolsets.
type registry map[string]toolset

// toolsets holds every toolset compiled into the binary.
var toolsets = registry{}

// registerToolset adds a toolset; toolset files call it from init.
func registerToolset(ts toolset) { toolsets.add(ts) }

func (r registry) add(ts toolset) {
	if ts.Name == "" || ts.Name == allToolsets || strings.ContainsAny(ts.Name, ", ") {
		panic(fmt.Sprintf("mcpserver: invalid toolset name %q", ts.Name))
	}
	if _, dup := r[ts.Name]; dup {
		panic("mcpserver: toolset registered twice: " + ts.Name)
	}
	seen := map[string]bool{}
	for _, other := range r {
		for _, t := range other.Tools {
			seen[t.Def.Name] = true
		}
	}
	for _, t := range ts.Tools {
		if t.Def == nil || t.add == nil {
			panic("mcpserver: incomplete tool in toolset " + ts.Name)
		}
		if seen[t.Def.Name] {
			panic("mcpserver: tool registered twice: " + t.Def.Name)
		}
		seen[t.Def.Name] = true
	}
	r[ts.Name] = ts
}

// allToolsets is the --toolsets value that selects every toolset.
const allToolsets = "all"

// names lists the toolsets, sorted.
func (r registry) names() []string {
	out := make([]string, 0, len(r))
	for n := range r {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ToolInfo describes a tool for help output.
type ToolInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	ReadOnly    bool   `json:"read_only"`
}

// ToolsetInfo describes a toolset for help output (`--toolsets`).
type ToolsetInfo struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Tools       []ToolInfo `json:"tools"`
}

// Toolsets lists the registered toolsets and their tools, sorted by name.
func Toolsets() []ToolsetInfo {
	var out []ToolsetInfo
	for _, n := range toolsets.names() {
		ts := toolsets[n]
		info := ToolsetInfo{Name: ts.Name, Description: ts.Description, Tools: []ToolInfo{}}
		for _, t := range ts.Tools {
			info.Tools = append(info.Tools, ToolInfo{Name: t.Def.Name, Description: t.Def.Description, ReadOnly: t.readOnly()})
		}
		out = append(out, info)
	}
	return out
}

// choose resolves --toolsets values. Each value may itself be a
// comma-separated list; empty or "all" selects every toolset.
func (r registry) choose(names []string) ([]toolset, error) {
	want := map[string]bool{}
	everything := true
	var unknown []string
	for _, v := range names {
		for _, n := range strings.Split(v, ",") {
			n = strings.ToLower(strings.TrimSpace(n))
			switch {
			case n == "":
			case n == allToolsets:
				everything = true
				want = nil
			default:
				if _, ok := r[n]; !ok {
					unknown = append(unknown, n)
				} else if want != nil {
					everything = false
					want[n] = true
				}
			}
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown toolset %s (known: %s, or %s for every toolset)",
			quoteJoin(unknown), strings.Join(r.names(), ", "), allToolsets)
	}
	var out []toolset
	for _, n := range r.names() {
		if everything || want[n] {
			out = append(out, r[n])
		}
	}
	return out, nil
}

func quoteJoin(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// newTool makes a tool whose handler takes typed input and returns the
// service's result struct as structured output. An error from the handler
// becomes a tool error (isError with the message), not a protocol error; a
// panic is logged and reported the same way so one bad call cannot take the
// server down.
func newTool[In, Out any](def *mcp.Tool, h func(ctx context.Context, e *env, in In) (Out, error)) tool {
	return tool{
		Def: def,
		add: func(s *mcp.Server, e *env) {
			d := *def
			if d.OutputSchema == nil {
				d.OutputSchema = outputSchema[Out]()
			}
			mcp.AddTool(s, &d, func(ctx context.Context, _ *mcp.CallToolRequest, in In) (res *mcp.CallToolResult, out Out, err error) {
				start := time.Now()
				var cf *checksFailedError
				defer func() {
					if r := recover(); r != nil {
						e.logger.Error("mcp tool panicked", "tool", d.Name, "panic", r, "stack", string(debug.Stack()))
						var zero Out
						res, out, err = nil, zero, fmt.Errorf("internal error in %s: %v (please report)", d.Name, r)
					}
					switch {
					case err != nil:
						e.logger.Info("mcp tool failed", "tool", d.Name, "elapsed", time.Since(start), "error", err)
					case cf != nil:
						e.logger.Info("mcp tool checks failed", "tool", d.Name, "elapsed", time.Since(start), "error", cf.msg)
					default:
						e.logger.Debug("mcp tool done", "tool", d.Name, "elapsed", time.Since(start))
					}
				}()
				out, err = h(ctx, e, in)
				if errors.As(err, &cf) {
					return checksFailedResult(cf, out), out, nil
				}
				return nil, out, err
			})
		},
	}
}

// checksFailedError is what a handler returns, together with its full
// result, when the call ran but its checks failed: the CLI twin prints the
// same result with --json and exits 3. newTool then answers with the
// structured result and isError true, so the agent both knows the call
// failed and can read every failed check.
type checksFailedError struct{ msg string }

func (e *checksFailedError) Error() string { return e.msg }

// checksFailed makes a checksFailedError; msg says what failed (and how to
// see or fix it).
func checksFailed(format string, args ...any) error {
	return &checksFailedError{msg: fmt.Sprintf(format, args...)}
}

// checksFailedResult is a tool error that keeps the structured result:
// the message first, then the result's JSON as text for clients that do
// not read structured content (the SDK adds structuredContent itself).
func checksFailedResult(cf *checksFailedError, out any) *mcp.CallToolResult {
	res := &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: cf.msg}}}
	if b, err := json.Marshal(out); err == nil {
		res.Content = append(res.Content, &mcp.TextContent{Text: string(b)})
	}
	return res
}

// readOnlyAnnotations marks a tool that only reads: safe to call again, and
// limited to the project's configured connections.
func readOnlyAnnotations(title string) *mcp.ToolAnnotations {
	f := false
	return &mcp.ToolAnnotations{Title: title, ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: &f}
}

// decimalSchema: exact decimals (money) travel as strings ("1234.50"),
// never as JSON numbers; the inferred schema says so.
var decimalSchema = map[reflect.Type]*jsonschema.Schema{
	reflect.TypeFor[decimal.Decimal](): {Type: "string", Description: "an exact decimal number, as text"},
}

// outputSchema is a tool's output schema, inferred from its result type as
// the SDK does, with decimals as strings. Nil lets the SDK infer it.
func outputSchema[Out any]() *jsonschema.Schema {
	t := reflect.TypeFor[Out]()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	sch, err := jsonschema.ForType(t, &jsonschema.ForOptions{TypeSchemas: decimalSchema})
	if err != nil {
		return nil
	}
	return sch
}
