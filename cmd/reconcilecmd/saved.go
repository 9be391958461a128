package reconcilecmd

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/fpa"
	"github.com/databridge/databridge/pkg/reconcile"
)

func init() {
	subcommands = append(subcommands, newSaveCmd, newListCmd, newRunCmd, newItemsCmd, newItemCmd)
}

func newSaveCmd(f *cmdutil.Factory) *cobra.Command {
	var def reconcile.Definition
	var rows reconcile.RowsInput
	var totals reconcile.TotalsInput
	var replace bool
	cmd := &cobra.Command{
		Use:   "save NAME rows|totals LEFT RIGHT [--key COLS | --measure COLS --by COLS] [--period-column COL]",
		Short: "Save a rows or totals reconciliation under a name, to run it every period",
		Long: `Keep a reconciliation as a definition (.databridge/reconcile/definitions/NAME.yaml,
committed with the project). ` + "`reconcile run NAME --period YYYY-MM`" + ` runs it on the
period (the --period-column's month: its name with --period-type text, its
days with --period-type date), records the run and turns each difference into
an item to explain, accept or carry forward (` + "`reconcile items`, `reconcile item`" + `).
The monthly close re-runs the saved reconciliations of its period.`,
		Example: `  databridge reconcile save gl-vs-sub totals erp.gl_lines sub.ledger --by account --measure amount --period-column period_id
  databridge reconcile save bank rows bank.statement erp.payments --key ref --tolerance amount=abs:0.01 --period-column value_date --period-type date`,
		Args: cobra.ExactArgs(4),
		RunE: func(cmd *cobra.Command, args []string) error {
			def.Name, def.Kind = args[0], strings.ToLower(args[1])
			switch def.Kind {
			case "rows":
				rows.Left, rows.Right = args[2], args[3]
				def.Rows = &rows
			case "totals":
				totals.Left, totals.Right = args[2], args[3]
				totals.Where, totals.Tolerance, totals.Trim, totals.IgnoreCase = rows.Where, rows.Tolerance, rows.Trim, rows.IgnoreCase
				def.Totals = &totals
			default:
				return cmdutil.Usagef("the kind is rows or totals, not %q", args[1])
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			d, err := svc.Reconcile.Save(reconcile.SaveInput{Definition: def, Replace: replace})
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(d)
			}
			fmt.Fprintf(f.IO.Out, "%s saved %s reconciliation %s (.databridge/%s/%s.yaml)\n", f.IO.SuccessIcon(), d.Kind, d.Name, reconcile.DefinitionsDir, d.Name)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&rows.Key, "key", nil, "rows: the key columns")
	fl.StringSliceVar(&rows.Columns, "columns", nil, "rows: the columns compared (default: all common)")
	fl.StringSliceVar(&totals.By, "by", nil, "totals: the grouping columns")
	fl.StringSliceVar(&totals.Measures, "measure", nil, "totals: the columns summed")
	fl.StringArrayVar(&rows.Tolerance, "tolerance", nil, "COL=abs:0.01 or COL=rel:1e-6 (repeatable)")
	fl.StringSliceVar(&rows.IgnoreCase, "ignore-case", nil, "text columns compared case-insensitively")
	fl.StringSliceVar(&rows.Trim, "trim", nil, "text columns compared without leading/trailing spaces")
	fl.StringVar(&rows.Where, "where", "", "a filter applied to both sides on every run (never SQL)")
	fl.StringVar(&def.PeriodColumn, "period-column", "", "the column a run's --period filters on")
	fl.StringVar(&def.PeriodType, "period-type", "", "text (the column holds YYYY-MM, default) or date (a date column: the month's days)")
	fl.StringVar(&def.Description, "description", "", "what this reconciliation proves")
	fl.BoolVar(&replace, "replace", false, "replace a saved reconciliation of that name")
	return cmd
}

func newListCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the saved reconciliations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			l, err := svc.Reconcile.Definitions()
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(l)
			}
			if len(l.Definitions) == 0 {
				fmt.Fprintln(f.IO.Out, "no saved reconciliation: databridge reconcile save NAME rows|totals LEFT RIGHT …")
				return nil
			}
			t := cmdutil.NewTable(f.IO, "NAME", "KIND", "LEFT", "RIGHT", "PERIOD COLUMN")
			for _, d := range l.Definitions {
				left, right := "", ""
				if d.Rows != nil {
					left, right = d.Rows.Left, d.Rows.Right
				} else if d.Totals != nil {
					left, right = d.Totals.Left, d.Totals.Right
				}
				t.Row(d.Name, d.Kind, left, right, d.PeriodColumn)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
}

func newRunCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.RunSavedInput
	cmd := &cobra.Command{
		Use:   "run NAME [--period YYYY-MM]",
		Short: "Run a saved reconciliation (for a period) and update its items",
		Long: `Run a saved reconciliation, record the run, and turn its differences into
items: new differences are open, earlier ones keep their decision (unless
they changed), and open items this run no longer finds are cleared. Exit 3
while items stay open.`,
		Example: "  databridge reconcile run gl-vs-sub --period 2025-09",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Name = args[0]
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Reconcile.RunSaved(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				if err := f.PrintJSON(r); err != nil {
					return err
				}
			} else {
				if r.Rows != nil {
					PrintRows(f, r.Rows)
				}
				if r.Totals != nil {
					PrintTotals(f, r.Totals)
				}
				fmt.Fprintf(f.IO.Out, "\nitems: %d new, %d cleared, %d open\n", r.New, r.Cleared, r.Open)
				printItems(f, r.Items)
			}
			if r.Open > 0 {
				return &cmdutil.ChecksFailedError{Msg: fmt.Sprintf("%d item(s) open: explain, accept or carry them (databridge reconcile item)", r.Open)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Period, "period", "", "the period (YYYY-MM) on the definition's period column")
	return cmd
}

func printItems(f *cmdutil.Factory, items []reconcile.Item) {
	if len(items) == 0 {
		return
	}
	t := cmdutil.NewTable(f.IO, "ID", "PERIOD", "KIND", "KEY", "STATUS", "NOTE")
	for _, it := range items {
		k, _ := json.Marshal(it.Key)
		t.Row(it.ID, it.Period, it.Kind, string(k), it.Status, it.Note)
	}
	t.Render(f.IO.Out)
}

func newItemsCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.ItemsInput
	cmd := &cobra.Command{
		Use:     "items NAME [--period YYYY-MM] [--status S | --all]",
		Short:   "List a saved reconciliation's open items (or all)",
		Example: "  databridge reconcile items gl-vs-sub --period 2025-09\n  databridge reconcile items gl-vs-sub --all --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Name = args[0]
			svc, err := f.Services()
			if err != nil {
				return err
			}
			l, err := svc.Reconcile.Items(in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(l)
			}
			if len(l.Items) == 0 {
				fmt.Fprintln(f.IO.Out, "no item")
				return nil
			}
			printItems(f, l.Items)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Period, "period", "", "only the items of this period (and those carried into it)")
	fl.StringVar(&in.Status, "status", "", "only items in this state: open, explained, accepted, carried, cleared")
	fl.BoolVar(&in.All, "all", false, "every item, whatever its state")
	return cmd
}

func newItemCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.DecideInput
	cmd := &cobra.Command{
		Use:   "item NAME ID explain|accept|carry|reopen --note \"…\"",
		Short: "Decide on an item: explain it, accept it, carry it to the next period, or reopen it",
		Long: `Record a decision on a difference, with a note and who decided (the OS user or
$DATABRIDGE_USER): explain (a reason that resolves it), accept (the
difference stands, with a note), carry (expected again next period: it
does not block this period and reappears, marked carried, when next
period's run finds it), reopen.`,
		Example: `  databridge reconcile item gl-vs-sub 3f2a9c01d4e5 explain --note "posted on 1 Oct, timing"`,
		Args:    cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Name, in.ID, in.Action = args[0], args[1], strings.ToLower(args[2])
			in.By = fpa.CurrentUser()
			svc, err := f.Services()
			if err != nil {
				return err
			}
			it, err := svc.Reconcile.Decide(in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(it)
			}
			fmt.Fprintf(f.IO.Out, "%s item %s is %s (%s, by %s)\n", f.IO.SuccessIcon(), it.ID, it.Status, it.Note, it.By)
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Note, "note", "", "why (required, except for reopen)")
	return cmd
}
