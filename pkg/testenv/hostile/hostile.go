// Package hostile runs the hostile corpus (pkg/connector/testdata/hostile.sql)
// against read-only sessions on every engine the tests have: a project with
// a DuckDB warehouse and a files connection, plus PostgreSQL and MariaDB
// when their test URLs are set. Each statement must be refused or fail in
// the engine, and leave the databases and the files under the project
// byte-identical; no output may show the secret planted outside the
// project, /etc/passwd or the project's .databridge folder.
package hostile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/testenv"
)

// Marker is the secret planted outside the project.
const Marker = "TOPSECRET-4c1d-MARKER"

// Env is a project with the engines under attack.
type Env struct {
	Root    string
	Project *project.Project
	Secret  string
	Engines []Engine
}

// Engine is one connection of the project and how to see its state.
type Engine struct {
	Conn  string // connection name in the project
	Table string // the table {{T}} names
	// State returns the engine's state (tables, rows, schemas) as text.
	State func(ctx context.Context) (string, error)
}

// Setup makes the project: a DuckDB warehouse with tables hostile_t and
// DT_3_PL, a files connection over data/, and PostgreSQL and MariaDB
// connections (through ${ENV} DSNs) when their test URLs are set; when
// they are not, it skips those engines (fails under
// DATABRIDGE_REQUIRE_ENGINES=1).
func Setup(t *testing.T) *Env {
	t.Helper()
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "hostile"); err != nil {
		t.Fatal(err)
	}
	must(t, os.MkdirAll(filepath.Join(root, "data"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "data", "a.csv"), []byte("v\n1\n2\n3\n"), 0o644))
	secretDir := t.TempDir()
	secret := filepath.Join(secretDir, "secret.csv")
	must(t, os.WriteFile(secret, []byte("k\n"+Marker+"\n"), 0o600))
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	svc := connections.New(p)
	for _, q := range []string{
		"CREATE TABLE hostile_t (v INTEGER)", "INSERT INTO hostile_t VALUES (1), (2), (3)",
		"CREATE TABLE DT_3_PL (NODE_CODE VARCHAR, AMOUNT DECIMAL(18,2))", "INSERT INTO DT_3_PL VALUES ('NET_INCOME', 10.50)",
		"CREATE SEQUENCE pwned_seq",
	} {
		if _, err := svc.Query(ctx, connections.QueryInput{SQL: q, Write: true}); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	_, err = svc.Add(ctx, connections.AddInput{Name: "files", Config: connector.Config{Type: "files", Path: "data"}})
	must(t, err)
	env := &Env{Root: root, Project: p, Secret: secret}
	env.Engines = append(env.Engines,
		Engine{Conn: "local", Table: "hostile_t", State: func(context.Context) (string, error) { return "", nil }},
		Engine{Conn: "files", Table: "a", State: func(context.Context) (string, error) { return "", nil }},
	)
	if pg := pgEngine(t, env); pg != nil {
		env.Engines = append(env.Engines, *pg)
	}
	if my := mysqlEngine(t, env); my != nil {
		env.Engines = append(env.Engines, *my)
	}
	// Re-open so the project sees the connections added.
	env.Project, err = project.Open(root)
	must(t, err)
	return env
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// admin opens a trusted (writing) connection to set up and read state.
func admin(t *testing.T, typ, envVar string) connector.Connector {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := connector.Open(ctx, "admin", connector.Config{Type: typ, DSN: "${" + envVar + "}"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func stateOf(ctx context.Context, c connector.Connector, queries ...string) (string, error) {
	var b strings.Builder
	for _, q := range queries {
		res, err := c.Query(ctx, q, connector.QueryOptions{MaxRows: -1})
		if err != nil {
			return "", fmt.Errorf("%s: %w", q, err)
		}
		fmt.Fprintf(&b, "%s\n%v\n", q, res.Rows)
	}
	return b.String(), nil
}

func pgEngine(t *testing.T, env *Env) *Engine {
	if os.Getenv(testenv.PostgresURL) == "" {
		testenv.Missing(t, "PostgreSQL: set "+testenv.PostgresURL)
		return nil
	}
	ctx := context.Background()
	a := admin(t, "postgres", testenv.PostgresURL)
	schema := fmt.Sprintf("hostile_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	for _, q := range []string{
		"CREATE SCHEMA " + schema, "CREATE TABLE " + schema + ".hostile_t (v INTEGER)",
		"INSERT INTO " + schema + ".hostile_t VALUES (1), (2), (3)", "CREATE SEQUENCE " + schema + ".pwned_seq",
	} {
		if _, err := a.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() { _, _ = a.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	addConn(t, env, "pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}", Schema: schema})
	return &Engine{Conn: "pg", Table: schema + ".hostile_t", State: func(ctx context.Context) (string, error) {
		return stateOf(ctx, a,
			// Other tests share the server: look only at what this corpus
			// could touch (its schema, public, anything named pwned*).
			"SELECT nspname FROM pg_namespace WHERE nspname IN ('public', '"+schema+"') OR nspname LIKE 'pwned%' ORDER BY 1",
			"SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema = '"+schema+"' OR table_name LIKE 'pwned%' ORDER BY 1, 2",
			"SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_schema = '"+schema+"' ORDER BY 1, 2, 3",
			"SELECT v FROM "+schema+".hostile_t ORDER BY v",
			"SELECT last_value, is_called FROM "+schema+".pwned_seq",
			"SELECT count(*) FROM pg_largeobject_metadata",
			"SELECT grantee, privilege_type FROM information_schema.role_table_grants WHERE table_schema = '"+schema+"' ORDER BY 1, 2",
			"SELECT obj_description('"+schema+".hostile_t'::regclass)",
		)
	}}
}

func mysqlEngine(t *testing.T, env *Env) *Engine {
	if os.Getenv(testenv.MySQLURL) == "" {
		testenv.Missing(t, "MariaDB/MySQL: set "+testenv.MySQLURL)
		return nil
	}
	ctx := context.Background()
	a := admin(t, "mysql", testenv.MySQLURL)
	table := fmt.Sprintf("hostile_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	for _, q := range []string{"CREATE TABLE " + table + " (v INTEGER)", "INSERT INTO " + table + " VALUES (1), (2), (3)"} {
		if _, err := a.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Cleanup(func() { _, _ = a.Exec(context.Background(), "DROP TABLE IF EXISTS "+table) })
	addConn(t, env, "my", connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}"})
	return &Engine{Conn: "my", Table: table, State: func(ctx context.Context) (string, error) {
		return stateOf(ctx, a,
			// Other tests share the server: look only at what this corpus
			// could touch (its table, the database, anything named pwned*).
			"SELECT schema_name FROM information_schema.schemata WHERE schema_name = DATABASE() OR schema_name LIKE 'pwned%' ORDER BY 1",
			"SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_name = '"+table+"' OR table_name LIKE 'pwned%' ORDER BY 1, 2",
			"SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '"+table+"' ORDER BY 1, 2",
			"SELECT v FROM "+table+" ORDER BY v",
			"SELECT table_comment FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '"+table+"'",
		)
	}}
}

func addConn(t *testing.T, env *Env, name string, cfg connector.Config) {
	t.Helper()
	if _, err := connections.New(env.Project).Add(context.Background(), connections.AddInput{Name: name, Config: cfg}); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(env.Root)
	must(t, err)
	env.Project = p
}

// Corpus returns the expanded corpus with the placeholders filled in.
func Corpus(t testing.TB, vars map[string]string) []string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "connector", "testdata", "hostile.sql")
	return Expand(t, path, vars)
}

// Expand reads a corpus file and expands payloads into templates.
func Expand(t testing.TB, path string, vars map[string]string) []string {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var payloads, wraps, out []string
	for _, l := range strings.Split(string(body), "\n") {
		switch {
		case strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "@payload "):
			payloads = append(payloads, strings.TrimPrefix(l, "@payload "))
		case strings.HasPrefix(l, "@wrap "):
			wraps = append(wraps, strings.TrimPrefix(l, "@wrap "))
		default:
			out = append(out, l)
		}
	}
	for _, w := range wraps {
		for _, p := range payloads {
			out = append(out, strings.ReplaceAll(w, "%s", p))
		}
	}
	all := map[string]string{"{{NL}}": "\n", "{{TAB}}": "\t", "{{NUL}}": "\x00", "{{NBSP}}": "\u00a0"}
	for k, v := range vars {
		all["{{"+k+"}}"] = v
	}
	for i, s := range out {
		for k, v := range all {
			s = strings.ReplaceAll(s, k, v)
		}
		out[i] = s
	}
	return out
}

// FileState hashes every file under root (names, sizes, contents).
func FileState(root string) (string, error) {
	var lines []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			lines = append(lines, rel+"/")
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		lines = append(lines, rel+" "+hex.EncodeToString(h[:]))
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n"), err
}

// Runner runs one statement read-only on a connection and returns what a
// user would see (the result or the error).
type Runner func(ctx context.Context, conn, sql string) (output string, err error)

// Run attacks every engine of env with the corpus through run. It returns
// the number of statements run per engine.
func Run(t *testing.T, env *Env, run Runner) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(env.Root, project.DirName, "warehouse.duckdb")
	for _, e := range env.Engines {
		t.Run(e.Conn, func(t *testing.T) {
			stmts := Corpus(t, map[string]string{"T": e.Table, "ROOT": env.Root, "DB": db, "SECRET": env.Secret})
			if len(stmts) < 200 {
				t.Fatalf("corpus has %d statements, want at least 200", len(stmts))
			}
			files0, err := FileState(env.Root)
			must(t, err)
			state0, err := e.State(ctx)
			must(t, err)
			refused, failed, ran := 0, 0, 0
			for _, s := range stmts {
				out, err := run(ctx, e.Conn, s)
				switch {
				case err == nil:
					ran++
					if os.Getenv("HOSTILE_VERBOSE") != "" {
						t.Logf("ran: %q", s)
					}
				case strings.Contains(err.Error(), "refused"):
					refused++
					out = err.Error()
				default:
					failed++
					out = err.Error()
				}
				for _, leak := range []string{Marker, "root:x:0:0", "schema_version"} {
					if strings.Contains(out, leak) {
						t.Errorf("%q: the output shows %q:\n%s", s, leak, out)
					}
				}
				files, err := FileState(env.Root)
				must(t, err)
				if files != files0 {
					t.Fatalf("%q changed files under the project:\nbefore:\n%s\nafter:\n%s", s, files0, files)
				}
				state, err := e.State(ctx)
				must(t, err)
				if state != state0 {
					t.Fatalf("%q changed the database:\nbefore:\n%s\nafter:\n%s", s, state0, state)
				}
			}
			t.Logf("%s: %d statements: %d refused by databridge, %d failed in the engine, %d ran and changed nothing", e.Conn, len(stmts), refused, failed, ran)
		})
	}
}
