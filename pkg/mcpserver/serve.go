package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// HTTP defaults.
const (
	DefaultHTTPHost = "127.0.0.1"
	DefaultHTTPPort = 8765
	// HTTPPath is where the streamable HTTP endpoint is served.
	HTTPPath = "/mcp"
)

// shutdownGrace bounds how long a stopping HTTP server waits for requests
// in flight.
const shutdownGrace = 5 * time.Second

// ServeStdio serves one client over stdin/stdout until the client
// disconnects or ctx is cancelled (which is not an error). Nothing else may
// write to stdout while it runs. An input line that is not a JSON-RPC
// message is answered with a JSON-RPC error (-32700 parse error, -32600
// invalid request) and logged; the session goes on (see filteredStdio).
func ServeStdio(ctx context.Context, srv *mcp.Server, logger *slog.Logger) error {
	return serveIO(ctx, srv, os.Stdin, os.Stdout, logger)
}

// serveIO is ServeStdio over any pair of streams (tests use pipes).
func serveIO(ctx context.Context, srv *mcp.Server, in io.Reader, out io.Writer, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	err := srv.Run(ctx, &filteredStdio{in: in, out: out, logger: logger})
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return nil
	}
	return err
}

// HTTPAddr normalises a --http address: "" means 127.0.0.1:8765, a bare
// port or ":port" binds loopback, a bare host gets the default port. Only
// an explicit host (such as 0.0.0.0) binds anything but loopback.
func HTTPAddr(addr string) (string, error) {
	def := strconv.Itoa(DefaultHTTPPort)
	if addr == "" {
		return net.JoinHostPort(DefaultHTTPHost, def), nil
	}
	if _, err := strconv.ParseUint(addr, 10, 16); err == nil {
		return net.JoinHostPort(DefaultHTTPHost, addr), nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		// No port: a host (or a bracketed IPv6 address) alone.
		host, port = addr, def
		if len(host) > 1 && host[0] == '[' && host[len(host)-1] == ']' {
			host = host[1 : len(host)-1]
		}
	}
	if host == "" {
		host = DefaultHTTPHost
	}
	if port == "" {
		port = def
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return "", fmt.Errorf("invalid --http address %q: port must be a number from 0 to 65535", addr)
	}
	return net.JoinHostPort(host, port), nil
}

// ServeHTTP serves the MCP streamable HTTP transport at http://addr/mcp
// (see HTTPAddr for how addr is read) until ctx is cancelled, then shuts
// down gracefully and returns nil. It returns at once if addr cannot be
// bound. There is no authentication: keep it on loopback unless something
// in front of it authenticates.
func ServeHTTP(ctx context.Context, srv *mcp.Server, addr string, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	a, err := HTTPAddr(addr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a)
	if err != nil {
		return fmt.Errorf("mcp http: %w", err)
	}
	return serveHTTP(ctx, srv, ln, logger)
}

func serveHTTP(ctx context.Context, srv *mcp.Server, ln net.Listener, logger *slog.Logger) error {
	handler := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, &mcp.StreamableHTTPOptions{
		Logger: logger,
	})
	mux := http.NewServeMux()
	mux.Handle(HTTPPath, handler)

	// Request contexts derive from base; cancelling it on shutdown ends the
	// long-lived event streams that would otherwise hold Shutdown open.
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	hs := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	hs.RegisterOnShutdown(cancelBase)

	url := "http://" + ln.Addr().String() + HTTPPath
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		logger.Warn("mcp http server is reachable beyond this machine and has no authentication", "url", url)
	}
	logger.Info("mcp http server listening", "url", url)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("mcp http: %w", err)
	case <-ctx.Done():
	}
	logger.Info("mcp http server shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		logger.Warn("mcp http server did not stop in time; connections closed", "error", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("mcp http: %w", err)
	}
	return nil
}
