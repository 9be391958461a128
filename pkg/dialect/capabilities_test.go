package dialect

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"testing"
)

// TestCapsComplete holds the engine table to "every fact decided": each
// engine's entry in engines.go names every field of Caps, false and 0
// included, so a new field fails here until every engine states its
// value. A field of an enum type (declared in this package) or a string
// must also not hold its zero value, which means "unset".
func TestCapsComplete(t *testing.T) {
	var fields []string
	ct := reflect.TypeOf(Caps{})
	for i := 0; i < ct.NumField(); i++ {
		fields = append(fields, ct.Field(i).Name)
	}

	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "engines.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var table *ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if ok && len(vs.Names) == 1 && vs.Names[0].Name == "caps" && len(vs.Values) == 1 {
			table, _ = vs.Values[0].(*ast.CompositeLit)
		}
		return table == nil
	})
	if table == nil {
		t.Fatal("engines.go: var caps = map[string]Caps{...} not found")
	}
	seen := map[string]bool{}
	for _, el := range table.Elts {
		kv := el.(*ast.KeyValueExpr)
		engine := exprName(kv.Key)
		seen[engine] = true
		lit, ok := kv.Value.(*ast.CompositeLit)
		if !ok {
			t.Errorf("%s: entry is not a literal", engine)
			continue
		}
		named := map[string]bool{}
		for _, fe := range lit.Elts {
			fkv, ok := fe.(*ast.KeyValueExpr)
			if !ok {
				t.Errorf("%s: use field: value, so each fact is named", engine)
				continue
			}
			named[exprName(fkv.Key)] = true
		}
		for _, name := range fields {
			if !named[name] {
				t.Errorf("%s (%s): Caps.%s is not stated; write it, also when it is false or 0", engine, fset.Position(lit.Pos()), name)
			}
		}
	}
	for _, d := range Dialects() {
		if !seen[d] {
			t.Errorf("dialect %s has no entry in caps", d)
		}
	}

	for _, d := range Dialects() {
		v := reflect.ValueOf(Capabilities(d))
		for i := 0; i < ct.NumField(); i++ {
			ft := ct.Field(i).Type
			enum := ft.PkgPath() == ct.PkgPath()
			if (enum || ft.Kind() == reflect.String) && v.Field(i).IsZero() {
				t.Errorf("%s: Caps.%s is unset (%v)", d, ct.Field(i).Name, v.Field(i))
			}
		}
	}
}

// exprName is the dialect constant or field an AST key names.
func exprName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		consts := map[string]string{"DuckDB": DuckDB, "Postgres": Postgres, "MySQL": MySQL, "SQLServer": SQLServer,
			"Snowflake": Snowflake, "Databricks": Databricks, "BigQuery": BigQuery}
		if c, ok := consts[id.Name]; ok {
			return c
		}
		return id.Name
	}
	if bl, ok := e.(*ast.BasicLit); ok {
		return bl.Value
	}
	return ""
}

// The table agrees with the facts the engines are known for; a change to
// one of these is a change of behaviour (deploy's transaction, quoting).
func TestCapsFacts(t *testing.T) {
	for _, d := range Dialects() {
		c := Capabilities(d)
		want := d == DuckDB || d == Postgres || d == SQLServer
		if c.TransactionalDDL != want {
			t.Errorf("%s: TransactionalDDL = %v, want %v", d, c.TransactionalDDL, want)
		}
		if c.DynamicTables != (d == Snowflake) {
			t.Errorf("%s: DynamicTables = %v", d, c.DynamicTables)
		}
	}
	if Capabilities(Postgres).IdentFold != FoldLower || Capabilities(Snowflake).IdentFold != FoldUpper {
		t.Errorf("folding: postgres %v, snowflake %v", Capabilities(Postgres).IdentFold, Capabilities(Snowflake).IdentFold)
	}
	if MaxParams(SQLServer) != 2100 || MaxParams(Postgres) != 65535 || MaxParams("nosuch") != 0 {
		t.Errorf("MaxParams: sqlserver %d, postgres %d", MaxParams(SQLServer), MaxParams(Postgres))
	}
	if (Capabilities("nosuch") != Caps{}) {
		t.Error("an unknown dialect has capabilities")
	}
}

func TestRenameTable(t *testing.T) {
	want := map[string]string{
		DuckDB:     `ALTER TABLE "s"."t" RENAME TO "t__bak"`,
		Postgres:   `ALTER TABLE s.t RENAME TO t__bak`,
		MySQL:      "RENAME TABLE `s`.`t` TO `s`.`t__bak`",
		Snowflake:  `ALTER DYNAMIC TABLE s.t RENAME TO s.t__bak`,
		Databricks: "ALTER TABLE `s`.`t` RENAME TO `s`.`t__bak`",
		BigQuery:   "ALTER TABLE `s`.`t` RENAME TO `t__bak`",
	}
	for _, d := range Dialects() {
		kind := KindTable
		if Capabilities(d).DynamicTables {
			kind = KindDynamicTable
		}
		got, err := RenameTable(d, N("s", "t"), "t__bak", kind)
		var ue *UnsupportedError
		switch {
		case d == SQLServer:
			if !errors.As(err, &ue) {
				t.Errorf("sqlserver: %q, %v; want an UnsupportedError", got, err)
			}
		case err != nil || got != want[d]:
			t.Errorf("%s: %q, %v; want %q", d, got, err, want[d])
		}
	}
}

func TestShowDefinition(t *testing.T) {
	type w struct {
		sql  string
		args []any
		col  int
	}
	want := map[string]w{
		MySQL:      {"SHOW CREATE VIEW `s`.`v`", nil, 1},
		Databricks: {"SHOW CREATE TABLE `s`.`v`", nil, 0},
		Snowflake:  {"SELECT GET_DDL(?, ?)", []any{"VIEW", "s.v"}, 0},
		BigQuery:   {"SELECT ddl FROM `s`.INFORMATION_SCHEMA.TABLES WHERE table_name = ?", []any{"v"}, 0},
	}
	for _, d := range Dialects() {
		def, ok, err := ShowDefinition(d, N("s", "v"), KindView)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		wd, has := want[d]
		if ok != has {
			t.Errorf("%s: ok = %v, want %v", d, ok, has)
		}
		if ok != !Capabilities(d).TransactionalDDL {
			t.Errorf("%s: a definition reader where DDL is transactional, or none where it is not", d)
		}
		if has && (def.SQL != wd.sql || def.Column != wd.col || !reflect.DeepEqual(def.Args, wd.args)) {
			t.Errorf("%s: %+v, want %+v", d, def, wd)
		}
	}
}

func TestRegexAndSample(t *testing.T) {
	for _, d := range Dialects() {
		m, err := RenderCond(d, &Regex{X: C("x"), Pattern: "^[A-Z]+$"})
		var ue *UnsupportedError
		if Capabilities(d).Regex != (err == nil) || (err != nil && !errors.As(err, &ue)) {
			t.Errorf("%s: Regex %v, rendered %q, %v", d, Capabilities(d).Regex, m, err)
		}
		l, err := RenderCond(d, &Like{X: C("x"), Pattern: S("[0-9]%"), Classes: true})
		if Capabilities(d).LikeBrackets != (err == nil) || (err != nil && !errors.As(err, &ue)) {
			t.Errorf("%s: LikeBrackets %v, rendered %q, %v", d, Capabilities(d).LikeBrackets, l, err)
		}
		if _, err := RenderQuery(d, &Sample{Table: N("t"), N: 10, Rows: 1000, Seed: 42}); err != nil {
			t.Errorf("%s: %v", d, err)
		}
		if _, err := RenderQuery(d, &Sample{Table: N("t"), N: 0, Rows: 1000}); err == nil {
			t.Errorf("%s: an empty sample rendered", d)
		}
	}
	if m, _ := RenderCond(MySQL, &Regex{X: C("x"), Pattern: "^a$"}); m != "CONVERT(`x` USING utf8mb4) COLLATE utf8mb4_bin REGEXP '^a$'" {
		t.Errorf("mysql: %s", m)
	}
	if l, _ := RenderCond(SQLServer, &Like{X: C("x"), Pattern: S("[0-9]%")}); l != "[x] LIKE N'[[]0-9]%'" {
		t.Errorf("sqlserver, no classes: %s", l)
	}
	if l, _ := RenderCond(SQLServer, &Like{X: C("x"), Pattern: S("[0-9]%"), Classes: true}); l != "[x] LIKE N'[0-9]%'" {
		t.Errorf("sqlserver, classes: %s", l)
	}
	small, _ := RenderQuery(DuckDB, &Sample{Table: N("t"), N: 10, Rows: 1000, Seed: 42})
	big, _ := RenderQuery(DuckDB, &Sample{Table: N("t"), N: 10_000, Rows: 1_000_000, Seed: 42})
	if small != "SELECT *\nFROM \"t\" USING SAMPLE 1.0000 PERCENT (bernoulli, 42)" || big != "SELECT *\nFROM \"t\" USING SAMPLE 1.0000 PERCENT (system, 42)" {
		t.Errorf("duckdb: %s / %s", small, big)
	}
}

func TestParam(t *testing.T) {
	want := map[string]string{DuckDB: "?", Postgres: "$2", MySQL: "?", SQLServer: "@p2", Snowflake: "?", Databricks: "?", BigQuery: "?"}
	for _, d := range Dialects() {
		got, err := RenderExpr(d, &Cast{X: Param{N: 2}, Type: Int})
		if err != nil || got != "CAST("+want[d]+" AS "+IntType(d)+")" {
			t.Errorf("%s: %q, %v", d, got, err)
		}
		if _, err := RenderExpr(d, Param{}); err == nil {
			t.Errorf("%s: parameter 0 rendered", d)
		}
	}
}

func TestSavepointFor(t *testing.T) {
	for _, d := range Dialects() {
		sp, ok, err := SavepointFor(d, "databridge_validate")
		if err != nil || ok != (d == Postgres) {
			t.Errorf("%s: %+v, %v, %v", d, sp, ok, err)
		}
	}
	sp, _, _ := SavepointFor(Postgres, "Check 1")
	if sp.Set != `SAVEPOINT "Check 1"` || sp.Release != `RELEASE SAVEPOINT "Check 1"` || sp.Rollback != `ROLLBACK TO SAVEPOINT "Check 1"` {
		t.Errorf("postgres: %+v", sp)
	}
	if _, _, err := SavepointFor("oracle", "x"); err == nil {
		t.Error("an unknown dialect gave savepoints")
	}
}
