package hierarchy

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/hierarchy"
)

func newCreateCmd(f *cmdutil.Factory) *cobra.Command {
	var in hierarchy.CreateInput
	var kind, matchCase string
	var matchTrim bool
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create an empty hierarchy",
		Example: `  databridge hierarchy create "Management P&L" --kind income_statement --source-column account
  databridge hierarchy create "Cost centres" --id cost_centres --kind cost_center --source-column cost_center
  databridge hierarchy create "Acme P&L" --source-column account --match-case insensitive --match-trim`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			in.Name = args[0]
			in.Kind = hierarchy.Kind(kind)
			if matchCase != "" || matchTrim {
				in.Matching = &hierarchy.Matching{Case: hierarchy.CaseMatching(matchCase), Trim: matchTrim}
			}
			h, err := svc.Create(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(hierarchy.Summarize(h))
			}
			fmt.Fprintf(f.IO.Out, "%s created hierarchy %s (%s, v%d draft)\n", f.IO.SuccessIcon(), f.IO.Bold(h.ID), h.Kind, h.Version)
			return nil
		},
	}
	cmd.Flags().StringVar(&in.ID, "id", "", "hierarchy id (default: derived from NAME)")
	cmd.Flags().StringVar(&kind, "kind", "custom", "kind: "+kindNames())
	cmd.Flags().StringVar(&in.Description, "description", "", "description")
	cmd.Flags().StringSliceVar(&in.SourceColumns, "source-column", nil, "source column(s) the leaves map, e.g. account")
	matchingFlags(cmd, &matchCase, &matchTrim)
	return cmd
}

// matchingFlags binds the flags of a hierarchy's matching option.
func matchingFlags(cmd *cobra.Command, matchCase *string, matchTrim *bool) {
	cmd.Flags().StringVar(matchCase, "match-case", "", "how rules compare codes: sensitive (default) or insensitive")
	cmd.Flags().BoolVar(matchTrim, "match-trim", false, "rules ignore leading and trailing spaces of codes")
}

func newListCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List hierarchies",
		Example: "  databridge hierarchy list --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			list, err := svc.ListHierarchies()
			if err != nil {
				return err
			}
			if f.JSON() {
				// {"hierarchies": [...]}: the list_hierarchies tool's output.
				return f.PrintJSON(list)
			}
			t := cmdutil.NewTable(f.IO, "ID", "NAME", "KIND", "VERSION", "STATUS", "NODES", "LEAVES", "RULES", "FORMULAS")
			for _, s := range list.Hierarchies {
				if s.Error != "" {
					t.Row(s.ID, "ERROR: "+s.Error, "", "", "", "", "", "", "")
					continue
				}
				t.Row(s.ID, s.Name, s.Kind, s.Version, s.Status, s.Nodes, s.Leaves, s.Rules, s.Formulas)
			}
			t.Render(f.IO.Out)
			if t.Len() == 0 {
				fmt.Fprintln(f.IO.ErrOut, "no hierarchies; create one with `databridge hierarchy new NAME --template standard_pl`")
			}
			return nil
		},
	}
}

// showJSON is what hierarchy show --json prints and the MCP get_hierarchy
// tool returns: the full document and the tree view (depth, consolidation,
// rules, formula per line) in reporting order.
type showJSON struct {
	Hierarchy *hierarchy.Hierarchy `json:"hierarchy"`
	Tree      []hierarchy.TreeLine `json:"tree"`
}

func newShowCmd(f *cmdutil.Factory) *cobra.Command {
	var version int
	var rules bool
	cmd := &cobra.Command{
		Use:               "show ID",
		Short:             "Show a hierarchy as a tree (--json: {hierarchy, tree}, the full document and the tree)",
		Example:           "  databridge hierarchy show standard_pl\n  databridge hierarchy show standard_pl --version 1 --rules",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			h, err := svc.Get(args[0], version)
			if err != nil {
				return err
			}
			if f.JSON() {
				// The get_hierarchy tool's object: the document and
				// the tree in reporting order.
				return f.PrintJSON(showJSON{Hierarchy: h, Tree: hierarchy.Tree(h)})
			}
			out := f.IO.Out
			fmt.Fprintf(out, "%s  %s  (%s, v%d %s", f.IO.Bold(h.ID), h.Name, h.Kind, h.Version, h.Status)
			if len(h.SourceColumns) > 0 {
				fmt.Fprintf(out, ", maps %s", strings.Join(h.SourceColumns, ", "))
			}
			if m := h.CodeMatching(); !m.IsExact() {
				fmt.Fprintf(out, ", matching %s", m)
			}
			fmt.Fprintln(out, ")")
			for _, l := range hierarchy.Tree(h) {
				sign := string(l.Consolidation)
				line := fmt.Sprintf("%s%s %s  %s", strings.Repeat("  ", l.Depth), sign, l.Code, l.Name)
				switch l.Type {
				case hierarchy.TypeFormula:
					line += f.IO.Accent("  = " + l.Formula)
				case hierarchy.TypeLabel:
					line += f.IO.Muted("  (label)")
				case hierarchy.TypeLeaf:
					if len(l.Rules) == 0 {
						line += f.IO.Fail("  (no rules)")
					} else if !rules {
						line += f.IO.Muted(fmt.Sprintf("  [%d %s]", len(l.Rules), plural(len(l.Rules), "rule")))
					}
				}
				if l.FlipSign {
					line += f.IO.Muted("  (sign flipped)")
				}
				fmt.Fprintln(out, line)
				if rules {
					for _, r := range l.Rules {
						fmt.Fprintf(out, "%s    · %s\n", strings.Repeat("  ", l.Depth), r)
					}
				}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&version, "version", 0, "show a published version (default: the current one)")
	cmd.Flags().BoolVar(&rules, "rules", false, "list each leaf's mapping rules")
	return cmd
}

func newUpdateCmd(f *cmdutil.Factory) *cobra.Command {
	var name, kind, desc, matchCase string
	var cols []string
	var matchTrim bool
	cmd := &cobra.Command{
		Use:               "update ID",
		Short:             "Change a hierarchy's name, kind, description, source columns or matching option",
		Example:           "  databridge hierarchy update acme_pl --name \"Acme P&L 2026\" --source-column account\n  databridge hierarchy update acme_pl --match-case insensitive --match-trim",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			var in hierarchy.UpdateInput
			fl := cmd.Flags()
			if fl.Changed("name") {
				in.Name = &name
			}
			if fl.Changed("kind") {
				k := hierarchy.Kind(kind)
				in.Kind = &k
			}
			if fl.Changed("description") {
				in.Description = &desc
			}
			if fl.Changed("source-column") {
				in.SourceColumns = cols
			}
			if fl.Changed("match-case") || fl.Changed("match-trim") {
				in.Matching = &hierarchy.MatchingUpdate{}
				if fl.Changed("match-case") {
					c := hierarchy.CaseMatching(matchCase)
					in.Matching.Case = &c
				}
				if fl.Changed("match-trim") {
					in.Matching.Trim = &matchTrim
				}
			}
			if in.Empty() {
				return cmdutil.Usagef("nothing to update: pass --name, --kind, --description, --source-column, --match-case or --match-trim")
			}
			r, err := svc.Update(cmd.Context(), args[0], in)
			if err != nil {
				return err
			}
			return printResult(f, r)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "new name")
	cmd.Flags().StringVar(&kind, "kind", "", "new kind: "+kindNames())
	cmd.Flags().StringVar(&desc, "description", "", "new description")
	cmd.Flags().StringSliceVar(&cols, "source-column", nil, "source column(s) the leaves map")
	matchingFlags(cmd, &matchCase, &matchTrim)
	return cmd
}

func newDeleteCmd(f *cmdutil.Factory) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:               "delete ID --yes",
		Short:             "Delete a hierarchy and all its versions",
		Example:           "  databridge hierarchy delete old_pl --yes",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !yes {
				return cmdutil.Usagef("deleting %s removes it and every published version: pass --yes to confirm", args[0])
			}
			svc, err := service(f)
			if err != nil {
				return err
			}
			if err := svc.Delete(cmd.Context(), args[0]); err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(map[string]string{"deleted": args[0]})
			}
			fmt.Fprintf(f.IO.Out, "%s deleted hierarchy %s\n", f.IO.SuccessIcon(), args[0])
			return nil
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "confirm the deletion")
	return cmd
}

func newCopyCmd(f *cmdutil.Factory) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:               "copy ID NEW_ID",
		Short:             "Copy a hierarchy under a new id (as version 1 draft)",
		Example:           "  databridge hierarchy copy acme_pl acme_pl_budget --name \"Acme budget P&L\"",
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			h, err := svc.Copy(cmd.Context(), args[0], args[1], name)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(h)
			}
			fmt.Fprintf(f.IO.Out, "%s copied %s to %s\n", f.IO.SuccessIcon(), args[0], h.ID)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "name of the copy (default: NAME (copy))")
	return cmd
}

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}
