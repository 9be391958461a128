package dialect

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/testenv"
)

func TestParseColumnType(t *testing.T) {
	cases := map[string]ColumnType{
		"INTEGER":                        {Kind: NormInt},
		"bigint":                         {Kind: NormInt},
		"int(11)":                        {Kind: NormInt},
		"DECIMAL(18,2)":                  {Kind: NormDecimal, Scale: 2},
		"numeric(18, 4)":                 {Kind: NormDecimal, Scale: 4},
		"decimal(10,0) unsigned":         {Kind: NormDecimal, Scale: 0},
		"DOUBLE":                         {Kind: NormFloat},
		"double precision":               {Kind: NormFloat},
		"tinyint(1)":                     {Kind: NormBool},
		"BOOLEAN":                        {Kind: NormBool},
		"VARCHAR":                        {Kind: NormText},
		"character varying(20)":          {Kind: NormText},
		"DATE":                           {Kind: NormDate},
		"TIMESTAMP":                      {Kind: NormTimestamp, TimePrecision: 6},
		"TIMESTAMP_MS":                   {Kind: NormTimestamp, TimePrecision: 3},
		"TIMESTAMP_S":                    {Kind: NormTimestamp, TimePrecision: 0},
		"TIMESTAMP WITH TIME ZONE":       {Kind: NormTimestamp, TimePrecision: 6, Zoned: true},
		"timestamp(3) without time zone": {Kind: NormTimestamp, TimePrecision: 3},
		"timestamp with time zone":       {Kind: NormTimestamp, TimePrecision: 6, Zoned: true},
		"datetime":                       {Kind: NormTimestamp, TimePrecision: 0},
		"datetime(3)":                    {Kind: NormTimestamp, TimePrecision: 3},
	}
	for in, want := range cases {
		if got := ParseColumnType(in); got != want {
			t.Errorf("ParseColumnType(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestCompareForms(t *testing.T) {
	o := NormOptions{}
	c := Compare(ColumnType{Kind: NormInt}, ColumnType{Kind: NormDecimal, Scale: 2}, o)
	if !c.Numeric || c.Scale != 2 {
		t.Errorf("int vs decimal(2): %+v", c)
	}
	c = Compare(ColumnType{Kind: NormDecimal, Scale: 4}, ColumnType{Kind: NormFloat}, o)
	if !c.Numeric || c.Scale != 4 {
		t.Errorf("decimal(4) vs double: %+v", c)
	}
	c = Compare(ColumnType{Kind: NormFloat}, ColumnType{Kind: NormFloat}, NormOptions{FloatScale: 9})
	if !c.Numeric || c.Scale != 9 {
		t.Errorf("double vs double at 9: %+v", c)
	}
	c = Compare(ColumnType{Kind: NormInt}, ColumnType{Kind: NormText}, o)
	if !c.Numeric || c.Scale != DefaultFloatScale {
		t.Errorf("int vs text: %+v", c)
	}
	c = Compare(ColumnType{Kind: NormText}, ColumnType{Kind: NormText}, o)
	if c.Numeric || c.Time || c.Bool || !c.Identity() {
		t.Errorf("text vs text: %+v", c)
	}
	c = Compare(ColumnType{Kind: NormTimestamp, TimePrecision: 6}, ColumnType{Kind: NormTimestamp, TimePrecision: 3, Zoned: true}, o)
	if !c.Time || c.TimePrecision != 3 {
		t.Errorf("ts6 vs tstz3: %+v", c)
	}
}

// normEngine is one engine the normalised forms are checked on: the DDL
// of a table whose columns hold the same values in different types.
type normEngine struct {
	d      string
	cfg    connector.Config
	schema string
	ddl    string
	insert string
}

const normCols = "i, d2, d4, f, t, z, dz, f2, d2b, ts6, ts3, tz, b, s1, s2, dt, neg"

func normEngines(t *testing.T) []normEngine {
	vals := func(tz string) string {
		return "5, 5.00, 5.0040, 5.004, '5.00', -0.0, 0, 1.005, 1.01, '2024-03-01 10:00:00.123456', '2024-03-01 10:00:00.123', " +
			tz + ", TRUE, 'abc  ', 'ABC', '2024-03-01', -0.004"
	}
	out := []normEngine{{
		d: DuckDB, cfg: connector.Config{Type: "duckdb"}, schema: "main",
		ddl: "CREATE TABLE %s (i INTEGER, d2 DECIMAL(18,2), d4 DECIMAL(18,4), f DOUBLE, t VARCHAR, z DOUBLE, dz DECIMAL(18,2), " +
			"f2 DOUBLE, d2b DECIMAL(18,2), ts6 TIMESTAMP, ts3 TIMESTAMP_MS, tz TIMESTAMPTZ, b BOOLEAN, s1 VARCHAR, s2 VARCHAR, dt DATE, neg DOUBLE)",
		insert: "INSERT INTO %s (" + normCols + ") VALUES (" + vals("'2024-03-01 12:00:00.123456+02'") + ")",
	}}
	if testenv.Need(t, testenv.PostgresURL, "PostgreSQL") != "" {
		out = append(out, normEngine{
			d: Postgres, cfg: connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"}, schema: "public",
			ddl: "CREATE TABLE %s (i INTEGER, d2 NUMERIC(18,2), d4 NUMERIC(18,4), f DOUBLE PRECISION, t TEXT, z DOUBLE PRECISION, dz NUMERIC(18,2), " +
				"f2 DOUBLE PRECISION, d2b NUMERIC(18,2), ts6 TIMESTAMP(6), ts3 TIMESTAMP(3), tz TIMESTAMPTZ, b BOOLEAN, s1 TEXT, s2 TEXT, dt DATE, neg DOUBLE PRECISION)",
			insert: "INSERT INTO %s (" + normCols + ") VALUES (" + vals("'2024-03-01 12:00:00.123456+02'") + ")",
		})
	}
	if testenv.Need(t, testenv.MySQLURL, "MariaDB/MySQL") != "" {
		out = append(out, normEngine{
			d: MySQL, cfg: connector.Config{Type: "mysql", DSN: "${" + testenv.MySQLURL + "}"},
			ddl: "CREATE TABLE %s (i INT, d2 DECIMAL(18,2), d4 DECIMAL(18,4), f DOUBLE, t TEXT, z DOUBLE, dz DECIMAL(18,2), " +
				"f2 DOUBLE, d2b DECIMAL(18,2), ts6 DATETIME(6), ts3 DATETIME(3), tz DATETIME(6), b BOOLEAN, s1 TEXT, s2 TEXT, dt DATE, neg DOUBLE)",
			// MariaDB has no zoned timestamp type: tz holds the UTC time.
			insert: "INSERT INTO %s (" + normCols + ") VALUES (" + vals("'2024-03-01 10:00:00.123456'") + ")",
		})
	}
	return out
}

// TestNormaliseEngines: the same values stored in different types on
// DuckDB, PostgreSQL and MariaDB normalise to the same text, on every
// engine; values that differ do not; hashes computed in the engines equal
// the Go computation.
func TestNormaliseEngines(t *testing.T) {
	pairs := []struct {
		l, r  string
		opts  NormOptions
		want  string // the normalised text of both sides
		wantR string // when the right side differs
	}{
		{l: "i", r: "d2", want: "5.00"},
		{l: "d2", r: "d4", want: "5.00"},
		{l: "d4", r: "f", want: "5.0040"},
		{l: "i", r: "t", want: "5.000000"},
		{l: "t", r: "d2", want: "5.00"},
		{l: "z", r: "dz", want: "0.00"},
		{l: "neg", r: "dz", want: "0.00"},
		{l: "f2", r: "d2b", want: "1.01"},
		{l: "i", r: "f", want: "5.000000", wantR: "5.004000"},
		{l: "d2", r: "f", want: "5.00"},
		{l: "ts6", r: "ts3", want: "2024-03-01 10:00:00.123"},
		{l: "ts6", r: "tz", want: "2024-03-01 10:00:00.123456"},
		{l: "dt", r: "ts6", want: "2024-03-01 00:00:00", wantR: "2024-03-01 10:00:00"},
		{l: "b", r: "b", want: "1"},
		{l: "b", r: "i", want: "1", wantR: "5"},
		{l: "s1", r: "s2", opts: NormOptions{Trim: true, FoldCase: true}, want: "abc"},
		{l: "s1", r: "s2", want: "abc  ", wantR: "ABC"},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	texts := []string{"abc", "", "Zürich GmbH", "x" + FieldSep + "y"}
	// Keys around the sign and the modulus, and the extremes of BIGINT.
	segKeys := []int64{0, 1, -1, 7, -7, 1000, 2147483646, 2147483647, 2147483648, -2147483648, 9223372036854775807, -9223372036854775807}
	for _, e := range normEngines(t) {
		t.Run(e.d, func(t *testing.T) {
			conn, err := connector.Open(ctx, "norm-test", e.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			table := fmt.Sprintf("norm_%d", rand.New(rand.NewSource(time.Now().UnixNano())).Int63()%1_000_000_000)
			if _, err := conn.Exec(ctx, fmt.Sprintf(e.ddl, table)); err != nil {
				t.Fatal(err)
			}
			defer conn.Exec(context.Background(), "DROP TABLE "+table) //nolint:errcheck
			if _, err := conn.Exec(ctx, fmt.Sprintf(e.insert, table)); err != nil {
				t.Fatal(err)
			}
			detail, err := conn.Describe(ctx, e.schema, table)
			if err != nil {
				t.Fatal(err)
			}
			types := map[string]ColumnType{}
			for _, c := range detail.Columns {
				types[strings.ToLower(c.Name)] = ParseColumnType(c.Type)
			}
			if e.d == MySQL {
				types["tz"] = ColumnType{Kind: NormTimestamp, TimePrecision: 6}
			}
			var items []SelectItem
			for i, p := range pairs {
				c := Compare(types[p.l], types[p.r], p.opts)
				l, err := c.Normalise(e.d, types[p.l], C(p.l))
				if err != nil {
					t.Fatalf("%s/%s: %v", p.l, p.r, err)
				}
				r, err := c.Normalise(e.d, types[p.r], C(p.r))
				if err != nil {
					t.Fatalf("%s/%s: %v", p.l, p.r, err)
				}
				items = append(items, As(l, "l"+strconv.Itoa(i)), As(r, "r"+strconv.Itoa(i)))
			}
			for i, s := range texts {
				hn, err := HashNumber(e.d, F("MD5", S(s)))
				if err != nil {
					t.Fatal(err)
				}
				items = append(items, As(hn, "h"+strconv.Itoa(i)))
			}
			for i, k := range segKeys {
				seg, err := IntSegment(e.d, I(k))
				if err != nil {
					t.Fatal(err)
				}
				items = append(items, As(seg, "k"+strconv.Itoa(i)))
			}
			for i, s := range texts {
				h, err := HashHex(e.d, S(s))
				if err != nil {
					t.Fatal(err)
				}
				items = append(items, As(h, "x"+strconv.Itoa(i)))
			}
			sql, err := Render(e.d, &QueryStmt{Query: &Select{Columns: items, From: Table{Name: N(table)}}})
			if err != nil {
				t.Fatal(err)
			}
			res, err := conn.Query(ctx, sql, connector.QueryOptions{MaxRows: 10})
			if err != nil {
				t.Fatalf("%v\n%s", err, sql)
			}
			row := res.Rows[0]
			for i, p := range pairs {
				l, r := fmt.Sprint(row[2*i]), fmt.Sprint(row[2*i+1])
				wantR := p.want
				if p.wantR != "" {
					wantR = p.wantR
				}
				if l != p.want || r != wantR {
					t.Errorf("%s (%s) vs %s (%s): got %q, %q; want %q, %q", p.l, types[p.l].Kind, p.r, types[p.r].Kind, l, r, p.want, wantR)
				}
			}
			off := 2 * len(pairs)
			for i, s := range texts {
				sum := md5.Sum([]byte(s))
				hx := hex.EncodeToString(sum[:])
				want := goHashNumber(hx)
				if got := fmt.Sprint(row[off+i]); got != strconv.FormatInt(want, 10) {
					t.Errorf("HashNumber(%q) = %s, want %d", s, got, want)
				}
				if got := fmt.Sprint(row[off+len(texts)+len(segKeys)+i]); got != hx {
					t.Errorf("HashHex(%q) = %s, want %s", s, got, hx)
				}
			}
			for i, k := range segKeys {
				if got, want := fmt.Sprint(row[off+len(texts)+i]), strconv.FormatInt(GoIntSegment(k), 10); got != want {
					t.Errorf("IntSegment(%d) = %s, want %s (Go)", k, got, want)
				}
			}
		})
	}
}

// goHashNumber is HashNumber in Go, the oracle of the engines' values.
func goHashNumber(hx string) int64 {
	n, err := strconv.ParseInt(hx[:HashDigits], 16, 64)
	if err != nil {
		panic(err)
	}
	return n
}
