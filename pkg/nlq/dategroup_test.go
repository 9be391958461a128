package nlq

import (
	"testing"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// signupLayer is the test layer whose customers are dated by the day
// they signed up and products by the day they were launched.
func signupLayer() *semlayer.Layer {
	l := testLayer()
	c := l.Model("customers")
	c.TimeColumn = "signup_date"
	c.Dimensions = append(c.Dimensions, &semlayer.Dimension{Name: "signup_date", Column: "signup_date", Type: "time"})
	c.Measures = append(c.Measures, &semlayer.Measure{Name: "row_count", Column: "*", Agg: semlayer.AggCount})
	l.Model("products").Dimensions = append(l.Model("products").Dimensions, &semlayer.Dimension{Name: "launch_date", Column: "launch_date", Type: "time"})
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "customers_count", Type: semlayer.MetricSimple, Label: "number of customers", Format: "count", Model: "customers", Measure: "row_count"})
	return l
}

func askSignup(q string) *Interpretation {
	return Parse(Input{Layer: signupLayer(), Members: testMembers, Question: q, AsOf: asOf})
}

// "By the year the customer signed up": a grain of the members' own
// date, not of the facts' time.
func TestDateGroups(t *testing.T) {
	for _, c := range []struct {
		q      string
		metric string
		by     query.GroupBy
		timed  bool
	}{
		{"FY2025 sales by the calendar year the customer signed up", "net_amount", query.GroupBy{Dimension: "signup_date", Grain: semlayer.GrainYear}, true},
		{"sales by signup year", "net_amount", query.GroupBy{Dimension: "signup_date", Grain: semlayer.GrainFiscalYear}, false},
		{"sales in FY2025 by customer signup month", "net_amount", query.GroupBy{Dimension: "signup_date", Grain: semlayer.GrainMonth}, true},
		{"revenue by year of signup", "net_amount", query.GroupBy{Dimension: "signup_date", Grain: semlayer.GrainFiscalYear}, false},
		{"units sold by the quarter the customers joined", "sales_lines_quantity", query.GroupBy{Dimension: "signup_date", Grain: semlayer.GrainFiscalQuarter}, false},
		{"sales by product launch year", "net_amount", query.GroupBy{Dimension: "launch_date", Grain: semlayer.GrainFiscalYear}, false},
		{"customers by signup year", "customers_count", query.GroupBy{Dimension: "signup_date", Grain: semlayer.GrainFiscalYear}, false},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := askSignup(c.q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			want(t, it.Spec.Metrics, c.metric)
			if len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0] != c.by {
				t.Errorf("group by %+v, want %+v", it.Spec.GroupBy, c.by)
			}
			if (it.Spec.Time != nil) != c.timed {
				t.Errorf("time %+v", it.Spec.Time)
			}
		})
	}
	// "Launched" is no date of the customers; a word of beginning names
	// only the date a model is dated by.
	for _, q := range []string{"sales by the year the customer launched", "sales by the year the product joined"} {
		if it := askSignup(q); it.Answerable {
			t.Errorf("%q answered: %s %+v", q, it.Text, it.Spec.GroupBy)
		}
	}
}

// "Number of subscriptions by start month in FY2025": the subscriptions'
// own count, by (and in the period of) their start — not the invoices'
// count of the subscriptions they reference, whose period reads the
// invoices' date.
func TestOwnDateCount(t *testing.T) {
	it := askSubs(t, "number of subscriptions by start month in FY2025")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	want(t, it.Spec.Metrics, "subscriptions_count")
	if len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "start_date" || it.Spec.Time == nil {
		t.Errorf("spec %+v", it.Spec)
	}
}
