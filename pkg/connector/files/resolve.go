package files

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// File formats a Source can have.
const (
	FormatCSV     = "csv"
	FormatParquet = "parquet"
	FormatJSON    = "json"   // a JSON array or newline-delimited objects (auto-detected)
	FormatNDJSON  = "ndjson" // newline-delimited JSON (.ndjson, .jsonl)
)

// Source is one data file and the view it becomes.
type Source struct {
	// Path is the absolute path of the file.
	Path string `json:"path"`
	// Format is csv, parquet, json or ndjson.
	Format string `json:"format"`
	// View is the name of the view in schema main.
	View string `json:"view"`
	// TSV marks a tab-separated file (.tsv), read with a tab delimiter
	// unless options set another.
	TSV bool `json:"tsv,omitempty"`
}

// Extensions recognised as data files; compressed variants (.gz, .zst) of
// the text formats are read too.
var formatByExt = map[string]string{
	".csv":     FormatCSV,
	".tsv":     FormatCSV,
	".parquet": FormatParquet,
	".pq":      FormatParquet,
	".json":    FormatJSON,
	".ndjson":  FormatNDJSON,
	".jsonl":   FormatNDJSON,
}

const supported = ".csv, .tsv, .parquet, .pq, .json, .ndjson, .jsonl (text formats also as .gz or .zst)"

// compressedExt is the compression extension a lower-case file name ends
// with (.gz, .zst; DuckDB decompresses them as it reads), or "".
func compressedExt(lower string) string {
	for _, c := range []string{".gz", ".zst"} {
		if strings.HasSuffix(lower, c) {
			return c
		}
	}
	return ""
}

// splitExt returns the file's stem and format ("" when it is not a data
// file): "gl.csv.gz" -> ("gl", "csv").
func splitExt(name string) (stem, format string, tsv bool) {
	base := filepath.Base(name)
	lower := strings.ToLower(base)
	compressed := compressedExt(lower)
	lower = strings.TrimSuffix(lower, compressed)
	base = base[:len(base)-len(compressed)]
	ext := filepath.Ext(lower)
	format = formatByExt[ext]
	if format == "" || (compressed != "" && format == FormatParquet) {
		return "", "", false
	}
	return base[:len(base)-len(ext)], format, ext == ".tsv"
}

// ViewName is the view a file becomes: its stem (the name without
// directory and data extensions) in lower case, every character outside
// [a-z0-9_] replaced by "_", and "t_" put in front of a leading digit.
// "GL Transactions 2024.csv.gz" becomes "gl_transactions_2024";
// "2024-budget.parquet" becomes "t_2024_budget".
func ViewName(file string) string {
	stem, _, _ := splitExt(file)
	if stem == "" {
		stem = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	var b strings.Builder
	for _, r := range strings.ToLower(stem) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	name := b.String()
	if name == "" {
		return "t_"
	}
	if name[0] >= '0' && name[0] <= '9' {
		name = "t_" + name
	}
	return name
}

func hasGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

func hidden(name string) bool { return strings.HasPrefix(name, ".") }

// Resolve expands the configured entries into data files, in order: each
// entry is a file, a folder (its data files; with recursive also those of
// its sub-folders, hidden ones skipped) or a glob in filepath.Match syntax
// ("**" is not special). Relative entries resolve against the working
// directory. A file listed twice is read once. It is an error when an entry
// matches no data file, when a file named explicitly is not a data file,
// and when two files would become the same view (the error names both; the
// fix is to rename one or list only the files needed).
func Resolve(entries []string, recursive bool) ([]Source, error) {
	var out []Source
	seen := map[string]bool{}
	byView := map[string]string{}
	configured := 0
	for _, entry := range entries {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		configured++
		files, err := expand(entry, recursive)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if seen[f] {
				continue
			}
			seen[f] = true
			_, format, tsv := splitExt(f)
			s := Source{Path: f, Format: format, View: ViewName(f), TSV: tsv}
			if other, dup := byView[s.View]; dup {
				return nil, fmt.Errorf("files %s and %s would both become view %q; rename one of them, or list only the files you need in paths", other, f, s.View)
			}
			byView[s.View] = f
			out = append(out, s)
		}
	}
	if configured == 0 {
		return nil, errors.New("no files configured: set path or paths to a file, folder or glob")
	}
	return out, nil
}

// expand turns one entry into absolute data-file paths, sorted within the
// entry.
func expand(entry string, recursive bool) ([]string, error) {
	abs, err := filepath.Abs(entry)
	if err != nil {
		return nil, fmt.Errorf("path %q: %w", entry, err)
	}
	if hasGlob(entry) {
		matches, err := filepath.Glob(abs)
		if err != nil {
			return nil, fmt.Errorf("path %q is not a valid glob: %w", entry, err)
		}
		var out []string
		for _, m := range matches {
			st, err := os.Stat(m)
			if err != nil {
				return nil, fmt.Errorf("path %q: %w", entry, err)
			}
			if st.IsDir() {
				files, err := folder(m, recursive)
				if err != nil {
					return nil, err
				}
				out = append(out, files...)
			} else if _, format, _ := splitExt(m); format != "" && !hidden(filepath.Base(m)) {
				out = append(out, m)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("path %q matches no data files (looked for %s)", entry, supported)
		}
		sort.Strings(out)
		return out, nil
	}
	st, err := os.Stat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("path %q matches nothing: %s does not exist", entry, abs)
	}
	if err != nil {
		return nil, fmt.Errorf("path %q: %w", entry, err)
	}
	if st.IsDir() {
		files, err := folder(abs, recursive)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			hint := ""
			if !recursive {
				hint = `; set options.recursive: "true" to include sub-folders`
			}
			return nil, fmt.Errorf("path %q matches no data files: folder %s holds none of %s%s", entry, abs, supported, hint)
		}
		return files, nil
	}
	if _, format, _ := splitExt(abs); format == "" {
		return nil, fmt.Errorf("file %s is not a supported data file (supported: %s)", abs, supported)
	}
	return []string{abs}, nil
}

// folder lists the data files of dir (and its sub-folders when recursive),
// sorted, skipping hidden files and folders.
func folder(dir string, recursive bool) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && (!recursive || hidden(d.Name())) {
				return filepath.SkipDir
			}
			return nil
		}
		if hidden(d.Name()) {
			return nil
		}
		if _, format, _ := splitExt(p); format != "" {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read folder %s: %w", dir, err)
	}
	sort.Strings(out)
	return out, nil
}
