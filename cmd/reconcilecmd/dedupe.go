package reconcilecmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/reconcile"
)

func init() { subcommands = append(subcommands, newDedupeCmd) }

func newDedupeCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.DedupeInput
	var threshold float64
	cmd := &cobra.Command{
		Use:   "dedupe CONN.TABLE --column C [--threshold 90] [--scorer token_set]",
		Short: "Find clusters of likely duplicate names inside one column",
		Long: `Find likely duplicates among the distinct values of a column: every value is
normalised (as for match) and searched against the others over blocked
candidates; pairs scoring at least --threshold are linked and linked values
form clusters. Each cluster names its canonical value (the one most rows
hold), its members with their row counts and the scored links.`,
		Example: "  databridge reconcile dedupe erp.vendors --column name\n  databridge reconcile dedupe erp.vendors --column name --threshold 85 --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			in.Table = args[0]
			if in.Column == "" {
				return cmdutil.Usagef("--column is required")
			}
			if cmd.Flags().Changed("threshold") {
				in.Threshold = &threshold
			}
			r, err := svc.Reconcile.Dedupe(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(r)
			}
			printDedupe(f, r)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Column, "column", "", "the column of names")
	fl.StringVar(&in.Scorer, "scorer", "token_set", "ratio, partial, token_sort, token_set or weighted")
	fl.Float64Var(&threshold, "threshold", reconcile.DefaultDedupeThreshold, "the least score linking two values (0-100)")
	fl.BoolVar(&in.Raw, "raw", false, "score the values as they are, without normalisation")
	return cmd
}

func printDedupe(f *cmdutil.Factory, r *reconcile.DedupeResult) {
	out := f.IO.Out
	fmt.Fprintf(out, "%s %s.%s (%s ≥ %s)\n", f.IO.Bold("dedupe"), r.Table, r.Column, r.Scorer, scoreText(r.Threshold))
	fmt.Fprintf(out, "%d distinct values over %d rows: %d clusters, %d likely duplicates\n", r.Values, r.Rows, len(r.Clusters), r.Duplicates)
	for i, c := range r.Clusters {
		fmt.Fprintf(out, "\n%d. %s (%d values, weakest link %s)\n", i+1, f.IO.Bold(c.Canonical), len(c.Members), scoreText(c.MinScore))
		t := cmdutil.NewTable(f.IO, "VALUE", "ROWS")
		for _, m := range c.Members {
			t.Row(m.Value, m.Rows)
		}
		t.Render(out)
	}
	fmt.Fprintf(out, "\nrecorded as %s\n", r.ID)
}
