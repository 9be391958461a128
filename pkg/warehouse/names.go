package warehouse

import (
	"strings"

	"github.com/databridge/databridge/pkg/model"
)

// Names of the objects an approved model deploys as, for readers of the
// deployed warehouse (the semantic layer): the same functions the design
// uses, so the two cannot drift.

// FactName is the deployed fact table of a model table (FACT_<TABLE>).
func FactName(table string) string { return factName(table) }

// DimensionName is the deployed dimension table of a model table
// (DIM_<TABLE>).
func DimensionName(table string) string { return dimName(table) }

// SurrogateKey is a dimension's surrogate key column (<TABLE>_SK).
func SurrogateKey(table string) string { return skName(table) }

// FactKeyColumn is the column of a fact that holds the surrogate key of
// the dimension relationship r references: the dimension's key name, or
// <FROM_COLUMNS>_SK when the fact references the same dimension more than
// once (role-playing).
func FactKeyColumn(m *model.Model, r model.Relationship) string {
	if countRels(m, r.FromTable, r.ToTable) > 1 {
		return strings.ToUpper(strings.Join(r.FromColumns, "_")) + "_SK"
	}
	return skName(r.ToTable)
}

// CurrentVersionColumn is the column of a type-2 dimension that is 1 on
// each key's current version.
const CurrentVersionColumn = "IS_CURRENT_VERSION"

// IsDimension reports whether a model table deploys as a dimension.
func IsDimension(t *model.Table) bool { return isDim(t) }
