package duckdb_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
)

// Two sandboxed sessions of one process on the same database file at the
// same time (an MCP server with concurrent run_query calls): DuckDB shares
// the database instance, so the second finds the configuration locked —
// it is accepted when the lock is exactly its own sandbox, and refused
// when it would widen or change it.
func TestConcurrentSandboxedSessions(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.duckdb")
	w, err := connector.Open(context.Background(), "w", connector.Config{Type: "duckdb", Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Exec(context.Background(), "CREATE TABLE t AS SELECT 42 AS x"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := connector.Config{Type: "duckdb", Path: path, ReadOnly: true, Sandbox: &connector.Sandbox{Dirs: []string{data}}}
	a, err := connector.Open(context.Background(), "a", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := connector.Open(context.Background(), "b", cfg)
	if err != nil {
		t.Fatalf("a second session with the same sandbox: %v", err)
	}
	defer b.Close()
	for _, c := range []connector.Connector{a, b} {
		res, err := c.Query(context.Background(), "SELECT x FROM t", connector.QueryOptions{})
		if err != nil || len(res.Rows) != 1 {
			t.Fatalf("query: %v %v", res, err)
		}
	}
	// Another sandbox (a wider one) on the locked instance: refused.
	wider := cfg
	wider.Sandbox = &connector.Sandbox{Dirs: []string{data, t.TempDir()}}
	if c, err := connector.Open(context.Background(), "c", wider); err == nil {
		c.Close()
		t.Fatal("a session with another sandbox was accepted on a locked database")
	} else if !strings.Contains(err.Error(), "sandbox") {
		t.Fatalf("refused with %v", err)
	}
}
