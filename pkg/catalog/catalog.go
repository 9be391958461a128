// Package catalog holds the metadata types databridge uses to describe what a
// connection contains: schemas, tables, columns, keys and relationships. They
// are plain data, shared by connectors, the semantic analyzer, the warehouse
// modeler and the MCP tools, and they marshal to stable JSON and YAML.
package catalog

import "strings"

// Schema is a namespace inside a connection (a PostgreSQL schema, a MySQL
// database, a BigQuery dataset, a folder of files).
type Schema struct {
	Name string `json:"name" yaml:"name"`
}

// Table kinds.
const (
	KindTable = "table"
	KindView  = "view"
	KindFile  = "file"
)

// Table is one relation in a schema.
type Table struct {
	Schema  string `json:"schema" yaml:"schema"`
	Name    string `json:"name" yaml:"name"`
	Kind    string `json:"kind" yaml:"kind"`
	Comment string `json:"comment,omitempty" yaml:"comment,omitempty"`
	// Location is the file behind a table of the files connector.
	Location string `json:"location,omitempty" yaml:"location,omitempty"`
}

// Column is one column of a table, in ordinal order.
type Column struct {
	Name     string  `json:"name" yaml:"name"`
	Type     string  `json:"type" yaml:"type"`
	Nullable bool    `json:"nullable" yaml:"nullable"`
	Position int     `json:"position" yaml:"position"`
	Default  *string `json:"default,omitempty" yaml:"default,omitempty"`
	Comment  string  `json:"comment,omitempty" yaml:"comment,omitempty"`
	// Format is how a file writes the values of a column typed as a
	// decimal when its text is not a plain number: dialect.AmountUS or
	// AmountEU (formatted amounts, read by the files connector).
	Format string `json:"format,omitempty" yaml:"format,omitempty"`
}

// ForeignKey is a declared reference from columns of one table to columns of
// another.
type ForeignKey struct {
	Name       string   `json:"name,omitempty" yaml:"name,omitempty"`
	Columns    []string `json:"columns" yaml:"columns"`
	RefSchema  string   `json:"ref_schema" yaml:"ref_schema"`
	RefTable   string   `json:"ref_table" yaml:"ref_table"`
	RefColumns []string `json:"ref_columns" yaml:"ref_columns"`
}

// UniqueKey is a declared unique constraint (other than the primary key).
type UniqueKey struct {
	Name    string   `json:"name,omitempty" yaml:"name,omitempty"`
	Columns []string `json:"columns" yaml:"columns"`
}

// TableDetail is what describe returns: the table with its columns and the
// keys the engine records. Engines that do not record keys leave them empty.
type TableDetail struct {
	Table
	Columns     []Column     `json:"columns" yaml:"columns"`
	PrimaryKey  []string     `json:"primary_key,omitempty" yaml:"primary_key,omitempty"`
	UniqueKeys  []UniqueKey  `json:"unique_keys,omitempty" yaml:"unique_keys,omitempty"`
	ForeignKeys []ForeignKey `json:"foreign_keys,omitempty" yaml:"foreign_keys,omitempty"`
}

// Column returns the column with the given name (case-insensitive) or nil.
func (t *TableDetail) Column(name string) *Column {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

// QualifiedName renders schema.name, or just name when there is no schema.
func (t Table) QualifiedName() string {
	if t.Schema == "" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}
