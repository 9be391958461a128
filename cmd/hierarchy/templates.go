package hierarchy

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/hierarchy"
)

func newTemplatesCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "templates",
		Short:   "List the built-in hierarchy templates",
		Example: "  databridge hierarchy templates\n  databridge hierarchy new \"Acme P&L\" --template standard_pl",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := app.ListTemplates()
			if err != nil {
				return err
			}
			if f.JSON() {
				// {"templates": [...]}: the list_hierarchy_templates tool's output.
				return f.PrintJSON(list)
			}
			t := cmdutil.NewTable(f.IO, "TEMPLATE", "KIND", "NODES", "LEAVES", "FORMULAS", "NAME")
			for _, x := range list.Templates {
				t.Row(x.ID, x.Kind, x.Nodes, x.Leaves, x.Formulas, x.Name)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
}

func newNewCmd(f *cmdutil.Factory) *cobra.Command {
	var in hierarchy.NewInput
	cmd := &cobra.Command{
		Use:   "new [NAME] --template TEMPLATE",
		Short: "Create a hierarchy from a built-in template (see hierarchy templates)",
		Example: `  databridge hierarchy new "Acme P&L" --template standard_pl
  databridge hierarchy new --template saas_pl --id saas`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if in.Template == "" {
				return cmdutil.Usagef("--template is required (see `databridge hierarchy templates`)")
			}
			if len(args) == 1 {
				in.Name = args[0]
			}
			svc, err := service(f)
			if err != nil {
				return err
			}
			h, err := svc.NewFromTemplate(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(hierarchy.Summarize(h))
			}
			s := hierarchy.Summarize(h)
			fmt.Fprintf(f.IO.Out, "%s created hierarchy %s from template %s (%d nodes, %d leaves, %d rules, %d formulas)\n",
				f.IO.SuccessIcon(), f.IO.Bold(h.ID), in.Template, s.Nodes, s.Leaves, s.Rules, s.Formulas)
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Template, "template", "", "template id")
	cmd.Flags().StringVar(&in.ID, "id", "", "hierarchy id (default: from NAME, else the template id)")
	_ = cmd.RegisterFlagCompletionFunc("template", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		list, _ := hierarchy.Templates()
		var ids []string
		for _, t := range list {
			ids = append(ids, t.ID)
		}
		return ids, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}
