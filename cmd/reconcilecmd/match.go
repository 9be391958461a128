package reconcilecmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/reconcile"
)

func init() { subcommands = append(subcommands, newMatchCmd) }

// scoreText renders a score with two decimals.
func scoreText(s float64) string { return fmt.Sprintf("%.2f", s) }

func newMatchCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.MatchInput
	var threshold float64
	cmd := &cobra.Command{
		Use:   "match LEFT RIGHT --left-column C --right-column C [--scorer token_set] [--threshold 80] [--top K]",
		Short: "Match names across systems (vendors, customers) by fuzzy score",
		Long: `Match the distinct values of a column of LEFT (CONN.TABLE or CONN.SCHEMA.TABLE)
against those of a column of RIGHT: both normalised (case, accents,
punctuation, legal forms such as Inc, GmbH, Ltd, white space; --raw to
skip), candidates found by blocking on rare tokens and 3-grams (so large
lists never score every pair), scored as RapidFuzz scores them: ratio,
partial, token_sort, token_set (default) or weighted (WRatio). Prints each
left value's best matches at or above --threshold, and the unmatched.`,
		Example: "  databridge reconcile match erp.vendors crm.suppliers --left-column name --right-column supplier_name\n" +
			"  databridge reconcile match erp.vendors crm.suppliers --left-column name --right-column supplier_name --scorer weighted --threshold 85 --top 3 --json",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			in.Left, in.Right = args[0], args[1]
			if cmd.Flags().Changed("threshold") {
				in.Threshold = &threshold
			}
			if in.LeftColumn == "" || in.RightColumn == "" {
				return cmdutil.Usagef("--left-column and --right-column are required")
			}
			r, err := svc.Reconcile.Match(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(r)
			}
			printMatch(f, r)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.LeftColumn, "left-column", "", "the column of names on the left")
	fl.StringVar(&in.RightColumn, "right-column", "", "the column of names on the right")
	fl.StringVar(&in.Scorer, "scorer", "token_set", "ratio, partial, token_sort, token_set or weighted")
	fl.Float64Var(&threshold, "threshold", reconcile.DefaultMatchThreshold, "the least score of a match (0-100)")
	fl.IntVar(&in.Top, "top", 1, "matches to show per left value")
	fl.BoolVar(&in.Raw, "raw", false, "score the values as they are, without normalisation")
	return cmd
}

func printMatch(f *cmdutil.Factory, r *reconcile.MatchResult) {
	out := f.IO.Out
	s := r.Summary
	fmt.Fprintf(out, "%s %s.%s ↔ %s.%s (%s ≥ %s)\n", f.IO.Bold("match"), r.Left, r.LeftColumn, r.Right, r.RightColumn, r.Scorer, scoreText(r.Threshold))
	fmt.Fprintf(out, "%d left values, %d right values: %d matched (%d exact), %d unmatched; %d right values nobody's best\n\n",
		s.LeftValues, s.RightValues, s.Matched, s.Exact, s.Unmatched, s.RightUnmatched)
	if len(r.Matches) > 0 {
		t := cmdutil.NewTable(f.IO, "LEFT", "RIGHT", "SCORE")
		for _, m := range r.Matches {
			for i, c := range m.Matches {
				left := m.Value
				if i > 0 {
					left = ""
				}
				t.Row(left, c.Value, scoreText(c.Score))
			}
		}
		t.Render(out)
	}
	if len(r.Unmatched) > 0 {
		fmt.Fprintf(out, "\nunmatched: %s\n", strings.Join(r.Unmatched, "; "))
	}
	fmt.Fprintf(out, "\nrecorded as %s\n", r.ID)
}
