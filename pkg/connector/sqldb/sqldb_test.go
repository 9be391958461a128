package sqldb

import (
	"math/big"
	"testing"
	"time"
)

type fakeDecimal struct {
	Width uint8
	Scale uint8
	Value *big.Int
}

func (d fakeDecimal) String() string { return "trimmed" }

func TestNormalize(t *testing.T) {
	cases := []struct {
		in   any
		want any
	}{
		{fakeDecimal{18, 2, big.NewInt(1000)}, "10.00"},
		{fakeDecimal{18, 2, big.NewInt(-6025)}, "-60.25"},
		{fakeDecimal{18, 4, big.NewInt(5)}, "0.0005"},
		{fakeDecimal{18, 0, big.NewInt(42)}, "42"},
		{[]byte("abc"), "abc"},
		{[]byte{0xff, 0x00}, "ff00"},
		{time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), "2025-01-31"},
		{time.Date(2025, 1, 31, 13, 5, 0, 0, time.UTC), "2025-01-31T13:05:00Z"},
		{int64(7), int64(7)},
		{nil, nil},
		{[]int{1, 2}, []any{1, 2}},
	}
	for _, c := range cases {
		got := Normalize(c.in)
		if gs, ok := got.([]any); ok {
			if len(gs) != 2 || gs[0] != 1 {
				t.Errorf("Normalize(%v) = %v", c.in, got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("Normalize(%#v) = %#v, want %#v", c.in, got, c.want)
		}
	}
}
