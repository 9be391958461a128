package semlayer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Grain is the size of a period.
type Grain string

// Grains a period can have. Quarters and years in relative phrases are
// fiscal (a finance team's "last quarter"); a bare year ("in 2025") is a
// calendar year.
const (
	GrainDay           Grain = "day"
	GrainWeek          Grain = "week" // ISO weeks, Monday to Sunday: a grouping, not a range's grain
	GrainMonth         Grain = "month"
	GrainFiscalQuarter Grain = "fiscal_quarter"
	GrainFiscalYear    Grain = "fiscal_year"
	GrainYear          Grain = "year"
	// The recurring grains put every year's month, or every week's day,
	// together: a season, not a period (no spine, no comparison).
	GrainMonthOfYear Grain = "month_of_year" // 1 (January) to 12
	GrainDayOfWeek   Grain = "day_of_week"   // ISO: 1 (Monday) to 7 (Sunday)
)

// Recurring says the grain's buckets recur (a month of the year, a day of
// the week) rather than follow one another.
func (g Grain) Recurring() bool { return g == GrainMonthOfYear || g == GrainDayOfWeek }

// Range is a span of days [From, To) that a phrase such as "last quarter"
// names, at the grain it was named in, with the words that say which span
// it is ("FY2026 Q1", "March 2025", "FY2026 to date").
type Range struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"` // exclusive
	Grain Grain     `json:"grain"`
	// Count is how many periods of Grain the range spans (3 for "last 3
	// months"); ToDate ranges end at the as-of date inside their period.
	Count  int    `json:"count"`
	ToDate bool   `json:"to_date,omitempty"`
	Label  string `json:"label"`
}

// String is the range's label with its days.
func (r Range) String() string {
	return fmt.Sprintf("%s (%s – %s)", r.Label, r.From.Format("2006-01-02"), r.To.AddDate(0, 0, -1).Format("2006-01-02"))
}

func (c Calendar) monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func (c Calendar) quarterLabel(start time.Time) string {
	return fmt.Sprintf("FY%d Q%d", c.Year(start), c.Quarter(start))
}

// period is the range of n periods of grain g starting at from.
func (c Calendar) period(g Grain, from time.Time, n int) Range {
	r := Range{From: from, Grain: g, Count: n}
	switch g {
	case GrainDay:
		r.To = from.AddDate(0, 0, n)
		r.Label = from.Format("2 January 2006")
	case GrainMonth:
		r.To = from.AddDate(0, n, 0)
		r.Label = from.Format("January 2006")
	case GrainFiscalQuarter:
		r.To = from.AddDate(0, 3*n, 0)
		r.Label = c.quarterLabel(from)
	case GrainFiscalYear:
		r.To = from.AddDate(n, 0, 0)
		r.Label = fmt.Sprintf("FY%d", c.Year(from))
	case GrainYear:
		r.To = from.AddDate(n, 0, 0)
		r.Label = strconv.Itoa(from.Year())
	}
	if n > 1 {
		last := c.period(g, r.To.AddDate(0, 0, -1), 1)
		switch g {
		case GrainMonth:
			last.From = c.monthStart(last.From)
		case GrainFiscalQuarter:
			last.From = c.QuarterStart(c.Year(last.From), c.Quarter(last.From))
		}
		r.Label += " – " + c.period(g, last.From, 1).Label
	}
	return r
}

// start is the first day of the period of grain g that contains t.
func (c Calendar) start(g Grain, t time.Time) time.Time {
	switch g {
	case GrainMonth:
		return c.monthStart(t)
	case GrainFiscalQuarter:
		return c.QuarterStart(c.Year(t), c.Quarter(t))
	case GrainFiscalYear:
		return c.YearStart(c.Year(t))
	case GrainYear:
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// shift moves a period start by n periods of grain g.
func shift(g Grain, t time.Time, n int) time.Time {
	switch g {
	case GrainMonth:
		return t.AddDate(0, n, 0)
	case GrainFiscalQuarter:
		return t.AddDate(0, 3*n, 0)
	case GrainFiscalYear, GrainYear:
		return t.AddDate(n, 0, 0)
	}
	return t.AddDate(0, 0, n)
}

var (
	unitWords = map[string]Grain{
		"day": GrainDay, "days": GrainDay, "month": GrainMonth, "months": GrainMonth,
		"quarter": GrainFiscalQuarter, "quarters": GrainFiscalQuarter, "qtr": GrainFiscalQuarter,
		"year": GrainFiscalYear, "years": GrainFiscalYear, "fiscal year": GrainFiscalYear, "fy": GrainFiscalYear,
		"fiscal quarter": GrainFiscalQuarter,
	}
	monthWords = map[string]time.Month{}
	numWords   = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

	reRelative = regexp.MustCompile(`^(this|current|last|previous|prior|next)\s+(day|month|quarter|qtr|fiscal quarter|fiscal year|year|fy)$`)
	reAgo      = regexp.MustCompile(`^(\d+|[a-z]+)\s+(?:fiscal\s+)?(days?|months?|quarters?|years?)\s+ago$`)
	reBefore   = regexp.MustCompile(`^(?:the\s+)?(?:fiscal\s+)?(day|month|quarter|year)\s+before\s+last$`)
	reTrailing = regexp.MustCompile(`^(?:the\s+)?(?:last|past|previous|trailing)\s+(\d+|[a-z]+)\s+(?:fiscal\s+)?(days|weeks|months|quarters|years)$`)
	reToDate   = regexp.MustCompile(`^(ytd|qtd|mtd|(?:fiscal\s+)?(year|quarter|month)[\s-]+to[\s-]+date)$`)
	reQuarter  = regexp.MustCompile(`^(?:(?:fy|fiscal(?:\s+year)?)\s*'?(\d{2}|\d{4})\s+)?q([1-4])(?:\s+(?:of\s+)?(?:(?:fy|fiscal(?:\s+year)?)\s*'?)?(\d{2}|\d{4}))?$`)
	reFiscalYr = regexp.MustCompile(`^(?:fy|fiscal(?:\s+year)?)\s*'?(\d{2}|\d{4})$`)
	reYear     = regexp.MustCompile(`^(?:calendar\s+(?:year\s+)?)?(\d{4})$`)
	reMonth    = regexp.MustCompile(`^([a-z]+)(?:\s+(\d{4}))?$`)
	reISOMonth = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
)

func init() {
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		monthWords[name] = m
		monthWords[name[:3]] = m
	}
	monthWords["sept"] = time.September
}

// fullYear reads a two- or four-digit year ("25" is 2025).
func fullYear(s string) int {
	y, _ := strconv.Atoi(s)
	if len(s) == 2 {
		y += 2000
	}
	return y
}

// Resolve reads a time phrase against the as-of date: "this/last/next
// month|quarter|year", "last 3 months" (the three complete months before
// the current one), "YTD"/"QTD"/"MTD" (the current fiscal year, quarter
// or month up to and including the as-of day), "Q3 2025"/"FY2025 Q3"/"Q3"
// (fiscal quarters; a bare Q3 is the latest one that has begun),
// "FY2025"/"FY25"/"fiscal 2025", "2025" (a calendar year), "March 2025",
// "2025-03" and "March" (the latest March that has begun), "today",
// "yesterday". Phrases it does not know return false: callers abstain
// rather than guess.
func (c Calendar) Resolve(phrase string, asOf time.Time) (Range, bool) {
	p := strings.Join(strings.Fields(strings.ToLower(strings.TrimSpace(phrase))), " ")
	p = strings.TrimPrefix(p, "in ")
	p = strings.TrimPrefix(p, "for ")
	p = strings.TrimPrefix(p, "the ")
	today := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	switch p {
	case "today":
		return c.period(GrainDay, today, 1), true
	case "yesterday":
		return c.period(GrainDay, today.AddDate(0, 0, -1), 1), true
	}
	if m := reRelative.FindStringSubmatch(p); m != nil {
		g := unitWords[m[2]]
		n := 0
		switch m[1] {
		case "last", "previous", "prior":
			n = -1
		case "next":
			n = 1
		}
		return c.period(g, shift(g, c.start(g, today), n), 1), true
	}
	if m := reAgo.FindStringSubmatch(p); m != nil {
		// "3 months ago", "two quarters ago", "a year ago": the one
		// period that many before the current one.
		n, err := strconv.Atoi(m[1])
		if err != nil {
			n = numWords[m[1]]
			if m[1] == "a" || m[1] == "an" {
				n = 1
			}
		}
		if n <= 0 || n > 1000 {
			return Range{}, false
		}
		g := unitWords[m[2]]
		return c.period(g, shift(g, c.start(g, today), -n), 1), true
	}
	if m := reBefore.FindStringSubmatch(p); m != nil {
		// "the year before last": two before the current one.
		g := unitWords[m[1]]
		return c.period(g, shift(g, c.start(g, today), -2), 1), true
	}
	if m := reTrailing.FindStringSubmatch(p); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			n = numWords[m[1]]
		}
		if n <= 0 || n > 1000 {
			return Range{}, false
		}
		if m[2] == "weeks" {
			// "the last 2 weeks": the 14 days before today.
			n *= 7
		}
		g := unitWords[m[2]]
		if g == GrainDay || m[2] == "weeks" {
			return c.period(GrainDay, today.AddDate(0, 0, -n), n), true
		}
		return c.period(g, shift(g, c.start(g, today), -n), n), true
	}
	if m := reToDate.FindStringSubmatch(p); m != nil {
		g := GrainFiscalYear
		switch {
		case m[1] == "qtd" || m[2] == "quarter":
			g = GrainFiscalQuarter
		case m[1] == "mtd" || m[2] == "month":
			g = GrainMonth
		}
		r := c.period(g, c.start(g, today), 1)
		r.To, r.ToDate = today.AddDate(0, 0, 1), true
		r.Label += " to date"
		return r, true
	}
	if m := reQuarter.FindStringSubmatch(p); m != nil {
		if m[1] != "" && m[3] != "" {
			return Range{}, false
		}
		q, _ := strconv.Atoi(m[2])
		var fy int
		switch {
		case m[1] != "":
			fy = fullYear(m[1])
		case m[3] != "":
			fy = fullYear(m[3])
		default:
			// The latest quarter q that has begun.
			fy = c.Year(today)
			if c.QuarterStart(fy, q).After(today) {
				fy--
			}
		}
		return c.period(GrainFiscalQuarter, c.QuarterStart(fy, q), 1), true
	}
	if m := reFiscalYr.FindStringSubmatch(p); m != nil {
		return c.period(GrainFiscalYear, c.YearStart(fullYear(m[1])), 1), true
	}
	if m := reYear.FindStringSubmatch(p); m != nil {
		y, _ := strconv.Atoi(m[1])
		return c.period(GrainYear, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), 1), true
	}
	if m := reISOMonth.FindStringSubmatch(p); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return Range{}, false
		}
		return c.period(GrainMonth, time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC), 1), true
	}
	if m := reMonth.FindStringSubmatch(p); m != nil {
		mo, ok := monthWords[m[1]]
		if !ok {
			return Range{}, false
		}
		y := today.Year()
		if m[2] != "" {
			y, _ = strconv.Atoi(m[2])
		} else if time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC).After(today) {
			y--
		}
		return c.period(GrainMonth, time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC), 1), true
	}
	return Range{}, false
}

// PriorPeriod is the range of the same length just before r (the quarter
// before a quarter; for a to-date range, the same number of days into the
// previous period).
func (c Calendar) PriorPeriod(r Range) Range {
	n := r.Count
	if n < 1 {
		n = 1
	}
	return c.moved(r, -n)
}

// PriorYear is r one year earlier (FY2025 Q1 for FY2026 Q1).
func (c Calendar) PriorYear(r Range) Range {
	switch r.Grain {
	case GrainMonth:
		return c.moved(r, -12)
	case GrainFiscalQuarter:
		return c.moved(r, -4)
	case GrainDay:
		out := c.period(GrainDay, r.From.AddDate(-1, 0, 0), r.Count)
		out.To = r.To.AddDate(-1, 0, 0)
		return out
	}
	return c.moved(r, -1)
}

func (c Calendar) moved(r Range, n int) Range {
	out := c.period(r.Grain, shift(r.Grain, r.From, n), max(r.Count, 1))
	if r.ToDate {
		// Up to the same day of the month as r, moved by as many months
		// as the period (30 September for a quarter to 31 December),
		// capped at the end of the earlier period.
		months := (out.From.Year()-r.From.Year())*12 + int(out.From.Month()) - int(r.From.Month())
		last := r.To.AddDate(0, 0, -1)
		target := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
		day := min(last.Day(), target.AddDate(0, 1, -1).Day())
		if end := target.AddDate(0, 0, day); end.Before(out.To) {
			out.To = end
		}
		out.ToDate = true
		out.Label += " to date"
	}
	return out
}

// Earlier is r moved months earlier: by whole periods of its grain when
// the months are (keeping a to-date range to date), else day for day.
func (c Calendar) Earlier(r Range, months int) Range {
	size := map[Grain]int{GrainMonth: 1, GrainFiscalQuarter: 3, GrainFiscalYear: 12, GrainYear: 12}[r.Grain]
	if size > 0 && months%size == 0 {
		return c.moved(r, -months/size)
	}
	out := r
	out.From, out.To = r.From.AddDate(0, -months, 0), r.To.AddDate(0, -months, 0)
	out.Label = fmt.Sprintf("%s, %d months earlier", r.Label, months)
	return out
}
