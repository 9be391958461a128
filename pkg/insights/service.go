// Package insights is databridge's insight service over the deployed
// warehouse: variance analysis (actual against prior period, prior year or
// a budget, per hierarchy line and per member, with a bridge and a
// price/volume/mix decomposition), and the series the anomaly, trend and
// forecast methods (pkg/insights/anomaly, trend, forecast) work on. Every
// number is about a named metric of the semantic layer and is aggregated
// in the engine by the query compiler (pkg/query) through the analytics
// service; what arrives here is small (one value per period and member).
// The CLI (`databridge analytics variance …`) and the MCP insights toolset
// are thin faces over this one service.
package insights

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/semlayer"
)

// Service is the insights service of a project.
type Service struct {
	Analytics   *analytics.Service
	Hierarchies *hierarchy.Service
}

// New returns the insights service over an analytics service.
func New(a *analytics.Service, h *hierarchy.Service) *Service {
	return &Service{Analytics: a, Hierarchies: h}
}

// cell is one value of a query row: nil (no value) or an exact decimal.
func cell(v any) (decimal.Decimal, bool) {
	switch x := v.(type) {
	case nil:
		return decimal.Zero, false
	case string:
		d, err := decimal.NewFromString(x)
		return d, err == nil
	case decimal.Decimal:
		return x, true
	case int64:
		return decimal.NewFromInt(x), true
	case int:
		return decimal.NewFromInt(int64(x)), true
	case float64:
		return decimal.NewFromFloat(x), true
	}
	d, err := decimal.NewFromString(fmt.Sprint(v))
	return d, err == nil
}

// text is a group cell as people read it.
func text(v any) string {
	if v == nil {
		return "(none)"
	}
	return fmt.Sprint(v)
}

// table is a query result read by column name.
type table struct {
	cols map[string]int
	rows [][]any
	// groups are the indexes of the group columns, in order.
	groups []int
	notes  []string
}

func newTable(r *analytics.QueryResult) *table {
	t := &table{cols: map[string]int{}, rows: r.Rows, notes: r.Notes}
	for i, c := range r.Columns {
		t.cols[c.Name] = i
		if c.Kind == "group" {
			t.groups = append(t.groups, i)
		}
	}
	return t
}

// key is a row's group cells joined (the member it is about).
func (t *table) key(row []any) string {
	parts := make([]string, 0, len(t.groups))
	for _, i := range t.groups {
		parts = append(parts, text(row[i]))
	}
	return strings.Join(parts, " · ")
}

func (t *table) value(row []any, col string) (decimal.Decimal, bool) {
	i, ok := t.cols[col]
	if !ok {
		return decimal.Zero, false
	}
	return cell(row[i])
}

// latestComplete is the latest month that has ended by asOf and in which
// metric has a value: the default period of a variance.
func (s *Service) latestComplete(ctx context.Context, metric string, asOf time.Time) (string, error) {
	r, err := s.Analytics.QueryMetrics(ctx, analytics.QueryArgs{Metrics: []string{metric}, By: []string{"month"}, AsOf: asOf.Format("2006-01-02")})
	if err != nil {
		return "", err
	}
	t := newTable(r)
	mi, ok := t.cols["month"]
	if !ok {
		return "", fmt.Errorf("metric %s has no time: give a period", metric)
	}
	months := []string{}
	for _, row := range t.rows {
		m, _ := row[mi].(string)
		v, ok := t.value(row, metric)
		if m == "" || !ok || v.IsZero() {
			continue
		}
		start, err := time.Parse("2006-01", m)
		if err != nil || start.AddDate(0, 1, 0).After(asOf) {
			continue
		}
		months = append(months, m)
	}
	if len(months) == 0 {
		return "", fmt.Errorf("metric %s has no value in a month that ended by %s: give a period", metric, asOf.Format("2006-01-02"))
	}
	sort.Strings(months)
	return months[len(months)-1], nil
}

// asOf reads an optional as-of date (default: the analytics clock).
func (s *Service) asOf(v string) (time.Time, error) {
	if strings.TrimSpace(v) == "" {
		if s.Analytics.Now != nil {
			return s.Analytics.Now(), nil
		}
		return time.Now(), nil
	}
	t, err := analytics.ParseAsOf(v)
	if err != nil {
		return t, fmt.Errorf("as of %w", err)
	}
	return t, nil
}

// metric finds a metric of the layer by name.
func metric(l *semlayer.Layer, name string) (*semlayer.Metric, error) {
	m := l.Metric(name)
	if m == nil {
		return nil, fmt.Errorf("unknown metric %q (see `databridge analytics metrics`)", name)
	}
	return m, nil
}
