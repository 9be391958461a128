package duckdb

import (
	"context"
	"fmt"
	"strconv"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// DefaultSchema is the schema DuckDB creates in every database.
const DefaultSchema = "main"

// Meta is DuckDB's catalogue, read from the duckdb_schemas(), duckdb_tables(),
// duckdb_views(), duckdb_columns() and duckdb_constraints() table functions
// of the current database. Names are matched case-insensitively, as DuckDB
// resolves identifiers, and reported as stored. Every value is bound.
type Meta struct{}

// Schemas lists the schemas of the current database, without the system
// ones (information_schema, pg_catalog); main is included.
func (Meta) Schemas(ctx context.Context, q connector.Querier) ([]catalog.Schema, error) {
	res, err := q.Query(ctx, `
SELECT DISTINCT schema_name FROM duckdb_schemas()
WHERE database_name = current_database()
  AND schema_name NOT IN ('information_schema', 'pg_catalog')
ORDER BY schema_name`, connector.QueryOptions{MaxRows: -1})
	if err != nil {
		return nil, fmt.Errorf("list schemas: %w", err)
	}
	out := make([]catalog.Schema, 0, len(res.Rows))
	for _, r := range res.Rows {
		out = append(out, catalog.Schema{Name: sqldb.Str(r[0])})
	}
	return out, nil
}

const relationsSQL = `
SELECT schema_name, table_name AS name, 'table' AS kind, comment
FROM duckdb_tables()
WHERE database_name = current_database() AND NOT internal
  AND lower(schema_name) = lower($1) AND ($2 = '' OR lower(table_name) = lower($2))
UNION ALL
SELECT schema_name, view_name, 'view', comment
FROM duckdb_views()
WHERE database_name = current_database() AND NOT internal
  AND lower(schema_name) = lower($1) AND ($2 = '' OR lower(view_name) = lower($2))
ORDER BY name`

// Tables lists the tables and views of schema ("" means main).
func (m Meta) Tables(ctx context.Context, q connector.Querier, schema string) ([]catalog.Table, error) {
	if schema == "" {
		schema = DefaultSchema
	}
	out, err := relations(ctx, q, schema, "")
	if err != nil {
		return nil, fmt.Errorf("list tables in schema %s: %w", schema, err)
	}
	if len(out) == 0 {
		ok, err := schemaExists(ctx, q, schema)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("schema %q not found", schema)
		}
	}
	return out, nil
}

func relations(ctx context.Context, q connector.Querier, schema, name string) ([]catalog.Table, error) {
	res, err := q.Query(ctx, relationsSQL, connector.QueryOptions{MaxRows: -1}, schema, name)
	if err != nil {
		return nil, err
	}
	out := make([]catalog.Table, 0, len(res.Rows))
	for _, r := range res.Rows {
		out = append(out, catalog.Table{Schema: sqldb.Str(r[0]), Name: sqldb.Str(r[1]), Kind: sqldb.Str(r[2]), Comment: sqldb.Str(r[3])})
	}
	return out, nil
}

func schemaExists(ctx context.Context, q connector.Querier, schema string) (bool, error) {
	res, err := q.Query(ctx, `
SELECT 1 FROM duckdb_schemas()
WHERE database_name = current_database() AND lower(schema_name) = lower($1)`,
		connector.QueryOptions{MaxRows: 1}, schema)
	if err != nil {
		return false, fmt.Errorf("look up schema %s: %w", schema, err)
	}
	return len(res.Rows) > 0, nil
}

// Describe returns the columns of schema.table ("" schema means main) with
// the primary key, unique keys and foreign keys DuckDB records. A missing
// table is an error wrapping connector.ErrTableNotFound.
func (m Meta) Describe(ctx context.Context, q connector.Querier, schema, table string) (*catalog.TableDetail, error) {
	if schema == "" {
		schema = DefaultSchema
	}
	if table == "" {
		return nil, fmt.Errorf("%w: no table name given", connector.ErrTableNotFound)
	}
	rels, err := relations(ctx, q, schema, table)
	if err != nil {
		return nil, fmt.Errorf("describe %s.%s: %w", schema, table, err)
	}
	if len(rels) == 0 {
		return nil, fmt.Errorf("%w: %s.%s", connector.ErrTableNotFound, schema, table)
	}
	d := &catalog.TableDetail{Table: rels[0], Columns: []catalog.Column{}}
	schema, table = d.Schema, d.Name

	res, err := q.Query(ctx, `
SELECT column_name, data_type, is_nullable, column_index, column_default, comment
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = $1 AND table_name = $2
ORDER BY column_index`, connector.QueryOptions{MaxRows: -1}, schema, table)
	if err != nil {
		return nil, fmt.Errorf("describe %s.%s: columns: %w", schema, table, err)
	}
	for _, r := range res.Rows {
		c := catalog.Column{
			Name:     sqldb.Str(r[0]),
			Type:     sqldb.Str(r[1]),
			Nullable: r[2] == true,
			Position: num(r[3]),
			Comment:  sqldb.Str(r[5]),
		}
		if r[4] != nil {
			def := sqldb.Str(r[4])
			c.Default = &def
		}
		d.Columns = append(d.Columns, c)
	}

	if d.Kind != catalog.KindTable {
		return d, nil
	}
	res, err = q.Query(ctx, `
SELECT constraint_type, constraint_name, constraint_column_names, referenced_table, referenced_column_names
FROM duckdb_constraints()
WHERE database_name = current_database() AND schema_name = $1 AND table_name = $2
  AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
ORDER BY constraint_index`, connector.QueryOptions{MaxRows: -1}, schema, table)
	if err != nil {
		return nil, fmt.Errorf("describe %s.%s: constraints: %w", schema, table, err)
	}
	for _, r := range res.Rows {
		cols := strs(r[2])
		switch sqldb.Str(r[0]) {
		case "PRIMARY KEY":
			d.PrimaryKey = cols
		case "UNIQUE":
			d.UniqueKeys = append(d.UniqueKeys, catalog.UniqueKey{Name: sqldb.Str(r[1]), Columns: cols})
		case "FOREIGN KEY":
			// DuckDB only creates foreign keys within one schema.
			d.ForeignKeys = append(d.ForeignKeys, catalog.ForeignKey{
				Name:       sqldb.Str(r[1]),
				Columns:    cols,
				RefSchema:  schema,
				RefTable:   sqldb.Str(r[3]),
				RefColumns: strs(r[4]),
			})
		}
	}
	return d, nil
}

func num(v any) int {
	switch x := v.(type) {
	case int64:
		return int(x)
	case int32:
		return int(x)
	case int:
		return x
	case uint64:
		return int(x)
	case uint32:
		return int(x)
	case float64:
		return int(x)
	}
	n, _ := strconv.Atoi(sqldb.Str(v))
	return n
}

func strs(v any) []string {
	list, ok := v.([]any)
	if !ok {
		if v == nil {
			return nil
		}
		return []string{sqldb.Str(v)}
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		out = append(out, sqldb.Str(e))
	}
	return out
}
