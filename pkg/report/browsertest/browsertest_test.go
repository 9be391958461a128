package browsertest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/report/browsertest"
)

func write(t *testing.T, html string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(p, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadsAQuietPage(t *testing.T) {
	b := browsertest.Start(t)
	p := b.Open(t, write(t, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title>
<style>.bad{color:rgb(192, 57, 43)}</style></head><body>
<ul><li class="m" data-v="1.50"> one </li><li class="m" data-v="-2">two</li><li class="m">three</li></ul>
<svg width="200" height="100"><rect class="mark bar" x="10" y="10" width="30" height="40"/></svg>
<p class="bad">x</p></body></html>`))
	p.AssertClean()
	if n := p.Count("li.m"); n != 3 {
		t.Errorf("Count(li.m) = %d, want 3", n)
	}
	if got := p.Texts("li.m"); !slices.Equal(got, []string{"one", "two", "three"}) {
		t.Errorf("Texts = %q", got)
	}
	if got := p.Attrs("li.m", "data-v"); !slices.Equal(got, []string{"1.50", "-2", ""}) {
		t.Errorf("Attrs = %q", got)
	}
	if got := p.Text("li.m"); got != "one" {
		t.Errorf("Text = %q", got)
	}
	boxes := p.Boxes(".mark.bar")
	if len(boxes) != 1 || boxes[0].W != 30 || boxes[0].H != 40 {
		t.Errorf("Boxes = %+v, want one 30×40", boxes)
	}
	if got := p.Styles(".bad", "color"); !slices.Equal(got, []string{"rgb(192, 57, 43)"}) {
		t.Errorf("Styles = %q", got)
	}
	if got := browsertest.Eval[float64](p, "1.5 * 2"); got != 3 {
		t.Errorf("Eval = %v", got)
	}
	shot := p.Screenshot("quiet")
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("%s is not a PNG", shot)
	}
	// A second tab of the same browser starts with its own records.
	q := b.Open(t, write(t, `<!DOCTYPE html><title>u</title><p>ok</p>`))
	if q.Count("p") != 1 || len(q.Problems()) != 0 {
		t.Errorf("second tab: %d p, problems %q", q.Count("p"), q.Problems())
	}
}

// The helpers must see what a broken page does: a console error, an uncaught
// exception, a request for something outside the page, a load the page's
// Content-Security-Policy refuses.
func TestRecordsWhatGoesWrong(t *testing.T) {
	b := browsertest.Start(t)
	p := b.Open(t, write(t, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>
<img src="http://127.0.0.1:9/missing.png">
<script>console.log("hello"); console.error("boom", 42); throw new Error("kaput");</script>
</body></html>`))
	probs := strings.Join(p.Problems(), "\n")
	for _, want := range []string{"boom 42", "kaput"} {
		if !strings.Contains(probs, want) {
			t.Errorf("problems lack %q:\n%s", want, probs)
		}
	}
	if !slices.Contains(p.Requests(), "http://127.0.0.1:9/missing.png") {
		t.Errorf("requests = %q, want the image", p.Requests())
	}
	if !slices.ContainsFunc(p.Console(), func(s string) bool { return strings.Contains(s, "hello") }) {
		t.Errorf("console = %q, want hello", p.Console())
	}

	csp := b.Open(t, write(t, `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>t</title></head><body><img src="https://example.invalid/x.png"><script>console.log("ran")</script></body></html>`))
	if len(csp.Problems()) == 0 {
		t.Errorf("a load refused by the CSP is no problem; console: %q", csp.Console())
	}
	t.Logf("CSP problems: %q", csp.Problems())
}
