package events

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/gofrs/flock"
)

// JournalFile is the journal's name under .databridge/state/events/.
const JournalFile = "events.jsonl"

// journalMax is the size past which the journal is rotated to
// events.jsonl.1 (the previous .1 is dropped).
var journalMax int64 = 8 << 20

// Polling intervals of a follower: with fsnotify (a safety net for file
// systems that do not report changes) and without it.
var (
	pollWithNotify = time.Second
	pollOnly       = 100 * time.Millisecond
)

// journal is the JSON-lines file events are appended to; other processes
// follow it.
type journal struct {
	dir  string
	path string
}

func newJournal(dir string) *journal {
	return &journal{dir: dir, path: filepath.Join(dir, JournalFile)}
}

// append writes e as one line under a file lock shared by every process
// (so lines never interleave and rotation is not raced).
func (j *journal) append(e Event) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	if err := os.MkdirAll(j.dir, 0o755); err != nil {
		return err
	}
	fl := flock.New(j.path + ".lock")
	if err := fl.Lock(); err != nil {
		return err
	}
	defer fl.Unlock()
	if fi, err := os.Stat(j.path); err == nil && fi.Size()+int64(len(line)) > journalMax {
		if err := os.Rename(j.path, j.path+".1"); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// follower reads the journal's new lines.
type follower struct {
	j       *journal
	ident   os.FileInfo // the file read so far (nil: none yet)
	offset  int64
	partial []byte
	// rotated is the rotated journal (events.jsonl.1) when the follower
	// started without a journal: one that appears later was written
	// after the start and is read first.
	rotated os.FileInfo
}

// follow calls fn with every event appended to the journal after it
// started, until ctx is cancelled. It watches the folder with fsnotify
// and also polls (every second; every 100 ms when fsnotify is not
// available). A rotation is followed: the rest of the old file is read
// before the new one.
func (j *journal) follow(ctx context.Context, fn func(Event), status func(bool, error)) error {
	if err := os.MkdirAll(j.dir, 0o755); err != nil {
		status(false, err)
		return err
	}
	fw := &follower{j: j}
	if fi, err := os.Stat(j.path); err == nil {
		fw.ident, fw.offset = fi, fi.Size()
	} else {
		fw.rotated, _ = os.Stat(j.path + ".1")
	}
	every := pollWithNotify
	var notify <-chan fsnotify.Event
	var notifyErr <-chan error
	w, err := fsnotify.NewWatcher()
	if err == nil {
		if err = w.Add(j.dir); err != nil {
			w.Close()
		}
	}
	if err != nil {
		every = pollOnly
	} else {
		defer w.Close()
		notify, notifyErr = w.Events, w.Errors
	}
	status(true, nil)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-notify:
			if !ok {
				notify = nil
				tick.Reset(pollOnly)
				continue
			}
			if filepath.Base(ev.Name) != JournalFile {
				continue
			}
		case err, ok := <-notifyErr:
			if !ok {
				notifyErr = nil
				continue
			}
			// A lost watch (overflow): poll faster, read what is there.
			_ = err
			tick.Reset(pollOnly)
		case <-tick.C:
		}
		if err := fw.read(fn); err != nil {
			status(false, err)
		} else {
			status(true, nil)
		}
	}
}

// read hands fn the complete lines appended since the last read.
func (fw *follower) read(fn func(Event)) error {
	fi, err := os.Stat(fw.j.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // not written yet (or between rotation and the next append)
	}
	if err != nil {
		return err
	}
	if fw.ident == nil {
		// The first journal since the start: if it was rotated already,
		// its first part is events.jsonl.1.
		if old, err := os.Stat(fw.j.path + ".1"); err == nil && (fw.rotated == nil || !os.SameFile(old, fw.rotated)) {
			if err := fw.readFrom(fw.j.path+".1", fn); err != nil {
				return err
			}
			fw.offset, fw.partial = 0, nil
		}
	} else if !os.SameFile(fw.ident, fi) {
		// Rotated: finish the old file (now events.jsonl.1) first.
		if old, err := os.Stat(fw.j.path + ".1"); err == nil && os.SameFile(old, fw.ident) {
			if err := fw.readFrom(fw.j.path+".1", fn); err != nil {
				return err
			}
		}
		fw.offset, fw.partial = 0, nil
	} else if fi.Size() < fw.offset {
		fw.offset, fw.partial = 0, nil // truncated
	}
	fw.ident = fi
	if fi.Size() == fw.offset {
		return nil
	}
	return fw.readFrom(fw.j.path, fn)
}

func (fw *follower) readFrom(path string, fn func(Event)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Seek(fw.offset, io.SeekStart); err != nil {
		return err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	fw.offset += int64(len(data))
	data = append(fw.partial, data...)
	last := bytes.LastIndexByte(data, '\n')
	if last < 0 {
		fw.partial = data
		return nil
	}
	fw.partial = append([]byte(nil), data[last+1:]...)
	for _, line := range bytes.Split(data[:last], []byte{'\n'}) {
		if e, ok := decodeLine(line); ok {
			fn(e)
		}
	}
	return nil
}

func decodeLine(line []byte) (Event, bool) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return Event{}, false
	}
	var e Event
	if err := json.Unmarshal(line, &e); err != nil || e.Type == "" {
		return Event{}, false
	}
	return e, true
}

// recent is the last n events of the journal (and its rotated part),
// oldest first.
func (j *journal) recent(n int) ([]Event, error) {
	if n <= 0 {
		return nil, nil
	}
	var out []Event
	for _, p := range []string{j.path + ".1", j.path} {
		f, err := os.Open(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for sc.Scan() {
			if e, ok := decodeLine(sc.Bytes()); ok {
				out = append(out, e)
				if len(out) > n {
					out = out[1:]
				}
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
