package dialect

import (
	"fmt"
	"strconv"
	"strings"
)

// Queries render as blocks: clauses start at column 0, their items are
// indented two spaces, and nested queries (CTE bodies, subqueries,
// EXISTS) are indented one level inside their parentheses.

// topQuery renders a query at statement level (where SQL Server allows
// WITH).
func (r *renderer) topQuery(q Query) (string, error) {
	return r.query(q, 0, "")
}

// subquery renders a query nested inside another statement or query.
func (r *renderer) subquery(q Query) (string, error) {
	return r.query(q, 1, "")
}

// query renders q. depth > 0 means nested; into (SQL Server) is the
// SELECT ... INTO target.
func (r *renderer) query(q Query, depth int, into string) (string, error) {
	switch x := q.(type) {
	case *Select:
		if x == nil {
			break
		}
		return r.selectStmt(x, depth, into)
	case *UnionAll:
		if x == nil {
			break
		}
		if into != "" {
			return "", fmt.Errorf("%s: internal: SELECT INTO a union", r.d)
		}
		return r.unionAll(x, depth)
	case *Sample:
		if x == nil {
			break
		}
		if into != "" {
			return "", fmt.Errorf("%s: internal: SELECT INTO a sample", r.d)
		}
		return r.sample(x)
	}
	return "", fmt.Errorf("%s: missing or unknown query %T", r.d, q)
}

// with renders a WITH clause (ending in a newline).
func (r *renderer) with(ctes []CTE, depth int) (string, error) {
	if len(ctes) == 0 {
		return "", nil
	}
	if depth > 0 && r.d == SQLServer {
		return "", unsupported(r.d, "WITH inside a subquery", "SQL Server allows WITH only at the start of a statement: move the CTEs to the outermost query")
	}
	parts := make([]string, len(ctes))
	for i, c := range ctes {
		name, err := r.ident(c.Name, "CTE")
		if err != nil {
			return "", err
		}
		q := c.Query
		if len(c.Columns) > 0 {
			if r.d == BigQuery {
				// BigQuery has no CTE column list: name the columns in
				// the query itself.
				renamed, ok := renameColumns(q, c.Columns)
				if !ok {
					return "", unsupported(r.d, "a CTE column list over a query with * or a different column count", "BigQuery has no WITH name (columns): alias the query's columns instead")
				}
				q = renamed
			} else {
				cols, err := r.idents(c.Columns, "CTE column")
				if err != nil {
					return "", err
				}
				name += " (" + cols + ")"
			}
		}
		body, err := r.query(q, depth+1, "")
		if err != nil {
			return "", err
		}
		parts[i] = name + " AS (\n" + indent(body) + "\n)"
	}
	return "WITH " + strings.Join(parts, ",\n") + "\n", nil
}

// renameColumns returns q with its output columns aliased to cols, when
// that can be done without knowing what * expands to.
func renameColumns(q Query, cols []string) (Query, bool) {
	switch x := q.(type) {
	case *Select:
		if len(x.Columns) != len(cols) {
			return nil, false
		}
		c := *x
		c.Columns = make([]SelectItem, len(cols))
		for i, it := range x.Columns {
			if _, star := it.Expr.(Star); star {
				return nil, false
			}
			c.Columns[i] = SelectItem{Expr: it.Expr, Alias: cols[i]}
		}
		return &c, true
	case *UnionAll:
		if len(x.Queries) == 0 {
			return nil, false
		}
		first, ok := renameColumns(x.Queries[0], cols)
		if !ok {
			return nil, false
		}
		c := *x
		c.Queries = append([]Query{first}, x.Queries[1:]...)
		return &c, true
	}
	return nil, false
}

// splitWith separates a query's WITH clause from its body.
func splitWith(q Query) ([]CTE, Query) {
	switch x := q.(type) {
	case *Select:
		if x != nil && len(x.With) > 0 {
			c := *x
			c.With = nil
			return x.With, &c
		}
	case *UnionAll:
		if x != nil && len(x.With) > 0 {
			c := *x
			c.With = nil
			return x.With, &c
		}
	}
	return nil, q
}

func (r *renderer) selectStmt(s *Select, depth int, into string) (string, error) {
	var b strings.Builder
	w, err := r.with(s.With, depth)
	if err != nil {
		return "", err
	}
	b.WriteString(w)
	if len(s.Columns) == 0 {
		return "", fmt.Errorf("%s: SELECT without columns", r.d)
	}
	if s.Limit < 0 {
		return "", fmt.Errorf("%s: negative LIMIT %d", r.d, s.Limit)
	}
	b.WriteString("SELECT")
	if s.Distinct {
		b.WriteString(" DISTINCT")
	}
	if s.Limit > 0 && caps[r.d].LimitTop {
		b.WriteString(" TOP " + strconv.Itoa(s.Limit))
	}
	for i, it := range s.Columns {
		e, err := r.expr(it.Expr, false)
		if err != nil {
			return "", err
		}
		if it.Alias != "" {
			a, err := r.ident(it.Alias, "column alias")
			if err != nil {
				return "", err
			}
			e += " AS " + a
		}
		b.WriteString("\n" + indent(e))
		if i < len(s.Columns)-1 {
			b.WriteString(",")
		}
	}
	if into != "" {
		b.WriteString("\nINTO " + into)
	}
	if s.From != nil {
		f, err := r.from(s.From, depth)
		if err != nil {
			return "", err
		}
		b.WriteString("\nFROM " + f)
	} else if len(s.Joins) > 0 {
		return "", fmt.Errorf("%s: JOIN without FROM", r.d)
	}
	for _, j := range s.Joins {
		js, err := r.join(j, depth)
		if err != nil {
			return "", err
		}
		b.WriteString("\n" + indent(js))
	}
	if s.Where != nil {
		c, err := r.cond(s.Where)
		if err != nil {
			return "", err
		}
		b.WriteString("\nWHERE " + c)
	}
	if len(s.GroupBy) > 0 {
		g, err := r.args(s.GroupBy)
		if err != nil {
			return "", err
		}
		b.WriteString("\nGROUP BY " + strings.Join(g, ", "))
	}
	if s.Having != nil {
		c, err := r.cond(s.Having)
		if err != nil {
			return "", err
		}
		b.WriteString("\nHAVING " + c)
	}
	if len(s.OrderBy) > 0 {
		o, err := r.orderBy(s.OrderBy)
		if err != nil {
			return "", err
		}
		b.WriteString("\nORDER BY " + o)
	}
	if s.Limit > 0 && !caps[r.d].LimitTop {
		b.WriteString("\nLIMIT " + strconv.Itoa(s.Limit))
	}
	return b.String(), nil
}

// unionAll flattens nested unions and wraps members that carry their own
// ORDER BY, LIMIT or WITH in SELECT * FROM (...) so every engine parses
// them the same way.
func (r *renderer) unionAll(u *UnionAll, depth int) (string, error) {
	var members []Query
	var flatten func(qs []Query)
	flatten = func(qs []Query) {
		for _, q := range qs {
			if n, ok := q.(*UnionAll); ok && n != nil && len(n.With) == 0 {
				flatten(n.Queries)
				continue
			}
			members = append(members, q)
		}
	}
	flatten(u.Queries)
	if len(members) == 0 {
		return "", fmt.Errorf("%s: UNION ALL without queries", r.d)
	}
	w, err := r.with(u.With, depth)
	if err != nil {
		return "", err
	}
	parts := make([]string, len(members))
	for i, m := range members {
		wrap := false
		switch x := m.(type) {
		case *Select:
			wrap = x != nil && (len(x.OrderBy) > 0 || x.Limit > 0 || len(x.With) > 0)
		case *UnionAll:
			wrap = true
		}
		if wrap {
			inner, err := r.query(m, depth+1, "")
			if err != nil {
				return "", err
			}
			alias := r.q("u" + strconv.Itoa(i+1))
			parts[i] = "SELECT\n  *\nFROM (\n" + indent(inner) + "\n) AS " + alias
			continue
		}
		s, err := r.query(m, depth, "")
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return w + strings.Join(parts, "\nUNION ALL\n"), nil
}

func (r *renderer) from(f From, depth int) (string, error) {
	switch x := f.(type) {
	case Table:
		n, err := r.name(x.Name)
		if err != nil {
			return "", err
		}
		if x.Alias != "" {
			a, err := r.ident(x.Alias, "table alias")
			if err != nil {
				return "", err
			}
			n += " AS " + a
		}
		return n, nil
	case *Table:
		if x == nil {
			break
		}
		return r.from(*x, depth)
	case Subquery:
		a, err := r.ident(x.Alias, "subquery alias")
		if err != nil {
			return "", err
		}
		q, err := r.query(x.Query, depth+1, "")
		if err != nil {
			return "", err
		}
		return "(\n" + indent(q) + "\n) AS " + a, nil
	case *Subquery:
		if x == nil {
			break
		}
		return r.from(*x, depth)
	case *Values:
		if x == nil {
			break
		}
		return r.values(x)
	case TableFunc:
		if x.Func == nil {
			break
		}
		fn, err := r.expr(x.Func, false)
		if err != nil {
			return "", err
		}
		if x.Alias != "" {
			a, err := r.ident(x.Alias, "table alias")
			if err != nil {
				return "", err
			}
			fn += " AS " + a
		}
		return fn, nil
	}
	return "", fmt.Errorf("%s: missing or unknown FROM item %T", r.d, f)
}

// values renders literal rows: (VALUES ...) AS a (c1, c2) where the
// engine has VALUES in FROM, else (SELECT ... AS c1, ... UNION ALL SELECT
// ...) AS a (MySQL/MariaDB, whose VALUES forms differ; BigQuery, which has
// none). Types casts the first row's values so the columns get those
// types.
func (r *renderer) values(v *Values) (string, error) {
	alias, err := r.ident(v.Alias, "VALUES alias")
	if err != nil {
		return "", err
	}
	if len(v.Columns) == 0 || len(v.Rows) == 0 {
		return "", fmt.Errorf("%s: VALUES %s needs columns and at least one row", r.d, v.Alias)
	}
	if len(v.Types) != 0 && len(v.Types) != len(v.Columns) {
		return "", fmt.Errorf("%s: VALUES %s has %d columns but %d types", r.d, v.Alias, len(v.Columns), len(v.Types))
	}
	cols := make([]string, len(v.Columns))
	for i, c := range v.Columns {
		if cols[i], err = r.ident(c, "VALUES column"); err != nil {
			return "", err
		}
	}
	rows := make([][]string, len(v.Rows))
	for i, row := range v.Rows {
		if len(row) != len(v.Columns) {
			return "", fmt.Errorf("%s: VALUES %s row %d has %d values for %d columns", r.d, v.Alias, i+1, len(row), len(v.Columns))
		}
		rows[i] = make([]string, len(row))
		for j, e := range row {
			if i == 0 && len(v.Types) > 0 {
				e = &Cast{X: e, Type: v.Types[j]}
			}
			if rows[i][j], err = r.expr(e, false); err != nil {
				return "", err
			}
		}
	}
	if Capabilities(r.d).ValuesInFrom {
		lines := make([]string, len(rows))
		for i, row := range rows {
			lines[i] = "  (" + strings.Join(row, ", ") + ")"
		}
		return "(\n  VALUES\n" + indent(strings.Join(lines, ",\n")) + "\n) AS " + alias + " (" + strings.Join(cols, ", ") + ")", nil
	}
	selects := make([]string, len(rows))
	for i, row := range rows {
		items := row
		if i == 0 {
			items = make([]string, len(row))
			for j := range row {
				items[j] = row[j] + " AS " + cols[j]
			}
		}
		selects[i] = "SELECT " + strings.Join(items, ", ")
	}
	return "(\n" + indent(strings.Join(selects, "\nUNION ALL\n")) + "\n) AS " + alias, nil
}

func (r *renderer) join(j Join, depth int) (string, error) {
	f, err := r.from(j.From, depth)
	if err != nil {
		return "", err
	}
	switch j.Kind {
	case CrossJoin:
		if j.On != nil {
			return "", fmt.Errorf("%s: CROSS JOIN with ON", r.d)
		}
		return "CROSS JOIN " + f, nil
	case InnerJoin, LeftJoin, FullJoin, "":
		if j.Kind == FullJoin && !caps[r.d].FullJoin {
			return "", fmt.Errorf("%s has no FULL JOIN", r.d)
		}
		if j.On == nil {
			return "", fmt.Errorf("%s: %s JOIN without ON", r.d, j.Kind)
		}
		kind := j.Kind
		if kind == "" {
			kind = InnerJoin
		}
		on, err := r.cond(j.On)
		if err != nil {
			return "", err
		}
		return string(kind) + " JOIN " + f + "\n  ON " + on, nil
	}
	return "", fmt.Errorf("%s: unknown join kind %q", r.d, j.Kind)
}
