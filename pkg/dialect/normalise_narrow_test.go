package dialect

import (
	"context"
	"fmt"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
)

// The narrow path of a double's normalised text (DECIMAL(18, …) on
// engines where that is a 64-bit integer) gives the text of the wide path
// (DECIMAL(38, …)) for every value: random doubles of every magnitude
// around the limit, midpoints at the compared scale, negatives, zero and
// -0, at several scales.
func TestNormaliseNarrowDouble(t *testing.T) {
	if !caps[DuckDB].NarrowDecimal {
		t.Skip("duckdb takes no narrow path")
	}
	ctx := context.Background()
	c, err := connector.Open(ctx, "narrow", connector.Config{Type: "duckdb"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	gen := `CREATE TABLE v AS
SELECT x FROM (
  SELECT (random() - 0.5) * pow(10, (i % 23) - 8) AS x FROM range(400000) t(i)
  UNION ALL SELECT (i // 7) + (i % 7) * 0.0005 + 0.0000005 FROM range(20000) t(i)
  UNION ALL SELECT CAST(i AS DOUBLE) / 1000 + 0.0005 FROM range(-20000, 20000) t(i)
  UNION ALL SELECT 1.005 UNION ALL SELECT 2.675 UNION ALL SELECT -0.125 UNION ALL SELECT 0.0 UNION ALL SELECT -0.0
  UNION ALL SELECT 9999999.99999 UNION ALL SELECT 99999.9999999 UNION ALL SELECT 999999999999.5
)`
	if _, err := c.Exec(ctx, gen); err != nil {
		t.Fatal(err)
	}
	for _, scale := range []int{0, 2, 4, 6, 9} {
		cmp := Compare(ColumnType{Kind: NormFloat}, ColumnType{Kind: NormDecimal, Scale: scale}, NormOptions{})
		narrow, err := cmp.Normalise(DuckDB, ColumnType{Kind: NormFloat}, C("x"))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := narrow.(*Case); !ok && scale+4 <= 17 {
			t.Fatalf("scale %d: no narrow path: %T", scale, narrow)
		}
		n, err := cmp.Number(ColumnType{Kind: NormFloat}, C("x"))
		if err != nil {
			t.Fatal(err)
		}
		q := &Select{From: Table{Name: N("v")}, Columns: []SelectItem{
			As(F("COUNT"), "n"),
			As(F("SUM", &Case{Whens: []When{{Cond: &Binary{Op: "<>", L: narrow, R: &Cast{X: n, Type: Text}}, Then: I(1)}}, Else: I(0)}), "bad"),
			As(F("MIN", &Case{Whens: []When{{Cond: &Binary{Op: "<>", L: narrow, R: &Cast{X: n, Type: Text}}, Then: C("x")}}}), "first"),
		}}
		sql, err := Render(DuckDB, &QueryStmt{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Query(ctx, sql, connector.QueryOptions{})
		if err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		if fmt.Sprint(res.Rows[0][1]) != "0" {
			t.Errorf("scale %d: %v of %v values differ between the narrow and the wide text, e.g. %v", scale, res.Rows[0][1], res.Rows[0][0], res.Rows[0][2])
		}
	}
}
