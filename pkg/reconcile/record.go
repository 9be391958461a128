package reconcile

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/project"
)

// RunsDir is where every reconciliation run is recorded, one JSON file per
// run, relative to .databridge/.
const RunsDir = "state/reconciliations"

// Run is the record of one reconciliation run: what was compared, whether
// the two sides agreed, and the full result of the operation (the same
// struct the command prints with --json).
type Run struct {
	ID   string    `json:"id"`
	Kind string    `json:"kind"` // rows, totals, match, dedupe, pair, profile, drift
	At   time.Time `json:"at"`
	// Left and Right name the compared datasets (CONN.TABLE); Right is
	// empty for one-table operations (dedupe, profile).
	Left  string `json:"left"`
	Right string `json:"right,omitempty"`
	// Agree: the datasets agree (within tolerance); nil when the operation
	// has no verdict (a profile).
	Agree  *bool           `json:"agree,omitempty"`
	Result json.RawMessage `json:"result"`
}

// RunSummary is a run without its result, for listings.
type RunSummary struct {
	ID    string    `json:"id"`
	Kind  string    `json:"kind"`
	At    time.Time `json:"at"`
	Left  string    `json:"left"`
	Right string    `json:"right,omitempty"`
	Agree *bool     `json:"agree,omitempty"`
}

// newRunID is a sortable, unique run id: UTC time to the millisecond and
// four random hex digits.
func newRunID(now time.Time) string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return strings.Replace(now.UTC().Format("20060102-150405.000"), ".", "-", 1) + "-" + hex.EncodeToString(b[:])
}

func validRunID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r == '-') {
			return false
		}
	}
	return true
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// record writes a run and returns its id. result is marshalled as is (it
// carries decimals as strings, so nothing is rounded on the way).
func (s *Service) record(ctx context.Context, kind, left, right string, agree *bool, result any) (string, error) {
	raw, err := json.Marshal(result)
	if err != nil {
		return "", fmt.Errorf("encode %s reconciliation: %w", kind, err)
	}
	at := s.now().UTC()
	r := Run{ID: newRunID(at), Kind: kind, At: at, Left: left, Right: right, Agree: agree, Result: raw}
	data, err := json.MarshalIndent(&r, "", "  ")
	if err != nil {
		return "", err
	}
	dir := s.Project.Path(filepath.FromSlash(RunsDir))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("record reconciliation: %w", err)
	}
	if err := project.WriteFileAtomic(filepath.Join(dir, r.ID+".json"), append(data, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("record reconciliation: %w", err)
	}
	events.Emit(ctx, s.Project, events.ReconcileCompleted, runEvent(r))
	return r.ID, nil
}

// Show reads one recorded run.
func (s *Service) Show(id string) (*Run, error) {
	if !validRunID(id) {
		return nil, fmt.Errorf("reconciliation id %q is not valid", id)
	}
	data, err := os.ReadFile(s.Project.Path(filepath.FromSlash(RunsDir), id+".json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no reconciliation %q (see `databridge reconcile history`)", id)
	}
	if err != nil {
		return nil, err
	}
	var r Run
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("reconciliation %s: %w", id, err)
	}
	return &r, nil
}

// History lists recorded runs, newest first; kind filters when not empty,
// limit caps the list when positive.
func (s *Service) History(kind string, limit int) ([]RunSummary, error) {
	dir := s.Project.Path(filepath.FromSlash(RunsDir))
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return []RunSummary{}, nil
	}
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") {
			names = append(names, strings.TrimSuffix(e.Name(), ".json"))
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	out := []RunSummary{}
	for _, id := range names {
		r, err := s.Show(id)
		if err != nil {
			continue // a damaged record is skipped, not fatal to the listing
		}
		if kind != "" && r.Kind != kind {
			continue
		}
		out = append(out, RunSummary{ID: r.ID, Kind: r.Kind, At: r.At, Left: r.Left, Right: r.Right, Agree: r.Agree})
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, nil
}
