package validate

import (
	"testing"

	"github.com/databridge/databridge/pkg/testenv/sparkconn"
)

// TestSpark runs every check kind, with its passing and failing fixtures
// and the error cases, on Spark with Delta in the databricks dialect: the
// same results, samples and messages as TestDuckDB asserts on DuckDB.
// The checks run outside any transaction (Spark has none; deploy
// validates after its compensating apply there).
func TestSpark(t *testing.T) {
	c := sparkconn.Open(t, "validate")
	loadFixture(t, c, c.Dialect(), c.Schema())
	runSuite(t, c, c.Dialect(), c.Schema())
}
