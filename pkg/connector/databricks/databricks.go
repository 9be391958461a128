// Package databricks is the Databricks SQL engine: databricks-sql-go over
// database/sql with personal-access-token authentication, and catalogue
// queries over the Unity Catalog information_schema of the connection's
// catalog. Importing it registers the engine type "databricks" (dialect
// "databricks").
//
// A connection is a DSN (token:<pat>@host:443/sql/1.0/warehouses/<id>?catalog=..)
// or fields: host (the workspace host name), http_path (of the SQL warehouse
// or cluster), token (${ENV}), catalog, schema, port (default 443) and
// options, passed as DSN parameters (timeout, maxRows, userAgentEntry, or
// session parameters such as ansi_mode).
package databricks

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"

	_ "github.com/databricks/databricks-sql-go" // registers the "databricks" driver

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// Engine identity.
const (
	Type        = "databricks"
	Dialect     = "databricks"
	DefaultPort = 443
)

func init() {
	connector.Register(connector.Engine{
		Type:        Type,
		Dialect:     Dialect,
		Description: "Databricks SQL warehouse or cluster (personal access token)",
		Fields:      []string{"dsn", "host", "port", "http_path", "token", "catalog", "schema", "options"},
		// Delta has no multi-statement transactions; DDL is never rolled back.
		Open:  open,
		Check: check,
	})
}

func check(cfg connector.Config) error {
	if cfg.DSN != "" {
		return nil
	}
	var missing []string
	if cfg.Host == "" {
		missing = append(missing, "host")
	}
	if cfg.HTTPPath == "" {
		missing = append(missing, "http_path")
	}
	if cfg.Token == "" {
		missing = append(missing, "token")
	}
	if len(missing) > 0 {
		return fmt.Errorf("databricks needs %s (host is the workspace host, http_path comes from the SQL warehouse's connection details, token is a personal access token as ${ENV})", strings.Join(missing, ", "))
	}
	return nil
}

// BuildDSN returns the databricks-sql-go DSN for a config whose secrets
// are expanded: token:<pat>@host:port/http_path?catalog=..&schema=..; the
// DSN as given when there is one. The result holds the token; never print
// it (connector.RedactDSN masks it).
func BuildDSN(cfg connector.Config) (string, error) {
	if cfg.DSN != "" {
		return cfg.DSN, nil
	}
	if err := check(cfg); err != nil {
		return "", err
	}
	host := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(cfg.Host, "https://"), "http://"), "/")
	port := cfg.Port
	if port == 0 {
		port = DefaultPort
	}
	path := cfg.HTTPPath
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	u := &url.URL{
		User: url.UserPassword("token", cfg.Token),
		Host: net.JoinHostPort(host, strconv.Itoa(port)),
		Path: path,
	}
	q := url.Values{}
	if cfg.Catalog != "" {
		q.Set("catalog", cfg.Catalog)
	}
	if cfg.Schema != "" {
		q.Set("schema", cfg.Schema)
	}
	keys := make([]string, 0, len(cfg.Options))
	for k := range cfg.Options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		q.Set(k, cfg.Options[k])
	}
	u.RawQuery = q.Encode()
	// The driver wants no scheme: it prefixes https:// itself.
	return strings.TrimPrefix(u.String(), "//"), nil
}

func open(_ context.Context, name string, cfg connector.Config) (connector.Connector, error) {
	dsn, err := BuildDSN(cfg)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("databricks", dsn)
	if err != nil {
		return nil, fmt.Errorf("invalid databricks connection settings: %w", err)
	}
	return &probed{Conn: &sqldb.Conn{ConnName: name, DialectName: Dialect, DB: db, Meta: Meta{Catalog: cfg.Catalog, DefaultSchema: cfg.Schema}}}, nil
}
