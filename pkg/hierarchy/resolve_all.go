package hierarchy

import (
	"runtime"
	"sync"
)

// ResolveAll resolves many codes of one column, spreading the work over the
// machine's cores (the Resolver is read-only after NewResolver, so it is
// safe to share). out[i] is the resolution of codes[i].
func (r *Resolver) ResolveAll(column string, codes []string) []Resolution {
	out := make([]Resolution, len(codes))
	workers := runtime.GOMAXPROCS(0)
	if workers > 16 {
		workers = 16
	}
	const minChunk = 4096
	if workers < 2 || len(codes) < 2*minChunk {
		for i, c := range codes {
			out[i] = r.Resolve(column, c)
		}
		return out
	}
	chunk := (len(codes) + workers - 1) / workers
	var wg sync.WaitGroup
	for start := 0; start < len(codes); start += chunk {
		end := min(start+chunk, len(codes))
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				out[i] = r.Resolve(column, codes[i])
			}
		}(start, end)
	}
	wg.Wait()
	return out
}
