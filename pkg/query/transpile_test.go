package query

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/testenv"
)

// oracleGaps are cases sqlglot's DuckDB translation cannot stand for.
var oracleGaps = map[string]string{
	// T-SQL compares a DATE with N'2024-07-01' by converting the string;
	// sqlglot keeps the literal a typed VARCHAR, which DuckDB refuses.
	d.SQLServer + "/where_date_not_in": "N'...' literal compared with a DATE",
}

// TestOtherDialectsThroughSQLGlot checks the engines this suite cannot
// run (SQL Server, BigQuery, Databricks) by meaning as well as syntax:
// every case compiled for them is transpiled to DuckDB by sqlglot, run on
// the star schema in DuckDB and compared with the case's hand-written SQL.
// sqlglot's transpilation is an oracle, not the engine: a difference
// points at either.
func TestOtherDialectsThroughSQLGlot(t *testing.T) {
	python := testenv.VenvTool(t, "python")
	e := openQueryEngine(t, d.DuckDB)
	genStar().load(t, e.conn, e.prefix)
	glot := map[string]string{d.SQLServer: "tsql", d.BigQuery: "bigquery", d.Databricks: "databricks"}
	for _, dl := range []string{d.SQLServer, d.BigQuery, d.Databricks} {
		t.Run(dl, func(t *testing.T) {
			compiled := map[string]*Compiled{}
			src := map[string]string{}
			for _, c := range cases() {
				out, err := Compile(c.layer(""), c.spec, dl)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				compiled[c.name], src[c.name] = out, out.SQL
			}
			in, _ := json.Marshal(map[string]any{"read": glot[dl], "sql": src})
			cmd := exec.Command(python, filepath.Join("testdata", "sqlglot_transpile.py"))
			cmd.Stdin = bytes.NewReader(in)
			raw, err := cmd.Output()
			if err != nil {
				t.Fatalf("sqlglot: %v\n%s", err, raw)
			}
			var res map[string]struct{ SQL, Error string }
			if err := json.Unmarshal(raw, &res); err != nil {
				t.Fatal(err)
			}
			for _, c := range cases() {
				t.Run(c.name, func(t *testing.T) {
					if why := oracleGaps[dl+"/"+c.name]; why != "" {
						t.Skip("sqlglot gap: " + why)
					}
					r := res[c.name]
					if r.Error != "" {
						t.Fatalf("sqlglot cannot transpile it: %s\n%s", r.Error, src[c.name])
					}
					got := run(t, e, r.SQL)
					want := run(t, e, strings.ReplaceAll(c.hand, "{s}", e.prefix))
					ngroups := 0
					for _, col := range compiled[c.name].Columns {
						if col.Kind == KindGroup {
							ngroups += len(col.SQL)
						}
					}
					// sqlglot reads T-SQL's FLOAT (double precision) as
					// DuckDB's FLOAT (single): ratios agree to about 1e-7.
					tol := 1e-9
					if dl == d.SQLServer {
						tol = 1e-6
					}
					if msg := sameRowsWithin(got, want, ngroups, c.ordered, tol); msg != "" {
						t.Errorf("%s\ncompiled:\n%s\nas DuckDB:\n%s\ngot  %v\nwant %v", msg, src[c.name], r.SQL, got, want)
					}
				})
			}
		})
	}
}
