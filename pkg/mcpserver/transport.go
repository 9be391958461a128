package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// What the SDK does by itself with bad input (go-sdk v1.8.0, mcp/transport.go
// ioConn and internal/jsonrpc2 Connection.readIncoming): StdioTransport
// decodes stdin with one streaming json.Decoder. The first value that is not
// JSON ("garbage"), a JSON value followed by anything but a newline, or a
// JSON value that is not a JSON-RPC message (wrong "jsonrpc" tag, no method
// and no id, an empty batch, a batch after protocol 2025-06-18, duplicate ids
// in a batch) makes Connection.Read return an error. The jsonrpc2 read loop
// treats any read error as the end of the connection: it stops reading,
// cancels every request still in flight (so a reply not yet written, such as
// the initialize result, is lost) and Server.Run returns the error, i.e.
// `databridge mcp serve` exits 1. No JSON-RPC error is ever sent. The
// decoder's goroutine stops at the first error as well, so the SDK's
// connection cannot be kept alive by retrying Read.
//
// filteredStdio therefore sits in front of the SDK's IOTransport: it reads
// the input line by line, answers every line the SDK would choke on with a
// JSON-RPC error (-32700 parse error for text that is not JSON, -32600
// invalid request for JSON that is not a JSON-RPC message; id null unless
// the line carried a usable id) and hands the SDK only lines it accepts, so
// the session goes on. Everything else (batching, the frame limit, session
// state) stays the SDK's.

// maxLine bounds one input line; a longer line is discarded and answered
// with an error (the SDK's own default frame limit).
const maxLine = mcp.DefaultMaxLineLength

// filteredStdio is an mcp.Transport over in/out that never lets one bad
// input line end the session.
type filteredStdio struct {
	in     io.Reader
	out    io.Writer
	logger *slog.Logger
}

func (t *filteredStdio) Connect(ctx context.Context) (mcp.Connection, error) {
	w := &lockedWriter{w: t.out}
	f := &lineFilter{src: bufio.NewReader(t.in), in: t.in, out: w, logger: t.logger, batchesOK: true}
	// The filter bounds lines itself (maxLine); the SDK's own frame limit,
	// which counts bytes its decoder reads ahead, is switched off.
	return (&mcp.IOTransport{Reader: f, Writer: w, MaxLineLength: -1}).Connect(ctx)
}

// lockedWriter serialises writes, so that an error line written by the
// filter never interleaves with a message the SDK writes (the SDK writes
// each message with a single Write call).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

func (w *lockedWriter) Close() error { return nil }

// lineFilter is the io.ReadCloser the SDK reads: only valid messages, one
// per line.
type lineFilter struct {
	src    *bufio.Reader
	in     io.Reader // closed by Close when it is a Closer
	out    io.Writer
	logger *slog.Logger

	pending []byte // an accepted line not yet read by the SDK
	err     error  // the input's error, returned once pending is drained

	// batchesOK mirrors the SDK's rule that JSON-RPC batches are refused once
	// a protocol version of 2025-06-18 or later is negotiated: it turns false
	// when an initialize request asks for anything but an older supported
	// version (the server negotiates the client's version if it supports it
	// and a newer one otherwise).
	batchesOK bool
	initSeen  bool
}

func (f *lineFilter) Read(p []byte) (int, error) {
	for len(f.pending) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		line, tooLong, err := f.readLine()
		f.err = err
		switch {
		case tooLong:
			f.reply(nil, jsonrpc.CodeInvalidRequest, fmt.Sprintf("invalid request: message longer than %d bytes", maxLine))
		case len(line) > 0:
			f.accept(line)
		}
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

func (f *lineFilter) Close() error {
	if c, ok := f.in.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// readLine returns the next line without surrounding white space. A line
// longer than maxLine is read to its end and dropped (tooLong).
func (f *lineFilter) readLine() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := f.src.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > maxLine+2 { // +2: the line ending
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSpace(buf), tooLong, err
	}
}

// accept queues line for the SDK if the SDK can read it, and answers it
// with a JSON-RPC error otherwise.
func (f *lineFilter) accept(line []byte) {
	if !json.Valid(line) {
		var v any
		detail := json.Unmarshal(line, &v)
		f.reply(nil, jsonrpc.CodeParseError, fmt.Sprintf("parse error: not JSON (%v)", detail))
		return
	}
	if line[0] == '[' {
		var raws []json.RawMessage
		_ = json.Unmarshal(line, &raws)
		if msg := f.checkBatch(raws); msg != "" {
			f.reply(nil, jsonrpc.CodeInvalidRequest, "invalid request: "+msg)
			return
		}
	} else {
		msg, err := jsonrpc.DecodeMessage(line)
		if err != nil {
			f.reply(requestID(line), jsonrpc.CodeInvalidRequest, "invalid request: "+err.Error())
			return
		}
		f.noteInitialize(msg)
	}
	f.pending = append(line, '\n')
}

// checkBatch returns why the SDK would refuse a batch, or "".
func (f *lineFilter) checkBatch(raws []json.RawMessage) string {
	if len(raws) == 0 {
		return "empty batch"
	}
	if !f.batchesOK {
		return "JSON-RPC batches are not supported in protocol 2025-06-18 and later"
	}
	var msgs []jsonrpc.Message
	seen := map[jsonrpc.ID]bool{}
	for _, raw := range raws {
		msg, err := jsonrpc.DecodeMessage(raw)
		if err != nil {
			return "batch: " + err.Error()
		}
		if req, ok := msg.(*jsonrpc.Request); ok && req.IsCall() {
			if seen[req.ID] {
				return fmt.Sprintf("batch: duplicate id %v", req.ID.Raw())
			}
			seen[req.ID] = true
		}
		msgs = append(msgs, msg)
	}
	for _, msg := range msgs {
		f.noteInitialize(msg)
	}
	return ""
}

func (f *lineFilter) noteInitialize(msg jsonrpc.Message) {
	req, ok := msg.(*jsonrpc.Request)
	if !ok || req.Method != "initialize" || f.initSeen {
		return
	}
	var params struct {
		ProtocolVersion string `json:"protocolVersion"`
	}
	if json.Unmarshal(req.Params, &params) != nil {
		return // the server answers invalid params and stays uninitialised
	}
	f.initSeen = true
	v := params.ProtocolVersion
	f.batchesOK = v < "2025-06-18" && slices.Contains(mcp.SupportedProtocolVersions(), v)
}

// requestID is the id of a rejected message when it is a usable one (a
// string or a number), else nil (which is sent as null).
func requestID(line []byte) json.RawMessage {
	var m struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(line, &m) != nil || len(m.ID) == 0 {
		return nil
	}
	switch m.ID[0] {
	case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return m.ID
	}
	return nil
}

// reply writes a JSON-RPC error response.
func (f *lineFilter) reply(id json.RawMessage, code int, message string) {
	f.logger.Warn("mcp stdio: bad input line answered with an error", "code", code, "error", message)
	if id == nil {
		id = json.RawMessage("null")
	}
	resp := struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}{JSONRPC: "2.0", ID: id}
	resp.Error.Code, resp.Error.Message = code, message
	b, err := json.Marshal(resp)
	if err != nil {
		return
	}
	if _, err := f.out.Write(append(b, '\n')); err != nil {
		f.logger.Warn("mcp stdio: writing an error reply", "error", err)
	}
}
