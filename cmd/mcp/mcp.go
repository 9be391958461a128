// Package mcp implements `databridge mcp serve`.
package mcp

import (
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/mcpserver"
)

// NewCmd builds the mcp command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mcp",
		Short: "Serve databridge to AI agents over the Model Context Protocol",
		Example: `  databridge mcp serve
  databridge mcp serve --http 127.0.0.1:8765 --read-only`,
	}
	cmd.AddCommand(newServeCmd(f, nil))
	return cmd
}

// ServeOptions are the parsed flags of `mcp serve`.
type ServeOptions struct {
	HTTP         string
	AllowOrigins []string
	Toolsets     []string
	ReadOnly     bool
}

func newServeCmd(f *cmdutil.Factory, runF func(*ServeOptions) error) *cobra.Command {
	o := &ServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the MCP server (stdio by default, --http for streamable HTTP)",
		Long: `Run the databridge MCP server for the project. Over stdio (the default) stdout
carries only the protocol; logs go to stderr. With --http ADDR it serves the
streamable HTTP transport on ADDR (loopback unless a host is given); requests
from a web page of another origin are refused (403) unless --allow-origin
trusts that origin. Clients that send no Origin header are served.

Toolsets: ` + joinToolsets() + `. --read-only registers only tools that do not modify anything.`,
		Example: `  databridge mcp serve --project-dir ~/finance-dw
  databridge mcp serve --http :8765 --toolsets connections --read-only`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(o.AllowOrigins) > 0 && o.HTTP == "" {
				return cmdutil.Usagef("--allow-origin needs --http (stdio has no origins)")
			}
			if err := mcpserver.CheckAllowedOrigins(o.AllowOrigins); err != nil {
				return cmdutil.Usagef("%v", err)
			}
			if runF != nil {
				return runF(o)
			}
			p, err := f.Project()
			if err != nil {
				return err
			}
			level := slog.LevelInfo
			if f.IO.Quiet() {
				level = slog.LevelWarn
			}
			logger := slog.New(slog.NewTextHandler(f.IO.ErrOut, &slog.HandlerOptions{Level: level}))
			settings := f.Settings()
			srv, err := mcpserver.New(p, mcpserver.Options{Toolsets: o.Toolsets, ReadOnly: o.ReadOnly, Version: f.Version, Logger: logger, Settings: &settings})
			if err != nil {
				return cmdutil.Usagef("%v", err)
			}
			if o.HTTP != "" {
				return mcpserver.ServeHTTP(cmd.Context(), srv, o.HTTP, logger, o.AllowOrigins...)
			}
			logger.Info("databridge MCP server on stdio", "project", p.Root)
			return mcpserver.ServeStdio(cmd.Context(), srv, logger)
		},
	}
	cmd.Flags().StringVar(&o.HTTP, "http", "", "serve streamable HTTP on ADDR (e.g. :8765 binds 127.0.0.1:8765)")
	cmd.Flags().StringArrayVar(&o.AllowOrigins, "allow-origin", nil, "with --http, also accept browser requests from this origin (scheme://host[:port]; repeatable)")
	cmd.Flags().StringSliceVar(&o.Toolsets, "toolsets", nil, "toolsets to enable (default: all)")
	cmd.Flags().BoolVar(&o.ReadOnly, "read-only", false, "only register tools that do not modify anything")
	return cmd
}

func joinToolsets() string {
	out := ""
	for i, ts := range mcpserver.Toolsets() {
		if i > 0 {
			out += ", "
		}
		out += ts.Name
	}
	return out
}
