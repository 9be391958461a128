package dialect

import (
	"fmt"
	"strings"
)

// Amount formats: how a file writes an amount for people when its text is
// not a plain number (see pkg/connector/files, which finds them). US:
// "," between digit groups and "." before the fraction ("$1,234.56");
// EU: "." or a space between groups and "," before the fraction
// ("1.234,56 €"). Either may carry a currency symbol or code, a sign,
// parentheses or a trailing minus (negative), and a lone "-" is zero.
const (
	AmountUS = "us"
	AmountEU = "eu"
)

// FormattedAmount is the exact decimal t of the text x, an amount written
// in format: NULL when x is NULL or blank, 0 for a lone "-", negative when
// it holds a minus or a parenthesis; everything but the digits and the
// decimal separator dropped. Formatted amounts come from files, so only
// the engines that read files in place (Caps.FileSources) write it.
func FormattedAmount(dialect string, x Expr, format string, t Type) (Expr, error) {
	if !caps[dialect].FileSources {
		return nil, unsupported(dialect, "a formatted amount (text like $1,234.56)", "load the file with its amounts as plain numbers")
	}
	if t.Kind != TDecimal {
		return nil, fmt.Errorf("%s: a formatted amount reads as a DECIMAL, not %v", dialect, t)
	}
	var digits Expr
	switch format {
	case AmountUS:
		digits = F("REGEXP_REPLACE", x, S("[^0-9.]"), S(""), S("g"))
	case AmountEU:
		digits = F("REPLACE", F("REGEXP_REPLACE", x, S("[^0-9,]"), S(""), S("g")), S(","), S("."))
	default:
		return nil, fmt.Errorf("%s: unknown amount format %q (want %s or %s)", dialect, format, AmountUS, AmountEU)
	}
	sign := &Case{Whens: []When{{Cond: &Regex{X: x, Pattern: `[-(]`}, Then: S("-")}}, Else: S("")}
	return &Case{
		Whens: []When{
			{Cond: Or(&IsNull{X: x}, Eq(F("TRIM", x), S(""))), Then: Null},
			{Cond: &Regex{X: x, Pattern: `^\s*-\s*$`}, Then: &Cast{X: I(0), Type: t}},
		},
		Else: &Cast{X: &Binary{Op: "||", L: sign, R: digits}, Type: t},
	}, nil
}

// ParseDecimal reads a DECIMAL(p,s) or NUMERIC(p,s) type as written in a
// catalog or a model ("DECIMAL(18, 2)", "numeric(12,4)"); ok false for
// any other type.
func ParseDecimal(t string) (Type, bool) {
	u := strings.ToUpper(strings.ReplaceAll(t, " ", ""))
	u = strings.Replace(u, "NUMERIC(", "DECIMAL(", 1)
	var p, sc int
	if n, err := fmt.Sscanf(u, "DECIMAL(%d,%d)", &p, &sc); err != nil || n != 2 || !strings.HasSuffix(u, ")") {
		return Type{}, false
	}
	return Decimal(p, sc), true
}
