package dialect

// Engine notes (what each renderer chose, beyond the comments on the
// functions below):
//
//   - Names: written by QuoteIdent — plain one-case names unquoted on
//     Snowflake and PostgreSQL (the engine folds them), everything else
//     quoted with its case kept.
//   - Booleans on SQL Server: BIT. A boolean literal is CAST(1 AS BIT) /
//     CAST(0 AS BIT) as a value (so SELECT ... INTO gets a BIT column) and
//     1 = 1 / 1 = 0 as a condition; a BIT value used as a condition is
//     "x = 1"; a condition used as a value is CASE WHEN c THEN 1 WHEN NOT
//     c THEN 0 END (NULL stays NULL). MySQL booleans are TINYINT(1).
//   - LIMIT n, or SELECT TOP n on SQL Server. A UNION ALL member with its
//     own ORDER BY / LIMIT is wrapped in SELECT * FROM (...).
//   - SQL Server allows WITH only at the start of a statement: INSERT and
//     SELECT ... INTO put the query's CTEs first; a WITH nested in a
//     subquery is an UnsupportedError there. BigQuery has no CTE column
//     list: the columns are aliased inside the CTE's query instead.
//   - Floats are written in shortest round-trip form (0.5, 1E6); decimals
//     (DecimalLit) exactly, as NUMERIC '...' on BigQuery where a bare
//     1.5 would be FLOAT64.
//   - NULL ordering in ORDER BY is each engine's default (not unified).

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Render writes one statement in the dialect, without a trailing
// semicolon. Output is deterministic, multi-line, keywords upper case,
// every identifier quoted with its case kept.
//
// Where an engine lacks a form, Render emulates it and may then return
// several statements joined by ";\n" (RenderAll returns them one by one,
// for drivers that run one statement per call):
//
//   - CreateTable / CreateTableAs with OrReplace on PostgreSQL, MySQL and
//     SQL Server: DROP TABLE IF EXISTS, then CREATE.
//   - CreateMaterializedView with OrReplace on PostgreSQL: DROP
//     MATERIALIZED VIEW IF EXISTS, then CREATE.
//   - Comment on DuckDB and PostgreSQL: a COMMENT ON statement after the
//     CREATE.
//
// Callers that join statements into one script must end each with ";"
// (SQL Server requires it after MERGE). Anything with no form on the
// engine is an *UnsupportedError naming what to use instead.
func Render(dialect string, s Stmt) (string, error) {
	parts, err := RenderAll(dialect, s)
	if err != nil {
		return "", err
	}
	return strings.Join(parts, ";\n"), nil
}

// RenderAll is Render returning the statements of an emulation
// separately (usually just one).
func RenderAll(dialect string, s Stmt) ([]string, error) {
	if err := known(dialect); err != nil {
		return nil, err
	}
	if s == nil {
		return nil, fmt.Errorf("%s: nil statement", dialect)
	}
	r := &renderer{d: dialect}
	return r.stmt(s)
}

// RenderQuery writes a query (SELECT or UNION ALL).
func RenderQuery(dialect string, q Query) (string, error) {
	if err := known(dialect); err != nil {
		return "", err
	}
	r := &renderer{d: dialect}
	return r.topQuery(q)
}

// RenderType writes a column type as the engine names it in DDL.
func RenderType(dialect string, t Type) (string, error) {
	if err := known(dialect); err != nil {
		return "", err
	}
	return typeName(dialect, t, false)
}

// RenderExpr writes a scalar expression (in value context: on SQL Server
// a condition becomes CASE WHEN ... THEN 1 ...; see Lit).
func RenderExpr(dialect string, e Expr) (string, error) {
	if err := known(dialect); err != nil {
		return "", err
	}
	r := &renderer{d: dialect}
	return r.expr(e, false)
}

// RenderCond writes a condition (as in WHERE or ON).
func RenderCond(dialect string, e Expr) (string, error) {
	if err := known(dialect); err != nil {
		return "", err
	}
	r := &renderer{d: dialect}
	return r.cond(e)
}

type renderer struct {
	d string
}

func (r *renderer) q(name string) string { return QuoteIdent(r.d, name) }

func (r *renderer) ident(name, what string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("%s: empty %s name", r.d, what)
	}
	if strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("%s: %s name %q contains a NUL character", r.d, what, name)
	}
	return r.q(name), nil
}

func (r *renderer) idents(names []string, what string) (string, error) {
	out := make([]string, len(names))
	for i, n := range names {
		q, err := r.ident(n, what)
		if err != nil {
			return "", err
		}
		out[i] = q
	}
	return strings.Join(out, ", "), nil
}

// name writes [database.][schema.]name. MySQL has no schema level below
// the database, so a three-part name is refused there.
func (r *renderer) name(n Name) (string, error) {
	if n.Name == "" {
		return "", fmt.Errorf("%s: object name is empty", r.d)
	}
	if n.Raw {
		return n.Name, nil
	}
	if n.Database != "" && n.Schema == "" {
		return "", fmt.Errorf("%s: name %q has a database but no schema", r.d, n.Name)
	}
	if n.Database != "" && r.d == MySQL {
		return "", unsupported(r.d, "a three-part name ("+n.Database+"."+n.Schema+"."+n.Name+")", "MySQL names are database.table: put the database in Schema")
	}
	var parts []string
	for _, p := range []string{n.Database, n.Schema, n.Name} {
		if p == "" {
			continue
		}
		q, err := r.ident(p, "object")
		if err != nil {
			return "", err
		}
		parts = append(parts, q)
	}
	return strings.Join(parts, "."), nil
}

// indent prefixes every non-empty line with two spaces.
func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n")
}

// ---------------------------------------------------------------- expressions

// Precedence levels, loosest first.
const (
	precOr = iota + 1
	precAnd
	precNot
	precCmp
	precAdd
	precMul
	precUnary
	precAtom
)

var binaryPrec = map[string]int{
	"OR": precOr, "AND": precAnd,
	"=": precCmp, "<>": precCmp, "<": precCmp, "<=": precCmp, ">": precCmp, ">=": precCmp,
	"IS NOT DISTINCT FROM": precCmp,
	"+":                    precAdd, "-": precAdd, "||": precAdd,
	"*": precMul, "/": precMul,
}

// prec is how tightly e binds once rendered in dialect d.
func (r *renderer) prec(e Expr) int {
	switch x := e.(type) {
	case *Binary:
		if x.Op == "||" && r.d == MySQL {
			return precAtom // CONCAT(...)
		}
		return binaryPrec[strings.ToUpper(x.Op)]
	case *Unary:
		if strings.ToUpper(x.Op) == "NOT" {
			return precNot
		}
		return precUnary
	case *IsNull, *Between, *In, *Like, *Regex:
		return precCmp
	case Lit:
		if isNegative(x.Value) {
			return precUnary
		}
	case DecimalLit:
		if strings.HasPrefix(string(x), "-") {
			return precUnary
		}
	}
	return precAtom
}

func isNegative(v any) bool {
	switch n := v.(type) {
	case int:
		return n < 0
	case int32:
		return n < 0
	case int64:
		return n < 0
	case float64:
		return n < 0 || (n == 0 && math.Signbit(n))
	case DecimalLit:
		return strings.HasPrefix(string(n), "-")
	}
	return false
}

// isPredicate reports whether e is a condition (true/false/unknown) rather
// than a value. Only SQL Server cares: it has no boolean values.
func isPredicate(e Expr) bool {
	switch x := e.(type) {
	case *Binary:
		return binaryPrec[strings.ToUpper(x.Op)] <= precCmp
	case *Unary:
		return strings.ToUpper(x.Op) == "NOT"
	case *IsNull, *Between, *In, *Like, *Regex, *Exists:
		return true
	case *Paren:
		return isPredicate(x.X)
	case Lit:
		_, ok := x.Value.(bool)
		return ok
	}
	return false
}

// cond renders e where a condition is expected (WHERE, ON, HAVING, WHEN,
// AND/OR operands).
func (r *renderer) cond(e Expr) (string, error) { return r.expr(e, true) }

// expr renders e; pred says a condition is expected. On SQL Server a
// value where a condition is expected becomes "v = 1" and a condition
// where a value is expected becomes CASE WHEN c THEN 1 WHEN NOT c THEN 0
// END (BIT), keeping NULL for unknown.
func (r *renderer) expr(e Expr, pred bool) (string, error) {
	if e == nil {
		return "", fmt.Errorf("%s: missing expression", r.d)
	}
	if r.d == SQLServer {
		if lit, ok := e.(Lit); ok {
			if b, ok := lit.Value.(bool); ok {
				switch {
				case pred && b:
					return "1 = 1", nil
				case pred:
					return "1 = 0", nil
				case b:
					return "CAST(1 AS BIT)", nil
				default:
					return "CAST(0 AS BIT)", nil
				}
			}
		}
		p := isPredicate(e)
		if pred && !p {
			v, err := r.raw(e)
			if err != nil {
				return "", err
			}
			if r.prec(e) < precAdd {
				v = "(" + v + ")"
			}
			return v + " = 1", nil
		}
		if !pred && p {
			c, err := r.raw(e)
			if err != nil {
				return "", err
			}
			return "CASE WHEN " + c + " THEN CAST(1 AS BIT) WHEN NOT (" + c + ") THEN CAST(0 AS BIT) END", nil
		}
	}
	return r.raw(e)
}

// operand renders a child of an operator with precedence parent,
// parenthesised when it binds more loosely (or equally, on the right of a
// non-associative operator).
func (r *renderer) operand(e Expr, parent int, right, assoc, pred bool) (string, error) {
	s, err := r.expr(e, pred)
	if err != nil {
		return "", err
	}
	if r.d == SQLServer && isPredicate(e) != pred {
		// expr rewrote it as "v = 1" or a CASE: wrap the comparison form.
		if pred {
			return "(" + s + ")", nil
		}
		return s, nil
	}
	p := r.prec(e)
	if p < parent || (p == parent && (right && !assoc || parent == precCmp)) {
		return "(" + s + ")", nil
	}
	return s, nil
}

var decimalText = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

func (r *renderer) decimal(s string) (string, error) {
	if !decimalText.MatchString(s) {
		return "", fmt.Errorf("%s: %q is not a decimal literal (digits, optional sign and point)", r.d, s)
	}
	if r.d == BigQuery {
		// An unadorned 1.5 is FLOAT64 on BigQuery.
		digits := strings.TrimLeft(strings.Replace(strings.TrimPrefix(s, "-"), ".", "", 1), "0")
		scale := 0
		if i := strings.IndexByte(s, '.'); i >= 0 {
			scale = len(s) - i - 1
		}
		if scale > 9 || len(digits)-scale > 29 {
			return "BIGNUMERIC '" + s + "'", nil
		}
		return "NUMERIC '" + s + "'", nil
	}
	return s, nil
}

func (r *renderer) lit(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "NULL", nil
	case string:
		return quoteString(r.d, x)
	case bool:
		if x {
			return "TRUE", nil
		}
		return "FALSE", nil
	case int:
		return strconv.FormatInt(int64(x), 10), nil
	case int8:
		return strconv.FormatInt(int64(x), 10), nil
	case int16:
		return strconv.FormatInt(int64(x), 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint8:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint16:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint32:
		return strconv.FormatUint(uint64(x), 10), nil
	case float32:
		return r.lit(float64(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", fmt.Errorf("%s: float literal %v has no SQL form", r.d, x)
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if mant, exp, ok := strings.Cut(s, "e"); ok {
			// 1e+06 → 1E6, 2.5e-07 → 2.5E-7.
			n, _ := strconv.Atoi(exp)
			return mant + "E" + strconv.Itoa(n), nil
		}
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s, nil
	case DecimalLit:
		return r.decimal(string(x))
	}
	return "", fmt.Errorf("%s: unsupported literal type %T", r.d, v)
}

var funcName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)

// raw renders e without the SQL Server predicate/value adaptation of e
// itself (its children are adapted).
func (r *renderer) raw(e Expr) (string, error) {
	switch x := e.(type) {
	case Col:
		c, err := r.ident(x.Name, "column")
		if err != nil {
			return "", err
		}
		if x.Table != "" {
			t, err := r.ident(x.Table, "table alias")
			if err != nil {
				return "", err
			}
			return t + "." + c, nil
		}
		return c, nil
	case Lit:
		return r.lit(x.Value)
	case DecimalLit:
		return r.decimal(string(x))
	case Star:
		if x.Table != "" {
			t, err := r.ident(x.Table, "table alias")
			if err != nil {
				return "", err
			}
			return t + ".*", nil
		}
		return "*", nil
	case *Func:
		if x == nil {
			return "", fmt.Errorf("%s: nil function", r.d)
		}
		return r.fn(x)
	case *Binary:
		return r.binary(x)
	case *Unary:
		op := strings.ToUpper(x.Op)
		switch op {
		case "NOT":
			s, err := r.cond(x.X)
			if err != nil {
				return "", err
			}
			if r.prec(x.X) < precAtom || (r.d == SQLServer && !isPredicate(x.X)) {
				s = "(" + s + ")"
			}
			return "NOT " + s, nil
		case "-":
			s, err := r.expr(x.X, false)
			if err != nil {
				return "", err
			}
			if r.prec(x.X) < precAtom || strings.HasPrefix(s, "-") {
				s = "(" + s + ")"
			}
			return "-" + s, nil
		}
		return "", fmt.Errorf("%s: unknown unary operator %q", r.d, x.Op)
	case *IsNull:
		s, err := r.operand(x.X, precCmp, false, false, false)
		if err != nil {
			return "", err
		}
		if x.Not {
			return s + " IS NOT NULL", nil
		}
		return s + " IS NULL", nil
	case *Between:
		return r.between(x)
	case *In:
		if len(x.List) == 0 {
			// x IN () is false (NOT IN () true), even for NULL x.
			return r.expr(Lit{Value: x.Not}, true)
		}
		s, err := r.operand(x.X, precCmp, false, false, false)
		if err != nil {
			return "", err
		}
		items := make([]string, len(x.List))
		for i, it := range x.List {
			if items[i], err = r.expr(it, false); err != nil {
				return "", err
			}
		}
		op := " IN ("
		if x.Not {
			op = " NOT IN ("
		}
		return s + op + strings.Join(items, ", ") + ")", nil
	case *Like:
		return r.like(x)
	case *Regex:
		return r.regex(x)
	case Param:
		if x.N < 1 {
			return "", fmt.Errorf("%s: bind parameter %d (they count from 1)", r.d, x.N)
		}
		return Placeholder(r.d, x.N), nil
	case *Case:
		if len(x.Whens) == 0 {
			return "", fmt.Errorf("%s: CASE without WHEN", r.d)
		}
		var b strings.Builder
		b.WriteString("CASE")
		for _, w := range x.Whens {
			c, err := r.cond(w.Cond)
			if err != nil {
				return "", err
			}
			t, err := r.expr(w.Then, false)
			if err != nil {
				return "", err
			}
			b.WriteString(" WHEN " + c + " THEN " + t)
		}
		if x.Else != nil {
			el, err := r.expr(x.Else, false)
			if err != nil {
				return "", err
			}
			b.WriteString(" ELSE " + el)
		}
		b.WriteString(" END")
		return b.String(), nil
	case *Cast:
		s, err := r.expr(x.X, false)
		if err != nil {
			return "", err
		}
		t, err := typeName(r.d, x.Type, true)
		if err != nil {
			return "", fmt.Errorf("%s: %w", r.d, err)
		}
		return "CAST(" + s + " AS " + t + ")", nil
	case *Over:
		return r.over(x)
	case *Exists:
		q, err := r.subquery(x.Query)
		if err != nil {
			return "", err
		}
		kw := "EXISTS ("
		if x.Not {
			kw = "NOT EXISTS ("
		}
		return kw + "\n" + indent(q) + "\n)", nil
	case *Paren:
		s, err := r.expr(x.X, isPredicate(x.X))
		if err != nil {
			return "", err
		}
		return "(" + s + ")", nil
	case *ExactText:
		return r.exactText(x.X)
	case *DatePart:
		part := strings.ToUpper(x.Part)
		if part != "YEAR" && part != "MONTH" && part != "DAY" {
			return "", fmt.Errorf("%s: date part %q (want YEAR, MONTH or DAY)", r.d, x.Part)
		}
		s, err := r.expr(x.X, false)
		if err != nil {
			return "", err
		}
		if caps[r.d].DatePartFunc {
			return "DATEPART(" + part + ", " + s + ")", nil
		}
		return "EXTRACT(" + part + " FROM " + s + ")", nil
	case *WeekStart:
		return r.dateTemplate(x.X, caps[r.d].WeekStart, "week start")
	case *DayOfWeek:
		return r.dateTemplate(x.X, caps[r.d].DayOfWeek, "day of the week")
	case NamedArg:
		if !Capabilities(r.d).FileSources || !identOK(x.Name) {
			return "", fmt.Errorf("%s: a named argument %q is for file readers of engines that read files", r.d, x.Name)
		}
		v, err := r.expr(x.Value, false)
		if err != nil {
			return "", err
		}
		return x.Name + " = " + v, nil
	case StructLit:
		if !Capabilities(r.d).FileSources {
			return "", fmt.Errorf("%s: struct literals are for file readers of engines that read files", r.d)
		}
		// struct_pack("name" := value): no braces, which templating
		// (dbt's Jinja, Python's format_map) would read as its own.
		parts := make([]string, 0, len(x.Fields))
		for _, f := range x.Fields {
			k, err := r.ident(f.Name, "struct field")
			if err != nil {
				return "", err
			}
			v, err := r.expr(f.Value, false)
			if err != nil {
				return "", err
			}
			parts = append(parts, k+" := "+v)
		}
		return "struct_pack(" + strings.Join(parts, ", ") + ")", nil
	}
	return "", fmt.Errorf("%s: unsupported expression %T", r.d, e)
}

func (r *renderer) binary(x *Binary) (string, error) {
	op := strings.ToUpper(x.Op)
	if op == "!=" {
		op = "<>"
	}
	p, ok := binaryPrec[op]
	if !ok {
		return "", fmt.Errorf("%s: unknown binary operator %q", r.d, x.Op)
	}
	logical := op == "AND" || op == "OR"
	if op == "||" && r.d == MySQL {
		// || is OR in MySQL's default sql_mode. CONCAT is NULL if any
		// argument is, like ||.
		l, err := r.expr(x.L, false)
		if err != nil {
			return "", err
		}
		rr, err := r.expr(x.R, false)
		if err != nil {
			return "", err
		}
		return "CONCAT(" + l + ", " + rr + ")", nil
	}
	assoc := op == "AND" || op == "OR" || op == "+" || op == "*" || op == "||"
	l, err := r.operand(x.L, p, false, assoc, logical)
	if err != nil {
		return "", err
	}
	rr, err := r.operand(x.R, p, true, assoc && sameOp(x.R, op), logical)
	if err != nil {
		return "", err
	}
	if op == "IS NOT DISTINCT FROM" {
		op = caps[r.d].NullSafeEqual
	}
	if op == "||" && r.d == SQLServer {
		// + concatenates strings and, like ||, yields NULL when an
		// operand is NULL (CONCAT would skip NULLs). Operands must be
		// text: cast numbers first.
		op = "+"
	}
	return l + " " + op + " " + rr, nil
}

func sameOp(e Expr, op string) bool {
	b, ok := e.(*Binary)
	return ok && strings.ToUpper(b.Op) == op
}

// between: Binary compares by code point / bytes where the default
// collation may not: COLLATE "C" (PostgreSQL), CAST AS BINARY on all
// three operands (MySQL/MariaDB: utf8mb4 byte order is code point order),
// COLLATE Latin1_General_BIN2 (SQL Server: UTF-16 code unit order, which
// differs from code point order only above U+FFFF against U+E000..U+FFFF).
// DuckDB, BigQuery and Databricks (UTF8_BINARY) compare bytes by default,
// and Snowflake compares code points unless a collation was set (e.g.
// DEFAULT_DDL_COLLATION), so nothing is added there.
func (r *renderer) between(x *Between) (string, error) {
	xs, err := r.operand(x.X, precCmp, false, false, false)
	if err != nil {
		return "", err
	}
	lo, err := r.operand(x.Lo, precAdd, false, false, false)
	if err != nil {
		return "", err
	}
	hi, err := r.operand(x.Hi, precAdd, false, false, false)
	if err != nil {
		return "", err
	}
	if x.Binary {
		switch r.d {
		case Postgres:
			xs += ` COLLATE "C"`
		case MySQL:
			xs, lo, hi = "CAST("+xs+" AS BINARY)", "CAST("+lo+" AS BINARY)", "CAST("+hi+" AS BINARY)"
		case SQLServer:
			xs += " COLLATE Latin1_General_BIN2"
		}
	}
	kw := " BETWEEN "
	if x.Not {
		kw = " NOT BETWEEN "
	}
	return xs + kw + lo + " AND " + hi, nil
}

// exactText writes x so that it compares by code point, case- and
// trailing-space-sensitive (see ExactText).
func (r *renderer) exactText(x Expr) (string, error) {
	s, err := r.operand(x, precAtom, false, false, false)
	if err != nil {
		return "", err
	}
	if Capabilities(r.d).ExactTextDefault {
		return s, nil
	}
	switch r.d {
	case Postgres:
		// Parenthesised: PostgreSQL's grammar takes no COLLATE in a
		// BETWEEN bound.
		return "(" + s + ` COLLATE "C")`, nil
	case MySQL:
		// utf8mb4_bin would still ignore trailing spaces (PAD SPACE);
		// a binary string compares its bytes.
		return "CAST(" + s + " AS BINARY)", nil
	case SQLServer:
		return "(" + s + " COLLATE Latin1_General_BIN2)", nil
	}
	return "", unsupported(r.d, "exact text comparison", "")
}

// likeBinary adapts the operands of a Binary LIKE (see Like).
func (r *renderer) likeBinary(xs, ps string) (string, string) {
	switch {
	case r.d == MySQL:
		// Per character (not per byte as on a binary string), case-
		// sensitive; LIKE never pads, so trailing spaces count.
		return "CONVERT(" + xs + " USING utf8mb4) COLLATE utf8mb4_bin", "CONVERT(" + ps + " USING utf8mb4)"
	case Capabilities(r.d).ExactTextDefault:
		return xs, ps
	case r.d == Postgres:
		return xs + ` COLLATE "C"`, ps
	case r.d == SQLServer:
		return xs + " COLLATE Latin1_General_BIN2", ps
	}
	return xs, ps
}

// like writes X LIKE P [ESCAPE 'c']. Only % and _ are wildcards. On SQL
// Server a literal pattern's [ is written [[] (T-SQL treats [...] as a
// character class). BigQuery has no ESCAPE clause and always escapes with
// backslash: a literal pattern is rewritten to backslash escapes; a
// non-literal pattern with another escape character is unsupported.
func (r *renderer) like(x *Like) (string, error) {
	if x.Escape != "" && len([]rune(x.Escape)) != 1 {
		return "", fmt.Errorf("%s: LIKE escape must be one character, got %q", r.d, x.Escape)
	}
	xs, err := r.operand(x.X, precCmp, false, false, false)
	if err != nil {
		return "", err
	}
	pat := x.Pattern
	if x.Classes {
		if !Capabilities(r.d).LikeBrackets {
			return "", unsupported(r.d, "LIKE with [...] character classes", "use a regular expression (Regex)")
		}
		if _, ok := pat.(Lit); !ok {
			return "", fmt.Errorf("%s: a LIKE pattern with character classes must be a literal", r.d)
		}
	} else if l, ok := pat.(Lit); ok {
		if s, ok := l.Value.(string); ok {
			switch r.d {
			case SQLServer:
				pat = S(sqlServerPattern(s, x.Escape))
			case BigQuery:
				if x.Escape != "" && x.Escape != `\` {
					pat = S(toBackslashPattern(s, []rune(x.Escape)[0]))
				}
			}
		}
	}
	ps, err := r.operand(pat, precCmp, true, false, false)
	if err != nil {
		return "", err
	}
	if x.Binary {
		xs, ps = r.likeBinary(xs, ps)
	}
	out := xs + " LIKE " + ps
	if x.Escape == "" {
		return out, nil
	}
	if !Capabilities(r.d).LikeEscape {
		if x.Escape == `\` {
			return out, nil
		}
		if _, ok := pat.(Lit); ok {
			return out, nil
		}
		return "", unsupported(r.d, "LIKE ... ESCAPE with a non-literal pattern", `BigQuery always escapes LIKE patterns with backslash: use Escape "\\"`)
	}
	e, err := quoteString(r.d, x.Escape)
	if err != nil {
		return "", err
	}
	if r.d == SQLServer {
		e = strings.TrimPrefix(e, "N") // ESCAPE takes a one-character string
	}
	return out + " ESCAPE " + e, nil
}

// sqlServerPattern writes [ as [[] so it is a literal, except right after
// the escape character (where it is already literal).
func sqlServerPattern(s, esc string) string {
	var b strings.Builder
	escaped := false
	for _, c := range s {
		switch {
		case escaped:
			escaped = false
			b.WriteRune(c)
		case esc != "" && string(c) == esc:
			escaped = true
			b.WriteRune(c)
		case c == '[':
			b.WriteString("[[]")
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// toBackslashPattern rewrites a pattern escaped with esc to one escaped
// with backslash.
func toBackslashPattern(s string, esc rune) string {
	var b strings.Builder
	escaped := false
	for _, c := range s {
		switch {
		case escaped:
			escaped = false
			b.WriteRune('\\')
			b.WriteRune(c)
		case c == esc:
			escaped = true
		case c == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (r *renderer) args(args []Expr) ([]string, error) {
	out := make([]string, len(args))
	for i, a := range args {
		s, err := r.expr(a, false)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func (r *renderer) wantArgs(f *Func, lo, hi int) error {
	if len(f.Args) < lo || len(f.Args) > hi {
		want := strconv.Itoa(lo)
		if hi != lo {
			want += " to " + strconv.Itoa(hi)
		}
		return fmt.Errorf("%s: %s takes %s arguments, got %d", r.d, strings.ToUpper(f.Name), want, len(f.Args))
	}
	return nil
}

// fn writes a function call, translating the portable names:
//
//   - LENGTH (characters, trailing spaces included): CHAR_LENGTH on MySQL;
//     on SQL Server DATALENGTH(CAST(x AS NVARCHAR(MAX))) / 2, because LEN
//     ignores trailing spaces (LEN(N'ab  ') = 2, while
//     DATALENGTH(CAST(N'ab  ' AS NVARCHAR(MAX))) / 2 = 4; the cast makes
//     VARCHAR input count characters, not bytes, and never truncates).
//     SQL Server counts UTF-16 code units: a character above U+FFFF is 2.
//   - LEFT(x, n): SUBSTR(x, 1, n) on BigQuery.
//   - SUBSTR(x, s[, n]): SUBSTRING on SQL Server, which needs the length
//     (2147483647 when omitted).
//   - ROUND(x[, n]): ROUND(x, 0) on SQL Server (the length is required);
//     ROUND(CAST(x AS NUMERIC), n) on PostgreSQL (round(double, int) does
//     not exist).
//   - GREATEST / LEAST: native everywhere, including SQL Server 2022+
//     (Azure SQL); older SQL Server is not supported. NULL handling is the
//     engine's (PostgreSQL and SQL Server skip NULLs; others return NULL).
//   - CONCAT: native everywhere; NULL arguments are skipped on DuckDB,
//     PostgreSQL and SQL Server but make the result NULL elsewhere. Use
//     Binary "||" for NULL-propagating concatenation on every engine.
//   - CURRENT_TIMESTAMP: CURRENT_TIMESTAMP() on BigQuery.
//   - ROW_NUMBER etc.: see Over.
//
// Other names are upper-cased and must be plain (optionally dotted)
// identifiers.
func (r *renderer) fn(f *Func) (string, error) {
	name := strings.ToUpper(f.Name)
	if !funcName.MatchString(name) {
		return "", fmt.Errorf("%s: %q is not a function name", r.d, f.Name)
	}
	args, err := r.args(f.Args)
	if err != nil {
		return "", err
	}
	call := func(n string, a ...string) string { return n + "(" + strings.Join(a, ", ") + ")" }
	switch name {
	case "LENGTH":
		if err := r.wantArgs(f, 1, 1); err != nil {
			return "", err
		}
		switch r.d {
		case MySQL:
			return call("CHAR_LENGTH", args...), nil
		case SQLServer:
			return "DATALENGTH(CAST(" + args[0] + " AS NVARCHAR(MAX))) / 2", nil
		}
		return call("LENGTH", args...), nil
	case "LEFT":
		if err := r.wantArgs(f, 2, 2); err != nil {
			return "", err
		}
		if r.d == BigQuery {
			return call("SUBSTR", args[0], "1", args[1]), nil
		}
		return call("LEFT", args...), nil
	case "SUBSTR", "SUBSTRING":
		if err := r.wantArgs(f, 2, 3); err != nil {
			return "", err
		}
		if r.d == SQLServer {
			if len(args) == 2 {
				args = append(args, "2147483647")
			}
			return call("SUBSTRING", args...), nil
		}
		return call("SUBSTR", args...), nil
	case "ROUND":
		if err := r.wantArgs(f, 1, 2); err != nil {
			return "", err
		}
		switch r.d {
		case SQLServer:
			if len(args) == 1 {
				args = append(args, "0")
			}
		case Postgres:
			if len(args) == 2 {
				args[0] = "CAST(" + args[0] + " AS NUMERIC)"
			}
		}
		return call("ROUND", args...), nil
	case "CURRENT_TIMESTAMP":
		if err := r.wantArgs(f, 0, 0); err != nil {
			return "", err
		}
		if r.d == BigQuery {
			return "CURRENT_TIMESTAMP()", nil
		}
		return "CURRENT_TIMESTAMP", nil
	case "COUNT":
		if len(f.Args) == 0 {
			args = []string{"*"}
		}
	}
	if f.Distinct {
		if len(args) == 0 {
			return "", fmt.Errorf("%s: %s(DISTINCT) without an argument", r.d, name)
		}
		return name + "(DISTINCT " + strings.Join(args, ", ") + ")", nil
	}
	return call(name, args...), nil
}

// over writes a window function. SQL Server requires ORDER BY for
// ROW_NUMBER, RANK and friends: ORDER BY (SELECT NULL) is added when the
// tree has none.
func (r *renderer) over(x *Over) (string, error) {
	if x.Func == nil {
		return "", fmt.Errorf("%s: window without a function", r.d)
	}
	f, err := r.fn(x.Func)
	if err != nil {
		return "", err
	}
	var parts []string
	if len(x.PartitionBy) > 0 {
		ps, err := r.args(x.PartitionBy)
		if err != nil {
			return "", err
		}
		parts = append(parts, "PARTITION BY "+strings.Join(ps, ", "))
	}
	if len(x.OrderBy) > 0 {
		o, err := r.orderBy(x.OrderBy)
		if err != nil {
			return "", err
		}
		parts = append(parts, "ORDER BY "+o)
	} else if r.d == SQLServer {
		switch strings.ToUpper(x.Func.Name) {
		case "ROW_NUMBER", "RANK", "DENSE_RANK", "NTILE", "LAG", "LEAD", "PERCENT_RANK", "CUME_DIST":
			parts = append(parts, "ORDER BY (SELECT NULL)")
		}
	}
	return f + " OVER (" + strings.Join(parts, " ") + ")", nil
}

func (r *renderer) orderBy(items []Order) (string, error) {
	out := make([]string, len(items))
	for i, o := range items {
		s, err := r.expr(o.Expr, false)
		if err != nil {
			return "", err
		}
		if o.Desc {
			s += " DESC"
		}
		out[i] = s
	}
	return strings.Join(out, ", "), nil
}

// identOK: a bare option name (letters, digits, underscores).
func identOK(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// dateTemplate renders a capability-table template of a date ({x}: the
// expression x), or says the engine has none.
func (r *renderer) dateTemplate(x Expr, tmpl, what string) (string, error) {
	s, err := r.expr(x, false)
	if err != nil {
		return "", err
	}
	if tmpl == "" {
		return "", fmt.Errorf("%s: no %s", r.d, what)
	}
	return strings.ReplaceAll(tmpl, "{x}", s), nil
}
