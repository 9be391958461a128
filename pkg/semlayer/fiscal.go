// Package semlayer is the start of databridge's semantic layer over a
// deployed warehouse (issue 13): what every number means, in what time.
// This first part is the fiscal calendar the layer's time spine carries:
// fiscal year, quarter and period of a date, computed the same way in Go
// (for spines, labels and relative dates such as "last quarter") and in
// SQL on every engine (for grouping facts), and inferred from a project's
// periods table when it has one.
package semlayer

import (
	"fmt"
	"time"

	d "github.com/databridge/databridge/pkg/dialect"
)

// Calendar is a fiscal calendar of twelve calendar months starting in
// StartMonth (1 = January: the fiscal year is the calendar year).
//
// A fiscal year is named by the calendar year in which it ends (a year
// starting July 2024 is FY2025), the convention of most US and
// Australian companies; NamedByStart names it by the year in which it
// starts instead (April 2024 – March 2025 is FY2024, as UK and Indian
// companies often do).
type Calendar struct {
	StartMonth   int  `json:"fiscal_year_start_month" yaml:"fiscal_year_start_month"`
	NamedByStart bool `json:"named_by_start_year,omitempty" yaml:"named_by_start_year,omitempty"`
}

// NewCalendar returns the calendar starting in month (1–12).
func NewCalendar(month int, namedByStart bool) (Calendar, error) {
	c := Calendar{StartMonth: month, NamedByStart: namedByStart}
	return c, c.Check()
}

// Check reports a start month out of range.
func (c Calendar) Check() error {
	if c.StartMonth < 1 || c.StartMonth > 12 {
		return fmt.Errorf("fiscal year start month %d: want 1 (January) to 12 (December)", c.StartMonth)
	}
	return nil
}

// shift is how many years the fiscal year of a month on or after the
// start month is ahead of its calendar year: 1 when named by the year it
// ends in, 0 when named by the year it starts in (and for January).
func (c Calendar) shift() int {
	if c.StartMonth <= 1 || c.NamedByStart {
		return 0
	}
	return 1
}

// Year is the fiscal year of t.
func (c Calendar) Year(t time.Time) int {
	y := t.Year()
	if c.StartMonth > 1 && int(t.Month()) >= c.StartMonth {
		y += c.shift()
	} else if c.StartMonth > 1 {
		y += c.shift() - 1
	}
	return y
}

// Period is the fiscal period (month 1–12 of the fiscal year) of t.
func (c Calendar) Period(t time.Time) int {
	return (int(t.Month())-c.StartMonth+12)%12 + 1
}

// Quarter is the fiscal quarter (1–4) of t.
func (c Calendar) Quarter(t time.Time) int { return (c.Period(t)-1)/3 + 1 }

// YearStart is the first day of fiscal year fy.
func (c Calendar) YearStart(fy int) time.Time {
	y := fy
	if c.StartMonth > 1 {
		y = fy - c.shift()
	}
	return time.Date(y, time.Month(c.StartMonth), 1, 0, 0, 0, 0, time.UTC)
}

// QuarterStart is the first day of fiscal quarter q (1–4) of fiscal year fy.
func (c Calendar) QuarterStart(fy, q int) time.Time {
	return c.YearStart(fy).AddDate(0, 3*(q-1), 0)
}

// YearExpr is the fiscal year of the date (or timestamp) date, in SQL.
func (c Calendar) YearExpr(date d.Expr) d.Expr {
	year := &d.DatePart{Part: "YEAR", X: date}
	if c.StartMonth <= 1 {
		return year
	}
	// year + (1 if month >= start else 0), less one when named by the
	// start year.
	later, earlier := int64(c.shift()), int64(c.shift()-1)
	adj := &d.Case{Whens: []d.When{{Cond: &d.Binary{Op: ">=", L: &d.DatePart{Part: "MONTH", X: date}, R: d.I(int64(c.StartMonth))}, Then: d.I(later)}}, Else: d.I(earlier)}
	return &d.Binary{Op: "+", L: year, R: adj}
}

// YearOfMonthExpr is the fiscal year of the calendar month (year,
// month), in SQL.
func (c Calendar) YearOfMonthExpr(year, month d.Expr) d.Expr {
	if c.StartMonth <= 1 {
		return year
	}
	later, earlier := int64(c.shift()), int64(c.shift()-1)
	adj := &d.Case{Whens: []d.When{{Cond: &d.Binary{Op: ">=", L: month, R: d.I(int64(c.StartMonth))}, Then: d.I(later)}}, Else: d.I(earlier)}
	return &d.Binary{Op: "+", L: year, R: adj}
}

// PeriodExpr is the fiscal period (1–12) of date, in SQL: a CASE over the
// month, which every engine evaluates the same way (no MOD or integer
// division, whose spellings and rounding differ).
func (c Calendar) PeriodExpr(date d.Expr) d.Expr {
	return c.monthCase(date, func(m int) int { return (m-c.StartMonth+12)%12 + 1 })
}

// QuarterExpr is the fiscal quarter (1–4) of date, in SQL.
func (c Calendar) QuarterExpr(date d.Expr) d.Expr {
	return c.monthCase(date, func(m int) int { return ((m-c.StartMonth+12)%12)/3 + 1 })
}

func (c Calendar) monthCase(date d.Expr, f func(month int) int) d.Expr {
	month := &d.DatePart{Part: "MONTH", X: date}
	// Months grouped by result: WHEN month IN (7, 8, 9) THEN 1 ...
	byValue := map[int][]d.Expr{}
	var order []int
	for m := 1; m <= 12; m++ {
		v := f(m)
		if _, ok := byValue[v]; !ok {
			order = append(order, v)
		}
		byValue[v] = append(byValue[v], d.I(int64(m)))
	}
	out := &d.Case{}
	for _, v := range order {
		out.Whens = append(out.Whens, d.When{Cond: &d.In{X: month, List: byValue[v]}, Then: d.I(int64(v))})
	}
	return out
}

// PeriodRow is one row of a project's periods table, as far as the
// calendar needs it: the first day of the period and the fiscal year the
// table gives it (and its fiscal quarter, 0 when the table has none).
type PeriodRow struct {
	Start         time.Time
	FiscalYear    int
	FiscalQuarter int
}

// InferCalendar finds the calendar a periods table follows: the start
// month and naming convention under which every row's fiscal year (and
// quarter, where given) is what the calendar computes. It fails when no
// calendar fits all rows, or when the rows cannot tell two apart (fewer
// than twelve consecutive months can leave the start ambiguous).
func InferCalendar(rows []PeriodRow) (Calendar, error) {
	if len(rows) == 0 {
		return Calendar{}, fmt.Errorf("no periods to infer a fiscal calendar from")
	}
	var fits []Calendar
	for m := 1; m <= 12; m++ {
		for _, byStart := range []bool{false, true} {
			if m == 1 && byStart {
				continue // the same calendar as January named by its end
			}
			c := Calendar{StartMonth: m, NamedByStart: byStart}
			ok := true
			for _, r := range rows {
				if c.Year(r.Start) != r.FiscalYear || (r.FiscalQuarter != 0 && c.Quarter(r.Start) != r.FiscalQuarter) {
					ok = false
					break
				}
			}
			if ok {
				fits = append(fits, c)
			}
		}
	}
	switch len(fits) {
	case 0:
		return Calendar{}, fmt.Errorf("the periods' fiscal years fit no calendar of twelve months starting on the 1st of a month")
	case 1:
		return fits[0], nil
	}
	return Calendar{}, fmt.Errorf("the periods fit %d fiscal calendars (starting in %s, …): state the fiscal year's start month", len(fits), time.Month(fits[0].StartMonth))
}

// String says the calendar in words: "fiscal year starting in July, named
// by the year it ends in".
func (c Calendar) String() string {
	if c.StartMonth <= 1 {
		return "calendar year"
	}
	name := "ends"
	if c.NamedByStart {
		name = "starts"
	}
	return fmt.Sprintf("fiscal year starting in %s, named by the year it %s in", time.Month(c.StartMonth), name)
}
