package reconcilecmd

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/reconcile"
)

func init() { subcommands = append(subcommands, newHistoryCmd, newShowCmd) }

func newHistoryCmd(f *cmdutil.Factory) *cobra.Command {
	var kind string
	var limit int
	cmd := &cobra.Command{
		Use:     "history [--kind K] [--limit N]",
		Short:   "List recorded reconciliation runs, newest first",
		Example: "  databridge reconcile history\n  databridge reconcile history --kind rows --limit 5 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			runs, err := svc.Reconcile.History(kind, limit)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(runs)
			}
			if len(runs) == 0 {
				fmt.Fprintln(f.IO.Out, "no reconciliation runs yet")
				return nil
			}
			t := cmdutil.NewTable(f.IO, "ID", "KIND", "AT", "LEFT", "RIGHT", "AGREE")
			for _, r := range runs {
				agree := ""
				if r.Agree != nil {
					agree = fmt.Sprint(*r.Agree)
				}
				t.Row(r.ID, r.Kind, r.At.Format("2006-01-02 15:04:05"), r.Left, r.Right, agree)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "only runs of this kind (rows, totals, match, dedupe, pair, profile, drift)")
	cmd.Flags().IntVar(&limit, "limit", 20, "at most this many runs (0: all)")
	return cmd
}

func newShowCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "show ID",
		Short:   "Show a recorded reconciliation run",
		Example: "  databridge reconcile show 20261203-071919-410-d5b0\n  databridge reconcile show 20261203-071919-410-d5b0 --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			run, err := svc.Reconcile.Show(args[0])
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(run)
			}
			fmt.Fprintf(f.IO.Out, "run %s: %s, %s\n", run.ID, run.Kind, run.At.Format("2006-01-02 15:04:05 MST"))
			switch run.Kind {
			case "rows":
				var r reconcile.RowsResult
				if err := json.Unmarshal(run.Result, &r); err == nil {
					r.RunID = run.ID
					PrintRows(f, &r)
					return nil
				}
			case "totals":
				var r reconcile.TotalsResult
				if err := json.Unmarshal(run.Result, &r); err == nil {
					r.RunID = run.ID
					PrintTotals(f, &r)
					return nil
				}
			}
			var v any
			if err := json.Unmarshal(run.Result, &v); err != nil {
				return err
			}
			return f.PrintJSON(v)
		},
	}
}
