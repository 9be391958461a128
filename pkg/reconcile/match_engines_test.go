package reconcile

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/mysql"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/testenv"
)

// The fixture of the matching, pairing, profile and drift tests, loaded
// into a schema ({s}) of each engine: vendor names of two systems with
// planted variants, a bank statement and a ledger to pair, and two loads
// of a table whose second drifted.
var matchFixtureSQL = []string{
	`CREATE TABLE {s}.erp_vendors (vendor_id INTEGER, name VARCHAR(100))`,
	`INSERT INTO {s}.erp_vendors VALUES (1, 'Acme Corp.'), (2, 'Northwind Traders, Inc.'), (3, 'Müller GmbH & Co. KG'),
		(4, 'Contoso Ltd'), (5, 'Fabrikam Manufacturing'), (6, 'Tailspin Toys'), (7, 'Zebra Unrelated Holdings'),
		(8, 'acme corporation'), (9, NULL), (10, 'Contoso Limited')`,
	`CREATE TABLE {s}.crm_suppliers (id INTEGER, supplier_name VARCHAR(100))`,
	`INSERT INTO {s}.crm_suppliers VALUES (1, 'ACME Corporation'), (2, 'Traders Northwind'), (3, 'Mueller GmbH'),
		(4, 'Contoso'), (5, 'Fabrikam Mfg'), (6, 'Tailspin Toy Co'), (7, 'Wide World Importers'), (8, 'Muller')`,
	`CREATE TABLE {s}.bank (id INTEGER, amount DECIMAL(18,2), booked DATE, memo VARCHAR(100))`,
	`INSERT INTO {s}.bank VALUES
		(1, 1200.00, DATE '2026-11-02', 'ACME CORP INV 1001'),
		(2, -350.25, DATE '2026-11-03', 'NORTHWIND'),
		(3, 999.99, DATE '2026-11-04', 'CONTOSO'),
		(4, 500.00, DATE '2026-11-10', 'FABRIKAM'),
		(5, 500.00, DATE '2026-11-11', 'TAILSPIN'),
		(6, 1500.00, DATE '2026-11-20', 'MULLER INV 7 8 9'),
		(7, 77.70, DATE '2026-11-25', 'UNKNOWN PAYER')`,
	`CREATE TABLE {s}.ledger (entry INTEGER, amount DECIMAL(18,2), posted DATE, reference VARCHAR(100))`,
	`INSERT INTO {s}.ledger VALUES
		(10, 1200.00, DATE '2026-11-01', 'Acme Corp invoice 1001'),
		(11, -350.25, DATE '2026-11-05', 'Northwind Traders'),
		(12, 1000.00, DATE '2026-11-04', 'Contoso Ltd'),
		(13, 500.00, DATE '2026-11-11', 'Tailspin Toys'),
		(14, 500.00, DATE '2026-11-09', 'Fabrikam'),
		(15, 400.00, DATE '2026-11-18', 'Muller invoice 7'),
		(16, 600.00, DATE '2026-11-19', 'Muller invoice 8'),
		(17, 500.00, DATE '2026-11-21', 'Muller invoice 9'),
		(18, 42.00, DATE '2026-11-30', 'Never paid')`,
	`CREATE TABLE {s}.load_v1 (id INTEGER, region VARCHAR(10), amount DECIMAL(18,2), note VARCHAR(20))`,
	`CREATE TABLE {s}.load_v2 (id INTEGER, region VARCHAR(10), amount DECIMAL(18,2), channel VARCHAR(10))`,
}

// matchLoads fills load_v1 (200 rows: regions evenly, amounts 1..200) and
// load_v2 (260 rows: one region dominant, amounts shifted, channel new,
// note gone).
func matchLoads() []string {
	var v1, v2 []string
	regions := []string{"north", "south", "east", "west"}
	for i := 1; i <= 200; i++ {
		v1 = append(v1, fmt.Sprintf("(%d, '%s', %d.00, 'n%d')", i, regions[i%4], i, i%3))
	}
	for i := 1; i <= 260; i++ {
		r := "north"
		if i%5 == 0 {
			r = regions[i%4]
		}
		amt := fmt.Sprintf("%d.50", 100+i)
		if i%10 == 0 {
			amt = "NULL"
		}
		v2 = append(v2, fmt.Sprintf("(%d, '%s', %s, 'web')", i, r, amt))
	}
	return []string{
		"INSERT INTO {s}.load_v1 VALUES " + strings.Join(v1, ", "),
		"INSERT INTO {s}.load_v2 VALUES " + strings.Join(v2, ", "),
	}
}

// matchEnv is a project whose connection Conn holds the fixture in schema
// Schema; Ref(table) names a table of it.
type matchEnv struct {
	Engine string
	Conn   string
	Schema string
	Svc    *Service
}

func (e matchEnv) Ref(table string) string { return e.Conn + "." + e.Schema + "." + table }

func load(t *testing.T, c connector.Connector, schema string) {
	t.Helper()
	for _, stmt := range append(append([]string{}, matchFixtureSQL...), matchLoads()...) {
		stmt = strings.ReplaceAll(stmt, "{s}", dialect.QuoteIdent(c.Dialect(), schema))
		if _, err := c.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v\n%s", c.Dialect(), err, stmt)
		}
	}
}

// matchEngines returns the fixture on DuckDB and, when their URLs are set,
// PostgreSQL and MariaDB, all as connections of one project.
func matchEngines(t *testing.T) []matchEnv {
	t.Helper()
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "rec"); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	conns := connections.New(p)
	svc := New(p, conns)
	schema := fmt.Sprintf("rec_%d", rand.Int64N(1<<40))
	var envs []matchEnv

	duckPath := filepath.Join(root, "data.duckdb")
	if _, err := conns.Add(ctx, connections.AddInput{Name: "duck", Config: connector.Config{Type: "duckdb", Path: duckPath}}); err != nil {
		t.Fatal(err)
	}
	dc, err := conns.Connect(ctx, "duck", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dc.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	load(t, dc, schema)
	dc.Close()
	envs = append(envs, matchEnv{Engine: "duckdb", Conn: "duck", Schema: schema, Svc: svc})

	for _, e := range []struct{ name, env, typ, create, drop string }{
		{"postgres", testenv.PostgresURL, "postgres", "CREATE SCHEMA %s", "DROP SCHEMA %s CASCADE"},
		{"mariadb", testenv.MySQLURL, "mysql", "CREATE DATABASE %s", "DROP DATABASE IF EXISTS %s"},
	} {
		if os.Getenv(e.env) == "" {
			if testenv.Required() {
				t.Errorf("%s: %s is not set and DATABRIDGE_REQUIRE_ENGINES=1", e.name, e.env)
			} else {
				t.Logf("%s skipped: %s not set", e.name, e.env)
			}
			continue
		}
		if _, err := conns.Add(ctx, connections.AddInput{Name: e.name, Config: connector.Config{Type: e.typ, DSN: "${" + e.env + "}"}}); err != nil {
			t.Fatal(err)
		}
		c, err := conns.Connect(ctx, e.name, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Exec(ctx, fmt.Sprintf(e.create, schema)); err != nil {
			t.Fatal(err)
		}
		drop := fmt.Sprintf(e.drop, schema)
		t.Cleanup(func() {
			if _, err := c.Exec(context.Background(), drop); err != nil {
				t.Errorf("%s: %v", drop, err)
			}
			c.Close()
		})
		load(t, c, schema)
		envs = append(envs, matchEnv{Engine: e.name, Conn: e.name, Schema: schema, Svc: svc})
	}
	return envs
}
