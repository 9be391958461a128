package semlayer

import (
	"testing"

	"github.com/databridge/databridge/pkg/model"
)

// A text column of months ("2025-03") is read as a date; a code, a day,
// a number or a month 13 is not; date_text is checked.
func TestYearMonthText(t *testing.T) {
	col := func(typ, min, max string, top ...string) model.Column {
		return model.Column{Name: "period", Type: typ, Profile: model.ColumnProfile{Rows: 10, Min: min, Max: max, Top: top}}
	}
	for name, c := range map[string]model.Column{
		"varchar": col("VARCHAR", "2024-01", "2025-12", "2025-03"),
		"text":    col("TEXT", "1999-12", "2000-01"),
	} {
		if !isYearMonthText(c) {
			t.Errorf("%s: not months", name)
		}
	}
	for name, c := range map[string]model.Column{
		"an integer": col("BIGINT", "2024-01", "2025-12"),
		"days":       col("VARCHAR", "2024-01-01", "2025-12-31"),
		"month 13":   col("VARCHAR", "2024-01", "2024-13"),
		"a code":     col("VARCHAR", "2024-01", "2025-12", "AB12-XY"),
		"no rows":    {Name: "period", Type: "VARCHAR", Profile: model.ColumnProfile{Min: "2024-01", Max: "2025-12"}},
	} {
		if isYearMonthText(c) {
			t.Errorf("%s: read as months", name)
		}
	}
	l := &Layer{Version: 1, Calendar: Calendar{StartMonth: 1}, Models: []*Model{{Name: "m", Table: "T", Role: "fact",
		Dimensions: []*Dimension{{Name: "region", Column: "region", Type: "categorical", DateText: DateTextYearMonth}}}}}
	if errs := l.Check(); len(errs) == 0 {
		t.Error("date_text on a category: no error")
	}
}
