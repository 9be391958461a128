package cmd_test

// The twin of `hierarchy update`: the hierarchy-level fields (name, kind,
// description, source columns, matching) changed the same way by both faces.

func init() {
	parityCases = append(parityCases,
		parityCase{name: "hierarchy update", cli: []string{"hierarchy", "update", "pl", "--name", "Group P&L", "--description", "Management P&L", "--match-case", "insensitive", "--match-trim"},
			tool: "update_hierarchy", args: map[string]any{"id": "pl", "name": "Group P&L", "description": "Management P&L", "matching": map[string]any{"case": "insensitive", "trim": true}}, writes: true},
	)
}
