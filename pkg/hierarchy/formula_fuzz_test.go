package hierarchy

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

// FuzzParseFormula: parsing never panics; a parsed expression renders to a
// string that parses again to the same rendering; evaluation never panics,
// whatever the values and null handling.
func FuzzParseFormula(f *testing.F) {
	for _, s := range []string{
		"REV - COGS", "[4000] + [4100] * 2", "-(a + b) / c", "ROUND(GP / REV * 100, 1)",
		"MIN(a, b, 3) - MAX(x, -y)", "ABS(-[COGS-FREIGHT])", "1e3 - .5", "--a", "a - (b - c)",
		"a / (b / c)", "((((a))))", "[abs] + abs(x)", "1.5e-3*opex.total", "2 - -3", "-2 * 3",
		"", "(", "a +", "ROUND(a, b)", "MAX(a)", "[", "[a b]", "9x", "a..b",
	} {
		f.Add(s, 3.5, int8(0))
	}
	modes := []NullHandling{NullAsZero, NullSkip, NullError, ""}
	f.Fuzz(func(t *testing.T, src string, v float64, mode int8) {
		e, err := ParseFormula(src)
		if err != nil {
			var fe *FormulaError
			if !errors.As(err, &fe) {
				t.Fatalf("error of %q is %T, not a *FormulaError", src, err)
			}
			return
		}
		s1 := e.String()
		e2, err := ParseFormula(s1)
		if err != nil {
			t.Fatalf("%q renders as %q, which does not parse: %v", src, s1, err)
		}
		if s2 := e2.String(); s2 != s1 {
			t.Fatalf("%q renders as %q, which renders as %q", src, s1, s2)
		}
		nulls := modes[int(uint8(mode))%len(modes)]
		rv := new(big.Rat)
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			rv.SetFloat64(v)
		}
		vals := func(code string) (*big.Rat, bool) {
			switch len(code) % 3 {
			case 0:
				return rv, true
			case 1:
				return nil, true
			}
			return nil, false
		}
		_, _, _ = e.Eval(vals, nulls)
		_, _, _ = e2.Eval(func(string) (*big.Rat, bool) { return rv, true }, nulls)
		_ = e.Refs()
		_, _ = e.Expand(func(code string) *Expr {
			if code == "loop" {
				return e
			}
			return nil
		})
	})
}

// Found while fuzzing: ROUND refused negative decimal places, and huge
// places or values overflowed (ROUND(123.456, 1e308) gave 0).
func TestRoundEdgeCases(t *testing.T) {
	cases := []struct {
		src  string
		x    float64
		want float64
	}{
		{"ROUND(x, -2)", 12345.6, 12300},
		{"ROUND(x, -1)", -15, -20},
		{"ROUND(x, 1e308)", 123.456, 123.456},
		{"ROUND(x, -1e308)", 123.456, 0},
		{"ROUND(x, 2)", 1e300, 1e300},
		{"ROUND(x, 15)", 1e300, 1e300},
		{"ROUND(x, 2)", 2.345, 2.35},
		{"ROUND(x)", -2.5, -3},
	}
	for _, c := range cases {
		e, err := ParseFormula(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if s := e.String(); s != c.src && c.src != "ROUND(x, 1e308)" && c.src != "ROUND(x, -1e308)" {
			t.Errorf("%s renders as %s", c.src, s)
		}
		v, ok, err := e.Eval(func(string) (*big.Rat, bool) { return ratOf(c.x), true }, NullAsZero)
		if err != nil || !ok || v.Cmp(ratOf(c.want)) != 0 {
			t.Errorf("%s with x=%v = %v (%v, %v), want %v", c.src, c.x, v, ok, err, c.want)
		}
	}
}
