// Package querycmd implements `databridge query "QUESTION"`: a question in
// plain English answered over the deployed warehouse's semantic layer.
package querycmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/analyticscmd"
	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/analytics"
)

// NewCmd builds `databridge query`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	var asOf, dialect string
	var sqlOnly, explain bool
	cmd := &cobra.Command{
		Use:   `query "QUESTION"`,
		Short: "Ask the deployed warehouse a question in plain English",
		Long: `Answer a question in plain English over the deployed warehouse: the question is
mapped, offline and deterministically (no language model, no network), onto
the semantic layer's metrics, dimensions, members and the fiscal calendar,
compiled to SQL and run read-only. The interpretation is printed before the
numbers, with a suggested chart.

Relative time ("last quarter", "YTD", "Q3 2025", "in March", "vs prior
year") resolves against --as-of (default today) in the fiscal calendar.

When the question cannot be mapped confidently it is not answered: the
closest interpretations are suggested and the exit code is 3 (answered:
false in JSON), so scripts can tell "no answer" (3) from an error (1).`,
		Example: `  databridge query "gross profit by quarter for FY2025 vs prior year"
  databridge query "top 5 customers by revenue last year" --json
  databridge query "revenue by region in Q3 2025" --sql
  databridge query "what was operating margin in FY2026?" --explain --as-of 2026-07-15`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := analytics.AskInput{Question: args[0], Dialect: dialect, SQLOnly: sqlOnly}
			if asOf != "" {
				t, err := analytics.ParseAsOf(asOf)
				if err != nil {
					return cmdutil.Usagef("--as-of %v", err)
				}
				in.AsOf = t
			}
			if strings.TrimSpace(in.Question) == "" {
				return cmdutil.Usagef("ask a question, e.g. databridge query \"revenue by fiscal year\"")
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			a, err := svc.Analytics.Ask(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				if err := f.PrintJSON(a); err != nil {
					return err
				}
			} else {
				Print(f, a, sqlOnly || dialect != "", explain)
			}
			if !a.Answered {
				return &cmdutil.ChecksFailedError{Msg: "the question could not be answered confidently"}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&asOf, "as-of", "", "date relative periods resolve against (YYYY-MM-DD, default today)")
	fl.BoolVar(&sqlOnly, "sql", false, "print the SQL instead of running it")
	fl.StringVar(&dialect, "dialect", "", "print the SQL for this engine (not run)")
	fl.BoolVar(&explain, "explain", false, "also print the SQL and the notes after the answer")
	return cmd
}

// Print renders an answer: the interpretation, then the table (or the
// SQL), the notes and the suggested chart; an unanswered question with its
// reason and suggestions.
func Print(f *cmdutil.Factory, a *analytics.Answer, sqlOnly, explain bool) {
	w := f.IO.Out
	if !a.Answered {
		fmt.Fprintf(w, "Not answered: %s\n", a.Reason)
		if len(a.Suggestions) > 0 {
			fmt.Fprintln(w, "Did you mean:")
			for _, s := range a.Suggestions {
				fmt.Fprintf(w, "  %s\n", s)
			}
		}
		return
	}
	fmt.Fprintf(w, "%s\n\n", a.Interpretation)
	if sqlOnly {
		fmt.Fprintln(w, a.SQL)
		return
	}
	analyticscmd.PrintResult(f, a.Columns, a.Rows)
	for _, n := range a.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if a.Chart != "" {
		fmt.Fprintf(w, "chart: %s\n", a.Chart)
	}
	if explain {
		fmt.Fprintf(w, "\n%s\n", a.SQL)
	}
}
