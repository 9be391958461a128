package semantictest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
)

// LoadFinanceERP copies the finance ERP example CSVs (in dir) into a
// PostgreSQL schema, with the column types DuckDB detects.
func LoadFinanceERP(t testing.TB, pg connector.Connector, schema, dir string) {
	t.Helper()
	ctx := context.Background()
	duck, err := connector.Open(ctx, "duck", connector.Config{Type: "duckdb"})
	if err != nil {
		t.Fatal(err)
	}
	defer duck.Close()
	dir, _ = filepath.Abs(dir)
	pgType := map[string]string{"VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "numeric(18,2)", "DATE": "date", "BOOLEAN": "boolean", "TIMESTAMP": "timestamp"}
	for _, name := range []string{"chart_of_accounts", "cost_centers", "currencies", "customers", "gl_journal_lines", "monthly_balances", "periods", "products", "vendors"} {
		src := fmt.Sprintf("read_csv_auto('%s')", filepath.Join(dir, name+".csv"))
		desc, err := duck.Query(ctx, "DESCRIBE SELECT * FROM "+src, connector.QueryOptions{MaxRows: -1})
		if err != nil {
			t.Fatal(err)
		}
		var cols, defs []string
		for _, r := range desc.Rows {
			typ := fmt.Sprint(r[1])
			pt, ok := pgType[typ]
			if !ok {
				pt = "text"
				if strings.HasPrefix(typ, "DECIMAL") {
					pt = "numeric(18,2)"
				}
			}
			cols = append(cols, fmt.Sprint(r[0]))
			defs = append(defs, fmt.Sprintf("%s %s", r[0], pt))
		}
		if _, err := pg.Exec(ctx, fmt.Sprintf("CREATE TABLE %s.%s (%s)", schema, name, strings.Join(defs, ", "))); err != nil {
			t.Fatal(err)
		}
		data, err := duck.Query(ctx, "SELECT * FROM "+src, connector.QueryOptions{MaxRows: -1})
		if err != nil {
			t.Fatal(err)
		}
		if err := Insert(ctx, pg, schema+"."+name, cols, data.Rows); err != nil {
			t.Fatal(err)
		}
	}
}
