package model

import (
	"fmt"
	"strings"
	"time"
)

// Review actions recorded as decisions.
const (
	ActionApproveEntity      = "approve_entity"
	ActionSetKey             = "set_key"
	ActionAddRelationship    = "add_relationship"
	ActionRemoveRelationship = "remove_relationship"
	ActionMergeColumns       = "merge_columns"
)

// Merge strategies.
var MergeStrategies = []string{"coalesce", "concatenate", "first_non_null"}

// reviewerEvidence marks an inference made by a person.
func reviewerEvidence(what string) Inference {
	return Inference{Confidence: 1, Evidence: []Evidence{{Rule: "reviewer", Detail: what}}}
}

func (m *Model) table(name string) (*Table, error) {
	t := m.Table(name)
	if t == nil {
		var names []string
		for _, x := range m.Tables {
			names = append(names, x.Name)
		}
		return nil, fmt.Errorf("model %s has no table %q (tables: %s)", m.Name, name, strings.Join(names, ", "))
	}
	return t, nil
}

func (t *Table) columns(cols []string) error {
	for _, c := range cols {
		if t.Column(c) == nil {
			var names []string
			for _, x := range t.Columns {
				names = append(names, x.Name)
			}
			return fmt.Errorf("table %s has no column %q (columns: %s)", t.Name, c, strings.Join(names, ", "))
		}
	}
	return nil
}

func knownRole(r Role) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

func knownEntity(e Entity) bool {
	for _, x := range Entities {
		if x == e {
			return true
		}
	}
	return false
}

// Apply applies one decision to the model (without recording it). It is
// used both for new review actions and to replay decisions on re-analysis.
func (m *Model) Apply(d Decision) error {
	switch d.Action {
	case ActionApproveEntity:
		t, err := m.table(d.Table)
		if err != nil {
			return err
		}
		if d.Entity != "" {
			if !knownEntity(d.Entity) {
				return fmt.Errorf("unknown entity %q (one of %s)", d.Entity, joinEntities())
			}
			t.Entity = d.Entity
			t.EntityInference = reviewerEvidence(fmt.Sprintf("entity set to %s by the reviewer", d.Entity))
		}
		if d.Role != "" {
			if !knownRole(d.Role) {
				return fmt.Errorf("unknown role %q (one of %s)", d.Role, joinRoles())
			}
			t.Role = d.Role
			t.RoleInference = reviewerEvidence(fmt.Sprintf("role set to %s by the reviewer", d.Role))
		}
	case ActionSetKey:
		t, err := m.table(d.Table)
		if err != nil {
			return err
		}
		if len(d.Columns) == 0 {
			return fmt.Errorf("set-key needs at least one column")
		}
		if err := t.columns(d.Columns); err != nil {
			return err
		}
		if t.InferredKey == nil && !isReviewer(t.KeyInference) {
			t.InferredKey = t.PrimaryKey
		}
		t.PrimaryKey = canonical(t, d.Columns)
		t.KeyInference = reviewerEvidence("key set to (" + strings.Join(t.PrimaryKey, ", ") + ") by the reviewer")
		for i := range t.Columns {
			if contains(t.PrimaryKey, t.Columns[i].Name) {
				t.Columns[i].Kind = KindKey
			}
		}
	case ActionAddRelationship:
		from, err := m.table(d.Table)
		if err != nil {
			return err
		}
		to, err := m.table(d.ToTable)
		if err != nil {
			return err
		}
		if len(d.Columns) == 0 || len(d.Columns) != len(d.ToColumns) {
			return fmt.Errorf("add-relationship needs as many parent columns as child columns (%d and %d)", len(d.Columns), len(d.ToColumns))
		}
		if err := from.columns(d.Columns); err != nil {
			return err
		}
		if err := to.columns(d.ToColumns); err != nil {
			return err
		}
		r := Relationship{FromTable: from.Name, FromColumns: canonical(from, d.Columns), ToTable: to.Name, ToColumns: canonical(to, d.ToColumns),
			Inference: reviewerEvidence("relationship added by the reviewer")}
		r.Name = RelationshipName(r)
		m.removeRel(r.FromTable, r.FromColumns, "", nil)
		m.Relationships = append(m.Relationships, r)
	case ActionRemoveRelationship:
		if _, err := m.table(d.Table); err != nil {
			return err
		}
		if !m.removeRel(d.Table, d.Columns, d.ToTable, d.ToColumns) {
			return fmt.Errorf("no relationship from %s(%s)%s", d.Table, strings.Join(d.Columns, ", "), toText(d.ToTable, d.ToColumns))
		}
	case ActionMergeColumns:
		t, err := m.table(d.Table)
		if err != nil {
			return err
		}
		if len(d.Columns) < 2 {
			return fmt.Errorf("merge-columns needs at least two columns")
		}
		if d.Into == "" {
			return fmt.Errorf("merge-columns needs --into NAME")
		}
		ok := false
		for _, s := range MergeStrategies {
			if s == d.Strategy {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("unknown merge strategy %q (one of %s)", d.Strategy, strings.Join(MergeStrategies, ", "))
		}
		if err := t.columns(d.Columns); err != nil {
			return err
		}
		first := t.Column(d.Columns[0])
		merged := Column{Name: d.Into, Type: first.Type, Kind: first.Kind, Profile: first.Profile, MergedFrom: canonical(t, d.Columns), MergeStrategy: d.Strategy}
		var keep []Column
		inserted := false
		for _, c := range t.Columns {
			if contains(merged.MergedFrom, c.Name) {
				if !inserted {
					keep = append(keep, merged)
					inserted = true
				}
				continue
			}
			if strings.EqualFold(c.Name, d.Into) {
				return fmt.Errorf("table %s already has a column %s", t.Name, d.Into)
			}
			keep = append(keep, c)
		}
		t.Columns = keep
	default:
		return fmt.Errorf("unknown review action %q", d.Action)
	}
	return nil
}

// Decide applies a decision and records it; an approved model returns to
// draft.
func (m *Model) Decide(d Decision, now time.Time) error {
	if err := m.Apply(d); err != nil {
		return err
	}
	d.At = now
	m.Decisions = append(m.Decisions, d)
	if m.Status == StatusApproved {
		m.Status = StatusDraft
		m.ApprovedAt = nil
	}
	return nil
}

// Approve freezes the model for generation: every table must have a role
// and a key.
func (m *Model) Approve(now time.Time) error {
	var problems []string
	for _, t := range m.Tables {
		if t.Role == "" || t.Role == RoleUnknown {
			problems = append(problems, t.Name+" has no role (model approve-entity "+t.Name+" ENTITY --as ROLE)")
		}
		if len(t.PrimaryKey) == 0 && t.Role != RoleFactlessFact {
			problems = append(problems, t.Name+" has no key (model set-key "+t.Name+" COLUMN...)")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("model %s cannot be approved: %s", m.Name, strings.Join(problems, "; "))
	}
	m.Status = StatusApproved
	m.ApprovedAt = &now
	return nil
}

func (m *Model) removeRel(from string, cols []string, to string, toCols []string) bool {
	var keep []Relationship
	removed := false
	for _, r := range m.Relationships {
		if strings.EqualFold(r.FromTable, from) && sameCols(r.FromColumns, cols) &&
			(to == "" || strings.EqualFold(r.ToTable, to)) && (len(toCols) == 0 || sameCols(r.ToColumns, toCols)) {
			removed = true
			if !isReviewer(r.Inference) {
				m.RemovedRelationships = append(m.RemovedRelationships, r)
			}
			continue
		}
		keep = append(keep, r)
	}
	m.Relationships = keep
	return removed
}

// RelationshipName is child__parent, plus the child columns when they are
// not the only link between the two tables.
func RelationshipName(r Relationship) string {
	return strings.ToLower(r.FromTable + "__" + r.ToTable + "__" + strings.Join(r.FromColumns, "_"))
}

func toText(to string, cols []string) string {
	if to == "" {
		return ""
	}
	return " to " + to + "(" + strings.Join(cols, ", ") + ")"
}

func sameCols(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// canonical returns the columns with the table's spelling.
func canonical(t *Table, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		if x := t.Column(c); x != nil {
			out[i] = x.Name
		} else {
			out[i] = c
		}
	}
	return out
}

func joinRoles() string {
	var s []string
	for _, r := range Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

func joinEntities() string {
	var s []string
	for _, e := range Entities {
		s = append(s, string(e))
	}
	return strings.Join(s, ", ")
}
