// Package workflowcmd implements `databridge workflow ...`: warehouse builds
// that wait for approval and resume after a crash.
package workflowcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/workflow"
)

// NewCmd builds the workflow command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "workflow",
		Short: "Build a warehouse step by step: analysis → proposed model → approved → generated → deployed → validated",
		Example: `  databridge workflow start erp
  databridge workflow status
  databridge workflow approve 20261126T001500-ab12cd34
  databridge workflow resume 20261126T001500-ab12cd34`,
	}
	svc := func() (*workflow.Service, error) {
		svc, err := f.Services()
		if err != nil {
			return nil, err
		}
		s := svc.Workflow
		s.Progress = func(st workflow.Step) {
			if st.Status == workflow.StatusRunning {
				f.IO.Progress("→ %s", st.Name)
			}
		}
		return s, nil
	}
	show := func(w *workflow.Workflow, err error) error {
		if w == nil {
			return err
		}
		if f.JSON() {
			if perr := f.PrintJSON(w); perr != nil {
				return perr
			}
			return err
		}
		out := f.IO.Out
		fmt.Fprintf(out, "%s  %s  %s, phase %s (%d%%)", f.IO.Bold(w.ID), w.Kind, w.Status, w.Phase, w.Percent)
		if w.Current != "" {
			fmt.Fprintf(out, ", next: %s", w.Current)
		}
		fmt.Fprintln(out)
		t := cmdutil.NewTable(f.IO, "STEP", "STATUS", "MESSAGE")
		for _, s := range w.Steps {
			msg := s.Message
			if s.Error != "" {
				msg = "error: " + s.Error
			}
			t.Row(s.Name, s.Status, msg)
		}
		t.Render(out)
		if w.Status == workflow.StatusWaiting {
			fmt.Fprintf(out, "review the model (databridge model show --model %s --evidence), correct it (databridge model ...), then: databridge workflow approve %s\n", w.Params["model"], w.ID)
		}
		return err
	}
	var schema, name, target string
	start := &cobra.Command{
		Use: "start CONNECTION", Short: "Start a warehouse build: analyse the source and stop for approval",
		Example: "  databridge workflow start erp", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := svc()
			if err != nil {
				return err
			}
			return show(s.Start(cmd.Context(), workflow.StartInput{Connection: args[0], Schema: schema, Model: name, Target: target}))
		},
	}
	start.Flags().StringVar(&schema, "schema", "", "source schema")
	start.Flags().StringVar(&name, "model", "", "model name")
	start.Flags().StringVar(&target, "target", "", "deploy target (default: the project's default target)")
	status := &cobra.Command{
		Use: "status [ID]", Short: "Show a workflow (default: the latest)", Args: cobra.MaximumNArgs(1),
		Example: "  databridge workflow status --json",
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := svc()
			if err != nil {
				return err
			}
			return show(s.Get(first(args)))
		},
	}
	approve := &cobra.Command{
		Use: "approve [ID]", Short: "Approve the proposed model and run generate, deploy and validate (default: the latest workflow)", Args: cobra.MaximumNArgs(1),
		Example: "  databridge workflow approve 20261126T001500-ab12cd34",
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := svc()
			if err != nil {
				return err
			}
			return show(s.Approve(cmd.Context(), first(args)))
		},
	}
	resume := &cobra.Command{
		Use: "resume [ID]", Short: "Continue a workflow from its first unfinished step (default: the latest)", Args: cobra.MaximumNArgs(1),
		Example: "  databridge workflow resume 20261126T001500-ab12cd34",
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := svc()
			if err != nil {
				return err
			}
			return show(s.Resume(cmd.Context(), first(args)))
		},
	}
	cmd.AddCommand(start, status, approve, resume)
	return cmd
}

func first(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return ""
}
