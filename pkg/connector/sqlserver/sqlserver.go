// Package sqlserver is the Microsoft SQL Server (and Azure SQL) engine:
// go-mssqldb over database/sql, with catalogue queries over sys.* views.
// Importing it registers the engine type "sqlserver" (dialect "sqlserver").
//
// A connection is a DSN (sqlserver://user:pass@host:1433?database=db, or any
// form go-mssqldb accepts) or fields: host (optionally host\instance), port
// (default 1433), database, user, password, schema (default schema of Tables
// and Describe, else the login's default schema) and options, which become
// URL parameters (encrypt, TrustServerCertificate, app name, ...).
package sqlserver

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"

	_ "github.com/microsoft/go-mssqldb" // registers the "sqlserver" driver

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// Engine identity.
const (
	Type        = "sqlserver"
	Dialect     = "sqlserver"
	DefaultPort = 1433
)

func init() {
	connector.Register(connector.Engine{
		Type:        Type,
		Dialect:     Dialect,
		Description: "Microsoft SQL Server / Azure SQL via go-mssqldb",
		Fields:      []string{"dsn", "host", "port", "database", "user", "password", "schema", "options"},
		Open:        open,
		Check:       check,
	})
}

func check(cfg connector.Config) error {
	if cfg.DSN == "" && cfg.Host == "" {
		return fmt.Errorf("sqlserver needs host (or dsn)")
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return fmt.Errorf("sqlserver port %d is out of range", cfg.Port)
	}
	return nil
}

// BuildDSN returns the go-mssqldb connection string for a config whose
// secrets are expanded: the DSN as given, or a sqlserver:// URL built from
// the fields with every part escaped by net/url. The result holds the
// password; never print it (connector.RedactDSN masks it).
func BuildDSN(cfg connector.Config) (string, error) {
	if cfg.DSN != "" {
		if len(cfg.Options) > 0 && strings.HasPrefix(strings.ToLower(cfg.DSN), "sqlserver://") {
			u, err := url.Parse(cfg.DSN)
			if err != nil {
				return "", fmt.Errorf("invalid sqlserver dsn: %v", connector.RedactDSN(err.Error()))
			}
			q := u.Query()
			addOptions(q, cfg.Options)
			u.RawQuery = q.Encode()
			return u.String(), nil
		}
		if len(cfg.Options) > 0 {
			// Never drop settings silently: an ADO or ODBC string has its
			// own quoting rules, so the options go in the string itself.
			return "", fmt.Errorf("options cannot be added to a key=value (ADO/ODBC) dsn: write them into the dsn itself, or use a sqlserver:// dsn")
		}
		return cfg.DSN, nil
	}
	if cfg.Host == "" {
		return "", fmt.Errorf("sqlserver needs host (or dsn)")
	}
	host, instance, _ := strings.Cut(cfg.Host, `\`)
	u := &url.URL{Scheme: "sqlserver"}
	if cfg.User != "" {
		if cfg.Password != "" {
			u.User = url.UserPassword(cfg.User, cfg.Password)
		} else {
			u.User = url.User(cfg.User)
		}
	}
	switch {
	case cfg.Port != 0:
		u.Host = net.JoinHostPort(host, strconv.Itoa(cfg.Port))
	case instance != "":
		// A named instance: the SQL Browser service tells the port.
		u.Host = host
	default:
		u.Host = net.JoinHostPort(host, strconv.Itoa(DefaultPort))
	}
	if instance != "" {
		u.Path = "/" + instance
	}
	q := url.Values{}
	if cfg.Database != "" {
		q.Set("database", cfg.Database)
	}
	addOptions(q, cfg.Options)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func addOptions(q url.Values, opts map[string]string) {
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		q.Set(k, opts[k])
	}
}

func open(_ context.Context, name string, cfg connector.Config) (connector.Connector, error) {
	dsn, err := BuildDSN(cfg)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlserver", dsn)
	if err != nil {
		return nil, fmt.Errorf("invalid sqlserver connection settings: %w", err)
	}
	return &sqldb.Conn{ConnName: name, DialectName: Dialect, DB: db, Meta: Meta{DefaultSchema: cfg.Schema}}, nil
}
