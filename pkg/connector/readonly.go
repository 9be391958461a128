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
}

func (e *ErrWriteRefused) Error() string {
	return fmt.Sprintf("statement refused: %s may modify data and this query is read-only (use --write to allow it)", e.Keyword)
}

var readLeading = map[string]bool{
	"SELECT": true, "WITH": true, "SHOW": true, "DESCRIBE": true, "DESC": true,
	"EXPLAIN": true, "VALUES": true, "TABLE": true, "SUMMARIZE": true, "FROM": true,
}

// Words that make a statement a write wherever they appear outside string
// literals, quoted identifiers and comments (a data-modifying CTE, SELECT
// INTO, ...), unless used as a function call (followed by "(") — e.g.
// REPLACE(col, 'a', 'b') is a read. Statement-only verbs (SET, PRAGMA,
// VACUUM, ...) are caught by the leading-keyword rule.
var writeWords = map[string]bool{
	"INSERT": true, "UPDATE": true, "DELETE": true, "MERGE": true, "UPSERT": true,
	"CREATE": true, "DROP": true, "ALTER": true, "TRUNCATE": true,
	"GRANT": true, "REVOKE": true, "COPY": true, "ATTACH": true, "DETACH": true,
	"CALL": true, "EXEC": true, "EXECUTE": true, "INTO": true, "REPLACE": true,
}

// CheckReadOnly returns an *ErrWriteRefused when sql may write: it must be a
// single statement that starts with a reading keyword and contains no
// writing keyword. The check is lexical and errs on the side of refusing;
// connectors add engine-level read-only transactions where the engine has
// them.
func CheckReadOnly(sql string) error {
	toks, err := Tokenize(sql)
	if err != nil {
		return err
	}
	stmts := 0
	first := ""
	for i, t := range toks {
		if t.Kind == TokSemicolon {
			// Trailing semicolons are fine; a second statement is not.
			if i+1 < len(toks) {
				return &ErrWriteRefused{Keyword: "a second statement"}
			}
			continue
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
			if i+1 < len(toks) && toks[i+1].Text == "(" && w != "INTO" {
				continue // a function call such as REPLACE(...)
			}
			return &ErrWriteRefused{Keyword: w}
		}
	}
	if first == "" {
		return fmt.Errorf("empty statement")
	}
	if !readLeading[first] {
		return &ErrWriteRefused{Keyword: first}
	}
	return nil
}

// Token kinds for Tokenize.
const (
	TokWord = iota
	TokString
	TokQuotedIdent
	TokNumber
	TokSymbol
	TokSemicolon
)

// Token is one lexical token of SQL.
type Token struct {
	Kind int
	Text string
}

// Tokenize splits SQL into words, literals, quoted identifiers and symbols,
// dropping comments. It understands '...' (with ” escapes), "...", `...`,
// [...], $tag$...$tag$, -- and /* */ comments.
func Tokenize(sql string) ([]Token, error) {
	var out []Token
	r := []rune(sql)
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '-' && i+1 < len(r) && r[i+1] == '-':
			for i < len(r) && r[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(r) && r[i+1] == '*':
			end := strings.Index(string(r[i+2:]), "*/")
			if end < 0 {
				return nil, fmt.Errorf("unterminated /* comment")
			}
			i += 2 + len([]rune(string(r[i+2:])[:end])) + 2
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for ; j < len(r); j++ {
				if r[j] == c {
					if j+1 < len(r) && r[j+1] == c {
						j++
						continue
					}
					break
				}
				if r[j] == '\\' && c == '\'' && j+1 < len(r) {
					j++
				}
			}
			if j >= len(r) {
				return nil, fmt.Errorf("unterminated quoted text starting %q", string(r[i:min(i+20, len(r))]))
			}
			kind := TokString
			if c != '\'' {
				kind = TokQuotedIdent
			}
			out = append(out, Token{Kind: kind, Text: string(r[i : j+1])})
			i = j + 1
		case c == '[':
			j := i + 1
			for j < len(r) && r[j] != ']' {
				j++
			}
			out = append(out, Token{Kind: TokQuotedIdent, Text: string(r[i:min(j+1, len(r))])})
			i = j + 1
		case c == '$' && i+1 < len(r) && (r[i+1] == '$' || unicode.IsLetter(r[i+1])):
			j := i + 1
			for j < len(r) && (unicode.IsLetter(r[j]) || unicode.IsDigit(r[j]) || r[j] == '_') {
				j++
			}
			if j < len(r) && r[j] == '$' {
				tag := string(r[i : j+1])
				rest := string(r[j+1:])
				end := strings.Index(rest, tag)
				if end < 0 {
					return nil, fmt.Errorf("unterminated dollar-quoted text %s", tag)
				}
				body := rest[:end]
				out = append(out, Token{Kind: TokString, Text: tag + body + tag})
				i = j + 1 + len([]rune(body)) + len([]rune(tag))
				continue
			}
			out = append(out, Token{Kind: TokSymbol, Text: "$"})
			i++
		case unicode.IsLetter(c) || c == '_':
			j := i
			for j < len(r) && (unicode.IsLetter(r[j]) || unicode.IsDigit(r[j]) || r[j] == '_' || r[j] == '$') {
				j++
			}
			out = append(out, Token{Kind: TokWord, Text: string(r[i:j])})
			i = j
		case unicode.IsDigit(c):
			j := i
			for j < len(r) && (unicode.IsDigit(r[j]) || r[j] == '.' || r[j] == 'e' || r[j] == 'E') {
				j++
			}
			out = append(out, Token{Kind: TokNumber, Text: string(r[i:j])})
			i = j
		case c == ';':
			out = append(out, Token{Kind: TokSemicolon, Text: ";"})
			i++
		default:
			out = append(out, Token{Kind: TokSymbol, Text: string(c)})
			i++
		}
	}
	// Collapse trailing semicolons into one.
	for len(out) >= 2 && out[len(out)-1].Kind == TokSemicolon && out[len(out)-2].Kind == TokSemicolon {
		out = out[:len(out)-1]
	}
	return out, nil
}
