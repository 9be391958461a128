package reconcile

import (
	"context"
	"fmt"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/testenv/sparkconn"
)

// The planted-difference fixtures on Spark with Delta (the databricks
// dialect's proof engine, issue 17): the same engine through the pushed
// down join, and across engines through Spark's own hash of the
// normalised text form against DuckDB's and PostgreSQL's.
var (
	leftSpark  = tableSpec{engine: "databricks", types: [6]string{"STRING", "DECIMAL(18,2)", "INT", "DOUBLE", "STRING", "TIMESTAMP"}, amount: "dec", qty: "int", posted: "ts6"}
	rightSpark = tableSpec{engine: "databricks", types: [6]string{"STRING", "DOUBLE", "DECIMAL(18,2)", "DECIMAL(18,4)", "STRING", "TIMESTAMP"}, amount: "double", qty: "dec", posted: "tz"}
)

// addSpark adds the connection "spark" (a fresh schema on the shared
// runner, dropped with the test) to the environment's project.
func (e *rowsEnv) addSpark() {
	e.t.Helper()
	sparkconn.RegisterEngine(e.t)
	schema := sparkconn.Open(e.t, "spark").Schema()
	e.spark = connector.Config{Type: sparkconn.EngineType, Schema: schema}
	p, err := project.Open(e.root)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := connections.New(p).Add(context.Background(), connections.AddInput{Name: "spark", Config: e.spark}); err != nil {
		e.t.Fatal(err)
	}
	p, err = project.Open(e.root)
	if err != nil {
		e.t.Fatal(err)
	}
	e.svc = New(p, connections.New(p))
}

func TestRowsSameEngineSpark(t *testing.T) {
	e := newRowsEnv(t, false, false)
	e.addSpark()
	for _, seed := range fxSeeds[:2] {
		f := genFixture(seed, 200)
		if res := e.check(f, e.load(leftSpark, fmt.Sprintf("l%d", seed), f.left), e.load(rightSpark, fmt.Sprintf("r%d", seed), f.right)); res.Method != "join" {
			t.Errorf("seed %d: method %s, want the pushed-down join", seed, res.Method)
		}
	}
}

func TestRowsAcrossEnginesSpark(t *testing.T) {
	e := newRowsEnv(t, true, false)
	e.addSpark()
	type pair struct {
		name string
		l, r tableSpec
	}
	for _, p := range []pair{{"spark-duckdb", leftSpark, rightDuck}, {"postgres-spark", leftPG, rightSpark}} {
		if (p.l.engine == "postgres" || p.r.engine == "postgres") && !e.pg {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			f := genFixture(fxSeeds[0], 200)
			res := e.check(f, e.load(p.l, fxName("xl"), f.left), e.load(p.r, fxName("xr"), f.right))
			if res.Method != "segments" || res.Segments == nil || res.Segments.RowsFetched >= int64(len(f.left)+len(f.right)) {
				t.Errorf("%s: method %s, segments %+v: not a segment comparison, or everything fetched", p.name, res.Method, res.Segments)
			}
		})
	}
}

// TestTotalsSpark: the GL tie-out with a side on Spark, exact decimals
// against a DuckDB double and against Spark itself.
func TestTotalsSpark(t *testing.T) {
	e := newRowsEnv(t, false, false)
	e.addSpark()
	e.checkTotals([2]glSide{{"databricks", "DECIMAL(18,2)"}, {"duckdb", "DOUBLE"}}, fxSeeds[:1])
	e.checkTotals([2]glSide{{"databricks", "DECIMAL(18,2)"}, {"databricks", "DOUBLE"}}, fxSeeds[:1])
}
