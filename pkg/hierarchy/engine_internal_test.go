package hierarchy

import (
	"context"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
)

// openRollupDuck opens an in-memory DuckDB for the package's own tests
// (the external tests use hierarchytest.OpenDuckDB).
func openRollupDuck(t testing.TB) connector.Connector {
	t.Helper()
	c, err := connector.Open(context.Background(), "test", connector.Config{Type: "duckdb"})
	if err != nil {
		t.Fatalf("open duckdb: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func rollupExec(t testing.TB, c connector.Querier, q string, args ...any) {
	t.Helper()
	if _, err := c.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("exec %.200s: %v", q, err)
	}
}
