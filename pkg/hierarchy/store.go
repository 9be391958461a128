package hierarchy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/project"
)

// Store keeps hierarchies under .databridge/hierarchies/: the current
// version of each as <id>.yaml, and every published version as
// versions/<id>/v<N>.yaml (immutable once written).
type Store struct {
	Dir string
	// CacheDir, when set, holds a parsed copy of each hierarchy keyed by
	// the SHA-256 of its YAML, so loading a large hierarchy again skips the
	// YAML decoder. The YAML file stays the only source of truth: a stale or
	// unreadable cache entry is ignored.
	CacheDir string
	// Lock serialises writers across processes (the project lock).
	Lock func(ctx context.Context) (func(), error)
	// Now is the clock (tests pin it).
	Now func() time.Time

	// project is where changes are published as events, once the lock
	// is released (nil: nowhere).
	project *project.Project
}

// NewStore returns the store of a project.
func NewStore(p *project.Project) *Store {
	return &Store{
		Dir:      p.Path(project.HierarchiesDir),
		CacheDir: p.Path(project.StateDir, "cache", "hierarchies"),
		Lock:     func(ctx context.Context) (func(), error) { return p.Lock(ctx, 0) },
		Now:      func() time.Time { return time.Now().UTC().Truncate(time.Second) },
		project:  p,
	}
}

// ErrNotFound is returned for an unknown hierarchy id or version.
var ErrNotFound = errors.New("hierarchy not found")

func (s *Store) path(id string) string { return filepath.Join(s.Dir, id+".yaml") }

func (s *Store) versionPath(id string, v int) string {
	return filepath.Join(s.Dir, "versions", id, fmt.Sprintf("v%04d.yaml", v))
}

// Summary is one line of `hierarchy list`.
type Summary struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Kind      Kind      `json:"kind"`
	Version   int       `json:"version"`
	Status    Status    `json:"status"`
	Nodes     int       `json:"nodes"`
	Leaves    int       `json:"leaves"`
	Formulas  int       `json:"formulas"`
	Rules     int       `json:"rules"`
	UpdatedAt time.Time `json:"updated_at"`
	// Error is set when the file could not be loaded.
	Error string `json:"error,omitempty"`
}

// Summarize counts a hierarchy's parts.
func Summarize(h *Hierarchy) Summary {
	s := Summary{ID: h.ID, Name: h.Name, Kind: h.Kind, Version: h.Version, Status: h.Status, Nodes: len(h.Nodes), UpdatedAt: h.UpdatedAt}
	for _, n := range h.Nodes {
		switch n.Type {
		case TypeLeaf:
			s.Leaves++
		case TypeFormula:
			s.Formulas++
		}
		s.Rules += len(n.Rules)
	}
	return s
}

// List summarises every hierarchy, sorted by id. A file that does not load
// is listed with its error rather than hiding the others.
func (s *Store) List() ([]Summary, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		if os.IsNotExist(err) {
			return []Summary{}, nil
		}
		return nil, err
	}
	out := []Summary{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		id := strings.TrimSuffix(e.Name(), ".yaml")
		h, err := s.Get(id)
		if err != nil {
			out = append(out, Summary{ID: id, Error: err.Error()})
			continue
		}
		out = append(out, Summarize(h))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Exists reports whether a hierarchy file exists.
func (s *Store) Exists(id string) bool {
	_, err := os.Stat(s.path(id))
	return err == nil
}

// Get loads the current version of a hierarchy.
func (s *Store) Get(id string) (*Hierarchy, error) {
	if err := ValidID(id); err != nil {
		return nil, err
	}
	return s.load(s.path(id), id)
}

// GetVersion loads a published version, or the current one when version
// is the current version number.
func (s *Store) GetVersion(id string, version int) (*Hierarchy, error) {
	cur, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	if version == cur.Version {
		return cur, nil
	}
	h, err := s.load(s.versionPath(id, version), id)
	if err != nil && errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w: %s has no published version %d (see `hierarchy history %s`)", ErrNotFound, id, version, id)
	}
	return h, err
}

func (s *Store) load(path, id string) (*Hierarchy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			known := s.ids()
			hint := "none exist yet; create one with `databridge hierarchy create` or `hierarchy new --template`"
			if len(known) > 0 {
				hint = "known: " + strings.Join(known, ", ")
			}
			return nil, fmt.Errorf("%w: %q (%s)", ErrNotFound, id, hint)
		}
		return nil, err
	}
	h, err := s.parseCached(path, data)
	if err != nil {
		return nil, err
	}
	if h.ID != id {
		return nil, &project.ConfigError{File: path, Line: 1, Msg: fmt.Sprintf("id %q does not match the file name (%s.yaml)", h.ID, id)}
	}
	return h, nil
}

func (s *Store) ids() []string {
	entries, _ := os.ReadDir(s.Dir)
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") {
			out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
		}
	}
	return out
}

// Parse decodes a hierarchy document. Malformed YAML and unknown fields
// are reported with file and line. Structural problems are not errors
// here (validate reports them), so a broken file can still be inspected
// and repaired.
func Parse(path string, data []byte) (*Hierarchy, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var h Hierarchy
	if err := dec.Decode(&h); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &project.ConfigError{File: path, Msg: "file is empty"}
		}
		return nil, project.YAMLError(path, err)
	}
	for i, n := range h.Nodes {
		if n == nil {
			return nil, &project.ConfigError{File: path, Msg: fmt.Sprintf("node %d is empty", i+1)}
		}
	}
	return &h, nil
}

// Marshal renders a hierarchy as YAML.
func Marshal(h *Hierarchy) ([]byte, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# databridge hierarchy %s, version %d (%s). Edit with `databridge hierarchy ...` or by hand;\n# run `databridge hierarchy validate %s` after hand edits.\n", h.ID, h.Version, h.Status, h.ID)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(h); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (s *Store) write(path string, h *Hierarchy) error {
	data, err := Marshal(h)
	if err != nil {
		return err
	}
	return project.WriteFileAtomic(path, data, 0o644)
}

// Create stores a new hierarchy (version 1, draft). It refuses an id that
// exists and a hierarchy with integrity errors.
func (s *Store) Create(ctx context.Context, h *Hierarchy) (*Hierarchy, error) {
	return s.emit(ctx, events.HierarchyUpdated, h.ID)(s.create(ctx, h, true))
}

// create is Create; with write false it runs every check and returns what
// would be stored, without writing (a dry run takes the same path).
func (s *Store) create(ctx context.Context, h *Hierarchy, write bool) (*Hierarchy, error) {
	if err := ValidID(h.ID); err != nil {
		return nil, err
	}
	unlock, err := s.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if s.Exists(h.ID) {
		return nil, fmt.Errorf("hierarchy %q already exists (choose another id, or delete it first)", h.ID)
	}
	h = h.Clone()
	now := s.Now()
	h.Version, h.Status = 1, StatusDraft
	h.CreatedAt, h.UpdatedAt, h.PublishedAt = now, now, nil
	if h.Kind == "" {
		h.Kind = KindCustom
	}
	if h.Nodes == nil {
		h.Nodes = []*Node{}
	}
	h.Normalize()
	if errs := CheckIntegrity(h); len(errs) > 0 {
		return nil, &IntegrityError{ID: h.ID, Findings: errs}
	}
	if !write {
		return h, nil
	}
	if err := s.write(s.path(h.ID), h); err != nil {
		return nil, err
	}
	return h, nil
}

// Update applies fn to the current version under the project lock. If the
// current version is published, the change starts a new draft (version+1)
// and the published version stays as it was. fn's change is refused —
// and nothing is written — if fn fails or the result has integrity errors
// it did not have before.
func (s *Store) Update(ctx context.Context, id string, fn func(h *Hierarchy) error) (*Hierarchy, error) {
	return s.emit(ctx, events.HierarchyUpdated, id)(s.update(ctx, id, fn, true))
}

// update is Update; with write false it runs fn and every check and returns
// the hierarchy as it would be stored, without writing: a dry run takes
// exactly the path of the real change.
func (s *Store) update(ctx context.Context, id string, fn func(h *Hierarchy) error, write bool) (*Hierarchy, error) {
	unlock, err := s.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	cur, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	before := CheckIntegrity(cur)
	h := cur.Clone()
	if err := fn(h); err != nil {
		return nil, err
	}
	if h.ID != id {
		return nil, fmt.Errorf("the id of a hierarchy cannot be changed (copy it instead)")
	}
	h.Normalize()
	if bad := newFindings(before, CheckIntegrity(h)); len(bad) > 0 {
		return nil, &IntegrityError{ID: id, Findings: bad}
	}
	if cur.Status == StatusPublished {
		h.Version = cur.Version + 1
		h.Status = StatusDraft
		h.PublishedAt = nil
	}
	h.UpdatedAt = s.Now()
	if !write {
		return h, nil
	}
	if err := s.write(s.path(id), h); err != nil {
		return nil, err
	}
	return h, nil
}

// Delete removes a hierarchy and its published versions.
func (s *Store) Delete(ctx context.Context, id string) error {
	_, err := s.emit(ctx, events.HierarchyUpdated, id)(nil, s.delete(ctx, id))
	return err
}

func (s *Store) delete(ctx context.Context, id string) error {
	unlock, err := s.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := s.Get(id); err != nil && errors.Is(err, ErrNotFound) {
		return err
	}
	if err := os.Remove(s.path(id)); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(s.Dir, "versions", id))
}

// Copy stores a copy of a hierarchy under a new id (and optionally name),
// as version 1 draft.
func (s *Store) Copy(ctx context.Context, from, to, name string) (*Hierarchy, error) {
	src, err := s.Get(from)
	if err != nil {
		return nil, err
	}
	c := src.Clone()
	c.ID = to
	if name != "" {
		c.Name = name
	} else {
		c.Name = src.Name + " (copy)"
	}
	return s.Create(ctx, c)
}

// Publish freezes the current draft: it is written to versions/ and marked
// published. Publishing refuses a hierarchy with integrity errors; run
// validate for the complete check.
func (s *Store) Publish(ctx context.Context, id string) (*Hierarchy, error) {
	return s.emit(ctx, events.HierarchyPublished, id)(s.publish(ctx, id))
}

func (s *Store) publish(ctx context.Context, id string) (*Hierarchy, error) {
	unlock, err := s.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	h, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	if h.Status == StatusPublished {
		return nil, fmt.Errorf("hierarchy %s version %d is already published (change it to start version %d)", id, h.Version, h.Version+1)
	}
	if errs := CheckIntegrity(h); len(errs) > 0 {
		return nil, &IntegrityError{ID: id, Findings: errs}
	}
	now := s.Now()
	h.Status = StatusPublished
	h.PublishedAt = &now
	h.UpdatedAt = now
	vp := s.versionPath(id, h.Version)
	if _, err := os.Stat(vp); err == nil {
		return nil, fmt.Errorf("version %d of %s is already stored in %s; refusing to overwrite a published version", h.Version, id, vp)
	}
	if err := s.write(vp, h); err != nil {
		return nil, err
	}
	if err := s.write(s.path(id), h); err != nil {
		return nil, err
	}
	return h, nil
}

// VersionInfo is one entry of a hierarchy's history.
type VersionInfo struct {
	Version     int        `json:"version"`
	Status      Status     `json:"status"`
	Current     bool       `json:"current"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Nodes       int        `json:"nodes"`
	Rules       int        `json:"rules"`
}

// History lists published versions and the current one, oldest first.
func (s *Store) History(id string) ([]VersionInfo, error) {
	cur, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	entries, _ := os.ReadDir(filepath.Join(s.Dir, "versions", id))
	out := []VersionInfo{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "v") || !strings.HasSuffix(name, ".yaml") {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "v"), ".yaml"))
		if err != nil || v == cur.Version {
			continue
		}
		h, err := s.load(filepath.Join(s.Dir, "versions", id, name), id)
		if err != nil {
			return nil, err
		}
		sm := Summarize(h)
		out = append(out, VersionInfo{Version: h.Version, Status: h.Status, PublishedAt: h.PublishedAt, UpdatedAt: h.UpdatedAt, Nodes: sm.Nodes, Rules: sm.Rules})
	}
	sm := Summarize(cur)
	out = append(out, VersionInfo{Version: cur.Version, Status: cur.Status, Current: true, PublishedAt: cur.PublishedAt, UpdatedAt: cur.UpdatedAt, Nodes: sm.Nodes, Rules: sm.Rules})
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}
