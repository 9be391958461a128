package fuzzy

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalise makes a name comparable before scoring:
//
//  1. Unicode case folding to lower case;
//  2. accents removed (NFD, combining marks dropped, golang.org/x/text),
//     and the letters that do not decompose spelled in ASCII (ß → ss,
//     æ → ae, ø → o, ł → l, đ → d, œ → oe, þ → th, ı → i);
//  3. "&" and "+" read as "and"; apostrophes and dots dropped inside words
//     (O'Brien → obrien, S.A. → sa, L.L.C. → llc) and slashes between
//     single letters (A/S → as); every other punctuation
//     rune a space;
//  4. legal-form words dropped (inc, llc, ltd, gmbh, ag, sa, sarl, bv, nv,
//     plc, corp, co, pty, spa, oy, ab, …; see LegalForms), with a trailing
//     "and" left by "& Co", unless the name is nothing but such words;
//  5. white space collapsed to single spaces, trimmed.
func Normalise(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(norm.NFD.String(s))
	for i, r := range rs {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == '/' && singleLetterAt(rs, i-1, -1) && singleLetterAt(rs, i+1, 1):
			continue // A/S, S/A: one legal-form word
		case r == '&' || r == '+':
			b.WriteString(" and ")
			continue
		case r == '\'' || r == '’' || r == '`' || r == '.':
			continue
		}
		if spelled, ok := asciiLetters[r]; ok {
			b.WriteString(spelled)
			continue
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	kept := words[:0:0]
	for _, w := range words {
		if !LegalForms[w] {
			kept = append(kept, w)
		}
	}
	for len(kept) > 0 && kept[len(kept)-1] == "and" && len(kept) < len(words) {
		kept = kept[:len(kept)-1]
	}
	if len(kept) == 0 {
		kept = words
	}
	return strings.Join(kept, " ")
}

// singleLetterAt: rs[i] is a letter and the rune beyond it (in direction
// dir) is not a letter or digit.
func singleLetterAt(rs []rune, i, dir int) bool {
	if i < 0 || i >= len(rs) || !unicode.IsLetter(rs[i]) {
		return false
	}
	j := i + dir
	return j < 0 || j >= len(rs) || !(unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]))
}

// asciiLetters spells letters that have no decomposition.
var asciiLetters = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l",
	'đ': "d", 'Đ': "d", 'œ': "oe", 'Œ': "oe", 'þ': "th", 'Þ': "th", 'ı': "i", 'ð': "d", 'Ð': "d",
}

// LegalForms are the legal-form words Normalise drops (after dots are
// removed, so "S.A." is "sa" and "L.L.C." is "llc").
var LegalForms = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		inc incorporated llc llp lp lllp ltd limited corp corporation co company cos
		plc pty pte pvt gmbh mbh ag kg kgaa ohg ug ev se sa sas sarl sasu sca sl slu srl spa sapa snc
		bv nv vof cv oy oyj ab asa as aps kft zrt sro doo dd ad bhd sdn kk tbk lda ltda sacv cia
		holding holdings group`) {
		LegalForms[w] = true
	}
}
