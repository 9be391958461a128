package reconcile

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/databridge/databridge/pkg/connector/sqldb"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/reconcile/fuzzy"
)

// Matching without a shared key — the bank reconciliation: items of two
// lists are paired when their amounts agree within a tolerance (exact
// decimals) and their dates lie within a window, optionally helped by a
// fuzzy score of a reference text.
//
// One to one (the default) is optimal, not greedy: the candidate pairs
// form a bipartite graph; in each connected component (at most
// pairMaxComponent items a side) the Hungarian algorithm finds the most
// pairs and, among those, the least total cost, where a pair's cost is
// |Δamount|/tolerance + |Δdays|/window + (1 − reference score/100), each
// term in [0, 1]. A larger component (thousands of equal amounts on the
// same days) is paired greedily by that cost, and the result says so
// (method "greedy" for those items).
//
// With Many, the left items still unpaired then try to settle several
// right items (one payment, several invoices): among the unpaired right
// items of the same sign within the window (the pairManyCandidates nearest
// in date), the subset of at most pairManyItems items whose sum equals the
// left amount within the tolerance — fewest items first, then the smallest
// difference, then the nearest dates. The search is bounded by those two
// numbers, so it stays fast whatever the list.

const (
	pairMaxComponent   = 300
	pairManyCandidates = 20
	pairManyItems      = 5
)

// PairInput says what to pair.
type PairInput struct {
	Left  string `json:"left" jsonschema:"the left dataset (e.g. the bank statement), CONN.TABLE or CONN.SCHEMA.TABLE"`
	Right string `json:"right" jsonschema:"the right dataset (e.g. the ledger), CONN.TABLE or CONN.SCHEMA.TABLE"`
	// On: the amount column and its tolerance, "amount", "amount:abs:0.01",
	// or "bank_amount=amount:abs:0.01" when the names differ.
	On string `json:"on" jsonschema:"the amount: COL or LEFTCOL=RIGHTCOL, optionally :abs:TOLERANCE (e.g. amount:abs:0.01)"`
	// Within: the date column and window, "date:3d" or "booked=posted:3d".
	Within string `json:"within,omitempty" jsonschema:"the date window: COL:Nd or LEFTCOL=RIGHTCOL:Nd (e.g. date:3d)"`
	// Also: a reference compared fuzzily, "reference~fuzzy" or
	// "memo=reference~fuzzy" (optionally ~fuzzy:MIN, the least score).
	Also string `json:"also,omitempty" jsonschema:"a reference helping the pairing: COL~fuzzy or LEFTCOL=RIGHTCOL~fuzzy[:MIN]"`
	// Many: one left item may settle several right items.
	Many bool `json:"many,omitempty" jsonschema:"let one left item (a payment) settle several right items (invoices)"`
}

// PairRule is one parsed rule.
type PairRule struct {
	LeftColumn  string `json:"left_column"`
	RightColumn string `json:"right_column"`
	// Tolerance (amount): the largest absolute difference, a decimal.
	Tolerance string `json:"tolerance,omitempty"`
	// Days (date): the largest difference in days.
	Days int `json:"days,omitempty"`
	// MinScore (reference): pairs scoring less are not candidates.
	MinScore float64 `json:"min_score,omitempty"`
}

// PairItem is one row of a side.
type PairItem struct {
	// Row: the row's position on its side (ordered by date, amount and
	// the other columns).
	Row       int    `json:"row"`
	Amount    string `json:"amount"`
	Date      string `json:"date,omitempty"`
	Reference string `json:"reference,omitempty"`
	// Values: every column of the row, as text (NULL: absent).
	Values map[string]string `json:"values"`
}

// Pairing is one pairing and its evidence.
type Pairing struct {
	Kind  string     `json:"kind"` // one_to_one, one_to_many
	Left  []PairItem `json:"left"`
	Right []PairItem `json:"right"`
	// AmountDiff: left total − right total (exact).
	AmountDiff string `json:"amount_diff"`
	// Days: the largest date distance between the left item and a right
	// item.
	Days int `json:"days"`
	// ReferenceScore: the reference's fuzzy score (one to one; the mean
	// over the right items for one to many).
	ReferenceScore *float64 `json:"reference_score,omitempty"`
	// Method: optimal (Hungarian within the component), greedy, or
	// subset_sum.
	Method string `json:"method"`
}

// PairSummary counts the outcome.
type PairSummary struct {
	LeftItems     int    `json:"left_items"`
	RightItems    int    `json:"right_items"`
	Pairings      int    `json:"pairings"`
	OneToMany     int    `json:"one_to_many"`
	PairedLeft    int    `json:"paired_left"`
	PairedRight   int    `json:"paired_right"`
	UnpairedLeft  int    `json:"unpaired_left"`
	UnpairedRight int    `json:"unpaired_right"`
	LeftTotal     string `json:"left_total"`
	RightTotal    string `json:"right_total"`
	// Unpaired totals (exact).
	UnpairedLeftTotal  string `json:"unpaired_left_total"`
	UnpairedRightTotal string `json:"unpaired_right_total"`
}

// PairResult is the result of a pairing (the --json output and the MCP
// tool's structured output).
type PairResult struct {
	ID            string      `json:"id"`
	Left          string      `json:"left"`
	Right         string      `json:"right"`
	Amount        PairRule    `json:"amount"`
	Window        *PairRule   `json:"window,omitempty"`
	Reference     *PairRule   `json:"reference,omitempty"`
	Many          bool        `json:"many"`
	Agree         bool        `json:"agree"`
	Summary       PairSummary `json:"summary"`
	Pairings      []Pairing   `json:"pairings"`
	UnpairedLeft  []PairItem  `json:"unpaired_left"`
	UnpairedRight []PairItem  `json:"unpaired_right"`
}

// pairCols splits "L=R" (or "C" for both).
func pairCols(s string) (string, string) {
	if l, r, ok := strings.Cut(s, "="); ok {
		return strings.TrimSpace(l), strings.TrimSpace(r)
	}
	s = strings.TrimSpace(s)
	return s, s
}

// parsePairRules reads On, Within and Also.
func parsePairRules(in PairInput) (amount PairRule, tol decimal.Decimal, window *PairRule, ref *PairRule, err error) {
	on := strings.TrimSpace(in.On)
	if on == "" {
		return amount, tol, nil, nil, fmt.Errorf("pair needs --on AMOUNT[:abs:TOLERANCE]")
	}
	parts := strings.Split(on, ":")
	amount.LeftColumn, amount.RightColumn = pairCols(parts[0])
	tol = decimal.Zero
	switch {
	case len(parts) == 1:
	case len(parts) == 3 && strings.EqualFold(parts[1], "abs"):
		tol, err = decimal.NewFromString(strings.TrimSpace(parts[2]))
	case len(parts) == 2:
		tol, err = decimal.NewFromString(strings.TrimSpace(parts[1]))
	default:
		err = fmt.Errorf("--on %q: expected COL[:abs:TOLERANCE]", on)
	}
	if err == nil && tol.IsNegative() {
		err = fmt.Errorf("--on %q: the tolerance is negative", on)
	}
	if err != nil {
		return amount, tol, nil, nil, fmt.Errorf("--on %q: %w", on, err)
	}
	amount.Tolerance = pairDec(tol)
	if w := strings.TrimSpace(in.Within); w != "" {
		cols, span, ok := strings.Cut(w, ":")
		if !ok {
			return amount, tol, nil, nil, fmt.Errorf("--within %q: expected COL:Nd (e.g. date:3d)", w)
		}
		days, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(span), "d"))
		if err != nil || days < 0 {
			return amount, tol, nil, nil, fmt.Errorf("--within %q: the window is a number of days (e.g. 3d)", w)
		}
		window = &PairRule{Days: days}
		window.LeftColumn, window.RightColumn = pairCols(cols)
	}
	if a := strings.TrimSpace(in.Also); a != "" {
		cols, how, ok := strings.Cut(a, "~")
		kind, minText, _ := strings.Cut(how, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(kind), "fuzzy") {
			return amount, tol, nil, nil, fmt.Errorf("--also %q: expected COL~fuzzy[:MIN] or LEFTCOL=RIGHTCOL~fuzzy[:MIN]", a)
		}
		ref = &PairRule{}
		ref.LeftColumn, ref.RightColumn = pairCols(cols)
		if minText != "" {
			ref.MinScore, err = strconv.ParseFloat(minText, 64)
			if err != nil || ref.MinScore < 0 || ref.MinScore > 100 {
				return amount, tol, nil, nil, fmt.Errorf("--also %q: the least score is 0 to 100", a)
			}
		}
	}
	return amount, tol, window, ref, nil
}

// pairRow is an item as read.
type pairRow struct {
	item   PairItem
	amount decimal.Decimal
	day    int // days since 1970-01-01 (date rules only)
	ref    *fuzzy.Prepared
}

// pairRead reads a side's rows: every column, ordered by date, amount and
// the rest, so that results do not depend on the engine's order.
func (s *Service) pairRead(ctx context.Context, t *matchTable, amountCol, dateCol, refCol string) ([]pairRow, error) {
	var order []dialect.Order
	if dateCol != "" {
		order = append(order, dialect.Order{Expr: dialect.C(dateCol)})
	}
	order = append(order, dialect.Order{Expr: dialect.C(amountCol)})
	var cols []dialect.SelectItem
	for _, c := range t.detail.Columns {
		cols = append(cols, dialect.SelectItem{Expr: dialect.C(c.Name)})
		if c.Name != dateCol && c.Name != amountCol {
			order = append(order, dialect.Order{Expr: dialect.C(c.Name)})
		}
	}
	res, err := t.query(ctx, &dialect.Select{Columns: cols, From: t.from(), Where: &dialect.IsNull{X: dialect.C(amountCol), Not: true}, OrderBy: order})
	if err != nil {
		return nil, err
	}
	rows := make([]pairRow, 0, len(res.Rows))
	for i, r := range res.Rows {
		pr := pairRow{item: PairItem{Row: i + 1, Values: map[string]string{}}}
		for j, c := range t.detail.Columns {
			v := r[j]
			if v == nil {
				continue
			}
			text := matchCellString(v)
			if d, ok := sqldb.ExactDecimal(v); ok && c.Name == amountCol {
				text = pairDec(d)
			}
			pr.item.Values[c.Name] = text
			switch c.Name {
			case amountCol:
				d, ok := sqldb.ExactDecimal(v)
				if !ok {
					var err error
					if d, err = decimal.NewFromString(strings.TrimSpace(text)); err != nil {
						return nil, fmt.Errorf("%s row %d: amount %q is not a number", t.ds, i+1, text)
					}
				}
				pr.amount = d
				pr.item.Amount = pairDec(d)
			}
			if c.Name == dateCol {
				day, ok := pairDay(v)
				if !ok {
					return nil, fmt.Errorf("%s row %d: %s %q is not a date", t.ds, i+1, dateCol, text)
				}
				pr.day = day
				pr.item.Date = time.Unix(int64(day)*86400, 0).UTC().Format("2006-01-02")
			}
			if c.Name == refCol {
				pr.item.Reference = text
			}
		}
		if dateCol != "" && pr.item.Date == "" {
			return nil, fmt.Errorf("%s row %d: %s is empty; pair needs a date on every row of a window", t.ds, i+1, dateCol)
		}
		if refCol != "" {
			pr.ref = fuzzy.Prepare(fuzzy.Normalise(pr.item.Reference))
		}
		rows = append(rows, pr)
	}
	return rows, nil
}

// pairDay reads a date (a driver time or ISO text) as days since the
// epoch.
func pairDay(v any) (int, bool) {
	var tm time.Time
	switch x := v.(type) {
	case time.Time:
		tm = x
	default:
		s := strings.TrimSpace(matchCellString(v))
		var err error
		for _, layout := range []string{"2006-01-02", time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
			if tm, err = time.Parse(layout, s); err == nil {
				break
			}
		}
		if err != nil {
			return 0, false
		}
	}
	y, m, d := tm.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400), true
}

// pairEdge is a candidate pair.
type pairEdge struct {
	l, r  int
	cost  float64
	days  int
	score float64
}

// Pair pairs the items of two lists by amount, date and reference.
func (s *Service) Pair(ctx context.Context, in PairInput) (*PairResult, error) {
	amountRule, tol, window, ref, err := parsePairRules(in)
	if err != nil {
		return nil, err
	}
	lt, err := s.openMatchTable(ctx, in.Left)
	if err != nil {
		return nil, err
	}
	defer lt.Close()
	rt, err := s.openMatchTable(ctx, in.Right)
	if err != nil {
		return nil, err
	}
	defer rt.Close()
	resolve := func(r *PairRule) error {
		if r == nil {
			return nil
		}
		var err error
		if r.LeftColumn, err = lt.column(r.LeftColumn); err != nil {
			return err
		}
		r.RightColumn, err = rt.column(r.RightColumn)
		return err
	}
	for _, r := range []*PairRule{&amountRule, window, ref} {
		if err := resolve(r); err != nil {
			return nil, err
		}
	}
	var lDate, rDate, lRef, rRef string
	if window != nil {
		lDate, rDate = window.LeftColumn, window.RightColumn
	}
	if ref != nil {
		lRef, rRef = ref.LeftColumn, ref.RightColumn
	}
	left, err := s.pairRead(ctx, lt, amountRule.LeftColumn, lDate, lRef)
	if err != nil {
		return nil, err
	}
	right, err := s.pairRead(ctx, rt, amountRule.RightColumn, rDate, rRef)
	if err != nil {
		return nil, err
	}
	res := &PairResult{Left: lt.ds.String(), Right: rt.ds.String(), Amount: amountRule, Window: window, Reference: ref, Many: in.Many,
		Pairings: []Pairing{}, UnpairedLeft: []PairItem{}, UnpairedRight: []PairItem{}}
	edges := pairCandidates(left, right, tol, window, ref)
	pairedL := make([]bool, len(left))
	pairedR := make([]bool, len(right))
	var sc fuzzy.Scratch
	for _, pe := range pairOneToOne(len(left), len(right), edges) {
		e := pe.edge
		pairedL[e.l], pairedR[e.r] = true, true
		p := Pairing{Kind: "one_to_one", Left: []PairItem{left[e.l].item}, Right: []PairItem{right[e.r].item},
			AmountDiff: pairDec(left[e.l].amount.Sub(right[e.r].amount)), Days: e.days, Method: pe.method}
		if ref != nil {
			score := e.score
			p.ReferenceScore = &score
		}
		res.Pairings = append(res.Pairings, p)
	}
	if in.Many {
		for li := range left {
			if pairedL[li] {
				continue
			}
			group := pairSubset(left[li], right, pairedR, tol, window)
			if group == nil {
				continue
			}
			pairedL[li] = true
			p := Pairing{Kind: "one_to_many", Left: []PairItem{left[li].item}, Method: "subset_sum"}
			sum := decimal.Zero
			total := 0.0
			for _, ri := range group {
				pairedR[ri] = true
				p.Right = append(p.Right, right[ri].item)
				sum = sum.Add(right[ri].amount)
				if window != nil {
					p.Days = max(p.Days, pairAbs(left[li].day-right[ri].day))
				}
				if ref != nil {
					total += sc.Score(fuzzy.ScorerTokenSet, left[li].ref, right[ri].ref)
				}
			}
			p.AmountDiff = pairDec(left[li].amount.Sub(sum))
			if ref != nil {
				mean := total / float64(len(group))
				p.ReferenceScore = &mean
			}
			res.Pairings = append(res.Pairings, p)
			res.Summary.OneToMany++
		}
	}
	sumL, sumR, openL, openR := decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
	for i, r := range left {
		sumL = sumL.Add(r.amount)
		if !pairedL[i] {
			openL = openL.Add(r.amount)
			res.UnpairedLeft = append(res.UnpairedLeft, r.item)
		}
	}
	for i, r := range right {
		sumR = sumR.Add(r.amount)
		if !pairedR[i] {
			openR = openR.Add(r.amount)
			res.UnpairedRight = append(res.UnpairedRight, r.item)
		}
	}
	sm := &res.Summary
	sm.LeftItems, sm.RightItems, sm.Pairings = len(left), len(right), len(res.Pairings)
	sm.UnpairedLeft, sm.UnpairedRight = len(res.UnpairedLeft), len(res.UnpairedRight)
	sm.PairedLeft, sm.PairedRight = len(left)-sm.UnpairedLeft, len(right)-sm.UnpairedRight
	sm.LeftTotal, sm.RightTotal = pairDec(sumL), pairDec(sumR)
	sm.UnpairedLeftTotal, sm.UnpairedRightTotal = pairDec(openL), pairDec(openR)
	res.Agree = sm.UnpairedLeft == 0 && sm.UnpairedRight == 0
	agree := res.Agree
	id, err := s.record(ctx, "pair", res.Left, res.Right, &agree, res)
	if err != nil {
		return nil, err
	}
	res.ID = id
	return res, nil
}

// pairDec writes a decimal at its scale (1200.00 stays 1200.00; sums and
// differences keep the larger scale of their terms).
func pairDec(d decimal.Decimal) string {
	if e := d.Exponent(); e < 0 {
		return d.StringFixed(-e)
	}
	return d.String()
}

func pairAbs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// pairCandidates lists the candidate pairs: amounts within the tolerance
// (found by sorting the right side by amount), dates within the window,
// reference at least its least score.
func pairCandidates(left, right []pairRow, tol decimal.Decimal, window, ref *PairRule) []pairEdge {
	byAmount := make([]int, len(right))
	for i := range byAmount {
		byAmount[i] = i
	}
	sort.SliceStable(byAmount, func(a, b int) bool { return right[byAmount[a]].amount.LessThan(right[byAmount[b]].amount) })
	tolF, _ := tol.Float64()
	var sc fuzzy.Scratch
	var edges []pairEdge
	for li, l := range left {
		lo := l.amount.Sub(tol)
		k := sort.Search(len(byAmount), func(i int) bool { return !right[byAmount[i]].amount.LessThan(lo) })
		hi := l.amount.Add(tol)
		for ; k < len(byAmount) && !right[byAmount[k]].amount.GreaterThan(hi); k++ {
			ri := byAmount[k]
			r := right[ri]
			e := pairEdge{l: li, r: ri}
			if tolF > 0 {
				diff, _ := l.amount.Sub(r.amount).Abs().Float64()
				e.cost += diff / tolF
			}
			if window != nil {
				e.days = pairAbs(l.day - r.day)
				if e.days > window.Days {
					continue
				}
				if window.Days > 0 {
					e.cost += float64(e.days) / float64(window.Days)
				}
			}
			if ref != nil {
				e.score = sc.Score(fuzzy.ScorerTokenSet, l.ref, r.ref)
				if e.score < ref.MinScore {
					continue
				}
				e.cost += 1 - e.score/100
			}
			edges = append(edges, e)
		}
	}
	return edges
}

type pairChosen struct {
	edge   pairEdge
	method string
}

// pairOneToOne chooses one-to-one pairs: per connected component of the
// candidate graph, the Hungarian algorithm (most pairs, then least cost),
// or greedily by cost above pairMaxComponent items a side.
func pairOneToOne(nl, nr int, edges []pairEdge) []pairChosen {
	parent := make([]int, nl+nr)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, e := range edges {
		a, b := find(e.l), find(nl+e.r)
		if a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	comps := map[int][]pairEdge{}
	var roots []int
	for _, e := range edges {
		r := find(e.l)
		if comps[r] == nil {
			roots = append(roots, r)
		}
		comps[r] = append(comps[r], e)
	}
	sort.Ints(roots)
	var out []pairChosen
	for _, root := range roots {
		ce := comps[root]
		var ls, rs []int
		li, ri := map[int]int{}, map[int]int{}
		for _, e := range ce {
			if _, ok := li[e.l]; !ok {
				li[e.l] = len(ls)
				ls = append(ls, e.l)
			}
			if _, ok := ri[e.r]; !ok {
				ri[e.r] = len(rs)
				rs = append(rs, e.r)
			}
		}
		if len(ls) > pairMaxComponent || len(rs) > pairMaxComponent {
			for _, e := range pairGreedy(ce) {
				out = append(out, pairChosen{e, "greedy"})
			}
			continue
		}
		// Cost matrix rows = the smaller side.
		transpose := len(ls) > len(rs)
		n, m := len(ls), len(rs)
		if transpose {
			n, m = m, n
		}
		const absent = 1e6 // more than any set of real pairs costs (≤ 3 each)
		cost := make([][]float64, n)
		edgeAt := make([][]int, n)
		for i := range cost {
			cost[i] = make([]float64, m)
			edgeAt[i] = make([]int, m)
			for j := range cost[i] {
				cost[i][j] = absent
				edgeAt[i][j] = -1
			}
		}
		for k, e := range ce {
			i, j := li[e.l], ri[e.r]
			if transpose {
				i, j = j, i
			}
			if e.cost < cost[i][j] {
				cost[i][j] = e.cost
				edgeAt[i][j] = k
			}
		}
		for i, j := range hungarian(cost) {
			if k := edgeAt[i][j]; k >= 0 {
				out = append(out, pairChosen{ce[k], "optimal"})
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].edge.l < out[b].edge.l })
	return out
}

// pairGreedy takes edges by cost (then left, right order) while both ends
// are free.
func pairGreedy(edges []pairEdge) []pairEdge {
	es := append([]pairEdge(nil), edges...)
	sort.SliceStable(es, func(a, b int) bool {
		if es[a].cost != es[b].cost {
			return es[a].cost < es[b].cost
		}
		if es[a].l != es[b].l {
			return es[a].l < es[b].l
		}
		return es[a].r < es[b].r
	})
	usedL, usedR := map[int]bool{}, map[int]bool{}
	var out []pairEdge
	for _, e := range es {
		if !usedL[e.l] && !usedR[e.r] {
			usedL[e.l], usedR[e.r] = true, true
			out = append(out, e)
		}
	}
	return out
}

// hungarian solves the assignment problem for an n×m cost matrix, n ≤ m:
// each row gets a distinct column, total cost least (Kuhn–Munkres with
// potentials, O(n²m)). It returns the column of each row.
func hungarian(cost [][]float64) []int {
	n := len(cost)
	if n == 0 {
		return nil
	}
	m := len(cost[0])
	u := make([]float64, n+1)
	v := make([]float64, m+1)
	p := make([]int, m+1) // p[j]: the row (1-based) assigned to column j
	way := make([]int, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		minv := make([]float64, m+1)
		used := make([]bool, m+1)
		for j := range minv {
			minv[j] = math.Inf(1)
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], math.Inf(1), 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				cur := cost[i0-1][j-1] - u[i0] - v[j]
				if cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	out := make([]int, n)
	for j := 1; j <= m; j++ {
		if p[j] > 0 {
			out[p[j]-1] = j - 1
		}
	}
	return out
}

// pairSubset finds the right items a left item settles (see Pair).
func pairSubset(l pairRow, right []pairRow, paired []bool, tol decimal.Decimal, window *PairRule) []int {
	type cand struct {
		i    int
		days int
	}
	var cs []cand
	for i, r := range right {
		if paired[i] || r.amount.Sign() != l.amount.Sign() || r.amount.Sign() == 0 {
			continue
		}
		if r.amount.Abs().GreaterThan(l.amount.Abs().Add(tol)) {
			continue
		}
		d := 0
		if window != nil {
			d = pairAbs(l.day - r.day)
			if d > window.Days {
				continue
			}
		}
		cs = append(cs, cand{i, d})
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].days < cs[b].days })
	if len(cs) > pairManyCandidates {
		cs = cs[:pairManyCandidates]
	}
	if len(cs) < 2 {
		return nil
	}
	target := l.amount.Abs()
	var best []int
	var bestDiff decimal.Decimal
	bestDays := 0
	cur := make([]int, 0, pairManyItems)
	// For each size, the first subset found in candidate order with the
	// least difference (then the least total days) wins; a smaller size
	// always wins over a larger one.
	for size := 2; size <= pairManyItems && best == nil; size++ {
		var rec func(start int, sum decimal.Decimal, days int)
		rec = func(start int, sum decimal.Decimal, days int) {
			if len(cur) == size {
				diff := target.Sub(sum).Abs()
				if diff.GreaterThan(tol) {
					return
				}
				if best == nil || diff.LessThan(bestDiff) || diff.Equal(bestDiff) && days < bestDays {
					best = append([]int(nil), cur...)
					bestDiff, bestDays = diff, days
				}
				return
			}
			for k := start; k < len(cs); k++ {
				next := sum.Add(right[cs[k].i].amount.Abs())
				if next.GreaterThan(target.Add(tol)) {
					continue
				}
				cur = append(cur, cs[k].i)
				rec(k+1, next, days+cs[k].days)
				cur = cur[:len(cur)-1]
			}
		}
		rec(0, decimal.Zero, 0)
	}
	sort.Ints(best)
	return best
}
