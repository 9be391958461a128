package hierarchy

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/project"
)

// Every write of the store publishes one event on the project's bus (read
// back from its journal); a dry run and a refused change publish nothing.
func TestStoreEvents(t *testing.T) {
	root := t.TempDir()
	if _, err := project.Init(root, "hier-events"); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	svc := NewService(p)
	ctx := context.Background()
	type ev struct {
		t       events.Type
		version string
	}
	var want []ev
	check := func(step string) {
		t.Helper()
		got, err := events.For(p).Recent(100)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d events in the journal, want %d: %v", step, len(got), len(want), got)
		}
		for i, w := range want {
			if got[i].Type != w.t || got[i].Str("hierarchy") != "pl" || got[i].Str("version") != w.version {
				t.Fatalf("%s: event %d is %s %v, want %s version %s", step, i, got[i].Type, got[i].Data, w.t, w.version)
			}
		}
	}
	if _, err := svc.Create(ctx, CreateInput{ID: "pl", Name: "P&L"}); err != nil {
		t.Fatal(err)
	}
	want = append(want, ev{events.HierarchyUpdated, "1"})
	check("create")
	if _, err := svc.AddNode(ctx, "pl", NodeInput{Code: "REV", Name: "Revenue"}); err != nil {
		t.Fatal(err)
	}
	want = append(want, ev{events.HierarchyUpdated, "1"})
	check("add node")
	if _, err := svc.AddNode(ctx, "pl", NodeInput{Code: "REV", Name: "again"}); err == nil {
		t.Fatal("a duplicate code was accepted")
	}
	check("refused change")
	if _, err := svc.Publish(ctx, "pl"); err != nil {
		t.Fatal(err)
	}
	want = append(want, ev{events.HierarchyPublished, "1"})
	check("publish")
	file := filepath.Join("testdata", "csv", "pnl_parent_child.csv")
	abs, _ := filepath.Abs(file)
	if _, err := svc.Import(ctx, ImportInput{ID: "pl", File: abs, DryRun: true}); err != nil {
		t.Fatal(err)
	}
	check("dry-run import")
	if _, err := svc.Import(ctx, ImportInput{ID: "pl", File: abs}); err != nil {
		t.Fatal(err)
	}
	want = append(want, ev{events.HierarchyUpdated, "2"})
	check("import")
	if err := svc.Delete(ctx, "pl"); err != nil {
		t.Fatal(err)
	}
	want = append(want, ev{events.HierarchyUpdated, ""})
	check("delete")
}
