package sqldb

import (
	"math"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
)

func size(p, s int64, ok bool) func() (int64, int64, bool) {
	return func() (int64, int64, bool) { return p, s, ok }
}

func TestDecimalColumn(t *testing.T) {
	cases := []struct {
		name string
		size func() (int64, int64, bool)
		want Column
	}{
		{"NUMERIC", size(18, 2, true), Column{true, 2}},                 // pgx, numeric(18,2)
		{"NUMERIC", size(65535, 65531, true), Column{true, -1}},         // pgx, numeric without typmod (SUM)
		{"DECIMAL", size(40, 2, true), Column{true, 2}},                 // MySQL SUM(DECIMAL(18,2))
		{"DECIMAL(18,2)", size(0, 0, false), Column{true, 2}},           // DuckDB
		{"DECIMAL(38, 10)", nil, Column{true, 10}},                      // DuckDB, spaced
		{"decimal(9)", nil, Column{true, 0}},                            // DECIMAL(p)
		{"FIXED", size(38, 0, true), Column{true, 0}},                   // gosnowflake NUMBER(38,0)
		{"FIXED", size(18, 2, true), Column{true, 2}},                   // gosnowflake NUMBER(18,2)
		{"MONEY", size(0, 0, false), Column{true, 4}},                   // go-mssqldb
		{"SMALLMONEY", nil, Column{true, 4}},                            // go-mssqldb
		{"DECIMAL", size(0, 0, false), Column{true, -1}},                // databricks-sql-go
		{"BIGNUMERIC", nil, Column{true, -1}},                           // BigQuery
		{"DECFLOAT", size(0, 0, false), Column{true, -1}},               // Snowflake DECFLOAT
		{"REAL", size(0, 0, false), Column{false, -1}},                  // gosnowflake FLOAT
		{"DOUBLE", nil, Column{false, -1}},                              // DuckDB
		{"FLOAT8", nil, Column{false, -1}},                              // pgx
		{"INT8", nil, Column{false, -1}},                                // pgx
		{"VARCHAR", size(0, 0, false), Column{false, -1}},               //
		{"NUMERIC", size(10, 20, true), Column{true, -1}},               // nonsense size ignored
		{"NUMBER", size(0, 0, false), Column{Decimal: true, Scale: -1}}, //
	}
	for _, c := range cases {
		if got := DecimalColumn(c.name, c.size); got != c.want {
			t.Errorf("DecimalColumn(%q) = %+v, want %+v", c.name, got, c.want)
		}
	}
}

// snowflakeIntToBigFloat is gosnowflake's intToBigFloat (converter.go):
// NUMBER(p,s) with p ≤ 18 under WithHigherPrecision, from arrow results.
func snowflakeIntToBigFloat(val int64, scale int64) *big.Float {
	f := new(big.Float).SetInt64(val)
	s := new(big.Float).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(scale), nil))
	return new(big.Float).Quo(f, s)
}

// snowflakeDecimalToBigFloat is gosnowflake's decimalToBigFloat, from a
// 128-bit unscaled value.
func snowflakeDecimalToBigFloat(unscaled *big.Int, scale int64) *big.Float {
	f := new(big.Float).SetInt(unscaled)
	s := new(big.Float).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(scale), nil))
	return new(big.Float).Quo(f, s)
}

func bigInt(s string) *big.Int {
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return b
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

// TestDecimalText feeds the conversion the Go values each driver returns
// for DECIMAL/NUMERIC/NUMBER columns (types as read in the drivers'
// sources, see the table in decimal.go).
func TestDecimalText(t *testing.T) {
	bigFloat, _, _ := big.ParseFloat("37667383.83", 10, 127, big.AwayFromZero)
	cases := []struct {
		what  string
		in    any
		scale int
		want  string
	}{
		// DuckDB: Decimal{Width, Scale, Value}.
		{"duckdb", fakeDecimal{38, 2, big.NewInt(3766738383)}, 2, "37667383.83"},
		{"duckdb zero", fakeDecimal{18, 2, big.NewInt(0)}, 2, "0.00"},
		{"duckdb negative", fakeDecimal{18, 2, big.NewInt(-5)}, 2, "-0.05"},
		// pgx: the numeric's text; a SUM has no typmod.
		{"pgx", "37667383.83", -1, "37667383.83"},
		{"pgx typmod", "10.5", 2, "10.50"},
		{"pgx trailing zeros kept", "10.00", -1, "10.00"},
		{"pgx big", "123456789012345678901234567890.12", -1, "123456789012345678901234567890.12"},
		// MySQL / MariaDB and go-mssqldb: []byte text.
		{"mysql", []byte("37667383.83"), 2, "37667383.83"},
		{"mssql negative", []byte("-0.05"), 2, "-0.05"},
		{"mssql money", []byte("12.3400"), 4, "12.3400"},
		// Databricks: the server's text (Java's BigDecimal may use an exponent).
		{"databricks", "123.45", -1, "123.45"},
		{"databricks exponent", "1E-7", -1, "0.0000001"},
		{"databricks exponent scale", "1.5E+3", 2, "1500.00"},
		// Databricks with arrow-native decimals (never turned on): float64.
		{"databricks native", 0.1 + 0.2, 2, "0.30"},
		// gosnowflake without higher precision: text.
		{"snowflake text", "0.10", 2, "0.10"},
		// gosnowflake with higher precision.
		{"snowflake int arrow", snowflakeIntToBigFloat(3766738383, 2), 2, "37667383.83"},
		{"snowflake int arrow max", snowflakeIntToBigFloat(math.MaxInt64, 2), 2, "92233720368547758.07"},
		{"snowflake int arrow min", snowflakeIntToBigFloat(math.MinInt64+1, 4), 4, "-922337203685477.5807"},
		{"snowflake dec128 arrow", snowflakeDecimalToBigFloat(bigInt("12345678901234567890123456789012345678"), 2), 2, "123456789012345678901234567890123456.78"},
		{"snowflake json", bigFloat, 2, "37667383.83"},
		{"snowflake big.Float value", *bigFloat, 2, "37667383.83"},
		{"snowflake int", int64(42), 0, "42"},
		{"snowflake big int", bigInt("99999999999999999999999999999999999999"), 0, "99999999999999999999999999999999999999"},
		{"snowflake big.Int value", *bigInt("12"), 0, "12"},
		// BigQuery: *big.Rat.
		{"bigquery numeric", big.NewRat(3766738383, 100), -1, "37667383.83"},
		{"bigquery numeric scale", big.NewRat(1, 10), 2, "0.10"},
		{"bigquery integer", big.NewRat(10, 1), -1, "10"},
		{"bigquery bignumeric", rat("0.00000000000000000000000000000000000001"), -1, "0.00000000000000000000000000000000000001"},
		{"bigquery negative", rat("-12.5"), 9, "-12.500000000"},
		{"non-terminating", big.NewRat(1, 3), -1, "0.33333333333333333333333333333333333333"},
		// shopspring.
		{"shopspring", decimal.RequireFromString("1.50"), -1, "1.50"},
		// A float64 from a decimal column: rounded at the scale while exact.
		{"float scale", 37667383.82999978, 2, "37667383.83"},
		{"float no scale", 0.1, -1, "0.1"},
		{"float too big for the scale", 1e20, 2, "100000000000000000000.00"},
	}
	for _, c := range cases {
		got, ok := DecimalText(c.in, c.scale)
		if !ok || got != c.want {
			t.Errorf("%s: DecimalText(%#v, %d) = %q, %v; want %q", c.what, c.in, c.scale, got, ok, c.want)
		}
	}
	for _, bad := range []any{nil, "NaN", "Infinity", "$1,234.00", math.NaN(), math.Inf(1), new(big.Float).SetInf(false), true} {
		if got, ok := DecimalText(bad, 2); ok {
			t.Errorf("DecimalText(%#v) = %q, want not ok", bad, got)
		}
	}
}

func TestNormalizeAs(t *testing.T) {
	dec := Column{Decimal: true, Scale: 2}
	if got := NormalizeAs(0.1+0.2, dec); got != "0.30" {
		t.Errorf("decimal float = %#v", got)
	}
	if got := NormalizeAs("NaN", Column{Decimal: true, Scale: -1}); got != "NaN" {
		t.Errorf("NaN = %#v", got)
	}
	if got := NormalizeAs(nil, dec); got != nil {
		t.Errorf("NULL = %#v", got)
	}
	// Not a decimal column: a float stays a float (a statistic).
	if got := NormalizeAs(0.5, Column{Scale: -1}); got != 0.5 {
		t.Errorf("double = %#v", got)
	}
	if got := NormalizeAs(int64(3), Column{Scale: -1}); got != int64(3) {
		t.Errorf("integer = %#v", got)
	}
	// Exact types are exact whatever the column says.
	if got := Normalize(big.NewRat(1234, 100)); got != "12.34" {
		t.Errorf("big.Rat = %#v", got)
	}
	if got := Normalize(*big.NewInt(7)); got != "7" {
		t.Errorf("big.Int value = %#v", got)
	}
	if got := Normalize(snowflakeIntToBigFloat(10, 1)); got != "1" {
		t.Errorf("big.Float = %#v", got)
	}
}
