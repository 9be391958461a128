package reconcilecmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/databridge/databridge/cmd/cmdutil"
	"github.com/databridge/databridge/pkg/reconcile"
)

func init() { subcommands = append(subcommands, newPairCmd) }

func newPairCmd(f *cmdutil.Factory) *cobra.Command {
	var in reconcile.PairInput
	cmd := &cobra.Command{
		Use:   "pair LEFT RIGHT --on AMOUNT[:abs:TOL] [--within DATE:Nd] [--also REF~fuzzy] [--many]",
		Short: "Pair items without a shared key: by amount, date window and reference (bank reconciliation)",
		Long: `Pair the rows of LEFT (e.g. a bank statement) with those of RIGHT (e.g. the
ledger) without a shared key: amounts equal within the tolerance (exact
decimals), dates within the window, optionally helped by a fuzzy score of
a reference. Columns named differently on the two sides are written
LEFTCOL=RIGHTCOL (--within booked=posted:3d).

One to one by default, and optimal: the Hungarian algorithm in each group of
competing candidates finds the most pairs, then the least total distance in
amount, days and reference. With --many, a left item still unpaired may
settle several right items (one payment, several invoices): the fewest
items within the window whose sum is the amount (at most 5 among the 20
nearest in date). Every pairing comes with its evidence; the rest is listed
as unpaired. Exit 3 when items stay unpaired.`,
		Example: "  databridge reconcile pair bank.statement erp.ledger --on amount:abs:0.01 --within booked=posted:3d\n" +
			"  databridge reconcile pair bank.statement erp.ledger --on amount --within date:5d --also memo=reference~fuzzy --many --json",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := f.Services()
			if err != nil {
				return err
			}
			in.Left, in.Right = args[0], args[1]
			if in.On == "" {
				return cmdutil.Usagef("--on AMOUNT[:abs:TOLERANCE] is required")
			}
			r, err := svc.Reconcile.Pair(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.JSON() {
				if err := f.PrintJSON(r); err != nil {
					return err
				}
			} else {
				printPair(f, r)
			}
			if !r.Agree {
				return &cmdutil.ChecksFailedError{Msg: fmt.Sprintf("%d left and %d right items unpaired", r.Summary.UnpairedLeft, r.Summary.UnpairedRight)}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.On, "on", "", "amount column and tolerance: COL[:abs:TOL] or LEFTCOL=RIGHTCOL[:abs:TOL]")
	fl.StringVar(&in.Within, "within", "", "date window: COL:Nd or LEFTCOL=RIGHTCOL:Nd")
	fl.StringVar(&in.Also, "also", "", "reference compared fuzzily: COL~fuzzy[:MIN] or LEFTCOL=RIGHTCOL~fuzzy[:MIN]")
	fl.BoolVar(&in.Many, "many", false, "let one left item settle several right items")
	return cmd
}

func pairItemText(it reconcile.PairItem) string {
	parts := []string{it.Amount}
	if it.Date != "" {
		parts = append(parts, it.Date)
	}
	if it.Reference != "" {
		parts = append(parts, fmt.Sprintf("%q", it.Reference))
	}
	return fmt.Sprintf("#%d %s", it.Row, strings.Join(parts, " "))
}

func printPair(f *cmdutil.Factory, r *reconcile.PairResult) {
	out := f.IO.Out
	s := r.Summary
	mark := f.IO.SuccessIcon()
	if !r.Agree {
		mark = f.IO.FailIcon()
	}
	fmt.Fprintf(out, "%s %s %s ↔ %s\n", mark, f.IO.Bold("pair"), r.Left, r.Right)
	fmt.Fprintf(out, "%d pairings (%d one to many); paired %d of %d left, %d of %d right; unpaired %d left (%s), %d right (%s)\n\n",
		s.Pairings, s.OneToMany, s.PairedLeft, s.LeftItems, s.PairedRight, s.RightItems, s.UnpairedLeft, s.UnpairedLeftTotal, s.UnpairedRight, s.UnpairedRightTotal)
	if len(r.Pairings) > 0 {
		t := cmdutil.NewTable(f.IO, "LEFT", "RIGHT", "DIFF", "DAYS", "REF", "HOW")
		for _, p := range r.Pairings {
			ref := ""
			if p.ReferenceScore != nil {
				ref = scoreText(*p.ReferenceScore)
			}
			for i, it := range p.Right {
				if i == 0 {
					t.Row(pairItemText(p.Left[0]), pairItemText(it), p.AmountDiff, p.Days, ref, p.Method)
				} else {
					t.Row("", pairItemText(it), "", "", "", "")
				}
			}
		}
		t.Render(out)
	}
	for _, side := range []struct {
		name  string
		items []reconcile.PairItem
	}{{"unpaired left", r.UnpairedLeft}, {"unpaired right", r.UnpairedRight}} {
		if len(side.items) == 0 {
			continue
		}
		fmt.Fprintf(out, "\n%s:\n", side.name)
		for _, it := range side.items {
			fmt.Fprintf(out, "  %s\n", pairItemText(it))
		}
	}
	fmt.Fprintf(out, "\nrecorded as %s\n", r.ID)
}
