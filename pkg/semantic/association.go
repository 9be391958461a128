package semantic

import (
	"fmt"
	"math"
	"strings"

	"github.com/databridge/databridge/pkg/model"
)

// PreferAssociationKeys keys an association table by its pair of
// references. A table that holds nothing but references to two tables
// (and at most an allocation weight), and whose name says it associates
// them (a bridge word, or both parents' names: employee_territories,
// vendor_promotion_bridge), records pairs: its key is the pair, even when
// one column happens to be unique in the rows it holds today (each
// promotion mapped to one vendor so far). The pair must hold no NULL, and
// nothing may reference the table's current key (a referenced column is
// a key by use). keys is reordered in place, as PreferReferencedKeys does.
func PreferAssociationKeys(profiles []*TableProfile, keys map[string][]KeyCandidate, rels []model.Relationship) {
	for _, tp := range profiles {
		ks := keys[tp.Name]
		if len(ks) == 0 || len(ks[0].Columns) != 1 {
			continue
		}
		referenced := false
		var fkCols []string
		var parents []string
		for _, r := range rels {
			if strings.EqualFold(r.ToTable, tp.Name) {
				referenced = true
			}
			if strings.EqualFold(r.FromTable, tp.Name) && len(r.FromColumns) == 1 {
				fkCols = append(fkCols, r.FromColumns[0])
				parents = append(parents, r.ToTable)
			}
		}
		if referenced || len(fkCols) != 2 || strings.EqualFold(fkCols[0], fkCols[1]) {
			continue
		}
		key := ks[0].Columns[0]
		if !strings.EqualFold(key, fkCols[0]) && !strings.EqualFold(key, fkCols[1]) {
			continue
		}
		// Nothing but the two references and at most one weight.
		others := 0
		weightOnly := true
		for _, c := range tp.Columns {
			if strings.EqualFold(c.Name, fkCols[0]) || strings.EqualFold(c.Name, fkCols[1]) {
				if c.Nulls > 0 {
					weightOnly = false
				}
				continue
			}
			others++
			if !clsHasAny(clsTokens(c.Name), clsWeightWords) {
				weightOnly = false
			}
		}
		if !weightOnly || others > 1 {
			continue
		}
		named := clsFirstIn(clsTokens(tp.Name), clsBridgeWords) != ""
		if !named {
			named = assocNamesBoth(tp.Name, parents)
		}
		if !named {
			continue
		}
		// The pair in the table's column order.
		var pair []string
		for _, c := range tp.Columns {
			if strings.EqualFold(c.Name, fkCols[0]) || strings.EqualFold(c.Name, fkCols[1]) {
				pair = append(pair, c.Name)
			}
		}
		k := KeyCandidate{Columns: pair, Score: ks[0].Score}
		k.Confidence = math.Min(0.9, ks[0].Confidence)
		k.Evidence = []model.Evidence{{Rule: "association_key", Detail: fmt.Sprintf(
			"(%s): the table holds only references to %s and %s, and its name says it associates them; an association is keyed by the pair (%s alone is unique in today's rows)",
			strings.Join(pair, ", "), parents[0], parents[1], key)}}
		reordered := []KeyCandidate{k}
		for _, c := range ks {
			if !kySameSet(c.Columns, pair) {
				reordered = append(reordered, c)
			}
		}
		keys[tp.Name] = reordered
	}
}

// assocNamesBoth: does the table's name name both parents (a word of the
// name starts each parent's singular name or the reverse, at least three
// letters: film_actor, PlaylistTrack, employee_territories)?
func assocNamesBoth(table string, parents []string) bool {
	toks := kyTokens(table)
	for _, p := range parents {
		ok := false
		for _, w := range toks {
			if len(w) >= 3 && rlStemMatchesTable(rlSingular(w), p) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
