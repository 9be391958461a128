package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/model"

	"github.com/databridge/databridge/pkg/connector"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/project"
)

// Service designs the warehouse of a project.
type Service struct {
	Project *project.Project
}

// NewService returns the service of a project.
func NewService(p *project.Project) *Service { return &Service{Project: p} }

// Dialects are the engines the modeler generates for.
var Dialects = []string{"duckdb", "postgres", "snowflake", "sqlserver", "mysql", "bigquery", "databricks"}

// DefaultDialect is the dialect of the project's default target.
func (s *Service) DefaultDialect() string {
	c, ok := s.Project.Config.Connections[s.Project.Config.DefaultTarget]
	if ok {
		if e, ok := connector.Lookup(c.Type); ok {
			return e.Dialect
		}
	}
	return "duckdb"
}

// DesignInput asks for a design.
type DesignInput struct {
	Dialect     string   `json:"dialect,omitempty" jsonschema:"Target engine: duckdb, postgres, snowflake, sqlserver, mysql, bigquery or databricks (default: the project's default target)."`
	Hierarchies []string `json:"hierarchies,omitempty" jsonschema:"Limit the design to these bound hierarchy ids (default: every binding)."`
}

// Design builds the design for the project's bindings.
func (s *Service) Design(ctx context.Context, in DesignInput) (*Design, error) {
	inp, err := s.Inputs(ctx, in)
	if err != nil {
		return nil, err
	}
	return Build(*inp)
}

// Inputs gathers what a design is built from: the dialect, warehouse.yaml,
// the bound hierarchies, and the approved model with how the target reads
// its tables. The dbt generator (Advanced Mode) starts from the same.
func (s *Service) Inputs(ctx context.Context, in DesignInput) (*Input, error) {
	if in.Dialect == "" {
		in.Dialect = s.DefaultDialect()
	}
	in.Dialect = strings.ToLower(in.Dialect)
	ok := false
	for _, x := range Dialects {
		if x == in.Dialect {
			ok = true
		}
	}
	if !ok {
		return nil, fmt.Errorf("unknown dialect %q (use one of %s)", in.Dialect, strings.Join(Dialects, ", "))
	}
	cfg, err := LoadConfig(s.Project)
	if err != nil {
		return nil, err
	}
	if len(cfg.Bindings) == 0 && cfg.Model == "" {
		return nil, fmt.Errorf("no hierarchy is bound to a fact source yet: run `databridge generate bind HIERARCHY --source TABLE --value COLUMN` (it writes .databridge/%s)", ConfigFile)
	}
	var m *model.Model
	var sources map[string]Source
	if cfg.Model != "" {
		if m, err = model.NewStore(s.Project).Get(cfg.Model); err != nil {
			return nil, fmt.Errorf("%s model: %w", ConfigFile, err)
		}
		if sources, err = s.sources(ctx, m, in.Dialect); err != nil {
			return nil, err
		}
	}
	if d.Capabilities(in.Dialect).DynamicTables && cfg.Snowflake.dynamic() && cfg.Snowflake.Warehouse == "" {
		// Dynamic tables need a warehouse: take the one of the project's
		// Snowflake connection (the default target first).
		names := append([]string{s.Project.Config.DefaultTarget}, s.Project.Config.ConnectionNames()...)
		for _, n := range names {
			if c, ok := s.Project.Config.Connections[n]; ok && c.Type == "snowflake" && c.Warehouse != "" && !connector.IsEnvRef(c.Warehouse) {
				cfg.Snowflake.Warehouse = c.Warehouse
				break
			}
		}
		if cfg.Snowflake.Warehouse == "" {
			return nil, fmt.Errorf("Snowflake dynamic tables need a warehouse: set snowflake.warehouse in .databridge/%s, add a Snowflake connection with --warehouse, or set snowflake.materialize: table", ConfigFile)
		}
	}
	store := hierarchy.NewStore(s.Project)
	hs := map[string]*hierarchy.Hierarchy{}
	for _, b := range cfg.Bindings {
		if _, done := hs[b.Hierarchy]; done {
			continue
		}
		h, err := store.Get(b.Hierarchy)
		if err != nil {
			return nil, fmt.Errorf("%s binding: %w", ConfigFile, err)
		}
		hs[b.Hierarchy] = h
	}
	return &Input{Dialect: in.Dialect, Config: cfg, Hierarchies: hs, Only: in.Hierarchies, Model: m, Sources: sources}, nil
}

// sources says how the target reads each model table: files of a files
// connection are read by DuckDB directly; a table of the target's own
// database is read in place.
func (s *Service) sources(ctx context.Context, m *model.Model, dialect string) (map[string]Source, error) {
	c, ok := s.Project.Config.Connections[m.Connection]
	if !ok {
		return nil, fmt.Errorf("model %s: its connection %q is not configured", m.Name, m.Connection)
	}
	out := map[string]Source{}
	switch {
	case c.Type == "files":
		if !d.Capabilities(dialect).FileSources {
			return nil, fmt.Errorf("model %s reads files (connection %s): only a DuckDB target reads them directly; load them into the %s target first and analyse that", m.Name, m.Connection, dialect)
		}
		conn, err := connections.New(s.Project).Connect(ctx, m.Connection, true)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		tables, err := conn.Tables(ctx, "")
		if err != nil {
			return nil, err
		}
		for _, t := range tables {
			format := strings.TrimPrefix(strings.ToLower(filepath.Ext(strings.TrimSuffix(strings.TrimSuffix(t.Location, ".gz"), ".zst"))), ".")
			switch format {
			case "pq":
				format = "parquet"
			case "ndjson", "jsonl":
				format = "json"
			}
			out[t.Name] = Source{File: t.Location, Format: format, Version: fileVersion(t.Location)}
		}
	case m.Connection == s.Project.Config.DefaultTarget:
		for _, t := range m.Tables {
			schema := t.Schema
			if schema == "" {
				schema = m.Schema
			}
			out[t.Name] = Source{Table: dialect2Name(schema, t.Name)}
		}
	default:
		return nil, fmt.Errorf("model %s comes from connection %s, which is not the target: staging across databases is not supported yet; analyse tables of the target itself, or a files connection for a DuckDB target", m.Name, m.Connection)
	}
	for _, t := range m.Tables {
		if _, ok := out[t.Name]; !ok {
			return nil, fmt.Errorf("model table %s is no longer in connection %s: re-run analyze", t.Name, m.Connection)
		}
	}
	return out, nil
}

// Bind adds or replaces the binding of a hierarchy (matched by hierarchy
// and name) in warehouse.yaml.
func (s *Service) Bind(ctx context.Context, b Binding) (*Config, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	if _, err := hierarchy.NewStore(s.Project).Get(b.Hierarchy); err != nil {
		return nil, err
	}
	unlock, err := s.Project.Lock(ctx, 0)
	if err != nil {
		return nil, err
	}
	defer unlock()
	cfg, err := LoadConfig(s.Project)
	if err != nil {
		return nil, err
	}
	replaced := false
	for i, x := range cfg.Bindings {
		if x.Hierarchy == b.Hierarchy && x.Name == b.Name {
			cfg.Bindings[i] = b
			replaced = true
		}
	}
	if !replaced {
		cfg.Bindings = append(cfg.Bindings, b)
	}
	if err := SaveConfig(s.Project, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// UseModel makes the named canonical model the model of the design
// (warehouse.yaml model:), so generate, deploy and validate build its
// staging, dimension and fact objects. Approving a model does this (see
// workflow.ApproveModel).
func (s *Service) UseModel(ctx context.Context, name string) error {
	unlock, err := s.Project.Lock(ctx, 0)
	if err != nil {
		return err
	}
	defer unlock()
	cfg, err := LoadConfig(s.Project)
	if err != nil {
		return err
	}
	if cfg.Model == name {
		return nil
	}
	cfg.Model = name
	return SaveConfig(s.Project, cfg)
}

// PreviewInput asks for one object's DDL.
type PreviewInput struct {
	Object  string `json:"object" jsonschema:"Object name, e.g. DT_3_ACME_PL (case-insensitive)."`
	Dialect string `json:"dialect,omitempty" jsonschema:"Target engine (default: the project's default target)."`
}

// Preview returns one object of the design with its DDL and load
// statements.
func (s *Service) Preview(ctx context.Context, in PreviewInput) (*Object, error) {
	ds, err := s.Design(ctx, DesignInput{Dialect: in.Dialect})
	if err != nil {
		return nil, err
	}
	o := ds.Object(in.Object)
	if o == nil {
		return nil, fmt.Errorf("no object %q in the design (objects: %s)", in.Object, strings.Join(ds.Order, ", "))
	}
	return o, nil
}

// fileVersion fingerprints a source file (or a folder of files) by size
// and modification time; "" when it cannot be read (the deploy then
// compares the SQL only).
func fileVersion(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	if !fi.IsDir() {
		return fmt.Sprintf("%d-%d", fi.Size(), fi.ModTime().UnixNano())
	}
	h := sha256.New()
	_ = filepath.WalkDir(path, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return nil
		}
		if info, err := e.Info(); err == nil {
			fmt.Fprintf(h, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}
