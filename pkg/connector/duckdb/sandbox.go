package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	duck "github.com/duckdb/duckdb-go/v2"

	"github.com/databridge/databridge/pkg/connector"
)

// ApplySandbox closes a DuckDB database around the sandbox's files: only
// its folders and files are reachable (allowed_directories,
// allowed_paths), every other external access is off
// (enable_external_access = false: no other files, no extension installs,
// no persistent secrets), and lock_configuration = true, so no statement
// can change any of it back. The settings are global: every connection of
// the pool gets them. Run it after databridge's own set-up statements
// (views over files) and before any user SQL.
func ApplySandbox(ctx context.Context, db *sql.DB, sb *connector.Sandbox) error {
	dirs, paths := sb.Resolved()
	list := func(xs []string, dir bool) string {
		q := make([]string, len(xs))
		for i, x := range xs {
			if dir && !strings.HasSuffix(x, string(filepath.Separator)) {
				x += string(filepath.Separator)
			}
			q[i] = QuoteLiteral(x)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	stmts := []string{
		"SET GLOBAL allowed_directories = " + list(dirs, true),
		"SET GLOBAL allowed_paths = " + list(paths, false),
		"SET GLOBAL autoinstall_known_extensions = false",
		"SET GLOBAL autoload_known_extensions = false",
		"SET GLOBAL enable_external_access = false",
		"SET GLOBAL lock_configuration = true",
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			// DuckDB shares one database instance between the sessions of
			// a process that open the same file: a second session finds
			// the configuration locked by the first. That is fine when the
			// lock holds exactly this sandbox; anything else is refused.
			if strings.Contains(err.Error(), "Cannot change configuration option") && sameSandbox(ctx, db, dirs, paths) {
				return nil
			}
			return fmt.Errorf("sandbox the DuckDB session (%s): %w", s, err)
		}
	}
	return nil
}

// sameSandbox reports whether the database is already locked in exactly
// the sandbox of dirs and paths (external access off, configuration
// locked, the same directories and paths allowed).
func sameSandbox(ctx context.Context, db *sql.DB, dirs, paths []string) bool {
	var locked, external string
	var gotDirs, gotPaths, temp string
	row := db.QueryRowContext(ctx, `SELECT current_setting('lock_configuration')::VARCHAR, current_setting('enable_external_access')::VARCHAR, current_setting('allowed_directories')::VARCHAR, current_setting('allowed_paths')::VARCHAR, current_setting('temp_directory')::VARCHAR`)
	if err := row.Scan(&locked, &external, &gotDirs, &gotPaths, &temp); err != nil {
		return false
	}
	if !strings.EqualFold(locked, "true") || !strings.EqualFold(external, "false") {
		return false
	}
	set := func(list string) map[string]bool {
		out := map[string]bool{}
		for _, x := range strings.Split(strings.Trim(list, "[]"), ",") {
			if x = strings.TrimRight(strings.TrimSpace(x), string(filepath.Separator)); x != "" {
				out[x] = true
			}
		}
		return out
	}
	want := func(xs []string) map[string]bool {
		out := map[string]bool{}
		for _, x := range xs {
			out[strings.TrimRight(x, string(filepath.Separator))] = true
		}
		return out
	}
	eq := func(a, b map[string]bool) bool {
		if len(a) != len(b) {
			return false
		}
		for k := range a {
			if !b[k] {
				return false
			}
		}
		return true
	}
	// DuckDB adds its own files to the allowed ones: the temporary
	// directory, and each attached database file with its WAL.
	own := func(x string) bool {
		t := strings.TrimRight(strings.TrimSpace(temp), string(filepath.Separator))
		if abs, err := filepath.Abs(t); err == nil && (x == t || x == abs) {
			return true
		}
		for _, f := range dbFiles(ctx, db) {
			if x == f || strings.HasPrefix(x, f+".") {
				return true
			}
		}
		return false
	}
	strip := func(m map[string]bool) map[string]bool {
		for k := range m {
			if own(k) {
				delete(m, k)
			}
		}
		return m
	}
	return eq(strip(set(gotDirs)), want(dirs)) && eq(strip(set(gotPaths)), want(paths))
}

// dbFiles are the files of the databases attached to db.
func dbFiles(ctx context.Context, db *sql.DB) []string {
	rows, err := db.QueryContext(ctx, `SELECT path FROM duckdb_databases() WHERE path IS NOT NULL`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if rows.Scan(&p) == nil && p != "" {
			out = append(out, p)
			if abs, err := filepath.Abs(p); err == nil {
				out = append(out, abs)
			}
		}
	}
	return out
}

// readStatementTypes are the statement types DuckDB's own parser may report
// for a read-only query. SHOW, DESCRIBE, SUMMARIZE, FROM-first and
// PRAGMA table_info are SELECTs to DuckDB; EXPLAIN ANALYZE of a write is
// refused by the lexical guard, which runs first.
var readStatementTypes = map[duck.StmtType]bool{
	duck.STATEMENT_TYPE_SELECT:  true,
	duck.STATEMENT_TYPE_EXPLAIN: true,
}

// CheckReadStatement asks DuckDB's parser, not ours, what q is: it must be
// exactly one statement, and a SELECT or EXPLAIN. Preparing binds and plans
// the statement without running it.
func CheckReadStatement(ctx context.Context, db *sql.DB, q string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*duck.Conn)
		if !ok {
			return fmt.Errorf("not a DuckDB connection: %T", dc)
		}
		// Prepare (without a context) refuses more than one statement;
		// PrepareContext would run all but the last.
		st, err := c.Prepare(q)
		if err != nil {
			if strings.Contains(err.Error(), "multi-statement") {
				return &connector.ErrWriteRefused{Keyword: "a second statement", Reason: "is not allowed: a read-only query is exactly one statement (DuckDB)"}
			}
			return err
		}
		defer st.Close()
		ds, ok := st.(*duck.Stmt)
		if !ok {
			return errors.New("DuckDB returned an unexpected statement type")
		}
		typ, err := ds.StatementType()
		if err != nil {
			return err
		}
		if !readStatementTypes[typ] {
			return &connector.ErrWriteRefused{Keyword: "a " + statementTypeName(typ) + " statement (DuckDB)"}
		}
		if typ == duck.STATEMENT_TYPE_EXPLAIN && !explainsSelect(c, q) {
			// EXPLAIN ANALYZE runs the statement it explains.
			return &connector.ErrWriteRefused{Keyword: "EXPLAIN of a statement DuckDB does not call a SELECT", Reason: "is not allowed in a read-only query (EXPLAIN ANALYZE runs it)"}
		}
		return nil
	})
}

var explainWord = regexp.MustCompile(`(?is)^.*?\bEXPLAIN\b(\s+ANALY[SZ]E\b)?`)

// explainsSelect reports whether DuckDB's parser calls the statement after
// the EXPLAIN [ANALYZE] keywords a SELECT. Anything it cannot read that
// way (options, comments in between, another statement) is refused.
func explainsSelect(c *duck.Conn, q string) bool {
	loc := explainWord.FindStringIndex(q)
	if loc == nil {
		return false
	}
	st, err := c.Prepare(q[loc[1]:])
	if err != nil {
		return false
	}
	defer st.Close()
	ds, ok := st.(*duck.Stmt)
	if !ok {
		return false
	}
	typ, err := ds.StatementType()
	return err == nil && typ == duck.STATEMENT_TYPE_SELECT
}

func statementTypeName(t duck.StmtType) string {
	names := map[duck.StmtType]string{
		duck.STATEMENT_TYPE_INSERT: "INSERT", duck.STATEMENT_TYPE_UPDATE: "UPDATE",
		duck.STATEMENT_TYPE_DELETE: "DELETE", duck.STATEMENT_TYPE_CREATE: "CREATE",
		duck.STATEMENT_TYPE_DROP: "DROP", duck.STATEMENT_TYPE_ALTER: "ALTER",
		duck.STATEMENT_TYPE_COPY: "COPY", duck.STATEMENT_TYPE_ATTACH: "ATTACH",
		duck.STATEMENT_TYPE_DETACH: "DETACH", duck.STATEMENT_TYPE_CALL: "CALL",
		duck.STATEMENT_TYPE_SET: "SET", duck.STATEMENT_TYPE_VARIABLE_SET: "SET VARIABLE",
		duck.STATEMENT_TYPE_PRAGMA: "PRAGMA", duck.STATEMENT_TYPE_EXPORT: "EXPORT",
		duck.STATEMENT_TYPE_LOAD: "LOAD", duck.STATEMENT_TYPE_VACUUM: "VACUUM",
		duck.STATEMENT_TYPE_TRANSACTION: "transaction", duck.STATEMENT_TYPE_EXECUTE: "EXECUTE",
		duck.STATEMENT_TYPE_PREPARE: "PREPARE", duck.STATEMENT_TYPE_ANALYZE: "ANALYZE",
		duck.STATEMENT_TYPE_CREATE_FUNC: "CREATE FUNCTION", duck.STATEMENT_TYPE_EXTENSION: "extension",
		duck.STATEMENT_TYPE_MULTI: "multi-statement",
	}
	if n, ok := names[t]; ok {
		return n
	}
	return fmt.Sprintf("type-%d", int(t))
}
