package auth

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/project"
)

// AuditEntry is one line of .databridge/state/audit/YYYY-MM-DD.jsonl.
type AuditEntry struct {
	Time       time.Time `json:"time"`
	RequestID  string    `json:"request_id"`
	Who        string    `json:"who"`
	Method     string    `json:"auth"`
	Role       string    `json:"role"`
	Tool       string    `json:"tool"`
	Arguments  any       `json:"arguments,omitempty"`
	Outcome    string    `json:"outcome"` // ok, tool_error, denied, error
	Error      string    `json:"error,omitempty"`
	DurationMS float64   `json:"duration_ms"`
}

// Audit appends entries to one file per UTC day. Each entry is written
// with one write on a file opened for appending, under a lock, so
// concurrent calls never interleave or lose a line.
type Audit struct {
	dir string

	mu   sync.Mutex
	day  string
	file *os.File
}

// AuditDir is where a project's audit files are.
func AuditDir(root string) string {
	return filepath.Join(root, project.DirName, project.StateDir, "audit")
}

// OpenAudit opens the audit log of the project at root.
func OpenAudit(root string) *Audit { return &Audit{dir: AuditDir(root)} }

// Write appends e. Its error text is scrubbed of keys and DSN secrets.
func (a *Audit) Write(e AuditEntry) error {
	e.Error = RedactKeys(connector.RedactDSN(e.Error))
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	day := e.Time.UTC().Format("2006-01-02")
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.file == nil || a.day != day {
		if a.file != nil {
			a.file.Close()
		}
		if err := os.MkdirAll(a.dir, 0o700); err != nil {
			return err
		}
		f, err := os.OpenFile(filepath.Join(a.dir, day+".jsonl"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		a.file, a.day = f, day
	}
	if _, err := a.file.Write(b); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// Close closes the current file.
func (a *Audit) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.file == nil {
		return nil
	}
	err := a.file.Close()
	a.file = nil
	return err
}

// secretNames are argument names whose values are never recorded.
var secretNames = []string{"password", "passwd", "secret", "token", "api_key", "apikey", "private_key", "credential", "authorization"}

// RedactArguments returns a tool's JSON arguments with secrets removed:
// values of secret-looking names are replaced, every string has DSN
// secrets (connector.RedactDSN) and API keys masked.
func RedactArguments(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "[unparseable arguments]"
	}
	return redactValue("", v)
}

func redactValue(name string, v any) any {
	lname := strings.ToLower(name)
	for _, s := range secretNames {
		if strings.Contains(lname, s) {
			if v == nil || v == "" {
				return v
			}
			return "[redacted]"
		}
	}
	switch x := v.(type) {
	case string:
		return RedactKeys(connector.RedactDSN(x))
	case map[string]any:
		for k, val := range x {
			x[k] = redactValue(k, val)
		}
		return x
	case []any:
		for i, val := range x {
			x[i] = redactValue(name, val)
		}
		return x
	}
	return v
}
