package reconcile

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/testenv"
)

// Peer benchmarks (make bench-peers; DATABRIDGE_BENCH_PEERS=1): the same
// data compared by databridge and by datacompy (polars) on one DuckDB,
// and by databridge and reladiff across DuckDB and PostgreSQL. Sizes:
// DATABRIDGE_BENCH_ROWS (default 10M same-engine, 1M cross-engine),
// DATABRIDGE_BENCH_DATACOMPY_ROWS caps datacompy's (it loads both tables
// into memory). Timings are reported, never asserted; the differences
// found are.

func peerRows(t *testing.T, def int) int {
	if os.Getenv("DATABRIDGE_BENCH_PEERS") != "1" {
		t.Skip("peer benchmark: set DATABRIDGE_BENCH_PEERS=1 (make bench-peers)")
	}
	if v, err := strconv.Atoi(os.Getenv("DATABRIDGE_BENCH_ROWS")); err == nil && v > 0 {
		return v
	}
	return def
}

// peerSelect is the generated table: a key and nine columns (money at two
// scales, a double, integers, text, a date), the same on DuckDB and
// PostgreSQL for the same ids.
const peerSelect = `SELECT id,
  CAST(((id * 7919) %% 1000000) * 0.01 AS DECIMAL(18,2)) AS a1,
  CAST(((id * 104729) %% 500000) * 0.01 - 2500 AS DECIMAL(18,2)) AS a2,
  CAST(((id * 31) %% 99991) * 0.0001 AS DECIMAL(18,4)) AS a3,
  CAST((id %% 97) * 1.5 AS DOUBLE PRECISION) AS a4,
  CAST(id %% 1000 AS INTEGER) AS q1,
  CAST((id * 13) %% 7 AS INTEGER) AS q2,
  'ACC-' || CAST(id %% 5000 AS VARCHAR) AS s1,
  'Vendor ' || CAST((id * 17) %% 20011 AS VARCHAR) AS s2,
  CAST(DATE '2024-01-01' + CAST(id %% 730 AS INTEGER) AS DATE) AS d1
FROM %s`

const peerCols = "a1,a2,a3,a4,q1,q2,s1,s2,d1"

// changedSelect changes a1 of one row in a thousand.
const changedSelect = `SELECT id, CASE WHEN id %% 1000 = 7 THEN a1 + 1 ELSE a1 END AS a1, a2, a3, a4, q1, q2, s1, s2, d1 FROM %s`

func execAll(t *testing.T, c connector.Connector, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := c.Exec(context.Background(), s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
}

func timeIt(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

const peerDatacompy = `
import json, sys, time, duckdb, datacompy
db, n = sys.argv[1], int(sys.argv[2])
t0 = time.time()
con = duckdb.connect(db, read_only=True)
l = con.sql(f"SELECT * FROM l WHERE id <= {n}").pl()
r = con.sql(f"SELECT * FROM r WHERE id <= {n}").pl()
t1 = time.time()
c = datacompy.PolarsCompare(l, r, join_columns=["id"])
changed = c.all_mismatch().height
t2 = time.time()
print(json.dumps({"load_s": t1 - t0, "compare_s": t2 - t1, "changed": changed, "rows": l.height}))
`

func TestPeerSameEngineDuckDB(t *testing.T) {
	n := peerRows(t, 10_000_000)
	py := testenv.VenvTool(t, "python")
	e := newRowsEnv(t, false, false)
	ctx := context.Background()
	c, err := connector.Open(ctx, "gen", connector.Config{Type: "duckdb", Path: e.duck})
	if err != nil {
		t.Fatal(err)
	}
	gen := timeIt(func() {
		execAll(t, c,
			"CREATE TABLE l AS "+fmt.Sprintf(peerSelect, fmt.Sprintf("range(1, %d) t(id)", n+1)),
			"CREATE TABLE r AS "+fmt.Sprintf(changedSelect, "l"))
	})
	c.Close()
	t.Logf("generated 2 × %d rows × 10 columns in %s", n, gen)
	var res *RowsResult
	ours := timeIt(func() {
		res, err = e.svc.Rows(ctx, RowsInput{Left: "duck.l", Right: "duck.r", Key: []string{"id"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Changed != int64(n/1000) || res.Summary.Matched != int64(n) || res.Columns[0].Unequal != int64(n/1000) {
		t.Fatalf("ours: %+v", res.Summary)
	}
	t.Logf("databridge: %d × %d rows, %d changed, in %s", n, n, res.Summary.Changed, ours)

	// The same tables with their key declared (PRIMARY KEY, which DuckDB
	// enforces): the duplicate-key pass is not needed.
	if c, err = connector.Open(ctx, "gen", connector.Config{Type: "duckdb", Path: e.duck}); err != nil {
		t.Fatal(err)
	}
	keyed := timeIt(func() {
		for _, tb := range []string{"l", "r"} {
			execAll(t, c, "CREATE TABLE "+tb+"_pk (id BIGINT PRIMARY KEY, a1 DECIMAL(18,2), a2 DECIMAL(18,2), a3 DECIMAL(18,4), a4 DOUBLE, q1 INTEGER, q2 INTEGER, s1 VARCHAR, s2 VARCHAR, d1 DATE)",
				"INSERT INTO "+tb+"_pk SELECT * FROM "+tb)
		}
	})
	c.Close()
	t.Logf("copied both into tables with a PRIMARY KEY in %s", keyed)
	oursPK := timeIt(func() {
		res, err = e.svc.Rows(ctx, RowsInput{Left: "duck.l_pk", Right: "duck.r_pk", Key: []string{"id"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Changed != int64(n/1000) || res.Summary.Matched != int64(n) {
		t.Fatalf("ours, declared keys: %+v", res.Summary)
	}
	t.Logf("databridge, keys declared: %d × %d rows, %d changed, in %s", n, n, res.Summary.Changed, oursPK)

	dn := n
	if v, err := strconv.Atoi(os.Getenv("DATABRIDGE_BENCH_DATACOMPY_ROWS")); err == nil && v > 0 && v < n {
		dn = v
	}
	script := filepath.Join(t.TempDir(), "peer.py")
	os.WriteFile(script, []byte(peerDatacompy), 0o644)
	out, err := exec.Command(py, script, e.duck, strconv.Itoa(dn)).Output()
	if err != nil {
		t.Fatalf("datacompy: %v\n%s", err, out)
	}
	var dc struct {
		Load    float64 `json:"load_s"`
		Compare float64 `json:"compare_s"`
		Changed int64   `json:"changed"`
		Rows    int64   `json:"rows"`
	}
	if err := json.Unmarshal(out, &dc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if dc.Changed != int64(dn/1000) {
		t.Errorf("datacompy found %d changed rows of %d, want %d", dc.Changed, dn, dn/1000)
	}
	oursAt := ours.Seconds()
	if dn != n {
		// Ours at datacompy's size, for a ratio on the same data.
		var r2 *RowsResult
		d2 := timeIt(func() {
			r2, err = e.svc.Rows(ctx, RowsInput{Left: "duck.l", Right: "duck.r", Key: []string{"id"}, Where: fmt.Sprintf("id <= %d", dn)})
		})
		if err != nil || r2.Summary.Changed != int64(dn/1000) {
			t.Fatalf("ours at %d: %v %+v", dn, err, r2)
		}
		oursAt = d2.Seconds()
		t.Logf("databridge at %d rows: %.2fs", dn, oursAt)
	}
	t.Logf("datacompy (polars) at %d rows: load %.2fs + compare %.2fs = %.2fs", dn, dc.Load, dc.Compare, dc.Load+dc.Compare)
	t.Logf("RATIO same-engine: datacompy/databridge = %.1f× (compare only), %.1f× (with its load)", dc.Compare/oursAt, (dc.Load+dc.Compare)/oursAt)
}

func TestPeerCrossEngineDuckDBPostgres(t *testing.T) {
	n := peerRows(t, 1_000_000)
	pgURL := testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	rd := testenv.VenvTool(t, "reladiff")
	e := newRowsEnv(t, true, false)
	ctx := context.Background()
	dc, err := connector.Open(ctx, "gen", connector.Config{Type: "duckdb", Path: e.duck})
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, dc, "CREATE TABLE l AS "+fmt.Sprintf(peerSelect, fmt.Sprintf("range(1, %d) t(id)", n+1)))
	dc.Close()
	pc, err := connector.Open(ctx, "gen", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
	if err != nil {
		t.Fatal(err)
	}
	same, diff := fxName("peer_same"), fxName("peer_diff")
	execAll(t, pc,
		"CREATE TABLE "+same+" AS "+strings.Replace(fmt.Sprintf(peerSelect, fmt.Sprintf("generate_series(CAST(1 AS BIGINT), %d) t(id)", n)), "SELECT id,", "SELECT CAST(id AS BIGINT) AS id,", 1),
		"ALTER TABLE "+same+" ADD PRIMARY KEY (id)",
		"CREATE TABLE "+diff+" AS "+fmt.Sprintf(changedSelect, same),
		"ALTER TABLE "+diff+" ADD PRIMARY KEY (id)",
		"ANALYZE "+same, "ANALYZE "+diff)
	e.drop = append(e.drop, func() { pc.Exec(context.Background(), "DROP TABLE IF EXISTS "+same+", "+diff); pc.Close() })

	// Both tools compare the same columns. By default those reladiff
	// renders alike on both engines: it writes a DATE as 2024-04-15 on
	// DuckDB but 2024-04-15 00:00:00.000000 on PostgreSQL (and so reports
	// every row as changed), so the date is left out of the timed
	// comparison; DATABRIDGE_BENCH_RELADIFF_COLS=a1,…,d1 puts it back.
	cols := strings.Split(peerCols, ",")
	if v := os.Getenv("DATABRIDGE_BENCH_RELADIFF_COLS"); v != "" {
		cols = strings.Split(v, ",")
	} else {
		cols = slices.DeleteFunc(cols, func(c string) bool { return c == "d1" })
	}
	t.Logf("columns compared by both tools: %s", strings.Join(cols, ","))
	for _, tc := range []struct {
		table string
		want  int64
	}{{same, 0}, {diff, int64(n / 1000)}} {
		var res *RowsResult
		ours := timeIt(func() {
			res, err = e.svc.Rows(ctx, RowsInput{Left: "duck.l", Right: "pg." + tc.table, Key: []string{"id"}, Columns: cols})
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Summary.Changed != tc.want || res.Summary.Matched != int64(n) {
			t.Fatalf("ours vs %s: %+v", tc.table, res.Summary)
		}
		t.Logf("databridge DuckDB↔PostgreSQL %d rows, %d changed: %s (%d levels, %d segments compared, %d rows fetched)",
			n, tc.want, ours, res.Segments.Levels, res.Segments.Compared, res.Segments.RowsFetched)
		// reladiff (sqeleton) knows the scheme postgresql:// only.
		args := []string{"duckdb://" + e.duck, "l", strings.Replace(pgURL, "postgres://", "postgresql://", 1), tc.table, "-k", "id"}
		for _, col := range cols {
			args = append(args, "-c", col)
		}
		var out []byte
		peer := timeIt(func() { out, err = exec.Command(rd, args...).CombinedOutput() })
		if err != nil || strings.Contains(string(out), "ERROR") {
			t.Fatalf("reladiff: %v\n%.2000s", err, out)
		}
		// One "-" and one "+" line per changed row.
		var minus, plus int64
		for _, line := range strings.Split(string(out), "\n") {
			switch {
			case strings.HasPrefix(line, "- "):
				minus++
			case strings.HasPrefix(line, "+ "):
				plus++
			}
		}
		if minus != tc.want || plus != tc.want {
			t.Errorf("reladiff vs %s: %d - and %d + lines, want %d each\n%.1000s", tc.table, minus, plus, tc.want, out)
		}
		t.Logf("reladiff %d rows, %d changed: %s", n, tc.want, peer)
		t.Logf("RATIO cross-engine (%d changed): reladiff/databridge = %.1f×", tc.want, peer.Seconds()/ours.Seconds())
	}
}
