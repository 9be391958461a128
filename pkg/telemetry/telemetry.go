// Package telemetry is databridge's Prometheus metrics: a private registry
// (Go and process collectors plus ours) served by Handler, and small hooks
// that the MCP server and the deploy service call. Labels are bounded:
// tool names come from the registered tools, outcomes and modes from fixed
// sets.
package telemetry

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Outcomes of an MCP call.
const (
	OutcomeOK        = "ok"
	OutcomeToolError = "tool_error"
	OutcomeDenied    = "denied"
	OutcomeError     = "error"
)

// Metrics holds the collectors on their own registry.
type Metrics struct {
	Registry *prometheus.Registry

	ToolCalls          *prometheus.CounterVec
	OperationDuration  *prometheus.HistogramVec
	SessionsActive     prometheus.Gauge
	Deployments        *prometheus.CounterVec
	DeploymentDuration *prometheus.HistogramVec
	ActiveDeployments  prometheus.Gauge
	QueryDuration      *prometheus.HistogramVec
}

// New builds the metrics on a new registry.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		ToolCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "databridge_mcp_tool_calls_total",
			Help: "MCP tool calls by tool and outcome (ok, tool_error, denied, error).",
		}, []string{"tool", "outcome"}),
		OperationDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "databridge_mcp_operation_duration_seconds",
			Help:    "Duration of MCP requests by method, tool (empty for other methods) and outcome.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"method", "tool", "outcome"}),
		SessionsActive: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "databridge_mcp_sessions_active",
			Help: "MCP sessions currently open.",
		}),
		Deployments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "databridge_deployments_total",
			Help: "Deployments by mode (plan, apply, rollback) and status (succeeded, failed).",
		}, []string{"mode", "status"}),
		DeploymentDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "databridge_deployment_duration_seconds",
			Help:    "Duration of deployments by mode.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 14),
		}, []string{"mode"}),
		ActiveDeployments: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "databridge_active_deployments",
			Help: "Deployments running in this process.",
		}),
		QueryDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "databridge_connector_query_duration_seconds",
			Help:    "Duration of statements sent to an engine, by engine (dialect).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}, []string{"engine"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.ToolCalls, m.OperationDuration, m.SessionsActive,
		m.Deployments, m.DeploymentDuration, m.ActiveDeployments,
		m.QueryDuration,
	)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// ObserveCall records one MCP request; tool is "" for methods other than
// tools/call.
func (m *Metrics) ObserveCall(method, tool, outcome string, d time.Duration) {
	if tool != "" {
		m.ToolCalls.WithLabelValues(tool, outcome).Inc()
	}
	m.OperationDuration.WithLabelValues(method, tool, outcome).Observe(d.Seconds())
}

// current is the process's metrics for hooks in services that have no
// handle on a server (the deploy service).
var current atomic.Pointer[Metrics]

// SetDefault makes m the metrics that package-level hooks record to.
func SetDefault(m *Metrics) { current.Store(m) }

// DeploymentStarted is the deploy service's hook: call it when a
// deployment starts and call the returned function with its status
// ("succeeded" or "failed") when it ends. Without metrics it does nothing.
func DeploymentStarted(mode string) func(status string) {
	m := current.Load()
	if m == nil {
		return func(string) {}
	}
	start := time.Now()
	m.ActiveDeployments.Inc()
	return func(status string) {
		m.ActiveDeployments.Dec()
		m.Deployments.WithLabelValues(mode, status).Inc()
		m.DeploymentDuration.WithLabelValues(mode).Observe(time.Since(start).Seconds())
	}
}

// ObserveQuery is the connectors' hook: one statement sent to an engine
// (engine is its dialect, a fixed set) took d. Without metrics it does
// nothing.
func ObserveQuery(engine string, d time.Duration) {
	if m := current.Load(); m != nil {
		m.QueryDuration.WithLabelValues(engine).Observe(d.Seconds())
	}
}

type requestIDKey struct{}

// NewRequestID returns a random id for one request.
func NewRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// WithRequestID puts a request id in ctx for the logs, queries and ledgers
// of the call.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the request id in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
