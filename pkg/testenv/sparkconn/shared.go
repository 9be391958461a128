package sparkconn

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/testenv"
)

var (
	sharedOnce sync.Once
	shared     *Runner
	sharedErr  error
)

// Shared returns the test process's one Spark runner: a connection to the
// runner at DATABRIDGE_TEST_SPARK_URL (started once by .ci/run), else one
// started on first use from the venv named by DATABRIDGE_TEST_SPARK_VENV.
// Without either the test is skipped (failed under
// DATABRIDGE_REQUIRE_ENGINES=1); so is a Spark that does not start. The
// runner lives until the process ends.
func Shared(t testing.TB) *Runner {
	t.Helper()
	url := os.Getenv(URLEnv)
	venv := ""
	if url == "" {
		venv = testenv.Need(t, VenvEnv, "Spark (pyspark + delta-spark venv, see .ci/run; or "+URLEnv+")")
	}
	sharedOnce.Do(func() {
		if url != "" {
			shared, sharedErr = Dial(context.Background(), url)
		} else {
			shared, sharedErr = Start(context.Background(), venv, "")
		}
	})
	if sharedErr != nil {
		testenv.Missing(t, sharedErr.Error())
	}
	return shared
}

// Open returns a connection on the shared runner whose default schema is
// a new one, dropped with everything in it when the test ends.
func Open(t testing.TB, name string) *Conn {
	t.Helper()
	r := Shared(t)
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema := "spk_" + hex.EncodeToString(b)
	c := New(r, name, schema)
	ctx := context.Background()
	// The schema name is ours (spk_ and random hex), quoted as the
	// databricks dialect quotes names; the tree has no schema statements.
	q := dialect.QuoteIdent(dialect.Databricks, schema)
	if _, err := New(r, name, "").Exec(ctx, "CREATE SCHEMA "+q); err != nil {
		t.Fatalf("spark: create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := New(r, name, "").Exec(context.Background(), "DROP SCHEMA IF EXISTS "+q+" CASCADE"); err != nil {
			t.Errorf("spark: drop schema %s: %v", schema, err)
		}
	})
	return c
}

// Schema is the connection's default schema.
func (c *Conn) Schema() string { return c.schema }

// Available reports whether the Spark venv is set (tests that must not
// skip ask Shared instead).
func Available() bool { return os.Getenv(VenvEnv) != "" || os.Getenv(URLEnv) != "" }

// EngineType is the connection type RegisterEngine adds: connections of
// a project (connections.yml) that reach the shared runner, dialect
// databricks, default schema from the config's schema.
const EngineType = "sparktest"

var registerOnce sync.Once

// RegisterEngine registers EngineType over the test process's shared
// runner, so code that opens connections by name from a project
// (reconciliation, the query service) runs on Spark unchanged. Tests
// only; the product never registers it.
func RegisterEngine(t testing.TB) {
	t.Helper()
	r := Shared(t)
	registerOnce.Do(func() {
		connector.Register(connector.Engine{
			Type: EngineType, Dialect: dialect.Databricks,
			Description: "test only: Apache Spark with Delta through the sparkconn runner",
			Fields:      []string{"schema"},
			Open: func(_ context.Context, name string, cfg connector.Config) (connector.Connector, error) {
				return New(r, name, cfg.Schema), nil
			},
		})
	})
}
