package cmd_test

import (
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/databridge/databridge/pkg/advanced"

	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/databridge/databridge/cmd"
	"github.com/databridge/databridge/pkg/testenv"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"databridge": func() { os.Exit(cmd.Execute()) },
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script: each is a
// txtar archive of commands and expected output (see
// github.com/rogpeppe/go-internal/testscript).
// venvDBT is dbt from the test-oracle venv, or "".
func venvDBT() string {
	v := os.Getenv(testenv.OracleVenv)
	if v == "" {
		return ""
	}
	p := filepath.Join(v, "bin", "dbt")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// Scripts must not inherit a developer's settings.
			for _, k := range []string{"DATABRIDGE_PROJECT_DIR", "DATABRIDGE_JSON", "DATABRIDGE_DEFAULT_TARGET"} {
				env.Setenv(k, "")
			}
			env.Setenv("NO_COLOR", "1")
			examples, err := filepath.Abs("../examples")
			if err != nil {
				return err
			}
			env.Setenv("EXAMPLES", examples)
			env.Setenv("UNIQ", fmt.Sprintf("s%d_%d", os.Getpid(), time.Now().UnixNano()%1e6))
			if u := os.Getenv(testenv.PostgresURL); u != "" {
				pu, err := url.Parse(u)
				if err != nil {
					return err
				}
				pw, _ := pu.User.Password()
				env.Setenv("PG_HOST", pu.Hostname())
				env.Setenv("PG_PORT", pu.Port())
				env.Setenv("PG_USER", pu.User.Username())
				env.Setenv("PG_PASSWORD", pw)
				env.Setenv("PG_DB", strings.TrimPrefix(pu.Path, "/"))
			}
			if u := os.Getenv(testenv.MySQLURL); u != "" {
				env.Setenv("MYSQL_DSN_BASE", u)
			}
			if bin := venvDBT(); bin != "" {
				env.Setenv(advanced.DBTEnv, bin)
			}
			return nil
		},
		// [postgres] and [mysql] are true when the test engine is configured;
		// when engines are required, a missing one fails the script.
		Condition: func(cond string) (bool, error) {
			if cond == "dbt" { // dbt from the test-oracle venv
				if venvDBT() == "" && testenv.Required() {
					return false, fmt.Errorf("dbt is required (%s=1) but %s has no bin/dbt", testenv.Require, testenv.OracleVenv)
				}
				return venvDBT() != "", nil
			}
			vars := map[string]string{"postgres": testenv.PostgresURL, "mysql": testenv.MySQLURL}
			v, ok := vars[cond]
			if !ok {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			if os.Getenv(v) == "" && testenv.Required() {
				return false, fmt.Errorf("%s is required (%s=1) but %s is not set", cond, testenv.Require, v)
			}
			return os.Getenv(v) != "", nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"mcpcall":  mcpcall,
			"runsql":   runsql,
			"freeport": freeport,
			// fakedbtcloud VAR TOKEN: serve a dbt Cloud API (account 1; job 2
			// runs 99: running, then success; job 3 runs 98: error) and set VAR
			// to its URL.
			"fakedbtcloud": fakeDBTCloud,
			// gitbare DIR: create an empty bare repository (no git binary needed).
			"gitbare": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: gitbare DIR")
				}
				if _, err := git.PlainInit(ts.MkAbs(args[0]), true); err != nil {
					ts.Fatalf("%v", err)
				}
			},
			// githead REPO BRANCH: print the commit BRANCH points to, and the
			// number of commits reachable from it.
			"githead": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: githead REPO BRANCH")
				}
				r, err := git.PlainOpen(ts.MkAbs(args[0]))
				if err != nil {
					ts.Fatalf("%v", err)
				}
				ref, err := r.Reference(plumbing.NewBranchReferenceName(args[1]), true)
				if (err != nil) != neg {
					ts.Fatalf("branch %s: %v", args[1], err)
				}
				if err != nil {
					return
				}
				it, err := r.Log(&git.LogOptions{From: ref.Hash()})
				if err != nil {
					ts.Fatalf("%v", err)
				}
				n := 0
				_ = it.ForEach(func(*object.Commit) error { n++; return nil })
				fmt.Fprintf(ts.Stdout(), "%s %d commits\n", ref.Hash(), n)
			},
			// unchanged FILE SNAPSHOT: FILE is byte-identical to SNAPSHOT.
			"unchanged": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: unchanged FILE SNAPSHOT")
				}
				a := ts.ReadFile(args[0])
				b := ts.ReadFile(args[1])
				if (a == b) == neg {
					ts.Fatalf("%s and %s: unchanged=%v, want %v", args[0], args[1], a == b, !neg)
				}
			},
			// snapshot FILE COPY: copy FILE to COPY.
			"snapshot": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: snapshot FILE COPY")
				}
				data := ts.ReadFile(args[0])
				if err := os.WriteFile(ts.MkAbs(args[1]), []byte(data), 0o644); err != nil {
					ts.Fatalf("%v", err)
				}
			},
			// nosecret TEXT FILE...: none of the files contains TEXT.
			"nosecret": func(ts *testscript.TestScript, neg bool, args []string) {
				for _, f := range args[1:] {
					if strings.Contains(ts.ReadFile(f), args[0]) {
						ts.Fatalf("%s contains the secret", filepath.Base(f))
					}
				}
			},
		},
	})
}

func fakeDBTCloud(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: fakedbtcloud VAR TOKEN")
	}
	srv := newFakeDBTCloud(args[1])
	ts.Defer(srv.Close)
	ts.Setenv(args[0], srv.URL)
}

// newFakeDBTCloud serves the part of the dbt Cloud API databridge uses, for
// the given token: account 1; job 2 queues run 99, which runs once and
// succeeds; job 3 queues run 98, which fails with a database error.
func newFakeDBTCloud(token string) *httptest.Server {
	var mu sync.Mutex
	polls := map[string]int{}
	run := func(id, status int, name, msg string) string {
		return fmt.Sprintf(`{"status":{"code":200,"is_success":true},"data":{"id":%d,"account_id":1,"job_definition_id":%d,"status":%d,"status_humanized":%q,"status_message":%q,"in_progress":%t,"href":"https://cloud.example/runs/%d/"}}`,
			id, 101-id, status, name, msg, status < 10, id)
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Token "+token {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"status":{"code":401,"is_success":false,"user_message":"Invalid token."},"data":null}`)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		switch p := r.URL.Path; {
		case r.Method == http.MethodPost && p == "/api/v2/accounts/1/jobs/2/run/":
			fmt.Fprint(w, run(99, 1, "Queued", ""))
		case r.Method == http.MethodPost && p == "/api/v2/accounts/1/jobs/3/run/":
			fmt.Fprint(w, run(98, 1, "Queued", ""))
		case r.Method == http.MethodGet && p == "/api/v2/accounts/1/runs/99/":
			polls[p]++
			if polls[p] == 1 {
				fmt.Fprint(w, run(99, 3, "Running", ""))
			} else {
				fmt.Fprint(w, run(99, 10, "Success", ""))
			}
		case r.Method == http.MethodGet && p == "/api/v2/accounts/1/runs/98/":
			fmt.Fprint(w, run(98, 20, "Error", "Database Error in model dt_3_pl"))
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"status":{"code":404,"is_success":false,"user_message":"Not found."},"data":null}`)
		}
	}))
}
