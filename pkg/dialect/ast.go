package dialect

// This file is the small SQL tree databridge builds statements with. Every
// identifier and literal that reaches SQL goes through it, and one renderer
// per engine (Render) turns it into text: quoting, string escaping, type
// names, LIMIT vs TOP, functions, and what an engine lacks.

// ---------------------------------------------------------------- types

// TypeKind is a portable column type.
type TypeKind int

// Portable types; each renderer maps them to its engine's names.
const (
	TText      TypeKind = iota // VARCHAR / STRING / NVARCHAR(...)
	TInt                       // 32-bit integer
	TBigInt                    // 64-bit integer
	TDecimal                   // DECIMAL(Precision, Scale)
	TDouble                    // 64-bit float
	TBool                      // BOOLEAN (BIT on SQL Server)
	TDate                      // DATE
	TTimestamp                 // TIMESTAMP without time zone
	TBits                      // BIT(Length), a bit string (PostgreSQL only)
)

// Type is a column type: Kind with its parameters (Length for TText, 0 =
// the engine's unbounded text; Precision/Scale for TDecimal).
type Type struct {
	Kind      TypeKind
	Length    int
	Precision int
	Scale     int
}

// Common types.
var (
	Text      = Type{Kind: TText}
	Int       = Type{Kind: TInt}
	BigInt    = Type{Kind: TBigInt}
	Double    = Type{Kind: TDouble}
	Bool      = Type{Kind: TBool}
	Date      = Type{Kind: TDate}
	Timestamp = Type{Kind: TTimestamp}
)

// Decimal returns DECIMAL(p, s).
func Decimal(p, s int) Type { return Type{Kind: TDecimal, Precision: p, Scale: s} }

// Varchar returns a text type of bounded length.
func Varchar(n int) Type { return Type{Kind: TText, Length: n} }

// ---------------------------------------------------------------- names

// Name is a possibly qualified object name: [database.][schema.]name.
type Name struct {
	Database string
	Schema   string
	Name     string
	// Raw writes Name verbatim (Database and Schema are ignored): for
	// templating placeholders a later stage resolves, such as dbt's
	// {{ ref('x') }} and {{ source('s', 't') }}. Never for user input.
	Raw bool
}

// N builds a Name from parts: N("t"), N("s", "t"), N("db", "s", "t").
func N(parts ...string) Name {
	switch len(parts) {
	case 1:
		return Name{Name: parts[0]}
	case 2:
		return Name{Schema: parts[0], Name: parts[1]}
	case 3:
		return Name{Database: parts[0], Schema: parts[1], Name: parts[2]}
	}
	panic("dialect.N: want 1 to 3 parts")
}

// ---------------------------------------------------------------- expressions

// Expr is a scalar expression.
type Expr interface{ isExpr() }

// Col references a column, optionally qualified by a table alias.
type Col struct {
	Table string
	Name  string
}

// Lit is a literal: string, int, int64, float64, bool, nil (NULL), or
// DecimalLit for exact numbers.
type Lit struct{ Value any }

// Param is the N-th (1-based) bind parameter of the statement: $N
// (PostgreSQL), @pN (SQL Server), ? elsewhere — where the parameters
// must then appear in the rendered text in the order of N, which is the
// order of the tree (build it in the order you number). Wrap it in a Cast
// where the engine cannot infer its type.
type Param struct{ N int }

// DecimalLit is an exact numeric literal written as text ("1234.50").
type DecimalLit string

// Star is * or alias.*.
type Star struct{ Table string }

// NamedArg is a named argument of a table function that reads files
// (read_csv(..., types = {...})): only engines with FileSources.
type NamedArg struct {
	Name  string
	Value Expr
}

// StructLit is a struct value, struct_pack("name" := value, ...) (only
// engines with FileSources, for file readers' options).
type StructLit struct{ Fields []StructField }

// StructField is one field of a StructLit.
type StructField struct {
	Name  string
	Value Expr
}

// Func calls a function. Portable names the renderers translate where an
// engine differs: LENGTH (characters), LEFT, SUBSTR, UPPER, LOWER, TRIM,
// COALESCE, NULLIF, ABS, ROUND, GREATEST, LEAST, CONCAT, SUM, COUNT, MIN,
// MAX, AVG, ROW_NUMBER, CURRENT_TIMESTAMP. Other names are written as
// given (upper-cased).
type Func struct {
	Name     string
	Args     []Expr
	Distinct bool
}

// Binary is L Op R for Op in = <> < <= > >= AND OR + - * /, || for
// string concatenation (rendered as CONCAT where || is not concatenation)
// and IS NOT DISTINCT FROM, null-safe equality (<=> on MySQL and
// Databricks; SQL Server needs 2022 or later).
type Binary struct {
	Op   string
	L, R Expr
}

// Unary is NOT X or -X.
type Unary struct {
	Op string // "NOT" or "-"
	X  Expr
}

// IsNull is X IS [NOT] NULL.
type IsNull struct {
	X   Expr
	Not bool
}

// Between is X [NOT] BETWEEN Lo AND Hi. Binary compares text byte by byte
// where the engine's default collation would not (COLLATE "C" on
// PostgreSQL, BINARY on MySQL, a binary collation on SQL Server).
type Between struct {
	X, Lo, Hi Expr
	Not       bool
	Binary    bool
}

// In is X [NOT] IN (List...).
type In struct {
	X    Expr
	List []Expr
	Not  bool
}

// Like is X LIKE Pattern [ESCAPE 'c']. Binary matches character by
// character, case-sensitively, trailing spaces included, on every engine
// (MySQL: both sides converted to utf8mb4 and compared with utf8mb4_bin;
// elsewhere X gets the collation ExactText gives). On an engine without
// an ESCAPE clause (Caps.LikeEscape false: BigQuery) Escape must be ""
// or a backslash, or the pattern a literal.
//
// Classes says Pattern (a literal) holds [...] character classes, which
// only SQL Server's LIKE has: it is written as given there and is an
// *UnsupportedError elsewhere (use Regex where Caps.Regex is true).
type Like struct {
	X, Pattern Expr
	Escape     string
	Binary     bool
	Classes    bool
}

// Regex is "the text X contains a match of Pattern" (a search, not
// anchored, like POSIX ~), character by character and case-sensitive:
// regexp_matches (DuckDB), ~ (PostgreSQL), REGEXP under utf8mb4_bin
// (MySQL and MariaDB), REGEXP_INSTR > 0 (Snowflake: REGEXP_LIKE and
// RLIKE anchor at both ends), RLIKE (Databricks), REGEXP_CONTAINS
// (BigQuery). Where Caps.Regex is false (SQL Server) it is an
// *UnsupportedError: use Like with Classes.
type Regex struct {
	X       Expr
	Pattern string
}

// ExactText is X (text) compared exactly: by code point (bytes of UTF-8),
// case- and trailing-space-sensitive, in =, <, BETWEEN, GROUP BY,
// DISTINCT, joins and window partitions. Where the engine's default text
// comparison is already that (Caps.ExactTextDefault) it is X itself;
// elsewhere X COLLATE "C" (PostgreSQL), CAST(X AS BINARY) (MySQL and
// MariaDB, whose default collations ignore case and trailing spaces; the
// value is then a binary string: LENGTH and LEFT count bytes) or X COLLATE
// Latin1_General_BIN2 (SQL Server; its = still ignores trailing spaces).
// Compare ExactText with ExactText.
type ExactText struct{ X Expr }

// When is one WHEN ... THEN ... arm.
type When struct{ Cond, Then Expr }

// Case is a searched CASE expression.
type Case struct {
	Whens []When
	Else  Expr
}

// Cast is CAST(X AS Type).
type Cast struct {
	X    Expr
	Type Type
}

// Over is a window function call: Func OVER (PARTITION BY ... ORDER BY ...).
type Over struct {
	Func        *Func
	PartitionBy []Expr
	OrderBy     []Order
}

// Exists is [NOT] EXISTS (Query).
type Exists struct {
	Query Query
	Not   bool
}

// DatePart is the YEAR, MONTH or DAY number of a date or timestamp X, as
// an integer: EXTRACT(part FROM x), or DATEPART(part, x) where the engine
// spells it so (Caps.DatePartFunc: SQL Server).
type DatePart struct {
	Part string // YEAR, MONTH or DAY
	X    Expr
}

// WeekStart is the Monday of the ISO week holding a date or timestamp
// X, as a DATE, whatever the session's first day of the week
// (Caps.WeekStart spells it for each engine).
type WeekStart struct{ X Expr }

// DayOfWeek is the ISO day of the week of a date or timestamp X, 1
// (Monday) to 7 (Sunday), whatever the session's first day of the week
// (Caps.DayOfWeek spells it for each engine).
type DayOfWeek struct{ X Expr }

// Paren forces parentheses around an expression.
type Paren struct{ X Expr }

func (Col) isExpr()        {}
func (Lit) isExpr()        {}
func (Star) isExpr()       {}
func (*Func) isExpr()      {}
func (*Binary) isExpr()    {}
func (*Unary) isExpr()     {}
func (*IsNull) isExpr()    {}
func (*Between) isExpr()   {}
func (*In) isExpr()        {}
func (*Like) isExpr()      {}
func (*Regex) isExpr()     {}
func (*Case) isExpr()      {}
func (*Cast) isExpr()      {}
func (*Over) isExpr()      {}
func (*Exists) isExpr()    {}
func (*Paren) isExpr()     {}
func (*DatePart) isExpr()  {}
func (*WeekStart) isExpr() {}
func (*DayOfWeek) isExpr() {}
func (*ExactText) isExpr() {}
func (DecimalLit) isExpr() {}
func (Param) isExpr()      {}
func (NamedArg) isExpr()   {}
func (StructLit) isExpr()  {}

// Helpers for building expressions tersely.

// C is a column reference: C("name") or C("alias", "name").
func C(parts ...string) Col {
	if len(parts) == 2 {
		return Col{Table: parts[0], Name: parts[1]}
	}
	return Col{Name: parts[0]}
}

// S is a string literal; I an integer literal.
func S(s string) Lit { return Lit{Value: s} }

// I is an integer literal.
func I(n int64) Lit { return Lit{Value: n} }

// Null is the NULL literal.
var Null = Lit{Value: nil}

// F calls a function.
func F(name string, args ...Expr) *Func { return &Func{Name: name, Args: args} }

// Eq, And, Or build binary expressions.
func Eq(l, r Expr) *Binary { return &Binary{Op: "=", L: l, R: r} }

// And joins conditions with AND (nil conditions are skipped).
func And(conds ...Expr) Expr { return join("AND", conds) }

// Or joins conditions with OR (nil conditions are skipped).
func Or(conds ...Expr) Expr { return join("OR", conds) }

func join(op string, conds []Expr) Expr {
	var out Expr
	for _, c := range conds {
		if c == nil {
			continue
		}
		if out == nil {
			out = c
		} else {
			out = &Binary{Op: op, L: out, R: c}
		}
	}
	return out
}

// ---------------------------------------------------------------- queries

// Query is a SELECT or a UNION ALL of queries.
type Query interface{ isQuery() }

// Select is one SELECT.
type Select struct {
	With     []CTE
	Distinct bool
	Columns  []SelectItem
	From     From
	Joins    []Join
	Where    Expr
	GroupBy  []Expr
	Having   Expr
	OrderBy  []Order
	// Limit > 0 caps the rows (LIMIT n, or TOP n on SQL Server).
	Limit int
}

// SelectItem is an output column with an optional alias.
type SelectItem struct {
	Expr  Expr
	Alias string
}

// As is a SelectItem with an alias.
func As(e Expr, alias string) SelectItem { return SelectItem{Expr: e, Alias: alias} }

// CTE is one WITH entry.
type CTE struct {
	Name    string
	Columns []string
	Query   Query
}

// UnionAll is Queries[0] UNION ALL Queries[1] ...; With applies to the
// whole union.
type UnionAll struct {
	With    []CTE
	Queries []Query
}

// Sample reads about N of the Rows rows of Table (SELECT *),
// repeatable with Seed where the engine allows: USING SAMPLE (DuckDB:
// bernoulli below 200,000 rows, system above), TABLESAMPLE BERNOULLI ...
// REPEATABLE (PostgreSQL), a seeded RAND() filter (MySQL: no
// TABLESAMPLE), TABLESAMPLE ... REPEATABLE (SQL Server, Databricks),
// SAMPLE BERNOULLI (N ROWS) (Snowflake) and TABLESAMPLE SYSTEM
// (BigQuery, not repeatable). Use it as a CTE body or a subquery.
type Sample struct {
	Table   Name
	N, Rows int64
	Seed    int
}

func (*Select) isQuery()   {}
func (*UnionAll) isQuery() {}
func (*Sample) isQuery()   {}

// From is something a query reads: a table, a subquery or literal rows.
type From interface{ isFrom() }

// Table reads a named table or CTE, with an optional alias.
type Table struct {
	Name  Name
	Alias string
}

// Subquery reads a query under an alias.
type Subquery struct {
	Query Query
	Alias string
}

// Values is literal rows with column names: VALUES (...), (...) AS a(c1,
// c2); rendered as SELECT ... UNION ALL where an engine lacks VALUES in
// FROM.
type Values struct {
	Columns []string
	Types   []Type // optional: CAST each column of the first row
	Rows    [][]Expr
	Alias   string
}

func (Table) isFrom()     {}
func (Subquery) isFrom()  {}
func (*Values) isFrom()   {}
func (TableFunc) isFrom() {}

// TableFunc reads a table function, e.g. DuckDB's read_csv_auto('x.csv').
type TableFunc struct {
	Func  *Func
	Alias string
}

// JoinKind is INNER, LEFT, FULL (where Caps.FullJoin) or CROSS.
type JoinKind string

// Join kinds.
const (
	InnerJoin JoinKind = "INNER"
	LeftJoin  JoinKind = "LEFT"
	FullJoin  JoinKind = "FULL"
	CrossJoin JoinKind = "CROSS"
)

// Join is one JOIN.
type Join struct {
	Kind JoinKind
	From From
	On   Expr
}

// Order is an ORDER BY item.
type Order struct {
	Expr Expr
	Desc bool
}

// ---------------------------------------------------------------- statements

// Stmt is a statement.
type Stmt interface{ isStmt() }

// ColumnDef defines a column.
type ColumnDef struct {
	Name    string
	Type    Type
	NotNull bool
}

// CreateTable is CREATE [OR REPLACE] TABLE with columns and a primary key.
type CreateTable struct {
	Name        Name
	Columns     []ColumnDef
	PrimaryKey  []string
	OrReplace   bool
	IfNotExists bool
	Comment     string
}

// CreateTableAs is CREATE [OR REPLACE] TABLE ... AS query.
type CreateTableAs struct {
	Name      Name
	Query     Query
	OrReplace bool
	Comment   string
}

// CreateView is CREATE [OR REPLACE] VIEW ... AS query.
type CreateView struct {
	Name      Name
	Query     Query
	OrReplace bool
	Comment   string
}

// CreateMaterializedView is CREATE MATERIALIZED VIEW (PostgreSQL,
// Snowflake, BigQuery, Databricks); an error on engines without them.
type CreateMaterializedView struct {
	Name      Name
	Query     Query
	OrReplace bool
	Comment   string
}

// CreateDynamicTable is a Snowflake dynamic table; an error elsewhere.
type CreateDynamicTable struct {
	Name        Name
	Query       Query
	OrReplace   bool
	TargetLag   string // e.g. "DOWNSTREAM" or "1 hour"
	Warehouse   string
	RefreshMode string // AUTO, FULL or INCREMENTAL ("" = engine default)
	Initialize  string // ON_CREATE or ON_SCHEDULE ("" = default)
	Comment     string
}

// Insert is INSERT INTO Table (Columns) Query — Query may be a *Select,
// a *UnionAll, or rows via a Select over *Values.
type Insert struct {
	Table   Name
	Columns []string
	Query   Query
}

// Assign is column = value (MERGE ... UPDATE SET).
type Assign struct {
	Column string
	Value  Expr
}

// Merge is MERGE INTO Target USING Source ON On WHEN MATCHED THEN UPDATE
// SET ... WHEN NOT MATCHED THEN INSERT (...) VALUES (...). On engines
// without MERGE (MySQL, DuckDB < 1.4) the renderer uses the engine's
// upsert form or errors.
type Merge struct {
	Target      Name
	TargetAlias string
	Source      From
	On          Expr
	Update      []Assign
	InsertCols  []string
	InsertVals  []Expr
}

// ObjectKind is what Drop drops.
type ObjectKind string

// Object kinds.
const (
	KindTable            ObjectKind = "TABLE"
	KindView             ObjectKind = "VIEW"
	KindMaterializedView ObjectKind = "MATERIALIZED VIEW"
	KindDynamicTable     ObjectKind = "DYNAMIC TABLE"
)

// Drop is DROP <kind> [IF EXISTS] name.
type Drop struct {
	Kind     ObjectKind
	Name     Name
	IfExists bool
}

// Delete is DELETE FROM Table [WHERE ...].
type Delete struct {
	Table Name
	Where Expr
}

// Grant is GRANT Privilege ON <kind> Name TO ROLE Role.
type Grant struct {
	Privilege string // SELECT, ...
	Kind      ObjectKind
	Name      Name
	Role      string
}

// QueryStmt is a query run as a statement.
type QueryStmt struct{ Query Query }

func (*CreateTable) isStmt()            {}
func (*CreateTableAs) isStmt()          {}
func (*CreateView) isStmt()             {}
func (*CreateMaterializedView) isStmt() {}
func (*CreateDynamicTable) isStmt()     {}
func (*Insert) isStmt()                 {}
func (*Merge) isStmt()                  {}
func (*Drop) isStmt()                   {}
func (*Delete) isStmt()                 {}
func (*Grant) isStmt()                  {}
func (*QueryStmt) isStmt()              {}
