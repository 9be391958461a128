package semantic

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/duckdb"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/testenv"
)

// scdCase is one table for VerifySCD2: rows of (code, valid_from,
// valid_to or "" for NULL, is_current).
type scdCase struct {
	name     string
	rows     [][4]string
	wantType int
	// wantEvidence must appear in the evidence.
	wantEvidence []string
}

var scdCases = []scdCase{
	{
		name: "valid",
		rows: [][4]string{
			{"CC100", "2023-01-01", "2024-09-30", "false"},
			{"CC100", "2024-10-01", "9999-12-31", "true"},
			{"CC200", "2023-01-01", "2024-06-30", "false"},
			{"CC200", "2024-07-01", "2025-03-31", "false"},
			{"CC200", "2025-04-01", "9999-12-31", "true"},
			{"CC300", "2023-01-01", "9999-12-31", "true"},
			{"CC400", "2023-01-01", "2023-12-31", "false"}, // closed: deleted in 2024
		},
		wantType: 2,
		wantEvidence: []string{"7 rows, 4 business keys (code), 2 with more than one version, at most 3 versions",
			"0 overlapping validity intervals", "at most one open version per business key", "1 keys closed", "is_current agrees with valid_to"},
	},
	{
		name: "open_null",
		rows: [][4]string{
			{"A", "2024-01-01", "2024-06-30", "false"},
			{"A", "2024-07-01", "", "true"},
			{"B", "2024-01-01", "", "true"},
		},
		wantType:     2,
		wantEvidence: []string{"3 rows, 2 business keys", "0 overlapping"},
	},
	{
		name: "overlap",
		rows: [][4]string{
			{"CC100", "2023-01-01", "2024-12-31", "false"},
			{"CC100", "2024-10-01", "9999-12-31", "true"}, // starts before the previous ends
			{"CC200", "2023-01-01", "2024-06-30", "false"},
			{"CC200", "2024-05-01", "2024-08-31", "false"}, // overlaps both neighbours
			{"CC200", "2024-08-01", "9999-12-31", "true"},
			{"CC300", "2023-01-01", "9999-12-31", "true"},
		},
		wantType:     1,
		wantEvidence: []string{"3 overlapping validity intervals across 2 business keys"},
	},
	{
		name: "two_open",
		rows: [][4]string{
			{"CC100", "2023-01-01", "9999-12-31", "true"},
			{"CC100", "2024-10-01", "9999-12-31", "true"},
			{"CC200", "2023-01-01", "9999-12-31", "true"},
		},
		wantType:     1,
		wantEvidence: []string{"1 business keys have more than one open version", "1 business keys have more than one row with is_current true"},
	},
	{
		name: "inverted",
		rows: [][4]string{
			{"A", "2024-06-30", "2024-01-01", "false"},
			{"A", "2024-07-01", "9999-12-31", "true"},
		},
		wantType:     1,
		wantEvidence: []string{"1 rows with valid_from after valid_to"},
	},
}

func scdLoad(t *testing.T, c connector.Connector, schema, table string, rows [][4]string) {
	t.Helper()
	ctx := context.Background()
	name := dialect.N(table)
	if schema != "" {
		name = dialect.N(schema, table)
	}
	create, err := dialect.Render(c.Dialect(), &dialect.CreateTable{Name: name, Columns: []dialect.ColumnDef{
		{Name: "code", Type: dialect.Varchar(20), NotNull: true}, {Name: "name", Type: dialect.Text},
		{Name: "valid_from", Type: dialect.Date, NotNull: true}, {Name: "valid_to", Type: dialect.Date}, {Name: "is_current", Type: dialect.Bool},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, create); err != nil {
		t.Fatal(err)
	}
	var vals [][]dialect.Expr
	for i, r := range rows {
		var to dialect.Expr = dialect.Null
		if r[2] != "" {
			to = &dialect.Cast{X: dialect.S(r[2]), Type: dialect.Date}
		}
		vals = append(vals, []dialect.Expr{dialect.S(r[0]), dialect.S(fmt.Sprintf("version %d", i)),
			&dialect.Cast{X: dialect.S(r[1]), Type: dialect.Date}, to, dialect.Lit{Value: r[3] == "true"}})
	}
	ins, err := dialect.Render(c.Dialect(), &dialect.Insert{Table: name, Columns: []string{"code", "name", "valid_from", "valid_to", "is_current"},
		Query: &dialect.Select{Columns: []dialect.SelectItem{{Expr: dialect.Star{}}}, From: &dialect.Values{Columns: []string{"a", "b", "c", "d", "e"}, Rows: vals, Alias: "v"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, ins); err != nil {
		t.Fatalf("%v\n%s", err, ins)
	}
}

func runSCDCases(t *testing.T, c connector.Connector, schema string) {
	ctx := context.Background()
	for _, k := range scdCases {
		t.Run(k.name, func(t *testing.T) {
			table := "scd_" + k.name
			scdLoad(t, c, schema, table, k.rows)
			p := &TableProfile{Name: table, Rows: int64(len(k.rows)), Columns: []ColumnProfile{
				{Name: "code", Type: "VARCHAR"}, {Name: "name", Type: "VARCHAR"}, {Name: "valid_from", Type: "DATE", Temporal: true},
				{Name: "valid_to", Type: "DATE", Temporal: true}, {Name: "is_current", Type: "BOOLEAN"},
			}}
			cand := SCDCandidates(p, []string{"code", "valid_from"})
			if cand == nil {
				t.Fatal("no candidate")
			}
			got, err := VerifySCD2(ctx, c, schema, table, cand)
			if err != nil {
				t.Fatal(err)
			}
			ev := rules(got.Inference)
			if got.Type != k.wantType {
				t.Errorf("type %d, want %d\n%s", got.Type, k.wantType, ev)
			}
			for _, w := range k.wantEvidence {
				if !strings.Contains(ev, w) {
					t.Errorf("evidence lacks %q:\n%s", w, ev)
				}
			}
			if got.Type == 2 && (got.ValidFrom != "valid_from" || got.ValidTo != "valid_to" || got.IsCurrent != "is_current" || got.Confidence < 0.8) {
				t.Errorf("type 2 result %+v", got)
			}
		})
	}
	// Only a current flag (no dates): one current row per key is checked.
	t.Run("flag_only", func(t *testing.T) {
		cand := &SCDCandidate{IsCurrent: "is_current", BusinessKey: []string{"code"}, Strong: true}
		got, err := VerifySCD2(ctx, c, schema, "scd_two_open", cand)
		if err != nil {
			t.Fatal(err)
		}
		if got.Type != 1 || !strings.Contains(rules(got.Inference), "1 business keys have more than one open version (is_current true)") {
			t.Errorf("flag only: %+v", got)
		}
	})
	// A nil candidate is type 1 without a query.
	if got, err := VerifySCD2(ctx, c, schema, "nowhere", nil); err != nil || got.Type != 1 {
		t.Errorf("nil candidate: %+v %v", got, err)
	}
	if _, err := VerifySCD2(ctx, c, schema, "no_such_table", &SCDCandidate{ValidFrom: "a", ValidTo: "b", BusinessKey: []string{"k"}}); err == nil ||
		!strings.Contains(err.Error(), "no_such_table") {
		t.Errorf("missing table: %v", err)
	}
}

func TestVerifySCD2DuckDB(t *testing.T) {
	c, err := connector.Open(context.Background(), "scd", connector.Config{Type: "duckdb"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	runSCDCases(t, c, "")
}

func TestVerifySCD2Postgres(t *testing.T) {
	testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	ctx := context.Background()
	c, err := connector.Open(ctx, "pg", connector.Config{Type: "postgres", DSN: "${" + testenv.PostgresURL + "}"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	schema := fmt.Sprintf("scd_test_%d", rand.Int64N(1<<40))
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+dialect.QuoteIdent(c.Dialect(), schema)); err != nil {
		t.Fatal(err)
	}
	defer c.Exec(ctx, "DROP SCHEMA "+dialect.QuoteIdent(c.Dialect(), schema)+" CASCADE")
	runSCDCases(t, c, schema)
}

// Quoting: business keys and validity columns with awkward names.
func TestVerifySCD2QuotedNames(t *testing.T) {
	ctx := context.Background()
	c, err := connector.Open(ctx, "scd", connector.Config{Type: "duckdb"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Exec(ctx, `CREATE TABLE "Cost Centre ""History""" ("CC Code" VARCHAR, "Valid From" DATE, "Valid To" DATE);
INSERT INTO "Cost Centre ""History""" VALUES ('X', DATE '2024-01-01', DATE '2024-12-31'), ('X', DATE '2025-01-01', NULL)`); err != nil {
		t.Fatal(err)
	}
	got, err := VerifySCD2(ctx, c, "", `Cost Centre "History"`, &SCDCandidate{ValidFrom: "Valid From", ValidTo: "Valid To", BusinessKey: []string{"CC Code"}, Strong: true})
	if err != nil || got.Type != 2 {
		t.Fatalf("%+v %v", got, err)
	}
}

// A policy register (effective and expiry dates, one row per policy,
// some expired, no current flag) holds a term per row, not versions;
// the same numbers under version names (valid_from/valid_to, a current
// flag) stay a history that has not changed yet. (The insurance shape
// of TestShapes builds such a register through DuckDB.)
func TestSCDTermDates(t *testing.T) {
	stats := SCDStats{Rows: 300, BusinessKeys: 300, MaxVersions: 1, ChangedKeys: 0, NoOpenKeys: 180}
	term := &SCDCandidate{ValidFrom: "effective_date", ValidTo: "expiry_date", BusinessKey: []string{"policy_id"}, Strong: true}
	if got := decideSCD(term, stats); got.Type != 1 || !strings.Contains(rules(got.Inference), "the dates are a term") {
		t.Errorf("policy register: %+v", got)
	}
	for _, c := range []*SCDCandidate{
		{ValidFrom: "valid_from", ValidTo: "valid_to", BusinessKey: []string{"code"}, Strong: true},
		{ValidFrom: "effective_date", ValidTo: "expiry_date", IsCurrent: "is_current", BusinessKey: []string{"code"}, Strong: true},
	} {
		if got := decideSCD(c, stats); got.Type != 2 {
			t.Errorf("%s/%s/%s: %+v", c.ValidFrom, c.ValidTo, c.IsCurrent, got)
		}
	}
}
