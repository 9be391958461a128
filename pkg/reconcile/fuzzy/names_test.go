package fuzzy

import (
	"math/rand"
	"strings"
)

// Realistic company names with planted variants, for the recall tests and
// the peer benchmark: a vendor master (right) and another system's names
// for the same vendors (left): typos, other or no legal forms, words in
// another order, abbreviations, accents, case; and some vendors of the
// left side only.

var (
	nameSyllables = strings.Fields("ka lo mer tin ber sa vo ran del fi nor west sun stein berg har mon ta ri el an co vil ston ley ford ham wick dal ro mi ne ga lu pe tor ven qua zen bri ola ster")
	nameIndustry  = strings.Fields("Trading Logistics Foods Systems Partners Consulting Bank Pharma Energy Motors Textiles Software Capital Insurance Metals Chemicals Media Foods Freight Electric Construction Dairy Shipping Airlines Hotels Brewing Paper Plastics Telecom Mining")
	nameQualifier = strings.Fields("International Global North South East West United General National Royal American European Pacific Atlantic Central First Digital Advanced Industrial")
	nameLegal     = []string{"Inc", "Inc.", "LLC", "Ltd", "Limited", "GmbH", "AG", "S.A.", "SARL", "B.V.", "NV", "PLC", "Corp.", "Corporation", "Co.", "Pty Ltd", "SpA", "Oy", "AB", ""}
	nameAbbrev    = map[string]string{"International": "Intl", "Manufacturing": "Mfg", "Brothers": "Bros", "and": "&", "Corporation": "Corp", "Company": "Co", "Systems": "Sys", "Logistics": "Log.", "Construction": "Constr.", "National": "Natl"}
	nameAccents   = map[rune]rune{'e': 'é', 'a': 'ä', 'o': 'ö', 'u': 'ü'}
)

func nameWord(rng *rand.Rand) string {
	n := 2 + rng.Intn(2)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(nameSyllables[rng.Intn(len(nameSyllables))])
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

func companyName(rng *rand.Rand) string {
	var words []string
	if rng.Intn(3) == 0 {
		words = append(words, nameQualifier[rng.Intn(len(nameQualifier))])
	}
	words = append(words, nameWord(rng))
	switch rng.Intn(4) {
	case 0:
		words = append(words, "and", nameWord(rng))
	case 1:
		words = append(words, nameWord(rng))
	}
	words = append(words, nameIndustry[rng.Intn(len(nameIndustry))])
	if l := nameLegal[rng.Intn(len(nameLegal))]; l != "" {
		words = append(words, l)
	}
	return strings.Join(words, " ")
}

func typo(rng *rand.Rand, s string) string {
	r := []rune(s)
	if len(r) < 4 {
		return s
	}
	i := 1 + rng.Intn(len(r)-2)
	switch rng.Intn(4) {
	case 0: // drop
		return string(append(r[:i:i], r[i+1:]...))
	case 1: // swap
		r[i], r[i+1] = r[i+1], r[i]
	case 2: // replace
		r[i] = rune('a' + rng.Intn(26))
	default: // insert
		return string(r[:i]) + string(rune('a'+rng.Intn(26))) + string(r[i:])
	}
	return string(r)
}

// variant plants one to three differences in a name.
func variant(rng *rand.Rand, s string) string {
	for k := 1 + rng.Intn(3); k > 0; k-- {
		words := strings.Fields(s)
		switch rng.Intn(6) {
		case 0:
			s = typo(rng, s)
		case 1: // another legal form
			last := words[len(words)-1]
			for _, l := range nameLegal {
				if l != "" && strings.HasSuffix(last, strings.TrimSuffix(l, ".")) {
					words = words[:len(words)-1]
					break
				}
			}
			if l := nameLegal[rng.Intn(len(nameLegal))]; l != "" {
				words = append(words, l)
			}
			s = strings.Join(words, " ")
		case 2: // word order
			if len(words) > 2 {
				i := rng.Intn(len(words) - 1)
				words[i], words[i+1] = words[i+1], words[i]
			}
			s = strings.Join(words, " ")
		case 3: // abbreviations
			for i, w := range words {
				if a, ok := nameAbbrev[w]; ok {
					words[i] = a
				}
			}
			s = strings.Join(words, " ")
		case 4: // accents or case
			if rng.Intn(2) == 0 {
				s = strings.ToUpper(s)
			} else {
				r := []rune(s)
				for i, c := range r {
					if a, ok := nameAccents[c]; ok && rng.Intn(3) == 0 {
						r[i] = a
					}
				}
				s = string(r)
			}
		case 5: // a word dropped
			if len(words) > 2 {
				i := rng.Intn(len(words))
				s = strings.Join(append(words[:i:i], words[i+1:]...), " ")
			}
		}
	}
	return s
}

// companyNames makes n right names and n left names: 90% variants of a
// right name (shuffled), 10% names of the left side only.
func companyNames(seed int64, n int) (left, right []string) {
	rng := rand.New(rand.NewSource(seed))
	seen := map[string]bool{}
	for len(right) < n {
		s := companyName(rng)
		if !seen[s] {
			seen[s] = true
			right = append(right, s)
		}
	}
	for i := 0; i < n; i++ {
		if rng.Intn(10) == 0 {
			left = append(left, companyName(rng))
		} else {
			left = append(left, variant(rng, right[rng.Intn(n)]))
		}
	}
	return left, right
}
