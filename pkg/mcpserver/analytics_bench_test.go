package mcpserver

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
)

// BenchmarkAskQuestionWarm answers a question through a running MCP server
// (in-memory transport) on the quickstart warehouse: each call reads the
// project, parses, compiles and runs. Goal: < 300 ms per question
// (docs/query.md).
func BenchmarkAskQuestionWarm(b *testing.B) {
	ctx := context.Background()
	dir := filepath.Join(b.TempDir(), "qs")
	if _, err := quickstart.Run(ctx, quickstart.Options{Dir: dir, Version: "bench"}); err != nil {
		b.Fatal(err)
	}
	p, err := project.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(p, Options{ReadOnly: true, Toolsets: []string{"analytics"}})
	if err != nil {
		b.Fatal(err)
	}
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ss.Close()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer cs.Close()
	qs := []string{"gross profit by quarter for FY2026 vs prior year", "top 5 customers by revenue in FY2026", "revenue for acme industrees by fiscal year"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "ask_question", Arguments: map[string]any{"question": qs[i%len(qs)]}})
		if err != nil || res.IsError {
			b.Fatalf("ask_question: %v %+v", err, res)
		}
	}
}
