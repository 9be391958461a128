package cmd_test

// Parity of the reconcile row tools with their commands, on the
// quickstart project: the ERP's CSV files (a files connection) against
// the warehouse (DuckDB) and the warehouse against itself.
func init() {
	gl := []string{"erp.gl_journal_lines", "local.STG_GL_JOURNAL_LINES"}
	parityCases = append(parityCases,
		parityCase{name: "reconcile rows across connections", writes: true,
			cli:  []string{"reconcile", "rows", gl[0], gl[1], "--key", "journal_id,line_no", "--tolerance", "debit=abs:0.01"},
			tool: "compare_tables", args: map[string]any{"left": gl[0], "right": gl[1], "key": []string{"journal_id", "line_no"}, "tolerance": []string{"debit=abs:0.01"}}},
		parityCase{name: "reconcile rows duplicate keys", writes: true,
			cli:  []string{"reconcile", "rows", "local.STG_GL_JOURNAL_LINES", "local.FACT_GL_JOURNAL_LINES", "--key", "journal_id", "--sample", "3"},
			tool: "compare_tables", args: map[string]any{"left": "local.STG_GL_JOURNAL_LINES", "right": "local.FACT_GL_JOURNAL_LINES", "key": []string{"journal_id"}, "sample": 3}},
		parityCase{name: "reconcile totals", writes: true,
			cli:  []string{"reconcile", "totals", gl[0], "local.FACT_GL_JOURNAL_LINES", "--by", "period_id", "--measure", "debit,credit"},
			tool: "reconcile_totals", args: map[string]any{"left": gl[0], "right": "local.FACT_GL_JOURNAL_LINES", "by": []string{"period_id"}, "measures": []string{"debit", "credit"}}},
		parityCase{name: "reconcile details",
			setup: [][]string{{"reconcile", "rows", gl[0], gl[1], "--key", "journal_id,line_no"}},
			cli:   []string{"reconcile", "details", "--kind", "changed"},
			tool:  "get_reconciliation_details", args: map[string]any{"kind": "changed"}},
	)
}
