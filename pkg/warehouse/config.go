// Package warehouse is the modeler: it turns hierarchies bound to fact
// sources (and, once semantic analysis lands, the approved canonical model)
// into warehouse objects — per hierarchy the pipeline TBL_0 → VW_1 → DT_2 →
// DT_3A → DT_3 — each with its kind on the target engine, its dependencies,
// its DDL and load statements and a checksum, forming a DAG with a
// topological order. SQL is built through pkg/dialect.
package warehouse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/project"
)

// ConfigFile is the warehouse design settings, user-authored YAML next to
// config.yaml.
const ConfigFile = "warehouse.yaml"

// Config is .databridge/warehouse.yaml.
type Config struct {
	// Schema the objects are created in ("" = the connection's default).
	Schema string `json:"schema,omitempty" yaml:"schema,omitempty"`
	// Names overrides the object name prefixes.
	Names Names `json:"names,omitempty" yaml:"names,omitempty"`
	// Snowflake settings for dynamic tables.
	Snowflake SnowflakeOptions `json:"snowflake,omitempty" yaml:"snowflake,omitempty"`
	// Grants are given on every generated object (05_grants.sql).
	Grants []GrantSpec `json:"grants,omitempty" yaml:"grants,omitempty"`
	// Model names the approved canonical model whose staging, dimension
	// and fact objects the design includes ("" = none).
	Model string `json:"model,omitempty" yaml:"model,omitempty"`
	// Bindings attach hierarchies to fact sources.
	Bindings []Binding `json:"bindings" yaml:"bindings"`
}

// Names are the object name prefixes; each object is <prefix><NAME>.
type Names struct {
	Hierarchy string `json:"hierarchy,omitempty" yaml:"hierarchy,omitempty"` // TBL_0_
	Mapping   string `json:"mapping,omitempty" yaml:"mapping,omitempty"`     // suffix, _MAPPING
	View      string `json:"view,omitempty" yaml:"view,omitempty"`           // VW_1_
	Joined    string `json:"joined,omitempty" yaml:"joined,omitempty"`       // DT_2_
	Aggregate string `json:"aggregate,omitempty" yaml:"aggregate,omitempty"` // DT_3A_
	Final     string `json:"final,omitempty" yaml:"final,omitempty"`         // DT_3_
}

func (n Names) withDefaults() Names {
	def := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	return Names{
		Hierarchy: def(n.Hierarchy, "TBL_0_"),
		Mapping:   def(n.Mapping, "_MAPPING"),
		View:      def(n.View, "VW_1_"),
		Joined:    def(n.Joined, "DT_2_"),
		Aggregate: def(n.Aggregate, "DT_3A_"),
		Final:     def(n.Final, "DT_3_"),
	}
}

// SnowflakeOptions configure dynamic tables.
type SnowflakeOptions struct {
	Warehouse   string `json:"warehouse,omitempty" yaml:"warehouse,omitempty"`
	TargetLag   string `json:"target_lag,omitempty" yaml:"target_lag,omitempty"`     // DT_3's lag; intermediates are DOWNSTREAM
	RefreshMode string `json:"refresh_mode,omitempty" yaml:"refresh_mode,omitempty"` // AUTO, FULL, INCREMENTAL
	// Materialize is dynamic_table (default) or table: plain tables
	// (CREATE OR REPLACE TABLE AS, refreshed by re-running the script) for
	// accounts that do not use dynamic tables.
	Materialize string `json:"materialize,omitempty" yaml:"materialize,omitempty"`
}

func (o SnowflakeOptions) dynamic() bool {
	return o.Materialize == "" || o.Materialize == "dynamic_table"
}

// GrantSpec grants a privilege on every generated object to a role.
type GrantSpec struct {
	Role      string `json:"role" yaml:"role"`
	Privilege string `json:"privilege,omitempty" yaml:"privilege,omitempty"` // default SELECT
}

// Binding attaches a hierarchy to the fact table its leaves' codes come
// from.
type Binding struct {
	Hierarchy string `json:"hierarchy" yaml:"hierarchy"`
	// Source is the fact table in the target warehouse (schema.table
	// allowed).
	Source string `json:"source" yaml:"source"`
	// CodeColumn is the source column holding the codes (default: the
	// rules' column).
	CodeColumn string `json:"code_column,omitempty" yaml:"code_column,omitempty"`
	// RuleColumn selects which rules apply (default: the hierarchy's
	// first source column).
	RuleColumn string `json:"rule_column,omitempty" yaml:"rule_column,omitempty"`
	// Values are the amount columns summed.
	Values []string `json:"values" yaml:"values"`
	// GroupBy are extra grouping columns kept through the pipeline
	// (period, entity, ...).
	GroupBy []string `json:"group_by,omitempty" yaml:"group_by,omitempty"`
	// Name is the object name stem (default: the hierarchy id upper-cased).
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
}

// LoadConfig reads .databridge/warehouse.yaml; a missing file is an empty
// config.
func LoadConfig(p *project.Project) (*Config, error) {
	path := p.Path(ConfigFile)
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return &Config{Bindings: []Binding{}}, nil
		}
		return nil, err
	}
	return ParseConfig(path, data)
}

// ParseConfig decodes warehouse.yaml, reporting file and line.
func ParseConfig(path string, data []byte) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return &Config{Bindings: []Binding{}}, nil
		}
		return nil, project.YAMLError(path, err)
	}
	if c.Bindings == nil {
		c.Bindings = []Binding{}
	}
	switch c.Snowflake.Materialize {
	case "", "dynamic_table", "table":
	default:
		return nil, fmt.Errorf("%s: snowflake.materialize must be dynamic_table or table, not %q", path, c.Snowflake.Materialize)
	}
	for i, b := range c.Bindings {
		if err := b.check(); err != nil {
			return nil, fmt.Errorf("%s: binding %d: %w", path, i+1, err)
		}
	}
	return &c, nil
}

func (b Binding) check() error {
	if b.Hierarchy == "" {
		return errors.New("hierarchy is required")
	}
	if b.Source == "" {
		return fmt.Errorf("binding of %s: source (the fact table) is required", b.Hierarchy)
	}
	if _, err := ParseSourceName(b.Source); err != nil {
		return fmt.Errorf("binding of %s: %w", b.Hierarchy, err)
	}
	if len(b.Values) == 0 {
		return fmt.Errorf("binding of %s: values (the amount columns) are required", b.Hierarchy)
	}
	seen := map[string]bool{}
	for _, c := range append(append([]string{}, b.Values...), b.GroupBy...) {
		if c == "" {
			return fmt.Errorf("binding of %s: empty column name", b.Hierarchy)
		}
		if seen[strings.ToLower(c)] {
			return fmt.Errorf("binding of %s: column %s is listed twice", b.Hierarchy, c)
		}
		seen[strings.ToLower(c)] = true
	}
	return nil
}

// ParseSourceName splits a binding's source — table, schema.table or
// database.schema.table — into a name; anything else (more parts, an empty
// part) is an error saying what is allowed.
func ParseSourceName(source string) (d.Name, error) {
	parts := strings.Split(source, ".")
	if len(parts) > 3 {
		return d.Name{}, fmt.Errorf("source %q has %d dot-separated parts: use table, schema.table or database.schema.table", source, len(parts))
	}
	for _, x := range parts {
		if strings.TrimSpace(x) == "" {
			return d.Name{}, fmt.Errorf("source %q has an empty part: use table, schema.table or database.schema.table", source)
		}
	}
	return d.N(parts...), nil
}

// SaveConfig writes warehouse.yaml atomically (callers hold the project lock).
func SaveConfig(p *project.Project, c *Config) error {
	var buf bytes.Buffer
	buf.WriteString("# databridge warehouse design: hierarchies bound to fact sources, names, grants.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return project.WriteFileAtomic(filepath.Join(p.Dir, ConfigFile), buf.Bytes(), 0o644)
}
