package warehouse

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/snowflake"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/testenv"
)

// TestPipelineOnFakesnow runs the Snowflake rendering of the pipeline on
// the fakesnow emulator. fakesnow has no dynamic tables, so the design uses
// snowflake.materialize: table (the same queries under CREATE OR REPLACE
// TABLE AS); the results must equal hierarchy.Rollup on DuckDB over the
// same rows.
func TestPipelineOnFakesnow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the fakesnow emulator")
	}
	port := testenv.StartFakesnow(t)
	t.Setenv("DATABRIDGE_TEST_SF_PASSWORD", "snow")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	sf, err := connector.Open(ctx, "sf", connector.Config{Type: "snowflake", Account: "fakesnow", User: "fake",
		Password: "${DATABRIDGE_TEST_SF_PASSWORD}", Database: "DATABRIDGE", Schema: "FIN",
		Options: map[string]string{"protocol": "http", "host": "127.0.0.1", "port": strconv.Itoa(port),
			"max_retry_count": "1", "login_timeout": "20s", "disable_telemetry": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	hierarchytest.Exec(t, sf, "CREATE SCHEMA IF NOT EXISTS FIN")
	duck := hierarchytest.OpenDuckDB(t)
	// Seeds 1-5 as generated; 6-9 with codes in mixed case, with leading
	// and trailing spaces and leading zeros; 10-12 also with the
	// hierarchy's matching option on.
	for seed := int64(1); seed <= 12; seed++ {
		g := hierarchytest.RandHierarchy(seed)
		rows := hierarchytest.RandFacts(seed, g.Pool)
		if seed > 5 {
			g = hierarchytest.RandHierarchyMixed(seed)
			rows = hierarchytest.RandFactsMixed(seed, g)
		}
		if seed > 9 {
			withMatching(g, seed)
		}
		table := "FACTS_" + strconv.FormatInt(seed, 10)
		hierarchytest.LoadFacts(t, sf, table, rows)
		hierarchytest.LoadFacts(t, duck, table, rows)
		groups := []string{"period"}
		cfg := &Config{Snowflake: SnowflakeOptions{Materialize: "table"},
			Bindings: []Binding{{Hierarchy: g.H.ID, Source: table, Values: []string{"amount"}, GroupBy: groups, Name: "S" + strconv.FormatInt(seed, 10)}}}
		ds, err := Build(Input{Dialect: "snowflake", Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{g.H.ID: g.H}})
		if err != nil {
			t.Fatal(err)
		}
		execAll(t, sf, ds)
		got := readDT3(t, sf, ds, "DT_3_S"+strconv.FormatInt(seed, 10), groups)
		want, err := hierarchy.Rollup(ctx, duck, g.H, hierarchy.RollupInput{Table: table, Value: "amount", By: groups})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range want.Lines {
			for gi, key := range want.GroupKeys {
				gc := got[l.Code][strings.Join(key, "\x00")]
				w := l.Values[gi]
				if (w == nil) != !gc.has || (w != nil && !hierarchytest.SameAsDouble(*w, gc.v, l.Type == hierarchy.TypeFormula)) {
					t.Fatalf("seed %d: node %s group %v: fakesnow DT_3 = %+v, rollup = %s", seed, l.Code, key, gc, hierarchytest.Fmtp(w))
				}
			}
		}
	}
	// Issue 11's example, exact and case-insensitive + trimmed: DT_3 on
	// fakesnow, the rollup on fakesnow and on DuckDB.
	checkMatchingExample(t, sf, sf, Config{Snowflake: SnowflakeOptions{Materialize: "table"}}, "MATCH_EX", "MATCH_EX")
	checkMatchingExample(t, sf, duck, Config{Snowflake: SnowflakeOptions{Materialize: "table"}}, "MATCH_EX", "MATCH_EX")
}
