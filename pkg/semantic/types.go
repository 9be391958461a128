// Package semantic analyses an unknown source schema and proposes a
// canonical model: it profiles every table and column in the engine (as
// SQL, sampled above a row count), finds keys (grain) and relationships,
// classifies tables (fact, dimension, bridge, time) and entities, detects
// measures and slowly changing dimensions, and records for every inference
// a confidence and its evidence.
package semantic

import "github.com/databridge/databridge/pkg/model"

// Options tune an analysis.
type Options struct {
	// Schema to analyse ("" = the connection's default).
	Schema string
	// Tables limits the analysis (empty = every table of the schema).
	Tables []string
	// SampleRows: tables with more rows are profiled on a sample of about
	// this many rows (0 = DefaultSampleRows; negative = never sample).
	// Key uniqueness and relationship coverage are confirmed on full data.
	SampleRows int64
	// TopValues is how many most frequent values to keep per column.
	TopValues int
	// MaxKeyColumns bounds composite key search (1..3; default 3).
	MaxKeyColumns int
	// Parallel is how many tables are profiled at once (0 = the number
	// of CPUs, at least 4, at most 8; 1 = one after another).
	Parallel int
	// MinCoverage is the share of child values that must exist in the
	// parent for a relationship (default 0.98: tolerant of a little dirty
	// data).
	MinCoverage float64
}

// DefaultSampleRows is the sampling threshold when Options says nothing.
const DefaultSampleRows = 1_000_000

// TopValue is a frequent value and its count.
type TopValue struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// ColumnProfile holds a column's statistics, computed in the engine.
type ColumnProfile struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// Format: how a file writes the column's amounts (catalog.Column).
	Format   string `json:"format,omitempty"`
	Position int    `json:"position"`
	Nullable bool   `json:"nullable"`
	Rows     int64  `json:"rows"`
	Nulls    int64  `json:"nulls"`
	Distinct int64  `json:"distinct"`
	Min      string `json:"min,omitempty"`
	Max      string `json:"max,omitempty"`
	// Text lengths (of the value cast to text).
	MinLength int        `json:"min_length"`
	MaxLength int        `json:"max_length"`
	AvgLength float64    `json:"avg_length"`
	Top       []TopValue `json:"top,omitempty"`
	// Pattern is the dominant value pattern: date, timestamp, email,
	// amount, integer, boolean, code, identifier, text.
	Pattern string `json:"pattern,omitempty"`
	// PatternShare is the share of non-null values matching Pattern.
	PatternShare float64 `json:"pattern_share,omitempty"`
	// Class: numeric, categorical, free_text, temporal, boolean,
	// identifier.
	Class string `json:"class,omitempty"`
	// Numeric is true for numeric types (or text that is all numbers).
	Numeric bool `json:"numeric"`
	// Temporal is true for date/time types (or text that is all dates).
	Temporal bool `json:"temporal"`
}

// TableProfile is a table's profile.
type TableProfile struct {
	Schema  string          `json:"schema,omitempty"`
	Name    string          `json:"name"`
	Rows    int64           `json:"rows"`
	Sampled int64           `json:"sampled,omitempty"` // rows profiled when sampled
	Columns []ColumnProfile `json:"columns"`
	// Declared keys from the catalogue, used as facts.
	DeclaredPK  []string             `json:"declared_pk,omitempty"`
	DeclaredFKs []model.Relationship `json:"declared_fks,omitempty"`
}

// Column returns a column's profile by name (case-insensitive) or nil.
func (t *TableProfile) Column(name string) *ColumnProfile {
	for i := range t.Columns {
		if eqFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

// KeyCandidate is a unique column combination.
type KeyCandidate struct {
	Columns []string `json:"columns"`
	// Score ranks candidates (name, position, type, width); the best is
	// the suggested primary key / grain.
	Score           float64 `json:"score"`
	model.Inference `json:",inline"`
}

func eqFold(a, b string) bool {
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
