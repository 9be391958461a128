package mcpserver

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/insights"
)

func init() {
	registerToolset(toolset{
		Name: "insights",
		Description: "Insights and FP&A over the deployed warehouse's metrics: variance against prior period, prior year or a budget (per line, per member, a bridge, price/volume/mix), anomalies, trends, forecasts with backtests, and budgets imported as scenarios. " +
			"Reads are read-only; import_budget and forecast_metric with save write a scenario under .databridge/scenarios/ and its table in the warehouse.",
		Tools: []tool{analyzeVarianceTool, detectAnomaliesTool, analyzeTrendTool, forecastMetricTool, importBudgetTool, listBudgetsTool},
	})
}

func (e *env) insights() (*insights.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Insights, nil
}

var analyzeVarianceTool = newTool(&mcp.Tool{
	Name: "analyze_variance",
	Description: "Explain a metric's change over a period (default: the latest complete month) against prior_period, prior_year or a budget (budget, budget:NAME, forecast:NAME): actual, comparison, change and %, favourable or unfavourable by the metric's sign, " +
		"per hierarchy line beneath it and per member of by, a bridge from the comparison total to the actual whose effects sum exactly to the change, the drivers with their share, and a price/volume/mix decomposition when the metric has a quantity metric beside it. Amounts are exact decimal strings.",
	Annotations: readOnlyAnnotations("Analyze variance"),
}, func(ctx context.Context, e *env, in insights.VarianceArgs) (*insights.Variance, error) {
	s, err := e.insights()
	if err != nil {
		return nil, err
	}
	return s.Variance(ctx, in)
})

// importBudgetInput is import_budget's input: analytics.ScenarioImport
// without file (an MCP client sends the content, not a path on the
// server).
type importBudgetInput struct {
	CSV     string `json:"csv" jsonschema:"The CSV content: a period column (period, period_id, month or date: YYYY-MM or YYYY-MM-DD), an amount column (amount, value, budget) and columns named like dimensions of the fact (account_code, cost_center_code …)."`
	Name    string `json:"name" jsonschema:"Scenario name, e.g. budget_fy2026 (lower-case letters, digits, underscores)."`
	Kind    string `json:"kind,omitempty" jsonschema:"budget (default) or forecast."`
	Base    string `json:"base,omitempty" jsonschema:"The fact model the amounts stand beside (default: the fact the hierarchies are bound to)."`
	Measure string `json:"measure,omitempty" jsonschema:"The fact's measure the amounts are (default: the one the hierarchy binding sums)."`
	Negate  bool   `json:"negate,omitempty" jsonschema:"Negate the amounts (the file's sign convention is the opposite of the ledger's)."`
	Replace bool   `json:"replace,omitempty" jsonschema:"Replace an existing scenario of that name."`
}

var importBudgetTool = newTool(&mcp.Tool{
	Name: "import_budget",
	Description: "Import a budget (or forecast) as a scenario: planned amounts by period and by dimensions of the fact, kept under .databridge/scenarios/ and loaded into the warehouse (reloaded after every deploy and rollback), so every metric of that fact, each P&L line included, can be compared with it (against: budget). " +
		"A file that does not fit is refused with the reason and nothing is written.",
	Annotations: writeAnnotations("Import a budget", false),
}, func(ctx context.Context, e *env, in importBudgetInput) (*analytics.ScenarioResult, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	return s.ImportScenario(ctx, analytics.ScenarioImport{CSV: in.CSV, Name: in.Name, Kind: in.Kind, Base: in.Base, Measure: in.Measure, Negate: in.Negate, Replace: in.Replace})
})

var listBudgetsTool = newTool(&mcp.Tool{
	Name:        "list_budgets",
	Description: "List the project's budgets and saved forecasts (scenarios): name, kind, periods, rows, total, the dimensions they are by.",
	Annotations: readOnlyAnnotations("List budgets"),
}, func(ctx context.Context, e *env, in struct{}) (*analytics.ScenarioList, error) {
	s, err := e.analytics()
	if err != nil {
		return nil, err
	}
	return s.ListScenarios()
})

var detectAnomaliesTool = newTool(&mcp.Tool{
	Name: "detect_anomalies",
	Description: "Find a metric's spikes, dips and level shifts by month (or fiscal quarter): the series is decomposed into a robust trend and the fiscal seasonality, what is left scored robustly (median/MAD), level shifts told apart from one-off spikes. " +
		"Each finding says what, when, the expected value and the deviation in words; with by, the members that drive it (share of the deviation) and each member's own anomalies.",
	Annotations: readOnlyAnnotations("Detect anomalies"),
}, func(ctx context.Context, e *env, in insights.AnomalyArgs) (*insights.AnomalyReport, error) {
	s, err := e.insights()
	if err != nil {
		return nil, err
	}
	return s.Anomalies(ctx, in)
})

var analyzeTrendTool = newTool(&mcp.Tool{
	Name:        "analyze_trend",
	Description: "A metric's trend by month (or fiscal quarter): direction, slope per period with its 95% interval (Sen's slope on the deseasonalised series), change points, and growth rates over the last complete periods (MoM, QoQ, YoY, CAGR); per member with by.",
	Annotations: readOnlyAnnotations("Analyze trend"),
}, func(ctx context.Context, e *env, in insights.SeriesArgs) (*insights.TrendReport, error) {
	s, err := e.insights()
	if err != nil {
		return nil, err
	}
	return s.Trend(ctx, in)
})

var forecastMetricTool = newTool(&mcp.Tool{
	Name: "forecast_metric",
	Description: "Forecast a metric by month (or fiscal quarter) with 80% and 95% prediction intervals; method auto chooses per series by a rolling-origin backtest (MASE against seasonal naive, sMAPE), and the backtest is returned. " +
		"Too little history falls back with a note. save keeps the total's forecast as a scenario (compare with against: forecast:NAME).",
	Annotations: writeAnnotations("Forecast a metric", false),
}, func(ctx context.Context, e *env, in insights.ForecastArgs) (*insights.ForecastReport, error) {
	s, err := e.insights()
	if err != nil {
		return nil, err
	}
	return s.Forecast(ctx, in)
})
