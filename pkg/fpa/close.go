// Package fpa is databridge's FP&A workflows over the deployed warehouse:
// the monthly close. A close is a persisted checklist for one fiscal month
// (.databridge/state/close/<YYYY-MM>.json) whose steps run real checks —
// data loaded and validated, trial balance balances, every posted account
// mapped, reconciliations, variance commentary, the forecast rolled
// forward — each with who ran it and when, its evidence (exact numbers)
// and notes. Sign-off by a second person locks the period: a snapshot of
// the P&L lines for the month is kept, and a deploy that would change them
// is refused (see DeployGuard) until the close is reopened with a reason.
// The CLI (`databridge close …`) and the MCP close toolset are thin faces
// over this one service.
package fpa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/insights"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/reconcile"
)

// Dir is where closes are kept, under .databridge/.
const Dir = "state/close"

// EnvUser overrides the OS user as the person acting (preparer, reviewer).
const EnvUser = "DATABRIDGE_USER"

// Step states.
const (
	StatePending    = "pending"
	StateRunning    = "running"
	StateDone       = "done"
	StateFailed     = "failed"
	StateBlocked    = "blocked"
	StateNeedsInput = "needs_input"
)

// Close statuses.
const (
	StatusOpen      = "open"
	StatusSignedOff = "signed_off"
)

// Step ids, in checklist order.
const (
	StepData            = "data"
	StepTrialBalance    = "trial_balance"
	StepMapping         = "mapping"
	StepReconciliations = "reconciliations"
	StepVariance        = "variance"
	StepForecast        = "forecast"
)

// stepTitles are the checklist's steps in order.
var stepTitles = []struct{ ID, Title string }{
	{StepData, "Data loaded and validated"},
	{StepTrialBalance, "Trial balance balances"},
	{StepMapping, "Every posted account mapped"},
	{StepReconciliations, "Reconciliations pass"},
	{StepVariance, "Variances over the threshold have commentary"},
	{StepForecast, "Forecast rolled forward"},
}

// StepIDs lists the step ids in checklist order.
func StepIDs() []string {
	out := make([]string, len(stepTitles))
	for i, s := range stepTitles {
		out[i] = s.ID
	}
	return out
}

// Settings are a close's settings, kept in its state file (set at start).
type Settings struct {
	// Hierarchy is the P&L hierarchy whose lines are checked, explained
	// and locked (default: the first income-statement hierarchy bound in
	// the semantic layer).
	Hierarchy string `json:"hierarchy" jsonschema:"The P&L hierarchy (default: the income statement bound in the semantic layer)."`
	// Metrics are the key metrics whose variances need commentary
	// (default: the hierarchy's top-level money lines).
	Metrics []string `json:"metrics,omitempty" jsonschema:"Key metrics whose variances need commentary (default: the P&L's top-level money lines)."`
	// ThresholdPct and ThresholdAmount: a variance needs commentary when
	// its absolute change is at least ThresholdAmount and its change in
	// percent at least ThresholdPct (or the comparison is zero).
	ThresholdPct    decimal.Decimal `json:"threshold_pct" jsonschema:"A variance needs commentary from this change in percent (default 10)."`
	ThresholdAmount decimal.Decimal `json:"threshold_amount" jsonschema:"...and from this absolute change (the money floor, default 1000)."`
	// ForecastMetric is the metric rolled forward (default: the P&L's
	// bottom line).
	ForecastMetric string `json:"forecast_metric,omitempty" jsonschema:"The metric the forecast step rolls forward (default: the P&L's bottom line)."`
	// AllowSelfSignOff lets the preparer sign off (a one-person team).
	AllowSelfSignOff bool `json:"allow_self_sign_off" jsonschema:"Let the preparer sign off too (a one-person team)."`
}

// Default thresholds.
var (
	DefaultThresholdPct    = decimal.NewFromInt(10)
	DefaultThresholdAmount = decimal.NewFromInt(1000)
)

// Evidence is one number (or fact) a step's check found, as exact text.
type Evidence struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Note is a person's note on a step.
type Note struct {
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// Commentary states.
const (
	CommentDraft    = "draft"    // written from the variance analysis, not yet accepted
	CommentAccepted = "accepted" // a person accepted the draft
	CommentWritten  = "written"  // a person wrote it
)

// Commentary is the explanation of one variance over the threshold: a
// draft written from the analysis (top drivers in words) that a person
// accepts or replaces.
type Commentary struct {
	// Key is METRIC/AGAINST, e.g. revenue/prior_year.
	Key        string          `json:"key"`
	Metric     string          `json:"metric"`
	Label      string          `json:"label"`
	Against    string          `json:"against"`
	Compared   string          `json:"compared"`
	Actual     decimal.Decimal `json:"actual"`
	Comparison decimal.Decimal `json:"comparison"`
	Change     decimal.Decimal `json:"change"`
	ChangePct  *string         `json:"change_pct,omitempty"`
	Assessment string          `json:"assessment"`
	// FavourableWhen is increase or decrease (a cost line).
	FavourableWhen string            `json:"favourable_when,omitempty"`
	Bridge         []insights.Step   `json:"bridge"`
	Drivers        []insights.Driver `json:"drivers,omitempty"`
	Draft          string            `json:"draft"`
	Text           string            `json:"text"`
	Status         string            `json:"status"`
	By             string            `json:"by,omitempty"`
	At             *time.Time        `json:"at,omitempty"`
}

// Step is one step of the checklist.
type Step struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	State string `json:"state"`
	// By and At: who last ran the step and when.
	By      string     `json:"by,omitempty"`
	At      *time.Time `json:"at,omitempty"`
	Runs    int        `json:"runs"`
	Summary string     `json:"summary,omitempty"`
	// Evidence are the numbers the check found.
	Evidence []Evidence `json:"evidence,omitempty"`
	// Problems name what failed (an unmapped account, a journal that
	// does not balance) or what is missing.
	Problems   []string     `json:"problems,omitempty"`
	Commentary []Commentary `json:"commentary,omitempty"`
	Notes      []Note       `json:"notes,omitempty"`
}

// LineValue is one P&L line's amount in a sign-off snapshot.
type LineValue struct {
	Metric string          `json:"metric"`
	Label  string          `json:"label"`
	Value  decimal.Decimal `json:"value"`
}

// SignOff is a sign-off: who, when, and the numbers it locked.
type SignOff struct {
	By        string      `json:"by"`
	At        time.Time   `json:"at"`
	Preparers []string    `json:"preparers"`
	Snapshot  []LineValue `json:"snapshot"`
	// ReopenedBy, ReopenedAt and Reason: set when the close was reopened
	// after this sign-off.
	ReopenedBy string     `json:"reopened_by,omitempty"`
	ReopenedAt *time.Time `json:"reopened_at,omitempty"`
	Reason     string     `json:"reopen_reason,omitempty"`
}

// Event is one entry of a close's record.
type Event struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action string    `json:"action"` // start, run, note, accept, sign_off, reopen
	Step   string    `json:"step,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// Close is the close of one fiscal month.
type Close struct {
	Period string `json:"period"` // YYYY-MM
	Label  string `json:"label"`
	// From and To are the month's dates (To exclusive), FiscalYear its
	// fiscal year in the layer's calendar.
	From       string    `json:"from"`
	To         string    `json:"to"`
	FiscalYear int       `json:"fiscal_year"`
	Status     string    `json:"status"`
	Settings   Settings  `json:"settings"`
	StartedBy  string    `json:"started_by"`
	StartedAt  time.Time `json:"started_at"`
	Steps      []Step    `json:"steps"`
	SignOff    *SignOff  `json:"sign_off,omitempty"`
	// PriorSignOffs are sign-offs undone by a reopen, newest last.
	PriorSignOffs []SignOff `json:"prior_sign_offs,omitempty"`
	Record        []Event   `json:"record"`
	// Ready says whether sign-off is possible now; Blockers why not.
	Ready    bool     `json:"ready"`
	Blockers []string `json:"blockers,omitempty"`
}

// Step returns the step with id, or nil.
func (c *Close) Step(id string) *Step {
	for i := range c.Steps {
		if c.Steps[i].ID == id {
			return &c.Steps[i]
		}
	}
	return nil
}

// Failed lists the ids of failed steps.
func (c *Close) Failed() []string {
	var out []string
	for _, s := range c.Steps {
		if s.State == StateFailed {
			out = append(out, s.ID)
		}
	}
	return out
}

// Service is the close service of a project.
type Service struct {
	Project     *project.Project
	Analytics   *analytics.Service
	Hierarchies *hierarchy.Service
	Insights    *insights.Service
	Deploy      *deploy.Service
	Reconcile   *reconcile.Service
	Connections *connections.Service
	// Now is the clock; User the person acting (default: $DATABRIDGE_USER,
	// else the OS user).
	Now  func() time.Time
	User func() string
}

// New returns the close service over the project's other services.
func New(p *project.Project, a *analytics.Service, h *hierarchy.Service, in *insights.Service, d *deploy.Service, r *reconcile.Service, c *connections.Service) *Service {
	return &Service{Project: p, Analytics: a, Hierarchies: h, Insights: in, Deploy: d, Reconcile: r, Connections: c, Now: time.Now, User: CurrentUser}
}

// CurrentUser is the person acting: $DATABRIDGE_USER, else the OS user.
func CurrentUser() string {
	if u := strings.TrimSpace(os.Getenv(EnvUser)); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) who() string {
	if s.User != nil {
		if u := strings.TrimSpace(s.User()); u != "" {
			return u
		}
	}
	return CurrentUser()
}

var periodRe = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// ErrNoClose says a period has no close yet.
var ErrNoClose = errors.New("no close")

func (s *Service) path(period string) string {
	return s.Project.Path(filepath.FromSlash(Dir), period+".json")
}

func checkPeriod(period string) error {
	if !periodRe.MatchString(period) {
		return fmt.Errorf("period %q: want a month YYYY-MM, e.g. 2025-09", period)
	}
	return nil
}

// load reads a close.
func (s *Service) load(period string) (*Close, error) {
	if err := checkPeriod(period); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(s.path(period))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w for %s: start it with `databridge close start %s`", ErrNoClose, period, period)
	}
	if err != nil {
		return nil, err
	}
	var c Close
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf(".databridge/%s/%s.json: %w", Dir, period, err)
	}
	s.assess(&c)
	return &c, nil
}

// save writes a close atomically.
func (s *Service) save(c *Close) error {
	s.assess(c)
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return project.WriteFileAtomic(s.path(c.Period), append(data, '\n'), 0o644)
}

// lock serialises writers of close state (the CLI and a running MCP
// server).
func (s *Service) lock(ctx context.Context) (func(), error) {
	return s.Project.Lock(ctx, 30*time.Second)
}

// Periods lists the periods with a close, oldest first.
func (s *Service) Periods() ([]string, error) {
	entries, err := os.ReadDir(s.Project.Path(filepath.FromSlash(Dir)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		p, ok := strings.CutSuffix(e.Name(), ".json")
		if ok && periodRe.MatchString(p) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, nil
}

// resolve picks the close a call means: period, else the only open one,
// else the latest.
func (s *Service) resolve(period string) (string, error) {
	if p := strings.TrimSpace(period); p != "" {
		return p, checkPeriod(p)
	}
	ps, err := s.Periods()
	if err != nil {
		return "", err
	}
	if len(ps) == 0 {
		return "", fmt.Errorf("%w yet: start one with `databridge close start YYYY-MM`", ErrNoClose)
	}
	var open []string
	for _, p := range ps {
		c, err := s.load(p)
		if err == nil && c.Status == StatusOpen {
			open = append(open, p)
		}
	}
	if len(open) == 1 {
		return open[0], nil
	}
	if len(open) > 1 {
		return "", fmt.Errorf("several closes are open (%s): name the period", strings.Join(open, ", "))
	}
	return ps[len(ps)-1], nil
}

// assess works out whether the close can be signed off now.
func (s *Service) assess(c *Close) {
	c.Blockers = nil
	for _, st := range c.Steps {
		switch st.State {
		case StateDone:
		case StateFailed:
			c.Blockers = append(c.Blockers, fmt.Sprintf("%s failed: %s", st.ID, st.Summary))
		case StateBlocked:
			if len(st.Notes) == 0 {
				c.Blockers = append(c.Blockers, fmt.Sprintf("%s is blocked (%s): run it when it can, or explain with `close note %s \"…\"`", st.ID, st.Summary, st.ID))
			}
		case StateNeedsInput:
			c.Blockers = append(c.Blockers, fmt.Sprintf("%s needs input: %s", st.ID, st.Summary))
		default:
			c.Blockers = append(c.Blockers, fmt.Sprintf("%s is %s: run `databridge close run %s`", st.ID, st.State, st.ID))
		}
	}
	if c.Status == StatusSignedOff {
		c.Blockers = nil
	}
	c.Ready = c.Status == StatusOpen && len(c.Blockers) == 0
}

// StartInput starts a close.
type StartInput struct {
	Period          string   `json:"period" jsonschema:"The fiscal month to close, YYYY-MM (e.g. 2025-09)."`
	Hierarchy       string   `json:"hierarchy,omitempty" jsonschema:"The P&L hierarchy (default: the income statement bound in the semantic layer)."`
	Metrics         []string `json:"metrics,omitempty" jsonschema:"Key metrics whose variances need commentary (default: the P&L's top-level money lines)."`
	ThresholdPct    string   `json:"threshold_pct,omitempty" jsonschema:"Commentary needed from this change in percent (default 10)."`
	ThresholdAmount string   `json:"threshold_amount,omitempty" jsonschema:"...and from this absolute change (default 1000)."`
	ForecastMetric  string   `json:"forecast_metric,omitempty" jsonschema:"The metric the forecast step rolls forward (default: the P&L's bottom line)."`
	AllowSelfSign   bool     `json:"allow_self_sign_off,omitempty" jsonschema:"Let the preparer sign off too (a one-person team)."`
}

// Start opens the close of a month: the checklist with every step
// pending. Starting a period that already has a close returns it as it
// is (settings unchanged).
func (s *Service) Start(ctx context.Context, in StartInput) (*Close, error) {
	period := strings.TrimSpace(in.Period)
	if err := checkPeriod(period); err != nil {
		return nil, err
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if c, err := s.load(period); err == nil {
		return c, nil
	} else if !errors.Is(err, ErrNoClose) {
		return nil, err
	}
	l, err := s.Analytics.Layer()
	if err != nil {
		return nil, err
	}
	r, err := s.Analytics.ResolvePeriod(l, period, s.now())
	if err != nil {
		return nil, err
	}
	set := Settings{Hierarchy: strings.TrimSpace(in.Hierarchy), ForecastMetric: strings.TrimSpace(in.ForecastMetric), AllowSelfSignOff: in.AllowSelfSign,
		ThresholdPct: DefaultThresholdPct, ThresholdAmount: DefaultThresholdAmount}
	for _, m := range in.Metrics {
		if m = strings.TrimSpace(m); m != "" {
			set.Metrics = append(set.Metrics, m)
		}
	}
	if v := strings.TrimSpace(in.ThresholdPct); v != "" {
		if set.ThresholdPct, err = decimal.NewFromString(v); err != nil || set.ThresholdPct.IsNegative() {
			return nil, fmt.Errorf("threshold percent %q: want a number ≥ 0", v)
		}
	}
	if v := strings.TrimSpace(in.ThresholdAmount); v != "" {
		if set.ThresholdAmount, err = decimal.NewFromString(v); err != nil || set.ThresholdAmount.IsNegative() {
			return nil, fmt.Errorf("threshold amount %q: want an amount ≥ 0", v)
		}
	}
	ctxL, err := s.context(l, set)
	if err != nil {
		return nil, err
	}
	set.Hierarchy = ctxL.hierarchy
	if len(set.Metrics) == 0 {
		set.Metrics = ctxL.keyMetrics
	}
	for _, m := range set.Metrics {
		if l.Metric(m) == nil {
			return nil, fmt.Errorf("metric %q is not in the semantic layer (see `databridge analytics metrics`)", m)
		}
	}
	if set.ForecastMetric == "" {
		set.ForecastMetric = ctxL.bottomLine
	} else if l.Metric(set.ForecastMetric) == nil {
		return nil, fmt.Errorf("forecast metric %q is not in the semantic layer", set.ForecastMetric)
	}
	now, who := s.now(), s.who()
	fy := l.Calendar.Year(r.From)
	c := &Close{Period: period, Label: r.Label, From: r.From.Format("2006-01-02"), To: r.To.Format("2006-01-02"), FiscalYear: fy,
		Status: StatusOpen, Settings: set, StartedBy: who, StartedAt: now}
	for _, st := range stepTitles {
		c.Steps = append(c.Steps, Step{ID: st.ID, Title: st.Title, State: StatePending})
	}
	c.Record = append(c.Record, Event{At: now, By: who, Action: "start", Detail: "close of " + r.Label + " started"})
	if err := s.save(c); err != nil {
		return nil, err
	}
	return c, nil
}

// StatusInput names a close.
type StatusInput struct {
	Period string `json:"period,omitempty" jsonschema:"The month YYYY-MM (default: the open close, else the latest)."`
}

// Status returns a close as it stands.
func (s *Service) Status(ctx context.Context, in StatusInput) (*Close, error) {
	p, err := s.resolve(in.Period)
	if err != nil {
		return nil, err
	}
	return s.load(p)
}

// RunInput runs one step (or every step).
type RunInput struct {
	Period string `json:"period,omitempty" jsonschema:"The month YYYY-MM (default: the open close)."`
	Step   string `json:"step" jsonschema:"The step: data, trial_balance, mapping, reconciliations, variance, forecast, or all."`
}

// ErrLocked says the close is signed off.
var ErrLocked = errors.New("the close is signed off")

// Run runs a step's check and records its outcome (re-running is safe:
// the step is worked out again from the warehouse; people's notes and
// accepted commentary are kept). Step "all" runs every step in order.
// The returned close carries the outcome; a failed step is not an error
// here (the faces turn it into exit 3 / a checks-failed tool result).
func (s *Service) Run(ctx context.Context, in RunInput) (*Close, error) {
	p, err := s.resolve(in.Period)
	if err != nil {
		return nil, err
	}
	ids := []string{strings.TrimSpace(in.Step)}
	if ids[0] == "all" {
		ids = StepIDs()
	}
	for _, id := range ids {
		if !validStep(id) {
			return nil, fmt.Errorf("unknown step %q: want one of %s, or all", id, strings.Join(StepIDs(), ", "))
		}
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	c, err := s.load(p)
	if err != nil {
		return nil, err
	}
	if c.Status == StatusSignedOff {
		return nil, fmt.Errorf("%w (%s by %s): reopen it first with `databridge close reopen %s --reason \"…\"`", ErrLocked, c.Period, c.SignOff.By, c.Period)
	}
	for _, id := range ids {
		st := c.Step(id)
		prev := *st
		// Running is on the record while the check runs (a process that
		// dies leaves it so, and the next run replaces it).
		st.State = StateRunning
		if err := s.save(c); err != nil {
			return nil, err
		}
		out := s.runStep(ctx, c, id, &prev)
		now, who := s.now(), s.who()
		out.ID, out.Title, out.By, out.At, out.Runs, out.Notes = prev.ID, prev.Title, who, &now, prev.Runs+1, prev.Notes
		*st = out
		c.Record = append(c.Record, Event{At: now, By: who, Action: "run", Step: id, Detail: out.State + ": " + out.Summary})
	}
	if err := s.save(c); err != nil {
		return nil, err
	}
	return c, nil
}

func validStep(id string) bool {
	for _, s := range stepTitles {
		if s.ID == id {
			return true
		}
	}
	return false
}

// NoteInput adds a note to a step, or — for the variance step — writes or
// accepts commentary.
type NoteInput struct {
	Period string `json:"period,omitempty" jsonschema:"The month YYYY-MM (default: the open close)."`
	Step   string `json:"step" jsonschema:"The step the note is about."`
	Text   string `json:"text,omitempty" jsonschema:"The note; with item, the commentary that replaces the draft."`
	// Item (variance step): the commentary METRIC/AGAINST the text
	// replaces; Accept accepts the drafts (of Item, else all).
	Item   string `json:"item,omitempty" jsonschema:"Variance step: the variance the text explains, METRIC/AGAINST (e.g. revenue/prior_year), replacing its draft."`
	Accept bool   `json:"accept,omitempty" jsonschema:"Variance step: accept the drafted commentary (of item, else every draft) as written."`
}

// Note records a person's note on a step; for the variance step it also
// writes (Item + Text) or accepts (Accept) commentary, which can complete
// the step.
func (s *Service) Note(ctx context.Context, in NoteInput) (*Close, error) {
	p, err := s.resolve(in.Period)
	if err != nil {
		return nil, err
	}
	if !validStep(in.Step) {
		return nil, fmt.Errorf("unknown step %q: want one of %s", in.Step, strings.Join(StepIDs(), ", "))
	}
	text := strings.TrimSpace(in.Text)
	item := strings.TrimSpace(in.Item)
	if (item != "" || in.Accept) && in.Step != StepVariance {
		return nil, fmt.Errorf("item and accept are for the variance step's commentary")
	}
	if text == "" && !in.Accept {
		return nil, fmt.Errorf("a note needs text (or accept, for variance commentary)")
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	c, err := s.load(p)
	if err != nil {
		return nil, err
	}
	if c.Status == StatusSignedOff {
		return nil, fmt.Errorf("%w (%s): reopen it first with `databridge close reopen %s --reason \"…\"`", ErrLocked, c.Period, c.Period)
	}
	st := c.Step(in.Step)
	now, who := s.now(), s.who()
	switch {
	case in.Step == StepVariance && (item != "" || in.Accept):
		if len(st.Commentary) == 0 {
			return nil, fmt.Errorf("the variance step has no commentary to write: run `databridge close run variance` first")
		}
		if text != "" && item == "" {
			return nil, fmt.Errorf("commentary text needs the item it explains (METRIC/AGAINST)")
		}
		found := false
		for i := range st.Commentary {
			cm := &st.Commentary[i]
			if item != "" && cm.Key != item {
				continue
			}
			found = true
			switch {
			case text != "":
				cm.Text, cm.Status = text, CommentWritten
			case cm.Status == CommentDraft:
				cm.Text, cm.Status = cm.Draft, CommentAccepted
			default:
				continue
			}
			cm.By, cm.At = who, &now
			c.Record = append(c.Record, Event{At: now, By: who, Action: map[bool]string{true: "comment", false: "accept"}[text != ""], Step: in.Step, Detail: cm.Key})
		}
		if !found {
			keys := make([]string, len(st.Commentary))
			for i, cm := range st.Commentary {
				keys[i] = cm.Key
			}
			return nil, fmt.Errorf("no variance commentary %q (items: %s)", item, strings.Join(keys, ", "))
		}
		varianceState(st)
	default:
		st.Notes = append(st.Notes, Note{By: who, At: now, Text: text})
		c.Record = append(c.Record, Event{At: now, By: who, Action: "note", Step: in.Step, Detail: text})
	}
	if err := s.save(c); err != nil {
		return nil, err
	}
	return c, nil
}

// SignOffInput signs a close off.
type SignOffInput struct {
	Period string `json:"period,omitempty" jsonschema:"The month YYYY-MM (default: the open close)."`
}

// ErrNotReady says a close cannot be signed off yet.
var ErrNotReady = errors.New("the close cannot be signed off")

// ErrSamePerson says the reviewer prepared the close.
var ErrSamePerson = errors.New("sign-off needs a different person from the preparer")

// SignOff signs a close off by the person acting: every step done (a
// blocked step explained by a note), and — unless the close allows self
// sign-off — someone who neither started the close nor ran a step. It
// stores a snapshot of the P&L lines for the month and locks the period.
// A close that is not ready is returned with ErrNotReady (and its
// blockers).
func (s *Service) SignOff(ctx context.Context, in SignOffInput) (*Close, error) {
	p, err := s.resolve(in.Period)
	if err != nil {
		return nil, err
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	c, err := s.load(p)
	if err != nil {
		return nil, err
	}
	if c.Status == StatusSignedOff {
		return c, fmt.Errorf("%w already (%s by %s at %s)", ErrLocked, c.Period, c.SignOff.By, c.SignOff.At.Format(time.RFC3339))
	}
	if !c.Ready {
		return c, fmt.Errorf("%w: %s", ErrNotReady, strings.Join(c.Blockers, "; "))
	}
	who := s.who()
	preparers := c.preparers()
	if !c.Settings.AllowSelfSignOff {
		for _, p := range preparers {
			if p == who {
				return c, fmt.Errorf("%w: %s prepared this close (preparers: %s); another person signs off (identity: $%s or the OS user), or start the close with self sign-off allowed", ErrSamePerson, who, strings.Join(preparers, ", "), EnvUser)
			}
		}
	}
	l, err := s.Analytics.Layer()
	if err != nil {
		return nil, err
	}
	lines, err := s.snapshotMetrics(l, c.Settings.Hierarchy)
	if err != nil {
		return nil, err
	}
	conn, err := s.Connections.Connect(ctx, s.target(), true)
	if err != nil {
		return nil, err
	}
	snap, err := s.snapshot(ctx, l, conn, lines, c.Period)
	conn.Close()
	if err != nil {
		return nil, fmt.Errorf("the sign-off snapshot: %w", err)
	}
	now := s.now()
	c.SignOff = &SignOff{By: who, At: now, Preparers: preparers, Snapshot: snap}
	c.Status = StatusSignedOff
	c.Record = append(c.Record, Event{At: now, By: who, Action: "sign_off", Detail: fmt.Sprintf("signed off; %d P&L lines locked", len(snap))})
	if err := s.save(c); err != nil {
		return nil, err
	}
	events.Emit(ctx, s.Project, events.CloseSignedOff, map[string]any{"period": c.Period, "by": who, "lines_locked": len(snap)})
	return c, nil
}

// preparers are the people who started the close or ran a step or wrote
// commentary, in order of first appearance.
func (c *Close) preparers() []string {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	add(c.StartedBy)
	for _, e := range c.Record {
		if e.Action == "run" || e.Action == "start" {
			add(e.By)
		}
	}
	return out
}

// ReopenInput reopens a signed-off close.
type ReopenInput struct {
	Period string `json:"period" jsonschema:"The month YYYY-MM."`
	Reason string `json:"reason" jsonschema:"Why the period is reopened (kept on the record)."`
}

// Reopen undoes a sign-off, with a reason on the record: the period is no
// longer locked and the close is open again, every step pending (run them
// again before the next sign-off; notes stay, and commentary is kept where
// its numbers did not change).
func (s *Service) Reopen(ctx context.Context, in ReopenInput) (*Close, error) {
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		return nil, fmt.Errorf("reopening needs a reason (it is kept on the record)")
	}
	if err := checkPeriod(strings.TrimSpace(in.Period)); err != nil {
		return nil, err
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	c, err := s.load(strings.TrimSpace(in.Period))
	if err != nil {
		return nil, err
	}
	if c.Status != StatusSignedOff || c.SignOff == nil {
		return nil, fmt.Errorf("the close of %s is not signed off: nothing to reopen", c.Period)
	}
	now, who := s.now(), s.who()
	so := *c.SignOff
	so.ReopenedBy, so.ReopenedAt, so.Reason = who, &now, reason
	c.PriorSignOffs = append(c.PriorSignOffs, so)
	c.SignOff = nil
	c.Status = StatusOpen
	// The numbers may change now: every step is to be run again (notes
	// stay; commentary is kept by the next run where its numbers stand).
	for i := range c.Steps {
		c.Steps[i].State = StatePending
		c.Steps[i].Summary = "reopened: run again"
	}
	c.Record = append(c.Record, Event{At: now, By: who, Action: "reopen", Detail: reason})
	if err := s.save(c); err != nil {
		return nil, err
	}
	events.Emit(ctx, s.Project, events.CloseReopened, map[string]any{"period": c.Period, "by": who})
	return c, nil
}

func (s *Service) target() string {
	if s.Analytics != nil && s.Analytics.Target != "" {
		return s.Analytics.Target
	}
	return s.Project.Config.DefaultTarget
}
