package trend

import (
	"fmt"
	"math"
)

// growth computes MoM, QoQ, YoY and CAGR over the last complete periods of
// a series whose last observation is the latest complete one. Quarters and
// years are fiscal: blocks of 3 months (1 quarter) and Season periods
// starting at fiscal position 0. Flows add up over a block; stocks
// (Options.Stock) take the block's last value.
func growth(y []float64, opt Options) Growth {
	var g Growth
	n := len(y)
	pos := func(t int) int { return (opt.FirstPos + t) % opt.Season }
	value := func(from, to int) float64 {
		if opt.Stock {
			return y[to-1]
		}
		var s float64
		for _, v := range y[from:to] {
			s += v
		}
		return s
	}
	// lastBlock is the last complete block of `size` observations whose
	// first observation has pos(t) % size == 0 (size divides the season).
	lastBlock := func(size int) (from, to int, ok bool) {
		for to = n; to >= size; to-- {
			if pos(to-size)%size == 0 {
				return to - size, to, true
			}
		}
		return 0, 0, false
	}
	compare := func(size int) *Rate {
		from, to, ok := lastBlock(size)
		if !ok || from-size < 0 {
			return nil
		}
		return newRate(value(from, to), value(from-size, from), from, to, from-size, from)
	}
	switch opt.Season {
	case 12:
		if n >= 2 {
			g.MoM = newRate(y[n-1], y[n-2], n-1, n, n-2, n-1)
		}
		g.QoQ = compare(3)
	case 4:
		if n >= 2 {
			g.QoQ = newRate(y[n-1], y[n-2], n-1, n, n-2, n-1)
		}
	}
	if opt.Season > 1 {
		g.YoY = compare(opt.Season)
		g.CAGR = cagr(y, opt, value)
	}
	return g
}

func newRate(cur, prev float64, from, to, pfrom, pto int) *Rate {
	r := &Rate{Current: cur, Previous: prev, From: from, To: to, PrevFrom: pfrom, PrevTo: pto}
	if prev > 0 {
		v := (cur - prev) / prev
		r.Rate = &v
	} else {
		r.Note = fmt.Sprintf("the previous period's value is %g: no growth rate from a zero or negative base", prev)
	}
	return r
}

// cagr is (last/first)^(1/years) − 1 between the first and the last
// complete fiscal years, years = complete years − 1.
func cagr(y []float64, opt Options, value func(from, to int) float64) *CAGR {
	m := opt.Season
	first := (m - opt.FirstPos) % m // first observation at fiscal position 0
	k := (len(y) - first) / m       // complete fiscal years
	if k < 2 {
		return nil
	}
	c := &CAGR{FirstFrom: first, LastFrom: first + (k-1)*m, Years: k - 1}
	c.First = value(c.FirstFrom, c.FirstFrom+m)
	c.Last = value(c.LastFrom, c.LastFrom+m)
	switch {
	case c.First <= 0:
		c.Note = fmt.Sprintf("the first complete year's value is %g: no compound growth from a zero or negative base", c.First)
	case c.Last < 0:
		c.Note = fmt.Sprintf("the last complete year's value is %g: no compound growth to a negative value", c.Last)
	default:
		v := math.Pow(c.Last/c.First, 1/float64(c.Years)) - 1
		c.Rate = &v
	}
	return c
}
