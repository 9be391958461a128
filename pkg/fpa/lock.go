package fpa

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/connector"
)

// ErrPeriodLocked is what a deploy that would change a signed-off period's
// numbers fails with (errors.Is).
var ErrPeriodLocked = errors.New("a signed-off period's numbers would change")

// DeployGuard is the deploy service's guard (deploy.Service.Guard): it
// runs inside a deploy of the default target after the deploy's own
// validation and before it commits, on the deploy's session q, so it sees
// the warehouse as the deploy would leave it. For every signed-off close
// it computes the locked P&L lines for the month again and refuses the
// deploy when any differs from the sign-off snapshot (or cannot be
// computed). With no signed-off close it does nothing.
func (s *Service) DeployGuard(ctx context.Context, target string, q connector.Querier) error {
	if target != s.Project.Config.DefaultTarget {
		return nil // closes lock the default target's numbers only
	}
	periods, err := s.Periods()
	if err != nil {
		return err
	}
	var locked []*Close
	for _, p := range periods {
		c, err := s.load(p)
		if err != nil {
			return fmt.Errorf("close %s: %w", p, err)
		}
		if c.Status == StatusSignedOff && c.SignOff != nil {
			locked = append(locked, c)
		}
	}
	if len(locked) == 0 {
		return nil
	}
	l, err := s.Analytics.Layer()
	if err != nil {
		return fmt.Errorf("%w: cannot check the locked periods: %v", ErrPeriodLocked, err)
	}
	for _, c := range locked {
		lines, err := s.snapshotMetrics(l, c.Settings.Hierarchy)
		if err != nil {
			return fmt.Errorf("%w: cannot check the locked period %s: %v", ErrPeriodLocked, c.Period, err)
		}
		now, err := s.snapshot(ctx, l, q, lines, c.Period)
		if err != nil {
			return fmt.Errorf("%w: cannot compute the locked period %s: %v", ErrPeriodLocked, c.Period, err)
		}
		if diffs := compare(c.SignOff.Snapshot, now); len(diffs) > 0 {
			more := ""
			if len(diffs) > 5 {
				more = fmt.Sprintf(" and %d more", len(diffs)-5)
				diffs = diffs[:5]
			}
			return fmt.Errorf("%w: %s was signed off by %s and this deploy changes %s%s; reopen it first: databridge close reopen %s --reason \"…\"",
				ErrPeriodLocked, c.Period, c.SignOff.By, strings.Join(diffs, ", "), more, c.Period)
		}
	}
	return nil
}

// compare lists the lines whose value differs ("revenue 10.00 → 12.00").
func compare(was, now []LineValue) []string {
	cur := map[string]LineValue{}
	for _, v := range now {
		cur[v.Metric] = v
	}
	var out []string
	for _, w := range was {
		n, ok := cur[w.Metric]
		switch {
		case !ok:
			out = append(out, w.Metric+" is gone")
		case !n.Value.Equal(w.Value):
			out = append(out, fmt.Sprintf("%s %s → %s", w.Metric, w.Value, n.Value))
		}
	}
	return out
}
