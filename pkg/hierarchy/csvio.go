package hierarchy

// CSV import and export of hierarchies. Three shapes are understood, told
// apart by their header row (see docs/hierarchy-csv.md):
//
//   - parent-child: one row per node (code, name, parent, sort, type, ...);
//   - wide levels: one row per path from a root down (LEVEL_1, LEVEL_2, ...);
//   - mapping: one row per mapping rule on a leaf (node, match, value, ...).
//
// Importers never stop at the first bad row: they report every rejected row
// with its 1-based line number in the file and a reason, and apply nothing
// unless every row was accepted (or the caller asked to skip bad rows).

import (
	"fmt"
	"io"
	"strings"

	"github.com/databridge/databridge/pkg/hierarchy/csvio"
)

// CSVShape is the layout of a hierarchy CSV file.
type CSVShape = csvio.Shape

// CSV shapes.
const (
	// CSVParentChild has one row per node naming its parent.
	CSVParentChild = csvio.ParentChild
	// CSVWideLevels has one row per path: LEVEL_1, LEVEL_2, ... columns.
	CSVWideLevels = csvio.WideLevels
	// CSVMapping has one row per mapping rule of a leaf.
	CSVMapping = csvio.Mapping
)

// DetectCSV tells the shape of a hierarchy CSV file from its header row.
// Header names are case-insensitive; spaces and '-' count as '_'.
func DetectCSV(header []string) (CSVShape, error) { return csvio.Detect(header) }

// ImportOptions controls ImportNodesCSV.
type ImportOptions struct {
	// Shape forces a shape; "" detects it from the header.
	Shape CSVShape
	// Into, when set, is the hierarchy the rows are merged into: rows for
	// existing codes update those nodes (only the columns the file has),
	// other rows add nodes, nodes absent from the file are kept. Into is
	// changed only when every row was accepted (or SkipBadRows is set) and
	// DryRun is false, and then in one assignment of Into.Nodes.
	Into *Hierarchy
	// SkipBadRows applies the accepted rows even when some were rejected.
	SkipBadRows bool
	// DryRun computes the result but changes nothing.
	DryRun bool
	// File names the input in error messages ("" = "CSV").
	File string
	// Comma is the field separator; 0 detects ',', ';' or tab from the
	// header line.
	Comma rune
}

// RejectedRow is a CSV row that was not imported.
type RejectedRow = csvio.RejectedRow

// ImportSummary counts what an import did (or would do, in a dry run).
type ImportSummary struct {
	// Rows is the number of data rows read (blank rows are not counted).
	Rows      int `json:"rows"`
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Removed counts mapping rules dropped by MappingImportOptions.ReplaceRules.
	Removed  int `json:"removed,omitempty"`
	Rejected int `json:"rejected"`
}

// Import actions of a node or rule.
const (
	ImportAdded     = "added"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
)

// ImportedNode says what happened to one node of an import.
type ImportedNode struct {
	Code string `json:"code"`
	// Line is where the node is defined (wide files: the row where it is
	// the deepest level, else the first row that mentions it).
	Line   int    `json:"line"`
	Action string `json:"action"`
}

// ImportResult is the outcome of ImportNodesCSV.
type ImportResult struct {
	Shape CSVShape `json:"shape"`
	// Nodes are the accepted nodes in file order, as they are (or, in a
	// dry run or when rows were rejected, would be) in the hierarchy.
	Nodes    []*Node        `json:"nodes"`
	Changes  []ImportedNode `json:"changes"`
	Rejected []RejectedRow  `json:"rejected"`
	Summary  ImportSummary  `json:"summary"`
	DryRun   bool           `json:"dry_run"`
	// Applied is true when opts.Into was changed.
	Applied bool `json:"applied"`
}

// Hierarchy returns the imported nodes as a hierarchy (no id or name): for
// a stand-alone import. The nodes are shared, not copied.
func (r *ImportResult) Hierarchy() *Hierarchy { return &Hierarchy{Nodes: r.Nodes} }

// RejectedRowsError is returned, together with the result, when rows were
// rejected and SkipBadRows was not set: nothing was applied.
type RejectedRowsError struct {
	File string
	Rows []RejectedRow
}

func (e *RejectedRowsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d row(s) rejected, nothing imported", e.File, len(e.Rows))
	for i, r := range e.Rows {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(e.Rows)-i)
			break
		}
		fmt.Fprintf(&b, "; line %d: %s", r.Line, r.Reason)
	}
	b.WriteString(" (fix the rows, or skip them to import the rest)")
	return b.String()
}

// MappingImportOptions controls ImportMappingsCSV.
type MappingImportOptions struct {
	// SkipBadRows applies the accepted rows even when some were rejected.
	SkipBadRows bool
	// DryRun computes the result but changes nothing.
	DryRun bool
	// ReplaceRules replaces all rules of every leaf named in the file by
	// the file's rules for it; otherwise the file's rules are added to the
	// existing ones.
	ReplaceRules bool
	// File names the input in error messages ("" = "CSV").
	File string
	// Comma is the field separator; 0 detects it from the header line.
	Comma rune
}

// ImportedRule is one accepted mapping row.
type ImportedRule struct {
	Line int    `json:"line"`
	Node string `json:"node"`
	Rule Rule   `json:"rule"`
	// Action is added, or unchanged when the leaf already had the rule.
	Action string `json:"action"`
}

// MappingImportResult is the outcome of ImportMappingsCSV.
type MappingImportResult struct {
	Rules    []ImportedRule `json:"rules"`
	Rejected []RejectedRow  `json:"rejected"`
	Summary  ImportSummary  `json:"summary"`
	DryRun   bool           `json:"dry_run"`
	Applied  bool           `json:"applied"`
}

// ImportNodesCSV reads nodes from a parent-child or wide-levels CSV file.
//
// Without opts.Into the result holds the accepted nodes in file order (see
// ImportResult.Hierarchy). With opts.Into the rows are merged into that
// hierarchy, which is changed only if no row was rejected (or
// opts.SkipBadRows) and not opts.DryRun. When rows were rejected and
// SkipBadRows is false, the result comes back with a *RejectedRowsError,
// so a store Update callback that returns the error writes nothing. Other
// errors (unreadable input, unknown header, a mapping file) return a nil
// result.
func ImportNodesCSV(r io.Reader, opts ImportOptions) (*ImportResult, error) {
	file := opts.File
	if file == "" {
		file = "CSV"
	}
	in, err := csvio.Read(r, opts.Comma, file)
	if err != nil {
		return nil, err
	}
	shape := opts.Shape
	if shape == "" {
		if shape, err = DetectCSV(in.Header); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", file, in.HeaderLine, err)
		}
	}
	if shape == CSVMapping {
		return nil, fmt.Errorf("%s: this is a mapping file (node, match, value ...): import it as mappings into an existing hierarchy, not as nodes", file)
	}
	cols, err := csvio.ParseHeader(shape, in.Header)
	if err != nil {
		return nil, fmt.Errorf("%s: line %d: %w", file, in.HeaderLine, err)
	}
	rej := &csvio.Rejects{}
	var specs []*csvSpec
	var firstLine map[string]int
	if shape == CSVWideLevels {
		specs = csvWideSpecs(in, cols, rej)
	} else {
		specs, firstLine = csvParentChildSpecs(in, cols, rej)
	}
	res := csvResolve(specs, opts.Into, firstLine, rej)
	out := &ImportResult{Shape: shape, Nodes: res.nodes, Changes: res.changes, Rejected: rej.Sorted(), DryRun: opts.DryRun}
	if out.Nodes == nil {
		out.Nodes = []*Node{}
	}
	if out.Changes == nil {
		out.Changes = []ImportedNode{}
	}
	if out.Rejected == nil {
		out.Rejected = []RejectedRow{}
	}
	out.Summary.Rows = len(in.Rows)
	out.Summary.Rejected = len(out.Rejected)
	for _, c := range res.changes {
		switch c.Action {
		case ImportAdded:
			out.Summary.Added++
		case ImportUpdated:
			out.Summary.Updated++
		default:
			out.Summary.Unchanged++
		}
	}
	if len(out.Rejected) > 0 && !opts.SkipBadRows {
		return out, &RejectedRowsError{File: file, Rows: out.Rejected}
	}
	if opts.Into != nil && !opts.DryRun {
		opts.Into.Nodes = res.merged
		out.Applied = true
	}
	return out, nil
}
