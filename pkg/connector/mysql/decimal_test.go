package mysql

import (
	"context"
	"reflect"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
)

// TestIntegrationExactDecimals: a SUM over a DECIMAL(18,2) column of
// 0.10s and 0.20s, whose float sum is not 1500, comes back as the exact
// text "1500.00"; a DECIMAL(18,2) value keeps its scale; a double stays a
// float (a statistic, not an amount).
func TestIntegrationExactDecimals(t *testing.T) {
	c, db := fixture(t)
	ctx := context.Background()
	var f float64
	for i := 1; i <= 10000; i++ {
		if i%2 == 0 {
			f += 0.10
		} else {
			f += 0.20
		}
	}
	if f == 1500 {
		t.Fatal("want data whose float sum is inexact")
	}
	tbl := "`" + db + "`.money_t"
	digits := "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
	for _, q := range []string{
		`CREATE TABLE ` + tbl + ` (amount DECIMAL(18,2))`,
		`INSERT INTO ` + tbl + ` SELECT CASE WHEN (a.d * 1000 + b.d * 100 + c.d * 10 + e.d) % 2 = 0 THEN 0.10 ELSE 0.20 END FROM ` + digits + ` a, ` + digits + ` b, ` + digits + ` c, ` + digits + ` e`,
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	q := `SELECT SUM(amount), CAST(10 AS DECIMAL(18,2)), MIN(amount), CAST(SUM(amount) AS DOUBLE) / COUNT(*) FROM ` + tbl
	want := []any{"1500.00", "10.00", "0.10", 0.15}
	res, err := c.Query(ctx, q, connector.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Rows[0], want) {
		t.Errorf("row = %#v, want %#v", res.Rows[0], want)
	}
	// The same through a transaction.
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	res, err = tx.Query(ctx, q, connector.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Rows[0], want) {
		t.Errorf("in a transaction: row = %#v, want %#v", res.Rows[0], want)
	}
}
