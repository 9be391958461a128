package semlayer

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/model"
)

// Lines of a quantity and a unit price and no amount of their own get
// their product; lines with an amount, a discount or two prices do not.
func TestLineAmount(t *testing.T) {
	sum := func(name string, money bool) *Measure {
		return &Measure{Name: name, Column: name, Agg: AggSum, Money: money}
	}
	la := lineAmount([]*Measure{sum("quantity", false), sum("unit_price", true), sum("tax", true), {Name: "row_count", Column: "*", Agg: AggCount}})
	if la == nil || la.Name != "line_amount" || la.Column != "quantity" || la.Times != "unit_price" || la.Agg != AggSum || !la.Money {
		t.Fatalf("quantity and unit price: %+v", la)
	}
	// A unit price averaged (as the layer now makes it) is still the
	// lines' price.
	if la := lineAmount([]*Measure{sum("quantity", false), {Name: "unit_price", Column: "unit_price", Agg: AggAverage, Money: true}}); la == nil || la.Times != "unit_price" {
		t.Errorf("averaged unit price: %+v", la)
	}
	for col, want := range map[string]bool{"unit_price": true, "UnitPrice": true, "list_price": true, "unit_cost": true, "hourly_rate": false, "cost": false} {
		if got := isUnitPrice(col); got != want {
			t.Errorf("isUnitPrice(%s) = %v", col, got)
		}
	}
	// A purchase's lines: the quantity times the unit cost.
	if la := lineAmount([]*Measure{sum("quantity", false), sum("unit_cost", true)}); la == nil || la.Times != "unit_cost" {
		t.Errorf("quantity and unit cost: %+v", la)
	}
	// Beside a price, a unit cost is the margin's, not the amount's.
	if la := lineAmount([]*Measure{sum("quantity", false), sum("unit_price", true), sum("unit_cost", true)}); la == nil || la.Times != "unit_price" {
		t.Errorf("price and cost: %+v", la)
	}
	// A discount rate is taken off (Northwind's order details).
	la = lineAmount([]*Measure{sum("unit_price", true), sum("quantity", false), {Name: "discount", Column: "discount", Agg: AggAverage}})
	if la == nil || la.Discount != "discount" || la.Times != "unit_price" {
		t.Errorf("with a discount rate: %+v", la)
	}
	for name, ms := range map[string][]*Measure{
		"an amount of its own": {sum("quantity", false), sum("unit_price", true), sum("net_amount", true)},
		"a discount":           {sum("quantity", false), sum("unit_price", true), sum("discount", false)},
		"two prices":           {sum("quantity", false), sum("unit_price", true), sum("list_price", true)},
		"no quantity":          {sum("unit_price", true)},
		"no price":             {sum("quantity", false), sum("freight_cost", true)},
		"two unit costs":       {sum("quantity", false), sum("unit_cost", true), sum("landed_unit_cost", true)},
	} {
		if la := lineAmount(ms); la != nil {
			t.Errorf("%s: %+v", name, la)
		}
	}
}

// A grade, a score, a rating is averaged; minutes, kWh and points are
// not money; a price in cents-free decimals is; a discount between 0 and
// 1 is a rate, one of 12.50 an amount.
func TestIntensiveAndMoney(t *testing.T) {
	rate := model.Column{Name: "Discount", Type: "DOUBLE", Profile: model.ColumnProfile{Min: "0", Max: "0.25"}}
	amount := model.Column{Name: "discount", Type: "DECIMAL(12,2)", Profile: model.ColumnProfile{Min: "0", Max: "12.50"}}
	if !isRate(&rate) || isRate(&amount) {
		t.Errorf("isRate: rate %v, amount %v", isRate(&rate), isRate(&amount))
	}
	for col, want := range map[string]bool{"grade_points": true, "satisfaction_score": true, "nps": true, "rating": true, "amount": false, "usage_kwh": false} {
		if got := isIntensive(col); got != want {
			t.Errorf("isIntensive(%s) = %v", col, got)
		}
	}
	for col, want := range map[string]bool{"grade_points": false, "usage_kwh": false, "duration_minutes": false, "covers": false, "unit_price": true, "charge_amount": true} {
		c := model.Column{Name: col, Type: "DECIMAL(12,2)"}
		if got := isMoneyMeasure(&c); got != want {
			t.Errorf("isMoneyMeasure(%s) = %v", col, got)
		}
	}
}

// A metric named like another model's gets its model's name (the layer
// stays valid); a fact of lines without a date is dated by a document
// header that is a dimension (purchase orders without amounts), never by
// a dimension of parties (a customer's signup date).
func TestMetricNamesAndDocumentHeaders(t *testing.T) {
	l := &Layer{}
	addMetric(l, &Metric{Name: "aircraft_count", Model: "aircraft", Type: MetricSimple})
	addMetric(l, &Metric{Name: "aircraft_count", Model: "flights", Type: MetricSimple})
	if len(l.Metrics) != 2 || l.Metrics[1].Name != "flights_aircraft_count" {
		t.Fatalf("metrics %+v", l.Metrics)
	}
	orders := &Model{Name: "purchase_orders", Role: "dimension", Entities: []*Entity{{Name: "order", Type: "primary", Column: "PURCHASE_ORDERS_SK"}},
		Dimensions: []*Dimension{{Name: "order_date", Column: "order_date", Type: "time"}, {Name: "buyer", Column: "buyer", Type: "categorical"}}}
	customers := &Model{Name: "customers", Role: "dimension", Entities: []*Entity{{Name: "customer", Type: "primary", Column: "CUSTOMERS_SK"}},
		Dimensions: []*Dimension{{Name: "signup_date", Column: "signup_date", Type: "time"}}}
	lines := &Model{Name: "po_lines", Role: "fact", Entities: []*Entity{{Name: "order", Type: "foreign", Column: "PURCHASE_ORDERS_SK", Ref: "purchase_orders"}},
		Measures: []*Measure{{Name: "quantity", Column: "quantity", Agg: AggSum}}}
	visits := &Model{Name: "visits", Role: "fact", Entities: []*Entity{{Name: "customer", Type: "foreign", Column: "CUSTOMERS_SK", Ref: "customers"}},
		Measures: []*Measure{{Name: "minutes", Column: "minutes", Agg: AggSum}}}
	for _, m := range []*Model{orders, customers, lines, visits} {
		m.Table = strings.ToUpper(m.Name)
	}
	l = &Layer{Version: 1, Calendar: Calendar{StartMonth: 1}, Models: []*Model{orders, customers, lines, visits}}
	generateHeaderDates(l)
	if lines.TimeColumn != "order_date" || lines.TimeVia != "purchase_orders" || orders.TimeColumn != "order_date" {
		t.Errorf("lines: %q via %q; orders %q", lines.TimeColumn, lines.TimeVia, orders.TimeColumn)
	}
	if visits.TimeColumn != "" || customers.TimeColumn != "" {
		t.Errorf("dated by a customer's signup: %q %q", visits.TimeColumn, customers.TimeColumn)
	}
	if errs := l.Check(); len(errs) > 0 {
		t.Errorf("invalid: %v", errs)
	}
}

// A table's words drop a warehouse prefix; a count's noun is plural,
// uncountable nouns as they are.
func TestTableWords(t *testing.T) {
	for in, want := range map[string]string{"dim_product": "product", "fact_sales": "sales", "DimCustomer": "customer", "dim": "dim", "chart_of_accounts": "chart of accounts"} {
		if got := tableWords(in); got != want {
			t.Errorf("tableWords(%s) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"product": "products", "currency": "currencies", "aircraft": "aircraft", "sales": "sales", "cost center": "cost centers"} {
		if got := pluralOnce(in); got != want {
			t.Errorf("pluralOnce(%s) = %q, want %q", in, got, want)
		}
	}
}

// CamelCase names are words: the layer's names are snake case.
func TestSnakeCamelCase(t *testing.T) {
	for in, want := range map[string]string{"UnitPrice": "unit_price", "CustomerID": "customer_id", "FactInternetSales": "fact_internet_sales",
		"order_date": "order_date", "ORDER_DATE": "order_date", "HTTPServer": "http_server", "Q1Revenue": "q1_revenue", "line2": "line2", "Ship Via": "ship_via"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%s) = %q, want %q", in, got, want)
		}
	}
}

// In a composite grain, a document's number is hidden and counted, a
// category (a budget's cost center, account, scenario) stays a grouping;
// a headcount is a stock in any fact.
func TestGrainColumnsAndHeadcount(t *testing.T) {
	for col, want := range map[string]bool{"receipt_no": true, "line_number": true, "journal_id": true, "cost_center": false, "account": false, "scenario": false, "ProductCode": true} {
		if got := identifierName(col); got != want {
			t.Errorf("identifierName(%s) = %v", col, got)
		}
	}
	for col, want := range map[string]bool{"headcount": true, "FTE": true, "opex": false, "head_office_rent": false} {
		if got := headcountName(col); got != want {
			t.Errorf("headcountName(%s) = %v", col, got)
		}
	}
	if stockEdge("fte") != TimeLast || stockEdge("net_book_value") != TimeLast || stockEdge("depreciation_amount") != "" {
		t.Errorf("stockEdge: fte %q, net_book_value %q, depreciation_amount %q", stockEdge("fte"), stockEdge("net_book_value"), stockEdge("depreciation_amount"))
	}
}
