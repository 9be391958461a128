package dialect

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// House rule 9: SQL only through pkg/dialect. TestNoSQLTextOutsideDialect
// reads every non-test Go file of the module and looks for SQL statements
// written as text: a string literal, or a chain of + concatenations (its
// literal parts joined, anything else standing for one word), matching one
// of sqlTextRules. Keywords are matched in upper case only, so prose ("select
// a table from the list") does not count; fmt.Sprintf formats are literals
// and are read like any other.
//
// Allowed places (not scanned): pkg/dialect itself; pkg/connector/**, for
// an engine's catalogue queries, session settings and the read-only
// guard's own tables; test helpers (a package folder whose name ends in
// "test", and pkg/testenv/**) and _test.go files. Not counted anywhere:
// struct tags, the help text fields of a composite literal (Use, Short,
// Long, Example, Description) and literals that are a databridge command
// line shown to the user ("databridge sql \"SELECT ...\"").
//
// Everything else is an offender. The known ones are listed in
// sqlTextOffenders with their count of hits, so the list only shrinks: the
// test fails when a file outside the list has SQL text, when a listed
// file has more hits than listed, and when it has fewer (lower the count,
// or remove the entry, so the list stays true).

// sqlTextRules are the statement shapes the scan looks for.
var sqlTextRules = []struct {
	name string
	re   *regexp.Regexp
}{
	{"SELECT ... FROM", regexp.MustCompile(`\bSELECT\b[\s\S]*\bFROM\b`)},
	{"INSERT INTO", regexp.MustCompile(`\bINSERT\s+INTO\b`)},
	{"CREATE TABLE/VIEW", regexp.MustCompile(`\bCREATE\s+(OR\s+REPLACE\s+)?(TEMP(ORARY)?\s+)?(TABLE|VIEW|MATERIALIZED\s+VIEW|DYNAMIC\s+TABLE|SCHEMA|DATABASE|INDEX)\b`)},
	{"DROP", regexp.MustCompile(`\bDROP\s+(TABLE|VIEW|MATERIALIZED\s+VIEW|DYNAMIC\s+TABLE|SCHEMA|DATABASE|INDEX)\b`)},
	{"ALTER", regexp.MustCompile(`\bALTER\s+(TABLE|VIEW|DYNAMIC\s+TABLE|SCHEMA|DATABASE|SESSION)\b`)},
	{"UPDATE ... SET", regexp.MustCompile(`\bUPDATE\s+\S+(\s+\S+)?\s+SET\b`)},
	{"DELETE FROM", regexp.MustCompile(`\bDELETE\s+FROM\b`)},
	{"MERGE INTO", regexp.MustCompile(`\bMERGE\s+INTO\b`)},
	{"SAVEPOINT", regexp.MustCompile(`\b(SAVEPOINT|ROLLBACK\s+TO)\s`)},
	{"WITH ... AS (", regexp.MustCompile(`\bWITH\s+\S+(\s*\([^)]*\))?\s+AS\s*\(`)},
	// Statements built piece by piece (a strings.Builder, +=): a piece
	// that starts a statement or a clause.
	{"statement start", regexp.MustCompile(`^\s*(SELECT|WITH|INSERT|UPDATE|DELETE|MERGE)\s`)},
	{"clause start", regexp.MustCompile(`^\s*(FROM|WHERE|GROUP\s+BY|ORDER\s+BY|HAVING|UNION\s+ALL|(LEFT\s+|INNER\s+|CROSS\s+)?JOIN)\s`)},
}

// sqlTextOffenders are the files known to write SQL as text outside the
// allowed places: path (slash-separated, from the module root), the number
// of hits, why it is still there and the issue that tracks it. The list
// may only shrink.
var sqlTextOffenders = []struct {
	file   string
	hits   int
	reason string
	issue  int
}{}

// sqlTextAllowed reports whether a module-relative path may hold SQL text.
func sqlTextAllowed(rel string) bool {
	dir := filepath.ToSlash(filepath.Dir(rel))
	switch {
	case strings.HasSuffix(rel, "_test.go"):
		return true
	case dir == "pkg/dialect" || strings.HasPrefix(dir, "pkg/dialect/"):
		return true
	case dir == "pkg/connector" || strings.HasPrefix(dir, "pkg/connector/"):
		return true
	case dir == "pkg/testenv" || strings.HasPrefix(dir, "pkg/testenv/"):
		return true
	case strings.HasSuffix(filepath.Base(dir), "test"):
		return true
	}
	return false
}

// sqlTextHelpFields are composite-literal fields that hold help text.
var sqlTextHelpFields = map[string]bool{"Use": true, "Short": true, "Long": true, "Example": true, "Description": true}

// sqlTextHit is one SQL-looking expression.
type sqlTextHit struct {
	pos  token.Position
	rule string
	text string
}

// sqlTextMatch returns the first rule s matches, or "".
func sqlTextMatch(s string) string {
	for _, r := range sqlTextRules {
		if r.re.MatchString(s) {
			return r.name
		}
	}
	return ""
}

// sqlTextScanFile returns the SQL-looking expressions of one Go file.
func sqlTextScanFile(fset *token.FileSet, path string) ([]sqlTextHit, error) {
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	skip := map[ast.Node]bool{}
	var hits []sqlTextHit
	check := func(n ast.Node, text string) {
		if strings.HasPrefix(text, "databridge ") {
			return
		}
		if rule := sqlTextMatch(text); rule != "" {
			hits = append(hits, sqlTextHit{pos: fset.Position(n.Pos()), rule: rule, text: text})
		}
	}
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if n == nil || skip[n] {
			return false
		}
		switch x := n.(type) {
		case *ast.Field:
			if x.Tag != nil {
				skip[x.Tag] = true
			}
		case *ast.KeyValueExpr:
			if k, ok := x.Key.(*ast.Ident); ok && sqlTextHelpFields[k.Name] {
				return false
			}
		case *ast.BinaryExpr:
			if x.Op != token.ADD {
				return true
			}
			// A maximal chain of +: join its parts, mark its literals
			// as read, and go on into the non-literal parts.
			var parts []string
			var others []ast.Expr
			lits := 0
			var flatten func(e ast.Expr)
			flatten = func(e ast.Expr) {
				switch y := e.(type) {
				case *ast.BinaryExpr:
					if y.Op == token.ADD {
						flatten(y.X)
						flatten(y.Y)
						return
					}
				case *ast.ParenExpr:
					flatten(y.X)
					return
				case *ast.BasicLit:
					if y.Kind == token.STRING {
						if s, err := strconv.Unquote(y.Value); err == nil {
							parts = append(parts, s)
							lits++
							skip[y] = true
							return
						}
					}
				}
				parts = append(parts, " x ")
				others = append(others, e)
			}
			flatten(x)
			if lits > 0 {
				check(x, strings.Join(parts, ""))
			}
			// Go on into the parts: calls may hold chains of their own.
			for _, e := range others {
				ast.Inspect(e, visit)
			}
			return false
		case *ast.BasicLit:
			if x.Kind == token.STRING {
				if s, err := strconv.Unquote(x.Value); err == nil {
					check(x, s)
				}
			}
		}
		return true
	}
	ast.Inspect(f, visit)
	return hits, nil
}

// sqlTextScan scans the module under root and returns the hits by
// slash-separated module-relative path.
func sqlTextScan(t *testing.T, root string) map[string][]sqlTextHit {
	t.Helper()
	fset := token.NewFileSet()
	out := map[string][]sqlTextHit{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if sqlTextAllowed(rel) {
			return nil
		}
		hits, err := sqlTextScanFile(fset, path)
		if err != nil {
			return err
		}
		if len(hits) > 0 {
			out[filepath.ToSlash(rel)] = hits
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestNoSQLTextOutsideDialect(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	found := sqlTextScan(t, root)
	listed := map[string]int{}
	for _, o := range sqlTextOffenders {
		if o.reason == "" || o.issue == 0 {
			t.Errorf("sqlTextOffenders: %s needs a reason and an issue number", o.file)
		}
		if _, dup := listed[o.file]; dup {
			t.Errorf("sqlTextOffenders: %s listed twice", o.file)
		}
		listed[o.file] = o.hits
	}
	files := make([]string, 0, len(found))
	for f := range found {
		files = append(files, f)
	}
	sort.Strings(files)
	describe := func(hits []sqlTextHit) string {
		var b strings.Builder
		for _, h := range hits {
			text := strings.Join(strings.Fields(h.text), " ")
			if len(text) > 100 {
				text = text[:100] + "..."
			}
			fmt.Fprintf(&b, "\n  %s:%d: %s: %q", filepath.Base(h.pos.Filename), h.pos.Line, h.rule, text)
		}
		return b.String()
	}
	for _, f := range files {
		hits := found[f]
		want, ok := listed[f]
		switch {
		case !ok:
			t.Errorf("%s writes SQL as text (%d places); build it with the pkg/dialect tree (rule 9):%s", f, len(hits), describe(hits))
		case len(hits) > want:
			t.Errorf("%s: %d places write SQL as text, the list allows %d: build the new ones with pkg/dialect:%s", f, len(hits), want, describe(hits))
		case len(hits) < want:
			t.Errorf("%s: %d places write SQL as text, fewer than the %d listed: lower its count in sqlTextOffenders", f, len(hits), want)
		}
	}
	for _, o := range sqlTextOffenders {
		if _, ok := found[o.file]; !ok {
			t.Errorf("%s is listed in sqlTextOffenders but writes no SQL as text any more: remove the entry", o.file)
		}
	}
}

// TestSQLTextScanRules checks the scan on small sources: what it finds
// and what it leaves alone.
func TestSQLTextScanRules(t *testing.T) {
	cases := []struct {
		src  string
		hits int
	}{
		{`var q = "SELECT a FROM t"`, 1},
		{`var q = "SELECT " + col + " FROM " + tbl`, 1},
		{`var q = fmt.Sprintf("DELETE FROM %s WHERE x = 1", t)`, 1},
		{"var q = `CREATE OR REPLACE VIEW v AS SELECT 1`", 1},
		{`var q = "INSERT INTO " + t + " VALUES (1)"`, 1},
		{`var q = "DROP TABLE IF EXISTS " + t`, 1},
		{`var q = "ALTER TABLE " + t + " RENAME TO x"`, 1},
		{`var q = "UPDATE " + t + " SET a = 1"`, 1},
		{`var q = "WITH " + name + " AS (" + body + ")"`, 1},
		{`var q = "MERGE INTO t USING s ON 1 = 1"`, 1},
		{`var q = "ROLLBACK TO SAVEPOINT " + name`, 1},
		{`var q = f("SELECT " + a) + g(" FROM t")`, 2},
		{`var q = "select a table from the list"`, 0},
		{`var q = "SELECT 1"`, 1},
		{`var c = Command{Example: "databridge sql \"SELECT * FROM t\""}`, 0},
		{`var c = Command{Short: "runs SELECT * FROM t"}`, 0},
		{`var s = []string{"databridge sql \"SELECT * FROM t\""}`, 0},
		{"type T struct { SQL string `json:\"sql\" doc:\"a SELECT ... FROM statement\"` }", 0},
		{`var q = "SELECT a " + "FROM t" + ("WHERE " + "x")`, 1},
		{`func f() { b.WriteString("SELECT\n"); b.WriteString("\nFROM " + src) }`, 2},
		{`var p = "SELECT"`, 0},
	}
	dir := t.TempDir()
	for i, c := range cases {
		path := filepath.Join(dir, fmt.Sprintf("c%d.go", i))
		if err := os.WriteFile(path, []byte("package p\n\n"+c.src+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		hits, err := sqlTextScanFile(token.NewFileSet(), path)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if len(hits) != c.hits {
			t.Errorf("%s: %d hits, want %d: %v", c.src, len(hits), c.hits, hits)
		}
	}
	for _, c := range []struct {
		path string
		ok   bool
	}{
		{"pkg/dialect/render.go", true},
		{"pkg/connector/postgres/meta.go", true},
		{"pkg/semantic/semantictest/tpch.go", true},
		{"pkg/testenv/hostile/hostile.go", true},
		{"pkg/semantic/profile_test.go", true},
		{"pkg/dialectx/x.go", false},
		{"cmd/sqlcmd/sql.go", false},
	} {
		if got := sqlTextAllowed(filepath.FromSlash(c.path)); got != c.ok {
			t.Errorf("sqlTextAllowed(%s) = %v, want %v", c.path, got, c.ok)
		}
	}
}
