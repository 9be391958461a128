// Package deploycmd implements `databridge deploy` and its status,
// history and rollback subcommands.
package deploycmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/cmd/publishcmd"
	"github.com/databridge/databridge/cmd/validatecmd"
	"github.com/databridge/databridge/pkg/advanced"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/gitops"
	"github.com/databridge/databridge/pkg/validate"
)

// Result is the JSON of `deploy`: deploy.DeployResult, the structured
// output of the MCP deploy_warehouse tool too.
type Result = deploy.DeployResult

// NewCmd builds `databridge deploy`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	var target, mode string
	var dry bool
	var adv advanced.RunInput
	var cloud advanced.CloudRunInput
	cmd := &cobra.Command{
		Use:   "deploy [--target NAME] [--dry-run]",
		Short: "Plan and apply the warehouse to a target, validated, with a ledger (status, history, rollback)",
		Long: `Design the warehouse (the approved model and the bound hierarchies), compare it
with the target and the deployment ledger — objects to create, replace, drop
or leave unchanged (by checksum) — then apply it in dependency order.

On DuckDB, PostgreSQL and SQL Server everything (DDL, loads and the basic
checks) runs in one transaction that commits only if the checks pass. On
engines without transactional DDL the previous definition of every object is
recorded first and restored if anything fails (see docs/deploy.md). Every
deployment is recorded in .databridge/state/deployments/<id>.json.`,
		Example: `  databridge deploy --dry-run
  databridge deploy
  databridge deploy --target warehouse_pg --json
  databridge deploy status
  databridge deploy rollback`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch mode {
			case "basic", "":
			case "advanced":
				if dry {
					return cmdutil.Usagef("--dry-run is for Basic Mode; in Advanced Mode run `databridge generate dbt --dry-run`")
				}
				if cloud.AccountID != "" || cloud.JobID != "" {
					return deployCloud(cmd, f, cloud)
				}
				adv.Target = target
				return deployAdvanced(cmd, f, adv)
			default:
				return cmdutil.Usagef("unknown --mode %q (basic or advanced)", mode)
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			d := svc.Deploy
			if !f.JSON() && !f.IO.Quiet() {
				c := *d
				c.Progress = progress(f)
				d = &c
			}
			res, err := d.Deploy(cmd.Context(), deploy.DeployInput{Target: target, DryRun: dry})
			if res == nil {
				return err
			}
			rec, report, failed := res.Deployment, res.Validation, res.FailedChecks
			if f.JSON() {
				if perr := f.PrintJSON(res); perr != nil {
					return perr
				}
			} else {
				printPlan(f, res.Plan)
				if rec != nil {
					fmt.Fprintf(f.IO.Out, "deployment %s: %s", rec.ID, rec.Status)
					if rec.Error != "" && len(failed) == 0 {
						fmt.Fprintf(f.IO.Out, " — %s", rec.Error)
					}
					fmt.Fprintln(f.IO.Out)
				}
				printChecks(f, report)
				if res.SemanticError != "" {
					// The deployment stands; what `databridge query` reads
					// is not refreshed.
					fmt.Fprintf(f.IO.ErrOut, "warning: the semantic layer was not refreshed: %s\n", res.SemanticError)
				}
			}
			if errors.Is(err, deploy.ErrValidationFailed) && rec != nil && len(failed) == 0 && rec.Error != "" {
				// Every check passed but the deploy was refused (a locked
				// period): say why, not "0 checks failed".
				return &cmdutil.ChecksFailedError{Msg: fmt.Sprintf("deployment %s rolled back: %s", rec.ID, rec.Error)}
			}
			if errors.Is(err, deploy.ErrValidationFailed) && rec != nil {
				// After the rollback the target no longer holds what was
				// checked: the failures are above and in the ledger.
				return &cmdutil.ChecksFailedError{Msg: fmt.Sprintf("deployment %s rolled back: %d of %d checks failed (listed above; `databridge deploy status %s` shows them again)",
					rec.ID, len(failed), len(report.Results), rec.ID)}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&target, "target", "", "connection to deploy to (default: the project's default target)")
	cmd.Flags().BoolVar(&dry, "dry-run", false, "show the plan only")
	cmd.Flags().StringVar(&mode, "mode", "basic", "basic (SQL scripts, plan, ledger) or advanced (dbt build of the generated dbt project)")
	cmd.Flags().StringVar(&adv.Dir, "dbt-dir", "", "advanced: the dbt project folder (default "+advanced.DefaultDir+")")
	cmd.Flags().StringVar(&adv.ProfilesDir, "profiles-dir", "", "advanced: use this folder's profiles.yml instead of one made from the target")
	cmd.Flags().StringVar(&adv.DBT, "dbt", "", "advanced: dbt executable (default $"+advanced.DBTEnv+", else dbt on PATH)")
	cmd.Flags().StringVar(&adv.Schema, "schema", "", "advanced: schema dbt builds into (default "+advanced.DefaultSchema+", apart from Basic Mode objects)")
	cmd.Flags().StringVar(&cloud.AccountID, "dbt-cloud-account", "", "advanced: run the dbt Cloud job of this account instead of local dbt (with --dbt-cloud-job)")
	cmd.Flags().StringVar(&cloud.JobID, "dbt-cloud-job", "", "advanced: the dbt Cloud job to run and wait for (token in $"+gitops.DefaultDBTCloudTokenEnv+")")
	cmd.Flags().StringVar(&cloud.BaseURL, "dbt-cloud-url", "", "advanced: dbt Cloud URL (default "+gitops.DBTCloudURL+")")
	cmd.Flags().StringSliceVar(&adv.Select, "select", nil, "advanced: dbt --select")
	cmd.AddCommand(newStatusCmd(f), newHistoryCmd(f), newRollbackCmd(f))
	return cmd
}

// progress prints one line per object on stderr, counted against the
// objects the plan changes; grants, the checks and compensation get a line
// of their own, uncounted.
func progress(f *cmdutil.Factory) func(done, total int, object, statement string) {
	last := "\x00"
	return func(done, total int, object, statement string) {
		line := ""
		switch {
		case object == "" && statement == "":
			return // finished
		case object == "" && statement == "validate":
			line = "checks"
		case object == "":
			line = "grants"
		case total == 0:
			line = "undo " + object
		default:
			line = fmt.Sprintf("[%d/%d] %s", min(done+1, total), total, object)
		}
		if line != last {
			f.IO.Progress("%s", line)
			last = line
		}
	}
}

// printChecks prints a validation report: its summary when every check
// passed, else every check with the sample rows of the failing ones.
func printChecks(f *cmdutil.Factory, r *validate.Report) {
	if r == nil {
		return
	}
	if r.OK() {
		fmt.Fprintf(f.IO.Out, "checks: %s\n", r.Summary())
		return
	}
	fmt.Fprintln(f.IO.Out, "checks:")
	validatecmd.Print(f, r)
}

func printPlan(f *cmdutil.Factory, p *deploy.Plan) {
	mode := "one transaction"
	if !p.Transactional {
		mode = "with compensation on failure"
	}
	fmt.Fprintf(f.IO.Out, "plan for %s (%s, %s): %d create, %d replace, %d drop, %d unchanged\n", p.Target, p.Dialect, mode, p.Creates, p.Replaces, p.Drops, p.Unchanged)
	t := cmdutil.NewTable(f.IO, "ACTION", "OBJECT", "KIND", "REASON")
	for _, it := range p.Items {
		t.Row(it.Action, it.Object.QualifiedName(), it.Object.Kind, it.Reason)
	}
	t.Render(f.IO.Out)
}

func deploys(f *cmdutil.Factory) (*deploy.Service, error) {
	svc, err := f.Services()
	if err != nil {
		return nil, err
	}
	return svc.Deploy, nil
}

func newStatusCmd(f *cmdutil.Factory) *cobra.Command {
	var target string
	cmd := &cobra.Command{
		Use: "status [ID]", Short: "Show a deployment (default: the latest of the target)",
		Example: "  databridge deploy status\n  databridge deploy status 20261126T001500-ab12cd34 --json",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := deploys(f)
			if err != nil {
				return err
			}
			rec, err := d.Status(deploy.RecordInput{ID: first(args), Target: target})
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(rec)
			}
			status := rec.Status
			if rec.Interrupted != "" {
				status += " (interrupted: its process is gone)"
			}
			fmt.Fprintf(f.IO.Out, "%s  %s → %s (%s)  %s by %s@%s\n", f.IO.Bold(rec.ID), rec.Kind, rec.Target, rec.Dialect, status, rec.User, rec.Host)
			fmt.Fprintf(f.IO.Out, "started %s", rec.StartedAt.Format("2006-01-02 15:04:05"))
			if !rec.FinishedAt.IsZero() {
				fmt.Fprintf(f.IO.Out, ", finished %s (%s)", rec.FinishedAt.Format("15:04:05"), rec.FinishedAt.Sub(rec.StartedAt).Round(1e6))
			}
			fmt.Fprintln(f.IO.Out)
			if rec.Interrupted != "" {
				fmt.Fprintf(f.IO.Out, "%s %s\n", f.IO.FailIcon(), rec.Interrupted)
			}
			if rec.Error != "" {
				fmt.Fprintf(f.IO.Out, "error: %s\n", rec.Error)
			}
			if rec.Plan != nil {
				printPlan(f, rec.Plan)
			}
			fmt.Fprintf(f.IO.Out, "%d statements run", len(rec.Statements))
			if rec.FailedStatement >= 0 && rec.FailedStatement < len(rec.Statements) {
				s := rec.Statements[rec.FailedStatement]
				where := s.Phase
				if s.Object != "" {
					where = s.Object + ", " + s.Phase
				}
				fmt.Fprintf(f.IO.Out, "; statement %d failed (%s): %s", rec.FailedStatement+1, where, s.Error)
			}
			fmt.Fprintln(f.IO.Out)
			for _, n := range rec.Notes {
				fmt.Fprintf(f.IO.Out, "note: %s\n", n)
			}
			printChecks(f, deploy.RecordReport(rec))
			return nil
		},
	}
	cmd.Flags().StringVar(&target, "target", "", "target (default: the project's default target)")
	return cmd
}

func first(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return ""
}

func newHistoryCmd(f *cmdutil.Factory) *cobra.Command {
	var target string
	cmd := &cobra.Command{
		Use: "history", Short: "List the target's deployments, newest first",
		Example: "  databridge deploy history",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := deploys(f)
			if err != nil {
				return err
			}
			h, err := d.History(deploy.HistoryInput{Target: target})
			if err != nil {
				return err
			}
			if f.JSON() {
				return f.PrintJSON(h)
			}
			tb := cmdutil.NewTable(f.IO, "ID", "KIND", "STATUS", "STARTED", "CREATE", "REPLACE", "DROP", "UNCHANGED", "NOTE")
			for _, s := range h {
				note := s.Error
				status := s.Status
				if s.Interrupted != "" {
					status, note = s.Status+" (interrupted)", "its process is gone: see `deploy status`"
				}
				if s.RolledBackBy != "" {
					note = "rolled back by " + s.RolledBackBy
				}
				if s.RollbackOf != "" {
					note = "rollback of " + s.RollbackOf
				}
				tb.Row(s.ID, s.Kind, status, s.StartedAt.Format("2006-01-02 15:04:05"), s.Creates, s.Replaces, s.Drops, s.Unchanged, trim(note, 60))
			}
			tb.Render(f.IO.Out)
			return nil
		},
	}
	cmd.Flags().StringVar(&target, "target", "", "target (default: the project's default target)")
	return cmd
}

func trim(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > n {
		return s[:n-1] + "…"
	}
	return s
}

func newRollbackCmd(f *cmdutil.Factory) *cobra.Command {
	var target string
	cmd := &cobra.Command{
		Use:   "rollback [ID]",
		Short: "Restore the target to its state before a deployment (default: the latest committed one)",
		Example: `  databridge deploy rollback
  databridge deploy rollback 20261126T001500-ab12cd34`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := deploys(f)
			if err != nil {
				return err
			}
			rec, err := d.Rollback(cmd.Context(), deploy.RecordInput{ID: first(args), Target: target})
			if rec != nil {
				if f.JSON() {
					if perr := f.PrintJSON(rec); perr != nil {
						return perr
					}
				} else {
					fmt.Fprintf(f.IO.Out, "%s rollback %s of deployment %s: %s\n", f.IO.SuccessIcon(), rec.ID, rec.RollbackOf, rec.Status)
				}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&target, "target", "", "target (default: the project's default target)")
	return cmd
}

// deployAdvanced builds the generated dbt project into the target with
// dbt (models, seeds and their tests) and records the run.
func deployAdvanced(cmd *cobra.Command, f *cmdutil.Factory, in advanced.RunInput) error {
	out := f.IO.ErrOut
	if f.IO.Quiet() {
		out = nil
	}
	s, err := f.Services()
	if err != nil {
		return err
	}
	rec, err := s.Advanced.RunLocal(cmd.Context(), in, out)
	if rec != nil {
		if f.JSON() {
			if perr := f.PrintJSON(rec); perr != nil {
				return perr
			}
		} else {
			fmt.Fprintf(f.IO.Out, "dbt %s into %s.%s (%s): %d passed, %d failed, %.1fs; recorded as %s\n",
				rec.Command[1], rec.Target, rec.Schema, rec.Adapter, rec.Passed, len(rec.Failures), rec.Result.Elapsed, rec.ID)
			for _, fl := range rec.Failures {
				fmt.Fprintf(f.IO.Out, "  %s %s\n", f.IO.FailIcon(), fl)
			}
		}
		if err != nil && rec.Result != nil && rec.Result.Status == "fail" {
			return &cmdutil.ChecksFailedError{Msg: err.Error()}
		}
	}
	return err
}

// deployCloud runs the project's dbt Cloud job and waits for its outcome.
func deployCloud(cmd *cobra.Command, f *cmdutil.Factory, in advanced.CloudRunInput) error {
	if in.AccountID == "" || in.JobID == "" {
		return cmdutil.Usagef("--dbt-cloud-account and --dbt-cloud-job go together")
	}
	in.Wait = true
	err := publishcmd.RunDBTCloud(cmd, f, in)
	var failed *gitops.RunFailedError
	if errors.As(err, &failed) {
		return &cmdutil.ChecksFailedError{Msg: err.Error()}
	}
	return err
}
