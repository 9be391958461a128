package scripts

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/warehouse"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenHierarchy is a small P&L exercising every rule kind, exclusion,
// precedence, - and ~ consolidation, a label and nested formulas with each
// null handling.
func goldenHierarchy() *hierarchy.Hierarchy {
	return &hierarchy.Hierarchy{
		ID: "acme_pl", Name: "Acme P&L", Kind: hierarchy.KindIncomeStatement, Version: 2, Status: hierarchy.StatusPublished,
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
			{Code: "RECHARGES", Name: "Recharges", Parent: "PL", Type: hierarchy.TypeLeaf, Sort: 50, Consolidation: hierarchy.ConsolidateSubtract, Rules: []hierarchy.Rule{{Match: hierarchy.MatchExact, Value: "8500"}}},
			{Code: "NET", Name: "Net income", Type: hierarchy.TypeFormula, Sort: 20, FlipSign: true, Formula: &hierarchy.Formula{Expression: "GP + OPEX - RECHARGES"}},
			{Code: "GM_PCT", Name: "Gross margin %", Type: hierarchy.TypeFormula, Sort: 30, Formula: &hierarchy.Formula{Expression: "ROUND(GP / REV * 100, 1)", Nulls: hierarchy.NullSkip}},
			{Code: "WORST", Name: "Smaller of GP and NET", Type: hierarchy.TypeFormula, Sort: 40, Formula: &hierarchy.Formula{Expression: "MIN(ABS(GP), ABS(NET))", Nulls: hierarchy.NullError}},
		},
	}
}

func goldenConfig() *warehouse.Config {
	return &warehouse.Config{
		Schema:    "analytics",
		Snowflake: warehouse.SnowflakeOptions{Warehouse: "TRANSFORM_WH", TargetLag: "1 hour", RefreshMode: "AUTO"},
		Grants:    []warehouse.GrantSpec{{Role: "REPORTING"}},
		Bindings: []warehouse.Binding{{Hierarchy: "acme_pl", Source: "raw.gl_transactions", CodeColumn: "account_code",
			Values: []string{"amount"}, GroupBy: []string{"period", "entity"}}},
	}
}

// TestGoldenScripts renders the scripts for every engine and compares them
// with testdata/golden/<dialect>/ (go test ./pkg/scripts -update rewrites).
func TestGoldenScripts(t *testing.T) {
	h := goldenHierarchy()
	if f := hierarchy.CheckIntegrity(h); len(f) > 0 {
		t.Fatal(f)
	}
	for _, dialect := range warehouse.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ds, err := warehouse.Build(warehouse.Input{Dialect: dialect, Config: goldenConfig(), Hierarchies: map[string]*hierarchy.Hierarchy{h.ID: h}})
			if err != nil {
				t.Fatal(err)
			}
			out, err := Render(ds, "databridge test")
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("testdata", "golden", dialect)
			if *update {
				if err := out.Write(dir); err != nil {
					t.Fatal(err)
				}
				return
			}
			for name, text := range out.Files {
				want, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatalf("%v (run go test ./pkg/scripts -update)", err)
				}
				if string(want) != text {
					t.Errorf("%s/%s differs from the golden file (run go test ./pkg/scripts -update and review the diff)", dialect, name)
				}
			}
			// Every object is in the manifest, in dependency order.
			if len(out.Manifest.Objects) != 6 || out.Manifest.Order[0] != "TBL_0_ACME_PL" || out.Manifest.Order[5] != "DT_3_ACME_PL" {
				t.Errorf("manifest order %v", out.Manifest.Order)
			}
			if !strings.Contains(out.Files[warehouse.FileGrants], "REPORTING") {
				t.Errorf("grants missing")
			}
		})
	}
}
