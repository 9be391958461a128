package semantic_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/files" // the files engine
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/semantic/semantictest"
)

// BenchmarkCSVInference100Tables10MRows: the star of
// BenchmarkInference100Tables10MRows (100 tables, about 10M rows),
// exported once to CSV files (COPY ... TO ... (HEADER), 1.5 GB), then the
// same inference (ProfileTable for every table, FindKeys for every table,
// FindRelationships over all) timed three ways in one run: (a) over the
// DuckDB tables; (b) over the CSV files through the files connector with
// its parse cache cold (the open builds an entry per file; the time
// includes that open); (c) the same with the cache warm. Every key and
// all 99 foreign keys must be found each time, and nothing else. The
// issue's goals: warm within 1.5x of the tables, cold within 3x, the
// whole analysis under 10 s on 2 cores.
func BenchmarkCSVInference100Tables10MRows(b *testing.B) {
	ctx := context.Background()
	tables, _ := semantictest.Open(b, "duckdb")
	t0 := time.Now()
	st, err := semantictest.CreateStar(ctx, tables, 4, 96, 10_000_000-100_000)
	if err != nil {
		b.Fatal(err)
	}
	root := b.TempDir()
	data := filepath.Join(root, "data")
	cache := filepath.Join(root, ".databridge", "state", "cache")
	if err := os.MkdirAll(data, 0o755); err != nil {
		b.Fatal(err)
	}
	for _, name := range st.Tables {
		path := strings.ReplaceAll(filepath.Join(data, name+".csv"), "'", "''")
		if _, err := tables.Exec(ctx, "COPY "+name+" TO '"+path+"' (HEADER)"); err != nil {
			b.Fatalf("export %s: %v", name, err)
		}
	}
	b.Logf("generated and exported %d tables, %d rows in %s", len(st.Tables), st.Rows, time.Since(t0).Round(time.Millisecond))

	infer := func(c connector.Connector) time.Duration {
		b.Helper()
		start := time.Now()
		opts := semantic.Options{}
		var profiles []*semantic.TableProfile
		for _, name := range st.Tables {
			tp, err := semantic.ProfileTable(ctx, c, "", name, opts)
			if err != nil {
				b.Fatal(err)
			}
			profiles = append(profiles, tp)
		}
		keys := map[string][]semantic.KeyCandidate{}
		for _, tp := range profiles {
			ks, err := semantic.FindKeys(ctx, c, tp, opts)
			if err != nil {
				b.Fatal(err)
			}
			if len(ks) == 0 || strings.Join(ks[0].Columns, ",") != strings.Join(st.Keys[tp.Name], ",") {
				b.Fatalf("%s: keys %+v, want %v", tp.Name, ks, st.Keys[tp.Name])
			}
			keys[tp.Name] = ks
		}
		rels, err := semantic.FindRelationships(ctx, c, profiles, keys, opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(rels) != len(st.ForeignKeys) {
			b.Fatalf("%d relationships, want %d", len(rels), len(st.ForeignKeys))
		}
		for _, r := range rels {
			if r.Coverage != 1 || len(r.FromColumns) != 1 || r.FromColumns[0] != r.ToColumns[0] {
				b.Fatalf("unexpected relationship %+v", r)
			}
		}
		return time.Since(start)
	}
	// csv opens the files connector over the exported files, as
	// `databridge analyze` does (read-only, the project's cache), runs
	// the inference and returns the open and inference times.
	csv := func() (open, inference time.Duration) {
		b.Helper()
		start := time.Now()
		c, err := connector.Open(ctx, "csv", connector.Config{Type: "files", Path: data, ReadOnly: true, CacheDir: cache})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		open = time.Since(start)
		return open, infer(c)
	}

	var tablesT, coldOpen, coldInfer, warmOpen, warmInfer time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tablesT += infer(tables)
		if err := os.RemoveAll(cache); err != nil {
			b.Fatal(err)
		}
		o, inf := csv()
		coldOpen += o
		coldInfer += inf
		o, inf = csv()
		warmOpen += o
		warmInfer += inf
	}
	b.StopTimer()
	n := time.Duration(b.N)
	tablesT, coldOpen, coldInfer, warmOpen, warmInfer = tablesT/n, coldOpen/n, coldInfer/n, warmOpen/n, warmInfer/n
	cold, warm := coldOpen+coldInfer, warmOpen+warmInfer
	b.Logf("(a) DuckDB tables: %s", tablesT.Round(time.Millisecond))
	b.Logf("(b) CSV, cache cold: %s (open, building the cache: %s; inference: %s) = %.2fx the tables",
		cold.Round(time.Millisecond), coldOpen.Round(time.Millisecond), coldInfer.Round(time.Millisecond), cold.Seconds()/tablesT.Seconds())
	b.Logf("(c) CSV, cache warm: %s (open: %s; inference: %s) = %.2fx the tables",
		warm.Round(time.Millisecond), warmOpen.Round(time.Millisecond), warmInfer.Round(time.Millisecond), warm.Seconds()/tablesT.Seconds())
	b.ReportMetric(tablesT.Seconds(), "tables-s/op")
	b.ReportMetric(cold.Seconds(), "csv-cold-s/op")
	b.ReportMetric(coldOpen.Seconds(), "csv-cold-open-s/op")
	b.ReportMetric(warm.Seconds(), "csv-warm-s/op")
	b.ReportMetric(cold.Seconds()/tablesT.Seconds(), "cold/tables")
	b.ReportMetric(warm.Seconds()/tablesT.Seconds(), "warm/tables")
}
