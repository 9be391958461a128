// Package docs embeds databridge's user documentation (the markdown pages
// of this folder) in the binary, so `databridge mcp serve` can offer every
// page as an MCP resource (databridge://docs/{page}).
package docs

import "embed"

// FS holds the pages (*.md).
//
//go:embed *.md
var FS embed.FS
