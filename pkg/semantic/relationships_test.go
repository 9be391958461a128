package semantic_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/semantic/semantictest"
)

// inferred is what the three steps found for a schema.
type inferred struct {
	profiles []*semantic.TableProfile
	keys     map[string][]semantic.KeyCandidate
	rels     []model.Relationship
}

func analyze(t *testing.T, c connector.Connector, schema string, tables []string, opts semantic.Options) inferred {
	t.Helper()
	ctx := context.Background()
	out := inferred{keys: map[string][]semantic.KeyCandidate{}}
	for _, name := range tables {
		tp, err := semantic.ProfileTable(ctx, c, schema, name, opts)
		if err != nil {
			t.Fatalf("ProfileTable(%s): %v", name, err)
		}
		out.profiles = append(out.profiles, tp)
		ks, err := semantic.FindKeys(ctx, c, tp, opts)
		if err != nil {
			t.Fatalf("FindKeys(%s): %v", name, err)
		}
		out.keys[tp.Name] = ks
	}
	rels, err := semantic.FindRelationships(ctx, c, out.profiles, out.keys, opts)
	if err != nil {
		t.Fatalf("FindRelationships: %v", err)
	}
	out.rels = rels
	return out
}

func fkString(from string, fromCols []string, to string, toCols []string) string {
	return fmt.Sprintf("%s(%s) → %s(%s)", from, strings.Join(fromCols, ","), to, strings.Join(toCols, ","))
}

// checkTPCH asserts the eight keys and exactly the eight foreign keys.
func checkTPCH(t *testing.T, got inferred) {
	t.Helper()
	for table, want := range semantictest.TPCHKeys {
		ks := got.keys[table]
		if len(ks) == 0 {
			t.Errorf("%s: no key found, want (%s)", table, strings.Join(want, ", "))
			continue
		}
		if strings.Join(ks[0].Columns, ",") != strings.Join(want, ",") {
			var alts []string
			for _, k := range ks {
				alts = append(alts, fmt.Sprintf("(%s) %.3f", strings.Join(k.Columns, ","), k.Score))
			}
			t.Errorf("%s: best key (%s), want (%s); candidates %v", table, strings.Join(ks[0].Columns, ", "), strings.Join(want, ", "), alts)
		}
		if ks[0].Confidence <= 0.5 || ks[0].Confidence > 1 || len(ks[0].Evidence) == 0 {
			t.Errorf("%s: key confidence %.3f, evidence %v", table, ks[0].Confidence, ks[0].Evidence)
		}
	}
	var want, have []string
	for _, fk := range semantictest.TPCHForeignKeys {
		want = append(want, fkString(fk.From, fk.FromColumns, fk.To, fk.ToColumns))
	}
	for _, r := range got.rels {
		have = append(have, fkString(r.FromTable, r.FromColumns, r.ToTable, r.ToColumns))
		if r.Confidence <= 0 || r.Confidence > 1 || len(r.Evidence) == 0 || r.Name == "" {
			t.Errorf("%s: confidence %.3f, name %q, evidence %v", r.Name, r.Confidence, r.Name, r.Evidence)
		}
	}
	sort.Strings(want)
	sort.Strings(have)
	if strings.Join(want, "\n") != strings.Join(have, "\n") {
		t.Errorf("relationships:\n got  %s\n want %s", strings.Join(have, "\n      "), strings.Join(want, "\n      "))
	}
}

func TestTPCH(t *testing.T) {
	for _, engine := range semantictest.Engines {
		t.Run(engine, func(t *testing.T) {
			c, schema := semantictest.Open(t, engine)
			if err := semantictest.CreateTPCH(context.Background(), c, schema, semantictest.TPCHOptions{}); err != nil {
				t.Fatal(err)
			}
			got := analyze(t, c, schema, semantictest.TPCHTables, semantic.Options{})
			checkTPCH(t, got)
			for _, r := range got.rels {
				if r.Coverage != 1 {
					t.Errorf("%s: coverage %.4f, want 1", r.Name, r.Coverage)
				}
				if r.Declared {
					t.Errorf("%s: declared, but the schema declares nothing", r.Name)
				}
			}
			if testing.Verbose() {
				for _, tp := range got.profiles {
					k := got.keys[tp.Name][0]
					t.Logf("%-8s %5d rows  key (%s) score %.3f confidence %.3f", tp.Name, tp.Rows, strings.Join(k.Columns, ", "), k.Score, k.Confidence)
				}
				for _, r := range got.rels {
					t.Logf("%s: coverage %.4f confidence %.3f", r.Name, r.Coverage, r.Confidence)
				}
			}
			// The composite reference says why the single ones went.
			for _, r := range got.rels {
				if r.ToTable == "partsupp" && !hasRule(r, "composite_preferred") {
					t.Errorf("%s: no composite_preferred evidence: %v", r.Name, r.Evidence)
				}
			}
		})
	}
}

// TestTPCHSampled profiles on samples (lineitem, orders and partsupp are
// above the threshold) and still finds the same keys and relationships,
// confirmed on full data.
func TestTPCHSampled(t *testing.T) {
	for _, engine := range semantictest.Engines {
		t.Run(engine, func(t *testing.T) {
			c, schema := semantictest.Open(t, engine)
			if err := semantictest.CreateTPCH(context.Background(), c, schema, semantictest.TPCHOptions{}); err != nil {
				t.Fatal(err)
			}
			got := analyze(t, c, schema, semantictest.TPCHTables, semantic.Options{SampleRows: 700})
			for _, tp := range got.profiles {
				if tp.Rows > 700 && (tp.Sampled == 0 || tp.Sampled >= tp.Rows) {
					t.Errorf("%s: %d rows, sampled %d", tp.Name, tp.Rows, tp.Sampled)
				}
				if tp.Rows <= 700 && tp.Sampled != 0 {
					t.Errorf("%s: %d rows sampled (%d)", tp.Name, tp.Rows, tp.Sampled)
				}
			}
			checkTPCH(t, got)
		})
	}
}

func hasRule(r model.Relationship, rule string) bool {
	for _, e := range r.Evidence {
		if e.Rule == rule {
			return true
		}
	}
	return false
}

func evidence(r model.Relationship, rule string) string {
	for _, e := range r.Evidence {
		if e.Rule == rule {
			return e.Detail
		}
	}
	return ""
}

// TestDirtyData: 1% of the orders are gone, so 1% of lineitem.l_orderkey
// values have no parent; the relationship is still found, with coverage
// 0.99 and evidence that says so.
func TestDirtyData(t *testing.T) {
	for _, engine := range semantictest.Engines {
		t.Run(engine, func(t *testing.T) {
			c, schema := semantictest.Open(t, engine)
			if err := semantictest.CreateTPCH(context.Background(), c, schema, semantictest.TPCHOptions{OrphanShare: 0.01}); err != nil {
				t.Fatal(err)
			}
			got := analyze(t, c, schema, semantictest.TPCHTables, semantic.Options{})
			checkTPCH(t, got)
			var found bool
			for _, r := range got.rels {
				if r.FromTable != "lineitem" || r.ToTable != "orders" {
					continue
				}
				found = true
				if r.Coverage != 0.99 {
					t.Errorf("coverage %.4f, want 0.99", r.Coverage)
				}
				inc := evidence(r, "inclusion")
				for _, want := range []string{"1500 distinct", "15 missing", "coverage 0.9900", "orphans", "dirty data"} {
					if !strings.Contains(inc, want) {
						t.Errorf("inclusion evidence %q lacks %q", inc, want)
					}
				}
				if r.Confidence >= 1 || r.Confidence < 0.7 {
					t.Errorf("confidence %.3f", r.Confidence)
				}
				t.Logf("%s: %s", r.Name, inc)
			}
			if !found {
				t.Error("lineitem → orders not found")
			}
			// Stricter coverage refuses it.
			strict := analyze(t, c, schema, []string{"orders", "lineitem"}, semantic.Options{MinCoverage: 0.995})
			for _, r := range strict.rels {
				if r.FromTable == "lineitem" && r.ToTable == "orders" {
					t.Errorf("found with MinCoverage 0.995: %+v", r)
				}
			}
		})
	}
}

// TestDeclaredConstraints: declared keys and foreign keys are facts.
func TestDeclaredConstraints(t *testing.T) {
	c, schema := semantictest.Open(t, "duckdb")
	if err := semantictest.CreateTPCH(context.Background(), c, schema, semantictest.TPCHOptions{Declared: true}); err != nil {
		t.Fatal(err)
	}
	got := analyze(t, c, schema, semantictest.TPCHTables, semantic.Options{})
	checkTPCH(t, got)
	for _, tp := range got.profiles {
		if strings.Join(tp.DeclaredPK, ",") != strings.Join(semantictest.TPCHKeys[tp.Name], ",") {
			t.Errorf("%s: declared PK %v", tp.Name, tp.DeclaredPK)
		}
		k := got.keys[tp.Name][0]
		if k.Confidence != 1 || k.Evidence[0].Rule != "declared_primary_key" {
			t.Errorf("%s: key %v confidence %.3f evidence %v", tp.Name, k.Columns, k.Confidence, k.Evidence)
		}
	}
	for _, r := range got.rels {
		if !r.Declared || r.Confidence != 1 || r.Coverage != 1 || r.Evidence[0].Rule != "declared_foreign_key" {
			t.Errorf("%s: declared %v confidence %.3f coverage %.3f evidence %v", r.Name, r.Declared, r.Confidence, r.Coverage, r.Evidence)
		}
	}
}
