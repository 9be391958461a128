package mcpserver

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Progress of long tools (analyze_source_schema, deploy_warehouse,
// rollback_deployment, workflow_approve_model, compare_tables,
// reconcile_totals, trigger_dbt_run): when the client puts a progressToken
// in the call's _meta, the tool sends notifications/progress as its
// service reports steps. Cancellation needs nothing here: the SDK cancels
// the handler's context on notifications/cancelled (or when the session
// ends), and every service runs its queries with that context — a deploy
// then rolls back, a reconciliation stops and records nothing.

type progressKey struct{}

// progress sends the progress notifications of one tool call.
type progress struct {
	session *mcp.ServerSession
	token   any
	logger  *slog.Logger

	mu   sync.Mutex
	last float64
	sent int
}

// withProgress puts the call's progress reporter in ctx when the client
// asked for progress (the guard calls it for every tools/call).
func withProgress(ctx context.Context, req mcp.Request, logger *slog.Logger) context.Context {
	params, ok := req.GetParams().(*mcp.CallToolParamsRaw)
	if !ok || params == nil {
		return ctx
	}
	token := params.GetProgressToken()
	ss, _ := req.GetSession().(*mcp.ServerSession)
	if token == nil || ss == nil {
		return ctx
	}
	return context.WithValue(ctx, progressKey{}, &progress{session: ss, token: token, logger: logger, last: -1})
}

// progressOf is the call's reporter, nil when the client gave no token.
func progressOf(ctx context.Context) *progress {
	p, _ := ctx.Value(progressKey{}).(*progress)
	return p
}

// report sends done of total (total 0: unknown) with a message. Progress
// must grow with every notification, so a report that does not advance
// is dropped; a nil reporter does nothing. Sending never fails the tool.
func (p *progress) report(ctx context.Context, done, total float64, format string, args ...any) {
	if p == nil || ctx.Err() != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if done <= p.last {
		return
	}
	p.last = done
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	if err := p.session.NotifyProgress(ctx, &mcp.ProgressNotificationParams{ProgressToken: p.token, Progress: done, Total: total, Message: msg}); err != nil {
		p.logger.Debug("mcp progress: sending failed", "error", err)
		return
	}
	p.sent++
}

// step reports one more step of unknown count (analysis messages).
func (p *progress) step(ctx context.Context, format string, args ...any) {
	if p == nil {
		return
	}
	p.mu.Lock()
	next := p.last + 1
	if next < 1 {
		next = 1
	}
	p.mu.Unlock()
	p.report(ctx, next, 0, format, args...)
}

// deployProgress adapts a reporter to deploy.Service.Progress (done of
// total objects before each statement; "validate" before the checks).
// Nil when the client asked for no progress.
func deployProgress(ctx context.Context) func(done, total int, object, statement string) {
	p := progressOf(ctx)
	if p == nil {
		return nil
	}
	return func(done, total int, object, statement string) {
		switch {
		case statement == "validate":
			p.report(ctx, float64(done)+0.5, float64(total+1), "validating")
		case object == "" && statement == "" && done == total:
			p.report(ctx, float64(total+1), float64(total+1), "done")
		case object == "":
			// Grants, after every object.
			p.report(ctx, float64(done), float64(total+1), "grants")
		default:
			p.report(ctx, float64(done), float64(total+1), "%d/%d %s", done+1, total, object)
		}
	}
}
