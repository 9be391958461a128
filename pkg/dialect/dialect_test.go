package dialect

import "testing"

func TestQuoteIdent(t *testing.T) {
	cases := []struct{ d, in, want string }{
		{DuckDB, "amount", `"amount"`},
		{Postgres, `we"ird`, `"we""ird"`},
		{Snowflake, "Mixed Case", `"Mixed Case"`},
		{MySQL, "a`b", "`a``b`"},
		{Databricks, "col", "`col`"},
		{BigQuery, "a`b", "`a\\`b`"},
		{SQLServer, "a]b", "[a]]b]"},
		{"", "x", `"x"`},
	}
	for _, c := range cases {
		if got := QuoteIdent(c.d, c.in); got != c.want {
			t.Errorf("QuoteIdent(%s, %q) = %s, want %s", c.d, c.in, got, c.want)
		}
	}
}

func TestQuoteQualified(t *testing.T) {
	cases := []struct{ d, in, want string }{
		{DuckDB, "gl", `"gl"`},
		{DuckDB, "main.gl", `"main"."gl"`},
		{Postgres, `db.s"x.t`, `db."s""x".t`},
		{Snowflake, "FIN.GL_Lines", `FIN."GL_Lines"`},
		{MySQL, "shop.orders", "`shop`.`orders`"},
		{SQLServer, "dbo.gl", "[dbo].[gl]"},
		{DuckDB, ".gl", `"gl"`},
	}
	for _, c := range cases {
		if got := QuoteQualified(c.d, c.in); got != c.want {
			t.Errorf("QuoteQualified(%s, %q) = %s, want %s", c.d, c.in, got, c.want)
		}
	}
}

func TestPlaceholder(t *testing.T) {
	cases := []struct {
		d    string
		n    int
		want string
	}{
		{DuckDB, 1, "?"}, {MySQL, 3, "?"}, {Snowflake, 2, "?"}, {BigQuery, 9, "?"},
		{Postgres, 1, "$1"}, {Postgres, 12, "$12"}, {SQLServer, 4, "@p4"},
	}
	for _, c := range cases {
		if got := Placeholder(c.d, c.n); got != c.want {
			t.Errorf("Placeholder(%s, %d) = %s, want %s", c.d, c.n, got, c.want)
		}
	}
}

func TestTypes(t *testing.T) {
	if TextType(MySQL) != "CHAR" || TextType(DuckDB) != "VARCHAR" || TextType(BigQuery) != "STRING" {
		t.Error("TextType")
	}
	if IntType(MySQL) != "SIGNED" || IntType(Postgres) != "INTEGER" || IntType(BigQuery) != "INT64" {
		t.Error("IntType")
	}
	if MaxParams(Postgres) != 65535 || MaxParams(SQLServer) != 2100 || MaxParams(DuckDB) != 0 {
		t.Error("MaxParams")
	}
}
