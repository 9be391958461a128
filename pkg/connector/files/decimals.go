package files

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/connector/duckdb"
)

// Money is never a float. DuckDB's CSV sniffer types a column of numbers
// with a decimal point as DOUBLE, which cannot hold 0.1 exactly: sums of
// amounts drift. A CSV column the sniffer calls DOUBLE whose every value
// is written as a plain decimal (an optional sign, digits, an optional
// point and fraction digits; no exponent, no NaN or inf) is read as
// DECIMAL(p,s) instead: s is the most fraction digits any value has, p is
// the most integer digits plus s, at least 18. A column that needs more
// than 38 digits stays DOUBLE. The type goes to read_csv as a types
// override, so a view over the file and a cache entry built from it agree.

const (
	minDecimalPrecision = 18
	maxDecimalPrecision = 38
)

// plainDecimal is the pattern every value of a DECIMAL column matches
// (RE2, matched whole by regexp_full_match).
const plainDecimal = `[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)`

// column is a column as DuckDB's reader returns it.
type column struct {
	Name string
	Type string
}

// decimalType is the DECIMAL type of a column whose values are all plain
// decimals with at most intDigits integer digits (leading zeros not
// counted) and scale fraction digits; ok is false when it needs more than
// 38 digits.
func decimalType(intDigits, scale int) (string, bool) {
	if intDigits < 0 || scale < 0 || intDigits+scale > maxDecimalPrecision {
		return "", false
	}
	p := intDigits + scale
	if p < minDecimalPrecision {
		p = minDecimalPrecision
	}
	return fmt.Sprintf("DECIMAL(%d,%d)", p, scale), true
}

// readColumns returns the columns DuckDB's reader gives the table
// function call from (binding it runs the CSV sniffer; no rows are read).
func readColumns(ctx context.Context, db *sql.DB, from string) ([]column, error) {
	rows, err := db.QueryContext(ctx, "DESCRIBE SELECT * FROM "+from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []column
	for rows.Next() {
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		name, _ := vals[0].(string)
		typ, _ := vals[1].(string)
		out = append(out, column{Name: name, Type: typ})
	}
	return out, rows.Err()
}

// doubleColumns are the columns the sniffer typed DOUBLE.
func doubleColumns(cols []column) []string { return columnsOfType(cols, "DOUBLE") }

// varcharColumns are the columns the sniffer typed VARCHAR.
func varcharColumns(cols []column) []string { return columnsOfType(cols, "VARCHAR") }

func columnsOfType(cols []column, typ string) []string {
	var out []string
	for _, c := range cols {
		if c.Type == typ {
			out = append(out, c.Name)
		}
	}
	return out
}

// asText reads names as VARCHAR (read_csv's types override).
func asText(names []string) map[string]string {
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = "VARCHAR"
	}
	return out
}

// decimalOverrides scans a CSV file once, reading the columns the sniffer
// typed DOUBLE as text, and returns the DECIMAL type of each one whose
// values are all plain decimals that fit (column name -> type). cols are
// the file's columns as the sniffer typed them; read builds the read_csv
// call with the given type overrides.
func decimalOverrides(ctx context.Context, db *sql.DB, cols []column, read func(types map[string]string) string) (map[string]string, error) {
	doubles := doubleColumns(cols)
	if len(doubles) == 0 {
		return nil, nil
	}
	return scanDecimals(ctx, db, read(asText(doubles)), doubles)
}

// scanDecimals reads the text columns names of the relation from once and
// returns the DECIMAL type of each one whose values are all plain
// decimals that fit. The integer digits come from the largest magnitude
// read as a DOUBLE (exact enough to count digits: rounding can only carry
// a value up to the next power of ten, one digit more, never fewer), which
// costs a tenth of splitting every value's text.
func scanDecimals(ctx context.Context, db *sql.DB, from string, names []string) (map[string]string, error) {
	var sel []string
	for _, name := range names {
		c := duckdb.QuoteIdent(name)
		sel = append(sel,
			"coalesce(bool_and(regexp_full_match("+c+", "+duckdb.QuoteLiteral(plainDecimal)+")), false)",
			"coalesce(max(abs(TRY_CAST("+c+" AS DOUBLE))), 0)",
			"coalesce(max(CASE WHEN strpos("+c+", '.') > 0 THEN length("+c+") - strpos("+c+", '.') ELSE 0 END), 0)")
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + from
	vals := make([]any, len(sel))
	ptrs := make([]any, len(sel))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := db.QueryRowContext(ctx, q).Scan(ptrs...); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i, name := range names {
		ok, _ := vals[3*i].(bool)
		intDigits, scale := integerDigits(vals[3*i+1]), asInt(vals[3*i+2])
		if !ok || intDigits < 0 {
			continue
		}
		if t, fits := decimalType(intDigits, scale); fits {
			out[name] = t
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// integerDigits is how many digits the integer part of the magnitude v
// has (0 below 1, as leading zeros do not count); -1 when v is not a
// finite number.
func integerDigits(v any) int {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return -1
	}
	if f < 1 {
		return 0
	}
	return len(strconv.FormatFloat(math.Floor(f), 'f', 0, 64))
}

func asInt(v any) int {
	switch n := v.(type) {
	case int64:
		return int(n)
	case int32:
		return int(n)
	case int:
		return n
	}
	return -1
}

// typesArg renders column types as read_csv's types = {...} argument, in
// column-name order ("" when there are none).
func typesArg(types map[string]string) string {
	if len(types) == 0 {
		return ""
	}
	names := make([]string, 0, len(types))
	for n := range types {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = duckdb.QuoteLiteral(n) + ": " + duckdb.QuoteLiteral(types[n])
	}
	return "types = {" + strings.Join(parts, ", ") + "}"
}
