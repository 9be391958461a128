// Package model holds the canonical model: what semantic analysis proposes
// and a reviewer corrects and approves — entities, dimensions, facts,
// bridges, keys (grain), relationships, measures and SCD types — stored as
// YAML in .databridge/models/<name>.yaml. The warehouse modeler, dbt
// generation and analytics read it.
package model

import "time"

// Role is what a table is in the dimensional model.
type Role string

// Table roles.
const (
	RoleTransactionFact  Role = "transaction_fact"
	RoleSnapshotFact     Role = "periodic_snapshot_fact"
	RoleAccumulatingFact Role = "accumulating_snapshot_fact"
	RoleFactlessFact     Role = "factless_fact"
	RoleDimension        Role = "dimension"
	RoleTimeDimension    Role = "time_dimension"
	RoleBridge           Role = "bridge"
	RoleUnknown          Role = "unknown"
)

// IsFact reports whether the role is one of the fact roles.
func (r Role) IsFact() bool {
	switch r {
	case RoleTransactionFact, RoleSnapshotFact, RoleAccumulatingFact, RoleFactlessFact:
		return true
	}
	return false
}

// Roles lists every role.
var Roles = []Role{RoleTransactionFact, RoleSnapshotFact, RoleAccumulatingFact, RoleFactlessFact, RoleDimension, RoleTimeDimension, RoleBridge, RoleUnknown}

// Entity is the business concept a table holds.
type Entity string

// Entities.
const (
	EntityCustomer        Entity = "customer"
	EntityVendor          Entity = "vendor"
	EntityEmployee        Entity = "employee"
	EntityCostCenter      Entity = "cost_center"
	EntityDepartment      Entity = "department"
	EntityLegalEntity     Entity = "legal_entity"
	EntityProduct         Entity = "product"
	EntityGeography       Entity = "geography"
	EntityTime            Entity = "time"
	EntityChartOfAccounts Entity = "chart_of_accounts"
	EntityCurrency        Entity = "currency"
	EntityProject         Entity = "project"
	EntityOrder           Entity = "order"
	EntityTransaction     Entity = "transaction"
	EntityOther           Entity = "other"
)

// Entities lists every entity.
var Entities = []Entity{EntityCustomer, EntityVendor, EntityEmployee, EntityCostCenter, EntityDepartment, EntityLegalEntity,
	EntityProduct, EntityGeography, EntityTime, EntityChartOfAccounts, EntityCurrency, EntityProject, EntityOrder, EntityTransaction, EntityOther}

// ColumnKind is what a column is for.
type ColumnKind string

// Column kinds.
const (
	KindKey       ColumnKind = "key" // part of the table's primary key / grain
	KindForeign   ColumnKind = "foreign_key"
	KindMeasure   ColumnKind = "measure" // numeric, additive or not
	KindDate      ColumnKind = "date"
	KindAttribute ColumnKind = "attribute" // descriptive, categorical
	KindText      ColumnKind = "text"      // free text
	KindValidity  ColumnKind = "validity"  // SCD2 valid_from / valid_to / is_current
)

// Evidence explains one inference: which rule fired, with which numbers.
type Evidence struct {
	Rule   string `json:"rule" yaml:"rule"`
	Detail string `json:"detail" yaml:"detail"`
}

// Inference is a value with its confidence (0..1) and evidence.
type Inference struct {
	Confidence float64    `json:"confidence" yaml:"confidence"`
	Evidence   []Evidence `json:"evidence,omitempty" yaml:"evidence,omitempty"`
}

// ColumnProfile is the profile summary kept in the model.
type ColumnProfile struct {
	Rows      int64    `json:"rows" yaml:"rows"`
	Nulls     int64    `json:"nulls" yaml:"nulls"`
	Distinct  int64    `json:"distinct" yaml:"distinct"`
	Min       string   `json:"min,omitempty" yaml:"min,omitempty"`
	Max       string   `json:"max,omitempty" yaml:"max,omitempty"`
	MinLength int      `json:"min_length,omitempty" yaml:"min_length,omitempty"`
	MaxLength int      `json:"max_length,omitempty" yaml:"max_length,omitempty"`
	Pattern   string   `json:"pattern,omitempty" yaml:"pattern,omitempty"` // date, code, email, amount, boolean, identifier, text
	Class     string   `json:"class,omitempty" yaml:"class,omitempty"`     // numeric, categorical, free_text, temporal, boolean, identifier
	Top       []string `json:"top,omitempty" yaml:"top,omitempty"`
}

// Column is one column of a model table.
type Column struct {
	Name string `json:"name" yaml:"name"`
	Type string `json:"type" yaml:"type"`
	// Format is how the source file writes the column's amounts when
	// the text is not a plain number (dialect.AmountUS or AmountEU): a
	// deploy's staging reads the text and converts it the same way.
	Format  string        `json:"format,omitempty" yaml:"format,omitempty"`
	Kind    ColumnKind    `json:"kind" yaml:"kind"`
	Profile ColumnProfile `json:"profile" yaml:"profile"`
	// MergedFrom lists source columns merged into this one.
	MergedFrom []string `json:"merged_from,omitempty" yaml:"merged_from,omitempty"`
	// MergeStrategy: coalesce, concatenate or first_non_null.
	MergeStrategy string `json:"merge_strategy,omitempty" yaml:"merge_strategy,omitempty"`
}

// SCD describes slowly-changing-dimension handling.
type SCD struct {
	Type int `json:"type" yaml:"type"` // 0, 1 or 2
	// Validity columns when Type is 2.
	ValidFrom   string   `json:"valid_from,omitempty" yaml:"valid_from,omitempty"`
	ValidTo     string   `json:"valid_to,omitempty" yaml:"valid_to,omitempty"`
	IsCurrent   string   `json:"is_current,omitempty" yaml:"is_current,omitempty"`
	BusinessKey []string `json:"business_key,omitempty" yaml:"business_key,omitempty"`
	Inference   `yaml:",inline"`
}

// Table is one source table in the model.
type Table struct {
	Name   string `json:"name" yaml:"name"`
	Schema string `json:"schema,omitempty" yaml:"schema,omitempty"`
	Rows   int64  `json:"rows" yaml:"rows"`
	// Sampled is the number of rows statistics were computed on when the
	// table was sampled (0 = all rows).
	Sampled int64 `json:"sampled,omitempty" yaml:"sampled,omitempty"`

	Role            Role      `json:"role" yaml:"role"`
	RoleInference   Inference `json:"role_inference" yaml:"role_inference"`
	Entity          Entity    `json:"entity" yaml:"entity"`
	EntityInference Inference `json:"entity_inference" yaml:"entity_inference"`

	// PrimaryKey is the grain: the columns that identify a row.
	PrimaryKey   []string  `json:"primary_key,omitempty" yaml:"primary_key,omitempty"`
	KeyInference Inference `json:"key_inference" yaml:"key_inference"`
	// InferredKey is the analysis's key when a reviewer replaced it.
	InferredKey []string `json:"inferred_key,omitempty" yaml:"inferred_key,omitempty"`
	// Alternatives are other unique column sets found.
	AlternateKeys [][]string `json:"alternate_keys,omitempty" yaml:"alternate_keys,omitempty"`

	Measures []string `json:"measures,omitempty" yaml:"measures,omitempty"`
	SCD      SCD      `json:"scd" yaml:"scd"`
	Columns  []Column `json:"columns" yaml:"columns"`
}

// Relationship is a foreign key (possibly composite): child columns
// reference parent (key) columns.
type Relationship struct {
	Name        string   `json:"name" yaml:"name"`
	FromTable   string   `json:"from_table" yaml:"from_table"`
	FromColumns []string `json:"from_columns" yaml:"from_columns"`
	ToTable     string   `json:"to_table" yaml:"to_table"`
	ToColumns   []string `json:"to_columns" yaml:"to_columns"`
	// Declared is true when the engine records the constraint.
	Declared bool `json:"declared,omitempty" yaml:"declared,omitempty"`
	// Coverage is the share of distinct non-null child values found in the
	// parent (1 = all).
	Coverage  float64 `json:"coverage" yaml:"coverage"`
	Inference `yaml:",inline"`
}

// Decision is a reviewer's correction, replayed on re-analysis.
type Decision struct {
	// Action: approve_entity, set_key, add_relationship,
	// remove_relationship, merge_columns.
	Action string `json:"action" yaml:"action"`
	Table  string `json:"table,omitempty" yaml:"table,omitempty"`
	Role   Role   `json:"role,omitempty" yaml:"role,omitempty"`
	Entity Entity `json:"entity,omitempty" yaml:"entity,omitempty"`
	// Columns: the key (set_key), the child columns (relationships) or
	// the merged columns (merge_columns).
	Columns   []string  `json:"columns,omitempty" yaml:"columns,omitempty"`
	ToTable   string    `json:"to_table,omitempty" yaml:"to_table,omitempty"`
	ToColumns []string  `json:"to_columns,omitempty" yaml:"to_columns,omitempty"`
	Into      string    `json:"into,omitempty" yaml:"into,omitempty"`
	Strategy  string    `json:"strategy,omitempty" yaml:"strategy,omitempty"`
	At        time.Time `json:"at" yaml:"at"`
}

// Status of a model.
type Status string

// Statuses: an approved model is frozen for generation; any review
// action returns it to draft.
const (
	StatusDraft    Status = "draft"
	StatusApproved Status = "approved"
)

// Model is the canonical model of one source.
type Model struct {
	Name       string     `json:"name" yaml:"name"`
	Connection string     `json:"connection" yaml:"connection"`
	Schema     string     `json:"schema,omitempty" yaml:"schema,omitempty"`
	Status     Status     `json:"status" yaml:"status"`
	AnalyzedAt time.Time  `json:"analyzed_at" yaml:"analyzed_at"`
	ApprovedAt *time.Time `json:"approved_at,omitempty" yaml:"approved_at,omitempty"`
	// SampleRows is the row count above which statistics were sampled.
	SampleRows    int64          `json:"sample_rows" yaml:"sample_rows"`
	Tables        []*Table       `json:"tables" yaml:"tables"`
	Relationships []Relationship `json:"relationships" yaml:"relationships"`
	Decisions     []Decision     `json:"decisions,omitempty" yaml:"decisions,omitempty"`
	// RemovedRelationships are inferred relationships a reviewer removed,
	// kept so re-analysis does not report them as new.
	RemovedRelationships []Relationship `json:"removed_relationships,omitempty" yaml:"removed_relationships,omitempty"`
}

// Table returns the table with the name (case-insensitive) or nil.
func (m *Model) Table(name string) *Table {
	for _, t := range m.Tables {
		if equalFold(t.Name, name) {
			return t
		}
	}
	return nil
}

// Column returns the column with the name (case-insensitive) or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if equalFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
