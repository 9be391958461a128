package reconcile

// runEvent is what the reconcile.completed event (pkg/events) says about
// a recorded run: its id, kind, sides and whether they agree (no rows or
// amounts: those stay in the run's record).
func runEvent(r Run) map[string]any {
	d := map[string]any{"run": r.ID, "kind": r.Kind, "left": r.Left}
	if r.Right != "" {
		d["right"] = r.Right
	}
	if r.Agree != nil {
		d["agree"] = *r.Agree
	}
	return d
}
