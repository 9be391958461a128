// Package closecmd is `databridge close`: the monthly close, a thin face
// over pkg/fpa.
package closecmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/fpa"
)

// NewCmd is the close command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "close",
		Short: "The monthly close: a checklist of real checks, commentary, sign-off and a locked period",
		Long: `The monthly close of one fiscal month: a checklist kept in
.databridge/state/close/<YYYY-MM>.json whose steps run real checks on the
deployed warehouse — data loaded and validated, trial balance balances, every
posted account mapped by the P&L, reconciliations pass, variances over the
threshold have commentary, forecast rolled forward — each with who ran it and
when, the numbers it found, and notes. A failed step blocks sign-off (exit 3).

Sign-off needs a different person from the preparer (unless the close was
started with --allow-self-sign-off) and locks the period: a snapshot of the
month's P&L lines is kept, and a deploy that would change them is refused
until the close is reopened with a reason. The person acting is
$DATABRIDGE_USER, else the OS user. See docs/close.md.`,
		Example: `  databridge close start 2025-09
  databridge close run all
  databridge close status
  databridge close note variance --accept
  DATABRIDGE_USER=controller databridge close sign-off
  databridge close report --html close-2025-09.html`,
	}
	cmd.AddCommand(newStartCmd(f), newStatusCmd(f), newRunCmd(f), newNoteCmd(f), newSignOffCmd(f), newReopenCmd(f), newReportCmd(f))
	return cmd
}

func newStartCmd(f *cmdutil.Factory) *cobra.Command {
	var in fpa.StartInput
	cmd := &cobra.Command{
		Use:   "start PERIOD",
		Short: "Start the close of a fiscal month (YYYY-MM): the checklist, every step pending",
		Long: `Start the close of a month: the checklist with every step pending, and the
close's settings (the P&L hierarchy, the key metrics whose variances need
commentary, the thresholds, the forecast metric, whether the preparer may sign
off). Starting a month that already has a close shows it unchanged.`,
		Example: "  databridge close start 2025-09\n  databridge close start 2025-09 --threshold-pct 5 --threshold-amount 25000 --allow-self-sign-off",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Period = args[0]
			svc, err := f.Services()
			if err != nil {
				return err
			}
			c, err := svc.Close.Start(cmd.Context(), in)
			if err != nil {
				return err
			}
			return show(f, c)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Hierarchy, "hierarchy", "", "the P&L hierarchy (default: the income statement bound in the semantic layer)")
	fl.StringSliceVar(&in.Metrics, "metrics", nil, "key metrics whose variances need commentary (default: the P&L's top-level money lines)")
	fl.StringVar(&in.ThresholdPct, "threshold-pct", "", "commentary needed from this change in percent (default 10)")
	fl.StringVar(&in.ThresholdAmount, "threshold-amount", "", "…and from this absolute change, the money floor (default 1000)")
	fl.StringVar(&in.ForecastMetric, "forecast-metric", "", "the metric the forecast step rolls forward (default: the P&L's bottom line)")
	fl.BoolVar(&in.AllowSelfSign, "allow-self-sign-off", false, "let the preparer sign off too (a one-person team)")
	return cmd
}

func newStatusCmd(f *cmdutil.Factory) *cobra.Command {
	var in fpa.StatusInput
	cmd := &cobra.Command{
		Use:   "status [PERIOD]",
		Short: "Show a close's checklist (default: the open close)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				in.Period = args[0]
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			c, err := svc.Close.Status(cmd.Context(), in)
			if err != nil {
				return err
			}
			return show(f, c)
		},
	}
	return cmd
}

func newRunCmd(f *cmdutil.Factory) *cobra.Command {
	var in fpa.RunInput
	cmd := &cobra.Command{
		Use:   "run STEP",
		Short: "Run a step's check (data, trial_balance, mapping, reconciliations, variance, forecast, or all)",
		Long: `Run a step's check on the warehouse and record the outcome, who and when.
Re-running is safe: the step is worked out again; notes and accepted
commentary are kept while the numbers stand. Exit 3 when a step run failed.`,
		Example: "  databridge close run all\n  databridge close run mapping --period 2025-09",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Step = args[0]
			svc, err := f.Services()
			if err != nil {
				return err
			}
			c, err := svc.Close.Run(cmd.Context(), in)
			if err != nil {
				return err
			}
			if err := show(f, c); err != nil {
				return err
			}
			var failed []string
			for _, st := range c.Steps {
				if st.State == fpa.StateFailed && (in.Step == "all" || in.Step == st.ID) {
					failed = append(failed, st.ID)
				}
			}
			if len(failed) > 0 {
				return &cmdutil.ChecksFailedError{Msg: fmt.Sprintf("failed: %s (it blocks sign-off)", strings.Join(failed, ", "))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&in.Period, "period", "", "the month YYYY-MM (default: the open close)")
	return cmd
}

func newNoteCmd(f *cmdutil.Factory) *cobra.Command {
	var in fpa.NoteInput
	cmd := &cobra.Command{
		Use:   `note STEP ["TEXT"]`,
		Short: "Note on a step; for variance, write (--item) or accept (--accept) commentary",
		Long: `Add a person's note to a step (a blocked step with a note no longer blocks
sign-off: the note explains it). For the variance step, --item METRIC/AGAINST
with TEXT replaces that variance's drafted commentary, and --accept accepts the
drafts (of --item, else all) as written.`,
		Example: `  databridge close note reconciliations "Bank reconciliation signed on paper"
  databridge close note variance --accept
  databridge close note variance "Q1 price rise landed in September" --item revenue/prior_year`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Step = args[0]
			if len(args) == 2 {
				in.Text = args[1]
			}
			if in.Text == "" && !in.Accept {
				return cmdutil.Usagef("give the note's TEXT (or --accept for variance commentary)")
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			c, err := svc.Close.Note(cmd.Context(), in)
			if err != nil {
				return err
			}
			return show(f, c)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Period, "period", "", "the month YYYY-MM (default: the open close)")
	fl.StringVar(&in.Item, "item", "", "variance step: the variance METRIC/AGAINST the text explains")
	fl.BoolVar(&in.Accept, "accept", false, "variance step: accept the drafted commentary")
	return cmd
}

func newSignOffCmd(f *cmdutil.Factory) *cobra.Command {
	var in fpa.SignOffInput
	cmd := &cobra.Command{
		Use:   "sign-off [PERIOD]",
		Short: "Sign the close off and lock the period (a different person from the preparer)",
		Long: `Sign the close off as the person acting ($DATABRIDGE_USER, else the OS user):
every step done (a blocked step explained by a note), by someone who neither
started the close nor ran a step unless the close allows self sign-off. The
month's P&L lines are stored with the sign-off, and later deploys that would
change them are refused until the close is reopened. Exit 3 when the close is
not ready (the blockers are listed).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				in.Period = args[0]
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			c, err := svc.Close.SignOff(cmd.Context(), in)
			if errors.Is(err, fpa.ErrNotReady) && c != nil {
				if serr := show(f, c); serr != nil {
					return serr
				}
				return &cmdutil.ChecksFailedError{Msg: fmt.Sprintf("the close of %s cannot be signed off: %s", c.Period, strings.Join(c.Blockers, "; "))}
			}
			if err != nil {
				return err
			}
			return show(f, c)
		},
	}
	return cmd
}

func newReopenCmd(f *cmdutil.Factory) *cobra.Command {
	var in fpa.ReopenInput
	cmd := &cobra.Command{
		Use:     "reopen PERIOD --reason TEXT",
		Short:   "Reopen a signed-off close (with a reason, on the record): the period is no longer locked",
		Example: `  databridge close reopen 2025-09 --reason "Rent accrual re-booked after review"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Period = args[0]
			if strings.TrimSpace(in.Reason) == "" {
				return cmdutil.Usagef("--reason is required (it is kept on the record)")
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			c, err := svc.Close.Reopen(cmd.Context(), in)
			if err != nil {
				return err
			}
			return show(f, c)
		},
	}
	cmd.Flags().StringVar(&in.Reason, "reason", "", "why the period is reopened")
	return cmd
}

func newReportCmd(f *cmdutil.Factory) *cobra.Command {
	var (
		in   fpa.StatusInput
		html string
	)
	cmd := &cobra.Command{
		Use:   "report [PERIOD] [--html FILE]",
		Short: "The close's report: checklist, who/when, variance commentary and numbers (--html: one page)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				in.Period = args[0]
			}
			svc, err := f.Services()
			if err != nil {
				return err
			}
			c, err := svc.Close.Status(cmd.Context(), in)
			if err != nil {
				return err
			}
			if html != "" {
				if err := fpa.Page(c).WriteFile(html); err != nil {
					return err
				}
				f.IO.Progress("wrote %s", html)
			}
			if f.JSON() {
				return f.PrintJSON(c)
			}
			printClose(f, c)
			printCommentary(f, c)
			printEvidence(f, c)
			if so := c.SignOff; so != nil {
				fmt.Fprintf(f.IO.Out, "\nlocked at sign-off (%s, %s):\n", so.By, so.At.Format("2006-01-02 15:04 UTC"))
				t := cmdutil.NewTable(f.IO, "LINE", "AMOUNT")
				for _, lv := range so.Snapshot {
					t.Row(lv.Label, lv.Value.String())
				}
				t.Render(f.IO.Out)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&html, "html", "", "also write the report as one self-contained HTML page")
	return cmd
}

// show prints a close: JSON, or the checklist.
func show(f *cmdutil.Factory, c *fpa.Close) error {
	if f.JSON() {
		return f.PrintJSON(c)
	}
	printClose(f, c)
	return nil
}

func icon(f *cmdutil.Factory, state string) string {
	switch state {
	case fpa.StateDone:
		return f.IO.SuccessIcon()
	case fpa.StateFailed:
		return f.IO.FailIcon()
	}
	return "-"
}

func printClose(f *cmdutil.Factory, c *fpa.Close) {
	out := f.IO.Out
	status := c.Status
	if c.SignOff != nil {
		status += fmt.Sprintf(" by %s at %s", c.SignOff.By, c.SignOff.At.Format("2006-01-02 15:04 UTC"))
	}
	fmt.Fprintf(out, "close %s (%s, FY%d): %s\n", c.Period, c.Label, c.FiscalYear, status)
	t := cmdutil.NewTable(f.IO, "", "STEP", "STATE", "BY", "AT", "SUMMARY")
	for _, st := range c.Steps {
		at := ""
		if st.At != nil {
			at = st.At.Format("2006-01-02 15:04")
		}
		t.Row(icon(f, st.State), st.ID, st.State, st.By, at, st.Summary)
	}
	t.Render(out)
	for _, st := range c.Steps {
		for _, p := range st.Problems {
			fmt.Fprintf(out, "  %s: %s\n", st.ID, p)
		}
		for _, n := range st.Notes {
			fmt.Fprintf(out, "  %s: note by %s: %s\n", st.ID, n.By, n.Text)
		}
	}
	if c.Status == fpa.StatusOpen {
		if c.Ready {
			fmt.Fprintln(out, "ready for sign-off (by another person): databridge close sign-off")
		} else {
			fmt.Fprintf(out, "not ready for sign-off: %d blocker(s)\n", len(c.Blockers))
		}
	}
}

func printCommentary(f *cmdutil.Factory, c *fpa.Close) {
	v := c.Step(fpa.StepVariance)
	if v == nil || len(v.Commentary) == 0 {
		return
	}
	out := f.IO.Out
	fmt.Fprintln(out, "\nvariances over the threshold:")
	t := cmdutil.NewTable(f.IO, "ITEM", "ACTUAL", "COMPARISON", "CHANGE", "%", "", "COMMENTARY")
	for _, cm := range v.Commentary {
		pct := "—"
		if cm.ChangePct != nil {
			pct = *cm.ChangePct + "%"
		}
		t.Row(cm.Key, cm.Actual.String(), cm.Comparison.String(), cm.Change.String(), pct, cm.Assessment, cm.Status)
	}
	t.Render(out)
	for _, cm := range v.Commentary {
		text := cm.Text
		if cm.Status == fpa.CommentDraft {
			text = "(draft) " + cm.Draft
		}
		fmt.Fprintf(out, "  %s: %s\n", cm.Key, text)
	}
}

func printEvidence(f *cmdutil.Factory, c *fpa.Close) {
	fmt.Fprintln(f.IO.Out, "\nevidence:")
	t := cmdutil.NewTable(f.IO, "STEP", "WHAT", "VALUE")
	for _, st := range c.Steps {
		for _, e := range st.Evidence {
			t.Row(st.ID, e.Name, e.Value)
		}
	}
	t.Render(f.IO.Out)
}
