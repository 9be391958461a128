package money

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/all"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/testenv"
	"github.com/databridge/databridge/pkg/validate"
)

func TestFormula(t *testing.T) {
	if Cents(1) != 7919-50000 || Account(1) != "4001" || FormatCents(-5) != "-0.05" || FormatCents(123456) != "1234.56" {
		t.Fatal("formula helpers")
	}
	want := Total(Rows)
	f := FloatTotal(Rows)
	if strconv.FormatFloat(f, 'f', -1, 64) == want {
		t.Fatalf("the float sum %v should differ from the exact %s, or the test proves nothing", f, want)
	}
	t.Logf("exact total %s, float64 sum %s", want, strconv.FormatFloat(f, 'f', -1, 64))
}

// engine is one engine of the project: its connection and how to make the
// tables there.
type engine struct {
	conn string
	// schema qualifies the tables ("" on DuckDB).
	schema string
	// fill creates table (account, amount DECIMAL(18,2)) with the Rows
	// amounts.
	fill func(table string) []string
	// drop removes what the test made.
	drop string
}

func (e engine) table(name string) string {
	if e.schema == "" {
		return name
	}
	return e.schema + "." + name
}

// digits is a ten-row derived table for engines without a series
// function (MySQL, MariaDB).
const digits = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"

func suffix(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// TestMillionCents sums a million cent amounts through every path on every
// engine here and gets the exact total each time.
func TestMillionCents(t *testing.T) {
	if testing.Short() {
		t.Skip("a million rows per engine")
	}
	want := Total(Rows)
	wantD := decimal.RequireFromString(want)
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "money"); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	svc := connections.New(p)
	hs := hierarchy.NewService(p)
	makeHierarchies(t, ctx, hs)

	amount := "(" + CentsSQL + " * 0.01)"
	engines := map[string]func(t *testing.T) engine{
		"duckdb": func(t *testing.T) engine {
			return engine{conn: "local", fill: func(table string) []string {
				return []string{
					"CREATE TABLE " + table + " (account VARCHAR(10), amount DECIMAL(18,2))",
					"INSERT INTO " + table + " SELECT CAST(" + AccountSQL + " AS VARCHAR), " + amount + " FROM range(1, " + strconv.Itoa(Rows+1) + ") AS r(i)",
				}
			}}
		},
		"postgres": func(t *testing.T) engine {
			testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
			addConn(t, ctx, svc, "pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
			s := "money_" + suffix(t)
			return engine{conn: "pg", schema: s, drop: "DROP SCHEMA " + s + " CASCADE", fill: func(table string) []string {
				return []string{
					"CREATE SCHEMA IF NOT EXISTS " + s,
					"CREATE TABLE " + table + " (account VARCHAR(10), amount DECIMAL(18,2))",
					"INSERT INTO " + table + " SELECT CAST(" + AccountSQL + " AS VARCHAR), " + amount + " FROM generate_series(CAST(1 AS BIGINT), " + strconv.Itoa(Rows) + ") AS g(i)",
				}
			}}
		},
		"mariadb": func(t *testing.T) engine {
			testenv.Need(t, testenv.MySQLURL, "MySQL/MariaDB")
			addConn(t, ctx, svc, "my", connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}"})
			db := "money_" + suffix(t)
			series := "(SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d + 1 AS i FROM " +
				digits + " a, " + digits + " b, " + digits + " c, " + digits + " e, " + digits + " f, " + digits + " g) s"
			return engine{conn: "my", schema: db, drop: "DROP DATABASE " + db, fill: func(table string) []string {
				return []string{
					"CREATE DATABASE IF NOT EXISTS " + db,
					"CREATE TABLE " + table + " (account VARCHAR(10), amount DECIMAL(18,2))",
					"INSERT INTO " + table + " SELECT CAST(" + AccountSQL + " AS CHAR), " + amount + " FROM " + series,
				}
			}}
		},
	}
	for _, name := range []string{"duckdb", "postgres", "mariadb"} {
		t.Run(name, func(t *testing.T) {
			e := engines[name](t)
			start := time.Now()
			write := func(q string) {
				t.Helper()
				if _, err := svc.Query(ctx, connections.QueryInput{Connection: e.conn, SQL: q, Write: true, TimeoutSeconds: 300}); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if e.drop != "" {
				t.Cleanup(func() {
					if _, err := svc.Query(context.Background(), connections.QueryInput{Connection: e.conn, SQL: e.drop, Write: true}); err != nil {
						t.Errorf("%s: %v", e.drop, err)
					}
				})
			}
			facts, control, off := e.table("money_facts"), e.table("money_control"), e.table("money_control_off")
			for _, q := range e.fill(facts) {
				write(q)
			}
			// One-row control tables: the exact total, and a cent more.
			write("CREATE TABLE " + control + " (amount DECIMAL(18,2))")
			write("INSERT INTO " + control + " VALUES (" + want + ")")
			write("CREATE TABLE " + off + " (amount DECIMAL(18,2))")
			write("INSERT INTO " + off + " VALUES (" + wantD.Add(decimal.New(1, -2)).StringFixed(2) + ")")
			loaded := time.Since(start)

			// 1. databridge sql: the connector's result, and its JSON.
			res, err := svc.Query(ctx, connections.QueryInput{Connection: e.conn, SQL: "SELECT SUM(amount) AS total, COUNT(*) AS n FROM " + facts})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Rows[0][0]; got != want {
				t.Errorf("sql: SUM(amount) = %#v, want %q", got, want)
			}
			if b, _ := json.Marshal(res.Rows); string(b) != `[["`+want+`",`+strconv.Itoa(Rows)+`]]` {
				t.Errorf("sql JSON rows = %s", b)
			}

			// 2. hierarchy rollup: one leaf takes every code.
			roll, err := hs.Rollup(ctx, hierarchy.RollupRequest{ID: "all_accounts", Source: e.conn + "." + facts, Value: "amount"})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range roll.Lines {
				if len(l.Values) != 1 || l.Values[0] == nil || !l.Values[0].Decimal().Equal(wantD) {
					t.Errorf("rollup: %s = %v, want %s", l.Code, l.Values, want)
				}
			}
			if st := roll.SourceTotal; len(st) != 1 || st[0].Rows != Rows || !st[0].Amount.Decimal().Equal(wantD) || !roll.Unmapped[0].Amount.Decimal().IsZero() {
				t.Errorf("rollup totals: source %+v unmapped %+v", roll.SourceTotal, roll.Unmapped)
			}
			if b, _ := json.Marshal(roll.Lines[0].Values[0]); !strings.HasPrefix(string(b), `"`) {
				t.Errorf("rollup JSON value %s is not a decimal string", b)
			}

			// 3. hierarchy validate: no leaf takes any code, so the
			// unmapped amounts are the whole total.
			rep, err := hs.Validate(ctx, hierarchy.ValidateInput{ID: "no_accounts", Against: e.conn + "." + facts + ".account", Amount: "amount"})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range rep.Findings {
				if f.Code == "unmapped_with_activity" {
					found = true
					if !strings.Contains(f.Message, "amount "+want+")") {
						t.Errorf("validate: %s; want amount %s", f.Message, want)
					}
				}
			}
			sum := decimal.Zero
			for _, u := range rep.Unmapped {
				sum = sum.Add(decimal.RequireFromString(*u.Amount))
			}
			if !found || rep.UnmappedCount != 100 || !sum.Equal(wantD) {
				t.Errorf("validate: %d unmapped codes summing to %s, want 100 summing to %s: %+v", rep.UnmappedCount, sum, want, rep.Findings)
			}

			// 4. The ties_out reconciliation of the post-deploy suite, with a
			// tolerance that demands exact amounts.
			c, err := svc.Connect(ctx, e.conn, true)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			tie := func(source string) validate.Check {
				return validate.Check{Kind: validate.KindTiesOut, Table: facts, Amount: validate.Amount("amount"),
					SourceTable: source, SourceAmount: validate.Amount("amount"), Tolerance: 1e-9}
			}
			vr, err := validate.Run(ctx, c, c.Dialect(), []validate.Check{tie(control), tie(off)}, validate.Basic, validate.Options{Timeout: 5 * time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			if r := vr.Results[0]; r.Status != validate.StatusPass || !decimal.RequireFromString(r.Actual).Equal(wantD) || !decimal.RequireFromString(r.Expected).Equal(wantD) {
				t.Errorf("ties_out against the exact total: %s %s (actual %s, expected %s)", r.Status, r.Message, r.Actual, r.Expected)
			}
			if r := vr.Results[1]; r.Status != validate.StatusFail || !decimal.RequireFromString(r.Actual).Equal(wantD) {
				t.Errorf("ties_out against the total plus a cent: %s %s", r.Status, r.Message)
			}
			t.Logf("%s: %d rows loaded in %s, total %s through sql, rollup, validate and ties_out in %s",
				name, Rows, loaded.Round(time.Millisecond), want, (time.Since(start) - loaded).Round(time.Millisecond))
		})
	}
}

func addConn(t *testing.T, ctx context.Context, svc *connections.Service, name string, cfg connector.Config) {
	t.Helper()
	if _, err := svc.Add(ctx, connections.AddInput{Name: name, Config: cfg}); err != nil {
		t.Fatal(err)
	}
}

// makeHierarchies makes all_accounts (one leaf under a rollup takes codes
// 4000..4099) and no_accounts (one leaf takes none of them).
func makeHierarchies(t *testing.T, ctx context.Context, hs *hierarchy.Service) {
	t.Helper()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(hs.Create(ctx, hierarchy.CreateInput{ID: "all_accounts", Name: "All accounts", SourceColumns: []string{"account"}}))
	must(hs.AddNode(ctx, "all_accounts", hierarchy.NodeInput{Code: "TOTAL", Name: "Total", Type: hierarchy.TypeRollup}))
	must(hs.AddNode(ctx, "all_accounts", hierarchy.NodeInput{Code: "ALL", Name: "Every account", Parent: "TOTAL"}))
	must(hs.AddRule(ctx, "all_accounts", "ALL", hierarchy.Rule{Match: hierarchy.MatchRange, From: "4000", To: "4099"}))
	must(hs.Create(ctx, hierarchy.CreateInput{ID: "no_accounts", Name: "No accounts", SourceColumns: []string{"account"}}))
	must(hs.AddNode(ctx, "no_accounts", hierarchy.NodeInput{Code: "NONE", Name: "Nothing"}))
	must(hs.AddRule(ctx, "no_accounts", "NONE", hierarchy.Rule{Match: hierarchy.MatchExact, Value: "X"}))
}
