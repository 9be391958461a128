package connection

import (
	"fmt"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/cmd/cmdutil"
)

func newShowCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "show NAME",
		Short:             "Show one connection's settings (secrets as their ${ENV} references)",
		Example:           "  databridge connection show erp\n  databridge connection show erp --json",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeConnections(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Connections()
			if err != nil {
				return err
			}
			info, err := svc.Show(args[0])
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(info)
			}
			fmt.Fprintf(f.IO.Out, "%s  %s", f.IO.Bold(info.Name), info.Type)
			if info.Default {
				fmt.Fprint(f.IO.Out, "  (default target)")
			}
			fmt.Fprintln(f.IO.Out)
			b, err := yaml.Marshal(info.Config)
			if err != nil {
				return err
			}
			fmt.Fprint(f.IO.Out, string(b))
			return nil
		},
	}
}

// completeConnections completes connection names from the project.
func completeConnections(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		svc, err := f.Connections()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var names []string
		for _, c := range svc.List().Connections {
			names = append(names, c.Name)
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
}
