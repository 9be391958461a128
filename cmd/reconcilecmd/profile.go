package reconcilecmd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/reconcile"
)

func init() { subcommands = append(subcommands, newProfileCmd) }

func newProfileCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.ProfileInput
	cmd := &cobra.Command{
		Use:   "profile CONN.TABLE [--save NAME]",
		Short: "Profile a table in its engine: rows, nulls, distinct, min/max, mean, quantiles, top values, patterns",
		Long: `Profile a table where it lives (statistics pushed down as SQL): rows, and per
column nulls, distinct values, min/max, text lengths, the value pattern and
class, the 20 most frequent values and, for numbers, the mean, quantiles and
a 100-tile sketch of the distribution. --save NAME keeps it under
.databridge/reconcile/profiles/NAME.json for ` + "`reconcile drift --against NAME`" + `.`,
		Example: "  databridge reconcile profile erp.gl_lines\n  databridge reconcile profile erp.gl_lines --save gl_2026_11 --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			in.Table = args[0]
			p, err := svc.Reconcile.Profile(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(p)
			}
			printProfile(f, p)
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Save, "save", "", "save the profile under this name")
	return cmd
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', 6, 64) }

func printProfile(f *cmdutil.Factory, p *reconcile.Profile) {
	out := f.IO.Out
	fmt.Fprintf(out, "%s %s: %d rows", f.IO.Bold("profile"), p.Table, p.Rows)
	if p.Sampled > 0 {
		fmt.Fprintf(out, " (statistics on a sample of %d)", p.Sampled)
	}
	fmt.Fprintln(out)
	t := cmdutil.NewTable(f.IO, "COLUMN", "TYPE", "NULLS", "DISTINCT", "MIN", "MAX", "MEAN", "MEDIAN", "CLASS", "TOP")
	for _, c := range p.Columns {
		mean, median := "", ""
		if c.Mean != nil {
			mean = num(*c.Mean)
		}
		for _, q := range c.Quantiles {
			if q.P == 0.5 {
				median = num(q.Value)
			}
		}
		var top []string
		for i, v := range c.Top {
			if i == 3 {
				break
			}
			top = append(top, fmt.Sprintf("%s (%d)", v.Value, v.Count))
		}
		t.Row(c.Name, c.Type, c.Nulls, c.Distinct, c.Min, c.Max, mean, median, c.Class, strings.Join(top, ", "))
	}
	t.Render(out)
	if p.Saved != "" {
		fmt.Fprintf(out, "\nsaved as %s (%s)\n", p.Saved, p.SavedPath)
	}
	fmt.Fprintf(out, "recorded as %s\n", p.ID)
}
