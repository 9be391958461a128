package mcpserver

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/app"
	"github.com/databridge/databridge/pkg/fpa"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/quickstart"
)

// The close toolset over the quickstart warehouse: read-only sessions see
// only get_close_status; an agent starts and runs the close; a failed
// step and a close not ready to sign off are error results carrying the
// close; the status equals the service's.
func TestCloseTools(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "qs")
	if _, err := quickstart.Run(ctx, quickstart.Options{Dir: dir, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	t.Setenv(fpa.EnvUser, "agent")
	p, err := project.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := toolNames(t, newSession(t, p, Options{ReadOnly: true, Toolsets: []string{"close"}})); !slices.Equal(got, []string{"get_close_status"}) {
		t.Fatalf("read-only close tools: %v", got)
	}
	cs := newSession(t, p, Options{Toolsets: []string{"close"}})
	c := call[fpa.Close](t, cs, "start_close", map[string]any{"period": "2025-09"})
	if c.Period != "2025-09" || c.StartedBy != "agent" || len(c.Steps) != 6 {
		t.Fatalf("start_close: %+v", c)
	}
	c = call[fpa.Close](t, cs, "run_close_step", map[string]any{"step": "all"})
	if st := c.Step(fpa.StepTrialBalance); st.State != fpa.StateDone || st.By != "agent" {
		t.Fatalf("trial balance: %+v", st)
	}
	// Rent loses its rule: account 6200 is unmapped and the step fails.
	svc, err := app.Open(dir, app.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Hierarchies.RemoveRule(ctx, "pl", "RENT", 1); err != nil {
		t.Fatal(err)
	}
	res := callRaw(t, cs, "run_close_step", map[string]any{"step": "mapping"})
	if !res.IsError || !strings.Contains(text(res), "failed: mapping") {
		t.Fatalf("run_close_step mapping: %s", text(res))
	}
	var failed fpa.Close
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &failed); err != nil {
		t.Fatal(err)
	}
	if st := failed.Step(fpa.StepMapping); st.State != fpa.StateFailed || !strings.Contains(st.Summary, "6200") {
		t.Fatalf("mapping: %+v", st)
	}
	if msg := callErr(t, cs, "sign_off_close", nil); !strings.Contains(msg, "mapping failed") {
		t.Fatalf("sign_off_close: %s", msg)
	}
	got := call[fpa.Close](t, cs, "get_close_status", nil)
	want, err := svc.Close.Status(ctx, fpa.StatusInput{})
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := json.Marshal(want)
	var w fpa.Close
	_ = json.Unmarshal(wb, &w)
	if !reflect.DeepEqual(got, w) {
		t.Fatalf("get_close_status differs from the service")
	}
	if msg := callErr(t, cs, "reopen_close", map[string]any{"period": "2025-09", "reason": "x"}); !strings.Contains(msg, "not signed off") {
		t.Fatalf("reopen_close: %s", msg)
	}
}
