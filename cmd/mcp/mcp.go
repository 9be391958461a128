// Package mcp implements `databridge mcp serve`.
package mcp

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/auth"
	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/mcpserver"
	"github.com/databridge/databridge/pkg/telemetry"
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
	// InsecureNoAuth serves --http without authentication (loopback only).
	InsecureNoAuth bool
	// MetricsAddr serves Prometheus metrics alone on this address.
	MetricsAddr string
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

--http requires authentication: every request carries "Authorization: Bearer
KEY" with an API key from 'databridge auth key create', or a JWT of the OIDC
issuer configured in .databridge/roles.yaml. A caller sees and calls only the
tools its role allows; every call is appended to .databridge/state/audit/.
--insecure-no-auth serves without it, on a loopback address only. Over stdio
the caller is the local user with the stdio_role of roles.yaml (default admin).
The server follows the project's events (Redis when events.redis_url or
DATABRIDGE_REDIS_URL is set, else .databridge/state/events/events.jsonl): a
deployment by another process refreshes the semantic layer here.
Prometheus metrics are at /metrics on the HTTP address (a key is needed
there too) and, with --metrics-addr, alone on another address (no key only
on loopback). Logs are JSON lines on stderr, with a request id per call.

Toolsets: ` + joinToolsets() + `. --read-only registers only tools that do not modify anything.`,
		Example: `  databridge mcp serve --project-dir ~/finance-dw
  databridge mcp serve --http 0.0.0.0:8765 --metrics-addr 127.0.0.1:9464
  databridge mcp serve --http :8765 --insecure-no-auth --toolsets connections --read-only`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(o.AllowOrigins) > 0 && o.HTTP == "" {
				return cmdutil.Usagef("--allow-origin needs --http (stdio has no origins)")
			}
			if err := mcpserver.CheckAllowedOrigins(o.AllowOrigins); err != nil {
				return cmdutil.Usagef("%v", err)
			}
			if o.InsecureNoAuth && o.HTTP == "" {
				return cmdutil.Usagef("--insecure-no-auth needs --http (stdio runs as the local user)")
			}
			if runF != nil {
				return runF(o)
			}
			p, err := f.Project()
			if err != nil {
				return err
			}
			level := slog.LevelInfo
			switch {
			case f.IO.Quiet():
				level = slog.LevelWarn
			case f.IO.Verbose():
				// -v: also one line per statement sent to an engine, with
				// the request id of the call (pkg/connector).
				level = slog.LevelDebug
			}
			logger := slog.New(slog.NewJSONHandler(f.IO.ErrOut, &slog.HandlerOptions{Level: level}))
			slog.SetDefault(logger)
			pol, err := auth.LoadPolicy(p.Root)
			if err != nil {
				return err
			}
			audit := auth.OpenAudit(p.Root)
			defer audit.Close()
			metrics := telemetry.New()
			telemetry.SetDefault(metrics)
			settings := f.Settings()
			srv, err := mcpserver.New(p, mcpserver.Options{Toolsets: o.Toolsets, ReadOnly: o.ReadOnly, Version: f.Version, Logger: logger, Settings: &settings,
				Policy: pol, Audit: audit, Metrics: metrics})
			if err != nil {
				return cmdutil.Usagef("%v", err)
			}
			ctx, cancel := context.WithCancel(cmd.Context())
			defer cancel()
			// Events: other processes' deployments refresh the semantic
			// layer here; the bus's state is on /metrics.
			bus := events.For(p)
			bus.SetLogger(logger)
			if err := events.RegisterMetrics(metrics.Registry); err != nil {
				return err
			}
			stopSync := mcpserver.SyncOnEvents(ctx, bus, p.Root, settings, logger)
			defer stopSync()
			go func() { _ = bus.Listen(ctx) }()
			logger.Info("events: listening for other processes' events", "transport", bus.Transport(), "where", bus.Where())
			var authn *auth.Authenticator
			if !o.InsecureNoAuth {
				authn = &auth.Authenticator{Keys: auth.OpenKeys(p.Root), Policy: pol}
				if o.HTTP != "" && pol.OIDC == nil {
					if n, err := authn.Keys.Active(); err != nil {
						return err
					} else if n == 0 {
						return fmt.Errorf("mcp serve --http: authentication is required and no way to authenticate is configured: create an API key with `databridge auth key create NAME --role ROLE`, configure oidc in .databridge/roles.yaml, or pass --insecure-no-auth on a loopback address")
					}
				}
				if pol.OIDC != nil {
					if authn.JWT, err = auth.NewJWTVerifier(ctx, *pol.OIDC); err != nil {
						return err
					}
				}
			}
			errc := make(chan error, 2)
			running := 1
			if o.MetricsAddr != "" {
				running++
				go func() { errc <- mcpserver.ServeMetrics(ctx, metrics, o.MetricsAddr, authn, logger) }()
			}
			go func() {
				if o.HTTP != "" {
					errc <- mcpserver.ServeHTTP(ctx, srv, mcpserver.HTTPOptions{Addr: o.HTTP, AllowOrigins: o.AllowOrigins, Auth: authn, InsecureNoAuth: o.InsecureNoAuth, Metrics: metrics}, logger)
					return
				}
				local := mcpserver.LocalPrincipal(pol)
				logger.Info("databridge MCP server on stdio", "project", p.Root, "who", local.Subject, "role", local.Role)
				errc <- mcpserver.ServeStdio(ctx, srv, logger)
			}()
			// The first server to stop (an error, or the client leaving
			// stdio) stops the other.
			var first error
			for ; running > 0; running-- {
				if err := <-errc; err != nil && first == nil {
					first = err
				}
				cancel()
			}
			return first
		},
	}
	cmd.Flags().StringVar(&o.HTTP, "http", "", "serve streamable HTTP on ADDR (e.g. :8765 binds 127.0.0.1:8765)")
	cmd.Flags().StringArrayVar(&o.AllowOrigins, "allow-origin", nil, "with --http, also accept browser requests from this origin (scheme://host[:port]; repeatable)")
	cmd.Flags().StringSliceVar(&o.Toolsets, "toolsets", nil, "toolsets to enable (default: all)")
	cmd.Flags().BoolVar(&o.InsecureNoAuth, "insecure-no-auth", false, "with --http on a loopback address, serve without authentication")
	cmd.Flags().StringVar(&o.MetricsAddr, "metrics-addr", "", "also serve Prometheus metrics alone on ADDR (e.g. 127.0.0.1:9464)")
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
