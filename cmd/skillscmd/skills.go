// Package skillscmd is `databridge skills`: the guided workflows an agent
// can follow (the MCP server offers them as prompts), a thin face over
// pkg/skills.
package skillscmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/skills"
)

// NewCmd is the skills command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "skills",
		Short: "Guided workflows for agents (the MCP server's prompts): list them, show one filled in",
		Long: `Skills are guided workflows — onboard a source, build and prove a P&L
hierarchy, review a canonical model, deploy safely, reconcile two systems, run
the monthly close, answer a finance question with evidence — each telling an
agent which databridge MCP tools to call in which order and what to check.
` + "`databridge mcp serve`" + ` offers them as MCP prompts with the same arguments and
text. They are built into the binary (templates/skills/); no project is needed.
See docs/mcp.md.`,
		Example: `  databridge skills list
  databridge skills show monthly_close --arg period=2025-09
  databridge skills show answer_question --arg question="revenue by quarter for FY2025" --json`,
	}
	cmd.AddCommand(newListCmd(f), newShowCmd(f))
	return cmd
}

func newListCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the skills with their arguments",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := skills.New().List()
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(list)
			}
			t := cmdutil.NewTable(f.IO, "SKILL", "ARGUMENTS", "TITLE")
			for _, sk := range list.Skills {
				t.Row(sk.Name, argSummary(sk.Arguments), sk.Title)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
}

// argSummary writes required arguments plain and optional ones in
// brackets: "period [hierarchy]".
func argSummary(args []skills.Argument) string {
	var out []string
	for _, a := range args {
		if a.Required {
			out = append(out, a.Name)
		} else {
			out = append(out, "["+a.Name+"]")
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, " ")
}

func newShowCmd(f *cmdutil.Factory) *cobra.Command {
	var pairs []string
	cmd := &cobra.Command{
		Use:   "show NAME [--arg KEY=VALUE]...",
		Short: "Print a skill with its arguments filled in (the text the MCP prompt returns)",
		Long: `Print a skill as markdown with its arguments filled in: the same text the
MCP prompt of that name returns. Arguments are --arg KEY=VALUE, once per
argument; a missing required argument or an unknown one is a usage error
that lists the skill's arguments.`,
		Example: "  databridge skills show deploy_safely\n  databridge skills show reconcile_systems --arg left=erp.gl --arg right=local.FACT_GL --arg measures=amount",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			given, err := skills.ParseArgs(pairs)
			if err != nil {
				return cmdutil.Usagef("--arg: %v", err)
			}
			svc := skills.New()
			r, err := svc.Show(args[0], given)
			if err != nil {
				return cmdutil.Usagef("%v", err)
			}
			if f.JSON() {
				return f.PrintJSON(r)
			}
			fmt.Fprint(f.IO.Out, r.Text)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&pairs, "arg", nil, "an argument as KEY=VALUE (repeatable)")
	return cmd
}
