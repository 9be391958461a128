package semantic

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/project"
)

// Service is semantic analysis and model review for a project, behind
// `databridge analyze`, `databridge model ...` and the MCP "semantic"
// toolset.
type Service struct {
	Project *project.Project
	Store   *model.Store
	Now     func() time.Time
}

// NewService returns the service of a project.
func NewService(p *project.Project) *Service {
	return &Service{Project: p, Store: model.NewStore(p), Now: func() time.Time { return time.Now().UTC().Truncate(time.Second) }}
}

// AnalyzeInput asks for an analysis of a connection.
type AnalyzeInput struct {
	Connection string   `json:"connection" jsonschema:"Connection to analyse (see list_connections)."`
	Schema     string   `json:"schema,omitempty" jsonschema:"Schema to analyse (default: the connection's default)."`
	Tables     []string `json:"tables,omitempty" jsonschema:"Only these tables (default: all)."`
	Name       string   `json:"name,omitempty" jsonschema:"Model name (default: derived from the connection and schema)."`
	SampleRows int64    `json:"sample_rows,omitempty" jsonschema:"Profile tables above this many rows on a sample (default 1000000; keys and relationships are confirmed on full data)."`
}

// AnalyzeResult is a stored analysis and what changed since the last one.
type AnalyzeResult struct {
	Model     *model.Model   `json:"model"`
	Changes   *model.Changes `json:"changes"`
	Previous  bool           `json:"previous"`
	ElapsedMS int64          `json:"elapsed_ms"`
}

// Analyze runs the analysis and stores the model, keeping the reviewer's
// earlier decisions.
func (s *Service) Analyze(ctx context.Context, in AnalyzeInput, progress Progress) (*AnalyzeResult, error) {
	if in.Connection == "" {
		return nil, errors.New("a connection is required")
	}
	name := in.Name
	if name == "" {
		name = model.NameFor(in.Connection, in.Schema)
	}
	if err := model.ValidName(name); err != nil {
		return nil, err
	}
	start := time.Now()
	conn, err := connections.New(s.Project).Connect(ctx, in.Connection, true)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	fresh, err := Analyze(ctx, conn, name, Options{Schema: in.Schema, Tables: in.Tables, SampleRows: in.SampleRows}, progress)
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", in.Connection, err)
	}
	var prev *model.Model
	if s.Store.Exists(name) {
		if prev, err = s.Store.Get(name); err != nil {
			return nil, fmt.Errorf("the previous model %s cannot be read, so its decisions would be lost; fix or move it first: %w", name, err)
		}
	}
	m, ch := model.Reconcile(prev, fresh)
	if err := s.Store.Put(ctx, m); err != nil {
		return nil, err
	}
	return &AnalyzeResult{Model: m, Changes: ch, Previous: prev != nil, ElapsedMS: time.Since(start).Milliseconds()}, nil
}

// Resolve picks the model: the given name, or the only one.
func (s *Service) Resolve(name string) (string, error) {
	if name != "" {
		return name, nil
	}
	names, err := s.Store.List()
	if err != nil {
		return "", err
	}
	switch len(names) {
	case 0:
		return "", errors.New("no model yet: run `databridge analyze CONNECTION` first")
	case 1:
		return names[0], nil
	}
	return "", fmt.Errorf("several models (%s): say which with --model", strings.Join(names, ", "))
}

// Get loads a model ("" = the only one).
func (s *Service) Get(name string) (*model.Model, error) {
	n, err := s.Resolve(name)
	if err != nil {
		return nil, err
	}
	return s.Store.Get(n)
}

// List lists model names.
func (s *Service) List() ([]string, error) { return s.Store.List() }

// NormalizeEntity is an entity name as models store it, from every face:
// trimmed, lower case.
func NormalizeEntity(s string) model.Entity {
	return model.Entity(strings.ToLower(strings.TrimSpace(s)))
}

// Decide records a reviewer decision on a model.
func (s *Service) Decide(ctx context.Context, name string, d model.Decision) (*model.Model, error) {
	d.Entity = NormalizeEntity(string(d.Entity))
	if d.Action == model.ActionMergeColumns && strings.TrimSpace(d.Strategy) == "" {
		d.Strategy = "coalesce"
	}
	n, err := s.Resolve(name)
	if err != nil {
		return nil, err
	}
	return s.Store.Update(ctx, n, func(m *model.Model) error { return m.Decide(d, s.Now()) })
}

// ApproveEntityInput confirms or corrects a table's entity and role.
type ApproveEntityInput struct {
	Model  string `json:"model,omitempty" jsonschema:"Model name (default: the only model)."`
	Table  string `json:"table" jsonschema:"The table."`
	Entity string `json:"entity" jsonschema:"customer, vendor, employee, cost_center, department, legal_entity, product, geography, time, chart_of_accounts, currency, project, order, transaction or other."`
	As     string `json:"as,omitempty" jsonschema:"Role: fact, snapshot, accumulating, factless, dimension, bridge or time (or a full role name)."`
}

// ApproveEntity records the reviewer's decision on a table's entity (and
// role, with As, read by ParseRole); the entity is normalised by Decide.
func (s *Service) ApproveEntity(ctx context.Context, in ApproveEntityInput) (*model.Model, error) {
	d := model.Decision{Action: model.ActionApproveEntity, Table: in.Table, Entity: model.Entity(in.Entity)}
	if strings.TrimSpace(in.As) != "" {
		r, err := ParseRole(in.As)
		if err != nil {
			return nil, err
		}
		d.Role = r
	}
	return s.Decide(ctx, in.Model, d)
}

// Approve freezes a model for generation.
func (s *Service) Approve(ctx context.Context, name string) (*model.Model, error) {
	n, err := s.Resolve(name)
	if err != nil {
		return nil, err
	}
	return s.Store.Update(ctx, n, func(m *model.Model) error { return m.Approve(s.Now()) })
}

// ParseRole accepts a role or a short form (fact, snapshot, accumulating,
// factless, dimension, bridge, time).
func ParseRole(s string) (model.Role, error) {
	short := map[string]model.Role{
		"fact": model.RoleTransactionFact, "transaction": model.RoleTransactionFact, "snapshot": model.RoleSnapshotFact,
		"periodic_snapshot": model.RoleSnapshotFact, "accumulating": model.RoleAccumulatingFact, "factless": model.RoleFactlessFact,
		"dimension": model.RoleDimension, "dim": model.RoleDimension, "bridge": model.RoleBridge, "time": model.RoleTimeDimension,
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if r, ok := short[s]; ok {
		return r, nil
	}
	for _, r := range model.Roles {
		if string(r) == s {
			return r, nil
		}
	}
	var all []string
	for _, r := range model.Roles {
		all = append(all, string(r))
	}
	return "", fmt.Errorf("unknown role %q (fact, snapshot, accumulating, factless, dimension, bridge, time, or one of %s)", s, strings.Join(all, ", "))
}
