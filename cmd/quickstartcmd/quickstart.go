// Package quickstartcmd implements `databridge quickstart`.
package quickstartcmd

import (
	"fmt"

	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/cmd/querycmd"
	"github.com/databridge/databridge/pkg/quickstart"
)

// NewCmd builds `databridge quickstart [DIR]`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "quickstart [DIR]",
		Short: "From example finance files to a deployed, validated warehouse and a P&L by fiscal year, in seconds",
		Long: `The main job on the embedded default, end to end, in DIR (default
./databridge-quickstart): create a project, lay out the example finance ERP
files, analyse them, approve the model, build a P&L from the standard
template, generate the warehouse, deploy it to .databridge/warehouse.duckdb
(validated, in one transaction), run the checks, and print the P&L by
fiscal year. Each step says what it does; the commands to try next follow.`,
		Example: "  databridge quickstart\n  databridge quickstart ~/finance-dw --json",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "databridge-quickstart"
			if len(args) == 1 {
				dir = args[0]
			}
			opts := quickstart.Options{Dir: dir, Version: f.Version}
			n := 0
			if !f.JSON() {
				opts.Progress = func(s quickstart.Step) {
					n++
					fmt.Fprintf(f.IO.Out, "%s %d. %s (%d ms)\n     %s\n", f.IO.SuccessIcon(), n, f.IO.Bold(s.Name), s.ElapsedMS, f.IO.Muted(s.Explain))
					if s.Detail != "" {
						fmt.Fprintf(f.IO.Out, "     → %s\n", s.Detail)
					}
				}
			}
			res, err := quickstart.Run(cmd.Context(), opts)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(res)
			}
			out := f.IO.Out
			fmt.Fprintf(out, "\nchecks: %s\n\n", res.Validation.Summary())
			fmt.Fprintf(out, "%s (amounts as posted, not converted to USD; presentation signs)\n", f.IO.Bold("P&L by fiscal year"))
			hdr := append([]string{"LINE"}, res.Periods...)
			t := cmdutil.NewTable(f.IO, hdr...)
			for _, l := range res.Statement {
				row := []any{strings.Repeat("  ", l.Depth) + l.Name}
				for _, v := range l.Values {
					if v == nil {
						row = append(row, "")
						continue
					}
					row = append(row, money(v.Decimal()))
				}
				t.Row(row...)
			}
			t.Render(out)
			for _, a := range res.Answers {
				fmt.Fprintf(out, "\n%s\n", f.IO.Bold(fmt.Sprintf("$ databridge query %q", a.Question)))
				querycmd.Print(f, a, false, false)
			}
			fmt.Fprintf(out, "\ndone in %.1f s. The source files are in %s/data/finance_erp; the warehouse is %s/.databridge/warehouse.duckdb.\nNext:\n", float64(res.WallMS)/1000, res.Dir, res.Dir)
			for _, n := range res.Next {
				fmt.Fprintf(out, "  %s\n", n)
			}
			return nil
		},
	}
	return cmd
}

// money renders an exact amount with thousands separators and no
// decimals (rounded half away from zero), or one decimal for small
// values such as percentages.
func money(v decimal.Decimal) string {
	if v.Abs().LessThan(decimal.NewFromInt(1000)) && !v.IsInteger() {
		return v.StringFixed(1)
	}
	s := v.Round(0).StringFixed(0)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
