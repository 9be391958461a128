package dialect

// Engine facts that deploy needs on engines without transactional DDL
// (Caps.TransactionalDDL false), where it backs up what it replaces:
// how a table is renamed and how an object's DDL is read back. They are
// SQL, so they live here with the renderer, not in deploy.

// RenameTable writes the statement that renames the table from to the
// unqualified name to in the same schema. kind is KindTable or
// KindDynamicTable (Snowflake renames a dynamic table with ALTER DYNAMIC
// TABLE). SQL Server (sp_rename) is not supported: its DDL is
// transactional, so deploy never renames there.
func RenameTable(d string, from Name, to string, kind ObjectKind) (string, error) {
	if err := known(d); err != nil {
		return "", err
	}
	r := &renderer{d: d}
	src, err := r.name(from)
	if err != nil {
		return "", err
	}
	target := from
	target.Name = to
	qualified, err := r.name(target)
	if err != nil {
		return "", err
	}
	bare, err := r.ident(to, "table")
	if err != nil {
		return "", err
	}
	switch d {
	case MySQL:
		return "RENAME TABLE " + src + " TO " + qualified, nil
	case Snowflake:
		what := "TABLE"
		if kind == KindDynamicTable {
			what = "DYNAMIC TABLE"
		}
		return "ALTER " + what + " " + src + " RENAME TO " + qualified, nil
	case Databricks:
		return "ALTER TABLE " + src + " RENAME TO " + qualified, nil
	case BigQuery, Postgres, DuckDB:
		// The new name is unqualified: it stays in the same schema
		// (BigQuery: dataset).
		return "ALTER TABLE " + src + " RENAME TO " + bare, nil
	}
	return "", unsupported(d, "renaming a table", "use a transaction: DDL is transactional on "+d)
}

// Definition is a query that reads an object's DDL back: run SQL with
// Args; the DDL is in column Column of the first row.
type Definition struct {
	SQL    string
	Args   []any
	Column int
}

// ShowDefinition is the query reading the DDL of the object n (of kind
// KindTable, KindView or KindDynamicTable): SHOW CREATE TABLE|VIEW
// (MySQL), SHOW CREATE TABLE (Databricks, views only), GET_DDL
// (Snowflake), INFORMATION_SCHEMA.TABLES.ddl (BigQuery). ok is false on
// the engines where deploy does not read definitions back (DuckDB,
// PostgreSQL, SQL Server: their DDL is transactional). Only MySQL runs
// in this project's tests; the others follow their engines'
// documentation.
func ShowDefinition(d string, n Name, kind ObjectKind) (def Definition, ok bool, err error) {
	if err := known(d); err != nil {
		return Definition{}, false, err
	}
	r := &renderer{d: d}
	name, err := r.name(n)
	if err != nil {
		return Definition{}, false, err
	}
	switch d {
	case MySQL:
		what := "TABLE"
		if kind == KindView {
			what = "VIEW"
		}
		return Definition{SQL: "SHOW CREATE " + what + " " + name, Column: 1}, true, nil
	case Databricks:
		// Not for tables: open-source Delta refuses SHOW CREATE TABLE on
		// a Delta table (DELTA_OPERATION_NOT_ALLOWED), and deploy never
		// re-creates a table from DDL (it moves it aside and back).
		if kind == KindTable {
			return Definition{}, false, nil
		}
		return Definition{SQL: "SHOW CREATE TABLE " + name}, true, nil
	case Snowflake:
		what := "TABLE"
		switch kind {
		case KindView:
			what = "VIEW"
		case KindDynamicTable:
			what = "DYNAMIC_TABLE"
		}
		return Definition{SQL: "SELECT GET_DDL(?, ?)", Args: []any{what, name}}, true, nil
	case BigQuery:
		from := "INFORMATION_SCHEMA.TABLES"
		if n.Schema != "" {
			from = r.q(n.Schema) + "." + from
		}
		return Definition{SQL: "SELECT ddl FROM " + from + " WHERE table_name = ?", Args: []any{n.Name}}, true, nil
	}
	return Definition{}, false, nil
}
