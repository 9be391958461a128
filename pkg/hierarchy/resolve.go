package hierarchy

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Resolution is where one source code goes.
type Resolution struct {
	// Leaf is the winning leaf's code; "" when no leaf takes the code.
	Leaf string `json:"leaf,omitempty"`
	// Rule is the winner's include rule that matched (the first one, in
	// the leaf's rule order, in the winning precedence group), and
	// RuleIndex its position in the leaf's Rules.
	Rule      Rule `json:"rule"`
	RuleIndex int  `json:"rule_index"`
	// Precedence is the winning precedence group.
	Precedence int `json:"precedence,omitempty"`
	// Candidates are all leaves that take the code in the winning group,
	// in tree order; the winner is the first.
	Candidates []string `json:"candidates,omitempty"`
	// Conflict is set when more than one leaf takes the code in the
	// winning group (validation reports it as double_mapped).
	Conflict bool `json:"conflict,omitempty"`
}

// Mapped reports whether some leaf takes the code.
func (r Resolution) Mapped() bool { return r.Leaf != "" }

// ruleRef points at one rule of one leaf, with what matching needs.
type ruleRef struct {
	leaf int32 // leaf ordinal (tree order)
	rule int32 // index in the leaf's Rules
	prec int32
	excl bool
}

// rangeSet holds the range rules of one width, sorted by From, with the
// running maximum of To so that a lookup can stop scanning left as soon as
// no earlier interval can reach the code (overlapping intervals are fine).
type rangeSet struct {
	from, to, maxTo []string
	refs            []ruleRef
}

func (s *rangeSet) match(code string, hits []ruleRef) []ruleRef {
	// j = number of intervals with From <= code.
	j := sort.Search(len(s.from), func(i int) bool { return s.from[i] > code })
	for k := j - 1; k >= 0 && s.maxTo[k] >= code; k-- {
		if s.to[k] >= code {
			hits = append(hits, s.refs[k])
		}
	}
	return hits
}

type patRule struct {
	re *regexp.Regexp
	// minLen is the number of characters the pattern needs; exactLen is
	// that number when the pattern has no *, else -1.
	minLen, exactLen int
	// tail is the literal text after the last wildcard: a cheap filter
	// before the matcher runs.
	tail string
	ref  ruleRef
}

// colIndex is the compiled rules of one source column.
type colIndex struct {
	exact      map[string][]ruleRef
	prefix     map[string][]ruleRef
	prefixLens []int       // distinct prefix byte lengths, ascending
	ranges     []*rangeSet // by width in characters
	pats       []patRule
	// Patterns are indexed by their literal head (the text before the
	// first wildcard) so only plausible ones run their matcher.
	patByHead   map[string][]int32
	patHeadLens []int
	patNoHead   []int32
}

// Resolver maps source codes to leaves. It compiles every leaf's rules per
// source column into lookup structures: exact and list values into a map,
// prefixes into a map probed once per distinct prefix length, ranges into
// per-width sorted interval lists searched by binary search, and patterns
// into anchored regular expressions indexed by their literal head. A
// Resolver is read-only after NewResolver and safe for concurrent use.
type Resolver struct {
	h          *Hierarchy
	leaves     []*Node
	self       [][]string // self[i] = []string{leaves[i].Code}, shared
	cols       map[string]*colIndex
	defaultCol string
	// opt is the hierarchy's matching option: codes and rule values are
	// compared by opt.Key.
	opt Matching
}

// NewResolver compiles the hierarchy's leaf rules. Leaves are numbered in
// tree order (unreachable leaves after, in storage order); that order
// breaks ties between conflicting leaves. Rules on non-leaf nodes are
// ignored (CheckIntegrity reports them); an invalid rule is an error.
func NewResolver(h *Hierarchy) (*Resolver, error) { return newResolver(h, true) }

// newResolver compiles the rules; when strict is false an invalid rule is
// skipped instead of failing (validation reports it separately).
func newResolver(h *Hierarchy, strict bool) (*Resolver, error) {
	r := &Resolver{h: h, cols: map[string]*colIndex{}, defaultCol: h.DefaultColumn(), opt: h.CodeMatching()}
	key := r.opt.Key
	r.leaves = orderedLeaves(h)
	r.self = make([][]string, len(r.leaves))
	type rangeItem struct {
		from, to string
		ref      ruleRef
	}
	ranges := map[string]map[int][]rangeItem{}
	for li, n := range r.leaves {
		r.self[li] = []string{n.Code}
		for ri, rule := range n.Rules {
			if err := CheckRule(rule); err != nil {
				if !strict {
					continue
				}
				return nil, fmt.Errorf("node %s rule %d: %w", n.Code, ri+1, err)
			}
			if len(r.leaves) > math.MaxInt32 || ri > math.MaxInt32 {
				return nil, fmt.Errorf("hierarchy too large")
			}
			col := h.RuleColumn(rule)
			ci := r.cols[col]
			if ci == nil {
				ci = &colIndex{exact: map[string][]ruleRef{}, prefix: map[string][]ruleRef{}, patByHead: map[string][]int32{}}
				r.cols[col] = ci
			}
			ref := ruleRef{leaf: int32(li), rule: int32(ri), prec: int32(rule.EffectivePrecedence()), excl: rule.Exclude}
			switch rule.Match {
			case MatchExact:
				v := key(rule.Value)
				ci.exact[v] = append(ci.exact[v], ref)
			case MatchList:
				seen := map[string]bool{}
				for _, v := range rule.Values {
					v = key(v)
					if !seen[v] {
						seen[v] = true
						ci.exact[v] = append(ci.exact[v], ref)
					}
				}
			case MatchPrefix:
				v := key(rule.Value)
				ci.prefix[v] = append(ci.prefix[v], ref)
			case MatchRange:
				from, to := key(rule.From), key(rule.To)
				w := utf8.RuneCountInString(from)
				if ranges[col] == nil {
					ranges[col] = map[int][]rangeItem{}
				}
				ranges[col][w] = append(ranges[col][w], rangeItem{from, to, ref})
			case MatchPattern:
				pat := key(rule.Value)
				p := compilePattern(pat)
				p.ref = ref
				pi := int32(len(ci.pats))
				ci.pats = append(ci.pats, p)
				head := patternHead(pat)
				if head == "" {
					ci.patNoHead = append(ci.patNoHead, pi)
				} else {
					ci.patByHead[head] = append(ci.patByHead[head], pi)
				}
			}
		}
	}
	for col, ci := range r.cols {
		ci.prefixLens = keyLens(ci.prefix)
		ci.patHeadLens = keyLens(ci.patByHead)
		byWidth := ranges[col]
		maxW := -1
		for w := range byWidth {
			maxW = max(maxW, w)
		}
		ci.ranges = make([]*rangeSet, maxW+1)
		for w, items := range byWidth {
			sort.SliceStable(items, func(i, j int) bool { return items[i].from < items[j].from })
			s := &rangeSet{}
			for i, it := range items {
				s.from = append(s.from, it.from)
				s.to = append(s.to, it.to)
				s.refs = append(s.refs, it.ref)
				m := it.to
				if i > 0 && s.maxTo[i-1] > m {
					m = s.maxTo[i-1]
				}
				s.maxTo = append(s.maxTo, m)
			}
			ci.ranges[w] = s
		}
	}
	return r, nil
}

// orderedLeaves returns the leaves in tree order, then any leaf the walk
// does not reach, in storage order.
func orderedLeaves(h *Hierarchy) []*Node {
	leaves := h.Leaves()
	seen := make(map[*Node]bool, len(leaves))
	for _, n := range leaves {
		seen[n] = true
	}
	for _, n := range h.Nodes {
		if n.Type == TypeLeaf && !seen[n] {
			leaves = append(leaves, n)
		}
	}
	return leaves
}

func keyLens[V any](m map[string]V) []int {
	set := map[int]bool{}
	for k := range m {
		set[len(k)] = true
	}
	out := make([]int, 0, len(set))
	for l := range set {
		out = append(out, l)
	}
	sort.Ints(out)
	return out
}

// patternHead is the literal text of a pattern before its first wildcard.
func patternHead(p string) string {
	if i := strings.IndexAny(p, "*?"); i >= 0 {
		return p[:i]
	}
	return p
}

// compilePattern turns a rule pattern into an anchored regular expression:
// * matches any run of characters (including none), ? exactly one
// character, everything else itself.
func compilePattern(p string) patRule {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	minLen, star := 0, false
	lit := 0
	for i, c := range p {
		switch c {
		case '*', '?':
			b.WriteString(regexp.QuoteMeta(p[lit:i]))
			lit = i + 1
			if c == '*' {
				b.WriteString(`.*`)
				star = true
			} else {
				b.WriteString(`.`)
				minLen++
			}
		default:
			minLen++
		}
	}
	b.WriteString(regexp.QuoteMeta(p[lit:]))
	b.WriteString(`)$`)
	pr := patRule{re: regexp.MustCompile(b.String()), minLen: minLen, exactLen: minLen}
	if i := strings.LastIndexAny(p, "*?"); i >= 0 {
		pr.tail = p[i+1:]
	}
	if star {
		pr.exactLen = -1
	}
	return pr
}

// Leaves returns the leaves in the resolver's order (tree order).
func (r *Resolver) Leaves() []*Node { return r.leaves }

// Columns lists the source columns that have rules, sorted.
func (r *Resolver) Columns() []string {
	out := make([]string, 0, len(r.cols))
	for c := range r.cols {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Resolve says which leaf takes the code of the column ("" = the
// hierarchy's default column). Among leaves with a matching include rule
// and no matching exclude rule (exclusions only remove codes from their own
// leaf), the winners are those whose matching include rule has the lowest
// precedence number; more than one winner is a conflict, resolved here by
// tree order. The code and the rule values are compared by the
// hierarchy's Matching option (Matching.Key), as in the SQL.
func (r *Resolver) Resolve(column, code string) Resolution {
	var buf [16]ruleRef
	return r.decide(r.match(column, code, buf[:0]))
}

// match appends every rule of the column matching the code (includes and
// excludes) to hits.
func (r *Resolver) match(column, code string, hits []ruleRef) []ruleRef {
	if column == "" {
		column = r.defaultCol
	}
	ci := r.cols[column]
	if ci == nil {
		return hits
	}
	code = r.opt.Key(code)
	if refs, ok := ci.exact[code]; ok {
		hits = append(hits, refs...)
	}
	for _, l := range ci.prefixLens {
		if l > len(code) {
			break
		}
		if refs, ok := ci.prefix[code[:l]]; ok {
			hits = append(hits, refs...)
		}
	}
	w := utf8.RuneCountInString(code)
	if w < len(ci.ranges) && ci.ranges[w] != nil {
		hits = ci.ranges[w].match(code, hits)
	}
	if len(ci.pats) > 0 {
		for _, l := range ci.patHeadLens {
			if l > len(code) {
				break
			}
			for _, pi := range ci.patByHead[code[:l]] {
				hits = ci.pats[pi].match(code, w, hits)
			}
		}
		for _, pi := range ci.patNoHead {
			hits = ci.pats[pi].match(code, w, hits)
		}
	}
	return hits
}

func (p *patRule) match(code string, width int, hits []ruleRef) []ruleRef {
	if width < p.minLen || (p.exactLen >= 0 && width != p.exactLen) || !strings.HasSuffix(code, p.tail) {
		return hits
	}
	if p.re.MatchString(code) {
		hits = append(hits, p.ref)
	}
	return hits
}

func excluded(hits []ruleRef, leaf int32) bool {
	for _, h := range hits {
		if h.excl && h.leaf == leaf {
			return true
		}
	}
	return false
}

// decide picks the winner among the matching rules.
func (r *Resolver) decide(hits []ruleRef) Resolution {
	best := int32(math.MaxInt32)
	for _, h := range hits {
		if !h.excl && h.prec < best && !excluded(hits, h.leaf) {
			best = h.prec
		}
	}
	if best == math.MaxInt32 {
		return Resolution{}
	}
	win := ruleRef{leaf: math.MaxInt32}
	var ordBuf [8]int32
	ords := ordBuf[:0] // distinct candidate leaves
	for _, h := range hits {
		if h.excl || h.prec != best || excluded(hits, h.leaf) {
			continue
		}
		if h.leaf < win.leaf || (h.leaf == win.leaf && h.rule < win.rule) {
			win = h
		}
		if !containsOrd(ords, h.leaf) {
			ords = append(ords, h.leaf)
		}
	}
	leaf := r.leaves[win.leaf]
	res := Resolution{Leaf: leaf.Code, Rule: leaf.Rules[win.rule], RuleIndex: int(win.rule), Precedence: int(best)}
	if len(ords) == 1 {
		res.Candidates = r.self[win.leaf]
		return res
	}
	res.Conflict = true
	sort.Slice(ords, func(i, j int) bool { return ords[i] < ords[j] })
	res.Candidates = make([]string, len(ords))
	for i, o := range ords {
		res.Candidates[i] = r.leaves[o].Code
	}
	return res
}

func containsOrd(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
