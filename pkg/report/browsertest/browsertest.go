// Package browsertest opens HTML pages in a real headless browser (Debian's
// chromium, driven over the DevTools protocol by chromedp) for tests: it
// records console errors, uncaught exceptions, browser-log errors and every
// request the page makes, counts and reads elements, and saves a PNG
// screenshot as a test artifact.
//
//	p := browsertest.Open(t, "report.html")
//	p.AssertClean()                       // no console error, no exception, no request
//	n := p.Count(".mark.step")            // marks drawn
//	vals := p.Attrs(".mark.step", "data-value")
//	p.Screenshot("variance")              // $DATABRIDGE_TEST_ARTIFACTS or t.TempDir()
//
// The browser is found on PATH (chromium, chromium-browser, google-chrome,
// google-chrome-stable) or named by DATABRIDGE_TEST_BROWSER. When there is
// none the test is skipped with the reason, or fails under
// DATABRIDGE_REQUIRE_ENGINES=1. It runs with --no-sandbox, because CI runs
// as root; that flag is for tests only.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/databridge/databridge/pkg/testenv"
)

// Environment variables.
const (
	// BrowserEnv names the browser binary to use instead of searching PATH.
	BrowserEnv = "DATABRIDGE_TEST_BROWSER"
	// ArtifactsEnv names the folder screenshots are saved to (default: the
	// test's temporary folder).
	ArtifactsEnv = "DATABRIDGE_TEST_ARTIFACTS"
)

// Timeout bounds every browser action.
var Timeout = 60 * time.Second

// candidates are the browser binaries searched on PATH, in order.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Find returns the path of the browser to use, or "" when there is none.
func Find() string {
	if p := os.Getenv(BrowserEnv); p != "" {
		if lp, err := exec.LookPath(p); err == nil {
			return lp
		}
		return ""
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// Browser is a running headless browser; each page opens in a new tab.
type Browser struct {
	ctx  context.Context
	Path string
}

// Start starts a headless browser that stops when the test ends, or skips
// (fails when engines are required) when no browser is installed.
func Start(t testing.TB) *Browser {
	t.Helper()
	path := Find()
	if path == "" {
		testenv.Missing(t, "no Chromium-family browser on PATH ("+strings.Join(candidates, ", ")+") nor in "+BrowserEnv+"; install Debian's chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root; tests only
		chromedp.DisableGPU,
		chromedp.WindowSize(1200, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first action starts the browser and binds it to its context, so
	// it runs on ctx itself (not a context with a deadline), under a
	// watchdog.
	if err := startWithin(ctx, cancel); err != nil {
		t.Fatalf("browsertest: cannot start %s: %v", path, err)
	}
	return &Browser{ctx: ctx, Path: path}
}

// Open starts a browser and opens the HTML file at path in it.
func Open(t testing.TB, path string) *Page {
	t.Helper()
	return Start(t).Open(t, path)
}

// Page is a page open in a tab.
type Page struct {
	t   testing.TB
	ctx context.Context
	// URL is the page's file:// URL.
	URL string

	mu       sync.Mutex
	console  []string
	problems []string
	requests []string
}

// Open opens the HTML file at path in a new tab, waits until it is loaded,
// and records from the start every console message, exception, browser-log
// entry and request.
func (b *Browser) Open(t testing.TB, path string) *Page {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	p := &Page{t: t, URL: u}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(p.listen))
	t.Cleanup(cancel)
	p.ctx = ctx
	if err := startWithin(ctx, cancel); err != nil {
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	if err := p.do(chromedp.Navigate(u)); err != nil {
		t.Fatalf("browsertest: open %s: %v", u, err)
	}
	// Wait for the load to finish (images, fonts, layout).
	deadline := time.Now().Add(Timeout)
	for {
		state := Eval[string](p, "document.readyState")
		if state == "complete" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("browsertest: %s did not finish loading (readyState %q)", u, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return p
}

// startWithin runs the first action on a chromedp context (which starts the
// browser or opens the tab, bound to ctx), cancelling it past Timeout.
func startWithin(ctx context.Context, cancel context.CancelFunc) error {
	watchdog := time.AfterFunc(Timeout, cancel)
	defer watchdog.Stop()
	return chromedp.Do(ctx)
}

func (p *Page) do(a chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	return chromedp.Do(ctx, a)
}

// listen runs in the tab's reading loop: it must be quick and never call
// the browser.
func (p *Page) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		msg := string(e.Type) + ": " + argsText(e.Args)
		p.console = append(p.console, msg)
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			p.problems = append(p.problems, "console "+msg)
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		text := ""
		if d != nil {
			text = d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			text += fmt.Sprintf(" (%s:%d:%d)", d.URL, d.LineNumber+1, d.ColumnNumber+1)
		}
		p.problems = append(p.problems, "exception: "+text)
	case *log.EventEntryAdded:
		if e.Entry == nil {
			return
		}
		msg := string(e.Entry.Level) + " [" + string(e.Entry.Source) + "]: " + e.Entry.Text
		if e.Entry.URL != "" {
			msg += " (" + e.Entry.URL + ")"
		}
		p.console = append(p.console, msg)
		if e.Entry.Level == log.EntryLevelError {
			p.problems = append(p.problems, "log "+msg)
		}
	case *network.EventRequestWillBeSent:
		if e.Request != nil && e.Request.URL != p.URL {
			p.requests = append(p.requests, e.Request.URL)
		}
	}
}

func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a == nil:
		case len(a.Value) > 0:
			var s string
			if json.Unmarshal(a.Value, &s) == nil {
				parts = append(parts, s)
			} else {
				parts = append(parts, string(a.Value))
			}
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// sync makes one round trip to the tab, so every event the browser sent
// before it has been recorded.
func (p *Page) sync() { _ = Eval[int](p, "0") }

// Console is every console message and browser-log entry so far.
func (p *Page) Console() []string {
	p.sync()
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// Problems is every console error, uncaught exception and browser-log error
// so far (a failed load, a blocked request, a refused style).
func (p *Page) Problems() []string {
	p.sync()
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// Requests is every URL the page asked for besides itself (a self-contained
// page asks for none).
func (p *Page) Requests() []string {
	p.sync()
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// AssertClean fails the test for each problem and each request the page made.
func (p *Page) AssertClean() {
	p.t.Helper()
	for _, m := range p.Problems() {
		p.t.Errorf("browsertest: %s: %s", p.URL, m)
	}
	for _, r := range p.Requests() {
		p.t.Errorf("browsertest: %s requested %s (a report must be self-contained)", p.URL, r)
	}
}

// Eval evaluates a JavaScript expression in the page and decodes its JSON
// value into T; an error fails the test.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("browsertest: evaluate %s: %v", expr, err)
	}
	return v
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Count is the number of elements matching a CSS selector.
func (p *Page) Count(selector string) int {
	p.t.Helper()
	return Eval[int](p, "document.querySelectorAll("+js(selector)+").length")
}

// Texts is the text content (trimmed) of every element matching selector,
// in document order.
func (p *Page) Texts(selector string) []string {
	p.t.Helper()
	return Eval[[]string](p, "Array.from(document.querySelectorAll("+js(selector)+"), e => e.textContent.trim())")
}

// Text is the text content (trimmed) of the first element matching
// selector; no match fails the test.
func (p *Page) Text(selector string) string {
	p.t.Helper()
	ts := p.Texts(selector)
	if len(ts) == 0 {
		p.t.Fatalf("browsertest: no element matches %s", selector)
	}
	return ts[0]
}

// Attrs is the attribute attr of every element matching selector ("" when
// absent), in document order.
func (p *Page) Attrs(selector, attr string) []string {
	p.t.Helper()
	return Eval[[]string](p, "Array.from(document.querySelectorAll("+js(selector)+"), e => e.getAttribute("+js(attr)+") ?? '')")
}

// Attr is the attribute attr of the first element matching selector; no
// match fails the test.
func (p *Page) Attr(selector, attr string) string {
	p.t.Helper()
	as := p.Attrs(selector, attr)
	if len(as) == 0 {
		p.t.Fatalf("browsertest: no element matches %s", selector)
	}
	return as[0]
}

// Box is an element's rendered box in CSS pixels, relative to the page.
type Box struct {
	X, Y, W, H float64
}

// Boxes is the rendered box of every element matching selector: a mark
// that is drawn has a non-empty box.
func (p *Page) Boxes(selector string) []Box {
	p.t.Helper()
	return Eval[[]Box](p, "Array.from(document.querySelectorAll("+js(selector)+
		"), e => { const r = e.getBoundingClientRect(); return {X: r.x + scrollX, Y: r.y + scrollY, W: r.width, H: r.height}; })")
}

// Styles is the computed CSS property prop (e.g. "fill", "color") of every
// element matching selector.
func (p *Page) Styles(selector, prop string) []string {
	p.t.Helper()
	return Eval[[]string](p, "Array.from(document.querySelectorAll("+js(selector)+"), e => getComputedStyle(e).getPropertyValue("+js(prop)+"))")
}

// Viewport resizes the page's viewport to width × height CSS pixels (the
// window starts at 1200 × 900), to check a layout on a narrow screen.
func (p *Page) Viewport(width, height int64) {
	p.t.Helper()
	if err := p.do(chromedp.EmulateViewport(width, height)); err != nil {
		p.t.Fatalf("browsertest: viewport: %v", err)
	}
}

// PDF prints the page (print media, A4-like defaults of the browser) and
// saves the PDF as <test name>-<name>.pdf in ArtifactDir; it returns the
// path.
func (p *Page) PDF(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF())
	if err != nil {
		p.t.Fatalf("browsertest: print to PDF: %v", err)
	}
	return p.artifact(name, ".pdf", pdf)
}

func (p *Page) artifact(name, ext string, data []byte) string {
	p.t.Helper()
	file := unsafeName.ReplaceAllString(p.t.Name(), "_")
	if name != "" {
		file += "-" + unsafeName.ReplaceAllString(name, "_")
	}
	path := filepath.Join(ArtifactDir(p.t), file+ext)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		p.t.Fatalf("browsertest: %v", err)
	}
	p.t.Logf("artifact: %s", path)
	return path
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// ArtifactDir is where screenshots go: $DATABRIDGE_TEST_ARTIFACTS (created
// when missing) or the test's temporary folder.
func ArtifactDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv(ArtifactsEnv); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("browsertest: %s: %v", ArtifactsEnv, err)
		}
		return d
	}
	return t.TempDir()
}

// Screenshot saves a PNG of the whole page as <test name>-<name>.png in
// ArtifactDir, logs and returns its path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("browsertest: screenshot: %v", err)
	}
	return p.artifact(name, ".png", png)
}
