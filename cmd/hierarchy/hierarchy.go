// Package hierarchy implements `databridge hierarchy ...`: financial
// reporting hierarchies with mappings, formulas, versions, validation and
// rollups.
package hierarchy

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/hierarchy"
)

// NewCmd builds the hierarchy command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "hierarchy",
		Aliases: []string{"hierarchies", "h"},
		Short:   "Build and check financial reporting hierarchies (P&L, balance sheet, cost centres...)",
		Long: `Hierarchies are reporting trees stored as YAML in .databridge/hierarchies/.
Leaves map source codes (GL accounts, cost centres, ...) through rules;
rollups add their children with consolidation signs (+ adds, - subtracts,
~ does not roll up); formula nodes compute lines such as Gross Profit.
A published version is immutable: editing it starts a new draft.`,
		Example: `  databridge hierarchy new "Acme P&L" --template standard_pl
  databridge hierarchy show acme_p_l
  databridge hierarchy mapping add acme_p_l REV_PRODUCT --range 4000:4099
  databridge hierarchy validate acme_p_l --against src.gl_transactions.account_code
  databridge hierarchy rollup acme_p_l --source src.gl_transactions --value amount --by period`,
	}
	cmd.AddCommand(
		newCreateCmd(f), newNewCmd(f), newTemplatesCmd(f), newListCmd(f), newShowCmd(f),
		newUpdateCmd(f), newDeleteCmd(f), newCopyCmd(f),
		newNodeCmd(f), newMappingCmd(f), newFormulaCmd(f),
		newPublishCmd(f), newDiffCmd(f), newHistoryCmd(f),
		newImportCmd(f), newExportCmd(f), newValidateCmd(f), newRollupCmd(f),
	)
	return cmd
}

func service(f *cmdutil.Factory) (*hierarchy.Service, error) {
	s, err := f.Services()
	if err != nil {
		return nil, err
	}
	return s.Hierarchies, nil
}

// completeIDs completes hierarchy ids for the first argument.
func completeIDs(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		svc, err := service(f)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		list, _ := svc.List()
		var ids []string
		for _, s := range list {
			ids = append(ids, s.ID)
		}
		return ids, cobra.ShellCompDirectiveNoFileComp
	}
}

// printResult renders the outcome of a change.
func printResult(f *cmdutil.Factory, r *hierarchy.Result) error {
	if f.JSON() {
		return f.PrintJSON(r)
	}
	fmt.Fprintf(f.IO.Out, "%s %s (%s v%d, %s)\n", f.IO.SuccessIcon(), r.Message, r.ID, r.Version, r.Status)
	return nil
}

func kindNames() string {
	var s []string
	for _, k := range hierarchy.Kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

func parseProps(kvs []string) (map[string]string, error) {
	if len(kvs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, cmdutil.Usagef("--property %q: want KEY=VALUE", kv)
		}
		out[k] = v
	}
	return out, nil
}

func parseConsolidation(s string) (hierarchy.Consolidation, error) {
	c, err := hierarchy.ParseConsolidation(s)
	if err != nil {
		return "", cmdutil.Usagef("--%v", err)
	}
	return c, nil
}
