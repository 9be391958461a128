package cmd_test

// The README is executed: TestREADME runs the shell blocks of the README's
// "Use" section in order, in a fresh folder with a copy of examples/, so
// the README cannot rot. TestQuickstartHints runs every "Next:" command that
// `databridge quickstart` prints.
//
// A block whose commands need a server we cannot have here is marked in the
// README source by an HTML comment on the line before its fence (invisible
// when rendered):
//
//	<!-- readme-test: ITEM; ITEM... -->
//
// with ITEM one of
//
//	postgres        the block runs against the test PostgreSQL
//	                (DATABRIDGE_TEST_POSTGRES_URL) instead of db.internal: host,
//	                port, database and user are replaced by the test server's,
//	                `export X=...` gets its password, and public.gl_entries is
//	                a table in a scratch schema
//	git-remote DIR  DIR (relative to the working folder) is created as an
//	                empty bare git repository first
//	dbt             lines with --mode advanced use dbt from the test-oracle
//	                venv (DATABRIDGE_TEST_VENV)
//	dbt-cloud       `publish dbt-cloud` talks to a fake dbt Cloud API (--url,
//	                DBT_CLOUD_API_TOKEN, a short --poll-interval)
//	skip REASON     the block is not run; the reason is logged
//
// A stand-in that is missing skips its lines with the reason in the log, or
// fails the test when DATABRIDGE_REQUIRE_ENGINES=1. `databridge mcp serve`
// (stdio) is started, asked for its tools over MCP and stopped.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/jackc/pgx/v5"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/advanced"
	"github.com/databridge/databridge/pkg/testenv"
)

// readmeBlock is one fenced code block of the README.
type readmeBlock struct {
	Lang   string
	Marker []string    // the readme-test items, if any
	Lines  []shellLine // the commands (continuations joined)
	Line   int         // line number of the opening fence
	Body   string      // the raw text
}

// shellLine is one command with the README line it starts on.
type shellLine struct {
	N    int
	Text string
}

var markerRE = regexp.MustCompile(`^<!--\s*readme-test:\s*(.*?)\s*-->$`)

// readmeUseBlocks returns the fenced blocks of the "## Use" section.
func readmeUseBlocks(t *testing.T, path string) []readmeBlock {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var blocks []readmeBlock
	inUse := false
	var pending []string // marker of the next block
	pendingLine := 0
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "## ") {
			inUse = strings.TrimSpace(l) == "## Use"
			continue
		}
		if !inUse {
			continue
		}
		trimmed := strings.TrimSpace(l)
		if m := markerRE.FindStringSubmatch(trimmed); m != nil {
			if pending != nil {
				t.Fatalf("README.md:%d: a readme-test marker with no block after it", pendingLine)
			}
			for _, it := range strings.Split(m[1], ";") {
				if it = strings.TrimSpace(it); it != "" {
					pending = append(pending, it)
				}
			}
			pendingLine = i + 1
			continue
		}
		if strings.HasPrefix(trimmed, "<!--") && strings.Contains(trimmed, "readme-test") {
			t.Fatalf("README.md:%d: malformed readme-test marker (one line: <!-- readme-test: ITEM; ITEM -->)", i+1)
		}
		if !strings.HasPrefix(l, "```") {
			if trimmed != "" && pending != nil {
				t.Fatalf("README.md:%d: the readme-test marker must be right before a code block", pendingLine)
			}
			continue
		}
		b := readmeBlock{Lang: strings.TrimSpace(strings.TrimPrefix(l, "```")), Marker: pending, Line: i + 1}
		pending = nil
		var body []string
		var cur *shellLine
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
			s := lines[i]
			if cur != nil {
				cur.Text += " " + strings.TrimSpace(strings.TrimSuffix(s, "\\"))
			} else if strings.TrimSpace(s) != "" && !strings.HasPrefix(strings.TrimSpace(s), "#") {
				b.Lines = append(b.Lines, shellLine{N: i + 1, Text: strings.TrimSuffix(s, "\\")})
				cur = &b.Lines[len(b.Lines)-1]
				cur.Text = strings.TrimSpace(cur.Text)
			}
			if !strings.HasSuffix(s, "\\") {
				cur = nil
			}
		}
		if i == len(lines) {
			t.Fatalf("README.md:%d: code block never closed", b.Line)
		}
		b.Body = strings.Join(body, "\n")
		blocks = append(blocks, b)
	}
	if pending != nil {
		t.Fatalf("README.md:%d: a readme-test marker with no block after it", pendingLine)
	}
	return blocks
}

// splitComment splits a shell line into the command and a trailing
// comment (a # outside quotes after a blank), e.g. to append arguments.
func splitComment(line string) (string, string) {
	var quote rune
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return strings.TrimSpace(line[:i]), line[i:]
		}
	}
	return strings.TrimSpace(line), ""
}

// runner runs README commands in one folder with one environment.
type runner struct {
	t   *testing.T
	dir string
	env map[string]string
	bin string // databridge on PATH (testscript.Main put it there)
}

func newRunner(t *testing.T, dir string) *runner {
	t.Helper()
	bin, err := exec.LookPath("databridge")
	if err != nil {
		t.Fatalf("databridge is not on PATH (testscript.Main puts it there): %v", err)
	}
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	// The commands must not inherit a developer's settings.
	for _, k := range []string{"DATABRIDGE_PROJECT_DIR", "DATABRIDGE_JSON", "DATABRIDGE_DEFAULT_TARGET", "DATABRIDGE_NO_COLOR", advanced.DBTEnv} {
		delete(env, k)
	}
	home := filepath.Join(filepath.Dir(dir), "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	env["HOME"] = home
	env["NO_COLOR"] = "1"
	return &runner{t: t, dir: dir, env: env, bin: bin}
}

func (r *runner) environ(extra map[string]string) []string {
	var out []string
	for k, v := range r.env {
		if _, ok := extra[k]; !ok {
			out = append(out, k+"="+v)
		}
	}
	for k, v := range extra {
		out = append(out, k+"="+v)
	}
	return out
}

var exportRE = regexp.MustCompile(`^export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)

// run runs one command line; it returns the output and an error naming
// what failed.
func (r *runner) run(ctx context.Context, line string, extra map[string]string) (string, error) {
	cmdText, _ := splitComment(line)
	if m := exportRE.FindStringSubmatch(cmdText); m != nil {
		r.env[m[1]] = strings.Trim(m[2], `"'`)
		return "", nil
	}
	if f := strings.Fields(cmdText); len(f) >= 3 && f[0] == "databridge" && f[1] == "mcp" && f[2] == "serve" && !strings.Contains(cmdText, "&&") {
		return r.mcpServe(ctx, f[3:], extra)
	}
	if f := strings.Fields(cmdText); len(f) == 2 && f[0] == "cd" {
		d := f[1]
		if !filepath.IsAbs(d) {
			d = filepath.Join(r.dir, d)
		}
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			return "", fmt.Errorf("cd %s: not a folder", d)
		}
		r.dir = d
		return "", nil
	}
	c := exec.CommandContext(ctx, "bash", "-c", "set -eo pipefail\n"+cmdText)
	c.Dir = r.dir
	c.Env = r.environ(extra)
	out, err := c.CombinedOutput()
	return string(out), err
}

// mcpServe starts `databridge mcp serve ARGS` on stdio, lists its tools
// over MCP and stops it (closing its stdin).
func (r *runner) mcpServe(ctx context.Context, args []string, extra map[string]string) (string, error) {
	for _, a := range args {
		if strings.HasPrefix(a, "--http") {
			return "", fmt.Errorf("mcp serve --http is not run by this test; add it")
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, r.bin, append([]string{"mcp", "serve"}, args...)...)
	c.Dir = r.dir
	c.Env = r.environ(extra)
	var stderr strings.Builder
	c.Stderr = &stderr
	client := mcp.NewClient(&mcp.Implementation{Name: "readme-test", Version: "1"}, nil)
	sess, err := client.Connect(ctx, &mcp.CommandTransport{Command: c}, nil)
	if err != nil {
		return stderr.String(), fmt.Errorf("mcp serve: connect: %v", err)
	}
	tools, err := sess.ListTools(ctx, nil)
	if err != nil {
		sess.Close()
		return stderr.String(), fmt.Errorf("mcp serve: list tools: %v", err)
	}
	if err := sess.Close(); err != nil {
		return stderr.String(), fmt.Errorf("mcp serve: stop: %v", err)
	}
	if len(tools.Tools) == 0 {
		return stderr.String(), fmt.Errorf("mcp serve: no tools")
	}
	return fmt.Sprintf("mcp serve answered with %d tools and stopped\n", len(tools.Tools)), nil
}

// copyExamples copies the repository's examples/ into dir/examples.
func copyExamples(t *testing.T, dir string) {
	t.Helper()
	src, err := filepath.Abs("../examples")
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(dir, "examples", rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if strings.HasSuffix(p, ".go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// standIns prepares the stand-ins a block's marker names and rewrites its
// lines for them.
type standIns struct {
	t        *testing.T
	r        *runner
	pg       *pgStandIn
	pgOK     bool
	pgWhy    string
	cloudURL string
}

type pgStandIn struct {
	host, port, user, password, db, schema string
}

// postgres creates a scratch schema with a gl_entries table (primary key,
// foreign key) on the test server, dropped when the test ends.
func (s *standIns) postgres() {
	if s.pg != nil || s.pgWhy != "" {
		return
	}
	u := os.Getenv(testenv.PostgresURL)
	if u == "" {
		s.pgWhy = "db.internal: PostgreSQL stand-in not configured (set " + testenv.PostgresURL + ")"
		return
	}
	pu, err := url.Parse(u)
	if err != nil {
		s.t.Fatalf("%s: %v", testenv.PostgresURL, err)
	}
	pw, _ := pu.User.Password()
	port := pu.Port()
	if port == "" {
		port = "5432"
	}
	pg := &pgStandIn{host: pu.Hostname(), port: port, user: pu.User.Username(), password: pw,
		db: strings.TrimPrefix(pu.Path, "/"), schema: fmt.Sprintf("readme_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		s.t.Fatalf("PostgreSQL stand-in: %v", err)
	}
	defer conn.Close(ctx)
	ddl := fmt.Sprintf(`CREATE SCHEMA %[1]s;
CREATE TABLE %[1]s.gl_accounts (account_code text PRIMARY KEY, name text NOT NULL);
CREATE TABLE %[1]s.gl_entries (entry_id bigint PRIMARY KEY, posted_on date NOT NULL,
  account_code text NOT NULL REFERENCES %[1]s.gl_accounts (account_code), amount numeric(18,2) NOT NULL);
INSERT INTO %[1]s.gl_accounts VALUES ('4000', 'Sales'), ('6200', 'Rent');
INSERT INTO %[1]s.gl_entries VALUES (1, '2025-01-31', '4000', -1200.00), (2, '2025-01-31', '6200', 300.00);`, pg.schema)
	if _, err := conn.Exec(ctx, ddl); err != nil {
		s.t.Fatalf("PostgreSQL stand-in: %v", err)
	}
	s.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, u); err == nil {
			_, _ = c.Exec(ctx, "DROP SCHEMA "+pg.schema+" CASCADE")
			c.Close(ctx)
		}
	})
	s.pg = pg
}

// fakeCloud serves the dbt Cloud API `publish dbt-cloud --wait` uses (the
// testscripts' fake: account 1, job 2 queues run 99, which succeeds).
func (s *standIns) fakeCloud(token string) {
	if s.cloudURL != "" {
		return
	}
	srv := newFakeDBTCloud(token)
	s.t.Cleanup(srv.Close)
	s.cloudURL = srv.URL
}

// prepare readies the stand-ins of a block; it returns, per line, the
// command to run (rewritten for the stand-ins), extra environment, or the
// reason to skip it.
type plannedLine struct {
	shellLine
	Run  string
	Env  map[string]string
	Skip string // the reason not to run it
	// Missing says the reason is a stand-in that is unavailable (a failure
	// when engines are required), not a marked skip.
	Missing bool
	Notes   []string
}

func (s *standIns) plan(b readmeBlock) []plannedLine {
	out := make([]plannedLine, len(b.Lines))
	for i, l := range b.Lines {
		out[i] = plannedLine{shellLine: l, Run: l.Text, Env: map[string]string{}}
	}
	items := map[string]string{}
	for _, it := range b.Marker {
		name, arg, _ := strings.Cut(it, " ")
		items[name] = strings.TrimSpace(arg)
	}
	for name, arg := range items {
		switch name {
		case "skip":
			if arg == "" {
				s.t.Fatalf("README.md:%d: readme-test skip needs a reason", b.Line)
			}
			for i := range out {
				out[i].Skip = arg
			}
		case "postgres":
			s.postgres()
			for i := range out {
				l := &out[i]
				if s.pg == nil {
					l.Skip, l.Missing = s.pgWhy, true
					continue
				}
				if m := exportRE.FindStringSubmatch(l.Run); m != nil && m[2] == "..." {
					l.Run = "export " + m[1] + "=" + s.pg.password
					l.Notes = append(l.Notes, "the stand-in's password")
					continue
				}
				for _, rw := range [][2]string{
					{"--host db.internal", "--host " + s.pg.host + " --port " + s.pg.port},
					{"--database finance", "--database " + s.pg.db},
					{"--user fpa", "--user " + s.pg.user},
					{"public.gl_entries", s.pg.schema + ".gl_entries"},
				} {
					if strings.Contains(l.Run, rw[0]) {
						l.Run = strings.ReplaceAll(l.Run, rw[0], rw[1])
						l.Notes = append(l.Notes, rw[0]+" → the test server's")
					}
				}
			}
		case "git-remote":
			if arg == "" {
				s.t.Fatalf("README.md:%d: readme-test git-remote needs a folder", b.Line)
			}
			dir := filepath.Join(s.r.dir, arg)
			if _, err := os.Stat(dir); err != nil {
				if _, err := git.PlainInit(dir, true); err != nil {
					s.t.Fatalf("git-remote stand-in: %v", err)
				}
			}
		case "dbt":
			bin := venvDBT()
			for i := range out {
				l := &out[i]
				if !strings.Contains(l.Run, "--mode advanced") {
					continue
				}
				if bin == "" {
					l.Skip, l.Missing = "dbt: set "+testenv.OracleVenv+" to the test-oracle venv", true
					continue
				}
				l.Env[advanced.DBTEnv] = bin
				l.Notes = append(l.Notes, "dbt from the test-oracle venv")
			}
		case "dbt-cloud":
			const token = "readme-test-token"
			s.fakeCloud(token)
			for i := range out {
				l := &out[i]
				if !strings.Contains(l.Run, "publish dbt-cloud") {
					continue
				}
				cmdText, comment := splitComment(l.Run)
				l.Run = strings.TrimSpace(cmdText + " --url " + s.cloudURL + " --poll-interval 10ms " + comment)
				l.Env["DBT_CLOUD_API_TOKEN"] = token
				l.Notes = append(l.Notes, "a fake dbt Cloud API")
			}
		default:
			s.t.Fatalf("README.md:%d: unknown readme-test item %q", b.Line, name)
		}
	}
	for _, l := range out {
		if l.Skip == "" && strings.Contains(l.Run, "db.internal") {
			s.t.Fatalf("README.md:%d: %q needs a server: mark its block (<!-- readme-test: postgres -->)", l.N, l.Text)
		}
	}
	return out
}

// skipLine logs a line not run; a missing stand-in fails the test when
// engines are required.
func skipLine(t *testing.T, l plannedLine) {
	t.Helper()
	if l.Missing && testenv.Required() {
		t.Errorf("README.md:%d: %s: stand-in required (%s=1) but unavailable: %s", l.N, l.Text, testenv.Require, l.Skip)
		return
	}
	t.Logf("README.md:%d: SKIP %s — %s", l.N, l.Text, l.Skip)
}

func TestREADME(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "work")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyExamples(t, dir)
	blocks := readmeUseBlocks(t, "../README.md")
	if len(blocks) < 5 {
		t.Fatalf("found %d code blocks in the README's Use section; the parser or the README changed", len(blocks))
	}
	r := newRunner(t, dir)
	s := &standIns{t: t, r: r}
	failed := 0
	for _, b := range blocks {
		switch b.Lang {
		case "sh", "bash", "shell":
		case "json":
			var v any
			if err := json.Unmarshal([]byte(b.Body), &v); err != nil {
				t.Errorf("README.md:%d: the JSON block does not parse: %v", b.Line, err)
			}
			continue
		default:
			t.Logf("README.md:%d: %q block not run", b.Line, b.Lang)
			continue
		}
		for _, l := range s.plan(b) {
			if l.Skip != "" {
				skipLine(t, l)
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			start := time.Now()
			out, err := r.run(ctx, l.Run, l.Env)
			cancel()
			how := ""
			if len(l.Notes) > 0 {
				how = " [stand-in: " + strings.Join(l.Notes, "; ") + "]"
			}
			if err != nil {
				after := ""
				if failed > 0 {
					after = " (after an earlier failure)"
				}
				failed++
				t.Errorf("README.md:%d: %s%s failed%s: %v\n%s", l.N, l.Text, how, after, err, testenv.Tail(out, 4000))
				continue
			}
			t.Logf("README.md:%d: ok %s%s (%.1f s)", l.N, l.Text, how, time.Since(start).Seconds())
		}
	}
}

// TestQuickstartHints runs `databridge quickstart`, then every command of
// its "Next:" list in the quickstart folder; each must exit 0. A hint whose
// comment starts with "needs " (a server) is logged and skipped.
func TestQuickstartHints(t *testing.T) {
	root := t.TempDir()
	r := newRunner(t, root)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out, err := r.run(ctx, "databridge quickstart qs", nil)
	if err != nil {
		t.Fatalf("quickstart: %v\n%s", err, out)
	}
	var hints []string
	sc := bufio.NewScanner(strings.NewReader(out))
	inNext := false
	for sc.Scan() {
		l := sc.Text()
		if l == "Next:" {
			inNext = true
			continue
		}
		if inNext {
			if !strings.HasPrefix(l, "  ") || strings.TrimSpace(l) == "" {
				break
			}
			hints = append(hints, strings.TrimSpace(l))
		}
	}
	if len(hints) < 3 {
		t.Fatalf("quickstart printed %d Next hints:\n%s", len(hints), out)
	}
	if !strings.HasPrefix(hints[0], "cd ") {
		t.Errorf("the first hint should take the reader to the project: %q", hints[0])
	}
	for _, h := range hints {
		if _, comment := splitComment(h); strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(comment, "#")), "needs ") {
			t.Logf("SKIP %s", h)
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		out, err := r.run(ctx, h, nil)
		cancel()
		if err != nil {
			t.Errorf("quickstart hint %q failed: %v\n%s", h, err, testenv.Tail(out, 4000))
			continue
		}
		t.Logf("ok %s", h)
	}
}

// TestREADMEParser checks the harness's reading of the README: the Use
// section only, markers attached to the next block, continuations joined,
// README line numbers kept, trailing comments split off outside quotes.
func TestREADMEParser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	text := "# x\n\n```sh\nnot run\n```\n\n## Use\n\nText.\n\n<!-- readme-test: postgres; skip a reason -->\n```sh\n# a comment\ndatabridge a \\\n  --flag 1   # note\n\ndatabridge b\n```\n\n```json\n{}\n```\n\n## Later\n\n```sh\nnot run either\n```\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	blocks := readmeUseBlocks(t, path)
	if len(blocks) != 2 {
		t.Fatalf("blocks %+v", blocks)
	}
	b := blocks[0]
	if b.Line != 12 || strings.Join(b.Marker, "|") != "postgres|skip a reason" || len(b.Lines) != 2 ||
		b.Lines[0] != (shellLine{N: 14, Text: "databridge a --flag 1   # note"}) || b.Lines[1] != (shellLine{N: 17, Text: "databridge b"}) {
		t.Errorf("block %+v", b)
	}
	if blocks[1].Lang != "json" || blocks[1].Marker != nil {
		t.Errorf("json block %+v", blocks[1])
	}
	for in, want := range map[string][2]string{
		`databridge sql "SELECT '#1' # x" -c src   # run it`: {`databridge sql "SELECT '#1' # x" -c src`, "# run it"},
		`databridge publish --remote a#b`:                    {`databridge publish --remote a#b`, ""},
		`databridge x # y`:                                   {`databridge x`, "# y"},
	} {
		c, com := splitComment(in)
		if c != want[0] || com != want[1] {
			t.Errorf("splitComment(%q) = %q, %q", in, c, com)
		}
	}
}
