package dialect

import (
	"fmt"
	"strings"
)

// This file holds what differs between engines as data and small
// functions: capabilities, type names and string literals. The renderer
// (render.go, stmt.go) asks these and never switches on an engine for
// anything that can live here.

// Caps is the one table of engine facts: what an engine can do natively
// and how it behaves where packages outside the renderer must know. Where
// an engine cannot do something, Render either emulates it (documented on
// Render) or returns an *UnsupportedError. Packages read these fields
// (through Capabilities) instead of comparing engine names.
//
// Every engine's entry in caps names every field, false and zero included,
// so each fact is decided rather than defaulted (TestCapsComplete checks
// it): a field added here fails that test until each engine says its value.
type Caps struct {
	DynamicTables        bool // Snowflake CREATE DYNAMIC TABLE
	MaterializedViews    bool // CREATE MATERIALIZED VIEW
	CreateOrReplaceTable bool // CREATE OR REPLACE TABLE (else DROP + CREATE)
	CreateOrReplaceView  bool // CREATE OR REPLACE VIEW (SQL Server: CREATE OR ALTER VIEW)
	Merge                bool // MERGE INTO
	TransactionalDDL     bool // DDL can be rolled back with the transaction (deploy runs in one transaction)
	ValuesInFrom         bool // (VALUES ...) AS t(c1, c2) (else SELECT ... UNION ALL)
	BooleanType          bool // a real BOOLEAN type (MySQL: TINYINT(1); SQL Server: BIT)

	// IdentFold is what the engine does to an unquoted identifier; on a
	// folding engine QuoteIdent leaves plain names unquoted.
	IdentFold Fold
	// MaxParams is the most bind parameters one statement may carry (0 =
	// no practical limit known).
	MaxParams int
	// FileSources: the engine reads CSV and Parquet files in place as
	// tables (DuckDB), so a files connection can be a source of its models.
	FileSources bool
	// Regex: a regular-expression match (the Regex node; SQL Server has none).
	Regex bool
	// LimitTop: a row limit is SELECT TOP n ... (SQL Server), not ... LIMIT n.
	LimitTop bool
	// NullSafeEqual is the null-safe equality operator Binary's IS NOT
	// DISTINCT FROM is written as (MySQL, Databricks: <=>).
	NullSafeEqual string
	// DatePartFunc: a date's year, month or day is DATEPART(part, x)
	// (SQL Server), not EXTRACT(part FROM x).
	DatePartFunc bool
	// WeekStart is the Monday of the ISO week of a date {x}, as a DATE,
	// independent of session settings (DATEFIRST, WEEK_START; SQL
	// Server counts days from Monday 1 January 1900).
	WeekStart string
	// DayOfWeek is the ISO day of the week of a date {x}, 1 (Monday) to
	// 7 (Sunday), independent of session settings.
	DayOfWeek string
	// FullJoin: FULL [OUTER] JOIN (MySQL and MariaDB have none).
	FullJoin bool
	// NarrowDecimal: a DECIMAL of up to 18 digits is a 64-bit integer,
	// much cheaper to cast to and print than a wider one (DuckDB: a
	// double's normalised text costs a fifth as much). Normalise then
	// takes the narrow path for values that fit it.
	NarrowDecimal bool
	// EnforcedKeys: declared PRIMARY KEY and UNIQUE constraints are
	// enforced, so a table that declares one holds no duplicate (Snowflake,
	// BigQuery and Databricks accept them as information only).
	EnforcedKeys bool

	// Text comparison (mapping rules: ExactText, Like.Binary).
	// ExactTextDefault: text compares, groups and sorts by code point,
	// case- and trailing-space-sensitive, with no collation added.
	ExactTextDefault bool
	LikeEscape       bool // LIKE ... ESCAPE 'c' (BigQuery: none, backslash always escapes)
	LikeBrackets     bool // [...] is a wildcard in LIKE patterns (SQL Server)

	// Normalised values for reconciliation (normalise.go).
	// MD5Hex: MD5(text) is the 32 lower-case hex digits of the MD5 of the
	// text's UTF-8 bytes (SQL Server: HASHBYTES gives bytes; BigQuery:
	// MD5 gives BYTES), the same on every engine that has it, so hashes
	// computed in two engines can be compared.
	MD5Hex bool
	// TimeFormat formats a timestamp as "YYYY-MM-DD HH:MM:SS.ffffff"
	// (microseconds, six digits): the function and its pattern.
	TimeFormat TimeFormat
	// UTCFunc converts a timestamp with time zone to the UTC wall-clock
	// timestamp without zone: UTCFunc('UTC', x); NoFunc where the engine
	// has no such type or no such function (MySQL's TIMESTAMP is read in
	// the session's zone).
	UTCFunc string
	// HexNumber is how the engine reads hex digits as an integer (for
	// HashNumber): HexCast CAST('0x' || h AS BIGINT) (DuckDB), HexConv
	// CONV(h, 16, 10) (MySQL, MariaDB, Databricks), HexBit
	// CAST(CAST('x' || h AS BIT(n)) AS BIGINT) (PostgreSQL), HexBytes the
	// bytes of DECODE(h, 'hex'), HexToNumber TO_NUMBER(h, 'XX…')
	// (Snowflake), NoFunc where MD5Hex is false.
	HexNumber string
}

// HexNumber methods (Caps.HexNumber).
const (
	HexCast     = "cast-0x"
	HexConv     = "conv"
	HexBytes    = "decode-bytes"
	HexBit      = "bit-string"
	HexToNumber = "to_number"
)

// NoFunc states that an engine has no function for a capability.
const NoFunc = "none"

// TimeFormat is how an engine writes a timestamp with a pattern:
// Func(x, Pattern), or Func(Pattern, x) when PatternFirst.
type TimeFormat struct {
	Func         string
	Pattern      string
	PatternFirst bool
}

// Fold is how an engine treats the case of unquoted identifiers.
type Fold int

const (
	foldUnset Fold = iota // not decided: every engine must say
	// FoldNone keeps names as written (matching may still be
	// case-insensitive, as on DuckDB, MySQL columns, SQL Server's default
	// collations, BigQuery columns and Databricks).
	FoldNone
	FoldLower // PostgreSQL: account_code and ACCOUNT_CODE are account_code
	FoldUpper // Snowflake: account_code and ACCOUNT_CODE are ACCOUNT_CODE
)

func (f Fold) String() string {
	switch f {
	case FoldNone:
		return "none"
	case FoldLower:
		return "lower"
	case FoldUpper:
		return "upper"
	}
	return "unset"
}

var caps = map[string]Caps{
	DuckDB: {
		DynamicTables: false, MaterializedViews: false, CreateOrReplaceTable: true, CreateOrReplaceView: true,
		Merge: true, TransactionalDDL: true, ValuesInFrom: true, BooleanType: true,
		IdentFold: FoldNone, MaxParams: 0, FileSources: true, Regex: true, LimitTop: false, NullSafeEqual: "IS NOT DISTINCT FROM", DatePartFunc: false, WeekStart: "CAST(date_trunc('week', {x}) AS DATE)", DayOfWeek: "CAST(isodow({x}) AS INTEGER)", FullJoin: true, EnforcedKeys: true, NarrowDecimal: true,
		ExactTextDefault: true, LikeEscape: true, LikeBrackets: false,
		MD5Hex: true, TimeFormat: TimeFormat{Func: "strftime", Pattern: "%Y-%m-%d %H:%M:%S.%f"}, UTCFunc: "timezone", HexNumber: HexCast,
	},
	Postgres: {
		DynamicTables: false, MaterializedViews: true, CreateOrReplaceTable: false, CreateOrReplaceView: true,
		Merge: true, TransactionalDDL: true, ValuesInFrom: true, BooleanType: true,
		IdentFold: FoldLower, MaxParams: 65535, FileSources: false, Regex: true, LimitTop: false, NullSafeEqual: "IS NOT DISTINCT FROM", DatePartFunc: false, WeekStart: "CAST(date_trunc('week', {x}) AS DATE)", DayOfWeek: "CAST(EXTRACT(ISODOW FROM {x}) AS INTEGER)", FullJoin: true, EnforcedKeys: true, NarrowDecimal: false,
		ExactTextDefault: false, LikeEscape: true, LikeBrackets: false,
		MD5Hex: true, TimeFormat: TimeFormat{Func: "to_char", Pattern: "YYYY-MM-DD HH24:MI:SS.US"}, UTCFunc: "timezone", HexNumber: HexBit,
	},
	MySQL: {
		DynamicTables: false, MaterializedViews: false, CreateOrReplaceTable: false, CreateOrReplaceView: true,
		Merge: false, TransactionalDDL: false, ValuesInFrom: false, BooleanType: false,
		IdentFold: FoldNone, MaxParams: 65535, FileSources: false, Regex: true, LimitTop: false, NullSafeEqual: "<=>", DatePartFunc: false, WeekStart: "DATE_SUB(CAST({x} AS DATE), INTERVAL WEEKDAY({x}) DAY)", DayOfWeek: "(WEEKDAY({x}) + 1)", FullJoin: false, EnforcedKeys: true, NarrowDecimal: false,
		ExactTextDefault: false, LikeEscape: true, LikeBrackets: false,
		MD5Hex: true, TimeFormat: TimeFormat{Func: "DATE_FORMAT", Pattern: "%Y-%m-%d %H:%i:%s.%f"}, UTCFunc: NoFunc, HexNumber: HexConv,
	},
	SQLServer: {
		DynamicTables: false, MaterializedViews: false, CreateOrReplaceTable: false, CreateOrReplaceView: true,
		Merge: true, TransactionalDDL: true, ValuesInFrom: true, BooleanType: false,
		IdentFold: FoldNone, MaxParams: 2100, FileSources: false, Regex: false, LimitTop: true, NullSafeEqual: "IS NOT DISTINCT FROM", DatePartFunc: true, WeekStart: "DATEADD(day, -(DATEDIFF(day, CAST('1900-01-01' AS DATE), {x}) % 7), CAST({x} AS DATE))", DayOfWeek: "(DATEDIFF(day, CAST('1900-01-01' AS DATE), {x}) % 7 + 1)", FullJoin: true, EnforcedKeys: true, NarrowDecimal: false,
		ExactTextDefault: false, LikeEscape: true, LikeBrackets: true,
		MD5Hex: false, TimeFormat: TimeFormat{Func: "FORMAT", Pattern: "yyyy-MM-dd HH:mm:ss.ffffff"}, UTCFunc: NoFunc, HexNumber: NoFunc,
	},
	Snowflake: {
		DynamicTables: true, MaterializedViews: true, CreateOrReplaceTable: true, CreateOrReplaceView: true,
		Merge: true, TransactionalDDL: false, ValuesInFrom: true, BooleanType: true,
		IdentFold: FoldUpper, MaxParams: 0, FileSources: false, Regex: true, LimitTop: false, NullSafeEqual: "IS NOT DISTINCT FROM", DatePartFunc: false, WeekStart: "DATEADD(day, 1 - DAYOFWEEKISO({x}), CAST({x} AS DATE))", DayOfWeek: "DAYOFWEEKISO({x})", FullJoin: true, EnforcedKeys: false, NarrowDecimal: false,
		ExactTextDefault: true, LikeEscape: true, LikeBrackets: false,
		MD5Hex: true, TimeFormat: TimeFormat{Func: "TO_CHAR", Pattern: "YYYY-MM-DD HH24:MI:SS.FF6"}, UTCFunc: NoFunc, HexNumber: HexToNumber,
	},
	BigQuery: {
		DynamicTables: false, MaterializedViews: true, CreateOrReplaceTable: true, CreateOrReplaceView: true,
		Merge: true, TransactionalDDL: false, ValuesInFrom: false, BooleanType: true,
		IdentFold: FoldNone, MaxParams: 0, FileSources: false, Regex: true, LimitTop: false, NullSafeEqual: "IS NOT DISTINCT FROM", DatePartFunc: false, WeekStart: "DATE_TRUNC(CAST({x} AS DATE), ISOWEEK)", DayOfWeek: "(MOD(DATE_DIFF(CAST({x} AS DATE), DATE '1900-01-01', DAY), 7) + 1)", FullJoin: true, EnforcedKeys: false, NarrowDecimal: false,
		ExactTextDefault: true, LikeEscape: false, LikeBrackets: false,
		MD5Hex: false, TimeFormat: TimeFormat{Func: "FORMAT_DATETIME", Pattern: "%Y-%m-%d %H:%M:%E6S", PatternFirst: true}, UTCFunc: NoFunc, HexNumber: NoFunc,
	},
	Databricks: {
		DynamicTables: false, MaterializedViews: true, CreateOrReplaceTable: true, CreateOrReplaceView: true,
		Merge: true, TransactionalDDL: false, ValuesInFrom: true, BooleanType: true,
		IdentFold: FoldNone, MaxParams: 0, FileSources: false, Regex: true, LimitTop: false, NullSafeEqual: "<=>", DatePartFunc: false, WeekStart: "CAST(date_trunc('WEEK', {x}) AS DATE)", DayOfWeek: "(MOD(datediff({x}, DATE '1900-01-01'), 7) + 1)", FullJoin: true, EnforcedKeys: false, NarrowDecimal: false,
		ExactTextDefault: true, LikeEscape: true, LikeBrackets: false,
		MD5Hex: true, TimeFormat: TimeFormat{Func: "date_format", Pattern: "yyyy-MM-dd HH:mm:ss.SSSSSS"}, UTCFunc: NoFunc, HexNumber: HexConv,
	},
}

// Dialects lists the dialects Render knows, in a fixed order.
func Dialects() []string {
	return []string{DuckDB, Postgres, MySQL, SQLServer, Snowflake, BigQuery, Databricks}
}

// Capabilities is the dialect's row of the engine table (the zero Caps,
// where everything is false, for an unknown dialect).
func Capabilities(dialect string) Caps { return caps[dialect] }

func known(dialect string) error {
	if _, ok := caps[dialect]; !ok {
		return fmt.Errorf("unknown SQL dialect %q (want one of %s)", dialect, strings.Join(Dialects(), ", "))
	}
	return nil
}

// UnsupportedError says that a statement or expression has no form in the
// dialect, and what to use instead.
type UnsupportedError struct {
	Dialect string
	What    string
	Hint    string
}

func (e *UnsupportedError) Error() string {
	msg := fmt.Sprintf("%s: %s is not supported", e.Dialect, e.What)
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

func unsupported(dialect, what, hint string) error {
	return &UnsupportedError{Dialect: dialect, What: what, Hint: hint}
}

// ---------------------------------------------------------------- types

// typeName is the column type in DDL (cast=false) or in CAST (cast=true;
// only MySQL differs: its CAST takes CHAR, SIGNED, DATETIME).
//
// Text: unbounded text is VARCHAR (DuckDB, Snowflake), TEXT (PostgreSQL,
// MySQL), STRING (BigQuery, Databricks) or NVARCHAR(MAX) (SQL Server);
// bounded is VARCHAR(n) / STRING(n) / NVARCHAR(n) (n > 4000 → MAX).
// Databricks is always STRING (lengths are not enforced there).
// Timestamps are "without time zone" everywhere: TIMESTAMP (DuckDB,
// PostgreSQL), DATETIME(6) (MySQL: TIMESTAMP converts by session time
// zone and ends in 2038), DATETIME2 (SQL Server), TIMESTAMP_NTZ
// (Snowflake, Databricks) and DATETIME (BigQuery: its TIMESTAMP is an
// instant).
func typeName(d string, t Type, cast bool) (string, error) {
	switch t.Kind {
	case TText:
		if t.Length < 0 {
			return "", fmt.Errorf("text length %d is negative", t.Length)
		}
		return textType(d, t.Length, cast), nil
	case TInt:
		switch d {
		case MySQL:
			if cast {
				return "SIGNED", nil
			}
			return "INT", nil
		case SQLServer, Databricks:
			return "INT", nil
		case BigQuery:
			return "INT64", nil
		}
		return "INTEGER", nil
	case TBigInt:
		switch d {
		case MySQL:
			if cast {
				return "SIGNED", nil
			}
		case BigQuery:
			return "INT64", nil
		}
		return "BIGINT", nil
	case TDecimal:
		p, s := t.Precision, t.Scale
		if p == 0 {
			p = 38
		}
		maxP := 38
		if d == MySQL {
			maxP = 65
		}
		if d == BigQuery {
			maxP = 76
		}
		if p < 1 || p > maxP || s < 0 || s > p {
			return "", fmt.Errorf("DECIMAL(%d, %d) is out of range on %s (precision 1..%d, scale 0..precision)", t.Precision, t.Scale, d, maxP)
		}
		switch d {
		case Postgres:
			return fmt.Sprintf("NUMERIC(%d, %d)", p, s), nil
		case Snowflake:
			return fmt.Sprintf("NUMBER(%d, %d)", p, s), nil
		case BigQuery:
			// NUMERIC holds 29 integer and 9 fractional digits.
			if s > 9 || p-s > 29 {
				return fmt.Sprintf("BIGNUMERIC(%d, %d)", p, s), nil
			}
			return fmt.Sprintf("NUMERIC(%d, %d)", p, s), nil
		}
		return fmt.Sprintf("DECIMAL(%d, %d)", p, s), nil
	case TDouble:
		switch d {
		case Postgres:
			return "DOUBLE PRECISION", nil
		case SQLServer, Snowflake:
			return "FLOAT", nil
		case BigQuery:
			return "FLOAT64", nil
		}
		return "DOUBLE", nil
	case TBool:
		switch d {
		case SQLServer:
			return "BIT", nil
		case BigQuery:
			return "BOOL", nil
		case MySQL:
			if cast {
				// MySQL has no CAST(... AS BOOLEAN); BOOLEAN is TINYINT(1).
				return "SIGNED", nil
			}
		}
		return "BOOLEAN", nil
	case TDate:
		return "DATE", nil
	case TBits:
		if d != Postgres || t.Length < 1 {
			return "", unsupported(d, "bit strings", "")
		}
		return fmt.Sprintf("BIT(%d)", t.Length), nil
	case TTimestamp:
		switch d {
		case MySQL:
			return "DATETIME(6)", nil
		case SQLServer:
			return "DATETIME2", nil
		case Snowflake, Databricks:
			return "TIMESTAMP_NTZ", nil
		case BigQuery:
			return "DATETIME", nil
		}
		return "TIMESTAMP", nil
	}
	return "", fmt.Errorf("unknown type kind %d", t.Kind)
}

func textType(d string, n int, cast bool) string {
	switch d {
	case Postgres:
		if n == 0 {
			return "TEXT"
		}
	case MySQL:
		if cast {
			if n == 0 {
				return "CHAR"
			}
			return fmt.Sprintf("CHAR(%d)", n)
		}
		if n == 0 {
			return "TEXT"
		}
	case SQLServer:
		if n == 0 || n > 4000 {
			return "NVARCHAR(MAX)"
		}
		return fmt.Sprintf("NVARCHAR(%d)", n)
	case BigQuery:
		if n == 0 {
			return "STRING"
		}
		return fmt.Sprintf("STRING(%d)", n)
	case Databricks:
		return "STRING"
	}
	if n == 0 {
		return "VARCHAR"
	}
	return fmt.Sprintf("VARCHAR(%d)", n)
}

// ---------------------------------------------------------------- strings

// quoteString writes s as a string literal of the dialect. A quote is
// escaped by doubling it, or with a backslash where the engine reads
// backslash escapes:
//
//	DuckDB, PostgreSQL  'it''s'     backslash is ordinary (PostgreSQL:
//	                                standard_conforming_strings, on since 9.1)
//	MySQL, MariaDB      'it''s'     backslash doubled: the default sql_mode
//	                                reads escapes (NO_BACKSLASH_ESCAPES is
//	                                not supported)
//	Snowflake           'it''s'     backslash doubled: Snowflake reads
//	                                escapes in single-quoted strings
//	BigQuery            'it\'s'     backslash escapes only ('' is two
//	                                literals), also \n and \r: raw newlines
//	                                are not allowed in '...'
//	Databricks          'it\'s'     backslash escapes only: Spark reads
//	                                'a''b' as 'a' 'b' concatenated
//	SQL Server          N'it''s'    Unicode literal, quote doubled
//
// NUL cannot be written in a literal on every engine and is refused.
func quoteString(d, s string) (string, error) {
	if strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("string literal %q contains a NUL character", s)
	}
	switch d {
	case MySQL, Snowflake:
		return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'", nil
	case BigQuery:
		return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`).Replace(s) + "'", nil
	case Databricks:
		return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'", nil
	case SQLServer:
		return "N'" + strings.ReplaceAll(s, "'", "''") + "'", nil
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}
