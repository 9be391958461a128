package dbt

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/testenv"
	"github.com/databridge/databridge/pkg/testenv/sparkconn"
)

// TestRandomHierarchiesSpark: the project generated for the databricks
// adapter builds green on dbt-spark 1.11 (session method: dbt's own
// in-process Spark with Delta, over a Hive catalog in embedded Derby), and
// each dt_3 equals hierarchy.Rollup over the same facts.
//
// The facts are loaded, and the result read, by a private Spark runner
// over the same warehouse and metastore folders; Derby admits one JVM at
// a time, so the runner is closed while dbt runs. The shared Spark of the
// other tests has an in-memory catalog of its own and is not touched.
func TestRandomHierarchiesSpark(t *testing.T) {
	if os.Getenv(dbtSparkPhase) != "1" {
		t.Skip("dbt-spark opens a Spark of its own: it runs after the other Spark tests, in make test's second phase (" + dbtSparkPhase + "=1)")
	}
	venv := testenv.Need(t, sparkconn.VenvEnv, "Spark venv with dbt-spark (see .ci/run)")
	bin := filepath.Join(venv, "bin", "dbt")
	if _, err := os.Stat(bin); err != nil {
		testenv.Missing(t, "dbt-spark: no dbt in "+venv)
	}
	ctx := context.Background()
	dir := t.TempDir()
	// DATABRIDGE_KEEP_DBT_SPARK=DIR keeps the project, logs and warehouse
	// in DIR, to look at after a failure.
	if k := os.Getenv("DATABRIDGE_KEEP_DBT_SPARK"); k != "" {
		dir = k
	}
	o := sparkconn.Options{Warehouse: filepath.Join(dir, "spark"), Hive: true}
	open := func() (*sparkconn.Runner, *sparkconn.Conn) {
		r, err := sparkconn.StartWith(ctx, venv, o)
		if err != nil {
			t.Fatal(err)
		}
		return r, sparkconn.New(r, "spark", "")
	}
	r, c := open()
	hierarchytest.Exec(t, c, "CREATE SCHEMA raw")
	seeds := []int64{11, 12}
	if os.Getenv("DATABRIDGE_SPARK_FULL") == "1" {
		seeds = []int64{11, 12, 13, 14, 15, 16}
	}
	hs, cfg := randomInputs(t, c, "raw", seeds)
	r.Close()
	// A name that needs escaping in a Spark SQL literal.
	const awkward = `O'Brien \ Co. 100% "net"`
	first := hs["rand11"].Nodes[0]
	first.Name = awkward

	proj, err := Generate(Input{Adapter: "databricks", Config: cfg, Hierarchies: hs})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := proj.Write(dir); err != nil {
		t.Fatal(err)
	}
	conf, err := sparkconn.SessionConf(ctx, venv, o)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(conf))
	for k := range conf {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	body := "      type: spark\n      method: session\n      host: NA\n      schema: wh\n      server_side_parameters:\n"
	for _, k := range keys {
		body += "        " + quoteYAML(k) + ": " + quoteYAML(conf[k]) + "\n"
	}
	writeProfile(t, dir, proj.Name, body)
	res := dbtRun(t, bin, dir, "build")
	requireGreen(t, res, "")

	r, c = open()
	defer r.Close()
	checkRandom(t, c, "wh", "raw", hs, seeds)
	// The seeds hold NULL where the CSV cell is empty, and text exactly.
	roots := 0
	for _, n := range hs["rand11"].Nodes {
		if n.Parent == "" {
			roots++
		}
	}
	got := readRows(t, c, "SELECT COUNT(*) FROM wh.tbl_0_rand11 WHERE PARENT_CODE IS NULL")
	if got[0] != fmt.Sprint(roots) {
		t.Fatalf("tbl_0_rand11: %s roots with a NULL parent, want %d", got[0], roots)
	}
	got = readRows(t, c, "SELECT NODE_NAME FROM wh.tbl_0_rand11 WHERE NODE_CODE = '"+first.Code+"'")
	if len(got) != 1 || got[0] != awkward {
		t.Fatalf("tbl_0_rand11 %s: name %q, want %q", first.Code, got, awkward)
	}
}

// dbtSparkPhase gates the dbt-spark build to make test's second phase.
const dbtSparkPhase = "DATABRIDGE_TEST_DBT_SPARK"

// quoteYAML is a YAML double-quoted scalar.
func quoteYAML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
