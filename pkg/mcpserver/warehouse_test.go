package mcpserver

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/scripts"
	"github.com/databridge/databridge/pkg/warehouse"
)

func TestWarehouseTools(t *testing.T) {
	p := newProject(t)
	ctx := context.Background()
	if _, err := hierarchy.NewService(p).NewFromTemplate(ctx, hierarchy.NewInput{Template: "standard_pl", ID: "pl"}); err != nil {
		t.Fatal(err)
	}
	cs := newSession(t, p, Options{Toolsets: []string{"warehouse"}})
	wantContains(t, "unbound", callErr(t, cs, "design_warehouse_model", map[string]any{"dialect": "duckdb"}), "no hierarchy is bound")
	if _, err := warehouse.NewService(p).Bind(ctx, warehouse.Binding{Hierarchy: "pl", Source: "fin.gl", Values: []string{"amount"}, GroupBy: []string{"period"}}); err != nil {
		t.Fatal(err)
	}
	res := call[scripts.GenerateResult](t, cs, "design_warehouse_model", map[string]any{"dialect": "postgres"})
	if res.Written || len(res.Manifest.Objects) != 6 || res.Manifest.Objects[5].Kind != warehouse.KindMaterializedView {
		t.Fatalf("design = %+v", res.Manifest)
	}
	wantContains(t, "mode", callErr(t, cs, "design_warehouse_model", map[string]any{"output_mode": "cube"}), `unknown output_mode "cube"`, "dbt")
	wantContains(t, "git without dbt", callErr(t, cs, "design_warehouse_model", map[string]any{"git": true}), "output_mode dbt")
	testDesignDBT(t, cs, p.Root)
	written := call[scripts.GenerateResult](t, cs, "design_warehouse_model", map[string]any{"dialect": "duckdb", "write": true})
	if !written.Written || !strings.HasSuffix(written.Dir, "generated/sql/duckdb") {
		t.Fatalf("write = %+v", written)
	}
	o := call[warehouse.Object](t, cs, "preview_generated_ddl", map[string]any{"object": "DT_2_PL", "dialect": "databricks"})
	if o.Kind != warehouse.KindView || len(o.DDL) == 0 || !strings.Contains(o.DDL[0], "CREATE OR REPLACE VIEW `DT_2_PL`") {
		t.Fatalf("preview = %+v", o)
	}
	wantContains(t, "unknown object", callErr(t, cs, "preview_generated_ddl", map[string]any{"object": "NOPE"}), "no object", "TBL_0_PL")
}

// testDesignDBT checks output_mode dbt: the design plus a real dbt project
// on disk, idempotent regeneration, and the git commit.
func testDesignDBT(t *testing.T, cs *mcp.ClientSession, root string) {
	t.Helper()
	dry := call[designOutput](t, cs, "design_warehouse_model", map[string]any{"output_mode": "dbt", "dialect": "postgres", "dry_run": true})
	if dry.DBT == nil || dry.DBT.Written || dry.DBT.Adapter != "postgres" || len(dry.DBT.Files) == 0 || dry.Manifest == nil || len(dry.Manifest.Objects) != 6 {
		t.Fatalf("dbt dry run = %+v", dry)
	}
	if _, err := os.Stat(filepath.Join(root, "generated/dbt")); !os.IsNotExist(err) {
		t.Errorf("dry run wrote generated/dbt: %v", err)
	}

	res := call[designOutput](t, cs, "design_warehouse_model", map[string]any{"output_mode": "dbt", "dialect": "duckdb"})
	d := res.DBT
	if d == nil || !d.Written || d.Adapter != "duckdb" || d.Dir != filepath.Join(root, "generated/dbt") || d.Commit != nil {
		t.Fatalf("dbt = %+v", d)
	}
	if !slices.ContainsFunc(d.Models, func(m string) bool { return strings.HasPrefix(strings.ToLower(m), "dt_3_") }) {
		t.Errorf("models %v: no dt_3 model", d.Models)
	}
	if len(d.Changed) != len(d.Files) || !slices.Contains(d.Files, "dbt_project.yml") {
		t.Errorf("first generation: changed %d of %d files %v", len(d.Changed), len(d.Files), d.Files)
	}
	for _, f := range d.Files {
		if _, err := os.Stat(filepath.Join(d.Dir, f)); err != nil {
			t.Errorf("generated file %s: %v", f, err)
		}
	}
	again := call[designOutput](t, cs, "design_warehouse_model", map[string]any{"output_mode": "dbt", "dialect": "duckdb"})
	if again.DBT == nil || len(again.DBT.Changed) != 0 {
		t.Errorf("regeneration changed %v", again.DBT)
	}

	// With git, into another folder: a commit, then no new one for an
	// unchanged regeneration.
	args := map[string]any{"output_mode": "dbt", "dialect": "duckdb", "out": "build/dbt", "git": true, "message": "first dbt project"}
	c1 := call[designOutput](t, cs, "design_warehouse_model", args).DBT
	if c1 == nil || c1.Commit == nil || !c1.Commit.Changed || c1.Commit.Commit == "" || c1.Commit.Branch != "main" || !strings.HasPrefix(c1.Commit.Message, "first dbt project") {
		t.Fatalf("git generation = %+v", c1)
	}
	c2 := call[designOutput](t, cs, "design_warehouse_model", args).DBT
	if c2 == nil || c2.Commit == nil || c2.Commit.Changed || c2.Commit.Commit != c1.Commit.Commit || len(c2.Changed) != 0 {
		t.Fatalf("unchanged git regeneration = %+v %+v", c2, c2.Commit)
	}
	repo, err := git.PlainOpen(filepath.Join(root, "build/dbt"))
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil || head.Hash().String() != c1.Commit.Commit {
		t.Fatalf("HEAD = %v, %v; want %s", head, err, c1.Commit.Commit)
	}
	log, err := repo.Log(&git.LogOptions{From: head.Hash()})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		if _, err := log.Next(); err != nil {
			break
		}
		n++
	}
	if n != 1 {
		t.Errorf("commits = %d, want 1", n)
	}
	wantContains(t, "dbt with hierarchies", callErr(t, cs, "design_warehouse_model", map[string]any{"output_mode": "dbt", "hierarchies": []string{"pl"}}), "every bound hierarchy")
	wantContains(t, "dbt with write", callErr(t, cs, "design_warehouse_model", map[string]any{"output_mode": "dbt", "write": true}), "unless dry_run")
}
