package mcpserver

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// stdioSession runs the server over pipes (what ServeStdio does over
// stdin/stdout) and returns a function that sends one raw line and one that
// reads the next reply.
type stdioSession struct {
	t    *testing.T
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan error
	logs *syncBuffer
}

func newStdioSession(t *testing.T) *stdioSession {
	t.Helper()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	srv, err := New(newProject(t), Options{Logger: logger, Version: "pipe-test", Toolsets: []string{"connections"}})
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &stdioSession{t: t, in: inW, out: bufio.NewReader(outR), done: make(chan error, 1), logs: logs}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		err := serveIO(ctx, srv, inR, outW, logger)
		outW.Close()
		s.done <- err
	}()
	t.Cleanup(func() {
		inW.Close()
		cancel()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop")
		}
	})
	return s
}

func (s *stdioSession) send(line string) {
	s.t.Helper()
	if _, err := io.WriteString(s.in, line+"\n"); err != nil {
		s.t.Fatalf("send %q: %v (server: %v)", line, err, s.serverErr())
	}
}

func (s *stdioSession) serverErr() error {
	select {
	case err := <-s.done:
		s.done <- err
		return err
	default:
		return nil
	}
}

type rpcReply struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// recv reads the next line the server writes; every line must be a JSON
// object.
func (s *stdioSession) recv() rpcReply {
	s.t.Helper()
	type res struct {
		line string
		err  error
	}
	c := make(chan res, 1)
	go func() {
		l, err := s.out.ReadString('\n')
		c <- res{l, err}
	}()
	select {
	case r := <-c:
		if r.err != nil {
			s.t.Fatalf("reading a reply: %v (server returned: %v)\nlogs:\n%s", r.err, s.serverErr(), s.logs.String())
		}
		var rep rpcReply
		if err := json.Unmarshal([]byte(r.line), &rep); err != nil {
			s.t.Fatalf("reply is not JSON: %q: %v", r.line, err)
		}
		return rep
	case <-time.After(20 * time.Second):
		s.t.Fatalf("no reply (server returned: %v)\nlogs:\n%s", s.serverErr(), s.logs.String())
	}
	panic("unreachable")
}

func (s *stdioSession) wantError(what string, code int, id string, msg string) {
	s.t.Helper()
	r := s.recv()
	if r.Error == nil || r.Error.Code != code || string(r.ID) != id || !strings.Contains(r.Error.Message, msg) {
		s.t.Errorf("%s: reply id=%s error=%+v result=%s; want error %d with id %s mentioning %q", what, r.ID, r.Error, r.Result, code, id, msg)
	}
}

func (s *stdioSession) wantResult(what string, id string) json.RawMessage {
	s.t.Helper()
	r := s.recv()
	if r.Error != nil || string(r.ID) != id || len(r.Result) == 0 {
		s.t.Fatalf("%s: reply id=%s error=%+v; want the result of request %s", what, r.ID, r.Error, id)
	}
	return r.Result
}

const (
	initializeLine  = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}`
	initializedLine = `{"jsonrpc":"2.0","method":"notifications/initialized","params":{}}`
	toolsListLine   = `{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}`
)

// Finding 6: a line that is not JSON used to end the session (the SDK's
// stdio transport returns a read error and Server.Run stops, dropping the
// initialize reply). It is now answered with -32700 and the session goes on.
func TestStdioBadLineIsParseError(t *testing.T) {
	s := newStdioSession(t)
	s.send("garbage")
	s.wantError("garbage", -32700, "null", "parse error")
	s.send(initializeLine)
	var init struct {
		ServerInfo struct{ Version string } `json:"serverInfo"`
	}
	if err := json.Unmarshal(s.wantResult("initialize", "1"), &init); err != nil || init.ServerInfo.Version != "pipe-test" {
		t.Errorf("initialize result: %+v, %v", init, err)
	}
	s.send(initializedLine)
	// Garbage in the middle of a session, and a truncated message.
	s.send(`{"jsonrpc":"2.0","id":3,"method":`)
	s.wantError("truncated JSON", -32700, "null", "parse error")
	s.send(toolsListLine)
	var tl struct {
		Tools []struct{ Name string } `json:"tools"`
	}
	if err := json.Unmarshal(s.wantResult("tools/list", "2"), &tl); err != nil || len(tl.Tools) != len(allTools) {
		t.Errorf("tools/list result: %+v, %v", tl, err)
	}
	wantContains(t, "logs", s.logs.String(), "bad input line", "code=-32700")
}

// JSON that is not a JSON-RPC message also used to end the session; it is
// an invalid request (-32600), with the message's id when it has one.
func TestStdioInvalidRequests(t *testing.T) {
	s := newStdioSession(t)
	s.send(initializeLine)
	s.wantResult("initialize", "1")
	s.send(initializedLine)
	s.send("") // blank lines are skipped, as the SDK does
	s.send("   ")
	for _, c := range []struct {
		line, id, msg string
	}{
		{`42`, "null", "invalid request"},
		{`{"jsonrpc":"1.0","id":7,"method":"tools/list"}`, "7", "version"},
		{`{"jsonrpc":"2.0","id":"a\"b","method":"tools/list","params":{}} trailing`, "null", "parse error"},
		{`{"jsonrpc":"2.0"}`, "null", "invalid request"},
		{`{"jsonrpc":"2.0","id":{"x":1},"method":"tools/list"}`, "null", "invalid request"},
		{`[]`, "null", "empty batch"},
		// Negotiated 2025-06-18: the SDK refuses batches from then on.
		{`[` + toolsListLine + `]`, "null", "batches are not supported"},
	} {
		s.send(c.line)
		s.wantError(c.line, map[bool]int{true: -32700, false: -32600}[c.msg == "parse error"], c.id, c.msg)
	}
	s.send(toolsListLine)
	s.wantResult("tools/list after bad lines", "2")
	// White space around a message is fine.
	s.send("  " + strings.Replace(toolsListLine, `"id":2`, `"id":9`, 1) + "\r")
	s.wantResult("tools/list with white space", "9")
}

// Clients of protocol 2025-03-26 may still batch; the filter lets valid
// batches through to the SDK.
func TestStdioBatchOldProtocol(t *testing.T) {
	s := newStdioSession(t)
	s.send(strings.Replace(initializeLine, "2025-06-18", "2025-03-26", 1))
	s.wantResult("initialize", "1")
	s.send(initializedLine)
	s.send(`[{"jsonrpc":"2.0","id":5,"method":"tools/list"},{"jsonrpc":"2.0","id":5,"method":"ping"}]`)
	s.wantError("duplicate ids", -32600, "null", "duplicate id")
	s.send(`[{"jsonrpc":"2.0","id":5,"method":"ping"}]`)
	// A batch is answered with an array.
	c := make(chan string, 1)
	go func() { l, _ := s.out.ReadString('\n'); c <- l }()
	select {
	case l := <-c:
		if !strings.HasPrefix(l, `[{"jsonrpc":"2.0","id":5,"result":{}}]`) {
			t.Errorf("batch reply = %q", l)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no batch reply")
	}
}
