package semantictest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"   // the duckdb engine
	_ "github.com/databridge/databridge/pkg/connector/mysql"    // the mysql engine
	_ "github.com/databridge/databridge/pkg/connector/postgres" // the postgres engine
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/testenv"
)

// Engines are the engines Open knows: DuckDB always, PostgreSQL and
// MariaDB/MySQL when their test URLs are set.
var Engines = []string{"duckdb", "postgres", "mysql"}

// Open connects to a test engine and gives it a schema of its own (a
// PostgreSQL schema or a MySQL database with a random name, dropped when
// the test ends; an in-memory DuckDB database uses its default schema,
// returned as ""). PostgreSQL and MySQL skip the test (or fail it when
// engines are required) when their URL is not set.
func Open(t testing.TB, engine string) (connector.Connector, string) {
	t.Helper()
	ctx := context.Background()
	var cfg connector.Config
	switch engine {
	case "duckdb":
		cfg = connector.Config{Type: "duckdb"}
	case "postgres":
		testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
		cfg = connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"}
	case "mysql":
		testenv.Need(t, testenv.MySQLURL, "MariaDB/MySQL")
		cfg = connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}"}
	default:
		t.Fatalf("semantictest: unknown engine %q", engine)
	}
	c, err := connector.Open(ctx, "semtest_"+engine, cfg)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	if engine == "duckdb" {
		t.Cleanup(func() { c.Close() })
		return c, ""
	}
	schema := fmt.Sprintf("semtest_%d", rand.Uint64()%1_000_000_000_000)
	kind := "SCHEMA"
	if engine == "mysql" {
		kind = "DATABASE"
	}
	if _, err := c.Exec(ctx, "CREATE "+kind+" "+dialect.QuoteIdent(c.Dialect(), schema)); err != nil {
		c.Close()
		t.Fatalf("create %s %s: %v", kind, schema, err)
	}
	t.Cleanup(func() {
		drop := "DROP " + kind + " IF EXISTS " + dialect.QuoteIdent(c.Dialect(), schema)
		if engine == "postgres" {
			drop += " CASCADE"
		}
		if _, err := c.Exec(context.Background(), drop); err != nil {
			t.Errorf("drop %s %s: %v", kind, schema, err)
		}
		c.Close()
	})
	return c, schema
}
