package hierarchy

import (
	"context"

	"github.com/databridge/databridge/pkg/events"
)

// emit returns a function that passes a store operation's result through
// and, when it succeeded, publishes it on the project's event bus
// (pkg/events) — after the operation released the project lock:
// hierarchy.updated for a created, changed or deleted (h nil) hierarchy,
// hierarchy.published for a published version. A store made without a
// project (tests) publishes nothing.
func (s *Store) emit(ctx context.Context, t events.Type, id string) func(*Hierarchy, error) (*Hierarchy, error) {
	return func(h *Hierarchy, err error) (*Hierarchy, error) {
		if err != nil || s.project == nil {
			return h, err
		}
		data := map[string]any{"hierarchy": id}
		if h != nil {
			data["version"], data["status"] = h.Version, string(h.Status)
		} else {
			data["deleted"] = true
		}
		events.Emit(ctx, s.project, t, data)
		return h, err
	}
}

// imported publishes hierarchy.updated for a CSV import that was written.
func (s *Store) imported(ctx context.Context, id string, h *Hierarchy) {
	_, _ = s.emit(ctx, events.HierarchyUpdated, id)(h, nil)
}
