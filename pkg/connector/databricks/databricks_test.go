package databricks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
)

func TestRegistered(t *testing.T) {
	e, ok := connector.Lookup("databricks")
	if !ok || e.Dialect != "databricks" || e.Open == nil {
		t.Fatalf("engine: %+v %v", e, ok)
	}
	err := connector.CheckConfig(connector.Config{Type: "databricks", Host: "adb-1.azuredatabricks.net"})
	if err == nil || !strings.Contains(err.Error(), "http_path, token") {
		t.Fatalf("check: %v", err)
	}
}

func TestBuildDSN(t *testing.T) {
	cfg := connector.Config{
		Host: "https://adb-123.4.azuredatabricks.net/", HTTPPath: "/sql/1.0/warehouses/abc123",
		Token: "dapi+/=secret", Catalog: "finance", Schema: "gold",
		Options: map[string]string{"timeout": "120", "ansi_mode": "true"},
	}
	dsn, err := BuildDSN(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := "token:dapi+%2F=secret@adb-123.4.azuredatabricks.net:443/sql/1.0/warehouses/abc123?ansi_mode=true&catalog=finance&schema=gold&timeout=120"
	if dsn != want {
		t.Fatalf("dsn:\n got %s\nwant %s", dsn, want)
	}
	// The driver parses the same way we do (it prefixes https://).
	u, err := url.Parse("https://" + dsn)
	if err != nil {
		t.Fatal(err)
	}
	if pw, _ := u.User.Password(); pw != "dapi+/=secret" || u.Port() != "443" || u.Path != "/sql/1.0/warehouses/abc123" || u.Query().Get("catalog") != "finance" {
		t.Fatalf("round trip: %+v", u)
	}
	// databricks-sql-go accepts it (parsing only, no network).
	db, err := sql.Open("databricks", dsn)
	if err != nil {
		t.Fatalf("driver rejects dsn: %v", err)
	}
	db.Close()
	if red := connector.NewRedactor("dapi+/=secret").String(connector.RedactDSN(dsn)); strings.Contains(red, "secret") {
		t.Fatalf("not redacted: %s", red)
	}

	cfg = connector.Config{Host: "dbc-1.cloud.databricks.com", HTTPPath: "sql/protocolv1/o/1/0101-abc", Token: "t", Port: 8443}
	if dsn, _ = BuildDSN(cfg); dsn != "token:t@dbc-1.cloud.databricks.com:8443/sql/protocolv1/o/1/0101-abc" {
		t.Fatalf("no catalog: %s", dsn)
	}
	if _, err := BuildDSN(connector.Config{Host: "h"}); err == nil {
		t.Fatal("want error for missing http_path/token")
	}
	if dsn, _ = BuildDSN(connector.Config{DSN: "token:x@h:443/p"}); dsn != "token:x@h:443/p" {
		t.Fatalf("dsn as given: %s", dsn)
	}
}

func TestOpenBadDSN(t *testing.T) {
	t.Setenv("DATABRIDGE_TEST_DBX_DSN", "token:x@host:notaport/p")
	_, err := connector.Open(context.Background(), "lakehouse", connector.Config{Type: "databricks", DSN: "${DATABRIDGE_TEST_DBX_DSN}"})
	if err == nil || !strings.Contains(err.Error(), `connection "lakehouse"`) {
		t.Fatalf("got %v", err)
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{"gold": "`gold`", "my-cat": "`my-cat`", "a`b": "`a``b`"} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
	if got := QuoteQualified("main", "", "t"); got != "`main`.`t`" {
		t.Errorf("QuoteQualified = %s", got)
	}
}

type fakeQuerier struct {
	answers map[string]*connector.Result
	calls   []string
}

func (f *fakeQuerier) Query(_ context.Context, sql string, _ connector.QueryOptions, args ...any) (*connector.Result, error) {
	f.calls = append(f.calls, fmt.Sprintf("%s %v", sql, args))
	for k, r := range f.answers {
		if strings.Contains(sql, k) {
			return r, nil
		}
	}
	return &connector.Result{}, nil
}

func (f *fakeQuerier) Exec(context.Context, string, ...any) (connector.ExecResult, error) {
	return connector.ExecResult{}, errors.New("no exec")
}

func rows(r ...[]any) *connector.Result { return &connector.Result{Rows: r, RowCount: len(r)} }

func TestDescribe(t *testing.T) {
	q := &fakeQuerier{answers: map[string]*connector.Result{
		"information_schema.tables":            rows([]any{"gold", "fact_gl", "MANAGED", "GL facts"}),
		"information_schema.columns":           rows([]any{"entity", "string", "NO", int64(0), nil, nil}, []any{"period", "int", "NO", int64(1), nil, nil}, []any{"account", "string", "YES", int64(2), nil, "acct"}, []any{"amount", "decimal(18,2)", "YES", int64(3), "0", nil}),
		"information_schema.table_constraints": rows([]any{"fact_gl_pk", "PRIMARY KEY", "entity"}, []any{"fact_gl_pk", "PRIMARY KEY", "period"}, []any{"fact_gl_pk", "PRIMARY KEY", "account"}),
		"information_schema.referential_constraints": rows(
			[]any{"fk_period", "entity", "gold", "dim_period", "entity"},
			[]any{"fk_period", "period", "gold", "dim_period", "period_id"},
			[]any{"fk_account", "account", "ref", "dim_account", "code"}),
	}}
	m := Meta{Catalog: "fin`cat", DefaultSchema: "gold"}
	d, err := m.Describe(context.Background(), q, "", "FACT_GL")
	if err != nil {
		t.Fatal(err)
	}
	zero := "0"
	want := &catalog.TableDetail{
		Table: catalog.Table{Schema: "gold", Name: "fact_gl", Kind: "table", Comment: "GL facts"},
		Columns: []catalog.Column{
			{Name: "entity", Type: "string", Position: 1},
			{Name: "period", Type: "int", Position: 2},
			{Name: "account", Type: "string", Nullable: true, Position: 3, Comment: "acct"},
			{Name: "amount", Type: "decimal(18,2)", Nullable: true, Position: 4, Default: &zero},
		},
		PrimaryKey: []string{"entity", "period", "account"},
		ForeignKeys: []catalog.ForeignKey{
			{Name: "fk_period", Columns: []string{"entity", "period"}, RefSchema: "gold", RefTable: "dim_period", RefColumns: []string{"entity", "period_id"}},
			{Name: "fk_account", Columns: []string{"account"}, RefSchema: "ref", RefTable: "dim_account", RefColumns: []string{"code"}},
		},
	}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("describe:\n got %+v\nwant %+v", d, want)
	}
	if len(q.calls) != 4 {
		t.Fatalf("calls %v", q.calls)
	}
	if !strings.HasSuffix(q.calls[0], "AND table_name = lower(?) [gold FACT_GL]") {
		t.Errorf("table lookup: %s", q.calls[0])
	}
	for _, c := range q.calls {
		if !strings.Contains(c, "FROM `fin``cat`.information_schema.") {
			t.Errorf("catalog not quoted: %s", c)
		}
		if strings.Contains(c, "'gold'") || strings.Contains(c, "'fact_gl'") {
			t.Errorf("values interpolated: %s", c)
		}
	}
	for _, c := range q.calls[1:] {
		if !strings.HasSuffix(c, "[gold fact_gl]") {
			t.Errorf("want resolved names bound: %s", c)
		}
	}
}

func TestTablesSchemasNotFound(t *testing.T) {
	q := &fakeQuerier{answers: map[string]*connector.Result{
		"information_schema.schemata": rows([]any{"bronze"}, []any{"gold"}),
		"ORDER BY table_name":         rows([]any{"gold", "dim_account", "MANAGED", nil}, []any{"gold", "v_tb", "VIEW", nil}, []any{"gold", "mv_tb", "MATERIALIZED_VIEW", nil}),
	}}
	m := Meta{}
	s, err := m.Schemas(context.Background(), q)
	if err != nil || len(s) != 2 || !strings.HasPrefix(q.calls[0], "SELECT schema_name FROM information_schema.schemata WHERE schema_name <> 'information_schema'") {
		t.Fatalf("schemas %v %v %v", s, err, q.calls)
	}
	tabs, err := m.Tables(context.Background(), q, "")
	if err != nil {
		t.Fatal(err)
	}
	if tabs[0].Kind != "table" || tabs[1].Kind != "view" || tabs[2].Kind != "view" {
		t.Fatalf("kinds %+v", tabs)
	}
	if !strings.Contains(q.calls[1], "current_schema()") {
		t.Fatalf("default schema: %s", q.calls[1])
	}
	_, err = m.Describe(context.Background(), &fakeQuerier{}, "gold", "nope")
	if !errors.Is(err, connector.ErrTableNotFound) || !strings.Contains(err.Error(), "gold.nope") {
		t.Fatalf("not found: %v", err)
	}
}
