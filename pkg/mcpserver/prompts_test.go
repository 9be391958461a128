package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/skills"
)

const promptSnapDir = "testdata/promptsnaps"

// promptSnap is what a client sees of a prompt, and its text rendered
// with sample arguments (the required ones), so a change to a skill's
// wording is reviewed like a change to a tool's schema.
type promptSnap struct {
	Name        string                `json:"name"`
	Title       string                `json:"title"`
	Description string                `json:"description"`
	Arguments   []*mcp.PromptArgument `json:"arguments"`
	Example     promptExample         `json:"example"`
}

// promptExample is the text as lines, so a diff shows the line changed.
type promptExample struct {
	Arguments map[string]string `json:"arguments"`
	Text      []string          `json:"text"`
}

// indentJSON is v as indented JSON without HTML escapes (readable
// snapshots: "P&L", "<period>").
func indentJSON(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sampleArgs(p *mcp.Prompt) map[string]string {
	out := map[string]string{}
	for _, a := range p.Arguments {
		if a.Required {
			out[a.Name] = "<" + a.Name + ">"
		}
	}
	return out
}

func promptText(t *testing.T, res *mcp.GetPromptResult) string {
	t.Helper()
	if len(res.Messages) != 1 || res.Messages[0].Role != "user" {
		t.Fatalf("want one user message, got %+v", res.Messages)
	}
	tc, ok := res.Messages[0].Content.(*mcp.TextContent)
	if !ok {
		t.Fatalf("content %T", res.Messages[0].Content)
	}
	return tc.Text
}

// TestPromptSnapshots lists the prompts through a real client and gets
// each one; every prompt's interface and example text must equal
// testdata/promptsnaps/<name>.json (rewrite with -update), and its text
// must be what `databridge skills show` prints (the same service).
func TestPromptSnapshots(t *testing.T) {
	ctx := context.Background()
	cs := newSession(t, newProject(t), Options{})
	res, err := cs.ListPrompts(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Prompts) != 7 {
		t.Fatalf("%d prompts, want the 7 skills", len(res.Prompts))
	}
	if *update {
		if err := os.MkdirAll(promptSnapDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for _, p := range res.Prompts {
		names = append(names, p.Name)
		args := sampleArgs(p)
		got, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: p.Name, Arguments: args})
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		txt := promptText(t, got)
		want, err := skills.New().Show(p.Name, args)
		if err != nil {
			t.Fatal(err)
		}
		if txt != want.Text || got.Description != p.Description {
			t.Errorf("%s: the prompt's text is not the skill's:\n%s\n---\n%s", p.Name, txt, want.Text)
		}
		snap := indentJSON(t, promptSnap{Name: p.Name, Title: p.Title, Description: p.Description, Arguments: p.Arguments,
			Example: promptExample{Arguments: args, Text: strings.Split(strings.TrimSuffix(txt, "\n"), "\n")}})
		path := filepath.Join(promptSnapDir, p.Name+".json")
		if *update {
			if err := os.WriteFile(path, snap, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: no snapshot (%v); run go test ./pkg/mcpserver -run TestPromptSnapshots -update and review it", p.Name, err)
			continue
		}
		if !bytes.Equal(bytes.TrimSpace(old), bytes.TrimSpace(snap)) {
			t.Errorf("%s: the prompt changed from %s; if intended, run go test ./pkg/mcpserver -run TestPromptSnapshots -update and commit the diff.\ngot:\n%s", p.Name, path, snap)
		}
	}
	files, _ := filepath.Glob(filepath.Join(promptSnapDir, "*.json"))
	for _, f := range files {
		if n := strings.TrimSuffix(filepath.Base(f), ".json"); !slices.Contains(names, n) {
			if *update {
				_ = os.Remove(f)
				continue
			}
			t.Errorf("%s: snapshot of a prompt that no longer exists", f)
		}
	}
}

// Every tool a skill names is registered by the server (all toolsets).
func TestPromptToolsAreRegistered(t *testing.T) {
	var all []string
	for _, ts := range Toolsets() {
		for _, tl := range ts.Tools {
			all = append(all, tl.Name)
		}
	}
	list, err := skills.New().List()
	if err != nil {
		t.Fatal(err)
	}
	if unknown := skills.UnknownTools(list, all); len(unknown) > 0 {
		t.Errorf("skills name tools the server does not have: %v", unknown)
	}
	for _, sk := range list.Skills {
		if len(sk.Tools) == 0 {
			t.Errorf("%s names no tool", sk.Name)
		}
	}
}

// A read-only server still offers every prompt, and a prompt names the
// tools it cannot call there; a bad argument is a protocol error that
// lists the arguments.
func TestPromptsOnAReadOnlyServer(t *testing.T) {
	ctx := context.Background()
	cs := newSession(t, newProject(t), Options{ReadOnly: true})
	res, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "deploy_safely", Arguments: map[string]string{"target": "prod"}})
	if err != nil {
		t.Fatal(err)
	}
	txt := promptText(t, res)
	wantContains(t, "prompt", txt, "Deploy the warehouse design to **prod**", "target=prod",
		"Note: this server does not offer design_warehouse_model, deploy_warehouse, rollback_deployment")
	// A full server has no such note.
	full := newSession(t, newProject(t), Options{})
	res, err = full.GetPrompt(ctx, &mcp.GetPromptParams{Name: "deploy_safely"})
	if err != nil {
		t.Fatal(err)
	}
	if txt := promptText(t, res); strings.Contains(txt, "does not offer") {
		t.Errorf("full server: %s", txt)
	}

	for args, want := range map[string]string{
		"":           "needs period",
		"perod=2025": "no argument perod",
	} {
		m := map[string]string{}
		if k, v, ok := strings.Cut(args, "="); ok {
			m[k] = v
		}
		_, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "monthly_close", Arguments: m})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("monthly_close %v: error %v, want %q", m, err, want)
		}
	}
	if _, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "no_such_prompt"}); err == nil {
		t.Error("unknown prompt: want an error")
	}
}
