package insights

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/insights/anomaly"
	"github.com/databridge/databridge/pkg/insights/forecast"
	"github.com/databridge/databridge/pkg/insights/trend"
)

// Precision is the decimal places of fitted and forecast values (they are
// statistics, computed in floating point, and stated to the cent).
const Precision = 2

func round(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	p := math.Pow(10, Precision)
	return math.Round(x*p) / p
}

func rounded(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = round(x)
	}
	return out
}

// ---------------------------------------------------------------- anomalies

// AnomalyArgs asks for a metric's anomalies.
type AnomalyArgs struct {
	SeriesArgs
	// Threshold is the |modified z-score| of a spike or dip (default 3).
	Threshold float64 `json:"threshold,omitempty" jsonschema:"The |robust z-score| above which a value is a spike or a dip (default 3; higher finds fewer)."`
}

// Anomaly is one finding on a metric's series, with the members that
// drive it.
type Anomaly struct {
	Period    string  `json:"period"`
	Kind      string  `json:"kind"` // spike, dip, level_shift
	Direction string  `json:"direction"`
	Actual    float64 `json:"actual"`
	Expected  float64 `json:"expected"`
	Deviation float64 `json:"deviation"`
	// DeviationPct is the deviation in percent of the expected value (nil
	// when that is zero).
	DeviationPct *float64 `json:"deviation_pct,omitempty"`
	Score        float64  `json:"score"`
	// Text says what happened in words.
	Text    string         `json:"text"`
	Drivers []MemberDriver `json:"drivers,omitempty"`
}

// MemberDriver is a member's part in a finding: its own deviation and its
// share of the members' total deviation.
type MemberDriver struct {
	Member    string  `json:"member"`
	Deviation float64 `json:"deviation"`
	SharePct  float64 `json:"share_pct"`
}

// AnomalyReport is a metric's series, its decomposition and its
// anomalies (the total's, with drivers when a by dimension is given, and
// each member's own).
type AnomalyReport struct {
	Metric    string            `json:"metric"`
	Label     string            `json:"label"`
	Format    string            `json:"format,omitempty"`
	Grain     string            `json:"grain"`
	By        string            `json:"by,omitempty"`
	Periods   []string          `json:"periods"`
	Values    []decimal.Decimal `json:"values"`
	Expected  []float64         `json:"expected"`
	Precision int               `json:"precision"`
	Findings  []Anomaly         `json:"findings"`
	// MemberFindings are anomalies of the members' own series.
	MemberFindings []MemberAnomaly `json:"member_findings,omitempty"`
	Method         string          `json:"method"`
	Notes          []string        `json:"notes,omitempty"`
}

// MemberAnomaly is an anomaly of one member's series.
type MemberAnomaly struct {
	Member string `json:"member"`
	Anomaly
}

func anomalyText(label, period string, f anomaly.Finding) string {
	dev := math.Abs(f.Deviation)
	switch f.Kind {
	case anomaly.Spike:
		return fmt.Sprintf("%s in %s was %.2f, %.2f above the %.2f expected from its trend and season", label, period, f.Actual, dev, f.Expected)
	case anomaly.Dip:
		return fmt.Sprintf("%s in %s was %.2f, %.2f below the %.2f expected from its trend and season", label, period, f.Actual, dev, f.Expected)
	}
	return fmt.Sprintf("%s shifted %s by %.2f from %s on (level %.2f, was %.2f)", label, f.Direction, dev, period, f.Actual, f.Expected)
}

func toAnomaly(label string, periods []string, f anomaly.Finding) Anomaly {
	a := Anomaly{Period: periods[f.Index], Kind: string(f.Kind), Direction: f.Direction, Actual: round(f.Actual), Expected: round(f.Expected),
		Deviation: round(f.Deviation), Score: math.Round(f.Score*100) / 100, Text: anomalyText(label, periods[f.Index], f)}
	if f.Expected != 0 {
		p := math.Round(f.Deviation/math.Abs(f.Expected)*10000) / 100
		a.DeviationPct = &p
	}
	return a
}

// Anomalies finds a metric's spikes, dips and level shifts: each series is
// decomposed into a robust trend and a fiscal seasonality, the residuals
// scored robustly (median/MAD), level shifts told apart from one-off
// spikes (pkg/insights/anomaly; docs/insights-methods.md).
func (s *Service) Anomalies(ctx context.Context, in AnomalyArgs) (*AnomalyReport, error) {
	set, err := s.series(ctx, in.SeriesArgs)
	if err != nil {
		return nil, err
	}
	opt := anomaly.Options{Season: set.season, FirstPos: set.first, Threshold: in.Threshold}
	y := set.total.floats()
	res, err := anomaly.Detect(y, opt)
	if err != nil {
		return nil, err
	}
	lbl := label(set.metric)
	rep := &AnomalyReport{Metric: set.metric.Name, Label: lbl, Format: set.metric.Format, Grain: set.grain, By: strings.TrimSpace(in.By),
		Periods: set.total.Periods, Values: set.total.Values, Precision: Precision, Findings: []Anomaly{},
		Method: fmt.Sprintf("robust trend + fiscal seasonality (season %d), residuals scored by median/MAD (threshold %.1f), level shifts by a step test (threshold %.1f)", set.season, res.Threshold, res.ShiftThreshold),
		Notes:  append(append([]string{}, set.notes...), res.Notes...)}
	for i := range y {
		rep.Expected = append(rep.Expected, round(res.Trend[i]+res.Seasonal[i]))
	}
	var members []anomaly.Member
	for _, m := range set.members {
		members = append(members, anomaly.Member{Name: m.Member, Values: m.floats()})
	}
	for _, f := range res.Findings {
		a := toAnomaly(lbl, set.total.Periods, f)
		if len(members) > 0 {
			cs, err := anomaly.Contributions(members, f, opt)
			if err == nil {
				for i, c := range cs {
					if i == 5 {
						break
					}
					a.Drivers = append(a.Drivers, MemberDriver{Member: c.Name, Deviation: round(c.Deviation), SharePct: math.Round(c.Share*10000) / 100})
				}
			}
		}
		rep.Findings = append(rep.Findings, a)
	}
	for _, m := range set.members {
		mr, err := anomaly.Detect(m.floats(), opt)
		if err != nil {
			continue
		}
		for _, f := range mr.Findings {
			rep.MemberFindings = append(rep.MemberFindings, MemberAnomaly{Member: m.Member, Anomaly: toAnomaly(lbl+" of "+m.Member, m.Periods, f)})
		}
	}
	sort.SliceStable(rep.MemberFindings, func(i, j int) bool {
		return math.Abs(rep.MemberFindings[i].Score) > math.Abs(rep.MemberFindings[j].Score)
	})
	return rep, nil
}

// ---------------------------------------------------------------- trend

// TrendReport is a metric's trend: direction, slope with its interval,
// change points, growth rates; per member with a by dimension.
type TrendReport struct {
	Metric    string            `json:"metric"`
	Label     string            `json:"label"`
	Format    string            `json:"format,omitempty"`
	Grain     string            `json:"grain"`
	Periods   []string          `json:"periods"`
	Values    []decimal.Decimal `json:"values"`
	Precision int               `json:"precision"`
	Trend     *TrendOf          `json:"trend"`
	By        string            `json:"by,omitempty"`
	Members   []*TrendOf        `json:"members,omitempty"`
	Notes     []string          `json:"notes,omitempty"`
}

// TrendOf is the trend of one series.
type TrendOf struct {
	Member       string             `json:"member,omitempty"`
	Direction    string             `json:"direction"`
	Slope        trend.Slope        `json:"slope"`
	ChangePoints []TrendChangePoint `json:"change_points"`
	Growth       trend.Growth       `json:"growth"`
	Text         string             `json:"text"`
	Notes        []string           `json:"notes,omitempty"`
}

// TrendChangePoint is a change point at a period.
type TrendChangePoint struct {
	Period string `json:"period"`
	trend.ChangePoint
}

func (s *Service) trendOf(set *seriesSet, sr *Series, lbl string) (*TrendOf, error) {
	r, err := trend.Analyze(sr.floats(), trend.Options{Season: set.season, FirstPos: set.first, Stock: set.stock})
	if err != nil {
		return nil, err
	}
	t := &TrendOf{Member: sr.Member, Direction: r.Direction, Slope: r.Slope, Growth: r.Growth, ChangePoints: []TrendChangePoint{}, Notes: r.Notes}
	t.Slope.Estimate, t.Slope.Lower, t.Slope.Upper = round(t.Slope.Estimate), round(t.Slope.Lower), round(t.Slope.Upper)
	for _, c := range r.ChangePoints {
		c.LevelBefore, c.LevelAfter, c.Jump, c.SlopeBefore, c.SlopeAfter = round(c.LevelBefore), round(c.LevelAfter), round(c.Jump), round(c.SlopeBefore), round(c.SlopeAfter)
		t.ChangePoints = append(t.ChangePoints, TrendChangePoint{Period: sr.Periods[c.Index], ChangePoint: c})
	}
	t.Text = fmt.Sprintf("%s is %s: %+.2f per %s (%.0f%% interval %.2f to %.2f)", lbl, r.Direction, t.Slope.Estimate, set.grain, t.Slope.Confidence*100, t.Slope.Lower, t.Slope.Upper)
	if g := r.Growth.YoY; g != nil && g.Rate != nil {
		t.Text += fmt.Sprintf("; %+.1f%% year on year", *g.Rate*100)
	}
	if n := len(t.ChangePoints); n > 0 {
		t.Text += fmt.Sprintf("; it changed course at %s", t.ChangePoints[n-1].Period)
	}
	return t, nil
}

// Trend reads a metric's direction and slope with an interval, its change
// points and its growth rates (MoM, QoQ, YoY, CAGR) on the deseasonalised
// series (pkg/insights/trend).
func (s *Service) Trend(ctx context.Context, in SeriesArgs) (*TrendReport, error) {
	set, err := s.series(ctx, in)
	if err != nil {
		return nil, err
	}
	lbl := label(set.metric)
	rep := &TrendReport{Metric: set.metric.Name, Label: lbl, Format: set.metric.Format, Grain: set.grain, Periods: set.total.Periods, Values: set.total.Values,
		Precision: Precision, By: strings.TrimSpace(in.By), Notes: set.notes}
	if rep.Trend, err = s.trendOf(set, set.total, lbl); err != nil {
		return nil, err
	}
	for _, m := range set.members {
		t, err := s.trendOf(set, m, lbl+" of "+m.Member)
		if err != nil {
			continue
		}
		rep.Members = append(rep.Members, t)
	}
	return rep, nil
}

// ---------------------------------------------------------------- forecast

// ForecastArgs asks for a metric's forecast.
type ForecastArgs struct {
	SeriesArgs
	Horizon int    `json:"horizon,omitempty" jsonschema:"Periods to forecast (default 12)."`
	Method  string `json:"method,omitempty" jsonschema:"auto (default: chosen per series by a rolling-origin backtest), naive, seasonal_naive, holt_winters, ets or theta."`
	// Levels are the prediction intervals' coverages in percent.
	Levels []float64 `json:"levels,omitempty" jsonschema:"Prediction interval coverages in percent (default 80 and 95)."`
	// Save keeps the total's forecast as a scenario (kind forecast) the
	// metric can be compared with: --against forecast:NAME.
	Save    string `json:"save,omitempty" jsonschema:"Save the total's forecast as a scenario of this name (compare with against: forecast:NAME)."`
	Replace bool   `json:"replace,omitempty" jsonschema:"Replace a saved forecast of that name."`
}

// ForecastReport is a metric's forecast: history, points with intervals,
// the backtest that chose the method; per member with a by dimension.
type ForecastReport struct {
	Metric    string            `json:"metric"`
	Label     string            `json:"label"`
	Format    string            `json:"format,omitempty"`
	Grain     string            `json:"grain"`
	Periods   []string          `json:"periods"`
	Values    []decimal.Decimal `json:"values"`
	Precision int               `json:"precision"`
	Forecast  *ForecastOf       `json:"forecast"`
	By        string            `json:"by,omitempty"`
	Members   []*ForecastOf     `json:"members,omitempty"`
	Saved     *string           `json:"saved,omitempty"`
	Notes     []string          `json:"notes,omitempty"`
}

// ForecastOf is the forecast of one series.
type ForecastOf struct {
	Member string `json:"member,omitempty"`
	// Periods are the forecast periods.
	Periods   []string               `json:"periods"`
	Point     []float64              `json:"point"`
	Intervals []forecast.Interval    `json:"intervals"`
	Method    string                 `json:"method"`
	Model     string                 `json:"model"`
	Backtest  []forecast.BacktestRow `json:"backtest"`
	// BacktestOrigins are the periods each backtest window starts after.
	BacktestOrigins []string `json:"backtest_origins,omitempty"`
	Notes           []string `json:"notes,omitempty"`
}

// nextPeriods are the n periods after the last one.
func (set *seriesSet) nextPeriods(n int) []string {
	last := set.starts[len(set.starts)-1]
	cal := set.layer.Calendar
	var out []string
	for i := 1; i <= n; i++ {
		if set.grain == "month" {
			out = append(out, last.AddDate(0, i, 0).Format("2006-01"))
			continue
		}
		d := last.AddDate(0, 3*i, 0)
		out = append(out, fmt.Sprintf("FY%d-Q%d", cal.Year(d), cal.Quarter(d)))
	}
	return out
}

func (s *Service) forecastOf(set *seriesSet, sr *Series, in ForecastArgs, method forecast.Method) (*ForecastOf, error) {
	r, err := forecast.Forecast(sr.floats(), forecast.Options{SeasonLength: set.season, SeasonStart: set.first, Horizon: in.Horizon, Method: method, Levels: in.Levels})
	if err != nil {
		return nil, err
	}
	f := &ForecastOf{Member: sr.Member, Periods: set.nextPeriods(in.Horizon), Point: rounded(r.Point), Method: string(r.Method), Model: r.Model, Notes: r.Notes}
	for _, iv := range r.Intervals {
		f.Intervals = append(f.Intervals, forecast.Interval{Level: iv.Level, Lower: rounded(iv.Lower), Upper: rounded(iv.Upper)})
	}
	for _, row := range r.Backtest.Rows {
		row.MASE, row.SMAPE = math.Round(row.MASE*1000)/1000, math.Round(row.SMAPE*100)/100
		for i := range row.Forecasts {
			row.Forecasts[i] = rounded(row.Forecasts[i])
		}
		f.Backtest = append(f.Backtest, row)
	}
	for _, o := range r.Backtest.Origins {
		if o-1 >= 0 && o-1 < len(sr.Periods) {
			f.BacktestOrigins = append(f.BacktestOrigins, sr.Periods[o-1])
		}
	}
	return f, nil
}

// Forecast forecasts a metric with prediction intervals; auto chooses
// per series by a rolling-origin backtest (MASE against seasonal naive,
// sMAPE) (pkg/insights/forecast; docs/forecast.md). With Save, the total's
// forecast becomes a scenario: "revenue vs forecast" everywhere.
func (s *Service) Forecast(ctx context.Context, in ForecastArgs) (*ForecastReport, error) {
	if in.Horizon == 0 {
		in.Horizon = 12
	}
	if in.Horizon < 1 || in.Horizon > 60 {
		return nil, fmt.Errorf("horizon %d: want 1 to 60 periods", in.Horizon)
	}
	method, err := forecast.ParseMethod(in.Method)
	if err != nil {
		return nil, err
	}
	set, err := s.series(ctx, in.SeriesArgs)
	if err != nil {
		return nil, err
	}
	rep := &ForecastReport{Metric: set.metric.Name, Label: label(set.metric), Format: set.metric.Format, Grain: set.grain, Periods: set.total.Periods,
		Values: set.total.Values, Precision: Precision, By: strings.TrimSpace(in.By), Notes: set.notes}
	if set.stock {
		rep.Notes = append(rep.Notes, "a balance: forecast as a series of month-end values")
	}
	if rep.Forecast, err = s.forecastOf(set, set.total, in, method); err != nil {
		return nil, err
	}
	for _, m := range set.members {
		f, err := s.forecastOf(set, m, in, method)
		if err != nil {
			continue
		}
		rep.Members = append(rep.Members, f)
	}
	if name := strings.TrimSpace(in.Save); name != "" {
		if set.grain != "month" {
			return nil, fmt.Errorf("save a monthly forecast (scenarios are by month)")
		}
		var points []decimal.Decimal
		for _, p := range rep.Forecast.Point {
			points = append(points, decimal.NewFromFloat(p).Round(Precision))
		}
		sc, err := s.Analytics.SaveMetricScenario(ctx, name, set.metric.Name, rep.Forecast.Periods, points, in.Replace)
		if err != nil {
			return nil, err
		}
		rep.Saved = &sc.Name
		rep.Notes = append(rep.Notes, fmt.Sprintf("saved as forecast %s: compare with --against forecast:%s", sc.Name, sc.Name))
	}
	return rep, nil
}
