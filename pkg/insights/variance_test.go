package insights_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/all"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/insights"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
	"github.com/databridge/databridge/pkg/workflow"
)

var (
	qsOnce sync.Once
	qsDir  string
	qsErr  error
	rtOnce sync.Once
	rtDir  string
	rtErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range []string{qsDir, rtDir} {
		if d != "" {
			os.RemoveAll(filepath.Dir(d))
		}
	}
	os.Exit(code)
}

// copyOf copies a built project into the test's folder (tests write).
func copyOf(t *testing.T, dir string) *project.Project {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "p")
	if err := os.CopyFS(dst, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// quickstartProject is the quickstart's project (finance ERP, FY July).
func quickstartProject(t *testing.T) *project.Project {
	t.Helper()
	qsOnce.Do(func() {
		base, err := os.MkdirTemp("", "insights-qs-")
		if err != nil {
			qsErr = err
			return
		}
		qsDir = filepath.Join(base, "qs")
		_, qsErr = quickstart.Run(context.Background(), quickstart.Options{Dir: qsDir, Version: "test"})
	})
	if qsErr != nil {
		t.Fatalf("quickstart: %v", qsErr)
	}
	return copyOf(t, qsDir)
}

// retailProject is examples/retail analysed, approved and deployed as
// the CLI does it (sales lines with quantity and net amount).
func retailProject(t *testing.T) *project.Project {
	t.Helper()
	rtOnce.Do(func() {
		base, err := os.MkdirTemp("", "insights-rt-")
		if err != nil {
			rtErr = err
			return
		}
		rtDir = filepath.Join(base, "rt")
		rtErr = buildRetail(context.Background(), rtDir)
	})
	if rtErr != nil {
		t.Fatalf("retail warehouse: %v", rtErr)
	}
	return copyOf(t, rtDir)
}

func buildRetail(ctx context.Context, dir string) error {
	src, err := filepath.Abs(filepath.Join("..", "..", "examples", "retail"))
	if err != nil {
		return err
	}
	if _, err := project.Init(dir, "retail"); err != nil {
		return err
	}
	p, err := project.Open(dir)
	if err != nil {
		return err
	}
	if _, err := connections.New(p).Add(ctx, connections.AddInput{Name: "src", Config: connector.Config{Type: "files", Path: src}}); err != nil {
		return err
	}
	if p, err = project.Open(dir); err != nil {
		return err
	}
	wf := workflow.NewService(p)
	wf.Version = "databridge test"
	w, err := wf.Start(ctx, workflow.StartInput{Connection: "src", Model: "retail"})
	if err != nil {
		return err
	}
	_, err = wf.Approve(ctx, w.ID)
	return err
}

func service(p *project.Project) *insights.Service {
	a := analytics.New(p)
	a.Now = func() time.Time { return time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC) }
	return insights.New(a, hierarchy.NewService(p))
}

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
	case nil:
		return decimal.Zero
	case decimal.Decimal:
		return x
	case int64:
		return decimal.NewFromInt(x)
	case int32:
		return decimal.NewFromInt(int64(x))
	case float64:
		return decimal.NewFromFloat(x)
	case string:
		d, err := decimal.NewFromString(x)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	t.Fatalf("not a number: %T %v", v, v)
	return decimal.Zero
}

func budgetFile(t *testing.T) string {
	t.Helper()
	f, err := filepath.Abs(filepath.Join("..", "..", "examples", "finance_budget", "budget_fy2026.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// budgetOracle sums the budget file in Go: revenue is minus the 4xxx
// accounts (credits), net income minus everything (the file's README).
func budgetOracle(t *testing.T) (revenue, netIncome decimal.Decimal, byCC map[string]decimal.Decimal) {
	t.Helper()
	f, err := os.Open(budgetFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byCC = map[string]decimal.Decimal{}
	for _, r := range recs[1:] {
		a := decimal.RequireFromString(r[3])
		netIncome = netIncome.Sub(a)
		if strings.HasPrefix(r[1], "4") {
			revenue = revenue.Sub(a)
			byCC[r[2]] = byCC[r[2]].Sub(a)
		}
	}
	return revenue, netIncome, byCC
}

func importBudget(t *testing.T, p *project.Project) {
	t.Helper()
	r, err := analytics.New(p).ImportScenario(context.Background(), analytics.ScenarioImport{File: budgetFile(t), Name: "budget_fy2026"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Loaded || r.Scenario.Rows != 481 || r.Scenario.From != "2025-07-01" || r.Scenario.To != "2026-06-01" {
		t.Fatalf("import: %+v", r)
	}
}

// Revenue and net income of FY2026 against the budget: the budget side
// equals the file summed in Go, the actual side hand-written SQL over the
// fact (converted to USD), and the lines and the bridge add up exactly.
func TestVarianceAgainstBudget(t *testing.T) {
	p := quickstartProject(t)
	importBudget(t, p)
	s := service(p)
	ctx := context.Background()
	wantRev, wantNI, _ := budgetOracle(t)

	actual := handSQL(t, p, `SELECT -SUM(f.AMOUNT * x.rate_to_usd) FROM FACT_GL_JOURNAL_LINES f
		JOIN DIM_EXCHANGE_RATES x ON x.period_id = f.period_id AND x.currency_code = f.currency_code
		WHERE CAST(f.account_code AS VARCHAR) LIKE '4%' AND f.posting_date >= DATE '2025-07-01' AND f.posting_date < DATE '2026-07-01'`)
	wantActual := dec(t, actual[0][0]).Round(2)

	v, err := s.Variance(ctx, insights.VarianceArgs{Metric: "revenue", Period: "FY2026", Against: "budget"})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Comparison.Equal(wantRev) || !v.Actual.Equal(wantActual) {
		t.Fatalf("revenue FY2026: actual %s budget %s, want %s and %s", v.Actual, v.Comparison, wantActual, wantRev)
	}
	if !v.Change.Equal(wantActual.Sub(wantRev)) || v.Assessment != "unfavourable" {
		t.Fatalf("change %s (%s), want %s unfavourable", v.Change, v.Assessment, wantActual.Sub(wantRev))
	}
	checkBridge(t, v)
	if len(v.Lines) != 4 {
		t.Fatalf("revenue has 4 lines beneath it, got %d", len(v.Lines))
	}

	ni, err := s.Variance(ctx, insights.VarianceArgs{Metric: "net_income", Period: "FY2026", Against: "budget:budget_fy2026"})
	if err != nil {
		t.Fatal(err)
	}
	if !ni.Comparison.Equal(wantNI) {
		t.Fatalf("net income budget %s, want %s", ni.Comparison, wantNI)
	}
	checkBridge(t, ni)
}

// checkBridge: the effects sum exactly to the change; start and end are
// the two totals; lines' contributions too (formulas here are linear).
func checkBridge(t *testing.T, v *insights.Variance) {
	t.Helper()
	if len(v.Bridge) < 3 || v.Bridge[0].Kind != "start" || v.Bridge[len(v.Bridge)-1].Kind != "end" {
		t.Fatalf("bridge shape: %+v", v.Bridge)
	}
	if !v.Bridge[0].Value.Equal(v.Comparison) || !v.Bridge[len(v.Bridge)-1].Value.Equal(v.Actual) {
		t.Fatalf("bridge ends %s → %s, want %s → %s", v.Bridge[0].Value, v.Bridge[len(v.Bridge)-1].Value, v.Comparison, v.Actual)
	}
	sum := decimal.Zero
	for _, s := range v.Bridge[1 : len(v.Bridge)-1] {
		sum = sum.Add(s.Value)
	}
	if !sum.Equal(v.Change) {
		t.Fatalf("bridge effects sum to %s, change is %s: %+v", sum, v.Change, v.Bridge)
	}
	if len(v.Lines) > 0 {
		c := decimal.Zero
		for _, it := range v.Lines {
			c = c.Add(it.Contribution)
		}
		if !c.Equal(v.Change) {
			t.Fatalf("lines contribute %s, change is %s", c, v.Change)
		}
	}
}

// By region against the budget: the budget reaches regions through the
// cost centre's business key (current version of an SCD-2 dimension);
// members add up to the totals, and each region's budget equals the file
// summed by the cost centres of that region.
func TestVarianceByMemberAgainstBudget(t *testing.T) {
	p := quickstartProject(t)
	importBudget(t, p)
	s := service(p)
	v, err := s.Variance(context.Background(), insights.VarianceArgs{Metric: "revenue", Period: "FY2026", Against: "budget", By: "region"})
	if err != nil {
		t.Fatal(err)
	}
	_, _, byCC := budgetOracle(t)
	region := map[string]string{}
	for _, r := range handSQL(t, p, `SELECT cost_center_code, region FROM DIM_COST_CENTERS WHERE IS_CURRENT_VERSION = 1`) {
		region[fmt.Sprint(r[0])] = fmt.Sprint(r[1])
	}
	want := map[string]decimal.Decimal{}
	for cc, a := range byCC {
		want[region[cc]] = want[region[cc]].Add(a)
	}
	var sa, sc decimal.Decimal
	for _, m := range v.Members {
		if !m.Comparison.Equal(want[m.Name]) {
			t.Errorf("%s budget %s, want %s", m.Name, m.Comparison, want[m.Name])
		}
		sa, sc = sa.Add(m.Actual), sc.Add(m.Comparison)
	}
	if len(v.Members) != len(want) || !sa.Equal(v.Actual) || !sc.Equal(v.Comparison) {
		t.Fatalf("%d members summing to %s / %s; want %d and %s / %s", len(v.Members), sa, sc, len(want), v.Actual, v.Comparison)
	}
	if len(v.Drivers) == 0 || v.Drivers[0].SharePct == nil {
		t.Fatalf("drivers: %+v", v.Drivers)
	}
}

// A budget is user data: a redeploy and a rollback reload it into the
// warehouse from .databridge/scenarios/.
func TestBudgetSurvivesRedeployAndRollback(t *testing.T) {
	p := quickstartProject(t)
	importBudget(t, p)
	ctx := context.Background()
	wantRev, _, _ := budgetOracle(t)
	budget := func(when string) {
		t.Helper()
		r, err := analytics.New(p).QueryMetrics(ctx, analytics.QueryArgs{Metrics: []string{"revenue"}, Period: "FY2026", Against: "budget", AsOf: "2026-07-15"})
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if got := dec(t, r.Rows[0][1]); !got.Equal(wantRev) {
			t.Fatalf("%s: budget revenue %s, want %s", when, got, wantRev)
		}
	}
	budget("after import")
	// Drop the table behind databridge's back, then redeploy.
	conn, err := connections.New(p).Connect(ctx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "DROP TABLE SCN_BUDGET_FY2026"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	dep := &deploy.Service{Project: p, Connections: connections.New(p), Ledger: deploy.NewLedger(p)}
	res, err := dep.Deploy(ctx, deploy.DeployInput{})
	if err != nil {
		t.Fatal(err)
	}
	if res.SemanticError != "" || res.Semantic == nil || len(res.Semantic.Scenarios) != 1 {
		t.Fatalf("deploy refreshed the layer without the scenario: %+v %q", res.Semantic, res.SemanticError)
	}
	budget("after redeploy")
	if _, err := dep.Rollback(ctx, deploy.RecordInput{}); err != nil {
		t.Fatal(err)
	}
	budget("after rollback")
}

// A file that does not fit is refused with the reason, and nothing is
// written.
func TestBudgetImportRefusesBadFiles(t *testing.T) {
	p := quickstartProject(t)
	a := analytics.New(p)
	dir := t.TempDir()
	cases := map[string]struct{ body, want string }{
		"unknown column": {"period_id,account_code,colour,amount\n2025-07,4000,red,1\n", `column "colour"`},
		"no amount":      {"period_id,account_code\n2025-07,4000\n", "amount column"},
		"bad period":     {"period_id,account_code,amount\nJuly,4000,1\n", `period "July"`},
		"bad amount":     {"period_id,account_code,amount\n2025-07,4000,1.2.3\n", "not a number"},
		"empty":          {"period_id,account_code,amount\n", "no rows"},
	}
	for name, c := range cases {
		f := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".csv")
		if err := os.WriteFile(f, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := a.ImportScenario(context.Background(), analytics.ScenarioImport{File: f, Name: "b"})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %q", name, err, c.want)
		}
	}
	if _, err := a.ImportScenario(context.Background(), analytics.ScenarioImport{File: budgetFile(t), Name: "Bad Name"}); err == nil {
		t.Error("a scenario name with spaces was accepted")
	}
	if _, err := os.Stat(p.Path(analytics.ScenariosDir)); !os.IsNotExist(err) {
		t.Fatalf("refused imports wrote .databridge/%s (%v)", analytics.ScenariosDir, err)
	}
}

// Price, volume and mix on retail sales by category, 2024 against 2023:
// the effects sum exactly to the change, and each equals the convention
// of docs/insights.md computed in Go from hand-written SQL.
func TestPriceVolumeMix(t *testing.T) {
	p := retailProject(t)
	s := service(p)
	v, err := s.Variance(context.Background(), insights.VarianceArgs{Metric: "net_amount", Period: "2024", Against: "prior_year", By: "category"})
	if err != nil {
		t.Fatal(err)
	}
	if v.PVM == nil || v.PVM.VolumeMetric != "sales_lines_quantity" {
		t.Fatalf("no price/volume/mix on net_amount (volume %+v)", v.PVM)
	}
	checkBridge(t, v)
	x := v.PVM
	if got := x.Volume.Add(x.Mix).Add(x.Price).Add(x.New).Add(x.Discontinued).Add(x.NoVolume); !got.Equal(v.Change) {
		t.Fatalf("effects sum to %s, change %s", got, v.Change)
	}
	rows := handSQL(t, p, `SELECT pr.category, EXTRACT(YEAR FROM f.sale_date) AS y, SUM(f.net_amount), SUM(f.quantity)
		FROM FACT_SALES_LINES f JOIN DIM_PRODUCTS pr ON pr.PRODUCTS_SK = f.PRODUCTS_SK
		WHERE f.sale_date >= DATE '2023-01-01' AND f.sale_date < DATE '2025-01-01' GROUP BY 1, 2`)
	type rq struct{ r, q decimal.Decimal }
	cur, prev := map[string]rq{}, map[string]rq{}
	for _, r := range rows {
		m := cur
		if dec(t, r[1]).IntPart() == 2023 {
			m = prev
		}
		m[fmt.Sprint(r[0])] = rq{dec(t, r[2]), dec(t, r[3])}
	}
	var price, r1, r0, q1, q0 decimal.Decimal
	for k, c := range cur {
		pv := prev[k]
		price = price.Add(c.r.Sub(c.q.Mul(pv.r).Div(pv.q)))
		r1, r0, q1, q0 = r1.Add(c.r), r0.Add(pv.r), q1.Add(c.q), q0.Add(pv.q)
	}
	vol := q1.Sub(q0).Mul(r0).Div(q0)
	if !x.Price.Equal(price.Round(2)) || !x.Volume.Equal(vol.Round(2)) || !x.VolumeActual.Equal(q1) || !x.VolumeComp.Equal(q0) {
		t.Fatalf("price %s volume %s (quantities %s/%s), want %s %s (%s/%s)", x.Price, x.Volume, x.VolumeActual, x.VolumeComp, price.Round(2), vol.Round(2), q1, q0)
	}
	if !x.Mix.Equal(r1.Sub(r0).Sub(price.Round(2)).Sub(vol.Round(2))) {
		t.Fatalf("mix %s", x.Mix)
	}
}

// With no period the variance is about the latest complete month with a
// value.
func TestVarianceDefaultPeriod(t *testing.T) {
	p := quickstartProject(t)
	v, err := service(p).Variance(context.Background(), insights.VarianceArgs{Metric: "gross_profit", Against: "prior_period"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(v.Period, "2026-06-01") || !strings.Contains(strings.Join(v.Notes, "\n"), "latest complete month") {
		t.Fatalf("period %q, notes %v", v.Period, v.Notes)
	}
	checkBridge(t, v)
	if _, err := service(p).Variance(context.Background(), insights.VarianceArgs{Metric: "gross_profit", Against: "budget"}); err == nil || !strings.Contains(err.Error(), "budget import") {
		t.Fatalf("against a budget the project does not have: %v", err)
	}
}
