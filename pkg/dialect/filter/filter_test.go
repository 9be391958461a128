package filter_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb" // the duckdb engine
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/dialect/filter"
)

var cols = []string{"account", "amount", "posted", "Cost Center", "active"}

func TestRender(t *testing.T) {
	for _, c := range []struct{ in, duckdb, postgres string }{
		{`amount > 100`, `"amount" > 100`, `amount > 100`},
		{`AMOUNT >= -12.50 and account <> 'x''y'`, `"amount" >= -12.50 AND "account" <> 'x''y'`, `amount >= -12.50 AND account <> 'x''y'`},
		{`account in ('4000', '4100') or not (amount between 1 and 2)`, `"account" IN ('4000', '4100') OR NOT ("amount" BETWEEN 1 AND 2)`, ``},
		{`posted >= DATE '2025-07-01' AND posted < date '2026-07-01'`, `"posted" >= CAST('2025-07-01' AS DATE) AND "posted" < CAST('2026-07-01' AS DATE)`, ``},
		{`"Cost Center" is not null and active = true`, `"Cost Center" IS NOT NULL AND "active" = TRUE`, ``},
		{`account not like '4%'`, `NOT ("account" LIKE '4%')`, ``},
		{`account != '1' `, `"account" <> '1'`, ``},
		{`amount = 123456789012345678901234567890`, `"amount" = 123456789012345678901234567890`, ``},
	} {
		e, err := filter.Parse(c.in, cols)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		for dialect, want := range map[string]string{"duckdb": c.duckdb, "postgres": c.postgres} {
			if want == "" {
				continue
			}
			got, err := d.RenderExpr(dialect, e)
			if err != nil {
				t.Errorf("%s on %s: %v", c.in, dialect, err)
			} else if got != want {
				t.Errorf("%s on %s:\n got %s\nwant %s", c.in, dialect, got, want)
			}
		}
		// Every engine renders it (or says it cannot).
		for _, dialect := range []string{"snowflake", "mysql", "sqlserver", "bigquery", "databricks"} {
			if _, err := d.RenderExpr(dialect, e); err != nil {
				var ue *d.UnsupportedError
				if !errors.As(err, &ue) {
					t.Errorf("%s on %s: %v", c.in, dialect, err)
				}
			}
		}
	}
}

// TestHostile: every filter in testdata/hostile.txt is refused, with the
// position of the problem.
func TestHostile(t *testing.T) {
	f, err := os.Open("testdata/hostile.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		e, err := filter.Parse(line, []string{"account", "amount", "posted"})
		if err == nil {
			got, _ := d.RenderExpr("duckdb", e)
			t.Errorf("accepted %q as %s", line, got)
			continue
		}
		var fe *filter.Error
		if !errors.As(err, &fe) || fe.Pos < 1 {
			t.Errorf("%q: %v is not a positioned filter error", line, err)
		}
	}
	if n < 30 {
		t.Fatalf("only %d hostile filters read", n)
	}
	if _, err := filter.Parse(strings.Repeat("(", 100)+"amount > 0"+strings.Repeat(")", 100), cols); err == nil {
		t.Error("nesting beyond MaxDepth accepted")
	}
	if _, err := filter.Parse("amount > "+strings.Repeat("1", filter.MaxLength), cols); err == nil {
		t.Error("a filter beyond MaxLength accepted")
	}
}

func TestUnknownColumnSaysWhich(t *testing.T) {
	_, err := filter.Parse("amout > 1", cols)
	if err == nil || !strings.Contains(err.Error(), "unknown column amout") || !strings.Contains(err.Error(), "amount") {
		t.Fatalf("err = %v", err)
	}
}

// TestExecute: filters select the same rows as the hand-written SQL, on
// DuckDB.
func TestExecute(t *testing.T) {
	ctx := context.Background()
	c, err := connector.Open(ctx, "f", connector.Config{Type: "duckdb"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Exec(ctx, `CREATE TABLE gl AS SELECT CAST(4000 + i % 7 * 100 AS VARCHAR) AS account, CAST((i * 37) % 1000 AS DECIMAL(12,2)) / 4 AS amount,
		DATE '2025-01-01' + CAST(i % 400 AS INTEGER) AS posted, CASE WHEN i % 11 = 0 THEN NULL ELSE 'CC' || (i % 3) END AS "Cost Center", i % 2 = 0 AS active FROM range(5000) t(i)`); err != nil {
		t.Fatal(err)
	}
	count := func(where string) int64 {
		t.Helper()
		res, err := c.Query(ctx, "SELECT COUNT(*) FROM gl WHERE "+where, connector.QueryOptions{})
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		return res.Rows[0][0].(int64)
	}
	for _, f := range []struct{ filter, sql string }{
		{`amount > 100.25`, `amount > 100.25`},
		{`account in ('4000','4300') and not amount between 10 and 20`, `account IN ('4000','4300') AND NOT (amount BETWEEN 10 AND 20)`},
		{`"cost center" is null or posted >= date '2025-12-01'`, `"Cost Center" IS NULL OR posted >= DATE '2025-12-01'`},
		{`account like '41%' and active = false`, `account LIKE '41%' AND NOT active`},
		{`amount = 0.25`, `amount = 0.25`},
	} {
		e, err := filter.Parse(f.filter, cols)
		if err != nil {
			t.Fatalf("%s: %v", f.filter, err)
		}
		where, err := d.RenderExpr("duckdb", e)
		if err != nil {
			t.Fatal(err)
		}
		got, want := count(where), count(f.sql)
		if got != want || want == 0 {
			t.Errorf("%s: %d rows, hand-written SQL %d", f.filter, got, want)
		}
	}
}

// FuzzParse: Parse never panics, and what it accepts renders on DuckDB
// and reads back the same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`amount > 1`, `account in ('a','b')`, `not (posted between date '2025-01-01' and date '2025-02-01')`, `"Cost Center" is null`, `x; drop`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := filter.Parse(s, cols)
		if err != nil {
			return
		}
		sql, err := d.RenderExpr("duckdb", e)
		if err != nil {
			t.Fatalf("%q parsed but does not render: %v", s, err)
		}
		if strings.Contains(sql, ";") && !strings.Contains(sql, "'") {
			t.Fatalf("%q rendered a statement separator: %s", s, sql)
		}
	})
}

// TestQualifiedNames: model.dimension is one name, allowed when the
// caller allows it; a dot elsewhere is still an error.
func TestQualifiedNames(t *testing.T) {
	allowed := []string{"customer.segment", "segment"}
	e, err := filter.Parse(`Customer.Segment = 'smb' and segment is not null`, allowed)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := d.RenderExpr("postgres", e)
	if want := `"customer.segment" = 'smb' AND segment IS NOT NULL`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	for _, bad := range []string{`customer.region = 'x'`, `customer. segment = 'x'`, `customer.'x' = 1`, `segment. = 1`, `.segment = 1`} {
		if _, err := filter.Parse(bad, allowed); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
