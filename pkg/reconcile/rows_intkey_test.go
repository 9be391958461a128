package reconcile

import (
	"context"
	"fmt"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
)

// Integer keys across engines are segmented by dialect.IntSegment, not by
// the MD5 of their text. Keys that are negative, sparse and in a stride
// (every 1000th, which a plain modulo would pile into a few segments),
// with planted changes, keys on one side only and a duplicate; the fetch
// limit lowered so that the comparison descends through several levels.
// Every pair must report exactly what the same comparison inside one
// DuckDB (the join form) reports.
func TestRowsAcrossEnginesIntegerKeyLevels(t *testing.T) {
	e := newRowsEnv(t, true, true)
	old := FetchRows
	FetchRows = 40
	t.Cleanup(func() { FetchRows = old })
	ctx := context.Background()

	// Left: 3,000 keys -1,500,000 … +1,499,000 by 1000. Right: the same
	// but 13 changed amounts, 5 keys dropped, 4 keys added, key 7000
	// duplicated on the right.
	left := "SELECT CAST((i - 1500) * 1000 AS BIGINT) AS id, CAST(i * 1.25 AS DECIMAL(18,2)) AS amount, CAST('n' || CAST(i % 17 AS VARCHAR) AS VARCHAR) AS name FROM range(0, 3000) t(i)"
	right := `SELECT id, CASE WHEN ((id + 1500000) // 1000) % 230 = 11 THEN amount + 0.01 ELSE amount END AS amount, name FROM l WHERE ((id + 1500000) // 1000) % 600 <> 7
		UNION ALL SELECT CAST(2000000 + i AS BIGINT), CAST(1 AS DECIMAL(18,2)), 'x' FROM range(0, 4) t(i)
		UNION ALL SELECT id, amount, name FROM l WHERE id = 7000`
	dc, err := connector.Open(ctx, "gen", connector.Config{Type: "duckdb", Path: e.duck})
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, dc, "CREATE TABLE l AS "+left, "CREATE TABLE r AS "+right)
	rows := func(table string) []string {
		res, err := dc.Query(ctx, "SELECT id, amount, name FROM "+table, connector.QueryOptions{MaxRows: -1})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range res.Rows {
			out = append(out, fmt.Sprintf("(%v, %v, '%v')", r[0], r[1], r[2]))
		}
		return out
	}
	rightRows := rows("r")
	dc.Close()

	want, err := e.svc.Rows(ctx, RowsInput{Left: "duck.l", Right: "duck.r", Key: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	if want.Method != "join" || want.Summary.Changed == 0 || want.Summary.OnlyLeft != 5 || want.Summary.OnlyRight != 4 || want.Summary.DuplicateKeysRight != 1 {
		t.Fatalf("the oracle (one DuckDB) is not what was planted: %s %+v", want.Method, want.Summary)
	}
	for _, engine := range []string{"postgres", "mysql"} {
		if engine == "postgres" && !e.pg || engine == "mysql" && !e.my {
			continue
		}
		t.Run(engine, func(t *testing.T) {
			conn, cfg := e.cfg(engine)
			c, err := connector.Open(ctx, "gen", cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			name := fxName("ik")
			execAll(t, c, "CREATE TABLE "+name+" (id BIGINT, amount DECIMAL(18,2), name VARCHAR(20))")
			for i := 0; i < len(rightRows); i += 500 {
				batch := rightRows[i:min(i+500, len(rightRows))]
				stmt := "INSERT INTO " + name + " VALUES "
				for j, r := range batch {
					if j > 0 {
						stmt += ", "
					}
					stmt += r
				}
				execAll(t, c, stmt)
			}
			e.drop = append(e.drop, func() {
				if c, err := connector.Open(context.Background(), "gen", cfg); err == nil {
					c.Exec(context.Background(), "DROP TABLE IF EXISTS "+name)
					c.Close()
				}
			})
			got, err := e.svc.Rows(ctx, RowsInput{Left: "duck.l", Right: conn + "." + name, Key: []string{"id"}})
			if err != nil {
				t.Fatal(err)
			}
			if got.Method != "segments" || got.Segments.Levels < 2 {
				t.Errorf("method %s, segments %+v: want the segment form through at least two levels", got.Method, got.Segments)
			}
			if got.Summary != want.Summary {
				t.Errorf("summary\n got %+v\nwant %+v", got.Summary, want.Summary)
			}
			for i := range want.Columns {
				g, w := got.Columns[i], want.Columns[i]
				str := func(p *string) string {
					if p == nil {
						return "<nil>"
					}
					return *p
				}
				if g.Unequal != w.Unequal || str(g.MaxAbsDiff) != str(w.MaxAbsDiff) {
					t.Errorf("column %s: got %d unequal, max %s; want %d, max %s", w.Name, g.Unequal, str(g.MaxAbsDiff), w.Unequal, str(w.MaxAbsDiff))
				}
			}
		})
	}
}
