package fpa_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/fpa"
	"github.com/databridge/databridge/pkg/report/browsertest"
)

// The close report page in a real browser: no console error, one
// checklist mark per step with the step's state, and the bridges' and
// tables' numbers equal to the close's JSON.
func TestCloseReportInBrowser(t *testing.T) {
	ctx := context.Background()
	dir := quickstartCopy(t)
	svc := open(t, dir, &person{"alice"})
	if _, err := svc.Close.Start(ctx, fpa.StartInput{Period: "2025-09"}); err != nil {
		t.Fatal(err)
	}
	c, err := svc.Close.Run(ctx, fpa.RunInput{Step: "all"})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.Close.Note(ctx, fpa.NoteInput{Step: "variance", Accept: true}); err != nil {
		t.Fatal(err)
	}
	// Read back as the faces print it (--json), so the page is compared
	// with the JSON's numbers.
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back fpa.Close
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	html := filepath.Join(t.TempDir(), "close.html")
	if err := fpa.Page(&back).WriteFile(html); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(html); err != nil {
		t.Fatal(err)
	}
	b := browsertest.Start(t)
	p := b.Open(t, html)
	p.AssertClean()
	var wantStates []string
	for _, st := range back.Steps {
		wantStates = append(wantStates, fpa.ReportState(st.State))
	}
	if got := p.Attrs(".mark.check", "data-state"); !slices.Equal(got, wantStates) {
		t.Fatalf("checklist marks %v, want %v", got, wantStates)
	}
	v := back.Step(fpa.StepVariance)
	if len(v.Commentary) == 0 {
		t.Fatal("no variance over the threshold to draw")
	}
	var wantSteps []string
	for _, cm := range v.Commentary {
		for _, s := range cm.Bridge {
			wantSteps = append(wantSteps, s.Value.String())
		}
	}
	if got := p.Attrs(".waterfall .mark.step", "data-value"); !slices.Equal(got, wantSteps) {
		t.Fatalf("bridge marks %v, want %v", got, wantSteps)
	}
	if n := p.Count(".waterfall"); n != len(v.Commentary) {
		t.Fatalf("%d waterfalls for %d variances", n, len(v.Commentary))
	}
	tb := back.Step(fpa.StepTrialBalance)
	body := p.Text("body")
	for _, e := range tb.Evidence {
		if !strings.Contains(body, e.Value) {
			t.Fatalf("trial balance %s %s is not on the page", e.Name, e.Value)
		}
	}
	for _, cm := range v.Commentary {
		if cm.Text == "" || !strings.Contains(body, cm.Text) {
			t.Fatalf("commentary %s is not on the page", cm.Key)
		}
	}
	p.Screenshot("close-report")
}
