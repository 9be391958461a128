// Package csvio is the file-format layer of hierarchy CSV import and export:
// it turns the bytes of a file into a header and numbered rows (read.go),
// tells the file's shape and maps its header cells to named columns
// (header.go), checks that every row fits the header and collects the rows
// that are rejected with their line numbers (rows.go), and parses and
// formats the cells that are not about hierarchies (text.go).
//
// It knows nothing of nodes or rules: package hierarchy turns the rows into
// nodes and mapping rules (its csvio_*.go files) and exports them. The split
// keeps the dependency one way, hierarchy → csvio, so that hierarchy's
// Service, its tests and every caller keep using hierarchy.ImportNodesCSV
// and friends.
//
// The three shapes (see docs/hierarchy-csv.md):
//
//   - parent-child: one row per node (code, name, parent, sort, type, ...);
//   - wide levels: one row per path from a root down (LEVEL_1, LEVEL_2, ...);
//   - mapping: one row per mapping rule on a leaf (node, match, value, ...).
package csvio
