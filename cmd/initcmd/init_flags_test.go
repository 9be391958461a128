package initcmd

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/viper"

	"github.com/databridge/databridge/cmd/cmdutil"
)

// The folder comes from the argument, else --project-dir, else "."; runF
// stands in for the run, so nothing is created.
func TestInitFlags(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		projectDir string
		want       Options
	}{
		{nil, "", Options{Dir: "."}},
		{[]string{"fin", "--name", "Acme FP&A"}, "", Options{Dir: "fin", Name: "Acme FP&A"}},
		{nil, "/tmp/elsewhere", Options{Dir: "/tmp/elsewhere"}},
		{[]string{"here"}, "/tmp/elsewhere", Options{Dir: "here"}},
	} {
		v := viper.New()
		v.Set(cmdutil.KeyProjectDir, tc.projectDir)
		f := &cmdutil.Factory{IO: cmdutil.Test(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}), Viper: v}
		var got *Options
		cmd := NewCmd(f, func(o *Options) error { got = o; return nil })
		cmd.SetArgs(tc.args)
		cmd.SetOut(&bytes.Buffer{})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if got == nil || *got != tc.want {
			t.Errorf("%v (project-dir %q): options = %+v, want %+v", tc.args, tc.projectDir, got, tc.want)
		}
	}
}
