package fuzzy

import (
	"container/heap"
	"math"
	"runtime"
	"sort"
	"sync"
)

// Candidate blocking. Scoring every left value against every right value
// is |L|·|R| scores (10^10 for 100k × 100k); an Index instead retrieves,
// for each query, the few right values that share rare features with it,
// and only those are scored exactly.
//
// Features are the value's distinct tokens and the character 3-grams of
// each token padded with a space at both ends ("acme" → " ac", "acm",
// "cme", "me "), so a typo leaves most of a word's features intact and a
// word-order change leaves them all. Each feature weighs its inverse
// document frequency, log(1 + N/df): rare tokens count most. A query adds
// up, per right value, the weights of the features they share, reading the
// features' postings rarest first and skipping features held by more than
// MaxPosting values (N/20, at least 200: too common to tell values apart) unless the rare ones found fewer than Candidates values. The
// candidates are the best Candidates values by Dice overlap
// (2·shared / (query + value weights))
// and the best Candidates by containment (shared / the smaller weight,
// what token_set rewards: a name whose words are a subset of the other's
// scores 100); they are scored exactly with the scorer.
//
// The bound: per query at most 2·Candidates exact scores, so 100k × 100k
// costs 100k · 2 · Candidates scores instead of 10^10. Recall is measured,
// not assumed: the tests compare the top match with RapidFuzz's
// brute-force extractOne.

// Defaults of SearchOptions.
const (
	DefaultCandidates = 48
	// widenBelow: a query whose best candidate scores less is searched
	// again over widenBy times as many candidates.
	widenBelow = 85
	widenBy    = 8
)

func best(ms []Match) float64 {
	b := -1.0
	for _, m := range ms {
		b = max(b, m.Score)
	}
	return b
}

// Index holds the right-hand values of a match.
type Index struct {
	Items    []*Prepared
	features map[string]int32
	postings [][]int32
	weight   []float64 // feature weight (idf)
	total    []float64 // per item: the sum of its features' weights
	// MaxPosting: features held by more items are read only when the
	// rarer ones found too few candidates.
	MaxPosting int
}

// features lists a prepared value's distinct features.
func featuresOf(p *Prepared, into map[string]struct{}) {
	for _, t := range p.set {
		into["w\x00"+t] = struct{}{}
		r := []rune(" " + t + " ")
		for i := 0; i+3 <= len(r); i++ {
			into[string(r[i:i+3])] = struct{}{}
		}
	}
}

// NewIndex indexes values (normalised already, when they should be).
func NewIndex(values []string) *Index {
	ix := &Index{features: map[string]int32{}}
	ix.Items = make([]*Prepared, len(values))
	feats := map[string]struct{}{}
	itemFeats := make([][]int32, len(values))
	for i, v := range values {
		p := Prepare(v)
		ix.Items[i] = p
		clear(feats)
		featuresOf(p, feats)
		for f := range feats {
			id, ok := ix.features[f]
			if !ok {
				id = int32(len(ix.postings))
				ix.features[f] = id
				ix.postings = append(ix.postings, nil)
			}
			ix.postings[id] = append(ix.postings[id], int32(i))
			itemFeats[i] = append(itemFeats[i], id)
		}
	}
	n := float64(len(values))
	ix.weight = make([]float64, len(ix.postings))
	for id, p := range ix.postings {
		ix.weight[id] = math.Log(1 + n/float64(len(p)))
	}
	ix.total = make([]float64, len(values))
	for i, fs := range itemFeats {
		for _, id := range fs {
			ix.total[i] += ix.weight[id]
		}
	}
	ix.MaxPosting = max(200, len(values)/20)
	return ix
}

// Match is one scored candidate: the index of the right value and its
// score.
type Match struct {
	Index int     `json:"index"`
	Score float64 `json:"score"`
}

// SearchOptions tune a search.
type SearchOptions struct {
	Scorer Scorer
	// Threshold: matches scoring less are dropped (0–100).
	Threshold float64
	// Top: how many matches to return per query (default 1).
	Top int
	// Candidates per ranking (default DefaultCandidates); ≤ 0 default.
	Candidates int
	// Exhaustive scores every item (no blocking): the reference.
	Exhaustive bool
}

// searcher is a query's reusable memory (one per goroutine).
type searcher struct {
	acc     []float64
	touched []int32
	feats   map[string]struct{}
	ids     []int32
	sc      Scratch
	marks   []bool
}

func (ix *Index) newSearcher() *searcher {
	return &searcher{acc: make([]float64, len(ix.Items)), marks: make([]bool, len(ix.Items)), feats: map[string]struct{}{}}
}

// Search returns the best matches of q, best first (ties: the earlier
// item first, as RapidFuzz's extractOne).
func (ix *Index) Search(q *Prepared, o SearchOptions) []Match {
	return ix.search(ix.newSearcher(), q, o, -1)
}

// candidates are the items to score exactly for q (self: an item to leave
// out, or −1).
func (ix *Index) candidates(s *searcher, q *Prepared, k int, self int) []int32 {
	clear(s.feats)
	featuresOf(q, s.feats)
	s.ids = s.ids[:0]
	qWeight := 0.0
	for f := range s.feats {
		if id, ok := ix.features[f]; ok {
			s.ids = append(s.ids, id)
			qWeight += ix.weight[id]
		}
	}
	// Unknown features weigh as the rarest (they count against Dice).
	qWeight += float64(len(s.feats)-len(s.ids)) * math.Log(1+float64(len(ix.Items)))
	sort.Slice(s.ids, func(a, b int) bool { return len(ix.postings[s.ids[a]]) < len(ix.postings[s.ids[b]]) })
	s.touched = s.touched[:0]
	for _, id := range s.ids {
		post := ix.postings[id]
		if len(post) > ix.MaxPosting && len(s.touched) >= k {
			break
		}
		w := ix.weight[id]
		for _, it := range post {
			if s.acc[it] == 0 {
				s.touched = append(s.touched, it)
			}
			s.acc[it] += w
		}
	}
	dice := &topHeap{}
	cont := &topHeap{}
	for _, it := range s.touched {
		if int(it) == self {
			continue
		}
		shared := s.acc[it]
		d := 2 * shared / (qWeight + ix.total[it])
		c := shared / math.Min(qWeight, ix.total[it])
		dice.offer(k, it, d)
		cont.offer(k, it, c)
	}
	for _, it := range s.touched {
		s.acc[it] = 0
	}
	out := make([]int32, 0, dice.Len()+cont.Len())
	for _, h := range []*topHeap{dice, cont} {
		for _, e := range h.items {
			if !s.marks[e.item] {
				s.marks[e.item] = true
				out = append(out, e.item)
			}
		}
	}
	for _, it := range out {
		s.marks[it] = false
	}
	return out
}

func (ix *Index) search(s *searcher, q *Prepared, o SearchOptions, self int) []Match {
	top := o.Top
	if top <= 0 {
		top = 1
	}
	scorer := o.Scorer
	if scorer == "" {
		scorer = ScorerTokenSet
	}
	var ms []Match
	consider := func(it int) {
		sc := s.sc.Score(scorer, q, ix.Items[it])
		if sc >= o.Threshold {
			ms = append(ms, Match{Index: it, Score: sc})
		}
	}
	if o.Exhaustive {
		for it := range ix.Items {
			if it != self {
				consider(it)
			}
		}
	} else {
		k := o.Candidates
		if k <= 0 {
			k = DefaultCandidates
		}
		cands := ix.candidates(s, q, k, self)
		for _, it := range cands {
			consider(int(it))
		}
		// A weak best (no near-duplicate found) is where the blocked
		// ranking and the scorer disagree most: widen the search once.
		if best(ms) < widenBelow && len(cands) < len(ix.Items) {
			seen := s.marks
			for _, it := range cands {
				seen[it] = true
			}
			for _, it := range ix.candidates(s, q, k*widenBy, self) {
				if !seen[it] {
					consider(int(it))
				}
			}
			for _, it := range cands {
				seen[it] = false
			}
		}
	}
	sort.Slice(ms, func(a, b int) bool {
		if ms[a].Score != ms[b].Score {
			return ms[a].Score > ms[b].Score
		}
		return ms[a].Index < ms[b].Index
	})
	if len(ms) > top {
		ms = ms[:top]
	}
	return ms
}

// SearchAll searches every query in parallel (one goroutine per CPU) and
// returns the matches per query, in the queries' order.
func (ix *Index) SearchAll(queries []string, o SearchOptions) [][]Match {
	out := make([][]Match, len(queries))
	ix.parallel(len(queries), func(s *searcher, i int) {
		out[i] = ix.search(s, Prepare(queries[i]), o, -1)
	})
	return out
}

// parallel runs f(i) for i in [0, n) on runtime.NumCPU() goroutines, each
// with its own searcher.
func (ix *Index) parallel(n int, f func(s *searcher, i int)) {
	workers := min(runtime.NumCPU(), max(1, n/64))
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := ix.newSearcher()
			for i := range next {
				f(s, i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// topHeap keeps the k best (item, key) pairs: a min-heap on key (ties: the
// later item is worse).
type topHeap struct{ items []topEntry }

type topEntry struct {
	item int32
	key  float64
}

func (h *topHeap) Len() int { return len(h.items) }
func (h *topHeap) Less(i, j int) bool {
	if h.items[i].key != h.items[j].key {
		return h.items[i].key < h.items[j].key
	}
	return h.items[i].item > h.items[j].item
}
func (h *topHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *topHeap) Push(x any)    { h.items = append(h.items, x.(topEntry)) }
func (h *topHeap) Pop() any {
	e := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return e
}

func (h *topHeap) offer(k int, item int32, key float64) {
	e := topEntry{item, key}
	if len(h.items) < k {
		heap.Push(h, e)
		return
	}
	w := h.items[0]
	if key > w.key || key == w.key && item < w.item {
		h.items[0] = e
		heap.Fix(h, 0)
	}
}

// SelfLinks searches every item against the others (never itself): the
// matches per item, for deduplication inside one list.
func (ix *Index) SelfLinks(o SearchOptions) [][]Match {
	out := make([][]Match, len(ix.Items))
	ix.parallel(len(ix.Items), func(s *searcher, i int) {
		out[i] = ix.search(s, ix.Items[i], o, i)
	})
	return out
}
