//go:build unix

package semantic_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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
// same analysis (semantic.Analyze, as `databridge analyze` runs it:
// tables profiled in parallel, DATABRIDGE_BENCH_PARALLEL overrides how
// many) timed in one run: (a) over the
// DuckDB tables; (a') over the CSV files loaded into DuckDB tables (the
// sniffer's types: BIGINT and DOUBLE where the generator wrote INTEGER
// and DECIMAL(12,2)); (b) over the CSV files through the files connector with
// its parse cache cold (the open builds an entry per file; the time
// includes that open); (c) the same with the cache warm. Every key and
// all 99 foreign keys must be found each time, and nothing else. The
// issue's goals: warm within 1.5x of the tables, cold within 3x, the
// whole analysis under 10 s on 2 cores. Each time is reported as wall
// time and as this process's CPU time (user + system), which a busy
// machine disturbs less.
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
	// (a') the CSV files loaded into DuckDB tables, as a user loading
	// them gets them (the baseline): the CSV sniffer's types
	// (BIGINT, DOUBLE), not the generator's (INTEGER, DECIMAL(12,2)).
	loaded, err := connector.Open(ctx, "loaded", connector.Config{Type: "duckdb"})
	if err != nil {
		b.Fatal(err)
	}
	defer loaded.Close()
	for _, name := range st.Tables {
		path := strings.ReplaceAll(filepath.Join(data, name+".csv"), "'", "''")
		if _, err := loaded.Exec(ctx, "CREATE TABLE "+name+" AS SELECT * FROM read_csv('"+path+"')"); err != nil {
			b.Fatalf("load %s: %v", name, err)
		}
	}

	// infer runs what `databridge analyze` runs (semantic.Analyze:
	// profile and keys of the tables in parallel, relationships, SCD,
	// roles) and checks every key and reference was found.
	parallel := 0
	if v, err := strconv.Atoi(os.Getenv("DATABRIDGE_BENCH_PARALLEL")); err == nil {
		parallel = v
	}
	infer := func(c connector.Connector) benchSpan {
		b.Helper()
		start := benchNow()
		m, err := semantic.Analyze(ctx, c, "bench", semantic.Options{Parallel: parallel}, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range st.Tables {
			t := m.Table(name)
			if t == nil || strings.Join(t.PrimaryKey, ",") != strings.Join(st.Keys[name], ",") {
				b.Fatalf("%s: key %+v, want %v", name, t, st.Keys[name])
			}
		}
		if len(m.Relationships) != len(st.ForeignKeys) {
			b.Fatalf("%d relationships, want %d", len(m.Relationships), len(st.ForeignKeys))
		}
		for _, r := range m.Relationships {
			if r.Coverage != 1 || len(r.FromColumns) != 1 || r.FromColumns[0] != r.ToColumns[0] {
				b.Fatalf("unexpected relationship %+v", r)
			}
		}
		return benchSince(start)
	}
	// csv opens the files connector over the exported files, as
	// `databridge analyze` does (read-only, the project's cache), runs
	// the inference and returns the open and inference times.
	csv := func() (open, inference benchSpan) {
		b.Helper()
		start := benchNow()
		c, err := connector.Open(ctx, "csv", connector.Config{Type: "files", Path: data, ReadOnly: true, CacheDir: cache})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		open = benchSince(start)
		return open, infer(c)
	}

	var tablesT, loadedT, coldOpen, coldInfer, warmOpen, warmInfer benchSpan
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tablesT = tablesT.add(infer(tables))
		loadedT = loadedT.add(infer(loaded))
		if err := os.RemoveAll(cache); err != nil {
			b.Fatal(err)
		}
		o, inf := csv()
		coldOpen, coldInfer = coldOpen.add(o), coldInfer.add(inf)
		o, inf = csv()
		warmOpen, warmInfer = warmOpen.add(o), warmInfer.add(inf)
	}
	b.StopTimer()
	cold, warm := coldOpen.add(coldInfer), warmOpen.add(warmInfer)
	b.Logf("(a) DuckDB tables: %s", tablesT.per(b.N))
	b.Logf("(a') the CSV files loaded into DuckDB tables (the sniffer's types): %s", loadedT.per(b.N))
	b.Logf("(b) CSV, cache cold: %s (open, building the cache: %s; inference: %s) = %s the tables",
		cold.per(b.N), coldOpen.per(b.N), coldInfer.per(b.N), cold.ratio(tablesT))
	b.Logf("(c) CSV, cache warm: %s (open: %s; inference: %s) = %s the tables",
		warm.per(b.N), warmOpen.per(b.N), warmInfer.per(b.N), warm.ratio(tablesT))
	b.Logf("against (a'): cold %s, warm %s", cold.ratio(loadedT), warm.ratio(loadedT))
	n := float64(b.N)
	b.ReportMetric(tablesT.wall.Seconds()/n, "tables-s/op")
	b.ReportMetric(cold.wall.Seconds()/n, "csv-cold-s/op")
	b.ReportMetric(coldOpen.wall.Seconds()/n, "csv-cold-open-s/op")
	b.ReportMetric(warm.wall.Seconds()/n, "csv-warm-s/op")
	b.ReportMetric(cold.wall.Seconds()/tablesT.wall.Seconds(), "cold/tables")
	b.ReportMetric(warm.wall.Seconds()/tablesT.wall.Seconds(), "warm/tables")
	b.ReportMetric(cold.wall.Seconds()/loadedT.wall.Seconds(), "cold/loaded")
	b.ReportMetric(warm.wall.Seconds()/loadedT.wall.Seconds(), "warm/loaded")
	b.ReportMetric(tablesT.cpu.Seconds()/n, "tables-cpu-s/op")
	b.ReportMetric(cold.cpu.Seconds()/tablesT.cpu.Seconds(), "cold/tables-cpu")
	b.ReportMetric(warm.cpu.Seconds()/tablesT.cpu.Seconds(), "warm/tables-cpu")
}

// benchSpan is a wall-clock time and the CPU time this process used in it.
type benchSpan struct{ wall, cpu time.Duration }

func benchCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchNow() benchSpan {
	return benchSpan{wall: time.Duration(time.Now().UnixNano()), cpu: benchCPU()}
}

func benchSince(start benchSpan) benchSpan {
	n := benchNow()
	return benchSpan{wall: n.wall - start.wall, cpu: n.cpu - start.cpu}
}

func (s benchSpan) add(t benchSpan) benchSpan { return benchSpan{s.wall + t.wall, s.cpu + t.cpu} }

func (s benchSpan) per(n int) string {
	d := time.Duration(n)
	return fmt.Sprintf("%s wall, %s CPU", (s.wall / d).Round(time.Millisecond), (s.cpu / d).Round(time.Millisecond))
}

func (s benchSpan) ratio(base benchSpan) string {
	return fmt.Sprintf("%.2fx (CPU %.2fx)", s.wall.Seconds()/base.wall.Seconds(), s.cpu.Seconds()/base.cpu.Seconds())
}
