package connection

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
)

func newTestCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "test [NAME]",
		Short: "Connect to a connection (default: the default target) and run SELECT 1",
		Long: `Connect, authenticate and run SELECT 1. Exits 0 when the connection works and
3 when it does not (the error names the connection, never its password).`,
		Example:           "  databridge connection test erp\n  databridge connection test --json",
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeConnections(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Connections()
			if err != nil {
				return err
			}
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			res, err := svc.Test(cmd.Context(), name)
			if err != nil {
				return err
			}
			if f.JSON() {
				if err := f.PrintJSON(res); err != nil {
					return err
				}
			} else if res.OK {
				fmt.Fprintf(f.IO.Out, "%s connection %s (%s) works (%d ms)\n", f.IO.SuccessIcon(), f.IO.Bold(res.Name), res.Type, res.LatencyMS)
			} else {
				fmt.Fprintf(f.IO.Out, "%s %s\n", f.IO.FailIcon(), res.Error)
			}
			if !res.OK {
				return &cmdutil.ChecksFailedError{}
			}
			return nil
		},
	}
}
