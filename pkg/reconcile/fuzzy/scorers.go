package fuzzy

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// The scorers, defined as RapidFuzz 3 defines them (rapidfuzz.fuzz; read
// from its documentation, written here from the definitions). Every score
// is in [0, 100]; lengths count runes (code points), tokens are split on
// Unicode white space and sorted by code point. No scorer normalises its
// input: call Normalise first (the match and dedupe services do).
//
//   - ratio: the normalised Indel similarity, 100·(1 − d/(|a|+|b|)) where
//     d = |a|+|b|−2·LCS(a,b); two empty strings score 100.
//   - partial: the best ratio of the shorter string against every
//     substring of the longer one of its length (and the shorter prefixes
//     and suffixes at the ends), both ways round when the lengths are
//     equal.
//   - token_sort: ratio of the two strings with their tokens sorted.
//   - token_set: with I the common tokens and A, B the tokens of each side
//     only (sets, sorted, joined by a space): 100 when I is not empty and
//     A or B is; else the best of ratio(A, B) over the full lengths
//     |I|+1+|A| and |I|+1+|B|, and the ratios of "I" against "I A" and
//     "I B"; 0 when a side has no token.
//   - weighted (RapidFuzz's WRatio): ratio, or when the lengths are within
//     1.5× the best of it and 0.95 × max(token_sort, token_set); beyond,
//     partial ratios scaled by 0.9 (0.6 past 8×) and the partial token
//     ratio scaled by 0.95 × that; 0 when a string is empty.

// Scorer names a scorer.
type Scorer string

// The scorers.
const (
	ScorerRatio     Scorer = "ratio"
	ScorerPartial   Scorer = "partial"
	ScorerTokenSort Scorer = "token_sort"
	ScorerTokenSet  Scorer = "token_set"
	ScorerWeighted  Scorer = "weighted"
)

// Scorers lists the scorer names, for help and validation.
var Scorers = []Scorer{ScorerRatio, ScorerPartial, ScorerTokenSort, ScorerTokenSet, ScorerWeighted}

// ParseScorer reads a scorer name ("" = token_set).
func ParseScorer(s string) (Scorer, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return ScorerTokenSet, nil
	case "ratio":
		return ScorerRatio, nil
	case "partial", "partial_ratio":
		return ScorerPartial, nil
	case "token_sort", "token_sort_ratio":
		return ScorerTokenSort, nil
	case "token_set", "token_set_ratio":
		return ScorerTokenSet, nil
	case "weighted", "wratio":
		return ScorerWeighted, nil
	}
	return "", fmt.Errorf("unknown scorer %q (use ratio, partial, token_sort, token_set or weighted)", s)
}

// Prepared is a string made ready for scoring many times: its runes, its
// tokens sorted (with repeats) and its distinct tokens sorted.
type Prepared struct {
	S      string
	runes  []rune
	sorted []rune   // tokens sorted, joined by one space
	all    []string // tokens sorted, with repeats
	set    []string // distinct tokens, sorted
	setLen []int    // rune length of each distinct token
}

// Prepare makes a Prepared.
func Prepare(s string) *Prepared {
	p := &Prepared{S: s, runes: []rune(s)}
	p.all = strings.FieldsFunc(s, unicode.IsSpace)
	sort.Strings(p.all)
	p.sorted = []rune(strings.Join(p.all, " "))
	for i, t := range p.all {
		if i > 0 && t == p.all[i-1] {
			continue
		}
		p.set = append(p.set, t)
		p.setLen = append(p.setLen, len([]rune(t)))
	}
	return p
}

// Len is the length of the string in runes.
func (p *Prepared) Len() int { return len(p.runes) }

// Tokens are the distinct tokens, sorted.
func (p *Prepared) Tokens() []string { return p.set }

// Score scores two strings with the scorer.
func (s Scorer) Score(a, b string) float64 {
	var sc Scratch
	return sc.Score(s, Prepare(a), Prepare(b))
}

// Ratio, PartialRatio, TokenSortRatio, TokenSetRatio and WRatio score two
// strings (see the package's definitions).
func Ratio(a, b string) float64          { return ScorerRatio.Score(a, b) }
func PartialRatio(a, b string) float64   { return ScorerPartial.Score(a, b) }
func TokenSortRatio(a, b string) float64 { return ScorerTokenSort.Score(a, b) }
func TokenSetRatio(a, b string) float64  { return ScorerTokenSet.Score(a, b) }
func WRatio(a, b string) float64         { return ScorerWeighted.Score(a, b) }

// Score scores two prepared strings with the scorer, using sc's memory.
func (sc *Scratch) Score(s Scorer, a, b *Prepared) float64 {
	switch s {
	case ScorerRatio:
		return sc.ratio(a.runes, b.runes)
	case ScorerPartial:
		return sc.partial(a.runes, b.runes)
	case ScorerTokenSort:
		return sc.ratio(a.sorted, b.sorted)
	case ScorerTokenSet:
		return sc.tokenSet(a, b)
	case ScorerWeighted:
		return sc.wratio(a, b)
	}
	panic("fuzzy: unknown scorer " + string(s))
}

// ratio is the normalised Indel similarity × 100.
func (sc *Scratch) ratio(a, b []rune) float64 {
	lensum := len(a) + len(b)
	if lensum == 0 {
		return 100
	}
	d := lensum - 2*sc.lcs(a, b)
	return (1 - float64(d)/float64(lensum)) * 100
}

// normDistance is RapidFuzz's 100 − 100·dist/lensum (100 when lensum = 0).
func normDistance(dist, lensum int) float64 {
	if lensum == 0 {
		return 100
	}
	return 100 - 100*float64(dist)/float64(lensum)
}

// partial is partial_ratio.
func (sc *Scratch) partial(a, b []rune) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 100
	}
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	r := sc.partialImpl(a, b)
	if r != 100 && len(a) == len(b) {
		if r2 := sc.partialImpl(b, a); r2 > r {
			r = r2
		}
	}
	return r
}

// partialImpl is partial_ratio for len(s1) ≤ len(s2): the best normalised
// similarity of s1 against s2's prefixes shorter than s1, its windows of
// len(s1) runes and its suffixes shorter than s1. Windows whose end (start)
// rune is not in s1 are skipped: dropping that rune keeps the LCS and
// shortens the window, so a window kept scores at least as well.
func (sc *Scratch) partialImpl(s1, s2 []rune) float64 {
	n1, n2 := len(s1), len(s2)
	p := &sc.p
	p.reset(s1)
	best := 0.0
	sim := func(l, n int) float64 { // LCS l against a window of n runes
		lensum := n1 + n
		return 1 - float64(lensum-2*l)/float64(lensum)
	}
	// Prefixes s2[:i], i < n1, in one pass.
	sc.st.start(p.words)
	for i := 1; i < n1; i++ {
		sc.st.step(p, s2[i-1])
		if !p.has(s2[i-1]) {
			continue
		}
		if r := sim(sc.st.length(p), i); r > best {
			best = r
			if best == 1 {
				return 100
			}
		}
	}
	// Windows s2[i:i+n1].
	for i := 0; i <= n2-n1; i++ {
		// RapidFuzz visits i < n2−n1 here and the last full window as the
		// first of the suffixes; the set of windows is the same.
		if i < n2-n1 && !p.has(s2[i+n1-1]) {
			continue
		}
		if i == n2-n1 && !p.has(s2[i]) {
			continue
		}
		sc.st.start(p.words)
		for _, c := range s2[i : i+n1] {
			sc.st.step(p, c)
		}
		if r := sim(sc.st.length(p), n1); r > best {
			best = r
			if best == 1 {
				return 100
			}
		}
	}
	// Suffixes s2[i:], i > n2−n1, shortest first, on the reversed strings.
	if n1 > 1 {
		sc.ra = reverseInto(sc.ra[:0], s1)
		q := &sc.q
		q.reset(sc.ra)
		sc.st.start(q.words)
		for k := 1; k < n1; k++ {
			c := s2[n2-k]
			sc.st.step(q, c)
			if !q.has(c) {
				continue
			}
			if r := sim(sc.st.length(q), k); r > best {
				best = r
				if best == 1 {
					return 100
				}
			}
		}
	}
	return best * 100
}

func reverseInto(dst, r []rune) []rune {
	for i := len(r) - 1; i >= 0; i-- {
		dst = append(dst, r[i])
	}
	return dst
}

// decompose splits two distinct-token lists into the common tokens (their
// joined length), and the tokens of each side only, joined into sc.ra and
// sc.rb.
func (sc *Scratch) decompose(a, b *Prepared) (nCommon, sectLen int) {
	sc.ra, sc.rb = sc.ra[:0], sc.rb[:0]
	i, j := 0, 0
	for i < len(a.set) || j < len(b.set) {
		switch {
		case j == len(b.set) || i < len(a.set) && a.set[i] < b.set[j]:
			if len(sc.ra) > 0 {
				sc.ra = append(sc.ra, ' ')
			}
			sc.ra = append(sc.ra, []rune(a.set[i])...)
			i++
		case i == len(a.set) || b.set[j] < a.set[i]:
			if len(sc.rb) > 0 {
				sc.rb = append(sc.rb, ' ')
			}
			sc.rb = append(sc.rb, []rune(b.set[j])...)
			j++
		default:
			if nCommon > 0 {
				sectLen++
			}
			sectLen += a.setLen[i]
			nCommon++
			i++
			j++
		}
	}
	return nCommon, sectLen
}

// tokenSet is token_set_ratio.
func (sc *Scratch) tokenSet(a, b *Prepared) float64 {
	if len(a.set) == 0 || len(b.set) == 0 {
		return 0
	}
	nCommon, sectLen := sc.decompose(a, b)
	if nCommon > 0 && (len(sc.ra) == 0 || len(sc.rb) == 0) {
		return 100
	}
	abLen, baLen := len(sc.ra), len(sc.rb)
	sep := 0
	if sectLen != 0 {
		sep = 1
	}
	sectAB, sectBA := sectLen+sep+abLen, sectLen+sep+baLen
	dist := abLen + baLen - 2*sc.lcs(sc.ra, sc.rb)
	result := normDistance(dist, sectAB+sectBA)
	if sectLen == 0 {
		return result
	}
	r1 := normDistance(sep+abLen, sectLen+sectAB)
	r2 := normDistance(sep+baLen, sectLen+sectBA)
	return max(result, r1, r2)
}

// tokenSort is token_sort_ratio on prepared strings.
func (sc *Scratch) tokenSort(a, b *Prepared) float64 { return sc.ratio(a.sorted, b.sorted) }

// partialTokenRatio is RapidFuzz's partial_token_ratio.
func (sc *Scratch) partialTokenRatio(a, b *Prepared) float64 {
	if len(a.set) == 0 || len(b.set) == 0 {
		return 0
	}
	nCommon, _ := sc.decompose(a, b)
	if nCommon > 0 {
		return 100
	}
	// No common token: the distinct tokens are the differences.
	ra := append([]rune(nil), sc.ra...)
	rb := append([]rune(nil), sc.rb...)
	result := sc.partial(a.sorted, b.sorted)
	if len(a.all) == len(a.set) && len(b.all) == len(b.set) {
		return result
	}
	return max(result, sc.partial(ra, rb))
}

// wratio is RapidFuzz's WRatio.
func (sc *Scratch) wratio(a, b *Prepared) float64 {
	const unbase = 0.95
	n1, n2 := len(a.runes), len(b.runes)
	if n1 == 0 || n2 == 0 {
		return 0
	}
	lenRatio := float64(n2) / float64(n1)
	if n1 > n2 {
		lenRatio = float64(n1) / float64(n2)
	}
	end := sc.ratio(a.runes, b.runes)
	if lenRatio < 1.5 {
		return max(end, max(sc.tokenSort(a, b), sc.tokenSet(a, b))*unbase)
	}
	partialScale := 0.9
	if lenRatio > 8 {
		partialScale = 0.6
	}
	end = max(end, sc.partial(a.runes, b.runes)*partialScale)
	return max(end, sc.partialTokenRatio(a, b)*unbase*partialScale)
}
