package analytics_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/all"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
	"github.com/databridge/databridge/pkg/semlayer"
)

var (
	qsOnce sync.Once
	qsDir  string
	qsErr  error
)

// quickstartProject builds the quickstart warehouse once per test binary
// and copies it for each test (tests edit the layer).
func quickstartProject(t *testing.T) *project.Project {
	t.Helper()
	qsOnce.Do(func() {
		qsDir, qsErr = os.MkdirTemp("", "analytics-qs-")
		if qsErr == nil {
			_, qsErr = quickstart.Run(context.Background(), quickstart.Options{Dir: qsDir, Version: "test"})
		}
	})
	if qsErr != nil {
		t.Fatalf("quickstart: %v", qsErr)
	}
	dir := filepath.Join(t.TempDir(), "qs")
	if err := os.CopyFS(dir, os.DirFS(qsDir)); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMain(m *testing.M) {
	code := m.Run()
	if qsDir != "" {
		os.RemoveAll(qsDir)
	}
	os.Exit(code)
}

// handSQL runs SQL on the project's warehouse and returns the rows.
func handSQL(t *testing.T, p *project.Project, sql string) [][]any {
	t.Helper()
	conn, err := connections.New(p).Connect(context.Background(), "", true)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	res, err := conn.Query(context.Background(), sql, connector.QueryOptions{MaxRows: -1, Timeout: time.Minute})
	if err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	return res.Rows
}

func dec(t *testing.T, v any) decimal.Decimal {
	t.Helper()
	switch x := v.(type) {
	case decimal.Decimal:
		return x
	case float64:
		return decimal.NewFromFloat(x)
	case int64:
		return decimal.NewFromInt(x)
	case int32:
		return decimal.NewFromInt(int64(x))
	case int:
		return decimal.NewFromInt(int64(x))
	case string:
		d, err := decimal.NewFromString(x)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	t.Fatalf("not a number: %T %v", v, v)
	return decimal.Decimal{}
}

// The deploy refreshed the layer: the quickstart's project has one, with
// the July calendar read from its periods table, USD conversion through
// the rates table, and the P&L's lines as metrics.
func TestDeployRefreshesLayer(t *testing.T) {
	p := quickstartProject(t)
	svc := analytics.New(p)
	l, err := svc.Layer()
	if err != nil {
		t.Fatalf("no layer after the quickstart's deploy: %v", err)
	}
	if l.Calendar != (semlayer.Calendar{StartMonth: 7}) {
		t.Errorf("calendar %+v, want July named by the end year", l.Calendar)
	}
	if !strings.Contains(l.CalendarSource, "DIM_PERIODS") {
		t.Errorf("calendar source %q", l.CalendarSource)
	}
	if l.Currency == nil || l.Currency.Rates == nil || l.Currency.Reporting != "USD" || !strings.EqualFold(l.Currency.Rates.Table, "DIM_EXCHANGE_RATES") {
		t.Errorf("currency %+v", l.Currency)
	}
	for _, name := range []string{"revenue", "cost_of_sales", "gross_profit", "operating_expenses", "net_income", "gross_margin_pct"} {
		if l.Metric(name) == nil {
			t.Errorf("no metric %s", name)
		}
	}
	m, err := svc.Members()
	if err != nil || len(m["region"]) == 0 {
		t.Errorf("members of region: %v %v", m["region"], err)
	}
}

// Revenue and gross profit by fiscal year equal hand-written SQL that
// converts every line at its period's rate and adds the pl hierarchy's
// account ranges.
func TestQueryMatchesHandSQL(t *testing.T) {
	p := quickstartProject(t)
	svc := analytics.New(p)
	ctx := context.Background()
	res, err := svc.QueryMetrics(ctx, analytics.QueryArgs{Metrics: []string{"revenue", "gross_profit"}, By: []string{"fiscal_year"}})
	if err != nil {
		t.Fatal(err)
	}
	want := handSQL(t, p, `
		SELECT f.fiscal_year,
		       ROUND(-SUM(CASE WHEN CAST(f.account_code AS INTEGER) BETWEEN 4000 AND 4999 THEN f.AMOUNT * r.rate_to_usd END), 2),
		       ROUND(-SUM(CASE WHEN CAST(f.account_code AS INTEGER) BETWEEN 4000 AND 5999 THEN f.AMOUNT * r.rate_to_usd END), 2)
		FROM FACT_GL_JOURNAL_LINES f
		JOIN DIM_EXCHANGE_RATES r ON r.period_id = f.period_id AND r.currency_code = f.currency_code
		GROUP BY 1 ORDER BY 1`)
	if len(res.Rows) != len(want) || len(want) != 3 {
		t.Fatalf("rows %v, want %v", res.Rows, want)
	}
	for i := range want {
		for j := range want[i] {
			g, w := dec(t, res.Rows[i][j]), dec(t, want[i][j])
			if !g.Equal(w) {
				t.Errorf("row %d col %s: got %s, want %s", i, res.Columns[j].Name, g, w)
			}
		}
	}
	if len(res.Notes) == 0 || !strings.Contains(strings.Join(res.Notes, " "), "USD") {
		t.Errorf("the answer does not say the currency: %v", res.Notes)
	}
	// The same spec compiles for every engine.
	for _, d := range []string{"duckdb", "postgres", "snowflake", "sqlserver", "mysql", "bigquery", "databricks"} {
		r, err := svc.QueryMetrics(ctx, analytics.QueryArgs{Metrics: []string{"gross_profit"}, By: []string{"fiscal_quarter"}, Period: "FY2025", Against: "prior_year", Dialect: d, AsOf: "2026-07-15"})
		if err != nil || r.Ran || r.SQL == "" {
			t.Errorf("%s: ran=%v err=%v", d, r != nil && r.Ran, err)
		}
	}
}

// People's edits survive a refresh: a label, synonyms, a hidden metric, a
// description of a dimension, an added metric; a deleted generated
// metric stays deleted.
func TestRefreshKeepsEdits(t *testing.T) {
	p := quickstartProject(t)
	svc := analytics.New(p)
	ctx := context.Background()
	path := p.Path(filepath.FromSlash(analytics.LayerFile))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := semlayer.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	l.Metric("revenue").Label = "Net sales"
	l.Metric("revenue").Synonyms = []string{"turnover", "top line"}
	l.Metric("cos_freight").Hidden = true
	_, region, err := l.FindDimension("region")
	if err != nil {
		t.Fatal(err)
	}
	region.Description = "Sales region of the cost centre"
	l.Metrics = append(l.Metrics, &semlayer.Metric{Name: "gross_profit_per_revenue", Type: semlayer.MetricRatio, Numerator: "gross_profit", Denominator: "revenue", Format: "number"})
	var kept []*semlayer.Metric
	for _, m := range l.Metrics {
		if m.Name != "rev_deductions" {
			kept = append(kept, m)
		}
	}
	l.Metrics = kept
	if err := writeLayer(path, l); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Kept) == 0 {
		t.Errorf("refresh reports no kept edit")
	}
	l2, err := svc.Layer()
	if err != nil {
		t.Fatal(err)
	}
	rev := l2.Metric("revenue")
	if rev.Label != "Net sales" || strings.Join(rev.Synonyms, ",") != "turnover,top line" {
		t.Errorf("revenue edits lost: %+v", rev)
	}
	if !l2.Metric("cos_freight").Hidden {
		t.Error("hidden flag lost")
	}
	if _, x, _ := l2.FindDimension("region"); x == nil || x.Description != "Sales region of the cost centre" {
		t.Errorf("dimension description lost: %+v", x)
	}
	if l2.Metric("gross_profit_per_revenue") == nil {
		t.Error("added metric lost")
	}
	if l2.Metric("rev_deductions") != nil {
		t.Error("deleted metric came back")
	}
	// The added ratio runs.
	res, err := svc.QueryMetrics(ctx, analytics.QueryArgs{Metrics: []string{"gross_profit_per_revenue"}, Period: "FY2025", AsOf: "2026-07-15"})
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("%v %v", res, err)
	}
	if v := dec(t, res.Rows[0][0]); v.LessThan(decimal.NewFromFloat(0.3)) || v.GreaterThan(decimal.NewFromFloat(0.7)) {
		t.Errorf("gross profit per revenue %s", v)
	}
}

func writeLayer(path string, l *semlayer.Layer) error {
	data, err := yamlMarshal(l)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// Validate passes on the generated layer and fails (with the object named)
// when a person's edit points at a column the warehouse does not have; a
// bad edit is refused by Refresh with the reason, and the file is kept.
func TestValidate(t *testing.T) {
	p := quickstartProject(t)
	svc := analytics.New(p)
	ctx := context.Background()
	r, err := svc.Validate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK {
		t.Fatalf("generated layer invalid: %+v", r.Errors)
	}
	path := p.Path(filepath.FromSlash(analytics.LayerFile))
	data, _ := os.ReadFile(path)
	l, err := semlayer.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	_, region, _ := l.FindDimension("region")
	region.Column = "regoin"
	if err := writeLayer(path, l); err != nil {
		t.Fatal(err)
	}
	r, err = svc.Validate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK || len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Object, "cost_centers") {
		t.Fatalf("broken column not reported: %+v", r)
	}
	// A typo in a field name is an error that names it.
	if err := os.WriteFile(path, append(data, []byte("\nmetricz: []\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Layer(); err == nil || !strings.Contains(err.Error(), "metricz") {
		t.Errorf("unknown field accepted: %v", err)
	}
	if _, err := svc.Refresh(ctx); err == nil {
		t.Error("refresh over an unreadable layer.yaml succeeded (it would lose the edits)")
	}
	after, _ := os.ReadFile(path)
	if !strings.Contains(string(after), "metricz") {
		t.Error("the unreadable layer.yaml was overwritten")
	}
}

func yamlMarshal(v any) ([]byte, error) { return yaml.Marshal(v) }
