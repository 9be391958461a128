package insights

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/semlayer"
)

// Series is one metric's values by month (or fiscal quarter), oldest
// first, with no gap: a month without a value is zero for a flow and the
// last value for a stock, and says so in Filled.
type Series struct {
	// Member is the member of the by dimension ("" for the total).
	Member string `json:"member,omitempty"`
	// Periods are YYYY-MM (months) or FY2026-Q1 (quarters).
	Periods []string          `json:"periods"`
	Values  []decimal.Decimal `json:"values"`
	// Filled counts the periods that had no value.
	Filled int `json:"filled,omitempty"`
}

// floats is the series for the statistics (money becomes float there).
func (s *Series) floats() []float64 {
	out := make([]float64, len(s.Values))
	for i, v := range s.Values {
		out[i], _ = v.Float64()
	}
	return out
}

// seriesSet is a metric's total series and, with a by dimension, one
// series per member on the same periods.
type seriesSet struct {
	metric  *semlayer.Metric
	layer   *semlayer.Layer
	grain   string // month or quarter
	season  int
	first   int // fiscal position (0-based) of the first period
	starts  []time.Time
	total   *Series
	members []*Series
	notes   []string
	stock   bool
}

// SeriesArgs say which series: a metric by month (or quarter) over a
// period (default: all its history up to the as-of date), optionally by a
// dimension's members.
type SeriesArgs struct {
	Metric string `json:"metric" jsonschema:"The metric (see list_metrics)."`
	By     string `json:"by,omitempty" jsonschema:"A dimension: also read each of its members' series."`
	Grain  string `json:"grain,omitempty" jsonschema:"month (default) or quarter (fiscal quarters)."`
	Period string `json:"period,omitempty" jsonschema:"The span to read (FY2024..., last 24 months, FROM..TO dates); default: all history up to the as-of date."`
	AsOf   string `json:"as_of,omitempty" jsonschema:"Date relative periods resolve against, YYYY-MM-DD (default: today); only periods that ended by then are read."`
}

func isStock(l *semlayer.Layer, m *semlayer.Metric) bool {
	if m.Type != semlayer.MetricSimple {
		return false
	}
	fm := l.Model(m.Model)
	if fm == nil {
		return false
	}
	me := fm.Measure(m.Measure)
	return me != nil && me.NonAdditive != nil
}

// series reads a metric's series from the warehouse (aggregated in the
// engine by the query compiler; one value per period and member arrives).
func (s *Service) series(ctx context.Context, in SeriesArgs) (*seriesSet, error) {
	l, err := s.Analytics.Layer()
	if err != nil {
		return nil, err
	}
	m, err := metric(l, strings.TrimSpace(in.Metric))
	if err != nil {
		return nil, err
	}
	asOf, err := s.asOf(in.AsOf)
	if err != nil {
		return nil, err
	}
	set := &seriesSet{metric: m, layer: l, grain: "month", season: 12, stock: isStock(l, m)}
	switch g := strings.ToLower(strings.TrimSpace(in.Grain)); g {
	case "", "month", "monthly":
	case "quarter", "fiscal_quarter", "quarterly":
		set.grain, set.season = "quarter", 4
	default:
		return nil, fmt.Errorf("grain %q: want month or quarter", in.Grain)
	}
	args := analytics.QueryArgs{Metrics: []string{m.Name}, By: []string{"month"}, Period: in.Period, AsOf: asOf.Format("2006-01-02"), Exact: true}
	by := strings.TrimSpace(in.By)
	if by != "" {
		args.By = append(args.By, by)
	}
	r, err := s.Analytics.QueryMetrics(ctx, args)
	if err != nil {
		return nil, err
	}
	set.notes = append(set.notes, r.Notes...)
	t := newTable(r)
	mi := t.cols["month"]
	var bi = -1
	if by != "" {
		for _, g := range t.groups {
			if g != mi {
				bi = g
			}
		}
	}
	type cell struct {
		v  decimal.Decimal
		ok bool
	}
	byMonth := map[string]map[string]cell{} // member → month → value
	months := map[string]bool{}
	for _, row := range t.rows {
		mo, _ := row[mi].(string)
		start, err := time.Parse("2006-01", mo)
		if err != nil || start.AddDate(0, 1, 0).After(asOf) {
			continue // a month not yet over
		}
		member := ""
		if bi >= 0 {
			member = text(row[bi])
		}
		v, ok := t.value(row, m.Name)
		if byMonth[member] == nil {
			byMonth[member] = map[string]cell{}
		}
		if ok {
			c := byMonth[member][mo]
			c.v, c.ok = c.v.Add(v), true
			byMonth[member][mo] = c
			months[mo] = true
			if bi >= 0 {
				if byMonth[""] == nil {
					byMonth[""] = map[string]cell{}
				}
				tc := byMonth[""][mo]
				tc.v, tc.ok = tc.v.Add(v), true
				byMonth[""][mo] = tc
			}
		}
	}
	if len(months) == 0 {
		return nil, fmt.Errorf("metric %s has no value in a month that ended by %s", m.Name, asOf.Format("2006-01-02"))
	}
	var keys []string
	for mo := range months {
		keys = append(keys, mo)
	}
	sort.Strings(keys)
	first, _ := time.Parse("2006-01", keys[0])
	last, _ := time.Parse("2006-01", keys[len(keys)-1])
	var all []time.Time
	for d := first; !d.After(last); d = d.AddDate(0, 1, 0) {
		all = append(all, d)
	}
	cal := l.Calendar
	build := func(member string) *Series {
		src := byMonth[member]
		sr := &Series{Member: member}
		var prev decimal.Decimal
		vals := make([]decimal.Decimal, len(all))
		for i, d := range all {
			c, ok := src[d.Format("2006-01")]
			switch {
			case ok && c.ok:
				vals[i], prev = c.v, c.v
			case set.stock:
				vals[i] = prev
				sr.Filled++
			default:
				sr.Filled++
			}
		}
		if set.grain == "month" {
			for i, d := range all {
				sr.Periods = append(sr.Periods, d.Format("2006-01"))
				sr.Values = append(sr.Values, vals[i])
			}
			return sr
		}
		// Fiscal quarters: complete quarters only; a flow sums, a stock
		// takes the quarter's last month.
		for i := 0; i < len(all); {
			d := all[i]
			if (cal.Period(d)-1)%3 != 0 || i+3 > len(all) {
				i++
				continue
			}
			q := vals[i].Add(vals[i+1]).Add(vals[i+2])
			if set.stock {
				q = vals[i+2]
			}
			sr.Periods = append(sr.Periods, fmt.Sprintf("FY%d-Q%d", cal.Year(d), cal.Quarter(d)))
			sr.Values = append(sr.Values, q)
			i += 3
		}
		return sr
	}
	set.total = build("")
	if len(set.total.Periods) == 0 {
		return nil, fmt.Errorf("metric %s has no complete fiscal quarter yet", m.Name)
	}
	if set.grain == "month" {
		set.starts = all
		set.first = cal.Period(all[0]) - 1
	} else {
		for i, d := range all {
			if (cal.Period(d)-1)%3 == 0 && i+3 <= len(all) {
				set.starts = append(set.starts, d)
			}
		}
		set.first = cal.Quarter(set.starts[0]) - 1
	}
	if set.total.Filled > 0 {
		how := "as zero"
		if set.stock {
			how = "with the month before's balance"
		}
		set.notes = append(set.notes, fmt.Sprintf("%d month(s) without a value counted %s", set.total.Filled, how))
	}
	if by != "" {
		var names []string
		for k := range byMonth {
			if k != "" {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			set.members = append(set.members, build(n))
		}
	}
	return set, nil
}
