package analytics

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/nlq"
	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// AskInput is a question in plain English.
type AskInput struct {
	Question string `json:"question"`
	// AsOf is the date relative phrases ("last quarter", "YTD") resolve
	// against (zero: today).
	AsOf time.Time `json:"as_of,omitempty"`
	// Dialect compiles for another engine (the query is not run); SQLOnly
	// compiles without running.
	Dialect string `json:"dialect,omitempty"`
	SQLOnly bool   `json:"sql_only,omitempty"`
}

// Answer is what databridge understood and the numbers: the
// interpretation in words first, then the table; a question it cannot
// map confidently is not answered (Answered false) and gets the closest
// interpretations as suggestions.
type Answer struct {
	Question       string         `json:"question"`
	Answered       bool           `json:"answered"`
	Interpretation string         `json:"interpretation"`
	Spec           *query.Spec    `json:"spec,omitempty"`
	SQL            string         `json:"sql"`
	Columns        []ResultColumn `json:"columns"`
	Rows           [][]any        `json:"rows"`
	Chart          string         `json:"chart"`
	Confidence     float64        `json:"confidence,omitempty"`
	Notes          []string       `json:"notes,omitempty"`
	Suggestions    []string       `json:"suggestions,omitempty"`
	Reason         string         `json:"reason,omitempty"`
	Unmatched      []string       `json:"unmatched,omitempty"`
	ElapsedMS      int64          `json:"elapsed_ms"`
}

// Glossary is .databridge/semantic/glossary.yaml: more words for the
// layer's metrics, dimensions and models, in the team's language.
//
//	terms:
//	  revenue: [top line, takings]
//	  customers: [patrons]
type Glossary struct {
	Terms map[string][]string `yaml:"terms"`
}

// Glossary reads the glossary (empty when there is none).
func (s *Service) Glossary() (map[string][]string, error) {
	data, err := os.ReadFile(s.path(GlossaryFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var g Glossary
	if err := yaml.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf(".databridge/%s: %w", GlossaryFile, err)
	}
	return g.Terms, nil
}

// vocabulary is the layer and its members: from the refresh in this
// process, or from disk (then kept).
func (s *Service) vocabulary() (*semlayer.Layer, Members, error) {
	if s.vocab != nil && s.vocab.layer != nil {
		return s.vocab.layer, s.vocab.members, nil
	}
	l, err := s.Layer()
	if err != nil {
		return nil, nil, err
	}
	m, err := s.Members()
	if err != nil {
		return nil, nil, err
	}
	s.vocab = &vocabCache{layer: l, members: m}
	return l, m, nil
}

// Ask answers a plain-English question: parsed against the layer's
// vocabulary (nlq), compiled and run like Query. A question that cannot
// be mapped confidently is an answer with Answered false, not an error;
// errors are for broken things (no layer, the engine failing).
func (s *Service) Ask(ctx context.Context, in AskInput) (*Answer, error) {
	t0 := time.Now()
	l, members, err := s.vocabulary()
	if err != nil {
		return nil, err
	}
	glossary, err := s.Glossary()
	if err != nil {
		return nil, err
	}
	asOf := in.AsOf
	if asOf.IsZero() {
		now := time.Now
		if s.Now != nil {
			now = s.Now
		}
		asOf = now()
	}
	it := nlq.Parse(nlq.Input{Layer: l, Members: members, Glossary: glossary, Question: in.Question, AsOf: asOf})
	ans := &Answer{Question: in.Question, Interpretation: it.Text, Chart: it.Chart, Confidence: it.Confidence,
		Suggestions: it.Suggestions, Reason: it.Reason, Unmatched: it.Unmatched, Rows: [][]any{}}
	if !it.Answerable {
		if ans.Interpretation == "" {
			ans.Interpretation = "Not answered: " + it.Reason
		}
		ans.ElapsedMS = time.Since(t0).Milliseconds()
		return ans, nil
	}
	spec := it.Spec
	ans.Spec = &spec
	var res *QueryResult
	if spec.Compare == query.CompareBudget || spec.Compare == query.CompareForecast {
		// Against a scenario: the spec on the actuals and on the budget
		// or forecast, merged (the project must have one).
		against := spec.Compare
		if _, err := s.ResolveScenario(against, ""); err != nil {
			ans.Reason = err.Error()
			ans.Interpretation = "Not answered: " + ans.Reason
			ans.ElapsedMS = time.Since(t0).Milliseconds()
			return ans, nil
		}
		plain := spec
		plain.Compare = ""
		res, err = s.againstScenario(ctx, l, QueryArgs{Dialect: in.Dialect, SQLOnly: in.SQLOnly}, plain, against)
	} else {
		res, err = s.run(ctx, l, QueryInput{Spec: spec, Dialect: in.Dialect, SQLOnly: in.SQLOnly})
	}
	if err != nil {
		return nil, err
	}
	ans.Answered = true
	ans.SQL, ans.Notes = res.SQL, res.Notes
	if !in.SQLOnly && spec.Compare != query.CompareBudget && spec.Compare != query.CompareForecast {
		ans.Notes = append(ans.Notes, s.unassigned(ctx, l, spec, in.Dialect)...)
	}
	ans.Columns, ans.Rows = only(res.Columns, res.Rows, it.Only)
	if !in.SQLOnly && len(spec.Having) == 0 && it.Only != nlq.OnlyGroups && noValues(res.Columns, res.Rows) {
		// Nothing in the warehouse is what was asked: no row of the
		// facts in the period, of the members or with the grouping
		// ("interest expense by vendor" where no such line has a
		// vendor; a period after the last data). An empty table or a
		// NULL would read as an answer; a threshold's empty list is one.
		ans.Answered = false
		ans.Reason = "the warehouse has no rows for this: no " + strings.TrimSpace(it.Text)
		ans.Interpretation = "Not answered: " + ans.Reason
		ans.Columns, ans.Rows = nil, [][]any{}
	}
	ans.ElapsedMS = time.Since(t0).Milliseconds()
	return ans, nil
}

// noValues says a result holds no value of a metric: no row, or rows
// whose metric cells are all NULL.
func noValues(cols []ResultColumn, rows [][]any) bool {
	for _, row := range rows {
		for i, c := range cols {
			if c.Kind != query.KindGroup && i < len(row) && row[i] != nil {
				return false
			}
		}
	}
	return true
}

// unassigned says what a question's answer leaves out: a question
// grouped by a dimension answers with the rows that have a member
// (Spec.SkipEmpty), so amounts on rows without one — cost lines that carry
// no customer, when "gross profit by customer" is asked — are in no row.
// The same spec without SkipEmpty (and without its order, limit,
// thresholds and comparison) puts them in a group of their own; a note
// names each metric's amount there. A failing check adds nothing: the
// answer stands as it was.
func (s *Service) unassigned(ctx context.Context, l *semlayer.Layer, spec query.Spec, dialect string) []string {
	dims := map[string]bool{}
	for _, g := range spec.GroupBy {
		if g.Dimension != "" && g.Grain == "" {
			dims[strings.ToLower(g.Dimension)] = true
		}
	}
	if len(dims) == 0 {
		return nil
	}
	check := spec
	check.SkipEmpty, check.Limit, check.OrderBy, check.Having, check.RankWithin = false, 0, nil, nil, nil
	check.Share, check.Compare, check.Cumulative = false, "", ""
	res, err := s.run(ctx, l, QueryInput{Spec: check, Dialect: dialect})
	if err != nil {
		return nil
	}
	var dimCols, metricCols []int
	var names []string // the dimensions' labels
	for i, c := range res.Columns {
		switch {
		case c.Kind == query.KindGroup && dims[strings.ToLower(c.Name)]:
			dimCols = append(dimCols, i)
			if c.Label != "" {
				names = append(names, strings.ToLower(c.Label))
			} else {
				names = append(names, c.Name)
			}
		case c.Kind == query.KindMetric:
			metricCols = append(metricCols, i)
		}
	}
	if len(dimCols) != len(dims) || len(metricCols) == 0 {
		return nil
	}
	sums := make([]decimal.Decimal, len(res.Columns))
	found := make([]bool, len(res.Columns))
	for _, row := range res.Rows {
		none := true
		for _, i := range dimCols {
			if row[i] != nil {
				none = false
			}
		}
		if !none {
			continue
		}
		for _, i := range metricCols {
			if row[i] == nil {
				continue
			}
			if v, err := decimal.NewFromString(fmt.Sprint(row[i])); err == nil && !v.IsZero() {
				sums[i], found[i] = sums[i].Add(v), true
			}
		}
	}
	var notes []string
	for _, i := range metricCols {
		if found[i] {
			label := res.Columns[i].Label
			if label == "" {
				label = res.Columns[i].Name
			}
			notes = append(notes, fmt.Sprintf("Not in these rows: %s of %s on rows without a %s (they have no member to group by).",
				label, sums[i].String(), strings.Join(names, " or ")))
		}
	}
	return notes
}

// only keeps the groups and the columns of one kind (the share for "what
// share", the change in percent for "percentage change").
func only(cols []ResultColumn, rows [][]any, kind string) ([]ResultColumn, [][]any) {
	if kind == "" {
		return cols, rows
	}
	var keep []int
	for i, c := range cols {
		if c.Kind == query.KindGroup || c.Kind == kind {
			keep = append(keep, i)
		}
	}
	out := make([]ResultColumn, len(keep))
	for i, k := range keep {
		out[i] = cols[k]
	}
	outRows := make([][]any, len(rows))
	for r, row := range rows {
		nr := make([]any, len(keep))
		for i, k := range keep {
			nr[i] = row[k]
		}
		outRows[r] = nr
	}
	return out, outRows
}
