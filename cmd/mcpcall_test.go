package cmd_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/project"
)

// mcpcall TARGET tools | mcpcall TARGET TOOL [JSON-ARGS]
//
// Connects a real MCP client to TARGET — "stdio" spawns `databridge mcp
// serve [extra args from $MCP_ARGS]` in the script's working folder, or an
// http:// URL of a running `mcp serve --http` — then prints the tool names
// (one per line) or the tool's structured result as JSON. A tool error is a
// command failure whose message is printed on stderr; when the tool's
// checks failed (isError with a result) the result is still printed.
func mcpcall(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: mcpcall stdio|URL tools|TOOL [JSON]")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "testscript", Version: "1"}, nil)
	var transport mcp.Transport
	if args[0] == "stdio" {
		bin := lookPath(ts, "databridge")
		cmdArgs := append([]string{"mcp", "serve"}, strings.Fields(ts.Getenv("MCP_ARGS"))...)
		c := exec.CommandContext(ctx, bin, cmdArgs...)
		c.Dir = ts.MkAbs(".")
		c.Env = scriptEnv(ts)
		transport = &mcp.CommandTransport{Command: c}
	} else {
		transport = &mcp.StreamableClientTransport{Endpoint: args[0]}
	}
	var sess *mcp.ClientSession
	var err error
	// An HTTP server started in the background may still be binding.
	for i := 0; i < 50; i++ {
		sess, err = client.Connect(ctx, transport, nil)
		if err == nil || args[0] == "stdio" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		if neg {
			fmt.Fprintf(ts.Stderr(), "connect %s: %v\n", args[0], err)
			return
		}
		ts.Fatalf("connect %s: %v", args[0], err)
	}
	defer sess.Close()
	if args[1] == "tools" {
		res, err := sess.ListTools(ctx, nil)
		if err != nil {
			ts.Fatalf("list tools: %v", err)
		}
		var names []string
		for _, t := range res.Tools {
			names = append(names, t.Name)
		}
		sort.Strings(names)
		fmt.Fprintln(ts.Stdout(), strings.Join(names, "\n"))
		return
	}
	params := &mcp.CallToolParams{Name: args[1]}
	if len(args) > 2 {
		var m map[string]any
		if err := json.Unmarshal([]byte(args[2]), &m); err != nil {
			ts.Fatalf("arguments: %v", err)
		}
		params.Arguments = m
	}
	res, err := sess.CallTool(ctx, params)
	if err != nil {
		ts.Fatalf("call %s: %v", args[1], err)
	}
	if res.IsError {
		var msg []string
		for _, c := range res.Content {
			if t, ok := c.(*mcp.TextContent); ok {
				msg = append(msg, t.Text)
			}
		}
		fmt.Fprintln(ts.Stderr(), strings.Join(msg, "\n"))
		if res.StructuredContent != nil {
			// Checks that failed: the result comes with the error.
			out, _ := json.MarshalIndent(res.StructuredContent, "", "  ")
			fmt.Fprintln(ts.Stdout(), string(out))
		}
		if !neg {
			ts.Fatalf("tool %s failed", args[1])
		}
		return
	}
	if neg {
		ts.Fatalf("tool %s succeeded unexpectedly", args[1])
	}
	out, _ := json.MarshalIndent(res.StructuredContent, "", "  ")
	fmt.Fprintln(ts.Stdout(), string(out))
}

// freeport PORTVAR: sets $PORTVAR to a free loopback TCP port.
func freeport(ts *testscript.TestScript, neg bool, args []string) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ts.Fatalf("%v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ts.Setenv(args[0], fmt.Sprint(port))
}

func lookPath(ts *testscript.TestScript, name string) string {
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	ts.Fatalf("%s not on the script's PATH", name)
	return ""
}

func scriptEnv(ts *testscript.TestScript) []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "WORK", "NO_COLOR", "EXAMPLES", "DATABRIDGE_PROJECT_DIR"} {
		env = append(env, k+"="+ts.Getenv(k))
	}
	// testscript.Main re-executes the test binary as "databridge" when it
	// sees its marker variable; pass every variable the script set.
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TESTSCRIPT_") || strings.HasPrefix(kv, "GO") {
			env = append(env, kv)
		}
	}
	return env
}

// runsql DIR: runs the generated script files of DIR (01_… to 05_…) on the
// project's default target, statement by statement, through `databridge
// sql --write`'s service.
func runsql(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: runsql DIR")
	}
	dir := ts.MkAbs(args[0])
	p, err := project.Open(ts.MkAbs("."))
	if err != nil {
		ts.Fatalf("%v", err)
	}
	svc := connections.New(p)
	for _, f := range []string{"01_dimensions.sql", "02_facts.sql", "03_views.sql", "04_dynamic_tables.sql", "05_grants.sql"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			ts.Fatalf("%v", err)
		}
		c, err := svc.Connect(context.Background(), "", false)
		if err != nil {
			ts.Fatalf("%v", err)
		}
		for _, chunk := range strings.Split(string(data), ";\n\n") {
			body := chunk
			var lines []string
			for _, l := range strings.Split(body, "\n") {
				if !strings.HasPrefix(strings.TrimSpace(l), "--") {
					lines = append(lines, l)
				}
			}
			if strings.TrimSpace(strings.Join(lines, "\n")) == "" {
				continue
			}
			if _, err := c.Exec(context.Background(), chunk); err != nil {
				c.Close()
				ts.Fatalf("%s: %v", f, err)
			}
		}
		c.Close()
	}
}
