package hierarchy

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
	"testing"
)

// ratOf is the decimal a float64 literal writes (2.345 is 2345/1000).
func ratOf(f float64) *big.Rat {
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	return r
}

// ratLookup serves float64 test values as the decimals they write.
func ratLookup(m map[string]float64) Values {
	return func(c string) (*big.Rat, bool) {
		v, ok := m[c]
		if !ok {
			return nil, false
		}
		return ratOf(v), true
	}
}

func TestParseAndEval(t *testing.T) {
	vals := map[string]float64{"REV": 1000, "COGS": 600, "OPEX": 250, "4000": 80, "X-1": 3, "ZERO": 0}
	lookup := ratLookup(vals)
	cases := []struct {
		expr string
		want any // float64, or a string for an exact rational (a/b)
		ok   bool
		str  string
	}{
		{"REV - COGS", 400, true, "REV - COGS"},
		{"REV - COGS - OPEX", 150, true, "REV - COGS - OPEX"},
		{"REV - (COGS - OPEX)", 650, true, "REV - (COGS - OPEX)"},
		{"(REV - COGS) / REV * 100", 40, true, "(REV - COGS) / REV * 100"},
		{"ROUND((REV - COGS - OPEX) / REV * 100, 1)", 15, true, "ROUND((REV - COGS - OPEX) / REV * 100, 1)"},
		{"abs(-[4000])", 80, true, "ABS(-[4000])"},
		{"MIN(REV, COGS, OPEX) + MAX(1, 2)", 252, true, "MIN(REV, COGS, OPEX) + MAX(1, 2)"},
		{"[X-1] * 2.5", 7.5, true, "[X-1] * 2.5"},
		{"--REV", 1000, true, "--REV"},
		{"REV / ZERO", 0, false, "REV / ZERO"},
		{"MISSING + 1", 1, true, "MISSING + 1"},
		{"ROUND(2.5)", 3, true, "ROUND(2.5)"},
		{"ROUND(-2.5)", -3, true, "ROUND(-2.5)"},
		{"1e3 / 4", 250, true, "1000 / 4"},
		{"REV / (COGS / OPEX)", "1250/3", true, "REV / (COGS / OPEX)"},
		{"0.1 + 0.2", 0.3, true, "0.1 + 0.2"},
		{"REV / 3 * 3", 1000, true, "REV / 3 * 3"},
		{"(REV - COGS) / COGS", "2/3", true, "(REV - COGS) / COGS"},
	}
	for _, c := range cases {
		e, err := ParseFormula(c.expr)
		if err != nil {
			t.Errorf("ParseFormula(%q): %v", c.expr, err)
			continue
		}
		got, ok, err := e.Eval(lookup, NullAsZero)
		var want *big.Rat
		switch w := c.want.(type) {
		case float64:
			want = ratOf(w)
		case string:
			want, _ = new(big.Rat).SetString(w)
		default:
			want = ratOf(float64(w.(int)))
		}
		if err != nil || ok != c.ok || (ok && got.Cmp(want) != 0) {
			t.Errorf("Eval(%q) = %v, %v, %v; want %v, %v", c.expr, got, ok, err, c.want, c.ok)
		}
		if e.String() != c.str {
			t.Errorf("String(%q) = %q, want %q", c.expr, e.String(), c.str)
		}
		// Canonical form re-parses to itself.
		e2, err := ParseFormula(e.String())
		if err != nil || e2.String() != e.String() {
			t.Errorf("round trip of %q: %v %q", c.expr, err, e2)
		}
	}
}

func TestNullHandling(t *testing.T) {
	e, _ := ParseFormula("A + B")
	lookup := func(c string) (*big.Rat, bool) { return big.NewRat(5, 1), c == "A" }
	if v, ok, err := e.Eval(lookup, NullAsZero); !ok || err != nil || v.Cmp(big.NewRat(5, 1)) != 0 {
		t.Errorf("zero: %v %v %v", v, ok, err)
	}
	if _, ok, err := e.Eval(lookup, NullSkip); ok || err != nil {
		t.Errorf("skip: %v %v", ok, err)
	}
	if _, _, err := e.Eval(lookup, NullError); !errors.Is(err, ErrNoValue) || !strings.Contains(err.Error(), "node B") {
		t.Errorf("error: %v", err)
	}
	d, _ := ParseFormula("A / (A - A)")
	if _, _, err := d.Eval(lookup, NullError); err == nil || !strings.Contains(err.Error(), "division by zero") {
		t.Errorf("divide by zero under error: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"":              "empty expression",
		"REV -":         "ends too early",
		"REV + * COGS":  `unexpected "*"`,
		"(REV - COGS":   "missing )",
		"REV COGS":      `unexpected "COGS"`,
		"SQRT(REV)":     "unknown function SQRT",
		"ROUND(REV, X)": "must be a number",
		"ABS(1, 2)":     "ABS takes 1 arguments, got 2",
		"MIN(1)":        "MIN takes at least 2 arguments",
		"4000 + 1":      "",
		"4000A + 1":     "write node codes like this in brackets, e.g. [4000A]",
		"[bad code]":    "invalid node code",
		"[4000":         "unclosed [",
		"REV $ 2":       `unexpected "$"`,
	}
	for expr, want := range cases {
		_, err := ParseFormula(expr)
		if want == "" {
			if err != nil {
				t.Errorf("ParseFormula(%q) = %v", expr, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFormula(%q) = %v, want %q", expr, err, want)
		}
	}
	if _, err := ParseFormula(strings.Repeat("(", 500) + "1" + strings.Repeat(")", 500)); err == nil {
		t.Error("deep nesting accepted")
	}
}

func TestExpand(t *testing.T) {
	h := samplePL()
	fi, err := ExplainFormula(h, "NET")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Expanded != "((REV - COGS) - OPEX) - TAX" {
		t.Fatalf("expanded = %q", fi.Expanded)
	}
	order, err := FormulaOrder(h)
	if err != nil || strings.Join(order, ",") != "GP,EBIT,NET,GPM" {
		t.Fatalf("order = %v, %v", order, err)
	}
}
