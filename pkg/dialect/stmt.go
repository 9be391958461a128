package dialect

import (
	"fmt"
	"regexp"
	"strings"
)

func (r *renderer) stmt(s Stmt) ([]string, error) {
	switch x := s.(type) {
	case *CreateTable:
		return r.createTable(x)
	case *CreateTableAs:
		return r.createTableAs(x)
	case *CreateView:
		return r.createView(x)
	case *CreateMaterializedView:
		return r.createMaterializedView(x)
	case *CreateDynamicTable:
		return r.createDynamicTable(x)
	case *Insert:
		return one(r.insert(x))
	case *Merge:
		return one(r.merge(x))
	case *Drop:
		return one(r.drop(x))
	case *Delete:
		return one(r.delete(x))
	case *Grant:
		return one(r.grant(x))
	case *QueryStmt:
		return one(r.topQuery(x.Query))
	}
	return nil, fmt.Errorf("%s: unknown statement %T", r.d, s)
}

func one(s string, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

// commentClause is the inline comment of a CREATE, placed where the
// engine wants it ("" when the engine takes it as a separate statement
// or not at all): COMMENT = '...' (Snowflake; MySQL tables), COMMENT
// '...' (Databricks), OPTIONS (description = '...') (BigQuery).
func (r *renderer) commentClause(comment string, kind ObjectKind) (string, error) {
	if comment == "" {
		return "", nil
	}
	lit, err := quoteString(r.d, comment)
	if err != nil {
		return "", err
	}
	switch r.d {
	case Snowflake:
		return "COMMENT = " + lit, nil
	case MySQL:
		if kind == KindTable {
			return "COMMENT = " + lit, nil
		}
	case Databricks:
		return "COMMENT " + lit, nil
	case BigQuery:
		return "OPTIONS (description = " + lit + ")", nil
	}
	return "", nil
}

// commentOn is the separate COMMENT ON statement of DuckDB and
// PostgreSQL. SQL Server comments (extended properties) and MySQL view
// comments (none exist) are not rendered.
func (r *renderer) commentOn(comment string, kind ObjectKind, name string) ([]string, error) {
	if comment == "" || (r.d != DuckDB && r.d != Postgres) {
		return nil, nil
	}
	lit, err := quoteString(r.d, comment)
	if err != nil {
		return nil, err
	}
	return []string{"COMMENT ON " + string(kind) + " " + name + " IS " + lit}, nil
}

func (r *renderer) dropFirst(kind ObjectKind, name string) string {
	return "DROP " + string(kind) + " IF EXISTS " + name
}

// createTable: OrReplace is DROP TABLE IF EXISTS + CREATE TABLE on
// PostgreSQL, MySQL and SQL Server; IfNotExists on SQL Server is IF
// OBJECT_ID(...) IS NULL CREATE TABLE. Primary-key columns are NOT NULL
// (Databricks requires it; elsewhere it is implied), and BigQuery's key
// is NOT ENFORCED. Unbounded text cannot be a key column on MySQL and SQL
// Server: give such columns a Varchar length.
func (r *renderer) createTable(t *CreateTable) ([]string, error) {
	if t.OrReplace && t.IfNotExists {
		return nil, fmt.Errorf("%s: CREATE TABLE cannot be both OR REPLACE and IF NOT EXISTS", r.d)
	}
	name, err := r.name(t.Name)
	if err != nil {
		return nil, err
	}
	if len(t.Columns) == 0 {
		return nil, fmt.Errorf("%s: table %s has no columns", r.d, name)
	}
	key := map[string]bool{}
	for _, k := range t.PrimaryKey {
		key[k] = true
	}
	defined := map[string]bool{}
	var lines []string
	for _, c := range t.Columns {
		cn, err := r.ident(c.Name, "column")
		if err != nil {
			return nil, err
		}
		if defined[c.Name] {
			return nil, fmt.Errorf("%s: table %s defines column %s twice", r.d, name, cn)
		}
		defined[c.Name] = true
		ty, err := typeName(r.d, c.Type, false)
		if err != nil {
			return nil, fmt.Errorf("%s: column %s: %w", r.d, cn, err)
		}
		if key[c.Name] && c.Type.Kind == TText && (r.d == MySQL || r.d == SQLServer) && (c.Type.Length == 0 || r.d == SQLServer && c.Type.Length > 4000) {
			return nil, unsupported(r.d, "unbounded text as a key column ("+c.Name+")", "give the key column a length: dialect.Varchar(n)")
		}
		line := cn + " " + ty
		if c.NotNull || key[c.Name] {
			line += " NOT NULL"
		}
		lines = append(lines, line)
	}
	if len(t.PrimaryKey) > 0 {
		for _, k := range t.PrimaryKey {
			if !defined[k] {
				return nil, fmt.Errorf("%s: primary key column %q of %s is not a column of the table", r.d, k, name)
			}
		}
		cols, err := r.idents(t.PrimaryKey, "key column")
		if err != nil {
			return nil, err
		}
		pk := "PRIMARY KEY (" + cols + ")"
		if r.d == BigQuery {
			pk += " NOT ENFORCED"
		}
		lines = append(lines, pk)
	}
	var out []string
	head := "CREATE TABLE "
	switch {
	case t.OrReplace && Capabilities(r.d).CreateOrReplaceTable:
		head = "CREATE OR REPLACE TABLE "
	case t.OrReplace:
		out = append(out, r.dropFirst(KindTable, name))
	case t.IfNotExists && r.d == SQLServer:
		lit, _ := quoteString(r.d, name)
		head = "IF OBJECT_ID(" + lit + ", N'U') IS NULL\nCREATE TABLE "
	case t.IfNotExists:
		head = "CREATE TABLE IF NOT EXISTS "
	}
	body := head + name + " (\n" + indent(strings.Join(lines, ",\n")) + "\n)"
	cc, err := r.commentClause(t.Comment, KindTable)
	if err != nil {
		return nil, err
	}
	if cc != "" {
		body += "\n" + cc
	}
	out = append(out, body)
	co, err := r.commentOn(t.Comment, KindTable, name)
	if err != nil {
		return nil, err
	}
	return append(out, co...), nil
}

// createTableAs: SQL Server has no CREATE TABLE AS: it is SELECT ... INTO
// (with the query's WITH in front, and a union wrapped in SELECT * FROM).
func (r *renderer) createTableAs(t *CreateTableAs) ([]string, error) {
	name, err := r.name(t.Name)
	if err != nil {
		return nil, err
	}
	var out []string
	if t.OrReplace && !Capabilities(r.d).CreateOrReplaceTable {
		out = append(out, r.dropFirst(KindTable, name))
	}
	if r.d == SQLServer {
		with, body := splitWith(t.Query)
		w, err := r.with(with, 0)
		if err != nil {
			return nil, err
		}
		var q string
		if sel, ok := body.(*Select); ok {
			q, err = r.query(sel, 0, name)
		} else {
			var inner string
			inner, err = r.query(body, 1, "")
			q = "SELECT\n  *\nINTO " + name + "\nFROM (\n" + indent(inner) + "\n) AS " + r.q("q")
		}
		if err != nil {
			return nil, err
		}
		return append(out, w+q), nil
	}
	q, err := r.topQuery(t.Query)
	if err != nil {
		return nil, err
	}
	head := "CREATE TABLE "
	if t.OrReplace && Capabilities(r.d).CreateOrReplaceTable {
		head = "CREATE OR REPLACE TABLE "
	}
	cc, err := r.commentClause(t.Comment, KindTable)
	if err != nil {
		return nil, err
	}
	if cc != "" {
		cc = "\n" + cc
	}
	out = append(out, head+name+cc+" AS\n"+q)
	co, err := r.commentOn(t.Comment, KindTable, name)
	if err != nil {
		return nil, err
	}
	return append(out, co...), nil
}

// createView: OrReplace is CREATE OR REPLACE VIEW, or CREATE OR ALTER VIEW
// on SQL Server (2016 SP1+; it must be the only statement of its batch).
func (r *renderer) createView(v *CreateView) ([]string, error) {
	name, err := r.name(v.Name)
	if err != nil {
		return nil, err
	}
	q, err := r.topQuery(v.Query)
	if err != nil {
		return nil, err
	}
	head := "CREATE VIEW "
	if v.OrReplace {
		head = "CREATE OR REPLACE VIEW "
		if r.d == SQLServer {
			head = "CREATE OR ALTER VIEW "
		}
	}
	cc, err := r.commentClause(v.Comment, KindView)
	if err != nil {
		return nil, err
	}
	if cc != "" {
		cc = "\n" + cc
	}
	out := []string{head + name + cc + " AS\n" + q}
	co, err := r.commentOn(v.Comment, KindView, name)
	if err != nil {
		return nil, err
	}
	return append(out, co...), nil
}

func (r *renderer) createMaterializedView(v *CreateMaterializedView) ([]string, error) {
	if !Capabilities(r.d).MaterializedViews {
		return nil, unsupported(r.d, "a materialized view", "use a table (CreateTableAs) rebuilt on each run, or a view")
	}
	name, err := r.name(v.Name)
	if err != nil {
		return nil, err
	}
	q, err := r.topQuery(v.Query)
	if err != nil {
		return nil, err
	}
	var out []string
	head := "CREATE MATERIALIZED VIEW "
	if v.OrReplace {
		if r.d == Postgres {
			out = append(out, r.dropFirst(KindMaterializedView, name))
		} else {
			head = "CREATE OR REPLACE MATERIALIZED VIEW "
		}
	}
	cc, err := r.commentClause(v.Comment, KindMaterializedView)
	if err != nil {
		return nil, err
	}
	if cc != "" {
		cc = "\n" + cc
	}
	out = append(out, head+name+cc+" AS\n"+q)
	co, err := r.commentOn(v.Comment, KindMaterializedView, name)
	if err != nil {
		return nil, err
	}
	return append(out, co...), nil
}

var targetLag = regexp.MustCompile(`^[1-9][0-9]* (second|minute|hour|day)s?$`)

// createDynamicTable is Snowflake's CREATE [OR REPLACE] DYNAMIC TABLE
// name TARGET_LAG = { '<n> { seconds | minutes | hours | days }' |
// DOWNSTREAM } WAREHOUSE = wh [REFRESH_MODE = ...] [INITIALIZE = ...]
// [COMMENT = '...'] AS query. The warehouse is a quoted identifier like
// every name (so its case matters: "COMPUTE_WH").
func (r *renderer) createDynamicTable(t *CreateDynamicTable) ([]string, error) {
	if !Capabilities(r.d).DynamicTables {
		hint := "use a table (CreateTableAs) rebuilt on each run, or a view"
		if Capabilities(r.d).MaterializedViews {
			hint = "use a materialized view or a table"
		}
		return nil, unsupported(r.d, "a dynamic table", hint)
	}
	name, err := r.name(t.Name)
	if err != nil {
		return nil, err
	}
	var opts []string
	lag := strings.TrimSpace(t.TargetLag)
	switch {
	case strings.EqualFold(lag, "DOWNSTREAM"):
		opts = append(opts, "TARGET_LAG = DOWNSTREAM")
	case targetLag.MatchString(strings.ToLower(lag)):
		opts = append(opts, "TARGET_LAG = '"+strings.ToLower(lag)+"'")
	default:
		return nil, fmt.Errorf("%s: dynamic table %s: TARGET_LAG %q must be DOWNSTREAM or '<n> seconds|minutes|hours|days'", r.d, name, t.TargetLag)
	}
	wh, err := r.ident(t.Warehouse, "warehouse")
	if err != nil {
		return nil, fmt.Errorf("%s: dynamic table %s needs a WAREHOUSE: %w", r.d, name, err)
	}
	opts = append(opts, "WAREHOUSE = "+wh)
	if m := strings.ToUpper(t.RefreshMode); m != "" {
		if m != "AUTO" && m != "FULL" && m != "INCREMENTAL" {
			return nil, fmt.Errorf("%s: dynamic table %s: REFRESH_MODE %q must be AUTO, FULL or INCREMENTAL", r.d, name, t.RefreshMode)
		}
		opts = append(opts, "REFRESH_MODE = "+m)
	}
	if i := strings.ToUpper(t.Initialize); i != "" {
		if i != "ON_CREATE" && i != "ON_SCHEDULE" {
			return nil, fmt.Errorf("%s: dynamic table %s: INITIALIZE %q must be ON_CREATE or ON_SCHEDULE", r.d, name, t.Initialize)
		}
		opts = append(opts, "INITIALIZE = "+i)
	}
	cc, err := r.commentClause(t.Comment, KindDynamicTable)
	if err != nil {
		return nil, err
	}
	if cc != "" {
		opts = append(opts, cc)
	}
	q, err := r.topQuery(t.Query)
	if err != nil {
		return nil, err
	}
	head := "CREATE DYNAMIC TABLE "
	if t.OrReplace {
		head = "CREATE OR REPLACE DYNAMIC TABLE "
	}
	return []string{head + name + "\n" + indent(strings.Join(opts, "\n")) + "\nAS\n" + q}, nil
}

// insert: on SQL Server the query's WITH goes before INSERT.
func (r *renderer) insert(ins *Insert) (string, error) {
	name, err := r.name(ins.Table)
	if err != nil {
		return "", err
	}
	head := "INSERT INTO " + name
	if len(ins.Columns) > 0 {
		cols, err := r.idents(ins.Columns, "column")
		if err != nil {
			return "", err
		}
		head += " (" + cols + ")"
	}
	if r.d == SQLServer {
		with, body := splitWith(ins.Query)
		w, err := r.with(with, 0)
		if err != nil {
			return "", err
		}
		q, err := r.query(body, 0, "")
		if err != nil {
			return "", err
		}
		return w + head + "\n" + q, nil
	}
	q, err := r.topQuery(ins.Query)
	if err != nil {
		return "", err
	}
	return head + "\n" + q, nil
}

// merge: MERGE INTO on every engine with MERGE (PostgreSQL 15+, DuckDB
// 1.4+). MySQL/MariaDB have none: INSERT ... ON DUPLICATE KEY UPDATE
// matches on unique keys, not on an arbitrary ON, so it is not emulated.
func (r *renderer) merge(m *Merge) (string, error) {
	if !Capabilities(r.d).Merge {
		return "", unsupported(r.d, "MERGE", "use INSERT ... ON DUPLICATE KEY UPDATE against a unique key, or DELETE the matching rows and INSERT")
	}
	target, err := r.name(m.Target)
	if err != nil {
		return "", err
	}
	if m.TargetAlias != "" {
		a, err := r.ident(m.TargetAlias, "target alias")
		if err != nil {
			return "", err
		}
		target += " AS " + a
	}
	src, err := r.from(m.Source, 1)
	if err != nil {
		return "", err
	}
	on, err := r.cond(m.On)
	if err != nil {
		return "", err
	}
	if len(m.Update) == 0 && len(m.InsertCols) == 0 {
		return "", fmt.Errorf("%s: MERGE into %s with neither UPDATE nor INSERT", r.d, target)
	}
	var b strings.Builder
	b.WriteString("MERGE INTO " + target + "\nUSING " + src + "\n  ON " + on)
	if len(m.Update) > 0 {
		b.WriteString("\nWHEN MATCHED THEN\n  UPDATE SET")
		for i, a := range m.Update {
			c, err := r.ident(a.Column, "column")
			if err != nil {
				return "", err
			}
			v, err := r.expr(a.Value, false)
			if err != nil {
				return "", err
			}
			b.WriteString("\n    " + c + " = " + v)
			if i < len(m.Update)-1 {
				b.WriteString(",")
			}
		}
	}
	if len(m.InsertCols) > 0 {
		if len(m.InsertVals) != len(m.InsertCols) {
			return "", fmt.Errorf("%s: MERGE into %s inserts %d columns but %d values", r.d, target, len(m.InsertCols), len(m.InsertVals))
		}
		cols, err := r.idents(m.InsertCols, "column")
		if err != nil {
			return "", err
		}
		vals, err := r.args(m.InsertVals)
		if err != nil {
			return "", err
		}
		b.WriteString("\nWHEN NOT MATCHED THEN\n  INSERT (" + cols + ")\n  VALUES (" + strings.Join(vals, ", ") + ")")
	}
	return b.String(), nil
}

func (r *renderer) kindSupported(k ObjectKind) error {
	switch k {
	case KindTable, KindView:
		return nil
	case KindMaterializedView:
		if !Capabilities(r.d).MaterializedViews {
			return unsupported(r.d, "a materialized view", "use a table (CreateTableAs) rebuilt on each run, or a view")
		}
		return nil
	case KindDynamicTable:
		if !Capabilities(r.d).DynamicTables {
			return unsupported(r.d, "a dynamic table", "use a materialized view or a table")
		}
		return nil
	}
	return fmt.Errorf("%s: unknown object kind %q", r.d, k)
}

func (r *renderer) drop(d *Drop) (string, error) {
	if err := r.kindSupported(d.Kind); err != nil {
		return "", err
	}
	name, err := r.name(d.Name)
	if err != nil {
		return "", err
	}
	if d.IfExists {
		return r.dropFirst(d.Kind, name), nil
	}
	return "DROP " + string(d.Kind) + " " + name, nil
}

// delete: BigQuery requires a WHERE, so a full delete is WHERE TRUE.
func (r *renderer) delete(d *Delete) (string, error) {
	name, err := r.name(d.Table)
	if err != nil {
		return "", err
	}
	out := "DELETE FROM " + name
	switch {
	case d.Where != nil:
		c, err := r.cond(d.Where)
		if err != nil {
			return "", err
		}
		out += "\nWHERE " + c
	case r.d == BigQuery:
		out += "\nWHERE TRUE"
	}
	return out, nil
}

var privilege = regexp.MustCompile(`^[A-Z]+( [A-Z]+)*$`)

// grant writes each engine's form of GRANT <privilege> ON <object> TO
// <role>:
//
//   - Snowflake: GRANT SELECT ON TABLE|VIEW|MATERIALIZED VIEW|DYNAMIC TABLE x TO ROLE "r"
//   - PostgreSQL, MySQL/MariaDB: GRANT SELECT ON x TO "r" (roles)
//   - SQL Server: GRANT SELECT ON OBJECT::x TO [r]
//   - Databricks (Unity Catalog): GRANT SELECT ON TABLE x TO `r` (views too)
//   - BigQuery: GRANT `roles/bigquery.dataViewer` ON TABLE|VIEW x TO 'r'
//     for SELECT, where Role is an IAM principal ("group:analysts@example.com")
//   - DuckDB: unsupported (no users or privileges).
func (r *renderer) grant(g *Grant) (string, error) {
	priv := strings.ToUpper(strings.TrimSpace(g.Privilege))
	if !privilege.MatchString(priv) {
		return "", fmt.Errorf("%s: %q is not a privilege", r.d, g.Privilege)
	}
	if err := r.kindSupported(g.Kind); err != nil {
		return "", err
	}
	name, err := r.name(g.Name)
	if err != nil {
		return "", err
	}
	if g.Role == "" {
		return "", fmt.Errorf("%s: GRANT on %s without a role", r.d, name)
	}
	role, err := r.ident(g.Role, "role")
	if err != nil {
		return "", err
	}
	switch r.d {
	case DuckDB:
		return "", unsupported(r.d, "GRANT", "DuckDB has no users or privileges: control access to the database file")
	case Snowflake:
		return "GRANT " + priv + " ON " + string(g.Kind) + " " + name + " TO ROLE " + role, nil
	case SQLServer:
		return "GRANT " + priv + " ON OBJECT::" + name + " TO " + role, nil
	case Databricks:
		return "GRANT " + priv + " ON TABLE " + name + " TO " + role, nil
	case BigQuery:
		if priv != "SELECT" {
			return "", unsupported(r.d, "GRANT "+priv, "BigQuery grants IAM roles: grant SELECT (roles/bigquery.dataViewer) or use IAM directly")
		}
		on := "TABLE"
		if g.Kind == KindView {
			on = "VIEW"
		}
		principal, err := quoteString(r.d, g.Role)
		if err != nil {
			return "", err
		}
		return "GRANT " + QuoteIdent(r.d, "roles/bigquery.dataViewer") + " ON " + on + " " + name + " TO " + principal, nil
	}
	return "GRANT " + priv + " ON " + name + " TO " + role, nil
}
