// Package version implements `databridge version`.
package version

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/connector"
)

// Info is the build information.
type Info struct {
	Version string   `json:"version"`
	Commit  string   `json:"commit"`
	Date    string   `json:"date"`
	Go      string   `json:"go"`
	OS      string   `json:"os"`
	Arch    string   `json:"arch"`
	Engines []string `json:"engines"`
}

// NewCmd builds `databridge version`.
func NewCmd(f *cmdutil.Factory, info Info) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the databridge version and the engines it supports",
		Example: "  databridge version\n  databridge version --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			info.Go = runtime.Version()
			info.OS = runtime.GOOS
			info.Arch = runtime.GOARCH
			info.Engines = connector.Types()
			if f.JSON() {
				return f.PrintJSON(info)
			}
			fmt.Fprintf(f.IO.Out, "databridge %s (commit %s, built %s, %s %s/%s)\n", info.Version, info.Commit, info.Date, info.Go, info.OS, info.Arch)
			fmt.Fprintf(f.IO.Out, "engines: %v\n", info.Engines)
			return nil
		},
	}
}
