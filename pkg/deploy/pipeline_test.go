package deploy_test

import (
	"context"
	"errors"
	"testing"

	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/warehouse"
)

// TestHierarchyPipeline deploys a real generated design (TBL_0 → VW_1 →
// DT_2 → DT_3A → DT_3 for a random hierarchy), redeploys it forced, and
// fails every statement of a forced redeploy in turn.
func TestHierarchyPipeline(t *testing.T) {
	for _, e := range engines[:2] { // DuckDB, PostgreSQL
		t.Run(e.name, func(t *testing.T) {
			tg := e.open(t)
			_, l := newProject(t)
			g := hierarchytest.RandHierarchy(7)
			hierarchytest.LoadFacts(t, tg.conn, tg.q("facts"), hierarchytest.RandFacts(7, g.Pool))
			source := "facts"
			if tg.schema != "" {
				source = tg.schema + ".facts"
			}
			cfg := &warehouse.Config{Schema: tg.schema, Bindings: []warehouse.Binding{{Hierarchy: g.H.ID, Source: source, Values: []string{"amount"}, GroupBy: []string{"period", "entity"}, Name: "PL"}}}
			ds, err := warehouse.Build(warehouse.Input{Dialect: tg.conn.Dialect(), Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{g.H.ID: g.H}})
			if err != nil {
				t.Fatal(err)
			}
			mustDeploy(t, tg.conn, l, ds)
			before := tg.snapshot(t)
			ctx := context.Background()
			for k := 1; ; k++ {
				f := &faulty{Connector: tg.conn, failAt: k}
				p, err := deploy.NewPlan(ctx, f, "wh", ds, l)
				if err != nil {
					t.Fatal(err)
				}
				_, err = deploy.Apply(ctx, f, p, l, deploy.ApplyOptions{Force: true})
				if err == nil {
					t.Logf("%s: %d objects, %d failure points on a forced redeploy", e.name, len(ds.Objects), k-1)
					break
				}
				if !errors.Is(err, errInjected) {
					t.Fatalf("k=%d: %v", k, err)
				}
				sameSnapshot(t, "pipeline failure at "+itoa(k), before, tg.snapshot(t))
			}
			sameSnapshot(t, "forced redeploy", before, tg.snapshot(t))
		})
	}
}
