package insights

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/semlayer"
)

// VarianceArgs is a variance analysis as people and agents ask for it
// (`databridge analytics variance`, the analyze_variance tool).
type VarianceArgs struct {
	Metric string `json:"metric" jsonschema:"The metric to explain (see list_metrics), e.g. revenue or gross_profit."`
	// Period is a time phrase; default: the latest complete month.
	Period string `json:"period,omitempty" jsonschema:"The period: FY2026, Q1 FY2026, 2025-09, last quarter …; default: the latest complete month with a value."`
	// Against is prior_period, prior_year, or budget / budget:NAME /
	// forecast:NAME (a scenario imported or saved in the project).
	Against string `json:"against" jsonschema:"What to compare with: prior_period, prior_year, budget (the only budget, or budget:NAME), forecast:NAME."`
	// By breaks the variance down by a dimension's members (and is the
	// mix dimension of a price/volume/mix decomposition).
	By string `json:"by,omitempty" jsonschema:"A dimension to break the variance down by (its members; also the mix dimension of price/volume/mix)."`
	// Volume is the quantity metric of a price × quantity metric; default:
	// a quantity-like metric of the same fact, when there is one.
	Volume string `json:"volume,omitempty" jsonschema:"The quantity metric for a price/volume/mix decomposition (default: a quantity, units or volume metric of the same fact, when one exists)."`
	// Top caps the members listed and the bridge steps (default 10; the
	// rest is one 'other members' step).
	Top  int    `json:"top,omitempty" jsonschema:"At most this many members in the list and the bridge (default 10); the rest are summed as other members."`
	AsOf string `json:"as_of,omitempty" jsonschema:"Date relative periods resolve against, YYYY-MM-DD (default: today)."`
}

// Variance is a metric's actual against a comparison over one period,
// explained by hierarchy line, by member, by price/volume/mix, with a
// bridge from the comparison total to the actual total. Amounts are exact
// decimals (strings in JSON).
type Variance struct {
	Metric string `json:"metric"`
	Label  string `json:"label"`
	Format string `json:"format,omitempty"`
	Period string `json:"period"`
	// Against says what the comparison is (prior year, prior period,
	// budget NAME) and ComparisonPeriod over which dates.
	Against          string          `json:"against"`
	ComparisonLabel  string          `json:"comparison_label"`
	Actual           decimal.Decimal `json:"actual"`
	Comparison       decimal.Decimal `json:"comparison"`
	Change           decimal.Decimal `json:"change"`
	ChangePct        *string         `json:"change_pct,omitempty"`
	FavourableWhen   string          `json:"favourable_when,omitempty"`
	Assessment       string          `json:"assessment"` // favourable, unfavourable, neutral
	Lines            []Item          `json:"lines,omitempty"`
	By               string          `json:"by,omitempty"`
	Members          []Item          `json:"members,omitempty"`
	OtherMembers     *Item           `json:"other_members,omitempty"`
	PVM              *PVM            `json:"pvm,omitempty"`
	Bridge           []Step          `json:"bridge"`
	Drivers          []Driver        `json:"drivers,omitempty"`
	Notes            []string        `json:"notes,omitempty"`
	ComparisonPeriod string          `json:"comparison_period,omitempty"`
}

// Item is one hierarchy line or member: its actual, comparison, change,
// and its contribution to the total's change (the change with the sign it
// has in the total: a cost line that grows contributes negatively to a
// profit).
type Item struct {
	Name         string          `json:"name"`
	Label        string          `json:"label,omitempty"`
	Actual       decimal.Decimal `json:"actual"`
	Comparison   decimal.Decimal `json:"comparison"`
	Change       decimal.Decimal `json:"change"`
	ChangePct    *string         `json:"change_pct,omitempty"`
	Contribution decimal.Decimal `json:"contribution"`
	Assessment   string          `json:"assessment"`
}

// Step is one bar of the bridge: the start total, the effects, the end
// total. The effects sum exactly to end − start.
type Step struct {
	Label string          `json:"label"`
	Kind  string          `json:"kind"` // start, effect, end
	Value decimal.Decimal `json:"value"`
}

// Driver is a member or line with its share of the total change.
type Driver struct {
	Name         string          `json:"name"`
	Contribution decimal.Decimal `json:"contribution"`
	// SharePct is the contribution in percent of the total change (it can
	// exceed 100 when others offset it); nil when the total did not change.
	SharePct *string `json:"share_pct,omitempty"`
}

// PVM is the price/volume/mix decomposition of a price × quantity metric
// (the convention is in docs/insights.md): Volume + Mix + Price + New +
// Discontinued + NoVolume = Change, exactly.
type PVM struct {
	VolumeMetric string          `json:"volume_metric"`
	MixBy        string          `json:"mix_by,omitempty"`
	VolumeActual decimal.Decimal `json:"volume_actual"`
	VolumeComp   decimal.Decimal `json:"volume_comparison"`
	Volume       decimal.Decimal `json:"volume_effect"`
	Mix          decimal.Decimal `json:"mix_effect"`
	Price        decimal.Decimal `json:"price_effect"`
	New          decimal.Decimal `json:"new_effect"`
	Discontinued decimal.Decimal `json:"discontinued_effect"`
	NoVolume     decimal.Decimal `json:"no_volume_effect"`
}

var hundred = decimal.NewFromInt(100)

// pct is a/b in percent to 2 places (of |b|, so a fall is negative), nil
// when b is zero.
func pct(a, b decimal.Decimal) *string {
	if b.IsZero() {
		return nil
	}
	s := a.Mul(hundred).DivRound(b.Abs(), 2).StringFixed(2)
	return &s
}

func assess(change decimal.Decimal, when string) string {
	switch {
	case change.IsZero() || when == "":
		return "neutral"
	case (when == "increase") == change.IsPositive():
		return "favourable"
	}
	return "unfavourable"
}

// sides holds a query's actual and comparison values per member and
// metric.
type sides struct {
	keys   []string
	actual map[string]map[string]decimal.Decimal
	comp   map[string]map[string]decimal.Decimal
	notes  []string
}

func (p *sides) get(m map[string]map[string]decimal.Decimal, key, metric string) decimal.Decimal {
	return m[key][metric] // zero when absent
}

// compare runs metrics (by a dimension when by is set) over a period
// against a comparison and returns both sides.
func (s *Service) compare(ctx context.Context, metrics []string, by, period, against, asOf string) (*sides, error) {
	a := strings.ToLower(strings.TrimSpace(against))
	args := analytics.QueryArgs{Metrics: metrics, Period: period, AsOf: asOf, Exact: true}
	if by != "" {
		args.By = []string{by}
	}
	out := &sides{actual: map[string]map[string]decimal.Decimal{}, comp: map[string]map[string]decimal.Decimal{}}
	seen := map[string]bool{}
	add := func(key string) {
		if !seen[key] {
			seen[key] = true
			out.keys = append(out.keys, key)
			out.actual[key] = map[string]decimal.Decimal{}
			out.comp[key] = map[string]decimal.Decimal{}
		}
	}
	suffix := a
	if kind, _, ok := strings.Cut(a, ":"); ok || kind == "budget" || kind == "forecast" {
		suffix = kind
	} else if a != "prior_period" && a != "prior_year" {
		return nil, fmt.Errorf("against %q: want prior_period, prior_year, budget, budget:NAME or forecast:NAME", against)
	}
	args.Against = a
	r, err := s.Analytics.QueryMetrics(ctx, args)
	if err != nil {
		return nil, err
	}
	t := newTable(r)
	out.notes = r.Notes
	for _, row := range t.rows {
		k := t.key(row)
		add(k)
		for _, m := range metrics {
			if v, ok := t.value(row, m); ok {
				out.actual[k][m] = v
			}
			if v, ok := t.value(row, m+"_"+suffix); ok {
				out.comp[k][m] = v
			}
		}
	}
	return out, nil
}

// component is a line beneath a hierarchy metric and its coefficient in
// the metric's change (presentation signs included).
type component struct {
	metric *semlayer.Metric
	coeff  int
}

// components are the lines a hierarchy metric is made of: its children
// (rollup) or the lines its formula adds and subtracts.
func (s *Service) components(l *semlayer.Layer, m *semlayer.Metric) ([]component, error) {
	if m.Type != semlayer.MetricHierarchy || m.Hierarchy == "" || s.Hierarchies == nil {
		return nil, nil
	}
	h, err := s.Hierarchies.Get(m.Hierarchy, 0)
	if err != nil {
		return nil, nil // the layer outlived its hierarchy: no lines, not an error
	}
	sign := func(x *semlayer.Metric) int {
		if x.FlipSign {
			return -1
		}
		return 1
	}
	line := func(code string) *semlayer.Metric {
		for _, x := range l.Metrics {
			if x.Type == semlayer.MetricHierarchy && strings.EqualFold(x.Hierarchy, m.Hierarchy) && x.Node == code {
				return x
			}
		}
		return nil
	}
	var out []component
	if m.Formula != "" {
		e, err := hierarchy.ParseFormula(m.Formula)
		if err != nil {
			return nil, nil
		}
		coeffs, ok := linear(e, 1, map[string]int{})
		if !ok {
			return nil, nil
		}
		refs := e.Refs()
		for _, r := range refs {
			x := line(r)
			if x == nil || coeffs[r] == 0 {
				return nil, nil
			}
			out = append(out, component{metric: x, coeff: coeffs[r] * sign(m) * sign(x)})
		}
		return out, nil
	}
	for _, n := range h.Children()[m.Node] {
		if n.Type == hierarchy.TypeLabel || n.Consolidation.Sign() == 0 {
			continue
		}
		x := line(n.Code)
		if x == nil {
			continue
		}
		out = append(out, component{metric: x, coeff: n.Consolidation.Sign() * sign(m) * sign(x)})
	}
	return out, nil
}

// linear reads a formula that only adds and subtracts lines as each
// line's coefficient; ok is false for anything else (numbers included).
func linear(e *hierarchy.Expr, sign int, acc map[string]int) (map[string]int, bool) {
	switch e.Op {
	case hierarchy.OpRef:
		acc[e.Ref] += sign
		return acc, true
	case hierarchy.OpNeg:
		return linear(e.Args[0], -sign, acc)
	case hierarchy.OpAdd, hierarchy.OpSub:
		if _, ok := linear(e.Args[0], sign, acc); !ok {
			return nil, false
		}
		s2 := sign
		if e.Op == hierarchy.OpSub {
			s2 = -sign
		}
		return linear(e.Args[1], s2, acc)
	}
	return nil, false
}

var quantityWord = regexp.MustCompile(`(?i)(^|_)(quantity|qty|units?|volume|pieces|items_sold)($|_)`)

// volumeMetric finds the quantity metric of a money metric: a summed,
// non-money measure of the same fact named like a quantity.
func volumeMetric(l *semlayer.Layer, m *semlayer.Metric) *semlayer.Metric {
	if m.Model == "" {
		return nil
	}
	for _, x := range l.Metrics {
		if x.Type != semlayer.MetricSimple || x.Hidden || !strings.EqualFold(x.Model, m.Model) || x.Format == "money" || x.Filter != "" {
			continue
		}
		fm := l.Model(x.Model)
		if fm == nil {
			continue
		}
		for _, me := range fm.Measures {
			if strings.EqualFold(me.Name, x.Measure) && me.Agg == semlayer.AggSum && !me.Money && (quantityWord.MatchString(me.Name) || quantityWord.MatchString(me.Column)) {
				return x
			}
		}
	}
	return nil
}

// Variance explains a metric's change against a comparison.
func (s *Service) Variance(ctx context.Context, in VarianceArgs) (*Variance, error) {
	l, err := s.Analytics.Layer()
	if err != nil {
		return nil, err
	}
	m, err := metric(l, strings.TrimSpace(in.Metric))
	if err != nil {
		return nil, err
	}
	against := strings.ToLower(strings.TrimSpace(in.Against))
	if against == "" {
		return nil, fmt.Errorf("say what to compare with: --against prior_period, prior_year, budget or forecast:NAME")
	}
	asOf, err := s.asOf(in.AsOf)
	if err != nil {
		return nil, err
	}
	asOfText := asOf.Format("2006-01-02")
	period := strings.TrimSpace(in.Period)
	v := &Variance{Metric: m.Name, Label: label(m), Format: m.Format, Against: against, FavourableWhen: m.FavourableWhen, By: strings.TrimSpace(in.By)}
	if period == "" {
		p, err := s.latestComplete(ctx, m.Name, asOf)
		if err != nil {
			return nil, err
		}
		period = p
		v.Notes = append(v.Notes, "period: "+p+", the latest complete month with a value")
	}
	if r, err := s.Analytics.ResolvePeriod(l, period, asOf); err == nil {
		v.Period = r.String()
	} else {
		return nil, err
	}
	v.ComparisonLabel = comparisonLabel(against)

	// The total and its lines.
	comps, _ := s.components(l, m)
	names := []string{m.Name}
	for _, c := range comps {
		names = append(names, c.metric.Name)
	}
	tot, err := s.compare(ctx, names, "", period, against, asOfText)
	if err != nil {
		return nil, err
	}
	for _, n := range tot.notes {
		if !slices.Contains(v.Notes, n) {
			v.Notes = append(v.Notes, n)
		}
	}
	key := ""
	if len(tot.keys) > 0 {
		key = tot.keys[0]
	}
	exactActual, exactComp := tot.get(tot.actual, key, m.Name), tot.get(tot.comp, key, m.Name)
	v.Actual, v.Comparison = exactActual.Round(2), exactComp.Round(2)
	v.Change = v.Actual.Sub(v.Comparison)
	v.ChangePct = pct(v.Change, v.Comparison)
	v.Assessment = assess(v.Change, m.FavourableWhen)
	if len(comps) > 0 {
		var av, bv []decimal.Decimal
		var coeffs []int
		for _, c := range comps {
			av = append(av, tot.get(tot.actual, key, c.metric.Name))
			bv = append(bv, tot.get(tot.comp, key, c.metric.Name))
			coeffs = append(coeffs, c.coeff)
		}
		ar, br := allocate(av, coeffs, exactActual, v.Actual), allocate(bv, coeffs, exactComp, v.Comparison)
		for i, c := range comps {
			ch := ar[i].Sub(br[i])
			v.Lines = append(v.Lines, Item{Name: c.metric.Name, Label: label(c.metric), Actual: ar[i], Comparison: br[i], Change: ch, ChangePct: pct(ch, br[i]),
				Contribution: ch.Mul(decimal.NewFromInt(int64(c.coeff))), Assessment: assess(ch, c.metric.FavourableWhen)})
		}
	}

	// By member, with price/volume/mix when the metric is price × quantity.
	var vol *semlayer.Metric
	if in.Volume != "" {
		if vol, err = metric(l, strings.TrimSpace(in.Volume)); err != nil {
			return nil, err
		}
	} else if m.Format == "money" {
		vol = volumeMetric(l, m)
	}
	var mem *sides
	if v.By != "" || vol != nil {
		ms := []string{m.Name}
		if vol != nil {
			ms = append(ms, vol.Name)
		}
		mem, err = s.compare(ctx, ms, v.By, period, against, asOfText)
		if err != nil {
			return nil, err
		}
	}
	if v.By != "" {
		var av, bv []decimal.Decimal
		var coeffs []int
		for _, k := range mem.keys {
			av = append(av, mem.get(mem.actual, k, m.Name))
			bv = append(bv, mem.get(mem.comp, k, m.Name))
			coeffs = append(coeffs, 1)
		}
		ar, br := allocate(av, coeffs, exactActual, v.Actual), allocate(bv, coeffs, exactComp, v.Comparison)
		for i, k := range mem.keys {
			ch := ar[i].Sub(br[i])
			v.Members = append(v.Members, Item{Name: k, Actual: ar[i], Comparison: br[i], Change: ch, ChangePct: pct(ch, br[i]), Contribution: ch, Assessment: assess(ch, m.FavourableWhen)})
		}
		sort.SliceStable(v.Members, func(i, j int) bool {
			return v.Members[i].Change.Abs().GreaterThan(v.Members[j].Change.Abs())
		})
	}
	if vol != nil {
		v.PVM = pvm(mem, m.Name, vol.Name, v.Change)
		v.PVM.MixBy = v.By
		if v.By == "" {
			// Without a mix dimension there is no mix: the remainder is
			// the price effect.
			v.PVM.Price = v.PVM.Price.Add(v.PVM.Mix)
			v.PVM.Mix = decimal.Zero
		}
	}

	top := in.Top
	if top <= 0 {
		top = 10
	}
	v.Bridge = s.bridge(v, top)
	if len(v.Members) > top {
		rest := v.Members[top:]
		o := Item{Name: fmt.Sprintf("%d other members", len(rest))}
		for _, it := range rest {
			o.Actual, o.Comparison, o.Change = o.Actual.Add(it.Actual), o.Comparison.Add(it.Comparison), o.Change.Add(it.Change)
		}
		o.Contribution, o.ChangePct, o.Assessment = o.Change, pct(o.Change, o.Comparison), assess(o.Change, m.FavourableWhen)
		v.Members, v.OtherMembers = v.Members[:top], &o
	}
	v.Drivers = drivers(v, top)
	return v, nil
}

// pvm decomposes the change of a price × quantity metric over members
// into volume, mix, price, new, discontinued and no-volume effects,
// computed at full precision and rounded to the cent; mix is the
// remainder against the (rounded) change, so the effects sum to it
// exactly.
func pvm(p *sides, metric, volume string, change decimal.Decimal) *PVM {
	out := &PVM{VolumeMetric: volume}
	var r1c, r0c, q1c, q0c, price, nw, disc, novol decimal.Decimal
	for _, k := range p.keys {
		r1, r0 := p.get(p.actual, k, metric), p.get(p.comp, k, metric)
		q1, q0 := p.get(p.actual, k, volume), p.get(p.comp, k, volume)
		out.VolumeActual, out.VolumeComp = out.VolumeActual.Add(q1), out.VolumeComp.Add(q0)
		switch {
		case !q0.IsZero() && !q1.IsZero():
			r1c, r0c, q1c, q0c = r1c.Add(r1), r0c.Add(r0), q1c.Add(q1), q0c.Add(q0)
			// Q1 × (P1 − P0) = R1 − Q1 × R0 / Q0
			price = price.Add(r1.Sub(q1.Mul(r0).DivRound(q0, 12)))
		case q0.IsZero() && !q1.IsZero():
			nw = nw.Add(r1.Sub(r0))
		case !q0.IsZero() && q1.IsZero():
			disc = disc.Add(r1.Sub(r0))
		default:
			novol = novol.Add(r1.Sub(r0))
		}
	}
	if !q0c.IsZero() {
		out.Volume = q1c.Sub(q0c).Mul(r0c).DivRound(q0c, 12).Round(2)
	}
	out.Price, out.New, out.Discontinued, out.NoVolume = price.Round(2), nw.Round(2), disc.Round(2), novol.Round(2)
	out.VolumeActual, out.VolumeComp = out.VolumeActual.Round(4), out.VolumeComp.Round(4)
	out.Mix = change.Sub(out.Volume).Sub(out.Price).Sub(out.New).Sub(out.Discontinued).Sub(out.NoVolume)
	return out
}

// allocate rounds parts to the cent so that Σ coeff × part equals the
// rounded total exactly (largest remainder: the parts whose rounding
// moved them furthest take the cents the total is missing). When the
// exact parts do not sum to the exact total (a breakdown that does not
// cover it), each part is only rounded.
func allocate(parts []decimal.Decimal, coeffs []int, exactTotal, total decimal.Decimal) []decimal.Decimal {
	out := make([]decimal.Decimal, len(parts))
	sum, exact := decimal.Zero, decimal.Zero
	for i, x := range parts {
		out[i] = x.Round(2)
		c := decimal.NewFromInt(int64(coeffs[i]))
		sum = sum.Add(out[i].Mul(c))
		exact = exact.Add(x.Mul(c))
	}
	if !exact.Round(6).Equal(exactTotal.Round(6)) {
		return out
	}
	cent := decimal.New(1, -2)
	k := total.Sub(sum).Div(cent).IntPart()
	dir := int64(1)
	if k < 0 {
		dir, k = -1, -k
	}
	used := map[int]bool{}
	for ; k > 0; k-- {
		best := -1
		var bestErr decimal.Decimal
		for i, x := range parts {
			if coeffs[i] == 0 || used[i] {
				continue
			}
			// How far rounding moved this part against the direction the
			// sum must go (in the sum's terms).
			e := x.Sub(out[i]).Mul(decimal.NewFromInt(int64(coeffs[i]) * dir))
			if best < 0 || e.GreaterThan(bestErr) {
				best, bestErr = i, e
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		out[best] = out[best].Add(cent.Mul(decimal.NewFromInt(int64(coeffs[best]) * dir)))
	}
	return out
}

// bridge is the walk from the comparison total to the actual: PVM effects
// when there are, else the lines, else the members, else the change.
func (s *Service) bridge(v *Variance, top int) []Step {
	steps := []Step{{Label: v.ComparisonLabel, Kind: "start", Value: v.Comparison}}
	var effects []Step
	switch {
	case v.PVM != nil:
		for _, e := range []Step{{"volume", "effect", v.PVM.Volume}, {"mix", "effect", v.PVM.Mix}, {"price", "effect", v.PVM.Price},
			{"new", "effect", v.PVM.New}, {"discontinued", "effect", v.PVM.Discontinued}, {"without volume", "effect", v.PVM.NoVolume}} {
			if !e.Value.IsZero() || e.Label == "volume" || e.Label == "price" {
				effects = append(effects, e)
			}
		}
	case len(v.Lines) > 0:
		for _, it := range v.Lines {
			effects = append(effects, Step{Label: labelOr(it), Kind: "effect", Value: it.Contribution})
		}
	case len(v.Members) > 0:
		for i, it := range v.Members {
			if i == top {
				break
			}
			effects = append(effects, Step{Label: it.Name, Kind: "effect", Value: it.Contribution})
		}
	default:
		effects = append(effects, Step{Label: "change", Kind: "effect", Value: v.Change})
	}
	sum := decimal.Zero
	for _, e := range effects {
		sum = sum.Add(e.Value)
	}
	if rest := v.Change.Sub(sum); !rest.IsZero() {
		name := "other"
		if v.PVM == nil && len(v.Lines) == 0 && len(v.Members) > top {
			name = fmt.Sprintf("%d other members", len(v.Members)-top)
		}
		effects = append(effects, Step{Label: name, Kind: "effect", Value: rest})
	}
	steps = append(steps, effects...)
	return append(steps, Step{Label: "actual", Kind: "end", Value: v.Actual})
}

// drivers are the members (else the lines) that explain most of the
// change, largest contribution first.
func drivers(v *Variance, top int) []Driver {
	items := v.Members
	if len(items) == 0 {
		items = v.Lines
	}
	sorted := append([]Item(nil), items...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return sorted[i].Contribution.Abs().GreaterThan(sorted[j].Contribution.Abs())
	})
	var out []Driver
	for i, it := range sorted {
		if i == top || it.Contribution.IsZero() {
			break
		}
		var share *string
		if !v.Change.IsZero() {
			x := it.Contribution.Mul(hundred).DivRound(v.Change, 2).StringFixed(2)
			share = &x
		}
		out = append(out, Driver{Name: labelOr(it), Contribution: it.Contribution, SharePct: share})
	}
	return out
}

func labelOr(it Item) string {
	if it.Label != "" {
		return it.Label
	}
	return it.Name
}

func label(m *semlayer.Metric) string {
	if m.Label != "" {
		return m.Label
	}
	return strings.ReplaceAll(m.Name, "_", " ")
}

func comparisonLabel(against string) string {
	switch against {
	case "prior_year":
		return "prior year"
	case "prior_period":
		return "prior period"
	}
	return strings.ReplaceAll(against, ":", " ")
}
