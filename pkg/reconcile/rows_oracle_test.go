package reconcile

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/testenv"
)

// datacompyScript compares two DuckDB tables with datacompy (polars) and
// prints its counts as JSON: argv = database, left, right, columns.
const datacompyScript = `
import json, sys, duckdb, datacompy
db, left, right, cols = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
con = duckdb.connect(db, read_only=True)
sel = ", ".join(["id"] + cols)
l = con.sql(f"SELECT {sel} FROM {left}").pl()
r = con.sql(f"SELECT {sel} FROM {right}").pl()
c = datacompy.PolarsCompare(l, r, join_columns=["id"], abs_tol={"amount": 0.01}, ignore_spaces=True)
stats = {s["column"]: s["unequal_cnt"] for s in c.column_stats}
print(json.dumps({"only_left": c.df1_unq_rows.height, "only_right": c.df2_unq_rows.height,
	"matched": c.intersect_rows.height, "changed": c.all_mismatch().height, "columns": stats}))
`

// TestOracleDatacompy: on a planted fixture without duplicate or NULL
// keys and without timestamps (where datacompy's answers are right),
// datacompy's counts equal ours.
func TestOracleDatacompy(t *testing.T) {
	py := testenv.VenvTool(t, "python")
	e := newRowsEnv(t, false, false)
	for _, seed := range fxSeeds {
		f := genFixture(seed, 400)
		// Only keys datacompy handles as we do: no NULL or duplicate keys,
		// no key that differs from another by trailing spaces (ignore_spaces
		// applies to its join columns too).
		clean := func(rows []fxRow) []fxRow {
			var out []fxRow
			seen := map[string]bool{}
			for _, r := range rows {
				if r.id == nil || seen[*r.id] || strings.TrimSpace(*r.id) != *r.id {
					continue
				}
				seen[*r.id] = true
				out = append(out, r)
			}
			return out
		}
		l := e.load(leftDuck, "ol", clean(f.left))
		r := e.load(rightDuck, "or_", clean(f.right))
		res, err := e.svc.Rows(context.Background(), RowsInput{Left: l, Right: r, Key: []string{"id"}, Columns: []string{"amount", "qty", "price", "name"},
			Tolerance: []string{"amount=abs:0.01"}, Trim: []string{"name"}})
		if err != nil {
			t.Fatal(err)
		}
		script := filepath.Join(t.TempDir(), "dc.py")
		os.WriteFile(script, []byte(datacompyScript), 0o644)
		out, err := exec.Command(py, script, e.duck, "ol", "or_", "amount,qty,price,name").Output()
		if err != nil {
			t.Fatalf("datacompy: %v\n%s", err, out)
		}
		var dc struct {
			OnlyLeft  int64            `json:"only_left"`
			OnlyRight int64            `json:"only_right"`
			Matched   int64            `json:"matched"`
			Changed   int64            `json:"changed"`
			Columns   map[string]int64 `json:"columns"`
		}
		if err := json.Unmarshal(out, &dc); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		// Where datacompy is wrong: an amount 0.01 off on the DOUBLE side
		// is 0.01000000000021… apart in floating point, beyond its
		// abs_tol of 0.01, so it reports the planted within-tolerance
		// rows as differences; compared as decimals at scale 2 they are
		// exactly 0.01 apart, within the tolerance.
		var within int64
		for _, w := range f.within {
			if math.Abs(w[0].InexactFloat64()-w[1].InexactFloat64()) > 0.01 {
				within++
			}
		}
		s := res.Summary
		if dc.OnlyLeft != s.OnlyLeft || dc.OnlyRight != s.OnlyRight || dc.Matched != s.Matched || dc.Changed != s.Changed+within {
			t.Errorf("seed %d: datacompy %+v, ours %+v (+%d within tolerance)", seed, dc, s, within)
		}
		for _, c := range res.Columns {
			want := c.Unequal
			if c.Name == "amount" {
				want += within
			}
			if dc.Columns[c.Name] != want {
				t.Errorf("seed %d: column %s: datacompy %d unequal, ours %d (+%d)", seed, c.Name, dc.Columns[c.Name], c.Unequal, want-c.Unequal)
			}
		}
		t.Logf("seed %d: datacompy agrees on %d only-left, %d only-right, %d matched; flags %d of the %d amounts exactly 0.01 apart", seed, dc.OnlyLeft, dc.OnlyRight, dc.Matched, within, len(f.within))
		if s.Changed == 0 || s.OnlyLeft == 0 {
			t.Errorf("seed %d: the fixture planted nothing: %+v", seed, s)
		}
	}
}
