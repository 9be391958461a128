// Package dialect holds what databridge needs to know about each engine's
// SQL: identifier quoting, bind-parameter placeholders and the names of a
// few types. It starts small; the SQL tree and one renderer per engine
// will grow here.
package dialect

import (
	"strconv"
	"strings"
)

// Dialect names, as returned by connector.Connector.Dialect.
const (
	DuckDB     = "duckdb"
	Postgres   = "postgres"
	MySQL      = "mysql"
	SQLServer  = "sqlserver"
	Snowflake  = "snowflake"
	Databricks = "databricks"
	BigQuery   = "bigquery"
)

// QuoteIdent quotes one identifier for the dialect, escaping the quote
// character inside it: "name" (DuckDB, PostgreSQL, Snowflake and unknown
// dialects), `name` (MySQL, Databricks, BigQuery) or [name] (SQL Server).
func QuoteIdent(dialect, name string) string {
	switch dialect {
	case MySQL, Databricks:
		return "`" + strings.ReplaceAll(name, "`", "``") + "`"
	case BigQuery:
		// BigQuery escapes inside backticks with a backslash.
		r := strings.NewReplacer(`\`, `\\`, "`", "\\`")
		return "`" + r.Replace(name) + "`"
	case SQLServer:
		return "[" + strings.ReplaceAll(name, "]", "]]") + "]"
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteQualified quotes a possibly qualified name (table, schema.table or
// catalog.schema.table), splitting it at the dots and quoting each part.
// Empty parts are dropped. Names that contain a dot themselves cannot be
// written this way: quote their parts with QuoteIdent.
func QuoteQualified(dialect, name string) string {
	var parts []string
	for _, p := range strings.Split(name, ".") {
		if p != "" {
			parts = append(parts, QuoteIdent(dialect, p))
		}
	}
	return strings.Join(parts, ".")
}

// Placeholder returns the n-th (1-based) bind-parameter placeholder: $n for
// PostgreSQL, @pn for SQL Server, ? for the others.
func Placeholder(dialect string, n int) string {
	switch dialect {
	case Postgres:
		return "$" + strconv.Itoa(n)
	case SQLServer:
		return "@p" + strconv.Itoa(n)
	}
	return "?"
}

// TextType is the name of a variable-length text type usable in CAST.
func TextType(dialect string) string {
	switch dialect {
	case MySQL:
		return "CHAR"
	case SQLServer:
		return "NVARCHAR(4000)"
	case Databricks, BigQuery:
		return "STRING"
	}
	return "VARCHAR"
}

// IntType is the name of an integer type usable in CAST.
func IntType(dialect string) string {
	switch dialect {
	case MySQL:
		return "SIGNED"
	case SQLServer, Databricks:
		return "INT"
	case BigQuery:
		return "INT64"
	}
	return "INTEGER"
}

// MaxParams is the most bind parameters one statement may carry in the
// dialect (0 = no practical limit known).
func MaxParams(dialect string) int {
	switch dialect {
	case Postgres, MySQL:
		return 65535
	case SQLServer:
		return 2100
	}
	return 0
}
