// Package analyze implements `databridge analyze`.
package analyze

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/cmd/modelcmd"
	"github.com/databridge/databridge/pkg/semantic"
)

// NewCmd builds `databridge analyze CONNECTION`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	var in semantic.AnalyzeInput
	cmd := &cobra.Command{
		Use:   "analyze CONNECTION [--schema S] [--tables T,...]",
		Short: "Analyse a source and propose a dimensional model (keys, relationships, facts, dimensions, entities, SCD)",
		Long: `Profile every table and column in the engine, find keys (grain) and
relationships, classify tables (facts, dimensions, bridges, time) and their
business entities, detect measures and slowly changing dimensions, and store
the proposed model as .databridge/models/<name>.yaml with the confidence and
evidence of every inference. Review it with ` + "`databridge model ...`" + `.

Re-running analyze keeps the reviewer's decisions and reports what changed
in the source.`,
		Example: `  databridge analyze src
  databridge analyze erp --schema finance --tables gl_lines,accounts --name erp_finance
  databridge analyze src --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Connection = args[0]
			svc, err := f.Services()
			if err != nil {
				return err
			}
			res, err := svc.Semantic.Analyze(cmd.Context(), in, func(format string, a ...any) {
				f.IO.Progress(format, a...)
			})
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(res)
			}
			modelcmd.PrintSummary(f, res.Model)
			c := res.Changes
			if res.Previous {
				if c.Empty() {
					fmt.Fprintf(f.IO.Out, "\nno changes in the source; %d reviewer decisions re-applied\n", c.Replayed)
				} else {
					fmt.Fprintln(f.IO.Out, "\nchanges since the last analysis:")
					for _, l := range []struct {
						label string
						items []string
					}{{"tables added", c.TablesAdded}, {"tables removed", c.TablesRemoved}, {"columns added", c.ColumnsAdded},
						{"columns removed", c.ColumnsRemoved}, {"types changed", c.TypesChanged}, {"keys changed", c.KeysChanged},
						{"relationships added", c.RelsAdded}, {"relationships removed", c.RelsRemoved}, {"decisions that no longer apply", c.Stale}} {
						if len(l.items) > 0 {
							fmt.Fprintf(f.IO.Out, "  %s: %s\n", l.label, strings.Join(l.items, "; "))
						}
					}
					fmt.Fprintf(f.IO.Out, "  %d reviewer decisions re-applied\n", c.Replayed)
				}
			}
			fmt.Fprintf(f.IO.Out, "\nsaved model %s (%s) in %d ms; review with `databridge model show %s`\n", res.Model.Name, res.Model.Status, res.ElapsedMS, res.Model.Name)
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Schema, "schema", "", "schema to analyse (default: the connection's default)")
	cmd.Flags().StringSliceVar(&in.Tables, "tables", nil, "only these tables")
	cmd.Flags().StringVar(&in.Name, "name", "", "model name (default: from the connection and schema)")
	cmd.Flags().Int64Var(&in.SampleRows, "sample-rows", 0, "profile tables above this many rows on a sample (default 1000000)")
	return cmd
}
