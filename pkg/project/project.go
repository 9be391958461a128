// Package project owns the .databridge/ directory that sits next to a
// user's files: its layout, config.yaml (with schema_version and
// migrations), atomic writes, and the advisory lock that keeps the CLI and a
// running MCP server from corrupting each other.
package project

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/connector"
)

// Layout names.
const (
	DirName        = ".databridge"
	ConfigFile     = "config.yaml"
	HierarchiesDir = "hierarchies"
	ModelsDir      = "models"
	StateDir       = "state"
	WarehouseFile  = "warehouse.duckdb"
	// LocalTarget is the name of the embedded default warehouse connection.
	LocalTarget = "local"
)

// SchemaVersion is the config schema this build writes.
const SchemaVersion = 1

// Config is .databridge/config.yaml.
type Config struct {
	Name          string `json:"name" yaml:"name"`
	SchemaVersion int    `json:"schema_version" yaml:"schema_version"`
	// DefaultTarget is the connection deploys and queries use by default.
	DefaultTarget string                      `json:"default_target" yaml:"default_target"`
	Connections   map[string]connector.Config `json:"connections" yaml:"connections"`
	// Events configures the event bus (pkg/events); absent, events travel
	// through a file under state/events/.
	Events *EventsConfig `json:"events,omitempty" yaml:"events,omitempty"`
}

// EventsConfig is the events section of config.yaml.
type EventsConfig struct {
	// RedisURL is a redis:// or rediss:// URL for Redis pub/sub; a
	// password in it must be an ${ENV} reference. DATABRIDGE_REDIS_URL
	// overrides it.
	RedisURL string `json:"redis_url,omitempty" yaml:"redis_url,omitempty"`
}

// Project is an opened .databridge/ directory.
type Project struct {
	// Root is the folder that contains .databridge/ (the user's files).
	Root string
	// Dir is Root/.databridge.
	Dir    string
	Config *Config
}

// ErrNotFound means no .databridge/ was found.
var ErrNotFound = errors.New("no databridge project found")

// Find walks up from start to the nearest folder containing .databridge/,
// like git does for .git.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		fi, err := os.Stat(filepath.Join(dir, DirName))
		if err == nil && fi.IsDir() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w in %s or any parent folder (run `databridge init` first, or pass --project-dir)", ErrNotFound, start)
		}
		dir = parent
	}
}

// Open loads the project rooted at root (the folder holding .databridge/).
func Open(root string) (*Project, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	p := &Project{Root: abs, Dir: filepath.Join(abs, DirName)}
	if fi, err := os.Stat(p.Dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%w at %s (run `databridge init %s`)", ErrNotFound, abs, root)
	}
	cfg, err := LoadConfig(p.ConfigPath())
	if err != nil {
		return nil, err
	}
	p.Config = cfg
	return p, nil
}

// ConfigPath is the path of config.yaml.
func (p *Project) ConfigPath() string { return filepath.Join(p.Dir, ConfigFile) }

// Path joins elements under .databridge/.
func (p *Project) Path(elem ...string) string {
	return filepath.Join(append([]string{p.Dir}, elem...)...)
}

// Resolve makes a path from the config absolute, relative to Root.
func (p *Project) Resolve(path string) string {
	if path == "" || path == ":memory:" || filepath.IsAbs(path) || strings.Contains(path, "://") {
		return path
	}
	return filepath.Join(p.Root, path)
}

// DefaultConfig is what init writes.
func DefaultConfig(name string) *Config {
	return &Config{
		Name:          name,
		SchemaVersion: SchemaVersion,
		DefaultTarget: LocalTarget,
		Connections: map[string]connector.Config{
			LocalTarget: {Type: "duckdb", Path: filepath.ToSlash(filepath.Join(DirName, WarehouseFile))},
		},
	}
}

const gitignore = `# databridge: machine state and the local warehouse are not committed.
# config.yaml, hierarchies/ and models/ are yours to review and commit.
warehouse.duckdb
warehouse.duckdb.wal
*.duckdb
*.duckdb.wal
state/
.lock
.*.tmp-*
`

// InitResult reports what init did.
type InitResult struct {
	Root    string   `json:"root"`
	Dir     string   `json:"dir"`
	Name    string   `json:"name"`
	Created []string `json:"created"`
	Existed []string `json:"existed"`
}

// Init creates .databridge/ under root. It never clobbers: files and
// folders that exist are left as they are and reported as existing.
func Init(root, name string) (*InitResult, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = filepath.Base(abs)
	}
	if err := ValidateName(name); err != nil {
		return nil, fmt.Errorf("project name: %w", err)
	}
	res := &InitResult{Root: abs, Dir: filepath.Join(abs, DirName), Name: name, Created: []string{}, Existed: []string{}}
	dir := res.Dir
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, err
	}
	// If a config exists, it must load: init refuses to "repair" a broken
	// config by overwriting it.
	cfgPath := filepath.Join(dir, ConfigFile)
	if _, err := os.Stat(cfgPath); err == nil {
		cfg, err := LoadConfig(cfgPath)
		if err != nil {
			return nil, err
		}
		res.Name = cfg.Name
	}
	for _, d := range []string{"", HierarchiesDir, ModelsDir, StateDir} {
		p := filepath.Join(dir, d)
		rel := filepath.ToSlash(filepath.Join(DirName, d))
		if fi, err := os.Stat(p); err == nil {
			if !fi.IsDir() {
				return nil, fmt.Errorf("%s exists and is not a folder", p)
			}
			res.Existed = append(res.Existed, rel+"/")
			continue
		}
		if err := os.MkdirAll(p, 0o755); err != nil {
			return nil, err
		}
		res.Created = append(res.Created, rel+"/")
	}
	p := &Project{Root: abs, Dir: dir}
	unlock, err := p.Lock(context.Background(), 0)
	if err != nil {
		return nil, err
	}
	defer unlock()
	files := []struct {
		name string
		data func() ([]byte, error)
	}{
		{ConfigFile, func() ([]byte, error) { return MarshalConfig(DefaultConfig(name)) }},
		{".gitignore", func() ([]byte, error) { return []byte(gitignore), nil }},
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		rel := filepath.ToSlash(filepath.Join(DirName, f.name))
		if _, err := os.Stat(path); err == nil {
			res.Existed = append(res.Existed, rel)
			continue
		}
		data, err := f.data()
		if err != nil {
			return nil, err
		}
		if err := WriteFileAtomic(path, data, 0o644); err != nil {
			return nil, err
		}
		res.Created = append(res.Created, rel)
	}
	return res, nil
}

var nameRe = regexp.MustCompile(`^[^\x00-\x1f\s][^\x00-\x1f]{0,127}$`)

// ValidateName checks a project or connection name.
func ValidateName(name string) error {
	if !nameRe.MatchString(name) {
		return fmt.Errorf("%q is not a valid name (1 to 128 printable characters, not starting with a space)", name)
	}
	return nil
}

var connNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_\-]{0,62}$`)

// ValidateConnectionName checks a connection name.
func ValidateConnectionName(name string) error {
	if !connNameRe.MatchString(name) {
		return fmt.Errorf("%q is not a valid connection name (a letter, then letters, digits, _ or -; at most 63)", name)
	}
	return nil
}

// ConfigError is a problem in config.yaml, located by file and line.
type ConfigError struct {
	File string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var yamlLineRe = regexp.MustCompile(`line (\d+): `)

// YAMLError turns a yaml.v3 error into ConfigErrors with file and line.
func YAMLError(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var errs []error
		for _, msg := range te.Errors {
			errs = append(errs, lineErr(file, msg))
		}
		return errors.Join(errs...)
	}
	return lineErr(file, err.Error())
}

func lineErr(file, msg string) error {
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.Replace(msg, m[0], "", 1)
	}
	return &ConfigError{File: file, Line: line, Msg: msg}
}

// LoadConfig reads and validates config.yaml, migrating older schema
// versions in memory (they are written back on the next save).
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("%s is missing (run `databridge init` to create it)", path)
		}
		return nil, err
	}
	return ParseConfig(path, data)
}

// ParseConfig parses config bytes; path is used in error messages.
func ParseConfig(path string, data []byte) (*Config, error) {
	var raw yaml.Node
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, YAMLError(path, err)
	}
	if len(raw.Content) == 0 {
		return nil, &ConfigError{File: path, Msg: "file is empty (expected name, schema_version, default_target, connections)"}
	}
	root := raw.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &ConfigError{File: path, Line: root.Line, Msg: "expected a mapping with name, schema_version, default_target, connections"}
	}
	version := 0
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "schema_version" {
			v, err := strconv.Atoi(root.Content[i+1].Value)
			if err != nil {
				return nil, &ConfigError{File: path, Line: root.Content[i+1].Line, Msg: "schema_version must be a whole number"}
			}
			version = v
		}
	}
	if version > SchemaVersion {
		return nil, &ConfigError{File: path, Msg: fmt.Sprintf("schema_version %d was written by a newer databridge (this one understands up to %d): upgrade databridge", version, SchemaVersion)}
	}
	if version < SchemaVersion {
		if err := migrate(root, version); err != nil {
			return nil, &ConfigError{File: path, Msg: err.Error()}
		}
	}
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(mustMarshalNode(&raw)))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return nil, YAMLError(path, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, &ConfigError{File: path, Line: connLine(root, err), Msg: err.Error()}
	}
	return &cfg, nil
}

func mustMarshalNode(n *yaml.Node) []byte {
	b, err := yaml.Marshal(n)
	if err != nil {
		panic(err)
	}
	return b
}

// connLine finds the line of the connection named in a validation error.
func connLine(root *yaml.Node, err error) int {
	var ce *connError
	if !errors.As(err, &ce) {
		return 0
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "connections" {
			continue
		}
		m := root.Content[i+1]
		for j := 0; j+1 < len(m.Content); j += 2 {
			if m.Content[j].Value == ce.name {
				return m.Content[j].Line
			}
		}
	}
	return 0
}

type connError struct {
	name string
	err  error
}

func (e *connError) Error() string { return fmt.Sprintf("connection %q: %v", e.name, e.err) }
func (e *connError) Unwrap() error { return e.err }

// Validate checks the config: a name, the schema version, a default
// target that exists, and each connection's common rules (a type and
// secrets only as ${ENV} references).
func (c *Config) Validate() error {
	if c.Name == "" {
		return errors.New("name is required")
	}
	if c.SchemaVersion == 0 {
		c.SchemaVersion = SchemaVersion
	}
	names := c.ConnectionNames()
	for _, n := range names {
		if err := ValidateConnectionName(n); err != nil {
			return &connError{name: n, err: err}
		}
		if err := c.Connections[n].Validate(); err != nil {
			return &connError{name: n, err: err}
		}
	}
	if c.DefaultTarget != "" {
		if _, ok := c.Connections[c.DefaultTarget]; !ok {
			return fmt.Errorf("default_target %q is not one of the connections (%s)", c.DefaultTarget, strings.Join(names, ", "))
		}
	}
	return nil
}

// ConnectionNames lists connection names, sorted.
func (c *Config) ConnectionNames() []string {
	out := make([]string, 0, len(c.Connections))
	for k := range c.Connections {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// MarshalConfig renders config.yaml with a short header.
func MarshalConfig(c *Config) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("# databridge project configuration. Secrets only as ${ENV} references.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes the config atomically. Callers that read-modify-write should
// use Update, which holds the lock across the whole cycle.
func (p *Project) Save(c *Config) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("%s: %w", p.ConfigPath(), err)
	}
	data, err := MarshalConfig(c)
	if err != nil {
		return err
	}
	return WriteFileAtomic(p.ConfigPath(), data, 0o644)
}

// Update locks the project, re-reads config.yaml from disk (so a change made
// by another process since Open is not lost), applies fn, validates and
// writes atomically. If fn or validation fails the file is left untouched.
func (p *Project) Update(ctx context.Context, fn func(*Config) error) error {
	unlock, err := p.Lock(ctx, 0)
	if err != nil {
		return err
	}
	defer unlock()
	cfg, err := LoadConfig(p.ConfigPath())
	if err != nil {
		return err
	}
	if err := fn(cfg); err != nil {
		return err
	}
	if err := p.Save(cfg); err != nil {
		return err
	}
	p.Config = cfg
	return nil
}
