// Package testenv finds the real engines and tools tests run against. A
// test asks for an engine by its environment variable; when it is unset the
// test is skipped with the reason, unless DATABRIDGE_REQUIRE_ENGINES=1, in
// which case it fails (CI sets that, so a missing engine cannot pass quietly).
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Environment variables naming test engines and tools.
const (
	PostgresURL = "DATABRIDGE_TEST_POSTGRES_URL" // postgres://user:pass@127.0.0.1:5432/db?sslmode=disable
	MySQLURL    = "DATABRIDGE_TEST_MYSQL_URL"    // user:pass@tcp(127.0.0.1:3306)/db
	RedisURL    = "DATABRIDGE_TEST_REDIS_URL"    // redis://127.0.0.1:6379/0
	OracleVenv  = "DATABRIDGE_TEST_VENV"         // the Python test-oracle venv (dbt, sqlglot, fakesnow)
	Require     = "DATABRIDGE_REQUIRE_ENGINES"
)

// Required reports whether missing engines must fail tests.
func Required() bool { return os.Getenv(Require) == "1" }

// Need returns the value of env or skips (fails when required) the test.
func Need(t testing.TB, env, what string) string {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		Missing(t, what+": set "+env)
	}
	return v
}

// Missing skips the test with reason, or fails it when engines are required.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s is required (%s=1) but unavailable: %s", "engine", Require, reason)
	}
	t.Skip("skipping: " + reason)
}

// VenvTool returns the path of a tool installed in the test-oracle venv
// (e.g. "dbt", "fakesnow", "python"), or skips/fails when absent.
func VenvTool(t testing.TB, tool string) string {
	t.Helper()
	venv := os.Getenv(OracleVenv)
	if venv == "" {
		Missing(t, tool+" from the test-oracle venv: set "+OracleVenv)
	}
	p := filepath.Join(venv, "bin", tool)
	if _, err := os.Stat(p); err != nil {
		if lp, err2 := exec.LookPath(p); err2 == nil {
			return lp
		}
		Missing(t, tool+" not found in "+venv)
	}
	return p
}
