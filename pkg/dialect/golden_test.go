package dialect

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const goldenDir = "testdata/golden"

// golden renders c for d: the SQL (ext "sql") or the error text (ext
// "err"; only *UnsupportedError is an expected failure).
func golden(t *testing.T, d string, c goldenCase) (text, ext string) {
	t.Helper()
	sql, err := Render(d, c.stmt)
	if err != nil {
		var ue *UnsupportedError
		if !errors.As(err, &ue) {
			t.Fatalf("%s.%s: %v", c.name, d, err)
		}
		return err.Error() + "\n", "err"
	}
	return sql + "\n", "sql"
}

func TestGolden(t *testing.T) {
	if *update {
		old, _ := filepath.Glob(filepath.Join(goldenDir, "*"))
		for _, f := range old {
			os.Remove(f)
		}
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, c := range goldenCases() {
		for _, d := range Dialects() {
			text, ext := golden(t, d, c)
			file := filepath.Join(goldenDir, c.name+"."+d+"."+ext)
			seen[filepath.Base(file)] = true
			if *update {
				if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Errorf("%s: %v (run go test ./pkg/dialect -update)", file, err)
				continue
			}
			if string(want) != text {
				t.Errorf("%s differs (go test ./pkg/dialect -update rewrites it):\n--- got\n%s--- want\n%s", file, text, want)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*"))
	var stale []string
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			stale = append(stale, f)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("golden files without a case: %s", strings.Join(stale, ", "))
	}
}

// Rendering twice gives the same text.
func TestDeterministic(t *testing.T) {
	for _, c := range goldenCases() {
		for _, d := range Dialects() {
			a, errA := Render(d, c.stmt)
			b, errB := Render(d, c.stmt)
			if a != b || (errA == nil) != (errB == nil) {
				t.Errorf("%s.%s renders differently twice", c.name, d)
			}
		}
	}
}
