package mcpserver

import (
	"context"
	"errors"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/fpa"
)

// The close toolset: the MCP face of the monthly close (pkg/fpa), the
// same service and the same result (the close) as `databridge close …`.
func init() {
	registerToolset(toolset{
		Name: "close",
		Description: "The monthly close: a persisted checklist per fiscal month whose steps run real checks on the deployed warehouse (data validated, trial balance, account mapping, reconciliations, variance commentary, forecast), notes, sign-off by a second person that locks the period against deploys, reopen with a reason. " +
			"get_close_status only reads; the others write the close's state under .databridge/state/close/.",
		Tools: []tool{startCloseTool, getCloseStatusTool, runCloseStepTool, addCloseNoteTool, signOffCloseTool, reopenCloseTool},
	})
}

func (e *env) closeService() (*fpa.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Close, nil
}

var startCloseTool = newTool(&mcp.Tool{
	Name: "start_close",
	Description: "Start the close of a fiscal month (YYYY-MM): the checklist with every step pending and the close's settings (P&L hierarchy, key metrics, commentary thresholds, forecast metric, self sign-off). " +
		"Starting a month that already has a close returns it unchanged.",
	Annotations: writeAnnotations("Start a close", false),
}, func(ctx context.Context, e *env, in fpa.StartInput) (*fpa.Close, error) {
	s, err := e.closeService()
	if err != nil {
		return nil, err
	}
	return s.Start(ctx, in)
})

var getCloseStatusTool = newTool(&mcp.Tool{
	Name:        "get_close_status",
	Description: "A close's checklist: each step's state (pending, done, failed, blocked, needs_input), who ran it and when, its evidence (exact numbers), problems, notes and variance commentary; whether it can be signed off and what blocks it; the sign-off and the record.",
	Annotations: readOnlyAnnotations("Get close status"),
}, func(ctx context.Context, e *env, in fpa.StatusInput) (*fpa.Close, error) {
	s, err := e.closeService()
	if err != nil {
		return nil, err
	}
	return s.Status(ctx, in)
})

var runCloseStepTool = newTool(&mcp.Tool{
	Name: "run_close_step",
	Description: "Run a close step's check on the warehouse (data, trial_balance, mapping, reconciliations, variance, forecast, or all) and record the outcome as the acting person. Re-running is safe. " +
		"A failed step is an error result carrying the whole close (it blocks sign-off), as its CLI twin exits 3.",
	Annotations: writeAnnotations("Run a close step", false),
}, func(ctx context.Context, e *env, in fpa.RunInput) (*fpa.Close, error) {
	s, err := e.closeService()
	if err != nil {
		return nil, err
	}
	c, err := s.Run(ctx, in)
	if err != nil {
		return nil, err
	}
	var failed []string
	for _, st := range c.Steps {
		if st.State == fpa.StateFailed && (in.Step == "all" || in.Step == st.ID) {
			failed = append(failed, st.ID)
		}
	}
	if len(failed) > 0 {
		return c, checksFailed("failed: %s (it blocks sign-off; the steps' problems say why)", strings.Join(failed, ", "))
	}
	return c, nil
})

var addCloseNoteTool = newTool(&mcp.Tool{
	Name:        "add_close_note",
	Description: "Add a note to a close step (a blocked step with a note no longer blocks sign-off). For the variance step: item METRIC/AGAINST with text replaces that variance's drafted commentary; accept accepts the drafts (of item, else all).",
	Annotations: writeAnnotations("Add a close note", false),
}, func(ctx context.Context, e *env, in fpa.NoteInput) (*fpa.Close, error) {
	s, err := e.closeService()
	if err != nil {
		return nil, err
	}
	return s.Note(ctx, in)
})

var signOffCloseTool = newTool(&mcp.Tool{
	Name: "sign_off_close",
	Description: "Sign a close off as the acting person and lock the period: every step done (blocked ones explained by a note) and a different person from the preparer unless the close allows self sign-off. The month's P&L lines are stored; later deploys that would change them are refused until the close is reopened. " +
		"A close that is not ready is an error result carrying the close and its blockers.",
	Annotations: writeAnnotations("Sign off a close", false),
}, func(ctx context.Context, e *env, in fpa.SignOffInput) (*fpa.Close, error) {
	s, err := e.closeService()
	if err != nil {
		return nil, err
	}
	c, err := s.SignOff(ctx, in)
	if errors.Is(err, fpa.ErrNotReady) && c != nil {
		return c, checksFailed("the close of %s cannot be signed off: %s", c.Period, strings.Join(c.Blockers, "; "))
	}
	if err != nil {
		return nil, err
	}
	return c, nil
})

var reopenCloseTool = newTool(&mcp.Tool{
	Name:        "reopen_close",
	Description: "Reopen a signed-off close with a reason (kept on the record): the period is no longer locked against deploys and every step is to be run again.",
	Annotations: writeAnnotations("Reopen a close", true),
}, func(ctx context.Context, e *env, in fpa.ReopenInput) (*fpa.Close, error) {
	s, err := e.closeService()
	if err != nil {
		return nil, err
	}
	return s.Reopen(ctx, in)
})
