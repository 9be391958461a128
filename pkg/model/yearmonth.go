package model

import "strconv"

// YearMonths says every value is a month written "YYYY-MM" (2025-03),
// the way ledgers and planning files write a period: the analysis reads
// such a column as the rows' time, the semantic layer as the month's
// first day. False for no values.
func YearMonths(values ...string) bool {
	for _, v := range values {
		if len(v) != 7 || v[4] != '-' {
			return false
		}
		y, err1 := strconv.Atoi(v[:4])
		m, err2 := strconv.Atoi(v[5:])
		if err1 != nil || err2 != nil || y < 1900 || y > 2200 || m < 1 || m > 12 {
			return false
		}
	}
	return len(values) > 0
}
