package events

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/testenv"
)

// newProject makes a project with a unique name (channels on a shared
// Redis do not collide between tests).
func newProject(t *testing.T) *project.Project {
	t.Helper()
	root := t.TempDir()
	name := fmt.Sprintf("evtest-%d-%d", os.Getpid(), time.Now().UnixNano())
	if _, err := project.Init(root, name); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// otherProcess is a bus of p that identifies as another process (two
// buses in one test stand for two processes).
func otherProcess(t *testing.T, p *project.Project) *Bus {
	t.Helper()
	b, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	b.src = Source{Process: fmt.Sprintf("other-%d", time.Now().UnixNano()), PID: 1}
	return b
}

// collector gathers events from a subscriber.
type collector struct {
	mu  sync.Mutex
	got []Event
	ch  chan Event
}

func newCollector() *collector { return &collector{ch: make(chan Event, 1000)} }

func (c *collector) add(e Event) {
	c.mu.Lock()
	c.got = append(c.got, e)
	c.mu.Unlock()
	c.ch <- e
}

func (c *collector) wait(t *testing.T, d time.Duration) Event {
	t.Helper()
	select {
	case e := <-c.ch:
		return e
	case <-time.After(d):
		t.Fatalf("no event within %s", d)
	}
	return Event{}
}

func (c *collector) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case e := <-c.ch:
		t.Fatalf("unexpected event %s %v", e.Type, e.Data)
	case <-time.After(d):
	}
}

// listening starts b.Listen and waits until the transport is up.
func listening(t *testing.T, b *Bus) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	up := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = b.listen(ctx, func() { close(up) })
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-up:
	case <-time.After(10 * time.Second):
		t.Fatal("the transport did not come up")
	}
}

func TestPublishInProcessAndJournal(t *testing.T) {
	p := newProject(t)
	b, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if b.Transport() != TransportFile {
		t.Fatalf("transport %s, want file without Redis", b.Transport())
	}
	c := newCollector()
	stop := b.Subscribe(c.add)
	e, err := b.Publish(context.Background(), Event{Type: HierarchyPublished, Data: map[string]any{"hierarchy": "pl", "version": 2}})
	if err != nil {
		t.Fatal(err)
	}
	got := c.wait(t, 2*time.Second)
	if got.ID != e.ID || got.Type != HierarchyPublished || got.Project != p.Config.Name || got.Source.Process != b.src.Process {
		t.Fatalf("subscriber got %+v, published %+v", got, e)
	}
	// The journal holds the same event as one JSON line.
	data, err := os.ReadFile(p.Path("state", "events", JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 1 {
		t.Fatalf("journal has %d lines, want 1", len(lines))
	}
	var j Event
	if err := json.Unmarshal([]byte(lines[0]), &j); err != nil {
		t.Fatal(err)
	}
	if j.ID != e.ID || j.Str("hierarchy") != "pl" || j.Str("version") != "2" {
		t.Fatalf("journal line %s", lines[0])
	}
	// After unsubscribing nothing more arrives.
	stop()
	if _, err := b.Publish(context.Background(), Event{Type: HierarchyUpdated}); err != nil {
		t.Fatal(err)
	}
	c.none(t, 200*time.Millisecond)
	recent, err := b.Recent(10)
	if err != nil || len(recent) != 2 || recent[0].ID != e.ID || recent[1].Type != HierarchyUpdated {
		t.Fatalf("recent: %v %v", recent, err)
	}
}

// Two processes on one project folder without Redis: the second sees the
// first's events through the journal; its own events are not handed to
// its subscribers twice.
func TestFileTransportAcrossProcesses(t *testing.T) {
	p := newProject(t)
	server := otherProcess(t, p)
	cli := otherProcess(t, p)
	c := newCollector()
	server.Subscribe(c.add)
	listening(t, server)

	e, err := cli.Publish(context.Background(), Event{Type: DeploymentCompleted, Data: map[string]any{"deployment": "d1", "target": "local"}})
	if err != nil {
		t.Fatal(err)
	}
	got := c.wait(t, 3*time.Second)
	if got.ID != e.ID || got.Str("deployment") != "d1" || got.Source.Process != cli.src.Process {
		t.Fatalf("server got %+v, want %+v", got, e)
	}
	// The server's own event reaches its subscribers once (from Publish).
	own, _ := server.Publish(context.Background(), Event{Type: ValidationPassed})
	if g := c.wait(t, 2*time.Second); g.ID != own.ID {
		t.Fatalf("got %s, want the server's own event", g.ID)
	}
	c.none(t, 1500*time.Millisecond)
	// Many events in a burst arrive complete and in order.
	var ids []string
	for i := range 200 {
		e, err := cli.Publish(context.Background(), Event{Type: HierarchyUpdated, Data: map[string]any{"i": i}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	for i, id := range ids {
		if g := c.wait(t, 3*time.Second); g.ID != id {
			t.Fatalf("event %d: got %s, want %s", i, g.ID, id)
		}
	}
}

// A rotation of the journal (past its size limit) loses nothing: the
// follower finishes the old file before reading the new one.
func TestFileTransportRotation(t *testing.T) {
	old := journalMax
	journalMax = 10000
	t.Cleanup(func() { journalMax = old })
	p := newProject(t)
	server := otherProcess(t, p)
	cli := otherProcess(t, p)
	c := newCollector()
	server.Subscribe(c.add)
	listening(t, server)
	var ids []string
	for i := range 40 {
		e, err := cli.Publish(context.Background(), Event{Type: HierarchyUpdated, Data: map[string]any{"i": i, "pad": strings.Repeat("x", 100)}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	if _, err := os.Stat(p.Path("state", "events", JournalFile+".1")); err != nil {
		t.Fatalf("the journal was not rotated: %v", err)
	}
	seen := map[string]bool{}
	for i := range ids {
		select {
		case e := <-c.ch:
			seen[e.ID] = true
		case <-time.After(3 * time.Second):
			t.Fatalf("got %d of %d events", i, len(ids))
		}
	}
	for _, id := range ids {
		if !seen[id] {
			t.Fatalf("event %s lost across the rotation", id)
		}
	}
}

// The file follower works without fsnotify events too (polling).
func TestFileTransportPolling(t *testing.T) {
	p := newProject(t)
	j := newJournal(p.Path("state", "events"))
	fw := &follower{j: j}
	var got []Event
	if err := fw.read(func(e Event) { got = append(got, e) }); err != nil || len(got) != 0 {
		t.Fatalf("empty journal: %v %v", got, err)
	}
	for i := range 3 {
		if err := j.append(Event{ID: strconv.Itoa(i), Type: ModelApproved}); err != nil {
			t.Fatal(err)
		}
	}
	// A half-written line is held back until it is complete.
	f, _ := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"id":"3","type":"model.appr`)
	if err := fw.read(func(e Event) { got = append(got, e) }); err != nil || len(got) != 3 {
		t.Fatalf("got %d events (%v), want 3", len(got), err)
	}
	f.WriteString("oved\"}\n")
	f.Close()
	if err := fw.read(func(e Event) { got = append(got, e) }); err != nil || len(got) != 4 || got[3].ID != "3" {
		t.Fatalf("got %v (%v), want the completed 4th line", got, err)
	}
}

// Emit is the services' hook: it never fails and writes the journal.
func TestEmit(t *testing.T) {
	p := newProject(t)
	Emit(context.Background(), p, ReconcileCompleted, map[string]any{"run": "r1", "agree": true})
	evs, err := For(p).Recent(5)
	if err != nil || len(evs) != 1 || evs[0].Type != ReconcileCompleted || evs[0].Data["agree"] != true {
		t.Fatalf("journal: %v %v", evs, err)
	}
	if For(p) != For(p) {
		t.Fatal("For returns one bus per project")
	}
}

func redisProject(t *testing.T, url string) *project.Project {
	t.Helper()
	p := newProject(t)
	p.Config.Events = &project.EventsConfig{RedisURL: url}
	return p
}

// Through the shared test Redis: another process's event arrives on the
// project's channel; a different project's does not.
func TestRedisTransport(t *testing.T) {
	url := testenv.Need(t, testenv.RedisURL, "Redis")
	p := redisProject(t, url)
	server := otherProcess(t, p)
	cli := otherProcess(t, p)
	if server.Transport() != TransportRedis || !strings.Contains(server.Where(), ChannelPrefix(p.Config.Name)) {
		t.Fatalf("transport %s at %s", server.Transport(), server.Where())
	}
	c := newCollector()
	server.Subscribe(c.add)
	listening(t, server)

	stranger := otherProcess(t, redisProject(t, url))
	if _, err := stranger.Publish(context.Background(), Event{Type: DeploymentCompleted}); err != nil {
		t.Fatal(err)
	}
	e, err := cli.Publish(context.Background(), Event{Type: DeploymentCompleted, Data: map[string]any{"deployment": "d7"}})
	if err != nil {
		t.Fatal(err)
	}
	got := c.wait(t, 3*time.Second)
	if got.ID != e.ID || got.Project != p.Config.Name || got.Str("deployment") != "d7" {
		t.Fatalf("got %+v, want %+v", got, e)
	}
	c.none(t, 300*time.Millisecond)
	// The server's own event is not delivered twice.
	own, _ := server.Publish(context.Background(), Event{Type: ValidationFailed})
	if g := c.wait(t, 2*time.Second); g.ID != own.ID {
		t.Fatalf("got %s want own %s", g.ID, own.ID)
	}
	c.none(t, 500*time.Millisecond)
}

// A literal password in events.redis_url is refused; ${ENV} references
// are expanded; the URL's credentials never appear in Where.
func TestRedisURLConfig(t *testing.T) {
	p := newProject(t)
	p.Config.Events = &project.EventsConfig{RedisURL: "redis://:hunter2@127.0.0.1:1/0"}
	if _, err := Open(p); err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "${ENV}") {
		t.Fatalf("literal password: %v", err)
	}
	t.Setenv("EVT_TEST_PW", "s3cret-pw")
	p.Config.Events.RedisURL = "redis://:${EVT_TEST_PW}@127.0.0.1:1/0"
	b, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if b.Transport() != TransportRedis || strings.Contains(b.Where(), "s3cret") {
		t.Fatalf("where: %s", b.Where())
	}
	p.Config.Events.RedisURL = "redis://:${EVT_TEST_UNSET_VAR}@127.0.0.1:1/0"
	if _, err := Open(p); err == nil || !strings.Contains(err.Error(), "EVT_TEST_UNSET_VAR") {
		t.Fatalf("unset variable: %v", err)
	}
	// DATABRIDGE_REDIS_URL overrides the config.
	t.Setenv(EnvRedisURL, "redis://127.0.0.1:2/0")
	if b, err := Open(p); err != nil || !strings.Contains(b.Where(), "127.0.0.1:2") {
		t.Fatalf("env override: %v %v", b, err)
	}
	// A Redis that cannot be reached fails the publish (quickly), not the
	// caller of Emit, and the journal still has the event.
	var logs bytes.Buffer
	b, _ = Open(p)
	b.SetLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	start := time.Now()
	if _, err := b.Publish(context.Background(), Event{Type: ModelApproved}); err == nil {
		t.Fatal("publishing to a closed port succeeded")
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Fatalf("publishing to an unreachable Redis took %s", d)
	}
	if evs, _ := b.Recent(1); len(evs) != 1 || evs[0].Type != ModelApproved {
		t.Fatalf("journal: %v", evs)
	}
}

// startRedis runs a private redis-server on port (0: a free one) and
// returns its port and a function that kills it.
func startRedis(t *testing.T, port int) (int, func()) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		testenv.Missing(t, "redis-server is not on PATH (the Redis-kill test runs its own)")
	}
	if port == 0 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port = l.Addr().(*net.TCPAddr).Port
		l.Close()
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	kill := func() {
		_ = cmd.Process.Kill()
		<-done
	}
	t.Cleanup(func() {
		select {
		case <-done:
		default:
			kill()
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %d did not start", port)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return port, kill
}

func gauge(t *testing.T, transport string) float64 {
	t.Helper()
	return gaugeValue(metricConnected.WithLabelValues(transport))
}

func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill Redis under a listening bus: the gauge drops to 0 and the loss is
// logged; Redis back on the same port: the bus reconnects by itself
// (gauge 1, logged) and events flow again. Metrics are served from a
// registry as the MCP server does.
func TestRedisKillAndReconnect(t *testing.T) {
	port, kill := startRedis(t, 0)
	url := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	p := redisProject(t, url)
	reg := prometheus.NewRegistry()
	if err := RegisterMetrics(reg); err != nil {
		t.Fatal(err)
	}
	if err := RegisterMetrics(reg); err != nil {
		t.Fatalf("registering twice: %v", err)
	}
	server := otherProcess(t, p)
	var logs syncBuffer
	server.SetLogger(slog.New(slog.NewJSONHandler(&logs, nil)))
	c := newCollector()
	server.Subscribe(c.add)
	listening(t, server)
	if g := gauge(t, TransportRedis); g != 1 {
		t.Fatalf("gauge %v while connected", g)
	}
	cli := otherProcess(t, p)
	if _, err := cli.Publish(context.Background(), Event{Type: DeploymentCompleted}); err != nil {
		t.Fatal(err)
	}
	c.wait(t, 3*time.Second)

	kill()
	start := time.Now()
	waitFor(t, 10*time.Second, "the gauge to drop", func() bool { return gauge(t, TransportRedis) == 0 })
	t.Logf("disconnection noticed after %s", time.Since(start).Round(time.Millisecond))
	waitFor(t, 2*time.Second, "the log line", func() bool { return strings.Contains(logs.String(), "transport down") })
	// Publishing while Redis is down fails but the journal has the event.
	if _, err := cli.Publish(context.Background(), Event{Type: DeploymentCompleted}); err == nil {
		t.Fatal("publish succeeded with Redis down")
	}

	startRedis(t, port)
	start = time.Now()
	waitFor(t, 10*time.Second, "the reconnection", func() bool { return gauge(t, TransportRedis) == 1 })
	t.Logf("reconnected %s after Redis was back", time.Since(start).Round(time.Millisecond))
	waitFor(t, 2*time.Second, "the log line", func() bool { return strings.Contains(logs.String(), "transport reconnected") })
	// Subscribers are told the transport is back (events were missed).
	if g := c.wait(t, 3*time.Second); g.Type != Reconnected || g.Str("transport") != TransportRedis {
		t.Fatalf("after reconnecting got %s %v, want %s", g.Type, g.Data, Reconnected)
	}
	// A new command (process) publishes again; this one's publisher
	// does not retry Redis for a while after its failure, quickly.
	start = time.Now()
	if _, err := cli.Publish(context.Background(), Event{Type: DeploymentCompleted}); err == nil || !strings.Contains(err.Error(), "not attempted") || time.Since(start) > time.Second {
		t.Fatalf("publishing right after a failure: %v after %s", err, time.Since(start))
	}
	cli = otherProcess(t, p)
	e, err := cli.Publish(context.Background(), Event{Type: DeploymentCompleted, Data: map[string]any{"deployment": "after"}})
	if err != nil {
		t.Fatal(err)
	}
	if g := c.wait(t, 3*time.Second); g.ID != e.ID {
		t.Fatalf("after reconnecting got %s, want %s", g.ID, e.ID)
	}
	// The gauge is on the registry the server serves.
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, mf := range mfs {
		if mf.GetName() == "databridge_events_connected" {
			for _, m := range mf.GetMetric() {
				found = found || m.GetGauge().GetValue() == 1
			}
		}
	}
	if !found {
		t.Fatal("the registry does not serve databridge_events_connected 1")
	}
}

func gaugeValue(g prometheus.Gauge) float64 {
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		return -1
	}
	return m.GetGauge().GetValue()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Webhooks: the event is posted with an HMAC-SHA256 signature of the body
// made with the secret from the environment; a filtered webhook gets only
// its types; a failing endpoint is retried and reported with its host
// only; the secret is in no file and no log.
func TestWebhooks(t *testing.T) {
	const secret = "whsec-5b1f0c2d"
	t.Setenv("EVT_HOOK_SECRET", secret)
	type delivery struct {
		body []byte
		h    http.Header
	}
	got := make(chan delivery, 10)
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- delivery{b, r.Header.Clone()}
	}))
	defer ok.Close()
	var fails int
	var fmu sync.Mutex
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmu.Lock()
		fails++
		fmu.Unlock()
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer bad.Close()

	p := newProject(t)
	svc := NewService(p)
	ctx := context.Background()
	h1, err := svc.AddWebhook(ctx, WebhookInput{URL: ok.URL + "/hook/abc", SecretEnv: "EVT_HOOK_SECRET"})
	if err != nil {
		t.Fatal(err)
	}
	h2, err := svc.AddWebhook(ctx, WebhookInput{URL: bad.URL + "/secret-path-token", Types: []string{"close.signed_off"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddWebhook(ctx, WebhookInput{URL: ok.URL + "/hook/abc"}); err == nil {
		t.Fatal("the same URL twice was accepted")
	}
	for _, bad := range []WebhookInput{{URL: "ftp://x"}, {URL: "not a url"}, {URL: ok.URL, Types: []string{"nope"}}, {URL: ok.URL + "/2", SecretEnv: "has space"}} {
		if _, err := svc.AddWebhook(ctx, bad); err == nil {
			t.Fatalf("accepted %+v", bad)
		}
	}
	list, err := svc.Webhooks()
	if err != nil || len(list) != 2 || list[0].ID != h1.ID || list[1].ID != h2.ID {
		t.Fatalf("list %v %v", list, err)
	}

	b, _ := Open(p)
	var logs syncBuffer
	b.SetLogger(slog.New(slog.NewJSONHandler(&logs, nil)))
	e, err := b.Publish(ctx, Event{Type: DeploymentCompleted, Data: map[string]any{"deployment": "d1"}})
	if err != nil {
		t.Fatal(err)
	}
	d := <-got
	if d.h.Get(EventHeader) != string(DeploymentCompleted) || d.h.Get(DeliveryHeader) != e.ID {
		t.Fatalf("headers %v", d.h)
	}
	if !Verify([]byte(secret), d.body, d.h.Get(SignatureHeader)) || Verify([]byte("other"), d.body, d.h.Get(SignatureHeader)) {
		t.Fatalf("signature %q does not verify", d.h.Get(SignatureHeader))
	}
	var posted Event
	if err := json.Unmarshal(d.body, &posted); err != nil || posted.ID != e.ID {
		t.Fatalf("body %s", d.body)
	}
	// The second webhook wants close.signed_off only: nothing was posted.
	fmu.Lock()
	if fails != 0 {
		t.Fatalf("filtered webhook was called %d times", fails)
	}
	fmu.Unlock()
	_, err = b.Publish(ctx, Event{Type: CloseSignedOff})
	if err == nil || !strings.Contains(err.Error(), "502") || strings.Contains(err.Error(), "secret-path-token") {
		t.Fatalf("failing endpoint: %v", err)
	}
	<-got // the first webhook had it too
	fmu.Lock()
	if fails != webhookAttempts {
		t.Fatalf("failing endpoint called %d times, want %d", fails, webhookAttempts)
	}
	fmu.Unlock()
	// No secret anywhere: the webhook file names the variable only.
	yml, _ := os.ReadFile(filepath.Join(p.Dir, WebhooksFile))
	if strings.Contains(string(yml), secret) || !strings.Contains(string(yml), "EVT_HOOK_SECRET") {
		t.Fatalf("webhooks.yaml:\n%s", yml)
	}
	journal, _ := os.ReadFile(p.Path("state", "events", JournalFile))
	for what, text := range map[string]string{"logs": logs.String(), "journal": string(journal)} {
		if strings.Contains(text, secret) || strings.Contains(text, "secret-path-token") {
			t.Fatalf("%s leak a secret:\n%s", what, text)
		}
	}
	// Unset secret: not delivered unsigned.
	os.Unsetenv("EVT_HOOK_SECRET")
	if _, err := b.Publish(ctx, Event{Type: ModelApproved}); err == nil || !strings.Contains(err.Error(), "EVT_HOOK_SECRET is not set") {
		t.Fatalf("unset secret: %v", err)
	}
	select {
	case d := <-got:
		t.Fatalf("delivered without its secret: %s", d.h.Get(SignatureHeader))
	case <-time.After(200 * time.Millisecond):
	}
	gone, err := svc.RemoveWebhook(ctx, h1.ID)
	if err != nil || gone.ID != h1.ID {
		t.Fatalf("remove: %v %v", gone, err)
	}
	if _, err := svc.RemoveWebhook(ctx, h1.ID); err == nil || !strings.Contains(err.Error(), h2.ID) {
		t.Fatalf("remove again: %v", err)
	}
}

// Tail shows history, then live events of the given types, and stops
// after Count.
func TestTail(t *testing.T) {
	p := newProject(t)
	cli := otherProcess(t, p)
	cli.Publish(context.Background(), Event{Type: HierarchyUpdated, Data: map[string]any{"n": 1}})
	cli.Publish(context.Background(), Event{Type: ModelApproved})
	var got []Event
	done := make(chan error, 1)
	ready := make(chan TailInfo, 1)
	go func() {
		done <- NewService(p).Tail(context.Background(), TailInput{Types: []Type{HierarchyUpdated}, History: 5, Count: 3},
			func(i TailInfo) { ready <- i }, func(e Event) error { got = append(got, e); return nil })
	}()
	info := <-ready
	if info.Transport != TransportFile {
		t.Fatalf("info %+v", info)
	}
	cli.Publish(context.Background(), Event{Type: ModelApproved})
	cli.Publish(context.Background(), Event{Type: HierarchyUpdated, Data: map[string]any{"n": 2}})
	cli.Publish(context.Background(), Event{Type: HierarchyUpdated, Data: map[string]any{"n": 3}})
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("tail did not stop after its count")
	}
	if len(got) != 3 || got[0].Str("n") != "1" || got[1].Str("n") != "2" || got[2].Str("n") != "3" {
		t.Fatalf("tail got %v", got)
	}
	if err := NewService(p).Tail(context.Background(), TailInput{Types: []Type{"bogus"}}, nil, nil); err == nil {
		t.Fatal("unknown type accepted")
	}
}
