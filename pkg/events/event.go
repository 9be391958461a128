// Package events is databridge's event bus: what happened in a project
// (a deployment committed, a hierarchy published, a month signed off) as
// typed events that every process working on the project sees.
//
// Inside a process, a Bus delivers each event to its subscribers
// (Subscribe). Between processes, events travel over Redis pub/sub when
// the project configures events.redis_url (or DATABRIDGE_REDIS_URL), on
// channels "databridge:<project>:<type>"; without Redis they are appended
// as JSON lines to .databridge/state/events/events.jsonl, which other
// processes watch (fsnotify, with polling as the fallback). The file is
// written in both cases: it is the project's local journal of events.
//
// Services publish through one hook, Emit, which never fails the work it
// reports: a transport that is down is logged and counted, not returned.
// Webhooks (webhooks.go) post every event, signed, from the process that
// published it.
package events

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/databridge/databridge/pkg/telemetry"
)

// Type is an event's type: "<subject>.<what happened>".
type Type string

// The event types services publish.
const (
	DeploymentCompleted  Type = "deployment.completed"
	DeploymentFailed     Type = "deployment.failed"
	DeploymentRolledBack Type = "deployment.rolled_back"
	HierarchyUpdated     Type = "hierarchy.updated"
	HierarchyPublished   Type = "hierarchy.published"
	ModelApproved        Type = "model.approved"
	ValidationPassed     Type = "validation.passed"
	ValidationFailed     Type = "validation.failed"
	ReconcileCompleted   Type = "reconcile.completed"
	CloseSignedOff       Type = "close.signed_off"
	CloseReopened        Type = "close.reopened"
	// SemanticRefreshed is published by a process that refreshed the
	// semantic layer because of another process's deployment (the MCP
	// server's handler); Data carries the deployment and the latency.
	SemanticRefreshed Type = "semantic.refreshed"
)

// Reconnected is handed to a process's subscribers (never published to
// other processes) when Listen's transport comes back after being down:
// events published meanwhile were not received, so a subscriber that
// keeps state in step with them should catch up (the MCP server
// refreshes its semantic layer).
const Reconnected Type = "events.reconnected"

// Types are the known event types, sorted.
func Types() []Type {
	t := []Type{DeploymentCompleted, DeploymentFailed, DeploymentRolledBack, HierarchyUpdated, HierarchyPublished,
		ModelApproved, ValidationPassed, ValidationFailed, ReconcileCompleted, CloseSignedOff, CloseReopened, SemanticRefreshed}
	sort.Slice(t, func(i, j int) bool { return t[i] < t[j] })
	return t
}

// Known reports whether t is one of Types.
func Known(t Type) bool {
	for _, k := range Types() {
		if k == t {
			return true
		}
	}
	return false
}

// Event is one thing that happened in a project. It is the JSON of a line
// of events.jsonl, of a Redis message, of `events tail --json` and of a
// webhook's body.
type Event struct {
	// ID is unique (time-ordered hex), also the webhook delivery id.
	ID   string `json:"id"`
	Type Type   `json:"type"`
	// Project is the project's name (config.yaml name).
	Project string    `json:"project"`
	Time    time.Time `json:"time"`
	// RequestID is the CLI command's or MCP call's request id.
	RequestID string `json:"request_id,omitempty"`
	// Source is the process that published the event.
	Source Source `json:"source"`
	// Data says what the event is about (ids, targets, counts); small
	// values only, never secrets.
	Data map[string]any `json:"data,omitempty"`
}

// Source names a publishing process.
type Source struct {
	// Process is a random id of the process's bus: a process skips the
	// events it published itself when they come back over a transport.
	Process string `json:"process"`
	Host    string `json:"host,omitempty"`
	PID     int    `json:"pid"`
}

// String is the event on one line for people: time, type, data.
func (e Event) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %-22s", e.Time.Local().Format("2006-01-02 15:04:05.000"), e.Type)
	keys := make([]string, 0, len(e.Data))
	for k := range e.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, e.Data[k])
	}
	return b.String()
}

// Str is Data[key] as a string ("" when absent).
func (e Event) Str(key string) string {
	if v, ok := e.Data[key]; ok && v != nil {
		return fmt.Sprint(v)
	}
	return ""
}

// newID is 12 hex digits of time (ms) and 8 random ones: ids sort by time.
func newID(t time.Time) string {
	var r [4]byte
	_, _ = rand.Read(r[:])
	return fmt.Sprintf("%012x%s", t.UnixMilli(), hex.EncodeToString(r[:]))
}

var process = func() Source {
	var r [6]byte
	_, _ = rand.Read(r[:])
	host, _ := os.Hostname()
	return Source{Process: hex.EncodeToString(r[:]), Host: host, PID: os.Getpid()}
}()

// stamp fills what a publisher does not: id, time, project, source and
// the request id from ctx.
func stamp(ctx context.Context, e Event, project string, src Source) Event {
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	if e.ID == "" {
		e.ID = newID(e.Time)
	}
	e.Project = project
	if e.Source.Process == "" {
		e.Source = src
	}
	if e.RequestID == "" {
		e.RequestID = telemetry.RequestID(ctx)
	}
	return e
}
