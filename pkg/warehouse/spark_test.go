package warehouse

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connector"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
	"github.com/databridge/databridge/pkg/testenv/sparkconn"
)

// sparkSeeds is the sample of seeds CI runs on Spark (11: codes in mixed
// case, with spaces and leading zeros, and the matching option), or every seed
// 1..12 with DATABRIDGE_SPARK_FULL=1 (make test-spark), or the ones
// listed in DATABRIDGE_SPARK_SEEDS (1,5,9).
func sparkSeeds() []int64 {
	if v := os.Getenv("DATABRIDGE_SPARK_SEEDS"); v != "" {
		var some []int64
		for _, f := range strings.Split(v, ",") {
			if n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64); err == nil {
				some = append(some, n)
			}
		}
		return some
	}
	if os.Getenv("DATABRIDGE_SPARK_FULL") == "1" {
		var all []int64
		for s := int64(1); s <= 12; s++ {
			all = append(all, s)
		}
		return all
	}
	return []int64{11}
}

// readDT3Exact reads DT_3 as node → group key → the amount as the
// connector gives it (exact decimal text for DECIMAL columns).
func readDT3Exact(t *testing.T, c connector.Connector, ds *Design, table string, groups []string) map[string]any {
	t.Helper()
	o := ds.Object(table)
	if o == nil {
		t.Fatalf("no object %s", table)
	}
	q := `SELECT ` + quote(c, "NODE_CODE")
	for _, g := range groups {
		q += `, CAST(` + quote(c, g) + ` AS ` + d.TextType(c.Dialect()) + `)`
	}
	q += `, ` + quote(c, "amount") + ` FROM ` + quoteQ(c, o.QualifiedName())
	res, err := c.Query(context.Background(), q, connector.QueryOptions{MaxRows: -1})
	if err != nil {
		t.Fatalf("%s: read %s: %v", c.Dialect(), table, err)
	}
	out := map[string]any{}
	for _, r := range res.Rows {
		key := []string{fmt.Sprint(r[0])}
		for i := range groups {
			if r[1+i] == nil {
				key = append(key, "")
			} else {
				key = append(key, fmt.Sprint(r[1+i]))
			}
		}
		k := strings.Join(key, "\x00")
		if _, dup := out[k]; dup {
			t.Fatalf("%s: %s has two rows for %q", c.Dialect(), table, key)
		}
		out[k] = r[1+len(groups)]
	}
	return out
}

// sameAmount: both NULL, or the same number (exact for decimal text; a
// float only where an engine gives one).
func sameAmount(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	da, ea := decimal.NewFromString(fmt.Sprint(a))
	db, eb := decimal.NewFromString(fmt.Sprint(b))
	if ea != nil || eb != nil {
		return fmt.Sprint(a) == fmt.Sprint(b)
	}
	if _, fa := a.(float64); fa {
		return hierarchytest.CloseEnough(da.InexactFloat64(), db.InexactFloat64())
	}
	if _, fb := b.(float64); fb {
		return hierarchytest.CloseEnough(da.InexactFloat64(), db.InexactFloat64())
	}
	return da.Equal(db)
}

// TestPipelineOnSpark deploys the hierarchy pipeline (TBL_0, TBL_0_MAPPING,
// VW_1, DT_2, DT_3A, DT_3) rendered for databricks on Spark with Delta and
// for duckdb on DuckDB, over the same random hierarchies and facts: DT_3
// must be equal row for row, the rollup run on Spark must equal the rollup
// run on DuckDB exactly, and both must match the independent reference
// computation (hierarchytest.CheckRollup). Issue 11's matching example
// runs too.
func TestPipelineOnSpark(t *testing.T) {
	sp := sparkconn.Open(t, "spark")
	duck := hierarchytest.OpenDuckDB(t)
	ctx := context.Background()
	for _, seed := range sparkSeeds() {
		g := hierarchytest.RandHierarchy(seed)
		rows := hierarchytest.RandFacts(seed, g.Pool)
		if seed > 5 {
			g = hierarchytest.RandHierarchyMixed(seed)
			rows = hierarchytest.RandFactsMixed(seed, g)
		}
		if seed > 9 {
			withMatching(g, seed)
		}
		table := "facts_" + strconv.FormatInt(seed, 10)
		hierarchytest.LoadFacts(t, sp, table, rows)
		hierarchytest.LoadFacts(t, duck, table, rows)
		groups := []string{"period", "entity"}
		name := "S" + strconv.FormatInt(seed, 10)
		dt3 := map[string]map[string]any{}
		var designs []*Design
		for _, c := range []connector.Connector{sp, duck} {
			schema := ""
			if c == connector.Connector(sp) {
				schema = sp.Schema()
			}
			cfg := &Config{Schema: schema, Bindings: []Binding{{Hierarchy: g.H.ID, Source: table, Values: []string{"amount"}, GroupBy: groups, Name: name}}}
			ds, err := Build(Input{Dialect: c.Dialect(), Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{g.H.ID: g.H}})
			if err != nil {
				t.Fatalf("seed %d %s: design: %v", seed, c.Dialect(), err)
			}
			execAll(t, c, ds)
			dt3[c.Dialect()] = readDT3Exact(t, c, ds, "DT_3_"+name, groups)
			designs = append(designs, ds)
		}
		// The rollup (hierarchy.Rollup, pushed into the engine) on both.
		want, err := hierarchy.Rollup(ctx, duck, g.H, hierarchy.RollupInput{Table: table, Value: "amount", By: groups})
		if err != nil {
			t.Fatal(err)
		}
		got, err := hierarchy.Rollup(ctx, sp, g.H, hierarchy.RollupInput{Table: table, Value: "amount", By: groups})
		if err != nil {
			t.Fatalf("seed %d: rollup on Spark: %v", seed, err)
		}
		hierarchytest.CheckRollup(t, seed, g.H, rows, got)
		// DT_3 row for row: exact, but for formula nodes, which are
		// computed in DOUBLE where the formula needs it and written to
		// DECIMAL(38,10): DuckDB writes the double's exact binary value
		// (…7295000064), Spark its shortest decimal (…7295000000).
		formula := map[string]bool{}
		for _, l := range want.Lines {
			formula[l.Code] = l.Type == hierarchy.TypeFormula
		}
		onSpark, onDuck := dt3[d.Databricks], dt3[d.DuckDB]
		if len(onSpark) != len(onDuck) || len(onDuck) == 0 {
			t.Fatalf("seed %d: DT_3 has %d rows on Spark, %d on DuckDB", seed, len(onSpark), len(onDuck))
		}
		for k, w := range onDuck {
			got, ok := onSpark[k]
			node, _, _ := strings.Cut(k, "\x00")
			same := sameAmount(got, w)
			if !same && formula[node] && got != nil && w != nil {
				a, _ := decimal.NewFromString(fmt.Sprint(got))
				b, _ := decimal.NewFromString(fmt.Sprint(w))
				same = hierarchytest.CloseEnough(a.InexactFloat64(), b.InexactFloat64())
			}
			if !ok || !same {
				t.Fatalf("seed %d: DT_3 %q: Spark %v (present %v), DuckDB %v", seed, strings.ReplaceAll(k, "\x00", "|"), got, ok, w)
			}
		}
		if len(got.Lines) != len(want.Lines) || fmt.Sprint(got.GroupKeys) != fmt.Sprint(want.GroupKeys) {
			t.Fatalf("seed %d: rollup shape: Spark %d lines %v, DuckDB %d lines %v", seed, len(got.Lines), got.GroupKeys, len(want.Lines), want.GroupKeys)
		}
		for i, l := range want.Lines {
			for gi := range want.GroupKeys {
				if a, b := hierarchytest.Fmtp(got.Lines[i].Values[gi]), hierarchytest.Fmtp(l.Values[gi]); a != b {
					t.Fatalf("seed %d: rollup node %s group %v: Spark %s, DuckDB %s", seed, l.Code, want.GroupKeys[gi], a, b)
				}
			}
		}
		for gi := range want.SourceTotal {
			if fmt.Sprint(got.SourceTotal[gi]) != fmt.Sprint(want.SourceTotal[gi]) || fmt.Sprint(got.Unmapped[gi]) != fmt.Sprint(want.Unmapped[gi]) {
				t.Fatalf("seed %d: totals: Spark %v/%v, DuckDB %v/%v", seed, got.SourceTotal[gi], got.Unmapped[gi], want.SourceTotal[gi], want.Unmapped[gi])
			}
		}
		t.Logf("seed %d: %d DT_3 rows, %d nodes × %d groups equal on Spark and DuckDB", seed, len(onSpark), len(want.Lines), len(want.GroupKeys))
	}
	// Issue 11's example: abc, ABC and 'Abc ' (1, 10, 100) under the
	// rule abc give 1 exactly and 111 case-insensitive and trimmed, in
	// DT_3 and in the rollup on Spark.
	var rows []hierarchytest.FactRow
	for i, code := range []string{"abc", "ABC", "Abc "} {
		code := code
		rows = append(rows, hierarchytest.FactRow{Code: &code, Period: "P1", Entity: "E1", Cents: []int64{100, 1000, 10000}[i]})
	}
	hierarchytest.LoadFacts(t, sp, "match_ex", rows)
	for i, tc := range []struct {
		m    *hierarchy.Matching
		want string
	}{{nil, "1"}, {&hierarchy.Matching{Case: hierarchy.CaseInsensitive, Trim: true}, "111"}} {
		h := issue11(tc.m)
		name := fmt.Sprintf("EX%d", i)
		cfg := &Config{Schema: sp.Schema(), Bindings: []Binding{{Hierarchy: h.ID, Source: "match_ex", Values: []string{"amount"}, Name: name}}}
		ds, err := Build(Input{Dialect: sp.Dialect(), Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{h.ID: h}})
		if err != nil {
			t.Fatal(err)
		}
		execAll(t, sp, ds)
		got := readDT3Exact(t, sp, ds, "DT_3_"+name, nil)
		if a := got["A"]; !sameAmount(a, tc.want) {
			t.Errorf("matching %s: DT_3 leaf A = %v, want %s", h.CodeMatching(), a, tc.want)
		}
		r, err := hierarchy.Rollup(ctx, sp, h, hierarchy.RollupInput{Table: "match_ex", Value: "amount"})
		if err != nil {
			t.Fatal(err)
		}
		if v := r.Lines[1].Values[0]; v == nil || !sameAmount(hierarchytest.Fmtp(v), tc.want) {
			t.Errorf("matching %s: rollup leaf A = %s, want %s", h.CodeMatching(), hierarchytest.Fmtp(v), tc.want)
		}
	}
}

// TestDatabricksOnlyOnSpark lists, by name, what the databricks dialect
// renders that open-source Spark cannot run, proves Spark refuses it (so
// the list cannot go stale quietly: a feature Spark starts to accept fails
// here and belongs in the tests above), and skips it with the reason.
func TestDatabricksOnlyOnSpark(t *testing.T) {
	sp := sparkconn.Open(t, "spark")
	ctx := context.Background()
	hierarchytest.Exec(t, sp, "CREATE TABLE base (a INT)")
	refused := func(t *testing.T, st d.Stmt, reason string) {
		t.Helper()
		sql, err := d.Render(d.Databricks, st)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sp.Exec(ctx, sql); err == nil {
			t.Fatalf("Spark ran %q: move it out of this list and test it", sql)
		} else {
			t.Skipf("only on Databricks: %s (Spark: %.160s)", reason, err)
		}
	}
	t.Run("grants", func(t *testing.T) {
		refused(t, &d.Grant{Privilege: "SELECT", Kind: d.KindTable, Name: d.N(sp.Schema(), "base"), Role: "analysts"},
			"GRANT needs Unity Catalog (design grants, scripts' 05_grants.sql)")
	})
	t.Run("materialized_views", func(t *testing.T) {
		refused(t, &d.CreateMaterializedView{Name: d.N(sp.Schema(), "mv"), OrReplace: true,
			Query: &d.Select{Columns: []d.SelectItem{{Expr: d.C("a")}}, From: d.Table{Name: d.N(sp.Schema(), "base")}}},
			"materialized views are Databricks SQL objects (the pipeline renders DT_3A and DT_3 as tables instead)")
	})
	t.Run("sql_warehouse_settings", func(t *testing.T) {
		t.Skip("only on Databricks: SQL warehouse sizing, serverless and session settings of a warehouse; OAuth M2M; Arrow/CloudFetch results")
	})
}
