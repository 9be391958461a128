package hierarchy

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/hierarchy"
)

func newFormulaCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "formula",
		Short: "Set, list and explain formula lines",
		Long: `Formulas are expressions over node codes: + - * /, parentheses, numbers,
ABS(x), ROUND(x, places), MIN(a, b, ...), MAX(a, b, ...). Codes that are not
plain identifiers go in brackets: [4000], [COGS-FREIGHT]. Formulas may use
other formulas; they are evaluated in dependency order. Unknown codes,
self-references, references to the node's own ancestors (a total that
includes the line) and cycles through other formulas or totals are refused,
here and by 'node add', 'node move' and 'import'.`,
		Example: `  databridge hierarchy formula set acme_pl GP "REV - COGS"
  databridge hierarchy formula set acme_pl GM_PCT "ROUND(GP / REV * 100, 1)" --nulls skip
  databridge hierarchy formula explain acme_pl NET_INCOME`,
	}
	cmd.AddCommand(newFormulaSetCmd(f), newFormulaListCmd(f), newFormulaExplainCmd(f))
	return cmd
}

func newFormulaSetCmd(f *cmdutil.Factory) *cobra.Command {
	var nulls string
	cmd := &cobra.Command{
		Use:               "set ID CODE EXPRESSION",
		Short:             "Set a formula node's expression",
		Example:           "  databridge hierarchy formula set acme_pl EBITDA \"GP - OPEX\"",
		Args:              cobra.ExactArgs(3),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			r, err := svc.SetFormula(cmd.Context(), args[0], args[1], args[2], hierarchy.NullHandling(nulls))
			if err != nil {
				return err
			}
			return printResult(f, r)
		},
	}
	cmd.Flags().StringVar(&nulls, "nulls", "", "a referenced node without a value counts as zero (default), makes the line empty (skip), or is an error")
	return cmd
}

func newFormulaListCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "list ID",
		Short:             "List formulas in evaluation order",
		Example:           "  databridge hierarchy formula list acme_pl",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			h, err := svc.Get(args[0], 0)
			if err != nil {
				return err
			}
			list, err := hierarchy.ListFormulas(h)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(list)
			}
			t := cmdutil.NewTable(f.IO, "ORDER", "CODE", "NAME", "EXPRESSION", "NULLS")
			for _, fi := range list {
				t.Row(fi.Order, fi.Code, fi.Name, fi.Expression, fi.Nulls)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
}

func newFormulaExplainCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "explain ID CODE",
		Short:             "Show a formula expanded down to non-formula nodes",
		Example:           "  databridge hierarchy formula explain acme_pl NET_INCOME",
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			h, err := svc.Get(args[0], 0)
			if err != nil {
				return err
			}
			fi, err := hierarchy.ExplainFormula(h, args[1])
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(fi)
			}
			fmt.Fprintf(f.IO.Out, "%s (%s) = %s\n", f.IO.Bold(fi.Code), fi.Name, fi.Expression)
			fmt.Fprintf(f.IO.Out, "expanded: %s\n", fi.Expanded)
			fmt.Fprintf(f.IO.Out, "references: %s\n", strings.Join(fi.References, ", "))
			fmt.Fprintf(f.IO.Out, "evaluated %d of the formulas; nulls: %s\n", fi.Order, fi.Nulls)
			return nil
		},
	}
}
