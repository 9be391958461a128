package sqlserver

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
	e, ok := connector.Lookup("sqlserver")
	if !ok || e.Dialect != "sqlserver" || e.Open == nil {
		t.Fatalf("engine: %+v %v", e, ok)
	}
	if err := connector.CheckConfig(connector.Config{Type: "sqlserver"}); err == nil || !strings.Contains(err.Error(), "host") {
		t.Fatalf("check without host: %v", err)
	}
}

func TestBuildDSN(t *testing.T) {
	cases := []struct {
		name string
		cfg  connector.Config
		want string
	}{
		{"defaults", connector.Config{Host: "db.acme.local", User: "etl", Password: "p@ss:w/rd?#", Database: "Finance"},
			"sqlserver://etl:p%40ss%3Aw%2Frd%3F%23@db.acme.local:1433?database=Finance"},
		{"port and options", connector.Config{Host: "10.0.0.5", Port: 14330, User: "etl", Password: "x", Database: "GL & AP",
			Options: map[string]string{"encrypt": "true", "TrustServerCertificate": "false", "app name": "databridge"}},
			"sqlserver://etl:x@10.0.0.5:14330?TrustServerCertificate=false&app+name=databridge&database=GL+%26+AP&encrypt=true"},
		{"named instance", connector.Config{Host: `sql01\FINANCE`, User: "etl", Password: "x"},
			"sqlserver://etl:x@sql01/FINANCE"},
		{"ipv6", connector.Config{Host: "::1", User: "sa"}, "sqlserver://sa@[::1]:1433"},
		{"dsn as given", connector.Config{DSN: "server=db;user id=sa;password=x"}, "server=db;user id=sa;password=x"},
		{"dsn plus options", connector.Config{DSN: "sqlserver://sa:x@db?database=A", Options: map[string]string{"encrypt": "disable"}},
			"sqlserver://sa:x@db?database=A&encrypt=disable"},
	}
	for _, c := range cases {
		got, err := BuildDSN(c.cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
		// go-mssqldb must accept it (parsing only, no network).
		db, err := sql.Open("sqlserver", got)
		if err != nil {
			t.Errorf("%s: driver rejects dsn: %v", c.name, err)
			continue
		}
		db.Close()
	}
	u, _ := url.Parse(cases[0].want)
	if pw, _ := u.User.Password(); pw != "p@ss:w/rd?#" {
		t.Fatalf("password round trip: %q", pw)
	}
	if _, err := BuildDSN(connector.Config{}); err == nil {
		t.Fatal("no host: want error")
	}
}

func TestOpenRedactsAndDoesNotConnect(t *testing.T) {
	t.Setenv("DATABRIDGE_TEST_MSSQL_PW", "Sup3r-secret")
	c, err := connector.Open(context.Background(), "erp", connector.Config{
		Type: "sqlserver", Host: "127.0.0.1", Port: 1, User: "sa", Password: "${DATABRIDGE_TEST_MSSQL_PW}",
		Options: map[string]string{"dial timeout": "1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Dialect() != "sqlserver" || c.Name() != "erp" {
		t.Fatalf("%s %s", c.Name(), c.Dialect())
	}
	err = c.Ping(context.Background())
	if err == nil {
		t.Skip("something answers on 127.0.0.1:1")
	}
	if strings.Contains(err.Error(), "Sup3r-secret") {
		t.Fatalf("password in error: %v", err)
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"Orders":      "[Orders]",
		"Order Lines": "[Order Lines]",
		"a]b":         "[a]]b]",
		"x]; DROP":    "[x]]; DROP]",
	} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
	if got := QuoteQualified("dbo", "T]1"); got != "[dbo].[T]]1]" {
		t.Errorf("QuoteQualified = %s", got)
	}
}

func TestColumnType(t *testing.T) {
	cases := []struct{ name, ml, p, s, want string }{
		{"nvarchar", "100", "0", "0", "nvarchar(50)"},
		{"nvarchar", "-1", "0", "0", "nvarchar(max)"},
		{"varchar", "20", "0", "0", "varchar(20)"},
		{"varbinary", "-1", "0", "0", "varbinary(max)"},
		{"decimal", "9", "18", "2", "decimal(18,2)"},
		{"datetime2", "8", "27", "7", "datetime2(7)"},
		{"int", "4", "10", "0", "int"},
		{"UNIQUEIDENTIFIER", "16", "0", "0", "uniqueidentifier"},
	}
	for _, c := range cases {
		if got := columnType(c.name, c.ml, c.p, c.s); got != c.want {
			t.Errorf("columnType(%v) = %s, want %s", c, got, c.want)
		}
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
		"AND o.name = @p2 AND o.type IN": rows([]any{"gl", "JournalLine", "U ", "Journal lines"}),
		"FROM sys.columns AS c": rows(
			[]any{"Entity", "nvarchar", int64(20), int64(0), int64(0), false, int64(1), nil, nil},
			[]any{"JournalId", "int", int64(4), int64(10), int64(0), false, int64(2), nil, nil},
			[]any{"LineNo", "smallint", int64(2), int64(5), int64(0), false, int64(3), nil, nil},
			[]any{"Account", "varchar", int64(10), int64(0), int64(0), true, int64(4), nil, "GL account"},
			[]any{"Amount", "decimal", int64(9), int64(18), int64(2), false, int64(5), "((0))", nil}),
		"FROM sys.indexes AS i": rows(
			[]any{"PK_JournalLine", true, "Entity"},
			[]any{"PK_JournalLine", true, "JournalId"},
			[]any{"PK_JournalLine", true, "LineNo"},
			[]any{"UQ_Line_Account", false, "JournalId"},
			[]any{"UQ_Line_Account", false, "Account"}),
		"FROM sys.foreign_keys AS fk": rows(
			[]any{"FK_Line_Journal", "Entity", "gl", "Journal", "Entity"},
			[]any{"FK_Line_Journal", "JournalId", "gl", "Journal", "Id"},
			[]any{"FK_Line_Account", "Account", "md", "Account", "Code"}),
	}}
	d, err := Meta{DefaultSchema: "gl"}.Describe(context.Background(), q, "", "JournalLine")
	if err != nil {
		t.Fatal(err)
	}
	zero := "((0))"
	want := &catalog.TableDetail{
		Table: catalog.Table{Schema: "gl", Name: "JournalLine", Kind: "table", Comment: "Journal lines"},
		Columns: []catalog.Column{
			{Name: "Entity", Type: "nvarchar(10)", Position: 1},
			{Name: "JournalId", Type: "int", Position: 2},
			{Name: "LineNo", Type: "smallint", Position: 3},
			{Name: "Account", Type: "varchar(10)", Nullable: true, Position: 4, Comment: "GL account"},
			{Name: "Amount", Type: "decimal(18,2)", Position: 5, Default: &zero},
		},
		PrimaryKey: []string{"Entity", "JournalId", "LineNo"},
		UniqueKeys: []catalog.UniqueKey{{Name: "UQ_Line_Account", Columns: []string{"JournalId", "Account"}}},
		ForeignKeys: []catalog.ForeignKey{
			{Name: "FK_Line_Journal", Columns: []string{"Entity", "JournalId"}, RefSchema: "gl", RefTable: "Journal", RefColumns: []string{"Entity", "Id"}},
			{Name: "FK_Line_Account", Columns: []string{"Account"}, RefSchema: "md", RefTable: "Account", RefColumns: []string{"Code"}},
		},
	}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("describe:\n got %+v\nwant %+v", d, want)
	}
	if len(q.calls) != 4 {
		t.Fatalf("calls: %v", q.calls)
	}
	for _, c := range q.calls {
		if !strings.HasSuffix(c, "[gl JournalLine]") || strings.Contains(c, "'JournalLine'") {
			t.Errorf("values must be bound parameters: %s", c)
		}
		if !strings.Contains(c, "@p1") || !strings.Contains(c, "@p2") {
			t.Errorf("want @p1/@p2 placeholders: %s", c)
		}
	}
}

func TestDescribeNotFound(t *testing.T) {
	_, err := Meta{}.Describe(context.Background(), &fakeQuerier{}, "dbo", "Nope")
	if !errors.Is(err, connector.ErrTableNotFound) || !strings.Contains(err.Error(), "dbo.Nope") {
		t.Fatalf("got %v", err)
	}
}

func TestSchemasAndTables(t *testing.T) {
	q := &fakeQuerier{answers: map[string]*connector.Result{
		"FROM sys.schemas AS s\nWHERE": rows([]any{"dbo"}, []any{"gl"}),
		"ORDER BY o.name":              rows([]any{"dbo", "Accounts", "U ", nil}, []any{"dbo", "vBalances", "V ", "balances"}),
	}}
	s, err := Meta{}.Schemas(context.Background(), q)
	if err != nil || !reflect.DeepEqual(s, []catalog.Schema{{Name: "dbo"}, {Name: "gl"}}) {
		t.Fatalf("schemas %v %v", s, err)
	}
	if !strings.Contains(q.calls[0], "N'sys', N'INFORMATION_SCHEMA'") || !strings.Contains(q.calls[0], "16384 AND 16399") {
		t.Fatalf("schemas filter: %s", q.calls[0])
	}
	tabs, err := Meta{}.Tables(context.Background(), q, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Table{{Schema: "dbo", Name: "Accounts", Kind: "table"}, {Schema: "dbo", Name: "vBalances", Kind: "view", Comment: "balances"}}
	if !reflect.DeepEqual(tabs, want) {
		t.Fatalf("tables %+v", tabs)
	}
	if !strings.HasSuffix(q.calls[1], " []") || !strings.Contains(q.calls[1], "SCHEMA_NAME()") {
		t.Fatalf("default schema must fall back to SCHEMA_NAME(): %s", q.calls[1])
	}
}

// Options given with an ADO or ODBC dsn are an error, never dropped.
func TestBuildDSNOptionsWithADODSN(t *testing.T) {
	_, err := BuildDSN(connector.Config{Type: "sqlserver", DSN: "server=db;user id=fpa;password=${P}", Options: map[string]string{"encrypt": "true"}})
	if err == nil || !strings.Contains(err.Error(), "options cannot be added") {
		t.Fatalf("err = %v", err)
	}
	dsn, err := BuildDSN(connector.Config{Type: "sqlserver", DSN: "sqlserver://fpa@db?database=fin", Options: map[string]string{"encrypt": "true"}})
	if err != nil || !strings.Contains(dsn, "encrypt=true") || !strings.Contains(dsn, "database=fin") {
		t.Fatalf("url dsn = %q, %v", dsn, err)
	}
}
