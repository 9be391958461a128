package reconcile

import (
	"encoding/json"
	"fmt"
)

// DetailsInput pages through the differences a row reconciliation run
// recorded.
type DetailsInput struct {
	ID string `json:"id,omitempty" jsonschema:"the run id (from compare_tables or reconcile history); empty or latest: the newest row reconciliation"`
	// Kind: only_left, only_right or changed.
	Kind   string `json:"kind" jsonschema:"only_left (orphans of the left table), only_right (orphans of the right) or changed (conflicts)"`
	Offset int    `json:"offset,omitempty" jsonschema:"rows to skip"`
	Limit  int    `json:"limit,omitempty" jsonschema:"rows to return (default 50, at most 1000)"`
}

// DetailsResult is one page of differences.
type DetailsResult struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Offset int    `json:"offset"`
	// Total is how many differences of the kind the run found; Recorded
	// how many it kept (up to DetailCap).
	Total      int64        `json:"total"`
	Recorded   int          `json:"recorded"`
	Rows       []KeyedRow   `json:"rows,omitempty"`
	Changed    []ChangedRow `json:"changed,omitempty"`
	NextOffset *int         `json:"next_offset,omitempty"`
}

// Details reads a page of a recorded row reconciliation's differences.
func (s *Service) Details(in DetailsInput) (*DetailsResult, error) {
	if in.ID == "" || in.ID == "latest" {
		runs, err := s.History("rows", 1)
		if err != nil {
			return nil, err
		}
		if len(runs) == 0 {
			return nil, fmt.Errorf("no row reconciliation recorded yet (run `databridge reconcile rows`)")
		}
		in.ID = runs[0].ID
	}
	run, err := s.Show(in.ID)
	if err != nil {
		return nil, err
	}
	if run.Kind != "rows" {
		return nil, fmt.Errorf("reconciliation %s is a %s run; details are kept for row reconciliations", in.ID, run.Kind)
	}
	var rec rowsRecord
	if err := json.Unmarshal(run.Result, &rec); err != nil {
		return nil, fmt.Errorf("reconciliation %s: %w", in.ID, err)
	}
	if in.Limit <= 0 {
		in.Limit = 50
	}
	in.Limit = min(in.Limit, 1000)
	in.Offset = max(in.Offset, 0)
	out := &DetailsResult{ID: in.ID, Kind: in.Kind, Offset: in.Offset}
	page := func(n int) (int, int) {
		lo := min(in.Offset, n)
		hi := min(lo+in.Limit, n)
		if hi < n {
			next := hi
			out.NextOffset = &next
		}
		out.Recorded = n
		return lo, hi
	}
	switch in.Kind {
	case "only_left":
		lo, hi := page(len(rec.Details.OnlyLeft))
		out.Total, out.Rows = rec.Summary.OnlyLeft, rec.Details.OnlyLeft[lo:hi]
	case "only_right":
		lo, hi := page(len(rec.Details.OnlyRight))
		out.Total, out.Rows = rec.Summary.OnlyRight, rec.Details.OnlyRight[lo:hi]
	case "changed":
		lo, hi := page(len(rec.Details.Changed))
		out.Total, out.Changed = rec.Summary.Changed, rec.Details.Changed[lo:hi]
	default:
		return nil, fmt.Errorf("kind %q: want only_left, only_right or changed", in.Kind)
	}
	return out, nil
}
