// Package connector defines how databridge talks to a database or a set of
// files: the Connector interface, the registry of engines, query results with
// row caps and timeouts, read-only statement checks, and secret redaction.
// Each engine lives in its own sub-package and registers itself in init;
// pkg/connector/all imports every engine.
package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/telemetry"
)

// Defaults for queries that do not say otherwise.
const (
	DefaultMaxRows = 1000
	DefaultTimeout = 60 * time.Second
)

// QueryOptions bound a query. Zero values mean the defaults above; a
// negative MaxRows means no cap (used by internal loads, never by tools).
type QueryOptions struct {
	MaxRows int
	Timeout time.Duration
}

func (o QueryOptions) normalized() QueryOptions {
	if o.MaxRows == 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return o
}

// Normalized fills in defaults.
func (o QueryOptions) Normalized() QueryOptions { return o.normalized() }

// ResultColumn names a result column and its database type.
type ResultColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Result is a bounded query result. Values are JSON-friendly: strings,
// numbers, booleans, nil; timestamps as RFC 3339 strings; decimals as
// strings (exact); bytes as strings when valid UTF-8, else hex.
type Result struct {
	Columns   []ResultColumn `json:"columns"`
	Rows      [][]any        `json:"rows"`
	RowCount  int            `json:"row_count"`
	Truncated bool           `json:"truncated"`
	MaxRows   int            `json:"max_rows"`
	ElapsedMS int64          `json:"elapsed_ms"`
}

// ExecResult reports the outcome of a statement that returns no rows.
type ExecResult struct {
	RowsAffected int64 `json:"rows_affected"`
	ElapsedMS    int64 `json:"elapsed_ms"`
}

// Querier runs statements; both a Connector and a Tx are Queriers.
type Querier interface {
	Query(ctx context.Context, sql string, opts QueryOptions, args ...any) (*Result, error)
	Exec(ctx context.Context, sql string, args ...any) (ExecResult, error)
}

// Tx is an open transaction.
type Tx interface {
	Querier
	Commit() error
	Rollback() error
}

// Connector is a live connection to one engine.
type Connector interface {
	Querier
	// Name is the connection name from the project config.
	Name() string
	// Dialect is the SQL dialect (duckdb, postgres, mysql, sqlserver,
	// snowflake, databricks, bigquery).
	Dialect() string
	// Ping checks the connection works (authenticates, reaches the server).
	Ping(ctx context.Context) error
	Begin(ctx context.Context) (Tx, error)
	Schemas(ctx context.Context) ([]catalog.Schema, error)
	// Tables lists tables and views; an empty schema means the default one.
	Tables(ctx context.Context, schema string) ([]catalog.Table, error)
	// Describe returns columns and the keys the engine records.
	Describe(ctx context.Context, schema, table string) (*catalog.TableDetail, error)
	Close() error
}

// Factory opens a connector from an expanded config (secrets resolved).
type Factory func(ctx context.Context, name string, cfg Config) (Connector, error)

// Engine describes a registered engine.
type Engine struct {
	Type        string
	Dialect     string
	Description string
	// Fields lists the config fields the engine reads, for help and
	// validation of `connection add`.
	Fields []string
	// What the engine's SQL can do (transactional DDL and the rest) is
	// dialect.Capabilities(Dialect): one table, not a field here.
	Open Factory
	// Check validates an (unexpanded) config for this engine.
	Check func(Config) error
}

var (
	regMu    sync.RWMutex
	registry = map[string]Engine{}
)

// Register adds an engine; engines call it from init.
func Register(e Engine) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[e.Type]; dup {
		panic("connector: engine registered twice: " + e.Type)
	}
	registry[e.Type] = e
}

// Lookup finds a registered engine.
func Lookup(typ string) (Engine, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	e, ok := registry[strings.ToLower(typ)]
	return e, ok
}

// Types lists the registered engine types, sorted.
func Types() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ErrUnknownEngine is returned for a type no engine registered.
var ErrUnknownEngine = errors.New("unknown connection type")

// CheckConfig validates a config: common rules then the engine's own.
func CheckConfig(cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	e, ok := Lookup(cfg.Type)
	if !ok {
		return fmt.Errorf("%w %q (known: %s)", ErrUnknownEngine, cfg.Type, strings.Join(Types(), ", "))
	}
	if e.Check != nil {
		return e.Check(cfg)
	}
	return nil
}

// Open expands ${ENV} references and opens the connection. Errors name the
// connection and never contain a secret.
func Open(ctx context.Context, name string, cfg Config) (Connector, error) {
	if err := CheckConfig(cfg); err != nil {
		return nil, fmt.Errorf("connection %q: %w", name, err)
	}
	e, _ := Lookup(cfg.Type)
	exp, err := cfg.Expand(nil)
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", name, err)
	}
	red := NewRedactor(exp.Secrets()...)
	c, err := e.Open(ctx, name, exp)
	if err != nil {
		return nil, fmt.Errorf("connection %q (%s): %w", name, cfg.Type, red.Error(err))
	}
	var out Connector = &redacting{Connector: c, red: red, engine: e.Dialect}
	if cfg.ReadOnly {
		out = &guarded{Connector: out, dialect: e.Dialect}
	}
	return out, nil
}

// guarded is a read-only connection: every statement passes the dialect's
// lexical guard before the engine's own read-only session sees it.
type guarded struct {
	Connector
	dialect string
}

func (g *guarded) Query(ctx context.Context, sql string, opts QueryOptions, args ...any) (*Result, error) {
	if err := CheckReadOnlyDialect(sql, g.dialect); err != nil {
		return nil, err
	}
	return g.Connector.Query(ctx, sql, opts, args...)
}

func (g *guarded) Exec(ctx context.Context, sql string, args ...any) (ExecResult, error) {
	if err := CheckReadOnlyDialect(sql, g.dialect); err != nil {
		return ExecResult{}, err
	}
	return g.Connector.Exec(ctx, sql, args...)
}

func (g *guarded) Begin(ctx context.Context) (Tx, error) {
	tx, err := g.Connector.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return &guardedTx{Tx: tx, dialect: g.dialect}, nil
}

// Unwrap returns the guarded connector.
func (g *guarded) Unwrap() Connector { return g.Connector }

type guardedTx struct {
	Tx
	dialect string
}

func (t *guardedTx) Query(ctx context.Context, sql string, opts QueryOptions, args ...any) (*Result, error) {
	if err := CheckReadOnlyDialect(sql, t.dialect); err != nil {
		return nil, err
	}
	return t.Tx.Query(ctx, sql, opts, args...)
}

func (t *guardedTx) Exec(ctx context.Context, sql string, args ...any) (ExecResult, error) {
	if err := CheckReadOnlyDialect(sql, t.dialect); err != nil {
		return ExecResult{}, err
	}
	return t.Tx.Exec(ctx, sql, args...)
}

// redacting wraps a connector so every error it returns is redacted.
type redacting struct {
	Connector
	red    *Redactor
	engine string
}

func (r *redacting) Query(ctx context.Context, sql string, opts QueryOptions, args ...any) (*Result, error) {
	start := time.Now()
	res, err := r.Connector.Query(ctx, sql, opts, args...)
	err = r.red.Error(err)
	observe(ctx, r.engine, r.Name(), sql, start, err)
	return res, err
}

func (r *redacting) Exec(ctx context.Context, sql string, args ...any) (ExecResult, error) {
	start := time.Now()
	res, err := r.Connector.Exec(ctx, sql, args...)
	err = r.red.Error(err)
	observe(ctx, r.engine, r.Name(), sql, start, err)
	return res, err
}

func (r *redacting) Ping(ctx context.Context) error { return r.red.Error(r.Connector.Ping(ctx)) }

func (r *redacting) Begin(ctx context.Context) (Tx, error) {
	tx, err := r.Connector.Begin(ctx)
	if err != nil {
		return nil, r.red.Error(err)
	}
	return &redactingTx{Tx: tx, red: r.red, engine: r.engine, conn: r.Name()}, nil
}

// redactingTx redacts the errors of a transaction: they reach the deploy
// ledger and workflow state files.
type redactingTx struct {
	Tx
	red          *Redactor
	engine, conn string
}

func (t *redactingTx) Query(ctx context.Context, sql string, opts QueryOptions, args ...any) (*Result, error) {
	start := time.Now()
	res, err := t.Tx.Query(ctx, sql, opts, args...)
	err = t.red.Error(err)
	observe(ctx, t.engine, t.conn, sql, start, err)
	return res, err
}

func (t *redactingTx) Exec(ctx context.Context, sql string, args ...any) (ExecResult, error) {
	start := time.Now()
	res, err := t.Tx.Exec(ctx, sql, args...)
	err = t.red.Error(err)
	observe(ctx, t.engine, t.conn, sql, start, err)
	return res, err
}

// observe records one statement: its duration on the engine's metric
// (pkg/telemetry) and a debug log line with the request id of the call
// that sent it (MCP tool call or CLI command), so a slow or failed query
// is traced to its caller. The statement's text is not logged (it may
// carry literal values); its first keyword and length are.
func observe(ctx context.Context, engine, conn, sql string, start time.Time, err error) {
	d := time.Since(start)
	telemetry.ObserveQuery(engine, d)
	if !slog.Default().Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []any{"request_id", telemetry.RequestID(ctx), "engine", engine, "connection", conn,
		"statement", firstKeyword(sql), "chars", len(sql), "ms", d.Milliseconds()}
	if err != nil {
		attrs = append(attrs, "error", err.Error())
	}
	slog.DebugContext(ctx, "query", attrs...)
}

// firstKeyword is the statement's first word (SELECT, CREATE …), after
// leading comments and spaces.
func firstKeyword(sql string) string {
	s := strings.TrimSpace(sql)
	for strings.HasPrefix(s, "--") || strings.HasPrefix(s, "/*") {
		if strings.HasPrefix(s, "--") {
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return ""
			}
			s = strings.TrimSpace(s[i+1:])
			continue
		}
		i := strings.Index(s, "*/")
		if i < 0 {
			return ""
		}
		s = strings.TrimSpace(s[i+2:])
	}
	end := strings.IndexFunc(s, func(r rune) bool { return !(r == '_' || unicode.IsLetter(r)) })
	if end < 0 {
		end = len(s)
	}
	return strings.ToUpper(s[:end])
}

func (t *redactingTx) Commit() error   { return t.red.Error(t.Tx.Commit()) }
func (t *redactingTx) Rollback() error { return t.red.Error(t.Tx.Rollback()) }

func (r *redacting) Schemas(ctx context.Context) ([]catalog.Schema, error) {
	s, err := r.Connector.Schemas(ctx)
	return s, r.red.Error(err)
}

func (r *redacting) Tables(ctx context.Context, schema string) ([]catalog.Table, error) {
	t, err := r.Connector.Tables(ctx, schema)
	return t, r.red.Error(err)
}

func (r *redacting) Describe(ctx context.Context, schema, table string) (*catalog.TableDetail, error) {
	d, err := r.Connector.Describe(ctx, schema, table)
	return d, r.red.Error(err)
}

// Unwrap returns the engine's connector.
func (r *redacting) Unwrap() Connector { return r.Connector }

// ErrTableNotFound is returned by Describe for a table that does not exist.
var ErrTableNotFound = errors.New("table not found")
