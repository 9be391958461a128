package sqlserver

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// QuoteIdent quotes a SQL Server identifier: [name], with ] doubled.
func QuoteIdent(name string) string {
	return "[" + strings.ReplaceAll(name, "]", "]]") + "]"
}

// QuoteQualified quotes and dot-joins the non-empty parts.
func QuoteQualified(parts ...string) string {
	return connector.JoinQuoted(QuoteIdent, parts...)
}

// Meta implements sqldb.Meta with sys.* catalogue views of the current
// database; every value is a bound @pN parameter.
type Meta struct {
	// DefaultSchema is used when a call names no schema; when it is empty
	// too, the login's default schema (SCHEMA_NAME()) is.
	DefaultSchema string
}

var _ sqldb.Meta = Meta{}

// Schemas excludes sys, INFORMATION_SCHEMA and the schemas of the fixed
// database roles (db_owner, db_datareader, ...; schema_id 16384-16399).
const schemasSQL = `SELECT s.name FROM sys.schemas AS s
WHERE s.name NOT IN (N'sys', N'INFORMATION_SCHEMA') AND NOT (s.schema_id BETWEEN 16384 AND 16399)
ORDER BY s.name`

const tablesSQL = `SELECT s.name, o.name, o.type, CAST(ep.value AS nvarchar(4000))
FROM sys.objects AS o
JOIN sys.schemas AS s ON s.schema_id = o.schema_id
LEFT JOIN sys.extended_properties AS ep ON ep.class = 1 AND ep.major_id = o.object_id AND ep.minor_id = 0 AND ep.name = N'MS_Description'
WHERE s.name = COALESCE(NULLIF(@p1, N''), SCHEMA_NAME()) AND o.type IN ('U', 'V') AND o.is_ms_shipped = 0
ORDER BY o.name`

const tableSQL = `SELECT s.name, o.name, o.type, CAST(ep.value AS nvarchar(4000))
FROM sys.objects AS o
JOIN sys.schemas AS s ON s.schema_id = o.schema_id
LEFT JOIN sys.extended_properties AS ep ON ep.class = 1 AND ep.major_id = o.object_id AND ep.minor_id = 0 AND ep.name = N'MS_Description'
WHERE s.name = COALESCE(NULLIF(@p1, N''), SCHEMA_NAME()) AND o.name = @p2 AND o.type IN ('U', 'V')`

const columnsSQL = `SELECT c.name, ty.name, c.max_length, c.precision, c.scale, c.is_nullable, c.column_id, dc.definition, CAST(ep.value AS nvarchar(4000))
FROM sys.columns AS c
JOIN sys.objects AS o ON o.object_id = c.object_id
JOIN sys.schemas AS s ON s.schema_id = o.schema_id
JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id
LEFT JOIN sys.default_constraints AS dc ON dc.object_id = c.default_object_id
LEFT JOIN sys.extended_properties AS ep ON ep.class = 1 AND ep.major_id = c.object_id AND ep.minor_id = c.column_id AND ep.name = N'MS_Description'
WHERE s.name = @p1 AND o.name = @p2
ORDER BY c.column_id`

// Primary keys, unique constraints and unfiltered unique indexes, key
// columns in key order.
const keysSQL = `SELECT i.name, i.is_primary_key, c.name
FROM sys.indexes AS i
JOIN sys.objects AS o ON o.object_id = i.object_id
JOIN sys.schemas AS s ON s.schema_id = o.schema_id
JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
WHERE s.name = @p1 AND o.name = @p2 AND (i.is_primary_key = 1 OR i.is_unique = 1) AND i.has_filter = 0 AND ic.is_included_column = 0
ORDER BY i.is_primary_key DESC, i.name, ic.key_ordinal`

const foreignKeysSQL = `SELECT fk.name, pc.name, rs.name, ro.name, rc.name
FROM sys.foreign_keys AS fk
JOIN sys.objects AS o ON o.object_id = fk.parent_object_id
JOIN sys.schemas AS s ON s.schema_id = o.schema_id
JOIN sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id
JOIN sys.columns AS pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id
JOIN sys.objects AS ro ON ro.object_id = fkc.referenced_object_id
JOIN sys.schemas AS rs ON rs.schema_id = ro.schema_id
JOIN sys.columns AS rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
WHERE s.name = @p1 AND o.name = @p2
ORDER BY fk.name, fkc.constraint_column_id`

// Schemas lists user schemas.
func (m Meta) Schemas(ctx context.Context, q connector.Querier) ([]catalog.Schema, error) {
	rows, err := sqldb.Strings(ctx, q, schemasSQL)
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

func kind(objType string) string {
	if strings.TrimSpace(objType) == "V" {
		return catalog.KindView
	}
	return catalog.KindTable
}

// Tables lists the user tables and views of a schema.
func (m Meta) Tables(ctx context.Context, q connector.Querier, schema string) ([]catalog.Table, error) {
	rows, err := sqldb.Strings(ctx, q, tablesSQL, m.schema(schema))
	if err != nil {
		return nil, err
	}
	out := make([]catalog.Table, 0, len(rows))
	for _, r := range rows {
		out = append(out, catalog.Table{Schema: r[0], Name: r[1], Kind: kind(r[2]), Comment: r[3]})
	}
	return out, nil
}

// Describe returns columns, primary key, unique keys and foreign keys.
func (m Meta) Describe(ctx context.Context, q connector.Querier, schema, table string) (*catalog.TableDetail, error) {
	rows, err := sqldb.Strings(ctx, q, tableSQL, m.schema(schema), table)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		s := m.schema(schema)
		if s == "" {
			s = "(default schema)"
		}
		return nil, fmt.Errorf("%w: %s.%s", connector.ErrTableNotFound, s, table)
	}
	r := rows[0]
	d := &catalog.TableDetail{Table: catalog.Table{Schema: r[0], Name: r[1], Kind: kind(r[2]), Comment: r[3]}}
	cols, err := sqldb.Strings(ctx, q, columnsSQL, d.Schema, d.Name)
	if err != nil {
		return nil, err
	}
	for i, c := range cols {
		pos, err := strconv.Atoi(c[6])
		if err != nil {
			pos = i + 1
		}
		col := catalog.Column{
			Name:     c[0],
			Type:     columnType(c[1], c[2], c[3], c[4]),
			Nullable: isTrue(c[5]),
			Position: pos,
			Comment:  c[8],
		}
		if c[7] != "" {
			def := c[7]
			col.Default = &def
		}
		d.Columns = append(d.Columns, col)
	}
	keys, err := sqldb.Strings(ctx, q, keysSQL, d.Schema, d.Name)
	if err != nil {
		return nil, err
	}
	d.PrimaryKey, d.UniqueKeys = groupKeys(keys)
	fks, err := sqldb.Strings(ctx, q, foreignKeysSQL, d.Schema, d.Name)
	if err != nil {
		return nil, err
	}
	d.ForeignKeys = groupForeignKeys(fks)
	return d, nil
}

func isTrue(s string) bool {
	return s == "true" || s == "1"
}

// groupKeys turns (index name, is primary key, column) rows, ordered by
// index and key ordinal, into the primary key and unique keys.
func groupKeys(rows [][]string) (pk []string, uniques []catalog.UniqueKey) {
	for _, r := range rows {
		if isTrue(r[1]) {
			pk = append(pk, r[2])
			continue
		}
		if n := len(uniques); n > 0 && uniques[n-1].Name == r[0] {
			uniques[n-1].Columns = append(uniques[n-1].Columns, r[2])
			continue
		}
		uniques = append(uniques, catalog.UniqueKey{Name: r[0], Columns: []string{r[2]}})
	}
	return pk, uniques
}

// groupForeignKeys turns (fk name, column, ref schema, ref table, ref
// column) rows, ordered by name and column ordinal, into foreign keys.
func groupForeignKeys(rows [][]string) []catalog.ForeignKey {
	var out []catalog.ForeignKey
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1].Name == r[0] {
			out[n-1].Columns = append(out[n-1].Columns, r[1])
			out[n-1].RefColumns = append(out[n-1].RefColumns, r[4])
			continue
		}
		out = append(out, catalog.ForeignKey{Name: r[0], Columns: []string{r[1]}, RefSchema: r[2], RefTable: r[3], RefColumns: []string{r[4]}})
	}
	return out
}

// columnType renders a sys.types name with its length, precision or scale
// as SQL Server's DDL spells it: nvarchar(50), varchar(max), decimal(18,2),
// datetime2(7).
func columnType(name, maxLength, precision, scale string) string {
	n := strings.ToLower(name)
	ml, _ := strconv.Atoi(maxLength)
	switch n {
	case "varchar", "char", "varbinary", "binary":
		if ml == -1 {
			return n + "(max)"
		}
		return n + "(" + strconv.Itoa(ml) + ")"
	case "nvarchar", "nchar":
		if ml == -1 {
			return n + "(max)"
		}
		return n + "(" + strconv.Itoa(ml/2) + ")"
	case "decimal", "numeric":
		return n + "(" + precision + "," + scale + ")"
	case "datetime2", "datetimeoffset", "time":
		return n + "(" + scale + ")"
	}
	return n
}
