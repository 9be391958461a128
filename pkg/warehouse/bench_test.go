package warehouse

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
)

// genFacts10M creates 10,000,000 GL rows inside DuckDB: 50,000 distinct
// 6-character accounts, 12 periods, 5 entities, DECIMAL(18,2) amounts.
func genFacts10M(b *testing.B, c connector.Connector) {
	t0 := time.Now()
	hierarchytest.Exec(b, c, `CREATE TABLE facts AS
		SELECT CAST(100000 + ((i * 7919) % 50000) * 10 AS VARCHAR) AS account,
		       'P' || CAST(i % 12 AS VARCHAR) AS period,
		       'E' || CAST(i % 5 AS VARCHAR) AS entity,
		       CAST(((i * 31) % 200000 - 100000) / 100.0 AS DECIMAL(18,2)) AS amount
		FROM range(10000000) t(i)`)
	b.Logf("generated 10M rows in %s", time.Since(t0))
}

// BenchmarkPipeline10M runs the generated DuckDB pipeline (TBL_0 and its
// mapping loaded, VW_1, DT_2, DT_3A, DT_3 built) over 10M GL rows and the
// 500-node P&L of hierarchytest.BenchPL, beside two single statements on
// the same data: the one `hierarchy rollup` sends (distinct codes mapped
// once, facts aggregated before the join), and the traditional hand-written
// one — a CASE over every rule (in precedence order, with exclusions) per
// row, summed by leaf, period and entity, rolled up through a
// leaf→ancestor closure.
func BenchmarkPipeline10M(b *testing.B) {
	c := hierarchytest.OpenDuckDB(b)
	genFacts10M(b, c)
	h := hierarchytest.BenchPL()
	cfg := &Config{Bindings: []Binding{{Hierarchy: h.ID, Source: "facts", Values: []string{"amount"}, GroupBy: []string{"period", "entity"}}}}
	ds, err := Build(Input{Dialect: "duckdb", Config: cfg, Hierarchies: map[string]*hierarchy.Hierarchy{h.ID: h}})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("pipeline", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			execAll(b, c, ds)
		}
	})
	// The best single statement we know: databridge's own rollup query
	// (distinct codes mapped once, facts aggregated before the join).
	b.Run("single_query", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := hierarchy.Rollup(context.Background(), c, h, hierarchy.RollupInput{Table: "facts", Value: "amount", By: []string{"period", "entity"}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	hand := handWritten(h)
	b.Run("handwritten", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := c.Exec(context.Background(), hand); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The two agree on every rollup and leaf.
	q := func(s string) map[string]string {
		res, err := c.Query(context.Background(), s, connector.QueryOptions{MaxRows: -1})
		if err != nil {
			b.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range res.Rows {
			out[fmt.Sprint(r[0], "|", r[1], "|", r[2])] = fmt.Sprint(r[3])
		}
		return out
	}
	pipe := q(`SELECT "NODE_CODE", period, entity, CAST(amount AS DECIMAL(18,2)) FROM "DT_3_PL" WHERE amount IS NOT NULL AND "NODE_TYPE" <> 'formula'`)
	hw := q(`SELECT node, period, entity, CAST(amount AS DECIMAL(18,2)) FROM hand`)
	if len(pipe) != len(hw) {
		b.Fatalf("pipeline %d values, hand-written %d", len(pipe), len(hw))
	}
	for k, v := range hw {
		if pipe[k] != v {
			b.Fatalf("%s: pipeline %s, hand-written %s", k, pipe[k], v)
		}
	}
}

func sqlStr(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func ruleCond(r hierarchy.Rule) string {
	switch r.Match {
	case hierarchy.MatchExact:
		return "account = " + sqlStr(r.Value)
	case hierarchy.MatchList:
		var v []string
		for _, x := range r.Values {
			v = append(v, sqlStr(x))
		}
		return "account IN (" + strings.Join(v, ", ") + ")"
	case hierarchy.MatchRange:
		return fmt.Sprintf("LENGTH(account) = %d AND account BETWEEN %s AND %s", len(r.From), sqlStr(r.From), sqlStr(r.To))
	case hierarchy.MatchPrefix:
		return "account LIKE " + sqlStr(r.Value+"%")
	}
	return "account LIKE " + sqlStr(strings.NewReplacer("*", "%", "?", "_").Replace(r.Value))
}

// handWritten builds the traditional single statement for h.
func handWritten(h *hierarchy.Hierarchy) string {
	type arm struct {
		prec, ord int
		cond      string
		leaf      string
	}
	var arms []arm
	for i, n := range h.Leaves() {
		var excl []string
		for _, r := range n.Rules {
			if r.Exclude {
				excl = append(excl, "("+ruleCond(r)+")")
			}
		}
		for _, r := range n.Rules {
			if r.Exclude {
				continue
			}
			c := "(" + ruleCond(r) + ")"
			if len(excl) > 0 {
				c += " AND NOT (" + strings.Join(excl, " OR ") + ")"
			}
			arms = append(arms, arm{prec: r.EffectivePrecedence(), ord: i, cond: c, leaf: n.Code})
		}
	}
	sort.SliceStable(arms, func(i, j int) bool {
		if arms[i].prec != arms[j].prec {
			return arms[i].prec < arms[j].prec
		}
		return arms[i].ord < arms[j].ord
	})
	var cs strings.Builder
	cs.WriteString("CASE")
	for _, a := range arms {
		fmt.Fprintf(&cs, "\n      WHEN %s THEN %s", a.cond, sqlStr(a.leaf))
	}
	cs.WriteString(" END")
	var closure []string
	idx := h.Index()
	for _, n := range h.Leaves() {
		closure = append(closure, fmt.Sprintf("(%s, %s, 1)", sqlStr(n.Code), sqlStr(n.Code)))
		sign := n.Consolidation.Sign()
		for _, a := range h.Ancestors(n.Code) {
			if idx[a].Type == hierarchy.TypeRollup {
				closure = append(closure, fmt.Sprintf("(%s, %s, %d)", sqlStr(n.Code), sqlStr(a), sign))
			}
			sign *= idx[a].Consolidation.Sign()
		}
	}
	return `CREATE OR REPLACE TABLE hand AS
WITH leafed AS (SELECT ` + cs.String() + ` AS leaf, period, entity, amount FROM facts),
agg AS (SELECT leaf, period, entity, SUM(amount) AS amount FROM leafed WHERE leaf IS NOT NULL GROUP BY leaf, period, entity),
closure(leaf, node, sgn) AS (VALUES ` + strings.Join(closure, ", ") + `)
SELECT c.node, a.period, a.entity, SUM(a.amount * c.sgn) AS amount
FROM agg a JOIN closure c ON c.leaf = a.leaf
GROUP BY c.node, a.period, a.entity`
}
