package mcpserver

import (
	"context"
	"errors"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	_ "github.com/databridge/databridge/pkg/connector/all"
	"github.com/databridge/databridge/pkg/testenv/hostile"
)

// TestHostileCorpusRunQueryReadOnly sends the hostile corpus through
// run_query on a server started like `mcp serve --read-only`, on every
// engine the tests have: each statement is refused or fails in the engine,
// and the databases and the project's files stay byte-identical.
func TestHostileCorpusRunQueryReadOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs hundreds of statements per engine")
	}
	env := hostile.Setup(t)
	cs := newSession(t, env.Project, Options{ReadOnly: true})
	hostile.Run(t, env, func(ctx context.Context, conn, sql string) (string, error) {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "run_query", Arguments: map[string]any{"connection": conn, "sql": sql}})
		if err != nil {
			return "", err
		}
		if res.IsError {
			return "", errors.New(text(res))
		}
		return text(res), nil
	})
}
