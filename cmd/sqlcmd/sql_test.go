package sqlcmd

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/spf13/viper"

	"github.com/databridge/databridge/cmd/cmdutil"
)

// parse runs `sql ARGS` with runF capturing the options instead of
// running the statement.
func parse(t *testing.T, stdin string, json bool, args ...string) (*Options, error) {
	t.Helper()
	v := viper.New()
	v.Set(cmdutil.KeyJSON, json)
	f := &cmdutil.Factory{IO: cmdutil.Test(strings.NewReader(stdin), &bytes.Buffer{}, &bytes.Buffer{}), Viper: v}
	var got *Options
	cmd := NewCmd(f, func(o *Options) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	err := cmd.Execute()
	return got, err
}

func TestFlags(t *testing.T) {
	o, err := parse(t, "", false, "SELECT 1", "-c", "src", "--max-rows", "5", "--timeout", "9", "--format", "csv", "--write")
	if err != nil {
		t.Fatal(err)
	}
	want := Options{SQL: "SELECT 1", Connection: "src", MaxRows: 5, TimeoutSeconds: 9, Format: "csv", Write: true}
	if *o != want {
		t.Fatalf("options = %+v, want %+v", *o, want)
	}
	// "-" reads the statement from stdin; --json forces the JSON format.
	o, err = parse(t, "SELECT 42 AS answer\n", true, "-")
	if err != nil {
		t.Fatal(err)
	}
	if o.SQL != "SELECT 42 AS answer\n" || o.Format != "json" || o.MaxRows != 1000 || o.Write {
		t.Fatalf("options from stdin = %+v", *o)
	}
}

func TestFlagErrorsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"SELECT 1", "--format", "xml"},
		{"SELECT 1", "--max-rows", "0"},
	} {
		o, err := parse(t, "", false, args...)
		var ue *cmdutil.UsageError
		if !errors.As(err, &ue) || o != nil {
			t.Errorf("%v: err = %v (options %v), want a usage error before running", args, err, o)
		}
	}
}
