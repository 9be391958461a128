package dialect

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// This file is the normalised form reconciliation compares values in: one
// function (Normalise) that, for a column given its type on the two sides
// of a comparison, writes an expression of the engine's dialect whose
// value is the same on both sides — and on two different engines — when
// the two values mean the same thing:
//
//   - numbers: INTEGER, DECIMAL(p,s), DOUBLE and text holding a number are
//     compared as DECIMAL(38, scale) at the lower of the two sides'
//     scales (an integer does not lower it; a float counts as FloatScale
//     digits; text alone counts as FloatScale), so 5, 5.00, 5.0e0 and '5'
//     agree; -0 is 0; rounding is half away from zero on every engine (a
//     double is first rounded to four more digits, so 1.005 is 1.01 on
//     DuckDB as on PostgreSQL and MariaDB);
//   - booleans: 1 and 0 (MySQL's TINYINT(1) is a boolean);
//   - timestamps: UTC wall-clock time (a zoned value is converted), written
//     "YYYY-MM-DD HH:MM:SS[.f…]" cut to the lower of the two precisions;
//     a date compared with a timestamp is its midnight;
//   - dates: "YYYY-MM-DD";
//   - text: as stored, optionally trimmed and case-folded.
//
// Text is its exact characters: the caller wraps it in ExactText where it
// compares or groups it in the engine (collations that ignore case or
// trailing spaces would hide differences).

// NormKind is the class of a column type for comparison.
type NormKind int

// Column classes.
const (
	NormText NormKind = iota
	NormInt
	NormDecimal
	NormFloat
	NormBool
	NormDate
	NormTimestamp
)

func (k NormKind) String() string {
	return [...]string{"text", "integer", "decimal", "float", "boolean", "date", "timestamp"}[k]
}

// ColumnType is a column's type as reconciliation sees it.
type ColumnType struct {
	Kind NormKind
	// Scale is the digits after the point of a decimal.
	Scale int
	// TimePrecision is the fractional-second digits of a timestamp (0–6).
	TimePrecision int
	// Zoned: a timestamp with time zone (an instant).
	Zoned bool
}

var typeParams = regexp.MustCompile(`\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)`)

// ParseColumnType reads an engine's type name, as its catalogue writes it
// (DuckDB "DECIMAL(18,2)", PostgreSQL "numeric(18,2)", "timestamp(3)
// with time zone", MySQL "decimal(18,2)", "tinyint(1)", "datetime(3)").
// Unknown types are text.
func ParseColumnType(name string) ColumnType {
	n := strings.ToLower(strings.TrimSpace(name))
	base := n
	if i := strings.IndexByte(base, '('); i >= 0 {
		base = strings.TrimSpace(base[:i])
	}
	var p1, p2 = -1, -1
	if m := typeParams.FindStringSubmatch(n); m != nil {
		p1, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			p2, _ = strconv.Atoi(m[2])
		}
	}
	base = strings.TrimSuffix(strings.TrimSuffix(base, " unsigned"), " signed")
	switch {
	case n == "tinyint(1)" || base == "boolean" || base == "bool" || base == "bit" && p1 <= 1:
		return ColumnType{Kind: NormBool}
	case base == "tinyint" || base == "smallint" || base == "integer" || base == "int" || base == "bigint" ||
		base == "mediumint" || base == "hugeint" || base == "int2" || base == "int4" || base == "int8" ||
		base == "utinyint" || base == "usmallint" || base == "uinteger" || base == "ubigint" || base == "uhugeint" ||
		base == "serial" || base == "bigserial" || base == "smallserial" || base == "int64":
		return ColumnType{Kind: NormInt}
	case base == "decimal" || base == "numeric" || base == "number" || base == "bignumeric":
		if p2 < 0 {
			if p1 >= 0 {
				return ColumnType{Kind: NormDecimal, Scale: 0}
			}
			// NUMERIC without a scale holds any scale: compare it as a
			// float would be (the other side usually decides the scale).
			return ColumnType{Kind: NormDecimal, Scale: 18}
		}
		return ColumnType{Kind: NormDecimal, Scale: p2}
	case base == "double" || base == "double precision" || base == "float" || base == "float8" || base == "float4" ||
		base == "real" || base == "float64":
		return ColumnType{Kind: NormFloat}
	case base == "date":
		return ColumnType{Kind: NormDate}
	case strings.HasPrefix(base, "timestamp") || base == "datetime" || base == "datetime2" || base == "timestamptz" ||
		strings.HasPrefix(n, "timestamp"):
		t := ColumnType{Kind: NormTimestamp, TimePrecision: 6}
		switch {
		case p1 >= 0:
			t.TimePrecision = p1
		case base == "datetime" && !strings.Contains(n, "("):
			// MySQL DATETIME without a precision is whole seconds.
			t.TimePrecision = 0
		case strings.HasPrefix(n, "timestamp_s") && !strings.HasPrefix(n, "timestamp_ns"):
			t.TimePrecision = 0
		case strings.HasPrefix(n, "timestamp_ms"):
			t.TimePrecision = 3
		}
		if t.TimePrecision > 6 {
			t.TimePrecision = 6
		}
		t.Zoned = strings.Contains(n, "with time zone") || base == "timestamptz" || strings.HasSuffix(base, "_tz") ||
			(strings.Contains(n, "timestamp") && strings.Contains(n, "tz") && !strings.Contains(n, "ntz"))
		if strings.Contains(n, "without time zone") {
			t.Zoned = false
		}
		return t
	}
	return ColumnType{Kind: NormText}
}

// NormOptions are the choices a comparison states.
type NormOptions struct {
	// FloatScale is the digits after the point floats (and text holding
	// numbers, when no side has a scale) are compared at; 0 means 6.
	FloatScale int
	// Trim removes leading and trailing spaces from text; FoldCase
	// compares text in lower case.
	Trim, FoldCase bool
}

// DefaultFloatScale is the digits floats are compared at unless stated.
const DefaultFloatScale = 6

// Comparison is the common form a column is compared in on both sides.
type Comparison struct {
	Left, Right ColumnType
	// Numeric: both sides are compared as DECIMAL(38, Scale).
	Numeric bool
	Scale   int
	// Time: both sides are compared as UTC timestamps at TimePrecision.
	Time          bool
	TimePrecision int
	// Bool: both sides are 1/0.
	Bool bool
	Opts NormOptions
}

func numericKind(k NormKind) bool { return k == NormInt || k == NormDecimal || k == NormFloat }

// Compare decides the common form of a column whose types are left and
// right.
func Compare(left, right ColumnType, o NormOptions) Comparison {
	if o.FloatScale <= 0 {
		o.FloatScale = DefaultFloatScale
	}
	c := Comparison{Left: left, Right: right, Opts: o}
	lk, rk := left.Kind, right.Kind
	switch {
	case lk == NormBool && rk == NormBool:
		c.Bool = true
	case (numericKind(lk) || lk == NormBool || lk == NormText) && (numericKind(rk) || rk == NormBool || rk == NormText) &&
		(numericKind(lk) || numericKind(rk)):
		c.Numeric = true
		scale, set, text := 0, false, false
		for _, t := range []ColumnType{left, right} {
			s := -1
			switch t.Kind {
			case NormDecimal:
				s = t.Scale
			case NormFloat:
				s = o.FloatScale
			case NormText:
				text = true
			}
			if s >= 0 && (!set || s < scale) {
				scale, set = s, true
			}
		}
		if !set && text {
			scale = o.FloatScale
		}
		c.Scale = scale
	case lk == NormTimestamp || rk == NormTimestamp:
		c.Time = true
		p := 6
		for _, t := range []ColumnType{left, right} {
			switch t.Kind {
			case NormTimestamp:
				if t.TimePrecision < p {
					p = t.TimePrecision
				}
			case NormDate:
				p = 0
			}
		}
		c.TimePrecision = p
	}
	return c
}

// Identity reports whether both sides can be compared as stored, without
// any conversion: the same class and scale, no text options. Same-engine
// comparisons then keep the engine's native values (faster, and exact).
func (c Comparison) Identity() bool {
	l, r := c.Left, c.Right
	if l.Kind != r.Kind {
		return false
	}
	switch l.Kind {
	case NormInt, NormDate, NormBool:
		return true
	case NormDecimal:
		return l.Scale == r.Scale
	case NormText:
		return !c.Opts.Trim && !c.Opts.FoldCase
	}
	return false
}

// Number writes x (of type t, one side of c) as the DECIMAL(38, Scale)
// both sides compare at; c must be Numeric.
func (c Comparison) Number(t ColumnType, x Expr) (Expr, error) {
	if !c.Numeric {
		return nil, fmt.Errorf("not a numeric comparison")
	}
	dec := Decimal(38, c.Scale)
	switch t.Kind {
	case NormInt:
		if c.Scale == 0 && c.Left.Kind == NormInt && c.Right.Kind == NormInt {
			return x, nil
		}
		return &Cast{X: x, Type: dec}, nil
	case NormDecimal:
		if t.Scale == c.Scale && c.Left.Kind == c.Right.Kind && c.Left.Scale == c.Right.Scale {
			return x, nil
		}
		return &Cast{X: x, Type: dec}, nil
	case NormFloat:
		// Rounded twice (to four more digits, then to the scale) so that
		// a double just below a midpoint (1.005 is 1.00499999999999989…)
		// rounds the same way on every engine: PostgreSQL and MariaDB
		// convert doubles to decimals through 15 significant digits,
		// DuckDB exactly.
		wide := c.Scale + 4
		return &Cast{X: &Cast{X: x, Type: Decimal(38, wide)}, Type: dec}, nil
	case NormBool:
		return &Case{Whens: []When{{Cond: x, Then: I(1)}, {Cond: &Unary{Op: "NOT", X: x}, Then: I(0)}}}, nil
	case NormText:
		return &Cast{X: F("TRIM", x), Type: dec}, nil
	}
	return nil, fmt.Errorf("a %s cannot be compared as a number", t.Kind)
}

// Normalise writes the normalised text of x (of type t, one side of c)
// in dialect d: the value two engines agree on when the values mean the
// same (see the top of this file). NULL stays NULL.
func (c Comparison) Normalise(d string, t ColumnType, x Expr) (Expr, error) {
	if err := known(d); err != nil {
		return nil, err
	}
	switch {
	case c.Numeric:
		n, err := c.Number(t, x)
		if err != nil {
			return nil, err
		}
		if t.Kind == NormFloat && caps[d].NarrowDecimal && c.Scale+4 <= 17 {
			// The same two roundings at 18 digits for the doubles that fit
			// them with a digit to spare; the text of a DECIMAL does not
			// depend on its precision.
			wide := c.Scale + 4
			narrow := &Cast{X: &Cast{X: x, Type: Decimal(18, wide)}, Type: Decimal(18, c.Scale)}
			fits := &Binary{Op: "<", L: F("ABS", x), R: I(pow10(17 - wide))}
			return &Case{Whens: []When{{Cond: fits, Then: &Cast{X: narrow, Type: Text}}}, Else: &Cast{X: n, Type: Text}}, nil
		}
		return &Cast{X: n, Type: Text}, nil
	case c.Bool:
		return &Case{Whens: []When{{Cond: x, Then: S("1")}, {Cond: &Unary{Op: "NOT", X: x}, Then: S("0")}}}, nil
	case c.Time:
		return c.timeText(d, t, x)
	}
	var e Expr = x
	if t.Kind != NormText {
		e = &Cast{X: x, Type: Text}
	}
	if c.Opts.Trim {
		e = F("TRIM", e)
	}
	if c.Opts.FoldCase {
		e = F("LOWER", e)
	}
	return e, nil
}

func (c Comparison) timeText(d string, t ColumnType, x Expr) (Expr, error) {
	cp := caps[d]
	if cp.TimeFormat.Func == "" {
		return nil, unsupported(d, "formatting a timestamp", "")
	}
	var v Expr = x
	switch t.Kind {
	case NormTimestamp:
		if t.Zoned {
			if cp.UTCFunc == "" || cp.UTCFunc == NoFunc {
				return nil, unsupported(d, "converting a timestamp with time zone to UTC", "compare it as text")
			}
			v = F(cp.UTCFunc, S("UTC"), x)
		}
	case NormDate, NormText:
		v = &Cast{X: x, Type: Timestamp}
	default:
		return nil, fmt.Errorf("a %s cannot be compared as a timestamp", t.Kind)
	}
	var f *Func
	if cp.TimeFormat.PatternFirst {
		f = F(cp.TimeFormat.Func, S(cp.TimeFormat.Pattern), v)
	} else {
		f = F(cp.TimeFormat.Func, v, S(cp.TimeFormat.Pattern))
	}
	n := 19
	if c.TimePrecision > 0 {
		n += 1 + c.TimePrecision
	}
	return F("SUBSTR", f, I(1), I(int64(n))), nil
}

// ---------------------------------------------------------------- hashes

// HashHex is the MD5 of a text as 32 lower-case hex digits, the same on
// every engine with Caps.MD5Hex.
func HashHex(d string, x Expr) (Expr, error) {
	if !caps[d].MD5Hex {
		return nil, unsupported(d, "an MD5 of text as hex digits", "")
	}
	return F("MD5", x), nil
}

// Integer keys are segmented without hashing their text: a multiplicative
// hash modulo the prime 2^31 - 1 (the Lehmer / MINSTD generator's step),
// computed in BIGINT arithmetic that no engine overflows, spreads any run
// of keys — consecutive, or every 1000th — evenly, and its residue modulo
// 16^w names the segment of width w (segments of width w nest inside
// those of width w - 1, as hash prefixes do).
const (
	segPrime = 2147483647
	segMul   = 48271
)

// IntSegment is an integer key's segment number in [0, 2^31 - 1): the
// same on every engine with Caps.MD5Hex (they all have MOD with the sign
// of the dividend, which the first step folds back) and in Go
// (GoIntSegment).
func IntSegment(d string, key Expr) (Expr, error) {
	if !caps[d].MD5Hex {
		return nil, unsupported(d, "segmenting integer keys", "")
	}
	p := I(segPrime)
	k := F("MOD", &Cast{X: key, Type: BigInt}, p)
	k = F("MOD", &Binary{Op: "+", L: k, R: p}, p)
	return F("MOD", &Binary{Op: "*", L: k, R: I(segMul)}, p), nil
}

// GoIntSegment is IntSegment in Go.
func GoIntSegment(k int64) int64 {
	m := (k%segPrime + segPrime) % segPrime
	return m * segMul % segPrime
}

// HashDigits is how many leading hex digits of a hash HashNumber reads.
const HashDigits = 14

// HashNumber is the integer value of the first HashDigits hex digits of a
// hash (HashHex): a non-negative BIGINT below 2^56, the same on every
// engine, each reading hex its own way (Caps.HexNumber).
func HashNumber(d string, hex Expr) (Expr, error) {
	h := F("SUBSTR", hex, I(1), I(HashDigits))
	switch caps[d].HexNumber {
	case HexCast:
		return &Cast{X: &Binary{Op: "||", L: S("0x"), R: h}, Type: BigInt}, nil
	case HexConv:
		return &Cast{X: F("CONV", h, I(16), I(10)), Type: BigInt}, nil
	case HexToNumber:
		return F("TO_NUMBER", h, S(strings.Repeat("X", HashDigits))), nil
	case HexBit:
		// A hex bit-string literal cast to an integer: one cast per row
		// (about 1.5 times faster on PostgreSQL than reading the bytes).
		return &Cast{X: &Cast{X: &Binary{Op: "||", L: S("x"), R: h}, Type: Type{Kind: TBits, Length: 4 * HashDigits}}, Type: BigInt}, nil
	case HexBytes:
		// Seven bytes, most significant first.
		b := F("DECODE", h, S("hex"))
		var sum Expr
		for k := 0; k < HashDigits/2; k++ {
			var term Expr = F("GET_BYTE", b, I(int64(k)))
			if w := int64(1) << (8 * (HashDigits/2 - 1 - k)); w > 1 {
				term = &Binary{Op: "*", L: &Cast{X: term, Type: BigInt}, R: I(w)}
			}
			if sum == nil {
				sum = term
			} else {
				sum = &Binary{Op: "+", L: sum, R: term}
			}
		}
		return sum, nil
	}
	return nil, unsupported(d, "reading hex digits as a number", "")
}

// NullMark stands for NULL inside a concatenation of normalised values.
const NullMark = `\N`

// FieldSep separates the normalised values of a row (the ASCII unit
// separator, which finance data does not hold).
const FieldSep = "\x1f"

// ConcatNormalised joins normalised texts with FieldSep, NULL as NullMark,
// in one CONCAT (DuckDB builds it twice as fast as a chain of ||; every
// part is non-NULL, so MySQL's NULL-propagating CONCAT is the same).
func ConcatNormalised(parts []Expr) Expr {
	if len(parts) == 1 {
		return F("COALESCE", parts[0], S(NullMark))
	}
	args := make([]Expr, 0, 2*len(parts))
	for i, p := range parts {
		if i > 0 {
			args = append(args, S(FieldSep))
		}
		args = append(args, F("COALESCE", p, S(NullMark)))
	}
	return F("CONCAT", args...)
}

// pow10 is 10^n as an integer literal's value (n ≤ 18).
func pow10(n int) int64 {
	v := int64(1)
	for ; n > 0; n-- {
		v *= 10
	}
	return v
}
