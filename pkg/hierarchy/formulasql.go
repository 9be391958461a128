package hierarchy

import (
	"fmt"
	"math/big"
	"strconv"

	d "github.com/databridge/databridge/pkg/dialect"
)

// FormulaSQL translates a parsed formula into a dialect expression, the
// same way for the deployed statement (DT_3's formula lines over pivot
// columns) and the semantic layer's formula metrics (over aggregates):
// references become Ref's expressions cast to Exact when the formula is
// additive (sums and differences stay exact DECIMAL) and to Math otherwise,
// empty references count as zero unless Nulls says propagate, division by
// zero is empty (NULLIF), and MIN/MAX are empty when an argument is, as in
// Eval (engines differ on LEAST with NULLs).
type FormulaSQL struct {
	// Ref is the SQL of a referenced node's value.
	Ref   func(code string) (d.Expr, error)
	Nulls NullHandling
	Exact d.Type
	Math  d.Type
}

// Translate translates e.
func (f FormulaSQL) Translate(e *Expr) (d.Expr, error) {
	typ := f.Math
	if e.Additive() {
		typ = f.Exact
	}
	var tr func(e *Expr) (d.Expr, error)
	tr = func(e *Expr) (d.Expr, error) {
		switch e.Op {
		case OpNum:
			return &d.Cast{X: d.DecimalLit(strconv.FormatFloat(e.Num, 'f', -1, 64)), Type: typ}, nil
		case OpRef:
			r, err := f.Ref(e.Ref)
			if err != nil {
				return nil, err
			}
			var x d.Expr = &d.Cast{X: r, Type: typ}
			if f.Nulls == "" || f.Nulls == NullAsZero {
				x = d.F("COALESCE", x, d.I(0))
			}
			return x, nil
		case OpNeg:
			x, err := tr(e.Args[0])
			if err != nil {
				return nil, err
			}
			return &d.Unary{Op: "-", X: &d.Paren{X: x}}, nil
		case OpCall:
			args := make([]d.Expr, len(e.Args))
			for i, a := range e.Args {
				x, err := tr(a)
				if err != nil {
					return nil, err
				}
				args[i] = x
			}
			switch e.Func {
			case "ABS":
				return d.F("ABS", args[0]), nil
			case "ROUND":
				places := d.Expr(d.I(0))
				if len(args) == 2 {
					places = args[1]
					if v, ok, _ := e.Args[1].Eval(func(string) (*big.Rat, bool) { return nil, false }, NullAsZero); ok {
						n, _ := v.Float64()
						places = d.I(int64(n))
					}
				}
				return d.F("ROUND", args[0], places), nil
			case "MIN", "MAX":
				fn := "LEAST"
				if e.Func == "MAX" {
					fn = "GREATEST"
				}
				var anyNull []d.Expr
				for _, a := range args {
					anyNull = append(anyNull, &d.IsNull{X: a})
				}
				return &d.Case{Whens: []d.When{{Cond: d.Or(anyNull...), Then: d.Null}}, Else: d.F(fn, args...)}, nil
			}
			return nil, fmt.Errorf("unknown function %s", e.Func)
		}
		l, err := tr(e.Args[0])
		if err != nil {
			return nil, err
		}
		r, err := tr(e.Args[1])
		if err != nil {
			return nil, err
		}
		switch e.Op {
		case OpAdd:
			return &d.Paren{X: &d.Binary{Op: "+", L: l, R: r}}, nil
		case OpSub:
			return &d.Paren{X: &d.Binary{Op: "-", L: l, R: r}}, nil
		case OpMul:
			return &d.Paren{X: &d.Binary{Op: "*", L: l, R: r}}, nil
		}
		return &d.Paren{X: &d.Binary{Op: "/", L: l, R: d.F("NULLIF", r, d.I(0))}}, nil
	}
	return tr(e)
}
