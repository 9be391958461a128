package semantic

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/model"
)

// An association table is keyed by its pair of references even when one
// column happens to be unique; a table that is more than that, or is not
// named for it, or is referenced by its key, keeps the unique column.
func TestPreferAssociationKeys(t *testing.T) {
	rel := func(from, col, to string) model.Relationship {
		return model.Relationship{FromTable: from, FromColumns: []string{col}, ToTable: to, ToColumns: []string{"id"}}
	}
	cases := []struct {
		table string
		cols  []string
		nulls int64
		extra []model.Relationship
		want  string
	}{
		{"vendor_promotion_bridge", []string{"vendor_id", "promotion_id"}, 0, nil, "vendor_id,promotion_id"},
		{"employee_territories", []string{"employee_id", "territory_id"}, 0, nil, "employee_id,territory_id"},
		{"PlaylistTrack", []string{"PlaylistId", "TrackId"}, 0, nil, "PlaylistId,TrackId"},
		{"promo_map", []string{"vendor_id", "promotion_id", "allocation_pct"}, 0, nil, "vendor_id,promotion_id"},
		// Not named for the association.
		{"special_offers", []string{"vendor_id", "promotion_id"}, 0, nil, "promotion_id"},
		// More than references: an attribute.
		{"vendor_promotion_bridge", []string{"vendor_id", "promotion_id", "notes"}, 0, nil, "promotion_id"},
		// The other reference holds NULLs: no key.
		{"vendor_promotion_bridge", []string{"vendor_id", "promotion_id"}, 3, nil, "promotion_id"},
		// Another table references the unique column.
		{"vendor_promotion_bridge", []string{"vendor_id", "promotion_id"}, 0,
			[]model.Relationship{{FromTable: "claims", FromColumns: []string{"promotion_id"}, ToTable: "vendor_promotion_bridge", ToColumns: []string{"promotion_id"}}}, "promotion_id"},
	}
	for _, c := range cases {
		tp := &TableProfile{Name: c.table, Rows: 31}
		for _, n := range c.cols {
			cp := ColumnProfile{Name: n, Type: "BIGINT", Rows: 31, Distinct: 31}
			if n == c.cols[0] {
				cp.Nulls = c.nulls
			}
			tp.Columns = append(tp.Columns, cp)
		}
		parentOf := map[string]string{c.cols[0]: "vendors", c.cols[1]: "promotions"}
		if strings.Contains(c.table, "territor") {
			parentOf = map[string]string{c.cols[0]: "employees", c.cols[1]: "territories"}
		}
		if c.table == "PlaylistTrack" {
			parentOf = map[string]string{c.cols[0]: "Playlist", c.cols[1]: "Track"}
		}
		rels := append([]model.Relationship{rel(c.table, c.cols[0], parentOf[c.cols[0]]), rel(c.table, c.cols[1], parentOf[c.cols[1]])}, c.extra...)
		keys := map[string][]KeyCandidate{c.table: {{Columns: []string{c.cols[1]}, Score: 0.5}}}
		PreferAssociationKeys([]*TableProfile{tp}, keys, rels)
		if got := strings.Join(keys[c.table][0].Columns, ","); got != c.want {
			t.Errorf("%s %v (nulls %d, extra %d): key %s, want %s", c.table, c.cols, c.nulls, len(c.extra), got, c.want)
		}
	}
}
