package hierarchy

// RollupSQL is the rollup statement for a dialect (tests parse it).
func RollupSQL(dialect string, h *Hierarchy, in RollupInput) (string, error) {
	if in.Column == "" {
		in.Column = h.DefaultColumn()
	}
	q, _, err := rollupSQL(dialect, planRollup(h), h, in)
	return q, err
}
