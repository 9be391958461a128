package deploy

import (
	"strings"

	"github.com/databridge/databridge/pkg/dialect"
)

// SplitStatements splits a script into statements at semicolons outside
// quotes, quoted identifiers and comments, so drivers that run one
// statement per call (go-sql-driver/mysql without multiStatements) get
// one at a time. It knows '...' strings (” escapes; backslash escapes on
// MySQL, BigQuery, Snowflake and Databricks), "..." and `...` and [...]
// (SQL Server) identifiers, -- and /* */ comments, # comments on MySQL, and
// $tag$...$tag$ strings on PostgreSQL and DuckDB. Empty statements (only
// space and comments) are dropped; the rest are trimmed.
func SplitStatements(d, script string) []string {
	backslash := d == dialect.MySQL || d == dialect.BigQuery || d == dialect.Snowflake || d == dialect.Databricks
	dollar := d == dialect.Postgres || d == dialect.DuckDB
	var out []string
	start := 0
	meaningful := false // the current statement has more than space/comments
	emit := func(end int) {
		if meaningful {
			if s := strings.TrimSpace(script[start:end]); s != "" {
				out = append(out, s)
			}
		}
		start, meaningful = end+1, false
	}
	n := len(script)
	for i := 0; i < n; i++ {
		c := script[i]
		switch {
		case c == ';':
			emit(i)
		case c == '\'' || c == '"' || c == '`':
			meaningful = true
			i = skipQuoted(script, i, c, backslash && c != '`')
		case c == '[' && d == dialect.SQLServer:
			meaningful = true
			i = skipQuoted(script, i, ']', false)
		case c == '-' && i+1 < n && script[i+1] == '-', c == '#' && d == dialect.MySQL:
			for i < n && script[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < n && script[i+1] == '*':
			end := strings.Index(script[i+2:], "*/")
			if end < 0 {
				i = n
			} else {
				i += 2 + end + 1
			}
		case c == '$' && dollar:
			meaningful = true
			if tag, ok := dollarTag(script[i:]); ok {
				end := strings.Index(script[i+len(tag):], tag)
				if end < 0 {
					i = n
				} else {
					i += len(tag) + end + len(tag) - 1
				}
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			meaningful = true
		}
	}
	if start < n {
		emit(n)
	}
	return out
}

// skipQuoted returns the index of the quote closing the one at i (a
// doubled quote is an escaped one), or the end of s.
func skipQuoted(s string, i int, q byte, backslash bool) int {
	closing := q
	if q == '[' {
		closing = ']'
	}
	for j := i + 1; j < len(s); j++ {
		switch {
		case backslash && s[j] == '\\':
			j++
		case s[j] == closing:
			if j+1 < len(s) && s[j+1] == closing {
				j++
				continue
			}
			return j
		}
	}
	return len(s)
}

// dollarTag reads a $tag$ opener at the start of s.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return "", false
}
