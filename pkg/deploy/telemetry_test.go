package deploy_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/telemetry"
)

// A deployment carries the request id of the call that ran it into its
// ledger records (deploy and rollback) and the connectors' debug logs, and
// every statement it sends is timed on the engine's query metric.
func TestRequestIDAndQueryMetric(t *testing.T) {
	m := telemetry.New()
	telemetry.SetDefault(m)
	t.Cleanup(func() { telemetry.SetDefault(nil) })
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })

	conn, err := connector.Open(context.Background(), "duck", connector.Config{Type: "duckdb", Path: filepath.Join(t.TempDir(), "wh.duckdb")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	tg := &target{name: "duck", conn: conn}
	tg.seed(t)
	_, l := newProject(t)

	ctx := telemetry.WithRequestID(context.Background(), "req-deploy-1")
	plan, err := deploy.NewPlan(ctx, conn, "wh", tg.design(1), l)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := deploy.Apply(ctx, conn, plan, l, deploy.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := l.Get(rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.RequestID != "req-deploy-1" {
		t.Fatalf("ledger record request_id = %q, want req-deploy-1", stored.RequestID)
	}
	rb, err := deploy.Rollback(telemetry.WithRequestID(context.Background(), "req-rollback-2"), conn, l, rec.ID, deploy.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rb.RequestID != "req-rollback-2" {
		t.Fatalf("rollback record request_id = %q", rb.RequestID)
	}

	if !strings.Contains(logs.String(), `"request_id":"req-deploy-1"`) || !strings.Contains(logs.String(), `"engine":"duckdb"`) {
		t.Fatalf("no query log line with the request id and engine:\n%.2000s", logs.String())
	}
	if strings.Contains(logs.String(), "raw_gl") {
		t.Fatalf("the query log carries statement text:\n%.2000s", logs.String())
	}
	statements := 0
	for _, s := range rec.Statements {
		if s.Phase != deploy.PhaseValidate {
			statements++
		}
	}
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var count uint64
	for _, f := range fams {
		if f.GetName() != "databridge_connector_query_duration_seconds" {
			continue
		}
		for _, mm := range f.GetMetric() {
			for _, lp := range mm.GetLabel() {
				if lp.GetName() == "engine" && lp.GetValue() == "duckdb" {
					count += mm.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	if count < uint64(statements) {
		t.Fatalf("query metric counted %d statements on duckdb, the deploy alone ran %d", count, statements)
	}
}
