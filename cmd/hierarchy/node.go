package hierarchy

import (
	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/hierarchy"
)

func newNodeCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Add, change, move, remove and reorder nodes",
		Example: `  databridge hierarchy node add acme_pl OPEX_RENT --name Rent --parent OPEX
  databridge hierarchy node move acme_pl OPEX_RENT --parent FACILITIES --position 1
  databridge hierarchy node remove acme_pl OLD_LINE --with-children`,
	}
	cmd.AddCommand(newNodeAddCmd(f), newNodeUpdateCmd(f), newNodeMoveCmd(f), newNodeRemoveCmd(f), newNodeReorderCmd(f))
	return cmd
}

func newNodeAddCmd(f *cmdutil.Factory) *cobra.Command {
	var in hierarchy.NodeInput
	var typ, cons, nulls string
	var props []string
	cmd := &cobra.Command{
		Use:   "add ID CODE",
		Short: "Add a node (a leaf unless --type or --formula says otherwise)",
		Example: `  databridge hierarchy node add acme_pl REV --name Revenue --type rollup --flip-sign
  databridge hierarchy node add acme_pl REV_PRODUCT --name "Product revenue" --parent REV
  databridge hierarchy node add acme_pl GP --name "Gross profit" --parent PL --formula "REV - COGS" --consolidation "~"`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Code = args[1]
			in.Type = hierarchy.NodeType(typ)
			in.Nulls = hierarchy.NullHandling(nulls)
			if cons != "" {
				c, err := parseConsolidation(cons)
				if err != nil {
					return err
				}
				in.Consolidation = c
			}
			p, err := parseProps(props)
			if err != nil {
				return err
			}
			in.Properties = p
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Hierarchies.AddNode(cmd.Context(), args[0], in)
			if err != nil {
				return err
			}
			return printResult(f, r)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Name, "name", "", "display name (default: the code)")
	fl.StringVar(&in.Parent, "parent", "", "parent node code (default: a new root)")
	fl.StringVar(&typ, "type", "", "rollup, leaf, formula or label (default: leaf, or formula with --formula)")
	fl.StringVar(&cons, "consolidation", "", "+ adds to the parent (default), - subtracts, ~ does not roll up")
	fl.BoolVar(&in.FlipSign, "flip-sign", false, "flip the sign for presentation (e.g. revenue stored as credits)")
	fl.StringVar(&in.Formula, "formula", "", "expression for a formula node, e.g. \"REV - COGS\"")
	fl.StringVar(&nulls, "nulls", "", "formula null handling: zero (default), skip or error")
	fl.IntVar(&in.Position, "position", 0, "1-based place among its siblings (default: last)")
	fl.StringArrayVar(&props, "property", nil, "free-form property KEY=VALUE (repeatable)")
	return cmd
}

func newNodeUpdateCmd(f *cmdutil.Factory) *cobra.Command {
	var code, name, typ, cons string
	var flip bool
	var props, delProps []string
	cmd := &cobra.Command{
		Use:   "update ID CODE",
		Short: "Change a node's code, name, type, consolidation, sign flip or properties",
		Long: `Change a node. Renaming its code (--code) also updates its children and every
formula that references it.`,
		Example:           "  databridge hierarchy node update acme_pl OPEX --name \"Operating expenses\" --code OPEX_TOTAL",
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			var p hierarchy.NodePatch
			fl := cmd.Flags()
			if fl.Changed("code") {
				p.NewCode = &code
			}
			if fl.Changed("name") {
				p.Name = &name
			}
			if fl.Changed("type") {
				t := hierarchy.NodeType(typ)
				p.Type = &t
			}
			if fl.Changed("consolidation") {
				c, err := parseConsolidation(cons)
				if err != nil {
					return err
				}
				p.Consolidation = &c
			}
			if fl.Changed("flip-sign") {
				p.FlipSign = &flip
			}
			sp, err := parseProps(props)
			if err != nil {
				return err
			}
			p.SetProperties = sp
			p.DelProperties = delProps
			if p.NewCode == nil && p.Name == nil && p.Type == nil && p.Consolidation == nil && p.FlipSign == nil && sp == nil && delProps == nil {
				return cmdutil.Usagef("nothing to update: pass --code, --name, --type, --consolidation, --flip-sign, --property or --remove-property")
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			r, err := svc.Hierarchies.UpdateNode(cmd.Context(), args[0], args[1], p)
			if err != nil {
				return err
			}
			return printResult(f, r)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&code, "code", "", "new code")
	fl.StringVar(&name, "name", "", "new name")
	fl.StringVar(&typ, "type", "", "new type: rollup, leaf, formula or label")
	fl.StringVar(&cons, "consolidation", "", "+, - or ~")
	fl.BoolVar(&flip, "flip-sign", false, "flip the sign for presentation (--flip-sign=false to clear)")
	fl.StringArrayVar(&props, "property", nil, "set a property KEY=VALUE (repeatable)")
	fl.StringArrayVar(&delProps, "remove-property", nil, "remove a property (repeatable)")
	return cmd
}

func newNodeMoveCmd(f *cmdutil.Factory) *cobra.Command {
	var parent string
	var pos int
	cmd := &cobra.Command{
		Use:               "move ID CODE --parent PARENT",
		Short:             "Move a node and its subtree under a new parent (--parent \"\" makes it a root)",
		Example:           "  databridge hierarchy node move acme_pl OPEX_RENT --parent FACILITIES --position 1",
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("parent") {
				return cmdutil.Usagef("--parent is required (use --parent \"\" to make the node a root)")
			}
			svc, err := service(f)
			if err != nil {
				return err
			}
			r, err := svc.MoveNode(cmd.Context(), args[0], args[1], parent, pos)
			if err != nil {
				return err
			}
			return printResult(f, r)
		},
	}
	cmd.Flags().StringVar(&parent, "parent", "", "new parent code")
	cmd.Flags().IntVar(&pos, "position", 0, "1-based place among the new siblings (default: last)")
	return cmd
}

func newNodeRemoveCmd(f *cmdutil.Factory) *cobra.Command {
	var with bool
	cmd := &cobra.Command{
		Use:               "remove ID CODE",
		Aliases:           []string{"rm"},
		Short:             "Remove a node; its children move up in its place unless --with-children",
		Example:           "  databridge hierarchy node remove acme_pl OLD_LINE\n  databridge hierarchy node remove acme_pl DISCONTINUED --with-children",
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			r, err := svc.RemoveNode(cmd.Context(), args[0], args[1], with)
			if err != nil {
				return err
			}
			return printResult(f, r)
		},
	}
	cmd.Flags().BoolVar(&with, "with-children", false, "remove the whole subtree")
	return cmd
}

func newNodeReorderCmd(f *cmdutil.Factory) *cobra.Command {
	var parent string
	cmd := &cobra.Command{
		Use:               "reorder ID --parent PARENT CODE...",
		Short:             "Set the order of a node's children (every child, in the new order)",
		Example:           "  databridge hierarchy node reorder acme_pl --parent OPEX OPEX_PAYROLL OPEX_RENT OPEX_OTHER",
		Args:              cobra.MinimumNArgs(2),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			r, err := svc.Reorder(cmd.Context(), args[0], parent, args[1:])
			if err != nil {
				return err
			}
			return printResult(f, r)
		},
	}
	cmd.Flags().StringVar(&parent, "parent", "", "the parent whose children to reorder (default: the roots)")
	return cmd
}
