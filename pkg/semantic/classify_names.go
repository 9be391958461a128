package semantic

import (
	"strings"
	"sync"
	"unicode"
)

// Name handling for classification: a table or column name becomes
// lower-case singular tokens ("GLJournalLines" and "gl_journal_lines" both
// read gl, journal, line), which the rules match as words and phrases.

// clsTokens splits a name on non-alphanumerics and camelCase boundaries,
// lower-cases and singularises each part.
func clsTokens(name string) []string {
	var parts []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			w := strings.ToLower(string(cur))
			if seg := clsSegment(w); seg != nil {
				for _, x := range seg {
					parts = append(parts, clsSingular(x))
				}
			} else {
				parts = append(parts, clsSingular(w))
			}
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if unicode.IsUpper(r) && len(cur) > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return parts
}

// clsSingular strips an English plural ending from one token.
func clsSingular(w string) string {
	switch {
	case len(w) <= 3:
		return w
	case strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

// clsHasAny reports whether any token is in the set.
func clsHasAny(toks []string, set map[string]bool) bool {
	for _, t := range toks {
		if set[t] {
			return true
		}
	}
	return false
}

// clsFirstIn returns the first token in the set, or "".
func clsFirstIn(toks []string, set map[string]bool) string {
	for _, t := range toks {
		if set[t] {
			return t
		}
	}
	return ""
}

func clsSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// clsPhrase is a token sequence naming an entity ("cost center").
type clsPhrase struct {
	toks   []string
	entity string // model.Entity value
	text   string // as written in the lexicon
}

// clsMatchPhrases finds the lexicon phrases in toks, longest first, each
// token used once; it returns the matches in token order.
func clsMatchPhrases(toks []string, lex []clsPhrase) []clsPhrase {
	var out []clsPhrase
	for i := 0; i < len(toks); {
		best := -1
		for j, p := range lex {
			if len(p.toks) > len(toks)-i {
				continue
			}
			ok := true
			for k, t := range p.toks {
				if toks[i+k] != t {
					ok = false
					break
				}
			}
			if ok && (best < 0 || len(p.toks) > len(lex[best].toks)) {
				best = j
			}
		}
		if best < 0 {
			i++
			continue
		}
		out = append(out, lex[best])
		i += len(lex[best].toks)
	}
	return out
}

// clsVocabulary is every word the rules read, plus the words that join
// them in column names; clsSegment splits run-together names with it.
var clsVocabulary = sync.OnceValue(func() map[string]bool {
	v := map[string]bool{}
	for _, set := range []map[string]bool{clsAmountWords, clsNotMeasureWords, clsOrdinalWords, clsBalanceWords, clsMilestoneWords,
		clsAuditWords, clsCalendarWords, clsPeriodWords, clsWeightWords, clsBridgeWords, clsFactWords, clsDescWords, clsIdentWords} {
		for w := range set {
			if len(w) >= 2 {
				v[w] = true
			}
		}
	}
	// Business nouns (the entity lexicon itself is built with clsTokens,
	// so it cannot be read here).
	for _, w := range []string{"customer", "client", "vendor", "supplier", "employee", "staff", "product", "item", "part", "store",
		"account", "ledger", "project", "warehouse", "promotion", "currency", "category", "region", "segment", "country",
		"city", "department", "center", "centre", "company", "entity", "channel", "location", "site", "branch", "contract"} {
		v[w] = true
	}
	for _, w := range []string{"valid", "from", "to", "current", "effective", "expiry", "expiration", "start", "end", "begin",
		"version", "row", "record", "active", "latest", "hand", "of", "last", "first", "line", "item", "score", "count", "number"} {
		v[w] = true
	}
	return v
})

// clsSegment splits a run-together lower-case word (validfrom,
// closingbalance, allocationpct: TPC-H-style names without separators)
// into vocabulary words, preferring the fewest parts; nil when the word
// is itself a vocabulary word, is short, or does not split completely.
func clsSegment(w string) []string {
	voc := clsVocabulary()
	if len(w) < 5 || voc[w] || voc[clsSingular(w)] {
		return nil
	}
	// best[i]: fewest words covering w[:i] (-1 = none).
	best := make([]int, len(w)+1)
	from := make([]int, len(w)+1)
	for i := 1; i <= len(w); i++ {
		best[i] = -1
		for j := 0; j+2 <= i; j++ {
			part := w[j:i]
			if best[j] < 0 || !voc[part] && !voc[clsSingular(part)] {
				continue
			}
			if n := best[j] + 1; best[i] < 0 || n < best[i] {
				best[i], from[i] = n, j
			}
		}
	}
	if best[len(w)] < 2 {
		return nil
	}
	var out []string
	for i := len(w); i > 0; i = from[i] {
		out = append([]string{w[from[i]:i]}, out...)
	}
	return out
}
