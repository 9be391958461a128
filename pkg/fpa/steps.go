package fpa

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/insights"
	"github.com/databridge/databridge/pkg/insights/forecast"
	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/reconcile"
	"github.com/databridge/databridge/pkg/semlayer"
)

// ledger is what the close reads from the semantic layer: the P&L
// hierarchy, the fact its lines are computed over and that fact's debit,
// credit, amount and row-count metrics and account dimension.
type ledger struct {
	hierarchy  string
	model      *semlayer.Model
	binding    *semlayer.HierarchyBinding
	debit      string // metric names ("" when the fact has none)
	credit     string
	amount     string
	rows       string
	account    string // the account dimension, model-qualified
	journal    string // the journal dimension, model-qualified ("" when none)
	keyMetrics []string
	bottomLine string
}

// context finds the close's ledger in the layer.
func (s *Service) context(l *semlayer.Layer, set Settings) (*ledger, error) {
	g := &ledger{hierarchy: set.Hierarchy}
	for _, m := range l.Models {
		for _, b := range m.Hierarchies {
			if g.hierarchy != "" && b.Hierarchy != g.hierarchy {
				continue
			}
			if g.hierarchy == "" {
				h, err := s.Hierarchies.Get(b.Hierarchy, 0)
				if err != nil || h.Kind != "income_statement" {
					continue
				}
			}
			g.hierarchy, g.model, g.binding = b.Hierarchy, m, b
			break
		}
		if g.model != nil {
			break
		}
	}
	if g.model == nil {
		if set.Hierarchy != "" {
			return nil, fmt.Errorf("hierarchy %q is not bound to a fact in the semantic layer (deploy the warehouse with it bound)", set.Hierarchy)
		}
		return nil, fmt.Errorf("no income-statement hierarchy is bound to a fact in the semantic layer: name one (--hierarchy)")
	}
	measureMetric := func(measure string) string {
		for _, mt := range l.Metrics {
			if mt.Type == semlayer.MetricSimple && mt.Model == g.model.Name && mt.Measure == measure && mt.Filter == "" {
				return mt.Name
			}
		}
		return ""
	}
	for _, ms := range g.model.Measures {
		switch {
		case strings.EqualFold(ms.Name, "debit") && ms.Agg == "sum":
			g.debit = measureMetric(ms.Name)
		case strings.EqualFold(ms.Name, "credit") && ms.Agg == "sum":
			g.credit = measureMetric(ms.Name)
		case strings.EqualFold(ms.Column, g.binding.ValueColumn) && ms.Agg == "sum":
			g.amount = measureMetric(ms.Name)
		case ms.Agg == "count" && ms.Column == "*":
			g.rows = measureMetric(ms.Name)
		}
	}
	for _, d := range g.model.Dimensions {
		if strings.EqualFold(d.Column, g.binding.CodeColumn) {
			g.account = g.model.Name + "." + d.Name
		}
		if strings.EqualFold(d.Name, "journal_id") {
			g.journal = g.model.Name + "." + d.Name
		}
	}
	if g.account == "" {
		return nil, fmt.Errorf("the fact %s has no dimension on its account column %s", g.model.Name, g.binding.CodeColumn)
	}
	h, err := s.Hierarchies.Get(g.hierarchy, 0)
	if err != nil {
		return nil, err
	}
	nodes := append([]*hierarchy.Node(nil), h.Nodes...)
	sort.SliceStable(nodes, func(i, j int) bool { return nodes[i].Sort < nodes[j].Sort })
	for _, n := range nodes {
		if n.Parent != "" || (n.Consolidation == hierarchy.ConsolidateIgnore && n.Type != hierarchy.TypeFormula) {
			continue // a line outside the statement (balance sheet accounts kept apart)
		}
		if mt := lineMetric(l, g.hierarchy, n.Code); mt != nil && mt.Format == "money" {
			g.keyMetrics = append(g.keyMetrics, mt.Name)
			if n.Type == hierarchy.TypeFormula || g.bottomLine == "" {
				g.bottomLine = mt.Name // the last computed total
			}
		}
	}
	return g, nil
}

func lineMetric(l *semlayer.Layer, h, node string) *semlayer.Metric {
	for _, mt := range l.Metrics {
		if mt.Type == semlayer.MetricHierarchy && mt.Hierarchy == h && mt.Node == node {
			return mt
		}
	}
	return nil
}

// runStep works a step out afresh; prev is the step as it was (its
// commentary is kept where the numbers did not change).
func (s *Service) runStep(ctx context.Context, c *Close, id string, prev *Step) Step {
	var (
		st  Step
		err error
	)
	l, lerr := s.Analytics.Layer()
	var g *ledger
	if lerr == nil {
		g, lerr = s.context(l, c.Settings)
	}
	if lerr != nil && id != StepData && id != StepReconciliations {
		return Step{State: StateBlocked, Summary: lerr.Error()}
	}
	switch id {
	case StepData:
		st, err = s.stepData(ctx, c, g)
	case StepTrialBalance:
		st, err = s.stepTrialBalance(ctx, c, g)
	case StepMapping:
		st, err = s.stepMapping(ctx, c, g)
	case StepReconciliations:
		st, err = s.stepReconciliations(ctx, c)
	case StepVariance:
		st, err = s.stepVariance(ctx, c, prev)
	case StepForecast:
		st, err = s.stepForecast(ctx, c, l)
	}
	if err != nil {
		return Step{State: StateFailed, Summary: "the check could not run: " + err.Error(), Problems: []string{err.Error()}}
	}
	return st
}

func (s *Service) query(ctx context.Context, c *Close, metrics []string, by ...string) (*analytics.QueryResult, error) {
	return s.Analytics.QueryMetrics(ctx, analytics.QueryArgs{Metrics: metrics, By: by, Period: c.From + ".." + c.To, Exact: true})
}

// dec reads a query cell as an exact decimal (nil is zero).
func dec(v any) decimal.Decimal {
	if v == nil {
		return decimal.Zero
	}
	if d, ok := v.(decimal.Decimal); ok {
		return d
	}
	d, err := decimal.NewFromString(fmt.Sprint(v))
	if err != nil {
		return decimal.Zero
	}
	return d
}

// col is the index of a result column by name (-1 when absent).
func col(r *analytics.QueryResult, name string) int {
	for i, c := range r.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func (s *Service) stepData(ctx context.Context, c *Close, g *ledger) (Step, error) {
	target := s.target()
	rec, err := s.Deploy.Status(deploy.RecordInput{Target: target})
	if err != nil {
		return Step{State: StateFailed, Summary: err.Error(), Problems: []string{err.Error()}}, nil
	}
	st := Step{Evidence: []Evidence{{"target", target}, {"deployment", rec.ID}, {"deployment status", rec.Status}}}
	if rec.Status != deploy.StatusCommitted {
		st.State = StateFailed
		st.Summary = fmt.Sprintf("the latest deployment of %s (%s) is %s, not committed", target, rec.ID, rec.Status)
		if rec.Error != "" {
			st.Problems = append(st.Problems, rec.Error)
		}
		return st, nil
	}
	rep := deploy.RecordReport(rec)
	if rep == nil {
		st.State, st.Summary = StateFailed, fmt.Sprintf("deployment %s has no validation report", rec.ID)
		return st, nil
	}
	st.Evidence = append(st.Evidence, Evidence{"checks passed", fmt.Sprintf("%d of %d", rep.Passed, rep.Passed+rep.Failed+rep.Errors)})
	if !rep.OK() {
		st.State, st.Summary = StateFailed, fmt.Sprintf("deployment %s: %d checks failed", rec.ID, rep.Failed+rep.Errors)
		st.Problems = append(st.Problems, deploy.Failures(rep))
		return st, nil
	}
	if g == nil || g.rows == "" {
		st.State, st.Summary = StateFailed, "the ledger's row count is not in the semantic layer"
		return st, nil
	}
	r, err := s.query(ctx, c, []string{g.rows})
	if err != nil {
		return st, err
	}
	n := decimal.Zero
	if len(r.Rows) == 1 {
		n = dec(r.Rows[0][col(r, g.rows)])
	}
	st.Evidence = append(st.Evidence, Evidence{"postings in " + c.Period, n.String()})
	if n.IsZero() {
		st.State, st.Summary = StateFailed, fmt.Sprintf("deployment %s is validated but %s has no postings in %s", rec.ID, g.model.Table, c.Label)
		return st, nil
	}
	st.State = StateDone
	st.Summary = fmt.Sprintf("deployment %s committed at %s, %d checks passed; %s postings in %s", rec.ID, rec.FinishedAt.UTC().Format(time.RFC3339), rep.Passed, n, c.Label)
	return st, nil
}

func (s *Service) stepTrialBalance(ctx context.Context, c *Close, g *ledger) (Step, error) {
	if g.debit == "" || g.credit == "" {
		return Step{State: StateBlocked, Summary: fmt.Sprintf("the fact %s has no debit and credit measures in the semantic layer", g.model.Name)}, nil
	}
	r, err := s.query(ctx, c, []string{g.debit, g.credit})
	if err != nil {
		return Step{}, err
	}
	var dr, cr decimal.Decimal
	if len(r.Rows) == 1 {
		dr, cr = dec(r.Rows[0][col(r, g.debit)]), dec(r.Rows[0][col(r, g.credit)])
	}
	diff := dr.Sub(cr)
	st := Step{Evidence: []Evidence{{"debits", dr.String()}, {"credits", cr.String()}, {"difference", diff.String()}}}
	if g.journal != "" {
		jr, err := s.query(ctx, c, []string{g.debit, g.credit}, g.journal)
		if err != nil {
			return Step{}, err
		}
		ji, di, ci := col(jr, g.journal), col(jr, g.debit), col(jr, g.credit)
		unbalanced := 0
		for _, row := range jr.Rows {
			if d := dec(row[di]).Sub(dec(row[ci])); !d.IsZero() {
				unbalanced++
				if len(st.Problems) < 20 {
					st.Problems = append(st.Problems, fmt.Sprintf("journal %v: debits − credits = %s", row[ji], d))
				}
			}
		}
		st.Evidence = append(st.Evidence, Evidence{"journals", fmt.Sprint(len(jr.Rows))}, Evidence{"journals out of balance", fmt.Sprint(unbalanced)})
		if jr.Truncated {
			st.Evidence = append(st.Evidence, Evidence{"note", "more journals than one query returns: the per-journal check saw the first " + fmt.Sprint(len(jr.Rows))})
		}
		if unbalanced > 0 && diff.IsZero() {
			st.State, st.Summary = StateFailed, fmt.Sprintf("debits equal credits (%s) but %d journals do not balance", dr, unbalanced)
			return st, nil
		}
	}
	if !diff.IsZero() {
		st.State, st.Summary = StateFailed, fmt.Sprintf("debits %s ≠ credits %s (difference %s)", dr, cr, diff)
		return st, nil
	}
	if dr.IsZero() {
		st.State, st.Summary = StateFailed, "no postings in the period"
		return st, nil
	}
	st.State, st.Summary = StateDone, fmt.Sprintf("debits = credits = %s", dr)
	return st, nil
}

func (s *Service) stepMapping(ctx context.Context, c *Close, g *ledger) (Step, error) {
	h, err := s.Hierarchies.Get(g.hierarchy, 0)
	if err != nil {
		return Step{}, err
	}
	metrics := []string{g.rows}
	if g.amount != "" {
		metrics = append(metrics, g.amount)
	}
	r, err := s.query(ctx, c, metrics, g.account)
	if err != nil {
		return Step{}, err
	}
	src := &hierarchy.SourceValues{Column: h.DefaultColumn(), Values: map[string]hierarchy.SourceStat{}, HasAmount: g.amount != ""}
	ai, ni, mi := col(r, g.account), col(r, g.rows), col(r, g.amount)
	for _, row := range r.Rows {
		st := hierarchy.SourceStat{Rows: dec(row[ni]).IntPart()}
		if mi >= 0 {
			st.Amount, _ = hierarchy.ParseAmount(dec(row[mi]).String())
		}
		if row[ai] == nil {
			src.Nulls = st
			continue
		}
		src.Values[fmt.Sprint(row[ai])] = st
	}
	rep := hierarchy.Validate(h, src)
	st := Step{Evidence: []Evidence{{"hierarchy", fmt.Sprintf("%s v%d", h.ID, h.Version)}, {"accounts posted", fmt.Sprint(len(src.Values))},
		{"mapped", fmt.Sprint(rep.Mapped)}, {"unmapped", fmt.Sprint(rep.UnmappedCount)}}}
	for _, u := range rep.Unmapped {
		amt := ""
		if u.Amount != nil {
			amt = ", amount " + *u.Amount
		}
		st.Problems = append(st.Problems, fmt.Sprintf("account %s is posted in %s (%d rows%s) but no leaf of %s maps it: `databridge hierarchy mapping add %s LEAF --exact %s`, then deploy", u.Code, c.Period, u.Rows, amt, h.ID, h.ID, u.Code))
	}
	if src.Nulls.Rows > 0 {
		st.Problems = append(st.Problems, fmt.Sprintf("%d rows have no account", src.Nulls.Rows))
	}
	for _, f := range rep.Findings {
		if f.Severity == "error" && f.Code == "double_mapped" {
			st.Problems = append(st.Problems, f.Message)
		}
	}
	if len(st.Problems) > 0 {
		codes := make([]string, 0, len(rep.Unmapped))
		for _, u := range rep.Unmapped {
			codes = append(codes, u.Code)
		}
		st.State = StateFailed
		st.Summary = fmt.Sprintf("%d posted accounts not mapped by %s", rep.UnmappedCount, h.ID)
		if len(codes) > 0 {
			st.Summary += ": " + strings.Join(codes, ", ")
		}
		if src.Nulls.Rows > 0 || rep.UnmappedCount == 0 {
			st.Summary = strings.Join(st.Problems, "; ")
		}
		return st, nil
	}
	st.State, st.Summary = StateDone, fmt.Sprintf("all %d accounts posted in %s map to a leaf of %s", len(src.Values), c.Period, h.ID)
	return st, nil
}

// stepReconciliations runs the project's saved reconciliations for the
// month (`databridge reconcile save`): done when each agrees or every
// difference of the month is decided (explained, accepted or carried
// forward); failed while items are open. Without saved reconciliations,
// ad-hoc runs recorded since the close started count; with neither the
// step is blocked and says what it needs.
func (s *Service) stepReconciliations(ctx context.Context, c *Close) (Step, error) {
	defs, err := s.Reconcile.Definitions()
	if err != nil {
		return Step{}, err
	}
	st := Step{}
	if len(defs.Definitions) > 0 {
		open := 0
		for _, d := range defs.Definitions {
			period := ""
			if d.PeriodColumn != "" {
				period = c.Period
			}
			r, err := s.Reconcile.RunSaved(ctx, reconcile.RunSavedInput{Name: d.Name, Period: period})
			if err != nil {
				return Step{}, fmt.Errorf("reconciliation %s: %w", d.Name, err)
			}
			verdict := "agrees"
			if !r.Agree {
				verdict = fmt.Sprintf("%d differences, %d open", len(r.Items), r.Open)
			}
			st.Evidence = append(st.Evidence, Evidence{"reconciliation " + d.Name, verdict})
			if r.Open > 0 {
				open++
				st.Problems = append(st.Problems, fmt.Sprintf("reconciliation %s has %d open items for %s: `databridge reconcile items %s --period %s`, then explain, accept or carry each (`databridge reconcile item %s ID explain|accept|carry --note \"…\"`)", d.Name, r.Open, c.Period, d.Name, c.Period, d.Name))
			}
		}
		if open > 0 {
			st.State, st.Summary = StateFailed, fmt.Sprintf("%d of %d saved reconciliations have open items for %s", open, len(defs.Definitions), c.Period)
		} else {
			st.State, st.Summary = StateDone, fmt.Sprintf("%d saved reconciliations run for %s: each agrees or its differences are decided", len(defs.Definitions), c.Period)
		}
		return st, nil
	}
	runs, err := s.Reconcile.History("", 0)
	if err != nil {
		return Step{}, err
	}
	var counted, failed int
	for _, r := range runs {
		if r.At.Before(c.StartedAt) || r.Agree == nil {
			continue
		}
		counted++
		if !*r.Agree {
			failed++
			st.Problems = append(st.Problems, fmt.Sprintf("reconciliation %s (%s %s vs %s) does not agree: `databridge reconcile show %s`", r.ID, r.Kind, r.Left, r.Right, r.ID))
		}
	}
	st.Evidence = []Evidence{{"saved reconciliations", "0"}, {"runs since the close started", fmt.Sprint(counted)}, {"not agreeing", fmt.Sprint(failed)}}
	switch {
	case counted == 0:
		st.State = StateBlocked
		st.Summary = "needs saved reconciliations (there are none): save the month's with `databridge reconcile save NAME rows|totals LEFT RIGHT … --period-column COL` and run this step again (runs recorded since the close started also count)"
	case failed > 0:
		st.State, st.Summary = StateFailed, fmt.Sprintf("%d of %d reconciliations since the close started do not agree", failed, counted)
	default:
		st.State, st.Summary = StateDone, fmt.Sprintf("%d reconciliations since the close started agree (no saved reconciliations)", counted)
	}
	return st, nil
}

// scenarioAgainst is "budget" when the project has a budget scenario.
func (s *Service) budgets() []string {
	scs, err := s.Analytics.Scenarios()
	if err != nil {
		return nil
	}
	var out []string
	for _, sc := range scs {
		if sc.Kind == "budget" {
			out = append(out, "budget:"+sc.Name)
		}
	}
	return out
}

func (s *Service) stepVariance(ctx context.Context, c *Close, prev *Step) (Step, error) {
	againsts := append([]string{"prior_year"}, s.budgets()...)
	old := map[string]Commentary{}
	for _, cm := range prev.Commentary {
		old[cm.Key] = cm
	}
	st := Step{}
	checked := 0
	for _, m := range c.Settings.Metrics {
		for _, a := range againsts {
			v, err := s.Insights.Variance(ctx, insights.VarianceArgs{Metric: m, Period: c.From + ".." + c.To, Against: a, Top: 5})
			if err != nil {
				return Step{}, fmt.Errorf("variance of %s against %s: %w", m, a, err)
			}
			checked++
			if !overThreshold(v, c.Settings) {
				continue
			}
			cm := Commentary{Key: m + "/" + a, Metric: m, Label: v.Label, Against: a, Compared: v.ComparisonLabel, Actual: v.Actual, Comparison: v.Comparison,
				Change: v.Change, ChangePct: v.ChangePct, Assessment: v.Assessment, FavourableWhen: v.FavourableWhen, Bridge: v.Bridge, Drivers: v.Drivers, Status: CommentDraft}
			cm.Draft = draft(v)
			if o, ok := old[cm.Key]; ok && o.Status != CommentDraft && o.Actual.Equal(cm.Actual) && o.Comparison.Equal(cm.Comparison) {
				cm.Text, cm.Status, cm.By, cm.At = o.Text, o.Status, o.By, o.At
			}
			st.Commentary = append(st.Commentary, cm)
		}
	}
	st.Evidence = []Evidence{{"variances checked", fmt.Sprint(checked)}, {"over the threshold", fmt.Sprint(len(st.Commentary))},
		{"threshold", fmt.Sprintf("%s%% and %s", c.Settings.ThresholdPct, c.Settings.ThresholdAmount)}, {"compared with", strings.Join(againsts, ", ")}}
	varianceState(&st)
	return st, nil
}

// varianceState sets the variance step's state from its commentary.
func varianceState(st *Step) {
	waiting := 0
	for _, cm := range st.Commentary {
		if cm.Status == CommentDraft {
			waiting++
		}
	}
	switch {
	case len(st.Commentary) == 0:
		st.State, st.Summary = StateDone, "no variance is over the threshold"
	case waiting > 0:
		st.State = StateNeedsInput
		st.Summary = fmt.Sprintf("%d of %d variances over the threshold have drafted commentary to accept or replace: `databridge close note variance --accept` or `databridge close note variance \"…\" --item METRIC/AGAINST`", waiting, len(st.Commentary))
	default:
		st.State, st.Summary = StateDone, fmt.Sprintf("all %d variances over the threshold have commentary", len(st.Commentary))
	}
}

// overThreshold: the change is at least the money floor and at least the
// percent threshold (any change from a zero comparison counts).
func overThreshold(v *insights.Variance, set Settings) bool {
	if v.Change.Abs().LessThan(set.ThresholdAmount) || v.Change.IsZero() {
		return false
	}
	if v.Comparison.IsZero() {
		return true
	}
	pct := v.Change.Div(v.Comparison.Abs()).Mul(decimal.NewFromInt(100)).Abs()
	return pct.GreaterThanOrEqual(set.ThresholdPct)
}

// draft writes a variance's commentary in words from its analysis: the
// change, its assessment and the top drivers with their share.
func draft(v *insights.Variance) string {
	dir := "up"
	if v.Change.IsNegative() {
		dir = "down"
	}
	pct := ""
	if v.ChangePct != nil {
		pct = " (" + *v.ChangePct + "%)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s was %s against %s %s, %s %s%s — %s.", v.Label, v.Actual.StringFixed(2), v.ComparisonLabel, v.Comparison.StringFixed(2), dir, v.Change.Abs().StringFixed(2), pct, v.Assessment)
	var parts []string
	for _, d := range v.Drivers {
		if d.Contribution.IsZero() || len(parts) == 3 {
			continue
		}
		p := fmt.Sprintf("%s %s", d.Name, signed(d.Contribution))
		if d.SharePct != nil {
			p += " (" + *d.SharePct + "% of the change)"
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		for _, it := range v.Lines {
			if it.Contribution.IsZero() || len(parts) == 3 {
				continue
			}
			parts = append(parts, fmt.Sprintf("%s %s", labelOr(it), signed(it.Contribution)))
		}
	}
	if len(parts) > 0 {
		b.WriteString(" Main drivers: " + strings.Join(parts, "; ") + ".")
	}
	return b.String()
}

func labelOr(it insights.Item) string {
	if it.Label != "" {
		return it.Label
	}
	return it.Name
}

func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + d.StringFixed(2)
	}
	return d.StringFixed(2)
}

func (s *Service) stepForecast(ctx context.Context, c *Close, l *semlayer.Layer) (Step, error) {
	m := c.Settings.ForecastMetric
	r, err := s.Analytics.QueryMetrics(ctx, analytics.QueryArgs{Metrics: []string{m}, By: []string{"month"}, Exact: true})
	if err != nil {
		return Step{}, err
	}
	mi, vi := col(r, "month"), col(r, m)
	if mi < 0 || vi < 0 {
		return Step{State: StateBlocked, Summary: fmt.Sprintf("metric %s has no monthly series", m)}, nil
	}
	var months []string
	var y []float64
	for _, row := range r.Rows {
		mon, _ := row[mi].(string)
		if mon == "" || mon > c.Period {
			continue
		}
		if row[vi] == nil && len(y) == 0 {
			continue // before the data starts
		}
		months = append(months, mon)
		y = append(y, dec(row[vi]).InexactFloat64())
	}
	if len(months) == 0 || months[len(months)-1] != c.Period {
		return Step{State: StateFailed, Summary: fmt.Sprintf("%s has no value for %s to roll the forecast forward from", m, c.Period)}, nil
	}
	from, _ := time.Parse("2006-01-02", c.From)
	horizon := 12 - l.Calendar.Period(from)
	if horizon == 0 {
		horizon = 12
	}
	first, _ := time.Parse("2006-01", months[0])
	fc, err := forecast.Forecast(y, forecast.Options{Horizon: horizon, SeasonStart: l.Calendar.Period(first) - 1})
	if err != nil {
		return Step{State: StateFailed, Summary: "the forecast could not be made: " + err.Error()}, nil
	}
	total := 0.0
	for _, p := range fc.Point {
		total += p
	}
	ytd := 0.0
	for i, mon := range months {
		t, _ := time.Parse("2006-01", mon)
		if l.Calendar.Year(t) == c.FiscalYear {
			ytd += y[i]
		}
	}
	next := from.AddDate(0, 1, 0).Format("2006-01")
	st := Step{Evidence: []Evidence{
		{"metric", m}, {"history", fmt.Sprintf("%d months, %s … %s", len(months), months[0], c.Period)},
		{"method", fmt.Sprintf("%s (%s)", fc.Method, fc.Model)}, {"horizon", fmt.Sprintf("%d months, to the end of FY%d", horizon, c.FiscalYear)},
		{"forecast " + next, round2(fc.Point[0])},
		{fmt.Sprintf("FY%d outlook (actual to %s + forecast)", c.FiscalYear, c.Period), round2(ytd + total)},
	}}
	for _, row := range fc.Backtest.Rows {
		if row.Chosen {
			st.Evidence = append(st.Evidence, Evidence{"backtest MASE", fmt.Sprintf("%.3f", row.MASE)})
		}
	}
	if horizon == 12 && l.Calendar.Period(from) == 12 {
		st.Evidence[5] = Evidence{fmt.Sprintf("FY%d outlook (forecast)", c.FiscalYear+1), round2(total)}
	}
	st.State = StateDone
	st.Summary = fmt.Sprintf("%s rolled forward from %s by %s: %s next month; not saved (save a forecast with `databridge analytics forecast %s --save NAME`)", m, c.Period, fc.Method, round2(fc.Point[0]), m)
	return st, nil
}

// round2 shows a forecast (a statistic, not an amount) to the cent.
func round2(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return decimal.NewFromFloat(v).StringFixed(2)
}

// snapshotMetrics are the money lines of the P&L locked at sign-off.
func (s *Service) snapshotMetrics(l *semlayer.Layer, h string) ([]*semlayer.Metric, error) {
	var out []*semlayer.Metric
	for _, mt := range l.Metrics {
		if mt.Type == semlayer.MetricHierarchy && mt.Hierarchy == h && mt.Format == "money" {
			out = append(out, mt)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the semantic layer has no money lines of hierarchy %s to lock", h)
	}
	return out, nil
}

// snapshot computes the lines for the month through q: the same compiled
// query for the sign-off (a read-only session) and the deploy guard (the
// deploy's own transaction, before it commits).
func (s *Service) snapshot(ctx context.Context, l *semlayer.Layer, q connector.Querier, lines []*semlayer.Metric, period string) ([]LineValue, error) {
	names := make([]string, len(lines))
	for i, m := range lines {
		names[i] = m.Name
	}
	from, err := time.Parse("2006-01", period)
	if err != nil {
		return nil, err
	}
	spec, err := s.Analytics.Spec(l, analytics.QueryArgs{Metrics: names, Period: from.Format("2006-01-02") + ".." + from.AddDate(0, 1, 0).Format("2006-01-02")})
	if err != nil {
		return nil, err
	}
	comp, err := query.Compile(l, spec, l.Dialect)
	if err != nil {
		return nil, err
	}
	res, err := q.Query(ctx, comp.SQL, connector.QueryOptions{MaxRows: 2, Timeout: 5 * time.Minute})
	if err != nil {
		return nil, err
	}
	if len(res.Rows) != 1 {
		return nil, fmt.Errorf("the snapshot query returned %d rows, want 1", len(res.Rows))
	}
	byName := map[string]*semlayer.Metric{}
	for _, m := range lines {
		byName[m.Name] = m
	}
	var out []LineValue
	i := 0
	for _, cl := range comp.Columns {
		cells := res.Rows[0][i : i+len(cl.SQL)]
		i += len(cl.SQL)
		m, ok := byName[cl.Metric]
		if cl.Kind != query.KindMetric || !ok {
			continue
		}
		v := decimal.Zero
		if cells[0] != nil {
			d, ok := sqldb.ExactDecimal(cells[0])
			if !ok {
				return nil, fmt.Errorf("line %s: %v is not a number", m.Name, cells[0])
			}
			v = d
		}
		label := m.Label
		if label == "" {
			label = m.Name
		}
		out = append(out, LineValue{Metric: m.Name, Label: label, Value: v})
	}
	return out, nil
}
