package hierarchy

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/project"
)

func newImportCmd(f *cmdutil.Factory) *cobra.Command {
	var in hierarchy.ImportInput
	var kind string
	cmd := &cobra.Command{
		Use:   "import ID FILE",
		Short: "Import nodes (parent-child or wide levels) or mapping rules from CSV; the format is detected",
		Long: `Import a CSV into a hierarchy. The format is detected from the header:

  parent-child   code, name, parent, sort, type, consolidation, flip_sign, formula, ...
  wide levels    level_1, level_2, ... (or level_N_code + level_N_name, level_N_sort)
  mapping        node, column, match, value, from, to, action/exclude, precedence

Every rejected row is reported with its line number and reason, and nothing
is imported unless --skip-bad-rows. Formulas get the same check as
'formula set' (unknown codes, self-references, references to the node's own
ancestors, cycles). --dry-run runs every check of the import and shows what
would change: the same rows rejected, for the same reasons.
See docs/hierarchy-csv.md.`,
		Example: `  databridge hierarchy import acme_pl nodes.csv --create --name "Acme P&L" --kind income_statement --source-column account
  databridge hierarchy import acme_pl mappings.csv --dry-run
  databridge hierarchy import acme_pl mappings.csv --replace-rules`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.ID = args[0]
			if abs, err := absPath(args[1]); err == nil {
				in.File = abs
			} else {
				return err
			}
			in.Kind = hierarchy.Kind(kind)
			svc, err := service(f)
			if err != nil {
				return err
			}
			out, err := svc.Import(cmd.Context(), in)
			if out == nil {
				return err
			}
			if f.JSON() {
				if perr := f.PrintJSON(out); perr != nil {
					return perr
				}
			} else {
				printImport(f, out)
			}
			if errors.Is(err, hierarchy.ErrRowsRejected) {
				return fmt.Errorf("%d %s rejected, nothing imported (fix them, or pass --skip-bad-rows)", len(out.Rejected), plural(len(out.Rejected), "row"))
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&in.Create, "create", false, "create the hierarchy from this nodes file")
	fl.StringVar(&in.Name, "name", "", "name of a created hierarchy")
	fl.StringVar(&kind, "kind", "", "kind of a created hierarchy: "+kindNames())
	fl.StringSliceVar(&in.SourceColumns, "source-column", nil, "source column(s) of a created hierarchy")
	fl.BoolVar(&in.DryRun, "dry-run", false, "run every check of the import and show what would change; change nothing")
	fl.BoolVar(&in.SkipBadRows, "skip-bad-rows", false, "import the good rows even if some are rejected")
	fl.BoolVar(&in.ReplaceRules, "replace-rules", false, "mapping files: replace the rules of each leaf named in the file")
	return cmd
}

// absPath resolves FILE against the working directory (not the project).
func absPath(p string) (string, error) {
	if p == "" {
		return "", cmdutil.Usagef("a file is required")
	}
	return filepath.Abs(p)
}

func printImport(f *cmdutil.Factory, o *hierarchy.ImportOutcome) {
	out := f.IO.Out
	verb := "imported"
	switch {
	case o.DryRun:
		verb = "would import"
	case !o.Applied:
		verb = "did not import"
	}
	s := o.Summary
	fmt.Fprintf(out, "%s %s into %s (%s): %d rows — %d added, %d updated, %d unchanged", verb, o.Shape, o.ID, map[bool]string{true: "new hierarchy", false: fmt.Sprintf("v%d %s", o.Version, o.Status)}[o.Created], s.Rows, s.Added, s.Updated, s.Unchanged)
	if s.Removed > 0 {
		fmt.Fprintf(out, ", %d removed", s.Removed)
	}
	fmt.Fprintf(out, ", %d rejected\n", s.Rejected)
	if len(o.Rejected) > 0 {
		t := cmdutil.NewTable(f.IO, "LINE", "REASON")
		for _, r := range o.Rejected {
			t.Row(r.Line, r.Reason)
		}
		t.Render(out)
	}
}

func newExportCmd(f *cmdutil.Factory) *cobra.Command {
	var shape, output string
	var version int
	cmd := &cobra.Command{
		Use:   "export ID [--shape parent-child|wide-levels|mapping] [-o FILE]",
		Short: "Export a hierarchy's nodes or mapping rules as CSV",
		Example: `  databridge hierarchy export acme_pl > nodes.csv
  databridge hierarchy export acme_pl --shape wide-levels -o levels.csv
  databridge hierarchy export acme_pl --shape mapping -o mappings.csv`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeIDs(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			data, err := svc.Export(args[0], version, hierarchy.CSVShape(shape))
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
				_, err = fmt.Fprint(f.IO.Out, data)
				return err
			}
			if err := project.WriteFileAtomic(output, []byte(data), 0o644); err != nil {
				return err
			}
			f.IO.Progress("wrote %s", output)
			return nil
		},
	}
	cmd.Flags().StringVar(&shape, "shape", "parent-child", "parent-child, wide-levels or mapping")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE instead of stdout")
	cmd.Flags().IntVar(&version, "version", 0, "export a published version (default: the current one)")
	return cmd
}
