package workflow_test

import (
	"context"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/validate"
	"github.com/databridge/databridge/pkg/warehouse"
)

// BenchmarkDeploy10M deploys the warehouse for a 500-node P&L bound to
// 10,000,000 GL rows into a DuckDB file: plan, apply in one transaction
// (TBL_0 and its mapping loaded, VW_1, DT_2, DT_3A, DT_3 built), the basic
// checks (structure, every code mapped, the statement tying out) inside
// it, commit. Each op forces a full redeploy.
func BenchmarkDeploy10M(b *testing.B) {
	ctx := context.Background()
	root := b.TempDir()
	if _, err := project.Init(root, "bench"); err != nil {
		b.Fatal(err)
	}
	p, _ := project.Open(root)
	conn, err := connector.Open(ctx, "local", connector.Config{Type: "duckdb", Path: p.Path("warehouse.duckdb")})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	t0 := time.Now()
	if _, err := conn.Exec(ctx, `CREATE TABLE facts AS
		SELECT CAST(100000 + ((i * 7919) % 50000) * 10 AS VARCHAR) AS account,
		       'P' || CAST(i % 12 AS VARCHAR) AS period,
		       'E' || CAST(i % 5 AS VARCHAR) AS entity,
		       CAST(((i * 31) % 200000 - 100000) / 100.0 AS DECIMAL(18,2)) AS amount
		FROM range(10000000) t(i)`); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated 10M rows in %s", time.Since(t0))
	h := hierarchytest.BenchPL()
	cfg := &warehouse.Config{Bindings: []warehouse.Binding{{Hierarchy: h.ID, Source: "facts", Values: []string{"amount"}, GroupBy: []string{"period", "entity"}}}}
	ds, err := warehouse.Build(warehouse.Input{Dialect: "duckdb", Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{h.ID: h}})
	if err != nil {
		b.Fatal(err)
	}
	checks := warehouse.Checks(warehouse.ChecksInput{Design: ds, Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{h.ID: h}})
	ledger := deploy.NewLedger(p)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plan, err := deploy.NewPlan(ctx, conn, "local", ds, ledger)
		if err != nil {
			b.Fatal(err)
		}
		_, err = deploy.Apply(ctx, conn, plan, ledger, deploy.ApplyOptions{Force: true,
			Validate: func(ctx context.Context, q connector.Querier) (bool, any, error) {
				r, err := validate.Run(ctx, q, "duckdb", checks, validate.Basic, validate.Options{})
				if err != nil {
					return false, nil, err
				}
				// The bench P&L leaves codes unmapped on purpose
				// (exclusions); every other check must pass.
				for _, res := range r.Results {
					if res.Status != validate.StatusPass && res.Kind != validate.KindAllMapped {
						b.Fatalf("%s: %s", res.Name, res.Message)
					}
				}
				return true, r, nil
			}})
		if err != nil {
			b.Fatal(err)
		}
	}
}
