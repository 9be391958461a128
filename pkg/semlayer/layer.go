package semlayer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Layer is the semantic layer over a deployed warehouse: what every
// number means. It is generated from what databridge knows (the approved
// canonical model, the deployed objects, the bound hierarchies) and kept as
// YAML under .databridge/semantic/, where people edit it; their edits
// survive regeneration (Merge).
//
// The concepts follow the dbt / MetricFlow semantic layer: semantic models
// over tables, with entities (join keys), dimensions (categorical and time)
// and measures (an aggregation of a column); metrics over measures
// (simple, ratio, derived, cumulative); a time spine carrying the fiscal
// calendar. Hierarchy lines are metrics too (type hierarchy): the amount
// of a fact's rows whose code maps under the line, with the line's signs.
type Layer struct {
	Version int `json:"version" yaml:"version"`
	// Calendar is the fiscal calendar of the time spine; CalendarSource
	// says where it came from (a periods table, or stated).
	Calendar       Calendar `json:"calendar" yaml:"calendar"`
	CalendarSource string   `json:"calendar_source,omitempty" yaml:"calendar_source,omitempty"`
	// Dialect is the warehouse engine the layer was generated against.
	Dialect string `json:"dialect,omitempty" yaml:"dialect,omitempty"`
	// Currency says how amounts in several currencies are reported.
	Currency *Currency `json:"currency,omitempty" yaml:"currency,omitempty"`
	Models   []*Model  `json:"semantic_models" yaml:"semantic_models"`
	Metrics  []*Metric `json:"metrics" yaml:"metrics"`
}

// Currency is the reporting currency and where the rates are. Without
// Rates, money metrics are grouped by each model's currency column.
type Currency struct {
	Reporting string `json:"reporting,omitempty" yaml:"reporting,omitempty"`
	// Rates is a table with one rate per currency (and period): an amount
	// times the rate is in the reporting currency.
	Rates *Rates `json:"rates,omitempty" yaml:"rates,omitempty"`
}

// Rates locates exchange rates: Table(Keys..., RateColumn); a fact joins
// it on Keys (pairs of fact column = rates column).
type Rates struct {
	Table      string    `json:"table" yaml:"table"`
	Schema     string    `json:"schema,omitempty" yaml:"schema,omitempty"`
	RateColumn string    `json:"rate_column" yaml:"rate_column"`
	Keys       []KeyPair `json:"keys" yaml:"keys"`
}

// KeyPair is fact column = other table's column.
type KeyPair struct {
	Fact  string `json:"fact" yaml:"fact"`
	Other string `json:"other" yaml:"other"`
}

// Model is a semantic model: one deployed table (a fact or a dimension).
type Model struct {
	Name   string `json:"name" yaml:"name"`
	Origin string `json:"origin,omitempty" yaml:"origin,omitempty"`
	Table  string `json:"table" yaml:"table"`
	Schema string `json:"schema,omitempty" yaml:"schema,omitempty"`
	Role   string `json:"role" yaml:"role"` // fact or dimension
	// Scenario names the budget or forecast a fact model holds (made by
	// pkg/analytics from .databridge/scenarios/, never generated).
	Scenario    string `json:"scenario,omitempty" yaml:"scenario,omitempty"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// Label is how people name the model's rows ("sales lines").
	Label    string   `json:"label,omitempty" yaml:"label,omitempty"`
	Synonyms []string `json:"synonyms,omitempty" yaml:"synonyms,omitempty"`
	// TimeColumn is the date a fact's rows happen on: time grains and time
	// filters apply to it.
	TimeColumn string `json:"time_column,omitempty" yaml:"time_column,omitempty"`
	// TimeVia names the model whose TimeColumn dates this fact's rows,
	// when they have no date of their own: the lines of an order dated by
	// their order (a many-to-one path from this model to it).
	TimeVia string `json:"time_via,omitempty" yaml:"time_via,omitempty"`
	// CurrencyColumn holds each row's currency code, when amounts are in
	// several currencies.
	CurrencyColumn string `json:"currency_column,omitempty" yaml:"currency_column,omitempty"`
	// ScenarioColumn tells apart versions of the same numbers held in one
	// fact (Budget and Actual rows): the compiler never adds rows of
	// different scenarios together — unless a query filters or groups by
	// this column, it groups by it.
	ScenarioColumn string       `json:"scenario_column,omitempty" yaml:"scenario_column,omitempty"`
	Entities       []*Entity    `json:"entities,omitempty" yaml:"entities,omitempty"`
	Dimensions     []*Dimension `json:"dimensions,omitempty" yaml:"dimensions,omitempty"`
	Measures       []*Measure   `json:"measures,omitempty" yaml:"measures,omitempty"`
	// Hierarchies are the bound hierarchies whose lines this fact's rows
	// map to (code column, value column, and the DT_2 object that maps
	// codes to leaves in the warehouse).
	Hierarchies []*HierarchyBinding `json:"hierarchies,omitempty" yaml:"hierarchies,omitempty"`
}

// Entity is a join key. A primary entity is the model's own key; a
// foreign entity references another model's primary entity: joins go from
// foreign to primary only (many to one).
type Entity struct {
	Name string `json:"name" yaml:"name"`
	Type string `json:"type" yaml:"type"` // primary or foreign
	// Column is the key column; Filter, when set, is a condition on the
	// primary side that keeps one row per key (the current SCD-2 version).
	Column string `json:"column" yaml:"column"`
	// Ref is the model a foreign entity references (default: the model
	// whose primary entity has the same name).
	Ref string `json:"ref,omitempty" yaml:"ref,omitempty"`
	// RefColumn is the referenced column when it is not the primary
	// entity's column (a dimension's natural key, from a snowflaked
	// dimension); CurrentColumn names the referenced model's "is current"
	// flag (1 = current) to keep one row per key.
	RefColumn     string `json:"ref_column,omitempty" yaml:"ref_column,omitempty"`
	CurrentColumn string `json:"current_column,omitempty" yaml:"current_column,omitempty"`
	// CompositeKeys are a composite reference's further column pairs
	// (this model's column = the referenced model's), beside Column =
	// RefColumn: a return's receipt and line number naming one sales line.
	CompositeKeys []KeyPair `json:"composite_keys,omitempty" yaml:"composite_keys,omitempty"`
}

// Dimension is something to group and filter by.
type Dimension struct {
	Name        string   `json:"name" yaml:"name"`
	Origin      string   `json:"origin,omitempty" yaml:"origin,omitempty"`
	Column      string   `json:"column" yaml:"column"`
	Type        string   `json:"type" yaml:"type"` // categorical or time
	Label       string   `json:"label,omitempty" yaml:"label,omitempty"`
	Description string   `json:"description,omitempty" yaml:"description,omitempty"`
	Synonyms    []string `json:"synonyms,omitempty" yaml:"synonyms,omitempty"`
	Hidden      bool     `json:"hidden,omitempty" yaml:"hidden,omitempty"`
	// Members says the parser may match the dimension's values in
	// questions ("Acme" → customer_name = 'Acme Industries').
	Members bool `json:"members,omitempty" yaml:"members,omitempty"`
	// Flag: a true/false column (billable, is_active): filtered with
	// TRUE or FALSE, its name the members' ("billable hours").
	Flag bool `json:"flag,omitempty" yaml:"flag,omitempty"`
	// DateText says a time dimension's column is text that writes a
	// date: "YYYY-MM" (a month, "2025-03", read as its first day).
	DateText string `json:"date_text,omitempty" yaml:"date_text,omitempty"`
}

// DateTextYearMonth is a month written as text: "2025-03".
const DateTextYearMonth = "YYYY-MM"

// Aggregations a measure can have.
const (
	AggSum           = "sum"
	AggCount         = "count"
	AggCountDistinct = "count_distinct"
	AggAverage       = "average"
	AggMin           = "min"
	AggMax           = "max"
)

// Measure is an aggregation of a column (Column "*" with count: rows).
type Measure struct {
	Name        string `json:"name" yaml:"name"`
	Column      string `json:"column" yaml:"column"`
	Agg         string `json:"agg" yaml:"agg"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// Money says the values are amounts in a currency (converted or
	// grouped by currency, never summed across currencies).
	Money bool `json:"money,omitempty" yaml:"money,omitempty"`
	// Times is another column of the same row that Column is multiplied
	// by before the sum: a line's quantity times its unit price, where
	// the lines carry no amount of their own.
	Times string `json:"times,omitempty" yaml:"times,omitempty"`
	// Discount is a rate (0 to 1) of the same row taken off that
	// product: quantity × unit price × (1 − discount), a missing rate
	// read as none (an order line's discount).
	Discount string `json:"discount,omitempty" yaml:"discount,omitempty"`
	// NonAdditive makes the measure semi-additive, a stock (a balance, a
	// headcount, MRR): within each time bucket it is the value at the
	// bucket's last (or first) time present, added up over the other
	// dimensions only — never over periods.
	NonAdditive *NonAdditive `json:"non_additive,omitempty" yaml:"non_additive,omitempty"`
}

// NonAdditive says which time of a bucket a semi-additive measure reads.
type NonAdditive struct {
	Time string `json:"time" yaml:"time"` // last or first
}

// Stock's values of a time bucket.
const (
	TimeLast  = "last"
	TimeFirst = "first"
)

// HierarchyBinding ties a fact to a deployed hierarchy.
type HierarchyBinding struct {
	Hierarchy   string `json:"hierarchy" yaml:"hierarchy"`
	CodeColumn  string `json:"code_column" yaml:"code_column"`
	ValueColumn string `json:"value_column" yaml:"value_column"`
	// Mapping is the deployed object whose SOURCE_CODE, LEAF_CODE rows map
	// codes to leaves (DT_2): the layer maps codes exactly as the
	// deployed statement does.
	Mapping string `json:"mapping" yaml:"mapping"`
	Schema  string `json:"schema,omitempty" yaml:"schema,omitempty"`
	// Matching is how codes are compared (hierarchy.Matching's string).
	Trim            bool `json:"trim,omitempty" yaml:"trim,omitempty"`
	CaseInsensitive bool `json:"case_insensitive,omitempty" yaml:"case_insensitive,omitempty"`
}

// Metric types.
const (
	MetricSimple     = "simple"
	MetricRatio      = "ratio"
	MetricDerived    = "derived"
	MetricCumulative = "cumulative"
	MetricHierarchy  = "hierarchy"
)

// Metric is a named number.
type Metric struct {
	Name        string   `json:"name" yaml:"name"`
	Origin      string   `json:"origin,omitempty" yaml:"origin,omitempty"`
	Type        string   `json:"type" yaml:"type"`
	Label       string   `json:"label,omitempty" yaml:"label,omitempty"`
	Description string   `json:"description,omitempty" yaml:"description,omitempty"`
	Synonyms    []string `json:"synonyms,omitempty" yaml:"synonyms,omitempty"`
	Hidden      bool     `json:"hidden,omitempty" yaml:"hidden,omitempty"`
	// Format: money, percent, count or number.
	Format string `json:"format,omitempty" yaml:"format,omitempty"`
	// Model and Measure (simple, cumulative).
	Model   string `json:"model,omitempty" yaml:"model,omitempty"`
	Measure string `json:"measure,omitempty" yaml:"measure,omitempty"`
	// Filter restricts a simple metric's rows (a filter expression over
	// the model's dimensions).
	Filter string `json:"filter,omitempty" yaml:"filter,omitempty"`
	// Rows restricts a simple metric to the rows of another metric of the
	// same model: a hierarchy line's rows (the lines whose code maps under
	// it) or a simple metric's (its filter). "Customers invoiced" is the
	// distinct customers of the revenue rows; "sales invoices" the
	// distinct journals with revenue lines.
	Rows string `json:"rows,omitempty" yaml:"rows,omitempty"`
	// Numerator / Denominator (ratio): metric names; Percent multiplies by
	// 100.
	Numerator   string `json:"numerator,omitempty" yaml:"numerator,omitempty"`
	Denominator string `json:"denominator,omitempty" yaml:"denominator,omitempty"`
	Percent     bool   `json:"percent,omitempty" yaml:"percent,omitempty"`
	// Expr (derived): a formula over metric names (+ - * /, ABS, ROUND,
	// MIN, MAX), like hierarchy formulas.
	Expr string `json:"expr,omitempty" yaml:"expr,omitempty"`
	// Inputs (derived) name the metrics Expr refers to under an alias,
	// each possibly at a period offset, MetricFlow-style: revenue a year
	// earlier is {metric: revenue, alias: revenue_py, offset: 1 year},
	// and expr revenue - revenue_py is the change on the year. A name in
	// Expr that is no alias is a metric's own name.
	Inputs []MetricInput `json:"inputs,omitempty" yaml:"inputs,omitempty"`
	// Hierarchy line (hierarchy): the line's code; its amount is the sum
	// of the leaves under it with their consolidation signs, flipped for
	// presentation when FlipSign (revenue shown positive).
	Hierarchy string `json:"hierarchy,omitempty" yaml:"hierarchy,omitempty"`
	Node      string `json:"node,omitempty" yaml:"node,omitempty"`
	// Leaves maps each leaf under the line to its sign towards the line
	// (+1 or -1) — for formula lines, empty.
	Leaves   map[string]int `json:"leaves,omitempty" yaml:"leaves,omitempty"`
	FlipSign bool           `json:"flip_sign,omitempty" yaml:"flip_sign,omitempty"`
	// Formula (hierarchy formula lines): over node codes, in raw signs.
	Formula string `json:"formula,omitempty" yaml:"formula,omitempty"`
	// FavourableWhen says which direction is good: increase or decrease.
	FavourableWhen string `json:"favourable_when,omitempty" yaml:"favourable_when,omitempty"`
}

// MetricInput is a derived metric's input: Metric's value, called Alias
// in the expression, Offset earlier ("1 year", "1 fiscal_quarter",
// "2 months"; empty: the same period).
type MetricInput struct {
	Metric string `json:"metric" yaml:"metric"`
	Alias  string `json:"alias,omitempty" yaml:"alias,omitempty"`
	Offset string `json:"offset,omitempty" yaml:"offset,omitempty"`
}

// Input is the input a derived metric's expression names ref by (its
// alias, or the metric's own name), or nil.
func (m *Metric) Input(ref string) *MetricInput {
	for i := range m.Inputs {
		x := &m.Inputs[i]
		if strings.EqualFold(x.Alias, ref) || (x.Alias == "" && strings.EqualFold(x.Metric, ref)) {
			return x
		}
	}
	return nil
}

// ParseOffset reads a period offset ("1 year", "2 fiscal_quarters",
// "1 month", "fiscal_year") as a number of months.
func ParseOffset(s string) (int, error) {
	f := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	if len(f) == 0 {
		return 0, nil
	}
	n := 1
	if len(f) == 2 {
		v, err := strconv.Atoi(f[0])
		if err != nil || v < 0 {
			return 0, fmt.Errorf("offset %q: want a whole number of periods (1 year, 1 fiscal_quarter, 1 month)", s)
		}
		n, f = v, f[1:]
	}
	if len(f) != 1 {
		return 0, fmt.Errorf("offset %q: want a number and a grain (1 year, 1 fiscal_quarter, 1 month)", s)
	}
	switch strings.TrimSuffix(strings.ReplaceAll(f[0], " ", "_"), "s") {
	case "month", "fiscal_month", "period":
		return n, nil
	case "quarter", "fiscal_quarter":
		return 3 * n, nil
	case "year", "fiscal_year":
		return 12 * n, nil
	}
	return 0, fmt.Errorf("offset %q: unknown grain %q (want year, fiscal_quarter or month)", s, f[0])
}

// Model returns the model named name (case-insensitive) or nil.
func (l *Layer) Model(name string) *Model {
	for _, m := range l.Models {
		if strings.EqualFold(m.Name, name) {
			return m
		}
	}
	return nil
}

// Metric returns the metric named name (case-insensitive) or nil.
func (l *Layer) Metric(name string) *Metric {
	for _, m := range l.Metrics {
		if strings.EqualFold(m.Name, name) {
			return m
		}
	}
	return nil
}

// Measure returns the model's measure named name or nil.
func (m *Model) Measure(name string) *Measure {
	for _, x := range m.Measures {
		if strings.EqualFold(x.Name, name) {
			return x
		}
	}
	return nil
}

// Dimension returns the model's dimension named name or nil.
func (m *Model) Dimension(name string) *Dimension {
	for _, x := range m.Dimensions {
		if strings.EqualFold(x.Name, name) {
			return x
		}
	}
	return nil
}

// PrimaryEntity is the model's primary entity or nil.
func (m *Model) PrimaryEntity() *Entity {
	for _, e := range m.Entities {
		if e.Type == "primary" {
			return e
		}
	}
	return nil
}

// DimensionRef is a dimension as the layer exposes it: its public name
// (unique across the layer) and where it lives.
type DimensionRef struct {
	Name  string     `json:"name"`
	Model string     `json:"model"`
	Dim   *Dimension `json:"dimension"`
}

// Dimensions lists every dimension of the layer by public name: a
// dimension's own name when no other model has one of that name, else
// model.name for each (the models' own names qualify them).
func (l *Layer) Dimensions() []DimensionRef {
	count := map[string]int{}
	for _, m := range l.Models {
		for _, x := range m.Dimensions {
			count[strings.ToLower(x.Name)]++
		}
	}
	var out []DimensionRef
	for _, m := range l.Models {
		for _, x := range m.Dimensions {
			name := x.Name
			if count[strings.ToLower(x.Name)] > 1 {
				name = m.Name + "." + x.Name
			}
			out = append(out, DimensionRef{Name: name, Model: m.Name, Dim: x})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// FindDimension resolves a public or qualified dimension name
// (model.name, or a name unique across the layer).
func (l *Layer) FindDimension(name string) (*Model, *Dimension, error) {
	if i := strings.LastIndex(name, "."); i > 0 {
		m := l.Model(name[:i])
		if m == nil {
			return nil, nil, fmt.Errorf("unknown dimension %q: no semantic model %q", name, name[:i])
		}
		x := m.Dimension(name[i+1:])
		if x == nil {
			return nil, nil, fmt.Errorf("unknown dimension %q: model %s has no dimension %q", name, m.Name, name[i+1:])
		}
		return m, x, nil
	}
	var found []*Model
	var dim *Dimension
	for _, m := range l.Models {
		if x := m.Dimension(name); x != nil {
			found = append(found, m)
			dim = x
		}
	}
	switch len(found) {
	case 0:
		return nil, nil, fmt.Errorf("unknown dimension %q", name)
	case 1:
		return found[0], dim, nil
	}
	var qs []string
	for _, m := range found {
		qs = append(qs, m.Name+"."+name)
	}
	return nil, nil, fmt.Errorf("dimension %q is ambiguous: say %s", name, strings.Join(qs, " or "))
}

// Check reports the layer's structural errors: unknown references,
// duplicate names, metric cycles. (Validate in pkg/analytics checks it
// against the warehouse.)
func (l *Layer) Check() []string {
	var errs []string
	add := func(f string, a ...any) { errs = append(errs, fmt.Sprintf(f, a...)) }
	if err := l.Calendar.Check(); err != nil {
		add("calendar: %v", err)
	}
	seen := map[string]bool{}
	for _, m := range l.Models {
		k := strings.ToLower(m.Name)
		if seen[k] {
			add("semantic model %s defined twice", m.Name)
		}
		seen[k] = true
		if m.Table == "" {
			add("semantic model %s: no table", m.Name)
		}
		if m.TimeVia != "" {
			if v := l.Model(m.TimeVia); v == nil || !strings.EqualFold(v.TimeColumn, m.TimeColumn) || v.TimeVia != "" {
				add("model %s: time_via %s is not a model dated by its own %s", m.Name, m.TimeVia, m.TimeColumn)
			}
		}
		for _, e := range m.Entities {
			if e.Type != "primary" && e.Type != "foreign" {
				add("model %s entity %s: type %q, want primary or foreign", m.Name, e.Name, e.Type)
			}
			if e.Type == "foreign" && l.refModel(e) == nil {
				add("model %s entity %s references no model with that primary entity", m.Name, e.Name)
			}
		}
		for _, x := range m.Measures {
			switch x.Agg {
			case AggSum, AggCount, AggCountDistinct, AggAverage, AggMin, AggMax:
			default:
				add("model %s measure %s: aggregation %q (want sum, count, count_distinct, average, min or max)", m.Name, x.Name, x.Agg)
			}
			if x.Times != "" && x.Agg != AggSum {
				add("model %s measure %s: times %s, but only a sum multiplies its rows", m.Name, x.Name, x.Times)
			}
			if x.Discount != "" && x.Times == "" {
				add("model %s measure %s: discount %s, but no times (a discount is off a quantity times a price)", m.Name, x.Name, x.Discount)
			}
			if na := x.NonAdditive; na != nil {
				if na.Time != TimeLast && na.Time != TimeFirst {
					add("model %s measure %s: non_additive time %q (want last or first)", m.Name, x.Name, na.Time)
				}
				if m.TimeColumn == "" {
					add("model %s measure %s: non_additive, but the model has no time column", m.Name, x.Name)
				}
				if m.TimeVia != "" {
					add("model %s measure %s: non_additive, but the model's rows are dated by %s", m.Name, x.Name, m.TimeVia)
				}
			}
		}
		for _, x := range m.Dimensions {
			if x.Type != "categorical" && x.Type != "time" {
				add("model %s dimension %s: type %q, want categorical or time", m.Name, x.Name, x.Type)
			}
			if x.DateText != "" && (x.DateText != DateTextYearMonth || x.Type != "time") {
				add("model %s dimension %s: date_text %q (want %s, on a time dimension)", m.Name, x.Name, x.DateText, DateTextYearMonth)
			}
		}
	}
	mseen := map[string]bool{}
	for _, x := range l.Metrics {
		k := strings.ToLower(x.Name)
		if mseen[k] {
			add("metric %s defined twice", x.Name)
		}
		mseen[k] = true
		switch x.Type {
		case MetricSimple, MetricCumulative:
			m := l.Model(x.Model)
			if m == nil {
				add("metric %s: unknown model %q", x.Name, x.Model)
			} else if m.Measure(x.Measure) == nil {
				add("metric %s: model %s has no measure %q", x.Name, x.Model, x.Measure)
			}
			if x.Rows != "" {
				r := l.Metric(x.Rows)
				switch {
				case r == nil:
					add("metric %s: rows of unknown metric %q", x.Name, x.Rows)
				case !strings.EqualFold(r.Model, x.Model):
					add("metric %s: rows of %s, a metric of another model (%s)", x.Name, x.Rows, r.Model)
				case r.Type != MetricSimple && !(r.Type == MetricHierarchy && r.Formula == ""):
					add("metric %s: rows of %s: only a simple metric's or a hierarchy line's rows", x.Name, x.Rows)
				case r.Rows != "":
					add("metric %s: rows of %s, which has rows of its own", x.Name, x.Rows)
				}
			}
		case MetricRatio:
			for _, r := range []string{x.Numerator, x.Denominator} {
				if l.Metric(r) == nil {
					add("metric %s: unknown metric %q", x.Name, r)
				}
			}
		case MetricDerived:
			if x.Expr == "" {
				add("metric %s: derived metric without expr", x.Name)
			}
			for _, in := range x.Inputs {
				if l.Metric(in.Metric) == nil {
					add("metric %s: input of unknown metric %q", x.Name, in.Metric)
				}
				if _, err := ParseOffset(in.Offset); err != nil {
					add("metric %s: input %s: %v", x.Name, in.Metric, err)
				}
			}
		case MetricHierarchy:
			if l.Model(x.Model) == nil {
				add("metric %s: unknown model %q", x.Name, x.Model)
			}
			if x.Node == "" || x.Hierarchy == "" {
				add("metric %s: hierarchy metric without hierarchy and node", x.Name)
			}
		default:
			add("metric %s: type %q (want simple, ratio, derived, cumulative or hierarchy)", x.Name, x.Type)
		}
	}
	return errs
}

// refModel is the model a foreign entity references.
func (l *Layer) refModel(e *Entity) *Model {
	if e.Ref != "" {
		return l.Model(e.Ref)
	}
	for _, m := range l.Models {
		if p := m.PrimaryEntity(); p != nil && strings.EqualFold(p.Name, e.Name) {
			return m
		}
	}
	return nil
}

// RefModel is the model a foreign entity references (nil when none).
func (l *Layer) RefModel(e *Entity) *Model { return l.refModel(e) }

// MaxJoinHops is how many many-to-one joins a query may follow from a
// fact to a model it groups or filters by.
const MaxJoinHops = 3

// Reaches says model from joins model to many-to-one (through foreign
// entities, at most MaxJoinHops joins), or is it.
func (l *Layer) Reaches(from, to string) bool {
	if strings.EqualFold(from, to) {
		return true
	}
	queue := []*Model{l.Model(from)}
	for depth := 0; depth < MaxJoinHops; depth++ {
		var next []*Model
		for _, m := range queue {
			if m == nil {
				continue
			}
			for _, e := range m.Entities {
				if e.Type != "foreign" {
					continue
				}
				if ref := l.refModel(e); ref != nil {
					if strings.EqualFold(ref.Name, to) {
						return true
					}
					next = append(next, ref)
				}
			}
		}
		queue = next
	}
	return false
}
