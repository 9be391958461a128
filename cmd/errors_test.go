package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/databridge/databridge/cmd/cmdutil"
)

// runWith runs the real command tree plus extra commands, in-process.
func runWith(t *testing.T, args []string, extra ...*cobra.Command) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("DATABRIDGE_JSON", "")
	t.Setenv("DATABRIDGE_PROJECT_DIR", t.TempDir())
	var out, errOut bytes.Buffer
	f := &cmdutil.Factory{IO: cmdutil.Test(strings.NewReader(""), &out, &errOut), Version: "test", Viper: viper.New()}
	root := NewRootCmd(f)
	root.AddCommand(extra...)
	code = execute(context.Background(), f, root, args)
	return code, out.String(), errOut.String()
}

func panicCmd(v any) *cobra.Command {
	return &cobra.Command{Use: "boom", Hidden: true, RunE: func(*cobra.Command, []string) error { panic(v) }}
}

// Finding 13a: a panic used to crash with Go's exit code 2, the code of a
// usage error.
func TestPanicIsInternalError(t *testing.T) {
	code, _, stderr := runWith(t, []string{"boom"}, panicCmd("kaboom"))
	if code != cmdutil.ExitError {
		t.Errorf("exit code = %d, want %d", code, cmdutil.ExitError)
	}
	if stderr != "error: internal error: kaboom (please report)\n" {
		t.Errorf("stderr = %q", stderr)
	}

	// -v adds the stack.
	code, _, stderr = runWith(t, []string{"boom", "-v"}, panicCmd(errors.New("nil map")))
	if code != cmdutil.ExitError || !strings.HasPrefix(stderr, "error: internal error: nil map (please report)\n") ||
		!strings.Contains(stderr, "goroutine") || !strings.Contains(stderr, "errors_test.go") {
		t.Errorf("-v: exit %d, stderr = %q", code, stderr)
	}

	// A runtime error, in --json mode.
	boom := &cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error {
		var s []int
		_ = s[len(s)+3]
		return nil
	}}
	code, _, stderr = runWith(t, []string{"boom", "--json"}, boom)
	var got struct{ Error string }
	if err := json.Unmarshal([]byte(stderr), &got); err != nil || code != cmdutil.ExitError ||
		!strings.HasPrefix(got.Error, "internal error: runtime error: index out of range") || !strings.HasSuffix(got.Error, "(please report)") {
		t.Errorf("--json panic: exit %d, stderr %q (%v)", code, stderr, err)
	}
}

// Finding 13b: --json errors were printed with %q, which is Go syntax, not
// JSON (\x01, \a, \U0001f600 ...).
func TestJSONErrorIsValidJSON(t *testing.T) {
	msg := "table \"gl\" at C:\\data\\gl.csv\nline 2: ünïcødé 😀 <b>&</b> \x01\a\t end"
	fail := &cobra.Command{Use: "fail", RunE: func(*cobra.Command, []string) error { return errors.New(msg) }}
	code, stdout, stderr := runWith(t, []string{"fail", "--json"}, fail)
	if code != cmdutil.ExitError || stdout != "" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("want one line of JSON on stderr, got %q", stderr)
	}
	var got map[string]any
	dec := json.NewDecoder(strings.NewReader(stderr))
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stderr is not JSON: %v\n%s", err, stderr)
	}
	if got["error"] != msg || len(got) != 1 {
		t.Errorf("decoded %#v, want error %q", got, msg)
	}

	// A usage error in --json mode: JSON too, and no "Run --help" line.
	code, _, stderr = runWith(t, []string{"sql", "--json", "--no-such-flag", "x"})
	if err := json.Unmarshal([]byte(stderr), &got); err != nil || code != cmdutil.ExitUsage || !strings.Contains(got["error"].(string), "no-such-flag") {
		t.Errorf("usage error in --json: exit %d, stderr %q (%v)", code, stderr, err)
	}

	// Without --json the message is printed as is.
	_, _, stderr = runWith(t, []string{"fail"}, fail)
	if stderr != "error: "+msg+"\n" {
		t.Errorf("text error = %q", stderr)
	}
}

// Finding 13c: a negative --timeout was accepted (and read as the default).
func TestNegativeTimeoutIsUsageError(t *testing.T) {
	for _, args := range [][]string{
		{"sql", "SELECT 1", "--timeout", "-5"},
		{"sql", "SELECT 1", "--timeout=-1"},
	} {
		code, _, stderr := runWith(t, args)
		if code != cmdutil.ExitUsage || !strings.Contains(stderr, "--timeout must not be negative") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	// Every flag named in nonNegativeFlags that a command has is checked.
	iv := &cobra.Command{Use: "iv", RunE: func(*cobra.Command, []string) error { return nil }}
	iv.Flags().Duration("poll-interval", 0, "")
	code, _, stderr := runWith(t, []string{"iv", "--poll-interval", "-2s"}, iv)
	if code != cmdutil.ExitUsage || !strings.Contains(stderr, "--poll-interval must not be negative (got -2s)") {
		t.Errorf("--poll-interval -2s: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runWith(t, []string{"iv", "--poll-interval", "2s"}, iv); code != 0 {
		t.Errorf("--poll-interval 2s: exit %d, stderr %q", code, stderr)
	}
}

// Finding 14: gosnowflake's log lines belong behind -v, as debug records
// on stderr.
func TestSnowflakeDriverLogsOnlyWithVerbose(t *testing.T) {
	var errOut bytes.Buffer
	f := &cmdutil.Factory{IO: cmdutil.Test(strings.NewReader(""), &bytes.Buffer{}, &errOut), Version: "test", Viper: viper.New()}
	if code := execute(context.Background(), f, NewRootCmd(f), []string{"version", "-v"}); code != 0 {
		t.Fatalf("version -v: exit %d: %s", code, errOut.String())
	}
	gosnowflake.GetLogger().Error("non-successful response from telemetry server: 403")
	if got := errOut.String(); !strings.Contains(got, "level=DEBUG") || !strings.Contains(got, "non-successful response from telemetry server") {
		t.Errorf("-v: stderr = %q", got)
	}
	if code, _, _ := runWith(t, []string{"version"}); code != 0 {
		t.Fatal("version failed")
	}
	if lvl := gosnowflake.GetLogger().GetLogLevel(); lvl != "OFF" {
		t.Errorf("without -v the driver log level is %q", lvl)
	}
}
