package databricks

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// QuoteIdent quotes a Databricks (Spark SQL) identifier: `name`, with
// backticks doubled.
func QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// QuoteQualified quotes and dot-joins the non-empty parts.
func QuoteQualified(parts ...string) string {
	return connector.JoinQuoted(QuoteIdent, parts...)
}

// Meta implements sqldb.Meta over the Unity Catalog information_schema of
// one catalog: the configured one, else the session's current catalog.
// Values are bound as positional ? parameters (native parameters of
// databricks-sql-go); the catalog name, an identifier, is quoted. Unity
// Catalog stores names in lower case, so names are compared lower-cased.
type Meta struct {
	Catalog       string
	DefaultSchema string
}

var _ sqldb.Meta = Meta{}

// infoSchema returns the qualified information_schema view name.
func (m Meta) infoSchema(view string) string {
	if m.Catalog == "" {
		return "information_schema." + view
	}
	return QuoteIdent(m.Catalog) + ".information_schema." + view
}

// schemaExpr is the schema filter: the given schema, else the session's.
const schemaExpr = `lower(coalesce(nullif(?, ''), current_schema()))`

func (m Meta) schemasSQL() string {
	return `SELECT schema_name FROM ` + m.infoSchema("schemata") +
		` WHERE schema_name <> 'information_schema' ORDER BY schema_name`
}

func (m Meta) tablesSQL() string {
	return `SELECT table_schema, table_name, table_type, comment FROM ` + m.infoSchema("tables") +
		` WHERE table_schema = ` + schemaExpr + ` ORDER BY table_name`
}

func (m Meta) tableSQL() string {
	return `SELECT table_schema, table_name, table_type, comment FROM ` + m.infoSchema("tables") +
		` WHERE table_schema = ` + schemaExpr + ` AND table_name = lower(?)`
}

// information_schema.columns.ordinal_position counts from 0 in Databricks.
func (m Meta) columnsSQL() string {
	return `SELECT column_name, full_data_type, is_nullable, ordinal_position, column_default, comment FROM ` + m.infoSchema("columns") +
		` WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`
}

func (m Meta) keysSQL() string {
	return `SELECT tc.constraint_name, tc.constraint_type, kcu.column_name FROM ` + m.infoSchema("table_constraints") + ` AS tc` +
		` JOIN ` + m.infoSchema("key_column_usage") + ` AS kcu` +
		` ON kcu.constraint_catalog = tc.constraint_catalog AND kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name` +
		` WHERE tc.table_schema = ? AND tc.table_name = ? AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')` +
		` ORDER BY CASE tc.constraint_type WHEN 'PRIMARY KEY' THEN 0 ELSE 1 END, tc.constraint_name, kcu.ordinal_position`
}

func (m Meta) foreignKeysSQL() string {
	return `SELECT rc.constraint_name, kcu.column_name, pk.table_schema, pk.table_name, pk.column_name FROM ` + m.infoSchema("referential_constraints") + ` AS rc` +
		` JOIN ` + m.infoSchema("key_column_usage") + ` AS kcu` +
		` ON kcu.constraint_catalog = rc.constraint_catalog AND kcu.constraint_schema = rc.constraint_schema AND kcu.constraint_name = rc.constraint_name` +
		` JOIN ` + m.infoSchema("key_column_usage") + ` AS pk` +
		` ON pk.constraint_catalog = rc.unique_constraint_catalog AND pk.constraint_schema = rc.unique_constraint_schema AND pk.constraint_name = rc.unique_constraint_name` +
		` AND pk.ordinal_position = kcu.position_in_unique_constraint` +
		` WHERE kcu.table_schema = ? AND kcu.table_name = ?` +
		` ORDER BY rc.constraint_name, kcu.ordinal_position`
}

// Schemas lists the schemas of the catalog.
func (m Meta) Schemas(ctx context.Context, q connector.Querier) ([]catalog.Schema, error) {
	rows, err := sqldb.Strings(ctx, q, m.schemasSQL())
	if err != nil {
		return nil, err
	}
	out := make([]catalog.Schema, 0, len(rows))
	for _, r := range rows {
		out = append(out, catalog.Schema{Name: r[0]})
	}
	return out, nil
}

func (m Meta) schema(s string) string {
	if s == "" {
		return m.DefaultSchema
	}
	return s
}

func kind(tableType string) string {
	if strings.Contains(strings.ToUpper(tableType), "VIEW") {
		return catalog.KindView
	}
	return catalog.KindTable
}

// Tables lists tables and views (table_type MANAGED, EXTERNAL, VIEW,
// MATERIALIZED_VIEW, STREAMING_TABLE, ...).
func (m Meta) Tables(ctx context.Context, q connector.Querier, schema string) ([]catalog.Table, error) {
	rows, err := sqldb.Strings(ctx, q, m.tablesSQL(), m.schema(schema))
	if err != nil {
		return nil, err
	}
	out := make([]catalog.Table, 0, len(rows))
	for _, r := range rows {
		out = append(out, catalog.Table{Schema: r[0], Name: r[1], Kind: kind(r[2]), Comment: r[3]})
	}
	return out, nil
}

// Describe returns columns and the informational primary, unique and
// foreign keys Unity Catalog records.
func (m Meta) Describe(ctx context.Context, q connector.Querier, schema, table string) (*catalog.TableDetail, error) {
	rows, err := sqldb.Strings(ctx, q, m.tableSQL(), m.schema(schema), table)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		s := m.schema(schema)
		if s == "" {
			s = "(current schema)"
		}
		return nil, fmt.Errorf("%w: %s.%s", connector.ErrTableNotFound, s, table)
	}
	r := rows[0]
	d := &catalog.TableDetail{Table: catalog.Table{Schema: r[0], Name: r[1], Kind: kind(r[2]), Comment: r[3]}}
	cols, err := sqldb.Strings(ctx, q, m.columnsSQL(), d.Schema, d.Name)
	if err != nil {
		return nil, err
	}
	for i, c := range cols {
		pos := i + 1
		if n, err := strconv.Atoi(c[3]); err == nil {
			pos = n + 1
		}
		col := catalog.Column{Name: c[0], Type: c[1], Nullable: strings.EqualFold(c[2], "YES"), Position: pos, Comment: c[5]}
		if c[4] != "" {
			def := c[4]
			col.Default = &def
		}
		d.Columns = append(d.Columns, col)
	}
	keys, err := sqldb.Strings(ctx, q, m.keysSQL(), d.Schema, d.Name)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k[1] == "PRIMARY KEY" {
			d.PrimaryKey = append(d.PrimaryKey, k[2])
			continue
		}
		if n := len(d.UniqueKeys); n > 0 && d.UniqueKeys[n-1].Name == k[0] {
			d.UniqueKeys[n-1].Columns = append(d.UniqueKeys[n-1].Columns, k[2])
			continue
		}
		d.UniqueKeys = append(d.UniqueKeys, catalog.UniqueKey{Name: k[0], Columns: []string{k[2]}})
	}
	fks, err := sqldb.Strings(ctx, q, m.foreignKeysSQL(), d.Schema, d.Name)
	if err != nil {
		return nil, err
	}
	for _, f := range fks {
		if n := len(d.ForeignKeys); n > 0 && d.ForeignKeys[n-1].Name == f[0] {
			d.ForeignKeys[n-1].Columns = append(d.ForeignKeys[n-1].Columns, f[1])
			d.ForeignKeys[n-1].RefColumns = append(d.ForeignKeys[n-1].RefColumns, f[4])
			continue
		}
		d.ForeignKeys = append(d.ForeignKeys, catalog.ForeignKey{Name: f[0], Columns: []string{f[1]}, RefSchema: f[2], RefTable: f[3], RefColumns: []string{f[4]}})
	}
	return d, nil
}
