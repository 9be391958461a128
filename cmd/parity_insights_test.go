package cmd_test

// The insights twins: variance, budgets.

// parityBudget is a small budget for the parity cases: revenue accounts
// of two cost centres over the first quarter of FY2026.
const parityBudget = "period_id,account_code,cost_center_code,amount\n" +
	"2025-07,4000,CC200,-726725.39\n2025-08,4000,CC200,-700000.00\n2025-09,4000,CC210,-650000.50\n2025-09,5000,CC210,300000.25\n"

func init() {
	importBudget := [][]string{{"analytics", "budget", "import", "<root>/budget.csv", "--name", "budget_q1"}}
	budgetFiles := map[string]string{"budget.csv": parityBudget}
	parityCases = append(parityCases,
		parityCase{name: "analytics variance", cli: []string{"analytics", "variance", "gross_profit", "--period", "Q1 FY2026", "--against", "prior_year", "--by", "region"},
			tool: "analyze_variance", args: map[string]any{"metric": "gross_profit", "period": "Q1 FY2026", "against": "prior_year", "by": "region"}},
		parityCase{name: "analytics variance budget", cli: []string{"analytics", "variance", "revenue", "--period", "Q1 FY2026", "--against", "budget", "--by", "department"},
			tool: "analyze_variance", args: map[string]any{"metric": "revenue", "period": "Q1 FY2026", "against": "budget", "by": "department"},
			setup: importBudget, files: budgetFiles},
		parityCase{name: "analytics anomalies", cli: []string{"analytics", "anomalies", "revenue", "--by", "region", "--as-of", "2026-07-15"},
			tool: "detect_anomalies", args: map[string]any{"metric": "revenue", "by": "region", "as_of": "2026-07-15"}},
		parityCase{name: "analytics trend", cli: []string{"analytics", "trend", "gross_profit", "--grain", "quarter", "--as-of", "2026-07-15"},
			tool: "analyze_trend", args: map[string]any{"metric": "gross_profit", "grain": "quarter", "as_of": "2026-07-15"}},
		parityCase{name: "analytics forecast", cli: []string{"analytics", "forecast", "revenue", "--horizon", "6", "--save", "fc", "--as-of", "2026-07-15"},
			tool: "forecast_metric", args: map[string]any{"metric": "revenue", "horizon": 6, "save": "fc", "as_of": "2026-07-15"}, writes: true},
		parityCase{name: "analytics budget list", cli: []string{"analytics", "budget", "list"}, tool: "list_budgets", setup: importBudget, files: budgetFiles},
	)
	volatileKeys["imported_at"] = true
	parityNotCompared["import_budget"] = "the command reads a file, the tool gets its content (source differs); both call analytics.ImportScenario, and the budget they import is compared through analytics variance budget and analytics budget list"
}
