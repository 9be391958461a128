package semantic_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/semantic/semantictest"
)

// TestProfilePatterns profiles a table whose text columns hold dates,
// timestamps, emails, amounts, booleans, codes, UUIDs, integers, free
// text and categories, on every engine, and expects the same numbers,
// patterns and classes everywhere.
func TestProfilePatterns(t *testing.T) {
	cols := []struct{ name, typ string }{
		{"id", "INTEGER"}, {"email", "VARCHAR(60)"}, {"signup", "VARCHAR(10)"}, {"seen_at", "VARCHAR(20)"},
		{"amount_txt", "VARCHAR(20)"}, {"active", "VARCHAR(5)"}, {"acct_code", "VARCHAR(12)"}, {"ref_uuid", "VARCHAR(36)"},
		{"qty_txt", "VARCHAR(10)"}, {"note", "VARCHAR(200)"}, {"country", "VARCHAR(20)"}, {"score", "DOUBLE PRECISION"},
		{"created", "DATE"}, {"maybe", "INTEGER"},
	}
	countries := []string{"DE", "DE", "DE", "FR", "FR", "US"}
	notes := []string{"please call back after lunch", "customer asked for a refund", "shipped with the wrong label", "paid in two instalments"}
	var rows [][]any
	for i := 1; i <= 120; i++ {
		var maybe any
		if i%4 != 0 {
			maybe = i % 7
		}
		rows = append(rows, []any{
			i,
			fmt.Sprintf("user%d@example.com", i),
			fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28),
			fmt.Sprintf("2024-03-%02d 10:%02d:00", 1+i%28, i%60),
			fmt.Sprintf("%d,%03d.%02d", i, i*7%1000, i%100),
			[]string{"true", "false"}[i%2],
			fmt.Sprintf("ACC-%04d", 1000+i),
			fmt.Sprintf("%08x-0000-4000-8000-%012x", i*2654435761%4294967296, i),
			fmt.Sprint(i * 3),
			notes[i%len(notes)] + fmt.Sprintf(" on day %d", i),
			countries[i%len(countries)],
			float64(i) / 8,
			fmt.Sprintf("2023-%02d-%02d", 1+i%12, 1+i%28),
			maybe,
		})
	}
	for _, engine := range semantictest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			c, schema := semantictest.Open(t, engine)
			d := c.Dialect()
			var defs, names []string
			for _, col := range cols {
				defs = append(defs, dialect.QuoteIdent(d, col.name)+" "+col.typ)
				names = append(names, dialect.QuoteIdent(d, col.name))
			}
			table := dialect.QuoteIdent(d, "people")
			if schema != "" {
				table = dialect.QuoteIdent(d, schema) + "." + table
			}
			if _, err := c.Exec(ctx, "CREATE TABLE "+table+" ("+strings.Join(defs, ", ")+")"); err != nil {
				t.Fatal(err)
			}
			if err := semantictest.Insert(ctx, c, table, names, rows); err != nil {
				t.Fatal(err)
			}
			tp, err := semantic.ProfileTable(ctx, c, schema, "people", semantic.Options{TopValues: 3})
			if err != nil {
				t.Fatal(err)
			}
			if tp.Rows != 120 || tp.Sampled != 0 || len(tp.Columns) != len(cols) {
				t.Fatalf("rows %d sampled %d columns %d", tp.Rows, tp.Sampled, len(tp.Columns))
			}
			want := map[string]struct {
				pattern, class    string
				numeric, temporal bool
			}{
				"id":         {"integer", "identifier", true, false},
				"email":      {"email", "identifier", false, false},
				"signup":     {"date", "temporal", false, true},
				"seen_at":    {"timestamp", "temporal", false, true},
				"amount_txt": {"amount", "numeric", true, false},
				"active":     {"boolean", "boolean", false, false},
				"acct_code":  {"code", "identifier", false, false},
				"ref_uuid":   {"identifier", "identifier", false, false},
				"qty_txt":    {"integer", "identifier", true, false},
				"note":       {"text", "free_text", false, false},
				"country":    {"code", "categorical", false, false},
				"score":      {"amount", "numeric", true, false},
				"created":    {"date", "temporal", false, true},
				"maybe":      {"integer", "categorical", true, false},
			}
			for _, cp := range tp.Columns {
				w := want[cp.Name]
				if cp.Pattern != w.pattern || cp.Class != w.class || cp.Numeric != w.numeric || cp.Temporal != w.temporal {
					t.Errorf("%s (%s): pattern %q (%.2f) class %q numeric %v temporal %v; want %q %q %v %v",
						cp.Name, cp.Type, cp.Pattern, cp.PatternShare, cp.Class, cp.Numeric, cp.Temporal, w.pattern, w.class, w.numeric, w.temporal)
				}
			}
			id := tp.Column("id")
			if id.Rows != 120 || id.Nulls != 0 || id.Distinct != 120 || id.Min != "1" || id.Max != "120" || id.MinLength != 1 || id.MaxLength != 3 {
				t.Errorf("id: %+v", *id)
			}
			if len(id.Top) != 0 {
				t.Errorf("id: top values of a unique column: %v", id.Top)
			}
			maybe := tp.Column("maybe")
			if maybe.Nulls != 30 || maybe.Distinct != 7 || maybe.Min != "0" || maybe.Max != "6" {
				t.Errorf("maybe: %+v", *maybe)
			}
			country := tp.Column("country")
			if len(country.Top) != 3 || country.Top[0] != (semantic.TopValue{Value: "DE", Count: 60}) || country.Top[1] != (semantic.TopValue{Value: "FR", Count: 40}) {
				t.Errorf("country top: %v", country.Top)
			}
			created := tp.Column("created")
			if !strings.HasPrefix(created.Min, "2023-01-01") || created.MinLength != 10 {
				t.Errorf("created: min %q length %d", created.Min, created.MinLength)
			}
			email := tp.Column("email")
			if email.MinLength != len("user1@example.com") || email.MaxLength != len("user120@example.com") || email.AvgLength <= 17 {
				t.Errorf("email lengths %d..%d avg %.2f", email.MinLength, email.MaxLength, email.AvgLength)
			}

			// Sampled: about 60 of 120 rows.
			sp, err := semantic.ProfileTable(ctx, c, schema, "people", semantic.Options{SampleRows: 60})
			if err != nil {
				t.Fatal(err)
			}
			if sp.Rows != 120 || sp.Sampled <= 0 || sp.Sampled >= 120 {
				t.Errorf("sampled profile: rows %d sampled %d", sp.Rows, sp.Sampled)
			}
			if e := sp.Column("email"); e.Pattern != "email" || e.Rows != sp.Sampled {
				t.Errorf("sampled email: %+v", *e)
			}
			ks, err := semantic.FindKeys(ctx, c, sp, semantic.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ks) == 0 || ks[0].Columns[0] != "id" {
				t.Errorf("keys on the sampled profile: %+v", ks)
			}
		})
	}
}
