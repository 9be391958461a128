package analytics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// QueryArgs is a query as people and agents state it: names and phrases,
// turned into a query.Spec by the layer (`databridge analytics query` and
// the query_metrics tool take exactly this).
type QueryArgs struct {
	Metrics []string `json:"metrics" jsonschema:"Metric names (see list_metrics)."`
	// By are dimension names or time grains: day, week, month, fiscal_quarter
	// (quarter), fiscal_year, year, and the recurring month_of_year and
	// day_of_week.
	By []string `json:"by,omitempty" jsonschema:"Dimension names or time grains (day, week, month, fiscal_quarter, fiscal_year, year; recurring: month_of_year, day_of_week) to group by."`
	// Where is a filter expression over dimension names.
	Where string `json:"where,omitempty" jsonschema:"Filter expression over dimension names: comparisons, AND/OR/NOT, IN, BETWEEN, IS NULL, LIKE; e.g. region = 'EMEA' AND segment IN ('SMB', 'Mid-market')."`
	// Period is a time phrase: FY2025, Q3 2025, 2025-03, last quarter,
	// ytd, last 6 months, 2025-01-01..2025-06-30.
	Period string `json:"period,omitempty" jsonschema:"Time span: FY2025, Q3 FY2025, 2025, March 2025, 2025-03, last quarter, this year, ytd, qtd, mtd, last 6 months, or FROM..TO dates (TO exclusive)."`
	// Dated is another date of the facts (a time dimension) that the
	// period and the grains read: claims by the day they were reported.
	Dated string `json:"dated,omitempty" jsonschema:"Another date of the facts (a time dimension such as reported_date or ship_date) that the period and the time grains read, instead of the date the facts are dated by."`
	// Against compares with prior_period, prior_year or previous (each
	// time bucket with the one before it).
	Against string `json:"against,omitempty" jsonschema:"prior_period, prior_year or previous (each month/quarter of the grouping against the one before it): adds the comparison value, the change and the change in percent."`
	Share   bool   `json:"share,omitempty" jsonschema:"Add each metric's share of the total in percent."`
	// OrderBy is metric or group names, '-' first for descending.
	OrderBy []string `json:"order_by,omitempty" jsonschema:"Metric or group names to order by; prefix - for descending (e.g. -revenue)."`
	Limit   int      `json:"limit,omitempty" jsonschema:"At most this many rows."`
	// AsOf is the date relative periods resolve against (YYYY-MM-DD,
	// default today).
	AsOf string `json:"as_of,omitempty" jsonschema:"Date relative periods resolve against, YYYY-MM-DD (default: today)."`
	// Scenario computes the metrics over a budget or saved forecast
	// instead of the actuals.
	Scenario string `json:"scenario,omitempty" jsonschema:"Compute the metrics over a scenario instead of the actuals: budget (the only one), budget:NAME, forecast:NAME or a scenario's name."`
	Dialect  string `json:"dialect,omitempty" jsonschema:"Compile for this engine instead of the warehouse's and do not run (duckdb, postgres, snowflake, sqlserver, mysql, bigquery, databricks)."`
	SQLOnly  bool   `json:"sql_only,omitempty" jsonschema:"Only compile: return the SQL without running it."`
	// Exact: metric values at full precision (see QueryInput.Exact).
	Exact bool `json:"-"`
}

// ParseAsOf reads an as-of date, YYYY-MM-DD (the CLI's --as-of, the MCP
// tools' as_of).
func ParseAsOf(s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want a date YYYY-MM-DD", s)
	}
	return t, nil
}

// Grains by the names people use.
var grainNames = map[string]semlayer.Grain{
	"day": semlayer.GrainDay, "daily": semlayer.GrainDay, "date": semlayer.GrainDay,
	"week": semlayer.GrainWeek, "weekly": semlayer.GrainWeek, "iso_week": semlayer.GrainWeek,
	"month": semlayer.GrainMonth, "monthly": semlayer.GrainMonth,
	"quarter": semlayer.GrainFiscalQuarter, "fiscal_quarter": semlayer.GrainFiscalQuarter, "quarterly": semlayer.GrainFiscalQuarter,
	"fiscal_year": semlayer.GrainFiscalYear, "fy": semlayer.GrainFiscalYear,
	"year": semlayer.GrainYear, "calendar_year": semlayer.GrainYear, "yearly": semlayer.GrainYear,
	"month_of_year": semlayer.GrainMonthOfYear, "day_of_week": semlayer.GrainDayOfWeek, "weekday": semlayer.GrainDayOfWeek,
}

// Spec turns query arguments into a spec over the layer.
func (s *Service) Spec(l *semlayer.Layer, in QueryArgs) (query.Spec, error) {
	spec := query.Spec{Where: strings.TrimSpace(in.Where), Share: in.Share, Limit: in.Limit, Dated: strings.TrimSpace(in.Dated)}
	for _, m := range in.Metrics {
		if m = strings.TrimSpace(m); m != "" {
			spec.Metrics = append(spec.Metrics, m)
		}
	}
	for _, b := range in.By {
		b = strings.TrimSpace(b)
		if b == "" {
			continue
		}
		// A grain name is the facts' time at that grain (a dimension of
		// the same name is reached qualified: model.name).
		if g, ok := grainNames[strings.ToLower(strings.ReplaceAll(b, " ", "_"))]; ok {
			spec.GroupBy = append(spec.GroupBy, query.GroupBy{Grain: g})
			continue
		}
		spec.GroupBy = append(spec.GroupBy, query.GroupBy{Dimension: b})
	}
	asOf := s.Now()
	if in.AsOf != "" {
		t, err := ParseAsOf(in.AsOf)
		if err != nil {
			return spec, fmt.Errorf("as of %w", err)
		}
		asOf = t
	}
	if p := strings.TrimSpace(in.Period); p != "" {
		r, err := s.ResolvePeriod(l, p, asOf)
		if err != nil {
			return spec, err
		}
		spec.Time = r
	}
	switch a := strings.ToLower(strings.TrimSpace(in.Against)); a {
	case "":
	case "prior_period", "prior-period", "previous_period", "pp":
		spec.Compare = query.ComparePriorPeriod
	case "prior_year", "prior-year", "previous_year", "py", "yoy":
		spec.Compare = query.ComparePriorYear
	case "previous", "mom", "qoq":
		spec.Compare = query.ComparePrevious
	default:
		if _, ok := scenarioAgainst(a); !ok {
			return spec, fmt.Errorf("against %q: want prior_period, prior_year, previous, budget, budget:NAME or forecast:NAME", in.Against)
		}
		// A scenario comparison is two queries merged by QueryMetrics.
	}
	for _, o := range in.OrderBy {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		desc := strings.HasPrefix(o, "-")
		spec.OrderBy = append(spec.OrderBy, query.Order{Key: strings.TrimPrefix(o, "-"), Desc: desc})
	}
	return spec, nil
}

// QueryMetrics runs a query stated by names (`databridge analytics query`,
// the query_metrics tool).
func (s *Service) QueryMetrics(ctx context.Context, in QueryArgs) (*QueryResult, error) {
	l, err := s.Layer()
	if err != nil {
		return nil, err
	}
	if sc := strings.TrimSpace(in.Scenario); sc != "" {
		name, err := s.scenarioRef(sc)
		if err != nil {
			return nil, err
		}
		if l, err = s.scenarioLayer(l, name); err != nil {
			return nil, err
		}
	}
	spec, err := s.Spec(l, in)
	if err != nil {
		return nil, err
	}
	against := strings.ToLower(strings.TrimSpace(in.Against))
	if _, ok := scenarioAgainst(against); ok && in.Scenario == "" {
		return s.againstScenario(ctx, l, in, spec, against)
	}
	return s.run(ctx, l, QueryInput{Spec: spec, Dialect: in.Dialect, SQLOnly: in.SQLOnly, Exact: in.Exact})
}

// ResolvePeriod reads a period phrase (FY2025, Q3 FY2025, 2025-03, last
// quarter, FROM..TO dates) as a range of the layer's calendar.
func (s *Service) ResolvePeriod(l *semlayer.Layer, p string, asOf time.Time) (*semlayer.Range, error) {
	if from, to, ok := strings.Cut(p, ".."); ok {
		f, err1 := time.Parse("2006-01-02", strings.TrimSpace(from))
		t, err2 := time.Parse("2006-01-02", strings.TrimSpace(to))
		if err1 != nil || err2 != nil || !t.After(f) {
			return nil, fmt.Errorf("period %q: want FROM..TO dates YYYY-MM-DD with TO after FROM (TO exclusive)", p)
		}
		return &semlayer.Range{From: f, To: t, Grain: semlayer.GrainDay, Count: int(t.Sub(f).Hours() / 24), Label: p}, nil
	}
	r, ok := l.Calendar.Resolve(p, asOf)
	if !ok {
		return nil, fmt.Errorf("period %q: not a time span databridge knows (try FY2025, Q3 FY2025, 2025, March 2025, 2025-03, last quarter, ytd, last 6 months, or FROM..TO dates)", p)
	}
	return &r, nil
}
