package testenv

import (
	"bytes"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer collects a subprocess's output for error messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// FreePort returns a free loopback TCP port.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// StartFakesnow runs `fakesnow -s` (the Snowflake emulator's HTTP server,
// which speaks the Snowflake REST protocol: /session/v1/login-request,
// /queries/v1/query-request, ...) from the test-oracle venv on a free
// loopback port, stops it when the test ends, and returns the port.
// Connect with account "fakesnow", any user and password, and the options
// protocol=http, host=127.0.0.1, port=<port>.
func StartFakesnow(t testing.TB) int {
	t.Helper()
	bin := VenvTool(t, "fakesnow")
	port := FreePort(t)
	cmd := exec.Command(bin, "-s", "--host", "127.0.0.1", "--port", strconv.Itoa(port))
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		Missing(t, "cannot start fakesnow: "+err.Error())
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			// A venv whose fakesnow cannot import (for example fakesnow
			// 0.12 next to snowflake-connector-python 5, which removed
			// snowflake.connector.converter) ends here.
			Missing(t, "fakesnow exited before serving:\n"+Tail(out.String(), 2000))
		default:
		}
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return port
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("fakesnow did not listen on port %d within 60s:\n%s", port, Tail(out.String(), 2000))
	return 0
}

// Tail returns the last n bytes of s.
func Tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
