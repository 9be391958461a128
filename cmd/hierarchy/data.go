package hierarchy

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/hierarchy"
)

func newValidateCmd(f *cmdutil.Factory) *cobra.Command {
	var in hierarchy.ValidateInput
	cmd := &cobra.Command{
		Use:   "validate ID [--against CONNECTION.TABLE.COLUMN [--amount COL]]",
		Short: "Check a hierarchy's structure and, against real source values, its mapping",
		Long: `Structural checks: roots, orphans, cycles, duplicate codes, leaves without
rules, formula nodes with children or rules, unknown or cyclic formula
references, formulas referencing their own ancestors, overlapping ranges.

With --against, the distinct values of a source column (read in the engine)
are resolved through the rules: unmapped codes (errors when they carry
activity — pass --amount — warnings otherwise), codes mapped to two leaves in
the same precedence group, rules that match nothing, exclusions that exclude
nothing.

Exit code 3 when errors are found.`,
		Example: `  databridge hierarchy validate acme_pl
  databridge hierarchy validate acme_pl --against src.gl_transactions.account_code --amount amount
  databridge hierarchy validate acme_pl --against erp.finance.gl_lines.account --json`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.ID = args[0]
			svc, err := service(f)
			if err != nil {
				return err
			}
			rep, err := svc.Validate(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				if err := f.PrintJSON(rep); err != nil {
					return err
				}
			} else {
				printReport(f, rep, in.Against != "")
			}
			if !rep.OK() {
				return &cmdutil.ChecksFailedError{}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Against, "against", "", "source values as CONNECTION.TABLE.COLUMN")
	cmd.Flags().StringVar(&in.Amount, "amount", "", "amount column, to tell unmapped codes with activity from those without")
	cmd.Flags().IntVar(&in.Version, "version", 0, "validate a published version (default: the current one)")
	cmd.Flags().StringVar(&in.Column, "column", "", "the rules' column the source values are for (default: the hierarchy's first source column)")
	return cmd
}

func printReport(f *cmdutil.Factory, rep *hierarchy.Report, withSource bool) {
	out := f.IO.Out
	status := f.IO.Success("valid")
	if !rep.OK() {
		status = f.IO.Fail("invalid")
	}
	fmt.Fprintf(out, "%s v%d: %s — %d %s, %d %s\n", f.IO.Bold(rep.ID), rep.Version, status, rep.Errors, plural(rep.Errors, "error"), rep.Warnings, plural(rep.Warnings, "warning"))
	fmt.Fprintf(out, "checked %d nodes, %d leaves, %d rules", rep.Checked.Nodes, rep.Checked.Leaves, rep.Checked.Rules)
	if withSource {
		fmt.Fprintf(out, " against %d source values: %d mapped, %d unmapped", rep.Checked.SourceValues, rep.Mapped, rep.UnmappedCount)
	}
	fmt.Fprintln(out)
	for _, fd := range rep.Findings {
		sev := strings.ToUpper(string(fd.Severity))
		switch fd.Severity {
		case hierarchy.SeverityError:
			sev = f.IO.Fail(sev)
		case hierarchy.SeverityWarning:
			sev = f.IO.Accent("WARN")
		}
		node := ""
		if fd.Node != "" {
			node = " " + fd.Node + ":"
		}
		fmt.Fprintf(out, "%s %s%s %s\n", sev, fd.Code, node, fd.Message)
		if fd.Hint != "" {
			fmt.Fprintf(out, "    fix: %s\n", fd.Hint)
		}
	}
	if len(rep.Unmapped) > 0 {
		fmt.Fprintln(out, "unmapped source codes (most activity first):")
		t := cmdutil.NewTable(f.IO, "CODE", "ROWS", "AMOUNT")
		for _, u := range rep.Unmapped {
			amt := ""
			if u.Amount != nil {
				amt = *u.Amount
				if a, err := hierarchy.ParseAmount(amt); err == nil {
					amt = amountText(a)
				}
			}
			t.Row(u.Code, u.Rows, amt)
		}
		t.Render(out)
	}
}

func newRollupCmd(f *cmdutil.Factory) *cobra.Command {
	var in hierarchy.RollupRequest
	var format string
	var natural bool
	cmd := &cobra.Command{
		Use:   "rollup ID --source CONNECTION.TABLE --value COL [--by COL...]",
		Short: "Compute the statement from source data in the engine: every leaf, rollup and formula",
		Long: `Map every source row to its leaf through the rules, sum by leaf and the --by
columns, roll up through the tree with consolidation signs, and evaluate the
formula lines — all pushed down to the engine as one SQL statement (formulas
are evaluated on its results). Values are shown with presentation signs
(flip_sign applied) unless --natural. Rows whose code no leaf takes are
reported as unmapped, so leaves + unmapped = source total.`,
		Example: `  databridge hierarchy rollup acme_pl --source src.gl_transactions --value amount
  databridge hierarchy rollup acme_pl --source src.gl_transactions --value amount --by period --format csv
  databridge hierarchy rollup acme_pl --source erp.finance.gl_lines --value amount --column account --by entity,period --json
  databridge hierarchy rollup acme_pl --source src.gl_transactions --value amount --where "period BETWEEN '2025-01' AND '2025-06'"`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.ID = args[0]
			if in.Source == "" || in.Value == "" {
				return cmdutil.Usagef("--source CONNECTION.TABLE and --value COLUMN are required")
			}
			if f.JSON() {
				format = "json"
			}
			switch format {
			case "table", "csv", "json":
			default:
				return cmdutil.Usagef("--format must be table, csv or json, not %q", format)
			}
			svc, err := service(f)
			if err != nil {
				return err
			}
			res, err := svc.Rollup(cmd.Context(), in)
			if err != nil {
				return err
			}
			for _, w := range res.Warnings {
				f.IO.Progress("warning: %s", w)
			}
			switch format {
			case "json":
				return f.PrintJSON(res)
			case "csv":
				return writeRollupCSV(f, res, natural)
			}
			printRollup(f, res, natural)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Source, "source", "", "fact table as CONNECTION.TABLE")
	fl.StringVar(&in.Value, "value", "", "amount column to sum")
	fl.StringVar(&in.Column, "column", "", "the rules' column to use (default: the hierarchy's first source column)")
	fl.StringVar(&in.CodeColumn, "code-column", "", "the source table's column holding the codes, if named differently (e.g. account_code)")
	fl.StringSliceVar(&in.By, "by", nil, "extra grouping columns, e.g. period,entity")
	fl.StringVar(&in.Where, "where", "", "only source rows matching a filter, e.g. \"entity = 'US01' AND period >= '2025-01'\" (columns, literals, comparisons, AND/OR/NOT, IN, BETWEEN, IS NULL, LIKE)")
	fl.IntVar(&in.Version, "version", 0, "use a published version (default: the current one)")
	fl.StringVar(&format, "format", "table", "table, csv or json")
	fl.BoolVar(&natural, "natural", false, "show natural signs (credits negative) instead of presentation signs")
	return cmd
}

func groupLabel(keys []string) string {
	if len(keys) == 0 {
		return "VALUE"
	}
	return strings.Join(keys, " / ")
}

// num writes an exact rollup amount with at least two decimals (more
// when the rollup's scale has them: a ratio up to hierarchy.RatioScale).
func num(v *hierarchy.Amount) string {
	if v == nil {
		return ""
	}
	return amountText(*v)
}

func amountText(a hierarchy.Amount) string {
	return a.Decimal().StringFixed(int32(max(2, a.Scale())))
}

func printRollup(f *cmdutil.Factory, res *hierarchy.RollupResult, natural bool) {
	if res.Filter != "" {
		fmt.Fprintf(f.IO.Out, "source rows where %s\n", res.Filter)
	}
	hdr := []string{"LINE"}
	if len(res.Groups) == 0 {
		hdr = append(hdr, "VALUE")
	} else {
		for _, k := range res.GroupKeys {
			hdr = append(hdr, groupLabel(k))
		}
	}
	t := cmdutil.NewTable(f.IO, hdr...)
	for _, l := range res.Lines {
		row := []any{strings.Repeat("  ", l.Depth) + l.Code + "  " + l.Name}
		vals := l.PresentationValues
		if natural {
			vals = l.Values
		}
		for _, v := range vals {
			row = append(row, num(v))
		}
		t.Row(row...)
	}
	unm := []any{"(unmapped)"}
	tot := []any{"(source total)"}
	anyUnmapped := false
	for i := range res.SourceTotal {
		u := res.Unmapped[i]
		if u.Rows > 0 {
			anyUnmapped = true
		}
		unm = append(unm, amountText(u.Amount))
		tot = append(tot, amountText(res.SourceTotal[i].Amount))
	}
	t.Row(unm...)
	t.Row(tot...)
	t.Render(f.IO.Out)
	if anyUnmapped {
		var rows int64
		for _, u := range res.Unmapped {
			rows += u.Rows
		}
		f.IO.Progress("warning: %d source rows map to no leaf (see `hierarchy validate %s --against ...`)", rows, res.Hierarchy)
	}
}

func writeRollupCSV(f *cmdutil.Factory, res *hierarchy.RollupResult, natural bool) error {
	w := csv.NewWriter(f.IO.Out)
	hdr := []string{"code", "name", "type", "depth"}
	hdr = append(hdr, res.Groups...)
	hdr = append(hdr, "value")
	if err := w.Write(hdr); err != nil {
		return err
	}
	for _, l := range res.Lines {
		vals := l.PresentationValues
		if natural {
			vals = l.Values
		}
		for gi, v := range vals {
			rec := []string{l.Code, l.Name, string(l.Type), strconv.Itoa(l.Depth)}
			if gi < len(res.GroupKeys) {
				rec = append(rec, res.GroupKeys[gi]...)
			}
			rec = append(rec, num(v))
			if err := w.Write(rec); err != nil {
				return err
			}
		}
	}
	w.Flush()
	return w.Error()
}
