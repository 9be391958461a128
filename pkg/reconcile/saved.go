package reconcile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/project"
)

// Saved reconciliations and their open items: a definition is a rows or
// totals reconciliation kept under a name (.databridge/reconcile/
// definitions/NAME.yaml, committed with the project); running it for a
// period records the run and turns every difference into an item
// (.databridge/reconcile/items/NAME.json) that a person explains, accepts
// with a note, or carries forward to the next period. The monthly close
// re-runs the definitions of its period.

// Folders under .databridge/.
const (
	DefinitionsDir = "reconcile/definitions"
	ItemsDir       = "reconcile/items"
)

// Definition is a saved reconciliation.
type Definition struct {
	Name string `json:"name" yaml:"name"`
	Kind string `json:"kind" yaml:"kind"` // rows or totals
	// Rows or Totals is the reconciliation (its Where applies to every
	// run, AND the period's filter).
	Rows   *RowsInput   `json:"rows,omitempty" yaml:"rows,omitempty"`
	Totals *TotalsInput `json:"totals,omitempty" yaml:"totals,omitempty"`
	// PeriodColumn is the column a run's --period filters on (on both
	// sides); PeriodType says how: "text" (the column holds the period's
	// name, e.g. 2025-09: equality) or "date" (a date or timestamp column:
	// the month's days).
	PeriodColumn string    `json:"period_column,omitempty" yaml:"period_column,omitempty"`
	PeriodType   string    `json:"period_type,omitempty" yaml:"period_type,omitempty"`
	Description  string    `json:"description,omitempty" yaml:"description,omitempty"`
	SavedAt      time.Time `json:"saved_at" yaml:"saved_at"`
}

// SaveInput saves a definition.
type SaveInput struct {
	Definition Definition `json:"definition"`
	Replace    bool       `json:"replace,omitempty"`
}

var defName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)

func (s *Service) defPath(name string) string {
	return s.Project.Path(filepath.FromSlash(DefinitionsDir), name+".yaml")
}

func (s *Service) itemsPath(name string) string {
	return s.Project.Path(filepath.FromSlash(ItemsDir), name+".json")
}

// Save checks and keeps a definition. Nothing is run.
func (s *Service) Save(in SaveInput) (*Definition, error) {
	def := in.Definition
	def.Name = strings.ToLower(strings.TrimSpace(def.Name))
	if !defName.MatchString(def.Name) {
		return nil, fmt.Errorf("name %q: use lower-case letters, digits, _ and -, starting with a letter", in.Definition.Name)
	}
	switch def.Kind {
	case "rows":
		if def.Rows == nil || def.Rows.Left == "" || def.Rows.Right == "" || len(def.Rows.Key) == 0 {
			return nil, errors.New("a rows reconciliation needs LEFT, RIGHT and --key")
		}
		def.Totals = nil
	case "totals":
		if def.Totals == nil || def.Totals.Left == "" || def.Totals.Right == "" || len(def.Totals.Measures) == 0 {
			return nil, errors.New("a totals reconciliation needs LEFT, RIGHT and --measure")
		}
		def.Rows = nil
	default:
		return nil, fmt.Errorf("kind %q: want rows or totals", def.Kind)
	}
	switch def.PeriodType {
	case "":
		if def.PeriodColumn != "" {
			def.PeriodType = "text"
		}
	case "text", "date":
		if def.PeriodColumn == "" {
			return nil, errors.New("a period type needs a period column")
		}
	default:
		return nil, fmt.Errorf("period type %q: want text or date", def.PeriodType)
	}
	if _, err := os.Stat(s.defPath(def.Name)); err == nil && !in.Replace {
		return nil, fmt.Errorf("reconciliation %s exists: --replace to replace it", def.Name)
	}
	def.SavedAt = s.now().UTC()
	data, err := yaml.Marshal(&def)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(s.defPath(def.Name)), 0o755); err != nil {
		return nil, err
	}
	if err := project.WriteFileAtomic(s.defPath(def.Name), data, 0o644); err != nil {
		return nil, err
	}
	return &def, nil
}

// DefinitionList is the saved reconciliations.
type DefinitionList struct {
	Definitions []Definition `json:"definitions"`
}

// Definitions lists the saved reconciliations by name.
func (s *Service) Definitions() (*DefinitionList, error) {
	entries, err := os.ReadDir(s.Project.Path(filepath.FromSlash(DefinitionsDir)))
	out := &DefinitionList{Definitions: []Definition{}}
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		d, err := s.Definition(strings.TrimSuffix(e.Name(), ".yaml"))
		if err != nil {
			return nil, err
		}
		out.Definitions = append(out.Definitions, *d)
	}
	sort.Slice(out.Definitions, func(i, j int) bool { return out.Definitions[i].Name < out.Definitions[j].Name })
	return out, nil
}

// Definition reads one saved reconciliation.
func (s *Service) Definition(name string) (*Definition, error) {
	if !defName.MatchString(name) {
		return nil, fmt.Errorf("reconciliation name %q is not valid", name)
	}
	data, err := os.ReadFile(s.defPath(name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no saved reconciliation %q (see `databridge reconcile list`)", name)
	}
	if err != nil {
		return nil, err
	}
	var d Definition
	if err := yaml.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf(".databridge/%s/%s.yaml: %w", DefinitionsDir, name, err)
	}
	return &d, nil
}

var periodName = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// periodFilter is the filter expression of a period on the definition's
// period column (built from checked parts: the column is a name, the
// period YYYY-MM).
func periodFilter(d *Definition, period string) (string, error) {
	if period == "" {
		return "", nil
	}
	if d.PeriodColumn == "" {
		return "", fmt.Errorf("reconciliation %s has no period column: save it with --period-column to run it by period", d.Name)
	}
	if !periodName.MatchString(period) {
		return "", fmt.Errorf("period %q: want YYYY-MM", period)
	}
	col := `"` + strings.ReplaceAll(d.PeriodColumn, `"`, `""`) + `"`
	if d.PeriodType == "date" {
		from, _ := time.Parse("2006-01", period)
		to := from.AddDate(0, 1, 0)
		return fmt.Sprintf("%s >= DATE '%s' AND %s < DATE '%s'", col, from.Format("2006-01-02"), col, to.Format("2006-01-02")), nil
	}
	return fmt.Sprintf("%s = '%s'", col, period), nil
}

func and(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return "(" + a + ") AND (" + b + ")"
}

// RunSavedInput runs a saved reconciliation, optionally for one period.
type RunSavedInput struct {
	Name   string `json:"name" jsonschema:"the saved reconciliation"`
	Period string `json:"period,omitempty" jsonschema:"the period to run it for (YYYY-MM), on the definition's period column"`
}

// RunSavedResult is a saved reconciliation's run: the reconciliation's
// result and the items of the period after it.
type RunSavedResult struct {
	Name   string        `json:"name"`
	Period string        `json:"period,omitempty"`
	Kind   string        `json:"kind"`
	Agree  bool          `json:"agree"`
	Rows   *RowsResult   `json:"rows,omitempty"`
	Totals *TotalsResult `json:"totals,omitempty"`
	// Items: the differences of this run as items; New counts those not
	// seen before, Cleared those an earlier run found and this one does
	// not (they are closed), Open those still needing a decision.
	Items   []Item `json:"items"`
	New     int    `json:"new"`
	Cleared int    `json:"cleared"`
	Open    int    `json:"open"`
}

// RunSaved runs a saved reconciliation and updates its items.
func (s *Service) RunSaved(ctx context.Context, in RunSavedInput) (*RunSavedResult, error) {
	d, err := s.Definition(strings.TrimSpace(in.Name))
	if err != nil {
		return nil, err
	}
	pf, err := periodFilter(d, strings.TrimSpace(in.Period))
	if err != nil {
		return nil, err
	}
	out := &RunSavedResult{Name: d.Name, Period: in.Period, Kind: d.Kind}
	var found []Item
	switch d.Kind {
	case "rows":
		ri := *d.Rows
		ri.Where = and(ri.Where, pf)
		r, err := s.Rows(ctx, ri)
		if err != nil {
			return nil, err
		}
		out.Rows, out.Agree = r, r.Agree
		for _, kind := range []string{"only_left", "only_right", "changed"} {
			for off := 0; ; {
				page, err := s.Details(DetailsInput{ID: r.RunID, Kind: kind, Offset: off, Limit: 1000})
				if err != nil {
					return nil, err
				}
				for _, kr := range page.Rows {
					found = append(found, Item{Kind: kind, Key: kr.Key, Detail: kr.Values})
				}
				for _, cr := range page.Changed {
					found = append(found, Item{Kind: kind, Key: cr.Key, Detail: cr.Columns})
				}
				if page.NextOffset == nil {
					break
				}
				off = *page.NextOffset
			}
		}
		sm := r.Summary
		if sm.DuplicateKeysLeft+sm.DuplicateKeysRight+sm.NullKeysLeft+sm.NullKeysRight > 0 {
			found = append(found, Item{Kind: "key_problems", Key: map[string]any{},
				Detail: map[string]int64{"duplicate_keys_left": sm.DuplicateKeysLeft, "duplicate_keys_right": sm.DuplicateKeysRight, "null_keys_left": sm.NullKeysLeft, "null_keys_right": sm.NullKeysRight}})
		}
	case "totals":
		ti := *d.Totals
		ti.Where = and(ti.Where, pf)
		r, err := s.Totals(ctx, ti)
		if err != nil {
			return nil, err
		}
		out.Totals, out.Agree = r, r.Agree
		for _, g := range r.Groups {
			if g.Status != "equal" {
				found = append(found, Item{Kind: g.Status, Key: g.Key, Detail: g.Measures})
			}
		}
	}
	items, err := s.loadItems(d.Name)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	byID := map[string]int{}
	for i, it := range items {
		byID[it.ID] = i
	}
	seen := map[string]bool{}
	for _, f := range found {
		f.Definition, f.Period = d.Name, in.Period
		f.ID = itemID(d.Name, in.Period, f.Kind, f.Key)
		seen[f.ID] = true
		detail := canonJSON(f.Detail)
		if i, ok := byID[f.ID]; ok {
			it := &items[i]
			old := canonJSON(it.Detail)
			it.LastSeen = now
			switch {
			case it.Status == StatusCleared:
				it.Status, it.Note = StatusOpen, "found again"
			case (it.Status == StatusAccepted || it.Status == StatusExplained) && old != detail:
				it.Status, it.Note = StatusOpen, "changed since it was "+it.Status
			}
			it.Detail = f.Detail
			continue
		}
		f.Status, f.FirstSeen, f.LastSeen = StatusOpen, now, now
		// The same difference carried forward from an earlier period.
		for _, it := range items {
			if it.Status == StatusCarried && it.CarryTo == in.Period && it.Kind == f.Kind && sameKey(it.Key, f.Key) {
				f.CarriedFrom = it.Period
				f.Note = "carried from " + it.Period + ": " + it.Note
			}
		}
		items = append(items, f)
		out.New++
	}
	for i := range items {
		it := &items[i]
		if it.Period == in.Period && !seen[it.ID] && (it.Status == StatusOpen || it.Status == StatusCarried) {
			it.Status, it.Note, it.LastSeen = StatusCleared, "not found by the run of "+now.Format(time.RFC3339), now
			out.Cleared++
		}
	}
	if err := s.saveItems(d.Name, items); err != nil {
		return nil, err
	}
	out.Items = []Item{}
	for _, it := range items {
		if it.Period == in.Period && seen[it.ID] {
			out.Items = append(out.Items, it)
			if it.Status == StatusOpen {
				out.Open++
			}
		}
	}
	return out, nil
}

// Item states.
const (
	StatusOpen      = "open"      // needs a decision
	StatusExplained = "explained" // a person explained it (a timing difference, a known fix)
	StatusAccepted  = "accepted"  // accepted as is, with a note
	StatusCarried   = "carried"   // carried forward: it is expected again in the next period
	StatusCleared   = "cleared"   // a later run no longer found it
)

// Item is one difference of a saved reconciliation in one period.
type Item struct {
	ID         string         `json:"id"`
	Definition string         `json:"definition"`
	Period     string         `json:"period,omitempty"`
	Kind       string         `json:"kind"` // only_left, only_right, changed, different, key_problems
	Key        map[string]any `json:"key"`
	Detail     any            `json:"detail,omitempty"`
	Status     string         `json:"status"`
	Note       string         `json:"note,omitempty"`
	// By and At: who decided and when.
	By          string    `json:"by,omitempty"`
	At          time.Time `json:"at,omitzero"`
	CarryTo     string    `json:"carry_to,omitempty"`
	CarriedFrom string    `json:"carried_from,omitempty"`
	FirstSeen   time.Time `json:"first_seen"`
	LastSeen    time.Time `json:"last_seen"`
}

func itemID(def, period, kind string, key map[string]any) string {
	k, _ := json.Marshal(key) // map keys are sorted
	h := sha256.Sum256([]byte(def + "\x1f" + period + "\x1f" + kind + "\x1f" + string(k)))
	return hex.EncodeToString(h[:6])
}

// canonJSON is a value's JSON with objects' keys sorted (a struct and
// the map it was read back as compare equal).
func canonJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var x any
	if json.Unmarshal(b, &x) != nil {
		return string(b)
	}
	b, _ = json.Marshal(x)
	return string(b)
}

func sameKey(a, b map[string]any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func (s *Service) loadItems(name string) ([]Item, error) {
	data, err := os.ReadFile(s.itemsPath(name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var items []Item
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, fmt.Errorf(".databridge/%s/%s.json: %w", ItemsDir, name, err)
	}
	return items, nil
}

func (s *Service) saveItems(name string, items []Item) error {
	data, err := json.MarshalIndent(items, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.itemsPath(name)), 0o755); err != nil {
		return err
	}
	return project.WriteFileAtomic(s.itemsPath(name), append(data, '\n'), 0o644)
}

// ItemsInput lists a saved reconciliation's items.
type ItemsInput struct {
	Name   string `json:"name"`
	Period string `json:"period,omitempty"`
	// Status filters (default: open and carried into the period).
	Status string `json:"status,omitempty"`
	All    bool   `json:"all,omitempty"`
}

// ItemList is a saved reconciliation's items.
type ItemList struct {
	Name  string `json:"name"`
	Items []Item `json:"items"`
}

// Items lists the items: by default the open ones (and, for a period,
// those carried into it).
func (s *Service) Items(in ItemsInput) (*ItemList, error) {
	if _, err := s.Definition(in.Name); err != nil {
		return nil, err
	}
	items, err := s.loadItems(in.Name)
	if err != nil {
		return nil, err
	}
	out := &ItemList{Name: in.Name, Items: []Item{}}
	for _, it := range items {
		switch {
		case in.All:
		case in.Status != "":
			if it.Status != in.Status {
				continue
			}
		case it.Status == StatusOpen:
		case it.Status == StatusCarried && in.Period != "" && it.CarryTo == in.Period:
		default:
			continue
		}
		if in.Period != "" && it.Period != in.Period && it.CarryTo != in.Period {
			continue
		}
		out.Items = append(out.Items, it)
	}
	return out, nil
}

// DecideInput is a person's decision on an item.
type DecideInput struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	// Action: explain, accept, carry (to the next period) or reopen.
	Action string `json:"action"`
	Note   string `json:"note"`
	By     string `json:"by,omitempty"`
}

// Decide records a decision on an item: explained or accepted with a
// note, or carried forward to the next period, or reopened.
func (s *Service) Decide(in DecideInput) (*Item, error) {
	if strings.TrimSpace(in.Note) == "" && in.Action != "reopen" {
		return nil, errors.New("say why: --note is required")
	}
	items, err := s.loadItems(in.Name)
	if err != nil {
		return nil, err
	}
	for i := range items {
		it := &items[i]
		if it.ID != in.ID {
			continue
		}
		switch in.Action {
		case "explain":
			it.Status = StatusExplained
		case "accept":
			it.Status = StatusAccepted
		case "carry":
			if it.Period == "" {
				return nil, errors.New("only an item of a period can be carried forward (run the reconciliation with --period)")
			}
			p, _ := time.Parse("2006-01", it.Period)
			it.Status, it.CarryTo = StatusCarried, p.AddDate(0, 1, 0).Format("2006-01")
		case "reopen":
			it.Status, it.CarryTo = StatusOpen, ""
		default:
			return nil, fmt.Errorf("action %q: want explain, accept, carry or reopen", in.Action)
		}
		it.Note, it.By, it.At = strings.TrimSpace(in.Note), in.By, s.now().UTC()
		if err := s.saveItems(in.Name, items); err != nil {
			return nil, err
		}
		return it, nil
	}
	return nil, fmt.Errorf("reconciliation %s has no item %q (see `databridge reconcile items %s --all`)", in.Name, in.ID, in.Name)
}
