package files

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/connector/duckdb"
	d "github.com/databridge/databridge/pkg/dialect"
)

// Formatted amounts. Finance exports write money for people: "$1,234.56",
// "(500.00)" for a negative, "1.234,56 €" with a decimal comma, "-" for
// zero. DuckDB's CSV sniffer reads such a column as text, so it could be
// neither summed nor recognised as a measure. A CSV column the sniffer
// typed VARCHAR is read as DECIMAL(p,s) (see decimalType) when every
// value that is not empty is one amount in one convention:
//
//   - an optional sign, parentheses (negative), a trailing minus
//     (negative), at most one currency — a symbol ($ € £ ¥ ₹ ₩ ₽ ₺) or an
//     ISO code from isoCurrencies, before or after the digits;
//   - US convention: "," between groups of three digits, "." before the
//     fraction; European: "." or a space between groups, "," before the
//     fraction;
//   - no leading zero ("007" is a code, not seven);
//   - or a lone "-", an accountant's zero (a column of nothing but
//     dashes is no amount).
//
// At least one value must be written in a way a plain number is not (a
// symbol, a separator, parentheses, a lone "-"), and the whole column must use one
// currency: a column that mixes "$" and "€" stays text, so that amounts
// in different currencies are never summed as one. A column whose values
// read the same in both conventions and hold a separator ("1,234" is
// 1234 or 1.234) stays text: an amount is never guessed.
//
// The column's type in the index and in an entry's decimals table is the
// DECIMAL type followed by " FORMAT us" or " FORMAT eu": read_csv reads
// the column as text, and the view (or the entry's ALTER … USING) turns it
// into the decimal with dialect.FormattedAmount — as a deploy's staging
// does from the model column's Format.

const (
	formatUS = "us"
	formatEU = "eu"
	// moneySample is how many rows the first, cheap pass reads: text
	// columns that are not amounts (names, codes) fail on their first
	// values, and only the others are read in full.
	moneySample = 2048
)

var isoCurrencies = []string{"USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK",
	"CNY", "HKD", "SGD", "INR", "BRL", "MXN", "ZAR", "PLN", "CZK", "HUF", "TRY", "KRW", "ILS", "AED", "SAR"}

// currencyRE matches one currency symbol or code.
var currencyRE = `(?:[$€£¥₹₩₽₺]|` + strings.Join(isoCurrencies, "|") + `)`

// amountRE is the pattern a whole value of a formatted-amount column
// matches in a convention (whose digit groups and fraction are num).
func amountRE(num string) string {
	c := currencyRE
	return `\s*[-+]?\s*(?:` + c + `\s*)?\(?\s*[-+]?\s*(?:` + c + `\s*)?[-+]?\s*(?:` + num + `)\s*(?:` + c + `)?\s*\)?\s*-?\s*|\s*-\s*`
}

var (
	usNumber = `(?:0|[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]*)(?:\.[0-9]+)?|\.[0-9]+`
	euNumber = `(?:0|[1-9][0-9]{0,2}(?:[. \x{00A0}\x{202F}][0-9]{3})+|[1-9][0-9]*)(?:,[0-9]+)?|,[0-9]+`
	usAmount = amountRE(usNumber)
	euAmount = amountRE(euNumber)
	// plainNumber is how a number the sniffer would have typed looks.
	plainNumber = `\s*[-+]?[0-9]+(?:\.[0-9]+)?\s*`
)

// splitType splits a stored column type into its SQL type and its amount
// format ("" for a plain type).
func splitType(t string) (sqlType, format string) {
	if i := strings.Index(t, " FORMAT "); i >= 0 {
		return t[:i], t[i+len(" FORMAT "):]
	}
	return t, ""
}

// readTypes are types as read_csv takes them: a formatted amount is read
// as text (the view converts it).
func readTypes(types map[string]string) map[string]string {
	if len(types) == 0 {
		return types
	}
	out := make(map[string]string, len(types))
	for n, t := range types {
		st, f := splitType(t)
		if f != "" {
			st = "VARCHAR"
		}
		out[n] = st
	}
	return out
}

// digitsExpr is the amount's digits and decimal point, nothing else
// (sign, currency, separators removed; the decimal point a ".").
func digitsExpr(col, format string) string {
	if format == formatEU {
		return "replace(regexp_replace(" + col + ", '[^0-9,]', '', 'g'), ',', '.')"
	}
	return "regexp_replace(" + col + ", '[^0-9.]', '', 'g')"
}

// moneyExpr converts the text column name, written in format, to
// sqlType (a DECIMAL(p,s)): dialect.FormattedAmount, rendered for DuckDB.
func moneyExpr(name, format, sqlType string) (string, error) {
	t, ok := d.ParseDecimal(sqlType)
	if !ok {
		return "", fmt.Errorf("amount column %s: type %q", name, sqlType)
	}
	e, err := d.FormattedAmount(d.DuckDB, d.C(name), format, t)
	if err != nil {
		return "", err
	}
	return d.RenderExpr(d.DuckDB, e)
}

// selectList is the select list of a view over read_csv with types: * ,
// with each formatted amount replaced by its decimal.
func selectList(types map[string]string) (string, error) {
	var names []string
	for n, t := range types {
		if _, f := splitType(t); f != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "*", nil
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		st, f := splitType(types[n])
		e, err := moneyExpr(n, f, st)
		if err != nil {
			return "", err
		}
		parts[i] = e + " AS " + duckdb.QuoteIdent(n)
	}
	return "* REPLACE (" + strings.Join(parts, ", ") + ")", nil
}

// scanMoney reads the text columns names of the relation from and returns
// the type ("DECIMAL(p,s) FORMAT us|eu") of each one that holds
// formatted amounts (see above).
func scanMoney(ctx context.Context, db *sql.DB, from string, names []string) (map[string]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	lit := duckdb.QuoteLiteral
	// One currency mark at most in a value ("$(5.00)" but not "$$5").
	twice := lit(currencyRE + `.*` + currencyRE)
	okIn := func(c, re string) string {
		return "coalesce(bool_and(" + c + " IS NULL OR trim(" + c + ") = '' OR regexp_full_match(" + c + ", " + lit(re) + ") AND NOT regexp_matches(" + c + ", " + twice + ")), true)"
	}
	// The cheap pass: the first rows only.
	var sel []string
	for _, n := range names {
		c := duckdb.QuoteIdent(n)
		sel = append(sel, okIn(c, usAmount)+" OR "+okIn(c, euAmount))
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = duckdb.QuoteIdent(n)
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM (SELECT " + strings.Join(quoted, ", ") + " FROM " + from + " LIMIT " + strconv.Itoa(moneySample) + ")"
	vals, err := scanRow(ctx, db, q, len(names))
	if err != nil {
		return nil, err
	}
	var cands []string
	for i, n := range names {
		if ok, _ := vals[i].(bool); ok {
			cands = append(cands, n)
		}
	}
	if len(cands) == 0 {
		return nil, nil
	}
	// The full pass over the candidates.
	const per = 10
	sel = sel[:0]
	for _, n := range cands {
		c := duckdb.QuoteIdent(n)
		nonEmpty := c + " IS NOT NULL AND trim(" + c + ") <> ''"
		num := func(format string) string {
			return "(CASE WHEN " + nonEmpty + " THEN " + digitsExpr(c, format) + " END)"
		}
		intLen := func(format string) string {
			return "coalesce(max(length(split_part(" + num(format) + ", '.', 1))), 0)"
		}
		scale := func(format string) string {
			return "coalesce(max(length(split_part(" + num(format) + ", '.', 2))), 0)"
		}
		sel = append(sel,
			okIn(c, usAmount), okIn(c, euAmount),
			"coalesce(bool_or("+nonEmpty+" AND regexp_matches("+c+", '[.,]')), false)",
			"coalesce(bool_or("+nonEmpty+" AND NOT regexp_full_match("+c+", "+lit(plainNumber)+")), false)",
			"count(DISTINCT nullif(regexp_extract("+c+", "+lit(currencyRE)+"), ''))",
			intLen(formatUS), scale(formatUS), intLen(formatEU), scale(formatEU),
			"coalesce(bool_or(regexp_matches("+c+", '[0-9]')), false)")
	}
	q = "SELECT " + strings.Join(sel, ", ") + " FROM " + from
	if vals, err = scanRow(ctx, db, q, per*len(cands)); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i, n := range cands {
		v := vals[per*i : per*(i+1)]
		us, _ := v[0].(bool)
		eu, _ := v[1].(bool)
		sep, _ := v[2].(bool)
		formatted, _ := v[3].(bool)
		digits, _ := v[9].(bool)
		if !formatted || !digits || asInt(v[4]) > 1 {
			// Nothing formatted, nothing but dashes, or two currencies.
			continue
		}
		format, ints, sc := "", 0, 0
		switch {
		case us && eu && sep:
			continue // "1,234": a thousand, or one and a bit
		case us:
			format, ints, sc = formatUS, asInt(v[5]), asInt(v[6])
		case eu:
			format, ints, sc = formatEU, asInt(v[7]), asInt(v[8])
		default:
			continue
		}
		if t, fits := decimalType(ints, sc); fits {
			out[n] = t + " FORMAT " + format
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// scanRow runs q, which returns one row of n values.
func scanRow(ctx context.Context, db *sql.DB, q string, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := db.QueryRowContext(ctx, q).Scan(ptrs...); err != nil {
		return nil, err
	}
	return vals, nil
}
