package mcpserver

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
	"github.com/databridge/databridge/pkg/workflow"
)

// TestServeWhileAnotherProcessDeploys: a running `mcp serve` (a separate
// process) answers run_query on the local DuckDB warehouse while this
// process deploys to it and writes to it with `sql --write`. DuckDB allows
// one writing process or many reading ones, never both: the server opens the
// warehouse per call and closes it after, and each side waits, with a
// bound, for the other to let go. Every call and every deploy succeeds.
func TestServeWhileAnotherProcessDeploys(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the quickstart warehouse")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	if _, err := quickstart.Run(ctx, quickstart.Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), stdioChildEnv+"="+dir)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	client := mcp.NewClient(&mcp.Implementation{Name: "databridge-test", Version: "v0"}, nil)
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connect: %v\nstderr:\n%s", err, stderr.String())
	}
	defer cs.Close()

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	wg.Add(2)
	go func() { // the agent reads
		defer wg.Done()
		for i := 0; i < 20; i++ {
			res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "run_query", Arguments: map[string]any{"sql": "SELECT count(*) AS n FROM DT_3_PL"}})
			if err != nil {
				errs <- fmt.Errorf("run_query %d: %w", i, err)
				return
			}
			if res.IsError {
				errs <- fmt.Errorf("run_query %d: %s", i, text(res))
			}
		}
	}()
	go func() { // a person deploys and writes in another shell
		defer wg.Done()
		p, err := project.Open(dir)
		if err != nil {
			errs <- err
			return
		}
		for i := 0; i < 3; i++ {
			q := fmt.Sprintf("CREATE OR REPLACE TABLE scratch_%d AS SELECT * FROM range(1000)", i)
			if _, err := connections.New(p).Query(ctx, connections.QueryInput{SQL: q, Write: true}); err != nil {
				errs <- fmt.Errorf("sql --write %d: %w", i, err)
			}
			if _, rec, rep, err := workflow.NewService(p).Deploy(ctx, "", false); err != nil {
				errs <- fmt.Errorf("deploy %d: %w", i, err)
			} else if rec == nil || rep == nil || rep.Failed > 0 {
				errs <- fmt.Errorf("deploy %d: record %v, report %+v", i, rec, rep)
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
