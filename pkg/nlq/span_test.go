package nlq

import (
	"github.com/databridge/databridge/pkg/semlayer"
	"testing"
	"time"
)

// Spans of periods, in the test layer's calendar (fiscal year from July)
// as of 15 July 2026.
func TestSpans(t *testing.T) {
	for _, c := range []struct {
		q        string
		from, to time.Time
	}{
		{"cumulative revenue in FY2025 through the end of Q2", day(2024, 7, 1), day(2025, 1, 1)},
		{"revenue in FY2025 up to Q3", day(2024, 7, 1), day(2025, 4, 1)},
		{"sales for FY2026 until March", day(2025, 7, 1), day(2026, 4, 1)},
		{"revenue since Q3 2025", day(2025, 1, 1), day(2026, 7, 16)},
		{"sales since March 2026", day(2026, 3, 1), day(2026, 7, 16)},
		{"revenue from FY2024 to FY2025", day(2023, 7, 1), day(2025, 7, 1)},
		{"revenue from January to March 2026", day(2026, 1, 1), day(2026, 4, 1)},
		{"sales between Q1 and Q2 FY2026", day(2025, 7, 1), day(2026, 1, 1)},
		{"revenue by month from March 2025 through June 2025", day(2025, 3, 1), day(2025, 7, 1)},
	} {
		it := ask(t, c.q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		wantRange(t, it.Spec, c.from, c.to)
		if it.Spec.Compare != "" {
			t.Errorf("%q: compare %q, want none", c.q, it.Spec.Compare)
		}
	}
	// Two periods with a word that compares stay a comparison.
	if it := ask(t, "revenue growth from FY2024 to FY2025"); !it.Answerable || it.Spec.Compare == "" {
		t.Errorf("revenue growth from FY2024 to FY2025: %+v %s", it.Spec, it.Reason)
	}
	for _, q := range []string{
		"revenue through Q2",                       // from when?
		"revenue since FY2028",                     // not begun
		"revenue from FY2025 to FY2024",            // ends before it begins
		"revenue since Q3 2025 vs prior year",      // a span compared
		"revenue from FY2024 to FY2025 through Q2", // three periods
	} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q: answered %+v", q, it.Spec)
		}
	}
}

// Halves, periods named by their end, all time and so far.
func TestTimeExpressions(t *testing.T) {
	for _, c := range []struct {
		q        string
		from, to time.Time
	}{
		{"revenue in the first half of FY2025", day(2024, 7, 1), day(2025, 1, 1)},
		{"revenue for H2 FY2025", day(2025, 1, 1), day(2025, 7, 1)},
		{"sales in the second half of 2025", day(2025, 7, 1), day(2026, 1, 1)},
		{"revenue FY2026 H1", day(2025, 7, 1), day(2026, 1, 1)},
		{"revenue in the first half", day(2026, 7, 1), day(2027, 1, 1)},
		{"revenue in the second half", day(2026, 1, 1), day(2026, 7, 1)},
		{"revenue for the quarter ending March 2026", day(2026, 1, 1), day(2026, 4, 1)},
		{"revenue in the quarter ended 31 March 2026", day(2026, 1, 1), day(2026, 4, 1)},
		{"revenue for the fiscal year ending June 2025", day(2024, 7, 1), day(2025, 7, 1)},
		{"revenue for the year ended 31 December 2025", day(2025, 1, 1), day(2026, 1, 1)},
		{"revenue for the twelve months to March 2026", day(2025, 4, 1), day(2026, 4, 1)},
		{"sales this year so far", day(2026, 7, 1), day(2026, 7, 16)},
		{"sales so far this quarter", day(2026, 7, 1), day(2026, 7, 16)},
	} {
		it := ask(t, c.q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		wantRange(t, it.Spec, c.from, c.to)
	}
	for _, q := range []string{"total revenue of all time", "highest revenue customer ever"} {
		it := ask(t, q)
		if !it.Answerable || it.Spec.Time != nil {
			t.Errorf("%q: %+v %s, want no time range", q, it.Spec.Time, it.Reason)
		}
	}
	for _, q := range []string{"revenue of all time in FY2025", "sales so far", "revenue for the quarter ending 15 March 2026", "revenue to date"} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q: answered %+v", q, it.Spec)
		}
	}
	if it := ask(t, "revenue year to date"); !it.Answerable || it.Spec.Time == nil || !it.Spec.Time.ToDate {
		t.Errorf("year to date: %+v %s", it.Spec.Time, it.Reason)
	}
}

func TestTwoPeriodsBrokenDown(t *testing.T) {
	it := ask(t, "revenue by quarter for FY2025 and FY2026")
	if !it.Answerable || it.Spec.Compare != "" {
		t.Fatalf("%+v %s", it.Spec, it.Reason)
	}
	wantRange(t, it.Spec, day(2024, 7, 1), day(2026, 7, 1))
	// Not one after the other: not a span.
	for _, q := range []string{"revenue by quarter for FY2024 and FY2026", "revenue for FY2024 and FY2026"} {
		if it := ask(t, q); it.Answerable && it.Spec.Compare == "" {
			t.Errorf("%q: answered as one span %+v", q, it.Spec.Time)
		}
	}
	// Not broken down: each period, by its grain ("revenue in Q1 and Q2
	// of FY2026" takes the year of the other).
	for q, g := range map[string]semlayer.Grain{"revenue for FY2025 and FY2026": semlayer.GrainFiscalYear, "revenue in Q1 and Q2 of FY2026": semlayer.GrainFiscalQuarter} {
		it := ask(t, q)
		if !it.Answerable || it.Spec.Compare != "" || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Grain != g {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec)
		}
	}
	wantRange(t, ask(t, "revenue in Q1 and Q2 of FY2026").Spec, day(2025, 7, 1), day(2026, 1, 1))
	// "Q4 last year": the quarter of that year; "2025-04 to 2025-06": a
	// span without "from".
	wantRange(t, ask(t, "revenue in Q1 last year").Spec, day(2025, 7, 1), day(2025, 10, 1))
	wantRange(t, ask(t, "revenue 2025-04 to 2025-06").Spec, day(2025, 4, 1), day(2025, 7, 1))
}

func TestOneDay(t *testing.T) {
	for _, q := range []string{"sales on 2025-12-24", "revenue on 24 December 2025", "revenue on December 24th 2025", "sales on 24th of December 2025"} {
		it := ask(t, q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", q, it.Reason)
			continue
		}
		wantRange(t, it.Spec, day(2025, 12, 24), day(2025, 12, 25))
	}
	if it := ask(t, "revenue on 31 February 2025"); it.Answerable {
		t.Errorf("31 February: answered %+v", it.Spec.Time)
	}
}

func TestTwoMetricsSideBySide(t *testing.T) {
	it := Parse(Input{Layer: returnsLayer(), Members: testMembers, Question: "refunds vs sales by month in 2025", AsOf: asOf})
	if !it.Answerable || it.Spec.Compare != "" || len(it.Spec.Metrics) != 2 {
		t.Errorf("%+v %s", it.Spec, it.Reason)
	}
	// One number vs nothing: compared with what?
	if it := ask(t, "revenue vs by category"); it.Answerable {
		t.Errorf("answered %+v", it.Spec)
	}
}

// A day without its year is the latest one on or before the as-of date.
func TestDayWithoutYear(t *testing.T) {
	it := ask(t, "revenue on March 28")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	wantRange(t, it.Spec, day(2026, 3, 28), day(2026, 3, 29))
	it = ask(t, "revenue on 24 December")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	wantRange(t, it.Spec, day(2025, 12, 24), day(2025, 12, 25))
}

// "Last week" is the Monday-to-Sunday week before the as-of date's;
// "this week" runs to the as-of date (15 July 2026 is a Wednesday).
func TestWeeks(t *testing.T) {
	it := ask(t, "revenue last week")
	if !it.Answerable {
		t.Fatalf("last week: %s", it.Reason)
	}
	wantRange(t, it.Spec, day(2026, 7, 6), day(2026, 7, 13))
	it = ask(t, "revenue this week")
	if !it.Answerable {
		t.Fatalf("this week: %s", it.Reason)
	}
	wantRange(t, it.Spec, day(2026, 7, 13), day(2026, 7, 16))
}

// An ordinal quarter reads as its Q: with a year ("the third fiscal
// quarter of 2026" is Q3 FY2026) and without one ("the second quarter"
// is "Q2", the latest one).
func TestOrdinalQuarters(t *testing.T) {
	for ord, q := range map[string]string{
		"revenue in the second quarter":               "revenue in Q2",
		"revenue in the fourth fiscal quarter":        "revenue in Q4",
		"revenue by segment in the 1st quarter":       "revenue by segment in Q1",
		"revenue in the third fiscal quarter of 2026": "revenue in Q3 FY2026",
	} {
		a, b := ask(t, ord), ask(t, q)
		if !a.Answerable || !b.Answerable {
			t.Errorf("%q: %s / %q: %s", ord, a.Reason, q, b.Reason)
			continue
		}
		if a.Spec.Time == nil || b.Spec.Time == nil || !a.Spec.Time.From.Equal(b.Spec.Time.From) || !a.Spec.Time.To.Equal(b.Spec.Time.To) {
			t.Errorf("%q: %+v, %q: %+v", ord, a.Spec.Time, q, b.Spec.Time)
		}
	}
}

// "The 4 weeks to 28 June 2026": the days up to that day (the number was
// a top 4 by week); "TTM", "L12M": the trailing twelve months.
func TestWeeksToADay(t *testing.T) {
	it := ask(t, "net amount in the 4 weeks to 28 June 2026")
	if !it.Answerable || len(it.Spec.GroupBy) != 0 || it.Spec.Limit != 0 {
		t.Fatalf("%s %+v", it.Reason, it.Spec)
	}
	wantRange(t, it.Spec, day(2026, 6, 1), day(2026, 6, 29))
	want := ask(t, "net amount over the trailing twelve months")
	for _, q := range []string{"TTM net amount", "L12M net amount"} {
		it := ask(t, q)
		if !it.Answerable || it.Spec.Time == nil || want.Spec.Time == nil || !it.Spec.Time.From.Equal(want.Spec.Time.From) {
			t.Errorf("%q: %s %+v", q, it.Reason, it.Spec.Time)
		}
	}
}

// Numbers that cannot be years are amounts, and so is the second of
// "between 1000 and 2000" ("between 2024 and 2025" stays two years).
func TestBetweenAmountsNotYears(t *testing.T) {
	it := ask(t, "customers with net amount between 1000 and 2000")
	if !it.Answerable || it.Spec.Time != nil || len(it.Spec.Having) != 2 {
		t.Errorf("between amounts: %s %+v", it.Reason, it.Spec)
	}
	it = ask(t, "net amount between 2024 and 2025")
	if !it.Answerable || it.Spec.Time == nil || it.Spec.Time.From.Year() != 2024 || it.Spec.Time.To.Year() != 2026 {
		t.Errorf("between years: %s %+v", it.Reason, it.Spec.Time)
	}
	if it := ask(t, "net amount in 1850"); it.Answerable && it.Spec.Time != nil {
		t.Errorf("1850 read as a year: %+v", it.Spec.Time)
	}
}

// "Revenue in May", "since Jan": after a preposition of time a short or
// ambiguous month name is the month (it was refused as the modal verb);
// alone it still is not.
func TestMonthAfterPreposition(t *testing.T) {
	for _, c := range []struct {
		q        string
		from, to time.Time
	}{
		{"revenue in May", day(2026, 5, 1), day(2026, 6, 1)},
		{"revenue during may by segment", day(2026, 5, 1), day(2026, 6, 1)},
		{"revenue in Jan", day(2026, 1, 1), day(2026, 2, 1)},
	} {
		it := ask(t, c.q)
		if !it.Answerable || it.Spec.Time == nil || !it.Spec.Time.From.Equal(c.from) || !it.Spec.Time.To.Equal(c.to) {
			t.Errorf("%q: %+v %s", c.q, it.Spec.Time, it.Reason)
		}
	}
	if it := ask(t, "revenue may be wrong"); it.Answerable {
		t.Errorf("modal may: answered %s", it.Text)
	}
}

// "The latest quarter", "the most recent month" are the last ones; "the
// latest invoice" (a row picked by its date) is still not answered.
func TestLatestPeriod(t *testing.T) {
	answersAs(t, map[string]string{
		"revenue in the latest quarter":           "revenue last quarter",
		"revenue in the most recent month":        "revenue last month",
		"revenue for the most recent fiscal year": "revenue last fiscal year",
	})
	if it := ask(t, "the latest sales line"); it.Answerable {
		t.Errorf("latest sales line: answered %s", it.Text)
	}
}

// "The December quarter" is the quarter that ends in December (it gave
// December alone, grouped by quarter); a month that ends no quarter is
// not read. The test calendar's fiscal year starts in July.
func TestMonthQuarter(t *testing.T) {
	for q, from := range map[string]time.Time{
		"revenue in the December quarter": day(2025, 10, 1),
		"revenue for the June quarter":    day(2026, 4, 1),
	} {
		it := ask(t, q)
		if !it.Answerable || it.Spec.Time == nil || !it.Spec.Time.From.Equal(from) || !it.Spec.Time.To.Equal(from.AddDate(0, 3, 0)) || len(it.Spec.GroupBy) > 0 {
			t.Errorf("%q: %+v %+v %s", q, it.Spec.Time, it.Spec.GroupBy, it.Reason)
		}
	}
	if it := ask(t, "revenue in the February quarter"); it.Answerable {
		t.Errorf("February quarter: answered %s", it.Text)
	}
}

// "Q1 of calendar 2026", "calendar Q1 2026": January to March 2026,
// though the fiscal year starts in July (it read the fiscal Q1 of the
// current fiscal year).
func TestCalendarQuarter(t *testing.T) {
	for _, q := range []string{"revenue for Q1 of calendar 2026", "revenue in calendar Q1 2026", "revenue in the first calendar quarter of 2026", "revenue in Q1 of calendar year 2026"} {
		it := ask(t, q)
		if !it.Answerable || it.Spec.Time == nil || !it.Spec.Time.From.Equal(day(2026, 1, 1)) || !it.Spec.Time.To.Equal(day(2026, 4, 1)) {
			t.Errorf("%q: %+v %s", q, it.Spec.Time, it.Reason)
		}
	}
}

// "This fiscal year to date", "this quarter to date" are the year (the
// quarter) to date; they read the whole period, by day.
func TestThisPeriodToDate(t *testing.T) {
	answersAs(t, map[string]string{
		"revenue this fiscal year to date": "revenue fiscal year to date",
		"revenue this quarter to date":     "revenue quarter to date",
		"revenue this month to date":       "revenue month to date",
		"revenue FYTD":                     "revenue fiscal year to date",
	})
}

// "Last calendar year", "this calendar year", "CY2025": the calendar
// years (it grouped by year, every year).
func TestCalendarYearWords(t *testing.T) {
	answersAs(t, map[string]string{
		"revenue last calendar year by segment": "revenue in calendar 2025 by segment",
		"revenue in the previous calendar year": "revenue in calendar 2025",
		"revenue this calendar year":            "revenue in calendar 2026",
		"revenue CY25":                          "revenue in calendar 2025",
		"revenue in CY2024":                     "revenue in calendar 2024",
	})
	// "So far this calendar year": to the as-of date.
	it := ask(t, "revenue so far this calendar year")
	if !it.Answerable || it.Spec.Time == nil || !it.Spec.Time.To.Equal(asOf.AddDate(0, 0, 1)) {
		t.Errorf("so far this calendar year: %+v %s", it.Spec.Time, it.Reason)
	}
}

// "A month ago", "the day before yesterday": one month, two days back.
func TestAgoWords(t *testing.T) {
	answersAs(t, map[string]string{
		"revenue a month ago":              "revenue 1 month ago",
		"revenue the day before yesterday": "revenue 2 days ago",
		"revenue one quarter ago":          "revenue 1 quarter ago",
	})
}
