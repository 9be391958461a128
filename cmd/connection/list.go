package connection

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
)

func newListCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the project's connections",
		Example: "  databridge connection list\n  databridge connection list --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Connections()
			if err != nil {
				return err
			}
			res := svc.List()
			if f.JSON() {
				return f.PrintJSON(res)
			}
			t := cmdutil.NewTable(f.IO, "NAME", "TYPE", "TARGET", "DEFAULT")
			for _, c := range res.Connections {
				def := ""
				if c.Default {
					def = "*"
				}
				t.Row(c.Name, c.Type, c.Target, def)
			}
			t.Render(f.IO.Out)
			if t.Len() == 0 {
				fmt.Fprintln(f.IO.ErrOut, "no connections; add one with `databridge connection add`")
			}
			return nil
		},
	}
}
