package evalnl_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestNormCell pins the cell normalisation the scores rest on.
func TestNormCell(t *testing.T) {
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   any
		want string
	}{
		{nil, "null"},
		{int64(2025), "2025.00"},
		{int32(4), "4.00"},
		{uint8(7), "7.00"},
		{3.14159, "3.14"},
		{float32(2.5), "2.50"},
		{37.525, "37.53"},
		{-0.001, "0.00"},
		{-12.345, "-12.35"},
		{"3042278.5000000000", "3042278.50"},
		{" 1e3 ", "1000.00"},
		{"-7036300", "-7036300.00"},
		{decimal.RequireFromString("1.005"), "1.01"},
		{big.NewInt(12), "12.00"},
		{[]byte("45.1"), "45.10"},
		{day, "2025-03-01"},
		{day.Add(13 * time.Hour), "2025-03-01"},
		{"2025-03-01", "2025-03-01"},
		{"2025-03-01T00:00:00Z", "2025-03-01"},
		{"2025-03", "2025-03"},
		{"  Acme Industries ", "acme industries"},
		{"R0000017", "r0000017"},
		{true, "true"},
	} {
		if got := normCell(c.in); got != c.want {
			t.Errorf("normCell(%#v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSameAnswer: rows compare as multisets of cells (column order free),
// as sequences when ordered.
func TestSameAnswer(t *testing.T) {
	want := [][]any{{"EMEA", "2691290.50"}, {"Americas", "1504711.50"}}
	for _, c := range []struct {
		name    string
		got     [][]any
		ordered bool
		same    bool
	}{
		{"same", [][]any{{"EMEA", 2691290.5}, {"Americas", 1504711.5}}, false, true},
		{"rows swapped", [][]any{{"americas", 1504711.5}, {"emea", 2691290.5}}, false, true},
		{"columns swapped", [][]any{{2691290.5, "EMEA"}, {1504711.5, "AMERICAS"}}, false, true},
		{"rows swapped, ordered", [][]any{{"Americas", 1504711.5}, {"EMEA", 2691290.5}}, true, false},
		{"a cent off", [][]any{{"EMEA", 2691290.51}, {"Americas", 1504711.5}}, false, false},
		{"a row missing", [][]any{{"EMEA", 2691290.5}}, false, false},
		{"a row too many", [][]any{{"EMEA", 2691290.5}, {"Americas", 1504711.5}, {"APAC", 1.0}}, false, false},
		{"an extra column", [][]any{{"EMEA", 2691290.5, 1}, {"Americas", 1504711.5, 1}}, false, false},
	} {
		if got := sameAnswer(want, c.got, c.ordered); got != c.same {
			t.Errorf("%s: sameAnswer = %v, want %v", c.name, got, c.same)
		}
	}
	// A tie at a ranking's cut-off: another member with the same numbers.
	top := [][]any{{"Harborview", "EUR", "65844.00"}, {"Trailhead", "EUR", "31860.00"}}
	if !sameAnswer(top, [][]any{{"Crescent", "EUR", 31860.0}, {"Harborview", "EUR", 65844.0}}, false) {
		t.Error("a tie of one label compared different")
	}
	if !sameAnswer(top, [][]any{{"Harborview", "EUR", 65844.0}, {"Crescent", "EUR", 31860.0}}, true) {
		t.Error("a tie of one label, ordered, compared different")
	}
	for name, got := range map[string][][]any{
		"another number":       {{"Crescent", "EUR", 31861.0}, {"Harborview", "EUR", 65844.0}},
		"two labels":           {{"Crescent", "GBP", 31860.0}, {"Harborview", "EUR", 65844.0}},
		"a number for a label": {{"Harborview", "EUR", 65844.0}, {"31860.00", "EUR", 31860.0}},
	} {
		if sameAnswer(top, got, false) {
			t.Errorf("%s: compared equal", name)
		}
	}
	// Duplicates count: a multiset, not a set.
	if sameAnswer([][]any{{1}, {1}, {2}}, [][]any{{1}, {2}, {2}}, false) {
		t.Error("multisets {1,1,2} and {1,2,2} compared equal")
	}
}
