package advanced_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/advanced"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
)

// TestGeneratePrunesWhatItNoLongerWrites: a file an earlier generation
// wrote and this one does not is removed (and the removal committed);
// a file someone added is kept; a dry run combined with git is refused.
func TestGeneratePrunesWhatItNoLongerWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := quickstart.Run(ctx, quickstart.Options{Dir: dir, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := advanced.NewService(p, "test")
	first, _, err := svc.Generate(ctx, advanced.GenerateInput{Git: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(first.Models, "dt_3_pl") || !first.Commit.Changed {
		t.Fatalf("first generation: models %v, commit %+v", first.Models, first.Commit)
	}
	out := first.Dir
	// An older generation wrote models/marts/dt_3_old.sql; a person added notes.md.
	list, _ := os.ReadFile(filepath.Join(out, advanced.GeneratedList))
	if err := os.WriteFile(filepath.Join(out, advanced.GeneratedList), append(list, "models/marts/dt_3_old.sql\n../outside.txt\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"models/marts/dt_3_old.sql", "notes.md", "../outside.txt"} {
		if err := os.WriteFile(filepath.Join(out, f), []byte("select 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	second, _, err := svc.Generate(ctx, advanced.GenerateInput{Git: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(second.Removed, []string{"models/marts/dt_3_old.sql"}) || len(second.Changed) != 0 {
		t.Fatalf("second generation: removed %v, changed %v", second.Removed, second.Changed)
	}
	for f, want := range map[string]bool{"models/marts/dt_3_old.sql": false, "notes.md": true, "../outside.txt": true, "models/marts/dt_3_pl.sql": true} {
		if _, err := os.Stat(filepath.Join(out, f)); (err == nil) != want {
			t.Errorf("%s: exists=%v, want %v", f, err == nil, want)
		}
	}
	if !second.Commit.Changed || second.Commit.Commit == first.Commit.Commit {
		t.Fatalf("the user's file and the list change should make one commit: %+v", second.Commit)
	}
	third, _, err := svc.Generate(ctx, advanced.GenerateInput{Git: true})
	if err != nil {
		t.Fatal(err)
	}
	if third.Commit.Changed || len(third.Removed) != 0 || len(third.Changed) != 0 {
		t.Fatalf("an unchanged regeneration changed something: %+v", third)
	}
	if _, _, err := svc.Generate(ctx, advanced.GenerateInput{Git: true, DryRun: true}); err == nil || !strings.Contains(err.Error(), "dry_run and git") {
		t.Fatalf("dry run + git: %v", err)
	}
	if _, _, err := svc.Generate(ctx, advanced.GenerateInput{Adapter: "oracle"}); err == nil || !strings.Contains(err.Error(), "unknown dbt adapter") {
		t.Fatalf("bad adapter: %v", err)
	}
}
