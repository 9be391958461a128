package reconcilecmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/reconcile"
)

func init() { subcommands = append(subcommands, newDriftCmd) }

func newDriftCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.DriftInput
	th := reconcile.DefaultDriftThresholds
	cmd := &cobra.Command{
		Use:   "drift CONN.TABLE --against NAME|CONN.TABLE",
		Short: "Detect schema, volume, null-rate, distinct and distribution drift against a saved profile or another table",
		Long: `Compare a table now with a saved profile (reconcile profile --save NAME) or
another table: columns added, removed or retyped; the row count's change;
per column the change of the null rate, of the distinct count (categorical
columns), and of the distribution — population stability index (PSI) over
the most frequent values, Kolmogorov–Smirnov D between numeric sketches.
Exit 3 when the schema changed or a measure is past its threshold.`,
		Example: "  databridge reconcile drift erp.gl_lines --against gl_2026_11\n" +
			"  databridge reconcile drift wh.gl_lines --against erp.gl_lines --psi 0.1 --ks 0.05 --json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			in.Table = args[0]
			if in.Against == "" {
				return cmdutil.Usagef("--against NAME|CONN.TABLE is required")
			}
			in.Thresholds = &th
			r, err := svc.Reconcile.Drift(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				if err := f.PrintJSON(r); err != nil {
					return err
				}
			} else {
				printDrift(f, r)
			}
			if r.Drifted {
				return &cmdutil.ChecksFailedError{Msg: fmt.Sprintf("%s drifted from %s", r.Table, r.Against)}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Against, "against", "", "a saved profile's name or a dataset CONN.TABLE")
	fl.Float64Var(&th.Volume, "volume", th.Volume, "largest relative change of the row count")
	fl.Float64Var(&th.NullRate, "null-rate", th.NullRate, "largest change of a column's null share")
	fl.Float64Var(&th.Distinct, "distinct", th.Distinct, "largest relative change of a categorical column's distinct count")
	fl.Float64Var(&th.PSI, "psi", th.PSI, "largest population stability index of a categorical column")
	fl.Float64Var(&th.KS, "ks", th.KS, "largest Kolmogorov-Smirnov D of a numeric column")
	return cmd
}

func printDrift(f *cmdutil.Factory, r *reconcile.DriftResult) {
	out := f.IO.Out
	mark := f.IO.SuccessIcon()
	verdict := "no drift"
	if r.Drifted {
		mark, verdict = f.IO.FailIcon(), fmt.Sprintf("drifted (%d reasons)", len(r.Reasons))
	}
	fmt.Fprintf(out, "%s %s %s against %s: %s\n", mark, f.IO.Bold("drift"), r.Table, r.Against, verdict)
	for _, reason := range r.Reasons {
		fmt.Fprintf(out, "  %s\n", reason)
	}
	fmt.Fprintln(out)
	t := cmdutil.NewTable(f.IO, "COLUMN", "MEASURE", "BEFORE", "AFTER", "VALUE", "LIMIT", "")
	for _, m := range r.Measures {
		flag := ""
		if m.Drifted {
			flag = "drift"
		}
		col := m.Column
		if col == "" {
			col = "(rows)"
		}
		t.Row(col, m.Measure, num(m.Before), num(m.After), num(m.Value), num(m.Threshold), flag)
	}
	t.Render(out)
	fmt.Fprintf(out, "\nrecorded as %s\n", r.ID)
}
