package model

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/project"
)

func inferred(rule string) Inference {
	return Inference{Confidence: 0.8, Evidence: []Evidence{{Rule: rule, Detail: "test"}}}
}

// sample is a model as analysis would produce it.
func sample() *Model {
	return &Model{Name: "erp", Connection: "erp", Status: StatusDraft,
		Tables: []*Table{
			{Name: "gl", Role: RoleTransactionFact, RoleInference: inferred("fks"), Entity: EntityTransaction, PrimaryKey: []string{"journal_id"}, KeyInference: inferred("unique"),
				Columns: []Column{{Name: "journal_id", Type: "VARCHAR", Kind: KindKey}, {Name: "line_no", Type: "INTEGER"}, {Name: "account", Type: "VARCHAR", Kind: KindForeign},
					{Name: "amount", Type: "DECIMAL(18,2)", Kind: KindMeasure}, {Name: "memo1", Type: "VARCHAR"}, {Name: "memo2", Type: "VARCHAR"}}},
			{Name: "accounts", Role: RoleUnknown, Entity: EntityOther, PrimaryKey: []string{"code"}, KeyInference: inferred("unique"),
				Columns: []Column{{Name: "code", Type: "VARCHAR", Kind: KindKey}, {Name: "name", Type: "VARCHAR"}}},
		},
		Relationships: []Relationship{{Name: "gl__accounts__account", FromTable: "gl", FromColumns: []string{"account"}, ToTable: "accounts", ToColumns: []string{"code"}, Coverage: 1, Inference: inferred("inclusion")}},
	}
}

func TestReviewActions(t *testing.T) {
	m := sample()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := m.Approve(now); err == nil || !strings.Contains(err.Error(), "accounts has no role") {
		t.Fatalf("approve with an unknown role: %v", err)
	}
	steps := []Decision{
		{Action: ActionApproveEntity, Table: "ACCOUNTS", Entity: EntityChartOfAccounts, Role: RoleDimension},
		{Action: ActionSetKey, Table: "gl", Columns: []string{"journal_id", "LINE_NO"}},
		{Action: ActionMergeColumns, Table: "gl", Columns: []string{"memo1", "memo2"}, Into: "memo", Strategy: "coalesce"},
		{Action: ActionRemoveRelationship, Table: "gl", Columns: []string{"account"}},
		{Action: ActionAddRelationship, Table: "gl", Columns: []string{"account"}, ToTable: "accounts", ToColumns: []string{"code"}},
	}
	for _, d := range steps {
		if err := m.Decide(d, now); err != nil {
			t.Fatalf("%s: %v", d.Action, err)
		}
	}
	acc := m.Table("accounts")
	if acc.Entity != EntityChartOfAccounts || acc.Role != RoleDimension || acc.RoleInference.Evidence[0].Rule != "reviewer" {
		t.Fatalf("accounts = %+v", acc)
	}
	gl := m.Table("gl")
	if strings.Join(gl.PrimaryKey, ",") != "journal_id,line_no" || strings.Join(gl.InferredKey, ",") != "journal_id" {
		t.Fatalf("key = %v (inferred %v)", gl.PrimaryKey, gl.InferredKey)
	}
	if gl.Column("memo") == nil || gl.Column("memo1") != nil || strings.Join(gl.Column("memo").MergedFrom, ",") != "memo1,memo2" {
		t.Fatalf("merge: %+v", gl.Columns)
	}
	if len(m.Relationships) != 1 || m.Relationships[0].Confidence != 1 || len(m.RemovedRelationships) != 1 {
		t.Fatalf("relationships = %+v removed %+v", m.Relationships, m.RemovedRelationships)
	}
	if err := m.Approve(now); err != nil {
		t.Fatal(err)
	}
	// Bad decisions are refused with precise messages.
	bad := map[string]Decision{
		"no table":       {Action: ActionSetKey, Table: "nope", Columns: []string{"x"}},
		"no column":      {Action: ActionSetKey, Table: "gl", Columns: []string{"nope"}},
		"unknown entity": {Action: ActionApproveEntity, Table: "gl", Entity: "spaceship"},
		"unknown role":   {Action: ActionApproveEntity, Table: "gl", Role: "hub"},
		"strategy":       {Action: ActionMergeColumns, Table: "gl", Columns: []string{"amount", "account"}, Into: "x", Strategy: "average"},
		"arity":          {Action: ActionAddRelationship, Table: "gl", Columns: []string{"account"}, ToTable: "accounts", ToColumns: []string{"code", "name"}},
		"absent rel":     {Action: ActionRemoveRelationship, Table: "accounts", Columns: []string{"name"}},
	}
	for name, d := range bad {
		if err := m.Decide(d, now); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if m.Status != StatusApproved || len(m.Decisions) != len(steps) {
		t.Fatalf("a refused decision changed the model: %s, %d decisions", m.Status, len(m.Decisions))
	}
	// A new decision returns an approved model to draft.
	if err := m.Decide(Decision{Action: ActionApproveEntity, Table: "gl", Entity: EntityTransaction}, now); err != nil || m.Status != StatusDraft {
		t.Fatalf("after a decision: %s %v", m.Status, err)
	}
}

func TestReconcileKeepsDecisions(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	prev := sample()
	for _, d := range []Decision{
		{Action: ActionApproveEntity, Table: "accounts", Entity: EntityChartOfAccounts, Role: RoleDimension},
		{Action: ActionSetKey, Table: "gl", Columns: []string{"journal_id", "line_no"}},
		{Action: ActionMergeColumns, Table: "gl", Columns: []string{"memo1", "memo2"}, Into: "memo", Strategy: "first_non_null"},
	} {
		if err := prev.Decide(d, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := prev.Approve(now); err != nil {
		t.Fatal(err)
	}
	// Same source: everything replays, still approved, nothing reported.
	next, ch := Reconcile(prev, sample())
	if !ch.Empty() || ch.Replayed != 3 || next.Status != StatusApproved || next.Table("accounts").Role != RoleDimension {
		t.Fatalf("unchanged source: %+v, status %s", ch, next.Status)
	}
	// The source changed: a new table and column, a dropped column; the
	// merge of a dropped column is stale (reported, still recorded).
	fresh := sample()
	fresh.Tables = append(fresh.Tables, &Table{Name: "vendors", Role: RoleDimension, PrimaryKey: []string{"id"}, Columns: []Column{{Name: "id", Type: "INTEGER"}}})
	gl := fresh.Table("gl")
	gl.Columns = append(gl.Columns[:5], Column{Name: "currency", Type: "VARCHAR"}) // memo2 gone
	next, ch = Reconcile(prev, fresh)
	if strings.Join(ch.TablesAdded, ",") != "vendors" || strings.Join(ch.ColumnsAdded, ",") != "gl.currency" || strings.Join(ch.ColumnsRemoved, ",") != "gl.memo2" {
		t.Fatalf("changes = %+v", ch)
	}
	if ch.Replayed != 2 || len(ch.Stale) != 1 || !strings.Contains(ch.Stale[0], "memo2") || len(next.Decisions) != 3 {
		t.Fatalf("replay = %d, stale %v, decisions %d", ch.Replayed, ch.Stale, len(next.Decisions))
	}
	if next.Status != StatusDraft || strings.Join(next.Table("gl").PrimaryKey, ",") != "journal_id,line_no" {
		t.Fatalf("next = %s %v", next.Status, next.Table("gl").PrimaryKey)
	}
}

func TestStoreRoundTrip(t *testing.T) {
	root := t.TempDir()
	project.Init(root, "p")
	p, _ := project.Open(root)
	s := NewStore(p)
	m := sample()
	if err := s.Put(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get("erp")
	if err != nil || got.Table("gl").Column("amount").Kind != KindMeasure || got.Relationships[0].Coverage != 1 {
		t.Fatalf("round trip: %v %+v", err, got)
	}
	if _, err := s.Update(context.Background(), "erp", func(m *Model) error {
		return m.Decide(Decision{Action: ActionSetKey, Table: "gl", Columns: []string{"nope"}}, time.Now())
	}); err == nil {
		t.Fatal("bad update accepted")
	}
	os.WriteFile(s.path("bad"), []byte("name: bad\ntables:\n  - name: t\n    colour: red\n"), 0o644)
	if _, err := s.Get("bad"); err == nil || !strings.Contains(err.Error(), "bad.yaml:4") {
		t.Fatalf("bad yaml: %v", err)
	}
	if _, err := s.Get("nope"); err == nil || !strings.Contains(err.Error(), "known: bad, erp") {
		t.Fatalf("missing: %v", err)
	}
	if NameFor("ERP-Prod", "finance") != "erp_prod_finance" || NameFor("src", "main") != "src" {
		t.Fatal(NameFor("ERP-Prod", "finance"))
	}
}
