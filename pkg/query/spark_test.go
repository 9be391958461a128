package query

import (
	"os"
	"testing"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/testenv/sparkconn"
)

// TestQueriesOnSpark compiles every query-builder case for databricks and
// runs it on Spark with Delta over the generated star schema, and for
// duckdb on DuckDB over the same rows: the answers must be equal. CI runs
// every third case; DATABRIDGE_SPARK_FULL=1 (make test-spark) runs all.
func TestQueriesOnSpark(t *testing.T) {
	sp := sparkconn.Open(t, "query")
	spark := queryEngine{dialect: d.Databricks, conn: sp, schema: sp.Schema(), prefix: sp.Schema() + "."}
	duck := openQueryEngine(t, d.DuckDB)
	star := genStar()
	star.load(t, spark.conn, spark.prefix)
	star.load(t, duck.conn, duck.prefix)
	full := os.Getenv("DATABRIDGE_SPARK_FULL") == "1"
	for i, c := range cases() {
		if !full && i%3 != 0 {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			var answers [][][]string
			ngroups := 0
			for _, e := range []queryEngine{spark, duck} {
				out, err := Compile(c.layer(e.schema), c.spec, e.dialect)
				if err != nil {
					t.Fatalf("%s: %v", e.dialect, err)
				}
				answers = append(answers, run(t, e, out.SQL))
				if e.dialect == d.Databricks {
					for _, col := range out.Columns {
						if col.Kind == KindGroup {
							ngroups += len(col.SQL)
						}
					}
				}
			}
			if msg := sameRows(answers[0], answers[1], ngroups, c.ordered); msg != "" {
				t.Errorf("Spark against DuckDB: %s\ngot  %v\nwant %v", msg, answers[0], answers[1])
			}
		})
	}
}
