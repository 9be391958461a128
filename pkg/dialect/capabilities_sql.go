package dialect

import (
	"fmt"
	"strconv"
)

// Engine spellings that analysis (pkg/semantic) needs around SQL it
// writes as text: a regular-expression match and a repeatable sample of
// a table. They take rendered SQL (an expression, a FROM target) and
// keep the per-engine syntax here, with the capability table.

// RegexMatch writes "the text x contains a match of pattern" (a search,
// not anchored, like POSIX ~): regexp_matches (DuckDB), ~ (PostgreSQL),
// REGEXP under utf8mb4_bin (MySQL and MariaDB, whose *_ci collations
// would make [A-Z] match lower case), REGEXP_INSTR > 0 (Snowflake:
// REGEXP_LIKE and RLIKE anchor at both ends), RLIKE (Databricks),
// REGEXP_CONTAINS (BigQuery). Where Caps.Regex is false (SQL Server) it
// returns an *UnsupportedError: use LIKE.
func RegexMatch(d, x, pattern string) (string, error) {
	if err := known(d); err != nil {
		return "", err
	}
	if !caps[d].Regex {
		return "", unsupported(d, "a regular-expression match", "use LIKE with [...] classes")
	}
	lit, err := RenderExpr(d, S(pattern))
	if err != nil {
		return "", err
	}
	switch d {
	case DuckDB:
		return "regexp_matches(" + x + ", " + lit + ")", nil
	case Postgres:
		return x + " ~ " + lit, nil
	case MySQL:
		return x + " COLLATE utf8mb4_bin REGEXP " + lit, nil
	case Snowflake:
		return "REGEXP_INSTR(" + x + ", " + lit + ") > 0", nil
	case Databricks:
		return x + " RLIKE " + lit, nil
	case BigQuery:
		return "REGEXP_CONTAINS(" + x + ", " + lit + ")", nil
	}
	return "", fmt.Errorf("%s: no regular-expression match", d)
}

// duckDBSystemSampleRows: from this many rows DuckDB samples whole
// vectors of 2,048 rows (system), below it single rows (bernoulli).
// Reservoir sampling (n ROWS) is exact in size but its output is
// single-threaded: aggregating 1M sampled rows of a 4M-row table took
// 7.5 s against 0.84 s for system sampling, which is too coarse for
// small tables.
const duckDBSystemSampleRows = 200_000

// SampleQuery writes SELECT * FROM from reading about n of the table's
// rows rows, repeatable with seed where the engine allows: USING SAMPLE
// (DuckDB), TABLESAMPLE BERNOULLI ... REPEATABLE (PostgreSQL), a seeded
// RAND() filter (MySQL: no TABLESAMPLE), TABLESAMPLE ... REPEATABLE (SQL
// Server, Databricks), SAMPLE BERNOULLI (n ROWS) (Snowflake) and
// TABLESAMPLE SYSTEM (BigQuery, not repeatable).
func SampleQuery(d, from string, n, rows int64, seed int) (string, error) {
	if err := known(d); err != nil {
		return "", err
	}
	pct := 100 * float64(n) / float64(rows)
	if pct > 100 {
		pct = 100
	}
	p := strconv.FormatFloat(pct, 'f', 4, 64)
	sd := strconv.Itoa(seed)
	switch d {
	case DuckDB:
		method := "system"
		if rows < duckDBSystemSampleRows {
			method = "bernoulli"
		}
		return "SELECT * FROM " + from + " USING SAMPLE " + p + " PERCENT (" + method + ", " + sd + ")", nil
	case Postgres:
		return "SELECT * FROM " + from + " TABLESAMPLE BERNOULLI (" + p + ") REPEATABLE (" + sd + ")", nil
	case MySQL:
		return "SELECT * FROM " + from + " WHERE RAND(" + sd + ") < " + strconv.FormatFloat(pct/100, 'f', 6, 64), nil
	case SQLServer:
		return "SELECT * FROM " + from + " TABLESAMPLE (" + p + " PERCENT) REPEATABLE (" + sd + ")", nil
	case Snowflake:
		return "SELECT * FROM " + from + " SAMPLE BERNOULLI (" + strconv.FormatInt(n, 10) + " ROWS)", nil
	case BigQuery:
		return "SELECT * FROM " + from + " TABLESAMPLE SYSTEM (" + p + " PERCENT)", nil
	case Databricks:
		return "SELECT * FROM " + from + " TABLESAMPLE (" + p + " PERCENT) REPEATABLE (" + sd + ")", nil
	}
	return "", fmt.Errorf("%s: no sampling clause", d)
}
