package analytics

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
	"github.com/databridge/databridge/pkg/warehouse"
)

// ScenariosDir holds the project's scenarios (budgets, saved forecasts),
// relative to .databridge/: NAME.yaml says what a scenario is, NAME.csv
// holds its values. These files are the source of truth: the warehouse
// table is reloaded from them after every deploy, rollback and refresh,
// so a redeploy never loses a budget.
const ScenariosDir = "scenarios"

// Scenario kinds.
const (
	ScenarioBudget   = "budget"
	ScenarioForecast = "forecast"
)

// Scenario is a set of planned values standing beside a fact of the
// warehouse: the same measure (and hierarchy binding) by period and by
// some of the fact's dimensions, so every metric of that fact can be
// computed over it ("revenue vs budget").
type Scenario struct {
	Name string `json:"name" yaml:"name"`
	Kind string `json:"kind" yaml:"kind"`
	// Base is the fact model the scenario stands beside; Measure the base
	// measure its values are.
	Base    string `json:"base,omitempty" yaml:"base,omitempty"`
	Measure string `json:"measure,omitempty" yaml:"measure,omitempty"`
	// Metric is set on a scenario of one metric's values (a saved
	// forecast): the metric itself by month, not a fact's measure.
	Metric string `json:"metric,omitempty" yaml:"metric,omitempty"`
	// Table is the warehouse table the values are loaded into.
	Table string `json:"table" yaml:"table"`
	// Columns are the base fact's dimension columns the values are by
	// (e.g. account_code, cost_center_code), in the file's order.
	Columns []string `json:"columns" yaml:"columns"`
	// Refs are the dimensions the columns reach by business key (e.g.
	// cost_center_code → cost_centers, for "by region"); resolved on
	// import against the warehouse.
	Refs []ScenarioRef `json:"refs,omitempty" yaml:"refs,omitempty"`
	// LineMapping is set on a budget by hierarchy line: the file named
	// leaf lines of the hierarchy rather than accounts; the values are
	// kept by leaf code (in the binding's code column) and this table
	// maps each leaf code to itself, so every line above computes.
	LineMapping string `json:"line_mapping,omitempty" yaml:"line_mapping,omitempty"`
	// Scale is the amounts' decimal places.
	Scale int `json:"scale" yaml:"scale"`
	// Source is the imported file, ImportedAt when.
	Source     string    `json:"source,omitempty" yaml:"source,omitempty"`
	ImportedAt time.Time `json:"imported_at" yaml:"imported_at"`
	Rows       int       `json:"rows" yaml:"rows"`
	From       string    `json:"from" yaml:"from"` // first period, YYYY-MM-DD
	To         string    `json:"to" yaml:"to"`     // last period start, YYYY-MM-DD
	Total      string    `json:"total" yaml:"total"`
	// Negated: the file's amounts were negated on import (--negate), to
	// match the base measure's sign convention.
	Negated bool `json:"negated,omitempty" yaml:"negated,omitempty"`
}

// ScenarioRef is a scenario column that references a dimension by its
// business key. When the dimension keeps history (SCD-2, several rows per
// key) the reference reads the current version (Current), as the
// scenario has no posting date of its own to place it in time.
type ScenarioRef struct {
	Column    string `json:"column" yaml:"column"`
	Model     string `json:"model" yaml:"model"`
	RefColumn string `json:"ref_column" yaml:"ref_column"`
	Current   string `json:"current_column,omitempty" yaml:"current_column,omitempty"`
}

// Scenario table columns.
const (
	scnPeriod = "PERIOD_START"
	scnAmount = "AMOUNT"
)

// ScenarioImport is an import of a budget or forecast file (`databridge
// analytics budget import`, the import_budget tool).
type ScenarioImport struct {
	File string `json:"file,omitempty" jsonschema:"CSV file: a period column (YYYY-MM or a date), an amount column, and columns named like dimensions of the fact (e.g. account_code, cost_center_code)."`
	// CSV is the file's content itself (an MCP client sends content, not
	// a path on the server); File is then ignored.
	CSV  string `json:"csv,omitempty" jsonschema:"The CSV content itself (header and rows)."`
	Name string `json:"name" jsonschema:"Scenario name, e.g. budget_fy2026 (letters, digits, underscores)."`
	Kind string `json:"kind,omitempty" jsonschema:"budget (default) or forecast."`
	// Base is the fact model (default: the one the project's hierarchies
	// are bound to, else the only fact with money).
	Base string `json:"base,omitempty" jsonschema:"The fact model the values stand beside (default: the fact the hierarchies are bound to)."`
	// Measure is the base measure the amounts are (default: the measure
	// the hierarchy binding sums, else the only money measure).
	Measure string `json:"measure,omitempty" jsonschema:"The base measure the amounts are (default: the one the hierarchy binding sums)."`
	Negate  bool   `json:"negate,omitempty" jsonschema:"Negate the amounts on import (when the file's sign convention is the opposite of the ledger's)."`
	Replace bool   `json:"replace,omitempty" jsonschema:"Replace an existing scenario of that name."`
}

// ScenarioResult is an imported scenario and where it was loaded.
type ScenarioResult struct {
	Scenario Scenario `json:"scenario"`
	Path     string   `json:"path"`
	Loaded   bool     `json:"loaded"`
	Notes    []string `json:"notes,omitempty"`
}

var scenarioName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

var (
	periodHeader = regexp.MustCompile(`(?i)^(period|period_id|fiscal_period|month|period_start|date|posting_date)$`)
	lineHeader   = regexp.MustCompile(`(?i)^(line|hierarchy_line|pl_line|node|node_code|line_code)$`)
	amountHeader = regexp.MustCompile(`(?i)^(amount|value|budget|forecast|plan|budget_amount|forecast_amount|amount_usd)$`)
)

func (s *Service) scenarioPath(name, ext string) string {
	return s.path(ScenariosDir + "/" + name + ext)
}

// parsePeriod reads a period as its first day: YYYY-MM or YYYY-MM-DD.
func parsePeriod(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse("2006-01", v); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// scenarioBase finds the fact a scenario stands beside and its measure.
func scenarioBase(l *semlayer.Layer, base, measure string) (*semlayer.Model, *semlayer.Measure, *semlayer.HierarchyBinding, error) {
	var fm *semlayer.Model
	if base != "" {
		fm = l.Model(base)
		if fm == nil || fm.Role != "fact" {
			return nil, nil, nil, fmt.Errorf("base %q is not a fact of the semantic layer", base)
		}
	} else {
		var bound, money []*semlayer.Model
		for _, m := range l.Models {
			if m.Role != "fact" || m.Scenario != "" {
				continue
			}
			if len(m.Hierarchies) > 0 {
				bound = append(bound, m)
			}
			for _, x := range m.Measures {
				if x.Money && x.NonAdditive == nil {
					money = append(money, m)
					break
				}
			}
		}
		switch {
		case len(bound) == 1:
			fm = bound[0]
		case len(bound) == 0 && len(money) == 1:
			fm = money[0]
		default:
			return nil, nil, nil, errors.New("say which fact the values stand beside (--base): the layer has several candidates")
		}
	}
	var hb *semlayer.HierarchyBinding
	if len(fm.Hierarchies) > 0 {
		hb = fm.Hierarchies[0]
	}
	var me *semlayer.Measure
	switch {
	case measure != "":
		me = fm.Measure(measure)
		if me == nil {
			return nil, nil, nil, fmt.Errorf("fact %s has no measure %q", fm.Name, measure)
		}
	case hb != nil:
		for _, x := range fm.Measures {
			if strings.EqualFold(x.Column, hb.ValueColumn) && x.Agg == semlayer.AggSum {
				me = x
			}
		}
	}
	if me == nil {
		var money []*semlayer.Measure
		for _, x := range fm.Measures {
			if x.Money && x.Agg == semlayer.AggSum && x.NonAdditive == nil {
				money = append(money, x)
			}
		}
		if len(money) != 1 {
			return nil, nil, nil, fmt.Errorf("say which measure of %s the amounts are (--measure)", fm.Name)
		}
		me = money[0]
	}
	if me.Agg != semlayer.AggSum || me.NonAdditive != nil {
		return nil, nil, nil, fmt.Errorf("measure %s of %s is not a sum over periods: a scenario needs a flow (amounts per period)", me.Name, fm.Name)
	}
	return fm, me, hb, nil
}

// ImportScenario reads a budget or forecast file, checks it against the
// semantic layer, stores it under .databridge/scenarios/ and loads it into
// the warehouse. Nothing is written when the file does not fit.
func (s *Service) ImportScenario(ctx context.Context, in ScenarioImport) (*ScenarioResult, error) {
	name := strings.ToLower(strings.TrimSpace(in.Name))
	if !scenarioName.MatchString(name) {
		return nil, fmt.Errorf("scenario name %q: use lower-case letters, digits and underscores, starting with a letter", in.Name)
	}
	kind := strings.ToLower(strings.TrimSpace(in.Kind))
	if kind == "" {
		kind = ScenarioBudget
	}
	if kind != ScenarioBudget && kind != ScenarioForecast {
		return nil, fmt.Errorf("kind %q: want budget or forecast", in.Kind)
	}
	if _, err := os.Stat(s.scenarioPath(name, ".yaml")); err == nil && !in.Replace {
		return nil, fmt.Errorf("scenario %s exists: --replace to replace it", name)
	}
	l, err := s.Layer()
	if err != nil {
		return nil, err
	}
	fm, me, _, err := scenarioBase(l, strings.TrimSpace(in.Base), strings.TrimSpace(in.Measure))
	if err != nil {
		return nil, err
	}
	var src io.Reader
	if in.CSV != "" {
		src = strings.NewReader(in.CSV)
		in.File = "the CSV"
	} else {
		if strings.TrimSpace(in.File) == "" {
			return nil, errors.New("give the budget as a file or as CSV content")
		}
		path := in.File
		if !filepath.IsAbs(path) {
			path = filepath.Join(s.Project.Root, path)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("budget file: %w", err)
		}
		defer f.Close()
		src = f
	}
	r := csv.NewReader(src)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: no header row: %w", in.File, err)
	}
	pcol, acol, lcol := -1, -1, -1
	var dims []int
	var cols []string
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		switch {
		case pcol < 0 && periodHeader.MatchString(h):
			pcol = i
		case acol < 0 && amountHeader.MatchString(h):
			acol = i
		case lcol < 0 && lineHeader.MatchString(h):
			lcol = i
		default:
			dim := fm.Dimension(h)
			if dim == nil || dim.Type != "categorical" {
				var known []string
				for _, x := range fm.Dimensions {
					if x.Type == "categorical" && !x.Hidden {
						known = append(known, x.Name)
					}
				}
				return nil, fmt.Errorf("%s: column %q is not a period (period, period_id, month, date), an amount (amount, value, budget) or a dimension of %s (%s)", in.File, h, fm.Name, strings.Join(known, ", "))
			}
			dims = append(dims, i)
			cols = append(cols, dim.Column)
		}
	}
	if pcol < 0 || acol < 0 {
		return nil, fmt.Errorf("%s: want a period column (period, period_id, month, date) and an amount column (amount, value, budget); the header is %s", in.File, strings.Join(header, ", "))
	}
	// By hierarchy line: the leaf lines' codes stand in the binding's code
	// column, with the ledger's sign.
	var lines map[string]*semlayer.Metric
	var lineBinding *semlayer.HierarchyBinding
	if lcol >= 0 {
		if len(fm.Hierarchies) == 0 {
			return nil, fmt.Errorf("%s: a budget by line needs a hierarchy bound to %s", in.File, fm.Name)
		}
		lineBinding = fm.Hierarchies[0]
		for _, c := range cols {
			if strings.EqualFold(c, lineBinding.CodeColumn) {
				return nil, fmt.Errorf("%s: give either lines or %s, not both", in.File, c)
			}
		}
		lines = map[string]*semlayer.Metric{}
		for _, m := range l.Metrics {
			if m.Type == semlayer.MetricHierarchy && strings.EqualFold(m.Hierarchy, lineBinding.Hierarchy) && m.Formula == "" {
				lines[strings.ToLower(m.Node)], lines[strings.ToLower(m.Name)] = m, m
			}
		}
	}
	type row struct {
		period time.Time
		keys   []string
		amount decimal.Decimal
	}
	var rows []row
	scale := 2
	total := decimal.Zero
	var from, to time.Time
	line := 1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", in.File, line, err)
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s line %d: %d fields, the header has %d", in.File, line, len(rec), len(header))
		}
		p, ok := parsePeriod(rec[pcol])
		if !ok {
			return nil, fmt.Errorf("%s line %d: period %q: want YYYY-MM or YYYY-MM-DD", in.File, line, rec[pcol])
		}
		a, err := decimal.NewFromString(strings.TrimSpace(rec[acol]))
		if err != nil {
			return nil, fmt.Errorf("%s line %d: amount %q is not a number", in.File, line, rec[acol])
		}
		if in.Negate {
			a = a.Neg()
		}
		if e := -int(a.Exponent()); e > scale {
			scale = e
		}
		keys := make([]string, len(dims))
		for j, i := range dims {
			keys[j] = strings.TrimSpace(rec[i])
		}
		if lcol >= 0 {
			v := strings.TrimSpace(rec[lcol])
			m := lines[strings.ToLower(v)]
			switch {
			case m == nil:
				return nil, fmt.Errorf("%s line %d: %q is not a line of hierarchy %s", in.File, line, v, lineBinding.Hierarchy)
			case len(m.Leaves) != 1 || m.Leaves[m.Node] != 1:
				var leaves []string
				for code := range m.Leaves {
					leaves = append(leaves, code)
				}
				sort.Strings(leaves)
				return nil, fmt.Errorf("%s line %d: %s is not a leaf line: budget its leaves (%s)", in.File, line, m.Node, strings.Join(leaves, ", "))
			}
			// The file has the line as the statement shows it; the ledger
			// has it before the presentation sign.
			if m.FlipSign {
				a = a.Neg()
			}
			keys = append(keys, m.Node)
		}
		rows = append(rows, row{period: p, keys: keys, amount: a})
		total = total.Add(a)
		if from.IsZero() || p.Before(from) {
			from = p
		}
		if p.After(to) {
			to = p
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no rows", in.File)
	}
	if scale > 12 {
		return nil, fmt.Errorf("%s: amounts with %d decimal places: at most 12", in.File, scale)
	}
	refCols := cols
	if lcol >= 0 {
		cols = append(append([]string{}, cols...), lineBinding.CodeColumn)
	}
	sc := Scenario{Name: name, Kind: kind, Base: fm.Name, Measure: me.Name, Table: "SCN_" + strings.ToUpper(name), Columns: cols,
		Scale: scale, Source: in.File, ImportedAt: s.Now().UTC(), Rows: len(rows), From: from.Format("2006-01-02"), To: to.Format("2006-01-02"), Total: total.String(), Negated: in.Negate}

	if lcol >= 0 {
		sc.LineMapping = sc.Table + "_MAP"
	}
	refs, notes, err := s.scenarioRefs(ctx, l, refCols)
	if err != nil {
		return nil, err
	}
	sc.Refs = refs

	// The values, normalised: period start, the dimension columns, amount.
	recs := [][]string{append(append([]string{scnPeriod}, cols...), scnAmount)}
	for _, r := range rows {
		recs = append(recs, append(append([]string{r.period.Format("2006-01-02")}, r.keys...), r.amount.String()))
	}
	res, err := s.storeScenario(ctx, l, sc, recs)
	if err != nil {
		return nil, err
	}
	res.Notes = append(notes, res.Notes...)
	return res, nil
}

// storeScenario writes a scenario's values and description under
// .databridge/scenarios/ and loads it into the warehouse.
func (s *Service) storeScenario(ctx context.Context, l *semlayer.Layer, sc Scenario, recs [][]string) (*ScenarioResult, error) {
	var buf strings.Builder
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		return nil, err
	}
	meta, err := yaml.Marshal(&sc)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.path(ScenariosDir), 0o755); err != nil {
		return nil, err
	}
	if err := project.WriteFileAtomic(s.scenarioPath(sc.Name, ".csv"), []byte(buf.String()), 0o644); err != nil {
		return nil, err
	}
	if err := project.WriteFileAtomic(s.scenarioPath(sc.Name, ".yaml"), meta, 0o644); err != nil {
		return nil, err
	}
	res := &ScenarioResult{Scenario: sc, Path: filepath.ToSlash(filepath.Join(".databridge", ScenariosDir, sc.Name+".yaml"))}
	if err := s.loadScenario(ctx, l.Dialect, sc); err != nil {
		res.Notes = append(res.Notes, "kept under .databridge/scenarios/ but not loaded into the warehouse: "+err.Error())
		return res, nil
	}
	res.Loaded = true
	return res, nil
}

// SaveMetricScenario saves one metric's values by month (a forecast) as a
// scenario of kind forecast: the metric can then be compared with it
// (--against forecast:NAME).
func (s *Service) SaveMetricScenario(ctx context.Context, name, metric string, months []string, values []decimal.Decimal, replace bool) (*Scenario, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if !scenarioName.MatchString(name) {
		return nil, fmt.Errorf("forecast name %q: use lower-case letters, digits and underscores, starting with a letter", name)
	}
	if _, err := os.Stat(s.scenarioPath(name, ".yaml")); err == nil && !replace {
		return nil, fmt.Errorf("scenario %s exists: replace it to overwrite", name)
	}
	l, err := s.Layer()
	if err != nil {
		return nil, err
	}
	m := l.Metric(metric)
	if m == nil {
		return nil, fmt.Errorf("unknown metric %q", metric)
	}
	if len(months) == 0 || len(months) != len(values) {
		return nil, errors.New("a forecast needs one value per month")
	}
	recs := [][]string{{scnPeriod, scnAmount}}
	total := decimal.Zero
	var from, to time.Time
	for i, mo := range months {
		t, ok := parsePeriod(mo)
		if !ok {
			return nil, fmt.Errorf("month %q", mo)
		}
		if from.IsZero() || t.Before(from) {
			from = t
		}
		if t.After(to) {
			to = t
		}
		recs = append(recs, []string{t.Format("2006-01-02"), values[i].String()})
		total = total.Add(values[i])
	}
	sc := Scenario{Name: name, Kind: ScenarioForecast, Metric: m.Name, Table: "SCN_" + strings.ToUpper(name), Columns: []string{}, Scale: 2,
		Source: "databridge analytics forecast " + m.Name, ImportedAt: s.Now().UTC(), Rows: len(months), From: from.Format("2006-01-02"), To: to.Format("2006-01-02"), Total: total.String()}
	if _, err := s.storeScenario(ctx, l, sc, recs); err != nil {
		return nil, err
	}
	return &sc, nil
}

// Scenarios lists the project's scenarios, by name.
func (s *Service) Scenarios() ([]Scenario, error) {
	entries, err := os.ReadDir(s.path(ScenariosDir))
	if errors.Is(err, os.ErrNotExist) {
		return []Scenario{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := []Scenario{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		sc, err := s.scenario(strings.TrimSuffix(e.Name(), ".yaml"))
		if err != nil {
			return nil, err
		}
		out = append(out, *sc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (s *Service) scenario(name string) (*Scenario, error) {
	if !scenarioName.MatchString(name) {
		return nil, fmt.Errorf("scenario name %q is not valid", name)
	}
	data, err := os.ReadFile(s.scenarioPath(name, ".yaml"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no scenario %q (see `databridge analytics budget list`)", name)
	}
	if err != nil {
		return nil, err
	}
	var sc Scenario
	if err := yaml.Unmarshal(data, &sc); err != nil {
		return nil, fmt.Errorf(".databridge/%s/%s.yaml: %w", ScenariosDir, name, err)
	}
	if sc.Name != name {
		return nil, fmt.Errorf(".databridge/%s/%s.yaml names scenario %q", ScenariosDir, name, sc.Name)
	}
	return &sc, nil
}

// ResolveScenario finds a scenario by kind and name: with no name, the
// only scenario of that kind.
func (s *Service) ResolveScenario(kind, name string) (string, error) {
	all, err := s.Scenarios()
	if err != nil {
		return "", err
	}
	var names []string
	for _, sc := range all {
		if sc.Kind != kind {
			continue
		}
		if name != "" && sc.Name == strings.ToLower(name) {
			return sc.Name, nil
		}
		names = append(names, sc.Name)
	}
	switch {
	case name != "":
		return "", fmt.Errorf("no %s scenario %q (the project has: %s)", kind, name, listOrNone(names))
	case len(names) == 1:
		return names[0], nil
	case len(names) == 0 && kind == ScenarioForecast:
		return "", errors.New("no saved forecast in this project: save one with `databridge analytics forecast METRIC --save NAME`")
	case len(names) == 0:
		return "", fmt.Errorf("no %s in this project: import one with `databridge analytics budget import FILE --name NAME`", kind)
	}
	return "", fmt.Errorf("several %ss (%s): say which, %s:NAME", kind, strings.Join(names, ", "), kind)
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// LoadScenarios reloads every scenario into the warehouse from
// .databridge/scenarios/ (after a deploy, a rollback or a refresh).
func (s *Service) LoadScenarios(ctx context.Context) ([]string, error) {
	all, err := s.Scenarios()
	if err != nil || len(all) == 0 {
		return nil, err
	}
	l, err := s.Layer()
	if err != nil {
		return nil, err
	}
	var loaded []string
	for _, sc := range all {
		if err := s.loadScenario(ctx, l.Dialect, sc); err != nil {
			return loaded, fmt.Errorf("scenario %s: %w", sc.Name, err)
		}
		loaded = append(loaded, sc.Name)
	}
	return loaded, nil
}

// loadScenario (re)creates a scenario's table from its CSV, in one
// transaction.
func (s *Service) loadScenario(ctx context.Context, dialect string, sc Scenario) error {
	data, err := os.ReadFile(s.scenarioPath(sc.Name, ".csv"))
	if err != nil {
		return err
	}
	recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || len(recs) == 0 {
		return fmt.Errorf(".databridge/%s/%s.csv is damaged", ScenariosDir, sc.Name)
	}
	cols := recs[0]
	defs := []d.ColumnDef{{Name: scnPeriod, Type: d.Date, NotNull: true}}
	types := []d.Type{d.Date}
	for _, c := range cols[1 : len(cols)-1] {
		defs = append(defs, d.ColumnDef{Name: c, Type: d.Varchar(200)})
		types = append(types, d.Varchar(200))
	}
	amount := d.Decimal(38, sc.Scale)
	defs = append(defs, d.ColumnDef{Name: scnAmount, Type: amount, NotNull: true})
	types = append(types, amount)
	table := d.Name{Name: sc.Table}
	stmts := []d.Stmt{&d.CreateTable{Name: table, Columns: defs, OrReplace: true,
		Comment: fmt.Sprintf("databridge: %s scenario %s, loaded from .databridge/%s/%s.csv", sc.Kind, sc.Name, ScenariosDir, sc.Name)}}
	const chunk = 500
	body := recs[1:]
	for i := 0; i < len(body); i += chunk {
		end := min(i+chunk, len(body))
		var rows [][]d.Expr
		for _, rec := range body[i:end] {
			row := []d.Expr{&d.Cast{X: d.S(rec[0]), Type: d.Date}}
			for _, v := range rec[1 : len(rec)-1] {
				row = append(row, d.S(v))
			}
			row = append(row, &d.Cast{X: d.DecimalLit(numericLiteral(rec[len(rec)-1])), Type: amount})
			rows = append(rows, row)
		}
		items := make([]d.SelectItem, len(cols))
		for j, c := range cols {
			items[j] = d.SelectItem{Expr: d.C("v", c)}
		}
		stmts = append(stmts, &d.Insert{Table: table, Columns: cols, Query: &d.Select{Columns: items,
			From: &d.Values{Columns: cols, Types: types, Rows: rows, Alias: "v"}}})
	}
	if sc.LineMapping != "" {
		// Each leaf line's code maps to itself.
		seen := map[string]bool{}
		var rows [][]d.Expr
		for _, rec := range body {
			code := rec[len(rec)-2]
			if !seen[code] {
				seen[code] = true
				rows = append(rows, []d.Expr{d.S(code), d.S(code)})
			}
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i][0].(d.Lit).Value.(string) < rows[j][0].(d.Lit).Value.(string) })
		mapName := d.Name{Name: sc.LineMapping}
		mcols := []string{"SOURCE_CODE", "LEAF_CODE"}
		stmts = append(stmts, &d.CreateTable{Name: mapName, OrReplace: true, Columns: []d.ColumnDef{{Name: "SOURCE_CODE", Type: d.Varchar(200)}, {Name: "LEAF_CODE", Type: d.Varchar(200)}},
			Comment: fmt.Sprintf("databridge: the leaf lines of %s scenario %s, each mapped to itself", sc.Kind, sc.Name)},
			&d.Insert{Table: mapName, Columns: mcols, Query: &d.Select{Columns: []d.SelectItem{{Expr: d.C("v", "SOURCE_CODE")}, {Expr: d.C("v", "LEAF_CODE")}},
				From: &d.Values{Columns: mcols, Types: []d.Type{d.Varchar(200), d.Varchar(200)}, Rows: rows, Alias: "v"}}})
	}
	var sqls []string
	for _, st := range stmts {
		ss, err := d.RenderAll(dialect, st)
		if err != nil {
			return err
		}
		sqls = append(sqls, ss...)
	}
	conn, err := connections.New(s.Project).Connect(ctx, s.Target, false)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	for _, q := range sqls {
		if _, err := tx.Exec(ctx, q); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// numericLiteral is a decimal's text, checked (it came from our own CSV,
// but nothing reaches SQL unchecked).
func numericLiteral(v string) string {
	x, err := decimal.NewFromString(v)
	if err != nil {
		return "0"
	}
	return x.String()
}

// scenarioModel is the semantic model of a scenario: the base fact's
// measure, dimensions, hierarchy binding and entities, over the scenario
// table by month.
func scenarioModel(l *semlayer.Layer, sc Scenario) (*semlayer.Model, error) {
	if sc.Metric != "" {
		m := &semlayer.Model{Name: "scenario_" + sc.Name, Origin: "scenario:" + sc.Name, Table: sc.Table, Role: "fact", Scenario: sc.Name,
			Description: fmt.Sprintf("%s %s: %s by month", sc.Kind, sc.Name, sc.Metric), TimeColumn: scnPeriod}
		money := false
		if x := l.Metric(sc.Metric); x != nil {
			money = x.Format == "money"
		}
		m.Dimensions = []*semlayer.Dimension{{Name: "period_start", Column: scnPeriod, Type: "time"}}
		m.Measures = []*semlayer.Measure{{Name: "value", Column: scnAmount, Agg: semlayer.AggSum, Money: money}}
		return m, nil
	}
	fm := l.Model(sc.Base)
	if fm == nil {
		return nil, fmt.Errorf("scenario %s stands beside %s, which the semantic layer no longer has", sc.Name, sc.Base)
	}
	me := fm.Measure(sc.Measure)
	if me == nil {
		return nil, fmt.Errorf("scenario %s: %s has no measure %s any more", sc.Name, sc.Base, sc.Measure)
	}
	m := &semlayer.Model{Name: "scenario_" + sc.Name, Origin: "scenario:" + sc.Name, Table: sc.Table, Schema: fm.Schema, Role: "fact", Scenario: sc.Name,
		Description: fmt.Sprintf("%s %s: %s of %s by month", sc.Kind, sc.Name, sc.Measure, sc.Base), TimeColumn: scnPeriod}
	m.Dimensions = append(m.Dimensions, &semlayer.Dimension{Name: "period_start", Column: scnPeriod, Type: "time"})
	colSet := map[string]bool{}
	for _, c := range sc.Columns {
		colSet[strings.ToLower(c)] = true
		if sc.LineMapping != "" && len(fm.Hierarchies) > 0 && strings.EqualFold(c, fm.Hierarchies[0].CodeColumn) {
			continue // it holds line codes, not the dimension's values
		}
		for _, x := range fm.Dimensions {
			if strings.EqualFold(x.Column, c) {
				cp := *x
				m.Dimensions = append(m.Dimensions, &cp)
			}
		}
	}
	for _, r := range sc.Refs {
		dm := l.Model(r.Model)
		if dm == nil || dm.PrimaryEntity() == nil {
			continue
		}
		m.Entities = append(m.Entities, &semlayer.Entity{Name: dm.PrimaryEntity().Name, Type: "foreign", Column: r.Column, Ref: dm.Name, RefColumn: r.RefColumn, CurrentColumn: r.Current})
	}
	m.Measures = []*semlayer.Measure{{Name: me.Name, Column: scnAmount, Agg: semlayer.AggSum, Money: me.Money, Description: me.Description}}
	for _, hb := range fm.Hierarchies {
		if colSet[strings.ToLower(hb.CodeColumn)] && strings.EqualFold(hb.ValueColumn, me.Column) {
			cp := *hb
			cp.ValueColumn = scnAmount
			if sc.LineMapping != "" {
				if !strings.EqualFold(hb.Hierarchy, fm.Hierarchies[0].Hierarchy) {
					continue // the lines are of the first bound hierarchy
				}
				cp.Mapping, cp.Schema, cp.Trim, cp.CaseInsensitive = sc.LineMapping, "", false, false
			}
			m.Hierarchies = append(m.Hierarchies, &cp)
		}
	}
	return m, nil
}

// scenarioLayer is the layer with every metric of the scenario's base
// fact computed over the scenario instead: "revenue" of budget_fy2026.
func (s *Service) scenarioLayer(l *semlayer.Layer, name string) (*semlayer.Layer, error) {
	sc, err := s.scenario(name)
	if err != nil {
		return nil, err
	}
	sm, err := scenarioModel(l, *sc)
	if err != nil {
		return nil, err
	}
	out := *l
	out.Models = append(append([]*semlayer.Model(nil), l.Models...), sm)
	out.Metrics = make([]*semlayer.Metric, 0, len(l.Metrics))
	for _, m := range l.Metrics {
		cp := *m
		if sc.Metric != "" {
			// A metric's own values: that metric reads them, no other
			// metric has any.
			if strings.EqualFold(m.Name, sc.Metric) {
				cp = semlayer.Metric{Name: m.Name, Type: semlayer.MetricSimple, Label: m.Label, Description: m.Description, Format: m.Format,
					FavourableWhen: m.FavourableWhen, Model: sm.Name, Measure: "value"}
			} else {
				cp.Model = "(no values in scenario " + sc.Name + ")"
			}
			out.Metrics = append(out.Metrics, &cp)
			continue
		}
		if strings.EqualFold(m.Model, sc.Base) {
			switch m.Type {
			case semlayer.MetricHierarchy:
				if len(sm.Hierarchies) > 0 {
					cp.Model = sm.Name
				} else {
					cp.Model = "(no values in scenario " + sc.Name + ")"
				}
			case semlayer.MetricSimple, semlayer.MetricCumulative:
				if strings.EqualFold(m.Measure, sc.Measure) {
					cp.Model = sm.Name
				} else {
					cp.Model = "(no values in scenario " + sc.Name + ")"
				}
			}
		}
		out.Metrics = append(out.Metrics, &cp)
	}
	return &out, nil
}

// scenarioAgainst reads "budget", "budget:NAME", "forecast:NAME" as a
// scenario kind and name.
func scenarioAgainst(a string) ([2]string, bool) {
	kind, name, _ := strings.Cut(a, ":")
	if kind != ScenarioBudget && kind != ScenarioForecast {
		return [2]string{}, false
	}
	return [2]string{kind, strings.TrimSpace(name)}, true
}

// scenarioRef resolves a scenario reference: budget, budget:NAME,
// forecast:NAME, or a scenario's name.
func (s *Service) scenarioRef(ref string) (string, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if ka, ok := scenarioAgainst(ref); ok {
		return s.ResolveScenario(ka[0], ka[1])
	}
	sc, err := s.scenario(ref)
	if err != nil {
		return "", err
	}
	return sc.Name, nil
}

// againstScenario runs a query on the actuals and on a scenario and puts
// the scenario's value, the change and the change in percent beside each
// metric (metric_budget, metric_change, metric_change_pct), member by
// member. Members only one side has get an empty cell on the other.
func (s *Service) againstScenario(ctx context.Context, l *semlayer.Layer, in QueryArgs, spec query.Spec, against string) (*QueryResult, error) {
	ka, _ := scenarioAgainst(against)
	name, err := s.ResolveScenario(ka[0], ka[1])
	if err != nil {
		return nil, err
	}
	sl, err := s.scenarioLayer(l, name)
	if err != nil {
		return nil, err
	}
	qi := QueryInput{Spec: spec, Dialect: in.Dialect, SQLOnly: in.SQLOnly, Exact: in.Exact}
	act, err := s.run(ctx, l, qi)
	if err != nil {
		return nil, err
	}
	plan, err := s.run(ctx, sl, qi)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", ka[0], name, err)
	}
	out := &QueryResult{Dialect: act.Dialect, SQL: act.SQL + ";\n-- " + ka[0] + " " + name + "\n" + plan.SQL, Ran: act.Ran, Rows: [][]any{},
		ElapsedMS: act.ElapsedMS + plan.ElapsedMS, Truncated: act.Truncated || plan.Truncated, Notes: act.Notes}
	out.Notes = append(out.Notes, fmt.Sprintf("compared with %s %s (.databridge/%s/%s.yaml)", ka[0], name, ScenariosDir, name))
	var groups, metrics []int
	for i, c := range act.Columns {
		switch c.Kind {
		case query.KindGroup:
			groups = append(groups, i)
			out.Columns = append(out.Columns, c)
		}
	}
	for i, c := range act.Columns {
		if c.Kind == query.KindMetric {
			metrics = append(metrics, i)
			out.Columns = append(out.Columns, c,
				ResultColumn{Name: c.Name + "_" + ka[0], Label: c.Label + ", " + ka[0], Kind: query.KindCompare, Format: c.Format, Metric: c.Metric},
				ResultColumn{Name: c.Name + "_change", Label: "change", Kind: "change", Format: c.Format, Metric: c.Metric},
				ResultColumn{Name: c.Name + "_change_pct", Label: "change %", Kind: "change_pct", Format: "percent", Metric: c.Metric})
		}
	}
	if !act.Ran {
		return out, nil
	}
	key := func(r []any) string {
		var b strings.Builder
		for _, g := range groups {
			fmt.Fprintf(&b, "%v\x1f", r[g])
		}
		return b.String()
	}
	planRows := map[string][]any{}
	var planOrder []string
	for _, r := range plan.Rows {
		k := key(r)
		planRows[k] = r
		planOrder = append(planOrder, k)
	}
	emit := func(a, p []any) {
		base := a
		if base == nil {
			base = p
		}
		row := make([]any, 0, len(out.Columns))
		for _, g := range groups {
			row = append(row, base[g])
		}
		for _, m := range metrics {
			var av, pv any
			if a != nil {
				av = a[m]
			}
			if p != nil {
				pv = p[m]
			}
			row = append(row, av, pv)
			ad, aok := asDecimal(av)
			pd, pok := asDecimal(pv)
			switch {
			case aok || pok:
				ch := ad.Sub(pd)
				row = append(row, ch)
				if pd.IsZero() {
					row = append(row, nil)
				} else {
					row = append(row, ch.Mul(decimal.NewFromInt(100)).DivRound(pd.Abs(), 2))
				}
			default:
				row = append(row, nil, nil)
			}
		}
		out.Rows = append(out.Rows, row)
	}
	seen := map[string]bool{}
	for _, r := range act.Rows {
		k := key(r)
		seen[k] = true
		emit(r, planRows[k])
	}
	for _, k := range planOrder {
		if !seen[k] {
			emit(nil, planRows[k])
		}
	}
	out.RowCount = len(out.Rows)
	return out, nil
}

// scenarioRefs finds, for each scenario column, the dimension that has it
// as a business key, and how to join it without fanning out: directly
// when the key is unique, on the current version when the dimension keeps
// history. A key that is neither is left unjoined, with a note.
func (s *Service) scenarioRefs(ctx context.Context, l *semlayer.Layer, cols []string) ([]ScenarioRef, []string, error) {
	var refs []ScenarioRef
	var notes []string
	var conn connector.Connector
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for _, c := range cols {
		for _, dm := range l.Models {
			if dm.Role != "dimension" || dm.PrimaryEntity() == nil {
				continue
			}
			x := dm.Dimension(c)
			if x == nil || !strings.EqualFold(x.Column, c) {
				continue
			}
			if conn == nil {
				var err error
				if conn, err = s.connect(ctx); err != nil {
					return nil, nil, err
				}
			}
			ref := ScenarioRef{Column: c, Model: dm.Name, RefColumn: x.Column}
			dups, err := s.duplicateKeys(ctx, conn, l.Dialect, dm, x.Column, "")
			if err != nil {
				return nil, nil, err
			}
			if dups > 0 {
				ref.Current = warehouse.CurrentVersionColumn
				dups, err = s.duplicateKeys(ctx, conn, l.Dialect, dm, x.Column, ref.Current)
				if err != nil || dups > 0 {
					notes = append(notes, fmt.Sprintf("%s is not a unique key of %s: the scenario is not joined to it (no breakdown by its attributes)", c, dm.Name))
					break
				}
				notes = append(notes, fmt.Sprintf("%s keeps history: the scenario reads the current version of each %s", dm.Name, c))
			}
			refs = append(refs, ref)
			break
		}
	}
	return refs, notes, nil
}

// duplicateKeys counts the rows of a dimension beyond one per key (on the
// rows whose current column is 1, when given).
func (s *Service) duplicateKeys(ctx context.Context, conn connector.Connector, dialect string, dm *semlayer.Model, col, current string) (int64, error) {
	q := &d.Select{Columns: []d.SelectItem{d.As(&d.Binary{Op: "-", L: d.F("COUNT"), R: &d.Func{Name: "COUNT", Args: []d.Expr{d.C(col)}, Distinct: true}}, "n")},
		From: d.Table{Name: d.Name{Schema: dm.Schema, Name: dm.Table}}}
	if current != "" {
		q.Where = d.Eq(d.C(current), d.I(1))
	}
	sql, err := d.RenderQuery(dialect, q)
	if err != nil {
		return 0, err
	}
	res, err := conn.Query(ctx, sql, connector.QueryOptions{MaxRows: 1, Timeout: time.Minute})
	if err != nil {
		return 0, err
	}
	if len(res.Rows) == 0 || len(res.Rows[0]) == 0 {
		return 0, nil
	}
	n, _ := asDecimal(res.Rows[0][0])
	return n.IntPart(), nil
}

// ScenarioList is the project's scenarios (`databridge analytics budget
// list`, the list_budgets tool).
type ScenarioList struct {
	Scenarios []Scenario `json:"scenarios"`
}

// ListScenarios lists the project's budgets and saved forecasts.
func (s *Service) ListScenarios() (*ScenarioList, error) {
	all, err := s.Scenarios()
	if err != nil {
		return nil, err
	}
	return &ScenarioList{Scenarios: all}, nil
}
