package validate

import (
	"context"
	"os"
	"testing"

	"github.com/databridge/databridge/pkg/testenv/sparkconn"
)

// TestSpark runs every check kind, with its passing and failing fixtures
// and the error cases, on Spark with Delta in the databricks dialect: the
// same results, samples and messages as TestDuckDB asserts on DuckDB.
// The checks run outside any transaction (Spark has none; deploy
// validates after its compensating apply there). CI runs the basic level
// (every kind); DATABRIDGE_SPARK_FULL=1 (make test-spark) both levels.
func TestSpark(t *testing.T) {
	c := sparkconn.Open(t, "validate")
	loadFixture(t, c, c.Dialect(), c.Schema())
	if os.Getenv("DATABRIDGE_SPARK_FULL") == "1" {
		runSuite(t, c, c.Dialect(), c.Schema())
		return
	}
	checks, wants := suite(c.Schema())
	rep, err := Run(context.Background(), c, c.Dialect(), checks, Basic, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, wants)
	if rep.Skipped != 1 || rep.OK() || rep.ExitCode() != 3 {
		t.Errorf("basic: skipped %d ok %v exit %d", rep.Skipped, rep.OK(), rep.ExitCode())
	}
}
