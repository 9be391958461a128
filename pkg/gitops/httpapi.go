package gitops

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/connector"
)

// maxResponse caps how much of a response body is read.
const maxResponse = 8 << 20

// APIError is a request that a hosted API (GitHub, dbt Cloud) answered with
// a status outside 2xx.
type APIError struct {
	Service string   `json:"service"`
	Method  string   `json:"method"`
	Path    string   `json:"path"`
	Status  int      `json:"status"`
	Message string   `json:"message"`
	Details []string `json:"details,omitempty"`
	// Hint says how to fix it, when there is something to say.
	Hint string `json:"hint,omitempty"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s %s: %d %s", e.Service, e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if len(e.Details) > 0 {
		b.WriteString(" (" + strings.Join(e.Details, "; ") + ")")
	}
	if e.Hint != "" {
		b.WriteString(" — " + e.Hint)
	}
	return b.String()
}

// Temporary reports whether trying again later may succeed.
func (e *APIError) Temporary() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests
}

// envToken reads a token from the named environment variable.
func envToken(service, name string) (string, error) {
	tok := strings.TrimSpace(os.Getenv(name))
	if tok == "" {
		return "", fmt.Errorf("%s: environment variable %s is not set (export a token there; databridge never takes tokens on the command line)", service, name)
	}
	return tok, nil
}

// apiConfig resolves what both API clients start from: the token in the
// environment variable tokenEnv (defEnv when empty) and the base URL
// (defURL when empty), which must be http(s); hint follows a bad URL.
func apiConfig(service, baseURL, defURL, tokenEnv, defEnv, hint string) (base, token, env string, err error) {
	env = cmp.Or(tokenEnv, defEnv)
	if token, err = envToken(service, env); err != nil {
		return "", "", "", err
	}
	base = cmp.Or(baseURL, defURL)
	if u, perr := url.Parse(base); perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", "", "", fmt.Errorf("%s: %q is not an http(s) URL (%s)", service, base, hint)
	}
	return base, token, env, nil
}

func httpClient(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: 60 * time.Second}
}

// call sends one JSON request and decodes a 2xx JSON answer into out. A
// non-2xx answer becomes an *APIError whose message is taken from the body
// by parseErr. Every error is passed through red.
func call(ctx context.Context, hc *http.Client, red *connector.Redactor, service, method, base, path string,
	header http.Header, in, out any, parseErr func(*APIError, []byte)) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s: %s %s: %w", service, method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(base, "/")+path, body)
	if err != nil {
		return red.Error(fmt.Errorf("%s: %s %s: %w", service, method, path, err))
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := httpClient(hc).Do(req)
	if err != nil {
		return red.Error(fmt.Errorf("%s: %s %s: %w", service, method, path, err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return red.Error(fmt.Errorf("%s: %s %s: reading the answer: %w", service, method, path, err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := &APIError{Service: service, Method: method, Path: path, Status: resp.StatusCode}
		parseErr(apiErr, data)
		if apiErr.Message == "" && !json.Valid(data) {
			apiErr.Message = strings.TrimSpace(string(truncate(data, 200)))
		}
		apiErr.Message = red.String(apiErr.Message)
		for i, d := range apiErr.Details {
			apiErr.Details[i] = red.String(d)
		}
		return apiErr
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s: %s %s: unexpected answer (%v): %s", service, method, path, err, red.String(string(truncate(data, 200))))
		}
	}
	return nil
}

func truncate(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return append(b[:n:n], "..."...)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
