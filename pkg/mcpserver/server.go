// Package mcpserver is the MCP face of databridge (`databridge mcp serve`).
// It groups tools into toolsets ("connections", and later "hierarchy",
// "semantic", ...), each tool a thin adapter over the same pkg/ service the
// CLI uses: its structured output is the struct the matching command prints
// with --json. Servers run over stdio (ServeStdio) or streamable HTTP
// (ServeHTTP); stdout carries nothing but the protocol, logs go to the
// logger.
package mcpserver

import (
	"context"
	"errors"
	"log/slog"
	"os"
	osuser "os/user"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/auth"
	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/telemetry"
)

// Options configure a server.
type Options struct {
	// Toolsets to enable; empty or "all" enables every toolset. Values may
	// be comma-separated lists. An unknown name is an error that lists the
	// known ones.
	Toolsets []string
	// ReadOnly registers only tools annotated read-only: tools that could
	// change data or files are not offered at all.
	ReadOnly bool
	// Version is reported to clients as the server version.
	Version string
	// Logger receives server logs (stderr in the CLI); nil discards them.
	Logger *slog.Logger
	// Settings are the project-level settings tools apply (the CLI passes
	// its own, so `mcp serve` honours DATABRIDGE_DEFAULT_TARGET like every
	// command). Nil reads them from the environment (app.SettingsFromEnv).
	Settings *app.Settings

	// Policy turns on authorisation: tools/list shows a caller only the
	// tools its role may call and a call beyond it is a tool error. Over
	// HTTP the caller is the principal of its bearer token (ServeHTTP);
	// otherwise (stdio, --insecure-no-auth) it is Local. Nil allows
	// everything (tests, embedding).
	Policy *auth.Policy
	// Local is the caller of requests that carry no token; its zero value
	// is the local user with the policy's stdio role.
	Local auth.Principal
	// Audit, when set, receives one line per tool call.
	Audit *auth.Audit
	// Metrics, when set, records every request.
	Metrics *telemetry.Metrics
}

const instructions = `databridge turns finance and operational data into a tested, documented warehouse.
Tools act on the databridge project the server was started in (its .databridge/config.yaml).
Start with list_connections to see the configured connections and the default target; a tool's
connection argument may be left out to use the default target. Explore with list_schemas,
list_tables and describe_table before writing SQL; run_query is read-only and returns at most
max_rows rows (check the truncated flag). For a whole task (onboard a source, build a P&L, deploy,
reconcile, close a month, answer a question) get the matching prompt (prompts/list): it names the
tools to call in order and what to check. Hierarchies, models, deployments, the semantic layer and
the docs are also resources (databridge://…, see resources/templates/list) that can be subscribed to.`

// New builds an MCP server for the project with the selected toolsets.
// Tools re-open the project on every call, so configuration changes made
// while the server runs (for example `databridge connection add`) are seen.
func New(p *project.Project, opts Options) (*mcp.Server, error) {
	return build(p, opts, toolsets)
}

func build(p *project.Project, opts Options, reg registry) (*mcp.Server, error) {
	if p == nil || p.Root == "" {
		return nil, errors.New("mcpserver: a project is required")
	}
	sets, err := reg.choose(opts.Toolsets)
	if err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	g := newGuard(opts, logger)
	srv := mcp.NewServer(&mcp.Implementation{Name: "databridge", Title: "databridge", Version: version}, &mcp.ServerOptions{
		Instructions: instructions,
		Logger:       logger,
		// The tool list is fixed for the life of the server.
		Capabilities:       &mcp.ServerCapabilities{Tools: &mcp.ToolCapabilities{}},
		InitializedHandler: g.sessionStarted,
		// Resources can be subscribed to (resources.go: ResourceChanged).
		SubscribeHandler:   subscribeResource,
		UnsubscribeHandler: unsubscribeResource,
	})
	srv.AddReceivingMiddleware(g.middleware)
	settings := app.SettingsFromEnv()
	if opts.Settings != nil {
		settings = *opts.Settings
	}
	settings.Version = version
	e := &env{root: p.Root, logger: logger, version: version, settings: settings}
	var names []string
	for _, ts := range sets {
		for _, t := range ts.Tools {
			if opts.ReadOnly && !t.readOnly() {
				continue
			}
			t.add(srv, e)
			g.perms[t.Def.Name] = auth.ToolPermission(ts.Name, t.Def.Name, t.readOnly())
			names = append(names, t.Def.Name)
		}
	}
	// Skills as prompts (prompts.go) and the project as resources
	// (resources.go), whatever the toolsets.
	if err := addPrompts(srv, names); err != nil {
		return nil, err
	}
	addResources(srv, e)
	if p.Config != nil {
		// Events of this process, and of others while `mcp serve` runs
		// the bus's Listen, tell subscribed sessions what changed.
		FollowEvents(srv, events.For(p))
	}
	logger.Debug("mcp server ready", "project", p.Root, "read_only", opts.ReadOnly, "tools", names)
	return srv, nil
}

// guard is the server's receiving middleware: who is calling (the bearer
// token's principal over HTTP, else the local one), whether its role may
// list or call a tool, the audit line, the metrics and a request id per
// call in the logs.
type guard struct {
	policy  *auth.Policy
	local   auth.Principal
	audit   *auth.Audit
	metrics *telemetry.Metrics
	logger  *slog.Logger
	perms   map[string]auth.Permission // every registered tool
}

func newGuard(opts Options, logger *slog.Logger) *guard {
	g := &guard{policy: opts.Policy, local: opts.Local, audit: opts.Audit, metrics: opts.Metrics, logger: logger, perms: map[string]auth.Permission{}}
	if g.local.Role == "" {
		g.local = LocalPrincipal(opts.Policy)
	}
	return g
}

// LocalPrincipal is the user running the server, with the policy's stdio
// role (admin without a policy).
func LocalPrincipal(pol *auth.Policy) auth.Principal {
	user := os.Getenv("DATABRIDGE_USER")
	if user == "" {
		if u, err := osuser.Current(); err == nil {
			user = u.Username
		}
	}
	role := auth.RoleAdmin
	if pol != nil && pol.StdioRole != "" {
		role = pol.StdioRole
	}
	return auth.Principal{Subject: "local:" + user, Role: role, Method: "local"}
}

// principalKey is where ServeHTTP's token verifier puts the principal in
// the SDK's TokenInfo.Extra.
const principalKey = "databridge.principal"

func (g *guard) principal(req mcp.Request) auth.Principal {
	if ex := req.GetExtra(); ex != nil && ex.TokenInfo != nil {
		if p, ok := ex.TokenInfo.Extra[principalKey].(auth.Principal); ok {
			return p
		}
	}
	return g.local
}

func (g *guard) allowed(p auth.Principal, tool string) (auth.Permission, bool) {
	need, ok := g.perms[tool]
	if g.policy == nil {
		return need, true
	}
	return need, ok && g.policy.Allowed(p, need)
}

func (g *guard) sessionStarted(_ context.Context, req *mcp.InitializedRequest) {
	if g.metrics == nil || req.Session == nil {
		return
	}
	g.metrics.SessionsActive.Inc()
	go func() {
		_ = req.Session.Wait()
		g.metrics.SessionsActive.Dec()
	}()
}

func (g *guard) middleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		start := time.Now()
		switch method {
		case "tools/call":
			return g.call(ctx, method, req, next, start)
		case "resources/read", "resources/subscribe", "subscriptions/listen":
			res, err := g.readResource(ctx, method, req, next)
			g.observe(method, "", outcomeOf(res, err), time.Since(start))
			return res, err
		case "tools/list":
			res, err := next(ctx, method, req)
			if lr, ok := res.(*mcp.ListToolsResult); ok && err == nil && g.policy != nil {
				p := g.principal(req)
				kept := lr.Tools[:0:0]
				for _, t := range lr.Tools {
					if _, ok := g.allowed(p, t.Name); ok {
						kept = append(kept, t)
					}
				}
				lr.Tools = kept
			}
			g.observe(method, "", outcomeOf(res, err), time.Since(start))
			return res, err
		}
		res, err := next(ctx, method, req)
		g.observe(method, "", outcomeOf(res, err), time.Since(start))
		return res, err
	}
}

func (g *guard) observe(method, tool, outcome string, d time.Duration) {
	if g.metrics != nil {
		g.metrics.ObserveCall(method, tool, outcome, d)
	}
}

func (g *guard) call(ctx context.Context, method string, req mcp.Request, next mcp.MethodHandler, start time.Time) (mcp.Result, error) {
	p := g.principal(req)
	rid := telemetry.NewRequestID()
	ctx = telemetry.WithRequestID(ctx, rid)
	ctx = withProgress(ctx, req, g.logger)
	var name string
	var args []byte
	if params, ok := req.GetParams().(*mcp.CallToolParamsRaw); ok {
		name, args = params.Name, params.Arguments
	}
	label := name
	if _, known := g.perms[name]; !known {
		label = "unknown" // bounded label values: only registered tools
	}
	var res mcp.Result
	var err error
	var outcome, errText string
	need, ok := g.allowed(p, name)
	if !ok && label != "unknown" {
		denied := &auth.ToolDeniedError{Tool: name, Role: p.Role, Need: need}
		outcome, errText = telemetry.OutcomeDenied, denied.Error()
		res = &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: errText}}}
	} else {
		res, err = next(ctx, method, req)
		outcome = outcomeOf(res, err)
		switch {
		case err != nil:
			errText = err.Error()
		case outcome == telemetry.OutcomeToolError:
			errText = toolErrorText(res)
		}
	}
	d := time.Since(start)
	g.observe(method, label, outcome, d)
	if g.audit != nil {
		if aerr := g.audit.Write(auth.AuditEntry{
			Time: start.UTC(), RequestID: rid, Who: p.Subject, Method: p.Method, Role: p.Role, Tool: name,
			Arguments: auth.RedactArguments(args), Outcome: outcome, Error: errText, DurationMS: float64(d.Microseconds()) / 1000,
		}); aerr != nil {
			g.logger.Error("mcp audit: writing a line failed", "request_id", rid, "error", aerr)
		}
	}
	g.logger.Info("mcp tool call", "request_id", rid, "who", p.Subject, "role", p.Role, "tool", name,
		"outcome", outcome, "elapsed", d, "error", auth.RedactKeys(errText))
	return res, err
}

func outcomeOf(res mcp.Result, err error) string {
	if err != nil {
		return telemetry.OutcomeError
	}
	if cr, ok := res.(*mcp.CallToolResult); ok && cr.IsError {
		return telemetry.OutcomeToolError
	}
	return telemetry.OutcomeOK
}

func toolErrorText(res mcp.Result) string {
	cr, ok := res.(*mcp.CallToolResult)
	if !ok || len(cr.Content) == 0 {
		return ""
	}
	if t, ok := cr.Content[0].(*mcp.TextContent); ok {
		return t.Text
	}
	return ""
}
