// Package modelcmd implements `databridge model ...`: review and approval
// of the canonical model that analyze proposes.
package modelcmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/warehouse"
)

// NewCmd builds the model command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "model",
		Short: "Review, correct and approve the canonical model proposed by analyze",
		Long: `Every command takes --model NAME (default: the only model). Each correction
is recorded as a decision in the model file and re-applied when analyze runs
again; approving freezes the model for generation (any later correction
returns it to draft). Approving also makes the model part of the warehouse
design (model: in .databridge/warehouse.yaml): generate and deploy build its
staging, dimension and fact objects, and a hierarchy can be bound to a model
table by its name.`,
		Example: `  databridge model show
  databridge model approve-entity vendors vendor --as dimension
  databridge model set-key gl_lines journal_id line_no
  databridge model add-relationship gl_lines cost_center --to cost_centers cost_center_code
  databridge model merge-columns customers phone mobile --into phone --strategy coalesce
  databridge model approve`,
	}
	cmd.PersistentFlags().StringVar(&name, "model", "", "model name (default: the only model)")
	svc := func() (*semantic.Service, error) {
		s, err := f.Services()
		if err != nil {
			return nil, err
		}
		return s.Semantic, nil
	}
	// render prints a decision's result: the model, or a line saying
	// what was recorded.
	render := func(m *model.Model, err error, msg string) error {
		if err != nil {
			return err
		}
		if f.JSON() {
			return f.PrintJSON(m)
		}
		fmt.Fprintf(f.IO.Out, "%s %s (model %s, %s, %d decisions)\n", f.IO.SuccessIcon(), msg, m.Name, m.Status, len(m.Decisions))
		return nil
	}
	decide := func(cmd *cobra.Command, d model.Decision, msg string) error {
		s, err := svc()
		if err != nil {
			return err
		}
		m, err := s.Decide(cmd.Context(), name, d)
		return render(m, err, msg)
	}

	list := &cobra.Command{
		Use: "list", Short: "List models", Args: cobra.NoArgs,
		Example: "  databridge model list",
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := svc()
			if err != nil {
				return err
			}
			names, err := s.List()
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(names)
			}
			t := cmdutil.NewTable(f.IO, "MODEL", "CONNECTION", "STATUS", "TABLES", "RELATIONSHIPS", "DECISIONS")
			for _, n := range names {
				m, err := s.Store.Get(n)
				if err != nil {
					t.Row(n, "ERROR: "+err.Error(), "", "", "", "")
					continue
				}
				t.Row(m.Name, m.Connection, m.Status, len(m.Tables), len(m.Relationships), len(m.Decisions))
			}
			t.Render(f.IO.Out)
			return nil
		},
	}

	var table string
	var evidence bool
	show := &cobra.Command{
		Use: "show [--table T] [--evidence]", Short: "Show the model with the confidence (and, with --evidence, the reasons) of each inference",
		Example: "  databridge model show\n  databridge model show --table gl_lines --evidence",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := svc()
			if err != nil {
				return err
			}
			m, err := s.Get(name)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(m)
			}
			if table == "" && !evidence {
				PrintSummary(f, m)
				return nil
			}
			for _, t := range m.Tables {
				if table != "" && !strings.EqualFold(t.Name, table) {
					continue
				}
				printTable(f, t)
			}
			for _, r := range m.Relationships {
				if table != "" && !strings.EqualFold(r.FromTable, table) && !strings.EqualFold(r.ToTable, table) {
					continue
				}
				fmt.Fprintf(f.IO.Out, "relationship %s(%s) → %s(%s): coverage %.3f, confidence %.2f\n", r.FromTable, strings.Join(r.FromColumns, ", "), r.ToTable, strings.Join(r.ToColumns, ", "), r.Coverage, r.Confidence)
				printEvidence(f, r.Evidence)
			}
			return nil
		},
	}
	show.Flags().StringVar(&table, "table", "", "only this table")
	show.Flags().BoolVar(&evidence, "evidence", false, "show the evidence of every inference")

	var as string
	approveEntity := &cobra.Command{
		Use:     "approve-entity TABLE ENTITY [--as ROLE]",
		Short:   "Confirm or correct a table's entity and role (fact, snapshot, accumulating, factless, dimension, bridge, time)",
		Example: "  databridge model approve-entity vendors vendor --as dimension\n  databridge model approve-entity gl_lines transaction --as fact",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := svc()
			if err != nil {
				return err
			}
			m, err := s.ApproveEntity(cmd.Context(), semantic.ApproveEntityInput{Model: name, Table: args[0], Entity: args[1], As: as})
			var role model.Role
			if m != nil {
				if t := m.Table(args[0]); t != nil {
					role = t.Role
				}
			}
			return render(m, err, fmt.Sprintf("%s is a %s", args[0], strings.Join(nonEmpty(string(semantic.NormalizeEntity(args[1])), string(role)), " ")))
		},
	}
	approveEntity.Flags().StringVar(&as, "as", "", "role: fact, snapshot, accumulating, factless, dimension, bridge or time")

	setKey := &cobra.Command{
		Use: "set-key TABLE COLUMN...", Short: "Set a table's primary key / grain",
		Example: "  databridge model set-key gl_lines journal_id line_no",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return decide(cmd, model.Decision{Action: model.ActionSetKey, Table: args[0], Columns: args[1:]}, fmt.Sprintf("key of %s is (%s)", args[0], strings.Join(args[1:], ", ")))
		},
	}

	var to []string
	addRel := &cobra.Command{
		Use: "add-relationship TABLE COLUMN... --to PARENT COLUMN...", Short: "Add a relationship (a foreign key, possibly composite)",
		Example: "  databridge model add-relationship gl_lines cost_center --to cost_centers cost_center_code",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(to) < 2 {
				return cmdutil.Usagef("--to PARENT COLUMN... is required (e.g. --to accounts,account_code)")
			}
			return decide(cmd, model.Decision{Action: model.ActionAddRelationship, Table: args[0], Columns: args[1:], ToTable: to[0], ToColumns: to[1:]},
				fmt.Sprintf("%s(%s) → %s(%s)", args[0], strings.Join(args[1:], ", "), to[0], strings.Join(to[1:], ", ")))
		},
	}
	addRel.Flags().StringSliceVar(&to, "to", nil, "parent table then its columns, comma-separated: --to accounts,account_code")

	removeRel := &cobra.Command{
		Use: "remove-relationship TABLE COLUMN...", Short: "Remove a relationship from the child columns",
		Example: "  databridge model remove-relationship lineitem l_partkey",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return decide(cmd, model.Decision{Action: model.ActionRemoveRelationship, Table: args[0], Columns: args[1:]}, fmt.Sprintf("removed the relationship of %s(%s)", args[0], strings.Join(args[1:], ", ")))
		},
	}

	var into, strategy string
	merge := &cobra.Command{
		Use: "merge-columns TABLE COLUMN... --into NAME --strategy coalesce|concatenate|first_non_null", Short: "Merge source columns into one",
		Example: "  databridge model merge-columns customers phone mobile --into phone --strategy coalesce",
		Args:    cobra.MinimumNArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			if into == "" {
				return cmdutil.Usagef("--into NAME is required")
			}
			return decide(cmd, model.Decision{Action: model.ActionMergeColumns, Table: args[0], Columns: args[1:], Into: into, Strategy: strategy},
				fmt.Sprintf("merged %s into %s.%s (%s)", strings.Join(args[1:], ", "), args[0], into, strategy))
		},
	}
	merge.Flags().StringVar(&into, "into", "", "name of the merged column")
	merge.Flags().StringVar(&strategy, "strategy", "coalesce", "coalesce, concatenate or first_non_null")

	approve := &cobra.Command{
		Use: "approve", Short: "Approve the model: it is frozen for generation until the next correction",
		Example: "  databridge model approve",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := f.Services()
			if err != nil {
				return err
			}
			m, err := s.ApproveModel(cmd.Context(), name)
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(m)
			}
			fmt.Fprintf(f.IO.Out, "%s approved model %s (%d tables, %d relationships); the warehouse design includes it (.databridge/%s model: %s)\n",
				f.IO.SuccessIcon(), m.Name, len(m.Tables), len(m.Relationships), warehouse.ConfigFile, m.Name)
			return nil
		},
	}
	cmd.AddCommand(list, show, approveEntity, setKey, addRel, removeRel, merge, approve)
	return cmd
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// PrintSummary prints the model as a table and its relationships.
func PrintSummary(f *cmdutil.Factory, m *model.Model) {
	out := f.IO.Out
	fmt.Fprintf(out, "%s  model of %s (%s)\n", f.IO.Bold(m.Name), m.Connection, m.Status)
	t := cmdutil.NewTable(f.IO, "TABLE", "ROWS", "ROLE", "ENTITY", "KEY (GRAIN)", "SCD", "MEASURES")
	for _, x := range m.Tables {
		rows := fmt.Sprint(x.Rows)
		if x.Sampled > 0 {
			rows += fmt.Sprintf(" (sampled %d)", x.Sampled)
		}
		t.Row(x.Name, rows, fmt.Sprintf("%s %.2f", x.Role, x.RoleInference.Confidence), fmt.Sprintf("%s %.2f", x.Entity, x.EntityInference.Confidence),
			strings.Join(x.PrimaryKey, ", "), x.SCD.Type, strings.Join(x.Measures, ", "))
	}
	t.Render(out)
	if len(m.Relationships) > 0 {
		fmt.Fprintln(out, "relationships:")
		for _, r := range m.Relationships {
			fmt.Fprintf(out, "  %s(%s) → %s(%s)  coverage %.3f, confidence %.2f\n", r.FromTable, strings.Join(r.FromColumns, ", "), r.ToTable, strings.Join(r.ToColumns, ", "), r.Coverage, r.Confidence)
		}
	}
}

func printTable(f *cmdutil.Factory, t *model.Table) {
	out := f.IO.Out
	fmt.Fprintf(out, "%s  %d rows\n", f.IO.Bold(t.Name), t.Rows)
	fmt.Fprintf(out, "  role %s (confidence %.2f)\n", t.Role, t.RoleInference.Confidence)
	printEvidence(f, t.RoleInference.Evidence)
	fmt.Fprintf(out, "  entity %s (confidence %.2f)\n", t.Entity, t.EntityInference.Confidence)
	printEvidence(f, t.EntityInference.Evidence)
	fmt.Fprintf(out, "  key (%s) (confidence %.2f)\n", strings.Join(t.PrimaryKey, ", "), t.KeyInference.Confidence)
	printEvidence(f, t.KeyInference.Evidence)
	fmt.Fprintf(out, "  SCD type %d (confidence %.2f)\n", t.SCD.Type, t.SCD.Confidence)
	printEvidence(f, t.SCD.Evidence)
	ct := cmdutil.NewTable(f.IO, "  COLUMN", "TYPE", "KIND", "NULLS", "DISTINCT", "PATTERN", "CLASS")
	for _, c := range t.Columns {
		ct.Row("  "+c.Name, c.Type, c.Kind, c.Profile.Nulls, c.Profile.Distinct, c.Profile.Pattern, c.Profile.Class)
	}
	ct.Render(out)
}

func printEvidence(f *cmdutil.Factory, ev []model.Evidence) {
	for _, e := range ev {
		fmt.Fprintf(f.IO.Out, "    · %s: %s\n", e.Rule, e.Detail)
	}
}
