package cmd_test

// The close twins: start, status, run (done and failed), note, sign-off
// (signed and not ready), reopen — each face on its own copy of the
// quickstart project, acting as the same person (the process's).

func init() {
	start := []string{"close", "start", "2025-09"}
	selfStart := []string{"close", "start", "2025-09", "--allow-self-sign-off"}
	ready := [][]string{selfStart, {"close", "run", "all"}, {"close", "note", "variance", "--accept"},
		{"close", "note", "reconciliations", "No saved reconciliations yet: the bank reconciliation is signed on paper."}}
	parityCases = append(parityCases,
		parityCase{name: "close start", cli: start, tool: "start_close", args: map[string]any{"period": "2025-09"}, writes: true},
		parityCase{name: "close status", cli: []string{"close", "status"}, tool: "get_close_status", setup: [][]string{start}},
		parityCase{name: "close run all", cli: []string{"close", "run", "all"}, tool: "run_close_step", args: map[string]any{"step": "all"}, setup: [][]string{start}},
		// Account 6200 (rent) loses its rule: the mapping step fails
		// naming it (exit 3, an error result with the close).
		parityCase{name: "close run mapping failed", cli: []string{"close", "run", "mapping"}, tool: "run_close_step", args: map[string]any{"step": "mapping"},
			setup: [][]string{start, {"hierarchy", "mapping", "remove", "pl", "RENT", "1"}}},
		parityCase{name: "close note accept", cli: []string{"close", "note", "variance", "--accept"}, tool: "add_close_note", args: map[string]any{"step": "variance", "accept": true},
			setup: [][]string{start, {"close", "run", "variance"}}},
		parityCase{name: "close note text", cli: []string{"close", "note", "variance", "September revenue includes the new distributor.", "--item", "revenue/prior_year"},
			tool: "add_close_note", args: map[string]any{"step": "variance", "text": "September revenue includes the new distributor.", "item": "revenue/prior_year"},
			setup: [][]string{start, {"close", "run", "variance"}}},
		parityCase{name: "close sign-off", cli: []string{"close", "sign-off"}, tool: "sign_off_close", setup: ready},
		parityCase{name: "close sign-off not ready", cli: []string{"close", "sign-off"}, tool: "sign_off_close", setup: [][]string{start}},
		parityCase{name: "close reopen", cli: []string{"close", "reopen", "2025-09", "--reason", "Rent re-booked"}, tool: "reopen_close",
			args: map[string]any{"period": "2025-09", "reason": "Rent re-booked"}, setup: append(append([][]string{}, ready...), []string{"close", "sign-off"})},
	)
	volatileKeys["reopened_at"] = true
}
