// Package filter reads the filter expressions users write after --where
// (and tools take as "where") into the dialect tree, so a filter is never
// user text pasted into SQL: columns (checked against the columns the
// caller allows), literals, comparisons, AND/OR/NOT, [NOT] IN (...),
// [NOT] BETWEEN ... AND ..., IS [NOT] NULL and [NOT] LIKE 'pattern'.
//
// Literals: numbers (exact: integers, or decimals kept as text), strings
// in single quotes (a quote inside doubled), DATE 'YYYY-MM-DD', TRUE, FALSE.
// Columns: a bare identifier (qualified names such as model.dimension
// too) or a "double-quoted" one. Keywords are
// case-insensitive. There are no functions, subqueries, casts,
// comments or statement separators: anything else is an error that says
// where.
package filter

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	d "github.com/databridge/databridge/pkg/dialect"
)

// Limits keep a hostile filter from costing much.
const (
	MaxLength = 4096 // characters of filter text
	MaxDepth  = 32   // nested parentheses and NOTs
	MaxList   = 1000 // values in one IN list
)

// Error is a filter that cannot be read: the reason and the 1-based
// character position where reading stopped.
type Error struct {
	Filter string
	Pos    int
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("filter %q: %s (at character %d)", clip(e.Filter), e.Reason, e.Pos)
}

func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:77]) + "..."
	}
	return s
}

// Parse reads a filter. columns are the names the filter may use
// (matched case-insensitively; the result uses them as given); nil
// allows any identifier (for callers that check the names themselves).
func Parse(src string, columns []string) (d.Expr, error) {
	if len([]rune(src)) > MaxLength {
		return nil, &Error{Filter: src, Pos: MaxLength, Reason: fmt.Sprintf("longer than %d characters", MaxLength)}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks, cols: map[string]string{}, any: columns == nil}
	for _, c := range columns {
		p.cols[strings.ToLower(c)] = c
		p.names = append(p.names, c)
	}
	if len(toks) == 1 { // only the end
		return nil, &Error{Filter: src, Pos: 1, Reason: "empty filter"}
	}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEnd {
		return nil, p.errAt(t, "unexpected %s", t.describe())
	}
	return e, nil
}

// ------------------------------------------------------------------ lexer

type tokKind int

const (
	tEnd tokKind = iota
	tIdent
	tQuotedIdent
	tString
	tNumber
	tOp    // = != <> < <= > >=
	tPunct // ( ) , -
)

type token struct {
	kind tokKind
	text string // identifiers as written; strings unquoted; operators
	pos  int    // 1-based character position
}

func (t token) describe() string {
	switch t.kind {
	case tEnd:
		return "end of filter"
	case tString:
		return "string '" + t.text + "'"
	case tQuotedIdent:
		return `"` + t.text + `"`
	}
	return "'" + t.text + "'"
}

func (t token) is(word string) bool { return t.kind == tIdent && strings.EqualFold(t.text, word) }

func lex(src string) ([]token, error) {
	rs := []rune(src)
	var out []token
	fail := func(pos int, format string, a ...any) error {
		return &Error{Filter: src, Pos: pos + 1, Reason: fmt.Sprintf(format, a...)}
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(rs) {
					return nil, fail(i, "unterminated string")
				}
				if rs[j] == '\'' {
					if j+1 < len(rs) && rs[j+1] == '\'' {
						b.WriteRune('\'')
						j += 2
						continue
					}
					break
				}
				if rs[j] == 0 {
					return nil, fail(j, "a NUL character in a string")
				}
				b.WriteRune(rs[j])
				j++
			}
			out = append(out, token{tString, b.String(), i + 1})
			i = j + 1
		case r == '"':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(rs) {
					return nil, fail(i, "unterminated quoted column name")
				}
				if rs[j] == '"' {
					if j+1 < len(rs) && rs[j+1] == '"' {
						b.WriteRune('"')
						j += 2
						continue
					}
					break
				}
				if rs[j] == 0 {
					return nil, fail(j, "a NUL character in a column name")
				}
				b.WriteRune(rs[j])
				j++
			}
			if b.Len() == 0 {
				return nil, fail(i, "empty quoted column name")
			}
			out = append(out, token{tQuotedIdent, b.String(), i + 1})
			i = j + 1
		case r >= '0' && r <= '9' || r == '.' && i+1 < len(rs) && rs[i+1] >= '0' && rs[i+1] <= '9':
			j := i
			dot := false
			for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || rs[j] == '.' && !dot) {
				if rs[j] == '.' {
					dot = true
				}
				j++
			}
			if j < len(rs) && (unicode.IsLetter(rs[j]) || rs[j] == '_' || rs[j] == '.') {
				return nil, fail(j, "a number followed by %q", string(rs[j]))
			}
			out = append(out, token{tNumber, string(rs[i:j]), i + 1})
			i = j
		case unicode.IsLetter(r) || r == '_':
			// A name, or a qualified one (model.dimension): parts joined
			// by dots, each starting with a letter or '_'.
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' ||
				rs[j] == '.' && j+1 < len(rs) && (unicode.IsLetter(rs[j+1]) || rs[j+1] == '_')) {
				j++
			}
			out = append(out, token{tIdent, string(rs[i:j]), i + 1})
			i = j
		case r == '<' || r == '>' || r == '=' || r == '!':
			op := string(r)
			if i+1 < len(rs) && (rs[i+1] == '=' || r == '<' && rs[i+1] == '>') {
				op += string(rs[i+1])
			}
			if op == "!" {
				return nil, fail(i, "'!' alone is not an operator (use != or NOT)")
			}
			out = append(out, token{tOp, op, i + 1})
			i += len(op)
		case r == '(' || r == ')' || r == ',' || r == '-':
			if r == '-' && i+1 < len(rs) && rs[i+1] == '-' {
				return nil, fail(i, "comments are not part of a filter")
			}
			out = append(out, token{tPunct, string(r), i + 1})
			i++
		case r == '/' && i+1 < len(rs) && rs[i+1] == '*':
			return nil, fail(i, "comments are not part of a filter")
		case r == ';':
			return nil, fail(i, "';' ends a statement: a filter is one condition")
		default:
			return nil, fail(i, "unexpected character %q", string(r))
		}
	}
	return append(out, token{kind: tEnd, pos: len(rs) + 1}), nil
}

// ------------------------------------------------------------------ parser

type parser struct {
	src   string
	toks  []token
	i     int
	cols  map[string]string
	names []string
	any   bool
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEnd {
		p.i++
	}
	return t
}

func (p *parser) errAt(t token, format string, a ...any) error {
	return &Error{Filter: p.src, Pos: t.pos, Reason: fmt.Sprintf(format, a...)}
}

func (p *parser) expectWord(w string) error {
	if t := p.next(); !t.is(w) {
		return p.errAt(t, "expected %s, found %s", w, t.describe())
	}
	return nil
}

func (p *parser) expectPunct(s string) error {
	if t := p.next(); t.kind != tPunct || t.text != s {
		return p.errAt(t, "expected '%s', found %s", s, t.describe())
	}
	return nil
}

func (p *parser) or(depth int) (d.Expr, error) {
	l, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.peek().is("OR") {
		p.next()
		r, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		l = &d.Binary{Op: "OR", L: l, R: r}
	}
	return l, nil
}

func (p *parser) and(depth int) (d.Expr, error) {
	l, err := p.not(depth)
	if err != nil {
		return nil, err
	}
	for p.peek().is("AND") {
		p.next()
		r, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		l = &d.Binary{Op: "AND", L: l, R: r}
	}
	return l, nil
}

func (p *parser) not(depth int) (d.Expr, error) {
	if depth > MaxDepth {
		return nil, p.errAt(p.peek(), "nested deeper than %d", MaxDepth)
	}
	if p.peek().is("NOT") {
		p.next()
		x, err := p.not(depth + 1)
		if err != nil {
			return nil, err
		}
		return &d.Unary{Op: "NOT", X: x}, nil
	}
	return p.predicate(depth)
}

func (p *parser) predicate(depth int) (d.Expr, error) {
	if t := p.peek(); t.kind == tPunct && t.text == "(" {
		p.next()
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if err := p.expectPunct(")"); err != nil {
			return nil, err
		}
		return &d.Paren{X: e}, nil
	}
	x, err := p.operand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tOp {
		p.next()
		y, err := p.operand()
		if err != nil {
			return nil, err
		}
		op := t.text
		if op == "==" {
			op = "="
		}
		if op == "!=" {
			op = "<>"
		}
		return &d.Binary{Op: op, L: x, R: y}, nil
	}
	not := false
	if t.is("NOT") {
		p.next()
		not = true
		t = p.peek()
	}
	switch {
	case t.is("IN"):
		p.next()
		if err := p.expectPunct("("); err != nil {
			return nil, err
		}
		var list []d.Expr
		for {
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			if list = append(list, v); len(list) > MaxList {
				return nil, p.errAt(p.peek(), "more than %d values in IN", MaxList)
			}
			if n := p.next(); n.kind == tPunct && n.text == ")" {
				break
			} else if n.kind != tPunct || n.text != "," {
				return nil, p.errAt(n, "expected ',' or ')' in IN, found %s", n.describe())
			}
		}
		return &d.In{X: x, List: list, Not: not}, nil
	case t.is("BETWEEN"):
		p.next()
		lo, err := p.operand()
		if err != nil {
			return nil, err
		}
		if err := p.expectWord("AND"); err != nil {
			return nil, err
		}
		hi, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &d.Between{X: x, Lo: lo, Hi: hi, Not: not}, nil
	case t.is("LIKE"):
		p.next()
		pt := p.next()
		if pt.kind != tString {
			return nil, p.errAt(pt, "LIKE takes a 'pattern' in quotes, found %s", pt.describe())
		}
		var e d.Expr = &d.Like{X: x, Pattern: d.S(pt.text)}
		if not {
			e = &d.Unary{Op: "NOT", X: e}
		}
		return e, nil
	case t.is("IS") && !not:
		p.next()
		isNot := false
		if p.peek().is("NOT") {
			p.next()
			isNot = true
		}
		if err := p.expectWord("NULL"); err != nil {
			return nil, err
		}
		return &d.IsNull{X: x, Not: isNot}, nil
	}
	if not {
		return nil, p.errAt(t, "expected IN, BETWEEN or LIKE after NOT, found %s", t.describe())
	}
	return nil, p.errAt(t, "expected a comparison (=, <>, <, <=, >, >=, IN, BETWEEN, LIKE, IS NULL) after %s, found %s", p.toks[p.i-1].describe(), t.describe())
}

// operand is a column or a literal.
func (p *parser) operand() (d.Expr, error) {
	t := p.peek()
	if t.kind == tQuotedIdent || t.kind == tIdent && !isKeyword(t.text) {
		p.next()
		if nt := p.peek(); t.kind == tIdent && nt.kind == tPunct && nt.text == "(" {
			return nil, p.errAt(t, "functions are not part of a filter (%s(...))", t.text)
		}
		return p.column(t)
	}
	return p.literal()
}

func (p *parser) column(t token) (d.Expr, error) {
	if p.any {
		return d.C(t.text), nil
	}
	if c, ok := p.cols[strings.ToLower(t.text)]; ok {
		return d.C(c), nil
	}
	known := strings.Join(p.names, ", ")
	if known == "" {
		known = "none"
	}
	return nil, p.errAt(t, "unknown column %s (columns: %s)", t.text, known)
}

// literal is a number (optionally negative), a string, DATE 'x', TRUE or
// FALSE.
func (p *parser) literal() (d.Expr, error) {
	t := p.next()
	switch {
	case t.kind == tPunct && t.text == "-":
		n := p.next()
		if n.kind != tNumber {
			return nil, p.errAt(n, "expected a number after '-', found %s", n.describe())
		}
		return number("-" + n.text), nil
	case t.kind == tNumber:
		return number(t.text), nil
	case t.kind == tString:
		return d.S(t.text), nil
	case t.is("TRUE"), t.is("FALSE"):
		return d.Lit{Value: strings.EqualFold(t.text, "TRUE")}, nil
	case t.is("DATE"):
		s := p.next()
		if s.kind != tString {
			return nil, p.errAt(s, "DATE takes a 'YYYY-MM-DD' string, found %s", s.describe())
		}
		if _, err := time.Parse("2006-01-02", s.text); err != nil {
			return nil, p.errAt(s, "DATE '%s' is not a date (YYYY-MM-DD)", s.text)
		}
		return &d.Cast{X: d.S(s.text), Type: d.Date}, nil
	case t.is("NULL"):
		return nil, p.errAt(t, "compare with NULL using IS NULL or IS NOT NULL")
	case t.kind == tPunct && t.text == "(":
		return nil, p.errAt(t, "a subquery or list is not a value here")
	}
	return nil, p.errAt(t, "expected a column or a value, found %s", t.describe())
}

// number is an exact numeric literal: an integer when it fits, else the
// decimal text.
func number(s string) d.Expr {
	if !strings.Contains(s, ".") {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return d.I(n)
		}
	}
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	} else if strings.HasPrefix(s, "-.") {
		s = "-0" + s[1:]
	}
	s = strings.TrimSuffix(s, ".")
	return d.DecimalLit(s)
}

var keywords = map[string]bool{"and": true, "or": true, "not": true, "in": true, "between": true, "like": true, "is": true,
	"null": true, "true": true, "false": true, "date": true, "select": true, "from": true, "where": true, "union": true,
	"exists": true, "case": true, "when": true, "then": true, "else": true, "end": true, "cast": true}

// isKeyword: a bare word that is not a column (quote a column named like
// one: "date").
func isKeyword(w string) bool { return keywords[strings.ToLower(w)] }
