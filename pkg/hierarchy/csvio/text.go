package csvio

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseBool parses a yes/no cell; what names the column in the error.
func ParseBool(what, s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "false", "no", "n", "0", "f":
		return false, nil
	case "true", "yes", "y", "1", "t":
		return true, nil
	}
	return false, fmt.Errorf("bad %s %q (use true/false, yes/no or 1/0)", what, s)
}

// FormatBool writes true as "true" and false as an empty cell.
func FormatBool(b bool) string {
	if b {
		return "true"
	}
	return ""
}

// ParseSort parses a sort cell: a whole number within ±1e9, and whether
// one was given.
func ParseSort(s string) (int, bool, error) {
	if s == "" {
		return 0, false, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < -1_000_000_000 || v > 1_000_000_000 {
		return 0, false, fmt.Errorf("bad sort %q (use a whole number)", s)
	}
	return v, true, nil
}

// FormatSort writes a sort value.
func FormatSort(n int) string { return strconv.Itoa(n) }

// CodeFromName derives a node code from a display name for wide files
// with plain level_N columns: ASCII letters (upper-cased) and digits are
// kept, every other run of characters becomes one '_', leading and
// trailing '_' are dropped, and the result is cut to 100 characters.
// "Cost of Goods Sold" gives COST_OF_GOODS_SOLD. "" means no usable code.
func CodeFromName(name string) string {
	var b strings.Builder
	pending := false
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
			fallthrough
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(r)
		default:
			pending = true
		}
		if b.Len() >= 100 {
			break
		}
	}
	s := b.String()
	if len(s) > 100 {
		s = s[:100]
	}
	return strings.TrimRight(s, "_")
}

// SplitValues splits a list cell on '|' or, when it has none, on ';'.
func SplitValues(s string) []string {
	sep := "|"
	if !strings.Contains(s, "|") {
		sep = ";"
	}
	var out []string
	for _, v := range strings.Split(s, sep) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// JoinValues joins list values with '|' so that SplitValues splits them
// back. A value that contains '|', is blank or has surrounding spaces
// cannot be written.
func JoinValues(vals []string) (string, error) {
	for _, v := range vals {
		if v == "" || v != strings.TrimSpace(v) {
			return "", fmt.Errorf("list value %q is blank or has leading or trailing spaces, which a CSV import would trim", v)
		}
		if strings.Contains(v, "|") {
			return "", fmt.Errorf("list value %q contains |, which separates list values in a CSV cell: split the rule", v)
		}
	}
	s := strings.Join(vals, "|")
	if len(vals) == 1 && strings.Contains(s, ";") {
		s += "|" // one value that contains ';': a trailing '|' keeps it whole
	}
	return s, nil
}
