package dialect_test

import (
	"sort"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/all"
	d "github.com/databridge/databridge/pkg/dialect"
)

// TestEveryEngineHasCaps: each registered connector engine speaks a
// dialect of the table, so packages that read it never get the zero row
// for a real engine. (An external test: the connectors import dialect.)
func TestEveryEngineHasCaps(t *testing.T) {
	types := connector.Types()
	sort.Strings(types)
	if len(types) < len(d.Dialects()) {
		t.Fatalf("only %d engines registered: %v", len(types), types)
	}
	known := map[string]bool{}
	for _, x := range d.Dialects() {
		known[x] = true
	}
	for _, typ := range types {
		e, _ := connector.Lookup(typ)
		if !known[e.Dialect] {
			t.Errorf("engine %s: dialect %q has no row in the capability table", typ, e.Dialect)
		}
	}
}
