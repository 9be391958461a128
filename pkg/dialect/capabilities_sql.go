package dialect

import (
	"fmt"
	"strconv"
)

// Engine spellings that analysis (pkg/semantic) needs: a regular-
// expression match (Regex) and a repeatable sample of a table (Sample).
// They are tree nodes like the others; their per-engine syntax lives here,
// with the capability table.

// regex writes a Regex node (see Regex).
func (r *renderer) regex(x *Regex) (string, error) {
	if !caps[r.d].Regex {
		return "", unsupported(r.d, "a regular-expression match", "use LIKE with [...] classes (Like.Classes)")
	}
	xs, err := r.operand(x.X, precCmp, false, false, false)
	if err != nil {
		return "", err
	}
	lit, err := r.lit(x.Pattern)
	if err != nil {
		return "", err
	}
	switch r.d {
	case DuckDB:
		return "regexp_matches(" + xs + ", " + lit + ")", nil
	case Postgres:
		return xs + " ~ " + lit, nil
	case MySQL:
		// Converted to utf8mb4 and compared with utf8mb4_bin: the
		// *_ci collations would make [A-Z] match lower case.
		return "CONVERT(" + xs + " USING utf8mb4) COLLATE utf8mb4_bin REGEXP " + lit, nil
	case Snowflake:
		return "REGEXP_INSTR(" + xs + ", " + lit + ") > 0", nil
	case Databricks:
		return xs + " RLIKE " + lit, nil
	case BigQuery:
		return "REGEXP_CONTAINS(" + xs + ", " + lit + ")", nil
	}
	return "", fmt.Errorf("%s: no regular-expression match", r.d)
}

// duckDBSystemSampleRows: from this many rows DuckDB samples whole
// vectors of 2,048 rows (system), below it single rows (bernoulli).
// Reservoir sampling (n ROWS) is exact in size but its output is
// single-threaded: aggregating 1M sampled rows of a 4M-row table took
// 7.5 s against 0.84 s for system sampling, which is too coarse for
// small tables.
const duckDBSystemSampleRows = 200_000

// sample writes a Sample query (see Sample).
func (r *renderer) sample(x *Sample) (string, error) {
	if x.N <= 0 || x.Rows <= 0 {
		return "", fmt.Errorf("%s: a sample of %d of %d rows", r.d, x.N, x.Rows)
	}
	from, err := r.name(x.Table)
	if err != nil {
		return "", err
	}
	pct := 100 * float64(x.N) / float64(x.Rows)
	if pct > 100 {
		pct = 100
	}
	p := strconv.FormatFloat(pct, 'f', 4, 64)
	sd := strconv.Itoa(x.Seed)
	switch r.d {
	case DuckDB:
		method := "system"
		if x.Rows < duckDBSystemSampleRows {
			method = "bernoulli"
		}
		return "SELECT *\nFROM " + from + " USING SAMPLE " + p + " PERCENT (" + method + ", " + sd + ")", nil
	case Postgres:
		return "SELECT *\nFROM " + from + " TABLESAMPLE BERNOULLI (" + p + ") REPEATABLE (" + sd + ")", nil
	case MySQL:
		return "SELECT *\nFROM " + from + "\nWHERE RAND(" + sd + ") < " + strconv.FormatFloat(pct/100, 'f', 6, 64), nil
	case SQLServer:
		return "SELECT *\nFROM " + from + " TABLESAMPLE (" + p + " PERCENT) REPEATABLE (" + sd + ")", nil
	case Snowflake:
		return "SELECT *\nFROM " + from + " SAMPLE BERNOULLI (" + strconv.FormatInt(x.N, 10) + " ROWS)", nil
	case BigQuery:
		return "SELECT *\nFROM " + from + " TABLESAMPLE SYSTEM (" + p + " PERCENT)", nil
	case Databricks:
		return "SELECT *\nFROM " + from + " TABLESAMPLE (" + p + " PERCENT) REPEATABLE (" + sd + ")", nil
	}
	return "", fmt.Errorf("%s: no sampling clause", r.d)
}
