package files_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/files"
	"github.com/databridge/databridge/pkg/testenv/hostile"
)

// FuzzReadOnlyGuard: any input the guard accepts, executed on a sandboxed
// read-only DuckDB session over files, changes nothing under the test
// root and shows nothing of a file outside it. Seeded with the hostile
// corpus; `make fuzz` runs it with -fuzz.
func FuzzReadOnlyGuard(f *testing.F) {
	root := f.TempDir()
	data := filepath.Join(root, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "a.csv"), []byte("v\n1\n2\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	secret := filepath.Join(f.TempDir(), "secret.csv")
	if err := os.WriteFile(secret, []byte("k\n"+hostile.Marker+"\n"), 0o600); err != nil {
		f.Fatal(err)
	}
	for _, s := range hostile.Corpus(f, map[string]string{"T": "a", "ROOT": root, "DB": filepath.Join(root, "w.duckdb"), "SECRET": secret}) {
		f.Add(s)
	}
	f.Add("SELECT * FROM a")
	f.Add("SELECT count(*) FROM read_csv('" + filepath.Join(data, "a.csv") + "')")
	ctx := context.Background()
	c, err := connector.Open(ctx, "fuzz", connector.Config{Type: "files", Path: data, ReadOnly: true,
		Sandbox: &connector.Sandbox{Dirs: []string{data}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { c.Close() })
	before, err := hostile.FileState(root)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		if connector.CheckReadOnlyDialect(sql, "duckdb") != nil {
			return
		}
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		res, err := c.Query(qctx, sql, connector.QueryOptions{MaxRows: 100, Timeout: 5 * time.Second})
		if err == nil {
			for _, row := range res.Rows {
				for _, v := range row {
					if s, ok := v.(string); ok && strings.Contains(s, hostile.Marker) {
						t.Fatalf("%q read the file outside the sandbox", sql)
					}
				}
			}
		}
		after, err := hostile.FileState(root)
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Fatalf("%q changed files under the root:\n%s\n---\n%s", sql, before, after)
		}
		// The view is still there and unchanged.
		r, err := c.Query(ctx, "SELECT count(*) FROM a", connector.QueryOptions{})
		if err != nil || len(r.Rows) != 1 {
			t.Fatalf("after %q the data is gone: %v", sql, err)
		}
	})
}
