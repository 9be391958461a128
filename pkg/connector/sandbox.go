package connector

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Sandbox is the file boundary of a session that runs user SQL in an
// engine inside this process (DuckDB, files). The engine enforces it:
// external access off, only these folders and files reachable, and the
// configuration locked so no statement can lift it (see the duckdb engine).
// Databridge's own work (staging, deploys, caches) runs without a sandbox,
// in sessions user SQL never reaches.
type Sandbox struct {
	// Dirs are folders the session may read (and, in a write session,
	// write).
	Dirs []string
	// Paths are single files the session may read.
	Paths []string
	// Deny are folders that must never be reachable (the project's
	// .databridge folder): a Dir that contains one is replaced by its
	// entries, recursively, so the denied folder is left out.
	Deny []string
}

// Resolved returns the sandbox's folders and files with every path
// absolute and clean, duplicates removed, and each Dir that contains a
// denied folder split into its entries. A Dir inside a denied folder is
// dropped.
func (s *Sandbox) Resolved() (dirs, paths []string) {
	if s == nil {
		return nil, nil
	}
	deny := make([]string, 0, len(s.Deny))
	for _, d := range s.Deny {
		if a, err := filepath.Abs(d); err == nil {
			deny = append(deny, filepath.Clean(a))
		}
	}
	seenD, seenP := map[string]bool{}, map[string]bool{}
	var addDir func(d string, depth int)
	addFile := func(p string) {
		for _, x := range deny {
			if within(p, x) {
				return
			}
		}
		if !seenP[p] {
			seenP[p] = true
			paths = append(paths, p)
		}
	}
	addDir = func(d string, depth int) {
		for _, x := range deny {
			if within(d, x) {
				return
			}
		}
		for _, x := range deny {
			if within(x, d) && depth < 8 {
				ents, err := os.ReadDir(d)
				if err != nil {
					return
				}
				for _, e := range ents {
					p := filepath.Join(d, e.Name())
					if e.IsDir() {
						addDir(p, depth+1)
					} else {
						addFile(p)
					}
				}
				return
			}
		}
		if !seenD[d] {
			seenD[d] = true
			dirs = append(dirs, d)
		}
	}
	for _, d := range s.Dirs {
		if a, err := filepath.Abs(d); err == nil {
			addDir(filepath.Clean(a), 0)
		}
	}
	for _, p := range s.Paths {
		if a, err := filepath.Abs(p); err == nil {
			addFile(filepath.Clean(a))
		}
	}
	sort.Strings(dirs)
	sort.Strings(paths)
	return dirs, paths
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	if path == dir {
		return true
	}
	return strings.HasPrefix(path, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}
