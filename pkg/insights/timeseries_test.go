package insights_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/insights"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/report/browsertest"
)

// plantSpike posts one revenue line again, four times its amount, in
// March 2025: a spike in revenue that month, driven by that line's
// region. It returns the region.
func plantSpike(t *testing.T, p *project.Project) string {
	t.Helper()
	ctx := context.Background()
	row := handSQL(t, p, `SELECT f.journal_id, f.line_no, c.region FROM FACT_GL_JOURNAL_LINES f JOIN DIM_COST_CENTERS c ON c.COST_CENTERS_SK = f.COST_CENTERS_SK
		WHERE f.account_code = 4000 AND f.currency_code = 'USD' AND f.posting_date >= DATE '2025-03-01' AND f.posting_date < DATE '2025-04-01'
		ORDER BY f.AMOUNT LIMIT 1`)
	conn, err := connections.New(p).Connect(ctx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(ctx, fmt.Sprintf(`INSERT INTO FACT_GL_JOURNAL_LINES SELECT * REPLACE (AMOUNT * 4 AS AMOUNT) FROM FACT_GL_JOURNAL_LINES WHERE journal_id = %v AND line_no = %v`, row[0][0], row[0][1])); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(row[0][2])
}

// A planted spike in revenue is found in its month, as a spike, with the
// region it was posted in as the first driver; the series equals the
// warehouse's monthly revenue.
func TestAnomaliesFindPlantedSpike(t *testing.T) {
	p := quickstartProject(t)
	region := plantSpike(t, p)
	s := service(p)
	r, err := s.Anomalies(context.Background(), insights.AnomalyArgs{SeriesArgs: insights.SeriesArgs{Metric: "revenue", By: "region"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Periods) != 36 || r.Periods[0] != "2023-07" || r.Periods[35] != "2026-06" {
		t.Fatalf("periods %v", r.Periods)
	}
	var found *insights.Anomaly
	for i, f := range r.Findings {
		if f.Period == "2025-03" {
			found = &r.Findings[i]
		} else if f.Kind != "level_shift" {
			t.Errorf("a finding nobody planted: %+v", f)
		}
	}
	if found == nil || found.Kind != "spike" || found.Direction != "up" {
		t.Fatalf("the spike of 2025-03 was not found: %+v", r.Findings)
	}
	if len(found.Drivers) == 0 || found.Drivers[0].Member != region {
		t.Fatalf("drivers %+v, want %s first", found.Drivers, region)
	}
	// The series is the warehouse's (checked for one month by hand SQL).
	want := handSQL(t, p, `SELECT -SUM(f.AMOUNT * x.rate_to_usd) FROM FACT_GL_JOURNAL_LINES f
		JOIN DIM_EXCHANGE_RATES x ON x.period_id = f.period_id AND x.currency_code = f.currency_code
		WHERE CAST(f.account_code AS VARCHAR) LIKE '4%' AND f.posting_date >= DATE '2025-03-01' AND f.posting_date < DATE '2025-04-01'`)
	i := slices.Index(r.Periods, "2025-03")
	if !r.Values[i].Round(2).Equal(dec(t, want[0][0]).Round(2)) {
		t.Fatalf("2025-03 revenue %s, hand SQL %v", r.Values[i], want[0][0])
	}
	// Without the plant there is no spike that month.
	clean, err := service(quickstartProject(t)).Anomalies(context.Background(), insights.AnomalyArgs{SeriesArgs: insights.SeriesArgs{Metric: "revenue"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range clean.Findings {
		if f.Period == "2025-03" {
			t.Fatalf("a spike in the clean data: %+v", f)
		}
	}
}

// The trend of revenue: up, with year-on-year growth equal to the last
// complete fiscal year against the one before, by hand SQL.
func TestTrendOfRevenue(t *testing.T) {
	p := quickstartProject(t)
	r, err := service(p).Trend(context.Background(), insights.SeriesArgs{Metric: "revenue", By: "region"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Trend.Direction != "up" || r.Trend.Slope.Lower > r.Trend.Slope.Estimate || r.Trend.Slope.Estimate > r.Trend.Slope.Upper {
		t.Fatalf("trend %+v", r.Trend)
	}
	sum := func(from, to string) float64 {
		rows := handSQL(t, p, fmt.Sprintf(`SELECT -SUM(f.AMOUNT * x.rate_to_usd) FROM FACT_GL_JOURNAL_LINES f
			JOIN DIM_EXCHANGE_RATES x ON x.period_id = f.period_id AND x.currency_code = f.currency_code
			WHERE CAST(f.account_code AS VARCHAR) LIKE '4%%' AND f.posting_date >= DATE '%s' AND f.posting_date < DATE '%s'`, from, to))
		v, _ := dec(t, rows[0][0]).Float64()
		return v
	}
	want := sum("2025-07-01", "2026-07-01")/sum("2024-07-01", "2025-07-01") - 1
	yoy := r.Trend.Growth.YoY
	if yoy == nil || yoy.Rate == nil || math.Abs(*yoy.Rate-want) > 1e-9 {
		t.Fatalf("YoY %+v, want %.6f", yoy, want)
	}
	if len(r.Members) != 3 {
		t.Fatalf("%d regions' trends", len(r.Members))
	}
}

// A saved forecast is a scenario: revenue against it returns the
// forecast's points for its months.
func TestForecastSavedAsScenario(t *testing.T) {
	p := quickstartProject(t)
	ctx := context.Background()
	r, err := service(p).Forecast(ctx, insights.ForecastArgs{SeriesArgs: insights.SeriesArgs{Metric: "revenue"}, Horizon: 6, Save: "fc_h2"})
	if err != nil {
		t.Fatal(err)
	}
	f := r.Forecast
	if len(f.Point) != 6 || f.Periods[0] != "2026-07" || len(f.Backtest) < 3 || len(f.Intervals) != 2 {
		t.Fatalf("forecast %+v", f)
	}
	for i := range f.Point {
		if !(f.Intervals[1].Lower[i] <= f.Intervals[0].Lower[i] && f.Intervals[0].Lower[i] <= f.Point[i] && f.Point[i] <= f.Intervals[0].Upper[i] && f.Intervals[0].Upper[i] <= f.Intervals[1].Upper[i]) {
			t.Fatalf("step %d: point outside its bands or 80%% outside 95%%: %+v", i, f.Intervals)
		}
	}
	if r.Saved == nil || *r.Saved != "fc_h2" {
		t.Fatalf("not saved: %v", r.Saved)
	}
	q, err := analytics.New(p).QueryMetrics(ctx, analytics.QueryArgs{Metrics: []string{"revenue"}, By: []string{"month"}, Period: "2026-07-01..2027-01-01", Against: "forecast:fc_h2"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]decimal.Decimal{}
	for _, row := range q.Rows {
		got[fmt.Sprint(row[0])] = dec(t, row[2])
	}
	for i, per := range f.Periods {
		if want := decimal.NewFromFloat(f.Point[i]).Round(2); !got[per].Equal(want) {
			t.Errorf("%s: forecast column %s, saved point %s", per, got[per], want)
		}
	}
	// A second save of the same name is refused unless replaced.
	if _, err := service(p).Forecast(ctx, insights.ForecastArgs{SeriesArgs: insights.SeriesArgs{Metric: "revenue"}, Horizon: 3, Save: "fc_h2"}); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("saved over an existing forecast: %v", err)
	}
}

// The pages load in a real browser with no console error; the charts
// have a mark per bridge step, per forecast point and band, per finding,
// and the numbers on them are the JSON's.
func TestPagesInBrowser(t *testing.T) {
	p := quickstartProject(t)
	plantSpike(t, p)
	importBudget(t, p)
	s := service(p)
	ctx := context.Background()
	b := browsertest.Start(t)
	dir := t.TempDir()

	v, err := s.Variance(ctx, insights.VarianceArgs{Metric: "gross_profit", Period: "FY2026", Against: "budget", By: "region"})
	if err != nil {
		t.Fatal(err)
	}
	vf := filepath.Join(dir, "variance.html")
	if err := v.Page("test").WriteFile(vf); err != nil {
		t.Fatal(err)
	}
	pg := b.Open(t, vf)
	pg.AssertClean()
	var want []string
	for _, st := range v.Bridge {
		want = append(want, st.Value.String())
	}
	if got := pg.Attrs(".mark.step", "data-value"); !slices.Equal(got, want) {
		t.Fatalf("waterfall values %v, want %v", got, want)
	}
	pg.Screenshot("variance")

	fr, err := s.Forecast(ctx, insights.ForecastArgs{SeriesArgs: insights.SeriesArgs{Metric: "revenue"}, Horizon: 6})
	if err != nil {
		t.Fatal(err)
	}
	ff := filepath.Join(dir, "forecast.html")
	if err := fr.Page("test").WriteFile(ff); err != nil {
		t.Fatal(err)
	}
	pg = b.Open(t, ff)
	pg.AssertClean()
	if n := pg.Count(".mark.band"); n != 2 {
		t.Fatalf("%d bands, want 2", n)
	}
	var pts []string
	for _, x := range fr.Forecast.Point {
		pts = append(pts, fmt.Sprintf("%.2f", x))
	}
	if got := pg.Attrs(`.mark.dot[data-series="forecast"]`, "data-value"); !slices.Equal(got, pts) {
		t.Fatalf("forecast dots %v, want %v", got, pts)
	}
	pg.Screenshot("forecast")

	ar, err := s.Anomalies(ctx, insights.AnomalyArgs{SeriesArgs: insights.SeriesArgs{Metric: "revenue", By: "region"}})
	if err != nil {
		t.Fatal(err)
	}
	af := filepath.Join(dir, "anomalies.html")
	if err := ar.Page("test").WriteFile(af); err != nil {
		t.Fatal(err)
	}
	pg = b.Open(t, af)
	pg.AssertClean()
	if n := pg.Count(".mark.point.anomaly"); n != len(ar.Findings) || n == 0 {
		t.Fatalf("%d anomaly marks, %d findings", n, len(ar.Findings))
	}
	pg.Screenshot("anomalies")
	if _, err := os.Stat(af); err != nil {
		t.Fatal(err)
	}
}
