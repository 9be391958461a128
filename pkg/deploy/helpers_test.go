package deploy_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/mysql"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/testenv"
	"github.com/databridge/databridge/pkg/warehouse"
)

func suffix(t testing.TB) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// target is an engine under test: a connection and the schema the test
// owns ("" for DuckDB's main).
type target struct {
	name   string
	conn   connector.Connector
	schema string
}

func newProject(t testing.TB) (*project.Project, *deploy.Ledger) {
	t.Helper()
	root := t.TempDir()
	if _, err := project.Init(root, "deploytest"); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return p, deploy.NewLedger(p)
}

func duckTarget(t testing.TB, path string) *target {
	t.Helper()
	db, err := duckdb.OpenDB(path, false)
	if err != nil {
		t.Fatal(err)
	}
	c := duckdb.NewConn("duck", db)
	t.Cleanup(func() { c.Close() })
	tg := &target{name: "duck", conn: c}
	return tg
}

func pgTarget(t testing.TB) *target {
	t.Helper()
	testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	ctx := context.Background()
	schema := "dpl_" + suffix(t)
	c, err := connector.Open(ctx, "pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}", Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := c.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		c.Close()
	})
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	return &target{name: "pg", conn: c, schema: schema}
}

func myTarget(t testing.TB) *target {
	t.Helper()
	testenv.Need(t, testenv.MySQLURL, "MySQL/MariaDB")
	ctx := context.Background()
	db := "dpl_" + suffix(t)
	c, err := connector.Open(ctx, "my", connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}", Schema: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS `"+db+"`"); err != nil {
			t.Errorf("drop database %s: %v", db, err)
		}
		c.Close()
	})
	if _, err := c.Exec(ctx, "CREATE DATABASE `"+db+"`"); err != nil {
		t.Fatal(err)
	}
	return &target{name: "my", conn: c, schema: db}
}

// q quotes a name in the target's schema.
func (tg *target) q(name string) string {
	d := tg.conn.Dialect()
	if tg.schema == "" {
		return dialect.QuoteIdent(d, name)
	}
	return dialect.QuoteIdent(d, tg.schema) + "." + dialect.QuoteIdent(d, name)
}

func (tg *target) exec(t testing.TB, sqls ...string) {
	t.Helper()
	for _, s := range sqls {
		if _, err := tg.conn.Exec(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// seed creates the source table raw_gl, outside any design.
func (tg *target) seed(t testing.TB) {
	tg.exec(t,
		"CREATE TABLE "+tg.q("raw_gl")+" (account VARCHAR(20), amount DECIMAL(12,2))",
		"INSERT INTO "+tg.q("raw_gl")+" VALUES ('4000', 100.50), ('4000', -20.25), ('5000', 75.00), ('6000', -10.00), ('6000', 3.75)")
}

// createTable is what dialect.Render writes for CREATE OR REPLACE TABLE:
// native on DuckDB, DROP + CREATE elsewhere (one string, ";\n" joined).
func (tg *target) createTable(name, body string) string {
	if tg.conn.Dialect() == dialect.DuckDB {
		return "CREATE OR REPLACE TABLE " + tg.q(name) + " " + body
	}
	return "DROP TABLE IF EXISTS " + tg.q(name) + ";\nCREATE TABLE " + tg.q(name) + " " + body
}

func (tg *target) obj(name string, kind warehouse.Kind, deps []string, ddl string, load ...string) *warehouse.Object {
	return &warehouse.Object{Name: name, Schema: tg.schema, Kind: kind, Role: warehouse.RoleFact, Engine: tg.conn.Dialect(), DependsOn: deps, DDL: []string{ddl}, Load: load}
}

// design v1: two loaded tables, a view over both, a CTAS table over the
// view. v2: fct_gl changes (so the view is re-created), dt_summary is
// removed, vw_top is added.
func (tg *target) design(version int) *warehouse.Design {
	dim := tg.obj("dim_account", warehouse.KindTable, nil,
		tg.createTable("dim_account", "(account VARCHAR(20), name VARCHAR(50))"),
		"INSERT INTO "+tg.q("dim_account")+" SELECT DISTINCT account, CONCAT('Account ', account) FROM "+tg.q("raw_gl"))
	fctLoad := "INSERT INTO " + tg.q("fct_gl") + " SELECT account, amount FROM " + tg.q("raw_gl")
	if version >= 2 {
		fctLoad += " WHERE amount > 0"
	}
	fct := tg.obj("fct_gl", warehouse.KindTable, nil,
		tg.createTable("fct_gl", "(account VARCHAR(20), amount DECIMAL(12,2))"), fctLoad)
	vw := tg.obj("vw_balance", warehouse.KindView, []string{"fct_gl", "dim_account"},
		"CREATE OR REPLACE VIEW "+tg.q("vw_balance")+" AS SELECT f.account, d.name, SUM(f.amount) AS balance FROM "+
			tg.q("fct_gl")+" f JOIN "+tg.q("dim_account")+" d ON d.account = f.account GROUP BY f.account, d.name")
	objs := []*warehouse.Object{dim, fct, vw}
	if version == 1 {
		objs = append(objs, tg.obj("dt_summary", warehouse.KindTable, []string{"vw_balance"},
			tg.createTable("dt_summary", "AS SELECT COUNT(*) AS n, SUM(balance) AS total FROM "+tg.q("vw_balance"))))
	} else {
		objs = append(objs, tg.obj("vw_top", warehouse.KindView, []string{"vw_balance"},
			"CREATE OR REPLACE VIEW "+tg.q("vw_top")+" AS SELECT account, balance FROM "+tg.q("vw_balance")+" WHERE balance > 50"))
	}
	return &warehouse.Design{Dialect: tg.conn.Dialect(), Schema: tg.schema, Objects: objs}
}

// snapshot is the target's catalogue and data: name → kind, row count
// and a hash of the sorted rows.
func (tg *target) snapshot(t testing.TB) map[string]string {
	t.Helper()
	ctx := context.Background()
	ts, err := tg.conn.Tables(ctx, tg.schema)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tb := range ts {
		res, err := tg.conn.Query(ctx, "SELECT * FROM "+tg.q(tb.Name), connector.QueryOptions{MaxRows: -1})
		if err != nil {
			t.Fatalf("read %s: %v", tb.Name, err)
		}
		var rows []string
		for _, r := range res.Rows {
			rows = append(rows, fmt.Sprint(r...))
		}
		sort.Strings(rows)
		var cols []string
		for _, c := range res.Columns {
			cols = append(cols, strings.ToLower(c.Name))
		}
		h := sha256.Sum256([]byte(strings.Join(cols, ",") + "\n" + strings.Join(rows, "\n")))
		out[strings.ToLower(tb.Name)] = fmt.Sprintf("%s rows=%d %x", tb.Kind, len(rows), h[:8])
	}
	return out
}

func sameSnapshot(t testing.TB, what string, want, got map[string]string) {
	t.Helper()
	var diffs []string
	for k, v := range want {
		if got[k] != v {
			diffs = append(diffs, fmt.Sprintf("%s: want %q, got %q", k, v, got[k]))
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: unexpected %q", k, v))
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		t.Fatalf("%s: target differs:\n%s", what, strings.Join(diffs, "\n"))
	}
}

// faulty fails the failAt-th Exec (connection or transaction); 0 never.
type faulty struct {
	connector.Connector
	mu     sync.Mutex
	calls  int
	failAt int
}

var errInjected = errors.New("injected failure")

func (f *faulty) hit() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.calls == f.failAt {
		return fmt.Errorf("%w at statement %d", errInjected, f.calls)
	}
	return nil
}

func (f *faulty) Exec(ctx context.Context, sql string, args ...any) (connector.ExecResult, error) {
	if err := f.hit(); err != nil {
		return connector.ExecResult{}, err
	}
	return f.Connector.Exec(ctx, sql, args...)
}

func (f *faulty) Begin(ctx context.Context) (connector.Tx, error) {
	tx, err := f.Connector.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return &faultyTx{Tx: tx, f: f}, nil
}

type faultyTx struct {
	connector.Tx
	f *faulty
}

func (t *faultyTx) Exec(ctx context.Context, sql string, args ...any) (connector.ExecResult, error) {
	if err := t.f.hit(); err != nil {
		return connector.ExecResult{}, err
	}
	return t.Tx.Exec(ctx, sql, args...)
}

func deployDesign(t testing.TB, conn connector.Connector, l *deploy.Ledger, d *warehouse.Design, opts deploy.ApplyOptions) (*deploy.Record, error) {
	t.Helper()
	ctx := context.Background()
	p, err := deploy.NewPlan(ctx, conn, "wh", d, l)
	if err != nil {
		t.Fatal(err)
	}
	return deploy.Apply(ctx, conn, p, l, opts)
}

func mustDeploy(t testing.TB, conn connector.Connector, l *deploy.Ledger, d *warehouse.Design) *deploy.Record {
	t.Helper()
	r, err := deployDesign(t, conn, l, d, deploy.ApplyOptions{})
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	if r.Status != deploy.StatusCommitted {
		t.Fatalf("status %s", r.Status)
	}
	return r
}

var _ = filepath.Join
