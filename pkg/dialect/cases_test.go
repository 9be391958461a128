package dialect

// The golden cases: representative statements covering every node type.
// They are also one self-contained sequence (drop, create, load, query,
// merge, delete) that engine_test.go runs in order on real engines,
// checking the rows the queries return.

// goldenCase is one statement rendered for every dialect.
type goldenCase struct {
	name string
	stmt Stmt
	// exec: run it in the engine sequence (where the dialect supports it).
	exec bool
	// want: the rows a query must return on every engine executed, each
	// value normalised by cell(); nil = not checked. sorted: compare
	// ignoring row order.
	want   [][]string
	sorted bool
	// needs: a case whose effect the rows depend on; when the dialect
	// skipped it (unsupported), the rows are not checked.
	needs string
}

// Values with quotes, backslashes, unicode and trailing spaces: they must
// round-trip exactly.
const (
	memoQuotes  = `O'Brien \ "Sales" \'x\'`
	memoSpaces  = "ab  "
	memoUnicode = "Coût ✓ 北"
)

func glRow(id int64, account string, amount string, memo any, posted, created string, open any, rate any) *Select {
	amt := Expr(Null)
	if amount != "" {
		amt = DecimalLit(amount)
	}
	return &Select{Columns: []SelectItem{
		As(I(id), "id"),
		As(S(account), "account"),
		As(&Cast{X: amt, Type: Decimal(18, 2)}, "Amount"),
		As(&Cast{X: Lit{Value: memo}, Type: Text}, `Memo "quoted"`),
		As(&Cast{X: S(posted), Type: Date}, "posted"),
		As(&Cast{X: Lit{Value: open}, Type: Bool}, "is_open"),
		As(&Cast{X: Lit{Value: rate}, Type: Double}, "rate"),
		As(&Cast{X: S(created), Type: Timestamp}, "created_at"),
	}}
}

func goldenCases() []goldenCase {
	gl := N("dx_gl")
	accounts := N("dx_accounts")
	memo := C("g", `Memo "quoted"`)
	return []goldenCase{
		{name: "drop_view", exec: true, stmt: &Drop{Kind: KindView, Name: N("dx_account_totals"), IfExists: true}},
		{name: "drop_materialized_view", exec: true, stmt: &Drop{Kind: KindMaterializedView, Name: N("dx_totals_mv"), IfExists: true}},
		{name: "drop_table", exec: true, stmt: &Drop{Kind: KindTable, Name: gl, IfExists: true}},
		{name: "create_table", exec: true, stmt: &CreateTable{
			Name: gl,
			Columns: []ColumnDef{
				{Name: "id", Type: BigInt},
				{Name: "account", Type: Varchar(20), NotNull: true},
				{Name: "Amount", Type: Decimal(18, 2)},
				{Name: `Memo "quoted"`, Type: Text},
				{Name: "posted", Type: Date},
				{Name: "is_open", Type: Bool},
				{Name: "rate", Type: Double},
				{Name: "created_at", Type: Timestamp},
			},
			PrimaryKey:  []string{"id"},
			IfNotExists: true,
			Comment:     "General ledger's entries",
		}},
		{name: "create_table_replace", exec: true, stmt: &CreateTable{
			Name: accounts,
			Columns: []ColumnDef{
				{Name: "code", Type: Varchar(20)},
				{Name: "name", Type: Varchar(100), NotNull: true},
				{Name: "parent", Type: Varchar(20)},
				{Name: "Sort Order", Type: Int},
			},
			PrimaryKey: []string{"code"},
			OrReplace:  true,
		}},
		{name: "insert_values", exec: true, stmt: &Insert{
			Table:   accounts,
			Columns: []string{"code", "name", "parent", "Sort Order"},
			Query: &Select{
				Columns: []SelectItem{{Expr: Star{}}},
				From: &Values{
					Alias:   "v",
					Columns: []string{"code", "name", "parent", "sort_order"},
					Types:   []Type{Varchar(20), Varchar(100), Varchar(20), Int},
					Rows: [][]Expr{
						{S("4000"), S("Revenue"), Null, I(1)},
						{S("4100"), S(memoQuotes), S("4000"), I(2)},
						{S("5000"), S(memoUnicode), Null, I(3)},
						{S("5100"), S("a_b%c"), S("5000"), I(4)},
					},
				},
			},
		}},
		{name: "insert_union", exec: true, stmt: &Insert{
			Table:   gl,
			Columns: []string{"id", "account", "Amount", `Memo "quoted"`, "posted", "is_open", "rate", "created_at"},
			Query: &UnionAll{Queries: []Query{
				glRow(1, "4000", "1234.50", memoQuotes, "2024-01-31", "2024-01-31 10:00:00", true, 0.5),
				glRow(2, "4100", "-20.05", memoSpaces, "2024-02-29", "2024-02-29 23:59:59", false, 1e6),
				&UnionAll{Queries: []Query{
					glRow(3, "5000", "", memoUnicode, "2024-03-01", "2024-03-01 00:00:00", nil, nil),
					glRow(4, "5100", "0.00", nil, "2024-03-31", "2024-03-31 12:30:00", true, -2.25),
				}},
			}},
		}},
		{name: "select_expressions", exec: true, stmt: &QueryStmt{Query: &Select{
			Columns: []SelectItem{
				As(C("g", "id"), "id"),
				As(F("LENGTH", memo), "memo_len"),
				As(F("LEFT", C("g", "account"), I(2)), "acct2"),
				As(F("SUBSTR", C("g", "account"), I(2), I(2)), "acct_mid"),
				As(F("SUBSTR", C("g", "account"), I(3)), "acct_tail"),
				As(&Binary{Op: "||", L: &Binary{Op: "||", L: C("g", "account"), R: S("-")}, R: F("UPPER", memo)}, "label"),
				As(F("COALESCE", memo, S("none")), "memo_or_none"),
				As(&Case{Whens: []When{
					{Cond: &Binary{Op: ">", L: C("g", "Amount"), R: I(0)}, Then: S("credit")},
					{Cond: &Binary{Op: "<", L: C("g", "Amount"), R: I(0)}, Then: S("debit")},
					{Cond: &IsNull{X: C("g", "Amount")}, Then: Null},
				}, Else: S("zero")}, "side"),
				As(&Binary{Op: "-", L: &Binary{Op: "*", L: C("g", "id"), R: I(10)}, R: &Unary{Op: "-", X: &Binary{Op: "+", L: C("g", "id"), R: I(1)}}}, "arith"),
				As(&Binary{Op: "-", L: I(10), R: &Binary{Op: "-", L: C("g", "id"), R: I(-1)}}, "nested_minus"),
				As(F("GREATEST", C("g", "id"), I(2)), "hi"),
				As(F("LEAST", C("g", "id"), I(2)), "lo"),
				As(F("NULLIF", C("g", "account"), S("4000")), "not_4000"),
				As(F("ROUND", C("g", "rate"), I(1)), "rate_1"),
				As(&Cast{X: F("ABS", C("g", "Amount")), Type: Decimal(20, 3)}, "abs_amount"),
				As(&Binary{Op: ">", L: C("g", "id"), R: I(2)}, "is_late"),
				As(&Cast{X: C("g", "id"), Type: Varchar(10)}, "id_text"),
			},
			From: Table{Name: gl, Alias: "g"},
			Where: And(
				&In{X: C("g", "account"), List: []Expr{S("4000"), S("4100"), S("5000")}},
				&In{X: C("g", "id"), List: []Expr{I(99), I(100)}, Not: true},
				&Unary{Op: "NOT", X: &Binary{Op: "=", L: C("g", "id"), R: I(0)}},
				Or(&IsNull{X: C("g", "rate")}, &IsNull{X: C("g", "rate"), Not: true}),
			),
			OrderBy: []Order{{Expr: C("g", "id")}},
		}}, want: [][]string{
			{"1", "23", "40", "00", "00", `4000-O'BRIEN \ "SALES" \'X\'`, memoQuotes, "credit", "12", "8", "2", "1", "NULL", "*", "*", "0", "1"},
			{"2", "4", "41", "10", "00", "4100-AB  ", memoSpaces, "debit", "23", "7", "2", "2", "4100", "*", "*", "0", "2"},
			{"3", "8", "50", "00", "00", "*", memoUnicode, "NULL", "34", "6", "3", "2", "5000", "*", "*", "1", "3"},
		}},
		{name: "select_date_parts", exec: true, stmt: &QueryStmt{Query: &Select{
			Columns: []SelectItem{
				As(C("g", "id"), "id"),
				As(&DatePart{Part: "YEAR", X: C("g", "posted")}, "y"),
				As(&DatePart{Part: "month", X: C("g", "posted")}, "m"),
				As(&DatePart{Part: "DAY", X: C("g", "posted")}, "d"),
				As(&DatePart{Part: "MONTH", X: C("g", "created_at")}, "created_m"),
			},
			From:    Table{Name: gl, Alias: "g"},
			Where:   &Binary{Op: ">", L: &DatePart{Part: "MONTH", X: C("g", "posted")}, R: I(1)},
			OrderBy: []Order{{Expr: C("g", "id")}},
		}}, want: [][]string{{"2", "2024", "2", "29", "2"}, {"3", "2024", "3", "1", "3"}, {"4", "2024", "3", "31", "3"}}},
		{name: "select_text_semantics", exec: true, sorted: true, stmt: &QueryStmt{Query: &Select{
			Columns: []SelectItem{
				As(C("v", "code"), "code"),
				As(&Case{Whens: []When{{Cond: &Between{X: C("v", "code"), Lo: S("A"), Hi: S("Z"), Binary: true}, Then: S("upper")}}, Else: S("other")}, "band"),
				As(&Case{Whens: []When{{Cond: &Like{X: C("v", "code"), Pattern: S("a!_b!%%"), Escape: "!"}, Then: I(1)}}, Else: I(0)}, "like_escaped"),
				As(&Case{Whens: []When{{Cond: &Like{X: C("v", "code"), Pattern: S(`%\_%`), Escape: `\`}, Then: I(1)}}, Else: I(0)}, "has_underscore"),
				As(&Case{Whens: []When{{Cond: &Like{X: C("v", "code"), Pattern: S("[%")}, Then: I(1)}}, Else: I(0)}, "bracket"),
			},
			From: &Values{
				Alias:   "v",
				Columns: []string{"code"},
				Types:   []Type{Varchar(10)},
				Rows:    [][]Expr{{S("a")}, {S("B")}, {S("b")}, {S("Z")}, {S("a_b%c")}, {S("axb%c")}, {S("[x]")}},
			},
			Where: &Between{X: F("LENGTH", C("v", "code")), Lo: I(-1), Hi: I(0), Not: true},
		}}, want: [][]string{
			{"B", "upper", "0", "0", "0"},
			{"Z", "upper", "0", "0", "0"},
			{"[x]", "other", "0", "0", "1"},
			{"a", "other", "0", "0", "0"},
			{"a_b%c", "other", "1", "1", "0"},
			{"axb%c", "other", "0", "0", "0"},
			{"b", "other", "0", "0", "0"},
		}},
		{name: "select_join_window", exec: true, stmt: &QueryStmt{Query: &Select{
			Columns: []SelectItem{
				As(C("g", "id"), "id"),
				As(C("a", "name"), "account_name"),
				As(C("p", "name"), "parent_name"),
				As(&Over{Func: F("ROW_NUMBER"), PartitionBy: []Expr{C("a", "parent")}, OrderBy: []Order{{Expr: C("g", "id"), Desc: true}}}, "rn"),
				As(&Over{Func: F("COUNT", Star{}), PartitionBy: []Expr{C("a", "parent")}}, "n_siblings"),
				As(&Over{Func: F("ROW_NUMBER")}, "any_rn"),
				As(F("CURRENT_TIMESTAMP"), "ts"),
			},
			From: Table{Name: gl, Alias: "g"},
			Joins: []Join{
				{Kind: InnerJoin, From: Table{Name: accounts, Alias: "a"}, On: Eq(C("a", "code"), C("g", "account"))},
				{Kind: LeftJoin, From: Table{Name: accounts, Alias: "p"}, On: Eq(C("p", "code"), C("a", "parent"))},
				{Kind: CrossJoin, From: Subquery{Alias: "one", Query: &Select{Columns: []SelectItem{As(I(1), "x")}}}},
			},
			Where:   &Binary{Op: "=", L: C("one", "x"), R: I(1)},
			OrderBy: []Order{{Expr: C("g", "id")}},
		}}},
		{name: "select_cte_chain", exec: true, stmt: &QueryStmt{Query: &Select{
			With: []CTE{
				{Name: "posted", Query: &Select{
					Columns: []SelectItem{As(C("account"), "account"), As(C("Amount"), "amount")},
					From:    Table{Name: gl},
					Where:   &IsNull{X: C("Amount"), Not: true},
				}},
				{Name: "by_account", Columns: []string{"account", "total", "n"}, Query: &Select{
					Columns: []SelectItem{{Expr: C("account")}, {Expr: F("SUM", C("amount"))}, {Expr: &Func{Name: "COUNT", Args: []Expr{C("account")}, Distinct: true}}},
					From:    Table{Name: N("posted")},
					GroupBy: []Expr{C("account")},
				}},
			},
			Distinct: true,
			Columns:  []SelectItem{As(C("b", "account"), "account"), As(C("b", "n"), "n")},
			From:     Table{Name: N("by_account"), Alias: "b"},
			Where:    &Binary{Op: "<>", L: C("b", "total"), R: DecimalLit("0.00")},
			GroupBy:  []Expr{C("b", "account"), C("b", "n")},
			Having:   &Binary{Op: ">=", L: F("COUNT", Star{}), R: I(1)},
			OrderBy:  []Order{{Expr: C("b", "account"), Desc: true}},
			Limit:    2,
		}}, want: [][]string{{"4100", "1"}, {"4000", "1"}}},
		{name: "select_union_exists", exec: true, stmt: &QueryStmt{Query: &UnionAll{Queries: []Query{
			&Select{
				Columns: []SelectItem{As(S("first"), "kind"), As(C("code"), "code")},
				From:    Table{Name: accounts},
				OrderBy: []Order{{Expr: C("code")}},
				Limit:   1,
			},
			&Select{
				Columns: []SelectItem{As(S("with_entries"), "kind"), As(C("a", "code"), "code")},
				From:    Table{Name: accounts, Alias: "a"},
				Where: &Exists{Query: &Select{
					Columns: []SelectItem{{Expr: I(1)}},
					From:    Table{Name: gl, Alias: "g"},
					Where:   And(Eq(C("g", "account"), C("a", "code")), Eq(C("g", "is_open"), Lit{Value: true})),
				}},
			},
			&Select{
				Columns: []SelectItem{As(S("no_entries"), "kind"), As(C("s", "code"), "code")},
				From: Subquery{Alias: "s", Query: &Select{
					Columns: []SelectItem{{Expr: C("code")}},
					From:    Table{Name: accounts, Alias: "a"},
					Where: &Exists{Not: true, Query: &Select{
						Columns: []SelectItem{{Expr: I(1)}},
						From:    Table{Name: gl, Alias: "g"},
						Where:   Eq(C("g", "account"), C("a", "code")),
					}},
				}},
			},
		}}}, sorted: true, want: [][]string{
			{"first", "4000"},
			{"with_entries", "4000"},
			{"with_entries", "5100"},
		}},
		{name: "create_view", exec: true, stmt: &CreateView{
			Name:      N("dx_account_totals"),
			OrReplace: true,
			Comment:   "Totals per account; don't edit",
			Query: &Select{
				Columns: []SelectItem{
					As(C("a", "code"), "code"),
					As(C("a", "name"), "name"),
					As(F("COALESCE", F("SUM", C("g", "Amount")), DecimalLit("0.00")), "total"),
					As(F("COUNT", C("g", "id")), "entries"),
				},
				From:    Table{Name: accounts, Alias: "a"},
				Joins:   []Join{{Kind: LeftJoin, From: Table{Name: gl, Alias: "g"}, On: Eq(C("g", "account"), C("a", "code"))}},
				GroupBy: []Expr{C("a", "code"), C("a", "name")},
			},
		}},
		{name: "select_view", exec: true, stmt: &QueryStmt{Query: &Select{
			Columns: []SelectItem{As(C("code"), "code"), As(&Cast{X: C("total"), Type: Varchar(30)}, "total"), As(C("entries"), "entries")},
			From:    Table{Name: N("dx_account_totals")},
			OrderBy: []Order{{Expr: C("code")}},
		}}, want: [][]string{{"4000", "1234.50", "1"}, {"4100", "-20.05", "1"}, {"5000", "0.00", "1"}, {"5100", "0.00", "1"}}},
		{name: "create_table_as", exec: true, stmt: &CreateTableAs{
			Name:      N("dx_gl_copy"),
			OrReplace: true,
			Query: &Select{
				With: []CTE{{Name: "open_entries", Query: &Select{
					Columns: []SelectItem{{Expr: Star{}}},
					From:    Table{Name: gl},
					Where:   C("is_open"),
				}}},
				Columns: []SelectItem{As(C("id"), "id"), As(C("account"), "account"), As(C("Amount"), "amount"), As(Lit{Value: true}, "copied")},
				From:    Table{Name: N("open_entries")},
			},
		}},
		{name: "select_copy", exec: true, stmt: &QueryStmt{Query: &Select{
			Columns: []SelectItem{As(C("id"), "id"), As(&Cast{X: C("amount"), Type: Varchar(30)}, "amount")},
			From:    Table{Name: N("dx_gl_copy")},
			Where:   C("copied"),
			OrderBy: []Order{{Expr: C("id")}},
		}}, want: [][]string{{"1", "1234.50"}, {"4", "0.00"}}},
		{name: "create_materialized_view", exec: true, stmt: &CreateMaterializedView{
			Name:      N("dx_totals_mv"),
			OrReplace: true,
			Comment:   "Materialised totals",
			Query: &Select{
				Columns: []SelectItem{As(C("account"), "account"), As(F("SUM", C("Amount")), "total")},
				From:    Table{Name: gl},
				GroupBy: []Expr{C("account")},
			},
		}},
		{name: "create_dynamic_table", exec: true, stmt: &CreateDynamicTable{
			Name:        N("FINANCE", "MART", "DT_TOTALS"),
			OrReplace:   true,
			TargetLag:   "1 hour",
			Warehouse:   "TRANSFORM_WH",
			RefreshMode: "incremental",
			Initialize:  "ON_CREATE",
			Comment:     "Totals, refreshed hourly",
			Query: &Select{
				Columns: []SelectItem{As(C("account"), "account"), As(F("SUM", C("Amount")), "total")},
				From:    Table{Name: N("FINANCE", "RAW", "GL")},
				GroupBy: []Expr{C("account")},
			},
		}},
		{name: "merge", exec: true, stmt: &Merge{
			Target:      accounts,
			TargetAlias: "t",
			Source: &Values{
				Alias:   "s",
				Columns: []string{"code", "name", "parent"},
				Types:   []Type{Varchar(20), Varchar(100), Varchar(20)},
				Rows: [][]Expr{
					{S("4000"), S("Revenue (total)"), Null},
					{S("6000"), S(`Other \ 'income'`), S("4000")},
				},
			},
			On:         Eq(C("t", "code"), C("s", "code")),
			Update:     []Assign{{Column: "name", Value: C("s", "name")}, {Column: "parent", Value: C("s", "parent")}},
			InsertCols: []string{"code", "name", "parent", "Sort Order"},
			InsertVals: []Expr{C("s", "code"), C("s", "name"), C("s", "parent"), I(9)},
		}},
		{name: "select_after_merge", exec: true, stmt: &QueryStmt{Query: &Select{
			Columns: []SelectItem{As(C("code"), "code"), As(C("name"), "name"), As(F("COALESCE", C("parent"), S("-")), "parent"), As(C("Sort Order"), "sort_order")},
			From:    Table{Name: accounts},
			OrderBy: []Order{{Expr: C("Sort Order")}, {Expr: C("code")}},
		}}, want: [][]string{
			{"4000", "Revenue (total)", "-", "1"},
			{"4100", memoQuotes, "4000", "2"},
			{"5000", memoUnicode, "-", "3"},
			{"5100", "a_b%c", "5000", "4"},
			{"6000", `Other \ 'income'`, "4000", "9"},
		}, needs: "merge"},
		{name: "select_regex", exec: true, stmt: &QueryStmt{Query: &Select{
			Columns: []SelectItem{As(C("id"), "id"), As(F("SUM", &Case{Whens: []When{{Cond: &Regex{X: C("account"), Pattern: "^[45][01]"}, Then: I(1)}}, Else: I(0)}), "n")},
			From:    Table{Name: gl},
			Where: And(&Regex{X: &Cast{X: C(`Memo "quoted"`), Type: Text}, Pattern: "^O'Brien .*Sales"},
				&Unary{Op: "NOT", X: &Regex{X: C(`Memo "quoted"`), Pattern: "^o'brien"}}),
			GroupBy: []Expr{C("id")},
		}}, want: [][]string{{"1", "1"}}},
		{name: "select_like_classes", stmt: &QueryStmt{Query: &Select{
			Columns: []SelectItem{As(C("id"), "id")},
			From:    Table{Name: gl},
			Where: And(&Like{X: C("account"), Pattern: S("[0-9][0-9][0-9][0-9]"), Classes: true},
				&Unary{Op: "NOT", X: &Like{X: C("account"), Pattern: S("%[^0-9]%"), Classes: true, Binary: true}}),
		}}},
		{name: "select_sample", exec: true, stmt: &QueryStmt{Query: &Select{
			With:    []CTE{{Name: "s", Query: &Sample{Table: gl, N: 10, Rows: 10, Seed: 42}}},
			Columns: []SelectItem{As(F("COUNT"), "n")},
			From:    Table{Name: N("s")},
		}}},
		{name: "select_sample_big", stmt: &QueryStmt{Query: &Select{
			With:    []CTE{{Name: "s", Query: &Sample{Table: N("mart", "dx_gl"), N: 100_000, Rows: 4_000_000, Seed: 7}}},
			Columns: []SelectItem{As(F("COUNT"), "n")},
			From:    Table{Name: N("s")},
		}}},
		{name: "delete", exec: true, stmt: &Delete{
			Table: gl,
			Where: Or(&Binary{Op: "<", L: C("Amount"), R: DecimalLit("-10.5")}, &Like{X: C(`Memo "quoted"`), Pattern: S("%北")}),
		}},
		{name: "select_after_delete", exec: true, stmt: &QueryStmt{Query: &Select{
			Columns: []SelectItem{As(C("id"), "id"), As(C(`Memo "quoted"`), "memo"), As(F("LENGTH", C(`Memo "quoted"`)), "len")},
			From:    Table{Name: gl},
			OrderBy: []Order{{Expr: C("id")}},
		}}, want: [][]string{{"1", memoQuotes, "23"}, {"4", "NULL", "NULL"}}},
		{name: "delete_all", exec: false, stmt: &Delete{Table: N("dx_gl_copy")}},
		{name: "grant", stmt: &Grant{Privilege: "select", Kind: KindView, Name: N("finance", "mart", "account_totals"), Role: "Reporting Readers"}},
		{name: "grant_table", stmt: &Grant{Privilege: "SELECT", Kind: KindTable, Name: N("mart", "dx_gl"), Role: "analyst"}},
	}
}
