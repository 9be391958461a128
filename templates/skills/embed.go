// Package skills embeds the agent skills databridge ships: guided
// workflows, one markdown file each (YAML front matter with the name,
// title, description and arguments; a text/template body that names the
// MCP tools to call with {{tool "name"}}). pkg/skills reads and renders
// them for `databridge skills` and the MCP prompts.
package skills

import "embed"

// FS holds the skill files (*.md).
//
//go:embed *.md
var FS embed.FS
