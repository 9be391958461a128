package semlayer

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/mysql"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/testenv"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCalendarGo(t *testing.T) {
	cases := []struct {
		start   int
		byStart bool
		date    string
		fy, q   int
		period  int
	}{
		{1, false, "2025-01-01", 2025, 1, 1},
		{1, false, "2025-12-31", 2025, 4, 12},
		{7, false, "2024-07-01", 2025, 1, 1},
		{7, false, "2025-06-30", 2025, 4, 12},
		{7, false, "2024-12-15", 2025, 2, 6},
		{4, false, "2024-04-01", 2025, 1, 1},
		{4, false, "2025-03-31", 2025, 4, 12},
		{4, true, "2024-04-01", 2024, 1, 1},
		{4, true, "2025-03-31", 2024, 4, 12},
		{4, true, "2025-01-10", 2024, 4, 10},
		{10, false, "2024-10-01", 2025, 1, 1},
		{10, false, "2024-09-30", 2024, 4, 12},
	}
	for _, c := range cases {
		cal, err := NewCalendar(c.start, c.byStart)
		if err != nil {
			t.Fatal(err)
		}
		dt := day(c.date)
		if fy, q, p := cal.Year(dt), cal.Quarter(dt), cal.Period(dt); fy != c.fy || q != c.q || p != c.period {
			t.Errorf("start %d byStart %v %s: FY%d Q%d P%d, want FY%d Q%d P%d", c.start, c.byStart, c.date, fy, q, p, c.fy, c.q, c.period)
		}
		// The year and quarter start days round-trip.
		if ys := cal.YearStart(c.fy); cal.Year(ys) != c.fy || cal.Period(ys) != 1 || ys.After(dt) || !ys.AddDate(1, 0, 0).After(dt) {
			t.Errorf("start %d byStart %v: FY%d starts %s, which does not contain %s as period 1", c.start, c.byStart, c.fy, ys.Format("2006-01-02"), c.date)
		}
		if qs := cal.QuarterStart(c.fy, c.q); qs.After(dt) || !qs.AddDate(0, 3, 0).After(dt) {
			t.Errorf("start %d: FY%d Q%d starts %s, not containing %s", c.start, c.fy, c.q, qs.Format("2006-01-02"), c.date)
		}
	}
	if _, err := NewCalendar(13, false); err == nil {
		t.Error("month 13 accepted")
	}
}

// TestInferCalendar reads the finance example's periods table (fiscal
// year from July, named by its end) and calendars written here.
func TestInferCalendar(t *testing.T) {
	f, err := os.Open("../../examples/finance_erp/periods.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var rows []PeriodRow
	for _, r := range recs[1:] {
		fy, _ := strconv.Atoi(r[col["fiscal_year"]])
		q, _ := strconv.Atoi(r[col["fiscal_quarter"]])
		rows = append(rows, PeriodRow{Start: day(r[col["period_start"]]), FiscalYear: fy, FiscalQuarter: q})
	}
	c, err := InferCalendar(rows)
	if err != nil || c != (Calendar{StartMonth: 7}) {
		t.Fatalf("finance example: %+v, %v; want July, named by the end year", c, err)
	}
	for _, want := range []Calendar{{StartMonth: 4}, {StartMonth: 4, NamedByStart: true}, {StartMonth: 1}, {StartMonth: 10}} {
		var rows []PeriodRow
		for m := day("2023-01-01"); m.Before(day("2025-01-01")); m = m.AddDate(0, 1, 0) {
			rows = append(rows, PeriodRow{Start: m, FiscalYear: want.Year(m), FiscalQuarter: want.Quarter(m)})
		}
		if got, err := InferCalendar(rows); err != nil || got != want {
			t.Errorf("%+v: inferred %+v, %v", want, got, err)
		}
	}
	// Three months in one fiscal year and quarter fit several calendars.
	ambiguous := []PeriodRow{{day("2024-01-01"), 2024, 0}, {day("2024-02-01"), 2024, 0}}
	if _, err := InferCalendar(ambiguous); err == nil || !strings.Contains(err.Error(), "state the fiscal year's start month") {
		t.Errorf("ambiguous periods: %v", err)
	}
	// A fiscal year that changes mid-quarter fits none.
	if _, err := InferCalendar([]PeriodRow{{day("2024-01-01"), 2024, 1}, {day("2024-02-01"), 2025, 1}}); err == nil {
		t.Error("an impossible calendar was inferred")
	}
}

// TestCalendarSQL computes fiscal year, quarter and period of every day
// of four years in SQL on real engines, for six calendars, and compares
// each with the Go calendar.
func TestCalendarSQL(t *testing.T) {
	engines := []struct {
		dialect string
		cfg     func(t *testing.T) (connector.Config, bool)
	}{
		{d.DuckDB, func(t *testing.T) (connector.Config, bool) { return connector.Config{Type: "duckdb"}, true }},
		{d.Postgres, func(t *testing.T) (connector.Config, bool) {
			if testenv.Need(t, testenv.PostgresURL, "PostgreSQL") == "" {
				return connector.Config{}, false
			}
			return connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"}, true
		}},
		{d.MySQL, func(t *testing.T) (connector.Config, bool) {
			if testenv.Need(t, testenv.MySQLURL, "MariaDB/MySQL") == "" {
				return connector.Config{}, false
			}
			return connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}"}, true
		}},
	}
	calendars := []Calendar{{StartMonth: 1}, {StartMonth: 4}, {StartMonth: 4, NamedByStart: true}, {StartMonth: 7}, {StartMonth: 10}, {StartMonth: 12}}
	var days []time.Time
	for x := day("2023-01-01"); x.Before(day("2027-01-01")); x = x.AddDate(0, 0, 1) {
		days = append(days, x)
	}
	for _, e := range engines {
		t.Run(e.dialect, func(t *testing.T) {
			cfg, ok := e.cfg(t)
			if !ok {
				return
			}
			ctx := context.Background()
			conn, err := connector.Open(ctx, "fiscal-test", cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			// The days as literal rows, 500 per statement.
			for _, cal := range calendars {
				for lo := 0; lo < len(days); lo += 500 {
					hi := min(lo+500, len(days))
					v := &d.Values{Alias: "v", Columns: []string{"dt"}, Types: []d.Type{d.Date}}
					for _, x := range days[lo:hi] {
						v.Rows = append(v.Rows, []d.Expr{&d.Cast{X: d.S(x.Format("2006-01-02")), Type: d.Date}})
					}
					dt := d.C("v", "dt")
					q := &d.Select{
						Columns: []d.SelectItem{
							d.As(&d.Cast{X: dt, Type: d.Varchar(10)}, "dt"),
							d.As(cal.YearExpr(dt), "fy"), d.As(cal.QuarterExpr(dt), "fq"), d.As(cal.PeriodExpr(dt), "fp"),
						},
						From: v,
					}
					sql, err := d.Render(e.dialect, &d.QueryStmt{Query: q})
					if err != nil {
						t.Fatal(err)
					}
					res, err := conn.Query(ctx, sql, connector.QueryOptions{MaxRows: 1000})
					if err != nil {
						t.Fatalf("%s\n%v", sql, err)
					}
					if len(res.Rows) != hi-lo {
						t.Fatalf("%+v: %d rows, want %d", cal, len(res.Rows), hi-lo)
					}
					for _, r := range res.Rows {
						x := day(text(r[0])[:10])
						want := []int{cal.Year(x), cal.Quarter(x), cal.Period(x)}
						for i, w := range want {
							if got := text(r[i+1]); got != strconv.Itoa(w) {
								t.Fatalf("%+v %s: column %d is %s in SQL, %d in Go", cal, x.Format("2006-01-02"), i+1, got, w)
							}
						}
					}
				}
			}
		})
	}
}

// text is a result value as text: engines return integers as int64,
// decimals (PostgreSQL's EXTRACT is NUMERIC) as exact strings.
func text(v any) string {
	s := fmt.Sprint(v)
	if i := strings.IndexByte(s, '.'); i > 0 && strings.Trim(s[i+1:], "0") == "" {
		s = s[:i]
	}
	return s
}
