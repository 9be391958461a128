// Package quickstart is `databridge quickstart`: the main job on the
// embedded default, end to end — a project over the example finance files,
// analysed and approved, a P&L from the standard template, the warehouse
// generated, deployed to .databridge/warehouse.duckdb, validated, and the
// P&L printed by fiscal year.
package quickstart

import (
	"context"
	"fmt"
	"github.com/databridge/databridge/pkg/analytics"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/databridge/databridge/examples"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/validate"
	"github.com/databridge/databridge/pkg/warehouse"
	"github.com/databridge/databridge/pkg/workflow"
)

// Step is one step of the quickstart with what it did.
type Step struct {
	Name      string `json:"name"`
	Explain   string `json:"explain"`
	Detail    string `json:"detail"`
	ElapsedMS int64  `json:"elapsed_ms"`
}

// Line is one line of the printed statement.
type Line struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Depth int    `json:"depth"`
	// Values are exact decimals (JSON strings), presentation signs, one per
	// fiscal year of Result.Periods; null where the year has no value.
	Values []*hierarchy.Amount `json:"values"`
}

// Result is what the quickstart did.
type Result struct {
	Dir        string           `json:"dir"`
	Steps      []Step           `json:"steps"`
	Workflow   string           `json:"workflow"`
	Deployment string           `json:"deployment"`
	Validation *validate.Report `json:"validation"`
	// Periods are the statement's columns: the fiscal years ("FY2024").
	Periods   []string `json:"periods"`
	Statement []Line   `json:"statement"`
	// Answers are the questions the quickstart asks the warehouse in
	// plain English (`databridge query`).
	Answers []*analytics.Answer `json:"answers"`
	WallMS  int64               `json:"wall_ms"`
	Next    []string            `json:"next"`
}

// Options tune the quickstart.
type Options struct {
	Dir      string
	Version  string
	Progress func(step Step)
	// DeployProgress is told about each deploy statement.
	DeployProgress func(done, total int, object, statement string)
}

// Run runs the quickstart in opts.Dir (created if needed). Re-running in
// the same folder is safe: every step is idempotent.
func Run(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	res := &Result{Dir: dir}
	step := func(name, explain string, fn func() (string, error)) error {
		t0 := time.Now()
		detail, err := fn()
		st := Step{Name: name, Explain: explain, Detail: detail, ElapsedMS: time.Since(t0).Milliseconds()}
		res.Steps = append(res.Steps, st)
		if opts.Progress != nil {
			opts.Progress(st)
		}
		if err != nil {
			return fmt.Errorf("quickstart, %s: %w", name, err)
		}
		return nil
	}
	var p *project.Project
	reopen := func() error {
		var err error
		p, err = project.Open(dir)
		return err
	}
	if err := step("init", "create the project: .databridge/ with config.yaml and the embedded DuckDB warehouse as the default target", func() (string, error) {
		r, err := project.Init(dir, "quickstart")
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s (%d created)", r.Dir, len(r.Created)), reopen()
	}); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data", "finance_erp")
	if err := step("source", "lay out the example finance ERP files (GL journal lines, chart of accounts, cost centres, vendors, customers, products, periods, currencies, exchange rates) and add them as a connection", func() (string, error) {
		files, err := examples.WriteFinanceERP(data)
		if err != nil {
			return "", err
		}
		if _, ok := p.Config.Connections["erp"]; !ok {
			if _, err := connections.New(p).Add(ctx, connections.AddInput{Name: "erp", Config: connector.Config{Type: "files", Path: filepath.Join("data", "finance_erp")}}); err != nil {
				return "", err
			}
		}
		return fmt.Sprintf("%d files in %s, connection erp", len(files), data), reopen()
	}); err != nil {
		return nil, err
	}
	wf := workflow.NewService(p)
	wf.Version = "databridge " + opts.Version
	wf.DeployProgress = opts.DeployProgress
	var w *workflow.Workflow
	if err := step("analyze", "profile every table in DuckDB, find keys and relationships, classify facts and dimensions, check the SCD-2 cost centres", func() (string, error) {
		var err error
		w, err = wf.Start(ctx, workflow.StartInput{Connection: "erp", Model: "erp"})
		if err != nil {
			return "", err
		}
		res.Workflow = w.ID
		m, err := wf.ProposedModel(w.ID)
		if err != nil {
			return "", err
		}
		var facts, dims []string
		for _, t := range m.Tables {
			if t.Role.IsFact() {
				facts = append(facts, t.Name)
			} else {
				dims = append(dims, t.Name)
			}
		}
		detail := fmt.Sprintf("facts %s; dimensions %s; %d relationships", strings.Join(facts, ", "), strings.Join(dims, ", "), len(m.Relationships))
		return detail, nil
	}); err != nil {
		return nil, err
	}
	if err := step("p&l", "create the P&L from the standard_pl template; the example's balance-sheet accounts (1000–3999) go to a line that does not roll up", func() (string, error) {
		hs := hierarchy.NewService(p)
		if !hs.Store.Exists("pl") {
			if _, err := hs.NewFromTemplate(ctx, hierarchy.NewInput{Template: "standard_pl", ID: "pl", Name: "Quickstart P&L"}); err != nil {
				return "", err
			}
			if _, err := hs.AddNode(ctx, "pl", hierarchy.NodeInput{Code: "NOT_IN_PL", Name: "Balance sheet accounts (not in the P&L)", Type: hierarchy.TypeLeaf, Consolidation: hierarchy.ConsolidateIgnore}); err != nil {
				return "", err
			}
			if _, err := hs.AddRule(ctx, "pl", "NOT_IN_PL", hierarchy.Rule{Match: hierarchy.MatchRange, From: "1000", To: "3999"}); err != nil {
				return "", err
			}
		}
		unlock, err := p.Lock(ctx, 0)
		if err != nil {
			return "", err
		}
		defer unlock()
		cfg, err := warehouse.LoadConfig(p)
		if err != nil {
			return "", err
		}
		if len(cfg.Bindings) == 0 {
			cfg.Bindings = []warehouse.Binding{{Hierarchy: "pl", Source: "FACT_GL_JOURNAL_LINES", CodeColumn: "account_code",
				Values: []string{"AMOUNT"}, GroupBy: []string{"fiscal_year", "fiscal_quarter"}}}
			if err := warehouse.SaveConfig(p, cfg); err != nil {
				return "", err
			}
		}
		h, err := hs.Get("pl", 0)
		if err != nil {
			return "", err
		}
		s := hierarchy.Summarize(h)
		return fmt.Sprintf("%d nodes, %d rules, %d formulas; bound to FACT_GL_JOURNAL_LINES.AMOUNT by fiscal year and quarter", s.Nodes, s.Rules, s.Formulas), nil
	}); err != nil {
		return nil, err
	}
	if err := step("approve, generate, deploy, validate", "approve the model (in a real project you review it first: databridge model show --evidence), generate the SQL, deploy it to .databridge/warehouse.duckdb in one transaction that commits only if the checks pass, then run the full check suite", func() (string, error) {
		var err error
		if w, err = wf.Approve(ctx, w.ID); err != nil {
			return "", err
		}
		res.Deployment = w.Artifacts["deployment"]
		var msgs []string
		for _, s := range w.Steps[1:] {
			msgs = append(msgs, s.Message)
		}
		return strings.Join(msgs, "; "), nil
	}); err != nil {
		return nil, err
	}
	if err := reopen(); err != nil {
		return nil, err
	}
	r, err := workflow.NewService(p).Validate(ctx, "", validate.Comprehensive)
	if err != nil {
		return nil, err
	}
	res.Validation = r
	if err := step("p&l by fiscal year", "read the deployed statement DT_3_PL (presentation signs) and add up each fiscal year's quarters", func() (string, error) {
		return "", res.readStatement(ctx, p)
	}); err != nil {
		return nil, err
	}
	if err := step("ask", "ask the warehouse in plain English through its semantic layer (refreshed by the deploy): the question is mapped onto metrics, dimensions and the fiscal calendar, compiled to SQL and run read-only", func() (string, error) {
		svc := analytics.New(p)
		var msgs []string
		for _, q := range Questions {
			a, err := svc.Ask(ctx, analytics.AskInput{Question: q})
			if err != nil {
				return "", err
			}
			if !a.Answered {
				return "", fmt.Errorf("the quickstart's question %q was not answered: %s", q, a.Reason)
			}
			res.Answers = append(res.Answers, a)
			msgs = append(msgs, fmt.Sprintf("%q: %d rows", q, len(a.Rows)))
		}
		return strings.Join(msgs, "; "), nil
	}); err != nil {
		return nil, err
	}
	res.WallMS = time.Since(start).Milliseconds()
	res.Next = nextHints(dir)
	return res, nil
}

// Questions are what the quickstart asks the warehouse (`databridge
// query`): fixed fiscal years, so the answers do not depend on the day.
var Questions = []string{
	"gross profit by quarter for FY2026 vs prior year",
	"top 5 customers by revenue in FY2026",
}

// nextHints are the commands to try next, run in the quickstart folder
// (each is run by a test: cmd TestQuickstartHints). They work offline on
// the embedded DuckDB warehouse; a model over files is generated for DuckDB
// only, so the other engines' SQL is not among them.
func nextHints(dir string) []string {
	hints := [][2]string{
		{"cd " + dir, ""},
		{"databridge model show --evidence", "why each table is a fact or a dimension"},
		{"databridge hierarchy show pl", "the P&L tree and its formulas"},
		{`databridge sql "SELECT * FROM DT_3_PL WHERE NODE_CODE = 'NET_INCOME'"`, ""},
		{"databridge validate --level comprehensive", "the checks again"},
		{`databridge query "revenue by region in FY2026 vs prior year"`, "ask in plain English"},
		{"databridge analytics metrics", "what can be asked: the semantic layer's metrics"},
		{"databridge generate preview DT_3_PL", "the SQL that builds the statement"},
		{"databridge generate dbt --git", "the same warehouse as a dbt project in git"},
		{"databridge mcp serve", "let an AI agent work on it"},
	}
	out := make([]string, len(hints))
	for i, h := range hints {
		out[i] = h[0]
		if h[1] != "" {
			out[i] = fmt.Sprintf("%-44s # %s", h[0], h[1])
		}
	}
	return out
}

// readStatement reads the P&L's top lines from the warehouse, by fiscal
// year: DT_3_PL holds them by fiscal year and quarter, and a year is the
// sum of its quarters (exact decimals). The lines read (levels 0 and 1)
// are amounts and sums of amounts, which add up over quarters; ratios sit
// below the key-ratios label and are not read.
func (res *Result) readStatement(ctx context.Context, p *project.Project) error {
	conn, err := connections.New(p).Connect(ctx, "", true)
	if err != nil {
		return err
	}
	defer conn.Close()
	// The amounts stay DECIMAL: the connector returns them as exact text.
	q, err := dialect.RenderQuery(conn.Dialect(), &dialect.Select{
		Columns: []dialect.SelectItem{
			dialect.As(dialect.C("NODE_CODE"), "NODE_CODE"), dialect.As(dialect.C("NODE_NAME"), "NODE_NAME"),
			dialect.As(dialect.C("NODE_LEVEL"), "NODE_LEVEL"), dialect.As(dialect.C("SORT_ORDER"), "SORT_ORDER"),
			dialect.As(&dialect.Cast{X: dialect.C("fiscal_year"), Type: dialect.Text}, "fy"),
			dialect.As(dialect.C("AMOUNT_PRESENTATION"), "v"),
		},
		From: dialect.Table{Name: dialect.N("DT_3_PL")},
		Where: dialect.And(
			&dialect.Binary{Op: "<=", L: dialect.C("NODE_LEVEL"), R: dialect.I(1)},
			&dialect.Binary{Op: "<>", L: dialect.C("NODE_TYPE"), R: dialect.S("label")},
			&dialect.Binary{Op: "<>", L: dialect.C("NODE_CODE"), R: dialect.S("NOT_IN_PL")},
		),
		OrderBy: []dialect.Order{{Expr: dialect.C("SORT_ORDER")}},
	})
	if err != nil {
		return err
	}
	rows, err := conn.Query(ctx, q, connector.QueryOptions{MaxRows: -1})
	if err != nil {
		return err
	}
	years := map[string]bool{}
	type acc struct {
		line Line
		sort int64
		vals map[string]*hierarchy.Amount
	}
	lines := map[string]*acc{}
	for _, r := range rows.Rows {
		code := fmt.Sprint(r[0])
		year := fmt.Sprintf("FY%s", r[4])
		years[year] = true
		a := lines[code]
		if a == nil {
			lvl, _ := r[2].(int32)
			srt := toInt(r[3])
			a = &acc{line: Line{Code: code, Name: fmt.Sprint(r[1]), Depth: int(lvl) - 1}, sort: srt, vals: map[string]*hierarchy.Amount{}}
			lines[code] = a
		}
		if r[5] == nil {
			continue
		}
		v, err := hierarchy.ParseAmount(fmt.Sprint(r[5]))
		if err != nil {
			return fmt.Errorf("DT_3_PL amount of %s in %s: %w", code, year, err)
		}
		if prev := a.vals[year]; prev != nil {
			if v, err = addAmounts(*prev, v); err != nil {
				return fmt.Errorf("DT_3_PL amount of %s in %s: %w", code, year, err)
			}
		}
		a.vals[year] = &v
	}
	for k := range years {
		res.Periods = append(res.Periods, k)
	}
	sort.Strings(res.Periods)
	var list []*acc
	for _, a := range lines {
		list = append(list, a)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].sort < list[j].sort })
	for _, a := range list {
		for _, y := range res.Periods {
			a.line.Values = append(a.line.Values, a.vals[y])
		}
		res.Statement = append(res.Statement, a.line)
	}
	return nil
}

// addAmounts is a + b, exactly, with the larger of their scales.
func addAmounts(a, b hierarchy.Amount) (hierarchy.Amount, error) {
	return hierarchy.ParseAmount(a.Decimal().Add(b.Decimal()).StringFixed(int32(max(a.Scale(), b.Scale()))))
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}
