package cmdutil

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Exit codes (ARCHITECTURE.md).
const (
	ExitOK           = 0
	ExitError        = 1
	ExitUsage        = 2
	ExitChecksFailed = 3
)

// UsageError is a bad invocation: unknown flag, wrong arguments.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef builds a UsageError.
func Usagef(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// ChecksFailedError means the command ran but its checks failed
// (validation failures, reconciliation differences, a failed connection
// test). The result has already been printed.
type ChecksFailedError struct{ Msg string }

func (e *ChecksFailedError) Error() string { return e.Msg }

// ExitCode maps an error to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *UsageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	var ce *ChecksFailedError
	if errors.As(err, &ce) {
		return ExitChecksFailed
	}
	return ExitError
}

// InternalError is a bug: a panic recovered at the top of the command, or
// in an MCP tool. It exits 1 like any error, never 2 (a usage error).
type InternalError struct {
	Value any    // what was passed to panic
	Stack []byte // the panicking goroutine's stack
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error: %v (please report)", e.Value)
}

// PrintError writes err on w (stderr): "error: MESSAGE" or, in --json mode,
// one line of JSON {"error": "MESSAGE"} that any JSON parser reads,
// whatever the message holds (quotes, backslashes, newlines, non-ASCII).
func PrintError(w io.Writer, err error, jsonMode bool) {
	if !jsonMode {
		fmt.Fprintf(w, "error: %s\n", err)
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if encErr := enc.Encode(struct {
		Error string `json:"error"`
	}{err.Error()}); encErr != nil {
		// Cannot happen for a string; never lose the message.
		fmt.Fprintf(w, "error: %s\n", err)
	}
}
