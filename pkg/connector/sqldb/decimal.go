package sqldb

import (
	"database/sql"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Exact numbers. A DECIMAL, NUMERIC or NUMBER column is money until shown
// otherwise, so its values leave the connector as exact decimal text
// ("37667383.83", "-0.10", "42"), never as a float64, whatever Go type
// the driver chose for them:
//
//	driver                  what it returns for DECIMAL(p,s)
//	DuckDB                  duckdb.Decimal{Width, Scale, Value *big.Int}
//	pgx (PostgreSQL)        the numeric's text: string "0.10"
//	go-sql-driver (MySQL)   []byte "0.10"
//	go-mssqldb              []byte "0.10" (MONEY: 4 decimals)
//	gosnowflake             string "0.10"; with WithHigherPrecision (which
//	                        the snowflake engine sets) *big.Float for s > 0,
//	                        int64 or *big.Int for s = 0
//	BigQuery                *big.Rat (NUMERIC, BIGNUMERIC)
//	databricks-sql-go       string "0.10" (float64 only with arrow-native
//	                        decimals, which the engine never turns on)
//
// Collect reads each column's declared scale (ColumnType.DecimalSize, or
// the type name "DECIMAL(18,2)") and writes every value of the column with
// at least that many decimals: 10 in a DECIMAL(18,2) is "10.00". A value
// that needs more decimals than the column declares keeps them all.

// Column is what Collect knows of a result column to normalise its values.
type Column struct {
	// Decimal is set for exact numeric types: DECIMAL, NUMERIC, NUMBER
	// (Snowflake FIXED), BIGNUMERIC, MONEY, DECFLOAT.
	Decimal bool
	// Scale is the number of decimals the type declares, -1 when unknown
	// (PostgreSQL's numeric without a type modifier, BigQuery's NUMERIC).
	Scale int
}

// maxDecimalScale bounds a believable declared scale (PostgreSQL's numeric
// allows 1000 digits); pgx reports a numeric without a type modifier as
// precision 65535, scale 65531.
const maxDecimalScale = 1000

// decimalTypes are the database type names (upper case, without
// parameters) of exact numeric types, as the drivers name them.
var decimalTypes = map[string]bool{
	"DECIMAL": true, "NUMERIC": true, "NUMBER": true, "FIXED": true,
	"BIGNUMERIC": true, "BIGDECIMAL": true, "DECFLOAT": true,
	"MONEY": true, "SMALLMONEY": true,
}

// ColumnOf reads a database/sql column type: whether it is exact numeric
// and its declared scale.
func ColumnOf(ct *sql.ColumnType) Column {
	return DecimalColumn(ct.DatabaseTypeName(), ct.DecimalSize)
}

// DecimalColumn says whether typeName is an exact numeric type and with
// what scale: from size (a ColumnType.DecimalSize; may be nil) when it
// reports a believable one, else from parameters in the name
// ("DECIMAL(18,2)"), else 4 for MONEY, else unknown (-1).
func DecimalColumn(typeName string, size func() (precision, scale int64, ok bool)) Column {
	name := strings.ToUpper(strings.TrimSpace(typeName))
	base, params, _ := strings.Cut(name, "(")
	base = strings.TrimSpace(base)
	if !decimalTypes[base] {
		return Column{Scale: -1}
	}
	c := Column{Decimal: true, Scale: -1}
	if size != nil {
		if p, s, ok := size(); ok && s >= 0 && s <= maxDecimalScale && p >= s && p <= maxDecimalScale {
			c.Scale = int(s)
			return c
		}
	}
	if params != "" {
		ps := strings.Split(strings.TrimSuffix(strings.TrimSpace(params), ")"), ",")
		if len(ps) == 2 {
			if s, err := strconv.Atoi(strings.TrimSpace(ps[1])); err == nil && s >= 0 && s <= maxDecimalScale {
				c.Scale = s
				return c
			}
		} else if len(ps) == 1 {
			if _, err := strconv.Atoi(strings.TrimSpace(ps[0])); err == nil {
				c.Scale = 0 // DECIMAL(p) is DECIMAL(p,0)
				return c
			}
		}
	}
	if base == "MONEY" || base == "SMALLMONEY" {
		c.Scale = 4
	}
	return c
}

// NormalizeAs turns a driver value of a column into a JSON-friendly one:
// a value of an exact numeric column becomes exact decimal text with the
// column's scale (DecimalText); anything else goes through Normalize.
func NormalizeAs(v any, c Column) any {
	if c.Decimal && v != nil {
		if s, ok := DecimalText(v, c.Scale); ok {
			return s
		}
	}
	return Normalize(v)
}

// DecimalText writes a number read from an exact numeric column as plain
// decimal text with at least scale decimals (scale < 0: as many as the
// value is written with, or the fewest that hold it exactly). ok is false
// when v is not a finite number (PostgreSQL's 'NaN', a MONEY text with a
// currency sign, NULL): the caller keeps v as Normalize writes it.
//
// Text, integers, big.Int, shopspring decimals and scaled decimals
// (DuckDB) are exact. A *big.Rat is exact when its decimal expansion ends
// (always, for BigQuery's NUMERIC and BIGNUMERIC); one that does not is
// rounded at 38 decimals. A *big.Float (gosnowflake's higher precision:
// the unscaled integer divided by 10^scale in at least 64 bits) is written
// rounded at the column's scale, which recovers the exact value. A float64
// from a decimal column (a driver that converted the exact value to the
// nearest double) is rounded at the column's scale while that is exact
// (|v| × 10^scale < 2^53), else written with its shortest representation.
func DecimalText(v any, scale int) (string, bool) {
	d, ok := exactDecimal(v, scale)
	if !ok {
		return "", false
	}
	places := 0
	if e := d.Exponent(); e < 0 {
		places = int(-e)
	}
	if scale > places {
		places = scale
	}
	return d.StringFixed(int32(places)), true
}

// exactDecimal reads v as a shopspring decimal whose exponent says how
// many decimals it is written with.
func exactDecimal(v any, scale int) (decimal.Decimal, bool) {
	switch x := v.(type) {
	case nil:
		return decimal.Decimal{}, false
	case string:
		return parseDecimal(x)
	case []byte:
		return parseDecimal(string(x))
	case decimal.Decimal:
		return x, true
	case *decimal.Decimal:
		if x == nil {
			return decimal.Decimal{}, false
		}
		return *x, true
	case int64:
		return decimal.NewFromInt(x), true
	case int32:
		return decimal.NewFromInt(int64(x)), true
	case int16:
		return decimal.NewFromInt(int64(x)), true
	case int8:
		return decimal.NewFromInt(int64(x)), true
	case int:
		return decimal.NewFromInt(int64(x)), true
	case uint8:
		return decimal.NewFromInt(int64(x)), true
	case uint16:
		return decimal.NewFromInt(int64(x)), true
	case uint32:
		return decimal.NewFromInt(int64(x)), true
	case uint64:
		return decimal.NewFromBigInt(new(big.Int).SetUint64(x), 0), true
	case *big.Int:
		if x == nil {
			return decimal.Decimal{}, false
		}
		return decimal.NewFromBigInt(x, 0), true
	case big.Int:
		return decimal.NewFromBigInt(&x, 0), true
	case *big.Rat:
		if x == nil {
			return decimal.Decimal{}, false
		}
		return ratDecimal(x, scale), true
	case big.Rat:
		return ratDecimal(&x, scale), true
	case *big.Float:
		if x == nil {
			return decimal.Decimal{}, false
		}
		return floatDecimal(x, scale)
	case big.Float:
		return floatDecimal(&x, scale)
	case float64:
		return float64Decimal(x, scale)
	case float32:
		// The decimal a float32 stands for is its shortest text.
		return parseDecimal(strconv.FormatFloat(float64(x), 'g', -1, 32))
	}
	if u, s, ok := unscaled(v); ok {
		return decimal.NewFromBigInt(u, -int32(s)), true
	}
	if st, ok := v.(fmt.Stringer); ok {
		return parseDecimal(st.String())
	}
	return decimal.Decimal{}, false
}

// parseDecimal reads decimal text ("-12.50", "1E-7", "+3"); NaN, Infinity
// and anything else that is not a finite decimal is not ok.
func parseDecimal(s string) (decimal.Decimal, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, false
	}
	return d, true
}

// ratDecimal writes a rational exactly: at scale when that holds it, else
// with the fewest decimals that do (its reduced denominator is 2^a·5^b:
// max(a, b) decimals), else rounded at 38 decimals (BIGNUMERIC's scale).
func ratDecimal(r *big.Rat, scale int) decimal.Decimal {
	places := -1
	if !r.IsInt() {
		den := new(big.Int).Set(r.Denom())
		twos, fives := 0, 0
		two, five, zero := big.NewInt(2), big.NewInt(5), new(big.Int)
		q, m := new(big.Int), new(big.Int)
		for {
			q.QuoRem(den, two, m)
			if m.Cmp(zero) != 0 {
				break
			}
			den.Set(q)
			twos++
		}
		for {
			q.QuoRem(den, five, m)
			if m.Cmp(zero) != 0 {
				break
			}
			den.Set(q)
			fives++
		}
		if den.IsInt64() && den.Int64() == 1 {
			places = max(twos, fives)
		} else {
			places = 38
		}
	} else {
		places = 0
	}
	places = max(places, scale, 0)
	return decimal.NewFromBigRat(r, int32(places))
}

// floatDecimal writes a big.Float rounded at scale, or when the scale is
// unknown with the fewest digits that identify it at its precision.
func floatDecimal(f *big.Float, scale int) (decimal.Decimal, bool) {
	if f.IsInf() {
		return decimal.Decimal{}, false
	}
	if scale >= 0 {
		return parseDecimal(f.Text('f', scale))
	}
	return parseDecimal(f.Text('f', -1))
}

// float64Decimal writes a double read from a decimal column: rounded at
// the column's scale while the double still tells every digit apart
// (|f| × 10^scale < 2^53), else its shortest text.
func float64Decimal(f float64, scale int) (decimal.Decimal, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return decimal.Decimal{}, false
	}
	if scale >= 0 && scale <= 22 && math.Abs(f)*math.Pow10(scale) < 1<<53 {
		return decimal.NewFromFloatWithExponent(f, -int32(scale)), true
	}
	return decimal.NewFromFloat(f), true
}

// unscaled reads a driver decimal that carries an unscaled big.Int Value
// and a Scale (DuckDB's Decimal).
func unscaled(v any) (*big.Int, int, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Struct {
		return nil, 0, false
	}
	sf, vf := rv.FieldByName("Scale"), rv.FieldByName("Value")
	if !sf.IsValid() || !vf.IsValid() || !sf.CanUint() || !vf.CanInterface() {
		return nil, 0, false
	}
	bi, ok := vf.Interface().(*big.Int)
	if !ok || bi == nil {
		return nil, 0, false
	}
	return bi, int(sf.Uint()), true
}

// ExactDecimal reads a number of any driver's Go type (decimal text,
// integers, big numbers, DuckDB's Decimal, doubles at their shortest
// text) as an exact decimal: for readers of query results (the analytics
// answers) that must not go through float64 where the driver gave more.
func ExactDecimal(v any) (decimal.Decimal, bool) { return exactDecimal(v, -1) }
