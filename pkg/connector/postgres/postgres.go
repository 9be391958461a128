// Package postgres is the PostgreSQL engine: database/sql over pgx, with
// catalogue queries against pg_catalog. Importing it registers the engine
// type "postgres" (dialect "postgres").
//
// A connection is configured either as a DSN (a postgres:// URL or a
// key=value string) or as fields: host, port (default 5432), database, user,
// password, schema, and options (sslmode, application_name, connect_timeout
// or any run-time parameter). With a DSN, password and options may still be
// given as fields and are merged into it; host, port, database and user may
// not (say them once). The schema field is the default schema of Tables and
// Describe (else "public"); it does not change the session's search_path,
// which options can set.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// Engine identity.
const (
	Type        = "postgres"
	Dialect     = "postgres"
	DefaultPort = 5432
	// DefaultSchema is used by Tables and Describe when neither the call
	// nor the config names a schema.
	DefaultSchema = "public"
	// KindMaterializedView is the catalog.Table kind of a materialized view.
	KindMaterializedView = "materialized_view"
)

// openTimeout bounds the first connection when the caller's context has no
// deadline of its own.
const openTimeout = 30 * time.Second

func init() {
	connector.Register(connector.Engine{
		Type:        Type,
		Dialect:     Dialect,
		Description: "PostgreSQL (and wire-compatible engines) via pgx",
		Fields:      []string{"dsn", "host", "port", "database", "user", "password", "schema", "options"},
		Open:        open,
		Check:       check,
	})
}

// check validates an unexpanded config.
func check(cfg connector.Config) error {
	if cfg.DSN != "" {
		return connector.CheckDSNOrFields("postgres", cfg)
	}
	if cfg.Host == "" {
		return errors.New("postgres: set host (and port, database, user, password) or a dsn")
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return fmt.Errorf("postgres: port %d is out of range (1-65535)", cfg.Port)
	}
	return nil
}

func isURL(dsn string) bool {
	l := strings.ToLower(dsn)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// BuildDSN turns an expanded config (secrets resolved) into a connection
// string pgx accepts. Fields become a postgres:// URL with every part
// escaped; a DSN is kept as it is, with the password and options fields
// merged in (options replace parameters of the same name).
func BuildDSN(cfg connector.Config) (string, error) {
	opts := map[string]string{}
	for k, v := range cfg.Options {
		opts[k] = v
	}
	if cfg.DSN != "" {
		return mergeDSN(cfg.DSN, cfg.Password, opts)
	}
	if cfg.Host == "" {
		return "", errors.New("postgres: host is required when there is no dsn")
	}
	port := cfg.Port
	if port == 0 {
		port = DefaultPort
	}
	u := &url.URL{Scheme: "postgres", Path: "/" + cfg.Database}
	if cfg.Database == "" {
		u.Path = ""
	}
	switch {
	case cfg.User != "" && cfg.Password != "":
		u.User = url.UserPassword(cfg.User, cfg.Password)
	case cfg.User != "":
		u.User = url.User(cfg.User)
	case cfg.Password != "":
		opts["password"] = cfg.Password
	}
	if strings.HasPrefix(cfg.Host, "/") {
		// A Unix-socket directory: pgx takes it as the host parameter.
		opts["host"] = cfg.Host
		opts["port"] = strconv.Itoa(port)
	} else {
		u.Host = net.JoinHostPort(cfg.Host, strconv.Itoa(port))
	}
	u.RawQuery = mergeQuery("", opts)
	return u.String(), nil
}

// mergeQuery sets opts in a raw URL query, keeping the other parameters
// byte for byte. Values are percent-encoded with %20 for spaces: pgx does
// not read "+" as a space.
func mergeQuery(raw string, opts map[string]string) string {
	var parts []string
	for _, p := range strings.Split(raw, "&") {
		if p == "" {
			continue
		}
		k, _, _ := strings.Cut(p, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if _, replaced := opts[k]; replaced {
			continue
		}
		parts = append(parts, p)
	}
	for _, k := range sqldb.SortedKeys(opts) {
		parts = append(parts, queryEscape(k)+"="+queryEscape(opts[k]))
	}
	return strings.Join(parts, "&")
}

func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// mergeDSN adds a password and options to a URL or key=value DSN.
func mergeDSN(dsn, password string, opts map[string]string) (string, error) {
	if password == "" && len(opts) == 0 {
		return dsn, nil
	}
	if isURL(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			// The parse error quotes the DSN; the caller redacts secrets,
			// but keep the message short and free of it anyway.
			return "", errors.New("postgres: dsn is not a valid URL")
		}
		if password != "" {
			user := ""
			if u.User != nil {
				user = u.User.Username()
			}
			if user == "" {
				opts["password"] = password
			} else {
				u.User = url.UserPassword(user, password)
			}
		}
		u.RawQuery = mergeQuery(u.RawQuery, opts)
		return u.String(), nil
	}
	var b strings.Builder
	b.WriteString(strings.TrimSpace(dsn))
	keys := make([]string, 0, len(opts)+1)
	if password != "" {
		opts["password"] = password
	}
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(" ")
		b.WriteString(k)
		b.WriteString("=")
		b.WriteString(quoteKV(opts[k]))
	}
	return b.String(), nil
}

// quoteKV quotes a value for a libpq key=value string.
func quoteKV(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(v) + "'"
}

func open(ctx context.Context, name string, cfg connector.Config) (connector.Connector, error) {
	dsn, err := BuildDSN(cfg)
	if err != nil {
		return nil, err
	}
	pcfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("invalid connection settings: %w", err)
	}
	if cfg.ReadOnly {
		// The server enforces it: every statement runs in a READ ONLY
		// transaction that is rolled back, the session's default is read
		// only as well, and the extended protocol carries exactly one
		// statement per call (the simple protocol would run several).
		if pcfg.RuntimeParams == nil {
			pcfg.RuntimeParams = map[string]string{}
		}
		pcfg.RuntimeParams["default_transaction_read_only"] = "on"
		if pcfg.DefaultQueryExecMode == pgx.QueryExecModeSimpleProtocol {
			pcfg.DefaultQueryExecMode = pgx.QueryExecModeExec
		}
	}
	db := stdlib.OpenDB(*pcfg)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx := ctx
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		pctx, cancel = context.WithTimeout(ctx, openTimeout)
		defer cancel()
	}
	if err := db.PingContext(pctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("cannot connect: %w", err)
	}
	schema := cfg.Schema
	if schema == "" {
		schema = DefaultSchema
	}
	c := &sqldb.Conn{
		ConnName:    name,
		DialectName: Dialect,
		DB:          db,
		Meta:        meta{defaultSchema: schema},
	}
	if cfg.ReadOnly {
		c.ReadOnly = &sqldb.ReadOnly{Tx: true}
	}
	return c, nil
}

// meta runs the pg_catalog queries.
type meta struct{ defaultSchema string }

func (m meta) schema(s string) string {
	if s == "" {
		return m.defaultSchema
	}
	return s
}

const schemasSQL = `
SELECT n.nspname
FROM pg_catalog.pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
ORDER BY n.nspname`

func (meta) Schemas(ctx context.Context, q connector.Querier) ([]catalog.Schema, error) {
	rows, err := sqldb.Strings(ctx, q, schemasSQL)
	if err != nil {
		return nil, fmt.Errorf("listing schemas: %w", err)
	}
	out := make([]catalog.Schema, 0, len(rows))
	for _, r := range rows {
		out = append(out, catalog.Schema{Name: r[0]})
	}
	return out, nil
}

// Relations listed: ordinary and partitioned tables (not their partitions),
// views, materialized views and foreign tables.
const relationsSQL = `
SELECT c.relname,
       c.relkind::text,
       COALESCE(pg_catalog.obj_description(c.oid, 'pg_class'), '')
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND NOT c.relispartition`

func kindOf(relkind string) string {
	switch relkind {
	case "v":
		return catalog.KindView
	case "m":
		return KindMaterializedView
	default:
		return catalog.KindTable
	}
}

func (m meta) Tables(ctx context.Context, q connector.Querier, schema string) ([]catalog.Table, error) {
	schema = m.schema(schema)
	rows, err := sqldb.Strings(ctx, q, relationsSQL+"\nORDER BY c.relname", schema)
	if err != nil {
		return nil, fmt.Errorf("listing tables of schema %s: %w", schema, err)
	}
	out := make([]catalog.Table, 0, len(rows))
	for _, r := range rows {
		out = append(out, catalog.Table{Schema: schema, Name: r[0], Kind: kindOf(r[1]), Comment: r[2]})
	}
	return out, nil
}

// Columns in attribute order. Identity columns report their generation
// rule as the default; generated columns report no default.
const columnsSQL = `
SELECT a.attname,
       pg_catalog.format_type(a.atttypid, a.atttypmod),
       NOT a.attnotnull,
       CASE
         WHEN a.attidentity = 'a' THEN 'GENERATED ALWAYS AS IDENTITY'
         WHEN a.attidentity = 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY'
         WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid)
       END,
       COALESCE(pg_catalog.col_description(a.attrelid, a.attnum), '')
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND c.relname = $2
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`

// Primary, unique and foreign-key constraints, one row per key column in
// key order; for a foreign key the referenced column of the same position.
const constraintsSQL = `
SELECT con.conname,
       con.contype::text,
       a.attname,
       COALESCE(fn.nspname, ''),
       COALESCE(fc.relname, ''),
       COALESCE(fa.attname, '')
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.ord]
WHERE n.nspname = $1 AND c.relname = $2
  AND con.contype IN ('p', 'u', 'f')
ORDER BY con.conname, k.ord`

// Unique indexes that back no constraint (CREATE UNIQUE INDEX), when they
// are total (no WHERE) and on plain columns (no expressions).
const uniqueIndexesSQL = `
SELECT i.relname, a.attname
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
WHERE n.nspname = $1 AND c.relname = $2
  AND x.indisunique AND NOT x.indisprimary
  AND x.indpred IS NULL
  AND 0 <> ALL (x.indkey::int2[])
  AND k.ord <= x.indnkeyatts
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid)
ORDER BY i.relname, k.ord`

func (m meta) Describe(ctx context.Context, q connector.Querier, schema, table string) (*catalog.TableDetail, error) {
	schema = m.schema(schema)
	where := fmt.Sprintf("%s.%s", schema, table)
	rel, err := sqldb.Strings(ctx, q, relationsSQL+"\n  AND c.relname = $2", schema, table)
	if err != nil {
		return nil, fmt.Errorf("describing %s: %w", where, err)
	}
	if len(rel) == 0 {
		return nil, fmt.Errorf("%w: %s", connector.ErrTableNotFound, where)
	}
	d := &catalog.TableDetail{
		Table:   catalog.Table{Schema: schema, Name: rel[0][0], Kind: kindOf(rel[0][1]), Comment: rel[0][2]},
		Columns: []catalog.Column{},
	}

	cols, err := q.Query(ctx, columnsSQL, connector.QueryOptions{MaxRows: -1}, schema, table)
	if err != nil {
		return nil, fmt.Errorf("describing columns of %s: %w", where, err)
	}
	for i, r := range cols.Rows {
		c := catalog.Column{
			Name:     sqldb.Str(r[0]),
			Type:     sqldb.Str(r[1]),
			Nullable: r[2] == true,
			Position: i + 1,
			Comment:  sqldb.Str(r[4]),
		}
		if r[3] != nil {
			def := sqldb.Str(r[3])
			c.Default = &def
		}
		d.Columns = append(d.Columns, c)
	}

	keys, err := sqldb.Strings(ctx, q, constraintsSQL, schema, table)
	if err != nil {
		return nil, fmt.Errorf("describing keys of %s: %w", where, err)
	}
	var (
		uniq = map[string]*catalog.UniqueKey{}
		fks  = map[string]*catalog.ForeignKey{}
	)
	for _, r := range keys {
		name, typ, col := r[0], r[1], r[2]
		switch typ {
		case "p":
			d.PrimaryKey = append(d.PrimaryKey, col)
		case "u":
			u := uniq[name]
			if u == nil {
				u = &catalog.UniqueKey{Name: name}
				uniq[name] = u
			}
			u.Columns = append(u.Columns, col)
		case "f":
			fk := fks[name]
			if fk == nil {
				fk = &catalog.ForeignKey{Name: name, RefSchema: r[3], RefTable: r[4]}
				fks[name] = fk
			}
			fk.Columns = append(fk.Columns, col)
			fk.RefColumns = append(fk.RefColumns, r[5])
		}
	}
	idx, err := sqldb.Strings(ctx, q, uniqueIndexesSQL, schema, table)
	if err != nil {
		return nil, fmt.Errorf("describing unique indexes of %s: %w", where, err)
	}
	for _, r := range idx {
		u := uniq[r[0]]
		if u == nil {
			u = &catalog.UniqueKey{Name: r[0]}
			uniq[r[0]] = u
		}
		u.Columns = append(u.Columns, r[1])
	}
	for _, name := range sqldb.SortedKeys(uniq) {
		d.UniqueKeys = append(d.UniqueKeys, *uniq[name])
	}
	for _, name := range sqldb.SortedKeys(fks) {
		d.ForeignKeys = append(d.ForeignKeys, *fks[name])
	}
	return d, nil
}
