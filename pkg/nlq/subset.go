package nlq

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/query"
	"github.com/databridge/databridge/pkg/semlayer"
)

// subsetShare answers a share asked of one total narrowed by members or
// by a membership ("what share of 2025 sales came from loyalty members",
// "what percentage of revenue came from Electronics"): each number over
// the rows that meet the filters divided by the same number over all the
// rows, in percent (query.Restricted with Where over query.Ratio). The
// filters leave the spec: the whole is the denominator. Only numbers that
// add up over rows are split so (a sum, a count, a ledger line); a
// ratio's share, a ranking or a comparison of it is not answered.
func (p *parser) subsetShare(spec query.Spec) *Interpretation {
	ranked := p.statusRate && len(spec.GroupBy) > 0 && spec.Compare == "" && len(spec.Having) == 0
	if spec.Compare != "" || len(spec.Having) > 0 || (spec.Limit > 0 || len(spec.OrderBy) > 0) && !ranked || spec.Cumulative != "" {
		return p.abstain("a share of a part of the total with a comparison, a ranking or a threshold is not computed")
	}
	var conds []string
	if spec.Where != "" {
		conds = append(conds, "("+spec.Where+")")
	}
	for _, f := range spec.Filters {
		if c := p.in.Layer.Currency; c != nil && c.Rates == nil && strings.Contains(strings.ToLower(f.Dimension), "currenc") {
			// Without rates each currency is its own whole: its share of
			// itself is 100.
			return p.abstain("a currency's share of the total: the warehouse has no exchange rates to add the currencies up")
		}
		if r, ok := p.v.dims[f.Dimension]; ok && r.Dim.Flag && len(f.Values) == 1 {
			// A true/false column: TRUE or FALSE, not its text.
			b := strings.EqualFold(f.Values[0], "true")
			if f.Not {
				conds = append(conds, fmt.Sprintf("(%s IS NULL OR %s = %s)", f.Dimension, f.Dimension, strings.ToUpper(strconv.FormatBool(!b))))
			} else {
				conds = append(conds, fmt.Sprintf("%s = %s", f.Dimension, strings.ToUpper(strconv.FormatBool(b))))
			}
			continue
		}
		vals := make([]string, len(f.Values))
		for i, v := range f.Values {
			vals[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		}
		op := "IN"
		if f.Not {
			op = "NOT IN"
		}
		conds = append(conds, fmt.Sprintf("%s %s (%s)", f.Dimension, op, strings.Join(vals, ", ")))
	}
	where := strings.Join(conds, " AND ")
	text := strings.TrimPrefix(p.describe(spec), "Share of ")
	out := spec
	out.Share, out.Filters, out.Where = false, nil, ""
	out.Metrics = nil
	out.Restricted = append([]query.Restricted{}, spec.Restricted...)
	out.Ratios = append([]query.Ratio{}, spec.Ratios...)
	for _, name := range spec.Metrics {
		asked := name
		m := p.in.Layer.Metric(name)
		if base := scaledBase(p.in.Layer, m); base != "" {
			// "what percentage of ARR is from Enterprise": ARR is 12 ×
			// MRR, so its share is MRR's.
			name, m = base, p.in.Layer.Metric(base)
		}
		if m == nil || !(m.Type == semlayer.MetricSimple && m.Rows == "" || m.Type == semlayer.MetricHierarchy && m.Formula == "") || !p.addsUp(name) {
			return p.abstain(fmt.Sprintf("a share of %s is not computed: only of a number that adds up (a total, a count)", p.label(name)))
		}
		if ms := p.stockMeasure(name); ms != nil {
			return p.abstain(fmt.Sprintf("a share of %s, a balance, is not computed", p.label(name)))
		}
		part := name + "_part"
		out.Restricted = append(out.Restricted, query.Restricted{Name: part, Label: p.label(name) + " (part)", Metric: name, Where: where})
		r := query.Ratio{Name: asked + "_part_share_pct", Label: "share of " + p.label(asked), Numerator: part, Denominator: name, Format: "percent", Percent: true}
		out.Ratios = append(out.Ratios, r)
		out.Metrics = append(out.Metrics, r.Name)
		// "the highest cancellation rate": ranked by the rate.
		for i, o := range out.OrderBy {
			if o.Key == asked {
				out.OrderBy[i].Key = r.Name
			}
		}
	}
	if err := compiles(p.in.Layer, out); err != nil {
		return p.abstain("cannot answer that from the warehouse: " + err.Error())
	}
	p.only = ""
	it := &Interpretation{Answerable: true, Spec: out, Confidence: p.conf}
	it.Text = "Share of the whole (in %): " + text
	it.Chart = chart(out)
	return it
}

var reScaled = regexp.MustCompile(`^\s*(?:([0-9]+(?:\.[0-9]+)?)\s*\*\s*([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*)\s*\*\s*([0-9]+(?:\.[0-9]+)?))\s*$`)

// scaledBase is the metric a derived metric scales by a positive constant
// (ARR = 12 * mrr), whose shares are the same; "" otherwise.
func scaledBase(l *semlayer.Layer, m *semlayer.Metric) string {
	if m == nil || m.Type != semlayer.MetricDerived {
		return ""
	}
	g := reScaled.FindStringSubmatch(m.Expr)
	if g == nil {
		return ""
	}
	k, base := g[1], g[2]
	if base == "" {
		k, base = g[4], g[3]
	}
	if f, err := strconv.ParseFloat(k, 64); err != nil || f <= 0 || l.Metric(base) == nil {
		return ""
	}
	return base
}
