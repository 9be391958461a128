package warehouse

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/hierarchy"
)

func TestParseSourceName(t *testing.T) {
	for _, ok := range []string{"gl", "fin.gl", "db.fin.gl"} {
		if _, err := ParseSourceName(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"a.b.c.d", "fin..gl", ".gl", "gl.", " . "} {
		if _, err := ParseSourceName(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

// A bad binding that reached the design (warehouse.yaml edited, a caller
// building the input itself) is an error, never a panic.
func TestBadBindingIsAnError(t *testing.T) {
	cfg := &Config{Bindings: []Binding{{Hierarchy: "h", Source: "a.b.c.d", Values: []string{"amount"}}}}
	in := Input{Dialect: "duckdb", Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{"h": {ID: "h"}}}
	if _, err := Build(in); err == nil || !strings.Contains(err.Error(), "4 dot-separated parts") {
		t.Fatalf("Build: %v", err)
	}
	if _, err := ParseConfig("warehouse.yaml", []byte("bindings:\n  - hierarchy: h\n    source: a.b.c.d\n    values: [amount]\n")); err == nil || !strings.Contains(err.Error(), "warehouse.yaml: binding 1") {
		t.Fatalf("ParseConfig: %v", err)
	}
}
