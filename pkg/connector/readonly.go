package connector

import (
	"fmt"
	"strings"
	"unicode"
)

// ErrWriteRefused is returned when a statement that may write is run in
// read-only mode.
type ErrWriteRefused struct {
	Keyword string
	// Reason replaces the default explanation when set.
	Reason string
}

func (e *ErrWriteRefused) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("statement refused: %s %s", e.Keyword, e.Reason)
	}
	return fmt.Sprintf("statement refused: %s may modify data and this query is read-only (use --write to allow it)", e.Keyword)
}

const (
	reasonSecond   = "is not allowed: a read-only query is exactly one statement; send statements one at a time"
	reasonFunction = "reaches outside the query's data (server files, sessions, settings or other SQL) and is not allowed in a read-only query"
)

// The read-only guard is the first line of defence only: every engine adds
// its own (read-only database files, file-access sandboxes, READ ONLY
// transactions, one statement per request; see each engine package and
// docs/connectors.md). The guard lexes the statement the way the engine
// will — string literals, escapes, quoted identifiers and comments differ
// per dialect, and a guard that lexes a literal differently from its engine
// can be walked around — and then refuses anything that is not a single
// reading statement.

var readLeading = map[string]bool{
	"SELECT": true, "WITH": true, "SHOW": true, "DESCRIBE": true, "DESC": true,
	"EXPLAIN": true, "VALUES": true, "TABLE": true, "SUMMARIZE": true, "FROM": true,
	"(": true,
}

// Words that make a statement a write wherever they appear outside string
// literals, quoted identifiers and comments (a data-modifying CTE, SELECT
// INTO, EXPLAIN ANALYZE of a write, ...). Statement-only verbs (SET,
// PRAGMA, VACUUM, ...) are caught by the leading-keyword rule.
var writeWords = map[string]bool{
	"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true, "UPSERT": true,
	"CREATE": true, "DROP": true, "ALTER": true, "TRUNCATE": true, "RENAME": true,
	"GRANT": true, "REVOKE": true, "COPY": true, "ATTACH": true, "DETACH": true,
	"CALL": true, "EXEC": true, "EXECUTE": true, "INTO": true, "REPLACE": true,
	"LOAD": true, "INSTALL": true, "EXPORT": true, "IMPORT": true, "VACUUM": true,
	"CHECKPOINT": true, "PRAGMA": true, "OPTIMIZE": true, "UNLOAD": true,
	"PUT": true, "REMOVE": true, "UNDROP": true, "HANDLER": true, "LOCK": true,
	"UNLOCK": true, "KILL": true, "SHUTDOWN": true, "REFRESH": true, "MSCK": true,
	"RESTORE": true, "CLONE": true, "DBCC": true, "BULK": true,
}

// Write words that are also the names of reading functions: followed by
// "(" they are a call (REPLACE(s, 'a', 'b'); MySQL's INSERT(str, pos, len,
// new) and TRUNCATE(x, d)). Any other write word followed by "(" is still a
// write: COPY (SELECT ...) TO 'file', EXEC('DROP ...').
var writeWordFunctions = map[string]bool{"REPLACE": true, "INSERT": true, "TRUNCATE": true, "LOCK": true}

// Functions a read-only query may not call, per dialect: they read or write
// the server's files, run other SQL the guard cannot see, change session
// settings or stop other sessions. The engines' own read-only modes stop
// most of them too; the list keeps the refusal early and clear.
var deniedFunctions = map[string]map[string]bool{
	"": {},
	"duckdb": {
		"QUERY": true, "READ_TEXT": true, "READ_BLOB": true, "GLOB": true,
		"SET_CONFIG": true,
	},
	"postgres": {
		"PG_READ_FILE": true, "PG_READ_BINARY_FILE": true, "PG_LS_DIR": true,
		"PG_STAT_FILE": true, "PG_LS_LOGDIR": true, "PG_LS_WALDIR": true, "PG_LS_TMPDIR": true,
		"PG_LS_ARCHIVE_STATUSDIR": true, "LO_IMPORT": true, "LO_EXPORT": true,
		"LO_UNLINK": true, "LO_CREATE": true, "LO_PUT": true, "LO_FROM_BYTEA": true,
		"DBLINK": true, "DBLINK_EXEC": true, "DBLINK_CONNECT": true, "DBLINK_SEND_QUERY": true,
		"PG_TERMINATE_BACKEND": true, "PG_CANCEL_BACKEND": true, "PG_RELOAD_CONF": true,
		"PG_ROTATE_LOGFILE": true, "SET_CONFIG": true, "SETVAL": true, "NEXTVAL": true,
		"PG_FILE_WRITE": true, "PG_FILE_UNLINK": true, "PG_FILE_RENAME": true,
		"PG_PROMOTE": true, "PG_SWITCH_WAL": true, "QUERY_TO_XML": true,
		"CURSOR_TO_XML": true, "TABLE_TO_XML": true,
	},
	"mysql": {
		"LOAD_FILE": true, "SYS_EXEC": true, "SYS_EVAL": true, "GET_LOCK": true,
		"RELEASE_LOCK": true, "RELEASE_ALL_LOCKS": true, "NEXTVAL": true, "SETVAL": true,
		"LASTVAL": true,
	},
	"sqlserver": {
		"OPENROWSET": true, "OPENDATASOURCE": true, "OPENQUERY": true, "OPENXML": true,
		"XP_CMDSHELL": true, "XP_DIRTREE": true, "XP_FILEEXIST": true,
	},
	"snowflake": {
		"SYSTEM$ABORT_SESSION": true, "SYSTEM$ABORT_TRANSACTION": true,
		"SYSTEM$CANCEL_ALL_QUERIES": true, "SYSTEM$CANCEL_QUERY": true,
		"SYSTEM$SET_RETURN_VALUE": true, "SYSTEM$WAIT": true,
	},
	"databricks": {
		"REFLECT": true, "JAVA_METHOD": true, "TRY_REFLECT": true,
	},
	"bigquery": {},
}

// Dialects the guard knows; "" is the strict union of all of them.
var guardDialects = []string{"duckdb", "postgres", "mysql", "sqlserver", "snowflake", "databricks", "bigquery"}

// CheckReadOnly checks sql under every known dialect's lexical rules and
// refuses it if any reading of it may write. Use CheckReadOnlyDialect when
// the engine is known.
func CheckReadOnly(sql string) error {
	var firstErr error
	lexed := 0
	for _, d := range guardDialects {
		err := CheckReadOnlyDialect(sql, d)
		if err == nil {
			lexed++
			continue
		}
		if _, ok := err.(*ErrWriteRefused); ok {
			return err
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if lexed == 0 {
		return firstErr
	}
	return nil
}

// CheckReadOnlyDialect returns an *ErrWriteRefused when sql may write on an
// engine of the given dialect: it must be a single statement that starts
// with a reading keyword and contains no writing keyword or denied function,
// as lexed by that engine. It also re-reads the statement with the
// dialect's server-side switches flipped (backslash escapes on/off — MySQL's
// NO_BACKSLASH_ESCAPES, PostgreSQL's standard_conforming_strings — and
// nested comments on/off) and refuses if any reading that lexes finds a
// write, so a server setting the guard cannot see does not open a gap.
func CheckReadOnlyDialect(sql, dialect string) error {
	rules := LexRulesFor(dialect)
	if err := checkRead(sql, rules, dialect); err != nil {
		return err
	}
	for _, alt := range []LexRules{rules.with(func(r *LexRules) { r.BackslashEscapes = !r.BackslashEscapes }),
		rules.with(func(r *LexRules) { r.NestedComments = !r.NestedComments })} {
		if err := checkRead(sql, alt, dialect); err != nil {
			if _, ok := err.(*ErrWriteRefused); ok {
				return err
			}
		}
	}
	return nil
}

func checkRead(sql string, rules LexRules, dialect string) error {
	toks, err := tokenize(sql, rules)
	if err != nil {
		return fmt.Errorf("statement refused: it cannot be read safely: %w", err)
	}
	denied := deniedFunctions[dialect]
	stmts := 0
	first := ""
	for i, t := range toks {
		if t.Kind == TokSemicolon {
			// Trailing semicolons are fine; a second statement is not.
			if i+1 < len(toks) {
				return &ErrWriteRefused{Keyword: "a second statement", Reason: reasonSecond}
			}
			continue
		}
		if t.Kind == TokExecComment {
			return &ErrWriteRefused{Keyword: "an executable comment (/*! ... */)", Reason: "is run by MySQL as code and is not allowed in a read-only query"}
		}
		call := i+1 < len(toks) && toks[i+1].Text == "("
		if t.Kind == TokQuotedIdent && call && len(t.Text) > 2 && denied[strings.ToUpper(t.Text[1:len(t.Text)-1])] {
			return &ErrWriteRefused{Keyword: "function " + t.Text, Reason: reasonFunction}
		}
		if t.Kind != TokWord {
			if stmts == 0 && t.Text == "(" {
				continue
			}
			stmts++
			continue
		}
		w := strings.ToUpper(t.Text)
		if stmts == 0 {
			first = w
		}
		stmts++
		if writeWords[w] {
			if call && writeWordFunctions[w] {
				continue // a function call such as REPLACE(...)
			}
			return &ErrWriteRefused{Keyword: w}
		}
		if call && denied[w] {
			return &ErrWriteRefused{Keyword: "function " + w, Reason: reasonFunction}
		}
	}
	if first == "" {
		return fmt.Errorf("empty statement")
	}
	if !readLeading[first] {
		return &ErrWriteRefused{Keyword: first}
	}
	if first == "EXPLAIN" {
		if w := explained(toks); w != "" && !readLeading[w] {
			return &ErrWriteRefused{Keyword: "EXPLAIN " + w}
		}
	}
	return nil
}

// explained returns the first keyword of the statement an EXPLAIN explains,
// past ANALYZE, VERBOSE and a parenthesised option list.
func explained(toks []Token) string {
	depth := 0
	for i, t := range toks {
		if i == 0 {
			continue
		}
		switch {
		case t.Text == "(" && depth == 0 && i+1 < len(toks) && toks[i+1].Kind == TokWord && !readLeading[strings.ToUpper(toks[i+1].Text)]:
			depth++ // EXPLAIN (ANALYZE, FORMAT JSON) ...
		case t.Text == "(" && depth > 0:
			depth++
		case t.Text == ")" && depth > 0:
			depth--
		case depth > 0:
		case t.Text == "(":
			return "("
		case t.Kind == TokWord:
			w := strings.ToUpper(t.Text)
			switch w {
			case "ANALYZE", "ANALYSE", "VERBOSE", "QUERY", "PLAN", "EXTENDED", "FORMATTED", "CODEGEN", "COST", "LOGICAL", "USING", "TEXT", "JSON", "TABULAR":
				continue
			}
			return w
		}
	}
	return ""
}

// LexRules are the lexical conventions of one dialect that matter to the
// guard: how string literals end, which quotes are strings and which are
// identifiers, and which comments exist.
type LexRules struct {
	// BackslashEscapes: \' does not end a '...' (or "...") string (MySQL,
	// BigQuery, Snowflake, Databricks).
	BackslashEscapes bool
	// DoubleQuotedStrings: "..." is a string literal, with the same
	// escapes as '...' (MySQL, BigQuery, Databricks); otherwise it is an
	// identifier with "" as the only escape.
	DoubleQuotedStrings bool
	// EStrings: E'...' takes backslash escapes (PostgreSQL, DuckDB).
	EStrings bool
	// DollarQuotes: $$...$$; DollarTags: $tag$...$tag$ as well.
	DollarQuotes, DollarTags bool
	// NestedComments: /* /* */ */ nests (PostgreSQL, DuckDB, SQL Server,
	// Databricks).
	NestedComments bool
	// HashComments: # to the end of the line (MySQL, BigQuery).
	HashComments bool
	// SlashComments: // to the end of the line (Snowflake).
	SlashComments bool
	// DashNeedsSpace: -- starts a comment only when followed by white
	// space or the end (MySQL).
	DashNeedsSpace bool
	// ExecComments: /*! ... */ and /*M! ... */ are code (MySQL, MariaDB).
	ExecComments bool
	// Brackets: [ident] with ]] (SQL Server); elsewhere [ is a symbol
	// (DuckDB list literals, array subscripts).
	Brackets bool
	// Backticks: `ident` with `` (MySQL, BigQuery, Databricks).
	Backticks bool
	// TripleQuotes: '''...''' and """...""" (BigQuery).
	TripleQuotes bool
	// RawStrings: r'...' / R"..." take no escapes (BigQuery, Databricks).
	RawStrings bool
}

func (r LexRules) with(f func(*LexRules)) LexRules { f(&r); return r }

// LexRulesFor returns the lexical rules of a dialect (duckdb, postgres,
// mysql, sqlserver, snowflake, databricks, bigquery); an unknown dialect
// gets DuckDB's, which are standard SQL's.
func LexRulesFor(dialect string) LexRules {
	switch dialect {
	case "postgres":
		return LexRules{EStrings: true, DollarQuotes: true, DollarTags: true, NestedComments: true}
	case "mysql":
		return LexRules{BackslashEscapes: true, DoubleQuotedStrings: true, HashComments: true, DashNeedsSpace: true, ExecComments: true, Backticks: true}
	case "sqlserver":
		return LexRules{NestedComments: true, Brackets: true}
	case "snowflake":
		return LexRules{BackslashEscapes: true, DollarQuotes: true, SlashComments: true}
	case "databricks":
		return LexRules{BackslashEscapes: true, DoubleQuotedStrings: true, NestedComments: true, Backticks: true, RawStrings: true}
	case "bigquery":
		return LexRules{BackslashEscapes: true, DoubleQuotedStrings: true, HashComments: true, Backticks: true, TripleQuotes: true, RawStrings: true}
	default: // duckdb and standard SQL
		return LexRules{EStrings: true, DollarQuotes: true, DollarTags: true, NestedComments: true}
	}
}

// Token kinds for Tokenize.
const (
	TokWord = iota
	TokString
	TokQuotedIdent
	TokNumber
	TokSymbol
	TokSemicolon
	// TokExecComment is a MySQL /*! ... */ comment, which MySQL runs.
	TokExecComment
)

// Token is one lexical token of SQL; Start and End are its rune offsets in
// the text.
type Token struct {
	Kind       int
	Text       string
	Start, End int
}

// Tokenize splits SQL into words, literals, quoted identifiers and symbols,
// dropping comments, with standard SQL's (and DuckDB's) rules: '...' with
// ” escapes, E'...' with backslash escapes, "..." identifiers, $$ and
// $tag$ quoting, -- and nested /* */ comments.
func Tokenize(sql string) ([]Token, error) { return tokenize(sql, LexRulesFor("duckdb")) }

// TokenizeDialect is Tokenize with a dialect's lexical rules.
func TokenizeDialect(sql, dialect string) ([]Token, error) {
	return tokenize(sql, LexRulesFor(dialect))
}

func isWordStart(c rune) bool { return unicode.IsLetter(c) || c == '_' }
func isWordPart(c rune) bool {
	return unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_' || c == '$'
}

func tokenize(sql string, rules LexRules) ([]Token, error) {
	var out []Token
	r := []rune(sql)
	n := len(r)
	at := func(i int) rune {
		if i < n {
			return r[i]
		}
		return 0
	}
	// quoted scans a literal opened at r[i] (after any prefix) with quote
	// q; backslash says whether \ escapes the next character. It returns
	// the index just past the closing quote.
	quoted := func(i int, q rune, backslash bool) (int, error) {
		j := i + 1
		for ; j < n; j++ {
			if backslash && r[j] == '\\' {
				j++
				continue
			}
			if r[j] == q {
				if at(j+1) == q {
					j++
					continue
				}
				return j + 1, nil
			}
		}
		return 0, fmt.Errorf("unterminated quoted text starting %q", string(r[i:min(i+20, n)]))
	}
	emit := func(kind int, from, to int) {
		out = append(out, Token{Kind: kind, Text: string(r[from:to]), Start: from, End: to})
	}
	for i := 0; i < n; {
		c := r[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '-' && at(i+1) == '-' && (!rules.DashNeedsSpace || i+2 >= n || unicode.IsSpace(at(i+2)) || unicode.IsControl(at(i+2))):
			for i < n && r[i] != '\n' {
				i++
			}
		case (c == '#' && rules.HashComments) || (c == '/' && at(i+1) == '/' && rules.SlashComments):
			for i < n && r[i] != '\n' {
				i++
			}
		case c == '/' && at(i+1) == '*':
			if rules.ExecComments && (at(i+2) == '!' || (at(i+2) == 'M' && at(i+3) == '!')) {
				out = append(out, Token{Kind: TokExecComment, Text: "/*!", Start: i, End: i + 3})
			}
			depth, j := 1, i+2
			for j < n && depth > 0 {
				switch {
				case r[j] == '*' && at(j+1) == '/':
					depth--
					j += 2
				case rules.NestedComments && r[j] == '/' && at(j+1) == '*':
					depth++
					j += 2
				default:
					j++
				}
			}
			if depth > 0 {
				return nil, fmt.Errorf("unterminated /* comment")
			}
			i = j
		case rules.TripleQuotes && (c == '\'' || c == '"') && at(i+1) == c && at(i+2) == c:
			end := -1
			for j := i + 3; j+2 < n; j++ {
				if r[j] == '\\' {
					j++
					continue
				}
				if r[j] == c && r[j+1] == c && r[j+2] == c {
					end = j + 3
					break
				}
			}
			if end < 0 {
				return nil, fmt.Errorf("unterminated triple-quoted text starting %q", string(r[i:min(i+20, n)]))
			}
			emit(TokString, i, end)
			i = end
		case c == '\'' || (c == '"' && rules.DoubleQuotedStrings):
			j, err := quoted(i, c, rules.BackslashEscapes)
			if err != nil {
				return nil, err
			}
			emit(TokString, i, j)
			i = j
		case c == '"' || (c == '`' && rules.Backticks):
			j, err := quoted(i, c, false)
			if err != nil {
				return nil, err
			}
			emit(TokQuotedIdent, i, j)
			i = j
		case c == '[' && rules.Brackets:
			j := i + 1
			for ; j < n; j++ {
				if r[j] == ']' {
					if at(j+1) == ']' {
						j++
						continue
					}
					break
				}
			}
			if j >= n {
				return nil, fmt.Errorf("unterminated [identifier] starting %q", string(r[i:min(i+20, n)]))
			}
			emit(TokQuotedIdent, i, j+1)
			i = j + 1
		case c == '$' && rules.DollarQuotes && (at(i+1) == '$' || (rules.DollarTags && isWordStart(at(i+1)))):
			j := i + 1
			for j < n && r[j] != '$' && (unicode.IsLetter(r[j]) || unicode.IsDigit(r[j]) || r[j] == '_') {
				j++
			}
			if at(j) != '$' {
				emit(TokSymbol, i, i+1)
				i++
				continue
			}
			tag := string(r[i : j+1])
			rest := string(r[j+1:])
			end := strings.Index(rest, tag)
			if end < 0 {
				return nil, fmt.Errorf("unterminated dollar-quoted text %s", tag)
			}
			stop := j + 1 + len([]rune(rest[:end])) + len([]rune(tag))
			emit(TokString, i, stop)
			i = stop
		case isWordStart(c):
			j := i
			for j < n && isWordPart(r[j]) {
				j++
			}
			word := string(r[i:j])
			up := strings.ToUpper(word)
			// String prefixes: E'..' (escapes), N'..', U&'..', B'..', X'..',
			// r'..' (raw), b'..' / rb'..' (BigQuery bytes).
			if q := at(j); q == '\'' || (q == '"' && rules.DoubleQuotedStrings) {
				backslash, prefix := rules.BackslashEscapes, false
				switch {
				case up == "E" && rules.EStrings:
					backslash, prefix = true, true
				case (up == "R" || up == "RB" || up == "BR") && rules.RawStrings:
					backslash, prefix = false, true
				case up == "N" || up == "B" || up == "X":
					prefix = true
				}
				if prefix {
					if rules.TripleQuotes && at(j+1) == q && at(j+2) == q {
						// Let the triple-quote case take it from the quote.
						emit(TokWord, i, j)
						i = j
						continue
					}
					k, err := quoted(j, q, backslash)
					if err != nil {
						return nil, err
					}
					emit(TokString, i, k)
					i = k
					continue
				}
			}
			if up == "U" && at(j) == '&' && at(j+1) == '\'' {
				k, err := quoted(j+1, '\'', false)
				if err != nil {
					return nil, err
				}
				emit(TokString, i, k)
				i = k
				continue
			}
			emit(TokWord, i, j)
			i = j
		case unicode.IsDigit(c):
			j := i
			for j < n && (unicode.IsDigit(r[j]) || r[j] == '.' || ((r[j] == 'e' || r[j] == 'E') && j+1 < n && (unicode.IsDigit(r[j+1]) || r[j+1] == '-' || r[j+1] == '+'))) {
				if (r[j] == 'e' || r[j] == 'E') && (r[j+1] == '-' || r[j+1] == '+') {
					j++
				}
				j++
			}
			emit(TokNumber, i, j)
			i = j
		case c == ';':
			out = append(out, Token{Kind: TokSemicolon, Text: ";", Start: i, End: i + 1})
			i++
		default:
			emit(TokSymbol, i, i+1)
			i++
		}
	}
	// Collapse trailing semicolons into one.
	for len(out) >= 2 && out[len(out)-1].Kind == TokSemicolon && out[len(out)-2].Kind == TokSemicolon {
		out = out[:len(out)-1]
	}
	return out, nil
}

// SplitStatements splits a script into its statements at the semicolons
// the dialect's lexer sees (outside literals, quoted identifiers and
// comments, with the engine's escapes and quoting), so a driver that runs
// one statement per call gets one at a time. Statements that hold only
// space and comments are dropped; the rest are trimmed and keep their
// comments.
func SplitStatements(script, dialect string) ([]string, error) {
	toks, err := tokenize(script, LexRulesFor(dialect))
	if err != nil {
		return nil, err
	}
	r := []rune(script)
	var out []string
	start, meaningful := 0, false
	for _, t := range toks {
		if t.Kind == TokSemicolon {
			if meaningful {
				out = append(out, strings.TrimSpace(string(r[start:t.Start])))
			}
			start, meaningful = t.End, false
			continue
		}
		meaningful = true
	}
	if meaningful {
		out = append(out, strings.TrimSpace(string(r[start:])))
	}
	return out, nil
}
