package dbt

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/warehouse"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixedHierarchy is a small P&L using every rule kind, exclusions,
// precedence, formulas, a label and sign flips.
func fixedHierarchy() *hierarchy.Hierarchy {
	return &hierarchy.Hierarchy{
		ID: "acme_pl", Name: "Acme P&L", Kind: hierarchy.KindIncomeStatement, Version: 3, Status: hierarchy.StatusPublished,
		SourceColumns: []string{"account"},
		Nodes: []*hierarchy.Node{
			{Code: "PL", Name: "Profit and loss", Type: hierarchy.TypeRollup, Sort: 10, FlipSign: true},
			{Code: "REV", Name: "Revenue", Parent: "PL", Type: hierarchy.TypeRollup, Sort: 10, FlipSign: true},
			{Code: "REV_PRODUCT", Name: "Product revenue", Parent: "REV", Type: hierarchy.TypeLeaf, Sort: 10, Rules: []hierarchy.Rule{{Match: hierarchy.MatchRange, From: "4000", To: "4499"}, {Match: hierarchy.MatchExact, Value: "4450", Exclude: true}}},
			{Code: "REV_SERVICE", Name: "Service revenue", Parent: "REV", Type: hierarchy.TypeLeaf, Sort: 20, Rules: []hierarchy.Rule{{Match: hierarchy.MatchPrefix, Value: "45"}, {Match: hierarchy.MatchList, Values: []string{"4450", "4999"}, Precedence: 2}}},
			{Code: "COGS", Name: "Cost of sales", Parent: "PL", Type: hierarchy.TypeLeaf, Sort: 20, Rules: []hierarchy.Rule{{Match: hierarchy.MatchPattern, Value: "5*"}}},
			{Code: "GP", Name: "Gross profit", Parent: "PL", Type: hierarchy.TypeFormula, Sort: 30, Consolidation: hierarchy.ConsolidateIgnore, FlipSign: true, Formula: &hierarchy.Formula{Expression: "REV + COGS"}},
			{Code: "OPEX_HDR", Name: "Operating expenses", Parent: "PL", Type: hierarchy.TypeLabel, Sort: 40},
			{Code: "OPEX", Name: "Opex", Parent: "OPEX_HDR", Type: hierarchy.TypeLeaf, Sort: 10, Rules: []hierarchy.Rule{{Match: hierarchy.MatchRange, From: "6000", To: "7999"}}},
			{Code: "RECHARGES", Name: "Recharges, \"internal\"", Parent: "PL", Type: hierarchy.TypeLeaf, Sort: 50, Consolidation: hierarchy.ConsolidateSubtract, Rules: []hierarchy.Rule{{Match: hierarchy.MatchExact, Value: "0850"}}},
			{Code: "NET", Name: "Net income", Type: hierarchy.TypeFormula, Sort: 20, FlipSign: true, Formula: &hierarchy.Formula{Expression: "GP + OPEX - RECHARGES"}},
			{Code: "GM_PCT", Name: "Gross margin %", Type: hierarchy.TypeFormula, Sort: 30, Formula: &hierarchy.Formula{Expression: "ROUND(GP / REV * 100, 1)", Nulls: hierarchy.NullSkip}},
		},
	}
}

// fixedModel is a two-table approved model: a GL fact and its accounts.
func fixedModel() *model.Model {
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	return &model.Model{Name: "erp", Connection: "erp", Status: model.StatusApproved, ApprovedAt: &at,
		Tables: []*model.Table{
			{Name: "accounts", Role: model.RoleDimension, Entity: model.EntityChartOfAccounts, PrimaryKey: []string{"account_code"},
				Columns: []model.Column{{Name: "account_code", Type: "VARCHAR", Kind: model.KindKey}, {Name: "account_name", Type: "VARCHAR", Kind: model.KindAttribute}}},
			{Name: "gl_lines", Role: model.RoleTransactionFact, Entity: model.EntityTransaction, PrimaryKey: []string{"journal_id", "line_no"},
				Columns: []model.Column{{Name: "journal_id", Type: "BIGINT", Kind: model.KindKey}, {Name: "line_no", Type: "BIGINT", Kind: model.KindKey},
					{Name: "period", Type: "VARCHAR", Kind: model.KindAttribute}, {Name: "account_code", Type: "VARCHAR", Kind: model.KindForeign},
					{Name: "debit", Type: "DECIMAL(18,2)", Kind: model.KindMeasure}, {Name: "credit", Type: "DECIMAL(18,2)", Kind: model.KindMeasure}}},
		},
		Relationships: []model.Relationship{{Name: "gl_lines_accounts", FromTable: "gl_lines", FromColumns: []string{"account_code"}, ToTable: "accounts", ToColumns: []string{"account_code"}, Coverage: 1}},
	}
}

func fixedInput(adapter string) Input {
	h := fixedHierarchy()
	cfg := &warehouse.Config{
		Schema:    "analytics",
		Snowflake: warehouse.SnowflakeOptions{Warehouse: "TRANSFORM_WH", TargetLag: "1 hour", RefreshMode: "AUTO"},
		Model:     "erp",
		Bindings: []warehouse.Binding{
			{Hierarchy: "acme_pl", Source: "FACT_GL_LINES", CodeColumn: "account_code", Values: []string{"AMOUNT"}, GroupBy: []string{"period"}},
			{Hierarchy: "acme_pl", Name: "RAW_PL", Source: "raw.gl_transactions", CodeColumn: "account_code", Values: []string{"amount"}, GroupBy: []string{"period", "entity"}},
		},
	}
	sources := map[string]warehouse.Source{}
	for _, t := range []string{"accounts", "gl_lines"} {
		if adapter == "duckdb" {
			sources[t] = warehouse.Source{File: "data/" + t + ".csv", Format: "csv"}
		} else {
			sources[t] = warehouse.Source{Table: d.Name{Schema: "erp_raw", Name: t}}
		}
	}
	return Input{Adapter: adapter, ProjectName: "acme_finance", Config: cfg, Model: fixedModel(), Sources: sources,
		Hierarchies: map[string]*hierarchy.Hierarchy{h.ID: h}}
}

// TestGoldenProjects generates the fixed design's project per adapter and
// compares every file with testdata/golden/<adapter>/ (go test ./pkg/dbt
// -update rewrites them).
func TestGoldenProjects(t *testing.T) {
	for _, adapter := range []string{"duckdb", "postgres", "snowflake"} {
		t.Run(adapter, func(t *testing.T) {
			p, err := Generate(fixedInput(adapter))
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("testdata", "golden", adapter)
			if *update {
				_ = os.RemoveAll(dir)
				if _, err := p.Write(dir); err != nil {
					t.Fatal(err)
				}
				return
			}
			var want []string
			_ = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					rel, _ := filepath.Rel(dir, path)
					want = append(want, filepath.ToSlash(rel))
				}
				return nil
			})
			if strings.Join(want, "\n") != strings.Join(p.Paths(), "\n") {
				t.Fatalf("files differ from the golden project (run go test ./pkg/dbt -update):\ngot  %v\nwant %v", p.Paths(), want)
			}
			for _, rel := range p.Paths() {
				data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
				if err != nil {
					t.Fatal(err)
				}
				if string(data) != string(p.Files[rel]) {
					t.Errorf("%s/%s differs from the golden file (run go test ./pkg/dbt -update and review the diff)", adapter, rel)
				}
			}
			// A second write changes nothing.
			tmp := t.TempDir()
			if ch, err := p.Write(tmp); err != nil || len(ch) != len(p.Files) {
				t.Fatalf("first write: %d changed, %v", len(ch), err)
			}
			if ch, err := p.Write(tmp); err != nil || len(ch) != 0 {
				t.Fatalf("second write changed %v (%v)", ch, err)
			}
		})
	}
}

func TestGenerateErrors(t *testing.T) {
	in := fixedInput("postgres")
	in.Sources["accounts"] = warehouse.Source{File: "x.csv", Format: "csv"}
	if _, err := Generate(in); err == nil || !strings.Contains(err.Error(), "only the duckdb adapter") {
		t.Fatalf("file source on postgres: %v", err)
	}
	in = fixedInput("duckdb")
	in.Adapter = "oracle"
	if _, err := Generate(in); err == nil {
		t.Fatal("unknown adapter accepted")
	}
}
