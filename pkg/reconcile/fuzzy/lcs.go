package fuzzy

import "math/bits"

// The length of the longest common subsequence (LCS) of two rune slices,
// computed bit-parallel (Hyyrö 2004; Allison and Dix 1986): the pattern's
// positions of each rune are a bit mask, and one pass over the text updates
// a vector of ⌈len(pattern)/64⌉ words with an addition, an or and a
// subtraction per rune. The Indel distance (insertions and deletions only)
// of two strings is len(a)+len(b)−2·LCS(a,b); RapidFuzz's ratio is its
// normalised similarity.
//
// github.com/hbollon/go-edlib's LCS defines the same quantity with the
// textbook (n+1)×(m+1) table; the tests check this one against it.

// pattern is the bit masks of a pattern: for each rune, the positions it
// occupies (bit i of word i/64 ↔ pattern[i]).
type pattern struct {
	n     int
	words int
	set   []rune        // the runes < 256 whose masks are set
	ascii [][256]uint64 // [word][rune] for runes < 256
	other map[rune][]uint64
}

// reset prepares p for runes r, reusing its memory.
func (p *pattern) reset(r []rune) {
	// Clear the previous masks of the runes that were set.
	for _, c := range p.set {
		for w := 0; w < p.words; w++ {
			p.ascii[w][c] = 0
		}
	}
	p.set = p.set[:0]
	for k := range p.other {
		delete(p.other, k)
	}
	p.n = len(r)
	p.words = (len(r) + 63) / 64
	for len(p.ascii) < p.words {
		p.ascii = append(p.ascii, [256]uint64{})
	}
	for i, c := range r {
		w, b := i/64, uint(i%64)
		if c < 256 {
			if p.ascii[w][c] == 0 {
				p.set = append(p.set, c)
			}
			p.ascii[w][c] |= 1 << b
			continue
		}
		if p.other == nil {
			p.other = map[rune][]uint64{}
		}
		m := p.other[c]
		if m == nil {
			m = make([]uint64, p.words)
			p.other[c] = m
		}
		m[w] |= 1 << b
	}
}

// mask is the positions of c in word w.
func (p *pattern) mask(w int, c rune) uint64 {
	if c < 256 {
		return p.ascii[w][c]
	}
	if m, ok := p.other[c]; ok {
		return m[w]
	}
	return 0
}

// has reports whether c occurs in the pattern.
func (p *pattern) has(c rune) bool {
	for w := 0; w < p.words; w++ {
		if p.mask(w, c) != 0 {
			return true
		}
	}
	return false
}

// lcsState is the running bit vector of one pass.
type lcsState struct {
	v []uint64
}

func (s *lcsState) start(words int) {
	if cap(s.v) < words {
		s.v = make([]uint64, words)
	}
	s.v = s.v[:words]
	for i := range s.v {
		s.v[i] = ^uint64(0)
	}
}

// step consumes one rune of the text.
func (s *lcsState) step(p *pattern, c rune) {
	if p.words == 1 {
		v := s.v[0]
		u := v & p.mask(0, c)
		s.v[0] = (v + u) | (v - u)
		return
	}
	var carry uint64
	for w := range s.v {
		v := s.v[w]
		u := v & p.mask(w, c)
		sum, c2 := bits.Add64(v, u, carry)
		carry = c2
		s.v[w] = sum | (v - u)
	}
}

// length is the LCS of the pattern and the text consumed so far.
func (s *lcsState) length(p *pattern) int {
	n := 0
	for w, v := range s.v {
		z := ^v
		if w == p.words-1 && p.n%64 != 0 {
			z &= (uint64(1) << uint(p.n%64)) - 1
		}
		n += bits.OnesCount64(z)
	}
	return n
}

// Scratch is reusable memory for scoring; one per goroutine. The zero value
// is ready to use.
type Scratch struct {
	p, q   pattern
	st     lcsState
	ra, rb []rune
}

// lcs is LCS(a, b) (a is the pattern; pass the shorter one for speed).
func (sc *Scratch) lcs(a, b []rune) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	sc.p.reset(a)
	if sc.p.words == 1 {
		return lcs1(&sc.p, b)
	}
	sc.st.start(sc.p.words)
	for _, c := range b {
		sc.st.step(&sc.p, c)
	}
	return sc.st.length(&sc.p)
}

// indel is the Indel distance of a and b.
func (sc *Scratch) indel(a, b []rune) int { return len(a) + len(b) - 2*sc.lcs(a, b) }

// lcs1 is the LCS for a pattern of at most 64 runes.
func lcs1(p *pattern, text []rune) int {
	tab := &p.ascii[0]
	v := ^uint64(0)
	for _, c := range text {
		var m uint64
		if c < 256 {
			m = tab[c]
		} else if o, ok := p.other[c]; ok {
			m = o[0]
		}
		u := v & m
		v = (v + u) | (v - u)
	}
	z := ^v
	if p.n < 64 {
		z &= (uint64(1) << uint(p.n)) - 1
	}
	return bits.OnesCount64(z)
}
