package nlq

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/semlayer"
)

// Spans of periods: one period's start to another's end.
//
//	since Q3 2025, from March 2026        the period's start to the as-of date
//	through (the end of) Q2, until March,  … to the period's end, from the start
//	up to, to the end of, by the end of    of the other period named ("in FY2025
//	                                       through the end of Q2")
//	from Q1 to Q3 2025, between March and June 2025 (when nothing compares)
//
// A period named without its year inside a span falls in the other
// period's year ("FY2025 through Q2" is FY2025's second quarter).

// spanEnds are the words before a period that end a span at its end, and
// spanStarts those that start one at its start (longest first).
var (
	spanEnds = [][]string{
		{"up", "to", "the", "end", "of"}, {"through", "the", "end", "of"}, {"until", "the", "end", "of"}, {"till", "the", "end", "of"},
		{"to", "the", "end", "of"}, {"by", "the", "end", "of"}, {"through", "end", "of"}, {"to", "end", "of"},
		{"up", "to", "and", "including"}, {"up", "to"}, {"through"}, {"thru"}, {"until"}, {"till"},
	}
	spanBefore = [][]string{{"prior", "to"}, {"earlier", "than"}, {"before"}}
	spanStarts = [][]string{
		{"from", "the", "start", "of"}, {"from", "the", "beginning", "of"}, {"since", "the", "start", "of"}, {"since", "the", "beginning", "of"},
		{"starting", "from"}, {"starting", "in"}, {"starting"}, {"since"},
	}
)

// comparing says a word of the question compares periods (then "from
// FY2024 to FY2025" is a change between two periods, not a span).
func (p *parser) comparing() bool {
	for _, t := range p.toks {
		switch t.canon {
		case "growth", "change", "grow", "grew", "increase", "decrease", "difference", "compare", "compared", "comparing",
			"vs", "versus", "against", "yoy", "qoq", "mom", "rise", "rose", "fell", "fall", "declined", "decline":
			return true
		}
	}
	return false
}

// rawBefore says the unused tokens just before position i spell ws.
func (p *parser) rawBefore(i int, ws []string) bool {
	k := i - len(ws)
	if k < 0 {
		return false
	}
	for j, w := range ws {
		if t := p.toks[k+j]; t.used || t.raw != w {
			return false
		}
	}
	return true
}

// spanWords reads the words that make spans of the time phrases.
func (p *parser) spanWords() {
	cmp := p.comparing()
	for ti := range p.times {
		t := &p.times[ti]
		if t.phrase == "between" {
			continue
		}
		switch pos := t.pos; {
		case p.spanWordsBefore(pos, spanEnds):
			t.to = true
		case p.spanWordsBefore(pos, spanBefore):
			t.before = true
		case p.spanWordsBefore(pos, spanStarts):
			t.from = true
		}
	}
	if cmp || len(p.times) != 2 {
		return
	}
	// "from A to B", "between A and B": a span when nothing compares.
	a, b := &p.times[0], &p.times[1]
	if a.to || b.from || a.from && b.to {
		return
	}
	if p.rawBefore(a.pos, []string{"from"}) && p.rawBefore(b.pos, []string{"to"}) || p.rawBefore(a.pos, []string{"between"}) && p.rawBefore(b.pos, []string{"and"}) {
		p.use(a.pos-1, 1, "span")
		p.use(b.pos-1, 1, "span")
		a.from, b.to = true, true
	}
}

// spanWordsBefore marks the first of the word lists that stands just
// before position pos as read, and says whether one did.
func (p *parser) spanWordsBefore(pos int, lists [][]string) bool {
	for _, ws := range lists {
		if p.rawBefore(pos, ws) {
			p.use(pos-len(ws), len(ws), "span")
			return true
		}
	}
	return false
}

// reYearIn finds a year in a time phrase: 2025, FY25, '25, 2025-03.
var reYearIn = regexp.MustCompile(`\d{4}|fy\s*'?\d{2}|'\d{2}|fiscal\s+(year\s+)?\d{2}`)

// bare says a time phrase names a period without its year ("Q2",
// "March").
func bare(phrase string) bool {
	if reYearIn.MatchString(phrase) {
		return false
	}
	for _, w := range strings.Fields(phrase) {
		switch w {
		case "last", "this", "next", "previous", "prior", "current", "past", "trailing", "ytd", "qtd", "mtd", "today", "yesterday", "date":
			return false
		}
	}
	return true
}

// span turns the time phrases with span words into one range; ok false
// when none has them. reason says why a span cannot be read.
func (p *parser) span() (rng semlayer.Range, ok bool, reason string) {
	var from, to, other []timeMention
	for _, t := range p.times {
		if t.before {
			// Before a period: everything until it begins, from the
			// first row on (read by no grain: the spine would start at
			// the calendar's beginning).
			if len(p.times) > 1 {
				return rng, true, "a span before a period and another period: say \"from … to …\""
			}
			r := semlayer.Range{From: openStart, To: t.rng.From, Grain: semlayer.GrainDay, Label: "before " + t.rng.Label}
			r.Count = int(r.To.Sub(r.From).Hours()/24 + 0.5)
			p.openSpan = true
			return r, true, ""
		}
		switch {
		case t.from:
			from = append(from, t)
		case t.to:
			to = append(to, t)
		default:
			other = append(other, t)
		}
	}
	if len(from) == 0 && len(to) == 0 {
		return rng, false, ""
	}
	if len(from) > 1 || len(to) > 1 || len(from)+len(to)+len(other) > 2 {
		return rng, true, "more than two periods in a span"
	}
	c := p.in.Layer.Calendar
	today := time.Date(p.in.AsOf.Year(), p.in.AsOf.Month(), p.in.AsOf.Day(), 0, 0, 0, 0, time.UTC)
	var start, end timeMention
	switch {
	case len(from) == 1 && len(to) == 1:
		start, end = from[0], to[0]
	case len(from) == 1 && len(other) == 1:
		return rng, true, fmt.Sprintf("a span from %s and %s: say \"from … to …\"", from[0].rng.Label, other[0].rng.Label)
	case len(from) == 1:
		// Since a period: to the as-of date.
		start = from[0]
		if !start.rng.From.Before(today.AddDate(0, 0, 1)) {
			return rng, true, fmt.Sprintf("%s has not begun at %s", start.rng.Label, today.Format("2 Jan 2006"))
		}
		r := semlayer.Range{From: start.rng.From, To: today.AddDate(0, 0, 1), Grain: semlayer.GrainDay, ToDate: true,
			Label: "since the start of " + start.rng.Label}
		r.Count = int(r.To.Sub(r.From).Hours()/24 + 0.5)
		return r, true, ""
	case len(to) == 1 && len(other) == 1:
		// "in FY2025 through the end of Q2": the other period's start.
		start, end = other[0], to[0]
	default:
		return rng, true, fmt.Sprintf("up to %s from when? say \"in FY2025 through Q2\" or \"from … to …\"", to[0].rng.Label)
	}
	a, b := start.rng, end.rng
	// A period named without its year falls in the other one's year.
	switch {
	case bare(end.phrase) && !bare(start.phrase):
		// The first such period from the start on.
		for i := 0; i < 100 && !b.From.AddDate(-1, 0, 0).Before(a.From); i++ {
			b = c.Earlier(b, 12)
		}
		for i := 0; i < 100 && b.From.Before(a.From); i++ {
			b = c.Earlier(b, -12)
		}
	case bare(start.phrase) && !bare(end.phrase):
		// The last such period up to the end.
		for i := 0; i < 100 && a.From.After(b.From); i++ {
			a = c.Earlier(a, 12)
		}
		for i := 0; i < 100 && !a.From.AddDate(1, 0, 0).After(b.From); i++ {
			a = c.Earlier(a, -12)
		}
	}
	if !b.To.After(a.From) || b.From.Before(a.From) {
		return rng, true, fmt.Sprintf("%s ends before %s begins", b.Label, a.Label)
	}
	if b.From.After(today) {
		return rng, true, fmt.Sprintf("%s has not begun at %s", b.Label, today.Format("2 Jan 2006"))
	}
	r := semlayer.Range{From: a.From, To: b.To, Grain: b.Grain, ToDate: b.ToDate}
	switch b.Grain {
	case semlayer.GrainMonth, semlayer.GrainFiscalQuarter, semlayer.GrainFiscalYear, semlayer.GrainYear:
		size := map[semlayer.Grain]int{semlayer.GrainMonth: 1, semlayer.GrainFiscalQuarter: 3, semlayer.GrainFiscalYear: 12, semlayer.GrainYear: 12}[b.Grain]
		months := (r.To.Year()-r.From.Year())*12 + int(r.To.Month()) - int(r.From.Month())
		if months%size == 0 && r.From.Equal(c.Earlier(b, months-size).From) {
			r.Count = months / size
		} else {
			r.Grain, r.Count = semlayer.GrainMonth, months
		}
	default:
		r.Grain, r.Count = semlayer.GrainDay, int(r.To.Sub(r.From).Hours()/24+0.5)
	}
	r.Label = a.Label + " through " + b.Label
	return r, true, ""
}

var (
	reHalf       = regexp.MustCompile(`^(?:the\s+)?(?:(first|second|1st|2nd)\s+half(?:\s+year)?|h([12])|([12])h)(?:\s+(?:of\s+)?(.+))?$`)
	reHalfAfter  = regexp.MustCompile(`^(.+?)\s+h([12])$`)
	reDaysEnding = regexp.MustCompile(`^(?:the\s+)?(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(weeks?|days?)\s+(?:ending|ended|to|through|up\s+to)\s+(?:on\s+)?(.+)$`)
	reEnding     = regexp.MustCompile(`^(?:the\s+)?(fiscal\s+|financial\s+)?(quarter|year|month|half\s+year|half|six\s+months|twelve\s+months|12\s+months|three\s+months|3\s+months)\s+(?:ending|ended|to|through)(?:\s+in)?(?:\s+(\d{1,2})(?:st|nd|rd|th)?)?\s+(.+)$`)
)

// half reads a half year: "H1 FY2025", "the second half of 2025", "first
// half" (the latest first half that has begun, in the fiscal calendar) —
// the year's first or last six months.
func (p *parser) half(phrase string) (semlayer.Range, bool) {
	var which, year string
	if m := reHalf.FindStringSubmatch(phrase); m != nil {
		which, year = m[1]+m[2]+m[3], m[4]
	} else if m := reHalfAfter.FindStringSubmatch(phrase); m != nil {
		which, year = m[2], m[1]
	} else {
		return semlayer.Range{}, false
	}
	second := which == "second" || which == "2nd" || which == "2"
	c := p.in.Layer.Calendar
	today := time.Date(p.in.AsOf.Year(), p.in.AsOf.Month(), p.in.AsOf.Day(), 0, 0, 0, 0, time.UTC)
	var yr semlayer.Range
	if year == "" {
		// The latest such half that has begun.
		fy := c.Year(today)
		yr = semlayer.Range{From: c.YearStart(fy), Grain: semlayer.GrainFiscalYear, Label: fmt.Sprintf("FY%d", fy)}
		if second && yr.From.AddDate(0, 6, 0).After(today) || !second && yr.From.After(today) {
			yr = semlayer.Range{From: c.YearStart(fy - 1), Grain: semlayer.GrainFiscalYear, Label: fmt.Sprintf("FY%d", fy-1)}
		}
	} else {
		r, ok := c.Resolve(year, p.in.AsOf)
		if !ok || r.Grain != semlayer.GrainFiscalYear && r.Grain != semlayer.GrainYear || r.Count > 1 || r.ToDate {
			return semlayer.Range{}, false
		}
		yr = r
	}
	from := yr.From
	h := "H1"
	if second {
		from, h = from.AddDate(0, 6, 0), "H2"
	}
	return semlayer.Range{From: from, To: from.AddDate(0, 6, 0), Grain: semlayer.GrainMonth, Count: 6, Label: h + " " + yr.Label}, true
}

// ending reads a period named by its end: "the quarter ending March
// 2026", "the year ended 30 June 2025", "twelve months to June 2026" —
// the months up to and including that month (a fiscal quarter or year
// when they are one).
func (p *parser) ending(phrase string) (semlayer.Range, bool) {
	if m := reDaysEnding.FindStringSubmatch(phrase); m != nil {
		// "the 4 weeks to 28 June 2026", "30 days ending 2026-03-31":
		// the days up to and including that day.
		n, ok := numberWords[m[1]], true
		if n == 0 {
			_, err := fmt.Sscan(m[1], &n)
			ok = err == nil && n > 0 && n <= 520
		}
		end, found := p.resolve(m[3])
		if !ok || !found || end.Grain != semlayer.GrainDay || end.Count != 1 {
			return semlayer.Range{}, false
		}
		days := n
		if strings.HasPrefix(m[2], "week") {
			days = 7 * n
		}
		return semlayer.Range{From: end.To.AddDate(0, 0, -days), To: end.To, Grain: semlayer.GrainDay, Count: days,
			Label: fmt.Sprintf("%d %s to %s", n, m[2], end.Label)}, true
	}
	m := reEnding.FindStringSubmatch(phrase)
	if m == nil {
		return semlayer.Range{}, false
	}
	c := p.in.Layer.Calendar
	end, ok := c.Resolve(m[4], p.in.AsOf)
	if !ok || end.Grain != semlayer.GrainMonth || end.Count != 1 {
		return semlayer.Range{}, false
	}
	if m[3] != "" {
		// A day: the month's last.
		d := 0
		fmt.Sscan(m[3], &d)
		if end.To.AddDate(0, 0, -1).Day() != d {
			return semlayer.Range{}, false
		}
	}
	months := map[string]int{"quarter": 3, "year": 12, "month": 1, "half": 6, "half year": 6, "six months": 6, "twelve months": 12, "12 months": 12, "three months": 3, "3 months": 3}[strings.Join(strings.Fields(m[2]), " ")]
	from := end.To.AddDate(0, -months, 0)
	switch {
	case months == 3 && c.QuarterStart(c.Year(from), c.Quarter(from)).Equal(from):
		return semlayer.Range{From: from, To: end.To, Grain: semlayer.GrainFiscalQuarter, Count: 1, Label: fmt.Sprintf("FY%d Q%d", c.Year(from), c.Quarter(from))}, true
	case months == 12 && c.YearStart(c.Year(from)).Equal(from):
		return semlayer.Range{From: from, To: end.To, Grain: semlayer.GrainFiscalYear, Count: 1, Label: fmt.Sprintf("FY%d", c.Year(from))}, true
	case months == 1:
		return end, true
	}
	return semlayer.Range{From: from, To: end.To, Grain: semlayer.GrainMonth, Count: months,
		Label: fmt.Sprintf("%d months to %s", months, end.Label)}, true
}

var (
	reDayMonth = regexp.MustCompile(`^(?:on\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\s+(\d{4})$`)
	reMonthDay = regexp.MustCompile(`^(?:on\s+)?([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?\s+(\d{4})$`)
	// Without the year: the latest such day on or before the as-of date
	// ("revenue on March 28").
	reDayMonthNoYear = regexp.MustCompile(`^(?:on\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)$`)
	reMonthDayNoYear = regexp.MustCompile(`^(?:on\s+)?([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?$`)
)

// oneDay reads a day: 2025-12-24, 24 December 2025, December 24 2025.
func (p *parser) oneDay(phrase string) (semlayer.Range, bool) {
	var t time.Time
	var err error
	switch {
	case reISODay.MatchString(phrase):
		t, err = time.Parse("2006-01-02", phrase)
	case reDayMonth.MatchString(phrase):
		m := reDayMonth.FindStringSubmatch(phrase)
		t, err = parseDay(m[1], m[2], m[3])
	case reMonthDay.MatchString(phrase):
		m := reMonthDay.FindStringSubmatch(phrase)
		t, err = parseDay(m[2], m[1], m[3])
	case reDayMonthNoYear.MatchString(phrase), reMonthDayNoYear.MatchString(phrase):
		d, month := "", ""
		if m := reDayMonthNoYear.FindStringSubmatch(phrase); m != nil {
			d, month = m[1], m[2]
		} else {
			m := reMonthDayNoYear.FindStringSubmatch(phrase)
			d, month = m[2], m[1]
		}
		y := p.in.AsOf.Year()
		t, err = parseDay(d, month, strconv.Itoa(y))
		if err == nil && t.After(p.in.AsOf) {
			t, err = parseDay(d, month, strconv.Itoa(y-1))
		}
	default:
		return semlayer.Range{}, false
	}
	if err != nil {
		return semlayer.Range{}, false
	}
	return semlayer.Range{From: t, To: t.AddDate(0, 0, 1), Grain: semlayer.GrainDay, Count: 1, Label: t.Format("2 January 2006")}, true
}

func parseDay(d, month, year string) (time.Time, error) {
	for _, layout := range []string{"2 January 2006", "2 Jan 2006"} {
		if t, err := time.Parse(layout, d+" "+strings.ToUpper(month[:1])+month[1:]+" "+year); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a day")
}

// openStart begins a span with no start of its own ("before 2021").
var openStart = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
