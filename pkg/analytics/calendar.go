package analytics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/semlayer"
)

// inferCalendar reads the fiscal calendar from the warehouse: a model
// (a periods dimension first, then facts) with a time column and a
// fiscal year column; its distinct (date, fiscal year, fiscal quarter)
// rows must fit exactly one calendar. ok is false when no model has a
// fiscal year.
func (s *Service) inferCalendar(ctx context.Context, conn connector.Connector, l *semlayer.Layer) (semlayer.Calendar, string, bool, error) {
	var lastErr error
	for _, role := range []string{"dimension", "fact"} {
		for _, m := range l.Models {
			if m.Role != role {
				continue
			}
			fy, fq, date := "", "", m.TimeColumn
			if m.TimeVia != "" {
				date = "" // its header's column, read there
			}
			for _, x := range m.Dimensions {
				switch strings.ToLower(x.Column) {
				case "fiscal_year", "fy", "fiscal_yr":
					fy = x.Column
				case "fiscal_quarter", "fiscal_qtr", "fq":
					fq = x.Column
				}
				if date == "" && x.Type == "time" {
					n := strings.ToLower(x.Column)
					if strings.Contains(n, "start") || strings.Contains(n, "date") || strings.Contains(n, "month") {
						date = x.Column
					}
				}
			}
			if fy == "" || date == "" {
				continue
			}
			cols := []d.SelectItem{d.As(d.C(date), "d"), d.As(d.C(fy), "fy")}
			if fq != "" {
				cols = append(cols, d.As(d.C(fq), "fq"))
			}
			sql, err := d.RenderQuery(l.Dialect, &d.Select{Distinct: true, Columns: cols, From: d.Table{Name: d.Name{Schema: m.Schema, Name: m.Table}},
				Where: d.And(&d.IsNull{X: d.C(date), Not: true}, &d.IsNull{X: d.C(fy), Not: true})})
			if err != nil {
				return semlayer.Calendar{}, "", false, err
			}
			res, err := conn.Query(ctx, sql, connector.QueryOptions{MaxRows: 100000, Timeout: time.Minute})
			if err != nil {
				lastErr = fmt.Errorf("%s: %w", m.Table, err)
				continue
			}
			var rows []semlayer.PeriodRow
			for _, r := range res.Rows {
				t, ok1 := asDate(r[0])
				y, ok2 := asInt(r[1])
				if !ok1 || !ok2 {
					continue
				}
				pr := semlayer.PeriodRow{Start: t, FiscalYear: y}
				if len(r) > 2 {
					if q, ok := asInt(r[2]); ok && q >= 1 && q <= 4 {
						pr.FiscalQuarter = q
					}
				}
				rows = append(rows, pr)
			}
			cal, err := semlayer.InferCalendar(rows)
			if err != nil {
				lastErr = fmt.Errorf("%s: %w", m.Table, err)
				continue
			}
			return cal, fmt.Sprintf("inferred from %s.%s and %s.%s (%d rows)", m.Table, date, m.Table, fy, len(rows)), true, nil
		}
	}
	return semlayer.Calendar{}, "", false, lastErr
}

func asDate(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC), true
	case string:
		for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, strings.TrimSpace(x)); err == nil {
				return t, true
			}
		}
	case []byte:
		return asDate(string(x))
	}
	return time.Time{}, false
}

func asInt(v any) (int, bool) {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	if t, ok := v.(string); ok {
		// A fiscal year may be written FY2025.
		v = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(t), "FY"), "fy")
	}
	n, ok := asDecimal(v)
	if !ok || !n.IsInteger() {
		return 0, false
	}
	return int(n.IntPart()), true
}
