package reconcile

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	d "github.com/databridge/databridge/pkg/dialect"
)

// Two engines: neither table is copied. Each side hashes the normalised
// text of its key (MD5, the same digits on every engine) and of its whole
// row; rows are put in segments by the first hex digits of their key
// hash — independent of collations and of gaps in the key — and each
// side reports, per segment, its rows, distinct keys and the sum of its
// row hashes. Segments that agree are done; segments that differ (or
// hold a duplicate key) are split 256 ways and compared again, until the
// rows of the differing segments are few enough to fetch, and those rows
// alone are compared here, value by value with the tolerances.

// FetchRows is the most rows of differing segments fetched at once; above
// it the segments are split further (a variable so that tests can force
// the descent through the levels on small tables).
var FetchRows = 50_000

// maxWidth is the deepest segmentation: 8 hex digits (4 billion segments).
const maxWidth = 8

// inChunk caps the prefixes listed in one IN (...).
const inChunk = 2000

type segStat struct {
	rows int64
	sum  decimal.Decimal
}

// hashSide is one side's expressions over its table.
type hashSide struct {
	*side
	keyParts, valParts []d.Expr
	// keyCols are the key columns; keyText whether the key is compared
	// as text (else its stored value is exact and groups as is).
	keyCols []string
	keyText []bool
	// hk is the key's hash, hx the row's (hex), hr the number read from
	// column hx.
	hk, hx, hr d.Expr
	keyed      d.Expr // no key column is NULL
	// intKey: the key is one integer column on both sides, segmented by
	// dialect.IntSegment (a number) instead of the hex digits of its
	// text's MD5 — one hash per row instead of two.
	intKey bool
}

func newHashSide(sd *side, p *plan, left bool) (*hashSide, error) {
	h := &hashSide{side: sd}
	pick := func(cp colPlan) (d.ColumnType, string) {
		if left {
			return cp.lt, cp.left
		}
		return cp.rt, cp.right
	}
	var notNull []d.Expr
	for _, k := range p.keys {
		t, n := pick(k)
		e, err := k.cmp.Normalise(sd.dialect, t, d.C(n))
		if err != nil {
			return nil, fmt.Errorf("%s key %s: %w", sd.ref, k.name, err)
		}
		h.keyParts = append(h.keyParts, e)
		h.keyCols = append(h.keyCols, n)
		h.keyText = append(h.keyText, !(k.cmp.Identity() && t.Kind != d.NormText))
		notNull = append(notNull, &d.IsNull{X: d.C(n), Not: true})
	}
	for _, v := range p.vals {
		t, n := pick(v)
		e, err := v.cmp.Normalise(sd.dialect, t, d.C(n))
		if err != nil {
			return nil, fmt.Errorf("%s column %s: %w", sd.ref, v.name, err)
		}
		h.valParts = append(h.valParts, e)
	}
	var err error
	if len(p.keys) == 1 && p.keys[0].lt.Kind == d.NormInt && p.keys[0].rt.Kind == d.NormInt {
		h.intKey = true
		_, n := pick(p.keys[0])
		if h.hk, err = d.IntSegment(sd.dialect, d.C(n)); err != nil {
			return nil, fmt.Errorf("%s: %w", sd.ref, err)
		}
	} else if h.hk, err = d.HashHex(sd.dialect, d.ConcatNormalised(h.keyParts)); err != nil {
		return nil, fmt.Errorf("%s: %w", sd.ref, err)
	}
	row, err := d.HashHex(sd.dialect, d.ConcatNormalised(append(append([]d.Expr{}, h.keyParts...), h.valParts...)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sd.ref, err)
	}
	h.hx = row
	// The number is read from the hash's column one level up, so that
	// an engine reading it in pieces (PostgreSQL's bytes) hashes once.
	if h.hr, err = d.HashNumber(sd.dialect, d.C("hx")); err != nil {
		return nil, fmt.Errorf("%s: %w", sd.ref, err)
	}
	h.keyed = d.And(notNull...)
	return h, nil
}

func (h *hashSide) query(ctx context.Context, q d.Query) ([][]any, error) {
	sql, err := d.Render(h.dialect, &d.QueryStmt{Query: q})
	if err != nil {
		return nil, err
	}
	if debugSQL != "" {
		f, _ := os.OpenFile(debugSQL+".segments."+h.dialect+".sql", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		fmt.Fprintf(f, "%s;\n\n", sql)
		f.Close()
	}
	start := time.Now()
	res, err := h.c.Query(ctx, sql, longQuery)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", h.ref, err)
	}
	if debugSQL != "" {
		f, _ := os.OpenFile(debugSQL+".segments."+h.dialect+".sql", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		fmt.Fprintf(f, "-- took %s, %d rows\n\n", time.Since(start), len(res.Rows))
		f.Close()
	}
	return res.Rows, nil
}

// counts: all rows and rows with a NULL key column.
func (h *hashSide) counts(ctx context.Context) (rows, nullKeys int64, err error) {
	q := &d.Select{From: d.Table{Name: h.table}, Where: h.where, Columns: []d.SelectItem{
		d.As(d.F("COUNT"), "n"),
		d.As(sumIf(&d.Unary{Op: "NOT", X: &d.Paren{X: h.keyed}}), "nk"),
	}}
	out, err := h.query(ctx, q)
	if err != nil {
		return 0, 0, err
	}
	return rowCount(out[0][0]), rowCount(out[0][1]), nil
}

// prefix is the segment of width w of a key hash x: its first w hex
// digits, or for an integer key's segment number its residue modulo 16^w.
func (h *hashSide) prefix(x d.Expr, w int) d.Expr {
	if h.intKey {
		return d.F("MOD", x, d.I(int64(1)<<(4*w)))
	}
	return d.F("SUBSTR", x, d.I(1), d.I(int64(w)))
}

// segLits are segment names as literals of the prefix's type.
func (h *hashSide) segLits(xs []string) []d.Expr {
	out := make([]d.Expr, len(xs))
	for i, x := range xs {
		if h.intKey {
			n, _ := strconv.ParseInt(x, 10, 64)
			out[i] = d.I(n)
		} else {
			out[i] = d.S(x)
		}
	}
	return out
}

// segAt is the segment of width w of a key hash listed by dupHashes.
func (h *hashSide) segAt(hash string, w int) string {
	if h.intKey {
		n, _ := strconv.ParseInt(hash, 10, 64)
		return strconv.FormatInt(n%(int64(1)<<(4*w)), 10)
	}
	return hash[:w]
}

// base is the side's keyed rows with their hashes (and, for fetching,
// their normalised values).
func (h *hashSide) base(values bool) *d.Select {
	sel := &d.Select{From: d.Table{Name: h.table}, Where: d.And(h.where, h.keyed), Columns: []d.SelectItem{d.As(h.hk, "hk")}}
	if !values {
		sel.Columns = append(sel.Columns, d.As(h.hx, "hx"))
		if d.Capabilities(h.dialect).HexNumber == d.HexBytes {
			// PostgreSQL would pull the subquery up and hash once per
			// byte read; a LIMIT keeps it a subquery.
			sel.Limit = math.MaxInt64
		}
		return &d.Select{From: d.Subquery{Query: sel, Alias: "a"}, Columns: []d.SelectItem{d.As(d.C("hk"), "hk"), d.As(h.hr, "hr")}}
	}
	for i, k := range h.keyParts {
		sel.Columns = append(sel.Columns, d.As(k, kname(i)))
	}
	for i, v := range h.valParts {
		sel.Columns = append(sel.Columns, d.As(v, vname(i)))
	}
	return sel
}

// segments reports the side's segments of width w among those starting
// with one of within (of width w0; all when within is nil).
func (h *hashSide) segments(ctx context.Context, w, w0 int, within []string) (map[string]segStat, error) {
	out := map[string]segStat{}
	run := func(list []string) error {
		hk := d.C("hk")
		q := &d.Select{From: d.Subquery{Query: h.base(false), Alias: "b"}, Columns: []d.SelectItem{
			d.As(h.prefix(hk, w), "p"),
			d.As(d.F("COUNT"), "n"),
			d.As(d.F("SUM", d.C("hr")), "h"),
		}, GroupBy: []d.Expr{h.prefix(hk, w)}}
		if list != nil {
			q.Where = &d.In{X: h.prefix(hk, w0), List: h.segLits(list)}
		}
		rows, err := h.query(ctx, q)
		if err != nil {
			return err
		}
		for _, r := range rows {
			sum, _ := decimalOf(r[2])
			out[fmt.Sprint(rowCell(r[0]))] = segStat{rows: rowCount(r[1]), sum: sum}
		}
		return nil
	}
	if within == nil {
		return out, run(nil)
	}
	for start := 0; start < len(within); start += inChunk {
		if err := run(within[start:min(start+inChunk, len(within))]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fetched is one fetched row: its normalised key parts and values.
type fetched struct {
	key  []any
	vals []any
}

func (h *hashSide) fetch(ctx context.Context, w int, prefixes []string) (map[string][]fetched, int64, error) {
	out := map[string][]fetched{}
	var n int64
	for start := 0; start < len(prefixes); start += inChunk {
		list := prefixes[start:min(start+inChunk, len(prefixes))]
		q := &d.Select{From: d.Subquery{Query: h.base(true), Alias: "b"}, Columns: []d.SelectItem{{Expr: d.Star{}}},
			Where: &d.In{X: h.prefix(d.C("hk"), w), List: h.segLits(list)}}
		rows, err := h.query(ctx, q)
		if err != nil {
			return nil, 0, err
		}
		nk := len(h.keyParts)
		for _, r := range rows {
			f := fetched{key: make([]any, nk), vals: make([]any, len(r)-1-nk)}
			for i := range f.key {
				f.key[i] = rowCell(r[1+i])
			}
			for i := range f.vals {
				f.vals[i] = rowCell(r[1+nk+i])
			}
			id := fmt.Sprint(rowCell(r[0])) + "\x00" + keyString(f.key)
			out[id] = append(out[id], f)
			n++
		}
	}
	return out, n, nil
}

func keyString(k []any) string {
	parts := make([]string, len(k))
	for i, v := range k {
		if v == nil {
			parts[i] = d.NullMark
		} else {
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, d.FieldSep)
}

// startWidth is the first level's segment width for a table of n rows:
// about 64 rows a segment, between 256 and 65,536 segments. Fine first
// segments cost little more to list than coarse ones (one scan either
// way) and usually make the rows of the differing ones few enough to
// fetch at once, where coarse ones need a second full scan per level.
func startWidth(n int64) int {
	w := 2
	for w < 4 && int64(1)<<(4*w) < n/64 {
		w++
	}
	return w
}

// both runs f on the two sides at once.
func both[T any](f func(h *hashSide) (T, error), l, r *hashSide) (T, T, error) {
	var lv, rv T
	var le, re error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); lv, le = f(l) }()
	go func() { defer wg.Done(); rv, re = f(r) }()
	wg.Wait()
	if le != nil {
		return lv, rv, le
	}
	return lv, rv, re
}

func segmentRows(ctx context.Context, ls, rs *side, p *plan, res *RowsResult) (RowDetails, error) {
	l, err := newHashSide(ls, p, true)
	if err != nil {
		return RowDetails{}, err
	}
	r, err := newHashSide(rs, p, false)
	if err != nil {
		return RowDetails{}, err
	}
	type cnt struct{ rows, nulls int64 }
	lc, rc, err := both(func(h *hashSide) (cnt, error) {
		a, b, err := h.counts(ctx)
		return cnt{a, b}, err
	}, l, r)
	if err != nil {
		return RowDetails{}, err
	}
	res.Summary = RowsSummary{LeftRows: lc.rows, RightRows: rc.rows, NullKeysLeft: lc.nulls, NullKeysRight: rc.nulls}
	// Duplicated keys of either side: their segments are always fetched
	// (so a key duplicated alike on both sides cannot hide in a matching
	// checksum) and counted there. A side whose engine enforces a
	// declared key on the key columns has none to look for.
	ld, rd, err := both(func(h *hashSide) ([]string, error) {
		if h.keyUnique(h.keyCols) {
			return nil, nil
		}
		return h.dupHashes(ctx)
	}, l, r)
	if err != nil {
		return RowDetails{}, err
	}
	dups := append(ld, rd...)
	stats := &SegmentStats{}
	res.Segments = stats

	// Descend through the segment levels.
	var within []string
	w0, w := 0, startWidth(max(lc.rows, rc.rows))
	var matchedEqual int64 // keys in agreeing segments
	var differing []string
	for {
		lseg, rseg, err := both(func(h *hashSide) (map[string]segStat, error) { return h.segments(ctx, w, w0, within) }, l, r)
		if err != nil {
			return RowDetails{}, err
		}
		stats.Levels++
		dupSeg := map[string]bool{}
		for _, h := range dups {
			dupSeg[l.segAt(h, w)] = true
		}
		all := map[string]bool{}
		for k := range lseg {
			all[k] = true
		}
		for k := range rseg {
			all[k] = true
		}
		differing = differing[:0]
		var rows int64
		for k := range all {
			stats.Compared++
			a, b := lseg[k], rseg[k]
			if a.rows == b.rows && a.sum.Equal(b.sum) && !dupSeg[k] {
				matchedEqual += a.rows
				continue
			}
			differing = append(differing, k)
			rows += max(a.rows, b.rows)
		}
		sort.Strings(differing)
		if len(differing) == 0 || rows <= int64(FetchRows) || w >= maxWidth {
			break
		}
		within, w0, w = append([]string{}, differing...), w, min(w+2, maxWidth)
	}
	stats.Differing = len(differing)
	res.Summary.Matched = matchedEqual
	res.Columns = []ColumnDiff{}
	maxDiff := make([]*decimal.Decimal, len(p.vals))
	if matchedEqual > 0 {
		for i, v := range p.vals {
			if v.cmp.Numeric {
				z := decimal.Zero
				maxDiff[i] = &z
			}
		}
	}
	det := emptyDetails()
	unequal := make([]int64, len(p.vals))
	nullMM := make([]int64, len(p.vals))
	if len(differing) > 0 {
		lrows, rrows, err := both(func(h *hashSide) (map[string][]fetched, error) {
			m, _, err := h.fetch(ctx, w, differing)
			return m, err
		}, l, r)
		if err != nil {
			return RowDetails{}, err
		}
		for _, m := range []map[string][]fetched{lrows, rrows} {
			for _, v := range m {
				stats.RowsFetched += int64(len(v))
			}
		}
		diffRows(p, lrows, rrows, res, &det, unequal, nullMM, maxDiff)
	}
	for i, v := range p.vals {
		cd := ColumnDiff{Name: v.name, Compared: v.describe(), Tolerance: v.tol.String(), Unequal: unequal[i], NullMismatches: nullMM[i]}
		if maxDiff[i] != nil {
			cd.MaxAbsDiff = fixed(*maxDiff[i], v.cmp.Scale)
		}
		res.Columns = append(res.Columns, cd)
	}
	sortDetails(&det)
	sm := res.Summary
	det.Truncated = int64(len(det.OnlyLeft)) < sm.OnlyLeft || int64(len(det.OnlyRight)) < sm.OnlyRight || int64(len(det.Changed)) < sm.Changed
	return det, nil
}

// diffRows compares the fetched rows of the differing segments.
func diffRows(p *plan, lrows, rrows map[string][]fetched, res *RowsResult, det *RowDetails, unequal, nullMM []int64, maxDiff []*decimal.Decimal) {
	sm := &res.Summary
	keyMap := func(k []any) map[string]any {
		m := map[string]any{}
		for i, kp := range p.keys {
			m[kp.name] = k[i]
		}
		return m
	}
	valMap := func(v []any) map[string]any {
		m := map[string]any{}
		for i, vp := range p.vals {
			m[vp.name] = v[i]
		}
		return m
	}
	for id, lv := range lrows {
		rv := rrows[id]
		if len(lv) > 1 {
			sm.DuplicateKeysLeft++
		}
		if len(rv) > 1 {
			sm.DuplicateKeysRight++
		}
		switch {
		case len(rv) == 0:
			sm.OnlyLeft++
			if len(det.OnlyLeft) < DetailCap {
				det.OnlyLeft = append(det.OnlyLeft, KeyedRow{Key: keyMap(lv[0].key), Values: valMap(lv[0].vals)})
			}
		case len(lv) == 1 && len(rv) == 1:
			sm.Matched++
			ch := ChangedRow{Key: keyMap(lv[0].key), Columns: []ValuePair{}}
			for i, vp := range p.vals {
				a, b := lv[0].vals[i], rv[0].vals[i]
				if (a == nil) != (b == nil) {
					nullMM[i]++
				}
				var diff *decimal.Decimal
				if vp.cmp.Numeric && a != nil && b != nil {
					x, ok1 := decimalOf(a)
					y, ok2 := decimalOf(b)
					if ok1 && ok2 {
						dd := x.Sub(y).Abs()
						diff = &dd
						if maxDiff[i] == nil || dd.GreaterThan(*maxDiff[i]) {
							maxDiff[i] = &dd
						}
					}
				}
				if valuesDiffer(vp, a, b, diff) {
					unequal[i]++
					ch.Columns = append(ch.Columns, ValuePair{Name: vp.name, Left: a, Right: b})
				}
			}
			if len(ch.Columns) > 0 {
				sm.Changed++
				if len(det.Changed) < DetailCap {
					det.Changed = append(det.Changed, ch)
				}
			}
		}
	}
	for id, rv := range rrows {
		if _, ok := lrows[id]; ok {
			continue
		}
		if len(rv) > 1 {
			sm.DuplicateKeysRight++
		}
		sm.OnlyRight++
		if len(det.OnlyRight) < DetailCap {
			det.OnlyRight = append(det.OnlyRight, KeyedRow{Key: keyMap(rv[0].key), Values: valMap(rv[0].vals)})
		}
	}
}

func valuesDiffer(vp colPlan, a, b any, diff *decimal.Decimal) bool {
	if a == nil || b == nil {
		return (a == nil) != (b == nil)
	}
	if diff != nil {
		if diff.IsZero() {
			return false
		}
		if vp.tol == nil {
			return true
		}
		bound := vp.tol.v
		if vp.tol.rel {
			x, _ := decimalOf(a)
			y, _ := decimalOf(b)
			bound = bound.Mul(decimal.Max(x.Abs(), y.Abs()))
		}
		return diff.GreaterThan(bound)
	}
	return fmt.Sprint(a) != fmt.Sprint(b)
}

func sortDetails(det *RowDetails) {
	less := func(a, b map[string]any) bool { return fmt.Sprint(sortedVals(a)) < fmt.Sprint(sortedVals(b)) }
	sort.Slice(det.OnlyLeft, func(i, j int) bool { return less(det.OnlyLeft[i].Key, det.OnlyLeft[j].Key) })
	sort.Slice(det.OnlyRight, func(i, j int) bool { return less(det.OnlyRight[i].Key, det.OnlyRight[j].Key) })
	sort.Slice(det.Changed, func(i, j int) bool { return less(det.Changed[i].Key, det.Changed[j].Key) })
}

func sortedVals(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = fmt.Sprint(m[k])
	}
	return out
}

// maxDupKeys caps the duplicated keys listed per side.
const maxDupKeys = 100_000

// dupHashes lists the key hashes of the side's duplicated keys: the keys
// grouped by their exact normalised text in the engine, hashed here as
// the engine hashes them (MD5 of the parts joined by FieldSep).
func (h *hashSide) dupHashes(ctx context.Context) ([]string, error) {
	sel := &d.Select{From: d.Table{Name: h.table}, Where: d.And(h.where, h.keyed), Having: cmpOp(">", d.F("COUNT"), d.I(1)), Limit: maxDupKeys}
	for i, k := range h.keyParts {
		if h.keyText[i] {
			e := &d.ExactText{X: k}
			sel.Columns = append(sel.Columns, d.As(e, kname(i)))
			sel.GroupBy = append(sel.GroupBy, e)
			continue
		}
		// An integer, decimal or date key groups as stored (cheaper than
		// its text); its normalised text is a function of it.
		sel.Columns = append(sel.Columns, d.As(k, kname(i)))
		sel.GroupBy = append(sel.GroupBy, d.C(h.keyCols[i]))
	}
	rows, err := h.query(ctx, sel)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		parts := make([]string, len(r))
		for i, v := range r {
			if c := rowCell(v); c == nil {
				parts[i] = d.NullMark
			} else {
				parts[i] = fmt.Sprint(c)
			}
		}
		if h.intKey {
			k, err := decimal.NewFromString(parts[0])
			if err != nil || !k.IsInteger() {
				return nil, fmt.Errorf("%s: duplicated integer key %q is not an integer", h.ref, parts[0])
			}
			out = append(out, strconv.FormatInt(d.GoIntSegment(k.IntPart()), 10))
			continue
		}
		sum := md5.Sum([]byte(strings.Join(parts, d.FieldSep)))
		out = append(out, hex.EncodeToString(sum[:]))
	}
	return out, nil
}
