package mcpserver

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Finding 7: the HTTP transport did not look at Origin, so any web page
// the user visited could drive the server (a foreign Origin got 200).
func TestHTTPOriginCheck(t *testing.T) {
	var logs syncBuffer
	srv, err := New(newProject(t), Options{Toolsets: []string{"connections"}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := httpHandler(srv, slog.New(slog.NewTextHandler(&logs, nil)), []string{"http://localhost:6274"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()

	do := func(method string, header map[string]string) (int, string) {
		t.Helper()
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}`)
		}
		req, err := http.NewRequest(method, ts.URL+HTTPPath, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return resp.StatusCode, string(b)
	}

	for _, c := range []struct {
		name   string
		method string
		header map[string]string
		want   int
	}{
		{"no Origin (non-browser client)", "POST", nil, http.StatusOK},
		{"same origin", "POST", map[string]string{"Origin": ts.URL}, http.StatusOK},
		{"same origin by Sec-Fetch-Site", "POST", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusOK},
		{"trusted origin", "POST", map[string]string{"Origin": "http://localhost:6274", "Sec-Fetch-Site": "cross-site"}, http.StatusOK},
		{"foreign Origin", "POST", map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"foreign Origin on another local port", "POST", map[string]string{"Origin": "http://127.0.0.1:1"}, http.StatusForbidden},
		{"cross-site by Sec-Fetch-Site", "POST", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, http.StatusForbidden},
		{"foreign Origin opening the event stream", "GET", map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"foreign Origin ending a session", "DELETE", map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
	} {
		code, body := do(c.method, c.header)
		if code != c.want {
			t.Errorf("%s: %s = %d, want %d\n%s", c.name, c.method, code, c.want, body)
		}
		if c.want == http.StatusForbidden && !strings.Contains(body, "--allow-origin") {
			t.Errorf("%s: 403 body does not say how to allow an origin: %q", c.name, body)
		}
	}
	wantContains(t, "logs", logs.String(), "cross-origin request refused", "evil.example")
}

func TestCheckAllowedOrigins(t *testing.T) {
	if err := CheckAllowedOrigins([]string{"http://localhost:6274", "https://agent.example.com"}); err != nil {
		t.Errorf("valid origins: %v", err)
	}
	for _, bad := range []string{"localhost:6274", "http://localhost:6274/path", "*"} {
		if err := CheckAllowedOrigins([]string{bad}); err == nil || !strings.Contains(err.Error(), "--allow-origin") {
			t.Errorf("CheckAllowedOrigins(%q) = %v", bad, err)
		}
	}
}
