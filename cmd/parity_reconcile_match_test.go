package cmd_test

// The twins of reconcile match, dedupe, pair, profile and drift on the
// quickstart project's ERP files. Each run is recorded (and profile saves
// a file), so each face runs on its own copy.
func init() {
	parityCases = append(parityCases,
		parityCase{name: "reconcile match",
			cli:  []string{"reconcile", "match", "erp.vendors", "erp.customers", "--left-column", "vendor_name", "--right-column", "customer_name", "--threshold", "60"},
			tool: "fuzzy_match_columns", args: map[string]any{"left": "erp.vendors", "right": "erp.customers", "left_column": "vendor_name", "right_column": "customer_name", "threshold": 60},
			writes: true},
		parityCase{name: "reconcile dedupe",
			cli:  []string{"reconcile", "dedupe", "erp.customers", "--column", "customer_name", "--threshold", "80"},
			tool: "fuzzy_deduplicate", args: map[string]any{"table": "erp.customers", "column": "customer_name", "threshold": 80},
			writes: true},
		parityCase{name: "reconcile pair",
			cli:  []string{"reconcile", "pair", "erp.customers", "erp.customers", "--on", "credit_limit", "--also", "customer_name~fuzzy"},
			tool: "pair_transactions", args: map[string]any{"left": "erp.customers", "right": "erp.customers", "on": "credit_limit", "also": "customer_name~fuzzy"},
			writes: true},
		parityCase{name: "reconcile pair unpaired",
			cli:  []string{"reconcile", "pair", "erp.customers", "erp.monthly_balances", "--on", "credit_limit=closing_balance:abs:0.01", "--many"},
			tool: "pair_transactions", args: map[string]any{"left": "erp.customers", "right": "erp.monthly_balances", "on": "credit_limit=closing_balance:abs:0.01", "many": true},
			writes: true},
		parityCase{name: "reconcile profile",
			cli:  []string{"reconcile", "profile", "erp.monthly_balances", "--save", "mb"},
			tool: "profile_data", args: map[string]any{"table": "erp.monthly_balances", "save": "mb"},
			writes: true},
		parityCase{name: "reconcile drift",
			cli:  []string{"reconcile", "drift", "erp.customers", "--against", "erp.vendors"},
			tool: "detect_schema_drift", args: map[string]any{"table": "erp.customers", "against": "erp.vendors"},
			writes: true},
		parityCase{name: "reconcile drift none",
			cli:  []string{"reconcile", "drift", "erp.vendors", "--against", "vendors0"},
			tool: "detect_schema_drift", args: map[string]any{"table": "erp.vendors", "against": "vendors0"},
			setup: [][]string{{"reconcile", "profile", "erp.vendors", "--save", "vendors0"}}},
	)
}
