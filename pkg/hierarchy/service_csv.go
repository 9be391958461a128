package hierarchy

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ImportInput imports a CSV of nodes (parent-child or wide levels) or of
// mapping rules into a hierarchy. The format is detected from the header.
type ImportInput struct {
	ID string `json:"id" jsonschema:"Hierarchy id to import into (or to create, with create)."`
	// File is a path (CLI); CSV is the content itself (MCP).
	File string `json:"file,omitempty" jsonschema:"Path of the CSV file, relative to the project folder."`
	CSV  string `json:"csv,omitempty" jsonschema:"The CSV content itself, instead of a file."`
	// Create makes a new hierarchy from a nodes file.
	Create bool   `json:"create,omitempty" jsonschema:"Create the hierarchy from this nodes file (it must not exist)."`
	Name   string `json:"name,omitempty" jsonschema:"Name of a created hierarchy (default: the id)."`
	Kind   Kind   `json:"kind,omitempty" jsonschema:"Kind of a created hierarchy (default: custom)."`
	// SourceColumns of a created hierarchy.
	SourceColumns []string `json:"source_columns,omitempty" jsonschema:"Source columns of a created hierarchy, e.g. [\"account\"]."`
	DryRun        bool     `json:"dry_run,omitempty" jsonschema:"Report what would change; change nothing."`
	SkipBadRows   bool     `json:"skip_bad_rows,omitempty" jsonschema:"Import the good rows even if some are rejected (default: reject the whole file)."`
	ReplaceRules  bool     `json:"replace_rules,omitempty" jsonschema:"Mapping files: replace every rule of each leaf named in the file."`
}

// ImportOutcome reports an import.
type ImportOutcome struct {
	ID       string        `json:"id"`
	Version  int           `json:"version"`
	Status   Status        `json:"status"`
	Shape    CSVShape      `json:"shape"`
	Created  bool          `json:"created"`
	DryRun   bool          `json:"dry_run"`
	Applied  bool          `json:"applied"`
	Summary  ImportSummary `json:"summary"`
	Rejected []RejectedRow `json:"rejected"`
}

// ErrRowsRejected wraps a RejectedRowsError returned with an outcome.
var ErrRowsRejected = errors.New("rows rejected")

func (s *Service) readCSV(in ImportInput) ([]byte, string, error) {
	switch {
	case in.File != "" && in.CSV != "":
		return nil, "", fmt.Errorf("give a file or CSV content, not both")
	case in.CSV != "":
		return []byte(in.CSV), "CSV", nil
	case in.File != "":
		p := in.File
		if !filepath.IsAbs(p) {
			p = s.Project.Resolve(p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, "", err
		}
		return data, in.File, nil
	}
	return nil, "", fmt.Errorf("a CSV file is required")
}

// sniffShape detects the CSV shape from its first line.
func sniffShape(data []byte) (CSVShape, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	line := data
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		line = data[:i]
	}
	comma := ','
	best := strings.Count(string(line), ",")
	for _, c := range []rune{';', '\t'} {
		if n := strings.Count(string(line), string(c)); n > best {
			comma, best = c, n
		}
	}
	r := csv.NewReader(bytes.NewReader(line))
	r.Comma = comma
	hdr, err := r.Read()
	if err != nil {
		return "", fmt.Errorf("cannot read the header line: %w", err)
	}
	return DetectCSV(hdr)
}

// Import imports a CSV. Nothing is written when rows are rejected (unless
// SkipBadRows) or on a dry run; the outcome lists every rejected row with
// its line number, and the error wraps ErrRowsRejected.
//
// A dry run takes exactly the real import's path — the same row checks
// (formulas included, see CheckFormulas), the same merge and the store's
// integrity check — and stops before the write, so it reports the same
// accepted and rejected rows, with the same reasons, as the real import.
func (s *Service) Import(ctx context.Context, in ImportInput) (*ImportOutcome, error) {
	data, file, err := s.readCSV(in)
	if err != nil {
		return nil, err
	}
	shape, err := sniffShape(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	write := !in.DryRun
	out := &ImportOutcome{ID: in.ID, Shape: shape, DryRun: in.DryRun, Rejected: []RejectedRow{}}
	finish := func(h *Hierarchy, sum ImportSummary, rej []RejectedRow, ierr error) (*ImportOutcome, error) {
		out.Summary, out.Applied = sum, ierr == nil && write
		if rej != nil {
			out.Rejected = rej
		}
		if h == nil && !in.Create {
			h, _ = s.Store.Get(in.ID) // refused: report the version as it stays
		}
		if h != nil {
			out.Version, out.Status = h.Version, h.Status
		}
		if out.Applied && h != nil {
			s.Store.imported(ctx, in.ID, h)
		}
		var re *RejectedRowsError
		if errors.As(ierr, &re) {
			return out, fmt.Errorf("%w: %v", ErrRowsRejected, ierr)
		}
		return out, ierr
	}
	if shape == CSVMapping {
		if in.Create {
			return nil, fmt.Errorf("%s is a mapping file; create the hierarchy from a nodes file first", file)
		}
		opts := MappingImportOptions{SkipBadRows: in.SkipBadRows, ReplaceRules: in.ReplaceRules, File: file}
		var res *MappingImportResult
		h, err := s.Store.update(ctx, in.ID, func(h *Hierarchy) error {
			var ierr error
			res, ierr = ImportMappingsCSV(bytes.NewReader(data), h, opts)
			return ierr
		}, write)
		if res == nil {
			return nil, err
		}
		return finish(h, res.Summary, res.Rejected, err)
	}

	opts := ImportOptions{Shape: shape, SkipBadRows: in.SkipBadRows, File: file}
	if in.Create {
		if s.Store.Exists(in.ID) {
			return nil, fmt.Errorf("hierarchy %q already exists: import into it without --create", in.ID)
		}
		res, ierr := ImportNodesCSV(bytes.NewReader(data), opts)
		if res == nil {
			return nil, ierr
		}
		if ierr != nil {
			return finish(nil, res.Summary, res.Rejected, ierr)
		}
		name := in.Name
		if name == "" {
			name = in.ID
		}
		kind := in.Kind
		if kind == "" {
			kind = KindCustom
		}
		h := res.Hierarchy()
		h.ID, h.Name, h.Kind, h.SourceColumns = in.ID, name, kind, in.SourceColumns
		created, err := s.Store.create(ctx, h, write)
		if err != nil {
			return nil, err
		}
		out.Created = write
		return finish(created, res.Summary, res.Rejected, nil)
	}
	var res *ImportResult
	h, err := s.Store.update(ctx, in.ID, func(h *Hierarchy) error {
		o := opts
		o.Into = h // a copy: the store writes it only when write is set
		var ierr error
		res, ierr = ImportNodesCSV(bytes.NewReader(data), o)
		return ierr
	}, write)
	if res == nil {
		return nil, err
	}
	return finish(h, res.Summary, res.Rejected, err)
}

// Export renders a hierarchy as CSV in a shape (parent-child, wide-levels
// or mapping).
func (s *Service) Export(id string, version int, shape CSVShape) (string, error) {
	h, err := s.Get(id, version)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	switch shape {
	case "", CSVParentChild, CSVWideLevels:
		if shape == "" {
			shape = CSVParentChild
		}
		err = ExportNodesCSV(&buf, h, shape)
	case CSVMapping:
		err = ExportMappingsCSV(&buf, h)
	default:
		return "", fmt.Errorf("unknown CSV shape %q (parent-child, wide-levels or mapping)", shape)
	}
	return buf.String(), err
}
