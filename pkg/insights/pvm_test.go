package insights

import (
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// The worked example of docs/insights.md, by hand: product A sells more at
// a higher price, B less at a lower one, C is new.
func TestPVMWorkedExample(t *testing.T) {
	p := &sides{keys: []string{"A", "B", "C"},
		actual: map[string]map[string]decimal.Decimal{"A": {"rev": d("1320"), "qty": d("120")}, "B": {"rev": d("760"), "qty": d("40")}, "C": {"rev": d("150"), "qty": d("10")}},
		comp:   map[string]map[string]decimal.Decimal{"A": {"rev": d("1000"), "qty": d("100")}, "B": {"rev": d("1000"), "qty": d("50")}, "C": {}},
	}
	x := pvm(p, "rev", "qty", d("230"))
	want := map[string][2]decimal.Decimal{
		"volume": {x.Volume, d("133.33")}, "price": {x.Price, d("80")}, "mix": {x.Mix, d("-133.33")},
		"new": {x.New, d("150")}, "discontinued": {x.Discontinued, d("0")}, "quantity": {x.VolumeActual, d("170")},
	}
	for name, g := range want {
		if !g[0].Equal(g[1]) {
			t.Errorf("%s effect %s, want %s", name, g[0], g[1])
		}
	}
}

// Rounding is allocated so the parts sum to the rounded total: three
// thirds of 1.00 are 0.34, 0.33, 0.33, not 0.33 three times.
func TestAllocate(t *testing.T) {
	third := d("1").DivRound(d("3"), 12)
	got := allocate([]decimal.Decimal{third, third, third}, []int{1, 1, 1}, d("1"), d("1.00"))
	sum := got[0].Add(got[1]).Add(got[2])
	if !sum.Equal(d("1")) {
		t.Fatalf("allocated %v sum to %s", got, sum)
	}
	// With signs: revenue 10.005 − cost 5.004 = 5.001 → 5.00; the parts
	// round to 10.01 and 5.00 (5.01), so one cent moves.
	got = allocate([]decimal.Decimal{d("10.005"), d("5.004")}, []int{1, -1}, d("5.001"), d("5.00"))
	if !got[0].Sub(got[1]).Equal(d("5.00")) {
		t.Fatalf("signed allocation %v", got)
	}
	// Parts that do not cover the total are only rounded.
	got = allocate([]decimal.Decimal{d("1.005"), d("2.004")}, []int{1, 1}, d("10"), d("10"))
	if !got[0].Equal(d("1.01")) || !got[1].Equal(d("2.00")) {
		t.Fatalf("uncovered parts %v", got)
	}
}
