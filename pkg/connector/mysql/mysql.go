// Package mysql is the MySQL and MariaDB engine: database/sql over
// go-sql-driver/mysql, with catalogue queries against information_schema.
// Importing it registers the engine type "mysql" (dialect "mysql").
//
// A connection is configured either as a DSN in the driver's form
// (user:password@tcp(host:port)/database?param=value) or as fields: host
// (a Unix socket path when it starts with "/"), port (default 3306),
// database, user, password, and options (tls, charset, any driver
// parameter or session variable). With a DSN, password and options may
// still be given as fields and are merged into it. Either way the driver
// parses DATETIME/DATE values (parseTime=true, unless the DSN or options
// say otherwise) and dials with a 10 second timeout unless told otherwise.
//
// In MySQL a schema is a database: Schemas lists databases, and Tables and
// Describe default to the schema field, else the connection's database.
package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	driver "github.com/go-sql-driver/mysql"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// Engine identity.
const (
	Type        = "mysql"
	Dialect     = "mysql"
	DefaultPort = 3306
	// DialTimeout is used when neither the DSN nor the options set one.
	DialTimeout = 10 * time.Second
)

const openTimeout = 30 * time.Second

func init() {
	connector.Register(connector.Engine{
		Type:        Type,
		Dialect:     Dialect,
		Description: "MySQL and MariaDB via go-sql-driver/mysql",
		Fields:      []string{"dsn", "host", "port", "database", "user", "password", "schema", "options"},
		Open:        open,
		Check:       check,
	})
}

func check(cfg connector.Config) error {
	if cfg.DSN != "" {
		return connector.CheckDSNOrFields("mysql", cfg)
	}
	if cfg.Host == "" {
		return errors.New("mysql: set host (and port, database, user, password) or a dsn")
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return fmt.Errorf("mysql: port %d is out of range (1-65535)", cfg.Port)
	}
	return nil
}

// BuildDSN turns an expanded config (secrets resolved) into a
// go-sql-driver DSN. See driverConfig for the rules.
func BuildDSN(cfg connector.Config) (string, error) {
	dc, err := driverConfig(cfg)
	if err != nil {
		return "", err
	}
	return dc.FormatDSN(), nil
}

// driverConfig builds the driver's config from fields or a DSN, merges the
// password and options fields, and applies the defaults (parseTime, dial
// timeout) the DSN and options leave unset.
func driverConfig(cfg connector.Config) (*driver.Config, error) {
	var (
		dc  *driver.Config
		err error
		raw string // parameters the user wrote, to see what they set
	)
	if cfg.DSN != "" {
		dc, err = driver.ParseDSN(cfg.DSN)
		if err != nil {
			// The driver's messages do not quote the DSN; be sure anyway.
			return nil, fmt.Errorf("mysql: invalid dsn: %s", connector.RedactDSN(err.Error()))
		}
		if _, q, ok := strings.Cut(cfg.DSN[strings.LastIndex(cfg.DSN, "/")+1:], "?"); ok {
			raw = q
		}
		if cfg.Password != "" {
			dc.Passwd = cfg.Password
		}
		if dc.DBName == "" && cfg.Schema != "" {
			dc.DBName = cfg.Schema
		}
	} else {
		if cfg.Host == "" {
			return nil, errors.New("mysql: host is required when there is no dsn")
		}
		dc = driver.NewConfig()
		dc.User = cfg.User
		dc.Passwd = cfg.Password
		dc.DBName = cfg.Database
		if dc.DBName == "" {
			dc.DBName = cfg.Schema
		}
		if strings.HasPrefix(cfg.Host, "/") {
			dc.Net, dc.Addr = "unix", cfg.Host
		} else {
			port := cfg.Port
			if port == 0 {
				port = DefaultPort
			}
			dc.Net, dc.Addr = "tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(port))
		}
	}
	if len(cfg.Options) > 0 {
		// Options go through the driver's own parser so they are checked
		// and typed exactly as DSN parameters would be.
		keys := make([]string, 0, len(cfg.Options))
		for k := range cfg.Options {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for i, k := range keys {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(cfg.Options[k]))
		}
		dsn := dc.FormatDSN()
		sep := "?"
		if strings.Contains(dsn[strings.LastIndex(dsn, "/"):], "?") {
			sep = "&"
		}
		merged, err := driver.ParseDSN(dsn + sep + b.String())
		if err != nil {
			return nil, fmt.Errorf("mysql: invalid options: %s", connector.RedactDSN(err.Error()))
		}
		dc = merged
		if raw != "" {
			raw += "&"
		}
		raw += b.String()
	}
	if !hasParam(raw, "parseTime") {
		dc.ParseTime = true
	}
	if dc.Timeout == 0 {
		dc.Timeout = DialTimeout
	}
	return dc, nil
}

func hasParam(raw, name string) bool {
	for _, p := range strings.Split(raw, "&") {
		if k, _, _ := strings.Cut(p, "="); strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

func open(ctx context.Context, name string, cfg connector.Config) (connector.Connector, error) {
	dc, err := driverConfig(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.ReadOnly {
		dc.MultiStatements = false
	}
	conn, err := driver.NewConnector(dc)
	if err != nil {
		return nil, fmt.Errorf("invalid connection settings: %w", err)
	}
	db := sql.OpenDB(conn)
	// Servers close idle connections (wait_timeout); retire ours first.
	db.SetConnMaxLifetime(3 * time.Minute)
	db.SetConnMaxIdleTime(time.Minute)
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
		schema = dc.DBName
	}
	c := &sqldb.Conn{
		ConnName:    name,
		DialectName: Dialect,
		DB:          db,
		Meta:        meta{defaultSchema: schema},
	}
	if cfg.ReadOnly {
		// The server enforces it: the session's transactions are read-only
		// (which, unlike START TRANSACTION READ ONLY alone, also refuses
		// DDL), each statement runs in one that is rolled back, and the
		// driver never sends more than one statement (multiStatements off).
		c.ReadOnly = &sqldb.ReadOnly{Tx: true, Setup: "SET SESSION TRANSACTION READ ONLY"}
	}
	return c, nil
}

// meta runs the information_schema queries.
type meta struct{ defaultSchema string }

// schema resolves the schema of a call: the argument, the configured
// default, else the session's current database.
func (m meta) schema(ctx context.Context, q connector.Querier, s string) (string, error) {
	if s != "" {
		return s, nil
	}
	if m.defaultSchema != "" {
		return m.defaultSchema, nil
	}
	rows, err := sqldb.Strings(ctx, q, "SELECT DATABASE()")
	if err != nil {
		return "", err
	}
	if len(rows) == 0 || rows[0][0] == "" {
		return "", errors.New("no schema given and the connection has no database: pass a schema or set database")
	}
	return rows[0][0], nil
}

const schemasSQL = `
SELECT SCHEMA_NAME
FROM information_schema.SCHEMATA
WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')
ORDER BY SCHEMA_NAME`

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

// Tables and views; MariaDB's system-versioned tables are tables, its
// sequences are not listed.
const tablesSQL = `
SELECT TABLE_NAME, TABLE_TYPE, COALESCE(TABLE_COMMENT, '')
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ?
  AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED', 'VIEW')`

func toTable(schema string, r []string) catalog.Table {
	t := catalog.Table{Schema: schema, Name: r[0], Kind: catalog.KindTable, Comment: r[2]}
	if r[1] == "VIEW" {
		// MySQL reports the comment of every view as "VIEW".
		t.Kind, t.Comment = catalog.KindView, ""
	}
	return t
}

func (m meta) Tables(ctx context.Context, q connector.Querier, schema string) ([]catalog.Table, error) {
	schema, err := m.schema(ctx, q, schema)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", err)
	}
	rows, err := sqldb.Strings(ctx, q, tablesSQL+"\nORDER BY TABLE_NAME", schema)
	if err != nil {
		return nil, fmt.Errorf("listing tables of schema %s: %w", schema, err)
	}
	out := make([]catalog.Table, 0, len(rows))
	for _, r := range rows {
		out = append(out, toTable(schema, r))
	}
	return out, nil
}

const columnsSQL = `
SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COALESCE(COLUMN_COMMENT, '')
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
ORDER BY ORDINAL_POSITION`

// Primary, unique and foreign keys, one row per key column in key order.
const keysSQL = `
SELECT tc.CONSTRAINT_NAME,
       tc.CONSTRAINT_TYPE,
       k.COLUMN_NAME,
       COALESCE(k.REFERENCED_TABLE_SCHEMA, ''),
       COALESCE(k.REFERENCED_TABLE_NAME, ''),
       COALESCE(k.REFERENCED_COLUMN_NAME, '')
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.KEY_COLUMN_USAGE k
  ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA
 AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
 AND k.TABLE_SCHEMA = tc.TABLE_SCHEMA
 AND k.TABLE_NAME = tc.TABLE_NAME
WHERE tc.TABLE_SCHEMA = ? AND tc.TABLE_NAME = ?
  AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
ORDER BY tc.CONSTRAINT_NAME, k.ORDINAL_POSITION`

func (m meta) Describe(ctx context.Context, q connector.Querier, schema, table string) (*catalog.TableDetail, error) {
	schema, err := m.schema(ctx, q, schema)
	if err != nil {
		return nil, fmt.Errorf("describing %s: %w", table, err)
	}
	where := schema + "." + table
	rel, err := sqldb.Strings(ctx, q, tablesSQL+"\n  AND TABLE_NAME = ?", schema, table)
	if err != nil {
		return nil, fmt.Errorf("describing %s: %w", where, err)
	}
	if len(rel) == 0 {
		return nil, fmt.Errorf("%w: %s", connector.ErrTableNotFound, where)
	}
	d := &catalog.TableDetail{Table: toTable(schema, rel[0]), Columns: []catalog.Column{}}

	cols, err := q.Query(ctx, columnsSQL, connector.QueryOptions{MaxRows: -1}, schema, table)
	if err != nil {
		return nil, fmt.Errorf("describing columns of %s: %w", where, err)
	}
	for i, r := range cols.Rows {
		c := catalog.Column{
			Name:     sqldb.Str(r[0]),
			Type:     sqldb.Str(r[1]),
			Nullable: sqldb.Str(r[2]) == "YES",
			Position: i + 1,
			Comment:  sqldb.Str(r[4]),
		}
		// MariaDB reports "no default" as SQL NULL and DEFAULT NULL as the
		// text NULL; neither is a default value.
		if r[3] != nil && sqldb.Str(r[3]) != "NULL" {
			def := sqldb.Str(r[3])
			c.Default = &def
		}
		d.Columns = append(d.Columns, c)
	}

	keys, err := sqldb.Strings(ctx, q, keysSQL, schema, table)
	if err != nil {
		return nil, fmt.Errorf("describing keys of %s: %w", where, err)
	}
	uniq := map[string]*catalog.UniqueKey{}
	fks := map[string]*catalog.ForeignKey{}
	for _, r := range keys {
		name, typ, col := r[0], r[1], r[2]
		switch typ {
		case "PRIMARY KEY":
			d.PrimaryKey = append(d.PrimaryKey, col)
		case "UNIQUE":
			u := uniq[name]
			if u == nil {
				u = &catalog.UniqueKey{Name: name}
				uniq[name] = u
			}
			u.Columns = append(u.Columns, col)
		case "FOREIGN KEY":
			fk := fks[name]
			if fk == nil {
				fk = &catalog.ForeignKey{Name: name, RefSchema: r[3], RefTable: r[4]}
				fks[name] = fk
			}
			fk.Columns = append(fk.Columns, col)
			fk.RefColumns = append(fk.RefColumns, r[5])
		}
	}
	for _, name := range sqldb.SortedKeys(uniq) {
		d.UniqueKeys = append(d.UniqueKeys, *uniq[name])
	}
	for _, name := range sqldb.SortedKeys(fks) {
		d.ForeignKeys = append(d.ForeignKeys, *fks[name])
	}
	return d, nil
}
