package analytics

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// MetricInfo is a metric as people browse it.
type MetricInfo struct {
	Name        string   `json:"name"`
	Label       string   `json:"label,omitempty"`
	Type        string   `json:"type"`
	Format      string   `json:"format,omitempty"`
	Description string   `json:"description,omitempty"`
	Synonyms    []string `json:"synonyms,omitempty"`
	// Model is the fact a simple or hierarchy metric reads.
	Model string `json:"model,omitempty"`
	// Definition says how it is computed, in one line.
	Definition     string `json:"definition"`
	FavourableWhen string `json:"favourable_when,omitempty"`
	Hidden         bool   `json:"hidden,omitempty"`
}

// MetricsInput filters the metric list.
type MetricsInput struct {
	// Search keeps metrics whose name, label, synonyms or description
	// contain it (case-insensitive).
	Search string `json:"search,omitempty" jsonschema:"Keep metrics whose name, label, synonyms or description contain this text."`
	// All lists hidden metrics too.
	All bool `json:"all,omitempty" jsonschema:"List hidden metrics too."`
}

// MetricList is the layer's metrics.
type MetricList struct {
	Metrics []MetricInfo `json:"metrics"`
}

// Metrics lists the layer's metrics.
func (s *Service) Metrics(in MetricsInput) (*MetricList, error) {
	l, err := s.Layer()
	if err != nil {
		return nil, err
	}
	out := []MetricInfo{}
	q := strings.ToLower(strings.TrimSpace(in.Search))
	for _, m := range l.Metrics {
		if m.Hidden && !in.All {
			continue
		}
		info := metricInfo(m)
		if q != "" && !strings.Contains(strings.ToLower(strings.Join(append([]string{info.Name, info.Label, info.Description}, info.Synonyms...), " ")), q) {
			continue
		}
		out = append(out, info)
	}
	return &MetricList{Metrics: out}, nil
}

func metricInfo(m *semlayer.Metric) MetricInfo {
	info := MetricInfo{Name: m.Name, Label: m.Label, Type: m.Type, Format: m.Format, Description: m.Description, Synonyms: m.Synonyms,
		Model: m.Model, FavourableWhen: m.FavourableWhen, Hidden: m.Hidden}
	switch m.Type {
	case semlayer.MetricSimple, semlayer.MetricCumulative:
		info.Definition = fmt.Sprintf("%s of %s.%s", m.Type, m.Model, m.Measure)
		if m.Filter != "" {
			info.Definition += " where " + m.Filter
		}
	case semlayer.MetricRatio:
		info.Definition = fmt.Sprintf("%s / %s", m.Numerator, m.Denominator)
		if m.Percent {
			info.Definition += " × 100"
		}
	case semlayer.MetricDerived:
		info.Definition = m.Expr
	case semlayer.MetricHierarchy:
		if m.Formula != "" {
			info.Definition = fmt.Sprintf("line %s of hierarchy %s: %s", m.Node, m.Hierarchy, m.Formula)
		} else {
			info.Definition = fmt.Sprintf("line %s of hierarchy %s: %d leaves of %s with their signs", m.Node, m.Hierarchy, len(m.Leaves), m.Model)
		}
		if m.FlipSign {
			info.Definition += ", sign flipped for presentation"
		}
	}
	return info
}

// DimensionInfo is a dimension as people browse it.
type DimensionInfo struct {
	Name        string   `json:"name"`
	Model       string   `json:"model"`
	Column      string   `json:"column"`
	Type        string   `json:"type"`
	Label       string   `json:"label,omitempty"`
	Description string   `json:"description,omitempty"`
	Synonyms    []string `json:"synonyms,omitempty"`
	Hidden      bool     `json:"hidden,omitempty"`
	// Members is how many values the parser knows (0: not matched).
	Members int `json:"members"`
	// Sample is a few of them.
	Sample []string `json:"sample,omitempty"`
}

// DimensionsInput filters the dimension list.
type DimensionsInput struct {
	Search string `json:"search,omitempty" jsonschema:"Keep dimensions whose name, label or synonyms contain this text."`
	All    bool   `json:"all,omitempty" jsonschema:"List hidden dimensions too."`
}

// DimensionList is the layer's dimensions and the time grains.
type DimensionList struct {
	Dimensions []DimensionInfo `json:"dimensions"`
	// Grains are the time grains every fact's date can be grouped by.
	Grains []semlayer.Grain `json:"grains"`
}

// Grains are the time grains, finest first.
var Grains = []semlayer.Grain{semlayer.GrainDay, semlayer.GrainWeek, semlayer.GrainMonth, semlayer.GrainFiscalQuarter, semlayer.GrainFiscalYear, semlayer.GrainYear, semlayer.GrainMonthOfYear, semlayer.GrainDayOfWeek}

// Dimensions lists the layer's dimensions by public name, and the time
// grains.
func (s *Service) Dimensions(in DimensionsInput) (*DimensionList, error) {
	l, err := s.Layer()
	if err != nil {
		return nil, err
	}
	members, err := s.Members()
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(in.Search))
	out := []DimensionInfo{}
	for _, ref := range l.Dimensions() {
		x := ref.Dim
		if x.Hidden && !in.All {
			continue
		}
		info := DimensionInfo{Name: ref.Name, Model: ref.Model, Column: x.Column, Type: x.Type, Label: x.Label, Description: x.Description,
			Synonyms: x.Synonyms, Hidden: x.Hidden, Members: len(members[ref.Name])}
		if n := len(members[ref.Name]); n > 0 {
			info.Sample = members[ref.Name][:min(n, 5)]
		}
		if q != "" && !strings.Contains(strings.ToLower(strings.Join(append([]string{info.Name, info.Label}, info.Synonyms...), " ")), q) {
			continue
		}
		out = append(out, info)
	}
	return &DimensionList{Dimensions: out, Grains: Grains}, nil
}

// Description is one metric, dimension or semantic model in full.
type Description struct {
	Kind      string          `json:"kind"` // metric, dimension or model
	Metric    *MetricInfo     `json:"metric,omitempty"`
	Dimension *DimensionInfo  `json:"dimension,omitempty"`
	Model     *semlayer.Model `json:"model,omitempty"`
	// ByDimensions are the dimensions a metric can be grouped and
	// filtered by (reachable many-to-one from its facts).
	ByDimensions []string `json:"by_dimensions,omitempty"`
	// Grains are the time grains it can be grouped by.
	Grains []semlayer.Grain `json:"grains,omitempty"`
	// SQL is the metric's total, compiled for the warehouse.
	SQL string `json:"sql,omitempty"`
}

// DescribeInput names what to describe.
type DescribeInput struct {
	Name string `json:"name" jsonschema:"A metric, dimension or semantic model name."`
}

// Describe explains a metric (its definition, the dimensions it can be
// grouped by, its SQL), a dimension or a semantic model.
func (s *Service) Describe(in DescribeInput) (*Description, error) {
	l, err := s.Layer()
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.Name)
	if m := l.Metric(name); m != nil {
		info := metricInfo(m)
		out := &Description{Kind: "metric", Metric: &info}
		if c, err := query.Compile(l, query.Spec{Metrics: []string{m.Name}}, l.Dialect); err == nil {
			out.SQL = c.SQL
		} else {
			return nil, fmt.Errorf("metric %s does not compile: %w", m.Name, err)
		}
		for _, ref := range l.Dimensions() {
			if ref.Dim.Hidden {
				continue
			}
			if _, err := query.Compile(l, query.Spec{Metrics: []string{m.Name}, GroupBy: []query.GroupBy{{Dimension: ref.Name}}}, l.Dialect); err == nil {
				out.ByDimensions = append(out.ByDimensions, ref.Name)
			}
		}
		for _, g := range Grains {
			if _, err := query.Compile(l, query.Spec{Metrics: []string{m.Name}, GroupBy: []query.GroupBy{{Grain: g}}}, l.Dialect); err == nil {
				out.Grains = append(out.Grains, g)
			}
		}
		return out, nil
	}
	if mod := l.Model(name); mod != nil {
		return &Description{Kind: "model", Model: mod}, nil
	}
	if _, _, err := l.FindDimension(name); err == nil {
		ds, err := s.Dimensions(DimensionsInput{All: true})
		if err != nil {
			return nil, err
		}
		for _, x := range ds.Dimensions {
			if strings.EqualFold(x.Name, name) || strings.EqualFold(x.Model+"."+x.Column, name) || strings.HasSuffix(strings.ToLower(x.Name), "."+strings.ToLower(name)) {
				x := x
				return &Description{Kind: "dimension", Dimension: &x}, nil
			}
		}
	}
	return nil, fmt.Errorf("%q is no metric, dimension or semantic model of the layer (see `databridge analytics metrics` and `databridge analytics dimensions`)%s", name, closest(l, name))
}

// closest suggests names that contain the asked one or share a word.
func closest(l *semlayer.Layer, name string) string {
	n := strings.ToLower(name)
	var out []string
	for _, m := range l.Metrics {
		if !m.Hidden && (strings.Contains(m.Name, n) || strings.Contains(n, m.Name)) {
			out = append(out, m.Name)
		}
	}
	for _, ref := range l.Dimensions() {
		if !ref.Dim.Hidden && (strings.Contains(ref.Name, n) || strings.Contains(n, ref.Dim.Name)) {
			out = append(out, ref.Name)
		}
	}
	if len(out) == 0 {
		return ""
	}
	sort.Strings(out)
	if len(out) > 5 {
		out = out[:5]
	}
	return "; did you mean " + strings.Join(out, ", ") + "?"
}

// Problem is one finding of Validate.
type Problem struct {
	Object  string `json:"object"`
	Message string `json:"message"`
}

// ValidateResult is the layer checked against the warehouse.
type ValidateResult struct {
	OK       bool      `json:"ok"`
	Models   int       `json:"semantic_models"`
	Metrics  int       `json:"metrics"`
	Errors   []Problem `json:"errors"`
	Warnings []Problem `json:"warnings,omitempty"`
}

// Validate checks the layer against the warehouse: its structure, every
// model's table and columns (read with a one-row probe through a
// read-only session), the hierarchy mappings and rates tables, and that
// every metric compiles and runs.
func (s *Service) Validate(ctx context.Context) (*ValidateResult, error) {
	l, err := s.Layer()
	if err != nil {
		return nil, err
	}
	res := &ValidateResult{Models: len(l.Models), Metrics: len(l.Metrics), Errors: []Problem{}}
	for _, e := range l.Check() {
		res.Errors = append(res.Errors, Problem{Object: "layer", Message: e})
	}
	conn, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	probe := func(object, schema, table string, cols []string) {
		var items []d.SelectItem
		seen := map[string]bool{}
		for _, c := range cols {
			if c == "" || c == "*" || seen[strings.ToLower(c)] {
				continue
			}
			seen[strings.ToLower(c)] = true
			items = append(items, d.As(d.C(c), c))
		}
		if len(items) == 0 {
			items = []d.SelectItem{d.As(d.I(1), "one")}
		}
		sql, err := d.RenderQuery(l.Dialect, &d.Select{Columns: items, From: d.Table{Name: d.Name{Schema: schema, Name: table}}, Limit: 1})
		if err == nil {
			_, err = conn.Query(ctx, sql, connector.QueryOptions{MaxRows: 1, Timeout: time.Minute})
		}
		if err != nil {
			res.Errors = append(res.Errors, Problem{Object: object, Message: fmt.Sprintf("%s: %v", table, err)})
		}
	}
	for _, m := range l.Models {
		cols := []string{m.CurrencyColumn}
		if m.TimeVia == "" {
			cols = append(cols, m.TimeColumn) // else the column is its header's, checked there
		}
		for _, e := range m.Entities {
			cols = append(cols, e.Column)
		}
		for _, x := range m.Dimensions {
			cols = append(cols, x.Column)
		}
		for _, x := range m.Measures {
			cols = append(cols, x.Column, x.Times, x.Discount)
		}
		for _, h := range m.Hierarchies {
			cols = append(cols, h.CodeColumn, h.ValueColumn)
			probe("model "+m.Name+" hierarchy "+h.Hierarchy, h.Schema, h.Mapping, []string{"SOURCE_CODE", "LEAF_CODE"})
		}
		probe("model "+m.Name, m.Schema, m.Table, cols)
		for _, e := range m.Entities {
			if e.Type == "foreign" && e.RefColumn != "" {
				if r := l.RefModel(e); r != nil {
					probe("model "+m.Name+" entity "+e.Name, r.Schema, r.Table, []string{e.RefColumn, e.CurrentColumn})
				}
			}
		}
	}
	if l.Currency != nil && l.Currency.Rates != nil {
		r := l.Currency.Rates
		cols := []string{r.RateColumn}
		for _, k := range r.Keys {
			cols = append(cols, k.Other)
		}
		probe("currency rates", r.Schema, r.Table, cols)
	}
	// Every metric compiles and runs (a total with no rows: WHERE 1 = 0
	// is not expressible per metric, so the total itself, capped).
	for _, m := range l.Metrics {
		c, err := query.Compile(l, query.Spec{Metrics: []string{m.Name}}, l.Dialect)
		if err != nil {
			res.Errors = append(res.Errors, Problem{Object: "metric " + m.Name, Message: err.Error()})
			continue
		}
		if _, err := conn.Query(ctx, c.SQL, connector.QueryOptions{MaxRows: 10, Timeout: 5 * time.Minute}); err != nil {
			res.Errors = append(res.Errors, Problem{Object: "metric " + m.Name, Message: err.Error()})
		}
	}
	if s.hasNoMembers(l) {
		res.Warnings = append(res.Warnings, Problem{Object: "members", Message: "no member values saved: run `databridge analytics refresh` so questions can name members"})
	}
	res.OK = len(res.Errors) == 0
	return res, nil
}

func (s *Service) hasNoMembers(l *semlayer.Layer) bool {
	m, err := s.Members()
	return err != nil || len(m) == 0
}
