package mcpserver

import (
	"context"
	"strings"
	"testing"

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
	wantContains(t, "dbt", callErr(t, cs, "design_warehouse_model", map[string]any{"output_mode": "dbt"}), "not available yet")
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
