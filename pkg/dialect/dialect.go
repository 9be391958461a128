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

// QuoteIdent writes one identifier for the dialect.
//
// Snowflake and PostgreSQL fold unquoted identifiers to one case (upper and
// lower); people who write SQL for them leave names unquoted unless they
// must. So there a plain name — letters, digits, _ and $, not starting
// with a digit, all in one case, not a reserved word — is written unquoted
// and the engine folds it (account_code reads ACCOUNT_CODE on Snowflake,
// NODE_CODE reads node_code on PostgreSQL). A name in mixed case or with
// other characters is quoted exactly, so "Period" stays Period.
//
// Elsewhere names are always quoted, case kept: "name" (DuckDB, whose
// names are case-insensitive anyway), `name` (MySQL, Databricks, BigQuery)
// or [name] (SQL Server), with the quote character escaped.
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
	if f := caps[dialect].IdentFold; (f == FoldLower || f == FoldUpper) && plainIdent(dialect, name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// plainIdent reports whether name may be written unquoted on an engine
// that folds case.
func plainIdent(dialect, name string) bool {
	if name == "" {
		return false
	}
	upper, lower := false, false
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r == '_':
		case r >= '0' && r <= '9', r == '$':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	if upper && lower {
		return false
	}
	return !reservedWords[dialect][strings.ToUpper(name)]
}

// reservedWords are the keywords that cannot be plain identifiers.
var reservedWords = map[string]map[string]bool{
	Snowflake: wordSet(`ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS CURRENT
		CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS FALSE FOLLOWING FOR FROM FULL
		GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE JOIN LATERAL LEFT LIKE LOCALTIME
		LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS SAMPLE SCHEMA
		SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER
		WHERE WITH`),
	Postgres: wordSet(`ALL ANALYSE ANALYZE AND ANY ARRAY AS ASC ASYMMETRIC AUTHORIZATION BINARY BOTH CASE CAST CHECK COLLATE COLLATION
		COLUMN CONCURRENTLY CONSTRAINT CREATE CROSS CURRENT_CATALOG CURRENT_DATE CURRENT_ROLE CURRENT_SCHEMA CURRENT_TIME
		CURRENT_TIMESTAMP CURRENT_USER DEFAULT DEFERRABLE DESC DISTINCT DO ELSE END EXCEPT FALSE FETCH FOR FOREIGN FREEZE FROM FULL
		GRANT GROUP HAVING ILIKE IN INITIALLY INNER INTERSECT INTO IS ISNULL JOIN LATERAL LEADING LEFT LIKE LIMIT LOCALTIME
		LOCALTIMESTAMP NATURAL NOT NOTNULL NULL OFFSET ON ONLY OR ORDER OUTER OVERLAPS PLACING PRIMARY REFERENCES RETURNING RIGHT
		SELECT SESSION_USER SIMILAR SOME SYMMETRIC SYSTEM_USER TABLE TABLESAMPLE THEN TO TRAILING TRUE UNION UNIQUE USER USING
		VARIADIC VERBOSE WHEN WHERE WINDOW WITH`),
}

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(s) {
		out[w] = true
	}
	return out
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
func MaxParams(dialect string) int { return caps[dialect].MaxParams }
