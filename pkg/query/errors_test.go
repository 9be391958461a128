package query

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// TestCompileRefuses checks the specs the compiler must refuse, with a
// reason, rather than answer wrongly.
func TestCompileRefuses(t *testing.T) {
	month := span("2024-03-01", "2024-04-01", semlayer.GrainMonth, "March 2024")
	for _, c := range []struct {
		name string
		spec Spec
		want string
	}{
		{"unknown metric", Spec{Metrics: []string{"profit"}}, `unknown metric "profit"`},
		{"no metric", Spec{}, "at least one metric"},
		// The header cannot reach the product of its lines (one to many).
		{"one to many", Spec{Metrics: []string{"freight"}, GroupBy: []GroupBy{dim("category")}}, "no many-to-one path from orders to product"},
		{"filter one to many", Spec{Metrics: []string{"revenue_plus_freight"}, Where: "category = 'Hardware'"}, "no many-to-one path from orders to product"},
		{"compare by day", Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainDay)}, Compare: ComparePriorYear}, "by day is not supported"},
		// A metric over an input at an offset needs periods to move.
		{"offset of all time", Spec{Metrics: []string{"revenue_yoy_change"}}, "needs a period"},
		{"offset by day", Spec{Metrics: []string{"revenue_yoy_change"}, GroupBy: []GroupBy{grain(semlayer.GrainDay)}}, "by day is not supported"},
		{"offset of a month by quarter", Spec{Metrics: []string{"revenue_mom_change"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalQuarter)}}, "cannot move fiscal_quarter buckets"},
		// Running totals: of sums and counts, over a time grain; a year
		// to date from a fiscal year's start.
		{"running ratio", Spec{Metrics: []string{"avg_price"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Cumulative: CumulativeAll}, "not a sum over periods"},
		{"running stock", Spec{Metrics: []string{"quantity_stock"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Cumulative: CumulativeAll}, "not a sum over periods"},
		{"running without grain", Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{dim("channel")}, Cumulative: CumulativeAll}, "needs a time grain"},
		{"ytd from January", Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainMonth)}, Cumulative: CumulativeFiscalYear, Time: month}, "starting at a fiscal year's start"},
		{"compare what", Spec{Metrics: []string{"revenue"}, Compare: ComparePriorPeriod}, "compare to the prior period of what"},
		{"compare kind", Spec{Metrics: []string{"revenue"}, Compare: "plan"}, "want prior_period, prior_year or previous"},
		{"compare with a scenario", Spec{Metrics: []string{"revenue"}, Compare: CompareBudget}, "runs the spec on the actuals and on the scenario"},
		// A month's prior period moves the fiscal year by part of a year:
		// its fiscal year cannot be moved without a fiscal quarter.
		{"fiscal year and month", Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain(semlayer.GrainFiscalYear), grain(semlayer.GrainMonth)},
			Compare: ComparePriorPeriod, Time: month}, "cannot move fiscal_year buckets"},
		{"threshold metric", Spec{Metrics: []string{"revenue"}, Having: []Threshold{{Metric: "freight", Op: ">", Value: "1"}}}, "not a metric of the query"},
		{"threshold op", Spec{Metrics: []string{"revenue"}, Having: []Threshold{{Metric: "revenue", Op: "~", Value: "1"}}}, "threshold operator"},
		{"order key", Spec{Metrics: []string{"revenue"}, OrderBy: []Order{{Key: "segment"}}}, "not a metric or group of the query"},
		{"grain", Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{grain("fortnight")}}, "time grain"},
		{"ambiguous dimension", Spec{Metrics: []string{"revenue"}, GroupBy: []GroupBy{dim("currency")}}, "ambiguous"},
	} {
		l := queryCase{cal: julyCal, ccy: true}.layer("fin")
		out, err := Compile(l, c.spec, "duckdb")
		if err == nil {
			t.Errorf("%s: compiled\n%s", c.name, out.SQL)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// TestQualifiedWhere: a filter may name a dimension model.dimension
// even where the name alone is unique.
func TestQualifiedWhere(t *testing.T) {
	l := testLayer("fin", julyCal)
	plain, err := Compile(l, Spec{Metrics: []string{"revenue"}, Where: "category = 'Hardware'"}, "postgres")
	if err != nil {
		t.Fatal(err)
	}
	qual, err := Compile(l, Spec{Metrics: []string{"revenue"}, Where: "product.category = 'Hardware'"}, "postgres")
	if err != nil {
		t.Fatal(err)
	}
	if plain.SQL != qual.SQL {
		t.Errorf("qualified filter compiled differently:\n%s\n---\n%s", qual.SQL, plain.SQL)
	}
	if _, err := Compile(l, Spec{Metrics: []string{"revenue"}, Where: "orders.category = 'Hardware'"}, "postgres"); err == nil {
		t.Error("orders.category accepted")
	}
}
