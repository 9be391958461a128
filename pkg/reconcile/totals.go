package reconcile

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	d "github.com/databridge/databridge/pkg/dialect"
)

// TotalsInput is a totals reconciliation: the sums of measures per group
// on two tables (the tie-out done before any row-level diff).
type TotalsInput struct {
	Left  string `json:"left" jsonschema:"the first table, CONNECTION.TABLE or CONNECTION.SCHEMA.TABLE"`
	Right string `json:"right" jsonschema:"the second table, CONNECTION.TABLE or CONNECTION.SCHEMA.TABLE"`
	// By are the grouping columns (period, account, entity…); none for
	// one grand total.
	By []string `json:"by,omitempty" jsonschema:"the grouping columns (period, account, entity…); none for the grand total"`
	// Measures are the summed columns.
	Measures  []string `json:"measures" jsonschema:"the numeric columns summed per group"`
	Tolerance []string `json:"tolerance,omitempty" jsonschema:"tolerances on the sums, MEASURE=abs:0.01 or MEASURE=rel:1e-6"`
	Where     string   `json:"where,omitempty" jsonschema:"a filter applied to both sides (a filter expression, never SQL)"`
	// Trim and IgnoreCase relax the comparison of text grouping columns.
	Trim       []string `json:"trim,omitempty" jsonschema:"text grouping columns compared without leading/trailing spaces"`
	IgnoreCase []string `json:"ignore_case,omitempty" jsonschema:"text grouping columns compared case-insensitively"`
}

// TotalsResult is the outcome (the --json output and the reconcile_totals
// tool's result).
type TotalsResult struct {
	RunID    string        `json:"run_id"`
	Left     string        `json:"left"`
	Right    string        `json:"right"`
	By       []string      `json:"by"`
	Measures []string      `json:"measures"`
	Agree    bool          `json:"agree"`
	Summary  TotalsSummary `json:"summary"`
	// Totals are the grand totals per measure.
	Totals []MeasureTotal `json:"totals"`
	// Groups are every group (up to DetailCap), differing ones first.
	Groups    []GroupTotal `json:"groups"`
	Truncated bool         `json:"truncated"`
	ElapsedMS int64        `json:"elapsed_ms"`
}

// TotalsSummary counts groups.
type TotalsSummary struct {
	Groups    int   `json:"groups"`
	Equal     int   `json:"equal"`
	Different int   `json:"different"`
	OnlyLeft  int   `json:"only_left"`
	OnlyRight int   `json:"only_right"`
	LeftRows  int64 `json:"left_rows"`
	RightRows int64 `json:"right_rows"`
}

// GroupTotal is one group's sums.
type GroupTotal struct {
	Key map[string]any `json:"key"`
	// Status: equal, different, only_left, only_right.
	Status    string         `json:"status"`
	LeftRows  int64          `json:"left_rows"`
	RightRows int64          `json:"right_rows"`
	Measures  []MeasureTotal `json:"measures"`
}

// MeasureTotal is one measure's two sums and their difference (left −
// right), exact decimal strings at the measure's scale; a side without the
// group has no sum.
type MeasureTotal struct {
	Name       string  `json:"name"`
	Left       *string `json:"left"`
	Right      *string `json:"right"`
	Difference *string `json:"difference"`
	Within     bool    `json:"within_tolerance"`
	// Scale is the digits after the point the sums are exact to.
	Scale int `json:"scale"`
}

type groupSums struct {
	key  []any
	rows int64
	sums []*decimal.Decimal
}

// Totals reconciles the sums of measures per group and records the run.
func (s *Service) Totals(ctx context.Context, in TotalsInput) (*TotalsResult, error) {
	start := time.Now()
	measures := splitList(in.Measures)
	if len(measures) == 0 {
		return nil, fmt.Errorf("no measure: name the columns to sum (--measure)")
	}
	s.progress(0, 3, "opening "+in.Left+" and "+in.Right)
	l, r, err := s.openPair(ctx, in.Left, in.Right, in.Where)
	if err != nil {
		return nil, err
	}
	defer l.c.Close()
	defer r.c.Close()
	by := splitList(in.By)
	// The plan's keys are the groups, its values the measures.
	p, err := makePlan(RowsInput{Key: by, Columns: measures, Tolerance: in.Tolerance,
		Trim: in.Trim, IgnoreCase: in.IgnoreCase}, l, r, false)
	if err != nil {
		return nil, err
	}
	for _, m := range p.vals {
		if !m.cmp.Numeric {
			return nil, fmt.Errorf("measure %s is not numeric on both sides", m.name)
		}
	}
	s.progress(1, 3, "summing both sides")
	sumsOf := func(h *side, left bool) (map[string]*groupSums, error) { return groupTotals(ctx, h, p, left) }
	var lg, rg map[string]*groupSums
	var le, re error
	done := make(chan struct{})
	go func() { lg, le = sumsOf(l, true); close(done) }()
	rg, re = sumsOf(r, false)
	<-done
	if le != nil {
		return nil, le
	}
	if re != nil {
		return nil, re
	}
	res := &TotalsResult{Left: in.Left, Right: in.Right, By: []string{}, Groups: []GroupTotal{}}
	for _, k := range p.keys {
		res.By = append(res.By, k.name)
	}
	for _, m := range p.vals {
		res.Measures = append(res.Measures, m.name)
	}
	ids := map[string]bool{}
	for id := range lg {
		ids[id] = true
	}
	for id := range rg {
		ids[id] = true
	}
	grandL := make([]decimal.Decimal, len(p.vals))
	grandR := make([]decimal.Decimal, len(p.vals))
	var groups []GroupTotal
	for id := range ids {
		a, b := lg[id], rg[id]
		g := GroupTotal{Key: map[string]any{}}
		src := a
		if src == nil {
			src = b
		}
		for i, k := range p.keys {
			g.Key[k.name] = src.key[i]
		}
		res.Summary.Groups++
		switch {
		case b == nil:
			g.Status = "only_left"
			res.Summary.OnlyLeft++
		case a == nil:
			g.Status = "only_right"
			res.Summary.OnlyRight++
		}
		if a != nil {
			g.LeftRows = a.rows
			res.Summary.LeftRows += a.rows
		}
		if b != nil {
			g.RightRows = b.rows
			res.Summary.RightRows += b.rows
		}
		differs := false
		for i, m := range p.vals {
			mt := MeasureTotal{Name: m.name, Scale: m.cmp.Scale}
			var lp, rp *decimal.Decimal
			if a != nil {
				lp = a.sums[i]
			}
			if b != nil {
				rp = b.sums[i]
			}
			lv, rv := orZero(lp), orZero(rp)
			if lp != nil {
				mt.Left = fixed(lv, m.cmp.Scale)
			}
			if rp != nil {
				mt.Right = fixed(rv, m.cmp.Scale)
			}
			grandL[i], grandR[i] = grandL[i].Add(lv), grandR[i].Add(rv)
			mt.Difference = fixed(lv.Sub(rv), m.cmp.Scale)
			mt.Within = within(m.tol, lv, rv)
			if !mt.Within {
				differs = true
			}
			g.Measures = append(g.Measures, mt)
		}
		if g.Status == "" {
			if differs {
				g.Status = "different"
				res.Summary.Different++
			} else {
				g.Status = "equal"
				res.Summary.Equal++
			}
		}
		groups = append(groups, g)
	}
	res.Totals = []MeasureTotal{}
	for i, m := range p.vals {
		sc := m.cmp.Scale
		res.Totals = append(res.Totals, MeasureTotal{Name: m.name, Left: fixed(grandL[i], sc), Right: fixed(grandR[i], sc),
			Difference: fixed(grandL[i].Sub(grandR[i]), sc), Within: within(m.tol, grandL[i], grandR[i]), Scale: sc})
	}
	rank := map[string]int{"different": 0, "only_left": 1, "only_right": 2, "equal": 3}
	sort.Slice(groups, func(i, j int) bool {
		if rank[groups[i].Status] != rank[groups[j].Status] {
			return rank[groups[i].Status] < rank[groups[j].Status]
		}
		return fmt.Sprint(sortedKey(groups[i].Key, res.By)) < fmt.Sprint(sortedKey(groups[j].Key, res.By))
	})
	if len(groups) > DetailCap {
		groups, res.Truncated = groups[:DetailCap], true
	}
	res.Groups = append(res.Groups, groups...)
	sm := res.Summary
	res.Agree = sm.Different == 0 && sm.OnlyLeft == 0 && sm.OnlyRight == 0
	res.ElapsedMS = time.Since(start).Milliseconds()
	agree := res.Agree
	s.progress(2, 3, "recording the run")
	id, err := s.record(ctx, "totals", in.Left, in.Right, &agree, res)
	if err != nil {
		return nil, err
	}
	res.RunID = id
	return res, nil
}

func sortedKey(k map[string]any, by []string) []string {
	out := make([]string, len(by))
	for i, b := range by {
		out[i] = show(k[b])
	}
	return out
}

func orZero(x *decimal.Decimal) decimal.Decimal {
	if x == nil {
		return decimal.Zero
	}
	return *x
}

func within(t *tolerance, a, b decimal.Decimal) bool {
	diff := a.Sub(b).Abs()
	if diff.IsZero() {
		return true
	}
	if t == nil {
		return false
	}
	bound := t.v
	if t.rel {
		bound = bound.Mul(decimal.Max(a.Abs(), b.Abs()))
	}
	return diff.LessThanOrEqual(bound)
}

// groupTotals sums the measures per group on one side, in its engine.
func groupTotals(ctx context.Context, sd *side, p *plan, left bool) (map[string]*groupSums, error) {
	sel := &d.Select{From: d.Table{Name: sd.table}, Where: sd.where}
	pick := func(cp colPlan) (d.ColumnType, string) {
		if left {
			return cp.lt, cp.left
		}
		return cp.rt, cp.right
	}
	for i, k := range p.keys {
		t, n := pick(k)
		e, err := k.cmp.Normalise(sd.dialect, t, d.C(n))
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", sd.ref, k.name, err)
		}
		e = &d.ExactText{X: e}
		sel.Columns = append(sel.Columns, d.As(e, kname(i)))
		sel.GroupBy = append(sel.GroupBy, e)
	}
	sel.Columns = append(sel.Columns, d.As(d.F("COUNT"), "n"))
	for i, m := range p.vals {
		t, n := pick(m)
		e, err := m.cmp.Number(t, d.C(n))
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", sd.ref, m.name, err)
		}
		sel.Columns = append(sel.Columns, d.As(d.F("SUM", e), vname(i)))
	}
	sql, err := d.Render(sd.dialect, &d.QueryStmt{Query: sel})
	if err != nil {
		return nil, err
	}
	res, err := sd.c.Query(ctx, sql, longQuery)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sd.ref, err)
	}
	out := map[string]*groupSums{}
	nk := len(p.keys)
	for _, row := range res.Rows {
		g := &groupSums{key: make([]any, nk), rows: rowCount(row[nk]), sums: make([]*decimal.Decimal, len(p.vals))}
		for i := range g.key {
			g.key[i] = rowCell(row[i])
		}
		for i := range p.vals {
			if v := row[nk+1+i]; v != nil {
				if x, ok := decimalOf(v); ok {
					g.sums[i] = &x
				}
			}
		}
		out[keyString(g.key)] = g
	}
	return out, nil
}
