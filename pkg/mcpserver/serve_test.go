package mcpserver

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/project"
)

func TestHTTPAddr(t *testing.T) {
	for in, want := range map[string]string{
		"":               "127.0.0.1:8765",
		"9000":           "127.0.0.1:9000",
		":9000":          "127.0.0.1:9000",
		"localhost":      "localhost:8765",
		"localhost:9000": "localhost:9000",
		"0.0.0.0:8765":   "0.0.0.0:8765",
		"0.0.0.0":        "0.0.0.0:8765",
		"::1":            "[::1]:8765",
		"[::1]":          "[::1]:8765",
		"[::1]:9000":     "[::1]:9000",
		"127.0.0.1:0":    "127.0.0.1:0",
	} {
		got, err := HTTPAddr(in)
		if err != nil || got != want {
			t.Errorf("HTTPAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"localhost:http", "127.0.0.1:70000", ":-1"} {
		if got, err := HTTPAddr(bad); err == nil {
			t.Errorf("HTTPAddr(%q) = %q, want an error", bad, got)
		}
	}
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeHTTP(t *testing.T) {
	p := newProject(t)
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := New(p, Options{Logger: logger, Version: "test", Toolsets: []string{"connections"}})
	if err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- ServeHTTP(ctx, srv, HTTPOptions{Addr: addr, InsecureNoAuth: true}, logger) }()

	endpoint := "http://" + addr + HTTPPath
	client := mcp.NewClient(&mcp.Implementation{Name: "databridge-test", Version: "v0"}, nil)
	var cs *mcp.ClientSession
	deadline := time.Now().Add(10 * time.Second)
	for {
		cctx, ccancel := context.WithTimeout(ctx, 5*time.Second)
		cs, err = client.Connect(cctx, &mcp.StreamableClientTransport{Endpoint: endpoint, MaxRetries: -1}, nil)
		ccancel()
		if err == nil {
			break
		}
		select {
		case serr := <-done:
			t.Fatalf("ServeHTTP returned early: %v", serr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("connect %s: %v", endpoint, err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	if got := toolNames(t, cs); strings.Join(got, ",") != strings.Join(allTools, ",") {
		t.Errorf("tools over HTTP = %v", got)
	}
	lc := call[connections.ListResult](t, cs, "list_connections", nil)
	if lc.DefaultTarget != "local" || len(lc.Connections) != 2 || lc.Connections[1].Name != "local" {
		t.Errorf("list_connections over HTTP = %+v", lc)
	}
	q := call[connections.QueryResult](t, cs, "run_query", map[string]any{"connection": "files", "sql": "SELECT count(*) AS n, max(account) AS top FROM gl"})
	if rowsJSON(t, q.Rows) != `[[5,6100]]` {
		t.Errorf("run_query over HTTP rows = %s", rowsJSON(t, q.Rows))
	}

	// Other paths are not the endpoint.
	resp, err := http.Get("http://" + addr + "/nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nope = %d", resp.StatusCode)
	}

	// Cancelling the context shuts the server down cleanly, even with the
	// client's event stream still open.
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ServeHTTP after cancel: %v", err)
		}
	case <-time.After(shutdownGrace + 5*time.Second):
		t.Fatal("ServeHTTP did not return after cancel")
	}
	if d := time.Since(start); d > shutdownGrace {
		t.Errorf("shutdown took %v", d)
	}
	cs.Close()
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("still listening after shutdown")
	}
	wantContains(t, "logs", logs.String(), "mcp http server listening", endpoint, "shutting down")
}

func TestServeHTTPBindError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srv, err := New(newProject(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ServeHTTP(ctx, srv, HTTPOptions{Addr: ln.Addr().String(), InsecureNoAuth: true}, nil); err == nil || !strings.Contains(err.Error(), "mcp http") {
		t.Errorf("ServeHTTP on a taken port: %v", err)
	}
}

// stdioChildEnv, when set to a project root, makes the test binary serve
// that project over stdio instead of running tests (see TestMain).
const stdioChildEnv = "DATABRIDGE_MCPSERVER_STDIO_CHILD"

func TestMain(m *testing.M) {
	if root := os.Getenv(stdioChildEnv); root != "" {
		os.Exit(stdioChild(root))
	}
	os.Exit(m.Run())
}

func stdioChild(root string) int {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p, err := project.Open(root)
	if err != nil {
		logger.Error("open project", "error", err)
		return 1
	}
	srv, err := New(p, Options{Logger: logger, Version: "stdio-test"})
	if err != nil {
		logger.Error("new server", "error", err)
		return 1
	}
	if err := ServeStdio(context.Background(), srv, logger); err != nil {
		logger.Error("serve stdio", "error", err)
		return 3
	}
	logger.Info("stdio child done")
	return 0
}

func TestServeStdio(t *testing.T) {
	p := newProject(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), stdioChildEnv+"="+p.Root)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	client := mcp.NewClient(&mcp.Implementation{Name: "databridge-test", Version: "v0"}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Every line the child writes to stdout must be a protocol message, or
	// the client fails.
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connect: %v\nstderr:\n%s", err, stderr.String())
	}
	if v := cs.InitializeResult().ServerInfo.Version; v != "stdio-test" {
		t.Errorf("server version = %q", v)
	}
	lc := call[connections.ListResult](t, cs, "list_connections", nil)
	if len(lc.Connections) != 2 {
		t.Errorf("list_connections over stdio = %+v", lc)
	}
	msg := callErr(t, cs, "run_query", map[string]any{"sql": "DROP TABLE dim_account"})
	wantContains(t, "write over stdio", msg, "read-only")
	if err := cs.Close(); err != nil {
		t.Logf("close: %v", err)
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("child exit code %d\nstderr:\n%s", code, stderr.String())
	}
	// Logs went to stderr.
	wantContains(t, "stderr", stderr.String(), "stdio child done")
}
