// Package mcpserver is the MCP face of databridge (`databridge mcp serve`).
// It groups tools into toolsets ("connections", and later "hierarchy",
// "semantic", ...), each tool a thin adapter over the same pkg/ service the
// CLI uses: its structured output is the struct the matching command prints
// with --json. Servers run over stdio (ServeStdio) or streamable HTTP
// (ServeHTTP); stdout carries nothing but the protocol, logs go to the
// logger.
package mcpserver

import (
	"errors"
	"log/slog"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/project"
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
}

const instructions = `databridge turns finance and operational data into a tested, documented warehouse.
Tools act on the databridge project the server was started in (its .databridge/config.yaml).
Start with list_connections to see the configured connections and the default target; a tool's
connection argument may be left out to use the default target. Explore with list_schemas,
list_tables and describe_table before writing SQL; run_query is read-only and returns at most
max_rows rows (check the truncated flag).`

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
	srv := mcp.NewServer(&mcp.Implementation{Name: "databridge", Title: "databridge", Version: version}, &mcp.ServerOptions{
		Instructions: instructions,
		Logger:       logger,
		// The tool list is fixed for the life of the server.
		Capabilities: &mcp.ServerCapabilities{Tools: &mcp.ToolCapabilities{}},
	})
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
			names = append(names, t.Def.Name)
		}
	}
	logger.Debug("mcp server ready", "project", p.Root, "read_only", opts.ReadOnly, "tools", names)
	return srv, nil
}
