package mcpserver

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/skills"
)

// Prompts: the skills (pkg/skills, templates/skills/) offered as MCP
// prompts, with the same names, arguments and text as `databridge skills
// show NAME --arg k=v`. Listing them is harmless, so every role sees them;
// calling the tools a skill names is still up to the caller's role.

// addPrompts registers one prompt per skill. offered are the tools this
// server registered: a prompt that names tools the server does not offer
// (started with --read-only or --toolsets) says which.
func addPrompts(srv *mcp.Server, offered []string) error {
	svc := skills.New()
	list, err := svc.List()
	if err != nil {
		return err
	}
	for _, sk := range list.Skills {
		p := &mcp.Prompt{Name: sk.Name, Title: sk.Title, Description: sk.Description, Arguments: []*mcp.PromptArgument{}}
		for _, a := range sk.Arguments {
			p.Arguments = append(p.Arguments, &mcp.PromptArgument{Name: a.Name, Description: a.Description, Required: a.Required})
		}
		var missing []string
		for _, t := range sk.Tools {
			if !slices.Contains(offered, t) {
				missing = append(missing, t)
			}
		}
		srv.AddPrompt(p, promptHandler(svc, sk.Name, missing))
	}
	return nil
}

func promptHandler(svc *skills.Service, name string, missing []string) mcp.PromptHandler {
	return func(ctx context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		r, err := svc.Show(name, req.Params.Arguments)
		if err != nil {
			return nil, err
		}
		text := r.Text
		if len(missing) > 0 {
			text += fmt.Sprintf("\nNote: this server does not offer %s (it was started with --read-only or --toolsets); do those steps with the databridge CLI or ask for a server that offers them.\n",
				strings.Join(missing, ", "))
		}
		return &mcp.GetPromptResult{
			Description: r.Description,
			Messages:    []*mcp.PromptMessage{{Role: "user", Content: &mcp.TextContent{Text: text}}},
		}, nil
	}
}
