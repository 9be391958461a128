package hierarchy_test

import (
	"context"
	. "github.com/databridge/databridge/pkg/hierarchy"
	. "github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"testing"
	"time"
)

// BenchmarkRollup10M: 10,000,000 fact rows generated inside DuckDB (50,000
// distinct 6-character accounts, 12 periods, 5 entities, DECIMAL(18,2)
// amounts) rolled up by period and entity through a 500-node P&L (400
// leaves, ~500 rules); one Rollup call per op.
func BenchmarkRollup10M(b *testing.B) {
	c := OpenDuckDB(b)
	t0 := time.Now()
	Exec(b, c, `CREATE TABLE facts AS
		SELECT CAST(100000 + ((i * 7919) % 50000) * 10 AS VARCHAR) AS account,
		       'P' || CAST(i % 12 AS VARCHAR) AS period,
		       'E' || CAST(i % 5 AS VARCHAR) AS entity,
		       CAST(((i * 31) % 200000 - 100000) / 100.0 AS DECIMAL(18,2)) AS amount
		FROM range(10000000) t(i)`)
	b.Logf("generated 10M rows in %s", time.Since(t0))
	h := BenchPL()
	if fs := CheckIntegrity(h); len(fs) > 0 {
		b.Fatal(fs)
	}
	in := RollupInput{Table: "facts", Value: "amount", By: []string{"period", "entity"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Rollup(context.Background(), c, h, in)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.GroupKeys) != 60 || len(res.Lines) != 500 {
			b.Fatalf("%d groups, %d lines", len(res.GroupKeys), len(res.Lines))
		}
		var rows int64
		for _, t := range res.SourceTotal {
			rows += t.Rows
		}
		if rows != 10_000_000 {
			b.Fatalf("%d rows", rows)
		}
	}
}
