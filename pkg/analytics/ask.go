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
		if why := s.partWithoutMember(ctx, l, spec, in.Dialect); why != "" {
			// The grouped number would be another number: not answered.
			ans.Answered = false
			ans.Reason = why
			ans.Interpretation = "Not answered: " + why
			ans.SQL, ans.Notes = "", nil
			ans.ElapsedMS = time.Since(t0).Milliseconds()
			return ans, nil
		}
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
// (Spec.SkipEmpty), so amounts on rows without one — revenue lines that
// carry no customer, when "revenue by customer" is asked — are in no row.
// The same spec with the member-less rows kept (groupedCheck) puts them
// in a group of their own; a note names each metric's amount there. A
// failing check adds nothing: the answer stands as it was.
func (s *Service) unassigned(ctx context.Context, l *semlayer.Layer, spec query.Spec, dialect string) []string {
	res, dimCols, names, ok := s.groupedCheck(ctx, l, spec, spec, dialect)
	if !ok {
		return nil
	}
	sums := make([]decimal.Decimal, len(res.Columns))
	found := make([]bool, len(res.Columns))
	for _, row := range res.Rows {
		if !noMember(row, dimCols) {
			continue
		}
		for i, c := range res.Columns {
			if v, ok := nonZero(c, row, i); ok {
				sums[i], found[i] = sums[i].Add(v), true
			}
		}
	}
	var notes []string
	for i, c := range res.Columns {
		if found[i] {
			notes = append(notes, fmt.Sprintf("Not in these rows: %s of %s on rows without a %s (they have no member to group by).",
				columnLabel(c), sums[i].String(), strings.Join(names, " or ")))
		}
	}
	return notes
}

// partWithoutMember says why a question grouped by a dimension must not
// be answered when a metric it asks for combines others (a hierarchy
// formula line, a derived metric, a ratio) and one of the parts has no
// member of the grouping at all: every amount of it is on rows without
// one. "Gross profit by customer" where cost lines carry no customer
// would be each customer's revenue under the name gross profit; "EBITDA
// margin by product" where no operating cost has a product, the margin
// of revenue and cost of goods alone. A part that is only partly without
// a member leaves a note (unassigned); one with no amount in the period
// says nothing. "" when the question stands.
func (s *Service) partWithoutMember(ctx context.Context, l *semlayer.Layer, spec query.Spec, dialect string) string {
	// The parts of each metric, down to those that combine nothing.
	owner := map[string]string{} // part -> the asked metric it belongs to
	var parts []string
	var expand func(m *semlayer.Metric, top string, depth int)
	expand = func(m *semlayer.Metric, top string, depth int) {
		sub := metricParts(l, m)
		if len(sub) == 0 || depth > 6 {
			if depth > 0 {
				if _, ok := owner[m.Name]; !ok {
					owner[m.Name] = top
					parts = append(parts, m.Name)
				}
			}
			return
		}
		for _, x := range sub {
			expand(x, top, depth+1)
		}
	}
	for _, name := range spec.Metrics {
		if m := l.Metric(name); m != nil {
			expand(m, m.Name, 0)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	plain := query.Spec{Metrics: parts}
	res, dimCols, names, ok := s.groupedCheck(ctx, l, spec, plain, dialect)
	if !ok {
		return ""
	}
	for i, c := range res.Columns {
		with, without := false, false
		for _, row := range res.Rows {
			if _, ok := nonZero(c, row, i); ok {
				if noMember(row, dimCols) {
					without = true
				} else {
					with = true
				}
			}
		}
		if with || !without {
			continue
		}
		top := l.Metric(owner[c.Name])
		part := l.Metric(c.Name)
		if top == nil || part == nil {
			continue
		}
		by := strings.Join(names, " and ")
		return fmt.Sprintf("%s has no %s (none of its amounts carry one), so %s by %s would leave it out and show another number; ask for %s in total, or by something every part of it has",
			metricLabel(part), by, lowerFirst(metricLabel(top)), by, lowerFirst(metricLabel(top)))
	}
	return ""
}

// groupedCheck runs spec's grouping and filters over the metrics of what
// (its Metrics, Ratios, Restricted and Derived), keeping the rows without
// a member of a grouping dimension (no SkipEmpty) and with no order,
// limit, thresholds, share, comparison or running total. It returns the
// result, the columns of the grouping dimensions and their labels; ok is
// false when spec groups by no dimension or the query fails.
func (s *Service) groupedCheck(ctx context.Context, l *semlayer.Layer, spec, what query.Spec, dialect string) (res *QueryResult, dimCols []int, names []string, ok bool) {
	dims := map[string]bool{}
	for _, g := range spec.GroupBy {
		if g.Dimension != "" && g.Grain == "" {
			dims[strings.ToLower(g.Dimension)] = true
		}
	}
	if len(dims) == 0 {
		return nil, nil, nil, false
	}
	check := spec
	check.Metrics, check.Ratios, check.Restricted, check.Derived = what.Metrics, what.Ratios, what.Restricted, what.Derived
	check.SkipEmpty, check.Limit, check.OrderBy, check.Having, check.RankWithin = false, 0, nil, nil, nil
	check.Share, check.Compare, check.Cumulative = false, "", ""
	res, err := s.run(ctx, l, QueryInput{Spec: check, Dialect: dialect})
	if err != nil {
		return nil, nil, nil, false
	}
	for i, c := range res.Columns {
		if c.Kind == query.KindGroup && dims[strings.ToLower(c.Name)] {
			dimCols = append(dimCols, i)
			if c.Label != "" {
				names = append(names, strings.ToLower(c.Label))
			} else {
				names = append(names, c.Name)
			}
		}
	}
	if len(dimCols) != len(dims) {
		return nil, nil, nil, false
	}
	return res, dimCols, names, true
}

// noMember: the row has no member of any of the dimension columns.
func noMember(row []any, dimCols []int) bool {
	for _, d := range dimCols {
		if row[d] != nil {
			return false
		}
	}
	return true
}

// nonZero is a metric column's value in row when it is a number other
// than zero.
func nonZero(c ResultColumn, row []any, i int) (decimal.Decimal, bool) {
	if c.Kind != query.KindMetric || i >= len(row) || row[i] == nil {
		return decimal.Decimal{}, false
	}
	v, err := decimal.NewFromString(fmt.Sprint(row[i]))
	if err != nil || v.IsZero() {
		return decimal.Decimal{}, false
	}
	return v, true
}

// columnLabel is a result column's label, else its name.
func columnLabel(c ResultColumn) string {
	if c.Label != "" {
		return c.Label
	}
	return c.Name
}

// metricParts are the layer's metrics m combines: a hierarchy formula
// line's lines, a derived metric's inputs at no offset, a ratio's two
// sides; none for a metric that sums rows.
func metricParts(l *semlayer.Layer, m *semlayer.Metric) []*semlayer.Metric {
	var out []*semlayer.Metric
	add := func(x *semlayer.Metric) {
		if x != nil && x != m {
			out = append(out, x)
		}
	}
	switch m.Type {
	case semlayer.MetricHierarchy:
		if m.Formula == "" {
			return nil
		}
		for _, code := range formulaCodes(m.Formula) {
			for _, x := range l.Metrics {
				if x.Type == semlayer.MetricHierarchy && x.Hierarchy == m.Hierarchy && strings.EqualFold(x.Node, code) {
					add(x)
					break
				}
			}
		}
	case semlayer.MetricDerived:
		for _, in := range m.Inputs {
			if in.Offset == "" {
				add(l.Metric(in.Metric))
			}
		}
	case semlayer.MetricRatio:
		add(l.Metric(m.Numerator))
		add(l.Metric(m.Denominator))
	}
	return out
}

// formulaCodes are the node codes a hierarchy formula names.
func formulaCodes(f string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(f, func(r rune) bool {
		return !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if w != "" && !(w[0] >= '0' && w[0] <= '9') {
			out = append(out, w)
		}
	}
	return out
}

// lowerFirst lower-cases a label's first letter inside a sentence
// ("Gross profit" -> "gross profit"), not an acronym's ("EBITDA margin").
func lowerFirst(s string) string {
	if len(s) >= 2 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z') {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

func metricLabel(m *semlayer.Metric) string {
	if m.Label != "" {
		return m.Label
	}
	return m.Name
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
