package cmd_test

// Cross-process proof of the MCP resource notifications (docs/mcp.md,
// Resources): a client subscribed to databridge://hierarchies/pl on a
// running `databridge mcp serve --http` hears about the hierarchy a
// `databridge hierarchy new` in another process creates and then edits,
// through the project's event journal (no Redis). Both processes are this
// test binary run as databridge (see events_sync_test.go for the helpers).

import (
	"context"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/events"
)

func TestResourceNotificationsAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts mcp serve")
	}
	root := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(databridgeBin(t), args...)
		cmd.Dir, cmd.Env = root, syncEnv("")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("databridge %v: %v\n%s", args, err, out)
		}
	}
	run("init")
	s := startServer(t, root, "")
	s.waitConnected(t, events.TransportFile, 1, 60*time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type note struct {
		uri string
		at  time.Time
	}
	heard := make(chan note, 64)
	client := mcp.NewClient(&mcp.Implementation{Name: "watcher", Version: "v0"}, &mcp.ClientOptions{
		ResourceUpdatedHandler: func(_ context.Context, req *mcp.ResourceUpdatedNotificationRequest) {
			heard <- note{req.Params.URI, time.Now()}
		},
	})
	cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: s.mcpURL}, &mcp.ClientSessionOptions{ProtocolVersion: "2025-06-18"})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: "databridge://hierarchies/pl"}); err != nil {
		t.Fatal(err)
	}
	// Each change: the time from the other process's start to the
	// notification (an upper bound of event-to-notification latency).
	var lat []time.Duration
	change := func(args ...string) {
		t.Helper()
		start := time.Now()
		run(args...)
		select {
		case n := <-heard:
			if n.uri != "databridge://hierarchies/pl" {
				t.Errorf("%v: heard %s", args, n.uri)
			}
			lat = append(lat, n.at.Sub(start))
		case <-time.After(30 * time.Second):
			t.Fatalf("%v: no notification within 30 s", args)
		}
	}
	change("hierarchy", "new", "Acme P&L", "--template", "standard_pl", "--id", "pl")
	for i := 0; i < 10; i++ {
		change("hierarchy", "node", "add", "pl", fmt.Sprintf("OTHER_INCOME_%d", i), "--name", "Other income", "--parent", "REVENUE")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	t.Logf("%d changes in another process: CLI start to notification p50 %v, max %v", len(lat), lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))

	// The resource now reads what the other process wrote.
	res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "databridge://hierarchies/pl"})
	if err != nil {
		t.Fatal(err)
	}
	if txt := res.Contents[0].Text; !strings.Contains(txt, `"OTHER_INCOME_9"`) {
		t.Errorf("the resource does not show the new node: %.300s", txt)
	}
	select {
	case n := <-heard:
		t.Errorf("an extra notification: %s", n.uri)
	case <-time.After(300 * time.Millisecond):
	}
}
