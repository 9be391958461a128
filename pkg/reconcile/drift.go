package reconcile

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat"
)

// Drift compares a table's profile now with a reference — a saved profile
// or another table profiled now — and reports:
//
//   - schema drift: columns added, removed or retyped (type names compared
//     as written when both profiles come from the same engine, as families
//     — integer, decimal, float, text, date, timestamp, boolean — across
//     engines); any schema drift fails;
//   - volume: the relative change of the row count;
//   - null rate: the change of each column's share of NULLs (points);
//   - distinct: the relative change of the distinct count of categorical
//     columns;
//   - distribution: the population stability index over the top values
//     (the reference's and the current's, the rest as one "other"
//     category; shares floored at 0.0001) for categorical columns, and the
//     two-sample Kolmogorov–Smirnov statistic D between the two 100-tile
//     sketches (gonum stat.KolmogorovSmirnov over the tiles' maxima
//     weighted by their counts: within a tile of the exact D) for numeric
//     ones.
//
// Each measure is compared with its threshold; past one, the table has
// drifted (exit 3).

// DriftThresholds are the limits past which a measure is drift.
type DriftThresholds struct {
	// Volume: relative change of rows (0.1 = 10%).
	Volume float64 `json:"volume"`
	// NullRate: absolute change of the null share (0.05 = 5 points).
	NullRate float64 `json:"null_rate"`
	// Distinct: relative change of the distinct count (categorical).
	Distinct float64 `json:"distinct"`
	// PSI: population stability index (0.2: a significant shift).
	PSI float64 `json:"psi"`
	// KS: Kolmogorov–Smirnov D (0.1).
	KS float64 `json:"ks"`
}

// DefaultDriftThresholds are the usual limits.
var DefaultDriftThresholds = DriftThresholds{Volume: 0.1, NullRate: 0.05, Distinct: 0.2, PSI: 0.2, KS: 0.1}

// DriftInput says what to compare.
type DriftInput struct {
	Table string `json:"table" jsonschema:"the dataset now, CONN.TABLE or CONN.SCHEMA.TABLE"`
	// Against: a saved profile's name, or another dataset (CONN.TABLE).
	Against string `json:"against" jsonschema:"the reference: a saved profile's name or a dataset CONN.TABLE"`
	// Thresholds: zero fields take the defaults.
	Thresholds *DriftThresholds `json:"thresholds,omitempty" jsonschema:"limits past which a measure is drift (zero fields: defaults volume 0.1, null_rate 0.05, distinct 0.2, psi 0.2, ks 0.1)"`
}

// DriftColumnChange is a schema change.
type DriftColumnChange struct {
	Column string `json:"column"`
	Change string `json:"change"` // added, removed, retyped
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// DriftMeasure is one measured drift and its verdict.
type DriftMeasure struct {
	Column    string  `json:"column,omitempty"` // empty for the table's volume
	Measure   string  `json:"measure"`          // volume, null_rate, distinct, psi, ks
	Before    float64 `json:"before"`
	After     float64 `json:"after"`
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
	Drifted   bool    `json:"drifted"`
}

// DriftResult is the result of a drift check.
type DriftResult struct {
	ID         string              `json:"id"`
	Table      string              `json:"table"`
	Against    string              `json:"against"`
	Thresholds DriftThresholds     `json:"thresholds"`
	Drifted    bool                `json:"drifted"`
	Schema     []DriftColumnChange `json:"schema"`
	Measures   []DriftMeasure      `json:"measures"`
	// Reasons: one line per measure past its threshold and per schema
	// change.
	Reasons []string `json:"reasons"`
}

// Drift compares a table with a saved profile or another table.
func (s *Service) Drift(ctx context.Context, in DriftInput) (*DriftResult, error) {
	th := DefaultDriftThresholds
	if t := in.Thresholds; t != nil {
		for _, f := range []struct {
			v   float64
			dst *float64
		}{{t.Volume, &th.Volume}, {t.NullRate, &th.NullRate}, {t.Distinct, &th.Distinct}, {t.PSI, &th.PSI}, {t.KS, &th.KS}} {
			if f.v < 0 {
				return nil, fmt.Errorf("drift thresholds cannot be negative")
			}
			if f.v > 0 {
				*f.dst = f.v
			}
		}
	}
	if strings.TrimSpace(in.Against) == "" {
		return nil, fmt.Errorf("drift needs --against NAME (a saved profile) or CONN.TABLE")
	}
	// A saved profile of that name first; else a dotted name is a
	// dataset profiled now.
	ref, err := s.LoadProfile(in.Against)
	if err != nil && strings.Contains(in.Against, ".") {
		ref, err = s.profile(ctx, in.Against)
	}
	if err != nil {
		return nil, err
	}
	cur, err := s.profile(ctx, in.Table)
	if err != nil {
		return nil, err
	}
	res := CompareProfiles(ref, cur, th)
	res.Against = in.Against
	agree := !res.Drifted
	id, err := s.record(ctx, "drift", res.Table, in.Against, &agree, res)
	if err != nil {
		return nil, err
	}
	res.ID = id
	return res, nil
}

// CompareProfiles measures the drift from ref to cur.
func CompareProfiles(ref, cur *Profile, th DriftThresholds) *DriftResult {
	res := &DriftResult{Table: cur.Table, Thresholds: th, Schema: []DriftColumnChange{}, Measures: []DriftMeasure{}, Reasons: []string{}}
	sameEngine := ref.Dialect == cur.Dialect
	for _, rc := range ref.Columns {
		cc := cur.Column(rc.Name)
		if cc == nil {
			res.Schema = append(res.Schema, DriftColumnChange{Column: rc.Name, Change: "removed", Before: rc.Type})
			continue
		}
		before, after := strings.ToLower(rc.Type), strings.ToLower(cc.Type)
		if !sameEngine {
			before, after = driftFamily(rc.Type), driftFamily(cc.Type)
		}
		if before != after {
			res.Schema = append(res.Schema, DriftColumnChange{Column: rc.Name, Change: "retyped", Before: rc.Type, After: cc.Type})
		}
	}
	for _, cc := range cur.Columns {
		if ref.Column(cc.Name) == nil {
			res.Schema = append(res.Schema, DriftColumnChange{Column: cc.Name, Change: "added", After: cc.Type})
		}
	}
	for _, c := range res.Schema {
		switch c.Change {
		case "retyped":
			res.Reasons = append(res.Reasons, fmt.Sprintf("column %s retyped: %s → %s", c.Column, c.Before, c.After))
		case "added":
			res.Reasons = append(res.Reasons, fmt.Sprintf("column %s added (%s)", c.Column, c.After))
		default:
			res.Reasons = append(res.Reasons, fmt.Sprintf("column %s removed (%s)", c.Column, c.Before))
		}
	}
	add := func(m DriftMeasure) {
		m.Drifted = m.Value > m.Threshold
		res.Measures = append(res.Measures, m)
		if m.Drifted {
			where := "rows"
			if m.Column != "" {
				where = m.Column
			}
			res.Reasons = append(res.Reasons, fmt.Sprintf("%s: %s %.4g past %.4g (before %.4g, after %.4g)", where, m.Measure, m.Value, m.Threshold, m.Before, m.After))
		}
	}
	add(DriftMeasure{Measure: "volume", Before: float64(ref.Rows), After: float64(cur.Rows),
		Value: math.Abs(float64(cur.Rows)-float64(ref.Rows)) / math.Max(1, float64(ref.Rows)), Threshold: th.Volume})
	for _, rc := range ref.Columns {
		cc := cur.Column(rc.Name)
		if cc == nil {
			continue
		}
		add(DriftMeasure{Column: rc.Name, Measure: "null_rate", Before: rc.NullRate, After: cc.NullRate,
			Value: math.Abs(cc.NullRate - rc.NullRate), Threshold: th.NullRate})
		switch {
		case len(rc.Sketch) > 0 && len(cc.Sketch) > 0:
			add(DriftMeasure{Column: rc.Name, Measure: "ks", Before: driftMean(rc), After: driftMean(*cc),
				Value: sketchKS(rc.Sketch, cc.Sketch), Threshold: th.KS})
		case driftCategorical(rc) && driftCategorical(*cc):
			add(DriftMeasure{Column: rc.Name, Measure: "distinct", Before: float64(rc.Distinct), After: float64(cc.Distinct),
				Value: math.Abs(float64(cc.Distinct)-float64(rc.Distinct)) / math.Max(1, float64(rc.Distinct)), Threshold: th.Distinct})
			add(DriftMeasure{Column: rc.Name, Measure: "psi", Before: float64(rc.Rows - rc.Nulls), After: float64(cc.Rows - cc.Nulls),
				Value: topPSI(rc, *cc), Threshold: th.PSI})
		}
	}
	res.Drifted = len(res.Reasons) > 0
	return res
}

func driftMean(c ProfileColumn) float64 {
	if c.Mean == nil {
		return 0
	}
	return *c.Mean
}

// driftCategorical: a column of few values (its top values cover it).
func driftCategorical(c ProfileColumn) bool {
	if c.Class == "categorical" || c.Class == "boolean" {
		return true
	}
	return c.Distinct > 0 && c.Distinct <= profileTopValues && len(c.Top) > 0
}

// driftFamily is an engine type's family, to compare types across engines.
func driftFamily(typ string) string {
	t := strings.ToLower(typ)
	switch {
	case t == "tinyint(1)" || strings.HasPrefix(t, "bool") || t == "bit":
		return "boolean"
	case strings.Contains(t, "int"):
		return "integer"
	case strings.Contains(t, "decimal") || strings.Contains(t, "numeric") || strings.Contains(t, "number") || strings.Contains(t, "money"):
		return "decimal"
	case strings.Contains(t, "double") || strings.Contains(t, "float") || strings.Contains(t, "real"):
		return "float"
	case strings.HasPrefix(t, "timestamp") || strings.HasPrefix(t, "datetime"):
		return "timestamp"
	case t == "date":
		return "date"
	case strings.Contains(t, "char") || strings.Contains(t, "text") || strings.Contains(t, "string"):
		return "text"
	}
	return t
}

// sketchKS is the Kolmogorov–Smirnov D between two sketches.
func sketchKS(a, b []ProfileBucket) float64 {
	xs, xw := sketchWeights(a)
	ys, yw := sketchWeights(b)
	return stat.KolmogorovSmirnov(xs, xw, ys, yw)
}

func sketchWeights(sk []ProfileBucket) (x, w []float64) {
	for _, b := range sk {
		if n := len(x); n > 0 && x[n-1] == b.Max {
			w[n-1] += float64(b.Count)
			continue
		}
		x = append(x, b.Max)
		w = append(w, float64(b.Count))
	}
	return x, w
}

// topPSI is the population stability index over the top values of both
// profiles, the rest as "other".
func topPSI(ref, cur ProfileColumn) float64 {
	rn, cn := float64(ref.Rows-ref.Nulls), float64(cur.Rows-cur.Nulls)
	if rn <= 0 || cn <= 0 {
		return 0
	}
	rc, cc := map[string]float64{}, map[string]float64{}
	for _, t := range ref.Top {
		rc[t.Value] = float64(t.Count)
	}
	for _, t := range cur.Top {
		cc[t.Value] = float64(t.Count)
	}
	// Summed in a fixed order, so the index does not depend on map order.
	var keys []string
	for k := range rc {
		keys = append(keys, k)
	}
	for k := range cc {
		if _, ok := rc[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	const floor = 1e-4
	psi := 0.0
	var rSum, cSum float64
	term := func(p, q float64) float64 {
		p, q = math.Max(p, floor), math.Max(q, floor)
		return (q - p) * math.Log(q/p)
	}
	for _, k := range keys {
		p, q := rc[k]/rn, cc[k]/cn
		rSum += rc[k]
		cSum += cc[k]
		psi += term(p, q)
	}
	// A value in one top list and not the other may still be in the other
	// side's rest; "other" holds what neither list names.
	po, qo := math.Max(0, rn-rSum)/rn, math.Max(0, cn-cSum)/cn
	if po > 0 || qo > 0 {
		psi += term(po, qo)
	}
	return psi
}
