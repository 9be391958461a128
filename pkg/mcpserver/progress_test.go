package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/project"
)

// progressClient is a client session that records the progress
// notifications it receives, by token; onNote (when set) sees each one.
type progressClient struct {
	cs     *mcp.ClientSession
	mu     sync.Mutex
	notes  map[any][]*mcp.ProgressNotificationParams
	onNote func(*mcp.ProgressNotificationParams)
}

func newProgressClient(t *testing.T, p *project.Project) *progressClient {
	t.Helper()
	srv, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pc := &progressClient{notes: map[any][]*mcp.ProgressNotificationParams{}}
	client := mcp.NewClient(&mcp.Implementation{Name: "progress", Version: "v0"}, &mcp.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
			pc.mu.Lock()
			pc.notes[req.Params.ProgressToken] = append(pc.notes[req.Params.ProgressToken], req.Params)
			f := pc.onNote
			pc.mu.Unlock()
			if f != nil {
				f(req.Params)
			}
		},
	})
	pc.cs = connectClient(t, srv, client, nil)
	return pc
}

// call calls a tool, with a progress token unless token is nil, and
// returns the notifications of that token.
func (pc *progressClient) call(ctx context.Context, t *testing.T, tool string, args map[string]any, token any) (*mcp.CallToolResult, []*mcp.ProgressNotificationParams, error) {
	t.Helper()
	params := &mcp.CallToolParams{Name: tool, Arguments: args}
	if token != nil {
		params.SetProgressToken(token)
	}
	res, err := pc.cs.CallTool(ctx, params)
	// The server sends every notification before the response, but the
	// client handles them on its own goroutines: wait until none has
	// arrived for 100 ms.
	for n := -1; ; time.Sleep(100 * time.Millisecond) {
		pc.mu.Lock()
		m := 0
		for _, ns := range pc.notes {
			m += len(ns)
		}
		pc.mu.Unlock()
		if m == n {
			break
		}
		n = m
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if token == nil {
		var all []*mcp.ProgressNotificationParams
		for _, n := range pc.notes {
			all = append(all, n...)
		}
		return res, all, err
	}
	return res, pc.notes[token], err
}

// checkProgress: progress grows with every notification, never passes a
// stated total, and ends at it when want is set.
func checkProgress(t *testing.T, what string, notes []*mcp.ProgressNotificationParams, ends bool) {
	t.Helper()
	if len(notes) == 0 {
		t.Fatalf("%s: no progress notification", what)
	}
	last := -1.0
	for i, n := range notes {
		if n.Progress <= last {
			t.Errorf("%s: notification %d does not advance: %v after %v", what, i, n.Progress, last)
		}
		last = n.Progress
		if n.Total != 0 && n.Progress > n.Total {
			t.Errorf("%s: progress %v beyond total %v", what, n.Progress, n.Total)
		}
		if n.Message == "" {
			t.Errorf("%s: notification %d has no message", what, i)
		}
	}
	if end := notes[len(notes)-1]; ends && (end.Total == 0 || end.Progress != end.Total) {
		t.Errorf("%s: ends at %v of %v", what, end.Progress, end.Total)
	}
}

// Long tools report progress when the call carries a token, and only
// then: analysis (one step per table and stage), a deploy (one per
// object, then validation, then done), row and total reconciliations.
func TestProgressNotifications(t *testing.T) {
	if testing.Short() {
		t.Skip("deploys the finance example")
	}
	ctx := context.Background()
	p, _ := financeProject(t, false)
	pc := newProgressClient(t, p)

	// Without a token: nothing.
	if res, notes, err := pc.call(ctx, t, "analyze_source_schema", map[string]any{"connection": "src"}, nil); err != nil || res.IsError || len(notes) != 0 {
		t.Fatalf("analyze without a token: %v %v, %d notifications", err, res, len(notes))
	}
	res, notes, err := pc.call(ctx, t, "analyze_source_schema", map[string]any{"connection": "src"}, "analyze-1")
	if err != nil || res.IsError {
		t.Fatalf("analyze: %v %s", err, text(res))
	}
	checkProgress(t, "analyze", notes, false)
	var msgs []string
	for _, n := range notes {
		msgs = append(msgs, n.Message)
	}
	all := strings.Join(msgs, "\n")
	// examples/finance has three tables: each is profiled, then the
	// relationships, then the summary.
	wantContains(t, "analyze progress", all, "profiling 1/3", "profiling 3/3", "gl_transactions", "relationships between 3 tables", "analysed 3 tables")
	if res := callRaw(t, pc.cs, "approve_canonical_model", map[string]any{}); res.IsError {
		t.Fatal(text(res))
	}

	res, notes, err = pc.call(ctx, t, "deploy_warehouse", map[string]any{}, "deploy-1")
	if err != nil || res.IsError {
		t.Fatalf("deploy: %v %s", err, text(res))
	}
	checkProgress(t, "deploy", notes, true)
	var dep deploy.DeployResult
	if err := json.Unmarshal(mustJSON(t, res.StructuredContent), &dep); err != nil {
		t.Fatal(err)
	}
	applied := dep.Plan.Changes()
	// One notification per object applied, one for the validation, one
	// when done; the total counts the objects and the validation.
	if len(notes) != applied+2 || notes[0].Total != float64(applied+1) {
		t.Errorf("deploy: %d notifications of total %v for %d objects", len(notes), notes[0].Total, applied)
	}
	all = ""
	for _, n := range notes {
		all += n.Message + "\n"
	}
	wantContains(t, "deploy progress", all, "1/"+strconv.Itoa(applied)+" ", "DIM_ACCOUNTS", "validating", "done")

	for tool, args := range map[string]map[string]any{
		"compare_tables":   {"left": "src.accounts", "right": "src.accounts", "key": []string{"account_code"}},
		"reconcile_totals": {"left": "src.gl_transactions", "right": "local.FACT_GL_TRANSACTIONS", "measures": []string{"amount"}},
	} {
		res, notes, err := pc.call(ctx, t, tool, args, tool)
		if err != nil || res.IsError {
			t.Fatalf("%s: %v %s", tool, err, text(res))
		}
		checkProgress(t, tool, notes, false)
		if len(notes) != 3 || notes[0].Total != 3 || !strings.Contains(notes[0].Message, "opening src.") || notes[2].Message != "recording the run" {
			t.Errorf("%s: notifications %v", tool, notes)
		}
	}
}

// A client that cancels a deploy midway (notifications/cancelled, here
// through its context) stops it: the transaction is rolled back, the
// ledger says so, and the warehouse holds nothing of it.
func TestDeployCancellation(t *testing.T) {
	if testing.Short() {
		t.Skip("deploys the finance example")
	}
	p, _ := financeProject(t, false)
	pc := newProgressClient(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	pc.onNote = func(n *mcp.ProgressNotificationParams) {
		if n.Progress >= 2 {
			once.Do(cancel)
		}
	}
	_, notes, err := pc.call(ctx, t, "deploy_warehouse", map[string]any{}, "cancel-me")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("deploy: want the call cancelled, got %v", err)
	}
	if len(notes) < 3 {
		t.Fatalf("cancelled after %d notifications", len(notes))
	}
	// The server side stops and records it.
	svc := deploy.NewService(p)
	var rec *deploy.Record
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		rec, err = svc.Status(deploy.RecordInput{})
		if err == nil && rec.Status != deploy.StatusRunning {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the deployment did not stop: %+v %v", rec, err)
		}
	}
	if rec.Status != deploy.StatusFailed || !strings.Contains(rec.Error, "context canceled") {
		t.Fatalf("deployment %s: status %s, error %q", rec.ID, rec.Status, rec.Error)
	}
	last := notes[len(notes)-1]
	if last.Progress == last.Total {
		t.Errorf("the deploy reported done although cancelled: %+v", last)
	}
	// Nothing of it in the warehouse. (Write: the same read-write
	// configuration as the deploy's connection, which the server may not
	// have closed yet; the statement only reads.)
	var q connections.QueryResult
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		q, err = connections.New(p).Query(context.Background(), connections.QueryInput{Write: true,
			SQL: "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name LIKE 'DIM_%' OR table_name LIKE 'FACT_%' OR table_name LIKE 'STG_%'"})
		if err == nil || !strings.Contains(err.Error(), "already open") || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if n := q.Rows[0][0]; n != int64(0) && n != "0" && n != float64(0) {
		t.Errorf("%v warehouse objects left behind", n)
	}
	// And the next deploy, uncancelled, commits.
	res := callRaw(t, pc.cs, "deploy_warehouse", map[string]any{})
	if res.IsError {
		t.Fatalf("deploy after a cancelled one: %s", text(res))
	}
}

// trigger_dbt_run with wait reports each status of the run it follows.
func TestDBTRunProgress(t *testing.T) {
	f := &fakeDBTCloud{t: t, polls: map[string]int{}}
	api := httptest.NewServer(f)
	t.Cleanup(api.Close)
	t.Setenv(testDBTTokenEnv, testDBTToken)
	cloudPollInterval = time.Millisecond
	t.Cleanup(func() { cloudPollInterval = 0 })
	pc := newProgressClient(t, newProject(t))
	res, notes, err := pc.call(context.Background(), t, "trigger_dbt_run",
		map[string]any{"account_id": "1234", "job_id": "77", "token_env": testDBTTokenEnv, "base_url": api.URL, "wait": true}, "dbt")
	if err != nil || res.IsError {
		t.Fatalf("trigger_dbt_run: %v %s", err, text(res))
	}
	checkProgress(t, "trigger_dbt_run", notes, false)
	var msgs []string
	for _, n := range notes {
		msgs = append(msgs, n.Message)
	}
	// The trigger (queued), then each poll: queued, running, success.
	if len(notes) != 1+f.polls["9001"] || msgs[0] != "dbt Cloud run 9001: Queued" || msgs[len(msgs)-1] != "dbt Cloud run 9001: Success" {
		t.Errorf("notifications %q after %d polls", msgs, f.polls["9001"])
	}
}
