package semantic_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/semantic/semantictest"
)

// TestAnalyzeTPCH runs the whole analysis (profiling, keys, relationships,
// SCD, classification) on the TPC-H-shaped data on every engine and checks
// the model: every key and foreign key, no false ones, lineitem and orders
// facts and the rest dimensions — the same on DuckDB, PostgreSQL and
// MariaDB.
func TestAnalyzeTPCH(t *testing.T) {
	var summaries []string
	for _, engine := range semantictest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			conn, schema := semantictest.Open(t, engine)
			if err := semantictest.CreateTPCH(ctx, conn, schema, semantictest.TPCHOptions{}); err != nil {
				t.Fatal(err)
			}
			m, err := semantic.Analyze(ctx, conn, "tpch", semantic.Options{Schema: schema}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Tables) != 8 {
				t.Fatalf("%d tables", len(m.Tables))
			}
			for name, key := range semantictest.TPCHKeys {
				tb := m.Table(name)
				if tb == nil {
					t.Fatalf("no table %s", name)
				}
				if strings.Join(tb.PrimaryKey, ",") != strings.Join(key, ",") {
					t.Errorf("%s key = %v, want %v", name, tb.PrimaryKey, key)
				}
				wantFact := name == "lineitem" || name == "orders"
				if tb.Role.IsFact() != wantFact {
					t.Errorf("%s role = %s (fact expected: %v); evidence %v", name, tb.Role, wantFact, tb.RoleInference.Evidence)
				}
				if !wantFact && tb.Role != model.RoleDimension {
					t.Errorf("%s role = %s, want dimension", name, tb.Role)
				}
				if len(tb.KeyInference.Evidence) == 0 || len(tb.RoleInference.Evidence) == 0 {
					t.Errorf("%s: inference without evidence", name)
				}
			}
			got := map[string]bool{}
			for _, r := range m.Relationships {
				got[fmt.Sprintf("%s(%s)->%s(%s)", r.FromTable, strings.Join(r.FromColumns, ","), r.ToTable, strings.Join(r.ToColumns, ","))] = true
			}
			want := map[string]bool{}
			for _, fk := range semantictest.TPCHForeignKeys {
				want[fmt.Sprintf("%s(%s)->%s(%s)", fk.From, strings.Join(fk.FromColumns, ","), fk.To, strings.Join(fk.ToColumns, ","))] = true
			}
			for k := range want {
				if !got[k] {
					t.Errorf("missing relationship %s", k)
				}
			}
			for k := range got {
				if !want[k] {
					t.Errorf("false relationship %s", k)
				}
			}
			var s []string
			for _, tb := range m.Tables {
				s = append(s, fmt.Sprintf("%s:%s:%s", tb.Name, tb.Role, strings.Join(tb.PrimaryKey, ",")))
			}
			for k := range got {
				s = append(s, k)
			}
			sort.Strings(s)
			summaries = append(summaries, strings.Join(s, ";"))
		})
	}
	for i := 1; i < len(summaries); i++ {
		if summaries[i] != summaries[0] {
			t.Errorf("engines disagree:\n%s\n%s", summaries[0], summaries[i])
		}
	}
}
