// Package generate implements `databridge generate ...`: the warehouse
// design as SQL scripts (Basic Mode), object previews, and the bindings of
// hierarchies to fact sources.
package generate

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/advanced"
	"github.com/databridge/databridge/pkg/gitops"
	"github.com/databridge/databridge/pkg/scripts"
	"github.com/databridge/databridge/pkg/warehouse"
)

// NewCmd builds the generate command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Generate the warehouse: per hierarchy TBL_0 → VW_1 → DT_2 → DT_3A → DT_3, as SQL scripts for seven engines",
		Example: `  databridge generate bind acme_pl --source FACT_GL_JOURNAL_LINES --value AMOUNT --code-column account_code --by fiscal_year,fiscal_quarter
  databridge generate sql
  databridge generate dbt --git
  databridge generate preview DT_3_ACME_PL`,
	}
	cmd.AddCommand(newSQLCmd(f), newDBTCmd(f), newPreviewCmd(f), newBindCmd(f))
	return cmd
}

func service(f *cmdutil.Factory) (*warehouse.Service, error) {
	s, err := f.Services()
	if err != nil {
		return nil, err
	}
	return s.Warehouse, nil
}

func dialectFlag(cmd *cobra.Command, dst *string) {
	cmd.Flags().StringVar(dst, "dialect", "", "target engine: "+strings.Join(warehouse.Dialects, ", ")+" (default: the default target's)")
	_ = cmd.RegisterFlagCompletionFunc("dialect", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return warehouse.Dialects, cobra.ShellCompDirectiveNoFileComp
	})
}

func newSQLCmd(f *cmdutil.Factory) *cobra.Command {
	var in scripts.GenerateInput
	cmd := &cobra.Command{
		Use:   "sql [--dialect D] [--out DIR] [--hierarchy ID...]",
		Short: "Write dependency-ordered SQL scripts and a manifest (Basic Mode)",
		Long: `Design the warehouse for the bound hierarchies and write, in dependency order:

  01_dimensions.sql      TBL_0_<H> (one row per node) and TBL_0_<H>_MAPPING (rules as rows), with their loads
  02_facts.sql           fact tables (from the canonical model, when approved)
  03_views.sql           VW_1_<H> (rules against node levels); DT_2_<H> outside Snowflake
  04_dynamic_tables.sql  DT_2/DT_3A/DT_3: dynamic tables on Snowflake, materialized views on PostgreSQL, tables elsewhere
  05_grants.sql          grants from warehouse.yaml
  manifest.json          objects, order, checksums

Bind hierarchies to their fact table first (generate bind).

--dialect other than the default target's engine needs the approved model's
sources to be tables in that engine: a model over files is generated for
DuckDB only, which reads the files directly. Snowflake dynamic tables also
need a virtual warehouse: snowflake.warehouse in .databridge/warehouse.yaml,
a Snowflake connection with --warehouse, or snowflake.materialize: table.`,
		Example: `  databridge generate sql
  databridge generate sql --hierarchy acme_pl --dry-run --json
  databridge generate sql --dialect postgres --out build/postgres   # sources in PostgreSQL`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := service(f)
			if err != nil {
				return err
			}
			res, _, err := scripts.Generate(cmd.Context(), svc, in, "databridge "+f.Version)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(res)
			}
			verb := "wrote"
			if !res.Written {
				verb = "would write"
			}
			fmt.Fprintf(f.IO.Out, "%s %s %d objects for %s in %s\n", f.IO.SuccessIcon(), verb, len(res.Manifest.Objects), res.Manifest.Dialect, res.Dir)
			t := cmdutil.NewTable(f.IO, "FILE", "STATEMENTS", "OBJECTS")
			for _, fe := range res.Manifest.Files {
				t.Row(fe.Name, fe.Statements, strings.Join(fe.Objects, ", "))
			}
			t.Render(f.IO.Out)
			return nil
		},
	}
	dialectFlag(cmd, &in.Dialect)
	cmd.Flags().StringVar(&in.Out, "out", "", "output folder (default: generated/sql/<dialect> in the project)")
	cmd.Flags().StringSliceVar(&in.Hierarchies, "hierarchy", nil, "only these hierarchies (default: every binding)")
	cmd.Flags().BoolVar(&in.DryRun, "dry-run", false, "render without writing")
	return cmd
}

func newPreviewCmd(f *cmdutil.Factory) *cobra.Command {
	var in warehouse.PreviewInput
	cmd := &cobra.Command{
		Use:     "preview OBJECT [--dialect D]",
		Short:   "Print one generated object's DDL and load statements",
		Example: "  databridge generate preview DT_3_ACME_PL\n  databridge generate preview DT_3_ACME_PL --dialect postgres   # sources in PostgreSQL",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Object = args[0]
			svc, err := service(f)
			if err != nil {
				return err
			}
			o, err := svc.Preview(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(o)
			}
			deps := "nothing"
			if len(o.DependsOn) > 0 {
				deps = strings.Join(o.DependsOn, ", ")
			}
			fmt.Fprintf(f.IO.Out, "-- %s %s (%s on %s); depends on %s; checksum %s\n", o.Role, o.QualifiedName(), o.Kind, o.Engine, deps, o.Checksum[:12])
			for _, s := range append(append([]string{}, o.DDL...), o.Load...) {
				fmt.Fprintf(f.IO.Out, "%s;\n\n", s)
			}
			return nil
		},
	}
	dialectFlag(cmd, &in.Dialect)
	return cmd
}

func newBindCmd(f *cmdutil.Factory) *cobra.Command {
	var b warehouse.Binding
	cmd := &cobra.Command{
		Use:   "bind HIERARCHY --source TABLE --value COLUMN [--by COLUMN...]",
		Short: "Bind a hierarchy to the fact table its leaves' codes come from (writes .databridge/warehouse.yaml)",
		Example: `  databridge generate bind acme_pl --source gl_transactions --value amount --code-column account_code --by period,cost_center
  databridge generate bind cost_centres --source finance.gl_lines --value amount --rule-column cost_center`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b.Hierarchy = args[0]
			if b.Source == "" || len(b.Values) == 0 {
				return cmdutil.Usagef("--source and --value are required")
			}
			if _, err := warehouse.ParseSourceName(b.Source); err != nil {
				return cmdutil.Usagef("--source: %v", err)
			}
			svc, err := service(f)
			if err != nil {
				return err
			}
			cfg, err := svc.Bind(cmd.Context(), b)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(cfg)
			}
			fmt.Fprintf(f.IO.Out, "%s bound %s to %s (values %s", f.IO.SuccessIcon(), b.Hierarchy, b.Source, strings.Join(b.Values, ", "))
			if len(b.GroupBy) > 0 {
				fmt.Fprintf(f.IO.Out, "; by %s", strings.Join(b.GroupBy, ", "))
			}
			fmt.Fprintln(f.IO.Out, ")")
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&b.Source, "source", "", "fact table in the target warehouse: table, schema.table or database.schema.table (a table of the approved model by its name)")
	fl.StringSliceVar(&b.Values, "value", nil, "amount column(s) to sum")
	fl.StringVar(&b.CodeColumn, "code-column", "", "source column holding the codes (default: the rule column)")
	fl.StringVar(&b.RuleColumn, "rule-column", "", "which rules apply (default: the hierarchy's first source column)")
	fl.StringSliceVar(&b.GroupBy, "by", nil, "grouping columns kept through the pipeline (period, entity...)")
	fl.StringVar(&b.Name, "name", "", "object name stem (default: the hierarchy id upper-cased)")
	return cmd
}

func newDBTCmd(f *cmdutil.Factory) *cobra.Command {
	var in advanced.GenerateInput
	cmd := &cobra.Command{
		Use:   "dbt [--adapter A] [--out DIR] [--git]",
		Short: "Write the warehouse as a complete dbt project (Advanced Mode), optionally committed to git",
		Long: `Design the warehouse for the bound hierarchies (and the approved model) and
write it as a dbt project: dbt_project.yml, sources, staging models, the
hierarchies as seeds, the TBL_0 → VW_1 → DT_2 → DT_3A → DT_3 pipeline and the
dimensions and facts as models, with schema tests, singular tests that the
totals tie out, a profiles.yml.example and a CI workflow.

Regenerating rewrites only the files whose content changed. With --git the
folder is a git repository and every generation that changes something is one
commit (an unchanged project makes no commit). Publish it with
` + "`databridge publish`" + `.`,
		Example: `  databridge generate dbt
  databridge generate dbt --git
  databridge generate dbt --adapter snowflake --out build/dbt --git   # sources in Snowflake
  databridge generate dbt --dry-run --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := f.Services()
			if err != nil {
				return err
			}
			res, _, err := s.Advanced.Generate(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(res)
			}
			verb := "wrote"
			if !res.Written {
				verb = "would write"
			}
			fmt.Fprintf(f.IO.Out, "%s %s dbt project %s (%s) in %s: %d models, %d seeds, %d singular tests, %d files (%d changed)\n",
				f.IO.SuccessIcon(), verb, res.Name, res.Adapter, res.Dir, len(res.Models), len(res.Seeds), len(res.Tests), len(res.Files), len(res.Changed))
			if len(res.Removed) > 0 {
				fmt.Fprintf(f.IO.Out, "removed %d files the design no longer has: %s\n", len(res.Removed), strings.Join(res.Removed, ", "))
			}
			if c := res.Commit; c != nil {
				if c.Changed {
					fmt.Fprintf(f.IO.Out, "committed %s on %s (%d files tracked)\n", gitops.ShortHash(c.Commit), c.Branch, c.Files)
				} else {
					fmt.Fprintf(f.IO.Out, "nothing to commit: %s on %s is current\n", gitops.ShortHash(c.Commit), c.Branch)
				}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Adapter, "adapter", "", "dbt adapter: duckdb, postgres, snowflake, bigquery, databricks, sqlserver, mysql (default: the default target's)")
	_ = cmd.RegisterFlagCompletionFunc("adapter", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return warehouse.Dialects, cobra.ShellCompDirectiveNoFileComp
	})
	fl.StringVar(&in.Name, "name", "", "dbt project and profile name (default databridge_warehouse)")
	fl.StringVar(&in.Out, "out", "", "output folder (default "+advanced.DefaultDir+" in the project)")
	fl.BoolVar(&in.DryRun, "dry-run", false, "generate without writing")
	fl.BoolVar(&in.Git, "git", false, "commit the project to the git repository in the output folder (created when missing)")
	fl.StringVar(&in.Message, "message", "", "commit message (with --git)")
	fl.StringVar(&in.Branch, "branch", "", "branch to commit on (with --git)")
	return cmd
}
