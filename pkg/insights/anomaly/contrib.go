package anomaly

import (
	"fmt"
	"math"
	"sort"
)

// Member is one member's series (e.g. a region's revenue by month), on
// the same periods as the total it adds up to.
type Member struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
}

// Contribution is how much one member moved at a finding.
type Contribution struct {
	Name string `json:"name"`
	// Actual and Expected are the member's as the finding defines them
	// (see Finding); Deviation is Actual − Expected.
	Actual    float64 `json:"actual"`
	Expected  float64 `json:"expected"`
	Deviation float64 `json:"deviation"`
	// Share is Deviation over the sum of all members' deviations: the
	// members that drive the finding have the largest shares; a negative
	// share is a member that moved against it.
	Share float64 `json:"share"`
}

// Contributions says which members drive a finding on their total: each
// member's series is read with the same options, and its deviation at the
// finding's index taken the way the finding's is — for a spike or dip the
// observation against the member's trend and seasonality fitted without
// it, for a level shift the member's own step at that index. The result is
// ranked by Share, largest first (ties by name).
func Contributions(members []Member, f Finding, opt Options) ([]Contribution, error) {
	out := make([]Contribution, 0, len(members))
	for _, m := range members {
		if f.Index < 0 || f.Index >= len(m.Values) {
			return nil, fmt.Errorf("anomaly: member %q has %d observations, no index %d", m.Name, len(m.Values), f.Index)
		}
		c, err := memberDeviation(m, f, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return Rank(out), nil
}

func memberDeviation(m Member, f Finding, opt Options) (Contribution, error) {
	opt = opt.withDefaults()
	for i, v := range m.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Contribution{}, fmt.Errorf("anomaly: member %q observation %d is %v", m.Name, i, v)
		}
	}
	work, err := workScale(m.Values, opt)
	if err != nil {
		return Contribution{}, fmt.Errorf("member %q: %w", m.Name, err)
	}
	ft := newFit(work, opt)
	ft.run(true)
	c := Contribution{Name: m.Name}
	k := f.Index
	if f.Kind != LevelShift {
		c.Actual, c.Expected = m.Values[k], ft.out(ft.expected[k]+ft.looS[k])
		c.Deviation = c.Actual - c.Expected
		return c, nil
	}
	// The member's step at k, whether or not it is a break of its own.
	isBreak := false
	for _, b := range ft.breaks {
		isBreak = isBreak || b == k
	}
	if !isBreak && k > 0 && k < ft.n {
		lo, _ := ft.segment(k)
		if k == lo {
			isBreak = true
		}
	}
	st := ft.stepAt(k, isBreak, true)
	if !st.ok {
		// Too little on one side: compare the observation with the fit.
		c.Actual, c.Expected = m.Values[k], ft.out(ft.expected[k]+ft.looS[k])
	} else {
		c.Actual, c.Expected = ft.out(st.after+ft.seasonal[k]), ft.out(st.before+ft.seasonal[k])
	}
	c.Deviation = c.Actual - c.Expected
	return c, nil
}

// Rank sets each contribution's Share (its Deviation over the sum of all
// Deviations; when that sum is 0, over the sum of their absolute values)
// and sorts them by Share, largest first, ties by name.
func Rank(cs []Contribution) []Contribution {
	var sum, abs float64
	for _, c := range cs {
		sum += c.Deviation
		abs += math.Abs(c.Deviation)
	}
	den := sum
	if den == 0 {
		den = abs
	}
	for i := range cs {
		cs[i].Share = 0
		if den != 0 {
			cs[i].Share = cs[i].Deviation / den
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Share != cs[j].Share {
			return cs[i].Share > cs[j].Share
		}
		return cs[i].Name < cs[j].Name
	})
	return cs
}
