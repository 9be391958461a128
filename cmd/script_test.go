package cmd_test

import (
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
			return nil
		},
		// [postgres] and [mysql] are true when the test engine is configured;
		// when engines are required, a missing one fails the script.
		Condition: func(cond string) (bool, error) {
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
