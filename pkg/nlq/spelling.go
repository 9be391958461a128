package nlq

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The spelling of the grammar's own words: a word of a question that no
// phrase of the vocabulary holds, one typo away from exactly one word of
// the layer's names (metrics, dimensions, models, synonyms, concepts and
// the grammar's keywords), is read as that word ("revnue" is revenue,
// "salse" sales, "custmers" customers). Member values are not in this
// lexicon: they have their own fuzzy matching (fuzzyMembers), which sees
// whole values, not single words.
//
// A correction must be unmistakable, so that a word the warehouse does
// not know is never turned into one it does:
//   - the word has at least 5 letters (one edit up to 7, two from 9);
//   - its first letter is kept (typos rarely change it);
//   - it is not a grammar or stop word or a number;
//   - a word ending in -ed or -ing is read only as a word with the same
//     ending ("opertaing" is operating; "planned" is not plan);
//   - exactly one lexicon word is nearest.

// lexiconOf lists the single words of the vocabulary's phrases that name
// something other than a member.
func lexiconOf(v *vocab) []string {
	seen := map[string]bool{}
	for ph, ts := range v.phrases {
		named := false
		for _, t := range ts {
			if t.kind != kMember {
				named = true
				break
			}
		}
		if !named {
			continue
		}
		for _, w := range strings.Fields(ph) {
			if len(w) >= 4 && w[0] >= 'a' && w[0] <= 'z' {
				seen[w] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// knownWord says some phrase of the vocabulary (members included) holds
// the canonical word w.
func (v *vocab) knownWord(w string) bool {
	if v.words == nil {
		v.words = map[string]bool{}
		for ph := range v.phrases {
			for _, x := range strings.Fields(ph) {
				v.words[x] = true
			}
		}
	}
	return v.words[w]
}

// spellBudget is how many edits a word of n letters may carry to be
// read as a word of the lexicon.
func spellBudget(n int) int { return editBudget(n, 9) }

// correctSpelling rewrites the unused words that are typos of exactly
// one lexicon word.
func (p *parser) correctSpelling() {
	for i, t := range p.toks {
		if t.used || !p.correctable(t) {
			continue
		}
		best, _ := nearestWord(t, p.v.lexicon, func(w string) bool { return sameInflection(t.raw, w) })
		if best == "" || p.memberPosition(i) && !p.namesKind(best, kDim, kEntity) {
			continue
		}
		p.corrected = append(p.corrected, fmt.Sprintf("%q as %q", t.raw, best))
		raw := best
		if strings.HasSuffix(t.raw, "s") && !strings.HasSuffix(best, "s") && canonWord(best+"s") == best {
			raw = best + "s" // a plural stays plural ("invoces": the invoices, counted)
		}
		t.raw, t.canon = raw, best
		p.conf *= 0.9
	}
}

// memberPosition: the token at i stands right before the name of a
// dimension or of a model ("Scale plan", "Gold tier", "Zenith account"),
// where a question names a member. An unknown word there is a member the
// warehouse does not have, not a typo of a measure ("Scale" is not
// "sale"); only a word of a compound name may be corrected there
// ("custmer segment" is the customer segment).
func (p *parser) memberPosition(i int) bool {
	return i+1 < len(p.toks) && p.namesKind(p.toks[i+1].canon, kDim, kEntity)
}

// namesKind says the phrase ph names a target of one of kinds.
func (p *parser) namesKind(ph string, kinds ...int) bool {
	for _, t := range p.v.phrases[ph] {
		if slices.Contains(kinds, t.kind) {
			return true
		}
	}
	return false
}

// nearestWord is the one word of words (its forms counted as one) within
// the typo budget of t's length that t is nearest to, keeping t's first
// letter, among those ok allows (nil: all), and its distance; "" when
// none is, or two different words are as near.
func nearestWord(t *token, words []string, ok func(string) bool) (string, int) {
	budget := spellBudget(len(t.canon))
	best, bestD := "", budget+1
	// A plural typo is also read without its "s": "invocies" is not
	// the singular "invocy" canonWord makes of it.
	bare := strings.TrimSuffix(t.raw, "s")
	for _, w := range words {
		if w[0] != t.canon[0] || abs(len(w)-len(t.canon)) > budget && abs(len(w)-len(bare)) > budget || ok != nil && !ok(w) {
			continue
		}
		d := osa(t.canon, w)
		if bare != t.raw && bare != t.canon {
			d = min(d, osa(bare, w))
		}
		switch {
		case d > budget:
		case d < bestD:
			best, bestD = w, d
		case d == bestD && canonWord(w) != canonWord(best):
			best = "" // two words as near
		}
	}
	if best == "" || bestD > budget {
		return "", 0
	}
	return best, bestD
}

// correctable: a word that may be a typo of a lexicon word.
func (p *parser) correctable(t *token) bool {
	w := t.raw
	if len(t.canon) < 5 || stopWords[w] || stopWords[t.canon] || fillers[w] || fillers[t.canon] || refusals[w] ||
		compareKeywords[w] || isNumber(w) || numberWords[w] > 0 || scaleWords[w] > 0 {
		return false
	}
	for _, c := range w {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return !p.v.knownWord(t.canon) && len(p.v.phrases[t.canon]) == 0
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// numberWords are the numbers people spell out ("top five customers").
var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "fifty": 50, "hundred": 100, "dozen": 12,
}

// sameInflection: a word ending in -ed or -ing is a typo only of a word
// with the same ending.
func sameInflection(raw, w string) bool {
	for _, suf := range []string{"ing", "ed"} {
		if strings.HasSuffix(raw, suf) && !strings.HasSuffix(w, suf) {
			return false
		}
	}
	return true
}

// timeWords are the words time phrases are read in: a typo of one is
// corrected before they are read ("last quater" is last quarter, not a
// grouping by quarter once "quater" is corrected later).
var timeWords = strings.Fields(`quarter quarters month months year years week weeks yesterday today fiscal calendar
january february march april june july august september october november december`)

// correctTimeWords rewrites the words that are typos of exactly one time
// word, as correctSpelling would, before the time phrases are read.
func (p *parser) correctTimeWords() {
	for _, t := range p.toks {
		if t.used || !p.correctable(t) {
			continue
		}
		best, d := nearestWord(t, timeWords, nil)
		if best == "" || d == 0 {
			continue
		}
		p.corrected = append(p.corrected, fmt.Sprintf("%q as %q", t.raw, best))
		t.raw, t.canon = best, canonWord(best)
		p.conf *= 0.9
	}
}
