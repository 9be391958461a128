package hierarchy

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
)

// Expr is a parsed formula expression: a tree of numbers, node references,
// unary minus, binary + - * / and the functions ABS, ROUND, MIN and MAX.
//
// Syntax: a node code is written bare when it looks like an identifier
// (letters, digits, _ and ., starting with a letter or _: GROSS_PROFIT,
// opex.total) and in brackets otherwise ([4000], [COGS-FREIGHT]). Numbers
// are decimal constants (100, 0.5). Function names are case-insensitive;
// a node whose code is a function name is referenced in brackets.
type Expr struct {
	Op  ExprOp
	Num float64 // OpNum (for rendering; Eval uses Rat)
	// Rat is an OpNum's exact value, read from the literal's text (so 0.1
	// is one tenth). Nil in an Expr built by hand: Eval then uses Num.
	Rat  *big.Rat
	Ref  string  // OpRef: the node code
	Func string  // OpCall: ABS, ROUND, MIN, MAX
	Args []*Expr // operands (OpNeg: 1, binary: 2, OpCall: the arguments)
	Pos  int     // byte offset in the source, for errors
}

// ExprOp is the kind of an expression node.
type ExprOp int

// Expression node kinds.
const (
	OpNum ExprOp = iota
	OpRef
	OpNeg
	OpAdd
	OpSub
	OpMul
	OpDiv
	OpCall
)

var opText = map[ExprOp]string{OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/"}

// Functions and their arity (min, max; -1 = unbounded).
var formulaFuncs = map[string][2]int{
	"ABS":   {1, 1},
	"ROUND": {1, 2},
	"MIN":   {2, -1},
	"MAX":   {2, -1},
}

// FormulaError is a syntax error with its position.
type FormulaError struct {
	Expr string
	Pos  int
	Msg  string
}

func (e *FormulaError) Error() string {
	return fmt.Sprintf("formula %q: %s at position %d", e.Expr, e.Msg, e.Pos+1)
}

type ftok struct {
	kind byte // 'n' number, 'i' ident/ref, '(' ')' ',' '+' '-' '*' '/', 0 = end
	text string
	num  float64
	rat  *big.Rat
	pos  int
}

func lexFormula(src string) ([]ftok, error) {
	var out []ftok
	i := 0
	for i < len(src) {
		c := rune(src[i])
		switch {
		case unicode.IsSpace(c):
			i++
		case strings.ContainsRune("()+-*/,", c):
			out = append(out, ftok{kind: byte(c), text: string(c), pos: i})
			i++
		case c == '[':
			end := strings.IndexByte(src[i+1:], ']')
			if end < 0 {
				return nil, &FormulaError{src, i, "unclosed ["}
			}
			code := strings.TrimSpace(src[i+1 : i+1+end])
			if err := ValidCode(code); err != nil {
				return nil, &FormulaError{src, i, fmt.Sprintf("invalid node code [%s]", code)}
			}
			out = append(out, ftok{kind: 'r', text: code, pos: i})
			i += end + 2
		case c >= '0' && c <= '9' || c == '.':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				k := j + 1
				if k < len(src) && (src[k] == '+' || src[k] == '-') {
					k++
				}
				if k < len(src) && src[k] >= '0' && src[k] <= '9' {
					j = k
					for j < len(src) && src[j] >= '0' && src[j] <= '9' {
						j++
					}
				}
			}
			if j < len(src) && (unicode.IsLetter(rune(src[j])) || src[j] == '_') {
				return nil, &FormulaError{src, i, fmt.Sprintf("%q starts with a digit: write node codes like this in brackets, e.g. [%s]", src[i:identEnd(src, j)], src[i:identEnd(src, j)])}
			}
			v, err := strconv.ParseFloat(src[i:j], 64)
			if err != nil {
				return nil, &FormulaError{src, i, fmt.Sprintf("bad number %q", src[i:j])}
			}
			r, ok := new(big.Rat).SetString(src[i:j])
			if !ok || math.IsInf(v, 0) {
				return nil, &FormulaError{src, i, fmt.Sprintf("bad number %q", src[i:j])}
			}
			out = append(out, ftok{kind: 'n', text: src[i:j], num: v, rat: r, pos: i})
			i = j
		case unicode.IsLetter(c) || c == '_':
			j := identEnd(src, i)
			out = append(out, ftok{kind: 'i', text: src[i:j], pos: i})
			i = j
		default:
			return nil, &FormulaError{src, i, fmt.Sprintf("unexpected %q", string(c))}
		}
	}
	out = append(out, ftok{kind: 0, pos: len(src)})
	return out, nil
}

func identEnd(src string, i int) int {
	j := i
	for j < len(src) && (unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j])) || src[j] == '_' || src[j] == '.') {
		j++
	}
	return j
}

type fparser struct {
	src  string
	toks []ftok
	i    int
	// depth bounds recursion so a hostile input cannot blow the stack.
	depth int
}

const maxFormulaDepth = 200

// ParseFormula parses an expression.
func ParseFormula(src string) (*Expr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &FormulaError{src, 0, "empty expression"}
	}
	toks, err := lexFormula(src)
	if err != nil {
		return nil, err
	}
	p := &fparser{src: src, toks: toks}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != 0 {
		return nil, &FormulaError{src, t.pos, fmt.Sprintf("unexpected %q", t.text)}
	}
	return e, nil
}

func (p *fparser) peek() ftok { return p.toks[p.i] }
func (p *fparser) next() ftok { t := p.toks[p.i]; p.i++; return t }

func (p *fparser) errAt(t ftok, msg string) error {
	return &FormulaError{p.src, t.pos, msg}
}

func (p *fparser) expr() (*Expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxFormulaDepth {
		return nil, p.errAt(p.peek(), "expression nested too deeply")
	}
	left, err := p.term()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != '+' && t.kind != '-' {
			return left, nil
		}
		p.next()
		right, err := p.term()
		if err != nil {
			return nil, err
		}
		op := OpAdd
		if t.kind == '-' {
			op = OpSub
		}
		left = &Expr{Op: op, Args: []*Expr{left, right}, Pos: t.pos}
	}
}

func (p *fparser) term() (*Expr, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != '*' && t.kind != '/' {
			return left, nil
		}
		p.next()
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		op := OpMul
		if t.kind == '/' {
			op = OpDiv
		}
		left = &Expr{Op: op, Args: []*Expr{left, right}, Pos: t.pos}
	}
}

func (p *fparser) unary() (*Expr, error) {
	t := p.peek()
	if t.kind == '-' || t.kind == '+' {
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxFormulaDepth {
			return nil, p.errAt(t, "expression nested too deeply")
		}
		p.next()
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		if t.kind == '+' {
			return e, nil
		}
		return &Expr{Op: OpNeg, Args: []*Expr{e}, Pos: t.pos}, nil
	}
	return p.primary()
}

func (p *fparser) primary() (*Expr, error) {
	t := p.next()
	switch t.kind {
	case 'n':
		return &Expr{Op: OpNum, Num: t.num, Rat: t.rat, Pos: t.pos}, nil
	case 'r':
		return &Expr{Op: OpRef, Ref: t.text, Pos: t.pos}, nil
	case 'i':
		name := strings.ToUpper(t.text)
		if _, isFunc := formulaFuncs[name]; isFunc && p.peek().kind == '(' {
			return p.call(name, t)
		}
		if p.peek().kind == '(' {
			return nil, p.errAt(t, fmt.Sprintf("unknown function %s (known: ABS, ROUND, MIN, MAX)", t.text))
		}
		if err := ValidCode(t.text); err != nil {
			return nil, p.errAt(t, fmt.Sprintf("invalid node code %q", t.text))
		}
		return &Expr{Op: OpRef, Ref: t.text, Pos: t.pos}, nil
	case '(':
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != ')' {
			return nil, p.errAt(c, "missing )")
		}
		return e, nil
	case 0:
		return nil, p.errAt(t, "expression ends too early")
	}
	return nil, p.errAt(t, fmt.Sprintf("unexpected %q", t.text))
}

func (p *fparser) call(name string, t ftok) (*Expr, error) {
	p.next() // (
	var args []*Expr
	if p.peek().kind != ')' {
		for {
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			if p.peek().kind == ',' {
				p.next()
				continue
			}
			break
		}
	}
	if c := p.next(); c.kind != ')' {
		return nil, p.errAt(c, fmt.Sprintf("missing ) after the arguments of %s", name))
	}
	ar := formulaFuncs[name]
	if len(args) < ar[0] || (ar[1] >= 0 && len(args) > ar[1]) {
		want := fmt.Sprintf("%d", ar[0])
		if ar[1] < 0 {
			want = fmt.Sprintf("at least %d", ar[0])
		} else if ar[1] != ar[0] {
			want = fmt.Sprintf("%d or %d", ar[0], ar[1])
		}
		return nil, p.errAt(t, fmt.Sprintf("%s takes %s arguments, got %d", name, want, len(args)))
	}
	if name == "ROUND" && len(args) == 2 && !isConstant(args[1]) {
		return nil, p.errAt(t, "ROUND's second argument (decimal places) must be a number")
	}
	return &Expr{Op: OpCall, Func: name, Args: args, Pos: t.pos}, nil
}

// isConstant reports whether e is a number or a negated number (ROUND's
// decimal places may be negative: ROUND(x, -3) rounds to thousands).
func isConstant(e *Expr) bool {
	return e.Op == OpNum || (e.Op == OpNeg && e.Args[0].Op == OpNum)
}

// Refs returns the node codes the expression references, each once, in
// order of first appearance.
func (e *Expr) Refs() []string {
	var out []string
	seen := map[string]bool{}
	e.walk(func(x *Expr) {
		if x.Op == OpRef && !seen[x.Ref] {
			seen[x.Ref] = true
			out = append(out, x.Ref)
		}
	})
	return out
}

func (e *Expr) walk(fn func(*Expr)) {
	fn(e)
	for _, a := range e.Args {
		a.walk(fn)
	}
}

// RefText renders a node code as it must be written in a formula.
func RefText(code string) string {
	if code == "" {
		return "[]"
	}
	c := code[0]
	bare := unicode.IsLetter(rune(c)) || c == '_'
	for _, r := range code {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.') {
			bare = false
		}
	}
	if _, isFunc := formulaFuncs[strings.ToUpper(code)]; isFunc {
		bare = false
	}
	if bare {
		return code
	}
	return "[" + code + "]"
}

func prec(op ExprOp) int {
	switch op {
	case OpAdd, OpSub:
		return 1
	case OpMul, OpDiv:
		return 2
	case OpNeg:
		return 3
	}
	return 4
}

// String renders the expression canonically, with only the parentheses
// precedence needs.
func (e *Expr) String() string {
	return e.render(func(code string) string { return RefText(code) })
}

func (e *Expr) render(ref func(string) string) string {
	switch e.Op {
	case OpNum:
		return strconv.FormatFloat(e.Num, 'f', -1, 64)
	case OpRef:
		return ref(e.Ref)
	case OpNeg:
		inner := e.Args[0].render(ref)
		if prec(e.Args[0].Op) < prec(OpNeg) {
			inner = "(" + inner + ")"
		}
		return "-" + inner
	case OpCall:
		parts := make([]string, len(e.Args))
		for i, a := range e.Args {
			parts[i] = a.render(ref)
		}
		return e.Func + "(" + strings.Join(parts, ", ") + ")"
	}
	l, r := e.Args[0].render(ref), e.Args[1].render(ref)
	if prec(e.Args[0].Op) < prec(e.Op) {
		l = "(" + l + ")"
	}
	// Right operand: parenthesise equal precedence for - and / (not
	// associative) as well as lower precedence.
	if prec(e.Args[1].Op) < prec(e.Op) || (prec(e.Args[1].Op) == prec(e.Op) && (e.Op == OpSub || e.Op == OpDiv)) {
		r = "(" + r + ")"
	}
	return l + " " + opText[e.Op] + " " + r
}

// Values supplies node values to Eval: ok=false means the node has no value.
// Eval does not modify the values it is given.
type Values func(code string) (v *big.Rat, ok bool)

// ErrNoValue is returned by Eval under NullError when a node has no value,
// or when dividing by zero.
var ErrNoValue = errors.New("no value")

// Eval computes the expression exactly, in rational arithmetic (money is
// exact: 0.1 + 0.2 is 0.3, and a ratio keeps every digit until it is
// written; see RollupResult for how values are rendered). A referenced
// node without a value counts as 0 (NullAsZero, the default), makes the
// result empty (NullSkip: ok=false), or is an error (NullError). Division
// by zero makes the result empty (like SQL's x / NULLIF(y, 0)), or is an
// error under NullError. The result is a new value, never one of vals'.
func (e *Expr) Eval(vals Values, nulls NullHandling) (*big.Rat, bool, error) {
	switch e.Op {
	case OpNum:
		if e.Rat != nil {
			return new(big.Rat).Set(e.Rat), true, nil
		}
		r, ok := new(big.Rat).SetString(strconv.FormatFloat(e.Num, 'g', -1, 64))
		if !ok {
			return nil, false, fmt.Errorf("number %v is not finite", e.Num)
		}
		return r, true, nil
	case OpRef:
		v, ok := vals(e.Ref)
		if ok && v != nil {
			return new(big.Rat).Set(v), true, nil
		}
		switch nulls {
		case NullSkip:
			return nil, false, nil
		case NullError:
			return nil, false, fmt.Errorf("node %s: %w", e.Ref, ErrNoValue)
		}
		return new(big.Rat), true, nil
	case OpNeg:
		v, ok, err := e.Args[0].Eval(vals, nulls)
		if err != nil || !ok {
			return nil, ok, err
		}
		return v.Neg(v), true, nil
	case OpCall:
		args := make([]*big.Rat, len(e.Args))
		for i, a := range e.Args {
			v, ok, err := a.Eval(vals, nulls)
			if err != nil || !ok {
				return nil, false, err
			}
			args[i] = v
		}
		switch e.Func {
		case "ABS":
			return args[0].Abs(args[0]), true, nil
		case "ROUND":
			places := 0
			if len(args) == 2 {
				p, _ := args[1].Float64()
				places = int(math.Max(-15, math.Min(15, math.Trunc(p))))
			}
			return RoundRat(args[0], places), true, nil
		case "MIN", "MAX":
			r := args[0]
			for _, a := range args[1:] {
				if c := a.Cmp(r); (e.Func == "MIN" && c < 0) || (e.Func == "MAX" && c > 0) {
					r = a
				}
			}
			return r, true, nil
		}
		return nil, false, fmt.Errorf("unknown function %s", e.Func)
	}
	l, lok, err := e.Args[0].Eval(vals, nulls)
	if err != nil || !lok {
		return nil, false, err
	}
	r, rok, err := e.Args[1].Eval(vals, nulls)
	if err != nil || !rok {
		return nil, false, err
	}
	switch e.Op {
	case OpAdd:
		return l.Add(l, r), true, nil
	case OpSub:
		return l.Sub(l, r), true, nil
	case OpMul:
		return l.Mul(l, r), true, nil
	}
	if r.Sign() == 0 {
		if nulls == NullError {
			return nil, false, fmt.Errorf("division by zero in %s: %w", e.String(), ErrNoValue)
		}
		return nil, false, nil
	}
	return l.Quo(l, r), true, nil
}

// RoundRat rounds v half away from zero at the given decimal places
// (negative: to tens, hundreds...), as SQL engines' ROUND does. It returns
// a new value.
func RoundRat(v *big.Rat, places int) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(places))), nil)
	x := new(big.Rat).Set(v)
	if places >= 0 {
		x.Mul(x, new(big.Rat).SetInt(p))
	} else {
		x.Quo(x, new(big.Rat).SetInt(p))
	}
	num := new(big.Int).Abs(x.Num())
	q, m := new(big.Int).QuoRem(num, x.Denom(), new(big.Int))
	if m.Lsh(m, 1).Cmp(x.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if x.Sign() < 0 {
		q.Neg(q)
	}
	out := new(big.Rat).SetInt(q)
	if places >= 0 {
		return out.Quo(out, new(big.Rat).SetInt(p))
	}
	return out.Mul(out, new(big.Rat).SetInt(p))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Expand renders the expression with every reference to a formula node
// replaced by that node's own (expanded) expression, in parentheses, down to
// non-formula nodes. formulaOf returns a node's parsed formula, or nil for a
// node that is not a formula. A reference cycle is an error.
func (e *Expr) Expand(formulaOf func(code string) *Expr) (string, error) {
	return e.expand(formulaOf, map[string]bool{})
}

func (e *Expr) expand(formulaOf func(string) *Expr, stack map[string]bool) (string, error) {
	var err error
	out := e.render(func(code string) string {
		f := formulaOf(code)
		if f == nil || err != nil {
			return RefText(code)
		}
		if stack[code] {
			err = fmt.Errorf("formula references form a cycle through %s", code)
			return RefText(code)
		}
		stack[code] = true
		s, e2 := f.expand(formulaOf, stack)
		delete(stack, code)
		if e2 != nil {
			err = e2
		}
		return "(" + s + ")"
	})
	return out, err
}

// Additive reports whether a formula only adds, subtracts and negates
// node values and numbers: exact in DECIMAL on every engine (the
// warehouse's statement and the semantic layer's line metrics keep such
// formulas in DECIMAL, others in DOUBLE PRECISION).
func (e *Expr) Additive() bool {
	switch e.Op {
	case OpNum, OpRef:
		return true
	case OpNeg, OpAdd, OpSub:
		for _, a := range e.Args {
			if !a.Additive() {
				return false
			}
		}
		return true
	}
	return false
}
