package snowflake

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// QuoteIdent quotes a Snowflake identifier: wrapped in double quotes, inner
// double quotes doubled. A quoted identifier is case-sensitive, so pass the
// name as stored (unquoted names are stored upper-case).
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteQualified quotes and dot-joins the non-empty parts.
func QuoteQualified(parts ...string) string {
	return connector.JoinQuoted(QuoteIdent, parts...)
}

// Meta implements sqldb.Meta for Snowflake: INFORMATION_SCHEMA of the
// current database for schemas, tables and columns, and SHOW PRIMARY /
// UNIQUE / IMPORTED KEYS for keys (INFORMATION_SCHEMA has no key columns).
// When a SHOW statement fails (an emulator without it, a role without
// privileges on the table) Describe still returns the columns, with the
// keys that could be read.
type Meta struct{}

var _ sqldb.Meta = Meta{}

const schemasSQL = `SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME <> 'INFORMATION_SCHEMA' ORDER BY SCHEMA_NAME`

// Schemas lists the schemas of the current database.
func (Meta) Schemas(ctx context.Context, q connector.Querier) ([]catalog.Schema, error) {
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

// Unquoted Snowflake identifiers are stored upper-case; a name is matched as
// given first, then upper-cased, so both "orders" and "ORDERS" find ORDERS
// while a quoted lower-case "orders" table is still found exactly.
const tablesSQL = `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, COMMENT FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA IN (?, UPPER(?)) ORDER BY TABLE_SCHEMA, TABLE_NAME`

const tableSQL = `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, COMMENT FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA IN (?, UPPER(?)) AND TABLE_NAME IN (?, UPPER(?))`

// Snowflake lists views in INFORMATION_SCHEMA.TABLES (TABLE_TYPE 'VIEW');
// some emulators (fakesnow) list them only in INFORMATION_SCHEMA.VIEWS, so
// views found there and not in TABLES are added.
const viewsSQL = `SELECT TABLE_SCHEMA, TABLE_NAME, 'VIEW', COMMENT FROM INFORMATION_SCHEMA.VIEWS WHERE TABLE_SCHEMA IN (?, UPPER(?)) ORDER BY TABLE_SCHEMA, TABLE_NAME`

const viewSQL = `SELECT TABLE_SCHEMA, TABLE_NAME, 'VIEW', COMMENT FROM INFORMATION_SCHEMA.VIEWS WHERE TABLE_SCHEMA IN (?, UPPER(?)) AND TABLE_NAME IN (?, UPPER(?))`

const columnsSQL = `SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, ORDINAL_POSITION, COLUMN_DEFAULT, COMMENT, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`

const currentSQL = `SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()`

func current(ctx context.Context, q connector.Querier) (db, schema string, err error) {
	rows, err := sqldb.Strings(ctx, q, currentSQL)
	if err != nil {
		return "", "", err
	}
	if len(rows) == 0 || len(rows[0]) < 2 {
		return "", "", nil
	}
	return rows[0][0], rows[0][1], nil
}

func defaultSchema(ctx context.Context, q connector.Querier, schema string) (string, error) {
	if schema != "" {
		return schema, nil
	}
	_, s, err := current(ctx, q)
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", fmt.Errorf("no schema given and the session has no current schema: set schema in the connection")
	}
	return s, nil
}

func tableKind(tableType string) string {
	if strings.Contains(strings.ToUpper(tableType), "VIEW") {
		return catalog.KindView
	}
	return catalog.KindTable
}

// preferExact picks, from rows whose column col matches want either exactly
// or upper-cased, the exact ones when there are any.
func preferExact(rows [][]string, col int, want string) [][]string {
	var exact, other [][]string
	for _, r := range rows {
		if r[col] == want {
			exact = append(exact, r)
		} else {
			other = append(other, r)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return other
}

// mergeRows adds the (schema, name) rows of extra not already in rows,
// keeping the result sorted by schema and name.
func mergeRows(rows, extra [][]string) [][]string {
	seen := make(map[[2]string]bool, len(rows))
	for _, r := range rows {
		seen[[2]string{r[0], r[1]}] = true
	}
	added := false
	for _, r := range extra {
		if !seen[[2]string{r[0], r[1]}] {
			rows = append(rows, r)
			added = true
		}
	}
	if added {
		sort.SliceStable(rows, func(i, j int) bool {
			if rows[i][0] != rows[j][0] {
				return rows[i][0] < rows[j][0]
			}
			return rows[i][1] < rows[j][1]
		})
	}
	return rows
}

// Tables lists tables and views of a schema (the current one when empty).
func (Meta) Tables(ctx context.Context, q connector.Querier, schema string) ([]catalog.Table, error) {
	schema, err := defaultSchema(ctx, q, schema)
	if err != nil {
		return nil, err
	}
	rows, err := sqldb.Strings(ctx, q, tablesSQL, schema, schema)
	if err != nil {
		return nil, err
	}
	views, err := sqldb.Strings(ctx, q, viewsSQL, schema, schema)
	if err != nil {
		return nil, err
	}
	rows = mergeRows(rows, views)
	rows = preferExact(rows, 0, schema)
	out := make([]catalog.Table, 0, len(rows))
	for _, r := range rows {
		out = append(out, catalog.Table{Schema: r[0], Name: r[1], Kind: tableKind(r[2]), Comment: r[3]})
	}
	return out, nil
}

// Describe returns the columns and keys of one table.
func (Meta) Describe(ctx context.Context, q connector.Querier, schema, table string) (*catalog.TableDetail, error) {
	db, cur, err := current(ctx, q)
	if err != nil {
		return nil, err
	}
	if schema == "" {
		schema = cur
	}
	if schema == "" {
		return nil, fmt.Errorf("no schema given and the session has no current schema: set schema in the connection")
	}
	rows, err := sqldb.Strings(ctx, q, tableSQL, schema, schema, table, table)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		if rows, err = sqldb.Strings(ctx, q, viewSQL, schema, schema, table, table); err != nil {
			return nil, err
		}
	}
	rows = preferExact(preferExact(rows, 0, schema), 1, table)
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: %s.%s", connector.ErrTableNotFound, schema, table)
	}
	r := rows[0]
	d := &catalog.TableDetail{Table: catalog.Table{Schema: r[0], Name: r[1], Kind: tableKind(r[2]), Comment: r[3]}}
	cols, err := sqldb.Strings(ctx, q, columnsSQL, d.Schema, d.Name)
	if err != nil {
		return nil, err
	}
	d.Columns = columnsFromRows(cols)
	target := QuoteQualified(db, d.Schema, d.Name)
	// Keys are best effort, see Meta.
	if res, err := q.Query(ctx, "SHOW PRIMARY KEYS IN TABLE "+target, connector.QueryOptions{MaxRows: -1}); err == nil {
		if pk := keysFromShow(res, d.Schema, d.Name); len(pk) > 0 {
			d.PrimaryKey = pk[0].Columns
		}
	}
	if res, err := q.Query(ctx, "SHOW UNIQUE KEYS IN TABLE "+target, connector.QueryOptions{MaxRows: -1}); err == nil {
		d.UniqueKeys = keysFromShow(res, d.Schema, d.Name)
	}
	if res, err := q.Query(ctx, "SHOW IMPORTED KEYS IN TABLE "+target, connector.QueryOptions{MaxRows: -1}); err == nil {
		d.ForeignKeys = foreignKeysFromShow(res, d.Schema, d.Name)
	}
	return d, nil
}

func columnsFromRows(rows [][]string) []catalog.Column {
	out := make([]catalog.Column, 0, len(rows))
	for i, r := range rows {
		pos, err := strconv.Atoi(r[3])
		if err != nil {
			pos = i + 1
		}
		c := catalog.Column{
			Name:     r[0],
			Type:     columnType(r[1], r[6], r[7], r[8]),
			Nullable: strings.EqualFold(r[2], "YES"),
			Position: pos,
			Comment:  r[5],
		}
		if r[4] != "" {
			def := r[4]
			c.Default = &def
		}
		out = append(out, c)
	}
	return out
}

// columnType renders INFORMATION_SCHEMA's DATA_TYPE with its length or
// precision: NUMBER(38,2), VARCHAR(100). TEXT is Snowflake's name for
// VARCHAR in INFORMATION_SCHEMA.
func columnType(dataType, charLen, precision, scale string) string {
	t := strings.ToUpper(dataType)
	switch t {
	case "NUMBER", "DECIMAL", "NUMERIC":
		if precision != "" {
			if scale == "" {
				scale = "0"
			}
			return "NUMBER(" + precision + "," + scale + ")"
		}
		return "NUMBER"
	case "TEXT", "VARCHAR", "STRING":
		if charLen != "" {
			return "VARCHAR(" + charLen + ")"
		}
		return "VARCHAR"
	}
	return t
}

// showColumns maps the lower-case column names of a SHOW result to their
// index.
func showColumns(res *connector.Result) map[string]int {
	idx := make(map[string]int, len(res.Columns))
	for i, c := range res.Columns {
		idx[strings.ToLower(c.Name)] = i
	}
	return idx
}

func cell(row []any, idx map[string]int, name string) string {
	i, ok := idx[name]
	if !ok || i >= len(row) || row[i] == nil {
		return ""
	}
	return fmt.Sprint(row[i])
}

func keySeq(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

type keyCol struct {
	seq  int
	col  string
	ref  string
	name string
}

// keysFromShow groups the rows of SHOW PRIMARY KEYS / SHOW UNIQUE KEYS
// (columns schema_name, table_name, column_name, key_sequence,
// constraint_name) into keys ordered by key_sequence. Rows for other tables
// are ignored, so a server that filters loosely does no harm.
func keysFromShow(res *connector.Result, schema, table string) []catalog.UniqueKey {
	idx := showColumns(res)
	var order []string
	groups := map[string][]keyCol{}
	for _, row := range res.Rows {
		if !sameName(cell(row, idx, "schema_name"), schema) || !sameName(cell(row, idx, "table_name"), table) {
			continue
		}
		name := cell(row, idx, "constraint_name")
		if _, seen := groups[name]; !seen {
			order = append(order, name)
		}
		groups[name] = append(groups[name], keyCol{seq: keySeq(cell(row, idx, "key_sequence")), col: cell(row, idx, "column_name")})
	}
	out := make([]catalog.UniqueKey, 0, len(order))
	for _, name := range order {
		cols := groups[name]
		sort.SliceStable(cols, func(i, j int) bool { return cols[i].seq < cols[j].seq })
		k := catalog.UniqueKey{Name: name}
		for _, c := range cols {
			k.Columns = append(k.Columns, c.col)
		}
		out = append(out, k)
	}
	return out
}

// foreignKeysFromShow groups SHOW IMPORTED KEYS rows (fk_schema_name,
// fk_table_name, fk_column_name, pk_schema_name, pk_table_name,
// pk_column_name, key_sequence, fk_name) into foreign keys. Rows without a
// referenced table are dropped.
func foreignKeysFromShow(res *connector.Result, schema, table string) []catalog.ForeignKey {
	idx := showColumns(res)
	type fk struct {
		refSchema, refTable string
		cols                []keyCol
	}
	var order []string
	groups := map[string]*fk{}
	for _, row := range res.Rows {
		if !sameName(cell(row, idx, "fk_schema_name"), schema) || !sameName(cell(row, idx, "fk_table_name"), table) {
			continue
		}
		refTable := cell(row, idx, "pk_table_name")
		refCol := cell(row, idx, "pk_column_name")
		if refTable == "" || refCol == "" {
			continue
		}
		refSchema := cell(row, idx, "pk_schema_name")
		name := cell(row, idx, "fk_name")
		key := name + "\x00" + refSchema + "\x00" + refTable
		g, ok := groups[key]
		if !ok {
			g = &fk{refSchema: refSchema, refTable: refTable}
			groups[key] = g
			order = append(order, key)
		}
		g.cols = append(g.cols, keyCol{seq: keySeq(cell(row, idx, "key_sequence")), col: cell(row, idx, "fk_column_name"), ref: refCol, name: name})
	}
	out := make([]catalog.ForeignKey, 0, len(order))
	for _, key := range order {
		g := groups[key]
		sort.SliceStable(g.cols, func(i, j int) bool { return g.cols[i].seq < g.cols[j].seq })
		f := catalog.ForeignKey{Name: g.cols[0].name, RefSchema: g.refSchema, RefTable: g.refTable}
		for _, c := range g.cols {
			f.Columns = append(f.Columns, c.col)
			f.RefColumns = append(f.RefColumns, c.ref)
		}
		out = append(out, f)
	}
	return out
}

// sameName compares a name from a SHOW result with the resolved one; an
// empty name in the result (not reported) matches.
func sameName(got, want string) bool {
	return got == "" || got == want
}
