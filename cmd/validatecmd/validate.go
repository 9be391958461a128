// Package validatecmd implements `databridge validate`.
package validatecmd

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/validate"
)

// NewCmd builds `databridge validate`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	var target, level string
	cmd := &cobra.Command{
		Use:   "validate [--level basic|comprehensive] [--target NAME]",
		Short: "Check the deployed warehouse: row counts, keys, relationships, mapping, tie-outs, trial balance",
		Long: `Run the check suite derived from the design against the deployed target: every
staged row kept, unique and not-null keys, relationships (comprehensive),
accepted values, every source account mapped, each statement tying out to
its source, the trial balance summing to zero, a balance sheet balancing.
Failures show sample rows with their keys. Exit code 3 when a check fails.`,
		Example: "  databridge validate\n  databridge validate --level comprehensive --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			lv := validate.Level(level)
			if lv != validate.Basic && lv != validate.Comprehensive {
				return cmdutil.Usagef("--level must be basic or comprehensive")
			}
			r, err := svc.Deploy.Validate(cmd.Context(), deploy.ValidateInput{Target: target, Level: lv})
			if err != nil {
				return err
			}
			if f.JSON() {
				if err := f.PrintJSON(r); err != nil {
					return err
				}
			} else {
				Print(f, r)
			}
			if !r.OK() {
				return &cmdutil.ChecksFailedError{}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&target, "target", "", "connection to check (default: the project's default target)")
	cmd.Flags().StringVar(&level, "level", "basic", "basic or comprehensive")
	return cmd
}

// Print renders a report: one line per check, samples under failures.
func Print(f *cmdutil.Factory, r *validate.Report) {
	out := f.IO.Out
	for _, res := range r.Results {
		mark := f.IO.SuccessIcon()
		switch res.Status {
		case validate.StatusFail:
			mark = f.IO.FailIcon()
		case validate.StatusError:
			mark = f.IO.Fail("ERROR")
		}
		fmt.Fprintf(out, "%s %s", mark, res.Name)
		if res.Status != validate.StatusPass {
			fmt.Fprintf(out, " — %s", res.Message)
		}
		fmt.Fprintln(out)
		if len(res.Samples) > 0 {
			cols := res.SampleColumns
			seen := map[string]bool{}
			for _, c := range cols {
				seen[c] = true
			}
			var extra []string
			for k := range res.Samples[0] {
				if !seen[k] {
					extra = append(extra, k)
				}
			}
			sort.Strings(extra)
			cols = append(append([]string{}, cols...), extra...)
			t := cmdutil.NewTable(f.IO, prefix(cols)...)
			for _, s := range res.Samples {
				row := make([]any, len(cols))
				for i, c := range cols {
					row[i] = s[c]
				}
				row[0] = "    " + cmdutil.Cell(row[0])
				t.Row(row...)
			}
			t.Render(out)
		}
	}
	fmt.Fprintf(out, "%s\n", r.Summary())
}

func prefix(cols []string) []string {
	out := append([]string{}, cols...)
	if len(out) > 0 {
		out[0] = "    " + strings.ToUpper(out[0])
	}
	for i := 1; i < len(out); i++ {
		out[i] = strings.ToUpper(out[i])
	}
	return out
}
