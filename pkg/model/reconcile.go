package model

import (
	"fmt"
	"sort"
	"strings"
)

// Changes reports what re-analysis found different in the source, and the
// decisions that could not be replayed.
type Changes struct {
	TablesAdded    []string `json:"tables_added"`
	TablesRemoved  []string `json:"tables_removed"`
	ColumnsAdded   []string `json:"columns_added"`   // table.column
	ColumnsRemoved []string `json:"columns_removed"` // table.column
	TypesChanged   []string `json:"types_changed"`   // table.column: old → new
	KeysChanged    []string `json:"keys_changed"`    // inferred keys that moved
	RelsAdded      []string `json:"relationships_added"`
	RelsRemoved    []string `json:"relationships_removed"`
	// Replayed counts reviewer decisions applied again; Stale lists those
	// that no longer apply (their table or columns are gone), with why.
	Replayed int      `json:"replayed"`
	Stale    []string `json:"stale"`
}

// Structural reports whether the source's shape changed.
func (c *Changes) Structural() bool {
	return len(c.TablesAdded)+len(c.TablesRemoved)+len(c.ColumnsAdded)+len(c.ColumnsRemoved)+len(c.TypesChanged) > 0
}

// Empty reports whether nothing changed and every decision replayed.
func (c *Changes) Empty() bool {
	return !c.Structural() && len(c.KeysChanged)+len(c.RelsAdded)+len(c.RelsRemoved)+len(c.Stale) == 0
}

// Reconcile carries a reviewer's work from the previous model onto a fresh
// analysis: every decision is replayed in order (those that no longer apply
// are reported, not lost: they stay recorded), and what changed in the
// source is listed. An approved model stays approved only when the source
// did not change shape and every decision still applies.
func Reconcile(prev, fresh *Model) (*Model, *Changes) {
	ch := &Changes{TablesAdded: []string{}, TablesRemoved: []string{}, ColumnsAdded: []string{}, ColumnsRemoved: []string{},
		TypesChanged: []string{}, KeysChanged: []string{}, RelsAdded: []string{}, RelsRemoved: []string{}, Stale: []string{}}
	if prev == nil {
		return fresh, ch
	}
	for _, t := range fresh.Tables {
		old := prev.Table(t.Name)
		if old == nil {
			ch.TablesAdded = append(ch.TablesAdded, t.Name)
			continue
		}
		for _, c := range t.Columns {
			oc := old.Column(c.Name)
			switch {
			case oc == nil && !mergedInto(old, c.Name):
				ch.ColumnsAdded = append(ch.ColumnsAdded, t.Name+"."+c.Name)
			case oc != nil && !strings.EqualFold(oc.Type, c.Type):
				ch.TypesChanged = append(ch.TypesChanged, fmt.Sprintf("%s.%s: %s → %s", t.Name, c.Name, oc.Type, c.Type))
			}
		}
		for _, oc := range old.Columns {
			names := []string{oc.Name}
			if len(oc.MergedFrom) > 0 {
				names = oc.MergedFrom // a merged column stands for its sources
			}
			for _, n := range names {
				if t.Column(n) == nil {
					ch.ColumnsRemoved = append(ch.ColumnsRemoved, t.Name+"."+n)
				}
			}
		}
	}
	for _, t := range prev.Tables {
		if fresh.Table(t.Name) == nil {
			ch.TablesRemoved = append(ch.TablesRemoved, t.Name)
		}
	}
	// Inferred keys and relationships before the decisions are replayed:
	// compare the fresh inference with the previous inference (decisions
	// excluded) so a reviewer's correction is not reported as a change.
	prevInferred := inferredOnly(prev)
	for _, t := range fresh.Tables {
		if old := prevInferred.Table(t.Name); old != nil && !sameCols(old.PrimaryKey, t.PrimaryKey) {
			ch.KeysChanged = append(ch.KeysChanged, fmt.Sprintf("%s: (%s) → (%s)", t.Name, strings.Join(old.PrimaryKey, ", "), strings.Join(t.PrimaryKey, ", ")))
		}
	}
	oldRels, newRels := relSet(prevInferred.Relationships), relSet(fresh.Relationships)
	for k := range newRels {
		if !oldRels[k] {
			ch.RelsAdded = append(ch.RelsAdded, k)
		}
	}
	for k := range oldRels {
		if !newRels[k] {
			ch.RelsRemoved = append(ch.RelsRemoved, k)
		}
	}
	sort.Strings(ch.RelsAdded)
	sort.Strings(ch.RelsRemoved)

	out := fresh
	out.Decisions = nil
	for _, d := range prev.Decisions {
		if err := out.Apply(d); err != nil {
			ch.Stale = append(ch.Stale, fmt.Sprintf("%s on %s: %v", d.Action, d.Table, err))
		} else {
			ch.Replayed++
		}
		out.Decisions = append(out.Decisions, d) // kept either way
	}
	out.Status = StatusDraft
	if prev.Status == StatusApproved && !ch.Structural() && len(ch.Stale) == 0 {
		out.Status = StatusApproved
		out.ApprovedAt = prev.ApprovedAt
	}
	return out, ch
}

// inferredOnly is the previous model as the analysis produced it: the
// model is re-derived by dropping reviewer inferences is not possible, so
// the analysis keeps them in Inferred* fields; we approximate by ignoring
// items a reviewer set (confidence 1 with a reviewer rule).
func inferredOnly(m *Model) *Model {
	c := &Model{}
	for _, t := range m.Tables {
		ct := *t
		if isReviewer(t.KeyInference) {
			ct.PrimaryKey = t.InferredKey
		}
		c.Tables = append(c.Tables, &ct)
	}
	for _, r := range m.Relationships {
		if !isReviewer(r.Inference) {
			c.Relationships = append(c.Relationships, r)
		}
	}
	c.Relationships = append(c.Relationships, m.RemovedRelationships...)
	return c
}

func isReviewer(i Inference) bool {
	return len(i.Evidence) == 1 && i.Evidence[0].Rule == "reviewer"
}

func mergedInto(t *Table, col string) bool {
	for _, c := range t.Columns {
		if contains(c.MergedFrom, col) {
			return true
		}
	}
	return false
}

func relSet(rs []Relationship) map[string]bool {
	out := map[string]bool{}
	for _, r := range rs {
		out[fmt.Sprintf("%s(%s) → %s(%s)", r.FromTable, strings.Join(r.FromColumns, ", "), r.ToTable, strings.Join(r.ToColumns, ", "))] = true
	}
	return out
}
