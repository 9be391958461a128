package model

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/project"
)

// Store keeps models as .databridge/models/<name>.yaml.
type Store struct {
	Dir  string
	Lock func(ctx context.Context) (func(), error)
}

// NewStore returns the store of a project.
func NewStore(p *project.Project) *Store {
	return &Store{Dir: p.Path(project.ModelsDir), Lock: func(ctx context.Context) (func(), error) { return p.Lock(ctx, 0) }}
}

// ErrNotFound is returned for an unknown model.
var ErrNotFound = errors.New("model not found")

var nameRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// ValidName checks a model name.
func ValidName(n string) error {
	if !nameRe.MatchString(n) {
		return fmt.Errorf("model name %q is not valid: lower-case letters, digits and _, starting with a letter", n)
	}
	return nil
}

// NameFor derives a model name from a connection (and schema).
func NameFor(connection, schema string) string {
	s := strings.ToLower(connection)
	if schema != "" && schema != "main" && schema != "public" {
		s += "_" + strings.ToLower(schema)
	}
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || out[0] < 'a' || out[0] > 'z' {
		out = "m_" + out
	}
	return out
}

func (s *Store) path(name string) string { return filepath.Join(s.Dir, name+".yaml") }

// Exists reports whether a model file exists.
func (s *Store) Exists(name string) bool {
	_, err := os.Stat(s.path(name))
	return err == nil
}

// Get loads a model.
func (s *Store) Get(name string) (*Model, error) {
	if err := ValidName(name); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(s.path(name))
	if err != nil {
		if os.IsNotExist(err) {
			names, _ := s.List()
			hint := "run `databridge analyze CONNECTION` first"
			if len(names) > 0 {
				hint = "known: " + strings.Join(names, ", ")
			}
			return nil, fmt.Errorf("%w: %q (%s)", ErrNotFound, name, hint)
		}
		return nil, err
	}
	return Parse(s.path(name), data)
}

// Parse decodes a model document with file:line errors.
func Parse(path string, data []byte) (*Model, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var m Model
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &project.ConfigError{File: path, Msg: "file is empty"}
		}
		return nil, project.YAMLError(path, err)
	}
	return &m, nil
}

// List returns the model names, sorted.
func (s *Store) List() ([]string, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		if os.IsNotExist(err) {
			return []string{}, nil
		}
		return nil, err
	}
	out := []string{}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") {
			out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
		}
	}
	sort.Strings(out)
	return out, nil
}

// Save writes a model atomically (callers hold the lock via Update).
func (s *Store) save(m *Model) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# databridge canonical model %s (%s) of connection %s.\n# Review with `databridge model ...`; re-running `databridge analyze` keeps the decisions below.\n", m.Name, m.Status, m.Connection)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return project.WriteFileAtomic(s.path(m.Name), buf.Bytes(), 0o644)
}

// Put stores a model (creating or replacing it) under the project lock.
func (s *Store) Put(ctx context.Context, m *Model) error {
	if err := ValidName(m.Name); err != nil {
		return err
	}
	unlock, err := s.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	return s.save(m)
}

// Update applies fn to a model under the lock; nothing is written if fn
// fails.
func (s *Store) Update(ctx context.Context, name string, fn func(m *Model) error) (*Model, error) {
	unlock, err := s.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	m, err := s.Get(name)
	if err != nil {
		return nil, err
	}
	if err := fn(m); err != nil {
		return nil, err
	}
	if err := s.save(m); err != nil {
		return nil, err
	}
	return m, nil
}
