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
	"strings"
	"sync"
	"time"

	sdkauth "github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/auth"
	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/telemetry"
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

// HTTPOptions configure ServeHTTP.
type HTTPOptions struct {
	// Addr is read by HTTPAddr ("" is 127.0.0.1:8765).
	Addr string
	// AllowOrigins are browser origins trusted besides the server's own.
	AllowOrigins []string
	// Auth verifies bearer tokens (API keys, JWTs). Every request, /mcp and
	// /metrics, needs a valid one: 401 otherwise.
	Auth *auth.Authenticator
	// InsecureNoAuth serves without authentication; only allowed when the
	// server binds a loopback address. Callers are then Options.Local.
	InsecureNoAuth bool
	// Metrics, when set, is served at /metrics (behind the same
	// authentication as /mcp).
	Metrics *telemetry.Metrics
}

// ServeHTTP serves the MCP streamable HTTP transport at http://addr/mcp
// (see HTTPAddr for how addr is read) until ctx is cancelled, then shuts
// down gracefully and returns nil. It returns at once if addr cannot be
// bound, an allowed origin is malformed, or there is no authentication
// (o.Auth nil) unless o.InsecureNoAuth and the address is loopback.
//
// With o.Auth every request needs "Authorization: Bearer TOKEN" (the MCP
// SDK's auth.RequireBearerToken): no token, an unknown, revoked or expired
// key, or a JWT with a bad signature, another audience or past its expiry
// is refused with 401. The token's principal (who, role) rides in the
// SDK's TokenInfo to the guard, which filters tools/list and refuses calls
// beyond the role; a session is bound to its user (TokenInfo.UserID) so
// another token cannot take it over.
//
// Cross-origin browser requests are refused with 403 (a web page the user
// visits must not drive the server): a request whose Origin is not the
// server's own host, or whose Sec-Fetch-Site says cross-site, is refused
// unless its origin is one of allowOrigins ("scheme://host[:port]").
// Requests without those headers (non-browser clients) are served.
func ServeHTTP(ctx context.Context, srv *mcp.Server, o HTTPOptions, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if o.Auth == nil && !o.InsecureNoAuth {
		return errors.New("mcp http: authentication is required: create an API key with `databridge auth key create NAME --role ROLE`, configure oidc in .databridge/roles.yaml, or pass --insecure-no-auth on a loopback address")
	}
	a, err := HTTPAddr(o.Addr)
	if err != nil {
		return err
	}
	h, err := httpHandler(srv, logger, o.AllowOrigins)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a)
	if err != nil {
		return fmt.Errorf("mcp http: %w", err)
	}
	if o.Auth == nil && !isLoopback(ln.Addr()) {
		ln.Close()
		return fmt.Errorf("mcp http: --insecure-no-auth is only allowed on a loopback address, not %s", ln.Addr())
	}
	if o.Metrics != nil {
		mux := http.NewServeMux()
		mux.Handle("/", h)
		mux.Handle(MetricsPath, o.Metrics.Handler())
		h = mux
	}
	if o.Auth != nil {
		h = requireToken(o.Auth, logger)(h)
	} else {
		logger.Warn("mcp http server runs WITHOUT AUTHENTICATION (--insecure-no-auth): anyone on this machine can call every tool", "addr", ln.Addr().String())
	}
	return serveHTTP(ctx, h, ln, logger, o.Auth != nil)
}

// MetricsPath is where Prometheus metrics are served.
const MetricsPath = "/metrics"

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// requireToken is the SDK's bearer-token middleware with our verifier. A
// refusal says why (unknown, revoked or expired key; the JWT's failed
// check) and never quotes the token.
func requireToken(a *auth.Authenticator, logger *slog.Logger) func(http.Handler) http.Handler {
	verify := func(ctx context.Context, token string, r *http.Request) (*sdkauth.TokenInfo, error) {
		p, exp, err := a.Verify(ctx, token)
		if err != nil {
			msg := auth.RedactKeys(err.Error())
			logger.Warn("mcp http: request refused", "remote", r.RemoteAddr, "path", r.URL.Path, "reason", msg)
			if errors.Is(err, auth.ErrInvalidToken) {
				return nil, fmt.Errorf("%w: %s", sdkauth.ErrInvalidToken, strings.TrimPrefix(msg, "invalid token: "))
			}
			return nil, errors.New("authentication is unavailable, see the server log")
		}
		return &sdkauth.TokenInfo{UserID: p.Subject, Expiration: exp, Extra: map[string]any{principalKey: p}}, nil
	}
	return sdkauth.RequireBearerToken(verify, &sdkauth.RequireBearerTokenOptions{AllowMissingExpiration: true})
}

// ServeMetrics serves Prometheus metrics alone on addr (--metrics-addr)
// until ctx is cancelled. Without a key only on loopback: beyond it, a
// = nil authenticator is an error, and with one every scrape needs a
// bearer token.
func ServeMetrics(ctx context.Context, m *telemetry.Metrics, addr string, a *auth.Authenticator, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	hp, err := HTTPAddr(addr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", hp)
	if err != nil {
		return fmt.Errorf("metrics http: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle(MetricsPath, m.Handler())
	var h http.Handler = mux
	if !isLoopback(ln.Addr()) {
		if a == nil {
			ln.Close()
			return fmt.Errorf("metrics http: %s is not loopback: metrics beyond loopback need API keys (create one with `databridge auth key create`)", ln.Addr())
		}
		h = requireToken(a, logger)(h)
	}
	return serveOn(ctx, h, ln, logger, "metrics http server", MetricsPath, !isLoopback(ln.Addr()))
}

// CheckAllowedOrigins reports the first malformed --allow-origin value.
func CheckAllowedOrigins(origins []string) error {
	_, err := originGuard(http.NotFoundHandler(), origins, nil)
	return err
}

// httpHandler is the server's whole HTTP face: the streamable handler at
// HTTPPath behind the cross-origin check.
func httpHandler(srv *mcp.Server, logger *slog.Logger, allowOrigins []string) (http.Handler, error) {
	handler := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, &mcp.StreamableHTTPOptions{
		Logger: logger,
	})
	guarded, err := originGuard(handler, allowOrigins, logger)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(HTTPPath, guarded)
	return mux, nil
}

// originGuard wraps h in net/http's CrossOriginProtection (Sec-Fetch-Site,
// else Origin compared with Host) with the given trusted origins. That
// protection lets safe methods (GET, HEAD, OPTIONS) through; here they are
// checked too, because a GET on the MCP endpoint opens the session's event
// stream.
func originGuard(h http.Handler, allowOrigins []string, logger *slog.Logger) (http.Handler, error) {
	cop := http.NewCrossOriginProtection()
	for _, o := range allowOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("invalid --allow-origin %q: want scheme://host[:port], such as http://localhost:6274 (%v)", o, err)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		check := r
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			check = r.Clone(r.Context())
			check.Method = http.MethodPost
		}
		if err := cop.Check(check); err != nil {
			if logger != nil {
				logger.Warn("mcp http: cross-origin request refused", "method", r.Method, "origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
			}
			http.Error(w, "Forbidden: "+err.Error()+"; start the server with --allow-origin ORIGIN to trust a browser origin", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	}), nil
}

func serveHTTP(ctx context.Context, handler http.Handler, ln net.Listener, logger *slog.Logger, authenticated bool) error {
	return serveOn(ctx, handler, ln, logger, "mcp http server", HTTPPath, authenticated)
}

// serveOn serves handler on ln until ctx is cancelled; what names the
// server in logs and path is the URL it announces.
func serveOn(ctx context.Context, handler http.Handler, ln net.Listener, logger *slog.Logger, what, path string, authenticated bool) error {
	// Request contexts derive from base; cancelling it on shutdown ends the
	// long-lived event streams that would otherwise hold Shutdown open.
	base, cancelBase := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelBase()
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	hs.RegisterOnShutdown(cancelBase)

	url := "http://" + ln.Addr().String() + path
	logger.Info(what+" listening", "url", url, "authenticated", authenticated)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("%s: %w", what, err)
	case <-ctx.Done():
	}
	logger.Info(what + " shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		logger.Warn(what+" did not stop in time; connections closed", "error", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("mcp http: %w", err)
	}
	return nil
}

// SyncOnEvents keeps a running server in step with the other processes
// working on its project: when another process (a CLI `deploy` in
// another shell, another server) publishes deployment.completed or
// deployment.rolled_back for the project's default target, the server
// refreshes the semantic layer, the catalogue and the question parser's
// vocabulary through analytics.Service.Refresh — the method a deploy
// calls after it commits — and publishes semantic.refreshed with the
// latency from the deployment's commit to the refresh's end. When the
// transport comes back after being down (events.Reconnected) it refreshes
// too: deployments made meanwhile were not received. Deployments
// that arrive while a refresh runs are covered by one more refresh. A
// refresh that fails (the warehouse busy) is tried again twice, then
// logged. The bus's Listen must run for other processes' events to
// arrive. The returned function stops it.
func SyncOnEvents(ctx context.Context, bus *events.Bus, root string, settings app.Settings, logger *slog.Logger) (stop func()) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(ctx)
	var mu sync.Mutex
	var pending []events.Event
	kick := make(chan struct{}, 1)
	unsub := bus.Subscribe(func(e events.Event) {
		switch {
		case e.Type == events.Reconnected:
			// The transport was down: deployments may have been missed.
		case e.Source.Process == bus.Source().Process:
			return
		case e.Type != events.DeploymentCompleted && e.Type != events.DeploymentRolledBack:
			return
		}
		mu.Lock()
		pending = append(pending, e)
		mu.Unlock()
		select {
		case kick <- struct{}{}:
		default:
		}
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-kick:
			}
			mu.Lock()
			batch := pending
			pending = nil
			mu.Unlock()
			refreshFor(ctx, bus, root, settings, logger, batch)
		}
	}()
	return func() {
		unsub()
		cancel()
		<-done
	}
}

// refreshFor refreshes once for a batch of other processes' deployments
// (those of the default target) and reports each.
func refreshFor(ctx context.Context, bus *events.Bus, root string, settings app.Settings, logger *slog.Logger, batch []events.Event) {
	svc, err := app.Open(root, settings)
	if err != nil {
		logger.Warn("events: cannot open the project to refresh after a deployment", "error", err)
		return
	}
	target := svc.Project.Config.DefaultTarget
	var mine []events.Event
	for _, e := range batch {
		if t := e.Str("target"); t == "" || t == target {
			mine = append(mine, e)
		}
	}
	if len(mine) == 0 {
		return
	}
	start := time.Now()
	svc.Analytics.Target = target
	var res *analytics.RefreshResult
	for attempt, wait := 0, 250*time.Millisecond; ; attempt, wait = attempt+1, wait*2 {
		if res, err = svc.Analytics.Refresh(ctx); err == nil || attempt == 2 || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	end := time.Now()
	for _, e := range mine {
		from := e.Time
		if t, perr := time.Parse(time.RFC3339Nano, e.Str("finished_at")); perr == nil {
			from = t
		}
		latency := end.Sub(from)
		data := map[string]any{
			"deployment": e.Str("deployment"), "target": target, "after": string(e.Type),
			"latency_ms": latency.Milliseconds(), "refresh_ms": end.Sub(start).Milliseconds(),
			"from_process": e.Source.Process,
		}
		if res != nil {
			data["metrics"], data["members"] = res.Metrics, res.Members
		}
		switch {
		case err != nil:
			data["error"] = err.Error()
			logger.Warn("events: refresh after another process's deployment failed", "deployment", e.Str("deployment"), "event", string(e.Type), "error", err)
		case e.Type == events.Reconnected:
			logger.Info("events: semantic layer refreshed after the events transport came back (deployments made meanwhile were not received)", "refresh_ms", end.Sub(start).Milliseconds())
		default:
			logger.Info("events: semantic layer refreshed after another process's deployment", "deployment", e.Str("deployment"), "event", string(e.Type), "latency_ms", latency.Milliseconds(), "refresh_ms", end.Sub(start).Milliseconds())
		}
		if _, perr := bus.Publish(ctx, events.Event{Type: events.SemanticRefreshed, Data: data}); perr != nil {
			logger.Warn("events: publishing semantic.refreshed failed", "error", perr)
		}
	}
}
