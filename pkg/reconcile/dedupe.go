package reconcile

import (
	"context"
	"fmt"
	"sort"

	"github.com/databridge/databridge/pkg/reconcile/fuzzy"
)

// Duplicates inside one column: every distinct value searched against
// the others over blocked candidates; pairs scoring at least the threshold
// are linked, and the linked values form clusters (connected components,
// union–find), so "Acme Inc", "ACME Incorporated" and "Acme, Inc." are one
// cluster even when only two of the three pairs are scored.

// dedupeLinks is how many neighbours each value links to at most.
const dedupeLinks = 10

// DedupeInput says what to deduplicate.
type DedupeInput struct {
	Table     string   `json:"table" jsonschema:"the dataset, CONN.TABLE or CONN.SCHEMA.TABLE"`
	Column    string   `json:"column" jsonschema:"the column of names"`
	Scorer    string   `json:"scorer,omitempty" jsonschema:"ratio, partial, token_sort, token_set (default) or weighted"`
	Threshold *float64 `json:"threshold,omitempty" jsonschema:"the least score linking two values, 0-100 (default 90)"`
	Raw       bool     `json:"raw,omitempty" jsonschema:"score the values as they are (no normalisation)"`
}

// DedupeMember is one value of a cluster.
type DedupeMember struct {
	Value      string `json:"value"`
	Normalised string `json:"normalised"`
	Rows       int64  `json:"rows"`
}

// DedupeLink is one scored pair inside a cluster.
type DedupeLink struct {
	A     string  `json:"a"`
	B     string  `json:"b"`
	Score float64 `json:"score"`
}

// DedupeCluster is a group of likely duplicates.
type DedupeCluster struct {
	// Canonical: the member held by most rows (ties: the first by value).
	Canonical string         `json:"canonical"`
	Members   []DedupeMember `json:"members"`
	Links     []DedupeLink   `json:"links"`
	// MinScore: the weakest link (every member reaches the others
	// through links at least this strong).
	MinScore float64 `json:"min_score"`
}

// DedupeResult is the result of a dedupe.
type DedupeResult struct {
	ID         string  `json:"id"`
	Table      string  `json:"table"`
	Column     string  `json:"column"`
	Scorer     string  `json:"scorer"`
	Threshold  float64 `json:"threshold"`
	Normalised bool    `json:"normalised"`
	Values     int     `json:"values"`
	Rows       int64   `json:"rows"`
	// Duplicates: values in clusters beyond each cluster's canonical one.
	Duplicates int             `json:"duplicates"`
	Clusters   []DedupeCluster `json:"clusters"`
}

// Dedupe finds clusters of likely duplicate names in one column.
func (s *Service) Dedupe(ctx context.Context, in DedupeInput) (*DedupeResult, error) {
	scorer, err := fuzzy.ParseScorer(in.Scorer)
	if err != nil {
		return nil, err
	}
	threshold, err := matchThreshold(in.Threshold, DefaultDedupeThreshold)
	if err != nil {
		return nil, err
	}
	if in.Column == "" {
		return nil, fmt.Errorf("dedupe needs --column")
	}
	t, err := s.openMatchTable(ctx, in.Table)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	col, err := t.column(in.Column)
	if err != nil {
		return nil, err
	}
	vals, counts, err := t.valueCounts(ctx, col)
	if err != nil {
		return nil, err
	}
	matchSortValues(vals, counts)
	norm := matchNormalise(vals, in.Raw)
	ix := fuzzy.NewIndex(norm)
	links := ix.SelfLinks(fuzzy.SearchOptions{Scorer: scorer, Threshold: threshold, Top: dedupeLinks})

	parent := make([]int, len(vals))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	type link struct {
		a, b  int
		score float64
	}
	var all []link
	for a, ms := range links {
		for _, m := range ms {
			l := link{min(a, m.Index), max(a, m.Index), m.Score}
			all = append(all, l)
			if ra, rb := find(l.a), find(l.b); ra != rb {
				parent[max(ra, rb)] = min(ra, rb)
			}
		}
	}
	// Distinct links (a pair found from both sides counts once).
	seen := map[[2]int]bool{}
	byRoot := map[int]*DedupeCluster{}
	var roots []int
	for i := range vals {
		r := find(i)
		if byRoot[r] == nil {
			byRoot[r] = &DedupeCluster{MinScore: 100}
			roots = append(roots, r)
		}
		byRoot[r].Members = append(byRoot[r].Members, DedupeMember{Value: vals[i], Normalised: norm[i], Rows: counts[i]})
	}
	for _, l := range all {
		k := [2]int{l.a, l.b}
		if seen[k] {
			continue
		}
		seen[k] = true
		c := byRoot[find(l.a)]
		c.Links = append(c.Links, DedupeLink{A: vals[l.a], B: vals[l.b], Score: l.score})
		c.MinScore = min(c.MinScore, l.score)
	}
	res := &DedupeResult{Table: t.ds.String(), Column: col, Scorer: string(scorer), Threshold: threshold,
		Normalised: !in.Raw, Values: len(vals), Clusters: []DedupeCluster{}}
	for _, n := range counts {
		res.Rows += n
	}
	for _, r := range roots {
		c := byRoot[r]
		if len(c.Members) < 2 {
			continue
		}
		best := c.Members[0]
		for _, m := range c.Members[1:] {
			if m.Rows > best.Rows {
				best = m
			}
		}
		c.Canonical = best.Value
		sort.Slice(c.Links, func(i, j int) bool {
			if c.Links[i].Score != c.Links[j].Score {
				return c.Links[i].Score > c.Links[j].Score
			}
			return c.Links[i].A+"\x00"+c.Links[i].B < c.Links[j].A+"\x00"+c.Links[j].B
		})
		res.Duplicates += len(c.Members) - 1
		res.Clusters = append(res.Clusters, *c)
	}
	sort.SliceStable(res.Clusters, func(i, j int) bool { return len(res.Clusters[i].Members) > len(res.Clusters[j].Members) })
	id, err := s.record(ctx, "dedupe", res.Table, "", nil, res)
	if err != nil {
		return nil, err
	}
	res.ID = id
	return res, nil
}
