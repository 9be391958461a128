package cmd_test

// The skills' two faces: `databridge skills show NAME --arg k=v --json`
// and the MCP prompt NAME with the same arguments give the same text (and
// `skills list --json` the same names, arguments and descriptions as
// prompts/list). Prompts are not tools, so this is not a parityCase.

import (
	"context"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/project"
)

func TestSkillsParity(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if _, err := project.Init(root, "skills"); err != nil {
		t.Fatal(err)
	}
	cs := toolSession(t, ctx, root)
	prompts, err := cs.ListPrompts(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := runCLIJSON(t, ctx, root, []string{"skills", "list"})
	skills := list.(map[string]any)["skills"].([]any)
	if len(skills) != len(prompts.Prompts) || len(skills) != 7 {
		t.Fatalf("%d skills, %d prompts", len(skills), len(prompts.Prompts))
	}
	for i, p := range prompts.Prompts {
		sk := skills[i].(map[string]any)
		if sk["name"] != p.Name || sk["title"] != p.Title || sk["description"] != p.Description {
			t.Errorf("skill %v != prompt %s", sk["name"], p.Name)
		}
		cliArgs := []string{"skills", "show", p.Name}
		args := map[string]string{}
		skArgs := sk["arguments"].([]any)
		if len(skArgs) != len(p.Arguments) {
			t.Errorf("%s: %d arguments on the CLI, %d on the prompt", p.Name, len(skArgs), len(p.Arguments))
			continue
		}
		for j, a := range p.Arguments {
			sa := skArgs[j].(map[string]any)
			if sa["name"] != a.Name || sa["required"] != a.Required || sa["description"] != a.Description {
				t.Errorf("%s: argument %v != %s", p.Name, sa, a.Name)
			}
			// every argument, so every optional branch is rendered too
			v := "value of " + a.Name
			args[a.Name] = v
			cliArgs = append(cliArgs, "--arg", a.Name+"="+v)
		}
		shown, _ := runCLIJSON(t, ctx, root, cliArgs)
		got, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: p.Name, Arguments: args})
		if err != nil {
			t.Fatal(err)
		}
		if text := got.Messages[0].Content.(*mcp.TextContent).Text; text != shown.(map[string]any)["text"] {
			t.Errorf("%s: the prompt's text differs from skills show:\n%s\n---\n%s", p.Name, text, shown.(map[string]any)["text"])
		}
	}
}
