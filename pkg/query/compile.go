package query

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/dialect/filter"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/semlayer"
)

// Value types: sums stay exact in DECIMAL(38, 10); ratios and other
// non-additive formulas are computed in DOUBLE PRECISION.
var (
	exactType = d.Decimal(38, 10)
	mathType  = d.Double
)

// MaxSpine caps the periods a spine may list.
const MaxSpine = 2000

// compiler holds one compilation.
type compiler struct {
	l       *semlayer.Layer
	dialect string
	spec    Spec
	notes   []string

	groups []*group
	// bases are the aggregates computed per fact, in order.
	facts map[string]*factPlan
	order []string
	// metric expressions over the joined result "r" (raw: before a
	// hierarchy line's presentation flip).
	currencyGrouped bool
	// currencyByUser: the spec groups by the currency column itself.
	currencyByUser bool
	grouped        map[string]bool // base group key already present
	// offsets are the derived metrics' inputs at a period offset: per
	// offset in months, the inputs' expressions (evaluated over the range
	// moved that many months earlier, their buckets moved forward onto
	// the current ones, and joined as "o<months>"); inOffset is set while
	// one is translated (an offset input has no offsets of its own).
	offsets   map[int][]d.Expr
	offsetIdx map[string]int // months/metric → column number
	inOffset  bool
	noJoin    bool // evaluating an offset: no offsets joined
	// rowRules are the restricted metrics that keep a fact's first rows
	// or its rows no other fact references, by lower-case name.
	rowRules map[string]Restricted
	// priced are the query's own sums of a measure times an attribute,
	// by lower-case name: the attribute's dimension name.
	priced map[string]string
}

// group is one grouping of the result: SQL columns (one per part) and,
// per fact, the expressions that compute them.
type group struct {
	name   string // public name
	label  string
	grain  semlayer.Grain
	cols   []string // SQL column names (g1, g1_2 ...)
	model  string   // dimension's model ("" for grains)
	dim    *semlayer.Dimension
	hidden bool // added by the compiler (currency), shown anyway
	// dimGrain: a time grain of the dimension's own date (the year an
	// account signed up), not of the facts' time.
	dimGrain semlayer.Grain
}

// factPlan is one fact's CTE: its joins and aggregates.
type factPlan struct {
	m      *semlayer.Model
	cte    string
	alias  string
	joins  []d.Join
	joined map[string]string // model name → alias
	aggs   []d.SelectItem
	aggIdx map[string]string // aggregate key → column name
	where  []d.Expr
	maps   map[string]string // hierarchy id → mapping alias
	rates  string            // rates alias
	n      int
	// edges: the fact has semi-additive measures, read at the first or
	// last time of each bucket (joined as "lt": t_first, t_last).
	edges bool
}

// Compile compiles spec against layer for dialect.
func Compile(l *semlayer.Layer, spec Spec, dialect string) (*Compiled, error) {
	var rowRules map[string]Restricted
	var priced map[string]string
	if len(spec.Ratios) > 0 || len(spec.Restricted) > 0 || len(spec.Derived) > 0 || len(spec.Priced) > 0 {
		// The query's own metrics join a copy of the layer's metrics.
		cp := *l
		cp.Metrics = append([]*semlayer.Metric{}, l.Metrics...)
		for _, r := range spec.Restricted {
			if l.Metric(r.Name) != nil {
				return nil, fmt.Errorf("restricted metric %q: the layer has a metric of that name", r.Name)
			}
			base := l.Metric(r.Metric)
			if r.First || r.Without != "" {
				if r.Rows != "" || r.Where != "" || r.First && r.Without != "" {
					return nil, fmt.Errorf("restricted metric %s: first or without, alone", r.Name)
				}
				if base == nil || base.Type != semlayer.MetricSimple || base.Rows != "" {
					return nil, fmt.Errorf("restricted metric %s: %q is no simple metric of the layer", r.Name, r.Metric)
				}
				x := *base
				x.Name, x.Origin, x.Synonyms = r.Name, "", nil
				if r.Label != "" {
					x.Label = r.Label
				}
				cp.Metrics = append(cp.Metrics, &x)
				if rowRules == nil {
					rowRules = map[string]Restricted{}
				}
				rowRules[strings.ToLower(r.Name)] = r
				continue
			}
			if r.Where != "" && r.Rows == "" {
				// The metric over the rows that meet a filter: a simple
				// metric, or a line of a hierarchy that is no formula.
				if base == nil || !(base.Type == semlayer.MetricSimple || base.Type == semlayer.MetricHierarchy && base.Formula == "") {
					return nil, fmt.Errorf("restricted metric %s: %q is no simple metric or hierarchy line of the layer", r.Name, r.Metric)
				}
				x := *base
				x.Name, x.Origin, x.Synonyms = r.Name, "", nil
				x.Filter = r.Where
				if base.Filter != "" {
					x.Filter = "(" + base.Filter + ") AND (" + r.Where + ")"
				}
				if r.Label != "" {
					x.Label = r.Label
				}
				cp.Metrics = append(cp.Metrics, &x)
				continue
			}
			if r.Where != "" {
				return nil, fmt.Errorf("restricted metric %s: rows and a filter: say one", r.Name)
			}
			if base == nil || base.Type != semlayer.MetricSimple || base.Rows != "" {
				return nil, fmt.Errorf("restricted metric %s: %q is no simple metric of the layer", r.Name, r.Metric)
			}
			rows := l.Metric(r.Rows)
			if rows == nil || !strings.EqualFold(rows.Model, base.Model) {
				return nil, fmt.Errorf("restricted metric %s: %q is no metric of %s", r.Name, r.Rows, base.Model)
			}
			x := *base
			x.Name, x.Origin, x.Rows, x.Synonyms = r.Name, "", rows.Name, nil
			if r.Label != "" {
				x.Label = r.Label
			}
			cp.Metrics = append(cp.Metrics, &x)
		}
		for _, x := range spec.Priced {
			if l.Metric(x.Name) != nil {
				return nil, fmt.Errorf("priced metric %q: the layer has a metric of that name", x.Name)
			}
			base := l.Metric(x.Metric)
			if base == nil || base.Type != semlayer.MetricSimple || base.Rows != "" {
				return nil, fmt.Errorf("priced metric %s: %q is no simple metric of the layer", x.Name, x.Metric)
			}
			fm := l.Model(base.Model)
			if ms := fm.Measure(base.Measure); fm == nil || ms == nil || !(ms.Agg == semlayer.AggSum && !ms.Money || ms.Agg == semlayer.AggCount && (ms.Column == "*" || ms.Column == "")) {
				return nil, fmt.Errorf("priced metric %s: %q is no sum of a quantity", x.Name, x.Metric)
			}
			if _, dim, err := l.FindDimension(x.Attribute); err != nil {
				return nil, fmt.Errorf("priced metric %s: %w", x.Name, err)
			} else if dim.Type == "time" {
				return nil, fmt.Errorf("priced metric %s: %s is a date", x.Name, x.Attribute)
			}
			m := *base
			m.Name, m.Origin, m.Synonyms, m.Label, m.Format = x.Name, "", nil, x.Label, x.Format
			cp.Metrics = append(cp.Metrics, &m)
			if priced == nil {
				priced = map[string]string{}
			}
			priced[strings.ToLower(x.Name)] = x.Attribute
		}
		l = &cp
		for _, r := range spec.Ratios {
			if l.Metric(r.Name) != nil {
				return nil, fmt.Errorf("ratio %q: the layer has a metric of that name", r.Name)
			}
			if r.Periods != "" {
				if l.Metric(r.Numerator) == nil {
					return nil, fmt.Errorf("ratio %s: unknown metric %q", r.Name, r.Numerator)
				}
				n, err := periodsIn(spec.Time, r.Periods)
				if err != nil {
					return nil, fmt.Errorf("ratio %s: %w", r.Name, err)
				}
				cp.Metrics = append(cp.Metrics, &semlayer.Metric{Name: r.Name, Type: semlayer.MetricDerived, Label: r.Label,
					Expr: fmt.Sprintf("%s / %d", r.Numerator, n), Format: r.Format})
				continue
			}
			for _, x := range []string{r.Numerator, r.Denominator} {
				if l.Metric(x) == nil {
					return nil, fmt.Errorf("ratio %s: unknown metric %q", r.Name, x)
				}
			}
			cp.Metrics = append(cp.Metrics, &semlayer.Metric{Name: r.Name, Type: semlayer.MetricRatio, Label: r.Label,
				Numerator: r.Numerator, Denominator: r.Denominator, Format: r.Format, Percent: r.Percent})
		}
		for _, x := range spec.Derived {
			if l.Metric(x.Name) != nil {
				return nil, fmt.Errorf("derived metric %q: the layer has a metric of that name", x.Name)
			}
			e, err := hierarchy.ParseFormula(x.Expr)
			if err != nil {
				return nil, fmt.Errorf("derived metric %s: %w", x.Name, err)
			}
			for _, r := range e.Refs() {
				if l.Metric(r) == nil {
					return nil, fmt.Errorf("derived metric %s: unknown metric %q", x.Name, r)
				}
			}
			cp.Metrics = append(cp.Metrics, &semlayer.Metric{Name: x.Name, Type: semlayer.MetricDerived, Label: x.Label, Expr: x.Expr, Format: x.Format})
		}
		l = &cp
	}
	if len(spec.Metrics) == 0 {
		return nil, fmt.Errorf("a query needs at least one metric (known: %s)", strings.Join(MetricNames(l), ", "))
	}
	c := &compiler{l: l, dialect: dialect, spec: spec, facts: map[string]*factPlan{}, grouped: map[string]bool{}, rowRules: rowRules, priced: priced}
	return c.compile()
}

// grainNotes say how the buckets of a grain are read.
var grainNotes = map[semlayer.Grain]string{
	semlayer.GrainWeek:        "weeks run Monday to Sunday (ISO), each shown by its Monday; the first and last weeks of a range may be partial",
	semlayer.GrainMonthOfYear: "month of the year: 1 is January, 12 December; each month holds that month of every year in the range",
	semlayer.GrainDayOfWeek:   "day of the week (ISO): 1 is Monday, 7 Sunday; each day holds that weekday of every week in the range",
}

// periodsIn is how many periods of grain g the range spans (whole
// months, quarters or years; the days of a range of days).
func periodsIn(r *semlayer.Range, g semlayer.Grain) (int, error) {
	if r == nil {
		return 0, fmt.Errorf("an average per %s needs a time range", strings.ReplaceAll(string(g), "_", " "))
	}
	if g == semlayer.GrainDay {
		return int(r.To.Sub(r.From).Hours()/24 + 0.5), nil
	}
	if g.Recurring() {
		return 0, fmt.Errorf("an average per %s: a recurring grain is not a number of periods", strings.ReplaceAll(string(g), "_", " "))
	}
	if g == semlayer.GrainWeek {
		days := int(r.To.Sub(r.From).Hours()/24 + 0.5)
		if days%7 != 0 {
			return 0, fmt.Errorf("%s is not a whole number of weeks", r.Label)
		}
		return days / 7, nil
	}
	months := monthsBetween(r.From, r.To)
	if r.To.Day() != 1 {
		months++ // a to-date range ends inside its last month
	}
	size := grainMonths(g)
	if size <= 0 || months <= 0 || months%size != 0 && !r.ToDate {
		return 0, fmt.Errorf("%s is not a whole number of %s periods", r.Label, strings.ReplaceAll(string(g), "_", " "))
	}
	return (months + size - 1) / size, nil
}

// MetricNames lists the layer's visible metrics.
func MetricNames(l *semlayer.Layer) []string {
	var out []string
	for _, m := range l.Metrics {
		if !m.Hidden {
			out = append(out, m.Name)
		}
	}
	return out
}

func (c *compiler) compile() (*Compiled, error) {
	// Metrics first: which facts they need.
	metrics := make([]*semlayer.Metric, len(c.spec.Metrics))
	for i, name := range c.spec.Metrics {
		m := c.l.Metric(name)
		if m == nil {
			return nil, fmt.Errorf("unknown metric %q (known: %s)", name, strings.Join(MetricNames(c.l), ", "))
		}
		metrics[i] = m
		if err := c.collectFacts(m, map[string]bool{}); err != nil {
			return nil, err
		}
	}
	if c.spec.Compare == CompareBudget || c.spec.Compare == CompareForecast {
		return nil, fmt.Errorf("compare with a %s: the analytics service runs the spec on the actuals and on the scenario", c.spec.Compare)
	}
	if c.spec.Compare != "" && c.spec.Compare != ComparePriorPeriod && c.spec.Compare != ComparePriorYear && c.spec.Compare != ComparePrevious {
		return nil, fmt.Errorf("compare %q: want prior_period, prior_year or previous", c.spec.Compare)
	}
	// Groups.
	if err := c.resolveGroups(); err != nil {
		return nil, err
	}
	// Metric expressions (this registers the aggregates each needs).
	exprs := make([]d.Expr, len(metrics))
	for i, m := range metrics {
		x, err := c.metricExpr(m, map[string]bool{})
		if err != nil {
			return nil, err
		}
		exprs[i] = x
	}
	if c.spec.Cumulative != "" {
		for i, m := range metrics {
			x, err := c.running(m, exprs[i])
			if err != nil {
				return nil, err
			}
			exprs[i] = x
		}
	}
	if c.currencyGrouped {
		c.notes = append(c.notes, "amounts are shown per currency: the layer has no exchange rates to convert them")
	}
	noted := map[semlayer.Grain]bool{}
	for _, g := range c.groups {
		for _, x := range []semlayer.Grain{g.grain, g.dimGrain} {
			if note := grainNotes[x]; note != "" && !noted[x] {
				noted[x] = true
				c.notes = append(c.notes, note)
			}
		}
	}
	if c.spec.Share && c.currencyByUser {
		for _, m := range metrics {
			if m.Format == "money" {
				return nil, fmt.Errorf("a share of %s by currency needs a total across currencies, and the layer has no exchange rates to convert them", m.Name)
			}
		}
	}
	// Filters.
	if err := c.applyFilters(); err != nil {
		return nil, err
	}
	var ctes []d.CTE
	cur, err := c.result("cur", c.spec.Time, 0, exprs, metrics, &ctes)
	if err != nil {
		return nil, err
	}
	out := &Compiled{Dialect: c.dialect}
	for _, g := range c.groups {
		gr := g.grain
		if g.dimGrain != "" {
			gr = g.dimGrain
		}
		out.Columns = append(out.Columns, Column{Name: g.name, Label: g.label, Kind: KindGroup, Grain: gr, SQL: g.cols})
	}
	final := &d.Select{From: d.Table{Name: d.N(cur), Alias: "c"}}
	for _, g := range c.groups {
		for _, col := range g.cols {
			final.Columns = append(final.Columns, d.As(d.C("c", col), col))
		}
	}
	var cmp string
	if c.spec.Compare != "" {
		rng, shift, err := c.comparison()
		if err != nil {
			return nil, err
		}
		if cmp, err = c.result("cmp", rng, shift, exprs, metrics, &ctes); err != nil {
			return nil, err
		}
		var on []d.Expr
		for _, g := range c.groups {
			for _, col := range g.cols {
				on = append(on, &d.Binary{Op: "IS NOT DISTINCT FROM", L: d.C("c", col), R: d.C("p", col)})
			}
		}
		j := d.Join{Kind: d.LeftJoin, From: d.Table{Name: d.N(cmp), Alias: "p"}, On: d.And(on...)}
		if len(on) == 0 {
			j = d.Join{Kind: d.CrossJoin, From: d.Table{Name: d.N(cmp), Alias: "p"}}
		}
		final.Joins = append(final.Joins, j)
	}
	for i, m := range metrics {
		col := "m" + strconv.Itoa(i+1)
		final.Columns = append(final.Columns, d.As(d.C("c", col), col))
		out.Columns = append(out.Columns, Column{Name: m.Name, Label: label(m), Kind: KindMetric, Metric: m.Name, Format: m.Format, SQL: []string{col}})
		if cmp != "" {
			suffix := "prior_year"
			switch c.spec.Compare {
			case ComparePriorPeriod:
				suffix = "prior_period"
			case ComparePrevious:
				suffix = "previous"
			}
			cur, prv := d.C("c", col), d.C("p", col)
			final.Columns = append(final.Columns,
				d.As(prv, col+"_cmp"),
				d.As(&d.Binary{Op: "-", L: cur, R: prv}, col+"_chg"),
				d.As(&d.Case{Whens: []d.When{{Cond: d.Eq(prv, d.I(0)), Then: d.Null}},
					Else: &d.Binary{Op: "/", L: &d.Binary{Op: "*", L: &d.Cast{X: &d.Paren{X: &d.Binary{Op: "-", L: cur, R: prv}}, Type: mathType}, R: d.I(100)}, R: d.F("ABS", &d.Cast{X: prv, Type: mathType})}}, col+"_pct"))
			out.Columns = append(out.Columns,
				Column{Name: m.Name + "_" + suffix, Label: label(m) + ", " + strings.ReplaceAll(suffix, "_", " "), Kind: KindCompare, Metric: m.Name, Format: m.Format, SQL: []string{col + "_cmp"}},
				Column{Name: m.Name + "_change", Label: "change", Kind: KindChange, Metric: m.Name, Format: m.Format, SQL: []string{col + "_chg"}},
				Column{Name: m.Name + "_change_pct", Label: "change %", Kind: KindChangePct, Metric: m.Name, Format: "percent", SQL: []string{col + "_pct"}})
		}
		if c.spec.Share {
			tot := &d.Over{Func: d.F("SUM", &d.Cast{X: d.C("c", col), Type: mathType})}
			if c.currencyGrouped && m.Format == "money" {
				// Each currency's share of its own total: amounts in
				// different currencies have no common total.
				tot.PartitionBy = []d.Expr{d.C("c", "g_ccy")}
			}
			final.Columns = append(final.Columns, d.As(&d.Binary{Op: "/", L: &d.Binary{Op: "*", L: &d.Cast{X: d.C("c", col), Type: mathType}, R: d.I(100)},
				R: d.F("NULLIF", tot, d.I(0))}, col+"_share"))
			out.Columns = append(out.Columns, Column{Name: m.Name + "_share_pct", Label: label(m) + " share %", Kind: KindShare, Metric: m.Name, Format: "percent", SQL: []string{col + "_share"}})
		}
	}
	ctes = append(ctes, d.CTE{Name: "res", Query: final})
	outer := &d.Select{With: ctes, From: d.Table{Name: d.N("res"), Alias: "x"}, Limit: c.spec.Limit}
	for _, col := range out.Columns {
		for _, s := range col.SQL {
			outer.Columns = append(outer.Columns, d.As(d.C("x", s), s))
		}
	}
	// SkipEmpty: a group without any value in the period is not a row (a
	// period of the spine without rows, a member whose rows are all
	// outside the metrics' lines).
	if c.spec.SkipEmpty && len(c.groups) > 0 {
		var any []d.Expr
		for i := range metrics {
			any = append(any, &d.IsNull{X: d.C("x", "m"+strconv.Itoa(i+1)), Not: true})
		}
		outer.Where = d.And(outer.Where, &d.Paren{X: d.Or(any...)})
	}
	// Thresholds.
	for _, h := range c.spec.Having {
		col, ok := findColumn(out.Columns, h.Metric, metrics)
		if !ok {
			return nil, fmt.Errorf("threshold on %q: not a metric of the query", h.Metric)
		}
		switch h.Op {
		case ">", ">=", "<", "<=", "=", "<>":
		default:
			return nil, fmt.Errorf("threshold operator %q: want > >= < <= = <>", h.Op)
		}
		v, err := hierarchy.ParseAmount(h.Value)
		if err != nil {
			return nil, fmt.Errorf("threshold value %q: %w", h.Value, err)
		}
		outer.Where = d.And(outer.Where, &d.Binary{Op: h.Op, L: d.C("x", col), R: d.DecimalLit(v.String())})
	}
	if c.spec.Count != nil {
		return c.countGroups(out, outer, ctes)
	}
	// Order: as asked, then by the groups.
	for _, o := range c.spec.OrderBy {
		var cols []string
		for _, col := range out.Columns {
			if strings.EqualFold(col.Name, o.Key) {
				cols = col.SQL
				break
			}
		}
		if cols == nil {
			return nil, fmt.Errorf("order by %q: not a metric or group of the query", o.Key)
		}
		for _, s := range cols {
			outer.OrderBy = append(outer.OrderBy, d.Order{Expr: nullsLast(d.C("x", s), o.Desc, c.dialect), Desc: o.Desc})
			outer.OrderBy = append(outer.OrderBy, d.Order{Expr: d.C("x", s), Desc: o.Desc})
		}
	}
	for _, g := range c.groups {
		for _, s := range g.cols {
			outer.OrderBy = append(outer.OrderBy, d.Order{Expr: d.C("x", s)})
		}
	}
	// Rankings within groups: each value of the RankWithin groups, and
	// each currency (amounts in different currencies are ranked apart):
	// those first, the top N of each.
	var within []d.Expr
	for _, name := range c.spec.RankWithin {
		found := false
		for _, g := range c.groups {
			if strings.EqualFold(g.name, name) { // a dimension's name, or a grain
				for _, col := range g.cols {
					within = append(within, d.C("x", col))
				}
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("rank within %q: not a group of the query", name)
		}
	}
	if c.currencyGrouped {
		within = append(within, d.C("x", "g_ccy"))
	}
	if len(within) > 0 && len(c.spec.OrderBy) > 0 {
		rankOrder := outer.OrderBy
		var first []d.Order
		for _, w := range within {
			first = append(first, d.Order{Expr: w})
		}
		outer.OrderBy = append(first, rankOrder...)
		if c.spec.Limit > 0 {
			ranked := &d.Select{Columns: append(append([]d.SelectItem{}, outer.Columns...),
				d.As(&d.Over{Func: d.F("ROW_NUMBER"), PartitionBy: within, OrderBy: rankOrder}, "rn")),
				From: outer.From, Where: outer.Where}
			ctes = append(ctes, d.CTE{Name: "ranked", Query: ranked})
			outer.With = ctes
			outer.From = d.Table{Name: d.N("ranked"), Alias: "x"}
			outer.Where = &d.Binary{Op: "<=", L: d.C("x", "rn"), R: d.I(int64(c.spec.Limit))}
			outer.Limit = 0
		}
	}
	sqlText, err := d.RenderQuery(c.dialect, outer)
	if err != nil {
		return nil, err
	}
	out.SQL = sqlText
	out.Notes = c.notes
	return out, nil
}

// nullsLast sorts NULLs after values in either direction, on every
// engine: a 0/1 key first.
func nullsLast(x d.Expr, desc bool, _ string) d.Expr {
	if desc {
		return &d.Case{Whens: []d.When{{Cond: &d.IsNull{X: x}, Then: d.I(0)}}, Else: d.I(1)}
	}
	return &d.Case{Whens: []d.When{{Cond: &d.IsNull{X: x}, Then: d.I(1)}}, Else: d.I(0)}
}

func findColumn(cols []Column, metric string, _ []*semlayer.Metric) (string, bool) {
	for _, c := range cols {
		if c.Kind == KindMetric && strings.EqualFold(c.Metric, metric) {
			return c.SQL[0], true
		}
	}
	return "", false
}

func label(m *semlayer.Metric) string {
	if m.Label != "" {
		return m.Label
	}
	return strings.ReplaceAll(m.Name, "_", " ")
}

// collectFacts registers the facts a metric reads.
func (c *compiler) collectFacts(m *semlayer.Metric, seen map[string]bool) error {
	if seen[strings.ToLower(m.Name)] {
		return fmt.Errorf("metric %s refers to itself", m.Name)
	}
	seen[strings.ToLower(m.Name)] = true
	defer delete(seen, strings.ToLower(m.Name))
	switch m.Type {
	case semlayer.MetricSimple, semlayer.MetricCumulative, semlayer.MetricHierarchy:
		fm := c.l.Model(m.Model)
		if fm == nil {
			return fmt.Errorf("metric %s: unknown model %q", m.Name, m.Model)
		}
		if _, ok := c.facts[strings.ToLower(fm.Name)]; !ok {
			if c.spec.Dated != "" {
				var err error
				if fm, err = datedBy(fm, c.spec.Dated); err != nil {
					return err
				}
			}
			n := len(c.order) + 1
			c.facts[strings.ToLower(fm.Name)] = &factPlan{m: fm, cte: "f" + strconv.Itoa(n), alias: "t", joined: map[string]string{strings.ToLower(fm.Name): "t"},
				aggIdx: map[string]string{}, maps: map[string]string{}}
			c.order = append(c.order, strings.ToLower(fm.Name))
		}
		if m.Type == semlayer.MetricHierarchy && m.Formula != "" {
			return c.formulaRefs(m, func(r *semlayer.Metric) error { return c.collectFacts(r, seen) })
		}
	case semlayer.MetricRatio:
		for _, r := range []string{m.Numerator, m.Denominator} {
			x := c.l.Metric(r)
			if x == nil {
				return fmt.Errorf("metric %s: unknown metric %q", m.Name, r)
			}
			if err := c.collectFacts(x, seen); err != nil {
				return err
			}
		}
	case semlayer.MetricDerived:
		e, err := hierarchy.ParseFormula(m.Expr)
		if err != nil {
			return fmt.Errorf("metric %s: %w", m.Name, err)
		}
		for _, r := range e.Refs() {
			x, _, err := c.input(m, r)
			if err != nil {
				return err
			}
			if err := c.collectFacts(x, seen); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("metric %s: unknown type %q", m.Name, m.Type)
	}
	return nil
}

// formulaRefs calls fn with each hierarchy line a formula line refers to.
func (c *compiler) formulaRefs(m *semlayer.Metric, fn func(*semlayer.Metric) error) error {
	e, err := hierarchy.ParseFormula(m.Formula)
	if err != nil {
		return fmt.Errorf("metric %s: %w", m.Name, err)
	}
	for _, r := range e.Refs() {
		x := c.lineMetric(m.Hierarchy, r)
		if x == nil {
			return fmt.Errorf("metric %s: its formula refers to line %s of %s, which has no metric", m.Name, r, m.Hierarchy)
		}
		if err := fn(x); err != nil {
			return err
		}
	}
	return nil
}

// lineMetric is the metric of a hierarchy line.
func (c *compiler) lineMetric(h, node string) *semlayer.Metric {
	for _, m := range c.l.Metrics {
		if m.Type == semlayer.MetricHierarchy && strings.EqualFold(m.Hierarchy, h) && m.Node == node {
			return m
		}
	}
	return nil
}

// resolveGroups turns the spec's group-bys into groups and checks every
// fact can reach them many-to-one.
func (c *compiler) resolveGroups() error {
	for i, gb := range c.spec.GroupBy {
		col := "g" + strconv.Itoa(i+1)
		if gb.Grain != "" && gb.Dimension != "" {
			// A grain of a dimension's own date ("revenue by the year
			// the account signed up"): a group of the members' dates,
			// not of the facts' time — unless it is a fact's own time.
			m, dim, err := c.l.FindDimension(gb.Dimension)
			if err != nil {
				return err
			}
			if dim.Type != "time" {
				return fmt.Errorf("%s is no date: it has no %s", gb.Dimension, gb.Grain)
			}
			_, queried := c.facts[strings.ToLower(m.Name)]
			if !(queried && strings.EqualFold(m.TimeColumn, dim.Column)) {
				g := &group{name: gb.Dimension + "_" + string(gb.Grain), label: dimLabel(dim) + " " + strings.ReplaceAll(string(gb.Grain), "_", " "),
					model: m.Name, dim: dim, dimGrain: gb.Grain}
				switch gb.Grain {
				case semlayer.GrainDay, semlayer.GrainWeek, semlayer.GrainFiscalYear, semlayer.GrainYear, semlayer.GrainMonthOfYear, semlayer.GrainDayOfWeek:
					g.cols = []string{col}
				case semlayer.GrainMonth, semlayer.GrainFiscalQuarter:
					g.cols = []string{col, col + "_2"}
				default:
					return fmt.Errorf("time grain %q: want day, week, month, fiscal_quarter, fiscal_year, year, month_of_year or day_of_week", gb.Grain)
				}
				key := "dimgrain:" + strings.ToLower(m.Name+"."+dim.Name) + ":" + string(gb.Grain)
				if c.grouped[key] {
					continue
				}
				c.grouped[key] = true
				c.groups = append(c.groups, g)
				continue
			}
		}
		if gb.Grain != "" {
			g := &group{name: string(gb.Grain), label: strings.ReplaceAll(string(gb.Grain), "_", " "), grain: gb.Grain}
			switch gb.Grain {
			case semlayer.GrainDay, semlayer.GrainWeek, semlayer.GrainFiscalYear, semlayer.GrainYear, semlayer.GrainMonthOfYear, semlayer.GrainDayOfWeek:
				g.cols = []string{col}
			case semlayer.GrainMonth, semlayer.GrainFiscalQuarter:
				g.cols = []string{col, col + "_2"}
			default:
				return fmt.Errorf("time grain %q: want day, week, month, fiscal_quarter, fiscal_year, year, month_of_year or day_of_week", gb.Grain)
			}
			for _, k := range c.order {
				if c.facts[k].m.TimeColumn == "" {
					return fmt.Errorf("%s has no time column to group by %s", c.facts[k].m.Name, gb.Grain)
				}
			}
			if c.grouped["grain:"+string(gb.Grain)] {
				continue
			}
			c.grouped["grain:"+string(gb.Grain)] = true
			c.groups = append(c.groups, g)
			continue
		}
		m, dim, err := c.l.FindDimension(gb.Dimension)
		if err != nil {
			return err
		}
		key := "dim:" + strings.ToLower(m.Name+"."+dim.Name)
		if c.grouped[key] {
			continue
		}
		c.grouped[key] = true
		c.groups = append(c.groups, &group{name: gb.Dimension, label: dimLabel(dim), cols: []string{col}, model: m.Name, dim: dim})
	}
	// Money in several currencies without rates: group by currency.
	if c.l.Currency != nil && c.l.Currency.Rates == nil {
		for _, k := range c.order {
			fp := c.facts[k]
			cm := CurrencyModel(c.l, fp.m)
			if cm == nil || !c.usesMoney(fp.m) {
				continue
			}
			dim := cm.Dimension(strings.ToLower(cm.CurrencyColumn))
			if dim == nil {
				for _, x := range cm.Dimensions {
					if strings.EqualFold(x.Column, cm.CurrencyColumn) {
						dim = x
					}
				}
			}
			if dim == nil {
				continue
			}
			already := false
			for _, g := range c.groups {
				if g.dim != nil && strings.EqualFold(g.dim.Column, cm.CurrencyColumn) {
					already = true
				}
			}
			if !already {
				c.groups = append(c.groups, &group{name: "currency", label: "currency", cols: []string{"g_ccy"}, model: cm.Name, dim: dim, hidden: true})
				c.currencyGrouped = true
			} else {
				c.currencyByUser = true
			}
			break
		}
	}
	// A fact holding several scenarios (Budget and Actual rows): their
	// rows are never added together. Unless the spec (or every metric of
	// the fact) filters or groups by the scenario, it is a group.
	for _, k := range c.order {
		fp := c.facts[k]
		dim := scenarioDim(fp.m)
		if dim == nil || c.scenarioScoped(fp.m, dim) {
			continue
		}
		key := "dim:" + strings.ToLower(fp.m.Name+"."+dim.Name)
		if c.grouped[key] {
			continue
		}
		for _, o := range c.order {
			if other := c.facts[o].m; !c.l.Reaches(other.Name, fp.m.Name) {
				return fmt.Errorf("%s holds several scenarios (%s) that must not be added together, and %s has none: query them apart, or filter %s", fp.m.Name, dimLabel(dim), other.Name, dim.Name)
			}
		}
		c.grouped[key] = true
		c.groups = append(c.groups, &group{name: dim.Name, label: dimLabel(dim), cols: []string{"g_scn" + strconv.Itoa(len(c.groups))}, model: fp.m.Name, dim: dim})
		c.notes = append(c.notes, fmt.Sprintf("%s holds several scenarios: shown by %s, never added together", fp.m.Name, dimLabel(dim)))
	}
	return nil
}

// scenarioDim is the dimension of a model's scenario column, nil when it
// has none.
func scenarioDim(m *semlayer.Model) *semlayer.Dimension {
	if m.ScenarioColumn == "" {
		return nil
	}
	for _, x := range m.Dimensions {
		if strings.EqualFold(x.Column, m.ScenarioColumn) {
			return x
		}
	}
	return nil
}

// scenarioScoped says a query keeps a fact's scenarios apart by itself:
// it groups or filters by the scenario column, or each of its metrics
// over the fact's rows has a filter on it.
func (c *compiler) scenarioScoped(m *semlayer.Model, dim *semlayer.Dimension) bool {
	names := []string{strings.ToLower(dim.Name), strings.ToLower(dim.Column)}
	mentions := func(expr string) bool {
		for _, w := range strings.FieldsFunc(strings.ToLower(expr), func(r rune) bool { return !(r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)) }) {
			if i := strings.LastIndex(w, "."); i >= 0 {
				w = w[i+1:]
			}
			if slices.Contains(names, w) {
				return true
			}
		}
		return false
	}
	same := func(name string) bool {
		fm, fd, err := c.l.FindDimension(name)
		return err == nil && strings.EqualFold(fm.Name, m.Name) && strings.EqualFold(fd.Column, dim.Column)
	}
	for _, gb := range c.spec.GroupBy {
		if gb.Grain == "" && same(gb.Dimension) {
			return true
		}
	}
	for _, f := range c.spec.Filters {
		if same(f.Dimension) {
			return true
		}
	}
	if c.spec.Where != "" && mentions(c.spec.Where) {
		return true
	}
	// Every simple metric of the fact the spec reaches has a filter on it.
	leaves, all := 0, true
	var walk func(x *semlayer.Metric, depth int)
	walk = func(x *semlayer.Metric, depth int) {
		if x == nil || depth > 8 {
			return
		}
		switch x.Type {
		case semlayer.MetricRatio:
			walk(c.l.Metric(x.Numerator), depth+1)
			walk(c.l.Metric(x.Denominator), depth+1)
		case semlayer.MetricDerived:
			if e, err := hierarchy.ParseFormula(x.Expr); err == nil {
				for _, r := range e.Refs() {
					if in, _, err := c.input(x, r); err == nil {
						walk(in, depth+1)
					}
				}
			}
		default:
			if strings.EqualFold(x.Model, m.Name) {
				leaves++
				all = all && mentions(x.Filter)
			}
		}
	}
	for _, name := range c.spec.Metrics {
		walk(c.l.Metric(name), 0)
	}
	return leaves > 0 && all
}

// CurrencyModel is the model whose currency column says the currency of
// a fact's amounts: the fact itself, or the fact it references (a
// payment is in its invoice's currency); nil when none.
func CurrencyModel(l *semlayer.Layer, m *semlayer.Model) *semlayer.Model {
	if m.CurrencyColumn != "" {
		return m
	}
	for _, e := range m.Entities {
		if e.Type != "foreign" {
			continue
		}
		if r := l.RefModel(e); r != nil && r.Role == "fact" && r.CurrencyColumn != "" {
			return r
		}
	}
	return nil
}

func (c *compiler) usesMoney(m *semlayer.Model) bool {
	for _, name := range c.spec.Metrics {
		if c.moneyIn(c.l.Metric(name), 0) {
			return true
		}
	}
	return false
}

// moneyIn says whether a metric is money or is made of money (a ratio of
// two amounts, a share in percent, a formula): amounts of several
// currencies divided by each other are no more comparable than added.
func (c *compiler) moneyIn(x *semlayer.Metric, depth int) bool {
	if x == nil || depth > 8 {
		return false
	}
	if x.Format == "money" {
		return true
	}
	switch x.Type {
	case semlayer.MetricRatio:
		return c.moneyIn(c.l.Metric(x.Numerator), depth+1) || c.moneyIn(c.l.Metric(x.Denominator), depth+1)
	case semlayer.MetricDerived:
		e, err := hierarchy.ParseFormula(x.Expr)
		if err != nil {
			return false
		}
		for _, r := range e.Refs() {
			in, _, err := c.input(x, r)
			if err == nil && c.moneyIn(in, depth+1) {
				return true
			}
		}
	}
	return false
}

func dimLabel(x *semlayer.Dimension) string {
	if x.Label != "" {
		return x.Label
	}
	return strings.ReplaceAll(x.Name, "_", " ")
}

// join makes sure fp joins model target (many-to-one) and returns its
// alias.
func (c *compiler) join(fp *factPlan, target string) (string, error) {
	if a, ok := fp.joined[strings.ToLower(target)]; ok {
		return a, nil
	}
	// Breadth-first over foreign entities, many-to-one only, at most
	// semlayer.MaxJoinHops joins.
	type step struct {
		from  string // alias
		model *semlayer.Model
		path  []d.Join
		alias []string
		names []string
	}
	start := step{from: fp.alias, model: fp.m}
	queue := []step{start}
	var found *step
	var ambiguous []string
	for depth := 0; depth < semlayer.MaxJoinHops && len(queue) > 0; depth++ {
		var next []step
		for _, s := range queue {
			for _, e := range s.model.Entities {
				if e.Type != "foreign" {
					continue
				}
				ref := c.l.RefModel(e)
				if ref == nil {
					continue
				}
				pe := ref.PrimaryEntity()
				refCol := e.RefColumn
				if refCol == "" {
					if pe == nil {
						continue
					}
					refCol = pe.Column
				}
				fp.n++
				alias := "j" + strconv.Itoa(fp.n)
				on := []d.Expr{d.Eq(d.C(s.from, e.Column), d.C(alias, refCol))}
				for _, k := range e.CompositeKeys {
					on = append(on, d.Eq(d.C(s.from, k.Fact), d.C(alias, k.Other)))
				}
				if e.CurrentColumn != "" {
					on = append(on, d.Eq(d.C(alias, e.CurrentColumn), d.I(1)))
				}
				j := d.Join{Kind: d.LeftJoin, From: d.Table{Name: d.Name{Schema: ref.Schema, Name: ref.Table}, Alias: alias}, On: d.And(on...)}
				ns := step{from: alias, model: ref, path: append(append([]d.Join{}, s.path...), j), alias: append(append([]string{}, s.alias...), alias),
					names: append(append([]string{}, s.names...), ref.Name)}
				if strings.EqualFold(ref.Name, target) {
					if found == nil {
						found = &ns
					} else if len(ns.path) == len(found.path) {
						ambiguous = append(ambiguous, e.Name)
					}
					continue
				}
				next = append(next, ns)
			}
		}
		if found != nil {
			break
		}
		queue = next
	}
	if found == nil {
		return "", fmt.Errorf("%s cannot be grouped or filtered by %s: no many-to-one path from %s to %s", fp.m.Name, target, fp.m.Name, target)
	}
	if len(ambiguous) > 0 {
		c.notes = append(c.notes, fmt.Sprintf("%s reaches %s more than one way; the first key was used", fp.m.Name, target))
	}
	// Reuse joins already made along the path.
	prev := fp.alias
	for i, j := range found.path {
		name := strings.ToLower(found.names[i])
		if a, ok := fp.joined[name]; ok {
			prev = a
			continue
		}
		// Rewrite the join's left alias to the actual previous alias.
		j.On = realias(j.On, found.alias, i, prev)
		fp.joins = append(fp.joins, j)
		fp.joined[name] = found.alias[i]
		prev = found.alias[i]
	}
	return fp.joined[strings.ToLower(target)], nil
}

// realias replaces the previous step's alias (found.alias[i-1], or the
// fact's) in a join condition by prev.
func realias(e d.Expr, aliases []string, i int, prev string) d.Expr {
	old := "t"
	if i > 0 {
		old = aliases[i-1]
	}
	if old == prev {
		return e
	}
	return mapCols(e, func(col d.Col) d.Expr {
		if col.Table == old {
			col.Table = prev
		}
		return col
	})
}

// mapCols rewrites the columns of a condition tree built by the compiler
// or the filter parser.
func mapCols(e d.Expr, fn func(d.Col) d.Expr) d.Expr {
	switch x := e.(type) {
	case d.Col:
		return fn(x)
	case *d.Binary:
		return &d.Binary{Op: x.Op, L: mapCols(x.L, fn), R: mapCols(x.R, fn)}
	case *d.Unary:
		return &d.Unary{Op: x.Op, X: mapCols(x.X, fn)}
	case *d.Paren:
		return &d.Paren{X: mapCols(x.X, fn)}
	case *d.IsNull:
		return &d.IsNull{X: mapCols(x.X, fn), Not: x.Not}
	case *d.Between:
		return &d.Between{X: mapCols(x.X, fn), Lo: mapCols(x.Lo, fn), Hi: mapCols(x.Hi, fn), Not: x.Not, Binary: x.Binary}
	case *d.In:
		out := &d.In{X: mapCols(x.X, fn), Not: x.Not}
		for _, v := range x.List {
			out.List = append(out.List, mapCols(v, fn))
		}
		return out
	case *d.Like:
		return &d.Like{X: mapCols(x.X, fn), Pattern: mapCols(x.Pattern, fn), Escape: x.Escape, Binary: x.Binary, Classes: x.Classes}
	case *d.Cast:
		return &d.Cast{X: mapCols(x.X, fn), Type: x.Type}
	case *d.Func:
		out := &d.Func{Name: x.Name, Distinct: x.Distinct}
		for _, a := range x.Args {
			out.Args = append(out.Args, mapCols(a, fn))
		}
		return out
	}
	return e
}

// datedBy is a copy of fact m dated by its time dimension named dim
// (Spec.Dated) instead of its time column.
func datedBy(m *semlayer.Model, dim string) (*semlayer.Model, error) {
	name := dim
	if i := strings.LastIndex(dim, "."); i >= 0 {
		if !strings.EqualFold(dim[:i], m.Name) {
			return nil, fmt.Errorf("%s is not a date of %s", dim, m.Name)
		}
		name = dim[i+1:]
	}
	for _, d := range m.Dimensions {
		if strings.EqualFold(d.Name, name) {
			if d.Type != "time" {
				return nil, fmt.Errorf("%s of %s is not a date", d.Name, m.Name)
			}
			cp := *m
			cp.TimeColumn, cp.TimeVia = d.Column, ""
			return &cp, nil
		}
	}
	return nil, fmt.Errorf("%s has no date %s to be dated by", m.Name, dim)
}

// timeCol is a fact's time column as a date: its own, or its header's
// (TimeVia, joined by timeJoin before the fact's joins are used).
func (c *compiler) timeCol(fp *factPlan) d.Expr {
	alias, m := fp.alias, fp.m
	if fp.m.TimeVia != "" {
		alias, m = fp.joined[strings.ToLower(fp.m.TimeVia)], c.l.Model(fp.m.TimeVia)
	}
	return asDate(d.C(alias, fp.m.TimeColumn), m, fp.m.TimeColumn)
}

// asDate is the value x of model m's time column as a date: a date
// cast, a month written as text ("2025-03") as its first day.
func asDate(x d.Expr, m *semlayer.Model, column string) d.Expr {
	if m != nil {
		for _, dim := range m.Dimensions {
			if strings.EqualFold(dim.Column, column) && dim.DateText == semlayer.DateTextYearMonth {
				return &d.Cast{X: d.F("CONCAT", x, d.S("-01")), Type: d.Date}
			}
		}
	}
	return &d.Cast{X: x, Type: d.Date}
}

// timeJoin joins the model that dates fp's rows, when they are dated by
// another model's date (order lines by their order).
func (c *compiler) timeJoin(fp *factPlan) error {
	if fp.m.TimeVia == "" {
		return nil
	}
	_, err := c.join(fp, fp.m.TimeVia)
	return err
}

// groupExprs are a group's SQL expressions in fact fp.
func (c *compiler) groupExprs(fp *factPlan, g *group) ([]d.Expr, error) {
	if g.grain != "" {
		if err := c.timeJoin(fp); err != nil {
			return nil, err
		}
		if xs := c.grainExprs(c.timeCol(fp), g.grain); xs != nil {
			return xs, nil
		}
	}
	if g.dimGrain != "" {
		alias, err := c.join(fp, g.model)
		if err != nil {
			return nil, err
		}
		return c.grainExprs(asDate(d.C(alias, g.dim.Column), c.l.Model(g.model), g.dim.Column), g.dimGrain), nil
	}
	// The currency the compiler groups by is each fact's own currency
	// column (a fact without one takes it from a model it reaches).
	if g.hidden && fp.m.CurrencyColumn != "" {
		return []d.Expr{d.C(fp.alias, fp.m.CurrencyColumn)}, nil
	}
	alias, err := c.join(fp, g.model)
	if err != nil {
		return nil, err
	}
	return []d.Expr{d.C(alias, g.dim.Column)}, nil
}

// grainExprs are the expressions of a date's bucket of grain g.
func (c *compiler) grainExprs(t d.Expr, g semlayer.Grain) []d.Expr {
	cal := c.l.Calendar
	switch g {
	case semlayer.GrainDay:
		return []d.Expr{t}
	case semlayer.GrainWeek:
		return []d.Expr{&d.WeekStart{X: t}}
	case semlayer.GrainMonth:
		return []d.Expr{&d.DatePart{Part: "YEAR", X: t}, &d.DatePart{Part: "MONTH", X: t}}
	case semlayer.GrainFiscalQuarter:
		return []d.Expr{cal.YearExpr(t), cal.QuarterExpr(t)}
	case semlayer.GrainFiscalYear:
		return []d.Expr{cal.YearExpr(t)}
	case semlayer.GrainYear:
		return []d.Expr{&d.DatePart{Part: "YEAR", X: t}}
	case semlayer.GrainMonthOfYear:
		return []d.Expr{&d.DatePart{Part: "MONTH", X: t}}
	case semlayer.GrainDayOfWeek:
		return []d.Expr{&d.DayOfWeek{X: t}}
	}
	return nil
}

// agg registers an aggregate in fact fp and returns its column.
func (fp *factPlan) agg(key string, x d.Expr) string {
	if col, ok := fp.aggIdx[key]; ok {
		return col
	}
	col := "b" + strconv.Itoa(len(fp.aggs)+1)
	fp.aggs = append(fp.aggs, d.As(x, col))
	fp.aggIdx[key] = col
	return col
}

// money converts a money value expression of fp to the reporting
// currency where the layer has rates.
func (c *compiler) money(fp *factPlan, x d.Expr) (d.Expr, error) {
	if c.l.Currency == nil || c.l.Currency.Rates == nil || fp.m.CurrencyColumn == "" {
		return x, nil
	}
	r := c.l.Currency.Rates
	if fp.rates == "" {
		fp.rates = "fx"
		var on []d.Expr
		for _, k := range r.Keys {
			fc := k.Fact
			if fc == "<currency>" {
				fc = fp.m.CurrencyColumn
			}
			on = append(on, d.Eq(d.C(fp.alias, fc), d.C("fx", k.Other)))
		}
		fp.joins = append(fp.joins, d.Join{Kind: d.LeftJoin, From: d.Table{Name: d.Name{Schema: r.Schema, Name: r.Table}, Alias: "fx"}, On: d.And(on...)})
		note := fmt.Sprintf("amounts converted to %s with %s.%s", c.l.Currency.Reporting, r.Table, r.RateColumn)
		if !slices.Contains(c.notes, note) {
			c.notes = append(c.notes, note)
		}
	}
	return &d.Binary{Op: "*", L: x, R: d.C("fx", r.RateColumn)}, nil
}

// measureAgg is a measure's aggregate column in its fact.
func (c *compiler) measureAgg(m *semlayer.Metric) (string, *factPlan, error) {
	fp := c.facts[strings.ToLower(m.Model)]
	ms := fp.m.Measure(m.Measure)
	if ms == nil {
		return "", nil, fmt.Errorf("metric %s: model %s has no measure %q", m.Name, m.Model, m.Measure)
	}
	var val d.Expr = d.C(fp.alias, ms.Column)
	if ms.Times != "" {
		// A line's quantity times its unit price.
		val = &d.Binary{Op: "*", L: &d.Cast{X: val, Type: exactType}, R: &d.Cast{X: d.C(fp.alias, ms.Times), Type: exactType}}
		if ms.Discount != "" {
			// Less the line's discount rate (none when missing).
			rate := d.F("COALESCE", &d.Cast{X: d.C(fp.alias, ms.Discount), Type: exactType}, d.I(0))
			val = &d.Binary{Op: "*", L: val, R: &d.Binary{Op: "-", L: d.I(1), R: rate}}
		}
	}
	var cond d.Expr
	pricedKey := ""
	if attr, ok := c.priced[strings.ToLower(m.Name)]; ok {
		am, dim, err := c.l.FindDimension(attr)
		if err != nil {
			return "", nil, err
		}
		alias, err := c.join(fp, am.Name)
		if err != nil {
			return "", nil, fmt.Errorf("metric %s: %w", m.Name, err)
		}
		attrVal := &d.Cast{X: d.C(alias, dim.Column), Type: exactType}
		if ms.Agg == semlayer.AggCount {
			// A count of rows priced: the sum of the attribute over
			// them (the list prices of the products counted).
			ms = &semlayer.Measure{Name: ms.Name, Column: dim.Column, Agg: semlayer.AggSum}
			val = attrVal
		} else {
			val = &d.Binary{Op: "*", L: val, R: attrVal}
		}
		pricedKey = "|times:" + strings.ToLower(am.Name+"."+dim.Name)
	}
	if m.Filter != "" {
		e, err := c.filterExpr(fp, m.Filter)
		if err != nil {
			return "", nil, fmt.Errorf("metric %s filter: %w", m.Name, err)
		}
		cond = e
	}
	key := "measure:" + ms.Name + "|" + m.Filter + pricedKey
	if r, ok := c.rowRules[strings.ToLower(m.Name)]; ok {
		e, k, err := c.rowRule(fp, ms, r)
		if err != nil {
			return "", nil, fmt.Errorf("metric %s: %w", m.Name, err)
		}
		cond = d.And(cond, e)
		key += "|" + k
	}
	if m.Rows != "" {
		// Only the rows of another metric of the fact.
		e, err := c.rowsOf(fp, m)
		if err != nil {
			return "", nil, err
		}
		cond = d.And(cond, e)
		key += "|rows:" + strings.ToLower(m.Rows)
	}
	var x d.Expr
	switch ms.Agg {
	case semlayer.AggCount:
		if ms.Column == "*" || ms.Column == "" {
			val = d.I(1)
		}
		if cond != nil {
			val = &d.Case{Whens: []d.When{{Cond: cond, Then: val}}}
		}
		x = d.F("COUNT", val)
		if ms.Column == "*" && cond == nil {
			x = d.F("COUNT", d.Star{})
		}
	case semlayer.AggCountDistinct:
		if cond != nil {
			val = &d.Case{Whens: []d.When{{Cond: cond, Then: val}}}
		}
		x = &d.Func{Name: "COUNT", Args: []d.Expr{val}, Distinct: true}
	default:
		if ms.Money {
			v, err := c.money(fp, val)
			if err != nil {
				return "", nil, err
			}
			val = v
		}
		if na := ms.NonAdditive; na != nil {
			// A stock: only the rows at the bucket's last (first) time.
			if fp.m.TimeColumn == "" || fp.m.TimeVia != "" {
				return "", nil, fmt.Errorf("measure %s is non-additive over time, and %s has no time column of its own", ms.Name, fp.m.Name)
			}
			edge := "t_last"
			if na.Time == semlayer.TimeFirst {
				edge = "t_first"
			}
			fp.edges = true
			key += "|" + edge
			cond = d.And(cond, d.Eq(c.timeCol(fp), d.C("lt", edge)))
		}
		if cond != nil {
			val = &d.Case{Whens: []d.When{{Cond: cond, Then: val}}}
		}
		fn := map[string]string{semlayer.AggSum: "SUM", semlayer.AggAverage: "AVG", semlayer.AggMin: "MIN", semlayer.AggMax: "MAX"}[ms.Agg]
		if fn == "" {
			return "", nil, fmt.Errorf("measure %s: aggregation %q", ms.Name, ms.Agg)
		}
		if fn == "AVG" {
			x = d.F("AVG", &d.Cast{X: val, Type: mathType})
		} else if fn == "SUM" {
			x = &d.Cast{X: d.F("SUM", val), Type: exactType}
		} else {
			x = d.F(fn, val)
		}
	}
	return fp.agg(key, x), fp, nil
}

// rowRule is the condition of a restricted metric's First or Without on
// the rows of fact fp, and its aggregate key. Each joins fp to a derived
// table of one row per key (many-to-one, no fan-out): First, the first
// day of each counted thing; Without, the keys the other model
// references.
func (c *compiler) rowRule(fp *factPlan, ms *semlayer.Measure, r Restricted) (d.Expr, string, error) {
	if r.First {
		// Each counted thing at its first rows: its rows on the first
		// day it has in the whole fact.
		if ms.Agg != semlayer.AggCountDistinct || ms.Column == "" || ms.Column == "*" {
			return nil, "", fmt.Errorf("first rows of %s: only a distinct count has a thing to find the first row of", ms.Name)
		}
		if fp.m.TimeColumn == "" || fp.m.TimeVia != "" {
			return nil, "", fmt.Errorf("first rows: %s has no time column of its own", fp.m.Name)
		}
		key := "first:" + strings.ToLower(ms.Column)
		alias, ok := fp.joined[key]
		if !ok {
			fp.n++
			alias = "j" + strconv.Itoa(fp.n)
			firsts := &d.Select{Columns: []d.SelectItem{d.As(d.C(ms.Column), "k1"), d.As(d.F("MIN", asDate(d.C(fp.m.TimeColumn), fp.m, fp.m.TimeColumn)), "first_day")},
				From: d.Table{Name: d.Name{Schema: fp.m.Schema, Name: fp.m.Table}}, GroupBy: []d.Expr{d.C(ms.Column)}}
			fp.joins = append(fp.joins, d.Join{Kind: d.LeftJoin, From: d.Subquery{Query: firsts, Alias: alias}, On: d.Eq(d.C(alias, "k1"), d.C(fp.alias, ms.Column))})
			fp.joined[key] = alias
		}
		return d.Eq(c.timeCol(fp), d.C(alias, "first_day")), key, nil
	}
	other := c.l.Model(r.Without)
	if other == nil {
		return nil, "", fmt.Errorf("without %q: no such model", r.Without)
	}
	var ent *semlayer.Entity
	for _, e := range other.Entities {
		if e.Type == "foreign" && c.l.RefModel(e) == fp.m {
			if ent != nil {
				return nil, "", fmt.Errorf("%s references %s more than one way", other.Name, fp.m.Name)
			}
			ent = e
		}
	}
	if ent == nil {
		return nil, "", fmt.Errorf("no row of %s references %s", other.Name, fp.m.Name)
	}
	refCol := ent.RefColumn
	if refCol == "" {
		pe := fp.m.PrimaryEntity()
		if pe == nil {
			return nil, "", fmt.Errorf("%s has no key %s references", fp.m.Name, other.Name)
		}
		refCol = pe.Column
	}
	key := "without:" + strings.ToLower(other.Name)
	alias, ok := fp.joined[key]
	if !ok {
		fp.n++
		alias = "j" + strconv.Itoa(fp.n)
		refs := &d.Select{Distinct: true, Columns: []d.SelectItem{d.As(d.C(ent.Column), "k1")},
			From: d.Table{Name: d.Name{Schema: other.Schema, Name: other.Table}}, Where: &d.IsNull{X: d.C(ent.Column), Not: true}}
		on := []d.Expr{d.Eq(d.C(alias, "k1"), d.C(fp.alias, refCol))}
		for i, k := range ent.CompositeKeys {
			col := "k" + strconv.Itoa(i+2)
			refs.Columns = append(refs.Columns, d.As(d.C(k.Fact), col))
			on = append(on, d.Eq(d.C(alias, col), d.C(fp.alias, k.Other)))
		}
		fp.joins = append(fp.joins, d.Join{Kind: d.LeftJoin, From: d.Subquery{Query: refs, Alias: alias}, On: d.And(on...)})
		fp.joined[key] = alias
	}
	return &d.IsNull{X: d.C(alias, "k1")}, key, nil
}

// lineAgg is a hierarchy line's raw amount column (natural signs).
func (c *compiler) lineAgg(m *semlayer.Metric) (string, *factPlan, error) {
	fp := c.facts[strings.ToLower(m.Model)]
	var hb *semlayer.HierarchyBinding
	for _, b := range fp.m.Hierarchies {
		if strings.EqualFold(b.Hierarchy, m.Hierarchy) {
			hb = b
		}
	}
	if hb == nil {
		return "", nil, fmt.Errorf("metric %s: %s is not bound to hierarchy %s", m.Name, fp.m.Name, m.Hierarchy)
	}
	alias := c.mapping(fp, hb)
	// Leaves grouped by sign, in a stable order.
	bySign := map[int][]string{}
	for leaf, s := range m.Leaves {
		bySign[s] = append(bySign[s], leaf)
	}
	var whens []d.When
	for _, s := range []int{1, -1, 0} {
		leaves := bySign[s]
		if len(leaves) == 0 {
			continue
		}
		sort.Strings(leaves)
		var list []d.Expr
		for _, lf := range leaves {
			list = append(list, d.S(lf))
		}
		whens = append(whens, d.When{Cond: &d.In{X: d.C(alias, "LEAF_CODE"), List: list}, Then: d.I(int64(s))})
	}
	if len(whens) == 0 {
		return fp.agg("line:"+m.Hierarchy+"."+m.Node, &d.Cast{X: d.Null, Type: exactType}), fp, nil
	}
	val, err := c.money(fp, d.C(fp.alias, hb.ValueColumn))
	if err != nil {
		return "", nil, err
	}
	var signed d.Expr = &d.Binary{Op: "*", L: val, R: &d.Case{Whens: whens}}
	key := "line:" + m.Hierarchy + "." + m.Node
	if m.Filter != "" {
		// A query's own line over the rows that meet a filter
		// (Restricted.Where).
		cond, err := c.filterExpr(fp, m.Filter)
		if err != nil {
			return "", nil, fmt.Errorf("metric %s filter: %w", m.Name, err)
		}
		signed = &d.Case{Whens: []d.When{{Cond: cond, Then: signed}}}
		key += "|" + m.Filter
	}
	x := &d.Cast{X: d.F("SUM", signed), Type: exactType}
	return fp.agg(key, x), fp, nil
}

// mapping joins the fact to a hierarchy's code → leaf mapping (once) and
// returns the join's alias.
func (c *compiler) mapping(fp *factPlan, hb *semlayer.HierarchyBinding) string {
	alias, ok := fp.maps[strings.ToLower(hb.Hierarchy)]
	if !ok {
		alias = "h" + strconv.Itoa(len(fp.maps)+1)
		fp.maps[strings.ToLower(hb.Hierarchy)] = alias
		mapping := &d.Select{Distinct: true, Columns: []d.SelectItem{d.As(d.C("SOURCE_CODE"), "SOURCE_CODE"), d.As(d.C("LEAF_CODE"), "LEAF_CODE")},
			From: d.Table{Name: d.Name{Schema: hb.Schema, Name: hb.Mapping}}}
		opt := hierarchy.Matching{Trim: hb.Trim}
		if hb.CaseInsensitive {
			opt.Case = hierarchy.CaseInsensitive
		}
		on := d.Eq(hierarchy.CodeKey(d.C(fp.alias, hb.CodeColumn), opt), &d.ExactText{X: d.C(alias, "SOURCE_CODE")})
		fp.joins = append(fp.joins, d.Join{Kind: d.LeftJoin, From: d.Subquery{Query: mapping, Alias: alias}, On: on})
	}
	return alias
}

// rowsOf is the condition that keeps the rows of the metric m.Rows names:
// a hierarchy line's (code mapped to a leaf under it) or a simple
// metric's (its filter; all rows without one).
func (c *compiler) rowsOf(fp *factPlan, m *semlayer.Metric) (d.Expr, error) {
	r := c.l.Metric(m.Rows)
	if r == nil || !strings.EqualFold(r.Model, m.Model) {
		return nil, fmt.Errorf("metric %s: rows of %q, which is no metric of %s", m.Name, m.Rows, m.Model)
	}
	switch {
	case r.Type == semlayer.MetricSimple && r.Rows == "":
		if r.Filter == "" {
			return nil, nil
		}
		e, err := c.filterExpr(fp, r.Filter)
		if err != nil {
			return nil, fmt.Errorf("metric %s: rows of %s: %w", m.Name, r.Name, err)
		}
		return e, nil
	case r.Type == semlayer.MetricHierarchy && r.Formula == "":
		var hb *semlayer.HierarchyBinding
		for _, b := range fp.m.Hierarchies {
			if strings.EqualFold(b.Hierarchy, r.Hierarchy) {
				hb = b
			}
		}
		if hb == nil {
			return nil, fmt.Errorf("metric %s: %s is not bound to hierarchy %s", m.Name, fp.m.Name, r.Hierarchy)
		}
		leaves := make([]string, 0, len(r.Leaves))
		for leaf := range r.Leaves {
			leaves = append(leaves, leaf)
		}
		if len(leaves) == 0 {
			return d.Eq(d.I(1), d.I(0)), nil
		}
		sort.Strings(leaves)
		var list []d.Expr
		for _, lf := range leaves {
			list = append(list, d.S(lf))
		}
		return &d.In{X: d.C(c.mapping(fp, hb), "LEAF_CODE"), List: list}, nil
	}
	return nil, fmt.Errorf("metric %s: rows of %s: only a simple metric's or a hierarchy line's rows", m.Name, r.Name)
}

// metricExpr is a metric's value over the joined result's columns
// (alias "r"), registering the aggregates it needs.
func (c *compiler) metricExpr(m *semlayer.Metric, seen map[string]bool) (d.Expr, error) {
	switch m.Type {
	case semlayer.MetricSimple, semlayer.MetricCumulative:
		col, fp, err := c.measureAgg(m)
		if err != nil {
			return nil, err
		}
		var x d.Expr = d.C("r", fp.cte+"_"+col)
		if m.Type == semlayer.MetricCumulative {
			return c.cumulative(x)
		}
		return x, nil
	case semlayer.MetricHierarchy:
		raw, err := c.lineRaw(m)
		if err != nil {
			return nil, err
		}
		if m.FlipSign {
			return &d.Unary{Op: "-", X: &d.Paren{X: raw}}, nil
		}
		return raw, nil
	case semlayer.MetricRatio:
		num, err := c.metricExpr(c.l.Metric(m.Numerator), seen)
		if err != nil {
			return nil, err
		}
		den, err := c.metricExpr(c.l.Metric(m.Denominator), seen)
		if err != nil {
			return nil, err
		}
		var x d.Expr = &d.Binary{Op: "/", L: &d.Cast{X: num, Type: mathType}, R: d.F("NULLIF", &d.Cast{X: den, Type: mathType}, d.I(0))}
		if m.Percent {
			x = &d.Binary{Op: "*", L: &d.Paren{X: x}, R: d.I(100)}
		}
		return x, nil
	case semlayer.MetricDerived:
		e, err := hierarchy.ParseFormula(m.Expr)
		if err != nil {
			return nil, err
		}
		return c.formula(e, func(ref string) (d.Expr, error) {
			x, months, err := c.input(m, ref)
			if err != nil {
				return nil, err
			}
			if months == 0 {
				return c.metricExpr(x, seen)
			}
			return c.offsetExpr(m, x, months, seen)
		})
	}
	return nil, fmt.Errorf("metric %s: unknown type %q", m.Name, m.Type)
}

// input is the metric a derived metric's expression names by ref (an
// input's alias, or a metric's name) and the input's offset in months.
func (c *compiler) input(m *semlayer.Metric, ref string) (*semlayer.Metric, int, error) {
	name, months := ref, 0
	if in := m.Input(ref); in != nil {
		n, err := semlayer.ParseOffset(in.Offset)
		if err != nil {
			return nil, 0, fmt.Errorf("metric %s: %w", m.Name, err)
		}
		name, months = in.Metric, n
	}
	x := c.l.Metric(name)
	if x == nil {
		return nil, 0, fmt.Errorf("metric %s: unknown metric %q", m.Name, name)
	}
	return x, months, nil
}

// offsetExpr is metric x's value months earlier than each row's period:
// a column of that offset's evaluation (joined as "o<months>").
func (c *compiler) offsetExpr(m, x *semlayer.Metric, months int, seen map[string]bool) (d.Expr, error) {
	key := strconv.Itoa(months) + "/" + strings.ToLower(x.Name)
	col := func(i int) d.Expr { return d.C("o"+strconv.Itoa(months), "m"+strconv.Itoa(i)) }
	if i, ok := c.offsetIdx[key]; ok {
		return col(i), nil
	}
	if c.inOffset {
		return nil, fmt.Errorf("metric %s: an input at an offset (%s) has inputs at an offset of its own: not supported", m.Name, x.Name)
	}
	c.inOffset = true
	v, err := c.metricExpr(x, seen)
	c.inOffset = false
	if err != nil {
		return nil, err
	}
	if c.offsets == nil {
		c.offsets, c.offsetIdx = map[int][]d.Expr{}, map[string]int{}
	}
	c.offsets[months] = append(c.offsets[months], v)
	c.offsetIdx[key] = len(c.offsets[months])
	return col(len(c.offsets[months])), nil
}

// offsetEval checks an offset of months can move the query's buckets and
// returns the range it reads (nil: all time).
func (c *compiler) offsetEval(rng *semlayer.Range, months int) (*semlayer.Range, error) {
	grained := false
	for _, g := range c.groups {
		if g.grain == "" {
			continue
		}
		grained = true
		if inDays(g.grain) {
			return nil, fmt.Errorf("a metric of an earlier period by %s is not supported: group by month, quarter or year", g.grain)
		}
		if months%grainMonths(g.grain) != 0 && c.finer(g.grain) == nil {
			return nil, fmt.Errorf("a metric %d months earlier cannot move %s buckets: group by month", months, g.grain)
		}
	}
	if rng == nil {
		if !grained {
			return nil, fmt.Errorf("a metric of an earlier period needs a period (a time range) or a time grain")
		}
		return nil, nil
	}
	r := c.l.Calendar.Earlier(*rng, months)
	return &r, nil
}

// lineRaw is a hierarchy line's value in natural signs.
func (c *compiler) lineRaw(m *semlayer.Metric) (d.Expr, error) {
	if m.Formula == "" {
		col, fp, err := c.lineAgg(m)
		if err != nil {
			return nil, err
		}
		return d.C("r", fp.cte+"_"+col), nil
	}
	e, err := hierarchy.ParseFormula(m.Formula)
	if err != nil {
		return nil, err
	}
	// A ROUND around the whole formula is the statement's presentation
	// (a margin to one decimal): a query keeps the exact value, its
	// reader rounds it, and comparisons and shares are not computed from
	// rounded values.
	for e.Op == hierarchy.OpCall && strings.EqualFold(e.Func, "ROUND") && len(e.Args) >= 1 {
		e = e.Args[0]
	}
	return c.formula(e, func(ref string) (d.Expr, error) {
		x := c.lineMetric(m.Hierarchy, ref)
		if x == nil {
			return nil, fmt.Errorf("metric %s: line %s has no metric", m.Name, ref)
		}
		return c.lineRaw(x)
	})
}

// formula translates a formula (hierarchy formula syntax) over values
// given by ref: exact when it only adds and subtracts, in DOUBLE
// otherwise; a missing value counts as zero; division by zero is NULL.
func (c *compiler) formula(e *hierarchy.Expr, ref func(string) (d.Expr, error)) (d.Expr, error) {
	x, err := hierarchy.FormulaSQL{Ref: ref, Nulls: hierarchy.NullAsZero, Exact: exactType, Math: mathType}.Translate(e)
	if err != nil {
		return nil, err
	}
	// A whole formula over missing values is missing, not zero.
	refs := e.Refs()
	if len(refs) > 0 {
		var present []d.Expr
		for _, r := range refs {
			v, err := ref(r)
			if err != nil {
				return nil, err
			}
			present = append(present, &d.IsNull{X: v, Not: true})
		}
		return &d.Case{Whens: []d.When{{Cond: d.Or(present...), Then: x}}}, nil
	}
	return x, nil
}

// cumulative is a running total of x over the time grain of the query.
func (c *compiler) cumulative(x d.Expr) (d.Expr, error) {
	var order []d.Order
	var part []d.Expr
	for _, g := range c.groups {
		for _, col := range g.cols {
			if g.grain != "" {
				order = append(order, d.Order{Expr: d.C("r", col)})
			} else {
				part = append(part, d.C("r", col))
			}
		}
	}
	if len(order) == 0 {
		return x, nil // no time grain: the total is the running total's end
	}
	return &d.Over{Func: d.F("SUM", x), PartitionBy: part, OrderBy: order}, nil
}

// running is metric m's running total (x over the joined row) over the
// query's time grain, restarting each fiscal year for a year to date; the
// other groups each have their own. Only amounts that add up over time
// have one (sums, counts, a hierarchy line without a formula).
func (c *compiler) running(m *semlayer.Metric, x d.Expr) (d.Expr, error) {
	ytd := c.spec.Cumulative == CumulativeFiscalYear
	if !ytd && c.spec.Cumulative != CumulativeAll {
		return nil, fmt.Errorf("cumulative %q: want all or fiscal_year", c.spec.Cumulative)
	}
	additive := false
	switch m.Type {
	case semlayer.MetricSimple:
		if fm := c.l.Model(m.Model); fm != nil {
			if ms := fm.Measure(m.Measure); ms != nil {
				additive = (ms.Agg == semlayer.AggSum || ms.Agg == semlayer.AggCount) && ms.NonAdditive == nil
			}
		}
	case semlayer.MetricHierarchy:
		additive = m.Formula == ""
	}
	if !additive {
		return nil, fmt.Errorf("a running total of %s is not a sum over periods (only sums and counts add up over time)", m.Name)
	}
	var order []d.Order
	var part []d.Expr
	var finest *group
	for _, g := range c.groups {
		if g.grain == "" {
			for _, col := range g.cols {
				part = append(part, d.C("r", col))
			}
			continue
		}
		if g.grain.Recurring() {
			return nil, fmt.Errorf("a running total by %s: the buckets recur (every year's, every week's); group by month, fiscal quarter or day", strings.ReplaceAll(string(g.grain), "_", " "))
		}
		for _, col := range g.cols {
			order = append(order, d.Order{Expr: d.C("r", col)})
		}
		if finest == nil || grainMonths(g.grain) < grainMonths(finest.grain) || g.grain == semlayer.GrainDay || g.grain == semlayer.GrainWeek && finest.grain != semlayer.GrainDay {
			finest = g
		}
	}
	if finest == nil {
		return nil, fmt.Errorf("a running total needs a time grain: by month, fiscal quarter or day")
	}
	if ytd {
		cal := c.l.Calendar
		switch finest.grain {
		case semlayer.GrainMonth:
			part = append(part, cal.YearOfMonthExpr(d.C("r", finest.cols[0]), d.C("r", finest.cols[1])))
		case semlayer.GrainFiscalQuarter, semlayer.GrainFiscalYear:
			part = append(part, d.C("r", finest.cols[0]))
		case semlayer.GrainDay:
			part = append(part, cal.YearExpr(d.C("r", finest.cols[0])))
		case semlayer.GrainWeek:
			return nil, fmt.Errorf("a year to date by week: weeks straddle the year's start; group by month or day")
		default:
			return nil, fmt.Errorf("a year to date by calendar year: group by month, fiscal quarter or day")
		}
		if r := c.spec.Time; r != nil && !r.From.Equal(cal.YearStart(cal.Year(r.From))) {
			return nil, fmt.Errorf("a year to date needs a range starting at a fiscal year's start (%s starts %s)", r.Label, r.From.Format("2006-01-02"))
		}
	}
	return &d.Over{Func: d.F("SUM", x), PartitionBy: part, OrderBy: order}, nil
}

// filterExpr parses a filter over the layer's dimension names and
// rewrites it to fact fp's columns.
func (c *compiler) filterExpr(fp *factPlan, src string) (d.Expr, error) {
	refs := c.l.Dimensions()
	var names []string
	for _, r := range refs {
		names = append(names, r.Name)
		if q := r.Model + "." + r.Dim.Name; !strings.EqualFold(q, r.Name) {
			names = append(names, q) // qualified, though unique
		}
	}
	e, err := filter.Parse(src, names)
	if err != nil {
		return nil, err
	}
	var ferr error
	out := mapCols(e, func(col d.Col) d.Expr {
		m, dim, err := c.l.FindDimension(col.Name)
		if err != nil {
			ferr = err
			return col
		}
		alias, err := c.join(fp, m.Name)
		if err != nil {
			ferr = err
			return col
		}
		var x d.Expr = d.C(alias, dim.Column)
		if dim.Type == "time" {
			x = asDate(x, m, dim.Column)
		}
		return x
	})
	return out, ferr
}

// applyFilters adds the spec's filters to every fact.
func (c *compiler) applyFilters() error {
	for _, k := range c.order {
		fp := c.facts[k]
		if c.spec.Where != "" {
			e, err := c.filterExpr(fp, c.spec.Where)
			if err != nil {
				return err
			}
			fp.where = append(fp.where, e)
		}
		for _, f := range c.spec.Filters {
			m, dim, err := c.l.FindDimension(f.Dimension)
			if err != nil {
				return err
			}
			alias, err := c.join(fp, m.Name)
			if err != nil {
				return err
			}
			if dim.Flag {
				// A true/false column: compared with TRUE or FALSE (its
				// text is 1/0 on some engines, true/false on others).
				cond, err := flagFilter(c.dialect, d.C(alias, dim.Column), f)
				if err != nil {
					return err
				}
				fp.where = append(fp.where, cond)
				continue
			}
			var list []d.Expr
			for _, v := range f.Values {
				list = append(list, d.S(v))
			}
			if len(list) == 0 {
				return fmt.Errorf("filter on %s without values", f.Dimension)
			}
			var col d.Expr = d.C(alias, dim.Column)
			col = &d.Cast{X: col, Type: d.Varchar(500)}
			var cond d.Expr = &d.In{X: col, List: list, Not: f.Not}
			if f.Not {
				// Rows without a member are not the excluded members:
				// all but X is the total less X.
				cond = &d.Paren{X: d.Or(&d.IsNull{X: col}, cond)}
			}
			fp.where = append(fp.where, cond)
		}
	}
	return nil
}

// flagFilter is a filter on a true/false column: one value, true or
// false (1/0, yes/no); NOT keeps the rows without a value too. Engines
// without a BOOLEAN type (MySQL's TINYINT(1), SQL Server's BIT) compare
// it with 1 or 0.
func flagFilter(dialect string, col d.Expr, f Filter) (d.Expr, error) {
	if len(f.Values) != 1 {
		return nil, fmt.Errorf("filter on %s: want one value, true or false", f.Dimension)
	}
	var b bool
	switch strings.ToLower(strings.TrimSpace(f.Values[0])) {
	case "true", "1", "yes", "y", "t":
		b = true
	case "false", "0", "no", "n", "f":
	default:
		return nil, fmt.Errorf("filter on %s: %q is not true or false", f.Dimension, f.Values[0])
	}
	lit := func(b bool) d.Expr {
		if d.Capabilities(dialect).BooleanType {
			return d.Lit{Value: b}
		}
		if b {
			return d.I(1)
		}
		return d.I(0)
	}
	var cond d.Expr = &d.Binary{Op: "=", L: col, R: lit(b)}
	if f.Not {
		cond = &d.Paren{X: d.Or(&d.IsNull{X: col}, &d.Binary{Op: "=", L: col, R: lit(!b)})}
	}
	return cond, nil
}

// comparison is the range and bucket shift (in months) of the compared
// period.
func (c *compiler) comparison() (*semlayer.Range, int, error) {
	// The period compared is the finest time grain of the groups (a
	// quarter when grouping by fiscal year and quarter).
	var grain semlayer.Grain
	for _, g := range c.groups {
		if inDays(g.grain) {
			return nil, 0, fmt.Errorf("a comparison by %s is not supported: group by month, quarter or year", g.grain)
		}
		if g.grain != "" && (grain == "" || grainMonths(g.grain) < grainMonths(grain)) {
			grain = g.grain
		}
	}
	cal := c.l.Calendar
	if c.spec.Compare == ComparePrevious {
		// Each bucket against the one before: the range moved back by
		// one bucket, its buckets moved forward to meet.
		if grain == "" {
			return nil, 0, fmt.Errorf("compare each period with the one before: group by a time grain (month, fiscal quarter, year)")
		}
		months := grainMonths(grain)
		if g := c.unmovable(months); g != nil {
			return nil, 0, fmt.Errorf("each %s against the one before cannot move %s buckets: group by one time grain", grain, g.grain)
		}
		if c.spec.Time == nil {
			return nil, months, nil
		}
		r := *c.spec.Time
		r.From, r.To = r.From.AddDate(0, -months, 0), r.To.AddDate(0, -months, 0)
		r.Label = "the " + strings.ReplaceAll(string(grain), "_", " ") + " before each"
		return &r, months, nil
	}
	if c.spec.Time == nil {
		if grain == "" {
			return nil, 0, fmt.Errorf("compare to the %s of what? give a period (a time range) or group by a time grain", strings.ReplaceAll(c.spec.Compare, "_", " "))
		}
		if c.spec.Compare == ComparePriorYear {
			return nil, 12, nil
		}
		return nil, grainMonths(grain), nil
	}
	var r semlayer.Range
	var months int
	if c.spec.Compare == ComparePriorYear {
		r, months = cal.PriorYear(*c.spec.Time), 12
	} else {
		r = cal.PriorPeriod(*c.spec.Time)
		months = monthsBetween(r.From, c.spec.Time.From)
		if grain != "" && months%grainMonths(grain) != 0 {
			return nil, 0, fmt.Errorf("the prior period of %s is not a whole number of %s", c.spec.Time.Label, grain)
		}
	}
	if grain == "" {
		return &r, 0, nil
	}
	// A coarser grain moved by part of its size takes its year from the
	// finer grain's moved bucket (shiftBucket): a fiscal year from the
	// fiscal quarter, a year from the month.
	if g := c.unmovable(months); g != nil {
		return nil, 0, fmt.Errorf("a comparison with the prior %s cannot move %s buckets: group by one time grain", grain, g.grain)
	}
	return &r, months, nil
}

// unmovable is the first time grain group whose buckets cannot move by
// months: a coarser grain moved by part of its size, without a finer
// grain to take its year from (nil when all can).
func (c *compiler) unmovable(months int) *group {
	for _, g := range c.groups {
		if g.grain != "" && months%grainMonths(g.grain) != 0 && c.finer(g.grain) == nil {
			return g
		}
	}
	return nil
}

// inDays says a time grain is not a run of months: counted in days (a
// day, an ISO week) or recurring (a month of the year, a day of the
// week): no spine, no comparison or offset by months.
func inDays(g semlayer.Grain) bool {
	return g == semlayer.GrainDay || g == semlayer.GrainWeek || g.Recurring()
}

// finer is the group whose moved bucket's first column is the moved
// bucket of a year grain g (nil when none).
func (c *compiler) finer(g semlayer.Grain) *group {
	want := map[semlayer.Grain]semlayer.Grain{semlayer.GrainFiscalYear: semlayer.GrainFiscalQuarter, semlayer.GrainYear: semlayer.GrainMonth}[g]
	for _, x := range c.groups {
		if want != "" && x.grain == want {
			return x
		}
	}
	return nil
}

func grainMonths(g semlayer.Grain) int {
	switch g {
	case semlayer.GrainMonth:
		return 1
	case semlayer.GrainFiscalQuarter:
		return 3
	}
	return 12
}

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// result builds the CTEs of one evaluation (current, or compared with its
// buckets moved forward by shift months) and returns the name of the CTE
// holding the groups and metrics m1..mn.
func (c *compiler) result(prefix string, rng *semlayer.Range, shift int, exprs []d.Expr, metrics []*semlayer.Metric, ctes *[]d.CTE) (string, error) {
	var factCTEs []string
	for _, k := range c.order {
		fp := c.facts[k]
		name := prefix + "_" + fp.cte
		sel := &d.Select{From: d.Table{Name: d.Name{Schema: fp.m.Schema, Name: fp.m.Table}, Alias: fp.alias}}
		if rng != nil || c.hasGrain() {
			if err := c.timeJoin(fp); err != nil {
				return "", err
			}
		}
		var groupBy []d.Expr
		for _, g := range c.groups {
			xs, err := c.groupExprs(fp, g)
			if err != nil {
				return "", err
			}
			for i, x := range xs {
				sel.Columns = append(sel.Columns, d.As(x, g.cols[i]))
				groupBy = append(groupBy, x)
			}
		}
		sel.Joins = fp.joins
		// SkipEmpty: grouping by a dimension's attribute keeps the rows
		// that have a member (an inner join's rows), no anonymous group of
		// the facts without one.
		var hasMember []d.Expr
		for _, g := range c.groups {
			if !c.spec.SkipEmpty || g.grain != "" || g.hidden || strings.EqualFold(g.model, fp.m.Name) {
				continue
			}
			x, err := c.memberKey(fp, g)
			if err != nil {
				return "", err
			}
			hasMember = append(hasMember, &d.IsNull{X: x, Not: true})
		}
		for _, a := range fp.aggs {
			sel.Columns = append(sel.Columns, d.As(a.Expr, fp.cte+"_"+a.Alias))
		}
		sel.GroupBy = groupBy
		where := append(append([]d.Expr{}, fp.where...), hasMember...)
		if rng != nil {
			if fp.m.TimeColumn == "" {
				return "", fmt.Errorf("%s has no time column to restrict to %s", fp.m.Name, rng.Label)
			}
			t := c.timeCol(fp)
			where = append(where, &d.Binary{Op: ">=", L: t, R: dateLit(rng.From)}, &d.Binary{Op: "<", L: t, R: dateLit(rng.To)})
		}
		sel.Where = d.And(where...)
		if fp.edges {
			// The first and last time of each time bucket among the rows
			// asked about (same tables, joins and conditions).
			sub := &d.Select{From: sel.From, Joins: sel.Joins, Where: sel.Where}
			var on []d.Expr
			for _, g := range c.groups {
				if g.grain == "" {
					continue
				}
				xs, err := c.groupExprs(fp, g)
				if err != nil {
					return "", err
				}
				for i, x := range xs {
					sub.Columns = append(sub.Columns, d.As(x, g.cols[i]))
					sub.GroupBy = append(sub.GroupBy, x)
					on = append(on, &d.Binary{Op: "IS NOT DISTINCT FROM", L: x, R: d.C("lt", g.cols[i])})
				}
			}
			sub.Columns = append(sub.Columns, d.As(d.F("MIN", c.timeCol(fp)), "t_first"), d.As(d.F("MAX", c.timeCol(fp)), "t_last"))
			j := d.Join{Kind: d.LeftJoin, From: d.Subquery{Query: sub, Alias: "lt"}, On: d.And(on...)}
			if len(on) == 0 {
				j = d.Join{Kind: d.CrossJoin, From: d.Subquery{Query: sub, Alias: "lt"}}
			}
			sel.Joins = append(append([]d.Join{}, sel.Joins...), j)
		}
		*ctes = append(*ctes, d.CTE{Name: name, Query: sel})
		factCTEs = append(factCTEs, name)
	}
	var groupCols []string
	for _, g := range c.groups {
		groupCols = append(groupCols, g.cols...)
	}
	// The keys every fact's rows meet on.
	joined := &d.Select{}
	keys := ""
	spine := c.spine(rng)
	switch {
	case len(groupCols) == 0:
		joined.From = d.Table{Name: d.N(factCTEs[0]), Alias: "k"}
		for _, f := range factCTEs[1:] {
			joined.Joins = append(joined.Joins, d.Join{Kind: d.CrossJoin, From: d.Table{Name: d.N(f), Alias: f}})
		}
	case spine != nil:
		keys = prefix + "_keys"
		*ctes = append(*ctes, d.CTE{Name: keys, Query: &d.Select{Columns: starCols(groupCols), From: spine}})
	case len(factCTEs) == 1:
		keys = factCTEs[0]
	default:
		keys = prefix + "_keys"
		var parts []d.Query
		for _, f := range factCTEs {
			parts = append(parts, &d.Select{Columns: colsOf("", groupCols), From: d.Table{Name: d.N(f)}})
		}
		*ctes = append(*ctes, d.CTE{Name: keys, Query: &d.Select{Distinct: true, Columns: colsOf("u", groupCols), From: d.Subquery{Query: &d.UnionAll{Queries: parts}, Alias: "u"}}})
	}
	if keys != "" {
		joined.From = d.Table{Name: d.N(keys), Alias: "k"}
		for _, f := range factCTEs {
			if f == keys {
				continue
			}
			var on []d.Expr
			for _, g := range groupCols {
				on = append(on, &d.Binary{Op: "IS NOT DISTINCT FROM", L: d.C("k", g), R: d.C(f, g)})
			}
			joined.Joins = append(joined.Joins, d.Join{Kind: d.LeftJoin, From: d.Table{Name: d.N(f), Alias: f}, On: d.And(on...)})
		}
	}
	for _, g := range groupCols {
		joined.Columns = append(joined.Columns, d.As(d.C("k", g), g))
	}
	for _, k := range c.order {
		fp := c.facts[k]
		src := prefix + "_" + fp.cte
		if src == keys || (len(groupCols) == 0 && src == factCTEs[0]) {
			src = "k"
		}
		for _, a := range fp.aggs {
			joined.Columns = append(joined.Columns, d.As(d.C(src, fp.cte+"_"+a.Alias), fp.cte+"_"+a.Alias))
		}
	}
	jname := prefix + "_r"
	*ctes = append(*ctes, d.CTE{Name: jname, Query: joined})
	// Metrics over the joined row, and the buckets moved for comparison.
	out := &d.Select{From: d.Table{Name: d.N(jname), Alias: "r"}}
	for _, g := range c.groups {
		xs := make([]d.Expr, len(g.cols))
		for i, col := range g.cols {
			xs[i] = d.C("r", col)
		}
		if shift != 0 && g.grain != "" {
			if f := c.finer(g.grain); f != nil && shift%grainMonths(g.grain) != 0 {
				ys := make([]d.Expr, len(f.cols))
				for i, col := range f.cols {
					ys[i] = d.C("r", col)
				}
				xs = shiftBucket(f.grain, ys, shift)[:1]
			} else {
				xs = shiftBucket(g.grain, xs, shift)
			}
		}
		for i, col := range g.cols {
			out.Columns = append(out.Columns, d.As(xs[i], col))
		}
	}
	for i, x := range exprs {
		out.Columns = append(out.Columns, d.As(x, "m"+strconv.Itoa(i+1)))
	}
	// Inputs at an offset: their own evaluation over the earlier range,
	// buckets moved forward onto these, joined by the groups.
	if !c.noJoin {
		var ks []int
		for k := range c.offsets {
			ks = append(ks, k)
		}
		sort.Ints(ks)
		for _, k := range ks {
			orng, err := c.offsetEval(rng, k)
			if err != nil {
				return "", err
			}
			c.noJoin = true
			oname, err := c.result(prefix+"_o"+strconv.Itoa(k), orng, k, c.offsets[k], nil, ctes)
			c.noJoin = false
			if err != nil {
				return "", err
			}
			alias := "o" + strconv.Itoa(k)
			var on []d.Expr
			for _, g := range groupCols {
				on = append(on, &d.Binary{Op: "IS NOT DISTINCT FROM", L: d.C("r", g), R: d.C(alias, g)})
			}
			j := d.Join{Kind: d.LeftJoin, From: d.Table{Name: d.N(oname), Alias: alias}, On: d.And(on...)}
			if len(on) == 0 {
				j = d.Join{Kind: d.CrossJoin, From: d.Table{Name: d.N(oname), Alias: alias}}
			}
			out.Joins = append(out.Joins, j)
		}
	}
	name := prefix
	*ctes = append(*ctes, d.CTE{Name: name, Query: out})
	return name, nil
}

// memberKey is what is set on a fact's row when it has a member of
// group g's model: the member's key (its attribute may be empty while the
// member exists), else the attribute itself.
func (c *compiler) memberKey(fp *factPlan, g *group) (d.Expr, error) {
	if m := c.l.Model(g.model); m != nil {
		if p := m.PrimaryEntity(); p != nil && p.Column != "" {
			alias, err := c.join(fp, m.Name)
			if err != nil {
				return nil, err
			}
			return d.C(alias, p.Column), nil
		}
	}
	xs, err := c.groupExprs(fp, g)
	if err != nil {
		return nil, err
	}
	return xs[0], nil
}

func starCols(cols []string) []d.SelectItem { return colsOf("s", cols) }

func colsOf(alias string, cols []string) []d.SelectItem {
	var out []d.SelectItem
	for _, c := range cols {
		if alias == "" {
			out = append(out, d.As(d.C(c), c))
		} else {
			out = append(out, d.As(d.C(alias, c), c))
		}
	}
	return out
}

func dateLit(t time.Time) d.Expr {
	return &d.Cast{X: d.S(t.Format("2006-01-02")), Type: d.Date}
}

// shiftBucket moves a time bucket forward by n months (a compared
// period's bucket onto the bucket it is compared with).
func shiftBucket(g semlayer.Grain, xs []d.Expr, months int) []d.Expr {
	switch g {
	case semlayer.GrainFiscalYear, semlayer.GrainYear:
		return []d.Expr{&d.Binary{Op: "+", L: xs[0], R: d.I(int64(months / 12))}}
	case semlayer.GrainMonth, semlayer.GrainFiscalQuarter:
		size := 12
		n := months
		if g == semlayer.GrainFiscalQuarter {
			size, n = 4, months/3
		}
		years, rest := n/size, n%size
		y := &d.Binary{Op: "+", L: xs[0], R: d.I(int64(years))}
		if rest == 0 {
			return []d.Expr{y, xs[1]}
		}
		over := &d.Binary{Op: ">", L: &d.Binary{Op: "+", L: xs[1], R: d.I(int64(rest))}, R: d.I(int64(size))}
		return []d.Expr{
			&d.Case{Whens: []d.When{{Cond: over, Then: &d.Binary{Op: "+", L: xs[0], R: d.I(int64(years + 1))}}}, Else: y},
			&d.Case{Whens: []d.When{{Cond: over, Then: &d.Binary{Op: "-", L: xs[1], R: d.I(int64(size - rest))}}}, Else: &d.Binary{Op: "+", L: xs[1], R: d.I(int64(rest))}},
		}
	}
	return xs
}

// spine lists the periods of rng at the query's only grouping, a time
// grain, so periods without rows still appear (nil otherwise).
func (c *compiler) spine(rng *semlayer.Range) d.From {
	if rng == nil || len(c.groups) != 1 || c.groups[0].grain == "" || inDays(c.groups[0].grain) {
		return nil
	}
	g := c.groups[0]
	cal := c.l.Calendar
	seen := map[string]bool{}
	var rows [][]d.Expr
	for t := time.Date(rng.From.Year(), rng.From.Month(), 1, 0, 0, 0, 0, time.UTC); t.Before(rng.To); t = t.AddDate(0, 1, 0) {
		var vals []int
		switch g.grain {
		case semlayer.GrainMonth:
			vals = []int{t.Year(), int(t.Month())}
		case semlayer.GrainFiscalQuarter:
			vals = []int{cal.Year(t), cal.Quarter(t)}
		case semlayer.GrainFiscalYear:
			vals = []int{cal.Year(t)}
		case semlayer.GrainYear:
			vals = []int{t.Year()}
		}
		k := fmt.Sprint(vals)
		if seen[k] {
			continue
		}
		seen[k] = true
		var row []d.Expr
		for _, v := range vals {
			row = append(row, d.I(int64(v)))
		}
		rows = append(rows, row)
		if len(rows) > MaxSpine {
			return nil
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return &d.Values{Columns: g.cols, Rows: rows, Alias: "s"}
}

// countGroups answers how many members of the spec's Count group are
// rows of the thresholded result: the result (its thresholds applied) is
// one more CTE, counted by the other groups.
func (c *compiler) countGroups(out *Compiled, outer *d.Select, ctes []d.CTE) (*Compiled, error) {
	gc := c.spec.Count
	if len(c.spec.Having) == 0 || c.spec.Limit > 0 || len(c.spec.OrderBy) > 0 || c.spec.Compare != "" || c.spec.Share || c.spec.Cumulative != "" || len(c.spec.RankWithin) > 0 {
		return nil, fmt.Errorf("count of %s: only members held to a threshold are counted (no ranking, comparison, share or running total)", gc.Group)
	}
	if gc.Name == "" {
		return nil, fmt.Errorf("count of %s: the count needs a name", gc.Group)
	}
	var counted *group
	for _, g := range c.groups {
		if strings.EqualFold(g.name, gc.Group) {
			counted = g
		}
	}
	if counted == nil || counted.grain != "" || counted.dimGrain != "" {
		return nil, fmt.Errorf("count of %q: not a dimension the query is grouped by", gc.Group)
	}
	ctes = append(ctes, d.CTE{Name: "met", Query: &d.Select{Columns: outer.Columns, From: outer.From, Where: outer.Where}})
	final := &d.Select{With: ctes, From: d.Table{Name: d.N("met"), Alias: "x"}}
	var cols []Column
	for _, col := range out.Columns {
		if col.Kind != KindGroup || strings.EqualFold(col.Name, counted.name) {
			continue
		}
		cols = append(cols, col)
		for _, s := range col.SQL {
			final.Columns = append(final.Columns, d.As(d.C("x", s), s))
			final.GroupBy = append(final.GroupBy, d.C("x", s))
			final.OrderBy = append(final.OrderBy, d.Order{Expr: d.C("x", s)})
		}
	}
	final.Columns = append(final.Columns, d.As(d.F("COUNT", d.Star{}), "n"))
	label := gc.Label
	if label == "" {
		label = "number of " + counted.label
	}
	out.Columns = append(cols, Column{Name: gc.Name, Label: label, Kind: KindMetric, Format: "count", SQL: []string{"n"}})
	sqlText, err := d.RenderQuery(c.dialect, final)
	if err != nil {
		return nil, err
	}
	out.SQL = sqlText
	out.Notes = c.notes
	return out, nil
}

// hasGrain says the query groups by a time grain.
func (c *compiler) hasGrain() bool {
	for _, g := range c.groups {
		if g.grain != "" {
			return true
		}
	}
	return false
}
