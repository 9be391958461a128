// Package initcmd implements `databridge init`.
package initcmd

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/project"
)

// Options are the parsed flags and arguments of init.
type Options struct {
	Dir  string
	Name string
}

// NewCmd builds `databridge init [DIR]`. runF replaces the run function in
// tests that only check flag parsing.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a databridge project (.databridge/) in DIR or the current folder",
		Long: `Create .databridge/ with config.yaml (project name, schema_version, the
default target "local" = embedded DuckDB at .databridge/warehouse.duckdb),
the hierarchies/, models/ and state/ folders, and a .gitignore for the
warehouse file and machine state.

Re-running init never overwrites anything: existing files are kept and
reported.`,
		Example: `  databridge init
  databridge init finance-dw --name "Acme FP&A"
  databridge init --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = "."
			if len(args) == 1 {
				opts.Dir = args[0]
			} else if d := f.Viper.GetString(cmdutil.KeyProjectDir); d != "" {
				opts.Dir = d
			}
			if runF != nil {
				return runF(opts)
			}
			return run(f, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Name, "name", "", "project name (default: the folder name)")
	return cmd
}

func run(f *cmdutil.Factory, opts *Options) error {
	res, err := project.Init(opts.Dir, opts.Name)
	if err != nil {
		return err
	}
	if f.JSON() {
		return f.PrintJSON(res)
	}
	out := f.IO.Out
	if len(res.Created) == 0 {
		fmt.Fprintf(out, "%s project %q already initialised in %s (nothing changed)\n", f.IO.SuccessIcon(), res.Name, res.Dir)
		return nil
	}
	fmt.Fprintf(out, "%s initialised project %q in %s\n", f.IO.SuccessIcon(), res.Name, res.Dir)
	for _, c := range res.Created {
		fmt.Fprintf(out, "  created %s\n", c)
	}
	for _, c := range res.Existed {
		fmt.Fprintf(out, "  kept    %s\n", c)
	}
	rel := opts.Dir
	if abs, err := filepath.Abs(opts.Dir); err == nil {
		if wd, err := os.Getwd(); err == nil && abs == wd {
			rel = ""
		}
	}
	if !f.IO.Quiet() {
		fmt.Fprintln(out, "\nNext:")
		if rel != "" {
			fmt.Fprintf(out, "  cd %s\n", rel)
		}
		fmt.Fprintln(out, "  databridge connection add src --type files --path data/")
		fmt.Fprintln(out, "  databridge catalog tables --connection src")
	}
	return nil
}
