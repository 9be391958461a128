// Package files is the files connector engine: CSV, TSV, Parquet and JSON
// files (plain or .gz/.zst compressed text) read through an in-memory
// DuckDB. Each file becomes a view in schema main named by ViewName;
// queries, tables and describe then work as on any DuckDB database (the
// dialect is duckdb). The files themselves are only read. Without a cache
// folder a view re-reads its file on every query; with one (in a project)
// databridge's own sessions read each CSV or JSON file from a copy parsed
// once per version (cache.go). Either way, edits to a file show up in the
// next connection. CSV money columns are read as DECIMAL, never DOUBLE
// (decimals.go).
//
// Config: path and/or paths, each a file, a folder (its data files; with
// options.recursive "true" also its sub-folders') or a glob. Options
// delimiter, header and dateformat are passed to DuckDB's CSV reader.
package files

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/duckdb"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// Type is the engine type.
const Type = "files"

// Options the engine reads.
const (
	OptRecursive  = "recursive"
	OptDelimiter  = "delimiter"
	OptHeader     = "header"
	OptDateFormat = "dateformat"
)

var knownOptions = []string{OptDateFormat, OptDelimiter, OptHeader, OptRecursive}

func init() {
	connector.Register(connector.Engine{
		Type:        Type,
		Dialect:     duckdb.Dialect,
		Description: "CSV, Parquet and JSON files (a file, folder or glob), read through an in-memory DuckDB",
		Fields:      []string{"path", "paths", "options", "read_only"},
		Open:        open,
		Check:       check,
	})
}

func check(cfg connector.Config) error {
	if strings.TrimSpace(cfg.Path) == "" && len(cfg.Paths) == 0 {
		return errors.New("no files configured: set path or paths to a file, folder or glob")
	}
	if cfg.DSN != "" {
		return errors.New("the files engine reads path/paths, not dsn")
	}
	for k := range cfg.Options {
		if !isKnownOption(k) {
			return fmt.Errorf("unknown option %q for the files engine (known: %s)", k, strings.Join(knownOptions, ", "))
		}
	}
	return nil
}

func isKnownOption(k string) bool {
	for _, o := range knownOptions {
		if k == o {
			return true
		}
	}
	return false
}

// csvOptions are the CSV reader settings from the config options.
type csvOptions struct {
	delimiter  string
	header     *bool
	dateFormat string
}

func parseOptions(opts map[string]string) (csvOptions, bool, error) {
	var o csvOptions
	recursive := false
	for k, v := range opts {
		switch k {
		case OptRecursive:
			b, err := strconv.ParseBool(v)
			if err != nil {
				return o, false, fmt.Errorf("option recursive must be true or false, not %q", v)
			}
			recursive = b
		case OptHeader:
			b, err := strconv.ParseBool(v)
			if err != nil {
				return o, false, fmt.Errorf("option header must be true or false, not %q", v)
			}
			o.header = &b
		case OptDelimiter:
			switch strings.ToLower(v) {
			case `\t`, "tab":
				v = "\t"
			}
			if v == "" || strings.ContainsAny(v, "\x00\n\r") {
				return o, false, fmt.Errorf("option delimiter %q is not a usable CSV delimiter", opts[k])
			}
			o.delimiter = v
		case OptDateFormat:
			if strings.ContainsRune(v, 0) {
				return o, false, errors.New("option dateformat contains a NUL character")
			}
			o.dateFormat = v
		default:
			return o, false, fmt.Errorf("unknown option %q for the files engine (known: %s)", k, strings.Join(knownOptions, ", "))
		}
	}
	return o, recursive, nil
}

// readSQL is the table-function call that reads s; types (column name ->
// DuckDB type) override what the CSV sniffer chose. The path and option
// values are user input: they go in as escaped string literals, because
// DuckDB does not take bound parameters inside a view definition.
func readSQL(s Source, o csvOptions, types map[string]string) string {
	lit := duckdb.QuoteLiteral(s.Path)
	switch s.Format {
	case FormatParquet:
		return "read_parquet(" + lit + ")"
	case FormatJSON:
		return "read_json_auto(" + lit + ")"
	case FormatNDJSON:
		return "read_json_auto(" + lit + ", format = 'newline_delimited')"
	}
	args := csvArgs(s, o)
	if t := typesArg(readTypes(types)); t != "" {
		args = append(args, t)
	}
	return "read_csv_auto(" + strings.Join(args, ", ") + ")"
}

// csvArgs are the path and the user's reading options of a CSV source, as
// read_csv (and sniff_csv) arguments.
func csvArgs(s Source, o csvOptions) []string {
	args := []string{duckdb.QuoteLiteral(s.Path)}
	delim := o.delimiter
	if delim == "" && s.TSV {
		delim = "\t"
	}
	if delim != "" {
		args = append(args, "delim = "+duckdb.QuoteLiteral(delim))
	}
	if o.header != nil {
		args = append(args, "header = "+strconv.FormatBool(*o.header))
	}
	if o.dateFormat != "" {
		args = append(args, "dateformat = "+duckdb.QuoteLiteral(o.dateFormat))
	}
	return args
}

func open(ctx context.Context, name string, cfg connector.Config) (connector.Connector, error) {
	if err := check(cfg); err != nil {
		return nil, err
	}
	o, recursive, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	entries := append([]string{cfg.Path}, cfg.Paths...)
	sources, err := Resolve(entries, recursive)
	if err != nil {
		return nil, err
	}
	for _, s := range sources {
		// DuckDB expands glob characters inside a path it is given, so a
		// file whose name contains them cannot be addressed on its own.
		if hasGlob(s.Path) || strings.ContainsRune(s.Path, 0) {
			return nil, fmt.Errorf("file %s: its path contains *, ? or [, which DuckDB reads as a glob; rename the file", s.Path)
		}
	}
	db, err := duckdb.OpenDB("", false)
	if err != nil {
		return nil, err
	}
	inner := duckdb.NewConn(name, db)
	byView := make(map[string]Source, len(sources))
	for _, s := range sources {
		byView[s.View] = s
	}
	formats := map[string]map[string]string{}
	inner.Meta = meta{byView: byView, formats: formats}
	c := &conn{Conn: inner, sources: sources}
	var cache *fileCache
	if cfg.CacheDir != "" {
		// Without a usable cache folder the files are read directly, as
		// without a project.
		cache, _ = openCache(ctx, db, cfg.CacheDir, cfg.Sandbox == nil)
	}
	if cache != nil && cfg.Sandbox == nil {
		cache.prepare(ctx, sources, o)
	}
	for i, s := range sources {
		types, err := addSource(ctx, db, inner, cache, i, s, o, cfg.Sandbox != nil)
		for n, t := range types {
			if _, f := splitType(t); f != "" {
				if formats[s.View] == nil {
					formats[s.View] = map[string]string{}
				}
				formats[s.View][n] = f
			}
		}
		if err != nil {
			if cache != nil {
				_ = cache.close()
			}
			inner.Close()
			return nil, err
		}
	}
	if cache != nil {
		_ = cache.close()
	}
	// The views are databridge's own work; what follows is the user's.
	if cfg.Sandbox != nil {
		if err := duckdb.ApplySandbox(ctx, db, cfg.Sandbox); err != nil {
			inner.Close()
			return nil, err
		}
	}
	if cfg.ReadOnly {
		inner.ReadOnly = duckdb.ReadOnlySession(db)
	}
	return c, nil
}

// addSource creates the view over source number i. With a cache, a
// trusted session reads a CSV or JSON file from its cache entry (built if
// needed): the entry is attached read-only and the view selects from it.
// When the entry cannot be built (a malformed file, a full disk) the file
// is read as without a cache, so its errors surface as they always have.
//
// A sandboxed session (user SQL) gets views over the files themselves,
// with the DECIMAL types the cache index records (scanned for when it has
// none), and writes nothing. It cannot read the entries: when external
// access is turned off DuckDB adds every attached database file, with its
// .wal names, to allowed_paths, where the locked sandbox cannot take them
// out again; user SQL could then read an entry by path (read_blob) and
// write next to it (COPY ... TO '<entry>.wal'). Copying the entries into
// the in-memory database before the sandbox would keep them out of reach,
// but costs as much as parsing the file (measured: 2.7 s to copy a
// 3.96M-row, 30-column entry, 2.1 s to scan the CSV) for a session that
// runs one statement.
func addSource(ctx context.Context, db *sql.DB, c *sqldb.Conn, cache *fileCache, i int, s Source, o csvOptions, sandboxed bool) (map[string]string, error) {
	if cache == nil || s.Format == FormatParquet {
		return createView(ctx, db, c, s, o, nil, true)
	}
	if sandboxed {
		if types, ok := cache.decimals(s, o); ok {
			return createView(ctx, db, c, s, o, types, false)
		}
		return createView(ctx, db, c, s, o, nil, true)
	}
	ent, err := cache.entry(ctx, s, o)
	var types map[string]string
	if err == nil {
		if types, err = viewOverEntry(ctx, db, cache, i, s, o, ent); err != nil {
			// An entry DuckDB cannot open (damaged on disk) is dropped
			// and the file read directly; the next open builds it again.
			cache.drop(s, o, ent)
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return createView(ctx, db, c, s, o, nil, true)
	}
	return types, nil
}

// viewOverEntry attaches cache entry ent read-only as source i's database
// and creates s's view over its table.
func viewOverEntry(ctx context.Context, db *sql.DB, cache *fileCache, i int, s Source, o csvOptions, ent string) (map[string]string, error) {
	alias := duckdb.QuoteIdent(entryAlias(i))
	if _, err := db.ExecContext(ctx, "ATTACH "+duckdb.QuoteLiteral(cache.path(ent))+" AS "+alias+" (READ_ONLY)"); err != nil {
		return nil, err
	}
	types, err := entryTypes(ctx, db, entryAlias(i))
	if err == nil {
		_, err = db.ExecContext(ctx, "CREATE VIEW main."+duckdb.QuoteIdent(s.View)+" AS SELECT * FROM "+alias+".main.data")
	}
	if err != nil {
		_, _ = db.ExecContext(context.WithoutCancel(ctx), "DETACH "+alias)
		return nil, err
	}
	cache.setDecimals(s, o, types)
	return types, nil
}

// entryAlias is the name cache entry i is attached under.
func entryAlias(i int) string { return fmt.Sprintf("__databridge_file_%d", i) }

// createView creates the view over the file itself. types are the CSV
// reader's type overrides; with detect, a CSV file's DOUBLE columns are
// scanned for money (see decimalOverrides) and the view re-created with
// the DECIMAL types found.
func createView(ctx context.Context, db *sql.DB, c *sqldb.Conn, s Source, o csvOptions, types map[string]string, detect bool) (map[string]string, error) {
	if err := execView(ctx, c, s, o, types, false); err != nil {
		return nil, err
	}
	if needsDelimiterCheck(s, o) {
		if err := checkSniffed(ctx, c, s); err != nil {
			return nil, err
		}
	}
	if !detect || s.Format != FormatCSV {
		return types, nil
	}
	cols, err := viewColumns(ctx, db, s.View)
	if err != nil {
		return nil, fmt.Errorf("file %s: %w", s.Path, err)
	}
	ov, err := decimalOverrides(ctx, db, cols, func(t map[string]string) string { return readSQL(s, o, t) })
	if err == nil {
		var money map[string]string
		if money, err = scanMoney(ctx, db, readSQL(s, o, nil), varcharColumns(cols)); err == nil && len(money) > 0 {
			if ov == nil {
				ov = map[string]string{}
			}
			for n, t := range money {
				ov[n] = t
			}
		}
	}
	if err != nil {
		// A file the reader cannot scan to the end (a bad line past the
		// sniffer's sample) keeps the sniffer's types; the query that
		// reaches the bad line reports it.
		return nil, ctx.Err()
	}
	if len(ov) == 0 {
		return nil, nil
	}
	return ov, execView(ctx, c, s, o, ov, true)
}

func execView(ctx context.Context, c *sqldb.Conn, s Source, o csvOptions, types map[string]string, replace bool) error {
	stmt := "CREATE VIEW main."
	if replace {
		stmt = "CREATE OR REPLACE VIEW main."
	}
	list, err := selectList(types)
	if err != nil {
		return err
	}
	stmt += duckdb.QuoteIdent(s.View) + " AS SELECT " + list + " FROM " + readSQL(s, o, types)
	if _, err := c.Exec(ctx, stmt); err != nil {
		if ce := AsCSVError(err, s.Path); ce != nil {
			return ce
		}
		return fmt.Errorf("file %s: DuckDB cannot read it as %s: %w", s.Path, s.Format, err)
	}
	return nil
}

// viewColumns lists a view's columns and types as DuckDB's catalogue
// holds them (without binding the view again).
func viewColumns(ctx context.Context, db *sql.DB, view string) ([]column, error) {
	rows, err := db.QueryContext(ctx, `SELECT column_name, data_type FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1 ORDER BY column_index`, view)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var col column
		if err := rows.Scan(&col.Name, &col.Type); err != nil {
			return nil, err
		}
		out = append(out, col)
	}
	return out, rows.Err()
}

// needsDelimiterCheck: a CSV file whose delimiter DuckDB's sniffer chose.
func needsDelimiterCheck(s Source, o csvOptions) bool {
	return s.Format == FormatCSV && o.delimiter == "" && !s.TSV
}

// checkSniffed catches a CSV that DuckDB's sniffer could only make sense
// of as a single column whose name holds a delimiter: that happens when rows
// have differing numbers of fields, and reading on would give one garbled
// column. The file is then read with Go's CSV reader to find the first bad
// line; when there is none (a genuine one-column file), the view stays.
func checkSniffed(ctx context.Context, c *sqldb.Conn, s Source) error {
	res, err := c.Query(ctx, `SELECT column_name FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1`,
		connector.QueryOptions{MaxRows: 2}, s.View)
	if err != nil {
		return fmt.Errorf("file %s: %w", s.Path, err)
	}
	if len(res.Rows) != 1 {
		return nil
	}
	col, _ := res.Rows[0][0].(string)
	if ce := checkOneColumn(s, col); ce != nil {
		return ce
	}
	return nil
}

// checkOneColumn is checkSniffed's test of the one column's name col.
func checkOneColumn(s Source, col string) *CSVError {
	i := strings.IndexAny(col, ",;\t|")
	if i < 0 {
		return nil
	}
	return locateCSVProblem(s.Path, rune(col[i]))
}

// locateCSVProblem reads a (plain or gzip) CSV file with delimiter delim
// and returns the first line whose field count or quoting is wrong, or nil.
func locateCSVProblem(path string, delim rune) *CSVError {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(strings.ToLower(path), ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil
		}
		defer zr.Close()
		r = zr
	} else if strings.HasSuffix(strings.ToLower(path), ".zst") {
		return nil
	}
	cr := csv.NewReader(bufio.NewReader(r))
	cr.Comma = delim
	cr.ReuseRecord = true
	want := -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && !errors.Is(err, csv.ErrFieldCount) {
			return &CSVError{File: path, Line: pe.StartLine, Reason: pe.Err.Error(), Err: err}
		}
		if err != nil && !errors.Is(err, csv.ErrFieldCount) {
			return nil
		}
		if want < 0 {
			want = len(rec)
			continue
		}
		if len(rec) != want {
			line, _ := cr.FieldPos(0)
			return &CSVError{
				File:     path,
				Line:     line,
				Reason:   fmt.Sprintf("expected %d fields (as on line 1), found %d", want, len(rec)),
				Original: readLine(path, line),
				Err:      err,
			}
		}
	}
}

// readLine returns line n (1-based) of a plain text file, or "".
func readLine(path string, n int) string {
	if strings.HasSuffix(strings.ToLower(path), ".gz") || strings.HasSuffix(strings.ToLower(path), ".zst") {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for i := 1; sc.Scan(); i++ {
		if i == n {
			return sc.Text()
		}
	}
	return ""
}

// conn is the files connector: a DuckDB connector over the views, which
// turns CSV read errors into CSVErrors. When read_only is set, the lexical
// guard (connector.Open) and DuckDB's own parser (the inner connection's
// read-only session) refuse statements that may write; a sandbox, when the
// session has one, keeps every statement inside the files' folders.
type conn struct {
	*sqldb.Conn
	sources []Source
}

// Sources lists the files behind the views.
func (c *conn) Sources() []Source { return append([]Source(nil), c.sources...) }

func (c *conn) Query(ctx context.Context, q string, opts connector.QueryOptions, args ...any) (*connector.Result, error) {
	res, err := c.Conn.Query(ctx, q, opts, args...)
	return res, fileError(err)
}

func (c *conn) Exec(ctx context.Context, q string, args ...any) (connector.ExecResult, error) {
	res, err := c.Conn.Exec(ctx, q, args...)
	return res, fileError(err)
}

func (c *conn) Begin(ctx context.Context) (connector.Tx, error) {
	t, err := c.Conn.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return &tx{Tx: t}, nil
}

type tx struct {
	connector.Tx
}

func (t *tx) Query(ctx context.Context, q string, opts connector.QueryOptions, args ...any) (*connector.Result, error) {
	res, err := t.Tx.Query(ctx, q, opts, args...)
	return res, fileError(err)
}

func (t *tx) Exec(ctx context.Context, q string, args ...any) (connector.ExecResult, error) {
	res, err := t.Tx.Exec(ctx, q, args...)
	return res, fileError(err)
}

func fileError(err error) error {
	if err == nil {
		return nil
	}
	if ce := AsCSVError(err, ""); ce != nil {
		return ce
	}
	return err
}

// meta is DuckDB's catalogue, with the views over files reported as kind
// file and their location.
type meta struct {
	duckdb.Meta
	byView map[string]Source
	// formats: view -> column -> amount format of its formatted-amount
	// columns (see money.go), reported by Describe.
	formats map[string]map[string]string
}

func (m meta) file(t *catalog.Table) {
	if t.Schema != duckdb.DefaultSchema || t.Kind != catalog.KindView {
		return
	}
	if s, ok := m.byView[t.Name]; ok {
		t.Kind = catalog.KindFile
		t.Location = s.Path
	}
}

func (m meta) Tables(ctx context.Context, q connector.Querier, schema string) ([]catalog.Table, error) {
	ts, err := m.Meta.Tables(ctx, q, schema)
	for i := range ts {
		m.file(&ts[i])
	}
	return ts, err
}

func (m meta) Describe(ctx context.Context, q connector.Querier, schema, table string) (*catalog.TableDetail, error) {
	d, err := m.Meta.Describe(ctx, q, schema, table)
	if d != nil {
		m.file(&d.Table)
		if d.Table.Kind == catalog.KindFile {
			for i := range d.Columns {
				d.Columns[i].Format = m.formats[d.Table.Name][d.Columns[i].Name]
			}
		}
	}
	return d, err
}

// CSVError is a malformed CSV file: which file, which line (1-based,
// counting the header; 0 when DuckDB did not say) and what is wrong.
type CSVError struct {
	File     string
	Line     int
	Reason   string
	Original string // the offending line as DuckDB quotes it
	Err      error  // DuckDB's full message, with its suggested fixes
}

func (e *CSVError) Error() string {
	var b strings.Builder
	b.WriteString("malformed CSV file ")
	if e.File == "" {
		b.WriteString("(unknown)")
	} else {
		b.WriteString(e.File)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	if e.Reason != "" {
		b.WriteString(": " + e.Reason)
	}
	if e.Original != "" {
		o := e.Original
		if len(o) > 200 {
			o = o[:200] + "..."
		}
		fmt.Fprintf(&b, " (line reads %q)", o)
	}
	b.WriteString(`; fix the file, or set options (delimiter, header, dateformat) to match it`)
	return b.String()
}

func (e *CSVError) Unwrap() error { return e.Err }

var (
	csvLineRe = regexp.MustCompile(`CSV Error on Line: (\d+)`)
	csvFileRe = regexp.MustCompile(`(?m)^\s*file = (.+?)\s*$`)
)

// AsCSVError recognises DuckDB's CSV reader errors and returns them as a
// *CSVError (nil for any other error). file is used when DuckDB's message
// does not name the file.
func AsCSVError(err error, file string) *CSVError {
	if err == nil {
		return nil
	}
	var ce *CSVError
	if errors.As(err, &ce) {
		return ce
	}
	msg := err.Error()
	m := csvLineRe.FindStringSubmatchIndex(msg)
	if m == nil {
		return nil
	}
	e := &CSVError{File: file, Err: err}
	e.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
	if f := csvFileRe.FindStringSubmatch(msg); f != nil {
		e.File = f[1]
	}
	rest := strings.Split(msg[m[1]:], "\n")
	for _, l := range rest {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case strings.HasPrefix(l, "Original Line:"):
			e.Original = strings.TrimSpace(strings.TrimPrefix(l, "Original Line:"))
		case e.Reason == "":
			e.Reason = l
		}
		if e.Reason != "" {
			break
		}
	}
	return e
}
