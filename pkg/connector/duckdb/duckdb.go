// Package duckdb is the DuckDB connector engine: a database file (the
// default local warehouse, .databridge/warehouse.duckdb) or an in-memory
// database, through github.com/duckdb/duckdb-go. The query surface is the
// shared database/sql implementation in pkg/connector/sqldb; this package
// adds opening (paths, read-only mode, clear lock errors) and the catalogue
// queries (Meta), which the files engine reuses.
package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	// The DuckDB database/sql driver, registered as "duckdb".
	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// Engine identifiers.
const (
	Type       = "duckdb"
	Dialect    = "duckdb"
	DriverName = "duckdb"
)

// Memory is the path that names an in-memory database (as does "").
const Memory = ":memory:"

func init() {
	connector.Register(connector.Engine{
		Type:        Type,
		Dialect:     Dialect,
		Description: "DuckDB database file, or in-memory when path is empty (the default local warehouse)",
		Fields:      []string{"path", "read_only", "options"},
		Open:        open,
		Check:       check,
	})
}

// IsMemory reports whether path names an in-memory database.
func IsMemory(path string) bool { return path == "" || path == Memory }

var settingName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func check(cfg connector.Config) error {
	if len(cfg.Paths) > 0 {
		return errors.New("duckdb takes one database file in path, not paths (paths is for the files engine)")
	}
	if cfg.DSN != "" {
		return errors.New("duckdb reads the database file from path, not dsn (set path: warehouse.duckdb)")
	}
	// A session's sandbox marks a read-only session over an in-memory
	// database, where read_only means "refuse writes"; in a stored config
	// it would protect nothing.
	if cfg.ReadOnly && IsMemory(cfg.Path) && cfg.Sandbox == nil {
		return errors.New("read_only needs a database file in path: an in-memory DuckDB database starts empty, so there is nothing to protect")
	}
	for k := range cfg.Options {
		if !settingName.MatchString(k) {
			return fmt.Errorf("option %q is not a DuckDB setting name (letters, digits and _ only)", k)
		}
	}
	return nil
}

func open(ctx context.Context, name string, cfg connector.Config) (connector.Connector, error) {
	// A read-only session over an in-memory database has no file to open
	// read-only; the statement checks below still apply.
	fileRO := cfg.ReadOnly && !IsMemory(cfg.Path)
	chk := cfg
	chk.ReadOnly = fileRO
	if err := check(chk); err != nil {
		return nil, err
	}
	db, err := openDB(cfg.Path, fileRO, cfg.Options)
	if err != nil {
		return nil, err
	}
	if err := ping(ctx, db, cfg.Path); err != nil {
		db.Close()
		return nil, err
	}
	if cfg.Sandbox != nil {
		if err := ApplySandbox(ctx, db, cfg.Sandbox); err != nil {
			db.Close()
			return nil, err
		}
	}
	c := NewConn(name, db)
	if cfg.ReadOnly {
		c.ReadOnly = ReadOnlySession(db)
	}
	return c, nil
}

// ReadOnlySession is DuckDB's read-only session check: DuckDB's own parser
// must call every statement a SELECT or an EXPLAIN.
func ReadOnlySession(db *sql.DB) *sqldb.ReadOnly {
	return &sqldb.ReadOnly{Check: func(ctx context.Context, q string) error { return CheckReadStatement(ctx, db, q) }}
}

// LockWait bounds how long opening a database file that another process
// holds waits for it (DuckDB allows one writing process, or many reading
// ones, never both).
var LockWait = 15 * time.Second

// ping checks the open database answers.
func ping(ctx context.Context, db *sql.DB, path string) error {
	if err := db.PingContext(ctx); err != nil {
		return openError(displayPath(path), err)
	}
	return nil
}

func isLockError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Could not set lock on file") || strings.Contains(msg, "Conflicting lock")
}

// NewConn wraps an open DuckDB *sql.DB (from OpenDB) as a connector named
// name, with this package's catalogue queries.
func NewConn(name string, db *sql.DB) *sqldb.Conn {
	return &sqldb.Conn{ConnName: name, DialectName: Dialect, DB: db, Meta: Meta{}}
}

// OpenDB opens a DuckDB database through database/sql. An empty path or
// ":memory:" is a new in-memory database; otherwise path is a database file
// (relative paths resolve against the working directory). readOnly opens the file with
// access_mode=read_only, so the engine itself refuses writes; it needs an
// existing file. A new file's folder must exist. A file locked by another
// process gives an error saying so.
func OpenDB(path string, readOnly bool) (*sql.DB, error) {
	return openDB(path, readOnly, nil)
}

func openDB(path string, readOnly bool, settings map[string]string) (*sql.DB, error) {
	dsn := ""
	if IsMemory(path) {
		if readOnly {
			return nil, errors.New("read_only needs a database file: an in-memory DuckDB database cannot be opened read-only")
		}
	} else {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, fmt.Errorf("database file %s: %w", path, err)
		}
		path = abs
		// duckdb-go reads the DSN as path?setting=value, parsed as a URL.
		if strings.ContainsAny(path, "?#\x00") {
			return nil, fmt.Errorf("database file %s: the path may not contain '?', '#' or NUL; rename or move the file", path)
		}
		if _, err := url.Parse(path); err != nil {
			return nil, fmt.Errorf("database file %s: the path cannot be passed to DuckDB (a '%%' not followed by two hex digits); rename the file", path)
		}
		st, err := os.Stat(path)
		switch {
		case err == nil && st.IsDir():
			return nil, fmt.Errorf("database file %s is a folder; path must name a DuckDB database file", path)
		case errors.Is(err, fs.ErrNotExist) && readOnly:
			return nil, fmt.Errorf("database file %s does not exist (a read-only connection cannot create it)", path)
		case errors.Is(err, fs.ErrNotExist):
			// A new database file is created, but never the folders above
			// it: a mistyped path must not silently grow a directory tree.
			if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
				return nil, fmt.Errorf("database file %s: its folder %s does not exist; create it first or fix the path", path, filepath.Dir(path))
			}
		case err != nil:
			return nil, fmt.Errorf("database file %s: %w", path, err)
		}
		dsn = path
	}
	q := url.Values{}
	for k, v := range settings {
		if !settingName.MatchString(k) {
			return nil, fmt.Errorf("option %q is not a DuckDB setting name (letters, digits and _ only)", k)
		}
		q.Set(k, v)
	}
	if readOnly {
		q.Set("access_mode", "read_only")
	}
	if len(q) > 0 {
		dsn += "?" + q.Encode()
	}
	// duckdb-go opens the database file in sql.Open; another process that
	// holds the file's lock is waited for, with a bound.
	deadline := time.Now().Add(LockWait)
	delay := 50 * time.Millisecond
	for {
		db, err := sql.Open(DriverName, dsn)
		if err == nil {
			return db, nil
		}
		if !isLockError(err) || time.Now().After(deadline) {
			return nil, openError(displayPath(path), err)
		}
		time.Sleep(delay)
		if delay < 500*time.Millisecond {
			delay *= 2
		}
	}
}

func displayPath(path string) string {
	if IsMemory(path) {
		return Memory
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// openError turns DuckDB's open failures into messages that say what to do.
func openError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock on file") || strings.Contains(msg, "Conflicting lock"):
		return fmt.Errorf("database file %s is in use by another process (DuckDB allows one process at a time to write it) and stayed busy for %s; close the other program, such as another databridge command or a running MCP server, and retry: %w", path, LockWait, err)
	case strings.Contains(msg, "different configuration"):
		return fmt.Errorf("database file %s is already open in this process with different settings (read-only versus read-write); close the other connection first: %w", path, err)
	}
	return fmt.Errorf("open DuckDB database %s: %w", path, err)
}

// QuoteIdent quotes a DuckDB identifier, doubling embedded double quotes.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteLiteral quotes a DuckDB string literal, doubling embedded single
// quotes. Use it only where DuckDB takes no bound parameter (CREATE VIEW
// bodies, table-function arguments inside a view); bind values everywhere
// else.
func QuoteLiteral(s string) string {
	return `'` + strings.ReplaceAll(s, `'`, `''`) + `'`
}
