// Package connections is the service behind `databridge connection`,
// `catalog`, `sql` and the MCP "connections" toolset: it resolves named
// connections from the project config, opens them through the connector
// registry, and returns typed results that the CLI renders and MCP returns
// as structured output.
package connections

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/project"
)

// Service answers connection, catalogue and query requests for one project.
type Service struct {
	Project *project.Project
	// Open opens a connection; defaults to connector.Open.
	Open func(ctx context.Context, name string, cfg connector.Config) (connector.Connector, error)
}

// New returns a service over the project.
func New(p *project.Project) *Service {
	return &Service{Project: p, Open: connector.Open}
}

// ErrUnknownConnection is returned for a name not in config.yaml.
var ErrUnknownConnection = errors.New("unknown connection")

// Info describes a configured connection. Config is redacted: secrets
// appear only as their ${ENV} references.
type Info struct {
	Name    string           `json:"name"`
	Type    string           `json:"type"`
	Dialect string           `json:"dialect"`
	Default bool             `json:"default"`
	Target  string           `json:"target"`
	Config  connector.Config `json:"config"`
}

// ListResult is the output of List.
type ListResult struct {
	DefaultTarget string `json:"default_target"`
	Connections   []Info `json:"connections"`
}

func (s *Service) cfg() *project.Config { return s.Project.Config }

func (s *Service) info(name string, c connector.Config) Info {
	dialect := ""
	if e, ok := connector.Lookup(c.Type); ok {
		dialect = e.Dialect
	}
	return Info{
		Name:    name,
		Type:    c.Type,
		Dialect: dialect,
		Default: name == s.cfg().DefaultTarget,
		Target:  Describe(c.Redacted()),
		Config:  c.Redacted(),
	}
}

// Describe summarises where a connection points, without secrets.
func Describe(c connector.Config) string {
	switch {
	case c.DSN != "":
		return connector.RedactDSN(c.DSN)
	case c.Type == "files":
		paths := append([]string{}, c.Paths...)
		if c.Path != "" {
			paths = append([]string{c.Path}, paths...)
		}
		return strings.Join(paths, ", ")
	case c.Type == "duckdb":
		if c.Path == "" {
			return ":memory:"
		}
		return c.Path
	case c.Type == "snowflake":
		return strings.Trim(c.Account+"/"+c.Database+"/"+c.Schema, "/")
	case c.Type == "bigquery":
		return strings.Trim(c.Project+"."+c.Dataset, ".")
	case c.Type == "databricks":
		return c.Host + c.HTTPPath
	}
	hp := c.Host
	if c.Port != 0 {
		hp = fmt.Sprintf("%s:%d", c.Host, c.Port)
	}
	if c.Database != "" {
		hp += "/" + c.Database
	}
	if c.User != "" {
		hp = c.User + "@" + hp
	}
	return hp
}

// List returns every configured connection.
func (s *Service) List() ListResult {
	out := ListResult{DefaultTarget: s.cfg().DefaultTarget, Connections: []Info{}}
	for _, n := range s.cfg().ConnectionNames() {
		out.Connections = append(out.Connections, s.info(n, s.cfg().Connections[n]))
	}
	return out
}

// Resolve maps "" to the default target and checks the name exists.
func (s *Service) Resolve(name string) (string, connector.Config, error) {
	if name == "" {
		name = s.cfg().DefaultTarget
		if name == "" {
			return "", connector.Config{}, fmt.Errorf("no connection given and the project has no default_target (pass --connection NAME)")
		}
	}
	c, ok := s.cfg().Connections[name]
	if !ok {
		known := s.cfg().ConnectionNames()
		hint := "no connections are configured; add one with `databridge connection add`"
		if len(known) > 0 {
			hint = "known: " + strings.Join(known, ", ")
		}
		return "", connector.Config{}, fmt.Errorf("%w %q (%s)", ErrUnknownConnection, name, hint)
	}
	return name, c, nil
}

// Show returns one connection.
func (s *Service) Show(name string) (Info, error) {
	n, c, err := s.Resolve(name)
	if err != nil {
		return Info{}, err
	}
	return s.info(n, c), nil
}

// AddInput is a connection to add.
type AddInput struct {
	Name   string           `json:"name"`
	Config connector.Config `json:"config"`
	// Replace allows overwriting an existing connection of the same name.
	Replace bool `json:"replace,omitempty"`
	// Default makes it the project's default target.
	Default bool `json:"default,omitempty"`
	// Test connects before saving and refuses to save on failure.
	Test bool `json:"test,omitempty"`
}

// Add validates and saves a connection. Nothing is written if validation
// (or the optional test) fails.
func (s *Service) Add(ctx context.Context, in AddInput) (Info, error) {
	if err := project.ValidateConnectionName(in.Name); err != nil {
		return Info{}, err
	}
	in.Config.Type = strings.ToLower(in.Config.Type)
	if err := connector.CheckConfig(in.Config); err != nil {
		return Info{}, fmt.Errorf("connection %q: %w", in.Name, err)
	}
	if _, exists := s.cfg().Connections[in.Name]; exists && !in.Replace {
		return Info{}, fmt.Errorf("connection %q already exists (use --replace to overwrite it)", in.Name)
	}
	if in.Test {
		if r := s.test(ctx, in.Name, in.Config); !r.OK {
			return Info{}, fmt.Errorf("connection %q failed its test, not saved: %s", in.Name, r.Error)
		}
	}
	err := s.Project.Update(ctx, func(c *project.Config) error {
		if _, exists := c.Connections[in.Name]; exists && !in.Replace {
			return fmt.Errorf("connection %q already exists (use --replace to overwrite it)", in.Name)
		}
		if c.Connections == nil {
			c.Connections = map[string]connector.Config{}
		}
		c.Connections[in.Name] = in.Config
		if in.Default {
			c.DefaultTarget = in.Name
		}
		return nil
	})
	if err != nil {
		return Info{}, err
	}
	return s.info(in.Name, in.Config), nil
}

// Remove deletes a connection. The default target cannot be removed until
// another connection is made the default.
func (s *Service) Remove(ctx context.Context, name string) error {
	return s.Project.Update(ctx, func(c *project.Config) error {
		if _, ok := c.Connections[name]; !ok {
			return fmt.Errorf("%w %q (known: %s)", ErrUnknownConnection, name, strings.Join(c.ConnectionNames(), ", "))
		}
		if c.DefaultTarget == name {
			return fmt.Errorf("connection %q is the default target; make another connection the default first (connection add --default)", name)
		}
		delete(c.Connections, name)
		return nil
	})
}

// TestResult is the outcome of testing a connection.
type TestResult struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	OK        bool   `json:"ok"`
	LatencyMS int64  `json:"latency_ms"`
	Error     string `json:"error,omitempty"`
}

// Test connects and pings. A failure is reported in the result (OK false,
// Error redacted), not as an error, so scripts get a structured answer.
func (s *Service) Test(ctx context.Context, name string) (TestResult, error) {
	n, c, err := s.Resolve(name)
	if err != nil {
		return TestResult{}, err
	}
	return s.test(ctx, n, c), nil
}

func (s *Service) test(ctx context.Context, name string, c connector.Config) TestResult {
	start := time.Now()
	r := TestResult{Name: name, Type: c.Type}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := s.Open(ctx, name, s.absolute(c))
	if err == nil {
		err = conn.Ping(ctx)
		if err == nil {
			var q string
			if q, err = d.RenderQuery(conn.Dialect(), &d.Select{Columns: []d.SelectItem{d.As(d.I(1), "ok")}}); err == nil {
				_, err = conn.Query(ctx, q, connector.QueryOptions{MaxRows: 1})
			}
		}
		conn.Close()
	}
	r.LatencyMS = time.Since(start).Milliseconds()
	if err != nil {
		r.Error = err.Error()
		if !strings.Contains(r.Error, name) {
			r.Error = fmt.Sprintf("connection %q: %s", name, r.Error)
		}
		return r
	}
	r.OK = true
	return r
}

// absolute resolves the config's file paths against the project root.
func (s *Service) absolute(c connector.Config) connector.Config {
	c.Path = s.Project.Resolve(c.Path)
	if len(c.Paths) > 0 {
		ps := make([]string, len(c.Paths))
		for i, p := range c.Paths {
			ps[i] = s.Project.Resolve(p)
		}
		c.Paths = ps
	}
	if c.CredentialsFile != "" && !connector.IsEnvRef(c.CredentialsFile) {
		c.CredentialsFile = s.Project.Resolve(c.CredentialsFile)
	}
	if c.PrivateKeyPath != "" && !connector.IsEnvRef(c.PrivateKeyPath) {
		c.PrivateKeyPath = s.Project.Resolve(c.PrivateKeyPath)
	}
	return c
}

// Connect opens a named connection ("" = default target) for databridge's
// own work. readOnly opens a read-only session: the lexical guard, then the
// engine's own read-only mode (a read-only DuckDB file, READ ONLY
// transactions on PostgreSQL and MySQL, ...).
func (s *Service) Connect(ctx context.Context, name string, readOnly bool) (connector.Connector, error) {
	n, c, err := s.Resolve(name)
	if err != nil {
		return nil, err
	}
	c = s.session(c, readOnly)
	if c.Type == "duckdb" && (c.Path == "" || c.Path == ":memory:") {
		// Databridge's own reads of an empty in-memory database need no
		// read-only session (and DuckDB has none for it).
		c.ReadOnly = false
	}
	return s.Open(ctx, n, c)
}

// ConnectUser opens a named connection for SQL a person or an agent wrote:
// read-only unless write, and, on the engines inside this process (DuckDB,
// files), sandboxed to the project's data files (see Sandbox).
func (s *Service) ConnectUser(ctx context.Context, name string, write bool) (connector.Connector, error) {
	n, c, err := s.Resolve(name)
	if err != nil {
		return nil, err
	}
	c = s.session(c, !write)
	c.Sandbox = s.Sandbox(c)
	return s.Open(ctx, n, c)
}

// session resolves paths, gives a files connection the project's parse
// cache (.databridge/state/cache) and sets the session's read-only mode. A
// read-only session over a DuckDB file that does not exist yet reads an
// empty in-memory database rather than creating the file.
func (s *Service) session(c connector.Config, readOnly bool) connector.Config {
	c = s.absolute(c)
	if c.Type == "files" {
		c.CacheDir = s.Project.Path(project.StateDir, "cache")
	}
	if !readOnly {
		return c
	}
	if !c.ReadOnly && c.Type == "duckdb" && c.Path != "" && c.Path != ":memory:" {
		if _, err := os.Stat(c.Path); err != nil {
			c.Path = ""
		}
	}
	c.ReadOnly = true
	return c
}

// Sandbox is the file boundary of user SQL on a connection whose engine
// runs in this process: a files connection reaches its own folders; a
// DuckDB database (the local target) reaches the project's folder and the
// folders of the project's files connections (staging views read them).
// The project's .databridge folder is never reachable as files (the
// warehouse is opened as the database, not read as a file). Other engines
// get nil: their servers own their file access.
func (s *Service) Sandbox(c connector.Config) *connector.Sandbox {
	deny := []string{filepath.Join(s.Project.Root, project.DirName)}
	switch c.Type {
	case "files":
		return &connector.Sandbox{Dirs: filesDirs(c), Deny: deny}
	case "duckdb":
		dirs := []string{s.Project.Root}
		for _, n := range s.cfg().ConnectionNames() {
			if fc := s.cfg().Connections[n]; fc.Type == "files" {
				dirs = append(dirs, filesDirs(s.absolute(fc))...)
			}
		}
		return &connector.Sandbox{Dirs: dirs, Deny: deny}
	}
	return nil
}

// filesDirs are the folders of a files connection's entries: a folder
// itself, or the folder of a file or of a glob's fixed part.
func filesDirs(c connector.Config) []string {
	var out []string
	for _, e := range append([]string{c.Path}, c.Paths...) {
		if strings.TrimSpace(e) == "" {
			continue
		}
		if i := strings.IndexAny(e, "*?["); i >= 0 {
			e = e[:i]
			if !strings.HasSuffix(e, string(filepath.Separator)) {
				e = filepath.Dir(e)
			}
		}
		if st, err := os.Stat(e); err == nil && st.IsDir() {
			out = append(out, e)
			continue
		}
		out = append(out, filepath.Dir(e))
	}
	return out
}

// SchemasResult lists schemas.
type SchemasResult struct {
	Connection string           `json:"connection"`
	Schemas    []catalog.Schema `json:"schemas"`
}

// Schemas lists the schemas of a connection.
func (s *Service) Schemas(ctx context.Context, conn string) (SchemasResult, error) {
	c, err := s.Connect(ctx, conn, true)
	if err != nil {
		return SchemasResult{}, err
	}
	defer c.Close()
	sc, err := c.Schemas(ctx)
	if err != nil {
		return SchemasResult{}, fmt.Errorf("connection %q: list schemas: %w", c.Name(), err)
	}
	if sc == nil {
		sc = []catalog.Schema{}
	}
	return SchemasResult{Connection: c.Name(), Schemas: sc}, nil
}

// TablesResult lists tables.
type TablesResult struct {
	Connection string          `json:"connection"`
	Schema     string          `json:"schema,omitempty"`
	Tables     []catalog.Table `json:"tables"`
}

// Tables lists the tables of a schema ("" = the connection's default).
func (s *Service) Tables(ctx context.Context, conn, schema string) (TablesResult, error) {
	c, err := s.Connect(ctx, conn, true)
	if err != nil {
		return TablesResult{}, err
	}
	defer c.Close()
	ts, err := c.Tables(ctx, schema)
	if err != nil {
		return TablesResult{}, fmt.Errorf("connection %q: list tables: %w", c.Name(), err)
	}
	if ts == nil {
		ts = []catalog.Table{}
	}
	sort.SliceStable(ts, func(i, j int) bool {
		if ts[i].Schema != ts[j].Schema {
			return ts[i].Schema < ts[j].Schema
		}
		return ts[i].Name < ts[j].Name
	})
	return TablesResult{Connection: c.Name(), Schema: schema, Tables: ts}, nil
}

// SplitTableName splits "schema.table" (either part may be quoted with
// double quotes); a bare name has an empty schema.
func SplitTableName(name string) (schema, table string) {
	var parts []string
	var cur strings.Builder
	inQuote := false
	for _, r := range name {
		switch {
		case r == '"':
			inQuote = !inQuote
		case r == '.' && !inQuote:
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	parts = append(parts, cur.String())
	if len(parts) == 1 {
		return "", parts[0]
	}
	return strings.Join(parts[:len(parts)-1], "."), parts[len(parts)-1]
}

// DescribeResult is a described table.
type DescribeResult struct {
	Connection string `json:"connection"`
	*catalog.TableDetail
}

// Describe describes a table given as "table" or "schema.table".
func (s *Service) Describe(ctx context.Context, conn, table string) (DescribeResult, error) {
	schema, name := SplitTableName(table)
	if name == "" {
		return DescribeResult{}, fmt.Errorf("table name is required")
	}
	c, err := s.Connect(ctx, conn, true)
	if err != nil {
		return DescribeResult{}, err
	}
	defer c.Close()
	d, err := c.Describe(ctx, schema, name)
	if err != nil {
		err = fmt.Errorf("connection %q: describe %s: %w", c.Name(), table, err)
		if _, isConn := s.Project.Config.Connections[schema]; isConn && schema != c.Name() && errors.Is(err, connector.ErrTableNotFound) {
			// CONN.TABLE is how reconcile and rollup name a table: say
			// how to ask this command.
			err = fmt.Errorf("%w (%s is a connection: describe %s on it with --connection %s)", err, schema, name, schema)
		}
		return DescribeResult{}, err
	}
	return DescribeResult{Connection: c.Name(), TableDetail: d}, nil
}

// QueryInput is a SQL request.
type QueryInput struct {
	Connection     string `json:"connection,omitempty"`
	SQL            string `json:"sql"`
	MaxRows        int    `json:"max_rows,omitempty"`
	TimeoutSeconds int    `json:"timeout_seconds,omitempty"`
	// Write allows statements that modify data.
	Write bool `json:"write,omitempty"`
}

// QueryResult is a bounded result; Statement tells whether it read or
// wrote.
type QueryResult struct {
	Connection string `json:"connection"`
	Statement  string `json:"statement"` // "read" or "write"
	*connector.Result
	RowsAffected *int64 `json:"rows_affected,omitempty"`
}

// Query runs one statement. Without Write, anything that may modify data
// is refused before it reaches the engine.
func (s *Service) Query(ctx context.Context, in QueryInput) (QueryResult, error) {
	if strings.TrimSpace(in.SQL) == "" {
		return QueryResult{}, fmt.Errorf("SQL is required")
	}
	n, cfg, err := s.Resolve(in.Connection)
	if err != nil {
		return QueryResult{}, err
	}
	dialect := ""
	if e, ok := connector.Lookup(cfg.Type); ok {
		dialect = e.Dialect
	}
	roErr := connector.CheckReadOnlyDialect(in.SQL, dialect)
	var refused *connector.ErrWriteRefused
	if roErr != nil && !errors.As(roErr, &refused) {
		return QueryResult{}, roErr
	}
	if refused != nil && !in.Write {
		return QueryResult{}, refused
	}
	if refused != nil && cfg.ReadOnly {
		return QueryResult{}, fmt.Errorf("connection %q is configured read_only: %s is not allowed", n, refused.Keyword)
	}
	if in.TimeoutSeconds < 0 {
		return QueryResult{}, fmt.Errorf("timeout must be a positive number of seconds, not %d", in.TimeoutSeconds)
	}
	c, err := s.ConnectUser(ctx, n, refused != nil)
	if err != nil {
		return QueryResult{}, err
	}
	defer c.Close()
	opts := connector.QueryOptions{MaxRows: in.MaxRows, Timeout: time.Duration(in.TimeoutSeconds) * time.Second}
	if opts.MaxRows < 0 {
		return QueryResult{}, fmt.Errorf("max rows must be positive")
	}
	if refused != nil {
		// A write: statements such as INSERT ... RETURNING produce rows, most
		// produce none; Exec then report rows affected.
		if returnsRows(in.SQL) {
			res, err := c.Query(ctx, in.SQL, opts)
			if err != nil {
				return QueryResult{}, fmt.Errorf("connection %q: %w%s", n, err, sandboxHint(err))
			}
			return QueryResult{Connection: n, Statement: "write", Result: res}, nil
		}
		ctx, cancel := context.WithTimeout(ctx, opts.Normalized().Timeout)
		defer cancel()
		er, err := c.Exec(ctx, in.SQL)
		if err != nil {
			return QueryResult{}, fmt.Errorf("connection %q: %w%s", n, err, sandboxHint(err))
		}
		ra := er.RowsAffected
		return QueryResult{Connection: n, Statement: "write", Result: &connector.Result{Columns: []connector.ResultColumn{}, Rows: [][]any{}, ElapsedMS: er.ElapsedMS}, RowsAffected: &ra}, nil
	}
	res, err := c.Query(ctx, in.SQL, opts)
	if err != nil {
		return QueryResult{}, fmt.Errorf("connection %q: %w%s", n, err, sandboxHint(err))
	}
	return QueryResult{Connection: n, Statement: "read", Result: res}, nil
}

// sandboxHint explains a DuckDB sandbox refusal.
func sandboxHint(err error) string {
	if err == nil || !strings.Contains(err.Error(), "disabled by configuration") {
		return ""
	}
	return "\n(SQL run through databridge may only reach the connection's own data files and the project's data folders, never .databridge/ or the rest of the machine; add a files connection for other data)"
}

func returnsRows(sql string) bool {
	toks, err := connector.Tokenize(sql)
	if err != nil {
		return false
	}
	for _, t := range toks {
		if t.Kind == connector.TokWord && strings.EqualFold(t.Text, "RETURNING") {
			return true
		}
	}
	return false
}

// ResolvePath is exposed for commands that print paths relative to the
// project.
func (s *Service) ResolvePath(p string) string {
	if rel, err := filepath.Rel(s.Project.Root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
