package csvio

import (
	"reflect"
	"strings"
	"testing"
)

// Moved from package hierarchy (TestRoundTripMappings) with the code.
func TestJoinSplitValues(t *testing.T) {
	// Values with separators.
	for _, vals := range [][]string{{"a;b"}, {"a", "c"}, {"x;y", "z"}} {
		s, err := JoinValues(vals)
		if err != nil || !reflect.DeepEqual(SplitValues(s), vals) {
			t.Errorf("join/split %q: %q %v", vals, s, err)
		}
	}
	if _, err := JoinValues([]string{"a|b", "c"}); err == nil {
		t.Error("value with | accepted")
	}
}

// Moved from package hierarchy with the code.
func TestCodeFromName(t *testing.T) {
	for in, want := range map[string]string{
		"Cost of Goods Sold":     "COST_OF_GOODS_SOLD",
		"  R&D -- expenses ":     "R_D_EXPENSES",
		"4000 Sales":             "4000_SALES",
		"Café":                   "CAF",
		"€":                      "",
		strings.Repeat("a", 150): strings.Repeat("A", 100),
	} {
		if got := CodeFromName(in); got != want {
			t.Errorf("CodeFromName(%q) = %q, want %q", in, got, want)
		}
	}
}
