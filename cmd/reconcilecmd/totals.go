package reconcilecmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/reconcile"
)

func init() { subcommands = append(subcommands, newTotalsCmd) }

func newTotalsCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.TotalsInput
	cmd := &cobra.Command{
		Use:   "totals LEFT RIGHT --measure COL[,COL] [--by COLS]",
		Short: "Tie out the sums of measures per group on two tables",
		Long: `Tie out two tables before any row-level diff: per group (period, account,
entity…) the sums of the measures on both sides, computed in each engine as
exact decimals, their difference, and the groups found on one side only.
LEFT and RIGHT are CONNECTION.TABLE or CONNECTION.SCHEMA.TABLE, on one
connection or two. Without --by, the grand totals. Exit code 3 when a group
differs beyond the tolerance or is on one side only.`,
		Example: `  databridge reconcile totals erp.gl_lines sub.ap_lines --by period,account --measure amount
  databridge reconcile totals a.t b.t --measure debit,credit --tolerance debit=abs:0.01 --json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(in.Measures) == 0 {
				return cmdutil.Usagef("--measure is required: the columns to sum")
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			in.Left, in.Right = args[0], args[1]
			r, err := svc.Reconcile.Totals(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				if err := f.PrintJSON(r); err != nil {
					return err
				}
			} else {
				PrintTotals(f, r)
			}
			if !r.Agree {
				return &cmdutil.ChecksFailedError{Msg: "the totals do not tie out"}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&in.By, "by", nil, "grouping columns (comma-separated)")
	fl.StringSliceVar(&in.Measures, "measure", nil, "columns to sum (comma-separated)")
	fl.StringArrayVar(&in.Tolerance, "tolerance", nil, "MEASURE=abs:0.01 or MEASURE=rel:1e-6 (repeatable)")
	fl.StringVar(&in.Where, "where", "", "filter applied to both sides (a filter expression, never SQL)")
	fl.StringSliceVar(&in.Trim, "trim", nil, "text grouping columns compared without leading/trailing spaces")
	fl.StringSliceVar(&in.IgnoreCase, "ignore-case", nil, "text grouping columns compared case-insensitively")
	return cmd
}

// PrintTotals renders a totals reconciliation: the verdict, grand totals,
// then the groups (differing first).
func PrintTotals(f *cmdutil.Factory, r *reconcile.TotalsResult) {
	out := f.IO.Out
	s := r.Summary
	mark, verdict := f.IO.SuccessIcon(), "tie out"
	if !r.Agree {
		mark, verdict = f.IO.FailIcon(), "do not tie out"
	}
	by := "grand total"
	if len(r.By) > 0 {
		by = "by " + strings.Join(r.By, ", ")
	}
	fmt.Fprintf(out, "%s %s and %s %s (%s)\n", mark, r.Left, r.Right, verdict, by)
	fmt.Fprintf(out, "  groups: %d; equal %d, different %d, only left %d, only right %d; rows %d left, %d right\n\n",
		s.Groups, s.Equal, s.Different, s.OnlyLeft, s.OnlyRight, s.LeftRows, s.RightRows)
	header := append(upper(r.By), "STATUS")
	for _, m := range r.Measures {
		u := strings.ToUpper(m)
		header = append(header, u+" LEFT", u+" RIGHT", u+" DIFF")
	}
	t := cmdutil.NewTable(f.IO, header...)
	for _, g := range r.Groups {
		row := []any{}
		for _, b := range r.By {
			row = append(row, g.Key[b])
		}
		row = append(row, g.Status)
		for _, m := range g.Measures {
			row = append(row, dec(m.Left), dec(m.Right), dec(m.Difference))
		}
		t.Row(row...)
	}
	t.Render(out)
	fmt.Fprintln(out)
	for _, m := range r.Totals {
		fmt.Fprintf(out, "total %s: left %s, right %s, difference %s\n", m.Name, dec(m.Left), dec(m.Right), dec(m.Difference))
	}
	fmt.Fprintf(out, "run %s\n", r.RunID)
}

func dec(x *string) string {
	if x == nil {
		return ""
	}
	return *x
}
