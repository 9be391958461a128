// Package reconcilecmd implements `databridge reconcile`: prove that two
// datasets agree (rows on a key, totals per group, names across systems,
// items without a shared key), profile a table and detect its drift. Each
// subcommand lives in its own file and adds itself to subcommands from
// init.
package reconcilecmd

import (
	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
)

// subcommands are the constructors of the group's subcommands; each file
// appends its own from init.
var subcommands []func(f *cmdutil.Factory) *cobra.Command

// NewCmd builds `databridge reconcile`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Prove two datasets agree: rows, totals, names, drift — inside the engines",
		Long: `Reconcile two datasets where they live: row by row on a key (one pushed-down
join on the same engine; segment checksums across engines, no full copy),
totals per group, names across systems by fuzzy matching, items without a
shared key (amount and date windows), and a table's profile and drift.
Every run is recorded under .databridge/state/reconciliations/. Exit 3
when the datasets do not agree.`,
	}
	for _, sub := range subcommands {
		cmd.AddCommand(sub(f))
	}
	return cmd
}
