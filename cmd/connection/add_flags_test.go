package connection

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/spf13/viper"

	"github.com/databridge/databridge/cmd/cmdutil"
)

func parseAdd(t *testing.T, args ...string) (*AddOptions, error) {
	t.Helper()
	f := &cmdutil.Factory{IO: cmdutil.Test(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}), Viper: viper.New()}
	var got *AddOptions
	cmd := newAddCmd(f, func(o *AddOptions) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	return got, cmd.Execute()
}

// The *-env flags become ${ENV} references and --option pairs become
// options; nothing is saved (runF stands in for the run).
func TestAddFlags(t *testing.T) {
	o, err := parseAdd(t, "erp", "--type", "postgres", "--host", "db", "--user", "fpa", "--password-env", "ERP_PASSWORD",
		"--option", "sslmode=require", "--option", "application_name=x=y", "--read-only", "--default")
	if err != nil {
		t.Fatal(err)
	}
	c := o.Config
	if o.Name != "erp" || c.Type != "postgres" || c.Host != "db" || c.User != "fpa" || c.Password != "${ERP_PASSWORD}" || !c.ReadOnly || !o.Default {
		t.Fatalf("options = %+v", o)
	}
	if c.Options["sslmode"] != "require" || c.Options["application_name"] != "x=y" {
		t.Fatalf("options map = %v", c.Options)
	}
	o, err = parseAdd(t, "sf", "--type", "snowflake", "--token-env", "${SF_TOKEN}", "--private-key-passphrase-env", "KEY_PW")
	if err != nil {
		t.Fatal(err)
	}
	if o.Config.Token != "${SF_TOKEN}" || o.Config.PrivateKeyPassphrase != "${KEY_PW}" {
		t.Fatalf("env references = %q, %q", o.Config.Token, o.Config.PrivateKeyPassphrase)
	}
}

func TestAddFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"x"}, // no --type
		{"x", "--type", "postgres", "--option", "novalue"}, // not KEY=VALUE
		{"x", "--type", "postgres", "--option", "=v"},
		{"x", "--type", "postgres", "--password", "${A}", "--password-env", "B"}, // both
		{"x", "--type", "postgres", "--password-env", "NOT-A-NAME"},
	} {
		o, err := parseAdd(t, args...)
		var ue *cmdutil.UsageError
		if !errors.As(err, &ue) || o != nil {
			t.Errorf("%v: err = %v (options %v), want a usage error before running", args, err, o)
		}
	}
}
