package dialect_test

import (
	"strings"
	"testing"

	d "github.com/databridge/databridge/pkg/dialect"
)

// TestFileReaderTypes: a file reader's types option renders as a named
// argument and a struct_pack (no braces, which dbt's Jinja would read) on
// engines that read files, and is refused elsewhere.
func TestFileReaderTypes(t *testing.T) {
	arg := d.NamedArg{Name: "types", Value: d.StructLit{Fields: []d.StructField{{Name: "amount", Value: d.S("DECIMAL(18,2)")}, {Name: "net amt", Value: d.S("DECIMAL(12,4)")}}}}
	got, err := d.RenderExpr("duckdb", d.F("read_csv_auto", d.S("/x/gl.csv"), arg))
	if err != nil {
		t.Fatal(err)
	}
	want := `READ_CSV_AUTO('/x/gl.csv', types = struct_pack("amount" := 'DECIMAL(18,2)', "net amt" := 'DECIMAL(12,4)'))`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if strings.ContainsAny(got, "{}") {
		t.Errorf("braces in %s", got)
	}
	for _, e := range []string{"postgres", "snowflake", "mysql", "sqlserver", "bigquery", "databricks"} {
		if _, err := d.RenderExpr(e, arg); err == nil {
			t.Errorf("%s: a file reader's named argument rendered", e)
		}
	}
	if _, err := d.RenderExpr("duckdb", d.NamedArg{Name: "types; DROP", Value: d.S("x")}); err == nil {
		t.Error("an option name that is not a bare word rendered")
	}
}
