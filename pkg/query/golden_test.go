package query

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/semlayer"
	"github.com/databridge/databridge/pkg/testenv"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the compiler's current SQL")

const goldenDir = "testdata/golden"

var allDialects = []string{d.DuckDB, d.Postgres, d.Snowflake, d.SQLServer, d.MySQL, d.BigQuery, d.Databricks}

// testLayer is a small star schema's semantic layer, its tables in schema
// (none when ""):
//
//   - region (dimension): region_sk, region_code (natural key), region_name
//   - customer (SCD-2 dimension): customer_sk, customer_id (natural key,
//     one row per version), customer_name, segment, region_code (snowflakes
//     to region by its natural key), is_current (1 for the current version)
//   - product (dimension): product_id, product_name, category
//   - orders (header fact): order_id, order_date, customer_id (natural key,
//     current version), channel, freight (money)
//   - order_lines (line fact): line_id, order_id (to its header: many to
//     one), line_date, customer_id, product_id, amount (money), quantity (a
//     currency-less amount), line_no (the line's number in its order)
//   - line_returns (fact): return_id, return_date, order_id and line_no
//     (the line returned: a composite key to order_lines), refund (money)
//
// Metrics: revenue, quantity, line_count (lines); freight, order_count
// (orders); avg_price (ratio), revenue_plus_freight (derived, two facts),
// cumulative_revenue (cumulative), web_revenue (filtered through the
// header), active_customers (distinct count), avg_freight (average),
// freight_pct (ratio of two facts), avg_order_value (derived, dividing),
// revenue_yoy_change, revenue_mom_change, freight_qoq_ratio (derived
// over inputs a year, a month, a fiscal quarter earlier), quantity_stock
// and quantity_opening (semi-additive: the quantity of a bucket's last,
// first day present).
func testLayer(schema string, cal semlayer.Calendar) *semlayer.Layer {
	cur := func(name, col string) *semlayer.Entity {
		return &semlayer.Entity{Name: name, Type: "foreign", Column: col, RefColumn: col, CurrentColumn: "is_current"}
	}
	cat := func(name string) *semlayer.Dimension {
		return &semlayer.Dimension{Name: name, Column: name, Type: "categorical"}
	}
	return &semlayer.Layer{
		Version:  1,
		Calendar: cal,
		Currency: &semlayer.Currency{Reporting: "USD"},
		Models: []*semlayer.Model{
			{Name: "region", Table: "region", Schema: schema, Role: "dimension",
				Entities:   []*semlayer.Entity{{Name: "region", Type: "primary", Column: "region_sk"}},
				Dimensions: []*semlayer.Dimension{cat("region_name"), cat("region_code")}},
			{Name: "customer", Table: "customer", Schema: schema, Role: "dimension",
				Entities: []*semlayer.Entity{{Name: "customer", Type: "primary", Column: "customer_sk"},
					{Name: "region", Type: "foreign", Column: "region_code", RefColumn: "region_code"}},
				Dimensions: []*semlayer.Dimension{cat("customer_name"), cat("segment")}},
			{Name: "product", Table: "product", Schema: schema, Role: "dimension",
				Entities:   []*semlayer.Entity{{Name: "product", Type: "primary", Column: "product_id"}},
				Dimensions: []*semlayer.Dimension{cat("product_name"), cat("category"), {Name: "unit_cost", Column: "unit_cost", Type: "categorical", Hidden: true}},
				Measures:   []*semlayer.Measure{{Name: "products", Column: "*", Agg: semlayer.AggCount}}},
			{Name: "orders", Table: "orders", Schema: schema, Role: "fact", TimeColumn: "order_date",
				Entities: []*semlayer.Entity{{Name: "order", Type: "primary", Column: "order_id"}, cur("customer", "customer_id")},
				Dimensions: []*semlayer.Dimension{cat("channel"), {Name: "order_date", Column: "order_date", Type: "time"}, {Name: "ship_date", Column: "ship_date", Type: "time"},
					{Name: "expedited", Column: "expedited", Type: "categorical", Flag: true}},
				Measures: []*semlayer.Measure{{Name: "freight", Column: "freight", Agg: semlayer.AggSum, Money: true},
					{Name: "orders", Column: "*", Agg: semlayer.AggCount},
					{Name: "avg_freight", Column: "freight", Agg: semlayer.AggAverage, Money: true}}},
			{Name: "order_lines", Table: "order_lines", Schema: schema, Role: "fact", TimeColumn: "line_date",
				Entities: []*semlayer.Entity{{Name: "line", Type: "primary", Column: "line_id"},
					{Name: "order", Type: "foreign", Column: "order_id"}, cur("customer", "customer_id"),
					{Name: "product", Type: "foreign", Column: "product_id"}},
				Dimensions: []*semlayer.Dimension{{Name: "line_date", Column: "line_date", Type: "time"}},
				Measures: []*semlayer.Measure{{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true},
					{Name: "quantity", Column: "quantity", Agg: semlayer.AggSum},
					{Name: "line_amount", Column: "quantity", Times: "unit_price", Agg: semlayer.AggSum, Money: true},
					{Name: "net_line_amount", Column: "quantity", Times: "unit_price", Discount: "discount_rate", Agg: semlayer.AggSum, Money: true},
					{Name: "lines", Column: "*", Agg: semlayer.AggCount},
					{Name: "customers", Column: "customer_id", Agg: semlayer.AggCountDistinct},
					{Name: "quantity_stock", Column: "quantity", Agg: semlayer.AggSum, NonAdditive: &semlayer.NonAdditive{Time: semlayer.TimeLast}},
					{Name: "quantity_opening", Column: "quantity", Agg: semlayer.AggSum, NonAdditive: &semlayer.NonAdditive{Time: semlayer.TimeFirst}}}},
			{Name: "line_returns", Table: "line_returns", Schema: schema, Role: "fact", TimeColumn: "return_date",
				Entities: []*semlayer.Entity{{Name: "return", Type: "primary", Column: "return_id"},
					{Name: "order_line", Type: "foreign", Column: "order_id", Ref: "order_lines", RefColumn: "order_id",
						CompositeKeys: []semlayer.KeyPair{{Fact: "line_no", Other: "line_no"}}}},
				Dimensions: []*semlayer.Dimension{{Name: "return_date", Column: "return_date", Type: "time"}},
				Measures:   []*semlayer.Measure{{Name: "refund", Column: "refund", Agg: semlayer.AggSum, Money: true}}},
		},
		Metrics: []*semlayer.Metric{
			{Name: "revenue", Type: semlayer.MetricSimple, Model: "order_lines", Measure: "amount", Format: "money"},
			{Name: "quantity", Type: semlayer.MetricSimple, Model: "order_lines", Measure: "quantity", Format: "number"},
			{Name: "line_count", Type: semlayer.MetricSimple, Model: "order_lines", Measure: "lines", Format: "count"},
			{Name: "line_amount", Type: semlayer.MetricSimple, Model: "order_lines", Measure: "line_amount", Format: "money"},
			{Name: "net_line_amount", Type: semlayer.MetricSimple, Model: "order_lines", Measure: "net_line_amount", Format: "money"},
			{Name: "freight", Type: semlayer.MetricSimple, Model: "orders", Measure: "freight", Format: "money"},
			{Name: "order_count", Type: semlayer.MetricSimple, Model: "orders", Measure: "orders", Format: "count"},
			{Name: "avg_price", Type: semlayer.MetricRatio, Numerator: "revenue", Denominator: "quantity", Format: "money"},
			{Name: "revenue_plus_freight", Type: semlayer.MetricDerived, Expr: "revenue + freight", Format: "money"},
			{Name: "cumulative_revenue", Type: semlayer.MetricCumulative, Model: "order_lines", Measure: "amount", Format: "money"},
			{Name: "web_revenue", Type: semlayer.MetricSimple, Model: "order_lines", Measure: "amount", Filter: "channel = 'Web'", Format: "money"},
			{Name: "active_customers", Type: semlayer.MetricSimple, Model: "order_lines", Measure: "customers", Format: "count"},
			{Name: "avg_freight", Type: semlayer.MetricSimple, Model: "orders", Measure: "avg_freight", Format: "money"},
			{Name: "freight_pct", Type: semlayer.MetricRatio, Numerator: "freight", Denominator: "revenue", Percent: true, Format: "percent"},
			{Name: "avg_order_value", Type: semlayer.MetricDerived, Expr: "revenue / order_count", Format: "money"},
			{Name: "refunds", Type: semlayer.MetricSimple, Model: "line_returns", Measure: "refund", Format: "money"},
			{Name: "quantity_stock", Type: semlayer.MetricSimple, Model: "order_lines", Measure: "quantity_stock", Format: "number"},
			{Name: "quantity_opening", Type: semlayer.MetricSimple, Model: "order_lines", Measure: "quantity_opening", Format: "number"},
			{Name: "revenue_yoy_change", Type: semlayer.MetricDerived, Expr: "revenue - revenue_py", Format: "money",
				Inputs: []semlayer.MetricInput{{Metric: "revenue"}, {Metric: "revenue", Alias: "revenue_py", Offset: "1 year"}}},
			{Name: "revenue_mom_change", Type: semlayer.MetricDerived, Expr: "revenue - revenue_pm", Format: "money",
				Inputs: []semlayer.MetricInput{{Metric: "revenue", Alias: "revenue_pm", Offset: "1 month"}}},
			{Name: "freight_qoq_ratio", Type: semlayer.MetricDerived, Expr: "freight / prior_freight", Format: "number",
				Inputs: []semlayer.MetricInput{{Metric: "freight", Alias: "prior_freight", Offset: "1 fiscal_quarter"}}},
			{Name: "product_count", Type: semlayer.MetricSimple, Model: "product", Measure: "products", Format: "count"},
			{Name: "formula_functions", Type: semlayer.MetricDerived, Expr: "MAX(revenue, freight * 20) + ROUND(revenue / 3, 2) - ABS(-freight)", Format: "number"},
		},
	}
}

var (
	julyCal  = semlayer.Calendar{StartMonth: 7}
	aprilCal = semlayer.Calendar{StartMonth: 4, NamedByStart: true}
)

// span is the range [from, to) of whole periods of grain g.
func span(from, to string, g semlayer.Grain, label string) *semlayer.Range {
	f, _ := time.Parse("2006-01-02", from)
	t, _ := time.Parse("2006-01-02", to)
	months := (t.Year()-f.Year())*12 + int(t.Month()) - int(f.Month())
	n := map[semlayer.Grain]int{semlayer.GrainMonth: months, semlayer.GrainFiscalQuarter: months / 3}[g]
	if n == 0 {
		n = months / 12
	}
	return &semlayer.Range{From: f, To: t, Grain: g, Count: n, Label: label}
}

func grain(g semlayer.Grain) GroupBy { return GroupBy{Grain: g} }
func dim(name string) GroupBy        { return GroupBy{Dimension: name} }

// queryCase is a spec, the calendar its layer has, and the plain SQL that
// computes the same rows ({s} stands for the tables' schema prefix).
type queryCase struct {
	name    string
	cal     semlayer.Calendar
	spec    Spec
	ordered bool // compare rows in order (ORDER BY ... LIMIT)
	ccy     bool // the facts' amounts are in several currencies (no rates)
	rates   bool // ... converted with the rates of table fx
	hand    string
}

// layer is the case's layer over tables in schema.
func (c queryCase) layer(schema string) *semlayer.Layer {
	l := testLayer(schema, c.cal)
	if c.rates {
		l.Currency.Rates = &semlayer.Rates{Table: "fx", Schema: schema, RateColumn: "rate",
			Keys: []semlayer.KeyPair{{Fact: "<currency>", Other: "currency"}}}
	}
	if c.ccy || c.rates {
		for _, m := range l.Models {
			if m.Role == "fact" {
				m.CurrencyColumn = "currency"
				m.Dimensions = append(m.Dimensions, &semlayer.Dimension{Name: "currency", Column: "currency", Type: "categorical"})
			}
		}
	}
	return l
}

// Hand-written fiscal year and quarter (FLOOR/MOD arithmetic, unlike the
// compiler's CASE over months).
func julyFY(c string) string {
	return "(EXTRACT(YEAR FROM " + c + ") + CASE WHEN EXTRACT(MONTH FROM " + c + ") >= 7 THEN 1 ELSE 0 END)"
}
func julyFQ(c string) string { return "(FLOOR(MOD(EXTRACT(MONTH FROM " + c + ") + 5, 12) / 3) + 1)" }
func aprilFY(c string) string {
	return "(EXTRACT(YEAR FROM " + c + ") - CASE WHEN EXTRACT(MONTH FROM " + c + ") < 4 THEN 1 ELSE 0 END)"
}
func aprilFQ(c string) string { return "(FLOOR(MOD(EXTRACT(MONTH FROM " + c + ") + 8, 12) / 3) + 1)" }

const (
	curCustomer = " LEFT JOIN {s}customer c ON c.customer_id = %s.customer_id AND c.is_current = 1"
	nullEq      = "(%[1]s.%[3]s = %[2]s.%[3]s OR (%[1]s.%[3]s IS NULL AND %[2]s.%[3]s IS NULL))"
)

func cases() []queryCase {
	lc := strings.ReplaceAll(curCustomer, "%s", "l")
	oc := strings.ReplaceAll(curCustomer, "%s", "o")
	ne := func(a, b, col string) string {
		return strings.NewReplacer("%[1]s", a, "%[2]s", b, "%[3]s", col).Replace(nullEq)
	}
	return []queryCase{
		{name: "total", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "quantity", "order_count"}},
			hand: "SELECT (SELECT SUM(amount) FROM {s}order_lines), (SELECT SUM(quantity) FROM {s}order_lines), (SELECT COUNT(*) FROM {s}orders)"},
		{name: "by_dimension", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "avg_price"}, GroupBy: []GroupBy{dim("category")}},
			hand: "SELECT p.category, SUM(l.amount), SUM(l.amount) * 1e0 / SUM(l.quantity) FROM {s}order_lines l LEFT JOIN {s}product p ON p.product_id = l.product_id GROUP BY p.category"},
		// A month without rows (February 2024) comes from the spine.
		{name: "by_month", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "cumulative_revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)},
				Time: span("2024-01-01", "2024-07-01", semlayer.GrainMonth, "January 2024 – June 2024")},
			hand: `SELECT s.y, s.m, r.rev, SUM(r.rev) OVER (ORDER BY s.y, s.m)
FROM (SELECT 2024 AS y, 1 AS m UNION ALL SELECT 2024, 2 UNION ALL SELECT 2024, 3 UNION ALL SELECT 2024, 4 UNION ALL SELECT 2024, 5 UNION ALL SELECT 2024, 6) s
LEFT JOIN (SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines
  WHERE line_date >= DATE '2024-01-01' AND line_date < DATE '2024-07-01' GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) r ON r.y = s.y AND r.m = s.m`},
		// Orders by another of their dates (Dated): the freight of the
		// orders shipped each month, not ordered; those not shipped are
		// in no month.
		{name: "dated_by_ship_date", cal: julyCal,
			spec: Spec{Metrics: []string{"freight"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Dated: "ship_date",
				Time: span("2024-01-01", "2024-07-01", semlayer.GrainMonth, "January 2024 – June 2024")},
			hand: `SELECT s.y, s.m, r.fr
FROM (SELECT 2024 AS y, 1 AS m UNION ALL SELECT 2024, 2 UNION ALL SELECT 2024, 3 UNION ALL SELECT 2024, 4 UNION ALL SELECT 2024, 5 UNION ALL SELECT 2024, 6) s
LEFT JOIN (SELECT EXTRACT(YEAR FROM ship_date) AS y, EXTRACT(MONTH FROM ship_date) AS m, SUM(freight) AS fr FROM {s}orders
  WHERE ship_date >= DATE '2024-01-01' AND ship_date < DATE '2024-07-01' GROUP BY EXTRACT(YEAR FROM ship_date), EXTRACT(MONTH FROM ship_date)) r ON r.y = s.y AND r.m = s.m`},
		// A true/false column: filtered with TRUE (its text differs by
		// engine); all but the expedited keeps the unknown.
		{name: "flag_filter", cal: julyCal,
			spec: Spec{Metrics: []string{"freight", "order_count"}, Filters: []Filter{{Dimension: "expedited", Values: []string{"true"}}}},
			hand: `SELECT SUM(freight), COUNT(*) FROM {s}orders WHERE expedited = TRUE`},
		{name: "flag_filter_not", cal: julyCal,
			spec: Spec{Metrics: []string{"freight"}, GroupBy: []GroupBy{dim("channel")}, Filters: []Filter{{Dimension: "expedited", Values: []string{"true"}, Not: true}}},
			hand: `SELECT channel, SUM(freight) FROM {s}orders WHERE expedited IS NULL OR expedited = FALSE GROUP BY channel`},
		// Lines of a quantity and a unit price: their product, summed
		// exactly; less a discount rate (none where it is missing).
		{name: "line_amount", cal: julyCal,
			spec: Spec{Metrics: []string{"line_amount", "net_line_amount", "quantity"}, GroupBy: []GroupBy{dim("category")}},
			hand: "SELECT p.category, SUM(l.quantity * l.unit_price), SUM(l.quantity * l.unit_price * (1 - COALESCE(l.discount_rate, 0))), SUM(l.quantity) FROM {s}order_lines l LEFT JOIN {s}product p ON p.product_id = l.product_id GROUP BY p.category"},
		// ISO weeks (Monday to Sunday) of a range starting on a Wednesday:
		// the first week is partial; a running total over them.
		{name: "by_week", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "cumulative_revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainWeek)},
				Time: span("2024-01-03", "2024-02-01", semlayer.GrainDay, "3 January 2024 – 31 January 2024")},
			hand: `SELECT w.ws, SUM(l.amount), SUM(SUM(l.amount)) OVER (ORDER BY w.ws)
FROM {s}order_lines l JOIN (SELECT DATE '2024-01-01' AS ws, DATE '2024-01-08' AS we UNION ALL SELECT DATE '2024-01-08', DATE '2024-01-15'
  UNION ALL SELECT DATE '2024-01-15', DATE '2024-01-22' UNION ALL SELECT DATE '2024-01-22', DATE '2024-01-29' UNION ALL SELECT DATE '2024-01-29', DATE '2024-02-05') w
  ON l.line_date >= w.ws AND l.line_date < w.we
WHERE l.line_date >= DATE '2024-01-03' AND l.line_date < DATE '2024-02-01' GROUP BY w.ws`},
		// Recurring grains: every year's month together; every week's
		// weekday (ISO, 1 Monday) together, independent of the session's
		// first day of the week.
		{name: "by_month_of_year", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainMonthOfYear)}},
			hand: `SELECT EXTRACT(MONTH FROM line_date), SUM(amount) FROM {s}order_lines GROUP BY EXTRACT(MONTH FROM line_date)`},
		{name: "by_day_of_week", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainDayOfWeek)},
				Time: span("2024-01-01", "2024-02-01", semlayer.GrainMonth, "January 2024")},
			hand: `SELECT w.dow, SUM(l.amount) FROM {s}order_lines l JOIN (` + isoWeekdays("2024-01-01", 31) + `) w ON l.line_date = w.d
WHERE l.line_date >= DATE '2024-01-01' AND l.line_date < DATE '2024-02-01' GROUP BY w.dow`},
		{name: "by_fiscal_quarter", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "freight"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalQuarter)},
				Time: span("2023-07-01", "2024-07-01", semlayer.GrainFiscalYear, "FY2024")},
			hand: `SELECT a.fy, a.fq, a.rev, b.fr FROM
(SELECT fy, fq, SUM(amount) AS rev FROM (SELECT ` + julyFY("line_date") + ` AS fy, ` + julyFQ("line_date") + ` AS fq, amount FROM {s}order_lines
  WHERE line_date >= DATE '2023-07-01' AND line_date < DATE '2024-07-01') x GROUP BY fy, fq) a
LEFT JOIN (SELECT fy, fq, SUM(freight) AS fr FROM (SELECT ` + julyFY("order_date") + ` AS fy, ` + julyFQ("order_date") + ` AS fq, freight FROM {s}orders
  WHERE order_date >= DATE '2023-07-01' AND order_date < DATE '2024-07-01') x GROUP BY fy, fq) b ON a.fy = b.fy AND a.fq = b.fq`},
		// Two facts by a shared SCD-2 dimension (chasm trap; current
		// versions only).
		{name: "two_facts", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "freight", "revenue_plus_freight"}, GroupBy: []GroupBy{dim("segment")}},
			hand: `SELECT k.segment, a.rev, b.fr, CASE WHEN a.rev IS NOT NULL OR b.fr IS NOT NULL THEN COALESCE(a.rev, 0) + COALESCE(b.fr, 0) END
FROM (SELECT c.segment FROM {s}order_lines l` + lc + ` UNION SELECT c.segment FROM {s}orders o` + oc + `) k
LEFT JOIN (SELECT c.segment, SUM(l.amount) AS rev FROM {s}order_lines l` + lc + ` GROUP BY c.segment) a ON ` + ne("a", "k", "segment") + `
LEFT JOIN (SELECT c.segment, SUM(o.freight) AS fr FROM {s}orders o` + oc + ` GROUP BY c.segment) b ON ` + ne("b", "k", "segment")},
		// Fan-out trap: the header's freight by a dimension of the header
		// that the lines reach through it.
		{name: "header_and_lines", cal: julyCal,
			spec: Spec{Metrics: []string{"freight", "order_count", "revenue", "line_count"}, GroupBy: []GroupBy{dim("channel")}},
			hand: `SELECT b.channel, b.fr, b.n, a.rev, a.n FROM
(SELECT channel, SUM(freight) AS fr, COUNT(*) AS n FROM {s}orders GROUP BY channel) b
LEFT JOIN (SELECT o.channel, SUM(l.amount) AS rev, COUNT(*) AS n FROM {s}order_lines l LEFT JOIN {s}orders o ON o.order_id = l.order_id GROUP BY o.channel) a ON ` + ne("a", "b", "channel")},
		{name: "prior_year", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalQuarter)}, Compare: ComparePriorYear,
				Time: span("2024-07-01", "2025-07-01", semlayer.GrainFiscalYear, "FY2025")},
			hand: `SELECT c.fy, c.fq, c.rev, p.rev, c.rev - p.rev, CASE WHEN p.rev = 0 THEN NULL ELSE (c.rev - p.rev) * 100e0 / ABS(p.rev) END FROM
(SELECT fy, fq, SUM(amount) AS rev FROM (SELECT ` + julyFY("line_date") + ` AS fy, ` + julyFQ("line_date") + ` AS fq, amount FROM {s}order_lines
  WHERE line_date >= DATE '2024-07-01' AND line_date < DATE '2025-07-01') x GROUP BY fy, fq) c
LEFT JOIN (SELECT fy, fq, SUM(amount) AS rev FROM (SELECT ` + julyFY("line_date") + ` AS fy, ` + julyFQ("line_date") + ` AS fq, amount FROM {s}order_lines
  WHERE line_date >= DATE '2023-07-01' AND line_date < DATE '2024-07-01') x GROUP BY fy, fq) p ON p.fy + 1 = c.fy AND p.fq = c.fq`},
		// Prior period of one quarter, grouped by fiscal year and quarter:
		// the compared quarter is in the prior fiscal year.
		{name: "prior_period_fy_fq", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalYear), grain(semlayer.GrainFiscalQuarter)}, Compare: ComparePriorPeriod,
				Time: span("2024-07-01", "2024-10-01", semlayer.GrainFiscalQuarter, "FY2025 Q1")},
			hand: `SELECT c.fy, c.fy, c.fq, c.rev, p.rev, c.rev - p.rev, CASE WHEN p.rev = 0 THEN NULL ELSE (c.rev - p.rev) * 100e0 / ABS(p.rev) END FROM
(SELECT fy, fq, SUM(amount) AS rev FROM (SELECT ` + julyFY("line_date") + ` AS fy, ` + julyFQ("line_date") + ` AS fq, amount FROM {s}order_lines
  WHERE line_date >= DATE '2024-07-01' AND line_date < DATE '2024-10-01') x GROUP BY fy, fq) c
CROSS JOIN (SELECT SUM(amount) AS rev FROM {s}order_lines WHERE line_date >= DATE '2024-04-01' AND line_date < DATE '2024-07-01') p`},
		// Each quarter against the one before, without a time range
		// (quarter listed before year: the finer grain is compared).
		{name: "prior_period_quarters", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalQuarter), grain(semlayer.GrainFiscalYear)}, Compare: ComparePriorPeriod},
			hand: `SELECT c.fy, c.fq, c.fy, c.rev, p.rev, c.rev - p.rev, CASE WHEN p.rev = 0 THEN NULL ELSE (c.rev - p.rev) * 100e0 / ABS(p.rev) END FROM
(SELECT fy, fq, SUM(amount) AS rev FROM (SELECT ` + julyFY("line_date") + ` AS fy, ` + julyFQ("line_date") + ` AS fq, amount FROM {s}order_lines) x GROUP BY fy, fq) c
LEFT JOIN (SELECT fy, fq, SUM(amount) AS rev FROM (SELECT ` + julyFY("line_date") + ` AS fy, ` + julyFQ("line_date") + ` AS fq, amount FROM {s}order_lines) x GROUP BY fy, fq) p
  ON (p.fy = c.fy AND p.fq = c.fq - 1) OR (p.fy = c.fy - 1 AND p.fq = 4 AND c.fq = 1)`},
		// Three months against the three before, from the spine
		// (February 2024 has no rows).
		{name: "prior_period_months", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Compare: ComparePriorPeriod,
				Time: span("2024-01-01", "2024-04-01", semlayer.GrainMonth, "January 2024 – March 2024")},
			hand: `SELECT s.y, s.m, c.rev, p.rev, c.rev - p.rev, CASE WHEN p.rev = 0 THEN NULL ELSE (c.rev - p.rev) * 100e0 / ABS(p.rev) END
FROM (SELECT 2024 AS y, 1 AS m, 2023 AS py, 10 AS pm UNION ALL SELECT 2024, 2, 2023, 11 UNION ALL SELECT 2024, 3, 2023, 12) s
LEFT JOIN (SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines
  GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) c ON c.y = s.y AND c.m = s.m
LEFT JOIN (SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines
  GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) p ON p.y = s.py AND p.m = s.pm`},
		// Each month against the month before (the first against the
		// month before the range; February 2024 has no rows).
		{name: "previous_months", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Compare: ComparePrevious,
				Time: span("2024-01-01", "2024-05-01", semlayer.GrainMonth, "January 2024 – April 2024")},
			hand: `SELECT s.y, s.m, c.rev, p.rev, c.rev - p.rev, CASE WHEN p.rev = 0 THEN NULL ELSE (c.rev - p.rev) * 100e0 / ABS(p.rev) END
FROM (SELECT 2024 AS y, 1 AS m, 2023 AS py, 12 AS pm UNION ALL SELECT 2024, 2, 2024, 1 UNION ALL SELECT 2024, 3, 2024, 2 UNION ALL SELECT 2024, 4, 2024, 3) s
LEFT JOIN (SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines
  GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) c ON c.y = s.y AND c.m = s.m
LEFT JOIN (SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines
  GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) p ON p.y = s.py AND p.m = s.pm`},
		// Share by a snowflaked dimension (lines → customer → region).
		{name: "share", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{dim("region_name")}, Share: true},
			hand: `SELECT region_name, rev, rev * 100e0 / SUM(rev) OVER () FROM
(SELECT r.region_name, SUM(l.amount) AS rev FROM {s}order_lines l` + lc + ` LEFT JOIN {s}region r ON r.region_code = c.region_code GROUP BY r.region_name) x`},
		{name: "top", cal: julyCal, ordered: true,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{dim("customer_name")},
				Having: []Threshold{{Metric: "revenue", Op: ">", Value: "31000.5"}}, OrderBy: []Order{{Key: "revenue", Desc: true}}, Limit: 5},
			hand: `SELECT c.customer_name, SUM(l.amount) AS rev FROM {s}order_lines l` + lc + ` GROUP BY c.customer_name HAVING SUM(l.amount) > 31000.5 ORDER BY rev DESC LIMIT 5`},
		// How many customers meet a threshold, in all and by segment.
		{name: "count_members", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{dim("customer_name")},
				Having: []Threshold{{Metric: "revenue", Op: ">", Value: "31000.5"}}, Count: &GroupCount{Group: "customer_name", Name: "customers"}},
			hand: `SELECT COUNT(*) FROM (SELECT c.customer_name FROM {s}order_lines l` + lc + ` GROUP BY c.customer_name HAVING SUM(l.amount) > 31000.5) x`},
		{name: "count_members_by_segment", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{dim("segment"), dim("customer_name")},
				Having: []Threshold{{Metric: "revenue", Op: "<=", Value: "31000.5"}}, Count: &GroupCount{Group: "customer_name", Name: "customers"}},
			hand: `SELECT segment, COUNT(*) FROM (SELECT c.segment, c.customer_name FROM {s}order_lines l` + lc + ` GROUP BY c.segment, c.customer_name HAVING SUM(l.amount) <= 31000.5) x GROUP BY segment`},
		// The smallest three, the group without a customer among them.
		{name: "bottom", cal: julyCal, ordered: true,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{dim("customer_name")}, OrderBy: []Order{{Key: "revenue"}}, Limit: 3},
			hand: `SELECT c.customer_name, SUM(l.amount) AS rev FROM {s}order_lines l` + lc + ` GROUP BY c.customer_name ORDER BY rev LIMIT 3`},
		// Ordered by a dimension, descending, NULL last on every engine.
		{name: "order_by_dimension", cal: julyCal, ordered: true,
			spec: Spec{Metrics: []string{"freight"}, GroupBy: []GroupBy{dim("channel")}, OrderBy: []Order{{Key: "channel", Desc: true}}},
			hand: `SELECT channel, SUM(freight) FROM {s}orders GROUP BY channel ORDER BY CASE WHEN channel IS NULL THEN 1 ELSE 0 END, channel DESC`},
		{name: "where", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "quantity"}, GroupBy: []GroupBy{dim("channel")},
				Where:   "category IN ('Hardware', 'Software') AND segment <> 'Public'",
				Filters: []Filter{{Dimension: "region_name", Values: []string{"North", "South"}}}},
			hand: `SELECT o.channel, SUM(l.amount), SUM(l.quantity) FROM {s}order_lines l LEFT JOIN {s}orders o ON o.order_id = l.order_id
LEFT JOIN {s}product p ON p.product_id = l.product_id` + lc + ` LEFT JOIN {s}region r ON r.region_code = c.region_code
WHERE p.category IN ('Hardware', 'Software') AND c.segment <> 'Public' AND r.region_name IN ('North', 'South') GROUP BY o.channel`},
		{name: "fiscal_year_july", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "order_count"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalYear)}},
			hand: `SELECT a.fy, a.rev, b.n FROM
(SELECT fy, SUM(amount) AS rev FROM (SELECT ` + julyFY("line_date") + ` AS fy, amount FROM {s}order_lines) x GROUP BY fy) a
LEFT JOIN (SELECT fy, COUNT(*) AS n FROM (SELECT ` + julyFY("order_date") + ` AS fy FROM {s}orders) x GROUP BY fy) b ON a.fy = b.fy`},
		// Two facts in several currencies, no rates: each fact's amounts
		// grouped by its own currency column.
		{name: "currency_two_facts", cal: julyCal, ccy: true,
			spec: Spec{Metrics: []string{"revenue", "freight"}, GroupBy: []GroupBy{dim("segment")}},
			hand: `SELECT k.segment, k.currency, a.rev, b.fr
FROM (SELECT c.segment, l.currency FROM {s}order_lines l` + lc + ` UNION SELECT c.segment, o.currency FROM {s}orders o` + oc + `) k
LEFT JOIN (SELECT c.segment, l.currency, SUM(l.amount) AS rev FROM {s}order_lines l` + lc + ` GROUP BY c.segment, l.currency) a ON ` + ne("a", "k", "segment") + ` AND a.currency = k.currency
LEFT JOIN (SELECT c.segment, o.currency, SUM(o.freight) AS fr FROM {s}orders o` + oc + ` GROUP BY c.segment, o.currency) b ON ` + ne("b", "k", "segment") + ` AND b.currency = k.currency`},
		// A filtered metric (through the header), a distinct count and an
		// average of the other fact, by a shared dimension.
		{name: "measures", cal: julyCal,
			spec: Spec{Metrics: []string{"web_revenue", "active_customers", "avg_freight"}, GroupBy: []GroupBy{dim("segment")}},
			hand: `SELECT k.segment, a.web, a.n, b.af
FROM (SELECT c.segment FROM {s}order_lines l` + lc + ` UNION SELECT c.segment FROM {s}orders o` + oc + `) k
LEFT JOIN (SELECT c.segment, SUM(CASE WHEN o.channel = 'Web' THEN l.amount END) AS web, COUNT(DISTINCT l.customer_id) AS n
  FROM {s}order_lines l LEFT JOIN {s}orders o ON o.order_id = l.order_id` + lc + ` GROUP BY c.segment) a ON ` + ne("a", "k", "segment") + `
LEFT JOIN (SELECT c.segment, AVG(o.freight * 1e0) AS af FROM {s}orders o` + oc + ` GROUP BY c.segment) b ON ` + ne("b", "k", "segment")},
		// A distinct count over only another metric's rows (the customers
		// with web revenue), and the revenue per such customer.
		{name: "restricted_rows", cal: julyCal,
			spec: Spec{Metrics: []string{"web_customers", "web_revenue_per_customer"}, GroupBy: []GroupBy{dim("category")},
				Restricted: []Restricted{{Name: "web_customers", Metric: "active_customers", Rows: "web_revenue"}},
				Ratios:     []Ratio{{Name: "web_revenue_per_customer", Numerator: "web_revenue", Denominator: "web_customers", Format: "money"}}},
			hand: `SELECT p.category, COUNT(DISTINCT CASE WHEN o.channel = 'Web' THEN l.customer_id END),
  SUM(CASE WHEN o.channel = 'Web' THEN l.amount END) * 1e0 / NULLIF(COUNT(DISTINCT CASE WHEN o.channel = 'Web' THEN l.customer_id END), 0)
FROM {s}order_lines l LEFT JOIN {s}orders o ON o.order_id = l.order_id LEFT JOIN {s}product p ON p.product_id = l.product_id GROUP BY p.category`},
		// A share of a filtered subset: the Enterprise customers' revenue
		// over all the revenue, by category (Restricted.Where).
		{name: "restricted_where_share", cal: julyCal,
			spec: Spec{Metrics: []string{"ent_share"}, GroupBy: []GroupBy{dim("category")},
				Restricted: []Restricted{{Name: "ent_revenue", Metric: "revenue", Where: "segment = 'Enterprise'"}},
				Ratios:     []Ratio{{Name: "ent_share", Numerator: "ent_revenue", Denominator: "revenue", Format: "percent", Percent: true}}},
			hand: `SELECT p.category, SUM(CASE WHEN c.segment = 'Enterprise' THEN l.amount END) * 1e0 / NULLIF(SUM(l.amount), 0) * 100
FROM {s}order_lines l` + lc + ` LEFT JOIN {s}product p ON p.product_id = l.product_id GROUP BY p.category`},
		// The same share in several currencies without rates: one row per
		// currency (a ratio of amounts of two currencies means nothing).
		{name: "restricted_where_share_ccy", cal: julyCal, ccy: true,
			spec: Spec{Metrics: []string{"ent_share"},
				Restricted: []Restricted{{Name: "ent_revenue", Metric: "revenue", Where: "segment = 'Enterprise'"}},
				Ratios:     []Ratio{{Name: "ent_share", Numerator: "ent_revenue", Denominator: "revenue", Format: "percent", Percent: true}}},
			hand: `SELECT l.currency, SUM(CASE WHEN c.segment = 'Enterprise' THEN l.amount END) * 1e0 / NULLIF(SUM(l.amount), 0) * 100
FROM {s}order_lines l` + lc + ` GROUP BY l.currency`},
		// A grain of another model's date: the lines' revenue by the
		// fiscal quarter of their order's date (not of the lines' own).
		{name: "by_dimension_date_grain", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{{Dimension: "order_date", Grain: semlayer.GrainFiscalQuarter}}},
			hand: `SELECT ` + julyFY("o.order_date") + `, ` + julyFQ("o.order_date") + `, SUM(l.amount)
FROM {s}order_lines l LEFT JOIN {s}orders o ON o.order_id = l.order_id GROUP BY 1, 2`},
		// Each customer counted at its first line: the new customers by
		// fiscal year (the years with lines but no new customer count 0).
		{name: "restricted_first_by_year", cal: julyCal,
			spec: Spec{Metrics: []string{"new_customers"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalYear)},
				Restricted: []Restricted{{Name: "new_customers", Metric: "active_customers", First: true}}},
			hand: `SELECT k.fy, COALESCE(n.c, 0) FROM (SELECT DISTINCT ` + julyFY("line_date") + ` AS fy FROM {s}order_lines) k
LEFT JOIN (SELECT ` + julyFY("d") + ` AS fy, COUNT(*) AS c FROM (SELECT customer_id, MIN(line_date) AS d FROM {s}order_lines WHERE customer_id IS NOT NULL GROUP BY customer_id) f GROUP BY 1) n ON n.fy = k.fy`},
		// ... in a range: whose first line falls in it (not the first line
		// within the range).
		{name: "restricted_first_in_range", cal: julyCal,
			spec: Spec{Metrics: []string{"new_customers"}, Time: span("2024-01-01", "2024-07-01", semlayer.GrainMonth, "H2 FY2024"),
				Restricted: []Restricted{{Name: "new_customers", Metric: "active_customers", First: true}}},
			hand: `SELECT COUNT(*) FROM (SELECT customer_id, MIN(line_date) AS d FROM {s}order_lines WHERE customer_id IS NOT NULL GROUP BY customer_id) f
WHERE d >= DATE '2024-01-01' AND d < DATE '2024-07-01'`},
		// The lines no return references (by order and line number), by
		// category.
		{name: "restricted_without", cal: julyCal,
			spec: Spec{Metrics: []string{"lines_kept"}, GroupBy: []GroupBy{dim("category")},
				Restricted: []Restricted{{Name: "lines_kept", Metric: "line_count", Without: "line_returns"}}},
			hand: `SELECT p.category, COUNT(CASE WHEN NOT EXISTS (SELECT 1 FROM {s}line_returns r WHERE r.order_id = l.order_id AND r.line_no = l.line_no) THEN 1 END)
FROM {s}order_lines l LEFT JOIN {s}product p ON p.product_id = l.product_id GROUP BY p.category`},
		// The part of one fact's rows of a period settled by another fact
		// that references them, whenever: the refunds of the lines dated
		// in FY2024 over those lines' revenue (a date of the referenced
		// fact in both filters, no range of the query's own).
		{name: "restricted_where_linked_date", cal: julyCal,
			spec: Spec{Metrics: []string{"refunded_pct"},
				Restricted: []Restricted{{Name: "rev_fy24", Metric: "revenue", Where: "line_date >= DATE '2023-07-01' AND line_date < DATE '2024-07-01'"},
					{Name: "refunds_fy24", Metric: "refunds", Where: "line_date >= DATE '2023-07-01' AND line_date < DATE '2024-07-01'"}},
				Ratios: []Ratio{{Name: "refunded_pct", Numerator: "refunds_fy24", Denominator: "rev_fy24", Format: "percent", Percent: true}}},
			hand: `SELECT (SELECT SUM(r.refund) FROM {s}line_returns r JOIN {s}order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
  WHERE l.line_date >= DATE '2023-07-01' AND l.line_date < DATE '2024-07-01') * 1e0
/ (SELECT SUM(amount) FROM {s}order_lines WHERE line_date >= DATE '2023-07-01' AND line_date < DATE '2024-07-01') * 100`},
		// The units at each product's unit cost (a cost of goods sold)
		// and revenue less it, by category.
		{name: "priced_margin", cal: julyCal,
			spec: Spec{Metrics: []string{"cogs", "margin"}, GroupBy: []GroupBy{dim("category")},
				Priced:  []Priced{{Name: "cogs", Metric: "quantity", Attribute: "unit_cost", Format: "money"}},
				Derived: []Derived{{Name: "margin", Expr: "revenue - cogs", Format: "money"}}},
			hand: `SELECT p.category, SUM(l.quantity * p.unit_cost), SUM(l.amount) - SUM(l.quantity * p.unit_cost)
FROM {s}order_lines l LEFT JOIN {s}product p ON p.product_id = l.product_id GROUP BY p.category`},
		// The average of a member's attribute: the unit costs of the
		// products counted over their count, by category.
		{name: "priced_attribute_average", cal: julyCal,
			spec: Spec{Metrics: []string{"avg_cost"}, GroupBy: []GroupBy{dim("category")},
				Priced:  []Priced{{Name: "cost_sum", Metric: "product_count", Attribute: "unit_cost", Format: "money"}},
				Derived: []Derived{{Name: "avg_cost", Expr: "cost_sum / product_count", Format: "money"}}},
			hand: `SELECT category, AVG(unit_cost) FROM {s}product GROUP BY category`},
		// A query's own formula over metrics of two facts: revenue less
		// the refunds of the lines returned, by product category.
		{name: "derived_in_spec", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue_less_refunds"}, GroupBy: []GroupBy{dim("category")},
				Derived: []Derived{{Name: "revenue_less_refunds", Expr: "revenue - refunds", Format: "money"}}},
			hand: `SELECT k.category, COALESCE(a.rev, 0) - COALESCE(b.rf, 0) FROM
(SELECT p.category FROM {s}order_lines l LEFT JOIN {s}product p ON p.product_id = l.product_id
  UNION SELECT p.category FROM {s}line_returns r LEFT JOIN {s}order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
  LEFT JOIN {s}product p ON p.product_id = l.product_id) k
LEFT JOIN (SELECT p.category, SUM(l.amount) AS rev FROM {s}order_lines l LEFT JOIN {s}product p ON p.product_id = l.product_id GROUP BY p.category) a ON ` + ne("a", "k", "category") + `
LEFT JOIN (SELECT p.category, SUM(r.refund) AS rf FROM {s}line_returns r LEFT JOIN {s}order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
  LEFT JOIN {s}product p ON p.product_id = l.product_id GROUP BY p.category) b ON ` + ne("b", "k", "category")},
		// A ratio and a dividing formula over two facts by a dimension both
		// reach in two hops (customer → region).
		{name: "ratios_two_facts", cal: julyCal,
			spec: Spec{Metrics: []string{"freight_pct", "avg_order_value"}, GroupBy: []GroupBy{dim("region_name")}},
			hand: `SELECT a.region_name, b.fr * 1e0 / NULLIF(a.rev, 0) * 100, COALESCE(a.rev, 0) * 1e0 / NULLIF(COALESCE(b.n, 0), 0) FROM
(SELECT r.region_name, SUM(l.amount) AS rev FROM {s}order_lines l` + lc + ` LEFT JOIN {s}region r ON r.region_code = c.region_code GROUP BY r.region_name) a
LEFT JOIN (SELECT r.region_name, SUM(o.freight) AS fr, COUNT(*) AS n FROM {s}orders o` + oc + ` LEFT JOIN {s}region r ON r.region_code = c.region_code GROUP BY r.region_name) b ON ` + ne("a", "b", "region_name")},
		// A running total within each channel, month by month.
		{name: "cumulative_by_channel", cal: julyCal,
			spec: Spec{Metrics: []string{"cumulative_revenue"}, GroupBy: []GroupBy{dim("channel"), grain(semlayer.GrainMonth)},
				Time: span("2024-01-01", "2024-07-01", semlayer.GrainMonth, "January 2024 – June 2024")},
			hand: `SELECT ch, y, m, SUM(rev) OVER (PARTITION BY ch ORDER BY y, m) FROM
(SELECT o.channel AS ch, EXTRACT(YEAR FROM l.line_date) AS y, EXTRACT(MONTH FROM l.line_date) AS m, SUM(l.amount) AS rev
  FROM {s}order_lines l LEFT JOIN {s}orders o ON o.order_id = l.order_id
  WHERE l.line_date >= DATE '2024-01-01' AND l.line_date < DATE '2024-07-01'
  GROUP BY o.channel, EXTRACT(YEAR FROM l.line_date), EXTRACT(MONTH FROM l.line_date)) x`},
		// Every month against the same month a year before, no range.
		{name: "prior_year_months", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Compare: ComparePriorYear},
			hand: `SELECT c.y, c.m, c.rev, p.rev, c.rev - p.rev, CASE WHEN p.rev = 0 THEN NULL ELSE (c.rev - p.rev) * 100e0 / ABS(p.rev) END FROM
(SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) c
LEFT JOIN (SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) p
  ON p.y + 1 = c.y AND p.m = c.m`},
		// A filter on the header's date for both facts, and a member
		// excluded: rows without a channel are not the excluded member.
		{name: "where_date_not_in", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "freight"}, GroupBy: []GroupBy{dim("segment")},
				Where:   "order_date >= '2024-07-01'",
				Filters: []Filter{{Dimension: "channel", Values: []string{"Partner"}, Not: true}}},
			hand: `SELECT k.segment, a.rev, b.fr
FROM (SELECT c.segment FROM {s}order_lines l` + lc + ` UNION SELECT c.segment FROM {s}orders o` + oc + `) k
LEFT JOIN (SELECT c.segment, SUM(l.amount) AS rev FROM {s}order_lines l LEFT JOIN {s}orders o ON o.order_id = l.order_id` + lc + `
  WHERE o.order_date >= DATE '2024-07-01' AND (o.channel IS NULL OR o.channel <> 'Partner') GROUP BY c.segment) a ON ` + ne("a", "k", "segment") + `
LEFT JOIN (SELECT c.segment, SUM(o.freight) AS fr FROM {s}orders o` + oc + `
  WHERE o.order_date >= DATE '2024-07-01' AND (o.channel IS NULL OR o.channel <> 'Partner') GROUP BY c.segment) b ON ` + ne("b", "k", "segment")},
		// Months past the data (July, August 2025) from the spine.
		{name: "spine_past_data", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "order_count"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)},
				Time: span("2025-05-01", "2025-09-01", semlayer.GrainMonth, "May 2025 – August 2025")},
			hand: `SELECT s.y, s.m, a.rev, b.n
FROM (SELECT 2025 AS y, 5 AS m UNION ALL SELECT 2025, 6 UNION ALL SELECT 2025, 7 UNION ALL SELECT 2025, 8) s
LEFT JOIN (SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines
  GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) a ON a.y = s.y AND a.m = s.m
LEFT JOIN (SELECT EXTRACT(YEAR FROM order_date) AS y, EXTRACT(MONTH FROM order_date) AS m, COUNT(*) AS n FROM {s}orders
  GROUP BY EXTRACT(YEAR FROM order_date), EXTRACT(MONTH FROM order_date)) b ON b.y = s.y AND b.m = s.m`},
		// A member with a quote in its name, by a structured filter.
		{name: "quoted_member", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{dim("category")},
				Filters: []Filter{{Dimension: "customer_name", Values: []string{"O'Neil & Sons"}}}},
			hand: `SELECT p.category, SUM(l.amount) FROM {s}order_lines l LEFT JOIN {s}product p ON p.product_id = l.product_id` + lc + `
WHERE c.customer_name = 'O''Neil & Sons' GROUP BY p.category`},
		// April calendar, fiscal years named by their start, over a range
		// of two fiscal years of which the first starts before the data.
		{name: "fiscal_year_april_range", cal: aprilCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalYear)},
				Time: span("2023-04-01", "2025-04-01", semlayer.GrainFiscalYear, "FY2023 – FY2024")},
			hand: `SELECT fy, SUM(amount) FROM (SELECT ` + aprilFY("line_date") + ` AS fy, amount FROM {s}order_lines
  WHERE line_date >= DATE '2023-04-01' AND line_date < DATE '2025-04-01') x GROUP BY fy`},
		// Days (no spine at day grain) and calendar years.
		{name: "by_day", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainDay)},
				Time: &semlayer.Range{From: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), Grain: semlayer.GrainDay, Count: 14, Label: "1–14 March 2024"}},
			hand: `SELECT line_date, SUM(amount) FROM {s}order_lines WHERE line_date >= DATE '2024-03-01' AND line_date < DATE '2024-03-15' GROUP BY line_date`},
		{name: "by_year", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "freight"}, GroupBy: []GroupBy{grain(semlayer.GrainYear)}},
			hand: `SELECT a.y, a.rev, b.fr FROM
(SELECT EXTRACT(YEAR FROM line_date) AS y, SUM(amount) AS rev FROM {s}order_lines GROUP BY EXTRACT(YEAR FROM line_date)) a
LEFT JOIN (SELECT EXTRACT(YEAR FROM order_date) AS y, SUM(freight) AS fr FROM {s}orders GROUP BY EXTRACT(YEAR FROM order_date)) b ON a.y = b.y`},
		// Amounts converted at each currency's rate (quantities not), two
		// facts by a shared dimension.
		{name: "converted", cal: julyCal, rates: true,
			spec: Spec{Metrics: []string{"revenue", "freight", "avg_freight", "quantity"}, GroupBy: []GroupBy{dim("segment")}},
			hand: `SELECT k.segment, a.rev, b.fr, b.af, a.q
FROM (SELECT c.segment FROM {s}order_lines l` + lc + ` UNION SELECT c.segment FROM {s}orders o` + oc + `) k
LEFT JOIN (SELECT c.segment, SUM(l.amount * fx.rate) AS rev, SUM(l.quantity) AS q FROM {s}order_lines l` + lc + ` LEFT JOIN {s}fx fx ON fx.currency = l.currency GROUP BY c.segment) a ON ` + ne("a", "k", "segment") + `
LEFT JOIN (SELECT c.segment, SUM(o.freight * fx.rate) AS fr, AVG(o.freight * fx.rate * 1e0) AS af FROM {s}orders o` + oc + ` LEFT JOIN {s}fx fx ON fx.currency = o.currency GROUP BY c.segment) b ON ` + ne("b", "k", "segment")},
		// What a question answers: groups with a member and a value only.
		{name: "skip_empty_members", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "freight"}, GroupBy: []GroupBy{dim("segment")}, SkipEmpty: true},
			hand: `SELECT a.segment, a.rev, b.fr FROM
(SELECT c.segment, SUM(l.amount) AS rev FROM {s}order_lines l JOIN {s}customer c ON c.customer_id = l.customer_id AND c.is_current = 1 GROUP BY c.segment) a
LEFT JOIN (SELECT c.segment, SUM(o.freight) AS fr FROM {s}orders o JOIN {s}customer c ON c.customer_id = o.customer_id AND c.is_current = 1 GROUP BY c.segment) b ON a.segment = b.segment`},
		// A member whose attribute is empty is a group (an inner join to
		// the member); lines without a product are not.
		{name: "skip_empty_null_attribute", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{dim("category")}, SkipEmpty: true},
			hand: `SELECT p.category, SUM(l.amount) FROM {s}order_lines l JOIN {s}product p ON p.product_id = l.product_id GROUP BY p.category`},
		{name: "skip_empty_months", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, SkipEmpty: true,
				Time: span("2024-01-01", "2024-07-01", semlayer.GrainMonth, "January 2024 – June 2024")},
			hand: `SELECT EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date), SUM(amount) FROM {s}order_lines
WHERE line_date >= DATE '2024-01-01' AND line_date < DATE '2024-07-01' GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)`},
		// A formula with MAX, ROUND and ABS over two facts.
		{name: "formula_functions", cal: julyCal,
			spec: Spec{Metrics: []string{"formula_functions"}, GroupBy: []GroupBy{dim("channel")}},
			hand: `SELECT b.channel, GREATEST(COALESCE(a.rev, 0), COALESCE(b.fr, 0) * 20) + ROUND(COALESCE(a.rev, 0) * 1e0 / 3, 2) - ABS(-COALESCE(b.fr, 0)) FROM
(SELECT channel, SUM(freight) AS fr FROM {s}orders GROUP BY channel) b
LEFT JOIN (SELECT o.channel, SUM(l.amount) AS rev FROM {s}order_lines l LEFT JOIN {s}orders o ON o.order_id = l.order_id GROUP BY o.channel) a ON ` + ne("a", "b", "channel")},
		// The months that grew most on the year before (months without a
		// year before have no change: last).
		{name: "top_change", cal: julyCal, ordered: true,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Compare: ComparePriorYear,
				OrderBy: []Order{{Key: "revenue_change", Desc: true}}, Limit: 3},
			hand: `SELECT c.y, c.m, c.rev, p.rev, c.rev - p.rev AS chg, CASE WHEN p.rev = 0 THEN NULL ELSE (c.rev - p.rev) * 100e0 / ABS(p.rev) END FROM
(SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) c
LEFT JOIN (SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) p
  ON p.y + 1 = c.y AND p.m = c.m
ORDER BY CASE WHEN p.rev IS NULL THEN 1 ELSE 0 END, c.rev - p.rev DESC LIMIT 3`},
		// The two best customers of each segment.
		{name: "rank_within", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{dim("segment"), dim("customer_name")},
				OrderBy: []Order{{Key: "revenue", Desc: true}}, Limit: 2, RankWithin: []string{"segment"}},
			hand: `SELECT segment, customer_name, rev FROM (SELECT segment, customer_name, rev, ROW_NUMBER() OVER (PARTITION BY segment ORDER BY rev DESC) AS rn FROM
(SELECT c.segment, c.customer_name, SUM(l.amount) AS rev FROM {s}order_lines l` + lc + ` GROUP BY c.segment, c.customer_name) x) y WHERE rn <= 2`},
		// A ratio made for the query: revenue per order, by channel.
		{name: "query_ratio", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue_per_order"}, GroupBy: []GroupBy{dim("channel")},
				Ratios: []Ratio{{Name: "revenue_per_order", Numerator: "revenue", Denominator: "order_count", Format: "money"}}},
			hand: `SELECT b.channel, a.rev * 1e0 / NULLIF(b.n, 0) FROM
(SELECT channel, COUNT(*) AS n FROM {s}orders GROUP BY channel) b
LEFT JOIN (SELECT o.channel, SUM(l.amount) AS rev FROM {s}order_lines l LEFT JOIN {s}orders o ON o.order_id = l.order_id GROUP BY o.channel) a ON ` + ne("a", "b", "channel")},
		// April calendar: FY2024 (April 2024 – March 2025) by quarter on
		// FY2023, whose first quarter has no rows.
		{name: "prior_year_april", cal: aprilCal,
			spec: Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalQuarter)}, Compare: ComparePriorYear,
				Time: span("2024-04-01", "2025-04-01", semlayer.GrainFiscalYear, "FY2024")},
			hand: `SELECT c.fy, c.fq, c.rev, p.rev, c.rev - p.rev, CASE WHEN p.rev = 0 THEN NULL ELSE (c.rev - p.rev) * 100e0 / ABS(p.rev) END FROM
(SELECT fy, fq, SUM(amount) AS rev FROM (SELECT ` + aprilFY("line_date") + ` AS fy, ` + aprilFQ("line_date") + ` AS fq, amount FROM {s}order_lines
  WHERE line_date >= DATE '2024-04-01' AND line_date < DATE '2025-04-01') x GROUP BY fy, fq) c
LEFT JOIN (SELECT fy, fq, SUM(amount) AS rev FROM (SELECT ` + aprilFY("line_date") + ` AS fy, ` + aprilFQ("line_date") + ` AS fq, amount FROM {s}order_lines
  WHERE line_date >= DATE '2023-04-01' AND line_date < DATE '2024-04-01') x GROUP BY fy, fq) p ON p.fy + 1 = c.fy AND p.fq = c.fq`},
		// A derived metric over its input a year earlier, by fiscal
		// quarter of FY2025 (the spine lists the four quarters).
		{name: "offset_year_by_quarter", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "revenue_yoy_change"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalQuarter)},
				Time: span("2024-07-01", "2025-07-01", semlayer.GrainFiscalYear, "FY2025")},
			hand: `SELECT s.fy, s.fq, c.rev, CASE WHEN c.rev IS NOT NULL OR p.rev IS NOT NULL THEN COALESCE(c.rev, 0) - COALESCE(p.rev, 0) END
FROM (SELECT 2025 AS fy, 1 AS fq UNION ALL SELECT 2025, 2 UNION ALL SELECT 2025, 3 UNION ALL SELECT 2025, 4) s
LEFT JOIN (SELECT fy, fq, SUM(amount) AS rev FROM (SELECT ` + julyFY("line_date") + ` AS fy, ` + julyFQ("line_date") + ` AS fq, amount FROM {s}order_lines
  WHERE line_date >= DATE '2024-07-01' AND line_date < DATE '2025-07-01') x GROUP BY fy, fq) c ON c.fy = s.fy AND c.fq = s.fq
LEFT JOIN (SELECT fy, fq, SUM(amount) AS rev FROM (SELECT ` + julyFY("line_date") + ` AS fy, ` + julyFQ("line_date") + ` AS fq, amount FROM {s}order_lines
  WHERE line_date >= DATE '2023-07-01' AND line_date < DATE '2024-07-01') x GROUP BY fy, fq) p ON p.fy + 1 = s.fy AND p.fq = s.fq`},
		// Each month on the month before, without a range; and freight
		// by fiscal year and quarter on the quarter before (the year of
		// the moved quarter).
		{name: "offset_month_no_range", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue_mom_change"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}},
			hand: `SELECT c.y, c.m, CASE WHEN c.rev IS NOT NULL OR p.rev IS NOT NULL THEN COALESCE(c.rev, 0) - COALESCE(p.rev, 0) END FROM
(SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) c
LEFT JOIN (SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, SUM(amount) AS rev FROM {s}order_lines GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) p
  ON (p.y = c.y AND p.m = c.m - 1) OR (p.y = c.y - 1 AND p.m = 12 AND c.m = 1)`},
		{name: "offset_quarter_fy_fq", cal: julyCal,
			spec: Spec{Metrics: []string{"freight_qoq_ratio"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalYear), grain(semlayer.GrainFiscalQuarter)},
				Time: span("2024-07-01", "2025-07-01", semlayer.GrainFiscalYear, "FY2025")},
			hand: `SELECT c.fy, c.fy, c.fq, CASE WHEN c.fr IS NOT NULL OR p.fr IS NOT NULL THEN COALESCE(c.fr, 0) * 1e0 / NULLIF(COALESCE(p.fr, 0), 0) END FROM
(SELECT fy, fq, SUM(freight) AS fr FROM (SELECT ` + julyFY("order_date") + ` AS fy, ` + julyFQ("order_date") + ` AS fq, freight FROM {s}orders
  WHERE order_date >= DATE '2024-07-01' AND order_date < DATE '2025-07-01') x GROUP BY fy, fq) c
LEFT JOIN (SELECT fy, fq, SUM(freight) AS fr FROM (SELECT ` + julyFY("order_date") + ` AS fy, ` + julyFQ("order_date") + ` AS fq, freight FROM {s}orders
  WHERE order_date >= DATE '2024-04-01' AND order_date < DATE '2025-04-01') x GROUP BY fy, fq) p
  ON (p.fy = c.fy AND p.fq = c.fq - 1) OR (p.fy = c.fy - 1 AND p.fq = 4 AND c.fq = 1)`},
		// A stock by month: the quantity of each month's last day with
		// rows (February 2024 has none), not the month's sum.
		{name: "stock_by_month", cal: julyCal,
			spec: Spec{Metrics: []string{"quantity_stock", "quantity_opening"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)},
				Time: span("2024-01-01", "2024-07-01", semlayer.GrainMonth, "January 2024 – June 2024")},
			hand: `SELECT s.y, s.m, a.q, b.q
FROM (SELECT 2024 AS y, 1 AS m UNION ALL SELECT 2024, 2 UNION ALL SELECT 2024, 3 UNION ALL SELECT 2024, 4 UNION ALL SELECT 2024, 5 UNION ALL SELECT 2024, 6) s
LEFT JOIN (SELECT EXTRACT(YEAR FROM l.line_date) AS y, EXTRACT(MONTH FROM l.line_date) AS m, SUM(l.quantity) AS q FROM {s}order_lines l
  JOIN (SELECT MAX(line_date) AS d FROM {s}order_lines WHERE line_date >= DATE '2024-01-01' AND line_date < DATE '2024-07-01'
    GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) e ON e.d = l.line_date
  GROUP BY EXTRACT(YEAR FROM l.line_date), EXTRACT(MONTH FROM l.line_date)) a ON a.y = s.y AND a.m = s.m
LEFT JOIN (SELECT EXTRACT(YEAR FROM l.line_date) AS y, EXTRACT(MONTH FROM l.line_date) AS m, SUM(l.quantity) AS q FROM {s}order_lines l
  JOIN (SELECT MIN(line_date) AS d FROM {s}order_lines WHERE line_date >= DATE '2024-01-01' AND line_date < DATE '2024-07-01'
    GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) e ON e.d = l.line_date
  GROUP BY EXTRACT(YEAR FROM l.line_date), EXTRACT(MONTH FROM l.line_date)) b ON b.y = s.y AND b.m = s.m`},
		// A stock at the end of a fiscal year, by a dimension, beside a
		// flow summed over the year.
		{name: "stock_at_year_end", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "quantity_stock"}, GroupBy: []GroupBy{dim("category")},
				Time: span("2023-07-01", "2024-07-01", semlayer.GrainFiscalYear, "FY2024")},
			hand: `SELECT p.category, SUM(l.amount), SUM(CASE WHEN l.line_date = e.d THEN l.quantity END)
FROM {s}order_lines l CROSS JOIN (SELECT MAX(line_date) AS d FROM {s}order_lines WHERE line_date >= DATE '2023-07-01' AND line_date < DATE '2024-07-01') e
LEFT JOIN {s}product p ON p.product_id = l.product_id
WHERE l.line_date >= DATE '2023-07-01' AND l.line_date < DATE '2024-07-01' GROUP BY p.category`},
		// A fact reaching another's dimensions through a composite key:
		// refunds by the returned line's product category and by its
		// customer's segment (two hops), in FY2025.
		{name: "composite_fact_link", cal: julyCal,
			spec: Spec{Metrics: []string{"refunds"}, GroupBy: []GroupBy{dim("category"), dim("segment")},
				Time: span("2024-07-01", "2025-07-01", semlayer.GrainFiscalYear, "FY2025")},
			hand: `SELECT p.category, c.segment, SUM(r.refund) FROM {s}line_returns r
LEFT JOIN {s}order_lines l ON l.order_id = r.order_id AND l.line_no = r.line_no
LEFT JOIN {s}product p ON p.product_id = l.product_id` + lc + `
WHERE r.return_date >= DATE '2024-07-01' AND r.return_date < DATE '2025-07-01' GROUP BY p.category, c.segment`},
		// Year to date by month over two fiscal years (restarting each
		// July), revenue and a count.
		{name: "running_ytd_by_month", cal: julyCal,
			spec: Spec{Metrics: []string{"revenue", "line_count"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Cumulative: CumulativeFiscalYear},
			hand: `SELECT y, m, SUM(rev) OVER (PARTITION BY ` + julyFY("d") + ` ORDER BY y, m), SUM(n) OVER (PARTITION BY ` + julyFY("d") + ` ORDER BY y, m) FROM
(SELECT EXTRACT(YEAR FROM line_date) AS y, EXTRACT(MONTH FROM line_date) AS m, MIN(line_date) AS d, SUM(amount) AS rev, COUNT(*) AS n FROM {s}order_lines
  GROUP BY EXTRACT(YEAR FROM line_date), EXTRACT(MONTH FROM line_date)) x`},
		// A running total by fiscal quarter within each channel, over a
		// fiscal year.
		{name: "running_by_quarter_channel", cal: julyCal,
			spec: Spec{Metrics: []string{"freight"}, GroupBy: []GroupBy{dim("channel"), grain(semlayer.GrainFiscalQuarter)}, Cumulative: CumulativeAll,
				Time: span("2024-07-01", "2025-07-01", semlayer.GrainFiscalYear, "FY2025")},
			hand: `SELECT ch, fy, fq, SUM(fr) OVER (PARTITION BY ch ORDER BY fy, fq) FROM
(SELECT channel AS ch, fy, fq, SUM(freight) AS fr FROM (SELECT channel, ` + julyFY("order_date") + ` AS fy, ` + julyFQ("order_date") + ` AS fq, freight FROM {s}orders
  WHERE order_date >= DATE '2024-07-01' AND order_date < DATE '2025-07-01') o GROUP BY channel, fy, fq) x`},
		// April calendar named by the year it starts in.
		{name: "fiscal_april", cal: aprilCal,
			spec: Spec{Metrics: []string{"revenue", "freight"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalYear), grain(semlayer.GrainFiscalQuarter)}},
			hand: `SELECT a.fy, a.fy2, a.fq, a.rev, b.fr FROM
(SELECT fy, fy AS fy2, fq, SUM(amount) AS rev FROM (SELECT ` + aprilFY("line_date") + ` AS fy, ` + aprilFQ("line_date") + ` AS fq, amount FROM {s}order_lines) x GROUP BY fy, fq) a
LEFT JOIN (SELECT fy, fq, SUM(freight) AS fr FROM (SELECT ` + aprilFY("order_date") + ` AS fy, ` + aprilFQ("order_date") + ` AS fq, freight FROM {s}orders) x GROUP BY fy, fq) b ON a.fy = b.fy AND a.fq = b.fq`},
	}
}

// TestGoldenSQL compiles every case for the seven engines and compares
// the SQL with testdata/golden/<case>.<dialect>.sql. Run `go test
// ./pkg/query -run TestGoldenSQL -update` after an intended change and
// review the diff.
func TestGoldenSQL(t *testing.T) {
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	known := map[string]bool{}
	for _, c := range cases() {
		l := c.layer("fin")
		for _, dl := range allDialects {
			out, err := Compile(l, c.spec, dl)
			if err != nil {
				t.Errorf("%s %s: %v", c.name, dl, err)
				continue
			}
			path := filepath.Join(goldenDir, c.name+"."+dl+".sql")
			known[path] = true
			got := out.SQL + "\n"
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s: no golden file (%v); run go test ./pkg/query -run TestGoldenSQL -update and review it", path, err)
				continue
			}
			if string(want) != got {
				t.Errorf("%s: the compiled SQL changed; if intended, run go test ./pkg/query -run TestGoldenSQL -update and review the diff.\ngot:\n%s", path, got)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.sql"))
	for _, f := range files {
		if known[f] {
			continue
		}
		if *update {
			_ = os.Remove(f)
			continue
		}
		t.Errorf("%s: golden file of no case; run with -update to remove it", f)
	}
}

// TestGoldenSQLParses parses every golden file with sqlglot in its
// dialect.
func TestGoldenSQLParses(t *testing.T) {
	python := testenv.VenvTool(t, "python")
	script := filepath.Join("..", "dialect", "testdata", "sqlglot_parse.py")
	for _, dl := range allDialects {
		files, err := filepath.Glob(filepath.Join(goldenDir, "*."+dl+".sql"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no golden files (%v)", dl, err)
		}
		glot := map[string]string{d.SQLServer: "tsql"}[dl]
		if glot == "" {
			glot = dl
		}
		out, err := exec.Command(python, append([]string{script, glot}, files...)...).Output()
		if err != nil {
			t.Fatalf("sqlglot %s: %v\n%s", dl, err, out)
		}
		if !strings.Contains(string(out), `"errors": {}`) {
			t.Errorf("sqlglot %s: %s", dl, out)
		}
	}
}

// isoWeekdays is a portable table (d, dow) of n days from start with
// their ISO day of the week, counted in Go.
func isoWeekdays(start string, n int) string {
	t0, err := time.Parse("2006-01-02", start)
	if err != nil {
		panic(err)
	}
	var parts []string
	for i := 0; i < n; i++ {
		t := t0.AddDate(0, 0, i)
		dow := (int(t.Weekday())+6)%7 + 1
		if i == 0 {
			parts = append(parts, fmt.Sprintf("SELECT DATE '%s' AS d, %d AS dow", t.Format("2006-01-02"), dow))
		} else {
			parts = append(parts, fmt.Sprintf("SELECT DATE '%s', %d", t.Format("2006-01-02"), dow))
		}
	}
	return strings.Join(parts, " UNION ALL ")
}
