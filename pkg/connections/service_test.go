package connections_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/files"
	"github.com/databridge/databridge/pkg/project"
)

func newService(t *testing.T) *connections.Service {
	t.Helper()
	root := t.TempDir()
	if _, err := project.Init(root, "svc"); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(root, "data"), 0o755)
	os.WriteFile(filepath.Join(root, "data", "gl.csv"), []byte("account,period,amount\n4000,2025-01,-100.50\n6000,2025-01,40.25\n6000,2025-02,10.00\n"), 0o644)
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return connections.New(p)
}

func TestAddQueryDescribeRemove(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	// relative paths resolve against the project root, not the cwd
	if _, err := s.Add(ctx, connections.AddInput{Name: "src", Config: connector.Config{Type: "FILES", Path: "data"}, Test: true}); err != nil {
		t.Fatal(err)
	}
	info, err := s.Show("src")
	if err != nil || info.Type != "files" || info.Dialect != "duckdb" || info.Target != "data" {
		t.Fatalf("show = %+v, %v", info, err)
	}
	res, err := s.Query(ctx, connections.QueryInput{Connection: "src", SQL: "SELECT period, SUM(amount)::DECIMAL(18,2) AS total FROM gl GROUP BY 1 ORDER BY 1"})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowCount != 2 || res.Rows[0][0] != "2025-01" || res.Rows[0][1] != "-60.25" || res.Rows[1][1] != "10.00" || res.Statement != "read" {
		t.Fatalf("rows = %v", res.Rows)
	}
	tables, err := s.Tables(ctx, "src", "")
	if err != nil || len(tables.Tables) != 1 || tables.Tables[0].Name != "gl" {
		t.Fatalf("tables = %+v, %v", tables, err)
	}
	d, err := s.Describe(ctx, "src", "main.gl")
	if err != nil || len(d.Columns) != 3 || d.Columns[2].Name != "amount" {
		t.Fatalf("describe = %+v, %v", d, err)
	}

	// the default target: write only with Write, then read it back
	if _, err := s.Query(ctx, connections.QueryInput{SQL: "CREATE TABLE x AS SELECT 1 AS a"}); err == nil {
		t.Fatal("write without Write accepted")
	}
	w, err := s.Query(ctx, connections.QueryInput{SQL: "CREATE TABLE x AS SELECT 1 AS a UNION ALL SELECT 2", Write: true})
	if err != nil || w.Statement != "write" {
		t.Fatalf("write = %+v, %v", w, err)
	}
	r, err := s.Query(ctx, connections.QueryInput{SQL: "SELECT SUM(a) FROM x"})
	if err != nil || r.Rows[0][0] == nil {
		t.Fatalf("read back = %+v, %v", r, err)
	}

	// errors name the connection
	_, err = s.Query(ctx, connections.QueryInput{Connection: "src", SQL: "SELECT nope FROM gl"})
	if err == nil || !strings.Contains(err.Error(), `connection "src"`) {
		t.Fatalf("bad column error = %v", err)
	}
	_, err = s.Query(ctx, connections.QueryInput{Connection: "zzz", SQL: "SELECT 1"})
	if !errors.Is(err, connections.ErrUnknownConnection) {
		t.Fatalf("unknown connection error = %v", err)
	}

	if err := s.Remove(ctx, "local"); err == nil {
		t.Fatal("removed the default target")
	}
	if err := s.Remove(ctx, "src"); err != nil {
		t.Fatal(err)
	}
	reopened, _ := project.Open(s.Project.Root)
	if _, ok := reopened.Config.Connections["src"]; ok {
		t.Fatal("remove did not persist")
	}
}

func TestAddRefusesBadInputAndKeepsConfig(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	before, _ := os.ReadFile(s.Project.ConfigPath())
	bad := []connections.AddInput{
		{Name: "1bad", Config: connector.Config{Type: "duckdb"}},
		{Name: "pg", Config: connector.Config{Type: "postgres", Password: "plain"}},
		{Name: "x", Config: connector.Config{Type: "nosuch"}},
		{Name: "local", Config: connector.Config{Type: "duckdb"}},
		{Name: "t", Config: connector.Config{Type: "files", Path: "no/such/folder"}, Test: true},
	}
	for _, in := range bad {
		if _, err := s.Add(ctx, in); err == nil {
			t.Errorf("Add(%+v) succeeded", in)
		}
	}
	after, _ := os.ReadFile(s.Project.ConfigPath())
	if string(before) != string(after) {
		t.Fatal("a refused add changed config.yaml")
	}
}

func TestTestReportsFailureWithoutError(t *testing.T) {
	s := newService(t)
	if _, err := s.Add(context.Background(), connections.AddInput{Name: "gone", Config: connector.Config{Type: "files", Path: "vanished"}}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Test(context.Background(), "gone")
	if err != nil {
		t.Fatal(err)
	}
	if r.OK || !strings.Contains(r.Error, `connection "gone"`) {
		t.Fatalf("result = %+v", r)
	}
}

func TestSplitTableName(t *testing.T) {
	cases := map[string][2]string{
		"gl":                {"", "gl"},
		"main.gl":           {"main", "gl"},
		`"my.schema"."a.b"`: {"my.schema", "a.b"},
		"db.schema.table":   {"db.schema", "table"},
	}
	for in, want := range cases {
		s, n := connections.SplitTableName(in)
		if s != want[0] || n != want[1] {
			t.Errorf("SplitTableName(%q) = %q, %q", in, s, n)
		}
	}
}
