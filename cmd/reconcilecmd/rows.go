package reconcilecmd

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/reconcile"
)

func init() { subcommands = append(subcommands, newRowsCmd) }

func newRowsCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.RowsInput
	var html string
	cmd := &cobra.Command{
		Use:   "rows LEFT RIGHT --key COLS",
		Short: "Compare two tables row by row on a key, on one engine or across two",
		Long: `Compare two tables row by row on a key. LEFT and RIGHT are CONNECTION.TABLE or
CONNECTION.SCHEMA.TABLE, on the same connection or on two.

On one connection the comparison is one statement in the engine; across two
connections neither table is copied: segments of the key's hash are compared
by count and checksum in each engine, and only the rows of differing segments
are fetched. Values are compared in a normalised form: numbers of any type at
the lower of the two scales (floats at --float-scale digits), timestamps in
UTC at the lower precision, booleans as 1/0, -0 as 0, text by its exact
characters (--trim, --ignore-case to relax it).

Duplicate and NULL keys are reported first. Exit code 3 when the tables do
not agree within the tolerances. Every run is recorded (see ` + "`reconcile history`" + `).`,
		Example: `  databridge reconcile rows erp.gl_lines warehouse.main.fact_gl --key journal_id,line_no
  databridge reconcile rows src.invoices pg.public.invoices --key invoice_id --tolerance amount=abs:0.01 --trim vendor_name
  databridge reconcile rows a.t b.t --key id --where "period = '2025-09'" --html recon.html --json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(in.Key) == 0 {
				return cmdutil.Usagef("--key is required: the columns that identify a row")
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			in.Left, in.Right = args[0], args[1]
			r, err := svc.Reconcile.Rows(cmd.Context(), in)
			if err != nil {
				return err
			}
			if html != "" {
				if err := r.Page().WriteFile(html); err != nil {
					return err
				}
			}
			if f.JSON() {
				if err := f.PrintJSON(r); err != nil {
					return err
				}
			} else {
				PrintRows(f, r)
				if html != "" {
					fmt.Fprintf(f.IO.Out, "report: %s\n", html)
				}
			}
			if !r.Agree {
				return &cmdutil.ChecksFailedError{Msg: "the tables do not agree"}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&in.Key, "key", nil, "key columns (comma-separated)")
	fl.StringSliceVar(&in.Columns, "columns", nil, "columns to compare (default: all common non-key columns)")
	fl.StringArrayVar(&in.Tolerance, "tolerance", nil, "COLUMN=abs:0.01 or COLUMN=rel:1e-6 (repeatable)")
	fl.StringSliceVar(&in.IgnoreCase, "ignore-case", nil, "text columns compared case-insensitively")
	fl.StringSliceVar(&in.Trim, "trim", nil, "text columns compared without leading/trailing spaces")
	fl.StringVar(&in.Where, "where", "", "filter applied to both sides (a filter expression, never SQL)")
	fl.IntVar(&in.Sample, "sample", 10, "rows shown per kind of difference")
	fl.IntVar(&in.FloatScale, "float-scale", 0, "digits after the point floats are compared at (default 6)")
	fl.StringVar(&html, "html", "", "also write the report as a self-contained HTML page")
	return cmd
}

// PrintRows renders a row reconciliation: the verdict and counts, the
// per-column table, the samples.
func PrintRows(f *cmdutil.Factory, r *reconcile.RowsResult) {
	out := f.IO.Out
	s := r.Summary
	mark, verdict := f.IO.SuccessIcon(), "agree"
	if !r.Agree {
		mark, verdict = f.IO.FailIcon(), "do not agree"
	}
	fmt.Fprintf(out, "%s %s and %s %s (key %s, %s)\n", mark, r.Left, r.Right, verdict, strings.Join(r.Key, ", "), r.Method)
	fmt.Fprintf(out, "  rows: %d left, %d right; matched keys %d, changed %d, only left %d, only right %d\n",
		s.LeftRows, s.RightRows, s.Matched, s.Changed, s.OnlyLeft, s.OnlyRight)
	if s.DuplicateKeysLeft+s.DuplicateKeysRight+s.NullKeysLeft+s.NullKeysRight > 0 {
		fmt.Fprintf(out, "  %s duplicate keys %d left, %d right; NULL keys %d left, %d right\n",
			f.IO.Fail("!"), s.DuplicateKeysLeft, s.DuplicateKeysRight, s.NullKeysLeft, s.NullKeysRight)
	}
	if len(r.Columns) > 0 {
		fmt.Fprintln(out)
		t := cmdutil.NewTable(f.IO, "COLUMN", "COMPARED AS", "TOLERANCE", "UNEQUAL", "MAX ABS DIFF", "NULL MISMATCHES")
		for _, c := range r.Columns {
			md := ""
			if c.MaxAbsDiff != nil {
				md = *c.MaxAbsDiff
			}
			t.Row(c.Name, c.Compared, c.Tolerance, c.Unequal, md, c.NullMismatches)
		}
		t.Render(out)
	}
	printSamples(f, out, r)
	fmt.Fprintf(out, "\nrun %s (details: databridge reconcile show %s)\n", r.RunID, r.RunID)
}

func printSamples(f *cmdutil.Factory, out io.Writer, r *reconcile.RowsResult) {
	key := func(k map[string]any) string {
		var parts []string
		for _, n := range r.Key {
			parts = append(parts, cmdutil.Cell(k[n]))
		}
		return strings.Join(parts, ", ")
	}
	if len(r.Samples.Changed) > 0 {
		fmt.Fprintf(out, "\nchanged (first %d):\n", len(r.Samples.Changed))
		t := cmdutil.NewTable(f.IO, "KEY", "COLUMN", "LEFT", "RIGHT")
		for _, c := range r.Samples.Changed {
			for _, v := range c.Columns {
				t.Row(key(c.Key), v.Name, v.Left, v.Right)
			}
		}
		t.Render(out)
	}
	only := func(title string, rows []reconcile.KeyedRow) {
		if len(rows) == 0 {
			return
		}
		fmt.Fprintf(out, "\n%s (first %d):\n", title, len(rows))
		var names []string
		for n := range rows[0].Values {
			names = append(names, n)
		}
		sort.Strings(names)
		t := cmdutil.NewTable(f.IO, append([]string{"KEY"}, upper(names)...)...)
		for _, kr := range rows {
			row := []any{key(kr.Key)}
			for _, n := range names {
				row = append(row, kr.Values[n])
			}
			t.Row(row...)
		}
		t.Render(out)
	}
	only("only in "+r.Left, r.Samples.OnlyLeft)
	only("only in "+r.Right, r.Samples.OnlyRight)
}

func upper(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToUpper(x)
	}
	return out
}
