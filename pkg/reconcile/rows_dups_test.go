package reconcile

import (
	"fmt"
	"testing"
)

// The same-engine join proves keys unique from its own result (no
// grouping pass), so every way a key can repeat must still be reported:
// a repeated key present on one side only (a differing key holding two
// joined rows), a repeated key matched with identical values (the joined
// rows outnumber the keyed rows), and none at all. On the engines with and
// without FULL JOIN.
func TestRowsRepeatedKeysEveryShape(t *testing.T) {
	e := newRowsEnv(t, true, true)
	specs := []struct {
		name string
		l, r tableSpec
		on   bool
	}{{"duckdb", leftDuck, rightDuck, true}, {"postgres", leftPG, rightPG, e.pg}, {"mariadb", leftMy, rightMy, e.my}}
	for _, sp := range specs {
		if !sp.on {
			continue
		}
		t.Run(sp.name, func(t *testing.T) {
			for _, seed := range fxSeeds[:2] {
				// A key on the left only, held twice.
				f := genFixtureDup(seed, 200, false)
				if len(f.onlyLeft) == 0 {
					t.Fatalf("seed %d: no left-only key", seed)
				}
				for _, r := range f.left {
					if r.id != nil && *r.id == f.onlyLeft[0] {
						f.left = append(f.left, r)
						break
					}
				}
				f.dupLeft = 1
				res := e.check(f, e.load(sp.l, fxName(fmt.Sprintf("d1l%d", seed)), f.left), e.load(sp.r, fxName(fmt.Sprintf("d1r%d", seed)), f.right))
				if res.Method != "join" {
					t.Errorf("method %s", res.Method)
				}
				// A matched key held twice on the left with the same values
				// (genFixture's own duplicate), and both.
				g := genFixture(seed, 200)
				for _, r := range g.left {
					if r.id != nil && len(g.onlyLeft) > 0 && *r.id == g.onlyLeft[0] {
						g.left = append(g.left, r)
						g.dupLeft++
						break
					}
				}
				e.check(g, e.load(sp.l, fxName(fmt.Sprintf("d2l%d", seed)), g.left), e.load(sp.r, fxName(fmt.Sprintf("d2r%d", seed)), g.right))
			}
		})
	}
}
