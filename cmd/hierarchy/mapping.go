package hierarchy

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/hierarchy"
)

func newMappingCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "mapping",
		Aliases: []string{"map"},
		Short:   "Map source codes to leaves: exact values, lists, ranges, prefixes, patterns",
		Example: `  databridge hierarchy mapping add acme_pl REV_PRODUCT --range 4000:4099
  databridge hierarchy mapping add acme_pl REV_SERVICE --range 4100:4999
  databridge hierarchy mapping add acme_pl REV_SERVICE --exact 4900 --exclude
  databridge hierarchy mapping list acme_pl REV --inherited`,
	}
	cmd.AddCommand(newMappingAddCmd(f), newMappingRemoveCmd(f), newMappingListCmd(f), newMappingSummaryCmd(f))
	return cmd
}

func newMappingAddCmd(f *cmdutil.Factory) *cobra.Command {
	var r hierarchy.Rule
	var exact, rng, prefix, pattern string
	var list []string
	cmd := &cobra.Command{
		Use:   "add ID LEAF (--exact V | --list A,B | --range FROM:TO | --prefix P | --pattern P)",
		Short: "Add a mapping rule to a leaf",
		Long: `Add a rule that maps source codes to a leaf.

  --exact 4000          the code 4000
  --list 4000,4010      any of these codes
  --range 4000:4999     codes from 4000 to 4999 of the same width (4 characters):
                        41000 is NOT in 4000:4999; use one range per width
  --prefix 41           codes starting with 41
  --pattern '4?00*'     * matches any run of characters, ? exactly one

--exclude removes matching codes from this leaf's other rules. When two
leaves match a code, the rule with the lower --precedence wins; two leaves
matching in the same precedence group is reported by validate.`,
		Example: `  databridge hierarchy mapping add acme_pl REV_PRODUCT --range 4000:4099
  databridge hierarchy mapping add acme_pl OPEX_TRAVEL --list 6500,6510 --column account
  databridge hierarchy mapping add acme_pl REV_OTHER --prefix 49 --precedence 2`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			n := 0
			fl := cmd.Flags()
			for _, name := range []string{"exact", "list", "range", "prefix", "pattern"} {
				if fl.Changed(name) {
					n++
				}
			}
			if n != 1 {
				return cmdutil.Usagef("give exactly one of --exact, --list, --range, --prefix or --pattern")
			}
			switch {
			case fl.Changed("exact"):
				r.Match, r.Value = hierarchy.MatchExact, exact
			case fl.Changed("list"):
				r.Match, r.Values = hierarchy.MatchList, list
			case fl.Changed("range"):
				from, to, ok := strings.Cut(rng, ":")
				if !ok {
					from, to, ok = strings.Cut(rng, "..")
				}
				if !ok {
					return cmdutil.Usagef("--range %q: want FROM:TO, e.g. 4000:4999", rng)
				}
				r.Match, r.From, r.To = hierarchy.MatchRange, strings.TrimSpace(from), strings.TrimSpace(to)
			case fl.Changed("prefix"):
				r.Match, r.Value = hierarchy.MatchPrefix, prefix
			case fl.Changed("pattern"):
				r.Match, r.Value = hierarchy.MatchPattern, pattern
			}
			svc, err := service(f)
			if err != nil {
				return err
			}
			res, err := svc.AddRule(cmd.Context(), args[0], args[1], r)
			if err != nil {
				return err
			}
			return printResult(f, res)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&exact, "exact", "", "one code")
	fl.StringSliceVar(&list, "list", nil, "codes, comma-separated")
	fl.StringVar(&rng, "range", "", "FROM:TO, same width")
	fl.StringVar(&prefix, "prefix", "", "code prefix")
	fl.StringVar(&pattern, "pattern", "", "pattern with * and ?")
	fl.StringVar(&r.Column, "column", "", "source column (default: the hierarchy's first source column)")
	fl.BoolVar(&r.Exclude, "exclude", false, "exclude matching codes from this leaf")
	fl.IntVar(&r.Precedence, "precedence", 0, "precedence group; lower wins (default 1)")
	return cmd
}

func newMappingRemoveCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "remove ID LEAF INDEX",
		Aliases:           []string{"rm"},
		Short:             "Remove a leaf's rule by its number (see mapping list)",
		Example:           "  databridge hierarchy mapping remove acme_pl REV_SERVICE 2",
		Args:              cobra.ExactArgs(3),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			var idx int
			if _, err := fmt.Sscanf(args[2], "%d", &idx); err != nil {
				return cmdutil.Usagef("INDEX must be a rule number, not %q", args[2])
			}
			svc, err := service(f)
			if err != nil {
				return err
			}
			r, err := svc.RemoveRule(cmd.Context(), args[0], args[1], idx)
			if err != nil {
				return err
			}
			return printResult(f, r)
		},
	}
}

func newMappingListCmd(f *cmdutil.Factory) *cobra.Command {
	var inherited bool
	cmd := &cobra.Command{
		Use:               "list ID [NODE]",
		Aliases:           []string{"ls"},
		Short:             "List mapping rules: every leaf's, one node's, or with --inherited a rollup's descendants'",
		Example:           "  databridge hierarchy mapping list acme_pl\n  databridge hierarchy mapping list acme_pl REV --inherited",
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			node := ""
			if len(args) == 2 {
				node = args[1]
			}
			rules, err := svc.ListMappingRules(args[0], node, inherited)
			if err != nil {
				return err
			}
			if f.JSON() {
				// {"rules": [...]}: the list_mapping_rules tool's output.
				return f.PrintJSON(rules)
			}
			t := cmdutil.NewTable(f.IO, "NODE", "#", "RULE", "INHERITED")
			for _, r := range rules.Rules {
				inh := ""
				if r.Inherited {
					inh = "yes"
				}
				t.Row(r.Node, r.Index, r.Text, inh)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
	cmd.Flags().BoolVar(&inherited, "inherited", false, "include the rules of the node's descendant leaves")
	return cmd
}

func newMappingSummaryCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "summary ID",
		Short:             "Count rules by leaf, match type and column; list leaves without rules",
		Example:           "  databridge hierarchy mapping summary acme_pl --json",
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
			s := hierarchy.SummarizeMappings(h)
			if f.JSON() {
				return f.PrintJSON(s)
			}
			out := f.IO.Out
			fmt.Fprintf(out, "leaves: %d (%d mapped)\nrules: %d (%d exclusions)\n", s.Leaves, s.MappedLeaves, s.Rules, s.Exclusions)
			for _, m := range hierarchy.MatchTypes {
				if s.ByMatch[string(m)] > 0 {
					fmt.Fprintf(out, "  %-8s %d\n", m, s.ByMatch[string(m)])
				}
			}
			for c, n := range s.ByColumn {
				fmt.Fprintf(out, "column %s: %d rules\n", c, n)
			}
			if len(s.LeavesWithoutRule) > 0 {
				fmt.Fprintf(out, "leaves without rules: %s\n", strings.Join(s.LeavesWithoutRule, ", "))
			}
			return nil
		},
	}
}
