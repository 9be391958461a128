package hierarchy

import (
	"fmt"
	"strings"

	d "github.com/databridge/databridge/pkg/dialect"
)

// This file is the one SQL form of the mapping rules: the rollup
// (rollup.go), the warehouse pipeline's DT_2 (and through it the dbt
// project's tests) build their matching from CodeKey, MatchCondition and
// LikePattern, so a rule means the same on every engine and in every
// statement. The Go Resolver (resolve.go) implements the same semantics.
//
// Semantics: by default a source code matches a rule exactly as
// written, compared by code point: case- and trailing-space-sensitive
// ('abc' does not match 'ABC' or 'abc '), leading zeros significant,
// whatever the engine's default collation (MySQL's and SQL Server's
// ignore case and trailing spaces; ExactText overrides them). The
// hierarchy's Matching option changes that in one place: both the code
// and every rule operand are first trimmed of leading and trailing
// spaces (Trim) and upper-cased (Case insensitive), then compared
// exactly.

// CaseMatching says whether rules compare codes case-sensitively.
type CaseMatching string

// Case matching modes.
const (
	CaseSensitive   CaseMatching = "sensitive"
	CaseInsensitive CaseMatching = "insensitive"
)

// Matching is a hierarchy's option for how its rules compare source
// codes (YAML: `matching: {case: insensitive, trim: true}`). The zero
// value is exact matching.
type Matching struct {
	// Case: sensitive (the default) or insensitive (codes and rule values
	// are upper-cased before they are compared).
	Case CaseMatching `json:"case,omitempty" yaml:"case,omitempty" jsonschema:"sensitive (default: 'abc' does not match 'ABC') or insensitive (codes and rule values are compared upper-cased)."`
	// Trim removes leading and trailing spaces from codes and rule values
	// before they are compared.
	Trim bool `json:"trim,omitempty" yaml:"trim,omitempty" jsonschema:"true: leading and trailing spaces of codes and rule values are ignored ('abc ' matches 'abc'). Default false."`
}

// IsExact reports whether the option is the default, exact matching.
func (m Matching) IsExact() bool { return !m.Trim && !m.insensitive() }

func (m Matching) insensitive() bool { return m.Case == CaseInsensitive }

// Check says what is wrong with the option, if anything.
func (m Matching) Check() error {
	switch m.Case {
	case "", CaseSensitive, CaseInsensitive:
		return nil
	}
	return fmt.Errorf("unknown matching case %q (use sensitive or insensitive)", m.Case)
}

// String describes the option in words.
func (m Matching) String() string {
	if m.IsExact() {
		return "exact"
	}
	var parts []string
	if m.insensitive() {
		parts = append(parts, "case-insensitive")
	}
	if m.Trim {
		parts = append(parts, "trimmed")
	}
	return strings.Join(parts, ", ")
}

// Key is the Go form of the normalisation the SQL applies (Normalize):
// leading and trailing spaces removed (Trim), then upper-cased (Case
// insensitive). The Resolver compares keys of codes and of rule values.
func (m Matching) Key(s string) string {
	if m.Trim {
		s = strings.Trim(s, " ")
	}
	if m.insensitive() {
		s = strings.ToUpper(s)
	}
	return s
}

// Normalize is the SQL form of Key over a text expression: TRIM, then
// UPPER, through the dialect tree; e itself when the option is exact.
func (m Matching) Normalize(e d.Expr) d.Expr {
	if m.Trim {
		e = d.F("TRIM", e)
	}
	if m.insensitive() {
		e = d.F("UPPER", e)
	}
	return e
}

// CodeMatching is the hierarchy's matching option (exact when unset).
func (h *Hierarchy) CodeMatching() Matching {
	if h == nil || h.Matching == nil {
		return Matching{}
	}
	return *h.Matching
}

// CodeKey is the form of a source code (a text expression, e.g.
// CAST(s.account AS VARCHAR)) that rules are matched against and that
// codes are grouped, joined and partitioned by: dialect.ExactText of the
// code normalised by the hierarchy's matching option (Matching.Normalize).
// Select it once (a CTE column) and pass that column to MatchCondition
// with the same option.
func CodeKey(code d.Expr, opt Matching) d.Expr { return &d.ExactText{X: opt.Normalize(code)} }

// RuleOperands are the SQL expressions of one rule's operands: Value is
// the exact value, the prefix, or the LIKE pattern (LikePattern of the
// rule's pattern); From and To are a range's bounds.
type RuleOperands struct {
	Value, From, To d.Expr
}

// MatchCondition is the condition under which a source code matches a
// rule of kind m (exact and list values are both MatchExact), on the
// engine of dialect. key is a CodeKey column; the rule operands are text
// expressions (columns of a rules table or bound values).
//
//   - exact: key = value;
//   - range: LENGTH(key) = LENGTH(from) AND key BETWEEN from AND to, by
//     code point, so '41000' is not in '4000'..'4999';
//   - prefix: LEFT(key, LENGTH(prefix)) = prefix;
//   - pattern: key LIKE pattern, character by character and
//     case-sensitive, with the dialect's escape (LikeEscape).
//
// Every comparison is exact (ExactText on both sides), after the rule
// operands are normalised by opt (the key already is: CodeKey with the
// same opt). Anything else (an unknown kind) matches nothing.
func MatchCondition(dialect string, opt Matching, m MatchType, key d.Expr, r RuleOperands) d.Expr {
	x := func(e d.Expr) d.Expr { return &d.ExactText{X: opt.Normalize(e)} }
	switch m {
	case MatchExact, MatchList:
		return d.Eq(key, x(r.Value))
	case MatchRange:
		return d.And(d.Eq(d.F("LENGTH", key), d.F("LENGTH", x(r.From))),
			&d.Between{X: key, Lo: x(r.From), Hi: x(r.To)})
	case MatchPrefix:
		v := x(r.Value)
		return d.Eq(d.F("LEFT", key, d.F("LENGTH", v)), v)
	case MatchPattern:
		esc := ""
		if d.Capabilities(dialect).LikeEscape {
			esc = likeEscapeChar
		}
		return &d.Like{X: key, Pattern: opt.Normalize(r.Value), Escape: esc, Binary: true}
	}
	return d.Eq(d.I(1), d.I(0))
}

// likeEscapeChar escapes LIKE patterns where the engine has an ESCAPE
// clause: '!' needs no escaping inside string literals anywhere.
const likeEscapeChar = "!"

// LikeEscape is the character LikePattern escapes with on the dialect:
// '!' (given in an ESCAPE clause), or a backslash where the engine has
// no ESCAPE clause and always escapes with it (BigQuery).
func LikeEscape(dialect string) string {
	if d.Capabilities(dialect).LikeEscape {
		return likeEscapeChar
	}
	return `\`
}

// LikePattern translates a rule pattern (* any run, ? one character) into
// a LIKE pattern for MatchCondition: % and _ and the escape character
// itself are escaped with LikeEscape, and so is [ where LIKE treats
// brackets as a character class (SQL Server).
func LikePattern(dialect, p string) string {
	esc := LikeEscape(dialect)
	brackets := d.Capabilities(dialect).LikeBrackets
	var b strings.Builder
	for _, r := range p {
		switch {
		case r == '*':
			b.WriteByte('%')
		case r == '?':
			b.WriteByte('_')
		case r == '%', r == '_', string(r) == esc, r == '[' && brackets:
			b.WriteString(esc)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
