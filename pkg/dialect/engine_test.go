package dialect

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/mysql"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	"github.com/databridge/databridge/pkg/testenv"
)

// The golden cases run in order on real engines: every statement the
// dialect supports is executed, and the rows of every query with a want
// are compared.

func TestExecuteDuckDB(t *testing.T) {
	runSequence(t, DuckDB, connector.Config{Type: "duckdb"})
}

func TestExecutePostgres(t *testing.T) {
	testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	runSequence(t, Postgres, connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
}

func TestExecuteMariaDB(t *testing.T) {
	testenv.Need(t, testenv.MySQLURL, "MariaDB/MySQL")
	runSequence(t, MySQL, connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}"})
}

func runSequence(t *testing.T, d string, cfg connector.Config) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := connector.Open(ctx, "dialect-test", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ran := 0
	skipped := map[string]bool{}
	for _, c := range goldenCases() {
		if !c.exec {
			continue
		}
		stmts, err := RenderAll(d, c.stmt)
		var ue *UnsupportedError
		if errors.As(err, &ue) {
			t.Logf("%s: skipped on %s: %v", c.name, d, err)
			skipped[c.name] = true
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if _, ok := c.stmt.(*QueryStmt); ok {
			res, err := conn.Query(ctx, stmts[0], connector.QueryOptions{MaxRows: 1000})
			if err != nil {
				t.Fatalf("%s on %s: %v\n%s", c.name, d, err, stmts[0])
			}
			ran++
			if c.want == nil || skipped[c.needs] {
				continue
			}
			got := make([][]string, len(res.Rows))
			for i, row := range res.Rows {
				got[i] = make([]string, len(row))
				for j, v := range row {
					got[i][j] = cell(v)
				}
			}
			want := c.want
			if c.sorted {
				sortRows(got)
				want = append([][]string(nil), want...)
				sortRows(want)
			}
			if !rowsMatch(got, want) {
				t.Errorf("%s on %s:\n got  %q\n want %q\n%s", c.name, d, got, want, stmts[0])
			}
			continue
		}
		for _, s := range stmts {
			if _, err := conn.Exec(ctx, s); err != nil {
				t.Fatalf("%s on %s: %v\n%s", c.name, d, err, s)
			}
			ran++
		}
	}
	t.Logf("%s: %d statements executed", d, ran)
}

// cell normalises a driver value: NULL, booleans as 1/0, numbers in
// their shortest form, bytes as text.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case *big.Int:
		return x.String()
	case time.Time:
		return x.Format("2006-01-02 15:04:05")
	}
	return fmt.Sprint(v)
}

func sortRows(rows [][]string) {
	sort.Slice(rows, func(i, j int) bool { return strings.Join(rows[i], "\x00") < strings.Join(rows[j], "\x00") })
}

func rowsMatch(got, want [][]string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			return false
		}
		for j := range got[i] {
			if want[i][j] != "*" && got[i][j] != want[i][j] {
				return false
			}
		}
	}
	return true
}
