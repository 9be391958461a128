package reconcilecmd

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/reconcile"
)

func init() { subcommands = append(subcommands, newHistoryCmd, newShowCmd, newDetailsCmd) }

func newDetailsCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.DetailsInput
	cmd := &cobra.Command{
		Use:   "details [ID|latest] --kind only_left|only_right|changed",
		Short: "Page through the differences a row reconciliation recorded",
		Long: `Page through the differences of a recorded row reconciliation: only_left or
only_right (keys on one side only, with their values) or changed (keys whose
values differ, each differing column with both values). Up to 10,000 of each
kind are kept per run. Without ID, the newest row reconciliation.`,
		Example: "  databridge reconcile details --kind changed\n  databridge reconcile details 20261203-071919-410-d5b0 --kind only_left --offset 50 --limit 50 --json",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if in.Kind == "" {
				return cmdutil.Usagef("--kind is required: only_left, only_right or changed")
			}
			if len(args) == 1 {
				in.ID = args[0]
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Reconcile.Details(in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(r)
			}
			fmt.Fprintf(f.IO.Out, "run %s: %s %d–%d of %d (%d recorded)\n", r.ID, r.Kind, r.Offset+1, r.Offset+len(r.Rows)+len(r.Changed), r.Total, r.Recorded)
			for _, row := range r.Rows {
				fmt.Fprintf(f.IO.Out, "  %s  %s\n", kv(row.Key), kv(row.Values))
			}
			for _, c := range r.Changed {
				for _, v := range c.Columns {
					fmt.Fprintf(f.IO.Out, "  %s  %s: %s → %s\n", kv(c.Key), v.Name, cmdutil.Cell(v.Left), cmdutil.Cell(v.Right))
				}
			}
			if r.NextOffset != nil {
				fmt.Fprintf(f.IO.Out, "more: --offset %d\n", *r.NextOffset)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Kind, "kind", "", "only_left, only_right or changed")
	cmd.Flags().IntVar(&in.Offset, "offset", 0, "differences to skip")
	cmd.Flags().IntVar(&in.Limit, "limit", 50, "differences to show (at most 1000)")
	return cmd
}

func kv(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + cmdutil.Cell(m[k])
	}
	return strings.Join(parts, " ")
}

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
