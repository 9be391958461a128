package semantic

// Key (grain) inference. Single columns first: a column whose profile has
// no nulls and as many distinct values as rows is a candidate, confirmed
// on full data when the profile was sampled (one COUNT(DISTINCT) query for
// all candidates). Only when no single column is a key are pairs tried,
// and triples only when no pair is: columns that can be part of a grain
// (integers, short text, dates; not amounts, floats, booleans or free
// text), combinations whose product of distinct counts reaches the row
// count, most plausible first, each confirmed by a duplicate check on full
// data (GROUP BY ... HAVING COUNT(*) > 1). Supersets of a key found are
// never tried. Every candidate is scored by name, position, type, width
// and (for combinations) how tightly the distinct counts fit the rows.

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/model"
)

const (
	// kyMaxComposite bounds how many columns take part in the composite
	// search (the most plausible ones).
	kyMaxComposite = 8
	// kyMaxChecks bounds the duplicate checks per width.
	kyMaxChecks = 12
	// kyMaxFound stops a width once this many keys were confirmed.
	kyMaxFound = 3
	// kyDeclaredScore ranks a declared primary key above any inferred one.
	kyDeclaredScore = 10
	// kySmallTable: tables up to this many rows get kyMaxChecksSmall
	// duplicate checks per width (each is one cheap GROUP BY).
	kySmallTable     = 500_000
	kyMaxChecksSmall = 60
	// kyMaxCompositeSmall and kyMaxFoundSmall widen the composite search
	// on small tables.
	kyMaxCompositeSmall = 20
	kyMaxFoundSmall     = 12
	// kyDocBonus favours a composite grain holding a document or line
	// number (ticket_number, line_no) over one of references and dates
	// that happens to be unique on a small table.
	kyDocBonus = 0.08
	// kyDescriptivePenalty lowers a name or description column below any
	// code-like candidate.
	kyDescriptivePenalty = 0.35
)

// kyWeakSingle: a unique column that is a key only when nothing better
// is — a name or description, or a date without a key-like name (44
// customers may well have 44 different signup dates).
func kyWeakSingle(tp *TableProfile, prefix string, c *ColumnProfile) bool {
	if kyDescriptive(rlStrip(c.Name, prefix)) || c.Pattern == "text" {
		return true // a name, or words with spaces
	}
	if k := pfKindOf(c.Type); k == pfDate || k == pfTimestamp || c.Temporal {
		n, _ := kyNameScore(tp, prefix, c.Name)
		return n < 0.5
	}
	return false
}

// kyDescriptiveWords end the names of columns that describe a member
// rather than identify it.
var kyDescriptiveWords = []string{"name", "description", "desc", "title", "label", "email", "comment", "comments", "note", "notes", "remark", "remarks", "text"}

// kyDescriptive: is the (prefix-stripped) column name a name or
// description (product_name, ProductName, p_productname, title)?
func kyDescriptive(name string) bool {
	return kyEndsWithWord(name, kyDescriptiveWords, "text", "desc")
}

// kyEndsWithWord: does the name's last word equal one of words, or end
// with one run together (productname), unless that word is in exact
// (too short or common to find inside another word)?
func kyEndsWithWord(name string, words []string, exact ...string) bool {
	toks := kyTokens(name)
	if len(toks) == 0 {
		return false
	}
	last := toks[len(toks)-1]
	for _, w := range words {
		if last == w {
			return true
		}
		if len(last) > len(w)+2 && strings.HasSuffix(last, w) && !slices.Contains(exact, w) {
			return true
		}
	}
	return false
}

// FindKeys returns the unique column combinations of a profiled table,
// best first: the first is the suggested primary key (grain). A declared
// primary key is a fact (confidence 1) and comes first. Uniqueness is
// always confirmed on full data.
func FindKeys(ctx context.Context, conn connector.Connector, tp *TableProfile, opts Options) ([]KeyCandidate, error) {
	opts = pfOptions(opts)
	s := &pfSQL{d: conn.Dialect()}
	from := s.table(tp.Schema, tp.Name)
	var out []KeyCandidate
	if len(tp.DeclaredPK) > 0 {
		out = append(out, KeyCandidate{
			Columns: append([]string(nil), tp.DeclaredPK...),
			Score:   kyDeclaredScore,
			Inference: model.Inference{Confidence: 1, Evidence: []model.Evidence{{
				Rule:   "declared_primary_key",
				Detail: fmt.Sprintf("the engine records primary key (%s) on %s", strings.Join(tp.DeclaredPK, ", "), tp.Name),
			}}},
		})
	}
	if tp.Rows == 0 || len(tp.Columns) == 0 {
		return out, nil
	}
	prefix := rlTablePrefix(tp)
	declared := func(cols []string) bool {
		return len(tp.DeclaredPK) > 0 && kySameSet(cols, tp.DeclaredPK)
	}

	// Singles.
	var singles []*ColumnProfile
	for i := range tp.Columns {
		c := &tp.Columns[i]
		if c.Nulls == 0 && c.Rows > 0 && c.Distinct == c.Rows && kySingleOK(c) {
			singles = append(singles, c)
		}
	}
	if tp.Sampled > 0 && len(singles) > 0 {
		// Confirm on full data: COUNT(DISTINCT c) = COUNT(c) = COUNT(*).
		sel := &dialect.Select{From: dialect.Table{Name: s.name(tp.Schema, tp.Name)}}
		add := func(e dialect.Expr) {
			sel.Columns = append(sel.Columns, dialect.As(e, "a"+strconv.Itoa(len(sel.Columns))))
		}
		add(countAll())
		for _, c := range singles {
			add(count(dialect.C(c.Name)))
			add(countDistinct(dialect.C(c.Name)))
		}
		row, err := kyOneRow(ctx, conn, s, sel)
		if err != nil {
			return nil, fmt.Errorf("keys %s: confirm unique columns: %w", from, err)
		}
		total := pfInt64(row[0])
		var kept []*ColumnProfile
		for i, c := range singles {
			if pfInt64(row[1+2*i]) == total && pfInt64(row[2+2*i]) == total {
				kept = append(kept, c)
			}
		}
		singles = kept
	}
	for _, c := range singles {
		if declared([]string{c.Name}) {
			continue
		}
		k := kyScore(tp, prefix, []*ColumnProfile{c})
		k.Evidence = append([]model.Evidence{{
			Rule: "unique_column",
			Detail: fmt.Sprintf("%s: %d distinct values and 0 nulls in %d rows (%s)", c.Name, tp.Rows, tp.Rows,
				kyDataNote(tp)),
		}}, k.Evidence...)
		out = append(out, k)
	}

	// Combinations, only when no single column (inferred or declared) is
	// a key — a unique name or description does not count: it is a key
	// only when nothing better is (a product's name is unique, its
	// grain is the code, possibly composite).
	strong := 0
	for _, c := range singles {
		if !kyWeakSingle(tp, prefix, c) {
			strong++
		}
	}
	if strong == 0 && len(tp.DeclaredPK) == 0 && opts.MaxKeyColumns >= 2 && tp.Rows > 1 {
		var pool []*ColumnProfile
		for i := range tp.Columns {
			c := &tp.Columns[i]
			if c.Nulls == 0 && c.Distinct > 1 && kyCompositeOK(c) {
				pool = append(pool, c)
			}
		}
		sort.SliceStable(pool, func(a, b int) bool {
			return kyColumnPlausibility(tp, prefix, pool[a]) > kyColumnPlausibility(tp, prefix, pool[b])
		})
		maxPool, maxFound := kyMaxComposite, kyMaxFound
		if tp.Rows <= kySmallTable {
			// Small tables: checks are cheap, and a wide fact's document
			// number may sit after a dozen references.
			maxPool, maxFound = kyMaxCompositeSmall, kyMaxFoundSmall
		}
		if len(pool) > maxPool {
			pool = pool[:maxPool]
		}
		maxWidth := opts.MaxKeyColumns
		if tp.Rows <= kySmallTable && maxWidth == 3 {
			// A small table may be keyed by four columns (a period, a
			// cost center, an account and a scenario: a budget's grain)
			// when no three are.
			maxWidth = 4
		}
		var found [][]*ColumnProfile
		for width := 2; width <= maxWidth && width <= len(pool) && len(found) == 0; width++ {
			var cands []KeyCandidate
			var sets [][]*ColumnProfile
			kyCombinations(len(pool), width, func(idx []int) {
				set := make([]*ColumnProfile, len(idx))
				product := 1.0
				for i, j := range idx {
					set[i] = pool[j]
					product *= float64(pool[j].Distinct)
				}
				// Columns in table order.
				sort.SliceStable(set, func(a, b int) bool { return set[a].Position < set[b].Position })
				// Unique on full data ⇒ unique on the profiled rows ⇒
				// the product of their distinct counts reaches them.
				if product < float64(set[0].Rows) {
					return
				}
				sets = append(sets, set)
				cands = append(cands, kyScore(tp, prefix, set))
			})
			order := make([]int, len(cands))
			for i := range order {
				order[i] = i
			}
			sort.SliceStable(order, func(a, b int) bool { return cands[order[a]].Score > cands[order[b]].Score })
			checks, hits := 0, 0
			maxChecks := kyMaxChecks
			if tp.Rows <= kySmallTable {
				maxChecks = kyMaxChecksSmall
			}
			for _, i := range order {
				if checks >= maxChecks || hits >= maxFound {
					break
				}
				checks++
				dups, nulls, err := kyDuplicateCheck(ctx, conn, s, s.name(tp.Schema, tp.Name), cands[i].Columns)
				if err != nil {
					return nil, fmt.Errorf("keys %s: duplicate check (%s): %w", from, strings.Join(cands[i].Columns, ", "), err)
				}
				if dups > 0 || nulls > 0 {
					continue
				}
				hits++
				found = append(found, sets[i])
				k := cands[i]
				product := int64(1)
				for _, c := range sets[i] {
					product *= c.Distinct
				}
				k.Evidence = append([]model.Evidence{{
					Rule: "unique_combination",
					Detail: fmt.Sprintf("(%s): 0 duplicate groups and 0 nulls among %d rows (GROUP BY ... HAVING COUNT(*) > 1 on full data); product of distinct counts %d ≥ %d profiled rows",
						strings.Join(k.Columns, ", "), tp.Rows, product, sets[i][0].Rows),
				}}, k.Evidence...)
				out = append(out, k)
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Score != out[b].Score {
			return out[a].Score > out[b].Score
		}
		return len(out[a].Columns) < len(out[b].Columns)
	})
	return out, nil
}

func kyDataNote(tp *TableProfile) string {
	if tp.Sampled > 0 {
		return fmt.Sprintf("confirmed on full data; the profile sampled %d rows", tp.Sampled)
	}
	return "full data"
}

// kySingleOK: a single column can be a key unless it is an amount, a
// float, a boolean, free text or an opaque type.
func kySingleOK(c *ColumnProfile) bool {
	switch pfKindOf(c.Type) {
	case pfFloat, pfDecimal, pfBool, pfOther:
		return false
	}
	return c.Class != "free_text" && c.Class != "boolean"
}

// kyCompositeOK: a column can take part in a composite grain when it is
// an integer, short text (a code) or a date.
func kyCompositeOK(c *ColumnProfile) bool {
	switch pfKindOf(c.Type) {
	case pfFloat, pfDecimal, pfBool, pfOther:
		return false
	case pfInt:
		// A whole number named like a quantity (units, quantity,
		// nights, seats: its last word) is what a row measures, not what
		// it is about — unless the name says id, code or a period
		// (cost_center_number is a key).
		toks := clsTokens(c.Name)
		if len(toks) > 0 && clsAmountWords[toks[len(toks)-1]] && !clsHasAny(toks, clsNotMeasureWords) && !clsHasAny(toks, clsPeriodWords) && !clsHasAny(toks, clsCalendarWords) {
			return false
		}
	case pfText:
		if c.Class == "free_text" || c.MaxLength > 64 || c.Numeric && c.Pattern == "amount" {
			return false
		}
	}
	return c.Class != "boolean"
}

func kyOneRow(ctx context.Context, conn connector.Connector, s *pfSQL, sel dialect.Query) ([]any, error) {
	q, err := s.query(sel)
	if err != nil {
		return nil, err
	}
	res, err := conn.Query(ctx, q, connector.QueryOptions{MaxRows: -1})
	if err != nil {
		return nil, err
	}
	if len(res.Rows) != 1 {
		return nil, fmt.Errorf("expected one row, got %d", len(res.Rows))
	}
	return res.Rows[0], nil
}

// kyDuplicateCheck counts duplicated groups and rows with a null in the
// columns, on full data, in one statement.
func kyDuplicateCheck(ctx context.Context, conn connector.Connector, s *pfSQL, table dialect.Name, cols []string) (dups, nulls int64, err error) {
	var keys, isNull []dialect.Expr
	for _, c := range cols {
		keys = append(keys, dialect.C(c))
		isNull = append(isNull, &dialect.IsNull{X: dialect.C(c)})
	}
	// SELECT d.dups, n.nulls FROM (duplicated groups) d CROSS JOIN (rows
	// with a null) n.
	groups := &dialect.Select{
		Columns: []dialect.SelectItem{dialect.As(dialect.I(1), "one")},
		From:    dialect.Table{Name: table},
		GroupBy: keys,
		Having:  &dialect.Binary{Op: ">", L: countAll(), R: dialect.I(1)},
	}
	dupCount := &dialect.Select{
		Columns: []dialect.SelectItem{dialect.As(countAll(), "dups")},
		From:    dialect.Subquery{Query: groups, Alias: "g"},
	}
	nullCount := &dialect.Select{
		Columns: []dialect.SelectItem{dialect.As(countAll(), "nulls")},
		From:    dialect.Table{Name: table},
		Where:   dialect.Or(isNull...),
	}
	q := &dialect.Select{
		Columns: []dialect.SelectItem{dialect.As(dialect.C("d", "dups"), "dups"), dialect.As(dialect.C("n", "nulls"), "nulls")},
		From:    dialect.Subquery{Query: dupCount, Alias: "d"},
		Joins:   []dialect.Join{{Kind: dialect.CrossJoin, From: dialect.Subquery{Query: nullCount, Alias: "n"}}},
	}
	row, err := kyOneRow(ctx, conn, s, q)
	if err != nil {
		return 0, 0, err
	}
	return pfInt64(row[0]), pfInt64(row[1]), nil
}

func kyCombinations(n, k int, f func([]int)) {
	idx := make([]int, k)
	var rec func(start, depth int)
	rec = func(start, depth int) {
		if depth == k {
			f(append([]int(nil), idx...))
			return
		}
		for i := start; i < n; i++ {
			idx[depth] = i
			rec(i+1, depth+1)
		}
	}
	rec(0, 0)
}

func kySameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			if strings.EqualFold(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------- scoring

// kyNameScore rates how key-like a column name is (0..1): key/id/code/
// number words or suffixes, and the table's own name as the stem
// (customer.customer_id, orders.o_orderkey).
func kyNameScore(tp *TableProfile, prefix, name string) (float64, string) {
	stripped := rlStrip(name, prefix)
	toks := kyTokens(stripped)
	flat := strings.Join(toks, "")
	if len(toks) == 0 {
		return 0, ""
	}
	last := toks[len(toks)-1]
	score, why := 0.0, ""
	if kyDescriptive(stripped) {
		return 0, "a name or description, not an identifier"
	}
	switch {
	case kyDocWords[last] && len(toks) > 1:
		score, why = 0.85, "document or line number word "+last
	case kyKeyWords[last]:
		score, why = 0.8, "key word "+last
	case kyHasKeySuffix(flat) != "":
		score, why = 0.8, "key suffix "+kyHasKeySuffix(flat)
	case kySeqWords[last]:
		score, why = 0.85, "sequence word "+last
	}
	if score > 0 {
		stem := strings.TrimSuffix(flat, kyHasKeySuffix(flat))
		if (kyKeyWords[last] || kySeqWords[last]) && len(toks) > 1 {
			stem = strings.Join(toks[:len(toks)-1], "") // customer_sk → customer
		}
		if stem != "" && kyStemNamesTable(stem, tp.Name) {
			score, why = 1, why+", stem "+stem+" names the table"
		} else if stem == "" || len(toks) == 1 && kyKeyWords[last] {
			score, why = 0.9, why+" alone"
		}
	}
	return score, why
}

var kyKeyWords = map[string]bool{"id": true, "key": true, "code": true, "no": true, "nr": true, "num": true, "number": true,
	"sk": true, "pk": true, "uuid": true, "guid": true, "ref": true, "identifier": true}

// kyDocWords end the names of document and line numbers (ticket_number,
// order_no), the identifying part of a transaction grain.
var kyDocWords = map[string]bool{"number": true, "no": true, "nr": true, "num": true, "nbr": true}

var kySeqWords = map[string]bool{"line": true, "seq": true, "sequence": true, "lineno": true, "linenumber": true, "item": true,
	"position": true, "pos": true, "version": true, "idx": true, "index": true, "ordinal": true}

// kyHasKeySuffix returns the key suffix a name ends with without a
// separator (custkey → key, linenumber → number, customerid → id).
func kyHasKeySuffix(flat string) string {
	for _, suf := range []string{"key", "number", "code", "uuid", "guid", "id", "no", "nr", "num"} {
		if strings.HasSuffix(flat, suf) {
			return suf
		}
	}
	return ""
}

// kyTokens splits a name into lower-case words at separators and
// camelCase boundaries.
func kyTokens(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1])):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// kyTypeScore: integers and short codes make the best keys.
func kyTypeScore(c *ColumnProfile) float64 {
	switch pfKindOf(c.Type) {
	case pfInt:
		return 1
	case pfText:
		switch {
		case c.Pattern == "identifier" && c.PatternShare >= 0.99:
			return 1 // UUIDs
		case c.Pattern == "code" && c.PatternShare >= 0.99 && c.MinLength == c.MaxLength:
			return 1 // fixed-width codes: SKU-00001, R0000001
		case c.Pattern == "integer" || c.Pattern == "identifier" || c.Pattern == "code":
			return 0.9
		case c.Pattern == "text":
			return 0.3 // words and spaces: a name
		case c.MaxLength <= 20:
			return 0.8
		case c.MaxLength <= 64:
			return 0.5
		}
		return 0.2
	case pfDate, pfTimestamp:
		return 0.4
	}
	return 0.1
}

// kyColumnPlausibility ranks columns for the composite search.
func kyColumnPlausibility(tp *TableProfile, prefix string, c *ColumnProfile) float64 {
	n, _ := kyNameScore(tp, prefix, c.Name)
	p := 0.5*n + 0.3*kyTypeScore(c) + 0.2*kyPositionScore(tp, float64(c.Position))
	toks := kyTokens(rlStrip(c.Name, prefix))
	if len(toks) > 1 && (kyDocWords[toks[len(toks)-1]] || kySeqWords[toks[len(toks)-1]]) {
		p += 0.15 // a document or line number: rare, and the heart of a grain
	}
	return p
}

func kyPositionScore(tp *TableProfile, pos float64) float64 {
	n := float64(len(tp.Columns))
	if n <= 1 {
		return 1
	}
	return 1 - (pos-1)/n
}

// kyScore scores a (not yet confirmed) candidate: name 0.40, position
// 0.15, type 0.20, width 0.15, tightness 0.10. Confidence is 0.5 + 0.45 ×
// the score at most 0.95 once uniqueness is confirmed (1 is kept for
// declared keys).
func kyScore(tp *TableProfile, prefix string, cols []*ColumnProfile) KeyCandidate {
	var name, pos, typ float64
	var whys []string
	product := 1.0
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
		n, why := kyNameScore(tp, prefix, c.Name)
		name += n
		if why != "" {
			whys = append(whys, c.Name+": "+why)
		}
		pos += float64(c.Position)
		typ += kyTypeScore(c)
		product *= float64(c.Distinct)
	}
	w := float64(len(cols))
	name, typ = name/w, typ/w
	posScore := kyPositionScore(tp, pos/w)
	width := 1 / w
	tight := 1.0
	if len(cols) > 1 && cols[0].Rows > 0 {
		ratio := product / float64(cols[0].Rows)
		tight = 1 - math.Min(1, math.Log10(math.Max(ratio, 1))/3)
	}
	score := 0.40*name + 0.15*posScore + 0.20*typ + 0.15*width + 0.10*tight
	if len(cols) > 1 {
		for _, c := range cols {
			if toks := kyTokens(rlStrip(c.Name, prefix)); len(toks) > 1 && (kyDocWords[toks[len(toks)-1]] || kySeqWords[toks[len(toks)-1]]) {
				score += kyDocBonus
				whys = append(whys, c.Name+": a document or line number in the grain (+"+strconv.FormatFloat(kyDocBonus, 'f', 2, 64)+")")
				break
			}
		}
	}
	for _, c := range cols {
		if kyDescriptive(rlStrip(c.Name, prefix)) {
			score -= kyDescriptivePenalty / w
			whys = append(whys, c.Name+": descriptive (-"+strconv.FormatFloat(kyDescriptivePenalty/w, 'f', 2, 64)+")")
		}
	}
	score = math.Round(score*1000) / 1000
	detail := fmt.Sprintf("name %.2f, position %.2f, type %.2f, width %d (%.2f), tightness %.2f → score %.3f",
		name, posScore, typ, len(cols), width, tight, score)
	if len(whys) > 0 {
		detail += " (" + strings.Join(whys, "; ") + ")"
	}
	return KeyCandidate{
		Columns: names,
		Score:   score,
		Inference: model.Inference{
			Confidence: math.Round((0.5+0.45*score)*1000) / 1000,
			Evidence:   []model.Evidence{{Rule: "key_score", Detail: detail}},
		},
	}
}

// kyStemNamesTable: is a key name's stem the table's own name (or its
// abbreviation: cust → customer)? Stricter than rlStemMatchesTable: the
// stem may not run past the table's word (returned_date_sk is no key
// named after store_returns).
func kyStemNamesTable(stem, table string) bool {
	stem = strings.ToLower(stem)
	if len(stem) < 3 {
		return false
	}
	toks := kyTokens(table)
	cands := []string{rlSingular(rlNorm(table))}
	if len(toks) > 1 {
		cands = append(cands, rlSingular(toks[len(toks)-1]))
	}
	for _, t := range cands {
		if strings.HasPrefix(t, stem) || strings.HasSuffix(t, stem) && len(stem) >= 5 {
			return true
		}
	}
	return false
}
