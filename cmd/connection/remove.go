package connection

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
)

func newRemoveCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "remove NAME",
		Aliases:           []string{"rm"},
		Short:             "Remove a connection from config.yaml (its data is not touched)",
		Example:           "  databridge connection remove old_erp",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeConnections(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Connections()
			if err != nil {
				return err
			}
			if err := svc.Remove(cmd.Context(), args[0]); err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(map[string]any{"removed": args[0]})
			}
			fmt.Fprintf(f.IO.Out, "%s removed connection %s\n", f.IO.SuccessIcon(), args[0])
			return nil
		},
	}
}
