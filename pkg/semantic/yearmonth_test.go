package semantic

import "testing"

// A month written as text ("2025-03") dates a table's rows like a date
// (a flat table of amounts by such a month is a fact); other text is not.
// A whole number named like a quantity is no part of a composite key;
// one named like a key, a code or a period is.
func TestYearMonthAndQuantityKeys(t *testing.T) {
	month := func(min, max string, top ...string) *ColumnProfile {
		c := &ColumnProfile{Name: "period", Type: "VARCHAR", Min: min, Max: max, MinLength: len(min), MaxLength: len(max)}
		for _, v := range top {
			c.Top = append(c.Top, TopValue{Value: v, Count: 1})
		}
		return c
	}
	for name, c := range map[string]*ColumnProfile{
		"months": month("2024-01", "2025-12", "2025-03", "2024-11"),
	} {
		if !clsIsYearMonth(c) {
			t.Errorf("%s: not read as months", name)
		}
	}
	for name, c := range map[string]*ColumnProfile{
		"a month 13":       month("2024-01", "2024-13"),
		"codes":            month("AB-1234", "ZZ-9999"),
		"days":             month("2024-01-01", "2025-12-31"),
		"a top value code": month("2024-01", "2025-12", "2025-AB"),
		"numbers":          {Name: "n", Type: "BIGINT", Numeric: true, Min: "2024-01", Max: "2025-12", MinLength: 7, MaxLength: 7},
	} {
		if clsIsYearMonth(c) {
			t.Errorf("%s: read as months", name)
		}
	}
	for col, want := range map[string]bool{"units": false, "quantity": false, "nights": false, "order_count": false,
		"cost_center_number": true, "fiscal_year": true, "line_no": true, "store_id": true, "unit_id": true, "month_units": true, "period": true} {
		c := &ColumnProfile{Name: col, Type: "BIGINT", Numeric: true}
		if got := kyCompositeOK(c); got != want {
			t.Errorf("kyCompositeOK(%s) = %v, want %v", col, got, want)
		}
	}
}
