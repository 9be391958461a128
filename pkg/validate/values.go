package validate

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Engines return counts and sums in different Go types: int64 or int32,
// a HUGEINT or DECIMAL as text, a float. These helpers read them and
// write amounts in one canonical decimal form, so samples read the same
// on every engine.

// toInt reads a count.
func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case int:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, fmt.Errorf("count %d out of range", x)
		}
		return int64(x), nil
	case float64:
		return int64(math.Round(x)), nil
	case float32:
		return int64(math.Round(float64(x))), nil
	case string:
		s := strings.TrimSpace(x)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
		if dv, err := decimal.NewFromString(s); err == nil {
			if r := dv.Round(0); r.IsInteger() && r.BigInt().IsInt64() {
				return r.IntPart(), nil
			}
			return 0, fmt.Errorf("count %q out of range", x)
		}
		return 0, fmt.Errorf("count %q is not a number", x)
	}
	return 0, fmt.Errorf("count of unexpected type %T", v)
}

// numText writes a number in plain decimal form without trailing zeros:
// "100.5000000000" → "100.5", 1e6 → "1000000", NULL → "NULL".
func numText(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case float64:
		return trimDecimal(strconv.FormatFloat(x, 'f', -1, 64))
	case float32:
		return trimDecimal(strconv.FormatFloat(float64(x), 'f', -1, 32))
	case string:
		s := strings.TrimSpace(x)
		if strings.ContainsAny(s, "eE") {
			// 1.2345678901234567E+17 from an engine's text: exactly, not
			// through a float64.
			if dv, err := decimal.NewFromString(s); err == nil {
				return trimDecimal(dv.String())
			}
		}
		return trimDecimal(s)
	}
	if n, err := toInt(v); err == nil {
		return strconv.FormatInt(n, 10)
	}
	return fmt.Sprint(v)
}

func trimDecimal(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" || s == "" {
		s = "0"
	}
	return s
}

// keyValue normalises a key column's value: integers as int64, the rest
// as the connector returned them.
func keyValue(v any) any {
	switch v.(type) {
	case int, int8, int16, int32, uint8, uint16, uint32:
		n, _ := toInt(v)
		return n
	}
	return v
}

// fmtTol writes a tolerance as a decimal literal's text.
func fmtTol(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// pct writes a ratio as a percentage.
func pct(f float64) string {
	return trimDecimal(strconv.FormatFloat(f*100, 'f', 4, 64)) + "%"
}
