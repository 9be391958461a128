package mcpserver

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/auth"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/telemetry"
)

// issuer is an in-process OIDC issuer: a JWKS endpoint and a signing key.
type issuer struct {
	srv *httptest.Server
	key *rsa.PrivateKey
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
	}}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(jwks)
	}))
	t.Cleanup(srv.Close)
	return &issuer{srv: srv, key: key}
}

func (is *issuer) token(t *testing.T, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// bearer adds a token to every request.
type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if b.token != "" {
		r.Header.Set("Authorization", "Bearer "+b.token)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// authServer runs an authenticated HTTP server for a project with every
// toolset, audit and metrics.
type authServer struct {
	root    string
	url     string
	base    string
	logs    *syncBuffer
	metrics *telemetry.Metrics
	audit   *auth.Audit
}

func startAuthServer(t *testing.T, p *project.Project, oidc *auth.OIDCConfig) *authServer {
	t.Helper()
	pol, err := auth.LoadPolicy(p.Root)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := telemetry.New()
	audit := auth.OpenAudit(p.Root)
	t.Cleanup(func() { audit.Close() })
	srv, err := New(p, Options{Logger: logger, Version: "test", Policy: pol, Audit: audit, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	authn := &auth.Authenticator{Keys: auth.OpenKeys(p.Root), Policy: pol}
	if oidc != nil {
		pol.OIDC = oidc
		if authn.JWT, err = auth.NewJWTVerifier(ctx, *oidc); err != nil {
			t.Fatal(err)
		}
	}
	addr := freePort(t)
	done := make(chan error, 1)
	go func() {
		done <- ServeHTTP(ctx, srv, HTTPOptions{Addr: addr, Auth: authn, Metrics: m}, logger)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeHTTP: %v", err)
		}
	})
	base := "http://" + addr
	for i := 0; ; i++ {
		resp, err := http.Get(base + HTTPPath)
		if err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatalf("server did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &authServer{root: p.Root, url: base + HTTPPath, base: base, logs: logs, metrics: m, audit: audit}
}

// initStatus posts an initialize request with token and returns the
// status and body.
func (s *authServer) initStatus(t *testing.T, token string) (int, string) {
	t.Helper()
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	req, _ := http.NewRequest(http.MethodPost, s.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (s *authServer) session(t *testing.T, token string) *mcp.ClientSession {
	t.Helper()
	client := mcp.NewClient(&mcp.Implementation{Name: "auth-test", Version: "v0"}, nil)
	cs, err := client.Connect(context.Background(), &mcp.StreamableClientTransport{
		Endpoint: s.url, MaxRetries: -1, HTTPClient: &http.Client{Transport: bearer{token}},
	}, nil)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func (s *authServer) metricsText(t *testing.T, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.base+MetricsPath, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// auditLines reads every audit line of the project.
func auditLines(t *testing.T, root string) []auth.AuditEntry {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(auth.AuditDir(root), "*.jsonl"))
	var out []auth.AuditEntry
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var e auth.AuditEntry
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("audit line %q: %v", sc.Text(), err)
			}
			out = append(out, e)
		}
		fh.Close()
	}
	return out
}

func allAuditText(t *testing.T, root string) string {
	files, _ := filepath.Glob(filepath.Join(auth.AuditDir(root), "*.jsonl"))
	var sb strings.Builder
	for _, f := range files {
		b, _ := os.ReadFile(f)
		sb.Write(b)
	}
	return sb.String()
}

func TestHTTPAuthMatrix(t *testing.T) {
	p := newProject(t)
	keys := auth.OpenKeys(p.Root)
	tokens := map[string]string{}
	for _, role := range []string{"viewer", "analyst", "engineer", "deployer", "admin"} {
		k, err := keys.Create(role+"-key", role, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		tokens[role] = k.Key
	}
	expired, err := keys.Create("old", "admin", time.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := keys.Create("gone", "admin", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Revoke("gone"); err != nil {
		t.Fatal(err)
	}
	is := newIssuer(t)
	oidc := &auth.OIDCConfig{Issuer: "https://idp.test", Audience: "databridge", JWKSURL: is.srv.URL,
		RoleClaim: "groups", RoleMap: map[string]string{"finance-analysts": "analyst"}, SubjectClaim: "email"}
	s := startAuthServer(t, p, oidc)

	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": "https://idp.test", "aud": "databridge", "sub": "u1", "email": "ana@acme.test",
			"groups": []string{"staff", "finance-analysts"}, "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()}
		if mod != nil {
			mod(c)
		}
		return c
	}
	goodJWT := is.token(t, is.key, claims(nil))

	refused := []struct {
		name, token, want string
	}{
		{"no token", "", "no bearer token"},
		{"garbage token", "hello", "invalid token"},
		{"unknown key", "dbk_0123456789ab_" + strings.Repeat("A", 43), "unknown API key"},
		{"key with a wrong secret", tokens["admin"][:len(tokens["admin"])-4] + "AAAA", "unknown API key"},
		{"expired key", expired.Key, "API key expired"},
		{"revoked key", revoked.Key, "API key revoked"},
		{"JWT bad signature", is.token(t, other, claims(nil)), "signature is invalid"},
		{"JWT wrong audience", is.token(t, is.key, claims(func(c jwt.MapClaims) { c["aud"] = "someone-else" })), "audience"},
		{"JWT wrong issuer", is.token(t, is.key, claims(func(c jwt.MapClaims) { c["iss"] = "https://evil.test" })), "issuer"},
		{"JWT expired", is.token(t, is.key, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() })), "expired"},
		{"JWT without a mapped role", is.token(t, is.key, claims(func(c jwt.MapClaims) { c["groups"] = []string{"staff"} })), "no role"},
	}
	for _, tc := range refused {
		t.Run("refused/"+tc.name, func(t *testing.T) {
			code, body := s.initStatus(t, tc.token)
			if code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401 (%s)", code, body)
			}
			wantContains(t, "body", body, tc.want)
			if tc.token != "" && strings.Contains(body, tc.token) {
				t.Errorf("the token is echoed in the refusal: %s", body)
			}
			if code, _ := s.metricsText(t, tc.token); code != http.StatusUnauthorized {
				t.Errorf("/metrics with this token: %d, want 401", code)
			}
		})
	}

	// Each role sees and calls only its tools.
	type family struct {
		tool string
		args map[string]any
	}
	read := family{"list_connections", nil}
	query := family{"run_query", map[string]any{"connection": "files", "sql": "SELECT count(*) AS n FROM gl"}}
	edit := family{"create_hierarchy", map[string]any{"name": "P&L"}}
	deploy := family{"deploy_warehouse", map[string]any{}}
	matrix := map[string][]family{ // what each role may do; the rest is refused
		"viewer":   {read},
		"analyst":  {read, query},
		"engineer": {read, query, edit},
		"deployer": {read, query, edit, deploy},
		"admin":    {read, query, edit, deploy},
		"jwt":      {read, query},
	}
	all := []family{read, query, edit, deploy}
	for who, may := range matrix {
		t.Run("role/"+who, func(t *testing.T) {
			tok := tokens[who]
			if who == "jwt" {
				tok = goodJWT
			}
			if code, body := s.initStatus(t, tok); code != http.StatusOK {
				t.Fatalf("initialize: %d %s", code, body)
			}
			cs := s.session(t, tok)
			listed := toolNames(t, cs)
			for _, f := range all {
				allowed := slices.ContainsFunc(may, func(m family) bool { return m.tool == f.tool })
				if got := slices.Contains(listed, f.tool); got != allowed {
					t.Errorf("%s listed = %v, want %v", f.tool, got, allowed)
				}
				res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: f.tool, Arguments: f.args})
				if err != nil {
					t.Fatalf("%s: protocol error %v", f.tool, err)
				}
				denied := res.IsError && strings.Contains(text(res), "permission denied")
				if denied == allowed {
					t.Errorf("%s: denied=%v, want %v (%s)", f.tool, denied, !allowed, text(res))
				}
				if denied {
					wantContains(t, "refusal", text(res), "role \""+map[bool]string{true: "analyst", false: who}[who == "jwt"]+"\"", f.tool)
				}
			}
			if f := read; true {
				res, _ := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: f.tool})
				if res.IsError {
					t.Errorf("%s failed: %s", f.tool, text(res))
				}
			}
		})
	}

	// An open session is counted while it lasts.
	live := s.session(t, tokens["viewer"])
	for i := 0; ; i++ {
		if _, b := s.metricsText(t, tokens["viewer"]); strings.Contains(b, "\ndatabridge_mcp_sessions_active 1\n") {
			break
		}
		if i > 100 {
			t.Fatal("databridge_mcp_sessions_active never reached 1 with one session open")
		}
		time.Sleep(50 * time.Millisecond)
	}
	live.Close()

	// /metrics needs a key on the MCP address, and counts what happened.
	code, body := s.metricsText(t, tokens["viewer"])
	if code != http.StatusOK {
		t.Fatalf("/metrics with a key: %d", code)
	}
	wantContains(t, "metrics", body,
		`databridge_mcp_tool_calls_total{outcome="denied",tool="run_query"} 1`,
		`databridge_mcp_tool_calls_total{outcome="ok",tool="run_query"} 5`,
		`databridge_mcp_sessions_active`, "go_goroutines", "process_resident_memory_bytes")

	// The audit has one line per call with who and the outcome; no key, in
	// the audit, the logs or anywhere.
	lines := auditLines(t, p.Root)
	var calls int
	for _, fams := range matrix {
		calls += len(all) + 1
		_ = fams
	}
	if len(lines) != calls {
		t.Errorf("audit lines = %d, want %d", len(lines), calls)
	}
	var whos []string
	for _, e := range lines {
		if e.RequestID == "" || e.Outcome == "" || e.Role == "" {
			t.Errorf("incomplete audit line %+v", e)
		}
		if !slices.Contains(whos, e.Who) {
			whos = append(whos, e.Who)
		}
	}
	sort.Strings(whos)
	if got := strings.Join(whos, ","); got != "key:admin-key,key:analyst-key,key:deployer-key,key:engineer-key,key:viewer-key,oidc:ana@acme.test" {
		t.Errorf("audit who = %s", got)
	}
	everything := s.logs.String() + allAuditText(t, p.Root)
	secrets := []string{expired.Key, revoked.Key, goodJWT}
	for _, tok := range tokens {
		secrets = append(secrets, tok)
	}
	for _, sec := range secrets {
		_, secretPart, _ := strings.Cut(strings.TrimPrefix(sec, auth.KeyPrefix), "_")
		if strings.Contains(everything, sec) || (secretPart != "" && strings.Contains(everything, secretPart)) {
			t.Errorf("a token appears in logs or audit")
		}
	}
	wantContains(t, "logs", s.logs.String(), `"request_id":`, `"msg":"mcp http: request refused"`, "API key revoked")
	b, _ := os.ReadFile(auth.KeysPath(p.Root))
	if strings.Contains(string(b), auth.KeyPrefix) {
		t.Error("keys.json holds a key, not only its hash")
	}
}

func TestAuditRedactsArguments(t *testing.T) {
	got, _ := json.Marshal(auth.RedactArguments(json.RawMessage(`{"connection":"pg","password":"hunter2","dsn":"postgres://bob:s3cret@db/x","nested":{"api_token":"abc"},"note":"dbk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`)))
	for _, secret := range []string{"hunter2", "s3cret", `"abc"`, "AAAAAAAAAAAAAAAAAAAA"} {
		if strings.Contains(string(got), secret) {
			t.Errorf("%s left in %s", secret, got)
		}
	}
	wantContains(t, "redacted", string(got), `"connection":"pg"`, "bob", "db/x")
}

// TestHTTPLoad runs concurrent authenticated sessions of read tools and
// queries: no error, an audit line per call, and the metrics' counts equal
// to the calls. -short runs a smaller sample; TestPeerHTTPLoad the full
// 100 sessions x 200 calls.
func TestHTTPLoad(t *testing.T) {
	sessions, per := 20, 25
	if testing.Short() {
		sessions, per = 5, 10
	}
	httpLoad(t, sessions, per)
}

// TestPeerHTTPLoad is the full load of issue 16 (`make bench-peers`):
// 100 sessions x 200 calls = 20,000 calls.
func TestPeerHTTPLoad(t *testing.T) {
	if os.Getenv("DATABRIDGE_BENCH_PEERS") != "1" {
		t.Skip("set DATABRIDGE_BENCH_PEERS=1 (make bench-peers) for the 20,000-call load")
	}
	httpLoad(t, 100, 200)
}

func httpLoad(t *testing.T, sessions, per int) {
	p := newProject(t)
	k, err := auth.OpenKeys(p.Root).Create("load", "analyst", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s := startAuthServer(t, p, nil)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	lat := make([][]time.Duration, sessions)
	errs := make(chan error, sessions)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := mcp.NewClient(&mcp.Implementation{Name: "load", Version: "v0"}, nil)
			cs, err := client.Connect(context.Background(), &mcp.StreamableClientTransport{
				Endpoint: s.url, MaxRetries: -1, HTTPClient: &http.Client{Transport: bearer{k.Key}},
			}, nil)
			if err != nil {
				errs <- err
				return
			}
			defer cs.Close()
			for j := range per {
				params := &mcp.CallToolParams{Name: "list_connections"}
				if j%10 == 9 {
					params = &mcp.CallToolParams{Name: "run_query", Arguments: map[string]any{"connection": "files", "sql": "SELECT count(*) AS n FROM gl"}}
				}
				t0 := time.Now()
				res, err := cs.CallTool(context.Background(), params)
				lat[i] = append(lat[i], time.Since(t0))
				if err != nil || res.IsError {
					errs <- fmt.Errorf("%s: %v %s", params.Name, err, func() string {
						if res != nil {
							return text(res)
						}
						return ""
					}())
					return
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	total := sessions * per
	if len(all) != total {
		t.Fatalf("calls made = %d, want %d", len(all), total)
	}
	pct := func(q float64) time.Duration { return all[int(q*float64(len(all)-1))] }
	t.Logf("load: %d sessions x %d calls = %d in %v (%.0f calls/s); p50 %v p99 %v max %v; heap %d MiB, sys %d MiB, allocated %d MiB",
		sessions, per, total, wall.Round(time.Millisecond), float64(total)/wall.Seconds(), pct(.5), pct(.99), all[len(all)-1],
		after.HeapAlloc>>20, after.Sys>>20, (after.TotalAlloc-before.TotalAlloc)>>20)

	if n := len(auditLines(t, p.Root)); n != total {
		t.Errorf("audit lines = %d, want %d", n, total)
	}
	// Every session was closed: the gauge is back to zero.
	var body string
	for i := 0; ; i++ {
		_, body = s.metricsText(t, k.Key)
		if strings.Contains(body, "\ndatabridge_mcp_sessions_active 0\n") {
			break
		}
		if i > 100 {
			t.Fatalf("sessions still active after every client closed:\n%s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	queries := sessions * (per / 10)
	wantContains(t, "metrics", body,
		fmt.Sprintf(`databridge_mcp_tool_calls_total{outcome="ok",tool="list_connections"} %d`, total-queries),
		fmt.Sprintf(`databridge_mcp_tool_calls_total{outcome="ok",tool="run_query"} %d`, queries),
		fmt.Sprintf(`databridge_mcp_operation_duration_seconds_count{method="tools/call",outcome="ok",tool="run_query"} %d`, queries))
}
