// Package query is databridge's query builder over the semantic layer: a
// typed query spec (metrics, group-by dimensions with time grains,
// filters, a time range, a period comparison, order, limit, thresholds)
// compiled through pkg/dialect into one SELECT for any of the seven
// engines.
//
// The compiler cannot produce a fan-out: each fact is aggregated on its
// own, in its own CTE, to the requested grain, joining only many-to-one
// (a fact's foreign entity to a dimension's primary entity, a dimension
// to the dimension it references by key, current versions only); facts
// meet afterwards on their group keys (a union of the keys, then LEFT
// JOINs, NULL-safe), so metrics of different facts are never multiplied
// by each other's rows (no chasm trap). Empty periods come from a spine of
// the periods in the requested range, computed in Go from the fiscal
// calendar. Filters are expressions parsed into the dialect tree (never
// SQL text). Amounts in several currencies are converted with the layer's
// rates table, or grouped by currency when it has none.
package query

import (
	"github.com/databridge/databridge/pkg/semlayer"
)

// Spec is a query over the semantic layer.
type Spec struct {
	// Metrics are metric names.
	Metrics []string `json:"metrics"`
	// GroupBy are dimensions, or time grains of the facts' time.
	GroupBy []GroupBy `json:"group_by,omitempty"`
	// Where is a filter expression over dimension names (columns,
	// literals, comparisons, AND/OR/NOT, IN, BETWEEN, IS NULL, LIKE).
	Where string `json:"where,omitempty"`
	// Filters are structured member filters (what the question parser
	// produces): dimension IN values.
	Filters []Filter `json:"filters,omitempty"`
	// Time restricts the facts to a span of days.
	Time *semlayer.Range `json:"time,omitempty"`
	// Compare adds each metric's value in the prior period or prior year,
	// the change and the change in percent.
	Compare string `json:"compare,omitempty"`
	// Share adds each metric's share of the total over all rows, in
	// percent.
	Share bool `json:"share,omitempty"`
	// Having keeps rows whose metric meets a threshold.
	Having []Threshold `json:"having,omitempty"`
	// OrderBy orders by metric or dimension names (default: the groups).
	OrderBy []Order `json:"order_by,omitempty"`
	Limit   int     `json:"limit,omitempty"`
	// RankWithin makes the order and the limit apply within each value
	// of these groups (dimension names or grains): the top 3 customers
	// in each segment.
	RankWithin []string `json:"rank_within,omitempty"`
	// Ratios are metrics made for this query, each one metric divided by
	// another (an average order value: sales ÷ orders); Metrics name
	// them like the layer's metrics.
	Ratios []Ratio `json:"ratios,omitempty"`
	// Restricted are metrics made for this query, each a simple metric
	// of the layer over only the rows of another metric of its fact
	// (semlayer.Metric.Rows): the customers counted over the revenue
	// rows. Metrics and Ratios name them like the layer's metrics.
	Restricted []Restricted `json:"restricted,omitempty"`
	// Priced are metrics made for this query, each a sum of a measure
	// times a numeric attribute of a model its rows reach: the units
	// sold at each product's unit cost (a cost of goods sold). Metrics,
	// Ratios and Derived name them like the layer's metrics.
	Priced []Priced `json:"priced,omitempty"`
	// Derived are metrics made for this query from a formula over metric
	// names (+ - * /, like a derived metric's expr): sales less refunds.
	// Metrics name them like the layer's metrics.
	Derived []Derived `json:"derived,omitempty"`
	// SkipEmpty answers with the groups that have a member and a value
	// only: grouping by a dimension's attribute keeps the facts' rows
	// that have a member (an inner join), and a group without any value
	// of the metrics in the period (a period of the spine, a member whose
	// rows are all outside a line) is not a row. What a question answers.
	SkipEmpty bool `json:"skip_empty,omitempty"`
	// Count, when set, answers how many members of one group meet the
	// thresholds (Having) instead of listing them: "how many customers
	// spent more than 1,000" — by the other groups (and the currency,
	// when amounts are grouped by it).
	Count *GroupCount `json:"count,omitempty"`
	// Cumulative makes every metric a running total over the query's
	// time grain: from the start of the range (all), or restarting each
	// fiscal year (fiscal_year: year to date by month).
	Cumulative string `json:"cumulative,omitempty"`
	// Dated names another date of the queried facts than the one they
	// are dated by (a time dimension of theirs): Time, the time grains
	// and the comparisons read it instead — "claims reported in Q4"
	// (reported_date, where claims are dated by their loss date),
	// "orders shipped last month". A fact queried that has no such date
	// is an error.
	Dated string `json:"dated,omitempty"`
}

// GroupCount counts the members of Group (a dimension name of GroupBy)
// left after the thresholds, in a column called Name.
type GroupCount struct {
	Group string `json:"group"`
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
}

// Running totals.
const (
	CumulativeAll        = "all"
	CumulativeFiscalYear = "fiscal_year"
)

// Ratio is Numerator ÷ Denominator (metric names), called Name; or,
// with Periods, Numerator ÷ the number of periods of that grain in the
// query's time range (an average per month).
type Ratio struct {
	Name        string         `json:"name"`
	Label       string         `json:"label,omitempty"`
	Numerator   string         `json:"numerator"`
	Denominator string         `json:"denominator,omitempty"`
	Periods     semlayer.Grain `json:"periods,omitempty"`
	// Format of the result: money, percent, count or number.
	Format string `json:"format,omitempty"`
	// Percent multiplies the ratio by 100.
	Percent bool `json:"percent,omitempty"`
}

// Restricted is Metric over the rows of Rows, or over the rows that
// meet Where (a filter expression like Spec.Where: "loyalty_tier IS NOT
// NULL"), called Name. With Where, Metric may also be a hierarchy line
// that is no formula; a ratio of the two is a share of a filtered subset
// ("what share of sales came from loyalty members").
//
// First and Without keep other rows of Metric's fact (a simple metric
// without rows of its own): First, only each counted thing's first rows
// — a distinct count (the customers of a sales fact) counts each member
// in the bucket of its first row in the whole fact, whatever the query's
// range ("how many customers made their first purchase in 2025", "new
// customers by month"); Without, a model whose rows reference this fact
// (payments their invoice): only the rows no row of it references
// ("invoices with no payment").
type Restricted struct {
	Name    string `json:"name"`
	Label   string `json:"label,omitempty"`
	Metric  string `json:"metric"`
	Rows    string `json:"rows,omitempty"`
	Where   string `json:"where,omitempty"`
	First   bool   `json:"first,omitempty"`
	Without string `json:"without,omitempty"`
}

// Priced is the sum over Metric's rows (a simple sum of the layer, no
// currency of its own) of its column times Attribute (a dimension name:
// a numeric column of a model the rows reach many-to-one), called Name;
// of a count of rows, the sum of Attribute over them (the list prices of
// the products counted: over the count, their average).
type Priced struct {
	Name      string `json:"name"`
	Label     string `json:"label,omitempty"`
	Metric    string `json:"metric"`
	Attribute string `json:"attribute"`
	Format    string `json:"format,omitempty"`
}

// Derived is Expr, a formula over metric names, called Name.
type Derived struct {
	Name   string `json:"name"`
	Label  string `json:"label,omitempty"`
	Expr   string `json:"expr"`
	Format string `json:"format,omitempty"`
}

// Comparisons.
const (
	ComparePriorPeriod = "prior_period"
	ComparePriorYear   = "prior_year"
	// ComparePrevious compares each bucket of the query's time grain with
	// the one before it (month over month, quarter over quarter), where
	// prior_period compares the whole range with the range before it.
	ComparePrevious = "previous"
	// CompareBudget and CompareForecast compare with a scenario of the
	// project: not compiled here (a spec runs over one layer); the
	// analytics service runs the spec on the actuals and on the scenario
	// and merges them.
	CompareBudget   = "budget"
	CompareForecast = "forecast"
)

// GroupBy is a dimension, or a time grain (Grain set, Dimension empty or
// a time dimension's name). A grain of a date of a model the facts reach
// (Dimension a time dimension of it: an account's signup_date, Grain
// year) groups by that date's bucket — "revenue by the year the account
// signed up" — not by the facts' time.
type GroupBy struct {
	Dimension string         `json:"dimension,omitempty"`
	Grain     semlayer.Grain `json:"grain,omitempty"`
}

// Filter is dimension [NOT] IN (values).
type Filter struct {
	Dimension string   `json:"dimension"`
	Values    []string `json:"values"`
	Not       bool     `json:"not,omitempty"`
}

// Threshold is metric OP value (OP one of > >= < <= = <>), value an exact
// decimal.
type Threshold struct {
	Metric string `json:"metric"`
	Op     string `json:"op"`
	Value  string `json:"value"`
}

// Order is one ORDER BY key: a metric or dimension name (or a grain).
type Order struct {
	Key  string `json:"key"`
	Desc bool   `json:"desc,omitempty"`
}

// Column kinds of a compiled query's result.
const (
	KindGroup     = "group"
	KindMetric    = "metric"
	KindCompare   = "comparison"
	KindChange    = "change"
	KindChangePct = "change_pct"
	KindShare     = "share_pct"
)

// Column is one column of the result as people see it. SQL holds the
// names of the SQL result columns it is made of (a month is its year and
// month number; a fiscal quarter its fiscal year and quarter).
type Column struct {
	Name   string         `json:"name"`
	Label  string         `json:"label"`
	Kind   string         `json:"kind"`
	Grain  semlayer.Grain `json:"grain,omitempty"`
	Metric string         `json:"metric,omitempty"`
	Format string         `json:"format,omitempty"`
	SQL    []string       `json:"-"`
}

// Compiled is a spec compiled for one engine.
type Compiled struct {
	Dialect string   `json:"dialect"`
	SQL     string   `json:"sql"`
	Columns []Column `json:"columns"`
	// Notes say what the numbers are: the currency they are in, the
	// period they cover, what was compared.
	Notes []string `json:"notes,omitempty"`
}
