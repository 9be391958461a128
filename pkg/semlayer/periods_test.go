package semlayer

import "testing"

// TestResolve reads time phrases against an as-of date under a July
// fiscal year (the finance example's) and a January one.
func TestResolve(t *testing.T) {
	july := Calendar{StartMonth: 7}
	jan := Calendar{StartMonth: 1}
	asOf := day("2026-12-02") // FY2027 Q2 under July
	cases := []struct {
		cal      Calendar
		phrase   string
		from, to string // to is the last day
		label    string
	}{
		{july, "last quarter", "2026-07-01", "2026-09-30", "FY2027 Q1"},
		{july, "this quarter", "2026-10-01", "2026-12-31", "FY2027 Q2"},
		{july, "next quarter", "2027-01-01", "2027-03-31", "FY2027 Q3"},
		{jan, "last quarter", "2026-07-01", "2026-09-30", "2026 Q3"},
		{july, "last year", "2025-07-01", "2026-06-30", "FY2026"},
		{july, "this fiscal year", "2026-07-01", "2027-06-30", "FY2027"},
		{july, "last month", "2026-11-01", "2026-11-30", "November 2026"},
		{july, "last 3 months", "2026-09-01", "2026-11-30", "September 2026 – November 2026"},
		{july, "the past two quarters", "2026-04-01", "2026-09-30", "FY2026 Q4 – FY2027 Q1"},
		{july, "last 7 days", "2026-11-25", "2026-12-01", ""},
		{july, "the last 2 weeks", "2026-11-18", "2026-12-01", ""},
		{july, "YTD", "2026-07-01", "2026-12-02", "FY2027 to date"},
		{july, "year-to-date", "2026-07-01", "2026-12-02", "FY2027 to date"},
		{july, "QTD", "2026-10-01", "2026-12-02", "FY2027 Q2 to date"},
		{july, "mtd", "2026-12-01", "2026-12-02", "December 2026 to date"},
		{july, "Q3 2025", "2025-01-01", "2025-03-31", "FY2025 Q3"},
		{july, "FY2025 Q3", "2025-01-01", "2025-03-31", "FY2025 Q3"},
		{july, "q1 fy26", "2025-07-01", "2025-09-30", "FY2026 Q1"},
		{july, "Q3", "2026-01-01", "2026-03-31", "FY2026 Q3"},
		{july, "Q2", "2026-10-01", "2026-12-31", "FY2027 Q2"},
		{jan, "Q3 2025", "2025-07-01", "2025-09-30", "2025 Q3"},
		{july, "FY2025", "2024-07-01", "2025-06-30", "FY2025"},
		{july, "fiscal year 2026", "2025-07-01", "2026-06-30", "FY2026"},
		{july, "fy'24", "2023-07-01", "2024-06-30", "FY2024"},
		{july, "in 2025", "2025-01-01", "2025-12-31", "2025"},
		{july, "in March", "2026-03-01", "2026-03-31", "March 2026"},
		{july, "december", "2026-12-01", "2026-12-31", "December 2026"},
		{july, "Sep 2025", "2025-09-01", "2025-09-30", "September 2025"},
		{july, "2025-02", "2025-02-01", "2025-02-28", "February 2025"},
		{july, "yesterday", "2026-12-01", "2026-12-01", "1 December 2026"},
		{july, "3 months ago", "2026-09-01", "2026-09-30", "September 2026"},
		{july, "two quarters ago", "2026-04-01", "2026-06-30", "FY2026 Q4"},
		{july, "a year ago", "2025-07-01", "2026-06-30", "FY2026"},
		{july, "the year before last", "2024-07-01", "2025-06-30", "FY2025"},
		{july, "quarter before last", "2026-04-01", "2026-06-30", "FY2026 Q4"},
		{Calendar{StartMonth: 4, NamedByStart: true}, "FY2024", "2024-04-01", "2025-03-31", "FY2024"},
	}
	for _, c := range cases {
		r, ok := c.cal.Resolve(c.phrase, asOf)
		if !ok {
			t.Errorf("%q: not understood", c.phrase)
			continue
		}
		from, to := r.From.Format("2006-01-02"), r.To.AddDate(0, 0, -1).Format("2006-01-02")
		label := r.Label
		if c.cal.StartMonth == 1 && r.Grain == GrainFiscalQuarter {
			label = label[2:] // "FY2026 Q3" reads "2026 Q3" under a calendar year
		}
		if from != c.from || to != c.to || (c.label != "" && label != c.label) {
			t.Errorf("%q: %s – %s %q, want %s – %s %q", c.phrase, from, to, label, c.from, c.to, c.label)
		}
	}
	for _, bad := range []string{"", "last fortnight", "q5 2025", "fy2025 q1 2026", "the quarter", "2025-13", "soon", "last 0 months", "blue"} {
		if r, ok := july.Resolve(bad, asOf); ok {
			t.Errorf("%q understood as %s", bad, r)
		}
	}
}

func TestPriorPeriods(t *testing.T) {
	july := Calendar{StartMonth: 7}
	asOf := day("2026-12-02")
	cases := []struct {
		phrase           string
		prior, priorYear string // from..last day
	}{
		{"FY2026 Q1", "2025-04-01..2025-06-30", "2024-07-01..2024-09-30"},
		{"FY2026", "2024-07-01..2025-06-30", "2024-07-01..2025-06-30"},
		{"March 2025", "2025-02-01..2025-02-28", "2024-03-01..2024-03-31"},
		{"YTD", "2025-07-01..2025-12-02", "2025-07-01..2025-12-02"},
		{"QTD", "2026-07-01..2026-09-02", "2025-10-01..2025-12-02"},
		{"last 3 months", "2026-06-01..2026-08-31", "2025-09-01..2025-11-30"},
	}
	span := func(r Range) string {
		return r.From.Format("2006-01-02") + ".." + r.To.AddDate(0, 0, -1).Format("2006-01-02")
	}
	for _, c := range cases {
		r, ok := july.Resolve(c.phrase, asOf)
		if !ok {
			t.Fatalf("%q not understood", c.phrase)
		}
		if got := span(july.PriorPeriod(r)); got != c.prior {
			t.Errorf("%q prior period %s, want %s", c.phrase, got, c.prior)
		}
		if got := span(july.PriorYear(r)); got != c.priorYear {
			t.Errorf("%q prior year %s, want %s", c.phrase, got, c.priorYear)
		}
	}
	// A quarter to 31 May compares with the quarter to 28 February.
	r, _ := july.Resolve("QTD", day("2026-05-31"))
	if got := span(july.PriorPeriod(r)); got != "2026-01-01..2026-02-28" {
		t.Errorf("QTD as of 31 May: prior period %s", got)
	}
}

func TestParseOffset(t *testing.T) {
	for in, want := range map[string]int{"": 0, "1 year": 12, "2 years": 24, "fiscal_year": 12, "1 fiscal_quarter": 3,
		"4 quarters": 12, "1 month": 1, "3 Months": 3} {
		got, err := ParseOffset(in)
		if err != nil || got != want {
			t.Errorf("ParseOffset(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"1 week", "a year", "-1 year", "1 2 years"} {
		if _, err := ParseOffset(in); err == nil {
			t.Errorf("ParseOffset(%q): no error", in)
		}
	}
}

func TestEarlier(t *testing.T) {
	c := Calendar{StartMonth: 7}
	d := day
	fy := Range{From: d("2024-07-01"), To: d("2025-07-01"), Grain: GrainFiscalYear, Count: 1, Label: "FY2025"}
	if r := c.Earlier(fy, 12); !r.From.Equal(d("2023-07-01")) || !r.To.Equal(d("2024-07-01")) || r.Label != "FY2024" {
		t.Errorf("a year before FY2025: %v", r)
	}
	if r := c.Earlier(fy, 3); !r.From.Equal(d("2024-04-01")) || !r.To.Equal(d("2025-04-01")) {
		t.Errorf("a quarter before FY2025: %v", r)
	}
}
