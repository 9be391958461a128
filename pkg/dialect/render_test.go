package dialect

import (
	"errors"
	"strings"
	"testing"
)

func TestTableFunc(t *testing.T) {
	q := &Select{Columns: []SelectItem{{Expr: Star{}}}, From: TableFunc{Func: F("read_csv_auto", S("/data/gl's.csv")), Alias: "s"}}
	got, err := RenderQuery(DuckDB, q)
	if err != nil || got != "SELECT\n  *\nFROM READ_CSV_AUTO('/data/gl''s.csv') AS \"s\"" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestRenderExpr(t *testing.T) {
	cases := []struct {
		d    string
		e    Expr
		want string
	}{
		{DuckDB, &Unary{Op: "-", X: I(-1)}, "-(-1)"},
		{DuckDB, &Binary{Op: "-", L: I(1), R: I(-1)}, "1 - -1"},
		{DuckDB, &Binary{Op: "-", L: C("a"), R: &Binary{Op: "-", L: C("b"), R: C("c")}}, `"a" - ("b" - "c")`},
		{DuckDB, &Binary{Op: "+", L: C("a"), R: &Binary{Op: "+", L: C("b"), R: C("c")}}, `"a" + "b" + "c"`},
		{DuckDB, &Binary{Op: "*", L: &Binary{Op: "+", L: C("a"), R: C("b")}, R: C("c")}, `("a" + "b") * "c"`},
		{DuckDB, And(Or(C("a"), C("b")), C("c")), `("a" OR "b") AND "c"`},
		{DuckDB, Eq(Eq(C("a"), C("b")), Lit{Value: false}), `("a" = "b") = FALSE`},
		{DuckDB, Lit{Value: 1e6}, "1E6"},
		{DuckDB, Lit{Value: 2.5e-7}, "2.5E-7"},
		{DuckDB, Lit{Value: 3.0}, "3.0"},
		{DuckDB, &In{X: C("a")}, "FALSE"},
		{Postgres, S(`a\b'c`), `'a\b''c'`},
		{MySQL, S(`a\b'c`), `'a\\b''c'`},
		{Snowflake, S(`a\b'c`), `'a\\b''c'`},
		{BigQuery, S("a\\b'c\nd"), `'a\\b\'c\nd'`},
		{Databricks, S(`a\b'c`), `'a\\b\'c'`},
		{SQLServer, S("Coût's"), `N'Coût''s'`},
		{BigQuery, DecimalLit("-12.5"), "NUMERIC '-12.5'"},
		{BigQuery, DecimalLit("0.0000000001"), "BIGNUMERIC '0.0000000001'"},
		{MySQL, &Binary{Op: "||", L: C("a"), R: S("b")}, "CONCAT(`a`, 'b')"},
		{SQLServer, &Binary{Op: "||", L: C("a"), R: S("b")}, "[a] + N'b'"},
		{SQLServer, Lit{Value: true}, "CAST(1 AS BIT)"},
		{SQLServer, &Case{Whens: []When{{Cond: C("flag"), Then: I(1)}}}, "CASE WHEN [flag] = 1 THEN 1 END"},
		{SQLServer, &Case{Whens: []When{{Cond: And(C("f"), Lit{Value: true}), Then: I(1)}}}, "CASE WHEN ([f] = 1) AND 1 = 1 THEN 1 END"},
		{SQLServer, &IsNull{X: C("a")}, "CASE WHEN [a] IS NULL THEN CAST(1 AS BIT) WHEN NOT ([a] IS NULL) THEN CAST(0 AS BIT) END"},
		{SQLServer, &Unary{Op: "NOT", X: C("f")}, "CASE WHEN NOT ([f] = 1) THEN CAST(1 AS BIT) WHEN NOT (NOT ([f] = 1)) THEN CAST(0 AS BIT) END"},
		{SQLServer, F("LENGTH", C("a")), "DATALENGTH(CAST([a] AS NVARCHAR(MAX))) / 2"},
		{SQLServer, F("ROUND", C("a")), "ROUND([a], 0)"},
		{MySQL, F("LENGTH", C("a")), "CHAR_LENGTH(`a`)"},
		{BigQuery, F("LEFT", C("a"), I(3)), "SUBSTR(`a`, 1, 3)"},
		{BigQuery, &Like{X: C("a"), Pattern: S(`x!%\`), Escape: "!"}, "`a` LIKE 'x\\\\%\\\\\\\\'"},
		{MySQL, &Cast{X: C("a"), Type: BigInt}, "CAST(`a` AS SIGNED)"},
		{Postgres, &Between{X: C("a"), Lo: S("A"), Hi: S("Z"), Binary: true}, `a COLLATE "C" BETWEEN 'A' AND 'Z'`},
		{Postgres, C("t", "Period"), `t."Period"`},
		{Postgres, C("NODE_CODE"), `NODE_CODE`},
		{Postgres, C("user"), `"user"`},
		{Postgres, C("gl lines"), `"gl lines"`},
		{Snowflake, C("account_code"), `account_code`},
		{DuckDB, &Binary{Op: "IS NOT DISTINCT FROM", L: C("a"), R: C("b")}, `"a" IS NOT DISTINCT FROM "b"`},
		{MySQL, &Binary{Op: "IS NOT DISTINCT FROM", L: C("a"), R: C("b")}, "`a` <=> `b`"},
		{Databricks, &Binary{Op: "IS NOT DISTINCT FROM", L: C("a"), R: C("b")}, "`a` <=> `b`"},
		{Snowflake, C("Account"), `"Account"`},
		{Snowflake, C("order"), `"order"`},
		{Snowflake, C("1st"), `"1st"`},
		{DuckDB, &Between{X: C("a"), Lo: S("A"), Hi: S("Z"), Binary: true}, `"a" BETWEEN 'A' AND 'Z'`},
		{Postgres, &Over{Func: F("SUM", C("x")), OrderBy: []Order{{Expr: C("d"), Desc: true}}}, `SUM(x) OVER (ORDER BY d DESC)`},
	}
	for _, c := range cases {
		got, err := RenderExpr(c.d, c.e)
		if err != nil {
			t.Errorf("%s %#v: %v", c.d, c.e, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: got  %s\nwant %s", c.d, got, c.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	cases := []struct {
		d           string
		s           Stmt
		e           Expr
		unsupported bool
		msg         string
	}{
		{d: "oracle", e: C("a"), msg: `unknown SQL dialect "oracle"`},
		{d: DuckDB, e: DecimalLit("1; DROP TABLE x"), msg: "not a decimal literal"},
		{d: DuckDB, e: F("x); DROP TABLE y; --"), msg: "not a function name"},
		{d: DuckDB, e: S("a\x00b"), msg: "NUL"},
		{d: DuckDB, e: Col{Name: ""}, msg: "empty column name"},
		{d: DuckDB, e: &Like{X: C("a"), Pattern: S("x"), Escape: "!!"}, msg: "one character"},
		{d: DuckDB, e: &Binary{Op: ";", L: I(1), R: I(2)}, msg: "unknown binary operator"},
		{d: DuckDB, e: Lit{Value: []int{1}}, msg: "unsupported literal type"},
		{d: BigQuery, e: &Like{X: C("a"), Pattern: C("p"), Escape: "!"}, unsupported: true, msg: "non-literal pattern"},
		{d: SQLServer, s: &QueryStmt{Query: &Select{Columns: []SelectItem{{Expr: Star{}}}, From: Subquery{Alias: "s", Query: &Select{With: []CTE{{Name: "c", Query: &Select{Columns: []SelectItem{{Expr: I(1)}}}}}, Columns: []SelectItem{{Expr: Star{}}}, From: Table{Name: N("c")}}}}}, unsupported: true, msg: "WITH inside a subquery"},
		{d: BigQuery, s: &QueryStmt{Query: &Select{With: []CTE{{Name: "c", Columns: []string{"a"}, Query: &Select{Columns: []SelectItem{{Expr: Star{}}}, From: Table{Name: N("t")}}}}, Columns: []SelectItem{{Expr: Star{}}}, From: Table{Name: N("c")}}}, unsupported: true, msg: "CTE column list"},
		{d: MySQL, s: &CreateTable{Name: N("t"), Columns: []ColumnDef{{Name: "k", Type: Text}}, PrimaryKey: []string{"k"}}, unsupported: true, msg: "unbounded text as a key column"},
		{d: Snowflake, s: &CreateDynamicTable{Name: N("t"), TargetLag: "soon", Warehouse: "W", Query: &Select{Columns: []SelectItem{{Expr: I(1)}}}}, msg: "TARGET_LAG"},
		{d: Snowflake, s: &CreateDynamicTable{Name: N("t"), TargetLag: "DOWNSTREAM", Query: &Select{Columns: []SelectItem{{Expr: I(1)}}}}, msg: "needs a WAREHOUSE"},
		{d: Postgres, s: &Drop{Kind: KindDynamicTable, Name: N("t")}, unsupported: true, msg: "use a materialized view or a table"},
		{d: Postgres, s: &Grant{Privilege: "SELECT; DROP", Kind: KindTable, Name: N("t"), Role: "r"}, msg: "not a privilege"},
		{d: Postgres, s: &CreateTable{Name: N("t"), Columns: []ColumnDef{{Name: "a", Type: Int}}, OrReplace: true, IfNotExists: true}, msg: "both OR REPLACE and IF NOT EXISTS"},
		{d: Postgres, s: &Merge{Target: N("t"), Source: Table{Name: N("s")}, On: Eq(C("a"), C("b"))}, msg: "neither UPDATE nor INSERT"},
		{d: Postgres, s: &QueryStmt{Query: &Select{Columns: []SelectItem{{Expr: Star{}}}, From: &Values{Alias: "v", Columns: []string{"a", "b"}, Rows: [][]Expr{{I(1)}}}}}, msg: "has 1 values for 2 columns"},
	}
	for _, c := range cases {
		var err error
		if c.s != nil {
			_, err = Render(c.d, c.s)
		} else {
			_, err = RenderExpr(c.d, c.e)
		}
		if err == nil {
			t.Errorf("%s: want an error containing %q", c.d, c.msg)
			continue
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %q does not contain %q", c.d, err, c.msg)
		}
		var ue *UnsupportedError
		if errors.As(err, &ue) != c.unsupported {
			t.Errorf("%s: %v: UnsupportedError = %v, want %v", c.d, err, !c.unsupported, c.unsupported)
		}
	}
}

func TestCapabilities(t *testing.T) {
	if !Capabilities(Snowflake).DynamicTables || Capabilities(Postgres).DynamicTables {
		t.Error("only Snowflake has dynamic tables")
	}
	if Capabilities(MySQL).Merge || !Capabilities(DuckDB).Merge {
		t.Error("MERGE: DuckDB yes, MySQL no")
	}
	if (Capabilities("nope") != Caps{}) {
		t.Error("unknown dialect has capabilities")
	}
	// Every capability claimed is honoured by Render without emulation.
	for _, d := range Dialects() {
		c := Capabilities(d)
		q := &Select{Columns: []SelectItem{{Expr: I(1)}}}
		out, err := Render(d, &CreateTableAs{Name: N("t"), Query: q, OrReplace: true})
		if err != nil {
			t.Fatal(err)
		}
		if c.CreateOrReplaceTable != strings.HasPrefix(out, "CREATE OR REPLACE TABLE") && d != SQLServer {
			t.Errorf("%s: CreateOrReplaceTable=%v but rendered %q", d, c.CreateOrReplaceTable, out)
		}
		_, err = Render(d, &CreateMaterializedView{Name: N("t"), Query: q})
		if (err == nil) != c.MaterializedViews {
			t.Errorf("%s: MaterializedViews=%v but Render error %v", d, c.MaterializedViews, err)
		}
		out, err = RenderQuery(d, &Select{Columns: []SelectItem{{Expr: Star{}}}, From: &Values{Alias: "v", Columns: []string{"a"}, Rows: [][]Expr{{I(1)}}}})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "VALUES") != c.ValuesInFrom {
			t.Errorf("%s: ValuesInFrom=%v but rendered %q", d, c.ValuesInFrom, out)
		}
	}
}
