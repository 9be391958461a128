package hierarchy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
)

func newPublishCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "publish ID",
		Short: "Publish the current draft: it becomes immutable; the next edit starts a new version",
		Long: `Publish freezes the current draft as version N (stored under
.databridge/hierarchies/versions/ID/). A structurally broken hierarchy is
refused; run validate first for the full check, including unmapped codes.`,
		Example:           "  databridge hierarchy validate acme_pl --against src.gl.account && databridge hierarchy publish acme_pl",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			r, err := svc.Publish(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return printResult(f, r)
		},
	}
}

func newHistoryCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "history ID",
		Short:             "List a hierarchy's versions",
		Example:           "  databridge hierarchy history acme_pl",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			hist, err := svc.Store.History(args[0])
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(hist)
			}
			t := cmdutil.NewTable(f.IO, "VERSION", "STATUS", "PUBLISHED", "UPDATED", "NODES", "RULES", "CURRENT")
			for _, v := range hist {
				pub, cur := "", ""
				if v.PublishedAt != nil {
					pub = v.PublishedAt.Format("2006-01-02 15:04")
				}
				if v.Current {
					cur = "*"
				}
				t.Row(v.Version, v.Status, pub, v.UpdatedAt.Format("2006-01-02 15:04"), v.Nodes, v.Rules, cur)
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
}

func newDiffCmd(f *cmdutil.Factory) *cobra.Command {
	var from, to int
	cmd := &cobra.Command{
		Use:               "diff ID --from N [--to M]",
		Short:             "Compare two versions: nodes added, removed, moved, changed; mappings changed",
		Example:           "  databridge hierarchy diff acme_pl --from 1\n  databridge hierarchy diff acme_pl --from 1 --to 2 --json",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			if from == 0 {
				return cmdutil.Usagef("--from is required (a published version number; see hierarchy history)")
			}
			svc, err := service(f)
			if err != nil {
				return err
			}
			d, err := svc.Diff(args[0], from, to)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(d)
			}
			out := f.IO.Out
			fmt.Fprintf(out, "%s: version %d → %d\n", d.ID, d.From, d.To)
			if d.Empty() {
				fmt.Fprintln(out, "no differences")
				return nil
			}
			for _, n := range d.Added {
				fmt.Fprintf(out, "%s %s  %s (under %s)\n", f.IO.Success("+"), n.Code, n.Name, orRoot(n.ToParent))
			}
			for _, n := range d.Removed {
				fmt.Fprintf(out, "%s %s  %s (was under %s)\n", f.IO.Fail("-"), n.Code, n.Name, orRoot(n.FromParent))
			}
			for _, n := range d.Moved {
				fmt.Fprintf(out, "%s %s  moved from %s #%d to %s #%d\n", f.IO.Accent("→"), n.Code, orRoot(n.FromParent), n.FromPos, orRoot(n.ToParent), n.ToPos)
			}
			for _, n := range d.Changed {
				keys := make([]string, 0, len(n.Fields))
				for k := range n.Fields {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				var parts []string
				for _, k := range keys {
					parts = append(parts, k+": "+n.Fields[k])
				}
				fmt.Fprintf(out, "~ %s  %s\n", n.Code, strings.Join(parts, "; "))
			}
			for _, m := range d.Mappings {
				for _, r := range m.Added {
					fmt.Fprintf(out, "%s rule on %s: %s\n", f.IO.Success("+"), m.Node, r)
				}
				for _, r := range m.Removed {
					fmt.Fprintf(out, "%s rule on %s: %s\n", f.IO.Fail("-"), m.Node, r)
				}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&from, "from", 0, "the older version")
	cmd.Flags().IntVar(&to, "to", 0, "the newer version (default: the current one)")
	return cmd
}

func orRoot(p string) string {
	if p == "" {
		return "the root"
	}
	return p
}
