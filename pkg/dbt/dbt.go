// Package dbt is Advanced Mode: the warehouse the modeler designs
// (pkg/warehouse), written as a complete dbt project. The SQL of every
// model is the modeler's own query tree, rendered for the adapter with
// ref() and source() in place of object names; the hierarchies become
// seeds; keys, relationships, mapping completeness and tie-outs become dbt
// data tests.
package dbt

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/warehouse"
)

// DefaultDBTVersion is the require-dbt-version written when Input leaves
// it empty.
const DefaultDBTVersion = ">=1.8.0,<2.0.0"

// DefaultProjectName is the dbt project (and profile) name when Input
// leaves it empty.
const DefaultProjectName = "databridge_warehouse"

// Adapters maps databridge dialects to dbt adapter names (the profile
// type).
var Adapters = map[string]string{
	"duckdb": "duckdb", "postgres": "postgres", "snowflake": "snowflake", "bigquery": "bigquery",
	"databricks": "databricks", "sqlserver": "sqlserver", "mysql": "mysql",
}

// Input is what a project is generated from.
type Input struct {
	// Adapter is the target: duckdb, postgres, snowflake, bigquery,
	// databricks, sqlserver or mysql (default duckdb).
	Adapter string
	// ProjectName names the dbt project and its profile (default
	// databridge_warehouse); lower-cased, non-identifier characters
	// become "_".
	ProjectName string
	// Config is the warehouse design (bindings, names, Snowflake
	// options); Config.Schema becomes the profile's schema.
	Config *warehouse.Config
	// Model is the approved canonical model (nil = hierarchy pipeline
	// only) and Sources how each of its tables is read (keyed by model
	// table name): a table (Source.Table, schema.table in the target
	// database) or, on DuckDB only, a file (Source.File + Format), read
	// through dbt-duckdb's external_location.
	Model   *model.Model
	Sources map[string]warehouse.Source
	// Hierarchies by id; every bound hierarchy must be present.
	Hierarchies map[string]*hierarchy.Hierarchy
	// DBTVersion is require-dbt-version (default DefaultDBTVersion).
	DBTVersion string
}

// Project is a generated dbt project.
type Project struct {
	Name    string `json:"name"`
	Adapter string `json:"adapter"`
	// Files maps slash-separated paths relative to the project root to
	// their content.
	Files map[string][]byte `json:"-"`
	// Models lists the model names (seeds excluded) in dependency order.
	Models []string `json:"models"`
	// Seeds lists the seed names.
	Seeds []string `json:"seeds"`
	// Tests lists the singular test names.
	Tests []string `json:"tests"`
}

// Paths lists the file paths, sorted.
func (p *Project) Paths() []string {
	out := make([]string, 0, len(p.Files))
	for k := range p.Files {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Write writes the project under dir (each file atomically) and returns
// the paths whose content changed (new files included), sorted. Files in
// dir that the project does not contain are left alone.
func (p *Project) Write(dir string) ([]string, error) {
	var changed []string
	for _, rel := range p.Paths() {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		data := p.Files[rel]
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return changed, err
		}
		if err := project.WriteFileAtomic(path, data, 0o644); err != nil {
			return changed, err
		}
		changed = append(changed, rel)
	}
	return changed, nil
}

var nonIdent = regexp.MustCompile(`[^a-z0-9_]+`)

// ident lower-cases s and makes it a dbt-safe name.
func ident(s string) string {
	s = nonIdent.ReplaceAllString(strings.ToLower(s), "_")
	s = strings.Trim(s, "_")
	if s == "" {
		return "x"
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "_" + s
	}
	return s
}

// source is one dbt source (one _<name>__sources.yml).
type source struct {
	name   string
	schema string // "" = the target schema
	tables []*sourceTable
}

type sourceTable struct {
	name       string // dbt table name
	identifier string // the relation's name
	external   string // dbt-duckdb external_location
	columns    []string
	modelTable *model.Table // nil for a bound raw table
	stg        string       // the staging model
	desc       string
}

// gen holds one generation.
type gen struct {
	in      Input
	dialect string
	name    string
	files   map[string][]byte
	// placeholders: token → jinja (ref/source), replaced after rendering.
	tokens  map[string]string
	sources map[string]*source
	// object name (upper) → dbt model name
	models map[string]string
	// model table name → staging source table
	modelSrc map[string]*sourceTable
	// binding source text → staging source table
	boundSrc map[string]*sourceTable
	proj     *Project
}

// Generate builds the dbt project of a design.
func Generate(in Input) (*Project, error) {
	if in.Adapter == "" {
		in.Adapter = "duckdb"
	}
	in.Adapter = strings.ToLower(in.Adapter)
	if in.Adapter == "postgresql" {
		in.Adapter = "postgres"
	}
	adapter, ok := Adapters[in.Adapter]
	if !ok {
		return nil, fmt.Errorf("unknown dbt adapter %q (use one of duckdb, postgres, snowflake, bigquery, databricks, sqlserver, mysql)", in.Adapter)
	}
	if in.Config == nil {
		in.Config = &warehouse.Config{}
	}
	if len(in.Config.Bindings) == 0 && in.Model == nil {
		return nil, fmt.Errorf("nothing to generate: bind a hierarchy to a fact source (databridge generate bind) or approve a model")
	}
	if sf := in.Config.Snowflake; d.Capabilities(in.Adapter).DynamicTables && (sf.Materialize == "" || sf.Materialize == "dynamic_table") && sf.Warehouse == "" && len(in.Config.Bindings) > 0 {
		return nil, fmt.Errorf("dynamic tables need a warehouse: set snowflake.warehouse in .databridge/%s, or snowflake.materialize: table", warehouse.ConfigFile)
	}
	if in.DBTVersion == "" {
		in.DBTVersion = DefaultDBTVersion
	}
	name := in.ProjectName
	if name == "" {
		name = DefaultProjectName
	}
	g := &gen{in: in, dialect: in.Adapter, name: ident(name), files: map[string][]byte{}, tokens: map[string]string{},
		sources: map[string]*source{}, models: map[string]string{}, modelSrc: map[string]*sourceTable{}, boundSrc: map[string]*sourceTable{},
		proj: &Project{Name: ident(name), Adapter: adapter, Models: []string{}, Seeds: []string{}, Tests: []string{}}}
	if err := g.planSources(); err != nil {
		return nil, err
	}
	specs, err := warehouse.Specs(warehouse.Input{Dialect: g.dialect, Config: in.Config, Hierarchies: in.Hierarchies, Model: in.Model, Sources: in.Sources}, g.resolve)
	if err != nil {
		return nil, err
	}
	for _, s := range specs {
		g.models[strings.ToUpper(s.Object.Name)] = g.modelName(s.Object)
	}
	if err := g.staging(); err != nil {
		return nil, err
	}
	if err := g.objects(specs); err != nil {
		return nil, err
	}
	if err := g.singularTests(specs); err != nil {
		return nil, err
	}
	g.scaffold()
	g.proj.Files = g.files
	return g.proj, nil
}

// planSources declares the model's tables and every bound fact table the
// design does not build as dbt sources, each with a staging model.
func (g *gen) planSources() error {
	if m := g.in.Model; m != nil {
		src := &source{name: ident(m.Name)}
		tables := append([]*model.Table{}, m.Tables...)
		sort.SliceStable(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
		for _, t := range tables {
			s, ok := g.in.Sources[t.Name]
			if !ok {
				return fmt.Errorf("no source for model table %s", t.Name)
			}
			st := &sourceTable{name: ident(t.Name), identifier: t.Name, modelTable: t,
				desc: fmt.Sprintf("%s of model %s (%s, %s).", t.Name, m.Name, strings.ReplaceAll(string(t.Role), "_", " "), t.Entity)}
			for _, c := range t.Columns {
				st.columns = append(st.columns, c.Name)
			}
			switch {
			case s.File != "":
				if !d.Capabilities(g.dialect).FileSources {
					return fmt.Errorf("model table %s is a file (%s): only the duckdb adapter reads files as sources; load it into the %s warehouse and declare it as a table", t.Name, s.File, g.dialect)
				}
				fn := map[string]string{"csv": "read_csv_auto", "tsv": "read_csv_auto", "parquet": "read_parquet", "json": "read_json_auto"}[s.Format]
				if fn == "" {
					return fmt.Errorf("model table %s: unknown file format %q", t.Name, s.Format)
				}
				lit, err := d.RenderExpr(g.dialect, d.S(s.File))
				if err != nil {
					return err
				}
				// Money columns read as the model's exact decimals.
				if types := warehouse.FileDecimalTypes(s.Format, t); types != nil {
					arg, err := d.RenderExpr(g.dialect, types)
					if err != nil {
						return err
					}
					lit += ", " + arg
				}
				// dbt-duckdb formats the location with str.format_map.
				st.external = fn + "(" + strings.NewReplacer("{", "{{", "}", "}}").Replace(lit) + ")"
			default:
				if s.Table.Schema != "" {
					if src.schema != "" && src.schema != s.Table.Schema {
						return fmt.Errorf("model %s reads tables from two schemas (%s, %s): one dbt source holds one schema", m.Name, src.schema, s.Table.Schema)
					}
					src.schema = s.Table.Schema
				}
				st.identifier = s.Table.Name
			}
			st.stg = "stg_" + src.name + "__" + st.name
			src.tables = append(src.tables, st)
			g.modelSrc[t.Name] = st
		}
		g.sources[src.name] = src
	}
	known := map[string]bool{}
	if m := g.in.Model; m != nil {
		for _, t := range m.Tables {
			for _, p := range []string{"STG_", "DIM_", "FACT_"} {
				known[p+strings.ToUpper(t.Name)] = true
			}
		}
	}
	for _, b := range g.in.Config.Bindings {
		parts := strings.Split(b.Source, ".")
		tbl := parts[len(parts)-1]
		if known[strings.ToUpper(tbl)] {
			// A design object (the fact, in the design's schema or
			// not): the pipeline refs its model, as the warehouse
			// resolves bound sources by table name.
			continue
		}
		if len(parts) > 3 {
			return fmt.Errorf("binding of %s: source %q has more than three parts", b.Hierarchy, b.Source)
		}
		srcName, schema := "warehouse", ""
		if len(parts) >= 2 {
			srcName, schema = ident(parts[len(parts)-2]), parts[len(parts)-2]
		}
		src := g.sources[srcName]
		if src == nil {
			src = &source{name: srcName, schema: schema}
			g.sources[srcName] = src
		}
		var st *sourceTable
		for _, x := range src.tables {
			if x.identifier == tbl {
				st = x
			}
		}
		if st == nil {
			st = &sourceTable{name: ident(tbl), identifier: tbl, stg: "stg_" + srcName + "__" + ident(tbl),
				desc: fmt.Sprintf("Fact rows %s is bound to.", b.Hierarchy)}
			src.tables = append(src.tables, st)
		}
		h := g.in.Hierarchies[b.Hierarchy]
		if h == nil {
			return fmt.Errorf("binding: hierarchy %q not found", b.Hierarchy)
		}
		if st.modelTable == nil {
			for _, c := range append(append([]string{b.CodeColumnOr(h)}, b.GroupBy...), b.Values...) {
				if !containsFold(st.columns, c) {
					st.columns = append(st.columns, c)
				}
			}
		}
		g.boundSrc[b.Source] = st
	}
	return nil
}

func containsFold(s []string, v string) bool {
	for _, x := range s {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// token registers a jinja expression and returns the raw name standing
// for it in the SQL tree.
func (g *gen) token(jinja string) d.Name {
	for k, v := range g.tokens {
		if v == jinja {
			return d.Name{Name: k, Raw: true}
		}
	}
	k := fmt.Sprintf("__databridge_ref_%d__", len(g.tokens)+1)
	g.tokens[k] = jinja
	return d.Name{Name: k, Raw: true}
}

func ref(name string) string { return "{{ ref('" + name + "') }}" }

// resolve is the warehouse.Resolver: objects become ref(), raw tables the
// ref() of their staging model.
func (g *gen) resolve(r warehouse.Reference) d.Name {
	switch {
	case r.ModelTable != "":
		st := g.modelSrc[r.ModelTable]
		if st == nil {
			return d.Name{Name: r.ModelTable}
		}
		return g.token("{{ source('" + g.sourceOf(st) + "', '" + st.name + "') }}")
	case r.Source != "":
		if st := g.boundSrc[r.Source]; st != nil {
			return g.token(ref(st.stg))
		}
		return d.N(strings.Split(r.Source, ".")...)
	}
	return g.token(ref(g.objectModel(r.Object)))
}

func (g *gen) sourceOf(st *sourceTable) string {
	for _, s := range g.sources {
		for _, t := range s.tables {
			if t == st {
				return s.name
			}
		}
	}
	return ""
}

// objectModel is the dbt name of a design object.
func (g *gen) objectModel(obj string) string {
	if n, ok := g.models[strings.ToUpper(obj)]; ok {
		return n
	}
	u := strings.ToUpper(obj)
	if g.in.Model != nil {
		for _, t := range g.in.Model.Tables {
			switch u {
			case "STG_" + strings.ToUpper(t.Name):
				if st := g.modelSrc[t.Name]; st != nil {
					return st.stg
				}
			case "DIM_" + strings.ToUpper(t.Name):
				return "dim_" + ident(t.Name)
			case "FACT_" + strings.ToUpper(t.Name):
				return "fct_" + ident(t.Name)
			}
		}
	}
	return ident(obj)
}

func (g *gen) modelName(o *warehouse.Object) string { return g.objectModel(o.Name) }

// sql renders a query and puts the ref()/source() calls in.
func (g *gen) sql(what string, q d.Query) (string, error) {
	txt, err := d.RenderQuery(g.dialect, q)
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	for _, delim := range []string{"{{", "}}", "{%", "%}", "{#", "#}"} {
		if strings.Contains(txt, delim) {
			return "", fmt.Errorf("%s: the SQL contains %q (in a code or name), which dbt would read as Jinja", what, delim)
		}
	}
	keys := make([]string, 0, len(g.tokens))
	for k := range g.tokens {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return len(keys[i]) > len(keys[j]) || len(keys[i]) == len(keys[j]) && keys[i] > keys[j]
	})
	for _, k := range keys {
		txt = strings.ReplaceAll(txt, k, g.tokens[k])
	}
	return txt, nil
}

func (g *gen) add(path string, content string) { g.files[path] = []byte(content) }
