package reconcile

import (
	"context"
	"fmt"
	"sort"

	"github.com/databridge/databridge/pkg/reconcile/fuzzy"
)

// Matching names across systems: the distinct values of a column on one
// side against those of a column on the other, normalised (fuzzy.Normalise)
// and scored with a RapidFuzz scorer over blocked candidates
// (fuzzy.Index), so 100k × 100k never scores every pair.

// Defaults of MatchInput.
const (
	DefaultMatchThreshold  = 80.0
	DefaultDedupeThreshold = 90.0
)

// MatchInput says what to match.
type MatchInput struct {
	Left        string `json:"left" jsonschema:"the left dataset, CONN.TABLE or CONN.SCHEMA.TABLE"`
	Right       string `json:"right" jsonschema:"the right dataset, CONN.TABLE or CONN.SCHEMA.TABLE"`
	LeftColumn  string `json:"left_column" jsonschema:"the column of names on the left"`
	RightColumn string `json:"right_column" jsonschema:"the column of names on the right"`
	// Scorer: ratio, partial, token_sort, token_set (default), weighted.
	Scorer string `json:"scorer,omitempty" jsonschema:"ratio, partial, token_sort, token_set (default) or weighted (RapidFuzz's definitions)"`
	// Threshold: the least score of a match, 0–100 (nil: 80).
	Threshold *float64 `json:"threshold,omitempty" jsonschema:"the least score of a match, 0-100 (default 80)"`
	// Top: matches per left value (default 1).
	Top int `json:"top,omitempty" jsonschema:"how many matches to keep per left value (default 1)"`
	// Raw: score the values as they are, without normalisation.
	Raw bool `json:"raw,omitempty" jsonschema:"score the values as they are (no case, accent, punctuation and legal-form normalisation)"`
}

// NameCandidate is one right value matched to a left value.
type NameCandidate struct {
	Value      string  `json:"value"`
	Normalised string  `json:"normalised"`
	Score      float64 `json:"score"`
}

// NameMatch is a left value and its best right values.
type NameMatch struct {
	Value      string          `json:"value"`
	Normalised string          `json:"normalised"`
	Rows       int64           `json:"rows"`
	Matches    []NameCandidate `json:"matches"`
}

// MatchSummary counts the outcome.
type MatchSummary struct {
	LeftValues  int `json:"left_values"`
	RightValues int `json:"right_values"`
	Matched     int `json:"matched"`
	Unmatched   int `json:"unmatched"`
	// Exact: left values whose best match scores 100.
	Exact int `json:"exact"`
	// RightUnmatched: right values nobody's best match.
	RightUnmatched int `json:"right_unmatched"`
}

// MatchResult is the result of a match (the --json output and the MCP
// tool's structured output).
type MatchResult struct {
	ID          string       `json:"id"`
	Left        string       `json:"left"`
	Right       string       `json:"right"`
	LeftColumn  string       `json:"left_column"`
	RightColumn string       `json:"right_column"`
	Scorer      string       `json:"scorer"`
	Threshold   float64      `json:"threshold"`
	Top         int          `json:"top"`
	Normalised  bool         `json:"normalised"`
	Summary     MatchSummary `json:"summary"`
	// Matches: every left value with at least one match, best first.
	Matches []NameMatch `json:"matches"`
	// Unmatched: the left values without a match above the threshold.
	Unmatched []string `json:"unmatched"`
}

func matchThreshold(t *float64, def float64) (float64, error) {
	if t == nil {
		return def, nil
	}
	if *t < 0 || *t > 100 {
		return 0, fmt.Errorf("threshold %v: expected 0 to 100", *t)
	}
	return *t, nil
}

// matchNormalise normalises values unless raw.
func matchNormalise(vals []string, raw bool) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		if raw {
			out[i] = v
		} else {
			out[i] = fuzzy.Normalise(v)
		}
	}
	return out
}

// Match matches the names of one column against another's.
func (s *Service) Match(ctx context.Context, in MatchInput) (*MatchResult, error) {
	scorer, err := fuzzy.ParseScorer(in.Scorer)
	if err != nil {
		return nil, err
	}
	threshold, err := matchThreshold(in.Threshold, DefaultMatchThreshold)
	if err != nil {
		return nil, err
	}
	top := in.Top
	if top <= 0 {
		top = 1
	}
	if in.LeftColumn == "" || in.RightColumn == "" {
		return nil, fmt.Errorf("match needs --left-column and --right-column")
	}
	lt, err := s.openMatchTable(ctx, in.Left)
	if err != nil {
		return nil, err
	}
	defer lt.Close()
	rt, err := s.openMatchTable(ctx, in.Right)
	if err != nil {
		return nil, err
	}
	defer rt.Close()
	lc, err := lt.column(in.LeftColumn)
	if err != nil {
		return nil, err
	}
	rc, err := rt.column(in.RightColumn)
	if err != nil {
		return nil, err
	}
	lv, ln, err := lt.valueCounts(ctx, lc)
	if err != nil {
		return nil, err
	}
	rv, _, err := rt.valueCounts(ctx, rc)
	if err != nil {
		return nil, err
	}
	matchSortValues(lv, ln)
	sort.Strings(rv)
	lnorm, rnorm := matchNormalise(lv, in.Raw), matchNormalise(rv, in.Raw)
	ix := fuzzy.NewIndex(rnorm)
	found := ix.SearchAll(lnorm, fuzzy.SearchOptions{Scorer: scorer, Threshold: threshold, Top: top})
	res := &MatchResult{
		Left: lt.ds.String(), Right: rt.ds.String(), LeftColumn: lc, RightColumn: rc,
		Scorer: string(scorer), Threshold: threshold, Top: top, Normalised: !in.Raw,
		Matches: []NameMatch{}, Unmatched: []string{},
	}
	res.Summary.LeftValues, res.Summary.RightValues = len(lv), len(rv)
	usedRight := make([]bool, len(rv))
	for i, ms := range found {
		if len(ms) == 0 {
			res.Unmatched = append(res.Unmatched, lv[i])
			continue
		}
		nm := NameMatch{Value: lv[i], Normalised: lnorm[i], Rows: ln[i]}
		for _, m := range ms {
			nm.Matches = append(nm.Matches, NameCandidate{Value: rv[m.Index], Normalised: rnorm[m.Index], Score: m.Score})
		}
		usedRight[ms[0].Index] = true
		if ms[0].Score == 100 {
			res.Summary.Exact++
		}
		res.Matches = append(res.Matches, nm)
	}
	res.Summary.Matched, res.Summary.Unmatched = len(res.Matches), len(res.Unmatched)
	for _, u := range usedRight {
		if !u {
			res.Summary.RightUnmatched++
		}
	}
	id, err := s.record(ctx, "match", res.Left, res.Right, nil, res)
	if err != nil {
		return nil, err
	}
	res.ID = id
	return res, nil
}

// matchSortValues sorts values (and their counts) by value, so results do
// not depend on the engine's GROUP BY order.
func matchSortValues(vals []string, counts []int64) {
	idx := make([]int, len(vals))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return vals[idx[a]] < vals[idx[b]] })
	v2, c2 := make([]string, len(vals)), make([]int64, len(vals))
	for i, j := range idx {
		v2[i], c2[i] = vals[j], counts[j]
	}
	copy(vals, v2)
	copy(counts, c2)
}
