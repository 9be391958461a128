package connections_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/project"
)

// A files connection of a project parses its files into the project's
// cache (.databridge/state/cache, git-ignored) when databridge reads them;
// SQL a user runs reads the files and writes no cache.
func TestFilesConnectionCache(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if _, err := s.Add(ctx, connections.AddInput{Name: "src", Config: connector.Config{Type: "files", Path: "data"}}); err != nil {
		t.Fatal(err)
	}
	cache := s.Project.Path(project.StateDir, "cache", "files")

	res, err := s.Query(ctx, connections.QueryInput{Connection: "src", SQL: "SELECT sum(amount) FROM gl"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != "-50.25" {
		t.Errorf("sum %v", res.Rows)
	}
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		t.Errorf("user SQL created the cache: %v", err)
	}

	d, err := s.Describe(ctx, "src", "gl")
	if err != nil {
		t.Fatal(err)
	}
	if d.Columns[2].Type != "DECIMAL(18,2)" || d.Location != filepath.Join(s.Project.Root, "data", "gl.csv") {
		t.Errorf("describe %+v", d)
	}
	ents, err := os.ReadDir(cache)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".duckdb") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("cache entries %v", ents)
	}
	gi, err := os.ReadFile(filepath.Join(s.Project.Dir, ".gitignore"))
	if err != nil || !strings.Contains(string(gi), "state/") {
		t.Errorf(".databridge/.gitignore does not keep state/ out: %q %v", gi, err)
	}

	// User SQL after the cache exists: the same answer, nothing written.
	before, _ := os.ReadFile(filepath.Join(cache, "index.json"))
	res, err = s.Query(ctx, connections.QueryInput{Connection: "src", SQL: "SELECT sum(amount), typeof(sum(amount)) FROM gl"})
	if err != nil || res.Rows[0][0] != "-50.25" || res.Rows[0][1] != "DECIMAL(38,2)" {
		t.Errorf("user SQL over a cached file: %v %v", res, err)
	}
	if after, _ := os.ReadFile(filepath.Join(cache, "index.json")); string(after) != string(before) {
		t.Errorf("user SQL rewrote the cache index")
	}
}
