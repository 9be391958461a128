package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/auth"
	"github.com/databridge/databridge/pkg/events"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
)

const resourceSnap = "testdata/resources.json"

// TestResourceSnapshot lists the resources and resource templates through
// a real client; the listing must equal testdata/resources.json (rewrite
// with -update and review the diff).
func TestResourceSnapshot(t *testing.T) {
	ctx := context.Background()
	cs := newSession(t, newProject(t), Options{})
	if caps := cs.InitializeResult().Capabilities; caps.Resources == nil || !caps.Resources.Subscribe || caps.Prompts == nil {
		t.Fatalf("capabilities %+v: want resources with subscribe, and prompts", caps)
	}
	rs, err := cs.ListResources(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := cs.ListResourceTemplates(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := indentJSON(t, map[string]any{"resources": rs.Resources, "resourceTemplates": ts.ResourceTemplates})
	if *update {
		if err := os.WriteFile(resourceSnap, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(resourceSnap)
	if err != nil {
		t.Fatalf("no snapshot (%v); run go test ./pkg/mcpserver -run TestResourceSnapshot -update and review it", err)
	}
	if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(got)) {
		t.Errorf("the resources changed from %s; if intended, run go test ./pkg/mcpserver -run TestResourceSnapshot -update and commit the diff.\ngot:\n%s", resourceSnap, got)
	}
}

func readText(t *testing.T, cs *mcp.ClientSession, uri string) (string, string) {
	t.Helper()
	res, err := cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: uri})
	if err != nil {
		t.Fatalf("read %s: %v", uri, err)
	}
	if len(res.Contents) != 1 || res.Contents[0].URI != uri {
		t.Fatalf("read %s: contents %+v", uri, res.Contents)
	}
	return res.Contents[0].Text, res.Contents[0].MIMEType
}

func readErr(t *testing.T, cs *mcp.ClientSession, uri string) string {
	t.Helper()
	_, err := cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: uri})
	if err == nil {
		t.Fatalf("read %s: want an error", uri)
	}
	return err.Error()
}

// canonical re-encodes JSON so two documents compare regardless of key
// order and indentation.
func canonical(t *testing.T, data []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	return string(mustJSON(t, v))
}

// Every resource of a deployed project (the quickstart) reads the same
// JSON as the read tool it mirrors, so an agent gets one answer either way.
func TestResourcesRead(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the quickstart")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "qs")
	if _, err := quickstart.Run(ctx, quickstart.Options{Dir: dir, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cs := newSession(t, p, Options{})
	same := func(uri, tool string, args map[string]any) string {
		t.Helper()
		txt, mime := readText(t, cs, uri)
		if mime != "application/json" {
			t.Errorf("%s: mime %s", uri, mime)
		}
		res := callRaw(t, cs, tool, args)
		if res.IsError {
			t.Fatalf("%s: %s", tool, text(res))
		}
		if a, b := canonical(t, []byte(txt)), string(mustJSON(t, res.StructuredContent)); a != b {
			t.Errorf("%s differs from %s:\nresource %.400s\ntool     %.400s", uri, tool, a, b)
		}
		return txt
	}
	if txt := same("databridge://hierarchies", "list_hierarchies", nil); !strings.Contains(txt, `"id": "pl"`) {
		t.Errorf("hierarchies: %.300s", txt)
	}
	if txt := same("databridge://hierarchies/pl", "get_hierarchy", map[string]any{"id": "pl"}); !strings.Contains(txt, `"GROSS_PROFIT"`) {
		t.Errorf("hierarchy: %.300s", txt)
	}
	same("databridge://models/erp", "review_canonical_model", map[string]any{"model": "erp"})
	latest := same("databridge://deployments/latest", "get_deployment_status", nil)
	var rec struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(latest), &rec); err != nil || rec.Status != "committed" {
		t.Fatalf("latest deployment %+v (%v)", rec, err)
	}
	same("databridge://deployments/"+rec.ID, "get_deployment_status", map[string]any{"id": rec.ID})
	same("databridge://semantic/metrics/gross_margin_pct", "describe_metric", map[string]any{"name": "gross_margin_pct"})

	txt, _ := readText(t, cs, "databridge://models")
	if canonical(t, []byte(txt)) != `{"models":["erp"]}` {
		t.Errorf("models: %s", txt)
	}
	txt, _ = readText(t, cs, "databridge://deployments")
	if !strings.Contains(txt, rec.ID) {
		t.Errorf("deployments do not list %s: %.300s", rec.ID, txt)
	}
	// The semantic layer is the service's layer.
	layer, err := analytics.New(p).Layer()
	if err != nil {
		t.Fatal(err)
	}
	txt, _ = readText(t, cs, "databridge://semantic/layer")
	if canonical(t, []byte(txt)) != canonical(t, mustJSON(t, layer)) || !strings.Contains(txt, "gross_margin_pct") {
		t.Errorf("semantic layer: %.300s", txt)
	}

	// Docs: the index and a page as markdown, equal to the file.
	txt, _ = readText(t, cs, "databridge://docs")
	if !strings.Contains(txt, `"uri": "databridge://docs/mcp"`) || !strings.Contains(txt, `"title": "Getting started"`) {
		t.Errorf("docs index: %.400s", txt)
	}
	page, mime := readText(t, cs, "databridge://docs/mcp")
	onDisk, err := os.ReadFile("../../docs/mcp.md")
	if err != nil {
		t.Fatal(err)
	}
	if page != string(onDisk) || mime != "text/markdown" {
		t.Errorf("docs/mcp: %d bytes (%s), file %d bytes", len(page), mime, len(onDisk))
	}

	// What does not exist says so and what there is.
	wantContains(t, "unknown hierarchy", readErr(t, cs, "databridge://hierarchies/nope"), "hierarchy not found", "nope")
	wantContains(t, "unknown deployment", readErr(t, cs, "databridge://deployments/20990101T000000Z-0000"), "deployment not found")
	wantContains(t, "unknown model", readErr(t, cs, "databridge://models/nope"), "model not found")
	wantContains(t, "unknown page", readErr(t, cs, "databridge://docs/nope"), `no documentation page "nope"`, "getting-started", "mcp")
	for _, uri := range []string{"databridge://docs/..%2Fgo.mod", "databridge://docs/../README", "databridge://hierarchies/pl/extra", "databridge://secrets", "file:///etc/passwd"} {
		msg := readErr(t, cs, uri)
		if strings.Contains(msg, "module github.com") || strings.Contains(msg, "root:") {
			t.Errorf("%s leaked: %s", uri, msg)
		}
	}
}

// A read needs the permission of the read tool it mirrors: the viewer
// reads hierarchies, models and deployments; a role without them is
// refused, with the docs still open.
func TestResourcesRespectRoles(t *testing.T) {
	p := newProject(t)
	pol, err := auth.LoadPolicy(p.Root)
	if err != nil {
		t.Fatal(err)
	}
	pol.Roles["outsider"] = auth.Role{Name: "outsider", Allow: map[auth.Resource][]auth.Action{}}
	for role, canRead := range map[string]bool{auth.RoleViewer: true, "outsider": false} {
		pol.StdioRole = role
		srv, err := New(p, Options{Policy: pol})
		if err != nil {
			t.Fatal(err)
		}
		// The 2025-06-18 protocol answers a subscription, so a refusal
		// is seen.
		cs := connectClient(t, srv, mcp.NewClient(&mcp.Implementation{Name: "t", Version: "v0"}, nil), legacyProtocol)
		for _, uri := range []string{"databridge://hierarchies", "databridge://models", "databridge://deployments"} {
			_, err := cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: uri})
			denied := err != nil && strings.Contains(err.Error(), "permission denied")
			if denied == canRead {
				t.Errorf("%s reading %s: %v", role, uri, err)
			}
			if denied {
				wantContains(t, "refusal", err.Error(), `role "outsider" may not read `+uri)
			}
			err = cs.Subscribe(context.Background(), &mcp.SubscribeParams{URI: uri})
			if (err != nil && strings.Contains(err.Error(), "permission denied")) == canRead {
				t.Errorf("%s subscribing to %s: %v", role, uri, err)
			}
		}
		if txt, _ := readText(t, cs, "databridge://docs/security"); !strings.Contains(txt, "# ") {
			t.Errorf("%s: docs unreadable", role)
		}
	}
}

var legacyProtocol = &mcp.ClientSessionOptions{ProtocolVersion: "2025-06-18"}

// Subscribed sessions hear about the resources an event changes; others
// do not, and only databridge resources can be subscribed to — under the
// 2025-06-18 protocol (resources/subscribe) and the 2026-07-28 one
// (subscriptions/listen, where a subscription is not answered).
func TestResourceUpdatedNotifications(t *testing.T) {
	for _, proto := range []*mcp.ClientSessionOptions{legacyProtocol, nil} {
		name := "latest"
		if proto != nil {
			name = proto.ProtocolVersion
		}
		t.Run(name, func(t *testing.T) { testResourceUpdated(t, proto) })
	}
}

func testResourceUpdated(t *testing.T, proto *mcp.ClientSessionOptions) {
	ctx := context.Background()
	p := newProject(t)
	pol, err := auth.LoadPolicy(p.Root)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	listen := func() (*mcp.ClientSession, func() []string, chan string) {
		var mu sync.Mutex
		var got []string
		heard := make(chan string, 64)
		client := mcp.NewClient(&mcp.Implementation{Name: "subscriber", Version: "v0"}, &mcp.ClientOptions{
			ResourceUpdatedHandler: func(_ context.Context, req *mcp.ResourceUpdatedNotificationRequest) {
				mu.Lock()
				got = append(got, req.Params.URI)
				mu.Unlock()
				heard <- req.Params.URI
			},
		})
		return connectClient(t, srv, client, proto), func() []string {
			mu.Lock()
			defer mu.Unlock()
			out := slices.Clone(got)
			got = got[:0]
			return out
		}, heard
	}
	cs, heardList, heard := listen()
	other, otherHeard, _ := listen() // subscribes to something else
	subscribed := []string{"databridge://hierarchies/pl", "databridge://deployments/latest"}
	for _, uri := range subscribed {
		if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: uri}); err != nil {
			t.Fatal(err)
		}
	}
	if err := other.Subscribe(ctx, &mcp.SubscribeParams{URI: "databridge://models/erp"}); err != nil {
		t.Fatal(err)
	}
	err = cs.Subscribe(ctx, &mcp.SubscribeParams{URI: "file:///etc/passwd"})
	if proto != nil && (err == nil || !strings.Contains(err.Error(), "not a databridge resource")) {
		t.Errorf("subscribe to a file: %v", err)
	}
	// Under 2026-07-28 a subscription is a background request: wait
	// until the server has it (a change is heard) before counting.
	for _, uri := range subscribed {
		deadline := time.Now().Add(5 * time.Second)
		for ok := false; !ok; {
			ResourceChanged(ctx, srv, uri)
			select {
			case <-heard:
				ok = true
			case <-time.After(50 * time.Millisecond):
				if time.Now().After(deadline) {
					t.Fatalf("%s: never heard", uri)
				}
			}
		}
	}
	time.Sleep(50 * time.Millisecond)
	heardList()
	for len(heard) > 0 {
		<-heard
	}

	// A hierarchy event about another hierarchy: nothing subscribed.
	ResourceChanged(ctx, srv, ResourcesFor("hierarchy.updated", map[string]any{"id": "bs"})...)
	ResourceChanged(ctx, srv, ResourcesFor("hierarchy.published", map[string]any{"id": "pl", "version": 2})...)
	ResourceChanged(ctx, srv, ResourcesFor("deployment.completed", map[string]any{"id": "20261203T101500Z-ab12"})...)
	ResourceChanged(ctx, srv, "file:///etc/passwd")
	for range subscribed {
		select {
		case <-heard:
		case <-time.After(5 * time.Second):
			t.Fatalf("notifications: got %v, want %v", heardList(), subscribed)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if got := heardList(); !slices.Equal(got, subscribed) {
		t.Errorf("heard %v, want %v", got, subscribed)
	}
	if got := otherHeard(); len(got) != 0 {
		t.Errorf("the other session heard %v", got)
	}
	// Unsubscribed: no more.
	if err := cs.Unsubscribe(ctx, &mcp.UnsubscribeParams{URI: "databridge://hierarchies/pl"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	ResourceChanged(ctx, srv, "databridge://hierarchies/pl")
	time.Sleep(100 * time.Millisecond)
	if got := heardList(); len(got) != 0 {
		t.Errorf("heard %v after unsubscribing", got)
	}

	// A role that may not read deployments cannot watch them either.
	pol.Roles["outsider"] = auth.Role{Name: "outsider", Allow: map[auth.Resource][]auth.Action{}}
	pol.StdioRole = "outsider"
	srv, err = New(p, Options{Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	cs, heardList, _ = listen()
	err = cs.Subscribe(ctx, &mcp.SubscribeParams{URI: "databridge://deployments/latest"})
	if proto != nil && (err == nil || !strings.Contains(err.Error(), "permission denied")) {
		t.Errorf("outsider subscribing: %v", err)
	}
	time.Sleep(200 * time.Millisecond)
	ResourceChanged(ctx, srv, "databridge://deployments/latest")
	time.Sleep(100 * time.Millisecond)
	if got := heardList(); len(got) != 0 {
		t.Errorf("the outsider heard %v", got)
	}
}

// The server follows the project's event bus: a change made through a
// tool reaches the sessions watching it (add_hierarchy_node publishes
// hierarchy.updated, which becomes notifications/resources/updated for
// databridge://hierarchies/pl).
func TestFollowEvents(t *testing.T) {
	ctx := context.Background()
	p := newProject(t)
	srv, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	heard := make(chan string, 16)
	client := mcp.NewClient(&mcp.Implementation{Name: "watcher", Version: "v0"}, &mcp.ClientOptions{
		ResourceUpdatedHandler: func(_ context.Context, req *mcp.ResourceUpdatedNotificationRequest) { heard <- req.Params.URI },
	})
	cs := connectClient(t, srv, client, legacyProtocol)
	for _, uri := range []string{"databridge://hierarchies/pl", "databridge://hierarchies"} {
		if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: uri}); err != nil {
			t.Fatal(err)
		}
	}
	if res := callRaw(t, cs, "create_hierarchy", map[string]any{"id": "pl", "name": "PL", "source_columns": []string{"account"}}); res.IsError {
		t.Fatal(text(res))
	}
	got := map[string]int{}
	wait := func(n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			select {
			case u := <-heard:
				got[u]++
			case <-time.After(5 * time.Second):
				t.Fatalf("heard %v, want %d more", got, n-i)
			}
		}
	}
	wait(2)
	if res := callRaw(t, cs, "add_hierarchy_node", map[string]any{"id": "pl", "code": "REV", "name": "Revenue"}); res.IsError {
		t.Fatal(text(res))
	}
	wait(2)
	if got["databridge://hierarchies/pl"] != 2 || got["databridge://hierarchies"] != 2 {
		t.Errorf("heard %v", got)
	}
	// Events on the bus, whoever published them, go to the subscribed
	// session once per FollowEvents (the server's own and this one);
	// after stop, once.
	if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: "databridge://models/erp"}); err != nil {
		t.Fatal(err)
	}
	stop := FollowEvents(srv, events.For(p))
	events.Emit(ctx, p, events.ModelApproved, map[string]any{"model": "erp"})
	wait(2)
	if got["databridge://models/erp"] != 2 {
		t.Errorf("heard %v", got)
	}
	stop()
	events.Emit(ctx, p, events.ModelApproved, map[string]any{"model": "erp"})
	wait(1)
	select {
	case u := <-heard:
		t.Errorf("heard %s twice after stop", u)
	case <-time.After(300 * time.Millisecond):
	}
}

func TestResourcesFor(t *testing.T) {
	for _, c := range []struct {
		typ  string
		data map[string]any
		want []string
	}{
		{"deployment.completed", map[string]any{"id": "D1", "target": "local"}, []string{"databridge://deployments", "databridge://deployments/latest", "databridge://deployments/D1", "databridge://semantic/layer"}},
		{"deployment.failed", map[string]any{"deployment": "D2"}, []string{"databridge://deployments", "databridge://deployments/latest", "databridge://deployments/D2"}},
		{"deployment.completed", map[string]any{"deployment": "D3", "default_target": false}, []string{"databridge://deployments/D3"}},
		{"deployment.rolled_back", nil, []string{"databridge://deployments", "databridge://deployments/latest", "databridge://semantic/layer"}},
		{"hierarchy.published", map[string]any{"hierarchy": "acme pl"}, []string{"databridge://hierarchies", "databridge://hierarchies/acme%20pl"}},
		{"model.approved", map[string]any{"model": "erp"}, []string{"databridge://models", "databridge://models/erp"}},
		{"semantic.refreshed", nil, []string{"databridge://semantic/layer"}},
		{"validation.passed", nil, nil},
	} {
		if got := ResourcesFor(c.typ, c.data); !slices.Equal(got, c.want) {
			t.Errorf("%s %v: %v, want %v", c.typ, c.data, got, c.want)
		}
		for _, u := range c.want {
			if _, _, ok := lookupResource(u); !ok {
				t.Errorf("%s is not a served resource", u)
			}
		}
	}
}

// connectClient is connect with a given client (options for
// notifications) and session options (the protocol version).
func connectClient(t *testing.T, srv *mcp.Server, client *mcp.Client, opts *mcp.ClientSessionOptions) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	ct, st := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := client.Connect(ctx, ct, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cs.Close()
		ss.Wait()
	})
	return cs
}
