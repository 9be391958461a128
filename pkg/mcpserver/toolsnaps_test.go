package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/toolsnaps from the current tool definitions")

const snapDir = "testdata/toolsnaps"

// toolSnap is everything a client sees of a tool: a change to any
// of it is a change to the MCP interface and must be reviewed.
type toolSnap struct {
	Name         string `json:"name"`
	Description  string `json:"description"`
	Annotations  any    `json:"annotations"`
	InputSchema  any    `json:"inputSchema"`
	OutputSchema any    `json:"outputSchema"`
}

// TestToolSnapshots compares every tool's interface, as listed to a real
// client, with testdata/toolsnaps/<tool>.json. Run `go test
// ./pkg/mcpserver -update` after an intended change and commit the diff.
func TestToolSnapshots(t *testing.T) {
	cs := newSession(t, newProject(t), Options{})
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(snapDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
		got, err := json.MarshalIndent(toolSnap{
			Name:         tl.Name,
			Description:  tl.Description,
			Annotations:  tl.Annotations,
			InputSchema:  tl.InputSchema,
			OutputSchema: tl.OutputSchema,
		}, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join(snapDir, tl.Name+".json")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: no snapshot (%v); run go test ./pkg/mcpserver -run TestToolSnapshots -update and review the new file", tl.Name, err)
			continue
		}
		if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(got)) {
			t.Errorf("%s: the tool's interface changed from %s; if intended, run go test ./pkg/mcpserver -run TestToolSnapshots -update and commit the diff.\ngot:\n%s", tl.Name, path, got)
		}
	}
	// A snapshot without a tool is stale: a tool was renamed or removed.
	files, err := filepath.Glob(filepath.Join(snapDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if slices.Contains(names, name) {
			continue
		}
		if *update {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s: snapshot of a tool that no longer exists; run with -update to remove it", f)
	}
}
